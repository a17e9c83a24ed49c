"""NewsML-G2, NITF, JSON-LD and web-page readers, and telling formats apart.

All copy here is our own, written for these tests.
"""

import datetime
import json

import pytest

from articles.importing.checks import check_story
from articles.importing.data import ParseError
from articles.importing.formats import detect, refuse_xml_as_text
from articles.importing.jsonld import read_jsonld
from articles.importing.markup import parse_xml, split_dateline
from articles.importing.newsml import read_newsml
from articles.importing.nitf import read_nitf
from articles.importing.webpage import read_webpage

NAR = "http://iptc.org/std/nar/2006-10-01/"

NEWSML_XHTML = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{NAR}" guid="urn:newsml:riverton-wire.example:2025:ferry-42"
    version="3" standard="NewsML-G2" standardversion="2.33" xml:lang="en">
  <rightsInfo><copyrightHolder><name>Riverton Wire Service Ltd</name>
  </copyrightHolder></rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="rwire"/>
    <versionCreated>2025-06-04T09:00:00+02:00</versionCreated>
    <firstCreated>2025-06-03T18:30:00+02:00</firstCreated>
    <edNote>Desk only: call Priya before 6pm</edNote>
  </itemMeta>
  <contentMeta>
    <located><name>Port Aldren</name></located>
    <creator qcode="rw:ortiz.lena"><name>ortiz.lena</name></creator>
    <creator><name>Lena Ortiz</name></creator>
    <creditline>Riverton Wire</creditline>
    <language tag="en-GB"/>
    <keyword>ferries</keyword><keyword>transport</keyword>
    <headline>Ferry crossings resume after harbour repairs</headline>
    <headline role="hld:subHeadline">The evening service returns on Friday</headline>
    <dateline>Port Aldren (Riverton Wire) - </dateline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml">
        <head><title>Ferry crossings resume after harbour repairs</title></head>
        <body>
          <header><h1>Ferry crossings resume after harbour repairs</h1></header>
          <p>Port Aldren (Riverton Wire) - Ferries crossed the bay again on Tuesday
            after three weeks of pier repairs.</p>
          <h2>Repairs ahead of time</h2>
          <p>"The piles held better than we feared," said harbour master Owen Hart.</p>
          <ul><li>Morning: 7:00</li><li>Evening: 19:30</li></ul>
          <p></p>
        </body>
      </html>
    </inlineXML>
  </contentSet>
</newsItem>
""".encode()


def newsml_message(*, link=True):
    picture_guid = "urn:newsml:riverton-wire.example:2025:photo-7"
    link_xml = f'<link rel="irel:associatedWith" residref="{picture_guid}"/>'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<newsMessage xmlns="{NAR}">
  <header><sent>2025-06-03T18:31:00Z</sent></header>
  <itemSet>
    <newsItem guid="urn:newsml:riverton-wire.example:2025:other-photo" version="1">
      <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
      <contentMeta><headline>Another picture</headline>
        <description role="drol:caption">Gulls over the old pier.</description>
        <creditline>Riverton Wire</creditline></contentMeta>
    </newsItem>
    <newsItem guid="urn:newsml:riverton-wire.example:2025:tram-9" version="1">
      <itemMeta><itemClass qcode="ninat:text"/>
        <firstCreated>2025-06-03T07:15:00Z</firstCreated>
        {link_xml if link else ""}</itemMeta>
      <contentMeta><headline>Tram line vote set for July</headline>
        <by>By Jonah Pike and Ada Mensah</by>
        <located literal="Westmarch"/></contentMeta>
      <contentSet>
        <inlineXML contenttype="application/nitf+xml">
          <nitf><body><body.content>
            <p>WESTMARCH (Riverton Wire) — Councillors will vote on the tram
              line in July, the council said.</p>
            <hl2>What the line costs</hl2>
            <p>The line would cost 40 million, according to the council's figures.</p>
          </body.content></body></nitf>
        </inlineXML>
      </contentSet>
    </newsItem>
    <newsItem guid="{picture_guid}" version="1">
      <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
      <contentMeta>
        <headline>Tram depot</headline>
        <creator role="crol:photographer"><name>Ada Mensah</name></creator>
        <description role="drol:caption">The tram depot at Westmarch on
          Monday. (Photo by Ada Mensah/Riverton Wire)</description>
      </contentMeta>
      <contentSet>
        <remoteContent href="https://pictures.example/depot-small.jpg"
            contenttype="image/jpeg" width="400" height="300"/>
        <remoteContent href="https://pictures.example/depot-large.jpg"
            contenttype="image/jpeg" width="2000" height="1500"/>
      </contentSet>
    </newsItem>
  </itemSet>
</newsMessage>
""".encode()


