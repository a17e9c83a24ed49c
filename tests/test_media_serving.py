"""Uploaded photos answer at UPLOAD_URL with DEBUG off, as they will in production."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils.http import http_date
from PIL import Image

from media.models import Photo
from media.services import attach_picture

from .picture_files import animation, jpeg, png

pytestmark = pytest.mark.django_db

A_YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def photo():
    photo = Photo(
        caption="The harbour wall at dusk.", credit="Jo Lee", alt_text="A wall"
    )
    attach_picture(photo=photo, file=ContentFile(jpeg((1000, 600))), name="wall.jpg")
    return photo


@pytest.fixture
def outside(uploads_in_tmp):
    """A real picture next to the upload folder, which must never be served."""
    (uploads_in_tmp / "photos").mkdir(parents=True, exist_ok=True)
    secret = uploads_in_tmp.parent / "secret.jpg"
    secret.write_bytes(jpeg((20, 20), "red"))
    return secret


def body(response):
    return b"".join(response.streaming_content)


def test_an_uploaded_photo_is_served_with_debug_off(client, photo):
    with photo.image.open("rb") as handle:
        stored = handle.read()

    response = client.get(photo.image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == stored
    assert response["Content-Length"] == str(len(stored))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Last-Modified"] and response["ETag"]
    # An original's name may come back with another picture after its photo
    # is deleted, so it is not cached for good.
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "Cookie" not in response.get("Vary", "")


def test_renditions_are_served_with_their_type_and_cached_for_a_year(client, photo):
    webp = photo.width_renditions("webp")[0]
    card = photo.social_rendition

    webp_response = client.get(webp.url)
    card_response = client.get(card.url)

    assert webp_response.status_code == card_response.status_code == 200
    assert webp_response["Content-Type"] == "image/webp"
    assert card_response["Content-Type"] == "image/jpeg"
    assert webp_response["Cache-Control"] == card_response["Cache-Control"] == A_YEAR
    served = Image.open(io.BytesIO(body(webp_response)))
    assert (served.format, served.size) == ("WEBP", (webp.width, webp.height))


def test_serving_a_photo_reads_no_database(client, photo, django_assert_num_queries):
    url = photo.social_rendition.url
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_a_browser_holding_the_photo_gets_304(client, photo):
    url = photo.image.url
    first = client.get(url)

    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == first["Cache-Control"]


def test_a_changed_file_is_sent_again(client, photo):
    url = photo.image.url
    stale = client.get(url, headers={"If-None-Match": '"0-0"'})
    old = client.get(url, headers={"If-Modified-Since": http_date(0)})
    assert stale.status_code == old.status_code == 200


def test_head_answers_with_the_headers_and_post_is_refused(client, photo):
    head = client.head(photo.image.url)
    assert head.status_code == 200
    assert head["Content-Type"] == "image/jpeg"
    assert client.post(photo.image.url).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/uploads/../secret.jpg",
        "/uploads/%2e%2e/secret.jpg",
        "/uploads/%2E%2E%2Fsecret.jpg",
        "/uploads/photos/../../secret.jpg",
        "/uploads/..%5csecret.jpg",
        "/uploads/%252e%252e/secret.jpg",
        "/uploads/../../manage.py",
        "/uploads//etc/passwd",
        "/uploads/%00.jpg",
    ],
)
def test_names_that_climb_out_of_the_upload_folder_are_404(client, outside, url):
    assert client.get(url).status_code == 404


def test_a_link_out_of_the_upload_folder_is_404(client, photo, outside):
    link = outside.parent / "uploads" / "photos" / "link.jpg"
    link.symlink_to(outside)
    assert client.get("/uploads/photos/link.jpg").status_code == 404


def test_folders_and_missing_files_are_404(client, photo):
    folder = photo.image.name.rsplit("/", 1)[0]
    assert client.get(f"/uploads/{folder}/").status_code == 404
    assert client.get(f"/uploads/{folder}").status_code == 404
    assert client.get("/uploads/").status_code == 404
    assert client.get(f"/uploads/{folder}/nothing-here.jpg").status_code == 404


def test_a_file_that_is_not_a_picture_is_never_served(client, uploads_in_tmp):
    (uploads_in_tmp / "photos").mkdir(parents=True, exist_ok=True)
    (uploads_in_tmp / "photos" / "page.jpg").write_text("<script>alert(1)</script>")
    assert client.get("/uploads/photos/page.jpg").status_code == 404


def test_the_type_comes_from_the_content_not_the_name(client, uploads_in_tmp):
    (uploads_in_tmp / "photos").mkdir(parents=True, exist_ok=True)
    (uploads_in_tmp / "photos" / "chart.jpg").write_bytes(png())
    response = client.get("/uploads/photos/chart.jpg")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("moving", [False, True], ids=["still-gif87a", "moving-gif89a"])
def test_an_uploaded_gif_of_either_version_is_served_as_a_gif(client, moving):
    """A still GIF is written GIF87a, a moving one GIF89a: both are pictures."""
    still = io.BytesIO()
    Image.new("P", (40, 30), 3).save(still, "GIF")
    data = animation("GIF") if moving else still.getvalue()
    photo = Photo(caption="Tide chart.", credit="Jo Lee", alt_text="A chart")
    attach_picture(photo=photo, file=ContentFile(data), name="tide.gif")
    with photo.image.open("rb") as handle:
        version = handle.read(6)
    assert version == (b"GIF89a" if moving else b"GIF87a")

    response = client.get(photo.image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"


def test_debug_on_serves_the_same_way(client, photo, settings):
    settings.DEBUG = True
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


def test_with_object_storage_the_app_serves_no_local_files(client, photo, settings):
    path = photo.image.path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    name = path.split("/uploads/", 1)[1]
    assert client.get(f"/uploads/{name}").status_code == 404


def test_the_reader_site_shows_photos_that_answer(client, photo):
    from .factories import ArticleFactory

    article = ArticleFactory(lead_photo=photo)
    page = client.get(article.get_absolute_url()).content.decode()

    fallback = photo.fallback_rendition.url
    assert f'src="{fallback}"' in page
    assert client.get(fallback).status_code == 200
