"""``aiRecord``: the outcome of one chat or feature call, read leniently (pure)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from langchain_oneminai.errors import ResponseError

SURROGATE = re.compile("[\ud800-\udfff]")
"""A UTF-16 surrogate code point: JSON escapes (``\\ud83d``) can put one in a string."""


def clean_text(text: str) -> str:
    """``text`` as real characters: surrogate pairs joined, unpaired halves made U+FFFD.

    Either has no UTF-8 form as it is, so it could not be sent, logged or saved.
    """
    if SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class WireModel(BaseModel):
    """Base of the response models: camelCase aliases, unknown fields kept (``extra``)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", frozen=True
    )


def reported_credit(value: Any) -> float | None:
    """A reported credit amount, or None when it is not a finite number >= 0.

    Budgets sum these (``client._usage``): a NaN would stop one from ever being reached and a
    negative amount would undo spending, so such a value counts as not reported, as does one
    that is not a number at all (it must not make the record, a billed reply, unreadable).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return float(value)
    return None


Credit = Annotated[float | None, BeforeValidator(reported_credit)]
"""A ``credit`` field: see ``reported_credit``."""


_FAILED_STATUSES = frozenset({"FAILED", "FAILURE", "ERROR"})


class AIRecordDetail(WireModel):
    """``aiRecord.aiRecordDetail``: the echoed prompt and the result (wire.md#chat-response)."""

    prompt_object: dict[str, Any] | None = None
    """The request's ``promptObject`` as the server recorded it."""
    result_object: Any = None
    """The result: a list of strings (text, asset keys), a bare string (some STT), or other."""
    error_message: str | None = None
    """Why the generation failed, when ``status`` says it did (wire.md#chat-response,
    wire.md#asset-downloads)."""


class AIRecord(WireModel):
    """``aiRecord``: the outcome of one chat or feature call.

    Sources: wire.md#chat-response, wire.md#asset-downloads.
    """

    uuid: str | None = None
    """The record id."""
    model: str | None = None
    """The model that ran."""
    type: str | None = None
    """The feature type, e.g. ``UNIFY_CHAT_WITH_AI``."""
    status: str | None = None
    """``SUCCESS`` (chat), ``SUCCESS``/``COMPLETED``/``FAILED`` (features)."""
    conversation_id: str | None = None
    """The conversation the turn was recorded in, if any."""
    created_at: str | None = None
    """ISO-8601 creation time."""
    metadata: dict[str, Any] | None = None
    """Free-form metadata; some responses carry token counts here (wire.md#token-counts)."""
    credit: Credit = None
    """Credits consumed, when reported as a finite number >= 0 (unverified,
    wire.md#credits-and-usage)."""
    temporary_url: str | None = None
    """A pre-signed download URL for the (first) result asset (wire.md#asset-downloads)."""
    error_message: str | None = None
    """A failure reason at the top level (some responses put it here, wire.md#chat-response)."""
    ai_record_detail: AIRecordDetail | None = None
    """The prompt and the result."""
    additional_data: Any = None
    """``additionalData``: what a feature adds beside the result, e.g. the sources web search
    read (wire.md#chat-response); ``null`` on most records."""

    @property
    def result(self) -> Any:
        """``aiRecordDetail.resultObject`` (``None`` if absent)."""
        return self.ai_record_detail.result_object if self.ai_record_detail else None

    @property
    def result_strings(self) -> list[str]:
        """The result as a list of strings: a list's string items, or a bare string."""
        return result_strings(self.result)

    @property
    def text(self) -> str:
        """The reply text: the result strings joined.

        Sources: wire.md#chat-response.

        Unpaired surrogates (half of an escaped UTF-16 pair, without the other half) become
        U+FFFD: the text must stay encodable.
        """
        return clean_text("".join(self.result_strings))

    @property
    def failed(self) -> bool:
        """Whether the API reported the generation as failed."""
        return (self.status or "").upper() in _FAILED_STATUSES

    @property
    def failure_message(self) -> str | None:
        """The API's reason for a failure, wherever it put it."""
        detail = self.ai_record_detail.error_message if self.ai_record_detail else None
        return detail or self.error_message

    @property
    def token_usage(self) -> tuple[int, int, int] | None:
        """``(input, output, total)`` tokens when the record reports real, non-zero counts."""
        return token_usage_from_metadata(self.metadata)


def result_strings(result: Any) -> list[str]:
    """A ``resultObject`` as a list of strings.

    Sources: wire.md#chat-response, wire.md#transcript-response.
    """
    if isinstance(result, str):
        return [result]
    if isinstance(result, list):
        return [item for item in result if isinstance(item, str)]
    return []


def _first_int(mapping: Mapping[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and value >= 0:
            return int(value)
    return None


def token_usage_from_metadata(metadata: Mapping[str, Any] | None) -> tuple[int, int, int] | None:
    """Token counts from ``aiRecord.metadata`` when present and non-zero, else ``None``.

    Peers saw ``inputToken``/``outputToken``/``totalToken``, sometimes all zero
    (wire.md#token-counts);
    zeros mean "not reported", never "free". No other spelling is reported, so none is read.
    """
    if not isinstance(metadata, Mapping):
        return None
    input_tokens = _first_int(metadata, "inputToken")
    output_tokens = _first_int(metadata, "outputToken")
    if input_tokens is None or output_tokens is None or (input_tokens == 0 and output_tokens == 0):
        return None
    total = _first_int(metadata, "totalToken")
    return input_tokens, output_tokens, total or input_tokens + output_tokens


_M = TypeVar("_M", bound=WireModel)


def _validate(model: type[_M], data: Any, what: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ResponseError(
            f"1min.ai sent {what} in a shape this client cannot read: {error.errors()[0]['msg']} "
            f"at {'.'.join(str(p) for p in error.errors()[0]['loc']) or 'top level'}."
        ) from None


def _preview(payload: Any) -> str:
    text = (
        json.dumps(payload, ensure_ascii=False, default=str)
        if not isinstance(payload, str)
        else payload
    )
    return text[:200] + ("…" if len(text) > 200 else "")


def parse_record(payload: Any) -> AIRecord:
    """The ``aiRecord`` of a chat or feature response.

    Accepts ``{"aiRecord": {...}}`` (every client, wire.md#chat-response) and the docs' Midjourney
    variant
    ``{"success": true, "data": {"resultObject": [...]}}`` (wire.md#image-variation-and-editing,
    wire.md#variator-response-envelope).
    """
    if isinstance(payload, Mapping):
        record = payload.get("aiRecord")
        if isinstance(record, Mapping):
            return _validate(AIRecord, record, "a record")
        data = payload.get("data")
        if isinstance(data, Mapping) and "resultObject" in data:
            return AIRecord(ai_record_detail=AIRecordDetail(result_object=data["resultObject"]))
    raise ResponseError(
        "1min.ai answered without an aiRecord; the response cannot be used. "
        f"It began: {_preview(payload)}"
    )
