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
    page = _page(text)
    site = _site_name(metadata)
    if page is not None:
        article["headline"] = _shown_headline(page, article.get("headline") or "", site)
        if deck := _deck(page, article["headline"]):
            article["description"] = deck
            if body.paragraphs and body.paragraphs[0] == deck:
                _drop_first_paragraph(body)
    _take_perex(body, article)
    story = read_article(article, body=body, format="html")
    _picture_from_page(story, body)
    _described_image(story, metadata)
    if page is not None:
        _lead_figure(story, page, body)
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
    _drop_first_paragraph(body)


def _drop_first_paragraph(body: Body) -> None:
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


# -- what the page shows: read from its standard, semantic markup -----------

_HIDDEN = ("script", "style", "template", "noscript", "head")
_SUFFIX = re.compile(r"^\s*(?:[,|:·•–—]|\s-)\s*\S")
_BLOCKS = {
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "figure",
    "img",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "form",
    "time",
    "address",
    "blockquote",
    "picture",
}
_DECK_NAMES = re.compile(
    r"(?:^|[\s_-])(?:dek|deck|standfirst|subtitle|subheadline|sub-headline|"
    r"summary|excerpt|lead|perex|teaser|intro)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|door|av|af|di|de)\b\s*:?", re.IGNORECASE
)


def _page(text: str):
    """The page as a tree of its own (trafilatura prunes the one it reads)."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    for element in tree.xpath("//script|//style|//template|//noscript"):
        element.drop_tree()
    return tree


def _site_name(metadata: dict) -> str:
    graph = next(iter(metadata.get("opengraph") or []), {})
    value = graph.get("og:site_name") or ""
    return squash(value[0] if isinstance(value, list) else value)


def _shown(element) -> str:
    return squash(element.text_content())


def _headings(page) -> list:
    """The page's <h1>s, those inside its <article> first."""
    inside = page.xpath("//article//h1|//*[@itemprop='articleBody']/preceding::h1")
    return inside + [h for h in page.iter("h1") if h not in inside]


def _shown_headline(page, headline: str, site: str) -> str:
    """The headline as the page prints it in its <h1>, when the metadata's
    headline is that text with a suffix (", Country", " | Site", " - Site");
    else the metadata's headline with a suffix equal to the site's name cut."""
    headline = squash(headline)
    for heading in _headings(page):
        shown = _shown(heading)
        if (
            len(shown.split()) >= 3
            and headline.startswith(shown)
            and (_SUFFIX.match(headline[len(shown) :]))
        ):
            return shown
    if site and headline.casefold().endswith(site.casefold()):
        cut = headline[: -len(site)].rstrip()
        if cut and cut[-1] in "|-–—:·•" and len(cut[:-1].split()) >= 2:
            return cut[:-1].rstrip()
    return headline


def _deck(page, headline: str) -> str:
    """The deck printed right under the headline's <h1>: a short run of text
    alone in an element named for it (class, itemprop or test id "dek",
    "standfirst", "subtitle", "summary", "excerpt", "lead", "description" …),
    with no blocks inside, not a byline and not a dateline paragraph."""
    key = squash(headline).casefold()
    for heading in _headings(page):
        if _shown(heading).casefold() != key:
            continue
        following = heading.getnext()
        while following is not None and not _shown(following):
            following = following.getnext()
        if following is None or not isinstance(following.tag, str):
            return ""
        text = _shown(following)
        blocks = any(
            isinstance(child.tag, str) and child.tag in _BLOCKS
            for child in following.iterdescendants()
        )
        named = (
            _DECK_NAMES.search(
                " ".join(
                    following.get(name) or ""
                    for name in ("class", "itemprop", "data-testid")
                )
            )
            or following.get("itemprop") == "description"
        )
        if blocks or _BYLINE_START.match(text) or not 8 <= len(text.split()) <= 80:
            return ""
        if not named or split_dateline(text) is not None:
            return ""
        return text
    return ""


def _stem(address: str) -> str:
    return basename(address).rsplit(".", 1)[0].casefold()


def _lead_element(page, href: str):
    """The <img> (or <source>) showing the lead picture on the page."""
    stem = _stem(href)
    if len(stem) < 4:
        return None
    for element in page.xpath("//img|//source"):
        for name in ("src", "srcset", "data-src", "data-srcset", "data-lazy-src"):
            value = element.get(name) or ""
            addresses = [part.split()[0] for part in value.split(",") if part.split()]
            if any(_stem(address) == stem for address in addresses):
                return element
    return None


