"""Raw-HTTP tests of every non-chat feature type on ``POST /api/features``.

One minimal request per feature, built from the feature table (``_data/features.json``), must
succeed with a result of the table's kind; then, per kind, the strictness (model first, required
fields per model, asset inputs), the validity of the files (independent spec checks in
``formats``, plus real decoders when installed) and determinism.

Sources: wire.md#features-envelope, wire-features.md#result-shape,
wire-features.md#endpoint-and-envelope.
"""

from __future__ import annotations

import base64
import io
import json
import re
import wave
from pathlib import Path
from typing import Any

import pytest
import requests

from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from langchain_oneminai.emulator._catalog_data import load_catalog
from langchain_oneminai.emulator._media import parse_png, render_png, render_wav
from langchain_oneminai.emulator._types import CHAT_FEATURE, LEGACY_CHAT_TYPES
from langchain_oneminai.emulator._video import render_mp4
from tests.emulator_tests.formats import check_glb, check_mp4
from tests.emulator_tests.raw_http import KEY, TIMEOUT, invalid, upload

pytestmark = pytest.mark.timeout(60)

TABLE = json.loads(
    (
        Path(__file__).resolve().parents[2] / "langchain_oneminai" / "_data" / "features.json"
    ).read_text()
)["features"]
NON_CHAT = sorted(load_catalog().feature_types - {CHAT_FEATURE, *LEGACY_CHAT_TYPES})
LABEL = re.compile(r"^\[1min\.ai emulator")
STAMP = r"\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_\d{3}"
PREFIX = {"image": "images/", "video": "videos/", "audio": "audios/", "3d": "documents/"}
MIME = {"image": "image/png", "video": "video/mp4", "audio": "audio/wav", "3d": "model/gltf-binary"}


def post(
    http: requests.Session, emu: OneMinAIEmulator, kind: str, model: str, po: Any, **top: Any
) -> requests.Response:
    payload = {"type": kind, "model": model, "promptObject": po, **top}
    return http.post(
        f"{emu.base_url}/api/features", json=payload, headers={"API-KEY": KEY}, timeout=TIMEOUT
    )


