"""Who said what in copy as real partners write it: every attribution pattern,
language and quotation mark style, and no wrong speaker when in doubt.

All copy here is written for these tests.
"""

import json

import pytest

from articles.importing.quotes import find_quotes
from people.names import normalise_name
from tests.conftest import shared_file


def speakers(paragraphs, **kwargs):
    """(text, speaker) of each direct quote."""
    _, quotes = find_quotes(paragraphs, **kwargs)
    return [(q.text, q.speaker) for q in quotes if q.kind == "direct"]


# Attribution before, after and inside the quotation


@pytest.mark.parametrize(
    "paragraph",
    [
        "“The tide waits for nobody,” said Mr. Carver.",
        "“The tide waits for nobody,” Carver said.",
        "“The tide waits for nobody,” says Mr. Carver.",
        "Carver said: “The tide waits for nobody.”",
        "“The tide waits for nobody,” Carver added.",
        "“The tide waits for nobody,” he said.",
        "“The tide waits for nobody,” he reportedly told the crew.",
    ],
)
def test_a_later_reference_by_surname_title_or_pronoun_finds_the_person(paragraph):
    quotes = speakers(
        ["John Carver, the harbour master, opened the gates on Monday.", paragraph]
    )

    assert [speaker for _, speaker in quotes] == ["John Carver"]
    assert quotes[0][0].startswith("The tide waits for nobody")


def test_said_after_the_quote_with_a_title_and_a_description():
    sources, quotes = find_quotes(
        [
            "“Rents will fall by spring,” said Dr. Lina Park, an economist at the "
            "Riverton Institute, who has studied the market for a decade.",
            "“And they will keep falling,” Park added.",
        ]
    )

    assert [(s.name, s.description) for s in sources] == [
        ("Lina Park", "an economist at the Riverton Institute")
    ]
    assert [q.speaker for q in quotes if q.kind == "direct"] == ["Lina Park"] * 2


def test_the_name_after_the_quotation_inside_a_sentence():
    quotes = speakers(
        [
            "The ferry timetable “will change twice a year,” port spokeswoman "
            "Mia Holt said Thursday."
        ]
    )

    assert quotes == [("will change twice a year", "Mia Holt")]


def test_told_and_according_to():
    sources, quotes = find_quotes(
        [
            "Lina Park told reporters that rents “will not recover this year.”",
            "According to Park, landlords have cut prices twice.",
        ]
    )

    assert [s.name for s in sources] == ["Lina Park"]
    assert {q.speaker for q in quotes} == {"Lina Park"}
    assert ("will not recover this year.", "direct") in [
        (q.text, q.kind) for q in quotes
    ]


def test_a_partial_quote_inside_a_paraphrase_is_also_a_direct_quote():
    quotes = speakers(
        ["Tom Hill, a ferry pilot, said the crossing was “simply too rough.”"]
    )

    assert quotes == [("simply too rough.", "Tom Hill")]


def test_a_colleague_s_lawyer_is_not_the_person_speaking():
    quotes = speakers(
        [
            "Tom Hill, a ferry pilot, was charged on Monday.",
            "“He did nothing wrong,” the lawyer for Tom Hill said.",
        ]
    )

    assert quotes == [("He did nothing wrong", None)]


# Languages


def test_french_verbs_guillemets_and_inverted_pronoun():
    quotes = speakers(
        [
            "« Nous ne fermerons pas l'usine », a déclaré Pierre Lamy, le directeur.",
            "« Les commandes reviennent », a-t-il ajouté.",
            "Selon Pierre Lamy, « la production reprendra lundi ».",
            "Pierre Lamy a également affirmé que l'équipe de nuit « restera en "
            "place jusqu'en mars ».",
        ]
    )

    assert quotes == [
        ("Nous ne fermerons pas l'usine", "Pierre Lamy"),
        ("Les commandes reviennent", "Pierre Lamy"),
        ("la production reprendra lundi", "Pierre Lamy"),
        ("restera en place jusqu'en mars", "Pierre Lamy"),
    ]


