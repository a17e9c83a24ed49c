from django.db import models

from articles.models import Quote


class SourcingReport(Quote):
    """No table of its own: the admin's entry for the sourcing report, which
    reads the quotes of published stories (``sourcing.report``)."""

    class Meta:
        proxy = True
        verbose_name = "sourcing report"
        verbose_name_plural = "sourcing report"
        default_permissions = ()


# The report's summary (``sourcing.summary``): what the report counts, per
# published story, kept by ``sourcing.summary.refresh_stories`` on every path
# that changes it. Plain ids, not foreign keys: the rows are derived, written
# and removed only by ``sourcing.summary``; sources and sections are joined by
# id at query time (a source's attributes and names are never copied here).


class StorySource(models.Model):
    """One published story's quotes of one source (``source_id`` NULL: its
    unattributed quotes), on the story's publication day in the newsroom's
    time zone."""

    article_id = models.IntegerField()
    day = models.DateField()
    month = models.DateField()  # the first day of ``day``'s month
    section_id = models.IntegerField(null=True)
    source_id = models.IntegerField(null=True)
    quotes = models.IntegerField()
    # 1 on exactly one row of each story, else 0: SUM(stories) counts stories.
    stories = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["day", "source_id"],
                include=["section_id", "quotes", "stories", "month"],
                name="storysource_day_idx",
            ),
            models.Index(fields=["article_id"], name="storysource_article_idx"),
            # The source list's quote filters (people.source_record.quoted_where):
            # a probe per listed source by section (and day), or by day.
            models.Index(
                fields=["source_id", "section_id", "day"],
                name="storysource_source_idx",
            ),
            models.Index(
                fields=["source_id", "day"], name="storysource_source_day_idx"
            ),
        ]

    def __str__(self):
        return f"story {self.article_id}, source {self.source_id}: {self.quotes}"


class BylineSource(models.Model):
    """``StorySource`` once per byline of the story (``journalist_id`` NULL:
    a story without one): the by-journalist figures and the journalist
    filter. A quote in a story with two bylines is here twice."""

    article_id = models.IntegerField()
    day = models.DateField()
    section_id = models.IntegerField(null=True)
    journalist_id = models.IntegerField(null=True)
    source_id = models.IntegerField(null=True)
    quotes = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["day", "journalist_id", "source_id"],
                include=["section_id", "quotes", "article_id"],
                name="bylinesource_day_idx",
            ),
            models.Index(
                fields=["journalist_id", "day"],
                include=["article_id"],
                name="bylinesource_journalist_idx",
            ),
            models.Index(fields=["article_id"], name="bylinesource_article_idx"),
            # The source list's journalist filter: a probe per listed source.
            models.Index(
                fields=["source_id", "journalist_id", "day"],
                include=["section_id"],
                name="bylinesource_source_idx",
            ),
        ]

    def __str__(self):
        return (
            f"story {self.article_id}, journalist {self.journalist_id}, "
            f"source {self.source_id}: {self.quotes}"
        )


class UnattributedQuote(Quote):
    """No table of its own: the admin's entry for the queue of quotes whose
    speaker the desk has yet to settle (``sourcing.queue``)."""

    class Meta:
        proxy = True
        verbose_name = "unattributed quote"
        verbose_name_plural = "unattributed quotes"
        default_permissions = ()
