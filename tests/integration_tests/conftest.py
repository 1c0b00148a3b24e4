"""Integration fixtures: the bundled emulator over loopback, or api.1min.ai when live."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from langchain_oneminai import OneMinAIClient
from langchain_oneminai.emulator import OneMinAIEmulator
from tests.conftest import LIVE
from tests.helpers import emulator_client


@pytest.fixture(scope="session")
def emulator_server(oneminai_emulator_server: OneMinAIEmulator) -> OneMinAIEmulator:
    """One emulator for the whole run: the package's own pytest plugin's (docs/emulator.md)."""
    return oneminai_emulator_server


@pytest.fixture
def emulator(oneminai_emulator: OneMinAIEmulator) -> OneMinAIEmulator:
    """The emulator, reset (the plugin's fixture): nothing scripted, stored or logged."""
    if LIVE:
        pytest.skip("emulator-only test (it scripts replies or injects faults)")
    return oneminai_emulator


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
