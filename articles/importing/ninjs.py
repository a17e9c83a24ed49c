"""Read IPTC ninjs (News in JSON) items: 3.x camelCase, 2.x lowercase, 1.x.

A file holds one item or a list of them. Each item gives one StoryData; the
picture that travels with it is taken from its associations.
"""

import datetime
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .data import ItemError, ParseError, PhotoData, StoryData, embargo_time, pub_status
from .text import paragraphs_to_html, split_authors

PICTURE_TYPES = {"picture", "image"}
SUMMARY_ROLES = {"summary", "description", "text", ""}
CAPTION_ROLES = {"caption", "text", "summary", "description", ""}
ALT_ROLES = {"alt", "alt-text", "alttext", "alternative-text", "alternativetext"}
CANONICAL_RELS = {"canonical", "self"}
ORIGIN_ROLES = {"originator", "origin", "original"}
# The embargo: ninjs 3.x ``embargoedUntil``, 1.x and 2.x ``embargoed``.
EMBARGO_FIELDS = ("embargoedUntil", "embargoed")
# Earliest first: when the story first appeared is its publication time.
DATE_FIELDS = ("firstCreated", "versionCreated", "contentCreated")

# Elements whose text is a paragraph of the story.
TEXT_BLOCKS = {"p", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
               "dd", "dt", "td", "th", "address"}  # fmt: skip
# Elements that break text into separate paragraphs.
BLOCKS = TEXT_BLOCKS | {"div", "section", "article", "main", "header", "footer",
                        "ul", "ol", "dl", "table", "tr", "tbody", "thead", "body",
                        "html", "hr", "br", "details", "summary"}  # fmt: skip
# Elements whose text is not part of the story (a figure's caption and credit
# belong to the picture, which comes from the associations).
SKIPPED = {"head", "title", "script", "style", "template", "noscript", "figure",
           "iframe", "object", "svg", "nav", "button", "aside"}  # fmt: skip

_HTML_HINT = re.compile(r"<(?:p|div|br|section|article|html|body)\b", re.IGNORECASE)
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def looks_like_ninjs(text: str) -> bool:
    """Whether text looks like JSON: its first non-space character is { or [."""
    return text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def read_ninjs(text: str, *, filename: str = "") -> list[StoryData | ItemError]:
    """Read the ninjs item, or list of items, in ``text``.

    Raises ParseError when the file as a whole cannot be read: invalid JSON,
    nested deeper than JSON can be read, not an object or a list, an empty
    list, or a single object that cannot be a story. In a list, an item that
    cannot be a story comes back as an ItemError in its place, so the others
    are still read.
    """
    try:
        return _read(text)
    except ParseError as exc:
        message = f"{filename}: {exc.message}" if filename else exc.message
        raise ParseError(message, field=exc.field) from None


def _read(text: str) -> list[StoryData | ItemError]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ParseError("empty file: there is no JSON to read")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise ParseError(
            "the JSON is nested too deeply to read (a ninjs item is a few levels "
            "deep; this one is far deeper)"
        ) from None
    except ValueError as exc:  # e.g. a number of more digits than Python reads
        raise ParseError(f"invalid JSON: {str(exc).split(';')[0]}") from None
    if isinstance(data, dict):
        return [_read_item_safely(data)]
    if not isinstance(data, list):
        raise ParseError(
            f"expected a ninjs object or a list of them, not {_json_type(data)}"
        )
    if not data:
        raise ParseError("the list holds no ninjs items")
    return [_read_listed(number, item) for number, item in enumerate(data, start=1)]


def _read_listed(number: int, item) -> StoryData | ItemError:
    """One item of a list, or what is wrong with it."""
    if not isinstance(item, dict):
        error = ParseError(f"expected an object, not {_json_type(item)}")
        return ItemError(number, error)
    try:
        return _read_item_safely(item)
    except ParseError as error:
        return ItemError(number, error, headline=_headline(item) or _text(item, "uri"))


def _read_item_safely(item: dict) -> StoryData:
    """``_read_item``, with any surprise in a hostile item as a ParseError."""
    try:
        return _read_item(item)
    except ParseError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ParseError(f"cannot be read: {exc or type(exc).__name__}") from None


def _read_item(item: dict) -> StoryData:
    """One ninjs object as a story."""
    uri = _text(item, "uri")
    if not uri:
        raise ParseError("missing: every ninjs item needs one", field="uri")
    headline = _headline(item)
    if not headline:
        raise ParseError(f"missing in {uri}", field="headline")
    body_html, paragraphs = _body(item, headline)
    if not paragraphs:
        raise ParseError(f"no text in {uri}", field="body")
    origin_name, origin_uri = _origin(item)
    publication = origin_name or _text(item, "copyrightHolder")
    published_at, published_on = _published(item)
    return StoryData(
        format="ninjs",
        identity=uri,
        headline=headline,
        standfirst=_standfirst(item),
        authors=(authors := _authors(item, publication)),
        contributors=_contributors(item, authors),
        publication=publication,
        canonical_url=origin_uri or _canonical_url(item, uri),
        published_at=published_at,
        published_on=published_on,
        embargoed=_embargoed(item),
        dateline=_text(item, "located"),
        paragraphs=paragraphs,
        body_html=body_html,
        photo=_photo(item),
        tags=_tags(item),
        language=_text(item, "language"),
        pub_status=pub_status(_text(item, "pubStatus")),  # 2.x: pubstatus
    )


