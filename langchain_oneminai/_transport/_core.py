"""Sans-I/O core of the transport: everything decidable without a socket.

The two shells (``_sync.py`` over ``requests``, ``_async.py`` over ``aiohttp``) only move
bytes. What to send, whether to retry and after how long, and which exception to raise
are decided here, once, by pure code:

    TransportConfig + route  --build_request()-->  PreparedRequest
    PreparedRequest          --retry_flow()----->  a generator the shells drive:
        yields Send / Sleep commands, receives Outcome (HttpResponse | TransportFailure),
        returns the successful response or raises the mapped OneMinAIError.

Retry policy (DESIGN rule 3): 1min.ai bills per call and has no idempotency key, so only
what provably did not run, or was refused, is retried — connection errors before the
request went out, 429, 502 and 503 — honouring ``Retry-After`` (seconds or HTTP date, up to
``max_retry_after``) and otherwise backing off exponentially with jitter. Reads of
idempotent GETs (downloads, listings) also retry 500 and 504.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import urlencode, urlsplit

from pydantic import SecretStr

from langchain_oneminai._version import USER_AGENT
from langchain_oneminai.errors import (
    APIConnectionError,
    APITimeoutError,
    MissingAPIKeyError,
    OneMinAIError,
    ResponseError,
    error_from_response,
    parse_retry_after,
)

logger = logging.getLogger("langchain_oneminai")

DEFAULT_BASE_URL = "https://api.1min.ai"
"""The developer API (reference §1)."""
DEFAULT_ASSET_BASE_URL = "https://asset.1min.ai"
"""Where result keys are downloaded from when no ``temporaryUrl`` is given (§9.1)."""
DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to establish a connection."""
DEFAULT_READ_TIMEOUT = 120.0
"""Seconds of silence tolerated while waiting for (more) bytes: an idle timeout, not a total."""
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Explicit timeouts.

    There is deliberately no total: a long generation may take minutes as long as bytes keep
    arriving (or the server is still computing the answer).
    """

    connect: float = DEFAULT_CONNECT_TIMEOUT
    """Seconds to establish the TCP connection."""
    read: float = DEFAULT_READ_TIMEOUT
    """Seconds the server may stay silent: before the first byte, and between stream chunks."""


TimeoutSpec = float | int | tuple[float, float] | Timeouts | None
"""What users may pass as ``timeout``: seconds (read; connect keeps its default), a
``(connect, read)`` pair as ``requests`` takes, or :class:`Timeouts`."""


def resolve_timeouts(spec: TimeoutSpec, default: Timeouts | None = None) -> Timeouts:
    """Normalise a ``timeout`` argument; ``None`` means the default."""
    base = default or Timeouts()
    if spec is None:
        return base
    if isinstance(spec, Timeouts):
        return spec
    if isinstance(spec, tuple):
        connect, read = spec
        return Timeouts(connect=float(connect), read=float(read))
    if isinstance(spec, bool) or not isinstance(spec, int | float) or spec <= 0:
        raise ValueError(
            f"timeout must be positive seconds, a (connect, read) pair or Timeouts; got {spec!r}"
        )
    return Timeouts(connect=min(base.connect, float(spec)), read=float(spec))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When to try again, and how long to wait first."""

    max_retries: int = DEFAULT_MAX_RETRIES
    """Retries after the first attempt (0 disables retrying)."""
    initial_delay: float = 0.5
    """Backoff before the first retry when the server gave no ``Retry-After``."""
    max_delay: float = 8.0
    """Cap of the exponential backoff."""
    max_retry_after: float = 60.0
    """Longest ``Retry-After`` worth waiting for; beyond it the error is raised at once."""
    retry_statuses: frozenset[int] = frozenset({429, 502, 503})
    """Statuses that mean "not run" or "refused" for a POST."""
    idempotent_retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    """Statuses worth retrying for a GET (nothing is billed twice)."""

    def backoff(self, attempt: int, jitter: float) -> float:
        """Exponential backoff for ``attempt`` (0-based), shortened by up to 25 % of jitter."""
        delay: float = min(self.initial_delay * float(2**attempt), self.max_delay)
        return delay * (1 - 0.25 * jitter)


