"""Request dispatch: routing, body parsing, the request log, faults, the key check, admin routes.

Every request goes through ``Dispatcher.handle``::

    /_emulator/* ─▶ admin (not logged, no key, no faults)
    otherwise    ─▶ route ─▶ read + parse body ─▶ log entry (arrival order)
                 ─▶ fault (latency, reset, status) ─▶ 404 if no route ─▶ key ─▶ handler
                 ─▶ log entry's status

Routing is done here rather than by aiohttp's router so that an unknown path and a known path
with the wrong method both get the same 404 (aiohttp would answer 405), and so every request,
even an unknown one, lands in the log.
"""

from __future__ import annotations

import asyncio
import email.message
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator._brain_runner import BrainRunner
from langchain_oneminai.emulator._chat import handle_chat
from langchain_oneminai.emulator._envelope import (
    ApiError,
    Context,
    Part,
    fault_response,
    json_response,
    not_found,
    unauthorized,
)
from langchain_oneminai.emulator._features import handle_features
from langchain_oneminai.emulator._resources import (
    handle_create_conversation,
    handle_delete_conversation,
    handle_download,
    handle_get_conversation,
    handle_list_conversations,
    handle_models,
    handle_upload,
)
from langchain_oneminai.emulator._state import EmulatorState, LogEntry
from langchain_oneminai.emulator._stream import drop_connection
from langchain_oneminai.emulator._types import ROUTE_NAMES, Fault, FormPart, ScriptedReply

Handler = Callable[[Context], Awaitable[web.StreamResponse]]

REDACTED = "<redacted>"
"""What the request log shows instead of a key-bearing header value."""

_KEY_HEADERS = frozenset({"api-key", "authorization"})
_AUTHENTICATED_ROUTES = frozenset({"chat", "features", "assets", "conversations"})


def resolve(method: str, path: str) -> tuple[str, Handler | None]:
    """The route name and handler of a request (``None``: answer 404)."""
    if path.startswith("/asset-host/"):
        return "download", handle_download if method in ("GET", "HEAD") else None
    # Express/NestJS routing is not strict about one trailing slash.
    clean = path.rstrip("/") or "/"
    simple: dict[tuple[str, str], tuple[str, Handler]] = {
        ("GET", "/models"): ("models", handle_models),
        ("POST", "/api/chat-with-ai"): ("chat", handle_chat),
        ("POST", "/api/features"): ("features", handle_features),
        ("POST", "/api/assets"): ("assets", handle_upload),
        ("POST", "/api/conversations"): ("conversations", handle_create_conversation),
        ("GET", "/api/conversations"): ("conversations", handle_list_conversations),
    }
    found = simple.get((method, clean))
    if found is not None:
        return found
    prefix, _, rest = clean.rpartition("/")
    if prefix == "/api/conversations" and rest:
        if method == "GET":
            return "conversations", handle_get_conversation
        if method == "DELETE":
            return "conversations", handle_delete_conversation
    return "unknown", None


def parse_multipart(body: bytes, content_type: str) -> list[Part] | None:
    """Split a ``multipart/form-data`` body into parts (``None`` when it is malformed).

    Linear in the body size: every search starts where the previous one ended.
    """
    header = email.message.Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    position = body.find(delimiter)
    if position < 0:
        return None
    parts: list[Part] = []
    while True:
        position += len(delimiter)
        if body[position : position + 2] == b"--":
            return parts
        if body[position : position + 2] == b"\r\n":
            position += 2
        end = body.find(b"\r\n" + delimiter, position)
        header_end = body.find(b"\r\n\r\n", position, end)
        if end < 0 or header_end < 0:
            return None
        part_headers = email.message.Message()
        for line in body[position:header_end].decode("utf-8", "replace").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                part_headers[name.strip()] = value.strip()
        field_name = part_headers.get_param("name", header="content-disposition")
        parts.append(
            Part(
                name=field_name if isinstance(field_name, str) else "",
                filename=part_headers.get_filename(),
                content_type=part_headers.get("content-type"),
                data=body[header_end + 4 : end],
            )
        )
        position = end + 2


def _raw(header_value: str) -> bytes:
    """A header value back as bytes (aiohttp decodes undecodable bytes as surrogates)."""
    return header_value.encode("utf-8", "surrogateescape")


def _form_log(parts: list[Part]) -> list[FormPart]:
    return [
        FormPart(
            p.name, p.filename, p.content_type, len(p.data), hashlib.sha256(p.data).hexdigest()
        )
        for p in parts
    ]


def _scripted_reply(reply: Any) -> ScriptedReply:
    """The ``ScriptedReply`` an admin ``/_emulator/script`` body's ``reply`` describes.

    A ``reply`` is a text, ``{"tool_calls": [[name, arguments] | {...}, ...], "text": prose}``,
    ``{"structured": value}`` or the fields of a ``ScriptedReply``.

    Raises:
        TypeError: an unknown field, or calls of the wrong shape.
        ValueError: no call, or a call without a name.
    """
    if isinstance(reply, str):
        return ScriptedReply(text=reply)
    if not isinstance(reply, dict):
        raise TypeError("reply must be a text or an object")
    if "tool_calls" in reply:
        calls = reply["tool_calls"]
        if not isinstance(calls, list):
            raise TypeError("tool_calls must be a list of calls")
        lead = reply.get("text")
        items = [tuple(c) if isinstance(c, list) else c for c in calls]
        return ScriptedReply.tool_calls(*([lead] if isinstance(lead, str) else []), *items)
    if "structured" in reply:
        return ScriptedReply.structured(reply["structured"])
    return ScriptedReply(**reply)


