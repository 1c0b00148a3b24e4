"""Prompt rendering, attachments, stop sequences and record conversion (pure)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_oneminai._chat._attachments import Attachment
from langchain_oneminai._chat._output import StopFilter, cut_at_stop
from langchain_oneminai._chat._prompt import (
    render_prompt,
    select_turn_messages,
)
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.errors import InvalidInputError

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
PNG_B64 = base64.b64encode(PNG).decode()


def test_a_lone_user_message_is_sent_as_is() -> None:
    assert render_prompt([HumanMessage("Hello")]).text == "Hello"


def test_system_and_multi_turn_transcript() -> None:
    prompt = render_prompt(
        [
            SystemMessage("You are terse."),
            HumanMessage("Hi"),
            AIMessage("Hello! How can I help?"),
            HumanMessage("Name a prime."),
        ]
    ).text
    assert prompt == (
        "<system>\nYou are terse.\n</system>\n\n"
        "<conversation>\n<user>\nHi\n</user>\n<assistant>\nHello! How can I help?\n</assistant>\n</conversation>\n\n"
        "Name a prime."
    )


def test_consecutive_same_role_messages_are_merged_and_systems_joined() -> None:
    prompt = render_prompt(
        [
            SystemMessage("Rule one."),
            SystemMessage("Rule two."),
            HumanMessage("a"),
            HumanMessage("b"),
            AIMessage("c"),
            AIMessage("d"),
            HumanMessage("e"),
        ]
    ).text
    assert prompt == (
        "<system>\nRule one.\n\nRule two.\n</system>\n\n"
        "<conversation>\n<user>\na\n\nb\n</user>\n<assistant>\nc\n\nd\n</assistant>\n</conversation>\n\n"
        "e"
    )


def test_names_are_kept() -> None:
    prompt = render_prompt(
        [
            HumanMessage("hi", name="alice"),
            AIMessage("hey"),
            HumanMessage("hello", name="example_user"),
        ]
    ).text
    assert '<user name="alice">\nhi\n</user>' in prompt
    assert prompt.endswith("\n\nexample_user: hello")


def test_v1_ai_content_blocks_are_read_by_their_text() -> None:
    ai = AIMessage(
        content=[{"type": "reasoning", "reasoning": "hmm"}, {"type": "text", "text": "Answer."}]
    )
    prompt = render_prompt([HumanMessage("q"), ai, HumanMessage("again")]).text
    assert "<assistant>\nAnswer.\n</assistant>" in prompt
    assert "hmm" not in prompt


def test_tool_calls_and_results_are_rendered_in_the_protocol_format() -> None:
    ai = AIMessage(
        "", tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"}]
    )
    tool = ToolMessage('{"temp": 21}', tool_call_id="call_1", name="get_weather")
    prompt = render_prompt([HumanMessage("Weather in Paris?"), ai, tool]).text
    assert '"name": "get_weather"' in prompt
    assert '<tool_result call_id="call_1" name="get_weather" status="success">' in prompt
    # No closing text: the conversation stays open on the assistant's turn.
    assert prompt.endswith(
        '<tool_result call_id="call_1" name="get_weather" status="success">\n{"temp": 21}\n'
        "</tool_result>\n<assistant>\n"
    )
    assert "</conversation>" not in prompt


def test_blocks_for_tools_and_format_go_between_system_and_history() -> None:
    prompt = render_prompt(
        [SystemMessage("S"), HumanMessage("Q")],
        tools_block="<tools>\nT\n</tools>",
        format_block="<response_format>F</response_format>",
    ).text
    assert (
        prompt
        == "<system>\nS\n</system>\n\n<tools>\nT\n</tools>\n\n<response_format>F</response_format>\n\nQ"
    )


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ([], "No messages"),
        ([HumanMessage("")], "empty"),
        ([HumanMessage("   ")], "empty"),
        ([SystemMessage("only rules")], "Only system"),
        ([HumanMessage("q"), AIMessage("a"), HumanMessage("")], "latest user message is empty"),
        ([FunctionMessage(content="x", name="f")], "cannot send a FunctionMessage"),
        ([ChatMessage(content="x", role="critic")], "role 'critic'"),
        (
            [HumanMessage(content=[{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}])],
            "audio",
        ),
        ([HumanMessage(content=[{"type": "video", "url": "https://x/v.mp4"}])], "video"),
        ([HumanMessage(content=[{"type": "hologram"}])], "hologram"),
        (
            [
                HumanMessage(
                    content=[{"type": "image", "base64": "not base64!!", "mime_type": "image/png"}]
                )
            ],
            "base64",
        ),
        ([HumanMessage(content=[{"type": "image"}])], "no base64, url or file_id"),
        (
            [HumanMessage(content=[{"type": "image_url", "image_url": {"url": "ftp://x/y.png"}}])],
            "http",
        ),
        (
            [
                SystemMessage(content=[{"type": "image", "url": "https://x/y.png"}]),
                HumanMessage("q"),
            ],
            "user message",
        ),
    ],
)
def test_bad_input_is_refused_before_sending(messages, error) -> None:
    with pytest.raises(InvalidInputError, match=error):
        render_prompt(messages)


def test_chat_message_roles_map() -> None:
    prompt = render_prompt(
        [ChatMessage(content="rules", role="system"), ChatMessage(content="hi", role="user")]
    ).text
    assert prompt == "<system>\nrules\n</system>\n\nhi"


def test_images_and_files_become_markers_and_attachments() -> None:
    message = HumanMessage(
        content=[
            {"type": "text", "text": "Compare these"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}},
            {"type": "image", "url": "https://example.com/cat.jpg"},
            {"type": "image", "base64": PNG_B64, "mime_type": "image/png"},
            {"type": "image", "file_id": "images/2024_x.png"},
            {
                "type": "file",
                "base64": base64.b64encode(b"%PDF-1.4").decode(),
                "mime_type": "application/pdf",
                "filename": "report.pdf",
            },
            {
                "type": "file",
                "file": {
                    "filename": "notes.pdf",
                    "file_data": f"data:application/pdf;base64,{base64.b64encode(b'%PDF').decode()}",
                },
            },
        ]
    )
    prompt = render_prompt([message])
    assert (
        prompt.text
        == "Compare these\n[image 1]\n[image 2]\n[image 3]\n[image 4]\n[file 1: report.pdf]\n[file 2: notes.pdf]"
    )
    assert prompt.attachments == (
        Attachment("image", "image 1", data=PNG, mime_type="image/png"),
        Attachment("image", "image 2", url="https://example.com/cat.jpg", filename="cat.jpg"),
        Attachment("image", "image 3", data=PNG, mime_type="image/png"),
        Attachment("image", "image 4", asset_ref="images/2024_x.png"),
        Attachment(
            "file", "file 1", data=b"%PDF-1.4", mime_type="application/pdf", filename="report.pdf"
        ),
        Attachment(
            "file", "file 2", data=b"%PDF", mime_type="application/pdf", filename="notes.pdf"
        ),
    )
    assert prompt.has_images


def test_text_plain_blocks_are_inlined() -> None:
    block = {
        "type": "text-plain",
        "text": "Chapter one.",
        "mime_type": "text/plain",
        "title": "book.txt",
    }
    assert (
        render_prompt([HumanMessage(content=["Summarise", block])]).text
        == "Summarise\n[document: book.txt]\nChapter one."
    )


# -- conversation mode ------------------------------------------------------------------


def test_stateless_mode_sends_everything() -> None:
    messages = [SystemMessage("S"), HumanMessage("a"), AIMessage("b"), HumanMessage("c")]
    assert (
        select_turn_messages(messages, conversation_mode=False, system_already_sent=False)
        == messages
    )


def test_conversation_mode_sends_only_the_new_turn() -> None:
    messages = [
        SystemMessage("S"),
        HumanMessage("a"),
        AIMessage("b"),
        HumanMessage("c"),
        HumanMessage("d"),
    ]
    assert (
        select_turn_messages(messages, conversation_mode=True, system_already_sent=False)
        == messages[3:]
    )


def test_conversation_mode_sends_system_on_the_first_turn_only() -> None:
    messages = [SystemMessage("S"), HumanMessage("a")]
    assert (
        select_turn_messages(messages, conversation_mode=True, system_already_sent=False)
        == messages
    )
    assert select_turn_messages(messages, conversation_mode=True, system_already_sent=True) == [
        messages[1]
    ]


# -- stop sequences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stop", "expected"),
    [
        ("Hello you there", ["you"], ("Hello ", "you")),
        ("a b c", ["c", "b"], ("a ", "b")),
        ("abc", [], ("abc", None)),
        ("abc", None, ("abc", None)),
        ("abc", [""], ("abc", None)),
    ],
)
def test_cut_at_stop(text, stop, expected) -> None:
    assert cut_at_stop(text, stop) == expected


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("Hello you there", ["you"]),
        ("one END two", ["END", "ENDING"]),
        ("no stop here", ["xyz"]),
        ("almost EN", ["END"]),
        ("ééé STÖP ü", ["STÖP"]),
    ],
)
def test_stop_filter_matches_cut_at_stop_for_every_split(text, stop) -> None:
    expected, matched = cut_at_stop(text, stop)
    for size in (1, 2, 3, len(text)):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        stop_filter = StopFilter(stop)
        out = "".join(stop_filter.feed(p) for p in pieces) + stop_filter.flush()
        assert out == expected
        assert stop_filter.stopped == matched


# -- records -> messages ----------------------------------------------------------------


def record(**fields) -> AIRecord:
    base = {
        "uuid": "rec-1",
        "model": "gpt-4o-mini",
        "status": "SUCCESS",
        "conversationId": None,
        "aiRecordDetail": {"resultObject": ["Hello there, you!"]},
    }
    return AIRecord.model_validate({**base, **fields})


def message_from_record(record: AIRecord, model: str, stop: list[str] | None = None) -> Any:
    """The AIMessage ``invoke`` makes of a record (what ChatOneMinAI._generate returns)."""
    from langchain_oneminai._chat._assemble import message_from_reply
    from langchain_oneminai._chat._plan import plan_call

    plan = plan_call(
        [HumanMessage("Hi")],
        defaults={"model_name": model, "stop": stop},
        kwargs={},
        stop=None,
        systems_sent=set(),
    )
    return message_from_reply(plan, record)


def test_message_from_record() -> None:
    message = message_from_record(record(), model="gpt-4o-mini")
    assert message.content == "Hello there, you!"
    assert message.id == "rec-1"
    assert message.response_metadata == {
        "model_name": "gpt-4o-mini",
        "model_provider": "oneminai",
        "ai_record_id": "rec-1",
        "status": "SUCCESS",
    }
    assert message.usage_metadata is None


def test_message_from_record_with_usage_credits_and_stop() -> None:
    message = message_from_record(
        record(
            metadata={"inputToken": 5, "outputToken": 4, "totalToken": 9},
            credit=120,
            conversationId="c-9",
        ),
        model="gpt-4o-mini",
        stop=["you"],
    )
    assert message.content == "Hello there, "
    assert message.usage_metadata == {"input_tokens": 5, "output_tokens": 4, "total_tokens": 9}
    assert message.response_metadata["credits"] == 120
    assert message.response_metadata["conversation_id"] == "c-9"
    assert message.response_metadata["stop_sequence"] == "you"


def test_media_in_tool_results_is_referred_to_not_attached() -> None:
    tool = ToolMessage(
        content=[
            {"type": "text", "text": "Generated 1 image."},
            {"type": "image", "url": "https://asset.1min.ai/images/cat.png"},
            {
                "type": "file",
                "url": "https://asset.1min.ai/audios/hi.wav",
                "mime_type": "audio/wav",
            },
            {"type": "image", "base64": PNG_B64, "mime_type": "image/png"},
        ],
        tool_call_id="call_1",
        name="draw",
    )
    ai = AIMessage("", tool_calls=[{"name": "draw", "args": {}, "id": "call_1"}])
    prompt = render_prompt([HumanMessage("Draw"), ai, tool])
    assert prompt.attachments == ()
    assert (
        '<tool_result call_id="call_1" name="draw" status="success">\n'
        "Generated 1 image.\n[image: https://asset.1min.ai/images/cat.png]\n"
        "[file: https://asset.1min.ai/audios/hi.wav]\n[image: image/png, 16 bytes, not shown]\n</tool_result>"
    ) in prompt.text


# -- issue 15: the prompt after tool results, replies cut and judged as returned ------------


def _plan(messages: list[Any], **kwargs: Any) -> Any:
    from langchain_oneminai._chat._plan import plan_call

    defaults = {"model_name": "gpt-4o-mini", "stop": None, "max_tool_repairs": 1}
    return plan_call(messages, defaults=defaults, kwargs=kwargs, stop=None, systems_sent=set())


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
ROME = [
    HumanMessage("What's the weather like in Rome right now?"),
    AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Rome"}, "id": "call_w1"}]),
    ToolMessage("Clear sky, 24 °C", tool_call_id="call_w1"),
]


@pytest.mark.parametrize("choice", ["auto", "none", "any", "get_weather"])
def test_after_tool_results_the_assistant_turn_is_left_open(choice: str) -> None:
    plan = _plan(ROME, tools=[WEATHER_TOOL], tool_choice=choice)
    assert plan.prompt.text.endswith(
        '<tool_result call_id="call_w1" status="success">\nClear sky, 24 °C\n</tool_result>\n'
        "<assistant>\n"
    )
    assert plan.prompt.text.count("<conversation>") == 1
    assert "</conversation>" not in plan.prompt.text
    # What the tool choice asks is said in the <tools> block, before the conversation.
    assert plan.prompt.text.index("</tools>") < plan.prompt.text.index("<conversation>")


def test_the_open_turn_is_read_back_as_nothing_the_user_said() -> None:
    from langchain_oneminai._chat._prompt import messages_from_prompt

    prompt = _plan(ROME, tools=[WEATHER_TOOL]).prompt.text
    read = messages_from_prompt(prompt)
    assert [type(m).__name__ for m in read] == ["ToolMessage"]
    # In conversation mode only the results go; a server may strip the last newline.
    turn = render_prompt(ROME[2:]).text
    assert turn == (
        '<conversation>\n<tool_result call_id="call_w1" status="success">\n'
        "Clear sky, 24 °C\n</tool_result>\n<assistant>\n"
    )
    for text in (turn, turn.rstrip("\n")):
        (result,) = messages_from_prompt(text)
        assert isinstance(result, ToolMessage) and result.content == "Clear sky, 24 °C"


def test_an_assistant_turn_last_still_asks_to_continue() -> None:
    prompt = render_prompt([HumanMessage("Count to 3"), AIMessage("1, 2,")]).text
    assert prompt.endswith("</conversation>\n\nContinue the conversation as the assistant.")


@pytest.mark.parametrize(
    ("text", "stop", "transcript", "expected"),
    [
        ("Hi.\n<user>\nmore", None, True, ("Hi.", None, "<user")),
        ("Hi.\n<user>\nmore", None, False, ("Hi.\n<user>\nmore", None, None)),
        ("Hi. END <user>", ["END"], True, ("Hi. ", "END", None)),
        ("Hi. <user> END", ["END"], True, ("Hi.", "END", "<user")),
    ],
)
def test_cut_reply(text: str, stop: list[str] | None, transcript: bool, expected: Any) -> None:
    from langchain_oneminai._chat._output import cut_reply

    assert cut_reply(text, stop, transcript=transcript) == expected
    again = cut_reply(expected[0], stop, transcript=transcript)[0]
    assert again == expected[0]


def test_a_repair_is_judged_on_the_reply_as_cut() -> None:
    from langchain_oneminai._chat._repairs import next_repair

    plan = _plan([HumanMessage("Weather?")], tools=[WEATHER_TOOL])
    past_stop = 'Sunny. STOP {"tool_calls": [{"name": "nope", "arguments": {}}]}'
    assert next_repair(plan, past_stop, 0) is not None  # without the stop: a bad call
    from dataclasses import replace

    assert next_repair(replace(plan, stop=["STOP"]), past_stop, 0) is None
    forced = replace(plan, tool_choice="any", stop=["STOP"])
    prompt = next_repair(forced, "I think it is sunny. STOP and more", 0)
    assert prompt is not None
    assert "<previous_reply>\nI think it is sunny.\n</previous_reply>" in prompt
    assert "and more" not in prompt


def test_the_plan_knows_the_answered_calls_and_the_call_limit() -> None:
    plan = _plan(ROME, tools=[WEATHER_TOOL], parallel_tool_calls=False)
    assert plan.max_calls == 1
    assert [(a.id, a.name, a.current) for a in plan.answered] == [("call_w1", "get_weather", True)]
    assert _plan(ROME, tools=[WEATHER_TOOL]).max_calls is None
    assert _plan(ROME).answered == ()
