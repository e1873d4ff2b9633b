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
    COMPARISONS, FRAGILE_ANSWERS, ROW_QUESTIONS, TEST_QUESTIONS, TESTS, TESTS_NOTE,
    VERDICTS, Tested, comparisons, leaves_out_added, rests_on_added, tests_table)
from analysis.report.content.common import labels_for  # noqa: F401
from analysis.report.content import front
from analysis.report.content.front import Cases
from analysis.report.content.front import cases as front_cases
from analysis.report.content.values import described, value
from analysis.report.present import ProvenanceOutput, Table
from analysis.report.provenance import describe
from analysis.stats.estimate import SIGNIFICANCE
from analysis.stats.results import Report

# What the values' counts are counted among (their denominators), each used by several values.
BASE_REGISTER = "kommuner med en helhedsplan"
BASE_SUPPRESSED = "spørgsmål og størrelsesgrupper"


def cases(report: Report) -> Cases:
    """The case municipalities and which of them the data hold (see
    :class:`~analysis.report.content.front.Cases`): ``cases.missing`` names those not in the
    register, which the table leaves out."""
    return front_cases(report)


def case_table(report: Report) -> Table:
    """The case municipalities with their register facts, one row each. With synthetic data
    only their region and population (real in every dataset): the register's plans and
    residents are then made up, and a made-up number beside a real, named municipality reads
    as that municipality's own."""
    nat = report.national
    cases = nat.dataset.published.get("population", {}).get("casekommuner", [])
    reg = nat.register[nat.register["kommunenavn"].isin(cases)].sort_values("kommunenavn")
    frame = pd.DataFrame({
        "Kommune": reg["kommunenavn"],
        "Region": reg["region"],
        "Indbyggere": [danish.integer(v) for v in reg["folketal_2015"]],
    })
    if report.synthetic:
        source = "Danmarks Statistik, 2015 (indbyggertal)"
    else:
        frame["Helhedsplaner"] = [danish.integer(v) for v in reg["antal_helhedsplaner"]]
        frame["Beboere i områderne"] = [danish.integer(v) for v in reg["beboere_i_omraader"]]
        frame["Størrelsesgruppe"] = [danish.SIZE_GROUPS[g] for g in reg["size_group"]]
        source = danish.register_source(False, population=True)
    return Table.from_frame(frame, ident="casekommuner", caption="",
                            source=danish.n_source(len(frame), source))


@described
@dataclass(frozen=True)
class Response:
    """The survey's response and the rules the report's numbers follow."""

    sent: int = value("Municipalities the questionnaire went to.", BASE_REGISTER)
    completed: int = value("Municipalities that completed it.", BASE_REGISTER)
    rate: str = value("completed of sent, a whole percentage as everywhere outside the "
                      "comparison with 2015: ``93 %``.", BASE_REGISTER)
    incomplete: int = value("Responses started but not completed (left out of the analysis).",
                            "besvarelser i spørgeskemaets data")
    k: int = value("The fewest answers a group figure may show (disclosure control).",
                   "kommuner med et gyldigt svar i en gruppe")
    suppressed: int = value("Group figures suppressed in every report.",
                            BASE_SUPPRESSED)
    suppressed_in: str = value("The questions whose group figures are suppressed, by their "
                               "short names in » «, joined with og: ``»Koordinatorens "
                               "placering«``.", BASE_SUPPRESSED)
    significance: str = value("The p-value under which a difference counts: ``0,05``.",
                              "de statistiske test")
    added: int = value("Questions of the codebook that this edition added (the 2015 report "
                       "printed no results from them, and the codebook does not say the 2015 "
                       "survey asked them); 0 leaves out their table.",
                       "spørgsmål i kodebogen")
    asked: str = value("The questions the 2015 survey asked but its report printed no numbers "
                       "from (the codebook's ``asked_2015``), by their short names in » «, "
                       "joined with og; '' when there are none.", "spørgsmål i kodebogen")
    unknown: int = value("Questions of the codebook that do not say whether the 2015 report "
                         "printed results from them (``published_2015`` unset); above 0, the "
                         "questionnaire's first table is not only 2015's questions.",
                         "spørgsmål i kodebogen")


