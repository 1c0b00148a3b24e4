"""Deterministic JSON values that satisfy a JSON schema: the emulator's structured answers.

When a prompt asks for JSON that follows a schema (langchain-oneminai's ``<response_format>``
block, or a forced tool call), the emulator's default brain answers with ``instance(schema)``:
the same schema always gives the same value, and every string that can carry text says it
comes from the emulator (``"[emulator] name"`` for a property ``name``). Nothing is random and
nothing pretends to be an answer; it is a placeholder of the requested shape.

Covered (the subset pydantic v1/v2, TypedDict and ``convert_to_json_schema`` emit):

* ``const``, ``enum`` (the first value of the right type), ``type`` (a name or a list; the
  first non-null type), ``nullable``;
* ``$ref`` into the same document (``#/$defs/…``, ``#/definitions/…``, ``#``), with siblings;
  ``allOf`` (merged); ``anyOf`` / ``oneOf`` (the first non-null alternative);
* objects: every defined property (only the required ones in a recursive branch and under
  ``maxProperties``), ``additionalProperties`` / ``patternProperties`` / ``propertyNames``,
  ``minProperties``;
* arrays: ``items``, ``prefixItems`` (and the draft-4 list form), ``minItems`` / ``maxItems``,
  ``uniqueItems`` (items differ by position), ``contains``;
* numbers: ``minimum`` / ``maximum`` / ``exclusive…`` (numbers or draft-4 booleans),
  ``multipleOf``; strings: ``minLength`` / ``maxLength``, ``pattern`` (a matching string is
  built from the regex), the ``format``s pydantic emits (``date-time``, ``email``, ``uri``…).

A recursive schema ends where it can (optional branches dropped, arrays at ``minItems``,
``null`` preferred); a schema no value satisfies (``false``, contradictory bounds) gets the
closest value this module can build.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import unquote

if TYPE_CHECKING:  # typeshed knows the parser under its pre-3.11 name
    import sre_constants as _codes
    import sre_parse as _regex
else:
    from re import _constants as _codes
    from re import _parser as _regex

LABEL = "[emulator]"
"""Prefix of every generated free-text string."""

MAX_DEPTH = 32
"""Nesting depth beyond which generation stops descending (returns ``None``)."""

FORMATS: Mapping[str, str] = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "12:00:00",
    "duration": "PT1H",
    "email": "emulator@example.com",
    "idn-email": "emulator@example.com",
    "uri": "https://example.com/1min-ai-emulator",
    "iri": "https://example.com/1min-ai-emulator",
    "uri-reference": "https://example.com/1min-ai-emulator",
    "url": "https://example.com/1min-ai-emulator",
    "hostname": "emulator.example.com",
    "idn-hostname": "emulator.example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "ipvanyaddress": "192.0.2.1",
    "ipvanyinterface": "192.0.2.1/24",
    "ipvanynetwork": "192.0.2.0/24",
    "binary": "emulator",
    "base64": "ZW11bGF0b3I=",
    "path": "emulator.txt",
    "json-string": "{}",
    "regex": "^emulator$",
}
"""A valid example per ``format`` (pydantic checks formats the JSON-schema validator skips)."""

_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
_OBJECT_WORDS = ("properties", "required", "additionalProperties", "patternProperties")
_ARRAY_WORDS = ("items", "prefixItems", "minItems", "maxItems", "contains")
_STRING_WORDS = ("minLength", "maxLength", "pattern", "format")
_NUMBER_WORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "deprecated"})
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")


def instance(schema: Any) -> Any:
    """A JSON value valid for ``schema`` (deterministic; strings labelled as the emulator's).

    Args:
        schema: A JSON schema (a mapping or a boolean); anything else accepts every value.

    Returns:
        A value ``json.dumps`` can write.
    """
    return _Generator(schema).value(schema, "value", 0, 0, frozenset(), ending=False)


def _resolve(root: Any, ref: str) -> Any:
    """A same-document JSON pointer's target, or ``None``."""
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        return None
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


def _types(value: Any) -> list[str]:
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [name for name in names if name in _TYPES]


def merge(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    """Both schemas' constraints in one (for ``allOf`` and ``$ref`` siblings); pure.

    Properties present in both become ``allOf`` of the two; ``required`` lists are joined;
    ``type`` and ``enum`` are intersected; lower bounds take the larger value, upper bounds the
    smaller; any other keyword keeps the left value.
    """
    out = dict(left)
    for key, value in right.items():
        if key not in out:
            out[key] = value
        elif key == "properties" and isinstance(value, Mapping) and isinstance(out[key], Mapping):
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props else sub
            out[key] = props
        elif key == "required" and isinstance(value, list) and isinstance(out[key], list):
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "type":
            both = [name for name in _types(out[key]) if name in _types(value)]
            if both:
                out[key] = both
        elif key == "enum" and isinstance(value, list) and isinstance(out[key], list):
            both = [item for item in out[key] if item in value]
            if both:
                out[key] = both
        elif key in _LOWER_BOUNDS and _is_number(value) and _is_number(out[key]):
            out[key] = max(out[key], value)
        elif key in _UPPER_BOUNDS and _is_number(value) and _is_number(out[key]):
            out[key] = min(out[key], value)
    return out


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fits_type(value: Any, name: str) -> bool:
    checks = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": _is_number(value) and float(value).is_integer(),
        "number": _is_number(value),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, Mapping),
    }
    return checks.get(name, True)


