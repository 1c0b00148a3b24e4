"""1min.ai tools for LangChain / LangGraph agents, and the toolkit that hands them out.

Images, speech, video, music, voice, image operations, YouTube, writing and code, plus
``OneMinAIFeatureTool`` for any feature.

**Data flow (one call)** — every tool follows one template (``_media._tool.MediaTool``)

    tool args ──▶ args_schema (pydantic: types)
              ──▶ _media._params (pure: per-family promptObject, every value checked;
                  a bad value raises InvalidInputError and NOTHING is sent)
              ──▶ inputs: local file ─ upload_cached ─┐   URL ─ download + upload ─┐
                          asset key ("images/…") ─────┴──▶ imageUrl / audioUrl ◀────┘
              ──▶ OneMinAIClient.run_feature  (POST /api/features, read timeout 300 s)
              ──▶ _media._results (pure: result keys + URLs, transcript shapes)
              ──▶ download (temporaryUrl, then asset_base_url/<key>) ─▶ bytes or save_dir
              ──▶ (content, artifact)   response_format="content_and_artifact"

Every ``OneMinAIError`` (bad input, ``UNSUPPORTED_MODEL``, ``aiRecord.status`` FAILED, rate
limits, credits…) leaves a tool as a ``ToolException`` carrying the API's reason, with the
typed error as ``__cause__``; ``handle_tool_error`` is on by default, so an agent receives the
reason as an error ``ToolMessage`` and can try again instead of crashing.

All tools share the configuration names of ``ChatOneMinAI`` (``api_key``, ``base_url``,
``asset_base_url``, ``timeout``, ``max_retries``, ``client``), build their client lazily, and
do no I/O at construction. ``OneMinAIToolkit`` hands out a chosen set of them on one client.

Where the tools live: the four media tools and the toolkit here; the feature tools in
``_media._feature_tools`` (video, music, sound, translation, voice, YouTube, writing, code),
``_media._image_tools`` (one per image operation) and ``_media._generic``
(``OneMinAIFeatureTool``); their fields come from ``_data/features.json``
(docs/wire-features.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import BaseModel, field_validator

from langchain_oneminai._media import _params as params
from langchain_oneminai._media import _results as results
from langchain_oneminai._media._feature_tools import (
    OneMinAIAudioTranslatorTool,
    OneMinAICodeTool,
    OneMinAIContentGeneratorTool,
    OneMinAIMusicTool,
    OneMinAISoundEffectTool,
    OneMinAIVideoTool,
    OneMinAIVoiceChangerTool,
    OneMinAIVoiceCloneTool,
    OneMinAIVoiceDesignTool,
    OneMinAIWritingTool,
    OneMinAIYouTubeTool,
)
from langchain_oneminai._media._generic import OneMinAIFeatureTool
from langchain_oneminai._media._image_tools import (
    OneMinAIBackgroundRemoverTool,
    OneMinAIBackgroundReplacerTool,
    OneMinAIFaceSwapTool,
    OneMinAIImageExtenderTool,
    OneMinAIImageToPromptTool,
    OneMinAIImageUpscalerTool,
    OneMinAIInpaintingTool,
    OneMinAIObjectRemoverTool,
    OneMinAISearchReplaceTool,
    OneMinAISketchToImageTool,
)
from langchain_oneminai._media._schemas import (
    ImageEditInput,
    ImageGenerationInput,
    SpeechToTextInput,
    TextToSpeechInput,
)
from langchain_oneminai._media._tool import (
    GENERATION_TIMEOUT,
    LONG_GENERATION_TIMEOUT,
    FeatureCall,
    MediaConfig,
    MediaInput,
    MediaTool,
    image_options,
    image_result,
    speech_result,
)
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "DEFAULT_EDIT_MODEL",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_VARIATION_MODEL",
    "GENERATION_TIMEOUT",
    "LONG_GENERATION_TIMEOUT",
    "TOOL_GROUPS",
    "ImageEditInput",
    "ImageGenerationInput",
    "OneMinAIAudioTranslatorTool",
    "OneMinAIBackgroundRemoverTool",
    "OneMinAIBackgroundReplacerTool",
    "OneMinAICodeTool",
    "OneMinAIContentGeneratorTool",
    "OneMinAIFaceSwapTool",
    "OneMinAIFeatureTool",
    "OneMinAIImageEditTool",
    "OneMinAIImageExtenderTool",
    "OneMinAIImageToPromptTool",
    "OneMinAIImageTool",
    "OneMinAIImageUpscalerTool",
    "OneMinAIInpaintingTool",
    "OneMinAIMusicTool",
    "OneMinAIObjectRemoverTool",
    "OneMinAISearchReplaceTool",
    "OneMinAISketchToImageTool",
    "OneMinAISoundEffectTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "OneMinAIVideoTool",
    "OneMinAIVoiceChangerTool",
    "OneMinAIVoiceCloneTool",
    "OneMinAIVoiceDesignTool",
    "OneMinAIWritingTool",
    "OneMinAIYouTubeTool",
    "SpeechToTextInput",
    "TextToSpeechInput",
]

DEFAULT_IMAGE_MODEL = "stable-diffusion-xl-1024-v1-0"
"""Stable Diffusion XL: the one IMAGE_GENERATOR model seen to succeed in a live call, with its
documented fields (``samples``, ``size`` from nine allowed dimensions, ``cfg_scale``, ``steps``,
``seed``); ``black-forest-labs/flux-schnell``, the earlier default, was answered
``UNSUPPORTED_MODEL`` there (wire-features.md#image-generator)."""

DEFAULT_EDIT_MODEL = "gpt-image-1-mini"
"""A live IMAGE_EDITOR model of the one family whose edit fields were captured
(wire.md#image-variation-and-editing)."""

DEFAULT_VARIATION_MODEL = "dall-e-2"
"""The IMAGE_VARIATOR model with documented fields (``imageUrl``, ``n``, ``size``) and one
image per ``n`` (magic-art always makes four, wire.md#image-variation-and-editing)."""


class OneMinAIImageTool(MediaTool):
    """Text to image with 1min.ai (``IMAGE_GENERATOR``).

    DALL-E, GPT Image, FLUX, Gemini, Midjourney, Leonardo, Stable Diffusion and more behind
    one key.

    The generic arguments (``n``, ``size`` / ``aspect_ratio``, ``quality``, ``style``,
    ``output_format``) are mapped onto each model family's own fields (``num_outputs``,
    ``imageSize``, ``aspect_width``…) and values a family does not take are refused before
    anything is sent, with a message saying what it takes.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAIImageTool

            tool = OneMinAIImageTool(save_dir="generated")  # stable-diffusion-xl-1024-v1-0

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"prompt": "A lighthouse at dusk", "aspect_ratio": "16:9"})
            # [{'type': 'text', 'text': 'Generated 1 image with stable-diffusion-xl-…: https://…'},
            #  {'type': 'image', 'url': 'https://…', 'mime_type': 'image/png'}]

    Invoke with ToolCall:
        .. code-block:: python

            message = tool.invoke(
                {
                    "args": {"prompt": "A red fox", "model": "dall-e-3", "quality": "hd"},
                    "id": "1",
                    "name": tool.name,
                    "type": "tool_call",
                }
            )
            message.artifact["images"][0]["path"]  # 'generated/2025_…_123456.png' (save_dir set)

    Artifact:
        ``{"feature", "model", "record_id", "prompt_object", "images": [{"url", "asset_key",
        "mime_type", "data", "path"}]}``: ``data`` holds the bytes, or ``path`` the saved
        file when ``save_dir`` is set. ``asset_key`` can be passed to
        ``OneMinAIImageEditTool`` as the ``image``.

    Errors:
        A refusal reaches the agent as an error ``ToolMessage`` with the reason
        (``handle_tool_error`` is on by default); with ``handle_tool_error=False`` the tool
        raises ``ToolException`` (``__cause__``: the typed ``OneMinAIError``).
    """

    name: str = "oneminai_image_generator"
    """The tool name the model calls."""
    description: str = (
        "Generate images from a text prompt with 1min.ai. Returns the images and their URLs."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ImageGenerationInput
    """The arguments (``ImageGenerationInput``)."""
    model: str = DEFAULT_IMAGE_MODEL
    """The model used when a call names none."""

    def _plan(self, args: ImageGenerationInput) -> FeatureCall:
        model = args.model or self.model
        body = params.image_prompt_object(
            params.IMAGE_GENERATOR, model, args.prompt, image_options(args)
        )
        return FeatureCall(params.IMAGE_GENERATOR, model, body, fetch="image")

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[list[str | dict[str, Any]], results.ImageArtifact]:
        return image_result(call.feature, call.model, body, record, files)


class OneMinAIImageEditTool(MediaTool):
    """Edit a picture, or make variations of it, with 1min.ai.

    ``IMAGE_EDITOR`` and ``IMAGE_VARIATOR`` behind one tool.

    With a ``prompt`` the picture is edited as the prompt says; without one the tool makes
    variations. ``operation="edit"`` / ``"variation"`` makes the choice explicit (an edit
    needs a prompt; a variation refuses one). The picture may be a local file (uploaded once
    per distinct content), an http(s) URL (fetched, then uploaded: 1min.ai takes asset keys),
    or an asset key such as ``images/…`` from an earlier result (sent as it is).

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAIImageEditTool

            tool = OneMinAIImageEditTool()  # edits: gpt-image-1-mini; variations: dall-e-2

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "photo.png", "prompt": "Make the sky stormy"})
            tool.invoke({"image": "images/2025_01_01_10_00_00_000_photo.png", "n": 2})

    Invoke with ToolCall:
        .. code-block:: python

            message = tool.invoke(
                {
                    "args": {"image": "https://example.com/cat.png", "prompt": "Add a hat"},
                    "id": "1",
                    "name": tool.name,
                    "type": "tool_call",
                }
            )
            message.artifact["images"][0]["asset_key"]

    Artifact:
        As ``OneMinAIImageTool``'s, with ``feature`` ``IMAGE_EDITOR`` or ``IMAGE_VARIATOR``
        and ``prompt_object`` carrying the uploaded ``imageUrl``.
    """

    name: str = "oneminai_image_editor"
    """The tool name the model calls."""
    description: str = (
        "Edit an image as a prompt says, or make variations of it (no prompt), with 1min.ai. "
        "The image may be a local path, a URL or a 1min.ai asset key."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ImageEditInput
    """The arguments (``ImageEditInput``)."""
    model: str = DEFAULT_EDIT_MODEL
    """The model used for edits when a call names none."""
    variation_model: str = DEFAULT_VARIATION_MODEL
    """The model used for variations when a call names none."""

    def _plan(self, args: ImageEditInput) -> FeatureCall:
        feature = params.edit_feature(args.operation, args.prompt)
        default = self.model if feature == params.IMAGE_EDITOR else self.variation_model
        model = args.model or default
        body = params.image_prompt_object(feature, model, args.prompt, image_options(args))
        image = MediaInput("imageUrl", args.image, "image")
        return FeatureCall(feature, model, body, inputs=(image,), fetch="image")

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[list[str | dict[str, Any]], results.ImageArtifact]:
        return image_result(call.feature, call.model, body, record, files)


class OneMinAITextToSpeechTool(MediaTool):
    """Text to speech with 1min.ai (``TEXT_TO_SPEECH``).

    OpenAI ``tts-1`` / ``tts-1-hd`` and the other speech models of the catalog.

    The text (at most 4096 characters), the voice and format of the OpenAI models, and the
    speed (0.25-4) are checked before anything is sent.

    The content is one line of text naming the audio and its URL, not an ``audio`` block:
    LangChain stringifies ``audio`` blocks in tool messages, and no chat model needs the
    sound to answer. The audio itself is in the artifact.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAITextToSpeechTool

            tool = OneMinAITextToSpeechTool(save_dir="audio")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"text": "Hello from LangChain!", "voice": "nova"})
            # 'Generated audio/mpeg speech (tts-1, voice nova): https://… (saved to audio/…mp3)'

    Invoke with ToolCall:
        .. code-block:: python

            call = {"args": {"text": "Hi"}, "id": "1", "name": tool.name, "type": "tool_call"}
            message = tool.invoke(call)
            message.artifact["path"]

    Artifact:
        ``{"url", "asset_key", "mime_type", "data", "path", "model", "record_id",
        "prompt_object"}``: ``data`` holds the audio bytes, or ``path`` the saved file when
        ``save_dir`` is set.
    """

    name: str = "oneminai_text_to_speech"
    """The tool name the model calls."""
    description: str = (
        "Read a text aloud with 1min.ai text to speech (at most 4096 characters). Returns the "
        "URL of the audio file."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = TextToSpeechInput
    """The arguments (``TextToSpeechInput``)."""
    model: str = "tts-1"
    """The model used when a call names none."""

    def _plan(self, args: TextToSpeechInput) -> FeatureCall:
        model = args.model or self.model
        body = params.tts_prompt_object(
            model,
            args.text,
            voice=args.voice,
            response_format=args.response_format,
            speed=args.speed,
        )
        # The docs' cURL sends the feature name as conversationId (wire.md#text-to-speech).
        return FeatureCall(
            "TEXT_TO_SPEECH", model, body, conversation_id="TEXT_TO_SPEECH", fetch="audio"
        )

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[str, results.SpeechArtifact]:
        return speech_result(call.model, body, record, files[0])


class OneMinAISpeechToTextTool(MediaTool):
    """Speech to text with 1min.ai (``SPEECH_TO_TEXT``).

    Whisper, GPT-4o transcribe, Google speech models and more.

    The recording may be a local file (uploaded once per distinct content), an http(s) URL
    (fetched, then uploaded) or an asset key such as ``audios/…`` (sent as it is).
    ``whisper-1`` gets ``response_format`` (default ``text``); the Google models
    (``latest_short``, ``latest_long``, ``telephony``…) need ``language``, and a missing one is
    refused before anything is sent.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAISpeechToTextTool

            tool = OneMinAISpeechToTextTool()

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"audio": "meeting.mp3"})
            # 'Welcome everyone, let us start with the budget.'
            tool.invoke({"audio": "call.wav", "model": "latest_long", "language": "en-US"})

    Invoke with ToolCall:
        .. code-block:: python

            message = tool.invoke(
                {"args": {"audio": "memo.m4a"}, "id": "1", "name": tool.name, "type": "tool_call"}
            )
            message.artifact.uuid  # the 1min.ai record

    Artifact:
        The ``AIRecord`` of the call (``uuid``, ``model``, ``status``,
        ``ai_record_detail.prompt_object`` with the uploaded ``audioUrl``, ``result``).
        Every transcript shape 1min.ai answers with is read: ``["text"]``, ``"text"``, and
        JSON text ``{"text": …}``.
    """

    name: str = "oneminai_speech_to_text"
    """The tool name the model calls."""
    description: str = (
        "Transcribe a recording (local path, URL or 1min.ai asset key) to text with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = SpeechToTextInput
    """The arguments (``SpeechToTextInput``)."""
    model: str = "whisper-1"
    """The model used when a call names none."""

    def _plan(self, args: SpeechToTextInput) -> FeatureCall:
        model = args.model or self.model
        body = params.stt_prompt_object(
            model, language=args.language, response_format=args.response_format
        )
        audio = MediaInput("audioUrl", args.audio, "audio")
        return FeatureCall("SPEECH_TO_TEXT", model, body, inputs=(audio,))

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[str, AIRecord]:
        del call, body, files  # a transcript: the record is the artifact
        return results.transcript_from_result(record.result), record


TOOL_GROUPS: dict[str, tuple[type[BaseTool], ...]] = {
    "media": (
        OneMinAIImageTool,
        OneMinAIImageEditTool,
        OneMinAITextToSpeechTool,
        OneMinAISpeechToTextTool,
    ),
    "image": (
        OneMinAIImageTool,
        OneMinAIImageEditTool,
        OneMinAIBackgroundRemoverTool,
        OneMinAIBackgroundReplacerTool,
        OneMinAIImageUpscalerTool,
        OneMinAIImageToPromptTool,
        OneMinAIObjectRemoverTool,
        OneMinAIImageExtenderTool,
        OneMinAIInpaintingTool,
        OneMinAISearchReplaceTool,
        OneMinAISketchToImageTool,
        OneMinAIFaceSwapTool,
    ),
    "video": (OneMinAIVideoTool,),
    "audio": (
        OneMinAITextToSpeechTool,
        OneMinAISpeechToTextTool,
        OneMinAIAudioTranslatorTool,
        OneMinAIMusicTool,
        OneMinAISoundEffectTool,
    ),
    "voice": (OneMinAIVoiceChangerTool, OneMinAIVoiceCloneTool, OneMinAIVoiceDesignTool),
    "youtube": (OneMinAIYouTubeTool,),
    "writing": (OneMinAIWritingTool, OneMinAIContentGeneratorTool),
    "code": (OneMinAICodeTool,),
}
"""The toolkit's groups: ``media`` (the default: images and speech), and one per feature group.
``all`` is every tool once."""

ALL_TOOLS: tuple[type[BaseTool], ...] = tuple(
    dict.fromkeys(tool for group in TOOL_GROUPS.values() for tool in group)
)
"""Every typed tool, in a stable order (the generic ``OneMinAIFeatureTool`` needs a feature)."""


def _tool_name(tool: type[BaseTool]) -> str:
    return str(tool.model_fields["name"].default)


def select_tools(
    include: str | Sequence[str] | None, exclude: str | Sequence[str] | None
) -> list[type[BaseTool]]:
    """The tool classes a toolkit hands out (pure).

    ``include`` and ``exclude`` take tool names (``oneminai_video_generator``), class names
    (``OneMinAIVideoTool``), group names (``video``, ``image``...) or ``all``; ``include=None``
    is the ``media`` group.

    Raises:
        InvalidInputError: a name that is neither a tool nor a group.
    """

    def resolve(names: str | Sequence[str] | None, default: Sequence[str]) -> list[type[BaseTool]]:
        wanted = [names] if isinstance(names, str) else list(names or default)
        found: list[type[BaseTool]] = []
        for name in wanted:
            if name == "all":
                found += ALL_TOOLS
            elif name in TOOL_GROUPS:
                found += TOOL_GROUPS[name]
            else:
                tool = next((t for t in ALL_TOOLS if name in (t.__name__, _tool_name(t))), None)
                if tool is None:
                    groups = ", ".join(["all", *TOOL_GROUPS])
                    tools = ", ".join(_tool_name(t) for t in ALL_TOOLS)
                    raise InvalidInputError(
                        f"{name!r} is not a tool or group of OneMinAIToolkit. Groups: {groups}. "
                        f"Tools: {tools}."
                    )
                found.append(tool)
        return found

    chosen = resolve(include, ("media",))
    dropped = set(resolve(exclude, ()))
    return [tool for tool in dict.fromkeys(chosen) if tool not in dropped]


class OneMinAIToolkit(MediaConfig, BaseToolkit):
    """1min.ai tools on one shared client, ready for an agent: a chosen set of them.

    One client means one connection pool and one upload cache for all of them. By default the
    four media tools (image generation, image editing, text to speech, speech to text): every
    tool's schema costs prompt tokens, so pick what the agent needs with ``include`` and
    ``exclude``, by tool name, class name or group (``media``, ``image``, ``video``,
    ``audio``, ``voice``, ``youtube``, ``writing``, ``code``, or ``all``).

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai import OneMinAIToolkit

            toolkit = OneMinAIToolkit(save_dir="media")
            tools = toolkit.get_tools()
            # [OneMinAIImageTool, OneMinAIImageEditTool, OneMinAITextToSpeechTool,
            #  OneMinAISpeechToTextTool]
            studio = OneMinAIToolkit(include=["video", "oneminai_music_generator"])
            everything_but_voice = OneMinAIToolkit(include="all", exclude="voice")

    Use within an agent:
        .. code-block:: python

            from langchain.agents import create_agent
            from langchain_oneminai import ChatOneMinAI

            agent = create_agent(ChatOneMinAI(model="gpt-4o-mini"), toolkit.get_tools())
            agent.invoke({"messages": [("human", "Draw a lighthouse and read me a poem about it")]})

    Every tool gets this toolkit's ``client`` (or one built from its fields), ``timeout``,
    ``save_dir``, ``root_dir`` and ``download``.
    """

    include: str | list[str] | None = None
    """Tools and groups to hand out (``None``: the ``media`` group)."""
    exclude: str | list[str] | None = None
    """Tools and groups to leave out of ``include``."""

    groups: ClassVar[dict[str, tuple[type[BaseTool], ...]]] = TOOL_GROUPS
    """The groups ``include``/``exclude`` name (``TOOL_GROUPS``)."""

    @field_validator("include", "exclude")
    @classmethod
    def _known(cls, value: str | list[str] | None) -> str | list[str] | None:
        try:
            select_tools(value, None)
        except InvalidInputError as error:
            raise ValueError(str(error)) from None
        return value

    def get_tools(self) -> list[BaseTool]:
        """The chosen tools (by default image, image edit, text to speech, speech to text)."""
        shared = self._shared()
        return [tool(**shared) for tool in select_tools(self.include, self.exclude)]
