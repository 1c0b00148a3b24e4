"""The retry flow: one request driven through its attempts, as a pure generator.

The shells (``_sync.py`` over ``requests``, ``_async.py`` over ``aiohttp``) only move bytes;
``retry_flow`` decides whether to retry and after how long, follows a download's redirects,
keeps the call within its total deadline, and raises the mapped exception::

    PreparedRequest --retry_flow()--> yields Send(request, deadline) / Sleep commands,
        receives the Outcome (HttpResponse | TransportFailure) of each Send,
        returns the successful response or raises the mapped OneMinAIError.

Retry policy (DESIGN rule 3): 1min.ai bills per call and has no idempotency key, so only
what provably did not run, or was refused, is retried — connection errors before the
request went out, 429, 502 and 503 — honouring ``Retry-After`` (seconds or HTTP date, up to
``max_retry_after``) and otherwise backing off exponentially with jitter. Reads of
idempotent GETs (downloads, listings) also retry 500 and 504.

Where requests may go (``_urls``): API calls go to ``base_url`` and never follow a redirect
(the key and the prompt would go with it: the 3xx becomes ``UnexpectedRedirectError``);
downloads follow at most ``MAX_REDIRECTS`` hops, without the key, each hop checked.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from langchain_oneminai._transport._http import (
    HttpResponse,
    PreparedRequest,
    RetryPolicy,
    Timeouts,
    redirected,
)
from langchain_oneminai._transport._urls import host_of
from langchain_oneminai.errors import (
    APIConnectionError,
    APITimeoutError,
    OneMinAIError,
    error_from_response,
    header_value,
    parse_retry_after,
)

logger = logging.getLogger("langchain_oneminai")


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
    WRITE_TIMEOUT = "write_timeout"
    """The server stopped taking the request body: part of it may have arrived."""
    DEADLINE = "deadline"
    """The call's total deadline passed (``Timeouts.total``)."""


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """A failure without an HTTP response, as classified by a shell."""

    kind: FailureKind
    """What happened."""
    detail: str = ""
    """The library's description (no headers, no key)."""


Outcome = HttpResponse | TransportFailure


@dataclass(frozen=True, slots=True)
class Send:
    """Command: send ``request`` once and report the outcome."""

    attempt: int
    """0 for the first try (redirect hops do not count as attempts)."""
    request: PreparedRequest
    """What to send: the original request, a redirect's next hop, timeouts cut to the
    deadline."""
    deadline: float | None = None
    """The call's total deadline (``time.monotonic()`` seconds), if any."""


@dataclass(frozen=True, slots=True)
class Sleep:
    """Command: wait before the next attempt."""

    seconds: float
    """How long."""


RetryFlow = Generator[Send | Sleep, Outcome | None, HttpResponse]
ModelIndex = Callable[[], Mapping[str, Sequence[str]]]
"""Feature -> model ids the client knows (live catalogs, else the built-in table)."""


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
    retry_after = parse_retry_after(header_value(outcome.headers, "retry-after"))
    if retry_after is None:
        return policy.backoff(attempt, jitter)
    return retry_after if retry_after <= policy.max_retry_after else None


def within_deadline(
    request: PreparedRequest, deadline: float | None, now: float
) -> PreparedRequest:
    """``request`` with its timeouts cut to what is left of the deadline (pure)."""
    if deadline is None:
        return request
    left = deadline - now
    timeouts = request.timeouts
    cut = Timeouts(
        connect=max(min(timeouts.connect, left), 1e-3),
        read=max(min(timeouts.read, left), 1e-3),
        total=timeouts.total,
    )
    return request if cut == timeouts else replace(request, timeouts=cut)


