"""The municipality's overview near the front of its report (:func:`overview`: a table of its
answers, each a strength or a gap, with its strengths and gaps in words). For a municipality
that did not answer, :mod:`~analysis.report.content.own_group` shows how its size group
answered instead."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.common import suppressed_rows
from analysis.report.content.own_answers import (BASE_GROUP, BASE_OWN, COUNTED_HEADING,
                                                 N_IN_CELL_NOTE, OWN_ANSWER_HEADING,
                                                 QUESTION_HEADING, _forum_label, _pct_n, _source,
                                                 counted_words, group_heading)
from analysis.report.content.own_verdicts import (
    ADDED_MARK, COUNTRY_SHARED_LABEL, COUNTRY_STRENGTH_LABEL, LEFT_OUT, NEAR_MARK, OVERVIEW,
    PLACES, SHARED_LABEL, STRENGTH_LABEL,
    _noun, _staircase_asymmetry, added, bare_verdict, develop, gap_label, keep_strengths,
    keep_tied, left_out_answer, near_half, rare_strengths, rare_words, relative_verdict,
    strength_verdict, strengths_compared_with, verdict_sentences)
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

# The bases of the values below (what they count): BASE_OWN, the municipality's own answers,
# and BASE_GROUP, its size group's municipalities with a valid answer (own_answers).


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
    gaps: str = value("What can be strengthened, as sentences grouped by theme ('' if "
                      "nothing).", BASE_OWN)
    strong: tuple[str, ...] = value("The recommendation rules whose question the municipality "
                                    "answered with a strength.", BASE_OWN,
                                    default=())
    weak: tuple[str, ...] = value("The recommendation rules its answers trigger: one "
                                  "recommendation each.", BASE_OWN, default=())
    unanswered: int = value("How many of the overview's questions it gave no valid answer "
                            "to.", BASE_OWN, default=0)
    level: tuple[str, ...] = value("The questions judged within the comparison group that are "
                                   "not gaps (time, placement, and the satisfaction with the "
                                   "leaders' prioritisation, which is never one): neither "
                                   "strength nor gap.",
                                   BASE_OWN, default=())
    rare: tuple[str, ...] = value("The strengths that set it apart: at most a third of its "
                                  "comparison group share them, the rarest first.",
                                  BASE_GROUP,
                                  default=())
    asymmetry: str = value("A sentence on the two steps of samarbejdstrappen where they "
                           "differ ('' where they are the same or not both answered).",
                           BASE_OWN, default="")
    left_out: str = value("The chapter tables' question the overview leaves out, quoted by "
                          "its short label.", "spørgeskemaet",
                          default="")
    missing: tuple[str, ...] = value("The overview's questions it gave no valid answer to, by "
                                     "the table's labels.", BASE_OWN, default=())

    owner: str = value("The municipality's title ('' in the national report).",
                       "kommunen", default="")
    left_out_answer: str = value("The municipality's own answer to the question the overview "
                                 "leaves out, lower case ('' for none or »ved ikke«).",
                                 BASE_OWN, default="")
    keep: tuple[str, ...] = value("The main strengths to hold on to: the (at most three) "
                                  "strengths shared by the smallest part of the comparison "
                                  "group, in the table's order.",
                                  BASE_GROUP,
                                  default=())
    edge: tuple[str, ...] = value("The rows near the line: of the rows that are no gap, those "
                                  "whose comparison share lies within one municipality of half "
                                  "(one municipality more or fewer with a counted answer can "
                                  "move the row to the other label), in the table's order.",
                                  BASE_GROUP, default=())
    keep_tied_words: str = value("The strengths left off ``keep`` by its limit of three alone "
                                 "(as small a share of the group as the last one kept), each "
                                 "with its count ('' if none).", BASE_GROUP, default="")
    develop: tuple[str, ...] = value("The points to develop (shown only where nothing is a "
                                     "gap): of ``edge``, the (at most two) that the largest "
                                     "share of the comparison group give a counted answer to.",
                                     BASE_GROUP, default=())
    develop_words: str = value("The rows of ``develop`` as ``edge_words`` ('' if none).",
                               BASE_OWN, default="")
    keep_added: int = value("How many of ``keep`` rest on questions this edition added (the "
                            "2015 survey did not ask them), by the codebook's "
                            "``published_2015`` and ``asked_2015``.", "spørgsmålene i kodebogen",
                            default=0)
    edge_words: str = value("The rows of ``edge`` by the table's labels, quoted: "
                            "``»Gensidig tillid« og »Frihed i metodevalget (tillidsledelse)«`` "
                            "('' if none).", BASE_GROUP, default="")
    country_rows: bool = value("Some row is compared with the whole country, since disclosure "
                               "control does not show the size group's answers.",
                               BASE_GROUP,
                               default=False)
    forum_carries_placement: bool = value("The coordinator sits in a fagforvaltning and the "
                                          "municipality has a fixed cross-disciplinary forum, "
                                          "which is why the placement is not a gap.",
                                          BASE_OWN, default=False)
    next_words: str = value("After the strengths that set it apart, every further strength "
                            "(fewer than half of its comparison group share it), each "
                            "with its count ('' if none).",
                            BASE_GROUP, default="")
    n_next: int = value("How many strengths ``next_words`` names.",
                        BASE_GROUP, default=0)
    rare_words: str = value("The strengths that set it apart (``rare``), each with how many "
                            "of its comparison group share it: ``tydeligt udmeldte mål fra "
                            "ledelsen (5 af 16)``; where the strengths are compared with "
                            "different groups, each count names its group (``… (5 af 16 i "
                            "gruppen)``) ('' if none).", BASE_GROUP, default="")
    whom: str = value("Whom the strengths are compared with, after »af«: ``kommunerne i "
                      "gruppen``, ``kommunerne i hele landet`` (disclosure control shows the "
                      "group for none of them) or ``de kommuner, den sammenlignes med`` ('' "
                      "without strengths).", BASE_GROUP, default="")
    # The two questions judged within the comparison group, where they are no gap (``level``):
    # what the municipality answered and how many of the group are on its side of the line.
    time_answer: str = value("Its weekly time to coordination, lower case, quoted, where the "
                             "time is judged within the comparison group and is no gap ('' "
                             "otherwise).", BASE_OWN, default="")
    time_more: bool = value("That time is more than a half-time post (the answers the "
                            "overview counts).", BASE_OWN, default=False)
    time_same: int = value("How many of the comparison group (the municipality itself "
                           "included) are on its side of the half-time line.", BASE_GROUP,
                           default=0)
    time_n: int = value("The comparison group's municipalities with a valid answer on the "
                        "time.", BASE_GROUP, default=0)
    time_country_same: int = value("How many of the whole country (the municipality itself "
                                   "included) are on its side of the half-time line.",
                                   BASE_GROUP, default=0)
    time_country_n: int = value("The whole country's municipalities with a valid answer on "
                                "the time.", BASE_GROUP, default=0)
    time_by_group: bool = value("The time is compared within the size group (False: with the "
                                "whole country, where disclosure control does not show the "
                                "group).", BASE_GROUP, default=False)
    place_words: str = value("Where its coordinator sits, as »har koordinatoren …« ends: "
                             "``i en fagforvaltning``, where the placement is judged within "
                             "the comparison group and is no gap ('' otherwise).", BASE_OWN,
                             default="")
    place_mayor: bool = value("Its coordinator sits in the borgmesterkontor (the answer the "
                              "overview counts).", BASE_OWN, default=False)
    place_same: int = value("How many of the comparison group (the municipality itself "
                            "included) are on its side: the coordinator in the "
                            "borgmesterkontor, or elsewhere.", BASE_GROUP, default=0)
    place_n: int = value("The comparison group's municipalities with a valid answer on the "
                         "placement.", BASE_GROUP, default=0)
    place_by_group: bool = value("The placement is compared within the size group (False: "
                                 "with the whole country).", BASE_GROUP, default=False)

    def keeps(self, name: str) -> bool:
        """Whether the strength ``name`` (a recommendation rule) is one of :attr:`keep`."""
        return name in self.keep

    def keep_rank(self, name: str) -> int:
        """Its place among :attr:`keep`, from 1."""
        return self.keep.index(name) + 1

    @property
    def time_not_gap(self) -> bool:
        """The weekly time to coordination is answered and judged within the size group, and
        is not a gap (so a small amount of time is something to watch, not to change)."""
        return "tid" in self.level

    @property
    def place_not_gap(self) -> bool:
        """The coordinator's placement is answered and judged within the comparison group, and
        is not a gap."""
        return "placering" in self.level

    @property
    def n_keep(self) -> int:
        """How many strengths to hold on to (at most three)."""
        return len(self.keep)

    @property
    def n_develop(self) -> int:
        """How many points to develop (:attr:`develop`)."""
        return len(self.develop)

    @property
    def n_edge(self) -> int:
        """How many answers to watch lie next to the line (:attr:`edge`)."""
        return len(self.edge)

    @property
    def keep_tie(self) -> bool:
        """A strength is left off :attr:`keep` by its limit of three alone."""
        return bool(self.keep_tied_words)

    @property
    def n_rest(self) -> int:
        """The strengths that neither set it apart nor are named in ``next_words``."""
        return len(self.strong) - len(self.rare) - self.n_next

    @property
    def labels(self) -> frozenset[str]:
        """The verdicts the table uses, without the recommendations' numbers."""
        if self.table is None:
            return frozenset()
        return frozenset(bare_verdict(row[-1]) for row in self.table.rows)

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
    """The source line: N, the placement note and the source. Which questions were added in
    this edition the table marks row by row (:data:`ADDED_MARK`), and the notebook says once
    what the mark means, so the line does not list them again."""
    return _source(_asked(report), N_IN_CELL_NOTE, synthetic=report.synthetic)


