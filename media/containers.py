"""Cutting metadata out of picture files, byte by byte, without decoding a pixel.

``strip_metadata(data, format)`` walks the file's own structure — JPEG
segments, PNG chunks, GIF blocks, WebP (RIFF) chunks — and keeps only what a
browser needs to draw the picture the way it looks: the image data, its
colour profile, transparency, animation timing. Everything else goes: EXIF
(GPS position, camera serial, owner), XMP, IPTC, comments, text chunks,
embedded thumbnails, unknown blocks and anything appended after the end of
the image (a ZIP, a script). What Pillow reports about a file is not trusted
for this: it does not list every segment, and never mentions trailing bytes.

Pure functions on bytes, no Pillow, no database. A file whose structure
cannot be followed raises ``ValueError``; the caller then re-encodes it.
"""

import struct

__all__ = ["picture_format", "strip_metadata"]


def picture_format(head):
    """The format a file beginning with ``head`` (12 bytes or more) is in, by
    its signature: "JPEG", "PNG", "GIF", "WEBP", or None for anything else."""
    head = bytes(head[:12])
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(PNG_SIGNATURE):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def strip_metadata(data, format):
    """``data`` with only what draws the picture; ``data`` itself if nothing goes.

    ``format`` is Pillow's name for it ("JPEG", "MPO", "PNG", "GIF", "WEBP").
    """
    try:
        stripper = STRIPPERS[format]
    except KeyError:
        raise ValueError(f"no metadata stripper for {format}") from None
    try:
        cleaned = stripper(bytes(data))
    except (IndexError, struct.error) as error:
        raise ValueError(f"the {format} file ends in the middle of a block") from error
    return data if cleaned == data else cleaned


# JPEG ----------------------------------------------------------------------

SOI, EOI, SOS, COM = 0xD8, 0xD9, 0xDA, 0xFE
APP0, APP2, APP14 = 0xE0, 0xE2, 0xEE
# Segments that carry the picture itself: frame headers (SOF0-15), Huffman
# and arithmetic tables, quantisation tables, restart interval, scans,
# number of lines, hierarchical progression and expansion.
JPEG_PICTURE_MARKERS = {m for m in range(0xC0, 0xD0) if m != 0xC8} | {
    0xDB,
    0xDC,
    0xDD,
    0xDE,
    0xDF,
    SOS,
}


def _strip_jpeg(data):
    if bytes(data[:2]) != b"\xff\xd8":
        raise ValueError("a JPEG starts with an SOI marker")
    out = [b"\xff\xd8"]
    pos = 2
    while True:
        if data[pos] != 0xFF:
            raise ValueError("expected a JPEG marker")
        while data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)  # whatever follows the end of the image goes
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers with no length
            out.append(bytes((0xFF, marker)))
            continue
        (length,) = struct.unpack_from(">H", data, pos)
        end = pos + length
        if length < 2 or end > len(data):
            raise ValueError("a JPEG segment runs past the end of the file")
        payload = data[pos + 2 : end]
        kept = _jpeg_segment(marker, payload)
        if kept is not None:
            out.append(bytes((0xFF, marker)) + struct.pack(">H", len(kept) + 2))
            out.append(kept)
        pos = end
        if marker == SOS:
            scan_end = _jpeg_scan_end(data, pos)
            out.append(bytes(data[pos:scan_end]))
            pos = scan_end


def _jpeg_segment(marker, payload):
    """The payload to keep for this segment, or None to drop it."""
    if marker in JPEG_PICTURE_MARKERS:
        return bytes(payload)
    if marker == APP0 and bytes(payload[:5]) == b"JFIF\x00" and len(payload) >= 14:
        # Keep the pixel density, never the embedded thumbnail: it may show
        # what a crop took out.
        return bytes(payload[:12]) + b"\x00\x00"
    if marker == APP2 and bytes(payload[:12]) == b"ICC_PROFILE\x00":
        return bytes(payload)
    if marker == APP14 and bytes(payload[:5]) == b"Adobe":
        return bytes(payload)  # says how the colour channels are encoded
    return None  # EXIF, XMP, IPTC, MPF, comments, anything unknown