# Fields


def _headline(item: dict) -> str:
    """The main headline, else the first; 1.x items have a plain ``headline``."""
    headlines = _objects(item, "headlines")
    chosen = _by_role(headlines, {"main"}) or _by_role(headlines, None)
    return _plain(chosen) if chosen else _text(item, "headline")


def _standfirst(item: dict) -> str:
    chosen = _by_role(_objects(item, "descriptions"), SUMMARY_ROLES)
    return _plain(chosen) if chosen else _text(item, "description_text")


def _body(item: dict, headline: str) -> tuple[str, list[str]]:
    """The body as HTML and as plain paragraphs, preferring an HTML body.

    A paragraph that only repeats the headline is dropped from the plain text.
    """
    html_body = text_body = ""
    for body in _objects(item, "bodies"):
        value = body.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        kind = _body_kind(body, value)
        if kind == "html" and not html_body:
            html_body = value.strip()
        elif kind == "text" and not text_body:
            text_body = value
    html_body = html_body or _text(item, "body_html")
    text_body = text_body or _text(item, "body_text")
    paragraphs = html_paragraphs(html_body) if html_body else text_paragraphs(text_body)
    if paragraphs and paragraphs[0].casefold() == headline.casefold():
        paragraphs = paragraphs[1:]
    return html_body or paragraphs_to_html(paragraphs), paragraphs


def _body_kind(body: dict, value: str) -> str:
    """ "html", "text" or "" (another format, such as XML) for one body."""
    content_type = _text(body, "contentType").lower()
    role = _text(body, "role").lower()
    if content_type:
        if "html" in content_type:
            return "html"
        return "text" if content_type.startswith("text/plain") else ""
    if "html" in role or _HTML_HINT.search(value):
        return "html"
    return "" if "xml" in role else "text"


def _authors(item: dict, publication: str) -> list[str]:
    """Names from ``by`` (or 1.x ``byline``) and from people with an author role."""
    byline = _text(item, "by") or _text(item, "byline")
    names = split_authors(byline, exclude=publication)
    names += _people(item, {"author", "creator"})
    return _unique(names)


def _contributors(item: dict, authors: list[str]) -> list[str]:
    """People credited as contributors who are not already authors."""
    return [name for name in _people(item, {"contributor"}) if name not in authors]


def _people(item: dict, relations: set[str]) -> list[str]:
    names = []
    for person in _objects(item, "people"):
        relation = (_text(person, "rel") or _text(person, "role")).lower()
        if relation.rsplit("/", 1)[-1].rsplit(":", 1)[-1] in relations:
            names.append(_text(person, "name"))
    return _unique(names)


def _published(item: dict) -> tuple[datetime.datetime | None, datetime.date | None]:
    """An aware datetime from the first date field present, or a bare date."""
    for field in DATE_FIELDS:
        if value := _text(item, field):
            return _parse_datetime(field, value)
    return None, None


def _embargoed(item: dict) -> datetime.datetime | None:
    """The embargo's end, if the item has one (an unreadable one refuses the
    item: a story is never let out early by a typo)."""
    for field in EMBARGO_FIELDS:
        if value := _text(item, field):
            return embargo_time(*_parse_datetime(field, value))
    return None


