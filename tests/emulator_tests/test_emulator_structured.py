"""Structured replies: the default brain's schema instances, and the ``ScriptedReply`` helpers.

The emulator never imports the package's protocol or validator; these tests do, to check the
emulator against them: every generated value must pass ``langchain_oneminai._chat._schema
.validate`` (and pydantic's own validation for pydantic schemas), and every reply must parse
with the package's own readers.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional

import pydantic
import pydantic.v1
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from langchain_oneminai._chat._schema import validate
from langchain_oneminai._chat._tool_calls import (
    extract_json,
    parse_tool_reply,
    render_structured_output_instructions,
    render_structured_repair_prompt,
    render_tool_instructions,
)
from langchain_oneminai.emulator import ScriptedReply, _brain
from langchain_oneminai.emulator._schema_instance import LABEL, instance, merge, regex_example
from tests.emulator_tests.raw_http import chat_body, post_chat, reply_text, sse_events

pytestmark = pytest.mark.timeout(120)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check(schema: Any) -> Any:
    """The instance of ``schema``: valid, deterministic and JSON-serialisable."""
    value = instance(schema)
    assert validate(value, schema) == [], (schema, value)
    assert instance(schema) == value
    assert json.loads(json.dumps(value)) == value
    return value


# -- hand-written schemas ----------------------------------------------------------------------

SCHEMAS: dict[str, Any] = {
    "any": {},
    "true": True,
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "null": {"type": "null"},
    "type list": {"type": ["null", "integer"]},
    "nullable": {"type": "string", "nullable": True},
    "enum": {"enum": ["red", "green"]},
    "enum with type": {"type": "integer", "enum": ["x", 3, 4]},
    "const": {"const": {"a": [1, None]}},
    "integer bounds": {"type": "integer", "minimum": 10, "maximum": 12},
    "exclusive bounds": {"type": "integer", "exclusiveMinimum": 5, "exclusiveMaximum": 7},
    "draft-4 exclusive": {"type": "number", "minimum": 2, "exclusiveMinimum": True},
    "negative range": {"type": "number", "minimum": -10, "maximum": -9.5},
    "tight number": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.001},
    "below": {"type": "integer", "maximum": -3},
    "multiple": {"type": "integer", "minimum": 7, "multipleOf": 5},
    "string lengths": {"type": "string", "minLength": 40, "maxLength": 41},
    "short string": {"type": "string", "maxLength": 3},
    "pattern": {"type": "string", "pattern": r"^[A-Z]{3}-\d{2,4}$"},
    "pattern alternation": {"type": "string", "pattern": r"^(cat|dog)s?$"},
    "pattern negated class": {"type": "string", "pattern": r"^[^a-z0-9]+$"},
    "object": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name"],
        "additionalProperties": False,
    },
    "required but undefined": {"type": "object", "required": ["x", "y"]},
    "max properties": {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
        "required": ["c"],
        "maxProperties": 1,
    },
    "min properties": {"type": "object", "minProperties": 3},
    "mapping": {"type": "object", "additionalProperties": {"type": "integer"}},
    "pattern properties only": {
        "type": "object",
        "patternProperties": {"^x_[0-9]+$": {"type": "boolean"}},
        "additionalProperties": False,
        "minProperties": 1,
    },
    "property names": {"type": "object", "propertyNames": {"enum": ["k1", "k2"]}},
    "array": {"type": "array", "items": {"type": "string"}},
    "array bounds": {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3},
    "empty array": {"type": "array", "maxItems": 0},
    "unique": {"type": "array", "items": {"type": "string"}, "minItems": 4, "uniqueItems": True},
    "unique enum": {"type": "array", "items": {"enum": [1, 2, 3]}, "minItems": 3},
    "tuple": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "number"}],
        "items": False,
    },
    "draft-4 tuple": {"type": "array", "items": [{"type": "boolean"}, {"type": "null"}]},
    "contains": {"type": "array", "contains": {"const": 7}},
    "nested": {
        "type": "object",
        "properties": {
            "people": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                    },
                    "required": ["name", "tags"],
                },
                "minItems": 2,
            }
        },
        "required": ["people"],
    },
    "refs": {
        "type": "object",
        "properties": {"home": {"$ref": "#/$defs/Address"}, "work": {"$ref": "#/definitions/A"}},
        "required": ["home", "work"],
        "$defs": {
            "Address": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "zip": {"pattern": r"^\d{5}$"}},
                "required": ["city", "zip"],
            }
        },
        "definitions": {"A": {"type": "string", "minLength": 2}},
    },
    "ref with siblings": {
        "$defs": {"N": {"type": "integer"}},
        "$ref": "#/$defs/N",
        "minimum": 50,
    },
    "root ref": {"type": "object", "properties": {"again": {"$ref": "#"}}},
    "recursive tree": {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                    "parent": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
                },
                "required": ["label", "children", "parent"],
            }
        },
        "$ref": "#/$defs/Node",
    },
    "anyOf": {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 3}]},
    "oneOf tagged": {
        "oneOf": [
            {
                "type": "object",
                "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}},
                "required": ["kind", "lives"],
            },
            {
                "type": "object",
                "properties": {"kind": {"const": "dog"}},
                "required": ["kind"],
            },
        ]
    },
    "allOf": {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "integer", "minimum": 3}}, "required": ["b"]},
            {"properties": {"a": {"maxLength": 4}}},
        ]
    },
    "untyped keywords": {"properties": {"x": {"minimum": 3}}, "required": ["x"]},
    "format strings": {
        "type": "object",
        "properties": {
            name: {"type": "string", "format": name}
            for name in ("date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6")
        },
    },
}


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_instances_of_hand_written_schemas_validate(name):
    check(SCHEMAS[name])


def test_instances_are_labelled_as_the_emulators():
    value = check(SCHEMAS["nested"])
    assert value == {
        "people": [
            {"name": f"{LABEL} name", "tags": ["a"]},
            {"name": f"{LABEL} name 2", "tags": ["a"]},  # items differ by their position
        ]
    }
    assert check({"type": "string"}) == "[emulator] value"
    assert check(SCHEMAS["object"]) == {"name": "[emulator] name", "age": 1}


def test_chosen_values():
    assert check(SCHEMAS["enum"]) == "red"
    assert check(SCHEMAS["enum with type"]) == 3
    assert check(SCHEMAS["integer bounds"]) == 10
    assert check(SCHEMAS["exclusive bounds"]) == 6
    assert check(SCHEMAS["multiple"]) == 10
    assert check(SCHEMAS["anyOf"]) == "[emulator] value"  # the non-null alternative
    assert check(SCHEMAS["type list"]) == 1
    assert check(SCHEMAS["unique"]) == [
        f"{LABEL} value",
        *(f"{LABEL} value {i}" for i in (2, 3, 4)),
    ]
    assert check(SCHEMAS["tuple"]) == [f"{LABEL} value", 2.5]
    tree = check(SCHEMAS["recursive tree"])
    assert tree["label"] == f"{LABEL} label"
    assert tree["children"] == [] or tree["children"][0]["children"] == []


def test_unsatisfiable_schemas_give_the_closest_value():
    assert instance(False) is None
    assert instance({"type": "integer", "minimum": 5, "maximum": 1}) == 5


# -- pydantic, TypedDict --------------------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(BaseModel):
    street: str
    city: str = Field(min_length=2, max_length=20)
    zip_code: str = Field(pattern=r"^\d{5}$")


class Pet(BaseModel):
    kind: Literal["cat"]
    lives: int = Field(ge=1, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class Person(BaseModel):
    """Every kind of field with_structured_output users write."""

    name: str
    nickname: str | None = None
    age: int = Field(gt=0, lt=150)
    height: float = Field(ge=0.5, le=2.5, multiple_of=0.25)
    score: Decimal
    colour: Colour
    mood: Literal["happy", "sad"]
    born: dt.date
    seen: dt.datetime
    wake: dt.time
    trip: dt.timedelta
    ident: uuid.UUID
    homepage: pydantic.HttpUrl
    tags: list[str] = Field(min_length=2)
    unique: set[int]
    pair: tuple[str, int]
    scores: dict[str, float]
    address: Address
    previous: list[Address]
    pet: Annotated[Pet | Dog, Field(discriminator="kind")]
    friend: Person | None = None


class Joke(BaseModel):
    setup: str
    punchline: str
    rating: int | None = Field(default=None, ge=1, le=10)


class MovieDict(TypedDict):
    title: str
    year: int
    genres: list[str]


@pytest.mark.parametrize("model", [Person, Joke, Address, Pet, Dog])
def test_pydantic_v2_schemas_give_values_pydantic_accepts(model):
    schema = model.model_json_schema()
    value = check(schema)
    model.model_validate(value)  # formats, discriminators and all


class ItemV1(pydantic.v1.BaseModel):
    name: str
    price: float = pydantic.v1.Field(gt=0)
    tags: list[str] = []
    when: dt.datetime


class OrderV1(pydantic.v1.BaseModel):
    items: list[ItemV1]
    note: Optional[str] = None  # noqa: UP045 - pydantic v1 cannot read X | None


def test_pydantic_v1_schemas():
    schema = OrderV1.schema()
    assert "definitions" in schema  # v1 spells $defs so
    OrderV1.parse_obj(check(schema))


def test_typed_dict_and_langchain_conversions():
    check(convert_to_json_schema(MovieDict))
    tool_schema = convert_to_openai_tool(Person)["function"]["parameters"]
    Person.model_validate(check(tool_schema))


# -- generated schemas ----------------------------------------------------------------------


def _bounds(low_key: str, high_key: str, numbers: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nothing, or an ordered ``{low_key: a, high_key: b}`` pair (satisfiable on purpose)."""
    pairs = st.tuples(numbers, numbers).map(sorted).map(lambda p: {low_key: p[0], high_key: p[1]})
    return st.one_of(st.just({}), pairs)