def _described_image(story: StoryData, metadata: dict) -> None:
    """The lead picture's caption and credit from the page's ImageObject of the
    same picture, when the article's own image entry has none."""
    from .jsonld import _nodes

    photo = story.photo
    if photo is None or not photo.href or (photo.caption and photo.credit):
        return
    for node in _nodes(metadata.get("json-ld") or []):
        if not isinstance(node, dict):
            continue
        address = node.get("contentUrl") or node.get("url") or ""
        if not isinstance(address, str) or _stem(address) != _stem(photo.href):
            continue
        caption = node.get("caption") or node.get("description") or ""
        credit = node.get("creditText") or ""
        if isinstance(caption, str) and not photo.caption:
            photo.caption, found = split_credit(caption)
            credit = credit or found
        if isinstance(credit, str) and not photo.credit:
            photo.credit = squash(credit)
        return


def _lead_figure(story: StoryData, page, body: Body) -> None:
    """Caption and credit of the lead picture as the page shows them.

    A picture the page shows only inside the story, after its first
    paragraph, is not the lead (the lead may be a video). Missing parts come
    from the picture's <figure> (its <figcaption>, or itemprop caption,
    creditText or copyrightHolder, or the texts beside the image), a credit
    printed next to the shown caption, or the image's own alt/title when they
    read as a credit ("Photo: X").
    """
    photo = story.photo
    if photo is None:
        return
    texts = []
    element = _lead_element(page, photo.href) if photo.href else None
    if element is not None and _after_story_start(page, element, body):
        story.photo = None  # a picture shown inside the story, not its lead
        return
    if element is not None:
        texts = _figure_texts(element)
    if photo.caption and not photo.credit:
        texts += _beside(page, photo.caption)
    for text in texts:
        caption, credit = split_credit(text)
        if credit and not photo.credit:
            photo.credit = credit
        if caption and not photo.caption and caption != photo.credit:
            photo.caption = caption
    if not photo.caption and not photo.credit and not photo.href:
        story.photo = None


def _after_story_start(page, element, body: Body) -> bool:
    """Whether the picture is shown only after the story's first paragraph."""
    if not body.paragraphs:
        return False
    opening = squash(body.paragraphs[0])[-60:]
    for paragraph in page.iter("p"):
        if opening in _shown(paragraph):
            before = paragraph.xpath("count(preceding::*) + count(ancestor::*)")
            return element.xpath("count(preceding::*) + count(ancestor::*)") > before
    return False


def _figure_texts(image) -> list[str]:
    """The texts that go with a shown picture, caption-like ones first."""
    picture = image.getparent() if image.tag == "source" else image
    if (
        picture is not None
        and picture.getparent() is not None
        and picture.getparent().tag == "picture"
    ):
        picture = picture.getparent()
    texts = []
    figure = (
        next((a for a in picture.iterancestors("figure")), None)
        if picture is not None
        else None
    )
    if figure is not None:
        marked = figure.xpath(
            ".//figcaption|.//*[@itemprop='caption' or @itemprop='description'"
            " or @itemprop='creditText' or @itemprop='copyrightHolder']"
        )
        leaves = marked or [
            e
            for e in figure.iterdescendants()
            if isinstance(e.tag, str)
            and _shown(e)
            and not any(isinstance(c.tag, str) and _shown(c) for c in e)
        ]
        for element in leaves:
            parts = [
                _shown(c)
                for c in element
                if isinstance(c.tag, str)
                and c.tag in ("span", "small", "cite", "em", "p")
                and _shown(c)
            ]
            texts += parts if len(parts) > 1 else [_shown(element)]
    for element in (image, picture):
        if element is None:
            continue
        for name in ("title", "alt"):
            value = squash(element.get(name) or "")
            if value and split_credit(value)[1] and not split_credit(value)[0]:
                texts.append(value)
    return [text for text in texts if text]


def _beside(page, caption: str) -> list[str]:
    """A credit printed right after the shown caption, in its own element."""
    key = squash(caption)
    # the innermost element showing exactly the caption (compared in lxml's C)
    found = page.xpath(
        "//*[normalize-space(.) = $key][not(*[normalize-space(.) = $key])]", key=key
    )
    following = found[0].getnext() if found else None
    if following is not None and isinstance(following.tag, str):
        return [_shown(following)]
    return []
