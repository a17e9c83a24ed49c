"""A trigram index on headlines for the desk's story search (PostgreSQL only).

The admin's story search (``articles.search.desk_search``) finds a piece of a
headline (“harb” finds “Harbour wall”) with ``headline__icontains``, which
PostgreSQL writes as ``UPPER(headline::text) LIKE UPPER('%harb%')``. Without
an index that reads every story; ``article_headline_trgm_idx`` (pg_trgm, on
that same expression) finds the candidates instead, and for a piece many
headlines hold, ``article_desk_order_idx`` now includes the headline, so the
newest headlines are read from that index alone. Words of the headline,
standfirst and body come from the stored search document (0013).

``pg_trgm`` ships with PostgreSQL and is a trusted extension: the database's
owner may create it. Other databases skip this migration.
"""

from django.db import migrations, models

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX IF NOT EXISTS article_headline_trgm_idx ON articles_article "
    "USING gin ((UPPER(headline::text)) gin_trgm_ops)",
]

# The extension stays: other objects may use it.
BACKWARD = ["DROP INDEX IF EXISTS article_headline_trgm_idx"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_article_provenance"),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
        # The desk's order index gains the headline: a piece common to many
        # headlines is found by reading the newest headlines from the index
        # alone, never the stories' rows.
        migrations.RemoveIndex(model_name="article", name="article_desk_order_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["-published_at", "-id"],
                include=("headline",),
                name="article_desk_order_idx",
            ),
        ),
    ]
