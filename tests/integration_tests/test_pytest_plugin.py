"""The pytest plugin, as a user gets it: the example of docs/emulator.md, run by a fresh pytest.

The example is written to a directory outside this repository and run by ``python -m pytest``
in a subprocess, so the fixtures come from the installed ``pytest11`` entry point alone (none
of this suite's conftest files are in reach), as in a user's project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_EXAMPLE = re.compile(
    r"<!-- pytest-plugin-example -->\s*```python\n(.*?)^```", re.DOTALL | re.MULTILINE
)
RUN_LIMIT = 300
"""Seconds the subprocess may take; a handful of loopback calls (an import-bound ~5 s) fit 60 times."""


def run_pytest(directory: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ONEMINAI_", "ONE_MIN_", "PYTEST_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT,
        check=False,
    )


def test_the_documented_example_passes_in_a_fresh_project(tmp_path: Path) -> None:
    (example,) = _EXAMPLE.findall((ROOT / "docs" / "emulator.md").read_text())
    (tmp_path / "test_my_chain.py").write_text(example)
    # A test of the same project that reads the environment after the fixture is gone.
    (tmp_path / "test_zz_after.py").write_text(
        "import os\n\n"
        "def test_the_environment_is_restored():\n"
        "    assert 'ONEMINAI_BASE_URL' not in os.environ\n"
    )
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b4 passed\b", result.stdout), result.stdout


def test_the_plugin_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "test_needs_it.py").write_text(
        "def test_uses_the_fixture(oneminai_emulator):\n    pass\n"
    )
    result = run_pytest(tmp_path, "-p", "no:oneminai")
    assert result.returncode != 0
    assert "fixture 'oneminai_emulator' not found" in result.stdout
