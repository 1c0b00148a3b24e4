"""The emulated tool-calling protocol: prompts out, lenient incremental parsing in (pure)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import math
import re
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langchain_oneminai._chat._tool_calls import (
    REPLY_FORMAT,
    AnsweredCall,
    JSONExtractionError,
    ParsedReply,
    StreamPiece,
    TextPiece,
    ToolCallArgs,
    ToolCallStart,
    ToolStreamParser,
    answered_calls,
    extract_json,
    format_tool_calls,
    format_tool_result,
    needs_repair,
    new_call_id,
    normalize_tool_choice,
    parse_tool_reply,
    render_repair_prompt,
    render_structured_output_instructions,
    render_structured_repair_prompt,
    render_tool_instructions,
    tidy,
)
from langchain_oneminai._chat._transcript import (
    TRANSCRIPT_TAGS,
    TranscriptFilter,
    cut_at_transcript,
)


def _tool(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": parameters},
    }


GET_WEATHER = _tool(
    "get_weather",
    "Get the current weather in a city.",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"enum": ["celsius", "fahrenheit"], "type": "string"},
        },
        "required": ["city"],
    },
)
# What convert_to_openai_tool makes of the standard tests' `magic_function(input: int)`.
MAGIC = _tool(
    "magic_function",
    "Apply a magic function to an input.",
    {"properties": {"input": {"type": "integer"}}, "required": ["input"], "type": "object"},
)
SEARCH = _tool(
    "search",
    "Search the web.",
    {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
)
LIST_FILES = _tool("list_files", "List the files.", {"properties": {}, "type": "object"})
GET_USER = _tool(
    "get_user",
    "Look a user up.",
    {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
)
TOOLS = [GET_WEATHER, MAGIC, SEARCH, LIST_FILES, GET_USER]


def counter(prefix: str = "id") -> Callable[[], str]:
    """A deterministic id factory: id1, id2, ..."""
    count = 0

    def make() -> str:
        nonlocal count
        count += 1
        return f"{prefix}{count}"

    return make


def stream(text: str, cuts: list[int]) -> tuple[list[StreamPiece], ParsedReply]:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    pieces: list[StreamPiece] = []
    bounds = [0, *cuts, len(text)]
    for start, end in itertools.pairwise(bounds):
        pieces += parser.feed(text[start:end])
    last, reply = parser.finish()
    return pieces + last, reply


def text_of(pieces: list[StreamPiece]) -> str:
    return "".join(piece.text for piece in pieces if isinstance(piece, TextPiece))


def assert_stream_agrees(text: str, cuts: list[int], whole: ParsedReply) -> None:
    pieces, reply = stream(text, cuts)
    assert reply == whole, cuts
    assert text_of(pieces) == whole.content, cuts  # exact: no call text ever leaks as prose
    assert tidy(text_of(pieces)) == whole.content
    assert all(piece.text for piece in pieces if isinstance(piece, TextPiece))
    starts = [p for p in pieces if isinstance(p, ToolCallStart)]
    args = [p for p in pieces if isinstance(p, ToolCallArgs)]
    assert [(s.index, s.id, s.name) for s in starts] == [
        (i, c["id"], c["name"]) for i, c in enumerate(whole.tool_calls)
    ]
    assert [(a.index, json.loads(a.args_json)) for a in args] == [
        (i, c["args"]) for i, c in enumerate(whole.tool_calls)
    ]
    # each ToolCallStart is immediately followed by its arguments
    for position, piece in enumerate(pieces):
        if isinstance(piece, ToolCallStart):
            follower = pieces[position + 1]
            assert isinstance(follower, ToolCallArgs)
            assert follower.index == piece.index


def call(name: str, args: dict[str, Any]) -> str:
    return json.dumps({"tool_calls": [{"name": name, "arguments": args}]}, ensure_ascii=False)


PARIS = call("get_weather", {"city": "Paris"})
TRICKY_QUERY = 'a } { ] [ " \\" ``` b\n'
TRICKY = json.dumps({"name": "search", "arguments": {"query": TRICKY_QUERY}})
CJK = '{"name": "get_weather", "arguments": {"city": "東京 🌸 Zürich"}}'
ESCAPED_CJK = '{"name": "get_weather", "arguments": {"city": "\\u6771\\u4eac"}}'
OPENAI = (
    '{"id": "call_from_model", "type": "function", "function": {"name": "get_weather", '
    '"arguments": "{\\"city\\": \\"Paris\\"}"}}'
)
DOUBLE_ENCODED = json.dumps(
    {"name": "get_weather", "arguments": json.dumps(json.dumps({"city": "Paris"}))}
)

W = ("get_weather", {"city": "Paris"})

# (id, reply text, content, valid calls, invalid calls as (name, error fragment), attempted,
#  problem fragment or None). Kept as a one-line-per-case table on purpose.
# fmt: off
CASES: list[tuple[str, str, str, list[Any], list[Any], bool, str | None]] = [
    # -- the asked-for format and its variants ---------------------------------------------
    ("reply-format", PARIS, "", [W], [], True, None),
    ("prose-before", f"Let me check the weather.\n\n{PARIS}", "Let me check the weather.", [W], [], True, None),
    ("prose-after", f"{PARIS}\n\nI will wait for the result.", "I will wait for the result.", [W], [], True, None),
    ("prose-around", f"Checking.\n{PARIS}\nBack soon.", "Checking.\nBack soon.", [W], [], True, None),
    ("no-space-around", f"A{PARIS}B", "AB", [W], [], True, None),
    ("space-then-newlines", f"A {PARIS}\n\nB", "A\n\nB", [W], [], True, None),
    ("fence-json", f"```json\n{PARIS}\n```", "", [W], [], True, None),
    ("fence-bare", f"```\n{PARIS}\n```", "", [W], [], True, None),
    ("fence-inline", f"```json {PARIS}```", "", [W], [], True, None),
    ("fence-with-prose", f"Sure:\n\n```json\n{PARIS}\n```\n\nDone.", "Sure:\n\nDone.", [W], [], True, None),
    ("fence-unclosed", f"```json\n{PARIS}\n", "", [W], [], True, None),
    ("tool_call-singular", '{"tool_call": {"name": "get_weather", "arguments": {"city": "Paris"}}}', "", [W], [], True, None),
    ("name-arguments", '{"name": "get_weather", "arguments": {"city": "Paris"}}', "", [W], [], True, None),
    ("name-args", '{"name": "get_weather", "args": {"city": "Paris"}}', "", [W], [], True, None),
    ("name-parameters", '{"name": "get_weather", "parameters": {"city": "Paris"}}', "", [W], [], True, None),
    ("name-input", '{"name": "get_weather", "input": {"city": "Paris"}}', "", [W], [], True, None),
    ("anthropic-tool_use", '{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}', "", [W], [], True, None),
    ("openai-function", OPENAI, "", [W], [], True, None),
    ("openai-function-no-type", '{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}', "", [W], [], True, None),
    ("openai-in-tool_calls", '{"tool_calls": [{"id": "x", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}', "", [W], [], True, None),
    ("arguments-json-string", '{"tool_calls": [{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}]}', "", [W], [], True, None),
    ("arguments-double-encoded", DOUBLE_ENCODED, "", [W], [], True, None),
    ("arguments-missing", '{"tool_calls": [{"name": "list_files"}]}', "", [("list_files", {})], [], True, None),
    ("arguments-null", '{"name": "list_files", "arguments": null}', "", [("list_files", {})], [], True, None),
    ("arguments-empty-string", '{"name": "list_files", "arguments": ""}', "", [("list_files", {})], [], True, None),
    ("magic-function", call("magic_function", {"input": 3}), "", [("magic_function", {"input": 3})], [], True, None),
    ("flattened-arguments", 'Sure: {"name": "magic_function", "input": 3}', "Sure:", [("magic_function", {"input": 3})], [], True, None),
    ("flattened-known-tool", '{"name": "get_weather", "city": "Paris"}', "", [W], [], True, None),
    ("flattened-parameter-named-id", '{"name": "get_user", "id": 5}', "", [("get_user", {"id": 5})], [], True, None),
    ("model-id-ignored", '{"tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]}', "", [W], [], True, None),
    # -- several calls --------------------------------------------------------------------
    ("parallel-list", '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "magic_function", "arguments": {"input": 3}}]}', "", [W, ("magic_function", {"input": 3})], [], True, None),
    ("bare-list", '[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "search", "arguments": {"query": "x"}}]', "", [W, ("search", {"query": "x"})], [], True, None),
    ("consecutive-objects", f"{PARIS}\n{call('search', {'query': 'x'})}", "", [W, ("search", {"query": "x"})], [], True, None),
    ("two-in-one-fence", f"```json\n{PARIS}\n{call('search', {'query': 'x'})}\n```\nok", "ok", [W, ("search", {"query": "x"})], [], True, None),
    # -- strings that would fool a naive brace counter --------------------------------------
    ("braces-in-strings", TRICKY, "", [("search", {"query": TRICKY_QUERY})], [], True, None),
    ("braces-in-strings-fenced", f"Look:\n```json\n{TRICKY}\n```", "Look:", [("search", {"query": TRICKY_QUERY})], [], True, None),
    ("cjk-and-emoji", f"天気を調べます。{CJK}", "天気を調べます。", [("get_weather", {"city": "東京 🌸 Zürich"})], [], True, None),
    ("unicode-escapes-decoded", ESCAPED_CJK, "", [("get_weather", {"city": "東京"})], [], True, None),
    ("raw-newline-in-string", '{"name": "search", "arguments": {"query": "line1\nline2"}}', "", [("search", {"query": "line1\nline2"})], [], True, None),
    # -- attempts that went wrong ---------------------------------------------------------
    ("malformed-trailing-comma", 'Sure.\n{"name": "get_weather", "arguments": {"city": "Paris",}}', "Sure.", [], [("get_weather", "malformed JSON")], True, "malformed JSON"),
    ("malformed-in-fence", '```json\n{"tool_calls": [{"name": "get_weather", "arguments": {city: "Paris"}}]}\n```\nok', "ok", [], [("get_weather", "malformed JSON")], True, "malformed JSON"),
    ("malformed-id-first", '{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}', "", [], [("get_weather", "incomplete JSON")], True, "incomplete JSON"),
    ("malformed-data-stays", 'Data: {"name": "Bob", "age": 3,} ok', 'Data: {"name": "Bob", "age": 3,} ok', [], [], False, None),
    ("truncated", 'Checking. {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Par', "Checking.", [], [("get_weather", "incomplete JSON")], True, "incomplete JSON"),
    ("unknown-tool", call("get_wether", {"city": "Paris"}), "", [], [("get_wether", "unknown tool 'get_wether'")], True, "get_weather, magic_function"),
    ("unknown-tool-bare", '{"name": "translate", "arguments": {"text": "hi"}}', "", [], [("translate", "unknown tool")], True, "unknown tool"),
    ("schema-wrong-type", call("get_weather", {"city": 3}), "", [], [("get_weather", "$.city: expected string, got integer")], True, "expected string"),
    ("schema-missing-required", call("get_weather", {}), "", [], [("get_weather", 'missing required property "city"')], True, "missing required"),
    ("schema-bad-enum", call("get_weather", {"city": "Oslo", "unit": "kelvin"}), "", [], [("get_weather", "not one of")], True, "kelvin"),
    ("arguments-not-json", '{"name": "get_weather", "arguments": "city=Paris"}', "", [], [("get_weather", "not valid JSON")], True, "not valid JSON"),
    ("arguments-not-object", '{"name": "get_weather", "arguments": ["Paris"]}', "", [], [("get_weather", "must be a JSON object, not array")], True, "JSON object"),
    ("tool_calls-not-a-list", '{"tool_calls": "get_weather"}', "", [], [(None, "must hold call objects")], True, "must hold call objects"),
    ("entry-without-name", '{"tool_calls": [{"arguments": {"city": "Paris"}}]}', "", [], [(None, "no tool name")], True, "no tool name"),
    ("entry-not-object", '{"tool_calls": ["get_weather"]}', "", [], [(None, "must be a JSON object")], True, "JSON object"),
    ("valid-and-invalid", '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "nope", "arguments": {}}]}', "", [W], [("nope", "unknown tool")], True, "`nope`"),
    ("empty-tool_calls", 'Nothing to do. {"tool_calls": []}', "Nothing to do.", [], [], False, None),
    # -- JSON and braces that are not calls stay in the content ----------------------------
    ("json-data", 'Here: {"name": "Bob", "age": 3} ok', 'Here: {"name": "Bob", "age": 3} ok', [], [], False, None),
    ("json-data-fenced", '```json\n{"temperature": 21, "unit": "C"}\n```', '```json\n{"temperature": 21, "unit": "C"}\n```', [], [], False, None),
    ("json-list-of-data", '[{"name": "Alice"}, {"name": "Bob"}]', '[{"name": "Alice"}, {"name": "Bob"}]', [], [], False, None),
    ("array-and-link", "See [1] and [docs](https://x.y/z) for [details].", "See [1] and [docs](https://x.y/z) for [details].", [], [], False, None),
    ("latex-and-code", "Compute \\frac{1}{2}; in C: int f() { return {0}; }", "Compute \\frac{1}{2}; in C: int f() { return {0}; }", [], [], False, None),
    ("not-json-braces", 'He said {"hi"} and {"a": 1, b: 2}.', 'He said {"hi"} and {"a": 1, b: 2}.', [], [], False, None),
    ("unterminated-data", 'Unclosed {"hello world', 'Unclosed {"hello world', [], [], False, None),
    ("brace-at-end", "A trailing brace {", "A trailing brace {", [], [], False, None),
    ("inline-code", "Use `x = {1}` and ``y``.", "Use `x = {1}` and ``y``.", [], [], False, None),
    ("code-fence-then-call", f'Code:\n```python\nd = {{"a": [1]}}\nprint(d)\n```\n{PARIS}', 'Code:\n```python\nd = {"a": [1]}\nprint(d)\n```', [W], [], True, None),
    ("code-fence-unclosed", "```python\nprint({1: 2})", "```python\nprint({1: 2})", [], [], False, None),
    ("call-example-in-code-block", f"````md\n```json\n{PARIS}\n```\n````", f"````md\n```json\n{PARIS}\n```\n````", [], [], False, None),
    ("data-then-call", f'Data {{"a": 1}} then {PARIS}', 'Data {"a": 1} then', [W], [], True, None),
    # -- whitespace ------------------------------------------------------------------------
    ("empty", "", "", [], [], False, None),
    ("whitespace-only", " \n\t ", "", [], [], False, None),
    ("paragraphs-kept", "  One.\n\n\n  Two  three.\n", "One.\n\n\n  Two  three.", [], [], False, None),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "content", "calls", "invalid", "attempted", "problem"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_parse_table(
    text: str,
    content: str,
    calls: list[tuple[str, dict[str, Any]]],
    invalid: list[tuple[str | None, str]],
    attempted: bool,
    problem: str | None,
) -> None:
    reply = parse_tool_reply(text, TOOLS, id_factory=counter())
    assert reply.content == content
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == calls
    assert [(c["name"], c["type"]) for c in reply.tool_calls] == [
        (n, "tool_call") for n, _ in calls
    ]
    assert [(c["name"], c["type"]) for c in reply.invalid_tool_calls] == [
        (n, "invalid_tool_call") for n, _ in invalid
    ]
    for (_, fragment), bad in zip(invalid, reply.invalid_tool_calls, strict=True):
        assert fragment in (bad["error"] or "")
        assert bad["args"] is None or isinstance(bad["args"], str)
    # ids are fresh and in reply order, valid and invalid alike; the model's ids are ignored
    all_ids = sorted(c["id"] or "" for c in [*reply.tool_calls, *reply.invalid_tool_calls])
    assert all_ids == sorted(f"id{n}" for n in range(1, len(calls) + len(invalid) + 1))
    assert reply.attempted is attempted
    if problem is None:
        assert reply.problem is None
    else:
        assert reply.problem is not None
        assert problem in reply.problem


@pytest.mark.parametrize("text", [pytest.param(case[1], id=case[0]) for case in CASES])
def test_stream_agrees_with_parse_at_every_split(text: str) -> None:
    whole = parse_tool_reply(text, TOOLS, id_factory=counter())
    for cut in range(len(text) + 1):
        assert_stream_agrees(text, [cut], whole)
    assert_stream_agrees(text, list(range(1, len(text))), whole)  # char by char


def test_cjk_arguments_are_not_escaped_anywhere() -> None:
    pieces, reply = stream(CJK, [])
    assert reply.tool_calls[0]["args"] == {"city": "東京 🌸 Zürich"}
    args = next(p for p in pieces if isinstance(p, ToolCallArgs))
    assert args.args_json == '{"city": "東京 🌸 Zürich"}'
    assert "\\u" not in format_tool_calls(reply.tool_calls)
    bad = parse_tool_reply(call("nope", {"city": "東京"}), TOOLS).invalid_tool_calls[0]
    assert bad["args"] == '{"city": "東京"}'


def test_default_ids_are_fresh_uuid_based() -> None:
    reply = parse_tool_reply(f"{PARIS}{PARIS}", TOOLS)
    first, second = (c["id"] for c in reply.tool_calls)
    assert first != second
    for call_id in (first, second, new_call_id()):
        assert call_id is not None
        assert call_id.startswith("call_")
        assert len(call_id) == 29
        int(call_id[5:], 16)


# -- streaming behaviour ------------------------------------------------------------------


def test_prose_streams_at_once_and_a_call_is_held_until_complete() -> None:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    assert parser.feed("Let me check") == [TextPiece("Let me check")]
    assert parser.feed(" the weather. ") == [TextPiece(" the weather.")]  # trailing space held
    assert parser.feed('{"tool_calls": [{"na') == []
    assert parser.feed('me": "get_weather", "arguments": {"city": "Paris"}}') == []
    assert parser.feed("]}") == [
        ToolCallStart(index=0, id="id1", name="get_weather"),
        ToolCallArgs(index=0, args_json='{"city": "Paris"}'),
    ]
    assert parser.feed(" Back soon.") == [TextPiece(" Back soon.")]
    pieces, reply = parser.finish()
    assert pieces == []
    assert reply.content == "Let me check the weather. Back soon."


def test_brace_followed_by_prose_is_released_at_once() -> None:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    assert parser.feed("a {") == [TextPiece("a")]
    assert parser.feed("b} [") == [TextPiece(" {b}")]
    assert parser.feed("1]") == [TextPiece(" [1]")]


def test_partial_fence_at_the_end_of_a_delta_is_held() -> None:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    assert parser.feed("Text\n`") == [TextPiece("Text")]
    assert parser.feed("``js") == []
    assert parser.feed("on\n") == []
    assert parser.feed(PARIS) == [
        ToolCallStart(index=0, id="id1", name="get_weather"),
        ToolCallArgs(index=0, args_json='{"city": "Paris"}'),
    ]
    assert parser.feed("\n``") == []
    assert parser.feed("`\nDone") == [TextPiece("\nDone")]


def test_a_code_fence_streams_as_soon_as_its_content_is_not_json() -> None:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    assert parser.feed("```python\n") == []
    assert parser.feed("x = {") == [TextPiece("```python\nx = {")]  # braces in code: no hold
    assert parser.feed('"a": 1}\n```') == [TextPiece('"a": 1}')]  # a backtick run may go on
    assert parser.finish()[0] == [TextPiece("\n```")]


def test_invalid_calls_are_not_streamed_and_indexes_count_valid_calls() -> None:
    text = f"{PARIS} {call('nope', {})} {call('search', {'query': 'q'})}"
    pieces, reply = stream(text, [])
    assert [p for p in pieces if not isinstance(p, TextPiece)] == [
        ToolCallStart(index=0, id="id1", name="get_weather"),
        ToolCallArgs(index=0, args_json='{"city": "Paris"}'),
        ToolCallStart(index=1, id="id3", name="search"),
        ToolCallArgs(index=1, args_json='{"query": "q"}'),
    ]
    assert [c["id"] for c in reply.invalid_tool_calls] == ["id2"]


def test_finish_is_idempotent_and_feed_after_finish_is_an_error() -> None:
    parser = ToolStreamParser(TOOLS, id_factory=counter())
    parser.feed("Hello {")
    pieces, reply = parser.finish()
    assert pieces == [TextPiece(" {")]
    assert parser.finish() == ([], reply)
    with pytest.raises(RuntimeError, match="after finish"):
        parser.feed("more")


def test_tools_without_a_name_are_rejected() -> None:
    with pytest.raises(ValueError, match="tool #0 has no name"):
        ToolStreamParser([{"type": "function", "function": {"description": "x"}}])


def test_bare_tool_specs_are_accepted() -> None:
    tools = [{"name": "get_weather", "parameters": GET_WEATHER["function"]["parameters"]}]
    assert parse_tool_reply(PARIS, tools).tool_calls[0]["args"] == {"city": "Paris"}


def test_without_tools_every_call_is_an_unknown_tool() -> None:
    reply = parse_tool_reply(PARIS, [])
    assert (
        reply.invalid_tool_calls[0]["error"] == "unknown tool 'get_weather' (available tools: none)"
    )


def _work(action: Callable[[], object]) -> int:
    """How much work ``action`` does: Python and C function calls, counted (not timed).

    Deterministic whatever the machine's load, so growth can be compared between sizes.
    """
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def _cpu(action: Callable[[], object]) -> float:
    """This process's CPU time for ``action``, best of three, without GC pauses.

    CPU time, not wall time: other processes on a loaded machine do not count. Only a ratio
    between two sizes measured here is ever compared, never a duration.
    """
    best = math.inf
    for _ in range(3):
        gc.disable()
        try:
            start = time.process_time()
            action()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return max(best, 1e-6)


def _growth(make: Callable[[int], Callable[[], object]], size: int) -> tuple[float, float]:
    """Cost at twice the size over cost at the size, as (calls, CPU): ~2 when linear, ~4 when
    quadratic. Calls catch repeated Python work; CPU also catches a C call that re-reads a
    growing buffer."""
    small, large = make(size), make(2 * size)
    return _work(large) / _work(small), _cpu(large) / _cpu(small)


def assert_linear(make: Callable[[int], Callable[[], object]], size: int, what: object) -> None:
    calls, cpu = _growth(make, size)
    assert calls < 2.6, (what, calls)
    if cpu >= 3.3:
        # A burst of load from another process (a page-cache flush, a model loading) can
        # stretch one measurement; quadratic work stays ~4 on every try.
        cpu = min(cpu, _growth(make, size)[1])
    assert cpu < 3.3, (what, cpu)  # linear is ~2; a generous margin for measurement noise


def test_long_prose_fed_char_by_char_is_linear() -> None:
    def feed(size: int) -> Callable[[], None]:
        prose = ("The quick brown fox, [jumps] over {the} lazy `dog`.\n" * 2000)[:size]

        def run() -> None:
            parser = ToolStreamParser(TOOLS)
            for char in prose:
                parser.feed(char)
            _, reply = parser.finish()
            assert reply.content == prose.strip()

        return run

    assert_linear(feed, 20_000, "char by char")


def _long_texts(size: int) -> list[str]:
    lines = size // 100
    return [
        "```python\n" + "d = {'a': [1, 2]}\n" * lines + "```\n",
        "\n".join(call("search", {"query": str(n)}) for n in range(lines)),
        '{"data": "' + "x" * size,
        "[" * (size // 2),
        '{"a": ' * (size // 5),
    ]


def test_long_inputs_parse_in_linear_work() -> None:
    for index in range(len(_long_texts(100))):

        def parse(size: int, index: int = index) -> Callable[[], object]:
            text = _long_texts(size)[index]
            return lambda: parse_tool_reply(text, TOOLS)

        assert_linear(parse, 50_000, index)
    for text in ("[", "{", "[1, ", 'x {"a": ['):

        def extract(size: int, text: str = text) -> Callable[[], None]:
            def run() -> None:
                with contextlib.suppress(JSONExtractionError):
                    extract_json(text * (size // len(text)))

            return run

        assert_linear(extract, 20_000, text)
    assert len(parse_tool_reply(_long_texts(200_000)[1], TOOLS).tool_calls) == 2000


# -- never raises ---------------------------------------------------------------------------

FRAGMENTS = [
    "{",
    "}",
    "[",
    "]",
    '"',
    "\\",
    "`",
    "```",
    "```json\n",
    "\n",
    " ",
    ":",
    ",",
    '"name"',
    '"tool_calls"',
    '"tool_call"',
    '"function"',
    '"arguments"',
    '"input"',
    '"get_weather"',
    '"magic_function"',
    '{"city": "Paris"}',
    "3",
    "null",
    "NaN",
    "1e999",
    "東京",
    "🌸",
    PARIS,
    OPENAI,
    "prose ",
]
replies = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=replies, data=st.data())
def test_parser_never_raises_and_stream_agrees(text: str, data: st.DataObject) -> None:
    whole = parse_tool_reply(text, TOOLS, id_factory=counter())
    assert isinstance(whole.content, str)
    assert whole.content == tidy(whole.content)
    cuts = sorted(
        data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=8), label="cuts")
    )
    assert_stream_agrees(text, cuts, whole)


@settings(max_examples=300, deadline=None)
@given(text=replies)
def test_extract_json_raises_only_its_error(text: str) -> None:
    with contextlib.suppress(JSONExtractionError):
        extract_json(text)


# -- tool_choice ------------------------------------------------------------------------------

NAMES = ["get_weather", "magic_function"]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, "auto"),
        ("auto", "auto"),
        ("any", "any"),
        ("required", "any"),
        (True, "any"),
        ("none", "none"),
        (False, "none"),
        ("get_weather", "get_weather"),
        ({"type": "function", "function": {"name": "magic_function"}}, "magic_function"),
        ({"type": "tool", "name": "get_weather"}, "get_weather"),
        ({"type": "any"}, "any"),
        ({"type": "auto"}, "auto"),
    ],
)
def test_normalize_tool_choice(choice: Any, expected: str) -> None:
    assert normalize_tool_choice(choice, NAMES) == expected


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (
            "get_wether",
            "names a tool that is not bound \\(available tools: get_weather, magic_function\\)",
        ),
        ({"type": "function", "function": {"name": "nope"}}, "not bound"),
        ({"type": "function"}, "unsupported tool_choice"),
        (3, "unsupported tool_choice"),
    ],
)
def test_normalize_tool_choice_rejects(choice: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_tool_choice(choice, NAMES)


# -- prompt out ----------------------------------------------------------------------------

SNAPSHOT_HEAD = """\
<tools>
You can call the tools listed below. To call tools, reply with a JSON object in the exact format \
shown under "Reply format"; the tools are then run for you and their results are sent back to you.\
{plain}

