"""The ninjs reader turns IPTC News in JSON items into StoryData, without a database."""

import datetime
import json

import pytest

from articles.importing.data import ItemError, ParseError, PhotoData
from articles.importing.ninjs import looks_like_ninjs, read_ninjs
from tests.conftest import shared_file

from ..markup import parse

DPA_SAMPLE = "samples/ninjs/ninjs-3.0-dpa-faktencheck-derby-elfmeter.json"
TT_SAMPLE = "samples/ninjs/ttninjs-2.1-tt-militarovning-text-image.json"

HEADLINE = "Riverton council approves budget with new money for flood defences"
SUMMARY = "Councillors voted eight to three for a plan that raises parking fees."
FIRST = "The city council on Tuesday approved a $48 million budget."
SECOND = "Parking fees rise by 5% & the levee fund gets $6 million."
CAPTION = "Mayor Ana Ruiz speaks before the vote."


def ninjs3(**changes) -> dict:
    """A ninjs 3.x text item (camelCase) with one picture, changes applied."""
    item = {
        "uri": "urn:riverton-ledger:story:2024-0305-budget",
        "type": "text",
        "headlines": [
            {"role": "subtitle", "value": "Levees first"},
            {"role": "main", "value": HEADLINE},
        ],
        "descriptions": [{"role": "summary", "value": SUMMARY}],
        "bodies": [
            {"role": "text", "contentType": "text/plain", "value": "ignored"},
            {
                "role": "main",
                "contentType": "text/html",
                "value": f"<p>{FIRST}</p><p>Parking fees rise by 5% &amp; the "
                "levee fund gets $6&nbsp;million.</p>",
            },
        ],
        "by": "By Dana Whitfield and Omar Haddad",
        "people": [
            {"name": "Lena Park", "rel": "author"},
            {"name": "Ana Ruiz", "rel": "mentioned"},
        ],
        "located": "Riverton",
        "firstCreated": "2024-03-05T18:30:00Z",
        "versionCreated": "2024-03-06T08:00:00+01:00",
        "copyrightHolder": "The Riverton Ledger",
        "language": "en",
        "subjects": [{"name": "Local government", "uri": "http://example.org/s/1"}],
        "keywords": ["budget", "flooding", "Local Government"],
        "links": [
            {"rel": "alternate", "href": "https://ledger.example/amp/budget"},
            {"rel": "canonical", "href": "https://ledger.example/news/budget"},
        ],
        "associations": [
            {
                "name": "featureimage",
                "type": "picture",
                "uri": "urn:riverton-ledger:picture:ruiz-vote",
                "descriptions": [
                    {"role": "caption", "value": CAPTION},
                    {"role": "alternative-text", "value": "A woman at a lectern."},
                ],
                "by": "Tom Breck/The Riverton Ledger",
                "renditions": [
                    {
                        "name": "thumbnail",
                        "href": "https://cdn.ledger.example/ruiz_thumb.jpg",
                        "width": 200,
                        "height": 133,
                    },
                    {
                        "name": "original",
                        "href": "https://cdn.ledger.example/img/ruiz_vote.jpg?v=2",
                        "width": 3000,
                        "height": 2000,
                    },
                ],
            }
        ],
    }
    item.update(changes)
    return {key: value for key, value in item.items() if value is not None}


def ninjs2(**changes) -> dict:
    """A ninjs 2.x text item (lowercase names, dict associations)."""
    item = {
        "uri": "https://ledger.example/news/harbour-bridge",
        "type": "text",
        "headlines": [{"value": "Harbour bridge closes for repairs"}],
        "descriptions": [{"value": "The bridge will be shut for six weeks."}],
        "bodies": [
            {"role": "nitf", "contenttype": "application/xml", "value": "<nitf/>"},
            {
                "role": "text",
                "contenttype": "text/plain",
                "value": "Harbour bridge closes for repairs\nThe bridge shuts on "
                "Monday.\nDrivers should use the ring road.",
            },
        ],
        "by": "Omar Haddad, Lena Park",
        "located": "HARBOR CITY",
        "firstcreated": "2024-04-02",
        "copyrightholder": "Riverton Post",
        "language": "en-GB",
        "associations": {
            "photo1": {
                "type": "image",
                "uri": "urn:riverton-post:image:bridge",
                "body_text": "The bridge at dusk.",
                "copyrightholder": "Riverton Post",
                "renditions": {
                    "small": {"href": "https://cdn.example/bridge_s.jpg", "width": 400},
                    "large": {
                        "href": "https://cdn.example/bridge_l.jpg",
                        "sizeinbytes": 900000,
                    },
                },
            }
        },
    }
    item.update(changes)
    return {key: value for key, value in item.items() if value is not None}


