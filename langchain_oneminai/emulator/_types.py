"""The emulator's public value types and wire constants.

``FormPart``, ``RecordedRequest``, ``ScriptedReply``, ``Fault`` and ``EmulatorSettings`` are
re-exported by ``langchain_oneminai.emulator``; the constants are shared by the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

CHAT_FEATURE = "UNIFY_CHAT_WITH_AI"
"""The v2 chat feature type (reference §3)."""

LEGACY_CHAT_TYPES: tuple[str, ...] = (
    "CHAT_WITH_AI",
    "CHAT_WITH_IMAGE",
    "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
)
"""Chat types once served by ``POST /api/features`` (reference §4, §5)."""

FEATURE_TYPES: frozenset[str] = frozenset(
    [
        "UNIFY_CHAT_WITH_AI",
        "CHAT_WITH_AI",
        "CHAT_WITH_IMAGE",
        "CHAT_WITH_PDF",
        "CHAT_WITH_YOUTUBE_VIDEO",
        "AUDIO_TRANSLATOR",
        "SPEECH_TO_TEXT",
        "TEXT_TO_SOUND",
        "TEXT_TO_SPEECH",
        "MUSIC_GENERATOR",
        "VOICE_CHANGER",
        "VOICE_CLONING",
        "VOICE_DESIGN",
        "VOICE_ISOLATOR",
        "CODE_GENERATOR",
        "IMAGE_3D_GENERATOR",
        "BACKGROUND_REMOVER",
        "BACKGROUND_REPLACER",
        "FACE_SWAPPER",
        "IMAGE_EXTENDER",
        "IMAGE_GENERATOR",
        "IMAGE_INPAINTER",
        "IMAGE_EDITOR",
        "IMAGE_TO_PROMPT",
        "IMAGE_UPSCALER",
        "IMAGE_VARIATOR",
        "IMAGE_OBJECT_REMOVER",
        "SEARCH_AND_REPLACE",
        "SKETCH_TO_IMAGE",
        "TEXT_REMOVER",
        "CAPTIONS_GENERATOR",
        "IMAGE_TO_VIDEO",
        "TEXT_TO_VIDEO",
        "VIDEO_FACE_SWAPPER",
        "YOUTUBE_SUMMARIZER",
        "YOUTUBE_TRANSCRIBER",
        "YOUTUBE_TRANSLATOR",
        "CONTENT_EXPANDER",
        "CONTENT_SHORTENER",
        "CONTENT_TRANSLATOR",
        "PARAPHRASER",
        "SUMMARIZER",
        "GRAMMAR_CHECKER",
        "KEYWORD_RESEARCH",
        "REWRITER",
        "CONTENT_GENERATOR_BLOG_ARTICLE",
        "CONTENT_GENERATOR_INSTAGRAM_POST",
        "CONTENT_GENERATOR_FACEBOOK_POST",
        "CONTENT_GENERATOR_FACEBOOK_ADS",
        "CONTENT_GENERATOR_GOOGLE_ADS",
        "CONTENT_GENERATOR_TIKTOK_DESCRIPTION",
        "CONTENT_GENERATOR_X_TWEET",
        "CONTENT_GENERATOR_LINKEDIN_POST",
        "CONTENT_GENERATOR_EMAIL",
        "CONTENT_GENERATOR_EMAIL_REPLY",
        "CONTENT_GENERATOR_LINKEDIN_COMMENT",
        "CONTENT_GENERATOR_X_COMMENT",
        "CONTENT_GENERATOR_FACEBOOK_COMMENT",
        "CONTENT_GENERATOR_BRAND_VOICE",
        "PRESENTATION_GENERATOR",
        "DOCUMENT_TRANSLATOR",
    ]
)
"""Feature enum values of the live catalog (reference §8.2). As a ``conversationId`` they mean
"no history" (the legacy trick of reference §3.5)."""

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
    """The part's form field name (``asset`` for uploads, reference §6.1)."""
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
    """A reply queued for the next matching request (``script_chat`` / ``script_feature``)."""

    text: str | None = None
    """Reply text. For chat it becomes ``resultObject[0]`` and the streamed content."""
    chunks: list[str] | None = None
    """Exact SSE content deltas; ``text`` defaults to their concatenation."""
    result_object: Any = None
    """Exact ``aiRecordDetail.resultObject`` (features; for chat it overrides ``[text]``)."""
    record: dict[str, Any] | None = None
    """Fields merged (recursively) into the ``aiRecord``, e.g. ``metadata`` or ``credit``."""
    status: str = "SUCCESS"
    """``aiRecord.status``; anything else marks a failed record (reference §3.3, §16.1)."""
    error_message: str | None = None
    """``aiRecordDetail.errorMessage`` for a failed record."""

    def reply_text(self) -> str | None:
        """The full reply text: ``text``, else the joined ``chunks``, else ``None``."""
        if self.text is not None:
            return self.text
        if self.chunks is not None:
            return "".join(self.chunks)
        return None


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
    """Seconds to wait before the response starts (added to ``settings.latency``)."""
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
    """Stream: after N content events emit ``event: error`` and end (reference §3.4)."""
    error_event_key: Literal["error", "message"] = "error"
    """Key of the error event's payload; both are reported (reference §18.4)."""
    error_event_message: str = "Emulated mid-stream error"
    """Text of the error event's payload."""
    duplicate_final_content: bool = False
    """Stream: add a final ``content`` event repeating the whole text (reference §3.4 quirk)."""
    omit_done: bool = False
    """Stream: close right after the ``result`` event."""
    crlf: bool = False
    """Stream: use CRLF line endings."""
    split_utf8: bool = False
    """Stream: write the body in pieces cut inside every multi-byte UTF-8 character."""
    write_size: int | None = None
    """Stream: write the body in pieces of exactly this many bytes (the last may be shorter)."""
    raw_text_stream: bool = False
    """Chat stream: send the legacy bare UTF-8 text stream instead of SSE (reference §4.3)."""
    invalid_json: bool = False
    """A 200 whose JSON is cut short (stream: the ``result`` event's data)."""
    failed_record: bool = False
    """A 200 whose ``aiRecord.status`` is ``FAILED`` (reference §16.1)."""
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
    """Runtime knobs, read per request; each one covers an ambiguity of the reference (§18)."""

    latency: float = 0.0
    """Seconds added before every response (a fault's ``latency`` adds to it)."""
    stream_chunk_words: int = 1
    """Words (with their trailing whitespace) per streamed content event."""
    accept_bearer: bool = False
    """Also accept ``Authorization: Bearer <key>`` (reference §1, §18.1)."""
    models_require_key: bool = False
    """Make ``GET /models`` check the key like ``/api/*`` routes (reference §18.21)."""
    strict_extra_fields: bool = False
    """Reject unknown top-level / ``promptObject`` keys (reference §18.20)."""
    legacy_chat: Literal["reject", "serve"] = "reject"
    """Legacy chat types on ``/api/features``: rejected (docs (c)) or served (reference §4)."""
    unknown_conversation: Literal["reject", "accept"] = "reject"
    """An unknown ``conversationId``: 404, or accepted as a fresh thread (reference §19.3)."""
    image_urls_in_attachments: bool = False
    """Accept http(s) URLs in ``attachments.images`` (reference §18.9)."""
    asset_field_names: tuple[str, ...] = ("asset",)
    """Accepted multipart field names for uploads; add ``"file"`` for R-omi (§18.10)."""
    audio_key_prefix: str = "audios"
    """Key prefix of audio assets: ``audios`` (docs) or ``documents`` (R-xiliourt, §18.11)."""
    temporary_urls: bool = True
    """Set ``aiRecord.temporaryUrl`` on image and TTS results (reference §18.12)."""
    transcript_shape: Literal["list", "string", "json"] = "list"
    """STT ``resultObject``: ``["t"]``, ``"t"`` or the string ``{"text": "t"}`` (§18.14)."""
    conversation_shape: Literal["fixture", "webapp"] = "fixture"
    """Shape of the undocumented list/get routes: R-llm1minai fixture or web app (§7.2)."""
    record_token_usage: bool = False
    """Put word counts in ``aiRecord.metadata`` as ``inputToken``/``outputToken``/``totalToken``."""
    record_credit: bool = False
    """Put a placeholder ``aiRecord.credit`` number on records (reference §18.18)."""
    rejected_mime_types: tuple[str, ...] = ("text/markdown", "text/x-markdown")
    """Upload MIME types refused with "file type isn't supported" (reference §16.3)."""
    chat_types: tuple[str, ...] = (CHAT_FEATURE,)
    """``type`` values accepted by ``/api/chat-with-ai`` (reference §19.3)."""
    code_generator_stream: Literal["raw", "sse", "json"] = "raw"
    """``CODE_GENERATOR`` with ``?isStreaming=true``: raw text, SSE or plain JSON (§18.2)."""

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
