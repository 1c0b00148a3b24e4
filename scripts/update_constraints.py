#!/usr/bin/env python3
"""Re-pin constraints.txt to the newest releases that install (the pinned run of ``make test``).

Resolves ``.[test,lint,bench]`` with no constraints into a fresh venv under
``~/.cache/langchain-oneminai/resolve`` and writes its ``pip freeze`` (less the package itself)
to ``constraints.txt``. Run ``make test`` afterwards. Standard library only::

    python3 scripts/update_constraints.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "langchain-oneminai"
VENV = CACHE / "resolve"


def main() -> int:
    if VENV.exists():
        shutil.rmtree(VENV)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", ".[test,lint,bench]"], cwd=ROOT, check=True)
    subprocess.run([*pip, "check"], check=True)
    frozen = subprocess.run(
        [*pip, "freeze", "--exclude", "langchain-oneminai"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (ROOT / "constraints.txt").write_text(frozen)
    print(f"constraints.txt: {len(frozen.splitlines())} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
