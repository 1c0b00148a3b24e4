"""LangChain messages <-> 1min.ai prompts and records (pure: no I/O).

1min.ai takes ONE prompt string per call and keeps history only server-side (reference
§3.5, §3.6), so a message list is rendered into one documented text format:

**Input flow (LangChain -> 1min.ai)**

``select_turn_messages()`` picks what to send: everything (stateless mode), or only the
messages after the last AI message (conversation mode, where the server has the rest).
``render_prompt()`` then writes::

    <system>
    …all system messages, merged…
    </system>

    <tools>…</tools>                 (when tools are bound: ``_tool_protocol``)
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

A lone user message with nothing else is sent as its bare text. Images and documents
become ``[image 1]`` / ``[file 1: report.pdf]`` markers where they appeared, and
``Attachment`` entries the chat model uploads (``attachments.images`` / ``.files``, §5).

**Output flow (1min.ai -> LangChain)**

``message_from_record()`` turns an ``aiRecord`` into an ``AIMessage`` (text cut at the
first stop sequence; ``response_metadata``; ``usage_metadata`` only from real counts);
``StopFilter`` cuts a stream at a stop sequence that may straddle deltas.
"""

from __future__ import annotations

import base64
import binascii
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
from langchain_core.messages.ai import UsageMetadata

from langchain_oneminai._tool_protocol import format_tool_calls, format_tool_result
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.errors import InvalidInputError

PROVIDER = "oneminai"
"""``response_metadata["model_provider"]`` and ``ls_provider``."""

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True)
class Attachment:
    """An image or document found in a message, to be uploaded (or already an asset)."""

    kind: Literal["image", "file"]
    """``image`` → ``attachments.images`` (asset path); ``file`` → ``attachments.files`` (uuid)."""
    label: str
    """The marker written into the prompt where it appeared, e.g. ``image 1``."""
    data: bytes | None = None
    """Inline content (base64 blocks, data URIs)."""
    url: str | None = None
    """A URL to fetch and re-upload (the server is not known to fetch URLs, §5.1)."""
    asset_ref: str | None = None
    """An already-uploaded asset path (images) or file uuid (files): sent as is."""
    mime_type: str | None = None
    """The MIME type, when known."""
    filename: str | None = None
    """A file name, when known."""


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


# --------------------------------------------------------------------------------------
# Which messages go out
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


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
    closing = _render_final(final, continuing=not final and bool(dialogue))
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
        sections.append(f"<conversation>\n{history}\n</conversation>")
    if closing:
        sections.append(closing)
    text = "\n\n".join(sections)
    return RenderedPrompt(text, tuple(attachments))


CONTINUE = "Continue the conversation as the assistant."
"""The closing line of a prompt whose history ends with the assistant or tool results."""

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


def media_reference(block: Mapping[str, Any]) -> str:
    """A text stand-in for a media block of a tool result: its URL, id, or size."""
    kind = "image" if block.get("type") == "image_url" else str(block.get("type"))
    image_url = block.get("image_url")
    url = image_url.get("url") if isinstance(image_url, Mapping) else image_url
    url = url or block.get("url") or block.get("file_id")
    if isinstance(url, str) and url and not url.startswith("data:"):
        return f"[{kind}: {url}]"
    data = str(block.get("base64") or "")
    size = len(data) * 3 // 4 - data[-2:].count("=")  # decoded size, without decoding
    mime = block.get("mime_type") or "inline data"
    return f"[{kind}: {mime}, {size:,} bytes, not shown]"


def _plain_text_block(block: Mapping[str, Any]) -> str:
    text = block.get("text")
    if not isinstance(text, str) and isinstance(block.get("base64"), str):
        text = _decode_base64(block["base64"], "text-plain").decode("utf-8", errors="replace")
    title = block.get("title")
    header = f"[document: {title}]\n" if isinstance(title, str) and title else ""
    return header + (text or "")


def _marker(attachment: Attachment) -> str:
    if attachment.kind == "file" and attachment.filename:
        return f"[{attachment.label}: {attachment.filename}]"
    return f"[{attachment.label}]"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