_SCALARS = st.one_of(
    _bounds("minimum", "maximum", st.integers(-1000, 1000)).map(lambda b: {"type": "integer", **b}),
    _bounds("minimum", "maximum", st.floats(-1e3, 1e3, allow_nan=False)).map(
        lambda b: {"type": "number", **b}
    ),
    _bounds("minLength", "maxLength", st.integers(0, 50)).map(lambda b: {"type": "string", **b}),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.lists(
        st.one_of(st.integers(), st.text(max_size=5), st.booleans()), min_size=1, max_size=4
    ).map(lambda values: {"enum": values}),
    st.sampled_from(
        [{"type": "string", "format": "date-time"}, {"type": "string", "pattern": "^a+b$"}]
    ),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    names = st.text("abcdefgh_", min_size=1, max_size=6)
    objects = st.builds(
        lambda props, extra, data: {
            "type": "object",
            "properties": props,
            "required": data.draw(st.lists(st.sampled_from(sorted(props)), unique=True))
            if props
            else [],
            "additionalProperties": extra,
        },
        st.dictionaries(names, children, max_size=4),
        st.booleans(),
        st.data(),
    )
    arrays = st.builds(
        lambda items, low, unique: {
            "type": "array",
            "items": items,
            "minItems": low,
            "uniqueItems": unique,
        },
        children,
        st.integers(0, 3),
        st.just(False),
    )
    unions = st.lists(children, min_size=1, max_size=3).map(lambda alts: {"anyOf": alts})
    nullable = children.map(lambda c: {"anyOf": [c, {"type": "null"}]})
    return st.one_of(objects, arrays, unions, nullable)


SCHEMA_TREES = st.recursive(_SCALARS, _extend, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMA_TREES)
def test_generated_schemas_always_get_a_valid_instance(schema):
    check(schema)


@settings(max_examples=100, deadline=None)
@given(SCHEMA_TREES)
def test_generated_schemas_behind_refs_and_defs(schema):
    check(
        {
            "$defs": {"Inner": schema},
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/Inner"}},
            "required": ["x"],
        }
    )


# -- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^\d{3}-\d{4}$", "000-0000"),
        (r"^[A-Z]{2}$", "AA"),
        (r"^(foo|bar)+$", "foo"),
        (r"^\w+@\w+\.com$", "a@a.com"),
        (r"x*y?z", "xyz"),
        (r"^$", ""),
    ],
)
def test_regex_example(pattern, expected):
    assert regex_example(pattern) == expected