def test_german_low_high_quotes_sagte_and_so():
    quotes = speakers(
        [
            "„Wir bauen die Brücke weiter“, sagte Bürgermeisterin Anna Becker.",
            "„Die Kosten sind gedeckt“, so Becker, „und der Plan steht.“",
            "Anna Becker erklärte, die Arbeiten „dauern bis zum Herbst“.",
        ]
    )

    assert quotes == [
        ("Wir bauen die Brücke weiter", "Anna Becker"),
        ("Die Kosten sind gedeckt", "Anna Becker"),
        ("und der Plan steht.", "Anna Becker"),
        ("dauern bis zum Herbst", "Anna Becker"),
    ]


def test_spanish_verbs_segun_and_a_verb_without_a_subject():
    quotes = speakers(
        [
            "“El puerto no cerrará”, dijo el alcalde Luis Ortega.",
            "“Habrá más barcos en verano”, afirmó.",
            "Según Ortega, “la obra termina en mayo”.",
        ]
    )

    assert quotes == [
        ("El puerto no cerrará", "Luis Ortega"),
        ("Habrá más barcos en verano", "Luis Ortega"),
        ("la obra termina en mayo", "Luis Ortega"),
    ]


def test_dash_introduced_quotes_in_spanish_and_french():
    quotes = speakers(
        [
            "—No voy a dimitir —dijo la ministra Ana Ruiz—. Tengo trabajo que hacer.",
            "Paul Martin, le maire, est arrivé à midi.",
            "— Le marché restera ouvert, a déclaré Paul Martin.",
        ]
    )

    assert quotes == [
        ("No voy a dimitir", "Ana Ruiz"),
        ("Tengo trabajo que hacer.", "Ana Ruiz"),
        ("Le marché restera ouvert", "Paul Martin"),
    ]


def test_khmer_attribution_paragraph_introduces_the_next_paragraphs_quote():
    # "Mr Sok Dara, a teacher, said:" / «We will vote.»
    sources, quotes = find_quotes(
        [
            "លោក\u200b សុខ ដារ៉ា \u200bគ្រូបង្រៀន\u200b បាន\u200bនិយាយ\u200bថា៖",
            "«យើង\u200bនឹង\u200bទៅ\u200bបោះឆ្នោត»។",
        ]
    )

    assert [s.name for s in sources] == ["សុខ ដារ៉ា"]
    assert [q.speaker for q in quotes] == ["សុខ ដារ៉ា"]


# Quotation marks


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("‘", "’"), ("‚", "‘")],
)
def test_every_quotation_mark_style_is_read(opening, closing):
    quotes = speakers(
        [f"{opening}The gates open at six{closing}, said Mr. John Carver."]
    )

    assert quotes == [("The gates open at six", "John Carver")]


def test_a_quotation_left_open_runs_over_several_paragraphs():
    quotes = speakers(
        [
            "Nora Quist, a lock keeper, described the night of the flood.",
            "« The water came over the wall at two.",
            "« By three the road was gone.",
            "« Nobody slept, » she said.",
        ]
    )

    assert [speaker for _, speaker in quotes] == ["Nora Quist"] * 3


# When in doubt, unattributed


def test_he_said_with_two_men_named_stays_unattributed():
    quotes = speakers(
        [
            "Tom Hill met Sam Ortiz at the harbour on Monday.",
            "“We agreed on nothing,” he said.",
        ]
    )

    assert quotes == [("We agreed on nothing", None)]


def test_he_said_does_not_go_to_the_last_speaker_once_someone_else_is_named():
    quotes = speakers(
        [
            "“The fares stay,” said Tom Hill, a ferry pilot.",
            "The port was visited last week by Transport Secretary Omar Haddad.",
            "“We will see,” he said.",
        ]
    )

    assert quotes == [("The fares stay", "Tom Hill"), ("We will see", None)]


def test_he_said_after_a_paragraph_about_one_new_person_is_theirs():
    quotes = speakers(
        [
            "“The fares stay,” said Tom Hill, a ferry pilot.",
            "Last week, Transport Secretary Omar Haddad visited the port.",
            "“We will see,” he said.",
        ]
    )

    assert quotes == [("The fares stay", "Tom Hill"), ("We will see", "Omar Haddad")]


