from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache


# Never kept by the page cache: it answers as the setting says right now.
@never_cache
def indexnow_key(request, key):
    """The IndexNow key file: the key, as plain text, at /<key>.txt."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404("No such file.")
    return HttpResponse(key, content_type="text/plain; charset=utf-8")
