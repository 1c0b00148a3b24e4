"""OneMinAIConversationLoader against the emulator: both modes, sync (lazy_load) and native
async (alazy_load), both thread shapes, an empty account, and a paged listing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.documents import Document

from langchain_oneminai import OneMinAIClient
from langchain_oneminai.document_loaders import OneMinAIConversationLoader
from langchain_oneminai.emulator import OneMinAIEmulator
from langchain_oneminai.errors import InvalidInputError, NotFoundError
from tests.helpers import forbid_sync_calls

SYNC_METHODS = ("list_conversations", "get_conversation")
CONVERSATIONS = "/api/conversations"


@pytest.fixture
def native(mode: str, client: OneMinAIClient, monkeypatch: pytest.MonkeyPatch) -> OneMinAIClient:
    """The loader's client; in async mode its sync methods fail if anything calls them."""
    return forbid_sync_calls(client, monkeypatch, SYNC_METHODS) if mode == "async" else client


def load(mode: str, loader: OneMinAIConversationLoader) -> list[Document]:
    """All documents, through ``lazy_load`` or the native ``alazy_load``."""
    if mode == "sync":
        return list(loader.lazy_load())

    async def collect() -> list[Document]:
        return [document async for document in loader.alazy_load()]

    return asyncio.run(collect())


def load_until_error(
    mode: str, loader: OneMinAIConversationLoader
) -> tuple[list[Document], Exception | None]:
    documents: list[Document] = []
    if mode == "sync":
        try:
            documents.extend(loader.lazy_load())
        except Exception as error:
            return documents, error
        return documents, None

    async def collect() -> Exception | None:
        try:
            async for document in loader.alazy_load():
                documents.append(document)
        except Exception as error:
            return error
        return None

    return documents, asyncio.run(collect())


def requests(emulator: OneMinAIEmulator) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in emulator.requests]


def seed(emulator: OneMinAIEmulator, admin: OneMinAIClient) -> tuple[str, str]:
    """Two conversations: "Trip" (two exchanges), then "Empty" (none)."""
    emulator.settings.record_credit = True
    trip = admin.create_conversation("Trip", "gpt-4o-mini").uuid
    for question, reply in (("Where to?", "Lisbon."), ("When?", "In May.")):
        emulator.script_chat(reply)
        admin.chat("gpt-4o-mini", question, conversation_id=trip)
    empty = admin.create_conversation("Empty", "claude-sonnet-4-6").uuid
    emulator.clear_requests()
    return trip, empty


def public(emulator: OneMinAIEmulator, conversation_id: str) -> dict[str, Any]:
    stored = emulator.conversations[conversation_id]
    return {
        "source": f"oneminai://conversations/{conversation_id}",
        "conversation_id": conversation_id,
        "title": stored["title"],
        "model": stored["model"],
        "type": "UNIFY_CHAT_WITH_AI",
        "status": "ACTIVE",
        "created_at": stored["createdAt"],
    }


