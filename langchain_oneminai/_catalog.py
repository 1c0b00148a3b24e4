"""Known 1min.ai models, per feature, as of the catalog dump in the API reference (§14).

This table serves two readers and no network:

* ``ChatOneMinAI.profile`` (vision, context size) at construction time, and the
  "did you mean" suggestions of ``UnsupportedModelError``;
* the emulator, which seeds its ``GET /models?feature=`` catalog from it.

The live catalog (``OneMinAIClient.list_models``) is always the authority; 1min.ai adds and
retires models often, so nothing here is used to *refuse* a model id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KnownChatModel:
    """A chat model of the ``UNIFY_CHAT_WITH_AI`` catalog."""

    model_id: str
    """The id sent as ``model``."""
    provider: str
    """``provider`` as the catalog spells it."""
    vision: bool
    """Whether ``modality.INPUT`` contains ``"image"``."""
    context: int | None = None
    """``creditMetadata.CONTEXT`` where the dump recorded it."""
    max_output: int | None = None
    """``creditMetadata.MAX_OUTPUT_TOKEN`` where the dump recorded it."""


def _models(provider: str, *ids: str, vision: bool) -> list[KnownChatModel]:
    return [KnownChatModel(model_id, provider, vision) for model_id in ids]


CHAT_MODELS: tuple[KnownChatModel, ...] = (
    KnownChatModel("qwen3-vl-plus", "alibaba", vision=True, context=262144, max_output=32768),
    *_models("alibaba", "qwen3-vl-flash", "qwen-vl-plus", "qwen-vl-max", vision=True),
    KnownChatModel("qwen3-max", "alibaba", vision=False, context=262144, max_output=65536),
    KnownChatModel("qwen-plus", "alibaba", vision=False, context=128000, max_output=8192),
    KnownChatModel("qwen-max", "alibaba", vision=False, context=32768, max_output=8192),
    KnownChatModel("qwen-flash", "alibaba", vision=False, context=1000000, max_output=32768),
    KnownChatModel(
        "claude-sonnet-4-6", "anthropic", vision=True, context=1000000, max_output=64000
    ),
    KnownChatModel("claude-opus-4-6", "anthropic", vision=True, context=1000000, max_output=128000),
    *_models(
        "anthropic",
        "claude-sonnet-4-5-20250929",
        "claude-sonnet-4-20250514",
        "claude-opus-4-5-20251101",
        "claude-opus-4-20250514",
        "claude-opus-4-1-20250805",
        "claude-haiku-4-5-20251001",
        vision=True,
    ),
    KnownChatModel("command-r-08-2024", "cohere", vision=False, context=4000, max_output=4000),
    KnownChatModel("deepseek-reasoner", "deepseek", vision=False, context=128000, max_output=64000),
    KnownChatModel("deepseek-chat", "deepseek", vision=False, context=128000, max_output=8000),
    *_models(
        "googleai",
        "gemini-3.1-pro-preview",
        "gemini-3-flash-preview",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        vision=True,
    ),
    *_models(
        "replicate",
        "meta/meta-llama-3.1-405b-instruct",
        "meta/meta-llama-3-70b-instruct",
        "meta/llama-4-scout-instruct",
        "meta/llama-4-maverick-instruct",
        "meta/llama-2-70b-chat",
        vision=False,
    ),
    *_models(
        "mistralai",
        "magistral-small-latest",
        "magistral-medium-latest",
        "ministral-14b-latest",
        "open-mistral-nemo",
        "mistral-small-latest",
        "mistral-medium-latest",
        "mistral-large-latest",
        vision=False,
    ),
    *_models(
        "openai",
        "gpt-5.1-codex-mini",
        "gpt-5.1-codex",
        "o4-mini",
        "gpt-5.2-pro",
        "gpt-5.2",
        "gpt-5.1",
        "gpt-5-nano",
        "gpt-5-mini",
        "gpt-5-chat-latest",
        "gpt-5",
        "gpt-4o-mini",
        "gpt-4o",
        "gpt-4.1-nano",
        "gpt-4.1-mini",
        "gpt-4.1",
        "gpt-4-turbo",
        "o4-mini-deep-research",
        "o3-pro",
        "o3-deep-research",
        "o3",
        vision=True,
    ),
    *_models("openai", "o3-mini", "gpt-3.5-turbo", vision=False),
    *_models("replicate", "openai/gpt-oss-20b", "openai/gpt-oss-120b", vision=False),
    *_models(
        "perplexity",
        "sonar-reasoning-pro",
        "sonar-pro",
        "sonar-deep-research",
        "sonar",
        vision=False,
    ),
    *_models("xai", "grok-4-fast-reasoning", "grok-4-fast-non-reasoning", vision=True),
    *_models("xai", "grok-4-0709", "grok-3-mini", "grok-3", vision=False),
)
"""The 68 ``UNIFY_CHAT_WITH_AI`` models of the reference's live dump (§14.2)."""

CHAT_MODELS_BY_ID: dict[str, KnownChatModel] = {m.model_id: m for m in CHAT_MODELS}

