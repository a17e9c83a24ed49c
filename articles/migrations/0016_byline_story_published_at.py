from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_public_times(apps, schema_editor):
    """Every byline takes its story's publication time while the story is
    published (``Byline.story_published_at``): one statement."""
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    Byline.objects.update(
        story_published_at=Subquery(
            Article.objects.filter(
                pk=OuterRef("article_id"), status="published"
            ).values("published_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_import_formats"),
        ("people", "0003_source_normalised_name_keeps_letter_marks"),
    ]

    operations = [
        migrations.AddField(
            model_name="byline",
            name="story_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_public_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                condition=models.Q(("story_published_at__isnull", False)),
                fields=["journalist", "-story_published_at", "-article"],
                name="byline_author_page_idx",
            ),
        ),
    ]
