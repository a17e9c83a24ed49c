"""The story page's data, read with a few hand-written queries.

The page is the reader's most-read one and, uncached, it was mostly Django
building SQL: five prefetches (each a queryset compiled for one story) and a
related-stories query compiled from seven querysets, where the SQL itself took
under a millisecond. Here the SQL is written once per shape and the rows are
made into the same model instances the ORM would make (each column through the
ORM's own converters, so datetimes are aware and booleans are booleans on
every backend), placed where ``prefetch_related`` would put them (a queryset
holding its results, in the instance's prefetch cache): the template,
structured data and ``Article.author_bylines`` read them unchanged.

The story and related-stories queries take "published" from
``models.published_rule_sql()`` (what ``Article.objects.published_sql()``
gives, without a queryset), which sits beside ``published()`` and says the
same (status published, publication time not after the application's clock);
``tests/test_reader_visibility.py`` holds every public surface to it.

What it loads is what ``queries.with_story_data`` loads (the API keeps that);
tags come in the order they were added, as ``queries.attach_tags`` gives them.
"""

from contextlib import contextmanager
from functools import cache
from itertools import accumulate
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from taggit.models import Tag, TaggedItem

from media.models import Photo, Rendition
from people.models import Journalist, Source

from .models import (
    Article,
    Byline,
    Correction,
    Publication,
    Quote,
    Section,
    published_rule_sql,
)
from .queries import RELATED_CANDIDATES, RELATED_STORIES, RELATED_TAGS


def story_for_page(*, slug=None, pk=None, published=True):
    """The story with ``slug`` (or ``pk``), with everything its page shows, or
    None: six queries, whatever the story. ``published``: only if readers may
    see it, as ``Article.objects.published()`` decides (the desk's preview
    passes False)."""
    db = connections[DEFAULT_DB_ALIAS]
    # Whether readers may see it comes back as a column, not as a condition:
    # the story is found by its unique slug (or id) either way, and SQLite's
    # planner, given the rule's terms to weigh against the status and
    # publication-time indexes, took several times as long over one row.
    public, public_params = published_rule_sql("a") if published else ("1 = 1", [])
    key = "slug" if slug is not None else "id"
    with one_cursor(db):
        return _story_for_page(db, key, slug, pk, public, public_params)


def _story_for_page(db, key, slug, pk, public, public_params):
    story, section = shape(Article, "a", db=db), shape(Section, "s", db=db)
    photo, publication = shape(Photo, "p", db=db), shape(Publication, "u", db=db)

    def write(q):
        return (
            f"SELECT {story.columns}, {section.columns}, {photo.columns}, "
            f"{publication.columns}, CASE WHEN {public} THEN 1 ELSE 0 END "
            f"FROM {table(Article)} a "
            f"LEFT OUTER JOIN {table(Section)} s "
            f"ON s.{q('id')} = a.{q('section_id')} "
            f"LEFT OUTER JOIN {table(Photo)} p "
            f"ON p.{q('id')} = a.{q('lead_photo_id')} "
            f"LEFT OUTER JOIN {table(Publication)} u "
            f"ON u.{q('id')} = a.{q('publication_id')} WHERE a.{q(key)} = %s"
        )

    rows = _rows(
        db,
        _sql(db, ("story", key, public), write),
        [*public_params, slug if slug is not None else pk],
    )
    if not rows or not rows[0][-1]:
        return None
    row = rows[0][:-1]
    ends = list(accumulate([story.width, section.width, photo.width]))
    article = story.make(row[: ends[0]], db)
    # (A draft may have no section yet: the preview shows it without one.)
    article.section = (
        section.make(row[ends[0] : ends[1]], db) if article.section_id else None
    )
    article.lead_photo = (
        photo.make(row[ends[1] : ends[2]], db) if article.lead_photo_id else None
    )
    article.publication = (
        publication.make(row[ends[2] :], db) if article.publication_id else None
    )
    return attach_story_rows(article, db)


class MenuSection(NamedTuple):
    """A section as the menu shows it: its name and slug (its address is
    made from the slug, ``includes/section_nav.html``)."""

    name: str
    slug: str


