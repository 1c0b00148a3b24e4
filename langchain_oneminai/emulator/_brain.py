"""The emulator's deterministic default brain: replies that never pretend to be intelligent.

Every function is pure: the same inputs give the same text, so tests can assert on it. A
prose reply says it comes from an offline emulator and describes only what it was given
(line and word counts, attachments, conversation length). A prompt that asks for a shape of
reply under langchain-oneminai's prompt protocol gets that shape, filled with labelled
placeholders (``_schema_instance``), so structured output and forced tool calls work offline:

    prompt ──▶ <tools> block forcing a call?  ──▶ {"tool_calls": [{"name", "arguments"}]}
           ──▶ <response_format> block?       ──▶ a JSON value valid for its schema
           ──▶ otherwise                      ──▶ the descriptive prose reply

The protocol's markers are read here, never imported: the emulator imports no client code.
Tests script exact replies when they need specific content (``OneMinAIEmulator.script_chat``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_oneminai.emulator._schema_instance import LABEL, instance
from langchain_oneminai.emulator._tool_args import arguments_schema

_WORD = re.compile(r"\S+\s*")
_QUOTE_LIMIT = 80


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _shorten(text: str, limit: int = _QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _last_line(text: str) -> str:
    for line in reversed(text.splitlines()):
        if line.strip():
            return line.strip()
    return ""


def count_words(text: str) -> int:
    """Whitespace-separated words in ``text`` (the emulator's stand-in for tokens)."""
    return len(text.split())


def split_words(text: str, words_per_chunk: int = 1) -> list[str]:
    """Cut ``text`` into stream deltas of ``words_per_chunk`` words, each with its trailing space.

    Leading whitespace rides on the first delta, so ``"".join(result) == text`` always holds.
    An empty text gives no deltas; whitespace-only text gives one.

    Args:
        text: The reply text.
        words_per_chunk: Words per delta (values below 1 count as 1).

    Returns:
        The deltas, in order.
    """
    words = _WORD.findall(text)
    if not words:
        return [text] if text else []
    lead = len(text) - len(text.lstrip())
    if lead:
        words[0] = text[:lead] + words[0]
    size = max(1, words_per_chunk)
    if size == 1:
        return words
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]


def describe_attachments(images: Sequence[str], files: Sequence[str]) -> str:
    """``Attachments: 1 image (key), 2 files (uuid, uuid).`` or ``""`` when there are none."""
    parts = []
    if images:
        parts.append(f"{_plural(len(images), 'image')} ({', '.join(images)})")
    if files:
        parts.append(f"{_plural(len(files), 'file')} ({', '.join(files)})")
    return f"Attachments: {', '.join(parts)}." if parts else ""


def chat_reply(
    model: str,
    prompt: str,
    *,
    images: Sequence[str] = (),
    files: Sequence[str] = (),
    earlier_turns: int | None = None,
) -> str:
    """The default chat reply: says it is the emulator and describes the prompt.

    Args:
        model: The model id the request named.
        prompt: ``promptObject.prompt``.
        images: Image references the request attached.
        files: File uuids the request attached.
        earlier_turns: Turns already in the conversation, or ``None`` without one.

    Returns:
        The reply text.
    """
    lines = len(prompt.splitlines())
    words = count_words(prompt)
    sentences = [
        f"[1min.ai emulator · {model}] I am an offline emulator, not a language model.",
        (
            f"Your prompt had {_plural(lines, 'line')} and {_plural(words, 'word')}; "
            f'its last line was: "{_shorten(_last_line(prompt))}".'
        ),
    ]
    attachments = describe_attachments(images, files)
    if attachments:
        sentences.append(attachments)
    if earlier_turns is not None:
        sentences.append(
            f"This conversation holds {_plural(earlier_turns, 'earlier turn')} on the emulator."
        )
    return " ".join(sentences)


