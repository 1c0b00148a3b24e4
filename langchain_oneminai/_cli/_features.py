"""The feature types of 1min.ai, for ``oneminai models --feature`` and ``oneminai feature``.

Pure, no I/O: the type list and its suggestions, and the ``--set`` / ``--file`` parsing of
``oneminai feature``.

1min.ai answers ``GET /models?feature=<anything>`` with 200 and, for a name it does not know,
an empty list: it cannot tell a typo from a feature without models. So the CLI decides from
this list: the 59 types of the live catalog (docs/wire.md, "Feature types") plus the two that
models' ``features[]`` also name. A name outside it is still asked for (1min.ai may have added
a type since this list was written) and shown when 1min.ai lists models for it; with no models
it is refused as unknown (exit 2), with the closest names and the whole list.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from langchain_oneminai._catalog import FEATURE_TYPES
from langchain_oneminai.errors import InvalidInputError

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


def parse_value(text: str) -> Any:
    """A ``--set`` value: JSON when it parses (``5``, ``true``, ``[1, 2]``, ``"x"``), else text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_fields(items: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` items as a ``promptObject``; a dotted key sets a nested field.

    Raises:
        InvalidInputError: an item without ``=`` or with an empty key, or a key given twice.
    """
    fields: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        parts = key.strip().split(".")
        if not sep or not all(parts):
            raise InvalidInputError(f"--set takes KEY=VALUE (e.g. --set duration=5); got {item!r}.")
        target = fields
        for part in parts[:-1]:
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                raise InvalidInputError(f"--set {key}: {part!r} is already set to a value.")
            target = nested
        if parts[-1] in target:
            raise InvalidInputError(f"--set {key} is given twice.")
        target[parts[-1]] = parse_value(value)
    return fields


def parse_files(items: list[str], file_fields: Mapping[str, str]) -> list[tuple[str, str]]:
    """``--file [FIELD=]PATH`` items as ``(field, value)``; without FIELD, the one file field.

    Raises:
        InvalidInputError: no FIELD where the feature has no single file field, a field given
            twice.
    """
    found: list[tuple[str, str]] = []
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or "/" in field or not _FIELD.fullmatch(field):
            field, value = "", item
        if not field:
            if len(file_fields) != 1:
                known = ", ".join(file_fields) or "none known"
                raise InvalidInputError(
                    f"Say which field --file {item!r} is for, e.g. --file imageUrl={item} "
                    f"(this feature's file fields: {known})."
                )
            field = next(iter(file_fields))
        if any(field == f for f, _ in found):
            raise InvalidInputError(f"--file {field}= is given twice.")
        found.append((field, value))
    return found


_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
