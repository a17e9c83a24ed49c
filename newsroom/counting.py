"""Counting rows of tables that grow without end, at a cost that does not.

``COUNT(*)`` reads every matching row. ``capped_count`` stops counting at a
limit and, past it, answers PostgreSQL's estimate for the query: exact for
short lists, close for long ones, and the same cost for a million rows as for
ten thousand. Other databases count exactly.
"""

import json

from django.db import connections


def capped_count(queryset, up_to):
    """The number of rows, exactly up to ``up_to``; past it (on PostgreSQL) the
    planner's estimate, never less than ``up_to + 1``."""
    connection = connections[queryset.db]
    queryset = queryset.select_related(None).prefetch_related(None).order_by()
    if connection.vendor != "postgresql":
        return queryset.count()
    capped = queryset[: up_to + 1].count()
    if capped <= up_to:
        return capped
    return max(up_to + 1, query_estimate(connection, queryset))


def table_estimate(connection, table):
    """The number of rows the planner believes ``table`` holds (-1 if unknown)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table]
        )
        row = cursor.fetchone()
    return row[0] if row else -1


def query_estimate(connection, queryset):
    """The number of rows the planner expects ``queryset`` to give."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
