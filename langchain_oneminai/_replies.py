"""One chat call, planned and read back (pure): tools, structured output, repairs, streams.

``ChatOneMinAI``'s shells only move bytes; everything they decide comes from here:

    plan_call()          kwargs + fields + messages -> ChatPlan: model, prompt (with the <tools>
                         or <response_format> block), options, stop, tools, tool_choice
    next_repair()        a finished reply -> the corrective re-prompt, or None when it is usable
                         (a forced tool call answered with prose, a malformed call, JSON that
                         does not parse or breaks the schema), at most ``max_repairs`` times
    message_from_reply() the final record -> AIMessage (prose + tool_calls / invalid_tool_calls)
    StreamAssembler      stream events -> ChatGenerationChunks, attempt by attempt

Streaming rules. Plain replies stream delta by delta. With tools bound and ``tool_choice``
"auto", prose streams as it comes and each call arrives as one ``tool_call_chunk`` once its
JSON is complete (none of the JSON ever reaches ``content``). When a call is forced
(``tool_choice`` "any" or a name) or structured output is asked for, the reply is the call or
the JSON itself, so each attempt is held until it is known to be usable: an unusable attempt
is dropped and repaired instead of being streamed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.output_parsers import BaseOutputParser
from langchain_core.outputs import ChatGenerationChunk, Generation

from langchain_oneminai._json_schema import ArgsValidator, model_validator, validate
from langchain_oneminai._messages import (
    PROVIDER,
    RenderedPrompt,
    StopFilter,
    cut_at_stop,
    render_prompt,
    response_metadata,
    select_turn_messages,
    usage_from_record,
)
from langchain_oneminai._tool_protocol import (
    JSONExtractionError,
    ParsedReply,
    StreamPiece,
    TextPiece,
    ToolCallArgs,
    ToolCallStart,
    ToolStreamParser,
    extract_json,
    needs_repair,
    normalize_tool_choice,
    parse_tool_reply,
    render_repair_prompt,
    render_structured_output_instructions,
    render_structured_repair_prompt,
    render_tool_instructions,
)
from langchain_oneminai._wire import AIRecord, ChatStreamEvent, ContentDelta, StreamResult
from langchain_oneminai.client import ChatOptions
from langchain_oneminai.errors import InvalidInputError

SETTINGS = (
    "conversation_id",
    "web_search",
    "num_of_site",
    "max_word",
    "history_message_limit",
    "is_mixed",
    "with_memories",
    "brand_voice_id",
)
"""Fields that are also per-call keyword arguments and go to the API."""

ACCEPTED_NOT_SENT = frozenset({"temperature", "max_tokens"})
"""LangChain passes these; 1min.ai has no such parameters (reference §3.6)."""

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
    """Structured output asked for in the prompt (1min.ai has no JSON mode, §3.6)."""

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

    @property
    def parses_tools(self) -> bool:
        """Whether the reply is read for tool calls."""
        return bool(self.tools) and self.tool_choice != "none"

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
    tools_block = (
        render_tool_instructions(
            tools, tool_choice=choice, parallel_tool_calls=kwargs.get("parallel_tool_calls")
        )
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


# --------------------------------------------------------------------------------------
# Repairs
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Replies -> messages
# --------------------------------------------------------------------------------------


def message_from_reply(plan: ChatPlan, record: AIRecord, *, repairs: int = 0) -> AIMessage:
    """The ``AIMessage`` of a finished (non-streamed) reply."""
    text, matched = cut_at_stop(record.text, plan.stop)
    metadata = response_metadata(record, model=plan.model, stop_sequence=matched)
    if repairs:
        metadata["repairs"] = repairs
    usage = usage_from_record(record)
    if not plan.parses_tools:
        return AIMessage(
            content=text, id=record.uuid, response_metadata=metadata, usage_metadata=usage
        )
    parsed = parse_tool_reply(text, plan.tools, validators=plan.tool_validators)
    return AIMessage(
        content=parsed.content,
        tool_calls=parsed.tool_calls,
        invalid_tool_calls=parsed.invalid_tool_calls,
        id=record.uuid,
        response_metadata=metadata,
        usage_metadata=usage,
    )


class StreamAssembler:
    """Chat stream events in, ``ChatGenerationChunk``s out, one attempt after another."""

    def __init__(self, plan: ChatPlan) -> None:
        self._plan = plan
        self._repairs = 0
        self._calls_emitted = 0
        self._record: AIRecord | None = None
        self._start_attempt()

    def _start_attempt(self) -> None:
        self._stop = StopFilter(self._plan.stop)
        self._text: list[str] = []
        self._held: list[ChatGenerationChunk] = []
        self._starts: dict[int, ToolCallStart] = {}
        self._tools = (
            ToolStreamParser(self._plan.tools, validators=self._plan.tool_validators)
            if self._plan.parses_tools
            else None
        )

    @property
    def stopped(self) -> bool:
        """Whether a stop sequence ended this attempt."""
        return self._stop.stopped is not None

    def on_event(self, event: ChatStreamEvent) -> list[ChatGenerationChunk]:
        """The chunks to emit now for one stream event."""
        if isinstance(event, StreamResult):
            self._record = event.record
            return []
        if isinstance(event, ContentDelta):
            return self._admit(self._text_chunks(self._stop.feed(event.text)))
        return []

    def end_attempt(self) -> tuple[list[ChatGenerationChunk], str | None]:
        """Close the current attempt.

        Returns:
            The chunks still to emit, and the repair prompt if the attempt was unusable (the
            next attempt then starts fresh), else ``None``.
        """
        chunks = self._text_chunks(self._stop.flush())
        parsed: ParsedReply | None = None
        if self._tools is not None:
            pieces, parsed = self._tools.finish()
            chunks += self._piece_chunks(pieces)
        reply = "".join(self._text)
        repair = next_repair(self._plan, reply, self._repairs)
        if repair is not None:
            self._repairs += 1
            kept = [] if self._plan.holds_attempts else chunks
            self._start_attempt()
            return kept, repair
        if parsed is not None:
            chunks += self._invalid_call_chunks(parsed)
        if self._plan.response_format is not None and reply:
            chunks = [_text_chunk(reply)]  # the whole JSON reply, in one piece
        chunks = self._held + chunks
        self._held = []
        return chunks, None

    def finish(self) -> ChatGenerationChunk:
        """The last chunk: metadata of the final record, usage when real."""
        record = self._record
        metadata = response_metadata(
            record, model=self._plan.model, stop_sequence=self._stop.stopped
        )
        if self._repairs:
            metadata["repairs"] = self._repairs
        message = AIMessageChunk(
            content="",
            response_metadata=metadata,
            usage_metadata=usage_from_record(record) if record else None,
            chunk_position="last",
        )
        return ChatGenerationChunk(message=message)

    def _admit(self, chunks: list[ChatGenerationChunk]) -> list[ChatGenerationChunk]:
        if self._plan.holds_attempts:
            self._held += chunks
            return []
        return chunks

    def _text_chunks(self, text: str) -> list[ChatGenerationChunk]:
        if not text:
            return []
        if self._plan.response_format is not None or (
            self._tools is not None and self._plan.max_repairs
        ):
            self._text.append(text)  # kept only when the JSON or a repair decision needs it
        if self._tools is not None:
            return self._piece_chunks(self._tools.feed(text))
        if self._plan.response_format is not None:
            return []  # emitted whole once the reply is known to be valid JSON
        return [_text_chunk(text)]

    def _piece_chunks(self, pieces: list[StreamPiece]) -> list[ChatGenerationChunk]:
        chunks = []
        for piece in pieces:
            if isinstance(piece, TextPiece):
                chunks.append(_text_chunk(piece.text))
            elif isinstance(piece, ToolCallStart):
                self._starts[piece.index] = piece
            elif isinstance(piece, ToolCallArgs):
                start = self._starts.pop(piece.index)
                chunks.append(self._call_chunk(start.name, piece.args_json, start.id))
        return chunks

    def _invalid_call_chunks(self, parsed: ParsedReply) -> list[ChatGenerationChunk]:
        # A stream can only carry raw arguments; the aggregate re-parses them (LangChain's own
        # rule for every provider), so unparseable ones stay invalid_tool_calls.
        return [
            self._call_chunk(call["name"] or "", call["args"] or "", call["id"])
            for call in parsed.invalid_tool_calls
        ]

    def _call_chunk(self, name: str, args: str, call_id: str | None) -> ChatGenerationChunk:
        index = self._calls_emitted
        self._calls_emitted += 1
        chunk = tool_call_chunk(name=name, args=args, id=call_id, index=index)
        message = AIMessageChunk(
            content="", tool_call_chunks=[chunk], response_metadata={"model_provider": PROVIDER}
        )
        return ChatGenerationChunk(message=message)


def _text_chunk(text: str) -> ChatGenerationChunk:
    message = AIMessageChunk(content=text, response_metadata={"model_provider": PROVIDER})
    return ChatGenerationChunk(message=message)


# --------------------------------------------------------------------------------------
# Structured output
# --------------------------------------------------------------------------------------


class JsonReplyParser(BaseOutputParser[Any]):
    """Reads the JSON value of a structured-output reply, leniently, and validates it.

    Fences and prose around the JSON are tolerated; a pydantic model (v2 or v1) is built, a
    TypedDict / JSON schema is checked.

    It parses the whole reply once, so ``stream`` yields the final object only.
    """

    schema_type: Any = None
    """A pydantic class to build, or ``None`` for a plain dict."""
    json_schema: dict[str, Any] | None = None
    """The JSON schema to check a plain dict against."""

    @property
    def _type(self) -> str:
        return "oneminai_json_reply"

    def parse(self, text: str) -> Any:
        """Parse and validate one reply."""
        try:
            value = extract_json(text)
        except JSONExtractionError as error:
            message = f"The reply holds no JSON value: {error}"
            raise OutputParserException(message, llm_output=text) from None
        if self.schema_type is not None:
            try:
                if hasattr(self.schema_type, "model_validate"):
                    return self.schema_type.model_validate(value)
                return self.schema_type.parse_obj(value)  # pydantic.v1
            except Exception as error:  # pydantic v1 and v2 raise different types
                message = f"The JSON does not fit {self.schema_type.__name__}: {error}"
                raise OutputParserException(message, llm_output=text) from None
        if self.json_schema is not None:
            errors = validate(value, self.json_schema)
            if errors:
                message = "The JSON does not match the schema: " + "; ".join(errors[:5])
                raise OutputParserException(message, llm_output=text)
        return value

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:  # noqa: ARG002
        """Parse the first generation's text."""
        return self.parse(result[0].text)