PICTURE_ITEM = f"""<newsItem xmlns="{NAR}" guid="tag:pictures.example,2025:88">
  <itemMeta><itemClass qcode="ninat:picture"/>
    <firstCreated>2025-05-30T11:00:00Z</firstCreated></itemMeta>
  <contentMeta>
    <creator role="crol:photographer"><name>Teo Vance</name></creator>
    <creditline>Kestrel Pictures</creditline>
    <headline>Market hall roof goes up</headline>
    <description role="drol:caption">Builders lift the last roof panel onto the
      market hall in Kestrel Bay.</description>
  </contentMeta>
  <contentSet><remoteContent href="./kp-88.jpg" contenttype="image/jpeg"/></contentSet>
</newsItem>""".encode()

# ISO-8859-1 bytes, not UTF-8: "Café", "Süd", "Ærø" are single bytes here.
NITF_LATIN1 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<nitf version="-//IPTC//DTD NITF 3.6//EN" baselang="en-GB">
  <head>
    <title>Café Süd reopens on the Ærø ferry quay</title>
    <docdata>
      <doc-id regsrc="RWIRE" id-string="cafe-sud-2025-001"/>
      <date.issue norm="20250601T081500Z"/>
      <doc.copyright holder="Riverton Wire"/>
      <key-list><keyword key="cafés"/></key-list>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Café Süd reopens on the Ærø ferry quay </hl1>
        <hl2>Café Süd reopens on the Ærø ferry quay</hl2></hedline>
      <byline>By MARA ELLIS<byttl>Riverton Wire Food Writer</byttl></byline>
      <distributor>Riverton Wire</distributor>
      <dateline><location>KESTREL BAY</location></dateline>
    </body.head>
    <body.content>
      <p>KESTREL BAY (RW) &#8212; The quayside café reopened on Sunday after a winter
        of repairs to its façade.</p>
      <hl2>Queues at dawn</hl2>
      <p>"We sold out of pastries by nine," says owner Priya Nand.</p>
      <media media-type="image">
        <media-reference mime-type="image/jpeg" source="cafe-sud.jpg"/>
        <media-caption>The café terrace on Sunday.
          (Photo by Lucas Brandt/RW)</media-caption>
      </media>
      <p>&lt;div class="embed"&gt;&lt;/div&gt;&lt;script src="x.js"&gt;
        &lt;/script&gt;</p>
      <p>___</p>
      <p>Mara Ellis can be reached at the Riverton Wire food desk.</p>
    </body.content>
  </body>
