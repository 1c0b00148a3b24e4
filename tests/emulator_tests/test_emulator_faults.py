"""Raw-HTTP tests of the emulator's fault injection (``Fault``, wire.md#emulator-chat knobs, wire.md#emulator-faults)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
import requests

from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from tests.emulator_tests.raw_http import KEY, TIMEOUT

pytestmark = pytest.mark.timeout(30)

CHAT = {"model": "gpt-4o-mini", "promptObject": {"prompt": "hi"}}
RATE_LIMITED = (
    b'{"error":"Too Many Requests","message":"Rate limit exceeded. Please try again later.",'
    b'"statusCode":429}'
)


def chat(
    http: requests.Session, emu: OneMinAIEmulator, *, stream: bool = False, **kwargs: Any
) -> requests.Response:
    query = "?isStreaming=true" if stream else ""
    kwargs.setdefault("timeout", TIMEOUT)
    kwargs.setdefault("stream", stream)
    return http.post(
        f"{emu.base_url}/api/chat-with-ai{query}", json=CHAT, headers={"API-KEY": KEY}, **kwargs
    )


def block(event: str, data: Any, newline: str = "\n") -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}{newline}data: {payload}{newline}{newline}".encode()


def events(raw: bytes) -> list[tuple[str, str]]:
    found = []
    for chunk in raw.decode().split("\n\n"):
        if chunk:
            lines = dict(line.split(": ", 1) for line in chunk.split("\n"))
            found.append((lines["event"], lines["data"]))
    return found


async def read_stream(emu, path: str = "/api/chat-with-ai?isStreaming=true", payload: Any = None):
    """(status, headers, bytes received, exception or None) of one aiohttp streamed request."""
    timeout = aiohttp.ClientTimeout(total=10)
    received = bytearray()
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(
            f"{emu.base_url}{path}", json=payload or CHAT, headers={"API-KEY": KEY}
        ) as response,
    ):
        try:
            async for piece in response.content.iter_any():
                received += piece
        except aiohttp.ClientPayloadError as error:
            return response.status, response.headers, bytes(received), error
        return response.status, response.headers, bytes(received), None


# -- status faults ----------------------------------------------------------------------------------


def test_429_with_the_fixture_body_and_no_retry_after(emu, http):
    emu.add_fault(Fault(status=429), route="chat", times=1)
    limited = chat(http, emu)
    assert (limited.status_code, limited.content) == (429, RATE_LIMITED)
    assert limited.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Retry-After" not in limited.headers
    assert chat(http, emu).status_code == 200
    assert [r.status for r in emu.requests] == [429, 200]


def test_retry_after_header(emu, http):
    emu.add_fault(Fault(status=429, retry_after="0"), route="chat")
    emu.add_fault(Fault(retry_after="Wed, 21 Oct 2015 07:28:00 GMT"), route="chat")
    first, second = chat(http, emu), chat(http, emu)
    assert (first.status_code, first.headers["Retry-After"]) == (429, "0")
    assert (second.status_code, second.headers["Retry-After"]) == (
        429,
        "Wed, 21 Oct 2015 07:28:00 GMT",
    )


def test_times(emu, http):
    emu.add_fault(Fault(status=503), route="chat", times=2)
    assert [chat(http, emu).status_code for _ in range(3)] == [503, 503, 200]
    emu.add_fault(Fault(status=502), route="chat", times=None)
    assert [chat(http, emu).status_code for _ in range(4)] == [502] * 4
    emu.reset()
    assert chat(http, emu).status_code == 200


def test_rate_is_seeded_and_reproducible(emu, http):
    def run() -> list[int]:
        emu.add_fault(Fault(status=429, retry_after="0"), route="chat", times=None, rate=0.3)
        return [chat(http, emu).status_code for _ in range(30)]

    first = run()
    assert set(first) == {200, 429}
    emu.reset()
    assert run() == first
    with OneMinAIEmulator(api_key=KEY, seed=0) as twin:
        twin.add_fault(Fault(status=429), route="chat", times=None, rate=0.3)
        assert [chat(http, twin).status_code for _ in range(30)] == first
    with OneMinAIEmulator(api_key=KEY, seed=1) as other:
        other.add_fault(Fault(status=429), route="chat", times=None, rate=0.3)
        assert [chat(http, other).status_code for _ in range(30)] != first


def test_routes(emu, http):
    emu.add_fault(Fault(status=500), route="features", times=None)
    assert chat(http, emu).status_code == 200
    emu.add_fault(Fault(status=418), route=None, times=None)
    assert chat(http, emu).status_code == 418
    assert http.get(f"{emu.base_url}/models", timeout=TIMEOUT).status_code == 418
    assert http.get(f"{emu.asset_base_url}/images/x.png", timeout=TIMEOUT).status_code == 418
    assert http.get(f"{emu.base_url}/nowhere", timeout=TIMEOUT).status_code == 418
    assert http.post(f"{emu.base_url}/api/features", json={}, timeout=TIMEOUT).status_code == 500


@pytest.mark.parametrize(
    ("status", "content_type", "content"),
    [
        (500, "text/plain; charset=utf-8", b"500 Internal Server Error"),
        (502, "text/plain; charset=utf-8", b"502 Bad Gateway"),
        (504, "text/plain; charset=utf-8", b"504 Gateway Timeout"),
        (599, "text/plain; charset=utf-8", b"599 Error"),
        (
            401,
            "application/json; charset=utf-8",
            b'{"error":"Unauthorized","message":"Invalid API key","statusCode":401}',
        ),
        (
            403,
            "application/json; charset=utf-8",
            b'{"error":"Forbidden","message":"Forbidden","statusCode":403}',
        ),
    ],
)
def test_default_bodies(emu, http, status, content_type, content):
    emu.add_fault(Fault(status=status))
    response = chat(http, emu)
    assert (response.status_code, response.headers["Content-Type"], response.content) == (
        status,
        content_type,
        content,
    )


def test_custom_bodies(emu, http):
    emu.add_fault(Fault(status=402, body={"message": "insufficient credits"}))
    emu.add_fault(Fault(status=500, body="upstream exploded"))
    as_json, as_text = chat(http, emu), chat(http, emu)
    assert (as_json.status_code, as_json.content) == (402, b'{"message":"insufficient credits"}')
    assert (as_text.status_code, as_text.content) == (500, b"upstream exploded")
    assert as_text.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_faults_come_before_the_key(emu, http):
    emu.add_fault(Fault(status=429))
    response = http.post(f"{emu.base_url}/api/chat-with-ai", json=CHAT, timeout=TIMEOUT)
    assert response.status_code == 429
    assert emu.requests[0].key_valid is False


def test_a_fault_is_consumed_even_when_its_kind_does_not_apply(emu, http):
    emu.add_fault(Fault(omit_done=True))
    assert chat(http, emu).status_code == 200  # JSON reply: omit_done has nothing to do
    assert chat(http, emu, stream=True).content.endswith(
        block("done", {"message": "Stream completed"})
    )


def test_add_fault_validation(emu):
    with pytest.raises(ValueError, match="route"):
        emu.add_fault(Fault(status=500), route="nope")
    with pytest.raises(ValueError, match="times"):
        emu.add_fault(Fault(status=500), times=0)
    with pytest.raises(ValueError, match="rate"):
        emu.add_fault(Fault(status=500), rate=1.5)


# -- latency and connection drops ---------------------------------------------------------------------


def test_latency_fault_holds_the_response_back(emu, http):
    emu.add_fault(Fault(latency=30.0), times=2)
    for _ in range(2):
        with pytest.raises(requests.exceptions.ReadTimeout):
            chat(http, emu, timeout=(5, 0.2))
    assert chat(http, emu).status_code == 200


def test_reset_before_response(emu, http):
    emu.add_fault(Fault(reset_before_response=True))
    with pytest.raises(requests.exceptions.ConnectionError):
        chat(http, emu)
    (record,) = emu.requests
    assert (record.status, record.json) == (0, CHAT)
    assert chat(http, emu).status_code == 200


async def test_reset_before_response_with_aiohttp(emu):
    # times=None: aiohttp may retry an idempotent GET once on a dropped connection.
    emu.add_fault(Fault(reset_before_response=True), route="models", times=None)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            async with session.get(f"{emu.base_url}/models"):
                pass


async def test_reset_after_chunks(emu):
    emu.script_chat(ScriptedReply(chunks=["a", "b", "c", "d"]))
    emu.add_fault(Fault(reset_after_chunks=2))
    status, _, received, error = await read_stream(emu)
    assert status == 200
    assert isinstance(error, aiohttp.ClientPayloadError)
    assert received == block("content", {"content": "a"}) + block("content", {"content": "b"})
    assert emu.requests[0].status == 200


def test_reset_after_zero_chunks_with_requests(emu, http):
    emu.add_fault(Fault(reset_after_chunks=0))
    response = chat(http, emu, stream=True)
    assert response.status_code == 200
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        response.content  # noqa: B018
    response.close()


def test_stall_then_read_timeout(emu, http):
    emu.script_chat(ScriptedReply(chunks=["first ", "second"]))
    emu.add_fault(Fault(stall_after_chunks=1))
    received: list[bytes] = []

    def read_all(response: requests.Response) -> None:
        received.extend(response.iter_content(None))

    with (
        chat(http, emu, stream=True, timeout=(5, 0.3)) as response,
        pytest.raises(requests.exceptions.ConnectionError, match="timed out"),
    ):
        read_all(response)
    assert b"".join(received) == block("content", {"content": "first "})


async def test_stall_of_zero_seconds_finishes_the_stream(emu):
    emu.script_chat(ScriptedReply(chunks=["x", "y"]))
    emu.add_fault(Fault(stall_after_chunks=1, stall_seconds=0))
    _, _, received, error = await read_stream(emu)
    assert error is None
    assert [name for name, _ in events(received)] == ["content", "content", "result", "done"]


def test_stop_cancels_a_stalled_stream_promptly(http):
    emulator = OneMinAIEmulator(api_key=KEY).start()
    try:
        emulator.add_fault(Fault(stall_after_chunks=1, stall_seconds=30))
        response = chat(http, emulator, stream=True, timeout=(5, 10))
        pieces = response.iter_content(None)
        assert next(pieces).startswith(b"event: content")
        emulator.stop()  # raises TimeoutError if the 30 s stall were waited out
        # Cut by stop(): a broken chunked body, not the client's 10 s read timeout.
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            for _ in pieces:
                pass
        response.close()
    finally:
        emulator.stop()
    assert emulator.requests[0].status == 200


# -- stream shape faults ------------------------------------------------------------------------------


async def test_truncate_after_chunks(emu):
    emu.script_chat(ScriptedReply(chunks=["a", "b", "c"]))
    emu.add_fault(Fault(truncate_after_chunks=2))
    _, _, received, error = await read_stream(emu)
    assert error is None
    assert received == block("content", {"content": "a"}) + block("content", {"content": "b"})


async def test_truncate_after_more_chunks_than_exist(emu):
    emu.script_chat(ScriptedReply(chunks=["a"]))
    emu.add_fault(Fault(truncate_after_chunks=5))
    _, _, received, _ = await read_stream(emu)
    assert received == block("content", {"content": "a"})


async def test_truncate_mid_event(emu):
    emu.script_chat(ScriptedReply(chunks=["alpha", "beta"]))
    emu.add_fault(Fault(truncate_after_chunks=1, truncate_mid_event=True))
    _, _, received, error = await read_stream(emu)
    second = block("content", {"content": "beta"})
    assert error is None
    assert received == block("content", {"content": "alpha"}) + second[: len(second) // 2]


async def test_truncate_mid_result_event(emu):
    emu.script_chat(ScriptedReply(chunks=["alpha"]))
    emu.add_fault(Fault(truncate_mid_event=True))
    _, _, received, _ = await read_stream(emu)
    head = block("content", {"content": "alpha"}) + b"event: result\ndata: "
    assert received.startswith(head)
    assert not received.endswith(b"\n\n")
    assert b"event: done" not in received


@pytest.mark.parametrize("key", ["error", "message"])
async def test_error_event(emu, key):
    emu.script_chat(ScriptedReply(chunks=["a", "b", "c"]))
    emu.add_fault(
        Fault(error_event_after=1, error_event_key=key, error_event_message="Server overload")
    )
    _, _, received, error = await read_stream(emu)
    assert error is None
    assert received == block("content", {"content": "a"}) + block("error", {key: "Server overload"})


async def test_duplicate_final_content(emu):
    emu.script_chat(ScriptedReply(chunks=["Hello ", "world!"]))
    emu.add_fault(Fault(duplicate_final_content=True))
    _, _, received, _ = await read_stream(emu)
    found = events(received)
    assert [name for name, _ in found] == ["content", "content", "content", "result", "done"]
    assert json.loads(found[2][1]) == {"content": "Hello world!"}
    record = json.loads(found[3][1])["aiRecord"]
    assert record["aiRecordDetail"]["resultObject"] == ["Hello world!"]


async def test_omit_done(emu):
    emu.add_fault(Fault(omit_done=True))
    _, _, received, _ = await read_stream(emu)
    assert events(received)[-1][0] == "result"
    assert b"event: done" not in received


async def test_crlf(emu):
    emu.script_chat(ScriptedReply(chunks=["a"]))
    emu.add_fault(Fault(crlf=True))
    _, _, received, _ = await read_stream(emu)
    assert received.startswith(
        block("content", {"content": "a"}, "\r\n") + b"event: result\r\ndata: "
    )
    assert received.endswith(block("done", {"message": "Stream completed"}, "\r\n"))
    assert b"\n\n" not in received.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    "fault", [Fault(split_utf8=True), Fault(write_size=7), Fault(write_size=1, split_utf8=True)]
)
async def test_piecewise_writes_keep_the_bytes(emu, fault):
    reply = ScriptedReply(chunks=["héllo ", "wörld ", "✓ 😀"])
    emu.script_chat(reply)
    _, _, plain, _ = await read_stream(emu)
    emu.script_chat(reply)
    emu.add_fault(fault)
    _, _, pieces, error = await read_stream(emu)
    assert error is None
    strip = [n for n, _ in events(plain)]
    assert strip == [n for n, _ in events(pieces)]
    assert plain.split(b"event: result")[0] == pieces.split(b"event: result")[0]
    assert plain.split(b"event: done")[1] == pieces.split(b"event: done")[1]


async def test_raw_text_stream(emu):
    emu.script_chat(ScriptedReply(chunks=["bare ", "text ✓"]))
    emu.add_fault(Fault(raw_text_stream=True))
    _, headers, received, _ = await read_stream(emu)
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert received == "bare text ✓".encode()


async def test_raw_stream_faults_count_text_chunks(emu):
    emu.settings.legacy_chat = "serve"
    emu.script_chat(ScriptedReply(chunks=["one ", "two ", "three"]))
    emu.add_fault(Fault(truncate_after_chunks=2, error_event_after=1))
    payload = {"type": "CHAT_WITH_AI", "model": "gpt-4o", "promptObject": {"prompt": "x"}}
    _, _, received, _ = await read_stream(emu, "/api/features?isStreaming=true", payload)
    assert received == b"one two "


# -- body faults ---------------------------------------------------------------------------------------


def test_invalid_json(emu, http):
    emu.script_chat("fine")
    emu.add_fault(Fault(invalid_json=True))
    response = chat(http, emu)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.startswith(b'{"aiRecord":{"uuid":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_invalid_json_in_the_result_event(emu):
    emu.script_chat(ScriptedReply(chunks=["ok"]))
    emu.add_fault(Fault(invalid_json=True))
    _, _, received, _ = await read_stream(emu)
    found = events(received)
    assert [name for name, _ in found] == ["content", "result", "done"]
    assert found[1][1].startswith('{"aiRecord":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(found[1][1])


def test_failed_record(emu, http):
    emu.add_fault(Fault(failed_record=True, failed_message="Upstream model error"))
    record = chat(http, emu).json()["aiRecord"]
    assert record["status"] == "FAILED"
    assert record["aiRecordDetail"]["errorMessage"] == "Upstream model error"
    assert record["aiRecordDetail"]["resultObject"] == []


async def test_failed_record_stream(emu):
    emu.add_fault(Fault(failed_record=True))
    _, _, received, _ = await read_stream(emu)
    found = events(received)
    assert [name for name, _ in found] == ["result", "done"]
    detail = json.loads(found[0][1])["aiRecord"]["aiRecordDetail"]
    assert detail["errorMessage"] == "Emulated generation failure"


def test_failed_record_on_features(emu, http):
    emu.add_fault(Fault(failed_record=True), route="features")
    response = http.post(
        f"{emu.base_url}/api/features",
        json={"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"prompt": "x"}},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    record = response.json()["aiRecord"]
    assert (record["status"], record["aiRecordDetail"]["resultObject"]) == ("FAILED", [])
    assert "temporaryUrl" not in record


def test_invalid_json_on_features(emu, http):
    emu.add_fault(Fault(invalid_json=True), route="features")
    response = http.post(
        f"{emu.base_url}/api/features",
        json={"type": "CODE_GENERATOR", "model": "gpt-4o", "promptObject": {"prompt": "x"}},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
