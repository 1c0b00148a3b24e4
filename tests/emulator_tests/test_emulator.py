"""Raw-HTTP tests of the emulator itself: lifecycle, request log, seeds, admin routes, CLI, load.

Clients are plain ``requests`` and ``aiohttp`` (never ``langchain_oneminai`` client code).
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import aiohttp
import pytest
import requests

from langchain_oneminai.emulator import (
    BrainRequest,
    EmulatorSettings,
    Fault,
    OneMinAIEmulator,
    RecordedRequest,
    ScriptedReply,
)
from langchain_oneminai.emulator._catalog_data import load_catalog
from tests.emulator_tests.raw_http import CHAT, KEY, TIMEOUT

pytestmark = pytest.mark.timeout(60)


def chat(
    http: requests.Session,
    emu: OneMinAIEmulator,
    payload: Any = None,
    *,
    query: str = "",
    **headers: str,
) -> requests.Response:
    return http.post(
        f"{emu.base_url}/api/chat-with-ai{query}",
        json=CHAT if payload is None else payload,
        headers={"API-KEY": KEY, **headers},
        timeout=TIMEOUT,
    )


# -- lifecycle -----------------------------------------------------------------------------------


def test_start_returns_once_listening():
    emulator = OneMinAIEmulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.base_url
    assert repr(emulator) == "OneMinAIEmulator(stopped)"
    emulator.start()
    port = emulator.port
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", emulator.base_url)
        assert emulator.asset_base_url == f"{emulator.base_url}/asset-host"
        assert emulator.api_key == "emulator-key"
        assert emulator.seed == 0
        assert repr(emulator) == f"OneMinAIEmulator({emulator.base_url})"
        with pytest.raises(RuntimeError, match="already running"):
            emulator.start()
    finally:
        emulator.stop()
    emulator.stop()  # twice is harmless
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.port
    with pytest.raises(ConnectionRefusedError):  # the listening socket is closed
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_restart_keeps_state_and_fixed_port(http):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    emulator = OneMinAIEmulator(api_key=KEY, port=port)
    with emulator:
        assert emulator.base_url == f"http://127.0.0.1:{port}"
        emulator.script_chat("kept across restarts")
        assert chat(http, emulator).status_code == 200
    with emulator:
        assert chat(http, emulator).status_code == 200
        assert len(emulator.requests) == 2


def test_bind_error_is_raised_by_start():
    with OneMinAIEmulator() as first:
        second = OneMinAIEmulator(port=first.port)
        with pytest.raises(OSError):
            second.start()
        second.stop()


def test_two_emulators_side_by_side(http):
    with OneMinAIEmulator(api_key="a") as one, OneMinAIEmulator(api_key="b") as two:
        assert one.port != two.port
        assert http.get(f"{one.base_url}/models", timeout=TIMEOUT).status_code == 200
        assert http.get(f"{two.base_url}/models", timeout=TIMEOUT).status_code == 200
        assert (len(one.requests), len(two.requests)) == (1, 1)


def test_settings_argument_and_live_changes(http):
    settings = EmulatorSettings(transcript_shape="string")
    with OneMinAIEmulator(api_key=KEY, settings=settings) as emulator:
        assert emulator.settings is settings
        assert "credit" not in chat(http, emulator).json()["aiRecord"]
        emulator.settings.record_credit = True  # read per request
        assert "credit" in chat(http, emulator).json()["aiRecord"]


# -- request log --------------------------------------------------------------------------------


def test_request_log_records_everything_and_redacts_the_key(emu, http):
    emu.settings.accept_bearer = True
    chat(http, emu, query="?isStreaming=false", Authorization=f"Bearer {KEY}", **{"X-Trace": "t1"})
    http.get(f"{emu.base_url}/models", params={"feature": "TEXT_TO_SPEECH"}, timeout=TIMEOUT)
    http.post(
        f"{emu.base_url}/api/chat-with-ai",
        json=CHAT,
        headers={"api-key": "wrong-key"},
        timeout=TIMEOUT,
    )
    first, second, third = emu.requests
    assert isinstance(first, RecordedRequest)
    assert (first.method, first.path, first.query, first.route, first.status, first.key_valid) == (
        "POST",
        "/api/chat-with-ai",
        {"isStreaming": "false"},
        "chat",
        200,
        True,
    )
    assert first.json == CHAT
    assert first.form is None
    assert first.headers["API-KEY"] == "<redacted>"
    assert first.headers["Authorization"] == "<redacted>"
    assert first.headers["X-Trace"] == "t1"
    assert first.headers["Content-Type"] == "application/json"
    assert (second.method, second.route, second.query, second.json) == (
        "GET",
        "models",
        {"feature": "TEXT_TO_SPEECH"},
        None,
    )
    assert third.headers["api-key"] == "<redacted>"
    assert (third.status, third.key_valid) == (401, False)
    dump = repr(emu.requests) + json.dumps(
        http.get(f"{emu.base_url}/_emulator/requests", timeout=TIMEOUT).json()
    )
    assert KEY not in dump
    assert "wrong-key" not in dump
    with pytest.raises(AttributeError):
        first.status = 1  # type: ignore[misc]


def test_request_log_is_a_copy_in_arrival_order_and_clearable(emu, http):
    for path in ("/a", "/b", "/c"):
        http.get(f"{emu.base_url}{path}", timeout=TIMEOUT)
    snapshot = emu.requests
    snapshot.clear()
    assert [r.path for r in emu.requests] == ["/a", "/b", "/c"]
    assert {r.route for r in emu.requests} == {"unknown"}
    emu.clear_requests()
    assert emu.requests == []


def test_non_json_body_is_logged_as_none(emu, http):
    http.post(
        f"{emu.base_url}/api/features", data=b"\xff\xfe", headers={"API-KEY": KEY}, timeout=TIMEOUT
    )
    assert emu.requests[0].json is None


# -- seeds ------------------------------------------------------------------------------------------


def _ids(http, emulator: OneMinAIEmulator) -> list[str]:
    record = chat(http, emulator).json()["aiRecord"]
    conversation = http.post(
        f"{emulator.base_url}/api/conversations",
        json={"type": "UNIFY_CHAT_WITH_AI", "title": "t", "model": "gpt-4o"},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    ).json()["conversation"]
    return [record["uuid"], record["userId"], record["teamId"], conversation["uuid"]]


def test_same_seed_same_ids_and_reset_rewinds(http):
    with (
        OneMinAIEmulator(api_key=KEY, seed=42) as one,
        OneMinAIEmulator(api_key=KEY, seed=42) as two,
    ):
        first = _ids(http, one)
        assert first == _ids(http, two)
        assert _ids(http, one) != first
        one.reset()
        assert _ids(http, one) == first
    with OneMinAIEmulator(api_key=KEY, seed=43) as other:
        different = _ids(http, other)
        assert different[0] != first[0]
        assert different[1] != first[1]


def test_reset_forgets_state_but_keeps_settings_and_models(emu, http):
    emu.settings.record_credit = True
    emu.add_model("SUMMARIZER", "my-summarizer")
    emu.script_chat("scripted")
    emu.add_fault(Fault(status=500), times=None)
    http.post(
        f"{emu.base_url}/api/assets",
        files={"asset": ("a.png", b"x", "image/png")},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    emu.reset()
    assert emu.requests == []
    assert emu.assets == {}
    assert emu.conversations == {}
    record = chat(http, emu).json()["aiRecord"]
    assert record["aiRecordDetail"]["resultObject"][0].startswith("[1min.ai emulator")
    assert "credit" in record
    models = http.get(f"{emu.base_url}/models?feature=SUMMARIZER", timeout=TIMEOUT).json()
    assert models["models"][-1]["modelId"] == "my-summarizer"


# -- routing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/api/chat-with-ai"),
        ("PUT", "/api/conversations/x"),
        ("POST", "/api/jobs/1"),
    ],
)
def test_unknown_routes_are_404_json(emu, http, method, path):
    response = http.request(method, f"{emu.base_url}{path}", timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": "Not Found",
        "message": f"Cannot {method} {path}",
        "statusCode": 404,
    }
    assert emu.requests[0].route == "unknown"


def test_trailing_slash_is_accepted(emu, http):
    assert (
        http.post(
            f"{emu.base_url}/api/chat-with-ai/",
            json=CHAT,
            headers={"API-KEY": KEY},
            timeout=TIMEOUT,
        ).status_code
        == 200
    )


def test_client_hanging_up_mid_stream_does_not_hurt_the_server(emu, http):
    emu.script_chat(ScriptedReply(chunks=["chunk "] * 20_000))
    with http.post(
        f"{emu.base_url}/api/chat-with-ai?isStreaming=true",
        json=CHAT,
        headers={"API-KEY": KEY},
        stream=True,
        timeout=TIMEOUT,
    ) as response:
        assert next(response.iter_content(None)).startswith(b"event: content")
    assert chat(http, emu).status_code == 200
    assert [r.status for r in emu.requests] == [200, 200]


# -- admin routes ------------------------------------------------------------------------------------


def test_admin_routes_drive_the_emulator_and_are_not_logged(emu, http):
    admin = f"{emu.base_url}/_emulator"
    assert (
        http.post(
            f"{admin}/script", json={"route": "chat", "reply": "over http"}, timeout=TIMEOUT
        ).json()
        == {}
    )
    http.post(
        f"{admin}/script",
        json={"route": "SPEECH_TO_TEXT", "reply": {"result_object": "hello"}},
        timeout=TIMEOUT,
    )
    http.post(
        f"{admin}/fault",
        json={"route": "models", "times": 1, "fault": {"status": 503, "retry_after": "1"}},
        timeout=TIMEOUT,
    )
    settings = http.post(
        f"{admin}/settings",
        json={"record_credit": True, "asset_field_names": ["asset", "file"]},
        timeout=TIMEOUT,
    ).json()
    assert settings["record_credit"] is True
    assert emu.settings.asset_field_names == ("asset", "file")
    assert http.get(f"{admin}/settings", timeout=TIMEOUT).json()["record_credit"] is True
    http.post(
        f"{admin}/models", json={"feature": "SUMMARIZER", "modelId": "my-model"}, timeout=TIMEOUT
    )
    record = chat(http, emu).json()["aiRecord"]
    assert record["aiRecordDetail"]["resultObject"] == ["over http"]
    assert "credit" in record
    models = http.get(f"{emu.base_url}/models", timeout=TIMEOUT)
    assert (models.status_code, models.headers["Retry-After"]) == (503, "1")
    summarizers = http.get(f"{emu.base_url}/models?feature=SUMMARIZER", timeout=TIMEOUT).json()
    assert summarizers["models"][-1]["modelId"] == "my-model"
    logged = http.get(f"{admin}/requests", timeout=TIMEOUT).json()["requests"]
    assert [r["route"] for r in logged] == ["chat", "models", "models"]
    assert logged[0]["headers"]["API-KEY"] == "<redacted>"
    assert http.post(f"{admin}/reset", timeout=TIMEOUT).json() == {}
    assert emu.requests == []


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/_emulator/script", {"route": "chat"}),
        ("/_emulator/script", {"reply": {"nope": 1}}),
        ("/_emulator/fault", {"fault": {"nope": 1}}),
        ("/_emulator/fault", {"route": "elsewhere", "fault": {}}),
        ("/_emulator/settings", {"nope": 1}),
        ("/_emulator/settings", [1]),
        ("/_emulator/models", {"feature": "X"}),
    ],
)
def test_admin_errors(emu, http, path, payload):
    response = http.post(f"{emu.base_url}{path}", json=payload, timeout=TIMEOUT)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_admin_unknown_and_bad_json(emu, http):
    assert http.post(f"{emu.base_url}/_emulator/nope", json={}, timeout=TIMEOUT).status_code == 404
    assert http.delete(f"{emu.base_url}/_emulator/requests", timeout=TIMEOUT).status_code == 404
    broken = http.post(
        f"{emu.base_url}/_emulator/script",
        data=b"{",
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert broken.status_code == 400
    assert emu.requests == []


# -- CLI --------------------------------------------------------------------------------------------


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def test_cli_serves_until_terminated(http):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "langchain_oneminai.emulator",
        "--port",
        "0",
        "--api-key",
        "cli-key",
        "--seed",
        "3",
    ]
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True)
        reader.start()
        output: list[str] = []
        try:
            deadline = time.monotonic() + 20
            while not any("Press Ctrl-C" in line for line in output):
                output.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
            text = "".join(output)
            base_url = re.search(r"base URL:\s+(http://127\.0\.0\.1:\d+)\n", text).group(1)  # type: ignore[union-attr]
            assert f"asset base URL:  {base_url}/asset-host" in text
            assert "API key:         cli-key" in text
            models = http.get(f"{base_url}/models?feature=UNIFY_CHAT_WITH_AI", timeout=TIMEOUT)
            assert models.json()["total"] == len(load_catalog().chat)
            http.post(
                f"{base_url}/_emulator/script", json={"reply": "from the CLI"}, timeout=TIMEOUT
            )
            reply = http.post(
                f"{base_url}/api/chat-with-ai",
                json=CHAT,
                headers={"API-KEY": "cli-key"},
                timeout=TIMEOUT,
            )
            assert reply.json()["aiRecord"]["aiRecordDetail"]["resultObject"] == ["from the CLI"]
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0
            reader.join(timeout=10)
    while not lines.empty():
        output.append(lines.get_nowait())
    assert "emulator stopped" in "".join(output)


def test_cli_help():
    result = subprocess.run(
        [sys.executable, "-m", "langchain_oneminai.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    for option in ("--host", "--port", "--api-key", "--seed"):
        assert option in result.stdout


# -- load ---------------------------------------------------------------------------------------------


class _Gate:
    """An async brain that answers only once ``count`` requests are inside it at once."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.inside = 0
        self.open: asyncio.Event | None = None

    async def __call__(self, request: BrainRequest) -> str:
        if self.open is None:  # created on the emulator's own loop
            self.open = asyncio.Event()
        self.inside += 1
        if self.inside >= self.count:
            self.open.set()
        await asyncio.wait_for(self.open.wait(), timeout=25)  # serial handling ends here: 500
        return f"answered {request.prompt}"


