"""Who may see, change, publish and restore a story: the desk's one rulebook.

Every path that reaches a story or something hanging off it (bylines, quotes,
corrections, import records) asks these functions about the story as stored:
the change form and its inlines, the Quotes admin, the change list's actions,
History, compare, restore and recover, delete, autocomplete and preview.
Roles are groups of permissions (``articles/migrations/0005_roles.py``); the
rules here add what a permission cannot say, such as "own drafts only".
"""

import datetime

from django.db.models import Q

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
    """Whether ``user`` may read ``article`` before it is published."""
    return can_view(user, article)


def next_public_change(now):
    """When the public site next changes with nobody saving anything (a Unix
    timestamp), or None: the next scheduled story goes live, or the oldest
    story in the news sitemap's window leaves it. Two indexed look-ups."""
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
    times = [due, leaving + NEWS_WINDOW if leaving else None]
    times = [time.timestamp() for time in times if time is not None]
    return min(times) if times else None