def test_he_said_after_a_paragraph_naming_two_people_stays_unattributed():
    quotes = speakers(
        [
            "“The fares stay,” said Tom Hill, a ferry pilot.",
            "Transport Secretary Omar Haddad met Hill at the port.",
            "“We will see,” he said.",
        ]
    )

    assert quotes == [("The fares stay", "Tom Hill"), ("We will see", None)]


def test_an_unnamed_spokesman_stays_unattributed():
    sources, quotes = find_quotes(
        [
            "A spokesman for the port declined to give his name.",
            "“The berth is closed for repairs,” the spokesman said.",
        ]
    )

    assert sources == []
    assert [q.speaker for q in quotes] == [None]


def test_a_role_resolves_only_when_one_person_holds_it():
    quotes = speakers(
        [
            "Prime Minister Ana Lopez and Health Minister Eva Stone met on Monday.",
            "“We agreed a budget,” the prime minister said.",
            "“Clinics will stay open,” the minister said.",
        ]
    )

    assert quotes == [
        ("We agreed a budget", "Ana Lopez"),
        ("Clinics will stay open", None),
    ]


def test_two_people_sharing_a_surname_are_not_merged():
    sources, quotes = find_quotes(
        [
            "“We fish every day,” said Ann Lee, a trawler captain.",
            "“I sell what she lands,” said Ben Lee, a fishmonger.",
            "“Prices are low,” Lee said.",
        ]
    )

    assert [s.name for s in sources] == ["Ann Lee", "Ben Lee"]
    assert [q.speaker for q in quotes] == ["Ann Lee", "Ben Lee", None]


def test_similar_names_in_any_script_are_different_people():
    sources, quotes = find_quotes(
        [
            "“We will stay,” said 王伟, a shop owner.",
            "“So will we,” said 王玮, who runs the bakery.",
            "“Dr. Omar Haddad treated me,” said Dr. Omar Hadad, a surgeon.",
        ]
    )

    assert [s.name for s in sources] == ["王伟", "王玮", "Omar Hadad"]
    assert [q.speaker for q in quotes] == ["王伟", "王玮", "Omar Hadad"]


def test_the_statement_and_the_report_are_never_person_sources():
    sources, quotes = find_quotes(
        [
            "The port authority issued a statement on Friday.",
            "“Repairs will take a month,” the statement said.",
            "“Traffic fell by a third,” the report said.",
        ]
    )

    assert all(s.kind != "person" for s in sources)
    assert len(quotes) == 2


def test_section_labels_publishers_and_people_only_mentioned_are_not_sources():
    sources, quotes = find_quotes(
        [
            "WORLD NEWS",
            "The Riverton Herald",
            "Mayor Ann Lee attended alongside Tom Hill.",
            "“It was a fine day for the town,” said one resident.",
        ]
    )

    assert sources == []
    assert [q.speaker for q in quotes] == [None]


def test_a_place_introduced_with_a_description_is_not_a_person():
    quotes = speakers(
        [
            "Port Talbot, a town of 30,000 people, lost its ferry in March.",
            "“We feel forgotten,” he said.",
        ]
    )

    assert quotes == [("We feel forgotten", None)]


def test_a_pull_quote_is_not_given_to_the_speaker_before_it():
    repeated = "The harbour will not close while I am mayor, whatever it costs."
    quotes = speakers(
        [
            "“The fares stay,” said Tom Hill, a ferry pilot.",
            f"“{repeated}”",
            "Ann Lee, the mayor, spoke last.",
            f"“{repeated}” she said.",
        ]
    )

    assert quotes == [("The fares stay", "Tom Hill"), (repeated, "Ann Lee")]


def test_a_title_or_a_name_in_quotation_marks_is_not_a_quote():
    quotes = speakers(
        [
            "Tom Hill said his film “Salt And Iron” would open in May, "
            "and that the crew was “exhausted but proud.”"
        ]
    )

    assert quotes == [("exhausted but proud.", "Tom Hill")]


# The development corpus, when it is there


