"""Admin lists that stay fast on large tables (a million stories, their quotes).

Counting is what costs: a changelist counts its rows for the paginator on
every view, and ``COUNT(*)`` reads every matching row. On PostgreSQL,
``LargeTablePaginator`` counts an unfiltered list from the planner's
statistics, and a filtered or searched list exactly up to ``count_up_to``
rows (a count that stops there), then from the planner's estimate for that
query. Lists shorter than that are counted exactly, as before.
"""

import datetime
from html import escape as quick_escape  # Django's ``escape``, without its wrapper
from operator import attrgetter
from urllib.parse import quote as url_quote

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Max, Min, Value, prefetch_related_objects
from django.template.loader import get_template, select_template
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, formats, timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
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
        results = self.result_list.prefetch_related(None)
        unlisted = getattr(self.model_admin, "list_unread_fields", ())
        if unlisted:
            # Long texts no column shows: not read (a story's body is most
            # of its row).
            results = results.defer(*unlisted)
        rows = list(results)
        self.model_admin.complete_rows(request, rows, lookups)
        self.result_list = rows


class LargeTableAdminMixin:
    """For a ModelAdmin of a table that grows without end: estimated and capped
    counts (``LargeTablePaginator``), no second count of the whole table for
    filtered lists, and a date hierarchy that probes instead of scanning."""

    paginator = LargeTablePaginator
    show_full_result_count = False
    # The list page: this admin's own, its rows rendered in one pass.
    one_pass_list_template = "admin/newsroom/large_table_change_list.html"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        shows_list = isinstance(response, TemplateResponse) and "cl" in (
            response.context_data or {}
        )
        if shows_list and not response.is_rendered:
            names = response.template_name
            base = get_template if isinstance(names, str) else select_template
            response.context_data["list_base_template"] = base(names)
            response.template_name = self.one_pass_list_template
        return response

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


# One-pass rows -------------------------------------------------------------
#
# Django's ``items_for_result`` works out, for every cell of every row, where
# the column's value comes from (a field, a ModelAdmin method, a model
# attribute: ``lookup_field`` asks ``_meta.get_field`` and catches its
# exception), whether it links, its CSS classes and its empty value, and for
# every row reverses the change URL and merges the list's filters into it
# (``add_preserved_filters`` parses, resolves and re-encodes the address):
# about 0.1 ms a cell, most of a 50-row list's time. ``one_pass_rows`` makes
# those decisions once per column and the change URL once per list, then
# renders each row as one string, with the same cells: the same tags,
# classes, links (with the list's filters), checkboxes and empty values.

PK_MARK = "0newsroomrowpk0"  # stands for a row's key in the list's change URL


class Column:
    """How one column of ``cl.list_display`` is found and rendered."""

    def __init__(self, cl, index, name, *, link, header_cell):
        model_admin = cl.model_admin
        self.name = name
        self.model_admin = model_admin
        self.link = link
        self.tag = "th" if header_cell else "td"
        self.base_classes = f"field-{_coerce_field_name(name, index)}"
        self.classes = self.base_classes
        self.empty = self.admin_empty = model_admin.get_empty_value_display()
        self.field = None  # a model field shown by ``display_for_field``
        self.attr = None
        self.boolean = False
        self.getter = None  # obj -> value; None: ``lookup_field`` for each row
        self.checkbox = False  # ``LargeTableAdminMixin.action_checkbox``
        self.is_datetime = False
        self.is_boolean = False
        self.choices = None  # a field's choices: value -> label
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                self.attr = self.getter = name
            elif hasattr(model_admin, name) and name != "__str__":
                self.attr = self.getter = getattr(model_admin, name)
                self.checkbox = name == "action_checkbox" and (
                    getattr(self.attr, "__func__", None)
                    is LargeTableAdminMixin.action_checkbox
                )
            elif name == "__str__":
                self.attr, self.getter = getattr(cl.model, name), str
            if self.getter is not None:
                self.empty = getattr(self.attr, "empty_value_display", self.empty)
                self.boolean = getattr(self.attr, "boolean", False)
            if name == "action_checkbox":
                self.classes = "action-checkbox"
            return
        self.getter = attrgetter(name)
        if field.auto_created:  # shown as a plain value, as Django does
            return
        self.field = field
        self.many_to_one = isinstance(field.remote_field, models.ManyToOneRel)
        if getattr(field, "flatchoices", None):
            try:
                self.choices = dict(field.flatchoices)
            except TypeError:  # list-like choices: ``display_for_field`` copes
                self.choices = None
                self.getter = None
        else:
            self.is_datetime = isinstance(field, models.DateTimeField)
            self.is_boolean = isinstance(field, models.BooleanField)
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            self.classes += " nowrap"

    def shown(self, obj):
        """The cell's classes and its content, as ``items_for_result`` has them."""
        try:
            if self.getter is None:
                field, attr, value = lookup_field(self.name, obj, self.model_admin)
            else:
                field, attr, value = self.field, self.attr, self.getter(obj)
        except ObjectDoesNotExist:
            return self.base_classes, self.admin_empty
        if isinstance(value, str) and value.strip() == "":
            value = ""
        classes = self.classes
        if field is None:
            empty, boolean = self.empty, self.boolean
            if self.getter is None:  # found for this row: its attributes too
                empty = getattr(attr, "empty_value_display", empty)
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
            if boolean:
                shown = self.icon(value)
            elif type(value) is datetime.datetime:
                shown = self.when(value)
            else:
                shown = display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes += " nowrap"
        elif self.many_to_one:
            related = getattr(obj, field.name)
            shown = self.empty if related is None else related
        elif self.choices is not None:
            try:
                shown = self.choices.get(value, self.empty)
            except TypeError:
                shown = display_for_field(value, field, self.empty)
        elif self.is_boolean:
            shown = self.icon(value)
        elif self.is_datetime and value is not None:
            shown = self.when(value)
        else:
            shown = display_for_field(value, field, self.empty, avoid_link=self.link)
        return classes, shown


