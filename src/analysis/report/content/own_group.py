"""For a municipality that did not answer the survey: how its size group answered the
overview's questions, as a table (:func:`group_answers`) and in words (:func:`group_picture`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.common import suppressed_rows
from analysis.report.content.own_answers import (BASE_GROUP, COUNTED_HEADING,
                                                 QUESTION_HEADING, _pct_n, group_heading)
from analysis.report.content.own_overview import _counted, _overview_question, _table_source
from analysis.report.content.own_verdicts import ADDED_MARK, OVERVIEW, added
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table
from analysis.stats.estimate import score_2x2


# ---------------------------------------------------------------- the size group's answers

def _questions(report: Report) -> list[str]:
    """The overview's questions the edition shows the group's answers to: where the edition
    leaves out the figures of the questions this edition added (their answers are invented:
    ``NotebookReport.show_added``), their rows are left out too, samarbejdstrappen's as
    well: its figure stands for the model's steps, and the text reads no results from it."""
    return [name for name in OVERVIEW if report.show_added or not added(report, name)]


def group_answers(report: Report) -> Table | None:
    """How the whole country and the municipality's size group answered the overview's
    questions, each share with its N (for a municipality that did not answer; None for the
    national report), in the overview's columns: the answers counted, the country, the size
    group, each share with its N in parentheses (``69 % (16)``). A size group's figure the
    disclosure plan suppresses is ``–``, with its footnote. The questions this edition added
    stand only where their figures do (:func:`_questions`)."""
    m = report.municipality
    if m is None:
        return None
    rows, hidden = [], []
    # the questions the 2015 report also published first; an added question's row carries
    # the overview's mark (the notebook says once what it means)
    for name in sorted(_questions(report), key=lambda n: not rules.published(report, n)):
        group = rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
        if group is None:
            hidden.append((rules.question_id(report, rules.TRIGGERS[name][0]),
                           _overview_question(report, name)))
        mark = ADDED_MARK if added(report, name) else ""
        rows.append((_overview_question(report, name) + mark, _counted(report, name),
                     _pct_n(rules._country(report, *rules.TRIGGERS[name])), _pct_n(group)))
    # no column of verdicts: the edition has no answers of the municipality's own to judge,
    # and the text names the two rows that show only how widespread the answer is
    columns = [QUESTION_HEADING, COUNTED_HEADING, danish.RESPONDENTS, group_heading(m.size_group)]
    return Table.from_frame(pd.DataFrame(rows, columns=columns), ident="stoerrelsesgruppen",
                            caption="", source=_table_source(report),
                            notes=suppressed_rows(report, hidden, m.size_group, len(rows)))


# ---------------------------------------------------------------- the size group's answers in words

# The bases of the values below (what they count): the size group (BASE_GROUP, own_answers),
# the size group and the rest of the country (each with a valid answer).
BASE_GROUP_REST = "kommunerne i størrelsesgruppen og de øvrige kommuner med et gyldigt svar"


# How many of the largest differences a sentence gives as examples.
EXAMPLES = 3


