"""OneMinAIClient against the emulator: every route, sync and async through one test body."""

from __future__ import annotations

import io
import wave
from typing import Literal

import pytest

from langchain_oneminai import OneMinAIClient
from langchain_oneminai._version import USER_AGENT
from langchain_oneminai._wire import ContentDelta, StreamDone, StreamResult
from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply
from langchain_oneminai.errors import (
    AuthenticationError,
    BadRequestError,
    InvalidInputError,
    MissingAPIKeyError,
    NotFoundError,
    UnsupportedModelError,
)
from tests.helpers import call, emulator_client, sent_headers, stream

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def json_headers(accept: str = "application/json") -> dict[str, str]:
    return {"User-Agent": USER_AGENT, "Accept": accept, "API-KEY": "<redacted>"}


# -- chat -------------------------------------------------------------------------------


def test_chat_sends_exactly_the_documented_body(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("Hello from the script")
    record = call(mode, client, "chat", "gpt-4o-mini", "Say hello")
    assert record.text == "Hello from the script"
    assert record.model == "gpt-4o-mini"
    assert record.status == "SUCCESS"
    (request,) = emulator.requests
    assert (request.method, request.path, request.query) == ("POST", "/api/chat-with-ai", {})
    assert request.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": "Say hello"},
    }
    assert sent_headers(request) == json_headers()
    assert request.headers["Content-Type"] == "application/json"
    assert "Authorization" not in request.headers
    assert request.key_valid


def test_chat_with_every_option(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    image = client.upload_asset(PNG, filename="pic.png")
    pdf = client.upload_asset(b"%PDF-1.4 test", filename="doc.pdf")
    conversation = client.create_conversation("Options", "gpt-4o")
    emulator.clear_requests()
    call(
        mode,
        client,
        "chat",
        "gpt-4o",
        "Look",
        conversation_id=conversation.uuid,
        attachments={"images": [image.path], "files": [pdf.file_id]},
        web_search=True,
        num_of_site=2,
        max_word=300,
        history_message_limit=6,
        is_mixed=False,
        with_memories=True,
        brand_voice_id="bv-1",
    )
    assert emulator.requests[0].json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o",
        "promptObject": {
            "prompt": "Look",
            "conversationId": conversation.uuid,
            "settings": {
                "webSearchSettings": {"webSearch": True, "numOfSite": 2, "maxWord": 300},
                "historySettings": {"isMixed": False, "historyMessageLimit": 6},
                "withMemories": True,
            },
            "attachments": {"images": [image.path], "files": [pdf.file_id]},
        },
        "brandVoiceId": "bv-1",
    }


