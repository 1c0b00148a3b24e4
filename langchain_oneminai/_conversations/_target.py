"""Which server-side thread a history uses, and which threads it may delete (pure).

    conversation_id="<uuid>"     -> that thread, fixed
    session_id="<uuid>"          -> that thread, fixed (a session id that IS a conversation id)
    session_id="alice"           -> the newest thread titled session_title("alice"), i.e.
                                    "[LangChain history] alice", found by listing
                                    conversations; created with that title when missing
    neither                      -> a new thread titled ``title``, created on the first turn

``ids_to_clear`` deletes only a history's own threads (``SESSION_TITLE_PREFIX`` marks them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from langchain_oneminai._wire import MAX_CONVERSATION_TITLE, Conversation, check_path_id
from langchain_oneminai.errors import InvalidInputError, NotFoundError

DEFAULT_TITLE = "LangChain conversation"
"""Title of a thread created without a session id or an explicit title."""


_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


_HASH_CHARS = 10
"""Hex digits of the session-id hash that keeps cut titles distinct."""


SESSION_TITLE_PREFIX = "[LangChain history] "
"""How a session's thread is titled, and recognised as this package's own after a restart.

1min.ai stores nothing but a title with a thread, so the title is the mark: a history finds,
and ``clear()`` deletes, only threads titled ``[LangChain history] <session id>``. A thread
someone else titled with the same words (``with_conversation("alice")``, the 1min.ai app)
is never touched."""


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