def record_of(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["aiRecord"]


def result_of(response: requests.Response) -> Any:
    return record_of(response)["aiRecordDetail"]["resultObject"]


def fetch(http: requests.Session, emu: OneMinAIEmulator, key: str) -> requests.Response:
    response = http.get(f"{emu.asset_base_url}/{key}", timeout=TIMEOUT)
    assert response.status_code == 200
    return response


def assets(http: requests.Session, emu: OneMinAIEmulator) -> dict[str, str]:
    """One uploaded asset key per input kind."""
    return {
        "image": upload(http, emu, "in.png", render_png("source", 64, 48), "image/png")["path"],
        "audio": upload(http, emu, "in.wav", render_wav("spoken words"), "audio/wav")["path"],
        "video": upload(
            http, emu, "in.mp4", render_mp4("clip", 64, 36, 8, comment="a clip"), "video/mp4"
        )["path"],
        "document": upload(http, emu, "in.txt", b"some text", "text/plain")["path"],
    }


def sample_value(field: dict[str, Any]) -> Any:
    if field.get("enum"):
        first = field["enum"][0]
        return [first] if field["type"] == "array" else first
    kind = field["type"]
    if kind == "number":
        return field["minimum"] if field.get("minimum") is not None else 1
    if kind == "boolean":
        return False
    if kind == "array":
        return ["x"]
    return "a small red kite"


def minimal(entry: dict[str, Any], model: str, keys: dict[str, str]) -> dict[str, Any]:
    """A promptObject holding exactly the fields the table requires of ``model``."""
    po: dict[str, Any] = {}
    for field in entry["fields"]:
        applies = field["applies_to"] is None or model in field["applies_to"]
        if not (field["required"] and applies) or field["name"] in po:
            continue
        if field["name"] in entry["inputs"]:
            po[field["name"]] = keys[entry["inputs"][field["name"]]]
        else:
            po[field["name"]] = sample_value(field)
    return po


# -- the table and the catalog cover every feature ------------------------------------------------


def test_the_table_covers_every_non_chat_feature_type():
    assert sorted(TABLE) == NON_CHAT


@pytest.mark.parametrize("kind", NON_CHAT)
def test_every_feature_lists_its_models_and_default(emu, http, kind):
    response = http.get(f"{emu.base_url}/models", params={"feature": kind}, timeout=TIMEOUT)
    ids = [m["modelId"] for m in response.json()["models"]]
    assert ids
    assert TABLE[kind]["default_model"] in ids
    applies = {m for f in TABLE[kind]["fields"] for m in f["applies_to"] or []}
    assert applies <= set(ids), applies - set(ids)


@pytest.mark.parametrize("kind", NON_CHAT)
def test_every_feature_is_served_with_a_result_of_its_kind(emu, http, kind):
    entry = TABLE[kind]
    model = entry["default_model"]
    keys = assets(http, emu)
    po = minimal(entry, model, keys)
    record = record_of(post(http, emu, kind, model, po))
    assert (record["type"], record["model"], record["status"]) == (kind, model, "SUCCESS")
    assert record["aiRecordDetail"]["promptObject"] == po
    result = record["aiRecordDetail"]["resultObject"]
    if entry["result"] == "text":
        assert isinstance(result, list)
        assert result
        assert all(isinstance(text, str) and text for text in result)
        assert "temporaryUrl" not in record
        if kind not in ("SPEECH_TO_TEXT", "AUDIO_TRANSLATOR", "CODE_GENERATOR"):
            assert all(LABEL.match(text) or "emulator" in text for text in result)
        return
    (key, *_) = result
    assert key.startswith(PREFIX[entry["result"]])
    assert record["temporaryUrl"].startswith(f"{emu.asset_base_url}/{key}?")
    assert fetch(http, emu, key).headers["Content-Type"] == MIME[entry["result"]]


@pytest.mark.parametrize("kind", NON_CHAT)
def test_every_feature_checks_the_model_first(emu, http, kind):
    response = post(http, emu, kind, "no-such-model", {})
    assert response.status_code == 400
    assert response.json() == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": "Model no-such-model is not supported",
    }


@pytest.mark.parametrize(
    "kind", [k for k in NON_CHAT if any(f["required"] for f in TABLE[k]["fields"])]
)
def test_every_required_field_is_required(emu, http, kind):
    entry = TABLE[kind]
    model = entry["default_model"]
    keys = assets(http, emu)
    po = minimal(entry, model, keys)
    for name in po:
        response = post(http, emu, kind, model, {k: v for k, v in po.items() if k != name})
        assert response.status_code == 400, (name, response.text)
        body = response.json()
        assert body["errorCode"] == "REQUEST_BODY_VALIDATION_FAILED"
        assert f"promptObject.{name} " in body["message"]


# -- strictness -----------------------------------------------------------------------------------


def test_required_fields_follow_the_model(emu, http):
    # kling's text-to-video needs duration, mode, prompt; sora needs seconds and size.
    invalid(
        post(http, emu, "TEXT_TO_VIDEO", "kling", {"prompt": "a fox"}),
        "promptObject.duration must be a number",
    )
    invalid(
        post(http, emu, "TEXT_TO_VIDEO", "sora-2", {"prompt": "a fox", "seconds": 4}),
        "promptObject.size must be a string",
    )
    # A model no source documents takes any promptObject (only the model is checked).
    assert result_of(post(http, emu, "TEXT_TO_VIDEO", "Qubico/wanx", {}))
    # FACE_SWAPPER: dzine's fields are documented; Qubico/image-toolkit's are not.
    invalid(
        post(http, emu, "FACE_SWAPPER", "dzine", {}), "promptObject.swapImageUrl must be a string"
    )
    assert result_of(post(http, emu, "FACE_SWAPPER", "Qubico/image-toolkit", {}))


