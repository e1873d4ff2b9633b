"""The municipality's overview near the front of its report (:func:`overview`: a table of its
answers, each a strength or a gap, with its strengths and gaps in words), and, for a
municipality that did not answer, how its size group answered (:func:`group_answers`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.common import edition_note, suppressed_note
from analysis.report.content.own_answers import (N_IN_CELL_NOTE, _forum_label, _pct_n, _source,
                                                 counted_words, group_heading)
from analysis.report.content.own_verdicts import (GAP_LABEL, HALF_LABEL, LEFT_OUT,
                                                  MAJORITY_LABEL, MINORITY_LABEL, OVERVIEW,
                                                  STRENGTH_LABEL, _staircase_asymmetry,
                                                  gap_label, rare_strengths, relative_sentences,
                                                  relative_verdict, verdict_sentences)
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table


@described
@dataclass(frozen=True)
class Overview:
    """The municipality's answers on one page: a table and its strengths and gaps in words."""

    table: Table | None = value("The overview table: the municipality's answer to each "
                                "question, the answers the shares count, the whole country's "
                                "and the size group's share with its N, and the verdict "
                                "(a strength, a gap with its recommendation's number, or for "
                                "time and placement the part of the group it answers as); None "
                                "in the national report and for a municipality that did not "
                                "answer.",
                                "kommunens egne svar mod kommuner med et gyldigt svar",
                                example="(tabellen)")
    strengths: str = value("The strengths as sentences: first those fewer than half of "
                           "the comparison group share, each with its count, then the others "
                           "briefly ('' if none).", "kommunens egne svar mod kommunerne i "
                           "størrelsesgruppen med et gyldigt svar")
    gaps: str = value("What can be strengthened, as sentences grouped by theme ('' if "
                      "nothing).", "kommunens egne svar")
    strong: tuple[str, ...] = value("The recommendation rules whose question the municipality "
                                    "answered with a strength.", "kommunens egne svar",
                                    default=())
    weak: tuple[str, ...] = value("The recommendation rules its answers trigger: one "
                                  "recommendation each.", "kommunens egne svar", default=())
    unanswered: int = value("How many of the overview's questions it gave no valid answer "
                            "to.", "kommunens egne svar", default=0)
    level: tuple[str, ...] = value("The questions judged within the comparison group (time, "
                                   "placement) that are not gaps: neither strength nor gap.",
                                   "kommunens egne svar", default=())
    relative: str = value("For the questions of ``level``, what the municipality answered "
                          "and how many of its group answer on the same side ('' if none).",
                          "kommunerne i størrelsesgruppen med et gyldigt svar", default="")
    rare: tuple[str, ...] = value("The strengths that set it apart: fewer than half of its "
                                  "comparison group share them, the rarest first.",
                                  "kommunerne i størrelsesgruppen med et gyldigt svar",
                                  default=())
    asymmetry: str = value("A sentence on the two steps of samarbejdstrappen where they "
                           "differ ('' where they are the same or not both answered).",
                           "kommunens egne svar", default="")
    left_out: str = value("The chapter tables' question the overview leaves out, quoted by "
                          "its short label.", "spørgeskemaet",
                          default="")
    missing: tuple[str, ...] = value("The overview's questions it gave no valid answer to, by "
                                     "the table's labels.", "kommunens egne svar", default=())

    owner: str = value("The municipality's title ('' in the national report).",
                       "kommunen", default="")
    left_out_answer: str = value("The municipality's own answer to the question the overview "
                                 "leaves out, lower case ('' for none or »ved ikke«).",
                                 "kommunens egne svar", default="")

    @property
    def left_out_reason(self) -> str:
        """Why the overview leaves out »Lederne kunne prioritere arbejdet højere«, with the
        coordinator's own answer where there is one."""
        why = ("at der er mere at hente ved en højere prioritering, men ikke nødvendigvis, at "
               "arbejdet er prioriteret for lavt")
        if self.left_out_answer:
            return (f"{self.owner}s koordinator er {self.left_out_answer} i, at lederne kunne prioritere "
                    f"arbejdet højere. Svaret er ikke med i tabellen, for enighed betyder, {why}, "
                    "så svaret er hverken en styrke eller et punkt, der kan styrkes")
        return (f"Udsagnet {self.left_out} er ikke med i tabellen: at koordinatoren er enig, "
                f"betyder, {why}, så svaret er hverken en styrke eller et punkt, der kan "
                "styrkes")

    @property
    def labels(self) -> frozenset[str]:
        """The verdicts the table uses, without the recommendations' numbers."""
        if self.table is None:
            return frozenset()
        return frozenset(row[-1].split("→")[0].replace(danish.NBSP, " ").rstrip()
                         for row in self.table.rows)

    @property
    def n_strengths(self) -> int:
        """How many strengths."""
        return len(self.strong)

    @property
    def n_gaps(self) -> int:
        """How many gaps (as many as the recommendations)."""
        return len(self.weak)

    @property
    def missing_words(self) -> str:
        """The questions without a valid answer, quoted: ``»Gensidig tillid«`` or ``»A« og
        »B«``."""
        return danish.enumerate_words([danish.quoted(label) for label in self.missing])

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


def _asked(report: Report) -> tuple[str, ...]:
    """The survey questions of the overview's rows (the forum's levels are one question)."""
    return tuple(dict.fromkeys(rules.question_id(report, rules.TRIGGERS[name][0])
                               for name in OVERVIEW))


def _table_source(report: Report) -> str:
    """The source line: N, the placement note, the source and which questions the 2015 report
    published."""
    asked = _asked(report)
    note = edition_note(report, asked)
    source = _source(asked, N_IN_CELL_NOTE, synthetic=report.synthetic)
    return f"{source} {note}" if note else source


