"""``OneMinAIClient``: the one transport every langchain-oneminai component shares.

One class, assembled from one module per resource of the API (as the Stainless SDKs split
``resources/``), on a shared base::

    _base.py           configuration, the two transports, route -> request, _run / _arun
    _chat.py           chat, achat, chat_stream, achat_stream        POST /api/chat-with-ai
    _features.py       run_feature, arun_feature                      POST /api/features
    _assets.py         upload_*, download, asset_url                  POST /api/assets, files
    _conversations.py  create / get / list / delete conversations     /api/conversations
    _models.py         list_models, cached_models                     GET /models?feature=
    _media_types.py    what a file is by its bytes (pure)
    _components.py     how components (models, tools, histories) get their client

Every operation is a pure ``_*_call`` (validate, build the request, pick the parser) and two
thin shells, so the sync and async twins cannot drift.
"""

from __future__ import annotations

from langchain_oneminai.client._assets import AssetsResource
from langchain_oneminai.client._base import api_key_from_env
from langchain_oneminai.client._chat import ChatOptions, ChatResource
from langchain_oneminai.client._conversations import ConversationsResource
from langchain_oneminai.client._features import FeaturesResource
from langchain_oneminai.client._models import ModelsResource

__all__ = ["ChatOptions", "OneMinAIClient", "api_key_from_env"]


class OneMinAIClient(
    ChatResource, FeaturesResource, AssetsResource, ConversationsResource, ModelsResource
):
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
        max_credits: A credit budget shared by every component using this client: once the
            credits 1min.ai reported for its calls reach it, the next billed call (or upload)
            is refused before sending with ``CreditBudgetExceededError``. ``None``: none.

    Raises:
        InvalidInputError: a base URL that is not ``http(s)://host``, a timeout that is not
            positive and finite, ``max_retries`` outside 0-10, ``max_credits`` not a number
            >= 0 (nothing is sent).
        UnknownArgumentError: an argument that does not exist (with the closest name).

    Example:
        .. code-block:: python

            from langchain_oneminai import OneMinAIClient

            client = OneMinAIClient()
            record = client.chat("gpt-4o-mini", "Say hello")
            print(record.text)
    """
