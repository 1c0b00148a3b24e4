"""A LangGraph agent with ChatOneMinAI and the toolkit, scripted through the emulator: it
generates an image and reads a sentence aloud, or makes a video and its music, and the files
land on disk where the tool messages say."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from langchain_oneminai import ChatOneMinAI
from langchain_oneminai.emulator import Fault, OneMinAIEmulator
from langchain_oneminai.tools import OneMinAIImageTool, OneMinAIToolkit
from tests.integration_tests.test_tools import png_size

DRAW = (
    '{"tool_calls": [{"name": "oneminai_image_generator", '
    '"arguments": {"prompt": "A lighthouse at dusk", "aspect_ratio": "16:9"}}]}'
)
SPEAK = (
    '{"tool_calls": [{"name": "oneminai_text_to_speech", '
    '"arguments": {"text": "The lighthouse keeps watch over the bay.", "voice": "fable"}}]}'
)
FINAL = "Here is your lighthouse, and I read the sentence aloud."


def make_agent(factory: str, model: ChatOneMinAI, tools: list[Any]) -> Any:
    if factory == "langgraph":
        from langgraph.prebuilt import create_react_agent

        return create_react_agent(model, tools)
    from langchain.agents import create_agent

    return create_agent(model, tools)


def invoke(mode: str, agent: Any, text: str) -> list[Any]:
    inputs = {"messages": [("human", text)]}
    result = agent.invoke(inputs) if mode == "sync" else asyncio.run(agent.ainvoke(inputs))
    return list(result["messages"])


def chat_prompts(emulator: OneMinAIEmulator) -> list[str]:
    return [
        r.json["promptObject"]["prompt"] for r in emulator.requests if r.route == "chat" and r.json
    ]


@pytest.fixture
def model(emulator: OneMinAIEmulator) -> ChatOneMinAI:
    return ChatOneMinAI(model="gpt-4o-mini", api_key=emulator.api_key, base_url=emulator.base_url)


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning"
)  # create_react_agent moved in langgraph 1.x
@pytest.mark.parametrize("factory", ["langgraph", "langchain"])
def test_the_agent_draws_and_speaks_into_files(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, tmp_path: Path, factory: str
) -> None:
    for reply in (DRAW, SPEAK, FINAL):
        emulator.script_chat(reply)
    toolkit = OneMinAIToolkit(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        asset_base_url=emulator.asset_base_url,
        save_dir=tmp_path,
    )
    messages = invoke(
        mode,
        make_agent(factory, model, toolkit.get_tools()),
        "Draw a lighthouse and read a line about it",
    )

    assert [m.type for m in messages] == ["human", "ai", "tool", "ai", "tool", "ai"]
    assert messages[-1].content == FINAL
    drawn, spoken = messages[2], messages[4]
    assert isinstance(drawn, ToolMessage)
    assert isinstance(spoken, ToolMessage)
    assert (drawn.name, drawn.status, spoken.name, spoken.status) == (
        "oneminai_image_generator",
        "success",
        "oneminai_text_to_speech",
        "success",
    )

    (image,) = drawn.artifact["images"]
    picture = Path(image["path"])
    assert picture.parent == tmp_path
    assert png_size(picture.read_bytes()) == (256, 146)  # 1344x768, drawn 256 px wide
    assert drawn.content[1] == {"type": "image", "url": image["url"], "mime_type": "image/png"}
    audio = Path(spoken.artifact["path"])
    assert audio.parent == tmp_path
    with wave.open(str(audio), "rb") as sound:
        assert sound.getnframes() > 0
    assert sorted(tmp_path.iterdir()) == sorted([picture, audio])

    calls = [(r.route, r.json["type"] if r.json else None) for r in emulator.requests]
    assert calls == [
        ("chat", "UNIFY_CHAT_WITH_AI"),
        ("features", "IMAGE_GENERATOR"),
        ("download", None),
        ("chat", "UNIFY_CHAT_WITH_AI"),
        ("features", "TEXT_TO_SPEECH"),
        ("download", None),
        ("chat", "UNIFY_CHAT_WITH_AI"),
    ]
    image_call, speech_call = (r.json for r in emulator.requests if r.route == "features")
    assert image_call == {
        "type": "IMAGE_GENERATOR",
        "model": "stable-diffusion-xl-1024-v1-0",
        "promptObject": {"prompt": "A lighthouse at dusk", "size": "1344x768"},
    }
    assert speech_call == {
        "type": "TEXT_TO_SPEECH",
        "model": "tts-1",
        "conversationId": "TEXT_TO_SPEECH",
        "promptObject": {"text": "The lighthouse keeps watch over the bay.", "voice": "fable"},
    }
    # The model reads each tool's result, with the image's URL, on its next turn.
    last_prompt = chat_prompts(emulator)[-1]
    assert image["url"] in last_prompt
    assert spoken.artifact["url"] in last_prompt


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_agent_recovers_from_a_failed_generation(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, tmp_path: Path
) -> None:
    emulator.add_fault(
        Fault(failed_record=True, failed_message="The model is overloaded"), route="features"
    )
    # The retry differs from the failed call (another model): the chat pipeline treats an
    # identical repeated call as a repeat and asks the model again.
    retry = DRAW.replace('"aspect_ratio": "16:9"', '"model": "dall-e-2"')
    for reply in (DRAW, retry, FINAL):
        emulator.script_chat(reply)
    tool = OneMinAIImageTool(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        asset_base_url=emulator.asset_base_url,
        save_dir=tmp_path,
    )
    messages = invoke(mode, make_agent("langgraph", model, [tool]), "Draw a lighthouse")
    assert [m.type for m in messages] == ["human", "ai", "tool", "ai", "tool", "ai"]
    failed, succeeded = messages[2], messages[4]
    assert failed.status == "error"
    assert "The model is overloaded" in failed.content
    assert succeeded.status == "success"
    second_prompt = chat_prompts(emulator)[1]
    assert 'status="error"' in second_prompt
    assert "The model is overloaded" in second_prompt
    assert [p.suffix for p in tmp_path.iterdir()] == [".png"]


REFUSED = (
    '{"tool_calls": [{"name": "oneminai_image_generator", '
    '"arguments": {"prompt": "A fox", "model": "dall-e-3", "n": 3}}]}'
)
FIXED = (
    '{"tool_calls": [{"name": "oneminai_image_generator", '
    '"arguments": {"prompt": "A fox", "model": "dall-e-3", "n": 1}}]}'
)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("factory", ["langgraph", "langchain"])
def test_a_refused_call_reaches_the_model_by_default(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, factory: str
) -> None:
    # The toolkit as a new user builds it: no handle_tool_error anywhere.
    for reply in (REFUSED, FIXED, "Here is one fox."):
        emulator.script_chat(reply)
    toolkit = OneMinAIToolkit(
        api_key=emulator.api_key, base_url=emulator.base_url, asset_base_url=emulator.asset_base_url
    )
    messages = invoke(mode, make_agent(factory, model, toolkit.get_tools()), "Draw 3 foxes")
    assert [m.type for m in messages] == ["human", "ai", "tool", "ai", "tool", "ai"]
    refused = messages[2]
    assert refused.status == "error"
    assert refused.content == "dall-e-3 makes one image per call; n must be 1, got 3."
    assert messages[4].status == "success"
    features = [r.json for r in emulator.requests if r.route == "features"]
    assert [f["promptObject"].get("n") for f in features] == [1]  # the refusal sent nothing
    assert "n must be 1, got 3" in chat_prompts(emulator)[1]  # the model read why


def test_refusals_can_still_raise(model: ChatOneMinAI, emulator: OneMinAIEmulator) -> None:
    from langchain_core.tools import ToolException

    from langchain_oneminai.errors import InvalidInputError

    tool = OneMinAIImageTool(
        api_key=emulator.api_key, base_url=emulator.base_url, handle_tool_error=False
    )
    with pytest.raises(ToolException) as caught:
        tool.invoke({"prompt": "A fox", "model": "dall-e-3", "n": 3})
    assert isinstance(caught.value.__cause__, InvalidInputError)
    assert emulator.requests == []


FILM = (
    '{"tool_calls": [{"name": "oneminai_video_generator", '
    '"arguments": {"prompt": "A paper boat drifting down a rainy street", "duration": 8}}]}'
)
SCORE = (
    '{"tool_calls": [{"name": "oneminai_music_generator", '
    '"arguments": {"prompt": "calm piano over soft rain"}}]}'
)


def mp4_boxes(data: bytes) -> list[bytes]:
    boxes, offset = [], 0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        assert size >= 8
        boxes.append(data[offset + 4 : offset + 8])
        offset += size
    assert offset == len(data)
    return boxes


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("factory", ["langgraph", "langchain"])
def test_the_agent_makes_a_video_and_music_and_says_where_they_are(
    mode: str, model: ChatOneMinAI, emulator: OneMinAIEmulator, tmp_path: Path, factory: str
) -> None:
    toolkit = OneMinAIToolkit(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        asset_base_url=emulator.asset_base_url,
        save_dir=tmp_path,
        include=["video", "oneminai_music_generator"],
    )
    emulator.script_chat(FILM)
    emulator.script_chat(SCORE)
    # The last reply names the files: the model read their paths in the tool messages.
    emulator.script_chat("Your video and its music are ready.")
    messages = invoke(
        mode,
        make_agent(factory, model, toolkit.get_tools()),
        "Make a short video of a paper boat in the rain, and music for it.",
    )

    assert [m.type for m in messages] == ["human", "ai", "tool", "ai", "tool", "ai"]
    filmed, scored = messages[2], messages[4]
    assert (filmed.name, filmed.status, scored.name, scored.status) == (
        "oneminai_video_generator",
        "success",
        "oneminai_music_generator",
        "success",
    )
    (video,) = filmed.artifact["files"]
    (music,) = scored.artifact["files"]
    video_path, music_path = Path(video["path"]), Path(music["path"])
    assert sorted(tmp_path.iterdir()) == sorted([video_path, music_path])
    assert {b"ftyp", b"moov", b"mdat"} <= set(mp4_boxes(video_path.read_bytes()))
    with wave.open(str(music_path), "rb") as sound:
        assert sound.getnframes() > 0
    # Each tool message tells the model where its file is; the model reads both.
    assert str(video_path) in filmed.content and str(music_path) in scored.content
    last_prompt = chat_prompts(emulator)[-1]
    assert str(video_path) in last_prompt and str(music_path) in last_prompt
    calls = [r.json for r in emulator.requests if r.route == "features"]
    assert calls == [
        {
            "type": "TEXT_TO_VIDEO",
            "model": "veo3-video",
            "conversationId": "TEXT_TO_VIDEO",
            "promptObject": {
                "prompt": "A paper boat drifting down a rainy street",
                "veo3_duration": "8s",
            },
        },
        {
            "type": "MUSIC_GENERATOR",
            "model": "lyria-002",
            "conversationId": "MUSIC_GENERATOR",
            "promptObject": {"prompt": "calm piano over soft rain"},
        },
    ]
    assert messages[-1].content == "Your video and its music are ready."