def test_types_and_empty_strings(emu, http):
    base = {"tone": "calm", "numberOfWord": 20, "prompt": "Shorten me."}
    invalid(
        post(http, emu, "CONTENT_SHORTENER", "gpt-4o", {**base, "numberOfWord": "twenty"}),
        "promptObject.numberOfWord must be a number",
    )
    invalid(
        post(http, emu, "CONTENT_SHORTENER", "gpt-4o", {**base, "prompt": "  "}),
        "promptObject.prompt should not be empty",
    )
    invalid(
        post(
            http, emu, "TEXT_TO_SOUND", "elevenlabs-text-to-sound", {"text": "rain", "loop": "no"}
        ),
        "promptObject.loop must be a boolean value",
    )
    key = assets(http, emu)["audio"]
    po = {"audioUrl": key, "text": "hi", "voice_settings": {"stability": "high"}}
    invalid(
        post(http, emu, "VOICE_CLONING", "elevenlabs-voice-cloning", po),
        "promptObject.voice_settings.stability must be a number",
    )


def test_values_are_checked_only_with_the_knob(emu, http):
    po = {"text": "rain on a tin roof", "duration_seconds": 90}
    assert result_of(post(http, emu, "TEXT_TO_SOUND", "elevenlabs-text-to-sound", po))
    emu.settings.check_field_values = True
    invalid(
        post(http, emu, "TEXT_TO_SOUND", "elevenlabs-text-to-sound", po),
        "promptObject.duration_seconds must not be greater than 30",
    )
    invalid(
        post(
            http, emu, "TEXT_TO_SOUND", "elevenlabs-text-to-sound", {**po, "duration_seconds": 0.1}
        ),
        "promptObject.duration_seconds must not be less than 0.5",
    )
    key = assets(http, emu)["image"]
    invalid(
        post(
            http, emu, "IMAGE_UPSCALER", "stable-image", {"imageUrl": key, "output_format": "gif"}
        ),
        "promptObject.output_format must be one of the following values: png, jpeg, webp",
    )


def test_asset_inputs_must_be_known_keys(emu, http):
    invalid(
        post(http, emu, "BACKGROUND_REMOVER", "stable-image", {"imageUrl": "images/none.png"}),
        "promptObject.imageUrl is not a known asset key: images/none.png",
    )
    keys = assets(http, emu)
    invalid(
        post(
            http,
            emu,
            "IMAGE_INPAINTER",
            "black-forest-labs/flux-fill-dev",
            {"imageUrl": keys["image"], "maskUrl": "images/mask.png", "prompt": "a hat"},
        ),
        "promptObject.maskUrl is not a known asset key: images/mask.png",
    )
    invalid(
        post(http, emu, "CAPTIONS_GENERATOR", "whisper-1", {"videoUrl": "videos/gone.mp4"}),
        "promptObject.videoUrl is not a known asset key: videos/gone.mp4",
    )


def test_urls_where_the_sources_show_them(emu, http):
    url = "https://example.com/cat.jpg"
    assert result_of(post(http, emu, "BACKGROUND_REMOVER", "stable-image", {"imageUrl": url}))
    assert result_of(post(http, emu, "IMAGE_EXTENDER", "clipdrop", {"imageUrl": url, "left": 8}))
    invalid(
        post(http, emu, "IMAGE_UPSCALER", "stable-image", {"imageUrl": url}),
        f"promptObject.imageUrl is not a known asset key: {url}",
    )
    emu.settings.feature_input_urls = "any"
    assert result_of(post(http, emu, "IMAGE_UPSCALER", "stable-image", {"imageUrl": url}))
    emu.settings.feature_input_urls = "none"
    invalid(
        post(http, emu, "BACKGROUND_REMOVER", "stable-image", {"imageUrl": url}),
        f"promptObject.imageUrl is not a known asset key: {url}",
    )


