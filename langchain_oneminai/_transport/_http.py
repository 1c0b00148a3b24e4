"""HTTP requests and responses as values, and the pure builders that make them.

``TransportConfig`` (what the user configured) + a route or a URL -> ``PreparedRequest``
(headers, encoded body, timeouts, size limit, where it may go), built and checked here
before any socket is opened; ``HttpResponse`` is what a shell saw come back, and
``body_decoder`` says how its bytes are decoded and bounded::

    build_request()           API calls: key checked (never quoted), one JSON encoding,
                              the multipart upload encoded (``_body``), no redirects
    build_download_request()  files: the key only for the API's own host, redirects and
                              address checks by ``FetchPolicy``
    redirected()              a download's next hop, without the key
    body_decoder()            gzip/deflate undone and the size bounded (``_body``)
    decode_json_body()        a successful answer's JSON, or a typed error
"""

from __future__ import annotations

import json
import math
import re
import threading
import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from pydantic import SecretStr

from langchain_oneminai._transport._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_ERROR_BODY_BYTES,
    BodyDecoder,
    MultipartFile,
    encode_multipart,
)
from langchain_oneminai._transport._urls import (
    address_refusal,
    display_url,
    host_of,
    is_cleartext_to_remote,
    redirect_target,
    refuse,
)
from langchain_oneminai._version import USER_AGENT
from langchain_oneminai.errors import (
    InvalidInputError,
    MissingAPIKeyError,
    OneMinAIInsecureTransportWarning,
    ResponseError,
    URLNotAllowedError,
    header_value,
)

DEFAULT_BASE_URL = "https://api.1min.ai"
"""The developer API (wire.md#base-url-and-authentication)."""
DEFAULT_ASSET_BASE_URL = "https://asset.1min.ai"
"""Where result keys download from without a ``temporaryUrl`` (wire.md#asset-downloads)."""
DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to establish a connection."""
DEFAULT_READ_TIMEOUT = 120.0
"""Seconds of silence tolerated while waiting for (more) bytes: an idle timeout, not a total."""
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt."""
MAX_RETRIES_LIMIT = 10
"""The most retries a client may be configured with (each may be a billed call)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Explicit timeouts.

    ``connect`` and ``read`` bound waiting: a long generation may take minutes as long as
    bytes keep arriving (or the server is still computing). ``total``, when set, is a hard
    deadline for the whole call — every attempt, every byte of the answer — for when a
    server drips a byte at a time and no idle timeout fires.
    """

    connect: float = DEFAULT_CONNECT_TIMEOUT
    """Seconds to establish the TCP connection."""
    read: float = DEFAULT_READ_TIMEOUT
    """Seconds the server may stay silent (before the first byte, between chunks), and the
    longest it may refuse to take more of the request body."""
    total: float | None = None
    """Seconds the whole call may take, retries and the whole answer included (``None``: no
    deadline)."""

    def __post_init__(self) -> None:
        for name in ("connect", "read", "total"):
            value = getattr(self, name)
            if name == "total" and value is None:
                continue
            _check_seconds(f"timeout {name}", value)


