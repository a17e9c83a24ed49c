"""Search over published stories: full text on PostgreSQL, a simpler match elsewhere.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the
body (C). Each story's weighted vector is stored in the column
``search_document`` (migration 0013: computed by PostgreSQL on every write)
with the GIN index ``article_search_idx`` on it, so a search reads vectors
instead of parsing every matching story again.

A search never ranks more than ``MAX_RESULTS`` stories: when more match, it
takes the ``MAX_RESULTS`` newest matches (found through the index, newest
first) and ranks those. So a word in every story costs what a word in a
thousand costs, the count is at most ``MAX_RESULTS + 1`` rows, and every page
of results costs the same. The page says so when the cap is reached.
"""

import datetime
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from newsroom.validation import clean_text

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_RESULTS = 1000
# The spans of time newest() looks for matches in, in turn (None: all time).
WINDOWS = (
    datetime.timedelta(days=90),
    datetime.timedelta(days=365),
    None,
)
# After the first span: a word with at most this many matches times
# MAX_RESULTS in all is read whole through the GIN index (newest()).
FEW_MATCHES = 4


class StoredDocument(Expression):
    """A story's stored search document (PostgreSQL only; see migration 0013).

    The column is not a model field, so loading a story never loads it.
    """

    @cached_property
    def output_field(self):
        # Imported here so SQLite-only installs never need the PostgreSQL module.
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_document", []


def clean_query(text):
    """The reader's words, trimmed to a sensible length ("" when there are none).

    Control characters (a NUL, which PostgreSQL refuses in any query) and
    other characters no page can show are dropped, as they are from stories.
    """
    if not isinstance(text, str):
        return ""
    return clean_text(text, single_line=True)[:MAX_QUERY_LENGTH].strip()


def search(queryset, text):
    """Stories in ``queryset`` matching ``text``, best match first.

    At most ``MAX_RESULTS + 1`` stories: the newest matches, ranked. The
    extra one only tells ``ResultsPaginator`` that there were more.
    """
    text = clean_query(text)
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _full_text(queryset, text)
    return _simple(queryset, text)


