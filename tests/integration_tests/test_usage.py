"""The credit meter (``get_oneminai_callback``) and the budget (``max_credits``), on the wire.

Every number asserted here is one the emulator was told to report (a scripted
``aiRecord.credit``), or the price the package's catalog records for the model: the meter
must add what 1min.ai said, keep estimates apart, and a budget must refuse before sending.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from langchain_core.tools import ToolException

from langchain_oneminai import (
    ChatOneMinAI,
    OneMinAIClient,
    OneMinAITextToSpeechTool,
    OneMinAIToolkit,
    get_oneminai_callback,
)
from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply
from langchain_oneminai.emulator._media import render_png, render_wav
from langchain_oneminai.errors import CreditBudgetExceededError, InvalidInputError
from tests.helpers import emulator_client

CHAT = "UNIFY_CHAT_WITH_AI"
TTS = "TEXT_TO_SPEECH"


def billed(text: str, credit: float) -> ScriptedReply:
    """A chat reply whose record reports ``credit``."""
    return ScriptedReply(text=text, record={"credit": credit})


def chat_requests(emulator: OneMinAIEmulator) -> list[Any]:
    return [r.json for r in emulator.requests if r.route == "chat"]


def invoke(mode: str, model: ChatOneMinAI, prompt: str) -> Any:
    return model.invoke(prompt) if mode == "sync" else asyncio.run(model.ainvoke(prompt))


def stream_text(mode: str, model: ChatOneMinAI, prompt: str) -> str:
    if mode == "sync":
        return "".join(str(chunk.content) for chunk in model.stream(prompt))

    async def collect() -> str:
        return "".join([str(chunk.content) async for chunk in model.astream(prompt)])

    return asyncio.run(collect())


def test_the_meter_adds_the_reported_credits_of_invokes_streams_and_tools(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    model = ChatOneMinAI(model="gpt-4o-mini", client=client)
    tool = OneMinAITextToSpeechTool(client=client)
    emulator.script_chat(billed("One.", 3))
    emulator.script_chat(billed("Two.", 4.5))
    emulator.script_feature(TTS, ScriptedReply(record={"credit": 15}))
    before_tool = len(emulator.requests)
    with get_oneminai_callback() as meter:
        assert invoke(mode, model, "first").content == "One."
        assert stream_text(mode, model, "second") == "Two."
        args = {"text": "Hello."}
        call = {"args": args, "id": "c1", "name": tool.name, "type": "tool_call"}
        tool.invoke(call) if mode == "sync" else asyncio.run(tool.ainvoke(call))
    assert len(emulator.requests) > before_tool
    assert (meter.requests, meter.credits, meter.reported) == (3, 22.5, 3)
    assert (meter.estimated, meter.estimated_credits) == (0, 0.0)
    by_model = {key: (u.requests, u.credits) for key, u in meter.by_model.items()}
    assert by_model == {(CHAT, "gpt-4o-mini"): (2, 7.5), (TTS, "tts-1"): (1, 15.0)}
    assert str(meter).splitlines()[:2] == [
        "Requests: 3",
        "Credits (reported by 1min.ai, 3 of 3 requests): 22.5",
    ]


def test_calls_outside_the_block_are_not_counted_and_nested_meters_both_count(
    client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(billed("before", 1))
    emulator.script_chat(billed("inner", 2))
    emulator.script_chat(billed("outer", 3))
    client.chat("gpt-4o-mini", "before")
    with get_oneminai_callback() as outer:
        with get_oneminai_callback() as inner:
            client.chat("gpt-4o-mini", "inner")
        client.chat("gpt-4o-mini", "outer")
    client.chat("gpt-4o-mini", "after")
    assert (inner.requests, inner.credits) == (1, 2.0)
    assert (outer.requests, outer.credits) == (2, 5.0)


def test_token_counts_are_summed_when_the_records_report_them(
    client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.settings.record_token_usage = True
    model = ChatOneMinAI(model="gpt-4o-mini", client=client)
    with get_oneminai_callback() as meter:
        replies = [model.invoke("Say one short thing."), model.invoke("And another, please.")]
    usages = [reply.usage_metadata for reply in replies]
    assert all(usage is not None for usage in usages)
    assert meter.input_tokens == sum(u["input_tokens"] for u in usages if u)
    assert meter.output_tokens == sum(u["output_tokens"] for u in usages if u)
    assert meter.total_tokens == sum(u["total_tokens"] for u in usages if u) > 0
    assert (meter.requests, meter.reported, meter.credits) == (2, 0, 0.0)  # no credit reported


def test_a_feature_without_reported_credits_gets_a_labelled_estimate(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    tool = OneMinAITextToSpeechTool(client=client)
    call = {"args": {"text": "Hi."}, "id": "c1", "name": tool.name, "type": "tool_call"}
    emulator.script_chat("no price known for a chat call")
    with get_oneminai_callback() as meter:
        tool.invoke(call) if mode == "sync" else asyncio.run(tool.ainvoke(call))
        client.chat("gpt-4o-mini", "hello")
    # tts-1 costs 15 credits a call by its recorded price list; chat is priced per token by a
    # formula no source documents, so it gets no estimate.
    assert (meter.credits, meter.reported) == (0.0, 0)
    assert (meter.estimated_credits, meter.estimated) == (15.0, 1)
    assert meter.by_model[(TTS, "tts-1")].estimated_credits == 15.0
    assert meter.by_model[(CHAT, "gpt-4o-mini")].estimated == 0
    assert "Credits (estimated from price lists, 1 requests): ~15" in str(meter)


def test_batches_and_threads_that_copy_the_context_are_counted(
    client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    model = ChatOneMinAI(model="gpt-4o-mini", client=client)
    for number in range(5):
        emulator.script_chat(billed(f"reply {number}", 2))
    with get_oneminai_callback() as meter:
        model.batch(["a", "b", "c"], config={"max_concurrency": 3})
        with ThreadPoolExecutor(2) as pool:
            context = contextvars.copy_context()
            futures = [pool.submit(context.copy().run, client.chat, "gpt-4o-mini", q) for q in "de"]
            [future.result() for future in futures]
    assert (meter.requests, meter.credits) == (5, 10.0)


def test_a_budget_refuses_the_next_call_before_sending(
    mode: str, emulator: OneMinAIEmulator
) -> None:
    model = ChatOneMinAI(
        model="gpt-4o-mini",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_credits=5,
    )
    emulator.script_chat(billed("three", 3))
    emulator.script_chat(billed("two more", 2))
    invoke(mode, model, "one")
    invoke(mode, model, "two")  # 3 < 5: allowed, and it reaches the budget
    sent = len(chat_requests(emulator))
    with pytest.raises(CreditBudgetExceededError) as caught:
        invoke(mode, model, "three")
    assert len(chat_requests(emulator)) == sent == 2
    assert (caught.value.spent, caught.value.max_credits) == (5.0, 5.0)
    assert "Nothing was sent" in str(caught.value)
    with pytest.raises(CreditBudgetExceededError):
        stream_text(mode, model, "streams are refused the same way")
    assert len(chat_requests(emulator)) == 2


def test_credits_that_are_no_finite_amount_count_as_unreported(
    mode: str, emulator: OneMinAIEmulator
) -> None:
    # A hostile or broken server: a refund would reopen the budget and NaN would disable it.
    model = ChatOneMinAI(
        model="gpt-4o-mini",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_credits=5,
    )
    for credit in (-100, float("nan"), "lots", True):
        emulator.script_chat(ScriptedReply(text=f"reply {credit}", record={"credit": credit}))
    emulator.script_chat(billed("five", 5))
    with get_oneminai_callback() as meter:
        texts = [invoke(mode, model, f"q{n}").content for n in range(5)]
    assert texts == ["reply -100", "reply nan", "reply lots", "reply True", "five"]
    assert (meter.requests, meter.reported, meter.credits) == (5, 1, 5.0)
    with pytest.raises(CreditBudgetExceededError):
        invoke(mode, model, "refused")
    assert len(chat_requests(emulator)) == 5


def test_each_component_has_its_own_budget_and_a_toolkit_shares_one(
    emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    connection = {"api_key": emulator.api_key, "base_url": emulator.base_url}
    spender = ChatOneMinAI(model="gpt-4o-mini", max_credits=1, **connection)
    other = ChatOneMinAI(model="gpt-4o-mini", max_credits=1, **connection)
    emulator.script_chat(billed("spent", 1))
    spender.invoke("spend it")
    with pytest.raises(CreditBudgetExceededError):
        spender.invoke("refused")
    assert other.invoke("mine is untouched").content  # same settings, its own budget

    with emulator_client(emulator) as shared:
        budgeted = ChatOneMinAI(model="gpt-4o-mini", client=shared, max_credits=1)
        emulator.script_chat(billed("spent", 1))
        budgeted.invoke("spend it")
        with pytest.raises(CreditBudgetExceededError):
            budgeted.invoke("refused")
        shared.chat("gpt-4o-mini", "the shared client has no budget of its own")
        assert shared.credits_spent == 1.0  # it still counts what its components spent

    with emulator_client(emulator, max_credits=2) as capped:  # shared by its components
        first = ChatOneMinAI(model="gpt-4o-mini", client=capped)
        second = ChatOneMinAI(model="gpt-4o-mini", client=capped, max_credits=100)
        emulator.script_chat(billed("one", 1))
        emulator.script_chat(billed("two", 1))
        first.invoke("spend one")
        second.invoke("spend another")  # its own budget has room; the client's is now used up
        sent = len(chat_requests(emulator))
        for model in (first, second):
            with pytest.raises(CreditBudgetExceededError, match="max_credits=2"):
                model.invoke("refused")
        assert len(chat_requests(emulator)) == sent

    toolkit = OneMinAIToolkit(max_credits=15, root_dir=tmp_path, **connection)
    tts = next(t for t in toolkit.get_tools() if isinstance(t, OneMinAITextToSpeechTool))
    emulator.script_feature(TTS, ScriptedReply(record={"credit": 15}))
    tts.invoke({"text": "Hello."})
    sent = len(emulator.requests)
    arguments = {
        "oneminai_image_generator": {"prompt": "a lighthouse"},
        "oneminai_image_editor": {"image": "lighthouse.png", "prompt": "at night"},
        "oneminai_text_to_speech": {"text": "Hello."},
        "oneminai_speech_to_text": {"audio": "hello.wav"},
    }
    (tmp_path / "lighthouse.png").write_bytes(render_png("a lighthouse", 16, 16))
    (tmp_path / "hello.wav").write_bytes(render_wav("hello"))
    for tool in OneMinAIToolkit(max_credits=0, root_dir=tmp_path, **connection).get_tools():
        tool.handle_tool_error = False
        with pytest.raises(ToolException) as caught:  # before the upload, too
            tool.invoke(arguments[tool.name])
        assert isinstance(caught.value.__cause__, CreditBudgetExceededError)
    for tool in toolkit.get_tools():  # every tool of the toolkit draws on the same budget
        tool.handle_tool_error = False
        with pytest.raises(ToolException) as caught:
            tool.invoke(arguments[tool.name])
        assert isinstance(caught.value.__cause__, CreditBudgetExceededError)
    assert len(emulator.requests) == sent


def test_a_budget_refusal_reaches_an_agent_as_a_tool_error(emulator: OneMinAIEmulator) -> None:
    tool = OneMinAITextToSpeechTool(
        api_key=emulator.api_key, base_url=emulator.base_url, max_credits=0
    )
    call = {"args": {"text": "Hi."}, "id": "c1", "name": tool.name, "type": "tool_call"}
    message = tool.invoke(call)
    assert message.status == "error"
    assert "max_credits=0" in message.content
    assert [r for r in emulator.requests if r.route == "features"] == []


@pytest.mark.parametrize("value", [-1, math.nan, math.inf, "5", True])
def test_a_bad_budget_is_refused_at_construction(value: Any) -> None:
    with pytest.raises(InvalidInputError, match="max_credits"):
        ChatOneMinAI(api_key="k", max_credits=value)
    with pytest.raises(InvalidInputError, match="max_credits"):
        OneMinAIClient(api_key="k", max_credits=value)
