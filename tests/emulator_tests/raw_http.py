"""Helpers of the emulator's own tests, which speak raw HTTP (requests/aiohttp) to it, never
through langchain-oneminai's client."""

from __future__ import annotations

import json
from typing import Any

import requests

from langchain_oneminai.emulator import OneMinAIEmulator

KEY = "test-key"
"""The key the emulators of these tests expect."""
TIMEOUT = (5, 30)
"""(connect, read) for every raw request: bounded, never a hang."""
CHAT = {"type": "UNIFY_CHAT_WITH_AI", "model": "gpt-4o-mini", "promptObject": {"prompt": "hi"}}
"""A minimal valid chat body."""


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


def chat_body(
    prompt: str = "hi", model: str = "gpt-4o-mini", **prompt_fields: Any
) -> dict[str, Any]:
    """A ``UNIFY_CHAT_WITH_AI`` request body."""
    return {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": model,
        "promptObject": {"prompt": prompt, **prompt_fields},
    }


def post_chat(
    http: requests.Session,
    emu: OneMinAIEmulator,
    body: Any,
    *,
    stream: bool | None = None,
    key: str = KEY,
) -> requests.Response:
    """POST /api/chat-with-ai (``?isStreaming=`` when ``stream`` is given)."""
    url = f"{emu.base_url}/api/chat-with-ai"
    if stream is not None:
        url += f"?isStreaming={'true' if stream else 'false'}"
    return http.post(url, json=body, headers={"API-KEY": key}, timeout=TIMEOUT)


def sse_events(raw: bytes) -> list[tuple[str, Any]]:
    """The ``(event, data)`` pairs of an SSE body whose data lines are JSON."""
    events = []
    for block in raw.decode().replace("\r\n", "\n").split("\n\n"):
        if not block:
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def reply_text(response: requests.Response) -> str:
    """``resultObject[0]`` of a JSON chat answer."""
    assert response.status_code == 200, response.text
    return str(response.json()["aiRecord"]["aiRecordDetail"]["resultObject"][0])
