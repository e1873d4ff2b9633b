"""The report's statistical house rule, as the library keeps it.

* A share says its base: the municipalities that answered, or all municipalities with a
  helhedsplan with the bounds whatever the non-respondents would have said.
* A difference the text discusses has its 95 % interval, and the interval and the test never
  disagree.
* Every N printed under a figure or table is the N the figure or table is built on (per row
  where the rows differ), checked against counts made here from the raw answers.
* One format for every p-value.
* The size groups are named for what they are: residents in the helhedsplan areas.
* A source line says whether the 2015 report published results from its questions.
"""

import itertools
import re
from pathlib import Path

import pytest

from analysis.inputs.dataset import load_dataset
from analysis.report import danish
from analysis.report.content import appendix, ch1, own, themes
from analysis.report.content.common import Diff, Stat
from analysis.report.notebook import setup
from analysis.stats.estimate import difference, paired_difference, score_2x2

NBSP = "\u00a0"
N_LINE = re.compile(r"N\u00a0=\u00a0(\d+)(?:\u2013(\d+))?")
SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"


@pytest.fixture(scope="module")
def r():
    return setup()


@pytest.fixture(scope="module")
def raw():
    """The completed answers as the files hold them (codes), and the register."""
    data = load_dataset()
    return data.survey.answers, data.register


def printed_n(source: str) -> tuple[int, int]:
    """(lowest, highest) N of a source line: ``N = 38`` -> (38, 38), ``N = 35–38`` -> (35, 38)."""
    match = N_LINE.search(source)
    assert match, source
    low = int(match.group(1))
    return low, int(match.group(2) or low)


def answered(answers, question: str, codes=(1, 2, 3, 4, 5)) -> int:
    return int(answers[question].isin(list(codes)).sum())


# ---------------------------------------------------------------- shares say their base

def test_a_share_of_those_who_answered_says_so():
    s = Stat(count=28, n=38, share=28 / 38, population=44)

    assert s.answered == "28 af de 38 kommuner, der har besvaret spørgsmålet"
    assert s.pct_answered == f"74{NBSP}% af de 38 kommuner, der har besvaret spørgsmålet"
    assert Stat(16, 16, 1.0, 16).answered == "alle de 16 kommuner, der har besvaret spørgsmålet"


def test_a_share_of_all_municipalities_gives_its_bounds_and_base():
    # 15 of 35 answered so; 9 did not answer: between 15/44 and 24/44 of all 44
    s = Stat(count=15, n=35, share=15 / 35, population=44)

    assert s.bounds_all == f"mellem 34{NBSP}% og 55{NBSP}% af alle 44 kommuner med en helhedsplan"
    assert s.bounds_of("kommuner med under 4.000 beboere i helhedsplansområderne") == (
        f"mellem 34{NBSP}% og 55{NBSP}% af alle 44 kommuner med under 4.000 beboere i "
        "helhedsplansområderne")


# ---------------------------------------------------------------- differences and intervals

def test_a_difference_prints_its_size_and_interval():
    d = Diff.between(Stat(7, 16, 7 / 16, 16), Stat(3, 22, 3 / 22, 28))

    assert d.points == "30 procentpoint"
    assert d.interval == f"forskellen er 30 procentpoint (95{NBSP}%-interval:{NBSP}1{NBSP}til{NBSP}57)"
    assert d.range == "1 til 57 procentpoint"
    assert not d.uncertain


def test_the_exact_test_of_a_difference_sums_the_tables_no_likelier_than_the_one_seen():
    # Fisher's two-sided test by hand: every table with the same margins whose probability
    # (hypergeometric) is at most the observed one's counts towards p
    from math import comb

    a, n_a, b, n_b = 7, 16, 3, 22
    total, hits = n_a + n_b, a + b

    def probability(x):
        return comb(n_a, x) * comb(n_b, hits - x) / comb(total, hits)

    seen = probability(a)
    p = sum(probability(x) for x in range(max(0, hits - n_b), min(hits, n_a) + 1)
            if probability(x) <= seen * (1 + 1e-9))
    d = Diff.between(Stat(a, n_a, a / n_a, 16), Stat(b, n_b, b / n_b, 28))

    assert d.exact_p == danish.p_value(p) == f"p{NBSP}={NBSP}0,062"
    assert Diff.paired(Stat(5, 10, 0.5, 10), Stat(4, 10, 0.4, 10), 3, 2, 1, 4).exact_p == ""