def test_kling_takes_its_image_as_base64(emu, http):
    po = {
        "image": base64.b64encode(render_png("k", 8, 8)).decode(),
        "duration": 5,
        "aspect_ratio": "1:1",
        "mode": "std",
        "version": "1.0",
        "cfg_scale": 0.5,
    }
    (key,) = result_of(post(http, emu, "IMAGE_TO_VIDEO", "kling", po))
    assert check_mp4(emu.assets[key][0]).width == 128
    invalid(
        post(http, emu, "IMAGE_TO_VIDEO", "kling", {**po, "image": "not base64!"}),
        "promptObject.image is not a known asset key: not base64!",
    )


def test_strict_mode_knows_every_typed_feature(emu, http):
    emu.settings.strict_extra_fields = True
    po = {"text": "rain", "pitch": 3}
    invalid(
        post(http, emu, "TEXT_TO_SOUND", "elevenlabs-text-to-sound", po),
        "property promptObject.pitch should not exist",
    )
    # YouTube clients send videoUrl twice, one at the top level; async is answered at once.
    video = {"videoUrl": "https://www.youtube.com/watch?v=abc", "language": "English"}
    record = record_of(
        post(http, emu, "YOUTUBE_SUMMARIZER", "gpt-4o", video, videoUrl=video["videoUrl"])
    )
    assert "https://www.youtube.com/watch?v=abc" in record["aiRecordDetail"]["resultObject"][0]
    assert record_of(post(http, emu, "SUMMARIZER", "gpt-4o", {"prompt": "x"}, **{"async": True}))
    assert result_of(post(http, emu, "VOICE_ISOLATOR", "elevenlabs-voice-isolator", {"any": 1}))


# -- video ----------------------------------------------------------------------------------------


def test_text_to_video_is_a_real_h264_mp4(emu, http):
    po = {"prompt": "a paper boat on a pond", "seconds": 4, "size": "1280x720"}
    record = record_of(
        post(http, emu, "TEXT_TO_VIDEO", "sora-2", po, conversationId="TEXT_TO_VIDEO")
    )
    (key,) = record["aiRecordDetail"]["resultObject"]
    assert re.fullmatch(rf"videos/{STAMP}_\d{{6}}\.mp4", key)
    data = http.get(record["temporaryUrl"], timeout=TIMEOUT).content
    found = check_mp4(data)
    assert (found.width, found.height, found.seconds, found.samples) == (128, 72, 4.0, 32)
    assert found.profile == 66  # Baseline
    assert found.nal_types[0] == [5]  # one IDR picture first
    assert all(types == [1] for types in found.nal_types[1:])
    av = pytest.importorskip("av")
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(container.decode(stream))
        assert container.metadata["comment"] == "a paper boat on a pond"
        assert container.metadata["encoder"] == "1min.ai emulator"
    assert len(frames) == 32
    assert (frames[0].width, frames[0].height) == (128, 72)


@pytest.mark.parametrize(
    ("model", "po", "size", "seconds"),
    [
        (
            "kling",
            {"prompt": "p", "duration": 10, "mode": "std", "aspect_ratio": "9:16"},
            (72, 128),
            10.0,
        ),
        ("luma", {"prompt": "p", "length": 5, "enhancePrompt": False}, (128, 72), 5.0),
        (
            "veo3-video",
            {"prompt": "p", "veo3_duration": "8s", "aspect_ratio": "1:1"},
            (128, 128),
            8.0,
        ),
        ("hailuo", {"prompt": "p", "taskType": "t2v-01"}, (128, 72), 5.0),
    ],
)
def test_video_length_and_aspect_follow_the_request(emu, http, model, po, size, seconds):
    (key,) = result_of(post(http, emu, "TEXT_TO_VIDEO", model, po))
    found = check_mp4(emu.assets[key][0])
    assert ((found.width, found.height), found.seconds) == (size, seconds)


def test_image_to_video_takes_the_source_aspect(emu, http):
    tall = upload(http, emu, "tall.png", render_png("t", 90, 160), "image/png")["path"]
    po = {"imageUrl": tall, "prompt": "it moves"}
    (key,) = result_of(post(http, emu, "IMAGE_TO_VIDEO", "veo3-video", po))
    found = check_mp4(emu.assets[key][0])
    assert (found.width, found.height) == (72, 128)


