"""The quote finder names who is quoted in a story and what each of them said."""

import re

import pytest

from articles.importing.data import QuoteData, SourceData
from articles.importing.quotes import find_quotes
from people.names import normalise_name
from tests.conftest import shared_file

SEED = "seed/rcaf-delegation-china.txt"


def direct(text, speaker, paragraph):
    return QuoteData(text, "direct", speaker, paragraph)


def paraphrase(text, speaker, paragraph):
    return QuoteData(text, "paraphrase", speaker, paragraph)


COUNCIL = [
    "Riverton City Council approved a new budget on Monday after a long debate.",
    "Ann Lee, the council's finance chair, said the budget protects libraries.",
    "“We found savings without closing a single branch,” she said.",
    "Tom Hill, a retired teacher who spoke during public comment, described the "
    "plan as short-sighted.",
    "He added that bus fares would rise by a fifth.",
    "Lee said the council would look at fares again in the spring.",
    "“Nobody on this council wants higher fares,” Ann said.",
]


def test_introduction_pronouns_and_partial_names_attribute_to_the_same_source():
    sources, quotes = find_quotes(COUNCIL)

    assert sources == [
        SourceData("Ann Lee", "the council's finance chair"),
        SourceData("Tom Hill", "a retired teacher who spoke during public comment"),
    ]
    assert quotes == [
        paraphrase("the budget protects libraries", "Ann Lee", 1),
        direct("We found savings without closing a single branch", "Ann Lee", 2),
        paraphrase("described the plan as short-sighted", "Tom Hill", 3),
        paraphrase("bus fares would rise by a fifth", "Tom Hill", 4),
        paraphrase("the council would look at fares again in the spring", "Ann Lee", 5),
        direct("Nobody on this council wants higher fares", "Ann Lee", 6),
    ]


def test_a_source_quoted_many_times_is_returned_once():
    sources, quotes = find_quotes(COUNCIL)

    assert [s.name for s in sources] == ["Ann Lee", "Tom Hill"]
    assert [q.speaker for q in quotes].count("Ann Lee") == 4


def test_description_before_the_name_is_kept_and_titles_are_not_part_of_the_name():
    sources, quotes = find_quotes(
        [
            "Council spokeswoman Jane Doe said the meeting would resume on Friday.",
            "Health Minister Rosa Diaz said that clinics would stay open.",
            "“Not one clinic will close,” said Dr Priya Nair, a family doctor.",
        ]
    )

    assert sources == [
        SourceData("Jane Doe", "Council spokeswoman"),
        SourceData("Rosa Diaz", "Health Minister"),
        SourceData("Priya Nair", "a family doctor"),
    ]
    assert quotes == [
        paraphrase("the meeting would resume on Friday", "Jane Doe", 0),
        paraphrase("clinics would stay open", "Rosa Diaz", 1),
        direct("Not one clinic will close", "Priya Nair", 2),
    ]


def test_direct_quote_with_attribution_in_the_middle_gives_both_parts_to_the_speaker():
    sources, quotes = find_quotes(
        [
            "Priya Nair, the medical director of the hospital, spoke on Tuesday.",
            "“The wards are full,” she said. “We need forty more beds by winter.”",
            "“Staff are tired,” she said, “but nobody has walked out.”",
        ]
    )

    assert sources == [SourceData("Priya Nair", "the medical director of the hospital")]
    assert quotes == [
        direct("The wards are full", "Priya Nair", 1),
        direct("We need forty more beds by winter.", "Priya Nair", 1),
        direct("Staff are tired", "Priya Nair", 2),
        direct("but nobody has walked out.", "Priya Nair", 2),
    ]


def test_colon_introduced_quote_is_direct_and_trailing_clause_is_a_paraphrase():
    sources, quotes = find_quotes(
        [
            "Rita Moss, a union organiser, said: “We will not be ignored.”",
            "“The ballot opens on Monday,” she said, adding that turnout was high.",
            "The vote was close, Moss said.",
        ]
    )

    assert sources == [SourceData("Rita Moss", "a union organiser")]
    assert quotes == [
        direct("We will not be ignored.", "Rita Moss", 0),
        direct("The ballot opens on Monday", "Rita Moss", 1),
        paraphrase("turnout was high", "Rita Moss", 1),
        paraphrase("The vote was close", "Rita Moss", 2),
    ]


