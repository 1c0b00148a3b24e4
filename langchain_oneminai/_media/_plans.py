"""Feature tool arguments -> what one call sends (pure): the plans of the feature tools.

Video, music, sound, translation and voice are here; image operations in ``_image_plans``,
YouTube, writing and code in ``_text_plans``, on the helpers of this module.

Each tool takes one set of agent-friendly arguments; a *family* row says, per model, which
``promptObject`` field each argument goes to (``None``: the model does not take it), how
values are written (``8`` -> ``"8s"`` for veo3, ``"768p"`` -> ``768`` for hailuo), and what a
required field gets when the call leaves it out. ``_features.checked_prompt_object`` then
checks every field against the feature table (types, enums, ranges, what a documented model
takes, required fields)::

    arguments ──▶ family row (per model) ──▶ promptObject fields ──▶ checked against
    _data/features.json ──▶ FeatureCall(feature, model, body, inputs, conversationId, ...)

Facts: wire-features.md (one heading per feature); the values a tool fills in for required
fields without a documented default are named in each row, with why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from langchain_oneminai._media import _features
from langchain_oneminai._media._feature_schemas import (
    AudioTranslationInput,
    MusicInput,
    SoundEffectInput,
    VideoInput,
    VoiceChangeInput,
    VoiceCloneInput,
    VoiceDesignInput,
)
from langchain_oneminai._media._tool import (
    GENERATION_TIMEOUT,
    LONG_GENERATION_TIMEOUT,
    FeatureCall,
    MediaInput,
)
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "audio_translation_call",
    "default_model",
    "feature_call",
    "music_call",
    "sound_effect_call",
    "video_call",
    "voice_change_call",
    "voice_clone_call",
    "voice_design_call",
]

TEXT_TO_VIDEO = "TEXT_TO_VIDEO"
IMAGE_TO_VIDEO = "IMAGE_TO_VIDEO"
ANIMATE_DIFF = (
    "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
)


def default_model(feature: str) -> str:
    """The feature table's default model of ``feature``."""
    spec = _features.feature_spec(feature)
    if spec is None:  # pragma: no cover - every tool names a feature of the table
        raise KeyError(feature)
    return spec.default_model


def given(**arguments: Any) -> dict[str, Any]:
    """The arguments a call gave (``None``: left out)."""
    return {name: value for name, value in arguments.items() if value is not None}


def feature_call(
    feature: str,
    model: str,
    body: Mapping[str, Any],
    *,
    fetch: str | None,
    inputs: tuple[MediaInput, ...] = (),
    extras: Mapping[str, Any] | None = None,
    fills: Mapping[str, Any] | None = None,
    arguments: Mapping[str, str] | None = None,
    managed: tuple[str, ...] = (),
    timeout: float = GENERATION_TIMEOUT,
) -> FeatureCall:
    """The call, once ``body`` and ``extras`` pass the feature table's checks.

    The top-level ``conversationId`` is the table's (wire-features.md#conversationid).

    Raises:
        InvalidInputError: a field or value the model does not take (nothing is sent).
    """
    spec = _features.feature_spec(feature)
    checked = _features.checked_prompt_object(
        feature,
        model,
        body,
        extras=extras,
        inputs=[item.field for item in inputs],
        fills=fills,
        arguments=arguments,
        managed=managed,
    )
    return FeatureCall(
        feature,
        model,
        checked,
        inputs=inputs,
        conversation_id=spec.conversation_id if spec else None,
        fetch=fetch,
        timeout=timeout,
    )


def _not_taken(model: str, feature: str, argument: str, documented: bool) -> InvalidInputError:
    if documented:
        return InvalidInputError(f"{model} ({feature}) takes no {argument}.")
    return InvalidInputError(
        f"{model}'s {feature} fields are not documented, so {argument} cannot be mapped; give "
        "the model's own fields in extras."
    )


