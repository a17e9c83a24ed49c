"""Full-text search index on PostgreSQL; other databases skip it.

The index expression is the same as ``articles.search.search_vector()`` (kept
in step with it here, since migrations must not change when code does): the
headline weighted A, the standfirst B and the body C, in the English
configuration. It lives outside the model state, so SQLite migrates cleanly.
Migration 0013 replaces it with an index, of the same name, on a stored column.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(
    SearchVector("headline", weight="A", config="english")
    + SearchVector("standfirst", weight="B", config="english")
    + SearchVector("body", weight="C", config="english"),
    name="article_search_idx",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_story_import"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
