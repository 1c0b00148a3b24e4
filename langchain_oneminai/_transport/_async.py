"""The asynchronous shell: ``aiohttp`` moves the bytes, ``_core`` decides everything else.

Sessions (DESIGN rule 4): an ``aiohttp.ClientSession`` is bound to the loop it was made on,
so there is one per event loop, created lazily inside a coroutine. Each is paired with a
small async generator parked on that loop; when ``asyncio.run`` (or any runner) shuts the
loop down it closes async generators, and ours closes the session. That is why calling
``asyncio.run`` twenty times on one model neither leaks a session nor warns. A session the
user passes in is used as is and never closed.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

import aiohttp

from langchain_oneminai._transport._core import (
    FailureKind,
    HttpResponse,
    Outcome,
    PreparedRequest,
    RetryPolicy,
    Send,
    TransportFailure,
    error_from_failure,
    log_response,
    retry_flow,
)

_READ_SIZE = 64 * 1024
"""Largest piece of a streamed body handed to the decoder at once."""
_CONNECTION_LIMIT = 1000
"""Connections per session: aiohttp's default (100) would queue a burst of agents."""


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


class AsyncTransport:
    """Sends :class:`PreparedRequest` objects with ``aiohttp``."""

    def __init__(
        self,
        retry: RetryPolicy,
        *,
        session: aiohttp.ClientSession | None = None,
        known_models: Callable[[], list[str]] = list,
    ) -> None:
        self._retry = retry
        self._known_models = known_models
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
            connector=aiohttp.TCPConnector(limit=_CONNECTION_LIMIT),
            timeout=aiohttp.ClientTimeout(total=None),
            auto_decompress=True,
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
        flow = retry_flow(self._retry, request, known_models=self._known_models)
        command = next(flow)
        while True:
            if isinstance(command, Send):
                outcome: Outcome | None = await self._send_once(request)
            else:
                await asyncio.sleep(command.seconds)
                outcome = None
            try:
                command = flow.send(outcome)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    async def iter_bytes(
        self, request: PreparedRequest, response: HttpResponse
    ) -> AsyncGenerator[bytes, None]:
        """The body of an open streaming response, as it arrives; always closes it."""
        handle: aiohttp.ClientResponse = response.handle
        try:
            # At most _READ_SIZE bytes at a time, as soon as available: a 50 MB event must
            # not reach the decoder in one piece.
            async for chunk in handle.content.iter_chunked(_READ_SIZE):
                yield chunk
        except _AIOHTTP_ERRORS as error:
            raise error_from_failure(request, classify_aiohttp_error(error)) from None
        finally:
            handle.close()

    async def _send_once(self, request: PreparedRequest) -> Outcome:
        session = await self.session()
        started = time.perf_counter()
        try:
            handle = await session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=_form(request) or request.body,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=request.timeouts.connect,
                    sock_read=request.timeouts.read,
                ),
            )
            ok = 200 <= handle.status < 300
            body = None if (request.stream and ok) else await handle.read()
        except _AIOHTTP_ERRORS as error:
            failure = classify_aiohttp_error(error)
            log_response(request, failure.kind.value, time.perf_counter() - started)
            return failure
        log_response(request, handle.status, time.perf_counter() - started)
        if body is not None:
            handle.release()
            return HttpResponse(handle.status, handle.headers, body)
        return HttpResponse(handle.status, handle.headers, None, handle)

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


def _form(request: PreparedRequest) -> aiohttp.FormData | None:
    part = request.multipart
    if part is None:
        return None
    form = aiohttp.FormData()
    form.add_field(
        part.field_name, part.content, filename=part.filename, content_type=part.content_type
    )
    return form
