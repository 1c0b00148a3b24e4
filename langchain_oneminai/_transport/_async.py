"""The asynchronous shell: ``aiohttp`` moves the bytes, ``_core`` decides everything else.

Sessions (DESIGN rule 4): an ``aiohttp.ClientSession`` is bound to the loop it was made on,
so there is one per event loop, created lazily inside a coroutine. Each is paired with a
small async generator parked on that loop; when ``asyncio.run`` (or any runner) shuts the
loop down it closes async generators, and ours closes the session. That is why calling
``asyncio.run`` twenty times on one model neither leaks a session nor warns. A session the
user passes in is used as is and never closed.

As in the sync shell, redirects are never followed by the library and bodies are read raw
(``auto_decompress=False``) and decoded by the core. Two bounds ``aiohttp`` lacks are added
here: a write timeout (a large body that the server stops reading is abandoned after the
read timeout without progress, as a blocked ``send`` is in the sync shell) and the call's
total deadline (``Timeouts.total``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from langchain_oneminai._transport._core import (
    FailureKind,
    ModelIndex,
    Outcome,
    Send,
    TransportFailure,
    deadline_error,
    error_from_failure,
    log_response,
    retry_flow,
)
from langchain_oneminai._transport._http import (
    HttpResponse,
    PreparedRequest,
    RetryPolicy,
    body_decoder,
    fetch_refusal,
)

_READ_SIZE = 64 * 1024
"""Largest piece of a body read at once."""
_CONNECTION_LIMIT = 1000
"""Connections per session: aiohttp's default (100) would queue a burst of agents."""
_WRITE_IDLE = 1.0  # a marker for _pieces: "the write timeout applies"
_STREAMED_BODY = 1024 * 1024
"""Bodies larger than this are written piece by piece, under the write timeout; smaller
ones fit the socket buffers and are sent as they are."""


