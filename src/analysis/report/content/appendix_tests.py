"""Bilag: the tests table, every comparison the chapters state (:func:`comparisons`), read
from the same values the chapters print, with its test, N, difference and interval, p-value
and verdict (:func:`tests_table`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import labels_for, survey_source_note
from analysis.report.content.shares import FRAGILE_ANSWERS  # noqa: F401  (appendix.…)
from analysis.report.present import Table
from analysis.stats.estimate import NO_RANK_DIFFERENCE, score_2x2
from analysis.stats.results import Report


class Tested(NamedTuple):
    """One comparison the chapters state, as the tests table prints it."""

    key: str
    test: str | None        # the test (and interval) the comparison is judged by; None: not run
    groups: tuple[int, ...]  # N per group, or one N for a correlation
    effect: str             # the difference (or effect) with its 95 % interval
    p_value: float | None
    verdict: str            # one of :data:`VERDICTS`
    # a fragile difference's check: Fisher's exact test, the more cautious with so few
    # municipalities (``p = 0,062``); '' for the others
    check: str = ""


# The chapters' values each comparison of the tests table reads: (value class, field). Every
# field of a chapter value that holds a test or a difference of two shares is listed here, so
# that the table cannot leave out a comparison the chapters state (tests/test_appendix.py).
COMPARISONS: dict[str, tuple[tuple[str, str], ...]] = {
    "tid_skala": (("Coordination", "ranks"),),
    "tid": (("Coordination", "test"), ("Coordination", "diff")),
    "tilfredshed": (("Satisfaction", "test"), ("Satisfaction", "diff")),
    "maal_trin": (("Understanding", "diff"),),
    "tillid_trin": (("Understanding", "trust_diff"),),
    "fora": (("Fora", "test"), ("Fora", "diff")),
}
# The comparisons the chapters test, in the table's order, and the verdicts a row can carry
# (both labelled in the notebook).
TESTS = tuple(COMPARISONS)
VERDICTS = ("significant", "fragile", "chance", "not_computed")


def _span(low: float, high: float, scale: float = 100.0, decimals: int = 0) -> str:
    """``(1 til 57)``: an interval in parentheses, whole points or a decimal fraction."""
    if decimals:
        return f"({danish.decimal(low, decimals)} til {danish.decimal(high, decimals)})"
    return f"({danish.signed(scale * low)} til {danish.signed(scale * high)})"


def _independent(key: str, diff, test=None) -> Tested:
    """Two shares of different municipalities: Miettinen and Nurminen's score test and the
    interval that inverts it (the two never disagree). The verdict is the difference's own
    (:attr:`~analysis.report.content.shares.Diff.verdict`), the rule the chapters' conditions
    read as ``diff.clear`` and ``diff.fragile``."""
    if diff is None:
        return Tested(key, None, (), "", None, "not_computed")
    a, b = diff.first, diff.second
    test = test or score_2x2(a.count, a.n, b.count, b.n)
    e = diff.estimate
    return Tested(key, test.test, (a.n, b.n),
                  f"{danish.points(diff.printed_diff)} {_span(e.low, e.high)}", test.p_value,
                  diff.verdict, diff.exact_p if diff.verdict == "fragile" else "")


def _ranked(key: str, koord) -> Tested:
    """Two groups' answers on a whole ordinal scale: Brunner and Munzel's rank test, its
    effect the share of pairs in which the first group's municipality answered higher (ties
    counted half) with the test's own interval; fragile as the chapter says it
    (``koord.ranks_fragile``: one answer one step away would turn it)."""
    ranks = koord.ranks
    if ranks is None:
        return Tested(key, None, (), "", None, "not_computed")
    verdict = ("chance" if not ranks.significant
               else "fragile" if koord.ranks_fragile else "significant")
    effect = f"{danish.percent(ranks.statistic)} {_span(ranks.low, ranks.high)}"
    return Tested(key, ranks.test, (koord.large_full.n, koord.small_full.n), effect,
                  ranks.p_value, verdict)


def comparisons(report: Report) -> dict[str, Tested]:
    """Every comparison the chapters state, read from the same values the chapters print
    (:data:`COMPARISONS`), in the order of :data:`TESTS`."""
    from analysis.report.content import ch1, themes

    koord = ch1.coordination(report)
    sat = ch1.satisfaction(report)
    und = themes.understanding(report)
    fora = themes.fora(report)
    out = {
        "tid_skala": _ranked("tid_skala", koord),
        "tid": _independent("tid", koord.diff, koord.test),
        "tilfredshed": _independent("tilfredshed", sat.diff, sat.test),
        "maal_trin": _independent("maal_trin", und.diff),
        "tillid_trin": _independent("tillid_trin", und.trust_diff),
        "fora": _independent("fora", fora.diff, fora.test),
    }
    # the whole-scale test is not run on example data calibrated to 2015 (ch1.coordination)
    return {key: out[key] for key in TESTS
            if not (key == "tid_skala" and koord.by_size and koord.ranks is None)}


def rests_on_added(report: Report, key: str) -> bool:
    """The comparison ``key`` rests on a question the 2015 report published no results from
    (the codebook's ``published_2015`` false): one this edition added."""
    return any(report.national.question(q).published_2015 is False for q in ROW_QUESTIONS[key])


def leaves_out_added(report: Report) -> bool:
    """The tests table leaves out the comparisons that rest on a question this edition added
    (:func:`rests_on_added`): the data are synthetic, so those answers are invented, and the
    chapters state no comparison of them (their cells read ``not ….invented``)."""
    return bool(report.synthetic and any(rests_on_added(report, key) for key in TESTS))


def tests_table(report: Report, rows: Mapping[str, str], verdicts: Mapping[str, str],
                published_only: bool = False) -> Table:
    """Every comparison the chapters state (:func:`comparisons`): the test, the municipalities
    it is run on (N, per group where it compares two groups), the difference or effect with
    its 95 % interval, the p-value and the verdict.

    ``rows`` labels each comparison of :data:`TESTS`; ``verdicts`` words each outcome of
    :data:`VERDICTS`: a difference beyond chance, one beyond chance that a single answer
    could turn (:data:`~analysis.report.content.shares.FRAGILE_ANSWERS`), one chance can
    explain, and a test not computed because a group is suppressed. Every row is one
    question's one test: two shares compared with Miettinen and Nurminen's score test, or a
    whole ordinal scale with Brunner and Munzel's rank test.

    ``published_only`` keeps only the rows whose questions the 2015 report printed results
    from (see :func:`leaves_out_added`).
    """
    what = labels_for(rows, TESTS, "tests_table rows")
    verdict = labels_for(verdicts, VERDICTS, "tests_table verdicts")
    out, ns = [], []
    kept = [key for key in TESTS if not (published_only and rests_on_added(report, key))]
    tested = {key: t for key, t in comparisons(report).items() if key in kept}
    for key, t in tested.items():
        if t.test is None:
            out.append((what[key], "–", "–", "–", "–", verdict["not_computed"]))
            continue
        ns.append(sum(t.groups))
        checked = f" (Fishers eksakte test: {t.check})" if t.check else ""
        out.append((what[key], spelled_test(t.test),
                    " + ".join(danish.integer(n) for n in t.groups), t.effect,
                    danish.p_value(t.p_value), verdict[t.verdict] + checked))
    columns = ["Sammenligning", "Test", "N", "Forskel (95\u00a0%-interval)", "p-værdi",
               "Vurdering"]
    frame = pd.DataFrame(out, columns=columns)
    # One test for every row: its name goes into the note instead of a column that repeats it.
    used = set(frame["Test"]) - {"–"}
    one_test = f"Test: {used.pop()}." if len(used) == 1 else ""
    if one_test:
        frame = frame.drop(columns="Test")
    # The source line speaks of this table's own rows: the questions its comparisons rest on.
    own = {q for key in kept for q in ROW_QUESTIONS[key]}
    source, edition = survey_source_note(report, tuple(q for q in TEST_QUESTIONS if q in own))
    ranks = tested.get("tid_skala")
    ranked = RANKS_NOTE if ranks is not None and ranks.test is not None else ""
    note = " ".join(x for x in (one_test, TESTS_NOTE, ranked, edition) if x)
    return Table.from_frame(frame, ident="test", caption="",
                            source=danish.n_source(ns or [0], source, note))


def spelled_test(name: str) -> str:
    """A test's name as the report's prose spells it: *Miettinen og Nurminens*, not the
    hyphenated form the statistics give it (and *Brunner og Munzels* alike)."""
    return (name.replace("Miettinen-Nurminens", "Miettinen og Nurminens")
            .replace("Brunner-Munzels", "Brunner og Munzels"))


# Under the tests table: what its columns N and Forskel hold.
TESTS_NOTE = ("N: de kommuner i hver af de to grupper, testen bygger på. "
              "Forskel: den første gruppes andel minus den andens i procentpoint.")
# Added to the note where the table has the rank test's row.
RANKS_NOTE = ("Ved rangtesten er forskellen andelen af par af en kommune fra hver gruppe, hvor "
              "kommunen i den første gruppe har svaret højest på skalaen (lige svar tæller "
              f"halvt; {danish.percent(NO_RANK_DIFFERENCE)} er ingen forskel).")
# The questions each comparison of :func:`tests_table` rests on (the size groups come from the
# register), and all of them.
ROW_QUESTIONS: dict[str, tuple[str, ...]] = {
    "tid_skala": ("tid_koordinering",),
    "tid": ("tid_koordinering",),
    "tilfredshed": ("tilfreds_adm_ledelse",),
    "maal_trin": ("faelles_maal", "trin_boligorganisation"),
    "tillid_trin": ("tillid", "trin_boligorganisation"),
    "fora": ("forum", "trin_boligorganisation"),
}
TEST_QUESTIONS = ("tid_koordinering", "tilfreds_adm_ledelse", "faelles_maal", "tillid",
                  "trin_boligorganisation", "forum")
