"""Image-operation tool arguments -> what one call sends (pure).

One row per image feature (``IMAGE_OPERATIONS``): which field each argument goes to, which
arguments are pictures to upload, what a model gets for required fields a call leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_oneminai._media._plans import _mapped, feature_call
from langchain_oneminai._media._tool import FeatureCall, MediaInput
from langchain_oneminai.client._media_types import MediaKind
from langchain_oneminai.errors import InvalidInputError

__all__ = ["IMAGE_OPERATIONS", "ImageOperation", "image_operation_call"]


@dataclass(frozen=True, slots=True)
class ImageOperation:
    """One image feature: its fields, its file inputs, what a call fills in."""

    feature: str
    """The feature type."""
    fields: Mapping[str, str]
    """Tool argument -> ``promptObject`` field."""
    files: Mapping[str, tuple[str, MediaKind]]
    """Tool argument -> (field, kind) of the pictures it takes."""
    fills: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Per model: required fields without a documented default, and what is sent."""
    defaults: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Per model: conditionally required fields sent unless given."""
    result: str | None = "image"
    """``image`` files, or ``None``: a text result (image-to-prompt)."""


_IMAGE: tuple[str, MediaKind] = ("imageUrl", "image")
IMAGE_OPERATIONS: dict[str, ImageOperation] = {
    "BACKGROUND_REMOVER": ImageOperation(
        "BACKGROUND_REMOVER", {"output_format": "output_format"}, {"image": _IMAGE}
    ),
    "BACKGROUND_REPLACER": ImageOperation(
        "BACKGROUND_REPLACER",
        {
            "prompt": "prompt",
            "n": "n",
            "size": "size",
            "quality": "quality",
            "output_format": "output_format",
            "negative_prompt": "negative_prompt",
        },
        {"image": _IMAGE},
    ),
    "IMAGE_UPSCALER": ImageOperation(
        "IMAGE_UPSCALER", {"output_format": "output_format"}, {"image": _IMAGE}
    ),
    # midjourney / magic-art need mode 'describe' ("required for specific models").
    "IMAGE_TO_PROMPT": ImageOperation(
        "IMAGE_TO_PROMPT",
        {"n": "n"},
        {"image": _IMAGE},
        defaults={"midjourney": {"mode": "describe"}, "magic-art": {"mode": "describe"}},
        result=None,
    ),
    "IMAGE_OBJECT_REMOVER": ImageOperation(
        "IMAGE_OBJECT_REMOVER",
        {"output_format": "output_format"},
        {"image": _IMAGE, "mask": ("maskUrl", "image")},
    ),
    "IMAGE_EXTENDER": ImageOperation(
        "IMAGE_EXTENDER",
        {
            "left": "left",
            "right": "right",
            "up": "up",
            "down": "down",
            "output_format": "output_format",
        },
        {"image": _IMAGE},
    ),
    # stable-image's mask editor: output_format required, 'Must be jpeg'.
    "IMAGE_INPAINTER": ImageOperation(
        "IMAGE_INPAINTER",
        {"prompt": "prompt", "n": "n", "size": "size", "output_format": "output_format"},
        {"image": _IMAGE, "mask": ("maskUrl", "image")},
        fills={"stable-image": {"output_format": "jpeg"}},
    ),
    "SEARCH_AND_REPLACE": ImageOperation(
        "SEARCH_AND_REPLACE",
        {"search": "search_prompt", "prompt": "prompt"},
        {"image": _IMAGE},
    ),
    # stable-image: control_strength and output_format required without defaults: the docs'
    # example 0.7, and png.
    "SKETCH_TO_IMAGE": ImageOperation(
        "SKETCH_TO_IMAGE",
        {
            "prompt": "prompt",
            "control_strength": "control_strength",
            "negative_prompt": "negative_prompt",
            "output_format": "output_format",
            "style_preset": "style_preset",
        },
        {"image": _IMAGE},
        fills={"stable-image": {"control_strength": 0.7, "output_format": "png"}},
    ),
    # dzine's names are the reverse of intuition: swapImageUrl is the picture that receives
    # the face, targetImageUrl the face (wire-features.md#face-swapper).
    "FACE_SWAPPER": ImageOperation(
        "FACE_SWAPPER",
        {"n": "n", "output_format": "output_format"},
        {"image": ("swapImageUrl", "image"), "face": ("targetImageUrl", "image")},
    ),
}


def image_operation_call(feature: str, arguments: Mapping[str, Any], model: str) -> FeatureCall:
    """The call of an image-operation tool, from its arguments (``extras`` among them).

    Raises:
        InvalidInputError: an argument the model does not take, a value it refuses, an
            extension by no pixels.
    """
    operation = IMAGE_OPERATIONS[feature]
    values = {k: v for k, v in arguments.items() if v is not None and k not in ("model", "extras")}
    inputs = tuple(
        MediaInput(wire, values.pop(argument), kind)
        for argument, (wire, kind) in operation.files.items()
        if argument in values
    )
    for text in ("prompt", "search"):
        if text in values and not str(values[text]).strip():
            raise InvalidInputError(f"{text} must not be empty.")
    if feature == "IMAGE_EXTENDER" and not any(
        values.get(s) for s in ("left", "right", "up", "down")
    ):
        raise InvalidInputError(
            "Say how far to extend: give at least one of left, right, up, down (in pixels)."
        )
    body, names = _mapped(feature, model, values, operation.fields)
    for name, value in operation.defaults.get(model, {}).items():
        body.setdefault(name, value)
    return feature_call(
        feature,
        model,
        body,
        fetch=operation.result,
        inputs=inputs,
        extras=arguments.get("extras"),
        fills=operation.fills.get(model),
        arguments=names,
        managed=tuple(operation.fields.values()),
    )
