"""Procedural media for the emulator: real PNG and WAV files, and parsers to read them back.

Everything is a pure function of its inputs (no clock, no randomness), so the same prompt
always gives the same bytes. Nothing here pretends to be a generated picture or real speech:

* PNG (``IMAGE_GENERATOR`` and the image operations): an RGB gradient with a few flat
  rectangles and discs whose colours and places come from a SHA-256 of the prompt. The prompt is
  embedded in an ``iTXt`` ``Description`` chunk and ``Software`` says ``1min.ai emulator``.
  ``BACKGROUND_REMOVER`` gets the RGBA variant: the gradient is transparent, the shapes opaque.
* WAV (``TEXT_TO_SPEECH`` and the voice tools): 16 kHz mono 16-bit PCM, one short tone per
  character of the text, its length proportional to the text and bounded. The text itself is
  embedded in a RIFF ``LIST``/``INFO`` chunk (``ICMT``), marked with ``ISFT = 1min.ai emulator``,
  so the emulator's ``SPEECH_TO_TEXT`` can read it back and hand out an exact transcript.
* WAV tunes (``MUSIC_GENERATOR``, ``TEXT_TO_SOUND``): notes of a pentatonic scale picked by the
  prompt's digest, as long as the request asks; ``IGNR`` says ``music`` or ``sound effect``, so
  the speech-to-text does not take the prompt for a transcript.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass
from typing import Any

MARKER = "1min.ai emulator"
"""``Software`` (PNG) / ``ISFT`` (WAV) value of every file the emulator makes."""

LONG_SIDE = 256
"""Pixels on the long side of generated images (small on purpose: tests stay fast)."""

SAMPLE_RATE = 16_000
"""Sample rate of generated speech."""

SECONDS_PER_CHAR = 0.04
"""Tone length per character of text."""

MIN_SECONDS = 0.25
"""Shortest generated speech."""

MAX_SECONDS = 4.0
"""Longest generated speech (4096 characters would otherwise give 164 s)."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_EMBEDDED_PROMPT = 2000
_RATIO_LIMIT = 16


# -- images ---------------------------------------------------------------------------------


def _ratio_from_text(value: Any, separator: str) -> tuple[float, float] | None:
    if not isinstance(value, str):
        return None
    match = re.fullmatch(rf"\s*(\d+(?:\.\d+)?)\s*{separator}\s*(\d+(?:\.\d+)?)\s*", value)
    if match is None:
        return None
    width, height = float(match.group(1)), float(match.group(2))
    return (width, height) if width > 0 and height > 0 else None


def _ratio_from_numbers(width: Any, height: Any) -> tuple[float, float] | None:
    numbers = (int, float)
    if isinstance(width, bool) or isinstance(height, bool):
        return None
    if isinstance(width, numbers) and isinstance(height, numbers) and width > 0 and height > 0:
        return float(width), float(height)
    return None


def requested_ratio(prompt_object: dict[str, Any]) -> tuple[float, float] | None:
    """The (width, height) aspect a request asks for, or ``None`` when it names none.

    The first of: ``size`` ``"WxH"`` (OpenAI models), ``aspect_ratio`` / ``aspectRatio``
    ``"W:H"`` (Replicate-style, Gemini, video models), ``aspect_width``/``aspect_height``
    (Midjourney-style), ``width``/``height`` (Flux), wire.md#image-fields-per-model-family.
    Unparsable values count as absent.
    """
    return (
        _ratio_from_text(prompt_object.get("size"), "[xX*]")
        or _ratio_from_text(prompt_object.get("aspect_ratio"), ":")
        or _ratio_from_text(prompt_object.get("aspectRatio"), ":")
        or _ratio_from_numbers(
            prompt_object.get("aspect_width"), prompt_object.get("aspect_height")
        )
        or _ratio_from_numbers(prompt_object.get("width"), prompt_object.get("height"))
    )


