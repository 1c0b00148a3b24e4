"""Ablations: the current package with one protocol fix undone, to measure what each one does.

``python -m evals --variant NAME[,NAME...]`` patches the named behaviours back to what the
package did before issue 15 (in this process only; the emulator runs in it too), so "after"
and "after without fix X" come from the same harness on the same cases. The fixes:

- ``no_open_turn``: after tool results the prompt closes the conversation and ends with
  "Continue the conversation as the assistant.", instead of leaving the assistant's turn open;
- ``schema_list``: tools listed with their JSON schema (``arguments schema: {...}``) instead of
  one line per argument;
- ``no_transcript_cut``: replies are not cut at transcript markup;
- ``uncut_repair``: a repair is judged on the reply before stop sequences (and markup) cut it;
- ``parallel_unenforced``: ``parallel_tool_calls=False`` only asks, the parser keeps every call;
- ``no_replay_guard``: a call replaying an answered one is returned (and run) again;
- ``quote_whole_reply``: the repair prompt quotes the whole reply, not the failing fragment.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_oneminai._chat import _plan, _prompt, _repairs
from langchain_oneminai._chat._tool_calls import _render
from langchain_oneminai._chat._tool_calls._tools import ToolSpec

_OLD_TOOL_LIST = "Available tools (name: description, then the JSON schema of its arguments):"


def _old_tool_lines(tool: ToolSpec) -> list[str]:
    description = "\n  ".join(line.rstrip() for line in tool.description.splitlines())
    compact = json.dumps(tool.parameters, ensure_ascii=False, separators=(",", ":"), default=str)
    first = f"- {tool.name}: {description}" if description else f"- {tool.name}"
    return [first, f"  arguments schema: {compact}"]


def _patch(owner: Any, name: str, value: Any) -> None:
    if not hasattr(owner, name):
        raise AttributeError(f"{owner!r} has no {name!r}: the variant is out of date")
    setattr(owner, name, value)


def _no_open_turn() -> None:
    original = _plan.render_prompt

    def render(*args: Any, **kwargs: Any) -> Any:
        rendered = original(*args, **kwargs)
        if not rendered.text.endswith("\n" + _prompt.OPEN_TURN):
            return rendered
        closed = rendered.text.removesuffix(_prompt.OPEN_TURN) + "</conversation>\n\n"
        return dataclasses.replace(rendered, text=closed + _prompt.CONTINUE)

    _patch(_plan, "render_prompt", render)


def _schema_list() -> None:
    _patch(_render, "tool_lines", _old_tool_lines)
    _patch(_render, "_TOOL_LIST", _OLD_TOOL_LIST)


def _no_transcript_cut() -> None:
    _patch(_plan.ChatPlan, "cuts_transcript", property(lambda _self: False))


def _uncut_repair() -> None:
    _patch(_repairs, "cut_reply", lambda text, *_a, **_k: (text, None, None))


def _parallel_unenforced() -> None:
    _patch(_plan.ChatPlan, "max_calls", property(lambda _self: None))


def _no_replay_guard() -> None:
    _patch(_plan, "answered_calls", lambda _messages: ())


def _quote_whole_reply() -> None:
    judge = _repairs._judge

    def whole(plan: Any, reply: str, tag: str | None = None) -> tuple[str | None, list[str]]:
        problem, _fragments = judge(plan, reply, tag)
        return problem, [reply] if problem is not None else []

    _patch(_repairs, "_judge", whole)


VARIANTS: dict[str, Callable[[], None]] = {
    "no_open_turn": _no_open_turn,
    "schema_list": _schema_list,
    "no_transcript_cut": _no_transcript_cut,
    "uncut_repair": _uncut_repair,
    "parallel_unenforced": _parallel_unenforced,
    "no_replay_guard": _no_replay_guard,
    "quote_whole_reply": _quote_whole_reply,
}


def apply(names: Sequence[str]) -> None:
    """Undo the named fixes in this process.

    Raises:
        ValueError: an unknown name.
    """
    for name in names:
        if name not in VARIANTS:
            raise ValueError(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}")
        VARIANTS[name]()
