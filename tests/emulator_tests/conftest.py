"""Fixtures of the emulator's own tests: a fresh emulator per test and a plain HTTP session.

These tests talk to the emulator over loopback with ``requests`` and ``aiohttp`` only, never
through langchain-oneminai's client, so a client bug cannot hide an emulator bug. Run them
with ``pytest tests/emulator_tests --allow-hosts=127.0.0.1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from langchain_oneminai.emulator import OneMinAIEmulator
from tests.emulator_tests.raw_http import KEY


@pytest.fixture
def emu() -> Iterator[OneMinAIEmulator]:
    """A fresh emulator for one test (these tests restart and reconfigure it freely)."""
    with OneMinAIEmulator(api_key=KEY, seed=0) as emulator:
        yield emulator


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain requests session."""
    with requests.Session() as session:
        yield session
