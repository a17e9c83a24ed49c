"""Read schema.org NewsArticle JSON-LD: a file of its own, or a page's metadata.

A file holds one object, a list of them or an ``@graph``; every article in it
(NewsArticle and its kinds, Article, BlogPosting, Report) is a story. The
story's text is ``articleBody``; its picture the ``image`` (an ImageObject's
caption and credit); its authors the ``author`` people (``creator`` names when
there are none); its publication the ``publisher``.
"""

import json

from .data import ItemError, ParseError, PhotoData, StoryData
from .markup import (
    Body,
    basename,
    parse_moment,
    plain_paragraphs,
    split_credit,
    squash,
    strip_dateline,
    take_end_notes,
    unique,
)
from .text import split_authors, story_key

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle",
                 "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                 "backgroundnewsarticle", "askpublicnewsarticle", "blogposting",
                 "report", "liveblogposting", "satiricalarticle",
                 "scholarlyarticle", "techarticle"}  # fmt: skip


def read_jsonld(text: str) -> list[StoryData | ItemError]:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (ValueError, RecursionError):
        raise ParseError("invalid JSON: it cannot be read") from None
    articles = find_articles(data)
    if not articles:
        types = sorted({t for item in _nodes(data) for t in _types(item, lower=False)})
        shown = ", ".join(types[:5]) or "no @type"
        raise ParseError(
            f"JSON-LD with no NewsArticle (its types: {shown}); only articles "
            "can be imported"
        )
    stories: list[StoryData | ItemError] = []
    for number, article in enumerate(articles, start=1):
        try:
            stories.append(read_article(article))
        except ParseError as error:
            if len(articles) == 1:
                raise
            stories.append(
                ItemError(number, error, headline=_text(article, "headline"))
            )
    return stories


def find_articles(data) -> list[dict]:
    """The article objects anywhere in a JSON-LD document, their references
    to other nodes of the document (``"author": {"@id": …}``, as in an
    ``@graph``) replaced by those nodes."""
    nodes = list(_nodes(data))
    by_id = {
        node["@id"]: node
        for node in nodes
        if isinstance(node.get("@id"), str) and len(node) > 1
    }
    return [
        {key: _resolved(value, by_id) for key, value in item.items()}
        for item in nodes
        if _types(item) & ARTICLE_TYPES
    ]


def _resolved(value, by_id):
    if isinstance(value, list):
        return [_resolved(item, by_id) for item in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return by_id.get(value["@id"], value)
    return value


def _nodes(data, depth=0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _nodes(data["@graph"], depth + 1)


def _types(item: dict, *, lower=True) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    names = {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}
    return {n.lower() for n in names} if lower else names


def read_article(
    article: dict, *, body: Body | None = None, format: str = "jsonld"
) -> StoryData:
    """One article object as a story; ``body`` replaces ``articleBody`` (a web
    page's main text)."""
    headline = _text(article, "headline") or _text(article, "name")
    if not headline:
        where = "web page" if format == "html" else "JSON-LD article"
        raise ParseError(f"missing in the {where}", field="headline")
    if body is None:
        body = Body()
        text = article.get("articleBody")
        for paragraph in plain_paragraphs(text if isinstance(text, str) else ""):
            body.add(paragraph)
        take_end_notes(body)
    publication = publisher(article)
    place = _text(article, "dateline")
    printed = strip_dateline(body, place=place) if place else strip_dateline(body)
    published_at, published_on = parse_moment(_text(article, "datePublished"))
    updated_at, _ = parse_moment(_text(article, "dateModified"))
    warnings = []  # an undated article is said so once, by checks.check_story
    url = canonical(article)
    return StoryData(
        format=format,
        identity=url or story_key(publication, headline, published_at or published_on),
        headline=headline,
        standfirst=_standfirst(article, body),
        authors=(names := authors(article, publication)),
        contributors=[n for n in body.contributors if n not in names],
        provenance=body.provenance,
        publication=publication,
        canonical_url=url,
        published_at=published_at,
        published_on=published_on,
        updated_at=updated_at,
        dateline=place or (printed.place if printed else ""),
        agency=printed.agency if printed else "",
        paragraphs=body.paragraphs,
        body_html=body.html,
        photo=photo(article.get("image")),
        tags=_keywords(article),
        language=_text(article, "inLanguage"),
        kicker=_text(article, "articleSection"),
        warnings=warnings,
    )


def _text(item, name: str) -> str:
    value = item.get(name) if isinstance(item, dict) else None
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return squash(value) if isinstance(value, str) else ""


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names.append(_text(item, "name"))
    return [squash(n) for n in names if n]


def authors(article: dict, publication: str = "") -> list[str]:
    """The article's authors: people named in ``author``, else ``creator``.
    An organisation as author (the publisher itself) is no byline."""
    names = []
    for item in (
        article.get("author")
        if isinstance(article.get("author"), list)
        else [article.get("author")]
    ):
        if isinstance(item, dict) and "organization" in _types(item):
            continue
        for name in _names(item):
            names += split_authors(name, exclude=publication)
    if not names:
        for name in _names(article.get("creator")):
            names += split_authors(name, exclude=publication)
    return unique(n for n in names if n.casefold() != publication.casefold())


def publisher(article: dict) -> str:
    names = _names(article.get("publisher"))
    return next((n for n in names if not n.startswith(("http://", "https://"))), "")


def canonical(article: dict) -> str:
    for name in ("url", "mainEntityOfPage", "@id"):
        value = article.get(name)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url") or value.get("id")
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value.strip()
    return ""


def _standfirst(article: dict, body: Body) -> str:
    """The description, unless it only repeats (or cuts short) the first
    paragraph, as pages' generated summaries do."""
    text = _text(article, "description") or _text(article, "alternativeHeadline")
    return standfirst_or_nothing(text, body)


def standfirst_or_nothing(text: str, body: Body) -> str:
    text = squash(text)
    if not text:
        return ""
    stem = text.rstrip(".…").removesuffix("..").strip().casefold()
    for paragraph in body.paragraphs[:2]:
        if paragraph.casefold().startswith(stem[: max(40, len(stem) - 3)]):
            return ""
    if text.endswith(("...", "…")) and body.paragraphs:
        return ""  # a summary cut short by the site, not a standfirst
    return text


def photo(image) -> PhotoData | None:
    """The first ImageObject (or picture address) as the lead picture."""
    images = image if isinstance(image, list) else [image]
    for item in images:
        if isinstance(item, str) and item.startswith(("http://", "https://")):
            return PhotoData(filename=basename(item), href=item)
        if isinstance(item, dict):
            href = _text(item, "contentUrl") or _text(item, "url")
            caption = _text(item, "caption") or _text(item, "description")
            credit = _text(item, "creditText") or ", ".join(
                _names(item.get("copyrightHolder")) or _names(item.get("author"))
            )
            if not credit:
                caption, credit = split_credit(caption)
            if href or caption:
                return PhotoData(
                    filename=basename(href),
                    caption=caption,
                    credit=credit,
                    alt_text=_text(item, "name") if caption else "",
                    href=href,
                )
    return None


def _keywords(article: dict) -> list[str]:
    value = article.get("keywords")
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    # "Partner: X"-style labels are the site's own bookkeeping, not tags
    return unique(v for v in value if isinstance(v, str) and ":" not in v)
