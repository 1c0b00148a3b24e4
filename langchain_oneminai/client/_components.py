"""The connection settings every component shares, and the client built from them lazily.

Every component takes the same names (DESIGN: ``api_key``, ``base_url``, ``asset_base_url``,
``timeout``, ``max_retries``, ``client``, plus ``allow_private_urls``) and builds its
``OneMinAIClient`` on first use, never at construction: nothing does I/O or demands the key
until a call is made. What *can* be checked at construction is: a misspelt argument, a base
URL that is no URL, a timeout that is not positive and finite, a retry count out of range
— each an ``InvalidInputError`` (``UnknownArgumentError`` for a name that does not exist)
raised before anything is built.

* ``ClientConfig``: the pydantic fields, for pydantic components (``ChatOneMinAI``, the
  media tools, the toolkit).
* ``LazyClient``: the same for plain classes (the history, the loader).
* ``shared_client``: components without ``client=`` share one client per configuration,
  process-wide, so building one per request leaks nothing.
"""

from __future__ import annotations

import hashlib
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError

from langchain_oneminai._transport import (
    Timeouts,
    check_base_url,
    check_max_retries,
    display_url,
    resolve_timeouts,
)
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.client._base import (
    API_KEY_VARIABLES,
    ASSET_BASE_URL_VARIABLE,
    BASE_URL_VARIABLE,
)
from langchain_oneminai.client._usage import check_max_credits
from langchain_oneminai.errors import InvalidInputError, UnknownArgumentError

__all__ = ["ClientConfig", "LazyClient", "check_arguments", "parameter_names"]


def accepted_names(model: type[BaseModel]) -> set[str]:
    """Every name a pydantic component's constructor takes: field names and their aliases."""
    names = set(model.model_fields)
    names |= {f.alias for f in model.model_fields.values() if f.alias}
    return names


def parameter_names(function: Callable[..., Any]) -> list[str]:
    """The keyword names a plain constructor takes (``self`` and ``**`` catch-alls left out)."""
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if name != "self" and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    ]


