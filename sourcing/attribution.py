"""Settling who said an unattributed quote: the one place it is done.

The queue (``sourcing.admin.UnattributedQuoteAdmin``) calls
``attribute_quote``; who may do it is ``may_attribute``, which asks the
workflow's rules (``articles.publishing.can_edit``) about the story as
stored, as the story form and Admin › Quotes do.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles import publishing
from articles.history import keep_stored_version, record_story_change
from articles.history_diff import transition_line
from articles.models import Article, Quote


def may_see_queue(user):
    """The queue is for those who may change stories and view sources."""
    return publishing.can_edit(user) and user.has_perm("people.view_source")


def may_attribute(user, article):
    """Whether ``user`` may settle the source of a quote in ``article``: the
    right to change quotes and to edit that story (a reporter: their own
    drafts; a published story: those who may publish). With ``article``
    None: may attribute quotes in some story (``publishing.editable`` says
    which, for many stories at once)."""
    return (
        may_see_queue(user)
        and user.has_perm("articles.change_quote")
        and publishing.can_edit(user, article)
    )


def short(text, length=80):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def history_words(quote, source):
    """The story's history line: the source as readers may know them (an
    anonymous source's name never enters the history, which reporters read)."""
    return transition_line(
        "attributed", source=source.public_name, text=short(quote.text)
    )


@dataclass
class Attribution:
    done: bool
    quote: Quote
    message: str


def attribute_quote(quote, source, *, by):
    """Attribute ``quote`` to ``source`` and record it as a new version of
    the story's history, by ``by`` (a user, or None for the system).

    Refused (``done`` False) when someone attributed it in the meantime;
    raises ``PermissionDenied`` when ``by`` may not.
    """
    with transaction.atomic():
        stored = (
            Quote.objects.select_for_update()
            .select_related("article")
            .filter(pk=quote.pk)
            .first()
        )
        if stored is None:
            return Attribution(False, quote, "That quote no longer exists.")
        article = stored.article
        if by is not None and not may_attribute(by, article):
            raise PermissionDenied("You may not attribute quotes in this story.")
        if stored.source_id is not None:
            return Attribution(
                False, stored, "Someone attributed that quote in the meantime."
            )
        keep_stored_version(Article, article.pk, comment="Before the first edit")
        stored.source = source
        stored.save(update_fields=["source"])
        words = history_words(stored, source)
        record_story_change(article=article, user=by, comment=words)
        # The save above refreshed the story's rows of the sourcing report's
        # summary (``sourcing/signals.py`` → ``summary.refresh_story``).
    return Attribution(True, stored, f"{words} (in “{short(article.headline, 60)}”).")
