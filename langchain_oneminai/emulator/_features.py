"""``POST /api/features``: the generic AI Feature API (wire.md#emulator-features).

Flow::

    key ─▶ JSON body ─▶ type ─┬─ legacy chat type ─▶ _chat.handle_legacy_chat
                              └─ model in the feature's catalog (UNSUPPORTED_MODEL)
                                 ─▶ promptObject required fields (REQUEST_BODY_VALIDATION_FAILED)
                                 ─▶ scripted result, else generate (PNG / WAV / transcript / text)
                                 ─▶ {"aiRecord": …}  (CODE_GENERATOR may stream, per knob)

Generated files are stored as assets, so ``resultObject`` keys download from the asset host.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator import _brain, _media
from langchain_oneminai.emulator._catalog_data import load_catalog
from langchain_oneminai.emulator._catalog_seed import feature_credit
from langchain_oneminai.emulator._chat import handle_legacy_chat
from langchain_oneminai.emulator._checks import (
    check_extra,
    record_response,
    require_asset_key,
    require_model,
    require_object,
    require_text,
)
from langchain_oneminai.emulator._envelope import (
    Context,
    RecordSpec,
    ai_record,
    usage_metadata,
    validation_error,
)
from langchain_oneminai.emulator._state import now_utc
from langchain_oneminai.emulator._stream import send_raw, send_sse
from langchain_oneminai.emulator._types import CHAT_FEATURE, LEGACY_CHAT_TYPES, ScriptedReply

MAX_OUTPUTS = 10
"""Largest ``n`` / ``num_outputs`` (dall-e-2 allows 1-10, #image-fields-per-model-family)."""

MAX_TTS_CHARS = 4096
"""Longest TTS ``text`` (wire.md#text-to-speech)."""

_TOP_LEVEL = ("type", "model", "promptObject", "conversationId", "metadata")

# promptObject fields documented per feature (union over its models,
# wire.md#image-fields-per-model-family);
# used only by strict mode. Features not listed here are not checked.
_FIELDS: dict[str, tuple[str, ...]] = {
    "IMAGE_GENERATOR": (
        "prompt",
        "n",
        "num_outputs",
        "size",
        "quality",
        "style",
        "output_format",
        "output_compression",
        "background",
        "image_prompt",
        "aspect_ratio",
        "width",
        "height",
        "output_quality",
        "safety_tolerance",
        "prompt_upsampling",
        "seed",
        "steps",
        "guidance",
        "interval",
        "prompt_strength",
        "num_inference_steps",
        "go_fast",
        "megapixels",
        "disable_safety_checker",
        "imageSize",
        "aspectRatio",
        "temperature",
        "topP",
        "mode",
        "negativePrompt",
        "isNiji6",
        "maintainModeration",
        "aspect_width",
        "aspect_height",
        "no",
        "image_weight",
        "tile",
        "stylize",
        "chaos",
        "weird",
        "character_reference",
        "style_reference",
        "samples",
        "cfg_scale",
        "clip_guidance_preset",
        "style_code",
        "style_base_model",
        "style_intensity",
        "face_match",
    ),
    "IMAGE_VARIATOR": (
        "imageUrl",
        "mode",
        "n",
        "isNiji6",
        "aspect_width",
        "aspect_height",
        "maintainModeration",
        "size",
        "image_format",
        "random_seed",
    ),
    "IMAGE_EDITOR": (
        "imageUrl",
        "prompt",
        "size",
        "quality",
        "n",
        "background",
        "output_format",
        "output_compression",
    ),
    "TEXT_TO_SPEECH": ("text", "voice", "response_format", "speed"),
    "SPEECH_TO_TEXT": ("audioUrl", "response_format", "language", "temperature", "prompt"),
    "AUDIO_TRANSLATOR": ("audioUrl", "response_format", "temperature", "language"),
    "CODE_GENERATOR": ("prompt", "webSearch", "numOfSite", "maxWord", "isMixed"),
}


@dataclass
class Generated:
    """What a feature produced."""

    result_object: Any
    """``aiRecordDetail.resultObject``."""
    temporary_key: str | None = None
    """Asset key for ``aiRecord.temporaryUrl``."""
    input_words: int = 0
    """Words of the request's text (for the token-usage knob)."""
    output_text: str = ""
    """Text of the result (for the token-usage knob and streaming)."""


Generator = Callable[[], Generated]


def _count(prompt_object: dict[str, Any]) -> int:
    """``n`` or ``num_outputs`` (default 1, at most ``MAX_OUTPUTS``)."""
    for name in ("n", "num_outputs"):
        if name in prompt_object:
            value = prompt_object[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise validation_error(f"promptObject.{name} must be an integer")
            if not 1 <= value <= MAX_OUTPUTS:
                raise validation_error(f"promptObject.{name} must be between 1 and {MAX_OUTPUTS}")
            return value
    return 1


def _store_pngs(ctx: Context, seed_text: str, size: tuple[int, int], count: int) -> list[str]:
    moment = now_utc()
    keys = []
    for index in range(count):
        data = _media.render_png(seed_text, size[0], size[1], variant=index)
        name = f"{ctx.state.new_digits()}.png"
        keys.append(ctx.state.store_asset("images", name, data, "image/png", moment).key)
    return keys


def _image_generator(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    del model
    prompt = require_text(prompt_object, "prompt")
    count = _count(prompt_object)
    size = _media.image_dimensions(prompt_object)

    def generate() -> Generated:
        keys = _store_pngs(ctx, prompt, size, count)
        return Generated(keys, keys[0], _brain.count_words(prompt))

    return generate


def _image_from_image(
    ctx: Context, model: str, prompt_object: dict[str, Any], *, prompt_required: bool = False
) -> Generator:
    """IMAGE_VARIATOR (``imageUrl``), IMAGE_EDITOR (+ ``prompt``).

    wire.md#image-variation-and-editing.
    """
    del model
    key = require_asset_key(ctx, prompt_object, "imageUrl")
    prompt = ""
    if prompt_required or "prompt" in prompt_object:
        prompt = require_text(prompt_object, "prompt")
    count = _count(prompt_object)
    size = _media.image_dimensions(prompt_object)
    source = ctx.state.asset(key)
    if source is not None and "size" not in prompt_object:
        try:  # keep the source picture's aspect when it is a PNG
            info = _media.parse_png(source.data)
            size = _media.image_dimensions({"width": info.width, "height": info.height})
        except ValueError:
            pass

    def generate() -> Generated:
        keys = _store_pngs(ctx, f"{key}\x00{prompt}", size, count)
        return Generated(keys, keys[0], _brain.count_words(prompt))

    return generate


def _image_editor(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    return _image_from_image(ctx, model, prompt_object, prompt_required=True)


def _text_to_speech(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    """TEXT_TO_SPEECH (wire.md#text-to-speech): ``text`` ≤ 4096 and ``voice``; always a WAV."""
    del model
    text = require_text(prompt_object, "text", max_length=MAX_TTS_CHARS)
    require_text(prompt_object, "voice")

    def generate() -> Generated:
        data = _media.render_wav(text)
        prefix = ctx.settings.audio_key_prefix
        asset = ctx.state.store_asset(prefix, "speech.wav", data, "audio/wav", now_utc())
        return Generated([asset.key], asset.key, _brain.count_words(text))

    return generate


def _speech_to_text(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    """SPEECH_TO_TEXT, AUDIO_TRANSLATOR: ``audioUrl``, per-model fields (wire.md#speech-to-text)."""
    key = require_asset_key(ctx, prompt_object, "audioUrl")
    if model == "whisper-1":
        require_text(prompt_object, "response_format")
    if model in load_catalog().language_required_stt:
        require_text(prompt_object, "language")

    def generate() -> Generated:
        asset = ctx.state.asset(key)
        if asset is None:  # deleted between validation and generation: cannot happen today
            raise validation_error(f"promptObject.audioUrl is not a known asset key: {key}")
        text = _media.embedded_text(asset.data)
        if text is None:
            text = _brain.fallback_transcript(asset.name, len(asset.data))
        return Generated(shape_transcript(ctx, text), None, 0, text)

    return generate


def shape_transcript(ctx: Context, text: str) -> Any:
    """The transcript as ``resultObject``, per ``transcript_shape`` (wire.md#transcript-shape)."""
    shape = ctx.settings.transcript_shape
    if shape == "string":
        return text
    if shape == "json":
        return json.dumps({"text": text}, ensure_ascii=False)
    return [text]


def _code_generator(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    del ctx
    prompt = require_text(prompt_object, "prompt")

    def generate() -> Generated:
        code = _brain.code_reply(model, prompt)
        return Generated([code], None, _brain.count_words(prompt), code)

    return generate


def _generic(feature: str) -> Callable[[Context, str, dict[str, Any]], Generator]:
    def prepare(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
        del ctx

        def generate() -> Generated:
            text = _brain.feature_reply(feature, model, prompt_object)
            prompt = prompt_object.get("prompt")
            words = _brain.count_words(prompt) if isinstance(prompt, str) else 0
            return Generated([text], None, words, text)

        return generate

    return prepare


_PREPARE: dict[str, Callable[[Context, str, dict[str, Any]], Generator]] = {
    "IMAGE_GENERATOR": _image_generator,
    "IMAGE_VARIATOR": _image_from_image,
    "IMAGE_EDITOR": _image_editor,
    "TEXT_TO_SPEECH": _text_to_speech,
    "SPEECH_TO_TEXT": _speech_to_text,
    "AUDIO_TRANSLATOR": _speech_to_text,
    "CODE_GENERATOR": _code_generator,
}
_WITH_TEMPORARY_URL = ("IMAGE_GENERATOR", "IMAGE_VARIATOR", "IMAGE_EDITOR", "TEXT_TO_SPEECH")


def _scripted(ctx: Context, feature: str, script: ScriptedReply) -> Generated | None:
    """A script's result (``result_object``, else ``[text]``); ``None`` when it sets neither."""
    text = script.reply_text()
    if script.result_object is not None:
        result = script.result_object
    elif text is not None:
        result = [text]
    else:
        return None
    first = result[0] if isinstance(result, list) and result else result
    temporary = (
        first
        if feature in _WITH_TEMPORARY_URL and isinstance(first, str) and ctx.state.asset(first)
        else None
    )
    return Generated(result, temporary, 0, text or "")


async def handle_features(ctx: Context) -> web.StreamResponse:
    """``POST /api/features[?isStreaming=…]`` (wire.md#features-envelope, #emulator-features)."""
    body = ctx.json_object()
    feature = body.get("type")
    if not isinstance(feature, str) or not feature:
        raise validation_error("type must be a non-empty string")
    if feature in LEGACY_CHAT_TYPES or feature == CHAT_FEATURE:
        return await handle_legacy_chat(ctx, body, feature)
    model = require_model(ctx, body, feature)
    check_extra(ctx, body, _TOP_LEVEL, "")
    prompt_object = require_object(body.get("promptObject"), "promptObject")
    if feature in _FIELDS:
        check_extra(ctx, prompt_object, _FIELDS[feature], "promptObject.")
    generate = _PREPARE.get(feature, _generic(feature))(ctx, model, prompt_object)
    script = ctx.state.pop_feature_script(feature)
    generated = _scripted(ctx, feature, script) if script is not None else None
    if generated is None:
        generated = generate()
    status = script.status if script is not None else "SUCCESS"
    error_message = script.error_message if script is not None else None
    if ctx.fault is not None and ctx.fault.failed_record:
        status, error_message = "FAILED", ctx.fault.failed_message
        generated = Generated([], None, generated.input_words, "")
    settings = ctx.settings
    output_words = _brain.count_words(generated.output_text)
    conversation_id = body.get("conversationId")
    record = ai_record(
        ctx,
        RecordSpec(
            feature=feature,
            model=model,
            prompt_object=prompt_object,
            result_object=generated.result_object,
            conversation_id=conversation_id if isinstance(conversation_id, str) else None,
            status=status,
            error_message=error_message,
            metadata=usage_metadata(generated.input_words, output_words)
            if settings.record_token_usage
            else None,
            credit=feature_credit(ctx.state.facts(model)) if settings.record_credit else None,
            temporary_key=generated.temporary_key,
            overrides=script.record if script is not None else None,
        ),
    )
    if ctx.streaming and feature == "CODE_GENERATOR" and settings.code_generator_stream != "json":
        # CODE_GENERATOR streaming is either bare text or SSE; the knob picks one.
        # wire: stream-format-per-endpoint
        chunks = _brain.split_words(generated.output_text)
        if settings.code_generator_stream == "sse":
            return await send_sse(ctx, chunks, {"aiRecord": record})
        return await send_raw(ctx, chunks)
    return record_response(ctx, record)