def _parse_datetime(
    field: str, value: str
) -> tuple[datetime.datetime | None, datetime.date | None]:
    """Parse an ISO 8601 value; a value without an offset is taken as UTC."""
    try:
        if len(value) <= 10 and "T" not in value:
            return None, datetime.date.fromisoformat(value)
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ParseError(f"impossible date {value!r}", field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment, None


def _tags(item: dict) -> list[str]:
    """Subject names and keywords, without repeats."""
    tags = [_text(subject, "name") for subject in _objects(item, "subjects")]
    keywords = _get(item, "keywords")
    if isinstance(keywords, list):
        tags += [k.strip() for k in keywords if isinstance(k, str)]
    return _unique(tags)


def _origin(item: dict) -> tuple[str, str]:
    """The paper or agency a story first appeared in, and its address there.

    Our own export names it as an ``infoSources`` entry with role "originator".
    """
    for source in _objects(item, "infoSources"):
        if _text(source, "role").lower() in ORIGIN_ROLES:
            address = _text(source, "uri")
            web = address if address.startswith(("http://", "https://")) else ""
            return _text(source, "name"), web
    return "", ""


def _canonical_url(item: dict, uri: str) -> str:
    """A canonical or self link; else the uri of a text item served over http."""
    links = _get(item, "links") or _get(item, "link") or []
    links = [links] if isinstance(links, dict | str) else links
    for link in links if isinstance(links, list) else []:
        if isinstance(link, str) and link.startswith(("http://", "https://")):
            return link
        if isinstance(link, dict) and _text(link, "rel").lower() in CANONICAL_RELS:
            return _text(link, "href")
    if _text(item, "type") == "text" and uri.startswith(("http://", "https://")):
        return uri
    return ""


# Pictures


def _photo(item: dict) -> PhotoData | None:
    """The first associated picture, with caption, credit and the largest rendition."""
    for picture in _objects(item, "associations"):
        if _text(picture, "type").lower() in PICTURE_TYPES:
            descriptions = _objects(picture, "descriptions")
            caption = _by_role(descriptions, CAPTION_ROLES)
            alt = _by_role(descriptions, ALT_ROLES)
            href = _largest_rendition(picture)
            return PhotoData(
                filename=_basename(href or _text(picture, "uri")),
                caption=_plain(caption) if caption else _picture_text(picture),
                credit=_first_text(
                    picture, "creditline", "byline", "by", "copyrightHolder"
                ),
                alt_text=_plain(alt) if alt else "",
                href=href,
            )
    return None


def _picture_text(picture: dict) -> str:
    return _text(picture, "body_text") or _headline(picture)


def _largest_rendition(picture: dict) -> str:
    """The href of the rendition with the most pixels (or bytes)."""
    renditions = [r for r in _objects(picture, "renditions") if _text(r, "href")]

    def size(rendition: dict) -> tuple[int, int]:
        width, height = _number(rendition, "width"), _number(rendition, "height")
        return width * height, _number(rendition, "sizeInBytes")

    return _text(max(renditions, key=size), "href") if renditions else ""


def _basename(reference: str) -> str:
    try:
        path = urlsplit(reference).path if "//" in reference else reference
    except ValueError:  # not a URL after all ("http://[::1")
        path = reference
    return re.split(r"[/:]", path.rstrip("/"))[-1]


# HTML and text bodies


class _ParagraphParser(HTMLParser):
    """Collect the text of an HTML body, one string per paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, bool]] = []  # (text, inside a text block)
        self._parts: list[str] = []
        self._in_text_block = False
        self._text_depth = 0
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self._skip_depth += 1
        elif tag in BLOCKS:
            self._flush()
            self._text_depth += tag in TEXT_BLOCKS

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in BLOCKS:
            self._flush()
            if tag in TEXT_BLOCKS:
                self._text_depth = max(0, self._text_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._parts.append(data)
            self._in_text_block |= self._text_depth > 0 and bool(data.strip())

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = _WHITESPACE.sub(" ", "".join(self._parts)).strip()
        if text:
            self.chunks.append((text, self._in_text_block))
        self._parts, self._in_text_block = [], False


def html_paragraphs(markup: str) -> list[str]:
    """Plain-text paragraphs of an HTML body, entities unescaped.

    Paragraphs break at ``<p>``, ``<br>`` and other block elements. When the
    body has paragraph elements, loose text outside them (vignettes, source
    labels) is left out; figures and the document head always are.
    """
    parser = _ParagraphParser()
    parser.feed(markup)
    parser.close()
    in_blocks = [text for text, in_block in parser.chunks if in_block]
    return in_blocks or [text for text, _ in parser.chunks]


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body: split at blank lines, or at every
    line break when there are no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    paragraphs = (_WHITESPACE.sub(" ", chunk).strip() for chunk in chunks)
    return [p for p in paragraphs if p]


# Reading fields of either spelling


def _get(obj: dict, name: str):
    """A field by its 3.x camelCase name or its 2.x lowercase spelling."""
    return obj[name] if name in obj else obj.get(name.lower())


def _text(obj: dict, name: str) -> str:
    value = _get(obj, name)
    return value.strip() if isinstance(value, str) else ""


def _first_text(obj: dict, *names: str) -> str:
    return next((value for name in names if (value := _text(obj, name))), "")


def _number(obj: dict, name: str) -> int:
    value = _get(obj, name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _objects(obj: dict, name: str) -> list[dict]:
    """A list of objects, also from a dict keyed by name (as in older ninjs)."""
    value = _get(obj, name)
    if isinstance(value, dict):
        return [{"name": key, **v} for key, v in value.items() if isinstance(v, dict)]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _by_role(objects: list[dict], roles: set[str] | None) -> dict | None:
    """The first object with a value and one of ``roles`` (None: any role)."""
    for obj in objects:
        if _text(obj, "value") and (
            roles is None or _text(obj, "role").lower() in roles
        ):
            return obj
    return None


def _plain(obj: dict) -> str:
    """The value of a headline or description as plain text."""
    value = _text(obj, "value")
    if "html" in _text(obj, "contentType").lower():
        return " ".join(html_paragraphs(value))
    return value


def _unique(values: list[str]) -> list[str]:
    """Non-empty values without repeats (ignoring case), first occurrence kept."""
    seen: set[str] = set()
    result = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


def _json_type(value) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), "a list")
