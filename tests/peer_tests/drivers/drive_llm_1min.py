"""llm-1min 0.1.4 (an ``llm`` plugin for the legacy chat on ``/api/features``), through ``llm``.

The plugin's own ``OneMin.execute``: a ``CHAT_WITH_AI`` body on ``/api/features``, the JSON
``resultObject[0]`` or, streaming, the raw body bytes decoded two at a time. It has no
conversations, assets or model listing (its catalog is a hard-coded list).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _peer import KEY, attempt, redirect_requests, run

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


def models() -> Any:
    registered: list[Any] = []
    llm_1min.register_models(registered.append)
    answers = {}
    for model in registered:
        model.key = KEY
        answers[model.clean_model_id] = attempt(
            lambda m=model: m.prompt("ping", stream=False).text()
        )
    return answers


def error_bad_key() -> Any:
    return _model(key="not-a-key").prompt("hi", stream=False).text()


run(
    {
        "chat": chat,
        "chat_refused": chat,
        "stream": stream,
        "stream_utf8": stream,
        "stream_reset": stream,
        "models": models,
        "error_bad_key": error_bad_key,
        "error_status": chat,
    }
)
