"""Raw-HTTP tests of the emulator's assets, asset host, conversations and model catalog.

wire.md#assets (assets), wire.md#conversations (conversations), wire.md#model-catalog (models), wire.md#emulator-model-catalog, wire.md#emulator-conversations, wire.md#emulator-assets, wire.md#emulator-asset-host.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import requests

from langchain_oneminai.emulator import FormPart, OneMinAIEmulator
from langchain_oneminai.emulator._catalog_data import load_catalog
from langchain_oneminai.emulator._catalog_seed import MODEL_KEYS
from tests.emulator_tests.raw_http import KEY, TIMEOUT, invalid

pytestmark = pytest.mark.timeout(30)

STAMP = r"\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_\d{3}"
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
ISO_MS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def post_file(
    http: requests.Session, emu: OneMinAIEmulator, files: Any, **kwargs: Any
) -> requests.Response:
    return http.post(
        f"{emu.base_url}/api/assets",
        files=files,
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
        **kwargs,
    )


def api(
    http: requests.Session,
    emu: OneMinAIEmulator,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> requests.Response:
    return http.request(
        method,
        f"{emu.base_url}{path}",
        headers={"API-KEY": KEY, **(headers or {})},
        timeout=TIMEOUT,
        **kwargs,
    )


# -- assets -----------------------------------------------------------------------------------------


def test_upload_answers_the_full_asset_object(emu, http):
    data = b"\x89PNG\r\n\x1a\n fake image"
    response = post_file(http, emu, {"asset": ("example.png", data, "image/png")})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = response.json()
    asset, content = payload["asset"], payload["fileContent"]
    key = asset["key"]
    assert re.fullmatch(rf"images/{STAMP}_example\.png", key)
    assert asset == {
        "fieldname": "asset",
        "originalname": "example.png",
        "encoding": "7bit",
        "mimetype": "image/png",
        "size": len(data),
        "bucket": "asset.1min.ai",
        "key": key,
        "acl": "private",
        "contentType": "application/octet-stream",
        "contentDisposition": None,
        "contentEncoding": None,
        "storageClass": "STANDARD",
        "serverSideEncryption": None,
        "metadata": {
            "team-id": asset["metadata"]["team-id"],
            "user-id": asset["metadata"]["user-id"],
            "fieldname": "asset",
            "originalname": "example.png",
            "encoding": "7bit",
            "mimetype": "image/png",
        },
        "location": f"{emu.asset_base_url}/{key}",
        "etag": f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"',
    }
    assert re.fullmatch(UUID4, asset["metadata"]["team-id"])
    assert content == {
        "uuid": content["uuid"],
        "path": key,
        "type": "png",
        "name": key.removeprefix("images/"),
        "content": "",
        "status": "ACTIVE",
        "metadata": {"token": 0, "character": 0},
        "createdAt": content["createdAt"],
    }
    assert re.fullmatch(UUID4, content["uuid"])
    assert re.fullmatch(ISO_MS, content["createdAt"])
    assert (
        content["createdAt"]
        .replace("-", "_")
        .replace("T", "_")
        .replace(":", "_")
        .replace(".", "_")[:23]
        == key[7:30]
    )
    assert emu.assets[key] == (data, "image/png")


def test_asset_host_serves_the_bytes(emu, http):
    data = bytes(range(256)) * 10
    key = post_file(http, emu, {"asset": ("blob.bin", data, "application/octet-stream")}).json()[
        "fileContent"
    ]["path"]
    assert key.startswith("documents/")
    response = http.get(f"{emu.asset_base_url}/{key}?X-Amz-Expires=1", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.content == data
    missing = http.get(f"{emu.asset_base_url}/images/nope.png", timeout=TIMEOUT)
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/xml")
    assert b"<Code>NoSuchKey</Code>" in missing.content
    assert [r.route for r in emu.requests] == ["assets", "download", "download"]
    assert [r.key_valid for r in emu.requests] == [True, False, False]


def test_asset_names_with_spaces_and_unicode(emu, http):
    data = b"%PDF-1.4"
    asset = post_file(http, emu, {"asset": ("my répört 1.pdf", data, "application/pdf")}).json()[
        "asset"
    ]
    key = asset["key"]
    assert key.endswith("_my répört 1.pdf")
    assert asset["location"] == f"{emu.asset_base_url}/{quote(key)}"
    assert "%20" in asset["location"]
    assert http.get(asset["location"], timeout=TIMEOUT).content == data


@pytest.mark.parametrize(
    ("name", "mime", "prefix", "kind"),
    [
        ("a.png", "image/png", "images", "png"),
        ("a.JPG", "image/jpeg", "images", "jpg"),
        ("a.mp3", "audio/mpeg", "audios", "mp3"),
        ("a.pdf", "application/pdf", "documents", "pdf"),
        ("a.txt", "text/plain", "documents", "txt"),
    ],
)
def test_upload_key_prefixes(emu, http, name, mime, prefix, kind):
    content = post_file(http, emu, {"asset": (name, b"data", mime)}).json()["fileContent"]
    assert content["path"].startswith(f"{prefix}/")
    assert content["type"] == kind


def test_a_part_without_content_type_is_text_plain_as_busboy_takes_it(emu, http):
    # requests sends no Content-Type for a (name, data) file tuple.
    payload = post_file(http, emu, {"asset": ("a.png", b"\x89PNG data")}).json()
    assert emu.requests[0].form[0].content_type is None
    assert payload["asset"]["mimetype"] == "text/plain"
    assert payload["fileContent"]["path"].startswith("documents/")  # not images/: type wins
    served = http.get(f"{emu.asset_base_url}/{payload['asset']['key']}", timeout=TIMEOUT)
    assert served.headers["Content-Type"] == "text/plain"


def test_audio_key_prefix_knob_for_uploads(emu, http):
    emu.settings.audio_key_prefix = "documents"
    content = post_file(http, emu, {"asset": ("a.mp3", b"ID3", "audio/mpeg")}).json()["fileContent"]
    assert content["path"].startswith("documents/")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"asset": ("README", b"x", "text/plain")}, "This file type isn't supported: README"),
        ({"asset": ("notes.", b"x", "text/plain")}, "This file type isn't supported: notes."),
        ({"asset": (".env", b"x", "text/plain")}, "This file type isn't supported: .env"),
        (
            {"asset": ("notes.md", b"# x", "text/markdown")},
            "This file type isn't supported: notes.md",
        ),
        ({"other": ("a.png", b"x", "image/png")}, "asset file is required"),
        ({"file": ("a.png", b"x", "image/png")}, "asset file is required"),
    ],
)
def test_upload_rejections(emu, http, files, message):
    invalid(post_file(http, emu, files), message)
    assert emu.assets == {}


def test_upload_needs_multipart(emu, http):
    invalid(
        api(http, emu, "POST", "/api/assets", json={"fileUrl": "https://x/y.png"}),
        "asset file is required",
    )
    response = api(
        http,
        emu,
        "POST",
        "/api/assets",
        data=b"garbage",
        headers={"Content-Type": "multipart/form-data; boundary=zz"},
    )
    invalid(response, "asset file is required")


def test_upload_requires_the_key(emu, http):
    response = http.post(
        f"{emu.base_url}/api/assets", files={"asset": ("a.png", b"x", "image/png")}, timeout=TIMEOUT
    )
    assert response.status_code == 401
    assert emu.assets == {}


def test_asset_field_names_knob(emu, http):
    emu.settings.asset_field_names = ("asset", "file")
    response = post_file(http, emu, {"file": ("a.png", b"x", "image/png")})
    assert response.status_code == 200
    assert response.json()["asset"]["fieldname"] == "file"


@pytest.mark.parametrize(
    "mime", ["text/markdown", "text/x-markdown", "Text/Markdown; charset=utf-8"]
)
def test_markdown_is_refused_in_any_spelling(emu, http, mime):
    invalid(
        post_file(http, emu, {"asset": ("n.md", b"# x", mime)}),
        "This file type isn't supported: n.md",
    )
    assert post_file(http, emu, {"asset": ("n.txt", b"# x", "text/plain")}).status_code == 200


def test_upload_is_logged_as_form_parts(emu, http):
    data = b"\x00\x01payload"
    post_file(http, emu, {"asset": ("x.png", data, "image/png")}, data={"type": "image"})
    (record,) = emu.requests
    assert record.json is None
    assert record.form == [
        FormPart("type", None, None, 5, hashlib.sha256(b"image").hexdigest()),
        FormPart("asset", "x.png", "image/png", len(data), hashlib.sha256(data).hexdigest()),
    ]


async def test_upload_with_aiohttp_form_data(emu):
    form = aiohttp.FormData()
    form.add_field("asset", b"abc", filename="clip.wav", content_type="audio/wav")
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.post(f"{emu.base_url}/api/assets", data=form, headers={"API-KEY": KEY}) as response,
    ):
        assert response.status == 200
        payload = await response.json()
    assert payload["fileContent"]["path"].startswith("audios/")
    assert payload["asset"]["mimetype"] == "audio/wav"


# -- conversations -----------------------------------------------------------------------------------


def create(http: requests.Session, emu: OneMinAIEmulator, **fields: Any) -> requests.Response:
    payload = {
        "type": "UNIFY_CHAT_WITH_AI",
        "title": "My AI Conversation",
        "model": "gpt-4o-mini",
        **fields,
    }
    return api(http, emu, "POST", "/api/conversations", json=payload)


def test_create_conversation(emu, http):
    response = create(http, emu)
    assert response.status_code == 200
    conversation = response.json()["conversation"]
    assert conversation == {
        "uuid": conversation["uuid"],
        "title": "My AI Conversation",
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "createdAt": conversation["createdAt"],
        "status": "ACTIVE",
    }
    assert re.fullmatch(UUID4, conversation["uuid"])
    assert re.fullmatch(ISO_MS, conversation["createdAt"])
    assert emu.conversations[conversation["uuid"]]["turns"] == []


def test_conversation_title_limits(emu, http):
    assert create(http, emu, title="t" * 91).status_code == 200
    invalid(
        create(http, emu, title="t" * 92), "title must be shorter than or equal to 91 characters"
    )
    invalid(create(http, emu, title=""), "title should not be empty")
    invalid(create(http, emu, title=None), "title should not be empty")


def test_conversation_type_and_model(emu, http):
    types = "UNIFY_CHAT_WITH_AI, CHAT_WITH_AI, CHAT_WITH_IMAGE, CHAT_WITH_PDF, CHAT_WITH_YOUTUBE_VIDEO, CODE_GENERATOR"
    invalid(
        create(http, emu, type="IMAGE_GENERATOR"),
        f"type must be one of the following values: {types}",
    )
    invalid(create(http, emu, type=None), f"type must be one of the following values: {types}")
    unsupported = create(http, emu, model="gpt-2")
    assert unsupported.json() == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": "Model gpt-2 is not supported",
    }
    assert create(http, emu, type="CODE_GENERATOR", model="qwen3-coder-plus").status_code == 200
    assert create(http, emu, type="CODE_GENERATOR", model="gpt-4o-mini").status_code == 400


def test_pdf_and_youtube_conversations(emu, http):
    invalid(create(http, emu, type="CHAT_WITH_PDF"), "fileList is required for CHAT_WITH_PDF")
    invalid(
        create(http, emu, type="CHAT_WITH_PDF", fileList=["nope"]),
        "fileList[0] is not a known file uuid: nope",
    )
    invalid(
        create(http, emu, type="CHAT_WITH_PDF", fileList="x"),
        "fileList must be an array of strings",
    )
    file_id = post_file(http, emu, {"asset": ("r.pdf", b"%PDF", "application/pdf")}).json()[
        "fileContent"
    ]["uuid"]
    pdf = create(http, emu, type="CHAT_WITH_PDF", fileList=[file_id])
    assert pdf.status_code == 200
    assert emu.conversations[pdf.json()["conversation"]["uuid"]]["fileList"] == [file_id]
    invalid(
        create(http, emu, type="CHAT_WITH_YOUTUBE_VIDEO"),
        "youtubeUrl is required for CHAT_WITH_YOUTUBE_VIDEO",
    )
    invalid(
        create(http, emu, type="CHAT_WITH_YOUTUBE_VIDEO", youtubeUrl=3),
        "youtubeUrl must be a string",
    )
    video = create(
        http, emu, type="CHAT_WITH_YOUTUBE_VIDEO", youtubeUrl="https://www.youtube.com/watch?v=x"
    )
    assert video.status_code == 200


def test_create_conversation_strict_mode(emu, http):
    assert create(http, emu, tagIds=[]).status_code == 200
    emu.settings.strict_extra_fields = True
    invalid(create(http, emu, tagIds=[]), "property tagIds should not exist")


def _chat(http: requests.Session, emu: OneMinAIEmulator, conversation: str, prompt: str) -> Any:
    payload = {
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": prompt, "conversationId": conversation},
    }
    return api(http, emu, "POST", "/api/chat-with-ai", json=payload).json()["aiRecord"]


def test_list_and_get_in_the_fixture_shape(emu, http):
    emu.settings.conversation_shape = "fixture"
    first = create(http, emu, title="first").json()["conversation"]
    second = create(http, emu, title="second", type="CODE_GENERATOR", model="gpt-4o").json()[
        "conversation"
    ]
    listed = api(http, emu, "GET", "/api/conversations")
    assert listed.status_code == 200
    assert listed.json() == {"conversations": [second, first]}
    emu.script_chat("the answer")
    _chat(http, emu, first["uuid"], "the question")
    got = api(http, emu, "GET", f"/api/conversations/{first['uuid']}").json()
    assert got == {
        "conversation": {
            **first,
            "messages": [
                {"role": "user", "content": "the question"},
                {"role": "assistant", "content": "the answer"},
            ],
        }
    }
    filtered = api(http, emu, "GET", "/api/conversations", params={"type": "CODE_GENERATOR"})
    assert filtered.json() == {"conversations": [second]}


def test_list_and_get_in_the_webapp_shape_by_default(emu, http):
    assert emu.settings.conversation_shape == "webapp"
    emu.settings.record_credit = True
    conversation = create(http, emu).json()["conversation"]
    emu.script_chat("two words")
    record = _chat(http, emu, conversation["uuid"], "one two three")
    assert api(http, emu, "GET", "/api/conversations").json() == {
        "conversationList": [conversation]
    }
    got = api(http, emu, "GET", f"/api/conversations/{conversation['uuid']}").json()
    assert got["conversation"] == conversation
    user, assistant = got["messageList"]
    assert user == {
        "role": "USER",
        "content": "one two three",
        "aiRecordId": record["uuid"],
        "credit": 0,
        "executionTime": 0.0,
    }
    assert assistant["role"] == "gpt-4o-mini"
    assert assistant["content"] == "two words"
    assert assistant["aiRecordId"] == record["uuid"]
    assert assistant["credit"] == record["credit"] == 3 + 2 * 4
    assert isinstance(assistant["executionTime"], float)  # seconds, as the web app's
    assert assistant["executionTime"] >= 0


def test_delete_conversation(emu, http):
    conversation = create(http, emu).json()["conversation"]["uuid"]
    deleted = api(http, emu, "DELETE", f"/api/conversations/{conversation}")
    assert (deleted.status_code, deleted.content) == (200, b"{}")
    again = api(http, emu, "DELETE", f"/api/conversations/{conversation}")
    assert again.status_code == 404
    assert again.json() == {
        "error": "Not Found",
        "message": f"Conversation {conversation} not found",
        "statusCode": 404,
    }
    assert api(http, emu, "GET", f"/api/conversations/{conversation}").status_code == 404
    assert emu.conversations == {}


def test_conversation_routes_require_the_key(emu, http):
    for method, path in [
        ("GET", "/api/conversations"),
        ("GET", "/api/conversations/x"),
        ("DELETE", "/api/conversations/x"),
    ]:
        response = http.request(method, f"{emu.base_url}{path}", timeout=TIMEOUT)
        assert response.status_code == 401


# -- models -------------------------------------------------------------------------------------------


def test_chat_catalog(emu, http):
    response = http.get(
        f"{emu.base_url}/models", params={"feature": "UNIFY_CHAT_WITH_AI"}, timeout=TIMEOUT
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = response.json()
    chat = load_catalog().chat
    assert payload["total"] == len(payload["models"]) == len(chat)
    assert [m["modelId"] for m in payload["models"]] == [m.model_id for m in chat]
    by_id = {m["modelId"]: m for m in payload["models"]}
    assert all(tuple(m) == MODEL_KEYS for m in payload["models"])
    qwen = by_id["qwen3-vl-plus"]
    assert qwen["name"] == "Qwen3 VL Plus - Alibaba Cloud"
    assert qwen["group"] == "alibaba/qwen"
    assert qwen["features"] == ["CHAT_WITH_IMAGE", "UNIFY_CHAT_WITH_AI"]
    assert qwen["modality"] == {"INPUT": ["text", "image"], "OUTPUT": ["text"]}
    assert qwen["creditMetadata"] == {
        "INPUT": 0.6,
        "OUTPUT": 4.8,
        "LOW_IMAGE": 802,
        "CONTEXT": 262144,
        "MAX_OUTPUT_TOKEN": 32768,
    }
    assert by_id["gpt-3.5-turbo"]["modality"] == {"INPUT": ["text"], "OUTPUT": ["text"]}
    assert "LOW_IMAGE" not in by_id["gpt-3.5-turbo"]["creditMetadata"]
    assert "MAX_OUTPUT_TOKEN" not in by_id["sonar"]["creditMetadata"]
    assert "CODE_GENERATOR" in by_id["claude-sonnet-4-6"]["features"]
    assert all(m["name"] != m["modelId"] for m in payload["models"])


@pytest.mark.parametrize(
    "model_id",
    ["gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.4-pro", "gemini-3.1-flash-lite-preview"],
)
def test_newer_chat_models_are_served(emu, http, model_id):
    # llm-1minai 0.4.1 registers these; omi's later catalog snapshot lists them.
    models = http.get(f"{emu.base_url}/models?feature=UNIFY_CHAT_WITH_AI", timeout=TIMEOUT).json()
    (entry,) = [m for m in models["models"] if m["modelId"] == model_id]
    assert entry["modality"]["INPUT"] == ["text", "image"]
    assert entry["creditMetadata"] == {"INPUT": 1, "OUTPUT": 4, "LOW_IMAGE": 800}  # placeholders
    payload = {"model": model_id, "promptObject": {"prompt": "hi"}}
    assert api(http, emu, "POST", "/api/chat-with-ai", json=payload).status_code == 200


@pytest.mark.parametrize("feature", sorted(load_catalog().features))
def test_feature_catalogs(emu, http, feature):
    data = load_catalog()
    chat_ids = {m.model_id for m in data.chat}
    payload = http.get(
        f"{emu.base_url}/models", params={"feature": feature}, timeout=TIMEOUT
    ).json()
    assert [m["modelId"] for m in payload["models"]] == list(data.features[feature])
    assert payload["total"] == len(data.features[feature])
    for model in payload["models"]:
        assert tuple(model) == MODEL_KEYS
        assert feature in model["features"]
        if model["modelId"] not in chat_ids:
            assert model["modality"] is None
            # As recorded (the dump's odd NOT_APPLICABLE entry has {}), else {"ALL": 1000}.
            assert isinstance(model["creditMetadata"], dict)


def test_feature_catalog_values_from_the_dump(emu, http):
    tts = http.get(f"{emu.base_url}/models?feature=TEXT_TO_SPEECH", timeout=TIMEOUT).json()
    by_id = {m["modelId"]: m for m in tts["models"]}
    assert by_id["qwen3-tts-flash"]["creditMetadata"] == {"ALL": 10}
    assert by_id["elevenlabs-tts"]["creditMetadata"] == {"ALL": 240, "TURBO": 120}
    assert by_id["tts-1"]["name"] == "TTS 1 - OpenAI"
    stt = http.get(f"{emu.base_url}/models?feature=SPEECH_TO_TEXT", timeout=TIMEOUT).json()
    google = {m["modelId"]: m for m in stt["models"]}["latest_short"]
    assert (google["provider"], google["group"]) == (None, "google/stt")  # null in the dump


def test_legacy_chat_catalogs_are_the_dumped_lists(emu, http):
    image = http.get(f"{emu.base_url}/models?feature=CHAT_WITH_IMAGE", timeout=TIMEOUT).json()
    assert image["total"] == 23
    assert all("image" in m["modality"]["INPUT"] for m in image["models"])
    legacy = http.get(f"{emu.base_url}/models?feature=CHAT_WITH_AI", timeout=TIMEOUT).json()
    assert legacy["total"] == 61


@pytest.mark.parametrize("query", ["", "?feature=", "?feature=NOPE", "?other=1"])
def test_catalog_without_a_known_feature_is_empty(emu, http, query):
    response = http.get(f"{emu.base_url}/models{query}", timeout=TIMEOUT)
    assert (response.status_code, response.content) == (200, b'{"models":[],"total":0}')


def test_models_key_knob(emu, http):
    url = f"{emu.base_url}/models?feature=TEXT_TO_SPEECH"
    assert http.get(url, headers={"API-KEY": "wrong"}, timeout=TIMEOUT).status_code == 200
    emu.settings.models_require_key = True
    assert http.get(url, timeout=TIMEOUT).status_code == 401
    assert http.get(url, headers={"API-KEY": KEY}, timeout=TIMEOUT).status_code == 200


def test_api_models_is_404(emu, http):
    response = http.get(f"{emu.base_url}/api/models", headers={"API-KEY": KEY}, timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": "Cannot GET /api/models",
        "statusCode": 404,
    }


def test_add_model(emu, http):
    emu.add_model("UNIFY_CHAT_WITH_AI", "my-model", vision=True, context=1000, max_output=10)
    models = http.get(f"{emu.base_url}/models?feature=UNIFY_CHAT_WITH_AI", timeout=TIMEOUT).json()[
        "models"
    ]
    mine = models[-1]
    assert mine["modelId"] == "my-model"
    assert (mine["name"], mine["provider"]) == ("my-model", "emulator")
    assert mine["modality"]["INPUT"] == ["text", "image"]
    assert mine["creditMetadata"] == {
        "INPUT": 1,
        "OUTPUT": 4,
        "CONTEXT": 1000,
        "LOW_IMAGE": 800,
        "MAX_OUTPUT_TOKEN": 10,
    }
    payload = {"model": "my-model", "promptObject": {"prompt": "x"}}
    assert api(http, emu, "POST", "/api/chat-with-ai", json=payload).status_code == 200
