"""A story as a webhook or a ping carries it, built where no request is."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from articles.api import StoryOut, published_stories
from newsroom.api import api


class SiteRequest(HttpRequest):
    """A request for the site's own address (``NEWSROOM_SITE_URL``), so that
    absolute URLs built in a task are those readers see."""

    def __init__(self):
        super().__init__()
        parts = urlsplit(settings.NEWSROOM_SITE_URL)
        self._site_scheme = parts.scheme
        self._site_host = parts.netloc
        self.method = "GET"
        self.META["HTTP_HOST"] = parts.netloc

    def _get_scheme(self):
        return self._site_scheme

    def get_host(self):
        return self._site_host


def absolute(path):
    return SiteRequest().build_absolute_uri(path)


def api_representation(article_id):
    """The story as ``GET /api/stories/<id>/`` returns it (same schema, same
    JSON encoder), or None when it is not public."""
    story = published_stories().filter(pk=article_id).first()
    if story is None:
        return None
    request = SiteRequest()
    context = {"request": request, "response_status": 200}
    data = StoryOut.model_validate(story, context=context).model_dump(context=context)
    return json.loads(api.renderer.render(request, data, response_status=200))


def notice(article):
    """What is said about a story that is no longer public."""
    return {
        "id": article.pk,
        "slug": article.slug,
        # None for a story filed in no section: it has no address now.
        "url": absolute(path) if (path := article.get_absolute_url()) else None,
        "headline": article.headline,
    }
