"""Shared by the emulator's own tests, which speak raw HTTP (requests/aiohttp) to it, never
through langchain-oneminai's client: a fresh emulator per test, a session, and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from langchain_oneminai.emulator import OneMinAIEmulator

KEY = "test-key"
"""The key the emulators of these tests expect."""
TIMEOUT = (5, 30)
"""(connect, read) for every raw request: bounded, never a hang."""


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


def upload(http: requests.Session, emu: OneMinAIEmulator, name: str, data: bytes, mime: str) -> Any:
    """POST /api/assets with one ``asset`` part; the ``fileContent`` of the answer."""
    response = http.post(
        f"{emu.base_url}/api/assets",
        files={"asset": (name, data, mime)},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return response.json()["fileContent"]


def invalid(response: requests.Response, message: str) -> None:
    """Assert a REQUEST_BODY_VALIDATION_FAILED answer with exactly this message."""
    assert response.status_code == 400
    assert response.json() == {"errorCode": "REQUEST_BODY_VALIDATION_FAILED", "message": message}
