r"""``OneMinAIConversationLoader``: 1min.ai conversations as LangChain ``Document``\ s.

**Data flow**::

    conversation_ids given?
      yes -> GET /api/conversations/{id}, each in order (an unknown id raises NotFoundError
             after the documents of the ids before it)
      no  -> OneMinAIClient.list_conversations(): GET /api/conversations (one request: no
             source shows it paged); then GET /api/conversations/{id} per conversation
             (listings carry no messages), merged with the listed fields (merge_listed)
    each conversation -> documents_for(conversation, mode)     (both in _conversations._documents)
      mode="conversation" -> one Document: the transcript ("User: …" / "Assistant: …")
      mode="message"      -> one Document per turn

The list and get routes are undocumented for the developer API
(wire.md#undocumented-conversation-routes); both known
response shapes are read (``_wire.parse_conversation`` / ``parse_conversation_list``).
Documents are produced lazily: one conversation is fetched at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document
from pydantic import SecretStr

from langchain_oneminai._conversations._documents import (
    LoaderMode,
    check_conversation_ids,
    check_mode,
    documents_for,
    merge_listed,
)
from langchain_oneminai._conversations._target import missing_thread_error
from langchain_oneminai._transport import TimeoutSpec
from langchain_oneminai._wire import Conversation
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.client._components import LazyClient, check_arguments, parameter_names
from langchain_oneminai.errors import NotFoundError

__all__ = ["OneMinAIConversationLoader"]

_UNKNOWN_ID_ADVICE = (
    "The documents of the conversations before it were already produced; check the id, or "
    "omit conversation_ids to load every conversation."
)


class OneMinAIConversationLoader(BaseLoader):
    r"""Load 1min.ai conversations (server-side chat threads) as ``Document``\ s.

    Every conversation of the account, or the given ones, either as one transcript per
    conversation (``mode="conversation"``) or as one document per message
    (``mode="message"``). Listings are followed page by page when the server pages.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAIConversationLoader

            loader = OneMinAIConversationLoader()  # every conversation, one document each
            by_message = OneMinAIConversationLoader(["<conversation uuid>"], mode="message")

    Lazy load:
        .. code-block:: python

            for document in loader.lazy_load():
                print(document.metadata["title"], len(document.page_content))

    Async:
        .. code-block:: python

            documents = [d async for d in loader.alazy_load()]

    Documents:
        ``mode="conversation"``: ``page_content`` is the transcript, ``User: …`` and
        ``Assistant: …`` turns separated by blank lines; ``id`` is the conversation id;
        ``metadata`` has ``source`` (``oneminai://conversations/<id>``),
        ``conversation_id``, ``title``, ``model``, ``type``, ``status``, ``created_at``,
        ``message_count`` and ``credits`` (their sum), each where 1min.ai reports it.

        ``mode="message"``: ``page_content`` is one turn's text; ``id`` is
        ``<conversation id>:<index>``; ``metadata`` has ``source``, ``conversation_id``,
        ``title``, ``conversation_created_at``, ``index``, ``role`` (``user`` /
        ``assistant``), ``model`` (replies), ``ai_record_id``, ``credits`` and
        ``created_at`` where reported.

    A conversation that disappears between the listing and its fetch is skipped. Nothing is
    sent at construction.

    Args:
        conversation_ids: The conversations to load (a list, or one id); ``None`` loads every
            conversation of the account.
        mode: ``"conversation"`` (one transcript each) or ``"message"`` (one per message).
        client: A shared :class:`OneMinAIClient`; when given, the options below are unused.
        api_key: The API key; ``ONEMINAI_API_KEY`` (then ``ONE_MIN_API_KEY``) if not given.
        base_url: The API base URL; ``ONEMINAI_BASE_URL``, else ``https://api.1min.ai``.
        asset_base_url: The asset host; ``ONEMINAI_ASSET_BASE_URL``, else the default.
        timeout: Seconds, or ``(connect, read)``.
        max_retries: Retries of refused or provably unsent requests.

    Raises:
        InvalidInputError: an unknown mode or an empty id (at construction).
    """

    def __init__(
        self,
        conversation_ids: str | Iterable[str] | None = None,
        *,
        mode: LoaderMode = "conversation",
        client: OneMinAIClient | None = None,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        asset_base_url: str | None = None,
        timeout: TimeoutSpec = None,
        max_retries: int | None = None,
        allow_private_urls: bool = False,
        **unknown: Any,
    ) -> None:
        check_arguments(type(self).__name__, unknown, parameter_names(type(self).__init__))
        self.conversation_ids = check_conversation_ids(conversation_ids)
        """The conversations to load, without repeats; ``None`` for all of them."""
        self.mode: LoaderMode = check_mode(mode)
        """One transcript per conversation, or one document per message."""
        self.client = client
        """The shared client, if one was given."""
        self._clients = LazyClient(
            client,
            api_key=api_key,
            base_url=base_url,
            asset_base_url=asset_base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_private_urls=allow_private_urls,
        )

    def lazy_load(self) -> Iterator[Document]:
        """The documents, one conversation fetched at a time.

        Raises:
            NotFoundError: one of ``conversation_ids`` does not exist (the documents of the
                ones before it were yielded).
        """
        client = self._client()
        if self.conversation_ids is not None:
            for conversation_id in self.conversation_ids:
                yield from documents_for(_fetched(client, conversation_id), self.mode)
            return
        for listed in client.list_conversations():
            yield from documents_for(_fetched(client, listed.uuid, listed=listed), self.mode)

    async def alazy_load(self) -> AsyncIterator[Document]:
        """Async :meth:`lazy_load` (native: aiohttp, no worker thread)."""
        client = self._client()
        if self.conversation_ids is not None:
            for conversation_id in self.conversation_ids:
                for document in documents_for(await _afetched(client, conversation_id), self.mode):
                    yield document
            return
        for listed in await client.alist_conversations():
            conversation = await _afetched(client, listed.uuid, listed=listed)
            for document in documents_for(conversation, self.mode):
                yield document

    def _client(self) -> OneMinAIClient:
        return self._clients.get()


def _fetched(
    client: OneMinAIClient, conversation_id: str, *, listed: Conversation | None = None
) -> Conversation | None:
    try:
        return merge_listed(listed, client.get_conversation(conversation_id))
    except NotFoundError as error:
        if listed is None:
            raise missing_thread_error(conversation_id, error, _UNKNOWN_ID_ADVICE) from error
        return None  # listed, then deleted before its fetch: it is gone, skip it


async def _afetched(
    client: OneMinAIClient, conversation_id: str, *, listed: Conversation | None = None
) -> Conversation | None:
    try:
        return merge_listed(listed, await client.aget_conversation(conversation_id))
    except NotFoundError as error:
        if listed is None:
            raise missing_thread_error(conversation_id, error, _UNKNOWN_ID_ADVICE) from error
        return None  # listed, then deleted before its fetch: it is gone, skip it
