"""Independent checks of the files the emulator makes, written from the format specs.

They share no code with the emulator's writers: an MP4 box walker (ISO/IEC 14496-12 and -15),
an H.264 NAL splitter (ISO/IEC 14496-10 Annex B / AVCC), and a GLB reader (glTF 2.0, "GLB File
Format Specification"). The tests also hand the files to real decoders when those are installed
(PyAV decodes the video, pygltflib loads the model, the standard ``wave`` module reads the audio).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Box:
    kind: str
    start: int
    end: int
    payload: int
    children: list[Box] = field(default_factory=list)

    def find(self, *path: str) -> Box:
        node = self
        for kind in path:
            node = next(child for child in node.children if child.kind == kind)
        return node


_CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "dinf", "udta", "edts"}


def boxes(data: bytes, start: int, end: int) -> list[Box]:
    """The box tree between ``start`` and ``end``; every size must tile the range exactly."""
    found = []
    pos = start
    while pos < end:
        assert pos + 8 <= end, "truncated box header"
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        assert size >= header, f"box {kind!r} too small"
        assert pos + size <= end, f"box {kind!r} overruns its parent"
        name = kind.decode("latin-1")
        box = Box(name, pos, pos + size, pos + header)
        if name in _CONTAINERS:
            box.children = boxes(data, pos + header, pos + size)
        elif name == "stsd":  # full box + entry count, then sample entries
            box.children = boxes(data, pos + header + 8, pos + size)
            for entry in box.children:
                if entry.kind == "avc1":  # 78 bytes of visual sample entry, then boxes
                    entry.children = boxes(data, entry.payload + 78, entry.end)
        found.append(box)
        pos += size
    assert pos == end, "boxes do not tile their parent"
    return found


@dataclass
class Mp4Check:
    width: int
    height: int
    samples: int
    seconds: float
    nal_types: list[list[int]]
    profile: int


def _check_avcc(data: bytes, avcc: Box) -> int:
    """Check the AVC configuration record: one SPS and one PPS, 4-byte lengths; its profile."""
    config = data[avcc.payload : avcc.end]
    assert config[0] == 1  # configurationVersion
    length_size = (config[4] & 3) + 1
    assert length_size == 4
    sps_count = config[5] & 0x1F
    assert sps_count == 1
    (sps_length,) = struct.unpack(">H", config[6:8])
    sps = config[8 : 8 + sps_length]
    assert sps[0] & 0x1F == 7  # an SPS NAL unit
    assert sps[1] == config[1]  # profile_idc agrees with the configuration record
    pps_at = 8 + sps_length
    assert config[pps_at] == 1
    (pps_length,) = struct.unpack(">H", config[pps_at + 1 : pps_at + 3])
    assert config[pps_at + 3] & 0x1F == 8  # a PPS NAL unit
    assert pps_at + 3 + pps_length == len(config)
    return config[1]


def check_mp4(data: bytes) -> Mp4Check:
    """Walk an MP4 holding one AVC track and check every size and offset adds up."""
    root = Box("root", 0, len(data), 0, boxes(data, 0, len(data)))
    assert root.children[0].kind == "ftyp"
    ftyp = root.children[0]
    assert data[ftyp.payload : ftyp.payload + 4] in (b"isom", b"mp42", b"mp41")
    moov = root.find("moov")
    mvhd = moov.find("mvhd")
    timescale, duration = struct.unpack(">II", data[mvhd.payload + 12 : mvhd.payload + 20])
    stbl = moov.find("trak", "mdia", "minf", "stbl")
    handler = moov.find("trak", "mdia", "hdlr")
    assert data[handler.payload + 8 : handler.payload + 12] == b"vide"
    avc1 = stbl.find("stsd", "avc1")
    width, height = struct.unpack(">HH", data[avc1.payload + 24 : avc1.payload + 28])
    profile = _check_avcc(data, avc1.find("avcC"))
    stts = stbl.find("stts")
    entries = struct.unpack(">I", data[stts.payload + 4 : stts.payload + 8])[0]
    counted = sum(
        struct.unpack(">II", data[stts.payload + 8 + 8 * i : stts.payload + 16 + 8 * i])[0]
        for i in range(entries)
    )
    stsz = stbl.find("stsz")
    fixed, count = struct.unpack(">II", data[stsz.payload + 4 : stsz.payload + 12])
    assert fixed == 0
    sizes = struct.unpack(f">{count}I", data[stsz.payload + 12 : stsz.payload + 12 + 4 * count])
    assert counted == count
    stco = stbl.find("stco")
    chunks, offset = struct.unpack(">II", data[stco.payload + 4 : stco.payload + 12])
    assert chunks == 1
    mdat = root.find("mdat")
    assert offset == mdat.payload
    assert sum(sizes) == mdat.end - mdat.payload
    nal_types = []
    pos = offset
    for size in sizes:
        sample_end, types = pos + size, []
        while pos < sample_end:
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            assert length > 0
            assert pos + 4 + length <= sample_end
            assert data[pos + 4] & 0x80 == 0  # forbidden_zero_bit
            types.append(data[pos + 4] & 0x1F)
            pos += 4 + length
        assert pos == sample_end
        nal_types.append(types)
    return Mp4Check(width, height, count, duration / timescale, nal_types, profile)


def check_glb(data: bytes) -> dict[str, Any]:
    """Check a GLB file's header, chunks and accessors; return its JSON document."""
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data))
    json_length, json_type = struct.unpack("<II", data[12:20])
    assert json_type == 0x4E4F534A
    assert json_length % 4 == 0
    document: dict[str, Any] = json.loads(data[20 : 20 + json_length])
    bin_at = 20 + json_length
    bin_length, bin_type = struct.unpack("<II", data[bin_at : bin_at + 8])
    assert bin_type == 0x004E4942
    assert bin_length % 4 == 0
    assert bin_at + 8 + bin_length == len(data)
    blob = data[bin_at + 8 :]
    assert document["asset"]["version"] == "2.0"
    assert document["buffers"][0]["byteLength"] <= bin_length
    sizes = {5126: ("f", 4), 5123: ("H", 2), 5125: ("I", 4)}
    widths = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}
    values = []
    for accessor in document["accessors"]:
        view = document["bufferViews"][accessor["bufferView"]]
        code, size = sizes[accessor["componentType"]]
        count = accessor["count"] * widths[accessor["type"]]
        start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
        assert start % size == 0
        assert start + count * size <= view.get("byteOffset", 0) + view["byteLength"]
        assert view.get("byteOffset", 0) + view["byteLength"] <= bin_length
        values.append(struct.unpack(f"<{count}{code}", blob[start : start + count * size]))
    mesh = document["meshes"][0]["primitives"][0]
    positions = values[mesh["attributes"]["POSITION"]]
    accessor = document["accessors"][mesh["attributes"]["POSITION"]]
    for axis in range(3):
        assert min(positions[axis::3]) == accessor["min"][axis]
        assert max(positions[axis::3]) == accessor["max"][axis]
    vertices = accessor["count"]
    indices = values[mesh["indices"]]
    assert len(indices) % 3 == 0
    assert all(index < vertices for index in indices)
    return document
