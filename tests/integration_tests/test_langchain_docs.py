"""Every Python block of the LangChain-style integration pages (``docs/langchain/**``) runs.

The same rules as ``test_docs.py`` (whose parser and fixtures this reuses): the blocks of one
page share a namespace and run in order against the emulator, with ``ONEMINAI_*`` pointing at it
and in a temporary directory holding ``photo.png``; top-level ``await`` is allowed; ``bash``
blocks are not run. Fences may carry a title after the language, as LangChain's documentation
site writes them (```` ```python Set API key icon="key" ````). A hidden comment prepares the
emulator for the next block; here it also has ``ScriptedReply`` and ``Fault`` at hand::

    <!-- test-setup: emulator.script_chat(ScriptedReply.tool_calls(("get_weather", {"city": "Paris"}))) -->
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import re
from pathlib import Path

import pytest

from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from tests.integration_tests.test_docs import ROOT, _tiny_png, blocks_of

PAGES = sorted((ROOT / "docs" / "langchain").rglob("*.md"))
IDS = [p.relative_to(ROOT / "docs" / "langchain").as_posix() for p in PAGES]
COMPONENT_PAGES = {
    "chat/oneminai.md",
    "tools/oneminai.md",
    "document_loaders/oneminai.md",
    "chat_message_histories/oneminai.md",
}
# The sections of the page templates of LangChain's documentation site, in order.
REQUIRED_SECTIONS = {
    "chat/oneminai.md": ["Overview", "Details", "Features", "Setup", "Credentials", "Installation",
                         "Instantiation", "Invocation", "API reference"],
    "tools/oneminai.md": ["Overview", "Details", "Features", "Setup", "Credentials", "Installation",
                          "Instantiation", "Invocation", "Directly", "As a ToolCall",
                          "Within an agent", "API reference"],
    "document_loaders/oneminai.md": ["Overview", "Integration details", "Loader features", "Setup",
                                     "Credentials", "Installation", "Initialization", "Load",
                                     "Lazy load", "API reference"],
    "chat_message_histories/oneminai.md": ["Overview", "Integration details", "Features", "Setup",
                                           "Credentials", "Installation", "Usage", "API reference"],
    "providers/oneminai.md": ["Installation and setup", "Chat models", "Tools", "Document loaders",
                              "Chat message histories", "API reference"],
}  # fmt: skip
_HEADING = re.compile(r"^#{2,3} (.+?)\s*$", re.MULTILINE)
_LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)")


def test_the_pages_exist_with_the_template_sections() -> None:
    assert set(IDS) == set(REQUIRED_SECTIONS)
    for page, page_id in zip(PAGES, IDS, strict=True):
        text = page.read_text()
        assert text.startswith("---\ntitle: "), f"{page_id}: no front matter"
        headings = _HEADING.findall(text)
        positions = []
        for section in REQUIRED_SECTIONS[page_id]:
            assert section in headings, f"{page_id} has no '{section}' section"
            positions.append(headings.index(section))
        assert positions == sorted(positions), f"{page_id}: sections out of the template's order"
        assert blocks_of(page), f"{page_id} has no python block"
        for target in _LINK.findall(text):
            assert (page.parent / target).resolve().exists(), f"{page_id}: broken link {target}"


def test_component_pages_have_a_features_table() -> None:
    for page, page_id in zip(PAGES, IDS, strict=True):
        if page_id not in COMPONENT_PAGES:
            continue
        text = page.read_text()
        overview = text[text.index("## Overview") : text.index("## Setup")]
        assert overview.count("| :") >= 2, (
            f"{page_id}: the overview needs its details and features tables"
        )


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_langchain_page_examples_run(
    page: Path, emulator: OneMinAIEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONEMINAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("ONEMINAI_BASE_URL", emulator.base_url)
    monkeypatch.setenv("ONEMINAI_ASSET_BASE_URL", emulator.asset_base_url)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photo.png").write_bytes(_tiny_png())
    namespace: dict[str, object] = {"__name__": "__docs__"}
    setup_namespace = {"emulator": emulator, "ScriptedReply": ScriptedReply, "Fault": Fault}
    for block in blocks_of(page):
        for statement in block.setup:
            exec(statement, dict(setup_namespace))  # noqa: S102 - our own docs
        code = compile(
            block.code, f"{page.name}:{block.line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        with contextlib.redirect_stdout(io.StringIO()):
            result = eval(code, namespace)  # noqa: S307 - our own docs
            if inspect.iscoroutine(result):
                asyncio.run(result)
    sent = emulator.requests
    assert sent, f"{page.name}'s examples sent no request"
    keyed = [(r.route, r.key_valid) for r in sent]
    assert keyed == [(route, route != "download") for route, _ in keyed], keyed
    failed = [(r.method, r.path, r.status) for r in sent if not 200 <= r.status < 300]
    assert not failed, f"{page.name}'s examples got errors: {failed}"
