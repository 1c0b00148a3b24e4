"""Tool calling and structured output for 1min.ai, emulated with a prompt protocol.

1min.ai's chat endpoint takes one prompt string and returns text: no native tools, no JSON mode
(``oneminai-api.md`` §3.6). ``ChatOneMinAI`` therefore describes the tools in the prompt and reads
the calls back out of the reply. This module is that protocol, and it is pure: no I/O, no clock,
randomness only through the injectable ``id_factory``. It follows the best prior art among the
peers (KCG, ``peers.md`` §3): an instruction header, a JSON reply format, a balanced-brace parser
that respects JSON strings, a persistence reminder and one corrective re-prompt.

Prompt out (rendered here, placed into the prompt by ``ChatOneMinAI``)::

    render_tool_instructions()               <tools> ... </tools>: tools, reply format, choice
    format_tool_calls()                      an earlier AIMessage's calls, in the reply format
    format_tool_result()                     a ToolMessage: <tool_result call_id=.. ...> ...
    render_repair_prompt()                   the corrective re-prompt (when needs_repair() asks)
    render_structured_output_instructions()  <response_format> ... </response_format>
    render_structured_repair_prompt()        the corrective re-prompt for structured output

Reply in (parsed here)::

    parse_tool_reply(text, tools)    -> ParsedReply(content, tool_calls, invalid_tool_calls, ...)
    ToolStreamParser(tools).feed(d)  -> [TextPiece | ToolCallStart | ToolCallArgs], then finish()
    extract_json(text)               -> the JSON value of a structured-output reply

The model is asked to reply, when it calls tools, with exactly (``REPLY_FORMAT``)::

    {"tool_calls": [{"name": "<tool name>", "arguments": {<arguments as a JSON object>}}]}

The parser also accepts what models write instead: the object bare or in a code fence (three
backticks, with or without a language), with prose before or after; ``{"tool_call": {...}}``; a
bare ``{"name": ..., "arguments"|"args"|"parameters"|"input": ...}``; OpenAI's ``{"type":
"function", "function": {"name": ..., "arguments": "<JSON string>"}}``; a list of call objects;
several call objects one after another. Arguments given as a JSON string are decoded, missing
ones are ``{}``, and arguments flattened into the call (``{"name": "f", "input": 3}`` for a tool
whose parameter is ``input``) are gathered up. JSON that is not a call (the user asked for data)
stays in the text. Every call gets a fresh id (ids the model wrote are ignored: models copy them
from the history); calls to unknown tools and arguments that fail the tool's JSON schema
(``_json_schema.validate``) become ``invalid_tool_calls``. Malformed JSON is not repaired: when
it starts like a call it becomes an invalid call, and ``needs_repair`` asks the model again.

The parser is one incremental state machine (``ToolStreamParser``); ``parse_tool_reply`` feeds it
the whole text at once, so streaming and non-streaming results are equal by construction, for
every way of splitting the text. Whitespace rule: the content is the prose with its ends stripped,
and the whitespace runs on both sides of a removed call (or fence) merged into the one with the
most newlines. The stream applies that rule as it goes, so the concatenated ``TextPiece``s equal
``ParsedReply.content`` exactly (and ``tidy`` of it is itself).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

from langchain_oneminai._json_schema import schema_problems
from langchain_oneminai._tool_parser import (
    IdFactory,
    JSONExtractionError,
    ParsedReply,
    StreamPiece,
    TextPiece,
    ToolCallArgs,
    ToolCallStart,
    ToolStreamParser,
    _loads,
    _tools_by_name,
    extract_json,
    new_call_id,
    parse_tool_reply,
    tidy,
)
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "REPLY_FORMAT",
    "IdFactory",
    "JSONExtractionError",
    "ParsedReply",
    "StreamPiece",
    "TextPiece",
    "ToolCallArgs",
    "ToolCallStart",
    "ToolChoice",
    "ToolStreamParser",
    "check_tools",
    "extract_json",
    "format_tool_calls",
    "format_tool_result",
    "needs_repair",
    "new_call_id",
    "normalize_tool_choice",
    "parse_tool_reply",
    "render_repair_prompt",
    "render_structured_output_instructions",
    "render_structured_repair_prompt",
    "render_tool_instructions",
    "tidy",
]

ToolChoice: TypeAlias = Literal["auto", "any", "none"] | str | None  # noqa: PYI051
"""``"auto"``/None: the model decides; ``"any"``: it must call a tool; ``"none"``: it must not;
any other string: it must call the tool of that name."""

REPLY_FORMAT = (
    '{"tool_calls": [{"name": "<tool name>", "arguments": {<arguments as a JSON object>}}]}'
)
"""The exact reply format the instructions ask for when the model calls tools."""


# ==========================================================================================
# tool_choice and tools
# ==========================================================================================

_AUTO = frozenset({"auto"})
_ANY = frozenset({"any", "required"})
_NONE = frozenset({"none"})


def normalize_tool_choice(
    tool_choice: ToolChoice | bool | Mapping[str, Any], tool_names: Iterable[str]
) -> str:
    """Reduce every spelling of ``tool_choice`` to ``"auto"``, ``"any"``, ``"none"`` or a tool name.

    Args:
        tool_choice: None or ``"auto"`` (the model decides); ``"any"``, ``"required"`` or True
            (at least one call); ``"none"`` or False (no call); a tool name; or a dict naming one
            tool: OpenAI's ``{"type": "function", "function": {"name": X}}``, Anthropic's
            ``{"type": "tool", "name": X}`` (and its ``{"type": "any"|"auto"|"none"}``).
        tool_names: The names of the bound tools. The keywords above win over a tool that happens
            to be called ``"auto"``, ``"any"``, ``"required"`` or ``"none"``.

    Returns:
        ``"auto"``, ``"any"``, ``"none"`` or the name of the tool that must be called.

    Raises:
        ValueError: The choice names a tool that is not bound, or has an unknown shape.
    """
    names = list(tool_names)
    choice = _choice(tool_choice)
    if choice in {"auto", "any", "none"} or choice in names:
        return choice
    available = ", ".join(names) if names else "none are bound"
    raise ValueError(
        f"tool_choice {tool_choice!r} names a tool that is not bound (available tools: "
        f"{available}); use 'auto', 'any', 'none' or one of the tool names"
    )


def _choice(tool_choice: Any) -> str:
    """``normalize_tool_choice`` without checking the name against the tools."""
    if tool_choice is None:
        return "auto"
    if isinstance(tool_choice, bool):
        return "any" if tool_choice else "none"
    if isinstance(tool_choice, str):
        for keyword, spellings in (("auto", _AUTO), ("any", _ANY), ("none", _NONE)):
            if tool_choice in spellings:
                return keyword
        return tool_choice
    if isinstance(tool_choice, Mapping):
        function = tool_choice.get("function")
        name = function.get("name") if isinstance(function, Mapping) else tool_choice.get("name")
        if isinstance(name, str) and name:
            return name
        kind = tool_choice.get("type")
        if isinstance(kind, str) and kind in _AUTO | _ANY | _NONE:
            return _choice(kind)
    raise ValueError(
        f"unsupported tool_choice {tool_choice!r}: use 'auto', 'any', 'none', a tool name, or "
        '{"type": "function", "function": {"name": ...}}'
    )


_TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def check_tools(tools: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Tools in OpenAI format, once each can be put into the prompt; repeats merged.

    Names and schemas are pasted into the ``<tools>`` block, so a name must be a plain
    identifier (OpenAI's rule, plus ``.``: at most 64 letters, digits, ``_``, ``-``, ``.``; no
    markup, spaces or newlines) and the parameters a JSON schema. The same tool given twice
    (e.g. a pydantic class and its JSON schema, which differ only in ``title``s) is kept
    once; two different tools of one name are refused.

    Raises:
        InvalidInputError: the first tool that breaks a rule, and why.
    """
    kept: dict[str, tuple[Any, Mapping[str, Any]]] = {}
    for position, tool in enumerate(tools):
        function = tool.get("function") if isinstance(tool, Mapping) else None
        spec = function if isinstance(function, Mapping) else tool
        name = spec.get("name") if isinstance(spec, Mapping) else None
        if not isinstance(name, str) or not _TOOL_NAME.fullmatch(name):
            raise InvalidInputError(
                f"Tool #{position} has the name {name!r}; tool names go into the prompt, so "
                "they must be 1-64 letters, digits, '_', '-' or '.' (no spaces, markup or "
                "line breaks)."
            )
        problems = schema_problems(spec.get("parameters") or {"type": "object"})
        if problems:
            raise InvalidInputError(
                f"The parameters of tool {name!r} are not a JSON schema: {'; '.join(problems[:3])}."
            )
        identity = (spec.get("description"), _untitled(spec.get("parameters")))
        if name in kept:
            if kept[name][0] != identity:
                raise InvalidInputError(
                    f"Two different tools are named {name!r}; the model could not tell them "
                    "apart. Rename one."
                )
            continue
        kept[name] = (identity, tool)
    return [tool for _, tool in kept.values()]