def code_reply(model: str, prompt: str) -> str:
    """The default ``CODE_GENERATOR`` result: a tiny Python program that admits what it is."""
    request = json.dumps(_shorten(_last_line(prompt) or prompt.strip()), ensure_ascii=False)
    return (
        f"# [1min.ai emulator · {model}] offline emulator, not a language model.\n"
        f"# Request ({_plural(count_words(prompt), 'word')}): {request}\n"
        "def emulator_answer() -> str:\n"
        '    """Return what the emulator can honestly say about the request."""\n'
        f"    return {json.dumps('No code was generated: this is the 1min.ai emulator.')}\n"
    )


_TASKS: Mapping[str, str] = {
    "SUMMARIZER": "summarize {text}",
    "PARAPHRASER": "paraphrase {text}",
    "REWRITER": "rewrite {text}",
    "CONTENT_EXPANDER": "expand {text}",
    "CONTENT_SHORTENER": "shorten {text}",
    "CONTENT_TRANSLATOR": "translate {text}",
    "GRAMMAR_CHECKER": "check the grammar of {text}",
    "KEYWORD_RESEARCH": "research keywords for {text}",
    "CONTENT_GENERATOR_BLOG_ARTICLE": "write a blog article about {text}",
    "CONTENT_GENERATOR_INSTAGRAM_POST": "write an Instagram post about {text}",
    "CONTENT_GENERATOR_FACEBOOK_POST": "write a Facebook post about {text}",
    "CONTENT_GENERATOR_FACEBOOK_ADS": "write Facebook ads for {text}",
    "CONTENT_GENERATOR_GOOGLE_ADS": "write Google ads for {text}",
    "CONTENT_GENERATOR_TIKTOK_DESCRIPTION": "write a TikTok description for {text}",
    "CONTENT_GENERATOR_X_TWEET": "write a post on X about {text}",
    "CONTENT_GENERATOR_LINKEDIN_POST": "write a LinkedIn post about {text}",
    "CONTENT_GENERATOR_EMAIL": "write an email about {text}",
    "CONTENT_GENERATOR_EMAIL_REPLY": "reply to an email with {text}",
    "CONTENT_GENERATOR_LINKEDIN_COMMENT": "write a LinkedIn comment on {text}",
    "CONTENT_GENERATOR_X_COMMENT": "write a comment on X on {text}",
    "CONTENT_GENERATOR_FACEBOOK_COMMENT": "write a Facebook comment on {text}",
    "CONTENT_GENERATOR_BRAND_VOICE": "describe a brand voice from {text}",
    "PRESENTATION_GENERATOR": "outline a presentation about {text}",
    "YOUTUBE_SUMMARIZER": "summarize the YouTube video {video}",
    "YOUTUBE_TRANSCRIBER": "transcribe the YouTube video {video}",
    "YOUTUBE_TRANSLATOR": "translate the YouTube video {video}",
    "DOCUMENT_TRANSLATOR": "translate the document {document}",
}
"""What each text feature is asked to do, as the default replies say it."""

_TEXT_FIELDS = ("prompt", "text", "gpt_description_prompt", "originalEmail")
_REFERENCE_FIELDS = {"video": ("videoUrl", "prompt"), "document": ("fileId", "documentUrl")}
_OPTION_LIMIT = 40


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return _shorten(str(value), _OPTION_LIMIT)
    return None


