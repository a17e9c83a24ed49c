import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing.data import ParseError
from articles.importing.ninjs import looks_like_ninjs, read_ninjs
from articles.importing.quotes import find_quotes
from articles.importing.store import Lookups, Outcome, store_story
from articles.importing.text import decode, read_text

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
NINJS_SUFFIXES = {".json", ".ninjs"}
STATUSES = ["created", "updated", "unchanged", "skipped", "failed"]


class Command(BaseCommand):
    help = (
        "Import stories from syndicated text copy or IPTC ninjs JSON, finding the "
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
            choices=["auto", "text", "ninjs"],
            default="auto",
            help="The format of the copy (default: auto, by file name and content).",
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
        self.verbosity = opts["verbosity"]
        self.as_json = as_json
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
        try:
            data = sys.stdin.buffer.read() if path is None else path.read_bytes()
            text = decode(data)
            if fmt == "ninjs" or (fmt == "auto" and is_ninjs(path, text)):
                parsed = read_ninjs(text)
            else:
                parsed = [read_text(text)]
        except OSError as error:
            yield Outcome("failed", error=f"cannot read the file: {error.strerror}")
            return
        except ParseError as error:
            yield Outcome("failed", error=str(error))
            return
        for story in parsed:
            story.sources, story.quotes = find_quotes(
                story.paragraphs, authors=story.authors
            )
            try:
                yield store_story(
                    story, filename=name, images_dir=images, **store_options
                )
            except Exception as error:  # one story's failure never stops the rest
                yield Outcome("failed", headline=story.headline, error=str(error))

    def report(self, name, outcome, *, dry_run):
        article = outcome.article
        entry = {
            "file": name,
            "status": outcome.status,
            "id": article.pk if article is not None and not dry_run else None,
            "headline": outcome.headline,
            "url": article.get_absolute_url() if article is not None else None,
        }
        if outcome.error:
            entry["error"] = outcome.error
        if outcome.warnings:
            entry["warnings"] = outcome.warnings
        if self.as_json:
            return entry
        if outcome.status == "failed":
            self.stderr.write(f"{name}: failed: {outcome.error}")
        elif outcome.status == "skipped" and self.verbosity >= 1:
            self.stderr.write(f"{name}: skipped “{outcome.headline}”: {outcome.error}")
        for warning in outcome.warnings:
            self.stderr.write(f"{name}: warning: {warning}", self.style.WARNING)
        if self.verbosity >= 2:
            self.stdout.write(f"{name}: {outcome.status} “{outcome.headline}”")
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


def is_ninjs(path, text):
    if path is not None and path.suffix.lower() in NINJS_SUFFIXES:
        return True
    return looks_like_ninjs(text)
