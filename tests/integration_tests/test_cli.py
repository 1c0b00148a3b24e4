"""The command line through its real entry point (``python -m langchain_oneminai``), against
the emulator, and ``make demo`` as CI runs it (no key: it must pick the emulator)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply

ROOT = Path(__file__).resolve().parents[2]


def run(
    args: list[str],
    emulator: OneMinAIEmulator | None,
    *,
    stdin: str = "",
    key: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEMINAI_", "ONE_MIN_"))}
    if emulator is not None:
        env.update(
            ONEMINAI_API_KEY=key or emulator.api_key,
            ONEMINAI_BASE_URL=emulator.base_url,
            ONEMINAI_ASSET_BASE_URL=emulator.asset_base_url,
        )
    return subprocess.run(
        [sys.executable, "-m", "langchain_oneminai", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


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
    assert result.stdout.rstrip().endswith("68 models for UNIFY_CHAT_WITH_AI.")
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
