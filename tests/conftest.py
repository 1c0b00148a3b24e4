"""Test-wide isolation: no test sees the developer's real 1min.ai settings unless it is live."""

from __future__ import annotations

import os
from collections.abc import Iterator

import hypothesis
import pytest

from langchain_oneminai.client._components import forget_shared_clients

# Every property test draws the same examples on every run and keeps no example database:
# `make test` must pass or fail the same way on every machine, never by the luck of a draw.
hypothesis.settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis.settings.load_profile("repeatable")

LIVE = os.environ.get("ONEMINAI_LIVE") == "1" and bool(os.environ.get("ONEMINAI_API_KEY"))
"""Whether this run talks to api.1min.ai (``ONEMINAI_LIVE=1`` and a key)."""

_ENV = ("ONEMINAI_API_KEY", "ONE_MIN_API_KEY", "ONEMINAI_BASE_URL", "ONEMINAI_ASSET_BASE_URL")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not LIVE:
        for name in _ENV:
            monkeypatch.delenv(name, raising=False)
    # Components share a client per configuration, process-wide; each test starts afresh
    # (the emulator is reset between tests: its uploads and catalog are gone).
    forget_shared_clients()
    yield
    forget_shared_clients()