async def test_500_concurrent_connections():
    # Every request is held inside the brain until all 500 are in: they must overlap.
    with OneMinAIEmulator(api_key=KEY, brain=_Gate(500)) as emulator:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=50)
        ) as session:

            async def one(index: int) -> int:
                payload = {"model": "gpt-4o-mini", "promptObject": {"prompt": f"request {index}"}}
                async with session.post(
                    f"{emulator.base_url}/api/chat-with-ai", json=payload, headers={"API-KEY": KEY}
                ) as response:
                    await response.read()
                    return response.status

            statuses = await asyncio.gather(*(one(i) for i in range(500)))
        assert statuses == [200] * 500
        assert len(emulator.requests) == 500


async def test_5000_event_stream(emu):
    chunks = [f"w{i} " for i in range(5000)]
    emu.script_chat(ScriptedReply(chunks=chunks))
    count = 0
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        session.post(
            f"{emu.base_url}/api/chat-with-ai?isStreaming=true", json=CHAT, headers={"API-KEY": KEY}
        ) as response,
    ):
        async for line in response.content:
            if line == b"event: content\n":
                count += 1
    assert count == 5000


def test_50_mb_replies_json_and_stream(emu, http):
    big = ("x" * 999_999 + " ") * 50
    emu.script_chat(big)
    emu.script_chat(big)
    response = chat(http, emu)
    assert response.status_code == 200
    assert len(response.content) > 50_000_000
    assert response.json()["aiRecord"]["aiRecordDetail"]["resultObject"] == [big]
    streamed = chat(http, emu, query="?isStreaming=true").content
    contents = [
        json.loads(line[6:])["content"]
        for line in streamed.split(b"\n")
        if line.startswith(b'data: {"content"')
    ]
    assert len(contents) == 50
    assert "".join(contents) == big


def test_50_mb_upload(emu, http):
    data = os.urandom(1024) * 50 * 1024
    response = http.post(
        f"{emu.base_url}/api/assets",
        files={"asset": ("big.bin", data, "application/octet-stream")},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    key = response.json()["fileContent"]["path"]
    assert http.get(f"{emu.asset_base_url}/{key}", timeout=TIMEOUT).content == data
