from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The newsroom's desk: the staff home page, notices, autosaved drafts
    and who has a story open."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"

    def ready(self):
        from articles.events import story_event

        from .notices import on_story_event

        story_event.connect(on_story_event, dispatch_uid="desk-notices")
