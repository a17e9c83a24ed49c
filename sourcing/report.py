"""The sourcing report's figures: a few fixed aggregate queries over its
summary.

What counts: quotes in stories that are published (status published) with a
publication time in the period, in the newsroom's time zone, both dates
included (``quotes_for`` says it as a query over the quotes themselves). A
quote without a source is *unattributed*: it is counted as such and left out
of the attribute shares, which are shares of attributed quotes. A source with
no value for an attribute counts as *Unknown* — nothing is inferred.

The figures are read from the summary (``sourcing.summary``: one row per
published story and source, and per byline), never from the quotes: four
``GROUP BY`` queries over the summary rows of the period's days (per source,
which also gives the top list; by section; by journalist; by month), joined
to the sources by id for their attributes at query time. How many queries the
report makes does not depend on how many quotes, sources or stories there
are; Python only shapes the grouped rows (at most one per source quoted in
the period, and one per group, source attribute value).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.models import Article, Byline, Quote, Section, newsroom_timezone
from people.models import Journalist, Source
from people.permissions import source_label

from .models import BylineSource, StorySource

UNKNOWN = "Unknown"
MOST_QUOTED = 20

# The attributes the report counts: (key, label, the source's column, and
# whether it is counted case-insensitively). Gender is free text: counted
# case-insensitively ("Woman" and "woman" agree).
ATTRIBUTES = {
    "gender": ("Gender", "gender", True),
    "age_band": ("Age band", "age_band", False),
    "expertise": ("Expertise type", "expertise", False),
    "location": ("Location", "location", False),
    "other_attributes": ("Other", "other_attributes", False),
}
CHOICES = {
    "age_band": dict(Source.AgeBand.choices),
    "expertise": dict(Source.Expertise.choices),
}


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date
    date_to: datetime.date
    section: object = None  # a Section or None
    journalist: object = None  # a Journalist or None
    attribute: str = "gender"  # the one the breakdowns are by


@dataclass
class Row:
    """One value of an attribute (within a group, for the breakdowns)."""

    value: str
    quotes: int
    sources: int
    quote_share: float = 0.0  # of the group's attributed quotes, 0–100
    source_share: float = 0.0  # of the group's distinct sources, 0–100


@dataclass
class Group:
    """A section, journalist or month, with its rows for one attribute."""

    label: str
    quotes: int = 0
    sources: int = 0
    rows: list = field(default_factory=list)


@dataclass
class Report:
    filters: Filters
    stories: int
    quotes: int
    attributed: int
    sources: int
    attributes: dict  # key -> (label, [Row])
    official: list  # [Row]: Official, Non-official, Unknown
    by_section: list  # [Group]
    by_journalist: list
    by_month: list
    most_quoted: list  # [(name, quotes, stories)]

    @property
    def unattributed(self):
        return self.quotes - self.attributed

    @property
    def unattributed_share(self):
        return share(self.unattributed, self.quotes)

    @property
    def attribute_label(self):
        return ATTRIBUTES[self.filters.attribute][0]


def share(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def period_bounds(filters):
    """The period as aware times: from the first day's midnight to the
    midnight after the last day, in the newsroom's time zone."""
    tz = newsroom_timezone()

    def midnight(day):
        moment = datetime.datetime.combine(day, datetime.time.min)
        return timezone.make_aware(moment, tz) if tz is not None else moment

    return midnight(filters.date_from), midnight(
        filters.date_to + datetime.timedelta(days=1)
    )


def quotes_for(filters):
    """The quotes the report counts for ``filters``, straight from the
    quotes: the definition the summary keeps (the tests compare the two)."""
    start, end = period_bounds(filters)
    quotes = Quote.objects.filter(
        article__status=Article.Status.PUBLISHED,
        article__published_at__gte=start,
        article__published_at__lt=end,
    )
    if filters.section is not None:
        quotes = quotes.filter(article__section=filters.section)
    if filters.journalist is not None:
        # A subquery, not a join: a story with several bylines counts once.
        quotes = quotes.filter(
            Exists(
                Byline.objects.filter(
                    article=OuterRef("article"), journalist=filters.journalist
                )
            )
        )
    return quotes.order_by()


def value_label(attribute, value):
    """How a stored value is shown; empty (or typed “unknown”) is Unknown."""
    if not value or value.casefold() == UNKNOWN.casefold():
        return UNKNOWN
    return CHOICES.get(attribute, {}).get(value, value)


def with_shares(rows, quotes, sources):
    for row in rows:
        row.quote_share = share(row.quotes, quotes)
        row.source_share = share(row.sources, sources)
    rows.sort(key=lambda row: (row.value == UNKNOWN, -row.quotes, row.value))
    return rows


