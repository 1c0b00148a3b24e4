"""The model catalog the emulator serves, read from ``langchain_oneminai/_data/models.json``.

That file is shared with the client (``langchain_oneminai/_catalog.py`` reads it too); both
sides read it by path, so the emulator imports no client code. Its shape is documented in its
own ``$comment``; this module turns it into frozen values once and checks it as it goes, so a
broken file fails loudly at the first use instead of serving a wrong catalog.

    models.json ──read──▶ parse_catalog() ──▶ CatalogData(chat, features, details, ...)
                                                    │
                              EmulatorState seeds its mutable catalog from it
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent.parent / "_data" / "models.json"
"""The catalog data file (package data, next to the emulator package)."""


class CatalogDataError(ValueError):
    """The data file does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the sources record about one model (chat or not)."""

    model_id: str
    """``modelId``."""
    name: str
    """``name``: the catalog's display name."""
    provider: str | None
    """``provider`` (the dump has ``null`` for Google's speech models)."""
    group: str | None
    """``group``, e.g. ``"alibaba/qwen"``."""
    price: Mapping[str, Any] | None
    """``creditMetadata`` without ``CONTEXT`` / ``MAX_OUTPUT_TOKEN``; ``None``: not recorded."""
    tags: tuple[str, ...] = ()
    """``features[]`` entries that are capability tags, not feature types."""
    vision: bool = False
    """Chat models: whether ``modality.INPUT`` holds ``"image"``."""
    context: int | None = None
    """Chat models: ``creditMetadata.CONTEXT``."""
    max_output: int | None = None
    """Chat models: ``creditMetadata.MAX_OUTPUT_TOKEN``."""
    chat: bool = False
    """Whether this is a ``UNIFY_CHAT_WITH_AI`` model (it then has a ``modality``)."""


@dataclass(frozen=True, slots=True)
class CatalogData:
    """The whole data file, parsed."""

    chat: tuple[ModelFacts, ...]
    """The ``UNIFY_CHAT_WITH_AI`` models, in catalog order."""
    features: Mapping[str, tuple[str, ...]]
    """Every other feature -> its model ids, in catalog order."""
    details: Mapping[str, ModelFacts]
    """The models that are not chat models, by id."""
    language_required_stt: frozenset[str]
    """``SPEECH_TO_TEXT`` models that need ``promptObject.language``."""
    feature_types: frozenset[str]
    """Every feature type 1min.ai is known to have (wire.md#feature-types), chat ones included."""


def _text(entry: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = entry.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise CatalogDataError(f"{where}.{key} must be a string")
    return value


def _number(entry: Mapping[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise CatalogDataError(f"{where}.{key} must be an integer or null")
    return value


def _object(value: Any, where: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, Mapping):
        raise CatalogDataError(f"{where} must be an object")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CatalogDataError(f"{where} must be a list of strings")
    return tuple(value)


def _facts(model_id: str, entry: Mapping[str, Any], where: str, *, chat: bool) -> ModelFacts:
    vision = entry.get("vision", False)
    if not isinstance(vision, bool):
        raise CatalogDataError(f"{where}.vision must be a boolean")
    return ModelFacts(
        model_id=model_id,
        name=_text(entry, "name", where),
        provider=_text(entry, "provider", where, optional=True),
        group=_text(entry, "group", where, optional=True),
        price=_object(entry.get("price"), f"{where}.price", optional=True),
        tags=_strings(entry.get("tags", []), f"{where}.tags"),
        vision=vision,
        context=_number(entry, "context", where),
        max_output=_number(entry, "max_output", where),
        chat=chat,
    )


def parse_catalog(raw: Any) -> CatalogData:
    """Check and convert the data file's JSON (pure).

    Args:
        raw: The decoded JSON of ``models.json``.

    Returns:
        The catalog.

    Raises:
        CatalogDataError: the JSON does not have the documented shape, or a feature lists a
            model the file describes nowhere.
    """
    root = _object(raw, "models.json")
    chat: list[ModelFacts] = []
    for index, entry in enumerate(root.get("chat_models") or []):
        where = f"chat_models[{index}]"
        _object(entry, where)
        chat.append(_facts(_text(entry, "id", where), entry, where, chat=True))
    details = {
        model_id: _facts(
            model_id, _object(entry, f"model_details.{model_id}"), model_id, chat=False
        )
        for model_id, entry in _object(root.get("model_details"), "model_details").items()
    }
    known = {m.model_id for m in chat} | set(details)
    features: dict[str, tuple[str, ...]] = {}
    for feature, groups in _object(root.get("feature_models"), "feature_models").items():
        if not isinstance(groups, list):
            raise CatalogDataError(f"feature_models.{feature} must be a list of groups")
        ids: list[str] = []
        for index, group in enumerate(groups):
            where = f"feature_models.{feature}[{index}]"
            ids += _strings(_object(group, where).get("models"), f"{where}.models")
        missing = sorted(set(ids) - known)
        if missing:
            raise CatalogDataError(f"feature_models.{feature} names undescribed models: {missing}")
        features[feature] = tuple(dict.fromkeys(ids))
    stt = _object(root.get("language_required_stt_models"), "language_required_stt_models")
    feature_types = {
        feature_type
        for group, types in _object(root.get("feature_types"), "feature_types").items()
        for feature_type in _strings(types, f"feature_types.{group}")
    }
    unlisted = sorted(set(features) - feature_types)
    if unlisted:
        raise CatalogDataError(f"feature_models names unknown feature types: {unlisted}")
    return CatalogData(
        chat=tuple(chat),
        features=features,
        details=details,
        language_required_stt=frozenset(_strings(stt.get("models"), "stt.models")),
        feature_types=frozenset(feature_types),
    )


@functools.cache
def load_catalog(path: Path = DATA_FILE) -> CatalogData:
    """The parsed data file (read once per path)."""
    return parse_catalog(json.loads(path.read_text(encoding="utf-8")))
