"""Docs that cannot drift: every citation resolves to a heading of the wire notes, and every
name a docstring puts in backticks exists (in the package, in the wire notes, in LangChain,
the standard library or the HTTP libraries)."""

from __future__ import annotations

import ast
import builtins
import importlib
import keyword
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "langchain_oneminai"
CODE = [
    *sorted(PACKAGE.rglob("*.py")),
    *sorted((ROOT / "tests").rglob("*.py")),
    *sorted((ROOT / "benchmarks").rglob("*.py")),
    *sorted((ROOT / "evals").rglob("*.py")),
]
WIRE_DOCS = sorted((ROOT / "docs").glob("wire*.md"))

_CITATION = re.compile(r"(wire(?:-[a-z]+)?\.md)#([A-Za-z0-9_-]+)")
_COMMENT_CITATION = re.compile(r"#\s*wire:\s*([a-z0-9-]+)")
_BACKTICKED = re.compile(r"``([^`\n]+)``|:(?:class|meth|func|attr|data|mod|exc):`~?([^`\n]+)`")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?")
_MODULES_TO_SEARCH = (
    "builtins",
    "asyncio",
    "contextlib",
    "json",
    "pathlib",
    "typing",
    "dataclasses",
    "warnings",
    "logging",
    "zlib",
    "socket",
    "aiohttp",
    "requests",
    "urllib3",
    "pydantic",
    "pytest",
    "langchain_core.messages",
    "langchain_core.language_models",
    "langchain_core.runnables",
    "langchain_core.runnables.history",
    "langchain_core.tools",
    "langchain_core.chat_history",
    "langchain_core.documents",
    "langchain_core.document_loaders",
    "langchain_core.outputs",
    "langchain_core.exceptions",
    "langchain_core.utils.function_calling",
    "langchain_core.load",
    "langchain_core.callbacks",
)


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lowercase, punctuation dropped, spaces to '-'."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in WIRE_DOCS:
        headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", page.read_text(), re.MULTILINE)
        found[page.name] = {anchor(h) for h in headings}
    return found


def test_the_wire_notes_exist_and_have_headings() -> None:
    assert "wire.md" in anchors()
    assert {"chat-stream", "errors", "model-catalog"} <= anchors()["wire.md"]


def citations() -> Iterator[tuple[str, str, str]]:
    for path in CODE:
        text = path.read_text()
        for match in _CITATION.finditer(text):
            yield str(path.relative_to(ROOT)), match.group(1), match.group(2)
        for match in _COMMENT_CITATION.finditer(text):
            yield str(path.relative_to(ROOT)), "wire.md", match.group(1)


def test_every_citation_resolves_to_a_heading_of_the_wire_notes() -> None:
    broken = [
        f"{where}: {page}#{name}"
        for where, page, name in citations()
        if name not in anchors().get(page, set())
    ]
    assert broken == []
    assert sum(1 for _ in citations()) > 100  # the code does cite its facts


def test_no_citation_points_at_a_document_outside_the_repository() -> None:
    leftovers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in CODE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ("§" in line or "oneminai-api.md" in line) and path.name != "test_docstrings.py"
    ]
    assert leftovers == []


# -- backticked names -------------------------------------------------------------------


def docstrings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for index, item in enumerate(body):
            value = item.value if isinstance(item, ast.Expr) else None
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            first = index == 0 and isinstance(
                node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
            )
            after_assignment = index > 0 and isinstance(body[index - 1], ast.Assign | ast.AnnAssign)
            if first or after_assignment:
                yield item.lineno, value.value


@cache
def package_names() -> frozenset[str]:
    """Every name the package defines: modules, classes, functions, fields, parameters."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        names |= set(path.relative_to(PACKAGE).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args
                for arg in [*arguments.args, *arguments.kwonlyargs, *arguments.posonlyargs]:
                    names.add(arg.arg)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _NAME.fullmatch(node.value)
            ):
                names.add(node.value)  # keys and values the code uses (wire fields, settings)
    return frozenset(names | {"langchain_oneminai"})


@cache
def wire_words() -> frozenset[str]:
    words: set[str] = set()
    for page in [*WIRE_DOCS, *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        for token in re.findall(r"`([^`\n]+)`", page.read_text()):
            words |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", token))
    return frozenset(words)


_NOT_PYTHON = frozenset(
    {
        # HTTP headers, codings and environment variables the docstrings name
        "Location",
        "NO_PROXY",
        "REQUESTS_CA_BUNDLE",
        "br",
        "zstd",
        # file-format chunk names the emulator writes (PNG, WAV)
        "tEXt",
        "iTXt",
        "LIST",
        "Software",
        "Description",
        # shell commands and JavaScript
        "cat",
        "grep",
        "seq",
        "stringify",
        # example values
        "alice",
        # names in other projects' code and data that the docstrings cite
        "uniqueItems",  # a JSON Schema keyword
        "MessageRecord",  # 1minai-webapi's type of a thread message
        "model_schema",  # keys of maerzlc's /models dump
        "top_level_keys",
    }
)
"""Backticked words in docstrings that are not Python names (values, headers, formats)."""


@cache
def library_names() -> frozenset[str]:
    names: set[str] = set(dir(builtins)) | set(keyword.kwlist) | _NOT_PYTHON
    for module_name in _MODULES_TO_SEARCH:
        module = importlib.import_module(module_name)
        names.add(module_name.rsplit(".", 1)[-1])
        for attribute in dir(module):
            names.add(attribute)
            value = getattr(module, attribute, None)
            if isinstance(value, type):
                names |= set(dir(value))
                names |= set(getattr(value, "model_fields", None) or {})  # pydantic fields
                names |= set(getattr(value, "__annotations__", None) or {})  # TypedDict keys
    return frozenset(names)


def unresolved(token: str) -> str | None:
    """The part of a backticked ``token`` that names nothing known, or ``None``."""
    if not _NAME.fullmatch(token):
        return None  # not a Python name (a value, a path, JSON, a header)
    parts = token.removesuffix("()").split(".")
    code = package_names() | library_names()
    known = code | wire_words()
    # A private name (``_params``, ``_reading``) is always code: a page that still mentions it
    # must not keep a stale one alive.
    missing = [p for p in parts if p not in (code if p.startswith("_") else known)]
    return ".".join(missing) if missing else None


def test_every_backticked_name_in_a_docstring_exists() -> None:
    problems = []
    for path in PACKAGE.rglob("*.py"):
        for line, text in docstrings(path):
            for match in _BACKTICKED.finditer(text):
                token = (match.group(1) or match.group(2) or "").strip()
                missing = unresolved(token)
                if missing:
                    problems.append(f"{path.relative_to(ROOT)}:{line}: ``{token}``")
    assert problems == []


@pytest.mark.parametrize(
    "token",
    ["message_from_record", "_StreamAssembler", "_messages.message_from_record", "_media_params"],
)
def test_the_check_catches_names_that_are_gone(token: str) -> None:
    assert unresolved(token) is not None
