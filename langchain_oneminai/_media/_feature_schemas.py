"""The argument schemas of the feature tools: what a model sees when it calls them.

Video, music, sound, voice, image operations, YouTube, writing, code. As in ``_schemas``,
attribute docstrings become the JSON-schema descriptions, and values are checked by the plans
(``_plans``) against the feature table, so a bad value fails before anything is sent. Each
schema holds only what its feature takes: one tool per operation keeps every argument
meaningful for every call.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_oneminai._media._schemas import _Schema

__all__ = [
    "AudioTranslationInput",
    "BackgroundRemovalInput",
    "BackgroundReplacementInput",
    "CodeInput",
    "ContentGenerationInput",
    "FaceSwapInput",
    "ImageExtensionInput",
    "ImageToPromptInput",
    "InpaintingInput",
    "MusicInput",
    "ObjectRemovalInput",
    "SearchReplaceInput",
    "SketchInput",
    "SoundEffectInput",
    "UpscaleInput",
    "VideoInput",
    "VoiceChangeInput",
    "VoiceCloneInput",
    "VoiceDesignInput",
    "WritingInput",
    "YouTubeInput",
]

_IMAGE = "a local file path, an http(s) URL, or a 1min.ai asset key (images/...)"


class VideoInput(_Schema):
    """Arguments of ``OneMinAIVideoTool``."""

    prompt: str
    """What the video should show: scene, motion, style."""
    image: str | None = None
    """A picture to animate (its first frame): a local file path, an http(s) URL or a 1min.ai
    asset key. Leave out to make the video from the prompt alone."""
    model: str | None = None
    """A 1min.ai video model: veo3-video (default), kling, hailuo, pika, sora-2, sora-2-pro,
    luma, Qubico/skyreels or leonardo-motion (these two animate an image only). Leave out for
    the tool's default."""
    duration: int | None = None
    """Length in seconds: veo3-video 8; kling and pika 5 or 10; hailuo 6 or 10; sora 4, 8
    or 12; luma 5 (or 10 animating an image)."""
    aspect_ratio: str | None = None
    """'16:9', '9:16' or '1:1' (sora: '16:9' or '9:16')."""
    resolution: str | None = None
    """'720p' or '1080p' (hailuo: '768p' or '1080p')."""
    negative_prompt: str | None = None
    """What the video should not show."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, sent as they are, e.g. {"generate_audio": true} (veo3-video)
    or {"mode": "pro"} (kling)."""


class MusicInput(_Schema):
    """Arguments of ``OneMinAIMusicTool``."""

    prompt: str
    """What the music should sound like: genre, mood, instruments, tempo."""
    model: str | None = None
    """A 1min.ai music model: lyria-002 (default: a 30 s instrumental clip), suno-ttapi or
    music-u (songs, with lyrics), meta/musicgen:... (1-30 s, can follow a melody)."""
    lyrics: str | None = None
    """Song lyrics to sing (suno-ttapi, music-u). Leave out to let the model write them."""
    instrumental: bool | None = None
    """No vocals (suno-ttapi, music-u)."""
    title: str | None = None
    """The song's title (suno-ttapi, music-u)."""
    tags: str | None = None
    """Comma-separated genres or styles, e.g. 'lofi, jazz' (suno-ttapi, music-u)."""
    negative_prompt: str | None = None
    """What to avoid (lyria-002; music-u as negative tags)."""
    duration: int | None = None
    """Seconds, 1 to 30 (meta/musicgen only; lyria-002 always makes 30 s)."""
    melody: str | None = None
    """A recording whose melody to follow (meta/musicgen): a local file path, an http(s) URL or
    a 1min.ai asset key (audios/...)."""
    output_format: str | None = None
    """'mp3' or 'wav' (meta/musicgen)."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, sent as they are, e.g. {"seed": 7}."""


class SoundEffectInput(_Schema):
    """Arguments of ``OneMinAISoundEffectTool``."""

    prompt: str
    """The sound to make, e.g. 'a door creaking open in an empty hall'."""
    duration: float | None = None
    """Length in seconds, 0.5 to 30. Leave out to let the model choose."""
    prompt_influence: float | None = None
    """How closely to follow the prompt (higher: more literal; the model's default is 0.3)."""
    loop: bool | None = None
    """Make a sound that loops seamlessly."""
    output_format: str | None = None
    """ElevenLabs output format, e.g. 'mp3_44100_128' (the default)."""
    model: str | None = None
    """A 1min.ai TEXT_TO_SOUND model id (elevenlabs-text-to-sound, the default)."""


