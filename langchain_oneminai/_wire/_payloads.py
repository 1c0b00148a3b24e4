"""The JSON bodies the client sends, built and checked before anything goes out (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_oneminai._wire._routes import (
    CHAT_FEATURE,
    CONVERSATION_TYPES,
    MAX_CONVERSATION_TITLE,
)
from langchain_oneminai.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """``promptObject.settings`` of a chat call (wire.md#chat-request).

    ``None`` means "not sent": the server default applies, since the sources disagree on
    the defaults (wire.md#settings-defaults).
    """

    web_search: bool | None = None
    """``webSearchSettings.webSearch``: let the model search the web."""
    num_of_site: int | None = None
    """``webSearchSettings.numOfSite``: how many sites web search reads."""
    max_word: int | None = None
    """``webSearchSettings.maxWord``: how many words web search extracts."""
    is_mixed: bool | None = None
    """``historySettings.isMixed``: include turns other models produced in the thread."""
    history_message_limit: int | None = None
    """``historySettings.historyMessageLimit``: how many past messages the server feeds back."""
    with_memories: bool | None = None
    """``withMemories``: cross-conversation AI memory."""

    def to_wire(self) -> dict[str, Any]:
        """The ``settings`` object with only the fields that were set (empty if none)."""
        settings: dict[str, Any] = {}
        web = _drop_none(
            {"webSearch": self.web_search, "numOfSite": self.num_of_site, "maxWord": self.max_word}
        )
        if web:
            settings["webSearchSettings"] = web
        history = _drop_none(
            {"isMixed": self.is_mixed, "historyMessageLimit": self.history_message_limit}
        )
        if history:
            settings["historySettings"] = history
        if self.with_memories is not None:
            settings["withMemories"] = self.with_memories
        return settings


@dataclass(frozen=True, slots=True)
class ChatAttachments:
    """``promptObject.attachments``: uploaded asset references.

    Sources: wire.md#chat-request, wire.md#attachments-in-chat.
    """

    images: tuple[str, ...] = ()
    """Image asset paths (``fileContent.path``, e.g. ``images/2024_…png``)."""
    files: tuple[str, ...] = ()
    """Document asset ids (``fileContent.uuid``)."""

    def to_wire(self) -> dict[str, list[str]]:
        """The ``attachments`` object with only non-empty lists."""
        return _drop_none({"images": list(self.images) or None, "files": list(self.files) or None})


def build_chat_payload(
    model: str,
    prompt: str,
    *,
    conversation_id: str | None = None,
    attachments: ChatAttachments | None = None,
    settings: ChatSettings | None = None,
    brand_voice_id: str | None = None,
) -> dict[str, Any]:
    """The JSON body of ``POST /api/chat-with-ai`` (wire.md#chat-request).

    Only what was asked for is sent (as llm-1minai does): ``settings`` and ``attachments``
    are omitted when empty; ``conversationId`` lives in ``promptObject`` as the v2 docs say.

    Raises:
        InvalidInputError: an empty model or a prompt that is not a non-empty string.
    """
    _require_text("model", model)
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidInputError("The prompt is empty: 1min.ai requires promptObject.prompt text.")
    prompt_object: dict[str, Any] = {"prompt": prompt}
    if conversation_id:
        prompt_object["conversationId"] = conversation_id
    wire_settings = settings.to_wire() if settings else {}
    if wire_settings:
        prompt_object["settings"] = wire_settings
    wire_attachments = attachments.to_wire() if attachments else {}
    if wire_attachments:
        prompt_object["attachments"] = wire_attachments
    payload: dict[str, Any] = {"type": CHAT_FEATURE, "model": model, "promptObject": prompt_object}
    if brand_voice_id:
        payload["brandVoiceId"] = brand_voice_id
    return payload


def build_feature_payload(
    feature_type: str,
    model: str,
    prompt_object: Mapping[str, Any],
    *,
    conversation_id: str | None = None,
) -> dict[str, Any]:
    """The JSON body of ``POST /api/features`` (wire.md#features-envelope).

    ``conversation_id`` becomes the top-level ``conversationId`` some feature pages show
    (e.g. ``"TEXT_TO_SPEECH"``, wire.md#features-envelope); it is optional and omitted by default.
    """
    _require_text("feature type", feature_type)
    _require_text("model", model)
    if not isinstance(prompt_object, Mapping):
        raise InvalidInputError("prompt_object must be a mapping of the feature's fields.")
    payload: dict[str, Any] = {"type": feature_type, "model": model}
    if conversation_id:
        payload["conversationId"] = conversation_id
    payload["promptObject"] = dict(prompt_object)
    return payload


def build_conversation_payload(
    title: str,
    model: str,
    *,
    conversation_type: str = CHAT_FEATURE,
    file_ids: Sequence[str] | None = None,
    youtube_url: str | None = None,
) -> dict[str, Any]:
    """The JSON body of ``POST /api/conversations``, checked before sending.

    Sources: wire.md#create-a-conversation.

    Raises:
        InvalidInputError: an empty or over-long title (max 91 characters), an unknown type,
            CHAT_WITH_PDF without files, or CHAT_WITH_YOUTUBE_VIDEO without a URL.
    """
    _require_text("title", title)
    if len(title) > MAX_CONVERSATION_TITLE:
        raise InvalidInputError(
            f"Conversation titles are limited to {MAX_CONVERSATION_TITLE} characters by 1min.ai; "
            f"this one has {len(title)}. Shorten it (e.g. title[:{MAX_CONVERSATION_TITLE}])."
        )
    _require_text("model", model)
    if conversation_type not in CONVERSATION_TYPES:
        raise InvalidInputError(
            f"Unknown conversation type {conversation_type!r}; "
            f"expected one of {sorted(CONVERSATION_TYPES)}."
        )
    if conversation_type == "CHAT_WITH_PDF" and not file_ids:
        raise InvalidInputError(
            "A CHAT_WITH_PDF conversation needs file_ids (uploaded asset uuids)."
        )
    if conversation_type == "CHAT_WITH_YOUTUBE_VIDEO" and not youtube_url:
        raise InvalidInputError("A CHAT_WITH_YOUTUBE_VIDEO conversation needs youtube_url.")
    payload: dict[str, Any] = {"type": conversation_type, "title": title, "model": model}
    if file_ids:
        payload["fileList"] = list(file_ids)
    if youtube_url:
        payload["youtubeUrl"] = youtube_url
    return payload


def _require_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{name} must be a non-empty string, got {value!r}.")


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}
