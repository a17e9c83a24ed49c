"""The desk's part of the story form (Admin › Articles › Stories).

``StoryDeskMixin`` goes first among ``ArticleAdmin``'s bases. It gives the
form what ``static/desk/story_form.js`` needs (autosave, presence), clears
the user's autosaved copy when the story is saved, and, once a reporter has
submitted a story and may no longer change it, shows them where it stands: a
“Submitted for review” notice, the body as readers will read it and a
“Withdraw to draft” button. "View on site" goes to the preview until the
story is published, not to a 404.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import publishing
from articles.html import sanitize_html
from articles.models import Article

from . import story_desk
from .models import StoryAutosave

# Only the story's own add and change forms autosave: not History's restore
# form, whose fields are an old version's.
AUTOSAVED_VIEWS = {"articles_article_add", "articles_article_change"}


def preview_address(article):
    return reverse("articles:preview", kwargs={"pk": article.pk})


class StoryDeskMixin:
    def view_on_site(self, article):
        """The live page once readers can see it; until then the preview."""
        if article.is_published():
            return article.get_absolute_url()
        return preview_address(article)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        context["desk_story"] = self.desk_story(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_story(self, request, article):
        """What the story form's desk script and notices need."""
        match = request.resolver_match
        if match is None or match.url_name not in AUTOSAVED_VIEWS:
            return None
        if article is None or article.pk is None:
            return {
                "editable": True,
                "autosave_url": reverse("desk:autosave_new"),
            }
        editable = self.has_change_permission(request, article)
        in_review = article.status == Article.Status.IN_REVIEW
        return {
            "article": article,
            "editable": editable,
            "autosave_url": reverse("desk:autosave", args=[article.pk]),
            "presence_url": reverse("desk:presence", args=[article.pk]),
            "leave_url": reverse("desk:presence_leave", args=[article.pk]),
            "in_review": in_review,
            "may_withdraw": in_review
            and publishing.may_withdraw(request.user, article),
            "withdraw_url": reverse("desk:withdraw", args=[article.pk]),
            "preview_url": preview_address(article),
            "autosave_every": int(story_desk.AUTOSAVE_EVERY.total_seconds() * 1000),
            "heartbeat_every": int(story_desk.HEARTBEAT_EVERY.total_seconds() * 1000),
        }

    def get_fieldsets(self, request, obj=None):
        """Read only, the body is shown as text, not as its HTML."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "readable_body" if field == "body" else field
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="Body")
    def readable_body(self, article):
        if not article.body:
            return "(no body yet)"
        # Sanitized again as every page shows it: only the body's allowed tags.
        return format_html(
            '<div class="desk-readable-body">{}</div>',
            mark_safe(sanitize_html(article.body)),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved: the draft copy has done its job. A new story's copy was kept
        # under no story.
        StoryAutosave.objects.filter(
            user=request.user, article=form.instance if change else None
        ).delete()

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._to_submitted_story(request, obj) or response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self._to_submitted_story(request, obj) or response

    def _to_submitted_story(self, request, article):
        """A reporter who just submitted (and may no longer change the story)
        goes to the story's page, where it says so, rather than to the list."""
        if {"_addanother", "_saveasnew", "_popup"} & set(request.POST):
            return None
        if article.status != Article.Status.IN_REVIEW:
            return None
        if self.has_change_permission(request, article):
            return None
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )
