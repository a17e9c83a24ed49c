"""What the photo desk accepts, what it refuses, and what it stores."""

import io
import tracemalloc
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, Image, ImageOps
from PIL.PngImagePlugin import PngInfo

from articles.models import Article
from media.images import clean_picture
from media.models import Photo
from media.validation import validate_picture

from .factories import PhotoFactory
from .picture_files import (
    APPENDED,
    CAMERA_SECRETS,
    COMMENT,
    GPS_IFD,
    XMP,
    animation,
    camera_exif,
    camera_jpeg,
    gif_256_colours_with_comment,
    gif_with_comment,
    halves,
    jpeg,
    jpeg_header_markers,
    png,
    png_bomb,
    png_with_text,
    srgb_profile,
    stored_image,
    text_named_jpg,
    truncated_jpeg,
    upload,
    webp_with_exif,
    with_jpeg_segment,
)

MB = 1024 * 1024

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bomb():
    return png_bomb()


def refusal(data, name="photo.jpg", **limits):
    with pytest.raises(ValidationError) as caught:
        validate_picture(File(io.BytesIO(data), name=name), **limits)
    return caught.value


# Refusals, checked on the file alone -------------------------------------


def test_a_text_file_named_jpg_is_refused_for_what_it_contains():
    error = refusal(text_named_jpg(), "holiday.jpg")
    assert error.code == "not_an_image"
    assert "not a picture" in error.messages[0]
    assert "whatever its name says" in error.messages[0]


def test_a_tiff_is_refused_although_pillow_could_read_it():
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "TIFF")
    assert refusal(out.getvalue(), "scan.jpg").code == "not_an_image"


def test_a_truncated_jpeg_is_refused_as_damaged():
    error = refusal(truncated_jpeg())
    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]


def test_a_truncated_png_is_refused_as_damaged():
    data = png((400, 300))
    assert refusal(data[: len(data) // 2], "chart.png").code == "corrupt"


def test_a_png_bomb_is_refused_without_being_decoded(bomb):
    tracemalloc.start()
    try:
        error = refusal(bomb, "innocent.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_many_pixels"
    # Decoded, it would take 900 MB; refusing it reads a header.
    assert peak < 20 * MB


def test_a_picture_over_the_configured_pixel_count_is_refused(settings):
    settings.NEWSROOM_PHOTO_MAX_PIXELS = 10_000
    error = refusal(png((200, 100)), "wide.png")
    assert error.code == "too_many_pixels"
    assert "200 × 100 pixels" in error.messages[0]


def test_a_huge_file_is_refused_before_a_byte_is_read(tmp_path):
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as handle:  # 26 MB on paper, nothing on disk
        handle.truncate(26 * MB)

    class Unreadable(File):
        def read(self, *args):
            raise AssertionError("the file was read")

    with huge.open("rb") as handle, pytest.raises(ValidationError) as caught:
        validate_picture(Unreadable(handle, name="huge.jpg"))
    assert caught.value.code == "file_too_big"
    message = caught.value.messages[0].replace("\xa0", " ")
    assert "This file is 26.0 MB; a photo can be at most 25.0 MB" in message


def test_the_size_limit_is_configurable(settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 1000
    assert refusal(jpeg((300, 300), "red", quality=100)).code == "file_too_big"


def test_each_refusal_says_in_words_what_is_wrong_and_what_to_do(settings, bomb):
    """The whole sentence a picture editor reads, for each limit."""
    settings.NEWSROOM_PHOTO_MAX_BYTES = 2000
    big = refusal(jpeg((400, 400), "red", quality=100)).messages[0]
    assert big.replace("\xa0", " ") == (
        f"This file is {len(jpeg((400, 400), 'red', quality=100)) / 1024:.1f} KB; "
        "a photo can be at most 2.0 KB. Export a smaller JPEG (about 3,000 "
        "pixels wide is plenty) and upload that."
    )
    settings.NEWSROOM_PHOTO_MAX_BYTES = 25 * MB
    settings.NEWSROOM_PHOTO_MAX_PIXELS = 1_000_000
    assert refusal(png((2000, 1000)), "wide.png").messages == [
        "This picture is 2,000 × 1,000 pixels (2 megapixels); a photo can have at "
        "most 1 megapixels. Resize it and upload it again."
    ]
    # Pillow refuses the bomb on opening it, before our own pixel limit.
    assert refusal(bomb, "innocent.png").messages == [
        "This picture claims more pixels than any photo has: it may be a "
        "“decompression bomb” made to crash the site. It was refused."
    ]


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "b"), ("WEBP", "c.webp"), ("GIF", "d")]
)
def test_real_pictures_are_accepted_whatever_their_name(fmt, name):
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "orange").save(out, fmt)
    info = validate_picture(File(io.BytesIO(out.getvalue()), name=name))
    assert (info.format, info.width, info.height) == (fmt, 120, 80)


