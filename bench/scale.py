"""Benchmark: every page's cost in an archive of N stories on PostgreSQL.

    .venv/bin/python bench/scale.py --stories 1000000 [--database-url URL]
        [--database-name NAME] [--keep] [--fill-only | --no-fill]
        [--pages story,home,...] [--runs 7] [--warmup 2]

Creates a fresh PostgreSQL database (``nr_scale_bench_<N>`` unless named),
migrates it, fills it with N published stories by COPY (plus a few drafts,
stories in review and scheduled ones), then requests each page in-process with
Django's test client (DEBUG off, production settings) and prints per page the
SQL queries, the median milliseconds and the ratio to the last 1,000-story run
(kept in bench/results/scale-1000.json). ``--no-fill`` measures a database
that already exists (a copy of a shared one, say); ``--fill-only`` only fills.

The generated archive: 12 sections, a few hundred journalists (1–3 bylines a
story), a vocabulary of a few hundred tags (3 a story), a pool of sources (2
quotes a story), ~1.5 kB bodies of varied words, 250 stories a day going back
from now, a lead photo (caption only, no file) on every third story, a
correction on one in 200. Every story's body contains the word ``council``
(EVERY_STORY_WORD), so a search that matches the whole archive can be measured.
"""

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

EVERY_STORY_WORD = "council"
COMMON_WORD = "market"  # in roughly a third of the stories
STORIES_PER_DAY = 250
SECTIONS = [
    "Politics",
    "Business",
    "World",
    "Sport",
    "Culture",
    "Science",
    "Technology",
    "Health",
    "Environment",
    "Education",
    "Opinion",
    "Local",
]
JOURNALISTS = 300
TAGS = 400
SOURCES = 3000
PUBLICATIONS = ["The Riverton Courier", "Harbour Press Agency", "Westmarch Daily"]
FIRST_NAMES = (
    "Ada Ana Ben Cara Dev Eli Emma Femi Gil Hana Ivo Jin Kai Lena Luca Mara Nia "
    "Omar Pia Quin Rosa Sami Tara Teo Uma Vik Wen Yara Zoe Ines Jonah Priya Owen"
).split()
LAST_NAMES = (
    "Ortiz Pike Mensah Vance Quint Ruiz Ellis Hart Nand Brandt Okafor Sato Novak "
    "Haddad Larsen Moreau Costa Tan Chen Ivanova Kaur Silva Byrne Dubois Keller "
    "Nguyen Rossi Santos Weber Young Adeyemi Lindqvist Petrov Rahman Suzuki Walsh"
).split()
# The head of the word distribution is real news English; the tail is made-up
# words (so some appear in only a handful of stories).
NEWS_WORDS = (
    "government city minister report budget police school hospital court "
    "election vote plan water river harbour tram road bridge housing rent price "
    "tax worker union strike company bank trade export farm rain flood storm "
    "heat energy power grid solar wind coal oil gas fuel transport rail bus "
    "airport port ship fish forest park museum theatre music film book festival "
    "team match league coach player season goal final record crowd stadium "
    "science study research university student teacher doctor nurse patient "
    "health virus vaccine data phone internet software startup investor share "
    "profit loss growth inflation wage job office factory mayor ward district "
    "province border army peace talks treaty protest rally campaign party "
    "leader member senate parliament law bill reform office judge appeal trial "
    "family child parent village town street market night morning week month "
    "year history island coast mountain valley lake desert garden bread rice"
).split()
SYLLABLES = (
    "ka lo mi ne ru sa ti vo ze ba de fi go hu ja ke li mo nu pa re si to".split()
)


def cumulative(weights):
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def made_up_words(rng, count):
    words = set()
    while len(words) < count:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words - set(NEWS_WORDS) - {EVERY_STORY_WORD})


class Vocabulary:
    """Words drawn with a Zipf-like distribution: a few common, most rare."""

    def __init__(self, rng):
        self.words = [w for w in NEWS_WORDS if w != COMMON_WORD]
        self.words += made_up_words(rng, 20_000)
        self.cumulative = cumulative(
            [1 / (rank + 10) for rank in range(len(self.words))]
        )
        self.rng = rng

    def sample(self, k):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)