def test_video_face_swap_keeps_the_target_video_length(emu, http):
    keys = assets(http, emu)  # the video is 64x36, 1 s
    po = {"targetVideoUrl": keys["video"], "swapImageUrl": keys["image"]}
    (key,) = result_of(post(http, emu, "VIDEO_FACE_SWAPPER", "Qubico/video-toolkit", po))
    found = check_mp4(emu.assets[key][0])
    assert ((found.width, found.height), found.seconds) == ((128, 72), 1.0)


def test_videos_are_deterministic(emu, http):
    po = {"prompt": "waves", "aspect_ratio": "16:9"}
    first, second = (
        result_of(post(http, emu, "TEXT_TO_VIDEO", "pika", {**po, "task_type": "pika-v2.2"}))[0]
        for _ in range(2)
    )
    assert first != second
    assert emu.assets[first] == emu.assets[second]
    (other,) = result_of(
        post(http, emu, "TEXT_TO_VIDEO", "pika", {**po, "prompt": "sand", "task_type": "pika-v2.2"})
    )
    assert emu.assets[other][0] != emu.assets[first][0]


def test_captions_read_an_emulator_video_back(emu, http):
    (key,) = result_of(
        post(http, emu, "TEXT_TO_VIDEO", "Qubico/hunyuan", {"prompt": "hello from the video"})
    )
    for fmt, check in [
        ("srt", lambda t: t.startswith("1\n00:00:00,000 --> 00:00:05,000\n")),
        ("vtt", lambda t: t.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n")),
        ("text", lambda t: t == "[1min.ai emulator captions] hello from the video"),
    ]:
        (text,) = result_of(
            post(
                http,
                emu,
                "CAPTIONS_GENERATOR",
                "whisper-1",
                {"videoUrl": key, "response_format": fmt},
            )
        )
        assert check(text), text
        assert "hello from the video" in text
    (verbose,) = result_of(post(http, emu, "CAPTIONS_GENERATOR", "whisper-1", {"videoUrl": key}))
    parsed = json.loads(verbose)
    assert parsed["duration"] == 5.0
    assert parsed["segments"][0]["text"] == "[1min.ai emulator captions] hello from the video"
    url = "https://example.com/talk.mp4"
    (foreign,) = result_of(
        post(
            http,
            emu,
            "CAPTIONS_GENERATOR",
            "whisper-1",
            {"videoUrl": url, "response_format": "text"},
        )
    )
    assert foreign == f"[1min.ai emulator captions] [1min.ai emulator transcript of {url}, 0 bytes]"


# -- audio ----------------------------------------------------------------------------------------


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        return float(reader.getnframes() / reader.getframerate())


@pytest.mark.parametrize(
    ("kind", "model", "po", "seconds"),
    [
        (
            "TEXT_TO_SOUND",
            "elevenlabs-text-to-sound",
            {"text": "a door creaks", "duration_seconds": 2.5},
            2.5,
        ),
        ("TEXT_TO_SOUND", "elevenlabs-text-to-sound", {"text": "a door creaks"}, 5.0),
        ("MUSIC_GENERATOR", "lyria-002", {"prompt": "calm piano"}, 30.0),
        (
            "MUSIC_GENERATOR",
            "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb",
            {
                "prompt": "drums",
                "model_version": "large",
                "duration": 8,
                "output_format": "wav",
                "normalization_strategy": "peak",
            },
            8.0,
        ),
        (
            "MUSIC_GENERATOR",
            "suno-ttapi",
            {"mv": "chirp-v4", "custom": False, "gpt_description_prompt": "a jingle"},
            30.0,
        ),
    ],
)
def test_music_and_sound_are_wavs_of_the_asked_length(emu, http, kind, model, po, seconds):
    record = record_of(post(http, emu, kind, model, po))
    (key,) = record["aiRecordDetail"]["resultObject"]
    assert re.fullmatch(rf"audios/{STAMP}_(music|sound)\.wav", key)
    data = http.get(record["temporaryUrl"], timeout=TIMEOUT).content
    assert wav_seconds(data) == seconds
    (again,) = result_of(post(http, emu, kind, model, po))
    assert emu.assets[again][0] == data  # deterministic
    # A tune is not speech: the emulator's speech-to-text does not read its prompt back.
    (transcript,) = result_of(
        post(http, emu, "SPEECH_TO_TEXT", "whisper-1", {"audioUrl": key, "response_format": "text"})
    )
    assert transcript.startswith("[1min.ai emulator transcript of ")


def test_voice_tools_speak_words_the_speech_to_text_reads_back(emu, http):
    keys = assets(http, emu)  # the recording says "spoken words"

    def heard(key: str) -> str:
        po = {"audioUrl": key, "response_format": "text"}
        return str(result_of(post(http, emu, "SPEECH_TO_TEXT", "whisper-1", po))[0])

    cloned = result_of(
        post(
            http,
            emu,
            "VOICE_CLONING",
            "elevenlabs-voice-cloning",
            {"audioUrl": keys["audio"], "text": "cloned hello"},
        )
    )[0]
    designed = result_of(
        post(
            http,
            emu,
            "VOICE_DESIGN",
            "elevenlabs-voice-design",
            {"voice_description": "a calm old man", "text": "designed hi"},
        )
    )[0]
    changed = result_of(
        post(
            http,
            emu,
            "VOICE_CHANGER",
            "elevenlabs-voice-changer",
            {"audioUrl": keys["audio"], "voice_id": "Xb7hH8MSUJpSbSDYk0k2"},
        )
    )[0]
    isolated = result_of(
        post(http, emu, "VOICE_ISOLATOR", "elevenlabs-voice-isolator", {"audioUrl": keys["audio"]})
    )[0]
    assert [heard(k) for k in (cloned, designed, changed, isolated)] == [
        "cloned hello",
        "designed hi",
        "spoken words",
        "spoken words",
    ]
    for key in (cloned, designed, changed, isolated):
        assert wav_seconds(emu.assets[key][0]) > 0
    # Another voice is another pitch: same words, other samples; the isolator keeps the voice.
    assert emu.assets[changed][0] != render_wav("spoken words")
    assert emu.assets[isolated][0] == render_wav("spoken words")


# -- images ---------------------------------------------------------------------------------------


def png_of(emu: OneMinAIEmulator, key: str) -> Any:
    data, mime = emu.assets[key]
    assert mime == "image/png"
    return parse_png(data)


def test_image_operations_keep_the_source_size(emu, http):
    keys = assets(http, emu)  # a 64x48 PNG
    image = keys["image"]
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("BACKGROUND_REPLACER", "clipdrop", {"imageUrl": image, "prompt": "a beach"}),
        ("IMAGE_OBJECT_REMOVER", "stable-image", {"imageUrl": image, "maskUrl": image}),
        (
            "SEARCH_AND_REPLACE",
            "stable-image",
            {"imageUrl": image, "search_prompt": "cat", "prompt": "dog"},
        ),
        (
            "SKETCH_TO_IMAGE",
            "stable-image",
            {
                "imageUrl": image,
                "prompt": "a house",
                "control_strength": 0.7,
                "output_format": "png",
            },
        ),
        (
            "IMAGE_INPAINTER",
            "black-forest-labs/flux-fill-pro",
            {"imageUrl": image, "maskUrl": image, "prompt": "a hat"},
        ),
        ("TEXT_REMOVER", "clipdrop", {"imageUrl": image}),
        ("FACE_SWAPPER", "dzine", {"swapImageUrl": image, "targetImageUrl": image, "n": 2}),
    ]
    for kind, model, po in cases:
        result = result_of(post(http, emu, kind, model, po))
        assert len(result) == po.get("n", 1), kind
        info = png_of(emu, result[0])
        assert (info.width, info.height, info.color_type) == (64, 48, 2), kind
        assert info.text["Software"] == "1min.ai emulator"
        assert info.text["Description"].startswith(f"{kind} · {model}")