class Dispatcher:
    """The single aiohttp handler of the emulator."""

    def __init__(
        self,
        state: EmulatorState,
        api_key: str,
        stopping: asyncio.Event,
        brain: BrainRunner | None = None,
    ) -> None:
        self.state = state
        self.api_key = api_key
        self.stopping = stopping
        self.brain = brain
        self.asset_base_url = ""
        self.active: set[asyncio.Task[Any]] = set()

    def cancel_all(self) -> None:
        """Cancel every request still being served (stalled streams, long latencies)."""
        for task in list(self.active):
            task.cancel()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one request."""
        if request.path.startswith("/_emulator/"):
            return await self._admin(request)
        task = asyncio.current_task()
        if task is not None:
            self.active.add(task)
        try:
            return await self._serve(request)
        finally:
            if task is not None:
                self.active.discard(task)

    def _key_valid(self, request: web.Request) -> bool:
        """``API-KEY`` (any case) or a Bearer token (per knob) equals the key.

        wire.md#emulator-transport-and-auth.
        """
        expected = self.api_key.encode()
        if hmac.compare_digest(_raw(request.headers.get("API-KEY", "")), expected):
            return True
        if self.state.settings.accept_bearer:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            return scheme.lower() == "bearer" and hmac.compare_digest(_raw(token.strip()), expected)
        return False

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        route, handler = resolve(request.method, request.path)
        body = await request.read()
        parts: list[Part] | None = None
        json_value: Any = None
        json_ok = False
        if request.content_type == "multipart/form-data":
            parts = parse_multipart(body, request.headers.get("Content-Type", "")) or []
        elif body:
            try:
                json_value, json_ok = json.loads(body), True
            except (UnicodeDecodeError, ValueError):
                json_value = None
        key_valid = self._key_valid(request)
        entry = self.state.log_start(
            LogEntry(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers={
                    name.decode("latin-1"): (
                        REDACTED
                        if name.decode("latin-1").lower() in _KEY_HEADERS
                        else value.decode("latin-1")
                    )
                    for name, value in request.raw_headers
                },
                json=json_value if json_ok else None,
                form=_form_log(parts) if parts is not None else None,
                route=route,
                key_valid=key_valid,
            )
        )
        ctx = Context(
            request=request,
            state=self.state,
            route=route,
            body=body,
            json_value=json_value,
            json_ok=json_ok,
            parts=parts,
            fault=None,
            asset_base_url=self.asset_base_url,
            stopping=self.stopping,
            entry=entry,
            started=started,
            brain=self.brain,
        )
        response = await self._respond(ctx, handler, key_valid)
        entry.status = response.status
        return response

    async def _respond(
        self, ctx: Context, handler: Handler | None, key_valid: bool
    ) -> web.StreamResponse:
        settings = self.state.settings
        fault = ctx.fault = self.state.take_fault(ctx.route)
        if fault is not None and fault.latency > 0:
            await asyncio.sleep(fault.latency)
        if fault is not None:
            if fault.reset_before_response:
                drop_connection(ctx)
            status = fault.answers_status
            if status is not None:
                return fault_response(fault, status)
        try:
            if handler is None:
                # Guessed: NestJS's default 404 text; no source shows 1min.ai's.
                raise not_found(f"Cannot {ctx.request.method} {ctx.request.path}")
            needs_key = ctx.route in _AUTHENTICATED_ROUTES or (
                ctx.route == "models" and settings.models_require_key
            )
            if needs_key and not key_valid:
                raise unauthorized()
            return await handler(ctx)
        except ApiError as error:
            return error.response()

    # -- admin ------------------------------------------------------------------------------

    async def _admin(self, request: web.Request) -> web.StreamResponse:
        """``/_emulator/*``: drive a CLI-served emulator over HTTP (see ``OneMinAIEmulator``)."""
        path = request.path.rstrip("/")
        try:
            if request.method == "GET" and path == "/_emulator/requests":
                records = [asdict(r) for r in self.state.requests()]
                return json_response(200, {"requests": records})
            if request.method == "GET" and path == "/_emulator/settings":
                return json_response(200, asdict(self.state.settings))
            if request.method != "POST":
                return json_response(404, {"error": f"no admin route {request.method} {path}"})
            data = await request.json() if request.can_read_body else {}
            return self._admin_post(path, data)
        except (KeyError, TypeError, ValueError) as error:
            return json_response(400, {"error": f"{type(error).__name__}: {error}"})

    def _admin_post(self, path: str, data: Any) -> web.StreamResponse:
        if not isinstance(data, dict):
            raise TypeError("the body must be a JSON object")
        state = self.state
        if path == "/_emulator/reset":
            state.reset()
        elif path == "/_emulator/script":
            scripted = _scripted_reply(data["reply"])
            route = data.get("route", "chat")
            if route == "chat":
                state.add_chat_script(scripted)
            else:
                state.add_feature_script(str(route), scripted)
        elif path == "/_emulator/fault":
            fault = Fault(**data.get("fault", {}))
            route = data.get("route")
            if route is not None and route not in ROUTE_NAMES:
                raise ValueError(f"route must be one of {', '.join(ROUTE_NAMES)} or null")
            state.add_fault(fault, route, data.get("times", 1), data.get("rate"))
        elif path == "/_emulator/settings":
            state.settings.update(data)
            return json_response(200, asdict(state.settings))
        elif path == "/_emulator/models":
            state.add_model(
                str(data["feature"]), str(data["modelId"]), vision=bool(data.get("vision"))
            )
        else:
            return json_response(404, {"error": f"no admin route POST {path}"})
        return json_response(200, {})
