"""Delimited text files read as strings, and checking frames with pandera.

:func:`read_text_table` detects encoding (:mod:`analysis.inputs.decoding`) and separator and
refuses, one problem each, every way a csv file can be unreadable. The pandera helpers turn a
schema's failure cases into problems that name file, row, column and value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core.problems import InputError, Problem
from analysis.inputs.decoding import decode_text

DIGITS = r"^\d+$"
KOMMUNEKODE = r"^\d{3}$"


@dataclass(frozen=True)
class TextTable:
    """A delimited text file read as strings, with how it was read."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str


def _field_count_problems(path: Path, text: str, delimiter: str) -> list[Problem]:
    """Rows whose number of fields differs from the header's, one Problem each.

    Row numbers count records as a spreadsheet shows them (header = row 1; a quoted value may
    span lines), skipping blank lines as the frame does, so they match the other problems' rows.
    """
    def blank(record: list[str]) -> bool:  # pandas skips empty and whitespace-only lines
        return not record or (len(record) == 1 and not record[0].strip())

    problems: list[Problem] = []
    try:
        records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if not blank(r)]
    except csv.Error as err:
        return [Problem(str(path), None, None, None,
                        f"a well-formed csv file ({' '.join(str(err).split())})")]
    if not records:
        return []
    expected = len(records[0])
    for row, record in enumerate(records[1:], start=2):
        if len(record) != expected:
            hint = (f"a value containing the separator {delimiter!r} must be in double quotes"
                    if len(record) > expected else "an empty value still needs its separator")
            problems.append(Problem(str(path), row, None, f"{len(record)} fields",
                                    f"{expected} fields, as in the header row ({hint})"))
    return problems


def read_text_table(path: Path, require_rows: bool = True) -> TextTable:
    """Read a csv/tsv file as strings, detecting encoding and separator.

    Every way the file can be unreadable is an InputError: missing, a folder, undecodable,
    empty, rows with more or fewer fields than the header, or (with ``require_rows``) no data
    row below the header.

    Examples
    --------
    >>> read_text_table(Path("data/reference/kommuner.csv")).delimiter
    ','
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, None, "the file to exist")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, None,
                                  "a csv file (this is a folder)")]) from None
    except OSError as err:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({err.strerror})")]) from None
    text, encoding = decode_text(raw, str(path))
    if not text.strip():
        raise InputError([Problem(str(path), None, None, None,
                                  "a header row and at least one data row (the file is empty)")])
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    problems = _field_count_problems(path, text, delimiter)
    if problems:
        raise InputError(problems)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            na_values=[], skipinitialspace=False, index_col=False)
    except (pd.errors.ParserError, csv.Error) as err:  # what the pre-scan did not catch
        raise InputError([Problem(str(path), None, None, None,
                                  f"a well-formed csv file ({' '.join(str(err).split())})")]
                         ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if require_rows and frame.empty:
        raise InputError([Problem(str(path), None, None, None,
                                  "at least one data row below the header row")])
    return TextTable(frame=frame, encoding=encoding, delimiter=delimiter)


def _problems_from(err: pa.errors.SchemaErrors, file: str,
                   explain: dict[str, str]) -> list[Problem]:
    problems = []
    cases = err.failure_cases
    for case in cases.itertuples(index=False):
        column = None if pd.isna(case.column) else str(case.column)
        index = case.index
        row = None if index is None or pd.isna(index) else int(index) + 2
        check = str(case.check)
        if check.startswith("column_in_dataframe"):
            problems.append(Problem(file, None, str(case.failure_case), None,
                                    "a column with this name (it is missing)"))
            continue
        expected = explain.get(f"{column}:{check}") or explain.get(column or "") or check
        value = None if pd.isna(case.failure_case) else case.failure_case
        problems.append(Problem(file, row, column, value, expected))
    return sorted(set(problems), key=lambda p: (p.row or 0, p.column or ""))


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str,
              explain: dict[str, str]) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return _problems_from(err, file, explain)
    return []


def text_column(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=nullable, coerce=True)


def member(values: list[str], name: str) -> pa.Check:
    """An isin check that keeps its own name in the failure report."""
    allowed = set(values)
    return pa.Check(lambda s: s.isna() | s.isin(allowed), name=name)


def blank_to_na(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda s: s.str.strip()).replace("", pd.NA)


def codes_of(frame: pd.DataFrame | None) -> list[str] | None:
    """The kommunekoder of a reference frame, or None when it did not load cleanly."""
    return None if frame is None else frame["kommunekode"].tolist()

