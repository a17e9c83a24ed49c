"""The story form previews the lead photo as soon as it is chosen or added.

The preview reads the photo admin's preview (JSON: the picture, caption,
credit, alt text and what publishing will still ask for), for staff who may
view photos; the "+" pop-up's photo form lets the focal point be set on the
chosen file before the first save.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.urls import reverse

from media.models import Photo
from media.services import attach_picture

from .factories import ArticleFactory, PhotoFactory
from .markup import ancestors, parse
from .picture_files import jpeg, upload
from .test_desk import change_url, member, signed_in

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:media_photo_preview")
ADD_PHOTO = reverse("admin:media_photo_add")


def with_class(page, name):
    """The first element of ``page`` (``markup.parse``) with class ``name``."""
    return next(
        e for e in page.elements if name in (e.attrs.get("class") or "").split()
    )


def inside(page, element, tag):
    """The ``tag`` elements inside ``element``."""
    return [e for e in page.elements if e.tag == tag and element in ancestors(e)]


def script_sources(page):
    return [e.attrs.get("src") or "" for e in page.find_all("script")]


def preview(client, photo_id):
    return client.get(PREVIEW, {"photo": photo_id})


@pytest.fixture
def photo():
    return attach_picture(
        photo=PhotoFactory(
            image="",
            caption="Boats at the harbour wall.",
            credit="Ana Ruiz/The Newsroom",
            alt_text="Fishing boats moored beside a stone wall.",
        ),
        file=ContentFile(jpeg((1200, 800), "teal")),
        name="boats.jpg",
    )


@pytest.mark.parametrize("role", ["Reporter", "Editor", "Photo editor"])
def test_staff_who_may_view_photos_get_the_preview(client, photo, role):
    signed_in(client, member("desk", role))
    response = preview(client, photo.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )
    data = response.json()
    assert data["caption"] == "Boats at the harbour wall."
    assert data["credit"] == "Ana Ruiz/The Newsroom"
    assert data["alt_text"] == "Fishing boats moored beside a stone wall."
    assert data["missing"] == []
    # A small rendition, not the 1200-pixel original.
    assert data["image"]["url"] == photo.thumbnail_rendition.file.url
    assert data["image"]["width"] < 1200


def test_the_preview_says_what_the_photo_still_needs(client):
    bare = PhotoFactory(caption="", credit="", alt_text="Gulls over the pier.")
    signed_in(client, member("ed", "Editor"))
    data = preview(client, bare.pk).json()
    assert data["missing"] == ["a caption", "a credit"]


def test_a_photo_without_its_file_is_previewed_as_missing(client):
    lost = PhotoFactory(image="")
    signed_in(client, member("ed", "Editor"))
    assert preview(client, lost.pk).json()["image"] is None


def test_the_preview_is_for_staff_who_may_view_photos_only(client, photo):
    assert preview(client, photo.pk).status_code == 302  # to the login page
    reader = User.objects.create_user("reader", password="pw-for-tests")
    signed_in(client, reader)
    assert preview(client, photo.pk).status_code == 302
    staff = User.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    signed_in(client, staff)
    assert preview(client, photo.pk).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_photo"))
    signed_in(client, User.objects.get(pk=staff.pk))
    assert preview(client, photo.pk).status_code == 200


@pytest.mark.parametrize(
    "value, status",
    [
        ("", 400),
        ("abc", 400),
        ("-1", 400),
        ("١٢", 400),
        ("9" * 40, 400),
        ("999999", 404),
    ],
)
def test_a_bad_or_unknown_photo_number_is_a_clear_4xx(client, value, status):
    signed_in(client, member("ed", "Editor"))
    response = preview(client, value)
    assert response.status_code == status
    assert response.json()["error"]


def test_the_preview_only_answers_reads(client, photo):
    signed_in(client, member("ed", "Editor"))
    assert client.post(PREVIEW + f"?photo={photo.pk}").status_code == 405


def test_the_preview_costs_a_fixed_number_of_queries(
    client, photo, django_assert_max_num_queries
):
    signed_in(client, member("ed", "Editor"))
    preview(client, photo.pk)
    with django_assert_max_num_queries(6):  # session, user, rights, photo, renditions
        assert preview(client, photo.pk).status_code == 200


def test_the_story_form_has_a_preview_the_script_redraws(client, photo):
    story = ArticleFactory(draft=True, lead_photo=photo)
    signed_in(client, member("ed", "Editor"))
    page = parse(client.get(change_url(story)).content.decode())
    card = with_class(page, "lead-photo-card")
    assert card.attrs["data-preview-url"] == PREVIEW
    assert card.attrs["aria-live"] == "polite"
    assert inside(page, card, "img")[0].attrs["alt"] == photo.alt_text
    assert "Boats at the harbour wall." in card.text
    assert any(
        src.endswith("articles/lead-photo-preview.js") for src in script_sources(page)
    )
    script = (
        Path(__file__).parents[1] / "articles/static/articles/lead-photo-preview.js"
    )
    assert ".innerHTML" not in script.read_text()  # text as text, never markup


def test_a_story_without_a_photo_says_so_in_the_preview(client):
    story = ArticleFactory(draft=True)
    signed_in(client, member("ed", "Editor"))
    page = parse(client.get(change_url(story)).content.decode())
    assert "No lead photo" in with_class(page, "lead-photo-card").text


def test_the_photo_pop_up_offers_the_focal_point_before_the_first_save(client):
    signed_in(client, member("ed", "Editor"))
    page = parse(
        client.get(ADD_PHOTO, {"_to_field": "id", "_popup": "1"}).content.decode()
    )
    picker = with_class(page, "focal-point")
    assert "focal-point--pending" in picker.attrs["class"]
    assert "click its subject" in picker.text
    assert "hidden" in inside(page, picker, "img")[0].attrs
    assert any(src.endswith("media/focal-point.js") for src in script_sources(page))


def test_saving_the_pop_up_keeps_the_focal_point_and_hands_the_photo_back(client):
    signed_in(client, member("ed", "Editor"))
    response = client.post(
        f"{ADD_PHOTO}?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "image": upload("quay.jpg", jpeg((900, 600), "navy")),
            "caption": "The new quay.",
            "credit": "Teo Vance/The Newsroom",
            "alt_text": "A concrete quay with a crane.",
            "focal_x": "0.8",
            "focal_y": "0.25",
            "original_filename": "",
        },
    )
    assert response.status_code == 200
    photo = Photo.objects.get(caption="The new quay.")
    assert (photo.focal_x, photo.focal_y) == (0.8, 0.25)
    # The pop-up's answer, which the story form's field takes (and redraws
    # the preview from).
    [popup] = parse(response.content.decode()).find_all(
        "script", id="django-admin-popup-response-constants"
    )
    assert json.loads(popup.attrs["data-popup-response"])["value"] == str(photo.pk)
    assert preview(client, photo.pk).json()["caption"] == "The new quay."


def test_a_new_story_form_has_the_preview_too(client):
    signed_in(client, member("ed", "Editor"))
    page = parse(client.get(reverse("admin:articles_article_add")).content.decode())
    card = with_class(page, "lead-photo-card")
    assert card.attrs["data-preview-url"] == PREVIEW
    assert "No lead photo" in card.text
