"""Chat: ``POST /api/chat-with-ai`` (wire.md#emulator-chat) and legacy chat on ``/api/features``.

Flow of one chat request::

    key ─▶ JSON body ─▶ type ─▶ model (UNSUPPORTED_MODEL) ─▶ promptObject.prompt
        ─▶ conversationId ─▶ attachments
        ─▶ reply: failure fault > scripted reply > pluggable brain > default brain
        ─▶ record + turn appended to the conversation (for a brain's stream: once its
           last delta is out) ─▶ JSON aiRecord | SSE stream | raw text stream
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator import _brain
from langchain_oneminai.emulator._brain_runner import BrainFailedError, started, text_of
from langchain_oneminai.emulator._catalog_seed import chat_credit
from langchain_oneminai.emulator._checks import (
    ConversationRef,
    check_extra,
    record_response,
    require_model,
    require_object,
    require_text,
    resolve_conversation,
    string_list,
)
from langchain_oneminai.emulator._envelope import (
    Context,
    RecordSpec,
    ai_record,
    server_error,
    usage_metadata,
    validation_error,
)
from langchain_oneminai.emulator._stream import send_raw, send_sse
from langchain_oneminai.emulator._types import CHAT_FEATURE, BrainRequest, ScriptedReply

# Documented fields (wire.md#chat-request); anything else is rejected only in strict mode.
_CHAT_TOP_LEVEL = ("type", "model", "promptObject", "brandVoiceId", "metadata")
_CHAT_PROMPT = ("prompt", "conversationId", "settings", "attachments")
# Legacy chat (wire.md#legacy-chat): conversationId is top-level; flat web-search keys.
_LEGACY_TOP_LEVEL = ("type", "model", "promptObject", "conversationId", "metadata")
_LEGACY_PROMPT = ("prompt", "isMixed", "webSearch", "numOfSite", "maxWord", "imageList")
_NEEDS_CONVERSATION = ("CHAT_WITH_PDF", "CHAT_WITH_YOUTUBE_VIDEO")


@dataclass
class ChatTurn:
    """A validated chat request."""

    feature: str
    """The chat type (``UNIFY_CHAT_WITH_AI`` or a legacy type)."""
    model: str
    """The model id."""
    prompt: str
    """``promptObject.prompt``."""
    prompt_object: dict[str, Any]
    """The whole ``promptObject``, echoed in the record."""
    conversation: ConversationRef
    """How ``conversationId`` resolved."""
    images: list[str] = field(default_factory=list)
    """Attached image keys (or URLs)."""
    files: list[str] = field(default_factory=list)
    """Attached file uuids."""


def _attachments(ctx: Context, value: Any) -> tuple[list[str], list[str]]:
    """``attachments.images`` (asset keys, or URLs per knob) and ``attachments.files`` (uuids)."""
    if value is None:
        return [], []
    attachments = require_object(value, "promptObject.attachments")
    images = string_list(attachments.get("images"), "promptObject.attachments.images")
    files = string_list(attachments.get("files"), "promptObject.attachments.files")
    for index, image in enumerate(images):
        is_url = image.startswith(("http://", "https://"))
        if ctx.state.asset(image) is None and not (
            is_url and ctx.settings.image_urls_in_attachments
        ):
            raise validation_error(
                f"promptObject.attachments.images[{index}] is not a known asset key: {image}"
            )
    for index, file_id in enumerate(files):
        if ctx.state.asset_by_uuid(file_id) is None:
            raise validation_error(
                f"promptObject.attachments.files[{index}] is not a known file uuid: {file_id}"
            )
    return images, files


async def handle_chat(ctx: Context) -> web.StreamResponse:
    """``POST /api/chat-with-ai[?isStreaming=true]`` (wire.md#chat-request, #emulator-chat)."""
    body = ctx.json_object()
    feature = body.get("type", CHAT_FEATURE)
    if feature != CHAT_FEATURE:
        # The docs name one type here; what the route does with another is not captured.
        raise validation_error(f"type must be one of the following values: {CHAT_FEATURE}")
    model = require_model(ctx, body, feature)
    check_extra(ctx, body, _CHAT_TOP_LEVEL, "")
    prompt_object = require_object(body.get("promptObject"), "promptObject")
    check_extra(ctx, prompt_object, _CHAT_PROMPT, "promptObject.")
    prompt = require_text(prompt_object, "prompt", allow_empty=True)
    # v2 reads promptObject.conversationId; the top-level copy is a legacy habit.
    # wire: where-conversationid-goes
    raw_id = prompt_object.get("conversationId", body.get("conversationId"))
    conversation = resolve_conversation(ctx, raw_id, "promptObject.conversationId")
    images, files = _attachments(ctx, prompt_object.get("attachments"))
    turn = ChatTurn(feature, model, prompt, prompt_object, conversation, images, files)
    return await _reply(ctx, turn, ctx.state.pop_chat_script(), legacy=False)


async def handle_legacy_chat(
    ctx: Context, body: dict[str, Any], feature: str
) -> web.StreamResponse:
    """Legacy chat types on ``/api/features`` (wire.md#legacy-chat): refused or served per knob."""
    if ctx.settings.legacy_chat == "reject":
        # Guessed: the docs say these types are "no longer supported" here; the exact error
        # body is not captured, so the emulator uses the known validation error shape.
        raise validation_error(
            f"{feature} is no longer supported on /api/features; use POST /api/chat-with-ai"
        )
    model = require_model(ctx, body, feature)
    check_extra(ctx, body, _LEGACY_TOP_LEVEL, "")
    prompt_object = require_object(body.get("promptObject"), "promptObject")
    check_extra(ctx, prompt_object, _LEGACY_PROMPT, "promptObject.")
    prompt = require_text(prompt_object, "prompt", allow_empty=True)
    conversation = resolve_conversation(ctx, body.get("conversationId"), "conversationId")
    images = string_list(prompt_object.get("imageList"), "promptObject.imageList")
    for index, image in enumerate(images):
        if ctx.state.asset(image) is None:
            raise validation_error(
                f"promptObject.imageList[{index}] is not a known asset key: {image}"
            )
    files: list[str] = []
    if feature in _NEEDS_CONVERSATION:
        # "Required - must create conversation first" (docs: conversations).
        # wire: create-a-conversation
        value = conversation.value
        stored = (
            ctx.state.conversation(value) if value is not None and conversation.stored else None
        )
        if stored is None or stored.get("type") != feature:
            raise validation_error(f"conversationId of a {feature} conversation is required")
        files = list(stored.get("fileList") or [])
    turn = ChatTurn(feature, model, prompt, prompt_object, conversation, images, files)
    script = ctx.state.pop_feature_script(feature) or ctx.state.pop_chat_script()
    return await _reply(ctx, turn, script, legacy=True)


@dataclass
class _Reply:
    """What a chat request is answered with, before any bytes go out."""

    chunks: list[str] | AsyncIterator[str]
    """The stream deltas: known up front, or a brain's, produced as the stream goes."""
    text: str | None = None
    """The record's text when it is fixed (a script); ``None``: the deltas joined."""
    result_object: Any = None
    """``resultObject`` when scripted; ``None``: ``[text]``."""
    status: str = "SUCCESS"
    """``aiRecord.status``."""
    error_message: str | None = None
    """``aiRecordDetail.errorMessage``."""
    overrides: dict[str, Any] | None = None
    """Scripted record fields."""


async def _answer(ctx: Context, turn: ChatTurn, script: ScriptedReply | None) -> _Reply:
    """The reply, by precedence: a failure fault, a script, the brain, the default brain.

    Raises:
        ApiError: 500 when the brain fails before its first delta.
    """
    if ctx.fault is not None and ctx.fault.failed_record:
        # Inferred: a failed record carries no text; its resultObject is left empty.
        return _Reply([], "", [], "FAILED", ctx.fault.failed_message)
    if script is not None:
        text = script.reply_text() or ""
        chunks = list(script.chunks) if script.chunks is not None else _brain.split_words(text)
        return _Reply(
            chunks, text, script.result_object, script.status, script.error_message, script.record
        )
    conversation_id = turn.conversation.value if turn.conversation.stored else None
    if ctx.brain is None:
        earlier = ctx.state.conversation_turns(conversation_id) if conversation_id else None
        text = _brain.default_reply(
            turn.model, turn.prompt, images=turn.images, files=turn.files, earlier_turns=earlier
        )
        return _Reply(_brain.split_words(text), text)
    request = BrainRequest(
        model=turn.model,
        prompt=turn.prompt,
        history=ctx.state.conversation_history(conversation_id) if conversation_id else (),
        images=tuple(turn.images),
        files=tuple(turn.files),
        stream=ctx.streaming,
    )
    try:
        deltas = ctx.brain.chunks(request)
        if not ctx.streaming:
            text = await text_of(deltas)
            return _Reply([text] if text else [], text)
        return _Reply(await started(deltas))
    except BrainFailedError as error:
        raise server_error(str(error)) from error


async def _reply(
    ctx: Context, turn: ChatTurn, script: ScriptedReply | None, *, legacy: bool
) -> web.StreamResponse:
    reply = await _answer(ctx, turn, script)
    settings = ctx.settings

    def finish(joined: str) -> dict[str, Any]:
        """Build the record once the text is known, and record the turn."""
        text = reply.text if reply.text is not None else joined
        input_words, output_words = _brain.count_words(turn.prompt), _brain.count_words(text)
        conversation_id = turn.conversation.value
        spec = RecordSpec(
            feature=turn.feature,
            model=turn.model,
            prompt_object=turn.prompt_object,
            result_object=reply.result_object if reply.result_object is not None else [text],
            conversation_id=conversation_id,
            status=reply.status,
            error_message=reply.error_message,
            metadata=usage_metadata(input_words, output_words)
            if settings.record_token_usage
            else None,
            credit=chat_credit(input_words, output_words) if settings.record_credit else None,
            overrides=reply.overrides,
        )
        record = ai_record(ctx, spec)
        if conversation_id is not None and turn.conversation.stored and reply.status == "SUCCESS":
            _append_turn(ctx, conversation_id, turn, text, record)
        return {"aiRecord": record}

    chunks = reply.chunks
    if isinstance(chunks, list):
        # Known up front: the record (and the stored turn) exist before the first byte, so a
        # stream a fault cuts short still leaves its turn in the conversation.
        envelope = finish("".join(chunks))
        if not ctx.streaming:
            return record_response(ctx, envelope["aiRecord"])
        if legacy or (ctx.fault is not None and ctx.fault.raw_text_stream):
            return await send_raw(ctx, chunks)
        return await send_sse(ctx, chunks, envelope)
    # A brain's stream: the record is built when its last delta is out.
    if legacy or (ctx.fault is not None and ctx.fault.raw_text_stream):
        return await send_raw(ctx, chunks, finish)
    return await send_sse(ctx, chunks, finish)


def _append_turn(
    ctx: Context, conversation_id: str, turn: ChatTurn, text: str, record: dict[str, Any]
) -> None:
    stored: dict[str, Any] = {
        "prompt": turn.prompt,
        "reply": text,
        "aiRecordId": record["uuid"],
        "model": turn.model,
        "createdAt": record["createdAt"],
        "images": list(turn.images),
        "files": list(turn.files),
        # Seconds, as the web app's messages carry it (1minai-webapi ``MessageRecord``).
        "executionTime": round(time.monotonic() - ctx.started, 3),
    }
    if "credit" in record:
        stored["credit"] = record["credit"]
    ctx.state.append_turn(conversation_id, stored)
