"""The 1min.ai wire format: routes, request builders, and lenient models of every response.

Pure: no I/O and no LangChain imports. Every path, field and shape here comes from the API
reference (``oneminai-api.md``); the section is cited next to each. Where the sources
disagree, parsing accepts every reported shape (§18), so one client works whichever one
the server sends.

Requests (built here, sent by ``_transport``)::

    build_chat_payload()          -> POST /api/chat-with-ai[?isStreaming=true]   (§3.2)
    build_feature_payload()       -> POST /api/features                          (§8.1)
    build_conversation_payload()  -> POST /api/conversations                     (§7.1)
    ROUTES                        -> every path, documented or not, in one table

Responses (parsed here)::

    parse_record()            {"aiRecord": {...}}  (or the docs' {"success","data"}, §18.15)
    parse_uploaded_asset()    {"asset": {...}, "fileContent": {...}}                  (§6.2)
    parse_conversation()      {"conversation": {...messages}} or {..., "messageList"}   (§7)
    parse_conversation_list() {"conversations": [...]} or {"conversationList": [...]}  (§7.2)
    parse_model_catalog()     {"models": [...], "total": n}                            (§14.1)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from langchain_oneminai.errors import InvalidInputError, ResponseError

CHAT_FEATURE = "UNIFY_CHAT_WITH_AI"
"""The ``type`` of the unified chat endpoint (§3.2)."""

MAX_CONVERSATION_TITLE = 91
"""``title`` limit of ``POST /api/conversations`` (§7.1, §16.3)."""

MAX_TTS_CHARS = 4096
"""``text`` limit of TEXT_TO_SPEECH (§11.1)."""

CONVERSATION_TYPES = frozenset(
    {
        CHAT_FEATURE,
        "CHAT_WITH_AI",
        "CHAT_WITH_IMAGE",
        "CHAT_WITH_PDF",
        "CHAT_WITH_YOUTUBE_VIDEO",
        "CODE_GENERATOR",
    }
)
"""Conversation ``type`` values the sources use (§7.1)."""

SURROGATE = re.compile("[\ud800-\udfff]")
"""A UTF-16 surrogate code point: JSON escapes (``\\ud83d``) can put one in a string."""


def clean_text(text: str) -> str:
    """``text`` as real characters: surrogate pairs joined, unpaired halves made U+FFFD.

    Either has no UTF-8 form as it is, so it could not be sent, logged or saved.
    """
    if SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP endpoint of the developer API."""

    method: str
    """HTTP method."""
    path: str
    """Path template below the base URL (``{conversation_id}`` is filled in)."""
    documented: bool
    """Whether docs.1min.ai documents it; undocumented routes are the clients' best guess."""
    source: str
    """Where the route comes from in the API reference."""

    def format(self, **params: str) -> str:
        """The path with its parameters filled in, each checked as an id first.

        Ids go into the path as one segment, so only the characters 1min.ai's ids use are
        accepted (letters, digits, ``-``, ``_``, ``.``, ``~``; not ``.`` or ``..`` alone):
        ``"#"``, ``"?all=true"`` or ``".."`` would otherwise change which resource a DELETE
        reaches. The same check serves both shells, so they cannot differ.

        Raises:
            InvalidInputError: an empty id, or one with other characters.
        """
        for name, value in params.items():
            check_path_id(name, value)
        return self.path.format(**params)


_PATH_ID = re.compile(r"[A-Za-z0-9_.~-]{1,200}")


def check_path_id(name: str, value: object) -> str:
    """``value`` once it is safe as one path segment (see :meth:`Route.format`).

    Raises:
        InvalidInputError: not a non-empty id of the characters 1min.ai's ids use.
    """
    if not isinstance(value, str) or not _PATH_ID.fullmatch(value) or value in (".", ".."):
        raise InvalidInputError(
            f"{name} must be a 1min.ai id (letters, digits, '-', '_', '.', '~'), got "
            f"{value!r}; nothing was sent."
        )
    return value