def test_quotation_left_open_runs_on_to_the_next_paragraphs_speaker():
    sources, quotes = find_quotes(
        [
            "Ann Lee, the mayor, spoke after the vote.",
            "“The river has flooded twice in a decade.",
            "“We cannot wait for a third time,” she said.",
        ]
    )

    assert sources == [SourceData("Ann Lee", "the mayor")]
    assert quotes == [
        direct("The river has flooded twice in a decade.", "Ann Lee", 1),
        direct("We cannot wait for a third time", "Ann Lee", 2),
    ]


def test_role_after_an_apposition_refers_back_to_the_named_person():
    sources, quotes = find_quotes(
        [
            "The mayor, Ann Lee, said the road would reopen in June.",
            "“It is safe to drive on,” said the mayor.",
        ]
    )

    assert sources == [SourceData("Ann Lee", "the mayor")]
    assert quotes == [
        paraphrase("the road would reopen in June", "Ann Lee", 0),
        direct("It is safe to drive on", "Ann Lee", 1),
    ]


def test_they_refers_to_the_last_person_quoted():
    sources, quotes = find_quotes(
        [
            "Sam Okafor, a nurse at the clinic, said the rota was unsafe.",
            "“We cover three wards each night,” they said.",
        ]
    )

    assert sources == [SourceData("Sam Okafor", "a nurse at the clinic")]
    assert quotes[1] == direct("We cover three wards each night", "Sam Okafor", 1)


def test_paraphrase_verbs_with_and_without_that():
    _, quotes = find_quotes(
        [
            "Omar Haddad, a tenant, said that the lift had been broken for a month.",
            "He believes the landlord is waiting for the building to empty.",
            "Haddad explained that he had written three letters.",
            "According to Haddad, nobody has replied.",
            "He opined that the council should step in.",
        ]
    )

    assert [(q.kind, q.text) for q in quotes] == [
        ("paraphrase", "the lift had been broken for a month"),
        ("paraphrase", "the landlord is waiting for the building to empty"),
        ("paraphrase", "he had written three letters"),
        ("paraphrase", "nobody has replied"),
        ("paraphrase", "the council should step in"),
    ]
    assert {q.speaker for q in quotes} == {"Omar Haddad"}


def test_it_said_refers_to_the_organisation_that_issued_the_report():
    sources, quotes = find_quotes(
        [
            "St Mary's Hospital published a report on waiting times on Tuesday.",
            "“Patients waited six hours on average in March,” it said.",
            "According to the report, the emergency department saw 9,000 patients.",
        ]
    )

    assert sources == [SourceData("St Mary's Hospital", kind="organisation")]
    assert quotes == [
        direct(
            "Patients waited six hours on average in March", "St Mary's Hospital", 1
        ),
        paraphrase(
            "the emergency department saw 9,000 patients", "St Mary's Hospital", 2
        ),
    ]


def test_according_to_a_document_by_an_organisation_names_the_organisation():
    sources, quotes = find_quotes(
        [
            "Class sizes grew by a fifth, according to a report by the Education "
            "Ministry.",
            "“Most schools are full,” it added.",
        ]
    )

    assert sources == [SourceData("Education Ministry", kind="organisation")]
    assert quotes == [
        paraphrase("Class sizes grew by a fifth", "Education Ministry", 0),
        direct("Most schools are full", "Education Ministry", 1),
    ]


def test_a_statement_with_no_named_issuer_is_a_document_source():
    sources, quotes = find_quotes(
        [
            "The union published a statement on its website on Friday.",
            "“Our members have been patient for too long,” it said.",
            "The statement added that a strike ballot would open next week.",
            "Pay has fallen since 2019, according to the ministry's report.",
        ]
    )

    assert sources == [
        SourceData("the statement", kind="document"),
        SourceData("the ministry's report", kind="document"),
    ]
    assert quotes == [
        direct("Our members have been patient for too long", "the statement", 1),
        paraphrase("a strike ballot would open next week", "the statement", 2),
        paraphrase("Pay has fallen since 2019", "the ministry's report", 3),
    ]


