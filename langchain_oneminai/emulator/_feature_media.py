"""Results of the feature types without a handler of their own, by the table's result kind.

wire-features.md#result-shape. Each ``prepare_*`` function reads what it needs from the
request (validated before, by ``_feature_checks``) and returns a ``Generator``, called only when
no script answers::

    result kind ──▶ image: PNGs sized from the source (upscaler xfactor, extender + margins)
                ──▶ video: an H.264 MP4 (``_video``), length and aspect from the request
                ──▶ audio: a WAV tune (music, sound) or "speech" (voice tools, ``_media``)
                ──▶ 3d:    a GLB tetrahedron (``_glb``)
                ──▶ text:  a labelled description (``_brain``); image-to-prompt, captions

Every output is a pure function of the feature, the model, the ``promptObject`` and the bytes of
the assets it names (not their keys), so the same request always gives the same bytes.
Generated files are stored as assets: ``images/…png``, ``videos/…mp4``, ``<audio prefix>/…wav``
and ``documents/…glb``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_oneminai.emulator import _brain, _glb, _media, _video
from langchain_oneminai.emulator._envelope import Context, validation_error
from langchain_oneminai.emulator._feature_table import FeatureSpec
from langchain_oneminai.emulator._state import now_utc

MAX_OUTPUTS = 10
"""Largest ``n`` / ``num_outputs`` / ``samples`` (dall-e-2 allows 1-10,
wire.md#image-fields-per-model-family)."""

MAX_IMAGE_SIDE = 1024
"""Longest side of an image operation's output (an upscaled or extended picture is capped)."""

DEFAULT_UPSCALE = 2
"""Upscaling factor when the request names none (``stable-image`` is documented at 4x)."""

VIDEO_SECONDS = (1.0, 20.0, 5.0)
"""Shortest, longest and default length of a generated video."""

MUSIC_SECONDS = (1.0, 30.0, 30.0)
"""Shortest, longest and default length of generated music (lyria clips are 30 s)."""

SOUND_SECONDS = (0.5, 30.0, 5.0)
"""Shortest, longest and default length of a sound effect (``duration_seconds`` 0.5-30)."""

PITCH_SHIFTS = 12
"""How many "voices" the voice tools pick from (a pitch shift of the speech tones)."""


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


@dataclass(frozen=True, slots=True)
class Source:
    """An asset a request names: a stored asset's bytes, or an external URL (no bytes)."""

    ref: str
    """The key or URL as sent."""
    data: bytes | None
    """The stored bytes; ``None`` for a URL or base64 value."""
    name: str
    """The stored file name, else the reference."""


def count_outputs(prompt_object: dict[str, Any]) -> int:
    """``n``, ``num_outputs`` or ``samples`` (default 1, at most ``MAX_OUTPUTS``)."""
    for name in ("n", "num_outputs", "samples"):
        if name in prompt_object:
            value = prompt_object[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise validation_error(f"promptObject.{name} must be an integer")
            if not 1 <= value <= MAX_OUTPUTS:
                raise validation_error(f"promptObject.{name} must be between 1 and {MAX_OUTPUTS}")
            return value
    return 1


def _source(ctx: Context, value: Any) -> Source | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value:
        return None
    asset = ctx.state.asset(value)
    if asset is None:
        return Source(value, None, value)
    return Source(value, asset.data, asset.name)


def find_source(
    ctx: Context, prompt_object: dict[str, Any], names: tuple[str, ...]
) -> Source | None:
    """The first of ``names`` the request fills, as a ``Source``."""
    for name in names:
        found = _source(ctx, prompt_object.get(name))
        if found is not None:
            return found
    return None


def _input_names(spec: FeatureSpec | None, kind: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """The asset inputs of ``kind`` the table lists, else ``fallback`` (generic features)."""
    listed = tuple(n for n, k in spec.inputs.items() if k == kind) if spec is not None else ()
    return listed or fallback


def request_seed(ctx: Context, feature: str, model: str, prompt_object: dict[str, Any]) -> str:
    """A canonical text of the request, each stored asset replaced by its content's digest."""

    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            asset = ctx.state.asset(value)
            return f"sha256:{hashlib.sha256(asset.data).hexdigest()}" if asset else value
        if isinstance(value, list):
            return [canonical(item) for item in value]
        if isinstance(value, dict):
            return {key: canonical(item) for key, item in value.items()}
        return value

    body = json.dumps(canonical(prompt_object), sort_keys=True, ensure_ascii=False)
    return f"{feature}\x00{model}\x00{body}"


def _number(value: Any) -> float | None:
    """A number, or a numeric string such as ``"8s"`` / ``"5"``; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*s?\s*", value)
        if match:
            return float(match.group(1))
    return None


def _seconds(
    prompt_object: dict[str, Any], names: tuple[str, ...], bounds: tuple[float, float, float]
) -> float:
    low, high, default = bounds
    for name in names:
        value = _number(prompt_object.get(name))
        if value is not None:
            return min(high, max(low, value))
    return default


def _store(ctx: Context, prefix: str, name: str, data: bytes, mime: str) -> str:
    return ctx.state.store_asset(prefix, name, data, mime, now_utc()).key


def _words(prompt_object: dict[str, Any]) -> int:
    return _brain.count_words(_brain.request_text(prompt_object))


# -- images ---------------------------------------------------------------------------------


def operation_size(
    feature: str, model: str, prompt_object: dict[str, Any], source: tuple[int, int] | None
) -> tuple[int, int]:
    """The pixel size of an image operation's output.

    The upscaler multiplies the source by ``scale`` / ``upscale_factor`` / ``factor`` (else 4
    for ``stable-image``, else ``DEFAULT_UPSCALE``); the extender adds ``left`` + ``right`` and
    ``up`` + ``down`` (negative values crop); a ``size`` / aspect field gives a generated-image
    size; any other operation keeps the source's size (256 px square without one). Capped at
    ``MAX_IMAGE_SIDE``.
    """
    base = source or (_media.LONG_SIDE, _media.LONG_SIDE)
    if feature == "IMAGE_UPSCALER":
        factor = next(
            (
                v
                for n in ("scale", "upscale_factor", "factor")
                if (v := _number(prompt_object.get(n))) is not None and 1 <= v <= 8
            ),
            4.0 if model == "stable-image" else float(DEFAULT_UPSCALE),
        )
        size = (round(base[0] * factor), round(base[1] * factor))
    elif feature == "IMAGE_EXTENDER":
        margin = {n: _number(prompt_object.get(n)) or 0.0 for n in ("left", "right", "up", "down")}
        size = (
            max(1, round(base[0] + margin["left"] + margin["right"])),
            max(1, round(base[1] + margin["up"] + margin["down"])),
        )
    elif _media.requested_ratio(prompt_object) is not None:
        size = _media.image_dimensions(prompt_object)
    else:
        size = base
    return _media.fit(size, MAX_IMAGE_SIDE)


def prepare_image(
    ctx: Context, feature: str, spec: FeatureSpec | None, model: str, prompt_object: dict[str, Any]
) -> Generator:
    """PNGs for an image operation (``BACKGROUND_REMOVER`` is RGBA with a clear background)."""
    count = count_outputs(prompt_object)
    names = _input_names(spec, "image", ("imageUrl", "imageList", "image"))
    source = find_source(ctx, prompt_object, names)
    source_size = _media.image_size(source.data) if source and source.data else None
    size = operation_size(feature, model, prompt_object, source_size)
    seed = request_seed(ctx, feature, model, prompt_object)
    text = _brain.request_text(prompt_object) or prompt_object.get("search_prompt") or ""
    described = f"{feature} · {model}" + (f": {text}" if isinstance(text, str) and text else "")

    def generate() -> Generated:
        keys = []
        for index in range(count):
            data = _media.render_png(
                seed,
                size[0],
                size[1],
                variant=index,
                alpha=feature == "BACKGROUND_REMOVER",
                description=described,
            )
            keys.append(_store(ctx, "images", f"{ctx.state.new_digits()}.png", data, "image/png"))
        return Generated(keys, keys[0], _words(prompt_object))

    return generate


# -- video ----------------------------------------------------------------------------------


def prepare_video(
    ctx: Context, feature: str, spec: FeatureSpec | None, model: str, prompt_object: dict[str, Any]
) -> Generator:
    """An MP4 whose length and aspect follow the request (else its source picture or video)."""
    seconds = _seconds(
        prompt_object, ("duration", "seconds", "length", "veo3_duration"), VIDEO_SECONDS
    )
    image = find_source(ctx, prompt_object, _input_names(spec, "image", ("imageUrl", "image")))
    video = find_source(ctx, prompt_object, _input_names(spec, "video", ("videoUrl",)))
    ratio = _media.requested_ratio(prompt_object)
    if video is not None and video.data is not None:
        try:
            found = _video.read_mp4(video.data)
        except ValueError:
            found = None
        if found is not None and found.width and found.height:
            ratio = ratio or (found.width, found.height)
            if _number(prompt_object.get("duration")) is None and found.seconds > 0:
                seconds = min(VIDEO_SECONDS[1], max(VIDEO_SECONDS[0], found.seconds))
    if ratio is None and image is not None and image.data is not None:
        ratio = _media.image_size(image.data)
    width, height = _video.video_dimensions(ratio or (16, 9))
    frames = max(1, min(256, round(seconds * _video.FPS)))
    text = _brain.request_text(prompt_object)
    comment = text or f"{feature} · {model}"
    seed = request_seed(ctx, feature, model, prompt_object)

    def generate() -> Generated:
        data = _video.render_mp4(seed, width, height, frames, comment=comment)
        key = _store(ctx, "videos", f"{ctx.state.new_digits()}.mp4", data, "video/mp4")
        return Generated([key], key, _words(prompt_object))

    return generate


# -- audio ----------------------------------------------------------------------------------


def _speech_of(source: Source | None) -> str:
    """What a source recording "says": an emulator WAV's text, else a labelled placeholder."""
    if source is None:
        return "[1min.ai emulator voice with no recording to work on]"
    if source.data is not None:
        text = _media.embedded_text(source.data)
        if text is not None:
            return text
        return _brain.fallback_transcript(source.name, len(source.data))
    return _brain.fallback_transcript(source.ref, 0)


def _shift(value: Any) -> int:
    """A pitch shift (1 to ``PITCH_SHIFTS - 1``) picked by a voice's id, description or sample."""
    data = value if isinstance(value, bytes) else json.dumps(value, default=str).encode()
    return 1 + hashlib.sha256(data).digest()[0] % (PITCH_SHIFTS - 1)


def prepare_audio(
    ctx: Context, feature: str, spec: FeatureSpec | None, model: str, prompt_object: dict[str, Any]
) -> Generator:
    """A WAV: a tune for music and sound effects, "speech" for the voice tools."""
    audio = find_source(ctx, prompt_object, _input_names(spec, "audio", ("audioUrl", "audioList")))
    text = _brain.request_text(prompt_object)
    if feature == "TEXT_TO_SOUND":
        seconds = _seconds(prompt_object, ("duration_seconds", "duration"), SOUND_SECONDS)

        def make() -> tuple[str, bytes]:
            return "sound.wav", _media.render_tune(text, seconds, kind="sound effect")

    elif feature == "MUSIC_GENERATOR":
        seconds = _seconds(prompt_object, ("duration",), MUSIC_SECONDS)
        tags = prompt_object.get("tags")
        theme = text or (tags if isinstance(tags, str) else "") or f"{feature} · {model}"

        def make() -> tuple[str, bytes]:
            return "music.wav", _media.render_tune(theme, seconds, kind="music")

    else:  # the voice tools: the words of the text or of the recording, in another "voice"
        voice = {
            "VOICE_CLONING": audio.data if audio and audio.data else None,
            "VOICE_DESIGN": prompt_object.get("voice_description"),
            "VOICE_CHANGER": prompt_object.get("voice_id"),
        }.get(feature)
        words = text if feature in ("VOICE_CLONING", "VOICE_DESIGN") and text else None
        spoken = words or _speech_of(audio)
        shift = 0 if feature == "VOICE_ISOLATOR" else _shift(voice if voice is not None else model)

        def make() -> tuple[str, bytes]:
            return "voice.wav", _media.render_wav(spoken, pitch_shift=shift)

    def generate() -> Generated:
        name, data = make()
        key = _store(ctx, ctx.settings.audio_key_prefix, name, data, "audio/wav")
        return Generated([key], key, _words(prompt_object))

    return generate


# -- 3d -------------------------------------------------------------------------------------


def prepare_3d(
    ctx: Context, feature: str, spec: FeatureSpec | None, model: str, prompt_object: dict[str, Any]
) -> Generator:
    """A GLB model whose shape and colour come from the request."""
    del spec
    seed = request_seed(ctx, feature, model, prompt_object)
    text = _brain.request_text(prompt_object)
    source = find_source(ctx, prompt_object, ("imageUrl", "imageList", "image"))
    described = text or (f"3D model of {source.ref}" if source else f"{feature} · {model}")

    def generate() -> Generated:
        data = _glb.render_glb(described, seed=seed)
        key = _store(ctx, "documents", f"{ctx.state.new_digits()}.glb", data, "model/gltf-binary")
        return Generated([key], key, _words(prompt_object))

    return generate


# -- text -----------------------------------------------------------------------------------


def prepare_text(
    ctx: Context, feature: str, spec: FeatureSpec | None, model: str, prompt_object: dict[str, Any]
) -> Generator:
    """Text in ``resultObject``: a labelled description, captions, or picture descriptions."""
    words = _words(prompt_object)
    if feature == "IMAGE_TO_PROMPT":
        count = count_outputs(prompt_object)
        source = find_source(ctx, prompt_object, _input_names(spec, "image", ("imageUrl",)))
        size = _media.image_size(source.data) if source and source.data else None
        embedded = None
        if source is not None and source.data is not None and size is not None:
            try:
                texts = _media.parse_png(source.data).text
            except ValueError:
                texts = {}
            if texts.get("Software") == _media.MARKER:
                embedded = texts.get("Description")
        ref = source.ref if source else "(none given)"

        def describe() -> Generated:
            replies = [
                _brain.image_prompt_reply(model, ref, size, embedded, i) for i in range(count)
            ]
            return Generated(replies, None, words, "\n".join(replies))

        return describe
    if feature == "CAPTIONS_GENERATOR":
        video = find_source(ctx, prompt_object, _input_names(spec, "video", ("videoUrl",)))
        spoken, seconds = "", VIDEO_SECONDS[2]
        if video is not None and video.data is not None:
            spoken = _video.embedded_comment(video.data) or ""
            with contextlib.suppress(ValueError):
                seconds = _video.read_mp4(video.data).seconds or seconds
        if not spoken:
            length = len(video.data) if video and video.data is not None else 0
            spoken = _brain.fallback_transcript(video.ref if video else "(no video)", length)
        response_format = prompt_object.get("response_format")
        fmt = response_format if isinstance(response_format, str) else None

        def caption() -> Generated:
            text = _brain.captions(spoken, seconds, fmt)
            return Generated([text], None, words, text)

        return caption

    def answer() -> Generated:
        text = _brain.feature_reply(feature, model, prompt_object)
        return Generated([text], None, words, text)

    return answer


Prepare = Callable[[Context, str, FeatureSpec | None, str, dict[str, Any]], Generator]

BY_KIND: dict[str, Prepare] = {
    "image": prepare_image,
    "video": prepare_video,
    "audio": prepare_audio,
    "3d": prepare_3d,
    "text": prepare_text,
}
"""The preparer of each result kind (``_feature_table.RESULT_KINDS``)."""
