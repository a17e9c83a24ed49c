import datetime

from django import forms
from django.utils import timezone

from articles.models import Section, newsroom_timezone
from people.models import Journalist

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
