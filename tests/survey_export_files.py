"""Test helper: write a canonical survey frame as SurveyXact or SPSS would export it.

Files are built here with openpyxl, the csv module and pyreadstat directly, from the column
names, sheet names and dialects SurveyXact uses (written out below), so the project's reader
is tested against files it did not make: nothing here comes from ``analysis``.

* xlsx: sheets ``Dataset`` (header + one row per respondent, kommunekode a number),
  ``Labels`` (variable, value, label; no header row) and ``Variables`` (structure header).
* csv bundle (a folder, or a ``.zip``): ``dataset.csv``, ``labels.csv``, ``structure.csv`` in
  one of three dialects, CRLF line ends: comma + Windows-1252 with strings quoted (structure
  data rows end with an extra empty field), semicolon + ISO-8859-1, tab + UTF-16 with BOM.
* sav: variable labels, value labels, user-missing codes and measure levels.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import yaml

KOMMUNE_COLUMN = "kommunekode"
OPTION_LABELS = {0: "Ikke valgt", 1: "Valgt"}
STRUCTURE_HEADER = ("questionName", "variableName", "questionType", "subType", "questionText",
                    "choiceValue", "choiceText")
DIALECTS = {  # name -> (delimiter, encoding, quoting)
    "comma_cp1252": (",", "cp1252", csv.QUOTE_NONNUMERIC),
    "semicolon_latin1": (";", "latin-1", csv.QUOTE_MINIMAL),
    "tab_utf16": ("\t", "utf-16", csv.QUOTE_MINIMAL),
}
WRITE_FORMATS = ("xlsx", "sav", *DIALECTS)


def blank(value: object) -> bool:
    """True for a missing value (None, NaN, NA) and an empty string."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value))


@dataclass
class _Meta:
    """What the codebook says about the frame's columns, ready for any export format."""

    labels: dict[str, dict[int, str]]
    questions: dict[str, str]
    structure: list[tuple]
    measure: dict[str, str]
    missing: dict[str, list[int]]


def _codebook_meta(codebook_path: Path, columns: list[str],
                   kommune_names: Mapping[str, str] | None) -> _Meta:
    """Collect labels, question texts, structure rows and SPSS measures for the columns."""
    codebook = yaml.safe_load(Path(codebook_path).read_text(encoding="utf-8"))
    meta = _Meta({}, {}, [], {}, {})
    if kommune_names:
        meta.labels[KOMMUNE_COLUMN] = {int(k): str(v) for k, v in kommune_names.items()}
    present = set(columns)
    for question in codebook.get("questions", []):
        qid, text, kind = question["id"], question.get("text", ""), question.get("type", "single")
        if kind == "multiple":
            for number, (column, label) in enumerate(question.get("options", {}).items(), start=1):
                if column in present:
                    meta.labels[column] = dict(OPTION_LABELS)
                    meta.questions[column] = f"{text} - {label}"
                    meta.structure.append((qid, column, "Closed", "Multiple", text, number, label))
                    meta.measure[column] = "nominal"
            continue
        if qid not in present:
            continue
        answers = {int(k): str(v) for k, v in (question.get("answers") or {}).items()}
        missing = {int(k): str(v) for k, v in (question.get("missing") or {}).items()}
        if answers or missing:
            meta.labels[qid] = {**answers, **missing}
        if missing:
            meta.missing[qid] = sorted(missing)
        meta.questions[qid] = text
        closed = kind != "number"
        meta.structure.append((qid, qid, "Closed" if closed else "Open",
                               "Single" if closed else "Number", text, None, None))
        meta.measure[qid] = {"ordinal": "ordinal", "number": "scale"}.get(kind, "nominal")
    return meta


def write_export(frame: pd.DataFrame, codebook_path: Path, out: Path, fmt: str, *,
                 kommune_names: Mapping[str, str] | None = None) -> Path:
    """Write a canonical frame as a SurveyXact-style export or an SPSS file.

    Parameters
    ----------
    frame : canonical answers frame.
    codebook_path : codebook YAML giving question texts, answer labels and missing codes.
    out : target ``.xlsx``/``.sav`` file; for csv dialects a folder, or a ``.zip`` file.
    fmt : ``"xlsx"``, ``"sav"``, ``"comma_cp1252"``, ``"semicolon_latin1"`` or ``"tab_utf16"``.
    kommune_names : optional kommunekode -> name, written as value labels of kommunekode.

    Returns
    -------
    Path
        The path written.
    """
    if fmt not in WRITE_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; "
                         f"expected one of {', '.join(WRITE_FORMATS)}")
    out = Path(out)
    meta = _codebook_meta(codebook_path, list(frame.columns), kommune_names)
    if fmt == "xlsx":
        _write_xlsx(frame, meta, out)
    elif fmt == "sav":
        _write_sav(frame, meta, out)
    else:
        _write_bundle(frame, meta, out, fmt)
    return out


