"""A draft may wait without a section; the home page's pinned lead.

``Article.section`` becomes optional (every stored story has one, so nothing
changes for them), with a constraint that a published story has one (its
address begins with it: ``publishing.section_problems`` refuses first).
``featured``/``featured_at`` pin a story as the home page's lead; the partial
index ``article_featured_idx`` holds the pinned published stories only, so
the home page finds the newest pin in a handful of index entries.
``featured`` has a database default (false), so adding it rewrites no row
and a row written outside the ORM (``bench/scale.py``'s COPY) still gets it;
the section's column only drops NOT NULL. Adding the constraint reads the
story table once (about a second at a million stories).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0021_embargo'),
        ('media', '0003_photo_list_index'),
        ('people', '0003_source_normalised_name_keeps_letter_marks'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='featured',
            field=models.BooleanField(db_default=False, default=False, help_text="Pin the story as the home page's lead while it is public. If several stories are pinned, the one pinned most recently leads. Only editors may change this.", verbose_name='featured'),
        ),
        migrations.AddField(
            model_name='article',
            name='featured_at',
            field=models.DateTimeField(blank=True, editable=False, help_text="When the story was last pinned as the home page's lead.", null=True, verbose_name='pinned at'),
        ),
        migrations.AlterField(
            model_name='article',
            name='section',
            field=models.ForeignKey(blank=True, help_text='Where the story is filed, and the first part of its address. A draft may wait without one; it is needed to publish, schedule or embargo the story.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='articles.section'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('featured', True), ('status', 'published')), fields=['-featured_at', '-id'], include=('published_at', 'embargoed_until'), name='article_featured_idx'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('section__isnull', False), _connector='OR'), name='article_published_has_section', violation_error_message='A published story needs a section.'),
        ),
    ]
