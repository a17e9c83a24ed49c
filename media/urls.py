"""The address uploads are served at: ``UPLOAD_URL`` (``MEDIA_URL``), when it is
a path on this site. A full URL (a CDN, a bucket) is served elsewhere."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import re_path

from . import views

app_name = "media"


def upload_prefix(url):
    """The URL path uploads are routed under, without its leading slash, or
    None when ``url`` is on another host or would swallow the whole site."""
    parts = urlsplit(url)
    prefix = parts.path.lstrip("/")
    if parts.scheme or parts.netloc or not prefix.strip("/"):
        return None
    return prefix if prefix.endswith("/") else f"{prefix}/"


urlpatterns = []
if (prefix := upload_prefix(settings.MEDIA_URL)) is not None:
    urlpatterns.append(
        re_path(rf"^{re.escape(prefix)}(?P<name>.+)\Z", views.upload, name="upload")
    )