</nitf>
""".encode("iso-8859-1")


def one(stories):
    assert len(stories) == 1
    return stories[0]


def test_newsml_xhtml_item_gives_every_field():
    story = one(read_newsml(parse_xml(NEWSML_XHTML)))
    assert story.format == "newsml"
    assert story.identity == "urn:newsml:riverton-wire.example:2025:ferry-42"
    assert story.headline == "Ferry crossings resume after harbour repairs"
    assert story.standfirst == "The evening service returns on Friday"
    assert story.authors == ["Lena Ortiz"]  # not the editor's login
    assert story.publication == "Riverton Wire"
    assert (story.dateline, story.agency) == ("Port Aldren", "Riverton Wire")
    assert story.published_at == datetime.datetime(
        2025, 6, 3, 16, 30, tzinfo=datetime.UTC
    )
    assert story.paragraphs == [
        "Ferries crossed the bay again on Tuesday after three weeks of pier repairs.",
        '"The piles held better than we feared," said harbour master Owen Hart.',
    ]
    assert "<h2>Repairs ahead of time</h2>" in story.body_html
    assert "<li>Evening: 19:30</li>" in story.body_html
    assert "<h1>" not in story.body_html and "<title>" not in story.body_html
    assert story.tags == ["ferries", "transport"]
    assert story.language == "en-GB"
    assert "Priya" not in repr(story)  # an editorial note is never read


def test_newsml_message_with_inline_nitf_takes_its_linked_picture():
    story = one(read_newsml(parse_xml(newsml_message())))
    assert story.headline == "Tram line vote set for July"
    assert story.authors == ["Jonah Pike", "Ada Mensah"]
    assert (story.dateline, story.agency) == ("Westmarch", "Riverton Wire")
    assert story.paragraphs[0].startswith("Councillors will vote")
    assert "<h2>What the line costs</h2>" in story.body_html
    assert story.photo.caption == "The tram depot at Westmarch on Monday."
    assert story.photo.credit == "Ada Mensah/Riverton Wire"
    assert story.photo.href == "https://pictures.example/depot-large.jpg"
    assert story.photo.filename == "depot-large.jpg"


def test_newsml_message_without_a_link_takes_the_first_picture():
    story = one(read_newsml(parse_xml(newsml_message(link=False))))
    assert story.photo.caption == "Gulls over the old pier."


def test_newsml_picture_item_alone_is_a_story_of_its_picture():
    story = one(read_newsml(parse_xml(PICTURE_ITEM)))
    assert story.headline == "Market hall roof goes up"
    assert story.authors == ["Teo Vance"]
    assert story.publication == "Kestrel Pictures"
    assert story.photo.caption.startswith("Builders lift the last roof panel")
    assert story.photo.credit == "Teo Vance/Kestrel Pictures"
    assert story.paragraphs == []


def test_nitf_in_iso_8859_1_is_read_as_declared():
    story = one(read_nitf(parse_xml(NITF_LATIN1)))
    assert story.format == "nitf"
    assert story.headline == "Café Süd reopens on the Ærø ferry quay"
    assert story.standfirst == ""  # hl2 only repeats the headline
    assert story.authors == ["MARA ELLIS"]
    assert story.publication == "Riverton Wire"
    assert (story.dateline, story.agency) == ("KESTREL BAY", "RW")
    assert story.published_at == datetime.datetime(
        2025, 6, 1, 8, 15, tzinfo=datetime.UTC
    )
    assert story.paragraphs == [
        "The quayside café reopened on Sunday after a winter of repairs to its façade.",
        '"We sold out of pastries by nine," says owner Priya Nand.',
    ]  # embed code, the ___ separator and the contact line are left out
    assert "<h2>Queues at dawn</h2>" in story.body_html
    assert "script" not in story.body_html
    assert (story.photo.caption, story.photo.credit) == (
        "The café terrace on Sunday.",
        "Lucas Brandt/RW",
    )
    assert story.identity == "nitf:RWIRE:cafe-sud-2025-001"


def test_nitf_byline_naming_an_outlet_gives_the_publication():
    document = NITF_LATIN1.replace(
        b"By MARA ELLIS<byttl>Riverton Wire Food Writer</byttl>",
        b"Mara Ellis / Tamsin Weekly",
    )
    story = one(read_nitf(parse_xml(document)))
    assert story.authors == ["Mara Ellis"]
    assert story.publication == "Tamsin Weekly"
    assert story.agency == "RW"


def test_nitf_summary_and_lede_paragraphs_are_no_body():
    summary = "Summary: the quay cafe is open again after its winter repairs."
    document = NITF_LATIN1.replace(
        b"<body.content>",
        b'<body.content><p lede="true">Pastries are back on the quay.</p>'
        + f'<p summary="true">{summary}</p>'.encode(),
    )
    story = one(read_nitf(parse_xml(document)))
    assert story.standfirst == "Pastries are back on the quay."
    assert len(story.paragraphs) == 2
    assert summary not in story.body_html


JSONLD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Westmarch library extends its opening hours",
    "description": "Readers asked for evenings; the council agreed.",
    "author": [
        {"@type": "Person", "name": "Ada Mensah"},
        {"@type": "Organization", "name": "Westmarch Gazette"},
    ],
    "publisher": {"@type": "Organization", "name": "Westmarch Gazette"},
    "datePublished": "2025-02-11T10:00:00+01:00",
    "dateModified": "2025-02-11T12:30:00+01:00",
    "dateline": "WESTMARCH",
    "url": "https://gazette.example/library-hours",
    "inLanguage": "en",
    "keywords": "libraries, council",
    "image": {
        "@type": "ImageObject",
        "url": "https://gazette.example/img/library.jpg",
        "caption": "The reading room on a weekday evening.",
        "creditText": "Teo Vance/Westmarch Gazette",
    },
    "articleBody": "WESTMARCH — The library will stay open until 9 p.m.\n\n"
    "\u201cEvenings are when students need us,\u201d said librarian Lucas Brandt.",
}


def test_jsonld_news_article_gives_every_field():
    story = one(read_jsonld(json.dumps(JSONLD)))
    assert story.format == "jsonld"
    assert story.headline == "Westmarch library extends its opening hours"
    assert story.standfirst == "Readers asked for evenings; the council agreed."
    assert story.authors == ["Ada Mensah"]  # the organisation is no byline
    assert story.publication == "Westmarch Gazette"
    assert story.dateline == "WESTMARCH"
    assert story.published_at.utcoffset() == datetime.timedelta(hours=1)
    assert story.updated_at is not None
    assert story.paragraphs[0] == "The library will stay open until 9 p.m."
    assert story.photo.caption == "The reading room on a weekday evening."
    assert story.photo.credit == "Teo Vance/Westmarch Gazette"
    assert story.canonical_url == story.identity == JSONLD["url"]
    assert story.tags == ["libraries", "council"]


def test_jsonld_graph_and_no_article():
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, JSONLD]}
    assert one(read_jsonld(json.dumps(graph))).headline.startswith("Westmarch")
    with pytest.raises(ParseError, match="no NewsArticle.*WebSite"):
        read_jsonld(json.dumps({"@context": "https://schema.org", "@type": "WebSite"}))


def test_jsonld_without_a_date_is_told_once_by_the_checks():
    undated = {k: v for k, v in JSONLD.items() if k != "datePublished"}
    story = one(read_jsonld(json.dumps(undated)))
    assert story.published_at is None and story.published_on is None
    warnings = check_story(story)
    assert [w for w in warnings if "date" in w] == [
        "date: none found in the copy; the story has no publication date "
        "and --publish keeps it a draft"
    ]


PARAGRAPHS = [
    "HOLLINS CROSS — The market hall reopened on Saturday after two years of "
    "building work, with sixty stalls selling bread, cheese, fish and flowers "
    "to a crowd that queued from early morning.",
    "“We waited a long time for this roof, and it was worth every month,” said "
    "stallholder Priya Nand, who has sold vegetables in the town for thirty years.",
    "The council spent four million on the building, which had leaked for a "
    "decade before the old roof was taken down in the spring of last year.",
    "Traders said the first weekend brought more customers than any since the "
    "hall closed, and several ran out of stock before the afternoon was over.",
    "The hall will open six days a week, and the council plans an evening market "
    "in the summer months if the first season goes well for the traders.",
]


def page(head, *, extra=""):
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{head}</head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article>
<h1>Market hall reopens in Hollins Cross</h1>
{paragraphs}
{extra}
</article></main>
<footer><p>Copyright the Hollins Cross Herald. All rights reserved.</p></footer>
<script>var tracking = "never part of the story";</script>
</body></html>""".encode()


