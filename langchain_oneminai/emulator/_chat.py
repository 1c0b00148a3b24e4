"""Chat: ``POST /api/chat-with-ai`` (v2, reference §3, §19.3) and legacy chat on ``/api/features``.

Flow of one chat request::

    key ─▶ JSON body ─▶ type ─▶ model (UNSUPPORTED_MODEL) ─▶ promptObject.prompt
        ─▶ conversationId ─▶ attachments ─▶ reply (script queue, else the brain)
        ─▶ turn appended to the conversation ─▶ JSON aiRecord | SSE stream | raw text stream
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator import _brain
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
    usage_metadata,
    validation_error,
)
from langchain_oneminai.emulator._stream import send_raw, send_sse
from langchain_oneminai.emulator._types import CHAT_FEATURE, ScriptedReply

# Documented fields (reference §3.2); anything else is rejected only in strict mode.
_CHAT_TOP_LEVEL = ("type", "model", "promptObject", "brandVoiceId", "metadata")
_CHAT_PROMPT = ("prompt", "conversationId", "settings", "attachments")
# Legacy chat (reference §4.1, §5.1): conversationId is top-level; flat web-search keys.
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
    """``POST /api/chat-with-ai[?isStreaming=true]`` (reference §3, §19.3)."""
    body = ctx.json_object()
    feature = body.get("type", CHAT_FEATURE)
    if feature not in ctx.settings.chat_types:
        allowed = ", ".join(ctx.settings.chat_types)
        raise validation_error(f"type must be one of the following values: {allowed}")
    model = require_model(ctx, body, feature)
    check_extra(ctx, body, _CHAT_TOP_LEVEL, "")
    prompt_object = require_object(body.get("promptObject"), "promptObject")
    check_extra(ctx, prompt_object, _CHAT_PROMPT, "promptObject.")
    prompt = require_text(prompt_object, "prompt", allow_empty=True)
    # v2 reads promptObject.conversationId; the top-level copy is a legacy habit (§18.8).
    raw_id = prompt_object.get("conversationId", body.get("conversationId"))
    conversation = resolve_conversation(ctx, raw_id, "promptObject.conversationId")
    images, files = _attachments(ctx, prompt_object.get("attachments"))
    turn = ChatTurn(feature, model, prompt, prompt_object, conversation, images, files)
    return await _reply(ctx, turn, ctx.state.pop_chat_script(), legacy=False)


async def handle_legacy_chat(
    ctx: Context, body: dict[str, Any], feature: str
) -> web.StreamResponse:
    """Legacy chat types on ``/api/features`` (reference §4, §5): rejected or served per knob."""
    if ctx.settings.legacy_chat == "reject":
        # [GUESS] The docs say these types are "no longer supported" here; the exact error
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
        # "Required - must create conversation first" (D-conv, reference §5.2, §5.3).
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


async def _reply(
    ctx: Context, turn: ChatTurn, script: ScriptedReply | None, *, legacy: bool
) -> web.StreamResponse:
    settings = ctx.settings
    conversation_id = turn.conversation.value
    earlier = None
    if conversation_id is not None and turn.conversation.stored:
        earlier = ctx.state.conversation_turns(conversation_id)
    status, error_message = "SUCCESS", None
    if script is None:
        text = _brain.chat_reply(
            turn.model, turn.prompt, images=turn.images, files=turn.files, earlier_turns=earlier
        )
        chunks = _brain.split_words(text, settings.stream_chunk_words)
        result_object: Any = [text]
    else:
        text = script.reply_text() or ""
        chunks = (
            list(script.chunks)
            if script.chunks is not None
            else _brain.split_words(text, settings.stream_chunk_words)
        )
        result_object = script.result_object if script.result_object is not None else [text]
        status, error_message = script.status, script.error_message
    if ctx.fault is not None and ctx.fault.failed_record:
        # [INF] A failed record carries no text; its resultObject is left empty.
        status, error_message = "FAILED", ctx.fault.failed_message
        text, chunks, result_object = "", [], []
    input_words, output_words = _brain.count_words(turn.prompt), _brain.count_words(text)
    spec = RecordSpec(
        feature=turn.feature,
        model=turn.model,
        prompt_object=turn.prompt_object,
        result_object=result_object,
        conversation_id=conversation_id,
        status=status,
        error_message=error_message,
        metadata=usage_metadata(input_words, output_words) if settings.record_token_usage else None,
        credit=chat_credit(input_words, output_words) if settings.record_credit else None,
        overrides=script.record if script is not None else None,
    )
    record = ai_record(ctx, spec)
    if conversation_id is not None and turn.conversation.stored and status == "SUCCESS":
        _append_turn(ctx, conversation_id, turn, text, record)
    if legacy:
        return await send_raw(ctx, chunks) if ctx.streaming else record_response(ctx, record)
    if not ctx.streaming:
        return record_response(ctx, record)
    if ctx.fault is not None and ctx.fault.raw_text_stream:
        return await send_raw(ctx, chunks)
    return await send_sse(ctx, chunks, {"aiRecord": record})


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
        "executionTime": round((time.monotonic() - ctx.started) * 1000),
    }
    if "credit" in record:
        stored["credit"] = record["credit"]
    ctx.state.append_turn(conversation_id, stored)
