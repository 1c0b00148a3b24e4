"""Model objects for ``GET /models?feature=`` (reference §14.1), built from the emulator's catalog.

The model ids, providers, vision flags and context sizes come from ``langchain_oneminai._catalog``
(the reference's live dump). What the dump does not record is marked below as a placeholder:
prices (``creditMetadata`` ``INPUT``/``OUTPUT``/``ALL``), ``name`` (the id itself) and ``status``.
``CONTEXT`` and ``MAX_OUTPUT_TOKEN`` appear only when the dump recorded them (the reference
notes that some live models lack ``MAX_OUTPUT_TOKEN``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from langchain_oneminai.emulator._state import ChatModelInfo, uuid_from_bytes

# Placeholder prices: the dump's per-model numbers were not kept, except for the two
# non-chat examples the reference quotes (§14.1); everything else is an emulator constant.
_CHAT_PRICE = {"INPUT": 1, "OUTPUT": 4}
_LOW_IMAGE = 800
_KNOWN_ALL = {"qwen-image-plus": 30000, "qwen3-tts-flash": 10}
_DEFAULT_ALL = 1000

# [INF] Providers of non-chat models are not in the catalog table; these prefixes are the
# emulator's best reading of the ids (only ``provider``/``group`` use them).
_PROVIDER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("gpt-", "openai"),
    ("dall-e", "openai"),
    ("tts-", "openai"),
    ("whisper", "openai"),
    ("o3", "openai"),
    ("gemini", "googleai"),
    ("google", "googleai"),
    ("latest_", "googleai"),
    ("telephony", "googleai"),
    ("phone_call", "googleai"),
    ("medical_", "googleai"),
    ("qwen", "alibaba"),
    ("claude", "anthropic"),
    ("grok", "xai"),
    ("deepseek", "deepseek"),
    ("elevenlabs", "elevenlabs"),
    ("midjourney", "midjourney"),
    ("magic-art", "midjourney"),
    ("stable-", "stabilityai"),
    ("recraft", "recraft"),
    ("dzine", "dzine"),
)


def model_uuid(model_id: str) -> str:
    """A stable uuid4-shaped ``uuid`` for a model id."""
    return uuid_from_bytes(hashlib.sha256(b"model:" + model_id.encode()).digest())


def provider_of(model_id: str) -> str:
    """Best-effort provider of a non-chat model id (see ``_PROVIDER_PREFIXES``)."""
    if "/" in model_id:
        return model_id.split("/", 1)[0]
    for prefix, provider in _PROVIDER_PREFIXES:
        if model_id.startswith(prefix):
            return provider
    return "leonardo" if len(model_id) == 36 and model_id.count("-") == 4 else "unknown"


def chat_model_object(model_id: str, info: ChatModelInfo, features: list[str]) -> dict[str, Any]:
    """A chat model as ``GET /models`` lists it (reference §14.1 keys and example)."""
    credit: dict[str, Any] = dict(_CHAT_PRICE)
    if info.context is not None:
        credit["CONTEXT"] = info.context
    if info.vision:
        credit["LOW_IMAGE"] = _LOW_IMAGE
    if info.max_output is not None:
        credit["MAX_OUTPUT_TOKEN"] = info.max_output
    return {
        "uuid": model_uuid(model_id),
        "modelId": model_id,
        "name": model_id,
        "group": info.provider,
        "provider": info.provider,
        "status": "ACTIVE",
        "features": features,
        "creditMetadata": credit,
        "modality": {"INPUT": ["text", "image"] if info.vision else ["text"], "OUTPUT": ["text"]},
    }


def feature_model_object(model_id: str, features: list[str]) -> dict[str, Any]:
    """A non-chat model: ``creditMetadata`` ``{"ALL": n}`` and ``modality`` null (§14.1)."""
    provider = provider_of(model_id)
    return {
        "uuid": model_uuid(model_id),
        "modelId": model_id,
        "name": model_id,
        "group": provider,
        "provider": provider,
        "status": "ACTIVE",
        "features": features,
        "creditMetadata": {"ALL": _KNOWN_ALL.get(model_id, _DEFAULT_ALL)},
        "modality": None,
    }


def chat_credit(input_words: int, output_words: int) -> int:
    """Placeholder credit cost of a chat call, from the placeholder prices above."""
    return input_words * _CHAT_PRICE["INPUT"] + output_words * _CHAT_PRICE["OUTPUT"]


def feature_credit(model_id: str) -> int:
    """Placeholder credit cost of a feature call: its ``creditMetadata.ALL``."""
    return _KNOWN_ALL.get(model_id, _DEFAULT_ALL)