def response(report: Report) -> Response:
    nat = report.national
    n_reg, n_resp = len(nat.register), len(nat.respondents)
    return Response(sent=n_reg, completed=n_resp,
                    rate=danish.percent(n_resp / n_reg) if n_reg else "–",
                    incomplete=len(nat.dataset.survey.incomplete), k=nat.plan.k,
                    suppressed=len(nat.plan.suppressed),
                    suppressed_in=danish.enumerate_words(list(dict.fromkeys(
                        danish.quoted(nat.question(s.question).short)
                        for s in nat.plan.suppressed))),
                    significance=danish.decimal(SIGNIFICANCE, 2),
                    added=sum(q.added for q in nat.codebook.questions.values()),
                    asked=danish.enumerate_words([
                        danish.quoted(q.short) for q in nat.codebook.questions.values()
                        if q.published_2015 is False and q.asked_2015]),
                    unknown=sum(q.published_2015 is None
                                for q in nat.codebook.questions.values()))


# The questionnaire table's last column: did the 2015 report publish results from the question
# (the codebook's published_2015; "–" where it does not say).
IN_2015 = {True: "Ja", False: "Nej"}
# The source line's note where the codebook leaves published_2015 unset for some question.
UNKNOWN_2015 = ("Tankestreg i sidste kolonne: kodebogen oplyser ikke, om 2015-rapporten trykte "
                "resultater fra spørgsmålet.")


# The questions in the order the chapters use them (chapter 5 takes the internal forum and
# knowledge sharing before where the coordinator sits). The questionnaire table lists them by
# chapter and then in this order; a question not named here follows its chapter's named ones,
# in the codebook's order.
USE_ORDER = ("har_koordinator", "tid_koordinering", "tilfreds_adm_ledelse",
             "trin_boligorganisation", "trin_helhedsplan", "faelles_maal", "tillid", "forum",
             "internt_forum", "vidensdeling", "koordinator_placering", "tilfreds_pol_ledelse",
             "ledelse_kunne_prioritere_hoejere", "ledelse_kommunikerer_maal",
             "medarbejdere_snitflader", "metodefrihed")


# The questionnaire table's mark on the chapter of a question from which, with example data, the
# national chapters print no result (no figure draws it, and the text quotes no number from a
# question 2015 published nothing from); its source line says where the answers are used. Not
# the municipal overview's mark of an added question (own_words.ADDED_MARK), which an edition
# prints too.
NOT_SHOWN_MARK = "\u2021"
NOT_SHOWN_NOTE = (f"{NOT_SHOWN_MARK} Med eksempeldataene viser kapitlet ingen resultater fra "
                  "spørgsmålet; svarene bruges kun i kommunernes egne udgaver.")


def drawn_questions() -> frozenset[str]:
    """The questions whose answers a chapter draws in a figure, from the figures' own item
    lists (samarbejdstrappen, the agree statements and the fora)."""
    from analysis.report.content.themes_figures import (CHAPTER_ITEMS, FORUM_QUESTION,
                                                        TRAPPE_PARTNERS)
    return frozenset({q for items in CHAPTER_ITEMS.values() for q in items}
                     | set(TRAPPE_PARTNERS) | {FORUM_QUESTION})


def shown_in_chapter(report: Report, q) -> bool:
    """Whether the national chapter shows a result from question ``q``: always with real data
    (the chapters then print the numbers), and with example data only where 2015 published
    results from it or a figure the report shows draws its answers (with example data
    calibrated to 2015, only samarbejdstrappen of the added questions' figures stands in the
    national and a non-respondent's edition: ``NotebookReport.show_added``)."""
    from analysis.report.content.themes_figures import TRAPPE_PARTNERS

    drawn = drawn_questions() if report.show_added else frozenset(TRAPPE_PARTNERS)
    return not report.synthetic or q.published_2015 is True or q.id in drawn


