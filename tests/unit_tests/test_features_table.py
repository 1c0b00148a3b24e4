"""``_data/features.json``: its shape (the emulator reads it by path too), that it covers every
non-chat feature type, that every field of a typed feature cites a source and a confidence
word, and that every feature has a heading in docs/wire-features.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from langchain_oneminai import _catalog
from langchain_oneminai._media import _features

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads(_features.DATA_FILE.read_text(encoding="utf-8"))
FEATURES: dict[str, Any] = DATA["features"]
CHAT_TYPES = {
    "UNIFY_CHAT_WITH_AI",
    "CHAT_WITH_AI",
    "CHAT_WITH_IMAGE",
    "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
}
ENTRY_KEYS = {
    "group",
    "verdict",
    "conversation_id",
    "result",
    "inputs",
    "fields",
    "default_model",
    "sources",
    "note",
}
FIELD_KEYS = {
    "name",
    "type",
    "required",
    "enum",
    "minimum",
    "maximum",
    "default",
    "applies_to",
    "description",
    "confidence",
    "sources",
}
CONFIDENCE = {"documented", "observed", "web-app", "inferred", "guessed"}
PUBLIC_SOURCE = re.compile(
    r"^(https://docs\.1min\.ai/|github |pypi |docs/wire\.md#|contract notes of |an anonymous )"
)


def test_the_top_level_shape() -> None:
    assert set(DATA) == {"$comment", "features"}
    assert all(isinstance(line, str) for line in DATA["$comment"])


def test_every_non_chat_feature_type_has_an_entry() -> None:
    assert set(FEATURES) == set(_catalog.FEATURE_TYPES) - CHAT_TYPES


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_each_entry_has_the_documented_shape(feature: str) -> None:
    entry = FEATURES[feature]
    assert set(entry) == ENTRY_KEYS
    assert entry["group"] in {"image", "video", "audio", "voice", "youtube", "writing", "code"}
    assert entry["verdict"] in {"typed", "generic"}
    assert entry["conversation_id"] is None or entry["conversation_id"] == feature
    assert entry["result"] in {"image", "video", "audio", "text", "3d"}
    assert all(kind in {"image", "audio", "video", "document"} for kind in entry["inputs"].values())
    assert entry["default_model"] in _catalog.FEATURE_MODELS[feature]
    assert entry["sources"] and all(PUBLIC_SOURCE.match(s) for s in entry["sources"])
    assert entry["note"]
    if entry["verdict"] == "generic":
        assert entry["fields"] == [] and entry["inputs"] == {}
    else:
        assert entry["fields"]
        names = {f["name"] for f in entry["fields"]}
        assert set(entry["inputs"]) <= names


def fields() -> list[tuple[str, dict[str, Any]]]:
    return [(name, f) for name, entry in FEATURES.items() for f in entry["fields"]]


@pytest.mark.parametrize(("feature", "field"), fields(), ids=lambda v: str(v)[:40])
def test_every_typed_field_cites_a_source_and_a_confidence(
    feature: str, field: dict[str, Any]
) -> None:
    assert set(field) == FIELD_KEYS
    assert field["type"] in {"string", "number", "boolean", "array"}
    assert isinstance(field["required"], bool)
    assert field["confidence"] in CONFIDENCE
    assert field["sources"] and all(PUBLIC_SOURCE.match(s) for s in field["sources"])
    if field["enum"] is not None:
        assert isinstance(field["enum"], list) and field["enum"]
    for bound in ("minimum", "maximum"):
        assert field[bound] is None or isinstance(field[bound], int | float)
    if field["applies_to"] is not None:
        assert field["applies_to"] and all(isinstance(m, str) for m in field["applies_to"])


def test_no_text_points_outside_the_repository() -> None:
    text = _features.DATA_FILE.read_text(encoding="utf-8")
    assert "/work/" not in text and "\u00a7" not in text and "REF " not in text


def test_every_feature_has_a_heading_in_the_feature_wire_notes() -> None:
    """``wire-features.md#text-to-sound``: the type in lower case, ``_`` as ``-``."""
    page = (ROOT / "docs" / "wire-features.md").read_text()
    headings = re.findall(r"^#{2,4} (.+?)\s*$", page, re.MULTILINE)
    anchors = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
    assert {f.lower().replace("_", "-") for f in FEATURES} <= anchors


def test_the_loaded_table_matches_the_file() -> None:
    specs = _features.feature_specs()
    assert set(specs) == set(FEATURES)
    spec = specs["TEXT_TO_SOUND"]
    assert spec.result == "audio" and spec.conversation_id == "TEXT_TO_SOUND"
    assert "text" in spec.fields_for("elevenlabs-text-to-sound")
    assert spec.documents("elevenlabs-text-to-sound")


def test_a_models_own_row_wins_over_a_shared_one() -> None:
    spec = _features.feature_spec("IMAGE_INPAINTER")
    assert spec is not None
    assert spec.fields_for("stable-image")["output_format"].enum == ("jpeg",)
