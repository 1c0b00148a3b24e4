"""Every exception langchain-oneminai raises, and the one place that maps a response to one.

The tree::

    OneMinAIError                                   root: catch this to catch everything below
    ├── MissingAPIKeyError        [ModelAuthenticationError]  no key configured; nothing was sent
    ├── InvalidInputError         [ValueError]                bad input, caught before sending
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
    │   └── ServerError           [ModelAPIError]             5xx
    └── ResponseError             [ModelAPIError]             a 2xx that cannot be used
        ├── GenerationFailedError                             ``aiRecord.status`` FAILED
        └── StreamError                                       an ``error`` event, or a cut stream

Leaves also subclass langchain-core's ``Model*Error`` classes (in brackets), so generic
LangChain code that catches those catches ours. Every error carries ``status_code``,
``error_code`` (the API's ``errorCode``), ``api_message`` (what the API said), ``body``,
``request_id``, ``method`` and ``path`` where known, and never the API key: messages are
built from status and body only, and any text that could echo the key is redacted.

Status codes and body shapes follow the API reference §16.1; the message-extraction order
(``message`` → ``error`` → ``detail`` → raw text) is the one robust clients use.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Self

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
    "GenerationFailedError",
    "InsufficientCreditsError",
    "InvalidInputError",
    "MissingAPIKeyError",
    "NotFoundError",
    "OneMinAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseError",
    "ServerError",
    "StreamError",
    "UnsupportedModelError",
    "error_from_response",
    "redact",
]

_MAX_BODY_CHARS = 2000
"""How much of an error body an exception keeps (bodies can be whole HTML pages)."""

_CREDIT_PATTERNS = re.compile(
    r"insufficient[_ ]?(credit|quota|balance)|quota exceeded|not enough credit"
    r"|out of credit|billing",
    re.IGNORECASE,
)
"""Wordings that mean "out of credits" (reference §15: the real status/body is unknown)."""


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


# --------------------------------------------------------------------------------------
# Pure mapping: response -> exception
# --------------------------------------------------------------------------------------


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
        return {k: _redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v, secrets) for v in value]
    return value


def parse_error_body(raw: bytes | str) -> Any:
    """Decode an error body: JSON when it parses, else the text (truncated)."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except ValueError:
        return text[:_MAX_BODY_CHARS]


def extract_api_message(body: Any) -> str | None:
    """The API's error message: ``message``, ``error`` (text or ``{message}``), ``detail``, text."""
    if isinstance(body, Mapping):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, Mapping):
                nested = extract_api_message(value)
                if nested:
                    return nested
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                return "; ".join(value)  # NestJS validation pipes send a list of messages
            elif isinstance(value, str) and value.strip():
                return value.strip()
        return None
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return None


def _extract_error_code(body: Any) -> str | None:
    if isinstance(body, Mapping):
        code = body.get("errorCode") or body.get("code")
        if isinstance(code, str):
            return code
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
        return max(0.0, float(value))
    except ValueError:
        pass
    import time  # noqa: PLC0415
    from email.utils import parsedate_to_datetime  # noqa: PLC0415 - only on this rare path

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    reference = time.time() if now is None else now
    return max(0.0, moment.timestamp() - reference)


def _unsupported_model_of(message: str | None) -> str | None:
    # The API says "Model <id> is not supported" (reference §16.1, R-JC's regex).
    match = re.search(r"Model\s+(\S+?)\s+is not supported", message or "")
    return match.group(1) if match else None


