from django.db import models

from .html import sanitize_html


class SanitizedHTMLField(models.TextField):
    """HTML cleaned to the story allowlist every time the row is saved."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
