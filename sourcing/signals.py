"""What keeps the sourcing summary (``sourcing.summary``) up to date: the
model signals of stories, quotes, bylines and sources, and
``articles.models.story_rows_written`` for the bulk paths that send none.
Each handler rewrites the rows of the stories concerned, in the same
transaction as the change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Byline, Quote, story_rows_written
from people.models import Source

from . import summary

# A story's save that sets only these fields changes nothing the report
# counts (an embargo, say): no refresh.
COUNTED_FIELDS = {"status", "published_at", "section", "section_id"}


@receiver(post_save, sender=Article, dispatch_uid="sourcing_story_saved")
def story_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not COUNTED_FIELDS & set(update_fields):
        return
    summary.refresh_story(instance)


@receiver(post_delete, sender=Article, dispatch_uid="sourcing_story_deleted")
def story_deleted(sender, instance, **kwargs):
    # Its quotes and bylines went first (their own signals rewrote its rows
    # while it was still stored): now it has none.
    summary.refresh_story(instance)


@receiver(post_save, sender=Quote, dispatch_uid="sourcing_quote_saved")
@receiver(post_delete, sender=Quote, dispatch_uid="sourcing_quote_deleted")
@receiver(post_save, sender=Byline, dispatch_uid="sourcing_byline_saved")
@receiver(post_delete, sender=Byline, dispatch_uid="sourcing_byline_deleted")
def part_changed(sender, instance, **kwargs):
    summary.refresh_story(instance.article_id)


@receiver(post_delete, sender=Source, dispatch_uid="sourcing_source_deleted")
def source_deleted(sender, instance, **kwargs):
    # Its quotes became unattributed (SET_NULL, an update with no signal).
    summary.refresh_stories(summary.stories_with_source(instance.pk))


@receiver(story_rows_written, dispatch_uid="sourcing_story_rows_written")
def rows_written(sender, story_ids, **kwargs):
    summary.refresh_stories(story_ids)