PAGE_JSONLD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Market hall reopens in Hollins Cross",
    "description": "Sixty stalls are back under a new roof.",
    "author": {"@type": "Person", "name": "Jonah Pike"},
    "publisher": {"@type": "Organization", "name": "Hollins Cross Herald"},
    "datePublished": "2025-04-05T08:00:00+00:00",
    "url": "https://herald.example/market-hall",
    "image": {
        "@type": "ImageObject",
        "url": "https://herald.example/hall.jpg",
        "caption": "Stalls inside the new hall.",
        "creditText": "Ada Mensah/Herald",
    },
}


def test_web_page_with_json_ld():
    head = (
        '<script type="application/ld+json">{"@type": "BreadcrumbList",</script>'
        f'<script type="application/ld+json">{json.dumps(PAGE_JSONLD)}</script>'
    )
    story = read_webpage(page(head))
    assert story.format == "html"
    assert story.headline == "Market hall reopens in Hollins Cross"
    assert story.standfirst == "Sixty stalls are back under a new roof."
    assert story.authors == ["Jonah Pike"]
    assert story.publication == "Hollins Cross Herald"
    assert story.dateline == "HOLLINS CROSS"
    assert story.published_at == datetime.datetime(2025, 4, 5, 8, tzinfo=datetime.UTC)
    assert len(story.paragraphs) == 5
    assert story.paragraphs[0].startswith("The market hall reopened on Saturday")
    assert (story.photo.caption, story.photo.credit) == (
        "Stalls inside the new hall.",
        "Ada Mensah/Herald",
    )
    assert "tracking" not in story.body_html and "Home" not in story.body_html
    assert "Copyright" not in story.body_html
    assert story.language == "en"


