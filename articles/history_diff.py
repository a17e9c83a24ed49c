"""A story's history in words: what changed between two versions.

Pure text first (no database): a story's text as the reader reads it, in
blocks (paragraphs, subheads, list items), and word diffs between two texts
by diff-match-patch (the diff library django-reversion-compare itself uses),
on words rather than characters and cleaned up to read as a person would
mark a proof.

Then the story as a version keeps it (``StoryState``: its fields, bylines,
quotes, corrections and tags), what changed between two states as the desk
says it (``what_changed``: the one place that wording lives, used for the
revision comment of every save and for the history list), and the compare
page's sections (``compare_states``).
"""

import re
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from django.utils import timezone
from lxml import html as lxml_html
from taggit.models import Tag, TaggedItem

from media.models import Photo
from people.models import Journalist, Source
from people.permissions import source_label

from .models import Byline, Correction, Publication, Quote, Section

SAME, ADDED, REMOVED = "same", "added", "removed"

# Words (with inner apostrophes and hyphens), runs of spaces, and any other
# single character (punctuation): the units a change is marked in.
TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]")

# Below this share of words in common, a changed paragraph reads better as
# the old one removed and a new one added than as a tangle of marks.
PAIRING_SHARE = 0.35


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions, added or removed."""

    op: str
    text: str


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece of a text: ``kind`` is "p", "h" (a subhead),
    "li" (a list item), "quote" (a block quote) or "row" (a table row)."""

    kind: str
    text: str


@dataclass
class BlockChange:
    """A block as the compare page shows it: unchanged, added, removed, or
    changed (``change`` "changed", its words marked in ``segments``)."""

    change: str
    kind: str
    segments: list


def _tokens(text):
    return TOKEN.findall(text)


class _Encoder:
    """Each distinct token (a word, or a whole paragraph) as one character, so
    that diff-match-patch compares tokens, never parts of them."""

    def __init__(self):
        self.codes, self.tokens = {}, []

    def encode(self, tokens):
        chars = []
        for token in tokens:
            code = self.codes.get(token)
            if code is None:
                index = len(self.tokens)
                # Skip the surrogate range: every code is one real character.
                code = chr(index if index < 0xD800 else index + 0x800)
                self.codes[token] = code
                self.tokens.append(token)
            chars.append(code)
        return "".join(chars)

    def decode(self, chars):
        return [self.tokens[self._index(char)] for char in chars]

    @staticmethod
    def _index(char):
        code = ord(char)
        return code if code < 0xD800 else code - 0x800


_OPS = {diff_match_patch.DIFF_EQUAL: SAME, diff_match_patch.DIFF_INSERT: ADDED}


def _diff(old_tokens, new_tokens, *, semantic):
    encoder = _Encoder()
    old, new = encoder.encode(old_tokens), encoder.encode(new_tokens)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(old, new, False)
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
    return [(_OPS.get(op, REMOVED), encoder.decode(chars)) for op, chars in diffs]


def word_diff(old, new):
    """The words of ``old`` and ``new`` as segments: same, removed, added."""
    segments = []
    for op, tokens in _diff(_tokens(old or ""), _tokens(new or ""), semantic=True):
        text = "".join(tokens)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        elif text:
            segments.append(Segment(op, text))
    return segments


def share_in_common(segments):
    """How much of two texts a word diff found the same (0 to 1)."""
    same = sum(len(s.text.strip()) for s in segments if s.op == SAME)
    old = same + sum(len(s.text.strip()) for s in segments if s.op == REMOVED)
    new = same + sum(len(s.text.strip()) for s in segments if s.op == ADDED)
    longest = max(old, new)
    return same / longest if longest else 1.0


# Text as the reader reads it


_BLOCK_KINDS = {
    "p": "p",
    "h1": "h",
    "h2": "h",
    "h3": "h",
    "h4": "h",
    "h5": "h",
    "h6": "h",
    "figcaption": "p",
    "caption": "p",
    "pre": "p",
}
_CONTAINERS = {"ul", "ol", "table", "thead", "tbody", "tfoot", "figure", "div"}
_SPACE = re.compile(r"\s+")