def test_a_paragraph_that_is_only_a_quotation_continues_the_last_speaker():
    sources, quotes = find_quotes(
        [
            "Ann Lee, the mayor, said the bridge would reopen in May.",
            "“The river does not care about our budget.”",
        ]
    )

    assert sources == [SourceData("Ann Lee", "the mayor")]
    assert quotes[1] == direct(
        "The river does not care about our budget.", "Ann Lee", 1
    )


def test_bare_quotation_after_someone_else_is_mentioned_is_kept_unattributed():
    sources, quotes = find_quotes(
        [
            "Ann Lee, the mayor, said the bridge would reopen in May. Tom Hill, "
            "who runs the ferry, was not convinced.",
            "“The river does not care about our budget.”",
        ]
    )

    assert sources == [SourceData("Ann Lee", "the mayor")]
    assert quotes[1] == direct("The river does not care about our budget.", None, 1)


def test_bare_quotation_is_not_carried_past_one_paragraph():
    _, quotes = find_quotes(
        [
            "“We will rebuild the pier,” said Ann Lee, the mayor.",
            "“It will take a year.”",
            "“Nobody should swim there until then.”",
        ]
    )

    assert [q.speaker for q in quotes] == ["Ann Lee", "Ann Lee", None]


def test_pronoun_with_nobody_introduced_is_kept_unattributed():
    sources, quotes = find_quotes(["“We will reopen the bridge,” he said."])

    assert sources == []
    assert quotes == [direct("We will reopen the bridge", None, 0)]


def test_ambiguous_pronoun_between_two_people_is_kept_unattributed():
    sources, quotes = find_quotes(
        [
            "Mayor Ann Lee and councillor Rita Moss clashed over the budget.",
            "“This is not the time for cuts,” she said.",
            "Moss said the vote had been rushed.",
        ]
    )

    assert sources == [SourceData("Rita Moss", "councillor")]
    assert quotes == [
        direct("This is not the time for cuts", None, 1),
        paraphrase("the vote had been rushed", "Rita Moss", 2),
    ]


def test_ambiguous_partial_name_is_kept_unattributed():
    _, quotes = find_quotes(
        [
            "Ann Lee, a farmer, said the harvest was late.",
            "Ben Lee, her brother, said prices were low.",
            "Lee said the co-operative would help.",
        ]
    )

    assert [q.speaker for q in quotes] == ["Ann Lee", "Ben Lee", None]


def test_people_only_mentioned_are_not_sources_until_they_are_quoted():
    sources, quotes = find_quotes(
        [
            "Police Chief Dan Ortiz attended the meeting alongside Mayor Ann Lee.",
            "Rita Moss, a shop owner, said that thefts had fallen.",
            "Ortiz will present his plan in June.",
        ]
    )

    assert sources == [SourceData("Rita Moss", "a shop owner")]
    assert quotes == [paraphrase("thefts had fallen", "Rita Moss", 1)]


def test_a_mentioned_person_referred_to_by_pronoun_becomes_a_source():
    sources, quotes = find_quotes(
        [
            "Police Chief Dan Ortiz spoke at the meeting.",
            "“We have hired ten officers,” he said.",
        ]
    )

    assert sources == [SourceData("Dan Ortiz", "Police Chief")]
    assert quotes == [direct("We have hired ten officers", "Dan Ortiz", 1)]


def test_byline_authors_are_not_sources_even_when_named_in_the_story():
    sources, quotes = find_quotes(
        [
            "Tom Hill told Maria Keane that the bridge would reopen in May.",
            "“It is safe,” he said.",
            "Keane said the council declined to comment.",
        ],
        authors=["Maria Keane"],
    )

    assert sources == [SourceData("Tom Hill")]
    assert quotes == [
        paraphrase("the bridge would reopen in May", "Tom Hill", 0),
        direct("It is safe", "Tom Hill", 1),
        paraphrase("the council declined to comment", None, 2),
    ]