def test_gpt_image_sizes_win_over_the_source(emu, http):
    image = assets(http, emu)["image"]
    po = {"imageUrl": image, "prompt": "a forest", "size": "1024x1536"}
    (key,) = result_of(post(http, emu, "BACKGROUND_REPLACER", "gpt-image-1", po))
    info = png_of(emu, key)
    assert (info.width, info.height) == (171, 256)


def test_background_remover_makes_the_background_transparent(emu, http):
    image = assets(http, emu)["image"]
    (key,) = result_of(post(http, emu, "BACKGROUND_REMOVER", "stable-image", {"imageUrl": image}))
    info = png_of(emu, key)
    assert (info.width, info.height, info.color_type) == (64, 48, 6)
    alphas = {
        info.scanlines[row * (1 + 64 * 4) + 4 + 4 * x] for row in range(48) for x in range(64)
    }
    assert alphas == {0, 255}


@pytest.mark.parametrize(
    ("model", "extra", "size"),
    [
        ("stable-image", {}, (256, 192)),  # documented 4x
        ("recraft", {}, (128, 96)),  # 2x when no factor is known
        ("dzine", {"scale": 3}, (192, 144)),
    ],
)
def test_upscaler_makes_the_picture_bigger(emu, http, model, extra, size):
    image = assets(http, emu)["image"]
    (key,) = result_of(post(http, emu, "IMAGE_UPSCALER", model, {"imageUrl": image, **extra}))
    info = png_of(emu, key)
    assert (info.width, info.height) == size