def _text(element):
    for br in element.iter("br"):
        br.tail = " " + (br.tail or "")
    return _SPACE.sub(" ", element.text_content()).strip()


def _walk(element, kind, blocks):
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCK_KINDS:
        blocks.append(Block(kind or _BLOCK_KINDS[tag], _text(element)))
    elif tag == "blockquote":
        _walk_children(element, "quote", blocks)
    elif tag == "li":
        _walk_children(element, "li", blocks)
    elif tag == "tr":
        cells = [_text(cell) for cell in element if cell.tag in ("td", "th")]
        blocks.append(Block("row", " | ".join(cells)))
    elif tag in _CONTAINERS:
        _walk_children(element, kind, blocks)
    elif tag == "hr":
        pass
    else:
        text = _text(element)
        if text:
            blocks.append(Block(kind or "p", text))


def _walk_children(element, kind, blocks):
    """A block quote or list item: its paragraphs, or its text as one block."""
    inner = []
    loose = (element.text or "").strip()
    for child in element:
        _walk(child, kind, inner)
        loose += " " + (child.tail or "").strip()
    if inner and not loose.strip():
        blocks.extend(inner)
    else:
        text = _text(element)
        if text:
            blocks.append(Block(kind or "p", text))


def html_blocks(value):
    """A story body's blocks of text: what the reader reads, without tags."""
    value = (value or "").strip()
    if not value:
        return []
    try:
        fragments = lxml_html.fragments_fromstring(value)
    except Exception:  # noqa: BLE001 - unparseable markup reads as its text
        return text_blocks(re.sub(r"<[^>]*>", " ", value))
    blocks = []
    for fragment in fragments:
        if isinstance(fragment, str):
            if fragment.strip():
                blocks.append(Block("p", _SPACE.sub(" ", fragment).strip()))
        else:
            _walk(fragment, None, blocks)
    return [block for block in blocks if block.text]


def text_blocks(value):
    """Plain text (a standfirst) in blocks: one per line."""
    lines = (_SPACE.sub(" ", line).strip() for line in (value or "").splitlines())
    return [Block("p", line) for line in lines if line]


def block_diff(old_blocks, new_blocks):
    """Two texts' blocks, aligned: unchanged blocks, blocks added or removed,
    and changed ones with their words marked."""
    keys = [f"{b.kind}\0{b.text}" for b in (*old_blocks, *new_blocks)]
    by_key = dict(zip(keys, (*old_blocks, *new_blocks), strict=True))
    old_keys, new_keys = keys[: len(old_blocks)], keys[len(old_blocks) :]
    changes, removed, added = [], [], []

    def settle():
        for index in range(max(len(removed), len(added))):
            old = removed[index] if index < len(removed) else None
            new = added[index] if index < len(added) else None
            changes.extend(_pair(old, new))
        removed.clear()
        added.clear()

    for op, tokens in _diff(old_keys, new_keys, semantic=False):
        blocks = [by_key[token] for token in tokens]
        if op == SAME:
            settle()
            changes.extend(
                BlockChange(SAME, b.kind, [Segment(SAME, b.text)]) for b in blocks
            )
        elif op == REMOVED:
            removed.extend(blocks)
        else:
            added.extend(blocks)
    settle()
    return changes


def _pair(old, new):
    if old is None:
        return [BlockChange(ADDED, new.kind, [Segment(ADDED, new.text)])]
    if new is None:
        return [BlockChange(REMOVED, old.kind, [Segment(REMOVED, old.text)])]
    segments = word_diff(old.text, new.text)
    if old.kind == new.kind and share_in_common(segments) >= PAIRING_SHARE:
        return [BlockChange("changed", new.kind, segments)]
    return [
        BlockChange(REMOVED, old.kind, [Segment(REMOVED, old.text)]),
        BlockChange(ADDED, new.kind, [Segment(ADDED, new.text)]),
    ]


# The story as a version keeps it


@dataclass(frozen=True)
class QuoteState:
    id: int
    text: str
    source_id: int | None
    kind: str
    position: int


@dataclass(frozen=True)
class CorrectionState:
    id: int
    text: str
    published_at: object


