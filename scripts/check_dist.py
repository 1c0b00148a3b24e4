#!/usr/bin/env python3
"""Build the wheel and sdist, check them, and import every public name from the installed wheel.

Steps (each one printed with its time; the first failure ends the run with a non-zero status):

1. ``python -m build`` (sdist, then the wheel built from that sdist) and ``twine check --strict``,
   with build and twine in a tools venv under ``~/.cache/langchain-oneminai/dist-tools``;
2. the wheel holds the package only: ``langchain_oneminai/**`` (every module of the source tree,
   ``py.typed``, ``_data/*.json``) and its ``.dist-info`` (with ``licenses/LICENSE``), nothing
   from ``tests/``, ``benchmarks/`` or ``evals/``; the sdist holds no caches, venvs or drafts;
3. the wheel is installed into a clean venv (pinned by ``constraints.txt``) and, from a directory
   outside the repository, every name of ``langchain_oneminai.__all__``,
   ``langchain_oneminai.errors.__all__``, ``langchain_oneminai.tools.__all__`` and
   ``langchain_oneminai.emulator.__all__`` is imported, the ``oneminai`` command answers
   ``--help`` and the emulator serves a request.

Standard library only::

    python3 scripts/check_dist.py                 # artifacts in a temporary directory
    python3 scripts/check_dist.py --outdir dist   # keep them (make dist)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "langchain-oneminai"
TOOLS = CACHE / "dist-tools"
PACKAGE = "langchain_oneminai"
PUBLIC_MODULES = (
    "langchain_oneminai",
    "langchain_oneminai.errors",
    "langchain_oneminai.tools",
    "langchain_oneminai.emulator",
)
FORBIDDEN_IN_WHEEL = ("tests/", "benchmarks/", "evals/", ".drafts/", "docs/")
FORBIDDEN_IN_SDIST = (
    ".venv/",
    ".git/",
    ".mypy_cache/",
    ".ruff_cache/",
    ".pytest_cache/",
    ".hypothesis/",
    "__pycache__/",
    ".drafts/",
    ".benchmarks/",
    "demo-output/",
)

IMPORT_CHECK = r"""
import importlib, json, sys, urllib.request
from importlib import resources
missing = []
counted = 0
for module_name in {modules!r}:
    module = importlib.import_module(module_name)
    assert module.__file__ and "site-packages" in module.__file__, module.__file__
    for name in module.__all__:
        counted += 1
        if not hasattr(module, name):
            missing.append(f"{{module_name}}.{{name}}")
assert not missing, f"names in __all__ that do not import: {{missing}}"
import langchain_oneminai
assert langchain_oneminai.__version__ == {version!r}, langchain_oneminai.__version__
data = resources.files("langchain_oneminai") / "_data"
for entry in data.iterdir():
    if entry.name.endswith(".json"):
        json.loads(entry.read_text())
from langchain_oneminai.emulator import OneMinAIEmulator
with OneMinAIEmulator() as emu:
    url = f"{{emu.base_url}}/models?feature=UNIFY_CHAT_WITH_AI"
    with urllib.request.urlopen(url, timeout=30) as r:
        assert json.loads(r.read())["models"]