# The admin -----------------------------------------------------------------


def photo_form(image=None, **fields):
    data = {
        "caption": "Firefighters at the market blaze on Sunday night.",
        "credit": "Sok Dara/The Newsroom",
        "alt_text": "Firefighters spray water on a burning market roof.",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "original_filename": "",
        **fields,
    }
    if image is not None:
        data["image"] = image
    return data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", text_named_jpg(), "not a picture we can publish"),
        ("cut.jpg", truncated_jpeg(), "damaged or incomplete"),
        ("big.png", png_bomb(12_000, 12_000), "at most 100 megapixels"),
        ("bomb.png", png_bomb(), "decompression bomb"),
    ],
)
def test_admin_refuses_a_bad_file_clearly_and_keeps_what_was_typed(
    admin_client, name, data, message
):
    response = admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload(name, data))
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    assert message in errors[0]
    page = response.content.decode()
    assert message in page
    assert "Firefighters at the market blaze on Sunday night." in page
    assert not Photo.objects.exists()


def test_admin_refuses_a_file_over_the_size_limit(admin_client, settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 2000
    data = jpeg((400, 400), "red", quality=100)
    response = admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload("big.jpg", data))
    )
    page = response.content.decode().replace("\xa0", " ")
    assert "a photo can be at most 2.0 KB" in page
    assert not Photo.objects.exists()


def test_admin_stores_an_upload_upright_and_without_gps_or_owner(admin_client):
    # The camera was held on its side: it stored the picture lying down (wide,
    # red on the left) and said "turn it a quarter clockwise" in the EXIF.
    data = camera_jpeg(halves((300, 200), "red", "blue"), orientation=6)
    response = admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload("IMG_0042.JPG", data))
    )
    assert response.status_code == 302

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (200, 300)
    stored = stored_image(photo.image)
    assert stored.format == "JPEG" and stored.size == (200, 300)
    # Upright: red on top, blue below.
    top, bottom = stored.getpixel((100, 40)), stored.getpixel((100, 260))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert ExifTags.Base.Artist not in exif
    assert ExifTags.Base.BodySerialNumber not in exif
    assert ExifTags.Base.Orientation not in exif
    assert photo.image.name.endswith(".jpg")
    # Only 200 px wide: one width (never enlarged) in two formats, and the card.
    assert photo.renditions.count() == 3


def test_a_clean_upright_picture_is_stored_byte_for_byte(admin_client):
    data = png((300, 200), "green")
    admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload("chart.png", data))
    )
    photo = Photo.objects.get()
    with photo.image.open("rb") as handle:
        assert handle.read() == data


def test_png_text_and_xmp_are_removed():
    info = PngInfo()
    info.add_text("Author", "Jane Source")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>GPS 11.5N</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(out, "PNG", pnginfo=info)
    cleaned = clean_picture(io.BytesIO(out.getvalue()), "diagram.png")
    image = Image.open(io.BytesIO(cleaned.read()))
    image.load()
    assert image.size == (60, 40)
    assert "Author" not in image.info and "XML:com.adobe.xmp" not in image.info


# What cleaning leaves in the stored file ------------------------------------

# Segments a cleaned JPEG may have before its first scan: JFIF, the colour
# profile (APP2), Adobe's colour transform (APP14), and the picture's own
# tables and frame header. Never EXIF/XMP (APP1), IPTC (APP13) or comments.
JPEG_PICTURE_SEGMENTS = {0xE0, 0xE2, 0xEE, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}


def stored_bytes(admin_client, name, data):
    response = admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload(name, data))
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    with photo.image.open("rb") as handle:
        return photo, handle.read()


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


