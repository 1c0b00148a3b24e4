"""Procedural video for the emulator: a real H.264 MP4 file, in pure Python, and a reader for it.

The video features (``TEXT_TO_VIDEO``, ``IMAGE_TO_VIDEO``, ``VIDEO_FACE_SWAPPER``) return
``videos/<name>.mp4`` keys (wire.md#other-features), so the emulator writes what any player
opens: an ISO base media file (MP4) holding an H.264 Constrained Baseline stream.

Encoding H.264 without a codec library is possible because the standard has a lossless escape
hatch: an ``I_PCM`` macroblock carries its 16x16 luma and 2x8x8 chroma samples verbatim. So::

    picture (``_media.render_rows``) ── RGB → YUV 4:2:0 (BT.601, limited range)
        ── SPS + PPS + one IDR slice of I_PCM macroblocks (the first frame, lossless)
        ── P slices that skip every macroblock (the other frames: the same picture)
        ── MP4: ftyp, moov (one avc1 track, udta comment), mdat

Every byte is a pure function of the inputs, so a request always gives the same file. The
prompt is stored as the QuickTime ``©cmt`` comment and the encoder as ``©too`` (ffmpeg shows
them as ``comment`` and ``encoder``); ``read_mp4`` reads them back for ``CAPTIONS_GENERATOR``.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from langchain_oneminai.emulator._media import MARKER, render_rows

FPS = 8
"""Frames per second of generated video (a still picture: only the first frame is coded)."""

LONG_SIDE = 128
"""Pixels on the long side of generated video (small on purpose: tests stay fast)."""

TIMESCALE = 1000
"""Ticks per second of the movie and of its track."""

_PROFILE_BASELINE = 66
_CONSTRAINTS = 0xC0  # constraint_set0 + constraint_set1: Constrained Baseline
_LEVEL = 30
_MB_TYPE_I_PCM = 25
_SLICE_I = 7  # I, and every slice of the picture is I
_SLICE_P = 5
_LOG2_MAX_FRAME_NUM = 8
_MAX_FRAMES = 1 << _LOG2_MAX_FRAME_NUM
_LANGUAGE_UND = 0x55C4  # ISO 639-2 "und", packed as three 5-bit letters
_MAX_COMMENT = 2000
_COMMENT = b"\xa9cmt"
_ENCODER = b"\xa9too"
_START_CODE_LIKE = re.compile(b"\x00\x00(?=[\x00-\x03])")


class _Bits:
    """A big-endian bit writer with Exp-Golomb codes (H.264 clause 9.1)."""

    def __init__(self) -> None:
        self._out = bytearray()
        self._acc = 0
        self._count = 0

    def put(self, value: int, count: int) -> None:
        self._acc = (self._acc << count) | (value & ((1 << count) - 1))
        self._count += count
        while self._count >= 8:
            self._count -= 8
            self._out.append((self._acc >> self._count) & 0xFF)
        self._acc &= (1 << self._count) - 1

    def ue(self, value: int) -> None:
        code = value + 1
        self.put(0, code.bit_length() - 1)
        self.put(code, code.bit_length())

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align(self) -> None:
        if self._count:
            self.put(0, 8 - self._count)

    def raw(self, data: bytes) -> None:
        if self._count:
            raise ValueError("raw bytes need a byte-aligned writer")
        self._out += data

    def trailing(self) -> bytes:
        """The RBSP trailing bits (a one, then zeros to the byte), and the RBSP."""
        self.put(1, 1)
        self.align()
        return bytes(self._out)


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """A NAL unit: its header byte and the RBSP with emulation prevention bytes inserted."""
    return bytes([(ref_idc << 5) | kind]) + _START_CODE_LIKE.sub(b"\x00\x00\x03", rbsp)


def _sps(width: int, height: int) -> bytes:
    columns, rows = -(-width // 16), -(-height // 16)
    bits = _Bits()
    bits.put(_PROFILE_BASELINE, 8)
    bits.put(_CONSTRAINTS, 8)
    bits.put(_LEVEL, 8)
    bits.ue(0)  # seq_parameter_set_id
    bits.ue(_LOG2_MAX_FRAME_NUM - 4)
    bits.ue(2)  # pic_order_cnt_type 2: output order = decoding order
    bits.ue(1)  # max_num_ref_frames
    bits.put(0, 1)  # gaps_in_frame_num_value_allowed_flag
    bits.ue(columns - 1)
    bits.ue(rows - 1)
    bits.put(1, 1)  # frame_mbs_only_flag
    bits.put(1, 1)  # direct_8x8_inference_flag
    crop_right, crop_bottom = (columns * 16 - width) // 2, (rows * 16 - height) // 2
    if crop_right or crop_bottom:  # in 2-pixel units for 4:2:0
        bits.put(1, 1)
        for offset in (0, crop_right, 0, crop_bottom):
            bits.ue(offset)
    else:
        bits.put(0, 1)
    bits.put(0, 1)  # vui_parameters_present_flag
    return _nal(3, 7, bits.trailing())


def _pps() -> bytes:
    bits = _Bits()
    bits.ue(0)  # pic_parameter_set_id
    bits.ue(0)  # seq_parameter_set_id
    bits.put(0, 1)  # entropy_coding_mode_flag: CAVLC
    bits.put(0, 1)  # bottom_field_pic_order_in_frame_present_flag
    bits.ue(0)  # num_slice_groups_minus1
    bits.ue(0)  # num_ref_idx_l0_default_active_minus1
    bits.ue(0)  # num_ref_idx_l1_default_active_minus1
    bits.put(0, 1)  # weighted_pred_flag
    bits.put(0, 2)  # weighted_bipred_idc
    bits.se(0)  # pic_init_qp_minus26
    bits.se(0)  # pic_init_qs_minus26
    bits.se(0)  # chroma_qp_index_offset
    bits.put(1, 1)  # deblocking_filter_control_present_flag
    bits.put(0, 1)  # constrained_intra_pred_flag
    bits.put(0, 1)  # redundant_pic_cnt_present_flag
    return _nal(3, 8, bits.trailing())


def _slice_header(bits: _Bits, *, idr: bool, frame_num: int) -> None:
    bits.ue(0)  # first_mb_in_slice
    bits.ue(_SLICE_I if idr else _SLICE_P)
    bits.ue(0)  # pic_parameter_set_id
    bits.put(frame_num, _LOG2_MAX_FRAME_NUM)
    if idr:
        bits.ue(0)  # idr_pic_id
    else:
        bits.put(0, 1)  # num_ref_idx_active_override_flag
        bits.put(0, 1)  # ref_pic_list_modification_flag_l0
    bits.put(0, 1)  # IDR: no_output_of_prior_pics_flag; P: adaptive_ref_pic_marking_mode_flag
    if idr:
        bits.put(0, 1)  # long_term_reference_flag
    bits.se(0)  # slice_qp_delta
    bits.ue(1)  # disable_deblocking_filter_idc: off (I_PCM is lossless anyway)


def yuv420(rows: list[bytes], width: int, height: int) -> tuple[bytes, bytes, bytes]:
    """BT.601 limited-range Y, Cb, Cr planes of RGB ``rows`` (chroma averaged over 2x2 blocks).

    ``width`` and ``height`` must be even. Luma is ``16 + (66R + 129G + 25B + 128) >> 8``.
    """
    luma = bytearray(width * height)
    cb = bytearray((width // 2) * (height // 2))
    cr = bytearray(len(cb))
    for y in range(height):
        row = rows[y]
        base = y * width
        for x in range(width):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            luma[base + x] = 16 + ((66 * r + 129 * g + 25 * b + 128) >> 8)
    for y in range(0, height, 2):
        top, bottom = rows[y], rows[y + 1]
        base = (y // 2) * (width // 2)
        for x in range(0, width, 2):
            i = 3 * x
            r = top[i] + top[i + 3] + bottom[i] + bottom[i + 3]
            g = top[i + 1] + top[i + 4] + bottom[i + 1] + bottom[i + 4]
            b = top[i + 2] + top[i + 5] + bottom[i + 2] + bottom[i + 5]
            cb[base + x // 2] = 128 + ((-38 * r - 74 * g + 112 * b + 512) >> 10)
            cr[base + x // 2] = 128 + ((112 * r - 94 * g - 18 * b + 512) >> 10)
    return bytes(luma), bytes(cb), bytes(cr)


def _plane_block(plane: bytes, stride: int, height: int, *, x0: int, y0: int, size: int) -> bytes:
    """A ``size``x``size`` block at (``x0``, ``y0``), the plane's edge repeated past its end."""
    out = bytearray()
    for y in range(y0, y0 + size):
        line = min(y, height - 1) * stride
        if x0 + size <= stride:
            out += plane[line + x0 : line + x0 + size]
        else:
            out += bytes(plane[line + min(x, stride - 1)] for x in range(x0, x0 + size))
    return bytes(out)


