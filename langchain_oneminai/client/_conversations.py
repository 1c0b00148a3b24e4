"""Conversations (server-side threads, wire.md#conversations): create, read, list, delete."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from langchain_oneminai._wire import (
    CHAT_FEATURE,
    Conversation,
    ConversationMessage,
    build_conversation_payload,
    parse_conversation,
    parse_conversation_list,
)
from langchain_oneminai.client._base import ClientBase, _Call
from langchain_oneminai.errors import NotFoundError


@contextlib.contextmanager
def ignore_not_found(missing_ok: bool) -> Iterator[None]:
    try:
        yield
    except NotFoundError:
        if not missing_ok:
            raise


class ConversationsResource(ClientBase):
    """1min.ai's server-side threads (only create is documented; the rest, best known)."""

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
        """A conversation with its messages.

        Sources: wire.md#undocumented-conversation-routes.
        """
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
        """Every conversation, newest first.

        Sources: wire.md#undocumented-conversation-routes.

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
