"""Helpers shared by the integration tests: one test body, run sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from langchain_oneminai import OneMinAIClient
from langchain_oneminai._transport import RetryPolicy
from langchain_oneminai.emulator import OneMinAIEmulator, RecordedRequest

FAST_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.002)
"""The default policy's decisions, without its waiting (tests never sleep for timing)."""

TRANSPORT_HEADERS = frozenset(
    {"host", "accept-encoding", "content-length", "connection", "content-type"}
)
"""Headers the HTTP libraries add (or, for multipart, shape) themselves."""


def emulator_client(emulator: OneMinAIEmulator, **kwargs: Any) -> OneMinAIClient:
    """A client pointed at the emulator, retrying without waiting."""
    options: dict[str, Any] = {
        "api_key": emulator.api_key,
        "base_url": emulator.base_url,
        "asset_base_url": emulator.asset_base_url,
        "retry_policy": FAST_RETRIES,
    }
    return OneMinAIClient(**{**options, **kwargs})


def call(mode: str, client: OneMinAIClient, method: str, *args: Any, **kwargs: Any) -> Any:
    """``client.method(...)`` in sync mode, ``asyncio.run(client.amethod(...))`` in async mode."""
    if mode == "sync":
        return getattr(client, method)(*args, **kwargs)
    coroutine: Callable[..., Coroutine[Any, Any, Any]] = getattr(client, f"a{method}")
    return asyncio.run(coroutine(*args, **kwargs))


def stream(
    mode: str, client: OneMinAIClient, *args: Any, **kwargs: Any
) -> tuple[list[Any], BaseException | None]:
    """All events of ``chat_stream`` (sync or async) and the exception that ended it, if any."""
    events: list[Any] = []
    if mode == "sync":
        try:
            events.extend(client.chat_stream(*args, **kwargs))
        except Exception as error:
            return events, error
        return events, None

    async def collect() -> BaseException | None:
        try:
            async for event in client.achat_stream(*args, **kwargs):
                events.append(event)
        except Exception as error:
            return error
        return None

    return events, asyncio.run(collect())


def sent_headers(request: RecordedRequest) -> dict[str, str]:
    """The headers we chose to send (transport-added ones removed; the key is redacted)."""
    return {k: v for k, v in request.headers.items() if k.lower() not in TRANSPORT_HEADERS}


def requests_summary(
    requests: list[RecordedRequest],
) -> list[tuple[str, str, Mapping[str, str], Any, int]]:
    """Method, path, query, body and status of each request: what parity tests compare."""
    return [(r.method, r.path, r.query, r.json, r.status) for r in requests]


def forbid_sync_calls(
    client: OneMinAIClient, monkeypatch: Any, names: Sequence[str]
) -> OneMinAIClient:
    """Make the client's sync ``names`` fail the test: an async path must never call them
    (no executor fallback hiding a sync call)."""
    for name in names:

        def forbidden(*_: Any, _name: str = name, **__: Any) -> Any:
            raise AssertionError(f"the async path called the sync OneMinAIClient.{_name}")

        monkeypatch.setattr(client, name, forbidden)
    return client
