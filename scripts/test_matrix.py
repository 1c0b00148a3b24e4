#!/usr/bin/env python3
"""The test suite against the dependencies a user can actually get: ``newest`` and ``lowest``.

``make test`` is the pinned run (``constraints.txt``). This script adds the two runs LangChain's
partner packages make:

* ``newest``: ``pip install -e .[test]`` with no constraints, so every dependency resolves to its
  newest release inside the declared ranges (what ``pip install langchain-oneminai`` gives today);
* ``lowest``: every direct runtime dependency of ``[project].dependencies`` pinned to its declared
  floor (the ``>=`` bound, read from pyproject.toml), everything else resolved newest, as
  ``uv pip compile --resolution lowest-direct`` does. Test tools (pytest, langchain-tests…) resolve
  to whatever is newest and compatible with those floors.

Each run gets a fresh virtualenv under ``~/.cache/langchain-oneminai/matrix/<name>`` (never
inside the repository), then runs the unit, emulator and integration stages with the same
pytest arguments as the Makefile (lint is the pinned run's business). Every stage runs even when
an earlier one failed; a summary closes the output; the exit status is non-zero on any failure.

Standard library only, runnable with the system ``python3`` (3.11+)::

    python3 scripts/test_matrix.py                 # both runs
    python3 scripts/test_matrix.py lowest          # one run
    python3 scripts/test_matrix.py --floors        # print the floor constraints and exit
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "langchain-oneminai"
MATRIX_DIR = Path(os.environ.get("ONEMINAI_MATRIX_DIR", CACHE / "matrix"))

# The Makefile's stage commands (unit / emulator / integration), minus the interpreter.
STAGES: dict[str, list[str]] = {
    "unit": ["-m", "pytest", "tests/unit_tests", "--disable-socket", "--allow-unix-socket", "-q"],
    "emulator": ["-m", "pytest", "tests/emulator_tests", "--allow-hosts=127.0.0.1", "-q"],
    "integration": [
        "-m",
        "pytest",
        "tests/integration_tests",
        "--allow-hosts=127.0.0.1,127.0.0.2,127.0.0.3",
        "-q",
    ],
}
RUNS = ("newest", "lowest")
# Versions worth showing in the summary (the direct dependencies plus the LangChain stack).
SHOWN = (
    "langchain-core",
    "aiohttp",
    "requests",
    "pydantic",
    "langsmith",
    "langchain",
    "langgraph",
    "langchain-tests",
)

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def canonical(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def floors(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """``{name: floor}`` for every direct runtime dependency; each must declare a ``>=`` floor."""
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    found: dict[str, str] = {}
    for requirement in dependencies:
        match = _REQUIREMENT.match(requirement.split(";")[0])
        if match is None:
            raise SystemExit(f"cannot parse the requirement {requirement!r}")
        name, _, specifiers = match.groups()
        lower = [s.strip()[2:].strip() for s in specifiers.split(",") if s.strip().startswith(">=")]
        if len(lower) != 1:
            raise SystemExit(
                f"{requirement!r} declares no single '>=' floor: the lowest run needs one"
            )
        found[canonical(name)] = lower[0]
    return found


@dataclass
class Result:
    """One run's outcome."""

    name: str
    install: str = "not run"
    stages: dict[str, tuple[str, float]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.install == "ok" and all(r == "passed" for r, _ in self.stages.values())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _pip(python: Path, args: list[str], log: Path) -> bool:
    with log.open("a") as out:
        out.write(f"\n$ pip {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [str(python), "-m", "pip", *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            check=False,
        )
    return done.returncode == 0


def _installed(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, env=_env()
    )
    return {canonical(k): v for k, v in json.loads(out.stdout).items()}


def _same_version(a: str, b: str) -> bool:
    """``3.10`` equals ``3.10.0`` (trailing zero release segments are insignificant)."""

    def norm(v: str) -> tuple[str, ...]:
        parts = v.split(".")
        while len(parts) > 1 and parts[-1] == "0":
            parts.pop()
        return tuple(parts)

    return norm(a) == norm(b)


def install(name: str, venv: Path, result: Result) -> Path | None:
    """A fresh venv with the package and its test extra resolved the ``name`` way."""
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    log = venv / "install.log"
    args = ["install", "--quiet", "-e", ".[test]"]
    if name == "lowest":
        wanted = floors()
        constraints = venv / "floors.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in wanted.items()))
        args += ["-c", str(constraints)]
    ok = _pip(python, ["install", "--quiet", "--upgrade", "pip"], log) and _pip(python, args, log)
    if not ok:
        result.install = f"FAILED (see {log})"
        print(f"[{name}] install failed; the end of {log}:", flush=True)
        print("\n".join(log.read_text().splitlines()[-25:]), flush=True)
        return None
    versions = _installed(python)
    result.versions = {n: versions.get(n, "-") for n in SHOWN}
    (venv / "freeze.txt").write_text("".join(f"{n}=={v}\n" for n, v in sorted(versions.items())))
    if name == "lowest":
        off = {
            n: (v, versions.get(n))
            for n, v in floors().items()
            if not _same_version(versions.get(n, ""), v)
        }
        if off:
            result.install = f"FAILED (not at the floor: {off})"
            return None
    result.install = "ok"
    return python


def run(name: str) -> Result:
    """Install, then run every stage; never raises for a test failure."""
    result = Result(name)
    venv = MATRIX_DIR / name
    print(f"\n=== {name}: installing into {venv}", flush=True)
    started = time.monotonic()
    python = install(name, venv, result)
    print(f"=== {name}: install {result.install} ({time.monotonic() - started:.0f}s)", flush=True)
    if python is None:
        return result
    print(f"=== {name}: " + ", ".join(f"{n} {v}" for n, v in result.versions.items()), flush=True)
    for stage, args in STAGES.items():
        print(f"\n=== {name} / {stage}", flush=True)
        started = time.monotonic()
        done = subprocess.run([str(python), *args], cwd=ROOT, env=_env(), check=False)
        outcome = "passed" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        result.stages[stage] = (outcome, time.monotonic() - started)
    return result


def summary(results: list[Result]) -> str:
    lines = ["", "test-matrix:"]
    for r in results:
        lines.append(f"  {r.name}: {'passed' if r.ok else 'FAILED'}   install {r.install}")
        for stage, (outcome, seconds) in r.stages.items():
            lines.append(f"    {stage:<12} {outcome:<20} {seconds:6.0f}s")
        if r.versions:
            lines.append("    " + ", ".join(f"{n} {v}" for n, v in r.versions.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="*", metavar="RUN", help="newest, lowest (default: both)")
    parser.add_argument(
        "--floors", action="store_true", help="print the lowest run's constraints and exit"
    )
    options = parser.parse_args(argv)
    unknown = [r for r in options.runs if r not in RUNS]
    if unknown:
        parser.error(f"unknown run(s) {unknown}; choose from {list(RUNS)}")
    if options.floors:
        print("".join(f"{n}=={v}\n" for n, v in floors().items()), end="")
        return 0
    results = [run(name) for name in (options.runs or RUNS)]
    print(summary(results), flush=True)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
