"""The pure decisions of metering: what counts as a price, and when a budget refuses."""

from __future__ import annotations

from typing import Any

import pytest

from langchain_oneminai._wire import AIRecord
from langchain_oneminai.client._usage import Budget, CreditMeter, price_estimate
from langchain_oneminai.errors import CreditBudgetExceededError


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ({"ALL": 100}, 100.0),
        ({"ALL": 0.5}, 0.5),
        ({"INPUT": 0.15, "OUTPUT": 0.6}, None),  # per-token chat prices: no formula known
        ({"ALL": True}, None),
        ({"ALL": -3}, None),
        ({"ALL": float("nan")}, None),
        ({"ALL": float("inf")}, None),
        ({"ALL": "100"}, None),
        (None, None),
        ({}, None),
    ],
)
def test_only_a_per_call_price_makes_an_estimate(price: Any, expected: float | None) -> None:
    assert price_estimate(price) == expected


def record(credit: float | None) -> AIRecord:
    return AIRecord(uuid="r", model="m", status="SUCCESS", credit=credit)


def test_a_budget_refuses_once_the_reported_credits_reach_it() -> None:
    budget = Budget(10.0)
    budget.check("a call")
    budget.spend(record(9.5))
    budget.spend(record(None))  # reports nothing: counts 0
    budget.check("a call")
    budget.spend(record(0.5))
    with pytest.raises(CreditBudgetExceededError, match=r"used 10 credits.*max_credits=10"):
        budget.check("the chat call to m")
    Budget(None).check("anything")  # no budget: never refuses


def test_reported_and_estimated_credits_are_kept_apart() -> None:
    meter = CreditMeter()
    meter.record("F", "m", record(2.0), 7.0)  # reported: the estimate is not used
    meter.record("F", "m", record(None), 7.0)
    meter.record("F", "n", record(None), None)
    assert (meter.requests, meter.credits, meter.reported) == (3, 2.0, 1)
    assert (meter.estimated_credits, meter.estimated) == (7.0, 1)
    assert meter.by_model[("F", "n")].requests == 1
    assert str(meter).splitlines() == [
        "Requests: 3",
        "Credits (reported by 1min.ai, 1 of 3 requests): 2",
        "Credits (estimated from price lists, 1 requests): ~7",
        "  F m: 2 requests, 2 credits, ~7 estimated",
        "  F n: 1 requests, 0 credits",
    ]