def request_text(prompt_object: Mapping[str, Any]) -> str:
    """The main text of a feature request (its ``prompt``, else ``text``…), or ``""``."""
    for name in _TEXT_FIELDS:
        value = prompt_object.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def feature_reply(feature: str, model: str, prompt_object: dict[str, Any]) -> str:
    """The default text result of a text feature (writing tools, YouTube, content generators…).

    It says it comes from an offline emulator and describes what was asked: the task, the text
    (its word count and first words), the other scalar options, and every field received.
    """
    task = _TASKS.get(feature)
    used: set[str] = set()
    sentences = [
        f"[1min.ai emulator · {model}] {feature} was answered by an offline emulator, not a model."
    ]
    if task is not None:
        text = request_text(prompt_object)
        described = (
            f'a text of {_plural(count_words(text), "word")} ("{_shorten(text.strip())}")'
            if text
            else "no text"
        )
        used.update(n for n in _TEXT_FIELDS if prompt_object.get(n) == text and text)
        references = {}
        for kind, names in _REFERENCE_FIELDS.items():
            found = next(
                (prompt_object[n] for n in names if isinstance(prompt_object.get(n), str)), None
            )
            references[kind] = found or "(none given)"
            used.update(n for n in names if prompt_object.get(n) == found)
        sentences.append(f"It was asked to {task.format(text=described, **references)}.")
    options = [
        f"{name}={shown}"
        for name in sorted(prompt_object)
        if name not in used and (shown := _scalar(prompt_object[name])) is not None
    ]
    if options:
        sentences.append(f"Options: {', '.join(options)}.")
    keys = ", ".join(sorted(prompt_object)) or "none"
    sentences.append(f"promptObject fields received: {keys}.")
    return " ".join(sentences)


def image_prompt_reply(
    model: str, source: str, size: tuple[int, int] | None, embedded: str | None, index: int = 0
) -> str:
    """The default ``IMAGE_TO_PROMPT`` text: what the emulator knows of the picture.

    Args:
        model: The model id.
        source: The picture's asset key or URL.
        size: Its pixel size, when its header says.
        embedded: The prompt an emulator-made picture carries in its ``Description``, if any.
        index: Which of ``n`` descriptions this is (from 0).
    """
    shape = f", {size[0]}x{size[1]} px" if size is not None else ""
    number = f" Description {index + 1}." if index else ""
    if embedded is not None:
        seen = f'The emulator drew this picture from the prompt: "{_shorten(embedded, 200)}".'
    else:
        seen = "The emulator did not draw this picture and cannot see it."
    return (
        f"[1min.ai emulator · {model}] IMAGE_TO_PROMPT was answered by an offline emulator, "
        f"not a model.{number} Picture: {source}{shape}. {seen}"
    )


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"


def captions(text: str, seconds: float, response_format: str | None) -> str:
    """Captions of ``text`` spoken over ``seconds``, in a Whisper ``response_format``.

    ``srt`` and ``vtt`` give one cue, ``text`` the line, ``json`` ``{"text"}``, and anything else
    (``verbose_json``, the documented default) the verbose JSON with one segment.
    """
    line = f"[1min.ai emulator captions] {text}"
    if response_format == "text":
        return line
    if response_format == "srt":
        return f"1\n{_timestamp(0, ',')} --> {_timestamp(seconds, ',')}\n{line}\n"
    if response_format == "vtt":
        return f"WEBVTT\n\n{_timestamp(0, '.')} --> {_timestamp(seconds, '.')}\n{line}\n"
    if response_format == "json":
        return json.dumps({"text": line}, ensure_ascii=False)
    segment = {"id": 0, "start": 0.0, "end": round(seconds, 3), "text": line}
    verbose = {
        "task": "transcribe",
        "language": "english",
        "duration": round(seconds, 3),
        "text": line,
        "segments": [segment],
    }
    return json.dumps(verbose, ensure_ascii=False)


def fallback_transcript(name: str, size: int) -> str:
    """Transcript of audio the emulator did not make itself (it cannot hear)."""
    return f"[1min.ai emulator transcript of {name}, {size} bytes]"


# -- the prompt protocol's markers (langchain_oneminai/_chat/_tool_calls renders them) -----

