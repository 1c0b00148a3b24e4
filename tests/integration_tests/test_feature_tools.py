"""The feature tools against the emulator, sync and async through one test body: the exact
request each sends (per model family, uploads in place), the files it saves and what they
hold (MP4, WAV, PNG, GLB), text results, refusals that send nothing, the generic
``OneMinAIFeatureTool`` (catalog check, file fields, result kinds) and the toolkit's
include/exclude."""

from __future__ import annotations

import struct
import wave
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from langchain_oneminai._media._features import feature_specs
from langchain_oneminai.emulator import Fault, OneMinAIEmulator
from langchain_oneminai.emulator._media import render_png, render_wav
from langchain_oneminai.tools import (
    OneMinAIAudioTranslatorTool,
    OneMinAIBackgroundRemoverTool,
    OneMinAIBackgroundReplacerTool,
    OneMinAICodeTool,
    OneMinAIContentGeneratorTool,
    OneMinAIFaceSwapTool,
    OneMinAIFeatureTool,
    OneMinAIImageExtenderTool,
    OneMinAIImageToPromptTool,
    OneMinAIImageUpscalerTool,
    OneMinAIInpaintingTool,
    OneMinAIMusicTool,
    OneMinAIObjectRemoverTool,
    OneMinAISearchReplaceTool,
    OneMinAISketchToImageTool,
    OneMinAISoundEffectTool,
    OneMinAIToolkit,
    OneMinAIVideoTool,
    OneMinAIVoiceChangerTool,
    OneMinAIVoiceCloneTool,
    OneMinAIVoiceDesignTool,
    OneMinAIWritingTool,
    OneMinAIYouTubeTool,
)
from tests.integration_tests.test_tools import features, png_size, run, run_strict

UPLOAD = "<upload>"
"""Stands for the asset key of an uploaded input in an expected request."""

