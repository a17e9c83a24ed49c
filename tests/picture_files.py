"""Crafted picture files for the photo tests, made in memory with Pillow."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

GPS_IFD = ExifTags.IFD.GPSInfo


def jpeg(size=(640, 360), color="navy", *, exif=None, **options):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif if exif is not None else b"", **options)
    return out.getvalue()


def halves(size, first, second, *, vertical=False):
    """A picture whose left (or top) half is ``first`` and the rest ``second``."""
    image = Image.new("RGB", size, first)
    w, h = size
    box = (0, h // 2, w, h) if vertical else (w // 2, 0, w, h)
    image.paste(second, box)
    return image


def camera_exif(orientation=1):
    """EXIF as a phone writes it: orientation, GPS position, owner, serial."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Artist] = "Jane Source"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-7781"
    exif.get_ifd(GPS_IFD).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (11.0, 33.0, 25.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (104.0, 55.0, 12.0),
        }
    )
    return exif


def camera_jpeg(image, orientation=1, **options):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=camera_exif(orientation), **options)
    return out.getvalue()


# What a file may carry that readers must never be sent.
COMMENT = b"Shot by Jane Source, 14 Quay Street, +44 7700 900123"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'photoshop:City="Secret Cove" exif:GPSLatitude="11,33.4N"/></rdf:RDF>'
    b"</x:xmpmeta>"
)
# A ZIP archive and a script glued after the end of a picture (a "polyglot"
# file that is both an image and something else).
APPENDED = (
    b"PK\x03\x04\x14\x00\x00\x00\x00\x00payload.txt"
    b"<script>alert(document.cookie)</script>"
)
CAMERA_SECRETS = [b"Jane Source", b"SN-0042-7781", b"Phonemaker"]


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def gif_with_comment(size=(80, 60)):
    out = io.BytesIO()
    Image.new("P", size, 3).save(out, "GIF", comment=COMMENT)
    return out.getvalue() + APPENDED


def gif_256_colours_with_comment(size=(64, 48)):
    """A still GIF whose palette is full (256 colours: the largest table a GIF
    can have) with a comment, and the same GIF as Pillow writes it without one."""
    image = Image.new("P", size)
    image.putpalette(
        [value for index in range(256) for value in (index, 255 - index, index // 2)]
    )
    image.putdata([index % 256 for index in range(size[0] * size[1])])
    files = []
    for comment in (COMMENT, b""):
        out = io.BytesIO()
        image.save(out, "GIF", comment=comment, optimize=False)
        files.append(out.getvalue())
    return files


def with_jpeg_segment(data, marker, payload):
    """``data`` (a JPEG) with one more segment right after its start marker."""
    segment = bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def animation(fmt, **options):
    """Three frames of a moving GIF or WebP."""
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "lime", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out, fmt, save_all=True, append_images=frames[1:], duration=100, **options
    )
    return out.getvalue()


def png_with_text(size=(90, 60)):
    info = PngInfo()
    info.add_text("Comment", COMMENT.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG", pnginfo=info)
    return out.getvalue() + APPENDED


def webp_with_exif(size=(120, 80)):
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(
        out, "WEBP", exif=camera_exif().tobytes(), xmp=XMP, icc_profile=srgb_profile()
    )
    return out.getvalue()


def jpeg_header_markers(data):
    """The markers of a JPEG's segments from its start up to its first scan."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, pos = [], 2
    while True:
        assert data[pos] == 0xFF, "lost in the JPEG's segments"
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        pos += 2 + struct.unpack_from(">H", data, pos + 2)[0]


def png(size=(200, 100), color="teal", **options):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG", **options)
    return out.getvalue()


def truncated_jpeg():
    """A photo whose copy stopped halfway: a real JPEG header, half the data."""
    image = Image.effect_noise((800, 600), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    data = out.getvalue()
    return data[: len(data) // 2]


def text_named_jpg():
    return b"Meeting notes, Tuesday.\nNot a picture at all.\n" * 20


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width=30_000, height=30_000):
    """A real decompression bomb: ~100 KB on disk, 900 megapixels once decoded.

    One-bit pixels, all zero, compressed a row at a time so making it costs
    next to nothing either.
    """
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_image(field_file):
    """Open a stored file with Pillow, as a reader's browser would get it."""
    with field_file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image
