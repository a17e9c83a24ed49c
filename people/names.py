"""Name handling shared by the source directory and the importer (no database)."""

import re
import unicodedata

COURTESY_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof"}


def normalise_name(name):
    """The form two spellings of one name share: no accents, case or titles."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.sub(r"[^\w\s-]", " ", text.casefold()).split()
    while len(words) > 1 and words[0] in COURTESY_TITLES:
        words.pop(0)
    return " ".join(words)
