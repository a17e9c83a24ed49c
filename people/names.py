"""Name handling shared by the source directory and the importer (no database)."""

import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})

# Scripts whose accents are decoration a writer may drop (“Núñez”, “Nunez”;
# “Σωκράτης”, “Σωκρατης”). In other scripts a combining mark is part of the
# letter: Khmer and Devanagari vowel signs, the Cyrillic breve of “й”.
_ACCENTED_SCRIPTS = ("LATIN", "GREEK")
_APOSTROPHES = re.compile(r"['’]")


def normalise_name(name):
    """Fold a name for matching: no accents, case, punctuation or courtesy title.

    Two spellings of one person give the same key (“Dr. Ana Núñez”, “ana nunez”);
    apostrophes vanish so “O’Brien” matches “OBrien”. Only Latin and Greek
    letters lose their accents: the vowel signs of Khmer, Devanagari and other
    scripts are kept, so two different names in those scripts never match.
    """
    text = _APOSTROPHES.sub("", _strip_accents(name)).casefold()
    text = "".join(c if _is_name_character(c) else " " for c in text)
    words = text.split()
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


def _strip_accents(name):
    kept = []
    accented_base = False
    for character in unicodedata.normalize("NFKD", name):
        if unicodedata.category(character).startswith("M"):
            if accented_base:
                continue
        else:
            accented_base = unicodedata.name(character, "").startswith(
                _ACCENTED_SCRIPTS
            )
        kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept))


def _is_name_character(character):
    """Letters, digits, the marks that belong to letters, and spaces."""
    return (
        character.isalnum()
        or character.isspace()
        or unicodedata.category(character).startswith("M")
    )
