"""Connection and session lifecycle: one pool per client, one aiohttp session per event loop,
closed with its loop; sessions the user passes in are used and never closed.

The suite runs with ``-W error::ResourceWarning`` (pyproject), so an unclosed session or
transport anywhere here fails the run."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from typing import Any

import aiohttp
import requests

from langchain_oneminai import ChatOneMinAI, OneMinAIChatMessageHistory, OneMinAIClient
from langchain_oneminai.emulator import OneMinAIEmulator
from tests.helpers import emulator_client


def test_asyncio_run_twenty_times_on_one_client(emulator: OneMinAIEmulator) -> None:
    client = emulator_client(emulator)
    for i in range(20):
        record = asyncio.run(client.achat("gpt-4o-mini", f"turn {i}"))
        assert f"turn {i}" in record.text
        assert client.open_async_sessions == 0  # closed when asyncio.run shut its loop down
    gc.collect()
    assert len(emulator.requests) == 20


def test_asyncio_run_twenty_times_on_one_model(emulator: OneMinAIEmulator) -> None:
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url)
    for i in range(20):
        assert f"turn {i}" in str(asyncio.run(model.ainvoke(f"turn {i}")).content)
        chunks = asyncio.run(_collect(model, f"stream {i}"))
        assert f"stream {i}" in "".join(chunks)
    gc.collect()


async def _collect(model: ChatOneMinAI, prompt: str) -> list[str]:
    return [chunk.text async for chunk in model.astream(prompt)]


async def test_one_session_per_loop_reused_across_calls(emulator: OneMinAIEmulator) -> None:
    client = emulator_client(emulator)
    await asyncio.gather(*(client.achat("gpt-4o-mini", f"q{i}") for i in range(25)))
    assert client.open_async_sessions == 1
    session = await client._async.session()
    await client.achat("gpt-4o-mini", "again")
    assert await client._async.session() is session
    await client.aclose()
    assert client.open_async_sessions == 0


def test_eight_threads_with_their_own_loops(emulator: OneMinAIEmulator) -> None:
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url)
    errors: list[BaseException] = []
    replies: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            for turn in range(3):
                sync_reply = model.invoke(f"sync {n}.{turn}").text
                async_reply = asyncio.run(model.ainvoke(f"async {n}.{turn}")).text
                with lock:
                    replies.extend([sync_reply, async_reply])
        except BaseException as error:
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(replies) == 48
    assert model._client().open_async_sessions == 0
    gc.collect()


def test_user_supplied_requests_session_is_used_and_not_closed(emulator: OneMinAIEmulator) -> None:
    session = requests.Session()
    adapter_calls = []
    session.hooks["response"].append(
        lambda response, *a, **k: adapter_calls.append(response.status_code)
    )
    with emulator_client(emulator, session=session) as client:
        client.chat("gpt-4o-mini", "hi")
    assert adapter_calls == [200]
    # still usable: the client did not close it
    assert (
        session.get(f"{emulator.base_url}/models?feature=TEXT_TO_SPEECH", timeout=5).status_code
        == 200
    )
    session.close()


async def test_user_supplied_aiohttp_session_is_used_and_not_closed(
    emulator: OneMinAIEmulator,
) -> None:
    async with aiohttp.ClientSession() as session:
        client = emulator_client(emulator, aiohttp_session=session)
        await client.achat("gpt-4o-mini", "hi")
        await client.aclose()
        assert not session.closed
        assert client.open_async_sessions == 0  # it never made one of its own
        async with session.get(f"{emulator.base_url}/models?feature=TEXT_TO_SPEECH") as response:
            assert response.status == 200


def test_client_close_is_idempotent(emulator: OneMinAIEmulator) -> None:
    client = OneMinAIClient(api_key=emulator.api_key, base_url=emulator.base_url)
    client.chat("gpt-4o-mini", "hi")
    client.close()
    client.close()
    # a closed pool is recreated on the next call rather than failing
    assert client.chat("gpt-4o-mini", "again").text
    client.close()


def test_a_model_built_per_request_leaves_no_unclosed_session(
    emulator: OneMinAIEmulator, caplog: Any
) -> None:
    # A web handler (FastAPI, LangServe) building its model per request, on one long-lived loop.
    async def handler(i: int) -> str:
        model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url)
        history = OneMinAIChatMessageHistory(
            session_id=f"user-{i}", api_key=emulator.api_key, base_url=emulator.base_url
        )
        await history.aget_messages()
        return str((await model.ainvoke(f"request {i}")).content)

    async def server() -> None:
        for i in range(20):
            assert f"request {i}" in await handler(i)
            gc.collect()  # the request's model and history are gone now

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        asyncio.run(server())
        gc.collect()
    unclosed = [r for r in caplog.records if "Unclosed" in r.getMessage()]
    assert unclosed == []  # (and -W error::ResourceWarning fails on any unclosed one)
