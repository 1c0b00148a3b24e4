"""``OneMinAIFeatureTool``: any 1min.ai feature as a tool, with the fields the user gives.

For the features no typed tool covers (wire-features.md#the-feature-table: the eight whose
fields no reliable source shows, and any other), and for calls a typed tool does not model.
It follows the ``MediaTool`` template; its plan merges the fixed ``prompt_object`` with the
call's arguments, uploads the ``file_fields`` inputs, and checks the model against the live
catalog first::

    prompt_object (fixed)  +  call arguments (args_schema, or prompt + fields)
        ──▶ file_fields (imageUrl, audioUrl...): local file in root_dir, URL or asset key
        ──▶ the model in GET /models?feature= (refused with suggestions; unknown catalog:
            the server decides) ──▶ POST /api/features
        ──▶ result: asset keys by prefix or extension (images/, audios/, videos/, .glb...)
            fetched and saved; text as the content (and <record>.txt under save_dir)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from langchain_oneminai._media import _features
from langchain_oneminai._media import _results as results
from langchain_oneminai._media._schemas import FeatureInput
from langchain_oneminai._media._tool import (
    GENERATION_TIMEOUT,
    LONG_GENERATION_TIMEOUT,
    FeatureCall,
    MediaInput,
    MediaTool,
)
from langchain_oneminai._wire import AIRecord, clean_text
from langchain_oneminai.client._media_types import MediaKind

CHAT_TYPES = frozenset(
    {
        "UNIFY_CHAT_WITH_AI",
        "CHAT_WITH_AI",
        "CHAT_WITH_IMAGE",
        "CHAT_WITH_PDF",
        "CHAT_WITH_YOUTUBE_VIDEO",
    }
)
"""Chat types: ``/api/features`` rejects them (wire-features.md#endpoint-and-envelope)."""

_LONG_FEATURES = frozenset({"MUSIC_GENERATOR"})


def feature_timeout(feature: str) -> float:
    """The generation read timeout of a feature: 600 s for video and music, else 300 s."""
    spec = _features.feature_spec(feature)
    long = feature in _LONG_FEATURES or (spec is not None and spec.result == "video")
    return LONG_GENERATION_TIMEOUT if long else GENERATION_TIMEOUT


def feature_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments with the table's defaults for the feature filled in (pure).

    Raises:
        ValueError: a chat type, or no model for a feature the table does not know.
    """
    feature = data.get("feature")
    if not isinstance(feature, str) or not feature.strip():
        raise ValueError("feature must be a 1min.ai feature type such as 'TEXT_TO_VIDEO'.")
    feature = feature.strip().upper()
    if feature in CHAT_TYPES:
        raise ValueError(
            f"{feature} is a chat type, which /api/features rejects; use ChatOneMinAI."
        )
    spec = _features.feature_spec(feature)
    out = {**data, "feature": feature}
    if out.get("model") is None:
        if spec is None:
            raise ValueError(f"{feature} is not in the feature table; give model=.")
        out["model"] = spec.default_model
    if "conversation_id" not in out:
        out["conversation_id"] = spec.conversation_id if spec else None
    if out.get("file_fields") is None:
        out["file_fields"] = dict(spec.inputs) if spec else {}
    if out.get("name") is None:
        out["name"] = f"oneminai_{feature.lower()}"
    if out.get("description") is None:
        out["description"] = f"Run 1min.ai's {feature} feature with {out['model']}." + (
            f" Fields that take a file ({', '.join(out['file_fields'])}) take a local path, "
            "a URL or a 1min.ai asset key."
            if out["file_fields"]
            else ""
        )
    return out


class OneMinAIFeatureTool(MediaTool):
    """Any 1min.ai feature as a LangChain tool (``POST /api/features``).

    Configure it with a feature type and a model; the call's fields come from a fixed
    ``prompt_object`` and the tool's arguments: by default ``prompt`` and a free ``fields``
    dict, or your own pydantic ``args_schema`` (its fields become ``promptObject`` fields).
    Fields named in ``file_fields`` take a local file (inside ``root_dir``), a URL or an asset
    key, uploaded as the media tools do. Before sending, the model is checked against the live
    catalog of the feature (``GET /models?feature=``): a model it does not list is refused with
    the closest ids, and nothing is sent; when the catalog cannot be fetched the server decides.

    The result becomes text (the content) or files: asset keys are told apart by prefix
    (``images/``, ``audios/``, ``videos/``) or extension (``.glb``, ``.obj``: 3D), downloaded and
    saved under ``save_dir``; a text result is saved there as ``<record>.txt`` too.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIFeatureTool

            isolate = OneMinAIFeatureTool(
                feature="VOICE_ISOLATOR",
                file_fields={"audioUrl": "audio"},  # no source shows its fields: your guess
                root_dir="recordings",
                save_dir="clean",
            )

    Invoke directly with args:
        .. code-block:: python

            isolate.invoke({"fields": {"audioUrl": "interview.mp3"}})
            # 'Generated 1 audio file with elevenlabs-voice-isolator: https://… (saved to clean/…)'

    With your own schema:
        .. code-block:: python

            from pydantic import BaseModel


            class Transcribe(BaseModel):
                videoUrl: str
                language: str = "English"


            tool = OneMinAIFeatureTool(
                feature="YOUTUBE_TRANSCRIBER",
                args_schema=Transcribe,
                name="transcribe_youtube",
                description="Transcribe a YouTube video.",
            )

    Artifact:
        ``{"feature", "model", "record_id", "prompt_object", "files": [{"url", "asset_key",
        "mime_type", "data", "path"}], "text"}``.
    """

    feature: str
    """The feature type, e.g. ``VOICE_ISOLATOR`` (any case; ``-`` and spaces are not accepted)."""
    model: str = ""
    """The model id; by default the feature table's (``_data/features.json``)."""
    prompt_object: dict[str, Any] = Field(default_factory=dict)
    """Fields sent with every call (a call's arguments override them)."""
    file_fields: dict[str, MediaKind] = Field(default_factory=dict)
    """``promptObject`` fields that take a file, and its kind (``image``, ``audio``, ``video``,
    ``document``); by default the table's ``inputs`` for the feature."""
    conversation_id: str | None = None
    """The top-level ``conversationId``; by default the table's (the feature name where the
    docs show one); ``None``: none."""
    result: Literal["auto", "image", "video", "audio", "3d", "text"] = "auto"
    """What the result is; ``auto``: told from the result itself."""
    check_model: bool = True
    """Check the model against the live catalog before sending."""
    save_text: bool = True
    """Save a text result under ``save_dir`` as ``<record>.txt`` (when ``save_dir`` is set)."""
    name: str = ""
    """The tool name the model calls; by default ``oneminai_<feature>``."""
    description: str = ""
    """What the model reads about the tool; by default one line naming the feature."""
    args_schema: type[BaseModel] = FeatureInput
    """The call's arguments: ``FeatureInput`` (``prompt`` + ``fields``), or your own schema."""

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        return feature_defaults(data) if isinstance(data, dict) else data

    def _plan(self, args: BaseModel) -> FeatureCall:
        if isinstance(args, FeatureInput):
            given = dict(args.fields or {})
            if args.prompt is not None:
                given["prompt"] = args.prompt
        else:
            given = args.model_dump(exclude_none=True, by_alias=True)
        body = {**self.prompt_object, **given}
        inputs = []
        for field, kind in self.file_fields.items():
            value = body.get(field)
            if isinstance(value, str):
                del body[field]
                inputs.append(MediaInput(field, value, kind))
        _features.check_json(body)
        return FeatureCall(
            self.feature,
            self.model,
            body,
            inputs=tuple(inputs),
            conversation_id=self.conversation_id,
            fetch=None if self.result == "text" else self.result,
            timeout=feature_timeout(self.feature),
            check_model=self.check_model,
            save_text=self.save_text,
        )

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[Any, results.FeatureArtifact]:
        return feature_result(call, body, record, files)


def feature_result(
    call: FeatureCall,
    body: dict[str, Any],
    record: AIRecord,
    files: list[Any],
    what: str | None = None,
) -> tuple[Any, results.FeatureArtifact]:
    """The content and artifact of a feature call: image blocks, a line naming files, or text."""
    model = record.model or call.model
    kind = results.result_kind(record, call.fetch)
    text = None if kind else clean_text("\n".join(record.result_strings))
    artifact = results.FeatureArtifact(
        feature=call.feature,
        model=model,
        record_id=record.uuid,
        prompt_object=body,
        files=files,
        text=text,
    )
    if kind == "image":
        return results.image_content(call.feature, model, files), artifact
    if kind:
        return results.files_content(kind, model, files, what), artifact
    return text or "", artifact
