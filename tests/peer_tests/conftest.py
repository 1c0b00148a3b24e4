"""The peers tier: published 1min.ai clients, their own code, against the bundled emulator.

Not part of ``make test`` (``make test-peers``): it installs third-party packages. Each client
goes into its own cached virtualenv under ``~/.cache/langchain-oneminai/peers/`` (llm-1minai and
llm-1min both ship a top-level ``llm_1min`` module, so they cannot share one), from a complete,
hash-pinned lock (``requirements/<client>.txt``, made by ``scripts/lock_peers.py``). A client that
cannot be installed (no index reachable) skips its tests with the reason.

A test configures the in-process emulator (a script, a fault, a setting), runs a driver
(``drivers/drive_<client>.py <scenario>``) with the client's interpreter, and asserts on the
driver's JSON report and on what the emulator received. Each outcome becomes a row of the table
printed at the end of the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from langchain_oneminai.emulator import EmulatorSettings, OneMinAIEmulator

HERE = Path(__file__).parent
DRIVERS = HERE / "drivers"
LOCKS = HERE / "requirements"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "langchain-oneminai"
PEERS_DIR = Path(os.environ.get("ONEMINAI_PEERS_DIR", CACHE / "peers"))


@dataclass(frozen=True)
class Peer:
    """One published client."""

    name: str
    version: str
    driver: str
    speaks: str


PEERS = {
    "llm-1minai": Peer("llm-1minai", "0.4.1", "drive_llm_1minai.py", "developer API"),
    "llm-1min": Peer("llm-1min", "0.1.4", "drive_llm_1min.py", "legacy /api/features chat"),
    "1minai-webapi": Peer("1minai-webapi", "1.0.31", "drive_webapi.py", "web-app API"),
}


@dataclass
class Row:
    client: str
    area: str
    scenario: str
    got: str
    verdict: str


ROWS: list[Row] = []


def record(client: str, area: str, scenario: str, got: str, verdict: str = "works") -> None:
    """Add a row to the table printed at the end of the run."""
    ROWS.append(Row(client, area, scenario, got, verdict))


def _install(peer: Peer) -> Path:
    lock = LOCKS / f"{peer.name}.txt"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    venv = PEERS_DIR / f"{peer.name}-{peer.version}"
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if stamp.exists() and stamp.read_text() == digest and python.exists():
        return python
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(lock)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        lines = [
            line
            for line in (done.stdout + done.stderr).splitlines()
            if "is ignored: it is neither" not in line
        ]
        shutil.rmtree(venv, ignore_errors=True)
        _UNAVAILABLE[peer.name] = (
            f"{peer.name}=={peer.version} could not be installed from {lock.name} "
            f"(is the package index reachable?): {' | '.join(lines[-3:])}"
        )
        pytest.skip(_UNAVAILABLE[peer.name])
    stamp.write_text(digest)
    return python


_PYTHONS: dict[str, Path] = {}
_UNAVAILABLE: dict[str, str] = {}


def peer_python(name: str) -> Path:
    """The client's interpreter, installing it on first use (skips when it cannot be had)."""
    if name in _UNAVAILABLE:
        pytest.skip(_UNAVAILABLE[name])
    if name not in _PYTHONS:
        _PYTHONS[name] = _install(PEERS[name])
    return _PYTHONS[name]


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[OneMinAIEmulator]:
    with OneMinAIEmulator(seed=0) as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_server: OneMinAIEmulator) -> OneMinAIEmulator:
    """The emulator, reset, with default settings."""
    emulator_server.reset()
    defaults = EmulatorSettings()
    for item in dataclasses.fields(defaults):
        setattr(emulator_server.settings, item.name, getattr(defaults, item.name))
    return emulator_server


@dataclass
class Report:
    """A driver's JSON answer."""

    scenario: str
    result: Any
    error: str | None
    rewrites: list[str]
    traceback: str | None = None


class Driver:
    """Runs one client's driver against the emulator, each run in a fresh HOME."""

    def __init__(self, name: str, emulator: OneMinAIEmulator, tmp_path: Path) -> None:
        self.peer = PEERS[name]
        self.python = peer_python(name)
        self.emulator = emulator
        self.tmp_path = tmp_path
        self.runs = 0

    def __call__(self, scenario: str, **env: str) -> Report:
        self.runs += 1
        home = self.tmp_path / f"home-{self.runs}"
        (home / "llm").mkdir(parents=True)
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LLM_USER_PATH": str(home / "llm"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "ONEMINAI_PEER_BASE_URL": self.emulator.base_url,
            "ONEMINAI_PEER_API_KEY": self.emulator.api_key,
            # llm-1minai's commands (llm 1min upload) read their key from its documented variable.
            "ONEMIN_API_KEY": self.emulator.api_key,
            **env,
        }
        done = subprocess.run(
            [str(self.python), str(DRIVERS / self.peer.driver), scenario],
            capture_output=True,
            text=True,
            env=environment,
            timeout=300,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        assert done.returncode == 0, f"driver exited {done.returncode}: {done.stderr[-2000:]}"
        assert lines, f"driver printed no report: {done.stdout[-1000:]} {done.stderr[-2000:]}"
        return Report(**json.loads(lines[-1]))


@pytest.fixture
def tiny_png(tmp_path: Path) -> Path:
    """A 4x4 red PNG on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    path = tmp_path / "photo.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ROWS:
        return
    header = ("client", "area", "scenario", "what the client gets", "verdict")
    rows = [(r.client, r.area, r.scenario, r.got, r.verdict) for r in ROWS]
    widths = [
        min(max(len(str(c)) for c in column), 90) for column in zip(header, *rows, strict=True)
    ]

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )

    terminalreporter.write_sep("=", "third-party 1min.ai clients against the emulator")
    for peer in PEERS.values():
        terminalreporter.write_line(f"  {peer.name} {peer.version}: {peer.speaks}")
    terminalreporter.write_line(line(header))
    terminalreporter.write_line("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in sorted(rows, key=lambda r: (list(PEERS).index(r[0]), r[1])):
        terminalreporter.write_line(line(row))
