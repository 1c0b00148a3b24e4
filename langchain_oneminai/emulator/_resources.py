"""Assets, the asset host, conversations and the model catalog.

* ``POST /api/assets`` (wire.md#emulator-assets), ``GET /asset-host/<key>`` (#emulator-asset-host);
* ``POST /api/conversations`` (wire.md#emulator-conversations), plus three UNDOCUMENTED routes the
  developer API may not have (#undocumented-conversation-routes): list, get and delete, in one of
  two shapes;
* ``GET /models?feature=`` (wire.md#model-catalog, #emulator-model-catalog).
"""

from __future__ import annotations

import hashlib
import posixpath
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator._catalog_seed import model_object
from langchain_oneminai.emulator._checks import check_extra, require_model, string_list
from langchain_oneminai.emulator._envelope import (
    Context,
    json_response,
    not_found,
    validation_error,
)
from langchain_oneminai.emulator._state import iso_ms, now_utc
from langchain_oneminai.emulator._types import CHAT_FEATURE

MAX_TITLE = 91
"""Longest conversation title (wire.md#create-a-conversation, #limits)."""

CONVERSATION_TYPES: tuple[str, ...] = (
    CHAT_FEATURE,
    "CHAT_WITH_AI",
    "CHAT_WITH_IMAGE",
    "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
    "CODE_GENERATOR",
)
"""``type`` values ``POST /api/conversations`` accepts (wire.md#emulator-conversations)."""

REJECTED_MIME_TYPES: tuple[str, ...] = ("text/markdown", "text/x-markdown")
"""Upload types refused with "file type isn't supported" (omi: "Server rejects
``text/markdown`` uploads", #documents-in-chat)."""

_CONVERSATION_FIELDS = ("type", "title", "model", "fileList", "youtubeUrl")
_PUBLIC_FIELDS = ("uuid", "title", "type", "model", "createdAt", "status")


# -- assets -----------------------------------------------------------------------------------


async def handle_upload(ctx: Context) -> web.StreamResponse:
    """``POST /api/assets``: store one file, answer the full wire.md#upload-response object."""
    settings = ctx.settings
    part = next(
        (
            p
            for p in ctx.parts or []
            if p.name in settings.asset_field_names and p.filename is not None
        ),
        None,
    )
    if part is None:
        raise validation_error(f"{settings.asset_field_names[0]} file is required")
    name = posixpath.basename((part.filename or "").replace("\\", "/"))
    stem, extension = posixpath.splitext(name)
    # busboy (multer's parser) takes a part without Content-Type as text/plain
    # (lib/types/multipart.js: ``if (contype === undefined) contype = 'text/plain'``).
    mimetype = part.content_type or "text/plain"
    essence = mimetype.split(";", 1)[0].strip().lower()
    if not stem or not extension[1:] or essence in REJECTED_MIME_TYPES:
        # Observed (zeroffa 4.0.1, omi): the message text; the errorCode is a guess.
        raise validation_error(f"This file type isn't supported: {name or '(no name)'}")
    if essence.startswith("image/"):
        prefix = "images"
    elif essence.startswith("audio/"):
        prefix = settings.audio_key_prefix
    else:
        prefix = "documents"
    moment = now_utc()
    asset = ctx.state.store_asset(prefix, name, part.data, essence, moment)
    state = ctx.state
    multer_meta = {
        "fieldname": part.name,
        "originalname": name,
        "encoding": "7bit",
        "mimetype": mimetype,
    }
    return json_response(
        200,
        {
            "asset": {
                **multer_meta,
                "size": len(part.data),
                "bucket": "asset.1min.ai",
                "key": asset.key,
                "acl": "private",
                "contentType": "application/octet-stream",
                "contentDisposition": None,
                "contentEncoding": None,
                "storageClass": "STANDARD",
                "serverSideEncryption": None,
                "metadata": {"team-id": state.team_id, "user-id": state.user_id, **multer_meta},
                "location": ctx.asset_url(asset.key),
                "etag": f'"{hashlib.md5(part.data, usedforsecurity=False).hexdigest()}"',
            },
            "fileContent": {
                "uuid": asset.uuid,
                "path": asset.key,
                "type": extension[1:].lower(),
                "name": posixpath.basename(asset.key),
                "content": "",
                "status": "ACTIVE",
                "metadata": {"token": 0, "character": 0},
                "createdAt": iso_ms(moment),
            },
        },
    )


async def handle_download(ctx: Context) -> web.StreamResponse:
    """``GET /asset-host/<key>``: the stored bytes (no key needed; query strings are ignored)."""
    key = ctx.request.path[len("/asset-host/") :]
    asset = ctx.state.asset(key)
    if asset is None:
        # The stand-in answers like the S3 bucket behind asset.1min.ai would (an S3 fact,
        # not a 1min.ai one).
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
            "<Message>The specified key does not exist.</Message></Error>"
        )
        return web.Response(status=404, body=body.encode(), content_type="application/xml")
    return web.Response(status=200, body=asset.data, headers={"Content-Type": asset.mime})


# -- conversations ----------------------------------------------------------------------------


def _public(stored: dict[str, Any]) -> dict[str, Any]:
    return {name: stored[name] for name in _PUBLIC_FIELDS}


