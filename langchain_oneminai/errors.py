"""Every exception langchain-oneminai raises, and the one place that maps a response to one.

The tree::

    OneMinAIError                                   root: catch this to catch everything below
    ├── MissingAPIKeyError        [ModelAuthenticationError]  no key configured; nothing was sent
    ├── CreditBudgetExceededError                         max_credits used up; nothing was sent
    ├── InvalidInputError         [ValueError]                bad input, caught before sending
    │   ├── URLNotAllowedError                                a URL the client may not fetch
    │   └── UnknownArgumentError  [TypeError]                 a constructor argument that is not one
    ├── APIConnectionError        [ModelConnectionError]      no usable response (refused, reset)
    │   └── APITimeoutError       [ModelTimeoutError]         connect or read (idle) timeout
    ├── APIStatusError            [ModelError]                any other non-2xx answer
    │   ├── BadRequestError       [ModelInvalidRequestError]  400 / 409 / 422
    │   │   └── UnsupportedModelError                         400 errorCode UNSUPPORTED_MODEL
    │   ├── AuthenticationError   [ModelAuthenticationError]  401
    │   ├── InsufficientCreditsError [ModelError]             402, or a credits/quota message
    │   ├── PermissionDeniedError [ModelPermissionDeniedError] 403
    │   ├── NotFoundError         [ModelNotFoundError]        404
    │   ├── RateLimitError        [ModelRateLimitError]       429 (``retry_after``)
    │   ├── UnexpectedRedirectError                           3xx: never followed (``location``)
    │   └── ServerError           [ModelAPIError]             5xx
    └── ResponseError             [ModelAPIError]             a 2xx that cannot be used
        ├── GenerationFailedError                             ``aiRecord.status`` FAILED
        ├── ResponseTooLargeError                             past the size limit; reading stopped
        └── StreamError                                       an ``error`` event, or a cut stream

Leaves also subclass langchain-core's ``Model*Error`` classes (in brackets), so generic
LangChain code that catches those catches ours. Every error carries ``status_code``,
``error_code`` (the API's ``errorCode``), ``api_message`` (what the API said), ``body``,
``request_id``, ``method`` and ``path`` where known, and never the API key: messages are
built from status and body only, and any text that could echo the key is redacted.

Status codes and body shapes: wire.md#errors; the message-extraction order (``message`` →
``error`` → ``detail`` → raw text) is the one robust clients use. ``error_from_response`` is
one table (``_ERROR_RULES``): the first row whose condition holds makes the exception.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CreditBudgetExceededError",
    "GenerationFailedError",
    "InsufficientCreditsError",
    "InvalidInputError",
    "MissingAPIKeyError",
    "NotFoundError",
    "OneMinAIError",
    "OneMinAIInsecureTransportWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "URLNotAllowedError",
    "UnexpectedRedirectError",
    "UnknownArgumentError",
    "UnsupportedModelError",
]
"""The exceptions and the warning; the helpers below are the transport's, not public."""

_MAX_BODY_CHARS = 2000
"""How much of an error body an exception keeps (bodies can be whole HTML pages)."""

_CREDIT_PATTERNS = re.compile(
    r"insufficient[_ ]?(credit|quota|balance)|quota exceeded|not enough credit"
    r"|out of credit|billing",
    re.IGNORECASE,
)
"""Wordings that mean "out of credits" (wire.md#credits-and-usage: the real status/body is
unknown)."""


