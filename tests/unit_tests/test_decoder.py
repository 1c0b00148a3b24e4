"""The stream decoder, fed every payload whole and split at every byte offset."""

from __future__ import annotations

import json

import pytest

from langchain_oneminai._transport import ChatStreamParser, SSEDecoder, SSEEvent
from langchain_oneminai._wire import ContentDelta, StreamDone, StreamErrorEvent, StreamResult
from langchain_oneminai.errors import StreamError


def record_event(text: str, **extra: object) -> str:
    record = {
        "uuid": "rec-1",
        "model": "gpt-4o-mini",
        "status": "SUCCESS",
        "aiRecordDetail": {"resultObject": [text]},
        **extra,
    }
    return "event: result\ndata: " + json.dumps({"aiRecord": record}, ensure_ascii=False) + "\n\n"


def content_event(text: str) -> str:
    return "event: content\ndata: " + json.dumps({"content": text}, ensure_ascii=False) + "\n\n"


DONE = 'event: done\ndata: {"message":"Stream completed"}\n\n'


def sse(*deltas: str, final: str | None = None, done: bool = True) -> bytes:
    body = "".join(content_event(d) for d in deltas)
    body += record_event("".join(deltas) if final is None else final)
    return (body + (DONE if done else "")).encode()


def parse_all(chunks: list[bytes], content_type: str | None = "text/event-stream"):
    parser = ChatStreamParser(content_type)
    events = []
    for chunk in chunks:
        events += parser.feed(chunk)
    events += parser.close()
    return events


def splits(payload: bytes):
    """The payload whole, then cut in two at every byte offset, then byte by byte."""
    yield [payload]
    for i in range(1, len(payload)):
        yield [payload[:i], payload[i:]]
    yield [payload[i : i + 1] for i in range(len(payload))]


def text_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, ContentDelta))


def kinds(events) -> list[str]:
    return [e.kind for e in events]


# -- SSE framing ------------------------------------------------------------------------

SSE_CASES = {
    "lf": (b"event: content\ndata: a\n\n", [SSEEvent("content", "a")]),
    "crlf": (b"event: content\r\ndata: a\r\n\r\n", [SSEEvent("content", "a")]),
    "cr": (b"event: content\rdata: a\r\r", [SSEEvent("content", "a")]),
    "multi-data": (b"data: one\ndata: two\n\n", [SSEEvent("message", "one\ntwo")]),
    "no-space": (b"event:done\ndata:{}\n\n", [SSEEvent("done", "{}")]),
    "comment": (b": keep-alive\n\nevent: content\ndata: x\n\n", [SSEEvent("content", "x")]),
    "two-spaces": (b"data:  x\n\n", [SSEEvent("message", " x")]),
    "unknown-field": (b"id: 7\nretry: 10\ndata: x\n\n", [SSEEvent("message", "x")]),
    "eof-without-blank": (b"event: result\ndata: {}", [SSEEvent("result", "{}")]),
    "utf8": ("data: ünïcödé ✓ 🎉\n\n".encode(), [SSEEvent("message", "ünïcödé ✓ 🎉")]),
}


@pytest.mark.parametrize("name", SSE_CASES)
def test_sse_decoder_survives_every_split(name: str) -> None:
    payload, expected = SSE_CASES[name]
    for chunks in splits(payload):
        decoder = SSEDecoder()
        events = [e for chunk in chunks for e in decoder.feed(chunk)] + decoder.close()
        assert events == expected, chunks


def test_sse_decoder_keeps_a_long_line_linear() -> None:
    decoder = SSEDecoder()
    line = "x" * 200_000
    pieces = [b"data: "] + [line[i : i + 1000].encode() for i in range(0, len(line), 1000)]
    events = [e for p in pieces for e in decoder.feed(p)] + decoder.feed(b"\n\n")
    assert events == [SSEEvent("message", line)]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\xffb\n\n") == [SSEEvent("message", "a\ufffdb")]


# -- chat events ------------------------------------------------------------------------