ROUTES: dict[str, Route] = {
    "chat": Route("POST", "/api/chat-with-ai", documented=True, source="§3"),
    "features": Route("POST", "/api/features", documented=True, source="§8"),
    "assets": Route("POST", "/api/assets", documented=True, source="§6"),
    "conversation_create": Route("POST", "/api/conversations", documented=True, source="§7.1"),
    # Not documented for the developer API: paths from client fixtures and guesses (§7.2,
    # §18.17). One table so a deployment that learns the real paths can override them.
    "conversation_list": Route("GET", "/api/conversations", documented=False, source="§7.2 [FIX]"),
    "conversation_get": Route(
        "GET", "/api/conversations/{conversation_id}", documented=False, source="§7.2 [FIX]"
    ),
    "conversation_messages": Route(
        "GET", "/api/conversations/{conversation_id}", documented=False, source="§7.2 [FIX]"
    ),
    "conversation_delete": Route(
        "DELETE", "/api/conversations/{conversation_id}", documented=False, source="§7.2 [GUESS]"
    ),
    # No /api prefix; GET /api/models is a 404 (§14.1).
    "models": Route("GET", "/models", documented=False, source="§14.1 [OBS]"),
}
"""Every route the client uses, by name."""

# --------------------------------------------------------------------------------------
# Request builders
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """``promptObject.settings`` of a chat call (§3.2).

    ``None`` means "not sent": the server default applies, since the sources disagree on
    the defaults (§18.6).
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
    """``promptObject.attachments`` (§3.2, §5): uploaded asset references."""

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
    """The JSON body of ``POST /api/chat-with-ai`` (§3.2).

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
    """The JSON body of ``POST /api/features`` (§8.1).

    ``conversation_id`` becomes the top-level ``conversationId`` some feature pages show
    (e.g. ``"TEXT_TO_SPEECH"``, §8.1); it is optional and omitted by default.
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
    """The JSON body of ``POST /api/conversations`` (§7.1), checked before sending.

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


# --------------------------------------------------------------------------------------
# Response models
# --------------------------------------------------------------------------------------


class WireModel(BaseModel):
    """Base of the response models: camelCase aliases, unknown fields kept (``extra``)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", frozen=True
    )


_FAILED_STATUSES = frozenset({"FAILED", "FAILURE", "ERROR"})


class AIRecordDetail(WireModel):
    """``aiRecord.aiRecordDetail``: the echoed prompt and the result (§3.3)."""

    prompt_object: dict[str, Any] | None = None
    """The request's ``promptObject`` as the server recorded it."""
    result_object: Any = None
    """The result: a list of strings (text, asset keys), a bare string (some STT), or other."""
    error_message: str | None = None
    """Why the generation failed, when ``status`` says it did (§3.3, §9.1)."""


