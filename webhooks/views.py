from django.conf import settings
from django.http import Http404, HttpResponse


def indexnow_key(request, key):
    """The IndexNow key file: the key, as plain text, at /<key>.txt."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404("No such file.")
    return HttpResponse(key, content_type="text/plain; charset=utf-8")
