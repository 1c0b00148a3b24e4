"""What calls cost: a meter over a block of code, and a client's credit budget (pure state).

1min.ai bills in credits. Its records *may* carry the credits a call used (``aiRecord.credit``,
unverified for API keys: wire.md#credits-in-records) and, for some models, token counts
(wire.md#token-counts). The client reports every record here:

* ``get_oneminai_callback()`` (like LangChain's ``get_openai_callback``) sums, for the calls
  made inside it — chat, tools, streams, sync, async, worker threads that copy the context —
  the requests, the credits 1min.ai *reported*, the tokens when reported, per feature and
  model; and, kept apart and labelled as such, an *estimate* from the model's price list
  (``creditMetadata.ALL``, a per-call price, wire.md#model-catalog) when a record reports
  none.
* ``max_credits`` on a client: once the *reported* credits it has seen reach the budget, the
  next billed call is refused before anything is sent (``CreditBudgetExceededError``). An
  estimate never refuses a call: it may be wrong, and a refusal must be certain.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from langchain_oneminai._wire import AIRecord
from langchain_oneminai.errors import CreditBudgetExceededError, InvalidInputError


@dataclass
class Usage:
    """What some calls used."""

    requests: int = 0
    """Calls that got a record back (a failed generation counts: it may be billed)."""
    credits: float = 0.0
    """Credits 1min.ai reported (``aiRecord.credit``), summed."""
    reported: int = 0
    """Requests whose record reported its credits."""
    estimated_credits: float = 0.0
    """An *estimate* for the requests that reported none, from the model's per-call price."""
    estimated: int = 0
    """Requests the estimate covers."""
    input_tokens: int = 0
    """Input tokens, when reported."""
    output_tokens: int = 0
    """Output tokens, when reported."""
    total_tokens: int = 0
    """Total tokens, when reported."""

    def add(self, record: AIRecord, estimate: float | None) -> None:
        """Count one record (and the estimate of its cost, when it reported none)."""
        self.requests += 1
        if record.credit is not None:
            self.credits += record.credit
            self.reported += 1
        elif estimate is not None:
            self.estimated_credits += estimate
            self.estimated += 1
        counts = record.token_usage
        if counts is not None:
            self.input_tokens += counts[0]
            self.output_tokens += counts[1]
            self.total_tokens += counts[2]


@dataclass
class CreditMeter(Usage):
    """The usage of the calls made inside ``get_oneminai_callback()``, in total and per model.

    ``credits`` are what 1min.ai reported; ``estimated_credits`` are labelled estimates for
    calls that reported none (never mixed in). ``by_model`` breaks it down per
    ``(feature, model)``.
    """

    by_model: dict[tuple[str, str], Usage] = field(default_factory=dict)
    """Usage per ``(feature, model)``, e.g. ``("UNIFY_CHAT_WITH_AI", "gpt-4o-mini")``."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, feature: str, model: str, record: AIRecord, estimate: float | None) -> None:
        """Count one call (thread-safe: several threads may share the meter)."""
        with self._lock:
            self.add(record, estimate)
            self.by_model.setdefault((feature, model), Usage()).add(record, estimate)

    def __str__(self) -> str:
        lines = [
            f"Requests: {self.requests}",
            (
                f"Credits (reported by 1min.ai, {self.reported} of {self.requests} requests): "
                f"{self.credits:g}"
            ),
        ]
        if self.estimated:
            lines.append(
                f"Credits (estimated from price lists, {self.estimated} requests): "
                f"~{self.estimated_credits:g}"
            )
        if self.total_tokens:
            lines.append(
                f"Tokens: {self.total_tokens} ({self.input_tokens} in, {self.output_tokens} out)"
            )
        for (feature, model), usage in sorted(self.by_model.items()):
            lines.append(
                f"  {feature} {model}: {usage.requests} requests, {usage.credits:g} credits"
                + (f", ~{usage.estimated_credits:g} estimated" if usage.estimated else "")
            )
        return "\n".join(lines)


_ACTIVE: ContextVar[tuple[CreditMeter, ...]] = ContextVar("oneminai_meters", default=())


@contextlib.contextmanager
def get_oneminai_callback() -> Iterator[CreditMeter]:
    """Meter the 1min.ai calls made inside the block: requests, credits, tokens, per model.

    Example:
        .. code-block:: python

            from langchain_oneminai import ChatOneMinAI, get_oneminai_callback

            with get_oneminai_callback() as meter:
                ChatOneMinAI().invoke("Hello")
            print(meter.requests, meter.credits)
    """
    meter = CreditMeter()
    token = _ACTIVE.set((*_ACTIVE.get(), meter))
    try:
        yield meter
    finally:
        _ACTIVE.reset(token)


def price_estimate(price: Mapping[str, Any] | None) -> float | None:
    """A call's estimated credits from a model's ``creditMetadata``: its per-call ``ALL``.

    Chat models are priced per token unit (``INPUT``/``OUTPUT``) by a formula no source
    documents, so no estimate is made for them (``None``).
    """
    value = (price or {}).get("ALL")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def check_max_credits(value: float | None) -> float | None:
    """A credit budget as a float (``None``: none).

    Raises:
        InvalidInputError: not a finite number >= 0.
    """
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InvalidInputError(
            f"max_credits must be a finite number of credits >= 0; got {value!r}."
        )
    return float(value)


class Budget:
    """A credit budget: what 1min.ai reported a client's calls spent, against ``max_credits``.

    A component's own budget on a shared client (``with_budget``) has the client's budget as
    its ``parent``: a call must fit both, and what it spends counts in both.
    """

    def __init__(self, max_credits: float | None, parent: Budget | None = None) -> None:
        self.max_credits = max_credits
        self.parent = parent
        self._spent = 0.0
        self._lock = threading.Lock()

    @property
    def spent(self) -> float:
        """Credits 1min.ai reported for the calls counted here so far."""
        return self._spent

    def check(self, what: str) -> None:
        """Refuse ``what`` before sending when this budget (or its parent's) is used up.

        Raises:
            CreditBudgetExceededError: the reported credits reached ``max_credits``.
        """
        if self.max_credits is not None and self._spent >= self.max_credits:
            raise CreditBudgetExceededError(
                f"Refusing {what}: the calls have used {self._spent:g} credits as 1min.ai "
                f"reported them, reaching max_credits={self.max_credits:g}. Nothing was sent. "
                "Raise max_credits, or use another component or client.",
                spent=self._spent,
                max_credits=self.max_credits,
            )
        if self.parent is not None:
            self.parent.check(what)

    def spend(self, record: AIRecord) -> None:
        """Count what a record reported (here and in the parent)."""
        if record.credit is not None:
            with self._lock:
                self._spent += record.credit
        if self.parent is not None:
            self.parent.spend(record)


def meter(feature: str, model: str, record: AIRecord, estimate: float | None) -> None:
    """Report one call's record to every meter active in this context."""
    for active in _ACTIVE.get():
        active.record(feature, model, record, estimate)