def test_web_page_with_only_opengraph():
    head = (
        '<meta property="og:title" content="Market hall reopens in Hollins Cross">'
        '<meta property="og:site_name" content="Hollins Cross Herald">'
        '<meta property="og:description" content="Sixty stalls are back.">'
        '<meta property="og:url" content="https://herald.example/market-hall">'
        '<meta property="article:published_time" content="2025-04-05T09:30:00+02:00">'
        '<meta name="author" content="Jonah Pike">'
    )
    story = read_webpage(page(head))
    assert story.headline == "Market hall reopens in Hollins Cross"
    assert story.publication == "Hollins Cross Herald"
    assert story.standfirst == "Sixty stalls are back."
    assert story.published_at == datetime.datetime(
        2025, 4, 5, 7, 30, tzinfo=datetime.UTC
    )
    assert story.identity == "https://herald.example/market-hall"
    assert len(story.paragraphs) == 5


def test_web_page_end_note_gives_a_contributor():
    head = f'<script type="application/ld+json">{json.dumps(PAGE_JSONLD)}</script>'
    story = read_webpage(
        page(head, extra="<p>Lucas Brandt contributed to this report.</p>")
    )
    assert story.contributors == ["Lucas Brandt"]
    assert len(story.paragraphs) == 5


def test_web_page_in_latin_1_by_its_meta_charset():
    data = page("").replace(b'<meta charset="utf-8">', b'<meta charset="iso-8859-1">')
    data = data.decode().replace("flowers", "fleurs à gogo")
    data = data.encode("iso-8859-1", errors="xmlcharrefreplace")
    story = read_webpage(data)
    assert "fleurs à gogo" in story.paragraphs[0]