def _cell(value: object) -> object:
    """A frame value as a plain Python cell: int, str or None."""
    if blank(value):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return value


def _dataset_rows(frame: pd.DataFrame) -> list[list]:
    """Header + one row per respondent; kommunekode written as a number, as SurveyXact does."""
    rows = [list(frame.columns)]
    for record in frame.itertuples(index=False):
        row = [_cell(v) for v in record]
        rows.append(row)
    if KOMMUNE_COLUMN in frame.columns:
        position = list(frame.columns).index(KOMMUNE_COLUMN)
        for row in rows[1:]:
            value = row[position]
            if isinstance(value, str) and value.isdigit():
                row[position] = int(value)
    return rows


def _label_rows(meta: _Meta, columns: list[str]) -> list[list]:
    """(variable, value, label) rows in column order, no header (as SurveyXact writes them)."""
    return [[column, code, label] for column in columns
            for code, label in meta.labels.get(column, {}).items()]


def _write_xlsx(frame: pd.DataFrame, meta: _Meta, out: Path) -> None:
    """Write sheets Dataset, Labels (no header) and Variables (structure header)."""
    book = openpyxl.Workbook()
    sheets = {"Dataset": _dataset_rows(frame),
              "Labels": _label_rows(meta, list(frame.columns)),
              "Variables": [list(STRUCTURE_HEADER), *map(list, meta.structure)]}
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows():  # openpyxl turns any "=…" string into a formula
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)


def _csv_bytes(rows: list[list], dialect: str) -> bytes:
    """Encode rows in a SurveyXact csv dialect (CRLF line ends)."""
    delimiter, encoding, quoting = DIALECTS[dialect]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _write_bundle(frame: pd.DataFrame, meta: _Meta, out: Path, dialect: str) -> None:
    """Write dataset.csv, labels.csv, structure.csv to a folder or a .zip."""
    # The comma dialect ends each structure data row with an extra empty field, as SurveyXact does.
    trailing = [""] if dialect == "comma_cp1252" else []
    structure = [list(STRUCTURE_HEADER),
                 *[[("" if v is None else v) for v in row] + trailing for row in meta.structure]]
    payload = {"dataset.csv": _csv_bytes(_dataset_rows(frame), dialect),
               "labels.csv": _csv_bytes(_label_rows(meta, list(frame.columns)), dialect),
               "structure.csv": _csv_bytes(structure, dialect)}
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in payload.items():
                archive.writestr(name, data)
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, data in payload.items():
        (out / name).write_bytes(data)


def _spss_missing(codes: list[int]) -> list:
    """SPSS allows 3 discrete user-missing values, or one range (+ one value)."""
    if len(codes) <= 3:
        return list(codes)
    if codes == list(range(codes[0], codes[-1] + 1)):
        return [{"lo": codes[0], "hi": codes[-1]}]
    raise ValueError(f"cannot declare missing codes {codes} in SPSS (max 3 values or a range)")


def _write_sav(frame: pd.DataFrame, meta: _Meta, out: Path) -> None:
    """Write an SPSS .sav with variable labels, value labels and user-missing codes."""
    data = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if column == KOMMUNE_COLUMN and not values.dropna().astype(str).str.isdigit().all():
            data[column] = values.astype(object).where(values.notna(), "")
        else:
            data[column] = pd.to_numeric(values, errors="coerce").astype(float)
    labels = {c: v for c, v in meta.labels.items() if c in data.columns}
    if KOMMUNE_COLUMN in labels and data[KOMMUNE_COLUMN].dtype == object:
        labels[KOMMUNE_COLUMN] = {f"{k:03d}": v for k, v in labels[KOMMUNE_COLUMN].items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(
        data, str(out),
        column_labels={c: t for c, t in meta.questions.items() if c in data.columns},
        variable_value_labels=labels,
        missing_ranges={c: _spss_missing(codes) for c, codes in meta.missing.items()
                        if c in data.columns},
        variable_measure={c: m for c, m in meta.measure.items() if c in data.columns})

