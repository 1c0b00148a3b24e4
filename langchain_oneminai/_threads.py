"""1min.ai conversations (server-side threads) <-> LangChain messages and documents (pure).

No I/O here: ``chat_message_histories`` and ``document_loaders`` are thin sync/async shells
over ``OneMinAIClient`` and these decisions.

**Which thread** (``thread_target``)::

    conversation_id="<uuid>"     -> that thread, fixed
    session_id="<uuid>"          -> that thread, fixed (a session id that IS a conversation id)
    session_id="alice"           -> the newest thread titled session_title("alice"), i.e.
                                    "[LangChain history] alice", found by listing
                                    conversations; created with that title when missing
    neither                      -> a new thread titled ``title``, created on the first turn

**Reading a thread** (``history_messages``)::

    Conversation.messages (either §7.2 shape, already normalised by ``_wire.parse_message``)
        user      -> HumanMessage of what the user sent (``_messages.messages_from_prompt``
                     drops the <system>/<tools> blocks the package added; tool results
                     sent as a turn become ToolMessages)
        assistant -> AIMessage(id=aiRecordId, response_metadata={model_name, ai_record_id,
                                                                  conversation_id, credits, …})
        system    -> SystemMessage
    + the turns kept in-process (those the server could not record), after the server's

**Writing** (``unrecorded_messages``): 1min.ai has no "append a message" endpoint (reference
§7.2); it records a turn itself when the chat call carries ``promptObject.conversationId``
(§3.5). So writing is *recognising*: an ``AIMessage`` whose ``response_metadata`` says it was
produced in this thread is already stored, and so is every message of its turn (the messages
since the previous AI message, which conversation mode sent as that turn's prompt). What is
left cannot be stored server-side and is kept in-process.

**Loading** (``conversation_document`` / ``message_documents``): one transcript ``Document``
per conversation, or one ``Document`` per message, with the thread's metadata.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.documents import Document
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from langchain_oneminai._chat._output import PROVIDER
from langchain_oneminai._chat._prompt import messages_from_prompt
from langchain_oneminai._wire import (
    MAX_CONVERSATION_TITLE,
    Conversation,
    ConversationMessage,
    check_path_id,
)
from langchain_oneminai.errors import InvalidInputError, NotFoundError

DEFAULT_TITLE = "LangChain conversation"
"""Title of a thread created without a session id or an explicit title."""

LoaderMode = Literal["conversation", "message"]
"""``conversation``: one transcript per conversation; ``message``: one document per turn."""

LOADER_MODES: tuple[LoaderMode, ...] = ("conversation", "message")
"""The loader's modes."""

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")

_HASH_CHARS = 10
"""Hex digits of the session-id hash that keeps cut titles distinct."""

SESSION_TITLE_PREFIX = "[LangChain history] "
"""How a session's thread is titled, and recognised as this package's own after a restart.

1min.ai stores nothing but a title with a thread, so the title is the mark: a history finds,
and ``clear()`` deletes, only threads titled ``[LangChain history] <session id>``. A thread
someone else titled with the same words (``with_conversation("alice")``, the 1min.ai app)
is never touched."""

_ROLE_LABELS = {"user": "User", "assistant": "Assistant", "system": "System"}


# --------------------------------------------------------------------------------------
# Which thread
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThreadTarget:
    """Which server-side thread a history uses, decided at construction (no I/O)."""

    conversation_id: str | None
    """A fixed thread, or ``None`` until one is found or created."""
    title: str
    """The title it is found by (``by_title``) and created with."""
    by_title: bool
    """Whether the thread is looked up by ``title`` (a session id that is not a uuid)."""


def is_conversation_uuid(value: str) -> bool:
    """Whether ``value`` has the shape of a 1min.ai conversation id (a uuid)."""
    return _UUID.fullmatch(value) is not None


