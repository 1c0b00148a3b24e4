"""A finished reply or a stream, read back as LangChain messages (pure).

    message_from_reply()  the final record -> AIMessage (prose + tool_calls / invalid_tool_calls)
    StreamAssembler       stream events -> ChatGenerationChunks, attempt by attempt

Every reply is cut before it is read: at the first stop sequence, then - when tools are bound -
at the first transcript tag (``_transcript``: a model that goes on writing the conversation's
``<user>``/``<tool_result>`` markup has stopped replying). A stream is cut at the same place
and ``stopped`` tells the shell to stop reading. ``response_metadata`` says where:
``stop_sequence``, ``transcript_cut``; and which calls were set aside: ``replayed_tool_calls``
(a call repeating one the history answered) and ``dropped_tool_calls`` (past the one call
``parallel_tool_calls=False`` allows).

Streaming rules. Plain replies stream delta by delta. With tools bound and ``tool_choice``
"auto", prose streams as it comes and each call arrives as one ``tool_call_chunk`` once its
JSON is complete (none of the JSON ever reaches ``content``). When a call is forced
(``tool_choice`` "any" or a name) or structured output is asked for, the reply is the call or
the JSON itself, so each attempt is held until it is known to be usable: an unusable attempt
is dropped and repaired (``_repairs``) instead of being streamed. Invalid calls come last, as
``tool_call_chunks`` whose arguments LangChain's aggregation cannot read as an object
(``invalid_call_args``), so the aggregate has them as ``invalid_tool_calls``, as ``invoke`` does.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.utils.json import parse_partial_json

from langchain_oneminai._chat._output import (
    PROVIDER,
    StopFilter,
    cut_reply,
    response_metadata,
    usage_from_record,
)
from langchain_oneminai._chat._plan import ChatPlan
from langchain_oneminai._chat._repairs import next_repair, parse_reply
from langchain_oneminai._chat._tool_calls import (
    ParsedReply,
    StreamPiece,
    TextPiece,
    ToolCallArgs,
    ToolCallStart,
    ToolStreamParser,
)
from langchain_oneminai._chat._transcript import TranscriptFilter
from langchain_oneminai._wire import AIRecord, ChatStreamEvent, ContentDelta, StreamResult


def message_from_reply(plan: ChatPlan, record: AIRecord, *, repairs: int = 0) -> AIMessage:
    """The ``AIMessage`` of a finished (non-streamed) reply."""
    text, matched, tag = cut_reply(record.text, plan.stop, transcript=plan.cuts_transcript)
    metadata = response_metadata(
        record, model=plan.model, stop_sequence=matched, transcript_cut=tag
    )
    if repairs:
        metadata["repairs"] = repairs
    usage = usage_from_record(record)
    if not plan.parses_tools:
        return AIMessage(
            content=text, id=record.uuid, response_metadata=metadata, usage_metadata=usage
        )
    parsed = parse_reply(plan, text)
    metadata.update(_set_aside(parsed))
    return AIMessage(
        content=parsed.content,
        tool_calls=parsed.tool_calls,
        invalid_tool_calls=parsed.invalid_tool_calls,
        id=record.uuid,
        response_metadata=metadata,
        usage_metadata=usage,
    )


def _set_aside(parsed: ParsedReply) -> dict[str, Any]:
    """Calls the reply made that are not returned: replays, and calls past the limit."""
    kept: dict[str, Any] = {}
    if parsed.replayed:
        kept["replayed_tool_calls"] = [dict(call) for call in parsed.replayed]
    if parsed.dropped:
        kept["dropped_tool_calls"] = [dict(call) for call in parsed.dropped]
    return kept


def invalid_call_args(args: str | None) -> str:
    """An invalid call's arguments as a ``tool_call_chunk`` carries them.

    LangChain re-parses the aggregate's ``tool_call_chunks`` with ``parse_partial_json`` and
    makes a ``tool_call`` of anything that parses to an object; it would turn a schema-invalid
    call (or completable truncated JSON) into a valid-looking call. Arguments that would parse
    so are therefore sent as a JSON *string* holding the raw text: they aggregate into
    ``invalid_tool_calls``, and ``json.loads(args)`` gives the text back.
    """
    text = args or ""
    try:
        parsed = parse_partial_json(text) if text else {}
    except Exception:
        return text
    return json.dumps(text, ensure_ascii=False) if isinstance(parsed, dict) else text


class StreamAssembler:
    """Chat stream events in, ``ChatGenerationChunk``s out, one attempt after another."""

    def __init__(self, plan: ChatPlan) -> None:
        self._plan = plan
        self._repairs = 0
        self._calls_emitted = 0
        self._set_aside: dict[str, Any] = {}
        self._record: AIRecord | None = None
        self._start_attempt()

    def _start_attempt(self) -> None:
        self._stop = StopFilter(self._plan.stop)
        self._cut = TranscriptFilter() if self._plan.cuts_transcript else None
        self._text: list[str] = []
        self._held: list[ChatGenerationChunk] = []
        self._starts: dict[int, ToolCallStart] = {}
        self._tools = (
            ToolStreamParser(
                self._plan.tools,
                validators=self._plan.tool_validators,
                max_calls=self._plan.max_calls,
                answered=self._plan.answered,
            )
            if self._plan.parses_tools
            else None
        )

    @property
    def stopped(self) -> bool:
        """Whether a stop sequence (or transcript markup) ended this attempt."""
        return self._stop.stopped is not None or (
            self._cut is not None and self._cut.cut is not None
        )

    def _filter(self, text: str, *, end: bool = False) -> str:
        """Stop sequences, then transcript markup; ``end`` flushes what both hold."""
        if end:
            text = self._stop.flush()
            if self._cut is None:
                return text
            kept = self._cut.feed(text)
            return kept + self._cut.flush()
        text = self._stop.feed(text)
        return self._cut.feed(text) if self._cut is not None else text

    def on_event(self, event: ChatStreamEvent) -> list[ChatGenerationChunk]:
        """The chunks to emit now for one stream event."""
        if isinstance(event, StreamResult):
            self._record = event.record
            return []
        if isinstance(event, ContentDelta):
            return self._admit(self._text_chunks(self._filter(event.text)))
        return []

    def end_attempt(self) -> tuple[list[ChatGenerationChunk], str | None]:
        """Close the current attempt.

        Returns:
            The chunks still to emit, and the repair prompt if the attempt was unusable (the
            next attempt then starts fresh), else ``None``.
        """
        chunks = self._text_chunks(self._filter("", end=True))
        parsed: ParsedReply | None = None
        if self._tools is not None:
            pieces, parsed = self._tools.finish()
            chunks += self._piece_chunks(pieces)
        reply = "".join(self._text)
        repair = next_repair(self._plan, reply, self._repairs)
        if repair is not None:
            self._repairs += 1
            kept = [] if self._plan.holds_attempts else chunks
            self._start_attempt()
            return kept, repair
        if parsed is not None:
            chunks += self._invalid_call_chunks(parsed)
            self._set_aside = _set_aside(parsed)
        if self._plan.response_format is not None and reply:
            chunks = [_text_chunk(reply)]  # the whole JSON reply, in one piece
        chunks = self._held + chunks
        self._held = []
        return chunks, None

    def finish(self) -> ChatGenerationChunk:
        """The last chunk: metadata of the final record, usage when real."""
        record = self._record
        metadata = response_metadata(
            record,
            model=self._plan.model,
            stop_sequence=self._stop.stopped,
            transcript_cut=self._cut.cut if self._cut is not None else None,
        )
        metadata.update(self._set_aside)
        if self._repairs:
            metadata["repairs"] = self._repairs
        message = AIMessageChunk(
            content="",
            response_metadata=metadata,
            usage_metadata=usage_from_record(record) if record else None,
            chunk_position="last",
        )
        return ChatGenerationChunk(message=message)

    def _admit(self, chunks: list[ChatGenerationChunk]) -> list[ChatGenerationChunk]:
        if self._plan.holds_attempts:
            self._held += chunks
            return []
        return chunks

    def _text_chunks(self, text: str) -> list[ChatGenerationChunk]:
        if not text:
            return []
        if self._plan.response_format is not None or (
            self._tools is not None and self._plan.max_repairs
        ):
            self._text.append(text)  # kept only when the JSON or a repair decision needs it
        if self._tools is not None:
            return self._piece_chunks(self._tools.feed(text))
        if self._plan.response_format is not None:
            return []  # emitted whole once the reply is known to be valid JSON
        return [_text_chunk(text)]

    def _piece_chunks(self, pieces: list[StreamPiece]) -> list[ChatGenerationChunk]:
        chunks = []
        for piece in pieces:
            if isinstance(piece, TextPiece):
                chunks.append(_text_chunk(piece.text))
            elif isinstance(piece, ToolCallStart):
                self._starts[piece.index] = piece
            elif isinstance(piece, ToolCallArgs):
                start = self._starts.pop(piece.index)
                chunks.append(self._call_chunk(start.name, piece.args_json, start.id))
        return chunks

    def _invalid_call_chunks(self, parsed: ParsedReply) -> list[ChatGenerationChunk]:
        # A stream can only carry raw arguments and the aggregate re-parses them (LangChain's
        # rule for every provider): invalid_call_args keeps them from parsing into a call.
        return [
            self._call_chunk(call["name"] or "", invalid_call_args(call["args"]), call["id"])
            for call in parsed.invalid_tool_calls
        ]

    def _call_chunk(self, name: str, args: str, call_id: str | None) -> ChatGenerationChunk:
        index = self._calls_emitted
        self._calls_emitted += 1
        chunk = tool_call_chunk(name=name, args=args, id=call_id, index=index)
        message = AIMessageChunk(
            content="", tool_call_chunks=[chunk], response_metadata={"model_provider": PROVIDER}
        )
        return ChatGenerationChunk(message=message)


def _text_chunk(text: str) -> ChatGenerationChunk:
    message = AIMessageChunk(content=text, response_metadata={"model_provider": PROVIDER})
    return ChatGenerationChunk(message=message)
