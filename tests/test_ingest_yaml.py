"""The YAML inputs: a syntax error is one line with its line and column, optional files may
be missing, and dataset.yaml's values are checked."""

import pytest

from analysis.core import paths
from analysis.inputs.dataset import load_dataset
from ingest_helpers import problems_of


# --- YAML files -----------------------------------------------------------------------------

def test_yaml_syntax_error_is_one_line_with_line_and_column(data_copy):
    path = paths.interview_codebook_file(data_copy)
    path.write_text("themes:\n  - code: tillid\n    name: [Tillid\n", "utf-8")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 4, column '1' — expected valid YAML (expected ',' or ']', "
                        "but got '<stream end>')"]


def test_dataset_yaml_syntax_error_is_a_problem(data_copy):
    path = data_copy / "dataset.yaml"
    path.write_text("synthetic: true\nsurvey_period: [foråret 2015\n", "utf-8")

    problems = problems_of(data_copy)

    assert problems == [f"{path}, row 3, column '1' — expected valid YAML (expected ',' or ']', "
                        "but got '<stream end>')"]


def test_published_yaml_that_is_not_a_mapping_is_a_problem(data_copy):
    path = paths.published_file(data_copy)
    path.write_text("- 41\n- 44\n", "utf-8")

    problems = problems_of(data_copy)

    assert problems == [f"{path} — expected a YAML mapping at the top"]


def test_optional_yaml_files_may_be_missing(data_copy):
    (data_copy / "dataset.yaml").unlink()
    paths.published_file(data_copy).unlink()

    dataset = load_dataset(data_copy)

    assert dataset.about == {}
    assert dataset.published == {}



@pytest.mark.parametrize(("line", "key"), [("synthetic: ja tak", "synthetic"),
                                           ('survey_period: ""', "survey_period"),
                                           ("calibrated: nej", "calibrated")])
def test_dataset_yaml_values_are_checked(data_copy, line, key):
    path = data_copy / "dataset.yaml"
    kept = [x for x in path.read_text("utf-8").splitlines() if not x.startswith(f"{key}:")]
    path.write_text("\n".join(kept + [line]) + "\n", "utf-8")

    problems = problems_of(data_copy)

    assert len(problems) == 1 and problems[0].startswith(f"{path}, column '{key}'"), problems
