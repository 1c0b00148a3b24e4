"""The routes of the developer API, the constants of its limits, and safe path ids (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_oneminai.errors import InvalidInputError

CHAT_FEATURE = "UNIFY_CHAT_WITH_AI"
"""The ``type`` of the unified chat endpoint (wire.md#chat-request)."""


MAX_CONVERSATION_TITLE = 91
"""``title`` limit of ``POST /api/conversations`` (wire.md#create-a-conversation,
wire.md#limits)."""


MAX_TTS_CHARS = 4096
"""``text`` limit of TEXT_TO_SPEECH (wire.md#text-to-speech)."""


CONVERSATION_TYPES = frozenset(
    {
        CHAT_FEATURE,
        "CHAT_WITH_AI",
        "CHAT_WITH_IMAGE",
        "CHAT_WITH_PDF",
        "CHAT_WITH_YOUTUBE_VIDEO",
        "CODE_GENERATOR",
    }
)
"""Conversation ``type`` values the sources use (wire.md#create-a-conversation)."""


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP endpoint of the developer API."""

    method: str
    """HTTP method."""
    path: str
    """Path template below the base URL (``{conversation_id}`` is filled in)."""
    documented: bool
    """Whether docs.1min.ai documents it; undocumented routes are the clients' best guess."""
    source: str
    """Where the route comes from, and how sure that is (a ``docs/wire.md`` heading)."""

    def format(self, **params: str) -> str:
        """The path with its parameters filled in, each checked as an id first.

        Ids go into the path as one segment, so only the characters 1min.ai's ids use are
        accepted (letters, digits, ``-``, ``_``, ``.``, ``~``; not ``.`` or ``..`` alone):
        ``"#"``, ``"?all=true"`` or ``".."`` would otherwise change which resource a DELETE
        reaches. The same check serves both shells, so they cannot differ.

        Raises:
            InvalidInputError: an empty id, or one with other characters.
        """
        for name, value in params.items():
            check_path_id(name, value)
        return self.path.format(**params)


_PATH_ID = re.compile(r"[A-Za-z0-9_.~-]{1,200}")


def check_path_id(name: str, value: object) -> str:
    """``value`` once it is safe as one path segment (see :meth:`Route.format`).

    Raises:
        InvalidInputError: not a non-empty id of the characters 1min.ai's ids use.
    """
    if not isinstance(value, str) or not _PATH_ID.fullmatch(value) or value in (".", ".."):
        raise InvalidInputError(
            f"{name} must be a 1min.ai id (letters, digits, '-', '_', '.', '~'), got "
            f"{value!r}; nothing was sent."
        )
    return value


ROUTES: dict[str, Route] = {
    "chat": Route("POST", "/api/chat-with-ai", documented=True, source="wire.md#chat-request"),
    "features": Route("POST", "/api/features", documented=True, source="wire.md#features-envelope"),
    "assets": Route("POST", "/api/assets", documented=True, source="wire.md#assets"),
    "conversation_create": Route(
        "POST", "/api/conversations", documented=True, source="wire.md#create-a-conversation"
    ),
    #  Not documented for the developer API: paths from client fixtures and guesses
    # (wire.md#undocumented-conversation-routes,
    #  wire.md#conversation-routes-beyond-create). One table so a deployment that learns the real
    # paths can override them.
    "conversation_list": Route(
        "GET",
        "/api/conversations",
        documented=False,
        source="wire.md#undocumented-conversation-routes (guessed)",
    ),
    "conversation_get": Route(
        "GET",
        "/api/conversations/{conversation_id}",
        documented=False,
        source="wire.md#undocumented-conversation-routes (guessed)",
    ),
    "conversation_messages": Route(
        "GET",
        "/api/conversations/{conversation_id}",
        documented=False,
        source="wire.md#undocumented-conversation-routes (guessed)",
    ),
    "conversation_delete": Route(
        "DELETE",
        "/api/conversations/{conversation_id}",
        documented=False,
        source="wire.md#undocumented-conversation-routes (guessed)",
    ),
    # No /api prefix; GET /api/models is a 404 (wire.md#model-catalog).
    "models": Route("GET", "/models", documented=False, source="wire.md#model-catalog (observed)"),
}
"""Every route the client uses, by name."""
