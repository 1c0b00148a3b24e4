"""The pure thread decisions: which thread, turns <-> messages, "already recorded?", documents."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_oneminai._conversations._documents import (
    check_conversation_ids,
    check_mode,
    conversation_document,
    documents_for,
    merge_listed,
    message_documents,
    transcript,
)
from langchain_oneminai._conversations._reading import (
    history_messages,
    messages_from_conversation,
    needs_thread_id,
    recorded_in,
    unrecorded_messages,
)
from langchain_oneminai._conversations._target import (
    DEFAULT_TITLE,
    ThreadTarget,
    check_title,
    find_thread,
    ids_to_clear,
    is_conversation_uuid,
    missing_thread_error,
    session_title,
    thread_target,
)
from langchain_oneminai._wire import Conversation, parse_conversation, parse_conversation_list
from langchain_oneminai.errors import InvalidInputError, NotFoundError

CID = "c5c5e1d4-76a9-46a6-bf6b-1ba843b838db"
OTHER = "0f8fad5b-d9cb-469f-a165-70867728950e"
R1 = "11111111-2222-4333-8444-555555555555"
R2 = "66666666-7777-4888-9999-aaaaaaaaaaaa"
PUBLIC = {
    "uuid": CID,
    "title": "Trip",
    "type": "UNIFY_CHAT_WITH_AI",
    "model": "gpt-4o-mini",
    "status": "ACTIVE",
    "createdAt": "2026-05-07T10:00:00Z",
}

# The two thread shapes of wire.md#undocumented-conversation-routes, as the emulator serves them.
FIXTURE_SHAPE = {
    "conversation": {
        **PUBLIC,
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello."},
            {"role": "user", "content": "Bye"},
            {"role": "assistant", "content": "Bye."},
        ],
    }
}
WEBAPP_SHAPE = {
    "conversation": PUBLIC,
    "messageList": [
        {"role": "USER", "content": "Hi", "aiRecordId": R1, "credit": 0},
        {"role": "gpt-4o", "content": "Hello.", "aiRecordId": R1, "credit": 12},
        {"role": "USER", "content": "Bye", "aiRecordId": R2, "credit": 0},
        {"role": "claude-sonnet-4-6", "content": "Bye.", "aiRecordId": R2, "credit": 30},
    ],
}


def conversation(payload: dict[str, Any] = FIXTURE_SHAPE) -> Conversation:
    return parse_conversation(payload)


# -- which thread -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (CID, True),
        (CID.upper(), True),
        ("e3e70682-c209-4cac-a29f-6fbed82c07cd", True),
        ("alice", False),
        ("test-conv-uuid-12345", False),
        (CID + "0", False),
        (" " + CID, False),
        (CID.replace("-", ""), False),
        ("", False),
    ],
)
def test_is_conversation_uuid(value: str, expected: bool) -> None:
    assert is_conversation_uuid(value) is expected


def test_session_title_marks_the_thread_as_a_history_and_keeps_ids_that_fit() -> None:
    assert session_title("alice") == "[LangChain history] alice"
    assert session_title("x" * 71) == "[LangChain history] " + "x" * 71  # 91 characters


def test_session_title_cuts_long_ids_and_keeps_them_distinct() -> None:
    first, second = "u" * 100 + "-first", "u" * 100 + "-second"
    cut_first, cut_second = session_title(first), session_title(second)
    assert len(cut_first) == len(cut_second) == 91
    assert cut_first.startswith("[LangChain history] " + "u" * 60 + "~")
    assert cut_first != cut_second
    assert session_title(first) == cut_first  # stable: found again after a restart


@pytest.mark.parametrize(
    ("title", "expected"),
    [(None, DEFAULT_TITLE), ("Trip", "Trip"), ("t" * 91, "t" * 91)],
)
def test_check_title_accepts(title: str | None, expected: str) -> None:
    assert check_title(title) == expected


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "non-empty"),
        ("   ", "non-empty"),
        ("t" * 92, "limited to 91 characters by 1min.ai; this one has 92"),
    ],
)
def test_check_title_refuses(title: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_title(title)


@pytest.mark.parametrize(
    ("conversation_id", "session_id", "title", "expected"),
    [
        (CID, None, None, ThreadTarget(CID, DEFAULT_TITLE, by_title=False)),
        (CID, None, "Trip", ThreadTarget(CID, "Trip", by_title=False)),
        (None, "alice", None, ThreadTarget(None, session_title("alice"), by_title=True)),
        (None, "team/alice", None, ThreadTarget(None, session_title("team/alice"), by_title=True)),
        (None, CID, None, ThreadTarget(CID, DEFAULT_TITLE, by_title=False)),
        (None, None, None, ThreadTarget(None, DEFAULT_TITLE, by_title=False)),
        (None, None, "Trip", ThreadTarget(None, "Trip", by_title=False)),
        (None, "s" * 95, None, ThreadTarget(None, session_title("s" * 95), by_title=True)),
    ],
)
def test_thread_target(
    conversation_id: str | None, session_id: str | None, title: str | None, expected: ThreadTarget
) -> None:
    assert thread_target(conversation_id, session_id, title) == expected


@pytest.mark.parametrize(
    ("conversation_id", "session_id", "title", "message"),
    [
        (CID, "alice", None, "not both"),
        ("", None, None, "conversation_id must be a 1min.ai id"),
        ("a/b", None, None, "conversation_id must be a 1min.ai id"),
        ("..", None, None, "conversation_id must be a 1min.ai id"),
        ("?all=true", None, None, "conversation_id must be a 1min.ai id"),
        (None, "", None, "session_id must be a non-empty string"),
        (None, "  ", None, "session_id must be a non-empty string"),
        (None, "alice", "Trip", "titled with its session_id"),
        (None, None, "t" * 92, "limited to 91 characters"),
        (CID, None, "", "title must be a non-empty string"),
    ],
)
def test_thread_target_refuses(
    conversation_id: str | None, session_id: str | None, title: str | None, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        thread_target(conversation_id, session_id, title)


def listed(*titles: str) -> list[Conversation]:
    return [Conversation(uuid=f"id-{i}", title=t) for i, t in enumerate(titles)]


def test_find_thread_takes_the_first_match_and_reads_no_further() -> None:
    read: list[str] = []

    def listing() -> Any:
        for item in listed("bob", "alice", "alice", "carol"):
            read.append(item.uuid)
            yield item

    found = find_thread(listing(), "alice")
    assert found is not None
    assert found.uuid == "id-1"
    assert read == ["id-0", "id-1"]
    assert find_thread(listed("bob"), "alice") is None
    assert find_thread([], "alice") is None


@pytest.mark.parametrize(
    ("target", "in_use", "expected"),
    [
        (ThreadTarget(None, "alice", by_title=True), None, ["id-1", "id-3"]),
        (ThreadTarget(None, "alice", by_title=True), "id-1", ["id-1", "id-3"]),
        (ThreadTarget(None, "alice", by_title=True), "gone", ["id-1", "id-3", "gone"]),
        (ThreadTarget(CID, DEFAULT_TITLE, by_title=False), CID, [CID]),
        (ThreadTarget(CID, DEFAULT_TITLE, by_title=False), None, []),
        (ThreadTarget(None, DEFAULT_TITLE, by_title=False), None, []),
    ],
)
def test_ids_to_clear(target: ThreadTarget, in_use: str | None, expected: list[str]) -> None:
    assert ids_to_clear(target, in_use, listed("bob", "alice", "carol", "alice")) == expected


def test_missing_thread_error_restates_the_404() -> None:
    original = NotFoundError(
        "1min.ai has no such resource", status_code=404, request_id="r-1", path="/api/x"
    )
    error = missing_thread_error(CID, original, "Do this.")
    assert isinstance(error, NotFoundError)
    assert str(error) == (
        f"1min.ai has no conversation '{CID}': it was deleted, or never existed (HTTP 404). "
        "Nothing was changed. Do this."
    )
    assert (error.status_code, error.request_id, error.path) == (404, "r-1", "/api/x")


# -- reading ----------------------------------------------------------------------------


def test_fixture_shape_turns_become_messages() -> None:
    ai_meta = {"model_name": "gpt-4o-mini", "model_provider": "oneminai", "conversation_id": CID}
    assert messages_from_conversation(conversation(FIXTURE_SHAPE)) == [
        HumanMessage("Hi", response_metadata={"conversation_id": CID}),
        AIMessage("Hello.", response_metadata=ai_meta),
        HumanMessage("Bye", response_metadata={"conversation_id": CID}),
        AIMessage("Bye.", response_metadata=ai_meta),
    ]


def test_webapp_shape_turns_keep_record_ids_models_and_credits() -> None:
    def meta(record: str, spent: float) -> dict[str, Any]:
        return {"conversation_id": CID, "ai_record_id": record, "credits": spent}

    messages = messages_from_conversation(conversation(WEBAPP_SHAPE))
    assert messages == [
        # A user turn shares its record with the reply: the record, and its cost, are the
        # reply's.
        HumanMessage("Hi", response_metadata={"conversation_id": CID}),
        AIMessage(
            "Hello.",
            id=R1,
            response_metadata={"model_name": "gpt-4o", "model_provider": "oneminai"} | meta(R1, 12),
        ),
        HumanMessage("Bye", response_metadata={"conversation_id": CID}),
        AIMessage(
            "Bye.",
            id=R2,
            response_metadata={"model_name": "claude-sonnet-4-6", "model_provider": "oneminai"}
            | meta(R2, 30),
        ),
    ]
    assert [m.id for m in messages] == [None, R1, None, R2]


def test_distinct_user_record_ids_are_kept_and_system_turns_map() -> None:
    payload = {
        "uuid": CID,
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi", "aiRecordId": "u-1", "createdAt": "2026-01-01"},
            {"role": "assistant", "content": "Hello.", "aiRecordId": "a-1"},
        ],
    }
    assert messages_from_conversation(parse_conversation(payload)) == [
        SystemMessage("Be brief.", response_metadata={"conversation_id": CID}),
        HumanMessage(
            "Hi",
            id="u-1",
            response_metadata={
                "conversation_id": CID,
                "ai_record_id": "u-1",
                "created_at": "2026-01-01",
            },
        ),
        # No model anywhere: no model_name is invented.
        AIMessage(
            "Hello.",
            id="a-1",
            response_metadata={
                "model_provider": "oneminai",
                "conversation_id": CID,
                "ai_record_id": "a-1",
            },
        ),
    ]


def test_history_messages_lists_local_turns_after_the_server() -> None:
    local = [HumanMessage("offline"), AIMessage("kept")]
    assert history_messages(None, local) == local
    assert history_messages(None, []) == []
    server = messages_from_conversation(conversation())
    assert history_messages(conversation(), local) == [*server, *local]


# -- writing ----------------------------------------------------------------------------


def reply(conversation_id: str | None, **extra: Any) -> AIMessage:
    metadata = {"model_name": "gpt-4o-mini"} | ({"conversation_id": conversation_id} | extra)
    return AIMessage("ok", response_metadata=metadata)


@pytest.mark.parametrize(
    ("message", "conversation_id", "expected"),
    [
        (reply(CID), CID, True),
        (reply(CID, ai_record_id=R1), CID, True),
        (AIMessageChunk(content="ok", response_metadata={"conversation_id": CID}), CID, True),
        (reply(OTHER), CID, False),
        (reply(None), CID, False),
        (AIMessage("ok"), CID, False),
        (reply(CID), None, False),
        (HumanMessage("hi", response_metadata={"conversation_id": CID}), CID, False),
    ],
)
def test_recorded_in(message: BaseMessage, conversation_id: str | None, expected: bool) -> None:
    assert recorded_in(message, conversation_id) is expected


H1, H2, H3 = HumanMessage("one"), HumanMessage("two"), HumanMessage("three")
SYSTEM = SystemMessage("Be brief.")
TOOL = ToolMessage("42", tool_call_id="call-1")
MINE, ELSEWHERE, STATELESS = reply(CID), reply(OTHER), reply(None)


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([], []),
        # What RunnableWithMessageHistory passes after a conversation-mode turn: the human turn
        # was trimmed (the re-read history grew by two), the reply remains.
        ([MINE], []),
        ([H1, MINE], []),
        ([SYSTEM, H1, MINE], []),
        ([H1, H2, MINE], []),
        ([TOOL, H1, MINE], []),
        ([H1, MINE, H2, MINE], []),
        ([H1, STATELESS], [H1, STATELESS]),
        ([H1, ELSEWHERE], [H1, ELSEWHERE]),
        ([H1, MINE, H2, STATELESS], [H2, STATELESS]),
        ([H1, STATELESS, H2, MINE], [H1, STATELESS]),
        ([H1], [H1]),
        ([H1, MINE, H3], [H3]),
        ([SYSTEM], [SYSTEM]),
    ],
)
def test_unrecorded_messages(messages: list[BaseMessage], expected: list[BaseMessage]) -> None:
    assert unrecorded_messages(messages, CID) == expected


def test_nothing_is_recorded_without_a_thread() -> None:
    assert unrecorded_messages([H1, MINE], None) == [H1, MINE]


@pytest.mark.parametrize(
    ("messages", "conversation_id", "by_title", "expected"),
    [
        ([H1, MINE], None, True, True),
        ([H1, ELSEWHERE], None, True, True),
        ([H1, STATELESS], None, True, False),
        ([H1], None, True, False),
        ([H1, MINE], CID, True, False),
        ([H1, MINE], None, False, False),
    ],
)
def test_needs_thread_id(
    messages: list[BaseMessage], conversation_id: str | None, by_title: bool, expected: bool
) -> None:
    assert needs_thread_id(messages, conversation_id, by_title) is expected


# -- loading ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["conversation", "message"])
def test_check_mode_accepts(mode: str) -> None:
    assert check_mode(mode) == mode


@pytest.mark.parametrize("mode", ["messages", "", "Conversation"])
def test_check_mode_refuses(mode: str) -> None:
    with pytest.raises(InvalidInputError, match="mode must be 'conversation'"):
        check_mode(mode)


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (None, None),
        ([], []),
        (CID, [CID]),
        ([CID, OTHER, CID], [CID, OTHER]),
        ((i for i in [OTHER]), [OTHER]),
    ],
)
def test_check_conversation_ids(ids: Any, expected: list[str] | None) -> None:
    assert check_conversation_ids(ids) == expected


@pytest.mark.parametrize("ids", [[""], [CID, "  "], [CID, None], ["a/b"], ["#"], ["%2e%2e"]])
def test_check_conversation_ids_refuses(ids: Any) -> None:
    with pytest.raises(InvalidInputError, match="Each conversation id must be a 1min.ai id"):
        check_conversation_ids(ids)


def test_merge_listed_fills_only_missing_fields() -> None:
    full = Conversation(uuid=CID, title="Fetched", messages=conversation().messages)
    from_listing = parse_conversation_list({"conversations": [PUBLIC | {"title": "Listed"}]})
    merged = merge_listed(from_listing[0], full)
    assert merged.title == "Fetched"
    assert (merged.model, merged.type, merged.status, merged.created_at) == (
        "gpt-4o-mini",
        "UNIFY_CHAT_WITH_AI",
        "ACTIVE",
        "2026-05-07T10:00:00Z",
    )
    assert merged.messages == full.messages
    assert merge_listed(None, full) is full
    assert merge_listed(Conversation(uuid=CID), full) is full


def test_transcript() -> None:
    assert (
        transcript(conversation())
        == "User: Hi\n\nAssistant: Hello.\n\nUser: Bye\n\nAssistant: Bye."
    )
    assert transcript(Conversation(uuid=CID)) == ""


def test_conversation_document_fixture_shape() -> None:
    document = conversation_document(conversation(FIXTURE_SHAPE))
    assert document == Document(
        id=CID,
        page_content="User: Hi\n\nAssistant: Hello.\n\nUser: Bye\n\nAssistant: Bye.",
        metadata={
            "source": f"oneminai://conversations/{CID}",
            "conversation_id": CID,
            "title": "Trip",
            "model": "gpt-4o-mini",
            "type": "UNIFY_CHAT_WITH_AI",
            "status": "ACTIVE",
            "created_at": "2026-05-07T10:00:00Z",
            "message_count": 4,
        },
    )
    assert document.id == CID


def test_conversation_document_sums_credits_and_tolerates_a_bare_thread() -> None:
    assert conversation_document(conversation(WEBAPP_SHAPE)).metadata["credits"] == 42
    bare = conversation_document(Conversation(uuid=CID))
    assert bare.page_content == ""
    assert bare.metadata == {
        "source": f"oneminai://conversations/{CID}",
        "conversation_id": CID,
        "message_count": 0,
    }


def test_message_documents_webapp_shape() -> None:
    documents = message_documents(conversation(WEBAPP_SHAPE))
    base = {
        "source": f"oneminai://conversations/{CID}",
        "conversation_id": CID,
        "title": "Trip",
        "conversation_created_at": "2026-05-07T10:00:00Z",
    }
    assert documents == [
        Document(
            id=f"{CID}:0",
            page_content="Hi",
            metadata=base | {"index": 0, "role": "user", "ai_record_id": R1, "credits": 0},
        ),
        Document(
            id=f"{CID}:1",
            page_content="Hello.",
            metadata=base
            | {
                "index": 1,
                "role": "assistant",
                "model": "gpt-4o",
                "ai_record_id": R1,
                "credits": 12,
            },
        ),
        Document(
            id=f"{CID}:2",
            page_content="Bye",
            metadata=base | {"index": 2, "role": "user", "ai_record_id": R2, "credits": 0},
        ),
        Document(
            id=f"{CID}:3",
            page_content="Bye.",
            metadata=base
            | {
                "index": 3,
                "role": "assistant",
                "model": "claude-sonnet-4-6",
                "ai_record_id": R2,
                "credits": 30,
            },
        ),
    ]
    assert [d.id for d in documents] == [f"{CID}:{i}" for i in range(4)]


def test_message_documents_fixture_shape_fall_back_to_the_conversation_model() -> None:
    documents = message_documents(conversation(FIXTURE_SHAPE))
    assert [(d.metadata["role"], d.metadata.get("model")) for d in documents] == [
        ("user", None),
        ("assistant", "gpt-4o-mini"),
        ("user", None),
        ("assistant", "gpt-4o-mini"),
    ]
    assert all("ai_record_id" not in d.metadata for d in documents)


def test_documents_for() -> None:
    thread = conversation()
    assert documents_for(thread, "conversation") == [conversation_document(thread)]
    assert documents_for(thread, "message") == message_documents(thread)
    assert documents_for(Conversation(uuid=CID), "message") == []
    assert documents_for(None, "conversation") == []