@pytest.mark.parametrize("pattern", [r"(a)\1b", r"^(?!x)x$", "[", r"^a{3}(?<=b)$"])
def test_regex_example_gives_up_honestly(pattern):
    # Back-references, contradictory lookarounds, broken regexes: no false example.
    assert regex_example(pattern) is None


def test_merge_combines_constraints():
    merged = merge(
        {"type": ["string", "null"], "minLength": 2, "required": ["a"], "properties": {"a": {}}},
        {
            "type": "string",
            "minLength": 5,
            "maxLength": 9,
            "required": ["b"],
            "properties": {"a": {"x": 1}},
        },
    )
    assert merged == {
        "type": ["string"],
        "minLength": 5,
        "maxLength": 9,
        "required": ["a", "b"],
        "properties": {"a": {"allOf": [{}, {"x": 1}]}},
    }


# -- the default brain, through the package's own prompt renderers -------------------------------


def _prompt(*blocks: str) -> str:
    return "\n\n".join([*blocks, "Tell me about cats."])


def test_default_brain_answers_a_response_format_block_with_valid_json(emu, http):
    schema = Joke.model_json_schema()
    prompt = _prompt(render_structured_output_instructions(schema, strict=True))
    text = reply_text(post_chat(http, emu, chat_body(prompt)))
    value = extract_json(text)
    assert validate(value, schema) == []
    assert Joke.model_validate(value).setup == f"{LABEL} setup"
    # Streamed too: the deltas join up to the same JSON.
    events = sse_events(post_chat(http, emu, chat_body(prompt), stream=True).content)
    assert "".join(d["content"] for n, d in events if n == "content") == text


