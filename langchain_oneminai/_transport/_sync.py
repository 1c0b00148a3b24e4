"""The synchronous shell: ``requests`` moves the bytes, ``_core`` decides everything else.

One ``requests.Session`` per transport (a pooled connection per host, sized for
``batch(max_concurrency=32)``); a session the user passed in is used and never closed.
``requests`` exceptions are classified here into :class:`TransportFailure` — that is the
only library knowledge in this file — and never reach the caller. Redirects are never
followed by ``requests`` itself (the core decides, hop by hop), and bodies are read raw
(``decode_content=False``) and decoded by the core's bounded ``BodyDecoder``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import exceptions as urllib3_exceptions

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

_POOL_SIZE = 64
"""Connections kept per host: enough for LangChain's default batch concurrency."""
_READ_SIZE = 64 * 1024
"""Largest raw read: never a whole 50 MB HTTP chunk at once."""


def classify_requests_error(error: requests.RequestException) -> TransportFailure:
    """Which kind of failure a ``requests`` exception is (pure)."""
    detail = type(error).__name__
    if isinstance(error, requests.ConnectTimeout):
        return TransportFailure(FailureKind.CONNECT_TIMEOUT, detail)
    if isinstance(error, requests.ReadTimeout):
        return TransportFailure(FailureKind.READ_TIMEOUT, detail)
    cause = error.args[0] if error.args else None
    reason = getattr(cause, "reason", cause)  # MaxRetryError wraps the real failure
    # requests wraps a read timeout met while iterating a body in ConnectionError.
    if isinstance(cause, urllib3_exceptions.ReadTimeoutError | TimeoutError):
        return TransportFailure(FailureKind.READ_TIMEOUT, detail)
    # NewConnectionError (refused, DNS) subclasses ConnectTimeoutError in urllib3 2: test it first.
    if isinstance(reason, urllib3_exceptions.NewConnectionError):
        return TransportFailure(FailureKind.CONNECT, detail)
    if isinstance(reason, urllib3_exceptions.ConnectTimeoutError):
        return TransportFailure(FailureKind.CONNECT_TIMEOUT, detail)
    # A send that blocked past the socket timeout: the server stopped reading the body.
    if isinstance(cause, urllib3_exceptions.ProtocolError) and _timed_out(cause):
        return TransportFailure(FailureKind.WRITE_TIMEOUT, detail)
    return TransportFailure(FailureKind.DISCONNECTED, detail)


def _timed_out(error: BaseException) -> bool:
    return any(isinstance(arg, TimeoutError | socket.timeout) for arg in error.args)


def classify_urllib3_error(error: Exception) -> TransportFailure:
    """Which kind of failure a ``urllib3`` exception met while reading a body is (pure)."""
    if isinstance(error, urllib3_exceptions.ReadTimeoutError | TimeoutError):
        return TransportFailure(FailureKind.READ_TIMEOUT, type(error).__name__)
    return TransportFailure(FailureKind.DISCONNECTED, type(error).__name__)


def _raw_reads(handle: requests.Response) -> Iterator[bytes]:
    """The undecoded body as it arrives, at most ``_READ_SIZE`` bytes at a time.

    ``read1`` returns whatever is available (so no added latency) but never a whole
    50 MB HTTP chunk at once; ``decode_content=False`` leaves gzip to the core's decoder,
    which bounds what it produces.
    """
    raw = handle.raw
    if not hasattr(raw, "read1"):  # urllib3 < 2
        yield from raw.stream(_READ_SIZE, decode_content=False)
        return
    while data := raw.read1(_READ_SIZE, decode_content=False):
        yield data