FEATURE_MODELS: dict[str, tuple[str, ...]] = {
    "IMAGE_GENERATOR": (
        "qwen-image-plus",
        "qwen-image-max",
        "black-forest-labs/flux-schnell-lora",
        "black-forest-labs/flux-schnell",
        "black-forest-labs/flux-krea-dev",
        "black-forest-labs/flux-dev-lora",
        "black-forest-labs/flux-dev",
        "black-forest-labs/flux-1.1-pro-ultra",
        "black-forest-labs/flux-1.1-pro",
        "black-forest-labs/flux-2-pro",
        "dzine",
        "gemini-3-pro-image-preview",
        "gemini-2.5-flash-image",
        "gemini-3.1-flash-image-preview",
        "e71a1c2f-4f80-4800-934f-2c68979d8cc8",
        "b24e16ff-06e3-43eb-8d33-4416c2d75876",
        "aa77f04e-3eec-4034-9c07-d0f619684628",
        "6b645e3a-d64f-4341-a6d8-7a3690fbf042",
        "5c232a9e-9061-4777-980a-ddc8e65647c6",
        "2067ae52-33fd-4a82-bb92-c2c55e7d2786",
        "1e60896f-3c26-4296-8ecc-53e2afecc132",
        "magic-art_7_0",
        "magic-art_6_1",
        "magic-art",
        "midjourney_7_0",
        "midjourney_6_1",
        "midjourney",
        "dall-e-3",
        "dall-e-2",
        "gpt-image-1-mini",
        "gpt-image-1",
        "gpt-image-2",
        "recraft",
        "stable-diffusion-xl-1024-v1-0",
        "stable-image-ultra",
        "stable-image",
        "grok-2-image-1212",
    ),
    "IMAGE_VARIATOR": (
        "black-forest-labs/flux-redux-schnell",
        "black-forest-labs/flux-redux-dev",
        "dzine",
        "magic-art_7_0",
        "magic-art_6_1",
        "magic-art",
        "midjourney_7_0",
        "midjourney_6_1",
        "midjourney",
        "dall-e-2",
        "recraft",
    ),
    "IMAGE_EDITOR": (
        "qwen-image-edit-plus",
        "black-forest-labs/flux-kontext-pro",
        "black-forest-labs/flux-kontext-max",
        "black-forest-labs/flux-kontext-dev-lora",
        "black-forest-labs/flux-kontext-dev",
        "black-forest-labs/flux-depth-pro",
        "black-forest-labs/flux-depth-dev",
        "black-forest-labs/flux-canny-pro",
        "black-forest-labs/flux-canny-dev",
        "gemini-3-pro-image-preview",
        "gemini-2.5-flash-image",
        "gpt-image-1-mini",
        "gpt-image-1",
        "gpt-image-2",
        "stable-diffusion-xl-1024-v1-0",
    ),
    "TEXT_TO_SPEECH": ("tts-1", "tts-1-hd", "elevenlabs-tts", "google-tts", "qwen3-tts-flash"),
    "SPEECH_TO_TEXT": (
        "qwen3-asr-flash",
        "elevenlabs-speech-to-text",
        "telephony_short",
        "telephony",
        "phone_call",
        "medical_dictation",
        "medical_conversation",
        "latest_short",
        "latest_long",
        "gpt-4o-transcribe-diarize",
        "gpt-4o-transcribe",
        "whisper-1",
    ),
    "AUDIO_TRANSLATOR": (
        "qwen3-livetranslate-flash",
        "gemini-3.1-pro-preview",
        "gemini-3-flash-preview",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "whisper-1",
    ),
    "CODE_GENERATOR": (
        "qwen3-coder-plus",
        "qwen3-coder-flash",
        "claude-sonnet-4-6",
        "claude-sonnet-4-5-20250929",
        "claude-sonnet-4-20250514",
        "claude-opus-4-6",
        "claude-opus-4-5-20251101",
        "claude-opus-4-1-20250805",
        "claude-haiku-4-5-20251001",
        "deepseek-reasoner",
        "deepseek-chat",
        "gemini-3.1-pro-preview",
        "gemini-3-flash-preview",
        "gpt-5.1-codex-mini",
        "gpt-5.1-codex",
        "gpt-5-chat-latest",
        "gpt-5",
        "gpt-4o",
        "o3",
        "grok-code-fast-1",
    ),
}
"""Non-chat feature -> model ids (reference §9.2, §10, §11.1, §12.5, §12.6, §14.2)."""

GOOGLE_STT_MODELS: frozenset[str] = frozenset(
    {
        "latest_short",
        "latest_long",
        "telephony",
        "telephony_short",
        "phone_call",
        "medical_dictation",
        "medical_conversation",
    }
)
"""Speech-to-text models that require ``promptObject.language`` (reference §12.3)."""

OPENAI_TTS_VOICES: tuple[str, ...] = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
"""The documented ``voice`` values of the OpenAI TTS models (reference §11.1)."""

TTS_FORMATS: tuple[str, ...] = ("mp3", "opus", "aac", "flac", "wav", "pcm")
"""The documented ``response_format`` values of TEXT_TO_SPEECH (reference §11.1)."""


FEATURES: tuple[str, ...] = ("UNIFY_CHAT_WITH_AI", *FEATURE_MODELS)
"""Every feature this table knows models of."""


def known_model_ids(feature: str = "UNIFY_CHAT_WITH_AI") -> tuple[str, ...]:
    """The model ids this table knows for ``feature`` (empty for an unknown feature)."""
    if feature == "UNIFY_CHAT_WITH_AI":
        return tuple(m.model_id for m in CHAT_MODELS)
    return FEATURE_MODELS.get(feature, ())