def image_dimensions(prompt_object: dict[str, Any], long_side: int = LONG_SIDE) -> tuple[int, int]:
    """Pixel size of a generated image, honouring the aspect a request asks for.

    The aspect is ``requested_ratio``'s, else square. The long side is ``long_side`` and the
    ratio is capped at 16:1.

    Args:
        prompt_object: The request's ``promptObject``.
        long_side: Pixels on the long side.

    Returns:
        ``(width, height)`` in pixels.
    """
    width, height = requested_ratio(prompt_object) or (1.0, 1.0)
    short = max(1, long_side // _RATIO_LIMIT)
    if width >= height:
        return long_side, max(short, round(long_side * height / width))
    return max(short, round(long_side * width / height)), long_side


def fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """``size`` shrunk (aspect kept) so that neither side exceeds ``long_side``."""
    width, height = size
    longest = max(width, height)
    if longest <= long_side:
        return max(1, width), max(1, height)
    return max(1, round(width * long_side / longest)), max(1, round(height * long_side / longest))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _shapes(digest: bytes, width: int, height: int) -> list[tuple[str, int, int, int, int, bytes]]:
    """Rectangles and discs (kind, a, b, c, d, colour) placed by the digest's bytes."""
    shapes: list[tuple[str, int, int, int, int, bytes]] = []
    for index in range(5):
        chunk = digest[6 + index * 5 : 11 + index * 5]
        colour = bytes(chunk[2:5])
        x = chunk[0] * width // 256
        y = chunk[1] * height // 256
        size = max(4, (chunk[2] % 64 + 16) * min(width, height) // 128)
        if index % 2 == 0:
            shapes.append(("rect", x, y, min(width, x + size), min(height, y + size // 2), colour))
        else:
            shapes.append(("disc", x, y, size // 2, 0, colour))
    return shapes


def render_rows(
    prompt: str, width: int, height: int, *, variant: int = 0, alpha: bool = False
) -> list[bytes]:
    """The picture ``render_png`` draws, as raw rows: RGB, or RGBA with a transparent background.

    Args:
        prompt: The text the picture is derived from.
        width: Width in pixels (≥ 1).
        height: Height in pixels (≥ 1).
        variant: Index of the output for ``n > 1``; each index gives a different picture.
        alpha: Add an alpha channel: 0 on the gradient, 255 on the shapes.

    Returns:
        ``height`` rows of ``width * 3`` (or ``* 4``) bytes, top to bottom.
    """
    digest = hashlib.sha256(f"{variant}\x00{prompt}".encode()).digest()
    top, bottom = digest[0:3], digest[3:6]
    shapes = _shapes(digest, width, height)
    rows: list[bytes] = []
    span = max(1, height - 1)
    for y in range(height):
        background = bytes(top[i] + (bottom[i] - top[i]) * y // span for i in range(3))
        row = bytearray(background * width)
        cover = bytearray(width) if alpha else None
        for kind, a, b, c, d, colour in shapes:
            left = right = 0
            if kind == "rect":
                if b <= y < d and a < c:
                    left, right = a, c
            elif abs(y - b) <= c:
                half = math.isqrt(c * c - (y - b) * (y - b))
                left, right = max(0, a - half), min(width, a + half + 1)
            if left < right:
                row[left * 3 : right * 3] = colour * (right - left)
                if cover is not None:
                    cover[left:right] = b"\xff" * (right - left)
        if cover is None:
            rows.append(bytes(row))
        else:
            rgba = bytearray(width * 4)
            for channel in range(3):
                rgba[channel::4] = row[channel::3]
            rgba[3::4] = cover
            rows.append(bytes(rgba))
    return rows


def render_png(
    prompt: str,
    width: int,
    height: int,
    *,
    variant: int = 0,
    alpha: bool = False,
    description: str | None = None,
) -> bytes:
    """A real PNG drawn deterministically from ``prompt`` (and ``variant``).

    Args:
        prompt: The text the picture is derived from; embedded as the ``Description``.
        width: Width in pixels (≥ 1).
        height: Height in pixels (≥ 1).
        variant: Index of the output for ``n > 1``; each index gives a different picture.
        alpha: An RGBA picture whose background is transparent (see ``render_rows``).
        description: The ``Description`` to embed instead of ``prompt``.

    Returns:
        The PNG file's bytes.
    """
    rows = render_rows(prompt, width, height, variant=variant, alpha=alpha)
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    text = prompt if description is None else description
    return b"".join(
        (
            _PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"tEXt", b"Software\x00" + MARKER.encode("latin-1")),
            _png_chunk(
                b"iTXt", b"Description\x00\x00\x00\x00\x00" + text[:_MAX_EMBEDDED_PROMPT].encode()
            ),
            _png_chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + row for row in rows), 6)),
            _png_chunk(b"IEND", b""),
        )
    )


@dataclass(frozen=True, slots=True)
class PngInfo:
    """What ``parse_png`` read from a PNG file."""

    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""
    bit_depth: int
    """Bits per sample."""
    color_type: int
    """PNG colour type (2 = RGB)."""
    text: dict[str, str]
    """``tEXt`` and uncompressed ``iTXt`` entries."""
    scanlines: bytes
    """The decompressed image data (filter byte + pixels per row)."""


def parse_png(data: bytes) -> PngInfo:
    """Parse a PNG file, checking its signature, every chunk CRC and the image data size.

    Args:
        data: The file's bytes.

    Returns:
        Its header fields, text chunks and decompressed scanlines.

    Raises:
        ValueError: if the bytes are not a well-formed PNG.
    """
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG: bad signature")
    pos = len(_PNG_SIGNATURE)
    header: tuple[int, ...] | None = None
    text: dict[str, str] = {}
    idat: list[bytes] = []
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated chunk header")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        payload = data[pos + 8 : pos + 8 + length]
        crc_bytes = data[pos + 8 + length : pos + 12 + length]
        if len(payload) != length or len(crc_bytes) != 4:
            raise ValueError(f"truncated {kind!r} chunk")
        if struct.unpack(">I", crc_bytes)[0] != zlib.crc32(kind + payload) & 0xFFFFFFFF:
            raise ValueError(f"bad CRC in {kind!r} chunk")
        pos += 12 + length
        if kind == b"IHDR":
            if length != 13:
                raise ValueError("bad IHDR length")
            header = struct.unpack(">IIBBBBB", payload)
        elif kind == b"tEXt":
            name, _, value = payload.partition(b"\x00")
            text[name.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            name, _, rest = payload.partition(b"\x00")
            if rest[:1] == b"\x00":  # uncompressed only; the emulator never compresses text
                _, _, rest = rest[2:].partition(b"\x00")  # language tag
                _, _, value = rest.partition(b"\x00")  # translated keyword
                text[name.decode("latin-1")] = value.decode()
        elif kind == b"IDAT":
            idat.append(payload)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, bit_depth, color_type = header[0], header[1], header[2], header[3]
    try:
        scanlines = zlib.decompress(b"".join(idat))
    except zlib.error as error:
        raise ValueError(f"bad image data: {error}") from error
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color_type, 1)
    expected = height * (1 + width * channels * max(1, bit_depth // 8))
    if color_type in (0, 2, 4, 6) and bit_depth == 8 and len(scanlines) != expected:
        raise ValueError("image data does not match the header")
    return PngInfo(width, height, bit_depth, color_type, text, scanlines)


def image_size(data: bytes) -> tuple[int, int] | None:
    """The pixel size a PNG, JPEG, GIF or WebP file declares, or ``None`` for anything else.

    Only headers are read (the emulator never decodes foreign pictures).
    """
    if data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return (width, height) if width and height else None
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return (width, height) if width and height else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    kind = data[12:16]
    if kind == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        return width, 1 + int.from_bytes(data[27:30], "little")
    if kind == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return (width & 0x3FFF, height & 0x3FFF) if width & 0x3FFF and height & 0x3FFF else None
    if kind == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE})


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a JPEG's first start-of-frame segment."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_FRAMES and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return (width, height) if width and height else None
        pos += 2 + length
    return None


# -- audio ----------------------------------------------------------------------------------


def speech_seconds(text: str) -> float:
    """Length of the speech generated for ``text``: proportional to it, bounded."""
    return min(MAX_SECONDS, max(MIN_SECONDS, len(text) * SECONDS_PER_CHAR))


def _tone(frequency: float, length: int, sample_rate: int) -> bytes:
    """``length`` little-endian 16-bit samples of a sine, faded in and out (no clicks)."""
    step = 2 * math.pi * frequency / sample_rate
    fade = max(1, min(80, length // 4))
    samples = array(
        "h",
        (
            int(8000 * min(1.0, i / fade, (length - i) / fade) * math.sin(step * i))
            for i in range(length)
        ),
    )
    if sys.byteorder == "big":  # pragma: no cover - WAV samples are little-endian
        samples.byteswap()
    return samples.tobytes()


def _info_entry(tag: bytes, value: str) -> bytes:
    payload = value.encode() + b"\x00"
    if len(payload) % 2:
        payload += b"\x00"  # RIFF chunks are word-aligned
    return tag + struct.pack("<I", len(payload)) + payload


def _wav_file(pcm: bytes, sample_rate: int, info: list[tuple[bytes, str]]) -> bytes:
    """A RIFF/WAVE file of mono 16-bit ``pcm`` with ``LIST``/``INFO`` entries."""
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)
    entries = b"INFO" + b"".join(_info_entry(tag, value) for tag, value in info)
    body = b"".join(
        (
            b"WAVE",
            b"fmt " + struct.pack("<I", len(fmt)) + fmt,
            b"LIST" + struct.pack("<I", len(entries)) + entries,
            b"data" + struct.pack("<I", len(pcm)) + pcm,
        )
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def render_wav(text: str, *, sample_rate: int = SAMPLE_RATE, pitch_shift: int = 0) -> bytes:
    """A real mono 16-bit PCM WAV file "speaking" ``text`` as a sequence of tones.

    Each character becomes a tone whose pitch comes from its code point; the text is
    embedded in a ``LIST``/``INFO`` ``ICMT`` chunk (see ``embedded_text``).

    Args:
        text: The text to "speak".
        sample_rate: Samples per second.
        pitch_shift: Raise every tone by this many steps (another "voice", same text).

    Returns:
        The WAV file's bytes.
    """
    frames = round(speech_seconds(text) * sample_rate)
    per_char = max(1, round(SECONDS_PER_CHAR * sample_rate))
    characters = text or " "
    tones: dict[int, bytes] = {}
    pieces: list[bytes] = []
    for index, start in enumerate(range(0, frames, per_char)):
        pitch = ord(characters[index % len(characters)]) % 64 + pitch_shift
        if pitch not in tones:
            tones[pitch] = _tone(220 + pitch * 15, per_char, sample_rate)
        pieces.append(tones[pitch][: (min(frames, start + per_char) - start) * 2])
    info = [(b"ISFT", MARKER), (b"ICMT", text)]
    return _wav_file(b"".join(pieces), sample_rate, info)


TUNE_KINDS = ("music", "sound effect")
"""What a tune (``render_tune``) is, recorded as its ``IGNR``."""

NOTE_SECONDS = 0.25
"""Length of one note of a tune."""

_PENTATONIC = (0, 2, 4, 7, 9)


def render_tune(
    text: str, seconds: float, *, kind: str = "music", sample_rate: int = SAMPLE_RATE
) -> bytes:
    """A WAV file of ``seconds`` of notes whose pitches come from ``text``'s digest.

    Music climbs a pentatonic scale from A3 over two octaves; a sound effect stays low and
    changes pitch every note. ``text`` is embedded as ``ICMT`` and ``kind`` as ``IGNR``.

    Args:
        text: The prompt the tune is derived from.
        seconds: Its length (at least one sample).
        kind: One of ``TUNE_KINDS``.
        sample_rate: Samples per second.

    Returns:
        The WAV file's bytes.
    """
    digest = hashlib.sha256(f"{kind}\x00{text}".encode()).digest()
    frames = max(1, round(seconds * sample_rate))
    per_note = max(1, round(NOTE_SECONDS * sample_rate))
    tones: dict[float, bytes] = {}
    pieces: list[bytes] = []
    for index, start in enumerate(range(0, frames, per_note)):
        step = digest[index % len(digest)]
        if kind == "music":
            octave, degree = divmod(step % 10, len(_PENTATONIC))
            frequency = 220 * 2 ** ((12 * octave + _PENTATONIC[degree]) / 12)
        else:
            frequency = 60.0 + (step % 32) * 7.5
        if frequency not in tones:
            tones[frequency] = _tone(frequency, per_note, sample_rate)
        pieces.append(tones[frequency][: (min(frames, start + per_note) - start) * 2])
    info = [(b"ISFT", MARKER), (b"IGNR", kind), (b"ICMT", text)]
    return _wav_file(b"".join(pieces), sample_rate, info)


@dataclass(frozen=True, slots=True)
class WavInfo:
    """What ``parse_wav`` read from a WAV file."""

    sample_rate: int
    """Samples per second."""
    channels: int
    """Channel count."""
    bits_per_sample: int
    """Bits per sample."""
    frames: int
    """Number of sample frames in the ``data`` chunk."""
    info: dict[str, str]
    """``LIST``/``INFO`` entries (tag → text, trailing NULs removed)."""


def parse_wav(data: bytes) -> WavInfo:
    """Parse a RIFF/WAVE file, checking its chunk sizes.

    Args:
        data: The file's bytes.

    Returns:
        Its format, frame count and ``INFO`` entries.

    Raises:
        ValueError: if the bytes are not a well-formed WAV file.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 != len(data):
        raise ValueError("RIFF size does not match the file size")
    pos = 12
    fmt: tuple[int, ...] | None = None
    frames: int | None = None
    info: dict[str, str] = {}
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        payload = data[pos + 8 : pos + 8 + size]
        if len(payload) != size:
            raise ValueError(f"truncated {kind!r} chunk")
        pos += 8 + size + (size % 2)
        if kind == b"fmt ":
            fmt = struct.unpack("<HHIIHH", payload[:16])
        elif kind == b"data":
            if fmt is None:
                raise ValueError("data chunk before fmt chunk")
            frames = size // max(1, fmt[4])
        elif kind == b"LIST" and payload[:4] == b"INFO":
            inner = 4
            while inner + 8 <= len(payload):
                tag = payload[inner : inner + 4].decode("latin-1")
                (length,) = struct.unpack("<I", payload[inner + 4 : inner + 8])
                value = payload[inner + 8 : inner + 8 + length]
                info[tag] = value.rstrip(b"\x00").decode(errors="replace")
                inner += 8 + length + (length % 2)
    if fmt is None or frames is None:
        raise ValueError("missing fmt or data chunk")
    return WavInfo(fmt[2], fmt[1], fmt[5], frames, info)


def embedded_text(data: bytes) -> str | None:
    """The text an emulator-made WAV file carries, or ``None`` for any other file."""
    try:
        info = parse_wav(data)
    except (ValueError, struct.error):
        return None
    if info.info.get("ISFT") != MARKER or "IGNR" in info.info:  # a tune is not speech
        return None
    return info.info.get("ICMT")
