"""The statistical rules the prose keeps: near-census bounds, no confirmation from a test that
found nothing, and the N of each figure."""

import re
from pathlib import Path

import nbformat
import pytest

from analysis.report.content.common import Stat

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_near_census_bounds_hold_only_possible_values():
    # 37 of 41 answered "ja", 44 municipalities in all: whatever the 3 non-respondents said,
    # between 37/44 = 84,1 % and 40/44 = 90,9 % of all 44 have a coordinator.
    s = Stat(count=37, n=41, share=37 / 41, population=44)

    assert (s.low_all, s.high_all) == (37 / 44, 40 / 44)
    assert s.bounds == "mellem 84\u00a0% og 91\u00a0%"


def test_a_census_has_one_value():
    s = Stat(count=30, n=44, share=30 / 44, population=44)

    assert s.bounds == "68\u00a0%"


def test_share_of_keeps_danish_grammar():
    assert Stat(37, 41, 37 / 41, 44).share_of("de kommuner") == "næsten alle de kommuner"
    assert Stat(20, 37, 20 / 37, 44).share_of("kommunerne") == "godt halvdelen af kommunerne"


def _conditioned_cells():
    from analysis.report import inline

    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                yield path.name, inline.condition(cell.source) or "", cell.source


def test_no_cell_shown_for_a_non_significant_test_claims_confirmation():
    checked = 0
    for name, condition, source in _conditioned_cells():
        if re.search(r"not [\w.]*significant", condition):
            checked += 1
            for sentence in re.split(r"(?<=[.:;])\s", source):
                if re.search(r"bekræft", sentence, re.IGNORECASE):
                    assert re.search(r"\b(ikke|hverken)\b", sentence), (name, sentence)
    assert checked >= 3      # the guard looks at the cells it is meant for


@pytest.mark.parametrize("draw,question", [("time_figure", "tid_koordinering"),
                                           ("satisfaction_figure", "tilfreds_adm_ledelse")])
def test_a_figure_prints_the_n_it_is_drawn_from(draw, question):
    from analysis.report.content import ch1
    from analysis.inputs.dataset import load_dataset
    from analysis.report.notebook import setup

    figure = getattr(ch1, draw)(setup())

    # N: the completed answers with a real answer (codes 1-5; 8 and 9 are not answers)
    answers = load_dataset().survey.answers
    expected = int(answers[question].isin([1, 2, 3, 4, 5]).sum())
    match = re.search(r"N\u00a0=\u00a0(\d+)", figure.source)
    assert match and int(match.group(1)) == expected