class FailureKind(Enum):
    """How a request failed without an HTTP response."""

    CONNECT = "connect"
    """Could not connect (refused, DNS): the request provably did not go out."""
    CONNECT_TIMEOUT = "connect_timeout"
    """Connecting timed out: the request provably did not go out."""
    DISCONNECTED = "disconnected"
    """The connection dropped after the request was sent: it may have run."""
    READ_TIMEOUT = "read_timeout"
    """The server went silent for longer than the read timeout: it may be running."""


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """A failure without an HTTP response, as classified by a shell."""

    kind: FailureKind
    """What happened."""
    detail: str = ""
    """The library's description (no headers, no key)."""


@dataclass(frozen=True, slots=True)
class MultipartFile:
    """One file part of a ``multipart/form-data`` body."""

    field_name: str
    """The form field (``asset`` for uploads, §6.1)."""
    filename: str
    """A real file name with an extension: the server sniffs by extension (§6.1)."""
    content: bytes
    """The file's bytes."""
    content_type: str
    """The part's MIME type."""


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """A request ready to go out: everything the shells need, nothing they must decide."""

    method: str
    """HTTP method."""
    url: str
    """Absolute URL, query included."""
    path: str
    """Path for logs and errors (no host, no query)."""
    headers: Mapping[str, str]
    """Headers to send (they hold the key: never log them)."""
    body: bytes | None = None
    """Encoded JSON body, if any."""
    multipart: MultipartFile | None = None
    """A file upload, if any (the shell builds the multipart body)."""
    stream: bool = False
    """Whether the body is consumed incrementally (SSE)."""
    timeouts: Timeouts = field(default_factory=Timeouts)
    """Connect and read timeouts."""
    idempotent: bool = False
    """Whether replaying it cannot bill twice (GETs)."""
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Strings that must never appear in errors."""
    model: str | None = None
    """The model the request names, for error messages."""

    def __repr__(self) -> str:  # headers hold the key; never show them
        return f"PreparedRequest({self.method} {self.path})"


@dataclass(frozen=True, slots=True)
class TransportConfig:
    """Connection settings shared by both shells."""

    api_key: SecretStr | None
    """The 1min.ai API key (``None``: a MissingAPIKeyError at the first call)."""
    base_url: str = DEFAULT_BASE_URL
    """The developer API's base URL."""
    asset_base_url: str = DEFAULT_ASSET_BASE_URL
    """The download host for asset keys."""
    timeouts: Timeouts = field(default_factory=Timeouts)
    """Default timeouts."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Retry policy."""
    default_headers: tuple[tuple[str, str], ...] = ()
    """Extra headers sent with every API request (never with downloads from other hosts)."""

    def __repr__(self) -> str:
        key = "**********" if self.api_key else None
        return f"TransportConfig(base_url={self.base_url!r}, api_key={key})"


