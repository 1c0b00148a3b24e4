"""Images and documents in messages -> ``Attachment``s the chat model uploads (pure).

Every content-block spelling LangChain users write is read: OpenAI's ``image_url`` parts
(URLs and data URIs), v1 ``image``/``file`` blocks (``base64``, ``url``, ``file_id``), OpenAI's
``{"type": "file", "file": {...}}`` and v0 ``source_type="base64"`` blocks. 1min.ai takes only
uploaded assets (wire.md#images-in-chat): inline data is uploaded as it is, a URL is fetched
and re-uploaded (by the client, checked: wire.md#asset-downloads), an asset id is sent as it is.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_to_bytes

from langchain_oneminai.errors import InvalidInputError


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
    """A URL to fetch and re-upload (the server is not known to fetch URLs,
    wire.md#images-in-chat)."""
    asset_ref: str | None = None
    """An already-uploaded asset path (images) or file uuid (files): sent as is."""
    mime_type: str | None = None
    """The MIME type, when known."""
    filename: str | None = None
    """A file name, when known."""


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
                    kind, label, data=decode_base64(data, kind), mime_type=mime, filename=filename
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
            data=decode_base64(block["base64"], kind),
            mime_type=mime,
            filename=filename,
        )
    if isinstance(block.get("url"), str) and block["url"]:
        return _from_url(kind, label, block["url"], mime, filename)
    if block.get("source_type") == "base64" and isinstance(block.get("data"), str):  # v0 blocks
        return Attachment(
            kind, label, data=decode_base64(block["data"], kind), mime_type=mime, filename=filename
        )
    raise InvalidInputError(f"The {block_type} block has no base64, url or file_id to send.")


def _from_url(
    kind: Literal["image", "file"], label: str, url: str, mime: str | None, filename: str | None
) -> Attachment:
    match = _DATA_URI.match(url)
    if match:
        raw = match.group("data")
        data = decode_base64(raw, kind) if match.group("b64") else unquote_to_bytes(raw)
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


def decode_base64(data: str, what: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError(f"The {what} content is not valid base64.") from None
