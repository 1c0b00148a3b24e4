"""The media tools' pure halves as tables: the exact promptObject per model family, every
refused value (with its message), transcript shapes, inputs, and tool output shaping."""

from __future__ import annotations

from typing import Any

import pytest

from langchain_oneminai._media._families import (
    DALL_E_3,
    GENERIC,
    GPT_IMAGE_1,
    LEONARDO,
    MAGIC_ART,
    RECRAFT_VARIATION,
    REPLICATE,
    image_family,
)
from langchain_oneminai._media._params import (
    IMAGE_EDITOR,
    IMAGE_GENERATOR,
    IMAGE_VARIATOR,
    ImageOptions,
    MediaSource,
    edit_feature,
    gpt_image_2_size_for,
    image_prompt_object,
    media_source,
    stt_prompt_object,
    tts_prompt_object,
)
from langchain_oneminai._media._results import (
    MediaFile,
    ResultFile,
    file_name,
    image_content,
    media_file,
    result_files,
    speech_content,
    transcript_from_result,
    url_file_name,
)
from langchain_oneminai._wire import parse_record
from langchain_oneminai.errors import InvalidInputError, ResponseError

Opt = ImageOptions
G, E, V = IMAGE_GENERATOR, IMAGE_EDITOR, IMAGE_VARIATOR
LEONARDO_ID = "e71a1c2f-4f80-4800-934f-2c68979d8cc8"
KEY = "images/2024_09_30_13_38_59_100_example.png"

# -- image generation ---------------------------------------------------------------------

# fmt: off
GENERATION: list[tuple[str, str, ImageOptions, dict[str, Any]]] = [
    ("dall-e-3", "A serene lake at dawn", Opt(n=1, size="1024x1024", quality="hd", style="natural"), {"prompt": "A serene lake at dawn", "n": 1, "size": "1024x1024", "quality": "hd", "style": "natural"}),  # wire.md#image-fields-per-model-family example, verbatim
    ("dall-e-3", "p", Opt(aspect_ratio="16:9", quality="HD", style="Vivid"), {"prompt": "p", "size": "1792x1024", "quality": "hd", "style": "vivid"}),
    ("dall-e-3", "p", Opt(aspect_ratio="9:16"), {"prompt": "p", "size": "1024x1792"}),
    ("dall-e-3", "p", Opt(), {"prompt": "p"}),
    ("dall-e-2", "p", Opt(n=10, size="512x512"), {"prompt": "p", "n": 10, "size": "512x512"}),
    ("dall-e-2", "p", Opt(aspect_ratio="1:1"), {"prompt": "p", "size": "1024x1024"}),
    ("gpt-image-1", "p", Opt(n=2, size="1536x1024", quality="high", style="photo", output_format="webp", extras={"background": "transparent", "output_compression": 85}), {"prompt": "p", "n": 2, "size": "1536x1024", "quality": "high", "style": "photo", "output_format": "webp", "background": "transparent", "output_compression": 85}),
    ("gpt-image-1-mini", "p", Opt(aspect_ratio="2:3"), {"prompt": "p", "size": "1024x1536"}),
    ("gpt-image-2", "p", Opt(size="1536x864"), {"prompt": "p", "size": "1536x864", "quality": "medium"}),
    ("gpt-image-2", "p", Opt(aspect_ratio="16:9", quality="high", n=2), {"prompt": "p", "n": 2, "size": "1360x768", "quality": "high"}),
    ("gpt-image-2", "p", Opt(size="3840x2160"), {"prompt": "p", "size": "3840x2160", "quality": "medium"}),
    ("black-forest-labs/flux-1.1-pro", "p", Opt(size="1024x768", n=1, extras={"seed": 7, "safety_tolerance": 2, "prompt_upsampling": True}), {"prompt": "p", "width": 1024, "height": 768, "seed": 7, "safety_tolerance": 2, "prompt_upsampling": True}),
    ("black-forest-labs/flux-1.1-pro", "p", Opt(aspect_ratio="3:2"), {"prompt": "p", "aspect_ratio": "3:2"}),
    ("black-forest-labs/flux-pro", "p", Opt(output_format="png", extras={"steps": 25, "interval": 2}), {"prompt": "p", "output_format": "png", "steps": 25, "interval": 2}),
    ("black-forest-labs/flux-dev", "p", Opt(aspect_ratio="21:9", output_format="webp", extras={"num_inference_steps": 28, "go_fast": True}), {"prompt": "p", "aspect_ratio": "21:9", "output_format": "webp", "num_inference_steps": 28, "go_fast": True}),
    ("black-forest-labs/flux-2-pro", "p", Opt(aspect_ratio="1:1", extras={"steps": 50, "guidance": 2, "safety_tolerance": 6}), {"prompt": "p", "aspect_ratio": "1:1", "steps": 50, "guidance": 2, "safety_tolerance": 6}),
    ("black-forest-labs/flux-schnell", "a cat", Opt(n=1, aspect_ratio="1:1", output_format="webp"), {"prompt": "a cat", "num_outputs": 1, "aspect_ratio": "1:1", "output_format": "webp"}),  # wire.md#asset-downloads record, verbatim
    ("black-forest-labs/flux-krea-dev", "p", Opt(n=2, extras={"raw": True}), {"prompt": "p", "num_outputs": 2, "raw": True}),
    ("gemini-3.1-flash-image-preview", "p", Opt(size="2k", extras={"temperature": 0.4, "topP": 0.9}), {"prompt": "p", "imageSize": "2K", "temperature": 0.4, "topP": 0.9}),
    ("gemini-2.5-flash-image", "p", Opt(aspect_ratio="16:9", n=1), {"prompt": "p", "aspectRatio": "16:9"}),
    ("magic-art", "p", Opt(), {"prompt": "p", "n": 4, "mode": "fast", "isNiji6": False, "aspect_width": 1, "aspect_height": 1, "maintainModeration": True}),
    ("midjourney_7_0", "p", Opt(n=4, aspect_ratio="7:4", extras={"mode": "relax", "stylize": 100, "negativePrompt": "text"}), {"prompt": "p", "n": 4, "aspect_width": 7, "aspect_height": 4, "mode": "relax", "stylize": 100, "negativePrompt": "text", "isNiji6": False, "maintainModeration": True}),
    (LEONARDO_ID, "p", Opt(n=2, size="1024x768", extras={"negativePrompt": "blur"}), {"prompt": "p", "n": 2, "size": "1024x768", "negativePrompt": "blur"}),
    ("stable-diffusion-xl-1024-v1-0", "p", Opt(n=2, size="1024x1024", extras={"cfg_scale": 7, "steps": 30}), {"prompt": "p", "samples": 2, "size": "1024x1024", "cfg_scale": 7, "steps": 30}),
    ("dzine", "p", Opt(n=1, size="1024x1024", quality="high", output_format="png", extras={"style_code": "S1"}), {"prompt": "p", "n": 1, "size": "1024x1024", "quality": "HIGH", "output_format": "png", "style_code": "S1"}),
    ("qwen-image-plus", "p", Opt(n=3, size="1328x1328", quality="hd", style="vivid", output_format="png", extras={"seed": 1}), {"prompt": "p", "n": 3, "size": "1328x1328", "quality": "hd", "style": "vivid", "output_format": "png", "seed": 1}),
    ("recraft", "p", Opt(aspect_ratio="4:3"), {"prompt": "p", "aspect_ratio": "4:3"}),
]
# fmt: on


