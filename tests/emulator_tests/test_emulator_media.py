"""Pure tests of the emulator's building blocks: media, brain, multipart, stream pieces, state.

No sockets are opened here.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import struct
import zlib

import pytest

from langchain_oneminai.emulator import EmulatorSettings, Fault, ScriptedReply, _brain, _media
from langchain_oneminai.emulator._catalog_data import ModelFacts, load_catalog
from langchain_oneminai.emulator._catalog_seed import (
    MODEL_KEYS,
    credit_metadata,
    feature_credit,
    model_object,
    model_uuid,
)
from langchain_oneminai.emulator._routes import parse_multipart, resolve
from langchain_oneminai.emulator._state import EmulatorState, now_utc
from langchain_oneminai.emulator._stream import _Sink

PINNED_PIXELS = "3112fb4a118e4b7064482ec46d2e14d2d882d12f3cf6d92472b7c7b2d97cbbf2"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# -- PNG ------------------------------------------------------------------------------------


def test_png_round_trip_and_metadata():
    data = _media.render_png("a red fox ✓", 256, 144)
    info = _media.parse_png(data)
    assert (info.width, info.height, info.bit_depth, info.color_type) == (256, 144, 8, 2)
    assert info.text == {"Software": "1min.ai emulator", "Description": "a red fox ✓"}
    assert len(info.scanlines) == 144 * (1 + 256 * 3)
    assert all(info.scanlines[row * (1 + 256 * 3)] == 0 for row in range(144))


def test_png_is_deterministic_per_prompt_and_variant():
    first = _media.render_png("same prompt", 64, 64)
    assert first == _media.render_png("same prompt", 64, 64)
    assert first != _media.render_png("same prompt", 64, 64, variant=1)
    assert first != _media.render_png("other prompt", 64, 64)


def test_png_draws_more_than_one_colour():
    info = _media.parse_png(_media.render_png("colourful", 128, 128))
    row = info.scanlines[1 : 1 + 128 * 3]
    pixels = {row[i : i + 3] for i in range(0, len(row), 3)}
    column = {info.scanlines[r * (1 + 128 * 3) + 1 : r * (1 + 128 * 3) + 4] for r in range(128)}
    assert len(pixels | column) > 2


def test_png_tiny_and_long_prompt_embedding():
    info = _media.parse_png(_media.render_png("x" * 5000, 1, 1))
    assert (info.width, info.height) == (1, 1)
    assert info.text["Description"] == "x" * 2000


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: b"GIF89a" + d[6:], "signature"),
        (lambda d: d[:40], "truncated"),
        (lambda d: d[:20] + bytes([d[20] ^ 0xFF]) + d[21:], "bad CRC"),
    ],
)
def test_parse_png_rejects_damage(mutate, message):
    data = _media.render_png("damage", 16, 16)
    with pytest.raises(ValueError, match=message):
        _media.parse_png(mutate(data))


def test_parse_png_rejects_bad_image_data():
    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    signature = b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="bad image data"):
        _media.parse_png(signature + header + chunk(b"IDAT", b"nope") + chunk(b"IEND", b""))
    short = chunk(b"IDAT", zlib.compress(b"\x00" * 3))
    with pytest.raises(ValueError, match="does not match"):
        _media.parse_png(signature + header + short + chunk(b"IEND", b""))
    with pytest.raises(ValueError, match="no IHDR"):
        _media.parse_png(signature + chunk(b"IEND", b""))


@pytest.mark.parametrize(
    ("prompt_object", "expected"),
    [
        ({}, (256, 256)),
        ({"size": "1024x1024"}, (256, 256)),
        ({"size": "1792x1024"}, (256, 146)),
        ({"size": "1024x1792"}, (146, 256)),
        ({"size": "1536X1024"}, (256, 171)),
        ({"aspect_ratio": "16:9"}, (256, 144)),
        ({"aspectRatio": "9:16"}, (144, 256)),
        ({"aspect_width": 1, "aspect_height": 7}, (37, 256)),
        ({"width": 1440, "height": 720}, (256, 128)),
        ({"aspect_ratio": "100:1"}, (256, 16)),
        ({"size": "huge"}, (256, 256)),
        ({"aspect_ratio": "0:5"}, (256, 256)),
        ({"aspect_width": True, "aspect_height": 2}, (256, 256)),
    ],
)
def test_image_dimensions_honour_aspect(prompt_object, expected):
    assert _media.image_dimensions(prompt_object) == expected


# -- WAV ------------------------------------------------------------------------------------


def test_wav_round_trip_embeds_text():
    text = "Hello, wörld ✓"
    data = _media.render_wav(text)
    info = _media.parse_wav(data)
    assert (info.sample_rate, info.channels, info.bits_per_sample) == (16000, 1, 16)
    assert info.frames == round(_media.speech_seconds(text) * 16000)
    assert info.info == {"ISFT": "1min.ai emulator", "ICMT": text}
    assert _media.embedded_text(data) == text
    assert data == _media.render_wav(text)


def test_wav_length_is_proportional_and_bounded():
    assert _media.speech_seconds("") == _media.MIN_SECONDS
    assert _media.speech_seconds("a" * 50) == pytest.approx(2.0)
    assert _media.speech_seconds("a" * 4096) == _media.MAX_SECONDS
    assert _media.parse_wav(_media.render_wav("a" * 4096)).frames == 4 * 16000
    assert _media.parse_wav(_media.render_wav("")).frames == 4000


def test_wav_has_sound():
    data = _media.render_wav("abc")
    pcm = data[data.index(b"data") + 8 :]
    samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
    assert max(samples) > 4000
    assert min(samples) < -4000


def test_embedded_text_only_for_emulator_wavs():
    assert _media.embedded_text(b"ID3\x04 not a wav") is None
    foreign = _media.render_wav("x").replace(b"1min.ai emulator", b"someone else\x00\x00\x00\x00")
    assert _media.embedded_text(foreign) is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: b"RIFX" + d[4:], "not a RIFF"),
        (lambda d: d[:-2], "RIFF size"),
        (lambda d: d[:4] + struct.pack("<I", 4) + b"WAVE", "missing fmt"),
    ],
)
def test_parse_wav_rejects_damage(mutate, message):
    with pytest.raises(ValueError, match=message):
        _media.parse_wav(mutate(_media.render_wav("damage")))


# -- brain ----------------------------------------------------------------------------------


def test_chat_reply_says_it_is_the_emulator():
    text = _brain.chat_reply("gpt-4o-mini", "Hello\nthere, my friend\nhow are you today?")
    assert text == (
        "[1min.ai emulator · gpt-4o-mini] I am an offline emulator, not a language model. "
        'Your prompt had 3 lines and 8 words; its last line was: "how are you today?".'
    )


def test_chat_reply_mentions_attachments_and_turns():
    text = _brain.chat_reply(
        "gpt-4o", "look", images=["images/a.png", "images/b.png"], files=["f-1"], earlier_turns=1
    )
    assert text.endswith(
        "Attachments: 2 images (images/a.png, images/b.png), 1 file (f-1). "
        "This conversation holds 1 earlier turn on the emulator."
    )
    assert "0 earlier turns" in _brain.chat_reply("m", "x", earlier_turns=0)


def test_chat_reply_is_deterministic_and_handles_edge_prompts():
    assert _brain.chat_reply("m", "a b") == _brain.chat_reply("m", "a b")
    empty = _brain.chat_reply("m", "")
    assert 'had 0 lines and 0 words; its last line was: "".' in empty
    long_line = _brain.chat_reply("m", "w " * 200)
    assert '…".' in long_line
    assert "its last line was" in _brain.chat_reply("m", "first\n\n  \n")


@pytest.mark.parametrize(
    ("text", "size", "expected"),
    [
        ("Hello big world", 1, ["Hello ", "big ", "world"]),
        ("  lead  and trail  ", 1, ["  lead  ", "and ", "trail  "]),
        ("a b c d e", 2, ["a b ", "c d ", "e"]),
        ("one", 0, ["one"]),
        ("", 1, []),
        ("   ", 1, ["   "]),
        ("line\nbreak ✓ ok", 1, ["line\n", "break ", "✓ ", "ok"]),
    ],
)
def test_split_words(text, size, expected):
    assert _brain.split_words(text, size) == expected
    assert "".join(_brain.split_words(text, size)) == text


def test_code_and_feature_replies_are_deterministic():
    code = _brain.code_reply("qwen3-coder-plus", 'write "fizzbuzz"\nin python')
    assert code == _brain.code_reply("qwen3-coder-plus", 'write "fizzbuzz"\nin python')
    assert code.startswith("# [1min.ai emulator · qwen3-coder-plus] offline emulator")
    assert '# Request (4 words): "in python"' in code
    compile(code, "<emulator>", "exec")
    feature = _brain.feature_reply("SUMMARIZER", "gpt-4o", {"prompt": "x", "tone": "calm"})
    assert feature == (
        "[1min.ai emulator · gpt-4o] SUMMARIZER was answered by an offline emulator, "
        'not a model. It was asked to summarize a text of 1 word ("x"). Options: tone=calm. '
        "promptObject fields received: prompt, tone."
    )
    assert (
        _brain.fallback_transcript("a.mp3", 12)
        == "[1min.ai emulator transcript of a.mp3, 12 bytes]"
    )


# -- catalog objects ------------------------------------------------------------------------


def test_model_object_has_the_18_keys_and_the_recorded_values():
    facts = next(m for m in load_catalog().chat if m.model_id == "qwen3-vl-plus")
    obj = model_object(facts, ["CHAT_WITH_IMAGE", "UNIFY_CHAT_WITH_AI"])
    assert tuple(obj) == MODEL_KEYS
    assert len(MODEL_KEYS) == 18
    assert obj == {
        "uuid": model_uuid("qwen3-vl-plus"),
        "modelId": "qwen3-vl-plus",
        "name": "Qwen3 VL Plus - Alibaba Cloud",  # the dump's display name, not the id
        "group": "alibaba/qwen",
        "provider": "alibaba",
        "status": "ACTIVE",
        "cutoffDate": None,
        "logoUrl": None,
        "features": ["CHAT_WITH_IMAGE", "UNIFY_CHAT_WITH_AI"],
        "creditMetadata": {  # wire.md#model-catalog quotes exactly this one
            "INPUT": 0.6,
            "OUTPUT": 4.8,
            "CONTEXT": 262144,
            "LOW_IMAGE": 802,
            "MAX_OUTPUT_TOKEN": 32768,
        },
        "modality": {"INPUT": ["text", "image"], "OUTPUT": ["text"]},
        "information": None,
        "createdAt": "2025-01-01T00:00:00.000Z",
        "createdBy": None,
        "updatedAt": "2025-01-01T00:00:00.000Z",
        "updatedBy": None,
        "numberOfStars": 0,
        "creditEstimation": None,
    }
    assert UUID4.match(obj["uuid"])


def test_placeholder_prices_for_models_without_recorded_ones():
    vision = ModelFacts("x", "x", "p", "g", None, vision=True, context=10, chat=True)
    assert credit_metadata(vision) == {"INPUT": 1, "OUTPUT": 4, "LOW_IMAGE": 800, "CONTEXT": 10}
    text_only = ModelFacts("y", "y", "p", "g", None, chat=True)
    assert credit_metadata(text_only) == {"INPUT": 1, "OUTPUT": 4}
    assert model_object(text_only, [])["modality"] == {"INPUT": ["text"], "OUTPUT": ["text"]}
    other = ModelFacts("z", "z", None, None, None)
    assert credit_metadata(other) == {"ALL": 1000}
    assert model_object(other, [])["modality"] is None


def test_feature_credit_uses_the_recorded_all_price():
    details = load_catalog().details
    assert feature_credit(details["qwen-image-plus"]) == 30000
    assert feature_credit(details["qwen3-tts-flash"]) == 10
    assert feature_credit(details["google-tts"]) == 1000  # priced per voice tier, no ALL
    assert feature_credit(None) == 1000


# -- multipart and routing ------------------------------------------------------------------


def test_parse_multipart():
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="type"\r\n\r\n'
        b"image\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="asset"; filename="p\xc3\xa9.png"\r\n'
        b"Content-Type: image/png\r\n\r\n"
        b"\x89PNG\r\n--Xy\r\n\r\n"
        b"--XyZ--\r\n"
    )
    parts = parse_multipart(body, "multipart/form-data; boundary=XyZ")
    assert parts is not None
    assert [(p.name, p.filename, p.content_type, p.data) for p in parts] == [
        ("type", None, None, b"image"),
        ("asset", "pé.png", "image/png", b"\x89PNG\r\n--Xy\r\n"),
    ]
    rfc2231 = (
        b"--b\r\nContent-Disposition: form-data; name=\"asset\"; filename*=utf-8''%C3%A9.txt\r\n"
        b"\r\nx\r\n--b--"
    )
    parsed = parse_multipart(rfc2231, 'multipart/form-data; boundary="b"')
    assert parsed is not None
    assert parsed[0].filename == "é.txt"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--b\r\nno end", "multipart/form-data; boundary=b"),
        (b"nothing here", "multipart/form-data; boundary=b"),
        (b"--b--", "multipart/form-data"),
    ],
)
def test_parse_multipart_malformed(body, content_type):
    assert parse_multipart(body, content_type) is None


@pytest.mark.parametrize(
    ("method", "path", "route", "found"),
    [
        ("POST", "/api/chat-with-ai", "chat", True),
        ("POST", "/api/chat-with-ai/", "chat", True),
        ("GET", "/api/chat-with-ai", "unknown", False),
        ("POST", "/api/features", "features", True),
        ("POST", "/api/assets", "assets", True),
        ("POST", "/api/conversations", "conversations", True),
        ("GET", "/api/conversations", "conversations", True),
        ("GET", "/api/conversations/abc", "conversations", True),
        ("DELETE", "/api/conversations/abc", "conversations", True),
        ("PUT", "/api/conversations/abc", "unknown", False),
        ("GET", "/models", "models", True),
        ("GET", "/api/models", "unknown", False),
        ("GET", "/asset-host/images/a.png", "download", True),
        ("POST", "/asset-host/images/a.png", "download", False),
        ("GET", "/", "unknown", False),
    ],
)
def test_resolve(method, path, route, found):
    name, handler = resolve(method, path)
    assert name == route
    assert (handler is not None) is found


# -- stream pieces --------------------------------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    async def write(self, data: bytes) -> None:
        self.pieces.append(bytes(data))


def _sink_pieces(fault: Fault, blocks: list[bytes]) -> list[bytes]:
    collect = _Collect()

    async def run() -> None:
        sink = _Sink(collect, fault)  # type: ignore[arg-type]
        for block in blocks:
            await sink.write(block)
        await sink.flush()

    asyncio.run(run())
    return collect.pieces


def test_sink_write_size_cuts_across_blocks():
    pieces = _sink_pieces(Fault(write_size=4), [b"abcdef", b"ghij", b"k"])
    assert pieces == [b"abcd", b"efgh", b"ijk"]


def test_sink_split_utf8_cuts_inside_every_multibyte_character():
    text = "a✓b é 😀".encode()
    pieces = _sink_pieces(Fault(split_utf8=True), [text])
    assert b"".join(pieces) == text
    assert pieces == [b"a\xe2", b"\x9c\x93b \xc3", b"\xa9 \xf0", b"\x9f\x98\x80"]
    for piece in pieces[:-1]:
        with pytest.raises(UnicodeDecodeError):
            piece.decode()


def test_sink_without_fault_writes_blocks_whole():
    assert _sink_pieces(Fault(), [b"one", b"", b"two"]) == [b"one", b"two"]


def test_sink_write_size_and_split_combined():
    pieces = _sink_pieces(Fault(write_size=3, split_utf8=True), ["x✓yz".encode()])
    assert b"".join(pieces) == "x✓yz".encode()
    assert pieces[0] == b"x\xe2"


# -- state ----------------------------------------------------------------------------------


def _state(seed: int = 0) -> EmulatorState:
    return EmulatorState(seed, EmulatorSettings())


def test_ids_are_seeded_and_reset():
    first = _state(7)
    ids = [first.new_id() for _ in range(3)]
    assert all(UUID4.match(i) for i in ids)
    assert len(set(ids)) == 3
    again = _state(7)
    assert [again.new_id() for _ in range(3)] == ids
    first.reset()
    assert [first.new_id() for _ in range(3)] == ids
    assert _state(8).new_id() != ids[0]
    assert _state(7).user_id == first.user_id != _state(8).user_id


def test_fault_rate_rolls_are_seeded_and_do_not_move_ids():
    def rolls(state: EmulatorState) -> list[bool]:
        state.add_fault(Fault(status=500), "chat", None, 0.3)
        return [state.take_fault("chat") is not None for _ in range(200)]

    one, two = _state(3), _state(3)
    assert rolls(one) == rolls(two)
    hits = sum(rolls(_state(3)))
    assert 30 < hits < 90
    assert one.new_id() == _state(3).new_id()


def test_fault_times_and_routes():
    state = _state()
    state.add_fault(Fault(status=429), "chat", 2, None)
    state.add_fault(Fault(status=503), None, 1, None)
    assert state.take_fault("models") == Fault(status=503)
    assert state.take_fault("models") is None
    assert state.take_fault("chat") == Fault(status=429)
    assert state.take_fault("chat") == Fault(status=429)
    assert state.take_fault("chat") is None


def test_store_asset_keys_are_unique_within_a_millisecond():
    state = _state()
    moment = now_utc()
    first = state.store_asset("images", "a.png", b"1", "image/png", moment)
    second = state.store_asset("images", "a.png", b"2", "image/png", moment)
    assert first.key != second.key
    assert re.fullmatch(r"images/\d{4}(_\d\d){5}_\d{3}_a\.png", second.key)
    assert state.asset_by_uuid(second.uuid) == second
    assert state.assets() == {first.key: (b"1", "image/png"), second.key: (b"2", "image/png")}


def test_catalog_seeded_from_the_data_file():
    state = _state()
    data = load_catalog()
    assert state.model_ids("UNIFY_CHAT_WITH_AI") == [m.model_id for m in data.chat]
    # Legacy catalogs are the dump's own lists, not derived from the v2 one.
    assert state.model_ids("CHAT_WITH_IMAGE") == list(data.features["CHAT_WITH_IMAGE"])
    assert "gpt-3.5-turbo" not in state.model_ids("CHAT_WITH_IMAGE")
    assert "qwen3-vl-plus" not in state.model_ids("CHAT_WITH_AI")
    assert state.model_ids("TEXT_TO_SPEECH") == list(data.features["TEXT_TO_SPEECH"])
    assert state.model_ids("NOPE") == []
    assert state.features_of("qwen3-vl-plus") == ["CHAT_WITH_IMAGE", "UNIFY_CHAT_WITH_AI"]
    assert "CODE_GENERATOR" in state.features_of("claude-sonnet-4-6")
    assert "PRESENTATION_GENERATOR" in state.features_of("claude-sonnet-4-6")
    # Capability tags follow the feature types in features[].
    assert state.features_of("qwen3-asr-flash")[-5:] == [
        "MULTI_LANGUAGE",
        "NOISE_REDUCTION",
        "EMOTION_RECOGNITION",
        "CONTEXT_BIASING",
        "SINGING_RECOGNITION",
    ]
    state.add_model("SUMMARIZER", "my-summarizer")
    assert state.features_of("my-summarizer") == ["SUMMARIZER"]
    assert state.facts("my-summarizer") == ModelFacts(
        "my-summarizer", "my-summarizer", "emulator", "emulator", None
    )
    state.add_model("SUMMARIZER", "gpt-5.4")  # an existing model keeps its facts
    assert state.facts("gpt-5.4").name == "GPT-5.4 - OpenAI"  # type: ignore[union-attr]


def test_settings_update_and_dataclass_defaults():
    settings = EmulatorSettings()
    settings.update({"asset_field_names": ["asset", "file"], "sse_charset": "utf-8"})
    assert settings.asset_field_names == ("asset", "file")
    assert settings.sse_charset == "utf-8"
    for removed in ("latency", "stream_chunk_words", "rejected_mime_types", "chat_types"):
        with pytest.raises(KeyError):
            settings.update({removed: 1})
    with pytest.raises(KeyError):
        settings.update({"nope": 1})
    assert Fault(retry_after="3").answers_status == 429
    assert Fault(status=502, retry_after="3").answers_status == 502
    assert Fault().answers_status is None
    assert ScriptedReply(chunks=["a", "b"]).reply_text() == "ab"
    assert ScriptedReply(text="t", chunks=["x"]).reply_text() == "t"
    assert ScriptedReply().reply_text() is None


def test_png_pixels_are_pinned():
    # Pin the pixels (not the zlib stream, which may differ between zlib builds) so an
    # accidental change of the drawing is noticed.
    scanlines = _media.parse_png(_media.render_png("pinned", 32, 32)).scanlines
    assert hashlib.sha256(scanlines).hexdigest() == PINNED_PIXELS
