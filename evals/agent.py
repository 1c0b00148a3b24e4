"""Agent cases of our own, run the same way through both sides.

BFCL scores single calls; these cases check what an agent needs around them:

- ``after_result``: the model answers from a tool result (no call, no transcript markup);
- ``next_tool``: after one result it makes the *next*, dependent call (not the same one again);
- ``loop_2`` / ``loop_3``: a LangGraph loop (``StateGraph`` + ``ToolNode``) of two and three
  dependent tool steps and the final answer; every tool must run once, in order;
- ``forced_any`` / ``forced_named``: ``tool_choice="any"`` and a named tool;
- ``choice_none``: ``tool_choice="none"`` with tools bound: a plain-text answer;
- ``one_call``: ``parallel_tool_calls=False`` on a question that asks for two calls;
- ``structured_<method>``: ``with_structured_output`` for ``json_schema``,
  ``function_calling`` and ``json_mode``.

The single-step cases run twice, through ``invoke`` and through ``stream`` (the aggregate of
the chunks is checked); ``loop_3`` and one structured case stream too.

The native side runs the same messages through :class:`~evals.native.NativeToolCaller` (the
model's own template; a hand-written loop instead of LangGraph, since it is no LangChain model),
scored strictly (``<tool_call>`` blocks only) and, as a diagnostic, loosely. Its structured
output is llama-cpp-python's own: ``json_schema`` and ``json_mode`` decode under a grammar
(``json_schema_to_gbnf`` of the schema, and ``JSON_GBNF``, as its ``response_format`` does),
``function_calling`` a named ``tool_choice``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.tools import BaseTool, tool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field, ValidationError

from evals import bfcl
from evals.emulated import EmulatedSide, aggregate, find_markup, lc_messages
from evals.local_llm import LocalModel, Usage
from evals.native import LOOSE, STRICT, AssistantTurn, NativeToolCaller

Mode = Literal["invoke", "stream"]

# --------------------------------------------------------------------------------------------
# the tools (deterministic)

_CAPITALS = {"japan": "Tokyo", "france": "Paris", "italy": "Rome", "canada": "Ottawa"}
_WEATHER = {
    "tokyo": ("Light rain", 18),
    "paris": ("Sunny", 21),
    "rome": ("Clear sky", 24),
    "london": ("Cloudy", 15),
    "ottawa": ("Windy", 9),
    "nairobi": ("Sunny", 26),
}


@dataclass
class ToolLog:
    """The tool calls an agent loop executed, in order."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def make_tools(log: ToolLog) -> dict[str, BaseTool]:
    """The agent tools, recording every execution in ``log``."""

    @tool
    def get_capital(country: str) -> str:
        """Return the capital city of a country."""
        log.calls.append(("get_capital", {"country": country}))
        return _CAPITALS.get(country.strip().lower(), "unknown")

    @tool
    def get_weather(city: str) -> str:
        """Get the current weather in a city: conditions and temperature in degrees Celsius."""
        log.calls.append(("get_weather", {"city": city}))
        key = city.split(",", maxsplit=1)[0].strip().lower()
        conditions, celsius = _WEATHER.get(key, ("Mild", 17))
        return f"{conditions}, {celsius} °C"

    @tool
    def celsius_to_fahrenheit(celsius: float) -> str:
        """Convert a temperature from degrees Celsius to degrees Fahrenheit."""
        log.calls.append(("celsius_to_fahrenheit", {"celsius": celsius}))
        return f"{celsius * 9 / 5 + 32:.1f} °F"

    return {t.name: t for t in (get_capital, get_weather, celsius_to_fahrenheit)}


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str = Field(description="The person's full name")
    age: int = Field(description="The person's age in years")
    city: str = Field(description="The city the person lives in")


# --------------------------------------------------------------------------------------------
# cases


@dataclass(frozen=True)
class Reply:
    """What one model call returned, side-independently."""

    content: str
    calls: list[tuple[str, dict[str, Any]]]