# Telling formats apart


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (NEWSML_XHTML, "newsml"),
        (newsml_message(), "newsml"),
        (NITF_LATIN1, "nitf"),
        (json.dumps(JSONLD).encode(), "jsonld"),
        (json.dumps({"uri": "urn:x", "headlines": []}).encode(), "ninjs"),
        (page(""), "html"),
        (b"Headline\n\nBody paragraph.\n", "text"),
    ],
)
def test_auto_tells_formats_apart_by_content(data, kind):
    assert detect(data).format == kind


def test_unknown_xml_is_refused_naming_what_it_is():
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'
    with pytest.raises(ParseError, match=r"RSS feed: an XML file whose root is <rss>"):
        detect(rss)
    other = b'<?xml version="1.0"?><catalogue xmlns="urn:example:c"><x/></catalogue>'
    with pytest.raises(ParseError, match=r"root is <catalogue> in urn:example:c"):
        detect(other)


def test_xml_is_never_read_as_plain_text():
    with pytest.raises(ParseError, match=r"XML, not plain text.*<newsItem>.*newsml"):
        refuse_xml_as_text(NEWSML_XHTML)


def test_malformed_xml_is_refused_with_its_line():
    with pytest.raises(ParseError, match=r"not well-formed XML: .*line 2"):
        detect(b'<?xml version="1.0"?>\n<nitf><body></nitf>')


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<nitf><body><body.head><hedline><hl1>&secret;</hl1></hedline></body.head>
<body.content><p>&secret;</p></body.content></body></nitf>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [
 <!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta>
<headline>&d;</headline></contentMeta></newsItem>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_xml_declaring_entities_is_refused(data):
    with pytest.raises(ParseError, match="declares entities"):
        detect(data)


def test_external_dtd_is_not_fetched_and_an_undefined_entity_refused():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/x.dtd">\n'
        b"<nitf><body><body.content><p>&nbsp;</p></body.content></body></nitf>"
    )
    with pytest.raises(ParseError):
        detect(data)


@pytest.mark.parametrize(
    ("paragraph", "place", "agency", "rest"),
    [
        ("NEW YORK (AP) — Shares rose.", "NEW YORK", "AP", "Shares rose."),
        ("SEOUL, South Korea — Votes.", "SEOUL, South Korea", "", "Votes."),
        ("BANGKOK: Ein Video.", "BANGKOK", "", "Ein Video."),
        ("Montpellier (SID) – Er gewann.", "Montpellier", "SID", "Er gewann."),
        ("TEGUCIGALPA, HONDURAS.- Tras.", "TEGUCIGALPA, HONDURAS", "", "Tras."),
        ("(ANSA) - Rome, October 11 - The.", "Rome", "ANSA", "The."),
        ("WASHINGTON • The report.", "WASHINGTON", "", "The report."),
    ],
)
def test_wire_datelines(paragraph, place, agency, rest):
    found = split_dateline(paragraph)
    assert (found.place, found.agency, found.rest) == (place, agency, rest)


def test_a_sentence_with_a_dash_is_no_dateline():
    assert split_dateline("The council met on Monday - and voted no.") is None
    assert split_dateline("Rome - the city said.", place="Paris") is None


def test_web_page_furniture_leaves_the_body():
    pull = "<blockquote>“We waited a long time for this roof.”</blockquote>"
    quote = "<blockquote>A poem about the hall by a local child, in full.</blockquote>"
    promo = "<p>READ MORE: Council approves the harbour plan for next year</p>"
    head = f'<script type="application/ld+json">{json.dumps(PAGE_JSONLD)}</script>'
    story = read_webpage(page(head, extra=pull + promo + quote))
    assert len(story.paragraphs) == 5
    assert "READ MORE" not in story.body_html
    assert "waited a long time for this roof.”</p></blockquote>" not in story.body_html
    assert "<blockquote><p>A poem about the hall" in story.body_html


