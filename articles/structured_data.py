"""What machines read about a story: schema.org JSON-LD and social-card metadata.

Built as plain dicts from a story loaded with ``queries.with_story_data``;
``articles/templating.py`` writes them out, safely escaped, for the page.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import to_locale

from newsroom.addresses import slug_url


def absolute_url(request, path):
    """``request.build_absolute_uri(path)``. For a plain absolute path (what
    the page's addresses and storage URLs are) that is the request's scheme
    and host before it, as an IRI made a URI; the page asks some six times."""
    if (
        isinstance(path, str)
        and path.startswith("/")
        and not path.startswith("//")
        and "/./" not in path
        and "/../" not in path
        # (Django's own, worked out once per request.)
        and (base := getattr(request, "_current_scheme_host", None)) is not None
    ):
        return iri_to_uri(base + path)
    return request.build_absolute_uri(path)


def _once(request, instance, key, make):
    """``make()``, once per request for ``instance``: the story page asks for
    its address, its canonical address and its photo's share image in its
    ``<link>``, its social tags and its JSON-LD."""
    known = instance.__dict__.get("_structured_data")
    if known is None or known[0] is not request:
        known = instance.__dict__["_structured_data"] = (request, {})
    made = known[1]
    if key not in made:
        made[key] = make()
    return made[key]


def photo_image(request, photo, *, social=True):
    """(absolute URL, width, height) of the photo's share image
    (``Photo.share_image``), or None."""
    if photo is None:
        return None
    return _once(
        request, photo, ("image", social), lambda: _image(request, photo, social)
    )


def _image(request, photo, social):
    image = photo.share_image(social=social)
    if image is None:
        return None
    url, width, height = image
    return absolute_url(request, url), width, height


def story_url(request, article):
    """The story's public address, absolute; None for a draft with no section
    yet (no address: seen only in the desk's preview)."""

    def address():
        path = article.get_absolute_url()
        return absolute_url(request, path) if path is not None else None

    return _once(request, article, "url", address)


def canonical_url(request, article):
    """The original's address for syndicated copy, else the story's own."""
    return article.original_url or story_url(request, article)


def iso(moment):
    """ISO 8601 in the newsroom's time zone (None stays None)."""
    return timezone.localtime(moment).isoformat() if moment else None


def language_tag():
    """The site language as a BCP 47 tag, e.g. “en-GB”."""
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": absolute_url(request, slug_url("articles:index")),
    }


def _person(request, byline):
    return {
        "@type": "Person",
        "name": byline.journalist.name,
        "url": absolute_url(request, byline.journalist.get_absolute_url()),
    }


def page_title(article):
    """The story page's <title>: “SEO title (or headline) — The Newsroom”."""
    return f"{article.meta_title} — {settings.NEWSROOM_NAME}"


def news_article(request, article):
    """schema.org NewsArticle for one story."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": canonical_url(request, article),
        "url": story_url(request, article),
        "headline": article.headline,
        "description": article.meta_description,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.last_updated),
        "articleSection": article.section.name if article.section else None,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": language_tag(),
        "isAccessibleForFree": True,
        "author": [_person(request, b) for b in article.author_bylines],
        "publisher": publisher(request),
    }
    if contributors := article.contributor_bylines:
        data["contributor"] = [_person(request, b) for b in contributors]
    if article.dateline:
        data["dateline"] = article.dateline
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if image := photo_image(request, article.lead_photo):
        url, width, height = image
        photo = article.lead_photo
        data["image"] = {
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "caption": photo.caption,
            "creditText": photo.credit,
            **({"width": width, "height": height} if width and height else {}),
        }
    if article.publication:
        data["sourceOrganization"] = {
            "@type": "NewsMediaOrganization",
            "name": article.publication.name,
            **({"url": website} if (website := article.publication.website) else {}),
        }
        if article.original_url:
            data["isBasedOn"] = article.original_url
    if corrections := article.corrections.all():
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": iso(correction.published_at),
            }
            for correction in corrections
        ]
    return {key: value for key, value in data.items() if value is not None}


def social_meta(request, article):
    """Open Graph and Twitter card properties, as (attribute, key, value) rows."""
    url = canonical_url(request, article)
    title, description = article.meta_title, article.meta_description
    rows = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", settings.NEWSROOM_NAME),
        ("property", "og:title", title),
        ("property", "og:description", description),
    ]
    if url:
        rows.append(("property", "og:url", url))
    if article.section:
        rows.append(("property", "article:section", article.section.name))
    if article.published_at:
        rows.append(("property", "article:published_time", iso(article.published_at)))
        rows.append(("property", "article:modified_time", iso(article.last_updated)))
    rows += [("property", "article:tag", tag.name) for tag in article.tags.all()]
    image = photo_image(request, article.lead_photo)
    rows.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    rows += [
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        url, width, height = image
        alt = article.lead_photo.alt_text
        rows += [("property", "og:image", url), ("property", "og:image:alt", alt)]
        if width and height:
            rows += [
                ("property", "og:image:width", str(width)),
                ("property", "og:image:height", str(height)),
            ]
        rows += [("name", "twitter:image", url), ("name", "twitter:image:alt", alt)]
    return rows