version = langchain_oneminai.__version__
print(f"imported {{counted}} public names from {{len({modules!r})}} modules; version {{version}}")
"""


def step(title: str) -> float:
    print(f"\n=== {title}", flush=True)
    return time.monotonic()


def done(started: float) -> None:
    print(f"    ({time.monotonic() - started:.0f}s)", flush=True)


def sh(*args: str | Path, cwd: Path = ROOT, quiet: bool = False) -> str:
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    completed = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    # pip's notes about index locations of this machine are noise, not results.
    shown = "\n".join(
        line for line in output.splitlines() if "is ignored: it is neither" not in line
    )
    if completed.returncode != 0:
        print(shown, flush=True)
        raise SystemExit(f"FAILED: {' '.join(str(a) for a in args)} (exit {completed.returncode})")
    if not quiet and shown.strip():
        print(shown, flush=True)
    return output


def tools_python() -> Path:
    python = TOOLS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
    sh(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip", "build", "twine", quiet=True)
    return python


def check_wheel(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
    stray = [n for n in names if not n.startswith((f"{PACKAGE}/", f"{dist_info}/"))]
    assert not stray, f"the wheel holds files outside the package: {stray}"
    forbidden = [n for n in names if any(f"/{f}" in f"/{n}" for f in FORBIDDEN_IN_WHEEL)]
    assert not forbidden, f"the wheel holds tests/benchmarks/evals: {forbidden}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")], (
        "bytecode in the wheel"
    )
    assert f"{PACKAGE}/py.typed" in names, "py.typed missing from the wheel"
    data = sorted(p.name for p in (ROOT / PACKAGE / "_data").glob("*.json"))
    in_wheel = sorted(
        n.rsplit("/", 1)[1]
        for n in names
        if n.startswith(f"{PACKAGE}/_data/") and n.endswith(".json")
    )
    assert data, "no _data/*.json in the source tree"
    assert in_wheel == data, f"_data/*.json: source {data}, wheel {in_wheel}"
    sources = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / PACKAGE).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    lost = sorted(sources - set(names))
    assert not lost, f"modules missing from the wheel: {lost}"
    assert f"{dist_info}/licenses/LICENSE" in names, "LICENSE missing from the wheel's dist-info"
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata, "the wheel's METADATA does not say MIT"
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "oneminai = langchain_oneminai.__main__:main" in entry_points, entry_points
    print(
        f"    wheel: {len(names)} files, only {PACKAGE}/ and {dist_info}/;"
        f" py.typed, _data {data}, LICENSE"
    )


def check_sdist(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = [m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name]
    junk = [
        n
        for n in names
        if any(f"/{f}" in f"/{n}/" for f in FORBIDDEN_IN_SDIST) or n.endswith(".pyc")
    ]
    assert not junk, f"the sdist holds caches/venvs/drafts: {junk[:20]}"
    for required in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        f"{PACKAGE}/py.typed",
    ):
        assert required in names, f"{required} missing from the sdist"
    print(f"    sdist: {len(names)} files, no caches, venvs or drafts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outdir", type=Path, help="keep the wheel and sdist here (default: a temporary directory)"
    )
    options = parser.parse_args(argv)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    work = Path(tempfile.mkdtemp(prefix="oneminai-dist-"))
    try:
        outdir = (options.outdir or work / "dist").resolve()
        if outdir.exists():
            shutil.rmtree(outdir)
        started = step("build tools (build, twine)")
        tools = tools_python()
        done(started)

        started = step(f"python -m build --outdir {outdir}")
        sh(tools, "-m", "build", "--outdir", outdir, ROOT, quiet=True)
        wheels, sdists = sorted(outdir.glob("*.whl")), sorted(outdir.glob("*.tar.gz"))
        assert len(wheels) == 1, f"expected one wheel: {list(outdir.iterdir())}"
        assert len(sdists) == 1, f"expected one sdist: {list(outdir.iterdir())}"
        wheel, sdist = wheels[0], sdists[0]
        print(f"    {wheel.name}  {sdist.name}")
        done(started)

        started = step("twine check --strict")
        sh(tools, "-m", "twine", "check", "--strict", wheel, sdist)
        done(started)

        started = step("contents")
        check_wheel(wheel)
        check_sdist(sdist)
        done(started)

        started = step("install the wheel into a clean venv and import every public name")
        venv = work / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        sh(
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            ROOT / "constraints.txt",
            wheel,
            quiet=True,
        )
        outside = work / "elsewhere"
        outside.mkdir()
        sh(python, "-c", IMPORT_CHECK.format(modules=PUBLIC_MODULES, version=version), cwd=outside)
        sh(venv / "bin" / "oneminai", "--help", cwd=outside, quiet=True)
        print("    oneminai --help: ok")
        done(started)
    except AssertionError as error:
        print(f"FAILED: {error}", flush=True)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\ncheck-dist: passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