def site_sections():
    """Every section, in the menu's order (``Section.Meta.ordering``), as
    ``MenuSection`` rows: the menu prints two columns of each, and twelve
    model instances cost more than the query."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _sql(
        db,
        "sections",
        lambda q: (
            f"SELECT s.{q('name')}, s.{q('slug')} FROM {table(Section)} s "
            f"ORDER BY s.{q('position')}, s.{q('name')}"
        ),
    )
    return [MenuSection(*row) for row in _rows(db, sql, [])]


def _sql(db, key, write):
    """The SQL ``write(quote_name)`` gives for ``key``, written once per
    backend: the text of each query shape never changes, only its
    parameters."""
    found = _SQL.get((db.vendor, key))
    if found is None:
        found = _SQL[(db.vendor, key)] = write(db.ops.quote_name)
    return found


_SQL = {}


class _Shape:
    """How one model's rows are read: its columns and their converters."""

    def __init__(self, model, alias, names=None):
        fields = model._meta.concrete_fields
        if names is not None:
            fields = [model._meta.get_field(name) for name in names]
        self.model = model
        self.attnames = [field.attname for field in fields]
        self.columns = ", ".join(
            f"{alias}.{connection.ops.quote_name(field.column)}" for field in fields
        )
        self.converters = []
        for index, field in enumerate(fields):
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(
                connection
            )
            if found:
                self.converters.append((index, col, found))
        self.width = len(fields)
        # What ``from_db`` does for a model that keeps Django's own (or, for
        # a story, Django's own and then ``Article.loaded``) and has no
        # pre_init/post_init receivers: values in ``__dict__`` (where
        # ``Model.__init__`` puts them; fields left out stay deferred) and a
        # state that says "from the database", without ``__init__``'s walk
        # over every field and its two signals.
        from_db = model.from_db.__func__
        self.plain_from_db = from_db in (
            Model.from_db.__func__,
            Article.from_db.__func__,
        )
        self.loaded = model.loaded if from_db is Article.from_db.__func__ else None

    def plain(self):
        """Whether rows may be made without ``from_db`` now (asked once per
        query: receivers may be connected at any time)."""
        model = self.model
        return self.plain_from_db and not (
            signals.pre_init.has_listeners(model)
            or signals.post_init.has_listeners(model)
        )

    def make(self, row, db, plain=None):
        values = list(row)
        for index, col, converters in self.converters:
            value = values[index]
            for converter in converters:
                value = converter(value, col, db)
            values[index] = value
        model = self.model
        if not (self.plain() if plain is None else plain):
            return model.from_db(db.alias, self.attnames, values)
        instance = model.__new__(model)
        state = instance._state = ModelState()
        state.adding = False
        state.db = db.alias
        instance.__dict__.update(zip(self.attnames, values, strict=True))
        if self.loaded is not None:
            self.loaded(instance, self.attnames)
        return instance


@cache
def _shape(vendor, model, alias, names):
    return _Shape(model, alias, names)


