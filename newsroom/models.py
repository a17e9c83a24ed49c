"""The hook every content model uses to obey ``newsroom.validation``'s rules.

``articles``, ``people`` and ``media`` models mix in ``ValueRulesMixin`` and use
``ValueRulesQuerySet`` (or a subclass) as their manager, so whichever path
writes a row — admin form, importer, demo loader, shell — its text is
normalised and a bad address or time is refused with the field's name.
``QuerySet.update()`` bypasses it, as it bypasses ``save()``.
"""

from django.db import models

from .validation import clean_text_values, enforce_value_rules


class ValueRulesQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            enforce_value_rules(obj)
        return super().bulk_create(objs, *args, **kwargs)


class ValueRulesMixin:
    """Clean text and check addresses and times before a row is validated or
    stored (mix in before ``models.Model``)."""

    def clean_fields(self, exclude=None):
        # Forms validate the value that will be stored: cleaned first, so a
        # headline of nothing but control characters is "required", not a 500.
        clean_text_values(self)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        enforce_value_rules(
            self, fields=None if update_fields is None else set(update_fields)
        )
        super().save(*args, **kwargs)
