"""Model objects for ``GET /models?feature=`` (wire.md#model-catalog), from the catalog data.

Every object carries the 18 keys of the live catalog's model schema (maerzlc's dump kept
their names, not all their values). What the data file records is served as recorded:
``modelId``, ``name``, ``provider``, ``group``, ``creditMetadata`` (prices, ``CONTEXT``,
``MAX_OUTPUT_TOKEN``), ``modality`` and ``features[]``. The rest are emulator placeholders,
the same for every model and deterministic: ``uuid`` (hashed from the id), ``status``
``"ACTIVE"``, fixed ``createdAt``/``updatedAt``, ``numberOfStars`` 0, and ``null`` for
``cutoffDate``, ``logoUrl``, ``information``, ``createdBy``, ``updatedBy``,
``creditEstimation`` (no source shows their values or types). A model without recorded prices
(newer ids, ``add_model``) gets placeholder prices.
"""

from __future__ import annotations

import hashlib
from typing import Any

from langchain_oneminai.emulator._catalog_data import ModelFacts
from langchain_oneminai.emulator._state import uuid_from_bytes

MODEL_KEYS: tuple[str, ...] = (
    "uuid",
    "modelId",
    "name",
    "group",
    "provider",
    "status",
    "cutoffDate",
    "logoUrl",
    "features",
    "creditMetadata",
    "modality",
    "information",
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "numberOfStars",
    "creditEstimation",
)
"""The keys of a model object, in the order served (maerzlc ``model_schema.top_level_keys``)."""

PLACEHOLDER_CHAT_PRICE = {"INPUT": 1, "OUTPUT": 4}
"""Prices of a chat model whose prices no source recorded."""

PLACEHOLDER_LOW_IMAGE = 800
"""``LOW_IMAGE`` of such a model when it takes images."""

PLACEHOLDER_ALL = 1000
"""``creditMetadata.ALL`` of a non-chat model whose price no source recorded."""

_CATALOG_TIME = "2025-01-01T00:00:00.000Z"


def model_uuid(model_id: str) -> str:
    """A stable uuid4-shaped ``uuid`` for a model id."""
    return uuid_from_bytes(hashlib.sha256(b"model:" + model_id.encode()).digest())


def credit_metadata(facts: ModelFacts) -> dict[str, Any]:
    """``creditMetadata``: the recorded prices (else placeholders), plus the token limits."""
    if facts.price is not None:
        credit = dict(facts.price)
    elif facts.chat:
        credit = dict(PLACEHOLDER_CHAT_PRICE)
        if facts.vision:
            credit["LOW_IMAGE"] = PLACEHOLDER_LOW_IMAGE
    else:
        credit = {"ALL": PLACEHOLDER_ALL}
    if facts.context is not None:
        credit["CONTEXT"] = facts.context
    if facts.max_output is not None:
        credit["MAX_OUTPUT_TOKEN"] = facts.max_output
    return credit


def model_object(facts: ModelFacts, features: list[str]) -> dict[str, Any]:
    """One model as ``GET /models`` lists it: all 18 keys, ``modality`` null for non-chat."""
    modality = (
        {"INPUT": ["text", "image"] if facts.vision else ["text"], "OUTPUT": ["text"]}
        if facts.chat
        else None
    )
    return {
        "uuid": model_uuid(facts.model_id),
        "modelId": facts.model_id,
        "name": facts.name,
        "group": facts.group,
        "provider": facts.provider,
        "status": "ACTIVE",
        "cutoffDate": None,
        "logoUrl": None,
        "features": features,
        "creditMetadata": credit_metadata(facts),
        "modality": modality,
        "information": None,
        "createdAt": _CATALOG_TIME,
        "createdBy": None,
        "updatedAt": _CATALOG_TIME,
        "updatedBy": None,
        "numberOfStars": 0,
        "creditEstimation": None,
    }


def chat_credit(input_words: int, output_words: int) -> int:
    """Placeholder credit cost of a chat call: 1 per prompt word, 4 per reply word.

    The real formula is undocumented (wire.md#credits-and-usage), so the emulator does not
    pretend to apply the catalog's prices.
    """
    return (
        input_words * PLACEHOLDER_CHAT_PRICE["INPUT"]
        + output_words * (PLACEHOLDER_CHAT_PRICE["OUTPUT"])
    )


def feature_credit(facts: ModelFacts | None) -> int:
    """Placeholder credit cost of a feature call: the model's ``ALL`` price when it has one."""
    price = facts.price if facts is not None else None
    value = price.get("ALL") if price is not None else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value)
    return PLACEHOLDER_ALL