def session_title(session_id: str) -> str:
    """The title of a session's thread: ``[LangChain history] <session id>``.

    The prefix marks the thread as one this package's histories made (see
    ``SESSION_TITLE_PREFIX``). An id too long for 1min.ai's 91-character titles is cut and
    ends with a hash of the whole id, so two long ids sharing their first characters still
    get distinct threads (wire.md#limits).
    """
    title = SESSION_TITLE_PREFIX + session_id
    if len(title) <= MAX_CONVERSATION_TITLE:
        return title
    digest = hashlib.sha256(session_id.encode()).hexdigest()[:_HASH_CHARS]
    keep = MAX_CONVERSATION_TITLE - _HASH_CHARS - 1
    return f"{title[:keep]}~{digest}"


def check_title(title: str | None) -> str:
    """An explicit thread title, checked before anything is sent (``None``: the default).

    Raises:
        InvalidInputError: an empty title, or one longer than 91 characters.
    """
    if title is None:
        return DEFAULT_TITLE
    if not isinstance(title, str) or not title.strip():
        raise InvalidInputError(f"title must be a non-empty string, got {title!r}.")
    if len(title) > MAX_CONVERSATION_TITLE:
        raise InvalidInputError(
            f"Conversation titles are limited to {MAX_CONVERSATION_TITLE} characters by 1min.ai; "
            f"this one has {len(title)}. Shorten it (e.g. title[:{MAX_CONVERSATION_TITLE}])."
        )
    return title


def thread_target(
    conversation_id: str | None, session_id: str | None, title: str | None
) -> ThreadTarget:
    """Decide which thread a history reads and writes.

    Args:
        conversation_id: A fixed conversation id.
        session_id: A session key: a conversation id, or any text that names the thread.
        title: The title of a new thread (not with ``session_id``, which is the title).

    Raises:
        InvalidInputError: both ids, an empty id, ``title`` with ``session_id``, or a bad title.
    """
    if conversation_id is not None and session_id is not None:
        raise InvalidInputError(
            "Pass conversation_id (a fixed thread) or session_id (a thread found by its "
            "title), not both."
        )
    if conversation_id is not None:
        check_path_id("conversation_id", conversation_id)
        return ThreadTarget(conversation_id, check_title(title), by_title=False)
    if session_id is None:
        return ThreadTarget(None, check_title(title), by_title=False)
    _check_session_id(session_id)
    if title is not None:
        raise InvalidInputError(
            "A session's thread is titled with its session_id; pass title only without one."
        )
    if is_conversation_uuid(session_id):
        return ThreadTarget(session_id, DEFAULT_TITLE, by_title=False)
    return ThreadTarget(None, session_title(session_id), by_title=True)


def _check_session_id(value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"session_id must be a non-empty string, got {value!r}.")


def is_titled(conversation: Conversation, title: str) -> bool:
    """Whether ``conversation`` is the thread of the session titled ``title``."""
    return conversation.title == title


def find_thread(conversations: Iterable[Conversation], title: str) -> Conversation | None:
    """The first conversation titled ``title`` (listings are newest first, so the newest)."""
    return next((c for c in conversations if is_titled(c, title)), None)


def ids_to_clear(
    target: ThreadTarget, conversation_id: str | None, listed: Iterable[Conversation]
) -> list[str]:
    """The threads clearing a history deletes: only its own, never another's.

    A session's: every conversation bearing the session's marked title (normally one; two
    if first turns raced), plus the one in use. A fixed thread (given by id) or a new one
    (created by this history): the one in use, if any.
    """
    ids = [c.uuid for c in listed if is_titled(c, target.title)] if target.by_title else []
    if conversation_id is not None:
        ids.append(conversation_id)
    return list(dict.fromkeys(ids))


def missing_thread_error(conversation_id: str, error: NotFoundError, advice: str) -> NotFoundError:
    """A 404 on a conversation, restated: which id, that nothing changed, what to do."""
    return NotFoundError(
        f"1min.ai has no conversation {conversation_id!r}: it was deleted, or never existed "
        f"(HTTP {error.status_code}). Nothing was changed. {advice}",
        status_code=error.status_code,
        error_code=error.error_code,
        api_message=error.api_message,
        body=error.body,
        request_id=error.request_id,
        method=error.method,
        path=error.path,
    )


# --------------------------------------------------------------------------------------
# Reading: turns -> messages
# --------------------------------------------------------------------------------------