def encode_json(body: Any) -> bytes:
    """The one JSON encoding both shells send (compact, UTF-8, non-ASCII kept)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_request(
    config: TransportConfig,
    method: str,
    path: str,
    *,
    query: Mapping[str, str] | None = None,
    json_body: Any = None,
    multipart: MultipartFile | None = None,
    stream: bool = False,
    timeouts: Timeouts | None = None,
    model: str | None = None,
    require_key: bool = True,
) -> PreparedRequest:
    """Build an authenticated request to the API.

    ``require_key=False`` is for public routes (``GET /models``, §1): the key is sent when
    there is one, and its absence is no error.

    Raises:
        MissingAPIKeyError: no key is configured and the route needs one (nothing is sent).
    """
    key = config.api_key.get_secret_value() if config.api_key else ""
    if not key and require_key:
        raise MissingAPIKeyError(
            "No 1min.ai API key: set ONEMINAI_API_KEY (or ONE_MIN_API_KEY), or pass api_key=. "
            "To work offline, start the bundled emulator: `python -m langchain_oneminai.emulator`."
        )
    headers: dict[str, str] = {"User-Agent": USER_AGENT}
    headers.update(config.default_headers)
    headers["Accept"] = "text/event-stream" if stream else "application/json"
    # API-KEY is the documented auth header (§1); Authorization is never sent, so the key
    # travels in exactly one place.
    if key:
        headers["API-KEY"] = key
    body = None
    if json_body is not None:
        headers["Content-Type"] = "application/json"
        body = encode_json(json_body)
    url = config.base_url.rstrip("/") + path
    if query:
        url += "?" + urlencode(query)
    return PreparedRequest(
        method=method,
        url=url,
        path=path,
        headers=headers,
        body=body,
        multipart=multipart,
        stream=stream,
        timeouts=timeouts or config.timeouts,
        idempotent=method in ("GET", "HEAD"),
        secrets=(key,) if key else (),
        model=model,
    )


def build_download_request(
    config: TransportConfig, url: str, *, timeouts: Timeouts | None = None
) -> PreparedRequest:
    """A GET for an asset URL.

    The key goes only to the API's own host: asset hosts and pre-signed S3 URLs must never
    see it.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Not a downloadable URL: {url!r}")
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    secrets: tuple[str, ...] = ()
    key = config.api_key.get_secret_value() if config.api_key else ""
    on_asset_host = url.startswith(config.asset_base_url.rstrip("/") + "/")
    if key and not on_asset_host and parts.netloc == urlsplit(config.base_url).netloc:
        headers["API-KEY"] = key
        secrets = (key,)
    return PreparedRequest(
        method="GET",
        url=url,
        path=parts.path,
        headers=headers,
        timeouts=timeouts or config.timeouts,
        idempotent=True,
        secrets=secrets,
    )


# --------------------------------------------------------------------------------------
# The retry flow: a generator the shells drive
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """An HTTP response as a shell saw it.

    ``body`` is read for errors; for a successful stream it stays ``None`` and ``handle``
    holds the open response.
    """

    status: int
    """HTTP status."""
    headers: Mapping[str, str]
    """Response headers (case-insensitive in practice)."""
    body: bytes | None = None
    """The whole body, when read."""
    handle: Any = field(default=None, repr=False, compare=False)
    """The shell's open response object, for streaming."""

    @property
    def ok(self) -> bool:
        """2xx."""
        return 200 <= self.status < 300


Outcome = HttpResponse | TransportFailure


@dataclass(frozen=True, slots=True)
class Send:
    """Command: send the request once and report the outcome."""

    attempt: int
    """0 for the first try."""


@dataclass(frozen=True, slots=True)
class Sleep:
    """Command: wait before the next attempt."""

    seconds: float
    """How long."""


RetryFlow = Generator[Send | Sleep, Outcome | None, HttpResponse]


def retry_delay(
    policy: RetryPolicy, request: PreparedRequest, outcome: Outcome, attempt: int, jitter: float
) -> float | None:
    """Seconds to wait before retrying after ``outcome``, or ``None`` to give up (pure)."""
    if attempt >= policy.max_retries:
        return None
    if isinstance(outcome, TransportFailure):
        provably_unsent = outcome.kind in (FailureKind.CONNECT, FailureKind.CONNECT_TIMEOUT)
        replayable = request.idempotent and outcome.kind == FailureKind.DISCONNECTED
        return policy.backoff(attempt, jitter) if provably_unsent or replayable else None
    statuses = policy.idempotent_retry_statuses if request.idempotent else policy.retry_statuses
    if outcome.ok or outcome.status not in statuses:
        return None
    retry_after = parse_retry_after(_get_header(outcome.headers, "retry-after"))
    if retry_after is None:
        return policy.backoff(attempt, jitter)
    return retry_after if retry_after <= policy.max_retry_after else None


