"""Read NITF 3.x (News Industry Text Format) documents: one story each.

The headline is ``hl1``, a different ``hl2`` or the ``abstract`` the standfirst;
the byline is ``byline`` (its ``byttl`` title left out; "Name / Outlet" names
the outlet), the publication the byline's outlet, the ``distributor`` or the
copyright holder; the dateline ``dateline`` (or its ``location``), the date
``date.issue``; the body ``body.content`` with ``hl2`` subheads and the first
``media`` picture. The document's XML declaration says its character set.
"""

from .data import ParseError, PhotoData, StoryData
from .markup import (
    Body,
    basename,
    child,
    dateline_field,
    local,
    parse_moment,
    squash,
    strip_dateline,
    text_of,
    unique,
    walk_body,
)
from .text import split_authors, story_key


def is_nitf(root) -> bool:
    return local(root) == "nitf"


def _find(root, name):
    return next((e for e in root.iter() if local(e) == name), None)


def nitf_body(root) -> Body:
    """The body of a NITF document (or of NITF inline in NewsML-G2)."""
    content = _find(root, "body.content")
    if content is None:
        return Body()
    return walk_body(content, lead_marked=_is_lead)


def _is_lead(paragraph) -> bool:
    """A paragraph NITF marks as the lede or as a summary (its ``lede`` and
    ``summary`` attributes): the standfirst when it comes first, never body."""
    marked = any(
        (paragraph.get(name) or "").lower() in ("true", "yes", "1")
        for name in ("lede", "lead", "summary")
    )
    return marked or "lead" in (paragraph.get("class") or "").split()


def read_nitf(root) -> list[StoryData]:
    if not is_nitf(root):
        raise ParseError(f"not NITF: the root is <{local(root)}>")
    head = _find(root, "body.head")
    hedline = child(head, "hedline") if head is not None else None
    headline = text_of(child(hedline, "hl1")) or text_of(_find(root, "title"))
    if not headline:
        raise ParseError("missing in the NITF document", field="headline")
    standfirst = text_of(child(head, "abstract")) if head is not None else ""
    subheadline = text_of(child(hedline, "hl2"))
    if not standfirst and subheadline.casefold() != headline.casefold():
        standfirst = subheadline
    byline = child(head, "byline") if head is not None else None
    authors, outlet = _byline(byline)
    distributor = text_of(child(head, "distributor")) if head is not None else ""
    copyright_ = _find(root, "doc.copyright")
    holder = squash(copyright_.get("holder") or "") if copyright_ is not None else ""
    publication = outlet or distributor or holder
    agency = distributor if outlet and distributor != outlet else ""
    dateline_element = child(head, "dateline") if head is not None else None
    located = (
        child(dateline_element, "location") if dateline_element is not None else None
    )
    city = _find(located, "city") if located is not None else None
    place = text_of(city if city is not None else located)
    if not place:
        place = dateline_field(
            text_of(dateline_element, skip=frozenset({"story.date"}))
        ).place
    body = nitf_body(root)
    printed = strip_dateline(body, place=place)
    if printed is not None:
        agency = printed.agency or agency
        place = place or printed.place
    published_at, published_on = _date(root)
    warnings = []  # an undated document is said so once, by checks.check_story
    doc_id = _find(root, "doc-id")
    identity = ""
    if doc_id is not None and (doc_id.get("id-string") or "").strip():
        identity = (
            f"nitf:{doc_id.get('regsrc') or ''}:{doc_id.get('id-string').strip()}"
        )
    return [
        StoryData(
            format="nitf",
            identity=identity
            or story_key(publication, headline, published_at or published_on),
            headline=headline,
            standfirst=standfirst or body.lead,
            authors=authors,
            publication=publication,
            published_at=published_at,
            published_on=published_on,
            dateline=place,
            agency=agency,
            contributors=body.contributors,
            provenance=body.provenance,
            paragraphs=body.paragraphs,
            body_html=body.html,
            photo=_photo(root, body),
            tags=_tags(root),
            language=squash(root.get("baselang") or ""),
            warnings=warnings,
        )
    ]


def _byline(byline) -> tuple[list[str], str]:
    """Authors and the outlet named in a byline ("Geir Molnes / Faktisk.no")."""
    if byline is None:
        return [], ""
    people = [text_of(p) for p in byline.iter() if local(p) == "person"]
    text = text_of(byline, skip=frozenset({"byttl"}))
    outlet = ""
    if " / " in text:
        text, outlet = (squash(part) for part in text.rsplit(" / ", 1))
    names = people or split_authors(text, exclude=outlet)
    return unique(names), outlet


def _date(root):
    for name, attribute in (("date.issue", "norm"), ("pubdata", "date.publication")):
        element = _find(root, name)
        if element is not None:
            moment = parse_moment(element.get(attribute) or "")
            if moment != (None, None):
                return moment
    return None, None


def _photo(root, body: Body) -> PhotoData | None:
    for src, caption, credit in body.pictures:
        if caption or credit:
            return PhotoData(
                filename=basename(src), caption=caption, credit=credit, href=src
            )
    return None


def _tags(root) -> list[str]:
    keys = [e.get("key") or "" for e in root.iter() if local(e) == "keyword"]
    return unique(keys)
