"""What the desk home shows each member: a few sections of a few rows and a
count each, in a fixed number of queries whatever the archive's size.

Each section is two queries: its first rows, and a count that stops at
``COUNT_CAP`` (“1,000+”, as the large lists count, ``newsroom/counting.py``).
Every condition is one an index serves at a million stories: status and
publication time (``article_public_order_idx``, ``article_published_idx``),
the embargo (``article_embargo_idx``), a filer (the ``created_by`` key) or a
byline (``byline_journalist_story_idx``), an unattributed quote
(``quote_source_article_idx``), a photo without its file
(``photo_missing_file_idx``) and a member's unread notices
(``notice_unread_idx``).

Who sees what follows the rules in ``articles.publishing``: those who
publish see the review queue, what is scheduled, embargoed and out today;
a reporter sees their own drafts and their own stories in review; quotes to
settle are for those who edit any story; photos without their file for
those who change photos. Everyone sees their notices.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article, Byline, Quote
from media.models import Photo

from .models import Notice

ROWS = 5
COUNT_CAP = 1000


@dataclass
class Row:
    label: str
    url: str
    when: datetime.datetime | None = None
    when_label: str = ""
    who: str = ""
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    rows: list
    count: int
    url: str
    link_text: str
    empty: str
    extra: dict = field(default_factory=dict)

    @property
    def count_text(self):
        if self.count > COUNT_CAP:
            return f"{COUNT_CAP:,}+"
        return f"{self.count:,}"


def capped(queryset):
    """The number of rows, counted up to one past ``COUNT_CAP``: one query that
    stops reading there."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


def admin_list(name, **filters):
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def story_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def name_of(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def mine(user):
    """The stories ``user`` filed or has a byline on: the ids from each index
    (``created_by``, ``byline_journalist_story_idx``) in one UNION, not an OR
    that would read every draft to test each."""
    filed = Article.objects.filter(created_by=user).order_by().values("pk")
    bylined = Byline.objects.filter(journalist__user=user).order_by()
    return Q(pk__in=filed.union(bylined.values("article_id")))


def midnight():
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )


def story_rows(queryset, when, when_label, who=None):
    rows = []
    for article in queryset[:ROWS]:
        rows.append(
            Row(
                label=article.headline,
                url=story_url(article),
                when=getattr(article, when) if when else None,
                when_label=when_label,
                who=who(article) if who else "",
            )
        )
    return rows


def review_queue(user):
    stories = (
        Article.objects.filter(status=Article.Status.IN_REVIEW)
        .select_related("desk_submission__submitted_by", "updated_by")
        .annotate(submitted=Coalesce("desk_submission__submitted_at", "updated_at"))
        .order_by("submitted", "id")
    )

    def submitter(article):
        submission = getattr(article, "desk_submission", None)
        if submission is not None:
            return name_of(submission.submitted_by) or "the desk"
        return name_of(article.updated_by)

    return Section(
        "review",
        "In review",
        story_rows(stories, "submitted", "Submitted", submitter),
        capped(stories),
        admin_list("articles_article", state="review"),
        "All stories in review",
        "Nothing waits for review.",
    )


def my_review(user):
    stories = (
        Article.objects.filter(mine(user), status=Article.Status.IN_REVIEW)
        .select_related("desk_submission")
        .annotate(submitted=Coalesce("desk_submission__submitted_at", "updated_at"))
        .order_by("submitted", "id")
    )
    return Section(
        "my-review",
        "My stories in review",
        story_rows(stories, "submitted", "Submitted"),
        capped(stories),
        admin_list("articles_article", state="review", mine="yes"),
        "All my stories in review",
        "None of your stories waits for review.",
    )


def my_drafts(user):
    stories = Article.objects.filter(mine(user), status=Article.Status.DRAFT).order_by(
        "-updated_at", "-id"
    )
    return Section(
        "drafts",
        "My drafts",
        story_rows(stories, "updated_at", "Last saved"),
        capped(stories),
        admin_list("articles_article", state="draft", mine="yes"),
        "All my drafts",
        "You have no drafts.",
    )


def scheduled(user, now):
    stories = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=now
    ).order_by("published_at", "id")
    return Section(
        "scheduled",
        "Scheduled",
        story_rows(stories, "published_at", "Goes out"),
        capped(stories),
        admin_list("articles_article", state="scheduled"),
        "All scheduled stories",
        "Nothing is scheduled.",
    )


def embargoed(user, now):
    stories = Article.objects.filter(
        status=Article.Status.PUBLISHED, embargoed_until__gt=now
    ).order_by("embargoed_until", "id")
    return Section(
        "embargoed",
        "Embargoed",
        story_rows(stories, "embargoed_until", "Embargo lifts"),
        capped(stories),
        admin_list("articles_article", state="embargoed"),
        "All embargoed stories",
        "No published story is under embargo.",
    )


def published_today(user, now):
    stories = Article.objects.published().filter(published_at__gte=midnight())
    stories = stories.order_by("-published_at", "-id")
    return Section(
        "today",
        "Published today",
        story_rows(stories, "published_at", "Published"),
        capped(stories),
        admin_list("articles_article", state="today"),
        "All stories published today",
        "Nothing has gone out today yet.",
    )


def unattributed_quotes(user):
    quotes = (
        Quote.objects.filter(source__isnull=True)
        .select_related("article")
        .order_by("-article_id", "position", "id")
    )
    rows = [
        Row(
            label=str(quote),
            url=reverse("admin:articles_quote_change", args=[quote.pk]),
            note=f"in “{quote.article.headline}”",
        )
        for quote in quotes[:ROWS]
    ]
    return Section(
        "quotes",
        "Unattributed quotes",
        rows,
        capped(quotes),
        admin_list("articles_quote", attributed="no"),
        "All quotes to settle",
        "Every quote has its speaker.",
    )


def photos_missing_files(user):
    photos = Photo.objects.filter(image="").order_by("-created_at", "-id")
    rows = [
        Row(
            label=str(photo),
            url=reverse("admin:media_photo_change", args=[photo.pk]),
            when=photo.created_at,
            when_label="Added",
            note=photo.credit,
        )
        for photo in photos[:ROWS]
    ]
    return Section(
        "photos",
        "Photos missing their file",
        rows,
        capped(photos),
        admin_list("media_photo", file="missing"),
        "All photos missing their file",
        "Every photo has its file.",
    )


def notices(user):
    mine_ = Notice.objects.filter(recipient=user)
    unread = mine_.filter(read_at__isnull=True)
    return Section(
        "notices",
        "My notices",
        list(mine_.select_related("story")[:ROWS]),
        capped(unread),
        reverse("desk:notices"),
        "All my notices",
        "No notices yet.",
    )


def home(user):
    """The sections ``user`` sees, in the order the desk home shows them."""
    now = timezone.now()
    sections = [notices(user)]
    editor = publishing.can_publish(user)
    if editor:
        sections.append(review_queue(user))
    if publishing.can_edit(user):
        sections.append(my_drafts(user))
        if not editor:
            sections.append(my_review(user))
    if editor:
        sections += [
            scheduled(user, now),
            embargoed(user, now),
            published_today(user, now),
        ]
    may_settle = user.has_perm("articles.change_quote") and user.has_perm(
        "articles.edit_any_article"
    )
    if may_settle:
        sections.append(unattributed_quotes(user))
    if user.has_perm("media.change_photo"):
        sections.append(photos_missing_files(user))
    return sections
