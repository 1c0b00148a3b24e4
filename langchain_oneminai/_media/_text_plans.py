"""YouTube, writing, content and code tool arguments -> what one call sends (pure).

The text features of ``_plans``' scheme: each tool argument goes to its field, checked against
the feature table; required fields a call leaves out get the values named here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from langchain_oneminai._media._feature_schemas import (
    CodeInput,
    ContentGenerationInput,
    WritingInput,
    YouTubeInput,
)
from langchain_oneminai._media._plans import _mapped, feature_call, given
from langchain_oneminai._media._tool import FeatureCall
from langchain_oneminai.errors import InvalidInputError

__all__ = [
    "CONTENT_FEATURES",
    "WRITING_FEATURES",
    "code_call",
    "content_call",
    "writing_call",
    "youtube_call",
]

_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")


def youtube_call(args: YouTubeInput, model: str) -> FeatureCall:
    """The YOUTUBE_SUMMARIZER call: ``videoUrl`` and ``language`` in the ``promptObject``.

    PY1 also sends ``videoUrl`` at the top level; ``run_feature`` sends no top-level field but
    ``conversationId``, so it goes in the ``promptObject`` only, as BR sends it.

    Raises:
        InvalidInputError: not a YouTube URL.
    """
    url = args.url.strip()
    host = (urlsplit(url).hostname or "").lower()
    if not url.startswith(("https://", "http://")) or not (
        host in _YOUTUBE_HOSTS or host.endswith(tuple("." + h for h in _YOUTUBE_HOSTS))
    ):
        raise InvalidInputError(
            f"url must be a YouTube video's URL (https://www.youtube.com/watch?v=...); got {url!r}."
        )
    body = {"videoUrl": url} | given(language=args.language)
    return feature_call(
        "YOUTUBE_SUMMARIZER", model, body, fetch=None, arguments={"videoUrl": "url"}
    )


WRITING_FEATURES: dict[str, str] = {
    "summarize": "SUMMARIZER",
    "paraphrase": "PARAPHRASER",
    "grammar": "GRAMMAR_CHECKER",
    "rewrite": "REWRITER",
    "expand": "CONTENT_EXPANDER",
    "shorten": "CONTENT_SHORTENER",
    "translate": "CONTENT_TRANSLATOR",
    "keywords": "KEYWORD_RESEARCH",
}
"""``OneMinAIWritingTool``'s tasks and their feature types."""

_WRITING_FIELDS: dict[str, dict[str, str]] = {
    "summarize": {"language": "language"},
    "paraphrase": {"tone": "tone", "language": "language"},
    "grammar": {},
    "keywords": {},
    "rewrite": {"tone": "tone", "word_count": "numberOfWord"},
    "expand": {"tone": "tone", "word_count": "numberOfWord"},
    "shorten": {"tone": "tone", "word_count": "numberOfWord"},
    "translate": {
        "tone": "tone",
        "language": "targetLanguage",
        "source_language": "originalLanguage",
        "domain": "domain",
        "writing_style": "writingStyle",
    },
}
_LENGTH_FACTORS = {"expand": 2.0, "shorten": 0.5, "rewrite": 1.0}


def writing_call(args: WritingInput, model: str) -> FeatureCall:
    """The call of ``OneMinAIWritingTool`` for its task.

    Expand, shorten and rewrite require ``tone`` and ``numberOfWord``: the docs' example tone
    ``informative``, and twice, half or the text's word count. Translation requires all its
    fields: the languages must be given; tone, domain and writing style default to
    ``neutral``, ``General`` and ``Standard`` (the tool's choice; free strings on the docs
    page).

    Raises:
        InvalidInputError: empty text, an argument the task does not take, a missing language.
    """
    if not args.text.strip():
        raise InvalidInputError("text must not be empty.")
    feature = WRITING_FEATURES[args.task]
    optional = given(
        tone=args.tone,
        word_count=args.word_count,
        language=args.language,
        source_language=args.source_language,
        domain=args.domain,
        writing_style=args.writing_style,
    )
    fields = _WRITING_FIELDS[args.task]
    for argument in optional:
        if argument not in fields:
            raise InvalidInputError(f"The {args.task} task takes no {argument}.")
    body, names = _mapped(feature, model, optional, fields)
    body["prompt"] = args.text
    fills: dict[str, Any] = {}
    if args.task in _LENGTH_FACTORS:
        words = len(args.text.split())
        fills = {
            "tone": "informative",
            "numberOfWord": max(1, round(words * _LENGTH_FACTORS[args.task])),
        }
    elif args.task == "translate":
        fills = {"tone": "neutral", "domain": "General", "writingStyle": "Standard"}
        names.setdefault("targetLanguage", "language")
        names.setdefault("originalLanguage", "source_language")
    return feature_call(feature, model, body, fetch=None, fills=fills, arguments=names)


CONTENT_FEATURES: dict[str, str] = {
    kind: f"CONTENT_GENERATOR_{kind.upper()}"
    for kind in (
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
    )
}
"""``OneMinAIContentGeneratorTool``'s kinds and their feature types."""


def content_call(args: ContentGenerationInput, model: str) -> FeatureCall:
    """The CONTENT_GENERATOR_* call of ``OneMinAIContentGeneratorTool``.

    Raises:
        InvalidInputError: an empty brief, ``original_email`` outside ``email_reply`` (or
            missing there).
    """
    if not args.brief.strip():
        raise InvalidInputError("brief must say what to write; it is empty.")
    if args.original_email is not None and args.kind != "email_reply":
        raise InvalidInputError("original_email is for kind='email_reply' only.")
    feature = CONTENT_FEATURES[args.kind]
    body = {"prompt": args.brief} | given(
        tone=args.tone, language=args.language, originalEmail=args.original_email
    )
    names = {"prompt": "brief", "originalEmail": "original_email"}
    return feature_call(feature, model, body, fetch=None, arguments=names)


def code_call(args: CodeInput, model: str) -> FeatureCall:
    """The CODE_GENERATOR call of ``OneMinAICodeTool``: ``{prompt, webSearch, numOfSite, maxWord}``.

    Raises:
        InvalidInputError: an empty prompt, web-search limits without ``web_search``.
    """
    if not args.prompt.strip():
        raise InvalidInputError("prompt must say what the code should do; it is empty.")
    if (args.num_sites is not None or args.max_words is not None) and not args.web_search:
        raise InvalidInputError("num_sites and max_words apply with web_search=true only.")
    body = {"prompt": args.prompt} | given(
        webSearch=args.web_search, numOfSite=args.num_sites, maxWord=args.max_words
    )
    names = {"webSearch": "web_search", "numOfSite": "num_sites", "maxWord": "max_words"}
    return feature_call("CODE_GENERATOR", model, body, fetch=None, arguments=names)