class ResultsPaginator(Paginator):
    """Pages over at most ``MAX_RESULTS`` results of ``search()``.

    The results are ranked once, in one query that reads only each match's
    id and rank (``ranked``); the count comes from those rows and a page
    loads only its own stories, from ``stories`` (the list the search was
    made from: what a card shows), by id. ``capped`` is true when more
    stories matched than are shown.
    """

    def __init__(self, object_list, per_page, *, stories, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.stories = stories

    @property
    def limit(self):
        return MAX_RESULTS

    @cached_property
    def ranked(self):
        """(id, rank) of each result, best first: at most ``limit + 1``."""
        return ranked(self.object_list)

    @cached_property
    def found(self):
        return len(self.ranked)

    @cached_property
    def count(self):
        return min(self.found, self.limit)

    @property
    def capped(self):
        return self.found > self.limit

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = self.ranked[: self.limit][start : start + self.per_page]
        by_id = self.stories.filter(pk__in=[pk for pk, _ in rows]).in_bulk()
        page = []
        for pk, rank in rows:
            if (story := by_id.get(pk)) is not None:
                story.rank = rank
                page.append(story)
        return self._get_page(page, number, self)


def ranked(results):
    """(id, rank) of each of ``results`` (from ``search()``), in their order.

    On PostgreSQL the query runs with JIT compilation off: its estimated cost
    counts the longer spans that are seldom searched (``_newest_by_span``), so
    PostgreSQL would otherwise spend more time compiling it (40–100 ms at a
    million stories) than running it.
    """
    rows = results.values_list("pk", "rank")
    if connection.vendor != "postgresql":
        return list(rows)
    # No savepoint: the setting lasts to the end of the transaction (this
    # block's, or the request's if it runs in one), long enough for the query.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return list(rows)


def newest(queryset, matches):
    """``queryset`` narrowed to the ``MAX_RESULTS + 1`` newest stories in it
    that ``matches`` (a filtered copy of it)."""
    ordered = matches.order_by("-published_at", "-id").values_list("pk", flat=True)
    if connection.vendor == "postgresql":
        return queryset.filter(pk__in=_newest_by_span(ordered))
    return queryset.filter(pk__in=ordered[: MAX_RESULTS + 1])


def _newest_by_span(ordered):
    """The ids of the ``MAX_RESULTS + 1`` first of ``ordered``, as a subquery.

    The newest matches are looked for in the last 90 days first (``WINDOWS``):
    a common word is found there, PostgreSQL walking the publication-time
    index newest first and stopping at the ``MAX_RESULTS + 1``-th match (a
    rarer one through the GIN index within the span). If the span holds too
    few, a word with few matches in all (at most ``FEW_MATCHES`` times
    ``MAX_RESULTS``) has them all read through the GIN index at once and
    sorted; only a word with more, but few of them lately, is looked for in
    the longer spans, within a span that holds not many more matches than
    needed. So no search reads every story that has its words. Each step is
    only taken if the one before found too few (the conditions are
    PostgreSQL one-time filters).
    """
    limit = MAX_RESULTS + 1
    few = FEW_MATCHES * MAX_RESULTS
    now = timezone.now()
    # Past the first span the matches are fetched through the GIN index and
    # sorted. An order the publication-time index cannot give keeps
    # PostgreSQL from walking that index through years of stories instead.
    unindexed = ordered.order_by(
        ExpressionWrapper(
            F("published_at") + Value(datetime.timedelta(0)),
            output_field=DateTimeField(),
        ).desc(),
        "-id",
    )
    parts = []
    for number, window in enumerate(WINDOWS):
        span = ordered if number == 0 else unindexed
        if window is not None:
            span = span.filter(published_at__gte=now - window)
        parts.append(span[:limit].query.sql_with_params())
    # Up to few + 1 matches in any order: the GIN index's, read whole.
    every = ordered.order_by().values_list("pk", "published_at")
    every_sql, every_params = every[: few + 1].query.sql_with_params()
    ctes = [f"span{n} AS MATERIALIZED ({sql})" for n, (sql, _) in enumerate(parts)]
    every_sql = f"SELECT * FROM ({every_sql}) AS every (pk, published_at)"
    ctes.insert(1, f"few AS MATERIALIZED ({every_sql})")
    params = [*parts[0][1], *every_params, *(p for _, ps in parts[1:] for p in ps)]

    def count(name):
        return f"(SELECT count(*) FROM {name})"

    first_too_few = f"{count('span0')} < {limit}"
    many = f"{count('few')} > {few}"
    picks = [
        f"SELECT * FROM span0 WHERE {count('span0')} = {limit}",
        "SELECT pk FROM (SELECT pk FROM few ORDER BY published_at DESC, pk DESC "
        f"LIMIT {limit}) AS newest_few WHERE {first_too_few} "
        f"AND {count('few')} <= {few}",
        f"SELECT * FROM span1 WHERE {first_too_few} AND {many} "
        f"AND {count('span1')} = {limit}",
        f"SELECT * FROM span2 WHERE {first_too_few} AND {many} "
        f"AND {count('span1')} < {limit}",
    ]
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(picks)
    return RawSQL(sql, params)


def _full_text(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    matches = queryset.annotate(document=StoredDocument()).filter(document=query)
    return (
        newest(queryset, matches)
        .annotate(rank=SearchRank(StoredDocument(), query))
        .order_by("-rank", "-published_at", "-id")
    )


def _simple(queryset, text):
    """Every word somewhere in the story; headline matches first, then standfirst."""
    terms = text.split()[:MAX_TERMS]
    matches = Q()
    for term in terms:
        matches &= (
            Q(headline__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(body__icontains=term)
        )
    whole = text if len(terms) > 1 else terms[0]
    score = sum(
        (
            Case(
                When(**{f"{field}__icontains": term}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
            for field, weight in (("headline", 4), ("standfirst", 2), ("body", 1))
        ),
        Value(0),
    )
    phrase = Case(
        When(headline__icontains=whole, then=Value(10)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        newest(queryset, queryset.filter(matches))
        .annotate(rank=score + phrase)
        .order_by("-rank", "-published_at", "-id")
    )


# The desk's story search (the admin list and its story pickers).

DESK_MAX_RESULTS = 1000
# Shorter words are looked for as whole words only: a trigram index cannot
# find a one- or two-letter piece of a headline.
DESK_PIECE_LENGTH = 3
# A search that is part of more journalists' names than this is not a name.
DESK_NAMED_JOURNALISTS = 20


def desk_terms(text):
    """The words and "quoted phrases" of a desk search, as the admin splits them."""
    from django.utils.text import smart_split, unescape_string_literal

    terms = []
    for term in smart_split(clean_query(text)):
        if len(term) > 1 and term[0] in "\"'" and term[-1] == term[0]:
            term = unescape_string_literal(term)
        term = term.strip()
        if term:
            terms.append(term)
    return terms[:MAX_TERMS]


def desk_search(queryset, text):
    """The stories of ``queryset`` (any status) matching ``text``, as
    ``(queryset, capped)``: at most ``DESK_MAX_RESULTS`` of them, the newest
    matches (``capped``: more matched).

    A story matches if every term is a word of its headline, standfirst or
    body, or if the whole search is a piece of its headline (“harbour wal”
    finds “Harbour wall”), or if the whole search is part of the name of a
    journalist on its byline (“Quint” finds Mara Quint's stories). On
    PostgreSQL the words are found in the stored search document (English
    stemming: “councils” finds “council”; stop words are ignored) and the
    pieces of headlines through the trigram index
    ``article_headline_trgm_idx``, or, for a piece in many headlines, by
    reading headlines newest first from ``article_desk_headline_idx``
    (migration 0015). Elsewhere each term matches any piece of the headline,
    standfirst or body.

    Each way of matching reads at most the ``DESK_MAX_RESULTS + 1`` newest
    ids; the newest of them all are kept, so the list's count, pages and
    sorting then work on a bounded set whatever the archive's size.
    """
    terms = desk_terms(text)
    if not terms:
        return queryset, False
    ids, capped = desk_search_ids(queryset, terms)
    return among(queryset, ids), capped


def desk_search_ids(queryset, terms):
    """``desk_search``'s matches for ``terms`` (``desk_terms``), as
    ``(ids, capped)``: the ids newest first, in the admin list's order."""
    whole = " ".join(terms)
    if connection.vendor == "postgresql":
        found = [_desk_newest(_desk_words(queryset, terms))]
        if len(whole) >= DESK_PIECE_LENGTH:
            found.append(_desk_newest(queryset.filter(headline__icontains=whole)))
    else:
        matches = queryset
        for term in terms:
            matches = matches.filter(
                Q(headline__icontains=term)
                | Q(standfirst__icontains=term)
                | Q(body__icontains=term)
            )
        found = [_desk_newest(matches)]
    found.append(_desk_bylined(queryset, whole))
    capped = any(len(rows) > DESK_MAX_RESULTS for rows in found)
    newest = sorted(
        {pk: when for rows in found for pk, when in rows}.items(),
        key=_newest_first_key(),
        reverse=True,
    )
    capped = capped or len(newest) > DESK_MAX_RESULTS
    return [pk for pk, _ in newest[:DESK_MAX_RESULTS]], capped


def _newest_first_key():
    """A sort key for (id, publication time) giving the admin's order, newest
    first, when reversed: ``-published_at, -id``, where PostgreSQL puts
    stories with no time first and SQLite last."""
    nulls_first = connection.vendor == "postgresql"

    def key(row):
        pk, when = row
        if when is None:
            return (nulls_first, datetime.datetime.min.replace(tzinfo=datetime.UTC), pk)
        return (not nulls_first, when, pk)

    return key


def _desk_words(queryset, terms):
    from django.contrib.postgres.search import SearchQuery

    words = SearchQuery(terms[0], search_type="phrase", config=SEARCH_CONFIG)
    for term in terms[1:]:
        words &= SearchQuery(term, search_type="phrase", config=SEARCH_CONFIG)
    return queryset.annotate(document=StoredDocument()).filter(document=words)


class AmongIds(Expression):
    """``id IN (SELECT unnest(%s))``: one array parameter for any number of
    ids, where ``pk__in`` writes every id into the SQL of every query the
    list makes. As a join, not ``id = ANY(…)``: PostgreSQL answers a
    ``MIN``/``MAX`` over a filter on one table by walking the index of the
    column aggregated until a row passes the filter, which for a thousand
    ids among a million stories reads most of the index (seconds); with the
    ids as a join it looks them up by primary key."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids):
        super().__init__()
        self.column = F("pk")
        self.ids = list(ids)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def resolve_expression(self, *args, **kwargs):
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(*args, **kwargs)
        return resolved

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} IN (SELECT unnest(%s::bigint[]))", (*params, self.ids)


def among(queryset, ids):
    if connection.vendor == "postgresql":
        return queryset.filter(AmongIds(ids))
    return queryset.filter(pk__in=ids)


def _desk_newest(matches):
    """(id, publication time) of the ``DESK_MAX_RESULTS + 1`` newest of
    ``matches``."""
    newest_first = matches.order_by("-published_at", "-id")
    return list(newest_first.values_list("pk", "published_at")[: DESK_MAX_RESULTS + 1])


def _desk_bylined(queryset, name):
    """The newest stories of ``queryset`` bylined by a journalist whose name
    holds ``name`` (“Quint” finds Mara Quint's), if at most
    ``DESK_NAMED_JOURNALISTS`` journalists' names do (a name, not a common
    piece of many)."""
    from people.models import Journalist

    from .models import Byline

    named = Journalist.objects.filter(name__icontains=name).order_by()
    journalists = list(named.values_list("pk", flat=True)[: DESK_NAMED_JOURNALISTS + 1])
    if not journalists or len(journalists) > DESK_NAMED_JOURNALISTS:
        return []
    bylines = Byline.objects.filter(journalist__in=journalists)
    return _desk_newest(queryset.filter(pk__in=bylines.values("article_id")))


class DeskResultsPaginator(Paginator):
    """Pages of a desk search in the list's default order (newest first):
    the ids are known, in that order, so the count is theirs and a page
    loads its own stories by id, instead of counting the matches again and
    sorting all of them for every page."""

    def __init__(self, object_list, per_page, *args, ids, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.ids = ids

    @cached_property
    def count(self):
        return len(self.ids)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        shown = self.object_list.filter(pk__in=self.ids[bottom:top])
        return self._get_page(shown, number, self)
