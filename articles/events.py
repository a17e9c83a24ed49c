"""What happened to a story, said once.

The workflow's transitions (``articles.publishing``) say what they did by
calling ``emit(kind, article)``; the event is sent once the transaction that
made the change commits (never for a change that was rolled back), as the
``story_event`` signal. Subscribers connect to the signal and do their work in
background tasks, never inside the request.

Kinds readers' partners hear about (``PUBLIC_KINDS``): ``published``,
``updated`` (a change to a story already out), ``corrected``,
``unpublished``, ``killed`` and ``embargo_lifted``. Two more say a moment was
set that has not come yet, for the subscribers that keep timers:
``scheduled`` (published for a time still ahead) and ``embargoed``. And two
happen only inside the newsroom, for the desk's notices (``desk``):
``submitted`` (a draft went to the editors for review) and ``sent_back`` (an
editor returned a story in review to its reporter, with a note).
"""

from django.db import transaction
from django.dispatch import Signal

PUBLIC_KINDS = (
    "published",
    "updated",
    "corrected",
    "unpublished",
    "killed",
    "embargo_lifted",
)
TIMER_KINDS = ("scheduled", "embargoed")
WORKFLOW_KINDS = ("submitted", "sent_back")
KINDS = PUBLIC_KINDS + TIMER_KINDS + WORKFLOW_KINDS

# Sent with sender=Article, kind=one of KINDS, article_id=the story's pk and
# details=a dict of what the transition adds (a reason, a time, who did it).
story_event = Signal()


def emit(kind, article, **details):
    """Send ``kind`` for ``article`` once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown story event {kind!r}")
    article_id = article.pk

    def send():
        story_event.send(
            sender=type(article), kind=kind, article_id=article_id, details=details
        )

    transaction.on_commit(send, robust=True)