def check_arguments(owner: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Refuse names a constructor does not take, with the closest valid name.

    Raises:
        UnknownArgumentError: a name that is not an argument.
    """
    known = set(known)
    unknown = [name for name in given if name not in known]
    if unknown:
        raise UnknownArgumentError.for_names(owner, unknown, known)


def check_connection_values(values: Mapping[str, Any]) -> None:
    """Check the connection settings that are given, before anything is built.

    Raises:
        InvalidInputError: a bad base URL, timeout, retry count or credit budget.
    """
    for name in ("base_url", "asset_base_url"):
        if values.get(name):
            check_base_url(values[name], what=name, api=name == "base_url")
    timeout = values.get("timeout", values.get("request_timeout"))
    if timeout is not None:
        resolve_timeouts(timeout)
    if values.get("max_retries") is not None:
        check_max_retries(values["max_retries"])
    if values.get("max_credits") is not None:
        check_max_credits(values["max_credits"])


_SHARED_CLIENTS: OrderedDict[tuple[Any, ...], OneMinAIClient] = OrderedDict()
_SHARED_LOCK = threading.Lock()
MAX_SHARED_CLIENTS = 64
"""Configurations whose clients are kept process-wide (least recently used dropped first)."""


def _settings_key(settings: Mapping[str, Any]) -> tuple[Any, ...]:
    """A hashable identity of client settings; the key is kept as its digest only."""
    items = []
    for name, given in sorted(settings.items()):
        value = given.get_secret_value() if isinstance(given, SecretStr) else given
        if name == "api_key" and isinstance(value, str):
            value = hashlib.sha256(value.encode()).hexdigest()
        elif isinstance(value, Mapping):
            value = tuple(sorted(value.items()))
        items.append((name, repr(value)))
    return tuple(items)


def forget_shared_clients() -> None:
    """Drop the process-wide clients (their sync pools closed): the next use builds anew.

    For tests that reset the server between cases (a fresh emulator is a fresh account,
    whose uploads and catalog a remembered client would still believe in).
    """
    with _SHARED_LOCK:
        clients = list(_SHARED_CLIENTS.values())
        _SHARED_CLIENTS.clear()
    for client in clients:
        client.close()


def shared_client(**settings: Any) -> OneMinAIClient:
    """The process-wide client for these settings, built on first use.

    Components that build their own client (no ``client=``) share one per configuration, as
    LangChain's OpenAI integration shares its default HTTP clients: a model or history built
    per request (a FastAPI or LangServe handler) then reuses one connection pool and one
    aiohttp session per event loop, instead of leaving an unclosed session behind each time
    it is garbage-collected. The upload and model-catalog caches are shared the same way.
    """
    key = _settings_key(settings)
    with _SHARED_LOCK:
        client = _SHARED_CLIENTS.pop(key, None)
        if client is None:
            client = OneMinAIClient(**settings)
        _SHARED_CLIENTS[key] = client  # most recently used last
        while len(_SHARED_CLIENTS) > MAX_SHARED_CLIENTS:
            _SHARED_CLIENTS.popitem(last=False)
    return client


class ClientConfig(BaseModel):
    """The connection fields of a pydantic component, and its lazily built client."""

    oneminai_api_key: SecretStr | None = Field(
        default_factory=secret_from_env(list(API_KEY_VARIABLES), default=None),
        alias="api_key",
    )
    """The API key; read from ``ONEMINAI_API_KEY`` (then ``ONE_MIN_API_KEY``) if not given.
    Surrounding whitespace (a pasted newline) is stripped."""

    base_url: str | None = Field(default_factory=from_env(BASE_URL_VARIABLE, default=None))
    """The API base URL; ``ONEMINAI_BASE_URL``, else ``https://api.1min.ai``. Credentials in it
    (``user:pass@``) are never shown in a repr or a trace."""

    asset_base_url: str | None = Field(
        default_factory=from_env(ASSET_BASE_URL_VARIABLE, default=None)
    )
    """Where result files download from; ``ONEMINAI_ASSET_BASE_URL``, else
    ``https://asset.1min.ai``."""

    request_timeout: float | tuple[float, float] | Timeouts | None = Field(
        default=None, alias="timeout"
    )
    """Seconds, ``(connect, read)``, or ``Timeouts(connect, read, total)``. The read timeout
    bounds silence, not the whole reply; ``total`` is a deadline for the whole call."""

    max_retries: int = 2
    """Retries (0-10) of refused or provably unsent requests (429, 502, 503, connection
    errors)."""

    default_headers: dict[str, str] | None = None
    """Extra headers for every request."""

    allow_private_urls: bool = False
    """Let URLs fetched on your behalf (image URLs in messages, media tool inputs, redirects of
    downloads) reach loopback, private or link-local addresses. Off: such a URL could reach
    your own network's services. The hosts of ``base_url``/``asset_base_url`` are always
    allowed. Unused with ``client=`` (the shared client's setting applies)."""

    max_credits: float | None = None
    """A credit budget for this component's calls: once the credits 1min.ai *reported* for
    them reach it, the next call is refused before sending (``CreditBudgetExceededError``).
    Calls already in flight are not stopped, and a call reporting no credits counts 0. The
    budget is this component's own; with ``client=``, that client's ``max_credits`` applies
    too. ``None``: none."""

    client: OneMinAIClient | None = Field(default=None, exclude=True)
    """A shared client; when given, its configuration is used instead of the connection
    fields above."""

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    _own_client: OneMinAIClient | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, **data: Any) -> None:
        """Check the arguments, then build the component (no I/O).

        Raises:
            UnknownArgumentError: an argument that does not exist (e.g. ``modle=``).
            InvalidInputError: a bad base URL, timeout, retry count or field value.
        """
        check_arguments(type(self).__name__, data, accepted_names(type(self)))
        check_connection_values(data)
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise InvalidInputError(_validation_message(type(self).__name__, error)) from None

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if name in ("base_url", "asset_base_url") and isinstance(value, str):
                yield name, display_url(value)
            else:
                yield name, value

    def _client(self) -> OneMinAIClient:
        """The given or process-wide client (with this component's budget), built on first use."""
        if self.client is not None and self.max_credits is None:
            return self.client
        if self._own_client is None:
            with self._lock:
                if self._own_client is None:
                    base = self.client or shared_client(**self._client_settings())
                    budget = self.max_credits
                    self._own_client = base if budget is None else base.with_budget(budget)
        return self._own_client

    def _client_settings(self) -> dict[str, Any]:
        return {
            "api_key": self.oneminai_api_key,
            "base_url": self.base_url,
            "asset_base_url": self.asset_base_url,
            "timeout": self.request_timeout,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "allow_private_urls": self.allow_private_urls,
        }


def _validation_message(owner: str, error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "value"
        problems.append(f"{where}: {item['msg']}")
    return f"{owner} got invalid arguments ({'; '.join(problems)}); nothing was built."


class LazyClient:
    """A given client, or the process-wide one of these settings (plain classes)."""

    def __init__(self, client: OneMinAIClient | None, **settings: Any) -> None:
        """Keep the settings (checked now); build nothing yet.

        Args:
            client: A shared client; when given, it is used as is.
            **settings: ``OneMinAIClient`` arguments for building one.

        Raises:
            InvalidInputError: a bad base URL, timeout or retry count.
        """
        check_connection_values(settings)
        self.shared = client
        self._settings = settings
        self._own: OneMinAIClient | None = None
        self._lock = threading.Lock()

    def get(self) -> OneMinAIClient:
        """The client."""
        if self.shared is not None:
            return self.shared
        if self._own is None:
            with self._lock:
                if self._own is None:
                    self._own = shared_client(**self._settings)
        return self._own
