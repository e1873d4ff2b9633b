"""Reading a SurveyXact workbook: sheets Dataset (or Dataset(1), Dataset(2), … side by side),
Labels and Structure or Variables."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from analysis.core.problems import InputError, Problem
from analysis.inputs.survey_exports.raw import (RawExport, add_structure, labels_from_rows,
                                                table_from_rows)


def load_xlsx(path: Path) -> RawExport:
    """Read the Dataset, Labels and Structure/Variables sheets of a SurveyXact workbook."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise InputError([Problem(path.name, None, None, None,
                                  f"a readable .xlsx workbook ({type(exc).__name__}: {exc})")])
    try:
        sheets = {name: [list(row) for row in book[name].iter_rows(values_only=True)]
                  for name in book.sheetnames}
    finally:
        book.close()
    return _raw_from_sheets(sheets, path.name)


def _raw_from_sheets(sheets: dict[str, list[list]], name: str) -> RawExport:
    """Build the raw export from the cell rows of each sheet."""
    by_lower = {sheet.strip().lower(): sheet for sheet in sheets}
    dataset_sheets = [sheet for sheet in sheets if sheet.strip().lower().startswith("dataset")]
    if not dataset_sheets:
        raise InputError([Problem(name, None, None, None,
                                  "a sheet named 'Dataset' with one row per respondent "
                                  f"(sheets found: {', '.join(sheets) or 'none'})")])
    files = [f"{name} (sheet {sheet})" for sheet in dataset_sheets]
    parts = [table_from_rows(sheets[sheet], file) for sheet, file in zip(dataset_sheets, files)]
    raw = RawExport(data=pd.concat(parts, axis=1) if len(parts) > 1 else parts[0], file=files[0],
               format="surveyxact-xlsx")
    if len(parts) > 1:
        raw.column_files = {column: file for part, file in zip(parts, files)
                            for column in part.columns}
        raw.notes.append(f"joined {len(parts)} dataset sheets side by side: "
                         f"{', '.join(dataset_sheets)}")
    if "labels" in by_lower:
        sheet = by_lower["labels"]
        raw.labels = labels_from_rows(sheets[sheet], f"{name} (sheet {sheet})", raw.notes)
    else:
        raw.notes.append("no 'Labels' sheet: the answer codes have no value labels")
    structure = by_lower.get("structure") or by_lower.get("variables")
    if structure:
        add_structure(raw, sheets[structure], f"{name} (sheet {structure})")
    else:
        raw.notes.append("no 'Structure'/'Variables' sheet: no question texts")
    return raw