def codebook_table(report: Report, added: bool | None = None) -> Table | None:
    """The questionnaire: each question of the codebook with its chapter and answers, by
    chapter and, within a chapter, in the order the chapter uses them (:data:`USE_ORDER`).

    ``added``: only the questions this edition added (``Question.added``; ``True``) or only
    the others (``False``: 2015's, with those the 2015 survey asked although its report
    printed no numbers from them, ``asked_2015``), so the bilag can show the two as
    separate tables; None: every question. A part table is named after the whole
    (``spoergeskema-tilfoejet`` for the added questions). None when no question is left (a
    codebook without added questions shows no table of them)."""
    nat = report.national
    codebook = list(nat.codebook.questions.values())
    if added is not None:
        codebook = [q for q in codebook if q.added == added]

    def order(q) -> tuple[int, int, int]:
        used = USE_ORDER.index(q.id) if q.id in USE_ORDER else len(USE_ORDER)
        return q.chapter, used, codebook.index(q)

    if not codebook:
        return None
    rows = []
    for q in sorted(codebook, key=order):
        if q.type == "multiple":
            answers = "; ".join(q.options.values())
        else:
            # no-break spaces: a line never parts a code from its words (»4 = En fuldtid…«)
            answers = "; ".join(f"{k}\u00a0=\u00a0{v}" for k, v in q.answers.items())
        chapter = str(q.chapter) + ("" if shown_in_chapter(report, q) else NOT_SHOWN_MARK)
        text = q.text if not q.changed_2015 else f"{q.text} ({q.changed_2015})"
        rows.append((chapter, text, answers, IN_2015.get(q.published_2015, "–")))
    frame = pd.DataFrame(rows, columns=["Kapitel", "Spørgsmål", "Svarmuligheder",
                                       "I 2015-rapporten"])
    whose = "Eksempeldataenes" if report.synthetic else "Undersøgelsens"
    source = (f"Kilde: {whose} kodebog. Nej i sidste kolonne: spørgsmålet indgår i disse data, "
              "men 2015-rapporten gengiver hverken spørgsmålet eller resultater fra det.")
    if added is not None:          # a part table: the last column would say the same each row
        source = f"Kilde: {whose} kodebog."
    if any(q.published_2015 is None for q in codebook):
        # the last column tells 2015's questions from those the codebook says nothing about
        source = f"{source} {UNKNOWN_2015}"
    elif added is not None:
        frame = frame.drop(columns="I 2015-rapporten")
    if not all(shown_in_chapter(report, q) for q in codebook):
        source = f"{source} {NOT_SHOWN_NOTE}"
    ident = "spoergeskema" if not added else "spoergeskema-tilfoejet"
    return Table.from_frame(frame, ident=ident, caption="", source=source)


@described
@dataclass(frozen=True)
class Colophon:
    """The colophon as a publisher prints it: the report's title and subtitle, the publisher's
    words of the title page, and the date. What the data are is said by the notebook's cells
    (``r.calibrated``, ``r.synthetic_uncalibrated``, …); the input files, their hashes and the
    code's version are in ``provenance.json``, which goes with the report, not in its text."""

    title: str = value("The report's title, as on the title page.", "rapportens titel")
    subtitle: str = value("The subtitle, as on the title page (a municipal edition's names the "
                          "municipality).", "rapportens undertitel")
    publisher: str = value("The publisher's line of the title page.", "titelbladet")
    rendered: str = value("The date the report was rendered (SOURCE_DATE_EPOCH's day when set), "
                          "the title page's date.", "datoen for renderingen")


def colophon(report: Report) -> Colophon:
    return Colophon(title=front.TITLE, subtitle=front.subtitle(report),
                    publisher=front.PUBLISHER, rendered=describe(report).rendered)


def provenance(report: Report) -> ProvenanceOutput:
    """The record written to ``provenance.json`` (computed where the report is computed)."""
    return ProvenanceOutput(describe(report).record())
