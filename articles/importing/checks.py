"""Clean a story's values and check them against what the database holds.

This runs between reading and storing, and touches no database: every value
is cleaned once (``newsroom.validation.clean_text``), and every value that is
stored in a field of limited length is measured against that field's
``max_length`` on the model, so an over-long value is reported by name
("headline: at most 300 characters (got 4,000)") instead of as a database
error, and before anything is written.

What the copy states about the story — its uri, headline, dateline, bylines,
publication, date, picture credit, alt text and file name — fails the story
when it cannot be stored: it is the story, and cutting it short would publish
something nobody wrote. What only decorates it or what the importer worked
out itself — a canonical link, a tag, a source found by the quote finder and
its description, an alt text made from a long caption — is left out (or
shortened) with a warning, and the story is imported.
"""

import datetime
import functools
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from taggit.models import Tag

from media.models import Photo
from newsroom.validation import clean_text, is_http_url, validate_sane_datetime
from people.models import Journalist, Source
from people.names import normalise_name

from ..models import Article, Publication, StoryImport
from .data import ParseError, StoryData

# (field as the desk knows it, attribute of StoryData, model, model field) for
# what fails the story. A list (authors) is checked one name at a time.
STORY_FIELDS = (
    ("uri", "identity", StoryImport, "identity"),
    ("headline", "headline", Article, "headline"),
    ("dateline", "dateline", Article, "dateline"),
    ("authors", "authors", Journalist, "name"),
    ("contributors", "contributors", Journalist, "name"),
    ("publication", "publication", Publication, "name"),
)
# The same for the picture (attribute of PhotoData, Photo field).
PHOTO_FIELDS = (
    ("photo credit", "credit", "credit"),
    ("photo alt text", "alt_text", "alt_text"),
    ("photo file name", "filename", "original_filename"),
)
SINGLE_LINE = ("identity", "headline", "dateline", "publication", "canonical_url",
               "language")  # fmt: skip


def clean_story(story: StoryData) -> StoryData:
    """The story with control characters removed and text in NFC, in place.

    Single-line values (headline, names, tags, credits) also lose runs of
    white space. Run before finding quotes, so quotes are found in clean text.
    """
    for name in SINGLE_LINE:
        setattr(story, name, _clean(getattr(story, name)))
    story.standfirst = _clean(story.standfirst, single_line=False)
    story.body_html = _clean(story.body_html, single_line=False)
    story.paragraphs = [c for value in story.paragraphs if (c := _clean(value))]
    # Names that differed only by a control character are one name now.
    story.authors = _unique(story.authors)
    story.contributors = _unique(story.contributors, besides=story.authors)
    story.tags = _unique(story.tags)
    if photo := story.photo:
        for name in ("filename", "caption", "credit", "alt_text", "href"):
            setattr(photo, name, _clean(getattr(photo, name)))
    return story


def _clean(value, *, single_line=True):
    """``clean_text(value)``, skipping the work for the usual value that is
    clean already: printable (no control, separator or non-character) but for
    line breaks and tabs in a text of several lines, in NFC, and in a single
    line with single spaces only."""
    if single_line:
        clean = "  " not in value and value == value.strip()
        printable = value.isprintable()
    else:
        clean = True
        printable = value.translate(_LINE_BREAKS).isprintable()
    if clean and printable and unicodedata.is_normalized("NFC", value):
        return value
    return clean_text(value, single_line=single_line)


_LINE_BREAKS = str.maketrans("", "", "\n\r\t")


def _unique(values, *, besides=()):
    """Clean values, without empty ones or repeats (ignoring case)."""
    seen = {value.casefold() for value in besides}
    kept = []
    for value in values:
        if (value := _clean(value)) and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


def check_story(story: StoryData, *, filename: str = "") -> list[str]:
    """Refuse a story a field of which the database cannot hold; return warnings.

    Raises ParseError naming the field (and every other field at fault in the
    message). Values that only decorate the story are left out with a warning
    instead; the returned list says which.
    """
    problems = []
    for label, attribute, model, name in STORY_FIELDS:
        value = getattr(story, attribute)
        for item in value if isinstance(value, list) else [value]:
            problems += _too_long(label, item, _limit(model, name), many=value)
    problems += _too_long("file", filename, _limit(StoryImport, "filename"))
    problems += _date_problems(story)
    if photo := story.photo:
        for label, attribute, name in PHOTO_FIELDS:
            problems += _too_long(label, getattr(photo, attribute), _limit(Photo, name))
    if problems:
        (field, message), *others = problems
        message += "".join(f"; {other}: {text}" for other, text in others)
        raise ParseError(message, field=field)

    warnings = list(story.warnings)
    _check_date(story, warnings)
    _check_provenance(story, warnings)
    _check_corrections(story, warnings)
    _check_canonical_url(story, warnings)
    _check_tags(story, warnings)
    _check_sources(story, warnings)
    _check_alt_from_caption(story, warnings)
    return warnings


