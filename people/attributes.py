"""The self-described attributes a source may carry for the sourcing report.

Each is optional and private (shown only to those who may edit sources, like
contact details and notes); blank means unknown. Nothing here guesses: the
desk records what the source said about themselves.
"""

from django import forms
from django.utils.html import format_html, format_html_join

# Offered as suggestions in the desk's form, never imposed: any text is kept.
GENDER_SUGGESTIONS = ("woman", "man", "non-binary")

SELF_DESCRIBED = "Self-described (private) — only what the source told us"
SELF_DESCRIBED_FIELDS = [
    "gender",
    "age_band",
    "location",
    "expertise",
    "other_attributes",
]


class SuggestingTextInput(forms.TextInput):
    """A text box with a list of common answers (an HTML ``datalist``)."""

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs)
        self.suggestions = tuple(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}_suggestions"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        box = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "", '<option value="{}"></option>', ((s,) for s in self.suggestions)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)
