"""What each public surface loads with its stories, in a fixed number of queries.

Every function here starts from ``Article.objects.published()`` (or is handed a
queryset built on it); none decides visibility on its own.
"""

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from .models import Article, Byline, Correction, Quote

STORIES_PER_SECTION = 4
RELATED_STORIES = 4


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


def latest_by_section(per_section=STORIES_PER_SECTION):
    """The latest published stories of every section, newest first, in one query."""
    ranked = Article.objects.published().annotate(
        section_rank=Window(
            RowNumber(),
            partition_by=F("section_id"),
            order_by=[F("published_at").desc(), F("id").desc()],
        )
    )
    return list(
        with_card_data(ranked.filter(section_rank__lte=per_section)).order_by(
            "-published_at", "-id"
        )
    )


def related_stories(article, limit=RELATED_STORIES):
    """Published stories sharing the most tags with ``article``, then its section's.

    Uses the article's prefetched tags, so it costs one query.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .filter(Q(shared__gt=0) | Q(section_id=article.section_id))
        .select_related("section")
        .order_by("-shared", "-published_at", "-id")[:limit]
    )


def public_corrections():
    """Every correction to a published story, newest first, with its story."""
    return (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article__section")
        .order_by("-published_at", "-id")
    )
