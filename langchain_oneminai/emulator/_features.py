"""``POST /api/features``: the generic AI Feature API (wire.md#emulator-features).

Flow::

    key ─▶ JSON body ─▶ type ─┬─ legacy chat type ─▶ _chat.handle_legacy_chat
                              └─ model in the feature's catalog (UNSUPPORTED_MODEL)
                                 ─▶ strict mode: unknown top-level / promptObject keys
                                 ─▶ feature table: required fields, JSON types, asset inputs
                                    (REQUEST_BODY_VALIDATION_FAILED; _feature_checks)
                                 ─▶ the feature's own checks (IMAGE_GENERATOR's n, TTS length…)
                                 ─▶ scripted result, else generate: a handler of its own
                                    (image generation, variation, editing, TTS, STT, code),
                                    else by the table's result kind (_feature_media)
                                 ─▶ {"aiRecord": …}

Generated files are stored as assets, so ``resultObject`` keys download from the asset host;
media results get a ``temporaryUrl`` (per ``temporary_urls``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator import _brain, _media
from langchain_oneminai.emulator._catalog_data import load_catalog
from langchain_oneminai.emulator._catalog_seed import feature_credit
from langchain_oneminai.emulator._chat import handle_legacy_chat
from langchain_oneminai.emulator._checks import (
    check_extra,
    record_response,
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
from langchain_oneminai.emulator._feature_checks import check_fields, check_inputs, require_input
from langchain_oneminai.emulator._feature_media import (
    BY_KIND,
    Generated,
    Generator,
    count_outputs,
)
from langchain_oneminai.emulator._feature_table import MEDIA_KINDS, FeatureSpec, feature_spec
from langchain_oneminai.emulator._state import now_utc
from langchain_oneminai.emulator._types import CHAT_FEATURE, LEGACY_CHAT_TYPES, ScriptedReply

MAX_TTS_CHARS = 4096
"""Longest TTS ``text`` (wire.md#text-to-speech)."""

# ``async`` is accepted and answered synchronously
# (wire-features.md#synchronous-vs-async-polling); YOUTUBE_SUMMARIZER clients also send
# ``videoUrl`` at the top (wire-features.md#youtube-summarizer).
_TOP_LEVEL = ("type", "model", "promptObject", "conversationId", "metadata", "async", "videoUrl")

# promptObject fields documented per feature (union over its models,
# wire.md#image-fields-per-model-family), beyond the feature table's; used only by strict mode,
# with the table's fields of every typed feature. Generic features are not checked.
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
    count = count_outputs(prompt_object)
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
    feature = "IMAGE_EDITOR" if prompt_required else "IMAGE_VARIATOR"
    key = require_input(ctx, feature, prompt_object, "imageUrl")
    prompt = ""
    if prompt_required or "prompt" in prompt_object:
        prompt = require_text(prompt_object, "prompt")
    count = count_outputs(prompt_object)
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
    """TEXT_TO_SPEECH (wire.md#text-to-speech): ``text`` ≤ 4096; always a WAV.

    ``voice`` is required for the models the feature table says (``tts-1``, ``tts-1-hd``).
    """
    del model
    text = require_text(prompt_object, "text", max_length=MAX_TTS_CHARS)

    def generate() -> Generated:
        data = _media.render_wav(text)
        prefix = ctx.settings.audio_key_prefix
        asset = ctx.state.store_asset(prefix, "speech.wav", data, "audio/wav", now_utc())
        return Generated([asset.key], asset.key, _brain.count_words(text))

    return generate


def _speech_to_text(ctx: Context, model: str, prompt_object: dict[str, Any]) -> Generator:
    """SPEECH_TO_TEXT, AUDIO_TRANSLATOR: ``audioUrl``, per-model fields (wire.md#speech-to-text).

    The feature table requires whisper-1's ``response_format`` (speech-to-text only) and the
    Gemini translators' languages; the Google speech models' ``language`` is required here, from
    the catalog data (wire.md#google-speech-models), since the table leaves it conditional.
    """
    key = require_input(ctx, "SPEECH_TO_TEXT", prompt_object, "audioUrl")
    if model in load_catalog().language_required_stt:
        require_text(prompt_object, "language")

    def generate() -> Generated:
        asset = ctx.state.asset(key)
        text = _media.embedded_text(asset.data) if asset is not None else None
        if text is None:
            name, size = (asset.name, len(asset.data)) if asset is not None else (key, 0)
            text = _brain.fallback_transcript(name, size)
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


_PREPARE: dict[str, Callable[[Context, str, dict[str, Any]], Generator]] = {
    "IMAGE_GENERATOR": _image_generator,
    "IMAGE_VARIATOR": _image_from_image,
    "IMAGE_EDITOR": _image_editor,
    "TEXT_TO_SPEECH": _text_to_speech,
    "SPEECH_TO_TEXT": _speech_to_text,
    "AUDIO_TRANSLATOR": _speech_to_text,
    "CODE_GENERATOR": _code_generator,
}


def _media_result(spec: FeatureSpec | None) -> bool:
    """Whether the feature's ``resultObject`` holds asset keys (its first gets a temporaryUrl)."""
    return spec is not None and spec.result in MEDIA_KINDS


def _scripted(ctx: Context, spec: FeatureSpec | None, script: ScriptedReply) -> Generated | None:
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
        first if _media_result(spec) and isinstance(first, str) and ctx.state.asset(first) else None
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
    spec = feature_spec(feature)
    if feature in _FIELDS or (spec is not None and spec.typed):
        known = set(_FIELDS.get(feature, ())) | (spec.known_keys() if spec is not None else set())
        check_extra(ctx, prompt_object, known, "promptObject.")
    if spec is not None:
        check_fields(ctx, spec, model, prompt_object)
        check_inputs(ctx, spec, prompt_object)
    own = _PREPARE.get(feature)
    if own is not None:
        generate = own(ctx, model, prompt_object)
    else:
        prepare = BY_KIND[spec.result if spec is not None else "text"]
        generate = prepare(ctx, feature, spec, model, prompt_object)
    script = ctx.state.pop_feature_script(feature)
    generated = _scripted(ctx, spec, script) if script is not None else None
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
    return record_response(ctx, record)
