"""The media tools against the emulator, sync and async through one test body: the exact
requests that go out (per model family), uploads, downloads, files on disk, refusals that
send nothing, and API failures as ToolExceptions with their typed cause."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import struct
import wave
import zlib
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, ToolException

from langchain_oneminai import OneMinAIClient
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.emulator import Fault, OneMinAIEmulator
from langchain_oneminai.emulator._media import render_png, render_wav
from langchain_oneminai.errors import (
    APITimeoutError,
    BadRequestError,
    GenerationFailedError,
    InsufficientCreditsError,
    InvalidInputError,
    MissingAPIKeyError,
    RateLimitError,
    UnsupportedModelError,
)
from langchain_oneminai.tools import (
    OneMinAIImageEditTool,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIToolkit,
)
from tests.helpers import emulator_client

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(mode: str, tool: BaseTool, args: dict[str, Any]) -> ToolMessage:
    """Invoke ``tool`` with a ToolCall, through ``invoke`` or ``ainvoke``."""
    call = {"args": args, "id": "call-1", "name": tool.name, "type": "tool_call"}
    result = tool.invoke(call) if mode == "sync" else asyncio.run(tool.ainvoke(call))
    assert isinstance(result, ToolMessage)
    return result


def run_strict(mode: str, tool: BaseTool, args: dict[str, Any]) -> ToolMessage:
    """``run`` with the refusal raised as ``ToolException`` (by default it is returned)."""
    tool.handle_tool_error = False
    return run(mode, tool, args)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, checking the signature and the CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    header = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    assert crc == zlib.crc32(kind + header)
    width, height, bit_depth, _colour, _c, _f, _i = struct.unpack(">IIBBBBB", header)
    assert bit_depth == 8
    return width, height


def features(emulator: OneMinAIEmulator) -> list[Any]:
    return [r.json for r in emulator.requests if r.route == "features"]


def downloads(emulator: OneMinAIEmulator) -> list[tuple[str, dict[str, str]]]:
    return [(r.path, r.query) for r in emulator.requests if r.route == "download"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def connection(emulator: OneMinAIEmulator) -> dict[str, Any]:
    """Constructor arguments of a tool on the emulator (its own, lazily built client)."""
    return {
        "api_key": emulator.api_key,
        "base_url": emulator.base_url,
        "asset_base_url": emulator.asset_base_url,
    }


# -- image generation ---------------------------------------------------------------------

# fmt: off
FAMILIES: list[tuple[str | None, dict[str, Any], str, dict[str, Any], int]] = [
    (None, {"n": 2, "aspect_ratio": "16:9"}, "stable-diffusion-xl-1024-v1-0", {"samples": 2, "size": "1344x768"}, 2),
    ("black-forest-labs/flux-schnell", {"n": 2, "aspect_ratio": "16:9"}, "black-forest-labs/flux-schnell", {"num_outputs": 2, "aspect_ratio": "16:9"}, 2),
    ("dall-e-3", {"aspect_ratio": "16:9", "quality": "hd", "style": "natural"}, "dall-e-3", {"size": "1792x1024", "quality": "hd", "style": "natural"}, 1),
    ("dall-e-2", {"n": 3, "size": "256x256"}, "dall-e-2", {"n": 3, "size": "256x256"}, 3),
    ("gpt-image-1", {"size": "1024x1536", "quality": "low", "output_format": "png", "extras": {"background": "transparent"}}, "gpt-image-1", {"size": "1024x1536", "quality": "low", "output_format": "png", "background": "transparent"}, 1),
    ("gpt-image-2", {"aspect_ratio": "3:2"}, "gpt-image-2", {"size": "1248x832", "quality": "medium"}, 1),
    ("black-forest-labs/flux-1.1-pro", {"size": "1024x768", "extras": {"seed": 3}}, "black-forest-labs/flux-1.1-pro", {"width": 1024, "height": 768, "seed": 3}, 1),
    ("black-forest-labs/flux-2-pro", {"aspect_ratio": "1:1", "extras": {"steps": 20}}, "black-forest-labs/flux-2-pro", {"aspect_ratio": "1:1", "steps": 20}, 1),
    ("gemini-2.5-flash-image", {"size": "1K", "aspect_ratio": None}, "gemini-2.5-flash-image", {"imageSize": "1K"}, 1),
    ("magic-art", {"aspect_ratio": "7:4"}, "magic-art", {"n": 4, "aspect_width": 7, "aspect_height": 4, "mode": "fast", "isNiji6": False, "maintainModeration": True}, 4),
    ("e71a1c2f-4f80-4800-934f-2c68979d8cc8", {"n": 2, "size": "512x512"}, "e71a1c2f-4f80-4800-934f-2c68979d8cc8", {"n": 2, "size": "512x512"}, 2),
    ("stable-diffusion-xl-1024-v1-0", {"n": 2, "size": "832x1216"}, "stable-diffusion-xl-1024-v1-0", {"samples": 2, "size": "832x1216"}, 2),
    ("dzine", {"quality": "standard", "extras": {"style_code": "S9"}}, "dzine", {"quality": "STANDARD", "style_code": "S9"}, 1),
]
# fmt: on


@pytest.mark.parametrize(("model", "args", "sent_model", "fields", "images"), FAMILIES)
def test_each_family_gets_its_own_fields(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    model: str | None,
    args: dict[str, Any],
    sent_model: str,
    fields: dict[str, Any],
    images: int,
) -> None:
    tool = OneMinAIImageTool(client=client)
    call_args = {"prompt": "A lighthouse at dusk", **({"model": model} if model else {}), **args}
    message = run(mode, tool, {k: v for k, v in call_args.items() if v is not None})
    assert features(emulator) == [
        {
            "type": "IMAGE_GENERATOR",
            "model": sent_model,
            "promptObject": {"prompt": "A lighthouse at dusk", **fields},
        }
    ]
    artifact = message.artifact
    keys = [image["asset_key"] for image in artifact["images"]]
    # the emulator honours n/num_outputs only (samples is SDXL's own name for it)
    assert len(keys) == images
    assert artifact["model"] == sent_model
    assert artifact["feature"] == "IMAGE_GENERATOR"
    assert artifact["prompt_object"] == features(emulator)[0]["promptObject"]
    assert artifact["record_id"]
    assert [image["data"] for image in artifact["images"]] == [emulator.assets[k][0] for k in keys]
    assert all(
        image["mime_type"] == "image/png" and image["path"] is None for image in artifact["images"]
    )
    urls = [image["url"] for image in artifact["images"]]
    assert message.content == [
        {
            "type": "text",
            "text": f"Generated {images} image{'s' if images > 1 else ''} with {sent_model}: {' '.join(urls)}",
        },
        *({"type": "image", "url": url, "mime_type": "image/png"} for url in urls),
    ]
    assert message.status == "success"
    assert message.tool_call_id == "call-1"


def test_downloads_prefer_the_temporary_url(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    message = run(mode, OneMinAIImageTool(client=client), {"prompt": "Two cats", "n": 2})
    first, second = (image["asset_key"] for image in message.artifact["images"])
    (path1, query1), (path2, query2) = downloads(emulator)
    assert (path1, sorted(query1)) == (f"/asset-host/{first}", ["X-Amz-Expires", "X-Amz-Signature"])
    assert (path2, query2) == (f"/asset-host/{second}", {})
    assert message.artifact["images"][0]["url"].startswith(
        f"{emulator.asset_base_url}/{first}?X-Amz-Expires=3600&"
    )
    assert message.artifact["images"][1]["url"] == f"{emulator.asset_base_url}/{second}"


def test_without_temporary_url_the_asset_host_is_used(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.settings.temporary_urls = False
    try:
        message = run(mode, OneMinAIImageTool(client=client), {"prompt": "A cat"})
    finally:
        emulator.settings.temporary_urls = True
    (image,) = message.artifact["images"]
    assert downloads(emulator) == [(f"/asset-host/{image['asset_key']}", {})]
    assert image["url"] == f"{emulator.asset_base_url}/{image['asset_key']}"
    assert image["data"] == emulator.assets[image["asset_key"]][0]


def test_a_failed_temporary_url_falls_back_to_the_asset_host(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.add_fault(Fault(status=403, body={"message": "Request has expired"}), route="download")
    message = run(mode, OneMinAIImageTool(client=client), {"prompt": "A cat"})
    (image,) = message.artifact["images"]
    assert [(p, sorted(q)) for p, q in downloads(emulator)] == [
        (f"/asset-host/{image['asset_key']}", ["X-Amz-Expires", "X-Amz-Signature"]),
        (f"/asset-host/{image['asset_key']}", []),
    ]
    assert image["data"] == emulator.assets[image["asset_key"]][0]


def test_save_dir_writes_real_png_files(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "images"  # created on demand
    tool = OneMinAIImageTool(client=client, save_dir=target)
    args = {"prompt": "A wide harbour", "n": 2, "aspect_ratio": "16:9"}
    message = run(mode, tool, {**args, "model": "black-forest-labs/flux-schnell"})
    paths = [Path(image["path"]) for image in message.artifact["images"]]
    assert [p.name for p in paths] == [
        Path(i["asset_key"]).name for i in message.artifact["images"]
    ]
    assert sorted(target.iterdir()) == sorted(paths)
    for path, image in zip(paths, message.artifact["images"], strict=True):
        data = path.read_bytes()
        assert png_size(data) == (256, 144)  # the emulator draws 16:9 at 256 px wide
        assert data == emulator.assets[image["asset_key"]][0]
        assert image["data"] is None
    text = message.content[0]["text"]  # type: ignore[index]
    assert text.endswith(f" (saved to {paths[0]}, {paths[1]})")


def test_download_off_returns_urls_only(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    message = run(mode, OneMinAIImageTool(client=client, download=False), {"prompt": "A cat"})
    assert downloads(emulator) == []
    (image,) = message.artifact["images"]
    assert (image["data"], image["path"], image["mime_type"]) == (None, None, "image/png")


def test_the_tools_allow_long_generations_by_default(mode: str, emulator: OneMinAIEmulator) -> None:
    # The client's own read timeout is 0.2 s; the generation takes 0.5 s: the tool's
    # per-call generation timeout (300 s) must apply, and the download keeps the default.
    emulator.add_fault(Fault(latency=0.5), route="features")
    with emulator_client(emulator, timeout=0.2) as client:
        message = run(mode, OneMinAIImageTool(client=client), {"prompt": "A slow cat"})
    assert message.artifact["images"][0]["data"]


def test_an_explicit_timeout_applies_to_the_generation(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.add_fault(Fault(latency=0.5), route="features")
    with pytest.raises(ToolException) as caught:
        run_strict(mode, OneMinAIImageTool(client=client, timeout=0.2), {"prompt": "A slow cat"})
    assert isinstance(caught.value.__cause__, APITimeoutError)
    assert len(features(emulator)) == 1  # a read timeout after sending is never retried


# -- image editing and variations ---------------------------------------------------------


def write_png(directory: Path, name: str = "photo.png") -> tuple[Path, bytes]:
    data = render_png("a photo to edit", 64, 48)
    path = directory / name
    path.write_bytes(data)
    return path, data


def test_a_local_image_is_uploaded_then_edited(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    path, data = write_png(tmp_path)
    tool = OneMinAIImageEditTool(client=client, root_dir=tmp_path)
    message = run(mode, tool, {"image": path.name, "prompt": "Add a red hat", "size": "1024x1024"})
    upload, feature, download = emulator.requests
    assert (upload.method, upload.path, upload.route) == ("POST", "/api/assets", "assets")
    assert upload.form is not None
    (part,) = upload.form
    assert (part.name, part.filename, part.content_type, part.size, part.sha256) == (
        "asset",
        "photo.png",
        "image/png",
        len(data),
        sha256(data),
    )
    (key,) = [k for k in emulator.assets if k.endswith("_photo.png")]
    assert feature.json == {
        "type": "IMAGE_EDITOR",
        "model": "gpt-image-1-mini",
        "promptObject": {"imageUrl": key, "prompt": "Add a red hat", "size": "1024x1024"},
    }
    assert download.route == "download"
    assert message.artifact["feature"] == "IMAGE_EDITOR"
    assert message.artifact["prompt_object"]["imageUrl"] == key
    assert message.content[0] == {
        "type": "text",
        "text": f"Edited the image with gpt-image-1-mini (1 image): {message.artifact['images'][0]['url']}",
    }


def test_the_same_local_image_is_uploaded_once(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    path, _ = write_png(tmp_path)
    tool = OneMinAIImageEditTool(client=client, download=False, root_dir=tmp_path)
    run(mode, tool, {"image": str(path), "prompt": "Add a hat"})  # absolute, inside root_dir
    run(mode, tool, {"image": path.name})  # a variation of the same picture
    assert [r.route for r in emulator.requests] == ["assets", "features", "features"]
    edit, variation = features(emulator)
    assert variation == {
        "type": "IMAGE_VARIATOR",
        "model": "dall-e-2",
        "promptObject": {"imageUrl": edit["promptObject"]["imageUrl"]},
    }


def test_an_asset_key_is_sent_as_it_is(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    key = client.upload_asset(write_png(tmp_path)[1], filename="x.png").path
    emulator.clear_requests()
    tool = OneMinAIImageEditTool(client=client)
    message = run(mode, tool, {"image": key, "model": "magic-art", "operation": "variation"})
    assert features(emulator) == [
        {
            "type": "IMAGE_VARIATOR",
            "model": "magic-art",
            "promptObject": {
                "imageUrl": key,
                "mode": "fast",
                "n": 4,
                "isNiji6": False,
                "aspect_width": 1,
                "aspect_height": 1,
                "maintainModeration": True,
            },
        }
    ]
    assert [r.route for r in emulator.requests] == ["features", *["download"] * 4]
    assert message.content[0]["text"].startswith("Made 4 variations of the image with magic-art: ")  # type: ignore[index]


def test_an_image_url_is_fetched_then_uploaded(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    source = client.upload_asset(write_png(tmp_path)[1], filename="remote.png").path
    url = f"{emulator.asset_base_url}/{source}"
    emulator.clear_requests()
    tool = OneMinAIImageEditTool(client=client, download=False)
    run(mode, tool, {"image": url, "prompt": "Make it night"})
    fetch, upload, feature = emulator.requests
    assert (fetch.method, fetch.path) == ("GET", f"/asset-host/{source}")
    assert upload.form is not None
    assert (upload.form[0].name, upload.form[0].filename) == ("asset", Path(source).name)
    assert feature.json is not None
    uploaded = feature.json["promptObject"]["imageUrl"]
    assert uploaded != source
    assert emulator.assets[uploaded][0] == emulator.assets[source][0]


# -- speech -------------------------------------------------------------------------------


def test_text_to_speech_sends_the_documented_body_and_saves_a_wav(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    tool = OneMinAITextToSpeechTool(client=client, save_dir=tmp_path)
    message = run(
        mode, tool, {"text": "The lighthouse keeps watch.", "voice": "Nova", "speed": 1.5}
    )
    assert features(emulator) == [
        {
            "type": "TEXT_TO_SPEECH",
            "model": "tts-1",
            "conversationId": "TEXT_TO_SPEECH",
            "promptObject": {"text": "The lighthouse keeps watch.", "voice": "nova", "speed": 1.5},
        }
    ]
    artifact = message.artifact
    path = Path(artifact["path"])
    assert path.parent == tmp_path
    assert path.name == Path(artifact["asset_key"]).name
    assert artifact["asset_key"].startswith("audios/")
    with wave.open(str(path), "rb") as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 16000)
        assert audio.getnframes() > 0
    assert path.read_bytes() == emulator.assets[artifact["asset_key"]][0]
    assert (artifact["mime_type"], artifact["data"], artifact["model"]) == (
        "audio/wav",
        None,
        "tts-1",
    )
    assert message.content == (
        f"Generated audio/wav speech (tts-1, voice nova): {artifact['url']} (saved to {path})"
    )


def test_text_to_speech_keeps_the_bytes_without_save_dir(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    message = run(mode, OneMinAITextToSpeechTool(client=client), {"text": "Hi"})
    assert message.artifact["data"] == emulator.assets[message.artifact["asset_key"]][0]
    assert message.artifact["path"] is None
    assert features(emulator)[0]["promptObject"] == {"text": "Hi", "voice": "alloy"}


def test_a_local_recording_is_uploaded_then_transcribed(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    data = render_wav("Grüße from the emulator")
    path = tmp_path / "memo.wav"
    path.write_bytes(data)
    tool = OneMinAISpeechToTextTool(client=client, root_dir=tmp_path)
    message = run(mode, tool, {"audio": "memo.wav"})
    upload, feature = emulator.requests
    assert upload.form is not None
    (part,) = upload.form
    assert (part.name, part.filename, part.content_type, part.sha256) == (
        "asset",
        "memo.wav",
        mimetypes.guess_type("memo.wav")[0],
        sha256(data),
    )
    (key,) = [k for k in emulator.assets if k.endswith("_memo.wav")]
    assert feature.json == {
        "type": "SPEECH_TO_TEXT",
        "model": "whisper-1",
        "promptObject": {"audioUrl": key, "response_format": "text"},
    }
    assert message.content == "Grüße from the emulator"
    assert isinstance(message.artifact, AIRecord)
    assert message.artifact.type == "SPEECH_TO_TEXT"
    assert message.artifact.status == "SUCCESS"


@pytest.mark.parametrize("shape", ["list", "string", "json"])
def test_every_transcript_shape_reads_the_same(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path, shape: Any
) -> None:
    key = client.upload_asset(render_wav("Hello there"), filename="a.wav").path
    emulator.settings.transcript_shape = shape
    try:
        message = run(
            mode,
            OneMinAISpeechToTextTool(client=client),
            {"audio": key, "model": "latest_long", "language": "en-US"},
        )
    finally:
        emulator.settings.transcript_shape = "list"
    assert message.content == "Hello there"
    assert features(emulator)[0] == {
        "type": "SPEECH_TO_TEXT",
        "model": "latest_long",
        "promptObject": {"audioUrl": key, "language": "en-US"},
    }


def test_tts_output_feeds_stt(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    spoken = run(
        mode, OneMinAITextToSpeechTool(client=client, download=False), {"text": "Round trip"}
    )
    heard = run(
        mode, OneMinAISpeechToTextTool(client=client), {"audio": spoken.artifact["asset_key"]}
    )
    assert heard.content == "Round trip"
    assert [r.route for r in emulator.requests] == ["features", "features"]


# -- refusals: nothing is sent ------------------------------------------------------------

# fmt: off
REFUSALS: list[tuple[type[BaseTool], dict[str, Any], str]] = [
    (OneMinAIImageTool, {"prompt": "x", "model": "dall-e-3", "n": 2}, "dall-e-3 makes one image per call; n must be 1, got 2."),
    (OneMinAIImageTool, {"prompt": "x", "model": "dall-e-3", "size": "512x512"}, "dall-e-3 takes size 1024x1024, 1024x1792, 1792x1024; got '512x512'."),
    (OneMinAIImageTool, {"prompt": "x", "model": "magic-art", "aspect_ratio": "16:9"}, "magic-art (magic-art/midjourney family) takes aspect ratios whose sides are 1 to 7 (aspect_width/aspect_height), e.g. '7:4'; got '16:9'."),
    (OneMinAIImageTool, {"prompt": "x", "model": "gpt-image-2", "size": "1000x1000"}, "gpt-image-2 cannot make a 1000x1000 image: both sides must be multiples of 16."),
    (OneMinAIImageTool, {"prompt": "x", "quality": "hd"}, "stable-diffusion-xl-1024-v1-0 (stable-diffusion-xl family) takes no quality. It takes: cfg_scale, clip_guidance_preset, prompt, samples, seed, size, steps."),
    (OneMinAIImageTool, {"prompt": "x", "size": "512x512"}, "stable-diffusion-xl-1024-v1-0 (stable-diffusion-xl family) takes size 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, 768x1344, 832x1216, 896x1152; got '512x512'."),
    (OneMinAIImageTool, {"prompt": " "}, "prompt must describe the image; it is empty."),
    (OneMinAIImageEditTool, {"image": "images/x.png", "operation": "edit"}, "operation='edit' needs a prompt saying what to change."),
    (OneMinAIImageEditTool, {"image": "images/x.png", "prompt": "x", "operation": "variation"}, "Image variations take no prompt; to change the picture as a prompt says, edit it instead (operation='edit')."),
    (OneMinAIImageEditTool, {"image": "missing.png", "prompt": "x"}, "'missing.png' is not an http(s) URL or a 1min.ai asset key (images/…, audios/…, documents/…, videos/…, development/…). This tool reads no local files: it has no root_dir, the one directory it may read from (a model chooses these paths). Pass root_dir= to the tool or toolkit to allow one."),
    (OneMinAITextToSpeechTool, {"text": "x" * 4097}, "1min.ai speaks at most 4096 characters per call; this text has 4097. Split it and call the tool once per part."),
    (OneMinAITextToSpeechTool, {"text": "hi", "speed": 5}, "speed must be between 0.25 and 4; got 5.0."),
    (OneMinAITextToSpeechTool, {"text": "hi", "voice": "bob"}, "tts-1 speaks with the voices alloy, echo, fable, onyx, nova, shimmer; got 'bob'."),
    (OneMinAISpeechToTextTool, {"audio": "audios/x.mp3", "model": "latest_short"}, "latest_short needs the language of the audio as a BCP-47 tag, e.g. language='en-US' or 'vi-VN'."),
    (OneMinAISpeechToTextTool, {"audio": "nowhere/memo.mp3"}, "'nowhere/memo.mp3' is not an http(s) URL or a 1min.ai asset key (images/…, audios/…, documents/…, videos/…, development/…). This tool reads no local files: it has no root_dir, the one directory it may read from (a model chooses these paths). Pass root_dir= to the tool or toolkit to allow one."),
]
# fmt: on


@pytest.mark.parametrize(("tool_class", "args", "message"), REFUSALS)
def test_bad_arguments_send_nothing(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    tool_class: type[BaseTool],
    args: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(ToolException) as caught:
        run_strict(mode, tool_class(client=client), args)
    assert str(caught.value) == message
    assert isinstance(caught.value.__cause__, InvalidInputError)
    assert emulator.requests == []


def test_a_bad_argument_is_refused_before_the_upload(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    path, _ = write_png(tmp_path)
    tool = OneMinAIImageEditTool(client=client, root_dir=tmp_path)
    with pytest.raises(ToolException):
        run_strict(mode, tool, {"image": path.name, "size": "300x300"})
    assert emulator.requests == []
    assert client.upload_cache == {}


def test_an_empty_local_file_is_refused_before_sending(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    tool = OneMinAISpeechToTextTool(client=client, root_dir=tmp_path)
    with pytest.raises(ToolException) as caught:
        run_strict(mode, tool, {"audio": "empty.wav"})
    assert str(caught.value) == "'empty.wav' is empty; nothing was uploaded."
    assert emulator.requests == []


def test_a_missing_key_is_refused_before_sending(mode: str, emulator: OneMinAIEmulator) -> None:
    tool = OneMinAIImageTool(base_url=emulator.base_url)  # no key anywhere (env is cleared)
    with pytest.raises(ToolException) as caught:
        run_strict(mode, tool, {"prompt": "A cat"})
    assert isinstance(caught.value.__cause__, MissingAPIKeyError)
    assert emulator.requests == []


def test_handle_tool_error_hands_the_reason_to_the_agent(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    tool = OneMinAIImageTool(client=client, handle_tool_error=True)
    message = run(mode, tool, {"prompt": "x", "model": "dall-e-3", "n": 2})
    assert (message.status, message.content) == (
        "error",
        "dall-e-3 makes one image per call; n must be 1, got 2.",
    )
    assert emulator.requests == []


# -- API failures -------------------------------------------------------------------------


def test_a_failed_generation_is_a_tool_exception(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.add_fault(
        Fault(failed_record=True, failed_message="NSFW content detected"), route="features"
    )
    with pytest.raises(ToolException) as caught:
        run_strict(mode, OneMinAIImageTool(client=client), {"prompt": "A cat"})
    cause = caught.value.__cause__
    assert isinstance(cause, GenerationFailedError)
    assert cause.api_message == "NSFW content detected"
    assert str(caught.value) == str(cause)
    assert "NSFW content detected" in str(caught.value)
    assert downloads(emulator) == []


@pytest.mark.parametrize(
    ("fault", "cause_type", "reason"),
    [
        (
            Fault(
                status=400,
                body={
                    "errorCode": "REQUEST_BODY_VALIDATION_FAILED",
                    "message": "promptObject.text is too long",
                },
            ),
            BadRequestError,
            "promptObject.text is too long",
        ),
        (
            Fault(status=402, body={"message": "Insufficient credits"}),
            InsufficientCreditsError,
            "Insufficient credits",
        ),
    ],
)
def test_api_errors_carry_the_reason_and_the_typed_cause(
    mode: str,
    client: OneMinAIClient,
    emulator: OneMinAIEmulator,
    fault: Fault,
    cause_type: type[Exception],
    reason: str,
) -> None:
    emulator.add_fault(fault, route="features")
    with pytest.raises(ToolException) as caught:
        run_strict(mode, OneMinAITextToSpeechTool(client=client), {"text": "Hello"})
    assert isinstance(caught.value.__cause__, cause_type)
    assert reason in str(caught.value)
    assert len(features(emulator)) == 1


def test_an_unsupported_model_is_a_tool_exception(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(ToolException) as caught:
        run_strict(mode, OneMinAIImageTool(client=client), {"prompt": "A cat", "model": "dall-e-4"})
    cause = caught.value.__cause__
    assert isinstance(cause, UnsupportedModelError)
    assert cause.model == "dall-e-4"
    assert "'dall-e-4'" in str(caught.value)
    assert "dall-e-3" in cause.suggestions


def test_rate_limits_are_retried_then_reported(
    mode: str, client: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    emulator.add_fault(Fault(status=429), route="features", times=3)
    with pytest.raises(ToolException) as caught:
        run_strict(mode, OneMinAIImageTool(client=client), {"prompt": "A cat"})
    assert isinstance(caught.value.__cause__, RateLimitError)
    assert len(features(emulator)) == 3  # the first try and max_retries=2


# -- toolkit ------------------------------------------------------------------------------


def test_the_toolkit_shares_one_client(emulator: OneMinAIEmulator, tmp_path: Path) -> None:
    toolkit = OneMinAIToolkit(
        api_key=emulator.api_key, base_url=emulator.base_url, save_dir=tmp_path, timeout=60.0
    )
    tools = toolkit.get_tools()
    assert [t.name for t in tools] == [
        "oneminai_image_generator",
        "oneminai_image_editor",
        "oneminai_text_to_speech",
        "oneminai_speech_to_text",
    ]
    assert [type(t) for t in tools] == [
        OneMinAIImageTool,
        OneMinAIImageEditTool,
        OneMinAITextToSpeechTool,
        OneMinAISpeechToTextTool,
    ]
    shared = tools[0].client  # type: ignore[attr-defined]
    assert isinstance(shared, OneMinAIClient)
    assert shared.base_url == emulator.base_url
    assert all(t.client is shared for t in tools)  # type: ignore[attr-defined]
    assert toolkit.get_tools()[0].client is shared  # type: ignore[attr-defined]
    assert all(t.save_dir == tmp_path and t.request_timeout == 60.0 for t in tools)  # type: ignore[attr-defined]
    assert emulator.requests == []  # nothing is sent before the first call


def test_a_given_client_is_used_by_every_tool(client: OneMinAIClient) -> None:
    tools = OneMinAIToolkit(client=client).get_tools()
    assert all(t.client is client for t in tools)  # type: ignore[attr-defined]


def test_tools_build_their_client_lazily_from_their_fields(
    mode: str, connection: dict[str, Any], emulator: OneMinAIEmulator
) -> None:
    tool = OneMinAITextToSpeechTool(**connection, max_retries=0)
    assert emulator.requests == []
    message = run(mode, tool, {"text": "Hi"})
    assert message.artifact["data"]
    feature, download = emulator.requests
    assert (feature.route, feature.key_valid, feature.headers["API-KEY"]) == (
        "features",
        True,
        "<redacted>",
    )
    assert download.route == "download"
    assert "API-KEY" not in download.headers  # the key never goes to the asset host
