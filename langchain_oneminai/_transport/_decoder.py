"""Incremental stream decoding: bytes -> UTF-8 text -> SSE events -> typed chat events.

Pure and push-based (``feed(bytes) -> events``, ``close() -> events``), so it survives a
network chunk boundary anywhere — inside a UTF-8 character, a CRLF pair, a field name or a
50 MB ``data:`` line — and both shells share it unchanged.

Two wire formats arrive here (wire.md#chat-stream and wire.md#legacy-raw-text-stream):

* SSE with named events: ``content`` ``{"content": "<delta>"}``, ``result``
  ``{"aiRecord": {...}}``, ``done`` ``{"message": ...}``, ``error`` ``{"error"|"message": ...}``.
  Unnamed (or ``message``) events count as ``content``; content data that is not JSON is
  raw text.
* The legacy raw-text stream: the bare UTF-8 reply, no framing, ended by closing.

:class:`ChatStreamParser` turns either into :class:`ContentDelta` / :class:`StreamResult` /
:class:`StreamDone` / :class:`StreamErrorEvent`, and applies two rules of wire.md#chat-stream:

* some models repeat the *whole* text as a final ``content`` event; a content event that
  starts with everything received so far is held back until the next event shows whether
  it was a repeat (dropped), a cumulative update (only its new suffix is emitted) or a
  genuine delta (emitted whole);
* the ``result`` record is the authority: if it holds more text than the deltas did, the
  missing tail is emitted before the result.

Nothing here keeps the accumulated reply: only its length and a running hash, so memory
stays flat however long the reply is.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langchain_oneminai._wire import (
    AIRecord,
    ChatStreamEvent,
    ContentDelta,
    StreamDone,
    StreamErrorEvent,
    StreamResult,
    clean_text,
    parse_record,
)
from langchain_oneminai.errors import ResponseError, StreamError

logger = logging.getLogger("langchain_oneminai")

_SSE_PREFIXES = ("event:", "data:", "id:", "retry:", ":")
_HASH_SLICE = 1 << 20
ELIDE_AFTER = 1 << 20
"""Characters beyond which a ``result`` event's reply text is not kept (the deltas carried it)."""
"""Characters hashed at a time when checking a (possibly huge) text against the stream."""


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched server-sent event."""

    event: str
    """The event name (``message`` when the block had no ``event:`` line)."""
    data: str
    """The ``data:`` lines joined with newlines."""
    elided: int = 0
    """How many over-long JSON strings were dropped from ``data`` (see ``SSEDecoder``)."""


class SSEDecoder:
    r"""Incremental UTF-8 + SSE decoder (WHATWG event-stream parsing).

    Lines end in LF, CRLF or CR; ``data:`` lines of one event join with ``\\n``; a single
    space after the colon is dropped; ``:`` lines are comments; a blank line dispatches.
    """

    __slots__ = (
        "_data",
        "_elide_after",
        "_elide_event",
        "_elided",
        "_elider",
        "_event",
        "_partial",
        "_partial_size",
        "_pending_cr",
        "_utf8",
    )

    def __init__(self, *, elide_event: str | None = None, elide_after: int = ELIDE_AFTER) -> None:
        """Create a decoder.

        Args:
            elide_event: An event whose data line, once longer than ``elide_after``
                characters, has every JSON string longer than that dropped as it streams
                in (kept as ``""``), so memory stays bounded. ``ChatStreamParser`` uses it
                for ``result``, whose record repeats the whole reply the deltas carried.
            elide_after: The threshold, in characters.
        """
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial: list[str] = []  # pieces of the current unfinished line (O(1) appends)
        self._partial_size = 0
        self._pending_cr = False  # a chunk ended in CR: the next may start with its LF
        self._event = ""
        self._data: list[str] = []
        self._elide_event = elide_event
        self._elide_after = elide_after
        self._elider: _LongStringElider | None = None
        self._elided = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode a network chunk; return the events it completed."""
        return self.feed_text(self._utf8.decode(chunk))

    def feed_text(self, text: str) -> list[SSEEvent]:
        """Feed already-decoded text."""
        if not text:
            return []
        if self._pending_cr:
            self._pending_cr = False
            text = text.removeprefix(
                "\n"
            )  # the LF of a CRLF split across chunks: already ended the line
        if text.endswith("\r"):
            self._pending_cr = True  # decide next time whether an LF follows
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if len(lines) == 1:
            self._grow_partial(text)
            return []
        if self._partial or self._elider:
            self._grow_partial(lines[0])
            lines[0] = self._take_partial()
        tail = lines.pop()
        if tail:
            self._grow_partial(tail)
        events: list[SSEEvent] = []
        for line in lines:
            self._line(line, events)
        return events

    def _grow_partial(self, text: str) -> None:
        if self._elider is not None:
            self._partial.append(self._elider.feed(text))
            return
        self._partial.append(text)
        self._partial_size += len(text)
        if (
            self._elide_event is not None
            and self._event == self._elide_event
            and self._partial_size > self._elide_after
        ):
            # A huge data line of the watched event: from here on, keep it without its
            # over-long strings (it is only ever a repeat of text already delivered).
            self._elider = _LongStringElider(self._elide_after)
            buffered = "".join(self._partial)
            self._partial = [self._elider.feed(buffered)]

    def _take_partial(self) -> str:
        line = "".join(self._partial)
        self._partial.clear()
        self._partial_size = 0
        if self._elider is not None:
            line += self._elider.flush()
            self._elided += self._elider.elided
            self._elider = None
        return line

    def close(self) -> list[SSEEvent]:
        """End of stream: flush the decoder and dispatch an event left without its blank line."""
        events: list[SSEEvent] = []
        rest = self._utf8.decode(b"", final=True)
        if rest:
            events += self.feed_text(rest)
        if self._partial or self._elider:
            self._line(self._take_partial(), events)
        self._dispatch(events)
        return events

    def _line(self, line: str, events: list[SSEEvent]) -> None:
        if not line:
            self._dispatch(events)
            return
        if line[0] == ":":
            return
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            if (
                self._elide_event is not None
                and self._event == self._elide_event
                and len(value) > self._elide_after
            ):
                # The same rule for a line that arrived whole: results must not depend on
                # how the network split the bytes.
                elider = _LongStringElider(self._elide_after)
                value = elider.feed(value) + elider.flush()
                self._elided += elider.elided
            self._data.append(value)
        elif name == "event":
            self._event = value
        # id and retry are not used by 1min.ai; unknown fields are ignored per the spec.

    def _dispatch(self, events: list[SSEEvent]) -> None:
        if self._data or self._event:
            events.append(SSEEvent(self._event or "message", "\n".join(self._data), self._elided))
        self._event = ""
        self._data = []
        self._elided = 0


