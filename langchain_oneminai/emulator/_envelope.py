"""Shared wire pieces: JSON encoding, error bodies, the request context and the ``aiRecord``.

Error bodies (wire.md#errors, #emulator):

* 400 ``{"errorCode":"UNSUPPORTED_MODEL","message":"Model <id> is not supported"}`` [OBS R-JC];
* 400 ``{"errorCode":"REQUEST_BODY_VALIDATION_FAILED","message":"…"}`` [OBS R-JC]; the message
  texts are the emulator's own (they name the offending field), not captured ones;
* 401 / 429 in llm-1minai's fixture shape ``{"error":…,"message":…,"statusCode":…}`` (guessed: a
fixture);
* 404 in the same ``error``/``message``/``statusCode`` shape: a guess (NestJS's default body),
  since no source shows a 404 body.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from langchain_oneminai.emulator._state import EmulatorState, LogEntry, iso_ms, now_utc
from langchain_oneminai.emulator._types import EmulatorSettings, Fault

if TYPE_CHECKING:
    from collections.abc import Mapping

    from langchain_oneminai.emulator._brain_runner import BrainRunner

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
"""Content type of every JSON response (wire.md#emulator-transport-and-auth)."""

VALIDATION_FAILED = "REQUEST_BODY_VALIDATION_FAILED"
"""``errorCode`` of a bad request body (wire.md#errors)."""


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as a Node.js server's ``JSON.stringify`` writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(
    status: int, value: Any, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response with the API's content type."""
    return web.Response(
        status=status,
        body=dumps(value),
        headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})},
    )