def classify_aiohttp_error(error: BaseException) -> TransportFailure:
    """Which kind of failure an ``aiohttp``/asyncio exception is (pure)."""
    detail = type(error).__name__
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return TransportFailure(FailureKind.CONNECT_TIMEOUT, detail)
    if isinstance(error, aiohttp.ClientConnectorError):
        return TransportFailure(FailureKind.CONNECT, detail)
    if isinstance(error, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
        return TransportFailure(FailureKind.READ_TIMEOUT, detail)
    return TransportFailure(FailureKind.DISCONNECTED, detail)


_AIOHTTP_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


class _Connector(aiohttp.TCPConnector):
    """A ``TCPConnector`` that can abort the connection of an abandoned upload.

    A body the server stopped reading stays in the transport's buffer, and asyncio closes
    such a transport only once the buffer is flushed — never — so it would outlive its
    loop (a ``ResourceWarning``). ``abort_stuck`` aborts those instead.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._transports: weakref.WeakSet[asyncio.Transport] = weakref.WeakSet()

    async def _create_connection(self, req: Any, traces: Any, timeout: Any) -> Any:
        protocol = await super()._create_connection(req, traces, timeout)
        transport = getattr(protocol, "transport", None)
        if transport is not None:  # kept here: aiohttp forgets it when it closes the protocol
            self._transports.add(transport)
        return protocol

    def abort_stuck(self) -> None:
        """Abort every transport that is closing but still holds unsent bytes."""
        for transport in list(self._transports):
            if transport.is_closing() and transport.get_write_buffer_size():
                transport.abort()


@dataclass(slots=True)
class _LoopSession:
    loop: weakref.ReferenceType[asyncio.AbstractEventLoop]
    session: aiohttp.ClientSession
    closer: AsyncGenerator[None, None]


async def _close_with_loop(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Parked on the session's loop; the loop's async-generator shutdown runs the ``finally``."""
    try:
        yield
    finally:
        if not session.closed:
            await session.close()
            await asyncio.sleep(0)  # let the transports finish closing before the loop does


class _Timer:
    """One ``asyncio.timeout`` scope whose deadline the body writer moves as it progresses."""

    def __init__(self) -> None:
        self.scope: asyncio.Timeout | None = None

    def set(self, seconds: float | None) -> None:
        if self.scope is None:
            return
        when = None if seconds is None else asyncio.get_running_loop().time() + seconds
        with contextlib.suppress(RuntimeError):  # the scope already ended: nothing to move
            self.scope.reschedule(when)

    @property
    def expired(self) -> bool:
        return self.scope is not None and self.scope.expired()


async def _pieces(body: bytes, progress: Callable[[float | None], None]) -> AsyncIterator[bytes]:
    """``body`` in pieces; each piece taken means the previous one was written."""
    view = memoryview(body)
    for start in range(0, len(view), _READ_SIZE):
        progress(_WRITE_IDLE)
        yield bytes(view[start : start + _READ_SIZE])
    progress(None)  # all written: waiting for the answer is the read timeout's business


async def _addresses(url: str) -> list[str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError:
        return []  # unresolvable: the connection attempt reports it
    return [str(info[4][0]) for info in infos]


class AsyncTransport:
    """Sends :class:`PreparedRequest` objects with ``aiohttp``."""

    def __init__(
        self,
        retry: RetryPolicy,
        *,
        session: aiohttp.ClientSession | None = None,
        model_index: ModelIndex = dict,
    ) -> None:
        self._retry = retry
        self._model_index = model_index
        self._user_session = session
        self._sessions: dict[int, _LoopSession] = {}
        self._lock = threading.Lock()

    @property
    def open_sessions(self) -> int:
        """How many sessions this transport created and has not closed (for tests, benchmarks)."""
        return sum(1 for entry in self._sessions.values() if not entry.session.closed)

    async def session(self) -> aiohttp.ClientSession:
        """The session for the running loop, created on first use."""
        if self._user_session is not None:
            return self._user_session
        loop = asyncio.get_running_loop()
        entry = self._sessions.get(id(loop))
        if entry is not None and entry.loop() is loop and not entry.session.closed:
            return entry.session
        session = aiohttp.ClientSession(
            connector=_Connector(limit=_CONNECTION_LIMIT),
            timeout=aiohttp.ClientTimeout(total=None),
            auto_decompress=False,
        )
        closer = _close_with_loop(session)
        with self._lock:
            self._forget_dead_loops()
            self._sessions[id(loop)] = _LoopSession(weakref.ref(loop), session, closer)
        await closer.__anext__()  # registers it with the loop's shutdown of async generators
        return session

    async def request(self, request: PreparedRequest) -> HttpResponse:
        """Send with retries; return the 2xx response with its body read (or open, for streams).

        Raises:
            OneMinAIError: the mapped error once retries are exhausted or not allowed.
        """
        flow = retry_flow(self._retry, request, model_index=self._model_index)
        try:
            command = next(flow)
            while True:
                if isinstance(command, Send):
                    outcome: Outcome | None = await self._send_once(command)
                else:
                    await asyncio.sleep(command.seconds)
                    outcome = None
                try:
                    command = flow.send(outcome)
                except StopIteration as done:
                    return done.value  # type: ignore[no-any-return]
        finally:
            flow.close()

    async def iter_bytes(
        self, request: PreparedRequest, response: HttpResponse
    ) -> AsyncGenerator[bytes, None]:
        """The decoded body of an open streaming response, as it arrives; always closes it."""
        handle: aiohttp.ClientResponse = response.handle
        try:
            async for piece in _decoded(request, response):
                yield piece
        except TimeoutError as error:
            if response.deadline is not None and time.monotonic() >= response.deadline:
                raise deadline_error(request) from None
            raise error_from_failure(request, classify_aiohttp_error(error)) from None
        except _AIOHTTP_ERRORS as error:
            raise error_from_failure(request, classify_aiohttp_error(error)) from None
        finally:
            handle.close()

    async def _send_once(self, command: Send) -> Outcome:
        request = command.request
        checked = request.fetch is not None and request.fetch.checks(request.url)
        if checked and (refusal := fetch_refusal(request, await _addresses(request.url))):
            raise refusal
        session = await self.session()
        started = time.perf_counter()
        writing = _Timer()
        try:
            async with asyncio.timeout_at(command.deadline):
                handle = await self._send(session, request, writing)
                log_response(request, handle.status, time.perf_counter() - started)
                response = HttpResponse(
                    handle.status, handle.headers, None, handle, command.deadline
                )
                if request.stream and response.ok:
                    return response
                try:
                    body = b"".join([piece async for piece in _decoded(request, response)])
                finally:
                    handle.close()
        except _AIOHTTP_ERRORS as error:
            failure = _failure(error, writing, command.deadline)
            log_response(request, failure.kind.value, time.perf_counter() - started)
            if isinstance(session.connector, _Connector):
                session.connector.abort_stuck()  # an abandoned upload must not linger
            return failure
        return HttpResponse(response.status, response.headers, body)

    async def _send(
        self, session: aiohttp.ClientSession, request: PreparedRequest, writing: _Timer
    ) -> aiohttp.ClientResponse:
        data: Any = request.body
        headers = dict(request.headers)
        async with asyncio.timeout(None) as scope:
            writing.scope = scope
            if data is not None and len(data) > _STREAMED_BODY:
                headers["Content-Length"] = str(len(data))  # not chunked: as the sync shell
                idle = request.timeouts.read
                data = _pieces(data, lambda wait: writing.set(idle if wait is not None else None))
            handle = await session.request(
                request.method,
                request.url,
                headers=headers,
                data=data,
                allow_redirects=False,
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=request.timeouts.connect,
                    sock_read=request.timeouts.read,
                ),
            )
            writing.set(None)
        return handle

    async def aclose(self) -> None:
        """Close the running loop's session (and forget sessions of loops already closed)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._sessions.pop(id(loop), None)
            self._forget_dead_loops()
        if entry is not None and entry.loop() is loop:
            await entry.closer.aclose()

    def _forget_dead_loops(self) -> None:
        for key, entry in list(self._sessions.items()):
            loop = entry.loop()
            if loop is None or loop.is_closed():
                del self._sessions[key]


def _failure(error: BaseException, writing: _Timer, deadline: float | None) -> TransportFailure:
    """Classify, telling our own two timers from aiohttp's."""
    if isinstance(error, TimeoutError):
        if deadline is not None and time.monotonic() >= deadline:
            return TransportFailure(FailureKind.DEADLINE, "deadline")
        if writing.expired:
            return TransportFailure(FailureKind.WRITE_TIMEOUT, "write timeout")
    return classify_aiohttp_error(error)


async def _decoded(request: PreparedRequest, response: HttpResponse) -> AsyncIterator[bytes]:
    """The body, decoded and bounded by the core; each read within the call's deadline."""
    decoder = body_decoder(request, response)
    content = response.handle.content
    while True:
        async with asyncio.timeout_at(response.deadline):
            raw = await content.read(_READ_SIZE)
        if not raw:
            break
        for piece in decoder.feed(raw):
            yield piece
        if decoder.full:
            return
    for piece in decoder.close():
        yield piece