@pytest.mark.parametrize(("model", "prompt", "options", "expected"), GENERATION)
def test_generation_prompt_object(
    model: str, prompt: str, options: ImageOptions, expected: dict[str, Any]
) -> None:
    assert image_prompt_object(G, model, prompt, options) == expected


# fmt: off
EDITS: list[tuple[str, str, str | None, ImageOptions, dict[str, Any]]] = [
    (E, "gpt-image-2", "Change the car in the centre to a red convertible", Opt(size="1024x1024", quality="medium", n=1, output_format="webp", extras={"background": "auto", "output_compression": 90}), {"imageUrl": KEY, "prompt": "Change the car in the centre to a red convertible", "size": "1024x1024", "quality": "medium", "n": 1, "background": "auto", "output_format": "webp", "output_compression": 90}),  # wire.md#image-variation-and-editing example, verbatim
    (E, "gpt-image-1-mini", "Add a hat", Opt(), {"imageUrl": KEY, "prompt": "Add a hat"}),
    (E, "black-forest-labs/flux-kontext-pro", "Make it night", Opt(aspect_ratio="1:1"), {"imageUrl": KEY, "prompt": "Make it night", "aspect_ratio": "1:1"}),
    (E, "qwen-image-edit-plus", "Remove the dog", Opt(extras={"seed": 3}), {"imageUrl": KEY, "prompt": "Remove the dog", "seed": 3}),
    (V, "magic-art", None, Opt(), {"imageUrl": KEY, "mode": "fast", "n": 4, "isNiji6": False, "aspect_width": 1, "aspect_height": 1, "maintainModeration": True}),  # wire.md#image-variation-and-editing example, verbatim
    (V, "dall-e-2", None, Opt(n=2, size="512x512"), {"imageUrl": KEY, "n": 2, "size": "512x512"}),
    (V, "dall-e-2", "   ", Opt(), {"imageUrl": KEY}),
    (V, "recraft", None, Opt(n=1, size="1024x1024", output_format="png", extras={"random_seed": 9}), {"imageUrl": KEY, "n": 1, "size": "1024x1024", "image_format": "png", "random_seed": 9}),
    (V, "black-forest-labs/flux-redux-schnell", None, Opt(n=2), {"imageUrl": KEY, "num_outputs": 2}),
]
# fmt: on


