from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.events import story_event

        from .subscribers import on_story_event

        story_event.connect(on_story_event, dispatch_uid="webhooks-story-event")
