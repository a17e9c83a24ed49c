"""The syndicated-text reader turns pasted copy into StoryData, without a database."""

import datetime

import pytest

from articles.importing.data import ParseError, PhotoData
from articles.importing.text import FURNITURE, decode, read_text, story_key
from tests.conftest import shared_file

from ..markup import parse

SEED = "seed/rcaf-delegation-china.txt"

HEADLINE = "Riverton council approves budget with new money for flood defences"
STANDFIRST = (
    "Councillors voted eight to three for a plan that raises parking fees to pay "
    "for levee repairs along the Mill River."
)
AUTHOR = "Dana Whitfield"
PUBLICATION = "The Riverton Ledger"
PICTURE = "riverton_council_budget_vote.jpg"
CAPTION = "Mayor Ana Ruiz (left) speaks before the vote on Tuesday."
CREDIT = "TOM BRECK/ THE RIVERTON LEDGER"
DATE = "March 5, 2024"
FIRST = (
    "The city council on Tuesday approved a $48 million budget that sets aside "
    "$6 million for repairs to the levees along the Mill River."
)
SECOND = (
    "The vote – the first under the new council rules – came after a four-hour "
    "hearing at City Hall."
)
THIRD = "“We cannot wait for the next flood to fix this,” Mayor Ana Ruiz said."


def copy(*blocks: str) -> str:
    """Blocks joined the way syndicated copy separates them."""
    return "\n\n".join(blocks)


def full_copy(**changes: str) -> str:
    """The complete Riverton story, with any block replaced ("" drops it)."""
    blocks = {
        "headline": HEADLINE,
        "standfirst": STANDFIRST,
        "byline": AUTHOR,
        "author_card": AUTHOR,
        "publication": PUBLICATION,
        "picture": PICTURE,
        "caption": f"{CAPTION} PHOTO: {CREDIT}",
        "date": DATE,
        "first": f"RIVERTON – {FIRST}",
        "second": SECOND,
        "third": THIRD,
        "furniture": "scroll to top",
    } | changes
    return copy(*(block for block in blocks.values() if block))


def test_complete_copy_gives_every_field():
    story = read_text(full_copy())

    assert story.format == "text"
    assert story.headline == HEADLINE
    assert story.standfirst == STANDFIRST
    assert story.authors == [AUTHOR]
    assert story.publication == PUBLICATION
    assert story.published_on == datetime.date(2024, 3, 5)
    assert story.published_at is None
    assert story.dateline == "RIVERTON"
    assert story.photo == PhotoData(filename=PICTURE, caption=CAPTION, credit=CREDIT)
    assert story.paragraphs == [FIRST, SECOND, THIRD]
    assert story.canonical_url == ""
    assert story.sources == [] and story.quotes == []
    assert story.identity == story_key(PUBLICATION, HEADLINE, datetime.date(2024, 3, 5))


def test_body_html_is_escaped_paragraphs():
    story = read_text(copy(HEADLINE, "Fees rise by 5% & parking <free> ends."))

    body = parse(story.body_html)
    assert body.tags() == {"p"}  # "<free>" is text, not an element
    assert body.text == "Fees rise by 5% & parking <free> ends."


def test_body_html_has_one_paragraph_element_per_paragraph():
    story = read_text(full_copy())

    body = parse(story.body_html)
    assert body.tags() == {"p"}
    assert [p.text for p in body.find_all("p")] == [FIRST, SECOND, THIRD]


def test_author_named_in_byline_and_author_card_is_one_author():
    assert read_text(full_copy()).authors == ["Dana Whitfield"]


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Dana Whitfield and Omar Haddad", ["Dana Whitfield", "Omar Haddad"]),
        (
            "Dana Whitfield, Omar Haddad and Lena Park",
            ["Dana Whitfield", "Omar Haddad", "Lena Park"],
        ),
        ("Dana Whitfield & Omar Haddad", ["Dana Whitfield", "Omar Haddad"]),
        ("By Dana Whitfield", ["Dana Whitfield"]),
        ("Dana Whitfield and Dana Whitfield", ["Dana Whitfield"]),
    ],
)
def test_byline_is_split_into_separate_authors(byline, authors):
    story = read_text(full_copy(byline=byline, author_card=byline))

    assert story.authors == authors
    assert story.publication == PUBLICATION