def test_words_inside_a_quotation_are_not_read_as_attribution():
    sources, quotes = find_quotes(
        [
            "Omar Haddad, a tenant, spoke to reporters.",
            "“Some neighbours said the lift was fixed. It was not,” he said.",
        ]
    )

    assert sources == [SourceData("Omar Haddad", "a tenant")]
    assert quotes == [
        direct("Some neighbours said the lift was fixed. It was not", "Omar Haddad", 1)
    ]


def test_short_scare_quotes_in_running_text_are_not_quotes():
    sources, quotes = find_quotes(
        ["The mayor called the plan a “fresh start” for the district."]
    )

    assert (sources, quotes) == ([], [])


def test_straight_and_guillemet_quotation_marks_are_read():
    _, quotes = find_quotes(
        [
            'Ann Lee, the mayor, said: "The road will be closed until Friday."',
            "«Detours are signposted,» she added.",
        ]
    )

    assert quotes == [
        direct("The road will be closed until Friday.", "Ann Lee", 0),
        direct("Detours are signposted", "Ann Lee", 1),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr. José  Ramírez", "jose ramirez"),
        ("Ms O’Brien", "obrien"),
        ("Prof Dr Ann-Marie Lee", "ann marie lee"),
        ("  SEUN   Sam ", "seun sam"),
        ("General Mao Sophan", "general mao sophan"),
        ("Miss Ada Park", "ada park"),
        ("Dr", "dr"),
    ],
)
def test_normalise_name_folds_accents_case_punctuation_and_courtesy_titles(
    name, expected
):
    assert normalise_name(name) == expected


def seed_paragraphs():
    text = shared_file(SEED).read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("\n\n")]
    paragraphs = blocks[blocks.index("March 25, 2024") + 1 :]
    if paragraphs[-1] == "scroll to top":
        paragraphs.pop()
    paragraphs[0] = paragraphs[0].removeprefix("PHNOM PENH – ")
    return paragraphs


def test_seed_story_sources_and_who_said_what():
    sources, quotes = find_quotes(seed_paragraphs(), authors=["Samban Chandara"])

    assert sources == [
        SourceData("Cambodian Army", kind="organisation"),
        SourceData(
            "Seun Sam",
            "an international relations researcher at the Royal Academy of Cambodia",
        ),
        SourceData(
            "Seng Vanly",
            "a lecturer of international relations and regional politics observer",
        ),
    ]
    paragraphs = seed_paragraphs()
    # Each quote is credited to a speaker and is one whole span of its
    # paragraph, pinned by the words around it: a direct quote is everything
    # inside the quotation marks but the closing comma; a paraphrase is the
    # clause after its reporting words, up to the end of its sentence.
    said = r",” (it added|he said|he opined)\.$"
    expected = [
        (1, "paraphrase", "Cambodian Army", r"^", r", according to a March 22"),
        (3, "direct", "Cambodian Army", r"^“", said),
        (4, "paraphrase", "Seun Sam", r"Cambodia, ", r"\.$"),
        (5, "paraphrase", "Seun Sam", r"^He explained that ", r"\.$"),
        (6, "direct", "Seun Sam", r"^“", said),
        (7, "paraphrase", "Seun Sam", r"Sam said ", r"\.$"),
        (8, "paraphrase", "Seun Sam", r"^He opined that ", r"\.$"),
        (9, "paraphrase", "Seng Vanly", r"observer, ", r"\. He said"),
        (9, "paraphrase", "Seng Vanly", r"\. He said ", r"\.$"),
        (10, "direct", "Seng Vanly", r"^“", said),
        (11, "paraphrase", "Seng Vanly", r"^Vanly added that ", r"\.$"),
    ]
    assert [(q.paragraph, q.kind, q.speaker) for q in quotes] == [
        row[:3] for row in expected
    ]
    for quote, (paragraph, _, _, before, after) in zip(quotes, expected, strict=True):
        framed = before + re.escape(quote.text) + after
        assert re.search(framed, paragraphs[paragraph]), (quote.text, before, after)
    assert quotes[2].text == "described the visit as important"
