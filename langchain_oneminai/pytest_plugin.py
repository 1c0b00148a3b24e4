"""A pytest plugin: test your own chains and agents against the bundled 1min.ai emulator.

Installed with the package (a ``pytest11`` entry point), so in any project that has
langchain-oneminai these fixtures exist, nothing to import:

* ``oneminai_emulator``: a real 1min.ai emulator on 127.0.0.1, one per test session, reset
  before each test (no scripts, faults, conversations or logged requests; default settings).
  Script replies with ``oneminai_emulator.script_chat(...)``; read what was sent in
  ``oneminai_emulator.requests``.
* ``oneminai_env``: ``ONEMINAI_API_KEY``, ``ONEMINAI_BASE_URL`` and ``ONEMINAI_ASSET_BASE_URL``
  pointed at the emulator for the test, so code that builds its own ``ChatOneMinAI()``
  talks to it unchanged (and never to api.1min.ai).
* ``oneminai_client``: an ``OneMinAIClient`` on the emulator (closed after the test).
* ``oneminai_chat_model``: a ``ChatOneMinAI`` on the emulator (``gpt-4o-mini``).

Nothing is imported or started until a test asks for a fixture: projects that never use
them pay nothing. Disable the plugin with ``-p no:oneminai``.
"""

# The imports are inside the fixtures on purpose: pytest loads this plugin in every run of every
# project that has the package, and most never ask for a fixture.
# ruff: noqa: PLC0415

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from langchain_oneminai.chat_models import ChatOneMinAI
    from langchain_oneminai.client import OneMinAIClient
    from langchain_oneminai.emulator import OneMinAIEmulator

__all__ = [
    "oneminai_chat_model",
    "oneminai_client",
    "oneminai_emulator",
    "oneminai_emulator_server",
    "oneminai_env",
]


@pytest.fixture(scope="session")
def oneminai_emulator_server() -> Iterator[OneMinAIEmulator]:
    """The session's emulator, started on first use (prefer ``oneminai_emulator``)."""
    from langchain_oneminai.emulator import OneMinAIEmulator

    with OneMinAIEmulator(seed=0) as emulator:
        yield emulator


@pytest.fixture
def oneminai_emulator(oneminai_emulator_server: OneMinAIEmulator) -> OneMinAIEmulator:
    """The emulator, reset: nothing scripted, stored or logged, every setting its default."""
    from langchain_oneminai.emulator import EmulatorSettings

    oneminai_emulator_server.reset()
    # reset() keeps settings by design; a test that changed one must not leak it to the next.
    defaults = EmulatorSettings()
    for setting in dataclasses.fields(defaults):
        setattr(oneminai_emulator_server.settings, setting.name, getattr(defaults, setting.name))
    return oneminai_emulator_server


@pytest.fixture
def oneminai_env(
    oneminai_emulator: OneMinAIEmulator, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OneMinAIEmulator]:
    """The emulator, with the ``ONEMINAI_*`` variables pointing at it during the test."""
    from langchain_oneminai.client._components import forget_shared_clients

    monkeypatch.setenv("ONEMINAI_API_KEY", oneminai_emulator.api_key)
    monkeypatch.setenv("ONEMINAI_BASE_URL", oneminai_emulator.base_url)
    monkeypatch.setenv("ONEMINAI_ASSET_BASE_URL", oneminai_emulator.asset_base_url)
    monkeypatch.delenv("ONE_MIN_API_KEY", raising=False)
    forget_shared_clients()  # a client remembered from another test knew another account
    yield oneminai_emulator
    forget_shared_clients()


@pytest.fixture
def oneminai_client(oneminai_emulator: OneMinAIEmulator) -> Iterator[OneMinAIClient]:
    """An ``OneMinAIClient`` on the emulator."""
    from langchain_oneminai.client import OneMinAIClient

    with OneMinAIClient(
        api_key=oneminai_emulator.api_key,
        base_url=oneminai_emulator.base_url,
        asset_base_url=oneminai_emulator.asset_base_url,
    ) as client:
        yield client


@pytest.fixture
def oneminai_chat_model(oneminai_client: OneMinAIClient) -> ChatOneMinAI:
    """A ``ChatOneMinAI`` (``gpt-4o-mini``) on the emulator."""
    from langchain_oneminai.chat_models import ChatOneMinAI

    return ChatOneMinAI(model="gpt-4o-mini", client=oneminai_client)
