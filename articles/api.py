"""The stories of the read-only content API: the router ``newsroom.api`` mounts
at /api/.

Only published stories, through ``Article.objects.published()``. Anonymous
sources are never named, and no private source field is ever part of a schema.
"""

import datetime
import math
from typing import Any, Literal
from urllib.parse import urlencode

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate

from newsroom.counting import capped_count
from newsroom.pagination import PAGE_SIZE

from .models import Article
from .ninjs_export import story_to_ninjs
from .queries import with_story_data

NUMBERED_PAGES = 500  # 10,000 stories by page number; older ones by the links
COUNT_UP_TO = 10_000  # stories counted exactly; past that, estimated


def _absolute(context, path):
    return context["request"].build_absolute_uri(path)


class SectionOut(Schema):
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())


class BylineOut(Schema):
    name: str
    url: str
    role: str = Field(description="Empty for an author, e.g. “Additional reporting”.")

    @staticmethod
    def resolve_name(obj):
        return obj.journalist.name

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.journalist.get_absolute_url())


class PublicationOut(Schema):
    name: str
    canonical_url: str | None = Field(
        description="The original story's address, given as its canonical version."
    )


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    format: str = Field(description="webp or jpeg")


def _rendition(context, rendition):
    return {
        "url": _absolute(context, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "format": rendition.format,
    }


class PhotoOut(Schema):
    url: str | None = Field(description="Null while the picture has not arrived.")
    caption: str
    credit: str
    alt_text: str
    width: int | None
    height: int | None
    renditions: list[RenditionOut] = Field(
        description="The picture in each configured width, WebP and JPEG, for srcset."
    )
    social: RenditionOut | None = Field(description="The 1200×630 social-card crop.")

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.image.url) if obj.has_file else None

    @staticmethod
    def resolve_renditions(obj, context):
        return [
            _rendition(context, rendition)
            for fmt in ("webp", "jpeg")
            for rendition in obj.width_renditions(fmt)
        ]

    @staticmethod
    def resolve_social(obj, context):
        social = obj.social_rendition
        return _rendition(context, social) if social else None


class SourceOut(Schema):
    name: str = Field(
        description="For a source who asked not to be named, a description instead."
    )
    description: str
    on_record: bool
    url: str | None = Field(description="The source's page; null when not on record.")

    @staticmethod
    def resolve_name(obj):
        return obj.public_name

    @staticmethod
    def resolve_description(obj):
        # An anonymous source's description already stands in for the name.
        return obj.description if obj.on_record else ""

    @staticmethod
    def resolve_url(obj, context):
        if not obj.on_record:
            return None
        return _absolute(context, obj.get_absolute_url())


class QuoteOut(Schema):
    text: str
    source: str | None = Field(description="Who said it; null when unattributed.")
    kind: Literal["direct", "paraphrase"]

    @staticmethod
    def resolve_source(obj):
        return obj.source.public_name if obj.source else None


class CorrectionOut(Schema):
    text: str
    published_at: datetime.datetime


class StoryOut(Schema):
    id: int
    url: str
    headline: str
    standfirst: str
    body_html: str
    dateline: str
    published_at: datetime.datetime
    updated_at: datetime.datetime = Field(
        description="The last update after publication, or published_at if none."
    )
    section: SectionOut
    tags: list[str]
    bylines: list[BylineOut]
    publication: PublicationOut | None = Field(
        description="For syndicated copy: where it first appeared."
    )
    lead_photo: PhotoOut | None
    sources: list[SourceOut] = Field(
        description="Everyone quoted in the story, in order of first quote."
    )
    quotes: list[QuoteOut]
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_body_html(obj):
        return obj.body

    @staticmethod
    def resolve_updated_at(obj):
        return obj.last_updated

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_publication(obj):
        if obj.publication is None:
            return None
        return {
            "name": obj.publication.name,
            "canonical_url": obj.original_url or None,
        }

    @staticmethod
    def resolve_sources(obj):
        return obj.quoted_sources()


class ErrorOut(Schema):
    detail: str = Field(description="What was not found, e.g. “Not Found”.")


class InvalidRequestOut(Schema):
    detail: list[dict[str, Any]] = Field(
        description="One entry per parameter that could not be read: where it "
        "was (loc), what was wrong (msg, type)."
    )


# What every operation may answer besides its 200: nothing else, whatever the
# query string or path holds (tests/test_query_params.py).
ERRORS = {404: ErrorOut, 422: InvalidRequestOut}


