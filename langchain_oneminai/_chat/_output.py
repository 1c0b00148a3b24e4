"""What a 1min.ai record says, as LangChain reads it (pure): metadata, usage, stop sequences.

``response_metadata()`` reports what 1min.ai reported and nothing invented; ``usage_from_record()``
gives token counts only when the record carries real ones (wire.md#token-counts); ``cut_at_stop``
and its incremental twin ``StopFilter`` apply stop sequences client-side (1min.ai has none,
wire.md#parameters-the-api-does-not-have); ``cut_reply`` is how every finished reply is cut
(stop sequences, then transcript markup) before it is parsed or judged for a repair.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages.ai import UsageMetadata

from langchain_oneminai._chat._transcript import cut_at_transcript
from langchain_oneminai._wire import AIRecord

PROVIDER = "oneminai"
"""``response_metadata["model_provider"]`` and ``ls_provider``."""


def cut_at_stop(text: str, stop: Sequence[str] | None) -> tuple[str, str | None]:
    """``text`` up to the earliest stop sequence, and which one matched (``None``: none did)."""
    best: tuple[int, str] | None = None
    for sequence in stop or ():
        if sequence:
            index = text.find(sequence)
            if index != -1 and (best is None or index < best[0]):
                best = (index, sequence)
    return (text, None) if best is None else (text[: best[0]], best[1])


def cut_reply(
    text: str, stop: Sequence[str] | None, *, transcript: bool
) -> tuple[str, str | None, str | None]:
    """A finished reply as it counts: cut at stop sequences, then at transcript markup.

    The transcript cut (``_transcript``) applies with ``transcript`` (tools are bound).

    Returns:
        The text, the stop sequence that matched and the transcript tag it was cut at (each
        ``None`` when none). Applying it again to its own text changes nothing.
    """
    text, matched = cut_at_stop(text, stop)
    tag = None
    if transcript:
        text, tag = cut_at_transcript(text)
    return text, matched, tag


class StopFilter:
    """Incremental :func:`cut_at_stop` for streams.

    Text that could be the beginning of a stop sequence is held back until the next delta
    shows whether it is; once a sequence completes, everything after it is dropped and
    ``stopped`` becomes the sequence.
    """

    __slots__ = ("_held", "_longest", "_stop", "stopped")

    def __init__(self, stop: Sequence[str] | None) -> None:
        self._stop = [s for s in (stop or ()) if s]
        self._longest = max((len(s) for s in self._stop), default=0)
        self._held = ""
        self.stopped: str | None = None
        """The stop sequence that ended the stream, if one did."""

    def feed(self, delta: str) -> str:
        """The part of ``delta`` that is certainly before any stop sequence."""
        if self.stopped is not None:
            return ""
        if not self._stop:
            return delta
        text = self._held + delta
        cut, matched = cut_at_stop(text, self._stop)
        if matched is not None:
            self._held, self.stopped = "", matched
            return cut
        keep = self._partial_suffix(text)
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def flush(self) -> str:
        """What was held back, at the end of the stream."""
        held, self._held = self._held, ""
        return "" if self.stopped is not None else held

    def _partial_suffix(self, text: str) -> int:
        # Longest suffix of text that is a proper prefix of some stop sequence.
        for size in range(min(self._longest - 1, len(text)), 0, -1):
            tail = text[-size:]
            if any(s.startswith(tail) for s in self._stop):
                return size
        return 0


def usage_from_record(record: AIRecord) -> UsageMetadata | None:
    """Real token counts from the record, or ``None`` (never an estimate)."""
    counts = record.token_usage
    if counts is None:
        return None
    return UsageMetadata(input_tokens=counts[0], output_tokens=counts[1], total_tokens=counts[2])


def response_metadata(
    record: AIRecord | None,
    *,
    model: str,
    stop_sequence: str | None = None,
    transcript_cut: str | None = None,
) -> dict[str, Any]:
    """``response_metadata`` of a reply: what 1min.ai reported, and nothing invented."""
    metadata: dict[str, Any] = {"model_name": (record.model if record and record.model else model)}
    metadata["model_provider"] = PROVIDER
    if record is not None:
        extra = {
            "ai_record_id": record.uuid,
            "conversation_id": record.conversation_id,
            "status": record.status,
            "credits": record.credit,
            "created_at": record.created_at,
            "additional_data": record.additional_data,  # e.g. web search's sources
        }
        metadata.update({k: v for k, v in extra.items() if v is not None})
        counts = record.token_usage
        if counts is not None:
            metadata["token_usage"] = {
                "input_tokens": counts[0],
                "output_tokens": counts[1],
                "total_tokens": counts[2],
            }
    if stop_sequence is not None:
        metadata["stop_sequence"] = stop_sequence
    if transcript_cut is not None:
        metadata["transcript_cut"] = transcript_cut  # the reply went on writing the transcript
    return metadata