_STRING_SPECIAL = re.compile(r'["\\]')


class _LongStringElider:
    """Streams JSON text through, replacing every string longer than ``limit`` with ``""``.

    Pure and incremental: ``feed`` returns what can be emitted now; only the current string
    (at most ``limit`` characters) is ever held.
    """

    __slots__ = ("_current", "_dropping", "_escape", "_in_string", "_limit", "_size", "elided")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._in_string = False
        self._escape = False
        self._dropping = False
        self._current: list[str] = []
        self._size = 0
        self.elided = 0
        """How many strings were dropped."""

    def feed(self, text: str) -> str:
        out: list[str] = []
        i, end = 0, len(text)
        while i < end:
            if not self._in_string:
                quote = text.find('"', i)
                if quote == -1:
                    out.append(text[i:])
                    break
                out.append(text[i : quote + 1])
                self._in_string, self._current, self._size, self._dropping = True, [], 0, False
                i = quote + 1
            elif self._escape:  # the character after a backslash is part of the string
                self._keep(text[i])
                self._escape = False
                i += 1
            else:
                special = _STRING_SPECIAL.search(text, i)
                stop = special.start() if special else end
                self._keep(text[i:stop])
                if special is None:
                    break
                if text[stop] == "\\":
                    self._keep("\\")
                    self._escape = True
                else:  # the closing quote
                    if self._dropping:
                        self.elided += 1
                    else:
                        out.extend(self._current)
                    out.append('"')
                    self._in_string, self._current, self._size = False, [], 0
                i = stop + 1
        return "".join(out)

    def flush(self) -> str:
        # A line that ends inside a string is not JSON: hand back what is held, unchanged.
        held = "" if self._dropping else "".join(self._current)
        self._current, self._size = [], 0
        return held

    def _keep(self, piece: str) -> None:
        if self._dropping or not piece:
            return
        self._current.append(piece)
        self._size += len(piece)
        if self._size > self._limit:
            self._dropping, self._current = True, []