def paragraph_pool(rng, vocabulary, size):
    """Paragraphs of 40–70 words; one in ten mentions the COMMON_WORD."""
    pool = []
    for number in range(size):
        words = vocabulary.sample(rng.randint(40, 70))
        if number % 10 == 0:
            words[rng.randrange(len(words))] = COMMON_WORD
        words[0] = words[0].capitalize()
        pool.append(" ".join(words) + ".")
    return pool


def copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Copier:
    """Buffers rows for one table and sends them with COPY in large chunks."""

    def __init__(self, cursor, table, columns, chunk_bytes=8 * 1024 * 1024):
        self.cursor = cursor
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.buffer = io.StringIO()
        self.chunk_bytes = chunk_bytes
        self.rows = 0

    def add(self, *values):
        self.buffer.write("\t".join(map(copy_text, values)))
        self.buffer.write("\n")
        self.rows += 1
        if self.buffer.tell() > self.chunk_bytes:
            self.flush()

    def flush(self):
        data = self.buffer.getvalue()
        if data:
            with self.cursor.copy(self.sql) as copy:
                copy.write(data)
        self.buffer = io.StringIO()


# Tables the fill writes in bulk: their secondary indexes and foreign keys are
# dropped during the load and rebuilt afterwards (as pg_restore does).
BULK_TABLES = [
    "articles_article",
    "articles_byline",
    "articles_quote",
    "articles_correction",
    "taggit_taggeditem",
    "media_photo",
]


def drop_indexes(cursor):
    """Drop the bulk tables' foreign keys, unique constraints and indexes;
    return the statements that recreate them."""
    cursor.execute(
        """
        SELECT con.conrelid::regclass::text, con.conname,
               pg_get_constraintdef(con.oid), con.contype
        FROM pg_constraint con
        WHERE con.conrelid::regclass::text = ANY(%s) AND con.contype IN ('f', 'u')
        """,
        [BULK_TABLES],
    )
    constraints = cursor.fetchall()
    recreate = []
    # Unique constraints first (foreign keys may depend on them), then FKs.
    for table, name, definition, _ in sorted(constraints, key=lambda c: c[3] != "u"):
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for table, name, _, _ in sorted(constraints, key=lambda c: c[3] != "f"):
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [BULK_TABLES],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Indexes before constraints: the constraints' checks then use them.
    return [definition for _, definition in indexes] + recreate


def fill(connection, stories, *, seed=2026, out=print):
    """Write the archive: ``stories`` published stories and ~1% others."""
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    pool = paragraph_pool(rng, vocabulary, 20_000)
    common = [COMMON_WORD in p.split() for p in pool]
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    raw = connection.connection  # the psycopg 3 connection under Django's
    with raw.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        recreate = drop_indexes(cursor)
        counts = _write(cursor, rng, vocabulary, pool, common, stories, now)
        loaded = time.perf_counter()
        out(
            f"  copied {counts['stories']:,} stories (+{counts['others']:,} "
            f"drafts, in review and scheduled) in {loaded - started:.1f} s: "
            f"{counts['stories'] / (loaded - started) * 60:,.0f} stories a minute"
        )
        for statement in recreate:
            cursor.execute(statement)
        indexed = time.perf_counter()
        out(f"  rebuilt {len(recreate)} indexes and keys in {indexed - loaded:.1f} s")
        for table in [
            "articles_article",
            "articles_byline",
            "articles_quote",
            "articles_correction",
            "taggit_taggeditem",
            "taggit_tag",
            "media_photo",
            "people_journalist",
            "people_source",
            "articles_section",
            "articles_publication",
        ]:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
                [table],
            )
        raw.commit()
    summary_started = time.perf_counter()
    rebuild_sourcing_summary()
    out(
        "  rebuilt the sourcing report's summary in "
        f"{time.perf_counter() - summary_started:.1f} s"
    )
    was_autocommit, raw.autocommit = raw.autocommit, True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    # As Django left it (autocommit): measuring in the same run then works.
    raw.autocommit = was_autocommit
    out(f"  vacuumed and analysed in {time.perf_counter() - indexed:.1f} s")
    return counts