CARRIERS = {
    "jpeg-comment": (
        "comment.jpg",
        lambda: jpeg((64, 48), comment=COMMENT),
        "JPEG",
        [COMMENT],
    ),
    "jpeg-appended-zip-and-script": (
        "polyglot.jpg",
        lambda: jpeg((64, 48)) + APPENDED,
        "JPEG",
        [b"PK\x03\x04", b"payload.txt", b"<script>"],
    ),
    "upright-camera-jpeg-with-gps": (
        "IMG_0001.JPG",
        lambda: camera_jpeg(Image.new("RGB", (64, 48), "olive")),
        "JPEG",
        [*CAMERA_SECRETS, b"Exif"],
    ),
    "upright-jpeg-with-xmp-comment-and-appended-data": (
        "edited.jpg",
        lambda: jpeg((64, 48), comment=COMMENT, xmp=XMP) + APPENDED,
        "JPEG",
        [COMMENT, b"Secret Cove", b"<script>"],
    ),
    "turned-camera-jpeg-with-comment": (
        "IMG_0002.JPG",
        lambda: (
            camera_jpeg(
                Image.new("RGB", (64, 48), "olive"), orientation=6, comment=COMMENT
            )
            + APPENDED
        ),
        "JPEG",
        [*CAMERA_SECRETS, COMMENT, b"<script>"],
    ),
    "progressive-jpeg-comment-and-appended-data": (
        "progressive.jpg",
        lambda: jpeg((640, 360), "teal", comment=COMMENT, progressive=True) + APPENDED,
        "JPEG",
        [COMMENT, b"<script>"],
    ),
    "png-appended-data-only": (
        "plain.png",
        lambda: png((90, 60)) + APPENDED,
        "PNG",
        [b"<script>"],
    ),
    "animated-gif-comment-and-appended-data": (
        "moving.gif",
        lambda: animation("GIF", comment=COMMENT, loop=0) + APPENDED,
        "GIF",
        [COMMENT, b"<script>"],
    ),
    "animated-webp-exif-and-xmp": (
        "moving.webp",
        lambda: animation("WEBP", exif=camera_exif().tobytes(), xmp=XMP),
        "WEBP",
        [*CAMERA_SECRETS, b"Secret Cove"],
    ),
    "gif-comment-and-appended-data": (
        "anim.gif",
        gif_with_comment,
        "GIF",
        [COMMENT, b"<script>"],
    ),
    "png-text-xmp-and-appended-data": (
        "chart.png",
        png_with_text,
        "PNG",
        [COMMENT, b"Secret Cove", b"tEXt", b"iTXt", b"<script>"],
    ),
    "webp-exif-and-xmp": (
        "card.webp",
        webp_with_exif,
        "WEBP",
        [*CAMERA_SECRETS, b"Secret Cove", b"EXIF", b"XMP "],
    ),
}


@pytest.mark.parametrize("case", CARRIERS.values(), ids=CARRIERS.keys())
def test_stored_file_keeps_no_comment_metadata_or_appended_payload(admin_client, case):
    name, make, fmt, secrets = case
    data = make()
    for secret in secrets:  # the crafted file really carries them
        assert secret in data
    original = opened(data)

    photo, stored = stored_bytes(admin_client, name, data)

    for secret in secrets:
        assert secret not in stored, secret
    image = opened(stored)
    assert image.format == fmt
    upright = ImageOps.exif_transpose(original)
    assert image.size == upright.size == (photo.width, photo.height)
    assert "comment" not in image.info and "xmp" not in image.info
    assert not image.getexif()
    assert getattr(image, "n_frames", 1) == getattr(original, "n_frames", 1)


@pytest.mark.parametrize(
    "data",
    [
        jpeg((64, 48), comment=COMMENT) + APPENDED,
        camera_jpeg(Image.new("RGB", (64, 48)), orientation=6, comment=COMMENT),
    ],
    ids=["upright", "turned"],
)
def test_a_cleaned_jpeg_has_only_picture_segments_and_ends_at_its_end(
    admin_client, data
):
    _, stored = stored_bytes(admin_client, "photo.jpg", data)

    assert set(jpeg_header_markers(stored)) <= JPEG_PICTURE_SEGMENTS
    assert 0xFE not in jpeg_header_markers(stored)  # no COM segment
    assert stored.endswith(b"\xff\xd9")  # nothing after the end of the image