def _counted(report: Report, name: str) -> str:
    """The answers a rule's share counts (those that do not trigger it), as the column
    :data:`~analysis.report.content.own_answers.COUNTED_HEADING` names them."""
    column, group, outside = rules.TRIGGERS[name]
    return counted_words(report, column, group, not outside)


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "")
    raad = rules.advice(report)
    rows, hidden, good, weak, level, missing = [], [], [], [], [], []
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
            hidden.append((rules.question_id(report, column), _overview_question(report, name)))
        if hit:
            verdict = gap_label(raad.rank(name))
        elif name in rules.MAJORITY or name in rules.OPINION:
            verdict = relative_verdict(report, name)
        else:
            verdict = strength_verdict(report, name)
            if group is None:
                verdict = {SHARED_LABEL: COUNTRY_SHARED_LABEL,
                           STRENGTH_LABEL: COUNTRY_STRENGTH_LABEL}[verdict]
        if added(report, name):
            verdict += ADDED_MARK
        rows.append([_overview_question(report, name), answer, _counted(report, name),
                     _pct_n(raad.country(name)), _pct_n(group), verdict])
        (weak if hit else level if name in rules.MAJORITY or name in rules.OPINION
         else good).append(name)
    e = _edge(report, good, level)
    for row, name in zip(rows, [n for n in OVERVIEW if n in {*good, *level, *weak}]):
        if name in e:           # the near-the-line rows: one mark, explained once
            row[-1] += NEAR_MARK
    columns = [QUESTION_HEADING, OWN_ANSWER_HEADING, COUNTED_HEADING, danish.RESPONDENTS,
               group_heading(m.size_group), "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt",
                             caption="", source=_table_source(report),
                             notes=suppressed_rows(report, hidden, m.size_group, len(rows)))
    kept = keep_strengths(report, good)
    return Overview(table=table, gaps=verdict_sentences(report, weak), strong=tuple(good),
                    weak=tuple(weak), level=tuple(level), unanswered=len(missing),
                    missing=tuple(missing), rare=rare_strengths(report, good),
                    rare_words=rare_words(report, good),
                    whom=strengths_compared_with(report, good) if good else "",
                    asymmetry=_staircase_asymmetry(report),
                    left_out=danish.quoted(report.national.question(LEFT_OUT).short),
                    left_out_answer=left_out_answer(report), owner=m.title,
                    edge=e, keep=kept, keep_tied_words=keep_tied(report, good, kept),
                    keep_added=sum(added(report, n) for n in kept),
                    edge_words=_row_words(report, e), develop=(d := develop(report, e)),
                    develop_words=_row_words(report, d),
                    country_rows=any(not raad.by_group(n) for n in OVERVIEW
                                     if rules.triggers(report, n) is not None),
                    forum_carries_placement=rules.forum_carries_placement(report),
                    **_next(report, good), **_judged_within(report, level))


