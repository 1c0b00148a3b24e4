"""``make demo`` / ``oneminai demo``: a five-minute tour of the package.

Against 1min.ai when ``ONEMINAI_API_KEY`` is set; otherwise against the bundled emulator,
which says so. The emulator's own replies are canned and it never picks a tool or writes
JSON, so for the structured-output and agent steps the demo scripts the replies a real
model would give — and labels them as scripted.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field

from langchain_oneminai._cli._render import file_listing
from langchain_oneminai.chat_models import ChatOneMinAI
from langchain_oneminai.client import OneMinAIClient, api_key_from_env
from langchain_oneminai.tools import OneMinAIToolkit

CHAT_MODEL = "gpt-4o-mini"
IMAGE_PROMPT = "a lighthouse on a cliff at dusk, watercolour"
SPEECH_TEXT = "Hello from LangChain and 1min.ai!"


class City(BaseModel):
    """Facts about a city."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country it is in")
    known_for: list[str] = Field(description="Two or three things it is known for")


def say(text: str = "") -> None:
    """Print a line of the tour, at once."""
    print(text, flush=True)


@contextlib.contextmanager
def target() -> Iterator[tuple[dict[str, Any], Any]]:
    """Client settings for the tour, and the emulator when there is no key."""
    if api_key_from_env() is not None:
        say("langchain-oneminai demo — against 1min.ai (ONEMINAI_API_KEY is set: a few credits)")
        yield {}, None
        return
    from langchain_oneminai.emulator import OneMinAIEmulator  # noqa: PLC0415

    with OneMinAIEmulator() as emulator:
        say("langchain-oneminai demo — against the bundled 1min.ai EMULATOR (no ONEMINAI_API_KEY).")
        say(f"  The emulator runs at {emulator.base_url}; its replies are canned, not a model's.")
        say("  Set ONEMINAI_API_KEY to run the same tour against 1min.ai.")
        yield (
            {
                "api_key": emulator.api_key,
                "base_url": emulator.base_url,
                "asset_base_url": emulator.asset_base_url,
            },
            emulator,
        )


def script(emulator: Any, *replies: str) -> None:
    """Queue the replies a real model would give (emulator only), and say so."""
    if emulator is None:
        return
    for reply in replies:
        emulator.script_chat(reply)
    say("  (emulator: the model's reply below is scripted)")


def run(out: Path) -> int:
    """Run the tour; files go to ``out``."""
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.iterdir())
    with target() as (settings, emulator):
        client = OneMinAIClient(**settings)
        llm = ChatOneMinAI(model=CHAT_MODEL, client=client)
        streaming_chat(llm)
        lcel_chain(llm)
        structured_output(llm, emulator)
        agent_with_media_tools(llm, client, out, emulator)
        conversation(llm, emulator)
    written = sorted(set(out.iterdir()) - before, key=lambda p: p.name)
    say(f"\nFiles written to {out}/:")
    say(file_listing(written, Path.cwd()) if written else "  (none)")
    say(f"\nDone in {time.monotonic() - started:.1f} s.")
    return 0


def streaming_chat(llm: ChatOneMinAI) -> None:
    """1. Tokens printed as they arrive."""
    say(f"\n1. Streaming chat with {llm.model_name}")
    sys.stdout.write("   ")
    for chunk in llm.stream(
        [("system", "Answer in two sentences."), ("human", "What is LangChain?")]
    ):
        sys.stdout.write(chunk.text)
        sys.stdout.flush()
    say()


def lcel_chain(llm: ChatOneMinAI) -> None:
    """2. prompt | model | parser, batched."""
    say("\n2. An LCEL chain: prompt | ChatOneMinAI | StrOutputParser, batched")
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Translate the user's text to {language}."), ("human", "{text}")]
    )
    chain = prompt | llm | StrOutputParser()
    for language, answer in zip(
        ("French", "German"),
        chain.batch(
            [
                {"language": "French", "text": "Good morning"},
                {"language": "German", "text": "Good morning"},
            ]
        ),
        strict=True,
    ):
        say(f"   {language}: {answer}")


def structured_output(llm: ChatOneMinAI, emulator: Any) -> None:
    """3. A validated pydantic object out of a chat model without JSON mode."""
    say("\n3. Structured output: with_structured_output(City)")
    script(
        emulator,
        json.dumps(
            {
                "name": "Lisbon",
                "country": "Portugal",
                "known_for": ["trams", "pastéis de nata", "fado"],
            }
        ),
    )
    city = llm.with_structured_output(City).invoke("Tell me about Lisbon.")
    say(f"   {city!r}")


def agent_with_media_tools(
    llm: ChatOneMinAI, client: OneMinAIClient, out: Path, emulator: Any
) -> None:
    """4. A LangGraph agent that draws a picture and reads a sentence aloud into files."""
    say("\n4. An agent with the image and speech tools (files saved to the output directory)")
    try:
        from langchain.agents import create_agent  # noqa: PLC0415
    except ImportError:  # langchain is not a dependency of this package; make demo installs it
        say("   (skipped: this step needs `pip install langchain`)")
        return
    tools = [
        t
        for t in OneMinAIToolkit(client=client, save_dir=str(out)).get_tools()
        if t.name in ("oneminai_image_generator", "oneminai_text_to_speech")
    ]
    calls = {
        "tool_calls": [
            {"name": "oneminai_image_generator", "arguments": {"prompt": IMAGE_PROMPT}},
            {
                "name": "oneminai_text_to_speech",
                "arguments": {"text": SPEECH_TEXT, "response_format": "wav"},
            },
        ]
    }
    script(
        emulator,
        json.dumps(calls),
        "I drew the lighthouse and recorded the greeting as a WAV file.",
    )
    agent: Any = create_agent(llm, tools=tools)
    request = (
        f"Draw {IMAGE_PROMPT}, and read '{SPEECH_TEXT}' aloud as a WAV file "
        "(response_format wav). Use both tools at once."
    )
    result = agent.invoke({"messages": [("human", request)]})
    for message in result["messages"]:
        if message.type == "ai" and message.tool_calls:
            for call in message.tool_calls:
                say(f"   tool call: {call['name']}({json.dumps(call['args'], ensure_ascii=False)})")
        elif message.type == "tool":
            say(f"   tool result: {_first_line(message.content)}")
    say(f"   answer: {result['messages'][-1].content}")


def conversation(llm: ChatOneMinAI, emulator: Any) -> None:
    """5. Two turns on a server-side thread: only the new turn is sent each time."""
    say("\n5. A two-turn conversation on a server-side 1min.ai thread")
    thread = llm.with_conversation("langchain-oneminai demo")
    say(f"   thread {thread.conversation_id}")
    for question in (
        "My favourite colour is teal. Please remember it.",
        "What is my favourite colour?",
    ):
        reply = thread.invoke(question)
        say(f"   you: {question}")
        say(f"   ai:  {reply.content}")
    if emulator is not None:
        sent = [r.json["promptObject"] for r in emulator.requests if r.route == "chat"][-2:]
        say(f"   (sent: only each new turn, with conversationId: {[p['prompt'] for p in sent]})")


def _first_line(content: Any) -> str:
    if isinstance(content, list):
        content = next(
            (b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"),
            "",
        )
    return str(content).splitlines()[0] if content else ""