def suggest_models(model: str | None, known: Iterable[str], limit: int = 3) -> list[str]:
    """Model ids from ``known`` that look like ``model``, best first."""
    if not model:
        return []
    candidates = list(dict.fromkeys(known))
    close = difflib.get_close_matches(model, candidates, n=limit, cutoff=0.5)
    if len(close) < limit:
        stem = model.split("/")[-1].split("-")[0].lower()
        close += [c for c in candidates if stem and stem in c.lower() and c not in close]
    return close[:limit]


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    raw_body: bytes | str,
    *,
    method: str | None = None,
    path: str | None = None,
    secrets: Iterable[str | None] = (),
    model: str | None = None,
    known_models: Iterable[str] = (),
) -> APIStatusError:
    """Turn a non-2xx response into the most specific exception (pure; never raises).

    Args:
        status: The HTTP status.
        headers: Response headers (case-insensitive mapping preferred).
        raw_body: The response body.
        method: The request method, for the message.
        path: The request path, for the message.
        secrets: Strings that must never appear in the error (the API key).
        model: The model the request asked for, to name it in the message.
        known_models: Model ids to draw "did you mean" suggestions from.
    """
    secrets = [s for s in secrets if s]
    text = raw_body.decode("utf-8", errors="replace") if isinstance(raw_body, bytes) else raw_body
    body = parse_error_body(redact(text, secrets))
    api_message = extract_api_message(body)
    error_code = _extract_error_code(body)
    request_id = _header(headers, "x-request-id")
    where = f" ({method} {path})" if method and path else ""
    said = f": {api_message}" if api_message else ""
    common: dict[str, Any] = {
        "status_code": status,
        "error_code": error_code,
        "api_message": api_message,
        "body": body,
        "request_id": request_id,
        "method": method,
        "path": path,
    }

    if error_code == "UNSUPPORTED_MODEL":
        rejected = _unsupported_model_of(api_message) or model
        suggestions = suggest_models(rejected, known_models)
        hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        return UnsupportedModelError(
            f"1min.ai does not support the model {rejected!r} for this request{where}{said}."
            f"{hint} List the available ids with OneMinAIClient().list_models(feature) "
            "or `oneminai models`.",
            model=rejected,
            suggestions=suggestions,
            **common,
        )
    if status == 402 or (status in (400, 403) and _CREDIT_PATTERNS.search(api_message or "")):
        return InsufficientCreditsError(
            f"1min.ai refused the call for lack of credits (HTTP {status}{said}){where}. "
            "Top up or raise the team's credit limit in the 1min.ai app, or pick a cheaper model.",
            **common,
        )
    if status == 401:
        return AuthenticationError(
            f"1min.ai rejected the API key (HTTP 401{said}){where}. Check ONEMINAI_API_KEY "
            "(or the api_key argument): it must be a developer API key of a 1min.ai team.",
            **common,
        )
    if status == 403:
        return PermissionDeniedError(
            f"1min.ai refused this call for this key (HTTP 403{said}){where}. The key is valid "
            "but lacks access to this feature or model.",
            **common,
        )
    if status == 404:
        return NotFoundError(
            f"1min.ai has no such resource (HTTP 404{said}){where}. Check the id; conversation "
            "routes other than create are undocumented and may differ on your account.",
            **common,
        )
    if status == 429:
        retry_after = parse_retry_after(_header(headers, "retry-after"))
        wait = f" It asked to wait {retry_after:g} s." if retry_after is not None else ""
        return RateLimitError(
            f"1min.ai rate limit reached (HTTP 429{said}){where}.{wait} Slow down (e.g. an "
            "InMemoryRateLimiter on the model) or raise max_retries.",
            retry_after=retry_after,
            **common,
        )
    if status in (400, 409, 422):
        code = f" [{error_code}]" if error_code else ""
        return BadRequestError(
            f"1min.ai rejected the request (HTTP {status}{code}{said}){where}. Fix the "
            "request as the message says; retrying it unchanged will fail again.",
            **common,
        )
    if status >= 500:
        return ServerError(
            f"1min.ai failed on its side (HTTP {status}{said}){where}. This is usually "
            "temporary; try again later, or a different model.",
            **common,
        )
    return APIStatusError(f"1min.ai answered HTTP {status}{said}{where}.", **common)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # plain dicts are case-sensitive
        lowered = name.lower()
        for key, item in headers.items():
            if key.lower() == lowered:
                return item
    return value
