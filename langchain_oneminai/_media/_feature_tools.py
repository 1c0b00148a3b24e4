"""The typed feature tools beyond images and speech.

Video, music, sound effects, audio translation, voice, YouTube, writing and code. Each is a
``MediaTool``: its ``_plan`` is one pure function of ``_plans`` (arguments -> ``FeatureCall``,
checked against ``_data/features.json``), its ``_result`` one of ``_generic.feature_result``
(files -> one line naming them; text -> the content). The template does the uploads, the call
(video and music: 600 s of silence allowed), the downloads and the saving.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from langchain_oneminai._media import _plans as plans
from langchain_oneminai._media import _results as results
from langchain_oneminai._media import _text_plans as text_plans
from langchain_oneminai._media._feature_schemas import (
    AudioTranslationInput,
    CodeInput,
    ContentGenerationInput,
    MusicInput,
    SoundEffectInput,
    VideoInput,
    VoiceChangeInput,
    VoiceCloneInput,
    VoiceDesignInput,
    WritingInput,
    YouTubeInput,
)
from langchain_oneminai._media._generic import feature_result
from langchain_oneminai._media._tool import FeatureCall, MediaTool
from langchain_oneminai._wire import AIRecord

__all__ = [
    "OneMinAIAudioTranslatorTool",
    "OneMinAICodeTool",
    "OneMinAIContentGeneratorTool",
    "OneMinAIMusicTool",
    "OneMinAISoundEffectTool",
    "OneMinAIVideoTool",
    "OneMinAIVoiceChangerTool",
    "OneMinAIVoiceCloneTool",
    "OneMinAIVoiceDesignTool",
    "OneMinAIWritingTool",
    "OneMinAIYouTubeTool",
]


class FeatureTool(MediaTool):
    """A typed feature tool: the model named by the call, else the tool's ``model``."""

    what: ClassVar[str | None] = None
    """How the content names the result files (``music``, ``a sound effect``...)."""

    def _model(self, args: Any) -> str:
        chosen = getattr(args, "model", None)
        return chosen or str(getattr(self, "model", ""))

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[Any, results.FeatureArtifact]:
        return feature_result(call, body, record, files, self.what)


