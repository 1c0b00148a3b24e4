"""The decisions behind ``OneMinAIClient`` (pure: no network I/O).

What an upload is called and typed, which URLs a result downloads from, where the next
page of a listing starts, which events of a stream stand for errors, and how errors are
scrubbed of the key: everything the client's sync and async twins share.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, TypedDict
from urllib.parse import quote, urljoin

from pydantic import SecretStr

from langchain_oneminai._transport import (
    HttpResponse,
    MultipartFile,
    PreparedRequest,
    RetryPolicy,
    TimeoutSpec,
)
from langchain_oneminai._wire import (
    AIRecord,
    ChatAttachments,
    ChatStreamEvent,
    StreamErrorEvent,
    StreamResult,
)
from langchain_oneminai.errors import (
    GenerationFailedError,
    InvalidInputError,
    NotFoundError,
    OneMinAIError,
    StreamError,
)


def api_key_from_env() -> SecretStr | None:
    """``ONEMINAI_API_KEY``, else ``ONE_MIN_API_KEY`` (the name other 1min.ai tools use)."""
    for name in ("ONEMINAI_API_KEY", "ONE_MIN_API_KEY"):
        key = normalized_key(os.environ.get(name))
        if key is not None:
            return key
    return None


def normalized_key(key: str | SecretStr | None) -> SecretStr | None:
    """The key with surrounding whitespace stripped (a pasted key often ends in a newline).

    What is left is checked at the first call (``_transport._http.key_problem``), never
    quoted; an empty key counts as none.
    """
    value = key.get_secret_value() if isinstance(key, SecretStr) else key
    if not value or not value.strip():
        return None
    return SecretStr(value.strip())


class ChatOptions(TypedDict, total=False):
    """Optional arguments of :meth:`OneMinAIClient.chat` and its streaming/async twins."""

    conversation_id: str | None
    """Continue this server-side conversation (``promptObject.conversationId``)."""
    attachments: ChatAttachments | Mapping[str, Sequence[str]] | None
    """Uploaded assets: ``{"images": [asset paths], "files": [file uuids]}``."""
    web_search: bool | None
    """Let the model search the web."""
    num_of_site: int | None
    """Sites web search reads."""
    max_word: int | None
    """Words web search extracts."""
    is_mixed: bool | None
    """Include other models' turns of the conversation in its history."""
    history_message_limit: int | None
    """How many past messages of the conversation the server feeds back."""
    with_memories: bool | None
    """Cross-conversation AI memory."""
    brand_voice_id: str | None
    """A brand voice to apply."""
    timeout: TimeoutSpec
    """Timeouts for this call."""


