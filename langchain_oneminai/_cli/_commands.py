"""The CLI's subcommands: thin shells over ``ChatOneMinAI``, the client and the media tools.

Each verb checks its arguments first (pure, nothing sent), then connects, then calls: a
refused argument never starts the emulator, shows progress or reaches 1min.ai.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ValidationError

from langchain_oneminai._catalog import FEATURE_TYPES
from langchain_oneminai._cli._app import connection, progress
from langchain_oneminai._cli._features import (
    could_be_feature,
    normalized_feature,
    parse_fields,
    parse_files,
    unknown_feature_message,
)
from langchain_oneminai._cli._render import models_table
from langchain_oneminai.chat_models import ChatOneMinAI
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.errors import InvalidInputError

ToolFailure = ToolException
"""What the media tools raise; its cause is the typed OneMinAIError."""

_Args = TypeVar("_Args", bound=BaseModel)


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


def first_message(text: str, images: list[Path] | list[dict[str, Any]]) -> HumanMessage:
    """The user's message, with images (paths, or blocks already read) attached when given."""
    if not images:
        return HumanMessage(text)
    blocks = [image_block(i) if isinstance(i, Path) else i for i in images]
    return HumanMessage(content=[{"type": "text", "text": text}, *blocks])


def _stream_reply(model: ChatOneMinAI, messages: list[BaseMessage], prefix: str = "") -> str:
    """Stream the reply to stdout; ``prefix`` (``ai> ``) is written with the first token.

    Nothing reaches stdout before 1min.ai answers, so a refused call prints only its error;
    a reply cut short by an error still ends its line.
    """
    pieces: list[str] = []
    try:
        for chunk in model.stream(messages):
            text = chunk.text
            if not pieces:
                sys.stdout.write(prefix)
            pieces.append(text)
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except BaseException:
        if pieces:
            sys.stdout.write("\n")
            sys.stdout.flush()
        raise
    if not pieces:
        sys.stdout.write(prefix)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return "".join(pieces)


def _model(args: argparse.Namespace, settings: dict[str, Any]) -> ChatOneMinAI:
    return ChatOneMinAI(model=args.model, web_search=args.web_search or None, **settings)


def run_ask(args: argparse.Namespace) -> int:
    """One prompt; the reply is streamed to stdout."""
    messages: list[BaseMessage] = [SystemMessage(args.system)] if args.system else []
    messages.append(first_message(_read_text(args.prompt), args.image))
    with connection(args) as settings:
        _stream_reply(_model(args, settings), messages)
    return 0


CHAT_COMMANDS: dict[str, str] = {
    "/help": "list these commands",
    "/exit": "leave the chat (also /quit, or Ctrl-D)",
    "/quit": "leave the chat",
}
"""The chat's own commands: handled here, never sent to the model."""


def chat_help() -> str:
    """The commands of ``chat``, one a line."""
    rows = [
        *CHAT_COMMANDS.items(),
        ("//text", "send '/text' to the model (a line starting with '/')"),
    ]
    return "Commands:\n" + "\n".join(f"  {name:<7} {what}" for name, what in rows)


