"""Procedural 3D models for ``IMAGE_3D_GENERATOR``: a tiny, valid binary glTF 2.0 (GLB) file.

No source shows what the live feature returns (wire.md#other-features); image-to-3D providers
(Trellis, Stable Fast 3D) hand out GLB files, so the emulator does too. The file is::

    12-byte header (magic glTF, version 2, length)
    JSON chunk: asset, one scene, one node, one mesh, one material, two accessors, two views
    BIN chunk:  4 float32 VEC3 positions (a tetrahedron), then 12 uint16 indices

Vertex positions and the colour come from a SHA-256 of the request, so the same request gives
the same bytes; ``asset.generator`` names the emulator and ``asset.extras.description`` holds
what was asked for.
"""

from __future__ import annotations

import hashlib
import json
import struct

from langchain_oneminai.emulator._media import MARKER

MAGIC = b"glTF"
"""The first four bytes of every GLB file."""

_JSON_CHUNK = 0x4E4F534A  # "JSON" little-endian
_BIN_CHUNK = 0x004E4942  # "BIN\0" little-endian
_FLOAT = 5126
_UNSIGNED_SHORT = 5123
_ARRAY_BUFFER = 34962
_ELEMENT_ARRAY_BUFFER = 34963
_BASE = ((0.0, 1.0, 0.0), (-0.9, -0.5, 0.5), (0.9, -0.5, 0.5), (0.0, -0.5, -1.0))
_FACES = (0, 1, 2, 0, 2, 3, 0, 3, 1, 1, 3, 2)
_MAX_DESCRIPTION = 2000


def _pad(data: bytes, filler: bytes) -> bytes:
    return data + filler * (-len(data) % 4)


def render_glb(description: str, *, seed: str | None = None) -> bytes:
    """A GLB file of one coloured tetrahedron derived from ``seed`` (else ``description``).

    Args:
        description: What was asked for; embedded as ``asset.extras.description``.
        seed: The text the shape and colour come from; defaults to ``description``.

    Returns:
        The file's bytes (JSON chunk padded with spaces, BIN chunk with zeros, per the spec).
    """
    digest = hashlib.sha256((description if seed is None else seed).encode()).digest()
    positions = [
        tuple(round(axis * (0.75 + digest[3 * i + j] / 510), 4) for j, axis in enumerate(vertex))
        for i, vertex in enumerate(_BASE)
    ]
    flat = [axis for vertex in positions for axis in vertex]
    # The accessor's min/max must be the float32 values actually stored.
    stored = struct.unpack("<12f", struct.pack("<12f", *flat))
    columns = [stored[axis::3] for axis in range(3)]
    binary = struct.pack("<12f", *flat) + struct.pack("<12H", *_FACES)
    colour = [round(value / 255, 4) for value in digest[12:15]] + [1.0]
    document = {
        "asset": {
            "version": "2.0",
            "generator": MARKER,
            "extras": {"description": description[:_MAX_DESCRIPTION]},
        },
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "emulator-model"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1, "material": 0}]}],
        "materials": [
            {
                "pbrMetallicRoughness": {
                    "baseColorFactor": colour,
                    "metallicFactor": 0.0,
                    "roughnessFactor": 1.0,
                }
            }
        ],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 48, "target": _ARRAY_BUFFER},
            {"buffer": 0, "byteOffset": 48, "byteLength": 24, "target": _ELEMENT_ARRAY_BUFFER},
        ],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": _FLOAT,
                "count": 4,
                "type": "VEC3",
                "min": [min(column) for column in columns],
                "max": [max(column) for column in columns],
            },
            {"bufferView": 1, "componentType": _UNSIGNED_SHORT, "count": 12, "type": "SCALAR"},
        ],
    }
    text = _pad(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(), b" ")
    binary = _pad(binary, b"\x00")
    length = 12 + 8 + len(text) + 8 + len(binary)
    return b"".join(
        (
            struct.pack("<4sII", MAGIC, 2, length),
            struct.pack("<II", len(text), _JSON_CHUNK),
            text,
            struct.pack("<II", len(binary), _BIN_CHUNK),
            binary,
        )
    )