Available tools (name: description, then its arguments: name (type): meaning):
- get_weather: Get the current weather in a city.
  arguments:
    city (string, required)
    unit ("celsius" | "fahrenheit", optional)
- magic_function: Apply a magic function to an input.
  arguments:
    input (integer, required)

Reply format for calling tools:
{{"tool_calls": [{{"name": "<tool name>", "arguments": {{<arguments as a JSON object>}}}}]}}
{only}
- "arguments" is a JSON object that matches the tool's schema; write non-ASCII text as is, \
without \\u escapes.
{parallel}
- Earlier tool calls appear in the conversation in this same format (with an "id"), and their \
results as <tool_result call_id="..." name="..." status="..."> ... </tool_result> blocks.
- After a tool result, keep going: call the next tool you need, or give the final answer. Do not \
stop halfway, and do not announce what you are going to do: do it.

{choice}
</tools>"""
PLAIN = " When no tool is needed, answer in plain text, without any JSON."
AFTER_SENTENCE = (
    "- The reply must then be only that JSON object, optionally preceded by one short sentence; "
    "write nothing after it."
)
ONLY = "- Reply with only that JSON object, with nothing before or after it."
PARALLEL = '- Several independent calls may go in the one "tool_calls" list.'
ONE = '- Make at most one call per reply: the "tool_calls" list holds exactly one call.'


@pytest.mark.parametrize(
    ("choice", "parallel", "expected"),
    [
        (
            "auto",
            None,
            SNAPSHOT_HEAD.format(
                plain=PLAIN,
                only=AFTER_SENTENCE,
                parallel=PARALLEL,
                choice="Tool choice: call a tool only when it helps to answer; otherwise answer "
                "directly in plain text.",
            ),
        ),
        (
            "any",
            True,
            SNAPSHOT_HEAD.format(
                plain="",
                only=ONLY,
                parallel=PARALLEL,
                choice="Tool choice: you MUST call at least one tool now. Reply with the JSON "
                "object only.",
            ),
        ),
        (
            "magic_function",
            False,
            SNAPSHOT_HEAD.format(
                plain="",
                only=ONLY,
                parallel=ONE,
                choice="Tool choice: you MUST call the tool `magic_function` now. Reply with the "
                "JSON object only.",
            ),
        ),
    ],
    ids=["auto", "any", "named-one-call"],
)
def test_tool_instructions_snapshot(choice: str, parallel: bool | None, expected: str) -> None:
    rendered = render_tool_instructions(
        [GET_WEATHER, MAGIC], tool_choice=choice, parallel_tool_calls=parallel
    )
    assert rendered == expected
    assert REPLY_FORMAT in rendered
    assert rendered == render_tool_instructions(
        [GET_WEATHER, MAGIC], tool_choice=choice, parallel_tool_calls=parallel
    )


NONE_SNAPSHOT = """\
<tools>
Tool calling is turned off for this reply: do not call any tool and do not write tool-call JSON; \
answer in plain text.
Earlier tool calls may appear in the conversation as {"tool_calls": [...]} objects, and their \
results as <tool_result call_id="..." name="..." status="..."> ... </tool_result> blocks. Use them \
as context only.
</tools>"""


def test_tool_instructions_none_lists_no_schemas() -> None:
    assert render_tool_instructions(TOOLS, tool_choice="none") == NONE_SNAPSHOT
    assert render_tool_instructions(TOOLS, tool_choice=False) == NONE_SNAPSHOT
    assert render_tool_instructions([]) == NONE_SNAPSHOT


def test_tool_instructions_details() -> None:
    tools = [
        _tool(
            "translate",
            "Translate text.\n\nArgs:\n    text: what to translate  ",
            {
                "type": "object",
                "properties": {"text": {"type": "string", "description": "日本語のテキスト"}},
            },
        ),
        {"type": "function", "function": {"name": "ping"}},
    ]
    rendered = render_tool_instructions(
        tools, tool_choice={"type": "function", "function": {"name": "ping"}}
    )
    assert (
        "- translate: Translate text.\n  \n  Args:\n      text: what to translate\n"
        "  arguments:\n    text (string, optional): 日本語のテキスト\n"
        "- ping\n  arguments: none, use {}\n"
    ) in rendered
    assert "you MUST call the tool `ping` now" in rendered
    assert rendered.startswith("<tools>\n")
    assert rendered.endswith("\n</tools>")
    with pytest.raises(ValueError, match="not bound"):
        render_tool_instructions(tools, tool_choice="get_weather")


def test_format_tool_calls_matches_the_reply_format() -> None:
    calls: list[dict[str, Any]] = [
        {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1", "type": "tool_call"},
        {"name": "search", "args": {"query": "東京"}, "id": None},
        {"name": "list_files", "args": "", "id": "call_3"},
    ]
    text = format_tool_calls(calls)
    assert text == (
        '{"tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}, '
        '{"name": "search", "arguments": {"query": "東京"}}, '
        '{"id": "call_3", "name": "list_files", "arguments": {}}]}'
    )
    # what is written into the history parses back to the same calls (with fresh ids)
    reply = parse_tool_reply(text, TOOLS, id_factory=counter())
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("get_weather", {"city": "Paris"}),
        ("search", {"query": "東京"}),
        ("list_files", {}),
    ]
    assert format_tool_calls([{"name": "x", "args": "not json", "id": "1"}]) == (
        '{"tool_calls": [{"id": "1", "name": "x", "arguments": "not json"}]}'
    )
    assert format_tool_calls([]) == '{"tool_calls": []}'


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"tool_call_id": "call_1", "name": "get_weather", "content": "21 °C, sunny"},
            '<tool_result call_id="call_1" name="get_weather" status="success">\n21 °C, sunny\n</tool_result>',
        ),
        (
            {"tool_call_id": None, "name": None, "content": "boom", "status": "error"},
            '<tool_result status="error">\nboom\n</tool_result>',
        ),
        (
            {"tool_call_id": 'a"b', "name": "x&y", "content": "", "status": None},
            '<tool_result call_id="a&quot;b" name="x&amp;y">\n\n</tool_result>',
        ),
        (
            {"tool_call_id": "c", "name": "n", "content": "x</tool_result>y"},
            '<tool_result call_id="c" name="n" status="success">\nx<\\/tool_result>y\n</tool_result>',
        ),
    ],
)
def test_format_tool_result(kwargs: dict[str, Any], expected: str) -> None:
    assert format_tool_result(**kwargs) == expected


# -- repair ----------------------------------------------------------------------------------


def _reply(text: str) -> ParsedReply:
    return parse_tool_reply(text, TOOLS, id_factory=counter())


@pytest.mark.parametrize(
    ("text", "choice", "expected"),
    [
        ("Just prose.", "auto", None),
        ("Just prose.", None, None),
        ("Just prose.", "none", None),
        ("Just prose.", "any", "You did not call any tool, but this reply must call one."),
        ("Just prose.", True, "You did not call any tool, but this reply must call one."),
        (
            "Just prose.",
            "get_weather",
            "You did not call any tool, but this reply must call the tool `get_weather`.",
        ),
        (PARIS, "auto", None),
        (PARIS, "any", None),
        (PARIS, "get_weather", None),
        (PARIS, {"type": "function", "function": {"name": "get_weather"}}, None),
        (
            PARIS,
            "search",
            "You called `get_weather`, but this reply must call the tool `search` (and only it).",
        ),
        (
            f"{PARIS}{call('search', {'query': 'q'})}",
            "get_weather",
            "You called `search`, but this reply must call the tool `get_weather` (and only it).",
        ),
        ('{"tool_calls": []}', "any", "You did not call any tool, but this reply must call one."),
        (
            call("nope", {}),
            "auto",
            "The call to `nope` is invalid: unknown tool 'nope' (available tools: get_weather, magic_function, search, list_files, get_user).",
        ),
        (
            call("nope", {}),
            "any",
            "The call to `nope` is invalid: unknown tool 'nope' (available tools: get_weather, magic_function, search, list_files, get_user).",
        ),
        (call("nope", {}), "none", None),
        (
            '{"name": "get_weather", "arguments": {',
            "auto",
            "The call to `get_weather` is invalid: incomplete JSON: the reply ended before the object was closed.",
        ),
        (
            f"{PARIS}{call('get_weather', {'city': 1})}",
            "any",
            "The call to `get_weather` is invalid: arguments do not match the tool's schema: $.city: expected string, got integer.",
        ),
    ],
)
def test_needs_repair(text: str, choice: Any, expected: str | None) -> None:
    assert needs_repair(_reply(text), choice) == expected


def test_repair_prompts() -> None:
    assert render_repair_prompt(
        "The call to `x` is invalid: unknown tool 'x'.", tool_choice="auto"
    ) == (
        "Your previous reply could not be used:\n"
        "The call to `x` is invalid: unknown tool 'x'.\n\n"
        "Reply again. To call tools, reply with only this JSON object, with nothing after it:\n"
        f"{REPLY_FORMAT}\n"
        "Use only the tool names listed in <tools>, with arguments that match each tool's schema.\n"
        "If no tool is needed, answer in plain text instead."
    )
    assert render_repair_prompt("No call.", tool_choice="any") == (
        "Your previous reply could not be used:\nNo call.\n\n"
        "Reply again with only this JSON object, with nothing before or after it:\n"
        f"{REPLY_FORMAT}\n"
        "Use only the tool names listed in <tools>, with arguments that match each tool's schema.\n"
        "You MUST call at least one tool."
    )
    assert render_repair_prompt("No call.", tool_choice="get_weather").endswith(
        "You MUST call the tool `get_weather`."
    )
    assert render_repair_prompt("x", tool_choice="none") == (
        "Your previous reply could not be used:\nx\n\n"
        "Reply again, in plain text, without calling any tool."
    )


# -- structured output -----------------------------------------------------------------------

JOKE = {
    "type": "object",
    "title": "Joke",
    "properties": {"setup": {"type": "string"}, "punchline": {"type": "string"}},
    "required": ["setup", "punchline"],
}


def test_structured_output_instructions() -> None:
    assert render_structured_output_instructions(JOKE) == (
        "<response_format>\n"
        "Reply with ONLY a JSON value that conforms to the JSON schema below: no prose before or "
        "after it, no Markdown code fence, no comments.\n"
        'JSON schema: {"type":"object","title":"Joke","properties":{"setup":{"type":"string"},'
        '"punchline":{"type":"string"}},"required":["setup","punchline"]}\n'
        "Use exactly the property names and types of the schema and fill in every required "
        "property; write non-ASCII text as is, without \\u escapes.\n"
        "</response_format>"
    )
    assert render_structured_output_instructions(JOKE, strict=True).endswith(
        "Do not add any property that the schema does not define.\n</response_format>"
    )
    assert render_structured_output_instructions(None) == (
        "<response_format>\n"
        "Reply with ONLY a valid JSON object: no prose before or after it, no Markdown code fence, "
        "no comments.\n"
        "</response_format>"
    )


def test_structured_repair_prompts() -> None:
    assert render_structured_repair_prompt("the reply contains no JSON object or array", JOKE) == (
        "Your previous reply could not be used:\n"
        "the reply contains no JSON object or array\n\n"
        "Reply again with ONLY a JSON value that conforms to this JSON schema, with no prose and "
        "no code fence:\n"
        '{"type":"object","title":"Joke","properties":{"setup":{"type":"string"},'
        '"punchline":{"type":"string"}},"required":["setup","punchline"]}'
    )
    assert render_structured_repair_prompt("bad", None) == (
        "Your previous reply could not be used:\nbad\n\n"
        "Reply again with ONLY a valid JSON object, with no prose and no code fence."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"setup": "a", "punchline": "b"}', {"setup": "a", "punchline": "b"}),
        ("  \n[1, 2]\n", [1, 2]),
        ("42", 42),
        ('"just a string"', "just a string"),
        ('```json\n{"a": "東京"}\n```', {"a": "東京"}),
        ('Here you go:\n```\n{"a": 1}\n```\nEnjoy!', {"a": 1}),
        ('Sure! {"a": {"b": [1, {"c": "}"}]}} Hope it helps.', {"a": {"b": [1, {"c": "}"}]}}),
        ('Use {braces} wisely: {"a": 1}', {"a": 1}),
        ("List: [1, 2, 3] and more", [1, 2, 3]),
        ('{"text": "line1\nline2"}', {"text": "line1\nline2"}),
        ('```json\n{"a": 1,}\n```\nor {"a": 2}', {"a": 2}),
    ],
)
def test_extract_json(text: str, expected: Any) -> None:
    assert extract_json(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the reply is empty"),
        ("   \n", "the reply is empty"),
        ("No JSON here at all.", "contains no JSON object or array"),
        ('{"a": 1,}', "contains no valid JSON \\(Expecting property name"),
        ('Sure: {"a": NaN}', "contains no valid JSON"),
        ("[" * 5000, "contains no valid JSON"),
    ],
)
def test_extract_json_errors(text: str, message: str) -> None:
    with pytest.raises(JSONExtractionError, match=message):
        extract_json(text)
    assert issubclass(JSONExtractionError, ValueError)


# -- issue 15: what a real model did, and the protocol's answers ----------------------------
# (the replies these tests pin, as the model wrote them, are in tests/unit_tests/data/generations)


@pytest.mark.parametrize(
    ("text", "kept", "tag"),
    [
        (
            "Sunny, 24 °C.\n\n<conversation>\n<user>\nAnd tomorrow?",
            "Sunny, 24 °C.",
            "<conversation",
        ),
        ("It is sunny.</assistant>\n<user>", "It is sunny.", "</assistant"),
        ('x <tool_result call_id="c2" name="w">', "x", "<tool_result"),
        ('{"tool_calls": [{"name": "echo", "arguments": {"text": "<user> hi"}}]}', None, None),
        ('{"q": "a\\"<user>"} and </user>', '{"q": "a\\"<user>"} and', "</user"),
        ("```xml\n<user>Ann</user>\n```\nDone.", None, None),
        (
            "```xml\n<user>Ann</user>\n```\nDone.\n<user>",
            "```xml\n<user>Ann</user>\n```\nDone.",
            "<user",
        ),
        ("a <b> and <users> and <userx>", None, None),
        ('<user name="bob">\nhi', "", "<user"),
        ("", None, None),
    ],
)
def test_cut_at_transcript(text: str, kept: str | None, tag: str | None) -> None:
    assert cut_at_transcript(text) == (text if kept is None else kept, tag)


@given(st.text(alphabet='ab <>/"{}[]\\`\n userconvitn_', max_size=60), st.data())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_transcript_filter_agrees_with_cut_at_every_split(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=4)))
    cutter = TranscriptFilter()
    out = "".join(cutter.feed(text[a:b]) for a, b in itertools.pairwise([0, *cuts, len(text)]))
    if cutter.cut is None:
        out += cutter.flush()
    assert (out, cutter.cut) == cut_at_transcript(text)


def test_a_reply_streamed_a_character_at_a_time_is_cut_in_linear_work() -> None:
    for piece in ("`", " ", "<", "{", '"'):

        def feed(size: int, piece: str = piece) -> Callable[[], None]:
            def run() -> None:
                cutter = TranscriptFilter()
                for _ in range(size):
                    cutter.feed(piece)
                cutter.flush()

            return run

        # A rescan per delta shows in CPU time well before 20,000 backticks.
        assert_linear(feed, 20_000 if piece == "`" else 5_000, piece)


def test_every_tag_the_prompt_writes_is_a_transcript_tag() -> None:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    from langchain_oneminai._chat._prompt import render_prompt

    prompt = render_prompt(
        [
            SystemMessage("s"),
            HumanMessage("q", name="ann"),
            AIMessage("a", tool_calls=[{"name": "f", "args": {}, "id": "c1"}]),
            ToolMessage("r", tool_call_id="c1", name="f"),
        ],
        tools_block="<tools>\nt\n</tools>",
        format_block="<response_format>\nf\n</response_format>",
    ).text
    written = set(re.findall(r"</?([a-z_]+)[ >]", prompt))
    assert written <= set(TRANSCRIPT_TAGS)


def test_one_call_per_reply_keeps_the_first_valid_call() -> None:
    text = (
        '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}, '
        '{"name": "get_weather", "arguments": {"city": "London"}}, {"name": "nope"}]}'
    )
    reply = parse_tool_reply(text, TOOLS, id_factory=counter(), max_calls=1)
    assert [c["args"] for c in reply.tool_calls] == [{"city": "Paris"}]
    assert [c.get("args") for c in reply.dropped] == [{"city": "London"}, "{}"]
    assert reply.invalid_tool_calls == [] and reply.problem is None
    assert needs_repair(reply, "auto") is None
    unlimited = parse_tool_reply(text, TOOLS, id_factory=counter())
    assert len(unlimited.tool_calls) == 2 and unlimited.problem


def test_one_call_per_reply_streams_only_the_kept_call() -> None:
    text = (
        'First {"name": "search", "arguments": {"query": "a"}} then '
        '{"name": "search", "arguments": {"query": "b"}}'
    )
    parser = ToolStreamParser(TOOLS, id_factory=counter(), max_calls=1)
    pieces = [p for i in range(0, len(text), 7) for p in parser.feed(text[i : i + 7])]
    last, reply = parser.finish()
    starts = [p for p in pieces + last if isinstance(p, ToolCallStart)]
    assert [s.id for s in starts] == [reply.tool_calls[0]["id"]]
    assert reply == parse_tool_reply(text, TOOLS, id_factory=counter(), max_calls=1)
    assert reply.content == "First then"


def test_a_call_replaying_an_answered_one_is_set_aside() -> None:
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    history = [
        HumanMessage("Weather in Rome?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Rome"}, "id": "c9"}]),
        ToolMessage("Clear, 24 °C", tool_call_id="c9"),
    ]
    answered = answered_calls(history)
    assert answered == (AnsweredCall("c9", "get_weather", '{"city":"Rome"}', current=True),)
    # The model copies the call (and its id) from the transcript.
    text = '{"tool_calls": [{"id": "c9", "name": "get_weather", "arguments": {"city": "Rome"}}]}'
    reply = parse_tool_reply(text, TOOLS, id_factory=counter(), answered=answered)
    assert reply.tool_calls == [] and [c["args"] for c in reply.replayed] == [{"city": "Rome"}]
    assert reply.fragments == [text]
    problem = needs_repair(reply, "auto")
    assert problem is not None and "`get_weather` with" in problem and "already made" in problem
    # A new call next to the replay is kept, and needs no repair.
    both = text[:-2] + ', {"name": "get_weather", "arguments": {"city": "Oslo"}}]}'
    reply = parse_tool_reply(both, TOOLS, id_factory=counter(), answered=answered)
    assert [c["args"] for c in reply.tool_calls] == [{"city": "Oslo"}]
    assert needs_repair(reply, "auto") is None
    # Key order and spacing do not matter; other arguments are another call.
    same = '{"name": "get_weather", "arguments": {"city" : "Rome"}}'
    assert parse_tool_reply(same, TOOLS, answered=answered).replayed
    other = '{"name": "get_weather", "arguments": {"city": "Rome", "unit": "celsius"}}'
    assert not parse_tool_reply(other, TOOLS, answered=answered).replayed


def test_a_new_user_turn_may_ask_for_the_same_call_again() -> None:
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    history = [
        HumanMessage("Weather in Rome?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Rome"}, "id": "c9"}]),
        ToolMessage("Clear, 24 °C", tool_call_id="c9"),
        AIMessage("Clear and 24 °C."),
        HumanMessage("And now, an hour later?"),
    ]
    answered = answered_calls(history)
    assert [a.current for a in answered] == [False]
    call = '{"name": "get_weather", "arguments": {"city": "Rome"}}'
    assert parse_tool_reply(call, TOOLS, answered=answered).tool_calls
    # ...but not by replaying the earlier call's id.
    copied = '{"id": "c9", "name": "get_weather", "arguments": {"city": "Rome"}}'
    assert parse_tool_reply(copied, TOOLS, answered=answered).replayed
    # A call without a result is not answered.
    assert answered_calls(history[:2]) == ()


def test_invalid_calls_keep_the_fragment_the_model_wrote() -> None:
    bad = '{"tool_calls": [{"name": "get_weather", "arguments": {"town": "Paris"}}]}'
    reply = parse_tool_reply(f"Sure.\n{bad}\nThat is all.", TOOLS)
    assert reply.fragments == [bad]
    assert (
        parse_tool_reply('{"name": "search", "arguments": {"query": "x"}}', TOOLS).fragments == []
    )


def _real(generation: str) -> str:
    from pathlib import Path

    corpus = Path(__file__).parent / "data/generations/qwen2.5-coder-1.5b.json"
    real = {g["id"]: g["reply"] for g in json.loads(corpus.read_text("utf-8"))["generations"]}
    return str(real[generation])


def test_a_real_reply_with_two_calls_when_one_is_allowed_keeps_the_first() -> None:
    text = _real("two-calls-when-one-allowed")
    reply = parse_tool_reply(text, TOOLS, id_factory=counter(), max_calls=1)
    assert [c["args"] for c in reply.tool_calls] == [{"city": "Paris"}]
    assert [c["args"] for c in reply.dropped] == [{"city": "London"}]
    assert reply.content == "" and reply.problem is None
    parser = ToolStreamParser(TOOLS, id_factory=counter(), max_calls=1)
    pieces = [p for i in range(0, len(text), 5) for p in parser.feed(text[i : i + 5])]
    last, streamed = parser.finish()
    assert [s.id for s in pieces + last if isinstance(s, ToolCallStart)] == ["id1"]
    assert streamed == reply


def test_a_real_fenced_pretty_printed_call_is_read() -> None:
    tools = [
        _tool(
            "create_histogram",
            "Create a histogram.",
            {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": {"type": "integer"}},
                    "bins": {"type": "integer"},
                },
                "required": ["data", "bins"],
            },
        )
    ]
    reply = parse_tool_reply(_real("fenced-call"), tools, id_factory=counter())
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("create_histogram", {"data": [85, 90, 88, 92, 86, 89, 91], "bins": 5})
    ]
    assert reply.content == "" and reply.problem is None


def test_a_real_reply_reusing_an_answered_id_for_new_calls_is_cut_and_run() -> None:
    text, tag = cut_at_transcript(_real("reused-id-then-transcript"))
    assert tag == "</assistant"
    assert "<tool_result" not in text and "Login successful" not in text
    tools = [
        _tool(
            "trading_login",
            "Log in.",
            {
                "type": "object",
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
            },
        ),
        _tool(
            "fund_account",
            "Fund it.",
            {"type": "object", "properties": {"amount": {"type": "number"}}},
        ),
    ]
    # The id is an answered call's, but the call is new (another tool): not a replay.
    answered = (
        AnsweredCall("call_a31207b7d9524b669d131707", "get_stock_info", '{"symbol":"NVDA"}', False),
    )
    reply = parse_tool_reply(text, tools, id_factory=counter(), answered=answered)
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("trading_login", {"username": "Ramkumar", "password": "hello123"}),
        ("fund_account", {"amount": 10}),
    ]
    assert reply.replayed == [] and reply.problem is None
    assert [c["id"] for c in reply.tool_calls] == ["id1", "id2"]  # fresh ids, never the model's


def test_a_real_boolean_written_as_a_string_is_read_for_a_json_schema_tool() -> None:
    schema = {
        "type": "object",
        "properties": {
            "start_loc": {"type": "string"},
            "end_loc": {"type": "string"},
            "shortest_route": {"type": "boolean", "default": False},
        },
        "required": ["start_loc", "end_loc"],
    }
    tools = [_tool("calc_distance", "Driving distance.", schema)]
    reply = parse_tool_reply(_real("boolean-as-string"), tools, id_factory=counter())
    assert [c["args"] for c in reply.tool_calls] == [
        {"start_loc": "New York", "end_loc": "Washington DC", "shortest_route": True},
        {"start_loc": "Los Angeles", "end_loc": "San Francisco"},
    ]
    assert reply.invalid_tool_calls == [] and needs_repair(reply, "auto") is None
    # A string the schema does not want as a boolean stays a schema error.
    text = _real("boolean-as-string").replace('"true"', '"sure"')
    refused = parse_tool_reply(text, tools, id_factory=counter())
    assert [c["name"] for c in refused.invalid_tool_calls] == ["calc_distance"]
    assert "shortest_route" in (refused.invalid_tool_calls[0]["error"] or "")
