"""Files in and out: uploads and downloads.

Uploads (``POST /api/assets``, wire.md#assets), each distinct file once per client; downloads of
results and of inputs given by URL (wire.md#asset-downloads), checked by the transport.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
from pathlib import Path
from typing import IO
from urllib.parse import quote, urljoin

from langchain_oneminai._transport import (
    MultipartFile,
    PreparedRequest,
    TimeoutSpec,
    build_download_request,
)
from langchain_oneminai._wire import AIRecord, UploadedAsset, parse_uploaded_asset
from langchain_oneminai.client._base import ClientBase, _Call
from langchain_oneminai.client._media_types import MediaKind, check_media, sniff_mime_type
from langchain_oneminai.errors import APIStatusError, InvalidInputError, OneMinAIError

UPLOAD_CACHE_SIZE = 256
"""Uploads remembered per client (by content hash)."""


def multipart_for(content: bytes, *, filename: str | None, mime_type: str | None) -> MultipartFile:
    """The ``asset`` part of an upload, with a real name and type (wire.md#upload-request).

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
    """``asset_base_url/<key>``, or ``key`` itself when it is already a URL.

    Sources: wire.md#asset-downloads.
    """
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


class AssetsResource(ClientBase):
    """Upload files, download results."""

    def upload_asset(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> UploadedAsset:
        """Upload a file (``POST /api/assets``, multipart field ``asset``).

        Use ``.path`` of the result for images and audio (``attachments.images``,
        ``imageUrl``, ``audioUrl``) and ``.file_id`` for documents (``attachments.files``).

        Args:
            file: A local path, the bytes, or a binary file object.
            filename: The name to send; it must end in an extension (the server sniffs by
                it). Defaults to the path's name, or one derived from the content.
            mime_type: The part's MIME type. Defaults to a guess from the name or content.

        Raises:
            InvalidInputError: the type cannot be determined, or the file cannot be read.
        """
        content = read_file(file)
        return self._run(self._upload_call(content, filename or file_name_of(file), mime_type))

    async def aupload_asset(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> UploadedAsset:
        """Async :meth:`upload_asset` (the local file is read in a worker thread)."""
        content = await asyncio.to_thread(read_file, file)
        return await self._arun(
            self._upload_call(content, filename or file_name_of(file), mime_type)
        )

    def upload_cached(
        self, content: bytes, *, filename: str | None = None, mime_type: str | None = None
    ) -> UploadedAsset:
        """:meth:`upload_asset`, unless the same bytes were uploaded by this client already."""
        digest = content_key(content)
        cached = self._uploads.get(digest)
        if cached is None:
            cached = self._remember_upload(
                digest, self.upload_asset(content, filename=filename, mime_type=mime_type)
            )
        return cached

    async def aupload_cached(
        self, content: bytes, *, filename: str | None = None, mime_type: str | None = None
    ) -> UploadedAsset:
        """Async :meth:`upload_cached`."""
        digest = content_key(content)
        cached = self._uploads.get(digest)
        if cached is None:
            uploaded = await self.aupload_asset(content, filename=filename, mime_type=mime_type)
            cached = self._remember_upload(digest, uploaded)
        return cached

    def upload_url_cached(
        self,
        url: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        kind: MediaKind | None = None,
    ) -> UploadedAsset:
        """Fetch ``url`` and upload its content, unless this client did so already.

        1min.ai is not known to fetch external URLs itself (wire.md#images-in-chat), so
        images given by URL are re-uploaded, as the relays do. The URL must not lead to an
        internal address (see ``allow_private_urls``), and with ``kind`` what it served must
        be that kind of media by its first bytes, before anything is uploaded.

        Raises:
            URLNotAllowedError: the URL (or a redirect) leads where it may not.
            InvalidInputError: the content is not the ``kind`` of media it should be.
        """
        key = f"url:{url}"
        cached = self._uploads.get(key)
        if cached is None:
            content = check_media(self.download(url), url, kind, mime_type)
            cached = self._remember_upload(
                key, self.upload_cached(content, filename=filename, mime_type=mime_type)
            )
        return cached

    async def aupload_url_cached(
        self,
        url: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        kind: MediaKind | None = None,
    ) -> UploadedAsset:
        """Async :meth:`upload_url_cached`."""
        key = f"url:{url}"
        cached = self._uploads.get(key)
        if cached is None:
            content = check_media(await self.adownload(url), url, kind, mime_type)
            uploaded = await self.aupload_cached(content, filename=filename, mime_type=mime_type)
            cached = self._remember_upload(key, uploaded)
        return cached

    def _remember_upload(self, digest: str, asset: UploadedAsset) -> UploadedAsset:
        with self._uploads_lock:
            if len(self._uploads) >= UPLOAD_CACHE_SIZE:  # bounded: drop the oldest
                self._uploads.pop(next(iter(self._uploads)))
            self._uploads[digest] = asset
        return asset

    def _upload_call(
        self, content: bytes, filename: str | None, mime_type: str | None
    ) -> _Call[UploadedAsset]:
        part = multipart_for(content, filename=filename, mime_type=mime_type)
        request = self._request("assets", multipart=part)
        # An upload is free, but it only serves a billed call, which a spent budget refuses.
        self._budget.check(f"the upload of {filename or 'a file'}")
        return _Call(request, parse_uploaded_asset)

    def download(
        self, ref: str | AIRecord, *, index: int = 0, timeout: TimeoutSpec = None
    ) -> bytes:
        """The bytes of a result asset.

        Args:
            ref: An asset key (``images/…``), a full URL, or a record (its ``index``-th
                result; its ``temporaryUrl`` is preferred for the first one).
            index: Which result of a record.
            timeout: Timeouts for this download.

        Tries, in order: the record's ``temporaryUrl``, then ``asset_base_url/<key>``
        (full URLs are used as they are); the last failure is raised.
        """
        last: OneMinAIError | None = None
        for url in download_urls(ref, self.asset_base_url, index=index):
            try:
                return self._sync.request(self._download_request(url, timeout)).body or b""
            except APIStatusError as error:
                last = error
        raise no_download_error(ref, last)

    async def adownload(
        self, ref: str | AIRecord, *, index: int = 0, timeout: TimeoutSpec = None
    ) -> bytes:
        """Async :meth:`download`."""
        last: OneMinAIError | None = None
        for url in download_urls(ref, self.asset_base_url, index=index):
            try:
                return (await self._async.request(self._download_request(url, timeout))).body or b""
            except APIStatusError as error:
                last = error
        raise no_download_error(ref, last)

    def asset_url(self, key: str) -> str:
        """The download URL of an asset key (full URLs are returned as they are)."""
        return asset_url(key, self.asset_base_url)

    def _download_request(self, url: str, timeout: TimeoutSpec) -> PreparedRequest:
        return build_download_request(self._config, url, timeouts=self._timeouts(timeout))