@dataclass
class StoryState:
    """A story as one version recorded it: its own fields (``fields``, by
    attribute name), its bylines (journalist, role), quotes, corrections and
    tag ids (sorted)."""

    fields: dict
    bylines: tuple = ()
    quotes: tuple = ()
    corrections: tuple = ()
    tags: tuple = ()
    when: object = None  # the revision's time

    def get(self, name, default=None):
        return self.fields.get(name, default)


def state_from_versions(version, related):
    """The ``StoryState`` of an article ``version``; ``related``: the other
    versions of its revision (bylines, quotes, corrections, tags)."""
    article_id = int(version.object_id)
    rows = {Byline: [], Quote: [], Correction: [], TaggedItem: []}
    for other in related:
        model = other._model
        if model in rows:
            data = other.field_dict
            owner = (
                data.get("object_id") if model is TaggedItem else data.get("article_id")
            )
            if owner is not None and int(owner) == article_id:
                rows[model].append(data)
    fields = version.field_dict
    tags = tuple(sorted(d["tag_id"] for d in rows[TaggedItem]))
    return StoryState(
        fields=fields,
        bylines=tuple(
            (d["journalist_id"], d["role"])
            for d in sorted(rows[Byline], key=lambda d: (d["position"], d["id"]))
        ),
        quotes=tuple(
            QuoteState(d["id"], d["text"], d["source_id"], d["kind"], d["position"])
            for d in sorted(rows[Quote], key=lambda d: (d["position"], d["id"]))
        ),
        corrections=tuple(
            CorrectionState(d["id"], d["text"], d["published_at"])
            for d in sorted(
                rows[Correction], key=lambda d: (d["published_at"], d["id"])
            )
        ),
        tags=tags,
        when=version.revision.date_created,
    )


def state_of(article):
    """The ``StoryState`` of ``article`` as it is stored now."""
    fields = {
        f.attname: getattr(article, f.attname) for f in article._meta.concrete_fields
    }
    return StoryState(
        fields=fields,
        bylines=tuple(
            article.bylines.order_by("position", "pk").values_list(
                "journalist_id", "role"
            )
        ),
        quotes=tuple(
            QuoteState(*row)
            for row in article.quotes.order_by("position", "pk").values_list(
                "pk", "text", "source_id", "kind", "position"
            )
        ),
        corrections=tuple(
            CorrectionState(*row)
            for row in article.corrections.order_by("published_at", "pk").values_list(
                "pk", "text", "published_at"
            )
        ),
        tags=tuple(sorted(article.tags.values_list("pk", flat=True))),
    )


# What changed, as the desk says it. The one place this wording lives: the
# transitions in ``articles.publishing`` take their revision comments from
# ``transition_line``, the story form's saves from ``what_changed`` (through
# ``change_line``), and the history list reads the same lines.

TRANSITIONS = {
    "created": "Created",
    "submitted": "Submitted for review",
    "withdrawn": "Withdrawn from review",
    "sent_back": "Sent back: {note}",
    "published": "Published",
    "scheduled": "Scheduled for {when}",
    "rescheduled": "Publication time changed to {when}",
    "updated": "Updated after publication",
    "unpublished": "Unpublished",
    "killed": "Killed: {reason}",
    "restored_killed": "Restored after a kill, as a draft",
    "corrected": "Correction added: {text}",
    "embargoed": "Embargoed until {when}",
    "embargo_lifted": "Embargo lifted",
    "featured": "Pinned as the home page's lead",
    "unfeatured": "Unpinned from the home page's lead",
    # A quote's source settled from the sourcing desk's queue
    # (``sourcing.attribution``): the source as readers may know them.
    "attributed": "Quote attributed to {source}: “{text}”",
}

# The story's own fields a history line names, in the order it names them.
FIELD_WORDS = {
    "headline": "headline",
    "body": "body",
    "standfirst": "standfirst",
    "dateline": "dateline",
    "slug": "address",
    "section_id": "section",
    "publication_id": "publication",
    "canonical_url": "original URL",
    "provenance_note": "provenance note",
    "published_date_only": "date-only setting",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
}


