"""What each public surface loads with its stories, in a fixed number of queries.

Every function here starts from ``Article.objects.published()`` (or is handed a
queryset built on it); none decides visibility on its own.
"""

from collections import defaultdict
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from taggit.models import TaggedItem

from newsroom.pagination import ListIndex

from .models import Article, Byline, Correction, Quote

STORIES_PER_SECTION = 4
RELATED_STORIES = 4
RELATED_TAGS = 10  # a story's first tags that find its related stories
RELATED_CANDIDATES = 30  # the newest stories of each tag and of the section


def with_card_data(queryset):
    """What a story card shows: section, photo and bylines."""
    return queryset.select_related("section", "lead_photo").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("journalist")),
        "lead_photo__renditions",
    )


def with_story_data(queryset):
    """What a whole story shows: a card's data plus tags, quotes and corrections."""
    return (
        with_card_data(queryset)
        .select_related("publication")
        .prefetch_related(
            "tags",
            "corrections",
            Prefetch("quotes", queryset=Quote.objects.select_related("source")),
        )
    )


def story_list(queryset=None):
    """Published stories from ``queryset`` (all stories by default), for cards."""
    queryset = Article.objects.all() if queryset is None else queryset
    return with_card_data(queryset.published())


def quoting(source):
    """Published stories quoting ``source``, for cards, each with what the
    source said in it (``by_source``, in order)."""
    quoted = Quote.objects.filter(source=source)
    return story_list(
        Article.objects.filter(pk__in=quoted.values("article_id"))
    ).prefetch_related(Prefetch("quotes", queryset=quoted, to_attr="by_source"))


def union_all(querysets):
    """The rows of several sliced ``values_list`` querysets, in one query.

    Each part keeps its own ``ORDER BY … LIMIT``, so each is a short index
    scan; Django's ``union()`` cannot do this on SQLite, hence the raw union
    of the ORM's own SQL. Returns the SQL and its parameters, for
    ``RawSQL`` in a ``pk__in`` filter.
    """
    return union_of_sql(queryset.query.sql_with_params() for queryset in querysets)


def union_of_sql(parts):
    """``union_all`` of (sql, params) pairs."""
    sql, params = [], []
    for number, (part_sql, part_params) in enumerate(parts):
        sql.append(f"SELECT * FROM ({part_sql}) AS part_{number}")
        params.extend(part_params)
    return " UNION ALL ".join(sql), params


def rows_of_sql(parts, *, chunk=200):
    """Every row of the (sql, params) ``parts``, a few hundred parts to a
    query (SQLite allows at most 500 in one compound select)."""
    parts = list(parts)
    rows = []
    for start in range(0, len(parts), chunk):
        sql, params = union_of_sql(parts[start : start + chunk])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows.extend(cursor.fetchall())
    return rows


def newest_first(queryset):
    return queryset.order_by("-published_at", "-id")


def latest_by_section(sections, per_section=STORIES_PER_SECTION, *, also=()):
    """The latest published stories of each of ``sections``, newest first.

    One short index scan per section (``article_section_latest_idx``), however
    large the archive, all in one query; ``also``: more sliced ``values_list
    ("pk")`` querysets of stories to load with them (the pinned lead).
    """
    if not sections:
        return []
    published = Article.objects.published()
    sql, params = union_all(
        [
            *(
                newest_first(published.filter(section=section)).values_list("pk")[
                    :per_section
                ]
                for section in sections
            ),
            *also,
        ]
    )
    return list(
        newest_first(with_card_data(Article.objects.filter(pk__in=RawSQL(sql, params))))
    )


def pinned_lead():
    """The story pinned most recently as the home page's lead among those
    readers may see, as a one-row ``values_list("pk")`` (for
    ``latest_by_section``'s ``also``): a pinned story leads only while it is
    public. Reads ``article_featured_idx``, which holds the pinned published
    stories alone (a handful), whatever the archive's size."""
    return (
        Article.objects.published()
        .filter(featured=True)
        .order_by(F("featured_at").desc(nulls_last=True), "-id")
        .values_list("pk")[:1]
    )


def newest_pin(stories):
    """Of ``stories``, the one pinned most recently (``pinned_lead``'s order),
    or None if none is pinned."""
    pinned = [story for story in stories if story.featured]
    if not pinned:
        return None
    return max(
        pinned,
        key=lambda story: (
            story.featured_at is not None,
            story.featured_at.timestamp() if story.featured_at else 0,
            story.pk,
        ),
    )


def tagged_with(tag_id):
    """A filter: the story has the tag. Written as EXISTS on taggit's table so
    PostgreSQL may walk the newest stories and look each up in the tag index
    (taggit's own join casts ``object_id``, so a common tag's stories were all
    read and sorted: 17,000 rows for the newest 20)."""
    return Exists(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=OuterRef("pk"),
            tag_id=tag_id,
        )
    )


def bylined(journalist_id):
    """A journalist's published stories, newest first, as the ``ListIndex``
    their pages are read from: their bylines carry the story's publication
    time (``Byline.story_published_at``), so the newest 20 of a journalist's
    five thousand are the first 20 entries of ``byline_author_page_idx``
    and cost what a first page costs anywhere, on any page number."""
    return ListIndex(
        Byline.objects.filter(
            journalist_id=journalist_id, story_published_at__lte=timezone.now()
        ),
        time="story_published_at",
        story="article_id",
    )


class TagName(NamedTuple):
    name: str
    slug: str


def attach_tags(stories):
    """``stories`` as a list, each with its tags as ``tag_list`` (in the order
    they were added; name and slug), in one query: taggit's own prefetch
    builds a queryset for every story, a millisecond each on a feed or the
    news sitemap."""
    stories = list(stories)
    tags = defaultdict(list)
    for story_id, name, slug in (
        TaggedItem.objects.filter(
            content_type__app_label=Article._meta.app_label,
            content_type__model=Article._meta.model_name,
            object_id__in=[story.pk for story in stories],
        )
        .order_by("pk")
        .values_list("object_id", "tag__name", "tag__slug")
    ):
        tags[story_id].append(TagName(name, slug))
    for story in stories:
        story.tag_list = tags[story.pk]
    return stories


def public_corrections():
    """Every correction to a published story, newest first, with its story."""
    return (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article__section")
        .order_by("-published_at", "-id")
    )
