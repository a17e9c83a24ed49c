"""Web pages: the headline, deck and lead picture as the page itself shows them.

All copy here is our own, written for these tests.
"""

import json

from articles.importing.webpage import read_webpage

HEADLINE = "Lighthouse keepers return to Gull Point"
PARAGRAPHS = [
    "GULL POINT — Two keepers moved back into the lighthouse on Monday, forty "
    "years after the lamp was automated and the cottages were boarded up.",
    "The harbour trust restored the cottages over the winter with money from a "
    "local appeal that raised more than the trust had asked for.",
    "The keepers will run guided tours in the summer and keep a log of passing "
    "ships, as their predecessors did until the lamp went automatic.",
    "Visitors will be able to climb the tower on weekend afternoons, weather "
    "permitting, from the first Saturday of next month until October.",
]
PICTURE = "https://coast.example/media/keepers-at-the-door-2025.jpg"


def webpage(*, head="", before="", after="", between=""):
    paragraphs = [f"<p>{p}</p>" for p in PARAGRAPHS]
    body = paragraphs[0] + between + "\n".join(paragraphs[1:])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta property="og:site_name" content="Coast Courier">
<meta property="og:description" content="Keepers are back at the lighthouse.">
<meta property="og:image" content="{PICTURE}">
<meta property="article:published_time" content="2025-03-03T08:00:00+00:00">
{head}</head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article>
{before}
{body}
{after}
</article></main></body></html>""".encode()


def title(text):
    return f'<meta property="og:title" content="{text}">'


def test_headline_suffix_after_the_shown_h1_is_cut():
    page = webpage(head=title(f"{HEADLINE}, Northland"), before=f"<h1>{HEADLINE}</h1>")
    assert read_webpage(page).headline == HEADLINE


def test_headline_suffix_naming_the_site_is_cut():
    page = webpage(head=title(f"{HEADLINE} | Coast Courier"))
    assert read_webpage(page).headline == HEADLINE


def test_headline_that_only_starts_like_the_h1_is_kept():
    # a longer headline is not a suffix: no separator after the shown words
    page = webpage(
        head=title(f"{HEADLINE} after forty years"), before=f"<h1>{HEADLINE}</h1>"
    )
    assert read_webpage(page).headline == f"{HEADLINE} after forty years"


def test_deck_shown_under_the_h1_beats_the_meta_description():
    deck = "The cottages were restored with money from a local appeal over the winter."
    page = webpage(
        head=title(HEADLINE),
        before=f'<h1>{HEADLINE}</h1><p class="article__dek">{deck}</p>',
    )
    story = read_webpage(page)
    assert story.standfirst == deck
    assert len(story.paragraphs) == 4


def test_byline_under_the_h1_is_no_deck():
    page = webpage(
        head=title(HEADLINE),
        before=f'<h1>{HEADLINE}</h1><div class="summary">By Maren Holt and '
        "Ivo Stark, Coast Courier staff writers on the harbour beat</div>",
    )
    assert read_webpage(page).standfirst == "Keepers are back at the lighthouse."


def test_lead_figure_caption_and_credit_from_figcaption():
    figure = (
        f'<figure><img src="{PICTURE}" alt="Two keepers at the door">'
        "<figcaption>The new keepers at the lighthouse door on Monday. "
        "(Photo: Ria Calder/Coast Courier)</figcaption></figure>"
    )
    story = read_webpage(webpage(head=title(HEADLINE), before=figure))
    assert story.photo.caption == "The new keepers at the lighthouse door on Monday."
    assert story.photo.credit == "Ria Calder/Coast Courier"


def test_lead_figure_caption_and_credit_in_separate_spans():
    figure = (
        f'<figure><div><img src="{PICTURE}" alt=""></div><div>'
        "<span><p>The keepers unpack their things in the cottage.</p></span>"
        "<span>Photos: Coast Courier/ Ria Calder</span></div></figure>"
    )
    story = read_webpage(webpage(head=title(HEADLINE), before=figure))
    assert story.photo.caption == "The keepers unpack their things in the cottage."
    assert story.photo.credit == "Coast Courier/ Ria Calder"


def test_lead_picture_credit_from_its_alt_text():
    picture = f'<div><img src="{PICTURE}" alt="Foto: Ria Calder"></div>'
    story = read_webpage(webpage(head=title(HEADLINE), before=picture))
    assert story.photo.credit == "Ria Calder"
    assert story.photo.caption == ""


def test_lead_picture_described_in_the_json_ld_graph_and_credited_beside():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": HEADLINE,
                "image": {"@id": "https://coast.example/story#image"},
            },
            {
                "@type": "ImageObject",
                "@id": "https://coast.example/story#image",
                "url": PICTURE + "?w=1200",
                "caption": "The keepers climb the tower for the first time.",
            },
        ],
    }
    shown = (
        f'<img src="{PICTURE}" alt="">'
        "<div><span>The keepers climb the tower for the first time.</span>"
        "<span>Photo: Ria Calder</span></div>"
    )
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    story = read_webpage(webpage(head=head, before=shown))
    assert story.photo.caption == "The keepers climb the tower for the first time."
    assert story.photo.credit == "Ria Calder"


def test_picture_shown_only_inside_the_story_is_no_lead():
    figure = (
        f'<figure><img src="{PICTURE}" alt=""><figcaption>The tower at dusk. '
        "(Photo: Ria Calder)</figcaption></figure>"
    )
    story = read_webpage(webpage(head=title(HEADLINE), between=figure))
    assert story.photo is None


def test_lead_picture_credit_from_an_image_object_elsewhere_on_the_page():
    article = {"@type": "NewsArticle", "headline": HEADLINE, "image": PICTURE}
    image = {
        "@type": "ImageObject",
        "contentUrl": PICTURE,
        "caption": "The lamp room after its restoration.",
        "creditText": "Harbour Trust",
    }
    head = "".join(
        f'<script type="application/ld+json">{json.dumps(item)}</script>'
        for item in (article, image)
    )
    story = read_webpage(webpage(head=head))
    assert story.photo.caption == "The lamp room after its restoration."
    assert story.photo.credit == "Harbour Trust"
