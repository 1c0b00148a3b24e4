"""Every Python block of ``README.md`` and ``docs/*.md`` runs, in order, against the emulator.

The blocks of one page share one namespace (later blocks use earlier variables), run with
``ONEMINAI_*`` pointing at the emulator and in a temporary working directory. Top-level
``await`` is allowed, as in notebooks. A page can prepare the emulator for its next block
with a hidden comment, since the emulator's own brain never calls tools or writes JSON::

    <!-- test-setup: emulator.script_chat('{"tool_calls": [...]}') -->

The statement runs with ``emulator`` bound to the emulator. Blocks fenced as ``bash`` or
``text`` are not run.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from langchain_oneminai.emulator import OneMinAIEmulator

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SETUP = re.compile(r"<!--\s*test-setup:\s*(.*?)\s*-->", re.DOTALL)
_PAGES_SHOWING_FAILURES = {"errors.md"}
_PAGES_WITH_OWN_EMULATOR = {"emulator.md"}  # its examples start (and assert on) their own


@dataclass
class Block:
    line: int
    code: str
    setup: list[str]


def blocks_of(page: Path) -> list[Block]:
    """The page's Python blocks with the setup comments that precede each."""
    text = page.read_text()
    found = []
    position = 0
    for match in _FENCE.finditer(text):
        setup = _SETUP.findall(text, position, match.start())
        found.append(Block(text.count("\n", 0, match.start()) + 2, match.group(1), setup))
        position = match.end()
    return found


def test_every_page_has_runnable_python() -> None:
    assert (ROOT / "docs").is_dir()
    for page in PAGES:
        assert blocks_of(page), f"{page.name} has no python block"


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_examples_run(
    page: Path, emulator: OneMinAIEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONEMINAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("ONEMINAI_BASE_URL", emulator.base_url)
    monkeypatch.setenv("ONEMINAI_ASSET_BASE_URL", emulator.asset_base_url)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photo.png").write_bytes(_tiny_png())
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks_of(page):
        for statement in block.setup:
            exec(statement, {"emulator": emulator})  # noqa: S102 - our own docs
        code = compile(
            block.code, f"{page.name}:{block.line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        with contextlib.redirect_stdout(io.StringIO()):
            result = eval(code, namespace)  # noqa: S307 - our own docs
            if inspect.iscoroutine(result):
                asyncio.run(result)
    # The examples must really have talked to 1min.ai (here: the emulator), with the key from
    # the environment, and - outside the pages that show failures on purpose - successfully.
    if page.name in _PAGES_WITH_OWN_EMULATOR:
        return
    sent = emulator.requests
    assert sent, f"{page.name}'s examples sent no request"
    # The key goes to the API, never to the asset host (downloads are keyless).
    keyed = [(r.route, r.key_valid) for r in sent]
    assert keyed == [(route, route != "download") for route, _ in keyed], keyed
    if page.name not in _PAGES_SHOWING_FAILURES:
        failed = [(r.method, r.path, r.status) for r in sent if not 200 <= r.status < 300]
        assert not failed, f"{page.name}'s examples got errors: {failed}"


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
