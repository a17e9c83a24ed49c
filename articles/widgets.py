"""The story form's fields sized for their content: length hints, tag chips.

Each widget renders plain HTML that works without JavaScript;
``static/articles/story-form.js`` adds the live counters, the chips, the body's
word count and the card preview's updates (no inline script or style: the
Content-Security-Policy allows neither).
"""

from django import forms
from django.utils.html import format_html
from taggit.forms import TagField

# The length an editor should aim for, in characters: search results show
# about 60 characters of a title and 160 of a description; a headline much
# past 70 wraps onto a third line on a phone's home page.
RECOMMENDED_LENGTHS = {
    "headline": 70,
    "standfirst": 200,
    "seo_title": 60,
    "seo_description": 160,
}


def length_hint(name):
    """The help text's sentence about the field's recommended length."""
    return f"Aim for {RECOMMENDED_LENGTHS[name]} characters or fewer."


class LengthHintMixin:
    """A text box that says how long it should be: its length now, of the
    recommended length, in a line under it that story-form.js keeps up to
    date as the editor types (``data-recommended``)."""

    def __init__(self, recommended, attrs=None, **kwargs):
        self.recommended = recommended
        super().__init__(attrs=attrs, **kwargs)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        hint_id = f"{attrs.get('id', f'id_{name}')}_length"
        described = attrs.get("aria-describedby", "")
        attrs["aria-describedby"] = f"{described} {hint_id}".strip()
        attrs["data-recommended"] = str(self.recommended)
        attrs["spellcheck"] = "true"
        box = super().render(name, value, attrs, renderer)
        length = len(self.format_value(value) or "")
        return format_html(
            '<div class="length-hint-field">{}<p class="length-hint" id="{}">'
            '<span class="length-hint__count">{}</span> of {} recommended '
            'characters<span class="length-hint__over">{}</span></p></div>',
            box,
            hint_id,
            length,
            self.recommended,
            over_text(length, self.recommended),
        )


def over_text(length, recommended):
    """“ — 12 over” past the recommended length, else nothing."""
    return f" — {length - recommended} over" if length > recommended else ""


class LengthHintTextarea(LengthHintMixin, forms.Textarea):
    def __init__(self, recommended, attrs=None, rows=2):
        super().__init__(
            recommended,
            attrs={"rows": str(rows), "class": "story-text", **(attrs or {})},
        )


class OneLineTextarea(LengthHintTextarea):
    """A one-line text that may wrap (a headline): as wide as the form, as
    tall as its text; Enter does not add a line break (story-form.js), and any
    that is pasted goes when the story is saved (single-line text)."""

    def __init__(self, recommended, attrs=None):
        super().__init__(
            recommended, attrs={"class": "story-text story-text--line", **(attrs or {})}
        )


def story_text_widgets():
    """The story form's text boxes (``ArticleAdminForm.Meta.widgets``)."""
    return {
        "headline": OneLineTextarea(RECOMMENDED_LENGTHS["headline"]),
        "standfirst": LengthHintTextarea(RECOMMENDED_LENGTHS["standfirst"], rows=3),
        "seo_title": OneLineTextarea(RECOMMENDED_LENGTHS["seo_title"]),
        "seo_description": LengthHintTextarea(RECOMMENDED_LENGTHS["seo_description"]),
    }


def add_length_hints(form):
    """Say each text's recommended length in its help text."""
    for name in RECOMMENDED_LENGTHS:
        if name in form.fields:
            field = form.fields[name]
            field.help_text = f"{field.help_text} {length_hint(name)}".strip()


# Tags ------------------------------------------------------------------------


def parse_tag_list(text):
    """Tag names in a line such as ``city council, "Smith, John", night``.

    Commas separate tags. A tag with a comma in it is put in double quotes,
    with any double quote inside it doubled (``"Dwayne ""The Rock"" J."``);
    a double quote anywhere else is part of the tag. Spaces inside a tag are
    kept. Names are stripped, empty ones dropped, repeats kept once, in the
    order given. The inverse of ``format_tag_list``.
    """
    names, name, chars = [], [], iter(text or "")
    quoted = False
    for char in chars:
        if quoted:
            if char == '"':
                following = next(chars, None)
                if following == '"':
                    name.append('"')
                    continue
                quoted = False
                if following is None:
                    break
                char = following
            else:
                name.append(char)
                continue
        if char == ",":
            names.append("".join(name))
            name = []
        elif char == '"' and not "".join(name).strip():
            name, quoted = [], True
        else:
            name.append(char)
    names.append("".join(name))
    unique = {}
    for item in names:
        item = " ".join(item.split())
        if item:
            unique.setdefault(item, None)
    return list(unique)


def format_tag_list(names):
    """The tags as one editable line that ``parse_tag_list`` reads back."""
    return ", ".join(
        '"{}"'.format(name.replace('"', '""'))
        if "," in name or name.startswith('"')
        else name
        for name in names
    )


class TagChipsWidget(forms.TextInput):
    """The story's tags as a comma-separated line; story-form.js turns it into
    chips (add with Enter or a comma, remove with the × button or Backspace)
    and writes the chips back into this line, which is what is submitted."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "vTextField tag-chips__text",
                "autocomplete": "off",
                "data-tag-chips": "",
            }
            | (attrs or {})
        )

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = format_tag_list(
                getattr(tag, "name", tag) for tag in value if getattr(tag, "name", tag)
            )
        return super().format_value(value)


class TagChipsField(TagField):
    """taggit's field, read with ``parse_tag_list``: commas alone separate
    tags, so “city council” is one tag, and a tag may hold commas and quotes."""

    widget = TagChipsWidget

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        return parse_tag_list(value)

    def has_changed(self, initial_value, data_value):
        if self.disabled:
            return False
        initial = sorted(getattr(tag, "name", tag) for tag in initial_value or [])
        return initial != sorted(parse_tag_list(data_value))
