"""Pure tests of the emulator's file formats (MP4/H.264, GLB, WAV tunes, picture sizes), its
feature table and its reading of the tool list. No sockets are opened here.

Each file is checked by the independent spec walkers of ``formats`` and, when the package is
installed, by a real decoder: PyAV (FFmpeg) for the video, pygltflib for the model, ``wave`` for
the audio.
"""

from __future__ import annotations

import io
import struct
import wave
from typing import Any

import pytest

from langchain_oneminai.emulator import _glb, _media, _video
from langchain_oneminai.emulator._feature_media import operation_size
from langchain_oneminai.emulator._feature_table import (
    FeatureTableError,
    load_features,
    parse_features,
)
from langchain_oneminai.emulator._tool_args import arguments_schema, compact_type
from tests.emulator_tests.formats import check_glb, check_mp4

# -- video ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(128, 72), (72, 128), (16, 16), (2, 2), (130, 34)])
def test_mp4_structure_for_any_even_size(width, height):
    data = _video.render_mp4("p", width, height, 3, comment="c")
    found = check_mp4(data)
    assert (found.width, found.height, found.samples) == (width, height, 3)
    assert found.seconds == 3 / _video.FPS
    assert found.nal_types == [[5], [1], [1]]
    info = _video.read_mp4(data)
    assert (info.width, info.height, info.seconds) == (width, height, 3 / _video.FPS)
    assert info.texts == {"©too": "1min.ai emulator", "©cmt": "c"}


def test_h264_decodes_to_the_exact_picture():
    av = pytest.importorskip("av")
    width, height = 48, 32  # 3x2 macroblocks, no cropping
    data = _video.render_mp4("exact pixels", width, height, 4, comment="x")
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        stream.codec_context.options = {"err_detect": "explode"}  # any bitstream error raises
        frames = list(container.decode(stream))
    assert len(frames) == 4
    rows = _media.render_rows("exact pixels", width, height)
    # BT.601 limited range, computed here independently of the encoder: I_PCM is lossless.
    expected = bytes(
        16 + ((66 * row[3 * x] + 129 * row[3 * x + 1] + 25 * row[3 * x + 2] + 128) >> 8)
        for row in rows
        for x in range(width)
    )
    for frame in frames:
        plane = frame.planes[0]
        raw = bytes(plane)
        luma = b"".join(
            raw[y * plane.line_size : y * plane.line_size + width] for y in range(height)
        )
        assert luma == expected
        assert frame.format.name == "yuv420p"


def test_h264_of_a_cropped_size_decodes_at_that_size():
    av = pytest.importorskip("av")
    data = _video.render_mp4("crop", 130, 34, 2)
    with av.open(io.BytesIO(data)) as container:
        frames = list(container.decode(video=0))
    assert [(f.width, f.height) for f in frames] == [(130, 34), (130, 34)]


def test_mp4_is_deterministic_and_follows_the_seed():
    one = _video.render_mp4("same", 32, 32, 2, comment="x")
    assert one == _video.render_mp4("same", 32, 32, 2, comment="x")
    assert one != _video.render_mp4("other", 32, 32, 2, comment="x")


@pytest.mark.parametrize(
    ("width", "height", "frames"), [(3, 4, 1), (4, 3, 1), (0, 2, 1), (4, 4, 0), (4, 4, 257)]
)
def test_render_mp4_refuses_bad_arguments(width, height, frames):
    with pytest.raises(ValueError, match="video|frames"):
        _video.render_mp4("x", width, height, frames)


def test_read_mp4_refuses_other_files():
    with pytest.raises(ValueError, match="not an MP4"):
        _video.read_mp4(struct.pack(">I4s", 8, b"free"))
    with pytest.raises(ValueError, match="bad size"):
        _video.read_mp4(struct.pack(">I4s", 99, b"ftyp"))
    assert _video.embedded_comment(b"not a video") is None
    foreign = _video.render_mp4("x", 4, 4, 1, comment="c").replace(
        b"1min.ai emulator", b"someone-else-here"
    )
    assert _video.embedded_comment(foreign) is None


@pytest.mark.parametrize(
    ("ratio", "size"),
    [
        ((16, 9), (128, 72)),
        ((9, 16), (72, 128)),
        ((1, 1), (128, 128)),
        ((10, 1), (128, 32)),
        ((3, 2), (128, 84)),
    ],
)
def test_video_dimensions(ratio, size):
    assert _video.video_dimensions(ratio) == size


# -- 3d -------------------------------------------------------------------------------------------