class OneMinAIError(Exception):
    """Base class of every langchain-oneminai error."""

    status_code: int | None = None
    """The HTTP status, when a response arrived."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        api_message: str | None = None,
        body: Any = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        """The full human-readable message (what happened and what to do)."""
        if status_code is not None:
            self.status_code = status_code
        self.error_code = error_code
        """The API's ``errorCode`` (e.g. ``UNSUPPORTED_MODEL``), when it sent one."""
        self.api_message = api_message
        """The API's own message, verbatim (redacted), when it sent one."""
        self.body = body
        """The parsed (or, if not JSON, textual) response body, truncated."""
        self.request_id = request_id
        """The ``x-request-id`` response header, when present."""
        self.method = method
        """The HTTP method of the failed request."""
        self.path = path
        """The path of the failed request (no host, no query)."""

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def redact(self, secrets: Iterable[str | None]) -> Self:
        """Remove every occurrence of ``secrets`` from this error's texts, in place.

        The client calls this on every error raised while reading a response, so a key
        that the server echoes back never reaches a message, a body or a log.
        """
        kept = [s for s in secrets if s]
        if kept:
            self.message = redact(self.message, kept)
            self.args = (self.message, *self.args[1:])
            if self.api_message is not None:
                self.api_message = redact(self.api_message, kept)
            self.body = _redact_value(self.body, kept)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not pickle by default; errors cross process
        # boundaries in batch/multiprocessing code, so keep them picklable.
        return (_rebuild_error, (type(self), self.message, dict(self.__dict__)))


def _rebuild_error(cls: type[OneMinAIError], message: str, state: dict[str, Any]) -> OneMinAIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class MissingAPIKeyError(OneMinAIError, ModelAuthenticationError):
    """No API key was configured; raised at the first call, before anything is sent."""


class InvalidInputError(OneMinAIError, ValueError):
    """The input cannot be sent as it is; raised before anything is sent."""


class APIConnectionError(OneMinAIError, ModelConnectionError):
    """No usable HTTP response arrived (connection refused, reset, DNS failure, ...)."""


class APITimeoutError(APIConnectionError, ModelTimeoutError):
    """A connect timeout, or the server went silent for longer than the read (idle) timeout."""


class APIStatusError(OneMinAIError, ModelError):
    """1min.ai answered with a non-2xx status not covered by a more specific class."""


class BadRequestError(APIStatusError, ModelInvalidRequestError):
    """1min.ai rejected the request as invalid (400, 409, 422)."""


class UnsupportedModelError(BadRequestError):
    """1min.ai does not serve this model for this feature (400 ``UNSUPPORTED_MODEL``)."""

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        suggestions: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.model = model
        """The rejected model id."""
        self.suggestions = list(suggestions)
        """Close model ids from the catalog, best first (may be empty)."""


class AuthenticationError(APIStatusError, ModelAuthenticationError):
    """1min.ai rejected the API key (401)."""


class InsufficientCreditsError(APIStatusError):
    """The account has not enough credits for this call (402, or a credits/quota message)."""


class PermissionDeniedError(APIStatusError, ModelPermissionDeniedError):
    """The key is valid but may not do this (403)."""


class NotFoundError(APIStatusError, ModelNotFoundError):
    """The path or resource does not exist (404).

    Typically an unknown conversation, or a route this account's API does not offer.
    """


class RateLimitError(APIStatusError, ModelRateLimitError):
    """Too many requests (429), after the client's own retries were used up."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (``Retry-After``), when it said."""


class ServerError(APIStatusError, ModelAPIError):
    """1min.ai failed on its side (5xx)."""


class ResponseError(OneMinAIError, ModelAPIError):
    """A 2xx response that cannot be used: not JSON, an unexpected shape, ..."""


class GenerationFailedError(ResponseError):
    """The API answered 200 but reported the generation as failed (``aiRecord.status``)."""

    is_retryable = False


class StreamError(ResponseError):
    """The stream reported an ``error`` event, or ended before its result."""


class ResponseTooLargeError(ResponseError):
    """A response (or a downloaded file) grew past the client's size limit; reading stopped."""


