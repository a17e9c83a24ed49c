"""Read IPTC NewsML-G2: a ``newsItem``, or a ``newsMessage`` holding several.

Each text item is a story. Its body is the item's inline XHTML, inline NITF or
inline text; its picture is a picture item in the same message (the one it
links to, else the first) or a picture in its own content. A file holding only
a picture item (a photo service's caption and credit) gives a story with that
picture and no body, for the desk to write.

What NewsML-G2 marks as not for publication (editorial notes, non-public
contacts) is never read.
"""

from .data import ItemError, ParseError, PhotoData, StoryData, embargo_time, pub_status
from .markup import (
    Body,
    basename,
    child,
    children,
    dateline_field,
    looks_like_person,
    parse_moment,
    plain_paragraphs,
    split_credit,
    squash,
    strip_dateline,
    take_end_notes,
    text_of,
    unique,
    walk_body,
)
from .markup import local as _local
from .text import split_authors

PICTURE_CLASSES = {"picture", "photo", "graphic", "image"}
TEXT_CLASSES = {"text", "article", "composite", ""}
MAIN_HEADLINE_ROLES = {"", "main", "headline", "hld:main"}
SUMMARY_ROLES = {"drol:summary", "summary", "drol:abstract", "abstract", ""}
CAPTION_ROLES = {"drol:caption", "caption", "drol:summary", ""}
DATE_FIELDS = ("firstCreated", "contentCreated", "versionCreated")


def read_newsml(root) -> list[StoryData | ItemError]:
    """The stories in a parsed NewsML-G2 document (see ``markup.parse_xml``)."""
    if _local(root) == "newsItem":
        items = [root]
    elif _local(root) == "newsMessage":
        items = [i for i in root.iter() if _local(i) == "newsItem"]
    else:
        raise ParseError(f"not NewsML-G2: the root is <{_local(root)}>")
    if not items:
        raise ParseError("the NewsML-G2 message holds no newsItem")
    pictures = [i for i in items if _item_class(i) in PICTURE_CLASSES]
    texts = [i for i in items if _item_class(i) in TEXT_CLASSES]
    if not texts:
        texts, pictures = pictures, []
    if not texts:
        classes = ", ".join(sorted({_item_class(i) or "none" for i in items}))
        raise ParseError(
            f"the NewsML-G2 file holds no text or picture item (item classes: "
            f"{classes})"
        )
    stories: list[StoryData | ItemError] = []
    for number, item in enumerate(texts, start=1):
        try:
            stories.append(_read_item(item, pictures))
        except ParseError as error:
            if len(texts) == 1:
                raise
            stories.append(ItemError(number, error, headline=_headline(item)))
    return stories


def _read_item(item, pictures) -> StoryData:
    meta = child(item, "contentMeta")
    item_meta = child(item, "itemMeta")
    headline = _headline(item)
    if not headline:
        raise ParseError("missing in the newsItem", field="headline")
    is_picture = _item_class(item) in PICTURE_CLASSES
    body = Body() if is_picture else _body(item)
    dateline = dateline_field(text_of(child(meta, "dateline")))
    place = dateline.place or _name(child(meta, "located"))
    printed = strip_dateline(body, place=place)
    agency = dateline.agency or (printed.agency if printed else "")
    if printed and not place:
        place = printed.place
    published_at, published_on = None, None
    for name in DATE_FIELDS:
        element = child(item_meta, name) if name != "contentCreated" else None
        element = element if element is not None else child(meta, name)
        published_at, published_on = parse_moment(text_of(element))
        if published_at or published_on:
            break
    warnings = []  # an undated item is said so once, by checks.check_story
    publication = _publication(item)
    photo = _own_picture(item) if is_picture else _linked_picture(item, pictures)
    if photo is None:
        photo = _body_picture(body)
    if photo is None and not is_picture and _has_remote_picture(item):
        warnings.append(
            "the item names a picture without caption or credit; it was left out"
        )
    return StoryData(
        format="newsml",
        identity=item.get("guid") or f"newsml:{headline}",
        headline=headline,
        standfirst=_standfirst(item, headline) or body.lead,
        authors=_authors(item, publication),
        publication=publication,
        published_at=published_at,
        published_on=published_on,
        embargoed=_embargoed(item_meta),
        dateline=place,
        agency=agency,
        contributors=body.contributors,
        provenance=body.provenance,
        paragraphs=body.paragraphs,
        body_html=body.html,
        photo=photo,
        tags=unique(text_of(k) for k in children(meta, "keyword"))
        if meta is not None
        else [],
        language=_language(item),
        warnings=warnings,
        pub_status=_pub_status(item_meta),
    )


def _embargoed(item_meta):
    """``itemMeta/embargoed``: the time before which the item may not be
    published. An unreadable one refuses the item rather than let it out."""
    text = text_of(child(item_meta, "embargoed")).strip()
    if not text:
        return None
    moment, day = parse_moment(text)
    if moment is None and day is None:
        raise ParseError(f"not a date and time: {text!r}", field="embargoed")
    return embargo_time(moment, day)


def _pub_status(item_meta) -> str:
    """``<pubStatus qcode="stat:canceled"/>`` as "canceled" (see ``pub_status``)."""
    element = child(item_meta, "pubStatus")
    if element is None:
        return ""
    return pub_status(element.get("qcode") or element.get("uri") or "")


