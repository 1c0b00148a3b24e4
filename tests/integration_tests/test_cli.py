"""The command line through its real entry point (``python -m langchain_oneminai``), against
the emulator, and ``make demo`` as CI runs it (no key: it must pick the emulator)."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest

from langchain_oneminai import _catalog
from langchain_oneminai._catalog import FEATURE_TYPES
from langchain_oneminai._cli._app import EXIT_BROKEN_PIPE
from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "langchain_oneminai"]


def cli_env(emulator: OneMinAIEmulator | None, key: str | None = None) -> dict[str, str]:
    """The environment of a CLI run: no key of the developer's, the emulator's when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEMINAI_", "ONE_MIN_"))}
    if emulator is not None:
        env.update(
            ONEMINAI_API_KEY=key or emulator.api_key,
            ONEMINAI_BASE_URL=emulator.base_url,
            ONEMINAI_ASSET_BASE_URL=emulator.asset_base_url,
        )
    return env


def run(
    args: list[str],
    emulator: OneMinAIEmulator | None,
    *,
    stdin: str = "",
    key: str | None = None,
    timeout: float = 60,
    cwd: Path = ROOT,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(emulator, key),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def assert_quiet(stderr: str) -> None:
    """No traceback, no "Exception ignored" at interpreter exit."""
    for sign in ("Traceback", "BrokenPipeError", "Exception ignored"):
        assert sign not in stderr, stderr


def write_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(1600))
    return path


