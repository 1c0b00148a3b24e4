"""1min.ai media records -> tool content and artifacts (pure).

The shells in ``tools.py`` call the API, download and save; everything they decide goes
through here::

    aiRecord ──▶ result_files()        keys + download URLs (temporaryUrl first,
    wire.md#asset-downloads)
             ──▶ (shell: download, save under save_dir)
             ──▶ media_file()           {url, asset_key, mime_type, data | path}
             ──▶ image_content() / speech_content()   what the model reads
    aiRecord ──▶ transcript_from_result()            every wire.md#transcript-response transcript
    shape
    aiRecord ──▶ result_kind()          what the result is (image, video, audio, 3d, or text)
             ──▶ files_content()        one line naming the files (video, audio, 3D)
"""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, TypedDict
from urllib.parse import urlsplit

from langchain_oneminai._wire import AIRecord
from langchain_oneminai.client._assets import asset_url
from langchain_oneminai.client._media_types import sniff_mime_type
from langchain_oneminai.errors import ResponseError

__all__ = [
    "FeatureArtifact",
    "ImageArtifact",
    "MediaFile",
    "ResultFile",
    "SpeechArtifact",
    "file_name",
    "files_content",
    "image_content",
    "media_file",
    "numbered",
    "result_files",
    "result_kind",
    "speech_content",
    "transcript_from_result",
    "url_file_name",
]


class MediaFile(TypedDict):
    """One result file, as the artifacts carry it."""

    url: str
    """Where it downloads from: the record's ``temporaryUrl`` (first file) or
    ``asset_base_url/<key>``."""
    asset_key: str
    """The 1min.ai asset key (``images/…``), reusable as an input (``imageUrl``)."""
    mime_type: str | None
    """Its MIME type, from its bytes or its name."""
    data: bytes | None
    """The bytes, when downloaded and not saved (``save_dir`` unset)."""
    path: str | None
    """The local file it was saved to (``save_dir`` set)."""


class ImageArtifact(TypedDict):
    """The artifact of the image tools."""

    feature: str
    """``IMAGE_GENERATOR``, ``IMAGE_EDITOR`` or ``IMAGE_VARIATOR``."""
    model: str
    """The model that ran."""
    record_id: str | None
    """``aiRecord.uuid``."""
    prompt_object: dict[str, Any]
    """The ``promptObject`` that was sent."""
    images: list[MediaFile]
    """Every image, in the order 1min.ai returned them."""


class SpeechArtifact(MediaFile):
    """The artifact of the text-to-speech tool: the audio file and its record."""

    model: str
    """The model that ran."""
    record_id: str | None
    """``aiRecord.uuid``."""
    prompt_object: dict[str, Any]
    """The ``promptObject`` that was sent."""


class FeatureArtifact(TypedDict):
    """The artifact of the feature tools (video, music, sound, voice, text, the generic tool)."""

    feature: str
    """The feature type that ran, e.g. ``TEXT_TO_VIDEO``."""
    model: str
    """The model that ran."""
    record_id: str | None
    """``aiRecord.uuid``."""
    prompt_object: dict[str, Any]
    """The ``promptObject`` that was sent (uploaded inputs as their asset keys)."""
    files: list[MediaFile]
    """The result files, in the order 1min.ai returned them (empty for a text result)."""
    text: str | None
    """The text result (writing, code, transcripts...), or ``None`` for files."""


@dataclass(frozen=True, slots=True)
class ResultFile:
    """A result asset before download."""

    index: int
    """Its position in ``resultObject``."""
    key: str
    """The asset key (or a full URL, when the provider returned one)."""
    url: str
    """The URL to show and fetch first."""