ANIMATE_DIFF = (
    "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
)
MUSICGEN = "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
IMG2PROMPT = (
    "methexis-inc/img2prompt:50adaf2d3ad20a6f911a8a9e3ccf777b263b8596fbd2c8fc26e8888f8a0edbb5"
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The directory the tools may read: a picture, a mask, a recording."""
    (tmp_path / "apple.png").write_bytes(render_png("A red apple", 256, 256))
    (tmp_path / "mask.png").write_bytes(render_png("the mask", 256, 256))
    (tmp_path / "memo.wav").write_bytes(render_wav("Hello from LangChain."))
    return tmp_path


@pytest.fixture
def settings(emulator: OneMinAIEmulator, files: Path, tmp_path: Path) -> dict[str, Any]:
    return {
        "api_key": emulator.api_key,
        "base_url": emulator.base_url,
        "asset_base_url": emulator.asset_base_url,
        "root_dir": str(files),
        "save_dir": str(tmp_path / "out"),
    }


def sent(emulator: OneMinAIEmulator) -> dict[str, Any]:
    """The one feature request, with uploaded asset keys replaced by ``UPLOAD``."""
    (request,) = features(emulator)
    uploads = set(emulator.assets)
    body = dict(request["promptObject"])
    for name, value in body.items():
        if isinstance(value, str) and value in uploads and value.startswith(("images/", "audios/")):
            body[name] = UPLOAD
    return {**request, "promptObject": body}


def envelope(feature: str, model: str, body: dict[str, Any]) -> dict[str, Any]:
    """The expected request: the table's conversationId where it has one."""
    spec = feature_specs()[feature]
    head: dict[str, Any] = {"type": feature, "model": model}
    if spec.conversation_id:
        head["conversationId"] = spec.conversation_id
    return {**head, "promptObject": body}


# -- what each tool sends ---------------------------------------------------------------------

# fmt: off
REQUESTS: list[tuple[type[BaseTool], dict[str, Any], str, str, dict[str, Any]]] = [
    # video: veo3 by default; each family's own names
    (OneMinAIVideoTool, {"prompt": "A paper boat", "duration": 8, "aspect_ratio": "16:9", "resolution": "720p", "negative_prompt": "people"},
     "TEXT_TO_VIDEO", "veo3-video", {"prompt": "A paper boat", "veo3_duration": "8s", "aspect_ratio": "16:9", "resolution": "720p", "negativePrompt": "people"}),
    (OneMinAIVideoTool, {"prompt": "It sways", "image": "apple.png"},
     "IMAGE_TO_VIDEO", "veo3-video", {"imageUrl": UPLOAD, "prompt": "It sways"}),
    (OneMinAIVideoTool, {"prompt": "It sways", "image": "apple.png", "model": "kling", "duration": 10},
     "IMAGE_TO_VIDEO", "kling", {"image": UPLOAD, "prompt": "It sways", "duration": 10, "aspect_ratio": "16:9", "mode": "std", "version": "1.0", "cfg_scale": 0.5}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "kling", "aspect_ratio": "9:16"},
     "TEXT_TO_VIDEO", "kling", {"prompt": "A city", "aspect_ratio": "9:16", "mode": "std", "duration": 5}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "hailuo", "resolution": "1080p"},
     "TEXT_TO_VIDEO", "hailuo", {"prompt": "A city", "resolution": 1080, "duration": 6, "taskType": "t2v-02"}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "sora-2", "aspect_ratio": "9:16", "image": "apple.png"},
     "TEXT_TO_VIDEO", "sora-2", {"reference_image_path": UPLOAD, "prompt": "A city", "size": "720x1280", "seconds": 4}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "pika", "duration": 10},
     "TEXT_TO_VIDEO", "pika", {"prompt": "A city", "duration": 10, "task_type": "pika-v2.2"}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "luma", "image": "apple.png", "duration": 10},
     "IMAGE_TO_VIDEO", "luma", {"imageUrl": UPLOAD, "prompt": "A city", "duration": "10s", "modelName": "ray-v2"}),
    (OneMinAIVideoTool, {"prompt": "ignored", "model": "leonardo-motion", "image": "apple.png"},
     "IMAGE_TO_VIDEO", "leonardo-motion", {"imageUrl": UPLOAD, "motion_strength": 7}),
    (OneMinAIVideoTool, {"prompt": "Fireflies", "model": ANIMATE_DIFF, "negative_prompt": "blurry", "extras": {"steps": 25}},
     "TEXT_TO_VIDEO", ANIMATE_DIFF, {"prompt": "Fireflies", "n_prompt": "blurry", "steps": 25}),
    (OneMinAIVideoTool, {"prompt": "A city", "model": "Qubico/wanx", "extras": {"task_type": "txt2video-14b"}},
     "TEXT_TO_VIDEO", "Qubico/wanx", {"prompt": "A city", "task_type": "txt2video-14b"}),
    # music: four schemas
    (OneMinAIMusicTool, {"prompt": "calm piano", "negative_prompt": "drums"},
     "MUSIC_GENERATOR", "lyria-002", {"prompt": "calm piano", "negative_prompt": "drums"}),
    (OneMinAIMusicTool, {"prompt": "upbeat pop", "model": "suno-ttapi", "lyrics": "La la la", "title": "Sun"},
     "MUSIC_GENERATOR", "suno-ttapi", {"custom": True, "prompt": "La la la", "tags": "upbeat pop", "title": "Sun", "mv": "chirp-v4"}),
    (OneMinAIMusicTool, {"prompt": "a sea shanty", "model": "suno-ttapi", "instrumental": True},
     "MUSIC_GENERATOR", "suno-ttapi", {"custom": False, "gpt_description_prompt": "a sea shanty", "instrumental": True, "mv": "chirp-v4"}),
    (OneMinAIMusicTool, {"prompt": "lofi beats", "model": "music-u", "instrumental": True, "tags": "lofi"},
     "MUSIC_GENERATOR", "music-u", {"gpt_description_prompt": "lofi beats", "lyrics_type": "instrumental", "make_instrumental": True, "tags": "lofi", "task_type": "generate_music"}),
    (OneMinAIMusicTool, {"prompt": "jazz", "model": MUSICGEN, "duration": 12, "melody": "memo.wav"},
     "MUSIC_GENERATOR", MUSICGEN, {"audioUrl": UPLOAD, "prompt": "jazz", "duration": 12, "model_version": "stereo-melody-large", "output_format": "mp3", "normalization_strategy": "loudness"}),
    # sound, translation, voice
    (OneMinAISoundEffectTool, {"prompt": "thunder", "duration": 4.5, "loop": True},
     "TEXT_TO_SOUND", "elevenlabs-text-to-sound", {"text": "thunder", "duration_seconds": 4.5, "loop": True}),
    (OneMinAIAudioTranslatorTool, {"audio": "memo.wav"},
     "AUDIO_TRANSLATOR", "whisper-1", {"audioUrl": UPLOAD, "response_format": "text"}),
    (OneMinAIAudioTranslatorTool, {"audio": "memo.wav", "source_language": "en", "target_language": "es", "extras": {"tone": "formal"}},
     "AUDIO_TRANSLATOR", "gemini-2.5-flash", {"audioUrl": UPLOAD, "originalLanguage": "en", "targetLanguage": "es", "tone": "formal"}),
    (OneMinAIVoiceChangerTool, {"audio": "memo.wav", "voice_id": "JBFqnCBsd6RMkjVDRZzb", "remove_background_noise": True},
     "VOICE_CHANGER", "elevenlabs-voice-changer", {"audioUrl": UPLOAD, "voice_id": "JBFqnCBsd6RMkjVDRZzb", "remove_background_noise": True}),
    (OneMinAIVoiceCloneTool, {"sample": "memo.wav", "text": "Welcome.", "stability": 0.3},
     "VOICE_CLONING", "elevenlabs-voice-cloning", {"audioUrl": UPLOAD, "text": "Welcome.", "voice_settings": {"stability": 0.3}}),
    (OneMinAIVoiceDesignTool, {"description": "a pirate", "text": "Ahoy!", "loudness": 0.8},
     "VOICE_DESIGN", "elevenlabs-voice-design", {"voice_description": "a pirate", "text": "Ahoy!", "loudness": 0.8}),
    # text features
    (OneMinAIYouTubeTool, {"url": "https://youtu.be/dQw4w9WgXcQ", "language": "French"},
     "YOUTUBE_SUMMARIZER", "gpt-4o-mini", {"videoUrl": "https://youtu.be/dQw4w9WgXcQ", "language": "French"}),
    (OneMinAIWritingTool, {"task": "shorten", "text": "one two three four five six"},
     "CONTENT_SHORTENER", "gpt-4o-mini", {"prompt": "one two three four five six", "tone": "informative", "numberOfWord": 3}),
    (OneMinAIWritingTool, {"task": "expand", "text": "a b", "tone": "playful", "word_count": 40},
     "CONTENT_EXPANDER", "gpt-4o-mini", {"prompt": "a b", "tone": "playful", "numberOfWord": 40}),
    (OneMinAIWritingTool, {"task": "translate", "text": "Hello", "language": "es", "source_language": "en"},
     "CONTENT_TRANSLATOR", "gpt-4o-mini", {"prompt": "Hello", "targetLanguage": "es", "originalLanguage": "en", "tone": "neutral", "domain": "General", "writingStyle": "Standard"}),
    (OneMinAIWritingTool, {"task": "summarize", "text": "Long text.", "language": "English"},
     "SUMMARIZER", "gpt-4o-mini", {"prompt": "Long text.", "language": "English"}),
    (OneMinAIWritingTool, {"task": "grammar", "text": "Me and him goes."},
     "GRAMMAR_CHECKER", "gpt-4o-mini", {"prompt": "Me and him goes."}),
    (OneMinAIContentGeneratorTool, {"kind": "email_reply", "brief": "Say yes", "original_email": "Lunch?", "tone": "warm"},
     "CONTENT_GENERATOR_EMAIL_REPLY", "gpt-4o-mini", {"prompt": "Say yes", "originalEmail": "Lunch?", "tone": "warm"}),
    (OneMinAICodeTool, {"prompt": "fizzbuzz in Go", "web_search": True, "num_sites": 2},
     "CODE_GENERATOR", "gpt-4o", {"prompt": "fizzbuzz in Go", "webSearch": True, "numOfSite": 2}),
    # image operations
    (OneMinAIBackgroundRemoverTool, {"image": "apple.png", "output_format": "webp"},
     "BACKGROUND_REMOVER", "stable-image", {"imageUrl": UPLOAD, "output_format": "webp"}),
    (OneMinAIBackgroundReplacerTool, {"image": "apple.png", "prompt": "a beach"},
     "BACKGROUND_REPLACER", "clipdrop", {"imageUrl": UPLOAD, "prompt": "a beach"}),
    (OneMinAIBackgroundReplacerTool, {"image": "apple.png", "prompt": "a beach", "model": "gpt-image-1-mini", "quality": "high"},
     "BACKGROUND_REPLACER", "gpt-image-1-mini", {"imageUrl": UPLOAD, "prompt": "a beach", "quality": "high", "size": "1024x1024"}),
    (OneMinAIImageUpscalerTool, {"image": "apple.png"},
     "IMAGE_UPSCALER", "stable-image", {"imageUrl": UPLOAD}),
    (OneMinAIImageToPromptTool, {"image": "apple.png", "model": "midjourney", "n": 2},
     "IMAGE_TO_PROMPT", "midjourney", {"imageUrl": UPLOAD, "n": 2, "mode": "describe"}),
    (OneMinAIObjectRemoverTool, {"image": "apple.png", "mask": "mask.png"},
     "IMAGE_OBJECT_REMOVER", "stable-image", {"imageUrl": UPLOAD, "maskUrl": UPLOAD}),
    (OneMinAIImageExtenderTool, {"image": "apple.png", "left": 100, "down": 50},
     "IMAGE_EXTENDER", "stable-image", {"imageUrl": UPLOAD, "left": 100, "down": 50}),
    (OneMinAIInpaintingTool, {"image": "apple.png", "mask": "mask.png", "prompt": "a pear"},
     "IMAGE_INPAINTER", "black-forest-labs/flux-fill-pro", {"imageUrl": UPLOAD, "maskUrl": UPLOAD, "prompt": "a pear"}),
    (OneMinAIInpaintingTool, {"image": "apple.png", "mask": "mask.png", "prompt": "a pear", "model": "stable-image"},
     "IMAGE_INPAINTER", "stable-image", {"imageUrl": UPLOAD, "maskUrl": UPLOAD, "prompt": "a pear", "output_format": "jpeg"}),
    (OneMinAIInpaintingTool, {"image": "apple.png", "mask": "mask.png", "prompt": "a pear", "model": "gpt-image-1-mini"},
     "IMAGE_INPAINTER", "gpt-image-1-mini", {"imageUrl": UPLOAD, "maskUrl": UPLOAD, "prompt": "a pear", "size": "1024x1024", "n": 1}),
    (OneMinAISearchReplaceTool, {"image": "apple.png", "search": "the apple", "prompt": "a pear"},
     "SEARCH_AND_REPLACE", "stable-image", {"imageUrl": UPLOAD, "search_prompt": "the apple", "prompt": "a pear"}),
    (OneMinAISketchToImageTool, {"image": "apple.png", "prompt": "a watercolour apple", "style_preset": "anime"},
     "SKETCH_TO_IMAGE", "stable-image", {"imageUrl": UPLOAD, "prompt": "a watercolour apple", "style_preset": "anime", "control_strength": 0.7, "output_format": "png"}),
    (OneMinAIFaceSwapTool, {"image": "apple.png", "face": "mask.png"},
     "FACE_SWAPPER", "dzine", {"swapImageUrl": UPLOAD, "targetImageUrl": UPLOAD, "n": 1}),
]
# fmt: on


