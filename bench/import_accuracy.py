"""Benchmark: how much of real copy the importer gets right.

    .venv/bin/python bench/import_accuracy.py [DIR] [--answers FILE] [--json]

DIR defaults to ``../shared/samples/copy`` beside the repository and the answer
key to ``DIR/ANSWERS.json``. Every file the key names is imported on its own with
``manage.py import_stories`` into a fresh temporary SQLite database set up here,
and the stored story (Article, its Bylines, lead Photo, Publication and Quotes)
is compared with the key. Nothing else of the importer is used, so any reader
that stores what it read is measured the same way.

Fields checked, where the key gives them (``null`` in the key means "should be
empty"): headline, standfirst, bylines (authors in order), publication,
dateline, date, lead caption, lead credit and the number of body paragraphs.
Text is compared normalised: Unicode NFKC, case folded, zero-width characters
dropped, quotation marks and dashes unified, whitespace collapsed. A date is
right when the stored time falls on the key's calendar day in some time zone
(UTC-12 to UTC+14), as the copy's own zone is not stored; a date-only story must
be on that day in the site's zone.

Direct quotes (the key's ``quotes`` and ``dash_quotes``) are matched to stored
direct quotes by their ``starts`` prefix, normalised; each stored quote is used
once. A matched quote is *right* when its speaker is the key's (or both have
none), *wrong* when it names someone else (or names someone where the key says
the text names nobody), *unattributed* when the key names a speaker and the
stored quote has none; a key quote with no stored match is *missed*. Speakers
compare after dropping case, diacritics and courtesy titles (Mr., Dr., Frau,
M., Sr., ...); a longer stored name ending in the key's full name (a rank
before it) is right too, and so is a stored name that is the last two words or
more of the key's ("Abu Hatab" for "Walid Abu Hatab"); one word alone is not.
Stored direct quotes matching no key quote are counted as *extra*.

A file the importer refuses counts every field wrong and every quote missed,
and is still printed, with the reason.
"""

import argparse
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = (
    Path(os.environ.get("NEWSROOM_SHARED") or ROOT.parent / "shared")
    / "samples"
    / "copy"
)
FIELDS = [
    "headline",
    "standfirst",
    "bylines",
    "publication",
    "dateline",
    "date",
    "lead_caption",
    "lead_credit",
    "body_paragraphs",
]
QUOTE_OUTCOMES = ["right", "wrong", "unattributed", "missed"]
TITLES = {
    # courtesy titles and honorifics the key leaves out of speakers' names
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
    "herr", "frau", "m", "mme", "mlle", "monsieur", "madame", "sr", "sra",
    "srta", "senor", "senora", "don", "dona", "lok", "lok chumteav", "samdech",
}  # fmt: skip
QUOTE_MARKS = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'",
        "–": "-", "—": "-", "‒": "-", "―": "-", "\u2212": "-",
    }
)  # fmt: skip
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalise(value):
    """Text as compared: NFKC, case folded, marks unified, whitespace collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(INVISIBLE)
    text = text.translate(QUOTE_MARKS).casefold()
    return " ".join(text.split())


def quote_key(value):
    """A quote's words only, for matching a ``starts`` prefix."""
    text = normalise(value)
    return " ".join(re.findall(r"[^\W_]+", text))