def result_files(record: AIRecord, asset_base_url: str, what: str = "file") -> list[ResultFile]:
    """The result assets of a record; the first prefers ``temporaryUrl`` (wire.md#asset-downloads).

    Raises:
        ResponseError: a successful record without any result key.
    """
    keys = record.result_strings
    if not keys:
        raise ResponseError(
            f"1min.ai reported success but returned no {what} "
            f"(record {record.uuid}, model {record.model}). Try again."
        )
    return [
        ResultFile(
            index,
            key,
            record.temporary_url
            if index == 0 and record.temporary_url
            else asset_url(key, asset_base_url),
        )
        for index, key in enumerate(keys)
    ]


def url_file_name(url: str) -> str | None:
    """The last path segment of a URL or key, if it has a name with an extension."""
    name = PurePosixPath(urlsplit(url).path).name
    return name if name and PurePosixPath(name).suffix else None


_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')
_MAX_NAME = 120


def file_name(key: str, mime_type: str | None, fallback: str) -> str:
    """A safe local file name for an asset (pure; never raises).

    Its key's last segment, else ``fallback``, plus an extension from the MIME type when it
    has none. Whatever a server put in the key, the name is one plain segment: control
    characters (NUL included), separators and reserved characters become ``_``, it never
    starts with a dot, and it is at most 120 characters.
    """
    name = _UNSAFE_IN_NAMES.sub("_", PurePosixPath(urlsplit(key).path).name).strip(" ._")
    if not name:
        name = _UNSAFE_IN_NAMES.sub("_", fallback).strip(" ._") or "result"
    suffix = PurePosixPath(name).suffix
    if not suffix and mime_type:
        suffix = mimetypes.guess_extension(mime_type) or ""
        name += suffix
    if len(name) > _MAX_NAME:
        keep = _MAX_NAME - len(suffix[:16])
        name = name[:keep] + suffix[:16]
    return name


def numbered(name: str, attempt: int) -> str:
    """``name`` for the ``attempt``-th try at a free file name: ``a.png``, ``a-1.png``, ..."""
    if attempt == 0:
        return name
    path = PurePosixPath(name)
    return f"{path.stem}-{attempt}{path.suffix}"


def mime_type_of(key: str, data: bytes | None) -> str | None:
    """The MIME type of a result: sniffed from its bytes, else guessed from its name."""
    sniffed = sniff_mime_type(data) if data else None
    return sniffed or mimetypes.guess_type(PurePosixPath(urlsplit(key).path).name)[0]


