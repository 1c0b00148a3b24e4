"""Read a tool's arguments back from the ``<tools>`` block of langchain-oneminai's prompt.

The client lists each tool's arguments in one of three ways (it renders them, the emulator
only reads them, so neither imports the other)::

      arguments:                                  one line per argument, compact types:
        city (string, required): the city         string, integer, "a" | "b", array of T,
        days (integer, optional, default 3)       {x: number, y?: string}, object of T,
                                                  string (date), any
      arguments: none, use {}
      arguments (JSON schema): {...}              (also the older "arguments schema: {...}")

``arguments_schema`` turns those lines into a JSON schema, so the brain's placeholder arguments
(``_schema_instance``) validate against the tool.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

_JSON_PREFIXES = ("  arguments (JSON schema): ", "  arguments schema: ")
_NONE = "  arguments: none"
_LIST = "  arguments:"
_ARGUMENT = re.compile(
    r"^    (?P<name>\S+) \((?P<type>.*?), (?P<need>required|optional)"
    r"(?:, default (?P<default>.*?))?\)(?::\s.*)?$"
)
_PRIMITIVES = frozenset({"string", "integer", "number", "boolean", "null", "object", "array"})


def _split(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator`` outside braces, brackets, parentheses and JSON strings."""
    parts, depth, start, index, quoted = [], 0, 0, 0, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(text[start:])
    return parts


def compact_type(text: str) -> dict[str, Any]:
    """The JSON schema of one compact type (see the module docstring); ``{}`` for ``any``."""
    text = text.strip()
    options = _split(text, " | ")
    if len(options) > 1:
        literals = []
        for option in options:
            try:
                literals.append(json.loads(option))
            except ValueError:
                return {"anyOf": [compact_type(option) for option in options]}
        return {"enum": literals}
    if text.startswith("array of "):
        return {"type": "array", "items": compact_type(text[len("array of ") :])}
    if text.startswith("object of "):
        return {"type": "object", "additionalProperties": compact_type(text[len("object of ") :])}
    if text.startswith("{") and text.endswith("}"):
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in _split(text[1:-1], ", "):
            name, _, kind = field.partition(": ")
            if name.endswith("?"):
                name = name[:-1]
            else:
                required.append(name)
            properties[name] = compact_type(kind)
        return {"type": "object", "properties": properties, "required": required}
    formatted = re.fullmatch(r"string \((\S+)\)", text)
    if formatted is not None:
        return {"type": "string", "format": formatted.group(1)}
    if text in _PRIMITIVES:
        return {"type": text}
    if text == "any":
        return {}
    try:
        return {"const": json.loads(text)}
    except ValueError:
        return {}


def arguments_schema(lines: Sequence[str]) -> dict[str, Any] | None:
    """The arguments schema the lines after a tool's ``- name: …`` line describe, if any.

    The tool's description may go on over indented lines first; the tool ends at the first line
    that is not indented.
    """
    own = []
    for line in lines:
        if not line.startswith("  "):
            break
        own.append(line)
    lines = own[
        next((i for i, line in enumerate(own) if line.startswith("  arguments")), len(own)) :
    ]
    if not lines:
        return None
    first = lines[0]
    for prefix in _JSON_PREFIXES:
        if first.startswith(prefix):
            try:
                value = json.JSONDecoder().raw_decode(first, len(prefix))[0]
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    if first.startswith(_NONE):
        return {"type": "object", "properties": {}}
    if first.rstrip() != _LIST:
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for line in lines[1:]:
        match = _ARGUMENT.match(line)
        if match is None:
            break
        properties[match["name"]] = compact_type(match["type"])
        if match["need"] == "required":
            required.append(match["name"])
    return {"type": "object", "properties": properties, "required": required}
