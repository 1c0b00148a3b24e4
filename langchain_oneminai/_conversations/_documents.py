"""1min.ai conversations as LangChain ``Document``s (pure): the loader's decisions.

One transcript ``Document`` per conversation (``conversation`` mode), or one ``Document`` per
message (``message`` mode), with the thread's metadata.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from langchain_core.documents import Document

from langchain_oneminai._wire import Conversation, check_path_id
from langchain_oneminai.errors import InvalidInputError

LoaderMode = Literal["conversation", "message"]
"""``conversation``: one transcript per conversation; ``message``: one document per turn."""


LOADER_MODES: tuple[LoaderMode, ...] = ("conversation", "message")
"""The loader's modes."""


_ROLE_LABELS = {"user": "User", "assistant": "Assistant", "system": "System"}


def check_mode(mode: str) -> LoaderMode:
    """The loader mode, checked.

    Raises:
        InvalidInputError: not ``conversation`` or ``message``.
    """
    for known in LOADER_MODES:
        if mode == known:
            return known
    raise InvalidInputError(
        f"mode must be 'conversation' (one transcript per conversation) or 'message' "
        f"(one document per message), got {mode!r}."
    )


def check_conversation_ids(conversation_ids: str | Iterable[str] | None) -> list[str] | None:
    """The ids to load, without repeats (``None``: every conversation).

    Raises:
        InvalidInputError: an id that is not a non-empty string.
    """
    if conversation_ids is None:
        return None
    ids = [conversation_ids] if isinstance(conversation_ids, str) else list(conversation_ids)
    for value in ids:
        check_path_id("Each conversation id", value)
    return list(dict.fromkeys(ids))


def merge_listed(listed: Conversation | None, full: Conversation) -> Conversation:
    """The fetched conversation, with fields only the listing reported filled in."""
    if listed is None:
        return full
    missing = {
        name: getattr(listed, name)
        for name in ("title", "type", "model", "status", "created_at")
        if getattr(full, name) is None and getattr(listed, name) is not None
    }
    return full.model_copy(update=missing) if missing else full


def transcript(conversation: Conversation) -> str:
    """The conversation as text: ``User: …`` / ``Assistant: …`` turns, blank-line separated."""
    return "\n\n".join(
        f"{_ROLE_LABELS.get(turn.role, turn.role.title())}: {turn.content}"
        for turn in conversation.messages
    )


def conversation_metadata(conversation: Conversation) -> dict[str, Any]:
    """Metadata of a conversation: id, title, model, type, status, creation time, counts."""
    spent = [t.credit for t in conversation.messages if t.credit is not None]
    return _drop_none(
        {
            "source": source_of(conversation.uuid),
            "conversation_id": conversation.uuid,
            "title": conversation.title,
            "model": conversation.model,
            "type": conversation.type,
            "status": conversation.status,
            "created_at": conversation.created_at,
            "message_count": len(conversation.messages),
            "credits": sum(spent) if spent else None,
        }
    )


def conversation_document(conversation: Conversation) -> Document:
    """One document holding the whole conversation's transcript (empty if it has no turns)."""
    return Document(
        page_content=transcript(conversation),
        metadata=conversation_metadata(conversation),
        id=conversation.uuid,
    )


def message_documents(conversation: Conversation) -> list[Document]:
    """One document per turn, with its role, model, record id and credits where present."""
    documents = []
    for index, turn in enumerate(conversation.messages):
        model = (turn.model or conversation.model) if turn.role == "assistant" else None
        metadata = _drop_none(
            {
                "source": source_of(conversation.uuid),
                "conversation_id": conversation.uuid,
                "title": conversation.title,
                "conversation_created_at": conversation.created_at,
                "index": index,
                "role": turn.role,
                "model": model,
                "ai_record_id": turn.ai_record_id,
                "credits": turn.credit,
                "created_at": turn.created_at,
            }
        )
        documents.append(
            Document(
                page_content=turn.content, metadata=metadata, id=f"{conversation.uuid}:{index}"
            )
        )
    return documents


def documents_for(conversation: Conversation | None, mode: LoaderMode) -> list[Document]:
    """The documents of one conversation in the loader's mode (none for ``None``: skipped)."""
    if conversation is None:
        return []
    if mode == "message":
        return message_documents(conversation)
    return [conversation_document(conversation)]


def source_of(conversation_id: str) -> str:
    """``metadata["source"]`` of a conversation's documents."""
    return f"oneminai://conversations/{conversation_id}"


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}
