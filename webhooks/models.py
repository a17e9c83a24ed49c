"""Webhook endpoints and their delivery log, and the go-live timers."""

import hashlib
import hmac
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from articles.events import PUBLIC_KINDS

SIGNATURE_HEADER = "X-Newsroom-Signature"
EVENT_HEADER = "X-Newsroom-Event"
DELIVERY_HEADER = "X-Newsroom-Delivery"


def new_secret():
    return secrets.token_hex(32)


def sign(secret, body):
    """``sha256=`` and the hex HMAC-SHA256 of ``body`` (bytes) keyed with
    ``secret`` (its UTF-8 bytes): the ``X-Newsroom-Signature`` value."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class Endpoint(models.Model):
    name = models.CharField(
        max_length=100, help_text="Who receives it, e.g. “Partner app (staging)”."
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where each event is POSTed as JSON (http or https).",
    )
    secret = models.CharField(
        max_length=64,
        default=new_secret,
        editable=False,
        help_text="Give this to the receiver: each body is signed with it "
        f"({SIGNATURE_HEADER}: sha256=<HMAC-SHA256 of the body, in hex>).",
    )
    events = models.JSONField(
        default=list,
        help_text="The events this endpoint hears about.",
    )
    active = models.BooleanField(
        default=True, help_text="Switched off: nothing more is sent to it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = [kind for kind in self.events or () if kind not in PUBLIC_KINDS]
        if not isinstance(self.events, list) or unknown:
            raise ValidationError(
                {"events": f"Choose among: {', '.join(PUBLIC_KINDS)}."}
            )

    def hears(self, kind):
        return self.active and kind in (self.events or ())


class Delivery(models.Model):
    """One event for one endpoint: the exact body, and how sending it went."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed (gave up)"

    uuid = models.UUIDField(
        "delivery id", default=uuid.uuid4, unique=True, editable=False
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=20)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="story",
    )
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["-created_at", "-id"], name="delivery_log_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField()
    response_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="delivery_attempt_number"
            )
        ]

    def __str__(self):
        return f"attempt {self.number}"

    @property
    def succeeded(self):
        return self.response_code is not None and 200 <= self.response_code < 300


class Timer(models.Model):
    """A moment a story changes with nobody saving anything. Only the latest
    timer of a kind for a story fires (its ``token``); arming it again
    replaces it."""

    class Kind(models.TextChoices):
        GO_LIVE = "go_live", "goes live"
        EMBARGO_LIFT = "embargo_lift", "embargo lifts"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    due_at = models.DateTimeField()
    token = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "kind"], name="one_timer_a_kind")
        ]

    def __str__(self):
        return f"{self.article_id} {self.get_kind_display()} at {self.due_at}"