def _lines() -> Iterator[str]:
    """The user's messages; commands (a line starting with '/') are handled on the way."""
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            sys.stderr.write("you> ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return
        line = line.strip()
        if line.startswith("//"):
            yield line[1:]
            continue
        if line.startswith("/"):
            command = line.split()[0].lower()
            if command in ("/exit", "/quit"):
                return
            if command != "/help":
                print(f"Unknown command {command} (nothing was sent).", file=sys.stderr)
            print(chat_help(), file=sys.stderr)
            continue
        if line:
            yield line


def run_chat(args: argparse.Namespace) -> int:
    """Interactive chat.

    Stateless by default (the history is resent each turn); with ``--conversation`` the
    server keeps the history and only each new turn is sent.
    """
    images: list[dict[str, Any]] = [image_block(p) for p in args.image]  # checked up front
    with connection(args) as settings:
        model = _model(args, settings)
        if args.conversation or args.conversation_id:
            model = model.with_conversation(args.conversation, conversation_id=args.conversation_id)
            print(f"(server-side thread {model.conversation_id})", file=sys.stderr)
        history: list[BaseMessage] = [SystemMessage(args.system)] if args.system else []
        print(
            f"Chatting with {model.model_name}; /help for commands, /exit or Ctrl-D to leave.",
            file=sys.stderr,
        )
        for line in _lines():
            history.append(first_message(line, images))
            images = []
            reply = _stream_reply(model, history, prefix="ai> ")
            history.append(model_reply(reply))
    return 0


def model_reply(text: str) -> BaseMessage:
    """The assistant's turn, for the stateless history."""
    return AIMessage(text)


def run_models(args: argparse.Namespace) -> int:
    """The live catalog of a feature, as a table.

    A name outside ``FEATURE_TYPES`` is asked for anyway (1min.ai may have added it) and
    shown if 1min.ai lists models for it; otherwise it is refused (exit 2): 1min.ai answers any
    unknown name with an empty list, which must not read as "this feature has no models".
    """
    feature = normalized_feature(args.feature)
    known = feature in FEATURE_TYPES
    if not known and not could_be_feature(feature):
        raise InvalidInputError(unknown_feature_message(args.feature, feature))
    with connection(args, key_required=False) as settings:
        catalog = OneMinAIClient(**settings).list_models(feature)
    if not known:
        if not catalog.models:
            raise InvalidInputError(unknown_feature_message(args.feature, feature))
        print(
            f"(note: {feature} is not a feature type this version of langchain-oneminai knows; "
            "1min.ai lists models for it)",
            file=sys.stderr,
        )
    print(models_table(catalog, feature))
    return 0


def _checked(schema: type[_Args], arguments: dict[str, Any]) -> _Args:
    """The tool's arguments, parsed by its schema (a refusal is bad input: nothing is sent)."""
    try:
        return schema.model_validate(arguments)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'value'}: {item['msg']}"
            for item in error.errors()[:5]
        )
        raise InvalidInputError(f"Invalid arguments ({problems}); nothing was sent.") from None


def _given(**arguments: Any) -> dict[str, Any]:
    return {k: v for k, v in arguments.items() if v is not None}


def _tool_call(tool: BaseTool, arguments: dict[str, Any]) -> Any:
    """Invoke a media tool as a ToolCall, so the artifact (paths, bytes) comes back too.

    The tools are built with ``handle_tool_error=False``: a failure raises ``ToolException``
    (its cause the typed error). An error ``ToolMessage`` is a failure all the same.
    """
    call = {"args": arguments, "id": "cli", "name": tool.name, "type": "tool_call"}
    message = tool.invoke(call)
    if getattr(message, "status", None) == "error":
        raise ToolFailure(str(message.content))
    return message


def _check_directory(path: Path, what: str) -> None:
    """``path`` is, or can be created as, a writable directory (nothing is created here)."""
    if path.exists() and not path.is_dir():
        raise InvalidInputError(f"{what} {str(path)!r} is a file, not a directory.")
    _check_creatable(path, what)


def _check_file(path: Path, what: str) -> None:
    """``path`` can be written as a file (nothing is created here)."""
    if path.is_dir():
        example = str(path / "speech.mp3")
        raise InvalidInputError(
            f"{what} {str(path)!r} is a directory; give a file name, e.g. {example!r}."
        )
    if path.exists():
        if not os.access(path, os.W_OK):
            raise InvalidInputError(f"{what} {str(path)!r} is not writable.")
        return
    _check_creatable(path.parent, what)


def _check_creatable(directory: Path, what: str) -> None:
    """``directory`` exists, or its closest existing ancestor is a writable directory."""
    existing = directory.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InvalidInputError(
            f"{what}: cannot create {str(directory)!r}: {str(existing)!r} is a file."
        )
    if not os.access(existing, os.W_OK):
        raise InvalidInputError(f"{what}: cannot write in {str(existing)!r} (permission denied).")