def _counted(report: Report, name: str) -> str:
    """The answers a rule's share counts (those that do not trigger it), as the column
    »Svar, der tælles med« names them."""
    column, group, outside = rules.TRIGGERS[name]
    return counted_words(report, column, group, not outside)


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "", "")
    raad = rules.advice(report)
    rows, notes, good, weak, level, missing = [], [], [], [], [], []
    for name in OVERVIEW:
        hit = rules.triggers(report, name)
        if hit is None:
            missing.append(_overview_question(report, name))
            continue
        column = rules.TRIGGERS[name][0]
        answer = ("Ja" if m.answer(column) == 1 else "Nej") if column in FORUM_LEVELS else \
            report.national.question(column).answers[m.answer(column)]
        group = raad.group(name)
        if group is None:
            notes.append(suppressed_note(report, rules.question_id(report, column)))
        if hit:
            verdict = gap_label(raad.rank(name))
        elif name in rules.MAJORITY:
            verdict = relative_verdict(report, name)
        else:
            verdict = STRENGTH_LABEL
        rows.append((_overview_question(report, name), answer, _counted(report, name),
                     _pct_n(raad.country(name)), _pct_n(group), verdict))
        (weak if hit else level if name in rules.MAJORITY else good).append(name)
    columns = ["Spørgsmål", "Kommunens svar", "Svar, der tælles med", danish.COUNTRY,
               group_heading(m.size_group), "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt",
                             caption="", source=_table_source(report),
                             notes=tuple(sorted({n for n in notes if n})))
    return Overview(table=table, strengths=verdict_sentences(report, good, True),
                    gaps=verdict_sentences(report, weak, False), strong=tuple(good),
                    weak=tuple(weak), level=tuple(level), unanswered=len(missing),
                    missing=tuple(missing),
                    relative=relative_sentences(report, level),
                    rare=rare_strengths(report, good),
                    asymmetry=_staircase_asymmetry(report),
                    left_out=danish.quoted(report.national.question(LEFT_OUT).short),
                    left_out_answer=_left_out_answer(report), owner=m.title)


def _left_out_answer(report: Report) -> str:
    """The coordinator's answer to the left-out statement, lower case, where it is a degree of
    agreement (»overvejende uenig«); '' otherwise."""
    q = report.national.question(LEFT_OUT)
    code = report.municipality.answer(LEFT_OUT)
    if code is None or code not in q.answers or "ved ikke" in q.answers[code].lower():
        return ""
    return q.answers[code].lower()


def verdict_rule(report: Report) -> str:
    """The overview's rule in plain Danish, once per edition, naming only the verdicts its
    table uses (no digits typed: the labels come from :mod:`own_words`)."""
    view = overview(report)
    used = view.labels
    gap = GAP_LABEL in used
    out = [f"I kolonnen »Vurdering« står {danish.quoted(STRENGTH_LABEL)}, når kommunens svar "
           "er et af dem, kolonnen »Svar, der tælles med« nævner" + (
               f", og ellers {danish.quoted(GAP_LABEL)} med en pil til den anbefaling, der "
               "tager punktet op." if gap else ".")]
    out.append("Tiden til koordinering og koordinatorens placering vurderes på en anden måde. "
               "Hvor meget tid koordineringen kræver, afhænger af, hvor mange beboere og "
               "indsatser der skal bindes sammen, så tiden er kun et punkt, der kan styrkes, "
               "når flertallet i samme størrelsesgruppe bruger mere end en halvtidsstilling, og "
               "kommunen ikke gør. Koordinatorens placering er kun et punkt, der kan styrkes, "
               "når koordinatoren sidder i en fagforvaltning, og kommunen ikke har et fast "
               "tværfagligt mødeforum på tværs af forvaltningerne: en koordinator i en "
               "fagforvaltning har brug for sådan et forum for at nå de andre forvaltninger "
               "([kapitel %s](#kap-intern)).")
    parts = [(MAJORITY_LABEL, "når kommunen svarer som flertallet i gruppen"),
             (MINORITY_LABEL, "når den svarer som mindretallet"),
             (HALF_LABEL, "når gruppen deler sig lige")]
    shown = [f"{danish.quoted(label)}, {when}" for label, when in parts if label in used]
    if shown:
        out.append("Ellers står der " + ", og ".join(shown) + ".")
    raad = rules.advice(report)
    if view.table is not None and any(not raad.by_group(n) for n in OVERVIEW
                                      if rules.triggers(report, n) is not None):
        out.append("Hvor gruppens svar ikke kan vises, fordi for få har svaret, tæller hele "
                   "landet i stedet.")
    return " ".join(out)


# ---------------------------------------------------------------- the size group's answers

def group_answers(report: Report) -> Table | None:
    """How the whole country and the municipality's size group answered the overview's
    questions, each share with its N (for a municipality that did not answer; None for the
    national report), in the overview's columns: the answers counted, the country, the size
    group, each share with its N in parentheses (``69 % (16)``). A size group's figure the
    disclosure plan suppresses is ``–``, with its footnote."""
    m = report.municipality
    if m is None:
        return None
    rows, notes = [], []
    for name in OVERVIEW:
        group = rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
        if group is None:
            notes.append(suppressed_note(report,
                                         rules.question_id(report, rules.TRIGGERS[name][0])))
        rows.append((_overview_question(report, name), _counted(report, name),
                     _pct_n(rules._country(report, *rules.TRIGGERS[name])), _pct_n(group)))
    columns = ["Spørgsmål", "Svar, der tælles med", danish.COUNTRY, group_heading(m.size_group)]
    return Table.from_frame(pd.DataFrame(rows, columns=columns), ident="stoerrelsesgruppen",
                            caption="", source=_table_source(report),
                            notes=tuple(sorted({n for n in notes if n})))