class OneMinAIVideoTool(FeatureTool):
    """Text to video, or a picture brought to life, with 1min.ai.

    ``TEXT_TO_VIDEO``, or ``IMAGE_TO_VIDEO`` when an ``image`` is given (sora keeps
    ``TEXT_TO_VIDEO`` and takes the picture as its first frame). Veo 3, Kling, Hailuo, Pika,
    Sora 2, Luma, Skyreels, Leonardo Motion and more behind one key.

    The generic ``duration``, ``aspect_ratio``, ``resolution`` and ``negative_prompt`` go to
    each model's own fields (veo3's ``veo3_duration: "8s"``, sora's ``seconds`` and ``size``,
    hailuo's ``resolution: 768``...), checked against the documented values before anything is
    sent (wire-features.md#text-to-video, wire-features.md#image-to-video). Fields a model
    requires without a documented default get the value named in ``_plans`` (kling's
    image-to-video ``version`` and ``cfg_scale``: the docs' example).

    Generations are synchronous and long: the call may stay silent for 600 s
    (``LONG_GENERATION_TIMEOUT``) unless ``timeout`` is set.

    Setup:
        .. code-block:: bash

            pip install -U langchain-oneminai
            export ONEMINAI_API_KEY="your-api-key"

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIVideoTool

            tool = OneMinAIVideoTool(save_dir="videos", root_dir="stills")  # veo3-video

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"prompt": "A paper boat drifting down a rainy street", "duration": 8})
            # 'Generated 1 video with veo3-video: https://… (saved to videos/….mp4)'
            tool.invoke({"prompt": "The lighthouse beam sweeps", "image": "lighthouse.png"})

    Artifact:
        ``{"feature", "model", "record_id", "prompt_object", "files": [{"url", "asset_key",
        "mime_type", "data", "path"}], "text": None}``.
    """

    name: str = "oneminai_video_generator"
    """The tool name the model calls."""
    description: str = (
        "Generate a short video with 1min.ai from a text prompt, or animate a picture (a local "
        "path, URL or 1min.ai asset key). Returns where the video file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = VideoInput
    """The arguments (``VideoInput``)."""
    model: str = plans.default_model("TEXT_TO_VIDEO")
    """The model used when a call names none (veo3-video: documented for both features)."""
    what: ClassVar[str | None] = "1 video"

    def _plan(self, args: VideoInput) -> FeatureCall:
        return plans.video_call(args, self._model(args))


class OneMinAIMusicTool(FeatureTool):
    """Music from a description, or songs with lyrics, with 1min.ai (``MUSIC_GENERATOR``).

    Lyria (``lyria-002``: 30 s instrumental clips, the default), Suno (``suno-ttapi``), Udio
    (``music-u``) and MusicGen (``meta/musicgen:…``, which can follow a melody). Their four
    documented schemas differ completely (wire-features.md#music-generator); the tool maps
    ``prompt``, ``lyrics``, ``instrumental``, ``title``, ``tags``, ``negative_prompt``,
    ``duration`` and ``melody`` to each and refuses what a model does not take. Required fields
    without a documented default (suno's ``mv``, musicgen's ``model_version``, ``duration``,
    ``output_format``, ``normalization_strategy``) get the values named in ``_plans``.

    Generations may take minutes: 600 s of silence are allowed unless ``timeout`` is set.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIMusicTool

            tool = OneMinAIMusicTool(save_dir="music")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"prompt": "calm piano over soft rain, slow tempo"})
            tool.invoke({"prompt": "upbeat pop", "model": "suno-ttapi", "lyrics": "La la la..."})

    Artifact:
        As ``OneMinAIVideoTool``'s: the audio file(s) in ``files``.
    """

    name: str = "oneminai_music_generator"
    """The tool name the model calls."""
    description: str = (
        "Compose music with 1min.ai from a description (genre, mood, instruments), or a song "
        "with lyrics. Returns where the audio file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = MusicInput
    """The arguments (``MusicInput``)."""
    model: str = plans.default_model("MUSIC_GENERATOR")
    """The model used when a call names none (lyria-002: only ``prompt`` is required)."""
    what: ClassVar[str | None] = "music"

    def _plan(self, args: MusicInput) -> FeatureCall:
        return plans.music_call(args, self._model(args))


class OneMinAISoundEffectTool(FeatureTool):
    """Sound effects from a description, with 1min.ai (``TEXT_TO_SOUND``, ElevenLabs).

    The fields are those a deployed app sends (wire-features.md#text-to-sound: ``text``,
    ``duration_seconds`` 0.5-30, ``prompt_influence``, ``loop``, ``output_format``).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAISoundEffectTool

            tool = OneMinAISoundEffectTool(save_dir="sounds")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"prompt": "thunder rolling over distant hills", "duration": 6})
    """

    name: str = "oneminai_sound_effect_generator"
    """The tool name the model calls."""
    description: str = (
        "Make a sound effect with 1min.ai from a description (0.5 to 30 seconds). Returns where "
        "the audio file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = SoundEffectInput
    """The arguments (``SoundEffectInput``)."""
    model: str = plans.default_model("TEXT_TO_SOUND")
    """The model used when a call names none."""
    what: ClassVar[str | None] = "a sound effect"

    def _plan(self, args: SoundEffectInput) -> FeatureCall:
        return plans.sound_effect_call(args, self._model(args))


class OneMinAIAudioTranslatorTool(FeatureTool):
    """Speech in one language to text in another, with 1min.ai (``AUDIO_TRANSLATOR``).

    A tool of its own rather than a mode of ``OneMinAISpeechToTextTool``: its models, fields and
    defaults differ (wire-features.md#audio-translator). ``whisper-1`` (the default) translates
    into English only and takes ``response_format``; a ``target_language`` other than English
    picks ``gemini-2.5-flash``, which needs the ``source_language`` too. The recording is
    uploaded like the speech-to-text tool's.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIAudioTranslatorTool

            tool = OneMinAIAudioTranslatorTool(root_dir="audio")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"audio": "interview_fr.mp3"})  # into English
            tool.invoke({"audio": "talk.mp3", "source_language": "en", "target_language": "es"})

    Artifact:
        ``text`` holds the translation; ``files`` is empty.
    """

    name: str = "oneminai_audio_translator"
    """The tool name the model calls."""
    description: str = (
        "Translate a spoken recording (local path, URL or 1min.ai asset key) into text in "
        "another language with 1min.ai (English by default)."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = AudioTranslationInput
    """The arguments (``AudioTranslationInput``)."""
    model: str = plans.default_model("AUDIO_TRANSLATOR")
    """The model used when a call names none and wants English (whisper-1)."""

    def _plan(self, args: AudioTranslationInput) -> FeatureCall:
        return plans.audio_translation_call(args, plans.translation_model(args, self.model))

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[Any, results.FeatureArtifact]:
        text = results.transcript_from_result(record.result)
        _, artifact = feature_result(call, body, record, files)
        artifact["text"] = text
        return text, artifact


class OneMinAIVoiceChangerTool(FeatureTool):
    """Re-voice a recording with another voice, with 1min.ai (``VOICE_CHANGER``, ElevenLabs).

    ``voice_id`` is an ElevenLabs voice id; the docs' two stored versions list different ids,
    so none is built in (wire-features.md#voice-changer).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIVoiceChangerTool

            tool = OneMinAIVoiceChangerTool(root_dir="audio", save_dir="audio/out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"audio": "memo.mp3", "voice_id": "JBFqnCBsd6RMkjVDRZzb"})
    """

    name: str = "oneminai_voice_changer"
    """The tool name the model calls."""
    description: str = (
        "Make a recording (local path, URL or 1min.ai asset key) speak with another voice "
        "(an ElevenLabs voice id) with 1min.ai. Returns where the audio file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = VoiceChangeInput
    """The arguments (``VoiceChangeInput``)."""
    model: str = plans.default_model("VOICE_CHANGER")
    """The model used when a call names none."""
    what: ClassVar[str | None] = "the re-voiced audio"

    def _plan(self, args: VoiceChangeInput) -> FeatureCall:
        return plans.voice_change_call(args, self._model(args))


class OneMinAIVoiceCloneTool(FeatureTool):
    """Say a text in the voice of a sample recording, with 1min.ai (``VOICE_CLONING``).

    The feature returns speech, not a reusable voice (wire-features.md#voice-cloning).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIVoiceCloneTool

            tool = OneMinAIVoiceCloneTool(root_dir="audio", save_dir="audio/out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"sample": "my_voice.wav", "text": "Welcome to the show."})
    """

    name: str = "oneminai_voice_clone"
    """The tool name the model calls."""
    description: str = (
        "Speak a text in the voice of a sample recording (local path, URL or 1min.ai asset key) "
        "with 1min.ai. Returns where the audio file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = VoiceCloneInput
    """The arguments (``VoiceCloneInput``)."""
    model: str = plans.default_model("VOICE_CLONING")
    """The model used when a call names none."""
    what: ClassVar[str | None] = "speech in the cloned voice"

    def _plan(self, args: VoiceCloneInput) -> FeatureCall:
        return plans.voice_clone_call(args, self._model(args))


class OneMinAIVoiceDesignTool(FeatureTool):
    """Invent a voice from a description and say a text with it (``VOICE_DESIGN``).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIVoiceDesignTool

            tool = OneMinAIVoiceDesignTool(save_dir="voices")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"description": "a warm, raspy pirate", "text": "Ahoy there!"})
    """

    name: str = "oneminai_voice_design"
    """The tool name the model calls."""
    description: str = (
        "Invent a voice from a description and speak a text with it, with 1min.ai. Returns "
        "where the audio file is."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = VoiceDesignInput
    """The arguments (``VoiceDesignInput``)."""
    model: str = plans.default_model("VOICE_DESIGN")
    """The model used when a call names none."""
    what: ClassVar[str | None] = "speech in the designed voice"

    def _plan(self, args: VoiceDesignInput) -> FeatureCall:
        return plans.voice_design_call(args, self._model(args))


class OneMinAIYouTubeTool(FeatureTool):
    """Summarize a YouTube video with 1min.ai (``YOUTUBE_SUMMARIZER``).

    Two live clients send ``videoUrl`` and ``language`` (wire-features.md#youtube-summarizer).
    Transcribing and translating a video (``YOUTUBE_TRANSCRIBER``, ``YOUTUBE_TRANSLATOR``) have
    no field a developer-API source shows: use ``OneMinAIFeatureTool`` for them.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIYouTubeTool

            tool = OneMinAIYouTubeTool()

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})
    """

    name: str = "oneminai_youtube_summarizer"
    """The tool name the model calls."""
    description: str = "Summarize a YouTube video (give its URL) with 1min.ai."
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = YouTubeInput
    """The arguments (``YouTubeInput``)."""
    model: str = plans.default_model("YOUTUBE_SUMMARIZER")
    """The model used when a call names none."""

    def _plan(self, args: YouTubeInput) -> FeatureCall:
        return text_plans.youtube_call(args, self._model(args))


class OneMinAIWritingTool(FeatureTool):
    """1min.ai's writing tools on a text, one ``task`` per call.

    Summarize, paraphrase, grammar, rewrite, expand, shorten, translate, keyword research. One
    tool with a ``task``: the tasks share their arguments (text, tone, length, languages),
    so one small schema serves all eight. Expand, shorten, rewrite and translate have
    documented fields (wire-features.md#content-expander, wire-features.md#content-translator);
    summarize, paraphrase, grammar and keywords only the web app's (provisional,
    wire-features.md#summarizer). Required fields a call leaves out: tone ``informative`` and a
    target length of twice, half or the same number of words (expand, shorten, rewrite); for
    translate, tone, domain and style ``neutral``, ``General``, ``Standard``.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIWritingTool

            tool = OneMinAIWritingTool()  # gpt-4o-mini

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"task": "shorten", "text": long_text, "word_count": 50})
            spanish = {"task": "translate", "source_language": "en", "language": "es"}
            tool.invoke({**spanish, "text": "Hello!"})
    """

    name: str = "oneminai_writing_assistant"
    """The tool name the model calls."""
    description: str = (
        "Work on a text with 1min.ai's writing tools: summarize, paraphrase, grammar (correct "
        "it), rewrite, expand, shorten, translate, or keywords (keyword research on a topic)."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = WritingInput
    """The arguments (``WritingInput``)."""
    model: str = plans.default_model("CONTENT_SHORTENER")
    """The model used when a call names none."""

    def _plan(self, args: WritingInput) -> FeatureCall:
        return text_plans.writing_call(args, self._model(args))


class OneMinAIContentGeneratorTool(FeatureTool):
    """1min.ai's content generators: blog articles, social posts and comments, ads, emails.

    One tool with a ``kind`` (13 ``CONTENT_GENERATOR_*`` features). Their fields come from the
    web app only (``prompt``, ``tone``, ``language``; ``originalEmail`` for replies) and are
    provisional (wire-features.md#content-generator-blog-article).
    ``CONTENT_GENERATOR_BRAND_VOICE`` has no known fields: use ``OneMinAIFeatureTool``.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIContentGeneratorTool

            tool = OneMinAIContentGeneratorTool()

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"kind": "linkedin_post", "brief": "We shipped v2", "tone": "proud"})
    """

    name: str = "oneminai_content_generator"
    """The tool name the model calls."""
    description: str = (
        "Write marketing and social content with 1min.ai: blog articles, Instagram, Facebook, "
        "LinkedIn, TikTok and X posts and comments, Facebook and Google ads, emails and replies."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ContentGenerationInput
    """The arguments (``ContentGenerationInput``)."""
    model: str = plans.default_model("CONTENT_GENERATOR_BLOG_ARTICLE")
    """The model used when a call names none."""

    def _plan(self, args: ContentGenerationInput) -> FeatureCall:
        return text_plans.content_call(args, self._model(args))


class OneMinAICodeTool(FeatureTool):
    """Code from a description, with 1min.ai (``CODE_GENERATOR``), optionally web-searched.

    ``{prompt, webSearch, numOfSite, maxWord}`` as three live clients send them, and no
    ``conversationId`` (wire-features.md#code-generator).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAICodeTool

            tool = OneMinAICodeTool()  # gpt-4o

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"prompt": "A Python function that parses ISO-8601 durations"})
    """

    name: str = "oneminai_code_generator"
    """The tool name the model calls."""
    description: str = (
        "Write code with 1min.ai's code generator from a description (say the language); it "
        "can search the web first."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = CodeInput
    """The arguments (``CodeInput``)."""
    model: str = plans.default_model("CODE_GENERATOR")
    """The model used when a call names none."""

    def _plan(self, args: CodeInput) -> FeatureCall:
        return text_plans.code_call(args, self._model(args))
