"""The 1min.ai wire format: routes, request builders, and lenient models of every response.

Pure: no I/O and no LangChain imports. One module per concern: ``_routes`` (paths, limits),
``_payloads`` (request bodies), ``_records`` (``aiRecord``), ``_resources`` (assets,
conversations, model catalogs), ``_events`` (stream events). Every path, field and shape
here is a fact of ``docs/wire.md``, cited next to it. Where the sources disagree, parsing
accepts every reported shape (wire.md#open-questions), so one client works whichever one the
server sends.

Requests (built here, sent by ``_transport``)::

    build_chat_payload()          POST /api/chat-with-ai[?isStreaming=true]   chat-request
    build_feature_payload()       POST /api/features                          features-envelope
    build_conversation_payload()  POST /api/conversations                     create-a-conversation
    ROUTES                        every path, documented or not, in one table  routes

Responses (parsed here)::

    parse_record()             {"aiRecord": {...}} (or {"success", "data"})   chat-response
    parse_uploaded_asset()     {"asset": {...}, "fileContent": {...}}         upload-response
    parse_conversation()       {"conversation": {...}} (+ "messageList")      conversation-shapes
    parse_conversation_list()  {"conversations"} or {"conversationList"}      conversation-shapes
    parse_model_catalog()      {"models": [...], "total": n}                  model-catalog

(the last column: the ``docs/wire.md`` heading with the facts and their sources)
"""

from __future__ import annotations

from langchain_oneminai._wire._events import (
    ChatStreamEvent,
    ContentDelta,
    StreamDone,
    StreamErrorEvent,
    StreamResult,
)
from langchain_oneminai._wire._payloads import (
    ChatAttachments,
    ChatSettings,
    build_chat_payload,
    build_conversation_payload,
    build_feature_payload,
)
from langchain_oneminai._wire._records import (
    SURROGATE,
    AIRecord,
    AIRecordDetail,
    WireModel,
    clean_text,
    parse_record,
    result_strings,
    token_usage_from_metadata,
)
from langchain_oneminai._wire._resources import (
    Asset,
    Conversation,
    ConversationMessage,
    FileContent,
    ModelCatalog,
    ModelInfo,
    UploadedAsset,
    parse_conversation,
    parse_conversation_list,
    parse_message,
    parse_model_catalog,
    parse_uploaded_asset,
)
from langchain_oneminai._wire._routes import (
    CHAT_FEATURE,
    CONVERSATION_TYPES,
    MAX_CONVERSATION_TITLE,
    MAX_TTS_CHARS,
    ROUTES,
    Route,
    check_path_id,
)

__all__ = [
    "CHAT_FEATURE",
    "CONVERSATION_TYPES",
    "MAX_CONVERSATION_TITLE",
    "MAX_TTS_CHARS",
    "ROUTES",
    "SURROGATE",
    "AIRecord",
    "AIRecordDetail",
    "Asset",
    "ChatAttachments",
    "ChatSettings",
    "ChatStreamEvent",
    "ContentDelta",
    "Conversation",
    "ConversationMessage",
    "FileContent",
    "ModelCatalog",
    "ModelInfo",
    "Route",
    "StreamDone",
    "StreamErrorEvent",
    "StreamResult",
    "UploadedAsset",
    "WireModel",
    "build_chat_payload",
    "build_conversation_payload",
    "build_feature_payload",
    "check_path_id",
    "clean_text",
    "parse_conversation",
    "parse_conversation_list",
    "parse_message",
    "parse_model_catalog",
    "parse_record",
    "parse_uploaded_asset",
    "result_strings",
    "token_usage_from_metadata",
]
