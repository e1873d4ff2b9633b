"""Pieces every chapter uses: a share as the prose prints it, quotes chosen by theme, a
municipality's own answers and excerpts.

The share and the difference (:mod:`~analysis.report.content.shares`), the drawn figures
(:mod:`~analysis.report.content.drawn`) and the excerpts
(:mod:`~analysis.report.content.excerpts`) have modules of their own; the chapters and the
notebooks import their names from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.drawn import DrawnBars, DrawnFigure, lower  # noqa: F401
from analysis.report.content.excerpts import (REPORT_2015, own_excerpts,  # noqa: F401
                                              quotes)
from analysis.report.content.shares import Diff, Stat  # noqa: F401
from analysis.report.content.values import described, value
from analysis.stats.results import Report


def survey_source_note(report: Report, question_ids: tuple[str, ...]) -> tuple[str, str]:
    """The source (after ``Kilde:``) and the note of a survey figure's or table's source line
    (:func:`analysis.report.danish.survey_source_note`): synthetic answers to questions this
    edition added say so in the source itself."""
    questions = [report.national.question(qid) for qid in question_ids]
    # a question the 2015 survey asked (``asked_2015``) is not called added, though 2015
    # printed no numbers from it: the source line says nothing about it
    return danish.survey_source_note(report.synthetic,
                                     [(q.short, None if q.asked_2015 else q.published_2015)
                                      for q in questions])


@described
@dataclass(frozen=True)
class Items:
    """Survey questions, by their short labels (for a list in the text or a bilag)."""

    questions: tuple[tuple[str, str, int], ...] = value(
        "(question id, short label, chapter) of each question, in the codebook's order.",
        "spørgsmålene i kodebogen")

    @property
    def count(self) -> int:
        """How many questions."""
        return len(self.questions)

    @property
    def count_words(self) -> str:
        """How many, in words: ``elleve``."""
        return danish.count_word(self.count)

    @property
    def ids(self) -> tuple[str, ...]:
        """The question ids: ``("trin_boligorganisation", …)``."""
        return tuple(qid for qid, _, _ in self.questions)

    @property
    def names(self) -> str:
        """The short labels in a sentence: ``samarbejdet med boligorganisationen, … og frihed i
        metodevalget (tillidsledelse)``."""
        return danish.enumerate_words([label[0].lower() + label[1:]
                                       for _, label, _ in self.questions])

    @property
    def quoted(self) -> str:
        """The short labels in quotation marks: ``»Samarbejdet med boligorganisationen«, …``."""
        return danish.enumerate_words([danish.quoted(label) for _, label, _ in self.questions])

    def in_chapter(self, chapter: int) -> "Items":
        """The questions of one chapter."""
        return Items(tuple(q for q in self.questions if q[2] == chapter))

    def __bool__(self) -> bool:
        return bool(self.questions)


def items(report: Report, added: bool) -> Items:
    """The codebook's questions the 2015 report published no results from (``added``: this
    edition's), or those it did publish results from; a question whose codebook entry does
    not say is in neither."""
    wanted = False if added else True
    return Items(tuple((q.id, q.short, q.chapter) for q in report.national.codebook.questions
                       .values() if q.published_2015 is wanted))


def labels_for(labels: Mapping[str, str], keys: Sequence[str], what: str) -> dict[str, str]:
    """The notebook's labels, checked: one non-empty text for each of ``keys``, no others.

    Raises
    ------
    ValueError
        Naming every key without a label and every label for an unknown key.
    """
    missing = [k for k in keys if not str(labels.get(k) or "").strip()]
    unknown = [k for k in labels if k not in keys]
    problems = []
    if missing:
        problems.append("no label for " + ", ".join(repr(k) for k in missing))
    if unknown:
        problems.append("labels for unknown " + ", ".join(repr(k) for k in unknown)
                        + f" (known: {', '.join(keys)})")
    if problems:
        raise ValueError(f"{what}: " + "; ".join(problems))
    return {k: str(labels[k]).strip() for k in keys}


def answer_label(report: Report, question_id: str) -> str | None:
    m = report.municipality
    code = m.answer(question_id) if m else None
    q = report.national.question(question_id)
    if code is None:
        return None
    return q.answers.get(code) or q.missing.get(code)


def distribution_with_own(report: Report, question_id: str) -> tuple[pd.DataFrame, tuple | None]:
    """Counts by size group plus all the municipalities that answered (:data:`danish.RESPONDENTS`),
    and where the municipality's answer sits."""
    nat = report.national
    by_size = nat.distribution(question_id, "size_group")
    table = pd.DataFrame({
        danish.SIZE_GROUPS["small"]: by_size.get("small", 0),
        danish.SIZE_GROUPS["large"]: by_size.get("large", 0),
    }).T
    table.loc[danish.RESPONDENTS] = table.sum()
    highlight = None
    m = report.municipality
    if m is not None:
        label = answer_label(report, question_id)
        q = nat.question(question_id)
        if label in q.answers.values():
            highlight = (danish.SIZE_GROUPS[m.size_group], label)
    return table, highlight


def suppressed_note(report: Report, question_id: str, group: str | None = None) -> str:
    """The footnote for a question whose size groups are (partly) suppressed, or ``""``; with
    ``group``, only that group's (a municipal table shows its own size group alone)."""
    plan = report.national.plan
    return " ".join(danish.suppressed(s.reason, danish.SIZE_GROUP_DEFINITE[s.group], plan.k)
                    for s in plan.suppressed if s.in_size_groups(question_id)
                    and group in (None, s.group))


def suppressed_rows(report: Report, hidden: Sequence[tuple[str, str]], group: str,
                    n_rows: int) -> tuple[str, ...]:
    """The footnotes of a table of questions, one a row, where the rows ``hidden`` (question
    id, row label) withhold ``group``'s figures: one note for each reason, naming its rows,
    or without names where every row of the table is withheld for that reason."""
    plan = report.national.plan
    rows: dict[str, list[str]] = {}
    for question_id, label in hidden:
        for s in plan.suppressed:
            if s.in_size_groups(question_id) and s.group == group:
                # every reason but too few answers is one note: the rows are withheld so
                # that no single municipality's answer can be worked out
                reason = "primary" if s.reason == "primary" else "protect"
                rows.setdefault(reason, []).append(label)
    return tuple(danish.suppressed(reason, danish.SIZE_GROUP_DEFINITE[group], plan.k,
                                   () if len(set(labels)) == n_rows else
                                   tuple(dict.fromkeys(labels)))
                 for reason, labels in rows.items())


def apply_plan(report: Report, table: pd.DataFrame, question_id: str,
               partition: str = "size_group") -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Drop the group rows the disclosure plan suppresses; return the footnotes to print."""
    plan = report.national.plan
    labels = danish.SIZE_GROUPS if partition == "size_group" else {}
    notes = []
    keep = []
    for row in table.index:
        group = next((g for g, label in labels.items() if label == row), row)
        s = plan.lookup(question_id, partition, group)
        if s is None:
            keep.append(row)
        else:
            notes.append(danish.suppressed(s.reason, danish.SIZE_GROUP_DEFINITE.get(
                group, str(row).lower()), plan.k))
    return table.loc[keep], tuple(notes)