def transition_line(name, **details):
    """A transition's line in the history ("Killed: <reason>")."""
    return TRANSITIONS[name].format(**details)


def _when(moment):
    from .publishing import when_text

    return when_text(moment)


def _listed(words):
    words = list(words)
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _count(number, one, many):
    return one if number == 1 else f"{number} {many}"


def _to_the_second(moment):
    return moment.replace(microsecond=0) if moment is not None else None


def _moved(old, new, name):
    """Whether a time changed as the form shows it (to the second: a form's
    save drops the microseconds a transition's ``now()`` had)."""
    return _to_the_second(old.get(name)) != _to_the_second(new.get(name))


def _status_line(old, new, comment):
    before, after = old.get("status"), new.get("status")
    published_at = new.get("published_at")
    ahead = published_at is not None and published_at > (new.when or _now())
    if before == after:
        if after == "published" and _moved(old, new, "published_at"):
            if ahead:
                return transition_line("scheduled", when=_when(published_at))
            if published_at is not None:
                return transition_line("rescheduled", when=_when(published_at))
        return None
    if after == "published":
        if ahead:
            return transition_line("scheduled", when=_when(published_at))
        return transition_line("published")
    if after == "killed":
        return transition_line("killed", reason=new.get("kill_reason") or "")
    if before == "killed":
        return transition_line("restored_killed")
    if before == "published":
        return transition_line("unpublished")
    if after == "review":
        return transition_line("submitted")
    if before == "review" and after == "draft":
        sent_back = TRANSITIONS["sent_back"].split("{")[0]
        if comment and comment.startswith(sent_back):
            return comment
        return transition_line("withdrawn")
    return None


def _now():
    return timezone.now()


def what_changed(old, new, comment=""):
    """The lines saying what changed from ``old`` to ``new`` (two
    ``StoryState``; ``old`` None for a new story): "Published", "Headline
    changed", "Body and standfirst changed", "Correction added: …", "Tags
    changed", "Killed: <reason>". ``comment``: what the save said of itself,
    read for what the states cannot tell (a send-back's note)."""
    if old is None:
        lines = [transition_line("created")]
        status = _status_line(StoryState({"status": "draft"}), new, comment)
        return lines + ([status] if status else [])
    lines = []
    status = _status_line(old, new, comment)
    if status:
        lines.append(status)
    elif new.get("status") == "published" and _moved(old, new, "revised_at"):
        # Readers see the story's "updated" time move.
        lines.append(transition_line("updated"))
    fields = [w for name, w in FIELD_WORDS.items() if old.get(name) != new.get(name)]
    if fields:
        listed = _listed(fields)
        lines.append(f"{listed[0].upper()}{listed[1:]} changed")
    photo_before, photo_after = old.get("lead_photo_id"), new.get("lead_photo_id")
    if photo_before != photo_after:
        if photo_before is None:
            lines.append("Lead photo added")
        elif photo_after is None:
            lines.append("Lead photo removed")
        else:
            lines.append("Lead photo changed")
    if bool(old.get("featured")) != bool(new.get("featured")):
        lines.append(
            transition_line("featured" if new.get("featured") else "unfeatured")
        )
    if old.tags != new.tags:
        lines.append("Tags changed")
    if old.bylines != new.bylines:
        lines.append("Bylines changed")
    lines += _part_lines(old.quotes, new.quotes, "quote", "quotes")
    lines += _correction_lines(old.corrections, new.corrections)
    embargo_after = new.get("embargoed_until")
    if _moved(old, new, "embargoed_until"):
        if embargo_after is None:
            lines.append(transition_line("embargo_lifted"))
        else:
            lines.append(transition_line("embargoed", when=_when(embargo_after)))
    return lines


def _part_lines(old, new, one, many):
    before = {part.id: part for part in old}
    after = {part.id: part for part in new}
    added = [pk for pk in after if pk not in before]
    removed = [pk for pk in before if pk not in after]
    changed = [pk for pk in after if pk in before and after[pk] != before[pk]]
    lines = []
    for number, what in [(added, "added"), (removed, "removed"), (changed, "changed")]:
        if number:
            lines.append(f"{_count(len(number), one.capitalize(), many)} {what}")
    return lines


