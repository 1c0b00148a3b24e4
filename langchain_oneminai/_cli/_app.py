"""``oneminai`` / ``python -m langchain_oneminai``: the command-line interface.

Subcommands::

    chat        interactive chat, streaming tokens (optional server-side thread, web search, image)
    ask         one prompt, the reply streamed to stdout
    models      the live model catalog of a feature, as a table
    image       generate image(s) into a directory
    speak       text to speech into a file
    transcribe  speech to text
    feature     any 1min.ai feature: video, music, voice, image operations, writing, code...
    emulator    serve the bundled 1min.ai emulator
    demo        the guided tour (against 1min.ai with ONEMINAI_API_KEY, else the emulator)

Every command talks to 1min.ai with ``ONEMINAI_API_KEY`` (or ``--emulator`` for an offline
run). Arguments are checked before anything is sent or any progress is shown. Errors print
the typed error's message on stderr, never a traceback, and exit with status 1 when 1min.ai
or the network failed, 2 for bad input (anything fixed by changing the command line or the
files it names), 130 on Ctrl-C, and 141 when stdout is closed early (``oneminai models |
head``): quietly, like the Unix tools killed by SIGPIPE in the same place.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from langchain_oneminai._version import __version__
from langchain_oneminai.errors import InvalidInputError, MissingAPIKeyError, OneMinAIError

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for ``seq``, ``cat``, ``grep``... in ``| head``, so
``set -o pipefail`` scripts treat this CLI like them; 1 would read as an API error."""

DEFAULT_CHAT_MODEL = "gpt-4o-mini"


@contextlib.contextmanager
def connection(args: argparse.Namespace, *, key_required: bool = True) -> Iterator[dict[str, Any]]:
    """Client settings for this run: the bundled emulator (``--emulator``) or 1min.ai.

    Raises:
        MissingAPIKeyError: 1min.ai without a key, for a verb that needs one: said before
            anything is shown or sent (``models`` reads a public route and needs none).
    """
    if not getattr(args, "emulator", False):
        from langchain_oneminai.client._base import api_key_from_env  # noqa: PLC0415

        if key_required and api_key_from_env() is None:
            raise MissingAPIKeyError(
                "No 1min.ai API key: set ONEMINAI_API_KEY (or ONE_MIN_API_KEY), or add "
                "--emulator to run against the bundled offline emulator."
            )
        settings = {"base_url": args.base_url} if args.base_url else {}
        yield settings
        return
    from langchain_oneminai.emulator import OneMinAIEmulator  # noqa: PLC0415 - only when asked for

    with OneMinAIEmulator() as emulator:
        print(
            f"(using the bundled emulator at {emulator.base_url}: replies are canned)",
            file=sys.stderr,
        )
        yield {
            "api_key": emulator.api_key,
            "base_url": emulator.base_url,
            "asset_base_url": emulator.asset_base_url,
        }