def retry_flow(
    policy: RetryPolicy,
    request: PreparedRequest,
    *,
    rand: Callable[[], float] = random.random,
    now: Callable[[], float] = time.monotonic,
    model_index: ModelIndex = dict,
) -> RetryFlow:
    """Drive one request through its attempts (pure; the shells do the I/O).

    Yields ``Send`` and ``Sleep`` commands; receives the outcome of each ``Send``; returns
    the successful response or raises the mapped :class:`OneMinAIError`. A download's
    redirects are followed here (a new ``Send`` of the next hop); an API call's redirect is
    an error.
    """
    total = request.timeouts.total
    deadline = now() + total if total is not None else None
    attempt, hops, current = 0, 0, request
    while True:
        if deadline is not None and now() >= deadline:
            raise deadline_error(current)
        outcome = yield Send(attempt, within_deadline(current, deadline, now()), deadline)
        assert outcome is not None, "the shell must send back an outcome"  # noqa: S101
        if isinstance(outcome, HttpResponse) and outcome.ok:
            return outcome
        if isinstance(outcome, HttpResponse) and outcome.is_redirect and current.fetch:
            current = redirected(current, header_value(outcome.headers, "location"), hops)
            hops += 1
            continue
        delay = retry_delay(policy, current, outcome, attempt, rand())
        if delay is not None and deadline is not None and now() + delay >= deadline:
            delay = None  # waiting would pass the deadline: report what happened instead
        if delay is None:
            raise error_for_outcome(current, outcome, model_index=model_index())
        logger.info(
            "Retrying %s %s in %.2f s (attempt %d of %d) after %s",
            current.method,
            current.path,
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
    request: PreparedRequest,
    outcome: Outcome,
    *,
    model_index: Mapping[str, Sequence[str]] | None = None,
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
        feature=request.feature,
        model_index=model_index,
        key_sent="API-KEY" in request.headers,
    )


def deadline_error(request: PreparedRequest) -> APITimeoutError:
    """The call's total deadline passed."""
    total = request.timeouts.total or 0
    return APITimeoutError(
        f"{request.what} did not finish within its total deadline of {total:g} s "
        "(Timeouts(total=...)); what arrived before it was delivered. Raise the deadline for "
        "long generations.",
        method=request.method,
        path=request.path,
    )


def error_from_failure(request: PreparedRequest, failure: TransportFailure) -> APIConnectionError:
    """The exception for a request that got no response."""
    where = f"{request.method} {request.path}"
    detail = f" ({failure.detail})" if failure.detail else ""
    common: dict[str, Any] = {"method": request.method, "path": request.path}
    if failure.kind == FailureKind.DEADLINE:
        return deadline_error(request)
    if failure.kind == FailureKind.CONNECT_TIMEOUT:
        return APITimeoutError(
            f"Could not connect to {_server(request)} within {request.timeouts.connect:g} s "
            f"({where}){detail}. Nothing was sent. Check the network and the URL, or raise "
            "the connect timeout.",
            **common,
        )
    if failure.kind == FailureKind.READ_TIMEOUT:
        return APITimeoutError(
            f"{_server(request).capitalize()} sent nothing for {request.timeouts.read:g} s "
            f"({where}). Long generations need a longer read timeout: pass timeout=(connect, "
            "read) or a bigger timeout=.",
            **common,
        )
    if failure.kind == FailureKind.WRITE_TIMEOUT:
        return APITimeoutError(
            f"{_server(request).capitalize()} stopped taking the request body for "
            f"{request.timeouts.read:g} s ({where}); the upload was abandoned and not "
            "retried.",
            **common,
        )
    if failure.kind == FailureKind.DISCONNECTED:
        return APIConnectionError(
            f"The connection to {_server(request)} closed before the response was complete "
            f"({where}){detail}. The request may have run (and been billed), so it was not "
            "retried automatically.",
            **common,
        )
    return APIConnectionError(
        f"Could not connect to {_server(request)} ({where}){detail}. Nothing was sent. "
        f"{_check_hint(request)}",
        **common,
    )


def _server(request: PreparedRequest) -> str:
    host = host_of(request.url)
    if request.fetch is not None:
        return f"the file host {host}"
    return f"1min.ai ({host})" if host else "1min.ai"


def _check_hint(request: PreparedRequest) -> str:
    if request.fetch is not None:
        return (
            "Check the network and the URL (asset_base_url / ONEMINAI_ASSET_BASE_URL for results)."
        )
    return "Check the network and base_url (ONEMINAI_BASE_URL)."


def log_response(request: PreparedRequest, status: int | str, elapsed: float) -> None:
    """The one DEBUG line per attempt: method, path, status, timing — never headers."""
    logger.debug("%s %s -> %s in %.1f ms", request.method, request.path, status, elapsed * 1000)