@pytest.mark.parametrize(
    ("tool", "args", "feature", "model", "body"),
    REQUESTS,
    ids=[f"{t.__name__}-{m}-{i}" for i, (t, _, _, m, _) in enumerate(REQUESTS)],
)
def test_each_tool_sends_the_documented_request(
    mode: str,
    emulator: OneMinAIEmulator,
    settings: dict[str, Any],
    tool: type[BaseTool],
    args: dict[str, Any],
    feature: str,
    model: str,
    body: dict[str, Any],
) -> None:
    message = run_strict(mode, tool(**settings), args)
    assert message.status == "success"
    assert sent(emulator) == envelope(feature, model, body)


def test_uploaded_inputs_are_the_files_given(
    emulator: OneMinAIEmulator, settings: dict[str, Any], files: Path
) -> None:
    run_strict(
        "sync", OneMinAIObjectRemoverTool(**settings), {"image": "apple.png", "mask": "mask.png"}
    )
    (request,) = features(emulator)
    image, mask = request["promptObject"]["imageUrl"], request["promptObject"]["maskUrl"]
    assert emulator.assets[image][0] == (files / "apple.png").read_bytes()
    assert emulator.assets[mask][0] == (files / "mask.png").read_bytes()


# -- what comes back: real files, saved; text as the content -----------------------------------