@pytest.mark.parametrize(("feature", "model", "prompt", "options", "expected"), EDITS)
def test_edit_and_variation_prompt_object(
    feature: str, model: str, prompt: str | None, options: ImageOptions, expected: dict[str, Any]
) -> None:
    assert {"imageUrl": KEY, **image_prompt_object(feature, model, prompt, options)} == expected


# fmt: off
REFUSED: list[tuple[str, str, str | None, ImageOptions, str]] = [
    (G, "dall-e-3", "p", Opt(n=2), "dall-e-3 makes one image per call; n must be 1, got 2."),
    (G, "dall-e-3", "p", Opt(size="512x512"), "dall-e-3 takes size 1024x1024, 1024x1792, 1792x1024; got '512x512'."),
    (G, "dall-e-3", "p", Opt(quality="ultra"), "dall-e-3 takes quality standard, hd; got 'ultra'."),
    (G, "dall-e-3", "p", Opt(style="anime"), "dall-e-3 takes style vivid, natural; got 'anime'."),
    (G, "dall-e-3", "p", Opt(output_format="png"), "dall-e-3 takes no output_format. It takes: n, prompt, quality, size, style."),
    (G, "dall-e-3", "p", Opt(aspect_ratio="4:3"), "dall-e-3 has no size with aspect ratio 4:3; its sizes are 1024x1024, 1024x1792, 1792x1024."),
    (G, "dall-e-3", "p", Opt(size="1024x1024", aspect_ratio="1:1"), "Give size or aspect_ratio, not both."),
    (G, "dall-e-3", "p", Opt(extras={"seed": 1}), "dall-e-3 takes no 'seed'. It takes: n, prompt, quality, size, style."),
    (G, "dall-e-3", "p", Opt(extras={"n": 1}), "Set 'n' with the 'n' argument, not in extras."),
    (G, "dall-e-2", "p", Opt(n=11), "dall-e-2 takes n from 1 to 10; got 11."),
    (G, "dall-e-2", "p", Opt(n=0), "n must be a whole number of images, at least 1; got 0."),
    (G, "dall-e-2", "p", Opt(quality="hd"), "dall-e-2 takes no quality. It takes: n, prompt, size."),
    (G, "gpt-image-1", "p", Opt(output_format="gif"), "gpt-image-1 takes output_format png, jpeg, webp; got 'gif'."),
    (G, "gpt-image-1", "p", Opt(aspect_ratio="16:9"), "gpt-image-1 has no size with aspect ratio 16:9; its sizes are 1024x1024, 1024x1536, 1536x1024."),
    (G, "gpt-image-1-mini", "p", Opt(extras={"background": "auto"}), "gpt-image-1-mini (gpt-image-1 family) takes background as one of opaque, transparent; got 'auto'."),
    (G, "gpt-image-2", "p", Opt(size="1000x1000"), "gpt-image-2 cannot make a 1000x1000 image: both sides must be multiples of 16."),
    (G, "gpt-image-2", "p", Opt(size="512x512"), "gpt-image-2 cannot make a 512x512 image: it must have 655,360 to 8,294,400 pixels (it has 262,144)."),
    (G, "gpt-image-2", "p", Opt(size="4096x1024"), "gpt-image-2 cannot make a 4096x1024 image: the longest side must be at most 3840; the aspect ratio must be at most 3:1."),
    (G, "gpt-image-2", "p", Opt(size="3072x832"), "gpt-image-2 cannot make a 3072x832 image: the aspect ratio must be at most 3:1."),
    (G, "gpt-image-2", "p", Opt(size="3856x2160"), "gpt-image-2 cannot make a 3856x2160 image: it must have 655,360 to 8,294,400 pixels (it has 8,328,960); the longest side must be at most 3840."),
    (G, "gpt-image-2", "p", Opt(aspect_ratio="4:1"), "gpt-image-2 cannot make a 4:1 image: the aspect ratio must be at most 3:1."),
    (G, "gpt-image-2", "p", Opt(size="big"), "size must look like '1024x1024'; got 'big'."),
    (G, "black-forest-labs/flux-schnell", "p", Opt(size="1024x1024"), "black-forest-labs/flux-schnell (flux-schnell family) takes no size. Give aspect_ratio (e.g. '16:9') instead. It takes: aspect_ratio, num_outputs, output_format, prompt."),
    (G, "black-forest-labs/flux-schnell", "p", Opt(quality="hd"), "black-forest-labs/flux-schnell (flux-schnell family) takes no quality. It takes: aspect_ratio, num_outputs, output_format, prompt."),
    (G, "black-forest-labs/flux-schnell", "p", Opt(extras={"seed": 1}), "black-forest-labs/flux-schnell (flux-schnell family) takes no 'seed'. It takes: aspect_ratio, num_outputs, output_format, prompt."),
    (G, "black-forest-labs/flux-schnell", "p", Opt(aspect_ratio="wide"), "aspect_ratio must look like '16:9'; got 'wide'."),
    (G, "black-forest-labs/flux-schnell", "p", Opt(aspect_ratio="0:1"), "aspect_ratio must look like '16:9'; got '0:1'."),
    (G, "black-forest-labs/flux-1.1-pro", "p", Opt(n=2), "black-forest-labs/flux-1.1-pro (flux-1.1-pro family) makes one image per call; n must be 1, got 2."),
    (G, "black-forest-labs/flux-1.1-pro", "p", Opt(output_format="png"), "black-forest-labs/flux-1.1-pro (flux-1.1-pro family) takes no output_format. It takes: aspect_ratio, height, image_prompt, output_quality, prompt, prompt_upsampling, safety_tolerance, seed, width."),
    (G, "black-forest-labs/flux-1.1-pro", "p", Opt(extras={"width": 512}), "Set 'width' with the 'size' argument, not in extras."),
    (G, "black-forest-labs/flux-2-pro", "p", Opt(extras={"steps": 10}), "black-forest-labs/flux-2-pro (flux-2-pro family) takes steps between 15 and 50; got 10."),
    (G, "black-forest-labs/flux-2-pro", "p", Opt(extras={"guidance": 6}), "black-forest-labs/flux-2-pro (flux-2-pro family) takes guidance between 2 and 5; got 6."),
    (G, "black-forest-labs/flux-2-pro", "p", Opt(extras={"safety_tolerance": "high"}), "black-forest-labs/flux-2-pro (flux-2-pro family) takes safety_tolerance between 1 and 6; got 'high'."),
    (G, "gemini-3.1-flash-image-preview", "p", Opt(size="1024x1024"), "gemini-3.1-flash-image-preview (gemini image family) takes size 512, 1K, 2K, 4K; got '1024x1024'."),
    (G, "gemini-3.1-flash-image-preview", "p", Opt(n=2), "gemini-3.1-flash-image-preview (gemini image family) makes one image per call; n must be 1, got 2."),
    (G, "magic-art", "p", Opt(aspect_ratio="16:9"), "magic-art (magic-art/midjourney family) takes aspect ratios whose sides are 1 to 7 (aspect_width/aspect_height), e.g. '7:4'; got '16:9'."),
    (G, "magic-art", "p", Opt(aspect_ratio="1:9"), "magic-art (magic-art/midjourney family) takes aspect ratios whose sides are 1 to 7 (aspect_width/aspect_height), e.g. '7:4'; got '1:9'."),
    (G, "magic-art", "p", Opt(n=1), "magic-art (magic-art/midjourney family) makes 4 images per call; n must be 4 (or left out), got 1."),
    (G, "midjourney", "p", Opt(extras={"mode": "turbo"}), "midjourney (magic-art/midjourney family) takes mode as one of fast, relax; got 'turbo'."),
    (G, "midjourney", "p", Opt(extras={"aspect_width": 2}), "Set 'aspect_width' with the 'aspect_ratio' argument, not in extras."),
    (G, LEONARDO_ID, "p", Opt(aspect_ratio="1:1"), f"{LEONARDO_ID} (Leonardo family) takes no aspect_ratio; give size instead. It takes: n, negativePrompt, prompt, size."),
    (G, "stable-diffusion-xl-1024-v1-0", "p", Opt(extras={"samples": 2}), "Set 'samples' with the 'n' argument, not in extras."),
    (G, "dzine", "p", Opt(quality="ultra"), "dzine takes quality STANDARD, HIGH; got 'ultra'."),
    (G, "dzine", "p", Opt(style="anime"), "dzine takes no style. It takes: face_match, n, output_format, prompt, quality, seed, size, style_base_model, style_code, style_intensity."),
    (G, "qwen-image-plus", "p", Opt(extras={"bad": object()}), "extras must be JSON values: Object of type object is not JSON serializable."),
    (G, "qwen-image-plus", "", Opt(), "prompt must describe the image; it is empty."),
    (G, "qwen-image-plus", "   ", Opt(), "prompt must describe the image; it is empty."),
    (G, "qwen-image-plus", "p", Opt(extras={"prompt": "other"}), "Set 'prompt' with the 'prompt' argument, not in extras."),
    (E, "gpt-image-1-mini", None, Opt(), "prompt must describe the image; it is empty."),
    (E, "gpt-image-2", "p", Opt(size="100x100"), "gpt-image-2 cannot make a 100x100 image: both sides must be multiples of 16; it must have 655,360 to 8,294,400 pixels (it has 10,000)."),
    (V, "dall-e-2", "make it blue", Opt(), "Image variations take no prompt; to change the picture as a prompt says, edit it instead (operation='edit')."),
    (V, "magic-art", None, Opt(extras={"prompt": "x"}), "Set 'prompt' with the 'prompt' argument, not in extras."),
    (V, "recraft", None, Opt(quality="hd"), "recraft takes no quality. It takes: image_format, n, random_seed, size."),
    (V, "dall-e-2", None, Opt(n=11), "dall-e-2 takes n from 1 to 10; got 11."),
]
# fmt: on


