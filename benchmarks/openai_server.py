"""A minimal OpenAI-compatible chat-completions server for the reference rows of ``make bench``.

It serves ``POST /v1/chat/completions`` (JSON, or SSE with ``stream: true``) with the same
reply text and chunking the 1min.ai emulator is scripted with, so both clients receive the
same bytes of content. Configure it with ``POST /_config`` ``{"chunks": [...], "latency": s}``.
Run: ``python -m benchmarks.openai_server --port 0`` (prints its base URL, binds loopback).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from aiohttp import web

STATE: dict[str, object] = {"chunks": ["Hello ", "world."], "latency": 0.0}


def _completion(text: str, model: str) -> dict[str, object]:
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


def _delta(piece: str | None, model: str, finish: str | None = None) -> bytes:
    delta = {"content": piece} if piece is not None else {}
    payload = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


async def completions(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    model = str(body.get("model", "gpt-4o-mini"))
    chunks = list(STATE["chunks"])  # type: ignore[call-overload]
    latency = float(STATE["latency"])  # type: ignore[arg-type]
    if latency:
        await asyncio.sleep(latency)
    if not body.get("stream"):
        return web.json_response(_completion("".join(chunks), model))
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    for piece in chunks:
        await response.write(_delta(piece, model))
    await response.write(_delta(None, model, "stop"))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


async def configure(request: web.Request) -> web.Response:
    STATE.update(await request.json())
    return web.json_response({"ok": True})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    app = web.Application(client_max_size=1024**3)
    app.router.add_post("/v1/chat/completions", completions)
    app.router.add_post("/_config", configure)

    async def serve() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", args.port, backlog=2048)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        sys.stdout.write(f"http://127.0.0.1:{port}\n")
        sys.stdout.flush()
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
