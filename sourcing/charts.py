"""Server-rendered SVG bar charts for the sourcing report.

Nothing is fetched and no script runs: each chart is an ``<svg>`` with a
``<title>`` and ``role="img"``; the table beside it is its accessible
equivalent. Colours come from the stylesheet classes ``bar-0`` … ``bar-5``.
"""

from django.utils.html import format_html, format_html_join

ROW = 26
LABEL_WIDTH = 180
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 70


def bar_chart(title, rows):
    """Horizontal bars of each row's share of quotes (``Row.quote_share``)."""
    height = ROW * max(len(rows), 1) + 8
    bars = format_html_join(
        "",
        '<g transform="translate(0 {})">'
        '<text x="{}" y="17" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="4" width="{}" height="18" class="bar-{}"></rect>'
        '<text x="{}" y="17" class="chart-value">{}%</text></g>',
        (
            (
                index * ROW,
                LABEL_WIDTH - 8,
                truncate(row.value),
                LABEL_WIDTH,
                round(BAR_WIDTH * row.quote_share / 100, 1),
                index % 6,
                LABEL_WIDTH + round(BAR_WIDTH * row.quote_share / 100, 1) + 6,
                f"{row.quote_share:.1f}",
            )
            for index, row in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="sourcing-chart" role="img" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        title,
        bars,
    )


def truncate(text, length=26):
    return text if len(text) <= length else text[: length - 1] + "…"
