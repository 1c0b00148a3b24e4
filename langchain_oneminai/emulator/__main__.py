"""``python -m langchain_oneminai.emulator``: serve the 1min.ai emulator until Ctrl-C.

Drive it over HTTP with the admin routes (no key needed)::

    POST /_emulator/script    {"route": "chat" | "<FEATURE_TYPE>", "reply": "text" | {...}}
    POST /_emulator/fault     {"route": "chat" | null, "times": 1, "rate": null, "fault": {...}}
    POST /_emulator/settings  {"<knob>": value, ...}        GET /_emulator/settings
    POST /_emulator/models    {"feature": "...", "modelId": "...", "vision": false}
    GET  /_emulator/requests                                 POST /_emulator/reset
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from types import FrameType

from langchain_oneminai.emulator._server import OneMinAIEmulator
from langchain_oneminai.emulator._types import Brain

DEFAULT_PORT = 8765
"""Port used when ``--port`` is not given (``--port 0`` picks a free one)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m langchain_oneminai.emulator",
        description="Serve an offline emulator of the 1min.ai developer API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (loopback)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 = any free")
    parser.add_argument("--api-key", default="emulator-key", help="the key clients must send")
    parser.add_argument("--seed", type=int, default=0, help="seed of generated ids")
    parser.add_argument(
        "--brain",
        metavar="MODULE:CALLABLE",
        help="answer chat requests with this callable (see BrainRequest) instead of the built-in",
    )
    return parser


def load_brain(spec: str) -> Brain:
    """The callable named ``module:attribute`` (``--brain``).

    Raises:
        ValueError: the spec has no ``:``.
        TypeError: it names something that is not callable.
        ImportError: the module cannot be imported.
        AttributeError: the module has no such attribute.
    """
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"--brain takes MODULE:CALLABLE, not {spec!r}")
    target: object = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"{spec} is not callable")
    return target  # any callable: its replies are checked per call


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until SIGINT (Ctrl-C) or SIGTERM.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    args = _parser().parse_args(argv)
    finished = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        finished.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    brain = load_brain(args.brain) if args.brain else None
    emulator = OneMinAIEmulator(
        api_key=args.api_key, seed=args.seed, host=args.host, port=args.port, brain=brain
    )
    emulator.start()
    try:
        sys.stdout.write(
            "1min.ai emulator (offline; not the real service)\n"
            f"  base URL:        {emulator.base_url}\n"
            f"  asset base URL:  {emulator.asset_base_url}\n"
            f"  API key:         {emulator.api_key}\n"
            f"  export ONEMINAI_BASE_URL={emulator.base_url}"
            f" ONEMINAI_ASSET_BASE_URL={emulator.asset_base_url}"
            f" ONEMINAI_API_KEY={emulator.api_key}\n"
            "Press Ctrl-C to stop.\n"
        )
        sys.stdout.flush()
        while not finished.wait(0.5):
            pass
    finally:
        emulator.stop()
    sys.stdout.write("emulator stopped\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
