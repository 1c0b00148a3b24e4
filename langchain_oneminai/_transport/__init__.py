"""The one transport: a sans-I/O core and two thin I/O shells (requests / aiohttp).

_urls.py     where requests may go: base URLs, fetched addresses, redirects (pure)
_body.py     bodies: the multipart upload out, bounded gzip/deflate decoding in (pure)
_http.py     requests and responses as values, and their builders (pure)
_core.py     the retry flow the shells drive (pure)
_decoder.py  chat streams: bytes -> UTF-8 -> SSE events -> typed chat events (pure)
_sync.py     the requests shell        _async.py   the aiohttp shell
"""

from langchain_oneminai._transport._async import AsyncTransport
from langchain_oneminai._transport._body import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    MultipartFile,
)
from langchain_oneminai._transport._decoder import ChatStreamParser, SSEDecoder, SSEEvent
from langchain_oneminai._transport._http import (
    DEFAULT_ASSET_BASE_URL,
    DEFAULT_BASE_URL,
    HttpResponse,
    PreparedRequest,
    RetryPolicy,
    Timeouts,
    TimeoutSpec,
    TransportConfig,
    build_download_request,
    build_request,
    check_max_retries,
    decode_json_body,
    resolve_timeouts,
)
from langchain_oneminai._transport._sync import SyncTransport
from langchain_oneminai._transport._urls import check_base_url, display_url

__all__ = [
    "DEFAULT_ASSET_BASE_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
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
    "check_base_url",
    "check_max_retries",
    "decode_json_body",
    "display_url",
    "resolve_timeouts",
]
