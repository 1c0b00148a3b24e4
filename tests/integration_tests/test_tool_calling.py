"""Emulated tool calling and structured output against the emulator, with scripted replies:
what goes out (instruction block, rendered history), what comes back (tool_calls, parsed
objects), repairs, and full LangGraph agent loops."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field
from pydantic import v1 as pydantic_v1
from typing_extensions import TypedDict

from langchain_oneminai import ChatOneMinAI
from langchain_oneminai._chat._tool_calls import (
    render_repair_prompt,
    render_tool_instructions,
)
from langchain_oneminai.emulator import OneMinAIEmulator, ScriptedReply


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny and 21 °C in {city}"


@tool
def get_time(city: str) -> str:
    """Get the local time in a city."""
    return f"It is 14:05 in {city}"


TOOLS = [get_weather, get_time]
CALL = '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}'


@pytest.fixture
def model(emulator: OneMinAIEmulator) -> ChatOneMinAI:
    return ChatOneMinAI(model="gpt-4o-mini", api_key=emulator.api_key, base_url=emulator.base_url)


def invoke(mode: str, runnable: Any, value: Any) -> Any:
    return runnable.invoke(value) if mode == "sync" else asyncio.run(runnable.ainvoke(value))


def stream(mode: str, runnable: Any, value: Any) -> list[Any]:
    if mode == "sync":
        return list(runnable.stream(value))

    async def collect() -> list[Any]:
        return [item async for item in runnable.astream(value)]

    return asyncio.run(collect())


def prompts(emulator: OneMinAIEmulator) -> list[str]:
    return [
        r.json["promptObject"]["prompt"] for r in emulator.requests if r.route == "chat" and r.json
    ]


# -- bind_tools -------------------------------------------------------------------------


def test_the_instruction_block_goes_out_and_the_call_comes_back(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("Let me check.\n" + CALL)
    message = invoke(mode, model.bind_tools(TOOLS), "Weather in Paris?")
    block = render_tool_instructions([convert_to_openai_tool(t) for t in TOOLS], tool_choice="auto")
    assert prompts(emulator) == [f"{block}\n\nWeather in Paris?"]
    assert isinstance(message, AIMessage)
    assert message.content == "Let me check."
    assert len(message.tool_calls) == 1
    call = message.tool_calls[0]
    assert (call["name"], call["args"], call["type"]) == (
        "get_weather",
        {"city": "Paris"},
        "tool_call",
    )
    assert call["id"] and call["id"].startswith("call_")
    assert [b["type"] for b in message.content_blocks] == ["text", "tool_call"]


def test_parallel_calls_and_unicode_arguments(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(
        '```json\n{"tool_calls": [{"name": "get_weather", "arguments": {"city": "東京"}}, '
        '{"name": "get_time", "arguments": {"city": "Zürich"}}]}\n```'
    )
    message = invoke(mode, model.bind_tools(TOOLS), "Weather in Tokyo, time in Zürich?")
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("get_weather", {"city": "東京"}),
        ("get_time", {"city": "Zürich"}),
    ]
    assert message.content == ""
    assert len({c["id"] for c in message.tool_calls}) == 2


def test_unknown_tool_and_bad_arguments_become_invalid_tool_calls(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    reply = '{"tool_calls": [{"name": "get_stock", "arguments": {}}, {"name": "get_weather", "arguments": {"city": 5}}]}'
    emulator.script_chat(reply)
    emulator.script_chat(reply)  # the repair gets the same answer
    message = invoke(mode, model.bind_tools(TOOLS), "hi")
    assert message.tool_calls == []
    assert [c["name"] for c in message.invalid_tool_calls] == ["get_stock", "get_weather"]
    assert all(c["error"] for c in message.invalid_tool_calls)
    assert len(prompts(emulator)) == 2  # one repair, then the result stands
    assert message.response_metadata["repairs"] == 1


def test_forced_call_answered_with_prose_triggers_exactly_one_repair(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("I think it is sunny.")
    emulator.script_chat(CALL)
    message = invoke(mode, model.bind_tools(TOOLS, tool_choice="get_weather"), "Weather in Paris?")
    first, second = prompts(emulator)
    assert "you MUST call the tool `get_weather` now" in first
    problem = "You did not call any tool, but this reply must call the tool `get_weather`."
    correction = render_repair_prompt(problem, tool_choice="get_weather")
    assert (
        second
        == f"{first}\n\n<previous_reply>\nI think it is sunny.\n</previous_reply>\n\n{correction}"
    )
    assert [c["name"] for c in message.tool_calls] == ["get_weather"]


def test_repairs_can_be_turned_off(mode: str, emulator: OneMinAIEmulator) -> None:
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url, max_tool_repairs=0)
    emulator.script_chat("No.")
    message = invoke(mode, model.bind_tools(TOOLS, tool_choice="any"), "hi")
    assert message.tool_calls == []
    assert message.content == "No."
    assert len(prompts(emulator)) == 1


def test_tool_choice_none_does_not_parse_calls(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(CALL)
    message = invoke(mode, model.bind_tools(TOOLS, tool_choice="none"), "hi")
    assert message.tool_calls == []
    assert message.content == CALL
    assert "do not call any tool" in prompts(emulator)[0].lower()


def test_bad_tool_choice_is_refused_before_sending(
    model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(ValueError, match="not bound"):
        model.bind_tools(TOOLS, tool_choice="get_stock")
    assert emulator.requests == []


def test_history_renders_calls_and_results_tied_by_id(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("It is sunny in Paris.")
    history = [
        HumanMessage("Weather in Paris?"),
        AIMessage(
            "", tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "call_abc"}]
        ),
        ToolMessage("Sunny and 21 °C in Paris", tool_call_id="call_abc", name="get_weather"),
        ToolMessage(
            "Service unavailable", tool_call_id="call_def", name="get_time", status="error"
        ),
    ]
    message = invoke(mode, model.bind_tools(TOOLS), history)
    assert message.content == "It is sunny in Paris."
    prompt = prompts(emulator)[0]
    assert prompt.endswith(
        "<conversation>\n<user>\nWeather in Paris?\n</user>\n<assistant>\n"
        '{"tool_calls": [{"id": "call_abc", "name": "get_weather", "arguments": {"city": "Paris"}}]}\n</assistant>\n'
        '<tool_result call_id="call_abc" name="get_weather" status="success">\nSunny and 21 °C in Paris\n</tool_result>\n'
        '<tool_result call_id="call_def" name="get_time" status="error">\nService unavailable\n</tool_result>\n'
        "<assistant>\n"
    )


def test_streaming_keeps_the_json_out_of_content(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    pieces = [
        "Checking ",
        "now.\n",
        '{"tool_',
        'calls": [{"name": "get_',
        'weather", "arguments": {"city": "Par',
        'is"}}]}',
    ]
    emulator.script_chat(ScriptedReply(chunks=pieces))
    chunks = stream(mode, model.bind_tools(TOOLS), "Weather in Paris?")
    assert "".join(str(c.content) for c in chunks) == "Checking now."
    call_chunks = [tc for c in chunks for tc in c.tool_call_chunks]
    assert len(call_chunks) == 1
    assert (
        call_chunks[0]["name"],
        json.loads(call_chunks[0]["args"] or ""),
        call_chunks[0]["index"],
    ) == (
        "get_weather",
        {"city": "Paris"},
        0,
    )
    full: AIMessageChunk = chunks[0]
    for chunk in chunks[1:]:
        full += chunk
    assert full.chunk_position == "last"
    assert [(c["name"], c["args"]) for c in full.tool_calls] == [("get_weather", {"city": "Paris"})]


def test_streaming_a_forced_call_repairs_without_leaking_the_bad_attempt(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["I ", "refuse."]))
    emulator.script_chat(ScriptedReply(chunks=[CALL[:20], CALL[20:]]))
    chunks = stream(mode, model.bind_tools(TOOLS, tool_choice="any"), "Weather?")
    assert "".join(str(c.content) for c in chunks) == ""
    assert [tc["name"] for c in chunks for tc in c.tool_call_chunks] == ["get_weather"]
    assert chunks[-1].response_metadata["repairs"] == 1
    assert len(prompts(emulator)) == 2


# -- structured output ------------------------------------------------------------------


class Joke(BaseModel):
    """A joke with its setup and punchline."""

    setup: str = Field(description="The question")
    punchline: str = Field(description="The answer")
    rating: int | None = None


class JokeV1(pydantic_v1.BaseModel):
    """A joke (pydantic v1)."""

    setup: str
    punchline: str


class JokeDict(TypedDict):
    """A joke as a TypedDict."""

    setup: str
    punchline: str


JOKE_SCHEMA = {
    "title": "joke",
    "description": "A joke",
    "type": "object",
    "properties": {"setup": {"type": "string"}, "punchline": {"type": "string"}},
    "required": ["setup", "punchline"],
}
JOKE_JSON = (
    '{"setup": "Why did the cat sit on the laptop?", "punchline": "To keep an eye on the mouse."}'
)
SCHEMAS: dict[str, Any] = {
    "pydantic": Joke,
    "pydantic_v1": JokeV1,
    "typeddict": JokeDict,
    "json_schema": JOKE_SCHEMA,
}


def check_joke(result: Any, kind: str) -> None:
    if kind.startswith("pydantic"):
        assert result.setup == "Why did the cat sit on the laptop?"
        assert result.punchline == "To keep an eye on the mouse."
    else:
        assert result == json.loads(JOKE_JSON)


@pytest.mark.parametrize("kind", SCHEMAS)
@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_structured_output_every_method_and_schema(
    mode: str,
    model: ChatOneMinAI,
    emulator: OneMinAIEmulator,
    kind: str,
    method: Literal["json_schema", "function_calling", "json_mode"],
) -> None:
    schema = SCHEMAS[kind]
    if method == "function_calling":
        name = convert_to_openai_tool(schema)["function"]["name"]
        emulator.script_chat(
            json.dumps({"tool_calls": [{"name": name, "arguments": json.loads(JOKE_JSON)}]})
        )
    else:
        emulator.script_chat(f"```json\n{JOKE_JSON}\n```")
    result = invoke(
        mode,
        model.with_structured_output(schema, method=method),
        "Tell me a joke about cats",
    )
    check_joke(result, kind)
    prompt = prompts(emulator)[0]
    if method == "json_schema":
        assert "<response_format>" in prompt and '"punchline"' in prompt
    elif method == "json_mode":
        assert "<response_format>" in prompt and "ONLY a valid JSON object" in prompt
    else:
        assert "<tools>" in prompt and "you MUST call the tool" in prompt


@pytest.mark.parametrize("kind", ["pydantic", "typeddict"])
def test_structured_output_streams_the_final_object_only(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, kind: str
) -> None:
    emulator.script_chat(ScriptedReply(chunks=[JOKE_JSON[:15], JOKE_JSON[15:40], JOKE_JSON[40:]]))
    results = stream(mode, model.with_structured_output(SCHEMAS[kind]), "joke")
    assert len(results) == 1
    check_joke(results[0], kind)


def test_invalid_json_gets_one_repair(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat('{"setup": "Why?"}')  # punchline missing
    emulator.script_chat(JOKE_JSON)
    result = invoke(mode, model.with_structured_output(Joke), "joke")
    check_joke(result, "pydantic")
    first, second = prompts(emulator)
    assert second.startswith(first)
    assert "punchline" in second.rsplit("</previous_reply>", 1)[1]


def test_include_raw(mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(JOKE_JSON)
    result = invoke(mode, model.with_structured_output(Joke, include_raw=True), "joke")
    assert set(result) == {"raw", "parsed", "parsing_error"}
    assert isinstance(result["raw"], AIMessage)
    check_joke(result["parsed"], "pydantic")
    assert result["parsing_error"] is None

    emulator.script_chat("no json here")
    emulator.script_chat("still none")
    failed = invoke(mode, model.with_structured_output(Joke, include_raw=True), "joke")
    assert failed["parsed"] is None
    assert failed["parsing_error"] is not None
    assert failed["raw"].content == "still none"


def test_structured_output_binds_the_schema_for_tracing(model: ChatOneMinAI) -> None:
    runnable = model.with_structured_output(Joke)
    bound = runnable.first  # type: ignore[attr-defined]
    assert bound.kwargs["ls_structured_output_format"]["schema"]["title"] == "Joke"
    assert bound.kwargs["ls_structured_output_format"]["kwargs"] == {
        "method": "json_schema",
        "strict": None,
    }


# -- LangGraph agents -------------------------------------------------------------------


def agent_script(emulator: OneMinAIEmulator) -> None:
    emulator.script_chat(
        '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}, '
        '{"name": "get_time", "arguments": {"city": "Paris"}}]}'
    )
    emulator.script_chat("It is sunny and 21 °C in Paris, and it is 14:05 there.")


def check_agent_run(messages: list[Any], emulator: OneMinAIEmulator) -> None:
    assert [m.type for m in messages] == ["human", "ai", "tool", "tool", "ai"]
    assert messages[-1].content == "It is sunny and 21 °C in Paris, and it is 14:05 there."
    assert [m.content for m in messages[2:4]] == [
        "Sunny and 21 °C in Paris",
        "It is 14:05 in Paris",
    ]
    second = prompts(emulator)[1]
    ids = [c["id"] for c in messages[1].tool_calls]
    assert (
        f'<tool_result call_id="{ids[0]}" name="get_weather" status="success">\nSunny and 21 °C in Paris\n</tool_result>'
        in second
    )
    assert (
        f'<tool_result call_id="{ids[1]}" name="get_time" status="success">\nIt is 14:05 in Paris\n</tool_result>'
        in second
    )


def make_agent(factory: str, model: ChatOneMinAI) -> Any:
    if factory == "langgraph":
        from langgraph.prebuilt import create_react_agent

        return create_react_agent(model, TOOLS)
    agents = pytest.importorskip("langchain.agents")
    return agents.create_agent(model, TOOLS)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("factory", ["langgraph", "langchain"])
def test_agent_loop(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, factory: str
) -> None:
    agent_script(emulator)
    result = invoke(
        mode, make_agent(factory, model), {"messages": [("human", "Weather and time in Paris?")]}
    )
    check_agent_run(result["messages"], emulator)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("factory", ["langgraph", "langchain"])
def test_agent_loop_streaming_tokens(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, factory: str
) -> None:
    agent_script(emulator)
    agent = make_agent(factory, model)
    inputs = {"messages": [("human", "Weather and time in Paris?")]}
    if mode == "sync":
        items = list(agent.stream(inputs, stream_mode=["messages", "values"]))
    else:

        async def collect() -> list[Any]:
            return [
                item async for item in agent.astream(inputs, stream_mode=["messages", "values"])
            ]

        items = asyncio.run(collect())
    tokens = [
        chunk.content
        for kind, (chunk, _meta) in (i for i in items if i[0] == "messages")
        if isinstance(chunk, AIMessageChunk)
    ]
    assert "".join(str(t) for t in tokens).endswith("it is 14:05 there.")
    final = next(payload for kind, payload in reversed(items) if kind == "values")
    check_agent_run(final["messages"], emulator)
    assert all(r.query == {"isStreaming": "true"} for r in emulator.requests if r.route == "chat")


# -- validated the way the user's schema validates ------------------------------------------


class Age(BaseModel):
    """A person's age."""

    name: str
    age: int