CHAT_CASES: dict[str, tuple[bytes, str, list[str]]] = {
    "plain": (sse("Hello ", "world!"), "Hello world!", ["content", "content", "result", "done"]),
    "utf8": (
        sse("Grüße ", "✓ ", "日本語 🎉"),
        "Grüße ✓ 日本語 🎉",
        ["content"] * 3 + ["result", "done"],
    ),
    # The final content event repeats everything (wire.md#chat-stream, R-zeroffa): dropped.
    "duplicated-final": (
        (content_event("Hello ") + content_event("world!") + content_event("Hello world!")).encode()
        + record_event("Hello world!").encode()
        + DONE.encode(),
        "Hello world!",
        ["content", "content", "result", "done"],
    ),
    # ...also without a result to arbitrate.
    "duplicated-final-no-result": (
        (
            content_event("Hello ") + content_event("world!") + content_event("Hello world!") + DONE
        ).encode(),
        "Hello world!",
        ["content", "content", "done"],
    ),
    # A cumulative final event with extra text: only the new suffix is emitted.
    "cumulative-final": (
        (content_event("Hello ") + content_event("Hello world!")).encode()
        + record_event("Hello world!").encode(),
        "Hello world!",
        ["content", "content", "result"],
    ),
    # A delta that merely starts like the text so far is a genuine delta.
    "look-alike-delta": (sse("ha", "ha", "!"), "haha!", ["content"] * 3 + ["result", "done"]),
    "look-alike-last-delta": (sse("ha", "ha"), "haha", ["content"] * 2 + ["result", "done"]),
    # The result holds more than the deltas: the authority fills the gap.
    "result-fills-gap": (
        sse("Hello", final="Hello world"),
        "Hello world",
        ["content", "content", "result", "done"],
    ),
    "result-without-done": (sse("a", "b", done=False), "ab", ["content", "content", "result"]),
    "unnamed-events-are-content": (
        b'data: {"content":"x"}\n\ndata: y\n\n' + record_event("xy").encode(),
        "xy",
        ["content", "content", "result"],
    ),
    "non-json-content": (
        b"event: content\ndata: raw text\n\n" + DONE.encode(),
        "raw text",
        ["content", "done"],
    ),
    "openai-shaped-delta": (
        b'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n' + DONE.encode(),
        "hi",
        ["content", "done"],
    ),
    "error-event": (
        (content_event("part") + 'event: error\ndata: {"error":"Server overload"}\n\n').encode(),
        "part",
        ["content", "error"],
    ),
    "error-event-message-key": (
        b'event: error\ndata: {"message":"Server overload"}\n\n',
        "",
        ["error"],
    ),
}


@pytest.mark.parametrize("name", CHAT_CASES)
def test_chat_stream_survives_every_split(name: str) -> None:
    payload, text, expected_kinds = CHAT_CASES[name]
    for chunks in splits(payload):
        events = parse_all(chunks)
        assert text_of(events) == text, chunks
        assert kinds(events) == expected_kinds, chunks


def test_error_event_carries_the_message_from_either_key() -> None:
    for key in ("error", "message"):
        payload = f'event: error\ndata: {{"{key}":"Server overload"}}\n\n'.encode()
        (event,) = parse_all([payload])
        assert event == StreamErrorEvent("Server overload")


def test_result_event_carries_the_record() -> None:
    events = parse_all([sse("a")])
    result = next(e for e in events if isinstance(e, StreamResult))
    assert result.record.uuid == "rec-1"
    assert result.record.text == "a"
    assert events[-1] == StreamDone("Stream completed")


@pytest.mark.parametrize(
    "payload",
    [
        content_event("Hello ").encode(),  # neither result nor done
        (content_event("Hello ") + "event: res").encode(),  # cut inside an event
    ],
)
def test_truncated_stream_raises_after_delivering_the_text(payload: bytes) -> None:
    parser = ChatStreamParser("text/event-stream")
    delivered = parser.feed(payload)
    with pytest.raises(StreamError, match="ended before its result"):
        parser.close()
    assert text_of(delivered) == "Hello "


def test_result_that_is_not_json_raises_after_the_deltas_before_it() -> None:
    payload = (
        (content_event("a") + content_event("b")).encode()
        + b"event: result\ndata: {nope\n\n"
        + DONE.encode()
    )
    for chunks in splits(payload):
        parser = ChatStreamParser("text/event-stream")
        delivered = []
        with pytest.raises(StreamError, match="not JSON"):
            for chunk in chunks:
                delivered += parser.feed(chunk)
            delivered += parser.close()
            parser.raise_if_failed()
        assert text_of(delivered) == "ab", chunks


# -- the legacy raw-text stream (wire.md#legacy-raw-text-stream) ---------------------------------------------------

RAW = "Hello wörld, raw ✓ stream".encode()


