"""WebSub and IndexNow: telling hubs and search engines a story changed.

Each is off until its setting is set (``WEBSUB_HUB_URL``, ``INDEXNOW_KEY``).
A ping that fails is logged and not retried: the next change pings again, and
hubs and search engines also poll.
"""

import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Correction
from newsroom.logging import one_line

from .story import absolute

logger = logging.getLogger("newsroom.faults")


def story_feeds(article):
    """The addresses of every feed ``article`` is (or was) in."""
    names = [("articles:latest_rss", {}), ("articles:latest_atom", {})]
    if article.section is not None:  # a draft may be filed in no section
        names += [
            (f"articles:section_{kind}", {"slug": article.section.slug})
            for kind in ("rss", "atom")
        ]
    authors = article.bylines.values_list("journalist__slug", flat=True).distinct()
    for slug in authors:
        names += [(f"articles:author_{k}", {"slug": slug}) for k in ("rss", "atom")]
    if Correction.objects.filter(article=article).exists():
        names += [("articles:corrections_rss", {}), ("articles:corrections_atom", {})]
    return [absolute(reverse(name, kwargs=kwargs)) for name, kwargs in names]


def _post(what, url, **kwargs):
    timeout = settings.NEWSROOM_OUTBOUND_TIMEOUT
    try:
        response = requests.post(url, timeout=(timeout, timeout), **kwargs)
    except requests.RequestException as exc:
        logger.warning("%s ping to %s failed: %s", what, url, one_line(exc))
        return None
    if not 200 <= response.status_code < 300:
        logger.warning(
            "%s ping to %s answered %s: %s",
            what,
            url,
            response.status_code,
            one_line(response.text, 200),
        )
    return response.status_code


def websub(*, article_id):
    """``hub.mode=publish`` for each of the story's feeds."""
    hub = settings.WEBSUB_HUB_URL
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if not hub or article is None:
        return []
    return [
        _post("WebSub", hub, data={"hub.mode": "publish", "hub.url": feed})
        for feed in story_feeds(article)
    ]


def key_location():
    return absolute(reverse("webhooks:indexnow_key", args=[settings.INDEXNOW_KEY]))


def indexnow(*, article_id):
    """The story's address to IndexNow (it then fetches it: a 404 or 410
    tells it the story is gone)."""
    key = settings.INDEXNOW_KEY
    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if not key or article is None or article.get_absolute_url() is None:
        return None  # (a story in no section has no address to tell of)
    return _post(
        "IndexNow",
        settings.INDEXNOW_ENDPOINT,
        json={
            "host": urlsplit(settings.NEWSROOM_SITE_URL).hostname,
            "key": key,
            "keyLocation": key_location(),
            "urlList": [absolute(article.get_absolute_url())],
        },
    )
