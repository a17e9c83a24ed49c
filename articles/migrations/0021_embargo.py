"""An embargo separate from the publication time (``Article.embargoed_until``).

No story has one yet, so no byline's public time (``Byline.story_published_at``)
changes. The reader's indexes are made again with the embargo beside the
publication time (``include``): ``published()`` tests it on the index entry,
so lists, counts and probes that read an index alone still do.
``article_embargo_idx`` holds embargoed stories only, for the page cache's
next change (the next embargo to lift). At a million stories the four
rebuilt indexes take a few seconds each, with writes to the story table held
meanwhile.
"""

import django.db.models
import newsroom.validation
from django.db import migrations, models

PUBLISHED = django.db.models.Q(("status", "published"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_kill"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="embargoed_until",
            field=models.DateTimeField(
                blank=True,
                help_text="An embargo from the agency or the source: until this "
                "time the story is on no page, feed, sitemap, search or API, even "
                "once published (the desk's preview still shows it). Empty for "
                "none.",
                null=True,
                validators=[newsroom.validation.validate_sane_datetime],
                verbose_name="embargoed until",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_published_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLISHED,
                fields=["-published_at", "-id"],
                include=("embargoed_until",),
                name="article_published_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_section_latest_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLISHED,
                fields=["section", "-published_at", "-id"],
                include=("embargoed_until",),
                name="article_section_latest_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_published_story_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=PUBLISHED,
                fields=["id"],
                include=("published_at", "embargoed_until"),
                name="article_published_story_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_revised_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=django.db.models.Q(
                    ("revised_at__isnull", False), ("status", "published")
                ),
                fields=["published_at"],
                include=("revised_at", "embargoed_until"),
                name="article_revised_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=django.db.models.Q(("embargoed_until__isnull", False)),
                fields=["embargoed_until"],
                name="article_embargo_idx",
            ),
        ),
    ]
