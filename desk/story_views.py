"""The story form's helpers at the desk: its autosaved copy, who else has it
open, and withdrawing a story from review.

The JSON endpoints answer staff only, each with the right to the story
(changing it, or adding stories for a new one's copy; reading it for
presence), and every write needs the CSRF token (Django's middleware). A user
only ever reaches their own autosaved copy. Errors are JSON with a 4xx status.
"""

import json

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from articles import publishing
from articles.admin import version_token
from articles.models import Article

from . import story_desk
from .story_desk import BadCopy


def refusal(status, message):
    response = JsonResponse({"error": message}, status=status)
    add_never_cache_headers(response)
    return response


def answer(data):
    response = JsonResponse(data)
    add_never_cache_headers(response)
    return response


def story(pk):
    return (
        Article.objects.filter(pk=pk)
        .select_related("updated_by")
        .prefetch_related("bylines__journalist")
        .first()
    )


def staff_refusal(request):
    if not publishing.is_staff(request.user):
        return refusal(403, "Sign in to the desk first.")
    return None


@require_http_methods(["GET", "POST", "DELETE"])
def autosave(request, pk=None):
    """GET: the user's copy of the form (``{"autosave": null}`` if none);
    POST (JSON ``fields``, ``labels``, ``base_version``): keep it; DELETE:
    discard it."""
    refused = staff_refusal(request)
    if refused:
        return refused
    article = None
    if pk is not None:
        article = story(pk)
        if article is None:
            return refusal(404, "No such story.")
        if not publishing.can_edit(request.user, article):
            return refusal(403, "You may not change this story.")
    elif not request.user.has_perm("articles.add_article"):
        return refusal(403, "You may not add stories.")

    if request.method == "DELETE":
        story_desk.forget_copy(user=request.user, article=article)
        return answer({"autosave": None})
    if request.method == "GET":
        copy = story_desk.copy_of(user=request.user, article=article)
        return answer({"autosave": copy and shown_copy(copy, article)})

    size = request.META.get("CONTENT_LENGTH") or "0"
    if not size.isdigit() or int(size) > story_desk.MAX_AUTOSAVE_BYTES:
        most = story_desk.MAX_AUTOSAVE_BYTES // 1024
        return refusal(413, f"The story is too long to autosave (over {most} kB).")
    if request.content_type != "application/json":
        return refusal(415, "Send the form's fields as application/json.")
    try:
        payload = json.loads(request.body)
        fields, labels, base_version = story_desk.clean_copy(payload)
    except (ValueError, UnicodeDecodeError) as error:
        message = str(error) if isinstance(error, BadCopy) else "That is not JSON."
        return refusal(400, message)
    if outdated_by_own_save(request.user, article, base_version):
        return refusal(
            409,
            "You saved the story after this form was opened: reload it to go on.",
        )
    copy = story_desk.keep_copy(
        user=request.user,
        article=article,
        fields=fields,
        labels=labels,
        base_version=base_version,
    )
    return answer(
        {
            "saved_at": copy.saved_at.isoformat(),
            "saved_at_text": story_desk.desk_time(copy.saved_at, seconds=True),
        }
    )


def outdated_by_own_save(user, article, base_version):
    """A copy typed over a version the user has since saved over themselves
    (it arrived after their save): it would offer back what is saved."""
    if article is None or not base_version:
        return False
    return version_token(article) != base_version and article.updated_by_id == user.pk


def shown_copy(copy, article):
    """The copy as the form offers it back, with a warning if the story was
    saved (by anyone) after the version the copy was typed over."""
    changed_since = None
    if article is not None and copy.base_version:
        if version_token(article) != copy.base_version:
            who = article.updated_by
            changed_since = {
                "by": story_desk.name_of(who) if who else "someone",
                "at_text": story_desk.desk_time(article.updated_at),
            }
    return {
        "fields": copy.data.get("fields", {}),
        "labels": copy.data.get("labels", {}),
        "saved_at": copy.saved_at.isoformat(),
        "saved_at_text": story_desk.desk_time(copy.saved_at),
        "story_changed_since": changed_since,
    }


def readable_story(request, pk):
    """The story ``pk`` if the user may read it at the desk, else a refusal."""
    refused = staff_refusal(request)
    if refused:
        return None, refused
    article = story(pk)
    if article is None:
        return None, refusal(404, "No such story.")
    if not publishing.can_view(request.user, article):
        return None, refusal(403, "You may not read this story.")
    return article, None


@require_POST
def presence(request, pk):
    """A heartbeat of an open story form: who else has it open."""
    article, refused = readable_story(request, pk)
    if refused:
        return refused
    story_desk.here(
        user=request.user,
        article=article,
        editing=publishing.can_edit(request.user, article),
    )
    others = story_desk.others_here(user=request.user, article=article)
    return answer(
        {
            "others": [
                {
                    "name": story_desk.name_of(other.user),
                    "since": other.opened_at.isoformat(),
                    "editing": other.editing,
                    "text": story_desk.presence_line(other),
                }
                for other in others
            ]
        }
    )


@require_POST
def presence_leave(request, pk):
    """The form was closed (sent by the browser as the page goes)."""
    article, refused = readable_story(request, pk)
    if refused:
        return refused
    story_desk.gone(user=request.user, article=article)
    return answer({"others": None})


@staff_member_required
@require_POST
def withdraw(request, pk):
    """“Withdraw to draft” on a story in review: ``publishing.withdraw``,
    its result as the message, back to the story's form."""
    article = get_object_or_404(
        Article.objects.prefetch_related("bylines__journalist"), pk=pk
    )
    if not publishing.can_view(request.user, article):
        raise PermissionDenied
    result = publishing.withdraw(article=article, by=request.user)
    if result.done:
        messages.success(
            request,
            f"Withdrawn to draft — “{article.headline}” is a draft again and "
            "can be changed; submit it for review when it is ready.",
        )
    else:
        messages.error(request, result.message)
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )
