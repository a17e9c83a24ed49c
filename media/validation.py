"""Is this file a picture we can publish? Pure checks, no database.

``validate_picture`` looks at what a file *contains*, never at its name or the
content type a browser claims, and refuses (with a ``ValidationError`` a
picture editor can act on) anything that is not a JPEG, PNG, WebP or GIF, is
truncated or corrupt, is too large on disk, or has too many pixels. It decides
the cheap things first: the size on disk before reading a byte, the pixel count
from the header before decoding, so a huge file or a decompression bomb is
refused without ever being loaded into memory.
"""

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

# Pillow format names of what we accept, and what editors call them.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ACCEPTED_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


@dataclass(frozen=True)
class PictureInfo:
    format: str
    width: int
    height: int


def validate_picture(file, *, max_bytes=None, max_pixels=None):
    """Check ``file`` (any file object Django or Python gives us) and describe it.

    Limits default to ``NEWSROOM_PHOTO_MAX_BYTES`` and ``NEWSROOM_PHOTO_MAX_PIXELS``.
    Raises ``ValidationError``; leaves the file at its start either way.
    """
    if max_bytes is None:
        max_bytes = settings.NEWSROOM_PHOTO_MAX_BYTES
    if max_pixels is None:
        max_pixels = settings.NEWSROOM_PHOTO_MAX_PIXELS
    size = _size(file)
    if size == 0:
        raise ValidationError("This file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; a photo can be at most %(limit)s. Export a "
            "smaller JPEG (about 3,000 pixels wide is plenty) and upload that.",
            code="file_too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    try:
        info = _inspect(file, max_pixels)
    finally:
        file.seek(0)
    return info


def validate_photo_upload(value):
    """Model field validator: checks a newly attached file, not one already stored.

    A stored file was checked when it arrived; re-reading it on every edit of a
    caption would fetch it back from storage for nothing.
    """
    if not value or (isinstance(value, FieldFile) and value._committed):
        return
    file = value.file if isinstance(value, FieldFile) else value
    if not getattr(file, "picture_checked", False):
        validate_picture(file)


def _size(file):
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, 2)
        file.seek(position)
    return size


def _inspect(file, max_pixels):
    not_a_picture = ValidationError(
        "This file is not a picture we can publish: its content is not a JPEG, "
        "PNG, WebP or GIF image, whatever its name says. Export it as a JPEG "
        "and upload that.",
        code="not_an_image",
    )
    with warnings.catch_warnings():
        # We apply our own pixel limit below, with a clearer message.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            file.seek(0)
            with Image.open(file, formats=list(ACCEPTED_FORMATS)) as image:
                info = PictureInfo(image.format, *image.size)
                _check_pixels(info, max_pixels)
                image.verify()
            # verify() leaves the image unusable and does not decode every
            # format's data, so decode a fresh copy too. JPEGs are decoded at a
            # reduced scale: enough to notice missing data, a fraction of the
            # memory.
            file.seek(0)
            with Image.open(file, formats=list(ACCEPTED_FORMATS)) as image:
                if image.format == "JPEG":
                    image.draft(image.mode, (image.width // 8, image.height // 8))
                image.load()
        except Image.DecompressionBombError as error:
            raise ValidationError(
                "This picture claims more pixels than any photo has: it may be "
                "a “decompression bomb” made to crash the site. It was refused.",
                code="too_many_pixels",
            ) from error
        except UnidentifiedImageError as error:
            raise not_a_picture from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(
                "This picture is damaged or incomplete (%(reason)s): it may not "
                "have finished uploading or copying. Try the original file again.",
                code="corrupt",
                params={"reason": str(error) or type(error).__name__},
            ) from error
    return info


def _check_pixels(info, max_pixels):
    pixels = info.width * info.height
    if pixels > max_pixels:
        raise ValidationError(
            "This picture is %(width)s × %(height)s pixels (%(mp)s megapixels); a "
            "photo can have at most %(limit)s megapixels. Resize it and upload it "
            "again.",
            code="too_many_pixels",
            params={
                "width": f"{info.width:,}",
                "height": f"{info.height:,}",
                "mp": f"{pixels / 1e6:,.0f}",
                "limit": f"{max_pixels / 1e6:,.0f}",
            },
        )