def _item_class(item) -> str:
    element = child(child(item, "itemMeta"), "itemClass")
    qcode = (
        (element.get("qcode") or element.get("uri") or "")
        if element is not None
        else ""
    )
    return qcode.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()


def _headlines(item):
    meta = child(item, "contentMeta")
    return children(meta, "headline") if meta is not None else []


def _headline(item) -> str:
    headlines = _headlines(item)
    main = [
        h for h in headlines if (h.get("role") or "").lower() in MAIN_HEADLINE_ROLES
    ]
    chosen = (main or headlines or [None])[0]
    return text_of(chosen)


def _standfirst(item, headline: str) -> str:
    for element in _headlines(item):
        role = (element.get("role") or "").lower()
        if "sub" in role and (text := text_of(element)) != headline:
            return text
    meta = child(item, "contentMeta")
    for element in children(meta, "description") if meta is not None else []:
        role = (element.get("role") or "").lower()
        if role in SUMMARY_ROLES and "caption" not in role:
            return text_of(element)
    return ""


def _name(element) -> str:
    """A concept's name: its <name> child, else its literal."""
    if element is None:
        return ""
    return text_of(child(element, "name")) or squash(element.get("literal") or "")


def _authors(item, publication: str) -> list[str]:
    meta = child(item, "contentMeta")
    if meta is None:
        return []
    names = []
    for by in children(meta, "by"):
        names += split_authors(text_of(by), exclude=publication)
    for creator in children(meta, "creator"):
        name = _name(creator)
        if looks_like_person(name):
            names.append(name)
    return unique(names)


def _publication(item) -> str:
    meta = child(item, "contentMeta")
    credit = text_of(child(meta, "creditline")) if meta is not None else ""
    if credit:
        return credit
    holder = child(child(item, "rightsInfo"), "copyrightHolder")
    return _name(holder) or _name(child(child(item, "itemMeta"), "provider"))


def _language(item) -> str:
    language = child(child(item, "contentMeta"), "language")
    tag = language.get("tag") if language is not None else ""
    return (tag or item.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()


def _body(item) -> Body:
    content = child(item, "contentSet")
    if content is None:
        return Body()
    for inline in children(content, "inlineXML"):
        kind = (inline.get("contenttype") or "").lower()
        if "nitf" in kind or any(_local(e) == "body.content" for e in inline.iter()):
            from .nitf import nitf_body

            container = next((e for e in inline.iter() if _local(e) == "nitf"), inline)
            return nitf_body(container)
        container = next((e for e in inline.iter() if _local(e) == "body"), inline)
        return walk_body(container)
    for inline in children(content, "inlineData"):
        kind = (inline.get("contenttype") or "text/plain").lower()
        value = inline.text or ""
        body = Body()
        if "html" in kind:
            from lxml import html as lxml_html

            return walk_body(lxml_html.fragment_fromstring(value, create_parent="div"))
        if "<" in value:  # plain text that carries stray markup (<p>)
            from lxml import html as lxml_html

            value = lxml_html.fragment_fromstring(
                value, create_parent="div"
            ).text_content()
        for paragraph in plain_paragraphs(value):
            body.add(paragraph)
        take_end_notes(body)
        return body
    return Body()


def _remote_pictures(item):
    content = child(item, "contentSet")
    if content is None:
        return []
    return [
        r
        for r in children(content, "remoteContent")
        if (r.get("contenttype") or "image/").lower().startswith("image/")
        and r.get("href")
    ]


def _has_remote_picture(item) -> bool:
    return bool(_remote_pictures(item))


def _largest(item) -> str:
    def size(rendition):
        try:
            return int(rendition.get("width") or 0) * int(rendition.get("height") or 0)
        except ValueError:
            return 0

    renditions = _remote_pictures(item)
    return max(renditions, key=size).get("href").strip() if renditions else ""


def _own_picture(item) -> PhotoData | None:
    """A picture item's caption, credit and largest rendition."""
    meta = child(item, "contentMeta")
    caption = ""
    alt = ""
    for element in children(meta, "description") if meta is not None else []:
        role = (element.get("role") or "").lower()
        if role in CAPTION_ROLES and not caption:
            caption = text_of(element)
        elif "alt" in role:
            alt = text_of(element)
    caption, credit = split_credit(caption)
    if not credit:
        line = text_of(child(meta, "creditline")) if meta is not None else ""
        photographers = _authors(item, line)
        credit = "/".join([*photographers[:1], line] if line else photographers[:1])
    href = _largest(item)
    if not (caption or credit):
        return None
    return PhotoData(
        filename=basename(href), caption=caption, credit=credit, alt_text=alt, href=href
    )


def _body_picture(body: Body) -> PhotoData | None:
    """A figure in the item's own XHTML or NITF body, with its caption."""
    for src, caption, credit in body.pictures:
        if caption or credit:
            return PhotoData(
                filename=basename(src), caption=caption, credit=credit, href=src
            )
    return None


def _linked_picture(item, pictures) -> PhotoData | None:
    """The picture item this one links to, else the message's first picture."""
    linked = {
        (link.get("residref") or "").strip()
        for link in children(child(item, "itemMeta"), "link")
    }
    chosen = next((p for p in pictures if p.get("guid") in linked), None)
    chosen = chosen if chosen is not None else (pictures[0] if pictures else None)
    return _own_picture(chosen) if chosen is not None else None