def mp4_boxes(data: bytes) -> list[str]:
    """The top-level box types of an ISO base media file, checking every size adds up."""
    boxes, offset = [], 0
    while offset < len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        assert size >= 8 and offset + size <= len(data)
        boxes.append(kind.decode("latin-1"))
        offset += size
    return boxes


def test_the_video_tool_saves_a_real_mp4(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any], tmp_path: Path
) -> None:
    message = run_strict(mode, OneMinAIVideoTool(**settings), {"prompt": "A paper boat"})
    (video,) = message.artifact["files"]
    path = Path(video["path"])
    assert path.parent == tmp_path / "out" and path.suffix == ".mp4"
    data = path.read_bytes()
    assert data == emulator.assets[video["asset_key"]][0]
    assert video["asset_key"].startswith("videos/") and video["mime_type"] == "video/mp4"
    assert {"ftyp", "moov", "mdat"} <= set(mp4_boxes(data))
    assert message.content == f"Generated 1 video with veo3-video: {video['url']} (saved to {path})"
    assert message.artifact["text"] is None and message.artifact["feature"] == "TEXT_TO_VIDEO"


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        (OneMinAIMusicTool, {"prompt": "calm piano"}),
        (OneMinAISoundEffectTool, {"prompt": "thunder"}),
        (OneMinAIVoiceChangerTool, {"audio": "memo.wav", "voice_id": "JBFqnCBsd6RMkjVDRZzb"}),
        (OneMinAIVoiceCloneTool, {"sample": "memo.wav", "text": "Welcome."}),
        (OneMinAIVoiceDesignTool, {"description": "a pirate", "text": "Ahoy!"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_audio_tools_save_real_audio(
    mode: str,
    emulator: OneMinAIEmulator,
    settings: dict[str, Any],
    tool: type[BaseTool],
    args: dict[str, Any],
) -> None:
    message = run_strict(mode, tool(**settings), args)
    (audio,) = message.artifact["files"]
    data = Path(audio["path"]).read_bytes()
    assert data == emulator.assets[audio["asset_key"]][0]
    assert audio["mime_type"] in ("audio/wav", "audio/mpeg")
    if audio["mime_type"] == "audio/wav":
        with wave.open(audio["path"], "rb") as sound:
            assert sound.getnframes() > 0
    assert audio["path"] in message.content


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        (OneMinAIBackgroundRemoverTool, {"image": "apple.png"}),
        (OneMinAIImageUpscalerTool, {"image": "apple.png"}),
        (OneMinAIFaceSwapTool, {"image": "apple.png", "face": "mask.png"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_image_operations_save_real_pngs_and_show_them(
    mode: str,
    emulator: OneMinAIEmulator,
    settings: dict[str, Any],
    tool: type[BaseTool],
    args: dict[str, Any],
) -> None:
    message = run_strict(mode, tool(**settings), args)
    (image,) = message.artifact["images"]
    data = Path(image["path"]).read_bytes()
    assert png_size(data)[0] > 0 and data == emulator.assets[image["asset_key"]][0]
    assert message.content[1] == {"type": "image", "url": image["url"], "mime_type": "image/png"}


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        (OneMinAIAudioTranslatorTool, {"audio": "memo.wav"}),
        (OneMinAIYouTubeTool, {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}),
        (OneMinAIWritingTool, {"task": "paraphrase", "text": "The cat sat on the mat."}),
        (OneMinAIContentGeneratorTool, {"kind": "x_tweet", "brief": "We shipped v2"}),
        (OneMinAICodeTool, {"prompt": "fizzbuzz"}),
        (OneMinAIImageToPromptTool, {"image": "apple.png"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_text_results_are_the_content(
    mode: str,
    emulator: OneMinAIEmulator,
    settings: dict[str, Any],
    tmp_path: Path,
    tool: type[BaseTool],
    args: dict[str, Any],
) -> None:
    message = run_strict(mode, tool(**settings), args)
    assert isinstance(message.content, str) and message.content.strip()
    assert not (tmp_path / "out").exists()  # typed text tools save nothing
    downloads = [r for r in emulator.requests if r.route == "download"]
    assert downloads == []


# -- refusals: nothing is sent, not even an upload ----------------------------------------------

# fmt: off
REFUSALS: list[tuple[type[BaseTool], dict[str, Any], str]] = [
    (OneMinAIVideoTool, {"prompt": "x", "duration": 7}, "veo3-video takes veo3_duration as one of 8s; got '7s'."),
    (OneMinAIVideoTool, {"prompt": "x", "model": "kling", "duration": 7}, "kling takes duration as one of 5, 10; got 7."),
    (OneMinAIVideoTool, {"prompt": "x", "model": "kling", "resolution": "1080p"}, "kling (TEXT_TO_VIDEO) takes no resolution."),
    (OneMinAIVideoTool, {"prompt": "x", "model": "sora-2", "aspect_ratio": "1:1"}, "sora-2 takes aspect_ratio 16:9, 9:16 (or a size in extras); got '1:1'."),
    (OneMinAIVideoTool, {"prompt": "x", "image": "apple.png", "negative_prompt": "y"}, "veo3-video (IMAGE_TO_VIDEO) takes no negative_prompt."),
    (OneMinAIVideoTool, {"prompt": "x", "model": "Qubico/hunyuan", "duration": 5}, "Qubico/hunyuan's TEXT_TO_VIDEO fields are not documented, so duration cannot be mapped; give the model's own fields in extras."),
    (OneMinAIVideoTool, {"prompt": "x", "extras": {"fps": 30}}, "veo3-video (TEXT_TO_VIDEO) takes no 'fps'. It takes: aspect_ratio, fast_mode, generate_audio, negativePrompt, prompt, reference_image_urls, resolution, task_type, veo3_duration."),
    (OneMinAIVideoTool, {"prompt": "x", "extras": {"veo3_duration": "8s"}}, "Set 'veo3_duration' with the tool's 'duration' argument, not in extras."),
    (OneMinAIVideoTool, {"prompt": " "}, "prompt must describe the video; it is empty."),
    (OneMinAIMusicTool, {"prompt": "x", "duration": 10}, "lyria-002 (MUSIC_GENERATOR) takes no duration."),
    (OneMinAIMusicTool, {"prompt": "x", "melody": "memo.wav"}, "lyria-002 (MUSIC_GENERATOR) takes no melody (only meta/musicgen does)."),
    (OneMinAIMusicTool, {"prompt": "x", "model": MUSICGEN, "duration": 60}, f"{MUSICGEN} takes duration from 1 to 30; got 60."),
    (OneMinAISoundEffectTool, {"prompt": "x", "duration": 45}, "elevenlabs-text-to-sound takes duration_seconds from 0.5 to 30; got 45.0."),
    (OneMinAIAudioTranslatorTool, {"audio": "memo.wav", "model": "whisper-1", "target_language": "fr"}, "whisper-1 translates into English only, not 'fr'; for another language use a Gemini model, e.g. model='gemini-2.5-flash' with source_language."),
    (OneMinAIAudioTranslatorTool, {"audio": "memo.wav", "target_language": "fr"}, "gemini-2.5-flash (AUDIO_TRANSLATOR) needs originalLanguage (language code, e.g. en, es, fr); give it with the 'source_language' argument."),
    (OneMinAIAudioTranslatorTool, {"audio": "memo.wav", "model": "whisper-1", "response_format": "mp3"}, "whisper-1 takes response_format as one of text, json, srt, verbose_json, vtt; got 'mp3'."),
    (OneMinAIVoiceCloneTool, {"sample": "memo.wav", "text": "x", "stability": 2}, "elevenlabs-voice-cloning takes voice_settings.stability from 0 to 1; got 2.0."),
    (OneMinAIVoiceDesignTool, {"description": "x", "text": "y", "output_format": "ogg"}, "elevenlabs-voice-design takes output_format as one of mp3_44100_128, mp3_44100_64, mp3_44100_96, mp3_44100_192, mp3_22050_32, pcm_16000, pcm_22050, pcm_24000, pcm_44100; got 'ogg'."),
    (OneMinAIYouTubeTool, {"url": "https://vimeo.com/1"}, "url must be a YouTube video's URL (https://www.youtube.com/watch?v=...); got 'https://vimeo.com/1'."),
    (OneMinAIWritingTool, {"task": "grammar", "text": "x", "tone": "formal"}, "The grammar task takes no tone."),
    (OneMinAIWritingTool, {"task": "translate", "text": "x", "language": "es"}, "gpt-4o-mini (CONTENT_TRANSLATOR) needs originalLanguage (ISO code, e.g. en); give it with the 'source_language' argument."),
    (OneMinAIContentGeneratorTool, {"kind": "email_reply", "brief": "Say yes"}, "gpt-4o-mini (CONTENT_GENERATOR_EMAIL_REPLY) needs originalEmail (the email being answered; web-app only); give it with the 'original_email' argument."),
    (OneMinAIContentGeneratorTool, {"kind": "email", "brief": "x", "original_email": "y"}, "original_email is for kind='email_reply' only."),
    (OneMinAICodeTool, {"prompt": "x", "num_sites": 3}, "num_sites and max_words apply with web_search=true only."),
    (OneMinAIBackgroundRemoverTool, {"image": "apple.png", "output_format": "gif"}, "stable-image takes output_format as one of png, jpeg, webp; got 'gif'."),
    (OneMinAIImageExtenderTool, {"image": "apple.png"}, "Say how far to extend: give at least one of left, right, up, down (in pixels)."),
    (OneMinAIImageExtenderTool, {"image": "apple.png", "left": -5}, "stable-image takes left from 0 to 2000; got -5."),
    (OneMinAIInpaintingTool, {"image": "apple.png", "mask": "mask.png", "prompt": "x", "model": "stable-image", "output_format": "png"}, "stable-image takes output_format as one of jpeg; got 'png'."),
    (OneMinAIFaceSwapTool, {"image": "apple.png", "face": "mask.png", "n": 5}, "dzine takes n from 1 to 4; got 5."),
    (OneMinAISketchToImageTool, {"image": "apple.png", "prompt": "x", "control_strength": 1.5}, "stable-image takes control_strength from 0 to 1; got 1.5."),
    (OneMinAIObjectRemoverTool, {"image": "../apple.png", "mask": "mask.png"}, "is outside root_dir"),
]
# fmt: on


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    REFUSALS,
    ids=[f"{t.__name__}-{i}" for i, (t, _, _) in enumerate(REFUSALS)],
)
def test_refusals_send_nothing(
    mode: str,
    emulator: OneMinAIEmulator,
    settings: dict[str, Any],
    tool: type[BaseTool],
    args: dict[str, Any],
    message: str,
) -> None:
    result = run(mode, tool(**settings), args)
    assert result.status == "error"
    assert message in result.content
    assert emulator.requests == []


def test_the_video_call_is_long_and_the_users_timeout_wins(settings: dict[str, Any]) -> None:
    plan = OneMinAIVideoTool(**settings)._plan
    from langchain_oneminai._media._feature_schemas import VideoInput

    call = plan(VideoInput(prompt="x"))
    assert call.timeout == 600
    assert OneMinAIVideoTool(**settings)._generation_timeout(call.timeout) == 600
    assert OneMinAIVideoTool(**settings, timeout=30)._generation_timeout(call.timeout) == 30


# -- the generic tool --------------------------------------------------------------------------


def test_the_generic_tool_runs_a_feature_no_typed_tool_covers(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any], files: Path, tmp_path: Path
) -> None:
    tool = OneMinAIFeatureTool(
        feature="VOICE_ISOLATOR", file_fields={"audioUrl": "audio"}, **settings
    )
    assert tool.name == "oneminai_voice_isolator" and tool.model == "elevenlabs-voice-isolator"
    message = run_strict(mode, tool, {"fields": {"audioUrl": "memo.wav"}})
    assert [r.route for r in emulator.requests] == ["models", "assets", "features", "download"]
    assert sent(emulator) == {
        "type": "VOICE_ISOLATOR",
        "model": "elevenlabs-voice-isolator",
        "promptObject": {"audioUrl": UPLOAD},
    }
    (audio,) = message.artifact["files"]
    assert Path(audio["path"]).read_bytes() == emulator.assets[audio["asset_key"]][0]
    assert audio["asset_key"].startswith("audios/")


def test_the_generic_tool_takes_the_tables_defaults(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    tool = OneMinAIFeatureTool(
        feature="image_to_video", prompt_object={"prompt": "It sways"}, **settings
    )
    assert (tool.feature, tool.model, tool.conversation_id) == (
        "IMAGE_TO_VIDEO",
        "veo3-video",
        "IMAGE_TO_VIDEO",
    )
    assert tool.file_fields == {"imageUrl": "image", "image": "image", "tail_image_url": "image"}
    message = run_strict(mode, tool, {"fields": {"imageUrl": "apple.png", "resolution": "720p"}})
    assert sent(emulator) == envelope(
        "IMAGE_TO_VIDEO",
        "veo3-video",
        {"imageUrl": UPLOAD, "prompt": "It sways", "resolution": "720p"},
    )
    (video,) = message.artifact["files"]
    assert Path(video["path"]).suffix == ".mp4"


def test_the_generic_tool_saves_a_3d_model(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    tool = OneMinAIFeatureTool(
        feature="IMAGE_3D_GENERATOR", file_fields={"imageUrl": "image"}, **settings
    )
    message = run_strict(mode, tool, {"fields": {"imageUrl": "apple.png"}})
    (model,) = message.artifact["files"]
    data = Path(model["path"]).read_bytes()
    assert data[:4] == b"glTF" and struct.unpack("<I", data[8:12])[0] == len(data)
    assert str(message.content).startswith("Generated 1 3D model with Qubico/trellis: ")


def test_the_generic_tool_with_its_own_schema(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any], tmp_path: Path
) -> None:
    from pydantic import BaseModel

    class Transcribe(BaseModel):
        videoUrl: str  # noqa: N815 - the promptObject field
        language: str = "English"

    tool = OneMinAIFeatureTool(
        feature="YOUTUBE_TRANSCRIBER",
        args_schema=Transcribe,
        name="transcribe_youtube",
        description="Transcribe a YouTube video.",
        **settings,
    )
    message = run_strict(mode, tool, {"videoUrl": "https://youtu.be/x"})
    assert sent(emulator) == {
        "type": "YOUTUBE_TRANSCRIBER",
        "model": "gpt-4o-mini",
        "promptObject": {"videoUrl": "https://youtu.be/x", "language": "English"},
    }
    assert message.content == message.artifact["text"] and message.content
    (text,) = message.artifact["files"]  # a text result is saved too
    assert Path(text["path"]).read_text() == message.content
    assert Path(text["path"]).parent == tmp_path / "out"


def test_the_generic_tool_refuses_a_model_the_catalog_lacks(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    tool = OneMinAIFeatureTool(feature="TEXT_TO_VIDEO", model="sora-3", **settings)
    result = run(mode, tool, {"prompt": "x"})
    assert result.status == "error"
    assert str(result.content).startswith(
        "'sora-3' is not a TEXT_TO_VIDEO model of 1min.ai's catalog. Did you mean 'sora-2', 'sora-2-pro'?"
    )
    assert [r.route for r in emulator.requests] == ["models"]  # nothing else was sent


def test_without_a_catalog_the_server_decides(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    emulator.add_fault(Fault(status=503), route="models", times=None)
    tool = OneMinAIFeatureTool(feature="TEXT_TO_VIDEO", model="sora-3", max_retries=0, **settings)
    result = run(mode, tool, {"prompt": "x"})
    assert result.status == "error"
    assert "UNSUPPORTED_MODEL" in result.content or "not support" in result.content
    assert [r.route for r in emulator.requests] == ["models", "features"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"feature": "CHAT_WITH_AI"},
            "CHAT_WITH_AI is a chat type, which /api/features rejects; use ChatOneMinAI.",
        ),
        ({"feature": "HOLOGRAM_MAKER"}, "HOLOGRAM_MAKER is not in the feature table; give model=."),
        ({"feature": ""}, "feature must be a 1min.ai feature type"),
    ],
)
def test_the_generic_tool_refuses_what_it_cannot_send(
    arguments: dict[str, Any], message: str
) -> None:
    from langchain_oneminai.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as caught:
        OneMinAIFeatureTool(**arguments)
    assert message in str(caught.value)


# -- the toolkit ----------------------------------------------------------------------------


def test_the_toolkit_hands_out_the_chosen_tools_on_one_client(settings: dict[str, Any]) -> None:
    default = OneMinAIToolkit(**settings).get_tools()
    assert [t.name for t in default] == [
        "oneminai_image_generator",
        "oneminai_image_editor",
        "oneminai_text_to_speech",
        "oneminai_speech_to_text",
    ]
    studio = OneMinAIToolkit(
        include=["video", "OneMinAIMusicTool", "oneminai_code_generator"], **settings
    )
    tools = studio.get_tools()
    assert [t.name for t in tools] == [
        "oneminai_video_generator",
        "oneminai_music_generator",
        "oneminai_code_generator",
    ]
    assert len({id(t._client()) for t in tools}) == 1  # type: ignore[attr-defined]
    everything = OneMinAIToolkit(
        include="all", exclude=["voice", "oneminai_image_editor"]
    ).get_tools()
    names = [t.name for t in everything]
    assert len(names) == len(set(names)) == 21
    assert "oneminai_voice_clone" not in names and "oneminai_image_editor" not in names


def test_the_agent_gets_one_tool_message_per_call(
    emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    tool = OneMinAIVideoTool(**settings)
    message = tool.invoke(
        {"args": {"prompt": "x"}, "id": "c1", "name": tool.name, "type": "tool_call"}
    )
    assert isinstance(message, ToolMessage) and message.tool_call_id == "c1"


def test_typed_features_without_a_tool_run_through_the_generic_one(
    mode: str, emulator: OneMinAIEmulator, settings: dict[str, Any]
) -> None:
    """CAPTIONS_GENERATOR and VIDEO_FACE_SWAPPER have sourced fields but no typed tool: the
    generic tool sends them with the table's file fields, here on a video made just before."""
    made = run_strict(mode, OneMinAIVideoTool(**settings), {"prompt": "A speaker on a stage"})
    video = made.artifact["files"][0]["asset_key"]
    captions = OneMinAIFeatureTool(feature="CAPTIONS_GENERATOR", **settings)
    assert captions.file_fields == {"videoUrl": "video"}
    message = run_strict(mode, captions, {"fields": {"videoUrl": video, "language": "en"}})
    assert features(emulator)[-1] == {
        "type": "CAPTIONS_GENERATOR",
        "model": "whisper-1",
        "conversationId": "CAPTIONS_GENERATOR",
        "promptObject": {"videoUrl": video, "language": "en"},
    }
    assert message.artifact["text"] and message.artifact["files"][0]["path"].endswith(".txt")
    swap = OneMinAIFeatureTool(feature="VIDEO_FACE_SWAPPER", **settings)
    swapped = run_strict(
        mode, swap, {"fields": {"targetVideoUrl": video, "swapImageUrl": "apple.png"}}
    )
    body = features(emulator)[-1]["promptObject"]
    assert body["targetVideoUrl"] == video and body["swapImageUrl"].startswith("images/")
    assert Path(swapped.artifact["files"][0]["path"]).suffix == ".mp4"