@pytest.mark.parametrize(("feature", "model", "prompt", "options", "message"), REFUSED)
def test_refused_values(
    feature: str, model: str, prompt: str | None, options: ImageOptions, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        image_prompt_object(feature, model, prompt, options)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("model", "feature", "family"),
    [
        ("dall-e-3", G, DALL_E_3),
        ("gpt-image-1-mini", E, GPT_IMAGE_1),
        ("magic-art_6_1", V, MAGIC_ART),
        ("midjourney", G, MAGIC_ART),
        ("recraft", V, RECRAFT_VARIATION),
        ("recraft", G, GENERIC),
        ("2067AE52-33FD-4A82-BB92-C2C55E7D2786", G, LEONARDO),
        ("black-forest-labs/flux-1.1-pro-ultra", G, REPLICATE),
        ("grok-2-image-1212", G, GENERIC),
    ],
)
def test_family_resolution(model: str, feature: str, family: object) -> None:
    assert image_family(model, feature) is family


@pytest.mark.parametrize(
    ("ratio", "size"),
    [
        ((1, 1), "1024x1024"),
        ((16, 9), "1360x768"),
        ((9, 16), "768x1360"),
        ((3, 1), "1776x592"),
        ((3, 2), "1248x832"),
    ],
)
def test_gpt_image_2_sizes_from_ratios_keep_every_rule(ratio: tuple[int, int], size: str) -> None:
    assert gpt_image_2_size_for(*ratio) == size
    width, height = map(int, size.split("x"))
    assert width % 16 == 0 and height % 16 == 0
    assert 655_360 <= width * height <= 8_294_400


