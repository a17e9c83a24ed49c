from django.apps import AppConfig


class SourcingConfig(AppConfig):
    """The sourcing report: who the newsroom quotes, by self-described
    attribute; and the queue of quotes whose speaker is yet to be settled.

    Its own app because it reads stories (``articles``) and sources
    (``people``): ``people`` may never import ``articles``, and the report is
    a desk tool, not part of the story's model. Its summary tables are kept
    by the signals in ``sourcing.signals`` (``sourcing.summary``).
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "sourcing"
    verbose_name = "Sourcing"

    def ready(self):
        from . import signals  # noqa: F401