def messages_from_conversation(conversation: Conversation) -> list[BaseMessage]:
    """The thread's turns as LangChain messages, oldest first.

    An assistant turn's id is its ``aiRecordId``. The web-app shape gives a user turn the id
    of the record that answered it (one record per exchange); that user turn gets no id, so
    ids stay unique within the history.
    """
    turns = conversation.messages
    messages: list[BaseMessage] = []
    for index, turn in enumerate(turns):
        following = turns[index + 1] if index + 1 < len(turns) else None
        shared = following is not None and turn.ai_record_id == following.ai_record_id
        message = message_from_turn(turn, conversation, keep_id=not shared)
        if isinstance(message, HumanMessage) and isinstance(message.content, str):
            # The turn is the prompt as it went out: read back what the user sent.
            sent = messages_from_prompt(message.content)
            if len(sent) == 1 and isinstance(sent[0], HumanMessage):
                message = message.model_copy(update={"content": sent[0].content})
                sent = [message]
            messages += sent
        else:
            messages.append(message)
    return messages


def message_from_turn(
    turn: ConversationMessage, conversation: Conversation, *, keep_id: bool = True
) -> BaseMessage:
    """One turn as a message: record id as its id, model and credits in its metadata."""
    metadata = _drop_none(
        {
            "conversation_id": conversation.uuid,
            "ai_record_id": turn.ai_record_id,
            "credits": turn.credit,
            "created_at": turn.created_at,
        }
    )
    message_id = turn.ai_record_id if keep_id else None
    if turn.role == "assistant":
        model = turn.model or conversation.model
        head = _drop_none({"model_name": model, "model_provider": PROVIDER})
        return AIMessage(
            content=turn.content, id=message_id, response_metadata={**head, **metadata}
        )
    if turn.role == "system":
        return SystemMessage(content=turn.content, id=message_id, response_metadata=metadata)
    return HumanMessage(content=turn.content, id=message_id, response_metadata=metadata)


def history_messages(
    conversation: Conversation | None, local: Sequence[BaseMessage]
) -> list[BaseMessage]:
    """What a history shows: the server's turns, then the turns kept in-process."""
    server = messages_from_conversation(conversation) if conversation is not None else []
    return [*server, *local]


# --------------------------------------------------------------------------------------
# Writing: what the server already recorded
# --------------------------------------------------------------------------------------


def recorded_in(message: BaseMessage, conversation_id: str | None) -> bool:
    """Whether ``message`` is an AI reply the server recorded in this thread.

    ``ChatOneMinAI`` in conversation mode (and this history when reading) puts the thread's
    id in ``response_metadata["conversation_id"]``; streamed replies carry it on their
    aggregate too.
    """
    if conversation_id is None or not isinstance(message, AIMessage):
        return False
    return message.response_metadata.get("conversation_id") == conversation_id


def unrecorded_messages(
    messages: Sequence[BaseMessage], conversation_id: str | None
) -> list[BaseMessage]:
    """The messages the server did NOT record in this thread, in order.

    Messages are read as turns, each ending at an AI message. A turn whose AI message was
    recorded here was recorded whole: conversation mode sends everything after the previous
    AI message as that turn's prompt. Trailing messages with no reply yet are unrecorded.
    """
    unrecorded: list[BaseMessage] = []
    turn: list[BaseMessage] = []
    for message in messages:
        turn.append(message)
        if isinstance(message, AIMessage):
            if not recorded_in(message, conversation_id):
                unrecorded += turn
            turn = []
    return unrecorded + turn


def needs_thread_id(
    messages: Sequence[BaseMessage], conversation_id: str | None, by_title: bool
) -> bool:
    """Whether the thread must be looked up before ``messages`` can be recognised.

    Only when the thread is found by title, is not known yet, and some AI message names a
    conversation it may have been recorded in.
    """
    if conversation_id is not None or not by_title:
        return False
    return any(
        isinstance(m, AIMessage) and m.response_metadata.get("conversation_id") for m in messages
    )


# --------------------------------------------------------------------------------------
# Loading: conversations -> documents
# --------------------------------------------------------------------------------------


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