def test_web_page_standfirst_printed_as_the_first_paragraph():
    perex = (
        "Sixty stalls are back under a new roof in Hollins Cross, two years after "
        "the old market hall closed for good."
    )
    jsonld = {**PAGE_JSONLD, "description": "Sixty stalls are back under a new roof "
              "in Hollins Cross after two years."}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    data = page(head).replace(
        b"<p>HOLLINS CROSS", f"<p>{perex}</p><p>HOLLINS CROSS".encode()
    )
    story = read_webpage(data)
    assert story.standfirst == perex
    assert len(story.paragraphs) == 5


def test_web_page_description_cut_short_is_no_standfirst():
    jsonld = {**PAGE_JSONLD, "description": PARAGRAPHS[0][:80] + " ..."}
    head = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    story = read_webpage(page(head))
    assert story.standfirst == ""
    assert len(story.paragraphs) == 5


def test_a_page_with_no_article_text_is_refused():
    data = (
        b"<!DOCTYPE html><html><head><title>Index</title></head><body><nav>"
        + (b"<a href='/a'>A</a>" * 5)
        + b"</nav></body></html>"
    )
    with pytest.raises(ParseError, match="no article text"):
        read_webpage(data)


def test_newsml_without_text_or_picture_items_is_refused():
    video = NEWSML_XHTML.replace(b'qcode="ninat:text"', b'qcode="ninat:video"')
    with pytest.raises(ParseError, match="no text or picture item.*video"):
        read_newsml(parse_xml(video))


def test_xhtml_document_head_is_never_a_subhead():
    item = NEWSML_XHTML.replace(b"<body>", b"").replace(b"</body>", b"")
    story = one(read_newsml(parse_xml(item)))
    assert "<h2>Ferry crossings" not in story.body_html
    assert len(story.paragraphs) == 2


def test_newsml_figure_in_the_xhtml_body_is_the_picture():
    figure = (
        b'<figure><img src="https://pictures.example/quay.jpg" alt="The quay"/>'
        b"<figcaption>The ferry quay at dawn. (Photo by Teo Vance/RW)</figcaption>"
        b"</figure>"
    )
    item = NEWSML_XHTML.replace(b"<h2>", figure + b"<h2>", 1)
    story = one(read_newsml(parse_xml(item)))
    assert (story.photo.caption, story.photo.credit) == (
        "The ferry quay at dawn.",
        "Teo Vance/RW",
    )
    assert story.photo.filename == "quay.jpg"
    assert "ferry quay at dawn" not in " ".join(story.paragraphs)


def test_a_subhead_with_nothing_under_it_goes():
    item = NEWSML_XHTML.replace(
        b"<h2>Repairs ahead of time</h2>",
        b"<h2>Most read</h2><h2>Repairs ahead of time</h2>",
    ).replace(b"<p></p>", b"<h3>Embed</h3>")
    story = one(read_newsml(parse_xml(item)))
    assert "Most read" not in story.body_html and "Embed" not in story.body_html
    assert "<h2>Repairs ahead of time</h2>" in story.body_html


def test_jsonld_graph_references_are_followed():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {**JSONLD, "author": {"@id": "#ada"}, "publisher": {"@id": "#gazette"},
             "image": {"@id": "#picture"}},
            {"@type": "Person", "@id": "#ada", "name": "Ada Mensah"},
            {"@type": "Organization", "@id": "#gazette", "name": "Westmarch Gazette"},
            {"@type": "ImageObject", "@id": "#picture", "caption": "The reading room.",
             "url": "https://gazette.example/img/room.jpg"},
        ],
    }  # fmt: skip
    story = one(read_jsonld(json.dumps(graph)))
    assert story.authors == ["Ada Mensah"]
    assert story.publication == "Westmarch Gazette"
    assert story.photo.caption == "The reading room."


def test_a_newsml_package_is_refused_naming_what_it_is():
    package = f'<packageItem xmlns="{NAR}" guid="p1"><groupSet/></packageItem>'
    with pytest.raises(ParseError, match="a NewsML-G2 package .*root is <packageItem>"):
        detect(package.encode())