# Fields that fail the story


@functools.cache
def _limit(model, name):
    return model._meta.get_field(name).max_length


def _too_long(label, value, limit, *, many=None):
    if not value or len(value) <= limit:
        return []
    got = f"got {len(value):,}"
    if isinstance(many, list):
        got += f" for {shorten(value)}"
        return [(label, f"at most {limit:,} characters each ({got})")]
    return [(label, f"at most {limit:,} characters ({got})")]


def _date_problems(story):
    moment = story.published_at
    if story.published_on:
        day = story.published_on
        moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    try:
        validate_sane_datetime(moment)
    except ValidationError as error:
        return [("publication time", " ".join(error.messages))]
    except OverflowError:
        return [("publication time", "not a time that can be stored")]
    return []


# Fields left out with a warning


def _check_canonical_url(story, warnings):
    url = story.canonical_url
    if not url:
        return
    limit = _limit(Article, "canonical_url")
    if not is_http_url(url):
        problem = "is not an http(s) address"
    elif len(url) > limit:
        problem = f"is {len(url):,} characters, over the {limit:,} a link may have"
    else:
        return
    warnings.append(f"original URL: {shorten(url)} {problem}; left out")
    story.canonical_url = ""


def _check_tags(story, warnings):
    limit = _limit(Tag, "name")
    kept = []
    for tag in story.tags:
        if len(tag) > limit or len(slugify(tag, allow_unicode=True)) > limit:
            warnings.append(
                f"tags: {shorten(tag)} is {len(tag):,} characters, over the "
                f"{limit:,} a tag may have; left out"
            )
        else:
            kept.append(tag)
    story.tags = kept


def _check_sources(story, warnings):
    """Sources the quote finder named that cannot be stored are left out; their
    quotes stay, unattributed, for the desk to settle."""
    name_limit = _limit(Source, "name")
    key_limit = _limit(Source, "normalised_name")
    description_limit = _limit(Source, "description")
    kept = []
    for source in story.sources:
        key = normalise_name(source.name)
        if not key or len(source.name) > name_limit or len(key) > key_limit:
            problem = (
                "has no letters to match it on"
                if not key
                else f"is {len(source.name):,} characters, over the "
                f"{name_limit:,} a source's name may have"
            )
            warnings.append(
                f"sources: the name {shorten(source.name)} {problem}; left out, "
                "and the quotes found for it are kept unattributed"
            )
            for quote in story.quotes:
                if quote.speaker == source.name:
                    quote.speaker = None
            continue
        if len(source.description) > description_limit:
            warnings.append(
                f"sources: the description of “{source.name}” is "
                f"{len(source.description):,} characters, over the "
                f"{description_limit:,} it may have; left out"
            )
            source.description = ""
        kept.append(source)
    story.sources = kept


def _check_date(story, warnings):
    """A story without a date of its own is said to be so: the desk dates it."""
    if story.published_at is None and story.published_on is None:
        warnings.append(
            "date: none found in the copy; the story has no publication date "
            "and --publish keeps it a draft"
        )


def _check_provenance(story, warnings):
    """The agency and origin note, cut to what the story's field holds."""
    from .store import provenance  # the one place the line is put together

    limit = _limit(Article, "provenance_note")
    line = provenance(story)
    if len(line) <= limit:
        return
    story.provenance = story.provenance[: max(0, limit - len(story.agency) - 3)]
    story.provenance = story.provenance[:-1].rsplit(" ", 1)[0] + "…"
    warnings.append(
        f"provenance: {len(line):,} characters, over the {limit:,} it may have; "
        "shortened"
    )


def _check_corrections(story, warnings):
    story.corrections = [c for text in story.corrections if (c := _clean(text))]


def _check_alt_from_caption(story, warnings):
    """A photo without alt text gets its caption as one, shortened if needed."""
    photo = story.photo
    limit = _limit(Photo, "alt_text")
    if photo is None or photo.alt_text or len(photo.caption) <= limit:
        return
    cut = photo.caption[:limit]
    sentence_end = cut.rfind(". ")
    if sentence_end > limit // 2:  # whole sentences, when that keeps enough
        photo.alt_text = cut[: sentence_end + 1]
    else:
        photo.alt_text = cut[: limit - 1].rsplit(" ", 1)[0] + "…"
    warnings.append(
        f"photo alt text: the copy gives none and the caption is "
        f"{len(photo.caption):,} characters, over the {limit:,} an alt text may "
        "have; it was shortened: write a better one in the admin"
    )


def shorten(value, length=60):
    """A value quoted for a message, cut to ``length`` characters."""
    return f"“{value if len(value) <= length else value[: length - 1] + '…'}”"
