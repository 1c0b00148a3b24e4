"""The emulated side: ``ChatOneMinAI``'s prompt protocol, with the local model behind the emulator.

:class:`EmulatedSide` starts a ``OneMinAIEmulator`` whose brain is the local model
(:mod:`evals.brain`) and hands out ``ChatOneMinAI`` instances pointed at it. Everything between
the caller and the model is the shipped package: the ``<tools>`` block, the rendered history,
the stop sequences, the reply parser, the repair re-prompt, the stream assembly, over the real
wire format. Only the model is local.

It also runs the BFCL sample (:mod:`evals.bfcl`) through that stack: single-turn cases with
``bind_tools(case.tools).invoke(messages)``, multi-turn cases one ``invoke`` per step, scored by
BFCL's own checkers exactly as the native side is.

Per model call (a "turn": one ``invoke``/``stream``, however many requests its repairs cost)
:class:`TurnRecord` keeps the raw replies the model wrote, and :func:`markup_report` reads them
for transcript markup (``<conversation>``, ``<user>``, ``</assistant>``, ``<tool_result ...>``):
whether a reply carried some, whether any reached the message's ``content``, and whether a call
came out of text written after it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self, TypeVar

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from evals import bfcl
from evals.brain import LlamaBrain, Served, make_llama_brain
from evals.local_llm import LocalModel, Usage
from langchain_oneminai import ChatOneMinAI
from langchain_oneminai.emulator import OneMinAIEmulator

LABEL = "emulated"
T = TypeVar("T")
#: The model id the requests name; the brain answers every id with the local model.
MODEL_ID = "gpt-4o-mini"

#: The package's own transcript markup (``_chat._prompt``): what a reply must not continue.
_MARKUP = re.compile(
    r"</?(?:conversation|user|assistant|system|tools|response_format|previous_reply)\b[^>]*>"
    r"|</?tool_result\b[^>]*>"
)


def find_markup(text: str) -> int | None:
    """Where the first transcript tag in ``text`` starts, or None."""
    match = _MARKUP.search(text)
    return match.start() if match else None


@dataclass
class TurnRecord:
    """One model call through ``ChatOneMinAI``: what it cost and what the model wrote."""

    served: list[Served]
    usage: Usage
    content: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def replies(self) -> list[str]:
        """The raw replies, one per request (a repair is another request)."""
        return [s.reply for s in self.served]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the raw replies, requests and the message's content and calls."""
        return {
            "replies": self.replies,
            "requests": self.usage.requests,
            "content": self.content,
            "calls": self.calls,
        }


def markup_report(turns: Sequence[TurnRecord]) -> dict[str, int]:
    """Count transcript markup over turns.

    ``replies``: requests served; ``with_markup``: replies containing a transcript tag;
    ``starting_with_markup``: replies whose first non-blank text is one; ``in_content``: turns
    whose message ``content`` holds one (must be 0); ``calls_from_markup``: turns whose message
    has more calls than the text before the final reply's first tag yields (calls read out of
    an invented transcript; must be 0).
    """
    from langchain_oneminai._chat._tool_calls import parse_tool_reply  # noqa: PLC0415

    report = {
        "replies": 0,
        "with_markup": 0,
        "starting_with_markup": 0,
        "in_content": 0,
        "calls_from_markup": 0,
    }
    for turn in turns:
        for reply in turn.replies:
            report["replies"] += 1
            where = find_markup(reply)
            if where is not None:
                report["with_markup"] += 1
                if not reply[:where].strip():
                    report["starting_with_markup"] += 1
        if find_markup(turn.content) is not None:
            report["in_content"] += 1
        if turn.calls and turn.replies:
            last = turn.replies[-1]
            where = find_markup(last)
            if where is not None:
                before = parse_tool_reply(last[:where], [], id_factory=lambda: "x")
                found = len(before.tool_calls) + len(before.invalid_tool_calls)
                if len(turn.calls) > found:
                    report["calls_from_markup"] += 1
    return report


# --------------------------------------------------------------------------------------------
# messages


def lc_messages(messages: Sequence[Mapping[str, Any]]) -> list[BaseMessage]:
    """OpenAI-style chat messages as LangChain messages."""
    converted: list[BaseMessage] = []
    for message in messages:
        role = message.get("role")
        content = message.get("content") or ""
        if not isinstance(content, str):
            content = "".join(p.get("text", "") for p in content if isinstance(p, Mapping))
        if role == "system":
            converted.append(SystemMessage(content))
        elif role == "user":
            converted.append(HumanMessage(content))
        elif role == "assistant":
            calls = []
            for call in message.get("tool_calls") or []:
                function = call.get("function", call)
                arguments = function.get("arguments", {})
                if isinstance(arguments, str):
                    arguments = json.loads(arguments) if arguments.strip() else {}
                calls.append({"name": function["name"], "args": arguments, "id": call.get("id")})
            converted.append(AIMessage(content, tool_calls=calls))
        elif role == "tool":
            converted.append(ToolMessage(content, tool_call_id=str(message.get("tool_call_id"))))
        else:
            raise ValueError(f"unsupported role {role!r}")
    return converted


