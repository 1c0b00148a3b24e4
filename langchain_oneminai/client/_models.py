"""The model catalog (``GET /models?feature=``, wire.md#model-catalog), cached per feature."""

from __future__ import annotations

import time

from langchain_oneminai._wire import CHAT_FEATURE, ModelCatalog, parse_model_catalog
from langchain_oneminai.client._base import ClientBase, _Call
from langchain_oneminai.errors import InvalidInputError

MODELS_CACHE_TTL = 600.0
"""Seconds a fetched model catalog is reused."""


class ModelsResource(ClientBase):
    """Which models serve which feature, live."""

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

    def _store_catalog(self, feature: str, catalog: ModelCatalog) -> ModelCatalog:
        self._models_cache[feature] = (time.monotonic() + MODELS_CACHE_TTL, catalog)
        return catalog

    def cached_models(self, feature: str = CHAT_FEATURE) -> ModelCatalog | None:
        """The catalog of ``feature`` if fetched and fresh, without any I/O."""
        return self._cached_catalog(feature, refresh=False)