class PageNumber(PaginationBase):
    """Numbered pages of a fixed size, newest first; a page past the last is a 404.

    The first ``NUMBERED_PAGES`` pages are reached by number. Older stories are
    reached through the ``next`` and ``previous`` links, which past that page
    carry a ``before`` cursor (where the page starts) so that every page costs
    the same however deep in the archive: a numbered page past
    ``NUMBERED_PAGES`` answers 404. ``count`` (and so ``pages``) is exact up
    to ``COUNT_UP_TO`` stories and PostgreSQL's estimate beyond.
    """

    class Input(Schema):
        page: int = Field(1, ge=1)
        before: str | None = Field(
            None,
            description="Set by the next and previous links past page "
            f"{NUMBERED_PAGES}: the time and id of the story the page starts "
            "after. Not needed for the pages before.",
        )

    class Output(Schema):
        count: int
        page: int
        pages: int
        next: str | None
        previous: str | None
        items: list[Any]

    def __init__(self, page_size=PAGE_SIZE, **kwargs):
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = self.page_size
        number = pagination.page
        cursor = read_cursor(pagination.before)
        ids = queryset.values_list("pk", flat=True)
        if cursor is not None:
            ids = list(older_than(ids, cursor)[: size + 1])
        elif number <= NUMBERED_PAGES:
            offset = (number - 1) * size
            ids = list(ids[offset : offset + size + 1])
        else:
            raise Http404("Pages this deep are reached by the next links.")
        more = len(ids) > size
        ids = ids[:size]
        if not ids and (number > 1 or cursor is not None):
            raise Http404("There is no page with that number.")
        stories = {story.pk: story for story in queryset.filter(pk__in=ids)}
        items = [stories[pk] for pk in ids if pk in stories]
        at_least = (number - 1) * size + len(items) + (1 if more else 0)
        count = max(capped_count(queryset.order_by(), COUNT_UP_TO), at_least)
        count = at_least if not more else count  # the last page knows the total

        def link(n, before=None):
            query = {"page": n, **({"before": before} if before else {})}
            return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")

        following = None
        if more:
            following = (
                link(number + 1)
                if number < NUMBERED_PAGES
                else link(number + 1, write_cursor(items[-1]))
            )
        preceding = None
        if number > 1:
            preceding = link(number - 1)
            if number - 1 > NUMBERED_PAGES and items:
                # The previous page starts after the story just before its 20.
                newer = list(
                    newer_than(
                        queryset.values_list("pk", "published_at"), items[0]
                    ).order_by("published_at", "pk")[: size + 1]
                )
                if len(newer) > size:
                    pk, published_at = newer[-1]
                    preceding = link(number - 1, write_cursor_from(published_at, pk))
        return {
            "count": count,
            "page": number,
            "pages": max(1, math.ceil(count / size), number),
            "next": following,
            "previous": preceding,
            "items": items,
        }


def write_cursor(story):
    return write_cursor_from(story.published_at, story.pk)


def write_cursor_from(published_at, pk):
    """A story's place in the newest-first order: its time (UTC) and its id."""
    moment = published_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{moment}_{pk}"


def read_cursor(text):
    """(time, id) from ``write_cursor``'s text; a 422 for anything else."""
    if text is None:
        return None
    moment, _, pk = text.rpartition("_")
    try:
        published_at = datetime.datetime.fromisoformat(moment)
        pk = int(pk)
        if published_at.tzinfo is None:
            raise ValueError("no time zone")
    except ValueError:
        raise ValidationError(
            [
                {
                    "loc": ["query", "before"],
                    "msg": "Not a page link.",
                    "type": "value_error",
                }
            ]
        ) from None
    return published_at, pk


def older_than(queryset, cursor):
    published_at, pk = cursor
    return queryset.filter(published_at__lte=published_at).exclude(
        published_at=published_at, pk__gte=pk
    )


def newer_than(queryset, story):
    return queryset.filter(published_at__gte=story.published_at).exclude(
        published_at=story.published_at, pk__lte=story.pk
    )


router = Router(tags=["stories"])


def published_stories():
    return with_story_data(Article.objects.published())


@router.get(
    "/stories/",
    response={200: list[StoryOut], **ERRORS},
    summary="Published stories, newest first",
    description="20 a page; a page past the last answers 404, a page that is "
    "not a whole number from 1 up answers 422.",
)
@paginate(PageNumber)
def list_stories(request):
    return published_stories()


# One story's answers: besides these, 410 Gone for a story that was killed.
STORY_ERRORS = {**ERRORS, 410: ErrorOut}
GONE = {"detail": "This story was withdrawn."}


def story_answer(request, story_id, make):
    """``make(story)`` for the published story ``story_id``; 410 Gone for a
    killed one (its address says so too); else 404."""
    try:
        story = published_stories().get(pk=story_id)
    except Article.DoesNotExist:
        if Article.objects.filter(pk=story_id, status=Article.Status.KILLED).exists():
            return Status(410, GONE)
        raise Http404("No published story has this id.") from None
    return make(story)


@router.get(
    "/stories/{story_id}/",
    response={200: StoryOut, **STORY_ERRORS},
    summary="One published story",
    description="A story that was killed (withdrawn) answers 410 Gone.",
)
def get_story(request, story_id: int):
    return story_answer(request, story_id, lambda story: story)


@router.get(
    "/stories/{story_id}/ninjs",
    response={200: dict[str, Any], **STORY_ERRORS},
    summary="One published story as IPTC ninjs 3.1",
    description="Valid against http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json. "
    "A story that was killed (withdrawn) answers 410 Gone.",
)
def get_story_ninjs(request, story_id: int):
    return story_answer(request, story_id, lambda story: story_to_ninjs(request, story))
