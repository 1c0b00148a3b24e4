"""Raw-HTTP tests of ``POST /api/features`` on the emulator.

Sources: wire.md#legacy-chat, wire.md#features-envelope, wire.md#other-features,
wire.md#emulator-features.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests

from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply
from langchain_oneminai.emulator._media import parse_png, parse_wav, render_png, render_wav
from tests.emulator_tests.raw_http import KEY, TIMEOUT, invalid, upload

pytestmark = pytest.mark.timeout(30)

STAMP = r"\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_\d{3}"


def feature(
    http: requests.Session,
    emu: OneMinAIEmulator,
    kind: str,
    model: str,
    prompt_object: Any,
    *,
    query: str = "",
    **top: Any,
) -> requests.Response:
    payload = {"type": kind, "model": model, "promptObject": prompt_object, **top}
    return http.post(
        f"{emu.base_url}/api/features{query}",
        json=payload,
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )


def ok(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return response.json()["aiRecord"]


def download(http: requests.Session, url: str) -> requests.Response:
    response = http.get(url, timeout=TIMEOUT)
    assert response.status_code == 200
    return response


# -- envelope and dispatch -------------------------------------------------------------------------


def test_type_is_required(emu, http):
    response = http.post(
        f"{emu.base_url}/api/features",
        json={"model": "dall-e-3", "promptObject": {"prompt": "x"}},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    )
    invalid(response, "type must be a non-empty string")


def test_model_is_checked_per_feature_before_the_prompt_object(emu, http):
    response = feature(http, emu, "TEXT_TO_SPEECH", "dall-e-3", {})
    assert response.status_code == 400
    assert response.json() == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": "Model dall-e-3 is not supported",
    }
    invalid(
        feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {}),
        "promptObject.prompt must be a string",
    )
    invalid(
        feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", None), "promptObject must be an object"
    )


def test_unknown_feature_type_is_an_unsupported_model(emu, http):
    # R-n8n saw UNSUPPORTED_MODEL for TEXT_TO_IMAGE (wire.md#feature-types).
    response = feature(http, emu, "TEXT_TO_IMAGE", "dall-e-3", {"prompt": "x"})
    assert response.json()["errorCode"] == "UNSUPPORTED_MODEL"


def test_features_require_the_key(emu, http):
    response = http.post(f"{emu.base_url}/api/features", json={}, timeout=TIMEOUT)
    assert response.status_code == 401


# -- IMAGE_GENERATOR ------------------------------------------------------------------------------


def test_image_generator_makes_real_pngs(emu, http):
    prompt_object = {"prompt": "a serene lake at dawn", "n": 2, "size": "1792x1024"}
    record = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", prompt_object))
    keys = record["aiRecordDetail"]["resultObject"]
    assert record["type"] == "IMAGE_GENERATOR"
    assert record["aiRecordDetail"]["promptObject"] == prompt_object
    assert len(keys) == 2
    assert all(re.fullmatch(rf"images/{STAMP}_\d{{6}}\.png", key) for key in keys)
    first = download(http, f"{emu.asset_base_url}/{keys[0]}")
    assert first.headers["Content-Type"] == "image/png"
    info = parse_png(first.content)
    assert (info.width, info.height) == (256, 146)
    assert info.text["Description"] == "a serene lake at dawn"
    assert first.content == render_png("a serene lake at dawn", 256, 146, variant=0)
    assert download(http, f"{emu.asset_base_url}/{keys[1]}").content == render_png(
        "a serene lake at dawn", 256, 146, variant=1
    )
    temporary = record["temporaryUrl"]
    assert re.fullmatch(
        rf"{re.escape(emu.asset_base_url)}/{re.escape(keys[0])}\?X-Amz-Expires=3600&X-Amz-Signature=[0-9a-f]{{64}}",
        temporary,
    )
    assert download(http, temporary).content == first.content
    assert emu.assets[keys[0]] == (first.content, "image/png")


def test_image_generator_is_deterministic_per_prompt(emu, http):
    one = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "fox"}))
    two = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "fox"}))
    key_one, key_two = (
        one["aiRecordDetail"]["resultObject"][0],
        two["aiRecordDetail"]["resultObject"][0],
    )
    assert key_one != key_two
    assert emu.assets[key_one][0] == emu.assets[key_two][0]


@pytest.mark.parametrize(
    ("prompt_object", "size"),
    [
        ({"prompt": "p", "aspect_ratio": "16:9", "num_outputs": 3}, (256, 144)),
        ({"prompt": "p", "aspect_width": 2, "aspect_height": 3}, (171, 256)),
        ({"prompt": "p"}, (256, 256)),
    ],
)
def test_image_generator_aspect_and_count(emu, http, prompt_object, size):
    record = ok(
        feature(http, emu, "IMAGE_GENERATOR", "black-forest-labs/flux-schnell", prompt_object)
    )
    keys = record["aiRecordDetail"]["resultObject"]
    assert len(keys) == prompt_object.get("num_outputs", 1)
    info = parse_png(emu.assets[keys[-1]][0])
    assert (info.width, info.height) == size


@pytest.mark.parametrize(
    ("prompt_object", "message"),
    [
        ({"prompt": ""}, "promptObject.prompt should not be empty"),
        ({"prompt": "x", "n": 11}, "promptObject.n must be between 1 and 10"),
        ({"prompt": "x", "n": 0}, "promptObject.n must be between 1 and 10"),
        ({"prompt": "x", "n": "2"}, "promptObject.n must be an integer"),
        ({"prompt": "x", "num_outputs": True}, "promptObject.num_outputs must be an integer"),
    ],
)
def test_image_generator_validation(emu, http, prompt_object, message):
    invalid(feature(http, emu, "IMAGE_GENERATOR", "dall-e-2", prompt_object), message)


def test_temporary_urls_knob(emu, http):
    emu.settings.temporary_urls = False
    record = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "x"}))
    assert "temporaryUrl" not in record


# -- IMAGE_VARIATOR / IMAGE_EDITOR -----------------------------------------------------------------


def test_image_variator_keeps_the_source_aspect(emu, http):
    source = upload(http, emu, "wide.png", render_png("src", 200, 100), "image/png")["path"]
    record = ok(
        feature(
            http, emu, "IMAGE_VARIATOR", "magic-art", {"imageUrl": source, "n": 4, "mode": "fast"}
        )
    )
    keys = record["aiRecordDetail"]["resultObject"]
    assert len(keys) == 4
    info = parse_png(emu.assets[keys[0]][0])
    assert (info.width, info.height) == (256, 128)
    assert record["temporaryUrl"].startswith(f"{emu.asset_base_url}/{keys[0]}?")


def test_image_variator_with_a_non_png_source_is_square(emu, http):
    source = upload(http, emu, "photo.jpg", b"\xff\xd8\xff not really", "image/jpeg")["path"]
    record = ok(feature(http, emu, "IMAGE_VARIATOR", "dall-e-2", {"imageUrl": source}))
    info = parse_png(emu.assets[record["aiRecordDetail"]["resultObject"][0]][0])
    assert (info.width, info.height) == (256, 256)


def test_image_variator_and_editor_validation(emu, http):
    invalid(
        feature(http, emu, "IMAGE_VARIATOR", "magic-art", {}),
        "promptObject.imageUrl must be a string",
    )
    invalid(
        feature(http, emu, "IMAGE_VARIATOR", "magic-art", {"imageUrl": "images/none.png"}),
        "promptObject.imageUrl is not a known asset key: images/none.png",
    )
    source = upload(http, emu, "a.png", render_png("a", 8, 8), "image/png")["path"]
    invalid(
        feature(http, emu, "IMAGE_EDITOR", "gpt-image-1", {"imageUrl": source}),
        "promptObject.prompt must be a string",
    )
    record = ok(
        feature(
            http,
            emu,
            "IMAGE_EDITOR",
            "gpt-image-1",
            {"imageUrl": source, "prompt": "red car", "size": "1024x1536"},
        )
    )
    info = parse_png(emu.assets[record["aiRecordDetail"]["resultObject"][0]][0])
    assert (info.width, info.height) == (171, 256)


# -- TEXT_TO_SPEECH and SPEECH_TO_TEXT -------------------------------------------------------------


def test_text_to_speech_makes_a_wav_the_stt_can_read_back(emu, http):
    text = "Hello, this is a sample text to speech conversion ✓"
    record = ok(
        feature(
            http,
            emu,
            "TEXT_TO_SPEECH",
            "tts-1",
            {"text": text, "voice": "alloy", "response_format": "mp3", "speed": 1},
            conversationId="TEXT_TO_SPEECH",
        )
    )
    (key,) = record["aiRecordDetail"]["resultObject"]
    assert re.fullmatch(rf"audios/{STAMP}_speech\.wav", key)
    assert record["conversationId"] == "TEXT_TO_SPEECH"
    audio = download(http, record["temporaryUrl"])
    assert audio.headers["Content-Type"] == "audio/wav"
    assert audio.content == render_wav(text)
    assert parse_wav(audio.content).info["ICMT"] == text
    transcript = ok(
        feature(
            http, emu, "SPEECH_TO_TEXT", "whisper-1", {"audioUrl": key, "response_format": "text"}
        )
    )
    assert transcript["aiRecordDetail"]["resultObject"] == [text]
    assert "temporaryUrl" not in transcript


def test_audio_key_prefix_knob(emu, http):
    emu.settings.audio_key_prefix = "documents"
    record = ok(feature(http, emu, "TEXT_TO_SPEECH", "tts-1-hd", {"text": "x", "voice": "nova"}))
    assert record["aiRecordDetail"]["resultObject"][0].startswith("documents/")


@pytest.mark.parametrize(
    ("prompt_object", "message"),
    [
        ({"voice": "alloy"}, "promptObject.text must be a string"),
        ({"text": "", "voice": "alloy"}, "promptObject.text should not be empty"),
        (
            {"text": "x" * 4097, "voice": "alloy"},
            "promptObject.text must be shorter than or equal to 4096 characters",
        ),
        ({"text": "x"}, "promptObject.voice must be a string"),
    ],
)
def test_text_to_speech_validation(emu, http, prompt_object, message):
    invalid(feature(http, emu, "TEXT_TO_SPEECH", "tts-1", prompt_object), message)


def test_text_to_speech_accepts_4096_characters(emu, http):
    ok(feature(http, emu, "TEXT_TO_SPEECH", "tts-1", {"text": "y" * 4096, "voice": "echo"}))


def test_speech_to_text_of_foreign_audio(emu, http):
    key = upload(http, emu, "talk.mp3", b"ID3" + bytes(97), "audio/mpeg")["path"]
    assert key.startswith("audios/")
    record = ok(
        feature(http, emu, "SPEECH_TO_TEXT", "latest_short", {"audioUrl": key, "language": "en-US"})
    )
    assert record["aiRecordDetail"]["resultObject"] == [
        "[1min.ai emulator transcript of talk.mp3, 100 bytes]"
    ]


@pytest.mark.parametrize(
    ("shape", "expected"),
    [("list", ["hi there"]), ("string", "hi there"), ("json", '{"text": "hi there"}')],
)
def test_transcript_shape_knob(emu, http, shape, expected):
    emu.settings.transcript_shape = shape
    key = ok(feature(http, emu, "TEXT_TO_SPEECH", "tts-1", {"text": "hi there", "voice": "alloy"}))[
        "aiRecordDetail"
    ]["resultObject"][0]
    for kind in ("SPEECH_TO_TEXT", "AUDIO_TRANSLATOR"):
        record = ok(
            feature(http, emu, kind, "whisper-1", {"audioUrl": key, "response_format": "json"})
        )
        assert record["aiRecordDetail"]["resultObject"] == expected
    if shape == "json":
        assert json.loads(expected) == {"text": "hi there"}


def test_speech_to_text_validation(emu, http):
    key = upload(http, emu, "a.wav", render_wav("a"), "audio/wav")["path"]
    invalid(
        feature(http, emu, "SPEECH_TO_TEXT", "whisper-1", {}),
        "promptObject.audioUrl must be a string",
    )
    invalid(
        feature(
            http,
            emu,
            "SPEECH_TO_TEXT",
            "whisper-1",
            {"audioUrl": "audios/none.mp3", "response_format": "text"},
        ),
        "promptObject.audioUrl is not a known asset key: audios/none.mp3",
    )
    invalid(
        feature(http, emu, "SPEECH_TO_TEXT", "whisper-1", {"audioUrl": key}),
        "promptObject.response_format must be a string",
    )
    invalid(
        feature(http, emu, "SPEECH_TO_TEXT", "telephony", {"audioUrl": key}),
        "promptObject.language must be a string",
    )
    # Only speech-to-text marks whisper's response_format required (wire.md#whisper-request);
    # the audio translator's page lists it as optional (wire-features.md#audio-translator).
    assert ok(feature(http, emu, "AUDIO_TRANSLATOR", "whisper-1", {"audioUrl": key}))
    record = ok(feature(http, emu, "SPEECH_TO_TEXT", "gpt-4o-transcribe", {"audioUrl": key}))
    assert record["aiRecordDetail"]["resultObject"] == ["a"]
    # The Gemini models need both languages (wire-features.md#audio-translator).
    invalid(
        feature(http, emu, "AUDIO_TRANSLATOR", "gemini-2.5-flash", {"audioUrl": key}),
        "promptObject.originalLanguage must be a string",
    )
    languages = {"originalLanguage": "en", "targetLanguage": "fr"}
    translated = ok(
        feature(http, emu, "AUDIO_TRANSLATOR", "gemini-2.5-flash", {"audioUrl": key, **languages})
    )
    assert translated["aiRecordDetail"]["resultObject"] == ["a"]


# -- CODE_GENERATOR and other features -------------------------------------------------------------


def test_code_generator(emu, http):
    record = ok(
        feature(
            http,
            emu,
            "CODE_GENERATOR",
            "qwen3-coder-plus",
            {"prompt": "fizzbuzz", "webSearch": False, "numOfSite": 3, "maxWord": 1000},
            conversationId="CODE_GENERATOR",
        )
    )
    (code,) = record["aiRecordDetail"]["resultObject"]
    assert code.startswith("# [1min.ai emulator · qwen3-coder-plus] offline emulator")
    compile(code, "<emulator>", "exec")
    invalid(
        feature(http, emu, "CODE_GENERATOR", "qwen3-coder-plus", {}),
        "promptObject.prompt must be a string",
    )


def test_is_streaming_is_accepted_on_other_features(emu, http):
    for query in ("?isStreaming=false", "?isStreaming=true"):
        ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "x"}, query=query))


def test_any_other_feature_needs_a_catalog_model(emu, http):
    # The dump lists the text models for SUMMARIZER, not the vision-only qwen3-vl-plus.
    response = feature(http, emu, "SUMMARIZER", "qwen3-vl-plus", {"prompt": "long text"})
    assert response.json()["errorCode"] == "UNSUPPORTED_MODEL"
    assert ok(feature(http, emu, "SUMMARIZER", "gpt-4o-mini", {"prompt": "t"}))
    emu.add_model("SUMMARIZER", "qwen3-vl-plus")
    record = ok(
        feature(http, emu, "SUMMARIZER", "qwen3-vl-plus", {"prompt": "long text", "tone": "x"})
    )
    assert record["aiRecordDetail"]["resultObject"] == [
        (
            "[1min.ai emulator · qwen3-vl-plus] SUMMARIZER was answered by an offline emulator, "
            'not a model. It was asked to summarize a text of 2 words ("long text"). '
            "Options: tone=x. promptObject fields received: prompt, tone."
        )
    ]


# -- scripts and records ---------------------------------------------------------------------------


def test_script_feature_overrides_the_result(emu, http):
    emu.script_feature("SPEECH_TO_TEXT", ScriptedReply(result_object="hello"))
    emu.script_feature("SPEECH_TO_TEXT", "as text")
    key = upload(http, emu, "a.wav", render_wav("zzz"), "audio/wav")["path"]
    po = {"audioUrl": key, "response_format": "text"}
    assert (
        ok(feature(http, emu, "SPEECH_TO_TEXT", "whisper-1", po))["aiRecordDetail"]["resultObject"]
        == "hello"
    )
    assert ok(feature(http, emu, "SPEECH_TO_TEXT", "whisper-1", po))["aiRecordDetail"][
        "resultObject"
    ] == ["as text"]
    assert ok(feature(http, emu, "SPEECH_TO_TEXT", "whisper-1", po))["aiRecordDetail"][
        "resultObject"
    ] == ["zzz"]


def test_scripted_image_keys_get_a_temporary_url_and_skip_generation(emu, http):
    source = upload(http, emu, "mine.png", render_png("m", 4, 4), "image/png")["path"]
    emu.script_feature("IMAGE_GENERATOR", ScriptedReply(result_object=[source]))
    record = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "x"}))
    assert record["aiRecordDetail"]["resultObject"] == [source]
    assert record["temporaryUrl"].startswith(f"{emu.asset_base_url}/{source}?")
    assert list(emu.assets) == [source]


def test_script_feature_failed_status_and_record_merge(emu, http):
    emu.script_feature(
        "IMAGE_GENERATOR",
        ScriptedReply(status="FAILED", error_message="nsfw", record={"credit": 0}),
    )
    record = ok(feature(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "x"}))
    assert record["status"] == "FAILED"
    assert record["aiRecordDetail"]["errorMessage"] == "nsfw"
    assert record["credit"] == 0
    assert len(record["aiRecordDetail"]["resultObject"]) == 1


def test_feature_usage_and_credit_knobs(emu, http):
    emu.settings.record_token_usage = True
    emu.settings.record_credit = True
    record = ok(feature(http, emu, "CODE_GENERATOR", "gpt-4o", {"prompt": "two words"}))
    code_words = len(record["aiRecordDetail"]["resultObject"][0].split())
    assert record["metadata"] == {
        "inputToken": 2,
        "outputToken": code_words,
        "totalToken": 2 + code_words,
    }
    assert record["credit"] == 1000
    image = ok(feature(http, emu, "IMAGE_GENERATOR", "qwen-image-plus", {"prompt": "x"}))
    assert image["credit"] == 30000


def test_strict_mode_on_features(emu, http):
    emu.settings.strict_extra_fields = True
    invalid(
        feature(http, emu, "TEXT_TO_SPEECH", "tts-1", {"text": "x", "voice": "alloy", "pitch": 2}),
        "property promptObject.pitch should not exist",
    )
    invalid(
        feature(http, emu, "TEXT_TO_SPEECH", "tts-1", {"text": "x", "voice": "alloy"}, extra=1),
        "property extra should not exist",
    )
    ok(feature(http, emu, "TEXT_TO_SPEECH", "tts-1", {"text": "x", "voice": "alloy", "speed": 1}))
    invalid(
        feature(http, emu, "SUMMARIZER", "gpt-4o", {"prompt": "x", "anything": 1}),
        "property promptObject.anything should not exist",
    )
    # A generic feature (no source shows its fields) takes any promptObject.
    ok(feature(http, emu, "CONTENT_GENERATOR_BRAND_VOICE", "gpt-4o", {"anything": 1}))


# -- legacy chat ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["CHAT_WITH_AI", "CHAT_WITH_IMAGE", "CHAT_WITH_PDF", "UNIFY_CHAT_WITH_AI"]
)
def test_legacy_chat_is_rejected_by_default(emu, http, kind):
    invalid(
        feature(http, emu, kind, "gpt-4o", {"prompt": "x"}),
        f"{kind} is no longer supported on /api/features; use POST /api/chat-with-ai",
    )


def test_legacy_chat_served(emu, http):
    emu.settings.legacy_chat = "serve"
    record = ok(
        feature(http, emu, "CHAT_WITH_AI", "gpt-4o-mini", {"prompt": "hello", "webSearch": False})
    )
    assert record["type"] == "CHAT_WITH_AI"
    assert record["aiRecordDetail"]["resultObject"][0].startswith(
        "[1min.ai emulator · gpt-4o-mini]"
    )
    response = feature(
        http, emu, "CHAT_WITH_AI", "gpt-4o-mini", {"prompt": "hello"}, query="?isStreaming=true"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == record["aiRecordDetail"]["resultObject"][0]


def test_legacy_chat_scripts_and_conversation(emu, http):
    emu.settings.legacy_chat = "serve"
    conversation = http.post(
        f"{emu.base_url}/api/conversations",
        json={"type": "CHAT_WITH_AI", "title": "t", "model": "gpt-4o"},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    ).json()["conversation"]["uuid"]
    emu.script_feature("CHAT_WITH_AI", "from the feature queue")
    emu.script_chat("from the chat queue")
    first = ok(
        feature(http, emu, "CHAT_WITH_AI", "gpt-4o", {"prompt": "a"}, conversationId=conversation)
    )
    second = ok(
        feature(http, emu, "CHAT_WITH_AI", "gpt-4o", {"prompt": "b"}, conversationId=conversation)
    )
    assert first["aiRecordDetail"]["resultObject"] == ["from the feature queue"]
    assert second["aiRecordDetail"]["resultObject"] == ["from the chat queue"]
    assert [t["prompt"] for t in emu.conversations[conversation]["turns"]] == ["a", "b"]


def test_legacy_chat_with_image(emu, http):
    emu.settings.legacy_chat = "serve"
    key = upload(http, emu, "x.png", render_png("x", 4, 4), "image/png")["path"]
    response = feature(
        http, emu, "CHAT_WITH_IMAGE", "gpt-3.5-turbo", {"prompt": "?", "imageList": [key]}
    )
    assert response.json()["errorCode"] == "UNSUPPORTED_MODEL"
    invalid(
        feature(
            http, emu, "CHAT_WITH_IMAGE", "gpt-4o", {"prompt": "?", "imageList": ["images/no.png"]}
        ),
        "promptObject.imageList[0] is not a known asset key: images/no.png",
    )
    record = ok(
        feature(
            http,
            emu,
            "CHAT_WITH_IMAGE",
            "gpt-4o",
            {"prompt": "?", "imageList": [key]},
            conversationId=None,
        )
    )
    assert f"1 image ({key})" in record["aiRecordDetail"]["resultObject"][0]


def test_legacy_chat_with_pdf_needs_its_conversation(emu, http):
    emu.settings.legacy_chat = "serve"
    file_id = upload(http, emu, "r.pdf", b"%PDF", "application/pdf")["uuid"]
    invalid(
        feature(http, emu, "CHAT_WITH_PDF", "gpt-4o", {"prompt": "sum"}),
        "conversationId of a CHAT_WITH_PDF conversation is required",
    )
    conversation = http.post(
        f"{emu.base_url}/api/conversations",
        json={"type": "CHAT_WITH_PDF", "title": "pdf", "model": "gpt-4o", "fileList": [file_id]},
        headers={"API-KEY": KEY},
        timeout=TIMEOUT,
    ).json()["conversation"]["uuid"]
    record = ok(
        feature(
            http, emu, "CHAT_WITH_PDF", "gpt-4o", {"prompt": "sum"}, conversationId=conversation
        )
    )
    assert f"1 file ({file_id})" in record["aiRecordDetail"]["resultObject"][0]
    assert record["conversationId"] == conversation
