"""Known 1min.ai models and feature types, read from the one data file both sides share.

``_data/models.json`` holds the model catalog as the public sources record it
(wire.md#known-models): the client reads it here, the emulator reads the same file by path
(neither imports the other). This table serves no network:

* ``ChatOneMinAI.profile`` (vision, context size) at construction time, and the
  "did you mean" suggestions of ``UnsupportedModelError`` (per feature);
* the pre-send checks of the media tools (which speech models need a language).

The live catalog (``OneMinAIClient.list_models``) is always the authority; 1min.ai adds and
retires models often, so nothing here is used to *refuse* a model id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent / "_data" / "models.json"


@dataclass(frozen=True, slots=True)
class KnownChatModel:
    """A chat model of the ``UNIFY_CHAT_WITH_AI`` catalog."""

    model_id: str
    """The id sent as ``model``."""
    provider: str
    """``provider`` as the catalog spells it."""
    vision: bool
    """Whether ``modality.INPUT`` contains ``"image"``."""
    context: int | None = None
    """``creditMetadata.CONTEXT`` where the sources recorded it."""
    max_output: int | None = None
    """``creditMetadata.MAX_OUTPUT_TOKEN`` where the sources recorded it."""


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


_CATALOG = _load()

CHAT_MODELS: tuple[KnownChatModel, ...] = tuple(
    KnownChatModel(
        model_id=entry["id"],
        provider=entry.get("provider") or "",
        vision=bool(entry.get("vision")),
        context=entry.get("context"),
        max_output=entry.get("max_output"),
    )
    for entry in _CATALOG["chat_models"]
)
"""The ``UNIFY_CHAT_WITH_AI`` catalog, in catalog order."""

CHAT_MODELS_BY_ID: dict[str, KnownChatModel] = {m.model_id: m for m in CHAT_MODELS}
"""``CHAT_MODELS`` by id."""

FEATURE_MODELS: dict[str, tuple[str, ...]] = {
    feature: tuple(dict.fromkeys(m for group in groups for m in group["models"]))
    for feature, groups in _CATALOG["feature_models"].items()
}
"""Every other feature -> its model ids, in catalog order."""

GOOGLE_STT_MODELS: frozenset[str] = frozenset(_CATALOG["language_required_stt_models"]["models"])
"""Speech-to-text models that require ``promptObject.language`` (wire.md#google-speech-models)."""

OPENAI_TTS_VOICES: tuple[str, ...] = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
"""The documented ``voice`` values of the OpenAI TTS models (wire.md#text-to-speech)."""

TTS_FORMATS: tuple[str, ...] = ("mp3", "opus", "aac", "flac", "wav", "pcm")
"""The documented ``response_format`` values of TEXT_TO_SPEECH (wire.md#text-to-speech)."""

PRICES: dict[str, dict[str, Any]] = {
    **{entry["id"]: entry["price"] for entry in _CATALOG["chat_models"] if entry.get("price")},
    **{
        model_id: details["price"]
        for model_id, details in _CATALOG["model_details"].items()
        if details.get("price")
    },
}
"""Model id -> its ``creditMetadata`` as the sources recorded it (for labelled estimates)."""

FEATURES: tuple[str, ...] = ("UNIFY_CHAT_WITH_AI", *FEATURE_MODELS)
"""Every feature this table knows models of."""

FEATURE_TYPES: tuple[str, ...] = tuple(
    feature_type for types in _CATALOG["feature_types"].values() for feature_type in types
)
"""Every feature type 1min.ai is known to have (wire.md#feature-types: 59 + 2)."""


def known_model_ids(feature: str = "UNIFY_CHAT_WITH_AI") -> tuple[str, ...]:
    """The model ids this table knows for ``feature`` (empty for an unknown feature)."""
    if feature == "UNIFY_CHAT_WITH_AI":
        return tuple(m.model_id for m in CHAT_MODELS)
    return FEATURE_MODELS.get(feature, ())