class ApiError(Exception):
    """Raised by handlers to answer with an error status and body."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        """The error as an HTTP response (a ``str`` body is sent as ``text/plain``)."""
        if isinstance(self.body, str):
            return web.Response(
                status=self.status,
                body=self.body.encode(),
                headers={"Content-Type": "text/plain; charset=utf-8", **self.headers},
            )
        return json_response(self.status, self.body, self.headers)


def validation_error(message: str) -> ApiError:
    """400 ``REQUEST_BODY_VALIDATION_FAILED`` (wire.md#errors)."""
    return ApiError(400, {"errorCode": VALIDATION_FAILED, "message": message})


def unsupported_model(model: Any) -> ApiError:
    """400 ``UNSUPPORTED_MODEL`` with the observed message (wire.md#errors)."""
    return ApiError(
        400, {"errorCode": "UNSUPPORTED_MODEL", "message": f"Model {model} is not supported"}
    )


def reason_phrase(status: int) -> str:
    """The standard reason phrase of ``status`` (``"Error"`` for unregistered codes)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def status_body(status: int, message: str | None = None) -> dict[str, Any]:
    """``{"error": <reason>, "message": …, "statusCode": n}``: the fixture shape.

    wire.md#emulator-transport-and-auth, #emulator-faults.
    """
    reason = reason_phrase(status)
    return {"error": reason, "message": message or reason, "statusCode": status}


def unauthorized() -> ApiError:
    """401 with llm-1minai's fixture body (wire.md#emulator-transport-and-auth; guessed)."""
    return ApiError(401, status_body(401, "Invalid API key"))


def server_error(message: str) -> ApiError:
    """500 in the same ``error``/``message``/``statusCode`` shape (the emulator's own failure)."""
    return ApiError(500, status_body(500, message))


def not_found(message: str) -> ApiError:
    """404; the body shape is a guess (no source shows one), see the module docstring."""
    return ApiError(404, status_body(404, message))


def fault_response(fault: Fault, status: int) -> web.Response:
    """The response of a status fault: its own body, else the default of wire.md#emulator-faults."""
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
    body: Any = fault.body
    if body is None:
        if status == 429:
            body = status_body(429, "Rate limit exceeded. Please try again later.")
        elif status == 401:
            body = status_body(401, "Invalid API key")
        elif status >= 500:
            body = f"{status} {reason_phrase(status)}"
        else:
            body = status_body(status)
    return ApiError(status, body, headers).response()


@dataclass(frozen=True, slots=True)
class Part:
    """One parsed multipart part, with its bytes."""

    name: str
    """Form field name."""
    filename: str | None
    """``filename`` of its ``Content-Disposition``, if any."""
    content_type: str | None
    """Its ``Content-Type`` header, if any."""
    data: bytes
    """Its body."""


@dataclass
class Context:
    """Everything a handler needs about one request."""

    request: web.Request
    """The aiohttp request (its body is already read into ``body``)."""
    state: EmulatorState
    """The emulator's state."""
    route: str
    """Route name (see ``ROUTE_NAMES``)."""
    body: bytes
    """The raw request body."""
    json_value: Any
    """The parsed JSON body (meaningful only when ``json_ok``)."""
    json_ok: bool
    """Whether the body parsed as JSON."""
    parts: list[Part] | None
    """Multipart parts, or ``None`` for a non-multipart body."""
    fault: Fault | None
    """The fault this request drew, if any."""
    asset_base_url: str
    """Base URL of the stand-in asset host."""
    stopping: asyncio.Event
    """Set when the emulator stops (stalls end early)."""
    entry: LogEntry
    """This request's log entry."""
    started: float = field(default=0.0)
    """``time.monotonic()`` when the request arrived."""
    brain: BrainRunner | None = None
    """The pluggable brain answering chat requests, if the emulator has one."""

    @property
    def settings(self) -> EmulatorSettings:
        """The live settings (read per request)."""
        return self.state.settings

    @property
    def streaming(self) -> bool:
        """Whether ``?isStreaming=true`` was asked for (wire.md#chat-stream, #legacy-chat)."""
        return self.request.query.get("isStreaming", "").lower() == "true"

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, else a 400 (wire.md#emulator-transport-and-auth)."""
        if self.request.content_type != "application/json":
            raise validation_error("Content-Type must be application/json")
        if not self.json_ok:
            raise validation_error("Request body is not valid JSON")
        if not isinstance(self.json_value, dict):
            raise validation_error("Request body must be a JSON object")
        return self.json_value

    def asset_url(self, key: str) -> str:
        """``<asset_base_url>/<key>``, standing in for ``https://asset.1min.ai/<key>``.

        wire.md#asset-downloads.
        """
        return f"{self.asset_base_url}/{quote(key)}"

    def temporary_url(self, key: str) -> str:
        """A pre-signed-looking URL for ``key`` (wire.md#asset-downloads ``temporaryUrl``)."""
        signature = hashlib.sha256(f"{self.state.seed}:{key}".encode()).hexdigest()
        return f"{self.asset_url(key)}?X-Amz-Expires=3600&X-Amz-Signature={signature}"


def merge(target: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``overrides`` into ``target`` in place, recursing into nested dicts."""
    for key, value in overrides.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merge(current, value)
        else:
            target[key] = value
    return target


@dataclass
class RecordSpec:
    """The inputs of one ``aiRecord``."""

    feature: str
    """``aiRecord.type``."""
    model: str
    """``aiRecord.model``."""
    prompt_object: Any
    """Echoed as ``aiRecordDetail.promptObject`` (a deep copy is stored)."""
    result_object: Any
    """``aiRecordDetail.resultObject``."""
    conversation_id: str | None = None
    """``aiRecord.conversationId``."""
    status: str = "SUCCESS"
    """``aiRecord.status``."""
    error_message: str | None = None
    """``aiRecordDetail.errorMessage`` (only set on failures)."""
    metadata: dict[str, Any] | None = None
    """``aiRecord.metadata``."""
    credit: int | None = None
    """``aiRecord.credit`` (only present when set)."""
    temporary_key: str | None = None
    """Asset key for ``aiRecord.temporaryUrl`` (per the ``temporary_urls`` knob)."""
    overrides: dict[str, Any] | None = None
    """Scripted fields merged into the record last."""


def ai_record(ctx: Context, spec: RecordSpec) -> dict[str, Any]:
    """The ``aiRecord`` object (wire.md#chat-response, #emulator-chat), for every feature too.

    wire.md#features-envelope.

    ``teamUser`` carries placeholder values: the sources list only its field names.
    """
    state = ctx.state
    detail: dict[str, Any] = {
        # A copy: scripted overrides must not reach the request log's parsed JSON.
        "promptObject": copy.deepcopy(spec.prompt_object),
        "resultObject": spec.result_object,
    }
    if spec.error_message is not None:
        detail["errorMessage"] = spec.error_message
    record: dict[str, Any] = {
        "uuid": state.new_id(),
        "userId": state.user_id,
        "teamId": state.team_id,
        "teamUser": {
            "teamId": state.team_id,
            "userId": state.user_id,
            "userName": "1min.ai emulator",
            "userAvatar": None,
            "status": "ACTIVE",
            "role": "OWNER",
        },
        "model": spec.model,
        "type": spec.feature,
        "metadata": spec.metadata,
        "rating": None,
        "feedback": None,
        "conversationId": spec.conversation_id,
        "status": spec.status,
        "createdAt": iso_ms(now_utc()),
        "aiRecordDetail": detail,
        "additionalData": None,
    }
    if spec.temporary_key is not None and ctx.settings.temporary_urls:
        record["temporaryUrl"] = ctx.temporary_url(spec.temporary_key)
    if spec.credit is not None:
        record["credit"] = spec.credit
    if spec.overrides:
        merge(record, spec.overrides)
    return record


def usage_metadata(input_words: int, output_words: int) -> dict[str, int]:
    """``aiRecord.metadata`` token counts in the shape a peer observed (wire.md#token-counts)."""
    return {
        "inputToken": input_words,
        "outputToken": output_words,
        "totalToken": input_words + output_words,
    }


def truncated_json(value: Any) -> bytes:
    """The first half of ``value``'s JSON (cut between characters): never valid JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text[: max(1, len(text) // 2)].encode()