def test_upscaler_output_is_capped(emu, http):
    big = upload(http, emu, "big.png", render_png("b", 400, 300), "image/png")["path"]
    (key,) = result_of(post(http, emu, "IMAGE_UPSCALER", "stable-image", {"imageUrl": big}))
    assert (png_of(emu, key).width, png_of(emu, key).height) == (1024, 768)


@pytest.mark.parametrize(
    ("model", "margins", "size"),
    [
        ("stable-image", {"left": 10, "right": 20, "up": 5}, (94, 53)),
        ("clipdrop", {"left": -14, "down": 12}, (50, 60)),
    ],
)
def test_extender_adds_its_margins(emu, http, model, margins, size):
    image = assets(http, emu)["image"]
    (key,) = result_of(post(http, emu, "IMAGE_EXTENDER", model, {"imageUrl": image, **margins}))
    assert (png_of(emu, key).width, png_of(emu, key).height) == size


def test_image_operations_follow_the_source_bytes_not_its_key(emu, http):
    same = [
        upload(http, emu, "a.png", render_png("same", 32, 32), "image/png")["path"]
        for _ in range(2)
    ]
    first, second = (
        result_of(post(http, emu, "BACKGROUND_REMOVER", "recraft", {"imageUrl": key}))[0]
        for key in same
    )
    assert emu.assets[first] == emu.assets[second]
    other = upload(http, emu, "b.png", render_png("other", 32, 32), "image/png")["path"]
    (third,) = result_of(post(http, emu, "BACKGROUND_REMOVER", "recraft", {"imageUrl": other}))
    assert emu.assets[third] != emu.assets[first]


def test_image_to_prompt_reads_an_emulator_picture(emu, http):
    (key,) = result_of(post(http, emu, "IMAGE_GENERATOR", "dall-e-3", {"prompt": "a serene lake"}))
    texts = result_of(
        post(
            http,
            emu,
            "IMAGE_TO_PROMPT",
            "midjourney",
            {"imageUrl": key, "mode": "describe", "n": 2},
        )
    )
    assert len(texts) == 2
    assert texts[0] == (
        "[1min.ai emulator · midjourney] IMAGE_TO_PROMPT was answered by an offline emulator, "
        f'not a model. Picture: {key}, 256x256 px. The emulator drew this picture from the prompt: "a serene lake".'
    )
    assert "Description 2." in texts[1]
    photo = upload(
        http,
        emu,
        "p.jpg",
        b"\xff\xd8\xff\xc0\x00\x11\x08\x01\x00\x02\x00" + bytes(20),
        "image/jpeg",
    )["path"]
    (text,) = result_of(post(http, emu, "IMAGE_TO_PROMPT", "magic-art", {"imageUrl": photo}))
    assert text.endswith(
        f"Picture: {photo}, 512x256 px. The emulator did not draw this picture and cannot see it."
    )