def merge_unknown(rows):
    """Blank and unknown are one value (a source counts once in it, as a
    source has one value of an attribute)."""
    merged = {}
    for row in rows:
        if row.value in merged:
            merged[row.value].quotes += row.quotes
            merged[row.value].sources += row.sources
        else:
            merged[row.value] = row
    return list(merged.values())


# The queries. Tables and columns by their Django names; every value a
# parameter.

STORY = StorySource._meta.db_table
BYLINE = BylineSource._meta.db_table
SOURCE = Source._meta.db_table
SECTION = Section._meta.db_table
JOURNALIST = Journalist._meta.db_table


def attribute_sql(attribute, alias="s"):
    _label, column, lowered = ATTRIBUTES[attribute]
    sql = f"{alias}.{column}"
    return f"LOWER({sql})" if lowered else sql


def period_where(filters, alias):
    """The summary rows (of table ``alias``) the report counts for ``filters``."""
    where = [f"{alias}.day >= %s", f"{alias}.day <= %s"]
    params = [filters.date_from, filters.date_to]
    if filters.section is not None:
        where.append(f"{alias}.section_id = %s")
        params.append(filters.section.pk)
    if filters.journalist is not None:
        # The stories with the journalist's byline: each story once.
        where.append(
            f"{alias}.article_id IN (SELECT j.article_id FROM {BYLINE} j "
            "WHERE j.journalist_id = %s AND j.day >= %s AND j.day <= %s)"
        )
        params += [filters.journalist.pk, filters.date_from, filters.date_to]
    return " AND ".join(where), params


def fetch(sql, params, *, sums):
    """The rows of ``sql``; the columns ``sums`` (indexes) as ints (a SUM is
    a decimal on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        tuple(int(v) if i in sums else v for i, v in enumerate(row)) for row in rows
    ]


def per_source(filters):
    """One row per source quoted in the period (and one for the unattributed
    quotes), most quoted first as the top list orders them: the source, its
    quotes, the stories counted once (for the total), the stories quoting it,
    its name, on/off record and description, and its attributes."""
    where, params = period_where(filters, "f")
    columns = ", ".join(attribute_sql(key) for key in ATTRIBUTES)
    return fetch(
        f"SELECT a.source_id, a.quotes, a.counted, a.stories, s.name, "
        f"s.on_record, s.description, {columns} FROM ("
        f"SELECT f.source_id, SUM(f.quotes) AS quotes, SUM(f.stories) AS counted, "
        f"COUNT(*) AS stories FROM {STORY} f WHERE {where} GROUP BY f.source_id) a "
        f"LEFT JOIN {SOURCE} s ON s.id = a.source_id "
        f"ORDER BY a.quotes DESC, s.name, s.id",
        params,
        sums={1, 2, 3},
    )


def grouped(filters, attribute, table, group, names=None):
    """Attributed quotes and distinct sources per ``group`` (a column of the
    summary ``table``) and value of ``attribute``, with the group's name from
    ``names`` (a table) if given: (group, name, value, quotes, sources)."""
    where, params = period_where(filters, "f")
    name_sql, join = "NULL", ""
    if names is not None:
        # Named after grouping: the join then meets one row per group and value.
        name_sql, join = "g.name", f" LEFT JOIN {names} g ON g.id = b.grp"
    value = attribute_sql(attribute)
    return fetch(
        f"SELECT b.grp, {name_sql}, b.value, b.quotes, b.sources FROM ("
        f"SELECT a.grp, {value} AS value, SUM(a.quotes) AS quotes, "
        f"COUNT(*) AS sources FROM ("
        f"SELECT f.{group} AS grp, f.source_id, SUM(f.quotes) AS quotes "
        f"FROM {table} f WHERE {where} AND f.source_id IS NOT NULL "
        f"GROUP BY f.{group}, f.source_id) a "
        f"JOIN {SOURCE} s ON s.id = a.source_id GROUP BY a.grp, {value}) b{join}",
        params,
        sums={3, 4},
    )


def attribute_rows(sources, attribute):
    """The rows of one attribute from ``per_source``'s rows."""
    index = 7 + list(ATTRIBUTES).index(attribute)
    raw = {}
    for row in sources:
        if row[0] is None:
            continue
        quotes, count = raw.get(row[index], (0, 0))
        raw[row[index]] = (quotes + row[1], count + 1)
    rows = [
        Row(value_label(attribute, value), quotes, count)
        for value, (quotes, count) in raw.items()
    ]
    return merge_unknown(rows)


