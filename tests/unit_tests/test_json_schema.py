"""The small JSON-schema validator behind emulated tool calls (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field

from langchain_oneminai._chat._schema import MAX_DEPTH, coerce_scalars, type_name, validate

OBJ = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
    "required": ["city"],
}
DEFS = {
    "$defs": {
        "Point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
    },
    "type": "array",
    "items": {"$ref": "#/$defs/Point"},
}
LEGACY_DEFS = {"definitions": {"Name": {"type": "string"}}, "$ref": "#/definitions/Name"}
TREE: dict[str, Any] = {
    "$defs": {
        "Node": {
            "type": "object",
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                "v": {"type": "integer"},
            },
            "additionalProperties": False,
        }
    },
    "$ref": "#/$defs/Node",
}

# (id, value, schema, expected errors)
# fmt: off
CASES: list[tuple[str, Any, Any, list[str]]] = [
    # -- type --------------------------------------------------------------------------------
    ("string-ok", "a", {"type": "string"}, []),
    ("string-bad", 1, {"type": "string"}, ["$: expected string, got integer"]),
    ("integer-ok", 3, {"type": "integer"}, []),
    ("integer-accepts-integral-float", 3.0, {"type": "integer"}, []),
    ("integer-rejects-fraction", 3.5, {"type": "integer"}, ["$: expected integer, got number"]),
    ("integer-rejects-bool", True, {"type": "integer"}, ["$: expected integer, got boolean"]),
    ("number-accepts-int", 3, {"type": "number"}, []),
    ("number-rejects-bool", False, {"type": "number"}, ["$: expected number, got boolean"]),
    ("number-rejects-string", "3", {"type": "number"}, ["$: expected number, got string"]),
    ("boolean", True, {"type": "boolean"}, []),
    ("null", None, {"type": "null"}, []),
    ("array", [1], {"type": "array"}, []),
    ("object", {}, {"type": "object"}, []),
    ("object-rejects-list", [], {"type": "object"}, ["$: expected object, got array"]),
    ("type-list", None, {"type": ["string", "null"]}, []),
    ("type-list-bad", 1.5, {"type": ["string", "null"]}, ["$: expected string or null, got number"]),
    ("unknown-type-ignored", 1, {"type": "decimal"}, []),
    ("nullable", None, {"type": "string", "nullable": True}, []),
    ("not-nullable", None, {"type": "string"}, ["$: expected string, got null"]),
    # -- enum / const -----------------------------------------------------------------------
    ("enum-ok", "celsius", {"enum": ["celsius", "fahrenheit"]}, []),
    ("enum-bad", "kelvin", {"enum": ["celsius", "fahrenheit"]}, ['$: "kelvin" is not one of "celsius", "fahrenheit"']),
    ("enum-true-is-not-1", True, {"enum": [1, 2]}, ["$: true is not one of 1, 2"]),
    ("enum-1.0-is-1", 1.0, {"enum": [1, 2]}, []),
    ("enum-deep", {"a": [1, None]}, {"enum": [{"a": [1, None]}]}, []),
    ("const-ok", "x", {"const": "x"}, []),
    ("const-bad", "y", {"const": "x"}, ['$: "y" is not "x"']),
    ("const-null", 0, {"const": None}, ["$: 0 is not null"]),
    # -- objects ----------------------------------------------------------------------------
    ("object-ok", {"city": "Paris", "days": 2}, OBJ, []),
    ("missing-required", {"days": 2}, OBJ, ['$: missing required property "city"']),
    ("nested-path", {"city": 1, "days": "2"}, OBJ, ["$.city: expected string, got integer", "$.days: expected integer, got string"]),
    ("extra-allowed-by-default", {"city": "P", "extra": 1}, OBJ, []),
    ("additional-false", {"city": "P", "extra": 1}, {**OBJ, "additionalProperties": False}, ['$: unexpected property "extra"']),
    ("additional-schema", {"a": 1, "b": "x"}, {"type": "object", "additionalProperties": {"type": "integer"}}, ["$.b: expected integer, got string"]),
    ("pattern-properties", {"x-1": 1, "y": 2}, {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False}, ['$["x-1"]: expected string, got integer', '$: unexpected property "y"']),
    ("min-max-properties", {}, {"minProperties": 1}, ["$: has 0 properties, at least 1 are required"]),
    ("odd-key-path", {"a b": 1}, {"properties": {"a b": {"type": "string"}}}, ['$["a b"]: expected string, got integer']),
    ("cjk-kept-in-messages", {"都市": 1}, {"properties": {"都市": {"type": "string"}}}, ['$["都市"]: expected string, got integer']),
    # -- arrays -----------------------------------------------------------------------------
    ("items", [1, "a", 2], {"type": "array", "items": {"type": "integer"}}, ["$[1]: expected integer, got string"]),
    ("prefix-items", [1, "a", True], {"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": {"type": "boolean"}}, []),
    ("prefix-items-bad", ["a", 1], {"prefixItems": [{"type": "integer"}, {"type": "string"}]}, ["$[0]: expected integer, got string", "$[1]: expected string, got integer"]),
    ("prefix-items-closed", [1, 2], {"prefixItems": [{"type": "integer"}], "items": False}, ["$: has 2 items, at most 1 are allowed"]),
    ("draft4-tuple-items", [1, "a"], {"items": [{"type": "integer"}, {"type": "integer"}]}, ["$[1]: expected integer, got string"]),
    ("min-items", [], {"minItems": 1}, ["$: has 0 items, at least 1 are required"]),
    ("max-items", [1, 2, 3], {"maxItems": 2}, ["$: has 3 items, at most 2 are allowed"]),
    # -- numbers ----------------------------------------------------------------------------
    ("minimum", 0, {"minimum": 1}, ["$: 0 is less than the minimum 1"]),
    ("maximum", 11, {"maximum": 10}, ["$: 11 is greater than the maximum 10"]),
    ("bounds-ok", 5, {"minimum": 5, "maximum": 5}, []),
    ("exclusive-minimum", 5, {"exclusiveMinimum": 5}, ["$: 5 is not greater than 5"]),
    ("exclusive-maximum", 5.0, {"exclusiveMaximum": 5}, ["$: 5.0 is not less than 5"]),
    ("draft4-exclusive", 1, {"minimum": 1, "exclusiveMinimum": True}, ["$: 1 is not greater than 1"]),
    ("bool-bounds-ignored", 1, {"minimum": True}, []),
    # -- strings ----------------------------------------------------------------------------
    ("min-length", "", {"minLength": 1}, ["$: shorter than 1 characters"]),
    ("max-length-code-points", "東京🌸", {"maxLength": 3}, []),
    ("max-length", "abcd", {"maxLength": 3}, ["$: longer than 3 characters"]),
    ("pattern", "abc", {"pattern": "^[0-9]+$"}, ['$: "abc" does not match the pattern "^[0-9]+$"']),
    ("pattern-search", "x123y", {"pattern": "[0-9]+"}, []),
    ("bad-pattern-ignored", "abc", {"pattern": "(?<"}, []),
    ("format-ignored", "not-an-email", {"type": "string", "format": "email"}, []),
    # -- combinators --------------------------------------------------------------------------
    ("anyOf-ok", None, {"anyOf": [{"type": "integer"}, {"type": "null"}]}, []),
    ("anyOf-bad", "x", {"anyOf": [{"type": "integer"}, {"type": "null"}]}, ["$: does not match any of the allowed alternatives (expected integer, got string; expected null, got string)"]),
    ("oneOf-ok", 1, {"oneOf": [{"type": "integer"}, {"type": "string"}]}, []),
    ("oneOf-two", 1, {"oneOf": [{"type": "integer"}, {"type": "number"}]}, ["$: matches 2 alternatives of oneOf, exactly one is allowed"]),
    ("allOf", 5, {"allOf": [{"minimum": 6}, {"maximum": 4}]}, ["$: 5 is less than the minimum 6", "$: 5 is greater than the maximum 4"]),
    ("not", "x", {"not": {"type": "string"}}, ["$: matches a schema it must not match"]),
    # -- $ref ---------------------------------------------------------------------------------
    ("ref-defs", [{"x": 1}, {"x": "a"}, {}], DEFS, ["$[1].x: expected number, got string", '$[2]: missing required property "x"']),
    ("ref-definitions", 3, LEGACY_DEFS, ["$: expected string, got integer"]),
    ("ref-recursive", {"v": 1, "children": [{"v": 2, "children": [{"v": "x", "w": 0}]}]}, TREE, ["$.children[0].children[0].v: expected integer, got string", '$.children[0].children[0]: unexpected property "w"']),
    ("ref-root", {"a": {"a": {"a": 1}}}, {"type": "object", "additionalProperties": {"anyOf": [{"$ref": "#"}, {"type": "integer"}]}}, []),
    ("ref-unresolvable", 1, {"$ref": "#/$defs/Missing"}, []),
    ("ref-remote-ignored", 1, {"$ref": "https://example.com/schema.json"}, []),
    ("ref-cycle", 1, {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}, []),
    ("ref-pointer-escapes", 1, {"$defs": {"a/b": {"type": "string"}}, "$ref": "#/$defs/a~1b"}, ["$: expected string, got integer"]),
    # -- boolean and nonsense schemas -------------------------------------------------------
    ("true-schema", {"anything": [1]}, True, []),
    ("false-schema", 1, False, ["$: no value is allowed here"]),
    ("none-schema", 1, None, []),
    ("string-schema", 1, "nonsense", []),
    ("keywords-of-wrong-type", {"a": 1}, {"properties": [], "required": "a", "items": 3, "enum": "x", "minimum": "0", "anyOf": {}}, []),
    ("unknown-keywords", 1, {"x-foo": 1, "title": "T", "default": 2, "examples": [1]}, []),
]
# fmt: on


@pytest.mark.parametrize(
    ("value", "schema", "expected"), [pytest.param(*case[1:], id=case[0]) for case in CASES]
)
def test_validate_table(value: Any, schema: Any, expected: list[str]) -> None:
    assert validate(value, schema) == expected


def test_deep_values_are_reported_not_raised() -> None:
    value: Any = 1
    for _ in range(5000):
        value = [value]
    schema: dict[str, Any] = {
        "$ref": "#/$defs/L",
        "$defs": {"L": {"type": "array", "items": {"$ref": "#/$defs/L"}}},
    }
    errors = validate(value, schema)
    assert len(errors) == 1
    assert f"nested more than {MAX_DEPTH} levels deep" in errors[0]


class Inner(BaseModel):
    a: int


class Joke(BaseModel):
    """Joke to tell user."""

    setup: str = Field(description="question")
    rating: int | None = None
    inner: list[Inner] = []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"setup": "Why?", "rating": None, "inner": [{"a": 1}]}, []),
        ({"setup": "Why?", "rating": 7}, []),
        (
            {"rating": "high", "inner": [{"b": 1}]},
            [
                '$: missing required property "setup"',
                "$.rating: does not match any of the allowed alternatives (expected integer, got string; expected null, got string)",
                '$.inner[0]: missing required property "a"',
            ],
        ),
    ],
)
def test_pydantic_and_langchain_schemas(value: dict[str, Any], expected: list[str]) -> None:
    assert validate(value, Joke.model_json_schema()) == expected  # $defs / $ref form
    parameters = convert_to_openai_tool(Joke)["function"]["parameters"]  # refs inlined
    assert validate(value, parameters) == expected


def test_type_name() -> None:
    assert [type_name(v) for v in (None, True, 1, 1.5, "s", [], (), {}, object())] == [
        "null",
        "boolean",
        "integer",
        "number",
        "string",
        "array",
        "array",
        "object",
        "object",
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
keywords = st.sampled_from(
    [
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "$ref",
        "$defs",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "minLength",
        "pattern",
        "nullable",
        "minItems",
        "patternProperties",
    ]
)
schemas = st.recursive(
    st.booleans()
    | st.none()
    | st.sampled_from([{"type": t} for t in ("string", "integer", "object", "array", "null")]),
    lambda inner: st.dictionaries(
        keywords, inner | json_values | st.lists(inner, max_size=3), max_size=4
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, schema=schemas)
def test_validate_never_raises(value: Any, schema: Any) -> None:
    errors = validate(value, schema)
    assert isinstance(errors, list)
    assert all(isinstance(error, str) and error.startswith("$") for error in errors)


# -- coerce_scalars: the one leniency ---------------------------------------------------------

SCALARS = {
    "type": "object",
    "properties": {
        "flag": {"type": "boolean"},
        "count": {"type": "integer"},
        "ratio": {"type": "number"},
        "either": {"type": ["boolean", "null"]},
        "label": {"type": "string"},
        "loose": {"type": ["string", "integer"]},
        "any": {},
    },
}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"flag": "true"}, {"flag": True}),
        ({"flag": "False"}, {"flag": False}),
        ({"either": " true "}, {"either": True}),
        ({"count": "5"}, {"count": 5}),
        ({"count": "-12"}, {"count": -12}),
        ({"ratio": "0.25"}, {"ratio": 0.25}),
        ({"ratio": "1e3"}, {"ratio": 1000.0}),
        ({"ratio": "7"}, {"ratio": 7}),
        (
            {"flag": "true", "label": "true", "count": 3},
            {"flag": True, "label": "true", "count": 3},
        ),
    ],
)
def test_coerce_scalars_reads_what_the_schema_wants(args: dict[str, Any], expected: Any) -> None:
    assert coerce_scalars(args, SCALARS) == expected
    assert validate(expected, SCALARS) == []


@pytest.mark.parametrize(
    "args",
    [
        {"flag": "yes"},
        {"flag": "1"},
        {"count": "5.5"},
        {"count": "05"},
        {"count": "1e3"},
        {"ratio": "1e999"},
        {"ratio": "NaN"},
        {"ratio": "0x10"},
        {"count": "9" * 41},
        {"label": "true"},
        {"loose": "5"},
        {"any": "true"},
        {"unknown": "true"},
        {"flag": True, "count": 2},
    ],
)
def test_coerce_scalars_leaves_everything_else(args: dict[str, Any]) -> None:
    assert coerce_scalars(args, SCALARS) is None
    assert coerce_scalars(args, {"type": "object"}) is None
    assert coerce_scalars(args, "not a schema") is None
