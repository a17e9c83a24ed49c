"""Names for the desk's form controls that Django's admin leaves unnamed.

A tabular inline shows its labels once, as column headings, so each row's
boxes have no label of their own, and a split date-and-time field's two boxes
share one label. Screen readers then announce "edit text" with no name (axe:
``label``). ``NamedRowsFormSet`` gives every box in an inline row an
``aria-label`` ("Role, byline 2"; "Published, date, correction 1") and
``name_split_boxes`` does the same for a form's own date-and-time fields.
"""

from django import forms


def _name(widget, name):
    parts = getattr(widget, "widgets", None)
    if parts and len(parts) == 2 and isinstance(widget, forms.SplitDateTimeWidget):
        _name(parts[0], f"{name}, date")
        _name(parts[1], f"{name}, time")
        return
    if parts:
        for part in parts:
            _name(part, name)
        return
    if not isinstance(widget, forms.HiddenInput):
        widget.attrs.setdefault("aria-label", name)


def name_split_boxes(form):
    """The date and the time box of each split date-and-time field, named."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.SplitDateTimeWidget):
            _name(field.widget, str(field.label))


class NamedRowsFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows' boxes say what they are and which row."""

    row_name = None  # "byline": defaults to the model's verbose name

    def add_fields(self, form, index):
        super().add_fields(form, index)
        thing = self.row_name or str(self.model._meta.verbose_name)
        row = f"new {thing}" if index is None else f"{thing} {index + 1}"
        for name, field in form.fields.items():
            label = "Delete" if name == "DELETE" else str(field.label or name)
            # Each form has its own copy of its fields' widgets.
            _name(field.widget, f"{label}, {row}")
