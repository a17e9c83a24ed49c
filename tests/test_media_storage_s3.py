"""Photos on S3-compatible object storage, against a local S3 server.

The test run starts moto's S3 server on 127.0.0.1 (a free port) and points
Django's default storage at it through django-storages, exactly as the
NEWSROOM_S3_* variables do in production: nothing leaves the machine.
"""

import io
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image

from media.models import Photo

from .factories import ArticleFactory
from .picture_files import GPS_IFD, camera_jpeg, halves, upload

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")
pytest.importorskip("storages.backends.s3")

BUCKET = "newsroom-photos"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}
REGION = "us-east-1"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=0, verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """An empty bucket, made the default storage for this test."""
    # Never reach for real credentials or a real AWS config on this machine.
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch photos straight from the store, as README tells you to set up.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    # Changing STORAGES through the settings fixture resets Django's storage
    # handler and ``default_storage`` (django.test.signals.storages_changed),
    # which Photo.image and Rendition.file reach lazily.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "querystring_auth": False,
                "file_overwrite": False,
                **CREDENTIALS,
            },
        },
    }
    yield client
    keys = [
        item["Key"]
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    ]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.read()


@pytest.mark.django_db
def test_photos_round_trip_through_s3(
    bucket,
    s3_endpoint,
    uploads_in_tmp,
    admin_client,
    client,
    django_capture_on_commit_callbacks,
):
    data = camera_jpeg(halves((2400, 1600), "red", "blue"), orientation=6)
    response = admin_client.post(
        reverse("admin:media_photo_add"),
        {
            "image": upload("IMG_1234.JPG", data),
            "caption": "The harbour at first light.",
            "credit": "Jonah Pike",
            "alt_text": "Boats in a harbour at dawn.",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "original_filename": "",
        },
    )
    assert response.status_code == 302
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    local = Path(uploads_in_tmp)
    assert not local.exists() or not any(local.rglob("*.*"))  # nothing kept locally

    # Upload: the original is in the bucket, upright and without GPS.
    photo = Photo.objects.get()
    stored = keys(bucket)
    assert photo.image.name in stored
    original = bucket.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    image = Image.open(io.BytesIO(original))
    assert image.size == (1600, 2400) == (photo.width, photo.height)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert ExifTags.Base.Orientation not in image.getexif()

    # Renditions: all seven stored in the bucket, with the right sizes.
    renditions = list(photo.renditions.all())
    assert len(renditions) == 7
    assert {r.file.name for r in renditions} <= stored
    social = Image.open(io.BytesIO(fetch(photo.social_rendition.file.url)))
    assert (social.format, social.size) == ("JPEG", (1200, 630))

    # URLs: straight to the store, and they serve the pictures.
    webp = photo.width_renditions("webp")
    assert webp[0].file.url.startswith(f"{s3_endpoint}/{BUCKET}/photos/renditions/")
    served = Image.open(io.BytesIO(fetch(webp[0].file.url)))
    assert (served.format, served.size) == ("WEBP", (480, 720))
    page = client.get(ArticleFactory(lead_photo=photo).get_absolute_url())
    assert f"{webp[-1].file.url} 1600w" in page.content.decode()

    # Deletion: the photo's files leave the bucket with it.
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert keys(bucket) == set()


def test_s3_is_configured_from_the_environment():
    env = {
        **os.environ,
        "NEWSROOM_S3_BUCKET": "paper-photos",
        "NEWSROOM_S3_ENDPOINT_URL": "https://s3.example.net",
        "NEWSROOM_S3_REGION": "eu-central-1",
        "NEWSROOM_S3_CUSTOM_DOMAIN": "photos.paper.example",
    }
    script = (
        "import json; from newsroom import settings as s; "
        "print(json.dumps(s.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "paper-photos"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert default["OPTIONS"]["region_name"] == "eu-central-1"
    assert default["OPTIONS"]["custom_domain"] == "photos.paper.example"
    assert default["OPTIONS"]["querystring_auth"] is False