def _mapped(
    feature: str,
    model: str,
    arguments: Mapping[str, Any],
    fields: Mapping[str, str | None],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The body for ``arguments`` by the row ``fields`` (argument -> field), and field -> argument.

    Raises:
        InvalidInputError: an argument the row has no field for.
    """
    spec = _features.feature_spec(feature)
    documented = spec is not None and spec.documents(model)
    body: dict[str, Any] = {}
    names: dict[str, str] = {}
    for argument, value in arguments.items():
        wire = fields.get(argument)
        if wire is None:
            raise _not_taken(model, feature, argument, documented)
        body[wire] = value
        names[wire] = argument
    return body, names


# --------------------------------------------------------------------------------------
# Video (wire-features.md#text-to-video, wire-features.md#image-to-video)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoFamily:
    """How one video model takes the video tool's arguments."""

    duration: str | None = None
    """The field the seconds go to; ``None``: not taken."""
    seconds_as: Literal["int", "s"] = "int"
    """``8`` as a number, or as ``"8s"`` (veo3, luma's image-to-video)."""
    aspect: str | None = None
    """The field ``aspect_ratio`` goes to."""
    aspect_sizes: Mapping[str, str] | None = None
    """``aspect_ratio`` turned into a ``size`` (sora)."""
    resolution: str | None = None
    """The field ``resolution`` goes to."""
    resolution_as: Literal["p", "int"] = "p"
    """``"720p"``, or the number of lines (hailuo: ``768``)."""
    negative: str | None = None
    """The field ``negative_prompt`` goes to."""
    image: str | None = "imageUrl"
    """The field the picture's asset key goes to."""
    prompt: bool = True
    """Whether the prompt is sent (leonardo-motion takes none)."""
    fills: tuple[tuple[str, Any], ...] = ()
    """Required fields without a documented default: what the tool sends if not given."""
    defaults: tuple[tuple[str, Any], ...] = ()
    """Conditionally required fields the tool always sends unless given."""
    documented: bool = True
    """Whether a source shows the model's fields."""


_SORA_SIZES = {"16:9": "1280x720", "9:16": "720x1280"}
_VIDEO: dict[tuple[str, str], VideoFamily] = {
    # kling: mode is required by the newer page, duration by both; 'std' and 5 s are the
    # image-to-video page's documented defaults. Its image-to-video version and cfg_scale are
    # required without a default: the page's example values ('1.0', 0.5).
    ("kling", TEXT_TO_VIDEO): VideoFamily(
        "duration",
        aspect="aspect_ratio",
        negative="negative_prompt",
        fills=(("mode", "std"), ("duration", 5)),
    ),
    ("kling", IMAGE_TO_VIDEO): VideoFamily(
        "duration",
        aspect="aspect_ratio",
        negative="negative_prompt",
        image="image",
        fills=(("version", "1.0"), ("cfg_scale", 0.5)),
    ),
    # hailuo: duration and resolution are required for v2 (the default taskType); 6 s at 768
    # is its cheapest documented variant (the catalog's t2v-02-6-768 price key).
    ("hailuo", TEXT_TO_VIDEO): VideoFamily(
        "duration",
        resolution="resolution",
        resolution_as="int",
        defaults=(("duration", 6), ("resolution", 768)),
    ),
    ("hailuo", IMAGE_TO_VIDEO): VideoFamily(
        "duration",
        resolution="resolution",
        resolution_as="int",
        defaults=(("duration", 6), ("resolution", 768)),
    ),
    # luma text-to-video: length is 'limited to 5'; enhancePrompt is required: off unless asked.
    ("luma", TEXT_TO_VIDEO): VideoFamily(
        "length", image=None, fills=(("length", 5), ("enhancePrompt", False))
    ),
    # luma image-to-video (newer page): modelName and duration required; ray-v2 and 5 s.
    ("luma", IMAGE_TO_VIDEO): VideoFamily(
        "duration",
        seconds_as="s",
        aspect="aspectRatio",
        resolution="resolution",
        fills=(("modelName", "ray-v2"), ("duration", "5s")),
    ),
    # sora: seconds and size required; 4 s landscape, the cheapest. A picture is its first
    # frame (reference_image_path), so sora stays text-to-video.
    ("sora-2", TEXT_TO_VIDEO): VideoFamily(
        "seconds",
        aspect_sizes=_SORA_SIZES,
        image="reference_image_path",
        fills=(("seconds", 4), ("size", "1280x720")),
    ),
    ("sora-2-pro", TEXT_TO_VIDEO): VideoFamily(
        "seconds",
        aspect_sizes=_SORA_SIZES,
        image="reference_image_path",
        fills=(("seconds", 4), ("size", "1280x720")),
    ),
    # pika: task_type required without a default: the newest listed version.
    ("pika", TEXT_TO_VIDEO): VideoFamily(
        "duration",
        aspect="aspect_ratio",
        resolution="resolution",
        negative="negative_prompt",
        fills=(("task_type", "pika-v2.2"),),
    ),
    ("pika", IMAGE_TO_VIDEO): VideoFamily(
        "duration",
        resolution="resolution",
        negative="negative_prompt",
        fills=(("task_type", "pika-v2.2"),),
    ),
    ("veo3-video", TEXT_TO_VIDEO): VideoFamily(
        "veo3_duration",
        seconds_as="s",
        aspect="aspect_ratio",
        resolution="resolution",
        negative="negativePrompt",
    ),
    ("veo3-video", IMAGE_TO_VIDEO): VideoFamily(
        "veo3_duration", seconds_as="s", aspect="aspect_ratio", resolution="resolution"
    ),
    ("Qubico/skyreels", IMAGE_TO_VIDEO): VideoFamily(
        aspect="aspect_ratio", negative="negative_prompt"
    ),
    # leonardo-motion takes no prompt; motion_strength is required: the docs' example, 7.
    ("leonardo-motion", IMAGE_TO_VIDEO): VideoFamily(prompt=False, fills=(("motion_strength", 7),)),
    (ANIMATE_DIFF, TEXT_TO_VIDEO): VideoFamily(negative="n_prompt", image=None),
}
_UNDOCUMENTED_VIDEO = VideoFamily(documented=False)
_RESOLUTION = re.compile(r"\s*(\d{3,4})\s*[pP]?\s*")


def video_family(model: str, feature: str) -> VideoFamily:
    """The row of ``model`` for ``feature`` (models no source documents: prompt + extras)."""
    return _VIDEO.get((model, feature), _UNDOCUMENTED_VIDEO)


def video_feature(model: str, image: str | None) -> str:
    """``IMAGE_TO_VIDEO`` when a picture is given (sora: text-to-video with a first frame)."""
    if image is None:
        return TEXT_TO_VIDEO
    text_row = _VIDEO.get((model, TEXT_TO_VIDEO))
    if text_row is not None and text_row.image == "reference_image_path":
        return TEXT_TO_VIDEO
    return IMAGE_TO_VIDEO


def _resolution(value: str, family: VideoFamily) -> str | int:
    match = _RESOLUTION.fullmatch(value)
    if match is None:
        raise InvalidInputError(f"resolution must look like '720p' or '1080p'; got {value!r}.")
    lines = int(match.group(1))
    return lines if family.resolution_as == "int" else f"{lines}p"


def video_call(args: VideoInput, model: str) -> FeatureCall:
    """The TEXT_TO_VIDEO or IMAGE_TO_VIDEO call of ``OneMinAIVideoTool``.

    Raises:
        InvalidInputError: an argument the model does not take, or a value it refuses.
    """
    feature = video_feature(model, args.image)
    family = video_family(model, feature)
    if not args.prompt.strip() and family.prompt:
        raise InvalidInputError("prompt must describe the video; it is empty.")
    body: dict[str, Any] = {"prompt": args.prompt} if family.prompt else {}
    names: dict[str, str] = {}
    optional = given(
        duration=args.duration,
        aspect_ratio=args.aspect_ratio,
        resolution=args.resolution,
        negative_prompt=args.negative_prompt,
    )
    for argument, value in optional.items():
        wire, converted = _video_field(family, model, argument, value)
        if wire is None:
            raise _not_taken(model, feature, argument, family.documented)
        body[wire] = converted
        names[wire] = argument
    for name, value in family.defaults:
        body.setdefault(name, value)
    inputs: tuple[MediaInput, ...] = ()
    if args.image is not None:
        if family.image is None:
            raise _not_taken(model, feature, "image", family.documented)
        inputs = (MediaInput(family.image, args.image, "image"),)
    return feature_call(
        feature,
        model,
        body,
        fetch="video",
        inputs=inputs,
        extras=args.extras,
        fills=dict(family.fills),
        arguments={**_video_arguments(family), **names},
        managed=tuple(_video_arguments(family)),
        timeout=LONG_GENERATION_TIMEOUT,
    )


def _video_arguments(family: VideoFamily) -> dict[str, str]:
    """The fields the video tool's own arguments set for a family (``extras`` may not).

    sora's ``size`` stays open to ``extras`` (sora-2-pro's portrait and landscape sizes).
    """
    pairs = (
        (family.duration, "duration"),
        (family.aspect, "aspect_ratio"),
        (family.resolution, "resolution"),
        (family.negative, "negative_prompt"),
        ("prompt" if family.prompt else None, "prompt"),
    )
    return {wire: argument for wire, argument in pairs if wire}


def _video_field(
    family: VideoFamily, model: str, argument: str, value: Any
) -> tuple[str | None, Any]:
    if argument == "duration":
        if family.duration is None:
            return None, value
        return family.duration, f"{value}s" if family.seconds_as == "s" else value
    if argument == "aspect_ratio":
        if family.aspect_sizes is not None:
            size = family.aspect_sizes.get(value.strip())
            if size is None:
                shown = ", ".join(family.aspect_sizes)
                raise InvalidInputError(
                    f"{model} takes aspect_ratio {shown} (or a size in extras); got {value!r}."
                )
            return "size", size
        return family.aspect, value
    if argument == "resolution":
        if family.resolution is None:
            return None, value
        return family.resolution, _resolution(value, family)
    return family.negative, value


# --------------------------------------------------------------------------------------
# Music and sound (wire-features.md#music-generator, wire-features.md#text-to-sound)
# --------------------------------------------------------------------------------------

MUSIC = "MUSIC_GENERATOR"
_MUSICGEN = "meta/musicgen"


def music_call(args: MusicInput, model: str) -> FeatureCall:
    """The MUSIC_GENERATOR call of ``OneMinAIMusicTool``: one schema per model (four of them).

    Raises:
        InvalidInputError: an argument the model does not take, or a value it refuses.
    """
    if not args.prompt.strip():
        raise InvalidInputError("prompt must describe the music; it is empty.")
    optional = given(
        lyrics=args.lyrics,
        instrumental=args.instrumental,
        title=args.title,
        tags=args.tags,
        negative_prompt=args.negative_prompt,
        duration=args.duration,
        output_format=args.output_format,
    )
    fills: dict[str, Any] = {}
    inputs: tuple[MediaInput, ...] = ()
    if model.startswith(_MUSICGEN):
        # model_version, duration, output_format and normalization_strategy are required
        # without defaults: the first listed version, 10 s, mp3 and loudness (the tool's choice).
        body, names = _mapped(
            MUSIC, model, optional, {"duration": "duration", "output_format": "output_format"}
        )
        body["prompt"] = args.prompt
        fills = {
            "model_version": "stereo-melody-large",
            "duration": 10,
            "output_format": "mp3",
            "normalization_strategy": "loudness",
        }
        if args.melody is not None:
            inputs = (MediaInput("audioUrl", args.melody, "audio"),)
    elif model == "suno-ttapi":
        # custom mode sings given lyrics (prompt); otherwise the description is
        # gpt_description_prompt. mv is required without a default: chirp-v4.
        body, names = _mapped(
            MUSIC,
            model,
            {k: v for k, v in optional.items() if k != "lyrics"},
            {"instrumental": "instrumental", "title": "title", "tags": "tags"},
        )
        if args.lyrics is not None:
            body.update(custom=True, prompt=args.lyrics)
            body.setdefault("tags", args.prompt)
        else:
            body.update(custom=False, gpt_description_prompt=args.prompt)
        fills = {"mv": "chirp-v4"}
    elif model == "music-u":
        rest = {k: v for k, v in optional.items() if k not in ("lyrics", "instrumental")}
        body, names = _mapped(
            MUSIC,
            model,
            rest,
            {"title": "title", "tags": "tags", "negative_prompt": "negative_tags"},
        )
        body["gpt_description_prompt"] = args.prompt
        if args.lyrics is not None:
            body.update(lyrics_type="user", prompt=args.lyrics)
        elif args.instrumental:
            body.update(lyrics_type="instrumental", make_instrumental=True)
        else:
            body["lyrics_type"] = "generate"
        body["task_type"] = "generate_music"
    else:  # lyria-002, and models no source documents (prompt + extras)
        body, names = _mapped(MUSIC, model, optional, {"negative_prompt": "negative_prompt"})
        body["prompt"] = args.prompt
    if args.melody is not None and not inputs:
        raise InvalidInputError(f"{model} ({MUSIC}) takes no melody (only meta/musicgen does).")
    return feature_call(
        MUSIC,
        model,
        body,
        fetch="audio",
        inputs=inputs,
        extras=args.extras,
        fills=fills,
        arguments=names,
        managed=tuple(body),
        timeout=LONG_GENERATION_TIMEOUT,
    )


def sound_effect_call(args: SoundEffectInput, model: str) -> FeatureCall:
    """The TEXT_TO_SOUND call of ``OneMinAISoundEffectTool`` (KH's ElevenLabs fields).

    Raises:
        InvalidInputError: an empty prompt, a duration outside 0.5-30 s.
    """
    if not args.prompt.strip():
        raise InvalidInputError("prompt must describe the sound; it is empty.")
    body = {"text": args.prompt} | given(
        duration_seconds=args.duration,
        prompt_influence=args.prompt_influence,
        loop=args.loop,
        output_format=args.output_format,
    )
    names = {"text": "prompt", "duration_seconds": "duration"}
    return feature_call("TEXT_TO_SOUND", model, body, fetch="audio", arguments=names)


# --------------------------------------------------------------------------------------
# Audio translation (wire-features.md#audio-translator)
# --------------------------------------------------------------------------------------

TRANSLATOR = "AUDIO_TRANSLATOR"
_ENGLISH = frozenset({"en", "eng", "english"})
_WHISPER_FORMATS = ("text", "json", "srt", "verbose_json", "vtt")


def is_english(language: str) -> bool:
    """Whether a language code or name means English (``en``, ``en-US``, ``English``)."""
    return language.strip().lower().split("-")[0].split("_")[0] in _ENGLISH


def translation_model(args: AudioTranslationInput, default: str) -> str:
    """The model: the call's, else whisper-1 for English, else gemini-2.5-flash."""
    if args.model:
        return args.model
    if args.target_language and not is_english(args.target_language) and default == "whisper-1":
        return "gemini-2.5-flash"
    return default


def audio_translation_call(args: AudioTranslationInput, model: str) -> FeatureCall:
    """The AUDIO_TRANSLATOR call of ``OneMinAIAudioTranslatorTool``.

    whisper-1 translates into English only and takes ``response_format`` (default ``text``, as
    the docs' cURL), ``prompt`` and ``temperature``; the Gemini models need the source and
    target languages.

    Raises:
        InvalidInputError: a target whisper-1 cannot reach, a missing language, a field the
            model does not take.
    """
    audio = (MediaInput("audioUrl", args.audio, "audio"),)
    optional = given(
        target_language=args.target_language,
        source_language=args.source_language,
        response_format=args.response_format,
        prompt=args.prompt,
    )
    if model == "whisper-1":
        target = args.target_language
        if target is not None and not is_english(target):
            raise InvalidInputError(
                f"whisper-1 translates into English only, not {target!r}; for another language "
                "use a Gemini model, e.g. model='gemini-2.5-flash' with source_language."
            )
        optional.pop("target_language", None)
        optional.setdefault("response_format", "text")
        body, names = _mapped(
            TRANSLATOR,
            model,
            optional,
            {"response_format": "response_format", "prompt": "prompt"},
        )
    elif model.startswith("gemini-"):
        body, names = _mapped(
            TRANSLATOR,
            model,
            optional,
            {"target_language": "targetLanguage", "source_language": "originalLanguage"},
        )
        names.setdefault("targetLanguage", "target_language")
        names.setdefault("originalLanguage", "source_language")
    else:
        body, names = _mapped(TRANSLATOR, model, optional, {})
    return feature_call(
        TRANSLATOR,
        model,
        body,
        fetch=None,
        inputs=audio,
        extras=args.extras,
        arguments=names,
        managed=tuple(body),
    )


# --------------------------------------------------------------------------------------
# Voice (wire-features.md#voice-changer, #voice-cloning, #voice-design)
# --------------------------------------------------------------------------------------


def voice_change_call(args: VoiceChangeInput, model: str) -> FeatureCall:
    """The VOICE_CHANGER call: ``audioUrl`` (uploaded), ``voice_id`` and the options.

    Raises:
        InvalidInputError: an empty voice id, a value the model refuses.
    """
    if not args.voice_id.strip():
        raise InvalidInputError("voice_id must be an ElevenLabs voice id; it is empty.")
    body = {"voice_id": args.voice_id.strip()} | given(
        output_format=args.output_format, remove_background_noise=args.remove_background_noise
    )
    audio = (MediaInput("audioUrl", args.audio, "audio"),)
    return feature_call("VOICE_CHANGER", model, body, fetch="audio", inputs=audio)


def voice_clone_call(args: VoiceCloneInput, model: str) -> FeatureCall:
    """The VOICE_CLONING call: the sample (``audioUrl``), the text, and ``voice_settings``.

    The feature speaks ``text`` in the sample's voice; it makes no reusable voice id
    (wire-features.md#voice-cloning).

    Raises:
        InvalidInputError: empty text, a setting outside 0-1.
    """
    if not args.text.strip():
        raise InvalidInputError("text must be what the voice says; it is empty.")
    body: dict[str, Any] = {"text": args.text} | given(
        language_code=args.language_code,
        output_format=args.output_format,
        remove_background_noise=args.remove_background_noise,
    )
    settings = given(stability=args.stability, similarity_boost=args.similarity_boost)
    if settings:
        body["voice_settings"] = settings
    sample = (MediaInput("audioUrl", args.sample, "audio"),)
    return feature_call("VOICE_CLONING", model, body, fetch="audio", inputs=sample)


def voice_design_call(args: VoiceDesignInput, model: str) -> FeatureCall:
    """The VOICE_DESIGN call: ``voice_description`` and ``text`` (and the options).

    Raises:
        InvalidInputError: an empty description or text, a value outside its range.
    """
    if not args.description.strip() or not args.text.strip():
        raise InvalidInputError("description and text must not be empty.")
    body = {"voice_description": args.description, "text": args.text} | given(
        loudness=args.loudness, guidance_scale=args.guidance_scale, output_format=args.output_format
    )
    names = {"voice_description": "description"}
    return feature_call("VOICE_DESIGN", model, body, fetch="audio", arguments=names)
