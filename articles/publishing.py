"""The workflow's home: who may do what to a story, why it may not go out,
and every change of its status, each as one keyword-only function.

Every path that changes a story's status calls a transition here and nothing
else does: the story form (``save_edit``), the change list's actions, the
importer, the demo loader and the shell. Each transition is atomic, checks the
rules (who may, and ``publishing_problems`` before anything goes out), keeps
exactly one django-reversion revision, emits one event through
``articles.events`` and returns a ``Result``: ``done`` or the reasons it was
refused. A refusal is a result, never an exception; a wrong call (an unsaved
story, an unknown status) raises.

``by`` is the user doing it, whose rights are checked; ``by=None`` is the
system (the importer, the demo loader, a shell script), which the rules of
who may do what do not bind, though the rules of what a story needs do.

The desk's rules about who may see and change what:

Every path that reaches a story or something hanging off it (bylines, quotes,
corrections, import records) asks these functions about the story as stored:
the change form and its inlines, the Quotes admin, the change list's actions,
History, compare, restore and recover, delete, autocomplete and preview.
Roles are groups of permissions (``articles/migrations/0005_roles.py``); the
rules here add what a permission cannot say, such as "own drafts only".
"""

import datetime
from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from newsroom.validation import validate_sane_datetime

from .events import emit
from .history_diff import transition_line
from .models import Article, Correction

Status = Article.Status


