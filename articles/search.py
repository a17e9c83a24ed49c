"""Search over published stories: full text on PostgreSQL, a simpler match elsewhere.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the
body (C). The GIN index added by migration 0003 is built on exactly
``search_vector()``, so the planner can use it for the ``@@`` match.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from newsroom.validation import clean_text

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8


def search_vector():
    # Imported here so SQLite-only installs never need the PostgreSQL module.
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def clean_query(text):
    """The reader's words, trimmed to a sensible length ("" when there are none).

    Control characters (a NUL, which PostgreSQL refuses in any query) and
    other characters no page can show are dropped, as they are from stories.
    """
    if not isinstance(text, str):
        return ""
    return clean_text(text, single_line=True)[:MAX_QUERY_LENGTH].strip()


def search(queryset, text):
    """Stories in ``queryset`` matching ``text``, best match first."""
    text = clean_query(text)
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _full_text(queryset, text)
    return _simple(queryset, text)


def _full_text(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    vector = search_vector()
    return (
        queryset.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(vector, query))
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
        queryset.filter(matches)
        .annotate(rank=score + phrase)
        .order_by("-rank", "-published_at", "-id")
    )