@pytest.mark.parametrize("content_type", [None, "text/plain; charset=utf-8"])
def test_raw_text_stream_survives_every_split(content_type: str | None) -> None:
    for chunks in splits(RAW):
        events = parse_all(chunks, content_type)
        assert text_of(events) == RAW.decode(), chunks
        assert set(kinds(events)) == {"content"}


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_raw_piece_that_repeats_the_text_so_far_is_kept(content_type: str | None) -> None:
    # Found by hypothesis: raw text has no final event that could repeat the reply, so "0000"
    # arriving as "00" + "00" is two deltas, not a delta and its duplicate.
    for chunks in ([b"0000", b"0000"], [b"ab", b"ab", b"ab"], [b"x" * 8, b"x" * 8]):
        events = parse_all(chunks, content_type)
        assert text_of(events) == b"".join(chunks).decode(), chunks


def test_sse_is_sniffed_without_a_content_type() -> None:
    for chunks in splits(sse("x", "y")):
        events = parse_all(chunks, None)
        assert kinds(events) == ["content", "content", "result", "done"]


def test_empty_body_without_markers_is_truncated() -> None:
    parser = ChatStreamParser("text/event-stream")
    with pytest.raises(StreamError):
        parser.close()


def test_duplicate_detection_on_a_reply_longer_than_a_hash_slice() -> None:
    deltas = [
        ("ab" * 300_000)[i : i + 50_000] for i in range(0, 600_000, 50_000)
    ] * 2  # 1.2 M chars
    text = "".join(deltas)
    payload = (
        "".join(content_event(d) for d in deltas) + content_event(text) + record_event(text) + DONE
    ).encode()
    events = parse_all([payload[i : i + 65_536] for i in range(0, len(payload), 65_536)])
    assert text_of(events) == text
    assert kinds(events)[-2:] == ["result", "done"]


# -- huge result events: over-long strings are dropped as they stream in ------------------

ESCAPY = 'a \\"quoted\\" \\\\ back\\\\slash é \\u00e9 and more text to pass the limit'


@pytest.mark.parametrize(
    "payload_record",
    [
        {
            "uuid": "r",
            "aiRecordDetail": {"resultObject": ["x" * 80], "promptObject": {"prompt": "short"}},
            "model": "m",
        },
        {
            "uuid": "r",
            "aiRecordDetail": {"resultObject": [ESCAPY * 2]},
            "model": "m",
            "note": "kept",
        },
    ],
)
def test_long_strings_of_the_watched_event_are_elided_at_every_split(payload_record) -> None:
    line = (
        "event: result\ndata: "
        + json.dumps({"aiRecord": payload_record}, ensure_ascii=False)
        + "\n\n"
    )
    payload = line.encode()
    expected = json.loads(json.dumps(payload_record))
    expected["aiRecordDetail"]["resultObject"] = [""]
    for chunks in splits(payload):
        decoder = SSEDecoder(elide_event="result", elide_after=50)
        events = [e for chunk in chunks for e in decoder.feed(chunk)] + decoder.close()
        (event,) = events
        assert event.event == "result"
        assert event.elided == 1, chunks
        assert json.loads(event.data)["aiRecord"] == expected, chunks


def test_other_events_and_short_lines_are_never_elided() -> None:
    long_content = "event: content\ndata: " + json.dumps({"content": "y" * 200}) + "\n\n"
    short_result = (
        "event: result\ndata: "
        + json.dumps({"aiRecord": {"aiRecordDetail": {"resultObject": ["z" * 20]}}})
        + "\n\n"
    )
    decoder = SSEDecoder(elide_event="result", elide_after=50)
    events = decoder.feed((long_content + short_result).encode()) + decoder.close()
    assert [e.elided for e in events] == [0, 0]
    assert json.loads(events[0].data)["content"] == "y" * 200
    assert json.loads(events[1].data)["aiRecord"]["aiRecordDetail"]["resultObject"] == ["z" * 20]


def test_a_huge_reply_streams_with_the_record_text_elided() -> None:
    deltas = ["w" * 100_000] * 30  # 3 MB
    payload = (
        "".join(content_event(d) for d in deltas)
        + record_event("".join(deltas), uuid="rec-9")
        + DONE
    ).encode()
    events = parse_all([payload[i : i + 65_536] for i in range(0, len(payload), 65_536)])
    assert text_of(events) == "w" * 3_000_000
    result = next(e for e in events if isinstance(e, StreamResult))
    assert result.text_elided
    assert result.record.uuid == "rec-9"
    assert result.record.text == ""