# The states only those who may publish may change a story in.
OUT_STATES = (Status.PUBLISHED, Status.KILLED)


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

    A published (or scheduled) story is what readers see, and a killed one
    what they saw, so changing either also needs the right to publish. With
    ``article`` None: may edit some story.
    """
    if not (is_staff(user) and user.has_perm("articles.change_article")):
        return False
    if article is None:
        return True
    if article.status in OUT_STATES and not can_publish(user):
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
        queryset = queryset.exclude(status__in=OUT_STATES)
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


def can_kill(user):
    """Killing a story takes it off every public surface: for those who publish."""
    return can_publish(user)


def can_restore_killed(user):
    """Only an editor (who publishes and may edit any story) brings back a
    killed story, and then as a draft."""
    return can_publish(user) and user.has_perm("articles.edit_any_article")


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


# Why a story may not go out


BYLINE_PROBLEM = "A published story needs at least one byline."
SECTION_PROBLEM = (
    "A published story needs a section: its address begins with one. Choose "
    "the section under “Picture and filing”."
)


def publishing_problems(article, *, has_bylines=None):
    """Why ``article`` may not go out yet: a list of sentences, empty if none.

    ``has_bylines``: whether the story has (or, saved from a form, will have)
    at least one byline; None looks its stored bylines up.
    """
    problems = []
    if not article.headline.strip():
        problems.append("A published story needs a headline.")
    if not strip_tags(article.body or "").strip():
        problems.append("A published story needs a body.")
    if not article.dateline.strip():
        problems.append("A published story needs a dateline.")
    problems += section_problems(article)
    if has_bylines is None:
        has_bylines = bool(article.pk and article.bylines.exists())
    problems += byline_problems(has_bylines=has_bylines)
    photo = article.lead_photo
    if photo is not None:
        missing = photo.missing_details()
        if missing:
            problems.append(
                "The lead photo needs " + ", ".join(missing) + " before the "
                "story goes out."
            )
    return problems


def section_problems(article):
    """The section part of ``publishing_problems``: a draft may wait without
    a section, but a story has no address without one, so it does not go out
    (published, scheduled or embargoed) until it has one."""
    return [SECTION_PROBLEM] if article.section_id is None else []


def byline_problems(*, has_bylines):
    """The byline part of ``publishing_problems``, for the byline inline,
    which knows the rows about to be saved."""
    return [] if has_bylines else [BYLINE_PROBLEM]


# What each transition returns


@dataclass(frozen=True)
class Result:
    """What a transition did: ``done``, the story, a sentence saying what
    happened (or that nothing did), the reasons for a refusal and the event
    emitted ("" for none)."""

    done: bool
    article: Article
    message: str
    reasons: tuple[str, ...] = ()
    event: str = ""
    comment: str = ""  # the revision's comment

    def __bool__(self):
        return self.done


def _refuse(article, what, reasons):
    reasons = tuple(reasons)
    return Result(
        False, article, f"“{article}” was not {what}: {' '.join(reasons)}", reasons
    )


def _done(article, message, event="", comment=""):
    return Result(True, article, f"“{article}” {message}", (), event, comment)


def _commit(article, by, comment, kind=None, **details):
    """Save ``article`` as one revision by ``by`` and emit ``kind`` on commit.

    Inside a revision already open (the admin's form opens one per save), the
    change joins it, so a save is still one revision.
    """
    if article.pk is None:
        raise ValueError("a transition needs a saved story")
    if by is not None:
        article.updated_by = by
    with reversion.create_revision():
        article.save()
        if by is not None:
            reversion.set_user(by)
        reversion.set_comment(comment)
    if kind:
        emit(kind, article, by=by.pk if by is not None else None, **details)


def _may(by, allowed):
    return by is None or allowed(by)


def mark_published(article, *, at=None):
    """Set the fields of a published story, at ``at``, at the time already set,
    or now; no rules, no save. Only the transitions here (and tests setting a
    story up) call it. A scheduled story that is rescheduled moves its first
    publication with it."""
    article.status = Status.PUBLISHED
    if at is not None:
        article.published_at = at
    elif article.published_at is None:
        article.published_at = timezone.now()
    never_out = article.first_published_at is None or (
        article.first_published_at > timezone.now()
    )
    if never_out:
        article.first_published_at = article.published_at


def when_text(moment):
    """A moment as the desk says it: “3 December 2026, 09:30”, newsroom time."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# The transitions


def submit_for_review(*, article, by):
    """A draft goes to the editors. By anyone who may edit it (a reporter:
    their own drafts), or the system. Nothing public changes; emits
    ``submitted`` for the desk (the editors' notices)."""
    with transaction.atomic():
        if article.status != Status.DRAFT:
            return _refuse(
                article,
                "submitted for review",
                ["Only drafts can be submitted for review."],
            )
        if not _may(by, lambda user: can_edit(user, article)):
            return _refuse(
                article,
                "submitted for review",
                ["You may only submit your own drafts."],
            )
        article.status = Status.IN_REVIEW
        _commit(article, by, transition_line("submitted"), "submitted")
    return _done(article, "was submitted for review.", "submitted")


def may_withdraw(user, article):
    """A story in review goes back to draft by its author or an editor."""
    return (
        is_staff(user)
        and user.has_perm("articles.change_article")
        and (user.has_perm("articles.edit_any_article") or is_own(user, article))
    )


def withdraw(*, article, by):
    """A story in review goes back to draft, by its author or an editor (or
    the system). Nothing public changes: no event."""
    with transaction.atomic():
        if article.status != Status.IN_REVIEW:
            return _refuse(
                article, "withdrawn", ["Only a story in review is withdrawn."]
            )
        if not _may(by, lambda user: may_withdraw(user, article)):
            return _refuse(
                article,
                "withdrawn",
                ["Only its author or an editor withdraws a story from review."],
            )
        article.status = Status.DRAFT
        _commit(article, by, transition_line("withdrawn"))
    return _done(article, "was withdrawn from review and is a draft again.")


def may_send_back(user):
    """Sending a story in review back to its reporter is an editor's call:
    one who publishes and may edit any story."""
    return can_publish(user) and user.has_perm("articles.edit_any_article")


SEND_BACK_NOTE_MAX = 2000


def send_back(*, article, by, note):
    """An editor returns a story in review to its reporter as a draft, with
    ``note`` saying what it needs (kept in the revision's comment and in the
    reporter's notice). Editors only, or the system. Nothing public changes;
    emits ``sent_back`` (with the note) for the desk."""
    note = (note or "").strip()
    what = "sent back"
    with transaction.atomic():
        if not _may(by, may_send_back):
            return _refuse(
                article, what, ["Only an editor sends a story back to its reporter."]
            )
        if article.status != Status.IN_REVIEW:
            return _refuse(article, what, ["Only a story in review is sent back."])
        if not note:
            return _refuse(
                article,
                what,
                ["Say what the story needs: the reporter reads the note."],
            )
        if len(note) > SEND_BACK_NOTE_MAX:
            return _refuse(
                article,
                what,
                [f"The note is too long (at most {SEND_BACK_NOTE_MAX:,} characters)."],
            )
        article.status = Status.DRAFT
        comment = transition_line("sent_back", note=note)
        _commit(article, by, comment, "sent_back", note=note)
    return _done(
        article, "was sent back to the reporter as a draft.", "sent_back", comment
    )


def publish(*, article, by, at=None):
    """Publish now, or at ``at`` (a time ahead schedules it), or, with ``at``
    None, at the publication time already set on the story, else now.

    For those who may publish, or the system. Refused for a story that fails
    ``publishing_problems``, one already out, and a killed one (an editor
    restores it first). Emits ``published``, or ``scheduled`` for a time ahead
    (a scheduled story rescheduled emits ``scheduled`` again).
    """
    what = "published"
    with transaction.atomic():
        if not _may(by, can_publish):
            return _refuse(article, what, ["You may not publish stories."])
        if article.status == Status.KILLED:
            return _refuse(
                article,
                what,
                ["It was killed; an editor restores it as a draft first."],
            )
        if article.is_published():
            return _refuse(article, what, ["It is already published."])
        problems = publishing_problems(article)
        if problems:
            return _refuse(article, what, problems)
        mark_published(article, at=at)
        if article.is_scheduled:
            when = when_text(article.published_at)
            _commit(
                article,
                by,
                transition_line("scheduled", when=when),
                "scheduled",
                at=article.published_at.isoformat(),
            )
            return _done(article, f"is scheduled for {when}.", "scheduled")
        _commit(article, by, transition_line("published"), "published")
    return _done(article, "was published.", "published")


def unpublish(*, article, by):
    """Take a published (or scheduled) story down: it becomes a draft. For
    those who may publish, or the system. Emits ``unpublished``."""
    what = "unpublished"
    with transaction.atomic():
        if not _may(by, can_publish):
            return _refuse(article, what, ["You may not unpublish stories."])
        if article.status != Status.PUBLISHED:
            return _refuse(article, what, ["It is not published."])
        article.status = Status.DRAFT
        _commit(article, by, transition_line("unpublished"), "unpublished")
    return _done(article, "was unpublished and is now a draft.", "unpublished")


def correction_problems(article, by):
    """Why ``by`` may not add a correction to ``article`` (empty if they may)."""
    if not _may(by, can_publish):
        return ["Corrections are added by those who publish."]
    if article.status != Status.PUBLISHED:
        return ["Only a published story takes a correction."]
    return []


def correct(*, article, by, text, at=None):
    """Add a correction readers see (``text``: what was wrong and what is
    right) to a published story, dated ``at`` or now. For those who may
    publish, or the system. Emits ``corrected``."""
    text = (text or "").strip()
    with transaction.atomic():
        reasons = correction_problems(article, by)
        if not text:
            reasons.append("A correction needs its text.")
        if reasons:
            return _refuse(article, "corrected", reasons)
        correction = Correction(article=article, text=text)
        if at is not None:
            correction.published_at = at
        correction.full_clean(exclude=["article"])
        correction.save()
        if article.is_published():
            article.revised_at = timezone.now()
        _commit(
            article,
            by,
            transition_line("corrected", text=text),
            "corrected",
            correction_id=correction.pk,
        )
    return _done(article, "was corrected.", "corrected")


def kill(*, article, by, reason):
    """Withdraw a story for good: its address answers 410 Gone with a notice
    giving ``reason`` (readers see it), and it leaves every public surface.
    For those who may publish, or the system (an agency's kill notice).
    Any story but a killed one may be killed. Emits ``killed``."""
    reason = " ".join((reason or "").split())
    what = "killed"
    with transaction.atomic():
        if not _may(by, can_kill):
            return _refuse(article, what, ["You may not kill stories."])
        if article.status == Status.KILLED:
            return _refuse(article, what, ["It is already killed."])
        if not reason:
            return _refuse(article, what, ["A kill needs a reason; readers see it."])
        was_out = article.status == Status.PUBLISHED
        article.status = Status.KILLED
        article.killed_at = timezone.now()
        article.killed_by = by
        article.kill_reason = reason
        _commit(
            article,
            by,
            transition_line("killed", reason=reason),
            "killed",
            reason=reason,
        )
    message = "was killed." if was_out else "was killed before it went out."
    return _done(article, message, "killed")


def restore_killed(*, article, by):
    """Bring a killed story back as a draft (it goes out again only when
    published again). Editors only, or the system. Nothing public changes: no
    event."""
    what = "restored"
    with transaction.atomic():
        if not _may(by, can_restore_killed):
            return _refuse(article, what, ["Only an editor restores a killed story."])
        if article.status != Status.KILLED:
            return _refuse(article, what, ["It is not killed."])
        article.status = Status.DRAFT
        article.killed_at = None
        article.killed_by = None
        article.kill_reason = ""
        _commit(article, by, transition_line("restored_killed"))
    return _done(article, "was restored and is a draft.")


def kill_note(article):
    """What the desk reads about a kill: “Killed by X at T: reason”."""
    if article.status != Status.KILLED:
        return ""
    who = article.killed_by.get_username() if article.killed_by else "the importer"
    when = when_text(article.killed_at) if article.killed_at else "an unknown time"
    return f"Killed by {who} at {when}: {article.kill_reason}"


# The story form


def edit_problems(*, article, by, has_bylines=None):
    """Why saving ``article`` as the story form changed it would be refused:
    the rules of the transition its status change is. The form calls this in
    its validation; ``save_edit`` saves what passed."""
    return _edit_problems(article, _stored(article), by, has_bylines)


def _stored(article):
    return Article.objects.filter(pk=article.pk).first() if article.pk else None


def _edit_problems(article, stored, by, has_bylines):
    old = stored.status if stored else Status.DRAFT
    new = article.status
    reasons = []
    if new == Status.KILLED and old != Status.KILLED:
        reasons.append(
            "A story is killed with the list's “Kill” action, which asks for "
            "the reason readers see."
        )
    if old == Status.KILLED and new != Status.KILLED:
        reasons.append("A killed story comes back only when an editor restores it.")
    moved = stored is not None and stored.published_at != article.published_at
    going_out = new == Status.PUBLISHED and (old != Status.PUBLISHED or moved)
    if going_out and not _may(by, can_publish):
        reasons.append("You may not publish or schedule stories.")
    if (
        old == Status.PUBLISHED
        and new != Status.PUBLISHED
        and not _may(by, can_publish)
    ):
        reasons.append("You may not unpublish stories.")
    if new == Status.PUBLISHED:
        reasons += publishing_problems(article, has_bylines=has_bylines)
    elif article.embargoed_until is not None and (
        stored is None or stored.embargoed_until != article.embargoed_until
    ):
        # An embargo is set for a story that is to go out.
        reasons += section_problems(article)
    was_featured = bool(stored and stored.featured)
    if article.featured != was_featured and not _may(by, can_feature):
        reasons.append(FEATURE_REFUSAL)
    return reasons


def save_edit(*, article, by, content_changed, has_bylines=None):
    """Save a story as the story form changed it (fields and status at once):
    the transition its status change is, with that transition's event —
    ``published`` or ``scheduled`` when it goes out, ``unpublished`` when it
    comes down, ``updated`` when a story already out is changed
    (``content_changed``: its words or picture), ``submitted`` when a draft
    goes to review, none for other changes to a draft.

    The form has checked ``edit_problems`` (a refusal here means it did not:
    a programming error, raised). ``has_bylines`` as for
    ``publishing_problems``; the form's byline inline checks its own rows.
    """
    with transaction.atomic():
        stored = _stored(article)
        reasons = _edit_problems(article, stored, by, has_bylines)
        if reasons:
            raise ValueError(" ".join(reasons))
        old = stored.status if stored else Status.DRAFT
        was_public = bool(stored and stored.is_published())
        was_scheduled = bool(stored and stored.is_scheduled)
        new = article.status
        kind, comment, message = None, "Changed", "was saved."
        # The history's words (``articles.history_diff``); the story form
        # replaces them with what the save changed, field by field.
        if new == Status.PUBLISHED:
            mark_published(article)
            if article.is_scheduled:
                if not was_scheduled or stored.published_at != article.published_at:
                    when = when_text(article.published_at)
                    kind = "scheduled"
                    comment = transition_line("scheduled", when=when)
                    message = f"is scheduled for {when}."
            elif not was_public:
                kind, comment = "published", transition_line("published")
                message = "was published."
            elif content_changed:
                kind, comment = "updated", transition_line("updated")
                message = "was updated."
                article.revised_at = timezone.now()
        elif old == Status.PUBLISHED:
            kind, comment = "unpublished", transition_line("unpublished")
            message = "was unpublished and is now a draft."
        elif old == Status.DRAFT and new == Status.IN_REVIEW:
            kind, comment = "submitted", transition_line("submitted")
            message = "was submitted for review."
        elif old == Status.IN_REVIEW and new == Status.DRAFT:
            comment, message = transition_line("withdrawn"), "is a draft again."
        if stored is None and by is not None:
            article.created_by = by
        was_featured = bool(stored and stored.featured)
        _mark_featured(article, was_featured=was_featured)
        if comment == "Changed" and article.featured != was_featured:
            comment = transition_line("featured" if article.featured else "unfeatured")
        if article.pk is None:
            # A new story: saved first, so that its revision has it.
            article.save()
        details = (
            {"at": article.published_at.isoformat()} if kind == "scheduled" else {}
        )
        _commit(article, by, comment, kind, **details)
    return _done(article, message, kind or "", comment)


def refreshed(*, article, by):
    """Say that a story already out was changed by a path that saves its
    words itself in a revision of its own (the importer's refresh): emits
    ``updated`` while it is still public. Status is not touched."""
    if article.is_published():
        emit("updated", article, by=by.pk if by is not None else None)
        return _done(article, "was updated.", "updated")
    return Result(False, article, f"“{article}” is not public.", ("Not public.",))


# Embargoes.


def embargo(*, article, by, until):
    """Hold ``article`` back from every public surface until ``until`` (an
    aware datetime), whatever its status and publication time; ``until``
    None lifts the embargo (``lift_embargo``).

    ``by``: the user doing it, who must be allowed to publish, or None for the
    newsroom itself (the importer, the shell). One revision; the ``embargoed``
    event follows the commit, for the timer that announces the lifting.
    Returns a ``Result``; refused for those who may not publish and for a
    time that is past, naive or not a sane date.
    """
    if until is None:
        return lift_embargo(article=article, by=by)
    what = "embargoed"
    if not _may(by, can_publish):
        return _refuse(
            article, what, ["Only editors who may publish can set an embargo."]
        )
    if timezone.is_naive(until):
        return _refuse(article, what, ["An embargo needs a time with its time zone."])
    if problems := section_problems(article):
        return _refuse(article, what, problems)
    try:
        validate_sane_datetime(until)
    except ValidationError as error:
        return _refuse(article, what, error.messages)
    if until <= timezone.now():
        return _refuse(
            article,
            what,
            [
                "The embargo time has passed: it would hold nothing back. To let "
                "the story out now, lift the embargo."
            ],
        )
    previous = article.embargoed_until
    comment = transition_line("embargoed", when=when_text(until))
    with transaction.atomic(), reversion.create_revision():
        article.embargoed_until = until
        _save_embargo(article, by)
        reversion.set_comment(comment)
        note_embargo_change(article=article, previous=previous)
    return _done(
        article, f"is embargoed until {when_text(until)}.", "embargoed", comment
    )


def lift_embargo(*, article, by):
    """End ``article``'s embargo now: a published story is out at once (its
    ``embargo_lifted`` event follows the commit). Same rights as ``embargo``."""
    what = "released from its embargo"
    if not _may(by, can_publish):
        return _refuse(
            article, what, ["Only editors who may publish can lift an embargo."]
        )
    previous = article.embargoed_until
    if previous is None:
        return _refuse(article, what, ["It is not embargoed."])
    with transaction.atomic(), reversion.create_revision():
        article.embargoed_until = None
        _save_embargo(article, by)
        reversion.set_comment(transition_line("embargo_lifted"))
        note_embargo_change(article=article, previous=previous)
    return _done(
        article,
        "is no longer embargoed.",
        "embargo_lifted",
        transition_line("embargo_lifted"),
    )


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
        emit("embargoed", article, until=until)
    elif previous is not None and previous > now and article.is_published():
        emit("embargo_lifted", article, until=previous)


def _save_embargo(article, by):
    fields = ["embargoed_until", "updated_at"]
    if by is not None:
        article.updated_by = by
        fields.append("updated_by")
        reversion.set_user(by)
    article.save(update_fields=fields)


# The home page's lead.

FEATURE_REFUSAL = "Only editors may pin or unpin a story as the home page's lead."


def can_feature(user):
    """Pinning a story as the home page's lead is the editors' call: those who
    may publish and edit any story."""
    return can_publish(user) and user.has_perm("articles.edit_any_article")


def _mark_featured(article, *, was_featured):
    """Keep the pin's time with the flag: a story newly pinned is pinned now
    (the newest pin leads the home page); an unpinned one has no pin time."""
    if article.featured and not was_featured:
        article.featured_at = timezone.now()
    elif not article.featured:
        article.featured_at = None


def feature(*, article, by, featured=True):
    """Pin ``article`` as the home page's lead (``featured`` False: unpin it).

    For editors (``can_feature``), or the system. A story may be pinned in
    any state, but the home page leads with it only while readers may see it
    (published, its time come, no embargo ahead); of several pinned stories,
    the one pinned last leads. One revision ("Pinned as the home page's
    lead"); the page cache starts afresh on the write like on any story edit.
    """
    what = "pinned" if featured else "unpinned"
    with transaction.atomic():
        if not _may(by, can_feature):
            return _refuse(article, what, [FEATURE_REFUSAL])
        if article.featured == featured:
            already = "It is already pinned." if featured else "It is not pinned."
            return _refuse(article, what, [already])
        article.featured = featured
        _mark_featured(article, was_featured=not featured)
        comment = transition_line("featured" if featured else "unfeatured")
        _commit(article, by, comment)
    message = (
        "is pinned as the home page's lead."
        if featured
        else "is no longer pinned as the home page's lead."
    )
    return _done(article, message, "", comment)