def _idr(planes: tuple[bytes, bytes, bytes], width: int, height: int) -> bytes:
    luma, cb, cr = planes
    bits = _Bits()
    _slice_header(bits, idr=True, frame_num=0)
    for my in range(-(-height // 16)):
        for mx in range(-(-width // 16)):
            bits.ue(_MB_TYPE_I_PCM)
            bits.align()  # pcm_alignment_zero_bit
            bits.raw(_plane_block(luma, width, height, x0=mx * 16, y0=my * 16, size=16))
            for chroma in (cb, cr):
                bits.raw(
                    _plane_block(chroma, width // 2, height // 2, x0=mx * 8, y0=my * 8, size=8)
                )
    return _nal(3, 5, bits.trailing())


def _skipped(width: int, height: int, frame_num: int) -> bytes:
    bits = _Bits()
    _slice_header(bits, idr=False, frame_num=frame_num)
    bits.ue(-(-width // 16) * -(-height // 16))  # mb_skip_run: the whole picture
    return _nal(2, 1, bits.trailing())


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full_box(kind: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *payload)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _quicktime_text(kind: bytes, text: str) -> bytes:
    data = text.encode()
    return _box(kind, struct.pack(">HH", len(data), _LANGUAGE_UND), data)


def _moov(
    width: int,
    height: int,
    sizes: list[int],
    *,
    parameter_sets: tuple[bytes, bytes],
    offset: int,
    comment: str,
) -> bytes:
    sps, pps = parameter_sets
    duration = len(sizes) * (TIMESCALE // FPS)
    avcc = _box(
        b"avcC",
        bytes([1, _PROFILE_BASELINE, _CONSTRAINTS, _LEVEL, 0xFF, 0xE1]),
        struct.pack(">H", len(sps)),
        sps,
        b"\x01",
        struct.pack(">H", len(pps)),
        pps,
    )
    name = MARKER.encode()[:31]
    avc1 = _box(
        b"avc1",
        bytes(6),
        struct.pack(">H", 1),  # data_reference_index
        bytes(16),
        struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1),
        bytes([len(name)]) + name + bytes(31 - len(name)),
        struct.pack(">Hh", 0x18, -1),
        avcc,
    )
    stbl = _box(
        b"stbl",
        _full_box(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
        _full_box(b"stts", 0, 0, struct.pack(">III", 1, len(sizes), TIMESCALE // FPS)),
        _full_box(b"stss", 0, 0, struct.pack(">II", 1, 1)),
        _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(sizes), 1)),
        _full_box(b"stsz", 0, 0, struct.pack(f">II{len(sizes)}I", 0, len(sizes), *sizes)),
        _full_box(b"stco", 0, 0, struct.pack(">II", 1, offset)),
    )
    minf = _box(
        b"minf",
        _full_box(b"vmhd", 0, 1, bytes(8)),
        _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1))),
        stbl,
    )
    mdia = _box(
        b"mdia",
        _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, TIMESCALE, duration, 0x55C4, 0)),
        _full_box(b"hdlr", 0, 0, bytes(4), b"vide", bytes(12), b"VideoHandler\x00"),
        minf,
    )
    tkhd = _full_box(
        b"tkhd",
        0,
        3,  # enabled, in movie
        struct.pack(">IIIII", 0, 0, 1, 0, duration),
        bytes(8),
        struct.pack(">hhHH", 0, 0, 0, 0),
        _MATRIX,
        struct.pack(">II", width << 16, height << 16),
    )
    mvhd = _full_box(
        b"mvhd",
        0,
        0,
        struct.pack(">IIIIIH", 0, 0, TIMESCALE, duration, 0x10000, 0x100),
        bytes(10),
        _MATRIX,
        bytes(24),
        struct.pack(">I", 2),  # next_track_ID
    )
    udta = _box(
        b"udta",
        _quicktime_text(_ENCODER, MARKER),
        _quicktime_text(_COMMENT, comment[:_MAX_COMMENT]),
    )
    return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia), udta)


def video_dimensions(ratio: tuple[float, float], long_side: int = LONG_SIDE) -> tuple[int, int]:
    """Even pixel dimensions with ``ratio`` (width, height), ``long_side`` on the long side.

    The ratio is capped at 4:1 either way (a sliver of a video helps nobody).
    """
    width, height = ratio
    short = max(2, long_side // 4)
    if width >= height:
        other = max(short, round(long_side * height / width))
        return long_side - long_side % 2, other - other % 2
    other = max(short, round(long_side * width / height))
    return other - other % 2, long_side - long_side % 2


def render_mp4(seed: str, width: int, height: int, frames: int, *, comment: str = "") -> bytes:
    """An MP4 file of ``frames`` frames at ``FPS`` of one picture drawn from ``seed``.

    Args:
        seed: The text the picture is derived from (``_media.render_rows``).
        width: Width in pixels (even, ≥ 2).
        height: Height in pixels (even, ≥ 2).
        frames: Number of frames (1 to 256).
        comment: Text stored as the movie's comment.

    Returns:
        The file's bytes.

    Raises:
        ValueError: odd or too small dimensions, or a frame count out of range.
    """
    if width < 2 or height < 2 or width % 2 or height % 2:
        raise ValueError("video dimensions must be even and at least 2")
    if not 1 <= frames <= _MAX_FRAMES:
        raise ValueError(f"a video has 1 to {_MAX_FRAMES} frames")
    planes = yuv420(render_rows(seed, width, height), width, height)
    sps, pps = _sps(width, height), _pps()
    nals = [_idr(planes, width, height)]
    nals += [_skipped(width, height, index) for index in range(1, frames)]
    samples = [struct.pack(">I", len(nal)) + nal for nal in nals]
    sizes = [len(sample) for sample in samples]
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isomiso2avc1mp41")
    sets = (sps, pps)
    empty = _moov(width, height, sizes, parameter_sets=sets, offset=0, comment=comment)
    head = len(ftyp) + len(empty) + 8  # the mdat payload starts after its 8-byte header
    moov = _moov(width, height, sizes, parameter_sets=sets, offset=head, comment=comment)
    mdat = _box(b"mdat", *samples)
    return ftyp + moov + mdat


@dataclass(frozen=True, slots=True)
class Mp4Info:
    """What ``read_mp4`` found in an MP4 file."""

    width: int
    """Width of the first video track's sample entry."""
    height: int
    """Its height."""
    seconds: float
    """The movie's duration."""
    texts: dict[str, str]
    """QuickTime ``udta`` strings by four-character code (``©cmt``, ``©too``)."""


def _children(data: bytes, start: int, end: int) -> dict[bytes, tuple[int, int]]:
    """The boxes between ``start`` and ``end``: type → (payload start, payload end), first wins."""
    found: dict[bytes, tuple[int, int]] = {}
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= end:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError(f"bad size of the {kind!r} box")
        found.setdefault(kind, (pos + header, pos + size))
        pos += size
    return found


def read_mp4(data: bytes) -> Mp4Info:
    """Read the size, duration and ``udta`` strings of an MP4 file's first video track.

    Raises:
        ValueError: the bytes are not an MP4 file with a video track.
    """
    top = _children(data, 0, len(data))
    if b"ftyp" not in top or b"moov" not in top:
        raise ValueError("not an MP4 file: no ftyp or moov box")
    moov = _children(data, *top[b"moov"])
    if b"mvhd" not in moov or b"trak" not in moov:
        raise ValueError("no mvhd or trak box")
    start, _ = moov[b"mvhd"]
    version = data[start]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", data[start + 20 : start + 32])
    else:
        timescale, duration = struct.unpack(">II", data[start + 12 : start + 20])
    node = _children(data, *moov[b"trak"])
    for kind in (b"mdia", b"minf", b"stbl"):
        if kind not in node:
            raise ValueError(f"no {kind.decode()} box")
        node = _children(data, *node[kind])
    if b"stsd" not in node:
        raise ValueError("no stsd box")
    stsd_start, _ = node[b"stsd"]
    entry = stsd_start + 8  # version/flags, entry_count
    width, height = struct.unpack(">HH", data[entry + 32 : entry + 36])
    texts: dict[str, str] = {}
    if b"udta" in moov:
        for kind, (begin, end) in _children(data, *moov[b"udta"]).items():
            if end - begin >= 4:
                (length,) = struct.unpack(">H", data[begin : begin + 2])
                texts[kind.decode("latin-1")] = data[begin + 4 : begin + 4 + length].decode(
                    errors="replace"
                )
    return Mp4Info(width, height, duration / timescale if timescale else 0.0, texts)


def embedded_comment(data: bytes) -> str | None:
    """The comment of an emulator-made MP4 file, or ``None`` for any other file."""
    try:
        info = read_mp4(data)
    except (ValueError, struct.error):
        return None
    if info.texts.get(_ENCODER.decode("latin-1")) != MARKER:
        return None
    return info.texts.get(_COMMENT.decode("latin-1"))
