"""Checking a raw export and making it the canonical answers frame (:func:`read_export`).

Every bad cell is one problem (file, row, column, value, what was expected), at most
:data:`MAX_PROBLEMS_PER_COLUMN` per column and then a count.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.problems import InputError, Problem
from analysis.inputs.survey_exports.formats import load_raw
from analysis.inputs.survey_exports.raw import (COMPLETED_CODE, COMPLETION_COLUMN, ID_COLUMN,
                                                KOMMUNE_COLUMN, STATUS_COLUMNS, SYSTEM_PREFIXES,
                                                ExportResult, Layout, RawExport, blank, clean,
                                                find_column)

MAX_PROBLEMS_PER_COLUMN = 10


def read_export(path: Path, *, include_incomplete: bool = False,
                layout: Layout | None = None) -> ExportResult:
    """Read a SurveyXact xlsx / csv bundle or an SPSS .sav/.zsav file into the canonical frame.

    Parameters
    ----------
    path : ``.xlsx`` workbook, folder or ``.zip`` with the three csv files (a path to its
        ``dataset.csv`` also works), a lone dataset ``.csv``, or ``.sav``/``.zsav`` file.
    include_incomplete : keep respondents who did not complete (they are always listed in
        ``incomplete``).
    layout : the export's id, municipality and completion columns (default SurveyXact's
        ``respondentid``, ``kommunekode``, ``statoverall_4`` = 1). They become the canonical
        ``respondentid``, ``kommunekode`` and ``statoverall_4`` (1 = completed).

    Raises
    ------
    InputError
        With one Problem per bad cell, missing sheet/member/column or undecodable file.
    """
    raw = load_raw(Path(path))
    return canonical(raw, include_incomplete=include_incomplete, layout=layout or Layout())


def is_system(column: str) -> bool:
    """True for respondentid, kommunekode and SurveyXact stat* columns."""
    lower = column.lower()
    return lower in (ID_COLUMN, KOMMUNE_COLUMN) or lower.startswith(SYSTEM_PREFIXES)


def parse_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells into Int64 codes; also return the mask of cells that are not whole numbers."""
    number, bad = parse_numbers(values)
    bad = bad | (number.notna() & (number % 1 != 0))
    return number.where(~bad).astype("Int64"), bad


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells into floats (decimal comma accepted); also the mask of non-numeric cells."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(np.nan, index=values.index, dtype=float), values.notna()
    cells = values.astype(object).map(clean)
    blank = cells.isna()
    text = cells.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
    try:
        number = pd.to_numeric(text.where(~blank), errors="coerce").astype(float)
    except (TypeError, ValueError):  # e.g. date objects
        number = pd.Series(np.nan, index=values.index, dtype=float)
    bad = ~blank & (number.isna() | ~np.isfinite(number))
    bad |= cells.map(lambda v: isinstance(v, bool))
    return number.where(~bad & ~blank), bad