def read_one(item) -> "object":
    [story] = read_ninjs(json.dumps(item))
    return story


def test_ninjs3_item_gives_every_field():
    story = read_one(ninjs3())

    assert story.format == "ninjs"
    assert story.identity == "urn:riverton-ledger:story:2024-0305-budget"
    assert story.headline == HEADLINE
    assert story.standfirst == SUMMARY
    assert story.authors == ["Dana Whitfield", "Omar Haddad", "Lena Park"]
    assert story.publication == "The Riverton Ledger"
    assert story.canonical_url == "https://ledger.example/news/budget"
    assert story.published_at == datetime.datetime(
        2024, 3, 5, 18, 30, tzinfo=datetime.UTC
    )
    assert story.published_on is None
    assert story.dateline == "Riverton"
    assert story.paragraphs == [FIRST, SECOND.replace("$6 ", "$6\xa0")]
    assert story.body_html == ninjs3()["bodies"][1]["value"]
    assert story.tags == ["Local government", "budget", "flooding"]
    assert story.language == "en"
    assert story.photo == PhotoData(
        filename="ruiz_vote.jpg",
        caption=CAPTION,
        credit="Tom Breck/The Riverton Ledger",
        alt_text="A woman at a lectern.",
        href="https://cdn.ledger.example/img/ruiz_vote.jpg?v=2",
    )
    assert story.sources == [] and story.quotes == []


def test_ninjs2_item_with_lowercase_names_and_dict_associations():
    story = read_one(ninjs2())

    assert story.identity == "https://ledger.example/news/harbour-bridge"
    assert story.headline == "Harbour bridge closes for repairs"
    assert story.standfirst == "The bridge will be shut for six weeks."
    assert story.authors == ["Omar Haddad", "Lena Park"]
    assert story.publication == "Riverton Post"
    assert story.dateline == "HARBOR CITY"
    assert story.language == "en-GB"
    assert story.paragraphs == [
        "The bridge shuts on Monday.",
        "Drivers should use the ring road.",
    ]
    body = parse(story.body_html)
    assert body.tags() == {"p"}
    assert [p.text for p in body.find_all("p")] == story.paragraphs
    assert story.photo == PhotoData(
        filename="bridge_l.jpg",
        caption="The bridge at dusk.",
        credit="Riverton Post",
        href="https://cdn.example/bridge_l.jpg",
    )


def test_date_only_value_sets_the_publication_day():
    story = read_one(ninjs2())

    assert story.published_on == datetime.date(2024, 4, 2)
    assert story.published_at is None


def test_uri_of_a_text_item_served_over_http_is_the_canonical_url():
    assert (
        read_one(ninjs2()).canonical_url == "https://ledger.example/news/harbour-bridge"
    )


def test_urn_without_links_gives_no_canonical_url():
    assert read_one(ninjs3(links=None)).canonical_url == ""


def test_http_uri_of_a_non_text_item_is_not_a_canonical_url():
    story = read_one(ninjs2(type="composite"))

    assert story.canonical_url == ""


def test_self_link_is_the_canonical_url():
    links = [{"rel": "self", "href": "https://ledger.example/news/self"}]

    assert read_one(ninjs3(links=links)).canonical_url == (
        "https://ledger.example/news/self"
    )


def test_first_created_is_preferred_to_version_created():
    story = read_one(ninjs3())

    assert story.published_at == datetime.datetime(
        2024, 3, 5, 18, 30, tzinfo=datetime.UTC
    )


def test_version_created_is_used_when_first_created_is_missing():
    story = read_one(ninjs3(firstCreated=None))

    assert story.published_at == datetime.datetime(
        2024, 3, 6, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )


