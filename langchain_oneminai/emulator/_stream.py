r"""Streamed responses: SSE chat (wire.md#chat-stream) and the legacy raw text stream.

An SSE chat stream is, block by block, each block flushed on its own::

    event: content\\ndata: {"content":"<delta>"}\\n\\n      (one per delta, as they come)
    event: result\\ndata: {"aiRecord":{…}}\\n\\n         (built once the text is complete)
    event: done\\ndata: {"message":"Stream completed"}\\n\\n

The legacy stream (wire.md#legacy-raw-text-stream) is the bare UTF-8 text of the reply, chunk
after chunk, ended by the close.

Deltas come from an async iterator, so a pluggable brain's chunks leave as it yields them; a
``StreamSourceError`` raised by the iterator (a failing brain) ends an SSE stream with an
``error`` event and a raw stream by closing the connection. Stream faults (``Fault``) count
*content events* (text chunks for the raw stream). A fault set to fire after N events fires
after the last one when the reply has fewer than N.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

from aiohttp import web

from langchain_oneminai.emulator._envelope import dumps, truncated_json
from langchain_oneminai.emulator._types import Fault

if TYPE_CHECKING:
    from langchain_oneminai.emulator._envelope import Context

# Guessed: no source records the legacy stream's content type; it was bare UTF-8 text.
RAW_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}
"""Headers of the legacy raw-text stream."""

DONE_PAYLOAD = {"message": "Stream completed"}
"""``done`` event data (wire.md#done-event-message)."""


def sse_headers(charset: str | None) -> dict[str, str]:
    """Headers of an SSE stream; the ``charset`` parameter only when one is configured."""
    content_type = (
        "text/event-stream" if charset is None else f"text/event-stream; charset={charset}"
    )
    return {"Content-Type": content_type, "Cache-Control": "no-cache"}


class StreamSourceError(Exception):
    """Raised by a stream's delta iterator when it cannot go on (the message is for the client)."""


_NO_FAULT = Fault()
_UTF8_LEAD = re.compile(rb"[\xc0-\xff]")


def drop_connection(ctx: Context) -> NoReturn:
    """Close the TCP connection now (after bytes already written) and abandon the response.

    The close is a normal FIN once the written bytes are out, so a client sees exactly what
    was sent and then an incomplete response. ``CancelledError`` is how an aiohttp handler
    tells the server that no response will follow.
    """
    transport = ctx.request.transport
    if transport is not None:
        transport.close()
    raise asyncio.CancelledError


class _Sink:
    """Writes stream bytes in the pieces the fault asks for, each written separately."""

    def __init__(self, response: web.StreamResponse, fault: Fault) -> None:
        self._response = response
        self._size = fault.write_size if fault.write_size and fault.write_size > 0 else None
        self._split = fault.split_utf8
        self._pending = bytearray()

    async def write(self, data: bytes) -> None:
        if self._size is None:
            await self._emit(data)
            return
        self._pending += data
        full = len(self._pending) - len(self._pending) % self._size
        if full:
            ready = bytes(self._pending[:full])
            del self._pending[:full]
            for start in range(0, full, self._size):
                await self._emit(ready[start : start + self._size])

    async def flush(self) -> None:
        if self._pending:
            data = bytes(self._pending)
            self._pending.clear()
            await self._emit(data)

    async def _emit(self, data: bytes) -> None:
        if not data:
            return
        if not self._split:
            await self._response.write(data)
            return
        # Cut right after the lead byte of every multi-byte character, and yield to the loop
        # between pieces so each one leaves in its own write (TCP_NODELAY is on).
        start = 0
        for match in _UTF8_LEAD.finditer(data):
            cut = match.start() + 1
            await self._response.write(data[start:cut])
            await asyncio.sleep(0)
            start = cut
        if start < len(data):
            await self._response.write(data[start:])


def _fires(at: int | None, written: int, *, end: bool) -> bool:
    """Whether a fault set for ``at`` events fires now.

    During the stream (``end`` false) it fires once exactly ``at`` events are out; when the
    deltas ran out first (``end`` true), it fires after the last one.
    """
    if at is None:
        return False
    return at > written if end else at == written


async def _stall(ctx: Context, seconds: float) -> None:
    try:
        await asyncio.wait_for(ctx.stopping.wait(), timeout=max(0.0, seconds))
    except TimeoutError:
        return
    drop_connection(ctx)  # the emulator is stopping: do not finish the stream


async def _finish(response: web.StreamResponse, sink: _Sink) -> web.StreamResponse:
    await sink.flush()
    await response.write_eof()
    return response


ErrorBlock = Callable[[str, str], bytes]
"""``(payload key, message) -> the bytes of an error event``."""


class _Stream:
    """One streamed response: deltas as they come, faults counted in content events."""

    def __init__(
        self,
        ctx: Context,
        response: web.StreamResponse,
        content: AsyncIterator[bytes],
        tail: Callable[[], list[bytes]],
        error_block: ErrorBlock | None,
    ) -> None:
        self.ctx = ctx
        self.fault = ctx.fault or _NO_FAULT
        self.response = response
        self.sink = _Sink(response, self.fault)
        self.content = content
        self.tail = tail
        self.error_block = error_block

    async def _following(self) -> bytes:
        """The next block (the next delta, else the first tail block), for a mid-event cut."""
        block = await anext(self.content, None)
        if block is not None:
            return block
        return (self.tail() or [b""])[0]

    async def _faults(self, written: int, *, end: bool) -> bool:
        """Apply the faults due after ``written`` events; True when the stream is over."""
        fault = self.fault
        if _fires(fault.reset_after_chunks, written, end=end):
            await self.sink.flush()
            drop_connection(self.ctx)
        if _fires(fault.stall_after_chunks, written, end=end):
            await self.sink.flush()
            await _stall(self.ctx, fault.stall_seconds)
        if self.error_block is not None and _fires(fault.error_event_after, written, end=end):
            await self.sink.write(
                self.error_block(fault.error_event_key, fault.error_event_message)
            )
            return True
        cut_at_end = end and fault.truncate_mid_event and fault.truncate_after_chunks is None
        if _fires(fault.truncate_after_chunks, written, end=end) or cut_at_end:
            if fault.truncate_mid_event:
                following = await self._following()
                await self.sink.write(following[: len(following) // 2])
            return True
        return False

    async def run(self) -> web.StreamResponse:
        written = 0
        if await self._faults(written, end=False):
            return await _finish(self.response, self.sink)
        try:
            async for block in self.content:
                await self.sink.write(block)
                written += 1
                if await self._faults(written, end=False):
                    return await _finish(self.response, self.sink)
        except StreamSourceError as error:
            if self.error_block is None:  # a raw text stream cannot say what went wrong
                await self.sink.flush()
                drop_connection(self.ctx)
            await self.sink.write(self.error_block("error", str(error)))
            return await _finish(self.response, self.sink)
        if await self._faults(written, end=True):
            return await _finish(self.response, self.sink)
        for block in self.tail():
            await self.sink.write(block)
        return await _finish(self.response, self.sink)


async def send_stream(
    ctx: Context,
    headers: dict[str, str],
    content: AsyncIterator[bytes],
    tail: Callable[[], list[bytes]],
    error_block: ErrorBlock | None,
) -> web.StreamResponse:
    """Send a 200 stream of ``content`` blocks then ``tail()``'s blocks, applying ``ctx.fault``.

    Args:
        ctx: The request.
        headers: Response headers.
        content: One block per content event (or raw text chunk), produced as they come.
        tail: Called once the content ran out: the blocks after it (duplicate final content,
            result, done).
        error_block: Builds an ``event: error`` block; ``None`` where errors cannot be framed.

    Returns:
        The finished response.
    """
    response = web.StreamResponse(status=200, headers=headers)
    try:
        await response.prepare(ctx.request)
        ctx.entry.status = 200
        return await _Stream(ctx, response, content, tail, error_block).run()
    except ConnectionError:
        # The client went away; there is nobody left to answer.
        drop_connection(ctx)
    finally:
        aclose = getattr(content, "aclose", None)
        if aclose is not None:
            await aclose()


def _sse_block(event: str, data: bytes, newline: bytes) -> bytes:
    return b"event: " + event.encode() + newline + b"data: " + data + newline + newline


Chunks = Iterable[str] | AsyncIterator[str]
"""Stream deltas: known up front, or produced as the stream goes."""


async def _encoded(
    chunks: Chunks, encode: Callable[[str], bytes], seen: list[str]
) -> AsyncIterator[bytes]:
    """Each non-empty delta encoded as one block; ``seen`` collects the deltas sent."""
    if isinstance(chunks, AsyncIterator):
        try:
            async for chunk in chunks:
                if chunk:
                    seen.append(chunk)
                    yield encode(chunk)
        finally:
            # A stream cut short (a fault, a client gone) must stop its producer too.
            aclose = getattr(chunks, "aclose", None)
            if aclose is not None:
                await aclose()
        return
    for chunk in chunks:
        if chunk:
            seen.append(chunk)
            yield encode(chunk)


async def send_sse(
    ctx: Context,
    chunks: Chunks,
    envelope: dict[str, Any] | Callable[[str], dict[str, Any]],
) -> web.StreamResponse:
    """Stream a chat reply as SSE: content deltas, ``result`` with ``envelope``, ``done``.

    Args:
        ctx: The request.
        chunks: The deltas.
        envelope: The ``result`` event's data, or a function of the whole text that builds it
            once the deltas ran out (a brain's record is known only then).

    Returns:
        The finished response.
    """
    fault = ctx.fault or _NO_FAULT
    newline = b"\r\n" if fault.crlf else b"\n"
    seen: list[str] = []

    def content_block(chunk: str) -> bytes:
        return _sse_block("content", dumps({"content": chunk}), newline)

    def tail() -> list[bytes]:
        text = "".join(seen)
        data = envelope(text) if callable(envelope) else envelope
        blocks: list[bytes] = []
        if fault.duplicate_final_content and seen:
            blocks.append(content_block(text))
        result = truncated_json(data) if fault.invalid_json else dumps(data)
        blocks.append(_sse_block("result", result, newline))
        if not fault.omit_done:
            blocks.append(_sse_block("done", dumps(DONE_PAYLOAD), newline))
        return blocks

    def error_block(key: str, message: str) -> bytes:
        return _sse_block("error", dumps({key: message}), newline)

    headers = sse_headers(ctx.settings.sse_charset)
    content = _encoded(chunks, content_block, seen)
    return await send_stream(ctx, headers, content, tail, error_block)


async def send_raw(
    ctx: Context, chunks: Chunks, finished: Callable[[str], object] | None = None
) -> web.StreamResponse:
    """Stream bare UTF-8 text chunks, the legacy ``isStreaming`` format.

    There is no framing, so an ``error_event_after`` fault cannot be expressed and is ignored.

    Args:
        ctx: The request.
        chunks: The deltas.
        finished: Called with the whole text once the deltas ran out.

    Returns:
        The finished response.
    """
    seen: list[str] = []

    def tail() -> list[bytes]:
        if finished is not None:
            finished("".join(seen))
        return []

    content = _encoded(chunks, str.encode, seen)
    return await send_stream(ctx, RAW_HEADERS, content, tail, None)
