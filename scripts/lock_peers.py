#!/usr/bin/env python3
"""Re-lock the third-party clients of the peers tier (tests/peer_tests/requirements/*.in).

Each ``<client>.in`` names the client and its host at exact versions; ``<client>.txt`` is the
complete, hash-pinned resolution for CPython 3.11+ on manylinux x86_64 that
``tests/peer_tests/conftest.py`` installs with ``pip install --require-hashes``. uv (from PyPI)
is installed into ``~/.cache/langchain-oneminai/tools``. Standard library only::

    python3 scripts/lock_peers.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "tests" / "peer_tests" / "requirements"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "langchain-oneminai"
TOOLS = CACHE / "tools"


def main() -> int:
    python = TOOLS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "uv"], check=True)
    for spec in sorted(LOCKS.glob("*.in")):
        lock = spec.with_suffix(".txt")
        subprocess.run(
            [
                TOOLS / "bin" / "uv",
                "pip",
                "compile",
                spec.name,
                "--generate-hashes",
                "--python-version",
                "3.11",
                "--python-platform",
                "x86_64-manylinux_2_28",
                "--custom-compile-command",
                "python3 scripts/lock_peers.py",
                "--quiet",
                "--output-file",
                lock.name,
            ],
            cwd=LOCKS,
            check=True,
        )
        print(f"locked {lock.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
