"""The fault matrix: every emulator fault, sync and async, gives success after the documented
retries or the documented exception, in bounded time, with nothing left open."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import pytest

from langchain_oneminai import OneMinAIClient
from langchain_oneminai._transport import Timeouts
from langchain_oneminai._wire import ContentDelta, StreamResult
from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from langchain_oneminai.errors import (
    APIConnectionError,
    APITimeoutError,
    GenerationFailedError,
    RateLimitError,
    ResponseError,
    ServerError,
    StreamError,
)
from tests.helpers import call, emulator_client, requests_summary, stream

REPLY = ScriptedReply(chunks=["Héllo ", "wörld ", "✓ ", "done"])
TEXT = "Héllo wörld ✓ done"


@dataclass(frozen=True)
class Case:
    fault: Fault
    times: int | None = 1
    error: type[BaseException] | None = None
    attempts: int = 1
    """Requests the emulator must have seen (retries included)."""


# -- non-streaming ----------------------------------------------------------------------

JSON_CASES = {
    "429-retry-after": Case(Fault(status=429, retry_after="0"), attempts=2),
    "429-no-retry-after": Case(Fault(status=429), attempts=2),
    "429-always": Case(
        Fault(status=429, retry_after="0"), times=None, error=RateLimitError, attempts=3
    ),
    "429-retry-after-too-long": Case(
        Fault(status=429, retry_after="3600"), error=RateLimitError, attempts=1
    ),
    "500": Case(Fault(status=500), error=ServerError),
    "502": Case(Fault(status=502), attempts=2),
    "503": Case(Fault(status=503, retry_after="0"), attempts=2),
    "504": Case(Fault(status=504), error=ServerError),
    "503-always": Case(Fault(status=503), times=None, error=ServerError, attempts=3),
    "reset-before-response": Case(Fault(reset_before_response=True), error=APIConnectionError),
    "invalid-json": Case(Fault(invalid_json=True), error=ResponseError),
    "failed-record": Case(
        Fault(failed_record=True, failed_message="Model overloaded"), error=GenerationFailedError
    ),
}


@pytest.mark.parametrize("name", JSON_CASES)
def test_json_fault_matrix(
    name: str, mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    case = JSON_CASES[name]
    emulator.script_chat(TEXT)
    emulator.add_fault(case.fault, route="chat", times=case.times)
    if case.error is None:
        assert call(mode, client, "chat", "gpt-4o-mini", "hi").text == TEXT
    else:
        with pytest.raises(case.error) as caught:
            call(mode, client, "chat", "gpt-4o-mini", "hi")
        assert emulator.api_key not in str(caught.value)
    assert len(emulator.requests) == case.attempts
    assert client.open_async_sessions == 0


def test_failed_record_carries_the_reason(
    client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.add_fault(Fault(failed_record=True, failed_message="Model overloaded"), route="chat")
    with pytest.raises(GenerationFailedError, match="Model overloaded") as caught:
        client.chat("gpt-4o-mini", "hi")
    assert caught.value.api_message == "Model overloaded"


def test_read_timeout_is_not_retried(mode: str, emulator: OneMinAIEmulator) -> None:
    emulator.add_fault(Fault(latency=5.0), route="chat")
    with emulator_client(emulator, timeout=Timeouts(connect=2.0, read=0.3)) as client:
        with pytest.raises(APITimeoutError, match="sent nothing for 0.3 s"):
            call(mode, client, "chat", "gpt-4o-mini", "hi")
    assert len(emulator.requests) == 1


def test_connection_refused_is_retried_then_raised(mode: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with emulator_client_for(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(
            APIConnectionError, match="Could not connect to 1min.ai .*\\(POST"
        ) as caught:
            call(mode, client, "chat", "gpt-4o-mini", "hi")
    assert type(caught.value) is APIConnectionError  # refused, not a timeout


def emulator_client_for(base_url: str) -> OneMinAIClient:
    from tests.helpers import FAST_RETRIES

    return OneMinAIClient(api_key="k", base_url=base_url, retry_policy=FAST_RETRIES)


# -- streaming --------------------------------------------------------------------------

STREAM_CASES: dict[str, tuple[Case, str | None]] = {
    # retried before the stream starts
    "429-before-stream": (Case(Fault(status=429, retry_after="0"), attempts=2), TEXT),
    "503-before-stream": (Case(Fault(status=503)), ""),
    # quirks the decoder absorbs
    "duplicated-final-content": (Case(Fault(duplicate_final_content=True)), TEXT),
    "utf8-split": (Case(Fault(split_utf8=True)), TEXT),
    "one-byte-writes": (Case(Fault(write_size=1)), TEXT),
    "crlf": (Case(Fault(crlf=True)), TEXT),
    "no-done-event": (Case(Fault(omit_done=True)), TEXT),
    "legacy-raw-text": (Case(Fault(raw_text_stream=True)), TEXT),
    # failures after the first chunk: never retried, deltas delivered first
    "error-event": (Case(Fault(error_event_after=2), error=StreamError), "Héllo wörld "),
    # deltas and the error in ONE network chunk: the deltas still come first
    "error-event-same-chunk": (
        Case(Fault(error_event_after=2, write_size=1_000_000), error=StreamError),
        "Héllo wörld ",
    ),
    "error-event-message-key": (
        Case(Fault(error_event_after=1, error_event_key="message"), error=StreamError),
        "Héllo ",
    ),
    "truncated": (Case(Fault(truncate_after_chunks=2), error=StreamError), "Héllo wörld "),
    "truncated-mid-event": (Case(Fault(truncate_mid_event=True), error=StreamError), None),
    "reset-mid-stream": (
        Case(Fault(reset_after_chunks=2), error=APIConnectionError),
        "Héllo wörld ",
    ),
    "invalid-result-json": (Case(Fault(invalid_json=True), error=StreamError), TEXT),
    # a failed generation sends no deltas, only its FAILED record
    "failed-record": (Case(Fault(failed_record=True), error=GenerationFailedError), ""),
}
STREAM_CASES["503-before-stream"] = (Case(Fault(status=503, retry_after="0"), attempts=2), TEXT)


@pytest.mark.parametrize("name", STREAM_CASES)
def test_stream_fault_matrix(
    name: str, mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    case, text = STREAM_CASES[name]
    emulator.script_chat(REPLY)
    emulator.add_fault(case.fault, route="chat", times=case.times)
    events, error = stream(mode, client, "gpt-4o-mini", "hi")
    delivered = "".join(e.text for e in events if isinstance(e, ContentDelta))
    if case.error is None:
        assert error is None
        assert delivered == TEXT
        assert any(isinstance(e, StreamResult) for e in events) or case.fault.raw_text_stream
    else:
        assert isinstance(error, case.error), error
        if text is not None:
            assert delivered == text
        else:
            assert TEXT.startswith(delivered)
    assert len(emulator.requests) == case.attempts
    assert client.open_async_sessions == 0


def test_stall_mid_stream_hits_the_idle_timeout_after_the_chunks(
    mode: str, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(REPLY)
    emulator.add_fault(Fault(stall_after_chunks=2, stall_seconds=10), route="chat")
    with emulator_client(emulator, timeout=Timeouts(connect=2.0, read=0.3)) as client:
        events, error = stream(mode, client, "gpt-4o-mini", "hi")
    assert isinstance(error, APITimeoutError)
    assert [e.text for e in events] == ["Héllo ", "wörld "]
    assert len(emulator.requests) == 1


# -- parity -----------------------------------------------------------------------------


def run_scenario(client: OneMinAIClient, emulator: OneMinAIEmulator, mode: str) -> list[Any]:
    """One scripted scenario touching every route; returns results and exception types."""
    emulator.reset()
    emulator.script_chat("First")
    emulator.add_fault(Fault(status=429, retry_after="0"), route="chat", times=1)
    outcomes: list[Any] = [call(mode, client, "chat", "gpt-4o-mini", "one").text]
    events, error = stream(mode, client, "gpt-4o-mini", "two")
    outcomes.append(([type(e).__name__ for e in events], type(error)))
    emulator.add_fault(Fault(status=500), route="features", times=1)
    for feature_call in [("IMAGE_GENERATOR", "dall-e-2", {"prompt": "x"})]:
        try:
            call(mode, client, "run_feature", *feature_call)
        except Exception as caught:
            outcomes.append(type(caught))
    conversation = call(mode, client, "create_conversation", "Parity", "gpt-4o-mini")
    outcomes.append(len(call(mode, client, "get_conversation_messages", conversation.uuid)))
    outcomes.append(call(mode, client, "list_models", "TEXT_TO_SPEECH", refresh=True).ids)
    return outcomes


def test_sync_and_async_twins_behave_identically(emulator: OneMinAIEmulator) -> None:
    results = {}
    logs = {}
    for mode in ("sync", "async"):
        with emulator_client(emulator) as client:
            results[mode] = run_scenario(client, emulator, mode)
            logs[mode] = requests_summary(emulator.requests)
    assert results["sync"] == results["async"]
    assert logs["sync"] == logs["async"]
    assert results["sync"][0] == "First"
    assert results["sync"][2] is ServerError
