"""A small JSON-schema validator for emulated tool calls and structured output.

1min.ai has no native tool calling (wire.md#parameters-the-api-does-not-have), so
``_chat._tool_calls`` reads tool calls out of plain text and must check their arguments itself
before they reach a LangChain tool. This module does that check, pure and dependency-free::

    validate(value, schema) -> ["$.city: expected string, got integer", ...]   # [] means valid

It covers the subset of JSON Schema that pydantic v2 and ``convert_to_openai_tool`` emit:

* ``type`` (a name or a list of names), ``nullable`` (OpenAPI), ``enum``, ``const``;
* objects: ``properties``, ``required``, ``additionalProperties`` (bool or schema),
  ``patternProperties``, ``minProperties`` / ``maxProperties``;
* arrays: ``items`` (a schema, or a list as in draft 4), ``prefixItems``, ``additionalItems``,
  ``minItems`` / ``maxItems``;
* numbers: ``minimum`` / ``maximum``, ``exclusiveMinimum`` / ``exclusiveMaximum`` (numbers, or
  draft 4 booleans);
* strings: ``minLength`` / ``maxLength`` (in code points), ``pattern`` (Python ``re.search``);
* ``allOf`` / ``anyOf`` / ``oneOf`` / ``not``;
* ``$ref`` to JSON pointers in the same document (``#``, ``#/$defs/...``, ``#/definitions/...``).

Decisions (JSON Schema leaves some of these to the implementation):

* ``"integer"`` accepts ``int`` and integral finite ``float`` (``3.0``), as the spec says (a
  number with a zero fractional part is an integer). Booleans are never integers or numbers, and
  ``enum``/``const`` tell ``true`` from ``1``.
* ``format`` and every unknown keyword are ignored. So are ``$ref``s that do not resolve,
  ``pattern``s that are not valid Python regexes, and keywords whose values have the wrong type:
  the schema comes from the caller, so a strange schema accepts rather than blames the model.
* ``coerce_scalars`` is the one leniency, and only for schemas the caller gave as JSON (a pydantic
  model validates itself, in its own lax mode): a top-level argument a model wrote as the string
  ``"true"``/``"false"`` or a plain decimal numeral, where the schema wants a boolean, integer or
  number and no string, is read as that value - what pydantic's lax mode does. Small models
  write ``"shortest_route": "true"`` often (the eval saw it), and re-prompting for it costs a
  paid call.
* ``validate`` never raises. Values nested more than ``MAX_DEPTH`` levels deep are reported as an
  error rather than risking ``RecursionError``, and a ``$ref`` cycle that does not descend into
  the value is cut off.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard
from urllib.parse import unquote

__all__ = [
    "MAX_DEPTH",
    "ArgsValidator",
    "coerce_scalars",
    "model_validator",
    "schema_problems",
    "type_name",
    "validate",
]

MAX_DEPTH = 100
"""Deepest schema/value nesting ``validate`` follows before it reports an error."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def validate(value: Any, schema: Any) -> list[str]:
    """Check a decoded JSON value against a JSON schema.

    Args:
        value: A value as ``json.loads`` returns it (dicts, lists, str, int, float, bool, None).
        schema: A JSON schema: a dict, or ``True``/``False``. Anything else accepts every value.

    Returns:
        Human-readable errors, each starting with the JSON path of the offending value
        (``$`` is the root, ``$.items[0].name`` a nested one). An empty list means the value is
        valid.

    Example:
        ```python
        validate({"city": 3}, {"type": "object", "properties": {"city": {"type": "string"}}})
        # ['$.city: expected string, got integer']
        ```
    """
    validator = _Validator(schema)
    try:
        validator.check(value, schema, "$", 0)
    except RecursionError:  # belt and braces: MAX_DEPTH should make this unreachable
        return ["$: the value or the schema is nested too deeply to validate"]
    return validator.errors


