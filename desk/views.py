"""The desk's own pages, inside the admin (staff only, through the admin
site's ``admin_view``): a member's notices and marking them read (POST, each
member their own), and the editors' “Send back to reporter…” form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles import publishing
from articles.models import Article

from . import notices as notice_service
from .models import Notice

NOTICES_PER_PAGE = 50


def staff_page(view):
    """The admin's own guard: staff only, the sign-in page for anyone else."""
    return admin.site.admin_view(view)


def back_to(request, default):
    """Where a form came from (``next``), if it is one of this site's pages."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def notice_list(request):
    """All of a member's notices, newest first, unread ones marked."""
    page = Paginator(
        Notice.objects.filter(recipient=request.user).select_related("story"),
        NOTICES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": "My notices",
        "page": page,
        "unread": notice_service.unread_count(request.user),
    }
    return render(request, "desk/notice_list.html", context)


@require_POST
def notice_read(request, pk):
    """Mark one notice read: the recipient's own, anyone else's is not found."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    notice_service.mark_read(
        user=request.user, notices=Notice.objects.filter(pk=notice.pk)
    )
    return HttpResponseRedirect(back_to(request, reverse("desk:notices")))


@require_POST
def notices_read(request):
    """Mark every notice of the member read."""
    count = notice_service.mark_read(
        user=request.user, notices=Notice.objects.filter(recipient=request.user)
    )
    if count:
        messages.success(
            request, f"{count:,} notice{'s' if count != 1 else ''} marked read."
        )
    return HttpResponseRedirect(back_to(request, reverse("desk:notices")))


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note to the reporter",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=publishing.SEND_BACK_NOTE_MAX,
        help_text="What the story needs before it goes out, e.g. “Check the "
        "council's figures and get a second source for the closure.” The "
        "reporter reads it in their notice and in the story's history.",
    )


def send_back(request, pk):
    """An editor returns a story in review to its reporter, with a note."""
    article = get_object_or_404(Article, pk=pk)
    if not publishing.may_send_back(request.user):
        raise PermissionDenied
    change = reverse("admin:articles_article_change", args=[article.pk])
    if article.status != Article.Status.IN_REVIEW:
        messages.warning(
            request, f"“{article}” is not in review: there is nothing to send back."
        )
        return HttpResponseRedirect(change)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = publishing.send_back(
            article=article, by=request.user, note=form.cleaned_data["note"]
        )
        if result.done:
            messages.success(request, result.message)
            return HttpResponseRedirect(reverse("admin:index"))
        form.add_error(None, " ".join(result.reasons))
    context = {
        **admin.site.each_context(request),
        "title": f"Send “{article}” back to the reporter",
        "article": article,
        "form": form,
        "change_url": change,
        "filer": article.created_by,
        "opts": Article._meta,
    }
    return render(request, "desk/send_back.html", context)
