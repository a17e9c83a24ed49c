import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone

from articles.models import Article, Quote, Section, newsroom_timezone
from people.admin import SourceAutocompleteSelect
from people.models import Journalist, Source
from people.names import normalise_name

from . import queue
from .report import ATTRIBUTES, Filters

DEFAULT_DAYS = 90
# The longest period a report covers: a year (a leap year's 366 days), the
# span sourcing audits are made over. The report's cost grows with the days
# it covers, so it stays bounded whatever the archive holds; an archive's
# history is read a year at a time.
MAX_DAYS = 366


def today():
    """Today in the newsroom's time zone."""
    tz = newsroom_timezone()
    return timezone.localdate(timezone=tz) if tz is not None else timezone.now().date()


class ReportFilterForm(forms.Form):
    """The report's period and filters; every field has a default."""

    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    section = forms.ModelChoiceField(
        Section.objects.order_by("position", "name"),
        required=False,
        empty_label="All sections",
    )
    journalist = forms.ModelChoiceField(
        Journalist.objects.order_by("name", "pk"),
        required=False,
        empty_label="All journalists",
    )
    attribute = forms.ChoiceField(
        label="Breakdowns by",
        choices=[(key, label) for key, (label, *_rest) in ATTRIBUTES.items()],
        required=False,
    )

    def clean(self):
        data = super().clean()
        date_to = data.get("date_to") or today()
        date_from = data.get("date_from") or date_to - datetime.timedelta(
            days=DEFAULT_DAYS
        )
        if date_from > date_to:
            raise forms.ValidationError("The period must begin before it ends.")
        if (date_to - date_from).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                f"A report covers at most a year ({MAX_DAYS} days): choose a "
                "shorter period, one year at a time."
            )
        data["date_from"], data["date_to"] = date_from, date_to
        data["attribute"] = data.get("attribute") or "gender"
        return data

    def filters(self):
        data = self.cleaned_data
        return Filters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            section=data.get("section"),
            journalist=data.get("journalist"),
            attribute=data["attribute"],
        )


class QueueFilterForm(forms.Form):
    """The queue's filters and the page it is on."""

    section = forms.ModelChoiceField(
        Section.objects.order_by("position", "name"),
        required=False,
        empty_label="All sections",
    )
    status = forms.ChoiceField(
        label="Story status",
        choices=[("", "Any status"), *Article.Status.choices],
        required=False,
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_after(self):
        value = self.cleaned_data.get("after") or ""
        if value and queue.parse_cursor(value) is None:
            raise forms.ValidationError("That is not a page of this list.")
        return value

    def filters(self):
        data = self.cleaned_data
        return queue.Filters(
            section=data.get("section"),
            status=data.get("status") or "",
            after=queue.parse_cursor(data.get("after")),
        )


class AttributeForm(forms.Form):
    """One click's POST: a source the desk has, or a suggested name to make
    a new source of (for those who may add sources)."""

    source = forms.ModelChoiceField(Source.objects.all(), required=False)
    new_name = forms.CharField(required=False, max_length=200)
    new_kind = forms.ChoiceField(
        required=False, choices=[("", ""), *Source.Kind.choices]
    )
    new_description = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        name = " ".join((data.get("new_name") or "").split())
        data["new_name"] = name
        if data.get("source") is None:
            if not name:
                raise forms.ValidationError("Choose who said it.")
            if not normalise_name(name):
                raise forms.ValidationError(f"“{name}” cannot be a source's name.")
            if not self.user.has_perm("people.add_source"):
                raise forms.ValidationError(
                    "You may not add sources: choose one the desk has."
                )
        return data


class PickerForm(forms.Form):
    """Any source the desk has, by autocomplete (named as the user may know them)."""

    source = forms.ModelChoiceField(
        Source.objects.none(),
        label="Another source",
        widget=SourceAutocompleteSelect(Quote._meta.get_field("source"), None),
    )


def picker(admin_site):
    """The source picker's widget: its media for the page, and the
    attributes every row's ``<select>`` shares (each row sets its own id)."""
    widget = PickerForm().fields["source"].widget
    widget.admin_site = admin_site
    attrs = widget.build_attrs(widget.attrs, {})
    attrs.pop("id", None)
    return widget.media, flatatt(attrs)
