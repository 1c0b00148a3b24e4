"""LangChain messages -> the one prompt string 1min.ai takes, and back (pure: no I/O).

1min.ai takes ONE prompt string per call and keeps history only server-side
(wire.md#multi-turn-context, wire.md#parameters-the-api-does-not-have), so a message list is
rendered into one documented text format.

``select_turn_messages()`` picks what to send: everything (stateless mode), or only the
messages after the last AI message (conversation mode, where the server has the rest).
``render_prompt()`` then writes::

    <system>
    …all system messages, merged…
    </system>

    <tools>…</tools>                 (when tools are bound: ``_tool_calls``)
    <response_format>…</response_format>   (structured output)

    <conversation>
    <user>
    …an earlier user turn (consecutive user messages merged)…
    </user>
    <user name="alice">…a named turn…</user>
    <assistant>
    …an earlier reply, and its tool calls as {"tool_calls": […]}…
    </assistant>
    <tool_result call_id="call_…" name="…" status="success">…</tool_result>
    </conversation>

    …the latest user turn, last and unwrapped…

When the history ends with tool results there is no new user turn: the conversation is left
open on the assistant's turn (``OPEN_TURN``: a last ``<assistant>`` line, no
``</conversation>``), so the model writes that turn. A closing instruction after the transcript
did worse on a real model (evals/RESULTS.md): shown the request again, the model answered from
its own guesses instead of calling the next tool it needed. What the model writes past its turn
(``</assistant>``, an invented ``<tool_result>``) is cut off (``_transcript``). A history ended
by an assistant turn ends with ``CONTINUE``.

A lone user message with nothing else is sent as its bare text. Images and documents
become ``[image 1]`` / ``[file 1: report.pdf]`` markers where they appeared, and
``Attachment`` entries the chat model uploads (``_attachments``, wire.md#attachments-in-chat).

``messages_from_prompt()`` is the inverse, for a thread read back: what the user sent, without
the blocks the package added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_oneminai._chat._attachments import (
    Attachment,
    attachment_from_block,
    decode_base64,
    media_reference,
)
from langchain_oneminai._chat._tool_calls import format_tool_calls, format_tool_result
from langchain_oneminai.errors import InvalidInputError

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    """The prompt text and the attachments it refers to."""

    text: str
    """The single ``promptObject.prompt`` string."""
    attachments: tuple[Attachment, ...] = ()
    """Images and files, in order of appearance."""

    @property
    def has_images(self) -> bool:
        """Whether any attachment is an image."""
        return any(a.kind == "image" for a in self.attachments)


@dataclass(slots=True)
class _Turn:
    role: Role
    parts: list[str]
    name: str | None = None


def select_turn_messages(
    messages: Sequence[BaseMessage], *, conversation_mode: bool, system_already_sent: bool
) -> list[BaseMessage]:
    """The messages to render for this call.

    Stateless mode sends everything. Conversation mode sends only what follows the last
    AI message (the server holds the rest, so context is never sent twice), plus the
    system messages on the first turn of the conversation.
    """
    if not messages:
        raise InvalidInputError("No messages to send: pass at least one message.")
    if not conversation_mode:
        return list(messages)
    last_ai = max((i for i, m in enumerate(messages) if isinstance(m, AIMessage)), default=-1)
    new = [m for m in messages[last_ai + 1 :] if not isinstance(m, SystemMessage)]
    first_turn = last_ai == -1 and not system_already_sent
    system = [m for m in messages if isinstance(m, SystemMessage)] if first_turn else []
    return system + new


def render_prompt(
    messages: Sequence[BaseMessage],
    *,
    tools_block: str | None = None,
    format_block: str | None = None,
) -> RenderedPrompt:
    """Render messages into the one prompt string 1min.ai takes (see the module docstring).

    Raises:
        InvalidInputError: no messages, nothing to say, or a message/content block that
            cannot be sent (audio, video, an unknown role).
    """
    if not messages:
        raise InvalidInputError("No messages to send: pass at least one message.")
    for index, message in enumerate(messages):
        check_encodable(message, index)
    attachments: list[Attachment] = []
    turns = _merge_turns([_turn(m, attachments) for m in messages])
    system = "\n\n".join(p for t in turns if t.role == "system" for p in t.parts if p.strip())
    dialogue = [t for t in turns if t.role != "system"]
    final: list[_Turn] = []
    while dialogue and dialogue[-1].role == "user":
        final.insert(0, dialogue.pop())
    after_results = not final and bool(dialogue) and dialogue[-1].role == "tool"
    closing = "" if after_results else _render_final(final, continuing=bool(dialogue))
    if final and not closing:
        raise InvalidInputError("The latest user message is empty: there is nothing to answer.")
    if not dialogue and not closing:
        raise InvalidInputError(
            "Only system instructions were given: add a user message for the model to answer."
            if system
            else "The prompt is empty: the messages carry no text or attachments."
        )
    sections = [f"<system>\n{system}\n</system>"] if system else []
    sections += [block.strip() for block in (tools_block, format_block) if block and block.strip()]
    if dialogue:
        history = "\n".join(_render_turn(t) for t in dialogue)
        end = OPEN_TURN if after_results else "</conversation>"
        sections.append(f"<conversation>\n{history}\n{end}")
    if closing:
        sections.append(closing)
    text = "\n\n".join(sections)
    return RenderedPrompt(text, tuple(attachments))


CONTINUE = "Continue the conversation as the assistant."
"""The closing line of a prompt whose history ends with the assistant."""

OPEN_TURN = "<assistant>\n"
"""The end of a prompt whose history ends with tool results: the assistant's open turn."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_encodable(message: BaseMessage, index: int) -> None:
    """Refuse a message whose text holds a surrogate code point: it has no UTF-8 form.

    Raises:
        InvalidInputError: naming the message and the character position.
    """
    texts = [message.content] if isinstance(message.content, str) else []
    if isinstance(message.content, list):
        texts += [b if isinstance(b, str) else str(b.get("text", "")) for b in message.content]
    for text in texts:
        match = _SURROGATE.search(text)
        if match is not None:
            raise InvalidInputError(
                f"Message {index + 1} ({message.type}) contains an unpaired surrogate "
                f"(U+{ord(match.group()):04X}) at character {match.start()}: half of a "
                "UTF-16 pair, e.g. from a cut emoji or a bad decode, which cannot be sent as "
                "UTF-8. Clean it first, e.g. text.encode('utf-8', 'replace').decode()."
            )


