"""Site-wide rules for what any stored value may be, whichever path wrote it.

Every app (articles, people, media) and every way in (admin form, importer,
shell) uses these, so a headline, a name or a URL is judged the same way
everywhere:

- ``clean_text`` normalises text on the way in: Unicode NFC, no control
  characters (none of which XML 1.0, and so a feed, can carry), no lone
  surrogates or non-characters; single-line values also get their runs of
  white space folded into one space.
- ``validate_http_url`` / ``is_http_url`` accept only absolute http(s) URLs,
  so a ``javascript:`` or ``data:`` address can never become a link.
- ``validate_sane_datetime`` refuses times outside the window a story, a
  correction or an import can plausibly carry (far enough back for a digitised
  archive, far enough ahead for a long embargo), which also keeps every stored
  time readable and convertible to any time zone.
"""

import datetime
import re
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

# C0 controls but tab, newline and carriage return; DEL; C1 controls; lone
# surrogates; the non-characters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
        for plane in range(17)
    )
    + "]"
)
_VERTICAL = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def clean_text(value, *, single_line=False):
    """``value`` with the characters no page or feed can carry removed.

    Vertical tabs, form feeds and Unicode line/paragraph separators become
    newlines (or spaces in a single-line value) rather than vanishing, so the
    words on either side stay apart. ``None`` and non-strings pass through.
    """
    if not isinstance(value, str) or not value:
        return value
    value = _VERTICAL.sub(" " if single_line else "\n", value)
    value = _ILLEGAL.sub("", value)
    value = unicodedata.normalize("NFC", value)
    if single_line:
        value = _SPACES.sub(" ", value).strip()
    return value


_http_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a full web address starting with http:// or https://.",
)


def validate_http_url(value):
    """Field validator: an absolute http(s) URL, or nothing."""
    if value:
        _http_url(value)


def is_http_url(value):
    """Whether ``value`` is an absolute http(s) URL (for readers and templates)."""
    if not isinstance(value, str) or not value:
        return False
    return _is_http_url(str(value))


@lru_cache(maxsize=1024)
def _is_http_url(value):
    # A story page asks up to five times per render; the validator's regular
    # expressions are the cost, and the answer depends on the text alone.
    try:
        _http_url(value)
    except ValidationError:
        return False
    return True


def sane_window(now=None):
    """The earliest and latest time a stored story time may hold."""
    now = now or timezone.now()
    # Less the widest time-zone offset, so a date-only story on the first day
    # (midnight east of Greenwich is the day before in UTC) is still inside.
    earliest = datetime.datetime(
        settings.NEWSROOM_EARLIEST_YEAR, 1, 1, tzinfo=datetime.UTC
    ) - datetime.timedelta(hours=14)
    latest = now + datetime.timedelta(days=365 * settings.NEWSROOM_MAX_YEARS_AHEAD)
    return earliest, latest


def _day(moment):
    return f"{moment.day} {moment:%B %Y}"


def validate_sane_datetime(value):
    """Field validator: a time inside ``sane_window()``."""
    if value is None:
        return
    earliest, latest = sane_window()
    try:
        outside = value < earliest or value > latest
    except TypeError:  # a naive time: compare it as UTC
        outside = not (
            earliest.replace(tzinfo=None) <= value <= latest.replace(tzinfo=None)
        )
    if outside:
        raise ValidationError(
            "Enter a time between %(earliest)s and %(latest)s.",
            code="out_of_range",
            params={
                "earliest": _day(earliest + datetime.timedelta(hours=14)),
                "latest": _day(latest),
            },
        )


# Model values ---------------------------------------------------------------
#
# ``newsroom.models.ValueRulesMixin`` applies these to every model of the
# articles, people and media apps, in ``clean_fields()`` (so an admin form
# shows the problem next to the field) and in ``save()``/``bulk_create()`` (so
# the importer and the shell cannot store what a form would refuse).


class StoredValueError(ValidationError):
    """A ``ValidationError`` keyed by field that reads as one sentence per field,
    so a command's one-line report says which field of which row was refused."""

    def __str__(self):
        if hasattr(self, "error_dict"):
            return "; ".join(
                f"{name}: {' '.join(messages)}"
                for name, messages in self.message_dict.items()
            )
        return super().__str__()


def _text_fields(instance, fields):
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.CharField | models.TextField):
            yield field, isinstance(field, models.CharField)


def clean_text_values(instance, *, fields=None):
    """Normalise every text field of ``instance`` in place (see ``clean_text``).

    Single-line fields (``CharField`` and its kinds) get ``single_line``; long
    text and HTML keep their line breaks. Returns the names of the fields that
    held text and now hold none.
    """
    emptied = []
    for field, single_line in _text_fields(instance, fields):
        value = getattr(instance, field.attname)
        cleaned = clean_text(value, single_line=single_line)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
            if value.strip() and not cleaned and not field.blank:
                emptied.append(field.name)
    return emptied


def _checked_fields(instance, fields):
    """(field, validators) for the fields whose stored value must pass them:
    addresses (URLs, slugs), one-line text (its length) and the times an
    editor or an import can set.
    The site-wide rule comes first, so a field is refused with its message."""
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.URLField):
            yield field, [validate_http_url, *field.validators]
        elif isinstance(field, models.SlugField):
            yield field, field.validators
        elif isinstance(field, models.CharField) and field.max_length:
            # Its maximum length: SQLite would store more, PostgreSQL fail.
            yield field, field.validators
        elif isinstance(field, models.DateTimeField) and not (
            field.auto_now or field.auto_now_add
        ):
            yield field, [validate_sane_datetime, *field.validators]


def enforce_value_rules(instance, *, fields=None):
    """Clean ``instance``'s text and refuse it if an address or a time is bad.

    Raises ``StoredValueError`` naming every bad field (``fields`` limits the
    check, as ``save(update_fields=…)`` does). Nothing is stored when it raises.
    """
    errors = {}
    for name in clean_text_values(instance, fields=fields):
        errors[name] = [
            ValidationError(
                "This holds only characters that cannot be stored or shown.",
                code="blank",
            )
        ]
    for field, validators in _checked_fields(instance, fields):
        value = getattr(instance, field.attname)
        if value in field.empty_values:
            continue
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
                break
    if errors:
        raise StoredValueError(errors)