def test_content_created_is_used_when_it_is_the_only_date():
    story = read_one(
        ninjs3(
            firstCreated=None,
            versionCreated=None,
            contentCreated="2024-03-04T22:15:00-05:00",
        )
    )

    assert story.published_at == datetime.datetime(
        2024, 3, 5, 3, 15, tzinfo=datetime.UTC
    )


def test_datetime_without_offset_is_taken_as_utc():
    story = read_one(ninjs3(firstCreated="2024-03-05T18:30:00"))

    assert story.published_at == datetime.datetime(
        2024, 3, 5, 18, 30, tzinfo=datetime.UTC
    )
    assert story.published_at.tzinfo is not None


def test_item_without_dates_has_no_publication_time():
    story = read_one(ninjs3(firstCreated=None, versionCreated=None))

    assert story.published_at is None
    assert story.published_on is None


def test_first_headline_is_used_without_a_main_role():
    headlines = [{"role": "short", "value": "Budget passes"}, {"value": HEADLINE}]

    assert read_one(ninjs3(headlines=headlines)).headline == "Budget passes"


def test_html_headline_is_read_as_plain_text():
    headlines = [
        {"contentType": "text/html", "value": "Budget <em>passes</em> &amp; more"}
    ]

    assert read_one(ninjs3(headlines=headlines)).headline == "Budget passes & more"


def test_description_roles_other_than_summary_are_not_the_standfirst():
    descriptions = [
        {"role": "caption", "value": "Not a standfirst."},
        {"role": "text", "value": SUMMARY},
    ]

    assert read_one(ninjs3(descriptions=descriptions)).standfirst == SUMMARY


def test_item_without_descriptions_has_no_standfirst():
    assert read_one(ninjs3(descriptions=None)).standfirst == ""


def test_html_body_is_split_at_paragraphs_line_breaks_and_blocks():
    markup = (
        "<section><h2>Levees first</h2><p>One<br>Two</p>"
        "<blockquote>“We will fix it,” Ruiz said.</blockquote>"
        "<ul><li>Fees &lt;up&gt;</li></ul></section>"
    )
    story = read_one(ninjs3(bodies=[{"contentType": "text/html", "value": markup}]))

    assert story.paragraphs == [
        "Levees first",
        "One",
        "Two",
        "“We will fix it,” Ruiz said.",
        "Fees <up>",
    ]
    assert story.body_html == markup


def test_html_body_leaves_out_head_figures_and_loose_labels():
    markup = (
        f"<html><head><title>{HEADLINE}</title></head><body><h1>{HEADLINE}</h1>"
        "<div class='dat'><span>Politics</span><span>RL</span></div>"
        f"<p>{FIRST}</p><figure><img src='x.jpg'><figcaption>{CAPTION}</figcaption>"
        "</figure></body></html>"
    )
    story = read_one(ninjs3(bodies=[{"contentType": "text/html", "value": markup}]))

    assert story.paragraphs == [FIRST]


def test_html_body_without_paragraph_elements_splits_at_breaks():
    markup = f"{FIRST}<br/><br/>Second line<div>Third block</div>"
    story = read_one(ninjs3(bodies=[{"role": "html", "value": markup}]))

    assert story.paragraphs == [FIRST, "Second line", "Third block"]


def test_text_body_with_blank_lines_joins_wrapped_lines():
    text = "The city council on Tuesday\napproved a budget.\n\nFees rise."
    story = read_one(ninjs3(bodies=[{"contentType": "text/plain", "value": text}]))

    assert story.paragraphs == [
        "The city council on Tuesday approved a budget.",
        "Fees rise.",
    ]
    body = parse(story.body_html)
    assert body.tags() == {"p"}
    assert [p.text for p in body.find_all("p")] == story.paragraphs


def test_text_body_is_html_escaped():
    body = [{"value": "Fees rise by 5% & more <soon>."}]

    html = parse(read_one(ninjs3(bodies=body)).body_html)
    assert html.tags() == {"p"}  # "<soon>" is text, not an element
    assert html.text == "Fees rise by 5% & more <soon>."


