"""The client package against each emulator knob that models an open question of the API.

Every knob of ``EmulatorSettings`` stands for an ambiguity of 1min.ai (docs/wire.md, "Open
questions"); these tests set one knob on the shared emulator and assert what the package does
against that variant: the exact request that went out and the exact result or typed error that
came back. Sync and async run the same body (``mode``) wherever the package has both paths.

(A ``code_generator_stream`` knob was removed for want of such a test: nothing in the package
asks ``/api/features`` for a stream, so no client could observe its three formats.)
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import mimetypes
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import BaseTool, tool
from pydantic import BaseModel

from langchain_oneminai import ChatOneMinAI, OneMinAIClient
from langchain_oneminai._version import USER_AGENT
from langchain_oneminai._wire import ContentDelta, StreamDone, StreamResult
from langchain_oneminai.chat_message_histories import with_oneminai_history
from langchain_oneminai.emulator import OneMinAIEmulator, RecordedRequest, ScriptedReply
from langchain_oneminai.emulator._media import render_png, render_wav
from langchain_oneminai.errors import (
    AuthenticationError,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
)
from langchain_oneminai.tools import (
    OneMinAIImageEditTool,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
)
from tests.helpers import call, emulator_client, sent_headers, stream

pytestmark = pytest.mark.filterwarnings("ignore:RunnableWithMessageHistory is deprecated")

CHAT = "/api/chat-with-ai"
UNKNOWN = "0f8fad5b-d9cb-469f-a165-70867728950e"
PNG = render_png("knobs", 8, 8)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
PDF = b"%PDF-1.4\n% knobs\n"
WAV = render_wav("Grüße from the emulator")


def invoke(mode: str, runnable: Any, value: Any, **kwargs: Any) -> Any:
    """``runnable.invoke`` or ``ainvoke``."""
    if mode == "sync":
        return runnable.invoke(value, **kwargs)
    return asyncio.run(runnable.ainvoke(value, **kwargs))


def stream_model(mode: str, llm: ChatOneMinAI, value: Any) -> list[AIMessageChunk]:
    """Every chunk of ``llm.stream`` or ``astream``."""
    if mode == "sync":
        return list(llm.stream(value))

    async def collect() -> list[AIMessageChunk]:
        return [chunk async for chunk in llm.astream(value)]

    return asyncio.run(collect())


def run_tool(mode: str, media_tool: BaseTool, args: dict[str, Any]) -> ToolMessage:
    """Invoke ``media_tool`` with a ToolCall; a refusal or API error is raised, not returned."""
    media_tool.handle_tool_error = False
    tool_call = {"args": args, "id": "call-1", "name": media_tool.name, "type": "tool_call"}
    if mode == "sync":
        result = media_tool.invoke(tool_call)
    else:
        result = asyncio.run(media_tool.ainvoke(tool_call))
    assert isinstance(result, ToolMessage)
    return result


def model_on(client: OneMinAIClient, **fields: Any) -> ChatOneMinAI:
    """A ChatOneMinAI on the test client."""
    return ChatOneMinAI(client=client, **{"model": "gpt-4o-mini", **fields})


def routes(emulator: OneMinAIEmulator) -> list[str]:
    return [r.route for r in emulator.requests]


def only(emulator: OneMinAIEmulator, route: str) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.route == route]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def image_message(*blocks: dict[str, Any], text: str = "What is this?") -> HumanMessage:
    return HumanMessage(content=[{"type": "text", "text": text}, *blocks])


# -- accept_bearer ---------------------------------------------------------------------------


def test_a_bearer_accepting_server_still_gets_the_key_in_api_key_alone(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#is-bearer-auth-accepted: the docs intro names ``Authorization: Bearer``, every
    feature page ``API-KEY``. Even where Bearer would work, the key travels in one header only,
    on every API route, and never to the asset host."""
    emulator.settings.accept_bearer = True
    emulator.script_chat("Hello")
    emulator.script_chat(ScriptedReply(chunks=["Hel", "lo"]))
    assert call(mode, client, "chat", "gpt-4o-mini", "hi").text == "Hello"
    events, error = stream(mode, client, "gpt-4o-mini", "hi")
    assert error is None
    assert [e.text for e in events if isinstance(e, ContentDelta)] == ["Hel", "lo"]
    uploaded = call(mode, client, "upload_asset", PNG, filename="a.png")
    assert call(mode, client, "download", uploaded.path) == PNG
    assert call(mode, client, "list_models").get("gpt-4o-mini") is not None

    assert routes(emulator) == ["chat", "chat", "assets", "download", "models"]
    for request in emulator.requests:
        assert "authorization" not in {name.lower() for name in request.headers}
    json_accept, sse_accept = "application/json", "text/event-stream"
    api_key = {"User-Agent": USER_AGENT, "API-KEY": "<redacted>"}
    assert [(r.path, sent_headers(r), r.key_valid) for r in emulator.requests] == [
        (CHAT, {**api_key, "Accept": json_accept}, True),
        (CHAT, {**api_key, "Accept": sse_accept}, True),
        ("/api/assets", {**api_key, "Accept": json_accept}, True),
        (f"/asset-host/{uploaded.path}", {"User-Agent": USER_AGENT, "Accept": "*/*"}, False),
        ("/models", {**api_key, "Accept": json_accept}, True),
    ]