def _check_seconds(what: str, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInputError(
            f"{what} must be a positive, finite number of seconds; got {value!r}. "
            "(There is no 'no timeout': pass a large number, e.g. 3600.)"
        )


TimeoutSpec = float | int | tuple[float, float] | Timeouts | None
"""What users may pass as ``timeout``: seconds (read; connect keeps its default), a
``(connect, read)`` pair as ``requests`` takes, or :class:`Timeouts` (with ``total``)."""


def resolve_timeouts(spec: TimeoutSpec, default: Timeouts | None = None) -> Timeouts:
    """Normalise a ``timeout`` argument; ``None`` means the default.

    Raises:
        InvalidInputError: zero, negative, infinite or non-numeric seconds.
    """
    base = default or Timeouts()
    if spec is None:
        return base
    if isinstance(spec, Timeouts):
        return spec
    if isinstance(spec, tuple):
        if len(spec) != 2:
            raise InvalidInputError(
                f"timeout must be seconds, a (connect, read) pair or Timeouts; got {spec!r}."
            )
        connect, read = spec
        _check_seconds("timeout connect", connect)
        _check_seconds("timeout read", read)
        return Timeouts(connect=float(connect), read=float(read), total=base.total)
    _check_seconds("timeout", spec)
    return Timeouts(
        connect=min(base.connect, float(spec)),
        read=float(spec),
        total=base.total,
    )


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

    def __post_init__(self) -> None:
        check_max_retries(self.max_retries)

    def backoff(self, attempt: int, jitter: float) -> float:
        """Exponential backoff for ``attempt`` (0-based), shortened by up to 25 % of jitter."""
        delay: float = min(self.initial_delay * float(2**attempt), self.max_delay)
        return delay * (1 - 0.25 * jitter)


def check_max_retries(value: object) -> int:
    """``value`` once it is a usable retry count.

    Raises:
        InvalidInputError: not a whole number from 0 to ``MAX_RETRIES_LIMIT``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES_LIMIT:
        raise InvalidInputError(
            f"max_retries must be a whole number from 0 to {MAX_RETRIES_LIMIT}; got {value!r}."
        )
    return value


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How a download may travel: redirects and the addresses it may reach."""

    granted_hosts: frozenset[str]
    """Hosts the user configured (API, assets): fetched without an address check."""
    allow_private: bool = False
    """The user's opt-in to loopback/private/link-local addresses on any host."""

    def checks(self, url: str) -> bool:
        """Whether ``url``'s host must be resolved and checked before it is fetched."""
        return not self.allow_private and host_of(url) not in self.granted_hosts


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
    """The encoded body (JSON, or a multipart upload), if any."""
    stream: bool = False
    """Whether the body is consumed incrementally (SSE)."""
    timeouts: Timeouts = field(default_factory=Timeouts)
    """Connect, read and total timeouts."""
    idempotent: bool = False
    """Whether replaying it cannot bill twice (GETs)."""
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Strings that must never appear in errors."""
    model: str | None = None
    """The model the request names, for error messages."""
    feature: str | None = None
    """The feature it runs (chat, ``IMAGE_GENERATOR``…), so suggestions name the right models."""
    max_body: int = DEFAULT_MAX_RESPONSE_BYTES
    """The most decoded bytes read from a successful answer (``ResponseTooLargeError`` past it)."""
    fetch: FetchPolicy | None = None
    """For downloads: redirects and address checks. ``None`` (API calls): no redirect."""

    def __repr__(self) -> str:  # headers hold the key; never show them
        return f"PreparedRequest({self.method} {self.path})"

    @property
    def what(self) -> str:
        """``METHOD /path``, for messages."""
        return f"{self.method} {self.path}"


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
    allow_private_urls: bool = False
    """Let fetched URLs (image URLs, tool inputs, redirects) reach internal addresses."""
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """Decoded size limit of API answers."""
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES
    """Decoded size limit of downloaded files."""

    def __repr__(self) -> str:
        key = "**********" if self.api_key else None
        return f"TransportConfig(base_url={display_url(self.base_url)!r}, api_key={key})"

    @property
    def granted_hosts(self) -> frozenset[str]:
        """The hosts the user configured: the API's and the assets'."""
        return frozenset({host_of(self.base_url), host_of(self.asset_base_url)})


def encode_json(body: Any) -> bytes:
    """The one JSON encoding both shells send (compact, UTF-8, non-ASCII kept).

    Raises:
        InvalidInputError: a string holds an unpaired surrogate (it has no UTF-8 form); the
            message names where.
    """
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"{surrogate_location(body) or 'The request'} contains an unpaired surrogate "
            "character (half of a UTF-16 pair, e.g. from a bad decode or a cut emoji); it "
            "cannot be sent as UTF-8. Clean the text, e.g. "
            "text.encode('utf-8', 'replace').decode()."
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_location(value: Any, path: str = "") -> str | None:
    """Where in a JSON value the first unpaired surrogate is, e.g. ``promptObject.prompt``."""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        if match is None:
            return None
        return f"{path or 'The value'} (character {match.start()})"
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = surrogate_location(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = surrogate_location(item, f"{path}[{index}]")
            if found:
                return found
    return None


_KEY_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def key_problem(key: str) -> str | None:
    """What is wrong with an API key, without ever quoting it (``None``: nothing).

    1min.ai keys are printable ASCII; surrounding whitespace is stripped before this check
    (a pasted key often ends in a newline), so what is left must be visible characters only.
    """
    if _KEY_CHARACTERS.fullmatch(key):
        return None
    position, char = next((i, c) for i, c in enumerate(key) if not _KEY_CHARACTERS.fullmatch(c))
    if char in "\r\n":
        kind = "a line break"
    elif char == "\0":
        kind = "a NUL character"
    elif char.isspace():
        kind = "a space or tab"
    elif ord(char) < 0x20 or ord(char) == 0x7F:
        kind = "a control character"
    else:
        kind = "a non-ASCII character"
    return (
        f"The API key contains {kind} at position {position + 1} of {len(key)}; 1min.ai keys "
        "are printable ASCII. Copy the key again from the 1min.ai app (API keys page) and "
        "check ONEMINAI_API_KEY (or the api_key argument). Nothing was sent."
    )


_warned_cleartext: set[str] = set()
_warned_lock = threading.Lock()


def _warn_cleartext_once(base_url: str) -> None:
    host = host_of(base_url)
    with _warned_lock:
        if host in _warned_cleartext:
            return
        _warned_cleartext.add(host)
    warnings.warn(
        f"The 1min.ai API key is sent over cleartext http:// to {host!r}, which is not this "
        "machine: anyone on the network path can read it. Use https://.",
        OneMinAIInsecureTransportWarning,
        stacklevel=4,
    )


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
    feature: str | None = None,
    require_key: bool = True,
    boundary: str | None = None,
) -> PreparedRequest:
    """Build an authenticated request to the API.

    ``require_key=False`` is for public routes (``GET /models``, wire.md#model-catalog): the
    key is sent when there is one, and its absence is no error.

    Raises:
        MissingAPIKeyError: no key is configured and the route needs one (nothing is sent).
        InvalidInputError: the key is malformed, or the body cannot be encoded.
    """
    key = config.api_key.get_secret_value() if config.api_key else ""
    if not key and require_key:
        raise MissingAPIKeyError(
            "No 1min.ai API key: set ONEMINAI_API_KEY (or ONE_MIN_API_KEY), or pass api_key=. "
            "To work offline, start the bundled emulator: `python -m langchain_oneminai.emulator`."
        )
    if key and (problem := key_problem(key)):
        raise InvalidInputError(problem)
    if key and is_cleartext_to_remote(config.base_url):
        _warn_cleartext_once(config.base_url)
    headers: dict[str, str] = {"User-Agent": USER_AGENT}
    headers.update(config.default_headers)
    headers["Accept"] = "text/event-stream" if stream else "application/json"
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    # API-KEY is the documented auth header (wire.md#base-url-and-authentication);
    # Authorization is never sent, so the key travels in exactly one place.
    if key:
        headers["API-KEY"] = key
    body = None
    if json_body is not None:
        headers["Content-Type"] = "application/json"
        body = encode_json(json_body)
    elif multipart is not None:
        body, headers["Content-Type"] = encode_multipart(multipart, boundary or uuid.uuid4().hex)
    url = config.base_url.rstrip("/") + path
    if query:
        url += "?" + urlencode(query)
    return PreparedRequest(
        method=method,
        url=url,
        path=path,
        headers=headers,
        body=body,
        stream=stream,
        timeouts=timeouts or config.timeouts,
        idempotent=method in ("GET", "HEAD"),
        secrets=(key,) if key else (),
        model=model,
        feature=feature,
        max_body=config.max_response_bytes,
    )


def build_download_request(
    config: TransportConfig, url: str, *, timeouts: Timeouts | None = None
) -> PreparedRequest:
    """A GET for a file URL (a result asset, or an input to upload).

    The key goes only to the API's own host: asset hosts and pre-signed S3 URLs must never
    see it, nor any host a redirect leads to.

    Raises:
        InvalidInputError: not an http(s) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(f"Not a downloadable http(s) URL: {display_url(url)[:120]!r}.")
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": ACCEPT_ENCODING}
    secrets: tuple[str, ...] = ()
    key = config.api_key.get_secret_value() if config.api_key else ""
    on_asset_host = url.startswith(config.asset_base_url.rstrip("/") + "/")
    if key and not on_asset_host and parts.netloc == urlsplit(config.base_url).netloc:
        if problem := key_problem(key):
            raise InvalidInputError(problem)
        headers["API-KEY"] = key
        secrets = (key,)
    return PreparedRequest(
        method="GET",
        url=url,
        path=parts.path or "/",
        headers=headers,
        timeouts=timeouts or config.timeouts,
        idempotent=True,
        secrets=secrets,
        max_body=config.max_download_bytes,
        fetch=FetchPolicy(config.granted_hosts, allow_private=config.allow_private_urls),
    )


def fetch_refusal(request: PreparedRequest, addresses: Sequence[str]) -> URLNotAllowedError | None:
    """The error refusing a download whose host resolved to ``addresses``, or ``None`` (pure)."""
    policy = request.fetch
    if policy is None:
        return None
    reason = address_refusal(
        request.url,
        addresses,
        granted_hosts=policy.granted_hosts,
        allow_private=policy.allow_private,
    )
    return refuse(request.url, reason) if reason else None


def redirected(request: PreparedRequest, location: str | None, hops: int) -> PreparedRequest:
    """The next hop of a download's redirect: a GET without the key (pure).

    Raises:
        URLNotAllowedError: too many hops, no Location, or a non-http(s) target.
    """
    target = redirect_target(request.url, location, hops)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "api-key"}
    parts = urlsplit(target)
    # Every hop is checked: a redirect must not reach an internal address the user did not
    # grant, even from a granted host.
    policy = request.fetch
    if policy is not None and host_of(target) != host_of(request.url):
        policy = replace(policy, granted_hosts=frozenset())
    return replace(request, url=target, path=parts.path or "/", headers=headers, fetch=policy)


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
    """The whole decoded body, when read."""
    handle: Any = field(default=None, repr=False, compare=False)
    """The shell's open response object, for streaming."""
    deadline: float | None = field(default=None, repr=False, compare=False)
    """The call's total deadline (``time.monotonic()`` seconds), for reading a stream."""

    @property
    def ok(self) -> bool:
        """2xx."""
        return 200 <= self.status < 300

    @property
    def is_redirect(self) -> bool:
        """A redirect status that carries a ``Location`` to follow."""
        return self.status in (301, 302, 303, 307, 308)


def body_decoder(request: PreparedRequest, response: HttpResponse) -> BodyDecoder:
    """How to decode and bound the body of ``response`` (pure).

    Successful answers are limited to ``request.max_body`` (a typed error past it); error
    bodies are read up to ``MAX_ERROR_BODY_BYTES`` and quietly cut.

    Raises:
        ResponseError: a ``Content-Encoding`` the client did not ask for.
    """
    coding = header_value(response.headers, "content-encoding")
    if response.ok:
        setting = "max_download_bytes" if request.fetch is not None else "max_response_bytes"
        return BodyDecoder(coding, request.max_body, what=request.what, setting=setting)
    return BodyDecoder(coding, MAX_ERROR_BODY_BYTES, what=request.what, truncate=True)


def decode_json_body(request: PreparedRequest, body: bytes) -> Any:
    """Parse a successful response body as JSON, or raise :class:`ResponseError`."""
    try:
        return json.loads(body)
    except RecursionError:
        raise ResponseError(
            f"1min.ai answered {request.what} with JSON nested too deeply to read; this is a "
            "server-side fault.",
            method=request.method,
            path=request.path,
        ) from None
    except ValueError:
        preview = body[:120].decode("utf-8", errors="replace")
        raise ResponseError(
            f"1min.ai answered {request.what} with a body that is not JSON "
            f"(it began {preview!r}). This is a server-side fault; try again.",
            method=request.method,
            path=request.path,
        ) from None
