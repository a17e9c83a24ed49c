import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager, _TaggableManager

from newsroom.addresses import slug_url
from newsroom.models import ValueRulesMixin, ValueRulesQuerySet
from newsroom.validation import (
    clean_text,
    is_http_url,
    validate_http_url,
    validate_sane_datetime,
)

from .fields import SanitizedHTMLField

# Section slugs are the first part of story addresses, so they may not take
# the names of the site's own top-level paths.
RESERVED_SECTION_SLUGS = [
    "admin", "api", "authors", "feeds", "media", "preview", "robots-txt", "search",
    "sitemap", "sources", "static", "stories", "tags", "uploads", "corrections",
    "healthz",
]  # fmt: skip


class Section(ValueRulesMixin, models.Model):
    """A part of the paper: Politics, Business, Sport…"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The first part of its stories’ address."
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (lowest first)."
    )

    objects = ValueRulesQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug__in=RESERVED_SECTION_SLUGS),
                name="section_slug_not_reserved",
                violation_error_message="This address is used by the site itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:section", section=self.slug)


class Publication(ValueRulesMixin, models.Model):
    """A newspaper or agency whose copy the newsroom runs (syndication)."""

    name = models.CharField(max_length=200, unique=True)
    url = models.URLField("website", blank=True, validators=[validate_http_url])

    objects = ValueRulesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def website(self):
        """The paper's web address, only if it is one (never a script)."""
        return self.url if is_http_url(self.url) else ""