def test_ninjs1_fields_are_read():
    item = {
        "uri": "urn:riverton-ledger:story:old",
        "headline": HEADLINE,
        "description_text": SUMMARY,
        "body_html": f"<p>{FIRST}</p>",
        "byline": "Dana Whitfield",
        "versioncreated": "2015-06-01T12:00:00Z",
    }
    story = read_one(item)

    assert story.headline == HEADLINE
    assert story.standfirst == SUMMARY
    assert story.paragraphs == [FIRST]
    assert story.body_html == f"<p>{FIRST}</p>"
    assert story.authors == ["Dana Whitfield"]
    assert story.published_at == datetime.datetime(2015, 6, 1, 12, tzinfo=datetime.UTC)


def test_byline_naming_the_publication_gives_only_the_people():
    story = read_one(ninjs3(by="Von Dana Whitfield, The Riverton Ledger", people=None))

    assert story.authors == ["Dana Whitfield"]


def test_picture_caption_falls_back_to_its_headline_and_credit_line():
    picture = {
        "name": "pic",
        "type": "picture",
        "uri": "urn:riverton-ledger:picture:levee",
        "headlines": [{"value": "The levee at Mill River."}],
        "creditline": "Tom Breck",
        "by": "Someone Else",
    }
    story = read_one(ninjs3(associations=[picture]))

    assert story.photo == PhotoData(
        filename="levee", caption="The levee at Mill River.", credit="Tom Breck"
    )


def test_associations_that_are_not_pictures_give_no_photo():
    video = {"name": "clip", "type": "video", "uri": "urn:riverton-ledger:video:1"}

    assert read_one(ninjs3(associations=[video])).photo is None
    assert read_one(ninjs3(associations=None)).photo is None


def test_list_of_items_gives_one_story_each():
    stories = read_ninjs(json.dumps([ninjs3(), ninjs2()]))

    assert [story.headline for story in stories] == [
        HEADLINE,
        "Harbour bridge closes for repairs",
    ]


def test_a_bad_item_in_a_list_is_named_and_the_others_are_still_read():
    bad = ninjs2(headlines=[], headline="", uri="urn:test:bad")
    first, second, third = read_ninjs(json.dumps([ninjs3(), bad, ninjs2()]))

    assert first.headline == HEADLINE
    assert third.headline == "Harbour bridge closes for repairs"
    assert isinstance(second, ItemError)
    assert (second.number, second.headline) == (2, "urn:test:bad")
    assert second.error.describe() == "headline: missing in urn:test:bad"


def test_item_in_a_list_that_is_not_an_object_is_named():
    error, story = read_ninjs(json.dumps(["story", ninjs3()]))

    assert isinstance(error, ItemError) and error.number == 1
    assert error.error.describe() == "expected an object, not a string"
    assert story.headline == HEADLINE


def test_json_nested_too_deeply_is_refused_in_one_message():
    with pytest.raises(ParseError, match="^deep.json: the JSON is nested too deeply"):
        read_ninjs(
            '{"uri": ' + "[" * 200_000 + "]" * 200_000 + "}", filename="deep.json"
        )


def test_a_picture_address_that_is_not_a_url_is_taken_as_a_name():
    picture = {"type": "picture", "renditions": [{"href": "http://[::1/pic.jpg"}]}
    story = read_one(ninjs3(associations=[picture]))

    assert story.photo.filename == "pic.jpg"


def test_a_number_too_long_to_read_is_refused_in_one_message():
    with pytest.raises(ParseError, match="^invalid JSON: Exceeds the limit"):
        read_ninjs('{"uri": ' + "1" * 5000 + "}")


def test_error_message_names_the_file():
    with pytest.raises(ParseError, match="^budget.json: invalid JSON"):
        read_ninjs("{", filename="budget.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "^empty file"),
        ('{"uri": "urn:x",', "^invalid JSON: .* at line 1 column"),
        ('"a story"', "^expected a ninjs object or a list of them, not a string"),
        ("42", "^expected a ninjs object or a list of them, not a number"),
        ("null", "^expected a ninjs object or a list of them, not null"),
        ("[]", "^the list holds no ninjs items"),
    ],
    ids=["empty", "invalid", "string", "number", "null", "empty-list"],
)
def test_text_that_is_not_ninjs_is_refused(text, message):
    with pytest.raises(ParseError, match=message):
        read_ninjs(text)


