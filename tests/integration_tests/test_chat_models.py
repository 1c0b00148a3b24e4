"""ChatOneMinAI against the emulator: the exact prompt and attachments that go out, and the
exact message that comes back, for invoke and stream, sync and async."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from langchain_oneminai import ChatOneMinAI
from langchain_oneminai.emulator import Fault, OneMinAIEmulator, ScriptedReply
from langchain_oneminai.errors import InvalidInputError, StreamError, UnsupportedModelError
from tests.helpers import FAST_RETRIES, sent_headers

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
PNG_B64 = base64.b64encode(PNG).decode()
PDF = b"%PDF-1.4\n% test document\n"


@pytest.fixture
def model(emulator: OneMinAIEmulator) -> ChatOneMinAI:
    return ChatOneMinAI(
        model="gpt-4o-mini",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        asset_base_url=emulator.asset_base_url,
    )


def invoke(mode: str, llm: Any, value: Any, **kwargs: Any) -> Any:
    if mode == "sync":
        return llm.invoke(value, **kwargs)
    return asyncio.run(llm.ainvoke(value, **kwargs))


def stream(mode: str, llm: Any, value: Any, **kwargs: Any) -> list[AIMessageChunk]:
    if mode == "sync":
        return list(llm.stream(value, **kwargs))

    async def collect() -> list[AIMessageChunk]:
        return [chunk async for chunk in llm.astream(value, **kwargs)]

    return asyncio.run(collect())


def chat_requests(emulator: OneMinAIEmulator) -> list[Any]:
    return [r for r in emulator.requests if r.route == "chat"]


def prompt_of(emulator: OneMinAIEmulator, index: int = -1) -> str:
    return str(chat_requests(emulator)[index].json["promptObject"]["prompt"])


CONVERSATION: list[BaseMessage] = [
    SystemMessage("You are terse."),
    HumanMessage("Hi, I am Ana.", name="ana"),
    AIMessage("Hello Ana."),
    HumanMessage("What is my name?"),
]
EXPECTED_PROMPT = (
    "<system>\nYou are terse.\n</system>\n\n"
    '<conversation>\n<user name="ana">\nHi, I am Ana.\n</user>\n<assistant>\nHello Ana.\n</assistant>\n</conversation>\n\n'
    "What is my name?"
)


def test_invoke_sends_the_rendered_transcript(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("Ana.")
    message = invoke(mode, model, CONVERSATION)
    assert isinstance(message, AIMessage)
    assert message.content == "Ana."
    (request,) = emulator.requests
    assert request.path == "/api/chat-with-ai"
    assert request.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": EXPECTED_PROMPT},
    }
    assert sent_headers(request)["API-KEY"] == "<redacted>"
    assert message.response_metadata["model_name"] == "gpt-4o-mini"
    assert message.response_metadata["model_provider"] == "oneminai"
    assert message.response_metadata["ai_record_id"] == message.id
    assert message.usage_metadata is None


def test_stream_sends_the_same_prompt_and_yields_each_delta(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["An", "a."]))
    chunks = stream(mode, model, CONVERSATION)
    assert [c.content for c in chunks] == ["An", "a.", ""]
    assert chunks[-1].chunk_position == "last"
    assert [c.response_metadata.get("model_name") for c in chunks] == [None, None, "gpt-4o-mini"]
    full = chunks[0] + chunks[1] + chunks[2]
    assert full.content == "Ana."
    assert full.response_metadata["model_name"] == "gpt-4o-mini"
    (request,) = emulator.requests
    assert request.query == {"isStreaming": "true"}
    assert request.json["promptObject"]["prompt"] == EXPECTED_PROMPT


def test_usage_metadata_only_when_the_record_reports_it(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.settings.record_token_usage = True
    emulator.settings.record_credit = True
    message = invoke(mode, model, "one two three")
    assert message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == 3
    assert (
        message.usage_metadata["total_tokens"]
        == message.usage_metadata["input_tokens"] + message.usage_metadata["output_tokens"]
    )
    assert isinstance(message.response_metadata["credits"], int | float)
    chunks = stream(mode, model, "one two three")
    assert [c.usage_metadata is not None for c in chunks].count(True) == 1


def test_model_override_reaches_the_payload_and_metadata(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    message = invoke(mode, model, "hi", model="claude-sonnet-4-6")
    assert emulator.requests[-1].json["model"] == "claude-sonnet-4-6"
    assert message.response_metadata["model_name"] == "claude-sonnet-4-6"
    chunks = stream(mode, model, "hi", model="gpt-4o")
    assert emulator.requests[-1].json["model"] == "gpt-4o"
    assert chunks[-1].response_metadata["model_name"] == "gpt-4o"


def test_per_call_settings_and_accepted_but_unsent_params(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    tuned = ChatOneMinAI(
        model="gpt-4o-mini",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        temperature=0.2,
        max_tokens=50,
        web_search=True,
    )
    invoke(mode, tuned, "news?", num_of_site=2, brand_voice_id="bv-1")
    assert emulator.requests[-1].json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {
            "prompt": "news?",
            "settings": {"webSearchSettings": {"webSearch": True, "numOfSite": 2}},
        },
        "brandVoiceId": "bv-1",
    }


def test_unknown_kwargs_and_bad_messages_send_nothing(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(InvalidInputError, match="temprature"):
        invoke(mode, model, "hi", temprature=0.3)
    with pytest.raises(InvalidInputError, match="empty"):
        invoke(mode, model, [HumanMessage("")])
    with pytest.raises(InvalidInputError, match="audio"):
        invoke(
            mode,
            model,
            [HumanMessage(content=[{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}])],
        )
    assert emulator.requests == []


def test_unsupported_model_surfaces_as_a_typed_error(mode: str, model: ChatOneMinAI) -> None:
    with pytest.raises(UnsupportedModelError, match="gpt-4o-mini"):
        invoke(mode, model, "hi", model="gpt-4o-mni")


# -- stop sequences ---------------------------------------------------------------------


def test_stop_sequence_cuts_invoke(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat("Thank you very much")
    message = invoke(mode, model, "hi", stop=["you"])
    assert message.content == "Thank "
    assert message.response_metadata["stop_sequence"] == "you"
    assert "stop" not in str(emulator.requests[0].json)  # applied client-side: nothing sent


def test_stop_sequence_split_across_chunks_stops_the_stream(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Thank ", "yo", "u very ", "much"]))
    chunks = stream(mode, model, "hi", stop=["you"])
    assert "".join(str(c.content) for c in chunks) == "Thank "
    assert chunks[-1].chunk_position == "last"
    assert chunks[-1].response_metadata["stop_sequence"] == "you"


def test_stop_from_the_constructor(mode: str, emulator: OneMinAIEmulator) -> None:
    emulator.script_chat("one. two. three.")
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url, stop=[" two"])
    assert invoke(mode, model, "count").content == "one."


# -- stream quirks ----------------------------------------------------------------------


def test_duplicated_final_content_is_not_doubled(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Hello ", "world"]))
    emulator.add_fault(Fault(duplicate_final_content=True), route="chat")
    chunks = stream(mode, model, "hi")
    assert "".join(str(c.content) for c in chunks) == "Hello world"


def test_mid_stream_error_raises_after_the_delivered_text(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["Hello ", "there ", "friend"]))
    emulator.add_fault(Fault(error_event_after=2), route="chat")
    received: list[str] = []
    with pytest.raises(StreamError, match="Emulated mid-stream error"):
        if mode == "sync":
            received.extend(str(c.content) for c in model.stream("hi"))
        else:

            async def collect() -> None:
                async for c in model.astream("hi"):
                    received.append(str(c.content))

            asyncio.run(collect())
    assert "".join(received) == "Hello there "


# -- images and documents ---------------------------------------------------------------


def image_message(*blocks: dict[str, Any], text: str = "What is this?") -> HumanMessage:
    return HumanMessage(content=[{"type": "text", "text": text}, *blocks])


def test_base64_image_is_uploaded_and_attached(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    invoke(
        mode, model, [image_message({"type": "image", "base64": PNG_B64, "mime_type": "image/png"})]
    )
    upload, chat = [r for r in emulator.requests if r.route in ("assets", "chat")]
    assert upload.form is not None
    assert [(p.name, p.filename, p.content_type, p.size) for p in upload.form] == [
        ("asset", "upload.png", "image/png", len(PNG))
    ]
    (key,) = [k for k in emulator.assets if k.startswith("images/")]
    assert chat.json["promptObject"] == {
        "prompt": "What is this?\n[image 1]",
        "attachments": {"images": [key]},
    }


def test_data_uri_image_url_part(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    part = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}}
    invoke(mode, model, [image_message(part)])
    (key,) = [k for k in emulator.assets if k.startswith("images/")]
    assert chat_requests(emulator)[0].json["promptObject"]["attachments"] == {"images": [key]}


def test_image_by_url_is_fetched_and_reuploaded(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    hosted = model._client().upload_asset(PNG, filename="hosted.png")
    url = f"{emulator.asset_base_url}/{hosted.path}"
    emulator.clear_requests()
    invoke(mode, model, [image_message({"type": "image", "url": url})])
    download, upload, chat = emulator.requests[-3:]
    assert (download.route, download.path) == ("download", f"/asset-host/{hosted.path}")
    assert upload.route == "assets"
    assert upload.form is not None and upload.form[0].filename == hosted.path.rsplit("/", 1)[-1]
    images = chat.json["promptObject"]["attachments"]["images"]
    assert len(images) == 1 and images[0] != hosted.path and images[0].endswith("_hosted.png")


def test_an_image_in_a_ten_turn_chat_is_uploaded_once(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    history: list[BaseMessage] = [
        image_message(
            {"type": "image", "base64": PNG_B64, "mime_type": "image/png"}, text="Remember this"
        )
    ]
    for turn in range(10):
        history.append(invoke(mode, model, history))
        history.append(HumanMessage(f"turn {turn}"))
    assert [r.route for r in emulator.requests].count("assets") == 1
    chats = chat_requests(emulator)
    assert len(chats) == 10
    assert len({tuple(c.json["promptObject"]["attachments"]["images"]) for c in chats}) == 1


def test_pdf_goes_to_files_by_uuid(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    block = {
        "type": "file",
        "base64": base64.b64encode(PDF).decode(),
        "mime_type": "application/pdf",
        "filename": "report.pdf",
    }
    invoke(mode, model, [image_message(block, text="Summarise")])
    upload = next(r for r in emulator.requests if r.route == "assets")
    assert upload.form is not None and upload.form[0].filename == "report.pdf"
    chat = chat_requests(emulator)[0]
    (file_id,) = chat.json["promptObject"]["attachments"]["files"]
    assert len(file_id) == 36  # fileContent.uuid, not the path
    assert chat.json["promptObject"]["prompt"] == "Summarise\n[file 1: report.pdf]"


def test_text_only_model_refuses_images_before_uploading(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(InvalidInputError, match="cannot see images"):
        invoke(
            mode,
            model,
            [image_message({"type": "image", "base64": PNG_B64, "mime_type": "image/png"})],
            model="o3-mini",
        )
    assert [r.route for r in emulator.requests] == [
        "models"
    ]  # the catalog was read; nothing uploaded


# -- conversation mode ------------------------------------------------------------------


def test_conversation_mode_sends_only_the_new_turn(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    thread = (
        model.with_conversation("Names")
        if mode == "sync"
        else asyncio.run(model.awith_conversation("Names"))
    )
    conversation_id = thread.conversation_id
    assert conversation_id in emulator.conversations
    emulator.clear_requests()
    history: list[BaseMessage] = [SystemMessage("Be brief."), HumanMessage("I am Ana.")]
    history.append(invoke(mode, thread, history))
    history.append(HumanMessage("Who am I?"))
    invoke(mode, thread, history)
    first, second = (r.json["promptObject"] for r in chat_requests(emulator))
    assert first == {
        "prompt": "<system>\nBe brief.\n</system>\n\nI am Ana.",
        "conversationId": conversation_id,
    }
    assert second == {"prompt": "Who am I?", "conversationId": conversation_id}
    assert conversation_id is not None
    assert [turn["prompt"] for turn in emulator.conversations[conversation_id]["turns"]] == [
        first["prompt"],
        "Who am I?",
    ]


def test_conversation_mode_sends_the_system_text_once_per_thread(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    thread = model.with_conversation(
        conversation_id=model._client().create_conversation("T", "gpt-4o-mini").uuid
    )
    emulator.clear_requests()
    for question in ("one?", "two?"):
        invoke(mode, thread, [SystemMessage("Be brief."), HumanMessage(question)])
    prompts = [r.json["promptObject"]["prompt"] for r in chat_requests(emulator)]
    assert prompts == ["<system>\nBe brief.\n</system>\n\none?", "two?"]


def test_conversation_id_per_call(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    conversation = model._client().create_conversation("Per call", "gpt-4o-mini")
    invoke(mode, model, "hello", conversation_id=conversation.uuid)
    assert emulator.requests[-1].json["promptObject"]["conversationId"] == conversation.uuid


# -- LCEL, batch, events ----------------------------------------------------------------


def test_lcel_chain_batch_and_abatch(model: ChatOneMinAI, emulator: OneMinAIEmulator) -> None:
    chain = (
        ChatPromptTemplate.from_messages([("system", "Translate to {lang}."), ("human", "{text}")])
        | model
        | StrOutputParser()
    )
    outputs = chain.batch([{"lang": "French", "text": "cat"}, {"lang": "German", "text": "dog"}])
    assert all(isinstance(o, str) and "emulator" in o for o in outputs)
    outputs = asyncio.run(chain.abatch([{"lang": "Italian", "text": "bird"}]))
    prompts = sorted(r.json["promptObject"]["prompt"] for r in chat_requests(emulator))
    assert prompts == [
        "<system>\nTranslate to French.\n</system>\n\ncat",
        "<system>\nTranslate to German.\n</system>\n\ndog",
        "<system>\nTranslate to Italian.\n</system>\n\nbird",
    ]


async def test_astream_events_yields_token_events(
    model: ChatOneMinAI, emulator: OneMinAIEmulator
) -> None:
    emulator.script_chat(ScriptedReply(chunks=["a", "b", "c"]))
    tokens = [
        event["data"]["chunk"].content
        async for event in model.astream_events("hi", version="v2")
        if event["event"] == "on_chat_model_stream"
    ]
    assert tokens == ["a", "b", "c", ""]


def test_streaming_flag_makes_invoke_stream(emulator: OneMinAIEmulator) -> None:
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url, streaming=True)
    emulator.script_chat(ScriptedReply(chunks=["x", "y"]))
    assert model.invoke("hi").content == "xy"
    assert emulator.requests[0].query == {"isStreaming": "true"}


def test_shared_client_is_used(emulator: OneMinAIEmulator) -> None:
    from tests.helpers import emulator_client

    client = emulator_client(emulator)
    model = ChatOneMinAI(client=client)
    assert model.invoke("hi").content
    assert model._client() is client
    assert FAST_RETRIES.max_retries == client.max_retries