_RESPONSE_FORMAT = re.compile(r"<response_format>\n(.*?)\n</response_format>", re.DOTALL)
_SCHEMA_LINE = "JSON schema: "
_TOOLS = re.compile(r"<tools>\n(.*?)\n</tools>", re.DOTALL)
_TOOL_LINE = re.compile(r"- ([A-Za-z0-9_.-]{1,64})(?::|$)")
_NAMED_CHOICE = re.compile(r"^Tool choice: you MUST call the tool `([^`]+)` now", re.MULTILINE)
_ANY_CHOICE = "Tool choice: you MUST call at least one tool now"
_REPAIR_SCHEMA = re.compile(
    r"Reply again with ONLY a JSON value that conforms to this JSON schema[^\n]*\n(\{.*)$",
    re.DOTALL,
)

JSON_MODE_REPLY: Mapping[str, str] = {
    "emulator": f"{LABEL} JSON mode reply: no schema was given, so no content either"
}
"""The default reply to a request for any JSON object (JSON mode)."""


def _json_after(text: str, start: int) -> Any:
    """The JSON value that starts at ``text[start]`` (``None`` when there is none)."""
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return value


def requested_schema(prompt: str) -> tuple[bool, Any]:
    """Whether the prompt asks for a JSON reply, and the schema it must follow.

    Reads the last ``<response_format>`` block (or the structured-output repair request
    after it): ``(True, schema)`` for a schema, ``(True, None)`` for JSON mode, ``(False,
    None)`` when no JSON is asked for.
    """
    repair = _REPAIR_SCHEMA.search(prompt)
    if repair is not None:
        schema = _json_after(repair.group(1), 0)
        if schema is not None:
            return True, schema
    blocks = _RESPONSE_FORMAT.findall(prompt)
    if not blocks:
        return False, None
    block = blocks[-1]
    start = block.find(_SCHEMA_LINE)
    if start < 0:
        return True, None
    return True, _json_after(block, start + len(_SCHEMA_LINE))


def forced_tool(prompt: str) -> tuple[str, Any] | None:
    """The tool a prompt's last ``<tools>`` block forces a call to, with its arguments schema.

    ``tool_choice`` naming a tool forces that one; ``"any"`` forces one, and the emulator
    picks the first listed. ``None`` when no call is forced (the model may answer in prose).
    """
    blocks = _TOOLS.findall(prompt)
    if not blocks:
        return None
    block = blocks[-1]
    named = _NAMED_CHOICE.search(block)
    if named is None and _ANY_CHOICE not in block:
        return None
    schemas: dict[str, Any] = {}
    lines = block.splitlines()
    for index, line in enumerate(lines):
        tool = _TOOL_LINE.match(line)
        if tool is not None:
            found = arguments_schema(lines[index + 1 :])
            schemas[tool.group(1)] = found if found is not None else {"type": "object"}
    if named is not None:
        name = named.group(1)
        return name, schemas.get(name, {"type": "object"})
    return next(iter(schemas.items()), None)


def shaped_reply(prompt: str) -> str | None:
    """The reply to a prompt that asks for a shape (a forced tool call, JSON), else ``None``."""
    tool = forced_tool(prompt)
    if tool is not None:
        name, schema = tool
        arguments = instance(schema)
        call = {"name": name, "arguments": arguments if isinstance(arguments, dict) else {}}
        return json.dumps({"tool_calls": [call]}, ensure_ascii=False)
    wants_json, schema = requested_schema(prompt)
    if not wants_json:
        return None
    value = dict(JSON_MODE_REPLY) if schema is None else instance(schema)
    return json.dumps(value, ensure_ascii=False)


def default_reply(
    model: str,
    prompt: str,
    *,
    images: Sequence[str] = (),
    files: Sequence[str] = (),
    earlier_turns: int | None = None,
) -> str:
    """The default brain's reply: the shape the prompt asks for, else ``chat_reply``."""
    shaped = shaped_reply(prompt)
    if shaped is not None:
        return shaped
    return chat_reply(model, prompt, images=images, files=files, earlier_turns=earlier_turns)