def test_repeated_authors_are_removed_keeping_first_order():
    story = read_text(
        full_copy(byline="Omar Haddad and Dana Whitfield", author_card=AUTHOR)
    )

    assert story.authors == ["Omar Haddad", "Dana Whitfield"]


def test_publication_named_like_a_newspaper_is_recognised_without_an_author():
    story = read_text(full_copy(byline="", author_card="", publication="Riverton Post"))

    assert story.authors == []
    assert story.publication == "Riverton Post"


def test_single_name_line_is_an_author():
    story = read_text(full_copy(author_card="", publication=""))

    assert story.authors == [AUTHOR]
    assert story.publication == ""


def test_copy_without_picture_has_no_photo():
    story = read_text(full_copy(picture="", caption=""))

    assert story.photo is None
    assert story.paragraphs == [FIRST, SECOND, THIRD]
    assert story.published_on == datetime.date(2024, 3, 5)


def test_picture_without_caption_keeps_the_file_name():
    story = read_text(full_copy(caption=""))

    assert story.photo == PhotoData(filename=PICTURE)


def test_copy_without_standfirst_goes_straight_to_details():
    story = read_text(full_copy(standfirst=""))

    assert story.standfirst == ""
    assert story.authors == [AUTHOR]
    assert story.paragraphs == [FIRST, SECOND, THIRD]


def test_standfirst_followed_directly_by_the_dateline_paragraph():
    story = read_text(copy(HEADLINE, STANDFIRST, f"RIVERTON – {FIRST}", SECOND))

    assert story.standfirst == STANDFIRST
    assert story.paragraphs == [FIRST, SECOND]
    assert story.published_on is None


def test_copy_with_only_headline_and_body():
    story = read_text(copy(HEADLINE, FIRST, SECOND))

    assert story.standfirst == ""
    assert story.dateline == ""
    assert story.paragraphs == [FIRST, SECOND]
    assert story.identity == story_key("", HEADLINE, None)


@pytest.mark.parametrize("dash", ["–", "—", "-", "‒", "―", "--"])
def test_dateline_accepts_every_dash(dash):
    story = read_text(full_copy(first=f"RIVERTON {dash} {FIRST}"))

    assert story.dateline == "RIVERTON"
    assert story.paragraphs[0] == FIRST


@pytest.mark.parametrize(
    "place", ["PHNOM PENH", "SIEM REAP", "WASHINGTON, DC", "KAMPONG CHAM PROVINCE"]
)
def test_dateline_of_several_words_is_removed_from_first_paragraph(place):
    story = read_text(full_copy(first=f"{place} – {FIRST}"))

    assert story.dateline == place
    assert story.paragraphs[0] == FIRST


def test_dash_inside_a_sentence_is_not_a_dateline():
    story = read_text(full_copy(first=SECOND, second=FIRST))

    assert story.dateline == ""
    assert story.paragraphs[0] == SECOND


def test_only_first_body_paragraph_can_carry_the_dateline():
    later = f"HARBOR CITY – {THIRD}"
    story = read_text(full_copy(third=later))

    assert story.dateline == "RIVERTON"
    assert story.paragraphs[2] == later


SCENE = "Mayor Ana Ruiz at City Hall"


@pytest.mark.parametrize(
    ("caption", "expected_caption", "credit"),
    [
        (f"{SCENE}. PHOTO: TOM BRECK", f"{SCENE}.", "TOM BRECK"),
        (f"{SCENE}. Photo: Tom Breck", f"{SCENE}.", "Tom Breck"),
        (f"{SCENE}. photo: Tom Breck.", f"{SCENE}.", "Tom Breck"),
        (f"{SCENE} (Tom Breck/Riverton Ledger)", SCENE, "Tom Breck/Riverton Ledger"),
        (f"{SCENE}. Credit: Tom Breck", f"{SCENE}.", "Tom Breck"),
        (f"{SCENE}. Photograph: Tom Breck", f"{SCENE}.", "Tom Breck"),
        (f"{SCENE}. PHOTOGRAPH BY TOM BRECK", f"{SCENE}.", "TOM BRECK"),
        (f"{SCENE} (left)", f"{SCENE} (left)", ""),
        (f"{SCENE}.", f"{SCENE}.", ""),
    ],
)
def test_caption_credit_is_split_off_in_its_usual_forms(
    caption, expected_caption, credit
):
    story = read_text(full_copy(caption=caption))

    assert story.photo == PhotoData(
        filename=PICTURE, caption=expected_caption, credit=credit
    )
    assert story.paragraphs == [FIRST, SECOND, THIRD]