def _singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


class _Generator:
    """One generation run over one root schema (the root resolves ``$ref``s)."""

    def __init__(self, root: Any) -> None:
        self.root = root

    # -- schema normalisation -------------------------------------------------------------

    def _flatten(
        self, schema: Mapping[str, Any], refs: frozenset[str]
    ) -> tuple[dict[str, Any], frozenset[str], bool]:
        """``schema`` with ``$ref`` and ``allOf`` folded in; True when a ``$ref`` recursed."""
        out = dict(schema)
        recursive = False
        for _ in range(MAX_DEPTH):
            ref = out.get("$ref")
            if not isinstance(ref, str):
                break
            del out["$ref"]
            target = _resolve(self.root, ref)
            if ref in refs:
                recursive = True
            if isinstance(target, Mapping):
                out = merge(out, target)
            refs |= {ref}
        parts = out.pop("allOf", None)
        if isinstance(parts, list):
            for part in parts:
                if isinstance(part, Mapping):
                    flat, refs, again = self._flatten(part, refs)
                    recursive = recursive or again
                    out = merge(out, flat)
        return out, refs, recursive

    def _kind(self, schema: Mapping[str, Any], *, minimal: bool) -> str:
        names = _types(schema.get("type"))
        if names:
            if minimal and "null" in names:
                return "null"
            solid = [name for name in names if name != "null"]
            return solid[0] if solid else "null"
        for kind, words in (
            ("object", _OBJECT_WORDS),
            ("array", _ARRAY_WORDS),
            ("string", _STRING_WORDS),
            ("number", _NUMBER_WORDS),
        ):
            if any(word in schema for word in words):
                return kind
        return "any"

    # -- values ---------------------------------------------------------------------------

    def value(
        self,
        schema: Any,
        name: str,
        depth: int,
        index: int,
        refs: frozenset[str],
        *,
        ending: bool,
    ) -> Any:
        """A value for ``schema``; ``name`` labels strings, ``index`` varies array items.

        ``ending`` (set below a recursive ``$ref``, and kept for the whole subtree) builds the
        smallest value: required properties only, arrays at ``minItems``, ``null`` if allowed.
        """
        if schema is False or depth > MAX_DEPTH:
            return None
        if not isinstance(schema, Mapping):
            return self._string({}, name, index)
        flat, refs, recursive = self._flatten(schema, refs)
        minimal = ending or recursive or depth > MAX_DEPTH // 2
        if "const" in flat:
            return flat["const"]
        enum = flat.get("enum")
        if isinstance(enum, list) and enum:
            names = _types(flat.get("type"))
            fitting = [e for e in enum if not names or any(_fits_type(e, n) for n in names)]
            options = fitting or enum
            return options[index % len(options)]
        for keyword in ("anyOf", "oneOf"):
            alternatives = flat.get(keyword)
            if isinstance(alternatives, list) and alternatives:
                base = {k: v for k, v in flat.items() if k not in ("anyOf", "oneOf")}
                chosen = self._choose(alternatives, refs, minimal=minimal)
                return self.value(merge(base, chosen), name, depth + 1, index, refs, ending=minimal)
        kind = self._kind(flat, minimal=minimal)
        if kind == "object":
            return self._object(flat, depth, index, refs, minimal=minimal)
        if kind == "array":
            return self._array(flat, name, depth, refs, minimal=minimal)
        if kind in ("integer", "number"):
            return _number(flat, integer=kind == "integer", index=index)
        if kind == "boolean":
            return index % 2 == 0
        if kind == "null":
            return None
        return self._string(flat, name, index)

    def _choose(
        self, alternatives: Sequence[Any], refs: frozenset[str], *, minimal: bool
    ) -> Mapping[str, Any]:
        """The alternative to build.

        Ending a recursion: ``null`` if allowed. Otherwise the first alternative that says
        something (not ``null``, not an empty "anything" schema, not recursing while ending),
        then ``null``, then whatever comes first. An empty alternative beside ``null`` is what
        LangChain's conversion leaves of a recursive reference: ``null`` is the safe pick.
        """
        schemas = [alt if isinstance(alt, Mapping) else {} for alt in alternatives]

        def is_null(alt: Mapping[str, Any]) -> bool:
            return _types(alt.get("type")) == ["null"]

        def says_nothing(alt: Mapping[str, Any]) -> bool:
            return not (set(alt) - _ANNOTATIONS)

        def recurses(alt: Mapping[str, Any]) -> bool:
            return isinstance(alt.get("$ref"), str) and alt["$ref"] in refs

        nulls = [alt for alt in schemas if is_null(alt)]
        if minimal and nulls:
            return nulls[0]
        for alt in schemas:
            if not is_null(alt) and not says_nothing(alt) and not (minimal and recurses(alt)):
                return alt
        return nulls[0] if nulls else schemas[0]

    def _object(
        self,
        schema: Mapping[str, Any],
        depth: int,
        index: int,
        refs: frozenset[str],
        *,
        minimal: bool,
    ) -> dict[str, Any]:
        """The object; ``index`` (its place in an array) varies its values, so items differ."""
        props = schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = [r for r in schema.get("required") or [] if isinstance(r, str)]
        extra = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties")
        patterns = patterns if isinstance(patterns, Mapping) else {}
        names = list(dict.fromkeys([*required, *([] if minimal else props)]))
        limit = schema.get("maxProperties")
        if isinstance(limit, int) and not isinstance(limit, bool):
            names = names[: max(limit, len(required))]
        out: dict[str, Any] = {}
        for name in names:
            sub = props.get(name)
            if sub is None:
                sub = next(
                    (s for p, s in patterns.items() if re.search(p, name)),
                    extra if isinstance(extra, Mapping) else True,
                )
            out[name] = self.value(sub, name, depth + 1, index, refs, ending=minimal)
        wanted = schema.get("minProperties")
        wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 0
        if not props and not minimal and (limit is None or limit):
            wanted = max(wanted, 1)  # a bare mapping type shows one illustrative entry
        for extra_index in range(len(out), wanted):
            key, sub = self._extra_key(schema, patterns, extra, extra_index)
            if key is None:
                break
            value = self.value(sub, key, depth + 1, extra_index, refs, ending=minimal)
            out.setdefault(key, value)
        return out

    def _extra_key(
        self,
        schema: Mapping[str, Any],
        patterns: Mapping[str, Any],
        extra: Any,
        index: int,
    ) -> tuple[str | None, Any]:
        """A key (and its schema) beyond the defined properties, if the schema allows one."""
        key_schema = schema.get("propertyNames")
        if isinstance(key_schema, Mapping):
            key = self.value(key_schema, "key", 0, index, frozenset(), ending=False)
            return (key if isinstance(key, str) else None), extra
        if extra is not False:
            return f"emulator_key_{index + 1}", extra
        for pattern, sub in patterns.items():
            key = regex_example(pattern, index)
            if key is not None:
                return key, sub
        return None, None

    def _array(
        self,
        schema: Mapping[str, Any],
        name: str,
        depth: int,
        refs: frozenset[str],
        *,
        minimal: bool,
    ) -> list[Any]:
        items = schema.get("items", True)
        prefix = schema.get("prefixItems")
        rest: Any = items
        if isinstance(items, list):  # draft 4 tuple form
            prefix, rest = items, schema.get("additionalItems", True)
        prefix = prefix if isinstance(prefix, list) else []
        low = schema.get("minItems")
        low = low if isinstance(low, int) and not isinstance(low, bool) else 0
        count = max(low, len(prefix) if prefix else (0 if minimal else 1))
        contains = schema.get("contains")
        if contains is not None and contains is not False:
            count = max(count, 1)
        high = schema.get("maxItems")
        if isinstance(high, int) and not isinstance(high, bool):
            count = min(count, high)
        if rest is False:
            count = min(count, len(prefix))
        element = _singular(name)
        out = [
            self.value(
                prefix[i] if i < len(prefix) else rest, element, depth + 1, i, refs, ending=minimal
            )
            for i in range(count)
        ]
        if isinstance(contains, Mapping) and out and not prefix:
            wanted = merge(rest, contains) if isinstance(rest, Mapping) else contains
            out[0] = self.value(wanted, element, depth + 1, 0, refs, ending=minimal)
        return out

    def _string(self, schema: Mapping[str, Any], name: str, index: int) -> str:
        fmt = schema.get("format")
        text = FORMATS.get(fmt, "") if isinstance(fmt, str) else ""
        if not text:
            text = f"{LABEL} {name}" + (f" {index + 1}" if index else "")
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _matches(pattern, text):
            text = regex_example(pattern, index) or text
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int) and len(text) < low:
            text += "." * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[: max(high, 0)]
        return text


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # a pattern Python cannot read is not held against the value


