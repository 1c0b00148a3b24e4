"""Chat (``POST /api/chat-with-ai``, wire.md#chat-request): one prompt, a record or a stream."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from typing import Any, TypedDict

from typing_extensions import Unpack

from langchain_oneminai._transport import (
    ChatStreamParser,
    PreparedRequest,
    TimeoutSpec,
)
from langchain_oneminai._wire import (
    CHAT_FEATURE,
    AIRecord,
    ChatAttachments,
    ChatSettings,
    ChatStreamEvent,
    StreamErrorEvent,
    StreamResult,
    build_chat_payload,
    parse_record,
)
from langchain_oneminai.client._base import ClientBase, _Call, scrubbed
from langchain_oneminai.errors import (
    GenerationFailedError,
    InvalidInputError,
    StreamError,
    header_value,
)


class ChatOptions(TypedDict, total=False):
    """Optional arguments of :meth:`OneMinAIClient.chat` and its streaming/async twins."""

    conversation_id: str | None
    """Continue this server-side conversation (``promptObject.conversationId``)."""
    attachments: ChatAttachments | Mapping[str, Sequence[str]] | None
    """Uploaded assets: ``{"images": [asset paths], "files": [file uuids]}``."""
    web_search: bool | None
    """Let the model search the web."""
    num_of_site: int | None
    """Sites web search reads."""
    max_word: int | None
    """Words web search extracts."""
    is_mixed: bool | None
    """Include other models' turns of the conversation in its history."""
    history_message_limit: int | None
    """How many past messages of the conversation the server feeds back."""
    with_memories: bool | None
    """Cross-conversation AI memory."""
    brand_voice_id: str | None
    """A brand voice to apply."""
    timeout: TimeoutSpec
    """Timeouts for this call."""


def chat_attachments(
    value: ChatAttachments | Mapping[str, Sequence[str]] | None,
) -> ChatAttachments | None:
    if value is None or isinstance(value, ChatAttachments):
        return value
    unknown = set(value) - {"images", "files"}
    if unknown:
        raise InvalidInputError(f"attachments takes 'images' and 'files'; got {sorted(unknown)}.")
    return ChatAttachments(
        images=tuple(value.get("images", ())), files=tuple(value.get("files", ()))
    )


def checked_event(event: ChatStreamEvent, request: PreparedRequest) -> ChatStreamEvent:
    """The event, or the typed error it stands for (redacted: the server may echo the key)."""
    with scrubbed(request):
        if isinstance(event, StreamErrorEvent):
            raise StreamError(
                f"1min.ai reported an error in the middle of the stream: {event.message}. "
                "The text received before it was delivered; try again.",
                api_message=event.message,
                method=request.method,
                path=request.path,
            )
        if isinstance(event, StreamResult):
            successful_record(event.record, request)
    return event


def successful_record(record: AIRecord, request: PreparedRequest) -> AIRecord:
    if record.failed:
        reason = record.failure_message or "no reason given"
        raise GenerationFailedError(
            f"1min.ai could not complete the {record.type or 'request'} "
            f"with {record.model or request.model}: "
            f"{reason} (aiRecord.status={record.status}). Try again, or another model.",
            api_message=record.failure_message,
            body={"aiRecord": {"uuid": record.uuid, "status": record.status}},
            method=request.method,
            path=request.path,
        )
    return record