# -- conversation mode ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["fixture", "webapp"])
def test_one_transcript_per_conversation(
    mode: str, shape: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    trip, empty = seed(emulator, admin)
    emulator.settings.conversation_shape = shape  # type: ignore[assignment]
    turns = emulator.conversations[trip]["turns"]

    documents = load(mode, OneMinAIConversationLoader(client=native))

    spent = {"credits": sum(t["credit"] for t in turns)} if shape == "webapp" else {}
    assert documents == [  # newest first, as the listing is
        Document(
            id=empty,
            page_content="",
            metadata=public(emulator, empty) | {"message_count": 0},
        ),
        Document(
            id=trip,
            page_content="User: Where to?\n\nAssistant: Lisbon.\n\nUser: When?\n\nAssistant: In May.",
            metadata=public(emulator, trip) | {"message_count": 4} | spent,
        ),
    ]
    assert requests(emulator) == [
        ("GET", CONVERSATIONS, {}),
        ("GET", f"{CONVERSATIONS}/{empty}", {}),
        ("GET", f"{CONVERSATIONS}/{trip}", {}),
    ]


# -- message mode ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["fixture", "webapp"])
def test_one_document_per_message(
    mode: str, shape: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    trip, _ = seed(emulator, admin)
    emulator.settings.conversation_shape = shape  # type: ignore[assignment]
    turns = emulator.conversations[trip]["turns"]

    documents = load(mode, OneMinAIConversationLoader(trip, mode="message", client=native))

    base = {
        "source": f"oneminai://conversations/{trip}",
        "conversation_id": trip,
        "title": "Trip",
        "conversation_created_at": emulator.conversations[trip]["createdAt"],
    }
    texts = ["Where to?", "Lisbon.", "When?", "In May."]
    expected = []
    for index, text in enumerate(texts):
        turn = turns[index // 2]
        metadata = base | {"index": index, "role": "assistant" if index % 2 else "user"}
        if index % 2:
            metadata["model"] = "gpt-4o-mini"
        if shape == "webapp":  # only this shape reports record ids and credits per message
            metadata["ai_record_id"] = turn["aiRecordId"]
            metadata["credits"] = turn["credit"] if index % 2 else 0
        expected.append(Document(id=f"{trip}:{index}", page_content=text, metadata=metadata))
    assert documents == expected
    assert requests(emulator) == [("GET", f"{CONVERSATIONS}/{trip}", {})]


def test_given_ids_load_in_order_once_each(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    trip, empty = seed(emulator, admin)
    loader = OneMinAIConversationLoader([trip, empty, trip], client=native)
    assert [d.id for d in load(mode, loader)] == [trip, empty]
    assert requests(emulator) == [
        ("GET", f"{CONVERSATIONS}/{trip}", {}),
        ("GET", f"{CONVERSATIONS}/{empty}", {}),
    ]
    assert load(mode, OneMinAIConversationLoader([], client=native)) == []


def test_load_and_aload_are_the_base_class_ones(
    client: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    trip, _ = seed(emulator, admin)
    loader = OneMinAIConversationLoader(trip, mode="message", client=client)
    assert "load" not in vars(OneMinAIConversationLoader)
    assert "aload" not in vars(OneMinAIConversationLoader)
    assert loader.load() == asyncio.run(loader.aload())
    assert len(loader.load()) == 4


# -- empty account and paging ------------------------------------------------------------


@pytest.mark.parametrize("loader_mode", ["conversation", "message"])
def test_an_empty_account_loads_nothing(
    mode: str, loader_mode: Any, native: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    assert load(mode, OneMinAIConversationLoader(mode=loader_mode, client=native)) == []
    assert requests(emulator) == [("GET", CONVERSATIONS, {})]


def test_every_conversation_is_listed_once_then_fetched_in_order(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    ids = [admin.create_conversation(f"Chat {i}", "gpt-4o-mini").uuid for i in range(5)]
    emulator.clear_requests()

    documents = load(mode, OneMinAIConversationLoader(client=native))

    newest_first = ids[::-1]
    assert [d.id for d in documents] == newest_first
    assert [d.metadata["title"] for d in documents] == [f"Chat {i}" for i in range(4, -1, -1)]

    def fetch(conversation_id: str) -> tuple[str, str, dict[str, str]]:
        return ("GET", f"{CONVERSATIONS}/{conversation_id}", {})

    # One listing (no source shows it paged, so no offset/limit), then each conversation.
    assert requests(emulator) == [("GET", CONVERSATIONS, {}), *map(fetch, newest_first)]


# -- bad input and vanished conversations --------------------------------------------------

UNKNOWN = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_an_unknown_id_raises_after_the_documents_before_it(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    trip, empty = seed(emulator, admin)
    loader = OneMinAIConversationLoader([trip, UNKNOWN, empty], client=native)
    documents, error = load_until_error(mode, loader)
    assert [d.id for d in documents] == [trip]
    assert isinstance(error, NotFoundError)
    assert str(error).startswith(
        f"1min.ai has no conversation '{UNKNOWN}': it was deleted, or never existed (HTTP 404). "
        "Nothing was changed. The documents of the conversations before it were already produced"
    )
    assert requests(emulator) == [
        ("GET", f"{CONVERSATIONS}/{trip}", {}),
        ("GET", f"{CONVERSATIONS}/{UNKNOWN}", {}),
    ]


def test_a_conversation_deleted_after_the_listing_is_skipped(
    mode: str, native: OneMinAIClient, admin: OneMinAIClient, emulator: OneMinAIEmulator
) -> None:
    first, second, third = (admin.create_conversation(t, "gpt-4o-mini").uuid for t in "ABC")
    loader = OneMinAIConversationLoader(client=native)
    if mode == "sync":
        documents = loader.lazy_load()
        head = next(documents)
        admin.delete_conversation(second)
        rest = list(documents)
    else:

        async def run() -> tuple[Document, list[Document]]:
            documents = loader.alazy_load()
            head = await anext(documents)
            await admin.adelete_conversation(second)
            return head, [d async for d in documents]

        head, rest = asyncio.run(run())
    assert [head.id, *(d.id for d in rest)] == [third, first]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "messages"}, "mode must be 'conversation'"),
        ({"conversation_ids": [""]}, "Each conversation id must be a 1min.ai id"),
        ({"conversation_ids": ["a/b"]}, "Each conversation id must be a 1min.ai id"),
    ],
)
def test_bad_arguments_fail_at_construction(
    kwargs: dict[str, Any], message: str, emulator: OneMinAIEmulator
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        OneMinAIConversationLoader(base_url=emulator.base_url, api_key="k", **kwargs)
    assert emulator.requests == []


def test_nothing_is_sent_at_construction_and_options_build_a_client(
    emulator: OneMinAIEmulator,
) -> None:
    loader = OneMinAIConversationLoader(api_key=emulator.api_key, base_url=emulator.base_url)
    assert emulator.requests == []
    assert loader.conversation_ids is None
    assert loader.mode == "conversation"
    assert loader.load() == []
    assert requests(emulator) == [("GET", CONVERSATIONS, {})]
    loader._client().close()
