"""llm-1minai 0.4.1 (an ``llm`` plugin for the developer API), driven through ``llm``'s own API.

Everything below is the plugin's code path: ``llm.get_model("1min/...")`` → its
``OneMinModel.execute`` (conversation create, ``/api/chat-with-ai`` or ``/api/features``, its SSE
parser), its ``clear_conversation`` and its ``llm 1min upload`` command. ``HOME`` is a temporary
directory (the plugin keeps its conversation map in ``~/.config/llm-1min``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _peer import FILE, KEY, attempt, redirect_requests, run

redirect_requests()

import llm
import llm_1min

MODEL = "1min/gpt-4o-mini"


def _model(model_id: str = MODEL, key: str = KEY) -> Any:
    model = llm.get_model(model_id)
    model.key = key
    return model


def chat() -> Any:
    return _model().prompt("Name three uses of a paperclip.", stream=False).text()


def stream() -> Any:
    return list(_model().prompt("Write a haiku about credits.", stream=True))


def conversation() -> Any:
    model = _model()
    thread = model.conversation()
    first = thread.prompt("My name is Ada.", stream=False).text()
    second = thread.prompt("What is my name?", stream=False).text()
    mapping = llm_1min.get_active_conversations()
    cleared = llm_1min.clear_conversation(MODEL, KEY)
    return {
        "replies": [first, second],
        "mapping": mapping,
        "cleared": cleared,
        "after_clear": llm_1min.get_active_conversations(),
    }


def assets() -> Any:
    from click.testing import CliRunner
    from llm.cli import cli

    image = Path(FILE)
    upload = CliRunner().invoke(cli, ["1min", "upload", "--quiet", str(image)])
    if upload.exit_code != 0:
        raise RuntimeError(f"llm 1min upload exited {upload.exit_code}: {upload.output}")
    key = upload.output.strip().splitlines()[-1]
    # What its upload command tells the user to do next ("Use: llm -m 1min/<model> -o ...").
    attachment_option = "images" if key.startswith("images/") else "files"
    reply = attempt(
        lambda: (
            _model()
            .prompt("What is in this image?", stream=False, **{attachment_option: key})
            .text()
        )
    )
    return {"key": key, "option": attachment_option, "reply": reply}


def models() -> Any:
    registered: list[Any] = []
    llm_1min.register_models(registered.append)
    answers = {}
    for model in registered:
        model.key = KEY
        answers[model.api_model_id] = attempt(lambda m=model: m.prompt("ping", stream=False).text())
    return answers


def error_bad_key() -> Any:
    return _model(key="not-a-key").prompt("hi", stream=False).text()


run(
    {
        "chat": chat,
        "stream": stream,
        "conversation": conversation,
        "assets": assets,
        "models": models,
        "error_bad_key": error_bad_key,
        # The same calls; the test configures the emulator (a fault, a setting) beforehand.
        "error_status": chat,
        "stream_error_event": stream,
        "stream_duplicate_final": stream,
        "stream_utf8": stream,
        "stream_utf8_charset": stream,
    }
)
