"""One chat call planned before any I/O (pure): the model, the prompt, the options.

    plan_call()   kwargs + the model's fields + messages -> ChatPlan: model, prompt (with the
                  <tools> or <response_format> block), options, stop, tools, tool_choice,
                  and how the reply is judged (tool validators, the structured schema)

The per-call settings that go to the API are the optional keys of ``client.ChatOptions`` (one
list, not repeated here); ``ChatOneMinAI`` has a field of each name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage

from langchain_oneminai._chat._prompt import RenderedPrompt, render_prompt, select_turn_messages
from langchain_oneminai._chat._schema import ArgsValidator, model_validator
from langchain_oneminai._chat._tool_calls import (
    AnsweredCall,
    answered_calls,
    normalize_tool_choice,
    render_structured_output_instructions,
    render_tool_instructions,
)
from langchain_oneminai.client import ChatOptions
from langchain_oneminai.errors import InvalidInputError

SETTINGS: tuple[str, ...] = tuple(
    name for name in ChatOptions.__optional_keys__ if name not in ("attachments", "timeout")
)
"""The chat settings that are also ``ChatOneMinAI`` fields and per-call keyword arguments."""

ACCEPTED_NOT_SENT = frozenset({"temperature", "max_tokens"})
"""LangChain passes these; 1min.ai has no such parameters
(wire.md#parameters-the-api-does-not-have)."""

_CALL_KWARGS = frozenset(
    {
        "model",
        "timeout",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "tool_models",
    }
)


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    """Structured output asked for in the prompt.

    Sources: wire.md#parameters-the-api-does-not-have.
    """

    schema: dict[str, Any] | None
    """The JSON schema the reply must follow; ``None`` for any JSON object (json_mode)."""
    strict: bool | None = None
    """Whether extra properties are forbidden."""
    model: type | None = None
    """The pydantic class the reply becomes, when there is one: the reply is checked the way
    it validates (``"36"`` is fine for an ``int``), not by the stricter JSON schema."""


@dataclass(frozen=True, slots=True)
class ChatPlan:
    """Everything one call will send, decided before any I/O."""

    model: str
    prompt: RenderedPrompt
    options: ChatOptions
    stop: list[str]
    conversation_id: str | None
    sends_system: bool = False
    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str = "auto"
    response_format: ResponseFormat | None = None
    max_repairs: int = 1
    tool_validators: Mapping[str, ArgsValidator] = field(default_factory=dict)
    parallel_tool_calls: bool | None = None
    answered: tuple[AnsweredCall, ...] = ()
    """The history's calls that have results: a reply replaying one is not run again."""

    @property
    def parses_tools(self) -> bool:
        """Whether the reply is read for tool calls."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def max_calls(self) -> int | None:
        """At most one call per reply with ``parallel_tool_calls=False``; else no limit."""
        return 1 if self.parallel_tool_calls is False else None

    @property
    def cuts_transcript(self) -> bool:
        """Whether a reply ends at transcript markup (``_transcript``): when tools are bound."""
        return bool(self.tools)

    @property
    def holds_attempts(self) -> bool:
        """Whether each attempt is held until known usable (forced call, structured output)."""
        return self.response_format is not None or (
            self.parses_tools and self.tool_choice != "auto"
        )


def plan_call(
    messages: Sequence[BaseMessage],
    *,
    defaults: Mapping[str, Any],
    kwargs: Mapping[str, Any],
    stop: list[str] | None,
    systems_sent: Collection[str],
) -> ChatPlan:
    """Validate a call's keyword arguments and decide what it sends.

    Args:
        messages: The input messages.
        defaults: The model's field values (``model_name``, the settings, ``stop``,
            ``max_tool_repairs``).
        kwargs: The call's keyword arguments (bound ones included).
        stop: The call's stop sequences, if given.
        systems_sent: Conversations whose system text was already sent.

    Raises:
        InvalidInputError: an unknown keyword argument or unusable messages.
        ValueError: a ``tool_choice`` naming a tool that is not bound.
    """
    known = {*SETTINGS, *ACCEPTED_NOT_SENT, *_CALL_KWARGS}
    unknown = sorted(k for k in kwargs if k not in known and not k.startswith("ls_"))
    if unknown:
        raise InvalidInputError(
            f"ChatOneMinAI got unsupported keyword argument(s) {unknown}. Per-call options are "
            f"model, timeout, stop, tools, tool_choice and {', '.join(SETTINGS)}."
        )
    settings = {name: kwargs.get(name, defaults.get(name)) for name in SETTINGS}
    conversation_id = settings["conversation_id"]
    selected = select_turn_messages(
        messages,
        conversation_mode=bool(conversation_id),
        system_already_sent=bool(conversation_id) and conversation_id in systems_sent,
    )
    tools = tuple(kwargs.get("tools") or ())
    names = [tool.get("function", {}).get("name") for tool in tools]
    choice = normalize_tool_choice(kwargs.get("tool_choice"), names) if tools else "none"
    response_format = _response_format(kwargs.get("response_format"))
    parallel = kwargs.get("parallel_tool_calls")
    tools_block = (
        render_tool_instructions(tools, tool_choice=choice, parallel_tool_calls=parallel)
        if tools
        else None
    )
    format_block = (
        render_structured_output_instructions(response_format.schema, strict=response_format.strict)
        if response_format
        else None
    )
    options: ChatOptions = {k: v for k, v in settings.items() if v is not None}  # type: ignore[assignment]
    if kwargs.get("timeout") is not None:
        options["timeout"] = kwargs["timeout"]
    return ChatPlan(
        model=kwargs.get("model") or defaults["model_name"],
        prompt=render_prompt(selected, tools_block=tools_block, format_block=format_block),
        options=options,
        stop=list(stop if stop is not None else (defaults.get("stop") or [])),
        conversation_id=conversation_id,
        sends_system=bool(conversation_id) and any(m.type == "system" for m in selected),
        tools=tools,
        tool_choice=choice,
        response_format=response_format,
        max_repairs=max(0, int(defaults.get("max_tool_repairs", 1))),
        tool_validators={
            name: model_validator(model)
            for name, model in (kwargs.get("tool_models") or {}).items()
        },
        parallel_tool_calls=parallel if isinstance(parallel, bool) else None,
        answered=answered_calls(messages) if tools else (),
    )


def _response_format(value: Any) -> ResponseFormat | None:
    if value is None or isinstance(value, ResponseFormat):
        return value
    if isinstance(value, Mapping):
        if value.get("type") == "json_object":  # OpenAI's JSON mode spelling
            return ResponseFormat(schema=None)
        if value.get("type") == "json_schema" and isinstance(value.get("json_schema"), Mapping):
            inner = value["json_schema"]
            return ResponseFormat(
                schema=dict(inner.get("schema") or {}), strict=inner.get("strict")
            )
        if "schema" in value:
            schema = value["schema"]
            return ResponseFormat(
                schema=dict(schema) if schema else None, strict=value.get("strict")
            )
    raise InvalidInputError(
        "response_format must be {'type': 'json_object'}, {'type': 'json_schema', "
        f"'json_schema': {{'schema': ...}}}} or {{'schema': ...}}; got {value!r}."
    )