def test_chat_stream_yields_deltas_result_done(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Grüße ", "aus ", "Köln ✓"]))
    events, error = stream(mode, client, "gpt-4o-mini", "Greet")
    assert error is None
    assert events[:3] == [ContentDelta("Grüße "), ContentDelta("aus "), ContentDelta("Köln ✓")]
    assert isinstance(events[3], StreamResult)
    assert events[3].record.text == "Grüße aus Köln ✓"
    assert events[4] == StreamDone("Stream completed")
    (request,) = emulator.requests
    assert (request.path, request.query) == ("/api/chat-with-ai", {"isStreaming": "true"})
    assert sent_headers(request) == json_headers("text/event-stream")


def test_unsupported_model_is_typed_with_suggestions(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(UnsupportedModelError) as caught:
        call(mode, client, "chat", "gpt-4o-mni", "hi")
    assert caught.value.status_code == 400
    assert caught.value.error_code == "UNSUPPORTED_MODEL"
    assert "gpt-4o-mini" in caught.value.suggestions
    assert len(emulator.requests) == 1  # a 400 is never retried


def test_bad_key_is_an_authentication_error(mode: str, emulator: OneMinAIEmulator) -> None:
    with (
        emulator_client(emulator, api_key="wrong-key") as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        call(mode, client, "chat", "gpt-4o-mini", "hi")
    assert caught.value.api_message == "Invalid API key"
    assert "wrong-key" not in str(caught.value)
    assert not emulator.requests[0].key_valid


def test_missing_key_sends_nothing(mode: str, emulator: OneMinAIEmulator) -> None:
    with emulator_client(emulator, api_key=None) as client, pytest.raises(MissingAPIKeyError):
        call(mode, client, "chat", "gpt-4o-mini", "hi")
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("model", "prompt"), [("gpt-4o-mini", ""), ("", "hi"), ("gpt-4o-mini", "   ")]
)
def test_bad_chat_input_sends_nothing(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, model: str, prompt: str
) -> None:
    with pytest.raises(InvalidInputError):
        call(mode, client, "chat", model, prompt)
    assert emulator.requests == []


# -- features, assets, downloads --------------------------------------------------------


def test_image_generation_and_download_prefers_temporary_url(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    record = call(
        mode,
        client,
        "run_feature",
        "IMAGE_GENERATOR",
        "dall-e-3",
        {"prompt": "a red fox", "n": 1, "size": "1024x1024"},
    )
    (key,) = record.result_strings
    assert key.startswith("images/") and key.endswith(".png")
    assert record.temporary_url
    assert emulator.requests[0].json == {
        "type": "IMAGE_GENERATOR",
        "model": "dall-e-3",
        "promptObject": {"prompt": "a red fox", "n": 1, "size": "1024x1024"},
    }
    data = call(mode, client, "download", record)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    download = emulator.requests[-1]
    assert download.path == f"/asset-host/{key}"
    assert "X-Amz-Signature" in download.query  # the temporaryUrl, not the bare key
    assert "API-KEY" not in download.headers  # the asset host never sees the key


def test_download_without_temporary_url_uses_the_asset_host(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.settings.temporary_urls = False
    record = client.run_feature("IMAGE_GENERATOR", "dall-e-2", {"prompt": "a cat"})
    assert record.temporary_url is None
    data = call(mode, client, "download", record)
    assert data.startswith(b"\x89PNG")
    assert emulator.requests[-1].path == f"/asset-host/{record.result_strings[0]}"
    assert emulator.requests[-1].query == {}


def test_download_of_unknown_key_is_not_found(mode: str, client: OneMinAIClient) -> None:
    with pytest.raises(NotFoundError):
        call(mode, client, "download", "images/nope.png")


def test_text_to_speech_then_speech_to_text_round_trip(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    speech = call(
        mode,
        client,
        "run_feature",
        "TEXT_TO_SPEECH",
        "tts-1",
        {"text": "Bonjour à tous", "voice": "alloy", "response_format": "wav"},
    )
    audio = call(mode, client, "download", speech)
    with wave.open(io.BytesIO(audio)) as wav:
        assert wav.getnframes() > 0
    transcript = call(
        mode,
        client,
        "run_feature",
        "SPEECH_TO_TEXT",
        "whisper-1",
        {"audioUrl": speech.result_strings[0], "response_format": "text"},
    )
    assert transcript.text == "Bonjour à tous"


def test_upload_asset_sends_one_asset_part(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path
) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    asset = call(mode, client, "upload_asset", path)
    assert asset.path.startswith("images/") and asset.path.endswith("_photo.png")
    assert asset.file_id
    assert asset.mime_type == "image/png"
    (request,) = emulator.requests
    assert (request.method, request.path) == ("POST", "/api/assets")
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.form is not None
    (part,) = request.form
    assert (part.name, part.filename, part.content_type, part.size) == (
        "asset",
        "photo.png",
        "image/png",
        len(PNG),
    )
    assert emulator.assets[asset.path] == (PNG, "image/png")


def test_upload_of_a_rejected_type_is_a_bad_request(mode: str, client: OneMinAIClient) -> None:
    with pytest.raises(BadRequestError, match="file type isn't supported"):
        call(mode, client, "upload_asset", b"# notes", filename="notes.md")


def test_cached_uploads_happen_once(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    first = call(mode, client, "upload_cached", PNG, filename="a.png")
    second = call(mode, client, "upload_cached", PNG, filename="a.png")
    assert first == second
    assert len(emulator.requests) == 1


# -- conversations ----------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["fixture", "webapp"])
def test_conversation_lifecycle_in_both_thread_shapes(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    shape: Literal["fixture", "webapp"],
) -> None:
    emulator.settings.conversation_shape = shape
    conversation = call(mode, client, "create_conversation", "Trip to Lisbon", "gpt-4o-mini")
    assert emulator.requests[0].json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "title": "Trip to Lisbon",
        "model": "gpt-4o-mini",
    }
    emulator.script_chat("Pack light.")
    client.chat("gpt-4o-mini", "What should I pack?", conversation_id=conversation.uuid)

    fetched = call(mode, client, "get_conversation", conversation.uuid)
    assert fetched.uuid == conversation.uuid
    assert fetched.title == "Trip to Lisbon"
    assert [(m.role, m.content) for m in fetched.messages] == [
        ("user", "What should I pack?"),
        ("assistant", "Pack light."),
    ]
    messages = call(mode, client, "get_conversation_messages", conversation.uuid)
    assert messages == list(fetched.messages)
    listed = call(mode, client, "list_conversations")
    assert [c.uuid for c in listed] == [conversation.uuid]

    call(mode, client, "delete_conversation", conversation.uuid)
    assert emulator.requests[-1].method == "DELETE"
    assert emulator.requests[-1].path == f"/api/conversations/{conversation.uuid}"
    with pytest.raises(NotFoundError):
        call(mode, client, "get_conversation", conversation.uuid)
    with pytest.raises(NotFoundError):
        call(mode, client, "delete_conversation", conversation.uuid)
    call(mode, client, "delete_conversation", conversation.uuid, missing_ok=True)


def test_conversation_title_over_91_characters_sends_nothing(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(InvalidInputError, match="91"):
        call(mode, client, "create_conversation", "x" * 92, "gpt-4o-mini")
    assert emulator.requests == []


def test_list_conversations_is_one_request_without_invented_paging(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    created = [client.create_conversation(f"c{i}", "gpt-4o-mini").uuid for i in range(5)]
    emulator.clear_requests()
    listed = call(mode, client, "list_conversations")
    assert [(c.uuid, c.title) for c in listed] == [(created[i], f"c{i}") for i in range(4, -1, -1)]
    # No source documents paging: no offset/limit is ever sent.
    assert [(r.method, r.path, r.query, r.json) for r in emulator.requests] == [
        ("GET", "/api/conversations", {}, None)
    ]


# -- models -----------------------------------------------------------------------------


def test_list_models_is_cached(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    catalog = call(mode, client, "list_models")
    assert "gpt-4o-mini" in catalog.ids
    model = catalog.get("gpt-4o-mini")
    assert model is not None and model.vision
    catalog_again = call(mode, client, "list_models")
    assert catalog_again is catalog
    (request,) = emulator.requests
    assert (request.method, request.path, request.query) == (
        "GET",
        "/models",
        {"feature": "UNIFY_CHAT_WITH_AI"},
    )
    call(mode, client, "list_models", "TEXT_TO_SPEECH")
    assert len(emulator.requests) == 2
    call(mode, client, "list_models", refresh=True)
    assert len(emulator.requests) == 3


def test_models_route_is_public(mode: str, emulator: OneMinAIEmulator) -> None:
    with emulator_client(emulator, api_key=None) as client:
        catalog = call(mode, client, "list_models", "TEXT_TO_SPEECH")
    assert "tts-1" in catalog.ids
    assert "API-KEY" not in emulator.requests[0].headers
