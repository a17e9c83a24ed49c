"""Admin lists that stay fast on large tables (a million stories, their quotes).

Counting is what costs: a changelist counts its rows for the paginator on
every view, and ``COUNT(*)`` reads every matching row. On PostgreSQL,
``LargeTablePaginator`` counts an unfiltered list from the planner's
statistics, and a filtered or searched list exactly up to ``count_up_to``
rows (a count that stops there), then from the planner's estimate for that
query. Lists shorter than that are counted exactly, as before.
"""

import datetime

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, Value, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext

from .counting import capped_count, table_estimate


class LargeTablePaginator(Paginator):
    estimate_above = 50_000
    count_up_to = 1_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        if not queryset.query.where:
            estimate = table_estimate(connection, queryset.model._meta.db_table)
            if estimate > self.estimate_above:
                return estimate
            return super().count
        return capped_count(queryset, self.count_up_to)


class ProbedDatesMixin:
    """``dates()``/``datetimes()`` that probe each year, month or day between the
    first and last value instead of reading every row (``SELECT DISTINCT
    date_trunc(…)`` reads the whole table). The admin's date hierarchy asks
    these; the answer is the same: the periods that hold at least one row.

    One aggregate (the first and last value, from an index) and one query of
    at most one index probe per period.
    """

    def dates(self, field_name, kind, order="ASC"):
        return self._probed(field_name, kind, order, dates=True) or []

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        return self._probed(field_name, kind, order, tzinfo=tzinfo) or []

    def _probed(self, field_name, kind, order, *, dates=False, tzinfo=None):
        if connections[self.db].vendor != "postgresql" or kind not in PERIODS:
            parent = super().dates if dates else super().datetimes
            args = (field_name, kind, order)
            return list(parent(*args) if dates else parent(*args, tzinfo=tzinfo))
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        zone = None if dates else (tzinfo or timezone.get_current_timezone())
        first, last = bounds["first"], bounds["last"]
        if zone is not None:
            first, last = (
                timezone.localtime(first, zone),
                timezone.localtime(last, zone),
            )
        periods = []
        start = period_start(first, kind)
        last_start = period_start(last, kind)
        while start <= last_start:
            periods.append(start)
            start = next_period(start, kind)

        def moment(value):
            if dates:
                return value
            naive = datetime.datetime.combine(value, datetime.time.min)
            return timezone.make_aware(naive, zone) if zone else naive

        probes = [
            self.filter(
                **{
                    f"{field_name}__gte": moment(start),
                    f"{field_name}__lt": moment(next_period(start, kind)),
                }
            )
            .order_by()
            .annotate(period=Value(number))
            .values_list("period", flat=True)[:1]
            for number, start in enumerate(periods)
        ]
        found = set(probes[0].union(*probes[1:], all=True)) if probes else set()
        result = [
            moment(start) for number, start in enumerate(periods) if number in found
        ]
        return result[::-1] if order == "DESC" else result


PERIODS = ("year", "month", "day")


def period_start(value, kind):
    """The first day of ``value``'s year, month or day (a date)."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if kind == "year":
        return day.replace(month=1, day=1)
    if kind == "month":
        return day.replace(day=1)
    return day


def next_period(day, kind):
    if kind == "year":
        return day.replace(year=day.year + 1)
    if kind == "month":
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return day + datetime.timedelta(days=1)


_probed_classes = {}


def with_probed_dates(queryset):
    """``queryset`` with ``ProbedDatesMixin``'s ``dates()`` and ``datetimes()``."""
    cls = queryset.__class__
    if not issubclass(cls, ProbedDatesMixin):
        if cls not in _probed_classes:
            _probed_classes[cls] = type(
                f"Probed{cls.__name__}", (ProbedDatesMixin, cls), {}
            )
        queryset = queryset._chain()
        queryset.__class__ = _probed_classes[cls]
    return queryset


class LargeTableChangeList(ChangeList):
    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query and getattr(self.model_admin, "search_hides_dates", False):
            # Search results are a bounded set (the newest matches): their
            # list filters narrow them by date; no drill-down through years.
            self.date_hierarchy = None

    def get_queryset(self, request, exclude_parameters=None):
        return with_probed_dates(super().get_queryset(request, exclude_parameters))

    def get_results(self, request):
        super().get_results(request)
        # The page's rows, once, for the ModelAdmin to complete in bulk.
        lookups = self.result_list._prefetch_related_lookups
        rows = list(self.result_list.prefetch_related(None))
        self.model_admin.complete_rows(request, rows, lookups)
        self.result_list = rows


class LargeTableAdminMixin:
    """For a ModelAdmin of a table that grows without end: estimated and capped
    counts (``LargeTablePaginator``), no second count of the whole table for
    filtered lists, and a date hierarchy that probes instead of scanning."""

    paginator = LargeTablePaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return LargeTableChangeList

    def complete_rows(self, request, rows, lookups):
        """Load what the list shows about ``rows`` (the page's objects; by
        default ``lookups``, the queryset's ``prefetch_related``). Override
        it with ``prefetch_related_objects`` of ``Prefetch(…, to_attr=…)``
        lists: a queryset's prefetch makes a queryset for each row and
        relation (a clone of the query each), much of a list's time."""
        prefetch_related_objects(rows, *lookups)

    def action_checkbox(self, obj):
        # What ``ModelAdmin.action_checkbox`` renders, without rendering a
        # form widget through the template engine for every row.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
