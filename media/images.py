"""Pixel work on pictures, with no database: cleaning uploads, making renditions.

``clean_picture`` turns an accepted upload into the file we store: upright (the
camera's EXIF orientation applied to the pixels) and without GPS position,
camera serial numbers, owner names, XMP/IPTC blocks, comments, text chunks or
bytes hidden after the end of the image. Only the colour profile is kept, so
colours do not shift. Renditions are written just as clean.

``render`` makes the scaled and cropped copies readers are served, decoding a
large JPEG at a reduced scale (``Image.draft``) so a 24-megapixel original costs
a fraction of its full size in memory.
"""

import io
import math
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin

from .containers import strip_metadata
from .validation import ACCEPTED_FORMATS, validate_picture

EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

JPEG_QUALITY = 82
WEBP_QUALITY = 80
# Bump when the way renditions look changes, so the rebuild command remakes them.
RENDITION_VERSION = 1


def open_picture(file):
    file.seek(0)
    return Image.open(file, formats=list(ACCEPTED_FORMATS))


def clean_picture(file, name):
    """The picture to store for an upload already accepted by ``validate_picture``.

    Returns a named ``File``. An upright picture (and every animation) is not
    re-encoded: the blocks carrying metadata, comments and anything appended
    after the image are cut out of the file (``media.containers``) and the
    picture data is kept as it was, so a file with nothing to cut is stored
    byte for byte. A picture the camera stored turned is re-encoded upright
    (JPEGs keep their own quantisation tables, so the loss is as small as it
    can be), and the re-encoded file is cut the same way. The name's
    extension follows the content, not the name given.
    """
    with open_picture(file) as image:
        stem = PurePath(name).stem or "photo"
        clean_name = f"{stem}.{EXTENSIONS[image.format]}"
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        animation = image.format in ("GIF", "WEBP") and getattr(
            image, "is_animated", False
        )
        if orientation in (0, 1) or animation:
            file.seek(0)
            data = file.read()
            stripped = _stripped(data, image)
            if stripped is data:
                file.seek(0)
                return File(file, name=clean_name)
            if stripped is not None:
                return File(io.BytesIO(stripped), name=clean_name)
        data, output_format = _reencode(image, orientation)
        return File(io.BytesIO(_without_metadata(data, output_format)), name=clean_name)


def _stripped(data, image):
    """``data`` with its metadata cut out, checked to still be the same picture;
    ``data`` itself when there was nothing to cut, None if it cannot be cut."""
    try:
        stripped = strip_metadata(data, image.format)
    except ValueError:
        return None
    if stripped is data:
        return data
    try:
        info = validate_picture(File(io.BytesIO(stripped), name="stripped"))
    except ValidationError:
        return None
    expected = "JPEG" if image.format == "MPO" else image.format
    if (info.format, (info.width, info.height)) != (expected, image.size):
        return None
    return stripped


def _without_metadata(data, format):
    """Pillow's own output, with anything it carried over from the original
    (a JPEG or GIF comment, XMP) cut out."""
    try:
        return strip_metadata(data, format)
    except ValueError:  # not expected of Pillow's output; it was written clean
        return data


def _reencode(image, orientation):
    """The picture re-encoded upright, as (bytes, format)."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    # Pillow writes a JPEG's or GIF's comment again unless told otherwise.
    extra = {"icc_profile": icc} if icc else {}
    extra["comment"] = b""
    if image.format in ("GIF", "WEBP") and getattr(image, "is_animated", False):
        # Moving pictures keep every frame; only the metadata goes.
        for key in ("duration", "loop", "background", "transparency", "disposal"):
            if key in image.info:
                extra[key] = image.info[key]
        options = {"quality": 90} if image.format == "WEBP" else {}
        image.save(out, image.format, save_all=True, **extra, **options)
        return out.getvalue(), image.format
    if image.format in ("JPEG", "MPO"):
        sampling = JpegImagePlugin.get_sampling(image)
        options = {"qtables": image.quantization}
        if sampling != -1:
            options["subsampling"] = sampling
        output_format = "JPEG"
    elif image.format == "WEBP":
        options, output_format = {"quality": 90}, "WEBP"
    else:
        options, output_format = {}, image.format
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    upright = image if orientation in (0, 1) else ImageOps.exif_transpose(image)
    upright.save(out, output_format, **extra, **options)
    return out.getvalue(), output_format


@dataclass(frozen=True)
class Target:
    """One rendition to make: ``size`` in pixels, cropped to its aspect if
    ``crop``, around the focal point ``focus`` (fractions of width and height)."""

    size: tuple[int, int]
    format: str  # "webp" or "jpeg"
    crop: bool = False
    focus: tuple[float, float] = (0.5, 0.5)


def width_sizes(original_size, widths):
    """The sizes to serve for ``widths``, never wider than the original."""
    width, height = original_size
    sizes = {}
    for target in sorted(widths):
        w = min(target, width)
        sizes[w] = (w, max(1, round(height * w / width)))
    return list(sizes.values())


def crop_box(size, aspect_size, focus):
    """The largest box of ``aspect_size``'s shape inside ``size``, centred as
    near the focal point as the edges allow."""
    width, height = size
    aspect = aspect_size[0] / aspect_size[1]
    box_w, box_h = (width, width / aspect)
    if box_h > height:
        box_w, box_h = (height * aspect, height)
    left = min(max(focus[0] * width - box_w / 2, 0), width - box_w)
    top = min(max(focus[1] * height - box_h / 2, 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def render(file, targets):
    """Make every target from one decode of ``file``; returns encoded bytes.

    Targets of the same size and crop share one resize, encoded once per format.
    """
    with open_picture(file) as image:
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", _decode_size(image, targets))
        # An RGB profile stays valid on our RGB output; a CMYK or grey one
        # would not, and is dropped (the pixels are converted without it).
        rgb_source = image.mode in ("RGB", "RGBA", "P", "PA")
        icc = image.info.get("icc_profile") if rgb_source else None
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        image = _flatten(image)
        scaled = {}
        encoded = []
        for target in targets:
            box = (
                crop_box(image.size, target.size, target.focus) if target.crop else None
            )
            key = (target.size, box)
            if key not in scaled:
                scaled[key] = image.resize(
                    target.size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0
                )
            encoded.append(_encode(scaled[key], target.format, icc))
        return encoded


def _decode_size(image, targets):
    """The smallest decode size that still covers every target at full sharpness."""
    width, height = image.size
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    scale = 0.0
    for target in targets:
        box = crop_box((width, height), target.size, target.focus)
        box_w, box_h = (
            (box[2] - box[0], box[3] - box[1]) if target.crop else (width, height)
        )
        scale = max(scale, target.size[0] / box_w, target.size[1] / box_h)
    scale = min(scale, 1.0)
    decode = (math.ceil(width * scale), math.ceil(height * scale))
    return decode if orientation not in (5, 6, 7, 8) else decode[::-1]


def _flatten(image):
    """RGB, or RGBA where the picture has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("P", "PA", "LA") or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")


def _encode(image, format, icc):
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if format == "jpeg":
        if image.mode == "RGBA":
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra
        )
    else:
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    # A resized copy keeps the original's info, and Pillow writes a JPEG's
    # comment from it: cut it out, like everything else we store.
    return _without_metadata(out.getvalue(), "JPEG" if format == "jpeg" else "WEBP")