def _cell_problems(raw: RawExport, column: str, mask: pd.Series, expected: str,
                   shown: str | None = None) -> list[Problem]:
    """One Problem per flagged cell (at most MAX_PROBLEMS_PER_COLUMN, then a summary)."""
    rows = list(mask[mask].index)
    file = raw.column_files.get(column, raw.file)
    shown = shown or column
    problems = [Problem(file, int(row), shown, raw.data.at[row, column], expected)
                for row in rows[:MAX_PROBLEMS_PER_COLUMN]]
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        problems.append(Problem(file, None, shown,
                                f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more cells", expected))
    return problems


def _rename_system_columns(raw: RawExport, layout: Layout) -> dict[str, str]:
    """Rename the layout's columns to respondentid/kommunekode, and SurveyXact's status flags
    to their lower-case names; return canonical name -> the export's name."""
    origin: dict[str, str] = {}
    wanted = {ID_COLUMN: layout.id_column, KOMMUNE_COLUMN: layout.kommune_column,
              **{status: status for status in STATUS_COLUMNS}}
    rename: dict[str, str] = {}
    for canonical, name in wanted.items():
        found = find_column(raw.data.columns, name)
        if found is not None and found not in rename:
            rename[found] = canonical
            origin[canonical] = found
    taken = set(rename.values())
    clash = [c for c in raw.data.columns if c in taken and c not in rename]
    if clash:  # e.g. a 'kommunekode' column beside the declared kommune column
        raw.data = raw.data.drop(columns=clash)
        raw.notes.append(f"left out column(s) {', '.join(clash)}: the codebook names other "
                         "columns for the respondent id and municipality")
    raw.data = raw.data.rename(columns=rename)
    raw.labels = {rename.get(k, k): v for k, v in raw.labels.items()}
    return origin


def _id_column(raw: RawExport, problems: list[Problem], shown: str) -> pd.Series:
    """Respondent ids: whole numbers, each used once."""
    ids, bad = parse_codes(raw.data[ID_COLUMN])
    problems += _cell_problems(raw, ID_COLUMN, bad | ids.isna(), "a whole-number respondent id",
                               shown)
    duplicated = ids.duplicated(keep="first") & ids.notna()
    for row in duplicated[duplicated].index:
        first = ids.index[ids.eq(ids[row])][0]
        problems.append(Problem(raw.file, int(row), shown, raw.data.at[row, ID_COLUMN],
                                f"a respondent id used once (also in row {first})"))
    return ids


def _kommune_column(raw: RawExport, problems: list[Problem], shown: str) -> pd.Series:
    """Municipality codes as 3-digit strings ("101", "047"); 101.0 and "0101" are accepted."""
    codes, bad = parse_codes(raw.data[KOMMUNE_COLUMN])
    bad |= codes.notna() & ~codes.between(1, 999)
    problems += _cell_problems(raw, KOMMUNE_COLUMN, bad,
                               "a municipality code, a whole number of at most 3 digits", shown)
    return pd.Series([None if pd.isna(c) or b else f"{int(c):03d}" for c, b in zip(codes, bad)],
                     index=codes.index, dtype="str")


def _status_columns(raw: RawExport, problems: list[Problem], notes: list[str],
                    layout: Layout) -> tuple[dict[str, pd.Series], str | None]:
    """statoverall_1..5 as Int64 0/1 flags, with statoverall_4 = 1 where the response is
    completed by the layout's completion column; also return that column when it is another
    column than the flags (it is then not an answer)."""
    completion = layout.completion_column
    standard = (completion is not None and completion.lower() == COMPLETION_COLUMN
                and layout.completed_code == COMPLETED_CODE)
    source = find_column(raw.data.columns, completion) if completion is not None else None
    columns = {}
    for status in STATUS_COLUMNS:
        if status not in raw.data:
            if standard or status != COMPLETION_COLUMN:
                notes.append(f"no column {status}: left blank")
            columns[status] = pd.Series(pd.NA, index=raw.data.index, dtype="Int64")
            continue
        codes, bad = parse_codes(raw.data[status])
        if status != source or standard:
            bad |= codes.notna() & ~codes.isin([0, 1])
        problems += _cell_problems(raw, status, bad, "a SurveyXact status flag, 0 or 1")
        columns[status] = codes
    if standard:
        return columns, None
    if completion is None:
        columns[COMPLETION_COLUMN] = pd.Series(1, index=raw.data.index, dtype="Int64")
        notes.append("no completion column: every response counts as completed")
        return columns, None
    codes, bad = parse_codes(raw.data[source])
    problems += _cell_problems(raw, source, bad, "a whole-number completion code "
                               f"({layout.completed_code} = completed)")
    columns[COMPLETION_COLUMN] = codes.eq(layout.completed_code).fillna(False).astype("Int64")
    notes.append(f"completed responses: those with {source} = {layout.completed_code}")
    return columns, None if source in STATUS_COLUMNS else source


def _answer_columns(raw: RawExport, problems: list[Problem], notes: list[str],
                    skip: set[str]) -> dict[str, pd.Series]:
    """Every other column as Int64 codes (Float64 for numbers with decimals).

    SurveyXact system columns are left out. A column that is labelled or marked closed in the
    structure must hold whole numbers (else one Problem per bad cell); an unlabelled column
    with text or dates in it is an open answer and is left out.
    """
    columns, system, text = {}, [], []
    for column in raw.data.columns:
        if column in (ID_COLUMN, KOMMUNE_COLUMN, *STATUS_COLUMNS) or column in skip:
            continue
        if is_system(column):
            system.append(column)
            continue
        if column in raw.dates or column in raw.strings and column not in raw.coded:
            text.append(column)
            continue
        numbers, not_numbers = parse_numbers(raw.data[column])
        decimals = numbers.notna() & (numbers % 1 != 0)
        coded = column in raw.coded or column in raw.labels
        if not not_numbers.any() and not decimals.any():
            columns[column] = numbers.astype("Int64")
        elif not not_numbers.any() and not coded:
            columns[column] = numbers.astype("Float64")
        elif coded:
            labelled = raw.labels.get(column)
            expected = "a whole-number answer code" + (
                f" ({', '.join(f'{k} = {v}' for k, v in sorted(labelled.items()))})"
                if labelled and len(labelled) <= 12 else "")
            problems += _cell_problems(raw, column, not_numbers | decimals, expected)
        else:
            text.append(column)
    if system:
        notes.append(f"left out {len(system)} SurveyXact system column(s): {', '.join(system)}")
    if text:
        notes.append(f"left out {len(text)} text or date column(s) without answer codes: "
                     f"{', '.join(text)}")
    return columns


def incomplete_note(incomplete: pd.DataFrame, include_incomplete: bool) -> str:
    """E.g. "2 incomplete response(s) left out: respondentid 12, 13"."""
    ids = ", ".join(str(i) for i in incomplete[ID_COLUMN].head(20))
    action = "kept (include_incomplete=True)" if include_incomplete else "left out"
    more = " …" if len(incomplete) > 20 else ""
    return f"{len(incomplete)} incomplete response(s) {action}: respondentid {ids}{more}"


def canonical(raw: RawExport, *, include_incomplete: bool, layout: Layout) -> ExportResult:
    """Check and convert a raw export into the canonical frame, or raise InputError."""
    origin = _rename_system_columns(raw, layout)
    needed = [(ID_COLUMN, layout.id_column, "survey.id_column"),
              (KOMMUNE_COLUMN, layout.kommune_column, "survey.kommune_column")]
    if layout.completion_column is not None:
        needed.append((None, layout.completion_column, "survey.completion_column"))
    absent = [(name, key) for canonical, name, key in needed
              if (canonical not in raw.data if canonical
                  else find_column(raw.data.columns, name) is None)]
    if absent:
        default = layout == Layout()
        raise InputError([Problem(raw.file, 1, name, None,
                                  f"a column '{name}' in the header row"
                                  + ("" if default else f" ({key} in the codebook)"))
                          for name, key in absent])
    notes, problems = list(raw.notes), []
    status, completion_source = _status_columns(raw, problems, notes, layout)
    skip = {completion_source} if completion_source else set()
    frame = pd.DataFrame({ID_COLUMN: _id_column(raw, problems, origin[ID_COLUMN]),
                          KOMMUNE_COLUMN: _kommune_column(raw, problems, origin[KOMMUNE_COLUMN]),
                          **status,
                          **_answer_columns(raw, problems, notes, skip)}, index=raw.data.index)
    complete = frame[COMPLETION_COLUMN].eq(COMPLETED_CODE).fillna(False).astype(bool)
    kept = complete | include_incomplete
    problems += _cell_problems(raw, KOMMUNE_COLUMN, raw.data[KOMMUNE_COLUMN].map(blank) & kept,
                               "the respondent's municipality code (it is blank)",
                               origin[KOMMUNE_COLUMN])
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is None, p.row or 0)))

    frame[ID_COLUMN] = frame[ID_COLUMN].astype("int64")
    incomplete = frame.loc[~complete, [ID_COLUMN, KOMMUNE_COLUMN]].reset_index(drop=True)
    if len(incomplete):
        notes.append(incomplete_note(incomplete, include_incomplete))
    frame = frame.loc[kept].reset_index(drop=True)

    in_frame = set(frame.columns)
    unmatched = sorted(set(raw.labels) - in_frame - {completion_source})
    if unmatched:
        notes.append(f"value labels for variables not in the answers: {', '.join(unmatched)}")
    multiple = {q: {c: label for c, label in options.items() if c in in_frame}
                for q, options in raw.multiple.items()}
    multiple = {q: options for q, options in multiple.items() if options}
    missing = {k: dict(v) for k, v in raw.missing.items() if k in in_frame}
    for variable, spans in raw.missing_ranges.items():
        if variable in in_frame:
            for lo, hi in spans:
                missing.setdefault(variable, {})[f"{lo}..{hi}"] = "Uoplyst"
    return ExportResult(
        frame=frame, labels={k: v for k, v in raw.labels.items() if k in in_frame},
        questions={k: v for k, v in raw.questions.items() if k in in_frame or k in multiple},
        incomplete=incomplete, format=raw.format, encoding=raw.encoding, notes=notes,
        multiple=multiple, missing=missing)

