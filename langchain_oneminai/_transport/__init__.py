"""The one transport: a sans-I/O core and two thin I/O shells (requests / aiohttp)."""

from langchain_oneminai._transport._async import AsyncTransport
from langchain_oneminai._transport._core import (
    DEFAULT_ASSET_BASE_URL,
    DEFAULT_BASE_URL,
    HttpResponse,
    MultipartFile,
    PreparedRequest,
    RetryPolicy,
    Timeouts,
    TimeoutSpec,
    TransportConfig,
    build_download_request,
    build_request,
    decode_json_body,
    resolve_timeouts,
)
from langchain_oneminai._transport._decoder import ChatStreamParser, SSEDecoder, SSEEvent
from langchain_oneminai._transport._sync import SyncTransport

__all__ = [
    "DEFAULT_ASSET_BASE_URL",
    "DEFAULT_BASE_URL",
    "AsyncTransport",
    "ChatStreamParser",
    "HttpResponse",
    "MultipartFile",
    "PreparedRequest",
    "RetryPolicy",
    "SSEDecoder",
    "SSEEvent",
    "SyncTransport",
    "TimeoutSpec",
    "Timeouts",
    "TransportConfig",
    "build_download_request",
    "build_request",
    "decode_json_body",
    "resolve_timeouts",
]
