"""Reliability: load under rate limiting, and the API key never leaking anywhere.

(The fault matrix is in test_faults.py; event loops and threads in test_sessions.py.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import ToolException

from langchain_oneminai import (
    ChatOneMinAI,
    OneMinAIChatMessageHistory,
    OneMinAIConversationLoader,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
)
from langchain_oneminai.emulator import Fault, OneMinAIEmulator
from langchain_oneminai.errors import OneMinAIError, RateLimitError
from tests.helpers import emulator_client

# -- load -------------------------------------------------------------------------------

TOTAL = 2000
TASKS = 50


async def test_2000_requests_under_30_percent_rate_limiting_are_all_accounted_for(
    emulator: OneMinAIEmulator,
) -> None:
    emulator.add_fault(Fault(status=429, retry_after="0"), route="chat", times=None, rate=0.3)
    client = emulator_client(emulator)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(TOTAL):
        queue.put_nowait(index)
    outcomes: dict[int, str | BaseException] = {}

    async def worker() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            try:
                record = await client.achat("gpt-4o-mini", f"request {index}")
                outcomes[index] = record.text
            except RateLimitError as error:
                outcomes[index] = error

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(TASKS))), timeout=120)
    await client.aclose()

    # every request has exactly one outcome: a reply to IT, or a RateLimitError
    assert sorted(outcomes) == list(range(TOTAL))
    failures = {i for i, o in outcomes.items() if isinstance(o, BaseException)}
    for index, outcome in outcomes.items():
        if index not in failures:
            assert f'"request {index}"' in str(outcome)

    # the emulator saw each request 1 + (its retries) times: nothing lost, nothing duplicated
    log = [r for r in emulator.requests if r.route == "chat"]
    attempts = Counter(r.json["promptObject"]["prompt"] for r in log)
    assert set(attempts) == {f"request {i}" for i in range(TOTAL)}
    for index in range(TOTAL):
        seen = attempts[f"request {index}"]
        statuses = (
            [r.status for r in log if r.json["promptObject"]["prompt"] == f"request {index}"]
            if seen > 1
            else None
        )
        if index in failures:
            assert seen == 3  # max_retries=2: three 429s in a row
        else:
            assert 1 <= seen <= 3
            if statuses:
                assert statuses[-1] == 200 and set(statuses[:-1]) == {429}
    assert sum(attempts.values()) == len(log)
    assert 0.2 < sum(1 for r in log if r.status == 429) / len(log) < 0.4
    assert len(failures) < TOTAL * 0.1


# -- secrets ----------------------------------------------------------------------------

SECRET = "sk-1minai-SECRET-9f8e7d6c5b4a"
WRONG_SECRET = "sk-WRONG-KEY-1a2b3c4d5e"


class CaptureEverything(BaseCallbackHandler):
    """A tracing callback that keeps every argument it is given, as text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _keep(self, *args: Any, **kwargs: Any) -> None:
        self.seen.append(repr(args) + repr(kwargs))
        with contextlib.suppress(TypeError, ValueError):
            self.seen.append(json.dumps([args, kwargs], default=repr))

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self._keep(serialized, messages, **kwargs)

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        self._keep(token, **kwargs)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self._keep(response, **kwargs)

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self._keep(error, **kwargs)

    def on_tool_start(self, serialized: dict[str, Any], input_str: str, **kwargs: Any) -> None:
        self._keep(serialized, input_str, **kwargs)

    def on_tool_end(self, output: Any, **kwargs: Any) -> None:
        self._keep(output, **kwargs)

    def on_tool_error(self, error: BaseException, **kwargs: Any) -> None:
        self._keep(error, **kwargs)

    def on_chain_start(
        self, serialized: dict[str, Any], inputs: Any, *, run_id: UUID, **kwargs: Any
    ) -> None:
        self._keep(serialized, inputs, **kwargs)


@pytest.fixture
def secret_emulator(emulator_server: OneMinAIEmulator) -> Iterator[OneMinAIEmulator]:
    """A separate emulator whose key is the secret (the shared one uses a public test key)."""
    with OneMinAIEmulator(api_key=SECRET) as emulator:
        yield emulator


