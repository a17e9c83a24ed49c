"""A source's record at the desk: how often, where and by whom they were
quoted, and what they said (the source's quotes page), and the list's filters
by where they were quoted.

Pure readers. ``people`` never imports ``articles``: the quotes, stories,
bylines and sections are reached through the source's reverse relations
(``Source._meta.get_field("quotes").related_model`` and on from there).

Everything here reads the quotes through the index on (source, article)
(``quote_source_article_idx``): a source's quotes newest story first are
one run of it, so a page of 50 costs the same for a source quoted twice or
50,000 times. "Newest" is the story filed last (stories are numbered as they
are filed), as the list's "Last quoted" has it; a story's date is shown
beside each quote.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from .models import Journalist, Source

PER_PAGE = 50


def quote_model():
    return Source._meta.get_field("quotes").related_model


def story_model():
    return quote_model()._meta.get_field("article").related_model


def section_model():
    return story_model()._meta.get_field("section").related_model


def byline_model():
    return Journalist._meta.get_field("bylines").related_model


@dataclass(frozen=True)
class Summary:
    quotes: int
    stories: int
    first_quoted: datetime.datetime | None
    last_quoted: datetime.datetime | None


def _quoted_at(order):
    """The publication time of the source's first or last story (by filing
    order) that has one: one probe of the (source, article) index."""
    return Subquery(
        quote_model()
        .objects.filter(source=OuterRef("pk"), article__published_at__isnull=False)
        .order_by(order)
        .values("article__published_at")[:1]
    )


def _count(value):
    return Subquery(
        quote_model()
        .objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(value=value)
        .values("value")
    )


def summary(source):
    """How many quotes and stories, first and last quoted: one query, from
    the index (the counts read the source's entries of it, no story rows)."""
    row = (
        Source.objects.filter(pk=source.pk)
        .values(
            quote_count=_count(Count("*")),
            story_count=_count(Count("article", distinct=True)),
            first_quoted=_quoted_at("article_id"),
            last_quoted=_quoted_at("-article_id"),
        )
        .get()
    )
    return Summary(
        quotes=row["quote_count"] or 0,
        stories=row["story_count"] or 0,
        first_quoted=row["first_quoted"],
        last_quoted=row["last_quoted"],
    )


# A page of quotes ------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where a page of quotes starts or ends: a quote's place in the order
    (story newest first, then the quote's place in the story)."""

    article_id: int
    position: int
    pk: int

    @classmethod
    def parse(cls, text):
        """A cursor from ``article-position-id``; None for anything else."""
        try:
            parts = [int(part) for part in (text or "").split("-")]
        except ValueError:
            return None
        if len(parts) != 3 or min(parts) < 0:
            return None
        return cls(*parts)

    @classmethod
    def of(cls, quote):
        return cls(quote.article_id, quote.position, quote.pk)

    def __str__(self):
        return f"{self.article_id}-{self.position}-{self.pk}"

    def older(self):
        """The quotes after this one in the list."""
        return Q(article_id__lte=self.article_id) & (
            Q(article_id__lt=self.article_id)
            | Q(position__gt=self.position)
            | Q(position=self.position, pk__gt=self.pk)
        )

    def newer(self):
        """The quotes before this one in the list."""
        return Q(article_id__gte=self.article_id) & (
            Q(article_id__gt=self.article_id)
            | Q(position__lt=self.position)
            | Q(position=self.position, pk__lt=self.pk)
        )


NEWEST_FIRST = ("-article_id", "position", "id")
OLDEST_FIRST = ("article_id", "-position", "-id")


@dataclass
class QuotePage:
    quotes: list
    newer: Cursor | None  # show the page before this one: ?after=<newer>
    older: Cursor | None  # show the page after this one: ?before=<older>
    is_first: bool


def quotes_page(source, *, before=None, after=None, per_page=None):
    """One page of the source's quotes, newest story first, each with its
    story, the story's section and its bylines (``quote.bylines``, in
    order): two queries whatever the page or the source.

    ``before``: the page after that quote; ``after``: the page before it
    (keyset pages: a page deep in the list costs what the first does; the
    ``article_id <=`` bound keeps the index scan starting at the cursor)."""
    per_page = per_page or PER_PAGE
    quotes = (
        quote_model()
        .objects.filter(source=source)
        .select_related("article", "article__section")
        .only(
            "text",
            "kind",
            "position",
            "source_id",
            "article__id",
            "article__headline",
            "article__status",
            "article__published_at",
            "article__embargoed_until",
            "article__section__name",
        )
    )
    if after is not None:
        rows = list(
            quotes.filter(after.newer()).order_by(*OLDEST_FIRST)[: per_page + 1]
        )
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        is_first = not more_newer
        more_older = True
    else:
        if before is not None:
            quotes = quotes.filter(before.older())
        rows = list(quotes.order_by(*NEWEST_FIRST)[: per_page + 1])
        more_older = len(rows) > per_page
        rows = rows[:per_page]
        is_first = before is None
        more_newer = before is not None
    attach_bylines(rows)
    return QuotePage(
        quotes=rows,
        newer=Cursor.of(rows[0]) if rows and more_newer else None,
        older=Cursor.of(rows[-1]) if rows and more_older else None,
        is_first=is_first,
    )


def attach_bylines(quotes):
    """``quote.bylines``: the names on each quote's story, in order (one query)."""
    story_ids = {quote.article_id for quote in quotes}
    names = {}
    bylines = (
        byline_model()
        .objects.filter(article_id__in=story_ids)
        .order_by("article_id", "position", "id")
        .values_list("article_id", "journalist__name")
    )
    for story_id, name in bylines if story_ids else ():
        names.setdefault(story_id, []).append(name)
    for quote in quotes:
        quote.bylines = names.get(quote.article_id, [])


# Finding sources by where they were quoted -------------------------------------


def summary_model(name):
    """One of the sourcing report's summary tables (``sourcing.models``:
    ``StorySource``, ``BylineSource``), by name: ``people`` imports nothing
    of ``sourcing``, whose rows say, per published story, which sources it
    quotes, with the story's section, publication day and bylines."""
    return apps.get_model("sourcing", name)


def quoted_where(*, section=None, journalist=None, since=None, until=None):
    """Sources quoted in at least one published story matching all of these
    (a story of ``section``, with ``journalist``'s byline, published on or
    after ``since`` and on or before ``until``, days in the newsroom's time
    zone): one EXISTS over the sourcing summary's rows of the source — a
    probe of an index that begins with the source (and the journalist, the
    section or the day), so each listed source costs an index look-up,
    whatever the number of stories that quote them."""
    if journalist is not None:
        rows = summary_model("BylineSource").objects.filter(
            source_id=OuterRef("pk"), journalist_id=journalist
        )
    else:
        rows = summary_model("StorySource").objects.filter(source_id=OuterRef("pk"))
    if section is not None:
        rows = rows.filter(section_id=section)
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return Exists(rows.order_by())