def _number(schema: Mapping[str, Any], *, integer: bool, index: int) -> int | float:
    """A number inside the schema's bounds, near 1 (integers) or 1.5 (numbers)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    low = low if _is_number(low) else None
    high = high if _is_number(high) else None
    low_open = schema.get("exclusiveMinimum") is True
    high_open = schema.get("exclusiveMaximum") is True
    if _is_number(schema.get("exclusiveMinimum")):
        bound = schema["exclusiveMinimum"]
        if low is None or bound >= low:
            low, low_open = bound, True
    if _is_number(schema.get("exclusiveMaximum")):
        bound = schema["exclusiveMaximum"]
        if high is None or bound <= high:
            high, high_open = bound, True
    step = schema.get("multipleOf")
    step = step if _is_number(step) and step > 0 else None
    if integer:
        first = None if low is None else (math.floor(low) + 1 if low_open else math.ceil(low))
        last = None if high is None else (math.ceil(high) - 1 if high_open else math.floor(high))
        value: int = 1 + index
        if first is not None and value < first:
            value = first + index
        if last is not None and value > last:
            value = last if first is None else max(first, last)
        if step is not None:
            multiple = math.ceil(value / step) * step
            if last is not None and multiple > last:
                multiple = math.floor(last / step) * step
            value = round(multiple)
        return int(value)
    target = 1.5 + index
    inside_low = low is None or (target > low if low_open else target >= low)
    inside_high = high is None or (target < high if high_open else target <= high)
    if not (inside_low and inside_high):
        if low is not None and high is not None:
            target = (low + high) / 2
        elif low is not None:
            target = low + 1
        elif high is not None:
            target = high - 1
    if step is not None:
        start = low if low is not None else target
        multiple = math.ceil(start / step) * step
        if low_open and low is not None and multiple <= low:
            multiple += step
        target = round(multiple, 10)
    return target


# -- strings for regexes --------------------------------------------------------------------

_CATEGORY_CHARS = {
    _codes.CATEGORY_DIGIT: "0",
    _codes.CATEGORY_NOT_DIGIT: "a",
    _codes.CATEGORY_SPACE: " ",
    _codes.CATEGORY_NOT_SPACE: "a",
    _codes.CATEGORY_WORD: "a",
    _codes.CATEGORY_NOT_WORD: "-",
}
_CANDIDATES = "aA0_-. emulator"


def regex_example(pattern: str, index: int = 0) -> str | None:
    r"""A short string that ``re.search(pattern, ...)`` accepts, or ``None`` when none is found.

    Built from Python's own parse of the regex: literals as written, the first allowed
    character of a class, each repetition at its minimum count (at least one when unbounded,
    so ``\d+`` gives ``"0"``), the first branch of an alternation. The result is checked.
    """
    try:
        parsed = _regex.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    try:
        text = _render(list(parsed.data), index)
    except (ValueError, RecursionError, OverflowError):
        return None
    return text if _matches(pattern, text) else None


def _class_char(items: list[tuple[Any, Any]]) -> str:
    """The first character a ``[...]`` class accepts (a few candidates for negated ones)."""
    if items and items[0][0] is _codes.NEGATE:
        excluded = items[1:]
        for candidate in _CANDIDATES:
            if not any(_class_has(item, candidate) for item in excluded):
                return candidate
        raise ValueError("no candidate fits the negated class")
    for op, arg in items:
        if op is _codes.LITERAL:
            return chr(arg)
        if op is _codes.RANGE:
            return chr(arg[0])
        if op is _codes.CATEGORY:
            return _CATEGORY_CHARS.get(arg, "a")
    raise ValueError("empty character class")


def _class_has(item: tuple[Any, Any], char: str) -> bool:
    op, arg = item
    if op is _codes.LITERAL:
        return chr(arg) == char
    if op is _codes.RANGE:
        return bool(arg[0] <= ord(char) <= arg[1])
    if op is _codes.CATEGORY:
        return re.fullmatch(_category_regex(arg), char) is not None
    return False  # pragma: no cover - classes hold only the three kinds above


def _category_regex(category: Any) -> str:
    names = {
        _codes.CATEGORY_DIGIT: r"\d",
        _codes.CATEGORY_NOT_DIGIT: r"\D",
        _codes.CATEGORY_SPACE: r"\s",
        _codes.CATEGORY_NOT_SPACE: r"\S",
        _codes.CATEGORY_WORD: r"\w",
        _codes.CATEGORY_NOT_WORD: r"\W",
    }
    return names.get(category, ".")


def _render(items: list[tuple[Any, Any]], index: int) -> str:
    out: list[str] = []
    for op, arg in items:
        if op is _codes.LITERAL:
            out.append(chr(arg))
        elif op is _codes.NOT_LITERAL:
            out.append("a" if chr(arg) != "a" else "b")
        elif op is _codes.ANY:
            out.append("a")
        elif op is _codes.IN:
            out.append(_class_char(list(arg)))
        elif op in (_codes.MAX_REPEAT, _codes.MIN_REPEAT):
            low, high, sub = arg
            count = max(low, 1) if high == _codes.MAXREPEAT or high >= 1 else low
            count = min(count, high) if high != _codes.MAXREPEAT else count
            out.append(_render(list(sub), index) * count)
        elif op is _codes.SUBPATTERN:
            out.append(_render(list(arg[-1]), index))
        elif op is _codes.BRANCH:
            branches = arg[1]
            out.append(_render(list(branches[index % len(branches)]), index))
        elif op in (_codes.AT, _codes.ASSERT, _codes.ASSERT_NOT):
            continue  # anchors and lookarounds take no characters
        else:
            raise ValueError(f"unsupported regex construct {op}")
    return "".join(out)
