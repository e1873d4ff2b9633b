"""The municipality's overview near the front of its report (:func:`overview`: a table of its
answers, each a strength or a gap, with its strengths and gaps in words), and, for a
municipality that did not answer, how its size group answered (:func:`group_answers`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.common import suppressed_note
from analysis.report.content.own_answers import _forum_label, _pct, _source, group_heading
from analysis.report.content.own_verdicts import (AS_GROUP_LABEL, GAP_LABEL, OVERVIEW,
                                                  STRENGTH_LABEL, _staircase_asymmetry,
                                                  verdict_sentences)
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table


@described
@dataclass(frozen=True)
class Overview:
    """The municipality's answers on one page: a table and its strengths and gaps in words."""

    table: Table | None = value("The overview table: each answer that can be a strength, the "
                                "whole country's and the size group's share giving such an "
                                "answer with its N, and whether the municipality's own answer "
                                "is a strength or a gap; None in the national report and for a "
                                "municipality that did not answer.",
                                "kommunens egne svar mod kommuner med et gyldigt svar",
                                example="(tabellen)")
    strengths: str = value("The strengths as sentences, grouped by theme ('' if none).",
                           "kommunens egne svar")
    gaps: str = value("What can be strengthened, as sentences grouped by theme ('' if "
                      "nothing).", "kommunens egne svar")
    strong: tuple[str, ...] = value("The recommendation rules whose question the municipality "
                                    "answered with a strength.", "kommunens egne svar",
                                    default=())
    weak: tuple[str, ...] = value("The recommendation rules its answers trigger: one "
                                  "recommendation each.", "kommunens egne svar", default=())
    unanswered: int = value("How many of the overview's questions it gave no valid answer "
                            "to.", "kommunens egne svar", default=0)
    level: tuple[str, ...] = value("The rules whose question it answered outside the "
                                   "favourable answers, as most of its comparison group did: "
                                   "neither strength nor gap.", "kommunens egne svar",
                                   default=())
    asymmetry: str = value("A sentence on the two steps of samarbejdstrappen where they "
                           "differ ('' where they are the same or not both answered).",
                           "kommunens egne svar", default="")

    @property
    def n_strengths(self) -> int:
        """How many strengths."""
        return len(self.strong)

    @property
    def n_gaps(self) -> int:
        """How many gaps (as many as the recommendations)."""
        return len(self.weak)

    @property
    def gap_pointer(self) -> str:
        """Where the gaps are taken up: ``Anbefalingen efter konklusionen tager det op.`` or
        ``Anbefalingerne efter konklusionen tager dem op, én for hvert punkt.``"""
        if self.n_gaps == 1:
            return "Anbefalingen efter konklusionen tager det op."
        return "Anbefalingerne efter konklusionen tager dem op, én for hvert punkt."


def _overview_question(report: Report, name: str) -> str:
    column = rules.TRIGGERS[name][0]
    if column in FORUM_LEVELS:
        return _forum_label(column)
    return report.national.question(column).short


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "", "")
    raad = rules.advice(report)
    rows, notes, good, weak, level, missing = [], [], [], [], [], 0
    for name in OVERVIEW:
        hit = rules.triggers(report, name)
        if hit is None:
            missing += 1
            continue
        as_group = rules.as_group(report, name)
        column = rules.TRIGGERS[name][0]
        answer = ("Ja" if m.answer(column) == 1 else "Nej") if column in FORUM_LEVELS else \
            report.national.question(column).answers[m.answer(column)]
        group = raad.group(name)
        if group is None:
            notes.append(suppressed_note(report, rules.question_id(report, column)))
        rows.append((_overview_question(report, name), answer, *_pct(raad.country(name)),
                     *_pct(group),
                     GAP_LABEL if hit else AS_GROUP_LABEL if as_group else STRENGTH_LABEL))
        (weak if hit else level if as_group else good).append(name)
    columns = ["Spørgsmål", "Kommunens svar", danish.COUNTRY, "N",
               group_heading(m.size_group), "N", "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt",
                             caption="", source=_source(("koordinator_placering",)),
                             notes=tuple(sorted({n for n in notes if n})))
    return Overview(table=table, strengths=verdict_sentences(report, good, True),
                    gaps=verdict_sentences(report, weak, False), strong=tuple(good),
                    weak=tuple(weak), level=tuple(level), unanswered=missing,
                    asymmetry=_staircase_asymmetry(report))


# ---------------------------------------------------------------- the size group's answers

def _counted_answers(report: Report, name: str) -> str:
    """The answers that do not trigger the rule, as the table names them: ``Overvejende enig
    eller helt enig``, ``Positiv koordinering eller innovative løsninger``, ``Ja``."""
    column, group, outside = rules.TRIGGERS[name]
    if group == "":
        return "Ja"
    q = report.national.question(column)
    codes = q.groups[group] if outside else [c for c in q.answers if c not in q.groups[group]]
    words = danish.alternatives([q.answers[c].lower() for c in codes])
    return words[0].upper() + words[1:]


def group_answers(report: Report) -> Table | None:
    """How the municipality's size group and the whole country answered the overview's
    questions, each share with its N (for a municipality that did not answer; None for the
    national report). A size group's figure the disclosure plan suppresses is ``–``, with its
    footnote."""
    m = report.municipality
    if m is None:
        return None
    country = {name: rules._country(report, *rules.TRIGGERS[name]) for name in OVERVIEW}
    rows, notes = [], []
    for name in OVERVIEW:
        group = rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
        if group is None:
            notes.append(suppressed_note(report,
                                         rules.question_id(report, rules.TRIGGERS[name][0])))
        rows.append((_overview_question(report, name), _counted_answers(report, name),
                     *_pct(group), *_pct(country[name])))
    columns = ["Spørgsmål", "Andelen, der svarer", group_heading(m.size_group), "N",
               danish.COUNTRY, "N"]
    return Table.from_frame(pd.DataFrame(rows, columns=columns), ident="stoerrelsesgruppen",
                            caption="", source=_source(("koordinator_placering",)),
                            notes=tuple(sorted({n for n in notes if n})))