def test_item_without_uri_is_refused():
    with pytest.raises(ParseError, match="^missing") as refused:
        read_one(ninjs3(uri=None))
    assert refused.value.field == "uri"


def test_item_without_headline_is_refused():
    with pytest.raises(ParseError, match="^missing in urn:") as refused:
        read_one(ninjs3(headlines=[{"role": "main", "value": "  "}]))
    assert refused.value.field == "headline"


def test_item_without_body_is_refused():
    with pytest.raises(ParseError, match="^no text in urn:") as refused:
        read_one(ninjs3(bodies=[{"contentType": "application/xml", "value": "<a/>"}]))
    assert refused.value.field == "body"


@pytest.mark.parametrize("value", ["2024-02-30T10:00:00Z", "2024-02-30", "yesterday"])
def test_impossible_date_is_refused(value):
    with pytest.raises(ParseError, match=f"^impossible date '{value}'") as refused:
        read_one(ninjs3(firstCreated=value))
    assert refused.value.describe().startswith("firstCreated: impossible date")


def test_bom_before_json_is_tolerated():
    [story] = read_ninjs("\ufeff" + json.dumps(ninjs3()))

    assert story.headline == HEADLINE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"uri": "x"}', True),
        ("\ufeff\n  [ {} ]", True),
        ("Riverton council approves budget", False),
        ("", False),
    ],
)
def test_looks_like_ninjs_checks_the_first_non_space_character(text, expected):
    assert looks_like_ninjs(text) is expected


# Real items from news agencies (not ours): read from the shared folder.


def read_sample(name):
    path = shared_file(name)
    [story] = read_ninjs(path.read_text(encoding="utf-8"), filename=path.name)
    return story


def test_dpa_ninjs3_sample_is_read():
    story = read_sample(DPA_SAMPLE)

    assert story.identity == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert story.headline == (
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    )
    assert story.authors == ["Christian Hollmann"]
    assert story.publication == "dpa"
    assert story.language == "de"
    assert story.published_at == datetime.datetime(
        2019, 5, 10, 14, 2, 28, tzinfo=datetime.UTC
    )
    assert story.canonical_url == ""
    assert len(story.paragraphs) == 9
    assert story.paragraphs[0].startswith("Für Lucien Favre war es")
    assert story.body_html.startswith('<section class="main"><p>')
    assert story.photo is None


def test_tt_ninjs2_sample_with_picture_is_read():
    story = read_sample(TT_SAMPLE)

    assert story.identity == "http://tt.se/media/text/210526-militarovning-a0f2d045"
    assert story.headline == "Militärövning i jätteformat hålls 2023"
    assert story.standfirst.startswith("Pandemin satte stopp")
    assert story.publication == "TT"
    assert story.language == "sv"
    assert story.canonical_url == story.identity
    assert story.published_at == datetime.datetime(
        2021, 5, 26, 11, 40, 18, tzinfo=datetime.UTC
    )
    assert story.tags == ["Krig, konflikter och oroligheter"]
    assert len(story.paragraphs) == 4
    assert story.paragraphs[0].startswith("Pandemin satte stopp")
    assert story.paragraphs[1].startswith("Aurora 2023 kommer att")
    assert story.photo.filename == "a001_NormalHires.jpg"
    assert story.photo.href.endswith("/a001_NormalHires.jpg")
    assert story.photo.credit == "Karl Melander/TT"
    assert story.photo.caption.startswith("En stor internationell försvarsövning")


def test_originating_publication_gives_publication_and_canonical_url():
    item = ninjs3(
        uri="https://newsroom.example/city/tram-strike/",
        infoSources=[
            {
                "name": "The Riverton Courier",
                "role": "originator",
                "uri": "https://courier.example/2025/tram-strike",
            }
        ],
    )
    story = read_one(item)
    assert story.publication == "The Riverton Courier"
    assert story.canonical_url == "https://courier.example/2025/tram-strike"
