"""``OneMinAIClient``: the one transport every langchain-oneminai component shares.

Each operation is split the same way:

    _*_call(...)   pure: validate input, build the PreparedRequest, pick the response parser
    method()       sync shell:  self._run(call)          (requests)
    amethod()      async shell: await self._arun(call)   (aiohttp)

so the sync and async twins cannot drift: they differ only in who moves the bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import (
    AsyncGenerator,
    Callable,
    Generator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import IO, Any, Generic, Self, TypeVar

import aiohttp
import requests
from pydantic import SecretStr
from typing_extensions import Unpack

from langchain_oneminai import _catalog
from langchain_oneminai._client_rules import (
    UPLOAD_CACHE_SIZE,
    ChatOptions,
    MediaKind,
    api_key_from_env,
    asset_url,
    chat_attachments,
    check_media,
    checked_event,
    content_key,
    content_type_of,
    download_urls,
    file_name_of,
    ignore_not_found,
    multipart_for,
    no_download_error,
    normalized_key,
    policy_fields,
    read_file,
    scrubbed,
    successful_record,
)
from langchain_oneminai._transport import (
    DEFAULT_ASSET_BASE_URL,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncTransport,
    ChatStreamParser,
    MultipartFile,
    PreparedRequest,
    RetryPolicy,
    SyncTransport,
    Timeouts,
    TimeoutSpec,
    TransportConfig,
    build_download_request,
    build_request,
    check_base_url,
    check_max_retries,
    decode_json_body,
    display_url,
    resolve_timeouts,
)
from langchain_oneminai._wire import (
    CHAT_FEATURE,
    ROUTES,
    AIRecord,
    ChatSettings,
    ChatStreamEvent,
    Conversation,
    ConversationMessage,
    ModelCatalog,
    Route,
    UploadedAsset,
    build_chat_payload,
    build_conversation_payload,
    build_feature_payload,
    parse_conversation,
    parse_conversation_list,
    parse_model_catalog,
    parse_record,
    parse_uploaded_asset,
)
from langchain_oneminai.errors import (
    APIStatusError,
    InvalidInputError,
    OneMinAIError,
    UnknownArgumentError,
)

__all__ = ["ChatOptions", "OneMinAIClient", "api_key_from_env"]

_CLIENT_ARGUMENTS = (
    "api_key",
    "base_url",
    "asset_base_url",
    "timeout",
    "max_retries",
    "default_headers",
    "session",
    "aiohttp_session",
    "routes",
    "retry_policy",
    "allow_private_urls",
    "max_response_bytes",
    "max_download_bytes",
)

_T = TypeVar("_T")

MODELS_CACHE_TTL = 600.0
"""Seconds a fetched model catalog is reused."""


def _base_url(value: str | None, name: str, variable: str, default: str) -> str:
    """A base URL argument, else its environment variable, else the default; checked."""
    if value:
        return check_base_url(value, what=name, api=name == "base_url")
    from_env = os.environ.get(variable)
    if from_env:
        return check_base_url(from_env, what=f"{name} ({variable})", api=name == "base_url")
    return default


def _size_limit(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{name} must be a positive number of bytes; got {value!r}.")
    return value


@dataclass(frozen=True, slots=True)
class _Call(Generic[_T]):
    """A request and how to read its JSON answer."""

    request: PreparedRequest
    parse: Callable[[Any], _T]


class OneMinAIClient:
    """Sync and async access to the 1min.ai developer API over one connection pool.

    Nothing is sent and nothing is required at construction: a missing key is a clear
    error at the first call. Share one client between components (``client=``) to share
    its connections, its model-catalog cache and its upload cache.

    Args:
        api_key: The API key. Defaults to ``ONEMINAI_API_KEY``, then ``ONE_MIN_API_KEY``.
        base_url: The API base URL. Defaults to ``ONEMINAI_BASE_URL``, then
            ``https://api.1min.ai``.
        asset_base_url: Where asset keys are downloaded from. Defaults to
            ``ONEMINAI_ASSET_BASE_URL``, then ``https://asset.1min.ai``.
        timeout: Seconds, a ``(connect, read)`` pair, or :class:`Timeouts`. The read timeout
            is an idle timeout (silence between bytes); there is no total cap.
        max_retries: Retries of refused or provably-unsent requests (429, 502, 503,
            connection errors). Default 2.
        default_headers: Extra headers for every API request.
        session: A ``requests.Session`` to use (never closed by the client).
        aiohttp_session: An ``aiohttp.ClientSession`` to use (never closed by the client;
            bound to its event loop).
        routes: Overrides of the route table, for undocumented routes that differ.
        retry_policy: Full control of retry timing (``max_retries`` fills its count).
        allow_private_urls: Let URLs the client fetches for you (image URLs in messages, media
            tool inputs, redirects of downloads) reach loopback, private or link-local
            addresses. Off by default: such a URL can reach services of your own network
            (a cloud metadata endpoint). The hosts of ``base_url`` and ``asset_base_url`` are
            always allowed.
        max_response_bytes: Decoded size limit of an API answer (64 MiB by default).
        max_download_bytes: Decoded size limit of a downloaded file (256 MiB by default).

    Raises:
        InvalidInputError: a base URL that is not ``http(s)://host``, a timeout that is not
            positive and finite, ``max_retries`` outside 0-10 (nothing is sent).
        UnknownArgumentError: an argument that does not exist (with the closest name).

    Example:
        .. code-block:: python

            from langchain_oneminai import OneMinAIClient

            client = OneMinAIClient()
            record = client.chat("gpt-4o-mini", "Say hello")
            print(record.text)
    """

    def __init__(
        self,
        *,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        asset_base_url: str | None = None,
        timeout: TimeoutSpec = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        session: requests.Session | None = None,
        aiohttp_session: aiohttp.ClientSession | None = None,
        routes: Mapping[str, Route] | None = None,
        retry_policy: RetryPolicy | None = None,
        allow_private_urls: bool = False,
        max_response_bytes: int | None = None,
        max_download_bytes: int | None = None,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise UnknownArgumentError.for_names("OneMinAIClient", unknown, _CLIENT_ARGUMENTS)
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = RetryPolicy(
                **{**policy_fields(policy), "max_retries": check_max_retries(max_retries)}
            )
        self._config = TransportConfig(
            api_key=normalized_key(api_key) or api_key_from_env(),
            base_url=_base_url(base_url, "base_url", "ONEMINAI_BASE_URL", DEFAULT_BASE_URL),
            asset_base_url=_base_url(
                asset_base_url, "asset_base_url", "ONEMINAI_ASSET_BASE_URL", DEFAULT_ASSET_BASE_URL
            ),
            timeouts=resolve_timeouts(timeout),
            retry=policy,
            default_headers=tuple((default_headers or {}).items()),
            allow_private_urls=bool(allow_private_urls),
            max_response_bytes=_size_limit("max_response_bytes", max_response_bytes)
            or DEFAULT_MAX_RESPONSE_BYTES,
            max_download_bytes=_size_limit("max_download_bytes", max_download_bytes)
            or DEFAULT_MAX_DOWNLOAD_BYTES,
        )
        self._routes = {**ROUTES, **(routes or {})}
        self._models_cache: dict[str, tuple[float, ModelCatalog]] = {}
        self._uploads: dict[str, UploadedAsset] = {}
        self._uploads_lock = threading.Lock()
        self._sync = SyncTransport(policy, session=session, model_index=self._model_index)
        self._async = AsyncTransport(policy, session=aiohttp_session, model_index=self._model_index)

    # -- configuration -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API base URL in use."""
        return self._config.base_url

    @property
    def asset_base_url(self) -> str:
        """The asset download host in use."""
        return self._config.asset_base_url

    @property
    def has_api_key(self) -> bool:
        """Whether a key is configured (the key itself is never exposed)."""
        return self._config.api_key is not None

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt."""
        return self._config.retry.max_retries

    @property
    def upload_cache(self) -> Mapping[str, UploadedAsset]:
        """Uploads made through :meth:`upload_cached`, by content hash (read-only view)."""
        return dict(self._uploads)

    @property
    def allow_private_urls(self) -> bool:
        """Whether fetched URLs may reach internal addresses (see the constructor)."""
        return self._config.allow_private_urls

    def __repr__(self) -> str:
        return f"OneMinAIClient(base_url={display_url(self.base_url)!r})"

    # -- chat ----------------------------------------------------------------------------

    def chat(self, model: str, prompt: str, **options: Unpack[ChatOptions]) -> AIRecord:
        """Send one prompt to a chat model (``POST /api/chat-with-ai``) and return its record.

        Args:
            model: A model id of the ``UNIFY_CHAT_WITH_AI`` catalog, e.g. ``gpt-4o-mini``.
            prompt: The whole prompt (1min.ai takes one string, not a message list).
            **options: See :class:`ChatOptions`.

        Raises:
            GenerationFailedError: the API reported the generation as failed.
            OneMinAIError: any other failure (see ``langchain_oneminai.errors``).
        """
        return self._run(self._chat_call(model, prompt, stream=False, options=options))

    async def achat(self, model: str, prompt: str, **options: Unpack[ChatOptions]) -> AIRecord:
        """Async :meth:`chat`."""
        return await self._arun(self._chat_call(model, prompt, stream=False, options=options))

    def chat_stream(
        self, model: str, prompt: str, **options: Unpack[ChatOptions]
    ) -> Generator[ChatStreamEvent, None, None]:
        """Stream a chat reply (``POST /api/chat-with-ai?isStreaming=true``).

        Yields :class:`ContentDelta` events, then :class:`StreamResult` (the full record),
        then :class:`StreamDone`.

        Retries happen only before the stream starts. An ``error`` event raises
        :class:`StreamError` after the deltas that preceded it.
        """
        call = self._chat_call(model, prompt, stream=True, options=options)
        response = self._sync.request(call.request)
        parser = ChatStreamParser(content_type_of(response))
        with contextlib.closing(self._sync.iter_bytes(call.request, response)) as chunks:
            for chunk in chunks:
                with scrubbed(call.request):
                    events = parser.feed(chunk)
                yield from (checked_event(event, call.request) for event in events)  # in order
                if parser.finished:
                    break  # the reply is over: what follows is not read
            with scrubbed(call.request):
                events = parser.close()
            yield from (checked_event(event, call.request) for event in events)
            with scrubbed(call.request):
                parser.raise_if_failed()

    async def achat_stream(
        self, model: str, prompt: str, **options: Unpack[ChatOptions]
    ) -> AsyncGenerator[ChatStreamEvent, None]:
        """Async :meth:`chat_stream`."""
        call = self._chat_call(model, prompt, stream=True, options=options)
        response = await self._async.request(call.request)
        parser = ChatStreamParser(content_type_of(response))
        chunks = self._async.iter_bytes(call.request, response)
        try:
            async for chunk in chunks:
                with scrubbed(call.request):
                    events = parser.feed(chunk)
                for event in events:  # in order: deltas before an error are delivered first
                    yield checked_event(event, call.request)
                if parser.finished:
                    break  # the reply is over: what follows is not read
            with scrubbed(call.request):
                events = parser.close()
            for event in events:
                yield checked_event(event, call.request)
            with scrubbed(call.request):
                parser.raise_if_failed()
        finally:
            await chunks.aclose()

    def _chat_call(
        self, model: str, prompt: str, *, stream: bool, options: Mapping[str, Any]
    ) -> _Call[AIRecord]:
        payload = build_chat_payload(
            model,
            prompt,
            conversation_id=options.get("conversation_id"),
            attachments=chat_attachments(options.get("attachments")),
            settings=ChatSettings(
                web_search=options.get("web_search"),
                num_of_site=options.get("num_of_site"),
                max_word=options.get("max_word"),
                is_mixed=options.get("is_mixed"),
                history_message_limit=options.get("history_message_limit"),
                with_memories=options.get("with_memories"),
            ),
            brand_voice_id=options.get("brand_voice_id"),
        )
        request = self._request(
            "chat",
            query={"isStreaming": "true"} if stream else None,
            json_body=payload,
            stream=stream,
            timeout=options.get("timeout"),
            model=model,
            feature=CHAT_FEATURE,
        )
        return _Call(request, lambda body: successful_record(parse_record(body), request))

    # -- features ------------------------------------------------------------------------

    def run_feature(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        *,
        conversation_id: str | None = None,
        timeout: TimeoutSpec = None,
    ) -> AIRecord:
        """Run a non-chat feature (``POST /api/features``): images, speech, code, writing...

        Args:
            feature_type: The feature, e.g. ``IMAGE_GENERATOR``, ``TEXT_TO_SPEECH``.
            model: A model id of that feature's catalog.
            prompt_object: The feature's fields (they differ per feature and model family).
            conversation_id: Optional top-level ``conversationId`` some feature pages show.
            timeout: Timeouts for this call (image generation can take tens of seconds).

        Raises:
            GenerationFailedError: the API answered 200 but reported a failed generation.
        """
        return self._run(
            self._feature_call(feature_type, model, prompt_object, conversation_id, timeout)
        )

    async def arun_feature(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        *,
        conversation_id: str | None = None,
        timeout: TimeoutSpec = None,
    ) -> AIRecord:
        """Async :meth:`run_feature`."""
        return await self._arun(
            self._feature_call(feature_type, model, prompt_object, conversation_id, timeout)
        )

    def _feature_call(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        conversation_id: str | None,
        timeout: TimeoutSpec,
    ) -> _Call[AIRecord]:
        payload = build_feature_payload(
            feature_type, model, prompt_object, conversation_id=conversation_id
        )
        request = self._request(
            "features", json_body=payload, timeout=timeout, model=model, feature=feature_type
        )
        return _Call(request, lambda body: successful_record(parse_record(body), request))

    # -- assets --------------------------------------------------------------------------

    def upload_asset(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> UploadedAsset:
        """Upload a file (``POST /api/assets``, multipart field ``asset``).

        Use ``.path`` of the result for images and audio (``attachments.images``,
        ``imageUrl``, ``audioUrl``) and ``.file_id`` for documents (``attachments.files``).

        Args:
            file: A local path, the bytes, or a binary file object.
            filename: The name to send; it must end in an extension (the server sniffs by
                it). Defaults to the path's name, or one derived from the content.
            mime_type: The part's MIME type. Defaults to a guess from the name or content.

        Raises:
            InvalidInputError: the type cannot be determined, or the file cannot be read.
        """
        content = read_file(file)
        return self._run(self._upload_call(content, filename or file_name_of(file), mime_type))

    async def aupload_asset(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> UploadedAsset:
        """Async :meth:`upload_asset` (the local file is read in a worker thread)."""
        content = await asyncio.to_thread(read_file, file)
        return await self._arun(
            self._upload_call(content, filename or file_name_of(file), mime_type)
        )

    def upload_cached(
        self, content: bytes, *, filename: str | None = None, mime_type: str | None = None
    ) -> UploadedAsset:
        """:meth:`upload_asset`, unless the same bytes were uploaded by this client already."""
        digest = content_key(content)
        cached = self._uploads.get(digest)
        if cached is None:
            cached = self._remember_upload(
                digest, self.upload_asset(content, filename=filename, mime_type=mime_type)
            )
        return cached

    async def aupload_cached(
        self, content: bytes, *, filename: str | None = None, mime_type: str | None = None
    ) -> UploadedAsset:
        """Async :meth:`upload_cached`."""
        digest = content_key(content)
        cached = self._uploads.get(digest)
        if cached is None:
            uploaded = await self.aupload_asset(content, filename=filename, mime_type=mime_type)
            cached = self._remember_upload(digest, uploaded)
        return cached

    def upload_url_cached(
        self,
        url: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        kind: MediaKind | None = None,
    ) -> UploadedAsset:
        """Fetch ``url`` and upload its content, unless this client did so already.

        1min.ai is not known to fetch external URLs itself (wire.md#images-in-chat), so
        images given by URL are re-uploaded, as the relays do. The URL must not lead to an
        internal address (see ``allow_private_urls``), and with ``kind`` what it served must
        be that kind of media by its first bytes, before anything is uploaded.

        Raises:
            URLNotAllowedError: the URL (or a redirect) leads where it may not.
            InvalidInputError: the content is not the ``kind`` of media it should be.
        """
        key = f"url:{url}"
        cached = self._uploads.get(key)
        if cached is None:
            content = check_media(self.download(url), url, kind, mime_type)
            cached = self._remember_upload(
                key, self.upload_cached(content, filename=filename, mime_type=mime_type)
            )
        return cached

    async def aupload_url_cached(
        self,
        url: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        kind: MediaKind | None = None,
    ) -> UploadedAsset:
        """Async :meth:`upload_url_cached`."""
        key = f"url:{url}"
        cached = self._uploads.get(key)
        if cached is None:
            content = check_media(await self.adownload(url), url, kind, mime_type)
            uploaded = await self.aupload_cached(content, filename=filename, mime_type=mime_type)
            cached = self._remember_upload(key, uploaded)
        return cached

    def _remember_upload(self, digest: str, asset: UploadedAsset) -> UploadedAsset:
        with self._uploads_lock:
            if len(self._uploads) >= UPLOAD_CACHE_SIZE:  # bounded: drop the oldest
                self._uploads.pop(next(iter(self._uploads)))
            self._uploads[digest] = asset
        return asset

    def _upload_call(
        self, content: bytes, filename: str | None, mime_type: str | None
    ) -> _Call[UploadedAsset]:
        part = multipart_for(content, filename=filename, mime_type=mime_type)
        request = self._request("assets", multipart=part)
        return _Call(request, parse_uploaded_asset)

    # -- conversations -------------------------------------------------------------------

    def create_conversation(
        self,
        title: str,
        model: str,
        *,
        conversation_type: str = CHAT_FEATURE,
        file_ids: Sequence[str] | None = None,
        youtube_url: str | None = None,
    ) -> Conversation:
        """Create a server-side conversation (``POST /api/conversations``).

        Raises:
            InvalidInputError: the title is empty or longer than 91 characters, or a
                required field of the type is missing (nothing is sent).
        """
        return self._run(
            self._create_conversation_call(title, model, conversation_type, file_ids, youtube_url)
        )

    async def acreate_conversation(
        self,
        title: str,
        model: str,
        *,
        conversation_type: str = CHAT_FEATURE,
        file_ids: Sequence[str] | None = None,
        youtube_url: str | None = None,
    ) -> Conversation:
        """Async :meth:`create_conversation`."""
        return await self._arun(
            self._create_conversation_call(title, model, conversation_type, file_ids, youtube_url)
        )

    def _create_conversation_call(
        self,
        title: str,
        model: str,
        conversation_type: str,
        file_ids: Sequence[str] | None,
        youtube_url: str | None,
    ) -> _Call[Conversation]:
        payload = build_conversation_payload(
            title,
            model,
            conversation_type=conversation_type,
            file_ids=file_ids,
            youtube_url=youtube_url,
        )
        request = self._request(
            "conversation_create", json_body=payload, model=model, feature=conversation_type
        )
        return _Call(request, parse_conversation)

    def get_conversation(self, conversation_id: str) -> Conversation:
        """A conversation with its messages (undocumented route; both §7.2 shapes read)."""
        return self._run(self._get_conversation_call("conversation_get", conversation_id))

    async def aget_conversation(self, conversation_id: str) -> Conversation:
        """Async :meth:`get_conversation`."""
        return await self._arun(self._get_conversation_call("conversation_get", conversation_id))

    def get_conversation_messages(self, conversation_id: str) -> list[ConversationMessage]:
        """The turns of a conversation, oldest first (undocumented route)."""
        return list(
            self._run(
                self._get_conversation_call("conversation_messages", conversation_id)
            ).messages
        )

    async def aget_conversation_messages(self, conversation_id: str) -> list[ConversationMessage]:
        """Async :meth:`get_conversation_messages`."""
        conversation = await self._arun(
            self._get_conversation_call("conversation_messages", conversation_id)
        )
        return list(conversation.messages)

    def _get_conversation_call(self, route: str, conversation_id: str) -> _Call[Conversation]:
        request = self._request(route, path_params={"conversation_id": conversation_id})
        return _Call(request, parse_conversation)

    def list_conversations(self) -> list[Conversation]:
        """Every conversation, newest first (undocumented route, reference §7.2).

        No source shows the listing paged (no ``offset``/``limit``/``total``), so nothing is
        invented: one request, read as the whole list.
        """
        return self._run(self._list_conversations_call())

    async def alist_conversations(self) -> list[Conversation]:
        """Async :meth:`list_conversations`."""
        return await self._arun(self._list_conversations_call())

    def _list_conversations_call(self) -> _Call[list[Conversation]]:
        return _Call(self._request("conversation_list"), parse_conversation_list)

    def delete_conversation(self, conversation_id: str, *, missing_ok: bool = False) -> None:
        """Delete a conversation (undocumented route; clients treat 404 as "already gone").

        Raises:
            NotFoundError: it does not exist and ``missing_ok`` is false.
        """
        call = self._delete_conversation_call(conversation_id)
        with ignore_not_found(missing_ok):
            self._sync.request(call.request)

    async def adelete_conversation(self, conversation_id: str, *, missing_ok: bool = False) -> None:
        """Async :meth:`delete_conversation`."""
        call = self._delete_conversation_call(conversation_id)
        with ignore_not_found(missing_ok):
            await self._async.request(call.request)

    def _delete_conversation_call(self, conversation_id: str) -> _Call[None]:
        request = self._request(
            "conversation_delete", path_params={"conversation_id": conversation_id}
        )
        return _Call(request, lambda _: None)

    # -- models --------------------------------------------------------------------------

    def list_models(self, feature: str = CHAT_FEATURE, *, refresh: bool = False) -> ModelCatalog:
        """The live model catalog of a feature (``GET /models?feature=``), cached for 10 min."""
        cached = self._cached_catalog(feature, refresh)
        return cached or self._store_catalog(feature, self._run(self._models_call(feature)))

    async def alist_models(
        self, feature: str = CHAT_FEATURE, *, refresh: bool = False
    ) -> ModelCatalog:
        """Async :meth:`list_models`."""
        cached = self._cached_catalog(feature, refresh)
        return cached or self._store_catalog(feature, await self._arun(self._models_call(feature)))

    def _models_call(self, feature: str) -> _Call[ModelCatalog]:
        if not feature or not isinstance(feature, str):
            raise InvalidInputError("feature must be a feature type such as 'UNIFY_CHAT_WITH_AI'.")
        request = self._request("models", query={"feature": feature}, require_key=False)
        return _Call(request, parse_model_catalog)

    def _cached_catalog(self, feature: str, refresh: bool) -> ModelCatalog | None:
        entry = self._models_cache.get(feature)
        if entry is None or refresh or entry[0] < time.monotonic():
            return None
        return entry[1]

    def _store_catalog(self, feature: str, catalog: ModelCatalog) -> ModelCatalog:
        self._models_cache[feature] = (time.monotonic() + MODELS_CACHE_TTL, catalog)
        return catalog

    def cached_models(self, feature: str = CHAT_FEATURE) -> ModelCatalog | None:
        """The catalog of ``feature`` if fetched and fresh, without any I/O."""
        return self._cached_catalog(feature, refresh=False)

    def _model_index(self) -> dict[str, list[str]]:
        """Feature -> model ids: the fetched catalogs, else the built-in table (no I/O)."""
        index = {feature: list(_catalog.known_model_ids(feature)) for feature in _catalog.FEATURES}
        index.update({feature: entry[1].ids for feature, entry in self._models_cache.items()})
        return index

    # -- downloads -----------------------------------------------------------------------

    def download(
        self, ref: str | AIRecord, *, index: int = 0, timeout: TimeoutSpec = None
    ) -> bytes:
        """The bytes of a result asset.

        Args:
            ref: An asset key (``images/…``), a full URL, or a record (its ``index``-th
                result; its ``temporaryUrl`` is preferred for the first one).
            index: Which result of a record.
            timeout: Timeouts for this download.

        Tries, in order: the record's ``temporaryUrl``, then ``asset_base_url/<key>``
        (full URLs are used as they are); the last failure is raised.
        """
        last: OneMinAIError | None = None
        for url in download_urls(ref, self.asset_base_url, index=index):
            try:
                return self._sync.request(self._download_request(url, timeout)).body or b""
            except APIStatusError as error:
                last = error
        raise no_download_error(ref, last)

    async def adownload(
        self, ref: str | AIRecord, *, index: int = 0, timeout: TimeoutSpec = None
    ) -> bytes:
        """Async :meth:`download`."""
        last: OneMinAIError | None = None
        for url in download_urls(ref, self.asset_base_url, index=index):
            try:
                return (await self._async.request(self._download_request(url, timeout))).body or b""
            except APIStatusError as error:
                last = error
        raise no_download_error(ref, last)

    def asset_url(self, key: str) -> str:
        """The download URL of an asset key (full URLs are returned as they are)."""
        return asset_url(key, self.asset_base_url)

    def _download_request(self, url: str, timeout: TimeoutSpec) -> PreparedRequest:
        return build_download_request(self._config, url, timeouts=self._timeouts(timeout))

    # -- plumbing ------------------------------------------------------------------------

    def _request(
        self,
        route_name: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        json_body: Any = None,
        multipart: MultipartFile | None = None,
        stream: bool = False,
        timeout: TimeoutSpec = None,
        model: str | None = None,
        feature: str | None = None,
        require_key: bool = True,
    ) -> PreparedRequest:
        route = self._routes[route_name]
        return build_request(
            self._config,
            route.method,
            route.format(**(path_params or {})),
            query=query,
            json_body=json_body,
            multipart=multipart,
            stream=stream,
            timeouts=self._timeouts(timeout),
            model=model,
            feature=feature,
            require_key=require_key,
        )

    def _timeouts(self, timeout: TimeoutSpec) -> Timeouts:
        return resolve_timeouts(timeout, self._config.timeouts)

    def _run(self, call: _Call[_T]) -> _T:
        response = self._sync.request(call.request)
        with scrubbed(call.request):
            return call.parse(decode_json_body(call.request, response.body or b""))

    async def _arun(self, call: _Call[_T]) -> _T:
        response = await self._async.request(call.request)
        with scrubbed(call.request):
            return call.parse(decode_json_body(call.request, response.body or b""))

    @property
    def open_async_sessions(self) -> int:
        """Aiohttp sessions this client opened and has not closed (one per live event loop)."""
        return self._async.open_sessions

    def close(self) -> None:
        """Close the sync connection pool (async sessions close with their event loop)."""
        self._sync.close()

    async def aclose(self) -> None:
        """Close the running loop's aiohttp session."""
        await self._async.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