def test_caption_with_credit_is_recognised_without_a_picture_file():
    story = read_text(full_copy(picture=""))

    assert story.photo == PhotoData(caption=CAPTION, credit=CREDIT)


@pytest.mark.parametrize("furniture", FURNITURE)
def test_trailing_furniture_lines_are_dropped(furniture):
    story = read_text(full_copy(furniture=furniture.title()))

    assert story.paragraphs == [FIRST, SECOND, THIRD]


def test_furniture_glued_to_the_last_line_is_dropped():
    story = read_text(full_copy(third=THIRD + "scroll to top", furniture=""))

    assert story.paragraphs[-1] == THIRD
    assert "scroll to top" not in story.body_html


def test_several_furniture_lines_are_all_dropped():
    furniture = "Share this article\nAdvertisement\n\nRead more\n\nBack to top"
    story = read_text(full_copy(furniture=furniture))

    assert story.paragraphs == [FIRST, SECOND, THIRD]


def test_crlf_bom_extra_blank_lines_and_spaces_are_tolerated():
    messy = "\ufeff\r\n  " + full_copy().replace("\n\n", "  \r\n \r\n\r\n\t") + "\r\n"
    story = read_text(messy)

    assert story == read_text(full_copy())


def test_hard_wrapped_paragraph_lines_are_joined():
    wrapped = "RIVERTON – The city council on Tuesday approved\na $48 million budget."
    story = read_text(full_copy(first=wrapped))

    assert (
        story.paragraphs[0]
        == "The city council on Tuesday approved a $48 million budget."
    )


def test_copy_without_blank_lines_reads_each_line_as_a_block():
    story = read_text(full_copy().replace("\n\n", "\n"))

    assert story == read_text(full_copy())


@pytest.mark.parametrize(
    "written",
    [
        "March 5, 2024",
        "5 March 2024",
        "Mar 5, 2024",
        "2024-03-05",
        "Tuesday, March 5, 2024",
    ],
)
def test_date_line_is_read_in_common_forms(written):
    story = read_text(full_copy(date=written))

    assert story.published_on == datetime.date(2024, 3, 5)
    assert story.published_at is None


def test_date_without_a_time_sets_only_the_publication_day():
    story = read_text(full_copy())

    assert story.published_on == datetime.date(2024, 3, 5)
    assert story.published_at is None


def test_copy_without_date_has_no_publication_day():
    story = read_text(full_copy(date=""))

    assert story.published_on is None
    assert story.paragraphs == [FIRST, SECOND, THIRD]


def test_impossible_date_is_refused():
    with pytest.raises(ParseError, match="impossible date 'February 30, 2024'"):
        read_text(full_copy(date="February 30, 2024"))


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "\ufeff"])
def test_empty_copy_is_refused(text):
    with pytest.raises(ParseError, match="^empty copy"):
        read_text(text)


def test_copy_with_nul_characters_is_refused_as_binary():
    with pytest.raises(ParseError, match="^binary data"):
        read_text("GIF89a\x00\x01\x02 headline")


def test_mostly_unprintable_copy_is_refused_as_binary():
    with pytest.raises(ParseError, match="^binary data"):
        read_text("".join(chr(c) for c in range(1, 31) if chr(c) not in "\t\n\r") * 3)


@pytest.mark.parametrize(
    "first_block",
    [DATE, PICTURE, f"RIVERTON – {FIRST}"],
    ids=["date", "picture", "body"],
)
def test_copy_without_headline_is_refused(first_block):
    with pytest.raises(ParseError, match="^no headline"):
        read_text(copy(first_block, SECOND, THIRD))


