"""1minai-webapi 1.0.31 (an async client of the web-app API), its own methods on the emulator.

It speaks the web app's API, not the developer API the emulator serves: team-scoped paths
(``/teams/{team}/features/v2/unified-chat``, ``/teams/{team}/features/conversations``,
``/teams/{team}/assets``…), the team id read from ``GET /users``, and a JWT in ``X-Auth-Token``.
The payloads and answers are the shared backend's, so its request building and its parsers can
be exercised on the emulator once (1) each team path is mapped to the developer-API route with
the same payload (``_peer.WEBAPP_PATHS``; every mapped call is reported), (2) the team id is set
instead of read from ``/users`` (not emulated), and (3) the key goes in ``API-KEY``, which is what
the client's own ``oauth_login`` does with the token it gets. ``GET /models`` is the same route
on both APIs and needs no mapping.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _peer import CONVERSATION, FILE, KEY, attempt_async, redirect_aiohttp, run

redirect_aiohttp(webapp=True)

import oneminai_webapi
from oneminai_webapi import AssetType, ChatModel, OneMinAIClient

TEAM = "emulator-team"


async def _client(key: str = KEY, *, developer_key_header: bool = True) -> OneMinAIClient:
    client = OneMinAIClient(key)
    client._team_id = TEAM  # what get_current_user() caches from GET /users (web app only)
    session = await client._get_session()
    if developer_key_header:
        session.headers.update({"API-KEY": key})  # as its oauth_login() does
    return client


def _sync(scenario: Callable[[], Awaitable[Any]]) -> Callable[[], Any]:
    return lambda: asyncio.run(scenario())


async def models() -> Any:
    client = await _client()
    try:
        chat_models = await client.list_models("UNIFY_CHAT_WITH_AI")
        image_models = await client.list_models("IMAGE_GENERATOR")
    finally:
        await client.close()
    ids = {m.get("modelId") for m in chat_models}
    return {
        "chat_models": len(chat_models),
        "image_models": len(image_models),
        "key_counts": sorted({len(m) for m in chat_models + image_models}),
        "enum_missing": sorted(m.value for m in ChatModel if m.value not in ids),
    }


# Its own conversation create sends no ``model``, which the developer API requires (see
# ``conversation``); chats therefore continue a thread the test made (ONEMINAI_PEER_CONVERSATION).


async def chat() -> Any:
    client = await _client()
    try:
        output = await client.chat(
            "Name three uses of a paperclip.",
            model=ChatModel.GPT_4O_MINI,
            conversation_id=CONVERSATION,
        )
    finally:
        await client.close()
    return {"text": output.text, "model": output.model, "conversation_id": output.conversation_id}


async def stream() -> Any:
    client = await _client()
    try:
        chunks = await client.chat(
            "Write a haiku.", stream=True, model="gpt-4o-mini", conversation_id=CONVERSATION
        )
        return [c.text_delta async for c in chunks]
    finally:
        await client.close()


async def conversation() -> Any:
    client = await _client()
    try:
        own_create = await attempt_async(client.create_conversation("Peer test"))
        session = client.start_chat(model="gpt-4o-mini", conversation_id=CONVERSATION)
        first = await session.send_message("My name is Ada.")
        second = await session.send_message("What is my name?")
        conversation_id = session.conversation_id
        history = await session.get_history()
        listed = await client.list_conversations()
        fetched = await client.get_conversation(conversation_id or "")
        await session.delete()
        after = await client.list_conversations()
    finally:
        await client.close()
    return {
        "replies": [first.text, second.text],
        "conversation_id": conversation_id,
        "same_thread": first.conversation_id == second.conversation_id == conversation_id,
        "history": [(m.role, m.content[:40], bool(m.record_id)) for m in history],
        "listed": [c.conversation_id for c in listed],
        "fetched": {"id": fetched.conversation_id, "title": fetched.title},
        "own_create": own_create,
        "after_delete": [c.conversation_id for c in after],
    }


async def assets() -> Any:
    client = await _client()
    try:
        asset = await client.upload_asset(FILE, mime_type="image/png", asset_type=AssetType.IMAGE)
        output = await client.chat(
            "What is in this image?",
            model="gpt-4o-mini",
            images=[asset.asset_key],
            conversation_id=CONVERSATION,
        )
    finally:
        await client.close()
    return {"asset_key": asset.asset_key, "file_id": asset.file_id, "reply": output.text}


async def error_bad_key() -> Any:
    client = await _client("not-a-key")
    try:
        return (await client.chat("hi", conversation_id=CONVERSATION)).text
    finally:
        await client.close()


async def error_webapp_auth() -> Any:
    """The client's own auth only: ``X-Auth-Token: Bearer <key>``, no ``API-KEY``."""
    client = await _client(developer_key_header=False)
    try:
        return (await client.chat("hi", conversation_id=CONVERSATION)).text
    finally:
        await client.close()


async def error_rate_limited() -> Any:
    client = await _client()
    try:
        return (await client.chat("hi", conversation_id=CONVERSATION)).text
    except oneminai_webapi.RateLimitError as error:
        return {"raised": "RateLimitError", "retry_after_s": error.retry_after_s}
    finally:
        await client.close()


async def error_bad_request() -> Any:
    client = await _client()
    try:
        return (await client.chat("hi", model="no-such-model", conversation_id=CONVERSATION)).text
    except oneminai_webapi.APIError as error:
        return {
            "raised": type(error).__name__,
            "status_code": error.status_code,
            "message": str(error)[:160],
        }
    finally:
        await client.close()


async def users() -> Any:
    client = OneMinAIClient(KEY)
    try:
        return (await client.get_current_user()).team_id
    finally:
        await client.close()


run(
    {
        "models": _sync(models),
        "chat": _sync(chat),
        "stream": _sync(stream),
        "stream_duplicate_final": _sync(chat),
        "stream_error_event": _sync(chat),
        "conversation": _sync(conversation),
        "assets": _sync(assets),
        "error_bad_key": _sync(error_bad_key),
        "error_webapp_auth": _sync(error_webapp_auth),
        "error_rate_limited": _sync(error_rate_limited),
        "error_bad_request": _sync(error_bad_request),
        "users": _sync(users),
    }
)