def retry_flow(
    policy: RetryPolicy,
    request: PreparedRequest,
    *,
    rand: Callable[[], float] = random.random,
    known_models: Callable[[], list[str]] = list,
) -> RetryFlow:
    """Drive one request through its attempts (pure; the shells do the I/O).

    Yields ``Send`` and ``Sleep`` commands; receives the outcome of each ``Send``; returns
    the successful response or raises the mapped :class:`OneMinAIError`.
    """
    attempt = 0
    while True:
        outcome = yield Send(attempt)
        assert outcome is not None, "the shell must send back an outcome"  # noqa: S101
        if isinstance(outcome, HttpResponse) and outcome.ok:
            return outcome
        delay = retry_delay(policy, request, outcome, attempt, rand())
        if delay is None:
            raise error_for_outcome(request, outcome, known_models=known_models())
        logger.info(
            "Retrying %s %s in %.2f s (attempt %d of %d) after %s",
            request.method,
            request.path,
            delay,
            attempt + 1,
            policy.max_retries,
            _describe(outcome),
        )
        yield Sleep(delay)
        attempt += 1


def _describe(outcome: Outcome) -> str:
    if isinstance(outcome, TransportFailure):
        return outcome.kind.value
    return f"HTTP {outcome.status}"


def error_for_outcome(
    request: PreparedRequest, outcome: Outcome, *, known_models: list[str] | None = None
) -> OneMinAIError:
    """The exception for a final failed outcome (pure)."""
    if isinstance(outcome, TransportFailure):
        return error_from_failure(request, outcome)
    return error_from_response(
        outcome.status,
        outcome.headers,
        outcome.body or b"",
        method=request.method,
        path=request.path,
        secrets=request.secrets,
        model=request.model,
        known_models=known_models or (),
    )


def error_from_failure(request: PreparedRequest, failure: TransportFailure) -> APIConnectionError:
    """The exception for a request that got no response."""
    where = f"{request.method} {request.path}"
    detail = f" ({failure.detail})" if failure.detail else ""
    if failure.kind == FailureKind.CONNECT_TIMEOUT:
        return APITimeoutError(
            f"Could not connect to 1min.ai within {request.timeouts.connect:g} s "
            f"({where}){detail}. "
            "Check the network or base_url, or raise the connect timeout.",
            method=request.method,
            path=request.path,
        )
    if failure.kind == FailureKind.READ_TIMEOUT:
        return APITimeoutError(
            f"1min.ai sent nothing for {request.timeouts.read:g} s ({where}). Long generations "
            "need a longer read timeout: pass timeout=(connect, read) or a bigger timeout=.",
            method=request.method,
            path=request.path,
        )
    if failure.kind == FailureKind.DISCONNECTED:
        return APIConnectionError(
            f"The connection to 1min.ai closed before the response was complete ({where}){detail}. "
            "The request may have run (and been billed), so it was not retried automatically.",
            method=request.method,
            path=request.path,
        )
    return APIConnectionError(
        f"Could not connect to 1min.ai ({where}){detail}. Check the network and base_url "
        "(ONEMINAI_BASE_URL).",
        method=request.method,
        path=request.path,
    )


def decode_json_body(request: PreparedRequest, body: bytes) -> Any:
    """Parse a successful response body as JSON, or raise :class:`ResponseError`."""
    try:
        return json.loads(body)
    except ValueError:
        preview = body[:120].decode("utf-8", errors="replace")
        raise ResponseError(
            f"1min.ai answered {request.method} {request.path} with a body that is not JSON "
            f"(it began {preview!r}). This is a server-side fault; try again.",
            method=request.method,
            path=request.path,
        ) from None


def _get_header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def log_response(request: PreparedRequest, status: int | str, elapsed: float) -> None:
    """The one DEBUG line per attempt: method, path, status, timing — never headers."""
    logger.debug("%s %s -> %s in %.1f ms", request.method, request.path, status, elapsed * 1000)