def rebuild_sourcing_summary():
    """The COPY sent no signal: the sourcing report's summary is rebuilt from
    the stories as stored (``manage.py rebuild_sourcing_summary``)."""
    from django.core.management import call_command

    call_command("rebuild_sourcing_summary", verbosity=0, stdout=io.StringIO())


def _write(cursor, rng, vocabulary, pool, common, stories, now):
    from django.utils.text import slugify

    from people.names import normalise_name

    cursor.execute(
        "SELECT id FROM django_content_type WHERE app_label = 'articles' "
        "AND model = 'article'"
    )
    article_type = cursor.fetchone()[0]

    sections = Copier(
        cursor, "articles_section", ["id", "name", "slug", "description", "position"]
    )
    for number, name in enumerate(SECTIONS, start=1):
        sections.add(
            number, name, slugify(name), f"The latest on {name.lower()}.", number
        )
    sections.flush()

    publications = Copier(cursor, "articles_publication", ["id", "name", "url"])
    for number, name in enumerate(PUBLICATIONS, start=1):
        publications.add(number, name, f"https://{slugify(name)}.example/")
    publications.flush()

    journalists = Copier(
        cursor,
        "people_journalist",
        ["id", "name", "slug", "role", "bio", "email", "is_active"],
    )
    seen = set()
    number = 0
    while number < JOURNALISTS:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if len(seen) >= len(FIRST_NAMES) * len(LAST_NAMES) // 2 or name in seen:
            name = f"{name} {rng.choice(LAST_NAMES)}"
        if name in seen:
            continue
        seen.add(name)
        number += 1
        journalists.add(
            number,
            name,
            slugify(name),
            "Correspondent",
            f"{name} reports for the newsroom.",
            f"{slugify(name)}@newsroom.example",
            number % 20 != 0,
        )
    journalists.flush()

    sources = Copier(
        cursor,
        "people_source",
        [
            "id",
            "name",
            "normalised_name",
            "slug",
            "description",
            "organisation",
            "kind",
            "on_record",
            "contact_details",
            "notes",
        ],
    )
    seen = set()
    number = 0
    while number < SOURCES:
        name = " ".join(
            [rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(LAST_NAMES)]
        )
        key = normalise_name(name)
        if key in seen:
            continue
        seen.add(key)
        number += 1
        organisation = f"{rng.choice(vocabulary.words[:150]).title()} Institute"
        sources.add(
            number,
            name,
            key,
            slugify(name),
            f"a researcher at {organisation}",
            organisation,
            "person",
            number % 25 != 0,
            "",
            "",
        )
    sources.flush()

    tag_names = sorted(set(vocabulary.words[: TAGS + 50]))[:TAGS]
    tags = Copier(cursor, "taggit_tag", ["id", "name", "slug"])
    for number, name in enumerate(tag_names, start=1):
        tags.add(number, name.title(), slugify(name))
    tags.flush()
    tag_weights = cumulative([1 / (rank + 5) for rank in range(TAGS)])
    source_weights = cumulative([1 / (rank + 20) for rank in range(SOURCES)])

    article_columns = [
        "id",
        "headline",
        "slug",
        "standfirst",
        "body",
        "dateline",
        "section_id",
        "lead_photo_id",
        "publication_id",
        "canonical_url",
        "provenance_note",
        "kill_reason",
        "status",
        "published_at",
        "published_date_only",
        "first_published_at",
        "revised_at",
        "created_at",
        "updated_at",
        "created_by_id",
        "updated_by_id",
    ]
    articles = Copier(cursor, "articles_article", article_columns)
    bylines = Copier(
        cursor,
        "articles_byline",
        [
            "id",
            "article_id",
            "journalist_id",
            "position",
            "role",
            "story_published_at",
        ],
    )
    quotes = Copier(
        cursor,
        "articles_quote",
        ["id", "article_id", "source_id", "text", "kind", "position"],
    )
    tagged = Copier(
        cursor, "taggit_taggeditem", ["id", "object_id", "content_type_id", "tag_id"]
    )
    photos = Copier(
        cursor,
        "media_photo",
        [
            "id",
            "image",
            "caption",
            "credit",
            "alt_text",
            "width",
            "height",
            "original_filename",
            "focal_x",
            "focal_y",
            "created_at",
            "updated_at",
        ],
    )
    corrections = Copier(
        cursor, "articles_correction", ["id", "article_id", "text", "published_at"]
    )

    others = max(3, stories // 100)  # drafts, in review, scheduled
    total = stories + others
    places = [w.upper() for w in vocabulary.words[200:260]]
    byline_id = quote_id = tagged_id = photo_id = correction_id = 0
    common_count = 0
    journalist_ids = range(1, JOURNALISTS + 1)
    source_ids = range(1, SOURCES + 1)
    tag_ids = range(1, TAGS + 1)
    # Which stories are not published: spread evenly through the ids.
    other_every = total // others
    for article_id in range(1, total + 1):
        published = article_id % other_every != 0 or article_id > others * other_every
        # Oldest first: id order is publication order, 250 stories a day.
        age = timedelta(days=(total - article_id) / STORIES_PER_DAY, minutes=5)
        published_at = now - age
        status = "published"
        first_published_at = published_at
        if not published:
            kind = article_id // other_every % 3
            if kind == 0:
                status, published_at, first_published_at = "draft", None, None
            elif kind == 1:
                status, published_at, first_published_at = "review", None, None
            else:  # scheduled: up to a week ahead
                published_at = now + timedelta(hours=rng.randint(1, 168))
                first_published_at = published_at
        words = vocabulary.sample(rng.randint(6, 10))
        headline = " ".join(words).capitalize()
        slug = f"{slugify(' '.join(words[:6]))}-{article_id}"
        standfirst = " ".join(vocabulary.sample(rng.randint(15, 25))).capitalize() + "."
        chosen = rng.sample(range(len(pool)), 4)
        common_count += published and any(common[c] for c in chosen)
        paragraphs = [pool[c] for c in chosen]
        paragraphs[0] = f"The {EVERY_STORY_WORD} met on Tuesday. " + paragraphs[0]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        syndicated = article_id % 10 == 0
        lead_photo_id = None
        if article_id % 3 == 0:
            photo_id += 1
            lead_photo_id = photo_id
            photos.add(
                photo_id,
                "",
                f"{headline}: the scene on Tuesday.",
                "Staff photographer/The Newsroom",
                f"A view of {words[0]}",
                None,
                None,
                f"photo-{photo_id}.jpg",
                0.5,
                0.5,
                published_at or now,
                published_at or now,
            )
        articles.add(
            article_id,
            headline,
            slug,
            standfirst,
            body,
            rng.choice(places),
            rng.randint(1, len(SECTIONS)),
            lead_photo_id,
            rng.randint(1, len(PUBLICATIONS)) if syndicated else None,
            f"https://courier.example/{slug}" if syndicated else "",
            "Courier wire" if syndicated else "",
            "",  # kill_reason
            status,
            published_at,
            False,
            first_published_at,
            published_at + timedelta(hours=2)
            if article_id % 50 == 0 and published
            else None,
            published_at or now,
            published_at or now,
            None,
            None,
        )
        for position, journalist in enumerate(
            rng.sample(journalist_ids, rng.choice((1, 1, 1, 2, 2, 3)))
        ):
            byline_id += 1
            role = "Additional reporting" if position == 2 else ""
            bylines.add(
                byline_id,
                article_id,
                journalist,
                position,
                role,
                published_at if status == "published" else None,  # public_since
            )
        for position, source in enumerate(
            rng.choices(source_ids, cum_weights=source_weights, k=2)
        ):
            quote_id += 1
            source = None if quote_id % 40 == 0 else source
            quotes.add(
                quote_id,
                article_id,
                source,
                " ".join(vocabulary.sample(12)).capitalize() + ".",
                "direct" if position == 0 else "paraphrase",
                position,
            )
        for tag in set(rng.choices(tag_ids, cum_weights=tag_weights, k=3)):
            tagged_id += 1
            tagged.add(tagged_id, article_id, article_type, tag)
        if article_id % 200 == 0 and published:
            correction_id += 1
            corrections.add(
                correction_id,
                article_id,
                "An earlier version of this story gave the wrong date.",
                published_at + timedelta(days=1),
            )
    for copier in (photos, articles, bylines, quotes, tagged, corrections):
        copier.flush()
    return {
        "stories": total - others,
        "others": others,
        "bylines": byline_id,
        "quotes": quote_id,
        "tagged": tagged_id,
        "photos": photo_id,
        "corrections": correction_id,
        "common_word_stories": common_count,
    }


def admin_url(database_url, name):
    """The same server's URL for another database (the maintenance one)."""
    base, _, _ = database_url.rpartition("/")
    return f"{base}/{name}"


def create_database(database_url, name):
    import psycopg

    with psycopg.connect(admin_url(database_url, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url, name):
    import psycopg

    with psycopg.connect(admin_url(database_url, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')


def configure_django(database_url):
    """Production-like settings: DEBUG off, this database, no HTTPS redirect, no
    page cache."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" * 3),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            # What a page costs to make: the page cache would answer every
            # repeat from memory (bench/pages.py measures it, cached and not).
            "NEWSROOM_PAGE_CACHE": "false",
            "CONN_MAX_AGE": "600",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def sample_addresses(stories):
    """The pages to measure, by name: one or more addresses each."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Section
    from people.models import Journalist, Source

    published = Article.objects.published().order_by("-published_at", "-id")
    count = published.count()
    ids = list(published.values_list("pk", flat=True)[:1]) + list(
        published.order_by("published_at", "id").values_list("pk", flat=True)[:1]
    )
    middle = published.values_list("pk", flat=True)[count // 2 : count // 2 + 1]
    ids.insert(1, middle[0])
    picked = {a.pk: a for a in Article.objects.filter(pk__in=ids)}
    story_urls = [picked[pk].get_absolute_url() for pk in ids]
    section = Section.objects.order_by("position").first()
    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n")[0]
    journalist = Journalist.objects.get(pk=1)
    source = Source.objects.filter(on_record=True).order_by("pk").first()
    rare = Vocabulary(random.Random(2026)).words[-1]
    last_api_page = max(1, -(-count // 20))
    deep_api = min(500, last_api_page)  # the deepest page the API numbers
    middle_story = published.values_list("published_at", "pk")[count // 2]
    cursor = "{}_{}".format(
        middle_story[0].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        middle_story[1],
    )
    # The month of the archive's middle story (one sitemap of stories a month).
    from articles.models import newsroom_timezone

    middle_month = middle_story[0].astimezone(newsroom_timezone())
    User = get_user_model()
    admin_user = User.objects.filter(username="bench-admin").first()
    if admin_user is None:
        admin_user = User.objects.create_superuser(
            "bench-admin", "bench@newsroom.example", None
        )
    first_id = ids[0]
    # A piece of a word of the middle story's headline (the desk's search
    # finds pieces of headlines).
    longest = max(picked[ids[1]].headline.split(), key=len)
    piece = longest[1:-1] if len(longest) > 4 else longest
    pages = {
        "story": story_urls,
        "home": ["/"],
        "section": [f"/{section.slug}/"],
        "section_deep": [f"/{section.slug}/?page=2000"],
        "tag": [f"/tags/{tag.slug}/"],
        "author": [journalist.get_absolute_url()],
        "source": [f"/sources/{source.slug}/"],
        "search_rare": [f"/search/?q={rare}"],
        "search_common": [f"/search/?q={COMMON_WORD}"],
        "search_every": [f"/search/?q={EVERY_STORY_WORD}"],
        "search_deep": [f"/search/?q={EVERY_STORY_WORD}&page=500"],
        "feed_rss": ["/feeds/rss/"],
        "feed_atom": ["/feeds/atom/"],
        "feed_section": [
            f"/feeds/sections/{section.slug}/rss/",
            f"/feeds/sections/{section.slug}/atom/",
        ],
        "feed_author": [
            f"/feeds/authors/{journalist.slug}/rss/",
            f"/feeds/authors/{journalist.slug}/atom/",
        ],
        "feed_corrections": ["/feeds/corrections/rss/", "/feeds/corrections/atom/"],
        "sitemap_index": ["/sitemap.xml"],
        "sitemap_stories": [f"/sitemap-stories-{middle_month:%Y-%m}.xml"],
        "sitemap_news": ["/sitemap-news.xml"],
        "api_list": ["/api/stories/"],
        "api_deep": [
            f"/api/stories/?page={deep_api}",
            f"/api/stories/?page={count // 40 + 1}&before={cursor}",
        ],
        "api_detail": [f"/api/stories/{first_id}/"],
        "api_ninjs": [f"/api/stories/{first_id}/ninjs"],
        "admin_stories": ["/admin/articles/article/"],
        "admin_stories_filtered": [
            f"/admin/articles/article/?state=published&section__id__exact={section.pk}"
        ],
        "admin_stories_search": [f"/admin/articles/article/?q={rare}"],
        "admin_stories_search_every": [
            f"/admin/articles/article/?q={EVERY_STORY_WORD}"
        ],
        "admin_stories_search_piece": [f"/admin/articles/article/?q={piece}"],
        "admin_sources": ["/admin/people/source/"],
        **source_desk_addresses(section, journalist, middle_month),
        "admin_journalists": ["/admin/people/journalist/"],
        "admin_photos": ["/admin/media/photo/"],
    }
    return pages, admin_user, count


def source_desk_addresses(section, journalist, month):
    """The source desk's pages: the most-quoted source's quotes (its first
    page and one halfway down), and the source list filtered by where sources
    were quoted (a section, a journalist, a month, a year, a day long ago,
    and all of them with a search)."""
    from django.db.models import Count

    from articles.models import Quote

    busiest = (
        Quote.objects.filter(source__isnull=False)
        .values("source")
        .annotate(n=Count("*"))
        .order_by("-n")[:1]
    )
    busiest = busiest[0] if busiest else None
    quotes = []
    if busiest:
        url = f"/admin/people/source/{busiest['source']}/quotes/"
        halfway = (
            Quote.objects.filter(source=busiest["source"])
            .order_by("-article_id", "position", "id")
            .values_list("article_id", "position", "id")[busiest["n"] // 2]
        )
        quotes = [url, f"{url}?before={'-'.join(map(str, halfway))}"]
    first = month.date().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    year_ago = first - timedelta(days=365)
    long_ago = first - timedelta(days=1500)
    base = "/admin/people/source/"
    return {
        **({"admin_source_quotes": quotes} if quotes else {}),
        "admin_sources_section": [f"{base}?section={section.pk}"],
        "admin_sources_journalist": [f"{base}?journalist={journalist.pk}"],
        "admin_sources_period": [
            f"{base}?quoted_from={first}&quoted_to={last}",
            f"{base}?quoted_from={year_ago}&quoted_to={first}",
            f"{base}?quoted_from={long_ago}&quoted_to={long_ago}",
        ],
        "admin_sources_combined": [
            f"{base}?section={section.pk}&journalist={journalist.pk}"
            f"&quoted_from={year_ago}&quoted_to={last}",
            f"{base}?section={section.pk}&journalist={journalist.pk}&q=a",
        ],
    }


def time_page(client, url, *, warmup, runs, budget):
    """Median ms of ``runs`` requests after ``warmup``, within ``budget`` seconds,
    and the queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the next request resets the log
    status = response.status_code
    spent = 0.0
    timings = []
    cpu = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        cpu_started = time.process_time()
        client.get(url)
        elapsed = time.perf_counter() - started
        spent += elapsed
        if number >= warmup:
            timings.append(elapsed * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        if spent > budget and timings:
            break
        if spent > budget:  # one slow warm-up is enough: time the next one
            warmup = number + 1
    return {
        "status": status,
        "queries": query_count,
        "ms": statistics.median(timings),
        # This process's own CPU time (Python; not PostgreSQL's): on a shared
        # machine the part of "ms" that waiting for a core does not inflate.
        "cpu_ms": statistics.median(cpu),
        "runs": len(timings),
    }


def measure(args, name):
    from django.core.management import call_command
    from django.db import OperationalError, connection
    from django.db.utils import DatabaseError
    from django.test import Client
    from django.test.utils import setup_test_environment

    # Collected afresh: a manifest from an older checkout lacks new files.
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    addresses, admin_user, count = sample_addresses(args.stories)
    wanted = args.pages.split(",") if args.pages else list(addresses)
    unknown = set(wanted) - set(addresses)
    if unknown:
        sys.exit(f"Unknown pages: {', '.join(sorted(unknown))}")
    reader = Client()
    desk = Client()
    desk.force_login(admin_user)
    baseline = {}
    baseline_file = (
        Path(args.baseline) if args.baseline else RESULTS / "scale-1000.json"
    )
    if args.stories != 1000 and baseline_file.exists():
        baseline = json.loads(baseline_file.read_text())["pages"]
    print(
        f"\n{count:,} published stories in {name}; median of {args.runs} runs "
        f"after {args.warmup} warm-up, in-process, DEBUG off"
    )
    print(f"{'page':<24} {'queries':>7} {'ms':>9} {'cpu ms':>7} {'×1k':>6}  address")
    results = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")
    for page in wanted:
        client = desk if page.startswith("admin") else reader
        rows = []
        for url in addresses[page]:
            try:
                row = time_page(
                    client, url, warmup=args.warmup, runs=args.runs, budget=args.budget
                )
            except (OperationalError, DatabaseError) as error:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SET statement_timeout = {int(args.timeout * 1000)}"
                    )
                row = {
                    "status": "timeout",
                    "queries": None,
                    "ms": None,
                    "runs": 0,
                    "error": str(error).splitlines()[0],
                }
            row["url"] = url
            rows.append(row)
        timed = [r["ms"] for r in rows if r["ms"] is not None]
        result = {
            "queries": max((r["queries"] or 0) for r in rows),
            "ms": max(timed) if len(timed) == len(rows) else None,
            "ms_each": [r["ms"] for r in rows],
            "cpu_ms": max((r.get("cpu_ms") or 0) for r in rows),
            "status": [r["status"] for r in rows],
            "urls": [r["url"] for r in rows],
        }
        results[page] = result
        ratio = ""
        if result["ms"] and baseline.get(page, {}).get("ms"):
            ratio = f"{result['ms'] / baseline[page]['ms']:.1f}"
        ms = "timeout" if result["ms"] is None else f"{result['ms']:.1f}"
        flags = (
            "" if all(s == 200 for s in result["status"]) else f" {result['status']}"
        )
        print(
            f"{page:<24} {result['queries']:>7} {ms:>9} {result['cpu_ms']:>7.1f} "
            f"{ratio:>6}  "
            f"{rows[0]['url']}{flags}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    output = (
        Path(args.output) if args.output else RESULTS / f"scale-{args.stories}.json"
    )
    previous = json.loads(output.read_text())["pages"] if output.exists() else {}
    output.write_text(
        json.dumps(
            {
                "stories": count,
                "database": name,
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "commit": subprocess.run(
                    ["git", "rev-parse", "--short", "HEAD"],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout.strip(),
                "runs": args.runs,
                "pages": {**previous, **results},
            },
            indent=1,
        )
        + "\n"
    )
    print(f"Saved to {output}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help="The PostgreSQL server (any database name in it is replaced).",
    )
    parser.add_argument("--database-name", help="Default: nr_scale_bench_<stories>.")
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument(
        "--no-fill",
        action="store_true",
        help="Measure the database as it is (it must exist and be filled).",
    )
    parser.add_argument("--pages", help="Comma-separated page names (default all).")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--budget",
        type=float,
        default=10,
        help="Seconds per address: slower pages are timed fewer times (at least once).",
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="SQL statement timeout, seconds."
    )
    parser.add_argument(
        "--baseline",
        help="The 1,000-story results to compare with "
        "(default bench/results/scale-1000.json).",
    )
    parser.add_argument(
        "--output", help="Results file (default bench/results/scale-<stories>.json)."
    )
    args = parser.parse_args()
    name = args.database_name or f"nr_scale_bench_{args.stories}"
    database_url = admin_url(args.database_url.rstrip("/") + "/x", name)
    if not args.no_fill:
        print(f"Creating {name} with {args.stories:,} stories")
        create_database(args.database_url.rstrip("/") + "/x", name)
    configure_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    try:
        if not args.no_fill:
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            print(f"  migrated in {time.perf_counter() - started:.1f} s")
            counts = fill(connection, args.stories)
            print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        if not args.fill_only:
            measure(args, name)
    finally:
        connection.close()
        if not args.keep and not args.no_fill:
            drop_database(args.database_url.rstrip("/") + "/x", name)


if __name__ == "__main__":
    main()