class _Validator:
    """One validation run: the root (for ``$ref``), the errors so far, the ``$ref``s followed."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.errors: list[str] = []
        self._following: set[tuple[str, int]] = set()

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def errors_for(self, value: Any, schema: Any, path: str, depth: int) -> list[str]:
        """Validate against a sub-schema into a separate list (for anyOf/oneOf/not)."""
        saved, self.errors = self.errors, []
        try:
            self.check(value, schema, path, depth)
            return self.errors
        finally:
            self.errors = saved

    def check(self, value: Any, schema: Any, path: str, depth: int) -> None:
        if schema is False:
            self.fail(path, "no value is allowed here")
            return
        if not isinstance(schema, Mapping):
            return  # True, None or nonsense: accept
        if depth > MAX_DEPTH:
            self.fail(path, f"nested more than {MAX_DEPTH} levels deep")
            return
        self._check_ref(value, schema, path, depth)
        if value is None and schema.get("nullable") is True:
            return
        if not self._check_type(value, schema, path):
            return  # the other keywords would only repeat the type error
        self._check_enum_const(value, schema, path)
        if _is_number(value):
            self._check_number(value, schema, path)
        elif isinstance(value, str):
            self._check_string(value, schema, path)
        elif isinstance(value, list | tuple):
            self._check_array(value, schema, path, depth)
        elif isinstance(value, Mapping):
            self._check_object(value, schema, path, depth)
        self._check_combinators(value, schema, path, depth)

    # -- keywords --------------------------------------------------------------------------

    def _check_ref(self, value: Any, schema: Mapping[str, Any], path: str, depth: int) -> None:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return
        target = _resolve(self.root, ref)
        # A ref followed again for the same value without descending is a cycle: no new errors.
        key = (ref, id(value))
        if target is None or key in self._following:
            return
        self._following.add(key)
        try:
            self.check(value, target, path, depth + 1)
        finally:
            self._following.discard(key)

    def _check_type(self, value: Any, schema: Mapping[str, Any], path: str) -> bool:
        declared = schema.get("type")
        names = [declared] if isinstance(declared, str) else declared
        if not isinstance(names, list):
            return True
        known = [name for name in names if isinstance(name, str) and name in _TYPE_CHECKS]
        if not known or any(_TYPE_CHECKS[name](value) for name in known):
            return True
        self.fail(path, f"expected {' or '.join(known)}, got {type_name(value)}")
        return False

    def _check_enum_const(self, value: Any, schema: Mapping[str, Any], path: str) -> None:
        enum = schema.get("enum")
        if isinstance(enum, list) and not any(_json_equal(value, option) for option in enum):
            allowed = ", ".join(_show(option) for option in enum)
            self.fail(path, f"{_show(value)} is not one of {allowed}")
        if "const" in schema and not _json_equal(value, schema["const"]):
            self.fail(path, f"{_show(value)} is not {_show(schema['const'])}")

    def _check_number(self, value: float, schema: Mapping[str, Any], path: str) -> None:
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        low_exclusive, high_exclusive = (
            schema.get("exclusiveMinimum"),
            schema.get("exclusiveMaximum"),
        )
        if _is_number(minimum):
            if low_exclusive is True and value <= minimum:  # draft 4 boolean form
                self.fail(path, f"{_show(value)} is not greater than {_show(minimum)}")
            elif value < minimum:
                self.fail(path, f"{_show(value)} is less than the minimum {_show(minimum)}")
        if _is_number(maximum):
            if high_exclusive is True and value >= maximum:
                self.fail(path, f"{_show(value)} is not less than {_show(maximum)}")
            elif value > maximum:
                self.fail(path, f"{_show(value)} is greater than the maximum {_show(maximum)}")
        if _is_number(low_exclusive) and value <= low_exclusive:
            self.fail(path, f"{_show(value)} is not greater than {_show(low_exclusive)}")
        if _is_number(high_exclusive) and value >= high_exclusive:
            self.fail(path, f"{_show(value)} is not less than {_show(high_exclusive)}")

    def _check_string(self, value: str, schema: Mapping[str, Any], path: str) -> None:
        min_length, max_length = schema.get("minLength"), schema.get("maxLength")
        if _is_int(min_length) and len(value) < min_length:
            self.fail(path, f"shorter than {min_length} characters")
        if _is_int(max_length) and len(value) > max_length:
            self.fail(path, f"longer than {max_length} characters")
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and _search(pattern, value) is False:
            self.fail(path, f"{_show(value)} does not match the pattern {_show(pattern)}")

    def _check_array(
        self, value: Sequence[Any], schema: Mapping[str, Any], path: str, depth: int
    ) -> None:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        rest = items
        if isinstance(items, list):  # draft 4 tuple form
            prefix, rest = items, schema.get("additionalItems", True)
        if not isinstance(prefix, list):
            prefix = []
        for index, element in enumerate(value):
            sub = prefix[index] if index < len(prefix) else rest
            if sub is False:
                self.fail(path, f"has {len(value)} items, at most {len(prefix)} are allowed")
                break
            self.check(element, sub, f"{path}[{index}]", depth + 1)
        min_items, max_items = schema.get("minItems"), schema.get("maxItems")
        if _is_int(min_items) and len(value) < min_items:
            self.fail(path, f"has {len(value)} items, at least {min_items} are required")
        if _is_int(max_items) and len(value) > max_items:
            self.fail(path, f"has {len(value)} items, at most {max_items} are allowed")

    def _check_object(
        self, value: Mapping[Any, Any], schema: Mapping[str, Any], path: str, depth: int
    ) -> None:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        required = schema.get("required")
        if isinstance(required, list):
            for name in required:
                if isinstance(name, str) and name not in value:
                    self.fail(path, f"missing required property {_show(name)}")
        patterns = schema.get("patternProperties")
        patterns = patterns if isinstance(patterns, Mapping) else {}
        additional = schema.get("additionalProperties", True)
        for key, element in value.items():
            child = _child_path(path, key)
            matched = key in properties
            if matched:
                self.check(element, properties[key], child, depth + 1)
            for pattern, sub in patterns.items():
                if isinstance(pattern, str) and isinstance(key, str) and _search(pattern, key):
                    matched = True
                    self.check(element, sub, child, depth + 1)
            if not matched:
                if additional is False:
                    self.fail(path, f"unexpected property {_show(key)}")
                else:
                    self.check(element, additional, child, depth + 1)
        min_props, max_props = schema.get("minProperties"), schema.get("maxProperties")
        if _is_int(min_props) and len(value) < min_props:
            self.fail(path, f"has {len(value)} properties, at least {min_props} are required")
        if _is_int(max_props) and len(value) > max_props:
            self.fail(path, f"has {len(value)} properties, at most {max_props} are allowed")

    def _check_combinators(
        self, value: Any, schema: Mapping[str, Any], path: str, depth: int
    ) -> None:
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for sub in all_of:
                self.check(value, sub, path, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            options = schema.get(keyword)
            if not isinstance(options, list) or not options:
                continue
            outcomes = [self.errors_for(value, sub, path, depth + 1) for sub in options]
            matches = sum(1 for errors in outcomes if not errors)
            if matches == 0:
                # Show why each alternative failed, without repeating the path in every reason.
                reasons = "; ".join(
                    errors[0].removeprefix(f"{path}: ") for errors in outcomes if errors
                )
                self.fail(path, f"does not match any of the allowed alternatives ({reasons})")
            elif keyword == "oneOf" and matches > 1:
                self.fail(path, f"matches {matches} alternatives of oneOf, exactly one is allowed")
        negated = schema.get("not")
        if isinstance(negated, Mapping | bool) and not self.errors_for(
            value, negated, path, depth + 1
        ):
            self.fail(path, "matches a schema it must not match")


# -- helpers -------------------------------------------------------------------------------


_BOOLEANS = {"true": True, "false": False}
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_MAX_NUMERAL = 40
"""Longest numeral read as a number (an int of 10**4300 digits would be slow to convert)."""


def coerce_scalars(args: Mapping[str, Any], schema: Any) -> dict[str, Any] | None:
    """``args`` with top-level string scalars read as the types the schema wants, or None.

    Only an argument whose schema names a ``type`` of ``boolean``, ``integer`` or ``number``
    without ``string`` is touched, and only when its value is exactly ``"true"``/``"false"``
    (any case) or a decimal numeral (``"5"``, ``"-0.5"``, ``"1e3"``; an integer must have no
    fraction). Returns None when nothing was changed.
    """
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(properties, Mapping):
        return None
    changed = False
    result = dict(args)
    for name, value in args.items():
        spec = properties.get(name)
        if not isinstance(value, str) or not isinstance(spec, Mapping):
            continue
        kind = spec.get("type")
        kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
        if "string" in kinds or len(value) > _MAX_NUMERAL:
            continue
        text = value.strip()
        if "boolean" in kinds and text.lower() in _BOOLEANS:
            result[name] = _BOOLEANS[text.lower()]
        elif "integer" in kinds and _INTEGER.fullmatch(text):
            result[name] = int(text)
        elif "number" in kinds and _NUMBER.fullmatch(text) and math.isfinite(float(text)):
            result[name] = int(text) if _INTEGER.fullmatch(text) else float(text)
        else:
            continue
        changed = True
    return result if changed else None


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integral(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    return _is_int(value)


_TYPE_CHECKS: dict[str, Any] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integral,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list | tuple),
    "object": lambda v: isinstance(v, Mapping),
}


def type_name(value: Any) -> str:
    """The JSON type of a decoded value: null, boolean, integer, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON sees it: ``1 == 1.0`` but ``true != 1``; containers compared deeply."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if type(left) is not type(right):
        return False
    return bool(left == right)