def test_no_quote_in_the_development_corpus_goes_to_a_wrong_speaker():
    key_file = shared_file("samples/copy/ANSWERS.json")
    answers = json.loads(key_file.read_text(encoding="utf-8"))
    right = wrong = 0
    for key, answer in answers.items():
        if not key.startswith("text/"):
            continue
        blocks = [
            b.strip()
            for b in (key_file.parent / key).read_text(encoding="utf-8").split("\n\n")
        ]
        body = [i for i, role in enumerate(answer["block_roles"]) if role == "body"]
        _, quotes = find_quotes(
            [blocks[i] for i in body], authors=answer.get("bylines") or []
        )
        stored = [q for q in quotes if q.kind == "direct"]
        for expected in answer["quotes"]:
            start = " ".join(expected["starts"].split()[:3]).strip("“”«»„\"' ")
            match = next(
                (
                    q
                    for q in stored
                    if body[q.paragraph] == expected["block"] - 1 and start in q.text
                ),
                None,
            )
            if match is None or match.speaker is None:
                continue
            stored.remove(match)
            want = expected["speaker"]
            if want and normalise_name(match.speaker).endswith(normalise_name(want)):
                right += 1
            else:
                wrong += 1
    assert wrong == 0
    assert right >= 100


@pytest.mark.parametrize(
    ("named", "later", "name", "description"),
    [
        (
            "Lt. Col. Ana Reyes",
            "“We leave at dawn,” Reyes said.",
            "Ana Reyes",
            "Lt. Col.",
        ),
        ("M. Paul Dupont", "« Nous partons », a dit M. Dupont.", "Paul Dupont", ""),
        ("Sra. Marta Gil", "“Nos vamos”, dijo la Sra. Gil.", "Marta Gil", ""),
        ("Herr Jens Kohl", "„Wir gehen“, sagte Herr Kohl.", "Jens Kohl", ""),
        ("Frau Ina Roth", "„Wir bleiben“, sagte Roth.", "Ina Roth", ""),
        (
            "Prime Minister Ana Lopez",
            "“We stay,” the prime minister said.",
            "Ana Lopez",
            "Prime Minister",
        ),
    ],
)
def test_courtesy_titles_and_ranks_are_not_part_of_the_name(
    named, later, name, description
):
    sources, quotes = find_quotes([f"{named} arrived on Monday.", later])

    assert [(s.name, s.description) for s in sources] == [(name, description)]
    assert [q.speaker for q in quotes] == [name]


def test_the_spokesman_is_the_one_spokesman_named():
    quotes = speakers(
        [
            "Port spokesman Tom Hill said the berth was closed.",
            "Mayor Ann Lee visited on Tuesday.",
            "“Repairs take a month,” the spokesman said.",
        ]
    )

    assert quotes == [("Repairs take a month", "Tom Hill")]


def test_the_subject_of_the_sentence_speaks_in_a_participle_clause():
    quotes = speakers(
        [
            "Ann Lee, the mayor, closed the bridge, saying the cables were "
            "“worn beyond repair.”",
            "Earlier Monday, Lee met Tom Hill, telling reporters afterwards that "
            "the meeting had been “useful but short.”",
        ]
    )

    assert quotes == [
        ("worn beyond repair.", "Ann Lee"),
        ("useful but short.", "Ann Lee"),
    ]


def test_markup_that_reached_the_finder_as_text_is_not_read_as_prose():
    quotes = speakers(
        [
            "Tom Hill, a ferry pilot, said the crossing was closed.",
            '<script>{"articleBody":"“It is shut,” Ann Lee said."}</script>',
            "“We will reopen in May,” he said.",
        ]
    )

    assert quotes == [("We will reopen in May", "Tom Hill")]


def test_an_organisation_without_a_telltale_word_is_not_a_person():
    sources, quotes = find_quotes(
        ["“The ban is unlawful,” Amnesty International said in a statement."]
    )

    assert [s.kind for s in sources] == ["organisation"]
    assert all(s.kind != "person" for s in sources)


def test_the_mayor_is_not_a_former_mayor():
    quotes = speakers(
        [
            "Tom Hill, a former mayor, opened the fair.",
            "“The fair is back,” the mayor said.",
        ]
    )

    assert quotes == [("The fair is back", None)]