class BooleanIcons(dict):
    """``_boolean_icon(value)`` (a yes, no or unknown icon, by ``static()``)
    made once a list for each value shown."""

    def __call__(self, value):
        key = (type(value), value)
        if key not in self:
            self[key] = _boolean_icon(value)
        return self[key]


class LocalTimes:
    """``formats.localize(timezone.template_localtime(value))`` for aware
    datetimes — what the admin shows for one — with the format and the time
    zone looked up once a list rather than for every value."""

    def __init__(self):
        self.format = get_format("DATETIME_FORMAT")
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def __call__(self, value):
        convert = getattr(value, "convert_to_local_time", True)
        if self.zone is not None and convert and timezone.is_aware(value):
            value = value.astimezone(self.zone)
        return dateformat.format(value, self.format)


def one_pass_rows(cl):
    """The rows of ``cl`` (a ChangeList without ``list_editable``) as Django's
    ``items_for_result`` renders them, one string of cells a row."""
    columns = []
    first = True
    when, icon = LocalTimes(), BooleanIcons()
    links = cl.list_display_links
    for index, name in enumerate(cl.list_display):
        link = links is not None and ((first and not links) or name in links)
        column = Column(cl, index, name, link=link, header_cell=link and first)
        column.when, column.icon = when, icon
        columns.append(column)
        if link:
            first = False

    # The change URL once, with a mark where each row's key goes.
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        url_parts = None
    else:
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )
        before, _, after = url.partition(PK_MARK)
        url_parts = (escape(before), escape(after))
    key = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
    select_label = gettext("Select this object for an action - {}")
    checkbox = helpers.ACTION_CHECKBOX_NAME

    rows = []
    for obj in cl.result_list:
        cells = []
        for column in columns:
            if column.checkbox:
                label = select_label.format(quick_escape(str(obj)))
                value = quick_escape(str(obj.pk))
                cells.append(
                    '<td class="action-checkbox"><input type="checkbox"'
                    f' name="{checkbox}" value="{value}" class="action-select"'
                    f' aria-label="{label}"></td>'
                )
                continue
            classes, shown = column.shown(obj)
            shown = escaped(shown)
            if column.link and url_parts is not None:
                pk = getattr(obj, cl.pk_attname)
                if type(pk) is int:  # an int is its own address
                    pk = str(pk)
                else:
                    pk = url_quote(str(quote(pk)), safe=URL_SAFE)
                popup = ""
                if cl.is_popup:
                    opener = escape(obj.serializable_value(key))
                    popup = f' data-popup-opener="{opener}"'
                href = f"{url_parts[0]}{quick_escape(pk)}{url_parts[1]}"
                shown = f'<a href="{href}"{popup}>{shown}</a>'
            cells.append(f'<{column.tag} class="{classes}">{shown}</{column.tag}>')
        rows.append(ResultList(None, [mark_safe("".join(cells))]))
    return rows


def escaped(value):
    """``conditional_escape(value)``, taking the short way for plain and safe
    strings (most cells)."""
    if type(value) is str:
        return quick_escape(value)  # what ``escape`` does
    if type(value) is SafeString:
        return value
    return conditional_escape(value)


# What ``reverse`` leaves unquoted in a path.
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


# One-pass filters -----------------------------------------------------------

DJANGO_FILTER_TEMPLATE = "django/contrib/admin/templates/admin/filter.html"


def plain_filter_template(cl):
    """Whether ``admin/filter.html`` is Django's own (not overridden by the
    project), which ``filter_html`` renders; asked once a list."""
    if not hasattr(cl, "plain_filter_template"):
        origin = get_template("admin/filter.html").origin.name
        cl.plain_filter_template = origin.replace("\\", "/").endswith(
            DJANGO_FILTER_TEMPLATE
        )
    return cl.plain_filter_template


def shown_value(value):
    """``{{ value }}`` in a template (localised, escaped)."""
    if not isinstance(value, str):
        value = str(formats.localize(timezone.template_localtime(value)))
    return conditional_escape(value)


def filter_html(title, choices):
    """What Django's ``admin/filter.html`` renders for a filter's choices."""
    title = conditional_escape(title)
    heading = gettext(" By %(filter_title)s ") % {"filter_title": title}
    items = "".join(
        '\n    <li{}>\n    <a href="{}">{}</a></li>\n  '.format(
            ' class="selected"' if choice.get("selected") else "",
            conditional_escape(iri_to_uri(choice.get("query_string", ""))),
            shown_value(choice.get("display", "")),
        )
        for choice in choices
    )
    return mark_safe(
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {heading}\n'
        f"  </summary>\n  <ul>\n  {items}\n  </ul>\n</details>\n"
    )


class ChangeUrls:
    """``reverse("admin:<app>_<model>_change", args=[obj.pk])`` for many
    objects: one ``reverse`` a model, with a mark where each key goes."""

    def __init__(self):
        self.parts = {}

    def __call__(self, obj):
        opts = obj._meta
        key = (opts.app_label, opts.model_name)
        if key not in self.parts:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[PK_MARK]
            )
            before, _, after = url.partition(PK_MARK)
            self.parts[key] = (before, after)
        before, after = self.parts[key]
        return f"{before}{url_quote(str(obj.pk), safe=URL_SAFE)}{after}"
