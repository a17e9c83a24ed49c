from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The desk: the staff home page, notices, autosaves and who has a story open."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from articles.events import story_event

        from .notices import count_on_sign_in, on_story_event

        story_event.connect(on_story_event, dispatch_uid="desk-notices")
        user_logged_in.connect(count_on_sign_in, dispatch_uid="desk-unread-count")
