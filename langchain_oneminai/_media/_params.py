"""Media tool arguments -> the ``promptObject`` each 1min.ai model family takes (pure).

Every media feature shares one envelope, ``{"type", "model", "promptObject"}``
(wire.md#features-envelope), but the ``promptObject`` differs per model family. The tools take
one set of generic arguments and this module maps them, checks them, and refuses what a family
does not take, *before anything is sent*::

    generic arguments                   family row (_FAMILIES)        promptObject
    prompt, n, size, aspect_ratio,  ──▶ count field, sizes,       ──▶ {"prompt": …,
    quality, style, output_format,      ratio form, value lists,       "n" | "num_outputs" | …,
    extras                              extras checks                  "size" | "imageSize" | …}

    image_prompt_object()   IMAGE_GENERATOR / IMAGE_EDITOR / IMAGE_VARIATOR
    tts_prompt_object()     TEXT_TO_SPEECH
    stt_prompt_object()     SPEECH_TO_TEXT
    edit_feature()          IMAGE_EDITOR or IMAGE_VARIATOR, from `operation` and the prompt
    media_source()          a file in root_dir, a URL, or an asset key

Their facts: wire.md#image-fields-per-model-family, wire.md#image-variation-and-editing,
wire.md#text-to-speech, wire.md#whisper-request, wire.md#google-speech-models,
wire.md#asset-identifiers.

The families are rows of ``_families``. A family's ``fields`` are the fields its docs page
lists; extras outside them are refused. Families no source captured (``fields=None``) take any
extras. Every refusal is an :class:`InvalidInputError` whose message says what the family takes
instead.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_oneminai import _catalog
from langchain_oneminai._media._families import (
    IMAGE_EDITOR,
    IMAGE_GENERATOR,
    IMAGE_VARIATOR,
    ImageFamily,
    Option,
    image_family,
)
from langchain_oneminai._wire import MAX_TTS_CHARS
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "IMAGE_EDITOR",
    "IMAGE_GENERATOR",
    "IMAGE_VARIATOR",
    "ImageOptions",
    "MediaSource",
    "check_model",
    "edit_feature",
    "image_prompt_object",
    "media_source",
    "stt_prompt_object",
    "tts_prompt_object",
]


@dataclass(frozen=True, slots=True)
class ImageOptions:
    """The generic image arguments, as the tools take them (``None``: not given)."""

    n: int | None = None
    size: str | None = None
    aspect_ratio: str | None = None
    quality: str | None = None
    style: str | None = None
    output_format: str | None = None
    extras: Mapping[str, Any] = field(default_factory=dict)


def image_prompt_object(
    feature: str, model: str, prompt: str | None, options: ImageOptions
) -> dict[str, Any]:
    """The ``promptObject`` of an image feature, without ``imageUrl`` (added after upload).

    Args:
        feature: ``IMAGE_GENERATOR``, ``IMAGE_EDITOR`` or ``IMAGE_VARIATOR``.
        model: The model id.
        prompt: The prompt (required to generate and edit; refused for variations).
        options: The other arguments.

    Raises:
        InvalidInputError: a value the family does not take (nothing is sent).
    """
    family = image_family(model, feature)
    where = f"{model} ({family.name} family)" if family.name != model else model
    body: dict[str, Any] = {}
    if feature == IMAGE_VARIATOR:
        if prompt is not None and prompt.strip():
            raise InvalidInputError(
                "Image variations take no prompt; to change the picture as a prompt says, "
                "edit it instead (operation='edit')."
            )
    elif prompt is None or not prompt.strip():
        raise InvalidInputError("prompt must describe the image; it is empty.")
    else:
        body["prompt"] = prompt
    body.update(_count(family, where, options.n))
    body.update(_size(family, where, model, options.size, options.aspect_ratio))
    for name, wire, option, value in (
        ("quality", "quality", family.quality, options.quality),
        ("style", "style", family.style, options.style),
        ("output_format", family.format_field, family.output_format, options.output_format),
    ):
        if value is not None:
            body[wire] = _option(family, where, name, option, value)
    body.update(_extras(family, where, options.extras, feature))
    for name, value in family.defaults:
        body.setdefault(name, value)
    return body


def _takes(family: ImageFamily) -> str:
    if family.fields is None:
        return ""
    return f" It takes: {', '.join(sorted(family.fields))}."


def _count(family: ImageFamily, where: str, n: int | None) -> dict[str, Any]:
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise InvalidInputError(f"n must be a whole number of images, at least 1; got {n!r}.")
    if family.count_fixed is not None:
        if n is not None and n != family.count_fixed:
            raise InvalidInputError(
                f"{where} makes {family.count_fixed} images per call; n must be "
                f"{family.count_fixed} (or left out), got {n}."
            )
        return {"n": family.count_fixed}
    if n is None:
        return {}
    if family.count_field is None:
        if n == 1:
            return {}
        raise InvalidInputError(f"{where} makes one image per call; n must be 1, got {n}.")
    if family.count_max == 1 and n > 1:
        raise InvalidInputError(f"{where} makes one image per call; n must be 1, got {n}.")
    if family.count_max is not None and n > family.count_max:
        raise InvalidInputError(f"{where} takes n from 1 to {family.count_max}; got {n}.")
    return {family.count_field: n}


_SIZE = re.compile(r"\s*(\d+)\s*[xX]\s*(\d+)\s*")
_RATIO = re.compile(r"\s*(\d+)\s*:\s*(\d+)\s*")
_RATIO_TOLERANCE = 0.03
_GPT_IMAGE_2_TARGET_PIXELS = 1024 * 1024


def _parse_pair(value: str, pattern: re.Pattern[str], what: str) -> tuple[int, int]:
    match = pattern.fullmatch(value)
    if match is None or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        example = "'1024x1024'" if pattern is _SIZE else "'16:9'"
        raise InvalidInputError(f"{what} must look like {example}; got {value!r}.")
    return int(match.group(1)), int(match.group(2))


def _size(
    family: ImageFamily, where: str, model: str, size: str | None, aspect_ratio: str | None
) -> dict[str, Any]:
    if size is not None and aspect_ratio is not None:
        raise InvalidInputError("Give size or aspect_ratio, not both.")
    if size is not None:
        return _from_size(family, where, model, size)
    if aspect_ratio is not None:
        return _from_ratio(family, where, model, aspect_ratio)
    return {}


def _from_size(family: ImageFamily, where: str, model: str, size: str) -> dict[str, Any]:
    if family.size is None:
        hint = " Give aspect_ratio (e.g. '16:9') instead." if family.ratio else ""
        raise InvalidInputError(f"{where} takes no size.{hint}{_takes(family)}")
    if family.size == "any":
        return {family.size_field: size}
    if family.size == "values":
        canonical = _match(size.replace(" ", ""), family.sizes)
        if canonical is None:
            raise InvalidInputError(f"{where} takes size {', '.join(family.sizes)}; got {size!r}.")
        return {family.size_field: canonical}
    width, height = _parse_pair(size, _SIZE, "size")
    if family.size == "width_height":
        return {"width": width, "height": height}
    check_gpt_image_2_size(width, height, model)
    return {family.size_field: f"{width}x{height}"}


def _from_ratio(family: ImageFamily, where: str, model: str, ratio: str) -> dict[str, Any]:
    width, height = _parse_pair(ratio, _RATIO, "aspect_ratio")
    if family.ratio == "field":
        return {family.ratio_field: f"{width}:{height}"}
    if family.ratio == "sides":
        if not (1 <= width <= 7 and 1 <= height <= 7):
            raise InvalidInputError(
                f"{where} takes aspect ratios whose sides are 1 to 7 (aspect_width/"
                f"aspect_height), e.g. '7:4'; got {ratio!r}."
            )
        return {"aspect_width": width, "aspect_height": height}
    if family.ratio == "to_size" and family.size == "gpt-image-2":
        return {family.size_field: gpt_image_2_size_for(width, height, model)}
    if family.ratio == "to_size":
        wanted = width / height
        for candidate in family.sizes:
            w, h = _parse_pair(candidate, _SIZE, "size")
            if abs((w / h) / wanted - 1) <= _RATIO_TOLERANCE:
                return {family.size_field: candidate}
        raise InvalidInputError(
            f"{where} has no size with aspect ratio {width}:{height}; "
            f"its sizes are {', '.join(family.sizes)}."
        )
    raise InvalidInputError(f"{where} takes no aspect_ratio; give size instead.{_takes(family)}")


def check_gpt_image_2_size(width: int, height: int, model: str = "gpt-image-2") -> None:
    """Check gpt-image-2's documented size rules (wire.md#image-fields-per-model-family).

    Both sides multiples of 16, 655,360 to 8,294,400 pixels, the longest side at most 3840,
    an aspect of at most 3:1.

    Raises:
        InvalidInputError: naming every rule the size breaks.
    """
    problems = []
    if width % 16 or height % 16:
        problems.append("both sides must be multiples of 16")
    if not 655_360 <= width * height <= 8_294_400:
        problems.append(f"it must have 655,360 to 8,294,400 pixels (it has {width * height:,})")
    if max(width, height) > 3840:
        problems.append("the longest side must be at most 3840")
    if max(width, height) > 3 * min(width, height):
        problems.append("the aspect ratio must be at most 3:1")
    if problems:
        raise InvalidInputError(
            f"{model} cannot make a {width}x{height} image: {'; '.join(problems)}."
        )


def gpt_image_2_size_for(width: int, height: int, model: str = "gpt-image-2") -> str:
    """A gpt-image-2 size of about one megapixel with the aspect ``width:height``."""
    ratio = width / height
    w = round(math.sqrt(_GPT_IMAGE_2_TARGET_PIXELS * ratio) / 16) * 16
    h = round(math.sqrt(_GPT_IMAGE_2_TARGET_PIXELS / ratio) / 16) * 16
    if max(w, h) > 3 * min(w, h) or min(w, h) < 16:
        raise InvalidInputError(
            f"{model} cannot make a {width}:{height} image: the aspect ratio must be at most 3:1."
        )
    check_gpt_image_2_size(w, h, model)
    return f"{w}x{h}"


def _match(value: str, choices: tuple[str, ...]) -> str | None:
    lowered = value.lower()
    return next((choice for choice in choices if choice.lower() == lowered), None)


def _option(family: ImageFamily, where: str, name: str, option: Option, value: str) -> str:
    if option is None:
        raise InvalidInputError(f"{where} takes no {name}.{_takes(family)}")
    if option == "any":
        return value
    canonical = _match(value.strip(), option)
    if canonical is None:
        raise InvalidInputError(f"{where} takes {name} {', '.join(option)}; got {value!r}.")
    return canonical


_ARGUMENT_OF = {
    "prompt": "prompt",
    "imageUrl": "image",
    "n": "n",
    "num_outputs": "n",
    "samples": "n",
    "size": "size",
    "imageSize": "size",
    "width": "size",
    "height": "size",
    "aspect_ratio": "aspect_ratio",
    "aspectRatio": "aspect_ratio",
    "aspect_width": "aspect_ratio",
    "aspect_height": "aspect_ratio",
    "quality": "quality",
    "style": "style",
    "output_format": "output_format",
    "image_format": "output_format",
}


def _extras(
    family: ImageFamily, where: str, extras: Mapping[str, Any], feature: str
) -> dict[str, Any]:
    if not extras:
        return {}
    try:
        json.dumps(dict(extras))
    except (TypeError, ValueError) as error:
        raise InvalidInputError(f"extras must be JSON values: {error}.") from error
    managed = family.managed()
    for name, value in extras.items():
        if name in managed:
            raise InvalidInputError(
                f"Set {name!r} with the {_ARGUMENT_OF.get(name, name)!r} argument, not in extras."
            )
        allowed = family.fields
        if feature == IMAGE_VARIATOR and allowed is not None:
            allowed = allowed - {"prompt"}
        if allowed is not None and name not in allowed:
            raise InvalidInputError(
                f"{where} takes no {name!r}. It takes: {', '.join(sorted(allowed))}."
            )
        for checked, check in family.checks:
            if checked == name:
                check.check(where, name, value)
    return dict(extras)


# --------------------------------------------------------------------------------------
# Image editing vs variation
# --------------------------------------------------------------------------------------


def edit_feature(operation: str | None, prompt: str | None) -> str:
    """``IMAGE_EDITOR`` or ``IMAGE_VARIATOR``, from ``operation`` or the prompt.

    Without ``operation``: edit when a prompt is given (it says how to change the picture),
    else make variations.

    Raises:
        InvalidInputError: ``edit`` without a prompt, ``variation`` with one, or another value.
    """
    has_prompt = prompt is not None and bool(prompt.strip())
    if operation is None:
        return IMAGE_EDITOR if has_prompt else IMAGE_VARIATOR
    if operation == "edit":
        if not has_prompt:
            raise InvalidInputError("operation='edit' needs a prompt saying what to change.")
        return IMAGE_EDITOR
    if operation == "variation":
        return IMAGE_VARIATOR  # a prompt is refused by image_prompt_object
    raise InvalidInputError(f"operation must be 'edit' or 'variation'; got {operation!r}.")


# --------------------------------------------------------------------------------------
# Speech
# --------------------------------------------------------------------------------------

OPENAI_TTS_MODELS = frozenset({"tts-1", "tts-1-hd"})
"""The models of the OpenAI text-to-speech docs page (wire.md#text-to-speech)."""

DEFAULT_VOICE = "alloy"
"""The voice of the docs example (wire.md#text-to-speech)."""

TTS_SPEED_RANGE = (0.25, 4.0)
"""``speed`` bounds (wire.md#text-to-speech)."""

WHISPER_FORMATS = ("text", "json", "srt", "verbose_json", "vtt")
"""whisper-1 ``response_format`` values (wire.md#whisper-request documents ``text``;
wire.md#audio-translation lists the rest)."""


def tts_prompt_object(
    model: str,
    text: str,
    *,
    voice: str | None = None,
    response_format: str | None = None,
    speed: float | None = None,
) -> dict[str, Any]:
    """The TEXT_TO_SPEECH ``promptObject`` (wire.md#text-to-speech).

    The OpenAI models (``tts-1``, ``tts-1-hd``) get their documented voices and formats
    checked and ``voice`` defaults to ``alloy``; the other models' fields were not captured,
    so their values are sent as given.

    Raises:
        InvalidInputError: empty or over-long text, an unknown voice or format, a speed
            outside 0.25-4 (nothing is sent).
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError("text must be the words to speak; it is empty.")
    if len(text) > MAX_TTS_CHARS:
        raise InvalidInputError(
            f"1min.ai speaks at most {MAX_TTS_CHARS} characters per call; this text has "
            f"{len(text)}. Split it and call the tool once per part."
        )
    openai = model in OPENAI_TTS_MODELS
    body: dict[str, Any] = {"text": text}
    if voice is None and openai:
        voice = DEFAULT_VOICE
    if voice is not None:
        if openai:
            known = _match(voice.strip(), _catalog.OPENAI_TTS_VOICES)
            if known is None:
                raise InvalidInputError(
                    f"{model} speaks with the voices {', '.join(_catalog.OPENAI_TTS_VOICES)}; "
                    f"got {voice!r}."
                )
            voice = known
        body["voice"] = voice
    if response_format is not None:
        if openai:
            canonical = _match(response_format.strip(), _catalog.TTS_FORMATS)
            if canonical is None:
                raise InvalidInputError(
                    f"{model} writes the formats {', '.join(_catalog.TTS_FORMATS)}; "
                    f"got {response_format!r}."
                )
            response_format = canonical
        body["response_format"] = response_format
    if speed is not None:
        low, high = TTS_SPEED_RANGE
        ok = isinstance(speed, int | float) and not isinstance(speed, bool)
        if not ok or not low <= speed <= high:
            raise InvalidInputError(f"speed must be between {low} and {high:g}; got {speed!r}.")
        body["speed"] = speed
    return body


def stt_prompt_object(
    model: str, *, language: str | None = None, response_format: str | None = None
) -> dict[str, Any]:
    """The SPEECH_TO_TEXT ``promptObject`` without ``audioUrl`` (added after the upload).

    whisper-1 requires ``response_format`` (default ``text``, wire.md#whisper-request); the Google
    models
    (``latest_short``…) require ``language`` and take no ``response_format``
    (wire.md#google-speech-models).
    Other models get what is given.

    Raises:
        InvalidInputError: a missing language for a Google model, a format it does not take.
    """
    body: dict[str, Any] = {}
    if model in _catalog.GOOGLE_STT_MODELS:
        if language is None or not language.strip():
            raise InvalidInputError(
                f"{model} needs the language of the audio as a BCP-47 tag, e.g. "
                "language='en-US' or 'vi-VN'."
            )
        if response_format is not None:
            raise InvalidInputError(
                f"{model} takes no response_format (only whisper-1 does); leave it out."
            )
    if model == "whisper-1":
        chosen = _match((response_format or "text").strip(), WHISPER_FORMATS)
        if chosen is None:
            raise InvalidInputError(
                f"whisper-1 takes response_format {', '.join(WHISPER_FORMATS)}; "
                f"got {response_format!r}."
            )
        response_format = chosen
    if response_format is not None:
        body["response_format"] = response_format
    if language is not None and language.strip():
        body["language"] = language.strip()
    return body


# --------------------------------------------------------------------------------------
# Input files
# --------------------------------------------------------------------------------------

ASSET_KEY_PREFIXES = ("images/", "audios/", "documents/", "videos/", "development/")
"""Key prefixes of 1min.ai assets (wire.md#asset-identifiers: ``images/``, ``audios/``,
``documents/``, and the
docs' ``development/…`` examples)."""


@dataclass(frozen=True, slots=True)
class MediaSource:
    """Where an input file comes from."""

    kind: Literal["file", "url", "asset"]
    """A local file (uploaded), a URL (fetched, then uploaded), or an asset key (sent as is)."""
    value: str
    """The path, URL or key."""


def media_source(
    value: str,
    *,
    local_file: str | None,
    root_dir: str | None,
    what: str = "file",
) -> MediaSource:
    """Classify an input: an http(s) URL, a local file inside ``root_dir``, or an asset key.

    A language model picks these values, so local files are read only inside the directory
    the user granted (``root_dir``, as LangChain's file tools do); a file found there wins
    over an asset-key-looking path; anything else is refused.

    Args:
        value: What the call gave.
        local_file: The resolved path of ``value`` when it names a file inside ``root_dir``
            (the shell looked), else ``None``.
        root_dir: The granted directory, or ``None`` (no local files at all).
        what: What the input is, for messages.

    Raises:
        InvalidInputError: empty, or neither a URL, a granted file nor an asset key.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"The {what} is empty; give a URL, an asset key or a file path.")
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return MediaSource("url", value)
    if local_file is not None:
        return MediaSource("file", local_file)
    if value.startswith(ASSET_KEY_PREFIXES):
        return MediaSource("asset", value)
    keys = ", ".join(p + "…" for p in ASSET_KEY_PREFIXES)
    if root_dir is None:
        raise InvalidInputError(
            f"{value!r} is not an http(s) URL or a 1min.ai asset key ({keys}). This tool reads "
            "no local files: it has no root_dir, the one directory it may read from (a model "
            "chooses these paths). Pass root_dir= to the tool or toolkit to allow one."
        )
    raise InvalidInputError(
        f"No such {what} in root_dir {root_dir!r}: {value!r} is not a file there, an http(s) "
        f"URL or a 1min.ai asset key ({keys})."
    )


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


def check_model(feature: str, model: str, catalog: list[str] | None) -> None:
    """Refuse ``model`` when the live catalog of ``feature`` does not list it.

    1min.ai checks the model per (model, feature) pair before anything else
    (wire.md#features-envelope); refusing here costs no call. With no catalog (it could not be
    fetched) or an empty one (a feature 1min.ai lists no models for), the server decides.

    Raises:
        InvalidInputError: the model is not in the catalog; the message names the closest ids.
    """
    if not catalog or model in catalog:
        return
    close = difflib.get_close_matches(model, catalog, n=3, cutoff=0.5)
    close += [m for m in catalog if model.lower() in m.lower() and m not in close]
    hint = f" Did you mean {', '.join(repr(m) for m in close[:3])}?" if close else ""
    shown = ", ".join(catalog[:12]) + (", ..." if len(catalog) > 12 else "")
    raise InvalidInputError(
        f"{model!r} is not a {feature} model of 1min.ai's catalog.{hint} Its models: {shown}. "
        "Nothing was sent."
    )