# -- models_require_key ----------------------------------------------------------------------


def test_a_key_guarded_catalog_gets_the_configured_key(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#is-the-model-catalog-public: ``GET /models`` is public per the docs site, omi
    calls it with the key as a credential check. A client with a key sends it there too."""
    emulator.settings.models_require_key = True
    catalog = call(mode, client, "list_models")
    assert catalog.get("gpt-4o-mini") is not None
    (request,) = emulator.requests
    assert (request.method, request.path, request.query, request.status) == (
        "GET",
        "/models",
        {"feature": "UNIFY_CHAT_WITH_AI"},
        200,
    )
    assert sent_headers(request) == {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "API-KEY": "<redacted>",
    }


def test_a_keyless_client_on_a_key_guarded_catalog_gets_an_authentication_error(
    mode: str, emulator: OneMinAIEmulator
) -> None:
    """wire.md#is-the-model-catalog-public: a keyless client may read a public catalog; when the
    server guards it after all, the 401 is an AuthenticationError, asked once (no retry)."""
    emulator.settings.models_require_key = True
    with emulator_client(emulator, api_key=None) as keyless:
        with pytest.raises(AuthenticationError) as caught:
            call(mode, keyless, "list_models")
    assert caught.value.status_code == 401
    assert (caught.value.method, caught.value.path) == ("GET", "/models")
    assert "this client has none to send. Set ONEMINAI_API_KEY" in str(caught.value)
    (request,) = emulator.requests
    assert (request.path, request.status) == ("/models", 401)
    assert sent_headers(request) == {"User-Agent": USER_AGENT, "Accept": "application/json"}


def test_the_vision_check_reads_a_key_guarded_catalog_with_the_key(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#is-the-model-catalog-public (and #images-in-chat): the image check's catalog
    fetch carries the key, so a guarded catalog still answers it; a text-only model is refused
    before anything is uploaded."""
    emulator.settings.models_require_key = True
    block = {"type": "image", "base64": base64.b64encode(PNG).decode(), "mime_type": "image/png"}
    with pytest.raises(InvalidInputError, match="'o3-mini' cannot see images"):
        invoke(mode, model_on(client, model="o3-mini"), [image_message(block)])
    (request,) = emulator.requests
    assert (request.route, request.status, request.key_valid) == ("models", 200, True)
    assert sent_headers(request)["API-KEY"] == "<redacted>"


# -- strict_extra_fields ---------------------------------------------------------------------


def test_every_chat_option_is_a_field_a_strict_server_knows(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#unknown-fields: whether 1min.ai rejects unknown keys is not known. Every chat
    option, attachments and conversation mode included, goes out in documented fields only, so
    a strict server serves it; temperature and max_tokens are accepted and never sent."""
    emulator.settings.strict_extra_fields = True
    thread = client.create_conversation("Strict", "gpt-4o").uuid
    llm = model_on(
        client,
        model="gpt-4o",
        temperature=0.2,
        max_tokens=50,
        web_search=True,
        num_of_site=2,
        max_word=300,
        history_message_limit=4,
        is_mixed=True,
        with_memories=True,
        brand_voice_id="bv-1",
        conversation_id=thread,
    )
    emulator.clear_requests()
    emulator.script_chat("Seen.")
    document = {
        "type": "file",
        "base64": base64.b64encode(PDF).decode(),
        "mime_type": "application/pdf",
        "filename": "r.pdf",
    }
    image = {"type": "image", "base64": base64.b64encode(PNG).decode(), "mime_type": "image/png"}
    reply = invoke(mode, llm, [image_message(image, document, text="Look")])
    assert isinstance(reply, AIMessage) and reply.content == "Seen."
    emulator.script_chat(ScriptedReply(chunks=["Again", "."]))
    assert "".join(c.text for c in stream_model(mode, llm, "More?")) == "Again."

    first, second = only(emulator, "chat")
    (image_key,) = [k for k in emulator.assets if k.startswith("images/")]
    (file_id,) = first.json["promptObject"]["attachments"]["files"]
    settings = {
        "webSearchSettings": {"webSearch": True, "numOfSite": 2, "maxWord": 300},
        "historySettings": {"isMixed": True, "historyMessageLimit": 4},
        "withMemories": True,
    }
    assert first.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o",
        "promptObject": {
            "prompt": "Look\n[image 1]\n[file 1: r.pdf]",
            "conversationId": thread,
            "settings": settings,
            "attachments": {"images": [image_key], "files": [file_id]},
        },
        "brandVoiceId": "bv-1",
    }
    assert second.json["promptObject"] == {
        "prompt": "More?",
        "conversationId": thread,
        "settings": settings,
    }
    assert [r.status for r in emulator.requests] == [200] * len(emulator.requests)


class Joke(BaseModel):
    setup: str
    punchline: str


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


def test_tool_calling_and_structured_output_add_no_wire_fields(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#unknown-fields and #no-native-tool-calling: tools and schemas live in the prompt
    text, so a strict server serves tool calling and structured output unchanged."""
    emulator.settings.strict_extra_fields = True
    llm = model_on(client)
    emulator.script_chat(ScriptedReply.tool_calls(("get_weather", {"city": "Paris"})))
    message = invoke(mode, llm.bind_tools([get_weather]), "Weather in Paris?")
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("get_weather", {"city": "Paris"})
    ]
    emulator.script_chat(ScriptedReply.structured({"setup": "Why?", "punchline": "Because."}))
    joke = invoke(mode, llm.with_structured_output(Joke), "A joke")
    assert joke == Joke(setup="Why?", punchline="Because.")
    chats = only(emulator, "chat")
    assert [(r.status, sorted(r.json), sorted(r.json["promptObject"])) for r in chats] == [
        (200, ["model", "promptObject", "type"], ["prompt"])
    ] * 2


# fmt: off
STRICT_TOOLS: list[tuple[type[BaseTool], dict[str, Any], dict[str, Any]]] = [
    (OneMinAIImageTool, {"prompt": "a cat", "model": "dall-e-3", "quality": "hd"},
     {"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"prompt": "a cat", "quality": "hd"}}),
    (OneMinAIImageTool, {"prompt": "a cat", "model": "gpt-image-1", "extras": {"background": "transparent"}},
     {"type": "IMAGE_GENERATOR", "model": "gpt-image-1", "promptObject": {"prompt": "a cat", "background": "transparent"}}),
    (OneMinAIImageEditTool, {"image": "<image>", "operation": "variation", "model": "dall-e-2"},
     {"type": "IMAGE_VARIATOR", "model": "dall-e-2", "promptObject": {"imageUrl": "<image>"}}),
    (OneMinAITextToSpeechTool, {"text": "hi", "model": "tts-1", "voice": "nova", "speed": 1.5},
     {"type": "TEXT_TO_SPEECH", "model": "tts-1", "conversationId": "TEXT_TO_SPEECH", "promptObject": {"text": "hi", "voice": "nova", "speed": 1.5}}),
    (OneMinAISpeechToTextTool, {"audio": "<audio>", "model": "whisper-1"},
     {"type": "SPEECH_TO_TEXT", "model": "whisper-1", "promptObject": {"audioUrl": "<audio>", "response_format": "text"}}),
    (OneMinAISpeechToTextTool, {"audio": "<audio>", "model": "latest_long", "language": "en-US"},
     {"type": "SPEECH_TO_TEXT", "model": "latest_long", "promptObject": {"audioUrl": "<audio>", "language": "en-US"}}),
]
# fmt: on


def with_keys(value: Any, keys: dict[str, str]) -> Any:
    """``value`` with the ``<image>`` / ``<audio>`` placeholders replaced by asset keys."""
    if isinstance(value, dict):
        return {k: with_keys(v, keys) for k, v in value.items()}
    return keys.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize(("tool_class", "args", "body"), STRICT_TOOLS)
def test_the_media_tools_send_only_fields_a_strict_server_knows(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    tool_class: type[BaseTool],
    args: dict[str, Any],
    body: dict[str, Any],
) -> None:
    """wire.md#unknown-fields: the typed tools send the documented fields of each family, so a
    server that rejects unknown keys runs them."""
    keys = {
        "<image>": client.upload_asset(PNG, filename="p.png").path,
        "<audio>": client.upload_asset(WAV, filename="a.wav").path,
    }
    emulator.settings.strict_extra_fields = True
    emulator.clear_requests()
    run_tool(mode, tool_class(client=client, download=False), with_keys(args, keys))
    (feature,) = only(emulator, "features")
    assert (feature.json, feature.status) == (with_keys(body, keys), 200)


def test_a_field_a_strict_server_refuses_is_a_bad_request_error_asked_once(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#unknown-fields: ``run_feature`` passes fields through as given; a server that
    refuses an unknown one answers 400, which is a BadRequestError with the API's words and is
    not retried."""
    emulator.settings.strict_extra_fields = True
    prompt_object = {"prompt": "a cat", "historyMixed": True}
    with pytest.raises(BadRequestError) as caught:
        call(mode, client, "run_feature", "IMAGE_GENERATOR", "dall-e-3", prompt_object)
    assert caught.value.status_code == 400
    assert caught.value.error_code == "REQUEST_BODY_VALIDATION_FAILED"
    assert caught.value.api_message == "property promptObject.historyMixed should not exist"
    assert [(r.route, r.json, r.status) for r in emulator.requests] == [
        (
            "features",
            {"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": prompt_object},
            400,
        )
    ]


# -- legacy_chat -----------------------------------------------------------------------------


@pytest.mark.parametrize("legacy", ["reject", "serve"])
def test_legacy_chat_through_run_feature_gets_what_the_server_decides(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, legacy: Any
) -> None:
    """wire.md#legacy-chat: ``CHAT_WITH_AI`` on ``/api/features`` is deprecated, perhaps gone.
    The package never sends it itself; a caller who does gets the record where it is still
    served, and a BadRequestError (not retried) where it is refused."""
    emulator.settings.legacy_chat = legacy
    emulator.script_chat("Legacy hello")
    args = ("CHAT_WITH_AI", "gpt-4o-mini", {"prompt": "hi"})
    if legacy == "serve":
        record = call(mode, client, "run_feature", *args)
        assert (record.text, record.type, record.status) == (
            "Legacy hello",
            "CHAT_WITH_AI",
            "SUCCESS",
        )
    else:
        with pytest.raises(BadRequestError) as caught:
            call(mode, client, "run_feature", *args)
        assert caught.value.status_code == 400
        assert caught.value.error_code == "REQUEST_BODY_VALIDATION_FAILED"
        assert caught.value.api_message == (
            "CHAT_WITH_AI is no longer supported on /api/features; use POST /api/chat-with-ai"
        )
    (request,) = emulator.requests
    assert (request.path, request.json) == (
        "/api/features",
        {"type": "CHAT_WITH_AI", "model": "gpt-4o-mini", "promptObject": {"prompt": "hi"}},
    )


# -- unknown_conversation --------------------------------------------------------------------


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("unknown", ["reject", "accept"])
def test_an_unknown_conversation_id_is_a_not_found_error_or_a_fresh_thread(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, unknown: Any, streaming: bool
) -> None:
    """wire.md#is-conversationid-required: what an unknown ``conversationId`` does is not
    captured. Refused, it is a NotFoundError asked once; accepted, the reply comes back with
    the id in its metadata. Invoke and stream alike."""
    emulator.settings.unknown_conversation = unknown
    emulator.script_chat(ScriptedReply(chunks=["Fresh", " start"]))
    llm = model_on(client, conversation_id=UNKNOWN, streaming=streaming)
    if unknown == "accept":
        reply = invoke(mode, llm, "Hello")
        assert reply.content == "Fresh start"
        assert reply.response_metadata["conversation_id"] == UNKNOWN
    else:
        with pytest.raises(NotFoundError) as caught:
            invoke(mode, llm, "Hello")
        assert caught.value.status_code == 404
        assert caught.value.api_message == f"Conversation {UNKNOWN} not found"
    (request,) = emulator.requests
    assert (request.path, request.query) == (CHAT, {"isStreaming": "true"} if streaming else {})
    assert request.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": "Hello", "conversationId": UNKNOWN},
    }


def test_a_history_never_chats_into_an_unknown_thread_a_lenient_server_would_take(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    """wire.md#is-conversationid-required: a server that starts a fresh thread for an unknown
    id would swallow the turn where the history cannot read it back; the history looks the
    thread up first and reports it missing, and no chat is sent."""
    emulator.settings.unknown_conversation = "accept"
    chain = with_oneminai_history(model_on(client), client=client)
    config = {"configurable": {"session_id": UNKNOWN}}
    with pytest.raises(NotFoundError, match="deleted, or never existed"):
        invoke(mode, chain, "Hello?", config=config)
    assert [(r.method, r.path, r.status) for r in emulator.requests] == [
        ("GET", f"/api/conversations/{UNKNOWN}", 404)
    ]


# -- image_urls_in_attachments ---------------------------------------------------------------


@pytest.mark.parametrize("form", ["image", "image_url"])
def test_an_image_url_is_reuploaded_even_where_the_server_would_take_the_url(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, form: str
) -> None:
    """wire.md#external-image-urls-in-attachments: whether the server fetches a URL in
    ``attachments.images`` is unknown. The package fetches it and attaches an uploaded asset
    key, never the URL, even when the server would accept one."""
    emulator.settings.image_urls_in_attachments = True
    hosted = client.upload_asset(PNG, filename="hosted.png").path
    url = f"{emulator.asset_base_url}/{hosted}"
    block = (
        {"type": "image", "url": url}
        if form == "image"
        else {"type": "image_url", "image_url": {"url": url}}
    )
    emulator.clear_requests()
    emulator.script_chat("A picture.")
    assert invoke(mode, model_on(client), [image_message(block)]).content == "A picture."
    download, upload, chat = [r for r in emulator.requests if r.route != "models"]
    assert (download.route, download.path) == ("download", f"/asset-host/{hosted}")
    assert upload.route == "assets" and upload.form is not None
    assert [(p.name, p.filename, p.content_type, p.sha256) for p in upload.form] == [
        ("asset", Path(hosted).name, "image/png", sha256(PNG))  # the URL's file name
    ]
    (attached,) = chat.json["promptObject"]["attachments"]["images"]
    assert attached != hosted and attached.startswith("images/")
    assert attached.endswith("_hosted.png")
    assert emulator.assets[attached][0] == PNG
    assert chat.json["promptObject"]["prompt"] == "What is this?\n[image 1]"


# -- asset_field_names -----------------------------------------------------------------------


@pytest.mark.parametrize("names", [("asset", "file"), ("file",)])
def test_uploads_name_their_part_asset_and_a_file_only_server_refuses_them(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, names: tuple[str, ...]
) -> None:
    """wire.md#upload-field-name: the docs name the part ``asset``; omi falls back to ``file``.
    The package sends ``asset`` only: served where it is accepted, a BadRequestError asked once
    (no second upload under another name) where only ``file`` is."""
    emulator.settings.asset_field_names = names
    if "asset" in names:
        uploaded = call(mode, client, "upload_asset", PNG, filename="a.png")
        assert uploaded.asset is not None and uploaded.asset.fieldname == "asset"
        assert uploaded.path.startswith("images/") and uploaded.path.endswith("_a.png")
    else:
        with pytest.raises(BadRequestError) as caught:
            call(mode, client, "upload_asset", PNG, filename="a.png")
        assert caught.value.status_code == 400
        assert caught.value.api_message == "file file is required"
        assert emulator.assets == {}
    (request,) = emulator.requests
    assert request.form is not None
    assert [(p.name, p.filename, p.content_type) for p in request.form] == [
        ("asset", "a.png", "image/png")
    ]


# -- the multipart part's Content-Type -------------------------------------------------------

# fmt: off
UPLOADS: list[tuple[bytes, str | None, str | None, str, str, str]] = [
    # content, filename, mime_type -> part filename, part Content-Type, key prefix
    (PNG, "a.png", None, "a.png", "image/png", "images/"),
    (PNG, None, None, "upload.png", "image/png", "images/"),
    (PNG, "photo", "image/png", "photo.png", "image/png", "images/"),
    (JPEG, None, None, "upload.jpg", "image/jpeg", "images/"),
    (WAV, "memo.wav", None, "memo.wav", str(mimetypes.guess_type("memo.wav")[0]), "audios/"),
    (WAV, None, None, "upload.wav", "audio/wav", "audios/"),
    (PDF, "r.pdf", None, "r.pdf", "application/pdf", "documents/"),
    (b"plain notes\n", "notes.txt", None, "notes.txt", "text/plain", "documents/"),
]
# fmt: on


@pytest.mark.parametrize(
    ("content", "filename", "mime_type", "part_name", "part_type", "prefix"), UPLOADS
)
def test_every_upload_part_carries_its_content_type(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    content: bytes,
    filename: str | None,
    mime_type: str | None,
    part_name: str,
    part_type: str,
    prefix: str,
) -> None:
    """wire.md#upload-request: whether the part type counts is unknown (kokofix sends a name
    without extension but with a type); multer's parser takes a part without one as
    ``text/plain``. Every upload sends a real name and its type, given, guessed or sniffed, and
    the server files it by that type."""
    uploaded = call(mode, client, "upload_asset", content, filename=filename, mime_type=mime_type)
    (request,) = emulator.requests
    assert request.form is not None
    assert [(p.name, p.filename, p.content_type, p.size, p.sha256) for p in request.form] == [
        ("asset", part_name, part_type, len(content), sha256(content))
    ]
    assert uploaded.path.startswith(prefix) and uploaded.path.endswith(f"_{part_name}")
    assert uploaded.asset is not None and uploaded.asset.mimetype == part_type


# -- audio_key_prefix ------------------------------------------------------------------------


def test_a_recording_filed_under_documents_is_transcribed_by_its_key(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    """wire.md#audio-key-prefix: audio came back under ``audios/`` (docs) and ``documents/``
    (xiliourt's mp3s). Whatever key the upload returns is the ``audioUrl`` sent."""
    emulator.settings.audio_key_prefix = "documents"
    (tmp_path / "memo.wav").write_bytes(WAV)
    tool_ = OneMinAISpeechToTextTool(client=client, root_dir=tmp_path)
    message = run_tool(mode, tool_, {"audio": "memo.wav", "model": "whisper-1"})
    assert message.content == "Grüße from the emulator"
    upload, feature = emulator.requests
    (key,) = list(emulator.assets)
    assert key.startswith("documents/") and key.endswith("_memo.wav")
    assert upload.route == "assets" and feature.json == {
        "type": "SPEECH_TO_TEXT",
        "model": "whisper-1",
        "promptObject": {"audioUrl": key, "response_format": "text"},
    }


def test_speech_filed_under_documents_is_saved_and_feeds_speech_to_text(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    """wire.md#audio-key-prefix: a TTS result under ``documents/`` is downloaded and saved like
    one under ``audios/``, and that key, given to speech-to-text, is sent as it is (no upload)."""
    emulator.settings.audio_key_prefix = "documents"
    spoken = run_tool(
        mode, OneMinAITextToSpeechTool(client=client, save_dir=tmp_path), {"text": "Round trip"}
    )
    key = spoken.artifact["asset_key"]
    assert key.startswith("documents/") and key.endswith("_speech.wav")
    saved = Path(spoken.artifact["path"])
    assert saved == tmp_path / Path(key).name
    assert saved.read_bytes() == emulator.assets[key][0]
    heard = run_tool(
        mode, OneMinAISpeechToTextTool(client=client), {"audio": key, "model": "whisper-1"}
    )
    assert heard.content == "Round trip"
    assert [(r.route, r.path) for r in emulator.requests] == [
        ("features", "/api/features"),
        ("download", f"/asset-host/{key}"),
        ("features", "/api/features"),
    ]
    assert emulator.requests[-1].json["promptObject"] == {
        "audioUrl": key,
        "response_format": "text",
    }


# -- sse_charset -----------------------------------------------------------------------------

NON_ASCII = ["Grüße ", "aus ", "東京 ", "🙂 — ", "ça va?"]


@pytest.mark.parametrize("charset", [None, "utf-8", "iso-8859-1"])
def test_a_non_ascii_stream_decodes_as_utf8_whatever_charset_is_declared(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, charset: str | None
) -> None:
    """wire.md#stream-parsing-rules: no source records the stream's ``charset``; a client that
    decodes ``text/*`` without one as ISO-8859-1 garbles the text (kokofix's fix d815766). An
    event stream is UTF-8 by definition, so the deltas and the record read right with no
    charset, ``utf-8``, or a wrong label."""
    emulator.settings.sse_charset = charset
    emulator.script_chat(ScriptedReply(chunks=NON_ASCII))
    events, error = stream(mode, client, "gpt-4o-mini", "Say hi")
    assert error is None
    assert [e.text for e in events if isinstance(e, ContentDelta)] == NON_ASCII
    assert isinstance(events[-2], StreamResult) and events[-2].record.text == "".join(NON_ASCII)
    assert isinstance(events[-1], StreamDone) and events[-1].message == "Stream completed"

    emulator.script_chat(ScriptedReply(chunks=NON_ASCII))
    chunks = stream_model(mode, model_on(client), "Say hi")
    assert [c.text for c in chunks][: len(NON_ASCII)] == NON_ASCII
    assert "".join(c.text for c in chunks) == "".join(NON_ASCII)
    assert [(r.path, r.query, sent_headers(r)["Accept"]) for r in emulator.requests] == [
        (CHAT, {"isStreaming": "true"}, "text/event-stream")
    ] * 2