def _render_final(final: list[_Turn], *, continuing: bool) -> str:
    if not final:
        # The history ends with the assistant (or tool results): ask it to carry on.
        return CONTINUE if continuing else ""
    pieces = []
    for turn in final:
        body = "\n\n".join(p for p in turn.parts if p)
        pieces.append(f"{turn.name}: {body}" if turn.name else body)
    return "\n\n".join(p for p in pieces if p.strip())


def _render_turn(turn: _Turn) -> str:
    body = "\n\n".join(p for p in turn.parts if p)
    if turn.role == "tool":
        return body  # already a <tool_result> element
    name = f' name="{_attr(turn.name)}"' if turn.name else ""
    return f"<{turn.role}{name}>\n{body}\n</{turn.role}>"


def _merge_turns(turns: list[_Turn]) -> list[_Turn]:
    merged: list[_Turn] = []
    for turn in turns:
        previous = merged[-1] if merged else None
        if (
            previous
            and previous.role == turn.role
            and previous.name == turn.name
            and turn.role != "tool"
        ):
            previous.parts.extend(turn.parts)
        else:
            merged.append(turn)
    return merged


def _turn(message: BaseMessage, attachments: list[Attachment]) -> _Turn:
    name = message.name if isinstance(message.name, str) and message.name.strip() else None
    if isinstance(message, SystemMessage):
        return _Turn("system", [_content_text(message, attachments, media="refuse")])
    if isinstance(message, HumanMessage):
        return _Turn("user", [_content_text(message, attachments)], name)
    if isinstance(message, AIMessage):
        parts = [message.text.strip()]
        if message.tool_calls:
            parts.append(format_tool_calls(message.tool_calls))
        return _Turn("assistant", [p for p in parts if p], name)
    if isinstance(message, ToolMessage):
        # A tool's images and files (a generated picture, a speech file) are referred to by
        # their URL, not attached: the model reads the result, it need not see the picture.
        content = _content_text(message, attachments, media="refer")
        result = format_tool_result(
            tool_call_id=message.tool_call_id or None,
            name=name,
            content=content,
            status=message.status,
        )
        return _Turn("tool", [result])
    if isinstance(message, ChatMessage):
        role = {
            "user": "user",
            "human": "user",
            "assistant": "assistant",
            "ai": "assistant",
            "system": "system",
        }
        mapped = role.get(message.role.lower())
        if mapped is None:
            raise InvalidInputError(
                f"Cannot send a ChatMessage with role {message.role!r}; "
                "use user, assistant or system."
            )
        if mapped == "assistant":
            return _Turn("assistant", [message.text.strip()], name)
        text = _content_text(message, attachments, media="attach" if mapped == "user" else "refuse")
        return _Turn("system" if mapped == "system" else "user", [text], name)
    raise InvalidInputError(
        f"ChatOneMinAI cannot send a {type(message).__name__}; "
        "use System, Human, AI or Tool messages."
    )


