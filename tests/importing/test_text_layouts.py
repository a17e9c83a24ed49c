"""The syndicated-text reader reads a layout, not a position: each block is
taken for what it is (kicker, caption, byline, date line, subhead, pull quote,
box, end note…) wherever the page put it. All copy here is our own."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.importing.text import read_text

from ..markup import parse

HEADLINE = "Harbour town votes to keep its last ferry running"
STANDFIRST = (
    "Islanders packed the hall to save the crossing, which the operator says "
    "loses money every winter."
)
FIRST = (
    "Residents of Port Aldren voted on Thursday to pay a yearly levy that keeps "
    "the island ferry sailing through the winter."
)
SECOND = (
    "The operator had warned that the route would close in November unless the "
    "town found the money."
)
THIRD = "“Without the boat we are cut off for four months,” said Mara Ellis."
FOURTH = "The levy will cost each household about 40 pounds a year."


def copy(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block)


def story_with(*head: str, first: str = f"PORT ALDREN – {FIRST}", rest=()):
    """Our ferry story: the given blocks above the body, then the body."""
    return read_text(copy(*head, first, SECOND, THIRD, FOURTH, *rest))


# What stands above the headline


@pytest.mark.parametrize("kicker", ["Coast", "Island Life", "Spotlight: Ferries"])
def test_a_section_label_above_the_headline_is_the_kicker(kicker):
    story = story_with(kicker, HEADLINE, STANDFIRST, "By Lena Ortiz", "June 3, 2025")

    assert story.kicker == kicker
    assert story.headline == HEADLINE
    assert story.standfirst == STANDFIRST
    assert story.authors == ["Lena Ortiz"]


def test_a_caption_and_credit_above_the_headline_are_the_lead_photo():
    caption = "Passengers board the morning ferry at Port Aldren on Monday."
    story = story_with(
        caption, "Photo: Tom Breck/Island Courier", HEADLINE, "June 3, 2025"
    )

    assert story.headline == HEADLINE
    assert story.photo.caption == caption
    assert story.photo.credit == "Tom Breck/Island Courier"


def test_a_long_caption_first_does_not_get_the_story_refused():
    caption = (
        "Passengers queue for the morning ferry at Port Aldren on Monday, as "
        "they have every weekday since the island's bridge was closed. " * 4
    ) + "(Tom Breck | Island Courier)"
    story = story_with(caption, "News", HEADLINE, "By Lena Ortiz", "June 3, 2025")

    assert story.headline == HEADLINE
    assert story.kicker == "News"
    assert story.photo.credit == "Tom Breck | Island Courier"
    assert story.paragraphs[0] == FIRST


def test_a_caption_without_credit_above_a_kicker_is_the_caption_not_the_headline():
    story = story_with(
        "The ferry terminal", "Coast", HEADLINE, "By Lena Ortiz", "June 3, 2025"
    )

    assert story.headline == HEADLINE
    assert story.kicker == "Coast"
    assert story.photo.caption == "The ferry terminal"


def test_a_standfirst_without_a_full_stop_still_follows_a_short_headline():
    story = story_with(
        "Coast",
        "Sink, Swim, Sail",
        "How one island fought to keep its winter crossing",
        "By Lena Ortiz | Island Courier | June 3, 2025",
    )

    assert (story.kicker, story.headline) == ("Coast", "Sink, Swim, Sail")
    assert story.standfirst == "How one island fought to keep its winter crossing"


def test_a_question_headline_after_a_kicker_is_not_taken_for_a_standfirst():
    question = "Can a town of 900 people keep its ferry afloat?"
    story = story_with("Coast", question, "June 3, 2025")

    assert (story.kicker, story.headline, story.standfirst) == ("Coast", question, "")


# Bylines


@pytest.mark.parametrize(
    ("byline", "authors", "publication"),
    [
        ("By Lena Ortiz | Island Courier | June 3, 2025", ["Lena Ortiz"],
         "Island Courier"),
        ("By Lena Ortiz and Jonah Pike", ["Lena Ortiz", "Jonah Pike"], ""),
        ("Lena Ortiz & Jonah Pike", ["Lena Ortiz", "Jonah Pike"], ""),
        ("By Lena Ortiz, Jonah Pike and Ada Mensah",
         ["Lena Ortiz", "Jonah Pike", "Ada Mensah"], ""),
        ("Von: Jonas Reiter | 03.06.25", ["Jonas Reiter"], ""),
        ("Par Claire Dumas", ["Claire Dumas"], ""),
        ("Por Lucía Ferrer y Pablo Soto", ["Lucía Ferrer", "Pablo Soto"], ""),
        ("by: Ada Mensah", ["Ada Mensah"], ""),
        ("BY LENA ORTIZ AND JONAH PIKE", ["Lena Ortiz", "Jonah Pike"], ""),
        ("By Lena Ortiz, Island Courier Staff Writer", ["Lena Ortiz"], ""),
    ],
)  # fmt: skip
def test_byline_lines_in_real_forms(byline, authors, publication):
    story = story_with(HEADLINE, byline, "June 3, 2025")

    assert story.authors == authors
    assert story.publication == publication
    assert story.headline == HEADLINE


def test_a_byline_with_its_date_on_one_line_dates_the_story():
    story = story_with(HEADLINE, "Von: Jonas Reiter | 03.06.25")

    assert story.published_on == datetime.date(2025, 6, 3)


def test_an_author_named_only_in_a_sign_off_at_the_end_is_the_author():
    story = story_with(HEADLINE, "June 3, 2025", rest=["– Ada Mensah"])

    assert story.authors == ["Ada Mensah"]
    assert story.paragraphs[-1] == FOURTH


def test_an_author_label_at_the_end_is_the_author():
    story = story_with(HEADLINE, "03/06/2025", rest=["Auteur: Claire Dumas"])

    assert story.authors == ["Claire Dumas"]
    assert "Claire Dumas" not in " ".join(story.paragraphs)


def test_a_desk_name_above_the_date_is_the_byline():
    story = story_with(HEADLINE, "Redaktion", "3. Juni 2025")

    assert story.authors == ["Redaktion"]
    assert story.headline == HEADLINE


# Dates


@pytest.mark.parametrize(
    "written",
    [
        "JUN. 3, 2025",
        "03.06.25",
        "03.06.2025",
        "03/06/2025",
        "3 juin 2025",
        "3. Juni 2025",
        "3 de junio de 2025",
        "martes, 3 de junio de 2025",
        "Tuesday, June 3, 2025",
    ],
)
def test_date_lines_in_many_styles_and_languages(written):
    story = story_with(HEADLINE, written)

    assert story.published_on == datetime.date(2025, 6, 3)
    assert story.published_at is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "Posted: Jun 3, 2025 / 04:43 PM CST",
            datetime.datetime(2025, 6, 3, 22, 43, tzinfo=datetime.UTC),
        ),
        ("June 3 2025, 3:18 p.m.", None),
        ("am 3. Juni 2025 um 21:17", None),
        ("2025-06-03 21:21:50", None),
        (
            "Jun. 3, 2025, 10:00 PM UTC",
            datetime.datetime(2025, 6, 3, 22, 0, tzinfo=datetime.UTC),
        ),
    ],
)
def test_a_date_with_a_time_keeps_the_time_and_its_zone(written, expected, settings):
    story = story_with(HEADLINE, written)

    assert story.published_on is None
    moment = story.published_at
    assert moment.tzinfo is not None
    assert moment.date() == datetime.date(2025, 6, 3)
    if expected is not None:  # the copy named its zone
        assert moment == expected
    else:  # no zone given: the newsroom's own
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        assert local.utcoffset() == moment.utcoffset()


def test_updated_lines_give_the_update_time_not_the_publication_date():
    story = story_with(
        HEADLINE,
        "By Lena Ortiz",
        "Posted: Jun 3, 2025 / 09:00 AM UTC",
        "Updated: Jun 4, 2025 / 11:30 AM UTC",
    )

    assert story.published_at == datetime.datetime(
        2025, 6, 3, 9, 0, tzinfo=datetime.UTC
    )
    assert story.updated_at == datetime.datetime(
        2025, 6, 4, 11, 30, tzinfo=datetime.UTC
    )


def test_a_publication_and_update_time_on_one_line():
    story = story_with(
        HEADLINE,
        "Jun. 3, 2025, 9:00 AM UTC\u00a0/\u00a0Updated\u00a0Jun. 4, 2025, 11:30 AM UTC",
    )

    assert story.published_at.day == 3 and story.updated_at.day == 4


def test_copy_without_a_date_has_none_rather_than_an_invented_one():
    story = story_with(HEADLINE, "By Lena Ortiz")

    assert story.published_at is None and story.published_on is None


def test_a_headline_or_line_with_numbers_is_not_a_date():
    headline = "Ferry levy of 40 pounds passes by 812 votes to 96"
    story = story_with(headline, "June 3, 2025")

    assert story.headline == headline
    assert story.published_on == datetime.date(2025, 6, 3)


# Datelines


@pytest.mark.parametrize(
    ("opening", "dateline", "agency"),
    [
        ("PORT ALDREN (AP) — ", "PORT ALDREN", "AP"),
        ("PORT ALDREN (Reuters) - ", "PORT ALDREN", "Reuters"),
        ("PORT ALDREN — ", "PORT ALDREN", ""),
        ("PORT ALDREN, Kestrel Isles — ", "PORT ALDREN, Kestrel Isles", ""),
        ("PORT ALDREN, KESTREL ISLES • ", "PORT ALDREN, KESTREL ISLES", ""),
        ("PORT ALDREN: ", "PORT ALDREN", ""),
        ("PORT ALDREN, KESTREL.- ", "PORT ALDREN, KESTREL", ""),
        ("PORT ALDREN – ", "PORT ALDREN", ""),
        ("Port Aldren (ISN) – ", "Port Aldren", "ISN"),
        ("PORT ALDREN, June 3 (Reuters) - ", "PORT ALDREN", "Reuters"),
    ],
)
def test_datelines_in_every_wire_style(opening, dateline, agency):
    story = story_with(HEADLINE, "June 3, 2025", first=opening + FIRST)

    assert story.dateline == dateline
    assert story.agency == agency
    assert story.paragraphs[0] == FIRST


@pytest.mark.parametrize(
    "opening",
    [
        "Note: the vote was held on Thursday. ",
        "Residents – most of them fishermen – voted. ",
        "In Port Aldren (the main town) - as elsewhere - ",
    ],
)
def test_sentences_with_a_colon_or_dash_are_no_dateline(opening):
    story = story_with(HEADLINE, "June 3, 2025", first=opening + FIRST)

    assert story.dateline == ""
    assert story.paragraphs[0] == opening + FIRST


# Furniture among the body


def body_of(*blocks: str):
    return read_text(copy(HEADLINE, "June 3, 2025", f"PORT ALDREN – {FIRST}", *blocks))


def test_a_subhead_is_kept_as_a_heading_and_is_no_paragraph():
    story = body_of(SECOND, "The winter timetable", THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]
    assert [h.text for h in parse(story.body_html).find_all("h2")] == [
        "The winter timetable"
    ]


def test_a_pull_quote_repeating_the_body_is_dropped():
    pull = "“Without the boat we are cut off for four months.”"
    story = body_of(SECOND, pull, THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_quote_paragraph_that_is_not_repeated_stays():
    own = "“We will run the boat as long as people sail on it,” said Owen Hart."
    story = body_of(SECOND, own, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, own, FOURTH]


def test_of_two_near_identical_paragraphs_the_earlier_is_the_pull_quote():
    named = "“We were never asked,” Mara Ellis told reporters at the quay on Friday."
    later = "“We were never asked,” she told reporters at the quay on Friday."
    story = body_of(SECOND, named, FOURTH, later)

    assert story.paragraphs == [FIRST, SECOND, FOURTH, later]


@pytest.mark.parametrize(
    "box",
    [
        ["Related", "Island bus service cut to two days a week"],
        ["Read also: Island bus service cut to two days a week"],
        ["Lesen Sie auch:\nInselbus fährt nur noch zweimal\nNeuer Hafenmeister"],
        ["PREVIOUS Island bus service cut to two days a week"],
        [
            "Most Read",
            "Island bus service cut",
            "Jonah Pike",
            "Lighthouse sold",
            "Ada Mensah",
        ],
    ],
)
def test_related_story_boxes_are_dropped(box):
    story = body_of(SECOND, *box, THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_related_box_at_the_end_is_dropped_whole():
    story = body_of(
        SECOND, THIRD, FOURTH, "Relacionadas:", "El puerto cierra en invierno",
        "FOTOS: Así fue la votación", "Un nuevo barco para la isla",
    )  # fmt: skip

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_an_info_box_is_dropped():
    note = "This is the second of three reports on island transport."
    story = body_of(SECOND, "About this series", note, THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_an_inline_caption_with_its_credit_is_dropped():
    story = body_of(
        SECOND,
        "The ferry leaves the quay at dawn.",
        "Photo: Tom Breck/Island Courier",
        THIRD,
        "Islanders at the meeting on Thursday. (Tom Breck/Island Courier)",
        FOURTH,
    )

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_credit_in_brackets_alone_drops_only_itself():
    story = body_of(SECOND, "(Chart: Island Courier)", THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_paragraph_ending_in_brackets_is_still_a_paragraph():
    ending = "The levy passed with votes from both councils (Aldren/Kestrel)."
    story = body_of(SECOND, ending, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, ending, FOURTH]


def test_a_floated_card_naming_someone_is_dropped():
    story = body_of(SECOND, "Mara Ellis\nChair, Island Residents' Association", THIRD)

    assert story.paragraphs == [FIRST, SECOND, THIRD]


# End notes


def test_contributor_lines_become_contributors():
    story = story_with(
        HEADLINE, "By Lena Ortiz", "June 3, 2025",
        rest=["Jonah Pike and Ada Mensah contributed to this report."],
    )  # fmt: skip

    assert story.authors == ["Lena Ortiz"]
    assert story.contributors == ["Jonah Pike", "Ada Mensah"]
    assert story.paragraphs[-1] == FOURTH


def test_additional_reporting_line_becomes_contributors():
    story = story_with(
        HEADLINE, "June 3, 2025", rest=["Additional reporting by Teo Vance"]
    )

    assert story.contributors == ["Teo Vance"]


def test_a_correction_note_becomes_a_correction():
    note = "Correction: An earlier version of this story gave the wrong levy."
    story = story_with(HEADLINE, "June 3, 2025", rest=[note])

    assert story.corrections == [note]
    assert story.paragraphs[-1] == FOURTH


def test_originally_appeared_becomes_provenance():
    note = "This story originally appeared in the Kestrel Isles Gazette."
    story = story_with(HEADLINE, "June 3, 2025", rest=[note])

    assert story.provenance == note
    assert story.paragraphs[-1] == FOURTH


def test_author_cards_rights_lines_and_reported_from_notes_are_dropped():
    story = story_with(
        HEADLINE, "By Lena Ortiz and Jonah Pike", "June 3, 2025",
        rest=[
            "Lena Ortiz reported from Port Aldren, and Jonah Pike from Kestrel.",
            "Lena Ortiz",
            "Lena Ortiz is the Island Courier's transport reporter.",
            "Contact the author:",
            "Jonah Pike",
            "Copyright 2025 Island Courier. All rights reserved.",
        ],
    )  # fmt: skip

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]
    assert story.authors == ["Lena Ortiz", "Jonah Pike"]


def test_a_last_paragraph_of_prose_is_never_taken_for_an_end_note():
    last = "Ada Mensah, who runs the island shop, said she would pay the levy."
    story = story_with(HEADLINE, "June 3, 2025", rest=[last])

    assert story.paragraphs[-1] == last
    assert story.contributors == [] and story.authors == []


def test_text_in_a_script_without_capitals_keeps_its_dateline_and_paragraphs():
    # Khmer words joined by zero-width spaces; "។" ends a sentence, "៖" a lead-in.
    lead_in = "លោក\u200bសុខ\u200bបាន\u200bនិយាយ\u200bថា៖"
    story = read_text(
        copy(
            "ចំណង\u200bជើង\u200bព័ត៌មាន",
            "ម៉ែន សុខា | VOA | 28 កក្កដា 2018",
            "ភ្នំពេញ • អត្ថបទ\u200bទី\u200bមួយ។",
            lead_in,
            "«សម្រង់\u200bសម្ដី»។",
        )
    )

    assert story.dateline == "ភ្នំពេញ"
    assert story.published_on == datetime.date(2018, 7, 28)
    assert story.paragraphs[1] == lead_in


def test_a_dateline_naming_the_outlet_rather_than_an_agency_names_the_publication():
    story = story_with(HEADLINE, "June 3, 2025", first=f"PORT ALDREN (KPAL) — {FIRST}")

    assert (story.agency, story.publication) == ("KPAL", "KPAL")


def test_a_wire_agency_in_the_dateline_is_not_the_publication():
    story = story_with(HEADLINE, "June 3, 2025", first=f"PORT ALDREN (AP) — {FIRST}")

    assert (story.agency, story.publication) == ("AP", "")


def test_an_author_card_naming_the_outlet_names_the_publication():
    story = story_with(
        HEADLINE, "By Lena Ortiz", "June 3, 2025",
        rest=["Lena Ortiz", "Lena Ortiz is a reporter for Island Courier News."],
    )  # fmt: skip

    assert story.publication == "Island Courier News"
    assert story.paragraphs[-1] == FOURTH


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Island Courier writer Ada Mensah in Kestrel contributed to this report.",
         ["Ada Mensah"]),
        ("(Reporting by Teo Vance in Port Aldren; Editing by Jonah Pike)",
         ["Teo Vance"]),
        ("Ada Mensah and Teo Vance contributed reporting.",
         ["Ada Mensah", "Teo Vance"]),
    ],
)  # fmt: skip
def test_wire_style_contributor_lines(line, names):
    story = story_with(HEADLINE, "June 3, 2025", rest=[line])

    assert story.contributors == names
    assert story.paragraphs[-1] == FOURTH


def test_separator_lines_and_editing_credits_are_dropped():
    story = story_with(
        HEADLINE, "June 3, 2025", rest=["___", "(Editing by Jonah Pike)"]
    )

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_an_old_wire_dateline_with_an_underscore():
    story = story_with(HEADLINE, "June 3, 2025", first=f"PORT ALDREN (AP) _ {FIRST}")

    assert (story.dateline, story.agency) == ("PORT ALDREN", "AP")
    assert story.paragraphs[0] == FIRST


def test_an_upper_case_byline_followed_by_the_writers_job():
    story = story_with(HEADLINE, "By LENA ORTIZ AP Transport Writer", "June 3, 2025")

    assert story.authors == ["Lena Ortiz"]
    assert story.standfirst == ""


def test_a_line_naming_only_the_agency_is_provenance_not_an_author():
    story = story_with(
        "Coast", HEADLINE, STANDFIRST, "dpa", "Veröffentlicht am 03.06.2025, 18:32 Uhr"
    )

    assert (story.kicker, story.headline, story.standfirst) == (
        "Coast", HEADLINE, STANDFIRST,
    )  # fmt: skip
    assert story.authors == [] and story.agency == "dpa"
    assert (story.published_at.hour, story.published_at.minute) == (18, 32)


def test_a_spanish_wire_dateline_with_its_day():
    story = story_with(
        HEADLINE, "Por Lucía Ferrer", first=f"Madrid, 3 jun (EFE).- {FIRST}"
    )

    assert (story.dateline, story.agency) == ("Madrid", "EFE")
    assert story.paragraphs[0] == FIRST


def test_a_time_written_with_a_full_stop_and_a_zone():
    story = story_with(HEADLINE, "Tue 3 Jun 2025 14.05 BST")

    assert story.published_at == datetime.datetime(
        2025, 6, 3, 13, 5, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    "byline", ["By Jane E. Roe", "By Ana Y. Ruiz", "By JANE E. ROE"]
)
def test_a_middle_initial_is_no_separator(byline):
    story = story_with(HEADLINE, byline, "June 3, 2025")

    assert len(story.authors) == 1


@pytest.mark.parametrize(
    "written",
    [
        "Publié le 3 juin 2025 à 14h05, modifié le 4 juin 2025 à 09h10",
        "Veröffentlicht am 03.06.2025, 14:05 Uhr, geändert am 04.06.2025, 09:10 Uhr",
        "Jun 3, 2025 2:05 PM, updated Jun 4, 2025 9:10 AM",
    ],
)
def test_a_publication_and_an_update_joined_by_a_comma(written):
    story = story_with(HEADLINE, written)

    assert (story.published_at.day, story.updated_at.day) == (3, 4)
    assert (story.published_at.hour, story.published_at.minute) == (14, 5)


def test_a_relative_time_is_no_date():
    story = story_with(HEADLINE, "By Lena Ortiz", "3 hours ago")

    assert story.published_at is None and story.published_on is None
    assert story.standfirst == "" and story.paragraphs[0] == FIRST


def test_a_job_title_in_a_byline_is_no_author():
    story = story_with(HEADLINE, "Lena Ortiz, Staff Writer", "June 3, 2025")

    assert story.authors == ["Lena Ortiz"]


def test_an_outlet_after_the_name_in_a_byline_is_the_publication():
    story = story_with(HEADLINE, "By Lena Ortiz, The Island Times", "June 3, 2025")

    assert (story.authors, story.publication) == (["Lena Ortiz"], "The Island Times")


def test_an_author_whose_name_holds_a_newspaper_word_is_still_an_author():
    story = story_with(
        HEADLINE, "By Sun Li and Lena Ortiz", "June 3, 2025",
        rest=["Sun Li", "Sun Li is a reporter based in Port Aldren."],
    )  # fmt: skip

    assert story.authors == ["Sun Li", "Lena Ortiz"]
    assert story.publication == ""


@pytest.mark.parametrize(
    "caption",
    [
        "The ferry leaves the quay at dawn on Monday. Tom Breck/Island Courier",
        "The ferry leaves the quay at dawn on Monday. Photo Provided",
        "ទូក\u200bចេញ\u200bពី\u200bកំពង់ផែ\u200bនៅ\u200bព្រឹក\u200bព្រលឹម\u200bថ្ងៃ\u200bច័ន្ទ\u200bនេះ។"
        " រូបថត\u200bផ្តល់\u200bឲ្យ",
    ],
)
def test_a_caption_with_its_credit_trailing_the_last_sentence_is_dropped(caption):
    story = body_of(SECOND, caption, THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_paragraph_without_a_final_stop_and_a_long_tail_stays():
    odd = "The levy passed. Islanders will vote again on the timetable in the autumn"
    story = body_of(SECOND, odd, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, odd, FOURTH]


@pytest.mark.parametrize("label", ["BREAKING: ", "ANALYSIS — ", "UPDATE – "])
def test_a_label_printed_like_a_dateline_is_no_place(label):
    story = story_with(HEADLINE, "June 3, 2025", first=label + FIRST)

    assert story.dateline == ""


def test_a_time_without_a_zone_is_in_the_newsrooms_zone_of_the_moment(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = story_with(HEADLINE, "June 3, 2025, 14:05").published_at
    settings.TIME_ZONE = "Asia/Tokyo"
    tokyo = story_with(HEADLINE, "June 3, 2025, 14:05").published_at

    assert berlin - tokyo == datetime.timedelta(hours=7)


@pytest.mark.parametrize(
    "box",
    [
        ["Read more: Island bus service cut to two days a week"],
        ["Tags:", "Ferries", "Port Aldren", "Transport"],
    ],
)
def test_more_link_and_tag_boxes_are_dropped(box):
    story = body_of(SECOND, THIRD, FOURTH, *box)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_copyright_sign_credit_is_the_photo_credit():
    caption = "Passengers board the morning ferry at Port Aldren on Monday."
    story = story_with(caption, "© Tom Breck/Island Courier", HEADLINE, "June 3, 2025")

    assert story.headline == HEADLINE
    assert story.photo.credit == "© Tom Breck/Island Courier"


NOTE = "Editor’s note: This is the second of three reports on island transport."


def test_an_editors_note_above_the_story_is_no_paragraph():
    story = read_text(
        copy(HEADLINE, "June 3, 2025", NOTE, f"PORT ALDREN – {FIRST}", SECOND)
    )

    assert story.dateline == "PORT ALDREN"
    assert story.paragraphs == [FIRST, SECOND]
    assert story.standfirst == ""


def test_an_editors_note_among_the_paragraphs_is_no_paragraph():
    story = body_of(SECOND, NOTE, THIRD, FOURTH)

    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


@pytest.mark.parametrize("line", ["5 min read", "Listen to this article", "Share"])
def test_page_furniture_among_the_details_is_dropped(line):
    story = story_with(HEADLINE, STANDFIRST, "By Lena Ortiz", line, "June 3, 2025")

    assert story.standfirst == STANDFIRST and story.authors == ["Lena Ortiz"]
    assert story.published_on == datetime.date(2025, 6, 3)
    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]


def test_a_caption_sentence_without_credit_above_the_headline_is_the_caption():
    caption = "Passengers board the morning ferry at Port Aldren on Monday."
    story = story_with(caption, HEADLINE, "By Lena Ortiz", "June 3, 2025")

    assert (story.headline, story.standfirst) == (HEADLINE, "")
    assert story.photo.caption == caption


def test_labelled_image_source_and_caption_blocks():
    story = story_with(
        "Image source, Tom Breck/Island Courier",
        "Image caption, Passengers board the morning ferry",
        HEADLINE,
        "June 3, 2025",
        rest=["Image source, Island Courier", "Image caption, The quay at dusk"],
    )

    assert story.headline == HEADLINE
    assert story.photo.credit == "Tom Breck/Island Courier"
    assert story.photo.caption == "Passengers board the morning ferry"
    assert story.paragraphs == [FIRST, SECOND, THIRD, FOURTH]