# --------------------------------------------------------------------------------------
# Reading a rendered prompt back (a thread's user turns)
# --------------------------------------------------------------------------------------

_LEADING_BLOCK = re.compile(r"\A<(system|tools|response_format)>\n.*?\n</\1>(?:\n\n|\Z)", re.DOTALL)
_CONVERSATION = re.compile(r"\A<conversation>\n(.*?)\n</conversation>(?:\n\n|\Z)", re.DOTALL)
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
    if rest.strip() and not (messages and rest.strip() == CONTINUE):
        messages.append(HumanMessage(rest.strip()))
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


# --------------------------------------------------------------------------------------
# Attachments
# --------------------------------------------------------------------------------------

_DATA_URI = re.compile(
    r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(;[\w-]+=[^;,]*)*)(?P<b64>;base64)?,(?P<data>.*)$",
    re.DOTALL,
)


def attachment_from_block(
    block: Mapping[str, Any], existing: Sequence[Attachment] = ()
) -> Attachment:
    """An :class:`Attachment` from an OpenAI ``image_url`` part or a v1 ``image``/``file`` block.

    Raises:
        InvalidInputError: the block has no usable source, or bad base64.
    """
    block_type = block.get("type")
    kind: Literal["image", "file"] = "image" if block_type in ("image", "image_url") else "file"
    label = f"{kind} {sum(1 for a in existing if a.kind == kind) + 1}"
    mime = block.get("mime_type") if isinstance(block.get("mime_type"), str) else None
    filename = _filename_of(block)
    if block_type == "image_url":
        image_url = block.get("image_url")
        url = image_url.get("url") if isinstance(image_url, Mapping) else image_url
        if not isinstance(url, str) or not url:
            raise InvalidInputError("An image_url content part has no url.")
        return _from_url(kind, label, url, mime, filename)
    openai_file = block.get("file")
    if isinstance(openai_file, Mapping):  # OpenAI Chat Completions {"type": "file", "file": {...}}
        if isinstance(openai_file.get("file_id"), str):
            return Attachment(kind, label, asset_ref=openai_file["file_id"], filename=filename)
        data = openai_file.get("file_data")
        if isinstance(data, str):
            return (
                _from_url(kind, label, data, mime, filename)
                if data.startswith("data:")
                else Attachment(
                    kind, label, data=_decode_base64(data, kind), mime_type=mime, filename=filename
                )
            )
    if isinstance(block.get("file_id"), str) and block["file_id"]:
        return Attachment(
            kind, label, asset_ref=block["file_id"], mime_type=mime, filename=filename
        )
    if isinstance(block.get("base64"), str) and block["base64"]:
        return Attachment(
            kind,
            label,
            data=_decode_base64(block["base64"], kind),
            mime_type=mime,
            filename=filename,
        )
    if isinstance(block.get("url"), str) and block["url"]:
        return _from_url(kind, label, block["url"], mime, filename)
    if block.get("source_type") == "base64" and isinstance(block.get("data"), str):  # v0 blocks
        return Attachment(
            kind, label, data=_decode_base64(block["data"], kind), mime_type=mime, filename=filename
        )
    raise InvalidInputError(f"The {block_type} block has no base64, url or file_id to send.")


def _from_url(
    kind: Literal["image", "file"], label: str, url: str, mime: str | None, filename: str | None
) -> Attachment:
    match = _DATA_URI.match(url)
    if match:
        raw = match.group("data")
        data = _decode_base64(raw, kind) if match.group("b64") else _unquote_bytes(raw)
        return Attachment(
            kind, label, data=data, mime_type=match.group("mime") or mime, filename=filename
        )
    if not url.startswith(("http://", "https://")):
        raise InvalidInputError(
            f"Cannot fetch the {kind} at {url[:60]!r}: "
            "only http(s) URLs and data URIs are supported."
        )
    return Attachment(kind, label, url=url, mime_type=mime, filename=filename or _url_filename(url))


def _filename_of(block: Mapping[str, Any]) -> str | None:
    for source in (
        block,
        block.get("extras") or {},
        block.get("metadata") or {},
        block.get("file") or {},
    ):
        if isinstance(source, Mapping):
            for key in ("filename", "name", "title"):
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return None


