"""The shared half of the media tools: configuration, the lazy client, and the I/O shells.

``MediaConfig`` is the shared ``ClientConfig`` (the connection fields every component has,
and one ``OneMinAIClient`` built lazily at the first call: no I/O at construction) plus
``save_dir`` and ``download``. ``MediaTool`` adds what all four tools do the same way: download
results (``temporaryUrl`` first), save them under ``save_dir``, and turn every
``OneMinAIError`` into a ``ToolException`` whose ``__cause__`` is the typed error.
The shells only move bytes; every decision is in ``_media_params`` / ``_media_results``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel

from langchain_oneminai import _media_params as params
from langchain_oneminai import _media_results as results
from langchain_oneminai._config import ClientConfig
from langchain_oneminai._media_schemas import ImageEditInput, ImageGenerationInput
from langchain_oneminai._transport import TimeoutSpec
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.errors import OneMinAIError

GENERATION_TIMEOUT = 300.0
"""Read timeout (seconds of silence) of the generation call unless ``timeout`` is set:
images can take 90 s and more (reference §8.1), far beyond the client's 120 s default."""

_Args = TypeVar("_Args", bound=BaseModel)


class MediaConfig(ClientConfig):
    """The shared connection fields, plus where and whether media results are saved.

    With ``timeout`` unset, generation calls allow 300 s of silence
    (``GENERATION_TIMEOUT``); uploads and downloads use the client's default.
    """

    save_dir: str | Path | None = None
    """Save result files here (created if needed) and put their paths in the artifact
    instead of their bytes."""

    download: bool = True
    """Fetch result files right away (``temporaryUrl`` expires); ``False``: URLs and keys only."""

    def _generation_timeout(self) -> TimeoutSpec:
        return self.request_timeout if self.request_timeout is not None else GENERATION_TIMEOUT

    def _shared(self) -> dict[str, Any]:
        """Constructor arguments that put another component on this one's client."""
        return {
            "client": self._client(),
            "timeout": self.request_timeout,
            "save_dir": self.save_dir,
            "download": self.download,
        }


class MediaTool(MediaConfig, BaseTool):
    """Base of the media tools: configuration, errors, downloads."""

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    """``(content, artifact)``: the model reads the content; the artifact carries the files."""

    @property
    def lc_secrets(self) -> dict[str, str]:
        """The key is serialised as a reference to its environment variable, never its value."""
        return {"oneminai_api_key": "ONEMINAI_API_KEY"}

    def _fetch(self, record: AIRecord, what: str) -> list[results.MediaFile]:
        client = self._client()
        files = results.result_files(record, client.asset_base_url, what)
        fetched = []
        for file in files:
            data = None
            if self.download:
                data = client.download(record, index=file.index, timeout=self.request_timeout)
            fetched.append(
                results.media_file(file, data, save_file(self.save_dir, file, data, record))
            )
        return fetched

    async def _afetch(self, record: AIRecord, what: str) -> list[results.MediaFile]:
        client = self._client()
        files = results.result_files(record, client.asset_base_url, what)
        fetched = []
        for file in files:
            data = None
            if self.download:
                data = await client.adownload(
                    record, index=file.index, timeout=self.request_timeout
                )
            path = await asyncio.to_thread(save_file, self.save_dir, file, data, record)
            fetched.append(results.media_file(file, data, path))
        return fetched


def save_file(
    save_dir: str | Path | None, file: results.ResultFile, data: bytes | None, record: AIRecord
) -> str | None:
    """Write a downloaded file under ``save_dir``; its path, or ``None`` when not saved."""
    if save_dir is None or data is None:
        return None
    fallback = f"{record.uuid or 'result'}-{file.index}"
    name = results.file_name(file.key, results.mime_type_of(file.key, data), fallback)
    directory = Path(save_dir).expanduser()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(data)
    return str(path)


@contextlib.contextmanager
def as_tool_errors() -> Iterator[None]:
    """Turn our errors into ``ToolException`` (the typed error stays as ``__cause__``)."""
    try:
        yield
    except OneMinAIError as error:
        raise ToolException(str(error)) from error
    except OSError as error:
        raise ToolException(f"Could not read or write a local file: {error}") from error


def tool_arguments(schema: type[_Args], args: tuple[Any, ...], kwargs: dict[str, Any]) -> _Args:
    """The call's arguments with the schema's defaults (a lone string fills the first field)."""
    if args:
        kwargs = {next(iter(schema.model_fields)): args[0], **kwargs}
    return schema.model_validate(kwargs)


def is_local_file(value: str) -> bool:
    if value.startswith(("http://", "https://")):
        return False
    try:
        return Path(value).expanduser().is_file()
    except (OSError, ValueError):
        return False


def upload_source(client: OneMinAIClient, source: params.MediaSource) -> str:
    """The asset key of an input: as given, or after uploading it (each file once)."""
    if source.kind == "asset":
        return source.value
    if source.kind == "url":
        name = results.url_file_name(source.value)
        return client.upload_url_cached(source.value, filename=name).path
    content, name = read_local_file(source.value)
    return client.upload_cached(content, filename=name).path


async def aupload_source(client: OneMinAIClient, source: params.MediaSource) -> str:
    if source.kind == "asset":
        return source.value
    if source.kind == "url":
        name = results.url_file_name(source.value)
        return (await client.aupload_url_cached(source.value, filename=name)).path
    content, name = await asyncio.to_thread(read_local_file, source.value)
    return (await client.aupload_cached(content, filename=name)).path


def read_local_file(value: str) -> tuple[bytes, str]:
    """The bytes and the file name of a local input file."""
    path = Path(value).expanduser()
    return path.read_bytes(), path.name


def image_options(args: ImageGenerationInput | ImageEditInput) -> params.ImageOptions:
    return params.ImageOptions(
        n=args.n,
        size=args.size,
        aspect_ratio=args.aspect_ratio,
        quality=args.quality,
        style=getattr(args, "style", None),
        output_format=args.output_format,
        extras=args.extras or {},
    )


def image_result(
    feature: str, model: str, body: dict[str, Any], record: AIRecord, files: list[Any]
) -> tuple[list[str | dict[str, Any]], results.ImageArtifact]:
    artifact = results.ImageArtifact(
        feature=feature,
        model=record.model or model,
        record_id=record.uuid,
        prompt_object=body,
        images=files,
    )
    return results.image_content(feature, artifact["model"], files), artifact


def speech_result(
    model: str, body: dict[str, Any], record: AIRecord, file: results.MediaFile
) -> tuple[str, results.SpeechArtifact]:
    artifact = results.SpeechArtifact(
        **file, model=record.model or model, record_id=record.uuid, prompt_object=body
    )
    return results.speech_content(artifact["model"], body.get("voice"), file), artifact
