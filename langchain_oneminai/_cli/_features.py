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

from langchain_oneminai._catalog import FEATURE_TYPES

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
