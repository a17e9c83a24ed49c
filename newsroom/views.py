"""Site-wide pages that belong to no one app: robots.txt, the sitemap index
(each app's sitemaps are its own) and the error pages."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import sitemaps as story_sitemaps


def robots_txt(request):
    sitemap_urls = [
        request.build_absolute_uri(reverse("sitemap")),
        request.build_absolute_uri(reverse("articles:news_sitemap")),
    ]
    return render(
        request, "robots.txt", {"sitemaps": sitemap_urls}, content_type="text/plain"
    )


# The apps whose sitemaps the index lists: each gives (address, lastmod) pairs.
SITEMAP_ENTRIES = [story_sitemaps.index_entries]
SITEMAP_INDEX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def sitemap_index(request):
    """sitemap.xml: an index of the apps' sitemaps (the site's pages, sections
    and authors, and one sitemap of stories a month), each with its latest
    change.

    What Django's sitemap index view writes, written here a line a sitemap:
    a million stories make 134 months, and the template cost more than the
    months' query."""
    zone = timezone.get_current_timezone()
    lines = [SITEMAP_INDEX]
    for entries in SITEMAP_ENTRIES:
        for location, lastmod in entries(request):
            when = ""
            if lastmod is not None:
                when = f"<lastmod>{lastmod.astimezone(zone).isoformat()}</lastmod>"
            lines.append(f"<sitemap><loc>{escape(location)}</loc>{when}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def server_error(request):
    """The 500 page in the site's design, rendered without touching the database."""
    html = loader.render_to_string(
        "500.html", {"newsroom_name": settings.NEWSROOM_NAME}
    )
    return HttpResponseServerError(html)