def test_default_brain_answers_json_mode_with_a_labelled_object(emu, http):
    prompt = _prompt(render_structured_output_instructions(None))
    value = extract_json(reply_text(post_chat(http, emu, chat_body(prompt))))
    assert value == dict(_brain.JSON_MODE_REPLY)
    assert LABEL in json.dumps(value)


def test_default_brain_answers_the_repair_request_with_its_schema(emu, http):
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": 4}},
        "required": ["n"],
    }
    prompt = render_structured_repair_prompt("it was not JSON", schema)
    assert extract_json(reply_text(post_chat(http, emu, chat_body(prompt)))) == {"n": 4}


WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city.\n- one line starts like a list item",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
            "required": ["city"],
        },
    },
}
TIME: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "",
        "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}},
    },
}


@pytest.mark.parametrize(("choice", "called"), [("get_time", "get_time"), ("any", "get_weather")])
def test_default_brain_makes_the_forced_tool_call(emu, http, choice, called):
    prompt = _prompt(render_tool_instructions([WEATHER, TIME], tool_choice=choice))
    text = reply_text(post_chat(http, emu, chat_body(prompt)))
    parsed = parse_tool_reply(text, [WEATHER, TIME])
    assert parsed.invalid_tool_calls == []
    (call,) = parsed.tool_calls
    assert call["name"] == called
    schema: Any = (WEATHER if called == "get_weather" else TIME)["function"]["parameters"]
    assert validate(call["args"], schema) == []


BOOKING: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "book",
        "description": "Book a table.",
        "parameters": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "who books, required)"},
                "day": {"type": "string", "format": "date"},
                "guests": {"type": "integer", "default": 2},
                "seating": {"enum": ["inside", "terrace"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "contact": {
                    "type": "object",
                    "properties": {"email": {"type": "string"}, "phone": {"type": "string"}},
                    "required": ["email"],
                },
                "notes": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "extras": {"type": "object", "additionalProperties": {"type": "boolean"}},
            },
            "required": ["name", "day", "seating", "tags", "contact", "notes", "extras"],
        },
    },
}


def test_default_brain_reads_the_compact_argument_list(emu, http):
    # The tool list shows arguments as compact types, not as a schema; the brain reads them back.
    prompt = _prompt(render_tool_instructions([BOOKING], tool_choice="book"))
    assert "arguments schema" not in prompt
    (call,) = parse_tool_reply(
        reply_text(post_chat(http, emu, chat_body(prompt))), [BOOKING]
    ).tool_calls
    assert validate(call["args"], BOOKING["function"]["parameters"]) == []
    assert set(call["args"]) >= {"name", "day", "seating", "tags", "contact", "notes", "extras"}


@pytest.mark.parametrize("choice", ["auto", "none"])
def test_default_brain_answers_in_prose_when_no_call_is_forced(emu, http, choice):
    prompt = _prompt(render_tool_instructions([WEATHER], tool_choice=choice))
    text = reply_text(post_chat(http, emu, chat_body(prompt)))
    assert text.startswith("[1min.ai emulator · gpt-4o-mini] I am an offline emulator")
    assert parse_tool_reply(text, [WEATHER]).tool_calls == []