class AudioTranslationInput(_Schema):
    """Arguments of ``OneMinAIAudioTranslatorTool``."""

    audio: str
    """The recording: a local file path, an http(s) URL, or a 1min.ai asset key (audios/...)."""
    target_language: str | None = None
    """The language to translate into, as a code such as 'es' or 'fr'. whisper-1 (the default
    model) translates into English only; another language picks gemini-2.5-flash."""
    source_language: str | None = None
    """The spoken language, as a code such as 'en' (required by the Gemini models)."""
    model: str | None = None
    """A 1min.ai AUDIO_TRANSLATOR model: whisper-1 (into English), gemini-2.5-flash,
    gemini-2.5-pro, gemini-3-flash-preview, gemini-3.1-pro-preview."""
    response_format: str | None = None
    """whisper-1 output: text (default), json, srt, verbose_json, vtt."""
    prompt: str | None = None
    """whisper-1: a text to guide the style or spell names."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, e.g. {"tone": "formal", "domain": "medicine"} (Gemini) or
    {"temperature": 0} (whisper-1)."""


class BackgroundRemovalInput(_Schema):
    """Arguments of ``OneMinAIBackgroundRemoverTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    model: str | None = None
    """A 1min.ai BACKGROUND_REMOVER model: stable-image (default), clipdrop, recraft."""
    output_format: str | None = None
    """'png' (default, keeps transparency), 'jpeg' or 'webp' (stable-image)."""


class BackgroundReplacementInput(_Schema):
    """Arguments of ``OneMinAIBackgroundReplacerTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    prompt: str
    """The new background, e.g. 'a sunny beach at noon'."""
    model: str | None = None
    """A 1min.ai BACKGROUND_REPLACER model: clipdrop (default), gpt-image-1, gpt-image-1-mini,
    recraft."""
    n: int | None = None
    """How many images (gpt-image-1/-mini: 1-10; recraft)."""
    size: str | None = None
    """gpt-image-1/-mini: '1024x1024' (default), '1024x1536' or '1536x1024'."""
    quality: str | None = None
    """gpt-image-1/-mini: 'low', 'medium' (default) or 'high'."""
    output_format: str | None = None
    """gpt-image-1/-mini: 'png', 'jpeg' or 'webp'."""
    negative_prompt: str | None = None
    """What the background should not show (recraft)."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, e.g. {"style": "vector_illustration"} (recraft)."""


class UpscaleInput(_Schema):
    """Arguments of ``OneMinAIImageUpscalerTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    model: str | None = None
    """A 1min.ai IMAGE_UPSCALER model: stable-image (default, 4x), dzine, recraft."""
    output_format: str | None = None
    """'png' (default), 'jpeg' or 'webp' (stable-image)."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, sent as they are (dzine and recraft)."""


class ImageToPromptInput(_Schema):
    """Arguments of ``OneMinAIImageToPromptTool``."""

    image: str
    """The picture to describe: a local file path, an http(s) URL, or a 1min.ai asset key."""
    model: str | None = None
    """A 1min.ai IMAGE_TO_PROMPT model: methexis-inc/img2prompt:... (default), midjourney,
    magic-art."""
    n: int | None = None
    """How many descriptions (midjourney, magic-art: 1-10)."""


class ObjectRemovalInput(_Schema):
    """Arguments of ``OneMinAIObjectRemoverTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    mask: str
    """A mask of the same size: white where to remove, black where to keep (path, URL or
    asset key)."""
    model: str | None = None
    """A 1min.ai IMAGE_OBJECT_REMOVER model: stable-image (default), recraft, bria/eraser."""
    output_format: str | None = None
    """'png' (default), 'jpeg' or 'webp' (stable-image)."""


class ImageExtensionInput(_Schema):
    """Arguments of ``OneMinAIImageExtenderTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    left: int | None = None
    """Pixels to add on the left (0-2000; clipdrop: -2000 to 2000, negative crops)."""
    right: int | None = None
    """Pixels to add on the right."""
    up: int | None = None
    """Pixels to add at the top."""
    down: int | None = None
    """Pixels to add at the bottom."""
    model: str | None = None
    """A 1min.ai IMAGE_EXTENDER model: stable-image (default) or clipdrop."""
    output_format: str | None = None
    """'png' (default), 'jpeg' or 'webp' (stable-image)."""