Check = Callable[[Reply], str | None]


@dataclass(frozen=True)
class StepCase:
    """One model call on a given history; ``check`` returns why it failed, or None."""

    kind: str
    messages: list[dict[str, Any]]
    tools: tuple[str, ...]
    check: Check
    tool_choice: str | None = None
    parallel_tool_calls: bool | None = None


@dataclass(frozen=True)
class LoopCase:
    """An agent loop: passes when the tools ran exactly as ``expected`` and ``answer`` matches."""

    kind: str
    question: str
    tools: tuple[str, ...]
    expected: list[tuple[str, str, str]]  # (tool, argument, value it must contain)
    answer: str  # a regex the final answer must match
    max_steps: int = 6


@dataclass(frozen=True)
class StructuredCase:
    """``with_structured_output(Person, method=...)`` on one sentence."""

    kind: str
    method: Literal["json_schema", "function_calling", "json_mode"]
    question: str


def _call(call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}


def _has_markup_or_json(content: str) -> str | None:
    if find_markup(content) is not None:
        return f"transcript markup in content: {content[:80]!r}"
    if re.search(r'\{\s*"(?:tool_calls|name)"', content):
        return f"tool-call JSON in content: {content[:80]!r}"
    return None


def _answer(pattern: str) -> Check:
    def check(reply: Reply) -> str | None:
        if reply.calls:
            return f"called {[c[0] for c in reply.calls]} instead of answering"
        if not reply.content.strip():
            return "empty answer"
        if problem := _has_markup_or_json(reply.content):
            return problem
        if not re.search(pattern, reply.content, re.IGNORECASE):
            return f"answer does not match {pattern!r}: {reply.content[:80]!r}"
        return None

    return check


def _calls(name: str, argument: str, value: str, *, exactly_one: bool = False) -> Check:
    def check(reply: Reply) -> str | None:
        if not reply.calls:
            return f"no call (content {reply.content[:60]!r})"
        if exactly_one and len(reply.calls) != 1:
            return f"{len(reply.calls)} calls, expected exactly one"
        first_name, first_args = reply.calls[0]
        if first_name != name:
            return f"called {first_name}, expected {name}"
        got = first_args.get(argument, "")
        if not isinstance(got, str) or value.lower() not in got.lower():
            return f"{name}({argument}={got!r}), expected {value!r}"
        if problem := _has_markup_or_json(reply.content):
            return problem
        return None

    return check


def _any_valid_call(reply: Reply) -> str | None:
    if not reply.calls:
        return f"no call (content {reply.content[:60]!r})"
    name, args = reply.calls[0]
    city = args.get("city")
    if name == "get_weather" and isinstance(city, str) and "paris" in city.lower():
        return None
    return f"called {name}({args}), expected get_weather(city=Paris)"


def _one_of_two(reply: Reply) -> str | None:
    if len(reply.calls) != 1:
        return f"{len(reply.calls)} calls, expected exactly one (parallel_tool_calls=False)"
    name, args = reply.calls[0]
    city = args.get("city")
    city = city.lower() if isinstance(city, str) else ""
    if name != "get_weather" or not any(c in city for c in ("paris", "london")):
        return f"called {name}({args}), expected get_weather(Paris or London)"
    return None


_ROME: list[dict[str, Any]] = [
    {"role": "user", "content": "What's the weather like in Rome right now?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [_call("call_w1", "get_weather", {"city": "Rome"})],
    },
    {"role": "tool", "tool_call_id": "call_w1", "content": "Clear sky, 24 °C"},
]
_JAPAN: list[dict[str, Any]] = [
    {"role": "user", "content": "What's the weather in the capital of Japan?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [_call("call_c1", "get_capital", {"country": "Japan"})],
    },
    {"role": "tool", "tool_call_id": "call_c1", "content": "Tokyo"},
]