async def handle_create_conversation(ctx: Context) -> web.StreamResponse:
    """``POST /api/conversations`` (wire.md#create-a-conversation, #emulator-conversations)."""
    body = ctx.json_object()
    kind = body.get("type")
    if kind not in CONVERSATION_TYPES:
        raise validation_error(
            f"type must be one of the following values: {', '.join(CONVERSATION_TYPES)}"
        )
    model = require_model(ctx, body, kind)
    check_extra(ctx, body, _CONVERSATION_FIELDS, "")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise validation_error("title should not be empty")
    if len(title) > MAX_TITLE:
        raise validation_error(f"title must be shorter than or equal to {MAX_TITLE} characters")
    files = string_list(body.get("fileList"), "fileList")
    for index, file_id in enumerate(files):
        if ctx.state.asset_by_uuid(file_id) is None:
            raise validation_error(f"fileList[{index}] is not a known file uuid: {file_id}")
    if kind == "CHAT_WITH_PDF" and not files:
        raise validation_error("fileList is required for CHAT_WITH_PDF")
    youtube_url = body.get("youtubeUrl")
    if youtube_url is not None and not isinstance(youtube_url, str):
        raise validation_error("youtubeUrl must be a string")
    if kind == "CHAT_WITH_YOUTUBE_VIDEO" and not youtube_url:
        raise validation_error("youtubeUrl is required for CHAT_WITH_YOUTUBE_VIDEO")
    conversation = {
        "uuid": ctx.state.new_id(),
        "title": title,
        "type": kind,
        "model": model,
        "createdAt": iso_ms(now_utc()),
        "status": "ACTIVE",
    }
    ctx.state.create_conversation({**conversation, "fileList": files, "youtubeUrl": youtube_url})
    return json_response(200, {"conversation": conversation})


async def handle_list_conversations(ctx: Context) -> web.StreamResponse:
    """UNDOCUMENTED ``GET /api/conversations`` (wire.md#conversation-shapes): newest first.

    Shape per ``conversation_shape``: ``{"conversationList": […]}`` (the web app's, which
    1minai-webapi 1.0.31 ``list_conversations`` reads) or ``{"conversations": […]}``
    (llm-1minai's fixture). ``?type=`` filters as the web app's route does.
    """
    wanted = ctx.request.query.get("type")
    stored = [
        _public(c)
        for c in reversed(ctx.state.conversations().values())
        if wanted is None or c["type"] == wanted
    ]
    key = "conversationList" if ctx.settings.conversation_shape == "webapp" else "conversations"
    return json_response(200, {key: stored})


def _conversation_id(ctx: Context) -> str:
    return ctx.request.path.rstrip("/").rsplit("/", 1)[1]


async def handle_get_conversation(ctx: Context) -> web.StreamResponse:
    """UNDOCUMENTED ``GET /api/conversations/{uuid}`` (wire.md#conversation-shapes).

    Web-app shape: ``{"conversation": {…}, "messageList": [...]}``, the web app's conversation
    and messages routes in one answer; a message is ``{role, content, aiRecordId, credit,
    executionTime}`` with ``role`` ``"USER"`` or the answering model's id, both turns of an
    exchange sharing the record's id, ``executionTime`` in seconds (1minai-webapi 1.0.31
    ``MessageRecord``). Fixture shape: ``{"conversation": {…, "messages": [{role, content}]}}``
    with roles ``user`` / ``assistant``.
    """
    conversation_id = _conversation_id(ctx)
    stored = ctx.state.conversation(conversation_id)
    if stored is None:
        raise not_found(f"Conversation {conversation_id} not found")
    public = _public(stored)
    if ctx.settings.conversation_shape == "webapp":
        messages: list[dict[str, Any]] = []
        for turn in stored["turns"]:
            record_id = turn["aiRecordId"]
            messages.append(
                {
                    "role": "USER",
                    "content": turn["prompt"],
                    "aiRecordId": record_id,
                    "credit": 0,
                    "executionTime": 0.0,
                }
            )
            messages.append(
                {
                    "role": turn["model"],
                    "content": turn["reply"],
                    "aiRecordId": record_id,
                    "credit": turn.get("credit", 0),
                    "executionTime": turn["executionTime"],
                }
            )
        return json_response(200, {"conversation": public, "messageList": messages})
    fixture_messages: list[dict[str, Any]] = []
    for turn in stored["turns"]:
        fixture_messages.append({"role": "user", "content": turn["prompt"]})
        fixture_messages.append({"role": "assistant", "content": turn["reply"]})
    return json_response(200, {"conversation": {**public, "messages": fixture_messages}})


async def handle_delete_conversation(ctx: Context) -> web.StreamResponse:
    """UNVERIFIED ``DELETE /api/conversations/{uuid}``: 200 ``{}``, or 404.

    wire.md#undocumented-conversation-routes.
    """
    conversation_id = _conversation_id(ctx)
    if not ctx.state.delete_conversation(conversation_id):
        raise not_found(f"Conversation {conversation_id} not found")
    return json_response(200, {})


# -- models -----------------------------------------------------------------------------------


async def handle_models(ctx: Context) -> web.StreamResponse:
    """``GET /models?feature=`` (wire.md#model-catalog); no/unknown feature -> empty list."""
    feature = ctx.request.query.get("feature")
    state = ctx.state
    models = []
    for model_id in state.model_ids(feature) if feature else []:
        facts = state.facts(model_id)
        if facts is not None:
            models.append(model_object(facts, state.features_of(model_id)))
    return json_response(200, {"models": models, "total": len(models)})
