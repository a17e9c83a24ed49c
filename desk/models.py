"""The desk's own records (notices, autosaved drafts, open-story presence)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Notice(models.Model):
    """Something that happened to a story that one member of the desk should
    know: it waits for them on the desk home until they mark it read."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    story = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    message = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField("read", null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # A member's notices, newest first (the desk home, the notices page).
            models.Index(
                fields=["recipient", "-created", "-id"], name="notice_inbox_idx"
            ),
            # The unread count in the header of every desk page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notice_unread_idx",
            ),
        ]

    def __str__(self):
        return self.message

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.story_id])

    @property
    def is_read(self):
        return self.read_at is not None


class Submission(models.Model):
    """When a story last went to the editors for review, and who sent it: the
    review queue's “submitted by … at …”, oldest first."""

    story = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="desk_submission",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self):
        return f"“{self.story}” submitted at {self.submitted_at:%Y-%m-%d %H:%M}"


class StoryAutosave(models.Model):
    """A copy of the story form as one user left it, kept every few seconds
    while they type. It is theirs alone: it never publishes, is no revision
    of the story and never changes the story's row. Saving the form clears it.
    ``article`` is empty for a story not yet saved (the add form)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="story_autosaves",
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
    )
    data = models.JSONField(help_text="The form's fields as they were typed.")
    # The story's version the copy was typed over (the form's ``loaded_version``).
    base_version = models.CharField(max_length=64, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="desk_autosave_one_per_story"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="desk_autosave_one_new_story",
            ),
        ]

    def __str__(self):
        story = self.article_id or "new story"
        return f"Autosave of {story} by {self.user_id} at {self.saved_at:%H:%M}"


class StoryPresence(models.Model):
    """Who has a story's form open: a heartbeat every few seconds while the
    form is open; a row not refreshed for ``desk.presence.STALE_AFTER`` is
    gone (the tab was closed without saying so)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="story_presences",
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="presences"
    )
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    editing = models.BooleanField(
        default=True, help_text="Whether they may change the story (else reading)."
    )

    class Meta:
        ordering = ["opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="desk_presence_one_per_story"
            )
        ]
        indexes = [models.Index(fields=["article", "seen_at"])]

    def __str__(self):
        return f"{self.user_id} on story {self.article_id} since {self.opened_at}"
