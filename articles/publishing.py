"""Who may see, change, publish and restore a story: the desk's one rulebook.

Every path that reaches a story or something hanging off it (bylines, quotes,
corrections, import records) asks these functions about the story as stored:
the change form and its inlines, the Quotes admin, the change list's actions,
History, compare, restore and recover, delete, autocomplete and preview.
Roles are groups of permissions (``articles/migrations/0005_roles.py``); the
rules here add what a permission cannot say, such as "own drafts only".
"""

import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from newsroom.validation import validate_sane_datetime

from . import events
from .models import Article


def is_staff(user):
    return user.is_active and user.is_staff


def can_publish(user):
    """Publishing, scheduling and unpublishing are a permission of their own."""
    return is_staff(user) and user.has_perm("articles.publish_article")


def can_view(user, article=None):
    """Reporters and editors read every story at the desk, drafts included."""
    return is_staff(user) and (
        user.has_perm("articles.view_article")
        or user.has_perm("articles.change_article")
    )


def can_edit(user, article=None):
    """Editors edit any story; reporters only their own drafts.

    A published (or scheduled) story is what readers see, so changing it also
    needs the right to publish. With ``article`` None: may edit some story.
    """
    if not (is_staff(user) and user.has_perm("articles.change_article")):
        return False
    if article is None:
        return True
    if article.status == Article.Status.PUBLISHED and not can_publish(user):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.status == Article.Status.DRAFT and is_own(user, article)


def editable(user, queryset=None):
    """The stories ``user`` may edit, as a queryset: ``can_edit`` for many rows."""
    queryset = Article.objects.all() if queryset is None else queryset
    if not can_edit(user):
        return queryset.none()
    if not can_publish(user):
        queryset = queryset.exclude(status=Article.Status.PUBLISHED)
    if user.has_perm("articles.edit_any_article"):
        return queryset
    own = Q(created_by=user) | Q(bylines__journalist__user=user)
    mine = Article.objects.filter(own, status=Article.Status.DRAFT)
    return queryset.filter(pk__in=mine.values("pk"))


def is_own(user, article):
    """A reporter's own story: they filed it or their byline is on it."""
    if article.created_by_id == user.pk:
        return True
    return any(b.journalist.user_id == user.pk for b in article.bylines.all())


def can_delete(user, article=None):
    """Deleting a story needs the delete permission and the right to edit it."""
    return user.has_perm("articles.delete_article") and can_edit(user, article)


def can_restore(user, article):
    """Restoring an earlier version is an edit of the story as it is stored now."""
    return can_edit(user, article)


def can_recover(user):
    """Bringing back a deleted story: for those who may delete and publish."""
    return (
        can_publish(user)
        and user.has_perm("articles.delete_article")
        and user.has_perm("articles.add_article")
        and user.has_perm("articles.edit_any_article")
    )


def can_preview(user, article):
    """Whether ``user`` may read ``article`` before it is published. A story
    under embargo is shown only to those who may publish, change it or have
    their byline on it: the desk's other readers wait like everyone else."""
    if not can_view(user, article):
        return False
    if article.is_embargoed:
        return can_publish(user) or can_edit(user, article) or is_own(user, article)
    return True


def next_public_change(now):
    """When the public site next changes with nobody saving anything (a Unix
    timestamp), or None: the next scheduled story goes live, an embargo on a
    published story lifts, or the oldest story in the news sitemap's window
    leaves it. Three indexed look-ups (the embargo's in ``article_embargo_idx``)."""
    from .sitemaps import NEWS_WINDOW

    moment = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    due = (
        published.filter(published_at__gt=moment)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    leaving = (
        published.filter(
            published_at__gte=moment - NEWS_WINDOW, published_at__lte=moment
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    lifting = (
        published.filter(embargoed_until__gt=moment)
        .order_by("embargoed_until")
        .values_list("embargoed_until", flat=True)
        .first()
    )
    times = [due, lifting, leaving + NEWS_WINDOW if leaving else None]
    times = [time.timestamp() for time in times if time is not None]
    return min(times) if times else None


# Embargoes.


def embargo(*, article, by, until):
    """Hold ``article`` back from every public surface until ``until`` (an
    aware datetime), whatever its status and publication time; ``until``
    None lifts the embargo (``lift_embargo``).

    ``by``: the user doing it, who must be allowed to publish, or None for the
    newsroom itself (the importer, the shell). One revision; the ``embargoed``
    event follows the commit, for the timer that announces the lifting.
    Returns the story; refuses with PermissionDenied or ValidationError.
    """
    if until is None:
        return lift_embargo(article=article, by=by)
    if by is not None and not can_publish(by):
        raise PermissionDenied("Only editors who may publish can set an embargo.")
    if timezone.is_naive(until):
        raise ValidationError("An embargo needs a time with its time zone.")
    validate_sane_datetime(until)
    if until <= timezone.now():
        raise ValidationError(
            "The embargo time has passed: it would hold nothing back. To let "
            "the story out now, lift the embargo."
        )
    previous = article.embargoed_until
    with transaction.atomic(), reversion.create_revision():
        article.embargoed_until = until
        _save_embargo(article, by)
        reversion.set_comment(f"Embargoed until {_when(until)}")
        note_embargo_change(article=article, previous=previous)
    return article


def lift_embargo(*, article, by):
    """End ``article``'s embargo now: a published story is out at once (its
    ``embargo_lifted`` event follows the commit). Same rights as ``embargo``."""
    if by is not None and not can_publish(by):
        raise PermissionDenied("Only editors who may publish can lift an embargo.")
    previous = article.embargoed_until
    if previous is None:
        return article
    with transaction.atomic(), reversion.create_revision():
        article.embargoed_until = None
        _save_embargo(article, by)
        reversion.set_comment("Embargo lifted")
        note_embargo_change(article=article, previous=previous)
    return article


def note_embargo_change(*, article, previous):
    """Say what an embargo change that is being saved means (every path that
    changes ``embargoed_until`` calls this: the transitions above, the story
    form, the importer): ``embargoed`` for an embargo still ahead, with its
    time; ``embargo_lifted`` for a published story that the change let out."""
    until = article.embargoed_until
    if until == previous:
        return
    now = timezone.now()
    if until is not None and until > now:
        events.emit("embargoed", article, until=until)
    elif previous is not None and previous > now and article.is_published():
        events.emit("embargo_lifted", article, until=previous)


def _save_embargo(article, by):
    fields = ["embargoed_until", "updated_at"]
    if by is not None:
        article.updated_by = by
        fields.append("updated_by")
        reversion.set_user(by)
    article.save(update_fields=fields)


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")
