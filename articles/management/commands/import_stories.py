import json
import os
import stat
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from articles.importing.checks import check_story, clean_story, shorten
from articles.importing.data import ItemError, ParseError
from articles.importing.formats import (
    FORMATS,
    detect,
    refuse_xml_as_text,
    xml_kind,
)
from articles.importing.jsonld import read_jsonld
from articles.importing.markup import parse_xml
from articles.importing.newsml import read_newsml
from articles.importing.ninjs import read_ninjs
from articles.importing.nitf import read_nitf
from articles.importing.quotes import find_quotes
from articles.importing.store import (
    DatabaseUnavailable,
    Lookups,
    Outcome,
    Retrying,
    store_story,
)
from articles.importing.text import decode, read_text
from articles.importing.webpage import read_webpage

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
NAMES = {"newsml": "NewsML-G2", "nitf": "NITF", "html": "XHTML (a web page)"}
STATUSES = ["created", "updated", "unchanged", "skipped", "failed"]


class Command(BaseCommand):
    help = (
        "Import stories from syndicated text copy, IPTC ninjs JSON, NewsML-G2 or "
        "NITF XML, schema.org JSON-LD or web pages, finding the "
        "people and organisations quoted in them. Re-running an import changes "
        "nothing; each story is stored in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="A file, a directory (searched recursively) or - for standard input.",
        )
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="Where the picture files named in the copy are looked for.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish imported stories (by default they are drafts).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and validate everything and report what would happen, "
            "writing nothing.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Refresh stories whose copy changed, unless an editor has edited "
            "them since they were imported.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="auto",
            help="The format of the copy (default: auto, told by its content).",
        )
        parser.add_argument(
            "--encoding",
            default="",
            help="The encoding of text copy that is not UTF-8, e.g. cp1252 or "
            "latin-1 (by default UTF-8, or UTF-16/32 with a byte order mark).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object at the end instead of the human summary.",
        )

    def handle(self, *args, paths, images, publish, dry_run, update, as_json, **opts):
        if images and not Path(images).is_dir():
            raise CommandError(f"--images {images}: no such directory.")
        if opts["encoding"]:
            try:  # a text encoding Python knows (decoding b"" looks nothing up)
                b"\0\0\0\0".decode(opts["encoding"])
            except UnicodeDecodeError:
                pass
            except LookupError:
                raise CommandError(
                    f"--encoding {opts['encoding']}: no such encoding."
                ) from None
        self.verbosity = opts["verbosity"]
        self.as_json = as_json
        self.encoding = opts["encoding"]
        self.retrying = Retrying(
            retries=settings.NEWSROOM_IMPORT_DB_RETRIES,
            delay=settings.NEWSROOM_IMPORT_DB_RETRY_DELAY,
            on_wait=self.waiting,
        )
        counts = dict.fromkeys(STATUSES, 0)
        stories = []
        show_bar = not as_json and self.stdout.isatty()
        total = sum(1 for _ in iter_inputs(paths)) if show_bar else None
        lookups = Lookups()
        with tqdm(
            total=total, unit="file", disable=not show_bar, file=self.stdout._out
        ) as bar:
            for name, path in iter_inputs(paths):
                for outcome in self.import_file(
                    name, path, fmt=opts["format"], images=images,
                    publish=publish, update=update, dry_run=dry_run, lookups=lookups,
                ):  # fmt: skip
                    counts[outcome.status] += 1
                    entry = self.report(name, outcome, dry_run=dry_run)
                    if as_json:
                        stories.append(entry)
                bar.update()
        self.summarise(counts, stories, dry_run=dry_run)
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} of {sum(counts.values())} stories could not be "
                "imported; the lines above say why."
            )

    def import_file(self, name, path, *, fmt, images, **store_options):
        """An Outcome for each story in the file, one failing alone."""
        try:
            parsed, listed = self.read_file(path, fmt)
        except OSError as error:
            reason = error.strerror or str(error)
            yield Outcome("failed", error=f"cannot read the file: {reason}")
            return
        except ParseError as error:
            yield Outcome("failed", error=error.describe(), field=error.field)
            return
        except RecursionError:
            yield Outcome("failed", error="nested too deeply to read")
            return
        except Exception as error:  # a reader's surprise: still one line
            yield Outcome("failed", error=f"cannot be read: {error!r}")
            return
        for number, story in enumerate(parsed, start=1):
            if isinstance(story, ItemError):
                outcome = Outcome(
                    "failed",
                    headline=story.headline,
                    error=story.error.describe(),
                    field=story.error.field,
                )
            else:
                outcome = self.import_story(
                    story, filename=name, images=images, **store_options
                )
            outcome.item = number if listed else None
            parsed[number - 1] = None  # what is stored need not stay in memory
            yield outcome

    def read_file(self, path, fmt):
        """The stories in one file, and whether the file lists several."""
        data = read_bounded(path)
        suffix = path.suffix.lower() if path is not None else ""
        found = detect(data, suffix=suffix) if fmt == "auto" else None
        kind = found.format if found is not None else fmt
        if kind == "text":
            refuse_xml_as_text(data)
            return [read_text(decode(data, encoding=self.encoding))], False
        if kind == "ninjs":
            text = decode(data, encoding=self.encoding)
            return read_ninjs(text), text.lstrip("\ufeff \t\r\n").startswith("[")
        if kind == "jsonld":
            parsed = read_jsonld(decode(data, encoding=self.encoding))
            return parsed, len(parsed) > 1
        if kind == "html":
            return [read_webpage(data, encoding=self.encoding)], False
        root = found.root if found is not None else parse_xml(data)
        if (found_kind := xml_kind(root)) != kind:
            raise ParseError(
                f"{NAMES[found_kind]}, not {NAMES[kind]}: use --format {found_kind} "
                "(or auto)"
            )
        parsed = read_newsml(root) if kind == "newsml" else read_nitf(root)
        return parsed, len(parsed) > 1

    def import_story(self, story, *, filename, images, **store_options):
        """Clean, check and store one story; never raises."""
        try:
            clean_story(story)
            story.sources, story.quotes = find_quotes(
                story.paragraphs, authors=story.authors
            )
            warnings = check_story(story, filename=filename)
            outcome = self.retrying(
                lambda: store_story(
                    story, filename=filename, images_dir=images, **store_options
                )
            )
        except ParseError as error:
            return Outcome(
                "failed",
                headline=story.headline,
                error=error.describe(),
                field=error.field,
            )
        except DatabaseUnavailable as error:
            return Outcome("failed", headline=story.headline, error=str(error))
        except DatabaseError as error:
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            return Outcome(
                "failed", headline=story.headline, error=f"database error: {reason}"
            )
        except Exception as error:  # one story's failure never stops the rest
            reason = str(error) or type(error).__name__
            return Outcome("failed", headline=story.headline, error=reason)
        if outcome.status in ("created", "updated"):
            # check_story's warnings begin with the reader's own
            outcome.warnings[:0] = warnings
        return outcome

    def waiting(self, message):
        """Say that the import waits for the database, and for how long."""
        if self.verbosity >= 1:
            self.stderr.write(message, self.style.WARNING)

    def report(self, name, outcome, *, dry_run):
        article = outcome.article
        entry = {
            "file": name,
            "status": outcome.status,
            "id": article.pk if article is not None and not dry_run else None,
            "headline": outcome.headline,
            "url": article.get_absolute_url() if article is not None else None,
        }
        if outcome.item is not None:
            entry["item"] = outcome.item
        if outcome.error:
            entry["error"] = outcome.error
        if outcome.field:
            entry["field"] = outcome.field
        if outcome.warnings:
            entry["warnings"] = outcome.warnings
        if self.as_json:
            return entry
        where = name if outcome.item is None else f"{name} item {outcome.item}"
        story = f"{where} ({shorten(outcome.headline)})" if outcome.headline else where
        if outcome.status == "failed":
            self.stderr.write(f"{story}: failed: {outcome.error}")
        elif outcome.status == "skipped" and self.verbosity >= 1:
            self.stderr.write(f"{story}: skipped: {outcome.error}")
        for warning in outcome.warnings:
            self.stderr.write(f"{story}: warning: {warning}", self.style.WARNING)
        if self.verbosity >= 2:
            self.stdout.write(f"{where}: {outcome.status} “{outcome.headline}”")
        return entry

    def summarise(self, counts, stories, *, dry_run):
        if self.as_json:
            self.stdout.write(
                json.dumps({**counts, "dry_run": dry_run, "stories": stories}, indent=2)
            )
            return
        if self.verbosity < 1:
            return
        verb = "Would import" if dry_run else "Imported"
        summary = (
            f"{verb} {sum(counts.values())} stories: "
            + ", ".join(f"{counts[status]} {status}" for status in STATUSES)
            + "."
        )
        if dry_run:
            summary += " Dry run: nothing was written."
        style = self.style.ERROR if counts["failed"] else self.style.SUCCESS
        self.stdout.write(style(summary))


def iter_inputs(paths):
    """(name, path) for every input file, lazily; path is None for stdin."""
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        root = Path(given)
        if not root.is_dir():
            yield given, root
            continue
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for filename in sorted(files):
                path = Path(folder) / filename
                if filename.startswith(".") or path.suffix.lower() in PICTURE_SUFFIXES:
                    continue
                yield str(path), path


def read_bounded(path):
    """The bytes of a file (or of standard input when ``path`` is None), refusing
    one larger than ``NEWSROOM_IMPORT_MAX_BYTES`` without reading it all."""
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    if path is None:
        data = sys.stdin.buffer.read(limit + 1)
        size = None
    else:
        found = path.stat()
        size = found.st_size if stat.S_ISREG(found.st_mode) else 0
        if size <= limit:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
    if size is not None and size > limit:
        got = f"{_size(size)}, over the limit"
    elif len(data) > limit:
        got = "more than the limit"
    else:
        return data
    raise ParseError(
        f"too large to import: {got} of {_size(limit)} for one file "
        "(NEWSROOM_IMPORT_MAX_BYTES); split it into smaller files"
    )


def _size(count):
    for unit, scale in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= scale:
            return f"{count / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"
