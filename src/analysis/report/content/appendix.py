"""Bilag: the case municipalities, the questionnaire, response, and the 2015 report's own
figures set against the figures computed from the data.

The comparison with the 2015 report's figures is in
:mod:`~analysis.report.content.appendix_2015`, the tests table in
:mod:`~analysis.report.content.appendix_tests`; the bilag's notebook finds both here
(``appendix.…``), and ``appendix.danish`` for the prose's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.appendix_2015 import (  # noqa: F401  (the notebook's appendix.…)
    FIGURE_IDS, NEAR, WORD_SHARES, comparison_table, computed_figures, findings, reachable)
from analysis.report.content.appendix_tests import (  # noqa: F401
    COMPARISONS, FRAGILE_ANSWERS, TEST_QUESTIONS, TESTS, TESTS_NOTE, VERDICTS, Tested,
    comparisons, tests_table)
from analysis.report.content.common import labels_for  # noqa: F401
from analysis.report.content.front import Cases
from analysis.report.content.front import cases as front_cases
from analysis.report.content.values import described, value
from analysis.report.present import ProvenanceOutput, Table
from analysis.report.provenance import describe
from analysis.stats.estimate import SIGNIFICANCE
from analysis.stats.results import Report


def cases(report: Report) -> Cases:
    """The case municipalities and which of them the data hold (see
    :class:`~analysis.report.content.front.Cases`): ``cases.missing`` names those not in the
    register, which the table leaves out."""
    return front_cases(report)


def case_table(report: Report) -> Table:
    """The case municipalities with their register facts, one row each."""
    nat = report.national
    cases = nat.dataset.published.get("population", {}).get("casekommuner", [])
    reg = nat.register[nat.register["kommunenavn"].isin(cases)].sort_values("kommunenavn")
    frame = pd.DataFrame({
        "Kommune": reg["kommunenavn"],
        "Region": reg["region"],
        "Indbyggere": [danish.integer(v) for v in reg["folketal_2015"]],
        "Helhedsplaner": [danish.integer(v) for v in reg["antal_helhedsplaner"]],
        "Beboere i områderne": [danish.integer(v) for v in reg["beboere_i_omraader"]],
        "Størrelsesgruppe": [danish.SIZE_GROUPS[g] for g in reg["size_group"]],
    })
    return Table.from_frame(frame, ident="casekommuner", caption="",
                            source=danish.n_source(len(frame), danish.SOURCE_REGISTER
                                                   + " og Danmarks Statistik"))


@described
@dataclass(frozen=True)
class Response:
    """The survey's response and the rules the report's numbers follow."""

    sent: int = value("Municipalities the questionnaire went to.", "kommuner med en helhedsplan")
    completed: int = value("Municipalities that completed it.", "kommuner med en helhedsplan")
    rate: str = value("completed of sent, a whole percentage as everywhere outside the "
                      "comparison with 2015: ``93 %``.", "kommuner med en helhedsplan")
    incomplete: int = value("Responses started but not completed (left out of the analysis).",
                            "besvarelser i spørgeskemaets data")
    k: int = value("The fewest answers a group figure may show (disclosure control).",
                   "kommuner med et gyldigt svar i en gruppe")
    suppressed: int = value("Group figures suppressed in every report.",
                            "spørgsmål og størrelsesgrupper")
    significance: str = value("The p-value under which a difference counts: ``0,05``.",
                              "de statistiske test")


def response(report: Report) -> Response:
    nat = report.national
    n_reg, n_resp = len(nat.register), len(nat.respondents)
    return Response(sent=n_reg, completed=n_resp,
                    rate=danish.percent(n_resp / n_reg) if n_reg else "–",
                    incomplete=len(nat.dataset.survey.incomplete), k=nat.plan.k,
                    suppressed=len(nat.plan.suppressed),
                    significance=danish.decimal(SIGNIFICANCE, 2))


# The questionnaire table's last column: did the 2015 report publish results from the question
# (the codebook's published_2015; "–" where it does not say).
IN_2015 = {True: "Ja", False: "Nej, tilføjet"}


def codebook_table(report: Report) -> Table:
    """The questionnaire: each question of the codebook with its chapter and answers."""
    nat = report.national
    rows = []
    for q in nat.codebook.questions.values():
        if q.type == "multiple":
            answers = "; ".join(q.options.values())
        else:
            answers = "; ".join(f"{k} = {v}" for k, v in q.answers.items())
        rows.append((str(q.chapter), q.text, answers, IN_2015.get(q.published_2015, "–")))
    frame = pd.DataFrame(rows, columns=["Kapitel", "Spørgsmål", "Svarmuligheder",
                                       "I 2015-rapporten"])
    return Table.from_frame(frame, ident="spoergeskema", caption="",
                            source="Kilde: undersøgelsens kodebog. »Nej, tilføjet«: "
                                   "2015-rapporten offentliggjorde ingen resultater fra "
                                   "spørgsmålet; det er tilføjet i denne udgave.")


@described
@dataclass(frozen=True)
class Colophon:
    """How the report was made, as a reader can read it (the machine record is
    ``provenance.json``)."""

    files: str = value("The input files, by name, enumerated.", "datamappens inputfiler")
    version: str = value("The tool's version.", "pakkens version")
    commit: str = value("The git commit of the code (``+ændringer`` when the tree has changes), "
                        "or ``ukendt``.", "kodens git-commit", example="3f9c2a1b7d4e")
    rendered: str = value("The date the report was rendered (SOURCE_DATE_EPOCH's day when set).",
                          "datoen for renderingen")
    fingerprint: str = value("The first 12 hex digits of a hash over every input file's hash.",
                             "alle inputfilers SHA-256")
    k: int = value("The fewest answers a group figure may show (disclosure control).",
                   "kommuner med et gyldigt svar i en gruppe")


def colophon(report: Report) -> Colophon:
    info = describe(report)
    names = [name.rsplit("/", 1)[-1] for name in info.inputs]
    return Colophon(files=danish.enumerate_words(names), version=info.version,
                    commit=info.commit, rendered=info.rendered,
                    fingerprint=info.fingerprint[:12], k=info.parameters["k"])


def provenance(report: Report) -> ProvenanceOutput:
    """The record written to ``provenance.json`` (computed where the report is computed)."""
    return ProvenanceOutput(describe(report).record())