def exercise(emulator: OneMinAIEmulator, handler: CaptureEverything) -> list[str]:
    """Run success and every error path; return every text a user could see."""
    texts: list[str] = []
    config: RunnableConfig = {"callbacks": [handler]}
    model = ChatOneMinAI(
        api_key=SECRET,
        base_url=emulator.base_url,
        asset_base_url=emulator.asset_base_url,
        timeout=(2, 0.5),
    )
    texts += [
        repr(model),
        str(model),
        json.dumps(dumpd(model)),
        repr(model._get_ls_params()),
        repr(model._identifying_params),
    ]
    texts += [
        repr(model.asdict()),
        json.dumps(model.model_dump(mode="json"), default=repr),
        repr(model._client()),
    ]
    texts.append(repr(model.invoke("hello", config=config)))
    texts.append(repr(list(model.stream("hello", config=config))))
    texts.append(repr(asyncio.run(model.ainvoke("hello", config=config))))
    faults = [
        Fault(status=429),
        Fault(status=500, body={"message": f"echo of the key {SECRET}"}),
        Fault(
            status=400,
            body={"errorCode": "REQUEST_BODY_VALIDATION_FAILED", "message": f"bad {SECRET}"},
        ),
        Fault(invalid_json=True),
        Fault(failed_record=True, failed_message=f"failed for {SECRET}"),
        Fault(error_event_after=1, error_event_message=f"stream broke {SECRET}"),
        Fault(reset_before_response=True),
        Fault(latency=2.0),
    ]
    for fault in faults:
        for runner in (
            lambda: model.invoke("x", config=config),
            lambda: list(model.stream("x", config=config)),
        ):
            emulator.add_fault(fault, route="chat", times=None)
            try:
                runner()
            except OneMinAIError as error:
                texts += [
                    str(error),
                    repr(error),
                    repr(error.body),
                    repr(error.api_message),
                    repr(error.__dict__),
                ]
            emulator.reset()
    wrong = ChatOneMinAI(api_key=WRONG_SECRET, base_url=emulator.base_url)
    with pytest.raises(OneMinAIError) as caught:
        wrong.invoke("x", config=config)
    texts += [
        str(caught.value),
        repr(caught.value),
        repr(caught.value.__dict__),
        repr(wrong),
        json.dumps(dumpd(wrong)),
    ]
    tool = OneMinAIImageTool(
        api_key=SECRET, base_url=emulator.base_url, asset_base_url=emulator.asset_base_url
    )
    texts += [repr(tool), repr(tool.invoke({"prompt": "a cat"}, config=config))]
    emulator.add_fault(Fault(status=402), route="features")
    refusal = tool.invoke(  # handed to the agent as a message by default: it must be clean too
        {"args": {"prompt": "a cat"}, "id": "1", "name": tool.name, "type": "tool_call"},
        config=config,
    )
    texts += [repr(refusal), str(refusal.content)]
    emulator.add_fault(Fault(status=402), route="features")
    tool.handle_tool_error = False
    with pytest.raises(ToolException) as tool_error:
        tool.invoke({"prompt": "a cat"}, config=config)
    texts += [str(tool_error.value), repr(tool_error.value.__cause__)]
    stt = OneMinAISpeechToTextTool(api_key=SECRET, base_url=emulator.base_url)
    texts.append(repr(stt))
    history = OneMinAIChatMessageHistory(
        session_id="secrets", api_key=SECRET, base_url=emulator.base_url
    )
    texts += [repr(history), repr(history.messages)]
    loader = OneMinAIConversationLoader(api_key=SECRET, base_url=emulator.base_url)
    texts += [repr(loader), repr(loader.load())]
    return texts


def test_the_key_never_appears_anywhere(
    secret_emulator: OneMinAIEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    handler = CaptureEverything()
    with caplog.at_level(logging.DEBUG):
        texts = exercise(secret_emulator, handler)
    everything = "\n".join(
        [*texts, *handler.seen, caplog.text, *(r.getMessage() for r in caplog.records)]
    )
    assert len(everything) > 10_000  # we really looked at a lot of output
    assert "POST /api/chat-with-ai -> 200" in caplog.text  # debug logging was on and captured
    for secret in (SECRET, WRONG_SECRET):
        assert secret not in everything
        assert re.search(re.escape(secret[:12]), everything) is None
    # the emulator's own log redacts it too
    assert all(SECRET not in json.dumps(r.headers) for r in secret_emulator.requests)
