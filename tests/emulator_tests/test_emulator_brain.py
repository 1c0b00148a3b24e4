"""The pluggable brain (``OneMinAIEmulator(brain=...)``), over raw HTTP.

Every wait is bounded by an event timeout or an HTTP timeout; nothing asserts on elapsed time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import requests

from langchain_oneminai.emulator import BrainRequest, Fault, OneMinAIEmulator
from langchain_oneminai.emulator.__main__ import load_brain
from tests.emulator_tests.raw_http import (
    KEY,
    TIMEOUT,
    chat_body,
    post_chat,
    reply_text,
    sse_events,
    upload,
)

pytestmark = pytest.mark.timeout(60)

WAIT = 20.0
"""Longest any test waits for an event of another thread (a bound, never a measurement)."""


def _text(request: BrainRequest) -> str:
    return f"text for {request.prompt}"


def _chunks(request: BrainRequest) -> list[str]:
    return ["chunks ", "for ", request.prompt]


def _generator(request: BrainRequest) -> Iterator[str]:
    yield "generated "
    yield "for "
    yield request.prompt


async def _awaitable(request: BrainRequest) -> str:
    await asyncio.sleep(0)
    return f"awaited for {request.prompt}"


async def _async_chunks(request: BrainRequest) -> AsyncIterator[str]:
    for piece in ("async ", "for ", request.prompt):
        await asyncio.sleep(0)
        yield piece


def _sync_returning_awaitable(request: BrainRequest) -> Any:
    return _awaitable(request)  # a plain function: called in a worker, awaited on the loop


class _CallableObject:
    async def __call__(self, request: BrainRequest) -> str:
        return f"object for {request.prompt}"


KINDS: dict[str, tuple[Callable[[BrainRequest], Any], list[str]]] = {
    "str": (_text, ["text for q"]),
    "list": (_chunks, ["chunks ", "for ", "q"]),
    "generator": (_generator, ["generated ", "for ", "q"]),
    "awaitable": (_awaitable, ["awaited for q"]),
    "async-generator": (_async_chunks, ["async ", "for ", "q"]),
    "async-callable-object": (_CallableObject(), ["object for q"]),
    "sync-returning-awaitable": (_sync_returning_awaitable, ["awaited for q"]),
}


@pytest.fixture
def with_brain() -> Iterator[Callable[[Callable[[BrainRequest], Any]], OneMinAIEmulator]]:
    """Start an emulator with a given brain; stopped at the end of the test."""
    started: list[OneMinAIEmulator] = []

    def start(brain: Callable[[BrainRequest], Any]) -> OneMinAIEmulator:
        emulator = OneMinAIEmulator(api_key=KEY, brain=brain).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_return_kind_answers_json(with_brain, http, kind):
    brain, chunks = KINDS[kind]
    emu = with_brain(brain)
    response = post_chat(http, emu, chat_body("q"))
    assert reply_text(response) == "".join(chunks)
    record = response.json()["aiRecord"]
    assert (record["status"], record["model"], record["type"]) == (
        "SUCCESS",
        "gpt-4o-mini",
        "UNIFY_CHAT_WITH_AI",
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_return_kind_streams_its_chunks_as_content_events(with_brain, http, kind):
    brain, chunks = KINDS[kind]
    emu = with_brain(brain)
    response = post_chat(http, emu, chat_body("q"), stream=True)
    assert response.headers["Content-Type"] == "text/event-stream"
    events = sse_events(response.content)
    assert [name for name, _ in events] == ["content"] * len(chunks) + ["result", "done"]
    assert [data["content"] for name, data in events if name == "content"] == chunks
    record = events[-2][1]["aiRecord"]
    assert record["aiRecordDetail"]["resultObject"] == ["".join(chunks)]  # the full text


def test_the_request_carries_model_prompt_history_attachments_and_stream(with_brain, http):
    seen: list[BrainRequest] = []

    def brain(request: BrainRequest) -> str:
        seen.append(request)
        return f"reply {len(seen)}"

    emu = with_brain(brain)
    image = upload(http, emu, "cat.png", b"\x89PNG", "image/png")
    document = upload(http, emu, "a.pdf", b"%PDF", "application/pdf")
    conversation = http.post(
        f"{emu.base_url}/api/conversations",
        json={"type": "UNIFY_CHAT_WITH_AI", "title": "t", "model": "gpt-5.4"},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    ).json()["conversation"]["uuid"]
    post_chat(http, emu, chat_body("first", "gpt-5.4", conversationId=conversation))
    attachments = {"images": [image["path"]], "files": [document["uuid"]]}
    body = chat_body("second", "gpt-5.4", conversationId=conversation, attachments=attachments)
    post_chat(http, emu, body, stream=True)
    post_chat(http, emu, chat_body("alone"))
    assert seen[0] == BrainRequest("gpt-5.4", "first", (), (), (), stream=False)
    assert seen[1] == BrainRequest(
        model="gpt-5.4",
        prompt="second",
        history=(("first", "reply 1"),),
        images=(image["path"],),
        files=(document["uuid"],),
        stream=True,
    )
    assert seen[2].history == ()
    assert [t["reply"] for t in emu.conversations[conversation]["turns"]] == [
        "reply 1",
        "reply 2",
    ]
    with pytest.raises(AttributeError):
        seen[0].prompt = "x"  # type: ignore[misc]


def test_scripted_replies_win_over_the_brain(with_brain, http):
    calls: list[str] = []

    def brain(request: BrainRequest) -> str:
        calls.append(request.prompt)
        return "from the brain"

    emu = with_brain(brain)
    emu.script_chat("scripted")
    assert reply_text(post_chat(http, emu, chat_body("a"))) == "scripted"
    assert reply_text(post_chat(http, emu, chat_body("b"))) == "from the brain"
    assert calls == ["b"]


def test_a_generators_chunks_leave_as_they_come(with_brain, http):
    first_sent = threading.Event()
    closed = threading.Event()

    def brain(request: BrainRequest) -> Iterator[str]:
        try:
            yield "first "
            # The second chunk is produced only after the client holds the first one.
            assert first_sent.wait(WAIT), "the first chunk was held back"
            yield "second"
        finally:
            closed.set()

    emu = with_brain(brain)
    with http.post(
        f"{emu.base_url}/api/chat-with-ai?isStreaming=true",
        json=chat_body(),
        headers={"API-KEY": KEY},
        stream=True,
        timeout=TIMEOUT,
    ) as response:
        pieces = response.iter_content(None)
        assert next(pieces) == b'event: content\ndata: {"content":"first "}\n\n'
        first_sent.set()
        rest = b"".join(pieces)
    assert rest.startswith(b'event: content\ndata: {"content":"second"}\n\nevent: result')
    assert closed.wait(WAIT)


def test_a_slow_brain_does_not_stall_other_requests(with_brain, http):
    inside = threading.Semaphore(0)
    release = threading.Event()

    def brain(request: BrainRequest) -> str:
        inside.release()
        assert release.wait(WAIT), "never released"
        return f"slow {request.prompt}"

    emu = with_brain(brain)
    results: dict[str, str] = {}

    def ask(prompt: str) -> None:
        with requests.Session() as session:
            results[prompt] = reply_text(post_chat(session, emu, chat_body(prompt)))

    threads = [threading.Thread(target=ask, args=(p,), daemon=True) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    try:
        # Both requests are inside the brain at once: neither waits for the other.
        assert inside.acquire(timeout=WAIT)
        assert inside.acquire(timeout=WAIT)
        # The event loop keeps serving while both brains block their threads.
        assert http.get(f"{emu.base_url}/models?feature=TEXT_TO_SPEECH", timeout=TIMEOUT).ok
        emu.script_chat("scripted meanwhile")
        assert reply_text(post_chat(http, emu, chat_body("c"))) == "scripted meanwhile"
    finally:
        release.set()
        for thread in threads:
            thread.join(WAIT)
    assert results == {"a": "slow a", "b": "slow b"}


def test_stop_does_not_wait_for_a_brain_still_thinking(http):
    inside = threading.Event()
    release = threading.Event()

    def brain(request: BrainRequest) -> str:
        inside.set()
        release.wait(WAIT)
        return "too late"

    emulator = OneMinAIEmulator(api_key=KEY, brain=brain).start()
    outcome: list[BaseException | int] = []

    def ask() -> None:
        with requests.Session() as session:
            try:
                outcome.append(post_chat(session, emulator, chat_body()).status_code)
            except requests.RequestException as error:
                outcome.append(error)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    try:
        assert inside.wait(WAIT)
        emulator.stop()  # raises TimeoutError if it waited for the brain
    finally:
        release.set()
        thread.join(WAIT)
        emulator.stop()
    assert len(outcome) == 1
    assert isinstance(outcome[0], requests.ConnectionError)  # the request was cut, not answered


# -- failures -------------------------------------------------------------------------------


def _raises(request: BrainRequest) -> str:
    raise RuntimeError("the brain broke")


async def _raises_async(request: BrainRequest) -> str:
    raise RuntimeError("the brain broke")


def _returns_a_number(request: BrainRequest) -> Any:
    return 42


def _yields_a_number(request: BrainRequest) -> Iterator[Any]:
    yield 42


@pytest.mark.parametrize(
    ("brain", "message"),
    [
        (_raises, "RuntimeError: the brain broke"),
        (_raises_async, "RuntimeError: the brain broke"),
        (_returns_a_number, "TypeError: the brain returned int"),
        (_yields_a_number, "TypeError: the brain yielded int, not str"),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_a_failing_brain_is_a_500_with_a_json_body_and_a_log_line(
    with_brain, http, caplog, brain, message, stream
):
    emu = with_brain(brain)
    with caplog.at_level(logging.ERROR, logger="langchain_oneminai.emulator"):
        response = post_chat(http, emu, chat_body(), stream=stream)
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["error"] == "Internal Server Error"
    assert body["statusCode"] == 500
    assert message in body["message"]
    assert body["message"].startswith("The emulator's brain failed:")
    assert any(r.name == "langchain_oneminai.emulator" and r.exc_info for r in caplog.records)
    assert emu.requests[-1].status == 500
    emu.script_chat("still serving")
    assert reply_text(post_chat(http, emu, chat_body())) == "still serving"


def test_a_brain_failing_mid_stream_ends_it_with_an_error_event(with_brain, http, caplog):
    def brain(request: BrainRequest) -> Iterator[str]:
        yield "partial "
        raise ValueError("ran out of ideas")

    emu = with_brain(brain)
    with caplog.at_level(logging.ERROR, logger="langchain_oneminai.emulator"):
        response = post_chat(http, emu, chat_body(), stream=True)
    assert response.status_code == 200
    events = sse_events(response.content)
    assert events == [
        ("content", {"content": "partial "}),
        ("error", {"error": "The emulator's brain failed: ValueError: ran out of ideas"}),
    ]
    assert caplog.records
    # Without a stream the whole reply is needed first, so the same failure is a 500.
    assert post_chat(http, emu, chat_body()).status_code == 500


# -- the brain and the rest of the emulator ---------------------------------------------------


def test_faults_still_apply_and_a_cut_stream_closes_the_generator(with_brain, http):
    closed = threading.Event()

    def brain(request: BrainRequest) -> Iterator[str]:
        try:
            yield from ("a", "b", "c", "d")
        finally:
            closed.set()

    emu = with_brain(brain)
    emu.add_fault(Fault(truncate_after_chunks=2))
    response = post_chat(http, emu, chat_body(), stream=True)
    assert [d["content"] for n, d in sse_events(response.content)] == ["a", "b"]
    assert closed.wait(WAIT)


def test_a_failed_record_fault_skips_the_brain(with_brain, http):
    calls: list[str] = []

    def brain(request: BrainRequest) -> str:
        calls.append(request.prompt)
        return "unused"

    emu = with_brain(brain)
    emu.add_fault(Fault(failed_record=True))
    record = post_chat(http, emu, chat_body()).json()["aiRecord"]
    assert record["status"] == "FAILED"
    assert calls == []


def test_legacy_chat_is_answered_by_the_brain_too(with_brain, http):
    emu = with_brain(_generator)
    emu.settings.legacy_chat = "serve"
    body = {"type": "CHAT_WITH_AI", "model": "gpt-4o-mini", "promptObject": {"prompt": "q"}}
    streamed = http.post(
        f"{emu.base_url}/api/features?isStreaming=true",
        json=body,
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    assert streamed.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert streamed.content == b"generated for q"


def test_a_brain_streaming_into_a_conversation_stores_the_whole_turn(with_brain, http):
    emu = with_brain(_async_chunks)
    conversation = http.post(
        f"{emu.base_url}/api/conversations",
        json={"type": "UNIFY_CHAT_WITH_AI", "title": "t", "model": "gpt-4o-mini"},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    ).json()["conversation"]["uuid"]
    post_chat(http, emu, chat_body("q", conversationId=conversation), stream=True)
    (turn,) = emu.conversations[conversation]["turns"]
    assert (turn["prompt"], turn["reply"]) == ("q", "async for q")


# -- the CLI's --brain ---------------------------------------------------------------------------


def test_load_brain_resolves_module_colon_attribute():
    assert load_brain("tests.emulator_tests.test_emulator_brain:_text") is _text
    method: object = load_brain("tests.emulator_tests.test_emulator_brain:_CallableObject.__call__")
    assert method is _CallableObject.__call__  # dotted attributes resolve too
    with pytest.raises(ValueError, match="MODULE:CALLABLE"):
        load_brain("no-colon")
    with pytest.raises(TypeError, match="not callable"):
        load_brain("tests.emulator_tests.test_emulator_brain:WAIT")
    with pytest.raises(ImportError):
        load_brain("no_such_module_anywhere:brain")