def _jpeg_scan_end(data, pos):
    """Where the entropy-coded data that follows a scan header ends."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos == -1 or pos + 1 >= len(data):
            raise ValueError("the JPEG has no end of image")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2  # a stuffed 0xFF or a restart marker: still the scan
        elif following == 0xFF:
            pos += 1
        else:
            return pos


# PNG -----------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_PICTURE_CHUNKS = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND",
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs",
    b"cICP", b"mDCV", b"mDCv", b"cLLI", b"cLLi",
    b"acTL", b"fcTL", b"fdAT",  # animation (APNG)
}  # fmt: skip


def _strip_png(data):
    if bytes(data[:8]) != PNG_SIGNATURE:
        raise ValueError("a PNG starts with its signature")
    out = [PNG_SIGNATURE]
    pos = 8
    while True:
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end of the file")
        if kind in PNG_PICTURE_CHUNKS:
            out.append(bytes(data[pos:end]))  # its CRC stays valid
        pos = end
        if kind == b"IEND":
            return b"".join(out)  # whatever follows the end of the image goes


# GIF -----------------------------------------------------------------------

GIF_KEPT_APPLICATIONS = {b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"}


def _strip_gif(data):
    if bytes(data[:6]) not in (b"GIF87a", b"GIF89a"):
        raise ValueError("a GIF starts with GIF87a or GIF89a")
    pos = 13 + _gif_colour_table(data[10])
    out = [bytes(data[:pos])]
    while True:
        block = data[pos]
        if block == 0x3B:  # trailer
            out.append(b";")
            return b"".join(out)  # whatever follows the end of the image goes
        if block == 0x2C:  # an image: descriptor, colour table, LZW data
            start = pos
            pos += 10 + _gif_colour_table(data[pos + 9])
            pos = _gif_sub_blocks(data, pos + 1)
            out.append(bytes(data[start:pos]))
        elif block == 0x21:
            label = data[pos + 1]
            end = _gif_sub_blocks(data, pos + 2)
            application = bytes(data[pos + 3 : pos + 14])
            if label == 0xF9 or (
                label == 0xFF
                and data[pos + 2] == 11
                and application in GIF_KEPT_APPLICATIONS
            ):
                out.append(bytes(data[pos:end]))  # frame timing, looping, profile
            pos = end  # comments, plain text, XMP and unknown extensions go
        else:
            raise ValueError("unknown GIF block")


def _gif_colour_table(flags):
    return 3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0


def _gif_sub_blocks(data, pos):
    """The position just past a chain of data sub-blocks starting at ``pos``."""
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            if pos > len(data):
                raise ValueError("a GIF block runs past the end of the file")
            return pos


# WebP ----------------------------------------------------------------------

WEBP_PICTURE_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
WEBP_FRAME_CHUNKS = {b"VP8 ", b"VP8L", b"ALPH"}
VP8X_EXIF_FLAG, VP8X_XMP_FLAG = 0x08, 0x04


def _strip_webp(data):
    if bytes(data[:4]) != b"RIFF" or bytes(data[8:12]) != b"WEBP":
        raise ValueError("a WebP starts with RIFF…WEBP")
    (size,) = struct.unpack_from("<I", data, 4)
    end = 8 + size
    if end > len(data):
        raise ValueError("the WebP runs past the end of the file")
    chunks = []
    for kind, payload in _riff_chunks(data, 12, end):
        if kind not in WEBP_PICTURE_CHUNKS:
            continue  # EXIF, XMP and unknown chunks go
        if kind == b"VP8X":
            flags = payload[0] & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG)
            payload = bytes((flags,)) + bytes(payload[1:])
        elif kind == b"ANMF":
            frame = [bytes(payload[:16])]
            frame += [
                _riff_chunk(inner, inner_payload)
                for inner, inner_payload in _riff_chunks(payload, 16, len(payload))
                if inner in WEBP_FRAME_CHUNKS
            ]
            payload = b"".join(frame)
        chunks.append(_riff_chunk(kind, payload))
    body = b"WEBP" + b"".join(chunks)
    # Whatever follows the RIFF container goes.
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _riff_chunks(data, pos, end):
    while pos < end:
        kind, length = struct.unpack_from("<4sI", data, pos)
        start = pos + 8
        if start + length > end:
            raise ValueError("a WebP chunk runs past the end of its container")
        yield kind, data[start : start + length]
        pos = start + length + (length & 1)  # chunks are padded to even sizes


def _riff_chunk(kind, payload):
    padding = b"\x00" if len(payload) & 1 else b""
    return kind + struct.pack("<I", len(payload)) + bytes(payload) + padding


STRIPPERS = {
    "JPEG": _strip_jpeg,
    "MPO": _strip_jpeg,  # only the first picture is kept
    "PNG": _strip_png,
    "GIF": _strip_gif,
    "WEBP": _strip_webp,
}
