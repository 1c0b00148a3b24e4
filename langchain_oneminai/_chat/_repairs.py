"""When a finished reply cannot be used, and the one corrective re-prompt (pure).

A forced tool call answered with prose, a malformed call, or structured output that is not
JSON valid for the user's schema gets one re-prompt (``max_tool_repairs``): it costs a paid
call, so a reply is judged the way the user's own schema judges it, never more strictly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_oneminai._chat._plan import ChatPlan
from langchain_oneminai._chat._schema import model_validator, validate
from langchain_oneminai._chat._tool_calls import (
    JSONExtractionError,
    extract_json,
    needs_repair,
    parse_tool_reply,
    render_repair_prompt,
    render_structured_repair_prompt,
)


def reply_problem(plan: ChatPlan, reply: str) -> str | None:
    """Why a finished reply cannot be used as it is, or ``None``."""
    if plan.response_format is not None:
        return json_problem(reply, plan.response_format.schema, plan.response_format.model)
    if plan.parses_tools:
        parsed = parse_tool_reply(reply, plan.tools, validators=plan.tool_validators)
        return needs_repair(parsed, plan.tool_choice)
    return None


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

    In conversation mode the server already holds the reply, so only the correction is sent;
    otherwise the original prompt, the unusable reply and the correction go together.
    """
    if repairs_done >= plan.max_repairs:
        return None
    problem = reply_problem(plan, reply)
    if problem is None:
        return None
    if plan.response_format is not None:
        correction = render_structured_repair_prompt(problem, plan.response_format.schema)
    else:
        correction = render_repair_prompt(problem, tool_choice=plan.tool_choice)
    if plan.conversation_id:
        return correction
    return f"{plan.prompt.text}\n\n<previous_reply>\n{reply}\n</previous_reply>\n\n{correction}"