def _content_text(
    message: BaseMessage,
    attachments: list[Attachment],
    *,
    media: Literal["attach", "refer", "refuse"] = "attach",
) -> str:
    content = message.content
    if isinstance(content, str):
        return content.strip()
    parts: list[str] = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
            continue
        if not isinstance(block, Mapping):
            raise InvalidInputError(
                f"Unsupported content block {block!r} in a {type(message).__name__}."
            )
        block_type = block.get("type")
        if block_type == "text":
            parts.append(str(block.get("text", "")))
        elif block_type == "text-plain":
            parts.append(_plain_text_block(block))
        elif media == "refer" and block_type in ("image", "image_url", "file", "audio", "video"):
            parts.append(media_reference(block))
        elif block_type in ("image", "image_url", "file"):
            if media == "refuse":
                raise InvalidInputError(
                    f"A {type(message).__name__} cannot carry {block_type} content for 1min.ai; "
                    "put images and documents in a user message."
                )
            attachment = attachment_from_block(block, attachments)
            attachments.append(attachment)
            parts.append(_marker(attachment))
        elif block_type in ("audio", "input_audio", "video"):
            raise InvalidInputError(
                f"1min.ai chat cannot take {block_type} content. Transcribe audio first "
                "(OneMinAISpeechToTextTool) and send the text."
            )
        elif block_type in ("reasoning", "thinking", "tool_call", "tool_use", "tool_call_chunk"):
            continue  # not part of what the user said; tool calls are rendered separately
        else:
            raise InvalidInputError(
                f"Unsupported content block type {block_type!r} for 1min.ai chat."
            )
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _plain_text_block(block: Mapping[str, Any]) -> str:
    text = block.get("text")
    if not isinstance(text, str) and isinstance(block.get("base64"), str):
        text = decode_base64(block["base64"], "text-plain").decode("utf-8", errors="replace")
    title = block.get("title")
    header = f"[document: {title}]\n" if isinstance(title, str) and title else ""
    return header + (text or "")


def _marker(attachment: Attachment) -> str:
    if attachment.kind == "file" and attachment.filename:
        return f"[{attachment.label}: {attachment.filename}]"
    return f"[{attachment.label}]"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


_LEADING_BLOCK = re.compile(r"\A<(system|tools|response_format)>\n.*?\n</\1>(?:\n\n|\Z)", re.DOTALL)


_CONVERSATION = re.compile(
    r"\A<conversation>\n(.*?)\n(?:</conversation>(?:\n\n|\Z)|<assistant>\n?\Z)", re.DOTALL
)


_TOOL_RESULT = re.compile(
    r"<tool_result(?P<attributes>[^>]*)>\n(?P<body>.*?)\n</tool_result>", re.DOTALL
)


_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def messages_from_prompt(prompt: str) -> list[BaseMessage]:
    """What the user sent in a prompt this package rendered (pure; the renderer's inverse).

    A thread's user turn is the prompt exactly as it went out; in conversation mode that is
    the new turn alone, plus on the first turn the ``<system>`` block (and ``<tools>`` or
    ``<response_format>`` when bound). Reading a thread back should give what the user
    said: the blocks the package added are dropped, tool results sent as a turn become
    ``ToolMessage``s again, and the user's own text a ``HumanMessage``. A prompt this package
    did not render comes back whole, as one ``HumanMessage``.
    """
    rest = prompt
    while match := _LEADING_BLOCK.match(rest):
        rest = rest[match.end() :]
    messages: list[BaseMessage] = []
    if match := _CONVERSATION.match(rest):
        messages += _tool_results(match.group(1))
        rest = rest[match.end() :]
    closing = rest.strip()
    if closing and not (messages and closing == CONTINUE):
        messages.append(HumanMessage(closing))
    return messages or [HumanMessage(prompt)]


def _tool_results(section: str) -> list[BaseMessage]:
    """Tool results of a turn's ``<conversation>`` section (other turns: the server has them)."""
    results: list[BaseMessage] = []
    for match in _TOOL_RESULT.finditer(section):
        attributes = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(match["attributes"])}
        status = "error" if attributes.get("status") == "error" else "success"
        results.append(
            ToolMessage(
                content=match["body"].replace("<\\/tool_result>", "</tool_result>"),
                tool_call_id=attributes.get("call_id", ""),
                name=attributes.get("name"),
                status=status,
            )
        )
    return results
