"""Nothing the report says about a named case municipality contradicts that municipality's own
data, as its own edition prints it.

The national chapters tell the 2015 report's examples from the five case municipalities, and
each case municipality's own edition shows the interview excerpts it may be named in. A
coordinator who reads that Køge is the example of trust, and then finds its own answer on trust
to be neutral, rejects the report. So every claim the text makes about a case municipality is
stated here, tied to the words that make it, and checked against the municipality's answers
(or register facts) in the shipped data:

* a claim applies while its words are in the text (a claim whose words the text no longer has
  says nothing);
* every passage of the national text and every cleared excerpt that names a case municipality
  must be covered by a claim, or be listed as one that says nothing about its answers, so that a
  new example is checked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis.report.dialect import tags as audience
from analysis.report.notebook import setup

PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
EXCERPTS = PROJECT / "data" / "interviews" / "excerpts.csv"
CASES = ("Albertslund", "Herning", "Køge", "Odense", "Sønderborg")


@dataclass(frozen=True)
class Claim:
    """What the text says of ``kommune``, in ``words``, as an answer: the question (or the
    register's column) and the answer group, or the codes, that agree with it."""

    kommune: str
    words: str                      # the words in the text that make the claim
    question: str                   # survey question, option column or register column
    agrees: str | tuple[int, ...]   # an answer group of the codebook, or the codes / values
    why: str


# The national chapters' examples (the 2015 report's, retold).
TEXT_CLAIMS = (
    Claim("Albertslund", "Fordi samarbejdet med kommunen var godt", "trin_helhedsplan",
          "oeverste_trin", "the kommune and the helhedsplan solved an acute case together: "
          "positive coordination (the third step) or above"),
    Claim("Sønderborg", "Kommunen har taget metoden til sig", "trin_helhedsplan", (4,),
          "the kommune took the helhedsplan's method into its own work: the example of the "
          "fourth step, innovative solutions"),
    Claim("Albertslund", "samle en task force", "trin_helhedsplan", "oeverste_trin",
          "the same case, retold in chapter 4: they knew each other and solved it together"),
    Claim("Sønderborg", "repræsentanter fra flere forvaltninger", "internt_forum", "ja",
          "the youth coordinator reports to a steering group of several departments, told as "
          "an example of a fixed internal forum"),
    Claim("Køge", "Den fælles indgang", "internt_forum", "ja",
          "staff from three departments work as one: a fixed cross-departmental forum"),
    Claim("Køge", "Den fælles indgang", "vidensdeling", "enig",
          "the departments share what they know of a family"),
    Claim("Køge", "fælles forståelse af indholdet", "faelles_maal", "enig",
          "the workshops gave the parties a shared understanding of the work's content"),
    Claim("Køge", "fastlåst forhandling", "tillid", "enig",
          "the example of trust built by informal contact"),
    Claim("Køge", "respektfuldt og loyalt", "tillid", "enig",
          "the example of loyalty that builds trust"),
    Claim("Køge", "samlet helhedsplan for fire store boligområder", "antal_helhedsplaner", (1,),
          "one plan for four areas: the register's count of plans, in Køge's own edition"),
)
# The excerpts the municipality's own edition attributes to it (clearance »ja«).
EXCERPT_CLAIMS = (
    Claim("Albertslund", "jobvejlederen i boligområdet mødes hver uge", "forum_udfoerende",
          (1,), "the staff meet every week: a fixed forum at the executive level"),
    Claim("Odense", "Styregruppen mødes", "forum_strategisk", (1,),
          "a steering group: a fixed forum at the strategic level"),
    Claim("Odense", "følgegruppen", "forum_taktisk", (1,),
          "a follow-up group: a fixed forum at the tactical level"),
    Claim("Herning", "tværgående gruppe med en repræsentant fra hver forvaltning",
          "internt_forum", "ja", "a group with one member from every department"),
    Claim("Herning", "jeg ikke selv skal ringe rundt", "har_koordinator", "ja",
          "the speaker coordinates the work"),
    Claim("Sønderborg", "Vi valgte bevidst en medarbejder", "medarbejdere_snitflader", "enig",
          "staff chosen because their daily work concerns the same young people"),
    Claim("Køge", "drikke en øl sammen", "tillid", "enig",
          "a strategist tells how trust was built"),
    Claim("Køge", "Det er måden at omtale hinanden på", "tillid", "enig",
          "a tactician tells of the loyalty between the parties"),
)
# Passages that name a case municipality and say nothing its answers could contradict.
NO_CLAIM = {
    "Køge": ("bryder siloerne ned",),   # projects from outside break the silos: no answer
}


def _national_cells() -> list[tuple[str, str]]:
    """(notebook, text) of every markdown cell of the national text (the municipal editions
    carry it too)."""
    out = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "markdown" and not (audience.audience(tags) - {"national"}):
                out.append((path.stem, " ".join(cell.source.split())))
    return out


def _cleared_excerpts() -> pd.DataFrame:
    """The excerpts an edition may attribute to a case municipality, with its name."""
    ex = pd.read_csv(EXCERPTS, dtype=str, keep_default_na=False)
    reports = {name: setup(kommune=name) for name in CASES}
    names = {r.m.code: name for name, r in reports.items()}
    ex = ex[(ex["maa_tilskrives_kommune"] == "ja") & ex["kommunekode"].isin(names)]
    return ex.assign(kommune=ex["kommunekode"].map(names))


def _names(text: str) -> set[str]:
    return {name for name in CASES if re.search(rf"\b{name}\b", text)}


def _agrees(report, claim: Claim) -> tuple[bool, str]:
    """Whether the municipality's data agree with the claim, and what the data say."""
    m = report.m
    if claim.question in m.facts.index and claim.question not in report.national.codebook.questions:
        value = int(m.facts[claim.question])           # a register fact
        return value in claim.agrees, f"{claim.question} = {value} in the register"
    code = m.answer(claim.question)
    if code is None:
        return False, f"no answer to {claim.question}"
    if isinstance(claim.agrees, str):
        q = report.national.question(claim.question)
        return code in q.groups[claim.agrees], f"{claim.question}: {q.answers.get(code, code)}"
    return code in claim.agrees, f"{claim.question} = {code}"


def _applying(claims, texts: dict[str, list[str]]) -> list[Claim]:
    return [c for c in claims if any(c.words in t for t in texts.get(c.kommune, []))]


def _by_municipality(pairs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, text in pairs:
        out.setdefault(name, []).append(text)
    return out


NATIONAL = _by_municipality((name, text) for _, text in _national_cells()
                            for name in _names(text))


@pytest.fixture(scope="module")
def excerpts() -> dict[str, list[str]]:
    ex = _cleared_excerpts()
    return _by_municipality(zip(ex["kommune"], ex["tekst"].map(lambda t: " ".join(t.split()))))


@pytest.mark.parametrize("claim", TEXT_CLAIMS,
                         ids=lambda c: f"{c.kommune}: {c.words}")
def test_the_national_text_agrees_with_the_case_municipality(claim):
    if not _applying([claim], NATIONAL):
        pytest.skip("the text no longer has these words")
    report = setup(kommune=claim.kommune)
    if not report.m.answered and claim.question not in report.m.facts.index:
        pytest.fail(f"{claim.kommune} is told of as an example but did not answer")
    ok, said = _agrees(report, claim)
    assert ok, (f"the text says of {claim.kommune} »…{claim.words}…« ({claim.why}); its own "
                f"data say {said}")


@pytest.mark.parametrize("claim", EXCERPT_CLAIMS, ids=lambda c: f"{c.kommune}: {c.words}")
def test_an_attributed_excerpt_agrees_with_its_municipality(claim, excerpts):
    if not _applying([claim], excerpts):
        pytest.skip("no cleared excerpt of the municipality has these words")
    ok, said = _agrees(setup(kommune=claim.kommune), claim)
    assert ok, (f"{claim.kommune}'s own edition quotes »…{claim.words}…« ({claim.why}); its "
                f"own data say {said}")


def test_every_case_municipality_the_national_text_tells_of_has_answered():
    for name in NATIONAL:
        assert setup(kommune=name).m.answered, name


def test_every_passage_naming_a_case_municipality_is_checked(excerpts):
    known = {name: [c.words for c in (*TEXT_CLAIMS, *EXCERPT_CLAIMS) if c.kommune == name]
             + list(NO_CLAIM.get(name, ())) for name in CASES}
    unchecked = [(name, text[:90]) for source in (NATIONAL, excerpts)
                 for name, texts in source.items() for text in texts
                 if not any(words in text for words in known[name])]
    assert not unchecked, ("a passage names a case municipality but no claim here checks it "
                           f"against its data; add its claims: {unchecked}")


def test_the_claims_are_found_in_the_text(excerpts):
    # a claim whose words are nowhere is stale: most are in the text as it stands
    texts = {**{f"n:{k}": v for k, v in NATIONAL.items()},
             **{f"e:{k}": v for k, v in excerpts.items()}}
    found = [c for c in (*TEXT_CLAIMS, *EXCERPT_CLAIMS)
             if any(c.words in t for key, ts in texts.items() if key.endswith(c.kommune)
                    for t in ts)]
    assert len(found) >= len(TEXT_CLAIMS + EXCERPT_CLAIMS) // 2