def shape(model, alias, names=None, *, db=None):
    """Columns and converters of ``model`` (all its fields, or ``names``) as
    read from the table aliased ``alias``; made once per backend."""
    return _shape((db or connections[DEFAULT_DB_ALIAS]).vendor, model, alias, names)


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def one_cursor(db=None):
    """The story page's queries inside, on one cursor: opening and closing
    one (Django's wrapper, its checks and the driver's cursor) cost about as
    much as a small query's own work."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if getattr(db, "_story_page_cursor", None) is not None:
        yield
        return
    with db.cursor() as cursor:
        db._story_page_cursor = cursor
        try:
            yield
        finally:
            db._story_page_cursor = None


def _rows(db, sql, params):
    cursor = getattr(db, "_story_page_cursor", None)
    if cursor is None:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    cursor.execute(sql, params)
    return cursor.fetchall()


def _prefetched(model, objects):
    """A queryset already holding ``objects``, as ``prefetch_related`` leaves one."""
    # (``get_queryset()``, what ``all()`` gives less its copy.)
    queryset = model._default_manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def _cache_name(model, accessor):
    return model._meta.get_field(accessor).cache_name


def attach_story_rows(article, db=None):
    """Read the story's bylines, photo renditions, tags, corrections and quotes
    (five queries) into the places ``with_story_data``'s prefetches fill."""
    db = db or connections[DEFAULT_DB_ALIAS]
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})

    byline, journalist = shape(Byline, "b", db=db), shape(Journalist, "j", db=db)
    bylines = []
    plain = byline.plain(), journalist.plain()
    for row in _rows(
        db,
        _sql(
            db,
            "bylines",
            lambda q: (
                f"SELECT {byline.columns}, {journalist.columns} "
                f"FROM {table(Byline)} b INNER JOIN {table(Journalist)} j "
                f"ON j.{q('id')} = b.{q('journalist_id')} "
                f"WHERE b.{q('article_id')} = %s "
                f"ORDER BY b.{q('position')}, b.{q('id')}"
            ),
        ),
        [article.pk],
    ):
        item = byline.make(row[: byline.width], db, plain[0])
        item.journalist = journalist.make(row[byline.width :], db, plain[1])
        item.article = article
        bylines.append(item)
    cache[_cache_name(Article, "bylines")] = _prefetched(Byline, bylines)

    photo = article.lead_photo
    if photo is not None:
        photo.__dict__.setdefault("_prefetched_objects_cache", {})[
            _cache_name(type(photo), "renditions")
        ] = _children(
            db,
            Rendition,
            photo,
            "photo_id",
            ("kind", "format", "width", "id"),
            "photo",
        )

    tag = shape(Tag, "t", db=db)
    plain = tag.plain()
    tags = [
        tag.make(row, db, plain)
        for row in _rows(
            db,
            _sql(
                db,
                "tags",
                lambda q: (
                    f"SELECT {tag.columns} FROM {table(Tag)} t "
                    f"INNER JOIN {table(TaggedItem)} i "
                    f"ON i.{q('tag_id')} = t.{q('id')} "
                    f"WHERE i.{q('content_type_id')} = %s AND i.{q('object_id')} = %s "
                    f"ORDER BY i.{q('id')}"
                ),
            ),
            [ContentType.objects.get_for_model(Article).pk, article.pk],
        )
    ]
    cache["tags"] = _prefetched(Tag, tags)

    cache[_cache_name(Article, "corrections")] = _children(
        db, Correction, article, "article_id", ("published_at", "id"), "article"
    )

    quote, source = shape(Quote, "qu", db=db), shape(Source, "s", db=db)
    quotes = []
    plain = quote.plain(), source.plain()
    for row in _rows(
        db,
        _sql(
            db,
            "quotes",
            lambda q: (
                f"SELECT {quote.columns}, {source.columns} FROM {table(Quote)} qu "
                f"LEFT OUTER JOIN {table(Source)} s "
                f"ON s.{q('id')} = qu.{q('source_id')} "
                f"WHERE qu.{q('article_id')} = %s "
                f"ORDER BY qu.{q('position')}, qu.{q('id')}"
            ),
        ),
        [article.pk],
    ):
        item = quote.make(row[: quote.width], db, plain[0])
        item.source = (
            source.make(row[quote.width :], db, plain[1])
            if item.source_id is not None
            else None
        )
        item.article = article
        quotes.append(item)
    cache[_cache_name(Article, "quotes")] = _prefetched(Quote, quotes)
    return article


def _children(db, model, parent, key, order, back):
    """The rows of ``model`` whose ``key`` column is ``parent``, in ``order``,
    each pointing ``back`` at it, ready for the parent's prefetch cache."""
    child = shape(model, "c", db=db)

    def write(q):
        ordering = ", ".join(f"c.{q(name)}" for name in order)
        return (
            f"SELECT {child.columns} FROM {table(model)} c "
            f"WHERE c.{q(key)} = %s ORDER BY {ordering}"
        )

    items = []
    plain = child.plain()
    for row in _rows(db, _sql(db, ("children", model, key, order), write), [parent.pk]):
        item = child.make(row, db, plain)
        setattr(item, back, parent)
        items.append(item)
    return _prefetched(model, items)


RELATED_FIELDS = (
    "id",
    "headline",
    "slug",
    "section",
    "published_at",
    "published_date_only",
)


