"""A minimal loopback server speaking both wire formats, for ``make bench``.

The same process serves ``POST /api/chat-with-ai[?isStreaming=true]`` (1min.ai: JSON
``aiRecord``, or SSE ``content``… ``result`` ``done``) and ``POST /v1/chat/completions``
(OpenAI: JSON, or SSE deltas and ``[DONE]``) with the same reply text, chunking and latency,
so ChatOneMinAI and ChatOpenAI are measured against identical server work. Configure it
with ``POST /_config`` ``{"chunks": [...], "latency": seconds}``.
Run: ``python -m benchmarks.servers`` (prints its base URL; binds 127.0.0.1 only).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from aiohttp import web

STATE: dict[str, object] = {"chunks": ["Hello ", "world."], "latency": 0.0}


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _record(text: str, model: str) -> dict[str, object]:
    return {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "model": model,
        "type": "UNIFY_CHAT_WITH_AI",
        "status": "SUCCESS",
        "conversationId": None,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "aiRecordDetail": {"promptObject": {"prompt": "…"}, "resultObject": [text]},
    }


def _openai(text: str, model: str) -> dict[str, object]:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10},
    }


def _openai_delta(piece: str | None, model: str, finish: str | None = None) -> bytes:
    delta = {"content": piece} if piece is not None else {}
    chunk = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + _dumps(chunk) + b"\n\n"


async def _prepare(request: web.Request) -> tuple[dict[str, object], list[str]]:
    body = await request.json()
    latency = float(STATE["latency"])  # type: ignore[arg-type]
    if latency:
        await asyncio.sleep(latency)
    return body, list(STATE["chunks"])  # type: ignore[call-overload]


async def oneminai(request: web.Request) -> web.StreamResponse:
    body, chunks = await _prepare(request)
    model = str(body.get("model", "gpt-4o-mini"))
    if request.query.get("isStreaming") != "true":
        return web.Response(
            body=_dumps({"aiRecord": _record("".join(chunks), model)}),
            content_type="application/json",
        )
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    for piece in chunks:
        await response.write(b"event: content\ndata: " + _dumps({"content": piece}) + b"\n\n")
    await response.write(
        b"event: result\ndata: " + _dumps({"aiRecord": _record("".join(chunks), model)}) + b"\n\n"
    )
    await response.write(b'event: done\ndata: {"message":"Stream completed"}\n\n')
    await response.write_eof()
    return response


async def openai(request: web.Request) -> web.StreamResponse:
    body, chunks = await _prepare(request)
    model = str(body.get("model", "gpt-4o-mini"))
    if not body.get("stream"):
        return web.Response(
            body=_dumps(_openai("".join(chunks), model)), content_type="application/json"
        )
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    for piece in chunks:
        await response.write(_openai_delta(piece, model))
    await response.write(_openai_delta(None, model, "stop"))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


async def configure(request: web.Request) -> web.Response:
    STATE.update(await request.json())
    return web.json_response({"ok": True})


def main() -> None:
    app = web.Application(client_max_size=1024**3)
    app.router.add_post("/api/chat-with-ai", oneminai)
    app.router.add_post("/v1/chat/completions", openai)
    app.router.add_post("/_config", configure)

    async def serve() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        sys.stdout.write(f"http://127.0.0.1:{port}\n")
        sys.stdout.flush()
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