class _RawTextDecoder:
    """The legacy stream: every decoded piece of text is a delta.

    Sources: wire.md#legacy-raw-text-stream.
    """

    __slots__ = ("_utf8",)

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, chunk: bytes) -> str:
        return self._utf8.decode(chunk)

    def close(self) -> str:
        return self._utf8.decode(b"", final=True)


class _Accumulated:
    """Length and running hash of the text emitted so far (not the text itself)."""

    __slots__ = ("_hash", "length")

    def __init__(self) -> None:
        self.length = 0
        self._hash = hashlib.sha1(usedforsecurity=False)

    def add(self, text: str) -> None:
        self.length += len(text)
        self._hash.update(text.encode("utf-8", "surrogatepass"))

    def is_prefix_of(self, text: str) -> bool:
        """Whether ``text`` starts with everything emitted so far."""
        if len(text) < self.length:
            return False
        head = hashlib.sha1(usedforsecurity=False)
        # Hash in slices: a 50 MB final text must not be copied and encoded in one piece.
        for start in range(0, self.length, _HASH_SLICE):
            end = min(start + _HASH_SLICE, self.length)
            head.update(text[start:end].encode("utf-8", "surrogatepass"))
        return head.digest() == self._hash.digest()


class ChatStreamParser:
    """Bytes of a chat stream in, typed chat events out (pure; see the module docstring).

    Args:
        content_type: The response's Content-Type. ``text/event-stream`` means SSE; anything
            else is sniffed from the first bytes (SSE field lines, or raw text).
    """

    def __init__(self, content_type: str | None = None) -> None:
        self._sse: SSEDecoder | None = None
        self._raw: _RawTextDecoder | None = None
        self._json: list[bytes] | None = None
        self._sniff: list[bytes] = []
        self._refusal: ResponseError | None = None
        try:
            mode = stream_mode(content_type)
        except ResponseError as refusal:
            # Raised by the first feed() or close(): the caller's loop has started by then,
            # so it closes the response as it does for every other failure.
            mode, self._refusal = "sniff", refusal
        if mode == "sse":
            self._sse = SSEDecoder(elide_event="result")
        elif mode == "json":
            self._json = []
        self._acc = _Accumulated()
        self._held: str | None = None  # a content event that may repeat the whole text
        self._surrogate = ""  # a high surrogate at the end of a delta, waiting for its pair
        self._saw_result = False
        self._saw_done = False
        self._saw_error = False
        self._after_result = 0  # bytes read after the result event
        self._failure: StreamError | None = None  # raised once the events before it are out

    @property
    def complete(self) -> bool:
        """Whether the stream reached its end marker (``result`` or ``done``; EOF for raw text)."""
        return self._saw_result or self._saw_done or self._raw is not None

    @property
    def finished(self) -> bool:
        """Whether nothing more is wanted: ``done`` arrived, or ``result`` and then a while.

        Once the record or ``done`` arrived the reply is over and the record is its authority:
        later events are ignored, and reading stops (``done`` usually follows ``result`` at
        once; a server that keeps sending after its result is not read without end).
        """
        return self._saw_done or self._saw_error or self._after_result > _AFTER_RESULT

    def feed(self, chunk: bytes) -> list[ChatStreamEvent]:
        """Decode a network chunk into chat events.

        Raises:
            StreamError: a broken ``result`` event arrived in an earlier chunk (the events
                decoded before it were returned first).
        """
        self._raise_failure()
        if self.finished:
            return []
        if self._saw_result:
            self._after_result += len(chunk)
        if self._sse is not None:
            return self._interpret_all(self._sse.feed(chunk))
        if self._raw is not None:
            return self._raw_content(self._raw.feed(chunk))
        if self._json is not None:
            self._json.append(chunk)
            return []
        self._sniff.append(chunk)
        head = b"".join(self._sniff).lstrip()
        if len(head) < 8 and b"\n" not in head:
            return []
        return self._choose_mode(b"".join(self._sniff))

    def close(self) -> list[ChatStreamEvent]:
        """End of stream: flush, resolve a held event, and check the stream was complete.

        Call :meth:`raise_if_failed` after delivering the returned events.

        Raises:
            StreamError: an SSE stream ended before its ``result`` or ``done`` event, or an
                earlier chunk held a broken ``result``.
        """
        self._raise_failure()
        events: list[ChatStreamEvent] = []
        if self._json is not None:
            return self._json_record(b"".join(self._json))
        if self._sse is None and self._raw is None:
            events += self._choose_mode(b"".join(self._sniff))
        if self._sse is not None and not self.finished:
            events += self._interpret_all(self._sse.close())
        elif self._raw is not None:
            events += self._raw_content(self._raw.close())
        events += self._release_held(authority=None)
        events += self._content_end()
        if self._failure is None and not self.complete and not self._saw_error:
            raise StreamError(
                "The 1min.ai stream ended before its result (the connection closed early); the "
                f"reply may be incomplete after {self._acc.length} characters. Try again.",
            )
        return events

    def _choose_mode(self, buffered: bytes) -> list[ChatStreamEvent]:
        self._sniff.clear()
        text_start = buffered.lstrip()[:8].decode("utf-8", errors="ignore")
        if not buffered or text_start.startswith(_SSE_PREFIXES):
            self._sse = SSEDecoder(elide_event="result")
            return self._interpret_all(self._sse.feed(buffered))
        self._raw = _RawTextDecoder()
        return self._raw_content(self._raw.feed(buffered))

    def _interpret_all(self, sse_events: list[SSEEvent]) -> list[ChatStreamEvent]:
        out: list[ChatStreamEvent] = []
        for sse_event in sse_events:
            if self._failure is not None:
                break
            try:
                self._interpret(sse_event, out)
            except StreamError as error:
                self._failure = error  # deliver what came before it first
        return out

    def raise_if_failed(self) -> None:
        """Raise the failure found while decoding, after its preceding events were delivered.

        Raises:
            StreamError: a ``result`` event that could not be read.
        """
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self._refusal is not None:
            raise self._refusal
        if self._failure is not None:
            raise self._failure

    def _interpret(self, sse: SSEEvent, out: list[ChatStreamEvent]) -> None:
        name = sse.event
        if self._saw_done or self._saw_error or (self._saw_result and name != "done"):
            logger.debug("Ignoring a 1min.ai %r event after the end of the reply", name)
            return
        if name in ("content", "message"):
            # OpenAI's terminator, skipped defensively (wire.md#stream-parsing-rules)
            if sse.data.strip() != "[DONE]":
                out += self._content(content_text(sse.data))
        elif name == "result":
            record = _record_from_data(sse.data)
            # A record without text (or whose huge text was elided) cannot arbitrate.
            authority = (record.text or None) if not sse.elided else None
            out += self._release_held(authority=authority)
            if authority is not None and len(authority) > self._acc.length:
                self._surrogate = ""  # the record holds the whole pair: the fill brings it
            out += self._content_end()
            out += self._fill_from_authority(authority or "")
            self._saw_result = True
            out.append(StreamResult(record, text_elided=bool(sse.elided)))
        elif name == "done":
            out += self._release_held(authority=None)
            out += self._content_end()
            self._saw_done = True
            out.append(StreamDone(_done_message(sse.data)))
        elif name == "error":
            out += self._release_held(authority=None)
            out += self._content_end()
            self._saw_error = True
            out.append(StreamErrorEvent(error_message(sse.data)))
        else:
            logger.debug("Ignoring unknown 1min.ai stream event %r", name)

    def _content(self, text: str) -> list[ChatStreamEvent]:
        text = self._paired(text)
        if not text:
            return []
        out = self._release_held(authority=None, followed_by_content=True)
        if self._acc.length and self._acc.is_prefix_of(text):
            # Maybe the whole text again (wire.md#duplicated-final-content): the next event says.
            self._held = text
            return out
        self._acc.add(text)
        out.append(ContentDelta(text))
        return out

    def _raw_content(self, text: str) -> list[ChatStreamEvent]:
        """Raw text as deltas, every piece of it.

        It has no final event that could repeat the reply, so a piece that happens to equal
        the text so far (``"ab"`` then ``"ab"``) is kept.
        """
        text = clean_text(text)
        if not text:
            return []
        self._acc.add(text)
        return [ContentDelta(text)]

    def _paired(self, text: str) -> str:
        """Text whose surrogate pairs are whole: JSON may split one across two events."""
        if self._surrogate:
            text, self._surrogate = self._surrogate + text, ""
        if text and "\ud800" <= text[-1] <= "\udbff":
            text, self._surrogate = text[:-1], text[-1]  # its low half may come next
        return clean_text(text)

    def _content_end(self) -> list[ChatStreamEvent]:
        """A high surrogate left at the end of the content: it will never be paired."""
        if not self._surrogate:
            return []
        self._surrogate = ""
        self._acc.add("\ufffd")
        return [ContentDelta("\ufffd")]

    def _json_record(self, body: bytes) -> list[ChatStreamEvent]:
        """A JSON answer to a streaming request: some servers send the record whole."""
        record = _record_from_data(body.decode("utf-8", errors="replace"))
        text = record.text
        self._saw_result = True
        events: list[ChatStreamEvent] = [ContentDelta(text)] if text else []
        return [*events, StreamResult(record)]

    def _release_held(
        self, *, authority: str | None, followed_by_content: bool = False
    ) -> list[ChatStreamEvent]:
        held, self._held = self._held, None
        if held is None:
            return []
        genuine = followed_by_content  # more deltas came: it was an ordinary delta
        if authority is not None and not genuine:
            # The record decides: does "everything so far + held" equal the final text?
            genuine = (
                len(authority) == self._acc.length + len(held)
                and authority.endswith(held)
                and (self._acc.is_prefix_of(authority))
            )
        emitted = held if genuine else held[self._acc.length :]
        if not emitted:
            return []
        self._acc.add(emitted)
        return [ContentDelta(emitted)]

    def _fill_from_authority(self, final_text: str) -> list[ChatStreamEvent]:
        if len(final_text) <= self._acc.length:
            return []
        if not self._acc.is_prefix_of(final_text):
            logger.debug(
                "1min.ai's result text differs from the streamed deltas; keeping the deltas"
            )
            return []
        missing = final_text[self._acc.length :]
        self._acc.add(missing)
        return [ContentDelta(missing)]