AGE_SCHEMA = {
    "title": "Age",
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
LAX = '{"name": "Ada", "age": "36"}'  # pydantic coerces "36"; a JSON schema refuses it


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
def test_a_value_pydantic_accepts_is_not_re_prompted(
    mode: str,
    model: ChatOneMinAI,
    emulator: OneMinAIEmulator,
    method: Literal["json_schema", "function_calling"],
) -> None:
    if method == "function_calling":
        emulator.script_chat(
            json.dumps({"tool_calls": [{"name": "Age", "arguments": json.loads(LAX)}]})
        )
    else:
        emulator.script_chat(LAX)
    result = invoke(mode, model.with_structured_output(Age, method=method), "How old is Ada?")
    assert result == Age(name="Ada", age=36)
    assert len(prompts(emulator)) == 1  # one paid call, no repair


def test_a_json_schema_is_still_strict(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(LAX)
    emulator.script_chat('{"name": "Ada", "age": 36}')
    result = invoke(mode, model.with_structured_output(AGE_SCHEMA), "How old is Ada?")
    assert result == {"name": "Ada", "age": 36}
    _, repair = prompts(emulator)
    assert "$.age: expected integer, got string" in repair


def test_a_pydantic_tool_is_validated_by_pydantic(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    @tool(args_schema=Age)
    def remember_age(name: str, age: int) -> str:
        """Remember someone's age."""
        return f"{name} is {age}"

    emulator.script_chat(
        json.dumps({"tool_calls": [{"name": "remember_age", "arguments": json.loads(LAX)}]})
    )
    message = invoke(mode, model.bind_tools([remember_age], tool_choice="any"), "Ada is 36")
    assert [c["args"] for c in message.tool_calls] == [{"name": "Ada", "age": "36"}]
    assert message.invalid_tool_calls == []
    assert len(prompts(emulator)) == 1
    assert remember_age.invoke(message.tool_calls[0]["args"]) == "Ada is 36"


def test_the_unscripted_emulator_answers_structured_output_validly(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    # The demo-style path works offline: no script, a valid (labelled) instance comes back.
    result = invoke(mode, model.with_structured_output(Age), "How old is Ada?")
    assert isinstance(result, Age)
    assert len(prompts(emulator)) == 1


# -- issue 15: what a real model did (tests/unit_tests/data/generations), end to end ----------

GENERATIONS = json.loads(
    (Path(__file__).parents[1] / "unit_tests/data/generations/qwen2.5-coder-1.5b.json").read_text(
        encoding="utf-8"
    )
)
REAL = {g["id"]: g["reply"] for g in GENERATIONS["generations"]}
PARIS_HISTORY = [
    HumanMessage("What's the weather in Paris?"),
    AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"}]),
    ToolMessage("Sunny and 21 °C in Paris", tool_call_id="call_1", name="get_weather"),
]


JAPAN_HISTORY = [
    HumanMessage("What's the weather in the capital of Japan?"),
    AIMessage("", tool_calls=[{"name": "get_capital", "args": {"country": "Japan"}, "id": "c1"}]),
    ToolMessage("Tokyo", tool_call_id="c1", name="get_capital"),
]


@tool
def get_capital(country: str) -> str:
    """Return the capital city of a country."""
    return "Tokyo"


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_the_next_call_is_kept_and_the_invented_turns_after_it_are_cut(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, how: str
) -> None:
    emulator.script_chat(REAL["next-call-then-invented-turns"])
    bound = model.bind_tools([get_capital, get_weather])
    if how == "invoke":
        message = invoke(mode, bound, JAPAN_HISTORY)
    else:
        message = aggregate(stream(mode, bound, JAPAN_HISTORY))
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("get_weather", {"city": "Tokyo"})
    ]
    assert message.tool_calls[0]["id"] != "call_c2"  # the model's id is not kept
    assert message.content == ""
    assert message.response_metadata["transcript_cut"] == "</assistant"
    (prompt,) = prompts(emulator)  # one request: nothing to repair
    assert prompt.endswith(
        '<tool_result call_id="c1" name="get_capital" status="success">\n'
        "Tokyo\n</tool_result>\n<assistant>\n"
    )


def aggregate(chunks: list[Any]) -> AIMessageChunk:
    full: AIMessageChunk = chunks[0]
    for chunk in chunks[1:]:
        full += chunk
    return full


def test_a_schema_invalid_call_is_invalid_in_a_stream_as_in_invoke(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    # The model copied the tool's JSON schema into "arguments" (and again when repaired).
    for _ in range(4):
        emulator.script_chat(REAL["schema-as-arguments"])
    invoked = invoke(mode, model.bind_tools(TOOLS), "What's the weather in Paris?")
    streamed = aggregate(stream(mode, model.bind_tools(TOOLS), "What's the weather in Paris?"))
    for message in (invoked, streamed):
        assert message.tool_calls == []
        assert [c["name"] for c in message.invalid_tool_calls] == ["get_weather"]
        assert message.content == ""
    raw = invoked.invalid_tool_calls[0]["args"]
    assert json.loads(raw) == {
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "type": "object",
    }
    # A stream carries them as a JSON string of the text (see invalid_call_args), or
    # LangChain's aggregation would read the object back as a valid call.
    assert json.loads(streamed.invalid_tool_calls[0]["args"] or "") == raw
    assert invoked.invalid_tool_calls[0]["error"]


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_a_reply_that_goes_on_writing_the_transcript_is_cut(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, how: str
) -> None:
    answer = "It is sunny and 21 °C in Paris."
    emulator.script_chat(f"{answer}\n\n{REAL['transcript-after-result']}")
    bound = model.bind_tools(TOOLS)
    if how == "invoke":
        message = invoke(mode, bound, PARIS_HISTORY)
    else:
        message = aggregate(stream(mode, bound, PARIS_HISTORY))
    assert message.content == answer
    assert message.tool_calls == [] and message.invalid_tool_calls == []  # no invented call
    assert message.response_metadata["transcript_cut"] == "<conversation"
    assert len(prompts(emulator)) == 1


def test_a_reply_that_is_only_transcript_is_asked_again(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(REAL["transcript-after-result"])
    emulator.script_chat("It is sunny and 21 °C in Paris.")
    message = invoke(mode, model.bind_tools(TOOLS), PARIS_HISTORY)
    assert message.content == "It is sunny and 21 °C in Paris."
    first, repair = prompts(emulator)
    assert first.endswith("</tool_result>\n<assistant>\n")
    assert "<previous_reply>" not in repair  # nothing of the invented transcript is quoted
    assert "went on writing the conversation transcript (<conversation>)" in repair


def test_stop_sequences_cut_the_reply_before_a_repair_is_considered(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat('Sunny.\nObservation: {"tool_calls": [{"name": "nope", "arguments": {}}]}')
    message = invoke(mode, model.bind_tools(TOOLS, stop=["Observation:"]), "Weather?")
    assert message.content == "Sunny."
    assert message.invalid_tool_calls == []
    assert len(prompts(emulator)) == 1  # the invalid call was past the stop: no repair


def test_a_repair_quotes_only_the_failing_call(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    bad = '{"tool_calls": [{"name": "get_weather", "arguments": {"town": "Paris"}}]}'
    emulator.script_chat(f"Let me look that up for you, it will take a second.\n{bad}")
    emulator.script_chat(CALL)
    message = invoke(mode, model.bind_tools(TOOLS), "Weather in Paris?")
    assert [c["args"] for c in message.tool_calls] == [{"city": "Paris"}]
    first, repair = prompts(emulator)
    assert repair.startswith(f"{first}\n\n<previous_reply>\n{bad}\n</previous_reply>\n\n")
    assert "take a second" not in repair


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_parallel_tool_calls_false_returns_one_call(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, how: str
) -> None:
    emulator.script_chat(
        '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}, '
        '{"name": "get_weather", "arguments": {"city": "London"}}]}'
    )
    bound = model.bind_tools(TOOLS, parallel_tool_calls=False)
    question = "Weather in Paris and London?"
    message = (
        invoke(mode, bound, question)
        if how == "invoke"
        else aggregate(stream(mode, bound, question))
    )
    assert [c["args"] for c in message.tool_calls] == [{"city": "Paris"}]
    dropped = message.response_metadata["dropped_tool_calls"]
    assert [c["args"] for c in dropped] == [{"city": "London"}]
    assert "at most one call per reply" in prompts(emulator)[0]


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_a_replayed_call_is_not_run_again(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, how: str
) -> None:
    # The model copies the answered call, id and all, from the transcript ...
    replay = (
        '{"tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]}'
    )
    emulator.script_chat(replay)
    emulator.script_chat("It is sunny and 21 °C in Paris.")  # ... and answers when told
    bound = model.bind_tools(TOOLS)
    if how == "invoke":
        message = invoke(mode, bound, PARIS_HISTORY)
    else:
        message = aggregate(stream(mode, bound, PARIS_HISTORY))
    assert message.tool_calls == []
    assert message.content == "It is sunny and 21 °C in Paris."
    _, repair = prompts(emulator)
    assert f"<previous_reply>\n{replay}\n</previous_reply>" in repair
    assert "was already made" in repair


def test_an_agent_does_not_loop_on_a_replayed_call(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    from langgraph.graph import START, MessagesState, StateGraph
    from langgraph.prebuilt import ToolNode, tools_condition

    runs: list[str] = []

    @tool("get_weather")
    def counted_weather(city: str) -> str:
        """Get the current weather for a city."""
        runs.append(city)
        return f"Sunny and 21 °C in {city}"

    emulator.script_chat(CALL)
    emulator.script_chat(CALL)  # the same call again, after its result
    emulator.script_chat("It is sunny and 21 °C in Paris.")
    bound = model.bind_tools([counted_weather])
    graph = StateGraph(MessagesState)
    graph.add_node("agent", lambda state: {"messages": [bound.invoke(state["messages"])]})
    graph.add_node("tools", ToolNode([counted_weather]))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    state = graph.compile().invoke({"messages": [HumanMessage("Weather in Paris?")]})
    assert runs == ["Paris"]
    assert state["messages"][-1].content == "It is sunny and 21 °C in Paris."