def test_plain_prompts_still_get_the_descriptive_reply(emu, http):
    text = reply_text(post_chat(http, emu, chat_body("a <response_format> mention in passing")))
    assert text.startswith("[1min.ai emulator · gpt-4o-mini]")


# -- ScriptedReply helpers ----------------------------------------------------------------------


def test_scripted_tool_calls_are_the_protocols_reply_format(emu, http):
    emu.script_chat(
        ScriptedReply.tool_calls(
            "Checking both cities.",
            ("get_weather", {"city": "Paris"}),
            {"name": "get_weather", "args": {"city": "Zürich", "unit": "C"}},
            {"name": "get_time", "arguments": {}},
        )
    )
    text = reply_text(post_chat(http, emu, chat_body()))
    assert text.splitlines()[0] == "Checking both cities."
    parsed = parse_tool_reply(text, [WEATHER, TIME])
    assert parsed.content == "Checking both cities."
    assert [(c["name"], c["args"]) for c in parsed.tool_calls] == [
        ("get_weather", {"city": "Paris"}),
        ("get_weather", {"city": "Zürich", "unit": "C"}),
        ("get_time", {}),
    ]
    assert "Zürich" in text  # non-ASCII as is, as the protocol asks


def test_scripted_tool_call_text_exactly():
    reply = ScriptedReply.tool_calls(("f", {"x": 1}))
    assert reply.text == '{"tool_calls": [{"name": "f", "arguments": {"x": 1}}]}'
    assert reply.chunks is None
    assert reply.status == "SUCCESS"


@pytest.mark.parametrize(
    ("calls", "error", "match"),
    [
        ((), ValueError, "at least one call"),
        (("only prose",), ValueError, "at least one call"),
        ((("", {}),), ValueError, "no name"),
        (({"arguments": {}},), ValueError, "no name"),
        ((("f", [1]),), TypeError, "must be an object"),
        ((["f", {}],), TypeError, "tuple or a mapping"),
    ],
)
def test_scripted_tool_calls_refuse_bad_calls(calls, error, match):
    with pytest.raises(error, match=match):
        ScriptedReply.tool_calls(*calls)


def test_scripted_structured_reply(emu, http):
    emu.script_chat(ScriptedReply.structured({"setup": "Pourquoi ?", "punchline": "Parce que."}))
    emu.script_chat(ScriptedReply.structured(Joke(setup="a", punchline="b", rating=3)))
    emu.script_chat(ScriptedReply.structured([1, "two"]))
    first = reply_text(post_chat(http, emu, chat_body()))
    assert first == '{"setup": "Pourquoi ?", "punchline": "Parce que."}'
    second = extract_json(reply_text(post_chat(http, emu, chat_body())))
    assert Joke.model_validate(second) == Joke(setup="a", punchline="b", rating=3)
    assert extract_json(reply_text(post_chat(http, emu, chat_body()))) == [1, "two"]


def test_strings_of_every_instance_are_labelled_when_free():
    value = check(Person.model_json_schema())
    free = [s for s in _strings(value) if s.startswith(LABEL)]
    assert free  # name, street, tags...
    assert f"{LABEL} name" in free


def test_admin_script_route_builds_tool_calls_and_structured_replies(emu, http):
    admin = f"{emu.base_url}/_emulator/script"
    calls = {"tool_calls": [["get_weather", {"city": "Paris"}], {"name": "get_time", "args": {}}]}
    assert http.post(admin, json={"reply": {**calls, "text": "On it."}}, timeout=30).json() == {}
    assert http.post(admin, json={"reply": {"structured": {"n": 1}}}, timeout=30).json() == {}
    parsed = parse_tool_reply(reply_text(post_chat(http, emu, chat_body())), [WEATHER, TIME])
    assert parsed.content == "On it."
    assert [(c["name"], c["args"]) for c in parsed.tool_calls] == [
        ("get_weather", {"city": "Paris"}),
        ("get_time", {}),
    ]
    assert reply_text(post_chat(http, emu, chat_body())) == '{"n": 1}'
    bad_replies: list[Any] = [
        {"tool_calls": "x"},
        {"tool_calls": []},
        {"tool_calls": [["f", 3]]},
        5,
    ]
    for bad in bad_replies:
        response = http.post(admin, json={"reply": bad}, timeout=30)
        assert response.status_code == 400, bad
