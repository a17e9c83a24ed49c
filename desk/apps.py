from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The desk: the staff home page, notices, autosaves and who has a story open."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