@described
@dataclass(frozen=True)
class GroupPicture:
    """How the municipality's size group answered the overview's questions, in words: its most
    and least common counted answers, every row whose group figure is shown (a profile of the
    group, not a verdict), and where it differs from the rest of the country (for a
    municipality that did not answer; the comparison leaves out the two questions judged
    within the group, since their counted answers are no strength)."""

    top_words: str = value("The two questions (more where the printed shares tie) whose "
                           "counted answers most of the group give, quoted, each with its "
                           "share and count ('' if none).",
                           BASE_GROUP, default="")
    bottom_words: str = value("Every question (at least two) whose counted answers fewer "
                              "than half of the group give, the least common first; where "
                              "fewer than two are such, the two questions (more where the "
                              "printed shares tie) whose counted answers the fewest of the "
                              "group give; quoted, each with its share and count.",
                              BASE_GROUP, default="")
    n_compared: int = value("How many questions the comparison with the whole country covers "
                            "(those read as a strength, where the group's answers are shown).",
                            BASE_GROUP, default=0)
    largest_points: int = value("The largest difference, in whole percentage points, between "
                                "the group's and the rest of the country's share (the "
                                "country's municipalities outside the group) on the questions "
                                "compared.",
                                BASE_GROUP_REST, default=0)
    largest_words: str = value("The questions with that difference (every one where several "
                               "tie, in the overview's order), quoted, each with the group's "
                               "and the rest's share ('' if none).",
                               BASE_GROUP_REST, default="")
    n_differ: int = value("On how many of the questions compared the group's share differs "
                          "from that of the rest of the country (the country's municipalities "
                          "outside the group) by more than random variation explains "
                          "(Miettinen and Nurminen's score test, p < 0,05): the group is part "
                          "of the country, so it is tested against the others, never against "
                          "the whole country.",
                          BASE_GROUP_REST, default=0)
    differ_words: str = value("The questions of ``n_differ``, quoted, each with the group's "
                              "and the rest's share ('' if none).",
                              BASE_GROUP_REST, default="")
    few_largest_words: str = value("The (at most ``EXAMPLES``) questions with the largest "
                                   "differences between the group's and the rest of the "
                                   "country's share, the largest first (the overview's order "
                                   "where they tie), quoted, each with both shares: the "
                                   "examples a sentence gives where no difference is larger "
                                   "than random variation explains ('' if none).",
                                   BASE_GROUP_REST, default="")
    n_few_largest: int = value("How many questions ``few_largest_words`` names.",
                               BASE_GROUP, default=0)
    n_low: int = value("The fewest municipalities a share of the group in the table counts "
                       "(its N), over the rows whose group figure is shown: a municipality "
                       "counts only on the questions it was asked and gave a valid answer to "
                       "(not »ved ikke«).", BASE_GROUP, default=0)
    n_high: int = value("The most municipalities a share of the group in the table counts "
                        "(its N), over the rows whose group figure is shown.", BASE_GROUP,
                        default=0)
    n_blank: int = value("The group's municipalities that completed the questionnaire but "
                         "gave no valid answer to any question whose group figure the table "
                         "shows (they left every such question unanswered or answered »ved "
                         "ikke«).", BASE_GROUP, default=0)
    blank_words: str = value("The questions of the overview the ``n_blank`` municipalities did "
                             "give a valid answer to (the rows whose group figure is not shown), "
                             "quoted ('' if none).", BASE_GROUP, default="")
    other_words: str = value("The other size group, the rest of the country the group is "
                             "compared with: ``kommunerne med 4.000 eller flere beboere i "
                             "helhedsplansområderne``.", BASE_GROUP, default="")
    shown: bool = value("The group's answers are shown for at least two of the questions.",
                        BASE_GROUP, default=False)
    bottom_minority: bool = value("Fewer than half of the group give the counted answers of "
                                  "each question of ``bottom_words``, none of them one judged "
                                  "within the group (time, placement).",
                                  BASE_GROUP,
                                  default=False)
    calibrated_low_words: str = value("The questions the 2015 report printed results from "
                                      "whose counted answers fewer than half of the group "
                                      "give, those judged within the group (time, placement) "
                                      "left out, each with its share and count ('' if none).",
                                      BASE_GROUP, default="")

    n_added: int = value("How many rows of the group's table rest on questions this edition "
                         "added (the 2015 survey did not ask them; marked in the table), by "
                         "the codebook's ``published_2015`` and ``asked_2015``.",
                         "spørgsmålene i kodebogen", default=0)

    @property
    def calibrated_low(self) -> bool:
        """Some question 2015 printed results from is answered as counted by under half."""
        return bool(self.calibrated_low_words)

    @property
    def blank_answered(self) -> bool:
        """The ``n_blank`` municipalities answered some question whose group figure is not
        shown (:attr:`blank_words`)."""
        return bool(self.blank_words)


def _item(report: Report, name: str, stat) -> str:
    return (f"{danish.quoted(_overview_question(report, name))} "
            f"({danish.percent(stat.share)}, {danish.integer(stat.count)} af "
            f"{danish.integer(stat.n)})")


def _blank(report: Report, size: str, names: list[str]) -> tuple[int, str]:
    """How many of the size group's respondents gave no valid answer to any of the rules
    ``names`` (the rows whose group figure is shown), and the table's other questions they
    did answer, quoted."""
    def valid(row, n):
        return rules._triggers(report, rules._code(row[rules.TRIGGERS[n][0]]),
                               *rules.TRIGGERS[n]) is not None
    frame = report.national.in_size_group(size)
    blank = [row for _, row in frame.iterrows() if not any(valid(row, n) for n in names)]
    other = [n for n in _questions(report) if n not in names
             and any(valid(row, n) for row in blank)]
    return len(blank), danish.enumerate_words(
        [danish.quoted(_overview_question(report, n)) for n in other]) if other else ""