def _correction_lines(old, new):
    before = {c.id: c for c in old}
    lines = [
        transition_line("corrected", text=c.text) for c in new if c.id not in before
    ]
    after = {c.id for c in new}
    reworded = [c for c in new if c.id in before and before[c.id].text != c.text]
    if reworded:
        lines.append(
            _count(len(reworded), "Correction reworded", "corrections reworded")
        )
    gone = [c for c in old if c.id not in after]
    if gone:
        lines.append(_count(len(gone), "Correction removed", "corrections removed"))
    return lines


def change_line(old, new, comment=""):
    """``what_changed`` as one history line (a revision's comment)."""
    lines = what_changed(old, new, comment)
    return ". ".join(lines) if lines else "Saved with no changes"


# Comments django-reversion and the admin wrote before these lines, and the
# form's own "Changed …" messages: the history list says what changed instead.
_TRANSITION_PREFIX = re.compile(
    r"^(Published|Unpublished|Submitted for review|Withdrawn from review|"
    r"Updated after publication|Changed|Scheduled for [^.]*)(\. |$)"
)
_ADMIN_MESSAGE = re.compile(r"^(Added|Changed|Deleted)\b|^No fields changed")


def is_generic(comment):
    """Whether ``comment`` says no more than the admin's "Changed Status."."""
    comment = (comment or "").strip()
    if not comment:
        return True
    rest = _TRANSITION_PREFIX.sub("", comment, count=1)
    return not rest or bool(_ADMIN_MESSAGE.match(rest))


def history_line(old, new, comment):
    """A version's line in the history list: its comment where that says
    what happened (a transition's, a restore's, the importer's), else what
    changed from the version before."""
    if not is_generic(comment):
        return comment
    if old is None and new is None:
        return comment
    return change_line(old, new, comment)


# The compare page


@dataclass
class Row:
    """One line of a part of the compare page: unchanged, added, removed or
    changed, its words in ``segments``; ``label`` says what it is ("Quote
    added"); ``photo``: a picture to show beside it."""

    change: str
    segments: list
    label: str = ""
    kind: str = "p"
    photo: object = None


@dataclass
class Part:
    """A part of the story compared (the headline, the body, the quotes)."""

    title: str
    rows: list
    chips: bool = False  # tags: shown as a line of chips
    fold: bool = False  # runs of unchanged paragraphs fold away (texts)

    @property
    def pieces(self):
        """The rows, with each run of unchanged rows folded into one piece."""
        pieces = []
        for row in self.rows:
            unchanged = row.change == SAME and self.fold
            if pieces and pieces[-1]["unchanged"] == unchanged:
                pieces[-1]["rows"].append(row)
            else:
                pieces.append({"unchanged": unchanged, "rows": [row]})
        return pieces


def _row(change, text, **options):
    return Row(change, [Segment(change, text)], **options)


def _diff_row(old, new, **options):
    if old == new:
        return _row(SAME, new, **options)
    if not old:
        return _row(ADDED, new, **options)
    if not new:
        return _row(REMOVED, old, **options)
    return Row("changed", word_diff(old, new), **options)


@dataclass
class Names:
    """The names the compare page gives ids: journalists, sources (as
    ``user`` may know them), photos, sections, publications and tags, each
    kind in one query."""

    journalists: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    photos: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    publications: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)

    @classmethod
    def of(cls, states, user):
        def ids(values):
            return {v for v in values if v is not None}

        journalists = ids(j for s in states for j, _ in s.bylines)
        sources = ids(q.source_id for s in states for q in s.quotes)
        photos = ids(s.get("lead_photo_id") for s in states)
        sections = ids(s.get("section_id") for s in states)
        publications = ids(s.get("publication_id") for s in states)
        tags = ids(t for s in states for t in s.tags)
        return cls(
            journalists=dict(
                Journalist.objects.filter(pk__in=journalists).values_list("pk", "name")
            )
            if journalists
            else {},
            sources={
                source.pk: source_label(user, source)
                for source in Source.objects.filter(pk__in=sources)
            }
            if sources
            else {},
            photos={p.pk: p for p in Photo.objects.filter(pk__in=photos)}
            if photos
            else {},
            sections=dict(
                Section.objects.filter(pk__in=sections).values_list("pk", "name")
            )
            if sections
            else {},
            publications=dict(
                Publication.objects.filter(pk__in=publications).values_list(
                    "pk", "name"
                )
            )
            if publications
            else {},
            tags=dict(Tag.objects.filter(pk__in=tags).values_list("pk", "name"))
            if tags
            else {},
        )

    def journalist(self, pk):
        return self.journalists.get(pk, "a journalist since deleted")

    def source(self, pk):
        if pk is None:
            return "unattributed"
        return self.sources.get(pk, "a source since deleted")

    def section(self, pk):
        return self.sections.get(pk, "none") if pk else "none"

    def publication(self, pk):
        return self.publications.get(pk, "none") if pk else "none"

    def tag(self, pk):
        return self.tags.get(pk, "a tag since deleted")


