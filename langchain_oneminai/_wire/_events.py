"""The typed events of a chat stream (what ``OneMinAIClient.chat_stream`` yields)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from langchain_oneminai._wire._records import AIRecord


@dataclass(frozen=True, slots=True)
class ContentDelta:
    """A piece of reply text (an SSE ``content`` event, or a chunk of a raw-text stream)."""

    text: str
    """The new text, to append to what came before."""
    kind: Literal["content"] = field(default="content", repr=False)


@dataclass(frozen=True, slots=True)
class StreamResult:
    """The final record (the ``result`` event): the authority on the whole reply.

    Sources: wire.md#chat-stream.
    """

    record: AIRecord
    """The same ``aiRecord`` the non-streaming endpoint returns."""
    text_elided: bool = False
    """True when the reply was so long (over 1 MiB) that the record's copy of it was not
    kept: the deltas before it carried the text, and memory stays bounded."""
    kind: Literal["result"] = field(default="result", repr=False)


@dataclass(frozen=True, slots=True)
class StreamDone:
    """The normal end of the stream (the ``done`` event)."""

    message: str | None = None
    """Its message, e.g. ``Stream completed`` (not an error, wire.md#done-event-message)."""
    kind: Literal["done"] = field(default="done", repr=False)


@dataclass(frozen=True, slots=True)
class StreamErrorEvent:
    """An ``error`` event: the server gave up mid-stream (wire.md#chat-stream)."""

    message: str
    """The server's message (``error`` or ``message`` key, wire.md#error-event-key)."""
    kind: Literal["error"] = field(default="error", repr=False)


ChatStreamEvent = ContentDelta | StreamResult | StreamDone | StreamErrorEvent
"""Everything a chat stream yields, in order: deltas, then the result, then done."""
