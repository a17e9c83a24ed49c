"""Renditions: every screen's size, made once, kept fresh, cleaned up."""

import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone
from PIL import Image

from media.models import Photo, Rendition
from media.renditions import make_renditions
from media.services import attach_picture

from .factories import ArticleFactory, BylineFactory, JournalistFactory, PhotoFactory
from .markup import parse, table_rows
from .picture_files import halves, jpeg, stored_image, upload

pytestmark = pytest.mark.django_db


def photo_with(data, name="harbour.jpg", **fields):
    photo = PhotoFactory(image="", **fields)
    return attach_picture(photo=photo, file=ContentFile(data), name=name)


def rendition_files(photo):
    return set(Rendition.objects.filter(photo=photo).values_list("file", flat=True))


def photo_form(photo, **fields):
    return {
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "focal_x": str(photo.focal_x),
        "focal_y": str(photo.focal_y),
        "original_filename": photo.original_filename,
        **fields,
    }


def test_a_photo_gets_every_width_as_webp_and_jpeg_and_a_social_card():
    photo = photo_with(jpeg((2400, 1600), "teal"))

    for fmt, pillow_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        renditions = photo.width_renditions(fmt)
        assert [(r.width, r.height) for r in renditions] == [
            (480, 320),
            (960, 640),
            (1600, 1067),
        ]
        for rendition in renditions:
            image = stored_image(rendition.file)
            assert image.format == pillow_format
            assert image.size == (rendition.width, rendition.height)
    social = stored_image(photo.social_rendition.file)
    assert (social.format, social.size) == ("JPEG", (1200, 630))


def test_a_small_photo_is_never_enlarged_for_pages():
    photo = photo_with(jpeg((700, 500)))
    assert [r.width for r in photo.width_renditions("webp")] == [480, 700]
    assert photo.social_rendition.width == 1200


def test_widths_are_configurable(settings):
    settings.NEWSROOM_PHOTO_WIDTHS = [320, 640]
    photo = photo_with(jpeg((1000, 500)))
    assert [r.width for r in photo.width_renditions("jpeg")] == [320, 640]


def test_transparent_png_keeps_transparency_in_webp_and_gets_white_in_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (600, 400), (255, 0, 0, 0)).save(out, "PNG")
    photo = photo_with(out.getvalue(), name="logo.png")
    webp = stored_image(photo.width_renditions("webp")[0].file)
    jpeg_copy = stored_image(photo.width_renditions("jpeg")[0].file)
    assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0
    assert jpeg_copy.getpixel((10, 10)) == (255, 255, 255)


def test_a_cmyk_jpeg_from_a_print_workflow_gets_rgb_renditions():
    out = io.BytesIO()
    Image.new("CMYK", (900, 600), (0, 255, 255, 0)).save(out, "JPEG")
    photo = photo_with(out.getvalue())
    webp = stored_image(photo.width_renditions("webp")[0].file)
    assert webp.mode == "RGB" and webp.getpixel((5, 5))[0] > 200


def red_share(image):
    small = image.convert("RGB").resize((60, 30))
    pixels = [small.getpixel((x, y)) for x in range(60) for y in range(30)]
    return sum(1 for r, g, b in pixels if r > 180 and b < 80) / len(pixels)


def test_the_social_crop_follows_the_focal_point():
    # A wide scene: blue sea, and on the far right a red boat.
    scene = Image.new("RGB", (2400, 800), "blue")
    scene.paste("red", (2000, 0, 2400, 800))
    data = io.BytesIO()
    scene.save(data, "JPEG", quality=95)

    centred = photo_with(data.getvalue())
    assert red_share(stored_image(centred.social_rendition.file)) == 0

    on_the_boat = photo_with(data.getvalue(), focal_x=0.9)
    assert red_share(stored_image(on_the_boat.social_rendition.file)) > 0.2


def test_the_focal_point_steers_a_tall_picture_vertically():
    data = io.BytesIO()
    halves((800, 2000), "red", "blue", vertical=True).save(data, "JPEG")
    top = stored_image(photo_with(data.getvalue(), focal_y=0.0).social_rendition.file)
    bottom = stored_image(
        photo_with(data.getvalue(), focal_y=1.0).social_rendition.file
    )
    assert red_share(top) > 0.9 and red_share(bottom) == 0


