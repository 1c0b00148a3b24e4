"""Request validation shared by the handlers, in the order the API checks.

wire.md#features-envelope, #emulator.

The API validates ``model`` against the feature's catalog *before* the ``promptObject``
(``UNSUPPORTED_MODEL`` first, then ``REQUEST_BODY_VALIDATION_FAILED``) [OBS R-JC]. The messages
are the emulator's own and always name the offending field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from langchain_oneminai.emulator._catalog_data import load_catalog
from langchain_oneminai.emulator._envelope import (
    Context,
    json_response,
    not_found,
    truncated_json,
    unsupported_model,
    validation_error,
)


def require_model(ctx: Context, body: dict[str, Any], feature: str) -> str:
    """``body["model"]``, which must be in ``feature``'s catalog (400 ``UNSUPPORTED_MODEL``)."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise validation_error("model must be a non-empty string")
    if model not in ctx.state.model_ids(feature):
        raise unsupported_model(model)
    return model


def check_extra(ctx: Context, value: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    """In strict mode, reject keys outside ``allowed`` (wire.md#unknown-fields)."""
    if not ctx.settings.strict_extra_fields:
        return
    extra = sorted(set(value) - set(allowed))
    if extra:
        raise validation_error(f"property {where}{extra[0]} should not exist")


def require_object(value: Any, name: str) -> dict[str, Any]:
    """``value`` as a JSON object, or a validation error naming ``name``."""
    if not isinstance(value, dict):
        raise validation_error(f"{name} must be an object")
    return value


def require_text(
    prompt_object: dict[str, Any], field: str, *, allow_empty: bool = False, max_length: int = 0
) -> str:
    """``promptObject[field]`` as a string (non-empty unless allowed, within ``max_length``)."""
    value = prompt_object.get(field)
    if not isinstance(value, str):
        raise validation_error(f"promptObject.{field} must be a string")
    if not allow_empty and not value.strip():
        raise validation_error(f"promptObject.{field} should not be empty")
    if max_length and len(value) > max_length:
        raise validation_error(
            f"promptObject.{field} must be shorter than or equal to {max_length} characters"
        )
    return value


def string_list(value: Any, name: str) -> list[str]:
    """``value`` as a list of strings (``None`` means empty)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise validation_error(f"{name} must be an array of strings")
    return list(value)


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """How a request's ``conversationId`` resolved."""

    value: str | None
    """The id as sent (echoed as ``aiRecord.conversationId``)."""
    stored: bool
    """Whether it names a stored conversation whose history grows with this turn."""


def resolve_conversation(ctx: Context, value: Any, name: str) -> ConversationRef:
    """Resolve a ``conversationId`` (wire.md#multi-turn-context, #emulator-chat).

    A feature type name (the documented "single message without history" trick) and, with
    ``unknown_conversation="accept"``, an unknown id are accepted without stored history.
    """
    if value is None:
        return ConversationRef(None, stored=False)
    if not isinstance(value, str):
        raise validation_error(f"{name} must be a string")
    if value in load_catalog().feature_types:
        return ConversationRef(value, stored=False)
    if ctx.state.conversation_turns(value) is not None:
        return ConversationRef(value, stored=True)
    if ctx.settings.unknown_conversation == "accept":
        return ConversationRef(value, stored=False)
    raise not_found(f"Conversation {value} not found")


def record_response(ctx: Context, record: dict[str, Any]) -> web.Response:
    """``{"aiRecord": record}`` as a 200, or cut short by an ``invalid_json`` fault."""
    envelope = {"aiRecord": record}
    if ctx.fault is not None and ctx.fault.invalid_json:
        return web.Response(
            status=200,
            body=truncated_json(envelope),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
    return json_response(200, envelope)