def person_key(name):
    """A speaker's name without case, diacritics, punctuation or courtesy title."""
    text = unicodedata.normalize("NFKD", normalise(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+", text)
    while words and words[0] in TITLES:
        words = words[1:]
    if len(words) >= 2 and " ".join(words[:2]) in TITLES:
        words = words[2:]
    return words


def same_speaker(expected, stored):
    want, got = person_key(expected), person_key(stored)
    if not want or not got:
        return False
    if want == got:
        return True
    # "Prime Minister Hun Sen" for "Hun Sen": the key's full name, a rank before
    if len(want) >= 2 and got[-len(want) :] == want:
        return True
    # "Abu Hatab" for "Walid Abu Hatab": the last two words or more of the name
    return len(got) >= 2 and want[-len(got) :] == got


class ParagraphCounter(HTMLParser):
    """The body's ``<p>`` elements that hold text (the standard library's parser,
    so the bench runs in any checkout of the project)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.depth, self.text = 0, 0, False

    @classmethod
    def count(cls, body):
        counter = cls()
        counter.feed(body or "")
        counter.close()
        return counter.paragraphs

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            if self.depth == 0:
                self.text = False
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            if self.depth == 0 and self.text:
                self.paragraphs += 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.text = True


def setup_django(workdir):
    """Django on a fresh SQLite database in ``workdir``, migrated."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'accuracy.sqlite3'}"
    os.environ["NEWSROOM_VAR_DIR"] = str(workdir)
    os.environ["UPLOAD_ROOT"] = str(workdir / "uploads")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def import_file(path):
    """(article ids, error) after importing one file with ``import_stories``."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_stories", str(path), "--json", stdout=out, stderr=err)
    except CommandError:
        pass  # a refused story: the JSON below says why
    except Exception as error:  # the bench measures; it does not stop
        return [], f"the importer raised {error!r}"
    try:
        report = json.loads(out.getvalue())
    except ValueError:
        lines = (err.getvalue() or out.getvalue()).strip().splitlines()
        return [], (lines or ["no report"])[-1]
    ids = [s["id"] for s in report["stories"] if s.get("id") is not None]
    errors = [s.get("error", "") for s in report["stories"] if s.get("error")]
    return ids, "; ".join(errors) if not ids else ""


def stored_story(article_id):
    """What was stored for one story, as plain values."""
    from django.conf import settings

    from articles.models import Article

    article = (
        Article.objects.select_related("publication", "lead_photo")
        .prefetch_related("bylines__journalist", "quotes__source")
        .get(pk=article_id)
    )
    paragraphs = ParagraphCounter.count(article.body)
    photo = article.lead_photo
    published = article.published_at
    local_day = None
    if published is not None:
        zone = ZoneInfo(settings.TIME_ZONE)
        local_day = published.astimezone(zone).date()
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "bylines": [
            b.journalist.name for b in article.bylines.all() if not b.role.strip()
        ],
        "publication": article.publication.name if article.publication else "",
        "dateline": article.dateline,
        "published_at": published,
        "date_only": article.published_date_only,
        "local_day": local_day,
        "lead_caption": photo.caption if photo else "",
        "lead_credit": photo.credit if photo else "",
        "body_paragraphs": paragraphs,
        "quotes": [
            (q.text, q.source.name if q.source else None)
            for q in article.quotes.all()
            if q.kind == "direct"
        ],
    }


def date_right(expected, stored):
    day = date.fromisoformat(expected)
    if stored["published_at"] is None:
        return False
    if stored["date_only"]:
        return stored["local_day"] == day
    instant = stored["published_at"].astimezone(UTC)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    # the day begins at UTC+14 and ends at UTC-12
    return start - timedelta(hours=14) <= instant < start + timedelta(hours=36)


def field_right(name, expected, stored):
    if name == "date":
        return False if expected is None else date_right(expected, stored)
    got = stored[name]
    if name == "body_paragraphs":
        return got == (expected or 0)
    if name == "bylines":
        return [normalise(n) for n in expected or []] == [normalise(n) for n in got]
    return normalise(expected) == normalise(got)


def score_quotes(expected, stored):
    counts = dict.fromkeys(QUOTE_OUTCOMES, 0)
    details = []
    unused = list(stored)
    for quote in expected:
        starts = quote_key(quote["starts"])
        match = next(
            (s for s in unused if starts and quote_key(s[0]).startswith(starts)),
            None,
        )
        if match is None:  # the prefix may be cut inside a word of the stored text
            match = next(
                (s for s in unused if starts and quote_key(s[0])[: len(starts)]
                 == starts[: len(quote_key(s[0]))] and len(quote_key(s[0])) > 8),
                None,
            )  # fmt: skip
        if match is None:
            outcome = "missed"
        else:
            unused.remove(match)
            want, got = quote["speaker"], match[1]
            if got is None:
                outcome = "right" if want is None else "unattributed"
            elif want is not None and same_speaker(want, got):
                outcome = "right"
            else:
                outcome = "wrong"
        counts[outcome] += 1
        if outcome != "right":
            details.append(
                {
                    "starts": quote["starts"],
                    "outcome": outcome,
                    "expected": quote["speaker"],
                    "stored": match[1] if match else None,
                }
            )
    counts["extra"] = len(unused)
    return counts, details


def measure(directory, answers):
    """A result for each file the key names, in the key's order."""
    from articles.models import Article

    results = []
    for name, entry in answers.items():
        if name.startswith("_") or not isinstance(entry, dict):
            continue
        key = answers.get(entry.get("same_article_as"), entry)
        path = directory / name
        if not path.exists():
            results.append({"file": name, "error": "not found", "absent": True})
            continue
        ids, error = import_file(path)
        checked = [f for f in FIELDS if f in key]
        if ids:
            stored = stored_story(ids[0])
            fields = {f: field_right(f, key[f], stored) for f in checked}
            wrong = {
                f: {"expected": key[f], "stored": _shown(stored, f)}
                for f in checked
                if not fields[f]
            }
            quotes, quote_details = score_quotes(
                key.get("quotes", []) + key.get("dash_quotes", []), stored["quotes"]
            )
        else:
            fields = dict.fromkeys(checked, False)
            wrong = {}
            total = len(key.get("quotes", [])) + len(key.get("dash_quotes", []))
            quotes = {**dict.fromkeys(QUOTE_OUTCOMES, 0), "missed": total, "extra": 0}
            quote_details = []
        Article.objects.filter(pk__in=ids).delete()  # the next file starts afresh
        results.append(
            {
                "file": name,
                "error": error,
                "fields_right": sum(fields.values()),
                "fields_checked": len(fields),
                "wrong_fields": wrong,
                "quotes": quotes,
                "quote_details": quote_details,
            }
        )
    return results


def _shown(stored, name):
    if name == "date":
        value = stored["published_at"]
        return value.isoformat() if value is not None else None
    return stored[name]


def totals(results):
    measured = [r for r in results if not r.get("absent")]
    total = {
        "files": len(measured),
        "refused": sum(1 for r in measured if r["error"]),
        "fields_right": sum(r["fields_right"] for r in measured),
        "fields_checked": sum(r["fields_checked"] for r in measured),
        "quotes": {
            k: sum(r["quotes"][k] for r in measured) for k in [*QUOTE_OUTCOMES, "extra"]
        },
    }
    checked = total["fields_checked"]
    total["fields_percent"] = (
        round(100 * total["fields_right"] / checked, 1) if (checked) else 0.0
    )
    return total


def print_report(results, total, *, verbose):
    width = max((len(r["file"]) for r in results), default=10)
    print(f"{'file':<{width}}  fields   quotes: right wrong unattr missed extra")
    for r in results:
        if r.get("absent"):
            print(f"{r['file']:<{width}}  (not found)")
            continue
        q = r["quotes"]
        line = (
            f"{r['file']:<{width}}  {r['fields_right']:>2}/{r['fields_checked']:<2}"
            f"          {q['right']:>5} {q['wrong']:>5} {q['unattributed']:>6}"
            f" {q['missed']:>6} {q['extra']:>5}"
        )
        if r["error"]:
            line += f"  REFUSED: {r['error']}"
        print(line)
        if verbose:
            for field, shown in r["wrong_fields"].items():
                print(
                    f"    {field}: expected {shown['expected']!r}, "
                    f"stored {shown['stored']!r}"
                )
            for d in r["quote_details"]:
                print(
                    f"    quote {d['starts'][:40]!r}: {d['outcome']}"
                    f" (expected {d['expected']!r}, stored {d['stored']!r})"
                )
    q = total["quotes"]
    print(
        f"TOTAL {total['files']} files ({total['refused']} refused): fields "
        f"{total['fields_right']}/{total['fields_checked']} right "
        f"({total['fields_percent']} %); direct quotes: {q['right']} right, "
        f"{q['wrong']} wrong speaker, {q['unattributed']} unattributed, "
        f"{q['missed']} missed ({q['extra']} extra)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "directory",
        nargs="?",
        default=str(DEFAULT_DIR),
        metavar="DIR",
        help="The corpus (default: ../shared/samples/copy beside the repository).",
    )
    parser.add_argument(
        "--answers", metavar="FILE", help="The answer key (default: DIR/ANSWERS.json)."
    )
    parser.add_argument(
        "--json", action="store_true", help="Print one JSON object instead."
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="Also show each wrong field and each quote not right.",
    )
    args = parser.parse_args(argv)
    directory = Path(args.directory)
    answers_path = Path(args.answers) if args.answers else directory / "ANSWERS.json"
    try:
        answers = json.loads(answers_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        parser.exit(2, f"{answers_path}: cannot read the answer key: {error}\n")
    with tempfile.TemporaryDirectory(prefix="import-accuracy-") as workdir:
        setup_django(Path(workdir))
        results = measure(directory, answers)
        from django.db import connections

        connections.close_all()
    total = totals(results)
    if args.json:
        print(json.dumps({"total": total, "files": results}, indent=2, default=str))
    else:
        print_report(results, total, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
