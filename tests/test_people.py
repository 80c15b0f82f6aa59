"""pages/gazetteer/people.py: officers named by rank, on hand-labelled sentences
(tests/data/people_sentences.jsonl) and by rule.

Labels are [name, normalised rank, force or null]: the force is the nearest police force or agency
named in the same sentence (for a PCC, the nearest PCC); a title without a name, a non-police
office ("Information Commissioner", "Wing Commander") or a brand ("PC World") is no person. The 30
sentences marked "batch": "blind" were written and labelled after the finder, without running it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pages.gazetteer import Gazetteer
from pages.gazetteer.people import RANKS, Person, find_people
from pages.tagging import tag_text
from tests.labelled import micro_scores

DATA = Path(__file__).parent / "data" / "people_sentences.jsonl"
SENTENCES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def triples(text: str, gazetteer: Gazetteer, part: str = "text") -> set[tuple]:
    """The people found in `text`: as an article's text, or (`part` "title") as its headline,
    read as tagging reads one (pages/tagging.py: none from a Title-Case headline)."""
    if part == "title":
        return {(p.name, p.rank, p.force) for p in tag_text(text, "", "", gazetteer)[1]}
    return {(p.name, p.rank, p.force) for p in find_people(text, gazetteer)}


def score(gazetteer: Gazetteer, rows: list[dict], key=lambda t: t) -> tuple[float, float, list]:
    """Micro precision and recall over (sentence, person) pairs (`key`: what of a person
    counts), and the errors."""
    return micro_scores(
        (
            row["text"],
            {key(t) for t in triples(row["text"], gazetteer, row.get("part", "text"))},
            {key(tuple(t)) for t in row["people"]},
        )
        for row in rows
    )


def test_the_labelled_set():
    assert len(SENTENCES) >= 60
    assert sum(not row["people"] for row in SENTENCES) >= 20  # titles and false friends
    ranks = {person[1] for row in SENTENCES for person in row["people"]}
    assert ranks <= set(RANKS)
    assert len(ranks) >= 20


def test_precision_and_recall_on_the_labelled_sentences(gazetteer):
    precision, recall, errors = score(gazetteer, SENTENCES)
    names = score(gazetteer, SENTENCES, key=lambda t: t[0])
    blind = score(gazetteer, [row for row in SENTENCES if row.get("batch") == "blind"])
    print(f"\npeople (name, rank, force): precision {precision:.3f} recall {recall:.3f}")
    print(f"names only: precision {names[0]:.3f} recall {names[1]:.3f}")
    print(f"blind batch: precision {blind[0]:.3f} recall {blind[1]:.3f}")
    print("\n".join(errors))
    assert precision >= 0.95 and recall >= 0.95, errors


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chief Constable Jane Smith said", ("Jane Smith", "Chief Constable")),
        ("Det Supt Mark Lee said", ("Mark Lee", "Detective Superintendent")),
        ("Det. Supt. Mark Lee said", ("Mark Lee", "Detective Superintendent")),
        ("PC Ann Jones said", ("Ann Jones", "Police Constable")),
        ("DSupt Ann O'Brien-McDonald said", ("Ann O'Brien-McDonald", "Detective Superintendent")),
        ("DCS J. R. Holt said", ("J. R. Holt", "Detective Chief Superintendent")),
        ("Ch Supt Ann Jones", ("Ann Jones", "Chief Superintendent")),
        ("Det Ch Supt Ann Jones", ("Ann Jones", "Detective Chief Superintendent")),
        ("Det Ch Insp Ann Jones", ("Ann Jones", "Detective Chief Inspector")),
        ("Cmdr Ann Jones", ("Ann Jones", "Commander")),
        ("DAC Ann Jones", ("Ann Jones", "Deputy Assistant Commissioner")),
        ("Deputy Commissioner Ann Jones", ("Ann Jones", "Deputy Commissioner")),
        ("Commissioner Sir Mark Rowley", ("Mark Rowley", "Commissioner")),
        ("Chief Constable Dame Ann Jones", ("Ann Jones", "Chief Constable")),
        ("Special Constable Ann Jones", ("Ann Jones", "Special Constable")),
        (
            "Police and Crime Commissioner Jane Smith",
            ("Jane Smith", "Police and Crime Commissioner"),
        ),
        ("the detective inspector, Ann Jones, said", ("Ann Jones", "Detective Inspector")),
        ("Commissioner Rachel de Souza", ("Rachel de Souza", "Commissioner")),
    ],
)
def test_rank_and_name(gazetteer, text, expected):
    assert [(p.name, p.rank) for p in find_people(text, gazetteer)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the Chief Constable said",
        "a Detective Inspector",
        "the new Commissioner will",
        "Chief Constable of Kent Police",
        "the Police Superintendent's Association",
        "PC World",
        "DC Comics",
        "Commissioner Street",
        "The Information Commissioner John Edwards",
        "Wing Commander Tom Blake",
        "Staff Sergeant Ann Jones",
        "Boston Police Commissioner Michael Cox",
        "Washington DC Mayor Muriel Bowser",
        "the detective inspector, who was named",
    ],
)
def test_not_people(gazetteer, text):
    assert find_people(text, gazetteer) == []


def test_a_later_surname_counts_toward_the_person(gazetteer):
    text = (
        "DCI Mark Lee of Kent Police said the case was complex. Det Supt Lee, as he now is, said "
        'more. Det Supt Mark Lee added: "We will not stop." PC Ann Lee was also there.'
    )
    assert find_people(text, gazetteer) == [
        Person("Mark Lee", "Detective Superintendent", "kent", 3),  # the most senior rank
        Person("Ann Lee", "Police Constable", None, 1),
    ]


def test_a_surname_joins_the_latest_person_before_it(gazetteer):
    text = "PC Ann Lee and PC Bob Lee arrived. PC Lee said. PC Lee was injured. Sgt Tom Ray too."
    people = {p.name: p.mentions for p in find_people(text, gazetteer)}
    assert people == {"Ann Lee": 1, "Bob Lee": 3, "Tom Ray": 1}


def test_the_force_is_the_nearest_in_the_sentence_else_the_main_force(gazetteer):
    text = (
        "Kent Police said DC Ann Jones had helped. Ch Insp Bob Ray of Essex Police thanked the "
        "NCA and Kent Police. Sgt Tom Ray said nothing. Kent PCC Jane Smith praised Kent Police."
    )
    people = find_people(text, gazetteer, main_force="surrey")
    assert [(p.name, p.force) for p in people] == [
        ("Ann Jones", "kent"),
        ("Bob Ray", "essex"),
        ("Tom Ray", "surrey"),
        ("Jane Smith", "kent-pcc"),  # a PCC's force is the PCC
    ]
    assert find_people("Sgt Tom Ray said nothing.", gazetteer)[0].force is None


def test_plural_ranks_name_several_people(gazetteer):
    people = find_people("PCs Amy Turner, Ann Lee and Josh Bell were praised.", gazetteer)
    assert [(p.name, p.rank) for p in people] == [
        ("Amy Turner", "Police Constable"),
        ("Ann Lee", "Police Constable"),
        ("Josh Bell", "Police Constable"),
    ]


def test_the_bundled_gazetteer_is_the_default():
    assert find_people("DI Ann Jones of the PSNI said") == [
        Person("Ann Jones", "Detective Inspector", "psni", 1)
    ]


def test_a_surname_joins_the_person_mentioned_last(gazetteer):
    text = (
        "PC Smith arrived first. PC Ann Smith and PC Bob Smith followed. Later PC Ann Smith "
        "spoke. PC Smith said more."
    )
    people = {p.name: p.mentions for p in find_people(text, gazetteer)}
    assert people == {"Smith": 1, "Ann Smith": 3, "Bob Smith": 1}
