"""The feature table the emulator checks requests against: ``_data/features.json``.

Like the model catalog (``_catalog_data``), the file is shared with the client and read by
path, so the emulator imports no client code. It says, per non-chat feature type, which
``promptObject`` fields each model takes (required or not, JSON type, allowed values), which
fields take an uploaded asset (``inputs``), and what kind of result the feature returns::

    features.json ──read──▶ parse_features() ──▶ {FEATURE: FeatureSpec(fields, inputs, result)}
                                                      │
               _feature_checks (required fields, types, asset keys) and _feature_media use it

The file's own ``$comment`` documents its shape; this module checks the parts the emulator
relies on and fails loudly on a broken file.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent.parent / "_data" / "features.json"
"""The feature table (package data, next to the emulator package)."""

RESULT_KINDS = ("image", "video", "audio", "text", "3d")
"""What a feature's ``resultObject`` holds: asset keys of a media kind, or text."""

MEDIA_KINDS = ("image", "video", "audio", "3d")
"""Result kinds whose ``resultObject`` holds asset keys (the first gets a ``temporaryUrl``)."""

JSON_TYPES = ("string", "number", "boolean", "array", "object")
"""The JSON types a field may declare."""


class FeatureTableError(ValueError):
    """The feature table does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One ``promptObject`` field of a feature, for some or all of its models."""

    name: str
    """The key; a dotted name is a key of a nested object (``voice_settings.stability``)."""
    type: str | None
    """Its JSON type (one of ``JSON_TYPES``), or ``None`` when the table does not say."""
    required: bool
    """Whether a source says the models of ``applies_to`` need it."""
    enum: tuple[Any, ...] | None
    """The allowed values (of each item, for an array), or ``None``."""
    minimum: float | None
    """The documented lower bound of a number."""
    maximum: float | None
    """The documented upper bound of a number."""
    applies_to: frozenset[str] | None
    """The models that take the field; ``None``: every model of the feature."""

    def applies(self, model: str) -> bool:
        """Whether ``model`` takes this field."""
        return self.applies_to is None or model in self.applies_to


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One feature type's entry."""

    name: str
    """The feature type."""
    typed: bool
    """``verdict == "typed"``: a source shows the fields; ``False``: any ``promptObject`` goes."""
    result: str
    """One of ``RESULT_KINDS``."""
    inputs: Mapping[str, str]
    """``promptObject`` field → asset kind, for the fields that take an uploaded asset."""
    fields: tuple[FieldSpec, ...]
    """The fields, in the table's order (a name repeats when model groups differ)."""

    def fields_for(self, model: str) -> dict[str, list[FieldSpec]]:
        """The fields ``model`` takes, by name, in the table's order."""
        found: dict[str, list[FieldSpec]] = {}
        for spec in self.fields:
            if spec.applies(model):
                found.setdefault(spec.name, []).append(spec)
        return found

    def known_keys(self) -> frozenset[str]:
        """Every top-level ``promptObject`` key the table names, for any model."""
        return frozenset({spec.name.split(".", 1)[0] for spec in self.fields} | set(self.inputs))


def _bound(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FeatureTableError(f"{where} must be a number or null")
    return float(value)


def _field(raw: Any, where: str) -> FieldSpec:
    if not isinstance(raw, Mapping):
        raise FeatureTableError(f"{where} must be an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise FeatureTableError(f"{where}.name must be a non-empty string")
    kind = raw.get("type")
    if kind is not None and kind not in JSON_TYPES:
        raise FeatureTableError(f"{where}.type must be one of {JSON_TYPES} or null")
    enum = raw.get("enum")
    if enum is not None and not isinstance(enum, list):
        raise FeatureTableError(f"{where}.enum must be a list or null")
    applies = raw.get("applies_to")
    if applies is not None and (
        not isinstance(applies, list) or not all(isinstance(m, str) for m in applies)
    ):
        raise FeatureTableError(f"{where}.applies_to must be a list of model ids or null")
    return FieldSpec(
        name=name,
        type=kind,
        required=raw.get("required") is True,
        enum=tuple(enum) if enum is not None else None,
        minimum=_bound(raw.get("minimum"), f"{where}.minimum"),
        maximum=_bound(raw.get("maximum"), f"{where}.maximum"),
        applies_to=frozenset(applies) if applies is not None else None,
    )


def parse_features(raw: Any) -> dict[str, FeatureSpec]:
    """Check and convert the table's JSON (pure).

    Raises:
        FeatureTableError: the JSON does not have the documented shape.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("features"), Mapping):
        raise FeatureTableError("features.json must be an object with a 'features' object")
    table: dict[str, FeatureSpec] = {}
    for name, entry in raw["features"].items():
        where = f"features.{name}"
        if not isinstance(entry, Mapping):
            raise FeatureTableError(f"{where} must be an object")
        verdict = entry.get("verdict")
        if verdict not in ("typed", "generic"):
            raise FeatureTableError(f"{where}.verdict must be 'typed' or 'generic'")
        result = entry.get("result")
        if result not in RESULT_KINDS:
            raise FeatureTableError(f"{where}.result must be one of {RESULT_KINDS}")
        inputs = {} if entry.get("inputs") is None else entry["inputs"]
        if not isinstance(inputs, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in inputs.items()
        ):
            raise FeatureTableError(f"{where}.inputs must map field names to asset kinds")
        fields = [] if entry.get("fields") is None else entry["fields"]
        if not isinstance(fields, list):
            raise FeatureTableError(f"{where}.fields must be a list")
        table[name] = FeatureSpec(
            name=name,
            typed=verdict == "typed",
            result=result,
            inputs=dict(inputs),
            fields=tuple(_field(f, f"{where}.fields[{i}]") for i, f in enumerate(fields)),
        )
    return table


@functools.cache
def load_features(path: Path = DATA_FILE) -> Mapping[str, FeatureSpec]:
    """The parsed table (read once per path)."""
    return parse_features(json.loads(path.read_text(encoding="utf-8")))


def feature_spec(feature: str) -> FeatureSpec | None:
    """The table's entry for ``feature``, if it has one."""
    return load_features().get(feature)