class InpaintingInput(_Schema):
    """Arguments of ``OneMinAIInpaintingTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    mask: str
    """A mask of the same size: white where to paint, black where to keep (path, URL or asset
    key)."""
    prompt: str
    """What to paint in the masked area."""
    model: str | None = None
    """A 1min.ai IMAGE_INPAINTER model: black-forest-labs/flux-fill-pro (default),
    black-forest-labs/flux-fill-dev, gpt-image-1-mini, gpt-image-1, stable-image."""
    n: int | None = None
    """How many images (gpt-image-1-mini: 1-10)."""
    size: str | None = None
    """gpt-image-1-mini: '1024x1024' (default), '1024x1536' or '1536x1024'."""
    output_format: str | None = None
    """File format (stable-image: 'jpeg' only)."""
    extras: dict[str, Any] | None = None
    """Other fields of the model, e.g. {"steps": 30, "guidance": 60} (flux-fill-pro)."""


class SearchReplaceInput(_Schema):
    """Arguments of ``OneMinAISearchReplaceTool``."""

    image: str
    """The picture: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    search: str
    """The object to find, e.g. 'the red car'."""
    prompt: str
    """What to put in its place, e.g. 'a blue bicycle'."""
    model: str | None = None
    """A 1min.ai SEARCH_AND_REPLACE model (stable-image, the default)."""


class SketchInput(_Schema):
    """Arguments of ``OneMinAISketchToImageTool``."""

    image: str
    """The sketch: a local file path, an http(s) URL, or a 1min.ai asset key (images/...)."""
    prompt: str
    """What the finished image should show."""
    model: str | None = None
    """A 1min.ai SKETCH_TO_IMAGE model: stable-image (default) or
    jagilley/controlnet-scribble:..."""
    control_strength: float | None = None
    """How closely to follow the sketch, 0 to 1 (stable-image; default 0.7)."""
    negative_prompt: str | None = None
    """What the image should not show."""
    output_format: str | None = None
    """'png' (default), 'jpeg' or 'webp' (stable-image)."""
    style_preset: str | None = None
    """A style, e.g. 'anime', 'cinematic', 'comic-book', '3d-model' (stable-image)."""


class FaceSwapInput(_Schema):
    """Arguments of ``OneMinAIFaceSwapTool``."""

    image: str
    """The picture whose face is replaced: a local file path, an http(s) URL, or a 1min.ai
    asset key (images/...)."""
    face: str
    """A picture of the face to put in (path, URL or asset key)."""
    model: str | None = None
    """A 1min.ai FACE_SWAPPER model: dzine (default) or Qubico/image-toolkit."""
    n: int | None = None
    """How many images, 1 to 4 (dzine; default 1)."""
    output_format: str | None = None
    """'webp' (default) or 'jpeg' (dzine)."""


class YouTubeInput(_Schema):
    """Arguments of ``OneMinAIYouTubeTool``."""

    url: str
    """The YouTube video's full URL, e.g. https://www.youtube.com/watch?v=..."""
    language: str | None = None
    """The language of the summary, as a name such as 'English' (the default) or 'French'."""
    model: str | None = None
    """A 1min.ai chat model id (gpt-4o-mini by default)."""


WritingTask = Literal[
    "summarize", "paraphrase", "grammar", "rewrite", "expand", "shorten", "translate", "keywords"
]


class WritingInput(_Schema):
    """Arguments of ``OneMinAIWritingTool``."""

    task: WritingTask
    """summarize, paraphrase, grammar (check and correct), rewrite, expand, shorten,
    translate, or keywords (keyword research on a topic)."""
    text: str
    """The text to work on (for keywords: the topic)."""
    tone: str | None = None
    """The tone, e.g. 'informative', 'friendly', 'professional' (not for grammar, keywords)."""
    word_count: int | None = None
    """Target length in words (expand, shorten, rewrite; by default twice, half, or as long as
    the text)."""
    language: str | None = None
    """translate: the target language code, e.g. 'es' (required). summarize, paraphrase: the
    language to write in, e.g. 'English'."""
    source_language: str | None = None
    """translate: the text's language code, e.g. 'en' (required)."""
    domain: str | None = None
    """translate: the subject, e.g. 'Technology & Computing'."""
    writing_style: str | None = None
    """translate: the style, e.g. 'Conversational', 'Formal'."""
    model: str | None = None
    """A 1min.ai chat model id (gpt-4o-mini by default)."""


