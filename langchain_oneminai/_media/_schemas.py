"""The argument schemas of the media tools: what a model sees when it calls them.

Attribute docstrings become the JSON-schema ``description`` of each argument
(``use_attribute_docstrings``), so the model reads exactly what is documented here. Types
are checked by pydantic; values (sizes, voices, ranges, what a model family takes) by
``_media._params``, so every bad value fails the same way: a ``ToolException`` an agent can
read, before anything is sent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "FeatureInput",
    "ImageEditInput",
    "ImageGenerationInput",
    "SpeechToTextInput",
    "TextToSpeechInput",
]


class _Schema(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        # Attribute docstrings are wrapped at 100 columns; a model reads each as one line.
        super().__pydantic_init_subclass__(**kwargs)
        for field in cls.model_fields.values():
            if field.description:
                field.description = " ".join(field.description.split())
        cls.model_rebuild(force=True)


class ImageGenerationInput(_Schema):
    """Arguments of ``OneMinAIImageTool``."""

    prompt: str
    """What the image should show."""
    model: str | None = None
    """A 1min.ai IMAGE_GENERATOR model id, e.g. dall-e-3, gpt-image-1,
    black-forest-labs/flux-schnell, magic-art. Leave out for the tool's default."""
    n: int | None = None
    """How many images (dall-e-3: 1; dall-e-2: 1-10; magic-art/midjourney: 4; FLUX: 1)."""
    size: str | None = None
    """Pixel size 'WxH' for OpenAI models (dall-e-3: 1024x1024, 1024x1792, 1792x1024), or
    '1K'/'2K'/'4K' for Gemini. Give size or aspect_ratio, not both."""
    aspect_ratio: str | None = None
    """Aspect ratio 'W:H', e.g. '16:9' (magic-art/midjourney: sides 1-7)."""
    quality: str | None = None
    """Quality: dall-e-3 'standard'/'hd'; gpt-image-1 'low'/'medium'/'high'."""
    style: str | None = None
    """Style: dall-e-3 'vivid' or 'natural'."""
    output_format: str | None = None
    """File format, e.g. 'png', 'webp', 'jpeg' (for models that take one)."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, sent as they are, e.g. {"seed": 7}."""


class ImageEditInput(_Schema):
    """Arguments of ``OneMinAIImageEditTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    prompt: str | None = None
    """What to change. Without a prompt the tool makes variations of the picture."""
    operation: Literal["edit", "variation"] | None = None
    """'edit' (needs a prompt) or 'variation' (no prompt). By default: edit when a prompt
    is given."""
    model: str | None = None
    """A 1min.ai IMAGE_EDITOR or IMAGE_VARIATOR model id. Leave out for the tool's default."""
    n: int | None = None
    """How many images."""
    size: str | None = None
    """Pixel size 'WxH', e.g. '1024x1024'."""
    aspect_ratio: str | None = None
    """Aspect ratio 'W:H' (magic-art/midjourney: sides 1-7)."""
    quality: str | None = None
    """Quality, e.g. gpt-image-1 'low'/'medium'/'high'."""
    output_format: str | None = None
    """File format, e.g. 'png', 'webp', 'jpeg'."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, sent as they are, e.g. {"background": "transparent"}."""


class TextToSpeechInput(_Schema):
    """Arguments of ``OneMinAITextToSpeechTool``."""

    text: str
    """The words to speak (at most 4096 characters)."""
    voice: str | None = None
    """tts-1 voices: alloy (default), echo, fable, onyx, nova, shimmer."""
    model: str | None = None
    """A 1min.ai TEXT_TO_SPEECH model id: tts-1 (default), tts-1-hd, elevenlabs-tts, ..."""
    response_format: str | None = None
    """Audio format: mp3 (default), opus, aac, flac, wav, pcm."""
    speed: float | None = None
    """Speaking speed from 0.25 to 4 (1 is normal)."""


class SpeechToTextInput(_Schema):
    """Arguments of ``OneMinAISpeechToTextTool``."""

    audio: str
    """The recording: a local file path, an http(s) URL, or a 1min.ai asset key (audios/...)."""
    model: str | None = None
    """A 1min.ai SPEECH_TO_TEXT model id: whisper-1 (default), gpt-4o-transcribe, ..."""
    language: str | None = None
    """The spoken language, as a BCP-47 tag such as 'en-US'. Required by latest_short,
    latest_long, telephony, telephony_short, phone_call, medical_dictation and
    medical_conversation."""
    response_format: str | None = None
    """whisper-1 output: text (default), json, srt, verbose_json, vtt."""


class FeatureInput(_Schema):
    """The default arguments of ``OneMinAIFeatureTool``: a prompt and any other fields."""

    prompt: str | None = None
    """The request, sent as promptObject.prompt (most features take one)."""
    fields: dict[str, Any] | None = None
    """Other promptObject fields of this feature, sent as given. A field that takes a file
    (e.g. imageUrl, audioUrl) takes a local path, an http(s) URL or a 1min.ai asset key."""
