"""The image model families of 1min.ai and the fields each one takes (pure data).

One row per family of wire.md#image-fields-per-model-family (and wire.md#image-variation-and-editing
for variations): which
``promptObject`` field the generic ``n`` / ``size`` / ``aspect_ratio`` / ``quality`` /
``style`` / ``output_format`` arguments go to, which values are documented, which extras
fields exist and their documented ranges. ``image_family()`` resolves a model id to its row:
exact ids first, then the magic-art/midjourney, gemini-image, Leonardo (UUID ids) and
``black-forest-labs/`` (Replicate-style) patterns, else the generic row. ``_media._params``
applies a row to the tool arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from langchain_oneminai.errors import InvalidInputError

IMAGE_GENERATOR = "IMAGE_GENERATOR"
IMAGE_EDITOR = "IMAGE_EDITOR"
IMAGE_VARIATOR = "IMAGE_VARIATOR"

Option = tuple[str, ...] | Literal["any"] | None
"""How a family takes a generic argument: these values (matched case-insensitively),
``"any"`` value (no source lists them), or ``None``: not at all."""


@dataclass(frozen=True, slots=True)
class Range:
    """A documented numeric range of an extras field."""

    low: float
    high: float

    def check(self, model: str, name: str, value: Any) -> None:
        """Refuse a non-number or a number outside ``[low, high]``."""
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not self.low <= value <= self.high:
            raise InvalidInputError(
                f"{model} takes {name} between {self.low:g} and {self.high:g}; got {value!r}."
            )


@dataclass(frozen=True, slots=True)
class OneOf:
    """A documented list of values of an extras field."""

    values: tuple[str, ...]

    def check(self, model: str, name: str, value: Any) -> None:
        """Refuse a value outside the list."""
        if value not in self.values:
            raise InvalidInputError(
                f"{model} takes {name} as one of {', '.join(self.values)}; got {value!r}."
            )


@dataclass(frozen=True, slots=True)
class ImageFamily:
    """How one model family takes the generic image arguments.

    Sources: wire.md#image-fields-per-model-family, wire.md#image-variation-and-editing.
    """

    name: str
    """The family, as messages name it."""
    fields: frozenset[str] | None
    """The promptObject fields its docs list; ``None``: not captured, extras are free."""
    count_field: str | None = "n"
    """Where ``n`` goes (``n``, ``num_outputs``, ``samples``); ``None``: one image per call."""
    count_max: int | None = None
    """Largest documented ``n``."""
    count_fixed: int | None = None
    """The only documented ``n``, always sent (magic-art: 4)."""
    size: Literal["values", "any", "gpt-image-2", "width_height"] | None = None
    """How ``size`` is taken: one of ``sizes``, any value, gpt-image-2's rules, or as
    ``width``/``height`` integers; ``None``: not at all."""
    size_field: str = "size"
    """The field ``size`` goes to."""
    sizes: tuple[str, ...] = ()
    """The documented ``size`` values (the first of each aspect is preferred)."""
    ratio: Literal["field", "sides", "to_size"] | None = None
    """How ``aspect_ratio`` is taken: as a ``"W:H"`` field, as ``aspect_width``/``aspect_height``
    (1-7), or turned into a ``size``; ``None``: not at all."""
    ratio_field: str = "aspect_ratio"
    """The field a ``"W:H"`` aspect ratio goes to."""
    quality: Option = None
    """``quality`` values."""
    style: Option = None
    """``style`` values."""
    output_format: Option = None
    """``output_format`` values."""
    format_field: str = "output_format"
    """The field ``output_format`` goes to."""
    defaults: tuple[tuple[str, Any], ...] = ()
    """Fields sent when neither the arguments nor ``extras`` set them."""
    checks: tuple[tuple[str, Range | OneOf], ...] = ()
    """Documented ranges and value lists of extras fields."""

    def managed(self) -> frozenset[str]:
        """The fields the generic arguments set (``extras`` may not set them)."""
        names = {"prompt", "imageUrl"}
        if self.count_field:
            names.add(self.count_field)
        if self.size == "width_height":
            names |= {"width", "height"}
        elif self.size is not None:
            names.add(self.size_field)
        if self.ratio == "sides":
            names |= {"aspect_width", "aspect_height"}
        elif self.ratio == "field":
            names.add(self.ratio_field)
        elif self.ratio == "to_size":
            names.add(self.size_field)
        for option, name in (
            (self.quality, "quality"),
            (self.style, "style"),
            (self.output_format, self.format_field),
        ):
            if option is not None:
                names.add(name)
        return frozenset(names)


def _fields(names: str) -> frozenset[str]:
    return frozenset(names.split())


_GPT_IMAGE_SIZES = ("1024x1024", "1024x1536", "1536x1024")
_MJ_FIELDS = _fields(
    "prompt mode n negativePrompt isNiji6 maintainModeration aspect_width aspect_height no "
    "image_weight seed tile stylize chaos weird character_reference style_reference"
)
_FLUX_11_FIELDS = _fields(
    "prompt image_prompt aspect_ratio width height output_quality safety_tolerance "
    "prompt_upsampling seed"
)

DALL_E_3 = ImageFamily(
    "dall-e-3",
    _fields("prompt n size quality style"),
    count_max=1,
    size="values",
    sizes=("1024x1024", "1024x1792", "1792x1024"),
    ratio="to_size",
    quality=("standard", "hd"),
    style=("vivid", "natural"),
)
DALL_E_2 = ImageFamily(
    "dall-e-2",
    _fields("prompt n size"),
    count_max=10,
    size="values",
    sizes=("1024x1024", "512x512", "256x256"),
    ratio="to_size",
)
GPT_IMAGE_1 = ImageFamily(
    "gpt-image-1",
    _fields("prompt n size quality style output_format output_compression background"),
    size="values",
    sizes=_GPT_IMAGE_SIZES,
    ratio="to_size",
    quality=("low", "medium", "high"),
    style="any",
    output_format=("png", "jpeg", "webp"),
    checks=(("background", OneOf(("opaque", "transparent"))),),
)
GPT_IMAGE_2 = ImageFamily(
    "gpt-image-2",
    _fields("prompt size quality n background output_format output_compression"),
    size="gpt-image-2",
    ratio="to_size",
    quality="any",
    output_format="any",
    #  "quality (required)" (wire.md#image-fields-per-model-family); "medium" is the value of the
    # one captured example (wire.md#image-variation-and-editing).
    defaults=(("quality", "medium"),),
)
FLUX_11_PRO = ImageFamily(
    "flux-1.1-pro", _FLUX_11_FIELDS, count_field=None, size="width_height", ratio="field"
)
FLUX_PRO = ImageFamily(
    "flux-pro",
    _FLUX_11_FIELDS | _fields("steps guidance interval output_format"),
    count_field=None,
    size="width_height",
    ratio="field",
    output_format="any",
)
FLUX_DEV = ImageFamily(
    "flux-dev",
    _fields(
        "prompt aspect_ratio prompt_strength num_inference_steps guidance go_fast megapixels "
        "disable_safety_checker output_format output_quality seed"
    ),
    count_field=None,
    ratio="field",
    output_format="any",
)
FLUX_2_PRO = ImageFamily(
    "flux-2-pro",
    _fields("prompt aspect_ratio steps guidance safety_tolerance seed output_format"),
    count_field=None,
    ratio="field",
    output_format="any",
    checks=(("steps", Range(15, 50)), ("guidance", Range(2, 5)), ("safety_tolerance", Range(1, 6))),
)
FLUX_SCHNELL = ImageFamily(
    "flux-schnell",
    _fields("prompt num_outputs aspect_ratio output_format"),
    count_field="num_outputs",
    ratio="field",
    output_format="any",
)
REPLICATE = ImageFamily(
    "Replicate-style", None, count_field="num_outputs", ratio="field", output_format="any"
)
GEMINI_IMAGE = ImageFamily(
    "gemini image",
    _fields("prompt imageSize aspectRatio temperature topP"),
    count_field=None,
    size="values",
    size_field="imageSize",
    sizes=("512", "1K", "2K", "4K"),
    ratio="field",
    ratio_field="aspectRatio",
)
MAGIC_ART = ImageFamily(
    "magic-art/midjourney",
    _MJ_FIELDS,
    count_fixed=4,
    ratio="sides",
    #  The docs' own example (wire.md#image-variation-and-editing) sends these; mode and the aspect
    # are required there.
    defaults=(
        ("mode", "fast"),
        ("isNiji6", False),
        ("aspect_width", 1),
        ("aspect_height", 1),
        ("maintainModeration", True),
    ),
    checks=(("mode", OneOf(("fast", "relax"))),),
)
LEONARDO = ImageFamily("Leonardo", _fields("prompt n size negativePrompt"), size="any")
STABLE_DIFFUSION_XL = ImageFamily(
    "stable-diffusion-xl",
    _fields("prompt samples size cfg_scale clip_guidance_preset seed steps"),
    count_field="samples",
    size="values",
    #  The dimensions the provider allows, as its error to a live 512x512 request lists them
    # (wire-features.md#image-generator); the first of each aspect is preferred.
    sizes=(
        "1024x1024",
        "1152x896",
        "1216x832",
        "1344x768",
        "1536x640",
        "640x1536",
        "768x1344",
        "832x1216",
        "896x1152",
    ),
    ratio="to_size",
)
DZINE = ImageFamily(
    "dzine",
    _fields(
        "prompt style_code style_base_model style_intensity size n quality output_format seed "
        "face_match"
    ),
    size="any",
    quality=("STANDARD", "HIGH"),
    output_format="any",
)
RECRAFT_VARIATION = ImageFamily(
    "recraft",
    _fields("n size image_format random_seed"),
    size="any",
    output_format="any",
    format_field="image_format",
)
GENERIC = ImageFamily(
    "generic",
    None,
    size="any",
    ratio="field",
    quality="any",
    style="any",
    output_format="any",
)
"""Models no source has a row for: kokofix's ``{prompt, n, size}`` and the other
generic names, sent as given (wire.md#image-fields-per-model-family)."""

_FAMILIES: dict[str, ImageFamily] = {
    "dall-e-3": DALL_E_3,
    "dall-e-2": DALL_E_2,
    "gpt-image-1": GPT_IMAGE_1,
    "gpt-image-1-mini": GPT_IMAGE_1,
    "gpt-image-2": GPT_IMAGE_2,
    "black-forest-labs/flux-1.1-pro": FLUX_11_PRO,
    "black-forest-labs/flux-pro": FLUX_PRO,
    "black-forest-labs/flux-dev": FLUX_DEV,
    "black-forest-labs/flux-2-pro": FLUX_2_PRO,
    "black-forest-labs/flux-schnell": FLUX_SCHNELL,
    "stable-diffusion-xl-1024-v1-0": STABLE_DIFFUSION_XL,
    "dzine": DZINE,
}
_VARIATION_FAMILIES: dict[str, ImageFamily] = {"recraft": RECRAFT_VARIATION}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def image_family(model: str, feature: str = IMAGE_GENERATOR) -> ImageFamily:
    """The family of ``model`` for ``feature``.

    A model keeps its generation fields in the other image features (an inference:
    wire.md#image-variation-and-editing
    captured only gpt-image-2's edit fields, and they match its generation fields).
    """
    if feature == IMAGE_VARIATOR and model in _VARIATION_FAMILIES:
        return _VARIATION_FAMILIES[model]
    if model in _FAMILIES:
        return _FAMILIES[model]
    if model.startswith(("magic-art", "midjourney")):
        return MAGIC_ART
    if model.startswith("gemini-") and "image" in model:
        return GEMINI_IMAGE
    if _UUID.fullmatch(model):
        return LEONARDO
    if model.startswith("black-forest-labs/"):
        return REPLICATE
    return GENERIC
