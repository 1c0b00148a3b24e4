"""The emulator stands alone: no client code, no langchain-core, one shared catalog data file.

Imports are measured in fresh interpreters (``subprocess``), since this test process has long
imported the whole package.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from langchain_oneminai.emulator import EmulatorSettings
from langchain_oneminai.emulator._catalog_data import (
    DATA_FILE,
    CatalogDataError,
    load_catalog,
    parse_catalog,
)

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "langchain_oneminai"
EMULATOR = PACKAGE / "emulator"
ALLOWED = re.compile(r"langchain_oneminai(\.(emulator|_data|_version)(\..*)?)?")
"""The package modules the emulator may load: itself, the root (which imports ``_version``)."""


def _modules_after(code: str) -> list[str]:
    """``sys.modules`` of a fresh interpreter after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=45,
        check=True,
        cwd=ROOT,
    )
    modules: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return modules


def _package_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if m == "langchain_oneminai" or m.startswith("langchain_oneminai.")]


def test_importing_the_emulator_loads_no_client_code_and_no_langchain_core():
    modules = _modules_after("import langchain_oneminai.emulator")
    assert not [
        m for m in modules if m.split(".")[0] in ("langchain_core", "langchain", "pydantic")
    ]
    outside = [m for m in _package_modules(modules) if not ALLOWED.fullmatch(m)]
    assert outside == []
    assert "langchain_oneminai.emulator._server" in modules  # the test would see a no-op import


def test_serving_requests_loads_no_client_code_either():
    # Handlers, the data file and the default brain's JSON answers run only on requests.
    code = textwrap.dedent(
        """
        import json, urllib.request
        from langchain_oneminai.emulator import OneMinAIEmulator

        def call(emu, path, body=None):
            request = urllib.request.Request(
                emu.base_url + path,
                data=None if body is None else json.dumps(body).encode(),
                headers={"API-KEY": emu.api_key, "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.read()

        with OneMinAIEmulator() as emu:
            call(emu, "/models?feature=UNIFY_CHAT_WITH_AI")
            prompt = '<response_format>\\nJSON schema: {"type":"object"}\\n</response_format>'
            body = {"model": "gpt-5.4", "promptObject": {"prompt": prompt}}
            call(emu, "/api/chat-with-ai", body)
            call(emu, "/api/chat-with-ai?isStreaming=true", body)
        """
    )
    modules = _modules_after(code)
    assert "langchain_core" not in modules
    assert [m for m in _package_modules(modules) if not ALLOWED.fullmatch(m)] == []


def test_the_module_entry_point_loads_no_client_code():
    # `python -m langchain_oneminai.emulator`, as a user runs it; -X importtime lists every import.
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "langchain_oneminai.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=45,
        check=True,
        cwd=ROOT,
    )
    assert "--brain" in result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert imported, "no -X importtime output"
    assert not [m for m in imported if m.split(".")[0] == "langchain_core"]
    assert [m for m in _package_modules(imported) if not ALLOWED.fullmatch(m)] == []


