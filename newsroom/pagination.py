"""Numbered pages of a reader's list that cost the same on page 1 and page 50,
with 1,000 stories in the archive or a million.

A large archive is not paged through to its end by readers: news sites number
their list pages up to a cap and leave the rest of the archive to search and
the sitemaps. So a page here never counts the whole list (no ``COUNT(*)``):
it reads the ids of its own rows plus one (to know whether an older page
follows) from the list's index, then those rows. The deepest page reads at
most ``MAX_PAGES × per_page`` index entries, whatever the table's size.

``?page=N`` keeps working: nonsense gives page 1, a number past the end (or
past the cap) the last page there is. From the last numbered page, older
stories go on by keyset (``?before=<id>``, and ``?after=<id>`` back), at the
cost of a first page whatever the depth.
"""

from typing import NamedTuple

from django.db.models import OuterRef, QuerySet, Subquery

MAX_PAGES = 50
# Stories a page on every list of stories: section, tag, source, author and
# search pages, and the API's /api/stories/.
PAGE_SIZE = 20


class CappedPage:
    """What the pagination template reads, as Django's ``Page`` names it, and
    for the archive past the cap the ids an older or newer page starts from
    (``?before=`` / ``?after=``; ``number`` is then None)."""

    paginator = None  # no total: a reader's page never counts the whole list

    def __init__(self, object_list, number, *, has_next, has_previous=None):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next
        self._has_previous = number > 1 if has_previous is None else has_previous
        past_cap = number is None or number >= MAX_PAGES
        self.next_before = object_list[-1].pk if has_next and past_cap else None
        self.previous_after = (
            object_list[0].pk if self._has_previous and number is None else None
        )

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(value):
    """The page a ``?page=`` value asks for: 1 to ``MAX_PAGES``."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), MAX_PAGES)


def story_id(value):
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**63 else None


NEWEST_FIRST = ("-published_at", "-id")


class ListIndex(NamedTuple):
    """Where a list's order is read from when the stories' own indexes cannot
    give it: ``rows`` (a queryset of another model, already filtered to the
    list's public entries), the field holding each entry's story publication
    time and the one holding the story's id. A journalist's bylines carry
    their story's time (``Byline.story_published_at``), so the newest of
    thousands are the first entries of one index."""

    rows: QuerySet
    time: str
    story: str

    def ordered(self, *, newest_first=True):
        sign = "-" if newest_first else ""
        return self.rows.order_by(f"{sign}{self.time}", f"{sign}{self.story}")

    def ids(self, *, newest_first=True):
        return self.ordered(newest_first=newest_first).values(self.story)

    def in_order(self, stories):
        """``stories`` (a story queryset) in this list's order, newest first:
        by the entry's time, which may be later than the story's publication
        time (a byline's is when its story came out, an embargo's end)."""
        entry_time = Subquery(
            self.rows.filter(**{self.story: OuterRef("pk")})
            .order_by()
            .values(self.time)[:1]
        )
        return stories.annotate(listed_at=entry_time).order_by("-listed_at", "-id")


def capped_page(queryset, query, *, per_page, index=None):
    """The page of ``queryset`` (newest first, by ``published_at`` then id) that
    ``query`` (the request's GET) asks for: ``?page=N`` up to the cap, in one
    query (three for a number past the end); beyond the cap ``?before=<id>``
    and ``?after=<id>`` (the id of the last or first item of the page
    before), in two, at any depth.

    ``index``: a ``ListIndex`` the page's ids are read from instead, for a
    list that is a small share of the archive, found by an index of its own
    (a journalist's bylines): walking the newest stories looking for its next
    one stops early for a list of many recent stories, but PostgreSQL cannot
    tell from its statistics which lists those are (for a journalist with five
    stories years ago it walked the whole archive, 1.4 s at a million
    stories). The stories are then only looked up by id (``queryset`` still
    decides which of them are shown)."""
    for name, older in (("before", True), ("after", False)):
        if name in query and (pk := story_id(query.get(name))):
            page = keyset_page(
                queryset,
                pk,
                older=older,
                per_page=per_page,
                index=index,
            )
            if page is not None:
                return page
    number = page_number(query.get("page"))
    rows = read_page(queryset, number, per_page, index=index)
    if not rows and number > 1:
        # Past the end: count no further than the cap to find the last page.
        listed = queryset if index is None else index.rows
        shown = listed.order_by().values("pk")[: (number - 1) * per_page].count()
        number = max(1, -(-shown // per_page))
        rows = read_page(queryset, number, per_page, index=index)
    return CappedPage(rows[:per_page], number, has_next=len(rows) > per_page)


def read_page(queryset, number, per_page, *, index=None):
    start = (number - 1) * per_page
    # The page's ids from the list's index alone, then only those rows with
    # everything the page shows.
    if index is not None:
        ids = index.ids()
    else:
        ids = queryset.order_by(*NEWEST_FIRST).values("pk")
    ids = ids[start : start + per_page + 1]
    return list(in_list_order(queryset.filter(pk__in=Subquery(ids)), index))


def in_list_order(stories, index):
    if index is not None:
        return index.in_order(stories)
    return stories.order_by(*NEWEST_FIRST)


def keyset_page(queryset, pk, *, older, per_page, index=None):
    """The ``per_page`` items just older (or newer) than item ``pk``; None if
    there is no such item."""
    if index is not None:
        # The list's own time: a byline's may be later than its story's
        # publication time (an embargo that lifted after it).
        marks = index.rows.filter(**{index.story: pk}).values_list(index.time)
    else:
        marks = queryset.model.objects.filter(pk=pk).values_list("published_at")
    mark = next(iter(marks[:1]), (None,))[0]
    if mark is None:
        return None
    # The time bound is what the index seeks to; the id only breaks ties.
    if index is not None:
        time, story = index.time, index.story
        if older:
            beyond = index.rows.filter(**{f"{time}__lte": mark}).exclude(
                **{time: mark, f"{story}__gte": pk}
            )
        else:
            beyond = index.rows.filter(**{f"{time}__gte": mark}).exclude(
                **{time: mark, f"{story}__lte": pk}
            )
        ids = index._replace(rows=beyond).ids(newest_first=older)[: per_page + 1]
    elif older:
        beyond = queryset.filter(published_at__lte=mark).exclude(
            published_at=mark, pk__gte=pk
        )
        ids = beyond.order_by(*NEWEST_FIRST).values("pk")[: per_page + 1]
    else:
        beyond = queryset.filter(published_at__gte=mark).exclude(
            published_at=mark, pk__lte=pk
        )
        ids = beyond.order_by("published_at", "id").values("pk")[: per_page + 1]
    rows = list(in_list_order(queryset.filter(pk__in=Subquery(ids)), index))
    more = len(rows) > per_page
    if older:
        return CappedPage(rows[:per_page], None, has_next=more, has_previous=True)
    if not more:  # back among the newest: the first page
        return None
    return CappedPage(rows[1:], None, has_next=True, has_previous=True)
