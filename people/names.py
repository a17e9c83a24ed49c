"""Name handling shared by the source directory and the importer (no database)."""

import re
import unicodedata

COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})


def normalise_name(name):
    """Fold a name for matching: no accents, case, punctuation or courtesy title.

    Two spellings of one person give the same key (“Dr. Ana Núñez”, “ana nunez”);
    apostrophes vanish so “O’Brien” matches “OBrien”.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]|_", " ", re.sub(r"['’]", "", text))
    words = text.split()
    while len(words) > 1 and words[0] in COURTESY_TITLES:
        words.pop(0)
    return " ".join(words)
