"""Serving uploaded photos from this machine's upload folder, DEBUG on or off.

With the default storage (files under ``UPLOAD_ROOT``) the application answers
``UPLOAD_URL`` itself, so a fresh install shows its pictures with
``DEBUG=false``. A web server in front (nginx serving ``UPLOAD_ROOT`` at
``UPLOAD_URL``) does the same faster; with S3 the bucket serves the photos
and this view answers 404 (README, "Photos").

Only pictures are sent — the type is read from the file's first bytes, never
from its name — and only files inside ``UPLOAD_ROOT``: a name that climbs out
of it, a link pointing out of it, a folder or a missing file is a 404.
"""

import os
import stat
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .containers import picture_format
from .renditions import RENDITION_FOLDER

CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
# A rendition's name says which file, focal point and rendition version it
# was made from (``Photo.fingerprint``): a name never gets other content, so
# browsers and CDNs may keep it for good. An original's name can come back
# with another picture once its photo is deleted, so it is kept an hour and
# then checked again (a cheap 304 while it has not changed).
RENDITION_CACHE = "public, max-age=31536000, immutable"
ORIGINAL_CACHE = "public, max-age=3600"


@require_safe
def upload(request, name):
    """One uploaded picture, answering conditional requests with a 304."""
    handle = _open_upload(name)
    try:
        content_type, headers, modified = _describe(name, handle)
        unchanged = get_conditional_response(
            request, etag=headers["ETag"], last_modified=modified
        )
    except BaseException:
        handle.close()
        raise
    if unchanged is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        handle.close()
        response = unchanged
    if response.status_code in (200, 304):
        for header, value in headers.items():
            response.headers[header] = value
    return response


def _open_upload(name):
    """The open file ``name`` names inside the upload folder, or a 404."""
    if not isinstance(default_storage, FileSystemStorage):
        raise Http404("Uploads are served by the object store.")
    try:
        root = Path(default_storage.location).resolve()
        path = Path(default_storage.path(name)).resolve()
        if not path.is_relative_to(root):  # a link that leads out of it
            raise Http404("Outside the upload folder.")
        return path.open("rb")
    except (SuspiciousFileOperation, ValueError, OSError) as error:
        raise Http404("No such upload.") from error


def _describe(name, handle):
    """(content type, response headers, modification time) for a stored picture."""
    details = os.fstat(handle.fileno())
    content_type = CONTENT_TYPES.get(picture_format(handle.read(12)))
    handle.seek(0)
    if not stat.S_ISREG(details.st_mode) or content_type is None:
        raise Http404("Not a picture.")
    cache = RENDITION_CACHE if name.startswith(RENDITION_FOLDER) else ORIGINAL_CACHE
    headers = {
        "ETag": f'"{details.st_mtime_ns:x}-{details.st_size:x}"',
        "Last-Modified": http_date(details.st_mtime),
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
    }
    return content_type, headers, int(details.st_mtime)
