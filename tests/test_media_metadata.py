"""Metadata goes from transparent and lossless pictures; transparency stays.

Each file is crafted to carry text, EXIF and XMP alongside a picture whose
transparency matters, uploaded through the admin as an editor would, and the
stored bytes are then walked block by block (by the test's own reader of the
format, not the application's) and opened with Pillow as a browser would.
"""

import io
import struct

import pytest
from django.urls import reverse
from PIL import Image, ImageSequence
from PIL.PngImagePlugin import PngInfo

from media.models import Photo

from .picture_files import APPENDED, CAMERA_SECRETS, COMMENT, XMP, camera_exif, upload

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA_CHUNKS = {b"tEXt", b"iTXt", b"zTXt", b"eXIf"}


# Reading the stored file ------------------------------------------------------


def png_chunks(data):
    """The kinds of a PNG's chunks, in order; the file must end at IEND."""
    assert data.startswith(PNG_SIGNATURE), "not a PNG"
    kinds, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        kinds.append(kind)
        pos += 12 + length
    assert pos == len(data) and kinds[-1] == b"IEND", "bytes after IEND"
    return kinds


def webp_chunks(data):
    """A WebP's chunks as (kind, payload), with each frame's inner chunks
    listed after its ANMF as ("ANMF/…", payload)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", "not a WebP"
    assert int.from_bytes(data[4:8], "little") == len(data) - 8

    def walk(payload, pos, prefix=""):
        found = []
        while pos < len(payload):
            kind, length = struct.unpack_from("<4sI", payload, pos)
            body = payload[pos + 8 : pos + 8 + length]
            found.append((prefix + kind.decode("latin-1"), body))
            if kind == b"ANMF":
                found += walk(body, 16, prefix="ANMF/")
            pos += 8 + length + (length & 1)
        return found

    return walk(data, 12)


def pixels(image):
    """Every frame's pixels as RGBA, so a lost alpha channel shows."""
    return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(image)]


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stored(admin_client, name, data, content_type):
    response = admin_client.post(
        reverse("admin:media_photo_add"),
        {
            "caption": "A map of the flood zone, with the river drawn in.",
            "credit": "Newsroom graphics desk",
            "alt_text": "A map with the flooded streets shaded blue.",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "original_filename": "",
            "image": upload(name, data, content_type),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    with photo.image.open("rb") as handle:
        return handle.read()


def assert_secrets_carried_then_gone(original, kept, secrets):
    for secret in secrets:
        assert secret in original, f"the crafted file lacks {secret!r}"
        assert secret not in kept, f"{secret!r} was stored"


# Crafted pictures -------------------------------------------------------------


def see_through_rgba(size=(48, 32)):
    """Red to blue across, fully opaque at the top and clear at the bottom."""
    width, height = size
    image = Image.new("RGBA", size)
    image.putdata(
        [
            (255 * x // width, 90, 255 - 255 * x // width, 255 - 255 * y // height)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image


def text_chunks():
    info = PngInfo()
    info.add_text("Author", "Jane Source")  # tEXt
    info.add_text("Comment", COMMENT.decode(), zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())  # iTXt
    return info


def rgba_png_with_metadata():
    out = io.BytesIO()
    see_through_rgba().save(out, "PNG", pnginfo=text_chunks(), exif=camera_exif())
    return out.getvalue() + APPENDED


def palette_png_with_metadata():
    """Four palette colours, each a different opacity (a tRNS chunk)."""
    image = Image.new("P", (40, 20))
    image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
    image.putdata([(x // 10) for _ in range(20) for x in range(40)])
    out = io.BytesIO()
    image.save(
        out,
        "PNG",
        transparency=b"\x00\x55\xaa\xff",
        pnginfo=text_chunks(),
        exif=camera_exif(),
    )
    return out.getvalue()


def transparent_gif_with_comment():
    """Colour 0 is the see-through one; the left half of the picture uses it."""
    image = Image.new("P", (40, 20), 2)
    image.putpalette([0, 0, 0, 200, 30, 30, 30, 30, 200] + [0] * (253 * 3))
    image.paste(0, (0, 0, 20, 20))
    out = io.BytesIO()
    image.save(out, "GIF", transparency=0, comment=COMMENT)
    return out.getvalue() + APPENDED


def lossless_webp_with_metadata(*, frames):
    images = [see_through_rgba().rotate(90 * n) for n in range(frames)]
    out = io.BytesIO()
    options = {"save_all": True, "append_images": images[1:], "duration": 120}
    images[0].save(
        out,
        "WEBP",
        lossless=True,
        exif=camera_exif().tobytes(),
        xmp=XMP,
        **(options if frames > 1 else {}),
    )
    return out.getvalue() + APPENDED


# PNG ----------------------------------------------------------------------------


def test_a_see_through_png_keeps_its_alpha_channel_and_loses_its_text(admin_client):
    original = rgba_png_with_metadata()
    assert PNG_METADATA_CHUNKS <= set(png_chunks(original.removesuffix(APPENDED)))

    kept = stored(admin_client, "map.png", original, "image/png")

    assert_secrets_carried_then_gone(
        original, kept, [b"Jane Source", b"Secret Cove", b"<script>"]
    )  # the comment is in the zTXt, compressed: its chunk must be gone
    chunks = png_chunks(kept)
    assert not PNG_METADATA_CHUNKS & set(chunks)
    assert chunks[0] == b"IHDR" and b"IDAT" in chunks
    image = opened(kept)
    assert image.mode == "RGBA"
    assert not image.getexif() and "Author" not in image.info
    assert pixels(image) == pixels(opened(original))  # every pixel, alpha too


def test_a_palette_png_keeps_its_transparency_chunk_and_loses_its_text(admin_client):
    original = palette_png_with_metadata()
    assert PNG_METADATA_CHUNKS <= set(png_chunks(original))

    kept = stored(admin_client, "legend.png", original, "image/png")

    assert_secrets_carried_then_gone(original, kept, [b"Jane Source", b"Secret Cove"])
    chunks = png_chunks(kept)
    assert not PNG_METADATA_CHUNKS & set(chunks)
    assert chunks.index(b"PLTE") < chunks.index(b"tRNS") < chunks.index(b"IDAT")
    image = opened(kept)
    assert image.mode == "P"
    assert image.info["transparency"] == b"\x00\x55\xaa\xff"
    assert pixels(image) == pixels(opened(original))


# GIF ----------------------------------------------------------------------------


def test_a_transparent_gif_keeps_its_see_through_colour_and_loses_its_comment(
    admin_client,
):
    original = transparent_gif_with_comment()

    kept = stored(admin_client, "icon.gif", original, "image/gif")

    assert_secrets_carried_then_gone(original, kept, [COMMENT, b"<script>"])
    assert b"\x21\xfe" not in kept  # no comment extension
    assert kept.endswith(b"\x00;")  # the image's data, then the trailer
    image = opened(kept)
    assert "comment" not in image.info
    assert image.info["transparency"] == 0
    assert image.convert("RGBA").getpixel((5, 5))[3] == 0  # see-through half
    assert image.convert("RGBA").getpixel((30, 5)) == (30, 30, 200, 255)
    assert pixels(image) == pixels(opened(original))


# WebP ---------------------------------------------------------------------------


@pytest.mark.parametrize("frames", [1, 3], ids=["still", "animated"])
def test_a_lossless_see_through_webp_loses_exif_and_xmp_and_keeps_every_pixel(
    admin_client, frames
):
    original = lossless_webp_with_metadata(frames=frames)
    original_kinds = {kind for kind, _ in webp_chunks(original.removesuffix(APPENDED))}
    assert {"EXIF", "XMP "} <= original_kinds

    kept = stored(admin_client, "overlay.webp", original, "image/webp")

    assert_secrets_carried_then_gone(
        original, kept, [*CAMERA_SECRETS, b"Secret Cove", b"<script>"]
    )
    chunks = webp_chunks(kept)
    kinds = [kind for kind, _ in chunks]
    assert "EXIF" not in kinds and "XMP " not in kinds
    header = dict(chunks)["VP8X"]
    assert not header[0] & 0x0C  # the EXIF and XMP flags are off
    assert header[0] & 0x10  # it still says it has alpha
    if frames > 1:
        assert header[0] & 0x02 and kinds.count("ANMF") == frames
        assert kinds.count("ANMF/VP8L") == frames  # every frame stays lossless
    else:
        assert kinds == ["VP8X", "VP8L"]
    image = opened(kept)
    assert image.mode == "RGBA"
    assert getattr(image, "n_frames", 1) == frames
    assert not image.getexif() and "xmp" not in image.info
    assert pixels(image) == pixels(opened(original))