class ChatResource(ClientBase):
    """Chat with any model of the ``UNIFY_CHAT_WITH_AI`` catalog."""

    def chat(self, model: str, prompt: str, **options: Unpack[ChatOptions]) -> AIRecord:
        """Send one prompt to a chat model (``POST /api/chat-with-ai``) and return its record.

        Args:
            model: A model id of the ``UNIFY_CHAT_WITH_AI`` catalog, e.g. ``gpt-4o-mini``.
            prompt: The whole prompt (1min.ai takes one string, not a message list).
            **options: See :class:`ChatOptions`.

        Raises:
            GenerationFailedError: the API reported the generation as failed.
            OneMinAIError: any other failure (see ``langchain_oneminai.errors``).
        """
        return self._run(self._chat_call(model, prompt, stream=False, options=options))

    async def achat(self, model: str, prompt: str, **options: Unpack[ChatOptions]) -> AIRecord:
        """Async :meth:`chat`."""
        return await self._arun(self._chat_call(model, prompt, stream=False, options=options))

    def chat_stream(
        self, model: str, prompt: str, **options: Unpack[ChatOptions]
    ) -> Generator[ChatStreamEvent, None, None]:
        """Stream a chat reply (``POST /api/chat-with-ai?isStreaming=true``).

        Yields :class:`ContentDelta` events, then :class:`StreamResult` (the full record),
        then :class:`StreamDone`.

        Retries happen only before the stream starts. An ``error`` event raises
        :class:`StreamError` after the deltas that preceded it.
        """
        call = self._chat_call(model, prompt, stream=True, options=options)
        response = self._sync.request(call.request)
        parser = ChatStreamParser(header_value(response.headers, "content-type"))
        with contextlib.closing(self._sync.iter_bytes(call.request, response)) as chunks:
            for chunk in chunks:
                with scrubbed(call.request):
                    events = parser.feed(chunk)
                self._account_stream(model, events)
                yield from (checked_event(event, call.request) for event in events)  # in order
                if parser.finished:
                    break  # the reply is over: what follows is not read
            with scrubbed(call.request):
                events = parser.close()
            self._account_stream(model, events)
            yield from (checked_event(event, call.request) for event in events)
            with scrubbed(call.request):
                parser.raise_if_failed()

    async def achat_stream(
        self, model: str, prompt: str, **options: Unpack[ChatOptions]
    ) -> AsyncGenerator[ChatStreamEvent, None]:
        """Async :meth:`chat_stream`."""
        call = self._chat_call(model, prompt, stream=True, options=options)
        response = await self._async.request(call.request)
        parser = ChatStreamParser(header_value(response.headers, "content-type"))
        chunks = self._async.iter_bytes(call.request, response)
        try:
            async for chunk in chunks:
                with scrubbed(call.request):
                    events = parser.feed(chunk)
                self._account_stream(model, events)
                for event in events:  # in order: deltas before an error are delivered first
                    yield checked_event(event, call.request)
                if parser.finished:
                    break  # the reply is over: what follows is not read
            with scrubbed(call.request):
                events = parser.close()
            self._account_stream(model, events)
            for event in events:
                yield checked_event(event, call.request)
            with scrubbed(call.request):
                parser.raise_if_failed()
        finally:
            await chunks.aclose()

    def _account_stream(self, model: str, events: Sequence[ChatStreamEvent]) -> None:
        for event in events:
            if isinstance(event, StreamResult):
                self._account(CHAT_FEATURE, model, event.record)

    def _chat_call(
        self, model: str, prompt: str, *, stream: bool, options: Mapping[str, Any]
    ) -> _Call[AIRecord]:
        payload = build_chat_payload(
            model,
            prompt,
            conversation_id=options.get("conversation_id"),
            attachments=chat_attachments(options.get("attachments")),
            settings=ChatSettings(
                web_search=options.get("web_search"),
                num_of_site=options.get("num_of_site"),
                max_word=options.get("max_word"),
                is_mixed=options.get("is_mixed"),
                history_message_limit=options.get("history_message_limit"),
                with_memories=options.get("with_memories"),
            ),
            brand_voice_id=options.get("brand_voice_id"),
        )
        request = self._request(
            "chat",
            query={"isStreaming": "true"} if stream else None,
            json_body=payload,
            stream=stream,
            timeout=options.get("timeout"),
            model=model,
            feature=CHAT_FEATURE,
        )
        self._budget.check(f"the chat call to {model}")

        def parse(body: Any) -> AIRecord:
            record = self._account(CHAT_FEATURE, model, parse_record(body))
            return successful_record(record, request)

        return _Call(request, parse)
