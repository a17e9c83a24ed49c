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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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
    try:
        _http_url(value)
    except ValidationError:
        return False
    return True


def sane_window(now=None):
    """The earliest and latest time a stored story time may hold."""
    now = now or timezone.now()
    earliest = datetime.datetime(
        settings.NEWSROOM_EARLIEST_YEAR, 1, 1, tzinfo=datetime.UTC
    )
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
            params={"earliest": _day(earliest), "latest": _day(latest)},
        )