class AIRecord(WireModel):
    """``aiRecord``: the outcome of one chat or feature call (§3.3, §9.1)."""

    uuid: str | None = None
    """The record id."""
    model: str | None = None
    """The model that ran."""
    type: str | None = None
    """The feature type, e.g. ``UNIFY_CHAT_WITH_AI``."""
    status: str | None = None
    """``SUCCESS`` (chat), ``SUCCESS``/``COMPLETED``/``FAILED`` (features)."""
    conversation_id: str | None = None
    """The conversation the turn was recorded in, if any."""
    created_at: str | None = None
    """ISO-8601 creation time."""
    metadata: dict[str, Any] | None = None
    """Free-form metadata; some responses carry token counts here (peers §5)."""
    credit: float | None = None
    """Credits consumed, when reported (unverified, §15)."""
    temporary_url: str | None = None
    """A pre-signed download URL for the (first) result asset (§9.1)."""
    error_message: str | None = None
    """A failure reason at the top level (some responses put it here, §3.3)."""
    ai_record_detail: AIRecordDetail | None = None
    """The prompt and the result."""

    @property
    def result(self) -> Any:
        """``aiRecordDetail.resultObject`` (``None`` if absent)."""
        return self.ai_record_detail.result_object if self.ai_record_detail else None

    @property
    def result_strings(self) -> list[str]:
        """The result as a list of strings: a list's string items, or a bare string."""
        return result_strings(self.result)

    @property
    def text(self) -> str:
        """The reply text: the result strings joined (a one-element list in practice, §3.3).

        Unpaired surrogates (half of an escaped UTF-16 pair, without the other half) become
        U+FFFD: the text must stay encodable.
        """
        return clean_text("".join(self.result_strings))

    @property
    def failed(self) -> bool:
        """Whether the API reported the generation as failed."""
        return (self.status or "").upper() in _FAILED_STATUSES

    @property
    def failure_message(self) -> str | None:
        """The API's reason for a failure, wherever it put it."""
        detail = self.ai_record_detail.error_message if self.ai_record_detail else None
        return detail or self.error_message

    @property
    def token_usage(self) -> tuple[int, int, int] | None:
        """``(input, output, total)`` tokens when the record reports real, non-zero counts."""
        return token_usage_from_metadata(self.metadata)


def result_strings(result: Any) -> list[str]:
    """A ``resultObject`` as a list of strings (§3.3, §12.4: list or bare string)."""
    if isinstance(result, str):
        return [result]
    if isinstance(result, list):
        return [item for item in result if isinstance(item, str)]
    return []


