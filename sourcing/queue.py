"""The unattributed-quotes queue: one page of quotes without a source, each
in its sentence, with the people named near it as suggested speakers.

A page is a fixed number of queries whatever its rows: the page of quotes
(with their stories and sections), the stories' bylines, the other quotes'
sources, the sources the suggested names match, the stories this user may
edit, and a count that stops at ``COUNT_CAP``. Pages follow each other by
keyset (the last row's story and quote number), newest story first, read
from the partial index of unattributed quotes (``quote_unattributed_idx``):
a page costs the same on the first page and the thousandth.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Q

from articles import publishing
from articles.models import Article, Byline, Quote
from people.models import Source
from people.permissions import can_see_private_source_fields, source_label

from .attribution import may_attribute
from .context import Context, StoryReading, locate

PAGE_SIZE = 50
COUNT_CAP = 1000
MAX_SUGGESTIONS = 6
_CURSOR = re.compile(r"(\d{1,19})-(\d{1,19})")


@dataclass(frozen=True)
class Filters:
    section: object = None  # a Section or None
    status: str = ""  # an Article.Status value or ""
    after: tuple | None = None  # (story id, quote id) of the last row seen


def parse_cursor(value):
    """``"<story id>-<quote id>"`` as a pair of numbers, or None."""
    m = _CURSOR.fullmatch(value or "")
    return (int(m[1]), int(m[2])) if m else None


def unattributed(filters):
    """The unattributed quotes ``filters`` choose, newest story first."""
    quotes = Quote.objects.filter(source__isnull=True)
    if filters.section is not None:
        quotes = quotes.filter(article__section=filters.section)
    if filters.status:
        quotes = quotes.filter(article__status=filters.status)
    return quotes.order_by("-article_id", "id")


@dataclass
class Suggestion:
    """A speaker to attribute the quote to: a source the desk has
    (``source_id``) or a name to make a new source of (``new_name``)."""

    label: str
    why: str
    source_id: int | None = None
    new_name: str = ""
    kind: str = "person"
    description: str = ""


@dataclass
class Entry:
    quote: Quote
    context: Context
    suggestions: list = field(default_factory=list)
    may_attribute: bool = False

    @property
    def article(self):
        return self.quote.article


@dataclass
class Page:
    entries: list
    count: int  # up to COUNT_CAP + 1
    next_cursor: str = ""
    among: int | None = None  # the count is of the newest this many quotes

    @property
    def count_label(self):
        if self.count > COUNT_CAP:
            return f"More than {COUNT_CAP:,}"
        return f"{self.count:,}"

    @property
    def among_label(self):
        return f"among the newest {self.among:,}" if self.among else ""


def page_query(filters):
    """The rows of the page ``filters`` choose, and one more (to know there
    is a next page): from the keyset cursor on, with their stories."""
    quotes = unattributed(filters)
    if filters.after is not None:
        story, quote = filters.after
        # The first condition alone is the index's: the rest skips at most
        # the quotes of one story.
        quotes = quotes.filter(article_id__lte=story).filter(
            Q(article_id__lt=story) | Q(article_id=story, id__gt=quote)
        )
    return quotes.select_related("article__section").defer(
        *(f"article__{name}" for name in DEFERRED)
    )[: PAGE_SIZE + 1]


def counted(filters):
    """How many quotes the page is one of: ``(count, among)``.

    All unattributed quotes are counted from the partial index up to
    ``COUNT_CAP`` (more say “More than 1,000”). With a section or status
    filter, telling the chosen stories' quotes apart means looking up each
    quote's story, so when there are more than ``COUNT_CAP`` in all the
    filtered count is of the newest ``COUNT_CAP`` of them (``among``).
    """
    everything = unattributed(Filters())
    total = everything.order_by()[: COUNT_CAP + 1].count()
    if filters.section is None and not filters.status:
        return total, None
    chosen = unattributed(replace(filters, after=None))
    if total <= COUNT_CAP:
        return chosen.order_by().count(), None
    newest = everything.values("pk")[:COUNT_CAP]
    return chosen.filter(pk__in=newest).order_by().count(), COUNT_CAP


def page_of(user, filters):
    """One page of the queue as ``user`` may see it."""
    count, among = counted(filters)
    rows = list(page_query(filters))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    story_ids = {q.article_id for q in rows}
    entries = build_entries(user, rows, story_ids)
    last = rows[-1] if rows and more else None
    cursor = f"{last.article_id}-{last.pk}" if last is not None else ""
    return Page(entries, count, cursor, among)


# The story's fields the queue does not show nor read.
DEFERRED = ("standfirst", "seo_title", "seo_description", "kill_reason")


def build_entries(user, rows, story_ids):
    if not rows:
        return []
    authors = {}
    for article_id, name in Byline.objects.filter(article_id__in=story_ids).values_list(
        "article_id", "journalist__name"
    ):
        authors.setdefault(article_id, []).append(name)
    quoted = {}
    for other in (
        Quote.objects.filter(article_id__in=story_ids, source__isnull=False)
        .select_related("source")
        .order_by("article_id", "position", "id")
    ):
        quoted.setdefault(other.article_id, []).append(other)
    editable = set()  # the stories whose quotes this user may attribute
    if may_attribute(user, None):
        editable = set(
            publishing.editable(
                user, Article.objects.filter(pk__in=story_ids)
            ).values_list("pk", flat=True)
        )

    readings = read_stories({q.article_id: q.article for q in rows}, authors)
    found = []
    for quote in rows:
        reading = readings[quote.article_id]
        context = locate(reading.paragraphs, quote.text)
        found.append((quote, context, reading.candidates(quote.text, context)))

    keys = {c.key for _, _, candidates in found for c in candidates}
    sources = (
        {s.normalised_name: s for s in Source.objects.filter(normalised_name__in=keys)}
        if keys
        else {}
    )
    private = can_see_private_source_fields(user)
    may_add = user.has_perm("people.add_source")
    entries = []
    for quote, context, candidates in found:
        entry = Entry(quote, context, may_attribute=quote.article_id in editable)
        entry.suggestions = suggestions(
            user,
            quote,
            candidates,
            sources,
            quoted.get(quote.article_id, []),
            private=private,
            may_add=may_add,
        )
        entries.append(entry)
    return entries


def reading_key(article, authors):
    """The cache key of a story's reading: a new one whenever its body or
    bylines change, or the way of reading them (``READING_VERSION``)."""
    digest = hashlib.sha256(
        "\x1f".join([article.body, *sorted(authors)]).encode()
    ).hexdigest()[:32]
    return f"sourcing:reading:{READING_VERSION}:{article.pk}:{digest}"


def read_stories(articles, authors):
    """The finder's reading of each story (by id): read once, then kept in
    the cache for a day, keyed by the words read, so paging through the
    queue reads each story's body once."""
    keys = {pk: reading_key(a, authors.get(pk, ())) for pk, a in articles.items()}
    try:
        cached = cache.get_many(list(keys.values()))
    except Exception:  # a cache that is down: read the stories afresh
        cached = {}
    readings, fresh = {}, {}
    for pk, article in articles.items():
        reading = cached.get(keys[pk])
        if not isinstance(reading, StoryReading):
            reading = StoryReading.of(article.body, authors=authors.get(pk, ()))
            fresh[keys[pk]] = reading
        readings[pk] = reading
    if fresh:
        try:
            cache.set_many(fresh, READING_SECONDS)
        except Exception:
            pass
    return readings


