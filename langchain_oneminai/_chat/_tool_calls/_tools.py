"""The tools of one call, as the protocol sees them (pure): indexed, checked, chosen.

Shared by the rendering half (``_render``: what the model is told) and the parsing half
(``_parse``, ``_judge``: what it did), which is why they are one unit.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeAlias

from langchain_oneminai._chat._schema import schema_problems
from langchain_oneminai.errors import InvalidInputError

IdFactory: TypeAlias = Callable[[], str]
"""Makes one tool-call id per call (tests inject a deterministic one)."""


def new_call_id() -> str:
    """Return a fresh tool-call id: ``"call_"`` and 24 hex characters from ``uuid4``."""
    return "call_" + uuid.uuid4().hex[:24]


class ToolSpec(NamedTuple):
    """A bound tool: its name, description, parameters schema and parameter names."""

    name: str
    description: str
    parameters: dict[str, Any]
    properties: frozenset[str]


def tools_by_name(tools: Iterable[Mapping[str, Any]]) -> dict[str, ToolSpec]:
    """Index tools in OpenAI format (or bare ``{"name", "description", "parameters"}``) by name."""
    indexed: dict[str, ToolSpec] = {}
    for position, tool in enumerate(tools):
        function = tool.get("function") if isinstance(tool, Mapping) else None
        spec = function if isinstance(function, Mapping) else tool
        name = spec.get("name") if isinstance(spec, Mapping) else None
        if not isinstance(name, str) or not name:
            raise ValueError(
                f"tool #{position} has no name; pass tools as convert_to_openai_tool() returns "
                'them: {"type": "function", "function": {"name", "description", "parameters"}}'
            )
        description = spec.get("description")
        parameters = spec.get("parameters")
        parameters = dict(parameters) if isinstance(parameters, Mapping) else {}
        properties = parameters.get("properties")
        indexed[name] = ToolSpec(
            name=name,
            description=description.strip() if isinstance(description, str) else "",
            parameters=parameters or {"type": "object", "properties": {}},
            properties=frozenset(properties) if isinstance(properties, Mapping) else frozenset(),
        )
    return indexed


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str) -> Any:
    # strict=False: models put raw newlines inside strings (code arguments); NaN is not JSON.
    return json.loads(text, strict=False, parse_constant=reject_constant)


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


def dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return repr(value)


ToolChoice: TypeAlias = Literal["auto", "any", "none"] | str | None  # noqa: PYI051
"""``"auto"``/None: the model decides; ``"any"``: it must call a tool; ``"none"``: it must not;
any other string: it must call the tool of that name."""

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
    choice = choice_of(tool_choice)
    if choice in {"auto", "any", "none"} or choice in names:
        return choice
    available = ", ".join(names) if names else "none are bound"
    raise ValueError(
        f"tool_choice {tool_choice!r} names a tool that is not bound (available tools: "
        f"{available}); use 'auto', 'any', 'none' or one of the tool names"
    )


def choice_of(tool_choice: Any) -> str:
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
            return choice_of(kind)
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