def _url_filename(url: str) -> str | None:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if "." in tail else None


def _decode_base64(data: str, what: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError(f"The {what} content is not valid base64.") from None


def _unquote_bytes(data: str) -> bytes:
    from urllib.parse import unquote_to_bytes  # noqa: PLC0415

    return unquote_to_bytes(data)


# --------------------------------------------------------------------------------------
# Output: records -> messages
# --------------------------------------------------------------------------------------


def cut_at_stop(text: str, stop: Sequence[str] | None) -> tuple[str, str | None]:
    """``text`` up to the earliest stop sequence, and which one matched (``None``: none did)."""
    best: tuple[int, str] | None = None
    for sequence in stop or ():
        if sequence:
            index = text.find(sequence)
            if index != -1 and (best is None or index < best[0]):
                best = (index, sequence)
    return (text, None) if best is None else (text[: best[0]], best[1])


class StopFilter:
    """Incremental :func:`cut_at_stop` for streams.

    Text that could be the beginning of a stop sequence is held back until the next delta
    shows whether it is; once a sequence completes, everything after it is dropped and
    ``stopped`` becomes the sequence.
    """

    __slots__ = ("_held", "_longest", "_stop", "stopped")

    def __init__(self, stop: Sequence[str] | None) -> None:
        self._stop = [s for s in (stop or ()) if s]
        self._longest = max((len(s) for s in self._stop), default=0)
        self._held = ""
        self.stopped: str | None = None
        """The stop sequence that ended the stream, if one did."""

    def feed(self, delta: str) -> str:
        """The part of ``delta`` that is certainly before any stop sequence."""
        if self.stopped is not None:
            return ""
        if not self._stop:
            return delta
        text = self._held + delta
        cut, matched = cut_at_stop(text, self._stop)
        if matched is not None:
            self._held, self.stopped = "", matched
            return cut
        keep = self._partial_suffix(text)
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def flush(self) -> str:
        """What was held back, at the end of the stream."""
        held, self._held = self._held, ""
        return "" if self.stopped is not None else held

    def _partial_suffix(self, text: str) -> int:
        # Longest suffix of text that is a proper prefix of some stop sequence.
        for size in range(min(self._longest - 1, len(text)), 0, -1):
            tail = text[-size:]
            if any(s.startswith(tail) for s in self._stop):
                return size
        return 0


def usage_from_record(record: AIRecord) -> UsageMetadata | None:
    """Real token counts from the record, or ``None`` (never an estimate)."""
    counts = record.token_usage
    if counts is None:
        return None
    return UsageMetadata(input_tokens=counts[0], output_tokens=counts[1], total_tokens=counts[2])


def response_metadata(
    record: AIRecord | None, *, model: str, stop_sequence: str | None = None
) -> dict[str, Any]:
    """``response_metadata`` of a reply: what 1min.ai reported, and nothing invented."""
    metadata: dict[str, Any] = {"model_name": (record.model if record and record.model else model)}
    metadata["model_provider"] = PROVIDER
    if record is not None:
        extra = {
            "ai_record_id": record.uuid,
            "conversation_id": record.conversation_id,
            "status": record.status,
            "credits": record.credit,
            "created_at": record.created_at,
        }
        metadata.update({k: v for k, v in extra.items() if v is not None})
        counts = record.token_usage
        if counts is not None:
            metadata["token_usage"] = {
                "input_tokens": counts[0],
                "output_tokens": counts[1],
                "total_tokens": counts[2],
            }
    if stop_sequence is not None:
        metadata["stop_sequence"] = stop_sequence
    return metadata


def message_from_record(
    record: AIRecord, *, model: str, stop: Sequence[str] | None = None
) -> AIMessage:
    """The ``AIMessage`` of a non-streamed reply."""
    text, matched = cut_at_stop(record.text, stop)
    return AIMessage(
        content=text,
        id=record.uuid,
        response_metadata=response_metadata(record, model=model, stop_sequence=matched),
        usage_metadata=usage_from_record(record),
    )