def _addresses(url: str) -> list[str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError:
        return []  # unresolvable: the connection attempt reports it
    return [str(info[4][0]) for info in infos]


class _Session(requests.Session):
    """A ``requests.Session`` that reads the environment's proxy and CA settings once per host.

    ``requests`` re-reads ``*_PROXY``/``NO_PROXY``/``REQUESTS_CA_BUNDLE`` for each request;
    on a loopback call that lookup costs more than the rest of the client. The result is
    the same as long as those variables do not change while the client lives.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[str, str], Any] = {}

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        if proxies or verify is not None or cert is not None or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        host = urlsplit(str(url))[:2]
        settings = self._environment.get(host)
        if settings is None:
            settings = super().merge_environment_settings(url, {}, None, None, None)
            self._environment[host] = settings
        return {**settings, "stream": self.stream if stream is None else stream}


class SyncTransport:
    """Sends :class:`PreparedRequest` objects with ``requests``."""

    def __init__(
        self,
        retry: RetryPolicy,
        *,
        session: requests.Session | None = None,
        model_index: ModelIndex = dict,
    ) -> None:
        self._retry = retry
        self._model_index = model_index
        self._own_session = session is None
        self._session = session
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """The session, created on first use."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    session = _Session()
                    adapter = HTTPAdapter(
                        pool_connections=4, pool_maxsize=_POOL_SIZE, max_retries=0
                    )
                    session.mount("http://", adapter)
                    session.mount("https://", adapter)
                    self._session = session
        return self._session

    def request(self, request: PreparedRequest) -> HttpResponse:
        """Send with retries; return the 2xx response with its body read (or open, for streams).

        Raises:
            OneMinAIError: the mapped error once retries are exhausted or not allowed.
        """
        flow = retry_flow(self._retry, request, model_index=self._model_index)
        with contextlib.closing(flow):
            command = next(flow)
            while True:
                if isinstance(command, Send):
                    outcome: Outcome | None = self._send_once(command)
                else:
                    time.sleep(command.seconds)
                    outcome = None
                try:
                    command = flow.send(outcome)
                except StopIteration as done:
                    return done.value  # type: ignore[no-any-return]

    def iter_bytes(
        self, request: PreparedRequest, response: HttpResponse
    ) -> Generator[bytes, None, None]:
        """The decoded body of an open streaming response, as it arrives; always closes it."""
        handle: requests.Response = response.handle
        try:
            yield from _decoded(request, response)
        except requests.RequestException as error:
            raise error_from_failure(request, classify_requests_error(error)) from None
        except (urllib3_exceptions.HTTPError, OSError) as error:
            raise error_from_failure(request, classify_urllib3_error(error)) from None
        finally:
            handle.close()

    def _send_once(self, command: Send) -> Outcome:
        request = command.request
        checked = request.fetch is not None and request.fetch.checks(request.url)
        if checked and (refusal := fetch_refusal(request, _addresses(request.url))):
            raise refusal
        started = time.perf_counter()
        try:
            handle = self.session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body,
                timeout=(request.timeouts.connect, request.timeouts.read),
                stream=True,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            failure = classify_requests_error(error)
            log_response(request, failure.kind.value, time.perf_counter() - started)
            return failure
        log_response(request, handle.status_code, time.perf_counter() - started)
        response = HttpResponse(handle.status_code, handle.headers, None, handle, command.deadline)
        if request.stream and response.ok:
            return response
        try:
            body = b"".join(_decoded(request, response))
        except requests.RequestException as error:
            return classify_requests_error(error)
        except (urllib3_exceptions.HTTPError, OSError) as error:
            return classify_urllib3_error(error)
        finally:
            handle.close()
        return HttpResponse(response.status, response.headers, body)

    def close(self) -> None:
        """Close the session if this transport created it."""
        if self._own_session and self._session is not None:
            self._session.close()
            self._session = None


def _decoded(request: PreparedRequest, response: HttpResponse) -> Iterator[bytes]:
    """The body, decoded and bounded by the core; the deadline checked after every read."""
    decoder = body_decoder(request, response)
    for raw in _raw_reads(response.handle):
        yield from decoder.feed(raw)
        if response.deadline is not None and time.monotonic() > response.deadline:
            raise deadline_error(request)
        if decoder.full:
            return
    yield from decoder.close()
