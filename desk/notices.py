"""Who hears about a story's step through review, and how.

The workflow's events (``articles.events``) reach ``on_story_event`` once the
change is committed. Each step tells the people it concerns with a notice on
their desk home, and by e-mail when the newsroom has e-mail set up
(``NEWSROOM_NOTICE_EMAIL``) and they have an address:

- ``submitted``: the editors (those who may publish), but not the one who
  submitted it;
- ``published`` and ``scheduled``: the story's filer and its bylined
  journalists who have a desk account, but not the one who published it;
- ``sent_back``: the story's filer (for a story nobody at the desk filed,
  its bylined journalists with an account), with the editor's note.

Writing the notices is a few rows in one query, done here; the e-mail, which
talks to a mail server, is a background task (``desk.tasks``).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from articles.publishing import when_text

from .models import Notice, Submission

logger = logging.getLogger(__name__)

NOTIFIED = ("submitted", "sent_back", "published", "scheduled")


def on_story_event(sender, kind, article_id, details, **kwargs):
    """The subscriber: a notice that cannot be made is logged, never raised,
    so the other subscribers (webhooks, timers) still hear the event."""
    if kind not in NOTIFIED:
        return
    try:
        notify(kind=kind, article_id=article_id, details=details)
    except Exception:
        logger.exception("Desk notices for %s of story %s failed", kind, article_id)


def notify(*, kind, article_id, details):
    """Make the notices ``kind`` calls for (and a submission's record); the
    notices made, after queueing their e-mails."""
    story = Article.objects.select_related("created_by").filter(pk=article_id).first()
    if story is None:
        return []
    User = get_user_model()
    by_id = details.get("by")
    by = User.objects.filter(pk=by_id).first() if isinstance(by_id, int) else None
    if kind == "submitted":
        Submission.objects.update_or_create(
            story=story,
            defaults={"submitted_by": by, "submitted_at": timezone.now()},
        )
    recipients = [user for user in recipients_for(kind, story) if user != by]
    message = message_for(kind, story, by, details)
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=user, story=story, kind=kind, message=message)
            for user in recipients
        ]
    )
    refresh_unread([user.pk for user in recipients])
    if settings.NEWSROOM_NOTICE_EMAIL:
        from . import tasks

        for notice, user in zip(notices, recipients, strict=True):
            if user.email:
                tasks.mail_notice.enqueue(notice.pk)
    return notices


def recipients_for(kind, story):
    User = get_user_model()
    active = User.objects.filter(is_active=True, is_staff=True)
    if kind == "submitted":
        publish = Permission.objects.filter(
            content_type__app_label="articles", codename="publish_article"
        )
        editors = active.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=publish)
            | Q(user_permissions__in=publish)
        )
        return list(editors.distinct().order_by("pk"))
    bylined = Byline.objects.filter(article=story, journalist__user__isnull=False)
    bylined = Q(pk__in=bylined.values("journalist__user"))
    if kind == "sent_back":
        # The filer; a story nobody at the desk filed (imported) goes back
        # to its bylined journalists.
        if story.created_by_id:
            return list(active.filter(pk=story.created_by_id))
        return list(active.filter(bylined).distinct().order_by("pk"))
    people = bylined | Q(pk=story.created_by_id) if story.created_by_id else bylined
    return list(active.filter(people).distinct().order_by("pk"))


def name_of(user):
    if user is None:
        return "The desk"
    return user.get_full_name() or user.get_username()


def message_for(kind, story, by, details):
    who = name_of(by)
    match kind:
        case "submitted":
            return f"{who} submitted “{story}” for review."
        case "sent_back":
            return f"{who} sent “{story}” back to you: {details.get('note', '')}"
        case "scheduled":
            when = when_text(story.published_at) if story.published_at else "later"
            return f"“{story}” is scheduled to go out {when} ({who})."
    if by is None:
        return f"“{story}” is now live on the site."
    return f"{who} published “{story}”: it is live on the site."


# The unread count in every desk page's header, kept in the cache so that a
# page costs no query for it: counted when the member signs in, and again
# whenever a notice of theirs is made or read (``unread_count``).

UNREAD_CAP = 99
UNREAD_KEPT = 24 * 60 * 60  # seconds; a page past that counts again


def unread_key(user_id):
    return f"desk:unread:{user_id}"


def refresh_unread(user_ids):
    """Count the unread notices of ``user_ids`` again (one query, from the
    partial index ``notice_unread_idx``) and keep the counts."""
    if not user_ids:
        return
    unread = Notice.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
    counts = dict(
        unread.order_by()
        .values_list("recipient_id")
        .annotate(count=Count("id"))
        .values_list("recipient_id", "count")
    )
    cache.set_many({unread_key(pk): counts.get(pk, 0) for pk in user_ids}, UNREAD_KEPT)


def unread_count(user):
    """How many of ``user``'s notices are unread: from the cache, or counted."""
    count = cache.get(unread_key(user.pk))
    if count is None:
        refresh_unread([user.pk])
        count = cache.get(unread_key(user.pk), 0)
    return count


def count_on_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: a member's count is known before their first page."""
    if user.is_staff:
        refresh_unread([user.pk])


def unread_text(count):
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


def mark_read(*, user, notices):
    """Mark ``notices`` (a queryset) read for ``user``: only their own."""
    changed = notices.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    refresh_unread([user.pk])
    return changed


# E-mail


def mail(notice_id):
    """Send one notice by e-mail (the task ``desk.tasks.mail_notice``)."""
    notice = (
        Notice.objects.select_related("recipient", "story").filter(pk=notice_id).first()
    )
    if notice is None or not notice.recipient.email:
        return 0
    link = settings.NEWSROOM_SITE_URL + reverse(
        "admin:articles_article_change", args=[notice.story_id]
    )
    subject = (
        f"[{settings.NEWSROOM_NAME} desk] {notice.get_kind_display()}: {notice.story}"
    )
    body = f"{notice.message}\n\nOpen the story: {link}\n"
    return send_mail(
        subject.replace("\n", " ")[:200],
        body,
        None,  # DEFAULT_FROM_EMAIL
        [notice.recipient.email],
    )