def breakdown(items, attribute, label_of, order_key):
    """Groups of rows for ``attribute`` from ``grouped``'s items. A group's
    totals are the sums of its rows: a quote has one value of the attribute,
    and so has a source, so none counts twice."""
    groups = {}
    for ident, name, value, quotes, sources in items:
        key = (ident, name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(label_of(ident, name))
        group.quotes += quotes
        group.sources += sources
        group.rows.append(Row(value_label(attribute, value), quotes, sources))
    for group in groups.values():
        group.rows = with_shares(merge_unknown(group.rows), group.quotes, group.sources)
    return [groups[key] for key in sorted(groups, key=order_key)]


def by_name(key):
    return (key[1] is None, key[1] or "")


def build_report(filters, *, user):
    """Every figure of the report for ``filters``; anonymous sources named as
    ``user`` may see them."""
    sources = per_source(filters)
    quotes = sum(row[1] for row in sources)
    attributed = sum(row[1] for row in sources if row[0] is not None)
    distinct = sum(1 for row in sources if row[0] is not None)
    totals = {
        "quotes": quotes,
        "attributed": attributed,
        "sources": distinct,
        "stories": sum(row[2] for row in sources),
    }
    attributes = {}
    for attribute, (label, *_rest) in ATTRIBUTES.items():
        rows = attribute_rows(sources, attribute)
        attributes[attribute] = (
            label,
            with_shares(rows, totals["attributed"], totals["sources"]),
        )

    official = {"Official": Row("Official", 0, 0)}
    official["Non-official"] = Row("Non-official", 0, 0)
    official[UNKNOWN] = Row(UNKNOWN, 0, 0)
    for row in attributes["expertise"][1]:
        name = (
            row.value
            if row.value in ("Official", UNKNOWN)
            else "Non-official"  # expert, affected person, business, civil society
        )
        official[name].quotes += row.quotes
        official[name].sources += row.sources
    official_rows = list(official.values())
    for row in official_rows:
        row.quote_share = share(row.quotes, totals["attributed"])
        row.source_share = share(row.sources, totals["sources"])

    attribute = filters.attribute
    by_section = breakdown(
        grouped(filters, attribute, STORY, "section_id", SECTION),
        attribute,
        lambda ident, name: name or "No section",
        by_name,
    )
    by_journalist = breakdown(
        grouped(filters, attribute, BYLINE, "journalist_id", JOURNALIST),
        attribute,
        lambda ident, name: name or "No byline",
        by_name,
    )
    by_month = breakdown(
        grouped(filters, attribute, STORY, "month"),
        attribute,
        lambda ident, name: str(ident)[:7],
        lambda key: str(key[0]),
    )

    most_quoted = [
        (
            source_label(
                user, Source(name=name, on_record=on_record, description=description)
            ),
            quotes,
            stories,
        )
        for _id, quotes, _counted, stories, name, on_record, description, *_rest in [
            row for row in sources if row[0] is not None
        ][:MOST_QUOTED]
    ]
    return Report(
        filters=filters,
        stories=totals["stories"],
        quotes=totals["quotes"],
        attributed=totals["attributed"],
        sources=totals["sources"],
        attributes=attributes,
        official=official_rows,
        by_section=by_section,
        by_journalist=by_journalist,
        by_month=by_month,
        most_quoted=most_quoted,
    )


# The CSV export's columns, in this order (documented in the README):
CSV_COLUMNS = [
    "table",  # summary, attribute, official, section, journalist, month, most_quoted
    "attribute",  # the attribute's key (gender, age_band, …); empty for others
    "group",  # the section, journalist or month (YYYY-MM); empty for others
    "value",  # the attribute's value, “Unknown”, a figure's name or a source
    "quotes",
    "quote_share",  # percent of the group's attributed quotes, one decimal
    "sources",  # distinct sources (stories, for most_quoted)
    "source_share",  # percent of the group's distinct sources, one decimal
]


def csv_rows(report):
    """The report as rows of ``CSV_COLUMNS``: the same figures as the page."""
    yield CSV_COLUMNS
    for name, value in [
        ("stories", report.stories),
        ("quotes", report.quotes),
        ("attributed quotes", report.attributed),
        ("unattributed quotes", report.unattributed),
        ("distinct sources", report.sources),
    ]:
        yield ["summary", "", "", name, value, "", "", ""]
    for attribute, (_label, rows) in report.attributes.items():
        for row in rows:
            yield ["attribute", attribute, "", *row_values(row)]
    for row in report.official:
        yield ["official", "expertise", "", *row_values(row)]
    attribute = report.filters.attribute
    for table, groups in [
        ("section", report.by_section),
        ("journalist", report.by_journalist),
        ("month", report.by_month),
    ]:
        for group in groups:
            for row in group.rows:
                yield [table, attribute, group.label, *row_values(row)]
    for name, quotes, stories in report.most_quoted:
        yield ["most_quoted", "", "", name, quotes, "", stories, ""]


def row_values(row):
    return [
        row.value,
        row.quotes,
        f"{row.quote_share:.1f}",
        row.sources,
        f"{row.source_share:.1f}",
    ]
