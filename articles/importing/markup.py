"""What the structured readers (NewsML-G2, NITF, JSON-LD, web pages) share.

XML is parsed safely here and only here: no entity is expanded, no DTD loaded,
nothing fetched from the network, and a document that declares entities of its
own (the "billion laughs" and XXE attacks) is refused. A story body, whatever
markup it came in, is walked once into plain paragraphs (for the quote finder)
and clean HTML (``<p>``, ``<h2>`` subheads, lists, block quotes) built from
escaped text, so nothing from the copy reaches the page as markup.
"""

import datetime
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from .data import ParseError

_WHITESPACE = re.compile(r"\s+")


class UnsafeXML(ParseError):
    """XML refused for what it could do when read, not for how it is written."""


def parse_xml(data: bytes, *, what: str = "XML") -> etree._Element:
    """The root element of an XML document, parsed without any of XML's risks.

    The document's own declaration says its encoding (ISO-8859-1 NITF and the
    like are read as declared). Raises ParseError for XML that is not well
    formed or that declares entities.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ParseError(f"not well-formed {what}: {_syntax(error)}") from None
    except ValueError as error:  # e.g. an encoding lxml does not know
        raise ParseError(f"cannot read the {what}: {error}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXML(
            f"{what} that declares entities is refused (entities can read local "
            "files or expand without end); send the item without a DTD"
        )
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise UnsafeXML(f"{what} with undefined entity references is refused")
    return root


def _syntax(error: etree.XMLSyntaxError) -> str:
    message = str(error.msg or error).split(" (line")[0].strip()
    message = re.sub(r",? line \d+, column \d+$", "", message)
    if message.startswith("Excessive depth"):
        message = "nested too deeply to read (more than 256 levels)"
    line = getattr(error, "lineno", None)
    return f"{message} (line {line})" if line else message


def local(element) -> str:
    """An element's name without its namespace: "newsItem", "p"."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element, *names: str) -> list:
    """Child elements with one of ``names`` (local names), in order."""
    if element is None:
        return []
    return [sub for sub in element if local(sub) in names]


def child(element, *names: str):
    return next(iter(children(element, *names)), None)


def text_of(element, *, skip: frozenset = frozenset()) -> str:
    """The element's text with white space collapsed (elements in ``skip`` left
    out, with their text)."""
    if element is None:
        return ""
    parts = []
    _collect(element, parts, skip)
    return squash("".join(parts))


def _collect(element, parts, skip):
    if element.text:
        parts.append(element.text)
    for sub in element:
        if isinstance(sub.tag, str) and local(sub) not in skip:
            _collect(sub, parts, skip)
        if sub.tail:
            parts.append(sub.tail)


def squash(text: str) -> str:
    return _WHITESPACE.sub(" ", text or "").strip()


# Dates


def parse_moment(
    value: str,
) -> tuple[datetime.datetime | None, datetime.date | None]:
    """An ISO 8601 time (basic or extended form) or day; a time without an
    offset is taken as UTC. (None, None) when the value is not ISO 8601."""
    value = (value or "").strip()
    if not value:
        return None, None
    try:
        if len(value) <= 10 and "T" not in value:
            return None, datetime.date.fromisoformat(value)
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None, None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment, None


# Datelines, credits and names

_DASH = r"(?:--|[–—‒―-])"
_AGENCY = r"\((?P<{}>[^()\d]{{1,24}})\)"
# "(ANSA) - Rome, October 11 - …": the agency first, then place and date
_AGENCY_FIRST = re.compile(
    rf"^{_AGENCY.format('agency')}\s*{_DASH}\s*(?P<place>[^\W\d_][^,()–—:•]{{0,50}}?)"
    rf"(?P<extra>,[^()–—•:]{{1,40}}?)?\s*{_DASH}\s+"
)
# "NEW YORK (AP) — …", "SEOUL, South Korea — …", "London (dpa) - …", "CITY: …"
_PLACE_FIRST = re.compile(
    rf"^(?P<place>[^\W\d_][^,()–—:•\n]{{0,50}}?)(?P<extra>(?:,[^,()–—:•\d]{{1,40}}?)"
    rf"{{0,2}})\s*(?:{_AGENCY.format('agency')})?\s*(?:{_DASH}|•|:|\.-)\s+"
)


@dataclass
class Dateline:
    place: str = ""
    agency: str = ""
    rest: str = ""  # the paragraph after the dateline