@contextlib.contextmanager
def progress(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show that a long call is still running (media generations take tens of seconds).

    On a terminal the elapsed seconds tick in place; elsewhere one line is written before and
    one after, so logs stay readable. The "done" line is written only when the call succeeded:
    a failure leaves the error message to say what happened. Check the arguments before
    entering: this line means a request is on its way.
    """
    out = stream or sys.stderr
    started = time.monotonic()
    done = threading.Event()
    interactive = out.isatty()
    out.write(f"{label}…" + ("" if interactive else "\n"))
    out.flush()

    def tick() -> None:
        while not done.wait(1.0):
            out.write(f"\r{label}… {time.monotonic() - started:.0f} s")
            out.flush()

    ticker = threading.Thread(target=tick, daemon=True) if interactive else None
    if ticker:
        ticker.start()
    succeeded = False
    try:
        yield
        succeeded = True
    finally:
        done.set()
        if ticker:
            ticker.join()
        if succeeded:
            elapsed = time.monotonic() - started
            out.write(f"{chr(13) if interactive else ''}{label}: done in {elapsed:.1f} s\n")
        elif interactive:
            out.write("\n")  # end the ticking line: the error message goes on its own
        out.flush()


def _count(value: str) -> int:
    """``-n``: a whole number of at least 1 (argparse's own "invalid int value" otherwise)."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _port(value: str) -> int:
    """``--port``: 0 (any free port) to 65535."""
    number = int(value)
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--base-url", help="API base URL (default: ONEMINAI_BASE_URL or https://api.1min.ai)"
    )
    common.add_argument(
        "--emulator", action="store_true", help="run against a bundled offline emulator"
    )

    parser = argparse.ArgumentParser(
        prog="oneminai", description="1min.ai from the command line (langchain-oneminai)."
    )
    parser.add_argument("--version", action="version", version=f"langchain-oneminai {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = commands.add_parser("chat", parents=[common], help="interactive chat, streaming tokens")
    chat.add_argument(
        "--model", default=DEFAULT_CHAT_MODEL, help=f"model id (default {DEFAULT_CHAT_MODEL})"
    )
    chat.add_argument("--system", help="system instructions")
    chat.add_argument(
        "--conversation", metavar="TITLE", help="keep history on a new server-side thread"
    )
    chat.add_argument("--conversation-id", help="continue an existing server-side thread")
    chat.add_argument("--web-search", action="store_true", help="let the model search the web")
    chat.add_argument(
        "--image",
        type=Path,
        action="append",
        default=[],
        help="attach an image to the first message",
    )

    ask = commands.add_parser(
        "ask", parents=[common], help="one prompt, the reply streamed to stdout"
    )
    ask.add_argument("prompt", help="the prompt ('-' reads stdin)")
    ask.add_argument(
        "--model", default=DEFAULT_CHAT_MODEL, help=f"model id (default {DEFAULT_CHAT_MODEL})"
    )
    ask.add_argument("--system", help="system instructions")
    ask.add_argument("--web-search", action="store_true", help="let the model search the web")
    ask.add_argument("--image", type=Path, action="append", default=[], help="attach an image")

    models = commands.add_parser("models", parents=[common], help="list the model catalog")
    models.add_argument(
        "--feature",
        default="UNIFY_CHAT_WITH_AI",
        help="feature type, e.g. IMAGE_GENERATOR, TEXT_TO_SPEECH (default UNIFY_CHAT_WITH_AI)",
    )

    image = commands.add_parser("image", parents=[common], help="generate image(s)")
    image.add_argument("prompt", help="what to draw")
    image.add_argument(
        "--out", type=Path, default=Path(), help="directory for the files (default: .)"
    )
    image.add_argument("--model", help="image model id")
    image.add_argument("-n", type=_count, default=1, help="how many images")
    image.add_argument("--size", help="e.g. 1024x1024 (models that take a size)")
    image.add_argument("--aspect-ratio", help="e.g. 16:9 (models that take an aspect ratio)")

    speak = commands.add_parser("speak", parents=[common], help="text to speech")
    speak.add_argument("text", help="the text to read ('-' reads stdin)")
    speak.add_argument("--out", type=Path, required=True, help="the audio file to write")
    speak.add_argument("--voice", default="alloy", help="voice (default alloy)")
    speak.add_argument("--model", default="tts-1", help="model id (default tts-1)")

    transcribe = commands.add_parser("transcribe", parents=[common], help="speech to text")
    transcribe.add_argument("file", help="audio file, URL or asset key")
    transcribe.add_argument("--model", default="whisper-1", help="model id (default whisper-1)")
    transcribe.add_argument("--language", help="language (required by Google models, e.g. en-US)")

    feature = commands.add_parser(
        "feature",
        parents=[common],
        help="run any 1min.ai feature (video, music, voice, image operations, writing...)",
        description="Run a 1min.ai feature with the promptObject fields given by --set and "
        "--file. Files it returns are saved in --out; text is printed.",
    )
    feature.add_argument("type", help="the feature type, e.g. TEXT_TO_VIDEO, MUSIC_GENERATOR")
    feature.add_argument("--model", help="model id (default: the feature table's)")
    feature.add_argument(
        "--set",
        dest="fields",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="a promptObject field; the value is JSON when it parses (5, true, [1]), else text; "
        "a dotted key sets a nested field (voice_settings.stability=0.4)",
    )
    feature.add_argument(
        "--file",
        dest="files",
        metavar="[FIELD=]PATH",
        action="append",
        default=[],
        help="an input file, URL or asset key for FIELD (e.g. imageUrl=photo.png); without "
        "FIELD, the feature's one file field",
    )
    feature.add_argument(
        "--out", type=Path, help="directory for the result files (default: .; text too if given)"
    )

    serve = commands.add_parser("emulator", help="serve the bundled 1min.ai emulator")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="port; 0 = any free one")
    serve.add_argument("--api-key", default="emulator-key")

    demo = commands.add_parser(
        "demo", help="the guided tour (1min.ai with ONEMINAI_API_KEY, else the emulator)"
    )
    demo.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="where files go (default demo-output)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status.

    A closed stdout (``| head``) ends the run quietly with ``EXIT_BROKEN_PIPE``, the recipe of
    the Python docs (signal module, "Note on SIGPIPE"). SIGPIPE is not reset to its default
    action instead: that would also kill the process on a write to a closed *socket* (1min.ai,
    or a client of ``oneminai emulator``), where the client's own error handling must run.
    """
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not as a message at interpreter exit
    except BrokenPipeError:
        _discard_output()
        return EXIT_BROKEN_PIPE


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from langchain_oneminai._cli import _commands  # noqa: PLC0415 - keeps --help fast

    handler = getattr(_commands, f"run_{args.command}")
    try:
        return int(handler(args) or EXIT_OK)
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except (OneMinAIError, _commands.ToolFailure, OSError) as error:
        message, status = describe(error)
        print(f"error: {message}", file=sys.stderr)
        return status


def describe(error: BaseException) -> tuple[str, int]:
    """The message and exit status of a failure.

    A media tool's ``ToolException`` is reported as its cause (the typed error), so ``image``
    says ``UnsupportedModelError: ...`` as ``ask`` does. An ``OSError`` naming a file is a
    path of the command line (exit 2); other ``OSError`` s are the machine's (exit 1).
    """
    from langchain_core.tools import ToolException  # noqa: PLC0415 - loaded by the verbs anyway

    tool_error = error if isinstance(error, ToolException) else None
    if tool_error is not None and isinstance(error.__cause__, OneMinAIError):
        error = error.__cause__
    if isinstance(error, InvalidInputError):
        return str(error), EXIT_BAD_INPUT
    if isinstance(error, OneMinAIError):
        return f"{type(error).__name__}: {error}", EXIT_API_ERROR
    cause = error.__cause__ if tool_error is not None else error
    if isinstance(cause, OSError):
        named = cause.filename is not None
        return str(error), EXIT_BAD_INPUT if named else EXIT_API_ERROR
    return str(error), EXIT_API_ERROR


def _discard_output() -> None:
    """Point stdout (and stderr, when it is the closed pipe too) at devnull.

    Python flushes both at exit; a write to the closed pipe there would print "Exception
    ignored ... BrokenPipeError".
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
        try:
            sys.stderr.flush()
        except BrokenPipeError:
            os.dup2(devnull, sys.stderr.fileno())
    finally:
        os.close(devnull)
