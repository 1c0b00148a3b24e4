"""Published 1min.ai clients run their own request and parsing code against the emulator.

One test per (client, scenario); each records what the client got in the table printed at the
end of the run (``conftest.pytest_terminal_summary``). A client's own known bug is a strict
``xfail`` named after the client: the test asserts the right behaviour, the client's code fails
it, and the day it stops failing the run says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from tests.peer_tests.conftest import Driver, record

# The first test of each client installs it (a minute or more on a fresh machine).
pytestmark = pytest.mark.timeout(900)

CHUNKS = ["Credits ", "fall ", "like ", "rain."]
TEXT = "".join(CHUNKS)
UNICODE_CHUNKS = ["Grüße ", "· naïve ", "café ", "日本 🎉"]
UNICODE = "".join(UNICODE_CHUNKS)


def short(value: object, width: int = 80) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def posted(emulator: OneMinAIEmulator, path: str) -> list[dict[str, Any]]:
    return [r.json for r in emulator.requests if r.method == "POST" and r.path == path]


def make_conversation(emulator: OneMinAIEmulator) -> str:
    """A thread made the developer-API way (for a client whose own create cannot work there)."""
    response = requests.post(
        f"{emulator.base_url}/api/conversations",
        json={"type": "UNIFY_CHAT_WITH_AI", "title": "Peer test", "model": "gpt-4o-mini"},
        headers={"API-KEY": emulator.api_key},
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["conversation"]["uuid"])


def chat_catalog(emulator: OneMinAIEmulator) -> set[str]:
    response = requests.get(f"{emulator.base_url}/models?feature=UNIFY_CHAT_WITH_AI", timeout=30)
    response.raise_for_status()
    return {m["modelId"] for m in response.json()["models"]}


# ---------------------------------------------------------------------------------------------
# llm-1minai 0.4.1: the developer API (conversations, /api/chat-with-ai, SSE, /api/assets)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def l1a(emulator: OneMinAIEmulator, tmp_path: Path) -> Driver:
    return Driver("llm-1minai", emulator, tmp_path)


def test_llm_1minai_chat(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("A hook, a lockpick, a zipper pull.")
    report = l1a("chat")
    record("llm-1minai", "chat", "invoke", short(report.result or report.error))
    assert report.error is None, report.traceback
    assert report.result == "A hook, a lockpick, a zipper pull."
    (create,) = posted(emulator, "/api/conversations")
    assert create["model"] == "gpt-4o-mini"
    (chat,) = posted(emulator, "/api/chat-with-ai")
    assert chat["promptObject"]["conversationId"] in emulator.conversations


def test_llm_1minai_stream(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    report = l1a("stream")
    record("llm-1minai", "streaming", "SSE deltas", short(report.result or report.error))
    assert report.error is None, report.traceback
    assert report.result == CHUNKS


@pytest.mark.xfail(
    strict=True,
    reason="llm-1minai bug: no dedup of the final duplicated `content` event (the text twice)",
)
def test_llm_1minai_stream_duplicate_final_content(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    emulator.add_fault(Fault(duplicate_final_content=True), route="chat")
    report = l1a("stream_duplicate_final")
    text = "".join(report.result or [])
    record(
        "llm-1minai",
        "streaming",
        "final content repeated",
        short(text),
        "expected failure: client bug (no dedup)" if text != TEXT else "works",
    )
    assert text == TEXT


def test_llm_1minai_stream_error_event(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    emulator.add_fault(Fault(error_event_after=1), route="chat")
    report = l1a("stream_error_event")
    record("llm-1minai", "errors", "SSE `error` event", short(report.error or report.result))
    assert report.error is not None
    assert "Stream error" in report.error


@pytest.mark.xfail(
    strict=True,
    reason="llm-1minai bug: iter_lines(decode_unicode=True) decodes a text/event-stream that "
    "declares no charset as ISO-8859-1 (requests' text/* default), garbling non-ASCII",
)
def test_llm_1minai_stream_utf8_without_charset(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=UNICODE_CHUNKS))
    report = l1a("stream_utf8")
    text = "".join(report.result or [])
    record(
        "llm-1minai",
        "streaming",
        "non-ASCII, no charset (default)",
        short(text),
        "expected failure: client bug (latin-1)" if text != UNICODE else "works",
    )
    assert text == UNICODE


def test_llm_1minai_stream_utf8_with_charset(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.settings.sse_charset = "utf-8"
    emulator.script_chat(ScriptedReply(chunks=UNICODE_CHUNKS))
    report = l1a("stream_utf8_charset")
    record(
        "llm-1minai", "streaming", "non-ASCII, charset=utf-8", short("".join(report.result or []))
    )
    assert report.error is None, report.traceback
    assert "".join(report.result) == UNICODE


def test_llm_1minai_conversation(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("Nice to meet you, Ada.")
    emulator.script_chat("Your name is Ada.")
    report = l1a("conversation")
    assert report.error is None, report.traceback
    result = report.result
    (thread,) = set(result["mapping"].values())
    chats = posted(emulator, "/api/chat-with-ai")
    on_thread = [c for c in chats if c["promptObject"].get("conversationId") == thread]
    record(
        "llm-1minai",
        "conversations",
        "create, 2 turns, clear",
        f"1 thread, {len(on_thread)}/{len(chats)} chats on it; cleared={result['cleared']}, "
        f"then gone from the server: {thread not in emulator.conversations}",
    )
    assert result["replies"] == ["Nice to meet you, Ada.", "Your name is Ada."]
    assert [c["promptObject"]["conversationId"] for c in chats] == [thread, thread]
    assert result["cleared"] is True
    assert result["after_clear"] == {}
    assert thread not in emulator.conversations  # DELETE /api/conversations/{uuid}


def test_llm_1minai_upload(l1a: Driver, emulator: OneMinAIEmulator, tiny_png: Path) -> None:
    report = l1a("assets", ONEMINAI_PEER_FILE=str(tiny_png))
    assert report.error is None, report.traceback
    (upload,) = [r for r in emulator.requests if r.path == "/api/assets"]
    assert upload.form is not None
    (part,) = upload.form
    key = report.result["key"]
    record(
        "llm-1minai",
        "assets",
        "llm 1min upload photo.png",
        f"key {short(key, 45)} (part sent without Content-Type: taken as text/plain)",
    )
    assert upload.status == 200
    assert part.name == "asset"
    assert part.filename == "photo.png"
    assert part.content_type is None  # requests sends a (name, file) part without one
    assert key in emulator.assets


@pytest.mark.xfail(
    strict=True,
    reason="llm-1minai bug: `llm 1min upload` sends the part without a Content-Type, so the API "
    "stores a PNG as a text/plain document (busboy's default), and the hint it prints then passes "
    "that asset key as `-o files`, which takes file uuids: the chat is refused (400)",
)
def test_llm_1minai_chat_about_an_uploaded_image(
    l1a: Driver, emulator: OneMinAIEmulator, tiny_png: Path
) -> None:
    emulator.script_chat("A red square.")
    report = l1a("assets", ONEMINAI_PEER_FILE=str(tiny_png))
    assert report.error is None, report.traceback
    result = report.result
    reply = result["reply"].get("ok") or result["reply"].get("error")
    record(
        "llm-1minai",
        "assets",
        f"its hint: -o {result['option']} KEY, then chat",
        short(reply),
        "expected failure: client bug (no part type)" if "error" in result["reply"] else "works",
    )
    assert result["option"] == "images"
    assert reply == "A red square."


def test_llm_1minai_models(l1a: Driver, emulator: OneMinAIEmulator) -> None:
    report = l1a("models")
    assert report.error is None, report.traceback
    refused = {m: a["error"] for m, a in report.result.items() if "error" in a}
    record(
        "llm-1minai",
        "models",
        "every registered model answers",
        f"{len(report.result) - len(refused)}/{len(report.result)} answer"
        + (f"; refused: {short(sorted(refused), 50)}" if refused else ""),
    )
    assert not refused


@pytest.mark.parametrize(
    ("scenario", "fault", "expected"),
    [
        ("error_bad_key", None, "Failed to create conversation: 401"),
        ("error_status", Fault(status=429, retry_after="0"), "Rate limit exceeded"),
        ("error_status", Fault(status=500), "API request failed: 500"),
    ],
    ids=["401", "429", "500"],
)
def test_llm_1minai_errors(
    l1a: Driver, emulator: OneMinAIEmulator, scenario: str, fault: Fault | None, expected: str
) -> None:
    if fault is not None:
        emulator.add_fault(fault, route="chat")
    report = l1a(scenario)
    label = "bad key" if fault is None else f"HTTP {fault.status}"
    record("llm-1minai", "errors", label, short(report.error or report.result))
    assert report.error is not None
    assert expected in report.error


# ---------------------------------------------------------------------------------------------
# llm-1min 0.1.4: legacy CHAT_WITH_AI on /api/features (JSON or the raw text stream)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def l1m(emulator: OneMinAIEmulator, tmp_path: Path) -> Driver:
    return Driver("llm-1min", emulator, tmp_path)


def test_llm_1min_legacy_chat_is_refused_by_default(
    l1m: Driver, emulator: OneMinAIEmulator
) -> None:
    report = l1m("chat_refused")
    record(
        "llm-1min",
        "chat",
        "legacy CHAT_WITH_AI (default)",
        short(report.error or report.result),
        "refused: the type is retired (legacy_chat='reject')",
    )
    assert report.error is not None
    assert "400" in report.error
    for area in ("conversations", "assets"):
        record("llm-1min", area, "-", "the client has none", "n/a")


def test_llm_1min_chat(l1m: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.settings.legacy_chat = "serve"
    emulator.script_chat("A hook, a lockpick, a zipper pull.")
    report = l1m("chat")
    record("llm-1min", "chat", "invoke (legacy_chat='serve')", short(report.result or report.error))
    assert report.error is None, report.traceback
    assert report.result == "A hook, a lockpick, a zipper pull."
    (body,) = posted(emulator, "/api/features")
    assert body["type"] == "CHAT_WITH_AI"


@pytest.mark.parametrize("chunks", [CHUNKS, UNICODE_CHUNKS], ids=["ascii", "utf8"])
def test_llm_1min_stream(l1m: Driver, emulator: OneMinAIEmulator, chunks: list[str]) -> None:
    emulator.settings.legacy_chat = "serve"
    emulator.script_chat(ScriptedReply(chunks=chunks))
    report = l1m("stream")
    text = "".join(report.result or [])
    record(
        "llm-1min",
        "streaming",
        "raw text stream" + (", non-ASCII" if chunks is UNICODE_CHUNKS else ""),
        short(text or report.error),
    )
    assert report.error is None, report.traceback
    assert text == "".join(chunks)


def test_llm_1min_stream_cut(l1m: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.settings.legacy_chat = "serve"
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    emulator.add_fault(Fault(reset_after_chunks=1), route="features")
    report = l1m("stream_reset")
    record("llm-1min", "errors", "stream cut after 1 chunk", short(report.error or report.result))
    assert report.error is not None
    assert "API request failed" in report.error


def test_llm_1min_models(l1m: Driver, emulator: OneMinAIEmulator) -> None:
    emulator.settings.legacy_chat = "serve"
    report = l1m("models")
    assert report.error is None, report.traceback
    refused = {m for m, a in report.result.items() if "error" in a}
    record(
        "llm-1min",
        "models",
        "every hard-coded model",
        f"{len(report.result) - len(refused)}/{len(report.result)} answer; the rest are not in "
        f"the catalog: {short(sorted(refused), 60)}",
        "works (retired models refused)",
    )
    # Exactly the models the catalog does not list are refused, each with a 400.
    assert refused == set(report.result) - chat_catalog(emulator)
    assert all("400" in report.result[m]["error"] for m in refused)


@pytest.mark.parametrize(
    ("scenario", "fault", "expected"),
    [
        ("error_bad_key", None, "401"),
        ("error_status", Fault(status=503), "503"),
    ],
    ids=["401", "503"],
)
def test_llm_1min_errors(
    l1m: Driver, emulator: OneMinAIEmulator, scenario: str, fault: Fault | None, expected: str
) -> None:
    emulator.settings.legacy_chat = "serve"
    if fault is not None:
        emulator.add_fault(fault, route="features")
    report = l1m(scenario)
    label = "bad key" if fault is None else f"HTTP {fault.status}"
    record("llm-1min", "errors", label, short(report.error or report.result))
    assert report.error is not None
    assert f"API request failed: {expected}" in report.error


# ---------------------------------------------------------------------------------------------
# 1minai-webapi 1.0.31: the web-app API; its payloads and parsers on the developer API's routes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def web(emulator: OneMinAIEmulator, tmp_path: Path) -> Driver:
    return Driver("1minai-webapi", emulator, tmp_path)


def _mapped(rewrites: list[str]) -> str:
    return " (path mapped)" if rewrites else ""


def test_webapi_models(web: Driver, emulator: OneMinAIEmulator) -> None:
    report = web("models")
    assert report.error is None, report.traceback
    result = report.result
    record(
        "1minai-webapi",
        "models",
        "list_models (same route)",
        f"{result['chat_models']} chat + {result['image_models']} image models; keys per "
        f"object {result['key_counts']}; its ChatModel enum missing: {result['enum_missing']}",
    )
    assert result["key_counts"] == [18]
    assert result["enum_missing"] == []
    assert report.rewrites == []


def test_webapi_chat(web: Driver, emulator: OneMinAIEmulator) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat("A hook, a lockpick, a zipper pull.")
    report = web("chat", ONEMINAI_PEER_CONVERSATION=thread)
    record(
        "1minai-webapi",
        "chat",
        "chat (collects the stream)" + _mapped(report.rewrites),
        short(report.result or report.error),
    )
    assert report.error is None, report.traceback
    assert report.result == {
        "text": "A hook, a lockpick, a zipper pull.",
        "model": "gpt-4o-mini",
        "conversation_id": thread,
    }
    (body,) = posted(emulator, "/api/chat-with-ai")
    assert body["promptObject"]["conversationId"] == thread


def test_webapi_stream(web: Driver, emulator: OneMinAIEmulator) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat(ScriptedReply(chunks=UNICODE_CHUNKS))
    report = web("stream", ONEMINAI_PEER_CONVERSATION=thread)
    record(
        "1minai-webapi",
        "streaming",
        "text_delta, non-ASCII" + _mapped(report.rewrites),
        short(report.result or report.error),
    )
    assert report.error is None, report.traceback
    assert [d for d in report.result if d] == UNICODE_CHUNKS


@pytest.mark.xfail(
    strict=True,
    reason="1minai-webapi bug: no dedup of the final duplicated `content` event (the text twice)",
)
def test_webapi_stream_duplicate_final_content(web: Driver, emulator: OneMinAIEmulator) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    emulator.add_fault(Fault(duplicate_final_content=True), route="chat")
    report = web("stream_duplicate_final", ONEMINAI_PEER_CONVERSATION=thread)
    text = (report.result or {}).get("text")
    record(
        "1minai-webapi",
        "streaming",
        "final content repeated",
        short(text or report.error),
        "expected failure: client bug (no dedup)" if text != TEXT else "works",
    )
    assert text == TEXT


@pytest.mark.xfail(
    strict=True,
    reason="1minai-webapi bug: ignores SSE `error` events (a cut reply is returned as a success)",
)
def test_webapi_stream_error_event(web: Driver, emulator: OneMinAIEmulator) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat(ScriptedReply(chunks=CHUNKS))
    emulator.add_fault(Fault(error_event_after=1), route="chat")
    report = web("stream_error_event", ONEMINAI_PEER_CONVERSATION=thread)
    record(
        "1minai-webapi",
        "errors",
        "SSE `error` event",
        short(report.error or f"success: {report.result}"),
        "expected failure: client bug (error ignored)" if report.error is None else "works",
    )
    assert report.error is not None


def test_webapi_conversations(web: Driver, emulator: OneMinAIEmulator) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat("Nice to meet you, Ada.")
    emulator.script_chat("Your name is Ada.")
    report = web("conversation", ONEMINAI_PEER_CONVERSATION=thread)
    assert report.error is None, report.traceback
    result = report.result
    own_create = result["own_create"].get("error", "created")
    record(
        "1minai-webapi",
        "conversations",
        "create_conversation (its payload)",
        short(own_create),
        "refused: the web app's create sends no `model`, the developer API requires one",
    )
    record(
        "1minai-webapi",
        "conversations",
        "ChatSession 2 turns, history, list, get, delete" + _mapped(report.rewrites),
        f"same thread {result['same_thread']}; history {len(result['history'])} messages; "
        f"listed {len(result['listed'])}; deleted {thread not in result['after_delete']}",
    )
    assert "model" in own_create
    assert result["replies"] == ["Nice to meet you, Ada.", "Your name is Ada."]
    assert result["same_thread"] is True
    assert [(role, content) for role, content, _ in result["history"]] == [
        ("USER", "My name is Ada."),
        ("gpt-4o-mini", "Nice to meet you, Ada."),
        ("USER", "What is my name?"),
        ("gpt-4o-mini", "Your name is Ada."),
    ]
    assert all(has_record for _, _, has_record in result["history"])
    assert result["listed"] == [thread]
    assert result["fetched"] == {"id": thread, "title": "Peer test"}
    assert result["after_delete"] == []
    assert thread not in emulator.conversations


def test_webapi_assets(web: Driver, emulator: OneMinAIEmulator, tiny_png: Path) -> None:
    thread = make_conversation(emulator)
    emulator.script_chat("A red square.")
    report = web("assets", ONEMINAI_PEER_CONVERSATION=thread, ONEMINAI_PEER_FILE=str(tiny_png))
    assert report.error is None, report.traceback
    result = report.result
    record(
        "1minai-webapi",
        "assets",
        "upload_asset, then images=[key]" + _mapped(report.rewrites),
        f"key {short(result['asset_key'], 40)}; file_id {bool(result['file_id'])}; "
        f"reply {short(result['reply'], 20)}",
    )
    assert result["asset_key"].startswith("images/")
    assert result["file_id"]
    assert result["reply"] == "A red square."
    (chat,) = posted(emulator, "/api/chat-with-ai")
    assert chat["promptObject"]["attachments"]["images"] == [result["asset_key"]]


@pytest.mark.parametrize(
    ("scenario", "fault", "expected"),
    [
        ("error_bad_key", None, "AuthenticationError"),
        ("error_webapp_auth", None, "AuthenticationError"),
        (
            "error_rate_limited",
            Fault(status=429, retry_after="7"),
            {"raised": "RateLimitError", "retry_after_s": 7},
        ),
        ("error_bad_request", None, "APIError"),
    ],
    ids=["bad-key", "webapp-auth", "429", "400"],
)
def test_webapi_errors(
    web: Driver, emulator: OneMinAIEmulator, scenario: str, fault: Fault | None, expected: object
) -> None:
    thread = make_conversation(emulator)
    if fault is not None:
        emulator.add_fault(fault, route="chat")
    report = web(scenario, ONEMINAI_PEER_CONVERSATION=thread)
    labels = {
        "error_bad_key": "bad key",
        "error_webapp_auth": "its own auth only (X-Auth-Token)",
        "error_rate_limited": "HTTP 429 + Retry-After",
        "error_bad_request": "unknown model (HTTP 400)",
    }
    record("1minai-webapi", "errors", labels[scenario], short(report.error or report.result))
    if isinstance(expected, dict):
        assert report.result == expected
    elif scenario == "error_bad_request":
        assert report.result["raised"] == expected
        assert report.result["status_code"] == 400
    else:
        assert report.error is not None
        assert str(expected) in report.error


def test_webapi_web_app_only_routes(web: Driver, emulator: OneMinAIEmulator) -> None:
    report = web("users")
    record(
        "1minai-webapi",
        "account",
        "get_current_user (GET /users)",
        short(report.error or report.result),
        "not emulated: web-app only (team id, credits, settings, notifications…)",
    )
    assert report.error is not None
    assert "404" in report.error
