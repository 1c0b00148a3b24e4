"""A thread's turns as LangChain messages, and what the server already recorded (pure).

**Reading** (``messages_from_conversation``)::

    Conversation.messages (either shape of wire.md#conversation-shapes, already normalised
    by ``_wire.parse_message``)
        user      -> what the user sent (``_chat._prompt.messages_from_prompt`` drops the
                     <system>/<tools> blocks the package added; tool results sent as a turn
                     become ToolMessages again)
        assistant -> AIMessage(id=aiRecordId, response_metadata={model_name, ai_record_id,
                                                                  conversation_id, credits, …})
        system    -> SystemMessage

**Writing** (``unrecorded_messages``): 1min.ai has no "append a message" endpoint
(wire.md#no-append-endpoint); it records a turn itself when the chat call carries
``promptObject.conversationId`` (wire.md#multi-turn-context). So writing is *recognising*: an
``AIMessage`` whose ``response_metadata`` says it was produced in this thread is already
stored, and so is every message of its turn (the messages since the previous AI message,
which conversation mode sent as that turn's prompt). What is left cannot be stored
server-side and is kept in-process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from langchain_oneminai._chat._output import PROVIDER
from langchain_oneminai._chat._prompt import messages_from_prompt
from langchain_oneminai._wire import Conversation, ConversationMessage


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
    """One turn as a message: record id as its id, model and credits in its metadata.

    A user turn shares its record with the reply that answered it (one record per exchange,
    wire.md#conversation-shapes): the record, and what it cost, are the reply's, so a
    ``HumanMessage`` carries only the thread and the time.
    """
    reply = turn.role == "assistant"
    metadata = _drop_none(
        {
            "conversation_id": conversation.uuid,
            "ai_record_id": turn.ai_record_id if reply or keep_id else None,
            "credits": turn.credit if reply else None,
            "created_at": turn.created_at,
        }
    )
    message_id = turn.ai_record_id if keep_id else None
    if reply:
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


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}
