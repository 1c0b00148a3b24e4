"""Assets, conversations and model catalogs as the API answers them (pure, lenient)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices, Field

from langchain_oneminai._wire._records import Credit, WireModel, _first_int, _preview, _validate
from langchain_oneminai.errors import ResponseError


class Asset(WireModel):
    """``asset``: the multer-s3 object of an upload (wire.md#upload-response)."""

    key: str | None = None
    """The storage key, equal to ``fileContent.path``."""
    originalname: str | None = None
    """The file name that was sent."""
    mimetype: str | None = None
    """The MIME type that was sent."""
    size: int | None = None
    """Size in bytes."""
    location: str | None = None
    """Direct S3 URL (the bucket is private, wire.md#asset-identifiers)."""


class FileContent(WireModel):
    """``fileContent``: the file record of an upload (wire.md#upload-response)."""

    uuid: str | None = None
    """The file id, used in ``attachments.files`` (wire.md#asset-identifiers)."""
    path: str | None = None
    """The asset path, used in ``attachments.images``, ``imageUrl``, ``audioUrl``
    (wire.md#asset-identifiers)."""
    type: str | None = None
    """The file extension."""
    name: str | None = None
    """The stored file name."""
    status: str | None = None
    """``ACTIVE``."""


class UploadedAsset(WireModel):
    """The response of ``POST /api/assets`` (wire.md#upload-response)."""

    asset: Asset | None = None
    """The storage object."""
    file_content: FileContent | None = None
    """The file record."""

    @property
    def path(self) -> str:
        """The asset path (``fileContent.path``, else ``asset.key``)."""
        value = (self.file_content and self.file_content.path) or (self.asset and self.asset.key)
        if not value:
            raise ResponseError(
                "1min.ai's upload response carries neither fileContent.path nor asset.key."
            )
        return value

    @property
    def file_id(self) -> str:
        """The file uuid (``fileContent.uuid``), for ``attachments.files``."""
        value = self.file_content and self.file_content.uuid
        if not value:
            raise ResponseError("1min.ai's upload response carries no fileContent.uuid.")
        return value

    @property
    def mime_type(self) -> str | None:
        """The MIME type the server recorded."""
        return self.asset.mimetype if self.asset else None


class ConversationMessage(WireModel):
    """One turn of a conversation, from either thread shape of.

    Sources: wire.md#undocumented-conversation-routes.
    """

    role: str
    """Normalised role: ``user``, ``assistant`` or ``system``."""
    content: str = ""
    """The text of the turn."""
    model: str | None = None
    """For assistant turns, the model that answered (the web app puts it in ``role``)."""
    ai_record_id: str | None = Field(
        default=None, validation_alias=AliasChoices("aiRecordId", "ai_record_id", "uuid")
    )
    """The id of the record that produced the turn, when reported."""
    credit: Credit = None
    """Credits the turn consumed, when reported as a finite number >= 0."""
    created_at: str | None = None
    """ISO-8601 time, when reported."""


class Conversation(WireModel):
    """A conversation (thread), with its messages when the response carried them.

    Sources: wire.md#create-a-conversation.
    """

    uuid: str
    """The conversation id, used as ``promptObject.conversationId``."""
    title: str | None = None
    """The title (max 91 characters)."""
    type: str | None = None
    """The conversation type."""
    model: str | None = None
    """The model it was created with."""
    status: str | None = None
    """``ACTIVE``."""
    created_at: str | None = None
    """ISO-8601 creation time."""
    messages: tuple[ConversationMessage, ...] = ()
    """The turns, oldest first, when the response included them."""


class ModelInfo(WireModel):
    """One model of ``GET /models?feature=`` (wire.md#model-catalog)."""

    model_id: str
    """The id to send as ``model``."""
    name: str | None = None
    """Display name."""
    provider: str | None = None
    """Provider, e.g. ``openai``."""
    group: str | None = None
    """Group, e.g. ``alibaba/qwen``."""
    status: str | None = None
    """Catalog status."""
    features: tuple[str, ...] = ()
    """Feature types the model serves."""
    credit_metadata: dict[str, Any] | None = None
    """Prices and limits (``INPUT``, ``OUTPUT``, ``CONTEXT``, ``MAX_OUTPUT_TOKEN``, ``ALL``…)."""
    modality: dict[str, Any] | None = None
    """``{"INPUT": [...], "OUTPUT": [...]}`` for chat models, ``None`` otherwise."""

    @property
    def vision(self) -> bool:
        """Whether the model accepts images (wire.md#model-catalog vision rule)."""
        inputs = (self.modality or {}).get("INPUT") or []
        return "image" in inputs or "CHAT_WITH_IMAGE" in self.features

    @property
    def context_window(self) -> int | None:
        """``creditMetadata.CONTEXT``."""
        return _first_int(self.credit_metadata or {}, "CONTEXT")

    @property
    def max_output_tokens(self) -> int | None:
        """``creditMetadata.MAX_OUTPUT_TOKEN``."""
        return _first_int(self.credit_metadata or {}, "MAX_OUTPUT_TOKEN")


class ModelCatalog(WireModel):
    """The response of ``GET /models?feature=`` (wire.md#model-catalog)."""

    models: tuple[ModelInfo, ...] = ()
    """The models."""
    total: int | None = None
    """The count the server reported."""

    @property
    def ids(self) -> list[str]:
        """The model ids, in catalog order."""
        return [m.model_id for m in self.models]

    def get(self, model_id: str) -> ModelInfo | None:
        """The model with this id, if listed."""
        return next((m for m in self.models if m.model_id == model_id), None)


def parse_uploaded_asset(payload: Any) -> UploadedAsset:
    """The ``{"asset", "fileContent"}`` response of an upload (wire.md#upload-response)."""
    asset = _validate(UploadedAsset, payload, "an upload response")
    if asset.asset is None and asset.file_content is None:
        raise ResponseError(
            f"1min.ai's upload response has neither asset nor fileContent: {_preview(payload)}"
        )
    return asset


_ROLE_NAMES = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "system": "system",
}


