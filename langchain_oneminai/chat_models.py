"""``ChatOneMinAI``: 70+ chat models behind one 1min.ai key, as a LangChain chat model.

The methods here are thin shells: every decision is in the chat pipeline (``_chat``).

**Input flow (LangChain -> 1min.ai)**

``plan_call()`` (pure, ``_chat._plan``) checks the call's keyword arguments, picks the
messages to send (``select_turn_messages``: all of them, or only the new turn in conversation
mode) and renders them into the one prompt string 1min.ai takes (``render_prompt``, with the
``<tools>`` or ``<response_format>`` block when tools or structured output are asked for).
The shells then upload images and documents (``OneMinAIClient.upload_cached``: each distinct
file once) and call ``OneMinAIClient.chat`` / ``chat_stream`` (``POST /api/chat-with-ai``);
``next_repair()`` decides whether an unusable reply earns its one corrective re-prompt.

**Output flow (1min.ai -> LangChain)**

``message_from_reply()`` for ``invoke``; ``StreamAssembler`` for streams: one
``AIMessageChunk`` per content delta (cut at a stop sequence by ``StopFilter``; tool calls as
``tool_call_chunks``), then a last chunk (``chunk_position="last"``) carrying ``model_name``
and the record's metadata, so aggregation never duplicates it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, Literal, Self

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams, LanguageModelInput
from langchain_core.language_models.model_profile import ModelProfile
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers.openai_tools import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough, ensure_config
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from pydantic.v1 import BaseModel as BaseModelV1

from langchain_oneminai._chat._assemble import StreamAssembler, message_from_reply
from langchain_oneminai._chat._output import PROVIDER
from langchain_oneminai._chat._plan import SETTINGS, ChatPlan, ResponseFormat, plan_call
from langchain_oneminai._chat._repairs import next_repair
from langchain_oneminai._chat._structured import JsonReplyParser
from langchain_oneminai._chat._tool_calls import check_tools, normalize_tool_choice
from langchain_oneminai._chat._uploads import aupload_attachments, model_profile, upload_attachments
from langchain_oneminai._transport import display_url
from langchain_oneminai._version import __version__
from langchain_oneminai._wire import AIRecord, ChatAttachments
from langchain_oneminai.client import ChatOptions
from langchain_oneminai.client._components import ClientConfig
from langchain_oneminai.errors import InvalidInputError

__all__ = ["ChatOneMinAI"]

DEFAULT_MODEL = "gpt-4o-mini"
"""A cheap, vision-capable model every 1min.ai catalog snapshot lists (wire.md#known-models)."""


class ChatOneMinAI(ClientConfig, BaseChatModel):
    r"""1min.ai chat models (GPT, Claude, Gemini, Grok, DeepSeek, Llama, Mistral, Qwen…).

    The outputs below are from real runs against the bundled emulator (``OneMinAIEmulator``),
    with scripted replies where a language model's answer is needed; ids and times vary.

    Setup:
        Install ``langchain-oneminai`` and set your 1min.ai API key:

        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

        No key at hand? ``python -m langchain_oneminai.emulator`` serves an offline emulator
        and prints the ``ONEMINAI_*`` variables that point everything at it.

    Key init args — completion params:
        model: str
            A model id of the 1min.ai chat catalog (``oneminai models`` lists them).
        stop: list[str] | None
            Stop sequences, applied client-side (1min.ai has none).
        temperature, max_tokens:
            Accepted for compatibility and **not sent**: 1min.ai has no such parameters.

    Key init args — 1min.ai params:
        conversation_id: str | None
            Conversation mode: the server keeps the thread's history; only new turns are sent.
        web_search, num_of_site, max_word:
            Let the model read the web.
        history_message_limit, is_mixed, with_memories, brand_voice_id:
            Server-side history and memory controls.
        max_tool_repairs: int
            Corrective re-prompts after an unusable tool call or structured reply (default 1).

    Key init args — client params:
        api_key: SecretStr | None
            Defaults to ``ONEMINAI_API_KEY`` (then ``ONE_MIN_API_KEY``).
        base_url, asset_base_url: str | None
            Default to ``ONEMINAI_BASE_URL`` / ``ONEMINAI_ASSET_BASE_URL``.
        timeout: float | tuple[float, float] | None
            Seconds (or ``(connect, read)``); the read timeout bounds silence, not the reply.
        max_retries: int
            Retries of refused or unsent requests (429, 502, 503, connection errors).
        client: OneMinAIClient | None
            Share one transport (and its upload cache) between components.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import ChatOneMinAI

            llm = ChatOneMinAI(model="gpt-4o-mini")

    Invoke:
        .. code-block:: python

            messages = [
                ("system", "Translate the user sentence to French."),
                ("human", "I love programming."),
            ]
            llm.invoke(messages)

        .. code-block:: text

            AIMessage(
                content="J'adore la programmation.",
                response_metadata={
                    "model_name": "gpt-4o-mini",
                    "model_provider": "oneminai",
                    "ai_record_id": "e3e70682-c209-4cac-a29f-6fbed82c07cd",
                    "status": "SUCCESS",
                    "created_at": "2026-11-23T07:10:16.809Z",
                },
                id="e3e70682-c209-4cac-a29f-6fbed82c07cd",
            )

    Stream:
        .. code-block:: python

            for chunk in llm.stream("I love programming."):
                print(repr(chunk))

        .. code-block:: text

            AIMessageChunk(content="J'", response_metadata={'model_provider': 'oneminai'}, ...)
            AIMessageChunk(content='adore ', response_metadata={'model_provider': 'oneminai'}, ...)
            ...
            AIMessageChunk(content='', response_metadata={'model_name': 'gpt-4o-mini',
            'model_provider': 'oneminai', 'ai_record_id': 'f728b4fa-…', 'status': 'SUCCESS',
            ...}, chunk_position='last')

    Async:
        .. code-block:: python

            await llm.ainvoke("Hello")
            async for chunk in llm.astream("Hello"):
                print(chunk.text, end="")

        Native ``aiohttp``, one connection pool per event loop: ``asyncio.run`` may be called
        any number of times with the same model.

    Tool calling:
        1min.ai has no native tools: ``bind_tools`` describes them in the prompt and parses
        the reply (see ``_chat._tool_calls``).

        .. code-block:: python

            from pydantic import BaseModel, Field


            class GetWeather(BaseModel):
                '''Get the current weather in a given location.'''

                location: str = Field(description="The city and state, e.g. San Francisco, CA")


            llm.bind_tools([GetWeather]).invoke("What is the weather like in Paris?").tool_calls

        .. code-block:: python

            [
                {
                    "name": "GetWeather",
                    "args": {"location": "Paris, France"},
                    "id": "call_350f67144e6746e1aeafc36e",
                    "type": "tool_call",
                }
            ]

    Structured output:
        .. code-block:: python

            class Joke(BaseModel):
                '''Joke to tell user.'''

                setup: str = Field(description="The setup of the joke")
                punchline: str = Field(description="The punchline to the joke")


            llm.with_structured_output(Joke).invoke("Tell me a joke about cats")

        .. code-block:: text

            Joke(setup='Why was the cat sitting on the computer?',
                 punchline='To keep an eye on the mouse!')

        ``method`` may be ``"json_schema"`` (default), ``"function_calling"`` or
        ``"json_mode"``; ``include_raw=True`` returns ``{"raw", "parsed", "parsing_error"}``.

    Image input:
        .. code-block:: python

            from langchain_core.messages import HumanMessage

            message = HumanMessage(
                content=[
                    {"type": "text", "text": "Describe this picture"},
                    {"type": "image", "url": "https://example.com/cat.png"},
                ]
            )
            llm.invoke([message])

        Images and documents are uploaded to 1min.ai's asset store once per distinct file and
        attached; a model the catalog lists as text-only refuses images before any upload.

    Conversation mode:
        .. code-block:: python

            thread = llm.with_conversation("Trip planning")  # a new server-side thread
            thread.invoke("I am going to Lisbon in May.")
            thread.invoke("What should I pack?")  # the server remembers the first turn

    Token usage:
        ``usage_metadata`` is set only when 1min.ai reports real token counts in the record
        (``aiRecord.metadata``); it is never an estimate. Credits, when reported, are in
        ``response_metadata["credits"]``.

    Response metadata:
        .. code-block:: python

            llm.invoke(messages).response_metadata

        .. code-block:: python

            {
                "model_name": "gpt-4o-mini",
                "model_provider": "oneminai",
                "ai_record_id": "e3e70682-c209-4cac-a29f-6fbed82c07cd",
                "status": "SUCCESS",
                "created_at": "2026-11-23T07:10:16.809Z",
            }
    """

    model_name: str = Field(default=DEFAULT_MODEL, alias="model")
    """The 1min.ai model id, e.g. ``gpt-4o-mini`` or ``claude-sonnet-4-6``."""

    temperature: float | None = None
    """Accepted for LangChain compatibility; not sent (1min.ai has no temperature)."""

    max_tokens: int | None = None
    """Accepted for LangChain compatibility; not sent (1min.ai has no length limit)."""

    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    """Stop sequences, applied client-side: output ends before the first one."""

    streaming: bool = False
    """Stream even from ``invoke`` (the reply is aggregated)."""

    conversation_id: str | None = None
    """Conversation mode: continue this server-side thread and send only the new turn."""

    web_search: bool | None = None
    """Let the model search the web (``webSearchSettings.webSearch``)."""

    num_of_site: int | None = None
    """How many sites web search reads (``numOfSite``); the server's default if unset."""

    max_word: int | None = None
    """How many words web search extracts (``maxWord``); the server's default if unset."""

    history_message_limit: int | None = None
    """How many past messages the server feeds back (``historyMessageLimit``)."""

    is_mixed: bool | None = None
    """Include turns other models produced in the conversation (``isMixed``)."""

    with_memories: bool | None = None
    """Cross-conversation AI memory (``withMemories``)."""

    brand_voice_id: str | None = None
    """A 1min.ai brand voice to apply (``brandVoiceId``)."""

    check_image_support: bool = True
    """Refuse images for models the catalog lists as text-only, before uploading anything."""

    max_tool_repairs: int = 1
    """Corrective re-prompts after an unusable reply: a forced tool call answered with prose,
    a malformed call, or structured output that is not valid JSON for the schema (0: none)."""

    follow_message_history: bool = True
    """Inside ``RunnableWithMessageHistory`` with an ``OneMinAIChatMessageHistory`` (the way
    LangChain's docs write it: ``lambda sid: OneMinAIChatMessageHistory(session_id=sid)``),
    continue that history's 1min.ai thread: conversation mode on it, so only the new turn is
    sent and 1min.ai records it where the history will read it. ``False``: ignore it. An
    explicit ``conversation_id`` always wins."""

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    _systems_sent: set[str] = PrivateAttr(default_factory=set)

    @model_validator(mode="after")
    def _set_oneminai_version(self) -> Self:
        self._add_version("langchain-oneminai", __version__)
        return self

    # -- LangChain identity -------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "oneminai-chat"

    @property
    def lc_secrets(self) -> dict[str, str]:
        """The key is serialised as a reference to its environment variable, never its value."""
        return {"oneminai_api_key": "ONEMINAI_API_KEY"}

    @property
    def _identifying_params(self) -> dict[str, Any]:
        base_url = display_url(self.base_url) if self.base_url else None
        params = {"model_name": self.model_name, "base_url": base_url}
        params.update({name: getattr(self, name) for name in SETTINGS})
        return {k: v for k, v in params.items() if v is not None}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider=PROVIDER,
            ls_model_name=kwargs.get("model") or self.model_name,
            ls_model_type="chat",
            ls_temperature=kwargs.get("temperature", self.temperature),
        )
        if max_tokens := kwargs.get("max_tokens", self.max_tokens):
            params["ls_max_tokens"] = max_tokens
        if stop := stop or kwargs.get("stop") or self.stop:
            params["ls_stop"] = stop
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return model_profile(self.model_name)

    # -- conversation mode ---------------------------------------------------------------

    def with_conversation(
        self, title: str | None = None, *, conversation_id: str | None = None
    ) -> ChatOneMinAI:
        """A copy of this model in conversation mode, on a new (or the given) server thread.

        Creating the thread is one ``POST /api/conversations`` call; pass
        ``conversation_id`` to continue an existing thread without any call.
        """
        if conversation_id is None:
            conversation_id = (
                self._client().create_conversation(_title(title), self.model_name).uuid
            )
        return self.model_copy(update={"conversation_id": conversation_id})

    async def awith_conversation(
        self, title: str | None = None, *, conversation_id: str | None = None
    ) -> ChatOneMinAI:
        """Async :meth:`with_conversation`."""
        if conversation_id is None:
            conversation = await self._client().acreate_conversation(_title(title), self.model_name)
            conversation_id = conversation.uuid
        return self.model_copy(update={"conversation_id": conversation_id})

    # -- tools and structured output -----------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        parallel_tool_calls: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools; the model calls them through a prompt protocol (1min.ai has no native tools).

        Args:
            tools: Anything ``convert_to_openai_tool`` accepts: ``BaseTool``s, functions,
                pydantic classes, TypedDicts, JSON-schema dicts.
            tool_choice: ``"auto"``/``None`` (the model decides), ``"any"``/``"required"``/
                ``True`` (it must call one), a tool name (it must call that one), ``"none"``.
            parallel_tool_calls: ``False`` asks for at most one call per reply.
            **kwargs: Bound as call arguments.

        Raises:
            InvalidInputError: a tool whose name cannot go into the prompt (markup, spaces,
                newlines; at most 64 of ``A-Z a-z 0-9 _ - .``), two different tools of one
                name, a parameters schema that is not a JSON schema, or a ``tool_choice``
                naming a tool that is not among ``tools``.
        """
        formatted = check_tools([convert_to_openai_tool(tool) for tool in tools])
        names = [tool["function"]["name"] for tool in formatted]
        # Arguments are checked the way each tool will check them: a pydantic schema by
        # pydantic's own (lax) rules, so a call it would accept is never re-prompted (billed).
        models = dict(filter(None, (_pydantic_schema_of(tool) for tool in tools)))
        if models:
            kwargs["tool_models"] = models
        try:
            choice = normalize_tool_choice(tool_choice, names) if tool_choice is not None else None
        except ValueError as error:
            raise InvalidInputError(str(error)) from None
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        return super().bind(tools=formatted, tool_choice=choice, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Literal["json_schema", "function_calling", "json_mode"] = "json_schema",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Return the reply as an object of ``schema``, validated, repaired once if needed.

        Args:
            schema: A pydantic class (v2 or v1), a TypedDict or a JSON schema; optional with
                ``method="json_mode"``.
            method: ``"json_schema"`` asks for JSON following the schema; ``"function_calling"``
                forces a call to a tool shaped like the schema; ``"json_mode"`` asks for any
                JSON object (describe its shape in your prompt).
            include_raw: Return ``{"raw", "parsed", "parsing_error"}`` instead of raising.
            strict: Forbid properties the schema does not define.
            **kwargs: Not supported; present for signature compatibility.
        """
        if kwargs:
            raise InvalidInputError(
                f"with_structured_output got unsupported arguments {sorted(kwargs)}."
            )
        if schema is None and method != "json_mode":
            raise InvalidInputError(
                f"method={method!r} needs a schema; use method='json_mode' for any JSON object."
            )
        pydantic_class = schema if isinstance(schema, type) and _is_pydantic(schema) else None
        json_schema = convert_to_json_schema(schema) if schema is not None else None
        trace = {"kwargs": {"method": method, "strict": strict}, "schema": json_schema}
        if method == "function_calling":
            assert schema is not None  # noqa: S101 - checked above
            tool_name = convert_to_openai_tool(schema)["function"]["name"]
            llm = self.bind_tools(
                [schema], tool_choice=tool_name, ls_structured_output_format=trace
            )
            parser: Runnable[Any, Any] = (
                PydanticToolsParser(tools=[pydantic_class], first_tool_only=True)
                if pydantic_class
                else JsonOutputKeyToolsParser(key_name=tool_name, first_tool_only=True)
            )
        elif method in ("json_schema", "json_mode"):
            response_format = ResponseFormat(
                schema=json_schema if method == "json_schema" else None,
                strict=strict,
                model=pydantic_class if method == "json_schema" else None,
            )
            llm = self.bind(response_format=response_format, ls_structured_output_format=trace)
            parser = JsonReplyParser(
                schema_type=pydantic_class, json_schema=None if pydantic_class else json_schema
            )
        else:
            raise InvalidInputError(
                f"Unknown method {method!r}: use json_schema, function_calling or json_mode."
            )
        if not include_raw:
            return llm | parser
        parse = RunnablePassthrough.assign(
            parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
        )
        fallback = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | parse.with_fallbacks(
            [fallback], exception_key="parsing_error"
        )

    # -- the four entry points (shells) --------------------------------------------------

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,  # noqa: ARG002 - no tokens to report
        **kwargs: Any,
    ) -> ChatResult:
        kwargs = self._on_history_thread(kwargs)
        plan, client = self._plan(messages, stop, kwargs), self._client()
        options: ChatOptions = {**plan.options, "attachments": self._upload(plan)}
        record, repairs = client.chat(plan.model, plan.prompt.text, **options), 0
        while (prompt := next_repair(plan, record.text, repairs)) is not None:
            record, repairs = client.chat(plan.model, prompt, **options), repairs + 1
        return self._result(plan, record, repairs)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,  # noqa: ARG002
        **kwargs: Any,
    ) -> ChatResult:
        kwargs = await self._aon_history_thread(kwargs)
        plan, client = self._plan(messages, stop, kwargs), self._client()
        options: ChatOptions = {**plan.options, "attachments": await self._aupload(plan)}
        record, repairs = await client.achat(plan.model, plan.prompt.text, **options), 0
        while (prompt := next_repair(plan, record.text, repairs)) is not None:
            record, repairs = await client.achat(plan.model, prompt, **options), repairs + 1
        return self._result(plan, record, repairs)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        plan = self._plan(messages, stop, self._on_history_thread(kwargs))
        options: ChatOptions = {**plan.options, "attachments": self._upload(plan)}
        assembler = StreamAssembler(plan)
        prompt: str | None = plan.prompt.text
        while prompt is not None:  # one pass per attempt; a repair starts another
            with contextlib.closing(
                self._client().chat_stream(plan.model, prompt, **options)
            ) as events:
                for event in events:
                    yield from _tokens(assembler.on_event(event), run_manager)
                    if assembler.stopped:
                        break  # a stop sequence completed: stop reading (closing drops the stream)
            chunks, prompt = assembler.end_attempt()
            yield from _tokens(chunks, run_manager)
        self._remember_system(plan)
        yield from _tokens([assembler.finish()], run_manager)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        plan = self._plan(messages, stop, await self._aon_history_thread(kwargs))
        options: ChatOptions = {**plan.options, "attachments": await self._aupload(plan)}
        assembler = StreamAssembler(plan)
        prompt: str | None = plan.prompt.text
        while prompt is not None:
            async with contextlib.aclosing(
                self._client().achat_stream(plan.model, prompt, **options)
            ) as events:
                async for event in events:
                    for chunk in await _atokens(assembler.on_event(event), run_manager):
                        yield chunk
                    if assembler.stopped:
                        break
            chunks, prompt = assembler.end_attempt()
            for chunk in await _atokens(chunks, run_manager):
                yield chunk
        self._remember_system(plan)
        for chunk in await _atokens([assembler.finish()], run_manager):
            yield chunk

    # -- I/O helpers (thin) ----------------------------------------------------------------

    def _on_history_thread(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        history = self._history_to_follow(kwargs)
        if history is None:
            return kwargs
        return {**kwargs, "conversation_id": history.ensure_conversation()}

    async def _aon_history_thread(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        history = self._history_to_follow(kwargs)
        if history is None:
            return kwargs
        return {**kwargs, "conversation_id": await history.aensure_conversation()}

    def _history_to_follow(self, kwargs: Mapping[str, Any]) -> Any:
        """The run's 1min.ai history whose thread this call continues, if any (no I/O).

        ``RunnableWithMessageHistory`` puts the session's history in the run's config
        (``configurable["message_history"]``), which the call inherits from its context.
        """
        if not self.follow_message_history:
            return None
        if kwargs.get("conversation_id") or self.conversation_id:
            return None
        history = (ensure_config().get("configurable") or {}).get("message_history")
        return history if callable(getattr(history, "aensure_conversation", None)) else None

    def _upload(self, plan: ChatPlan) -> ChatAttachments | None:
        return upload_attachments(
            self._client(),
            plan.prompt,
            vision_check=self.check_image_support,
            model=plan.model,
        )

    async def _aupload(self, plan: ChatPlan) -> ChatAttachments | None:
        return await aupload_attachments(
            self._client(),
            plan.prompt,
            vision_check=self.check_image_support,
            model=plan.model,
        )

    # -- pure decisions ------------------------------------------------------------------

    def _plan(
        self, messages: Sequence[BaseMessage], stop: list[str] | None, kwargs: Mapping[str, Any]
    ) -> ChatPlan:
        """Validate the call and decide what to send (no I/O)."""
        defaults = {
            name: getattr(self, name)
            for name in (*SETTINGS, "model_name", "stop", "max_tool_repairs")
        }
        return plan_call(
            messages, defaults=defaults, kwargs=kwargs, stop=stop, systems_sent=self._systems_sent
        )

    def _result(self, plan: ChatPlan, record: AIRecord, repairs: int) -> ChatResult:
        self._remember_system(plan)
        return ChatResult(
            generations=[ChatGeneration(message=message_from_reply(plan, record, repairs=repairs))]
        )

    def _remember_system(self, plan: ChatPlan) -> None:
        if plan.sends_system and plan.conversation_id:
            self._systems_sent.add(plan.conversation_id)


def _tokens(
    chunks: list[ChatGenerationChunk], run_manager: CallbackManagerForLLMRun | None
) -> Iterator[ChatGenerationChunk]:
    for chunk in chunks:
        if run_manager:
            run_manager.on_llm_new_token(chunk.text, chunk=chunk)
        yield chunk


async def _atokens(
    chunks: list[ChatGenerationChunk], run_manager: AsyncCallbackManagerForLLMRun | None
) -> list[ChatGenerationChunk]:
    for chunk in chunks:
        if run_manager:
            await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
    return chunks


def _is_pydantic(schema: type) -> bool:
    return issubclass(schema, BaseModel | BaseModelV1)


def _pydantic_schema_of(tool: Any) -> tuple[str, type] | None:
    """``(name, model)`` for a tool defined by a pydantic class (or whose arguments are one).

    Its calls are then validated the way the tool will validate them.
    """
    model = tool if isinstance(tool, type) and _is_pydantic(tool) else None
    if model is None and isinstance(tool, BaseTool) and isinstance(tool.args_schema, type):
        model = tool.args_schema if _is_pydantic(tool.args_schema) else None
    if model is None:
        return None
    return convert_to_openai_tool(tool)["function"]["name"], model


def _title(title: str | None) -> str:
    return (title or "LangChain conversation")[:91]
