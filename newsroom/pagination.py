"""Numbered pages of a reader's list that cost the same on page 1 and page 50,
with 1,000 stories in the archive or a million.

A large archive is not paged through to its end by readers: news sites number
their list pages up to a cap and leave the rest of the archive to search and
the sitemaps. So a page here never counts the whole list (no ``COUNT(*)``):
it reads the ids of its own rows plus one (to know whether an older page
follows) from the list's index, then those rows. The deepest page reads at
most ``MAX_PAGES × per_page`` index entries, whatever the table's size.

``?page=N`` keeps working: nonsense gives page 1, a number past the end (or
past the cap) the last page there is.
"""

from django.db.models import Subquery

MAX_PAGES = 50


class CappedPage:
    """What the pagination template reads, as Django's ``Page`` names it."""

    paginator = None  # no total: a reader's page never counts the whole list

    def __init__(self, object_list, number, has_next):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

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


def capped_page(queryset, value, *, per_page, ordering=("-published_at", "-id")):
    """Page ``value`` of ``queryset`` in ``ordering`` (which must end with a
    unique column), in one query, or three for a number past the end."""
    number = page_number(value)
    rows = read_page(queryset, number, per_page, ordering)
    if not rows and number > 1:
        # Past the end: count no further than the cap to find the last page.
        shown = queryset.order_by().values("pk")[: (number - 1) * per_page].count()
        number = max(1, -(-shown // per_page))
        rows = read_page(queryset, number, per_page, ordering)
    has_next = len(rows) > per_page and number < MAX_PAGES
    return CappedPage(rows[:per_page], number, has_next=has_next)


def read_page(queryset, number, per_page, ordering):
    start = (number - 1) * per_page
    # The page's ids from the list's index alone, then only those rows with
    # everything the page shows.
    ids = queryset.order_by(*ordering).values("pk")[start : start + per_page + 1]
    return list(queryset.filter(pk__in=Subquery(ids)).order_by(*ordering))
