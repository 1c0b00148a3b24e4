"""The emulator's public value types and wire constants.

``FormPart``, ``RecordedRequest``, ``ScriptedReply``, ``Fault`` and ``EmulatorSettings`` are
re-exported by ``langchain_oneminai.emulator``; the constants are shared by the handlers.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, Self, TypeAlias

CHAT_FEATURE = "UNIFY_CHAT_WITH_AI"
"""The v2 chat feature type (wire.md#chat-request)."""

LEGACY_CHAT_TYPES: tuple[str, ...] = (
    "CHAT_WITH_AI",
    "CHAT_WITH_IMAGE",
    "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
)
"""Chat types once served by ``POST /api/features`` (wire.md#legacy-chat, #legacy-chat)."""

ROUTE_NAMES: tuple[str, ...] = (
    "chat",
    "features",
    "assets",
    "conversations",
    "models",
    "download",
    "unknown",
)
"""Route names a fault can target (``None`` targets all of them)."""


@dataclass(frozen=True, slots=True)
class FormPart:
    """One part of a recorded ``multipart/form-data`` body (the bytes themselves are not kept)."""

    name: str
    """The part's form field name (``asset`` for uploads, #upload-request)."""
    filename: str | None
    """The ``filename`` of its ``Content-Disposition``, if any."""
    content_type: str | None
    """The part's own ``Content-Type`` header, if any."""
    size: int
    """Length of the part's body in bytes."""
    sha256: str
    """Hex SHA-256 of the part's body, to assert on exact bytes without storing them."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator served, as the test-side log shows it.

    The API key never appears here: the values of ``API-KEY`` and ``Authorization`` are
    replaced by ``"<redacted>"``; ``key_valid`` says whether the key was right.
    """

    method: str
    """HTTP method, upper case."""
    path: str
    """Decoded URL path, without the query string."""
    query: dict[str, str]
    """Query parameters (the first value wins when a name repeats)."""
    headers: dict[str, str]
    """Every request header, names as received, key-bearing values redacted."""
    json: Any
    """The parsed JSON body, or ``None`` when the body was empty, multipart or not JSON."""
    form: list[FormPart] | None
    """The multipart parts, or ``None`` when the body was not ``multipart/form-data``."""
    route: str
    """Route name: chat, features, assets, conversations, models, download or unknown."""
    status: int
    """Status the emulator answered; 0 when it dropped the connection without a response."""
    key_valid: bool
    """Whether the request carried the configured key (per the current auth settings)."""


@dataclass
class ScriptedReply:
    """A reply queued for the next matching request (``script_chat`` / ``script_feature``).

    ``ScriptedReply.tool_calls(...)`` and ``ScriptedReply.structured(...)`` build the replies a
    model would write under langchain-oneminai's prompt protocol (tool calls, JSON output).
    """

    text: str | None = None
    """Reply text. For chat it becomes ``resultObject[0]`` and the streamed content."""
    chunks: list[str] | None = None
    """Exact SSE content deltas; ``text`` defaults to their concatenation."""
    result_object: Any = None
    """Exact ``aiRecordDetail.resultObject`` (features; for chat it overrides ``[text]``)."""
    record: dict[str, Any] | None = None
    """Fields merged (recursively) into the ``aiRecord``, e.g. ``metadata`` or ``credit``."""
    status: str = "SUCCESS"
    """``aiRecord.status``; anything else marks a failed record (wire.md#failed-records)."""
    error_message: str | None = None
    """``aiRecordDetail.errorMessage`` for a failed record."""

    def reply_text(self) -> str | None:
        """The full reply text: ``text``, else the joined ``chunks``, else ``None``."""
        if self.text is not None:
            return self.text
        if self.chunks is not None:
            return "".join(self.chunks)
        return None

    @classmethod
    def tool_calls(cls, *calls: str | tuple[str, Mapping[str, Any]] | Mapping[str, Any]) -> Self:
        """A reply that calls tools, in the reply format of langchain-oneminai's tool protocol.

        The text is ``{"tool_calls": [{"name": ..., "arguments": {...}}]}`` (the format
        ``ChatOneMinAI`` asks a model for, see ``langchain_oneminai/_chat/_tool_calls``),
        optionally after one line of prose.

        Args:
            *calls: An optional leading ``str`` (prose before the JSON), then one item per call:
                a ``(name, arguments)`` tuple, or a mapping with ``name`` and ``arguments`` (or
                ``args``, as a LangChain ``ToolCall`` spells it).

        Returns:
            The scripted reply.

        Raises:
            ValueError: no call was given, or a call has no name.
            TypeError: a call is neither a tuple nor a mapping, or its arguments are not a
                mapping.
        """
        lead, entries = tool_call_entries(calls)
        payload = json.dumps({"tool_calls": entries}, ensure_ascii=False)
        return cls(text=f"{lead}\n{payload}" if lead else payload)

    @classmethod
    def structured(cls, value: Any) -> Self:
        """A reply that is exactly one JSON value (structured output, JSON mode).

        Args:
            value: Anything ``json.dumps`` takes, or an object with a ``model_dump()`` method
                (a pydantic model), which is dumped in JSON mode first.

        Returns:
            The scripted reply, the value as compact JSON text (non-ASCII kept as is).
        """
        dump = getattr(value, "model_dump", None)
        if callable(dump):
            value = dump(mode="json")
        return cls(text=json.dumps(value, ensure_ascii=False))


def tool_call_entries(
    calls: tuple[str | tuple[str, Mapping[str, Any]] | Mapping[str, Any], ...],
) -> tuple[str, list[dict[str, Any]]]:
    """Split ``ScriptedReply.tool_calls`` arguments into the leading prose and protocol entries.

    Raises:
        ValueError: no call, or a call without a name.
        TypeError: a call of another kind, or arguments that are not a mapping.
    """
    items = list(calls)
    first = items[0] if items else None
    lead = first.strip() if isinstance(first, str) else ""
    if isinstance(first, str):
        items.pop(0)
    if not items:
        raise ValueError("ScriptedReply.tool_calls needs at least one call")
    entries: list[dict[str, Any]] = []
    for index, call in enumerate(items):
        name: Any
        arguments: Any
        if isinstance(call, tuple) and len(call) == 2:
            name, arguments = call
        elif isinstance(call, Mapping):
            name = call.get("name")
            arguments = call.get("arguments", call.get("args", {}))
        else:
            raise TypeError(
                f"call #{index} must be a (name, arguments) tuple or a mapping, not {call!r}"
            )
        if not isinstance(name, str) or not name:
            raise ValueError(f"call #{index} has no name")
        if not isinstance(arguments, Mapping):
            raise TypeError(f"the arguments of call #{index} ({name}) must be an object")
        entries.append({"name": name, "arguments": dict(arguments)})
    return lead, entries


@dataclass(frozen=True)
class BrainRequest:
    """What a pluggable brain (``OneMinAIEmulator(brain=...)``) is asked to answer."""

    model: str
    """The model id the request named."""
    prompt: str
    """``promptObject.prompt``."""
    history: tuple[tuple[str, str], ...]
    """Earlier ``(prompt, reply)`` turns of the server-side conversation, oldest first."""
    images: tuple[str, ...]
    """Attached image asset keys (``attachments.images``; ``imageList`` for legacy chat)."""
    files: tuple[str, ...]
    """Attached file uuids (``attachments.files``)."""
    stream: bool
    """Whether the client asked for an SSE stream (``?isStreaming=true``)."""


BrainReply: TypeAlias = str | Iterable[str] | Awaitable[str] | AsyncIterable[str]
"""What a brain may return: the text, chunks (each one an SSE ``content`` event), or either
one asynchronously."""

Brain: TypeAlias = Callable[[BrainRequest], BrainReply]
"""A chat brain: sync callables and sync iterables run in a worker thread, never on the
emulator's event loop."""


@dataclass
class Fault:
    """A misbehaviour applied to the next matching request(s); every field is optional.

    A fault is consumed by a matching request whether or not its kind applies to that
    response (an SSE fault on a JSON reply does nothing). Faults are checked before the key.
    """

    status: int | None = None
    """Answer with this status instead of serving the request."""
    body: dict[str, Any] | str | None = None
    """Body for ``status``: a dict is sent as JSON, a string as ``text/plain``; else a default."""
    retry_after: str | None = None
    """``Retry-After`` header value for ``status`` (implies status 429 when status is unset)."""
    latency: float = 0.0
    """Seconds to wait before the response starts (``times=None`` delays every request)."""
    reset_before_response: bool = False
    """Read the request, then close the connection without any HTTP response."""
    reset_after_chunks: int | None = None
    """Stream: close the connection after N content events (no chunked terminator)."""
    stall_after_chunks: int | None = None
    """Stream: after N content events stop sending for ``stall_seconds``, then go on."""
    stall_seconds: float = 30.0
    """Length of the stall; ``stop()`` cuts it short."""
    truncate_after_chunks: int | None = None
    """Stream: end the body cleanly after N content events (no result, no done)."""
    truncate_mid_event: bool = False
    """Stream: end the body in the middle of the next event's bytes (after N, else the result)."""
    error_event_after: int | None = None
    """Stream: after N content events emit ``event: error`` and end (wire.md#chat-stream)."""
    error_event_key: Literal["error", "message"] = "error"
    """Key of the error event's payload; both are reported (wire.md#error-event-key)."""
    error_event_message: str = "Emulated mid-stream error"
    """Text of the error event's payload."""
    duplicate_final_content: bool = False
    """Stream: a final ``content`` event repeating the text (wire.md#duplicated-final-content)."""
    omit_done: bool = False
    """Stream: close right after the ``result`` event."""
    crlf: bool = False
    """Stream: use CRLF line endings."""
    split_utf8: bool = False
    """Stream: write the body in pieces cut inside every multi-byte UTF-8 character."""
    write_size: int | None = None
    """Stream: write the body in pieces of exactly this many bytes (the last may be shorter)."""
    raw_text_stream: bool = False
    """Chat stream: the legacy bare UTF-8 text instead of SSE (wire.md#legacy-raw-text-stream)."""
    invalid_json: bool = False
    """A 200 whose JSON is cut short (stream: the ``result`` event's data)."""
    failed_record: bool = False
    """A 200 whose ``aiRecord.status`` is ``FAILED`` (wire.md#errors)."""
    failed_message: str = "Emulated generation failure"
    """``aiRecordDetail.errorMessage`` of the failed record."""

    @property
    def answers_status(self) -> int | None:
        """The status this fault answers with, if it replaces the response."""
        if self.status is not None:
            return self.status
        if self.retry_after is not None:
            return 429
        return None


@dataclass
class EmulatorSettings:
    """Runtime knobs, read per request: one per open question of ``docs/wire.md``.

    Each knob produces the variants the public sources leave open, so a client can be tested
    against all of them; the default is the variant the sources make likeliest. The question
    each one answers is named in its docstring (``wire.md#<anchor>``).
    """

    accept_bearer: bool = False
    """Also accept ``Authorization: Bearer <key>`` (wire.md#is-bearer-auth-accepted)."""
    models_require_key: bool = False
    """Make ``GET /models`` check the key like ``/api/*`` (wire.md#is-the-model-catalog-public)."""
    strict_extra_fields: bool = False
    """Reject unknown top-level / ``promptObject`` keys (wire.md#unknown-fields)."""
    legacy_chat: Literal["reject", "serve"] = "reject"
    """Legacy chat types on ``/api/features``: refused as the newest docs say, or served as
    before the deprecation (wire.md#legacy-chat)."""
    unknown_conversation: Literal["reject", "accept"] = "reject"
    """An unknown ``conversationId``: 404, or a fresh thread
    (wire.md#is-conversationid-required)."""
    image_urls_in_attachments: bool = False
    """Accept http(s) URLs in ``attachments.images``
    (wire.md#external-image-urls-in-attachments)."""
    feature_input_urls: Literal["documented", "any", "none"] = "documented"
    """http(s) URLs in a feature's asset inputs (``imageUrl``, ``videoUrl``…): accepted where a
    source shows one (the clipdrop extender, controlnet scribble, background remover, captions,
    video face swap, kling's ``image``), in every input (the newest docs page's "Absolute URL or
    asset key"), or nowhere (wire-features.md#endpoint-and-envelope)."""
    check_field_values: bool = False
    """Also refuse ``promptObject`` values outside a field's documented enum or range (the
    feature table's ``enum``/``minimum``/``maximum``); by default only required fields and JSON
    types are checked, since no source shows the API itself rejecting such values
    (wire-features.md#result-shape: providers' errors come back forwarded)."""
    asset_field_names: tuple[str, ...] = ("asset",)
    """Multipart field names accepted for uploads; add ``"file"`` as omi's fallback expects
    (wire.md#upload-field-name)."""
    audio_key_prefix: str = "audios"
    """Key prefix of audio assets: ``audios`` (docs examples) or ``documents`` (xiliourt's mp3
    uploads) (wire.md#audio-key-prefix)."""
    temporary_urls: bool = True
    """Set ``aiRecord.temporaryUrl`` on every media result (image, audio, video, 3D;
    wire.md#download-host, wire.md#tts-response-shape)."""
    transcript_shape: Literal["list", "string", "json"] = "list"
    """STT ``resultObject``: ``["t"]``, ``"t"`` or the string ``{"text": "t"}``
    (wire.md#transcript-shape)."""
    conversation_shape: Literal["webapp", "fixture"] = "webapp"
    """Shape of the undocumented list/get routes: the web app's (``conversationList``,
    ``messageList``; the backend is shared) or llm-1minai's test fixtures (``conversations``,
    ``conversation.messages``) (wire.md#conversation-routes-beyond-create)."""
    record_token_usage: bool = False
    """Put word counts in ``aiRecord.metadata`` as ``inputToken``/``outputToken``/``totalToken``
    (wire.md#token-counts-in-metadata)."""
    record_credit: bool = False
    """Put a placeholder ``aiRecord.credit`` number on records (wire.md#credits-in-records)."""
    sse_charset: str | None = None
    """``charset`` parameter of ``text/event-stream`` responses; ``None`` sends none. No source
    records the header; kokofix had to stop letting requests decode the stream ("Fix UTF-8
    handling in streaming responses", commit d815766), which a missing charset explains, so
    none is the default. Clients that decode ``text/*`` without a charset as ISO-8859-1
    (requests, thus llm-1minai) garble non-ASCII text then (wire.md#stream-parsing-rules)."""

    def update(self, values: dict[str, Any]) -> None:
        """Set several knobs from a JSON-like mapping (lists become tuples).

        Raises:
            KeyError: for a name that is not a knob.
        """
        names = {f.name for f in fields(self)}
        for name, value in values.items():
            if name not in names:
                raise KeyError(name)
            setattr(self, name, tuple(value) if isinstance(value, list) else value)