def split_dateline(paragraph: str, *, place: str = "") -> Dateline | None:
    """The dateline printed at the start of a paragraph, if there is one.

    With ``place`` (from the item's metadata) the paragraph must begin with it
    (or with the agency and then it); without, the place must be in capitals
    or be followed by an agency in parentheses, so an ordinary sentence with a
    dash is never taken for a dateline.
    """
    text = paragraph.strip()
    for pattern in (_AGENCY_FIRST, _PLACE_FIRST):
        found = pattern.match(text)
        if not found:
            continue
        printed = squash(found["place"])
        extra = squash(found["extra"] or "")
        agency = squash(found["agency"] or "")
        if place:
            if printed.casefold() != place.casefold():
                continue
        elif not agency and not (printed.isupper() and len(printed) > 1):
            continue
        if extra and not any(ch.isdigit() for ch in extra):
            printed += extra  # "SEOUL, South Korea"
        return Dateline(printed, agency, text[found.end() :].strip())
    return None


def dateline_field(printed: str) -> Dateline:
    """A dateline given as a field of its own: "London (dpa) - " → London, dpa."""
    printed = squash(printed)
    found = split_dateline(printed + " x")
    if found is not None:
        return Dateline(found.place, found.agency)
    agency = re.search(_AGENCY.format("agency"), printed)
    place = re.sub(_AGENCY.format("x"), "", printed).strip(" -–—:•,")
    return Dateline(squash(place), agency["agency"].strip() if agency else "")


_CREDIT_LABEL = re.compile(
    r"^(?:photo(?:graph)?s?|fotos?|foto|bilde|bild|image|picture|credit|"
    r"crédit|crédito)\s*(?::|by\b)\s*(?P<credit>.+?)\.?$",
    re.IGNORECASE,
)
_CREDIT_AT_END = re.compile(
    r"\s*\((?:photo(?:graph)?|foto|picture|image)\s*(?:by|:)\s*(?P<credit>[^()]+)\)\.?$",
    re.IGNORECASE,
)


def split_credit(caption: str) -> tuple[str, str]:
    """(caption, credit) from a caption that may carry its credit: "(Photo by
    X/Agency)" at the end, or a caption that is only "Foto: X"."""
    caption = squash(caption)
    if found := _CREDIT_LABEL.match(caption):
        return "", found["credit"].strip()
    if found := _CREDIT_AT_END.search(caption):
        return caption[: found.start()].strip(), found["credit"].strip()
    return caption, ""


_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def looks_like_person(name: str) -> bool:
    """Whether a creator's name reads as a person's name (two words or more of
    letters), not staff initials ("VRG") or a login ("degenhardt.sandra")."""
    words = squash(name).split()
    if len(words) < 2 or "@" in name:
        return False
    return all(_NAME_WORD.match(word) for word in words)


def basename(reference: str) -> str:
    try:
        path = urlsplit(reference).path if "//" in reference else reference
    except ValueError:
        path = reference
    return re.split(r"[/:]", path.strip().rstrip("/"))[-1].strip()


def unique(values) -> list[str]:
    seen, kept = set(), []
    for value in values:
        value = squash(value)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


# Bodies

SUBHEADS = {"h1", "h2", "h3", "h4", "h5", "h6", "hl2"}
# trafilatura writes a subhead as <head rend="h2">
EXTRACTED_SUBHEADS = SUBHEADS | {"head"}
LISTS = {"ul", "ol", "dl", "list"}
ITEMS = {"li", "item", "dd", "dt"}
QUOTES = {"blockquote", "bq", "quote"}
PICTURES = {"figure", "img", "media", "graphic", "picture"}
SKIPPED = {"head", "header", "footer", "nav", "aside", "script", "style", "template",
           "noscript", "iframe", "object", "svg", "button", "form", "title", "meta",
           "table", "tagline", "byline", "dateline", "hedline", "note",
           "body.head", "body.end", "ed-msg", "media-caption"}  # fmt: skip
