"""A published story as an IPTC ninjs 3.x item, for partners' systems.

The item validates against IPTC's ninjs 3.1 JSON Schema, and our own reader
(``articles.importing.ninjs.read_ninjs``) reads back everything it carries:
headline, standfirst, HTML body, authors, dateline, publication time,
copyright holder, tags and the lead photo's caption, credit and alt text.
"""

import mimetypes

from django.conf import settings
from django.utils import timezone

from .structured_data import iso, language_tag, story_url

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"


def story_to_ninjs(request, article):
    """The ninjs item for ``article`` (loaded with ``queries.with_story_data``)."""
    url = story_url(request, article)
    published = iso(article.published_at)
    authors = [byline.journalist for byline in article.author_bylines]
    item = {
        "uri": url,
        "type": "text",
        "representationType": "full",
        "profile": "text-photo" if article.lead_photo else "text-only",
        "standard": {
            "name": "ninjs",
            "version": NINJS_VERSION,
            "schema": NINJS_SCHEMA,
        },
        "firstCreated": published,
        "versionCreated": iso(article.last_updated),
        "pubStatus": "usable",
        "language": language_tag(),
        "copyrightHolder": (
            article.publication.name if article.publication else settings.NEWSROOM_NAME
        ),
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [{"role": "main", "contentType": "text/html", "value": article.body}],
        "altIds": [{"role": "id", "value": str(article.pk)}],
    }
    if article.standfirst:
        item["descriptions"] = [{"role": "summary", "value": article.standfirst}]
    if authors:
        item["by"] = article.author_names
    people = [
        _person(
            request, byline.journalist, "author" if not byline.role else "contributor"
        )
        for byline in article.bylines.all()
    ]
    people += _quoted_people(request, article)
    if people:
        item["people"] = people
    if article.dateline:
        item["located"] = article.dateline
    if tags := [tag.name for tag in article.tags.all()]:
        item["subjects"] = [{"name": name, "rel": "about"} for name in tags]
    if article.publication:
        source = {"name": article.publication.name, "role": "originator"}
        if article.original_url:
            source["uri"] = article.original_url
        item["infoSources"] = [source]
    if corrections := article.corrections.all():
        item["bodies"].append(
            {
                "role": "corrections",
                "contentType": "text/plain",
                "value": "\n\n".join(
                    f"{timezone.localdate(c.published_at).isoformat()}: {c.text}"
                    for c in corrections
                ),
            }
        )
    if picture := _picture(request, article):
        item["associations"] = [picture]
    return item


def _person(request, journalist, rel):
    return {
        "name": journalist.name,
        "rel": rel,
        "uri": request.build_absolute_uri(journalist.get_absolute_url()),
    }


def _quoted_people(request, article):
    """On-record people quoted in the story (anonymous sources are never named)."""
    return [
        {"name": source.name, "rel": "source"}
        for source in article.quoted_sources(on_record_only=True)
    ]


def _renditions(request, photo):
    """The original file, then each stored JPEG width the photos app has made."""
    original = {
        "name": "original",
        "href": request.build_absolute_uri(photo.image.url),
        "contentType": _content_type(photo.image.name),
    }
    if photo.width and photo.height:
        original |= {"width": photo.width, "height": photo.height}
    renditions = [original]
    for rendition in photo.width_renditions("jpeg"):
        renditions.append(
            {
                "name": f"{rendition.width}w",
                "href": request.build_absolute_uri(rendition.url),
                "contentType": "image/jpeg",
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    return renditions


def _content_type(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _picture(request, article):
    photo = article.lead_photo
    if photo is None:
        return None
    picture = {
        "name": "leadPhoto",
        "rel": "lead",
        "uri": f"{story_url(request, article)}#lead-photo",
        "type": "picture",
        "descriptions": [
            {"role": "caption", "value": photo.caption},
            {"role": "alt", "value": photo.alt_text},
        ],
        "by": photo.credit,
    }
    if photo.has_file:
        picture["renditions"] = _renditions(request, photo)
    return picture