def test_gif_png_and_webp_end_where_their_picture_ends(admin_client):
    _, gif = stored_bytes(admin_client, "a.gif", gif_with_comment())
    assert gif.endswith(b"\x00;")  # the last image's data, then the trailer
    Photo.objects.all().delete()
    _, png_data = stored_bytes(admin_client, "b.png", png_with_text())
    assert png_data.endswith(b"IEND\xaeB`\x82")
    Photo.objects.all().delete()
    _, webp = stored_bytes(admin_client, "c.webp", webp_with_exif())
    assert int.from_bytes(webp[4:8], "little") == len(webp) - 8
    assert webp[12:16] == b"VP8X" and not webp[20] & 0x0C  # no EXIF/XMP flags
    assert webp[20] & 0x20  # the colour profile is still announced and kept


def test_an_upright_camera_jpeg_loses_its_gps_but_not_its_picture_data(
    admin_client,
):
    data = camera_jpeg(halves((300, 200), "red", "blue"))
    # The upload is upright and says where it was taken.
    assert opened(data).getexif().get(ExifTags.Base.Orientation, 1) == 1
    assert opened(data).getexif().get_ifd(GPS_IFD)[1] == "N"
    photo, stored = stored_bytes(admin_client, "IMG_0003.JPG", data)

    assert not opened(stored).getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in stored
    # Not re-encoded: from the first scan on, the file is the camera's own.
    assert stored[stored.index(b"\xff\xda") :] == data[data.index(b"\xff\xda") :]
    assert len(stored) < len(data)


def test_the_colour_profile_is_kept_when_the_rest_goes(admin_client):
    profile = srgb_profile()
    data = jpeg((64, 48), comment=COMMENT, icc_profile=profile) + APPENDED

    _, stored = stored_bytes(admin_client, "profiled.jpg", data)

    assert opened(stored).info["icc_profile"] == profile
    assert COMMENT not in stored


def test_a_clean_upright_jpeg_is_stored_byte_for_byte(admin_client):
    data = jpeg((64, 48))
    _, stored = stored_bytes(admin_client, "clean.jpg", data)
    assert stored == data


def test_a_256_colour_gif_keeps_its_picture_and_loses_its_comment(admin_client):
    """The fullest palette a GIF can have (768 bytes): the stored file is the
    upload with only the comment cut out, its colours and pixels as they were."""
    data, without_comment = gif_256_colours_with_comment()
    assert COMMENT in data and data[10] & 0x87 == 0x87  # a global table of 256

    _, stored = stored_bytes(admin_client, "palette.gif", data)

    assert COMMENT not in stored
    # Not re-encoded: header, the 256-colour table and the picture are the upload's.
    assert stored == without_comment.replace(b"GIF87a", b"GIF89a", 1)
    assert opened(stored).getpalette() == opened(data).getpalette()
    assert opened(stored).tobytes() == opened(data).tobytes()


def test_a_jpeg_segment_only_adobe_may_use_is_dropped_when_it_is_not_adobe(
    admin_client,
):
    """An APP14 segment is kept when it is Adobe's (it says how the colours are
    encoded); one written by anything else is metadata like any other."""
    data = jpeg((64, 48), "olive")
    adobe = b"Adobe\x00\x64\x00\x00\x00\x00\x01"
    foreign = with_jpeg_segment(data, 0xEE, b"Ducky " + COMMENT)

    _, stored = stored_bytes(admin_client, "notes.jpg", foreign)
    assert COMMENT not in stored
    assert stored == data  # the picture itself as it came
    Photo.objects.all().delete()

    _, kept = stored_bytes(
        admin_client, "adobe.jpg", with_jpeg_segment(data, 0xEE, adobe)
    )
    assert 0xEE in jpeg_header_markers(kept) and adobe in kept


def test_renditions_carry_no_comment_even_from_an_uncleaned_original():
    from media.images import Target, render

    data = jpeg((300, 200), comment=COMMENT, xmp=XMP)
    targets = [Target((150, 100), "jpeg"), Target((150, 100), "webp")]

    for encoded in render(io.BytesIO(data), targets):
        assert COMMENT not in encoded and b"Secret Cove" not in encoded
        assert opened(encoded).size == (150, 100)


