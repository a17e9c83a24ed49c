"""Site-wide pages that belong to no one app: robots.txt, the sitemap index
(each app's sitemaps are its own) and the error pages."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from articles import sitemaps


def robots_txt(request):
    sitemap_urls = [
        request.build_absolute_uri(reverse("sitemap")),
        request.build_absolute_uri(reverse("articles:news_sitemap")),
    ]
    return render(
        request, "robots.txt", {"sitemaps": sitemap_urls}, content_type="text/plain"
    )


def sitemap_index(request):
    """sitemap.xml: the site's pages, sections and authors, and one sitemap
    of stories a month with its latest change."""
    return sitemaps.index_response(request)


def server_error(request):
    """The 500 page in the site's design, rendered without touching the database."""
    html = loader.render_to_string(
        "500.html", {"newsroom_name": settings.NEWSROOM_NAME}
    )
    return HttpResponseServerError(html)
