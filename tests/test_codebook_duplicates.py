"""Ids defined twice in a codebook (a question, an answer code, an option column, a theme, an
alias): the problem names both places."""

from pathlib import Path

from analysis.core import paths
from ingest_helpers import problems_of


# --- ids defined twice in a codebook: both places named ---------------------------------------

def _line_of(path: Path, text: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` that contains ``text``."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if i >= start and text in line)


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_question_defined_twice_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    first = _line_of(path, "  - id: faelles_maal")
    _replace_once(path, "  - id: tillid\n", "  - id: faelles_maal\n")
    second = _line_of(path, "  - id: faelles_maal", first + 1)

    problems = problems_of(data_copy)

    assert any(p.startswith(f"{path}, row {second}, ") and "'faelles_maal'" in p
               and f"row {first}" in p for p in problems), problems


def test_answer_code_twice_in_one_question_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    _replace_once(path, '      1: "Meget begrænset tid"\n',
                  '      1: "Meget begrænset tid"\n      1: "Ingen tid"\n')
    first = _line_of(path, '      1: "Meget begrænset tid"')

    problems = problems_of(data_copy)

    assert any(p.startswith(f"{path}, row {first + 1}, ") and "value '1'" in p
               and "tid_koordinering" in p and f"row {first})" in p for p in problems), problems


def test_answer_code_both_answer_and_missing_is_a_problem(data_copy):
    path = paths.survey_codebook_file(data_copy)
    _replace_once(path, 'answers: {1: "Ja", 2: "Nej"}\n    missing: *missing',
                  'answers: {1: "Ja", 2: "Nej", 8: "Måske"}\n    missing: *missing')
    answers = _line_of(path, '8: "Måske"')

    problems = problems_of(data_copy)

    assert any("(har_koordinator).missing" in p and "value '8'" in p
               and f"also in answers, row {answers})" in p for p in problems), problems


def test_option_column_of_two_questions_names_both_places(data_copy):
    path = paths.survey_codebook_file(data_copy)
    first = _line_of(path, "      forum_strategisk:")
    _replace_once(path, "      forum_taktisk:", "      forum_strategisk:")

    problems = problems_of(data_copy)

    assert any(p.startswith(f"{path}, row {first + 1}, ") and "'forum_strategisk'" in p
               and f"row {first})" in p for p in problems), problems


def test_theme_code_twice_names_both_places(data_copy):
    path = paths.interview_codebook_file(data_copy)
    first = _line_of(path, "  - code: tillid")
    _replace_once(path, "  - code: loyalitet\n", "  - code: tillid\n")
    second = _line_of(path, "  - code: tillid", first + 1)

    problems = problems_of(data_copy)

    assert any(p.startswith(f"{path}, row {second}, ") and "'tillid'" in p
               and f"row {first})" in p for p in problems), problems


def test_alias_of_two_themes_is_a_problem(data_copy):
    path = paths.interview_codebook_file(data_copy)
    _replace_once(path, 'aliases: ["Loyalitet"]', 'aliases: ["Tillid og relationer"]')

    problems = problems_of(data_copy)

    assert any("'Tillid og relationer'" in p and "themes[" in p and "also themes[" in p
               for p in problems), problems