# -- 3d -------------------------------------------------------------------------------------------


def test_3d_generator_makes_a_valid_glb(emu, http):
    image = assets(http, emu)["image"]
    record = record_of(post(http, emu, "IMAGE_3D_GENERATOR", "Qubico/trellis", {"imageUrl": image}))
    (key,) = record["aiRecordDetail"]["resultObject"]
    assert re.fullmatch(rf"documents/{STAMP}_\d{{6}}\.glb", key)
    data = http.get(record["temporaryUrl"], timeout=TIMEOUT).content
    document = check_glb(data)
    assert document["asset"]["generator"] == "1min.ai emulator"
    assert document["asset"]["extras"]["description"] == f"3D model of {image}"
    (again,) = result_of(
        post(http, emu, "IMAGE_3D_GENERATOR", "Qubico/trellis", {"imageUrl": image})
    )
    assert emu.assets[again][0] == data
    pygltflib = pytest.importorskip("pygltflib")
    model = pygltflib.GLTF2.load_from_bytes(data)
    assert len(model.meshes[0].primitives) == 1
    assert len(model.binary_blob()) == 72


# -- text -----------------------------------------------------------------------------------------


def test_writing_features_describe_what_was_asked(emu, http):
    po = {
        "originalLanguage": "en",
        "targetLanguage": "es",
        "tone": "friendly",
        "domain": "Technology & Computing",
        "writingStyle": "Conversational",
        "prompt": "Hello world, how are you?",
    }
    (text,) = result_of(
        post(
            http, emu, "CONTENT_TRANSLATOR", "gpt-4o-mini", po, conversationId="CONTENT_TRANSLATOR"
        )
    )
    assert text == (
        "[1min.ai emulator · gpt-4o-mini] CONTENT_TRANSLATOR was answered by an offline emulator, "
        'not a model. It was asked to translate a text of 5 words ("Hello world, how are you?"). '
        "Options: domain=Technology & Computing, originalLanguage=en, targetLanguage=es, "
        "tone=friendly, writingStyle=Conversational. promptObject fields received: domain, "
        "originalLanguage, prompt, targetLanguage, tone, writingStyle."
    )
    assert result_of(post(http, emu, "CONTENT_TRANSLATOR", "gpt-4o-mini", po)) == [text]


def test_scripts_and_faults_still_apply(emu, http):
    keys = assets(http, emu)
    emu.script_feature("TEXT_TO_VIDEO", ScriptedReply(result_object=[keys["video"]]))
    record = record_of(post(http, emu, "TEXT_TO_VIDEO", "Qubico/wanx", {"prompt": "x"}))
    assert record["aiRecordDetail"]["resultObject"] == [keys["video"]]
    assert record["temporaryUrl"].startswith(f"{emu.asset_base_url}/{keys['video']}?")
    emu.script_feature("SUMMARIZER", "A scripted summary.")
    assert result_of(post(http, emu, "SUMMARIZER", "gpt-4o", {"prompt": "x"})) == [
        "A scripted summary."
    ]
    emu.add_fault(Fault(failed_record=True, failed_message="provider down"), route="features")
    failed = record_of(post(http, emu, "MUSIC_GENERATOR", "lyria-002", {"prompt": "x"}))
    assert failed["status"] == "FAILED"
    assert failed["aiRecordDetail"] == {
        "promptObject": {"prompt": "x"},
        "resultObject": [],
        "errorMessage": "provider down",
    }
    emu.add_fault(Fault(status=503), route="features")
    assert (
        post(http, emu, "IMAGE_UPSCALER", "stable-image", {"imageUrl": keys["image"]}).status_code
        == 503
    )