STATUS_WORDS = {
    "draft": "Draft",
    "review": "In review",
    "published": "Published",
    "killed": "Killed",
}


def compare_states(old, new, names):
    """The parts of the story that differ from ``old`` to ``new``, in words."""
    parts = []

    def text_part(title, name, *, kind="p"):
        before, after = old.get(name) or "", new.get(name) or ""
        if before != after:
            parts.append(Part(title, [_diff_row(before, after, kind=kind)]))

    def blocks_part(title, name, reader):
        before, after = old.get(name) or "", new.get(name) or ""
        if before != after:
            rows = [
                Row(change.change, change.segments, kind=change.kind)
                for change in block_diff(reader(before), reader(after))
            ]
            parts.append(Part(title, rows, fold=True))

    text_part("Headline", "headline", kind="h")
    blocks_part("Standfirst", "standfirst", text_blocks)
    blocks_part("Body", "body", html_blocks)
    text_part("Dateline", "dateline")
    _status_part(old, new, parts)
    _photo_part(old, new, names, parts)
    _tags_part(old, new, names, parts)
    _bylines_part(old, new, names, parts)
    _quotes_part(old, new, names, parts)
    _corrections_part(old, new, parts)
    for title, name, word in [
        ("Section", "section_id", names.section),
        ("Publication", "publication_id", names.publication),
    ]:
        if old.get(name) != new.get(name):
            parts.append(
                Part(title, [_diff_row(word(old.get(name)), word(new.get(name)))])
            )
    text_part("Address", "slug")
    text_part("Original URL", "canonical_url")
    text_part("Provenance note", "provenance_note")
    return parts


def _moment(value):
    return _when(value) if value else ""


def _status_part(old, new, parts):
    rows = []
    if old.get("status") != new.get("status"):
        rows.append(
            _diff_row(
                STATUS_WORDS.get(old.get("status"), old.get("status") or ""),
                STATUS_WORDS.get(new.get("status"), new.get("status") or ""),
                label="Status",
            )
        )
    for name, label in [
        ("published_at", "Publication time"),
        ("embargoed_until", "Embargoed until"),
    ]:
        if _moved(old, new, name):
            rows.append(
                _diff_row(_moment(old.get(name)), _moment(new.get(name)), label=label)
            )
    if old.get("kill_reason") != new.get("kill_reason"):
        rows.append(
            _diff_row(
                old.get("kill_reason") or "",
                new.get("kill_reason") or "",
                label="Reason for the kill",
            )
        )
    if rows:
        parts.append(Part("Publishing", rows))


def _photo_words(photo):
    if photo is None:
        return "a photo since deleted"
    credit = f" (Photo: {photo.credit})" if photo.credit else ""
    return f"{photo.caption or '(no caption)'}{credit}"


def _photo_part(old, new, names, parts):
    before, after = old.get("lead_photo_id"), new.get("lead_photo_id")
    if before == after:
        return
    rows = []
    if before is not None:
        photo = names.photos.get(before)
        label = "Lead photo removed" if after is None else "Before"
        rows.append(_row(REMOVED, _photo_words(photo), label=label, photo=photo))
    if after is not None:
        photo = names.photos.get(after)
        label = "Lead photo added" if before is None else "After"
        rows.append(_row(ADDED, _photo_words(photo), label=label, photo=photo))
    parts.append(Part("Lead photo", rows))


