"""The one template every 1min.ai feature tool follows, and its I/O shells.

``MediaConfig`` is the shared ``ClientConfig`` (the connection fields every component has,
and one ``OneMinAIClient`` built lazily at the first call: no I/O at construction) plus
``save_dir``, ``root_dir`` and ``download``. ``MediaTool`` is the template: a tool says what
to send (``_plan``: pure) and what to make of the answer (``_result``: pure); the template
does the same I/O for every tool, once, in a sync and an async twin::

    arguments ──▶ _plan() ──▶ FeatureCall(feature, model, prompt object, inputs, ...)
              ──▶ (check_model) the model in the live catalog of the feature, else refused
              ──▶ inputs: a local file in root_dir, a URL, or an asset key ─▶ uploaded once
              ──▶ OneMinAIClient.run_feature (POST /api/features, the call's read timeout)
              ──▶ result files fetched (temporaryUrl first), saved under save_dir
              ──▶ _result() ──▶ (content, artifact)

and turns every ``OneMinAIError`` into a ``ToolException`` whose ``__cause__`` is the typed
error (handed to the agent as an error ``ToolMessage`` by default). Every decision is in
``_params`` / ``_results``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException

from langchain_oneminai._media import _params as params
from langchain_oneminai._media import _results as results
from langchain_oneminai._media._schemas import ImageEditInput, ImageGenerationInput
from langchain_oneminai._transport import DEFAULT_MAX_DOWNLOAD_BYTES, TimeoutSpec
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.client._components import ClientConfig
from langchain_oneminai.client._media_types import MediaKind, check_media
from langchain_oneminai.errors import InvalidInputError, OneMinAIError

GENERATION_TIMEOUT = 300.0
"""Read timeout (seconds of silence) of the generation call unless ``timeout`` is set:
images can take 90 s and more (wire.md#timeouts), far beyond the client's 120 s default."""

LONG_GENERATION_TIMEOUT = 600.0
"""The read timeout of video and music generations: calls are synchronous and a short video
held the connection 75 s (wire-features.md#synchronous-vs-async-polling); longer models take
minutes."""


class MediaConfig(ClientConfig):
    """The shared connection fields, plus where and whether media results are saved.

    With ``timeout`` unset, generation calls allow 300 s of silence
    (``GENERATION_TIMEOUT``); uploads and downloads use the client's default.
    """

    save_dir: str | Path | None = None
    """Save result files here (created if needed) and put their paths in the artifact
    instead of their bytes. Existing files are never overwritten: a taken name gets
    ``-1``, ``-2``... and the artifact holds the real path."""

    root_dir: str | Path | None = None
    """The one directory input files may be read from (a model chooses the paths, as in
    LangChain's file tools). ``None``: no local files, only URLs and asset keys."""

    download: bool = True
    """Fetch result files right away (``temporaryUrl`` expires); ``False``: URLs and keys only."""

    def _generation_timeout(self, default: float = GENERATION_TIMEOUT) -> TimeoutSpec:
        return self.request_timeout if self.request_timeout is not None else default

    def _shared(self) -> dict[str, Any]:
        """Constructor arguments that put another component on this one's client."""
        return {
            "client": self._client(),
            "timeout": self.request_timeout,
            "save_dir": self.save_dir,
            "root_dir": self.root_dir,
            "download": self.download,
        }


@dataclass(frozen=True, slots=True)
class MediaInput:
    """A file a feature takes: which ``promptObject`` field, the value given, what it must be."""

    field: str
    """The field its asset key goes to (``imageUrl``, ``audioUrl``...)."""
    value: str
    """What the call gave: a file in ``root_dir``, an http(s) URL or an asset key."""
    kind: MediaKind
    """What its bytes must be (checked before uploading)."""


@dataclass(frozen=True, slots=True)
class FeatureCall:
    """What one tool call sends, decided before any I/O (``MediaTool._plan``)."""

    feature: str
    """The feature type, e.g. ``IMAGE_GENERATOR``."""
    model: str
    """The model id."""
    prompt_object: dict[str, Any]
    """The ``promptObject`` without its input files (added once they are uploaded)."""
    inputs: tuple[MediaInput, ...] = ()
    """Input files, uploaded (each distinct one once) into their fields."""
    conversation_id: str | None = None
    """A top-level ``conversationId`` some feature pages show (wire.md#features-envelope)."""
    fetch: str | None = None
    """What result files are (``image``, ``audio``, ``video``, ``3d``) and so fetched;
    ``"auto"``: whatever the result looks like (``results.result_kind``); ``None``: text."""
    timeout: float = GENERATION_TIMEOUT
    """Seconds of silence the generation call may take, unless the tool's ``timeout`` is set."""
    check_model: bool = False
    """Check ``model`` against the live catalog of ``feature`` before sending."""
    save_text: bool = False
    """Save a text result under ``save_dir`` too (as ``<record>.txt``)."""


class MediaTool(MediaConfig, BaseTool):
    """The template of the feature tools: plan, upload, run, fetch, result (see the module)."""

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    """``(content, artifact)``: the model reads the content; the artifact carries the files."""

    handle_tool_error: bool | str | Callable[[ToolException], str] | None = True
    """On by default: a refusal (a value the model cannot take, ``UNSUPPORTED_MODEL``, a
    failed generation, a rate limit...) returns its message to the agent as an error
    ``ToolMessage``, so the model can fix its arguments and try again instead of the agent
    crashing. ``False`` raises ``ToolException`` (its ``__cause__`` the typed error)."""

    @property
    def lc_secrets(self) -> dict[str, str]:
        """The key is serialised as a reference to its environment variable, never its value."""
        return {"oneminai_api_key": "ONEMINAI_API_KEY"}

    # -- what a tool says (pure) ------------------------------------------------------------

    def _plan(self, args: Any) -> FeatureCall:  # pragma: no cover - every tool has one
        """What to send for validated arguments; raises ``InvalidInputError`` to refuse."""
        raise NotImplementedError

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> Any:  # pragma: no cover - every tool has one
        """What the model reads and what the artifact holds, from the answer."""
        raise NotImplementedError

    # -- the template (I/O) ------------------------------------------------------------------

    def _run(
        self, *args: Any, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> Any:
        del run_manager  # nothing to report: 1min.ai feature calls do not stream
        with as_tool_errors():
            call = self._plan(tool_arguments(self.args_schema, args, kwargs))
            client = self._client()
            if call.check_model:
                params.check_model(call.feature, call.model, catalog_ids(client, call.feature))
            body = dict(call.prompt_object)
            for item in call.inputs:
                source = self._source(item, local_file(item.value, self.root_dir))
                body = {item.field: upload_source(client, source, item.kind), **body}
            record = client.run_feature(
                call.feature,
                call.model,
                body,
                conversation_id=call.conversation_id,
                timeout=self._generation_timeout(call.timeout),
            )
            return self._result(call, body, record, self._files(record, call))

    async def _arun(
        self,
        *args: Any,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
        **kwargs: Any,
    ) -> Any:
        del run_manager  # nothing to report: 1min.ai feature calls do not stream
        with as_tool_errors():
            call = self._plan(tool_arguments(self.args_schema, args, kwargs))
            client = self._client()
            if call.check_model:
                ids = await acatalog_ids(client, call.feature)
                params.check_model(call.feature, call.model, ids)
            body = dict(call.prompt_object)
            for item in call.inputs:
                found = await asyncio.to_thread(local_file, item.value, self.root_dir)
                key = await aupload_source(client, self._source(item, found), item.kind)
                body = {item.field: key, **body}
            record = await client.arun_feature(
                call.feature,
                call.model,
                body,
                conversation_id=call.conversation_id,
                timeout=self._generation_timeout(call.timeout),
            )
            return self._result(call, body, record, await self._afiles(record, call))

    def _source(self, item: MediaInput, found: str | None) -> params.MediaSource:
        """Where an input comes from (``found``: the granted local file it names, if any)."""
        what = "audio file" if item.kind == "audio" else item.kind
        root = None if self.root_dir is None else str(self.root_dir)
        return params.media_source(item.value, local_file=found, root_dir=root, what=what)

    def _files(self, record: AIRecord, call: FeatureCall) -> list[results.MediaFile]:
        kind = results.result_kind(record, call.fetch)
        if kind:
            return self._fetch(record, kind)
        return save_text(self.save_dir, record) if call.save_text else []

    async def _afiles(self, record: AIRecord, call: FeatureCall) -> list[results.MediaFile]:
        kind = results.result_kind(record, call.fetch)
        if kind:
            return await self._afetch(record, kind)
        if not call.save_text:
            return []
        return await asyncio.to_thread(save_text, self.save_dir, record)

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


def catalog_ids(client: OneMinAIClient, feature: str) -> list[str] | None:
    """The model ids of the live catalog of ``feature``, or ``None``.

    ``None`` when it cannot be fetched: then the server decides whether the model serves it.
    """
    try:
        return client.list_models(feature).ids
    except OneMinAIError:
        return None


async def acatalog_ids(client: OneMinAIClient, feature: str) -> list[str] | None:
    try:
        return (await client.alist_models(feature)).ids
    except OneMinAIError:
        return None


def save_text(save_dir: str | Path | None, record: AIRecord) -> list[results.MediaFile]:
    """A text result saved as ``<record>.txt`` under ``save_dir`` (nothing without one)."""
    text = record.text
    if save_dir is None or not text:
        return []
    key = f"{record.uuid or 'result'}.txt"
    file = results.ResultFile(0, key, "")
    path = save_file(save_dir, file, text.encode(), record)
    return [results.MediaFile(url="", asset_key="", mime_type="text/plain", data=None, path=path)]


def save_file(
    save_dir: str | Path | None, file: results.ResultFile, data: bytes | None, record: AIRecord
) -> str | None:
    """Write a downloaded file under ``save_dir``; its real path, or ``None`` when not saved.

    Never overwrites: the file is created exclusively, and a taken name (a user's file, or
    another result with the same name) gets ``-1``, ``-2``... instead.
    """
    if save_dir is None or data is None:
        return None
    fallback = f"{record.uuid or 'result'}-{file.index}"
    name = results.file_name(file.key, results.mime_type_of(file.key, data), fallback)
    directory = Path(save_dir).expanduser()
    directory.mkdir(parents=True, exist_ok=True)
    for attempt in range(_MAX_NAME_TRIES):
        path = directory / results.numbered(name, attempt)
        try:
            with path.open("xb") as out:  # exclusive: fails if anything is there
                out.write(data)
        except FileExistsError:
            continue
        return str(path)
    raise OSError(f"no free file name for {name!r} in {str(directory)!r}")


_MAX_NAME_TRIES = 1000


def local_file(value: str, root_dir: str | Path | None) -> str | None:
    """The path of ``value`` when it names a file inside ``root_dir`` (``None`` otherwise).

    ``value`` is relative to ``root_dir`` (an absolute path must lie inside it too); ``~`` is
    not expanded and symbolic links are resolved before the check, so nothing outside the
    granted directory is ever read.

    Raises:
        InvalidInputError: ``value`` resolves outside ``root_dir``.
    """
    if root_dir is None or value.startswith(("http://", "https://")):
        return None
    root = Path(root_dir).expanduser().resolve()
    try:
        path = (root / value.strip()).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root):
        raise InvalidInputError(
            f"{value!r} is outside root_dir {str(root)!r}; the tool reads files only inside "
            "it. Nothing was read."
        )
    try:
        return str(path) if path.is_file() else None
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def as_tool_errors() -> Iterator[None]:
    """Turn our errors into ``ToolException`` (the typed error stays as ``__cause__``)."""
    try:
        yield
    except OneMinAIError as error:
        raise ToolException(str(error)) from error
    except OSError as error:
        raise ToolException(f"Could not read or write a local file: {error}") from error


def tool_arguments(schema: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The call's arguments with the schema's defaults (a lone string fills the first field)."""
    if args:
        kwargs = {next(iter(schema.model_fields)): args[0], **kwargs}
    return schema.model_validate(kwargs)


def upload_source(client: OneMinAIClient, source: params.MediaSource, kind: MediaKind) -> str:
    """The asset key of an input: as given, or after uploading it (each file once)."""
    if source.kind == "asset":
        return source.value
    if source.kind == "url":
        name = results.url_file_name(source.value)
        return client.upload_url_cached(source.value, filename=name, kind=kind).path
    content, name = read_local_file(source.value, kind)
    return client.upload_cached(content, filename=name).path


async def aupload_source(
    client: OneMinAIClient, source: params.MediaSource, kind: MediaKind
) -> str:
    if source.kind == "asset":
        return source.value
    if source.kind == "url":
        name = results.url_file_name(source.value)
        return (await client.aupload_url_cached(source.value, filename=name, kind=kind)).path
    content, name = await asyncio.to_thread(read_local_file, source.value, kind)
    return (await client.aupload_cached(content, filename=name)).path


def read_local_file(value: str, kind: MediaKind) -> tuple[bytes, str]:
    """The bytes and the file name of a local input file, once they are the ``kind`` expected.

    At most the client's download limit is read (a model may name a huge file).
    """
    path = Path(value)
    with path.open("rb") as file:
        # Read one byte past the limit rather than trust the size: the file may be growing.
        content = file.read(DEFAULT_MAX_DOWNLOAD_BYTES + 1)
    if len(content) > DEFAULT_MAX_DOWNLOAD_BYTES:
        raise InvalidInputError(
            f"{path.name!r} is larger than {DEFAULT_MAX_DOWNLOAD_BYTES:,} bytes."
        )
    return check_media(content, path.name, kind, None), path.name


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