def media_file(file: ResultFile, data: bytes | None, path: str | None) -> MediaFile:
    """The artifact entry of a result file: its bytes, or the path they were saved to."""
    return MediaFile(
        url=file.url,
        asset_key=file.key,
        mime_type=mime_type_of(file.key, data),
        data=None if path is not None else data,
        path=path,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_IMAGE_ACTIONS = {
    "IMAGE_EDITOR": "Edited the image",
    "BACKGROUND_REMOVER": "Removed the background",
    "BACKGROUND_REPLACER": "Replaced the background",
    "IMAGE_UPSCALER": "Upscaled the image",
    "IMAGE_OBJECT_REMOVER": "Removed the masked object",
    "IMAGE_EXTENDER": "Extended the image",
    "IMAGE_INPAINTER": "Repainted the masked area",
    "SEARCH_AND_REPLACE": "Replaced the object",
    "SKETCH_TO_IMAGE": "Turned the sketch into an image",
    "FACE_SWAPPER": "Swapped the face",
}


def image_content(feature: str, model: str, files: list[MediaFile]) -> list[str | dict[str, Any]]:
    """A one-line text description, then one ``image`` block per image."""
    urls = " ".join(f["url"] for f in files)
    saved = [f["path"] for f in files if f["path"]]
    where = f" (saved to {', '.join(saved)})" if saved else ""
    count = len(files)
    if feature == "IMAGE_VARIATOR":
        text = f"Made {_plural(count, 'variation')} of the image with {model}: {urls}"
    elif feature in _IMAGE_ACTIONS:
        text = f"{_IMAGE_ACTIONS[feature]} with {model} ({_plural(count, 'image')}): {urls}"
    else:
        text = f"Generated {_plural(count, 'image')} with {model}: {urls}"
    text += where
    blocks: list[str | dict[str, Any]] = [{"type": "text", "text": text}]
    for file in files:
        block: dict[str, Any] = {"type": "image", "url": file["url"]}
        if file["mime_type"]:
            block["mime_type"] = file["mime_type"]
        blocks.append(block)
    return blocks


def speech_content(model: str, voice: str | None, file: MediaFile) -> str:
    """One line naming the audio file and its URL.

    Text, not an ``audio`` block: those are stringified in a ``ToolMessage``
    (LangChain renders non-text blocks of a tool message as text).
    """
    kind = f" {file['mime_type']}" if file["mime_type"] else ""
    spoken = f"{model}, voice {voice}" if voice else model
    saved = f" (saved to {file['path']})" if file["path"] else ""
    return f"Generated{kind} speech ({spoken}): {file['url']}{saved}"


def transcript_from_result(result: Any) -> str:
    """The transcript, from any wire.md#transcript-response shape of ``resultObject``.

    ``["text"]``, ``"text"``, or a JSON string (or object) with a ``text`` field, as
    whisper's ``json``/``verbose_json`` formats give.
    """
    if isinstance(result, list):
        text = "\n".join(item for item in result if isinstance(item, str))
    elif isinstance(result, str):
        text = result
    elif isinstance(result, dict):
        value = result.get("text")
        return value if isinstance(value, str) else ""
    else:
        return ""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            decoded = json.loads(stripped)
        except ValueError:
            return text
        if isinstance(decoded, dict) and isinstance(decoded.get("text"), str):
            return str(decoded["text"])
    return text


_PREFIX_KINDS = (("images/", "image"), ("audios/", "audio"), ("videos/", "video"))
_EXTENSION_KINDS = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".webp", ".gif"), "image"),
    **dict.fromkeys((".mp3", ".wav", ".m4a", ".ogg", ".flac", ".aac", ".opus"), "audio"),
    **dict.fromkeys((".mp4", ".webm", ".mov"), "video"),
    **dict.fromkeys((".glb", ".gltf", ".obj", ".fbx", ".stl", ".ply", ".usdz"), "3d"),
}
_FILE_KINDS = frozenset({"image", "video", "audio", "3d"})


def _kind_of(item: str) -> str | None:
    path = urlsplit(item).path if item.startswith(("http://", "https://")) else item
    if any(c.isspace() for c in item.strip()):
        return None
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in _EXTENSION_KINDS:
        return _EXTENSION_KINDS[suffix]
    relative = path.lstrip("/").removeprefix("development/")
    return next((kind for prefix, kind in _PREFIX_KINDS if relative.startswith(prefix)), None)


def result_kind(record: AIRecord, expected: str | None) -> str | None:
    """What to fetch: ``expected`` (a file kind), or, for ``"auto"``, what the result looks like.

    ``"auto"`` (the generic tool) reads the result strings: asset keys (``images/``,
    ``audios/``, ``videos/``) or names and URLs with a media extension (``.glb``/``.obj``...
    are 3D) are files of that kind; anything else is text (``None``). The
    wire.md#features-envelope result is asset keys or text.
    """
    if expected != "auto":
        return expected if expected in _FILE_KINDS else None
    items = record.result_strings
    kinds = {_kind_of(item) for item in items}
    if not items or None in kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else "file"


_NOUNS = {
    "image": "image",
    "video": "video",
    "audio": "audio file",
    "3d": "3D model",
    "file": "file",
}


def files_content(kind: str, model: str, files: list[MediaFile], what: str | None = None) -> str:
    """One line naming the result files, their URLs and where they were saved.

    ``what`` names the result (``"music"``, ``"a sound effect"``...) instead of the kind.
    """
    urls = " ".join(f["url"] for f in files)
    saved = [f["path"] for f in files if f["path"]]
    where = f" (saved to {', '.join(saved)})" if saved else ""
    noun = what or _plural(len(files), _NOUNS.get(kind, "file"))
    return f"Generated {noun} with {model}: {urls}{where}"
