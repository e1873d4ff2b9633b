"""The survey answers: ``besvarelser.csv`` or an export, checked against the codebook.

The pandera schema is derived from the codebook (:func:`survey_schema`); an export is read by
:mod:`analysis.inputs.survey_exports` and checked by the same schema as the csv file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.problems import InputError, Problem
from analysis.inputs.codebook import SurveyCodebook
from analysis.inputs.consistency import skip_logic_problems
from analysis.inputs.tables import (DIGITS, KOMMUNEKODE, blank_to_na, codes_of, member,
                                    read_text_table, text_column, validate)

STATUS_FLAG = re.compile(r"^statoverall_\d+$", re.IGNORECASE)


def survey_schema(codebook: SurveyCodebook, kommunekoder: list[str] | None,
                  register_codes: list[str] | None, flags: tuple[str, ...] = ()
                  ) -> tuple[pa.DataFrameSchema, dict[str, str]]:
    """The pandera schema of survey answers derived from the codebook.

    ``kommunekoder``/``register_codes`` None: that reference did not load cleanly, so codes are
    not checked against it (its own problems are reported instead of one per respondent).
    ``flags``: SurveyXact status columns present in the file (``statoverall_*``), each 0 or 1.
    """
    kommune_checks = [pa.Check.str_matches(KOMMUNEKODE)]
    if kommunekoder is not None:
        kommune_checks.append(member(kommunekoder, "known_kommune"))
    if register_codes is not None:
        kommune_checks.append(member(register_codes, "in_register"))
    columns: dict[str, pa.Column] = {
        codebook.id_column: text_column(pa.Check.str_matches(DIGITS)),
        codebook.kommune_column: text_column(*kommune_checks),
        codebook.completion_column: text_column(pa.Check.isin(["0", "1"])),
    }
    explain = {
        codebook.id_column: "a whole-number respondent id, once per respondent",
        f"{codebook.kommune_column}:str_matches('{KOMMUNEKODE}')": "a 3-digit kommunekode",
        f"{codebook.kommune_column}:known_kommune":
            "a kommunekode from data/reference/kommuner.csv",
        f"{codebook.kommune_column}:in_register":
            "a municipality in the helhedsplan register (data/register/helhedsplaner.csv)",
        codebook.completion_column: "1 (completed) or 0",
    }
    for flag in flags:
        if flag not in columns:
            # blank: an export without this flag (survey_exports leaves it empty)
            columns[flag] = text_column(pa.Check.isin(["0", "1"]), nullable=True)
            explain[flag] = "1 or 0 (a SurveyXact status flag)"
    for q in codebook.questions.values():
        if q.type == "multiple":
            for column, label in q.options.items():
                columns[column] = text_column(pa.Check.isin(["0", "1"]), nullable=True)
                explain[column] = f"1 or 0 (option '{label}' of question '{q.id}')"
        elif q.type == "number":
            columns[q.id] = text_column(pa.Check.str_matches(r"^-?\d+([.,]\d+)?$"),
                                         nullable=True)
            explain[q.id] = "a number"
        else:
            codes = [str(c) for c in q.valid_codes]
            columns[q.id] = text_column(pa.Check.isin(codes), nullable=True)
            explain[q.id] = f"an answer code of '{q.id}' in the codebook ({', '.join(codes)})"
    return pa.DataFrameSchema(columns), explain


def _duplicates(frame: pd.DataFrame, column: str, file: str, what: str) -> list[Problem]:
    dup = frame[column].notna() & frame[column].duplicated(keep="first")
    return [Problem(file, int(i) + 2, column, frame.at[i, column], what)
            for i in frame.index[dup]]


@dataclass(frozen=True)
class Survey:
    answers: pd.DataFrame          # completed responses, codes as Int64
    incomplete: pd.DataFrame       # responses not completed (excluded from the analysis)
    source: str                    # how the answers were read
    notes: tuple[str, ...] = ()


def _as_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed export frame as the csv path reads a file: every cell a string, blanks ``""``.

    Built the way :func:`read_text_table` builds its frame, so both paths give the same dtypes
    (and ``answers.equals()`` holds across them) whatever the pandas version.
    """
    text = {str(column): [("" if pd.isna(value) else str(value)) for value in values]
            for column, values in frame.items()}
    out = pd.DataFrame(text, dtype=str, index=pd.RangeIndex(len(frame)))
    out.columns = [str(c) for c in out.columns]
    return out