class CleanTagManager(_TaggableManager):
    """Tag names are cleaned like any other single-line text; a name left
    empty by cleaning is no tag at all."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        max_length = tag_model._meta.get_field("name").max_length
        cleaned = []
        for tag in tags:
            if isinstance(tag, str):
                tag = clean_text(tag, single_line=True)[:max_length].strip()
                if not tag:
                    continue
            cleaned.append(tag)
        return super()._to_tag_model_instances(cleaned, tag_kwargs)


class ArticleQuerySet(ValueRulesQuerySet):
    def update(self, **kwargs):
        # A bulk change of status or time reaches the stories' bylines too
        # (``Byline.story_published_at``), as ``Article.save()`` does.
        if not (PUBLIC_FIELDS | COUNTED_FIELDS) & set(kwargs):
            return super().update(**kwargs)
        story_ids = list(self.values_list("pk", flat=True))
        rows = super().update(**kwargs)
        if PUBLIC_FIELDS & set(kwargs):
            Byline.objects.follow_stories(story_ids)
        if COUNTED_FIELDS & set(kwargs):
            rows_written(self.model, story_ids)
        return rows

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if PUBLIC_FIELDS & set(fields):
            Byline.objects.follow_stories([obj.pk for obj in objs])
        if COUNTED_FIELDS & set(fields):
            rows_written(self.model, [obj.pk for obj in objs])
        return rows

    def published(self):
        """What the public may see: published, with a publication time now
        past, and no embargo still ahead.

        "Now" is the application's clock, the one the page cache expires pages
        by when a scheduled story is due or an embargo lifts
        (``newsroom/page_cache.py``). The reader's indexes hold the embargo
        beside the publication time (``include``), so a list, a count or a
        probe still reads them alone, and PostgreSQL, which knows that almost
        no story has an embargo, keeps the plans it had.
        """
        now = timezone.now()
        return self.filter(
            models.Q(embargoed_until__isnull=True) | models.Q(embargoed_until__lte=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def published_sql(self, alias):
        """``published()``'s rule as SQL for the article table named ``alias``
        in a hand-written query (the story page's, ``articles/story_page.py``):
        ``(condition, params)``. The two say the same; change them together
        (``tests/test_story_page.py`` holds them to each other)."""
        return published_rule_sql(alias, self.db)


def published_rule_sql(alias, using=DEFAULT_DB_ALIAS):
    """``ArticleQuerySet.published_sql`` for the database ``using``, without
    a queryset (the story page asks three times a request)."""
    connection = connections[using]
    q = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    embargo = f"{alias}.{q('embargoed_until')}"
    return (
        f"{alias}.{q('status')} = %s AND {alias}.{q('published_at')} IS NOT NULL"
        f" AND {alias}.{q('published_at')} <= %s"
        f" AND ({embargo} IS NULL OR {embargo} <= %s)",
        [Article.Status.PUBLISHED.value, now, now],
    )


def public_since_expression():
    """``Article.public_since`` in SQL, for a story row: from when readers see
    it while it is published (its publication time, or its embargo's end if
    later), else NULL."""
    return Greatest("published_at", Coalesce("embargoed_until", "published_at"))


# The fields that decide whether, and from when, readers see a story.
PUBLIC_FIELDS = {"status", "published_at", "embargoed_until"}
UNKNOWN = object()

# Sent (sender=the model, story_ids=[…]) when a bulk path that sends no model
# signal (``QuerySet.update()``, ``bulk_create()``, ``bulk_update()``) wrote
# what a story's sourcing figures count: its status, publication time or
# section, its bylines or its quotes (and their sources). The sourcing
# report's summary listens (``sourcing.summary``); ``articles`` imports
# nothing of it.
story_rows_written = Signal()
# The story fields those figures count.
COUNTED_FIELDS = {"status", "published_at", "section", "section_id"}


def rows_written(sender, story_ids):
    story_ids = [pk for pk in story_ids if pk is not None]
    if story_ids:
        story_rows_written.send(sender=sender, story_ids=story_ids)


# A story's last update time in a query, as ``Article.last_updated`` gives it
# for one story: its revision after publication, else its publication time.
LAST_UPDATED = Coalesce("revised_at", "published_at")


class Article(ValueRulesMixin, models.Model):
    """A story."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        KILLED = "killed", "Killed"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the story’s address."
    )
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline."
    )
    body = SanitizedHTMLField(
        blank=True,
        help_text="Paragraphs, subheads, links and lists. Scripts and styles are "
        "removed when the story is saved.",
    )
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the story was reported from, in capitals, e.g. “PHNOM PENH”.",
    )
    # What search engines and share cards show, when it should differ from the
    # headline and standfirst (``meta_title``, ``meta_description``).
    seo_title = models.CharField(
        "SEO title",
        max_length=200,
        blank=True,
        default="",
        db_default="",  # rows written outside the ORM (the scale bench's COPY)
        help_text="For search results and share cards, when the headline is long "
        "or plays on words. Empty: the headline is used.",
    )
    seo_description = models.TextField(
        "SEO description",
        blank=True,
        default="",
        db_default="",
        help_text="One or two sentences for search results and share cards. "
        "Empty: the standfirst is used.",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="Where the story is filed, and the first part of its address. "
        "A draft may wait without one; it is needed to publish, schedule or "
        "embargo the story.",
    )
    tags = TaggableManager(blank=True, manager=CleanTagManager)
    # The tag links themselves, which each version in the story's history keeps
    # (``articles.history.story_registration``); no column of its own.
    tagged_items = GenericRelation("taggit.TaggedItem")
    lead_photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_articles",
    )
    journalists = models.ManyToManyField(
        "people.Journalist", through="Byline", related_name="articles", blank=True
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="For syndicated copy: the paper or agency it first appeared in.",
    )
    canonical_url = models.URLField(
        "original URL",
        max_length=500,
        blank=True,
        help_text="For syndicated copy: the address of the original, given to "
        "search engines as the canonical version.",
        validators=[validate_http_url],
    )
    provenance_note = models.CharField(
        "provenance note",
        max_length=300,
        blank=True,
        help_text="For syndicated copy: where it came from beyond the publication, "
        "e.g. the wire agency named in its dateline (“AP”) or “This story "
        "originally appeared in …”. Readers see it under the story.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(
        "featured",
        default=False,
        db_default=False,  # rows written outside the ORM too (bench/scale.py)
        help_text="Pin the story as the home page's lead while it is public. "
        "If several stories are pinned, the one pinned most recently leads. "
        "Only editors may change this.",
    )
    featured_at = models.DateTimeField(
        "pinned at",
        null=True,
        blank=True,
        editable=False,
        help_text="When the story was last pinned as the home page's lead.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="The time readers see. A future time schedules the story; it "
        "stays hidden until then. Left empty, publishing sets it to now.",
        validators=[validate_sane_datetime],
    )
    embargoed_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="An embargo from the agency or the source: until this time the "
        "story is on no page, feed, sitemap, search or API, even once published "
        "(the desk's preview still shows it). Empty for none.",
        validators=[validate_sane_datetime],
    )
    published_date_only = models.BooleanField(
        "date only",
        default=False,
        help_text="The copy gave a day but no time: show only the date.",
    )
    first_published_at = models.DateTimeField(
        "first published",
        null=True,
        blank=True,
        editable=False,
        validators=[validate_sane_datetime],
    )
    revised_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        editable=False,
        help_text="The last time the story was changed after it was published.",
        validators=[validate_sane_datetime],
    )
    killed_at = models.DateTimeField("killed", null=True, blank=True, editable=False)
    killed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Empty for a kill notice from the agency (the importer).",
    )
    kill_reason = models.TextField(
        "reason for the kill",
        blank=True,
        editable=False,
        help_text="Readers see it on the notice at the story's address.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="A published story needs a publication time.",
            ),
            # A story without a section has no address: it may not go out
            # (``publishing.publishing_problems`` says why first).
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(section__isnull=False),
                name="article_published_has_section",
                violation_error_message="A published story needs a section.",
            ),
            models.CheckConstraint(
                condition=~models.Q(headline=""), name="article_headline_not_empty"
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="article_slug_not_empty"
            ),
        ]
        indexes = [
            # The reader's lists, newest first: every page, feed and sitemap
            # reads a bounded run of one of these, whatever the archive's size.
            # Each holds the embargo too, so ``published()`` reads the index
            # alone wherever it did before there were embargoes.
            models.Index(
                fields=["-published_at", "-id"],
                include=["embargoed_until"],
                condition=models.Q(status="published"),
                name="article_published_idx",
            ),
            models.Index(
                fields=["section", "-published_at", "-id"],
                include=["embargoed_until"],
                condition=models.Q(status="published"),
                name="article_section_latest_idx",
            ),
            # Whether a story is published, and when, by its id alone: a
            # journalist's stories are found by their bylines and sorted here
            # (``articles.queries.bylined``).
            models.Index(
                fields=["id"],
                include=["published_at", "embargoed_until"],
                condition=models.Q(status="published"),
                name="article_published_story_idx",
            ),
            # The latest revision among a month's stories (the sitemap index).
            models.Index(
                fields=["published_at"],
                include=["revised_at", "embargoed_until"],
                condition=models.Q(status="published", revised_at__isnull=False),
                name="article_revised_idx",
            ),
            # The desk's story list, newest first, and its date hierarchy;
            # with the headline, so the desk's search reads headlines newest
            # first from the index alone (``articles.search.desk_search``).
            models.Index(
                fields=["-published_at", "-id"],
                include=["headline"],
                name="article_desk_order_idx",
            ),
            # Pages of the API by number: the ids alone, from the index; and
            # any look-up by status and publication time (the next scheduled
            # story, the news window).
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="article_public_order_idx",
            ),
            # The home page's pinned lead: the few pinned published stories,
            # most recently pinned first (``queries.featured_lead``).
            models.Index(
                fields=["-featured_at", "-id"],
                include=["published_at", "embargoed_until"],
                condition=models.Q(status="published", featured=True),
                name="article_featured_idx",
            ),
            # The next embargo to lift (the page cache's next change):
            # embargoed stories only.
            models.Index(
                fields=["embargoed_until"],
                condition=models.Q(embargoed_until__isnull=False),
                name="article_embargo_idx",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("edit_any_article", "Can edit any story, not only their own drafts"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # An address readers may have seen keeps working, however the slug or
        # section is changed (admin, import, shell): remember the old one.
        old_address = getattr(self, "_stored_address", None)
        moved = self.first_published_at and old_address not in (
            None,
            (self.section_id, self.slug),
        )
        # Its bylines carry the story's public time (the author pages): a
        # change reaches them here, whichever path saves (admin, import,
        # restore, demo, shell). A story without an id yet has no bylines.
        update_fields = kwargs.get("update_fields")
        follow = (
            self.pk is not None
            and getattr(self, "_stored_public", UNKNOWN) != self.public_since
            and (update_fields is None or bool(PUBLIC_FIELDS & set(update_fields)))
        )
        super().save(*args, **kwargs)
        if follow:
            self.bylines.update(story_published_at=self.public_since)
        if update_fields is None or PUBLIC_FIELDS & set(update_fields):
            self._stored_public = self.public_since
        if moved and old_address[0] is not None:
            # (An address without a section was never one readers saw.)
            old_section = Section.objects.get(pk=old_address[0])
            ArticleRedirect.record(
                old_path=reverse(
                    "articles:detail",
                    kwargs={"section": old_section.slug, "slug": old_address[1]},
                ),
                article=self,
            )
        self._stored_address = (self.section_id, self.slug)

    def get_absolute_url(self):
        """The story's public address; None for a draft filed in no section
        yet, which has none (only a story with a section can go out)."""
        if self.section_id is None:
            return None
        return slug_url("articles:detail", section=self.section.slug, slug=self.slug)

    @staticmethod
    def address_maker():
        """``get_absolute_url()`` for thousands of stories at once (a month's
        sitemap): one ``reverse()``, then each story's section and slug put in
        its place. A function of (section slug, story slug)."""
        marker = reverse(
            "articles:detail", kwargs={"section": "section-0", "slug": "story-0"}
        )
        before, rest = marker.split("section-0", 1)
        middle, after = rest.split("story-0", 1)
        return lambda section, slug: f"{before}{section}{middle}{slug}{after}"

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article.loaded(field_names)
        return article

    def loaded(self, field_names):
        """What a story read from the database remembers of what was read
        (``from_db``; the story page, which makes its instances itself, calls
        it too): its address and its public time, to notice a change."""
        if "section_id" in field_names and "slug" in field_names:
            self._stored_address = (self.section_id, self.slug)
        if PUBLIC_FIELDS <= set(field_names):
            self._stored_public = self.public_since

    @property
    def public_since(self):
        """From when readers see the story while it is published: its
        publication time, or its embargo's end if that is later (either may
        still be ahead), else None. Its bylines keep a copy."""
        if self.status != self.Status.PUBLISHED or self.published_at is None:
            return None
        return max(self.published_at, self.embargoed_until or self.published_at)

    @property
    def original_url(self):
        """The original's address for syndicated copy, only if it is a web
        address: every page, feed and API reads this, never a script link."""
        return self.canonical_url if is_http_url(self.canonical_url) else ""

    def is_published(self):
        """Mirrors ``Article.objects.published()`` for one story."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed
        )

    @property
    def is_embargoed(self):
        """Whether an embargo holds the story back now (whatever its status)."""
        return self.embargoed_until is not None and self.embargoed_until > (
            timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def workflow_state(self):
        """Draft, in review, scheduled, embargoed, published or killed, as the
        desk says it: a published story is "embargoed" while an embargo that
        ends after its publication time holds it back."""
        if self.is_embargoed and self.status == self.Status.PUBLISHED:
            if self.published_at is None or self.embargoed_until > self.published_at:
                return "embargoed"
        if self.is_scheduled:
            return "scheduled"
        return {
            self.Status.DRAFT: "draft",
            self.Status.IN_REVIEW: "in review",
            self.Status.PUBLISHED: "published",
            self.Status.KILLED: "killed",
        }[self.status]

    @property
    def is_killed(self):
        return self.status == self.Status.KILLED

    @property
    def author_bylines(self):
        return [byline for byline in self.bylines.all() if not byline.role]

    @property
    def contributor_bylines(self):
        return [byline for byline in self.bylines.all() if byline.role]

    @property
    def author_names(self):
        """The authors as readers say them: “Mara Quint, Ana Ruiz and Teo Vance”."""
        names = [byline.journalist.name for byline in self.author_bylines]
        if len(names) > 1:
            return f"{', '.join(names[:-1])} and {names[-1]}"
        return names[0] if names else ""

    @property
    def last_updated(self):
        """When the story last changed for readers: its revision after
        publication, else its publication time (``LAST_UPDATED`` in a query)."""
        return self.revised_at or self.published_at

    @property
    def meta_title(self):
        """The title search engines and share cards show: the SEO title, else
        the headline (the page's <title>, og:title, twitter:title)."""
        return self.seo_title or self.headline

    @property
    def meta_description(self):
        """The description search engines and share cards show: the SEO
        description, else the standfirst, else the headline (the page's meta
        description, og/twitter description, the JSON-LD description)."""
        return self.seo_description or self.standfirst or self.headline

    def quoted_sources(self, *, on_record_only=False):
        """The sources quoted in the story, once each, in order of first quote
        (reads ``quotes`` as prefetched). With ``on_record_only``, anonymous
        sources are left out: their names never reach readers."""
        sources = {}
        for quote in self.quotes.all():
            source = quote.source
            if source is None or (on_record_only and not source.on_record):
                continue
            sources.setdefault(quote.source_id, source)
        return list(sources.values())

    @property
    def published_on(self):
        """The calendar day of publication in the newsroom's time zone."""
        if self.published_at is None:
            return None
        return timezone.localtime(self.published_at, newsroom_timezone()).date()

    def set_publication_day(self, day):
        """Publish on a calendar day with no time: midnight there, date only."""
        midnight = datetime.datetime.combine(day, datetime.time.min)
        self.published_at = timezone.make_aware(midnight, newsroom_timezone())
        self.published_date_only = True


def newsroom_timezone():
    return timezone.get_default_timezone() if settings.USE_TZ else None


class StoryPartQuerySet(ValueRulesQuerySet):
    """Bylines and quotes: a bulk write says which stories it touched
    (``story_rows_written``)."""

    # The fields whose bulk update changes what a story's figures count.
    counted = {"article", "article_id"}

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        rows_written(self.model, {obj.article_id for obj in objs})
        return created

    def update(self, **kwargs):
        if not self.counted & set(kwargs):
            return super().update(**kwargs)
        story_ids = set(self.values_list("article_id", flat=True))
        rows = super().update(**kwargs)
        moved_to = kwargs.get("article_id", kwargs.get("article"))
        story_ids.add(getattr(moved_to, "pk", moved_to))
        rows_written(self.model, story_ids)
        return rows

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not self.counted & set(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        # (A story a part moves away from is among those it was in.)
        story_ids = set(
            self.model._base_manager.filter(
                pk__in=[obj.pk for obj in objs]
            ).values_list("article_id", flat=True)
        )
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        rows_written(self.model, story_ids | {obj.article_id for obj in objs})
        return rows


class QuoteQuerySet(StoryPartQuerySet):
    counted = StoryPartQuerySet.counted | {"source", "source_id"}


class BylineQuerySet(StoryPartQuerySet):
    counted = StoryPartQuerySet.counted | {"journalist", "journalist_id"}

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for byline in objs:
            byline.follow_story()
        return super().bulk_create(objs, *args, **kwargs)

    def follow_stories(self, story_ids, *, chunk=500):
        """Copy the public time of the stories ``story_ids`` onto their bylines."""
        story_ids = list(story_ids)
        public_since = Subquery(
            Article.objects.filter(
                pk=OuterRef("article_id"), status=Article.Status.PUBLISHED
            ).values(since=public_since_expression())[:1]
        )
        for start in range(0, len(story_ids), chunk):
            self.filter(article_id__in=story_ids[start : start + chunk]).update(
                story_published_at=public_since
            )


class Byline(ValueRulesMixin, models.Model):
    """One journalist's credit on a story, in order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    journalist = models.ForeignKey(
        "people.Journalist", on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=100,
        blank=True,
        help_text="Leave empty for the author; otherwise e.g. “Additional reporting”.",
    )
    # A copy of the story's ``public_since``, so that a journalist's newest
    # stories are the first entries of one index (``byline_author_page_idx``)
    # however many they wrote. Kept by ``save()`` and ``bulk_create()`` here
    # and by the story's ``save()``, ``update()`` and ``bulk_update()``.
    story_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BylineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "journalist"], name="byline_once_per_article"
            ),
        ]
        indexes = [
            # A journalist's stories from the index alone (author page, feed).
            models.Index(
                fields=["journalist", "article"], name="byline_journalist_story_idx"
            ),
            # A journalist's published stories newest first (author page, feed).
            models.Index(
                fields=["journalist", "-story_published_at", "-article"],
                condition=models.Q(story_published_at__isnull=False),
                name="byline_author_page_idx",
            ),
        ]

    def __str__(self):
        return f"{self.journalist} on “{self.article}”"

    def save(self, *args, **kwargs):
        self.follow_story()
        super().save(*args, **kwargs)

    def follow_story(self):
        """Take the story's public time (see ``story_published_at``)."""
        self.story_published_at = self.article.public_since


class Quote(ValueRulesMixin, models.Model):
    """Something a source said in a story, word for word or in paraphrase."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARAPHRASE = "paraphrase", "Paraphrase"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="quotes"
    )
    source = models.ForeignKey(
        "people.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Empty means unattributed: the desk has yet to settle who said it.",
    )
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.DIRECT)
    position = models.PositiveSmallIntegerField(default=0)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="quote_text_not_empty"
            ),
        ]
        indexes = [
            # The source list's counts and last-quoted times, from the index.
            models.Index(fields=["source", "article"], name="quote_source_article_idx"),
            # The unattributed-quotes queue, newest story first, page by page
            # (``sourcing.queue``): the few quotes without a source only.
            models.Index(
                fields=["-article", "id"],
                condition=models.Q(source__isnull=True),
                name="quote_unattributed_idx",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_attributed(self):
        return self.source_id is not None


class Correction(ValueRulesMixin, models.Model):
    """A published correction: what the story got wrong and when it was fixed."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField(help_text="What was wrong and what is right, for readers.")
    published_at = models.DateTimeField(
        "time", default=timezone.now, validators=[validate_sane_datetime]
    )

    objects = ValueRulesQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="correction_latest_idx"),
        ]

    def __str__(self):
        return f"Correction to “{self.article}”"


class ArticleRedirect(models.Model):
    """An old address of a published story, answered with a permanent redirect."""

    old_path = models.CharField(max_length=400, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    @classmethod
    def record(cls, *, old_path, article):
        cls.objects.update_or_create(old_path=old_path, defaults={"article": article})
        # A story moved back to an old address no longer redirects from it.
        address = article.get_absolute_url()
        if address is not None:
            cls.objects.filter(old_path=address).delete()


class StoryImport(models.Model):
    """Where an imported story came from, and what it looked like on arrival."""

    class Format(models.TextChoices):
        TEXT = "text", "Syndicated text"
        NINJS = "ninjs", "IPTC ninjs"
        NEWSML = "newsml", "IPTC NewsML-G2"
        NITF = "nitf", "NITF"
        JSONLD = "jsonld", "schema.org JSON-LD"
        HTML = "html", "Web page"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="provenance"
    )
    format = models.CharField(max_length=10, choices=Format)
    identity = models.CharField(
        max_length=500,
        unique=True,
        help_text="The ninjs uri, or a key made from publication, headline and date.",
    )
    filename = models.CharField("file", max_length=500, blank=True)
    imported_at = models.DateTimeField(
        "last imported", help_text="When the copy was last imported or refreshed."
    )
    copy_checksum = models.CharField(
        max_length=64, editable=False, help_text="Fingerprint of the copy as read."
    )
    story_checksum = models.CharField(
        max_length=64,
        editable=False,
        help_text="Fingerprint of the story as stored; a difference means an "
        "editor has changed it since, and a re-import leaves it alone.",
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = "import record"

    def __str__(self):
        return f"{self.get_format_display()} import of “{self.article}”"


class DemoRecord(models.Model):
    """What the demo loader last wrote to one demo object (``demo.ledger``).

    A later run brings an object up to date only while its fingerprint still
    matches, that is while nobody has changed it since; an object an editor
    changed is left as the editor left it, and one an editor deleted is not
    brought back.
    """

    kind = models.CharField(max_length=20)
    key = models.CharField(
        max_length=255, help_text="The demo's own name for it: a slug or file name."
    )
    object_id = models.PositiveBigIntegerField()
    checksum = models.CharField(
        max_length=64, help_text="Fingerprint of the object as the loader left it."
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="demo_record_once")
        ]

    def __str__(self):
        return f"demo {self.kind} {self.key}"
