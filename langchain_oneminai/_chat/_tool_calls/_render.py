"""What the model is told (pure): the instruction blocks, the transcript, the re-prompts.

The ``<tools>`` and ``<response_format>`` blocks, earlier calls and results written back into
the transcript, and the corrective re-prompts.

The sentences are constants so the blocks read as one text here and tests can snapshot them;
the wording follows KCG's protocol (kc9wwh/1min-gateway, the best prior art among the peers).
"""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_oneminai._chat._tool_calls._parse import ParsedReply
from langchain_oneminai._chat._tool_calls._tools import (
    ToolChoice,
    ToolSpec,
    choice_of,
    loads,
    normalize_tool_choice,
    tools_by_name,
)

REPLY_FORMAT = (
    '{"tool_calls": [{"name": "<tool name>", "arguments": {<arguments as a JSON object>}}]}'
)
"""The exact reply format the instructions ask for when the model calls tools."""


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


# The sentences of the <tools> block. They are constants so the block reads as one text here
# and tests can snapshot it; wording follows KCG's protocol (wire.md#no-native-tool-calling).
_RESULT_BLOCKS = '<tool_result call_id="..." name="..." status="..."> ... </tool_result> blocks'

_INTRO = (
    "You can call the tools listed below. To call tools, reply with a JSON object in the exact "
    'format shown under "Reply format"; the tools are then run for you and their results are '
    "sent back to you."
)

_PLAIN_TEXT_OK = "When no tool is needed, answer in plain text, without any JSON."

_TOOL_LIST = "Available tools (name: description, then its arguments: name (type): meaning):"

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


def tool_lines(tool: ToolSpec) -> list[str]:
    """One tool in the ``<tools>`` list: its name and description, then one line per argument.

    Arguments are shown as ``name (type, required|optional, default ...): description`` with
    compact types (``string``, ``array of integer``, ``"a" | "b"``, ``{x: number, y?:
    string}``), not as a JSON schema: shown a schema, small models copy it into
    ``"arguments"`` (the eval measured it). A schema too intricate for that (``$ref``,
    ``allOf``, an argument list that is not an object's properties) is shown as compact JSON.
    """
    description = "\n  ".join(line.rstrip() for line in tool.description.splitlines())
    lines = [f"- {tool.name}: {description}" if description else f"- {tool.name}"]
    schema = tool.parameters
    properties = schema.get("properties")
    if not _simple(schema) or not isinstance(properties, Mapping):
        lines.append(f"  arguments (JSON schema): {_compact(schema)}")
        return lines
    if not properties:
        lines.append("  arguments: none, use {}")
        return lines
    required = schema.get("required")
    required = set(required) if isinstance(required, list) else set()
    lines.append("  arguments:")
    for name, raw in properties.items():
        spec = raw if isinstance(raw, Mapping) else {}
        notes = [_type_of(spec), "required" if name in required else "optional"]
        if "default" in spec:
            notes.append(f"default {_compact(spec['default'])}")
        text = f"    {name} ({', '.join(notes)})"
        meaning = spec.get("description")
        if isinstance(meaning, str) and meaning.strip():
            text += ": " + " ".join(meaning.split())
        lines.append(text)
    return lines


_INTRICATE = frozenset({"$ref", "$defs", "definitions", "allOf", "not", "if", "patternProperties"})


def _simple(schema: Any, depth: int = 0) -> bool:
    """Whether a schema can be shown as compact types without losing what it demands."""
    if isinstance(schema, list):
        return all(_simple(item, depth) for item in schema)
    if not isinstance(schema, Mapping):
        return True
    if depth > 4 or _INTRICATE & set(schema):
        return False
    return all(
        _simple(value, depth + 1)
        for key, value in schema.items()
        if key in {"properties", "items", "anyOf", "oneOf", "additionalProperties"}
    ) and all(_simple(v, depth + 1) for v in (schema.get("properties") or {}).values())


def _type_of(spec: Mapping[str, Any]) -> str:
    """A compact type: ``string``, ``integer``, ``"a" | "b"``, ``array of string``, ..."""
    if "enum" in spec and isinstance(spec["enum"], list):
        return " | ".join(_compact(value) for value in spec["enum"]) or "any"
    if "const" in spec:
        return _compact(spec["const"])
    for key in ("anyOf", "oneOf"):
        options = spec.get(key)
        if isinstance(options, list) and options:
            return " | ".join(_type_of(o) if isinstance(o, Mapping) else "any" for o in options)
    kind = spec.get("type")
    if isinstance(kind, list):
        return " | ".join(_type_of({**spec, "type": k}) for k in kind)
    if kind == "array":
        items = spec.get("items")
        return f"array of {_type_of(items)}" if isinstance(items, Mapping) and items else "array"
    if kind == "object" or "properties" in spec:
        properties = spec.get("properties")
        if isinstance(properties, Mapping) and properties:
            listed = spec.get("required")
            required = set(listed) if isinstance(listed, list) else set()
            fields = ", ".join(
                f"{name}{'' if name in required else '?'}: "
                f"{_type_of(sub) if isinstance(sub, Mapping) else 'any'}"
                for name, sub in properties.items()
            )
            return "{" + fields + "}"
        extra = spec.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            return f"object of {_type_of(extra)}"
        return "object"
    if isinstance(kind, str):
        fmt = spec.get("format")
        return f"{kind} ({fmt})" if isinstance(fmt, str) and kind == "string" else kind
    return "any"


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
    indexed = tools_by_name(tools)
    choice = normalize_tool_choice(tool_choice, indexed)
    if choice == "none" or not indexed:
        return f"<tools>\n{_TOOLS_OFF}\n{_HISTORY_WITHOUT_TOOLS}\n</tools>"
    forced = choice != "auto"
    lines = ["<tools>", _INTRO if forced else f"{_INTRO} {_PLAIN_TEXT_OK}", "", _TOOL_LIST]
    for tool in indexed.values():
        lines += tool_lines(tool)
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
                args = loads(args) if args.strip() else {}
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
    choice = choice_of(tool_choice)
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


_REPLAYED = (
    "You called {calls} again, but that call was already made and its result is in the "
    "conversation above. Do not repeat it: use that result to answer the user, or call a "
    "different tool if you still need one."
)


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
        * a reply whose only calls replay calls already answered (``replayed``: an agent
          running them again would loop);
        * under ``"any"``: no valid call;
        * under a tool name: no valid call to that tool, or calls to other tools as well.

        Under ``"none"`` the answer is always None: the caller should not parse calls at all.

    Raises:
        ValueError: ``tool_choice`` has an unsupported shape.
    """
    choice = choice_of(tool_choice)
    if choice == "none":
        return None
    if parsed.attempted and parsed.problem:
        return parsed.problem
    if parsed.replayed and not parsed.tool_calls:
        listed = ", ".join(
            f"`{call['name']}` with {_compact(call['args'])}" for call in parsed.replayed
        )
        return _REPLAYED.format(calls=listed)
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