def test_changing_the_focal_point_in_the_admin_remakes_only_the_crop(
    admin_client, django_capture_on_commit_callbacks
):
    photo = photo_with(jpeg((1800, 1200)))
    widths = set(
        photo.renditions.filter(kind="width").values_list("pk", "file", named=False)
    )
    old_social = photo.social_rendition.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:media_photo_change", args=[photo.pk]),
            photo_form(photo, focal_x="0.2", focal_y="0.3"),
        )
    assert response.status_code == 302

    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.focal_x, photo.focal_y) == (0.2, 0.3)
    assert set(photo.renditions.filter(kind="width").values_list("pk", "file")) == (
        widths
    )
    assert photo.social_rendition.file.name != old_social
    assert not default_storage.exists(old_social)
    assert photo.renditions.count() == 7


def test_replacing_the_file_in_the_admin_makes_new_renditions_and_drops_the_old(
    admin_client, django_capture_on_commit_callbacks
):
    photo = photo_with(jpeg((1800, 1200), "red"))
    old_original, old_renditions = photo.image.name, rendition_files(photo)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:media_photo_change", args=[photo.pk]),
            photo_form(photo, image=upload("better.jpg", jpeg((1000, 1000), "blue"))),
        )

    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.width, photo.height) == (1000, 1000)
    assert not rendition_files(photo) & old_renditions
    assert [r.width for r in photo.width_renditions("jpeg")] == [480, 960, 1000]
    assert stored_image(photo.thumbnail_rendition.file).getpixel((5, 5))[2] > 200
    for name in [old_original, *old_renditions]:
        assert not default_storage.exists(name), name


def test_clearing_the_file_in_the_admin_drops_renditions(
    admin_client, django_capture_on_commit_callbacks
):
    photo = photo_with(jpeg((900, 600)))
    files = [photo.image.name, *rendition_files(photo)]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:media_photo_change", args=[photo.pk]),
            photo_form(photo, **{"image-clear": "on"}),
        )
    photo = Photo.objects.get(pk=photo.pk)
    assert not photo.has_file and not photo.renditions.exists()
    assert photo.caption and photo.credit
    assert not any(default_storage.exists(name) for name in files)


def test_a_stale_rendition_is_never_served():
    photo = photo_with(jpeg((900, 600)))
    # The file changed behind make_renditions' back (say it failed half way).
    photo.image.name = "photos/elsewhere.jpg"
    assert photo.width_renditions("webp") == [] and photo.social_rendition is None


def test_a_stale_rendition_is_never_served_from_a_list_read_before():
    made = photo_with(jpeg((900, 600)))
    photo = Photo.objects.prefetch_related("renditions").get(pk=made.pk)
    assert photo.social_rendition is not None and photo.webp_srcset
    # Moving the focal point leaves the widths current and the crop stale.
    photo.focal_x = 0.9
    assert photo.social_rendition is None
    assert len(photo.width_renditions("webp")) == len(made.width_renditions("webp"))
    photo.image.name = "photos/elsewhere.jpg"
    assert photo.width_renditions("jpeg") == [] and photo.fallback_rendition is None


def test_deleting_a_photo_removes_its_files(django_capture_on_commit_callbacks):
    photo = photo_with(jpeg((900, 600)))
    files = [photo.image.name, *rendition_files(photo)]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not any(default_storage.exists(name) for name in files)


def test_the_admin_delete_action_removes_the_files(
    admin_client, django_capture_on_commit_callbacks
):
    photos = [photo_with(jpeg((700, 400))) for _ in range(2)]
    files = [name for p in photos for name in [p.image.name, *rendition_files(p)]]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:media_photo_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [p.pk for p in photos],
                "post": "yes",
            },
        )
    assert not Photo.objects.exists() and not Rendition.objects.exists()
    assert not any(default_storage.exists(name) for name in files)


