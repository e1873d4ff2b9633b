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
    assert {row[3] for row in table.rows} <= set(verdicts.values())
