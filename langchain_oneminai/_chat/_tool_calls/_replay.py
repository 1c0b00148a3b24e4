"""Calls already answered in the history, so that a replayed one is not run again (pure).

A small model shown its earlier calls (``{"tool_calls": [{"id": "call_1", ...}]}``) and their
results tends to write one of them again - same tool, same arguments, often the same id - and
an agent that runs it gets the same result and loops. A call in a reply is a *replay* when

* it has the name and arguments of a call answered since the latest user message (a second
  identical call in the same turn only repeats what the result already says), or
* it carries the id of an answered call (copied from the history) and that call's name and
  arguments.

A new user message starts a new turn: asking for the same thing again is legitimate then.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from langchain_oneminai._chat._tool_calls._tools import loads


class AnsweredCall(NamedTuple):
    """A call of the history that has a result."""

    id: str
    name: str
    args_key: str
    """The arguments as canonical JSON (``args_key``)."""
    current: bool
    """Made since the latest user message."""


def args_key(args: Any) -> str:
    """Arguments as canonical JSON: key order and spacing do not matter."""
    value = args
    if isinstance(args, str):
        try:
            value = loads(args) if args.strip() else {}
        except (ValueError, RecursionError):
            return args
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def answered_calls(messages: Sequence[BaseMessage]) -> tuple[AnsweredCall, ...]:
    """Every tool call of ``messages`` that a ``ToolMessage`` answers, oldest first."""
    results = {m.tool_call_id for m in messages if isinstance(m, ToolMessage) and m.tool_call_id}
    last_user = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    answered = []
    for index, message in enumerate(messages):
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            call_id = call.get("id")
            if call_id and call_id in results:
                answered.append(
                    AnsweredCall(call_id, call["name"], args_key(call["args"]), index > last_user)
                )
    return tuple(answered)


def is_replay(
    answered: Sequence[AnsweredCall], name: str, args: Mapping[str, Any], model_id: str | None
) -> bool:
    """Whether a call (``name``, ``args``, the id the model wrote) replays an answered one."""
    if not answered:
        return False
    key = args_key(dict(args))
    return any(
        call.name == name and call.args_key == key and (call.current or call.id == model_id)
        for call in answered
    )