@pytest.mark.parametrize(
    ("operation", "prompt", "feature"),
    [
        (None, "Add a hat", E),
        (None, None, V),
        (None, "  ", V),
        ("edit", "x", E),
        ("variation", None, V),
        ("variation", "x", V),
    ],
)
def test_edit_feature(operation: str | None, prompt: str | None, feature: str) -> None:
    assert edit_feature(operation, prompt) == feature


@pytest.mark.parametrize(
    ("operation", "prompt", "message"),
    [
        ("edit", None, "operation='edit' needs a prompt saying what to change."),
        ("edit", " ", "operation='edit' needs a prompt saying what to change."),
        ("erase", "x", "operation must be 'edit' or 'variation'; got 'erase'."),
    ],
)
def test_edit_feature_refusals(operation: str, prompt: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        edit_feature(operation, prompt)
    assert str(caught.value) == message


# -- speech -------------------------------------------------------------------------------

# fmt: off
TTS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("tts-1", "Hello, this is a sample text to speech conversion using OpenAI.", {"voice": "alloy", "response_format": "mp3", "speed": 1}, {"text": "Hello, this is a sample text to speech conversion using OpenAI.", "voice": "alloy", "response_format": "mp3", "speed": 1}),  # wire.md#text-to-speech example, verbatim
    ("tts-1", "Hi", {}, {"text": "Hi", "voice": "alloy"}),
    ("tts-1-hd", "Hi", {"voice": "NOVA", "response_format": "WAV", "speed": 0.25}, {"text": "Hi", "voice": "nova", "response_format": "wav", "speed": 0.25}),
    ("tts-1", "x" * 4096, {"speed": 4}, {"text": "x" * 4096, "voice": "alloy", "speed": 4}),
    ("elevenlabs-tts", "Hi", {"voice": "Rachel", "response_format": "mp3"}, {"text": "Hi", "voice": "Rachel", "response_format": "mp3"}),
    ("google-tts", "Hi", {}, {"text": "Hi"}),
]
# fmt: on