def test_ask_streams_the_reply(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Four", "."]))
    result = run(["ask", "What is 2+2?", "--system", "Be terse."], emulator)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Four.\n"
    assert emulator.requests[0].json["promptObject"] == {
        "prompt": "<system>\nBe terse.\n</system>\n\nWhat is 2+2?"
    }


def test_ask_with_an_image(emulator: OneMinAIEmulator, tmp_path: Path) -> None:
    image = tmp_path / "pic.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    result = run(["ask", "Describe", "--image", str(image)], emulator)
    assert result.returncode == 0, result.stderr
    chat = next(r for r in emulator.requests if r.route == "chat")
    assert chat.json["promptObject"]["prompt"] == "Describe\n[image 1]"
    assert len(chat.json["promptObject"]["attachments"]["images"]) == 1


def test_chat_in_conversation_mode(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("Hello Ada.")
    emulator.script_chat("You are Ada.")
    result = run(
        ["chat", "--conversation", "CLI test", "--web-search"],
        emulator,
        stdin="I am Ada.\nWho am I?\n/exit\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ai> Hello Ada.\nai> You are Ada.\n"
    prompts = [r.json["promptObject"] for r in emulator.requests if r.route == "chat"]
    conversation_id = prompts[0]["conversationId"]
    assert prompts == [
        {
            "prompt": "I am Ada.",
            "conversationId": conversation_id,
            "settings": {"webSearchSettings": {"webSearch": True}},
        },
        {
            "prompt": "Who am I?",
            "conversationId": conversation_id,
            "settings": {"webSearchSettings": {"webSearch": True}},
        },
    ]


def test_stateless_chat_resends_the_history(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("Hi.")
    emulator.script_chat("Bye.")
    result = run(["chat"], emulator, stdin="hello\nagain\n")
    assert result.returncode == 0, result.stderr
    second = [r.json["promptObject"]["prompt"] for r in emulator.requests if r.route == "chat"][1]
    assert (
        second
        == "<conversation>\n<user>\nhello\n</user>\n<assistant>\nHi.\n</assistant>\n</conversation>\n\nagain"
    )


def test_models_table(emulator: OneMinAIEmulator) -> None:
    result = run(["models"], emulator)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "PROVIDER", "VISION", "CONTEXT"]
    assert any(line.split()[:3] == ["gpt-4o-mini", "openai", "yes"] for line in lines)
    rows = lines[2 : lines.index("")]  # under the header and its rule, up to the blank line
    assert len(rows) >= 68  # the catalog of the dump, at least
    assert lines[-1] == f"{len(rows)} models for UNIFY_CHAT_WITH_AI."
    speech = run(["models", "--feature", "TEXT_TO_SPEECH"], emulator)
    assert speech.stdout.splitlines()[0].split() == ["MODEL", "PROVIDER", "CREDITS/CALL"]


def test_image_speak_and_transcribe(emulator: OneMinAIEmulator, tmp_path: Path) -> None:
    image = run(["image", "a red fox", "--out", str(tmp_path / "images"), "-n", "2"], emulator)
    assert image.returncode == 0, image.stderr
    paths = [Path(p) for p in image.stdout.split()]
    assert len(paths) == 2
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in paths)
    assert "Generating 2 image(s)" in image.stderr and "done in" in image.stderr

    audio = tmp_path / "hello.wav"
    speak = run(["speak", "Hello there, friend", "--out", str(audio)], emulator)
    assert speak.returncode == 0, speak.stderr
    with wave.open(io.BytesIO(audio.read_bytes())) as wav:
        assert wav.getnframes() > 0
    tts = next(
        r for r in emulator.requests if r.route == "features" and r.json["type"] == "TEXT_TO_SPEECH"
    )
    assert tts.json["promptObject"] == {
        "text": "Hello there, friend",
        "voice": "alloy",
        "response_format": "wav",
    }

    transcribe = run(["transcribe", str(audio)], emulator)
    assert transcribe.returncode == 0, transcribe.stderr
    assert transcribe.stdout == "Hello there, friend\n"


@pytest.mark.parametrize(
    ("args", "key", "code", "message"),
    [
        (
            ["ask", "hi", "--model", "gpt-4o-mni"],
            None,
            1,
            "error: UnsupportedModelError: 1min.ai does not support the model 'gpt-4o-mni'",
        ),
        (["ask", "hi"], "wrong-key", 1, "error: AuthenticationError: 1min.ai rejected the API key"),
        (["speak", "x" * 5000, "--out", "never.wav"], None, 2, "error: "),
        (
            ["image", "a cat", "--model", "dall-e-3", "-n", "3", "--out", "never"],
            None,
            2,
            "error: ",
        ),
    ],
)
def test_errors_are_clean_messages_with_a_non_zero_exit(
    emulator: OneMinAIEmulator, args, key, code, message, tmp_path: Path
) -> None:
    args = [str(tmp_path / a) if a.startswith("never") else a for a in args]
    result = run(args, emulator, key=key)
    assert result.returncode == code
    assert result.stderr.startswith(message) or message in result.stderr
    assert "Traceback" not in result.stderr
    assert (key or emulator.api_key) not in result.stderr
    assert list(tmp_path.iterdir()) == []  # a refused call creates nothing


def test_no_key_is_a_clean_error() -> None:
    result = run(["ask", "hi", "--base-url", "http://127.0.0.1:9"], None)
    assert result.returncode == 1
    assert "error: MissingAPIKeyError: No 1min.ai API key" in result.stderr
    assert "Traceback" not in result.stderr


def test_emulator_subcommand_serves_until_terminated() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEMINAI_")}
    argv = [sys.executable, "-m", "langchain_oneminai", "emulator", "--port", "0"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("1min.ai emulator")
            base = process.stdout.readline().split()[-1]
            assert base.startswith("http://127.0.0.1:")
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_make_demo_without_a_key_uses_the_emulator_and_writes_files(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEMINAI_", "ONE_MIN_"))}
    out = tmp_path / "demo-output"
    result = subprocess.run(
        ["make", "-s", "demo", f"DEMO_OUT={out}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "against the bundled 1min.ai EMULATOR" in result.stdout
    for step in (
        "1. Streaming chat",
        "2. An LCEL chain",
        "3. Structured output",
        "4. An agent",
        "5. A two-turn conversation",
        "Files written",
    ):
        assert step in result.stdout
    pngs, wavs = sorted(out.glob("*.png")), sorted(out.glob("*.wav"))
    assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")
    assert len(wavs) == 1
    with wave.open(str(wavs[0])) as wav:
        assert wav.getnframes() > 0


# -- a closed stdout (`oneminai models | head -1`) ---------------------------------------------


def run_closed_after_first_line(
    args: list[str],
    emulator: OneMinAIEmulator | None,
    *,
    stdin_before: str = "",
    stdin_after: str = "",
    timeout: float = 60,
) -> tuple[bytes, int, str]:
    """Read the first stdout line, close the pipe (as `head -1` does), then feed ``stdin_after``.

    Returns the line, the exit status and stderr. A watchdog kills the process at ``timeout``.
    """
    process = subprocess.Popen(
        [*CLI, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(emulator),
        cwd=ROOT,
    )
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(stdin_before.encode())
        process.stdin.flush()
        line = process.stdout.readline()
        process.stdout.close()
        _, err = process.communicate(stdin_after.encode(), timeout=timeout)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    return line, process.returncode, err.decode(errors="replace")


def test_ask_with_stdout_closed_after_the_first_line_exits_quietly(
    emulator: OneMinAIEmulator,
) -> None:
    # 2 MB of reply: far more than a pipe holds, so writes go on after the pipe is closed.
    chunk = "".join(f"line {i:04d} {'x' * 100}\n" for i in range(300))
    emulator.script_chat(ScriptedReply(chunks=[chunk] * 64))
    line, code, stderr = run_closed_after_first_line(["ask", "hi"], emulator)
    assert line == b"line 0000 " + b"x" * 100 + b"\n"
    assert code == EXIT_BROKEN_PIPE, stderr
    assert_quiet(stderr)


def test_models_with_stdout_closed_after_the_first_line_exits_quietly() -> None:
    with OneMinAIEmulator() as emulator:  # its own: models added to an emulator stay
        for i in range(10_000):
            emulator.add_model("SUMMARIZER", f"summarizer-{i:05d}-{'m' * 100}")
        line, code, stderr = run_closed_after_first_line(
            ["models", "--feature", "SUMMARIZER"], emulator
        )
    assert line.split() == [b"MODEL", b"PROVIDER", b"CREDITS/CALL"]
    assert code == EXIT_BROKEN_PIPE, stderr
    assert_quiet(stderr)


def test_chat_with_stdout_closed_after_the_first_reply_exits_quietly(
    emulator: OneMinAIEmulator,
) -> None:
    emulator.script_chat("First.")
    emulator.script_chat("Second.")
    line, code, stderr = run_closed_after_first_line(
        ["chat"], emulator, stdin_before="one\n", stdin_after="two\n/exit\n"
    )
    assert line == b"ai> First.\n"
    assert code == EXIT_BROKEN_PIPE, stderr
    assert_quiet(stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "hi"],
        ["chat"],
        ["models"],
        ["models", "--feature", "IMAGE_GENERATOR"],
        ["image", "a fox", "--out", "{tmp}/images"],
        ["speak", "Hello", "--out", "{tmp}/hello.wav"],
        ["transcribe", "{tmp}/tone.wav"],
        ["emulator", "--port", "0"],
        ["demo", "--out", "{tmp}/demo"],
        ["--help"],
        ["models", "--help"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_every_verb_exits_quietly_when_stdout_is_closed(
    emulator: OneMinAIEmulator, tmp_path: Path, args: list[str]
) -> None:
    write_wav(tmp_path / "tone.wav")
    argv = [a.format(tmp=tmp_path) for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write to stdout fails, as after `head` exits
    try:
        result = subprocess.run(
            [*CLI, *argv],
            input="hello\n",
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(None if args[0] == "demo" else emulator),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert_quiet(result.stderr)
    if args[-1] in ("--help", "--version"):  # argparse itself ignores a failed write of these
        assert result.returncode in (0, EXIT_BROKEN_PIPE)
    else:
        assert result.returncode == EXIT_BROKEN_PIPE, result.stderr
    assert "error:" not in result.stderr


# -- arguments are checked before any progress line or request --------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["image", "a cat", "--model", "dall-e-3", "-n", "3"], "n must be 1, got 3"),
        (["image", "a cat", "--model", "dall-e-3", "-n", "3", "--emulator"], "n must be 1"),
        (["image", "a cat", "--size", "banana"], "got 'banana'"),
        (["image", "a cat", "--out", "{tmp}/tone.wav"], "is a file, not a directory"),
        (["speak", "x" * 5000, "--out", "{tmp}/never.wav"], "error: "),
        (["speak", "Hi", "--out", "{tmp}", "--voice", "alloy"], "is a directory"),
        (["speak", "Hi", "--out", "{tmp}/never.wav", "--voice", "nobody"], "nobody"),
        (["transcribe", "{tmp}/tone.wav", "--model", "latest_long"], "language"),
        (["transcribe", "{tmp}/tone.wav", "--model", "latest_long", "--emulator"], "language"),
        (["transcribe", "{tmp}/missing.wav"], "is no such file"),
        (["transcribe", "{tmp}/notes.txt"], "not an audio"),
    ],
    ids=lambda value: " ".join(value)[:60] if isinstance(value, list) else None,
)
def test_refused_arguments_show_no_progress_and_send_nothing(
    emulator: OneMinAIEmulator, tmp_path: Path, args: list[str], message: str
) -> None:
    write_wav(tmp_path / "tone.wav")
    (tmp_path / "notes.txt").write_text("not a recording")
    before = sorted(tmp_path.iterdir())
    result = run([a.format(tmp=tmp_path) for a in args], emulator)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ")  # nothing before it: no emulator, no progress
    assert message in result.stderr
    assert "done in" not in result.stderr
    assert result.stdout == ""
    assert_quiet(result.stderr)
    assert emulator.requests == []
    assert sorted(tmp_path.iterdir()) == before  # nothing created


def test_a_refused_call_shows_its_progress_line_but_never_done(emulator: OneMinAIEmulator) -> None:
    emulator.add_fault(Fault(failed_record=True), route="features")
    result = run(["image", "a cat", "--out", "never"], emulator)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0] == "Generating 1 image(s) with stable-diffusion-xl-1024-v1-0…"
    )
    assert "done in" not in result.stderr
    assert "error: " in result.stderr
    assert result.stdout == ""
    assert_quiet(result.stderr)
    assert not (ROOT / "never").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["image", "a cat"],
        ["speak", "Hi", "--out", "never.wav"],
        ["transcribe", "{tmp}/tone.wav"],
        ["chat"],
    ],
    ids=lambda args: args[0],
)
def test_no_key_is_said_before_anything_else(tmp_path: Path, args: list[str]) -> None:
    write_wav(tmp_path / "tone.wav")
    argv = [a.format(tmp=tmp_path) for a in args]
    result = run([*argv, "--base-url", "http://127.0.0.1:9"], None, stdin="hello\n", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: MissingAPIKeyError: No 1min.ai API key")
    assert "--emulator" in result.stderr
    assert result.stdout == ""
    assert_quiet(result.stderr)


# -- every error path: a clean message, the right status, nothing on stdout -------------------


def test_tool_errors_read_like_the_others(emulator: OneMinAIEmulator) -> None:
    """A media tool's failure is reported as its typed cause, as `ask` reports its errors."""
    result = run(["image", "a cat", "--model", "flux-pro", "--out", "never"], emulator)
    assert result.returncode == 1
    assert "error: UnsupportedModelError: 1min.ai does not support the model 'flux-pro'" in (
        result.stderr
    )
    assert result.stdout == ""
    assert_quiet(result.stderr)


def test_a_reply_cut_by_an_error_keeps_what_was_streamed(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Par", "tial", " reply"]))
    emulator.add_fault(Fault(error_event_after=1), route="chat")
    result = run(["ask", "hi"], emulator)
    assert result.returncode == 1
    assert result.stdout == "Par\n"  # what arrived, its line ended
    assert result.stderr.startswith("error: ")
    assert_quiet(result.stderr)


def test_chat_prints_no_prompt_for_a_refused_turn(emulator: OneMinAIEmulator) -> None:
    result = run(["chat", "--model", "gpt-4o-mni"], emulator, stdin="hello\n")
    assert result.returncode == 1
    assert result.stdout == ""  # no dangling "ai> "
    assert "error: UnsupportedModelError" in result.stderr
    assert_quiet(result.stderr)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["image", "a cat", "-n", "0"], 2, "argument -n: must be at least 1"),
        (["emulator", "--port", "99999"], 2, "argument --port: must be between 0 and 65535"),
        (["chat", "--image", "{tmp}/missing.png"], 2, "No such image"),
        (["speak", "Hi", "--out", "{tmp}/tone.wav/x.wav"], 2, "is a file"),
        (["models", "--feature", "FOO"], 2, "not a 1min.ai feature type"),
    ],
    ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else None,
)
def test_bad_input_is_a_clean_error(
    emulator: OneMinAIEmulator, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    write_wav(tmp_path / "tone.wav")
    result = run([a.format(tmp=tmp_path) for a in args], emulator, stdin="hello\n")
    assert result.returncode == code
    assert message in result.stderr
    assert "Chatting with" not in result.stderr
    assert result.stdout == ""
    assert_quiet(result.stderr)
    assert [r.route for r in emulator.requests if r.route != "models"] == []


def test_emulator_on_a_taken_port_is_a_clean_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["emulator", "--port", str(port)], None, timeout=30)
    assert result.returncode == 2
    assert f"error: Cannot serve the emulator on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
    assert result.stdout == ""
    assert_quiet(result.stderr)


# -- chat commands ----------------------------------------------------------------------------


def test_chat_commands_are_handled_locally_and_never_sent(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("It is a file.")
    result = run(
        ["chat"],
        emulator,
        stdin="/help\n/HELP\n/reset now\n//etc/hosts is what?\n/quit\nnever sent\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ai> It is a file.\n"  # only the one message that was sent
    assert result.stderr.count("Commands:") == 3  # /help, /HELP, and after the unknown one
    for command in ("/help", "/exit", "/quit", "//text"):
        assert f"  {command} " in result.stderr
    assert "Unknown command /reset (nothing was sent)." in result.stderr
    prompts = [r.json["promptObject"]["prompt"] for r in emulator.requests if r.route == "chat"]
    assert prompts == ["/etc/hosts is what?"]  # '//' sends the line with one '/'


def test_chat_help_is_announced(emulator: OneMinAIEmulator) -> None:
    result = run(["chat"], emulator, stdin="/exit\n")
    assert result.returncode == 0
    assert "/help for commands" in result.stderr
    assert [r for r in emulator.requests if r.route == "chat"] == []


# -- models --feature -------------------------------------------------------------------------


def test_models_refuses_an_unknown_feature_with_the_known_ones(emulator: OneMinAIEmulator) -> None:
    result = run(["models", "--feature", "FOO"], emulator)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: 'FOO' is not a 1min.ai feature type")
    assert f"The {len(FEATURE_TYPES)} feature types:" in result.stderr
    listed = set(re.findall(r"[A-Z][A-Z0-9_]{3,}", result.stderr.split("feature types:")[1]))
    assert listed == set(FEATURE_TYPES)
    assert_quiet(result.stderr)

    typo = run(["models", "--feature", "IMAGE_GENERATR"], emulator)
    assert typo.returncode == 2
    assert "Did you mean 'IMAGE_GENERATOR'" in typo.stderr  # the closest first

    part = run(["models", "--feature", "SPEECH"], emulator)
    assert "Did you mean 'SPEECH_TO_TEXT', 'TEXT_TO_SPEECH'" in part.stderr or (
        "Did you mean 'TEXT_TO_SPEECH', 'SPEECH_TO_TEXT'" in part.stderr
    )


def test_models_takes_a_feature_in_any_case(emulator: OneMinAIEmulator) -> None:
    result = run(["models", "--feature", "text-to-speech"], emulator)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("models for TEXT_TO_SPEECH.")
    assert emulator.requests[-1].query == {"feature": "TEXT_TO_SPEECH"}


def test_models_shows_a_feature_it_does_not_know_when_1minai_lists_models() -> None:
    with OneMinAIEmulator() as emulator:  # its own: models added to an emulator stay
        emulator.add_model("HOLOGRAM_GENERATOR", "holo-1")
        result = run(["models", "--feature", "HOLOGRAM_GENERATOR"], emulator)
    assert result.returncode == 0, result.stderr
    assert "holo-1" in result.stdout
    assert "HOLOGRAM_GENERATOR is not a feature type this version" in result.stderr


def test_the_feature_list_matches_the_emulators_and_the_clients() -> None:
    from langchain_oneminai.emulator._catalog_data import load_catalog

    assert len(FEATURE_TYPES) == len(set(FEATURE_TYPES)) == 61  # wire.md: 59 + 2 from features[]
    assert set(FEATURE_TYPES) == load_catalog().feature_types  # one list, in _data/models.json
    assert set(_catalog.FEATURES) <= set(FEATURE_TYPES)


# -- model suggestions ------------------------------------------------------------------------


def suggestions_in(stderr: str) -> list[str]:
    found = re.search(r"Did you mean ((?:'[^']+'(?:, )?)+)\?", stderr)
    assert found, stderr
    return re.findall(r"'([^']+)'", found.group(1))


def test_image_suggestions_are_image_models(emulator: OneMinAIEmulator) -> None:
    result = run(["image", "a cat", "--model", "flux-pro", "--out", "never"], emulator)
    assert result.returncode == 1
    suggested = suggestions_in(result.stderr)
    assert suggested
    assert set(suggested) <= set(_catalog.FEATURE_MODELS["IMAGE_GENERATOR"])
    assert "o3-pro" not in result.stderr
    assert "oneminai models --feature IMAGE_GENERATOR" in result.stderr


def test_image_suggestions_find_the_family_behind_a_provider_prefix(
    emulator: OneMinAIEmulator,
) -> None:
    """`flux-pro` finds the FLUX pro models behind their `black-forest-labs/` prefix."""
    result = run(["image", "a cat", "--model", "flux-pro", "--out", "never"], emulator)
    suggested = suggestions_in(result.stderr)
    assert "black-forest-labs/flux-1.1-pro" in suggested
    assert all("flux" in s for s in suggested)


# -- oneminai feature ---------------------------------------------------------------------------


def test_feature_makes_a_video_into_out(emulator: OneMinAIEmulator, tmp_path: Path) -> None:
    out = tmp_path / "videos"
    result = run(
        [
            "feature",
            "text-to-video",
            "--set",
            "prompt=A paper boat",
            "--set",
            "veo3_duration=8s",
            "--set",
            "generate_audio=true",
            "--out",
            str(out),
        ],
        emulator,
    )
    assert result.returncode == 0, result.stderr
    (path,) = [Path(line) for line in result.stdout.splitlines()]
    assert path.parent == out and path.read_bytes()[4:8] == b"ftyp"
    assert "Running TEXT_TO_VIDEO with veo3-video…" in result.stderr and "done in" in result.stderr
    (request,) = [r.json for r in emulator.requests if r.route == "features"]
    assert request == {
        "type": "TEXT_TO_VIDEO",
        "model": "veo3-video",
        "conversationId": "TEXT_TO_VIDEO",
        "promptObject": {"prompt": "A paper boat", "veo3_duration": "8s", "generate_audio": True},
    }
    assert_quiet(result.stderr)


def test_feature_uploads_files_into_their_fields(
    emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    (tmp_path / "photo.png").write_bytes(_png())
    (tmp_path / "mask.png").write_bytes(_png())
    result = run(
        [
            "feature",
            "IMAGE_INPAINTER",
            "--model",
            "black-forest-labs/flux-fill-pro",
            "--file",
            "imageUrl=photo.png",
            "--file",
            "maskUrl=mask.png",
            "--set",
            "prompt=a pear",
            "--set",
            "steps=30",
        ],
        emulator,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (request,) = [r.json for r in emulator.requests if r.route == "features"]
    body = request["promptObject"]
    assert body["prompt"] == "a pear" and body["steps"] == 30
    assert emulator.assets[body["imageUrl"]][0] == (tmp_path / "photo.png").read_bytes()
    assert body["maskUrl"].startswith("images/")
    (saved,) = result.stdout.split()
    assert (tmp_path / saved).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_feature_with_one_file_field_needs_no_field_name(
    emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    (tmp_path / "photo.png").write_bytes(_png())
    result = run(["feature", "BACKGROUND_REMOVER", "--file", "photo.png"], emulator, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (request,) = [r.json for r in emulator.requests if r.route == "features"]
    assert list(request["promptObject"]) == ["imageUrl"]
    assert request["model"] == "stable-image"


def test_feature_prints_text_and_saves_it_with_out(
    emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    result = run(
        [
            "feature",
            "CONTENT_SHORTENER",
            "--set",
            "prompt=one two three four",
            "--set",
            "tone=informative",
            "--set",
            "numberOfWord=2",
            "--out",
            str(tmp_path),
        ],
        emulator,
    )
    assert result.returncode == 0, result.stderr
    assert "CONTENT_SHORTENER" in result.stdout
    (saved,) = tmp_path.iterdir()
    assert saved.suffix == ".txt" and saved.read_text() == result.stdout.rstrip("\n")
    assert f"(saved to {saved})" in result.stderr
    (request,) = [r.json for r in emulator.requests if r.route == "features"]
    assert request["promptObject"] == {
        "prompt": "one two three four",
        "tone": "informative",
        "numberOfWord": 2,
    }


def test_feature_sets_nested_fields(emulator: OneMinAIEmulator, tmp_path: Path) -> None:
    write_wav(tmp_path / "voice.wav")
    result = run(
        [
            "feature",
            "VOICE_CLONING",
            "--file",
            "voice.wav",
            "--set",
            "text=Hello",
            "--set",
            "voice_settings.stability=0.4",
            "--set",
            "voice_settings.style=0",
        ],
        emulator,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (request,) = [r.json for r in emulator.requests if r.route == "features"]
    assert request["promptObject"]["voice_settings"] == {"stability": 0.4, "style": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feature", "TEXT_TO_VIDEOS"], "'TEXT_TO_VIDEOS' is not a 1min.ai feature type"),
        (["feature", "UNIFY_CHAT_WITH_AI"], "is a chat type: use `oneminai ask`"),
        (["feature", "TEXT_TO_VIDEO", "--set", "prompt"], "--set takes KEY=VALUE"),
        (["feature", "TEXT_TO_VIDEO", "--set", "a=1", "--set", "a=2"], "--set a is given twice."),
        (["feature", "IMAGE_INPAINTER", "--file", "{tmp}/tone.wav"], "Say which field --file"),
        (["feature", "BACKGROUND_REMOVER", "--file", "{tmp}/missing.png"], "is no such file"),
        (["feature", "BACKGROUND_REMOVER", "--file", "{tmp}/tone.wav"], "not an image"),
        (["feature", "TEXT_TO_VIDEO", "--out", "{tmp}/tone.wav"], "is a file, not a directory"),
    ],
    ids=lambda value: " ".join(value)[:60] if isinstance(value, list) else None,
)
def test_feature_refuses_bad_arguments_before_anything(
    emulator: OneMinAIEmulator, tmp_path: Path, args: list[str], message: str
) -> None:
    write_wav(tmp_path / "tone.wav")
    before = sorted(tmp_path.iterdir())
    result = run([a.format(tmp=tmp_path) for a in args], emulator)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stdout == ""
    assert emulator.requests == []
    assert sorted(tmp_path.iterdir()) == before
    assert_quiet(result.stderr)


def test_feature_refuses_a_model_the_catalog_lacks(emulator: OneMinAIEmulator) -> None:
    result = run(["feature", "TEXT_TO_VIDEO", "--model", "sora-3", "--set", "prompt=x"], emulator)
    assert result.returncode == 2
    assert "error: 'sora-3' is not a TEXT_TO_VIDEO model of 1min.ai's catalog." in result.stderr
    assert "Did you mean 'sora-2', 'sora-2-pro'?" in result.stderr
    assert [r.route for r in emulator.requests] == ["models"]


def test_feature_api_errors_exit_1(emulator: OneMinAIEmulator) -> None:
    emulator.add_fault(Fault(failed_record=True), route="features")
    result = run(["feature", "MUSIC_GENERATOR", "--set", "prompt=piano"], emulator)
    assert result.returncode == 1
    assert "error: GenerationFailedError: " in result.stderr
    assert "done in" not in result.stderr and result.stdout == ""
    assert_quiet(result.stderr)


def _png() -> bytes:
    from langchain_oneminai.emulator._media import render_png

    return render_png("a photo", 64, 64)
