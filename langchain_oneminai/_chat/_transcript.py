"""A reply ends where it starts writing the prompt's own transcript markup (pure).

The prompt renders history as ``<conversation>``, ``<user>``, ``<assistant>`` and
``<tool_result ...>`` elements (``_prompt``). Asked to go on after a tool result, a model may
carry on *writing that transcript*: an invented user turn, an invented call and an invented
result. Nothing the model writes after such a tag is its reply, so when tools are bound the
reply is cut at the first transcript tag, like at a stop sequence: the invented turns never
reach ``content`` and no call is read out of them.

A tag counts only where it can be markup: not inside a JSON string (an argument may well hold
``"<user>"``), and not inside a fenced code block (XML code). ``cut_at_transcript`` and its
incremental twin ``TranscriptFilter`` are one state machine, so a stream is cut exactly where
the whole text is, however it is split.
"""

from __future__ import annotations

import re

TRANSCRIPT_TAGS: tuple[str, ...] = (
    "conversation",
    "user",
    "assistant",
    "system",
    "tools",
    "response_format",
    "tool_result",
    "previous_reply",
)
"""The element names ``render_prompt`` (and the repair prompt) write around turns and blocks."""

_TAG = re.compile(r"</?(?:" + "|".join(TRANSCRIPT_TAGS) + r")(?=[\s>/])")

_LONGEST = max(len(name) for name in TRANSCRIPT_TAGS) + 3  # "</" + name + one more character

_FENCE = re.compile(r"[ ]{0,3}(`*)")

_MAX_HELD_FENCE = 64
"""The longest backtick run held to learn a fence's width: a longer one is decided at once (a
hostile reply streaming backticks one by one would otherwise be rescanned on every delta)."""


def _could_become_tag(text: str) -> bool:
    """Whether ``text`` (starting with ``<``) is a proper prefix of some transcript tag."""
    body = text[2:] if text.startswith("</") else text[1:]
    return any(name.startswith(body) for name in TRANSCRIPT_TAGS)


class TranscriptFilter:
    """Incremental :func:`cut_at_transcript`: text in, the part before any transcript tag out.

    JSON nesting is followed outside code fences (``{``/``[`` open, ``}``/``]`` close, strings
    and escapes respected, quotes outside any JSON value ignored), code fences (a line starting
    with three or more backticks) are skipped whole. Text that may still turn out to be a tag,
    or to open or close a fence, is held until the next delta decides; trailing whitespace is
    held too, so a cut drops the whitespace before the tag.
    """

    __slots__ = (
        "_depth",
        "_escaped",
        "_fence",
        "_held",
        "_in_string",
        "_line_start",
        "_space",
        "cut",
    )

    def __init__(self) -> None:
        self._held = ""  # undecided text (a possible tag or fence marker)
        self._space = ""  # whitespace not yet released
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._fence = 0  # width of the open code fence, 0 outside
        self._line_start = True
        self.cut: str | None = None
        """The tag the reply was cut at (for example ``"<user"``), once it was."""

    def feed(self, delta: str) -> str:
        """The part of ``delta`` (with what was held) that is certainly before any tag."""
        if self.cut is not None:
            return ""
        text, self._held = self._held + delta, ""
        out: list[str] = []
        position, end = 0, len(text)
        while position < end:
            char = text[position]
            if self._line_start and not self._in_string and self._depth == 0:
                fence = _FENCE.match(text, position)
                if (
                    fence is not None
                    and fence.end() == end
                    and position < fence.end() <= position + _MAX_HELD_FENCE
                ):
                    self._held = text[position:]  # may still become a fence marker
                    break
                if fence is not None and len(fence.group(1)) >= 3:
                    self._toggle_fence(len(fence.group(1)))
                    self._space += text[position : fence.start(1)]
                    self._emit(out, fence.group(1))
                    self._line_start = False
                    position = fence.end()
                    continue
            if char == "<" and not self._fence and not self._in_string:
                window = text[position : position + _LONGEST]
                match = _TAG.match(window)
                if match is not None:
                    self.cut = match.group()
                    self._space = ""
                    return "".join(out)
                if position + len(window) == end and _could_become_tag(window):
                    self._held = text[position:]
                    break
            self._track(char)
            if char.isspace():
                self._space += char
            else:
                self._emit(out, char)
            position += 1
        return "".join(out)

    def flush(self) -> str:
        """What is still held, at the end of the reply (nothing once cut)."""
        if self.cut is not None:
            return ""
        held, self._held = self._held, ""
        text = self._space + held
        self._space = ""
        return text

    def _emit(self, out: list[str], text: str) -> None:
        if self._space:
            out.append(self._space)
            self._space = ""
        out.append(text)

    def _toggle_fence(self, width: int) -> None:
        if not self._fence:
            self._fence = width
        elif width >= self._fence:
            self._fence = 0

    def _track(self, char: str) -> None:
        self._line_start = char == "\n" or (self._line_start and char in " \t")
        if self._fence:
            return
        if self._in_string:
            if self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                self._in_string = False
        elif char == '"' and self._depth > 0:
            self._in_string = True
        elif char in "{[":
            self._depth += 1
        elif char in "}]" and self._depth > 0:
            self._depth -= 1


def cut_at_transcript(text: str) -> tuple[str, str | None]:
    """``text`` up to its first transcript tag (trailing whitespace dropped) and the tag.

    Returns ``(text, None)`` unchanged when there is none.
    """
    cutter = TranscriptFilter()
    kept = cutter.feed(text)
    if cutter.cut is not None:
        return kept, cutter.cut
    return kept + cutter.flush(), None