STEP_CASES: tuple[StepCase, ...] = (
    StepCase("after_result", _ROME, ("get_weather",), _answer(r"24")),
    StepCase(
        "next_tool", _JAPAN, ("get_capital", "get_weather"), _calls("get_weather", "city", "Tokyo")
    ),
    StepCase(
        "forced_any",
        [{"role": "user", "content": "I'm flying to Paris tomorrow. How is the weather there?"}],
        ("get_weather", "get_capital"),
        _any_valid_call,
        tool_choice="any",
    ),
    StepCase(
        "forced_named",
        [{"role": "user", "content": "Tell me about Nairobi."}],
        ("get_weather", "get_capital"),
        _calls("get_weather", "city", "Nairobi"),
        tool_choice="get_weather",
    ),
    StepCase(
        "choice_none",
        [{"role": "user", "content": "In one sentence: what is the capital of Italy?"}],
        ("get_weather", "get_capital"),
        _answer(r"Rome"),
        tool_choice="none",
    ),
    StepCase(
        "one_call",
        [{"role": "user", "content": "What's the weather in Paris and in London?"}],
        ("get_weather",),
        _one_of_two,
        parallel_tool_calls=False,
    ),
)

LOOP_CASES: tuple[tuple[LoopCase, Mode], ...] = (
    (
        LoopCase(
            "loop_2",
            "What's the weather in the capital of Japan?",
            ("get_capital", "get_weather"),
            [("get_capital", "country", "japan"), ("get_weather", "city", "tokyo")],
            r"18",
        ),
        "invoke",
    ),
    (
        LoopCase(
            "loop_3",
            "What is the temperature in degrees Fahrenheit in the capital of Canada right now? "
            "Use the tools for each step.",
            ("get_capital", "get_weather", "celsius_to_fahrenheit"),
            [
                ("get_capital", "country", "canada"),
                ("get_weather", "city", "ottawa"),
                ("celsius_to_fahrenheit", "celsius", "9"),
            ],
            r"48\.2",
        ),
        "stream",
    ),
)

_PERSON_TEXT = (
    "Maria Lopez is 34 years old and lives in Madrid. Extract her name, age and city as JSON "
    'with the keys "name", "age" and "city".'
)
STRUCTURED_CASES: tuple[tuple[StructuredCase, Mode], ...] = (
    (StructuredCase("structured_json_schema", "json_schema", _PERSON_TEXT), "invoke"),
    (StructuredCase("structured_json_schema", "json_schema", _PERSON_TEXT), "stream"),
    (StructuredCase("structured_function_calling", "function_calling", _PERSON_TEXT), "invoke"),
    (StructuredCase("structured_json_mode", "json_mode", _PERSON_TEXT), "invoke"),
)


def check_person(value: Any) -> str | None:
    """Why ``value`` is not Maria Lopez, 34, Madrid (or None)."""
    try:
        person = value if isinstance(value, Person) else Person.model_validate(value)
    except ValidationError as error:
        return f"not a Person: {str(error)[:120]}"
    if (
        "maria" not in person.name.lower()
        or person.age != 34
        or "madrid" not in person.city.lower()
    ):
        return f"wrong values: {person.model_dump()}"
    return None


def check_loop(case: LoopCase, log: ToolLog, answer: str | None) -> str | None:
    """Why the loop's trajectory or answer is wrong (or None)."""
    ran = [(name, args) for name, args in log.calls]
    if len(ran) != len(case.expected):
        return f"ran {[(n, a) for n, a in ran]}, expected {len(case.expected)} calls"
    for (name, args), (want, argument, value) in zip(ran, case.expected, strict=True):
        if name != want or value not in str(args.get(argument, "")).lower():
            return f"ran {name}({args}), expected {want}({argument}~{value!r})"
    if answer is None:
        return "no final answer (step limit)"
    if problem := _has_markup_or_json(answer):
        return problem
    if not re.search(case.answer, answer):
        return f"final answer does not match {case.answer!r}: {answer[:80]!r}"
    return None