_AFTER_RESULT = 64 * 1024
"""Bytes read after the ``result`` event while waiting for ``done``; then reading stops."""


def stream_mode(content_type: str | None) -> str:
    """How a streaming answer is read, from its ``Content-Type`` (pure).

    ``text/event-stream``: SSE; JSON: one ``aiRecord`` (some servers answer a streaming
    request whole); ``text/plain`` or none: sniffed (SSE field lines, else the legacy
    raw-text stream, wire.md#legacy-chat).

    Raises:
        ResponseError: anything else, e.g. ``text/html`` from a captive portal or a proxy's
            login page: it must not become the assistant's reply.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "text/event-stream":
        return "sse"
    if media == "application/json" or media.endswith("+json"):
        return "json"
    if media in ("", "text/plain", "application/octet-stream"):
        return "sniff"
    raise ResponseError(
        f"1min.ai answered a streaming chat request with {media!r}, not an event stream "
        "(a captive portal, a proxy's login page or a wrong base_url?). Nothing of it was "
        "taken as the reply."
    )


def content_text(data: str) -> str:
    """The text of a ``content`` event's data.

    Reads ``{"content": ...}``, an OpenAI-style ``choices[0].delta.content``, a JSON string,
    or the raw data when it is not JSON.
    """
    stripped = data.strip()
    if not stripped or stripped[0] not in '{"':
        return data
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return data
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        content = value.get("content")
        if isinstance(content, str):
            return content
        choices = value.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
            delta = choices[0].get("delta") or {}
            if isinstance(delta, Mapping) and isinstance(delta.get("content"), str):
                return str(delta["content"])
    return ""


def error_message(data: str) -> str:
    """The message of an ``error`` event: ``error`` or ``message`` key, or the raw data.

    Sources: wire.md#error-event-key.
    """
    try:
        value: Any = json.loads(data)
    except (ValueError, RecursionError):
        return data.strip()[:500] or "unknown error"
    if isinstance(value, Mapping):
        for key in ("error", "message", "detail"):
            item = value.get(key)
            if isinstance(item, Mapping):
                item = item.get("message")
            if isinstance(item, str) and item.strip():
                return item.strip()[:500]
    return data.strip()[:500] or "unknown error"


def _done_message(data: str) -> str | None:
    try:
        value = json.loads(data) if data else None
    except (ValueError, RecursionError):
        return data[:200] or None
    if isinstance(value, Mapping) and isinstance(value.get("message"), str):
        return str(value["message"])
    return None


def _record_from_data(data: str) -> AIRecord:
    try:
        payload = json.loads(data)
    except RecursionError:
        raise StreamError(
            "1min.ai's stream sent a result nested too deeply to read; the reply text "
            "received so far is intact but its record is missing. Try again."
        ) from None
    except ValueError:
        raise StreamError(
            f"1min.ai's stream sent a result that is not JSON (it began {data[:80]!r}); the reply "
            "text received so far is intact but its record is missing. Try again."
        ) from None
    try:
        return parse_record(payload)
    except ResponseError as error:
        raise StreamError(str(error)) from None
