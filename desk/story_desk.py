"""Autosaved draft copies of the story form and who has a story open.

An autosave is one user's copy of the form as they left it; it is never a
revision, never changes the story and never publishes. A presence is a
heartbeat from an open story form; one not refreshed for ``STALE_AFTER`` has
expired (the tab was closed, the laptop went to sleep).
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import StoryAutosave, StoryPresence

# How often the form sends its copy while it has unsaved changes, and how
# often an open form says it is still open.
AUTOSAVE_EVERY = datetime.timedelta(seconds=5)
HEARTBEAT_EVERY = datetime.timedelta(seconds=20)
# Three missed heartbeats: the form is no longer open.
STALE_AFTER = datetime.timedelta(seconds=60)

# A copy of the form is at most this big (a 10,000-word story is about 80 kB).
MAX_AUTOSAVE_BYTES = 512 * 1024
MAX_FIELDS = 200
MAX_VALUES = 200  # in one multiple-choice field
FIELD_NAME = re.compile(r"[A-Za-z0-9_]{1,100}")


class BadCopy(ValueError):
    """The copy sent is not a story form's fields: says what is wrong."""


def clean_copy(payload):
    """``payload`` (decoded JSON) as ``(fields, labels, base_version)``.

    ``fields``: the story form's own fields by name, each a string or a list
    of strings; ``labels``: the text shown for chosen options (the section's
    name), so that a restore can show them before the picker has loaded.
    """
    if not isinstance(payload, dict):
        raise BadCopy("Send a JSON object with the form's fields.")
    fields = payload.get("fields")
    if not isinstance(fields, dict):
        raise BadCopy("“fields” must be an object of the form's fields.")
    labels = payload.get("labels", {})
    if not isinstance(labels, dict):
        raise BadCopy("“labels” must be an object.")
    base_version = payload.get("base_version", "")
    if not isinstance(base_version, str) or len(base_version) > 64:
        raise BadCopy("“base_version” must be the form's loaded version.")
    if len(fields) > MAX_FIELDS or len(labels) > MAX_FIELDS:
        raise BadCopy(f"A story form has fewer than {MAX_FIELDS} fields.")
    for name, value in [*fields.items(), *labels.items()]:
        if not FIELD_NAME.fullmatch(name):
            raise BadCopy(f"“{name[:100]}” is not a field of the story form.")
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_VALUES or not all(isinstance(v, str) for v in values):
            raise BadCopy(f"“{name}” must be text or a list of texts.")
    return fields, labels, base_version


def keep_copy(*, user, article, fields, labels, base_version, now=None):
    """Keep ``user``'s copy of the form of ``article`` (None: a new story).
    Two tabs saving at once are one copy: the later one."""
    copy, _ = StoryAutosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={
            "data": {"fields": fields, "labels": labels},
            "base_version": base_version,
            "saved_at": now or timezone.now(),
        },
    )
    return copy


def copy_of(*, user, article):
    """``user``'s own copy of the form of ``article`` (None: a new story)."""
    return StoryAutosave.objects.filter(user=user, article=article).first()


def forget_copy(*, user, article):
    """The story was saved (or the copy discarded): the copy goes."""
    StoryAutosave.objects.filter(user=user, article=article).delete()


def name_of(user):
    return user.get_full_name() or user.get_username()


def desk_time(moment, now=None, *, seconds=False):
    """“10:42” today, “30 Nov, 10:42” before, in the newsroom's time;
    ``seconds``: “10:42:07”, for a copy kept every few seconds."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    clock = "H:i:s" if seconds else "H:i"
    if local.date() == today:
        return date_format(local, clock)
    return date_format(local, f"j M, {clock}")


def here(*, user, article, editing, now=None):
    """``user`` has ``article``'s form open (a heartbeat). Expired presences
    of the story go; a return after one expired counts from now."""
    now = now or timezone.now()
    with transaction.atomic():
        StoryPresence.objects.filter(
            article=article, seen_at__lt=now - STALE_AFTER
        ).delete()
        presence, created = StoryPresence.objects.get_or_create(
            user=user,
            article=article,
            defaults={"opened_at": now, "seen_at": now, "editing": editing},
        )
        if not created:
            presence.seen_at, presence.editing = now, editing
            presence.save(update_fields=["seen_at", "editing"])
    return presence


def gone(*, user, article):
    """``user`` closed ``article``'s form."""
    StoryPresence.objects.filter(user=user, article=article).delete()


def others_here(*, user, article, now=None):
    """Everyone but ``user`` with ``article``'s form open, first opened first."""
    now = now or timezone.now()
    return list(
        StoryPresence.objects.filter(article=article, seen_at__gte=now - STALE_AFTER)
        .exclude(user=user)
        .select_related("user")
        .order_by("opened_at")
    )


def presence_line(presence, now=None):
    """“Ana Ruiz has had this story open since 10:40.”"""
    who = name_of(presence.user)
    since = desk_time(presence.opened_at, now)
    if presence.editing:
        return f"{who} has had this story open since {since}."
    return f"{who} has been reading this story since {since}."