def test_headline_opening_with_capitals_and_a_dash_is_still_a_headline():
    story = read_text(full_copy(headline="FLOOD WATCH – can the levees hold?"))

    assert story.headline == "FLOOD WATCH – can the levees hold?"
    assert story.dateline == "RIVERTON"


def test_copy_without_body_is_refused():
    with pytest.raises(ParseError, match="^no body paragraphs"):
        read_text(full_copy(first="", second="", third=""))


def test_headline_alone_is_refused():
    with pytest.raises(ParseError, match="^no body paragraphs"):
        read_text(HEADLINE + "\n\nscroll to top")


def test_error_message_names_the_file():
    with pytest.raises(ParseError, match="^budget.txt: empty copy"):
        read_text("", filename="budget.txt")


def test_story_key_ignores_case_spacing_and_punctuation():
    day = datetime.date(2024, 3, 5)
    key = story_key("The Riverton Ledger", "Council’s budget passes", day)

    assert key == story_key(" the riverton  ledger", "COUNCIL'S BUDGET PASSES ", day)
    assert key == story_key(PUBLICATION, "Council’s budget passes", datetime.datetime(
        2024, 3, 5, 9, 0, tzinfo=datetime.UTC
    ))  # fmt: skip
    assert key.startswith("text:") and len(key) == len("text:") + 40


def test_story_key_differs_by_day_headline_and_publication():
    day = datetime.date(2024, 3, 5)
    key = story_key(PUBLICATION, HEADLINE, day)

    assert key != story_key(PUBLICATION, HEADLINE, datetime.date(2024, 3, 6))
    assert key != story_key(PUBLICATION, "Another headline", day)
    assert key != story_key("Riverton Post", HEADLINE, day)
    assert key != story_key(PUBLICATION, HEADLINE, None)


def test_decode_drops_a_byte_order_mark():
    assert decode("\ufeffRiverton – budget".encode()) == "Riverton – budget"


def test_decode_refuses_bytes_that_are_not_utf8():
    with pytest.raises(ParseError, match=r"^budget.txt: not UTF-8 text \(byte 0xe9"):
        decode("Caf\u00e9".encode("latin-1"), filename="budget.txt")


def test_decode_refuses_binary_data():
    with pytest.raises(ParseError, match="^not UTF-8 text"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


# The reference copy, a real story that is not ours: read from the shared folder.


@pytest.fixture
def seed_copy() -> str:
    return shared_file(SEED).read_text(encoding="utf-8")


def test_reference_copy_is_read_as_expected(seed_copy):
    story = read_text(seed_copy)

    assert story.headline == (
        "Royal Cambodian Armed Forces leading delegation to China to boost "
        "military ties"
    )
    assert story.standfirst.startswith("While noting some criticism of the close")
    assert story.standfirst.endswith("primary focus.")
    assert story.authors == ["Samban Chandara"]
    assert story.publication == "The Phnom Penh Post"
    assert story.published_on == datetime.date(2024, 3, 25)
    assert story.published_at is None
    assert story.dateline == "PHNOM PENH"
    assert story.photo.filename.endswith(".jpg")
    assert story.photo.filename in seed_copy
    assert story.photo.caption == (
        "RCAF deputy commander General Mao Sophan (right) is visiting China "
        "from March 25-29."
    )
    assert story.photo.credit == "ROYAL CAMBODIAN ARMY/ THE PHNOM PENH POST"
    assert len(story.paragraphs) == 12
    assert story.paragraphs[0].startswith("General Mao Sophan, deputy commander")
    assert story.paragraphs[1].startswith("The overseas mission – his first")
    assert not any("scroll to top" in p for p in story.paragraphs)
    assert "scroll to top" not in story.body_html
    assert story.body_html.count("<p>") == 12


def test_reference_copy_with_furniture_glued_to_last_line_reads_the_same(seed_copy):
    glued = seed_copy.rstrip().replace("\n\nscroll to top", "scroll to top")

    assert read_text(glued) == read_text(seed_copy)


def test_reference_copy_with_crlf_and_bom_reads_the_same(seed_copy):
    windows = "\ufeff" + seed_copy.replace("\n", "\r\n")

    assert read_text(windows) == read_text(seed_copy)