def test_a_difference_is_the_one_the_printed_shares_give():
    # 12 of 22 prints as 55 %, 9 of 16 as 56 %: the reader subtracts and gets 1, not the
    # unrounded 1,7 rounded to 2
    d = Diff.between(Stat(12, 22, 12 / 22, 28), Stat(9, 16, 9 / 16, 16))

    assert d.points == "1 procentpoint"


def test_a_difference_read_the_other_way_keeps_its_size_and_turns_its_interval():
    d = Diff.between(Stat(3, 22, 3 / 22, 28), Stat(7, 16, 7 / 16, 16))

    assert d.interval == f"forskellen er 30 procentpoint (95{NBSP}%-interval:{NBSP}1{NBSP}til{NBSP}57)"


def test_an_interval_that_holds_no_difference_prints_a_minus_sign():
    d = Diff.between(Stat(3, 10, 0.3, 10), Stat(4, 10, 0.4, 10))

    assert d.uncertain
    assert "\u2212" in d.ci and "-" not in d.ci.replace("%-interval", "")


def test_the_score_interval_matches_newcombes_published_values():
    # Newcombe (1998), Statistics in Medicine 17: 873-890, table II (Miettinen-Nurminen)
    for counts, (low, high) in {(56, 70, 48, 80): (0.0528, 0.3382),
                                (9, 10, 3, 10): (0.1700, 0.8406),
                                (6, 7, 2, 7): (0.0342, 0.8534),
                                (5, 56, 0, 29): (-0.0326, 0.1933),
                                (0, 10, 0, 20): (-0.1658, 0.2844),
                                (10, 10, 0, 20): (0.7156, 1.0)}.items():
        d = difference(*counts)
        assert (round(d.low, 4), round(d.high, 4)) == (low, high), counts


def test_the_test_and_the_interval_never_disagree():
    # the interval inverts the test: it leaves out 0 exactly when p < 0,05
    for a, b in itertools.product(range(0, 17, 3), range(0, 23, 4)):
        d = difference(a, 16, b, 22)
        test = score_2x2(a, 16, b, 22)
        assert test.significant == (not d.includes_zero), (a, b, test.p_value, d)


def test_the_paired_interval_holds_its_difference_and_stays_within_bounds():
    for both, only_a, only_b, neither in [(10, 7, 4, 17), (0, 5, 0, 5), (12, 0, 0, 0),
                                          (3, 3, 3, 3)]:
        d = paired_difference(both, only_a, only_b, neither)
        assert -1 <= d.low <= d.diff <= d.high <= 1
    same = paired_difference(3, 3, 3, 3)
    assert same.diff == 0 and same.low == pytest.approx(-same.high)


def test_every_difference_the_chapters_discuss_has_an_interval(r):
    for diff in (ch1.coordination(r).diff, ch1.satisfaction(r).diff,
                 themes.understanding(r).diff, themes.understanding(r).trust_diff,
                 themes.fora(r).diff):
        assert diff is not None
        assert diff.interval.startswith("forskellen er ") and f"%-interval:{NBSP}" in diff.interval


def test_the_chapters_verdicts_follow_their_intervals(r):
    for result in (ch1.coordination(r), themes.fora(r)):
        assert result.test.significant == (not result.diff.uncertain)


# ---------------------------------------------------------------- p-values

@pytest.mark.parametrize("p,text", [(1.0, "p > 0,99"), (0.995, "p > 0,99"), (0.5, "p = 0,50"),
                                    (0.0623, "p = 0,062"), (0.0996, "p = 0,10"),
                                    (0.0047, "p = 0,0047"), (0.0009, "p < 0,001")])
def test_a_p_value_is_printed_with_two_significant_digits(p, text):
    assert danish.p_value(p) == text.replace(" ", NBSP)


def test_every_p_value_in_the_tests_table_comes_from_the_one_helper(r):
    table = appendix.tests_table(r, {k: k for k in appendix.TESTS},
                                 {k: k for k in appendix.VERDICTS})
    pattern = re.compile(r"^p\u00a0(?:[<>]\u00a00,(?:99|001)|=\u00a0\d,\d+)$")

    column = table.columns.index("p-værdi")
    for row in table.rows:
        assert pattern.match(row[column]) or row[column] == "–", row
    assert "p = 1,00" not in str(table.rows)


def test_no_module_formats_a_p_value_of_its_own():
    for path in SRC.rglob("*.py"):
        if path.name == "danish.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"f\"p\{[^}]*NBSP", text), path


