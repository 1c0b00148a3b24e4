"""``promptObject`` checks of ``POST /api/features`` driven by the feature table.

wire.md#features-envelope, wire-features.md#endpoint-and-envelope.

After the model (``UNSUPPORTED_MODEL``, checked first by ``_checks.require_model``), a typed
feature's request is checked in this order, each failure a 400
``REQUEST_BODY_VALIDATION_FAILED`` naming the field:

1. every field the table marks required for the request's model is present (a string also
   non-empty), in the table's order;
2. every present field the model takes has the table's JSON type (with ``check_field_values``:
   also its enum and range);
3. every present asset input (``imageUrl``, ``maskUrl``, ``audioUrl``, ``videoUrl``…) is a stored
   asset key, or an http(s) URL where ``feature_input_urls`` allows one (kling's ``image`` may
   also be base64).

A generic feature (no source shows its fields) accepts any ``promptObject``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from langchain_oneminai.emulator._checks import require_text
from langchain_oneminai.emulator._envelope import Context, validation_error
from langchain_oneminai.emulator._feature_table import FeatureSpec, FieldSpec

URL_INPUTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("BACKGROUND_REMOVER", "imageUrl"),  # observed: an external https URL works
        ("IMAGE_EXTENDER", "imageUrl"),  # clipdrop: "URL or internal path"
        ("SKETCH_TO_IMAGE", "imageUrl"),  # controlnet-scribble's example
        ("CAPTIONS_GENERATOR", "videoUrl"),  # "Video file URL or asset key"
        ("VIDEO_FACE_SWAPPER", "targetVideoUrl"),  # "Target video URL or asset key"
        ("VIDEO_FACE_SWAPPER", "swapImageUrl"),  # "Source face image URL or asset key"
        ("IMAGE_TO_VIDEO", "image"),  # kling: "base64-encoded image or image URL"
    }
)
"""The asset inputs a source shows taking an http(s) URL.

wire-features.md#endpoint-and-envelope.
"""

BASE64_INPUTS: frozenset[tuple[str, str]] = frozenset({("IMAGE_TO_VIDEO", "image")})
"""The asset inputs documented to take base64 image data too (kling's ``image``)."""

_MIN_BASE64_BYTES = 16
_MISSING_SUFFIX = {
    "string": "must be a string",
    "number": "must be a number",
    "boolean": "must be a boolean value",
    "array": "must be an array",
    "object": "must be an object",
}


def _lookup(prompt_object: dict[str, Any], name: str) -> tuple[bool, Any]:
    """``(present, value)`` of a (possibly dotted) field."""
    node: Any = prompt_object
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _has_type(value: Any, kind: str | None) -> bool:
    if kind is None:
        return True
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    python = {"string": str, "boolean": bool, "array": list, "object": dict}[kind]
    return isinstance(value, python)


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _check_values(name: str, value: Any, specs: list[FieldSpec]) -> None:
    """Enum and range of ``value`` against the first entry of its type (``check_field_values``)."""
    spec = next((s for s in specs if _has_type(value, s.type)), specs[0])
    items = value if isinstance(value, list) else [value]
    if spec.enum is not None:
        for item in items:
            if item not in spec.enum:
                allowed = ", ".join(str(option) for option in spec.enum)
                raise validation_error(
                    f"promptObject.{name} must be one of the following values: {allowed}"
                )
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise validation_error(
                f"promptObject.{name} must not be less than {_number_text(spec.minimum)}"
            )
        if spec.maximum is not None and value > spec.maximum:
            raise validation_error(
                f"promptObject.{name} must not be greater than {_number_text(spec.maximum)}"
            )


def check_fields(
    ctx: Context, spec: FeatureSpec, model: str, prompt_object: dict[str, Any]
) -> None:
    """Steps 1 and 2 of the module docstring (required fields, then types and values).

    Raises:
        ApiError: 400 ``REQUEST_BODY_VALIDATION_FAILED`` for the first offending field.
    """
    if not spec.typed:
        return
    fields = spec.fields_for(model)
    for name, specs in fields.items():
        present, value = _lookup(prompt_object, name)
        if present or not any(s.required for s in specs):
            continue
        kind = next((s.type for s in specs if s.required), None)
        raise validation_error(
            f"promptObject.{name} {_MISSING_SUFFIX.get(kind or '', 'is required')}"
        )
    for name, specs in fields.items():
        present, value = _lookup(prompt_object, name)
        if not present:
            continue
        if not any(_has_type(value, s.type) for s in specs):
            kind = specs[0].type or ""
            raise validation_error(f"promptObject.{name} {_MISSING_SUFFIX.get(kind, 'is invalid')}")
        if isinstance(value, str) and any(s.required for s in specs) and not value.strip():
            raise validation_error(f"promptObject.{name} should not be empty")
        if ctx.settings.check_field_values:
            _check_values(name, value, specs)


def is_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _is_base64(value: str) -> bool:
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value else value
    try:
        return len(base64.b64decode(text, validate=True)) >= _MIN_BASE64_BYTES
    except (binascii.Error, ValueError):
        return False


def url_allowed(ctx: Context, feature: str, field: str) -> bool:
    """Whether ``field`` of ``feature`` may hold an http(s) URL (per ``feature_input_urls``)."""
    mode = ctx.settings.feature_input_urls
    return mode == "any" or (mode == "documented" and (feature, field) in URL_INPUTS)


def check_inputs(ctx: Context, spec: FeatureSpec, prompt_object: dict[str, Any]) -> None:
    """Step 3 of the module docstring: every present asset input names something usable.

    Raises:
        ApiError: 400 ``REQUEST_BODY_VALIDATION_FAILED`` for the first unusable value.
    """
    if not spec.typed:
        return
    for name in spec.inputs:
        if name not in prompt_object:
            continue
        value = prompt_object[name]
        listed = isinstance(value, list)
        for index, item in enumerate(value if listed else [value]):
            where = f"promptObject.{name}[{index}]" if listed else f"promptObject.{name}"
            if not isinstance(item, str):
                raise validation_error(f"{where} must be a string")
            if ctx.state.asset(item) is not None:
                continue
            if is_url(item) and url_allowed(ctx, spec.name, name):
                continue
            if (spec.name, name) in BASE64_INPUTS and _is_base64(item):
                continue
            raise validation_error(f"{where} is not a known asset key: {item}")


def require_input(ctx: Context, feature: str, prompt_object: dict[str, Any], field: str) -> str:
    """``promptObject[field]``: a stored asset's key, or a URL where ``url_allowed`` says so.

    Raises:
        ApiError: 400 ``REQUEST_BODY_VALIDATION_FAILED`` otherwise.
    """
    value = require_text(prompt_object, field)
    if ctx.state.asset(value) is None and not (is_url(value) and url_allowed(ctx, feature, field)):
        raise validation_error(f"promptObject.{field} is not a known asset key: {value}")
    return value
