"""Read a story from a published web page (HTML).

The page's main text comes from ``trafilatura`` (which leaves navigation,
share buttons, ads, comments and hidden copies out), its facts from the
page's own metadata read by ``extruct``: the schema.org NewsArticle in JSON-LD
or microdata first, then OpenGraph, then what trafilatura found. The body is
rebuilt from escaped text (paragraphs, ``<h2>`` subheads, lists, block
quotes), so nothing of the page's markup reaches ours.
"""

import json
import logging
import re

# trafilatura and extruct load in about a second: only when a page is read
from .data import ParseError, PhotoData, StoryData
from .jsonld import find_articles, read_article
from .markup import (
    EXTRACTED_SUBHEADS,
    Body,
    basename,
    split_credit,
    split_dateline,
    squash,
    walk_body,
)

_LABEL = re.compile(
    r"^(?:auteure?|author|autor(?:in)?|redakteur(?:in)?|by|von|par|por)\s*:?\s+",
    re.IGNORECASE,
)
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_HOSTNAME = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)+/?$", re.IGNORECASE)


def read_webpage(data: bytes, *, encoding: str = "") -> StoryData:
    """The story on one web page; ParseError when the page has no article."""
    import trafilatura
    from w3lib.encoding import html_to_unicode

    _, text = html_to_unicode(None, data, default_encoding=encoding or "utf-8")
    tree = trafilatura.load_html(text)
    if tree is None:
        raise ParseError("an HTML file with no page in it to read")
    metadata = _metadata(text)
    found = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_images=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    extracted = found.body if found is not None else None
    body = None
    if extracted is not None:
        body = walk_body(extracted, subhead_tags=EXTRACTED_SUBHEADS)
    if body is None or not body.paragraphs:
        raise ParseError(
            "an HTML page with no article text found in it (a home page, an index "
            "or a page drawn by scripts?)"
        )
    article = _article(metadata)
    fallback = _from_page(metadata, found)
    headline = squash(article.get("headline") or article.get("name") or "")
    if not headline:
        article["headline"] = fallback["headline"]
    _drop_repeated_headline(body, article.get("headline") or "")
    for name in ("description", "datePublished", "dateModified", "url", "image"):
        if not article.get(name) and fallback.get(name):
            article[name] = fallback[name]
    if not article.get("publisher") and fallback.get("publisher"):
        article["publisher"] = fallback["publisher"]
    if not (article.get("author") or article.get("creator")) and fallback["author"]:
        article["author"] = fallback["author"]
    if not article.get("inLanguage"):
        article["inLanguage"] = tree.get("lang") or ""
    _take_perex(body, article)
    story = read_article(article, body=body, format="html")
    _picture_from_page(story, body)
    return story


def _metadata(text: str) -> dict:
    """Each metadata syntax on its own, so one broken block loses only itself."""
    import extruct

    metadata = {}
    for syntax in ("json-ld", "microdata", "opengraph"):
        try:
            found = extruct.extract(
                text, syntaxes=[syntax], uniform=True, errors="strict"
            )
            metadata[syntax] = found.get(syntax, [])
        except Exception:  # a page's broken block: read the others
            metadata[syntax] = []
    if not metadata["json-ld"]:
        metadata["json-ld"] = _json_ld_blocks(text)
    return metadata


def _json_ld_blocks(text: str) -> list:
    """The JSON-LD blocks that can be read, when one of them cannot."""
    import trafilatura

    logging.getLogger("extruct").disabled = True
    tree = trafilatura.load_html(text)
    items = []
    for script in tree.iter("script") if tree is not None else []:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        # pages that wrap the block for old XHTML parsers: <![CDATA[ … ]]>
        block = _CDATA.sub("", script.text or "")
        try:
            items.append(json.loads(block))
        except (ValueError, RecursionError):
            continue
    return items


def _article(metadata: dict) -> dict:
    for syntax in ("json-ld", "microdata"):
        articles = find_articles(metadata.get(syntax, []))
        if articles:
            return dict(articles[0])
    return {}


def _from_page(metadata: dict, found) -> dict:
    """The article's facts from OpenGraph and trafilatura, as JSON-LD names."""
    graph = next(iter(metadata.get("opengraph") or []), {})

    def og(name):
        value = graph.get(name)
        return squash(value[0] if isinstance(value, list) else value or "")

    site = og("og:site_name") or squash(found.sitename or "")
    authors = [_LABEL.sub("", squash(name)) for name in (found.author or "").split(";")]
    image = og("og:image") or squash(found.image or "")
    return {
        "headline": og("og:title") or squash(found.title or ""),
        "description": og("og:description") or squash(found.description or ""),
        "author": [name for name in authors if name],
        "publisher": "" if _HOSTNAME.search(site) else site,
        "datePublished": og("article:published_time") or squash(found.date or ""),
        "dateModified": og("article:modified_time"),
        "url": og("og:url") or squash(found.url or ""),
        "image": {"url": image, "name": og("og:image:alt")} if image else None,
    }


def _take_perex(body: Body, article: dict) -> None:
    """The page's standfirst printed as the first paragraph of the main text.

    It is taken for one when the page's description is an edited version of it
    (the same opening words, not the same text, and not cut short with "…"),
    and it opens with no dateline.
    """
    description = squash(article.get("description") or "")
    if not body.paragraphs or not description or description.endswith(("...", "…")):
        return
    first = body.paragraphs[0]
    if first == description or split_dateline(first) is not None:
        return
    if first.split()[:8] != description.split()[:8] or len(first.split()) < 8:
        return
    article["description"] = first
    body.paragraphs.pop(0)
    body.html_parts.remove(next(p for p in body.html_parts if p.startswith("<p>")))


def _drop_repeated_headline(body: Body, headline: str) -> None:
    """A page's own <h1> that trafilatura kept is the headline, not a subhead."""
    key = squash(headline).casefold()
    body.html_parts = [
        part
        for part in body.html_parts
        if not (part.startswith("<h2>") and squash(_inner(part)).casefold() == key)
    ]


def _inner(part: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", part))


def _same_picture(one: str, other: str) -> bool:
    def stem(address):
        return basename(address).rsplit(".", 1)[0].casefold()

    return bool(one and other) and stem(one) == stem(other)


def _picture_from_page(story: StoryData, body: Body) -> None:
    """The lead picture's caption and credit from the figure in the main text."""
    if not body.pictures:
        return
    src, caption, credit = body.pictures[0]
    if story.photo is None:
        story.photo = PhotoData(filename=basename(src), href=src)
    elif not _same_picture(src, story.photo.href):
        return  # a picture further down the story, not the lead
    if not story.photo.caption and caption:
        story.photo.caption, found_credit = split_credit(caption)
        story.photo.credit = story.photo.credit or credit or found_credit
    if not story.photo.caption and not story.photo.credit:
        story.photo = None if not story.photo.href else story.photo