def openai_assistant(message: AIMessage) -> dict[str, Any]:
    """An ``AIMessage`` as an OpenAI-style assistant message (calls with their ids)."""
    result: dict[str, Any] = {"role": "assistant", "content": message.text}
    if message.tool_calls:
        result["tool_calls"] = [
            {
                "id": call["id"],
                "type": "function",
                "function": {"name": call["name"], "arguments": json.dumps(call["args"])},
            }
            for call in message.tool_calls
        ]
    return result


def decoded(message: AIMessage) -> list[dict[str, dict[str, Any]]]:
    """The message's calls as BFCL's checkers take them: ``[{name: {param: value}}]``."""
    return [{call["name"]: dict(call["args"])} for call in message.tool_calls]


def aggregate(chunks: Sequence[AIMessageChunk]) -> AIMessageChunk:
    """The streamed chunks added up, as LangChain aggregates them."""
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    return total


# --------------------------------------------------------------------------------------------
# the side


class EmulatedSide:
    """The emulator with the local model as its brain, and ``ChatOneMinAI`` clients for it."""

    def __init__(self, model: LocalModel, *, max_tokens: int = 320) -> None:
        """Serve ``model`` behind the emulator; each reply is capped at ``max_tokens``."""
        self.brain: LlamaBrain = make_llama_brain(
            model, max_tokens=max_tokens, keep_transcript=True
        )
        self.emulator = OneMinAIEmulator(brain=self.brain)
        self.turns: list[TurnRecord] = []

    def __enter__(self) -> Self:
        """Start the emulator."""
        self.emulator.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the emulator."""
        self.emulator.stop()

    def chat(self, **kwargs: Any) -> ChatOneMinAI:
        """A ``ChatOneMinAI`` on the emulator (no retries; long read timeout for a slow CPU)."""
        options: dict[str, Any] = {
            "model": MODEL_ID,
            "api_key": self.emulator.api_key,
            "base_url": self.emulator.base_url,
            "timeout": 1800,
            "max_retries": 0,
        }
        return ChatOneMinAI(**{**options, **kwargs})

    def turn(self, run: Callable[[], T]) -> tuple[T, TurnRecord]:
        """Run one model call and record what it cost and what the model wrote."""
        mark = len(self.brain.transcript)
        before = self.brain.usage.copy()
        result = run()
        record = TurnRecord(
            served=list(self.brain.transcript[mark:]), usage=self.brain.usage.since(before)
        )
        if isinstance(result, AIMessage):
            record.content = result.text
            record.calls = [{"name": c["name"], "args": c["args"]} for c in result.tool_calls]
        self.turns.append(record)
        return result, record


def run_bfcl(
    side: EmulatedSide,
    cases: Sequence[bfcl.BfclCase],
    multi_turn: Sequence[bfcl.MultiTurnCase] = (),
    *,
    log: Callable[[str], None] | None = None,
) -> list[bfcl.CaseResult]:
    """Run BFCL cases through ``ChatOneMinAI`` and score them with BFCL's checkers."""
    chat = side.chat()
    results: list[bfcl.CaseResult] = []

    def note(case_id: str, score: bfcl.Score, requests: int) -> None:
        if log:
            verdict = "PASS" if score.valid else "fail " + score.error_type
            log(f"{LABEL:15} {case_id}: {verdict} ({requests} req)")

    for case in cases:
        before = side.brain.usage.copy()
        started = time.perf_counter()
        bound = chat.bind_tools(case.tools)
        raw: Any

        def call(b: Any = bound, c: bfcl.BfclCase = case) -> AIMessage:
            message: AIMessage = b.invoke(lc_messages(c.messages))
            return message

        try:
            message, record = side.turn(call)
            score = bfcl.score_calls(case, decoded(message), model_name=LABEL)
            raw = record.as_dict()
        except Exception as exc:
            score = bfcl.Score(
                valid=False, error_type=f"error:{type(exc).__name__}", error=str(exc)
            )
            raw = None
        usage = side.brain.usage.since(before)
        seconds = time.perf_counter() - started
        results.append(bfcl.CaseResult(case.id, case.category, score, usage, seconds, raw))
        note(case.id, score, usage.requests)

    for mt_case in multi_turn:
        before = side.brain.usage.copy()
        started = time.perf_counter()

        def step(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> bfcl.StepReply:
            bound = chat.bind_tools(tools)

            def call() -> AIMessage:
                message: AIMessage = bound.invoke(lc_messages(messages))
                return message

            message, record = side.turn(call)
            return bfcl.StepReply(openai_assistant(message), decoded(message), record.as_dict())

        try:
            score, transcript = bfcl.run_multi_turn(mt_case, step, label=LABEL)
        except Exception as exc:
            error = f"error:{type(exc).__name__}"
            score, transcript = bfcl.Score(valid=False, error_type=error, error=str(exc)), []
        usage = side.brain.usage.since(before)
        results.append(
            bfcl.CaseResult(
                mt_case.id,
                mt_case.category,
                score,
                usage,
                time.perf_counter() - started,
                transcript,
            )
        )
        note(mt_case.id, score, usage.requests)
    return results