def related_stories(article, limit=RELATED_STORIES):
    """Published stories sharing the most tags with ``article``, then those of
    its section, then the newest: one query.

    Candidates are bounded: the newest ``RELATED_CANDIDATES`` stories of each
    of the story's first ``RELATED_TAGS`` tags (newest made: a tag's stories by
    id, read from the tag index alone, ``taggeditem_tag_story_idx``) and of
    its section (``article_section_latest_idx``), so the cost does not grow
    with the archive. Uses the article's loaded tags. Each story comes with
    its headline, address, section and publication time only.
    """
    db = connections[DEFAULT_DB_ALIAS]
    tag_ids = [tag.pk for tag in article.tags.all()][:RELATED_TAGS]
    story_type = ContentType.objects.get_for_model(Article).pk
    candidate_public, candidate_params = published_rule_sql("n")
    public, public_params = published_rule_sql("a")
    story = shape(Article, "a", RELATED_FIELDS, db=db)
    section = shape(Section, "s", ("id", "name", "slug"), db=db)
    limit = int(limit)

    def write(q):
        candidates = int(RELATED_CANDIDATES)
        parts = [
            f"SELECT i.{q('object_id')} AS candidate_id FROM {table(TaggedItem)} i "
            f"WHERE i.{q('content_type_id')} = %s AND i.{q('tag_id')} = %s "
            f"ORDER BY i.{q('object_id')} DESC LIMIT {candidates}"
        ] * len(tag_ids)
        parts.append(
            f"SELECT n.{q('id')} AS candidate_id FROM {table(Article)} n "
            f"WHERE n.{q('section_id')} = %s AND {candidate_public} "
            f"ORDER BY n.{q('published_at')} DESC, n.{q('id')} DESC "
            f"LIMIT {candidates}"
        )
        union = " UNION ALL ".join(
            f"SELECT * FROM ({part}) AS part_{number}"
            for number, part in enumerate(parts)
        )
        if tag_ids:
            marks = ", ".join(["%s"] * len(tag_ids))
            shared = (
                f"(SELECT COUNT(*) FROM {table(TaggedItem)} t "
                f"WHERE t.{q('content_type_id')} = %s "
                f"AND t.{q('object_id')} = a.{q('id')} "
                f"AND t.{q('tag_id')} IN ({marks}))"
            )
        else:
            shared = "0"
        return (
            f"SELECT {story.columns}, {section.columns}, {shared} AS shared, "
            f"CASE WHEN a.{q('section_id')} = %s THEN 1 ELSE 0 END AS same_section "
            # The candidates first, each story then found by its id: given
            # ``a.id IN (…)`` beside the rule's terms, SQLite's planner read
            # every published story through the status index and tested each
            # against the list (a cost growing with the archive); a CROSS
            # JOIN keeps SQLite's tables in the order written, and leaves
            # PostgreSQL's planner free as before.
            f"FROM (SELECT DISTINCT c.candidate_id FROM ({union}) AS c) AS candidate "
            f"CROSS JOIN {table(Article)} a "
            f"LEFT OUTER JOIN {table(Section)} s "
            f"ON s.{q('id')} = a.{q('section_id')} "
            f"WHERE a.{q('id')} = candidate.candidate_id AND a.{q('id')} <> %s "
            f"AND {public} "
            f"ORDER BY shared DESC, same_section DESC, a.{q('published_at')} DESC, "
            f"a.{q('id')} DESC LIMIT {limit}"
        )

    params = [story_type, *tag_ids] if tag_ids else []
    params.append(article.section_id)
    for tag_id in tag_ids:
        params += [story_type, tag_id]
    params += [article.section_id, *candidate_params, article.pk, *public_params]
    rows = _rows(
        db,
        _sql(
            db,
            ("related", len(tag_ids), limit, candidate_public, public),
            write,
        ),
        params,
    )
    stories = []
    plain = story.plain(), section.plain()
    for row in rows:
        item = story.make(row[: story.width], db, plain[0])
        item.section = section.make(
            row[story.width : story.width + section.width], db, plain[1]
        )
        item.shared, item.same_section = row[-2], row[-1]
        stories.append(item)
    return stories
