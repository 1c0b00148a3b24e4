"""Raw-HTTP tests of the emulator's chat route, ``POST /api/chat-with-ai`` (wire.md#chat-request, wire.md#emulator-chat)."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest
import requests

from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply
from tests.emulator_tests.raw_http import KEY, TIMEOUT, upload

pytestmark = pytest.mark.timeout(30)

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
ISO_MS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def chat(
    http: requests.Session,
    emu: OneMinAIEmulator,
    body: Any,
    *,
    stream: bool | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    url = f"{emu.base_url}/api/chat-with-ai"
    if stream is not None:
        url += f"?isStreaming={'true' if stream else 'false'}"
    return http.post(url, json=body, headers={"API-KEY": KEY, **(headers or {})}, timeout=TIMEOUT)


def body(prompt: str = "hi", model: str = "gpt-4o-mini", **prompt_fields: Any) -> dict[str, Any]:
    return {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": model,
        "promptObject": {"prompt": prompt, **prompt_fields},
    }


def sse_events(raw: bytes) -> list[tuple[str, Any]]:
    events = []
    for block in raw.decode().replace("\r\n", "\n").split("\n\n"):
        if not block:
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def create_conversation(http: requests.Session, emu: OneMinAIEmulator, **fields: Any) -> Any:
    payload = {"type": "UNIFY_CHAT_WITH_AI", "title": "Thread", "model": "gpt-4o-mini", **fields}
    response = http.post(
        f"{emu.base_url}/api/conversations", json=payload, headers={"API-KEY": KEY}, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response.json()["conversation"]["uuid"]


# -- non-streaming ------------------------------------------------------------------------------


def test_default_reply_is_the_deterministic_emulator_text(emu, http):
    response = chat(http, emu, body("Hello\nthere, my friend\nhow are you today?"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    record = response.json()["aiRecord"]
    assert list(record) == [
        "uuid",
        "userId",
        "teamId",
        "teamUser",
        "model",
        "type",
        "metadata",
        "rating",
        "feedback",
        "conversationId",
        "status",
        "createdAt",
        "aiRecordDetail",
        "additionalData",
    ]
    assert re.fullmatch(UUID4, record["uuid"])
    assert re.fullmatch(ISO_MS, record["createdAt"])
    assert record["teamUser"]["teamId"] == record["teamId"]
    assert (record["model"], record["type"], record["status"]) == (
        "gpt-4o-mini",
        "UNIFY_CHAT_WITH_AI",
        "SUCCESS",
    )
    assert record["metadata"] is record["rating"] is record["feedback"] is None
    assert record["conversationId"] is None
    assert record["additionalData"] is None
    assert record["aiRecordDetail"] == {
        "promptObject": {"prompt": "Hello\nthere, my friend\nhow are you today?"},
        "resultObject": [
            (
                "[1min.ai emulator · gpt-4o-mini] I am an offline emulator, not a language model. "
                'Your prompt had 3 lines and 8 words; its last line was: "how are you today?".'
            )
        ],
    }


def test_same_input_same_reply_and_is_streaming_false(emu, http):
    first = chat(http, emu, body("same")).json()["aiRecord"]
    second = chat(http, emu, body("same"), stream=False).json()["aiRecord"]
    assert first["aiRecordDetail"] == second["aiRecordDetail"]
    assert first["uuid"] != second["uuid"]


def test_missing_type_defaults_to_unify(emu, http):
    payload = body()
    del payload["type"]
    response = chat(http, emu, payload)
    assert response.status_code == 200
    assert response.json()["aiRecord"]["type"] == "UNIFY_CHAT_WITH_AI"


@pytest.mark.parametrize("kind", ["CHAT_WITH_AI", "CODE_GENERATOR", "", 3])
def test_other_types_are_rejected(emu, http, kind):
    response = chat(http, emu, {**body(), "type": kind})
    assert response.status_code == 400
    assert response.json() == {
        "errorCode": "REQUEST_BODY_VALIDATION_FAILED",
        "message": "type must be one of the following values: UNIFY_CHAT_WITH_AI",
    }


def test_unsupported_model_is_checked_before_the_prompt_object(emu, http):
    response = chat(http, emu, {"model": "gpt-9", "promptObject": {}})
    assert response.status_code == 400
    assert (
        response.content
        == b'{"errorCode":"UNSUPPORTED_MODEL","message":"Model gpt-9 is not supported"}'
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"promptObject": {"prompt": "x"}}, "model must be a non-empty string"),
        ({"model": 5, "promptObject": {"prompt": "x"}}, "model must be a non-empty string"),
        ({"model": "gpt-4o"}, "promptObject must be an object"),
        ({"model": "gpt-4o", "promptObject": "x"}, "promptObject must be an object"),
        ({"model": "gpt-4o", "promptObject": {}}, "promptObject.prompt must be a string"),
        (
            {"model": "gpt-4o", "promptObject": {"prompt": 3}},
            "promptObject.prompt must be a string",
        ),
        (
            {"model": "gpt-4o", "promptObject": {"prompt": "x", "conversationId": 3}},
            "promptObject.conversationId must be a string",
        ),
        (
            {"model": "gpt-4o", "promptObject": {"prompt": "x", "attachments": []}},
            "promptObject.attachments must be an object",
        ),
        (
            {"model": "gpt-4o", "promptObject": {"prompt": "x", "attachments": {"images": "k"}}},
            "promptObject.attachments.images must be an array of strings",
        ),
        (
            {"model": "gpt-4o", "promptObject": {"prompt": "x", "attachments": {"files": [1]}}},
            "promptObject.attachments.files must be an array of strings",
        ),
        ([1, 2], "Request body must be a JSON object"),
    ],
)
def test_validation_errors(emu, http, payload, message):
    response = chat(http, emu, payload)
    assert response.status_code == 400
    assert response.json() == {"errorCode": "REQUEST_BODY_VALIDATION_FAILED", "message": message}


def test_empty_prompt_is_accepted(emu, http):
    assert chat(http, emu, body("")).status_code == 200


def test_body_must_be_json(emu, http):
    url = f"{emu.base_url}/api/chat-with-ai"
    as_text = http.post(url, data=b'{"model":"gpt-4o"}', headers={"API-KEY": KEY}, timeout=TIMEOUT)
    assert as_text.status_code == 400
    assert as_text.json()["message"] == "Content-Type must be application/json"
    broken = http.post(
        url,
        data=b'{"model": ',
        headers={"API-KEY": KEY, "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert broken.status_code == 400
    assert broken.json() == {
        "errorCode": "REQUEST_BODY_VALIDATION_FAILED",
        "message": "Request body is not valid JSON",
    }
    empty = http.post(
        url, headers={"API-KEY": KEY, "Content-Type": "application/json"}, timeout=TIMEOUT
    )
    assert empty.json()["message"] == "Request body is not valid JSON"


# -- auth -----------------------------------------------------------------------------------------


def test_auth_missing_wrong_and_case_insensitive(emu, http):
    url = f"{emu.base_url}/api/chat-with-ai"
    expected = b'{"error":"Unauthorized","message":"Invalid API key","statusCode":401}'
    missing = http.post(url, json=body(), timeout=TIMEOUT)
    assert (missing.status_code, missing.content) == (401, expected)
    assert missing.headers["Content-Type"] == "application/json; charset=utf-8"
    wrong = http.post(url, json=body(), headers={"API-KEY": "nope"}, timeout=TIMEOUT)
    assert (wrong.status_code, wrong.content) == (401, expected)
    lower = http.post(url, json=body(), headers={"api-key": KEY}, timeout=TIMEOUT)
    assert lower.status_code == 200


def test_auth_is_checked_before_validation(emu, http):
    response = http.post(
        f"{emu.base_url}/api/chat-with-ai", json={"model": "nope"}, timeout=TIMEOUT
    )
    assert response.status_code == 401


def test_bearer_only_with_the_knob(emu, http):
    url = f"{emu.base_url}/api/chat-with-ai"
    bearer = {"Authorization": f"Bearer {KEY}"}
    assert http.post(url, json=body(), headers=bearer, timeout=TIMEOUT).status_code == 401
    emu.settings.accept_bearer = True
    assert http.post(url, json=body(), headers=bearer, timeout=TIMEOUT).status_code == 200
    lower_scheme = {"Authorization": f"bearer {KEY}"}
    assert http.post(url, json=body(), headers=lower_scheme, timeout=TIMEOUT).status_code == 200
    wrong = {"Authorization": "Bearer nope"}
    assert http.post(url, json=body(), headers=wrong, timeout=TIMEOUT).status_code == 401
    assert [r.key_valid for r in emu.requests] == [False, True, True, False]


# -- streaming ------------------------------------------------------------------------------------


def test_stream_exact_bytes_for_scripted_chunks(emu, http):
    emu.script_chat(ScriptedReply(chunks=["Hel", "lo ✓"]))
    response = chat(http, emu, body("Say hello"), stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    raw = response.content
    head = (
        'event: content\ndata: {"content":"Hel"}\n\n'
        'event: content\ndata: {"content":"lo ✓"}\n\n'
        "event: result\ndata: "
    ).encode()
    assert raw.startswith(head)
    assert raw.endswith(b'\n\nevent: done\ndata: {"message":"Stream completed"}\n\n')
    events = sse_events(raw)
    assert [name for name, _ in events] == ["content", "content", "result", "done"]
    record = events[2][1]["aiRecord"]
    assert record["aiRecordDetail"] == {
        "promptObject": {"prompt": "Say hello"},
        "resultObject": ["Hello ✓"],
    }
    assert b"[DONE]" not in raw


def test_default_stream_is_one_event_per_word(emu, http):
    events = sse_events(chat(http, emu, body("one two"), stream=True).content)
    contents = [data["content"] for name, data in events if name == "content"]
    result = events[-2][1]["aiRecord"]["aiRecordDetail"]["resultObject"][0]
    assert "".join(contents) == result
    assert contents[:3] == ["[1min.ai ", "emulator ", "· "]
    assert all(c.count(" ") <= 1 for c in contents)
    assert events[-1] == ("done", {"message": "Stream completed"})


@pytest.mark.parametrize(
    ("charset", "content_type"),
    [(None, "text/event-stream"), ("utf-8", "text/event-stream; charset=utf-8")],
)
def test_sse_charset_knob(emu, http, charset, content_type):
    emu.settings.sse_charset = charset
    emu.script_chat(ScriptedReply(chunks=["h", "é", "llo ✓"]))
    response = chat(http, emu, body(), stream=True)
    assert response.headers["Content-Type"] == content_type
    # The bytes are UTF-8 either way; only what the header claims changes.
    assert 'data: {"content":"é"}'.encode() in response.content
    assert [d["content"] for n, d in sse_events(response.content) if n == "content"] == [
        "h",
        "é",
        "llo ✓",
    ]
    # requests decodes text/* without a charset as ISO-8859-1 (RFC 2616), as llm-1minai does.
    expected = "é" if charset else "Ã©"
    assert expected in response.text


def test_errors_before_streaming_are_json(emu, http):
    response = chat(http, emu, body(model="nope"), stream=True)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errorCode"] == "UNSUPPORTED_MODEL"


async def test_stream_with_aiohttp(emu):
    emu.script_chat(ScriptedReply(chunks=["a", "é", "c"]))
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.post(
            f"{emu.base_url}/api/chat-with-ai",
            params={"isStreaming": "true"},
            json=body(),
            headers={"API-KEY": KEY, "Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/event-stream"
        raw = await response.read()
    assert [d for n, d in sse_events(raw) if n == "content"] == [
        {"content": "a"},
        {"content": "é"},
        {"content": "c"},
    ]


# -- scripts ----------------------------------------------------------------------------------------


def test_scripts_are_a_fifo_shared_by_json_and_sse(emu, http):
    emu.script_chat("first")
    emu.script_chat(ScriptedReply(text="second"))
    emu.script_chat(ScriptedReply(text="third", chunks=["x"]))
    one = chat(http, emu, body()).json()["aiRecord"]["aiRecordDetail"]["resultObject"]
    two = sse_events(chat(http, emu, body(), stream=True).content)
    three = chat(http, emu, body()).json()["aiRecord"]["aiRecordDetail"]["resultObject"]
    four = chat(http, emu, body("after")).json()["aiRecord"]["aiRecordDetail"]["resultObject"]
    assert one == ["first"]
    assert [d["content"] for n, d in two if n == "content"] == ["second"]
    assert three == ["third"]
    assert four[0].startswith("[1min.ai emulator · gpt-4o-mini]")


def test_script_record_merge_and_result_object(emu, http):
    emu.script_chat(
        ScriptedReply(
            text="hi",
            record={"metadata": {"inputToken": 3, "outputToken": 1, "totalToken": 4}, "credit": 12},
        )
    )
    emu.script_chat(
        ScriptedReply(text="x", result_object=["a", "b"], record={"aiRecordDetail": {"extra": 1}})
    )
    record = chat(http, emu, body()).json()["aiRecord"]
    assert record["metadata"] == {"inputToken": 3, "outputToken": 1, "totalToken": 4}
    assert record["credit"] == 12
    assert record["aiRecordDetail"]["resultObject"] == ["hi"]
    second = chat(http, emu, body()).json()["aiRecord"]["aiRecordDetail"]
    assert second == {"promptObject": {"prompt": "hi"}, "resultObject": ["a", "b"], "extra": 1}
    assert emu.requests[1].json == body()


def test_script_failed_status(emu, http):
    emu.script_chat(ScriptedReply(status="FAILED", error_message="model overloaded"))
    record = chat(http, emu, body()).json()["aiRecord"]
    assert record["status"] == "FAILED"
    assert record["aiRecordDetail"]["errorMessage"] == "model overloaded"
    assert record["aiRecordDetail"]["resultObject"] == [""]


def test_scripts_survive_validation_errors(emu, http):
    emu.script_chat("kept")
    assert chat(http, emu, body(model="nope")).status_code == 400
    assert chat(http, emu, body()).json()["aiRecord"]["aiRecordDetail"]["resultObject"] == ["kept"]


# -- conversations ----------------------------------------------------------------------------------


def test_conversation_turns_are_stored_and_counted(emu, http):
    conversation = create_conversation(http, emu)
    first = chat(http, emu, body("one", conversationId=conversation)).json()["aiRecord"]
    emu.settings.record_credit = True
    second = chat(http, emu, body("two", conversationId=conversation)).json()["aiRecord"]
    assert first["conversationId"] == conversation
    assert first["aiRecordDetail"]["resultObject"][0].endswith(
        "This conversation holds 0 earlier turns on the emulator."
    )
    assert second["aiRecordDetail"]["resultObject"][0].endswith(
        "This conversation holds 1 earlier turn on the emulator."
    )
    stored = emu.conversations[conversation]
    assert (stored["title"], stored["model"], stored["type"]) == (
        "Thread",
        "gpt-4o-mini",
        "UNIFY_CHAT_WITH_AI",
    )
    turns = stored["turns"]
    assert [(t["prompt"], t["aiRecordId"], t["model"]) for t in turns] == [
        ("one", first["uuid"], "gpt-4o-mini"),
        ("two", second["uuid"], "gpt-4o-mini"),
    ]
    assert turns[1]["reply"] == second["aiRecordDetail"]["resultObject"][0]
    assert "credit" not in turns[0]
    assert turns[1]["credit"] == second["credit"]
    with pytest.raises(TypeError):
        emu.conversations["x"] = {}


def test_streamed_turn_is_stored(emu, http):
    conversation = create_conversation(http, emu)
    emu.script_chat("streamed answer")
    chat(http, emu, body("q", conversationId=conversation), stream=True)
    assert emu.conversations[conversation]["turns"][0]["reply"] == "streamed answer"


def test_top_level_conversation_id_is_read_as_a_fallback(emu, http):
    conversation = create_conversation(http, emu)
    record = chat(http, emu, {**body(), "conversationId": conversation}).json()["aiRecord"]
    assert record["conversationId"] == conversation
    assert len(emu.conversations[conversation]["turns"]) == 1


def test_unknown_conversation_is_404_or_accepted(emu, http):
    response = chat(http, emu, body(conversationId="no-such-thread"))
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": "Conversation no-such-thread not found",
        "statusCode": 404,
    }
    emu.settings.unknown_conversation = "accept"
    accepted = chat(http, emu, body(conversationId="no-such-thread")).json()["aiRecord"]
    assert accepted["conversationId"] == "no-such-thread"
    assert "earlier turn" not in accepted["aiRecordDetail"]["resultObject"][0]
    assert emu.conversations == {}


def test_feature_name_as_conversation_id_means_no_history(emu, http):
    record = chat(http, emu, body(conversationId="UNIFY_CHAT_WITH_AI")).json()["aiRecord"]
    assert record["conversationId"] == "UNIFY_CHAT_WITH_AI"
    assert "earlier turn" not in record["aiRecordDetail"]["resultObject"][0]


def test_failed_replies_are_not_stored(emu, http):
    conversation = create_conversation(http, emu)
    emu.script_chat(ScriptedReply(status="FAILED", error_message="no"))
    chat(http, emu, body(conversationId=conversation))
    assert emu.conversations[conversation]["turns"] == []


# -- attachments -------------------------------------------------------------------------------------


def test_attachments_are_checked_and_described(emu, http):
    image = upload(http, emu, "cat.png", b"\x89PNG fake", "image/png")
    document = upload(http, emu, "report.pdf", b"%PDF-1.4", "application/pdf")
    attachments = {"images": [image["path"]], "files": [document["uuid"]]}
    record = chat(http, emu, body("look", attachments=attachments)).json()["aiRecord"]
    assert record["aiRecordDetail"]["resultObject"][0].endswith(
        f"Attachments: 1 image ({image['path']}), 1 file ({document['uuid']})."
    )
    assert record["aiRecordDetail"]["promptObject"]["attachments"] == attachments


@pytest.mark.parametrize(
    ("attachments", "message"),
    [
        (
            {"images": ["images/none.png"]},
            "promptObject.attachments.images[0] is not a known asset key: images/none.png",
        ),
        ({"files": ["nope"]}, "promptObject.attachments.files[0] is not a known file uuid: nope"),
        (
            {"images": ["https://example.com/cat.png"]},
            "promptObject.attachments.images[0] is not a known asset key: https://example.com/cat.png",
        ),
    ],
)
def test_bad_attachments(emu, http, attachments, message):
    response = chat(http, emu, body(attachments=attachments))
    assert response.status_code == 400
    assert response.json() == {"errorCode": "REQUEST_BODY_VALIDATION_FAILED", "message": message}


def test_image_urls_in_attachments_knob(emu, http):
    emu.settings.image_urls_in_attachments = True
    attachments = {"images": ["https://example.com/cat.png"]}
    record = chat(http, emu, body(attachments=attachments)).json()["aiRecord"]
    assert "1 image (https://example.com/cat.png)" in record["aiRecordDetail"]["resultObject"][0]
    assert chat(http, emu, body(attachments={"images": ["ftp://x/y.png"]})).status_code == 400


# -- knobs ---------------------------------------------------------------------------------------


def test_extra_fields_are_ignored_by_default_and_rejected_in_strict_mode(emu, http):
    loose = {
        **body(temperature=0.2, settings={"webSearchSettings": {"webSearch": False}}),
        "brandVoiceId": "b",
        "metadata": {"messageGroup": "1727596968593_71"},
        "conversationId": None,
        "imageList": [],
    }
    assert chat(http, emu, loose).status_code == 200
    emu.settings.strict_extra_fields = True
    top = chat(http, emu, {**body(), "imageList": []})
    assert top.json() == {
        "errorCode": "REQUEST_BODY_VALIDATION_FAILED",
        "message": "property imageList should not exist",
    }
    inner = chat(http, emu, body(temperature=0.2))
    assert inner.json()["message"] == "property promptObject.temperature should not exist"
    documented = {
        **body(settings={}, attachments={}, conversationId="UNIFY_CHAT_WITH_AI"),
        "brandVoiceId": "b",
        "metadata": {},
    }
    assert chat(http, emu, documented).status_code == 200


def test_record_token_usage_and_credit(emu, http):
    emu.settings.record_token_usage = True
    emu.settings.record_credit = True
    emu.script_chat("three word reply")
    record = chat(http, emu, body("a b c d e")).json()["aiRecord"]
    assert record["metadata"] == {"inputToken": 5, "outputToken": 3, "totalToken": 8}
    assert record["credit"] == 5 * 1 + 3 * 4
    assert list(record)[-1] == "credit"