def test_emulator_sources_import_nothing_of_the_client():
    # The static view of the same rule: a lazy import in a rarely run branch counts too.
    offenders = []
    for path in sorted(EMULATOR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                names = [node.module]
                if node.module == "langchain_oneminai":
                    names = [f"langchain_oneminai.{alias.name}" for alias in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in ("langchain_core", "langchain", "pydantic"):
                    offenders.append((path.name, name))
                if top == "langchain_oneminai" and not name.startswith(
                    "langchain_oneminai.emulator"
                ):
                    offenders.append((path.name, name))
    assert offenders == []


# -- the shared catalog data file -------------------------------------------------------------


def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return raw


def test_the_data_file_is_package_data_read_by_path():
    assert DATA_FILE == PACKAGE / "_data" / "models.json"
    assert not list((PACKAGE / "_data").glob("*.py"))  # data, not a module to import


def test_the_data_file_documents_its_shape_and_every_source():
    raw = _raw()
    comment = "\n".join(raw["$comment"])
    for key in ("chat_models", "feature_models", "model_details", "sources", "price", "note"):
        assert key in comment
    sources = raw["sources"]
    used = [s for m in raw["chat_models"] for s in m["sources"]]
    used += [s for groups in raw["feature_models"].values() for g in groups for s in g["sources"]]
    used += [s for d in raw["model_details"].values() for s in d["sources"]]
    used += raw["language_required_stt_models"]["sources"]
    assert set(used) <= set(sources)
    assert set(sources) <= set(used)  # no dead source either
    assert all(text.strip() for text in sources.values())


def test_what_no_capture_records_is_marked_in_a_note():
    raw = _raw()
    for entry in [*raw["chat_models"], *raw["model_details"].values()]:
        if "maerzlc-dump" not in entry["sources"]:
            assert entry.get("note"), entry  # derived names, inferred vision, missing prices
            assert entry["price"] is None


def test_the_catalog_carries_every_model_the_sources_list():
    data = load_catalog()
    chat = [m.model_id for m in data.chat]
    assert len(chat) == len(set(chat))
    assert len(chat) >= 68  # the dump's UNIFY_CHAT_WITH_AI list, in its order, comes first
    assert chat[:2] == ["qwen3-vl-plus", "qwen3-vl-flash"]
    newer = ["gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.4-pro"]
    assert set(newer) | {"gemini-3.1-flash-lite-preview"} <= set(chat)  # omi, llm-1minai
    assert {"gpt-image-2", "black-forest-labs/flux-2-pro"} <= set(data.features["IMAGE_GENERATOR"])
    assert "gpt-image-2" in data.features["IMAGE_EDITOR"]
    assert set(newer[:3]) <= set(data.features["CODE_GENERATOR"])  # omi's code snapshot
    assert len(data.features) >= 58  # every other feature of the dump, legacy chat included
    assert data.language_required_stt == {
        "latest_short",
        "latest_long",
        "telephony",
        "telephony_short",
        "phone_call",
        "medical_dictation",
        "medical_conversation",
    }
    for ids in data.features.values():
        assert all(i in data.details or i in chat for i in ids)


def test_parse_catalog_refuses_a_broken_file():
    raw = _raw()
    broken = {**raw, "feature_models": {"X": [{"models": ["no-such-model"], "sources": []}]}}
    with pytest.raises(CatalogDataError, match="no-such-model"):
        parse_catalog(broken)
    with pytest.raises(CatalogDataError, match="vision"):
        parse_catalog({**raw, "chat_models": [{**raw["chat_models"][0], "vision": "yes"}]})
    with pytest.raises(CatalogDataError, match="must be an object"):
        parse_catalog([])
    unlisted = {**raw, "feature_types": {"chat": ["UNIFY_CHAT_WITH_AI"]}}
    with pytest.raises(CatalogDataError, match="unknown feature types: \\['AUDIO_TRANSLATOR'"):
        parse_catalog(unlisted)
    assert "IMAGE_GENERATOR" in parse_catalog(raw).feature_types


# -- every knob answers an open question ------------------------------------------------------


def _anchors() -> set[str]:
    """``page#anchor`` of every heading of docs/wire.md and docs/wire-features.md."""
    anchors = set()
    for page in ("wire.md", "wire-features.md"):
        for line in (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip().lower()
                anchors.add(f"{page}#" + re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def _field_docstrings() -> dict[str, str]:
    tree = ast.parse((EMULATOR / "_types.py").read_text(encoding="utf-8"))
    settings = next(
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "EmulatorSettings"
    )
    docs: dict[str, str] = {}
    for node, following in itertools.pairwise(settings.body):
        documented = isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and documented:
            docs[node.target.id] = str(following.value.value)  # type: ignore[attr-defined]
    return docs


def test_every_knob_cites_the_open_question_it_covers():
    docs = _field_docstrings()
    fields = list(EmulatorSettings.__dataclass_fields__)
    assert sorted(docs) == sorted(fields)
    anchors = _anchors()
    for name, doc in docs.items():
        cited = re.findall(r"(wire(?:-features)?\.md#[\w-]+)", doc)
        assert cited, f"{name} cites no open question"
        assert set(cited) <= anchors, (name, set(cited) - anchors)
