"""Deciding what a JSON candidate in a reply is (pure): a tool call, several, or data.

``ToolStreamParser`` finds each JSON value the model wrote (outside code blocks) and asks
``CallJudge``: a call (one of the shapes models write, see the package docstring) is checked
against the tool's name and arguments and becomes a ``ValidCall`` or an ``InvalidCall`` with
the reason; JSON that is not a call stays prose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from langchain_oneminai._chat._schema import ArgsValidator, coerce_scalars, type_name, validate
from langchain_oneminai._chat._tool_calls._tools import (
    ToolSpec,
    describe_error,
    dumps,
    loads,
)

_ARGS_KEYS = ("arguments", "args", "parameters", "input")
_META_KEYS = frozenset({"name", "id", "type", "call_id"})
# For malformed JSON only: does the text start like (or contain) a call object?
_PROTOCOL_KEY = re.compile(r'"(?:tool_calls|tool_call)"\s*:|"function"\s*:\s*\{\s*"name"\s*:')
_LEADING_KEY = re.compile(r'[\[\s]*\{\s*"(name|function|id|type)"\s*:')
_NAME_VALUE = re.compile(r'"name"\s*:\s*"((?:[^"\\]|\\.)*)"')
_ARGS_KEY = re.compile(r'"(?:arguments|args|parameters|input)"\s*:')


class ValidCall(NamedTuple):
    """A call to a known tool with arguments that pass its schema.

    ``model_id`` is the id the model wrote into the call, if any: never used as the call's id
    (models copy ids from the history), only to recognise a replayed call.
    """

    name: str
    args: dict[str, Any]
    args_json: str
    model_id: str | None = None


class InvalidCall(NamedTuple):
    """A call that cannot be used, and why."""

    name: str | None
    args: str | None
    error: str


class CallJudge:
    """Decides what JSON candidates are, for one set of bound tools."""

    def __init__(
        self, tools: Mapping[str, ToolSpec], validators: Mapping[str, ArgsValidator]
    ) -> None:
        self._tools = tools
        self._validators = validators

    def judge(self, text: str, *, complete: bool) -> list[ValidCall | InvalidCall] | None:
        """The calls in a candidate's text (possibly none), or None when it is not a call."""
        try:
            value = loads(text)
        except (ValueError, RecursionError) as exc:
            if not self.looks_like_call(text):
                return None
            reason = (
                f"malformed JSON ({describe_error(exc)})"
                if complete
                else "incomplete JSON: the reply ended before the object was closed"
            )
            return [InvalidCall(guess_name(text), text, reason)]
        if isinstance(value, dict):
            for wrapper in ("tool_calls", "tool_call"):
                if wrapper in value:
                    entries = value[wrapper]
                    if isinstance(entries, dict):
                        return [self.judge_entry(entries)]
                    if isinstance(entries, list):
                        return [self.judge_entry(entry) for entry in entries]
                    error = f'"{wrapper}" must hold call objects, not {dumps(entries)}'
                    return [InvalidCall(None, dumps(entries), error)]
            return [self.judge_entry(value)] if self.is_call(value) else None
        if isinstance(value, list) and value and all(self.is_call(item) for item in value):
            return [self.judge_entry(item) for item in value]
        return None

    def is_call(self, value: Any) -> bool:
        """Is this object a call, rather than JSON data that happens to have a "name"?"""
        if not isinstance(value, dict):
            return False
        if isinstance(value.get("tool_call"), dict):
            return True
        function = value.get("function")
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            return True
        name = value.get("name")
        if not isinstance(name, str):
            return False
        if name in self._tools:
            return True
        others = set(value) - _META_KEYS
        return bool(others & {"arguments", "args"}) or (
            bool(others) and others <= {"parameters", "input"}
        )

    def judge_entry(self, entry: Any) -> ValidCall | InvalidCall:
        if not isinstance(entry, dict):
            return InvalidCall(None, dumps(entry), "a tool call must be a JSON object")
        call = entry
        model_id = _id_of(entry)
        for wrapper in ("tool_call", "function"):
            if isinstance(call.get(wrapper), dict):
                call = call[wrapper]
                model_id = model_id or _id_of(call)
        name = call.get("name")
        if not isinstance(name, str) or not name.strip():
            return InvalidCall(None, dumps(call), "the call has no tool name")
        tool = self._tools.get(name)
        raw: Any = None
        for key in _ARGS_KEYS:
            # A tool parameter that shares the key (e.g. "input") means the model flattened
            # the arguments into the call: {"name": "magic_function", "input": 3}.
            flattened = tool is not None and key in tool.properties
            if key in call and not (flattened and not isinstance(call[key], dict)):
                raw = call[key]
                break
        else:
            # Flattened arguments: every other key, including "id"/"type" when the tool has
            # a parameter of that name ({"name": "get_user", "id": 5}).
            params = tool.properties if tool is not None else frozenset()
            raw = {
                key: value
                for key, value in call.items()
                if key != "name" and (key not in _META_KEYS or key in params)
            }
        raw_text = raw if isinstance(raw, str) else dumps(raw)
        if tool is None:
            available = ", ".join(self._tools) or "none"
            return InvalidCall(
                name, raw_text, f"unknown tool {name!r} (available tools: {available})"
            )
        args = raw
        for _ in range(2):  # a JSON string, at most twice (models double-encode)
            if not isinstance(args, str):
                break
            try:
                args = loads(args) if args.strip() else {}
            except (ValueError, RecursionError) as exc:
                return InvalidCall(
                    name, raw_text, f"arguments are not valid JSON ({describe_error(exc)})"
                )
        if args is None:
            args = {}
        if not isinstance(args, dict):
            kind = type_name(args)
            return InvalidCall(name, raw_text, f"arguments must be a JSON object, not {kind}")
        check = self._validators.get(name)
        errors = check(args) if check is not None else validate(args, tool.parameters)
        if errors and check is None:
            coerced = coerce_scalars(args, tool.parameters)
            if coerced is not None and not validate(coerced, tool.parameters):
                args, errors = coerced, []
        if errors:
            reason = "arguments do not match the tool's schema: " + "; ".join(errors)
            return InvalidCall(name, raw_text, reason)
        try:
            args_json = json.dumps(args, ensure_ascii=False)
        except (ValueError, RecursionError):
            return InvalidCall(name, raw_text, "arguments are nested too deeply")
        return ValidCall(name, args, args_json, model_id)

    def looks_like_call(self, text: str) -> bool:
        """For JSON that does not parse: does it start like (or contain) a call object?

        Yes when it has a ``"tool_calls"``/``"tool_call"`` key or an OpenAI ``"function"``
        object, or when its first key is a call's (``name``, ``function``, ``id``, ``type``) and
        it names a known tool or has an arguments key. Malformed data such as
        ``{"name": "Bob", "age": 3,}`` stays prose.
        """
        if _PROTOCOL_KEY.search(text):
            return True
        match = _LEADING_KEY.match(text)
        if match is None:
            return False
        return (
            match.group(1) == "function"
            or guess_name(text) in self._tools
            or _ARGS_KEY.search(text) is not None
        )


def _id_of(call: dict[str, Any]) -> str | None:
    value = call.get("id", call.get("call_id"))
    return value if isinstance(value, str) and value else None


def guess_name(text: str) -> str | None:
    """The first ``"name": "..."`` value in malformed JSON, for the invalid call's ``name``."""
    match = _NAME_VALUE.search(text)
    if match is None:
        return None
    try:
        name = json.loads(f'"{match.group(1)}"')
    except ValueError:
        return match.group(1)
    return name if isinstance(name, str) else None