# ---------------------------------------------------------------- every N printed is the N used

def test_the_time_and_satisfaction_figures_print_their_n(r, raw):
    answers, _ = raw
    for figure, question in ((ch1.time_figure(r), "tid_koordinering"),
                             (ch1.satisfaction_figure(r), "tilfreds_adm_ledelse")):
        assert printed_n(figure.source) == (answered(answers, question),) * 2


@pytest.mark.parametrize("build,questions", [
    (lambda r: themes.agree_figure(r, 3, "a"), ("faelles_maal", "tillid")),
    (lambda r: themes.agree_figure(r, 5, "b"), ("vidensdeling",)),
    (lambda r: themes.agree_figure(r, 6, "c"), ("ledelse_kommunikerer_maal",
                                                "medarbejdere_snitflader", "metodefrihed")),
    (lambda r: themes.priority_figure(r), ("ledelse_kunne_prioritere_hoejere",)),
])
def test_an_agree_figure_prints_the_n_of_each_statement(r, raw, build, questions):
    answers, _ = raw
    figure = build(r)
    expected = [answered(answers, q) for q in questions]

    assert [n for _, n in figure.ns] == expected
    assert printed_n(figure.source) == (min(expected), max(expected))
    if len(set(expected)) > 1:                # rows differ: each row's N is named
        for (label, n) in figure.ns:
            assert f"{label[0].lower() + label[1:]} {n}" in figure.source


def test_the_figure_of_shared_goals_and_trust_prints_a_range_where_its_rows_differ(r, raw):
    answers, _ = raw
    figure = themes.agree_figure(r, 3, "faelles-maal-tillid")
    goals, trust = answered(answers, "faelles_maal"), answered(answers, "tillid")

    assert goals != trust                     # the shipped data: some said "Ved ikke"
    assert f"N{NBSP}={NBSP}{min(goals, trust)}\u2013{max(goals, trust)}" in figure.source


def test_samarbejdstrappen_prints_the_n_of_each_partner(r, raw):
    answers, _ = raw
    figure = themes.trappe_figure(r)
    expected = [answered(answers, q, (1, 2, 3, 4))
                for q in ("trin_boligorganisation", "trin_helhedsplan")]

    assert [n for _, n in figure.ns] == expected
    assert printed_n(figure.source) == (min(expected), max(expected))


def test_the_fora_figure_prints_those_who_answered_for_every_level(r, raw):
    answers, _ = raw
    columns = ["forum_strategisk", "forum_taktisk", "forum_udfoerende"]
    expected = int(answers[columns].notna().all(axis=1).sum())

    assert printed_n(themes.forum_figure(r).source) == (expected, expected)


def test_the_placement_table_prints_the_coordinators_that_answered(r, raw):
    answers, _ = raw
    expected = answered(answers, "koordinator_placering", (1, 2, 3))

    assert printed_n(themes.placement_table(r).source) == (expected, expected)


def test_register_figures_and_tables_print_the_register(r, raw):
    _, register = raw
    for source in (ch1.region_table(r).source, ch1.co_financing_figure(r).source):
        assert printed_n(source) == (len(register),) * 2


def test_the_case_table_prints_its_rows(r):
    table = appendix.case_table(r)

    assert printed_n(table.source) == (len(table.rows),) * 2


def test_the_tests_table_prints_the_n_each_test_is_run_on(r, raw):
    answers, register = raw
    data = answers.merge(register, on="kommunekode")
    large = data["beboere_i_omraader"] >= 4000
    table = appendix.tests_table(r, {k: k for k in appendix.TESTS},
                                 {k: k for k in appendix.VERDICTS})
    n = table.columns.index("N")
    rows = {row[0]: row[n] for row in table.rows}

    def groups(question, codes=(1, 2, 3, 4, 5)):
        valid = data[question].isin(list(codes))
        return f"{int((valid & large).sum())} + {int((valid & ~large).sum())}"

    assert rows["tid"] == groups("tid_koordinering")
    assert rows["tilfredshed"] == groups("tilfreds_adm_ledelse")
    fora = themes.fora(r)
    assert rows["fora"] == f"{fora.high_with.n} + {fora.high_without.n}"
    totals = [sum(int(x) for x in groups.split(" + ")) for groups in rows.values()]
    assert printed_n(table.source) == (min(totals), max(totals))
    assert f"N{NBSP}={NBSP}{len(answers)}." not in table.source    # not the respondents


