"""The site-wide value rules every path shares (newsroom/validation.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from newsroom.validation import (
    clean_text,
    is_http_url,
    validate_http_url,
    validate_sane_datetime,
)


def test_control_characters_are_removed_and_words_kept_apart():
    assert clean_text("Tram\x0bline\x00 reopens\x1f") == "Tram\nline reopens"
    assert clean_text("Tram\x0bline", single_line=True) == "Tram line"
    assert clean_text("a\u2028b  \t c", single_line=True) == "a b c"
    assert clean_text("para one\n\npara two") == "para one\n\npara two"


def test_text_is_composed_and_non_characters_dropped():
    decomposed = "Caf\u0065\u0301"
    assert clean_text(decomposed) == "Caf\u00e9"
    assert clean_text("x\ufffey\U0010ffff\ud800") == "xy"
    assert clean_text("王伟 and 李娜") == "王伟 and 李娜"
    assert clean_text(None) is None


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "ftp://a.b/",
     "//evil.example/", "/relative", "vbscript:x"],
)  # fmt: skip
def test_only_http_urls_pass(url):
    assert not is_http_url(url)
    with pytest.raises(ValidationError):
        validate_http_url(url)


def test_http_urls_pass():
    assert is_http_url("https://news.example/a?b=1")
    validate_http_url("http://news.example/")
    validate_http_url("")


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC),
        datetime.datetime(1799, 12, 31, 9, 59, tzinfo=datetime.UTC),
    ],
)
def test_times_outside_the_window_are_refused(moment):
    with pytest.raises(ValidationError, match="Enter a time between 1 January 1800"):
        validate_sane_datetime(moment)


def test_times_inside_the_window_pass():
    first_day_east = datetime.timezone(datetime.timedelta(hours=14))
    validate_sane_datetime(datetime.datetime(1800, 1, 1, tzinfo=first_day_east))
    validate_sane_datetime(datetime.datetime(1851, 9, 18, tzinfo=datetime.UTC))
    validate_sane_datetime(datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC))
    validate_sane_datetime(None)