READING_SECONDS = 24 * 3600
READING_VERSION = 1  # one more when ``StoryReading`` or the finder changes


def suggestions(user, quote, candidates, sources, quoted, *, private, may_add):
    """The speakers to offer for ``quote``, nearest first: the names the
    finder reads near it, as the sources the desk has under those names (or
    as new sources, for those who may add them), then the sources of the
    story's other quotes, nearest quote first. A name that is an anonymous
    source's is offered only to those who may know that source's name."""
    out, sources_seen, names_seen = [], set(), set()
    for candidate in candidates:
        source = sources.get(candidate.key)
        if source is not None:
            if not (source.on_record or private) or source.pk in sources_seen:
                continue
            sources_seen.add(source.pk)
            out.append(Suggestion(source_label(user, source), candidate.why, source.pk))
        elif candidate.placed and may_add and candidate.key not in names_seen:
            names_seen.add(candidate.key)
            out.append(
                Suggestion(
                    candidate.name,
                    f"{candidate.why}; not yet a source",
                    new_name=candidate.name,
                    kind=candidate.kind,
                    description=candidate.description,
                )
            )
    nearest = sorted(
        quoted, key=lambda other: (abs(other.position - quote.position), other.pk)
    )
    for other in nearest:
        if other.source_id in sources_seen:
            continue
        sources_seen.add(other.source_id)
        out.append(
            Suggestion(
                source_label(user, other.source),
                "quoted elsewhere in this story",
                other.source_id,
            )
        )
    return out[:MAX_SUGGESTIONS]