class UnexpectedRedirectError(APIStatusError):
    """The API answered with a redirect (3xx); API calls never follow one, so nothing was resent."""

    def __init__(self, message: str, *, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location = location
        """The ``Location`` the server pointed to (host and path; the query is dropped)."""


class URLNotAllowedError(InvalidInputError):
    """A URL the client was asked to fetch points where it may not go (nothing was fetched).

    A loopback, private or link-local address (e.g. a cloud metadata endpoint), a scheme
    other than http(s), or too many redirects. ``allow_private_urls=True`` lifts the address
    rule for hosts you trust.
    """


class CreditBudgetExceededError(OneMinAIError):
    """The client's ``max_credits`` is used up; the call was refused before sending."""

    def __init__(
        self, message: str, *, spent: float = 0.0, max_credits: float = 0.0, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.spent = spent
        """Credits 1min.ai reported for the client's calls."""
        self.max_credits = max_credits
        """The budget that was reached."""


class UnknownArgumentError(InvalidInputError, TypeError):
    """A constructor got an argument it does not have (a typo, usually); nothing was built."""

    @classmethod
    def for_names(cls, owner: str, unknown: Iterable[str], known: Iterable[str]) -> Self:
        """The error for ``owner(...)`` given ``unknown`` names, with the closest known ones."""
        names = sorted(unknown)
        candidates = sorted({k for k in known if not k.startswith("_")})
        hints, guessed = [], True
        for name in names:
            close = _SYNONYMS.get(name.lower())
            if close not in candidates:
                matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
                close = matches[0] if matches else None
            hints.append(f"{name!r} (did you mean {close!r}?)" if close else repr(name))
            guessed = guessed and close is not None
        plural = "arguments" if len(names) > 1 else "argument"
        listing = "" if guessed else f" Its arguments are: {', '.join(candidates)}."
        return cls(
            f"{owner} got an unknown {plural} {', '.join(hints)}; nothing was built.{listing}"
        )


_SYNONYMS = {
    "output_dir": "save_dir",
    "out_dir": "save_dir",
    "output_directory": "save_dir",
    "directory": "save_dir",
    "input_dir": "root_dir",
    "model_id": "model",
    "apikey": "api_key",
    "key": "api_key",
    "url": "base_url",
    "endpoint": "base_url",
    "retries": "max_retries",
}
"""Names people reach for that mean another argument (difflib alone misses them)."""


class OneMinAIInsecureTransportWarning(UserWarning):
    """The API key is about to travel over cleartext ``http://`` to a host that is not local."""


# --------------------------------------------------------------------------------------
# Pure mapping: response -> exception
# --------------------------------------------------------------------------------------

_MAX_MESSAGE_CHARS = 500
"""How much of the API's own message an exception keeps (a server may send megabytes)."""
_MAX_STRING_CHARS = 2000
"""How much of each string of an error body an exception keeps."""
_MAX_ITEMS = 50
"""How many items of each list or object of an error body an exception keeps."""
_MAX_DEPTH = 10
"""How deep into an error body an exception keeps its structure."""


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, case-insensitively, from any mapping (plain dicts included)."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    return next((item for key, item in headers.items() if key.lower() == lowered), None)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of each non-empty secret in ``text`` with ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _redact_value(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, Mapping):
        return {redact(str(k), secrets): _redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v, secrets) for v in value]
    return value


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounded_body(value: Any, depth: int = 0) -> Any:
    """An error body cut down to what an exception should carry (pure; never raises).

    Strings are cut at 2,000 characters, lists and objects at 50 items, nesting at depth 10:
    a hostile or broken server cannot make an exception hold megabytes.
    """
    if isinstance(value, str):
        return _shorten(value, _MAX_STRING_CHARS)
    if depth >= _MAX_DEPTH and isinstance(value, Mapping | list | tuple):
        return "…"
    if isinstance(value, Mapping):
        items = list(value.items())[:_MAX_ITEMS]
        return {_shorten(str(k), 200): bounded_body(v, depth + 1) for k, v in items}
    if isinstance(value, list | tuple):
        return [bounded_body(v, depth + 1) for v in value[:_MAX_ITEMS]]
    return value


def parse_error_body(raw: bytes | str) -> Any:
    """Decode an error body: JSON when it parses, else the text (both cut to a bounded size)."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return bounded_body(json.loads(text))
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        return text[:_MAX_STRING_CHARS]


def extract_api_message(body: Any) -> str | None:
    """The API's error message: ``message``, ``error`` (text or ``{message}``), ``detail``, text.

    At most 500 characters are kept.
    """
    message = _api_message(body)
    return _shorten(message, _MAX_MESSAGE_CHARS) if message else None


def _api_message(body: Any) -> str | None:
    if isinstance(body, Mapping):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, Mapping):
                nested = _api_message(value)
                if nested:
                    return nested
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                return "; ".join(value)  # NestJS validation pipes send a list of messages
            elif isinstance(value, str) and value.strip():
                return value.strip()
        return None
    if isinstance(body, str) and body.strip():
        return body.strip()
    return None


def _extract_error_code(body: Any) -> str | None:
    if isinstance(body, Mapping):
        code = body.get("errorCode") or body.get("code")
        if isinstance(code, str):
            return _shorten(code, 100)
        nested = body.get("error")
        if isinstance(nested, Mapping):
            return _extract_error_code(nested)
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns ``None`` when absent or unparseable; never negative.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    import time  # noqa: PLC0415
    from email.utils import parsedate_to_datetime  # noqa: PLC0415 - only on this rare path

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    reference = time.time() if now is None else now
    return max(0.0, moment.timestamp() - reference)


def _unsupported_model_of(message: str | None) -> str | None:
    # The API says "Model <id> is not supported" (wire.md#errors, R-JC's regex).
    match = re.search(r"Model\s+(\S+?)\s+is not supported", message or "")
    return match.group(1) if match else None


def suggest_models(model: str | None, known: Iterable[str], limit: int = 3) -> list[str]:
    """Model ids from ``known`` that look like ``model``, best first.

    Ids are compared whole and by their last segment, so ``flux-pro`` finds
    ``black-forest-labs/flux-1.1-pro`` behind its provider prefix.
    """
    if not model:
        return []
    candidates = list(dict.fromkeys(known))
    tails: dict[str, str] = {}
    for candidate in candidates:
        tails.setdefault(candidate.rsplit("/", 1)[-1].lower(), candidate)
    wanted = model.rsplit("/", 1)[-1].lower()
    close = [tails[t] for t in difflib.get_close_matches(wanted, list(tails), n=limit, cutoff=0.5)]
    close += [
        c
        for c in difflib.get_close_matches(model, candidates, n=limit, cutoff=0.5)
        if c not in close
    ]
    if len(close) < limit:
        stem = wanted.split("-")[0]
        close += [c for c in candidates if stem and stem in c.lower() and c not in close]
    return close[:limit]


@dataclass(frozen=True, slots=True)
class _Answer:
    """What a non-2xx response said, decoded once for every rule of the table."""

    status: int
    headers: Mapping[str, str]
    body: Any
    api_message: str | None
    error_code: str | None
    where: str
    model: str | None
    feature: str | None
    model_index: Mapping[str, Sequence[str]]
    key_sent: bool = True

    @property
    def said(self) -> str:
        return f": {self.api_message}" if self.api_message else ""


def _unsupported_model(answer: _Answer) -> tuple[str, dict[str, Any]]:
    rejected = _unsupported_model_of(answer.api_message) or answer.model
    feature = answer.feature
    known = answer.model_index.get(feature, ()) if feature else _all_ids(answer.model_index)
    others = [f for f, ids in answer.model_index.items() if f != feature and rejected in ids]
    suggestions = suggest_models(rejected, known)
    for_what = f" for {feature}" if feature else " for this request"
    belongs = ""
    if others:
        belongs = f" {rejected!r} is a model of {', '.join(others)}, not of {feature or 'this'}."
    hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    listing = f"oneminai models --feature {feature}" if feature else "oneminai models"
    message = (
        f"1min.ai does not support the model {rejected!r}{for_what}{answer.where}{answer.said}."
        f"{belongs}{hint} List the available ids with `{listing}`."
    )
    return message, {"model": rejected, "suggestions": suggestions}


def _all_ids(index: Mapping[str, Sequence[str]]) -> list[str]:
    return [model for ids in index.values() for model in ids]


def _rate_limited(answer: _Answer) -> tuple[str, dict[str, Any]]:
    retry_after = parse_retry_after(header_value(answer.headers, "retry-after"))
    wait = f" It asked to wait {retry_after:g} s." if retry_after is not None else ""
    message = (
        f"1min.ai rate limit reached (HTTP 429{answer.said}){answer.where}.{wait} Slow down "
        "(e.g. an InMemoryRateLimiter on the model) or raise max_retries."
    )
    return message, {"retry_after": retry_after}


def _redirected(answer: _Answer) -> tuple[str, dict[str, Any]]:
    location = header_value(answer.headers, "location")
    target = describe_location(location)
    message = (
        f"1min.ai answered HTTP {answer.status} redirecting to {target}{answer.where}. API calls "
        "never follow redirects, so nothing was resent there: neither the API key nor the "
        "request body left for that host. Check base_url (ONEMINAI_BASE_URL): it may point at "
        "a proxy or an old address."
    )
    return message, {"location": target if location else None}


def describe_location(location: str | None) -> str:
    """A ``Location`` header as ``scheme://host/path`` (no credentials, no query), for messages."""
    if not location:
        return "no Location"
    parts = urlsplit(location.strip())
    host = parts.hostname or ""
    port = f":{parts.port}" if _port(parts) else ""
    if not host:
        return f"the path {_shorten(parts.path or '/', 200)!r} on the same host"
    return f"{parts.scheme or 'http'}://{host}{port}{_shorten(parts.path, 200)}"


def _port(parts: Any) -> int | None:
    try:
        port: int | None = parts.port
    except ValueError:
        return None
    return port


def _fixed(template: str) -> Callable[[_Answer], tuple[str, dict[str, Any]]]:
    def message(answer: _Answer) -> tuple[str, dict[str, Any]]:
        code = f" [{answer.error_code}]" if answer.error_code else ""
        text = template.format(
            status=answer.status, said=answer.said, where=answer.where, code=code
        )
        return text, {}

    return message


@dataclass(frozen=True, slots=True)
class _Rule:
    """One row of the mapping: when it applies, which exception, and its message."""

    applies: Callable[[_Answer], bool]
    error: type[APIStatusError]
    message: Callable[[_Answer], tuple[str, dict[str, Any]]]


_ERROR_RULES: tuple[_Rule, ...] = (
    _Rule(lambda a: a.error_code == "UNSUPPORTED_MODEL", UnsupportedModelError, _unsupported_model),
    _Rule(
        lambda a: (
            a.status == 402
            or (a.status in (400, 403) and bool(_CREDIT_PATTERNS.search(a.api_message or "")))
        ),
        InsufficientCreditsError,
        _fixed(
            "1min.ai refused the call for lack of credits (HTTP {status}{said}){where}. Top up "
            "or raise the team's credit limit in the 1min.ai app, or pick a cheaper model."
        ),
    ),
    _Rule(
        lambda a: a.status == 401 and not a.key_sent,
        AuthenticationError,
        _fixed(
            "1min.ai asks for an API key here (HTTP 401{said}){where}, and this client has none "
            "to send. Set ONEMINAI_API_KEY (or ONE_MIN_API_KEY), or pass api_key=."
        ),
    ),
    _Rule(
        lambda a: a.status == 401,
        AuthenticationError,
        _fixed(
            "1min.ai rejected the API key (HTTP 401{said}){where}. Check ONEMINAI_API_KEY (or "
            "the api_key argument): it must be a developer API key of a 1min.ai team."
        ),
    ),
    _Rule(
        lambda a: a.status == 403,
        PermissionDeniedError,
        _fixed(
            "1min.ai refused this call for this key (HTTP 403{said}){where}. The key is valid "
            "but lacks access to this feature or model."
        ),
    ),
    _Rule(
        lambda a: a.status == 404,
        NotFoundError,
        _fixed(
            "1min.ai has no such resource (HTTP 404{said}){where}. Check the id; conversation "
            "routes other than create are undocumented and may differ on your account."
        ),
    ),
    _Rule(lambda a: a.status == 429, RateLimitError, _rate_limited),
    _Rule(lambda a: 300 <= a.status < 400, UnexpectedRedirectError, _redirected),
    _Rule(
        lambda a: a.status in (400, 409, 422),
        BadRequestError,
        _fixed(
            "1min.ai rejected the request (HTTP {status}{code}{said}){where}. Fix the request "
            "as the message says; retrying it unchanged will fail again."
        ),
    ),
    _Rule(
        lambda a: a.status >= 500,
        ServerError,
        _fixed(
            "1min.ai failed on its side (HTTP {status}{said}){where}. This is usually temporary; "
            "try again later, or a different model."
        ),
    ),
    _Rule(lambda _: True, APIStatusError, _fixed("1min.ai answered HTTP {status}{said}{where}.")),
)
"""Status and body -> exception, first match wins (wire.md#errors)."""


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    raw_body: bytes | str,
    *,
    method: str | None = None,
    path: str | None = None,
    secrets: Iterable[str | None] = (),
    model: str | None = None,
    feature: str | None = None,
    known_models: Iterable[str] = (),
    model_index: Mapping[str, Sequence[str]] | None = None,
    key_sent: bool = True,
) -> APIStatusError:
    r"""Turn a non-2xx response into the most specific exception (pure; never raises).

    The key is redacted after the body is decoded, so an echo in escaped JSON (``\/``,
    ``\uXXXX``) is caught too; every text the exception keeps is bounded in size.

    Args:
        status: The HTTP status.
        headers: Response headers (case-insensitive mapping preferred).
        raw_body: The response body.
        method: The request method, for the message.
        path: The request path, for the message.
        secrets: Strings that must never appear in the error (the API key).
        model: The model the request asked for, to name it in the message.
        feature: The feature the request was for (``UNIFY_CHAT_WITH_AI``, ``IMAGE_GENERATOR``…):
            suggestions come from that feature's models only.
        known_models: Model ids to draw "did you mean" suggestions from, when no
            ``model_index`` is given.
        model_index: Feature -> its model ids, to suggest ids of the right feature and to say
            when a model exists but belongs to another feature.
        key_sent: Whether the request carried a key (a 401 to a keyless request of a public
            route says to configure one, not that the key is wrong).
    """
    kept = [s for s in secrets if s]
    text = raw_body.decode("utf-8", errors="replace") if isinstance(raw_body, bytes) else raw_body
    body = _redact_value(parse_error_body(redact(text, kept)), kept)
    index = dict(model_index or {})
    if not index and feature is not None:
        index[feature] = list(known_models)
    elif not index:
        index[""] = list(known_models)
    request_id = header_value(headers, "x-request-id")
    answer = _Answer(
        status=status,
        headers=headers,
        body=body,
        api_message=extract_api_message(body),
        error_code=_extract_error_code(body),
        where=f" ({method} {path})" if method and path else "",
        model=model,
        feature=feature,
        model_index=index,
        key_sent=key_sent,
    )
    rule = next(rule for rule in _ERROR_RULES if rule.applies(answer))
    message, extra = rule.message(answer)
    return rule.error(
        redact(message, kept),
        status_code=status,
        error_code=answer.error_code,
        api_message=answer.api_message,
        body=body,
        request_id=redact(_shorten(request_id, 200), kept) if request_id else None,
        method=method,
        path=path,
        **extra,
    )