@pytest.mark.parametrize(("model", "text", "options", "expected"), TTS)
def test_tts_prompt_object(
    model: str, text: str, options: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert tts_prompt_object(model, text, **options) == expected


# fmt: off
TTS_REFUSED: list[tuple[str, str, dict[str, Any], str]] = [
    ("tts-1", "", {}, "text must be the words to speak; it is empty."),
    ("tts-1", "  \n", {}, "text must be the words to speak; it is empty."),
    ("tts-1", "x" * 4097, {}, "1min.ai speaks at most 4096 characters per call; this text has 4097. Split it and call the tool once per part."),
    ("google-tts", "é" * 4097, {}, "1min.ai speaks at most 4096 characters per call; this text has 4097. Split it and call the tool once per part."),
    ("tts-1", "hi", {"voice": "bob"}, "tts-1 speaks with the voices alloy, echo, fable, onyx, nova, shimmer; got 'bob'."),
    ("tts-1", "hi", {"response_format": "ogg"}, "tts-1 writes the formats mp3, opus, aac, flac, wav, pcm; got 'ogg'."),
    ("tts-1", "hi", {"speed": 0.2}, "speed must be between 0.25 and 4; got 0.2."),
    ("elevenlabs-tts", "hi", {"speed": 4.5}, "speed must be between 0.25 and 4; got 4.5."),
]
# fmt: on


@pytest.mark.parametrize(("model", "text", "options", "message"), TTS_REFUSED)
def test_tts_refusals(model: str, text: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        tts_prompt_object(model, text, **options)
    assert str(caught.value) == message


# fmt: off
STT: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("whisper-1", {}, {"response_format": "text"}),  # wire.md#whisper-request
    ("whisper-1", {"response_format": "VERBOSE_JSON", "language": "en"}, {"response_format": "verbose_json", "language": "en"}),
    ("latest_short", {"language": "en-US"}, {"language": "en-US"}),  # wire.md#google-speech-models (audioUrl added after the upload)
    ("medical_conversation", {"language": " vi-VN "}, {"language": "vi-VN"}),
    ("gpt-4o-transcribe", {}, {}),
    ("gpt-4o-transcribe", {"language": "fr", "response_format": "json"}, {"response_format": "json", "language": "fr"}),
]
# fmt: on


@pytest.mark.parametrize(("model", "options", "expected"), STT)
def test_stt_prompt_object(model: str, options: dict[str, Any], expected: dict[str, Any]) -> None:
    assert stt_prompt_object(model, **options) == expected


# fmt: off
STT_REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("latest_short", {}, "latest_short needs the language of the audio as a BCP-47 tag, e.g. language='en-US' or 'vi-VN'."),
    ("telephony_short", {"language": "  "}, "telephony_short needs the language of the audio as a BCP-47 tag, e.g. language='en-US' or 'vi-VN'."),
    ("telephony", {"language": "en-US", "response_format": "text"}, "telephony takes no response_format (only whisper-1 does); leave it out."),
    ("whisper-1", {"response_format": "mp3"}, "whisper-1 takes response_format text, json, srt, verbose_json, vtt; got 'mp3'."),
]
# fmt: on


@pytest.mark.parametrize(("model", "options", "message"), STT_REFUSED)
def test_stt_refusals(model: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        stt_prompt_object(model, **options)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("result", "transcript"),
    [
        (["Transcribed text here."], "Transcribed text here."),
        ("Transcribed text here.", "Transcribed text here."),
        ('{"text": "Hi there"}', "Hi there"),
        (['{"text": "Hi there"}'], "Hi there"),
        ('  {"task": "transcribe", "text": "Hi", "segments": []}\n', "Hi"),
        ({"text": "From an object"}, "From an object"),
        (["first", "second"], "first\nsecond"),
        ('{"no_text": 1}', '{"no_text": 1}'),
        ("{not json}", "{not json}"),
        ("", ""),
        ([], ""),
        (None, ""),
        ({"segments": []}, ""),
        (["Grüße aus Köln ✓"], "Grüße aus Köln ✓"),
    ],
)
def test_transcript_shapes(result: Any, transcript: str) -> None:
    assert transcript_from_result(result) == transcript


# -- inputs -------------------------------------------------------------------------------


KEYS = "(images/…, audios/…, documents/…, videos/…, development/…)"