def load_survey(path: Path, codebook: SurveyCodebook, kommuner: pd.DataFrame | None,
                register: pd.DataFrame | None) -> tuple[Survey | None, list[Problem]]:
    """Read survey answers from ``besvarelser.csv`` (SurveyXact dataset shape) or an export.

    ``kommuner``/``register`` None: that file did not load cleanly; kommunekoder are then
    checked for form only.
    """
    notes: list[str] = []
    if path.suffix.lower() == ".csv" and not is_survey_export(path):
        table = read_text_table(path)
        frame = blank_to_na(table.frame)
        source = f"csv ({table.encoding}, separator {table.delimiter!r})"
    else:
        from analysis.inputs import survey_exports

        result = survey_exports.read_export(path, include_incomplete=True,
                                            layout=survey_exports.Layout.of(codebook))
        codebook = survey_exports.canonical_codebook(codebook)  # the frame has SurveyXact's names
        frame = blank_to_na(_as_text_frame(result.frame))
        source = f"{result.format}: {path.name}" + (
            f" ({result.encoding})" if result.encoding else "")
        kept = survey_exports.incomplete_note(result.incomplete, True)
        notes.extend(note for note in result.notes if note != kept)  # counted below instead
    from analysis.inputs.survey_exports import map_columns, name_columns

    frame, codebook, shown = map_columns(frame, codebook)  # `column:` -> question ids
    flags = tuple(c for c in frame.columns if STATUS_FLAG.match(str(c)))
    schema, explain = survey_schema(codebook, codes_of(kommuner), codes_of(register), flags)
    problems = validate(frame, schema, str(path), explain)
    problems += skip_logic_problems(frame, codebook, str(path))
    if codebook.id_column in frame:
        problems += _duplicates(frame, codebook.id_column, str(path),
                                "a respondent id that occurs only once")
    if codebook.completion_column in frame and codebook.kommune_column in frame:
        done = frame[frame[codebook.completion_column] == str(codebook.completed_code)]
        problems += _duplicates(done, codebook.kommune_column, str(path),
                                "one completed response per municipality")
    problems = name_columns(problems, shown)
    if problems:
        return None, problems
    completed = frame[codebook.completion_column] == str(codebook.completed_code)
    if not completed.any():
        return None, [Problem(
            str(path), None, codebook.completion_column, None,
            f"at least one completed response ({codebook.completion_column} = "
            f"{codebook.completed_code}); no row has it")]
    answers = frame.loc[completed].copy()
    answers[codebook.id_column] = answers[codebook.id_column].astype(int)
    for column in codebook.answer_columns:
        values = pd.to_numeric(answers[column])
        answers[column] = values.astype("Int64" if (values.dropna() % 1 == 0).all() else "Float64")
    incomplete = frame.loc[~completed, [codebook.id_column, codebook.kommune_column]]
    if len(incomplete):
        notes.append(f"{len(incomplete)} incomplete responses excluded")
    return Survey(answers.reset_index(drop=True), incomplete.reset_index(drop=True), source,
                  tuple(notes)), []


SURVEY_EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".sav", ".zsav", ".zip")


def is_survey_export(path: Path) -> bool:
    """A SurveyXact workbook, SPSS file, zipped csv bundle or folder holding ``dataset.csv``.

    Hidden files, macOS ``._`` copies and Excel's ``~$`` lock files (present while the workbook
    is open) are not exports.
    """
    if path.name.startswith((".", "~$", "__MACOSX")):
        return False
    if path.is_dir():
        return any(child.name.lower() == "dataset.csv" and child.is_file()
                   for child in path.iterdir())
    return path.is_file() and path.suffix.lower() in SURVEY_EXPORT_SUFFIXES


def find_survey_file(data_dir: Path) -> Path:
    """``survey/besvarelser.csv`` if present, else the one export in ``survey/``.

    With no export the default path is returned (loading it reports the missing file); with
    more than one, InputError names them, since the report must not guess which survey to use.
    """
    default = paths.survey_file(data_dir)
    if default.exists():
        return default
    folder = default.parent
    candidates = sorted(p for p in folder.glob("*") if is_survey_export(p)) \
        if folder.is_dir() else []
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise InputError([Problem(
            str(folder), None, None, ", ".join(p.name for p in candidates),
            "one survey file: besvarelser.csv, or a single export (.xlsx, .sav, .zip, or a "
            "folder with dataset.csv); move the others out of survey/")])
    return default

