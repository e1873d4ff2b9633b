"""An export as read, before it is made canonical, and what the formats' tables share.

The column names SurveyXact uses, :class:`ExportResult` (what :func:`read_export` returns),
:class:`Layout` (which columns hold id, municipality and completion), :class:`RawExport` (an
export as its reader found it) and the reading of header + data rows, label tables and
structure tables, which the workbook and the csv bundle have alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core.problems import InputError, Problem

ID_COLUMN = "respondentid"
KOMMUNE_COLUMN = "kommunekode"
STATUS_COLUMNS = tuple(f"statoverall_{i}" for i in range(1, 6))
COMPLETION_COLUMN = "statoverall_4"
COMPLETED_CODE = 1
SYSTEM_PREFIXES = ("statoverall_", "statcreation_", "statdistribution_", "statsource_",
                   "statcollect_", "statinternal_")
OPTION_LABELS = {0: "Ikke valgt", 1: "Valgt"}
BUNDLE_MEMBERS = ("dataset.csv", "labels.csv", "structure.csv")
STRUCTURE_HEADER = ("questionName", "variableName", "questionType", "subType", "questionText",
                    "choiceValue", "choiceText")


HEADER_NAMES = {
    "variable": {"variable", "variablename", "variabel", "variabelnavn", "var", "name", "navn"},
    "value": {"value", "værdi", "vaerdi", "code", "kode", "choicevalue"},
    "label": {"label", "valuelabel", "værdilabel", "etiket", "text", "tekst", "choicetext"},
    "text": {"questiontext", "question", "spørgsmål", "spoergsmaal", "spørgsmålstekst", "text",
             "tekst", "label", "variablelabel", "variabellabel"},
    "group": {"questionname", "group", "gruppe"},
    "qtype": {"questiontype"},
    "subtype": {"subtype"},
    "choice": {"choicetext"},
}


@dataclass
class ExportResult:
    """A survey export read into the canonical frame.

    Attributes
    ----------
    frame : canonical answers frame (see module docstring).
    labels : value labels per variable, code -> label text.
    questions : variable -> question text; option columns get "question - option", and the id of
        a multiple-choice question (not itself a column) gets the question text.
    incomplete : ``respondentid``, ``kommunekode`` of the rows that are not completed.
    format : ``"surveyxact-xlsx"``, ``"surveyxact-csv"`` or ``"spss-sav"``.
    encoding : detected text encoding (csv bundle: of dataset.csv; sav: as stored), else None.
    notes : what the reader decided, one line each, for the run log.
    multiple : multiple-choice question id -> {option column: option label}.
    missing : SPSS user-missing codes per variable, code -> label (the codes stay in ``frame``).
    """

    frame: pd.DataFrame
    labels: dict[str, dict[int, str]]
    questions: dict[str, str]
    incomplete: pd.DataFrame
    format: str
    encoding: str | None
    notes: list[str] = field(default_factory=list)
    multiple: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, dict[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Which export columns hold the respondent id, the municipality code and completion.

    ``completion_column`` None: the export has no completion column and every row counts as
    completed. The defaults are SurveyXact's names.
    """

    id_column: str = ID_COLUMN
    kommune_column: str = KOMMUNE_COLUMN
    completion_column: str | None = COMPLETION_COLUMN
    completed_code: int = COMPLETED_CODE

    @classmethod
    def of(cls, codebook) -> Layout:
        """The layout a survey codebook (``survey:``) declares."""
        return cls(codebook.id_column, codebook.kommune_column, codebook.completion_column,
                   codebook.completed_code)


@dataclass
class RawExport:
    """An export as read, before it is made canonical; ``data.index`` holds the row numbers."""

    data: pd.DataFrame
    file: str
    format: str
    encoding: str | None = None
    labels: dict[str, dict[int, str]] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    multiple: dict[str, dict[str, str]] = field(default_factory=dict)
    coded: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    column_files: dict[str, str] = field(default_factory=dict)  # when not all from ``file``
    missing: dict[str, dict[int, str]] = field(default_factory=dict)   # SPSS user-missing codes
    missing_ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    measure: dict[str, str] = field(default_factory=dict)    # SPSS nominal/ordinal/scale
    dates: set[str] = field(default_factory=set)             # SPSS date/time formats
    strings: set[str] = field(default_factory=set)           # SPSS string variables
    title: str | None = None


