"""The bilag's tables: numbers computed here, row labels and verdicts from the notebook."""

import pytest

from analysis.report.content import appendix
from analysis.report.content.appendix import (FIGURE_IDS, TESTS, VERDICTS, comparison_table,
                                              labels_for)
from analysis.report.notebook import NotebookReport
from analysis.stats import results


@pytest.fixture(scope="module")
def report():
    return NotebookReport(national=results.national(), municipality=None)


def test_labels_are_checked_against_the_keys_the_table_needs():
    assert labels_for({"a": " Første ", "b": "Anden"}, ("a", "b"), "t") == {
        "a": "Første", "b": "Anden"}
    with pytest.raises(ValueError, match=r"^t: no label for 'b'; labels for unknown 'c' "
                                         r"\(known: a, b\)$"):
        labels_for({"a": "Første", "b": " ", "c": "Tredje"}, ("a", "b"), "t")


def test_the_comparison_rows_carry_the_notebooks_labels_in_order(report):
    labels = {fid: f"Række {fid}" for fid in reversed(FIGURE_IDS)}

    table = comparison_table(report, labels)

    assert [row[0] for row in table.rows] == [f"Række {fid}" for fid in FIGURE_IDS]


def test_a_missing_label_names_the_figure(report):
    labels = {fid: "x" for fid in FIGURE_IDS if fid != "tid_besvaret"}

    with pytest.raises(ValueError, match="comparison_table: no label for 'tid_besvaret'"):
        comparison_table(report, labels)


def test_every_test_row_gets_its_label_and_a_verdict_from_the_notebook(report):
    rows = {key: f"Sammenligning {key}" for key in TESTS}
    verdicts = {key: f"vurdering {key}" for key in VERDICTS}

    table = appendix.tests_table(report, rows, verdicts)

    assert [row[0] for row in table.rows] == [f"Sammenligning {key}" for key in TESTS]
    assert {row[-1] for row in table.rows} <= set(verdicts.values())


# ---------------------------------------------------------------- every comparison in the table

def _compared_fields() -> set[tuple[str, str]]:
    """(value class, field) of every field of a chapter value that holds a test or a
    difference of two shares, found by its type in the content modules."""
    import dataclasses
    import inspect

    from analysis.report.content import advice, ch1, front, own, themes

    found = set()
    for module in (ch1, themes, own, advice, front):
        for name, cls in inspect.getmembers(module, dataclasses.is_dataclass):
            if cls.__module__ != module.__name__:
                continue
            for f in dataclasses.fields(cls):
                kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
                if any(word in str(kind).split() or str(kind).startswith(word)
                       for word in ("Diff", "Comparison")):
                    found.add((cls.__name__, f.name))
    return found


def test_every_comparison_the_chapters_values_expose_is_a_row_of_the_tests_table():
    listed = {source for sources in appendix.COMPARISONS.values() for source in sources}
    exposed = _compared_fields()

    assert exposed, "no chapter value holds a comparison: the search is broken"
    assert exposed <= listed, f"not in the tests table: {sorted(exposed - listed)}"


def test_every_row_of_the_tests_table_reads_a_value_the_chapters_expose():
    import dataclasses

    from analysis.report.content import ch1, themes

    classes = {name: cls for module in (ch1, themes) for name, cls in vars(module).items()
               if dataclasses.is_dataclass(cls)}
    assert tuple(appendix.COMPARISONS) == TESTS
    for key, sources in appendix.COMPARISONS.items():
        for cls, field in sources:
            assert cls in classes, (key, cls)
            assert field in {f.name for f in dataclasses.fields(classes[cls])}, (key, field)


def test_the_tests_table_prints_the_chapters_own_differences_and_intervals(report):
    from analysis.report import danish
    from analysis.report.content import ch1, themes

    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: row for row in table.rows}
    assert list(rows) == list(TESTS)
    diffs = {"tid": ch1.coordination(report).diff,
             "tilfredshed_andel": ch1.satisfaction(report).diff,
             "trappe": themes.staircase(report).diff,
             "maal_trin": themes.understanding(report).diff,
             "tillid_trin": themes.understanding(report).trust_diff,
             "fora": themes.fora(report).diff}
    for key, diff in diffs.items():
        assert diff is not None, key          # the national report shows every comparison
        e = diff.estimate
        assert rows[key][3] == (f"{danish.points(e.diff)} ({danish.signed(100 * e.low)} til "
                                f"{danish.signed(100 * e.high)})"), key
        # the verdict is the chapter's: beyond chance exactly when the interval leaves out 0
        assert (rows[key][5] == "chance") == diff.uncertain, key
    for key, test in {"tid": ch1.coordination(report).test, "fora": themes.fora(report).test,
                      "tilfredshed": ch1.satisfaction(report).test}.items():
        assert rows[key][4] == danish.p_value(test.p_value), key


def test_a_paired_comparison_says_so_and_the_rank_test_reports_its_own_effect(report):
    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: row for row in table.rows}

    assert "parret" in rows["trappe"][1] and "McNemar" in rows["trappe"][1]
    assert " + " not in rows["trappe"][2]                 # one group of municipalities
    assert rows["tilfredshed"][1] == "Brunner-Munzels rangtest"
    assert rows["tilfredshed"][3].startswith("sandsynlighed ")
    assert "procentpoint" not in rows["tilfredshed"][3]
    assert "scoretest" in rows["tilfredshed_andel"][1]


def test_a_difference_one_answer_could_turn_is_called_fragile(report):
    from analysis.stats.estimate import answers_from_chance

    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: row for row in table.rows}
    koord = appendix.comparisons(report)["tid"]
    # 7 of 16 against 3 of 22 in the shipped data: p = 0,040, one answer from chance
    assert answers_from_chance(7, 16, 3, 22) == 1
    assert koord.groups == (16, 22) and rows["tid"][5] == "fragile"
    assert rows["fora"][5] == "significant"