def _untitled(schema: Any) -> Any:
    """A schema without its ``title`` annotations (they do not change what it accepts)."""
    if isinstance(schema, Mapping):
        return {k: _untitled(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_untitled(v) for v in schema]
    return schema


# ==========================================================================================
# Prompt out
# ==========================================================================================


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


# The sentences of the <tools> block. They are constants so the block reads as one text here
# and tests can snapshot it; wording follows KCG's protocol (peers.md §3).
_RESULT_BLOCKS = '<tool_result call_id="..." name="..." status="..."> ... </tool_result> blocks'
_INTRO = (
    "You can call the tools listed below. To call tools, reply with a JSON object in the exact "
    'format shown under "Reply format"; the tools are then run for you and their results are '
    "sent back to you."
)
_PLAIN_TEXT_OK = "When no tool is needed, answer in plain text, without any JSON."
_TOOL_LIST = "Available tools (name: description, then the JSON schema of its arguments):"
_ONLY_JSON = "- Reply with only that JSON object, with nothing before or after it."
_JSON_AFTER_SENTENCE = (
    "- The reply must then be only that JSON object, optionally preceded by one short sentence; "
    "write nothing after it."
)
_ARGUMENTS_RULE = (
    '- "arguments" is a JSON object that matches the tool\'s schema; write non-ASCII text as is, '
    "without \\u escapes."
)
_PARALLEL_CALLS = '- Several independent calls may go in the one "tool_calls" list.'
_ONE_CALL = '- Make at most one call per reply: the "tool_calls" list holds exactly one call.'
_HISTORY = (
    '- Earlier tool calls appear in the conversation in this same format (with an "id"), and '
    f"their results as {_RESULT_BLOCKS}."
)
# KCG's insight: models tend to make one call and then stop or narrate; remind them to go on.
_PERSISTENCE = (
    "- After a tool result, keep going: call the next tool you need, or give the final answer. "
    "Do not stop halfway, and do not announce what you are going to do: do it."
)
_CHOICE_AUTO = (
    "Tool choice: call a tool only when it helps to answer; otherwise answer directly in "
    "plain text."
)
_CHOICE_ANY = "Tool choice: you MUST call at least one tool now. Reply with the JSON object only."
_CHOICE_NAMED = "Tool choice: you MUST call the tool `{name}` now. Reply with the JSON object only."
_TOOLS_OFF = (
    "Tool calling is turned off for this reply: do not call any tool and do not write tool-call "
    "JSON; answer in plain text."
)
_HISTORY_WITHOUT_TOOLS = (
    'Earlier tool calls may appear in the conversation as {"tool_calls": [...]} objects, and '
    f"their results as {_RESULT_BLOCKS}. Use them as context only."
)


def render_tool_instructions(
    tools: Sequence[Mapping[str, Any]],
    *,
    tool_choice: ToolChoice | bool | Mapping[str, Any] = "auto",
    parallel_tool_calls: bool | None = None,
) -> str:
    """Render the ``<tools>`` block that teaches the model the tools and the reply format.

    The output is deterministic (same tools and options, same text), one block that starts with
    the line ``<tools>`` and ends with the line ``</tools>``.

    Args:
        tools: Tools in OpenAI format, as ``convert_to_openai_tool`` returns them.
        tool_choice: Any spelling ``normalize_tool_choice`` accepts. With ``"none"`` (or no tools)
            the block lists no tools and only tells the model to answer in plain text.
        parallel_tool_calls: False limits the model to one call per reply; None or True allow
            several independent calls in one reply.

    Returns:
        The instruction block, without a trailing newline.

    Raises:
        ValueError: A tool has no name, or ``tool_choice`` names a tool that is not in ``tools``.
    """
    indexed = _tools_by_name(tools)
    choice = normalize_tool_choice(tool_choice, indexed)
    if choice == "none" or not indexed:
        return f"<tools>\n{_TOOLS_OFF}\n{_HISTORY_WITHOUT_TOOLS}\n</tools>"
    forced = choice != "auto"
    lines = ["<tools>", _INTRO if forced else f"{_INTRO} {_PLAIN_TEXT_OK}", "", _TOOL_LIST]
    for tool in indexed.values():
        description = "\n  ".join(line.rstrip() for line in tool.description.splitlines())
        lines.append(f"- {tool.name}: {description}" if description else f"- {tool.name}")
        lines.append(f"  arguments schema: {_compact(tool.parameters)}")
    lines += [
        "",
        "Reply format for calling tools:",
        REPLY_FORMAT,
        _ONLY_JSON if forced else _JSON_AFTER_SENTENCE,
        _ARGUMENTS_RULE,
        _ONE_CALL if parallel_tool_calls is False else _PARALLEL_CALLS,
        _HISTORY,
        _PERSISTENCE,
        "",
    ]
    if choice == "auto":
        lines.append(_CHOICE_AUTO)
    elif choice == "any":
        lines.append(_CHOICE_ANY)
    else:
        lines.append(_CHOICE_NAMED.format(name=choice))
    lines.append("</tools>")
    return "\n".join(lines)


def format_tool_calls(tool_calls: Sequence[Mapping[str, Any]]) -> str:
    """Write an earlier AI turn's tool calls back into the transcript, in the reply format.

    Args:
        tool_calls: LangChain ``ToolCall``s (or any mappings with ``name``, ``args`` and ``id``).
            A None id is left out; string args that hold JSON are decoded first.

    Returns:
        For example ``{"tool_calls": [{"id": "call_1", "name": "get_weather", "arguments":
        {"city": "Paris"}}]}``: one line, deterministic, non-ASCII kept as is.
    """
    entries = []
    for call in tool_calls:
        entry: dict[str, Any] = {}
        if call.get("id") is not None:
            entry["id"] = call["id"]
        entry["name"] = call.get("name")
        args = call.get("args", {})
        if isinstance(args, str):
            # Not JSON: keep the string, the model still sees what was sent.
            with contextlib.suppress(ValueError, RecursionError):
                args = _loads(args) if args.strip() else {}
        entry["arguments"] = {} if args is None else args
        entries.append(entry)
    return json.dumps({"tool_calls": entries}, ensure_ascii=False, default=str)


def format_tool_result(
    *, tool_call_id: str | None, name: str | None, content: str, status: str | None = "success"
) -> str:
    r"""Render a tool's result (a ``ToolMessage``) for the transcript.

    Args:
        tool_call_id: The id of the call this answers; left out when None.
        name: The tool's name; left out when None.
        content: The result as text.
        status: ``"success"`` or ``"error"``; left out when None.

    Returns:
        ``<tool_result call_id="call_1" name="get_weather" status="success">\n...\n</tool_result>``
        (one line per part). Attribute values are XML-escaped, and a closing tag inside
        ``content`` is defused so a result cannot end its own block early.
    """
    attributes = "".join(
        f' {key}="{html.escape(value, quote=True)}"'
        for key, value in (("call_id", tool_call_id), ("name", name), ("status", status))
        if value is not None
    )
    body = content.replace("</tool_result>", "<\\/tool_result>")
    return f"<tool_result{attributes}>\n{body}\n</tool_result>"


def render_repair_prompt(
    problem: str, *, tool_choice: ToolChoice | bool | Mapping[str, Any]
) -> str:
    """Render the one corrective re-prompt sent after an unusable tool-call reply.

    Args:
        problem: What was wrong, as ``needs_repair`` (or ``ParsedReply.problem``) describes it.
        tool_choice: The tool_choice of the request (any accepted spelling, or normalised).

    Returns:
        A short message: the problem, then the reply format again, and for a forced choice that
        a tool (or the named tool) must be called.

    Raises:
        ValueError: ``tool_choice`` has an unsupported shape.
    """
    choice = _choice(tool_choice)
    lines = ["Your previous reply could not be used:", problem.strip(), ""]
    if choice == "none":
        lines.append("Reply again, in plain text, without calling any tool.")
        return "\n".join(lines)
    lines += [
        "Reply again. To call tools, reply with only this JSON object, with nothing after it:"
        if choice == "auto"
        else "Reply again with only this JSON object, with nothing before or after it:",
        REPLY_FORMAT,
        "Use only the tool names listed in <tools>, with arguments that match each tool's schema.",
    ]
    if choice == "auto":
        lines.append("If no tool is needed, answer in plain text instead.")
    elif choice == "any":
        lines.append("You MUST call at least one tool.")
    else:
        lines.append(f"You MUST call the tool `{choice}`.")
    return "\n".join(lines)


def needs_repair(
    parsed: ParsedReply, tool_choice: ToolChoice | bool | Mapping[str, Any]
) -> str | None:
    """Decide whether a reply deserves the corrective re-prompt, and say why.

    Args:
        parsed: The parsed reply.
        tool_choice: The tool_choice of the request (any accepted spelling, or normalised).

    Returns:
        The problem to put into ``render_repair_prompt``, or None when the reply is usable:

        * a reply that tried to call a tool but got something wrong (``attempted`` with a
          ``problem``: malformed JSON, unknown tool, arguments failing the schema);
        * under ``"any"``: no valid call;
        * under a tool name: no valid call to that tool, or calls to other tools as well.

        Under ``"none"`` the answer is always None: the caller should not parse calls at all.

    Raises:
        ValueError: ``tool_choice`` has an unsupported shape.
    """
    choice = _choice(tool_choice)
    if choice == "none":
        return None
    if parsed.attempted and parsed.problem:
        return parsed.problem
    called = [call["name"] for call in parsed.tool_calls]
    if choice == "auto":
        return None
    if choice == "any":
        return None if called else "You did not call any tool, but this reply must call one."
    if not called:
        return f"You did not call any tool, but this reply must call the tool `{choice}`."
    wrong = [name for name in dict.fromkeys(called) if name != choice]
    if wrong:
        listed = ", ".join(f"`{name}`" for name in wrong)
        return f"You called {listed}, but this reply must call the tool `{choice}` (and only it)."
    return None


_JSON_OBJECT_ONLY = (
    "Reply with ONLY a valid JSON object: no prose before or after it, no Markdown code fence, "
    "no comments."
)
_JSON_VALUE_ONLY = (
    "Reply with ONLY a JSON value that conforms to the JSON schema below: no prose before or "
    "after it, no Markdown code fence, no comments."
)
_SCHEMA_RULE = (
    "Use exactly the property names and types of the schema and fill in every required "
    "property; write non-ASCII text as is, without \\u escapes."
)
_STRICT_RULE = "Do not add any property that the schema does not define."
_AGAIN_WITH_SCHEMA = (
    "Reply again with ONLY a JSON value that conforms to this JSON schema, with no prose and no "
    "code fence:"
)


def render_structured_output_instructions(
    schema: Mapping[str, Any] | None, *, strict: bool | None = None
) -> str:
    """Render the ``<response_format>`` block for structured output (emulated JSON mode).

    Args:
        schema: The JSON schema the reply must conform to; None for plain JSON mode.
        strict: True adds that properties the schema does not define are not allowed.

    Returns:
        A block from the line ``<response_format>`` to the line ``</response_format>``.
    """
    if schema is None:
        body = [_JSON_OBJECT_ONLY]
    else:
        body = [_JSON_VALUE_ONLY, f"JSON schema: {_compact(schema)}", _SCHEMA_RULE]
        if strict:
            body.append(_STRICT_RULE)
    return "\n".join(["<response_format>", *body, "</response_format>"])


def render_structured_repair_prompt(problem: str, schema: Mapping[str, Any] | None) -> str:
    """Render the corrective re-prompt after a structured-output reply that could not be used.

    Args:
        problem: What was wrong (e.g. the ``JSONExtractionError`` message or schema errors).
        schema: The JSON schema, or None for plain JSON mode.

    Returns:
        A short message: the problem, then the demand for only the JSON value.
    """
    lines = ["Your previous reply could not be used:", problem.strip(), ""]
    if schema is None:
        lines.append("Reply again with ONLY a valid JSON object, with no prose and no code fence.")
    else:
        lines += [_AGAIN_WITH_SCHEMA, _compact(schema)]
    return "\n".join(lines)