def parse_message(
    item: Mapping[str, Any], conversation_model: str | None = None
) -> ConversationMessage:
    """One turn: ``{"role": "user"|"assistant"}`` or the web app's ``{"role": "USER"|<model>}``."""
    raw_role = str(item.get("role") or "")
    role = _ROLE_NAMES.get(raw_role.lower())
    model = item.get("model") if isinstance(item.get("model"), str) else None
    if role is None:
        #  The web app writes the answering model's id as the role of assistant turns
        # (wire.md#undocumented-conversation-routes).
        role, model = "assistant", model or raw_role or conversation_model
    content = item.get("content")
    if not isinstance(content, str):
        content = "" if content is None else json.dumps(content, ensure_ascii=False)
    data = {**item, "role": role, "content": content, "model": model}
    return _validate(ConversationMessage, data, "a conversation message")


def parse_conversation(payload: Any) -> Conversation:
    """A conversation with its messages, from any shape of/.

    Sources: wire.md#create-a-conversation, wire.md#undocumented-conversation-routes.

    Accepts ``{"conversation": {...}}`` or a bare object; messages from
    ``conversation.messages`` (fixture shape), ``conversation.messageList`` or a top-level
    ``messageList``/``messages`` (web-app shape).
    """
    if not isinstance(payload, Mapping):
        raise ResponseError(
            f"1min.ai sent a conversation that is not an object: {_preview(payload)}"
        )
    inner = payload.get("conversation")
    conversation: Mapping[str, Any] = inner if isinstance(inner, Mapping) else payload
    raw_messages = _first_list(conversation, "messages", "messageList")
    if raw_messages is None:
        raw_messages = _first_list(payload, "messageList", "messages") or []
    model = conversation.get("model") if isinstance(conversation.get("model"), str) else None
    messages = tuple(parse_message(m, model) for m in raw_messages if isinstance(m, Mapping))
    data = {k: v for k, v in conversation.items() if k not in ("messages", "messageList")}
    return _validate(Conversation, {**data, "messages": messages}, "a conversation")


def parse_conversation_list(payload: Any) -> list[Conversation]:
    """A conversation listing, in any shape of wire.md#undocumented-conversation-routes.

    ``{"conversations": [...]}`` (fixture), ``{"conversationList": [...]}`` (web app), or a
    bare list. No source shows the listing paged, so it is read as complete.
    """
    items: Any = payload
    if isinstance(payload, Mapping):
        items = _first_list(payload, "conversations", "conversationList")
        if items is None:
            raise ResponseError(
                f"1min.ai sent a conversation list in an unknown shape: {_preview(payload)}"
            )
    if not isinstance(items, list):
        raise ResponseError(
            f"1min.ai sent a conversation list that is not a list: {_preview(payload)}"
        )
    return [parse_conversation(item) for item in items if isinstance(item, Mapping)]


def parse_model_catalog(payload: Any) -> ModelCatalog:
    """``{"models": [...], "total": n}``; models without ``modelId`` are skipped.

    Sources: wire.md#model-catalog.
    """
    if not isinstance(payload, Mapping) or not isinstance(payload.get("models", []), list):
        raise ResponseError(
            f"1min.ai sent a model catalog in an unknown shape: {_preview(payload)}"
        )
    models = [m for m in payload.get("models", []) if isinstance(m, Mapping) and m.get("modelId")]
    return _validate(
        ModelCatalog, {"models": models, "total": payload.get("total")}, "a model catalog"
    )


def _first_list(mapping: Mapping[str, Any], *keys: str) -> list[Any] | None:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, list):
            return value
    return None