def _result(  # noqa: PLR0917 - one row of the results table
    case_id: str, kind: str, failure: str | None, usage: Usage, seconds: float, raw: Any
) -> bfcl.CaseResult:
    score = bfcl.Score(
        valid=failure is None, error_type="" if failure is None else kind, error=failure or ""
    )
    return bfcl.CaseResult(case_id, kind, score, usage, seconds, raw)


def case_ids() -> list[str]:
    """Every agent case id, in run order."""
    ids = [f"{c.kind}[{m}]" for c in STEP_CASES for m in ("invoke", "stream")]
    ids += [f"{c.kind}[{m}]" for c, m in LOOP_CASES]
    ids += [f"{c.kind}[{m}]" for c, m in STRUCTURED_CASES]
    return ids


AnyCase = StepCase | LoopCase | StructuredCase


def _all_cases() -> list[tuple[str, str, AnyCase, Mode]]:
    """``(id, kind, case, mode)`` for every case, in run order."""
    cases: list[tuple[str, str, AnyCase, Mode]] = []
    modes: tuple[Mode, ...] = ("invoke", "stream")
    for step in STEP_CASES:
        cases += [(f"{step.kind}[{m}]", step.kind, step, m) for m in modes]
    others: list[tuple[AnyCase, Mode]] = [*LOOP_CASES, *STRUCTURED_CASES]
    for other, mode in others:
        cases.append((f"{other.kind}[{mode}]", other.kind, other, mode))
    return cases


# --------------------------------------------------------------------------------------------
# the emulated side


def run_emulated(
    side: EmulatedSide,
    *,
    log: Callable[[str], None] | None = None,
    only: Callable[[str], bool] = lambda _id: True,
) -> list[bfcl.CaseResult]:
    """Every agent case (those ``only`` accepts) through ``ChatOneMinAI`` on the emulator."""
    chat = side.chat()
    results: list[bfcl.CaseResult] = []
    for case_id, kind, case, mode in _all_cases():
        if not only(case_id):
            continue
        before, started = side.brain.usage.copy(), time.perf_counter()
        try:
            if isinstance(case, StepCase):
                failure, raw = _emulated_step(side, chat, case, mode)
            elif isinstance(case, LoopCase):
                failure, raw = _emulated_loop(side, chat, case, mode)
            else:
                failure, raw = _emulated_structured(side, chat, case, mode)
        except Exception as exc:
            failure, raw = f"error: {type(exc).__name__}: {exc}", None
        usage, seconds = side.brain.usage.since(before), time.perf_counter() - started
        result = _result(case_id, kind, failure, usage, seconds, raw)
        results.append(result)
        if log:
            verdict = "PASS" if failure is None else f"fail: {failure[:100]}"
            log(f"emulated        {case_id}: {verdict} ({usage.requests} req)")
    return results


def _model_call(runnable: Any, messages: Sequence[BaseMessage], mode: Mode) -> AIMessage:
    if mode == "invoke":
        message: AIMessage = runnable.invoke(messages)
        return message
    return aggregate(list(runnable.stream(messages)))


def _emulated_step(
    side: EmulatedSide, chat: Any, case: StepCase, mode: Mode
) -> tuple[str | None, Any]:
    tools = make_tools(ToolLog())
    options: dict[str, Any] = {}
    if case.tool_choice is not None:
        options["tool_choice"] = case.tool_choice
    if case.parallel_tool_calls is not None:
        options["parallel_tool_calls"] = case.parallel_tool_calls
    bound = chat.bind_tools([tools[n] for n in case.tools], **options)
    message, record = side.turn(lambda: _model_call(bound, lc_messages(case.messages), mode))
    reply = Reply(message.text, [(c["name"], c["args"]) for c in message.tool_calls])
    return case.check(reply), record.as_dict()