ContentKind = Literal[
    "blog_article",
    "instagram_post",
    "facebook_post",
    "linkedin_post",
    "tiktok_description",
    "x_tweet",
    "facebook_ads",
    "google_ads",
    "email",
    "email_reply",
    "linkedin_comment",
    "x_comment",
    "facebook_comment",
]


class ContentGenerationInput(_Schema):
    """Arguments of ``OneMinAIContentGeneratorTool``."""

    kind: ContentKind
    """What to write: blog_article, instagram_post, facebook_post, linkedin_post,
    tiktok_description, x_tweet, facebook_ads, google_ads, email, email_reply,
    linkedin_comment, x_comment or facebook_comment."""
    brief: str
    """The topic or instructions (a comment kind: the post being answered)."""
    tone: str | None = None
    """The tone, e.g. 'professional', 'casual', 'persuasive'."""
    language: str | None = None
    """The language to write in, e.g. 'English'."""
    original_email: str | None = None
    """email_reply only (required there): the email being answered."""
    model: str | None = None
    """A 1min.ai chat model id (gpt-4o-mini by default)."""


class CodeInput(_Schema):
    """Arguments of ``OneMinAICodeTool``."""

    prompt: str
    """What the code should do, with the language and any constraints."""
    model: str | None = None
    """A 1min.ai CODE_GENERATOR model, e.g. gpt-4o (default), claude-sonnet-4-5-20250929,
    qwen3-coder-plus, deepseek-chat."""
    web_search: bool | None = None
    """Let the model search the web first (for recent libraries and APIs)."""
    num_sites: int | None = None
    """With web_search: how many sites to read (default 3)."""
    max_words: int | None = None
    """With web_search: how many words to read from them (default 1000)."""


class VoiceChangeInput(_Schema):
    """Arguments of ``OneMinAIVoiceChangerTool``."""

    audio: str
    """The speech to re-voice: a local file path, an http(s) URL, or a 1min.ai asset key."""
    voice_id: str
    """The ElevenLabs voice id to speak with (a 20-character id from ElevenLabs' voice list)."""
    output_format: str | None = None
    """ElevenLabs output format, e.g. 'mp3_44100_128' (the default)."""
    remove_background_noise: bool | None = None
    """Remove background noise first."""
    model: str | None = None
    """A 1min.ai VOICE_CHANGER model id (elevenlabs-voice-changer, the default)."""


class VoiceCloneInput(_Schema):
    """Arguments of ``OneMinAIVoiceCloneTool``."""

    sample: str
    """A recording of the voice to clone: a local file path, an http(s) URL, or a 1min.ai
    asset key."""
    text: str
    """What the cloned voice should say."""
    language_code: str | None = None
    """The language of the text, e.g. 'en' (the default)."""
    stability: float | None = None
    """0 to 1: higher is steadier, lower more expressive (default 0.5)."""
    similarity_boost: float | None = None
    """0 to 1: how closely to match the sample (default 0.75)."""
    output_format: str | None = None
    """ElevenLabs output format, e.g. 'mp3_44100_128' (the default)."""
    remove_background_noise: bool | None = None
    """Remove background noise from the sample first."""
    model: str | None = None
    """A 1min.ai VOICE_CLONING model id (elevenlabs-voice-cloning, the default)."""


class VoiceDesignInput(_Schema):
    """Arguments of ``OneMinAIVoiceDesignTool``."""

    description: str
    """The voice to invent, e.g. 'a calm elderly man with a British accent'."""
    text: str
    """What the new voice should say."""
    loudness: float | None = None
    """0 to 1 (default 0.5)."""
    guidance_scale: float | None = None
    """0 to 1: how closely to follow the description (default 0.5)."""
    output_format: str | None = None
    """e.g. 'mp3_44100_128' (the default), 'mp3_44100_192', 'pcm_24000'."""
    model: str | None = None
    """A 1min.ai VOICE_DESIGN model id (elevenlabs-voice-design, the default)."""