def _first_int(mapping: Mapping[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and value >= 0:
            return int(value)
    return None


def token_usage_from_metadata(metadata: Mapping[str, Any] | None) -> tuple[int, int, int] | None:
    """Token counts from ``aiRecord.metadata`` when present and non-zero, else ``None``.

    Peers saw ``inputToken``/``outputToken``/``totalToken``, sometimes all zero (peers §5);
    zeros mean "not reported", never "free". No other spelling is reported, so none is read.
    """
    if not isinstance(metadata, Mapping):
        return None
    input_tokens = _first_int(metadata, "inputToken")
    output_tokens = _first_int(metadata, "outputToken")
    if input_tokens is None or output_tokens is None or (input_tokens == 0 and output_tokens == 0):
        return None
    total = _first_int(metadata, "totalToken")
    return input_tokens, output_tokens, total or input_tokens + output_tokens


class Asset(WireModel):
    """``asset``: the multer-s3 object of an upload (§6.2)."""

    key: str | None = None
    """The storage key, equal to ``fileContent.path``."""
    originalname: str | None = None
    """The file name that was sent."""
    mimetype: str | None = None
    """The MIME type that was sent."""
    size: int | None = None
    """Size in bytes."""
    location: str | None = None
    """Direct S3 URL (the bucket is private, §6.3)."""


class FileContent(WireModel):
    """``fileContent``: the file record of an upload (§6.2)."""

    uuid: str | None = None
    """The file id, used in ``attachments.files`` (§6.3)."""
    path: str | None = None
    """The asset path, used in ``attachments.images``, ``imageUrl``, ``audioUrl`` (§6.3)."""
    type: str | None = None
    """The file extension."""
    name: str | None = None
    """The stored file name."""
    status: str | None = None
    """``ACTIVE``."""


class UploadedAsset(WireModel):
    """The response of ``POST /api/assets`` (§6.2)."""

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
    """One turn of a conversation, from either thread shape of §7.2."""

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
    credit: float | None = None
    """Credits the turn consumed, when reported."""
    created_at: str | None = None
    """ISO-8601 time, when reported."""


class Conversation(WireModel):
    """A conversation (thread) (§7.1), with its messages when the response carried them."""

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
    """One model of ``GET /models?feature=`` (§14.1)."""

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
        """Whether the model accepts images (§14.1 vision rule)."""
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
    """The response of ``GET /models?feature=`` (§14.1)."""

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


_M = TypeVar("_M", bound=WireModel)


# --------------------------------------------------------------------------------------
# Response parsers
# --------------------------------------------------------------------------------------


def _validate(model: type[_M], data: Any, what: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ResponseError(
            f"1min.ai sent {what} in a shape this client cannot read: {error.errors()[0]['msg']} "
            f"at {'.'.join(str(p) for p in error.errors()[0]['loc']) or 'top level'}."
        ) from None


def parse_record(payload: Any) -> AIRecord:
    """The ``aiRecord`` of a chat or feature response.

    Accepts ``{"aiRecord": {...}}`` (every client, §3.3) and the docs' Midjourney variant
    ``{"success": true, "data": {"resultObject": [...]}}`` (§10, §18.15).
    """
    if isinstance(payload, Mapping):
        record = payload.get("aiRecord")
        if isinstance(record, Mapping):
            return _validate(AIRecord, record, "a record")
        data = payload.get("data")
        if isinstance(data, Mapping) and "resultObject" in data:
            return AIRecord(ai_record_detail=AIRecordDetail(result_object=data["resultObject"]))
    raise ResponseError(
        "1min.ai answered without an aiRecord; the response cannot be used. "
        f"It began: {_preview(payload)}"
    )


def parse_uploaded_asset(payload: Any) -> UploadedAsset:
    """The ``{"asset", "fileContent"}`` response of an upload (§6.2)."""
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
        # The web app writes the answering model's id as the role of assistant turns (§7.2).
        role, model = "assistant", model or raw_role or conversation_model
    content = item.get("content")
    if not isinstance(content, str):
        content = "" if content is None else json.dumps(content, ensure_ascii=False)
    data = {**item, "role": role, "content": content, "model": model}
    return _validate(ConversationMessage, data, "a conversation message")


def parse_conversation(payload: Any) -> Conversation:
    """A conversation with its messages, from any shape of §7.1/§7.2.

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
    """A conversation listing, in any shape of §7.2.

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
    """``{"models": [...], "total": n}`` (§14.1); models without ``modelId`` are skipped."""
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


def _preview(payload: Any) -> str:
    text = (
        json.dumps(payload, ensure_ascii=False, default=str)
        if not isinstance(payload, str)
        else payload
    )
    return text[:200] + ("…" if len(text) > 200 else "")


# --------------------------------------------------------------------------------------
# Typed stream events (what OneMinAIClient.chat_stream yields)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentDelta:
    """A piece of reply text (an SSE ``content`` event, or a chunk of a raw-text stream)."""

    text: str
    """The new text, to append to what came before."""
    kind: Literal["content"] = field(default="content", repr=False)


@dataclass(frozen=True, slots=True)
class StreamResult:
    """The final record (the ``result`` event): the authority on the whole reply (§3.4)."""

    record: AIRecord
    """The same ``aiRecord`` the non-streaming endpoint returns."""
    text_elided: bool = False
    """True when the reply was so long (over 1 MiB) that the record's copy of it was not
    kept: the deltas before it carried the text, and memory stays bounded."""
    kind: Literal["result"] = field(default="result", repr=False)


@dataclass(frozen=True, slots=True)
class StreamDone:
    """The normal end of the stream (the ``done`` event)."""

    message: str | None = None
    """Its message, e.g. ``Stream completed`` (not an error, §18.5)."""
    kind: Literal["done"] = field(default="done", repr=False)


@dataclass(frozen=True, slots=True)
class StreamErrorEvent:
    """An ``error`` event: the server gave up mid-stream (§3.4)."""

    message: str
    """The server's message (``error`` or ``message`` key, §18.4)."""
    kind: Literal["error"] = field(default="error", repr=False)


ChatStreamEvent = ContentDelta | StreamResult | StreamDone | StreamErrorEvent
"""Everything a chat stream yields, in order: deltas, then the result, then done."""
