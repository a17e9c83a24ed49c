"""The sourcing report computed straight from the quotes, as it was before
the summary (``sourcing.summary``) existed: ten ``GROUP BY`` queries over the
quotes of the period's published stories. The tests' oracle — the summary's
figures must equal these, whatever happened to the stories."""

from django.db.models import Count, F
from django.db.models.functions import Lower, TruncMonth

from articles.models import newsroom_timezone
from people.models import Source
from people.permissions import source_label
from sourcing.report import (
    MOST_QUOTED,
    UNKNOWN,
    Group,
    Report,
    Row,
    merge_unknown,
    quotes_for,
    share,
    value_label,
    with_shares,
)

ATTRIBUTES = {
    "gender": ("Gender", Lower("source__gender")),
    "age_band": ("Age band", F("source__age_band")),
    "expertise": ("Expertise type", F("source__expertise")),
    "location": ("Location", F("source__location")),
    "other_attributes": ("Other", F("source__other_attributes")),
}


def counted(queryset, *group_by, key):
    """``queryset``'s attributed quotes and distinct sources per group and value."""
    return (
        queryset.filter(source__isnull=False)
        .values(*group_by, value=key)
        .annotate(quotes=Count("pk"), sources=Count("source", distinct=True))
        .order_by()
    )


def attribute_rows(quotes, attribute):
    rows = [
        Row(value_label(attribute, item["value"]), item["quotes"], item["sources"])
        for item in counted(quotes, key=ATTRIBUTES[attribute][1])
    ]
    return merge_unknown(rows)


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
