"""The sourcing report's summary, kept up to date by every path that changes
what the report counts.

Two narrow tables (``sourcing.models``): ``StorySource``, one row per
published story and source it quotes (its unattributed quotes in a row with
no source), with the story's publication day and month in the newsroom's time
zone, its section and the number of quotes; and ``BylineSource``, the same
rows once per byline (a story without one: once, with no journalist). The
report reads only these and ``people_source`` (attributes, names) by id, so
editing a source's attributes, a section's or journalist's name needs no
refresh. What a row counts is exactly what the report's definition counts:
quotes of stories with status published, by publication day. A scheduled
story (published, with a time still ahead) has its rows from the start, on
its future day, as the report's direct count does: its time arriving changes
nothing here.

``refresh_story(article_or_id)`` / ``refresh_stories(ids)`` rewrite the rows
of some stories from the stories as stored (delete, then insert-select, in
the caller's transaction: a few statements whatever the archive's size). Any
path that changes a story's status, publication time, section, bylines or
quotes, or a quote's source, calls it — or sends a signal that does:

- model saves and deletes of stories, quotes and bylines, and deletes of
  sources (``sourcing.signals``, Django's signals), so the admin's forms and
  inlines, the workflow's transitions (``articles.publishing``: publish,
  schedule, unpublish, kill, restore, embargo), History's restore, the Quote
  admin and the shell are covered;
- the bulk paths that send no model signal: ``QuerySet.update()`` of stories'
  status, time or section, of quotes (merging sources moves their quotes so),
  and ``bulk_create`` of quotes and bylines (the importer, the demo loader)
  send ``articles.models.story_rows_written`` with the stories' ids;
- raw SQL (a bulk COPY such as ``bench/scale.py``'s) calls nothing: run
  ``manage.py rebuild_sourcing_summary`` (``rebuild()``) after it. Changing
  the newsroom's time zone also needs a rebuild.
"""

from django.db import connection, transaction
from django.db.models import Count, IntegerField, Value
from django.db.models.functions import TruncDate, TruncMonth

from articles.models import Article, Byline, Quote, newsroom_timezone

CHUNK = 500


def refresh_story(article_or_id):
    """Rewrite the summary rows of one story (an ``Article`` or its id)."""
    article_id = getattr(article_or_id, "pk", article_or_id)
    if article_id is not None:
        refresh_stories([article_id])


def refresh_stories(article_ids):
    """Rewrite the summary rows of the stories ``article_ids``: none for a
    story that is not published or no longer exists."""
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    for start in range(0, len(ids), CHUNK):
        _write(ids[start : start + CHUNK])


def rebuild():
    """Rewrite the whole summary from the stories, in set-based SQL (a few
    statements, however many stories)."""
    _write(None)


def _models():
    from .models import BylineSource, StorySource

    return StorySource, BylineSource


def _write(ids):
    with transaction.atomic():
        if ids is not None:
            # Two refreshes of one story at once would each keep their rows:
            # the second waits for the first (a no-op on SQLite, which
            # writes one transaction at a time).
            list(
                Article.objects.select_for_update()
                .filter(pk__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        _rewrite(ids)


def _rewrite(ids):
    StorySource, BylineSource = _models()
    story_table = StorySource._meta.db_table
    byline_table = BylineSource._meta.db_table
    if ids is None:
        where, params = "", []
    else:
        where = f"article_id IN ({', '.join(['%s'] * len(ids))})"
        params = list(ids)
    with connection.cursor() as cursor:
        for table in (byline_table, story_table):
            cursor.execute(
                f"DELETE FROM {table}" + (f" WHERE {where}" if where else ""), params
            )
        tz = newsroom_timezone()
        day = TruncDate("article__published_at", tzinfo=tz)
        quotes = Quote.objects.filter(article__status=Article.Status.PUBLISHED)
        if ids is not None:
            quotes = quotes.filter(article_id__in=ids)
        select = (
            quotes.order_by()
            .values(
                "article_id",
                "article__section_id",
                "source_id",
                day=day,
                month=TruncMonth(day),
            )
            .annotate(quotes=Count("pk"), stories=Value(0, IntegerField()))
            .values_list(
                "article_id",
                "day",
                "month",
                "article__section_id",
                "source_id",
                "quotes",
                "stories",
            )
        )
        sql, select_params = select.query.sql_with_params()
        cursor.execute(
            f"INSERT INTO {story_table} (article_id, day, month, section_id, "
            f"source_id, quotes, stories) {sql}",
            select_params,
        )
        # One row of each story counts it.
        cursor.execute(
            f"UPDATE {story_table} SET stories = 1 WHERE id IN (SELECT MIN(id) "
            f"FROM {story_table}"
            + (f" WHERE {where}" if where else "")
            + " GROUP BY article_id)",
            params,
        )
        byline = Byline._meta.db_table
        cursor.execute(
            f"INSERT INTO {byline_table} (article_id, day, section_id, "
            f"journalist_id, source_id, quotes) SELECT s.article_id, s.day, "
            f"s.section_id, b.journalist_id, s.source_id, s.quotes "
            f"FROM {story_table} s LEFT JOIN {byline} b "
            f"ON b.article_id = s.article_id" + (f" WHERE s.{where}" if where else ""),
            params,
        )


def stories_with_source(source_id):
    """The stories whose summary rows name ``source_id``."""
    StorySource, _ = _models()
    return list(
        StorySource.objects.filter(source_id=source_id)
        .values_list("article_id", flat=True)
        .distinct()
    )
