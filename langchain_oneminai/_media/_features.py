"""The feature table (``_data/features.json``) and the checks every feature tool runs (pure).

``_data/features.json`` holds, for every non-chat feature type, the ``promptObject`` fields
the public sources show (docs/wire-features.md): their types, allowed values, ranges,
defaults, which models take them, and each field's source and confidence. The emulator reads
the same file by path. Here it becomes frozen values once, and three checks shared by every
feature tool::

    tool arguments ──▶ the tool's family mapping (generic name ─▶ this model's field)
                   ──▶ checked_prompt_object()
                          unknown field?  refused for a model whose fields are documented
                          type / enum / range of every field that applies to the model
                          required fields: the documented default, the tool's fill-in, else refused
                   ──▶ the promptObject that is sent

Every refusal is an :class:`InvalidInputError` whose message says what the model takes, so
an agent can fix its call; nothing is sent.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from langchain_oneminai import _catalog
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "DATA_FILE",
    "FeatureSpec",
    "FieldSpec",
    "check_json",
    "checked_prompt_object",
    "feature_spec",
    "feature_specs",
]

DATA_FILE = Path(__file__).resolve().parent.parent / "_data" / "features.json"
"""The feature table (package data, shared with the emulator)."""

ResultKind = Literal["image", "video", "audio", "text", "3d"]
"""What a feature's ``resultObject`` holds."""

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One ``promptObject`` field of a feature, as the sources show it."""

    name: str
    """The key (a dotted name is a key of a nested object)."""
    type: str
    """Its JSON type."""
    required: bool
    """Whether a source marks it required (for the models in ``applies_to``)."""
    enum: tuple[Any, ...] | None
    """The allowed values, or ``None``."""
    minimum: float | None
    """The smallest documented value."""
    maximum: float | None
    """The largest documented value."""
    default: Any
    """The documented server default, or ``None``."""
    applies_to: tuple[str, ...] | None
    """The models that take it; ``None``: every model of the feature."""
    description: str | None
    """What the sources say about it."""
    confidence: str
    """``documented``, ``observed``, ``web-app``, ``inferred`` or ``guessed``."""
    sources: tuple[str, ...]
    """Where it comes from."""

    def applies(self, model: str) -> bool:
        """Whether ``model`` takes this field."""
        return self.applies_to is None or model in self.applies_to

    def check(self, model: str, value: Any) -> Any:
        """``value`` if this field takes it (a string enum value in its documented case).

        Raises:
            InvalidInputError: a wrong type, a value outside ``enum`` or the range.
        """
        types = _JSON_TYPES.get(self.type, (object,))
        is_bool = isinstance(value, bool)
        if not isinstance(value, types) or (is_bool and self.type == "number"):
            raise InvalidInputError(f"{model} takes {self.name} as a {self.type}; got {value!r}.")
        if self.enum is not None:
            value = _in_enum(model, self.name, self.enum, value)
        if self.type == "number" and (
            (self.minimum is not None and value < self.minimum)
            or (self.maximum is not None and value > self.maximum)
        ):
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            raise InvalidInputError(
                f"{model} takes {self.name} from {low or '-∞'} to {high or '∞'}; got {value!r}."
            )
        return value


def _in_enum(model: str, name: str, enum: tuple[Any, ...], value: Any) -> Any:
    for allowed in enum:
        if allowed == value and type(allowed) is type(value):
            return allowed
        if (
            isinstance(allowed, str)
            and isinstance(value, str)
            and allowed.lower() == value.strip().lower()
        ):
            return allowed
        if (
            isinstance(allowed, int | float)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and allowed == value
        ):
            return allowed
    shown = ", ".join(str(v) for v in enum)
    raise InvalidInputError(f"{model} takes {name} as one of {shown}; got {value!r}.")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One feature type: what the client sends and reads (docs/wire-features.md)."""

    name: str
    """The feature type, e.g. ``TEXT_TO_VIDEO``."""
    group: str
    """``image``, ``video``, ``audio``, ``voice``, ``youtube``, ``writing`` or ``code``."""
    verdict: Literal["typed", "generic"]
    """``typed``: sourced fields; ``generic``: the user supplies the fields."""
    conversation_id: str | None
    """The top-level ``conversationId`` sent, or ``None``."""
    result: ResultKind
    """What ``resultObject`` holds."""
    inputs: Mapping[str, str]
    """``promptObject`` fields that take an uploaded asset key, and the kind of media."""
    fields: tuple[FieldSpec, ...]
    """The sourced fields."""
    default_model: str
    """The model used when none is named."""
    sources: tuple[str, ...]
    """Every source of the entry."""
    note: str
    """Interpretations, conflicts, what is inferred."""

    def fields_for(self, model: str) -> dict[str, FieldSpec]:
        """The fields ``model`` takes, by name (a model's own row wins over a shared one)."""
        found: dict[str, FieldSpec] = {}
        for spec in self.fields:
            if not spec.applies(model):
                continue
            if spec.name not in found or spec.applies_to is not None:
                found[spec.name] = spec
        return found

    def documents(self, model: str) -> bool:
        """Whether the sources show ``model``'s own fields (so others are refused).

        True when a field names the model in ``applies_to``, or when the feature has one
        model and sourced fields.
        """
        if any(spec.applies_to and model in spec.applies_to for spec in self.fields):
            return True
        models = _catalog.FEATURE_MODELS.get(self.name, ())
        return bool(self.fields) and models == (model,)

    @property
    def models(self) -> tuple[str, ...]:
        """The feature's models in the built-in catalog (the live catalog is the authority)."""
        return _catalog.FEATURE_MODELS.get(self.name, ())