def _edge(report: Report, good: list[str], level: list[str] = ()) -> tuple[str, ...]:
    """The rows near the line: of those that are no gap, the ones whose comparison share lies
    within one municipality of half (:func:`near_half`), strengths included."""
    return near_half(report, list(good) + list(level))


def _row_words(report: Report, names) -> str:
    """The rows of ``names`` by the table's labels, quoted (»Gensidig tillid« og …)."""
    return danish.enumerate_words([danish.quoted(_overview_question(report, n))
                                   for n in names])


def _next(report: Report, good: list[str]) -> dict:
    """Every further strength, after those that set it apart (fewer than half of its
    comparison group share it), each with its count (the rule names all of them, so the
    sentence is complete)."""
    raad = rules.advice(report)
    rare = set(rare_strengths(report, good))
    rest = sorted((n for n in OVERVIEW if n in good and n not in rare
                   and raad.basis(n).count * 2 < raad.basis(n).n),
                  key=lambda n: (raad.basis(n).share, OVERVIEW.index(n)))
    words = [f"{_noun(report, n)} ({raad.basis(n).count} af {raad.basis(n).n})" for n in rest]
    return {"next_words": danish.enumerate_words(words) if words else "", "n_next": len(rest)}


def _judged_within(report: Report, level: list[str]) -> dict:
    """For the two questions judged within the comparison group that are no gap: the
    municipality's answer, its side of the line, and how many of the group share that side
    (for the sentences written in the notebook)."""
    raad = rules.advice(report)
    out = {}
    for name, prefix in (("tid", "time"), ("placering", "place")):
        if name not in level:
            continue
        basis = raad.basis(name)
        outside = bool(rules._own_hit(report, name))
        out |= {f"{prefix}_same": basis.n - basis.count if outside else basis.count,
                f"{prefix}_n": basis.n, f"{prefix}_by_group": raad.by_group(name)}
        if name == "tid":
            land = raad.country(name)
            out |= {"time_country_same": land.n - land.count if outside else land.count,
                    "time_country_n": land.n}
            out |= {"time_answer": danish.quoted(report.own(rules.TRIGGERS[name][0]).lower()),
                    "time_more": not outside}
        else:
            out |= {"place_words": PLACES.get(report.municipality.answer(rules.TRIGGERS[name][0]),
                                              ""),
                    "place_mayor": not outside}
    return out
