"""When a finished reply cannot be used, and the one corrective re-prompt (pure).

A forced tool call answered with prose, a malformed call, a call that only replays one already
answered, or structured output that is not JSON valid for the user's schema gets one re-prompt
(``max_tool_repairs``): it costs a paid call, so a reply is judged the way the user's own
schema judges it, never more strictly.

A reply is judged as it will be returned: cut at the stop sequences and at transcript markup
first (``cut_reply``), so nothing past a stop sequence can cause a repair. The re-prompt quotes
only what failed - the JSON of the invalid (or replayed) call, or a short excerpt of a reply
that should have been a call - not the whole reply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_oneminai._chat._output import cut_reply
from langchain_oneminai._chat._plan import ChatPlan
from langchain_oneminai._chat._schema import model_validator, validate
from langchain_oneminai._chat._tool_calls import (
    JSONExtractionError,
    ParsedReply,
    extract_json,
    needs_repair,
    parse_tool_reply,
    render_repair_prompt,
    render_structured_repair_prompt,
)


def parse_reply(plan: ChatPlan, text: str) -> ParsedReply:
    """A (cut) reply parsed for tool calls with the plan's tools, limit and history."""
    return parse_tool_reply(
        text,
        plan.tools,
        validators=plan.tool_validators,
        max_calls=plan.max_calls,
        answered=plan.answered,
    )


_ONLY_TRANSCRIPT = (
    "Your reply did not answer: it went on writing the conversation transcript ({tag}>) "
    "instead of replying to the user's latest request."
)


def _judge(plan: ChatPlan, reply: str, tag: str | None = None) -> tuple[str | None, list[str]]:
    """The problem with a cut reply, and the fragments of it a repair should quote.

    ``tag``: the transcript tag the reply was cut at, if it was.
    """
    if tag is not None and not reply.strip():
        # Nothing before the invented transcript: an empty answer is no answer.
        return _ONLY_TRANSCRIPT.format(tag=tag), []
    if plan.response_format is not None:
        problem = json_problem(reply, plan.response_format.schema, plan.response_format.model)
        return problem, [_excerpt(reply)] if reply.strip() else []
    if plan.parses_tools:
        parsed = parse_reply(plan, reply)
        problem = needs_repair(parsed, plan.tool_choice)
        if problem is None:
            return None, []
        quoted = parsed.fragments or ([_excerpt(parsed.content)] if parsed.content else [])
        return problem, quoted
    return None, []


_EXCERPT = 600
"""How much of a reply a repair quotes when no JSON fragment failed (prose instead of a call)."""


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "…"


def json_problem(
    reply: str, schema: Mapping[str, Any] | None, model: type | None = None
) -> str | None:
    """Why ``reply`` is not a JSON value valid for the user's schema, or ``None``.

    A pydantic ``model`` judges by its own (lax) rules; a JSON schema strictly.
    """
    try:
        value = extract_json(reply)
    except JSONExtractionError as error:
        return str(error)
    if schema is None and model is None:
        return None if isinstance(value, dict) else "The reply is JSON but not a JSON object."
    errors = model_validator(model)(value) if model is not None else validate(value, schema)
    return "The JSON does not match the schema: " + "; ".join(errors[:5]) if errors else None


def next_repair(plan: ChatPlan, reply: str, repairs_done: int) -> str | None:
    """The corrective re-prompt for ``reply``, or ``None`` (usable, or no repairs left).

    ``reply`` may be the record's text as it came: it is cut (stop sequences, transcript
    markup) first, as the returned message will be. In conversation mode the server already
    holds the reply, so only the correction is sent; otherwise the original prompt, the part
    of the reply that failed and the correction go together.
    """
    if repairs_done >= plan.max_repairs:
        return None
    text, _, tag = cut_reply(reply, plan.stop, transcript=plan.cuts_transcript)
    problem, fragments = _judge(plan, text, tag)
    if problem is None:
        return None
    if plan.response_format is not None:
        correction = render_structured_repair_prompt(problem, plan.response_format.schema)
    else:
        correction = render_repair_prompt(problem, tool_choice=plan.tool_choice)
    if plan.conversation_id:
        return correction
    quoted = "\n".join(fragments)
    previous = f"<previous_reply>\n{quoted}\n</previous_reply>\n\n" if quoted else ""
    return f"{plan.prompt.text}\n\n{previous}{correction}"