def _field(raw: Mapping[str, Any]) -> FieldSpec:
    applies = raw.get("applies_to")
    enum = raw.get("enum")
    return FieldSpec(
        name=raw["name"],
        type=raw["type"],
        required=bool(raw["required"]),
        enum=tuple(enum) if enum is not None else None,
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        default=raw.get("default"),
        applies_to=tuple(applies) if applies is not None else None,
        description=raw.get("description"),
        confidence=raw["confidence"],
        sources=tuple(raw["sources"]),
    )


def _feature(name: str, raw: Mapping[str, Any]) -> FeatureSpec:
    return FeatureSpec(
        name=name,
        group=raw["group"],
        verdict=raw["verdict"],
        conversation_id=raw.get("conversation_id"),
        result=raw["result"],
        inputs=dict(raw.get("inputs") or {}),
        fields=tuple(_field(f) for f in raw["fields"]),
        default_model=raw["default_model"],
        sources=tuple(raw.get("sources") or ()),
        note=raw.get("note") or "",
    )


@functools.cache
def feature_specs() -> Mapping[str, FeatureSpec]:
    """Every feature of the table, by type (read once)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {name: _feature(name, raw) for name, raw in data["features"].items()}


def feature_spec(name: str) -> FeatureSpec | None:
    """The table's entry for a feature type, if it has one (chat types have none)."""
    return feature_specs().get(name)


def _spec(feature: str) -> FeatureSpec:
    spec = feature_spec(feature)
    if spec is None:  # pragma: no cover - every tool names a feature of the table
        raise KeyError(feature)
    return spec


def checked_prompt_object(
    feature: str,
    model: str,
    body: Mapping[str, Any],
    *,
    extras: Mapping[str, Any] | None = None,
    inputs: Sequence[str] = (),
    fills: Mapping[str, Any] | None = None,
    arguments: Mapping[str, str] | None = None,
    managed: Sequence[str] = (),
) -> dict[str, Any]:
    """``body`` plus ``extras``, checked against the fields ``model`` takes for ``feature``.

    Args:
        feature: The feature type.
        model: The model id.
        body: The fields the tool's arguments map to (already this model's names).
        extras: Other fields, as the user gave them (``extras`` of the tools).
        inputs: Fields filled after the upload (counted as present).
        fills: Values for required fields a call left out and the sources give no default
            for (a documented example value, or the tool's choice, said where it is defined).
        arguments: The tool argument behind each field of ``body``, for messages.
        managed: Fields the tool's own arguments set (``extras`` may not set them).

    Raises:
        InvalidInputError: a field a documented model does not take, a wrong type or value,
            or a required field nobody gave (nothing is sent).
    """
    spec = _spec(feature)
    fields = spec.fields_for(model)
    documented = spec.documents(model)
    taken = {name.split(".", 1)[0] for name in fields}
    names = arguments or {}

    def takes() -> str:
        shown = sorted(n for n in taken if n not in inputs)
        return ", ".join(shown) or "no other fields"

    out: dict[str, Any] = {}
    for name, value in body.items():
        if documented and name not in taken:
            argument = names.get(name, name)
            raise InvalidInputError(
                f"{model} ({feature}) takes no {argument}. It takes: {takes()}."
            )
        out[name] = value
    for name, value in (extras or {}).items():
        if name in managed or name in inputs or name in body:
            raise InvalidInputError(
                f"Set {name!r} with the tool's {names.get(name, name)!r} argument, not in extras."
            )
        if documented and name not in taken:
            raise InvalidInputError(f"{model} ({feature}) takes no {name!r}. It takes: {takes()}.")
        out[name] = value
    check_json(out)
    for name, value in list(out.items()):
        if name in fields:
            out[name] = fields[name].check(model, value)
        if isinstance(value, Mapping):
            for key, item in value.items():
                nested = fields.get(f"{name}.{key}")
                if nested is not None:
                    nested.check(model, item)
    for name, field in fields.items():
        if not field.required or name in out or name in inputs or "." in name:
            continue
        if fills and name in fills:
            out[name] = fills[name]
        elif field.default is not None:
            out[name] = field.default
        else:
            behind = names.get(name)
            how = f"the {behind!r} argument" if behind else "extras"
            raise InvalidInputError(
                f"{model} ({feature}) needs {name}"
                + (f" ({field.description})" if field.description else "")
                + f"; give it with {how}."
            )
    return out


def check_json(body: Mapping[str, Any]) -> None:
    """Refuse fields that are not JSON values (nothing could be sent).

    Raises:
        InvalidInputError: a value ``json.dumps`` cannot write.
    """
    try:
        json.dumps(dict(body))
    except (TypeError, ValueError) as error:
        raise InvalidInputError(f"The fields must be JSON values: {error}.") from error