def test_files_stay_if_the_deletion_is_rolled_back(django_capture_on_commit_callbacks):
    photo = photo_with(jpeg((700, 400)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo.delete()
    assert callbacks and default_storage.exists(photo.image.name)


def test_making_renditions_again_changes_nothing():
    photo = photo_with(jpeg((1200, 800)))
    before = rendition_files(photo)
    result = make_renditions(photo)
    assert (result.made, result.dropped) == (0, 0)
    assert rendition_files(photo) == before


# What readers get ------------------------------------------------------------


def srcset_widths(srcset):
    """A srcset read as a browser reads it: {address: width in pixels}."""
    candidates = [candidate.split() for candidate in srcset.split(",")]
    assert all(len(c) == 2 and c[1].endswith("w") for c in candidates), srcset
    return {url: int(descriptor[:-1]) for url, descriptor in candidates}


def test_story_page_serves_a_picture_with_webp_and_jpeg_srcsets(client):
    photo = photo_with(jpeg((2000, 1200)))
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()

    page = parse(html)
    [picture] = page.find_all("picture")
    [source] = [e for e in page.find_all("source") if e.parent is picture]
    [img] = [e for e in page.find_all("img") if e.parent is picture]
    assert source.attrs["type"] == "image/webp"
    for tag, fmt, pillow_format in ((source, "webp", "WEBP"), (img, "jpeg", "JPEG")):
        offered = srcset_widths(tag.attrs["srcset"])
        assert sorted(offered.values()) == [480, 960, 1600]  # every page width
        assert offered == {r.file.url: r.width for r in photo.width_renditions(fmt)}
        for rendition in photo.width_renditions(fmt):  # each address is that size
            image = stored_image(rendition.file)
            assert (image.format, image.width) == (pillow_format, rendition.width)
        assert tag.attrs["sizes"] == "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
    widest = photo.width_renditions("jpeg")[-1]
    assert img.attrs["src"] == widest.file.url  # for browsers without srcset
    assert (img.attrs["width"], img.attrs["height"]) == ("1600", "960")
    assert img.attrs["alt"] == photo.alt_text
    assert photo.image.url not in html  # the original is never sent to readers
    assert "Photo: Ana Ruiz/The Newsroom" in html


def test_a_photo_without_renditions_yet_shows_its_original(client):
    photo = PhotoFactory()  # stored directly, as before renditions existed
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{photo.image.url}"' in html and "<picture>" not in html


def test_a_photo_missing_its_file_shows_caption_and_credit_and_no_image(client):
    photo = PhotoFactory(image="", caption="Divers survey the seagrass beds.")
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Divers survey the seagrass beds." in html
    assert "Photo: Ana Ruiz/The Newsroom" in html
    figure = html[html.index('<figure class="photo') : html.index("</figure>")]
    assert "photo--missing" in figure
    assert "<img" not in figure and "<picture" not in figure


def test_rendering_a_page_never_makes_renditions(client, monkeypatch):
    photo = PhotoFactory()
    ArticleFactory(lead_photo=photo)

    def refuse(*args, **kwargs):
        raise AssertionError("a rendition was made during a page view")

    monkeypatch.setattr("media.renditions.render", refuse)
    page = parse(client.get(reverse("articles:index")).content.decode())
    assert not photo.renditions.exists()
    [img] = page.find_all("img", alt=photo.alt_text)  # the original, as it is
    assert img.attrs["src"] == photo.image.url and not page.find_all("picture")


def test_story_lists_with_renditions_keep_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(8):
        BylineFactory(article=ArticleFactory(lead_photo=photo_with(jpeg((600, 400)))))
    with django_assert_max_num_queries(6):
        html = client.get(reverse("articles:index")).content.decode()
    assert "<picture>" in html
    section = reverse("articles:section", kwargs={"section": "city"})
    with django_assert_max_num_queries(6):
        html = client.get(section).content.decode()
    assert html.count("<picture>") == 8
    assert html.count('class="story-card__photo"') == 8


def test_the_api_data_lists_every_size():
    photo = photo_with(jpeg((1000, 600)))
    data = photo.rendition_data()
    assert data["caption"] == photo.caption and data["credit"] == photo.credit
    assert [entry["width"] for entry in data["webp"]] == [480, 960, 1000]
    assert data["social"]["width"] == 1200 and data["social"]["height"] == 630
    assert data["jpeg"][0]["url"].endswith(".jpg")


# Rebuilding ----------------------------------------------------------------


def test_rebuild_command_makes_renditions_for_new_widths(
    settings, django_capture_on_commit_callbacks
):
    photos = [photo_with(jpeg((2000, 1000))), PhotoFactory(image="")]
    settings.NEWSROOM_PHOTO_WIDTHS = [400, 800]

    out = StringIO()
    call_command("rebuild_renditions", "--dry-run", stdout=out)
    expected = "2 photos: would make 4 renditions, would drop 6 stale ones."
    assert expected in out.getvalue()
    assert [r.width for r in photos[0].width_renditions("jpeg")] == [480, 960, 1600]

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=out)
    assert "2 photos: made 4 renditions, dropped 6 stale ones." in out.getvalue()
    assert [r.width for r in photos[0].width_renditions("jpeg")] == [400, 800]
    assert photos[0].renditions.count() == 5


def test_rebuild_command_reports_a_photo_whose_file_is_gone():
    photo = photo_with(jpeg((900, 600)))
    default_storage.delete(photo.image.name)
    Rendition.objects.all().delete()
    err = StringIO()
    with pytest.raises(Exception, match="could not be read"):
        call_command("rebuild_renditions", stdout=StringIO(), stderr=err)
    assert f"photo {photo.pk}" in err.getvalue()


# The photo desk's list -------------------------------------------------------


def test_photo_list_shows_small_renditions_never_the_original(admin_client):
    photo = photo_with(jpeg((3000, 2000)))
    html = admin_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert photo.thumbnail_rendition.file.url in html
    assert photo.thumbnail_rendition.width == 480
    assert photo.image.url not in html


def test_photo_list_filters_photos_missing_their_file(admin_client):
    photo_with(jpeg((600, 400)), caption="Has its picture")
    PhotoFactory(image="", caption="Still waiting for the picture")
    url = reverse("admin:media_photo_changelist")
    html = admin_client.get(url, {"file": "missing"}).content.decode()
    assert "Still waiting for the picture" in html and "Has its picture" not in html
    assert "No file yet" in html


def test_photo_list_and_form_say_where_each_photo_is_used(admin_client):
    photo = photo_with(jpeg((600, 400)))
    article = ArticleFactory(lead_photo=photo, headline="Tram line reopens")
    journalist = JournalistFactory(name="Mara Quill", portrait=photo)
    html = admin_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert "Lead photo: <a href=" in html and "Tram line reopens" in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "Portrait: <a href=" in html and "Mara Quill" in html
    assert reverse("admin:people_journalist_change", args=[journalist.pk]) in html
    change = admin_client.get(reverse("admin:media_photo_change", args=[photo.pk]))
    assert "Tram line reopens" in change.content.decode()
    assert 'class="focal-point"' in change.content.decode()


def test_photo_list_queries_do_not_grow_with_photos(
    admin_client, django_assert_max_num_queries
):
    for number in range(12):
        photo = photo_with(jpeg((500, 300)))
        ArticleFactory(lead_photo=photo)
        JournalistFactory(portrait=photo if number % 2 else None)
    PhotoFactory(image="")
    # 13: on PostgreSQL the date hierarchy reads the first and last date, then
    # probes each year (newsroom/admin_lists.py), instead of one full scan.
    with django_assert_max_num_queries(13):
        response = admin_client.get(reverse("admin:media_photo_changelist"))
    assert response.content.decode().count('width="100"') == 12


def test_photo_history_is_kept(admin_client):
    photo = photo_with(jpeg((500, 300)))
    admin_client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        photo_form(photo, caption="Corrected caption: the boats return at dusk."),
    )
    history = admin_client.get(reverse("admin:media_photo_history", args=[photo.pk]))
    from reversion.models import Version

    [version] = Version.objects.get_for_object(photo)
    assert version.field_dict["caption"] == (
        "Corrected caption: the boats return at dusk."
    )
    created = timezone.localtime(version.revision.date_created)
    assert table_rows(history.content.decode(), "change-history") == [
        f"{formats.date_format(created, 'DATETIME_FORMAT')} admin Changed Caption."
    ]


@pytest.mark.parametrize(
    "name",
    [
        "photos/a.jpg",
        "photos/two words & é.webp",
        "photos//a.jpg",
        "../a.jpg",
        "photos/./a.jpg",
        "/photos/a.jpg",
        "photos/a?b#c.jpg",
    ],
)
@pytest.mark.parametrize(
    "base", ["/uploads/", "/media//x/", "https://cdn.example.com/m/"]
)
def test_a_files_address_is_what_its_storage_gives(name, base):
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile

    from media.models import file_url

    field = Rendition._meta.get_field("file")
    file = FieldFile(None, field, name)
    file.storage = FileSystemStorage(base_url=base)
    assert file_url(file) == file.url