def test_glb_follows_the_spec_and_loads():
    data = _glb.render_glb("a red chair", seed="s")
    document = check_glb(data)
    assert document["asset"] == {
        "version": "2.0",
        "generator": "1min.ai emulator",
        "extras": {"description": "a red chair"},
    }
    assert data == _glb.render_glb("a red chair", seed="s")
    assert data != _glb.render_glb("a red chair", seed="t")
    pygltflib = pytest.importorskip("pygltflib")
    model = pygltflib.GLTF2.load_from_bytes(data)
    assert model.accessors[0].count == 4
    assert model.meshes[0].primitives[0].indices == 1


# -- audio and pictures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "seconds"), [("music", 30.0), ("sound effect", 0.5), ("music", 1.1)]
)
def test_tunes_are_wavs_of_their_length_and_not_speech(kind, seconds):
    data = _media.render_tune("calm piano", seconds, kind=kind)
    with wave.open(io.BytesIO(data)) as reader:
        assert reader.getnframes() == round(seconds * 16000)
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            16000,
        )
    info = _media.parse_wav(data)
    assert info.info == {"ISFT": "1min.ai emulator", "IGNR": kind, "ICMT": "calm piano"}
    assert _media.embedded_text(data) is None
    assert data == _media.render_tune("calm piano", seconds, kind=kind)
    assert data != _media.render_tune("loud drums", seconds, kind=kind)


def test_a_shifted_voice_says_the_same_words():
    plain, shifted = _media.render_wav("hello"), _media.render_wav("hello", pitch_shift=5)
    assert plain != shifted
    assert _media.embedded_text(shifted) == "hello"
    assert _media.parse_wav(shifted).frames == _media.parse_wav(plain).frames


def test_rgba_png_has_a_transparent_background():
    info = _media.parse_png(_media.render_png("cut out", 32, 16, alpha=True, description="d"))
    assert (info.color_type, info.text["Description"]) == (6, "d")
    stride = 1 + 32 * 4
    alphas = {info.scanlines[r * stride + 4 + 4 * x] for r in range(16) for x in range(32)}
    assert alphas == {0, 255}


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + bytes(9)
    sof = b"\xff\xc2" + struct.pack(">HBHH", 11, 8, height, width) + bytes(6)
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof + b"\xff\xd9"


def _webp(kind: bytes, payload: bytes) -> bytes:
    chunk = kind + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (_media.render_png("x", 7, 5), (7, 5)),
        (_jpeg(640, 480), (640, 480)),
        (b"GIF89a" + struct.pack("<HH", 12, 34) + bytes(4), (12, 34)),
        (
            _webp(b"VP8X", bytes(4) + (99).to_bytes(3, "little") + (49).to_bytes(3, "little")),
            (100, 50),
        ),
        (_webp(b"VP8 ", bytes(3) + b"\x9d\x01\x2a" + struct.pack("<HH", 320, 240)), (320, 240)),
        (_webp(b"VP8L", b"\x2f" + (63 | (31 << 14)).to_bytes(4, "little")), (64, 32)),
        (b"\xff\xd8\xff\xd9", None),
        (b"ID3 not a picture", None),
    ],
)
def test_image_size_reads_headers(data, size):
    assert _media.image_size(data) == size


@pytest.mark.parametrize(
    ("feature", "model", "prompt_object", "source", "size"),
    [
        ("IMAGE_UPSCALER", "stable-image", {}, (100, 50), (400, 200)),
        ("IMAGE_UPSCALER", "recraft", {}, (100, 50), (200, 100)),
        ("IMAGE_UPSCALER", "dzine", {"scale": 1.5}, (100, 50), (150, 75)),
        ("IMAGE_UPSCALER", "dzine", {"scale": 99}, (100, 50), (200, 100)),
        ("IMAGE_UPSCALER", "stable-image", {}, (1000, 500), (1024, 512)),
        ("IMAGE_UPSCALER", "stable-image", {}, None, (1024, 1024)),
        ("IMAGE_EXTENDER", "stable-image", {"left": 10, "down": 20}, (100, 50), (110, 70)),
        ("IMAGE_EXTENDER", "clipdrop", {"right": -150}, (100, 50), (1, 50)),
        ("BACKGROUND_REMOVER", "stable-image", {}, (640, 480), (640, 480)),
        ("BACKGROUND_REMOVER", "stable-image", {}, None, (256, 256)),
        ("BACKGROUND_REPLACER", "gpt-image-1", {"size": "1536x1024"}, (64, 64), (256, 171)),
        ("TEXT_REMOVER", "clipdrop", {}, (4000, 3000), (1024, 768)),
    ],
)
def test_operation_sizes(feature, model, prompt_object, source, size):
    assert operation_size(feature, model, prompt_object, source) == size


