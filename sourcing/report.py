"""The sourcing report's figures: a few fixed aggregate queries.

Every figure is a ``GROUP BY`` in the database over the quotes of the
published stories of a period (optionally of one section or one journalist);
Python only shapes the few grouped rows into tables. How many queries the
report makes does not depend on how many quotes, sources or stories there are.

What counts: quotes in stories that are published (status published) with a
publication time in the period, in the newsroom's time zone, both dates
included. A quote without a source is *unattributed*: it is counted as such
and left out of the attribute shares, which are shares of attributed quotes.
A source with no value for an attribute counts as *Unknown* — nothing is
inferred.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import Lower, TruncMonth
from django.utils import timezone

from articles.models import Article, Byline, Quote, newsroom_timezone
from people.models import Source
from people.permissions import source_label

UNKNOWN = "Unknown"
MOST_QUOTED = 20

# The attributes the report counts: (key, label, how a value is grouped).
# Gender is free text: counted case-insensitively ("Woman" and "woman" agree).
ATTRIBUTES = {
    "gender": ("Gender", Lower("source__gender")),
    "age_band": ("Age band", F("source__age_band")),
    "expertise": ("Expertise type", F("source__expertise")),
    "location": ("Location", F("source__location")),
    "other_attributes": ("Other", F("source__other_attributes")),
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


def counted(queryset, *group_by, key):
    """``queryset``'s attributed quotes and distinct sources per group and value."""
    return (
        queryset.filter(source__isnull=False)
        .values(*group_by, value=key)
        .annotate(quotes=Count("pk"), sources=Count("source", distinct=True))
        .order_by()
    )


def with_shares(rows, quotes, sources):
    for row in rows:
        row.quote_share = share(row.quotes, quotes)
        row.source_share = share(row.sources, sources)
    rows.sort(key=lambda row: (row.value == UNKNOWN, -row.quotes, row.value))
    return rows


def attribute_rows(quotes, attribute):
    rows = [
        Row(value_label(attribute, item["value"]), item["quotes"], item["sources"])
        for item in counted(quotes, key=ATTRIBUTES[attribute][1])
    ]
    return merge_unknown(rows)


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


def breakdown(quotes, attribute, group_by, label_of, order_key):
    """Groups of rows for ``attribute`` per value of ``group_by`` (fields of
    the quote). A group's totals are the sums of its rows: a quote has one
    value of the attribute, and so has a source, so none counts twice."""
    key = ATTRIBUTES[attribute][1]
    groups = {}
    for item in counted(quotes, *group_by, key=key):
        ident = tuple(item[name] for name in group_by)
        group = groups.get(ident)
        if group is None:
            group = groups[ident] = Group(label_of(item))
        group.quotes += item["quotes"]
        group.sources += item["sources"]
        group.rows.append(
            Row(value_label(attribute, item["value"]), item["quotes"], item["sources"])
        )
    for group in groups.values():
        group.rows = with_shares(merge_unknown(group.rows), group.quotes, group.sources)
    return [groups[ident] for ident in sorted(groups, key=order_key)]


def build_report(filters, *, user):
    """Every figure of the report for ``filters``; anonymous sources named as
    ``user`` may see them."""
    quotes = quotes_for(filters)
    totals = quotes.aggregate(
        quotes=Count("pk"),
        attributed=Count("source"),
        sources=Count("source", distinct=True),
        stories=Count("article", distinct=True),
    )
    attributes = {}
    for attribute, (label, _key) in ATTRIBUTES.items():
        rows = attribute_rows(quotes, attribute)
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
        quotes,
        attribute,
        ["article__section_id", "article__section__name"],
        lambda item: item["article__section__name"] or "No section",
        lambda ident: (ident[1] is None, ident[1] or ""),
    )
    by_journalist = breakdown(
        quotes,
        attribute,
        ["article__bylines__journalist_id", "article__bylines__journalist__name"],
        lambda item: item["article__bylines__journalist__name"] or "No byline",
        lambda ident: (ident[1] is None, ident[1] or ""),
    )
    tz = newsroom_timezone()
    by_month = breakdown(
        quotes.annotate(month=TruncMonth("article__published_at", tzinfo=tz)),
        attribute,
        ["month"],
        lambda item: item["month"].strftime("%Y-%m"),
        lambda ident: ident[0],
    )

    most_quoted = [
        (
            source_label(
                user,
                Source(
                    name=item["source__name"],
                    on_record=item["source__on_record"],
                    description=item["source__description"],
                ),
            ),
            item["quotes"],
            item["stories"],
        )
        for item in quotes.filter(source__isnull=False)
        .values("source_id", "source__name", "source__on_record", "source__description")
        .annotate(quotes=Count("pk"), stories=Count("article", distinct=True))
        .order_by("-quotes", "source__name", "source_id")[:MOST_QUOTED]
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
