"""The feature types of 1min.ai, for ``oneminai models --feature`` (pure, no I/O).

1min.ai answers ``GET /models?feature=<anything>`` with 200 and, for a name it does not know,
an empty list: it cannot tell a typo from a feature without models. So the CLI decides from
this list: the 59 types of the live catalog (docs/wire.md, "Feature types") plus the two that
models' ``features[]`` also name. A name outside it is still asked for (1min.ai may have added
a type since this list was written) and shown when 1min.ai lists models for it; with no models
it is refused as unknown (exit 2), with the closest names and the whole list.
"""

from __future__ import annotations

import difflib
import re
import textwrap

FEATURE_TYPES: tuple[str, ...] = (
    # chat
    "UNIFY_CHAT_WITH_AI",
    "CHAT_WITH_AI",
    "CHAT_WITH_IMAGE",
    "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
    # audio
    "AUDIO_TRANSLATOR",
    "SPEECH_TO_TEXT",
    "TEXT_TO_SOUND",
    "TEXT_TO_SPEECH",
    "MUSIC_GENERATOR",
    "VOICE_CHANGER",
    "VOICE_CLONING",
    "VOICE_DESIGN",
    "VOICE_ISOLATOR",
    # code
    "CODE_GENERATOR",
    # images
    "IMAGE_GENERATOR",
    "IMAGE_VARIATOR",
    "IMAGE_EDITOR",
    "IMAGE_INPAINTER",
    "IMAGE_TO_PROMPT",
    "IMAGE_UPSCALER",
    "IMAGE_EXTENDER",
    "IMAGE_OBJECT_REMOVER",
    "IMAGE_3D_GENERATOR",
    "BACKGROUND_REMOVER",
    "BACKGROUND_REPLACER",
    "FACE_SWAPPER",
    "SEARCH_AND_REPLACE",
    "SKETCH_TO_IMAGE",
    "TEXT_REMOVER",
    # video
    "CAPTIONS_GENERATOR",
    "IMAGE_TO_VIDEO",
    "TEXT_TO_VIDEO",
    "VIDEO_FACE_SWAPPER",
    "YOUTUBE_SUMMARIZER",
    "YOUTUBE_TRANSCRIBER",
    "YOUTUBE_TRANSLATOR",
    # writing
    "CONTENT_EXPANDER",
    "CONTENT_SHORTENER",
    "CONTENT_TRANSLATOR",
    "PARAPHRASER",
    "SUMMARIZER",
    "GRAMMAR_CHECKER",
    "KEYWORD_RESEARCH",
    "REWRITER",
    "CONTENT_GENERATOR_BLOG_ARTICLE",
    "CONTENT_GENERATOR_INSTAGRAM_POST",
    "CONTENT_GENERATOR_FACEBOOK_POST",
    "CONTENT_GENERATOR_FACEBOOK_ADS",
    "CONTENT_GENERATOR_GOOGLE_ADS",
    "CONTENT_GENERATOR_TIKTOK_DESCRIPTION",
    "CONTENT_GENERATOR_X_TWEET",
    "CONTENT_GENERATOR_LINKEDIN_POST",
    "CONTENT_GENERATOR_EMAIL",
    "CONTENT_GENERATOR_EMAIL_REPLY",
    "CONTENT_GENERATOR_LINKEDIN_COMMENT",
    "CONTENT_GENERATOR_X_COMMENT",
    "CONTENT_GENERATOR_FACEBOOK_COMMENT",
    "CONTENT_GENERATOR_BRAND_VOICE",
    # named by models' features[] only (wire.md, "Feature types")
    "PRESENTATION_GENERATOR",
    "DOCUMENT_TRANSLATOR",
)
"""Every feature type 1min.ai is known to have (wire.md#feature-types: 59 + 2)."""

_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def normalized_feature(name: str) -> str:
    """The spelling 1min.ai uses: ``text-to-speech`` -> ``TEXT_TO_SPEECH``."""
    return name.strip().upper().replace("-", "_").replace(" ", "_")


def could_be_feature(name: str) -> bool:
    """Whether a (normalized) name has the shape of a feature type, so it is worth asking."""
    return _NAME.fullmatch(name) is not None


def closest_features(name: str, limit: int = 3) -> list[str]:
    """Known feature types that look like ``name``, best first."""
    close = difflib.get_close_matches(name, FEATURE_TYPES, n=limit, cutoff=0.6)
    if len(name) >= 3:  # a part of the name: SPEECH -> TEXT_TO_SPEECH, SPEECH_TO_TEXT
        close += [f for f in FEATURE_TYPES if name in f and f not in close]
    return close[:limit]


def unknown_feature_message(given: str, name: str) -> str:
    """Why ``given`` is refused, the closest types, and all of them."""
    close = closest_features(name)
    hint = f" Did you mean {', '.join(repr(f) for f in close)}?" if close else ""
    listing = textwrap.fill(
        ", ".join(FEATURE_TYPES), width=96, initial_indent="  ", subsequent_indent="  "
    )
    return (
        f"{given!r} is not a 1min.ai feature type, and 1min.ai lists no models for it.{hint}\n"
        f"The {len(FEATURE_TYPES)} feature types:\n{listing}"
    )
