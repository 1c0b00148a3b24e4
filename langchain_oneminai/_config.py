"""The connection settings every component shares, and the client built from them lazily.

Every component takes the same names (DESIGN: ``api_key``, ``base_url``, ``asset_base_url``,
``timeout``, ``max_retries``, ``client``) and builds its ``OneMinAIClient`` on first use,
never at construction: nothing does I/O or demands the key until a call is made.

* ``ClientConfig``: the pydantic fields, for pydantic components (``ChatOneMinAI``, the
  media tools).
* ``LazyClient``: the same for plain classes (the history, the loader).
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr

from langchain_oneminai.client import OneMinAIClient

__all__ = ["ClientConfig", "LazyClient"]


class ClientConfig(BaseModel):
    """The connection fields of a pydantic component, and its lazily built client."""

    oneminai_api_key: SecretStr | None = Field(
        default_factory=secret_from_env(["ONEMINAI_API_KEY", "ONE_MIN_API_KEY"], default=None),
        alias="api_key",
    )
    """The API key; read from ``ONEMINAI_API_KEY`` (then ``ONE_MIN_API_KEY``) if not given."""

    base_url: str | None = Field(default_factory=from_env("ONEMINAI_BASE_URL", default=None))
    """The API base URL; ``ONEMINAI_BASE_URL``, else ``https://api.1min.ai``."""

    asset_base_url: str | None = Field(
        default_factory=from_env("ONEMINAI_ASSET_BASE_URL", default=None)
    )
    """Where result files download from; ``ONEMINAI_ASSET_BASE_URL``, else
    ``https://asset.1min.ai``."""

    request_timeout: float | tuple[float, float] | None = Field(default=None, alias="timeout")
    """Seconds, or ``(connect, read)``. The read timeout bounds silence, not the whole reply."""

    max_retries: int = 2
    """Retries of refused or provably unsent requests (429, 502, 503, connection errors)."""

    default_headers: dict[str, str] | None = None
    """Extra headers for every request."""

    client: OneMinAIClient | None = Field(default=None, exclude=True)
    """A shared client; when given, its configuration is used instead of the fields above."""

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    _own_client: OneMinAIClient | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def _client(self) -> OneMinAIClient:
        """The shared client, or this component's own, built on first use."""
        if self.client is not None:
            return self.client
        if self._own_client is None:
            with self._lock:
                if self._own_client is None:
                    self._own_client = OneMinAIClient(
                        api_key=self.oneminai_api_key,
                        base_url=self.base_url,
                        asset_base_url=self.asset_base_url,
                        timeout=self.request_timeout,
                        max_retries=self.max_retries,
                        default_headers=self.default_headers,
                    )
        return self._own_client


class LazyClient:
    """A shared client, or one built on first use from the given settings (plain classes)."""

    def __init__(self, client: OneMinAIClient | None, **settings: Any) -> None:
        """Keep the settings; build nothing yet.

        Args:
            client: A shared client; when given, it is used as is.
            **settings: ``OneMinAIClient`` arguments for building one.
        """
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
                    self._own = OneMinAIClient(**self._settings)
        return self._own
