"""The text reader on the development corpus of real articles in ../shared
(never copied into the repository): at least 95 % of the fields the answer
key gives are read right. Skips when ../shared is not there."""

import datetime
import json
import re
import unicodedata

from articles.importing.text import read_text
from tests.conftest import shared_file

FIELDS = ["headline", "standfirst", "bylines", "publication", "dateline", "date",
          "lead_caption", "lead_credit", "body_paragraphs"]  # fmt: skip
MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                       "‘": "'", "’": "'", "–": "-", "—": "-"})  # fmt: skip


def loose(value):
    if isinstance(value, list):
        return [loose(item) for item in value]
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFKC", value).translate(MARKS).casefold()
    value = re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", value)
    return " ".join(value.split())


def read_fields(story):
    day = story.published_on or (story.published_at and story.published_at.date())
    photo = story.photo
    return {
        "headline": story.headline,
        "standfirst": story.standfirst,
        "bylines": story.authors,
        "publication": story.publication,
        "dateline": story.dateline,
        "date": day.isoformat() if isinstance(day, datetime.date) else "",
        "lead_caption": photo.caption if photo else "",
        "lead_credit": photo.credit if photo else "",
        "body_paragraphs": len(story.paragraphs),
    }


def test_the_text_corpus_is_read_at_least_95_percent_right():
    answers_path = shared_file("samples/copy/ANSWERS.json")
    answers = json.loads(answers_path.read_text(encoding="utf-8"))
    right = checked = 0
    wrong = []
    for name, key in answers.items():
        if not name.startswith("text/"):
            continue
        text = (answers_path.parent / name).read_text(encoding="utf-8")
        got = read_fields(read_text(text, filename=name))
        for field in FIELDS:
            expected = key.get(field)
            expected = expected if expected is not None else (
                [] if field == "bylines" else 0 if field == "body_paragraphs" else ""
            )  # fmt: skip
            checked += 1
            if loose(expected) == loose(got[field]):
                right += 1
            else:
                wrong.append(f"{name} {field}: {expected!r} read as {got[field]!r}")

    assert checked >= 100
    assert right / checked >= 0.95, "\n".join(wrong)