def test_content_decides_the_stored_extension(admin_client):
    data = jpeg((120, 90))
    admin_client.post(
        reverse("admin:media_photo_add"), photo_form(upload("scan.png", data))
    )
    assert Photo.objects.get().image.name.endswith("/scan.jpg")


def test_a_missing_file_can_be_uploaded_later_from_the_admin(admin_client):
    photo = PhotoFactory(image="")
    url = reverse("admin:media_photo_change", args=[photo.pk])
    data = camera_jpeg(Image.new("RGB", (1000, 600), "olive"))
    response = admin_client.post(
        url,
        photo_form(
            upload("arrived.jpg", data),
            caption=photo.caption,
            credit=photo.credit,
            alt_text=photo.alt_text,
        ),
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.has_file and (photo.width, photo.height) == (1000, 600)
    assert [r.width for r in photo.width_renditions("webp")] == [480, 960, 1000]
    assert [r.width for r in photo.width_renditions("jpeg")] == [480, 960, 1000]
    assert photo.social_rendition.width == 1200


# The importer --------------------------------------------------------------


def import_with_picture(tmp_path, name, data):
    from .test_articles_import import BARRIER

    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "barrier.txt").write_text(BARRIER)
    images = tmp_path / "images"
    images.mkdir()
    (images / name).write_bytes(data)
    out, err = StringIO(), StringIO()
    call_command(
        "import_stories",
        copy / "barrier.txt",
        "--images",
        images,
        stdout=out,
        stderr=err,
    )
    return Article.objects.get(), err.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (text_named_jpg(), "not a picture we can publish"),
        (truncated_jpeg(), "damaged or incomplete"),
    ],
)
def test_importer_refuses_a_bad_picture_and_keeps_the_story(tmp_path, data, message):
    article, err = import_with_picture(tmp_path, "flood_barrier_opening.jpg", data)
    assert "picture “flood_barrier_opening.jpg” was refused" in err
    assert message in err
    photo = article.lead_photo
    assert not photo.has_file
    assert photo.caption == "Workers inspect the new barrier gates on Monday."
    assert photo.credit == "CITY OF RIVERTON/ THE COURIER"


def test_importer_refuses_a_huge_picture(tmp_path, settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 5000
    data = jpeg((800, 800), "red", quality=100)
    article, err = import_with_picture(tmp_path, "flood_barrier_opening.jpg", data)
    assert "a photo can be at most 4.9 KB" in err.replace("\xa0", " ")
    assert not article.lead_photo.has_file


def test_importer_refuses_a_png_bomb(tmp_path, bomb):
    article, err = import_with_picture(tmp_path, "flood_barrier_opening.jpg", bomb)
    assert "decompression bomb" in err
    assert not article.lead_photo.has_file


def test_importer_stores_a_good_picture_cleaned_with_renditions(tmp_path):
    data = camera_jpeg(halves((1200, 800), "red", "blue"), orientation=8)
    article, err = import_with_picture(tmp_path, "flood_barrier_opening.jpg", data)
    assert "flood_barrier_opening" not in err
    photo = article.lead_photo
    assert (photo.width, photo.height) == (800, 1200)
    stored = stored_image(photo.image)
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert ExifTags.Base.Orientation not in stored.getexif()
    # Orientation 8 turns it a quarter anticlockwise: red ends up at the bottom.
    assert stored.getpixel((400, 1100))[0] > 200
    assert [r.width for r in photo.width_renditions("jpeg")] == [480, 800]
    assert photo.social_rendition is not None


def test_demo_photos_get_renditions():
    from demo.loader import load_demo

    load_demo()
    photo = Photo.objects.exclude(image="").first()
    assert [r.width for r in photo.width_renditions("webp")] == [480, 960, 1600]
    assert photo.social_rendition.height == 630
    rendition_files = set(photo.renditions.values_list("file", flat=True))
    load_demo()
    assert set(photo.renditions.values_list("file", flat=True)) == rendition_files


def test_content_file_without_size_is_measured():
    data = jpeg((64, 64))
    info = validate_picture(ContentFile(data, name="x.jpg"))
    assert info.width == 64