def blank(value: object) -> bool:
    """True for None, NaN and empty/whitespace strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean(value: object) -> object:
    """Strip strings and turn blanks into None."""
    if blank(value):
        return None
    return value.strip() if isinstance(value, str) else value


def table_from_rows(rows: list[list], file: str) -> pd.DataFrame:
    """Turn header + data rows into a frame indexed by spreadsheet row number (header = 1)."""
    if not rows or all(blank(cell) for cell in rows[0]):
        raise InputError([Problem(file, 1, None, None, "a header row with the variable names")])
    width = max(len(row) for row in rows)
    header = [clean(cell) for cell in rows[0]] + [None] * (width - len(rows[0]))
    body = [[clean(cell) for cell in row] + [None] * (width - len(row)) for row in rows[1:]]
    data = pd.DataFrame(body, columns=range(width), index=range(2, len(rows) + 1), dtype=object)
    problems = []
    for position, name in enumerate(header):
        if name is None and data[position].notna().any():
            problems.append(Problem(file, 1, f"column {position + 1}", None,
                                    "a variable name above every column that holds data"))
    names = [str(name) for name in header if name is not None]
    problems += [Problem(file, 1, name, name, "each variable name only once in the header row")
                 for name in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise InputError(problems)
    keep = [position for position, name in enumerate(header) if name is not None]
    data = data[keep]
    data.columns = [str(header[position]) for position in keep]
    return data.loc[data.notna().any(axis=1)]


def norm_header(cell: object) -> str:
    """Lower-case a header cell and drop spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]", "", str(cell or "")).lower()


def find_columns(header: list, wanted: Iterable[str]) -> dict[str, int]:
    """Map role names (see HEADER_NAMES) to header positions, first match wins."""
    normalised = [norm_header(cell) for cell in header]
    found: dict[str, int] = {}
    for role in wanted:
        for position, name in enumerate(normalised):
            if name in HEADER_NAMES[role] and position not in found.values():
                found[role] = position
                break
    return found


def as_int(value: object) -> int | None:
    """Return value as int if it is a whole number (3, 3.0, "3"), else None."""
    if blank(value) or isinstance(value, bool):
        return None
    try:
        text = value.strip().replace(",", ".") if isinstance(value, str) else value
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if np.isfinite(number) and number.is_integer() else None


def labels_from_rows(rows: list[list], file: str, notes: list[str]) -> dict[str, dict[int, str]]:
    """Read (variable, value, label) rows, with or without a header row."""
    rows = [row for row in rows if any(not blank(cell) for cell in row)]
    if not rows:
        return {}
    columns = {"variable": 0, "value": 1, "label": 2}
    first = rows[0] + [None] * 3
    if as_int(first[1]) is None:  # a header row
        found = find_columns(rows[0], ("variable", "value", "label"))
        columns.update(found)
        rows = rows[1:]
    labels: dict[str, dict[int, str]] = {}
    skipped = 0
    for row in rows:
        row = list(row) + [None] * 3
        variable, code = clean(row[columns["variable"]]), as_int(row[columns["value"]])
        if variable is None or code is None:
            skipped += 1
            continue
        label = clean(row[columns["label"]])
        labels.setdefault(str(variable), {})[code] = "" if label is None else str(label)
    if skipped:
        notes.append(f"{file}: {skipped} label rows without a variable name or whole-number value "
                     "were skipped")
    return labels


def add_structure(raw: RawExport, rows: list[list], file: str) -> None:
    """Add question texts, multiple-choice groups and coded variables from a structure table."""
    rows = [row for row in rows if any(not blank(cell) for cell in row)]
    if not rows:
        raw.notes.append(f"{file} is empty: no question texts")
        return
    found = find_columns(rows[0], ("variable", "text", "group", "qtype", "subtype", "choice"))
    if "variable" not in found or "text" not in found:
        raise InputError([Problem(file, 1, None, " | ".join(str(c) for c in rows[0] if c),
                                  "a header with the variable name and the question text, "
                                  "e.g. variableName and questionText")])

    def cell(row: list, role: str) -> str | None:
        position = found.get(role)
        value = clean(row[position]) if position is not None and position < len(row) else None
        return None if value is None else str(value)

    for row in rows[1:]:
        variable, text = cell(row, "variable"), cell(row, "text") or ""
        if variable is None:
            continue
        group, choice = cell(row, "group"), cell(row, "choice")
        if (cell(row, "subtype") or "").lower() == "multiple" and group:
            raw.multiple.setdefault(group, {})[variable] = choice or variable
            raw.questions[group] = text
            raw.questions[variable] = f"{text} - {choice}" if choice else text
            raw.coded.add(variable)
        else:
            raw.questions[variable] = text
            if (cell(row, "qtype") or "").lower() == "closed":
                raw.coded.add(variable)


def find_column(columns: Iterable, name: str) -> str | None:
    """The column called ``name``, matched case-insensitively (SPSS upper-cases)."""
    columns = list(columns)
    if name in columns:
        return name
    return next((c for c in columns if str(c).lower() == name.lower()), None)