def test_the_comparison_with_2015_prints_no_single_n(r):
    labels = {fid: fid for fid in appendix.FIGURE_IDS}
    table = appendix.comparison_table(r, labels)

    assert not N_LINE.search(table.source)
    assert "Ud af" in table.source


def test_a_municipal_answers_table_prints_the_n_of_each_question(raw):
    answers, _ = raw
    table = own.answers(setup(kommune="Køge"), 3, overview_rows=True)
    by_label = {row[0]: row for row in table.rows}

    assert by_label["Fælles mål med boligorganisationen"][3].endswith(
        f"({answered(answers, 'faelles_maal')})")
    assert by_label["Gensidig tillid"][3].endswith(f"({answered(answers, 'tillid')})")


# ---------------------------------------------------------------- size groups

def test_size_groups_are_named_for_the_residents_of_the_helhedsplan_areas():
    for words in (*danish.SIZE_GROUPS.values(), *danish.SIZE_GROUP_SHORT.values(),
                  *danish.SIZE_GROUP_LONG.values(), *danish.SIZE_GROUP_DEFINITE.values()):
        assert "beboere" in words and "4.000" in words
    for words in (*danish.SIZE_GROUP_LONG.values(), *danish.SIZE_GROUP_DEFINITE.values()):
        assert words.endswith("i helhedsplansområderne")


def test_the_library_never_calls_a_size_group_small_or_large_municipalities():
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for phrase in re.findall(r'"[^"\n]*\b(?:små|store) kommuner\b[^"\n]*"', text):
            assert "value(" not in phrase, (path, phrase)
            pytest.fail(f"{path.relative_to(SRC)}: {phrase}")


# ---------------------------------------------------------------- 2015 and this edition

def test_the_codebook_says_which_questions_2015_published():
    codebook = load_dataset().codebook
    published = {q.id for q in codebook.questions.values() if q.published_2015}
    added = {q.id for q in codebook.questions.values() if q.published_2015 is False}

    assert published == {"har_koordinator", "koordinator_placering", "tid_koordinering",
                         "tilfreds_adm_ledelse", "ledelse_kunne_prioritere_hoejere"}
    assert published | added == set(codebook.questions)


def test_a_figure_on_added_questions_says_so_under_it(r):
    for figure in (themes.agree_figure(r, 3, "a"), themes.agree_figure(r, 5, "b"),
                   themes.agree_figure(r, 6, "c"), themes.trappe_figure(r),
                   themes.forum_figure(r)):
        # the note, or (synthetic answers) the source itself: said once, not twice
        said = re.findall(r"Spørgsmål(?:et|ene) er tilføjet i denne udgave\.|"
                          r"der er tilføjet i denne udgave", figure.source)
        assert len(said) == 1, figure.source


def test_a_figure_on_2015_questions_says_nothing_about_2015(r):
    """Only the questions this edition added are marked under a figure; one on questions 2015
    published says nothing of 2015 (the body talks about the study, not the edition)."""
    for item in (ch1.time_figure(r), ch1.satisfaction_figure(r), themes.priority_figure(r),
                 themes.placement_table(r)):
        assert "2015" not in item.source.replace("Danmarks Statistik, 2015", "")
        assert "tilføjet" not in item.source


def test_a_source_line_marks_only_the_added_questions():
    from analysis.report import danish

    assert danish.edition_note([("A", True), ("B", True)]) == ""
    assert danish.edition_note([("A", True), ("B", False)]) == \
        "Spørgsmålet om »B« er tilføjet i denne udgave."
    assert danish.edition_note([("A", False), ("B", None)]) == \
        "Spørgsmålet om »A« er tilføjet i denne udgave."
    assert danish.edition_note([("A", False), ("B", False)]) == \
        "Spørgsmålene er tilføjet i denne udgave."
    assert danish.edition_note([("A", None)]) == ""


def test_the_added_items_are_listed_for_the_bilag(r):
    added = r.added_items

    assert added.count == 11 and added.count_words == "elleve"
    assert "gensidig tillid" in added.names and "ugentlig tid" not in added.names
    assert added.in_chapter(3).ids == ("faelles_maal", "tillid")
    assert r.published_items.count == 5


def test_the_questionnaire_table_marks_the_added_questions(r):
    rows = appendix.codebook_table(r).rows

    assert [row[-1] for row in rows].count(appendix.IN_2015[False]) == 11
    assert [row[-1] for row in rows].count(appendix.IN_2015[True]) == 5