_SEPARATOR = re.compile(r"^[_\-–—=*]{3,}$")
_EMBED_CODE = re.compile(r"^<\s*/?\s*[a-z][\w-]*[\s>/]", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\[[^\[\]]*\]$")
# A promo for another story inside the body: "READ MORE: …", "Lesen Sie auch: …"
_PROMO = re.compile(
    r"^(?:read (?:more|also)|see also|related(?: stories| articles)?|previous|"
    r"more on this|also read|le puede interesar|lea también|relacionad[oa]s?|"
    r"lesen sie auch|mehr zum thema|lire aussi|à lire aussi|voir aussi)\s*[:…-]",
    re.IGNORECASE,
)
_IMAGE_LINK = re.compile(r"\.(?:jpe?g|png|gif|webp|tiff?)(?:[?#].*)?$", re.IGNORECASE)


@dataclass
class Body:
    """A story body as the importer keeps it."""

    paragraphs: list[str] = field(default_factory=list)
    html_parts: list[str] = field(default_factory=list)
    lead: str = ""  # a paragraph marked as the lead / standfirst
    pictures: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # src, caption, credit
    contributors: list[str] = field(default_factory=list)  # from end notes
    provenance: str = ""  # "This story originally appeared in …"
    end_notes: list[str] = field(default_factory=list)  # what was taken off the end

    @property
    def html(self) -> str:
        return "\n".join(self.html_parts)

    def add(self, text: str) -> None:
        self.paragraphs.append(text)
        self.html_parts.append(f"<p>{html.escape(text)}</p>")

    def subhead(self, text: str) -> None:
        self.html_parts.append(f"<h2>{html.escape(text)}</h2>")


def walk_body(container, *, subhead_tags=SUBHEADS, lead_marked=None) -> Body:
    """A Body from the block elements under ``container`` (XHTML, NITF
    ``body.content`` or trafilatura's XML, any namespace).

    Left out: empty paragraphs, escaped embed code, "[ … ]" placeholders, a
    paragraph that is only a link to a picture file (with a credit-only
    paragraph after it), and a separator line ("___") with the short end
    notes after it.
    """
    body = Body()
    blocks: list[tuple[str, str]] = []  # (kind, text)
    _blocks(container, blocks, subhead_tags, lead_marked, body)
    _filter(blocks, body)
    take_end_notes(body)
    _drop_pull_quotes(body)
    _drop_empty_subheads(body)
    return body


def _drop_empty_subheads(body: Body) -> None:
    """A subhead with nothing under it (a box whose content was left out, as
    "Most Read" or an embed's label) goes too."""
    parts = body.html_parts
    body.html_parts = [
        part
        for index, part in enumerate(parts)
        if not (
            part.startswith("<h2>")
            and (index + 1 == len(parts) or parts[index + 1].startswith("<h2>"))
        )
    ]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _drop_pull_quotes(body: Body) -> None:
    """A block quote whose words the body repeats (nearly all its three-word
    runs, so "he said" between its halves still counts) is a pull quote:
    dropped. A block quote of words the body does not have stays."""
    story = set()
    for paragraph in body.paragraphs:
        story |= _shingles(_words(paragraph).split())
    kept = []
    for part in body.html_parts:
        if part.startswith("<blockquote>"):
            words = _words(html.unescape(re.sub(r"<[^>]+>", " ", part))).split()
            runs = _shingles(words)
            if words and len(runs & story) >= 0.8 * len(runs):
                continue
        kept.append(part)
    body.html_parts = kept


def _blocks(element, blocks, subhead_tags, lead_marked, body):
    for sub in element:
        name = local(sub)
        if not name:
            continue
        if name in PICTURES:
            body.pictures.append(_picture(sub))
            continue
        if name in subhead_tags:
            blocks.append(("subhead", text_of(sub)))
        elif name in SKIPPED:
            continue
        elif name == "p":
            if lead_marked is not None and lead_marked(sub):
                body.lead = body.lead or text_of(sub)
                continue
            if _only_image_link(sub):
                blocks.append(("picture", text_of(sub)))
                continue
            blocks.append(("p", text_of(sub, skip=frozenset({"script", "style"}))))
        elif name in LISTS:
            items = [text_of(i) for i in sub.iter() if local(i) in ITEMS]
            blocks.append(("list", "\n".join(i for i in items if i)))
        elif name in QUOTES:
            inner = Body()
            _blocks(sub, (quoted := []), subhead_tags, None, inner)
            if not quoted and (text := text_of(sub)):
                quoted = [("p", text)]
            blocks.extend(("quote", t) for k, t in quoted if k == "p")
        else:
            _blocks(sub, blocks, subhead_tags, lead_marked, body)


def _only_image_link(paragraph) -> bool:
    links = [a for a in paragraph.iter() if local(a) == "a"]
    return len(links) == 1 and bool(_IMAGE_LINK.search(links[0].get("href", "")))


def _picture(element) -> tuple[str, str, str]:
    src = element.get("src") or element.get("source") or ""
    caption = credit = ""
    for sub in element.iter():
        name = local(sub)
        if name in ("img", "media-reference", "graphic") and not src:
            src = sub.get("src") or sub.get("source") or sub.get("data-location") or ""
        elif name in ("figcaption", "media-caption", "caption"):
            caption = text_of(sub)
        elif name in ("media-producer", "credit"):
            credit = text_of(sub)
    if not caption:
        caption = squash(element.get("title") or "")
    if not credit:
        caption, credit = split_credit(caption)
    return src, caption, credit


def _filter(blocks, body):
    after_picture = False
    for index, (kind, text) in enumerate(blocks):
        if not text:
            continue
        if kind == "picture":
            after_picture = True
            continue
        if kind == "p" and _SEPARATOR.match(text):
            rest = [t for k, t in blocks[index + 1 :] if k == "p" and t]
            if len(rest) <= 3:
                break  # what follows is end notes (contacts, credits)
            continue
        if kind == "p" and (
            _EMBED_CODE.match(text) or _PLACEHOLDER.match(text) or _PROMO.match(text)
        ):
            continue
        if kind == "p" and after_picture and split_credit(text)[0] == "":
            after_picture = False
            continue  # the credit of the picture just above
        after_picture = False
        if kind == "subhead":
            body.subhead(text)
        elif kind == "list":
            items = "".join(f"<li>{html.escape(i)}</li>" for i in text.split("\n"))
            body.html_parts.append(f"<ul>{items}</ul>")
        elif kind == "quote":
            body.html_parts.append(
                f"<blockquote><p>{html.escape(text)}</p></blockquote>"
            )
        else:
            body.add(text)


_CONTRIBUTED = re.compile(
    r"^(?P<names>[^.!?]{3,120}?)\s+(?:also\s+)?contributed(?:\s+(?:to\s+)?"
    r"(?:this|the)\s+(?:report|story|article))?\.?$",
    re.IGNORECASE,
)
_REPORTED_FROM = re.compile(
    r"^[^.!?]{3,120}?\s+reported\s+from\s+[^.!?]{2,120}\.?$", re.IGNORECASE
)
_ORIGINALLY = re.compile(
    r"^(?:this\s+(?:story|article|report)\s+)?(?:was\s+)?(?:first|originally)\s+"
    r"(?:appeared|published)\b",
    re.IGNORECASE,
)


def take_end_notes(body: Body) -> None:
    """End notes after the story ("X contributed to this report.", "X reported
    from Y.", "This story originally appeared in …") leave the body: the first
    give contributor bylines, the last the story's provenance."""
    while body.paragraphs:
        last = body.paragraphs[-1]
        contributed = _CONTRIBUTED.match(last)
        if contributed:
            names = re.split(r"\s*(?:,|\band\b|&)\s*", contributed["names"])
            body.contributors[:0] = [n for n in map(squash, names) if n]
        elif _ORIGINALLY.match(last):
            body.provenance = last
        elif not _REPORTED_FROM.match(last):
            return
        body.end_notes.insert(0, last)
        body.paragraphs.pop()
        marker = f"<p>{html.escape(last)}</p>"
        index = len(body.html_parts) - 1 - body.html_parts[::-1].index(marker)
        del body.html_parts[index]


def strip_dateline(body: Body, *, place: str = "") -> Dateline | None:
    """Take the dateline off the first paragraph, as the text reader does."""
    if not body.paragraphs:
        return None
    found = split_dateline(body.paragraphs[0], place=place)
    if found is None or not found.rest:
        return None
    first = body.html_parts.index(f"<p>{html.escape(body.paragraphs[0])}</p>")
    body.paragraphs[0] = found.rest
    body.html_parts[first] = f"<p>{html.escape(found.rest)}</p>"
    return found


def plain_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body: split at blank lines; or, in hard-wrapped
    copy where a paragraph starts with an indented line, at each indent; or at
    every line."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    lines = text.split("\n")
    if re.search(r"\n[ \t]*\n", text):
        chunks = re.split(r"\n[ \t]*\n", text)
    elif any(line[:1] in (" ", "\t") for line in lines[1:]) and any(
        line[:1] not in (" ", "\t") for line in lines[1:]
    ):
        chunks, current = [], []
        for line in lines:
            if line[:1] in (" ", "\t") and current:
                chunks.append(" ".join(current))
                current = []
            current.append(line)
        chunks.append(" ".join(current))
    else:
        chunks = lines
    return [p for chunk in chunks if (p := squash(chunk))]
