r"""Streamed responses: SSE chat (reference §3.4) and the legacy raw-text stream (§4.3).

An SSE chat stream is, block by block, each block flushed on its own::

    event: content\\ndata: {"content":"<delta>"}\\n\\n      (one per delta)
    event: result\\ndata: {"aiRecord":{…}}\\n\\n
    event: done\\ndata: {"message":"Stream completed"}\\n\\n

The legacy stream is the bare UTF-8 text of the reply, chunk after chunk, ended by the close.

Stream faults (``Fault``) count *content events* (text chunks for the raw stream). A fault set
to fire after N events fires after the last one when the reply has fewer than N.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any, NoReturn

from aiohttp import web

from langchain_oneminai.emulator._envelope import dumps, truncated_json
from langchain_oneminai.emulator._types import Fault

if TYPE_CHECKING:
    from langchain_oneminai.emulator._envelope import Context

SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
"""Headers of an SSE stream (reference §19.3)."""

# [INF] No source records the legacy stream's content type; it was bare UTF-8 text (§4.3).
RAW_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}
"""Headers of the legacy raw-text stream."""

DONE_PAYLOAD = {"message": "Stream completed"}
"""``done`` event data (reference §3.4, §18.5)."""

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


def _fires(at: int | None, written: int, last: bool) -> bool:
    return at is not None and (written == at or (last and at > written))


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


async def send_stream(
    ctx: Context,
    headers: dict[str, str],
    content: list[bytes],
    tail: list[bytes],
    error_block: bytes | None,
) -> web.StreamResponse:
    """Send a 200 stream of ``content`` blocks then ``tail`` blocks, applying ``ctx.fault``.

    Args:
        ctx: The request.
        headers: Response headers.
        content: One block per content event (or raw text chunk).
        tail: Blocks after the content (duplicate final content, result, done).
        error_block: The ``event: error`` block, or ``None`` where errors cannot be framed.

    Returns:
        The finished response.
    """
    fault = ctx.fault or _NO_FAULT
    response = web.StreamResponse(status=200, headers=headers)
    try:
        await response.prepare(ctx.request)
        ctx.entry.status = 200
        sink = _Sink(response, fault)
        total = len(content)
        for written in range(total + 1):
            if written:
                await sink.write(content[written - 1])
            last = written == total
            if _fires(fault.reset_after_chunks, written, last):
                await sink.flush()
                drop_connection(ctx)
            if _fires(fault.stall_after_chunks, written, last):
                await sink.flush()
                await _stall(ctx, fault.stall_seconds)
            if error_block is not None and _fires(fault.error_event_after, written, last):
                await sink.write(error_block)
                return await _finish(response, sink)
            if _fires(fault.truncate_after_chunks, written, last) or (
                fault.truncate_mid_event and fault.truncate_after_chunks is None and last
            ):
                if fault.truncate_mid_event:
                    following = content[written] if written < total else (tail or [b""])[0]
                    await sink.write(following[: len(following) // 2])
                return await _finish(response, sink)
        for block in tail:
            await sink.write(block)
        return await _finish(response, sink)
    except ConnectionError:
        # The client went away; there is nobody left to answer.
        drop_connection(ctx)


def _sse_block(event: str, data: bytes, newline: bytes) -> bytes:
    return b"event: " + event.encode() + newline + b"data: " + data + newline + newline


async def send_sse(ctx: Context, chunks: list[str], envelope: dict[str, Any]) -> web.StreamResponse:
    """Stream a chat reply as SSE: content deltas, ``result`` with ``envelope``, ``done``."""
    fault = ctx.fault or _NO_FAULT
    newline = b"\r\n" if fault.crlf else b"\n"
    content = [_sse_block("content", dumps({"content": chunk}), newline) for chunk in chunks]
    tail: list[bytes] = []
    if fault.duplicate_final_content and chunks:
        tail.append(_sse_block("content", dumps({"content": "".join(chunks)}), newline))
    result = truncated_json(envelope) if fault.invalid_json else dumps(envelope)
    tail.append(_sse_block("result", result, newline))
    if not fault.omit_done:
        tail.append(_sse_block("done", dumps(DONE_PAYLOAD), newline))
    error = _sse_block("error", dumps({fault.error_event_key: fault.error_event_message}), newline)
    return await send_stream(ctx, SSE_HEADERS, content, tail, error)


async def send_raw(ctx: Context, chunks: list[str]) -> web.StreamResponse:
    """Stream bare UTF-8 text chunks, the legacy ``isStreaming`` format (reference §4.3).

    There is no framing, so an ``error_event_after`` fault cannot be expressed and is ignored.
    """
    return await send_stream(ctx, RAW_HEADERS, [c.encode() for c in chunks], [], None)
