"""A stored search document for every story on PostgreSQL; other databases skip it.

Until now each search recomputed ``to_tsvector`` over the headline, standfirst
and body of every matching story, twice (rank and count). This adds a column
``search_document`` that PostgreSQL computes itself whenever a row is written
(``GENERATED ALWAYS … STORED``): the same weights as before — headline A,
standfirst B, body C, English — so it can never be stale, whatever writes the
row (admin, importer, ``update()``, ``bulk_create``, COPY, a restore). The GIN
index ``article_search_idx`` moves from migration 0003's expression to the
column, under the same name.

Adding the column rewrites the table once, holding a lock that blocks reads:
at 1,000,000 stories that took the time given in the README ("Search").

The column lives outside the model state, like 0003's index, so SQLite
migrates cleanly and the ORM never loads (or versions) the vector with a story;
``articles.search.StoredDocument`` reads it.
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
"""

FORWARD = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article ADD COLUMN search_document tsvector "
    f"GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_document)",
    # The planner's word frequencies for the new column: without them it
    # cannot tell a word in every story from a rare one.
    "ANALYZE articles_article",
]

# Back to 0003's expression index.
BACKWARD = [
    "ALTER TABLE articles_article DROP COLUMN search_document",
    f"CREATE INDEX article_search_idx ON articles_article USING gin (({DOCUMENT}))",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_admin_api_indexes"),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
