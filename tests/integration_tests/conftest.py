"""Integration fixtures: the bundled emulator over loopback, or api.1min.ai when live."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from langchain_oneminai import OneMinAIClient
from langchain_oneminai.emulator import EmulatorSettings, OneMinAIEmulator
from tests.conftest import LIVE
from tests.helpers import emulator_client


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[OneMinAIEmulator]:
    """One emulator for the whole run (reset before each test that uses it)."""
    with OneMinAIEmulator(seed=0) as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_server: OneMinAIEmulator) -> OneMinAIEmulator:
    """The emulator, reset: no scripts, faults, assets, conversations or logged requests."""
    if LIVE:
        pytest.skip("emulator-only test (it scripts replies or injects faults)")
    emulator_server.reset()
    # reset() keeps settings by design; a test that changed one must not leak it to the next.
    defaults = EmulatorSettings()
    for field in dataclasses.fields(defaults):
        setattr(emulator_server.settings, field.name, getattr(defaults, field.name))
    return emulator_server


@pytest.fixture
def client(emulator: OneMinAIEmulator) -> Iterator[OneMinAIClient]:
    """A client on the emulator that retries without waiting."""
    with emulator_client(emulator) as client:
        yield client


@pytest.fixture
def admin(emulator: OneMinAIEmulator) -> Iterator[OneMinAIClient]:
    """A second client that sets the account up and inspects it (like another process)."""
    with emulator_client(emulator) as client:
        yield client


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run the test body once through the sync shell, once through the async one."""
    return str(request.param)