UPLOAD_CACHE_SIZE = 256
"""Uploads remembered per client (by content hash)."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
)


def sniff_mime_type(content: bytes) -> str | None:
    """The MIME type of common image, audio, video and PDF content, from its first bytes."""
    if content[:4] == b"RIFF" and content[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if content[8:12] == b"WEBP" else "audio/wav"
    if content[4:8] == b"ftyp":  # ISO base media: MP4, M4A, MOV
        brand = content[8:12]
        return "audio/mp4" if brand in (b"M4A ", b"M4B ") else "video/mp4"
    if content[:2] == b"\xff\xf1" or content[:2] == b"\xff\xf9":
        return "audio/aac"
    if content[:3] == b"\xff\xf3" or content[:3] == b"\xff\xf2":
        return "audio/mpeg"
    return next((mime for magic, mime in _MAGIC if content.startswith(magic)), None)


MediaKind = Literal["image", "audio", "video", "document"]
"""What a fetched input must be (``check_fetched_media``)."""

_KIND_PREFIXES: dict[str, tuple[str, ...]] = {
    "image": ("image/",),
    "audio": ("audio/", "video/"),  # MP4/WebM recordings are audio inputs too
    "video": ("video/",),
    "document": ("application/pdf", "text/", "application/"),
}


def check_media(content: bytes, source: str, kind: MediaKind | None, mime: str | None) -> bytes:
    """``content`` (from a URL or a file), once its first bytes show it is the ``kind`` expected.

    A URL can claim ``.png`` and serve an HTML page or a JSON document (a metadata
    endpoint), and a model can name any file; nothing is uploaded unless the bytes match.
    Unknown formats of a ``document`` pass, except HTML, which is never what a user meant to
    attach.

    Raises:
        InvalidInputError: the content is not that kind of media.
    """
    if kind is None:
        return content
    if not content:
        raise InvalidInputError(f"{source[:120]!r} is empty; nothing was uploaded.")
    sniffed = sniff_mime_type(content)
    head = content[:256].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
    if sniffed is not None and sniffed.startswith(_KIND_PREFIXES[kind]):
        return content
    if kind == "document" and sniffed is None and not looks_html:
        return content
    what = sniffed or ("an HTML page" if looks_html else "no known media format")
    claimed = f" (it claims {mime})" if mime else ""
    raise InvalidInputError(
        f"{source[:120]!r}{claimed} holds {what}, not {_article(kind)} {kind}; nothing was "
        "uploaded."
    )


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def multipart_for(content: bytes, *, filename: str | None, mime_type: str | None) -> MultipartFile:
    """The ``asset`` part of an upload, with a real name and type (§6.1).

    Raises:
        InvalidInputError: empty content, or no way to know its type.
    """
    if not content:
        raise InvalidInputError("Cannot upload an empty file.")
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    mime = mime_type or guessed or sniff_mime_type(content)
    if mime is None:
        raise InvalidInputError(
            f"Cannot tell the file type of {filename or 'these bytes'!r}; 1min.ai rejects files "
            "without a known extension. Pass filename='name.ext' or mime_type=."
        )
    name = Path(filename).name if filename else "upload"
    if not Path(name).suffix:
        extension = _EXTENSIONS.get(mime) or mimetypes.guess_extension(mime)
        if extension is None:
            raise InvalidInputError(
                f"No file extension is known for {mime!r}; pass a filename with one."
            )
        name += extension
    return MultipartFile("asset", name, content, mime)


_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "image/webp": ".webp",
}


def asset_url(key: str, asset_base_url: str) -> str:
    """``asset_base_url/<key>``, or ``key`` itself when it is already a URL (§9.1)."""
    if key.startswith(("http://", "https://")):
        return key
    return urljoin(asset_base_url.rstrip("/") + "/", quote(key.lstrip("/"), safe="/"))


def download_urls(ref: str | AIRecord, asset_base_url: str, *, index: int = 0) -> list[str]:
    """The URLs to try for a result asset, best first (pure)."""
    if isinstance(ref, AIRecord):
        keys = ref.result_strings
        if not keys or not (0 <= index < len(keys)):
            raise InvalidInputError(
                f"The record has no result #{index} to download (it has {len(keys)})."
            )
        urls = [ref.temporary_url] if index == 0 and ref.temporary_url else []
        return [*urls, asset_url(keys[index], asset_base_url)]
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInputError("Pass an asset key, a URL or a record to download.")
    return [asset_url(ref.strip(), asset_base_url)]


def no_download_error(ref: str | AIRecord, last: OneMinAIError | None) -> OneMinAIError:
    if last is None:  # pragma: no cover - download_urls never returns an empty list
        return InvalidInputError(f"Nothing to download for {ref!r}.")
    return last


def chat_attachments(
    value: ChatAttachments | Mapping[str, Sequence[str]] | None,
) -> ChatAttachments | None:
    if value is None or isinstance(value, ChatAttachments):
        return value
    unknown = set(value) - {"images", "files"}
    if unknown:
        raise InvalidInputError(f"attachments takes 'images' and 'files'; got {sorted(unknown)}.")
    return ChatAttachments(
        images=tuple(value.get("images", ())), files=tuple(value.get("files", ()))
    )


def checked_event(event: ChatStreamEvent, request: PreparedRequest) -> ChatStreamEvent:
    """The event, or the typed error it stands for (redacted: the server may echo the key)."""
    with scrubbed(request):
        if isinstance(event, StreamErrorEvent):
            raise StreamError(
                f"1min.ai reported an error in the middle of the stream: {event.message}. "
                "The text received before it was delivered; try again.",
                api_message=event.message,
                method=request.method,
                path=request.path,
            )
        if isinstance(event, StreamResult):
            successful_record(event.record, request)
    return event


def successful_record(record: AIRecord, request: PreparedRequest) -> AIRecord:
    if record.failed:
        reason = record.failure_message or "no reason given"
        raise GenerationFailedError(
            f"1min.ai could not complete the {record.type or 'request'} "
            f"with {record.model or request.model}: "
            f"{reason} (aiRecord.status={record.status}). Try again, or another model.",
            api_message=record.failure_message,
            body={"aiRecord": {"uuid": record.uuid, "status": record.status}},
            method=request.method,
            path=request.path,
        )
    return record


def content_type_of(response: HttpResponse) -> str | None:
    headers = response.headers
    return headers.get("Content-Type") or headers.get("content-type")


def read_file(file: str | os.PathLike[str] | bytes | IO[bytes]) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        if not path.is_file():
            raise InvalidInputError(f"No such file to upload: {str(path)!r}.")
        return path.read_bytes()
    if hasattr(file, "read"):
        data = file.read()
        if not isinstance(data, bytes):
            raise InvalidInputError("File objects must be opened in binary mode ('rb').")
        return data
    raise InvalidInputError(
        f"Cannot upload a {type(file).__name__}; pass a path, bytes or a binary file."
    )


def file_name_of(file: object) -> str | None:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    name = getattr(file, "name", None)
    return Path(name).name if isinstance(name, str) else None


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@contextlib.contextmanager
def scrubbed(request: PreparedRequest) -> Iterator[None]:
    """Redact the request's key from any error raised inside (a server may echo it)."""
    try:
        yield
    except OneMinAIError as error:
        raise error.redact(request.secrets) from error.__cause__


@contextlib.contextmanager
def ignore_not_found(missing_ok: bool) -> Iterator[None]:
    try:
        yield
    except NotFoundError:
        if not missing_ok:
            raise


def policy_fields(policy: RetryPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in policy.__dataclass_fields__}
