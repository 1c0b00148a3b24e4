"""What a file is, by its first bytes (pure): uploads are named and typed, inputs checked."""

from __future__ import annotations

from typing import Literal

from langchain_oneminai.errors import InvalidInputError

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
"""What a fetched input must be (``check_media``)."""

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