def run_image(args: argparse.Namespace) -> int:
    """Generate image(s) into ``--out``; prints the files written."""
    from langchain_oneminai.tools import (  # noqa: PLC0415
        DEFAULT_IMAGE_MODEL,
        ImageGenerationInput,
        OneMinAIImageTool,
    )

    model = args.model or DEFAULT_IMAGE_MODEL
    arguments = _given(
        prompt=args.prompt, model=model, n=args.n, size=args.size, aspect_ratio=args.aspect_ratio
    )
    _check_directory(args.out, "--out")
    OneMinAIImageTool()._plan(_checked(ImageGenerationInput, arguments))  # the tool's own checks
    with connection(args) as settings:  # the tool creates --out when it saves, not before
        tool = OneMinAIImageTool(save_dir=str(args.out), handle_tool_error=False, **settings)
        with progress(f"Generating {args.n} image(s) with {model}"):
            message = _tool_call(tool, arguments)
    for image in message.artifact["images"]:
        print(image["path"])
    return 0


def run_speak(args: argparse.Namespace) -> int:
    """Text to speech into ``--out`` (its extension picks the format when 1min.ai has it)."""
    from langchain_oneminai._catalog import TTS_FORMATS  # noqa: PLC0415
    from langchain_oneminai.tools import (  # noqa: PLC0415
        OneMinAITextToSpeechTool,
        TextToSpeechInput,
    )

    extension = args.out.suffix.lstrip(".").lower()
    arguments = _given(
        text=_read_text(args.text),
        model=args.model,
        voice=args.voice,
        response_format=extension if extension in TTS_FORMATS else None,
    )
    _check_file(args.out, "--out")
    OneMinAITextToSpeechTool()._plan(_checked(TextToSpeechInput, arguments))
    with connection(args) as settings:
        tool = OneMinAITextToSpeechTool(handle_tool_error=False, **settings)
        with progress(f"Speaking with {args.model} ({args.voice})"):
            message = _tool_call(tool, arguments)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(message.artifact["data"] or b"")
    print(f"{args.out} ({message.artifact['mime_type']}, {args.out.stat().st_size:,} bytes)")
    return 0


def run_transcribe(args: argparse.Namespace) -> int:
    """Speech to text; prints the transcript."""
    from langchain_oneminai._media._params import ASSET_KEY_PREFIXES  # noqa: PLC0415
    from langchain_oneminai._media._tool import read_local_file  # noqa: PLC0415
    from langchain_oneminai.tools import (  # noqa: PLC0415
        OneMinAISpeechToTextTool,
        SpeechToTextInput,
    )

    audio, root_dir = args.file, None
    path = Path(audio)
    if path.is_file():  # the user named this file: the tool may read its directory
        read_local_file(str(path), "audio")  # the tool's own check (size, audio bytes), early
        root_dir, audio = str(path.resolve().parent), path.name
    elif not audio.startswith(("http://", "https://", *ASSET_KEY_PREFIXES)):
        keys = ", ".join(f"{p}…" for p in ASSET_KEY_PREFIXES)
        what = "is a directory" if path.is_dir() else "is no such file"
        raise InvalidInputError(
            f"{audio!r} {what}; give an audio file, an http(s) URL or a 1min.ai asset key ({keys})."
        )
    arguments = _given(audio=audio, model=args.model, language=args.language)
    OneMinAISpeechToTextTool()._plan(_checked(SpeechToTextInput, arguments))
    with connection(args) as settings:
        tool = OneMinAISpeechToTextTool(**settings, root_dir=root_dir, handle_tool_error=False)
        with progress(f"Transcribing with {args.model}"):
            message = _tool_call(tool, arguments)
    print(message.content)
    return 0


def _input_kind(value: str) -> str:
    """The kind of an input file named for a field the feature table does not list."""
    mime = mimetypes.guess_type(value.split("?", 1)[0])[0] or ""
    for kind in ("image", "audio", "video"):
        if mime.startswith(f"{kind}/") or value.startswith(f"{kind}s/"):
            return kind
    return "document"