def _emulated_loop(
    side: EmulatedSide, chat: Any, case: LoopCase, mode: Mode
) -> tuple[str | None, Any]:
    """The LangGraph agent loop (``StateGraph``, ``ToolNode``, ``tools_condition``)."""
    from langgraph.errors import GraphRecursionError  # noqa: PLC0415
    from langgraph.graph import START, MessagesState, StateGraph  # noqa: PLC0415
    from langgraph.prebuilt import ToolNode, tools_condition  # noqa: PLC0415

    tool_log = ToolLog()
    tools = make_tools(tool_log)
    chosen = [tools[name] for name in case.tools]
    model = chat.bind_tools(chosen)
    turns: list[dict[str, Any]] = []

    def agent(state: MessagesState) -> dict[str, list[BaseMessage]]:
        message, record = side.turn(lambda: _model_call(model, state["messages"], mode))
        turns.append(record.as_dict())
        return {"messages": [message]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", ToolNode(chosen))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    answer: str | None = None
    try:
        start: Any = {"messages": [HumanMessage(case.question)]}
        state = graph.compile().invoke(start, {"recursion_limit": 2 * case.max_steps + 1})
        last = state["messages"][-1]
        if isinstance(last, AIMessage) and not last.tool_calls:
            answer = last.text
    except GraphRecursionError:
        answer = None
    raw = {"turns": turns, "tools_ran": tool_log.calls}
    return check_loop(case, tool_log, answer), raw


def _emulated_structured(
    side: EmulatedSide, chat: Any, case: StructuredCase, mode: Mode
) -> tuple[str | None, Any]:
    runnable = chat.with_structured_output(Person, method=case.method, include_raw=True)

    def run() -> Any:
        if mode == "invoke":
            return runnable.invoke(case.question)
        merged: dict[str, Any] = {}
        for part in runnable.stream(case.question):  # include_raw streams its keys apart
            merged.update(part)
        return merged

    output, record = side.turn(run)
    parsed = output.get("parsed") if isinstance(output, Mapping) else output
    if parsed is None:
        error = output.get("parsing_error") if isinstance(output, Mapping) else output
        return f"not parsed: {error}", record.as_dict()
    return check_person(parsed), record.as_dict()


# --------------------------------------------------------------------------------------------
# the native side


def _native_reply(turn: AssistantTurn, *, loose: bool) -> Reply:
    calls = [
        (call["function"]["name"], json.loads(call["function"]["arguments"]))
        for call in turn.effective_calls(loose=loose)
    ]
    content = turn.content
    if loose and calls and not turn.tool_calls:
        content = ""  # the JSON text was the call
    return Reply(content, calls)


def run_native(
    caller: NativeToolCaller,
    *,
    log: Callable[[str], None] | None = None,
    only: Callable[[str], bool] = lambda _id: True,
) -> dict[str, list[bfcl.CaseResult]]:
    """Every agent case (those ``only`` accepts) through the model's own template.

    Scored strictly and loosely; a single-step case is generated once and scored both ways, a
    loop is run once per way (the calls executed steer it).
    """
    runs: dict[str, list[bfcl.CaseResult]] = {STRICT: [], LOOSE: []}

    def note(label: str, result: bfcl.CaseResult) -> None:
        runs[label].append(result)
        if log:
            verdict = "PASS" if result.score.valid else f"fail: {result.score.error[:100]}"
            log(f"{label:15} {result.id}: {verdict} ({result.usage.requests} req)")

    raw: Any
    for case_id, kind, case, mode in _all_cases():
        if not only(case_id):
            continue
        if isinstance(case, LoopCase):
            for label, loose in ((STRICT, False), (LOOSE, True)):
                before, started = caller.usage.copy(), time.perf_counter()
                failure, raw = _native_loop(caller, case, mode, loose=loose)
                usage, seconds = caller.usage.since(before), time.perf_counter() - started
                note(label, _result(case_id, kind, failure, usage, seconds, raw))
            continue
        before, started = caller.usage.copy(), time.perf_counter()
        if isinstance(case, StepCase):
            turn = _native_step(caller, case, mode)
            outcomes = {
                label: case.check(_native_reply(turn, loose=loose))
                for label, loose in ((STRICT, False), (LOOSE, True))
            }
            raw = turn.raw
        else:
            failure, raw = _native_structured(caller, case, stream=mode == "stream")
            outcomes = {STRICT: failure, LOOSE: failure}
        usage, seconds = caller.usage.since(before), time.perf_counter() - started
        for label, failure in outcomes.items():
            note(label, _result(case_id, kind, failure, usage, seconds, raw))
    return runs


def _native_step(caller: NativeToolCaller, case: StepCase, mode: Mode) -> AssistantTurn:
    tools = make_tools(ToolLog())
    return caller.chat(
        case.messages,
        [convert_to_openai_tool(tools[n]) for n in case.tools],
        tool_choice=case.tool_choice or "auto",
        parallel_tool_calls=case.parallel_tool_calls is not False,
        on_text=(lambda _text: None) if mode == "stream" else None,
    )


def _native_loop(
    caller: NativeToolCaller, case: LoopCase, mode: Mode, *, loose: bool
) -> tuple[str | None, Any]:
    """A hand-written agent loop (the native side is no LangChain model)."""
    tool_log = ToolLog()
    tools = make_tools(tool_log)
    specs = [convert_to_openai_tool(tools[name]) for name in case.tools]
    messages: list[dict[str, Any]] = [{"role": "user", "content": case.question}]
    replies: list[str] = []
    answer: str | None = None
    for _ in range(case.max_steps):
        turn = caller.chat(
            messages, specs, on_text=(lambda _text: None) if mode == "stream" else None
        )
        replies.append(turn.raw)
        messages.append(turn.as_message(loose=loose))
        calls = turn.effective_calls(loose=loose)
        if not calls:
            answer = _native_reply(turn, loose=loose).content
            break
        for call in calls:
            name = call["function"]["name"]
            chosen = tools.get(name)
            try:
                args = json.loads(call["function"]["arguments"])
                output = str(chosen.invoke(args)) if chosen else f"Error: unknown tool {name}"
            except Exception as exc:
                output = f"Error: {exc}"
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": output})
    raw = {"replies": replies, "tools_ran": tool_log.calls}
    return check_loop(case, tool_log, answer), raw


def _native_structured(
    caller: NativeToolCaller, case: StructuredCase, *, stream: bool
) -> tuple[str | None, Any]:
    """llama-cpp-python's own structured output: a grammar, or a named tool call."""
    value, text = _native_structured_value(caller, case, stream=stream)
    failure = check_person(value) if value is not None else f"not parsed: {text[:80]!r}"
    return failure, text


def _native_structured_value(
    caller: NativeToolCaller, case: StructuredCase, *, stream: bool
) -> tuple[Any, str]:
    messages = [{"role": "user", "content": case.question}]
    on_text = (lambda _text: None) if stream else None
    if case.method == "function_calling":
        spec = convert_to_openai_tool(Person)
        turn = caller.chat(messages, [spec], tool_choice="Person", on_text=on_text)
        calls = turn.tool_calls
        return (json.loads(calls[0]["function"]["arguments"]) if calls else None), turn.raw
    from llama_cpp.llama_grammar import JSON_GBNF, json_schema_to_gbnf  # noqa: PLC0415

    grammar = (
        json_schema_to_gbnf(json.dumps(Person.model_json_schema()))
        if case.method == "json_schema"
        else JSON_GBNF
    )
    model: LocalModel = caller.model
    prompt = model.render(messages)
    completion = model.complete(prompt, max_tokens=caller.max_tokens, grammar=grammar)
    caller.usage.add(completion.usage)
    try:
        return json.loads(completion.text), completion.text
    except ValueError:
        return None, completion.text