def test_a_quotation_after_narrative_about_others_is_not_the_paragraph_speaker():
    quotes = speakers(
        [
            "“The plan works,” said Ann Lee, the mayor. Critics on the council "
            "disagree. “It fails every test we have.”",
        ]
    )

    assert quotes == [
        ("The plan works", "Ann Lee"),
        ("It fails every test we have.", None),
    ]


def test_a_bare_group_is_not_a_source():
    sources, quotes = find_quotes(["Police said: “The road is closed until noon.”"])

    assert sources == []
    assert [q.speaker for q in quotes] == [None]


def test_a_speaker_sharing_a_surname_with_the_author_is_still_a_source():
    quotes = speakers(
        ["“We sail at dawn,” ferry pilot Mina Kim said."], authors=["Joon Kim"]
    )

    assert quotes == [("We sail at dawn", "Mina Kim")]


def test_a_surname_alone_that_is_the_author_s_is_not_a_source():
    quotes = speakers(
        ["Mina Park runs the ferry.", "“We sail at dawn,” Kim said."],
        authors=["Joon Kim"],
    )

    assert quotes == [("We sail at dawn", None)]


def test_a_role_then_a_name_after_the_quotation():
    sources, quotes = find_quotes(
        ["“They came in the night,” explained the woman, Tuon Sary, 34."]
    )

    assert [(s.name, s.description) for s in sources] == [("Tuon Sary", "the woman")]
    assert [q.speaker for q in quotes] == ["Tuon Sary"]


def test_a_conjunction_before_the_speaker_is_not_part_of_the_name():
    quotes = speakers(
        [
            "Ann Lee, the mayor, opened the fair.",
            "But Lee said the rides were “older than the town hall.”",
        ]
    )

    assert quotes == [("older than the town hall.", "Ann Lee")]


def test_an_acronym_is_not_a_person_and_does_not_block_a_pronoun():
    quotes = speakers(
        [
            "RFTA, a regional transport body, cut its budget on Monday.",
            "Ann Lee, the mayor, said the RFTA had cut it by a third.",
            "“We will cope,” she said.",
        ]
    )

    assert quotes == [("We will cope", "Ann Lee")]


def test_an_organisation_s_acronym_is_that_organisation():
    sources, quotes = find_quotes(
        [
            "The Riverton Harbour Authority (RHA) published its plan on Monday.",
            "But the RHA says the new pier is “a decade away.”",
        ]
    )

    assert [(s.name, s.kind) for s in sources] == [
        ("Riverton Harbour Authority", "organisation")
    ]
    assert [q.speaker for q in quotes if q.kind == "direct"] == [
        "Riverton Harbour Authority"
    ]


def test_they_after_a_group_is_not_the_person_named_before():
    quotes = speakers(
        [
            "Ann Lee, the mayor, met the protesters outside the town hall.",
            "“We want answers,” they said.",
        ]
    )

    assert quotes == [("We want answers", None)]


# Middle initials


@pytest.mark.parametrize(
    "paragraph",
    [
        "“The pumps are too old,” says Hilda R. Okafor, an engineer at the port.",
        "Hilda R. Okafor, an engineer at the port, said: “The pumps are too old.”",
        "“The pumps are too old,” said engineer Hilda R. Okafor.",
    ],
)
def test_a_middle_initial_stays_in_the_speakers_name(paragraph):
    sources, quotes = find_quotes(["The harbour board met on Friday.", paragraph])
    assert [(q.text.rstrip("."), q.speaker) for q in quotes if q.kind == "direct"] == [
        ("The pumps are too old", "Hilda R. Okafor")
    ]
    assert "Okafor" not in [s.name for s in sources]


def test_a_later_surname_finds_the_person_named_with_an_initial():
    quotes = speakers(
        [
            "Hilda R. Okafor, an engineer, inspected the pumps.",
            "“They will fail by winter,” Okafor said.",
        ]
    )
    assert quotes == [("They will fail by winter", "Hilda R. Okafor")]