def group_picture(report: Report) -> GroupPicture:
    """The size group's answers in words (empty for the national report)."""
    m = report.municipality
    if m is None:
        return GroupPicture()
    # every row whose group figure is shown is listed (a profile of the group), the two judged
    # within the group in a respondent's edition (time, placement) too; only the others are
    # compared with the rest of the country below
    names = _questions(report)
    shares = {}
    for name in names:
        group = rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
        if group is not None and group.n > 0:
            shares[name] = (group, rules._country(report, *rules.TRIGGERS[name]))
    if len([n for n in shares if n not in rules.MAJORITY]) < 2:
        return GroupPicture()
    # every shown row of the table counts, the two judged within the group too
    ns = [g.n for g in (rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
                        for name in names) if g is not None and g.n > 0]
    order = sorted(shares, key=lambda n: (-shares[n][0].share, OVERVIEW.index(n)))
    blank, blank_words = _blank(report, m.size_group, [n for n in names if rules._size_group(
        report, m.size_group, *rules.TRIGGERS[n]) is not None])

    def extreme(names: list[str]) -> list[str]:
        """The first two, and any further one whose printed share ties with the second."""
        pct = lambda n: danish.percent(shares[n][0].share)     # noqa: E731
        keep = names[:2]
        keep += [n for n in names[2:] if pct(n) == pct(keep[-1])]
        return keep

    top_names = extreme(order)
    # Where at least two questions have counted answers fewer than half the group give, the
    # least common are all of them (so a sentence about »those questions« is complete);
    # otherwise the two least common, with ties.
    minority = [n for n in reversed(order) if n not in top_names
                and shares[n][0].count * 2 < shares[n][0].n]
    bottom_names = minority if len(minority) >= 2 else extreme(list(reversed(order)))
    # »most of the group has something to gain« there: never said of the questions judged
    # within the group (time, placement), where fewer giving the counted answer is no gap
    bottom_minority = all(shares[n][0].count * 2 < shares[n][0].n
                          and n not in rules.MAJORITY for n in bottom_names)
    top = [_item(report, n, shares[n][0]) for n in top_names]
    # a place to start, so not the questions judged within the group (time, placement): how
    # much time fits depends on the municipality's task, not on what most of the group does
    low = [_item(report, n, shares[n][0]) for n in names if n in shares
           and n not in rules.MAJORITY and rules.published(report, n)
           and shares[n][0].count * 2 < shares[n][0].n]
    bottom = [_item(report, n, shares[n][0]) for n in bottom_names]

    # the group is part of the country, so it is compared with the rest of the country (the
    # country's municipalities outside the group), as the test does
    def rest_share(name):
        count, n = _rest(*shares[name])
        return count / n

    def both(name, counts=False):
        g, _ = shares[name]
        count, n = _rest(*shares[name])
        return (f"{danish.quoted(_overview_question(report, name))} "
                + (f"({g.count} af {g.n} mod {count} af {n}, " if counts else "(")
                + f"{danish.percent(g.share)} mod {danish.percent(rest_share(name))}"
                + (f", {abs(points(name))} procentpoint)" if counts else ")"))

    def points(name):
        g, _ = shares[name]
        return danish.whole(100 * g.share) - danish.whole(100 * rest_share(name))

    shares = {n: v for n, v in shares.items() if _rest(*v)[1] > 0 and n not in rules.MAJORITY}
    compared = [n for n in names if n in shares]
    # the differences as the reader works them out from the printed shares, so that every
    # question with the largest one is named
    largest = max(abs(points(n)) for n in compared)
    differ = [n for n in compared if _differs(*shares[n])]
    few = sorted(compared, key=lambda n: (-abs(points(n)), OVERVIEW.index(n)))[:EXAMPLES]
    return GroupPicture(n_differ=len(differ),
                        few_largest_words=danish.enumerate_words([both(n, True) for n in few]),
                        n_few_largest=len(few), n_low=min(ns), n_high=max(ns), n_blank=blank,
                        blank_words=blank_words, other_words=danish.SIZE_GROUP_DEFINITE[
                            "large" if m.size_group == "small" else "small"],
                        differ_words=danish.enumerate_words(
                            [_against_rest(report, n, *shares[n]) for n in differ]),
                        top_words=danish.enumerate_words(top), largest_points=largest,
                        largest_words=danish.enumerate_words(
                            [both(n) for n in compared if abs(points(n)) == largest]),
                        bottom_words=danish.enumerate_words(bottom),
                        shown=True, n_compared=len(shares), bottom_minority=bottom_minority,
                        calibrated_low_words=danish.enumerate_words(low) if low else "",
                        n_added=sum(added(report, n) for n in names))


def _rest(group, country) -> tuple[int, int]:
    """The count and N of the country's municipalities outside the group."""
    return country.count - group.count, country.n - group.n


def _differs(group, country) -> bool:
    """The group's share differs from that of the rest of the country by more than random
    variation explains (the group is part of the country, so it is never tested against it)."""
    count, n = _rest(group, country)
    if group.n == 0 or n <= 0:
        return False
    return score_2x2(group.count, group.n, count, n).significant


def _against_rest(report: Report, name: str, group, country) -> str:
    count, n = _rest(group, country)
    return (f"{danish.quoted(_overview_question(report, name))} "
            f"({danish.percent(group.share)} mod {danish.percent(count / n)})")
