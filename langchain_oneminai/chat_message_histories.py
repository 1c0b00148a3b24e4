"""``OneMinAIChatMessageHistory``: LangChain chat history on 1min.ai's server-side threads.

1min.ai keeps a conversation's history itself: each chat call that carries
``promptObject.conversationId`` is recorded in that thread (wire.md#multi-turn-context). There is no
endpoint to append a message (wire.md#undocumented-conversation-routes). This module makes
LangChain's history machinery use
those threads instead of fighting them.

**Data flow of one turn** (``with_oneminai_history``; ``_conversations._reading`` decides)::

    chain.invoke("Hi", config={"configurable": {"session_id": "alice"}})
      RunnableWithMessageHistory
        get_session_history("alice")        -> the session's OneMinAIChatMessageHistory (no I/O)
        history.messages                    GET /api/conversations (find the thread titled
                                            "alice"), GET /api/conversations/{id}
                                            -> Human/AI messages (_reading.history_messages)
        "OneMinAIThread" step               history.ensure_conversation(): the thread's id
                                            (POST /api/conversations when it has none yet),
                                            put in configurable[CONVERSATION_CONFIG_KEY]
        configurable_conversation(model)    binds it as the conversation_id call argument
        ChatOneMinAI (conversation mode)    POST /api/chat-with-ai: ONLY the new turn plus
                                            promptObject.conversationId; the server records it
        history.add_messages([...])         recognises the turn as recorded: no I/O, nothing
                                            duplicated (_reading.unrecorded_messages)

Turns the server did not record (the model was not in conversation mode on this thread) are
kept in this object, in-process, with one ``OneMinAIHistoryWarning``.

The read routes are undocumented for the developer API (wire.md#undocumented-conversation-routes,
wire.md#conversation-routes-beyond-create); both thread shapes
seen in the sources are read (``_wire.parse_conversation``). ``clear`` uses the unverified
``DELETE /api/conversations/{id}``.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from typing import Any

from langchain_core.chat_history import BaseChatMessageHistory
from langchain_core.messages import BaseMessage
from langchain_core.runnables import (
    ConfigurableField,
    Runnable,
    RunnableConfig,
    RunnableLambda,
    ensure_config,
)
from langchain_core.runnables.configurable import RunnableConfigurableFields
from langchain_core.runnables.history import RunnableWithMessageHistory
from pydantic import SecretStr

from langchain_oneminai._conversations._reading import (
    history_messages,
    needs_thread_id,
    unrecorded_messages,
)
from langchain_oneminai._conversations._target import (
    find_thread,
    ids_to_clear,
    missing_thread_error,
    thread_target,
)
from langchain_oneminai._transport import TimeoutSpec
from langchain_oneminai._wire import Conversation
from langchain_oneminai.chat_models import DEFAULT_MODEL, ChatOneMinAI
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.client._components import LazyClient, check_arguments, parameter_names
from langchain_oneminai.errors import InvalidInputError, NotFoundError

__all__ = [
    "CONVERSATION_CONFIG_KEY",
    "OneMinAIChatMessageHistory",
    "OneMinAIHistoryWarning",
    "configurable_conversation",
    "with_oneminai_history",
]

CONVERSATION_CONFIG_KEY = "oneminai_conversation_id"
"""The ``configurable`` key that puts a ``ChatOneMinAI`` in conversation mode per call."""

UNRECORDED_WARNING = (
    "OneMinAIChatMessageHistory: 1min.ai has no endpoint to append messages to a "
    "conversation, so messages its server did not record itself are kept only in this "
    "history object, in this process, and are lost on restart. 1min.ai records a turn when "
    "the chat model runs in conversation mode on the history's thread: build the chain with "
    "with_oneminai_history(model), or give the model "
    "conversation_id=history.ensure_conversation()."
)
"""The one warning; constant text, so Python's warning filters also show it once per place."""

_MISSING_FIXED_THREAD = (
    "Call clear() to start a new thread, or use a session id that is not a conversation id "
    "(its thread is found by title, and recreated when missing)."
)

_MAX_SESSIONS = 1024
"""Session histories ``with_oneminai_history`` keeps (least recently used dropped first)."""


class OneMinAIHistoryWarning(UserWarning):
    """Messages were kept in-process because 1min.ai's server did not record them."""


