"""The emulator's deterministic "brain": reply texts that never pretend to be intelligent.

Every function is pure: the same inputs give the same text, so tests can assert on it. Each
text says it comes from an offline emulator and describes only what it was given (line and
word counts, attachments, conversation length); tests script exact replies when they need
specific content (``OneMinAIEmulator.script_chat``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

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


def feature_reply(feature: str, model: str, prompt_object: dict[str, Any]) -> str:
    """The default text result of any other feature type (writing tools, YouTube, …)."""
    keys = ", ".join(sorted(prompt_object)) or "none"
    return (
        f"[1min.ai emulator · {model}] {feature} was answered by an offline emulator, "
        f"not a model. promptObject fields received: {keys}."
    )


def fallback_transcript(name: str, size: int) -> str:
    """Transcript of audio the emulator did not make itself (it cannot hear)."""
    return f"[1min.ai emulator transcript of {name}, {size} bytes]"
