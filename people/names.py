"""Name handling shared by the source directory and the importer (no database)."""

import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})

# Scripts whose accents and vowel points a writer may leave out (“Núñez”,
# “Nunez”; “Σωκράτης”, “Σωκρατης”; Arabic and Hebrew written with or without
# vowel points). In other scripts a combining mark is part of the letter: the
# vowel signs of Khmer and Devanagari, the breve that makes “й” of “и”.
_ACCENTED_SCRIPTS = ("LATIN", "GREEK", "ARABIC", "HEBREW")
# A letter followed by the marks those scripts use.
_MARKED = re.compile(
    "(.)([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+)"
)
_APOSTROPHES = re.compile(r"['’]")
_NOT_A_LETTER = re.compile(r"[^\w\s]|_")


def normalise_name(name):
    """Fold a name for matching: no accents, case, punctuation or courtesy title.

    Two spellings of one person give the same key (“Dr. Ana Núñez”, “ana nunez”);
    apostrophes vanish so “O’Brien” matches “OBrien”. Only Latin and Greek
    accents (and Arabic and Hebrew vowel points) are dropped: the vowel signs
    of Khmer, Devanagari and other scripts are kept, so two different names in
    those scripts never match.
    """
    text = _MARKED.sub(_without_accents, unicodedata.normalize("NFKD", name))
    text = _APOSTROPHES.sub("", text).casefold()
    text = _NOT_A_LETTER.sub(_mark_or_space, text)
    words = unicodedata.normalize("NFC", text).split()
    while len(words) > 1 and words[0] in COURTESY_TITLES:
        words.pop(0)
    return " ".join(words)


def ascii_slug(name, *, max_length=200):
    """A slug for an address that only takes ASCII: “王伟” gives “wangwei”.

    Letters of any script are transliterated first, so a name in Chinese or
    Khmer still gives a readable slug; it is "" only when nothing in the name
    is a letter or digit.
    """
    return slugify(anyascii(name))[:max_length].strip("-")


def _without_accents(match):
    """A letter without its marks, if it is of a script where they are accents."""
    letter = match[1]
    if unicodedata.name(letter, "").startswith(_ACCENTED_SCRIPTS):
        return letter
    return match[0]


def _mark_or_space(match):
    """Punctuation becomes a space; a mark that belongs to a letter stays."""
    character = match[0]
    return character if unicodedata.category(character).startswith("M") else " "
