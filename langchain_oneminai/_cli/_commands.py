"""The CLI's subcommands: thin shells over ``ChatOneMinAI``, the client and the media tools."""

from __future__ import annotations

import argparse
import base64
import mimetypes
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import ToolException

from langchain_oneminai._cli._app import connection, progress
from langchain_oneminai._cli._render import models_table
from langchain_oneminai.chat_models import ChatOneMinAI
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.errors import InvalidInputError

ToolFailure = ToolException
"""What the media tools raise; its cause is the typed OneMinAIError."""


def _read_text(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


def image_block(path: Path) -> dict[str, Any]:
    """A v1 image content block from a local file (read here, uploaded by the model)."""
    if not path.is_file():
        raise InvalidInputError(f"No such image: {str(path)!r}.")
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return {
        "type": "image",
        "base64": base64.b64encode(path.read_bytes()).decode(),
        "mime_type": mime,
        "filename": path.name,
    }


def first_message(text: str, images: list[Path]) -> HumanMessage:
    """The user's message, with images attached when given."""
    if not images:
        return HumanMessage(text)
    return HumanMessage(content=[{"type": "text", "text": text}, *(image_block(p) for p in images)])


def _stream_reply(model: ChatOneMinAI, messages: list[BaseMessage]) -> str:
    pieces = []
    for chunk in model.stream(messages):
        text = chunk.text
        pieces.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()
    sys.stdout.write("\n")
    sys.stdout.flush()
    return "".join(pieces)


def _model(args: argparse.Namespace, settings: dict[str, Any]) -> ChatOneMinAI:
    return ChatOneMinAI(model=args.model, web_search=args.web_search or None, **settings)


def run_ask(args: argparse.Namespace) -> int:
    """One prompt; the reply is streamed to stdout."""
    with connection(args) as settings:
        model = _model(args, settings)
        messages: list[BaseMessage] = [SystemMessage(args.system)] if args.system else []
        messages.append(first_message(_read_text(args.prompt), args.image))
        _stream_reply(model, messages)
    return 0


def _lines() -> Iterator[str]:
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            sys.stderr.write("you> ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return
        line = line.strip()
        if line in ("/exit", "/quit"):
            return
        if line:
            yield line


def run_chat(args: argparse.Namespace) -> int:
    """Interactive chat.

    Stateless by default (the history is resent each turn); with ``--conversation`` the
    server keeps the history and only each new turn is sent.
    """
    with connection(args) as settings:
        model = _model(args, settings)
        if args.conversation or args.conversation_id:
            model = model.with_conversation(args.conversation, conversation_id=args.conversation_id)
            print(f"(server-side thread {model.conversation_id})", file=sys.stderr)
        history: list[BaseMessage] = [SystemMessage(args.system)] if args.system else []
        images = list(args.image)
        print(f"Chatting with {model.model_name}; /exit or Ctrl-D to leave.", file=sys.stderr)
        for line in _lines():
            history.append(first_message(line, images))
            images = []
            sys.stdout.write("ai> ")
            reply = _stream_reply(model, history)
            history.append(model_reply(reply))
    return 0


def model_reply(text: str) -> BaseMessage:
    """The assistant's turn, for the stateless history."""
    return AIMessage(text)


def run_models(args: argparse.Namespace) -> int:
    """The live catalog of a feature, as a table."""
    with connection(args) as settings:
        catalog = OneMinAIClient(**settings).list_models(args.feature)
    print(models_table(catalog, args.feature))
    return 0


def _tool_call(tool: Any, arguments: dict[str, Any]) -> Any:
    """Invoke a media tool as a ToolCall, so the artifact (paths, bytes) comes back too."""
    call = {
        "args": {k: v for k, v in arguments.items() if v is not None},
        "id": "cli",
        "name": tool.name,
        "type": "tool_call",
    }
    return tool.invoke(call)


def run_image(args: argparse.Namespace) -> int:
    """Generate image(s) into ``--out``; prints the files written."""
    from langchain_oneminai.tools import DEFAULT_IMAGE_MODEL, OneMinAIImageTool  # noqa: PLC0415

    with connection(args) as settings:  # the tool creates --out when it saves, not before
        tool = OneMinAIImageTool(save_dir=str(args.out), **settings)
        model = args.model or DEFAULT_IMAGE_MODEL
        with progress(f"Generating {args.n} image(s) with {model}"):
            message = _tool_call(
                tool,
                {
                    "prompt": args.prompt,
                    "model": model,
                    "n": args.n,
                    "size": args.size,
                    "aspect_ratio": args.aspect_ratio,
                },
            )
    for image in message.artifact["images"]:
        print(image["path"])
    return 0


def run_speak(args: argparse.Namespace) -> int:
    """Text to speech into ``--out`` (its extension picks the format when 1min.ai has it)."""
    from langchain_oneminai._catalog import TTS_FORMATS  # noqa: PLC0415
    from langchain_oneminai.tools import OneMinAITextToSpeechTool  # noqa: PLC0415

    extension = args.out.suffix.lstrip(".").lower()
    with connection(args) as settings:
        tool = OneMinAITextToSpeechTool(**settings)
        with progress(f"Speaking with {args.model} ({args.voice})"):
            message = _tool_call(
                tool,
                {
                    "text": _read_text(args.text),
                    "model": args.model,
                    "voice": args.voice,
                    "response_format": extension if extension in TTS_FORMATS else None,
                },
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(message.artifact["data"] or b"")
    print(f"{args.out} ({message.artifact['mime_type']}, {args.out.stat().st_size:,} bytes)")
    return 0


def run_transcribe(args: argparse.Namespace) -> int:
    """Speech to text; prints the transcript."""
    from langchain_oneminai.tools import OneMinAISpeechToTextTool  # noqa: PLC0415

    audio, root_dir = args.file, None
    if Path(audio).is_file():  # the user named this file: the tool may read its directory
        root_dir, audio = str(Path(audio).resolve().parent), Path(audio).name
    with connection(args) as settings:
        tool = OneMinAISpeechToTextTool(**settings, root_dir=root_dir)
        with progress(f"Transcribing with {args.model}"):
            message = _tool_call(
                tool, {"audio": audio, "model": args.model, "language": args.language}
            )
    print(message.content)
    return 0


def run_emulator(args: argparse.Namespace) -> int:
    """Serve the bundled emulator until Ctrl-C."""
    from langchain_oneminai.emulator.__main__ import main as serve  # noqa: PLC0415

    return serve(["--host", args.host, "--port", str(args.port), "--api-key", args.api_key])


def run_demo(args: argparse.Namespace) -> int:
    """The guided tour."""
    from langchain_oneminai._cli._demo import run  # noqa: PLC0415

    return run(args.out)
