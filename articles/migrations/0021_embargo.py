"""An embargo separate from the publication time (``Article.embargoed_until``).

No story has one yet, so no byline's public time (``Byline.story_published_at``)
changes. ``article_embargo_idx`` holds embargoed stories only: the stories
still under embargo, which ``Article.objects.published()`` leaves out, are a
short range of it however large the archive.
"""

import django.db.models
import newsroom.validation
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_drop_article_public_idx"),
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
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=django.db.models.Q(("embargoed_until__isnull", False)),
                fields=["embargoed_until"],
                name="article_embargo_idx",
            ),
        ),
    ]