def _tags_part(old, new, names, parts):
    if old.tags == new.tags:
        return
    before, after = set(old.tags), set(new.tags)
    rows = [
        _row(REMOVED, names.tag(t), kind="chip") for t in old.tags if t not in after
    ]
    rows += [
        _row(ADDED, names.tag(t), kind="chip") for t in new.tags if t not in before
    ]
    rows += [_row(SAME, names.tag(t), kind="chip") for t in new.tags if t in before]
    rows.sort(key=lambda row: row.segments[0].text.casefold())
    parts.append(Part("Tags", rows, chips=True))


def _byline_words(names, journalist, role):
    name = names.journalist(journalist)
    return f"{name} ({role})" if role else name


def _bylines_part(old, new, names, parts):
    if old.bylines == new.bylines:
        return
    before, after = dict(old.bylines), dict(new.bylines)
    rows = []
    for journalist, role in new.bylines:
        words = _byline_words(names, journalist, role)
        if journalist not in before:
            rows.append(_row(ADDED, words, label="Byline added"))
        elif before[journalist] != role:
            rows.append(
                Row(
                    "changed",
                    word_diff(before[journalist] or "author", role or "author"),
                    label=f"Role of {names.journalist(journalist)}",
                )
            )
        else:
            rows.append(_row(SAME, words))
    for journalist, role in old.bylines:
        if journalist not in after:
            words = _byline_words(names, journalist, role)
            rows.append(_row(REMOVED, words, label="Byline removed"))
    kept_before = [j for j, _ in old.bylines if j in after]
    kept_after = [j for j, _ in new.bylines if j in before]
    if kept_before != kept_after:
        rows.append(
            Row(
                "changed",
                word_diff(
                    ", ".join(names.journalist(j) for j in kept_before),
                    ", ".join(names.journalist(j) for j in kept_after),
                ),
                label="Order",
            )
        )
    parts.append(Part("Bylines", rows))


KIND_WORDS = {"direct": "direct quote", "paraphrase": "paraphrase"}


def _quote_words(names, quote):
    kind = KIND_WORDS.get(quote.kind, quote.kind)
    return f"“{quote.text}” — {names.source(quote.source_id)}, {kind}"


def _quotes_part(old, new, names, parts):
    if old.quotes == new.quotes:
        return
    before = {q.id: q for q in old.quotes}
    after = {q.id for q in new.quotes}
    rows = []
    for quote in new.quotes:
        earlier = before.get(quote.id)
        if earlier is None:
            rows.append(_row(ADDED, _quote_words(names, quote), label="Quote added"))
        elif (earlier.text, earlier.source_id, earlier.kind) == (
            quote.text,
            quote.source_id,
            quote.kind,
        ):
            rows.append(_row(SAME, _quote_words(names, quote)))
        else:
            rows.append(
                Row(
                    "changed",
                    word_diff(_quote_words(names, earlier), _quote_words(names, quote)),
                    label="Quote changed",
                )
            )
    rows += [
        _row(REMOVED, _quote_words(names, quote), label="Quote removed")
        for quote in old.quotes
        if quote.id not in after
    ]
    parts.append(Part("Quotes", rows))


def _corrections_part(old, new, parts):
    if old.corrections == new.corrections:
        return
    before = {c.id: c for c in old.corrections}
    after = {c.id for c in new.corrections}
    rows = []
    for correction in new.corrections:
        earlier = before.get(correction.id)
        when = _moment(correction.published_at)
        if earlier is None:
            rows.append(
                _row(ADDED, correction.text, label=f"Correction added ({when})")
            )
        elif earlier.text != correction.text:
            rows.append(
                Row(
                    "changed",
                    word_diff(earlier.text, correction.text),
                    label=f"Correction reworded ({when})",
                )
            )
        else:
            rows.append(_row(SAME, correction.text))
    rows += [
        _row(REMOVED, c.text, label="Correction removed")
        for c in old.corrections
        if c.id not in after
    ]
    parts.append(Part("Corrections", rows))
