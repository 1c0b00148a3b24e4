"""OneMinAIChatMessageHistory and with_oneminai_history against the emulator.

Every test body runs through the sync shells and through the async ones (``mode``); in async
mode the client's sync methods are disabled, so a hidden sync call (or an executor fallback
onto one) fails the test. Requests are asserted exactly: method, path, query and body.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables.history import RunnableWithMessageHistory

from langchain_oneminai import ChatOneMinAI, OneMinAIClient
from langchain_oneminai._conversations._target import DEFAULT_TITLE, session_title
from langchain_oneminai.chat_message_histories import (
    UNRECORDED_WARNING,
    OneMinAIChatMessageHistory,
    OneMinAIHistoryWarning,
    configurable_conversation,
    with_oneminai_history,
)
from langchain_oneminai.emulator import (
    OneMinAIEmulator,
    RecordedRequest,
    ScriptedReply,
)
from langchain_oneminai.errors import InvalidInputError, NotFoundError
from tests.helpers import emulator_client, forbid_sync_calls

pytestmark = pytest.mark.filterwarnings("ignore:RunnableWithMessageHistory is deprecated")

SYNC_METHODS = (
    "chat",
    "chat_stream",
    "list_conversations",
    "get_conversation",
    "create_conversation",
    "delete_conversation",
)
CHAT = "/api/chat-with-ai"
CONVERSATIONS = "/api/conversations"
Request = tuple[str, str, dict[str, str], Any]
LIST: Request = ("GET", CONVERSATIONS, {}, None)


@pytest.fixture
def native(mode: str, client: OneMinAIClient, monkeypatch: pytest.MonkeyPatch) -> OneMinAIClient:
    """The test client; in async mode its sync methods fail if anything calls them."""
    return forbid_sync_calls(client, monkeypatch, SYNC_METHODS) if mode == "async" else client


def invoke(mode: str, runnable: Any, value: Any, session: str = "alice") -> Any:
    config = {"configurable": {"session_id": session}}
    if mode == "sync":
        return runnable.invoke(value, config=config)
    return asyncio.run(runnable.ainvoke(value, config=config))


def stream(mode: str, runnable: Any, value: Any, session: str = "alice") -> list[Any]:
    config = {"configurable": {"session_id": session}}
    if mode == "sync":
        return list(runnable.stream(value, config=config))

    async def collect() -> list[Any]:
        return [chunk async for chunk in runnable.astream(value, config=config)]

    return asyncio.run(collect())


def read(mode: str, history: OneMinAIChatMessageHistory) -> list[BaseMessage]:
    return history.messages if mode == "sync" else asyncio.run(history.aget_messages())


def add(mode: str, history: OneMinAIChatMessageHistory, messages: Sequence[BaseMessage]) -> None:
    if mode == "sync":
        history.add_messages(messages)
    else:
        asyncio.run(history.aadd_messages(messages))


def clear(mode: str, history: OneMinAIChatMessageHistory) -> None:
    if mode == "sync":
        history.clear()
    else:
        asyncio.run(history.aclear())


def ensure(mode: str, history: OneMinAIChatMessageHistory) -> str:
    if mode == "sync":
        return history.ensure_conversation()
    return asyncio.run(history.aensure_conversation())


def session_of(
    chain: RunnableWithMessageHistory, session: str = "alice"
) -> OneMinAIChatMessageHistory:
    """The history ``with_oneminai_history`` keeps for a session (the same object each time)."""
    history = chain.get_session_history(session)
    assert isinstance(history, OneMinAIChatMessageHistory)
    return history


def body(request: RecordedRequest) -> dict[str, Any]:
    assert isinstance(request.json, dict)
    return request.json


def summary(emulator: OneMinAIEmulator) -> list[Request]:
    return [(r.method, r.path, r.query, r.json) for r in emulator.requests]


def get(conversation_id: str) -> Request:
    return ("GET", f"{CONVERSATIONS}/{conversation_id}", {}, None)


def create(title: str) -> Request:
    body = {"type": "UNIFY_CHAT_WITH_AI", "title": title, "model": "gpt-4o-mini"}
    return ("POST", CONVERSATIONS, {}, body)


def chat(prompt: str, conversation_id: str | None) -> Request:
    prompt_object: dict[str, Any] = {"prompt": prompt}
    if conversation_id is not None:
        prompt_object["conversationId"] = conversation_id
    body = {"type": "UNIFY_CHAT_WITH_AI", "model": "gpt-4o-mini", "promptObject": prompt_object}
    return ("POST", CHAT, {}, body)


def only_thread(emulator: OneMinAIEmulator) -> str:
    (conversation_id,) = emulator.conversations
    return conversation_id


QUESTIONS = ("Hi, I am Alice.", "What is my name?", "Goodbye.")
REPLIES = ("Hello Alice.", "You are Alice.", "Bye, Alice.")


# -- RunnableWithMessageHistory on the session's thread ---------------------------------


def test_three_turns_send_only_the_new_turn_and_survive_a_restart(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    for text in REPLIES:
        emulator.script_chat(text)
    answers = [invoke(mode, chain, question) for question in QUESTIONS]

    assert [a.content for a in answers] == list(REPLIES)
    cid = only_thread(emulator)
    thread = emulator.conversations[cid]
    assert thread["title"] == session_title("alice") == "[LangChain history] alice"
    assert [t["prompt"] for t in thread["turns"]] == list(QUESTIONS)
    assert [a.id for a in answers] == [t["aiRecordId"] for t in thread["turns"]]
    assert [a.response_metadata["conversation_id"] for a in answers] == [cid] * 3
    # Each turn: read the thread, send ONLY the new question with the conversationId, re-read
    # (RunnableWithMessageHistory's bookkeeping); the first turn finds no thread and makes one.
    assert summary(emulator) == [
        LIST,
        create(session_title("alice")),
        chat(QUESTIONS[0], cid),
        get(cid),
        get(cid),
        chat(QUESTIONS[1], cid),
        get(cid),
        get(cid),
        chat(QUESTIONS[2], cid),
        get(cid),
    ]
    session = session_of(chain)
    assert session.conversation_id == cid
    assert session.local_messages == []  # nothing duplicated in-process

    # A restart: a new client and a new history object find the thread by its title.
    emulator.clear_requests()
    with emulator_client(emulator) as fresh:
        history = OneMinAIChatMessageHistory(session_id="alice", client=fresh)
        messages = read(mode, history)
    records = [t["aiRecordId"] for t in thread["turns"]]

    def reply(text: str, record: str) -> AIMessage:
        # The web app's thread shape (the emulator's default) carries each reply's record
        # and its credit: read back as the message id and metadata (wire.md#conversation-shapes).
        metadata = {
            "model_name": "gpt-4o-mini",
            "model_provider": "oneminai",
            "conversation_id": cid,
            "ai_record_id": record,
            "credits": 0.0,
        }
        return AIMessage(text, id=record, response_metadata=metadata)

    assert messages == [
        HumanMessage(QUESTIONS[0], response_metadata={"conversation_id": cid}),
        reply(REPLIES[0], records[0]),
        HumanMessage(QUESTIONS[1], response_metadata={"conversation_id": cid}),
        reply(REPLIES[1], records[1]),
        HumanMessage(QUESTIONS[2], response_metadata={"conversation_id": cid}),
        reply(REPLIES[2], records[2]),
    ]
    assert history.conversation_id == cid
    assert summary(emulator) == [LIST, get(cid)]


def test_streaming_turns_are_recognised_too(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    emulator.script_chat(ScriptedReply(chunks=["Hello ", "Alice."]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", OneMinAIHistoryWarning)
        chunks = stream(mode, chain, QUESTIONS[0])
    assert [c.content for c in chunks] == ["Hello ", "Alice.", ""]
    assert all(isinstance(c, AIMessageChunk) for c in chunks)
    cid = only_thread(emulator)
    assert [(r.method, r.path, r.query) for r in emulator.requests] == [
        ("GET", CONVERSATIONS, {}),
        ("POST", CONVERSATIONS, {}),
        ("POST", CHAT, {"isStreaming": "true"}),
        ("GET", f"{CONVERSATIONS}/{cid}", {}),
    ]
    assert body(emulator.requests[2])["promptObject"] == {
        "prompt": QUESTIONS[0],
        "conversationId": cid,
    }
    session = session_of(chain)
    assert session.local_messages == []
    assert [m.content for m in read(mode, session)] == [QUESTIONS[0], "Hello Alice."]


def test_sessions_get_their_own_threads(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    invoke(mode, chain, "I am Alice.", session="alice")
    invoke(mode, chain, "I am Bob.", session="bob")
    invoke(mode, chain, "Still Alice.", session="alice")
    threads = {
        c["title"]: [t["prompt"] for t in c["turns"]] for c in emulator.conversations.values()
    }
    assert threads == {
        session_title("alice"): ["I am Alice.", "Still Alice."],
        session_title("bob"): ["I am Bob."],
    }


def test_prompt_chain_with_a_history_key(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Be brief."), MessagesPlaceholder("history"), ("human", "{question}")]
    )
    chain = with_oneminai_history(
        prompt | configurable_conversation(ChatOneMinAI(client=native)),
        client=native,
        input_messages_key="question",
        history_messages_key="history",
    )
    emulator.script_chat("Hello.")
    emulator.script_chat("Rest.")
    invoke(mode, chain, {"question": "Hi"})
    answer = invoke(mode, chain, {"question": "What now?"})
    assert answer.content == "Rest."
    cid = only_thread(emulator)
    prompts = [body(r)["promptObject"] for r in emulator.requests if r.path == CHAT]
    # The system text goes with the thread's first turn only; then only the new question.
    assert prompts == [
        {"prompt": "<system>\nBe brief.\n</system>\n\nHi", "conversationId": cid},
        {"prompt": "What now?", "conversationId": cid},
    ]
    assert session_of(chain).local_messages == []


def test_a_chain_without_a_configurable_model_is_refused() -> None:
    prompt = ChatPromptTemplate.from_messages([("human", "{question}")])
    with pytest.raises(InvalidInputError, match="configurable_conversation"):
        with_oneminai_history(prompt | ChatOneMinAI(api_key="k"))


def test_nothing_is_sent_at_construction(emulator: OneMinAIEmulator) -> None:
    model = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url)
    chain = with_oneminai_history(model)
    history = session_of(chain)
    OneMinAIChatMessageHistory(session_id="bob", api_key="k", base_url=emulator.base_url)
    OneMinAIChatMessageHistory("e3e70682-c209-4cac-a29f-6fbed82c07cd")
    assert emulator.requests == []
    assert isinstance(chain, RunnableWithMessageHistory)
    assert history.client is model._client()  # the model's transport, shared
    assert chain.invoke("Hi", config={"configurable": {"session_id": "alice"}}).content


# -- the stateless fallback ----------------------------------------------------------------


def test_a_model_not_in_conversation_mode_warns_once_and_still_answers(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    histories: dict[str, OneMinAIChatMessageHistory] = {}

    def session_history(session_id: str) -> OneMinAIChatMessageHistory:
        if session_id not in histories:
            histories[session_id] = OneMinAIChatMessageHistory(session_id=session_id, client=native)
        return histories[session_id]

    # A model told not to follow the history's thread (the default follows it: see the
    # documented idiom's test below) answers statelessly; the history keeps what it can.
    model = ChatOneMinAI(client=native, follow_message_history=False)
    chain = RunnableWithMessageHistory(model, session_history)
    emulator.script_chat("Hello Bob.")
    emulator.script_chat("Bob.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = invoke(mode, chain, "Hi, I am Bob.", session="bob")
        second = invoke(mode, chain, "What is my name?", session="bob")
    ours = [w for w in caught if issubclass(w.category, OneMinAIHistoryWarning)]
    assert [str(w.message) for w in ours] == [UNRECORDED_WARNING]
    assert "with_oneminai_history(model)" in UNRECORDED_WARNING
    assert (first.content, second.content) == ("Hello Bob.", "Bob.")
    # Stateless: no thread, and the second prompt carries the first turn itself.
    assert dict(emulator.conversations) == {}
    assert summary(emulator) == [
        LIST,
        chat("Hi, I am Bob.", None),
        LIST,
        LIST,
        chat(
            "<conversation>\n<user>\nHi, I am Bob.\n</user>\n<assistant>\nHello Bob.\n"
            "</assistant>\n</conversation>\n\nWhat is my name?",
            None,
        ),
        LIST,
    ]
    kept = histories["bob"].local_messages
    assert [(m.type, m.content) for m in kept] == [
        ("human", "Hi, I am Bob."),
        ("ai", "Hello Bob."),
        ("human", "What is my name?"),
        ("ai", "Bob."),
    ]


# -- add_messages recognises what the server recorded ----------------------------------


def test_add_messages_skips_recorded_turns_and_keeps_the_rest(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    history = OneMinAIChatMessageHistory(session_id="bob", client=native)
    cid = ensure(mode, history)
    assert summary(emulator) == [LIST, create(session_title("bob"))]
    model = ChatOneMinAI(client=native, conversation_id=cid)
    question = HumanMessage("Hi")
    answer = model.invoke([question]) if mode == "sync" else asyncio.run(model.ainvoke([question]))

    emulator.clear_requests()
    with warnings.catch_warnings():
        warnings.simplefilter("error", OneMinAIHistoryWarning)
        add(mode, history, [question, answer])
        # After a restart the thread is looked up once, then the turn is recognised.
        fresh = OneMinAIChatMessageHistory(session_id="bob", client=native)
        add(mode, fresh, [question, answer])
    assert history.local_messages == fresh.local_messages == []
    assert summary(emulator) == [LIST]
    assert fresh.conversation_id == cid

    elsewhere = AIMessage(
        "From another thread.",
        response_metadata={"conversation_id": admin.create_conversation("x", "gpt-4o-mini").uuid},
    )
    follow_up = HumanMessage("And?")
    with pytest.warns(OneMinAIHistoryWarning, match="kept only in this history object"):
        add(mode, history, [follow_up, elsewhere])
    assert history.local_messages == [follow_up, elsewhere]
    assert [m.content for m in read(mode, history)] == [
        "Hi",
        answer.content,
        "And?",
        "From another thread.",
    ]
    assert [t["prompt"] for t in emulator.conversations[cid]["turns"]] == ["Hi"]


# -- clear -------------------------------------------------------------------------------


def test_clear_deletes_the_thread_and_the_next_turn_starts_a_new_one(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    invoke(mode, chain, "Hi")
    first = only_thread(emulator)
    history = session_of(chain)

    emulator.clear_requests()
    clear(mode, history)
    assert dict(emulator.conversations) == {}
    assert summary(emulator) == [LIST, ("DELETE", f"{CONVERSATIONS}/{first}", {}, None)]
    assert history.conversation_id is None

    emulator.clear_requests()
    emulator.script_chat("New start.")
    assert invoke(mode, chain, "Hi again").content == "New start."
    second = only_thread(emulator)
    assert second != first
    assert summary(emulator) == [
        LIST,
        create(session_title("alice")),
        chat("Hi again", second),
        get(second),
    ]
    assert [m.content for m in read(mode, history)] == ["Hi again", "New start."]


def test_a_thread_deleted_by_another_process_is_recreated(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    invoke(mode, chain, "Hi")
    first = only_thread(emulator)
    OneMinAIChatMessageHistory(session_id="alice", client=admin).clear()

    emulator.clear_requests()
    invoke(mode, chain, "Hi again")
    second = only_thread(emulator)
    assert second != first
    assert [(method, path, status) for method, path, status in _statuses(emulator)] == [
        ("GET", f"{CONVERSATIONS}/{first}", 404),
        ("GET", CONVERSATIONS, 200),
        ("POST", CONVERSATIONS, 200),
        ("POST", CHAT, 200),
        ("GET", f"{CONVERSATIONS}/{second}", 200),
    ]


def _statuses(emulator: OneMinAIEmulator) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in emulator.requests]


def test_clear_removes_every_thread_of_the_session_and_local_messages(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    # Two first turns that raced (two processes) left two threads of the session "alice".
    older = admin.create_conversation(session_title("alice"), "gpt-4o-mini").uuid
    newer = admin.create_conversation(session_title("alice"), "gpt-4o-mini").uuid
    unrelated = admin.create_conversation(session_title("bob"), "gpt-4o-mini").uuid
    # Threads someone else titled with the very words of the session are not the history's.
    foreign = admin.create_conversation("alice", "gpt-4o-mini").uuid
    history = OneMinAIChatMessageHistory(session_id="alice", client=native)
    assert read(mode, history) == []
    assert history.conversation_id == newer  # the newest one is used
    with pytest.warns(OneMinAIHistoryWarning):
        add(mode, history, [HumanMessage("offline")])

    emulator.clear_requests()
    clear(mode, history)
    assert list(emulator.conversations) == [unrelated, foreign]
    assert summary(emulator) == [
        LIST,
        ("DELETE", f"{CONVERSATIONS}/{newer}", {}, None),
        ("DELETE", f"{CONVERSATIONS}/{older}", {}, None),
    ]
    assert history.local_messages == []


def test_clear_never_deletes_a_same_titled_thread_it_did_not_make(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    # The README's own quick start makes this thread; a history of that session must leave it.
    thread = ChatOneMinAI(client=admin).with_conversation("Quick start")
    thread.invoke("My name is Ada.")
    readme_thread = thread.conversation_id
    assert readme_thread is not None
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    invoke(mode, chain, "Hi", session="Quick start")
    assert len(emulator.conversations) == 2

    clear(mode, OneMinAIChatMessageHistory(session_id="Quick start", client=native))
    assert list(emulator.conversations) == [readme_thread]
    assert emulator.conversations[readme_thread]["title"] == "Quick start"


# -- both thread shapes --------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["fixture", "webapp"])
def test_the_thread_is_read_in_both_shapes(
    mode: str,
    shape: str,
    native: OneMinAIClient,
    admin: OneMinAIClient,
    emulator: OneMinAIEmulator,
) -> None:
    emulator.settings.record_credit = True
    cid = admin.create_conversation("Shapes", "gpt-4o-mini").uuid
    for question, text in (("Hi", "Hello."), ("How are you?", "Fine.")):
        emulator.script_chat(text)
        admin.chat("gpt-4o-mini", question, conversation_id=cid)
    emulator.settings.conversation_shape = shape  # type: ignore[assignment]
    turns = emulator.conversations[cid]["turns"]

    messages = read(mode, OneMinAIChatMessageHistory(cid, client=native))

    model = {"model_name": "gpt-4o-mini", "model_provider": "oneminai"}
    if shape == "fixture":  # role/content only
        expected: list[BaseMessage] = [
            HumanMessage("Hi", response_metadata={"conversation_id": cid}),
            AIMessage("Hello.", response_metadata=model | {"conversation_id": cid}),
            HumanMessage("How are you?", response_metadata={"conversation_id": cid}),
            AIMessage("Fine.", response_metadata=model | {"conversation_id": cid}),
        ]
    else:  # USER / <model id> roles, record ids and credits
        expected = []
        for turn, question in zip(turns, ("Hi", "How are you?"), strict=True):
            record = {"conversation_id": cid, "ai_record_id": turn["aiRecordId"]}
            expected += [
                # The exchange's record and its cost are the reply's, not the question's.
                HumanMessage(question, response_metadata={"conversation_id": cid}),
                AIMessage(
                    turn["reply"],
                    id=turn["aiRecordId"],
                    response_metadata=model | record | {"credits": turn["credit"]},
                ),
            ]
        assert all(turn["credit"] > 0 for turn in turns)
    assert messages == expected


# -- bad input ---------------------------------------------------------------------------

UNKNOWN = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_an_unknown_conversation_id_is_a_clear_error_and_nothing_is_lost(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    history = OneMinAIChatMessageHistory(UNKNOWN, client=native)
    with pytest.warns(OneMinAIHistoryWarning):
        add(mode, history, [HumanMessage("kept")])
    with pytest.raises(NotFoundError) as caught:
        read(mode, history)
    assert str(caught.value).startswith(
        f"1min.ai has no conversation '{UNKNOWN}': it was deleted, or never existed (HTTP 404). "
        "Nothing was changed. Call clear() to start a new thread"
    )
    assert caught.value.status_code == 404
    assert [m.content for m in history.local_messages] == ["kept"]
    assert history.conversation_id == UNKNOWN
    assert summary(emulator) == [get(UNKNOWN)]


def test_a_uuid_session_is_that_thread(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    cid = admin.create_conversation("Existing", "gpt-4o-mini").uuid
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    emulator.clear_requests()
    emulator.script_chat("Continued.")
    assert invoke(mode, chain, "Continue", session=cid).content == "Continued."
    assert summary(emulator) == [get(cid), chat("Continue", cid), get(cid)]

    with pytest.raises(NotFoundError, match=UNKNOWN):
        invoke(mode, chain, "Hello?", session=UNKNOWN)
    assert [r.path for r in emulator.requests[3:]] == [f"{CONVERSATIONS}/{UNKNOWN}"]  # no chat


def test_a_deleted_fixed_thread_errors_until_cleared(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    cid = admin.create_conversation("Doomed", "gpt-4o-mini").uuid
    history = OneMinAIChatMessageHistory(cid, client=native, title="Fresh start")
    admin.delete_conversation(cid)
    with pytest.raises(NotFoundError, match="deleted, or never existed"):
        read(mode, history)

    emulator.clear_requests()
    clear(mode, history)  # already gone counts as deleted
    assert read(mode, history) == []
    new = ensure(mode, history)
    assert new != cid
    assert emulator.conversations[new]["title"] == "Fresh start"
    assert [(r.method, r.path, r.status) for r in emulator.requests] == [
        ("DELETE", f"{CONVERSATIONS}/{cid}", 404),
        ("POST", CONVERSATIONS, 200),
    ]


def test_titles_over_the_limit(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(InvalidInputError, match="limited to 91 characters"):
        OneMinAIChatMessageHistory(title="t" * 92, client=native)
    with pytest.raises(InvalidInputError, match="not both"):
        OneMinAIChatMessageHistory(UNKNOWN, session_id="alice", client=native)
    assert emulator.requests == []

    # A session id longer than a title may be is cut (with a hash) and found again.
    long_session = "customer-" + "x" * 120
    chain = with_oneminai_history(ChatOneMinAI(client=native))
    invoke(mode, chain, "Hi", session=long_session)
    (thread,) = emulator.conversations.values()
    assert thread["title"] == session_title(long_session)
    assert len(thread["title"]) == 91
    again = OneMinAIChatMessageHistory(session_id=long_session, client=native)
    assert next(m.content for m in read(mode, again)) == "Hi"


def test_a_new_thread_without_ids_is_created_on_first_use(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    history = OneMinAIChatMessageHistory(client=native, model="claude-sonnet-4-6")
    assert read(mode, history) == []
    assert emulator.requests == []  # nothing to find: no listing
    cid = ensure(mode, history)
    assert ensure(mode, history) == cid
    assert summary(emulator) == [
        (
            "POST",
            CONVERSATIONS,
            {},
            {"type": "UNIFY_CHAT_WITH_AI", "title": DEFAULT_TITLE, "model": "claude-sonnet-4-6"},
        )
    ]


# -- the LangGraph alternative the class docstring shows -----------------------------------


def test_the_langgraph_alternative_sends_only_the_new_turn(
    mode: str, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import START, MessagesState, StateGraph

    model = ChatOneMinAI(client=native)
    model = (
        model.with_conversation("alice")
        if mode == "sync"
        else asyncio.run(model.awith_conversation("alice"))
    )

    def chat_node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    async def achat_node(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("chat", chat_node if mode == "sync" else achat_node)
    builder.add_edge(START, "chat")
    graph = builder.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "alice"}}
    emulator.script_chat("Hello Alice.")
    emulator.script_chat("Alice.")
    for question in ("Hi, I am Alice.", "What is my name?"):
        state: Any = {"messages": [("human", question)]}
        if mode == "sync":
            graph.invoke(state, config)
        else:
            asyncio.run(graph.ainvoke(state, config))
    cid = model.conversation_id
    prompts = [body(r)["promptObject"] for r in emulator.requests if r.path == CHAT]
    assert prompts == [
        {"prompt": "Hi, I am Alice.", "conversationId": cid},
        {"prompt": "What is my name?", "conversationId": cid},
    ]


# -- LangChain's own idiom, exactly as its docs write it -----------------------------------


def _docs_idiom(emulator: OneMinAIEmulator, streaming: bool = False) -> RunnableWithMessageHistory:
    """``RunnableWithMessageHistory`` as LangChain documents it: a new history per call."""
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", "You're an assistant who's good at {ability}. Respond in 20 words or fewer"),
            MessagesPlaceholder(variable_name="history"),
            ("human", "{input}"),
        ]
    )
    llm = ChatOneMinAI(api_key=emulator.api_key, base_url=emulator.base_url, streaming=streaming)
    return RunnableWithMessageHistory(
        prompt | llm,
        lambda session_id: OneMinAIChatMessageHistory(
            session_id=session_id, api_key=emulator.api_key, base_url=emulator.base_url
        ),
        input_messages_key="input",
        history_messages_key="history",
    )


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_the_documented_idiom_keeps_the_conversation(
    mode: str, how: str, emulator: OneMinAIEmulator
) -> None:
    chain = _docs_idiom(emulator)
    run = invoke if how == "invoke" else stream
    emulator.script_chat("Cosine is adjacent over hypotenuse.")
    emulator.script_chat("I said: cosine is adjacent over hypotenuse.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", OneMinAIHistoryWarning)  # nothing kept in-process
        run(mode, chain, {"ability": "math", "input": "What does cosine mean?"}, "abc123")
        run(mode, chain, {"ability": "math", "input": "What did you say?"}, "abc123")

    (thread_id,) = emulator.conversations
    thread = emulator.conversations[thread_id]
    assert thread["title"] == session_title("abc123")
    chats = [body(r) for r in emulator.requests if r.path == CHAT]
    assert [c["promptObject"]["conversationId"] for c in chats] == [thread_id, thread_id]
    # Turn 1 carries the system text once; turn 2 only the new question (the server has the rest).
    assert chats[0]["promptObject"]["prompt"] == (
        "<system>\nYou're an assistant who's good at math. Respond in 20 words or fewer\n"
        "</system>\n\nWhat does cosine mean?"
    )
    assert chats[1]["promptObject"]["prompt"] == "What did you say?"

    # A restart: a new history object reads back what the user said and what the model said.
    fresh = OneMinAIChatMessageHistory(
        session_id="abc123", api_key=emulator.api_key, base_url=emulator.base_url
    )
    messages = read(mode, fresh)
    assert [(m.type, m.content) for m in messages] == [
        ("human", "What does cosine mean?"),
        ("ai", "Cosine is adjacent over hypotenuse."),
        ("human", "What did you say?"),
        ("ai", "I said: cosine is adjacent over hypotenuse."),
    ]


def test_the_documented_idiom_can_ignore_the_history_thread(emulator: OneMinAIEmulator) -> None:
    prompt = ChatPromptTemplate.from_messages([MessagesPlaceholder("history"), ("human", "{q}")])
    llm = ChatOneMinAI(
        api_key=emulator.api_key, base_url=emulator.base_url, follow_message_history=False
    )
    chain = RunnableWithMessageHistory(
        prompt | llm,
        lambda sid: OneMinAIChatMessageHistory(
            session_id=sid, api_key=emulator.api_key, base_url=emulator.base_url
        ),
        input_messages_key="q",
        history_messages_key="history",
    )
    with pytest.warns(OneMinAIHistoryWarning):
        chain.invoke({"q": "Hi"}, config={"configurable": {"session_id": "s"}})
    (chat,) = [body(r) for r in emulator.requests if r.path == CHAT]
    assert "conversationId" not in chat["promptObject"]
