"""An index on taggit's table for a tag's newest stories (related stories).

taggit's own indexes lead with the content type or hold the tag alone, so the
newest stories of a tag were found by reading all of them. The index lives
outside the model state (taggit owns the table); the SQL is the same on
SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_reader_page_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX taggeditem_tag_story_idx "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            reverse_sql="DROP INDEX taggeditem_tag_story_idx",
            elidable=False,
        ),
    ]