def _resolve(root: Any, ref: str) -> Any:
    """Follow a same-document JSON pointer (``#/$defs/Name``); None when it does not resolve."""
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        return None  # remote refs are out of scope: accept
    node = root
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _search(pattern: str, text: str) -> bool | None:
    """``re.search`` that answers None (unknown) instead of raising on a non-Python regex."""
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError, OverflowError):
        return None


def _child_path(path: str, key: Any) -> str:
    if isinstance(key, str) and _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{_show(key)}]"


def _show(value: Any, limit: int = 60) -> str:
    """A short JSON rendering of a value for error messages (non-ASCII kept as is)."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (ValueError, TypeError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TYPE_NAMES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("not", "additionalProperties", "additionalItems", "items", "contains", "if")


def schema_problems(schema: Any, path: str = "$", depth: int = 0) -> list[str]:
    """Why ``schema`` is not a JSON schema this module can apply (``[]``: it is one).

    Only structure is checked — what each keyword must hold (``type`` a type name or a list
    of them, ``properties`` an object of schemas, ``required`` a list of names, ...) — so a
    tool whose schema is ``{"type": "banana"}`` is refused when it is bound, not after a
    model called it. Unknown keywords are allowed, as JSON Schema allows them.
    """
    if isinstance(schema, bool):
        return []
    if not isinstance(schema, Mapping):
        return [f"{path}: a schema must be an object (or true/false), not {type_name(schema)}"]
    if depth > MAX_DEPTH:
        return [f"{path}: nested more than {MAX_DEPTH} levels deep"]
    problems: list[str] = []
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind is not None else []
    if not isinstance(kind, str | list | type(None)) or any(
        not isinstance(k, str) or k not in _TYPE_NAMES for k in kinds
    ):
        problems.append(
            f"{path}.type: {kind!r} is not a JSON type ({', '.join(sorted(_TYPE_NAMES))})"
        )
    required = schema.get("required")
    if required is not None and (
        not isinstance(required, list) or not all(isinstance(r, str) for r in required)
    ):
        problems.append(f"{path}.required: must be a list of property names")
    if "enum" in schema and not isinstance(schema["enum"], list):
        problems.append(f"{path}.enum: must be a list")
    for key in _SCHEMA_MAPS:
        if key in schema:
            children = schema[key]
            if not isinstance(children, Mapping):
                problems.append(f"{path}.{key}: must be an object of schemas")
                continue
            for name, child in children.items():
                problems += schema_problems(child, f"{path}.{key}.{name}", depth + 1)
    for key in _SCHEMA_LISTS:
        if key in schema:
            children = schema[key]
            if not isinstance(children, list):
                problems.append(f"{path}.{key}: must be a list of schemas")
                continue
            for index, child in enumerate(children):
                problems += schema_problems(child, f"{path}.{key}[{index}]", depth + 1)
    for key in _SCHEMA_VALUES:
        if key in schema:
            child = schema[key]
            if key == "items" and isinstance(child, list):  # draft 4 tuple form
                for index, item in enumerate(child):
                    problems += schema_problems(item, f"{path}.items[{index}]", depth + 1)
            else:
                problems += schema_problems(child, f"{path}.{key}", depth + 1)
    return problems


ArgsValidator = Callable[[Any], list[str]]
"""Checks a decoded value the way its owner will: errors, or ``[]`` when it is accepted."""


def model_validator(model: type) -> ArgsValidator:
    """Validate the way a pydantic model (v2 or v1) validates: its own lax rules.

    JSON-schema validation is strict (``"36"`` is no integer), but the pydantic model that
    will receive the value coerces such values; refusing them would cost a re-prompt, a paid
    call, for a value the user's own schema accepts.
    """

    def check(value: Any) -> list[str]:
        try:
            if hasattr(model, "model_validate"):
                model.model_validate(value)
            else:
                model.parse_obj(value)  # type: ignore[attr-defined]  # pydantic.v1
        except Exception as error:  # pydantic v1 and v2 raise different types
            errors = getattr(error, "errors", None)
            if callable(errors):
                return [
                    f"$.{'.'.join(str(p) for p in item.get('loc', ()))}: {item.get('msg')}"
                    for item in errors()[:10]
                ]
            return [str(error)[:300]]
        return []

    return check