def _feature_inputs(
    files: list[tuple[str, str]], kinds: dict[str, Any]
) -> tuple[dict[str, str], str | None]:
    """The ``--file`` values as the tool takes them, and the one directory it may read.

    Local files are checked here (their size and kind, as the tool would), before anything is
    sent; they are passed relative to their common directory, which becomes ``root_dir``.
    """
    from langchain_oneminai._media._params import ASSET_KEY_PREFIXES  # noqa: PLC0415
    from langchain_oneminai._media._tool import read_local_file  # noqa: PLC0415

    local: dict[str, Path] = {}
    values: dict[str, str] = {}
    for field, value in files:
        kinds.setdefault(field, _input_kind(value))
        path = Path(value)
        if path.is_file():
            read_local_file(str(path), kinds[field])
            local[field] = path.resolve()
        elif value.startswith(("http://", "https://", *ASSET_KEY_PREFIXES)):
            values[field] = value
        else:
            what = "is a directory" if path.is_dir() else "is no such file"
            raise InvalidInputError(
                f"--file {field}={value}: {value!r} {what}; give a file, an http(s) URL or a "
                "1min.ai asset key."
            )
    if not local:
        return values, None
    root = Path(os.path.commonpath([str(p.parent) for p in local.values()]))
    values.update({field: str(path.relative_to(root)) for field, path in local.items()})
    return values, str(root)


def run_feature(args: argparse.Namespace) -> int:
    """Any feature: ``--set`` fields and ``--file`` inputs; prints the saved files or the text."""
    from langchain_oneminai._media._generic import CHAT_TYPES, feature_defaults  # noqa: PLC0415
    from langchain_oneminai.tools import OneMinAIFeatureTool  # noqa: PLC0415

    feature = normalized_feature(args.type)
    if feature in CHAT_TYPES:
        raise InvalidInputError(f"{feature} is a chat type: use `oneminai ask` or `oneminai chat`.")
    known = feature in FEATURE_TYPES
    if not known and (not could_be_feature(feature) or args.model is None):
        raise InvalidInputError(
            unknown_feature_message(args.type, feature)
            + "\nA type this version does not know needs --model."
        )
    try:
        defaults = feature_defaults({"feature": feature, "model": args.model})
    except ValueError as error:
        raise InvalidInputError(str(error)) from None
    fields = parse_fields(args.fields)
    kinds: dict[str, Any] = dict(defaults["file_fields"])
    inputs, root_dir = _feature_inputs(parse_files(args.files, kinds), kinds)
    for field in inputs:
        if field in fields:
            raise InvalidInputError(f"{field} is given by both --set and --file.")
    out = args.out if args.out is not None else Path()
    _check_directory(out, "--out")
    model = defaults["model"]
    with connection(args) as settings:
        tool = OneMinAIFeatureTool(
            feature=feature,
            model=model,
            prompt_object={**fields, **inputs},
            file_fields=kinds,
            root_dir=root_dir,
            save_dir=str(out),
            save_text=args.out is not None,
            handle_tool_error=False,
            **settings,
        )
        with progress(f"Running {feature} with {model}"):
            message = _tool_call(tool, {})
    artifact = message.artifact
    saved = [file["path"] for file in artifact["files"] if file["path"]]
    if artifact["text"] is None:
        print("\n".join(saved))
        return 0
    print(artifact["text"])
    if saved:
        print(f"(saved to {saved[0]})", file=sys.stderr)
    return 0


def run_emulator(args: argparse.Namespace) -> int:
    """Serve the bundled emulator until Ctrl-C."""
    from langchain_oneminai.emulator.__main__ import main as serve  # noqa: PLC0415

    try:
        return serve(["--host", args.host, "--port", str(args.port), "--api-key", args.api_key])
    except BrokenPipeError:
        raise
    except OSError as error:  # the address: taken, or not this machine's
        raise InvalidInputError(
            f"Cannot serve the emulator on {args.host}:{args.port}: {error.strerror or error}. "
            "Choose another --port (0 picks a free one) or --host."
        ) from None


def run_demo(args: argparse.Namespace) -> int:
    """The guided tour."""
    from langchain_oneminai._cli._demo import run  # noqa: PLC0415

    return run(args.out)
