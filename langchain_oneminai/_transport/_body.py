"""Bodies on the wire (pure): the multipart upload out, bounded decoding of what comes in.

Both shells read the raw bytes of every response (``requests`` with ``decode_content=False``,
``aiohttp`` with ``auto_decompress=False``) and hand them to one ``BodyDecoder``, so that:

* ``Content-Encoding: gzip``/``deflate`` is undone here, incrementally, identically for sync
  and async, streams included (``requests`` alone would cut a gzip stream at its first read);
* the decoded size is capped *as it is decoded*: a 2 MB gzip bomb or a body that never ends
  stops at the limit with a typed ``ResponseTooLargeError`` (or, for an error body, is just
  cut), never at gigabytes of memory.

``encode_multipart`` builds the one ``multipart/form-data`` body both shells send, so the
bytes of an upload do not depend on the HTTP library.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from langchain_oneminai.errors import ResponseError, ResponseTooLargeError

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Decoded size of an API answer (JSON, error body or stream) beyond which reading stops.

1min.ai's largest real answers are chat records of a long reply plus its echoed prompt, and
model catalogs: a few megabytes. 64 MiB leaves ample room (the stream of a 50 MB reply fits).
"""
DEFAULT_MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024
"""Decoded size of a downloaded file (a result, or an input fetched to be uploaded)."""
MAX_ERROR_BODY_BYTES = 1024 * 1024
"""Decoded bytes of an error body that are read; the rest is dropped (errors keep 2,000)."""
PIECE_SIZE = 64 * 1024
"""Largest piece of decoded bytes produced at once (keeps the stream decoder's copies small)."""

ACCEPT_ENCODING = "gzip, deflate"
"""What the client advertises: only the codings this module decodes."""


_Corrupt = Callable[[str], ResponseError]


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"


class BodyDecoder:
    """Raw response bytes in, decoded bytes out, never more than ``limit`` (pure).

    Args:
        content_encoding: The response's ``Content-Encoding`` (``None``: identity).
        limit: The most decoded bytes accepted.
        what: The request, for messages (e.g. ``POST /api/chat-with-ai``).
        truncate: Stop quietly at the limit (for error bodies) instead of raising;
            ``full`` then says that nothing more is wanted.
        setting: The client setting that raises the limit, for the message.

    Raises:
        ResponseError: a coding this client did not ask for (``br``, ``zstd``...).
    """

    __slots__ = ("_decompressor", "_limit", "_setting", "_size", "_truncate", "_what", "full")

    def __init__(
        self,
        content_encoding: str | None,
        limit: int,
        *,
        what: str,
        truncate: bool = False,
        setting: str = "max_response_bytes",
    ) -> None:
        self._limit = limit
        self._what = what
        self._truncate = truncate
        self._setting = setting
        self._size = 0
        self.full = False
        """Whether the limit was reached (``truncate`` mode): stop reading."""
        coding = (content_encoding or "identity").strip().lower()
        self._decompressor: _Inflater | None = None
        if coding in ("gzip", "x-gzip"):
            self._decompressor = _Inflater(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._decompressor = _Inflater(zlib.MAX_WBITS, raw_fallback=True)
        elif coding not in ("identity", ""):
            raise ResponseError(
                f"1min.ai answered {what} with Content-Encoding {coding!r}, which this client "
                "did not ask for and cannot decode (it accepts gzip and deflate)."
            )

    @property
    def size(self) -> int:
        """Decoded bytes produced so far."""
        return self._size

    def feed(self, raw: bytes) -> list[bytes]:
        """Decode the next raw bytes; pieces of at most ``PIECE_SIZE`` bytes.

        Raises:
            ResponseTooLargeError: the decoded body passed the limit (not in ``truncate`` mode).
            ResponseError: the compressed data is corrupt.
        """
        if self.full or not raw:
            return []
        if self._decompressor is None:
            return self._admit([raw[i : i + PIECE_SIZE] for i in range(0, len(raw), PIECE_SIZE)])
        return self._admit(self._decompressor.feed(raw, self._room(), self._corrupt))

    def close(self) -> list[bytes]:
        """The end of the raw body: whatever the decompressor still holds.

        Raises:
            ResponseError: the compressed data ended in the middle.
        """
        if self._decompressor is None or self.full:
            return []
        return self._admit(self._decompressor.flush(self._room(), self._corrupt))

    def _room(self) -> int:
        # One byte past the limit tells "exactly at the limit" from "over it".
        return self._limit - self._size + 1

    def _admit(self, pieces: list[bytes]) -> list[bytes]:
        kept: list[bytes] = []
        for piece in pieces:
            if self._size + len(piece) > self._limit:
                if not self._truncate:
                    raise ResponseTooLargeError(
                        f"1min.ai's answer to {self._what} is larger than "
                        f"{_human(self._limit)} ({self._setting}); reading stopped there. "
                        f"If such answers are expected, raise {self._setting} on the "
                        "OneMinAIClient."
                    )
                kept.append(piece[: self._limit - self._size])
                self._size = self._limit
                self.full = True
                break
            self._size += len(piece)
            kept.append(piece)
        return kept

    def _corrupt(self, detail: str) -> ResponseError:
        return ResponseError(
            f"1min.ai's compressed answer to {self._what} is corrupt ({detail}); try again."
        )


class _Inflater:
    """zlib decompression in bounded steps: no step produces more than it is allowed."""

    __slots__ = ("_object", "_raw_fallback", "_started")

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._object = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is sometimes sent without its zlib header
        self._started = False

    def feed(self, data: bytes, room: int, corrupt: _Corrupt) -> list[bytes]:
        pieces: list[bytes] = []
        pending = data
        while pending and room > 0:
            try:
                out = self._object.decompress(pending, min(PIECE_SIZE, room))
            except zlib.error as error:
                if self._raw_fallback and not self._started:
                    self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._raw_fallback = False
                    continue
                raise corrupt(str(error)) from None
            self._started = True
            pending = self._object.unconsumed_tail
            if out:
                pieces.append(out)
                room -= len(out)
            if self._object.eof:
                break
            if not out and not pending:
                break
        # Stopped with input left only when ``room`` bytes came out: the caller's limit check
        # then fires (room is one past the limit).
        return pieces

    def flush(self, room: int, corrupt: _Corrupt) -> list[bytes]:
        if not self._started:
            return []
        try:
            out = self._object.flush(max(room, 1))
        except zlib.error as error:
            raise corrupt(str(error)) from None
        if not self._object.eof:
            raise corrupt("the data ended before the end of the compressed stream")
        return [out] if out else []


@dataclass(frozen=True, slots=True)
class MultipartFile:
    """One file part of a ``multipart/form-data`` body."""

    field_name: str
    """The form field (``asset`` for uploads, wire.md#assets)."""
    filename: str
    """A real file name with an extension: the server sniffs by extension (wire.md#assets)."""
    content: bytes
    """The file's bytes."""
    content_type: str
    """The part's MIME type (always sent: see wire.md#assets)."""


def _quoted(value: str) -> str:
    # HTML5 form encoding (what browsers and urllib3 send): UTF-8, with ", CR and LF escaped.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode_multipart(part: MultipartFile, boundary: str) -> tuple[bytes, str]:
    """The body and ``Content-Type`` of a one-file ``multipart/form-data`` upload (pure)."""
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{_quoted(part.field_name)}"; '
        f'filename="{_quoted(part.filename)}"\r\n'
        f"Content-Type: {part.content_type}\r\n\r\n"
    ).encode()
    body = b"".join((head, part.content, f"\r\n--{boundary}--\r\n".encode()))
    return body, f"multipart/form-data; boundary={boundary}"