# -- the feature table ----------------------------------------------------------------------------


def test_the_table_parses_and_knows_every_result_kind():
    table = load_features()
    assert {spec.result for spec in table.values()} == {"image", "video", "audio", "text", "3d"}
    kling = table["TEXT_TO_VIDEO"].fields_for("kling")
    assert [s.required for s in kling["duration"]] == [True]
    assert "seconds" not in kling
    assert "voice_settings" in table["VOICE_CLONING"].known_keys()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be an object with a 'features' object"),
        ({"features": {"X": []}}, "features.X must be an object"),
        ({"features": {"X": {"verdict": "maybe", "result": "text"}}}, "verdict"),
        ({"features": {"X": {"verdict": "typed", "result": "smell"}}}, "result"),
        ({"features": {"X": {"verdict": "typed", "result": "text", "inputs": {"a": 1}}}}, "inputs"),
        (
            {"features": {"X": {"verdict": "typed", "result": "text", "fields": {}}}},
            "fields must be",
        ),
        (
            {"features": {"X": {"verdict": "typed", "result": "text", "fields": [{"name": ""}]}}},
            "name",
        ),
        (
            {
                "features": {
                    "X": {
                        "verdict": "typed",
                        "result": "text",
                        "fields": [{"name": "a", "type": "int"}],
                    }
                }
            },
            "type",
        ),
        (
            {
                "features": {
                    "X": {
                        "verdict": "typed",
                        "result": "text",
                        "fields": [{"name": "a", "enum": "x"}],
                    }
                }
            },
            "enum",
        ),
        (
            {
                "features": {
                    "X": {
                        "verdict": "typed",
                        "result": "text",
                        "fields": [{"name": "a", "minimum": "1"}],
                    }
                }
            },
            "minimum",
        ),
        (
            {
                "features": {
                    "X": {
                        "verdict": "typed",
                        "result": "text",
                        "fields": [{"name": "a", "applies_to": "m"}],
                    }
                }
            },
            "applies_to",
        ),
        (
            {"features": {"X": {"verdict": "typed", "result": "text", "fields": ["a"]}}},
            r"fields\[0\] must be an object",
        ),
    ],
)
def test_parse_features_refuses_a_broken_table(raw: Any, message):
    with pytest.raises(FeatureTableError, match=message):
        parse_features(raw)


# -- the tool list's compact argument types -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "schema"),
    [
        ("string", {"type": "string"}),
        ("string (date-time)", {"type": "string", "format": "date-time"}),
        ('"a" | "b, c"', {"enum": ["a", "b, c"]}),
        ("integer | null", {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        ("array of number", {"type": "array", "items": {"type": "number"}}),
        ("array", {"type": "array"}),
        ("object of boolean", {"type": "object", "additionalProperties": {"type": "boolean"}}),
        (
            "{x: number, y?: {z: string}}",
            {
                "type": "object",
                "properties": {
                    "x": {"type": "number"},
                    "y": {
                        "type": "object",
                        "properties": {"z": {"type": "string"}},
                        "required": ["z"],
                    },
                },
                "required": ["x"],
            },
        ),
        ("3", {"const": 3}),
        ("any", {}),
        ("something else", {}),
    ],
)
def test_compact_types(text, schema):
    assert compact_type(text) == schema


def test_arguments_schema_reads_every_form():
    assert arguments_schema(['  arguments (JSON schema): {"type": "object"}']) == {"type": "object"}
    assert arguments_schema(['  arguments schema: {"type": "object", "x": 1} tail']) == {
        "type": "object",
        "x": 1,
    }
    assert arguments_schema(["  arguments: none, use {}"]) == {"type": "object", "properties": {}}
    assert arguments_schema(["  arguments schema: [1]"]) is None
    assert arguments_schema(["  arguments schema: {oops"]) is None
    assert arguments_schema(["- next_tool: no arguments line"]) is None
    listed = arguments_schema(
        [
            "  a description that goes on",
            "  arguments:",
            "    q (string, required): what to look for, required)",
            "    n (integer, optional, default 3)",
            "- next_tool",
        ]
    )
    assert listed == {
        "type": "object",
        "properties": {"q": {"type": "string"}, "n": {"type": "integer"}},
        "required": ["q"],
    }