class OneMinAIChatMessageHistory(BaseChatMessageHistory):
    r"""Chat message history stored in a 1min.ai conversation (a server-side thread).

    1min.ai records every chat turn sent with ``promptObject.conversationId`` in that
    conversation. This history reads those threads, and recognises the turns the server has
    already recorded instead of storing them again. Use it through
    :func:`with_oneminai_history`, which also puts the model in conversation mode on the
    session's thread, so each request carries only the new turn.

    .. warning::

        ``BaseChatMessageHistory`` is deprecated in langchain-core (since 1.6.4, removal in
        2.0), and so is ``RunnableWithMessageHistory``. The LangGraph way needs no history
        class: a checkpointer keeps the graph's state, and ``ChatOneMinAI`` in conversation
        mode keeps the model's context on 1min.ai:

        .. code-block:: python

            from langgraph.checkpoint.memory import InMemorySaver
            from langgraph.graph import START, MessagesState, StateGraph

            from langchain_oneminai import ChatOneMinAI

            model = ChatOneMinAI(model="gpt-4o-mini").with_conversation("alice")


            def chat(state: MessagesState) -> dict:
                return {"messages": [model.invoke(state["messages"])]}


            builder = StateGraph(MessagesState)
            builder.add_node("chat", chat)
            builder.add_edge(START, "chat")
            graph = builder.compile(checkpointer=InMemorySaver())
            config = {"configurable": {"thread_id": "alice"}}
            graph.invoke({"messages": [("human", "Hi, I am Alice.")]}, config)

    Which thread:
        * ``conversation_id="<uuid>"``: that conversation.
        * ``session_id="alice"``: the newest conversation titled ``alice``, found by listing
          conversations, so a restarted process finds it again; created (titled ``alice``)
          on the first turn when missing. Ids longer than 1min.ai's 91-character title limit
          are cut and end with a hash of the whole id. A ``session_id`` that is a
          conversation uuid means that conversation.
        * neither: a new conversation titled ``title``, created on the first turn.

    Reading:
        ``messages`` / ``aget_messages()`` read the thread (the conversation routes other
        than create are undocumented; both known response shapes are read). User turns
        become ``HumanMessage``\ s, replies ``AIMessage``\ s with the record id as ``id`` and
        ``model_name``, ``ai_record_id``, ``conversation_id``, ``credits`` and
        ``created_at`` in ``response_metadata`` where 1min.ai reports them. A user turn is
        the prompt exactly as sent (in conversation mode, the first turn also holds the
        system text).

    Writing:
        ``add_messages`` / ``aadd_messages`` store nothing on 1min.ai, which has no append
        endpoint. A reply produced in this thread (its ``response_metadata`` names this
        conversation) is already recorded, and so are the messages of its turn. Anything
        else is kept in this object, listed after the server's turns, and lost with it; the
        first time, an :class:`OneMinAIHistoryWarning` says how to put the model in
        conversation mode.

    Clearing:
        ``clear`` / ``aclear`` delete the thread (for a session, every conversation titled
        with it) and the in-process messages; the next turn starts a new thread (titled with
        the session, or ``title`` for a history made from a conversation id).

    Nothing is sent at construction. Every method has a native async twin.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAIChatMessageHistory

            history = OneMinAIChatMessageHistory(session_id="alice")

    With a chain:
        .. code-block:: python

            from langchain_oneminai import ChatOneMinAI, with_oneminai_history

            chain = with_oneminai_history(ChatOneMinAI(model="gpt-4o-mini"))
            config = {"configurable": {"session_id": "alice"}}
            chain.invoke("Hi, I am Alice.", config=config)
            chain.invoke("What is my name?", config=config)  # sends only this question

    Read after a restart:
        .. code-block:: python

            OneMinAIChatMessageHistory(session_id="alice").messages  # all four messages

    Args:
        conversation_id: A fixed conversation (thread) id.
        session_id: A session key: the thread is the conversation titled with it.
        model: The model new threads are created with (``POST /api/conversations``
            requires one).
        title: The title of a new thread when neither id is given (max 91 characters).
        client: A shared :class:`OneMinAIClient`; when given, the options below are unused.
        api_key: The API key; ``ONEMINAI_API_KEY`` (then ``ONE_MIN_API_KEY``) if not given.
        base_url: The API base URL; ``ONEMINAI_BASE_URL``, else ``https://api.1min.ai``.
        asset_base_url: The asset host; ``ONEMINAI_ASSET_BASE_URL``, else the default.
        timeout: Seconds, or ``(connect, read)``.
        max_retries: Retries of refused or provably unsent requests.

    Raises:
        InvalidInputError: both ids, an empty id, or a title that is empty or longer than 91
            characters (at construction, before anything is sent).
    """

    def __init__(
        self,
        conversation_id: str | None = None,
        *,
        session_id: str | None = None,
        model: str = DEFAULT_MODEL,
        title: str | None = None,
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
        super().__init__()
        self._target = thread_target(conversation_id, session_id, title)
        self.session_id = session_id
        """The session key this history was made for, if any."""
        self.model = model
        """The model new threads are created with."""
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
        self._conversation_id = self._target.conversation_id
        # A read just found no thread for the session: the next ensure_conversation() creates
        # one without listing again (one round-trip less on a session's first turn).
        self._absent = False
        self._local: list[BaseMessage] = []
        self._warned = False

    # -- state (no I/O) ------------------------------------------------------------------

    @property
    def conversation_id(self) -> str | None:
        """The thread in use: given, found or created so far (``None`` before that)."""
        return self._conversation_id

    @property
    def title(self) -> str:
        """The thread's title: the (cut) session id, or the title new threads get."""
        return self._target.title

    @property
    def local_messages(self) -> list[BaseMessage]:
        """The messages kept in-process because the server did not record them."""
        return list(self._local)

    def __repr__(self) -> str:
        key = f"session_id={self.session_id!r}" if self.session_id is not None else ""
        return f"OneMinAIChatMessageHistory({key or f'conversation_id={self.conversation_id!r}'})"

    # -- reading -------------------------------------------------------------------------

    @property
    def messages(self) -> list[BaseMessage]:  # type: ignore[override]
        """The thread's turns, then the in-process messages (reads 1min.ai every time).

        Raises:
            NotFoundError: a fixed thread (a conversation id) no longer exists.
        """
        return history_messages(self._read(self._client()), self._local)

    async def aget_messages(self) -> list[BaseMessage]:
        """Async :attr:`messages`."""
        return history_messages(await self._aread(self._client()), self._local)

    def _read(self, client: OneMinAIClient) -> Conversation | None:
        for _ in range(2):  # a session's thread deleted elsewhere is looked up once more
            conversation_id = self._resolve(client)
            if conversation_id is None:
                return None
            try:
                return client.get_conversation(conversation_id)
            except NotFoundError as error:
                self._forget(conversation_id, error)
        return None

    async def _aread(self, client: OneMinAIClient) -> Conversation | None:
        for _ in range(2):
            conversation_id = await self._aresolve(client)
            if conversation_id is None:
                return None
            try:
                return await client.aget_conversation(conversation_id)
            except NotFoundError as error:
                self._forget(conversation_id, error)
        return None

    def _resolve(self, client: OneMinAIClient) -> str | None:
        if self._conversation_id is None and self._target.by_title:
            self._found(find_thread(client.list_conversations(), self.title))
        return self._conversation_id

    async def _aresolve(self, client: OneMinAIClient) -> str | None:
        if self._conversation_id is None and self._target.by_title:
            self._found(find_thread(await client.alist_conversations(), self.title))
        return self._conversation_id

    def _found(self, conversation: Conversation | None) -> None:
        self._conversation_id = conversation.uuid if conversation else None
        self._absent = conversation is None

    def _forget(self, conversation_id: str, error: NotFoundError) -> None:
        """A 404 on the thread: a session looks its thread up again; a fixed thread fails."""
        if not self._target.by_title:
            raise missing_thread_error(conversation_id, error, _MISSING_FIXED_THREAD) from error
        self._conversation_id = None

    # -- the thread the model must use ----------------------------------------------------

    def ensure_conversation(self) -> str:
        """The thread's id, creating the thread when it has none yet.

        Pass it to ``ChatOneMinAI(conversation_id=...)`` to put a model in conversation mode
        on this history's thread (:func:`with_oneminai_history` does that for you).

        Raises:
            InvalidInputError: the thread cannot be created with this title or model.
        """
        client = self._client()
        if not self._absent:
            self._resolve(client)
        if self._conversation_id is None:
            self._found(client.create_conversation(self.title, self.model))
        return self._in_use()

    async def aensure_conversation(self) -> str:
        """Async :meth:`ensure_conversation`."""
        client = self._client()
        if not self._absent:
            await self._aresolve(client)
        if self._conversation_id is None:
            self._found(await client.acreate_conversation(self.title, self.model))
        return self._in_use()

    def _in_use(self) -> str:
        if self._conversation_id is None:  # pragma: no cover - _found() just set it
            raise RuntimeError("no conversation id after creating the thread")
        return self._conversation_id

    # -- writing -------------------------------------------------------------------------

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Keep what the server did not record; turns recorded in this thread are skipped.

        No request is made, except one listing when a session's thread is not known yet and
        an AI message names the conversation it came from.
        """
        if needs_thread_id(messages, self._conversation_id, self._target.by_title):
            self._resolve(self._client())
        self._keep(unrecorded_messages(messages, self._conversation_id))

    async def aadd_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Async :meth:`add_messages`."""
        if needs_thread_id(messages, self._conversation_id, self._target.by_title):
            await self._aresolve(self._client())
        self._keep(unrecorded_messages(messages, self._conversation_id))

    def _keep(self, messages: list[BaseMessage]) -> None:
        if not messages:
            return
        self._local.extend(messages)
        if not self._warned:
            self._warned = True
            warnings.warn(UNRECORDED_WARNING, OneMinAIHistoryWarning, stacklevel=3)

    # -- clearing ------------------------------------------------------------------------

    def clear(self) -> None:
        """Delete the thread and the in-process messages; the next turn starts a new thread.

        A thread that is already gone counts as deleted. If a deletion fails, nothing is
        forgotten.
        """
        client = self._client()
        listed = client.list_conversations() if self._target.by_title else []
        for conversation_id in ids_to_clear(self._target, self._conversation_id, listed):
            client.delete_conversation(conversation_id, missing_ok=True)
        self._cleared()

    async def aclear(self) -> None:
        """Async :meth:`clear`."""
        client = self._client()
        listed = await client.alist_conversations() if self._target.by_title else []
        for conversation_id in ids_to_clear(self._target, self._conversation_id, listed):
            await client.adelete_conversation(conversation_id, missing_ok=True)
        self._cleared()

    def _cleared(self) -> None:
        self._conversation_id = None
        self._absent = False
        self._local.clear()

    # -- plumbing ------------------------------------------------------------------------

    def _client(self) -> OneMinAIClient:
        return self._clients.get()


# --------------------------------------------------------------------------------------
# One-call wiring
# --------------------------------------------------------------------------------------


# Unsubscripted on purpose: subscripting this pydantic class at runtime makes it abstract.
class _ConversationConfigurable(RunnableConfigurableFields):  # type: ignore[type-arg]
    """A ``ChatOneMinAI`` whose ``conversation_id`` comes from the call's config."""

    def _prepare(
        self, config: RunnableConfig | None = None
    ) -> tuple[Runnable[Any, Any], RunnableConfig]:
        # LangChain's own configurable_fields() rebuilds the model from its field values on
        # every call: the rebuilt model counts streaming=False as set explicitly, which turns
        # streaming off, and it loses the model's client and state. Binding the id as a call
        # argument keeps the very same model.
        config = ensure_config(config)
        conversation_id = config.get("configurable", {}).get(CONVERSATION_CONFIG_KEY)
        if not conversation_id:
            return self.default, config
        return self.default.bind(conversation_id=conversation_id), config


def configurable_conversation(model: ChatOneMinAI) -> Runnable[Any, Any]:
    """``model``, its ``conversation_id`` settable per call (key :data:`CONVERSATION_CONFIG_KEY`).

    For chains given to :func:`with_oneminai_history`
    (``prompt | configurable_conversation(model)``): the thread id arrives in the call's
    ``configurable`` and is bound as the ``conversation_id`` call argument, so the same model
    (and its client) serves every session.

    Example:
        .. code-block:: python

            model = configurable_conversation(ChatOneMinAI())
            model.invoke("Hi", config={"configurable": {CONVERSATION_CONFIG_KEY: "<uuid>"}})
    """
    return _ConversationConfigurable(
        default=model,
        fields={
            "conversation_id": ConfigurableField(
                id=CONVERSATION_CONFIG_KEY,
                name="1min.ai conversation",
                description="The server-side thread this call continues (conversation mode).",
            )
        },
    )


def with_oneminai_history(
    runnable: ChatOneMinAI | Runnable[Any, Any],
    *,
    client: OneMinAIClient | None = None,
    thread_model: str | None = None,
    input_messages_key: str | None = None,
    output_messages_key: str | None = None,
    history_messages_key: str | None = None,
) -> RunnableWithMessageHistory:
    """A ``RunnableWithMessageHistory`` whose history and model share each session's thread.

    How the model learns the thread: each session id maps to one
    :class:`OneMinAIChatMessageHistory` (the chain keeps the 1024 most recently used, so a
    session's thread is looked up once, not on every turn). After the history is read and
    before the model runs, a step calls
    :meth:`OneMinAIChatMessageHistory.ensure_conversation` (which creates the thread on the
    session's first turn) and passes the id in the call's ``configurable`` under
    :data:`CONVERSATION_CONFIG_KEY`;
    :func:`configurable_conversation` binds it as the model's ``conversation_id`` call
    argument. The model therefore runs in conversation mode: each request carries only the
    new turn plus ``promptObject.conversationId``, 1min.ai records the turn, and the history
    recognises it instead of storing it twice. Streaming works the same way.

    Example:
        .. code-block:: python

            from langchain_oneminai import ChatOneMinAI, with_oneminai_history

            chain = with_oneminai_history(ChatOneMinAI(model="gpt-4o-mini"))
            chain.invoke("Hi", config={"configurable": {"session_id": "alice"}})

        With a prompt (``history_messages_key`` inserts the thread's messages; conversation
        mode still sends only what follows the last reply):

        .. code-block:: python

            from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

            prompt = ChatPromptTemplate.from_messages(
                [("system", "Be brief."), MessagesPlaceholder("history"), ("human", "{q}")]
            )
            client = OneMinAIClient()
            chain = with_oneminai_history(
                prompt | configurable_conversation(ChatOneMinAI(client=client)),
                client=client,
                input_messages_key="q",
                history_messages_key="history",
            )

    Args:
        runnable: A ``ChatOneMinAI``, or a chain holding one made configurable with
            :func:`configurable_conversation`.
        client: The client the histories use. Defaults to the model's client (a chain:
            a client from the environment).
        thread_model: The model new threads are created with. Defaults to the model's.
        input_messages_key: As in ``RunnableWithMessageHistory``.
        output_messages_key: As in ``RunnableWithMessageHistory``.
        history_messages_key: As in ``RunnableWithMessageHistory``.

    Raises:
        InvalidInputError: a chain whose model cannot receive the thread id.
    """
    if isinstance(runnable, ChatOneMinAI):
        client = client or runnable._client()
        thread_model = thread_model or runnable.model_name
        runnable = configurable_conversation(runnable)
    elif CONVERSATION_CONFIG_KEY not in {spec.id for spec in runnable.config_specs}:
        raise InvalidInputError(
            "with_oneminai_history needs a ChatOneMinAI, or a chain whose ChatOneMinAI was "
            "wrapped with configurable_conversation(model); otherwise the model cannot run in "
            "conversation mode and every turn would be sent with the whole history."
        )
    sessions = _SessionHistories(client or OneMinAIClient(), thread_model or DEFAULT_MODEL)
    return RunnableWithMessageHistory(
        _on_session_thread(runnable),
        sessions.history,
        input_messages_key=input_messages_key,
        output_messages_key=output_messages_key,
        history_messages_key=history_messages_key,
    )


class _SessionHistories:
    """One history per session id for one chain, so a session's thread is looked up once."""

    def __init__(self, client: OneMinAIClient, model: str) -> None:
        self._client = client
        self._model = model
        self._by_session: dict[str, OneMinAIChatMessageHistory] = {}
        self._lock = threading.Lock()

    def history(self, session_id: str) -> OneMinAIChatMessageHistory:
        """The session's history (made on first use; no I/O)."""
        with self._lock:
            history = self._by_session.pop(session_id, None) or OneMinAIChatMessageHistory(
                session_id=session_id, model=self._model, client=self._client
            )
            self._by_session[session_id] = history  # re-inserted: most recently used last
            while len(self._by_session) > _MAX_SESSIONS:
                del self._by_session[next(iter(self._by_session))]
        return history


def _on_session_thread(runnable: Runnable[Any, Any]) -> Runnable[Any, Any]:
    """``runnable``, given the thread id of the history ``RunnableWithMessageHistory`` chose."""

    def run(value: Any, config: RunnableConfig) -> Runnable[Any, Any]:  # noqa: ARG001
        thread = _session_history(config).ensure_conversation()
        return runnable.with_config(configurable={CONVERSATION_CONFIG_KEY: thread})

    async def arun(value: Any, config: RunnableConfig) -> Runnable[Any, Any]:  # noqa: ARG001
        thread = await _session_history(config).aensure_conversation()
        return runnable.with_config(configurable={CONVERSATION_CONFIG_KEY: thread})

    # A lambda that returns a runnable: LangChain runs it on the same input, streaming too.
    return RunnableLambda(run, afunc=arun, name="OneMinAIThread")


def _session_history(config: RunnableConfig) -> OneMinAIChatMessageHistory:
    history = (config.get("configurable") or {}).get("message_history")
    if not isinstance(history, OneMinAIChatMessageHistory):
        raise InvalidInputError(
            "The 1min.ai thread step runs inside with_oneminai_history(), which provides "
            f"an OneMinAIChatMessageHistory; got {type(history).__name__}."
        )
    return history
