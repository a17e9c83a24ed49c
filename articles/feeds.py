"""RSS 2.0 and Atom feeds: latest stories, per section, per author, corrections.

Items carry the full standfirst, the authors, publication and update times,
the section and tags, and the lead photo (Media RSS, with caption and credit).
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from newsroom.validation import clean_text
from people.models import Journalist

from .models import Article, Section
from .queries import attach_tags, bylined, public_corrections, story_list
from .structured_data import photo_image

FEED_ITEMS = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def xml_safe(value):
    """``value`` (a string, or a list, tuple or dict of them) with every character
    XML 1.0 cannot carry removed. Stored text is cleaned on the way in; this is
    for rows written before that, or around it (``QuerySet.update()``), so one
    bad headline or tag can never take a feed down."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    return value


class XmlSafeMixin:
    """A feed generator that writes only characters XML allows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **xml_safe(kwargs))


class MediaRssMixin:
    """Adds a story's photo as ``<media:content>`` with caption and credit."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if photo := item.get("photo"):
            attributes = {"url": photo["url"], "medium": "image"}
            if photo["width"] and photo["height"]:
                attributes |= {
                    "width": str(photo["width"]),
                    "height": str(photo["height"]),
                }
            handler.startElement("media:content", attributes)
            handler.addQuickElement(
                "media:description", photo["caption"], {"type": "plain"}
            )
            if photo["credit"]:
                handler.addQuickElement("media:credit", photo["credit"])
            handler.endElement("media:content")


class WebSubMixin:
    """Names the WebSub hub beside the feed's own address (``rel="self"``,
    which Django writes) when ``WEBSUB_HUB_URL`` is set."""

    hub_element = "link"

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if settings.WEBSUB_HUB_URL:
            handler.addQuickElement(
                self.hub_element, None, {"rel": "hub", "href": settings.WEBSUB_HUB_URL}
            )


class StoryRss(XmlSafeMixin, MediaRssMixin, WebSubMixin, Rss201rev2Feed):
    hub_element = "atom:link"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}


class StoryAtom(XmlSafeMixin, MediaRssMixin, WebSubMixin, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}


class StoryFeed(Feed):
    """Published stories, newest first. Subclasses choose which."""

    feed_type = StoryRss

    def __call__(self, request, *args, **kwargs):
        # Feed objects are shared between requests: keep the request on a copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def stories(self, obj):
        return story_list(Article.objects.all())

    def items(self, obj):
        return attach_tags(self.stories(obj)[:FEED_ITEMS])

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst

    def item_author_name(self, item):
        return item.author_names or None

    def item_author_link(self, item):
        authors = item.author_bylines
        if authors:
            return self.request.build_absolute_uri(
                authors[0].journalist.get_absolute_url()
            )
        return None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_updated

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tag_list)]

    def item_extra_kwargs(self, item):
        image = photo_image(self.request, item.lead_photo, social=False)
        if image is None:
            return {}
        url, width, height = image
        photo = item.lead_photo
        return {
            "photo": {
                "url": url,
                "width": width,
                "height": height,
                "caption": photo.caption,
                "credit": photo.credit,
            }
        }


class LatestStoriesFeed(StoryFeed):
    def title(self):
        return f"{settings.NEWSROOM_NAME}: latest stories"

    def link(self):
        return reverse("articles:index")

    def description(self):
        return f"The latest stories from {settings.NEWSROOM_NAME}."


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, obj):
        return story_list(obj.articles.all())

    def title(self, obj):
        return f"{settings.NEWSROOM_NAME}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories."


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Journalist, slug=slug)

    def stories(self, obj):
        # The newest ids from the journalist's bylines (``queries.bylined``),
        # then only those rows.
        index = bylined(obj.pk)
        ids = index.ids()[:FEED_ITEMS]
        return index.in_order(story_list(Article.objects.filter(pk__in=Subquery(ids))))

    def title(self, obj):
        return f"{settings.NEWSROOM_NAME}: stories by {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"The latest stories by {obj.name}."


class CorrectionsFeed(StoryFeed):
    """The newsroom's public record of what it got wrong."""

    def title(self):
        return f"{settings.NEWSROOM_NAME}: corrections"

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return f"Every correction {settings.NEWSROOM_NAME} has published."

    def items(self):
        return public_corrections()[:FEED_ITEMS]

    def item_title(self, item):
        return f"Correction: {item.article.headline}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.article.get_absolute_url() + "#corrections"

    def item_guid(self, item):
        return self.request.build_absolute_uri(
            f"{item.article.get_absolute_url()}#correction-{item.pk}"
        )

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return None

    def item_author_link(self, item):
        return None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return ["Corrections"]

    def item_extra_kwargs(self, item):
        return {}


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = StoryAtom
    subtitle = LatestStoriesFeed.description


class SectionAtomFeed(SectionFeed):
    feed_type = StoryAtom
    subtitle = SectionFeed.description


class AuthorAtomFeed(AuthorFeed):
    feed_type = StoryAtom
    subtitle = AuthorFeed.description


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = StoryAtom
    subtitle = CorrectionsFeed.description
