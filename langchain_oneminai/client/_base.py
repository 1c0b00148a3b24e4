"""The plumbing every resource of ``OneMinAIClient`` shares (the calls are in sibling modules).

Each operation is split the same way:

    _*_call(...)   pure: validate input, build the PreparedRequest, pick the response parser
    method()       sync shell:  self._run(call)          (requests)
    amethod()      async shell: await self._arun(call)   (aiohttp)

so the sync and async twins cannot drift: they differ only in who moves the bytes. This
module holds the configuration checks, the two transports, ``_request`` (route -> request),
``_run``/``_arun``, and the model index the error messages draw suggestions from.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

import aiohttp
import requests
from pydantic import SecretStr

from langchain_oneminai import _catalog
from langchain_oneminai._transport import (
    DEFAULT_ASSET_BASE_URL,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncTransport,
    MultipartFile,
    PreparedRequest,
    RetryPolicy,
    SyncTransport,
    Timeouts,
    TimeoutSpec,
    TransportConfig,
    build_request,
    check_base_url,
    check_max_retries,
    decode_json_body,
    display_url,
    resolve_timeouts,
)
from langchain_oneminai._wire import ROUTES, AIRecord, ModelCatalog, Route, UploadedAsset
from langchain_oneminai.client._usage import Budget, check_max_credits, meter, price_estimate
from langchain_oneminai.errors import InvalidInputError, OneMinAIError, UnknownArgumentError

_T = TypeVar("_T")

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
    "max_credits",
)


API_KEY_VARIABLES = ("ONEMINAI_API_KEY", "ONE_MIN_API_KEY")
"""Where the key is read from, in order (``ONE_MIN_API_KEY`` is the name other 1min.ai tools
use)."""
BASE_URL_VARIABLE = "ONEMINAI_BASE_URL"
"""The environment variable of ``base_url``."""
ASSET_BASE_URL_VARIABLE = "ONEMINAI_ASSET_BASE_URL"
"""The environment variable of ``asset_base_url``."""


def api_key_from_env() -> SecretStr | None:
    """``ONEMINAI_API_KEY``, else ``ONE_MIN_API_KEY`` (the name other 1min.ai tools use)."""
    for name in API_KEY_VARIABLES:
        key = normalized_key(os.environ.get(name))
        if key is not None:
            return key
    return None


def normalized_key(key: str | SecretStr | None) -> SecretStr | None:
    """The key with surrounding whitespace stripped (a pasted key often ends in a newline).

    What is left is checked at the first call (``_transport._http.key_problem``), never
    quoted; an empty key counts as none.
    """
    value = key.get_secret_value() if isinstance(key, SecretStr) else key
    if not value or not value.strip():
        return None
    return SecretStr(value.strip())


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


def policy_fields(policy: RetryPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in policy.__dataclass_fields__}


@contextlib.contextmanager
def scrubbed(request: PreparedRequest) -> Iterator[None]:
    """Redact the request's key from any error raised inside (a server may echo it)."""
    try:
        yield
    except OneMinAIError as error:
        raise error.redact(request.secrets) from error.__cause__


@dataclass(frozen=True, slots=True)
class _Call(Generic[_T]):
    """A request and how to read its JSON answer."""

    request: PreparedRequest
    parse: Callable[[Any], _T]


class ClientBase:
    """The configuration and transports of a client; the resources build on it."""

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
        max_credits: float | None = None,
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
            base_url=_base_url(base_url, "base_url", BASE_URL_VARIABLE, DEFAULT_BASE_URL),
            asset_base_url=_base_url(
                asset_base_url, "asset_base_url", ASSET_BASE_URL_VARIABLE, DEFAULT_ASSET_BASE_URL
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
        self._budget = Budget(check_max_credits(max_credits))
        self._models_cache: dict[str, tuple[float, ModelCatalog]] = {}
        self._uploads: dict[str, UploadedAsset] = {}
        self._uploads_lock = threading.Lock()
        self._sync = SyncTransport(policy, session=session, model_index=self._model_index)
        self._async = AsyncTransport(policy, session=aiohttp_session, model_index=self._model_index)

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

    @property
    def max_credits(self) -> float | None:
        """The credit budget of this client's calls (``None``: none)."""
        return self._budget.max_credits

    @property
    def credits_spent(self) -> float:
        """Credits 1min.ai reported for this client's calls so far."""
        return self._budget.spent

    def with_budget(self, max_credits: float | None) -> Self:
        """This client with a credit budget of its own, sharing its connections and caches.

        What a component's ``max_credits`` builds on its client: the budget is the
        component's, the connection pools and upload cache everyone's. The client's own
        ``max_credits``, if any, still applies: a call must fit both. ``None``: no budget.

        Raises:
            InvalidInputError: ``max_credits`` is not a number >= 0.
        """
        budgeted = copy.copy(self)
        budgeted._budget = Budget(check_max_credits(max_credits), parent=self._budget)
        return budgeted

    def _account(self, feature: str, model: str, record: AIRecord) -> AIRecord:
        """Count a call's record: the active meters, and this client's budget."""
        estimate = None
        if record.credit is None:
            catalog = self._cached_catalog(feature, refresh=False)
            listed = catalog.get(model) if catalog else None
            price = listed.credit_metadata if listed else _catalog.PRICES.get(model)
            estimate = price_estimate(price)
        meter(feature, model, record, estimate)
        self._budget.spend(record)
        return record

    def _cached_catalog(self, feature: str, refresh: bool) -> ModelCatalog | None:
        entry = self._models_cache.get(feature)
        if entry is None or refresh or entry[0] < time.monotonic():
            return None
        return entry[1]

    def __repr__(self) -> str:
        return f"OneMinAIClient(base_url={display_url(self.base_url)!r})"

    def _model_index(self) -> dict[str, list[str]]:
        """Feature -> model ids: the fetched catalogs, else the built-in table (no I/O)."""
        index = {feature: list(_catalog.known_model_ids(feature)) for feature in _catalog.FEATURES}
        index.update({feature: entry[1].ids for feature, entry in self._models_cache.items()})
        return index

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