@pytest.mark.parametrize(
    ("value", "found", "root", "expected"),
    [
        (
            "https://example.com/cat.png",
            None,
            None,
            MediaSource("url", "https://example.com/cat.png"),
        ),
        (" http://example.com/a.mp3 ", None, "/r", MediaSource("url", "http://example.com/a.mp3")),
        ("photo.png", "/r/photo.png", "/r", MediaSource("file", "/r/photo.png")),
        (
            "images/2024_x.png",
            "/r/images/2024_x.png",
            "/r",
            MediaSource("file", "/r/images/2024_x.png"),
        ),
        ("images/2024_x.png", None, "/r", MediaSource("asset", "images/2024_x.png")),
        ("images/2024_x.png", None, None, MediaSource("asset", "images/2024_x.png")),
        ("audios/2025_x.mp3", None, None, MediaSource("asset", "audios/2025_x.mp3")),
        ("documents/2025_x.mp3", None, None, MediaSource("asset", "documents/2025_x.mp3")),
        ("development/audios/x.mp3", None, None, MediaSource("asset", "development/audios/x.mp3")),
    ],
)
def test_media_source(
    value: str, found: str | None, root: str | None, expected: MediaSource
) -> None:
    assert media_source(value, local_file=found, root_dir=root) == expected


@pytest.mark.parametrize(
    ("value", "root", "message"),
    [
        ("", None, "The image is empty; give a URL, an asset key or a file path."),
        (
            "cat.png",
            None,
            f"'cat.png' is not an http(s) URL or a 1min.ai asset key {KEYS}. This tool reads no local files: it has no root_dir, the one directory it may read from (a model chooses these paths). Pass root_dir= to the tool or toolkit to allow one.",
        ),
        (
            "~/.config/credentials.json",
            None,
            f"'~/.config/credentials.json' is not an http(s) URL or a 1min.ai asset key {KEYS}. This tool reads no local files: it has no root_dir, the one directory it may read from (a model chooses these paths). Pass root_dir= to the tool or toolkit to allow one.",
        ),
        (
            "ftp://x/y.png",
            "/r",
            f"No such image in root_dir '/r': 'ftp://x/y.png' is not a file there, an http(s) URL or a 1min.ai asset key {KEYS}.",
        ),
    ],
)
def test_media_source_refusals(value: str, root: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        media_source(value, local_file=None, root_dir=root, what="image")
    assert str(caught.value) == message


# -- results ------------------------------------------------------------------------------


def record(result: Any, temporary_url: str | None = None) -> Any:
    payload: dict[str, Any] = {
        "uuid": "rec-1",
        "model": "dall-e-2",
        "status": "SUCCESS",
        "aiRecordDetail": {"resultObject": result},
    }
    if temporary_url:
        payload["temporaryUrl"] = temporary_url
    return parse_record({"aiRecord": payload})


def test_result_files_prefer_the_temporary_url_for_the_first() -> None:
    files = result_files(
        record(["images/a.png", "images/b c.png"], "https://signed/a?sig=1"),
        "https://asset.1min.ai",
    )
    assert files == [
        ResultFile(0, "images/a.png", "https://signed/a?sig=1"),
        ResultFile(1, "images/b c.png", "https://asset.1min.ai/images/b%20c.png"),
    ]


def test_result_files_without_temporary_url_and_with_full_urls() -> None:
    files = result_files(
        record(["images/a.png", "https://cdn.example/x.webp"]), "http://host/asset-host/"
    )
    assert [f.url for f in files] == [
        "http://host/asset-host/images/a.png",
        "https://cdn.example/x.webp",
    ]


def test_a_successful_record_without_results_is_a_response_error() -> None:
    with pytest.raises(ResponseError) as caught:
        result_files(record([]), "https://asset.1min.ai", "image")
    assert (
        str(caught.value)
        == "1min.ai reported success but returned no image (record rec-1, model dall-e-2). Try again."
    )


@pytest.mark.parametrize(
    ("key", "mime", "name"),
    [
        ("images/2024_09_30_x.png", "image/png", "2024_09_30_x.png"),
        ("https://cdn.example/out/pic.webp?sig=1", None, "pic.webp"),
        ("", "image/png", "rec-0.png"),
        ("audios/speech", "audio/mpeg", "speech.mp3"),
        ("../../etc/passwd", None, "passwd"),
        ("..", None, "rec-0"),
    ],
)
def test_file_names_are_safe(key: str, mime: str | None, name: str) -> None:
    assert file_name(key, mime, "rec-0") == name


@pytest.mark.parametrize(
    ("url", "name"),
    [("https://x/a/cat.png?s=1", "cat.png"), ("https://x/a/cat", None), ("https://x/", None)],
)
def test_url_file_name(url: str, name: str | None) -> None:
    assert url_file_name(url) == name


PNG = b"\x89PNG\r\n\x1a\n" + bytes(8)


def test_media_file_keeps_bytes_or_the_path() -> None:
    file = ResultFile(0, "images/a.png", "https://signed/a")
    assert media_file(file, PNG, None) == MediaFile(
        url="https://signed/a", asset_key="images/a.png", mime_type="image/png", data=PNG, path=None
    )
    assert media_file(file, PNG, "/tmp/a.png")["data"] is None
    assert media_file(file, None, None)["mime_type"] == "image/png"  # from the name


def image(url: str, path: str | None = None, mime: str | None = "image/png") -> MediaFile:
    return MediaFile(url=url, asset_key="images/a.png", mime_type=mime, data=None, path=path)


def test_image_content_is_one_text_line_then_image_blocks() -> None:
    assert image_content(G, "dall-e-2", [image("u1"), image("u2", mime=None)]) == [
        {"type": "text", "text": "Generated 2 images with dall-e-2: u1 u2"},
        {"type": "image", "url": "u1", "mime_type": "image/png"},
        {"type": "image", "url": "u2"},
    ]
    assert image_content(E, "gpt-image-1", [image("u1", "/d/a.png")])[0] == {
        "type": "text",
        "text": "Edited the image with gpt-image-1 (1 image): u1 (saved to /d/a.png)",
    }
    assert image_content(V, "magic-art", [image("u1")])[0] == {
        "type": "text",
        "text": "Made 1 variation of the image with magic-art: u1",
    }


def test_speech_content_is_text() -> None:
    file = MediaFile(
        url="https://signed/s.mp3",
        asset_key="audios/s.mp3",
        mime_type="audio/mpeg",
        data=None,
        path="/d/s.mp3",
    )
    assert (
        speech_content("tts-1", "nova", file)
        == "Generated audio/mpeg speech (tts-1, voice nova): https://signed/s.mp3 (saved to /d/s.mp3)"
    )
    assert (
        speech_content("google-tts", None, {**file, "mime_type": None, "path": None})
        == "Generated speech (google-tts): https://signed/s.mp3"
    )


# -- schemas and construction (no I/O) ----------------------------------------------------


def test_tool_call_schemas_are_one_line_descriptions_with_the_right_required_args() -> None:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from langchain_oneminai.tools import OneMinAIToolkit

    required = {}
    for tool in OneMinAIToolkit().get_tools():
        function = convert_to_openai_tool(tool)["function"]
        properties = function["parameters"]["properties"]
        assert all("\n" not in p["description"] for p in properties.values())
        required[function["name"]] = function["parameters"]["required"]
    assert required == {
        "oneminai_image_generator": ["prompt"],
        "oneminai_image_editor": ["image"],
        "oneminai_text_to_speech": ["text"],
        "oneminai_speech_to_text": ["audio"],
    }


def test_a_lone_string_fills_the_first_argument() -> None:
    from langchain_oneminai._media._schemas import ImageGenerationInput, SpeechToTextInput
    from langchain_oneminai._media._tool import tool_arguments

    assert tool_arguments(ImageGenerationInput, ("a cat",), {"n": 2}) == ImageGenerationInput(
        prompt="a cat", n=2
    )
    assert tool_arguments(SpeechToTextInput, (), {"audio": "audios/a.mp3"}).model is None


def test_construction_needs_no_key_and_does_no_io() -> None:
    from langchain_oneminai import OneMinAIClient
    from langchain_oneminai.tools import GENERATION_TIMEOUT, OneMinAIImageTool, OneMinAIToolkit

    tools = OneMinAIToolkit().get_tools()  # sockets are disabled in this tier
    client = tools[0].client  # type: ignore[attr-defined]
    assert isinstance(client, OneMinAIClient)
    assert not client.has_api_key
    assert all(t.client is client for t in tools)  # type: ignore[attr-defined]
    tool = OneMinAIImageTool(timeout=(5.0, 30.0))
    assert tool._generation_timeout() == (5.0, 30.0)
    assert OneMinAIImageTool()._generation_timeout() == GENERATION_TIMEOUT == 300.0
    assert OneMinAIImageTool().response_format == "content_and_artifact"


def test_a_local_input_is_read_only_up_to_the_size_limit(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from langchain_oneminai._media import _tool
    from langchain_oneminai._media._tool import read_local_file
    from langchain_oneminai.emulator._media import render_png

    png = render_png("a dot", 8, 8)
    monkeypatch.setattr(_tool, "DEFAULT_MAX_DOWNLOAD_BYTES", len(png))
    fits = tmp_path / "fits.png"
    fits.write_bytes(png)
    assert read_local_file(str(fits), "image") == (png, "fits.png")
    too_big = tmp_path / "big.png"
    too_big.write_bytes(png + b"\0")
    with pytest.raises(InvalidInputError, match="'big.png' is larger than"):
        read_local_file(str(too_big), "image")
