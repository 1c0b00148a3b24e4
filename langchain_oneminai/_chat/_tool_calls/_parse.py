"""The parsing half of the tool-call protocol: model replies in, tool calls out (pure).

The parser is one incremental state machine (``ToolStreamParser``); ``parse_tool_reply`` feeds
it the whole text at once, so streaming and non-streaming results are equal by construction,
for every way of splitting the text. What a JSON value in the reply *is* (a call, or data) is
``CallJudge``'s decision (``_judge``); the accepted reply shapes, the whitespace rule and the
validity rules are described in the package docstring.

    parse_tool_reply(text, tools)    -> ParsedReply(content, tool_calls, invalid_tool_calls, ...)
    ToolStreamParser(tools).feed(d)  -> [TextPiece | ToolCallStart | ToolCallArgs], then finish()
    extract_json(text)               -> the JSON value of a structured-output reply
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

from langchain_core.messages import InvalidToolCall, ToolCall

from langchain_oneminai._chat._schema import ArgsValidator
from langchain_oneminai._chat._tool_calls._judge import CallJudge, InvalidCall, ValidCall
from langchain_oneminai._chat._tool_calls._replay import AnsweredCall, is_replay
from langchain_oneminai._chat._tool_calls._tools import (
    IdFactory,
    describe_error,
    loads,
    new_call_id,
    reject_constant,
    tools_by_name,
)


@dataclass(frozen=True)
class TextPiece:
    """Prose that is certainly not part of a tool call."""

    text: str


@dataclass(frozen=True)
class ToolCallStart:
    """A valid call to a known tool begins: ``index`` counts valid calls from 0."""

    index: int
    id: str
    name: str


@dataclass(frozen=True)
class ToolCallArgs:
    """The arguments of call ``index``, as ``json.dumps(args, ensure_ascii=False)``."""

    index: int
    args_json: str


StreamPiece: TypeAlias = TextPiece | ToolCallStart | ToolCallArgs
"""What ``ToolStreamParser.feed`` and ``finish`` return, in reply order."""


@dataclass(frozen=True)
class ParsedReply:
    """A model reply split into prose and tool calls.

    Attributes:
        content: The prose: everything that is not part of a call, with the calls (and their code
            fences) removed and whitespace tidied (see the module docstring).
        tool_calls: Valid calls to known tools, in reply order, as LangChain ``ToolCall``s.
        invalid_tool_calls: Calls that could not be used, with the reason in ``error`` and the
            raw arguments (a string) in ``args``.
        attempted: The reply tried to call a tool: a call object was found, valid or not, or
            malformed JSON that starts like one.
        problem: When attempted but something was wrong, one line per problem (for the repair
            prompt); None otherwise.
        replayed: Valid calls that repeat a call the history already answered (see
            ``_replay``): not in ``tool_calls``, so they are not run again.
        dropped: Calls past the limit of one per reply (``parallel_tool_calls=False``).
        fragments: The text of each JSON value that held an invalid or a replayed call, as the
            model wrote it: what a repair prompt quotes.
    """

    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    attempted: bool = False
    problem: str | None = None
    replayed: list[ToolCall] = field(default_factory=list)
    dropped: list[ToolCall | InvalidToolCall] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)


def tidy(text: str) -> str:
    """Strip the ends of a text: what ``ParsedReply.content`` gets at its ends.

    The parser also merges the whitespace around removed calls while it scans (it must know
    where the calls were), so ``ParsedReply.content == "".join(text pieces)`` and tidying that
    again changes nothing.
    """
    return text.strip()


def parse_tool_reply(
    text: str,
    tools: Sequence[Mapping[str, Any]],
    *,
    id_factory: IdFactory = new_call_id,
    validators: Mapping[str, ArgsValidator] | None = None,
    max_calls: int | None = None,
    answered: Sequence[AnsweredCall] = (),
) -> ParsedReply:
    """Split a complete reply into prose and tool calls. Never raises on any ``text``.

    Args:
        text: The model's whole reply.
        tools: The bound tools in OpenAI format (for names and argument schemas).
        id_factory: Makes the id of each call, valid or invalid, in reply order.
        validators: Per tool name, how its arguments are checked instead of its JSON schema
            (a pydantic tool validates the way pydantic does).
        max_calls: At most this many valid calls are kept (``parallel_tool_calls=False``:
            1); later ones, and then every invalid one, go to ``dropped``.
        answered: The history's answered calls; a reply's call that replays one goes to
            ``replayed`` instead of ``tool_calls``.

    Returns:
        The parsed reply; identical to what ``ToolStreamParser`` returns for the same text.

    Raises:
        ValueError: Only for a malformed ``tools`` entry (no name), never because of ``text``.
    """
    parser = ToolStreamParser(
        tools,
        id_factory=id_factory,
        validators=validators,
        max_calls=max_calls,
        answered=answered,
    )
    parser.feed(text)
    return parser.finish()[1]


class JSONExtractionError(ValueError):
    """``extract_json`` found no usable JSON value; the message says why."""


def extract_json(text: str) -> Any:
    """Find the JSON value in a structured-output reply, leniently.

    Tried in order: the whole text; the content of each code fence; the first ``{`` or ``[``
    from which a complete JSON value parses (prose around it is ignored).

    Args:
        text: The model's reply.

    Returns:
        The decoded value.

    Raises:
        JSONExtractionError: No JSON value could be found; the message gives the reason.
    """
    stripped = text.strip()
    if not stripped:
        raise JSONExtractionError("the reply is empty; a JSON value was expected")
    first_error: str | None = None
    try:
        return loads(stripped)
    except (ValueError, RecursionError) as exc:
        if stripped[0] in "{[":
            first_error = describe_error(exc)
    for match in _FENCE_BLOCK.finditer(text):
        try:
            return loads(match.group(1).strip())
        except (ValueError, RecursionError) as exc:
            first_error = first_error or describe_error(exc)
    decoder = json.JSONDecoder(strict=False, parse_constant=reject_constant)
    # Only openers that can start JSON are tried ("[docs]" and "{x}" are not), and only so many:
    # enough for any real reply, few enough that pathological ones (`{"{"{"...`) stay fast.
    for attempt, match in enumerate(_JSON_START.finditer(text)):
        if attempt == _MAX_ATTEMPTS:
            break
        try:
            return decoder.raw_decode(text, match.start())[0]
        except (ValueError, RecursionError) as exc:
            first_error = first_error or describe_error(exc)
    if first_error is None:
        raise JSONExtractionError("the reply contains no JSON object or array")
    raise JSONExtractionError(f"the reply contains no valid JSON ({first_error})")


_WS = re.compile(r"\s+")

_PROSE = re.compile(r"[^\s{\[`]+")  # outside fences: stop at what may start a call

_CODE = re.compile(r"[^\s`]+")  # inside a prose fence: braces are code, only a fence ends it

_TICKS = re.compile(r"`+")

_TAG = re.compile(r"[A-Za-z0-9_+.#-]+")  # a fence's info string: json, c++, objective-c ...

_MAX_TAG = 32

_IN_STRING = re.compile(r'[^"\\]+')

_OUT_STRING = re.compile(r'[^"{}\[\]]+')

_JSON_START = re.compile(r'\{(?=\s*["}])|\[(?=\s*[\[\]{"0-9tfn-])')  # an opener JSON can follow

_MAX_ATTEMPTS = 500

_FENCE_BLOCK = re.compile(r"```[A-Za-z0-9_+.#-]*[^\S\n]*\n?(.*?)```", re.DOTALL)

_TEXT, _BACKTICKS, _FENCE_INFO, _CANDIDATE = "text", "backticks", "fence-info", "candidate"


class _Fence(NamedTuple):
    """A fence opener held while its first content decides what it is."""

    opener: str  # the backticks, info string and whitespace, verbatim
    width: int  # number of backticks: the closer needs at least as many
    at_line_start: bool  # only a line-start fence opens a prose (code) fence


class ToolStreamParser:
    """Incremental twin of ``parse_tool_reply``: prose streams out, calls come out whole.

    Prose is emitted as soon as it is certainly prose. Text that may start a call (``{``, ``[``
    or a code fence, and the whitespace before it) is held until it is decided: a call is never
    emitted as text; anything else is released as ``TextPiece``s. Each valid call to a known tool
    is emitted, when its JSON object closes, as ``ToolCallStart`` then ``ToolCallArgs``; invalid
    calls appear only in the final ``ParsedReply``. The work is linear in the input: nothing is
    re-scanned per delta.

    How held text is decided:

    * ``{`` must be followed by ``"``, and ``[`` by ``{"`` (whitespace allowed); anything else
      (``{x}``, ``[1]``, ``[a link](...)``) is prose at once.
    * Then the JSON is scanned to its closing bracket, counting brackets outside JSON strings
      only (escapes respected). When it closes, it is decoded: a call (see
      ``CallJudge.is_call``) is cut out, any other JSON is released as prose.
    * A fence opener (three or more backticks and an optional language) is held until its first
      content: ``{``/``[`` lets the JSON decide (a call takes the fence markers with it); anything
      else makes it a code block, which streams as prose and is not searched for calls (a call
      shown in a code block is an example) until a closing fence at least as long. As in
      CommonMark, only a fence at the start of a line opens a code block.
    * At ``finish``, unclosed JSON that starts like a call becomes an invalid call ("incomplete
      JSON"); anything else still held is prose.

    Example:
        ```python
        parser = ToolStreamParser(tools)
        for delta in deltas:
            for piece in parser.feed(delta):
                ...  # TextPiece -> content chunk; ToolCallStart/Args -> tool_call_chunks
        pieces, reply = parser.finish()
        ```
    """

    def __init__(
        self,
        tools: Sequence[Mapping[str, Any]],
        *,
        id_factory: IdFactory = new_call_id,
        validators: Mapping[str, ArgsValidator] | None = None,
        max_calls: int | None = None,
        answered: Sequence[AnsweredCall] = (),
    ) -> None:
        """Create a parser for one reply.

        Args:
            tools: The bound tools in OpenAI format.
            id_factory: Makes the id of each call, valid or invalid, in reply order.
            validators: Per tool name, how its arguments are checked instead of its schema.
            max_calls: Keep at most this many valid calls (see ``parse_tool_reply``).
            answered: The history's answered calls, to recognise replays.

        Raises:
            ValueError: A tool has no name.
        """
        self._tools = tools_by_name(tools)
        self._max_calls = max_calls
        self._answered = tuple(answered)
        self._judge = CallJudge(self._tools, dict(validators or {}))
        self._new_id = id_factory
        self._state = _TEXT
        # ("call" | "prose", width) while inside a fence; a "call" fence's markers are swallowed.
        self._fence: tuple[str, int] | None = None
        self._line_start = True
        # output
        self._content: list[str] = []
        self._pieces: list[StreamPiece] = []
        self._unflushed: list[str] = []
        self._any_prose = False
        self._ws_parts: list[str] = []  # the whitespace run being held
        self._ws_best = ""  # the run kept so far across removed calls
        # held input
        self._ticks = 0
        self._ticks_line_start = True
        self._opener: list[str] = []
        self._opener_width = 0
        self._opener_line_start = True
        self._tag_length = 0
        self._tag_done = False
        self._held: list[str] = []
        self._held_fence: _Fence | None = None
        self._expect = ""  # what a candidate must show next before it is scanned as JSON
        self._depth = 0
        self._in_string = False
        self._escaped = False
        # results
        self._calls: list[ToolCall] = []
        self._invalid: list[InvalidToolCall] = []
        self._problems: list[str] = []
        self._replayed: list[ToolCall] = []
        self._dropped: list[ToolCall | InvalidToolCall] = []
        self._fragments: list[str] = []
        self._attempted = False
        self._result: ParsedReply | None = None

    def feed(self, delta: str) -> list[StreamPiece]:
        """Consume the next piece of the reply.

        Args:
            delta: Any amount of text, split anywhere (even inside a fence marker or a string).

        Returns:
            The pieces that became certain, in order (possibly none).

        Raises:
            RuntimeError: ``finish`` was already called.
        """
        if self._result is not None:
            raise RuntimeError("ToolStreamParser.feed() called after finish()")
        self._run(delta)
        return self._take_pieces()

    def finish(self) -> tuple[list[StreamPiece], ParsedReply]:
        """End the reply: decide whatever is still held and return the final result.

        Returns:
            The last pieces, and the ``ParsedReply`` (equal to ``parse_tool_reply`` of the whole
            text with the same id sequence). A second call returns no pieces and the same reply.
        """
        if self._result is not None:
            return [], self._result
        while self._state != _TEXT:
            if self._state == _BACKTICKS:
                self._end_backticks()
            elif self._state == _FENCE_INFO:
                self._release_fence_opener()
            else:
                self._end_candidate(complete=False)
        pieces = self._take_pieces()
        invalid, problems = self._invalid, self._problems
        if self._max_calls is not None and len(self._calls) >= self._max_calls:
            # The one call asked for is there: the rest does not need a repair.
            self._dropped += invalid
            invalid, problems = [], []
        self._result = ParsedReply(
            content="".join(self._content),
            tool_calls=self._calls,
            invalid_tool_calls=invalid,
            attempted=self._attempted,
            problem="\n".join(problems) or None,
            replayed=self._replayed,
            dropped=self._dropped,
            fragments=self._fragments,
        )
        return pieces, self._result

    # -- the state machine ------------------------------------------------------------------

    def _run(self, text: str) -> None:
        position, end = 0, len(text)
        while position < end:
            if self._state == _TEXT:
                position = self._step_text(text, position)
            elif self._state == _BACKTICKS:
                position = self._step_backticks(text, position)
            elif self._state == _FENCE_INFO:
                position = self._step_fence_info(text, position)
            else:
                position = self._step_candidate(text, position)

    def _step_text(self, text: str, position: int) -> int:
        if match := _WS.match(text, position):
            self._add_whitespace(match.group())
            self._line_start = self._line_start or "\n" in match.group()
            return match.end()
        char = text[position]
        if char == "`":
            self._state, self._ticks, self._ticks_line_start = _BACKTICKS, 0, self._line_start
            self._line_start = False
            return position
        self._line_start = False
        in_prose_fence = self._fence is not None and self._fence[0] == "prose"
        if char in "{[" and not in_prose_fence:
            self._start_candidate(char, None)
            return position + 1
        match = (_CODE if in_prose_fence else _PROSE).match(text, position)
        end = match.end() if match else position + 1  # always a match: char is not special
        self._add_prose(text[position:end])
        return end

    def _step_backticks(self, text: str, position: int) -> int:
        if match := _TICKS.match(text, position):
            self._ticks += match.end() - position
            return match.end()
        self._end_backticks()
        return position

    def _end_backticks(self) -> None:
        ticks, count = "`" * self._ticks, self._ticks
        self._state = _TEXT
        if self._fence is not None and count >= self._fence[1]:  # closes the fence
            if self._fence[0] == "call":
                self._mark_removed()
            else:
                self._add_prose(ticks)
            self._fence = None
        elif self._fence is None and count >= 3:  # opens one: its first content decides
            self._state, self._opener = _FENCE_INFO, [ticks]
            self._opener_width, self._opener_line_start = count, self._ticks_line_start
            self._tag_length, self._tag_done = 0, False
            return
        else:
            self._add_prose(ticks)
        self._line_start = False

    def _step_fence_info(self, text: str, position: int) -> int:
        if match := _WS.match(text, position):
            self._opener.append(match.group())
            self._tag_done = True
            self._line_start = self._line_start or "\n" in match.group()
            return match.end()
        if not self._tag_done and (match := _TAG.match(text, position)):
            self._opener.append(match.group())
            self._tag_length += match.end() - position
            if self._tag_length > _MAX_TAG:
                self._release_fence_opener()
            return match.end()
        char = text[position]
        if char in "{[":
            fence = _Fence("".join(self._opener), self._opener_width, self._opener_line_start)
            self._start_candidate(char, fence)
            return position + 1
        self._release_fence_opener()
        return position

    def _release_fence_opener(self) -> None:
        """The fence does not start with JSON: it is prose (code), emitted as is."""
        self._state = _TEXT
        self._emit_text("".join(self._opener))
        if self._opener_line_start:
            self._fence = ("prose", self._opener_width)

    def _start_candidate(self, opener: str, fence: _Fence | None) -> None:
        self._state, self._held, self._held_fence = _CANDIDATE, [opener], fence
        self._expect = '"' if opener == "{" else "{"
        self._depth, self._in_string, self._escaped = 1, False, False
        self._line_start = False

    def _step_candidate(self, text: str, position: int) -> int:
        if self._expect:
            # Before scanning, the opener must look like JSON that may hold a call: `{"` or
            # `[{"`. Anything else (`{x`, `[1]`, `[see]`) is released at once, so prose with
            # braces streams without delay.
            if match := _WS.match(text, position):
                self._held.append(match.group())
                return match.end()
            char = text[position]
            if char != self._expect:
                self._reject_candidate()
                return position
            self._held.append(char)
            if char == "{":
                self._expect, self._depth = '"', 2
            else:
                self._expect, self._in_string = "", True
            return position + 1
        if self._in_string:
            if self._escaped:
                self._escaped = False
                self._held.append(text[position])
                return position + 1
            char = text[position]
            if char == "\\":
                self._escaped = True
            elif char == '"':
                self._in_string = False
            else:
                match = _IN_STRING.match(text, position)
                end = match.end() if match else position + 1
                self._held.append(text[position:end])
                return end
            self._held.append(char)
            return position + 1
        char = text[position]
        if char == '"':
            self._in_string = True
        elif char in "{[":
            self._depth += 1
        elif char in "}]":
            self._depth -= 1
        else:
            match = _OUT_STRING.match(text, position)
            end = match.end() if match else position + 1
            self._held.append(text[position:end])
            return end
        self._held.append(char)
        if self._depth == 0:
            self._end_candidate(complete=True)
        return position + 1

    def _reject_candidate(self) -> None:
        """Not JSON after all: release the opener (and fence) and re-read the rest as text."""
        held = "".join(self._held)
        self._state = _TEXT
        self._release_fence(self._held_fence)
        self._add_prose(held[0])
        # The rest is at most whitespace and one `{`: re-reading it is cheap and exact.
        self._run(held[1:])

    def _end_candidate(self, *, complete: bool) -> None:
        text, fence = "".join(self._held), self._held_fence
        self._state, self._held = _TEXT, []
        self._line_start = False
        judged = self._judge.judge(text, complete=complete)
        if judged is None:
            self._release_fence(fence)
            self._emit_text(text)
            return
        if fence is not None:
            self._fence = ("call", fence.width)  # its closing marker is swallowed too
        self._mark_removed()
        self._record(judged, text)

    def _release_fence(self, fence: _Fence | None) -> None:
        if fence is not None:
            self._emit_text(fence.opener)
            if fence.at_line_start:
                self._fence = ("prose", fence.width)

    def _record(self, judged: list[ValidCall | InvalidCall], source: str) -> None:
        quoted = False
        for item in judged:
            self._attempted = True
            call_id = self._new_id()
            if isinstance(item, ValidCall):
                call = ToolCall(name=item.name, args=item.args, id=call_id, type="tool_call")
                if is_replay(self._answered, item.name, item.args, item.model_id):
                    self._replayed.append(call)
                elif self._max_calls is not None and len(self._calls) >= self._max_calls:
                    self._dropped.append(call)
                    continue
                else:
                    index = len(self._calls)
                    self._calls.append(call)
                    self._flush_text()
                    self._pieces += [
                        ToolCallStart(index=index, id=call_id, name=item.name),
                        ToolCallArgs(index=index, args_json=item.args_json),
                    ]
                    continue
            else:
                self._invalid.append(
                    InvalidToolCall(
                        name=item.name,
                        args=item.args,
                        id=call_id,
                        error=item.error,
                        type="invalid_tool_call",
                    )
                )
                self._problems.append(
                    f"The call to `{item.name}` is invalid: {item.error}."
                    if item.name
                    else f"A tool call is invalid: {item.error}."
                )
            if not quoted:
                self._fragments.append(source.strip())
                quoted = True

    # -- output and the whitespace rule ------------------------------------------------------

    def _emit_text(self, text: str) -> None:
        """Release held text: its whitespace runs go through the same rule as streamed ones."""
        position = 0
        for match in _WS.finditer(text):
            if match.start() > position:
                self._add_prose(text[position : match.start()])
            self._add_whitespace(match.group())
            position = match.end()
        if position < len(text):
            self._add_prose(text[position:])

    def _add_whitespace(self, run: str) -> None:
        self._ws_parts.append(run)

    def _mark_removed(self) -> None:
        """A call (or fence marker) was cut out: keep the larger whitespace run around it."""
        run = "".join(self._ws_parts)
        self._ws_parts = []
        if run and (not self._ws_best or run.count("\n") > self._ws_best.count("\n")):
            self._ws_best = run

    def _add_prose(self, text: str) -> None:
        if self._any_prose:  # leading whitespace is dropped, inner whitespace kept
            self._mark_removed()
            if self._ws_best:
                self._emit(self._ws_best)
        self._ws_parts, self._ws_best = [], ""
        self._emit(text)
        self._any_prose = True

    def _emit(self, text: str) -> None:
        self._content.append(text)
        self._unflushed.append(text)

    def _flush_text(self) -> None:
        if self._unflushed:
            self._pieces.append(TextPiece("".join(self._unflushed)))
            self._unflushed = []

    def _take_pieces(self) -> list[StreamPiece]:
        self._flush_text()
        pieces, self._pieces = self._pieces, []
        return pieces
