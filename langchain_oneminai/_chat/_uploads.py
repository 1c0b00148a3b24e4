"""A chat call's attachments as 1min.ai assets, and what a known model can take (its profile).

The shells of ``ChatOneMinAI`` call ``upload_attachments`` / ``aupload_attachments`` once the
plan is made: images for a text-only model are refused first (``check_vision``: the live
catalog, else the built-in table), then each distinct file or URL is uploaded once
(``OneMinAIClient.upload_cached``) and the references go into ``promptObject.attachments``
(``attachment_refs``, wire.md#images-in-chat).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.model_profile import ModelProfile

from langchain_oneminai import _catalog
from langchain_oneminai._chat._attachments import Attachment
from langchain_oneminai._chat._prompt import RenderedPrompt
from langchain_oneminai._wire import ChatAttachments, ModelCatalog, UploadedAsset
from langchain_oneminai.client import OneMinAIClient
from langchain_oneminai.client._media_types import MediaKind
from langchain_oneminai.errors import InvalidInputError, OneMinAIError

__all__ = [
    "attachment_refs",
    "aupload_attachments",
    "check_vision",
    "model_profile",
    "upload_attachments",
]


def upload_attachments(
    client: OneMinAIClient, prompt: RenderedPrompt, *, vision_check: bool, model: str
) -> ChatAttachments | None:
    """Check, then upload a prompt's attachments; ``None`` when it has none.

    Raises:
        InvalidInputError: images for a model the catalog calls text-only.
    """
    if not prompt.attachments:
        return None
    if vision_check and prompt.has_images:
        check_vision(model, _catalog_or_none(client.list_models))
    uploaded = [a.asset_ref or _upload_one(client, a) for a in prompt.attachments]
    return attachment_refs(prompt.attachments, uploaded)


async def aupload_attachments(
    client: OneMinAIClient, prompt: RenderedPrompt, *, vision_check: bool, model: str
) -> ChatAttachments | None:
    """``upload_attachments``, async."""
    if not prompt.attachments:
        return None
    if vision_check and prompt.has_images:
        check_vision(model, await _acatalog_or_none(client))
    uploaded = [a.asset_ref or await _aupload_one(client, a) for a in prompt.attachments]
    return attachment_refs(prompt.attachments, uploaded)


def attachment_refs(
    attachments: Sequence[Attachment], uploaded: Sequence[str | UploadedAsset]
) -> ChatAttachments:
    """``attachments.images`` (asset paths) and ``.files`` (file uuids), in order (pure)."""
    images: list[str] = []
    files: list[str] = []
    for attachment, asset in zip(attachments, uploaded, strict=True):
        if attachment.kind == "image":
            images.append(asset if isinstance(asset, str) else asset.path)
        else:
            files.append(asset if isinstance(asset, str) else asset.file_id)
    return ChatAttachments(images=tuple(dict.fromkeys(images)), files=tuple(dict.fromkeys(files)))


def _upload_one(client: OneMinAIClient, attachment: Attachment) -> UploadedAsset:
    """Upload inline content, or fetch a URL and upload it (each distinct file or URL once)."""
    name, mime = attachment.filename, attachment.mime_type
    if attachment.data is not None:
        return client.upload_cached(attachment.data, filename=name, mime_type=mime)
    kind = _MEDIA_KINDS[attachment.kind]
    return client.upload_url_cached(attachment.url or "", filename=name, mime_type=mime, kind=kind)


async def _aupload_one(client: OneMinAIClient, attachment: Attachment) -> UploadedAsset:
    name, mime = attachment.filename, attachment.mime_type
    if attachment.data is not None:
        return await client.aupload_cached(attachment.data, filename=name, mime_type=mime)
    kind = _MEDIA_KINDS[attachment.kind]
    return await client.aupload_url_cached(
        attachment.url or "", filename=name, mime_type=mime, kind=kind
    )


_MEDIA_KINDS: dict[str, MediaKind] = {"image": "image", "file": "document"}
"""What a fetched attachment must be, by its kind."""


def check_vision(model: str, catalog: ModelCatalog | None) -> None:
    """Refuse images for a model the catalog (live, else the built-in table) calls text-only."""
    listed = catalog.get(model) if catalog else None
    if listed is not None:
        vision: bool | None = listed.vision
    else:
        known = _catalog.CHAT_MODELS_BY_ID.get(model)
        vision = known.vision if known else None  # unknown model: let the server decide
    if vision is False:
        raise InvalidInputError(
            f"The model {model!r} cannot see images according to the 1min.ai catalog. Use a "
            "vision model (e.g. gpt-4o-mini, claude-sonnet-4-6, gemini-2.5-flash), or set "
            "check_image_support=False to send anyway."
        )


def _catalog_or_none(fetch: Any) -> ModelCatalog | None:
    try:
        catalog: ModelCatalog = fetch()
    except OneMinAIError:
        return None  # the chat call itself will report a real problem
    return catalog


async def _acatalog_or_none(client: OneMinAIClient) -> ModelCatalog | None:
    try:
        return await client.alist_models()
    except OneMinAIError:
        return None


def model_profile(model: str) -> ModelProfile | None:
    """The profile of a known model, from the built-in table (no network)."""
    known = _catalog.CHAT_MODELS_BY_ID.get(model)
    if known is None:
        return None
    profile = ModelProfile(
        text_inputs=True,
        text_outputs=True,
        image_inputs=known.vision,
        image_url_inputs=known.vision,
        pdf_inputs=True,
        audio_inputs=False,
        video_inputs=False,
        # Emulated through the prompt protocol (_chat._tool_calls), but real to LangChain code.
        tool_calling=True,
        tool_choice=True,
        tool_call_streaming=True,
        structured_output=True,
    )
    if known.context:
        profile["max_input_tokens"] = known.context
    if known.max_output:
        profile["max_output_tokens"] = known.max_output
    return profile
