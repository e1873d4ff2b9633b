"""Read and write survey exports as the canonical survey answers frame.

Researchers get their survey data out of SurveyXact (Rambøll) as an Excel workbook, as a bundle
of three csv files, or as an SPSS ``.sav`` file. :func:`read_export` turns any of them into the
canonical frame the rest of the code validates and analyses: one row per respondent with
``respondentid`` (int), ``kommunekode`` (string, zero-padded to 3 digits), the SurveyXact status
flags ``statoverall_1``..``statoverall_5`` (0/1) and one nullable ``Int64`` column of answer codes
per question or multiple-choice option (``Float64`` for numbers with decimals). Missing codes
such as 8 ("Ved ikke"), 9 ("Ikke besvaret") or SPSS user-missing values stay codes; the codebook
marks them missing. A blank cell means the question was not asked. The export's own id,
municipality and completion columns are named by a :class:`Layout` (from the codebook's
``survey:``), and :func:`map_columns` renames the variables codebook entries map with
``column:`` to the report's question ids.

What SurveyXact writes (see ``FORMATS.md``, "Survey exports", and NIFU's readSX test files):

* xlsx: sheet ``Dataset`` (header row + one row per respondent; very wide surveys are split over
  ``Dataset(1)``, ``Dataset(2)``, ... which are joined side by side), sheet ``Labels`` (variable,
  value, label; usually without a header row) and sheet ``Structure`` or ``Variables``
  (variable -> question text).
* csv bundle (folder or .zip): ``dataset.csv`` (with header), ``labels.csv`` (no header) and
  ``structure.csv`` (header ``questionName, variableName, questionType, subType, questionText,
  choiceValue, choiceText``; the comma dialect ends every data row with an extra empty field), in
  three dialects: comma + ANSI (cp1252), semicolon + ISO-8859-1 and tab + UTF-16 with BOM.
* SPSS .sav/.zsav: value labels, variable labels, measure levels, user-defined missing values
  and ranges, date formats and multiple-response sets (dichotomy and category sets).
* a lone dataset .csv: the data only, no labels.

:func:`write_export` writes a canonical frame back out in those formats (for tests and end-to-end
runs), and :func:`draft_codebook` drafts a codebook YAML for every variable of an export, for the
researcher to finish (``rapport codebook --from``).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import yaml

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
DIALECTS = {  # name -> (delimiter, encoding, quoting)
    "comma_cp1252": (",", "cp1252", csv.QUOTE_NONNUMERIC),
    "semicolon_latin1": (";", "latin-1", csv.QUOTE_MINIMAL),
    "tab_utf16": ("\t", "utf-16", csv.QUOTE_MINIMAL),
}
WRITE_FORMATS = ("xlsx", "sav", *DIALECTS)
MAX_PROBLEMS_PER_COLUMN = 10

_MISSING_LABEL = re.compile(
    r"ved ikke|ikke besvaret|vil ikke (svare|oplyse)|ønsker ikke at svare|kan ikke svare|uoplyst"
    r"|don'?t know|not answered|no answer|refused", re.IGNORECASE)
_SCALE_WORDS = re.compile(
    r"enig|tilfreds|grad\b|meget|aldrig|altid|ofte|sjældent|vigtig|god\b|dårlig|høj|lav\b",
    re.IGNORECASE)
_HEADER_NAMES = {
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
class _Raw:
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


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

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
    return _canonical(raw, include_incomplete=include_incomplete, layout=layout or Layout())


def load_raw(path: Path) -> _Raw:
    """Read an export as it is (no column required), with its labels and metadata."""
    path = Path(path)
    loaders = {"surveyxact-xlsx": _load_xlsx, "surveyxact-csv": _load_bundle,
               "csv": _load_csv, "spss-sav": _load_sav}
    return loaders[detect_format(path)](path)


def detect_format(path: Path) -> str:
    """Name the export format of ``path`` from its kind and suffix, or raise InputError."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), None, None, None, "an existing file or folder")])
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip" or path.name.lower() == "dataset.csv":
        return "surveyxact-csv"
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "surveyxact-xlsx"
    if suffix in (".sav", ".zsav"):
        return "spss-sav"
    raise InputError([Problem(path.name, None, None, path.suffix or path.name,
                              "a SurveyXact .xlsx workbook, a folder or .zip with dataset.csv, "
                              "labels.csv and structure.csv, a dataset .csv, or an SPSS "
                              ".sav/.zsav file (re-export .xls/.xml workbooks as .xlsx)")])


# ---- xlsx -----------------------------------------------------------------------------------

def _load_xlsx(path: Path) -> _Raw:
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


def _raw_from_sheets(sheets: dict[str, list[list]], name: str) -> _Raw:
    """Build the raw export from the cell rows of each sheet."""
    by_lower = {sheet.strip().lower(): sheet for sheet in sheets}
    dataset_sheets = [sheet for sheet in sheets if sheet.strip().lower().startswith("dataset")]
    if not dataset_sheets:
        raise InputError([Problem(name, None, None, None,
                                  "a sheet named 'Dataset' with one row per respondent "
                                  f"(sheets found: {', '.join(sheets) or 'none'})")])
    files = [f"{name} (sheet {sheet})" for sheet in dataset_sheets]
    parts = [_table_from_rows(sheets[sheet], file) for sheet, file in zip(dataset_sheets, files)]
    raw = _Raw(data=pd.concat(parts, axis=1) if len(parts) > 1 else parts[0], file=files[0],
               format="surveyxact-xlsx")
    if len(parts) > 1:
        raw.column_files = {column: file for part, file in zip(parts, files)
                            for column in part.columns}
        raw.notes.append(f"joined {len(parts)} dataset sheets side by side: "
                         f"{', '.join(dataset_sheets)}")
    if "labels" in by_lower:
        sheet = by_lower["labels"]
        raw.labels = _labels_from_rows(sheets[sheet], f"{name} (sheet {sheet})", raw.notes)
    else:
        raw.notes.append("no 'Labels' sheet: the answer codes have no value labels")
    structure = by_lower.get("structure") or by_lower.get("variables")
    if structure:
        _add_structure(raw, sheets[structure], f"{name} (sheet {structure})")
    else:
        raw.notes.append("no 'Structure'/'Variables' sheet: no question texts")
    return raw


# ---- csv bundle -----------------------------------------------------------------------------

def _load_bundle(path: Path) -> _Raw:
    """Read dataset.csv, labels.csv and structure.csv from a folder or a .zip."""
    members = _bundle_members(path)
    texts = {member: _decode(raw, f"{path.name}/{member}") for member, raw in members.items()}
    dataset_text, encoding = texts["dataset.csv"]
    if dataset_text.isascii():  # pure ASCII decodes as anything: report a member with æøå
        encoding = next((enc for text, enc in texts.values() if not text.isascii()), encoding)
    delimiter = _sniff_delimiter(dataset_text)
    rows = {member: _csv_rows(text, _member_delimiter(text, delimiter))
            for member, (text, _) in texts.items()}
    file = f"{path.name}/dataset.csv" if path.name.lower() != "dataset.csv" else str(path)
    raw = _Raw(data=_table_from_rows(rows["dataset.csv"], file), file=file,
               format="surveyxact-csv", encoding=encoding)
    raw.notes.append(f"csv bundle: delimiter {delimiter!r}, encodings "
                     + ", ".join(f"{member} {enc}" for member, (_, enc) in texts.items()))
    raw.labels = _labels_from_rows(rows["labels.csv"], f"{path.name}/labels.csv", raw.notes)
    _add_structure(raw, rows["structure.csv"], f"{path.name}/structure.csv")
    return raw


def _load_csv(path: Path) -> _Raw:
    """Read a lone dataset csv (one row per respondent, no labels or question texts)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({exc.strerror})")]) from None
    text, encoding = _decode(data, path.name)
    delimiter = _sniff_delimiter(text)
    raw = _Raw(data=_table_from_rows(_csv_rows(text, delimiter), path.name), file=path.name,
               format="csv", encoding=encoding)
    raw.notes.append(f"csv file: delimiter {delimiter!r}, encoding {encoding}; no value labels "
                     "or question texts (a SurveyXact bundle or an SPSS file has them)")
    return raw


def _bundle_members(path: Path) -> dict[str, bytes]:
    """Return the bytes of the three bundle files, matched by file name in any case."""
    if path.name.lower() == "dataset.csv":
        path = path.parent
    found: dict[str, bytes] = {}
    if path.is_dir():
        for child in path.iterdir():
            if child.is_file() and child.name.lower() in BUNDLE_MEMBERS:
                found[child.name.lower()] = child.read_bytes()
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    base = info.filename.rsplit("/", 1)[-1].lower()
                    if base in BUNDLE_MEMBERS and not info.filename.startswith("__MACOSX"):
                        found.setdefault(base, archive.read(info))
        except zipfile.BadZipFile as exc:
            raise InputError([Problem(path.name, None, None, None,
                                      f"a readable .zip file ({exc})")])
    missing = [member for member in BUNDLE_MEMBERS if member not in found]
    if missing:
        raise InputError([Problem(path.name, None, None, member,
                                  "a SurveyXact csv bundle with dataset.csv, labels.csv and "
                                  "structure.csv") for member in missing])
    return {member: found[member] for member in BUNDLE_MEMBERS}


def _decode(raw: bytes, file: str) -> tuple[str, str]:
    """Decode csv bytes: BOM -> UTF-16/UTF-8, else UTF-8, else cp1252 (ANSI / ISO-8859-1)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif b"\x00" in raw:
        candidates = [enc for enc in [_utf16_without_bom(raw)] if enc]
    else:
        candidates = ["utf-8", "cp1252"]
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            error = exc
    row = raw[:error.start].count(b"\n") + 1 if error else None
    value = raw[error.start:error.end] if error else raw[:8]
    raise InputError([Problem(file, row, None, value,
                              "text in UTF-8, UTF-16 with BOM, or ANSI (Windows-1252/ISO-8859-1)")])


def _utf16_without_bom(raw: bytes) -> str | None:
    """Guess UTF-16 byte order from where the NUL bytes sit, or None if it is not UTF-16."""
    sample = raw[:2000]
    if len(sample) < 2:
        return None
    if sample[1::2].count(0) > 0.8 * len(sample[1::2]):
        return "utf-16-le"
    if sample[0::2].count(0) > 0.8 * len(sample[0::2]):
        return "utf-16-be"
    return None


def _sniff_delimiter(text: str) -> str:
    """Find the delimiter among comma, semicolon and tab (csv.Sniffer, header count fallback)."""
    lines = text.splitlines()
    header = lines[0] if lines else ""
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in header:
        delimiter = max(",;\t", key=header.count)
    return delimiter


def _member_delimiter(text: str, delimiter: str) -> str:
    """Use the dataset's delimiter for a bundle member unless its first line lacks it."""
    first = text.splitlines()[0] if text.strip() else delimiter
    return delimiter if delimiter in first else _sniff_delimiter(text)


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    """Split csv text into rows of cells; blank lines stay as empty rows (row numbers hold)."""
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# ---- tables shared by xlsx and csv ------------------------------------------------------------

def _blank(value: object) -> bool:
    """True for None, NaN and empty/whitespace strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _clean(value: object) -> object:
    """Strip strings and turn blanks into None."""
    if _blank(value):
        return None
    return value.strip() if isinstance(value, str) else value


def _table_from_rows(rows: list[list], file: str) -> pd.DataFrame:
    """Turn header + data rows into a frame indexed by spreadsheet row number (header = 1)."""
    if not rows or all(_blank(cell) for cell in rows[0]):
        raise InputError([Problem(file, 1, None, None, "a header row with the variable names")])
    width = max(len(row) for row in rows)
    header = [_clean(cell) for cell in rows[0]] + [None] * (width - len(rows[0]))
    body = [[_clean(cell) for cell in row] + [None] * (width - len(row)) for row in rows[1:]]
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


def _norm_header(cell: object) -> str:
    """Lower-case a header cell and drop spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]", "", str(cell or "")).lower()


def _find_columns(header: list, wanted: Iterable[str]) -> dict[str, int]:
    """Map role names (see _HEADER_NAMES) to header positions, first match wins."""
    normalised = [_norm_header(cell) for cell in header]
    found: dict[str, int] = {}
    for role in wanted:
        for position, name in enumerate(normalised):
            if name in _HEADER_NAMES[role] and position not in found.values():
                found[role] = position
                break
    return found


def _as_int(value: object) -> int | None:
    """Return value as int if it is a whole number (3, 3.0, "3"), else None."""
    if _blank(value) or isinstance(value, bool):
        return None
    try:
        text = value.strip().replace(",", ".") if isinstance(value, str) else value
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if np.isfinite(number) and number.is_integer() else None


def _labels_from_rows(rows: list[list], file: str, notes: list[str]) -> dict[str, dict[int, str]]:
    """Read (variable, value, label) rows, with or without a header row."""
    rows = [row for row in rows if any(not _blank(cell) for cell in row)]
    if not rows:
        return {}
    columns = {"variable": 0, "value": 1, "label": 2}
    first = rows[0] + [None] * 3
    if _as_int(first[1]) is None:  # a header row
        found = _find_columns(rows[0], ("variable", "value", "label"))
        columns.update(found)
        rows = rows[1:]
    labels: dict[str, dict[int, str]] = {}
    skipped = 0
    for row in rows:
        row = list(row) + [None] * 3
        variable, code = _clean(row[columns["variable"]]), _as_int(row[columns["value"]])
        if variable is None or code is None:
            skipped += 1
            continue
        label = _clean(row[columns["label"]])
        labels.setdefault(str(variable), {})[code] = "" if label is None else str(label)
    if skipped:
        notes.append(f"{file}: {skipped} label rows without a variable name or whole-number value "
                     "were skipped")
    return labels


def _add_structure(raw: _Raw, rows: list[list], file: str) -> None:
    """Add question texts, multiple-choice groups and coded variables from a structure table."""
    rows = [row for row in rows if any(not _blank(cell) for cell in row)]
    if not rows:
        raw.notes.append(f"{file} is empty: no question texts")
        return
    found = _find_columns(rows[0], ("variable", "text", "group", "qtype", "subtype", "choice"))
    if "variable" not in found or "text" not in found:
        raise InputError([Problem(file, 1, None, " | ".join(str(c) for c in rows[0] if c),
                                  "a header with the variable name and the question text, "
                                  "e.g. variableName and questionText")])

    def cell(row: list, role: str) -> str | None:
        position = found.get(role)
        value = _clean(row[position]) if position is not None and position < len(row) else None
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


# ---- SPSS -----------------------------------------------------------------------------------

_DATE_FORMATS = re.compile(r"^(DATE|ADATE|EDATE|JDATE|SDATE|DATETIME|YMDHMS|TIME|DTIME|MTIME|"
                           r"WKDAY|MONTH|MOYR|QYR|WKYR)", re.IGNORECASE)


def _load_sav(path: Path) -> _Raw:
    """Read an SPSS .sav/.zsav: labels, measures and user-missing codes from its dictionary,
    multiple-response sets expanded to 0/1 columns. User-missing codes stay as they are."""
    try:
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # ReadstatError / PyreadstatError / OSError
        raise InputError([Problem(path.name, None, None, None,
                                  f"a readable SPSS .sav/.zsav file ({type(exc).__name__}: "
                                  f"{' '.join(str(exc).split())})")])
    raw = _Raw(data=data.set_axis(range(1, len(data) + 1)), file=path.name, format="spss-sav",
               encoding=meta.file_encoding, title=(meta.file_label or "").strip() or None)
    raw.labels = {variable: {code: str(label) for value, label in labels.items()
                             if (code := _as_int(value)) is not None}
                  for variable, labels in meta.variable_value_labels.items()}
    raw.labels = {variable: labels for variable, labels in raw.labels.items() if labels}
    raw.questions = {variable: str(label).strip()
                     for variable, label in meta.column_names_to_labels.items()
                     if label and str(label).strip()}
    raw.measure = dict(meta.variable_measure or {})
    types = meta.readstat_variable_types or {}
    raw.strings = {v for v, kind in types.items() if kind == "string"}
    raw.dates = {v for v, fmt in (meta.original_variable_types or {}).items()
                 if _DATE_FORMATS.match(str(fmt))}
    raw.coded = set(raw.labels)
    for variable, spans in (meta.missing_ranges or {}).items():
        if variable not in raw.strings:
            _add_user_missing(raw, variable, spans,
                              meta.variable_value_labels.get(variable, {}))
    for name, spec in (meta.mr_sets or {}).items():
        _expand_mr_set(raw, name.lstrip("$"), spec)
    return raw


def _add_user_missing(raw: _Raw, variable: str, spans: list[Mapping],
                      value_labels: Mapping) -> None:
    """Record a numeric variable's SPSS user-missing values: discrete codes (with their value
    label, else "Uoplyst") and whole-number ranges ``lo..hi``."""
    codes: dict[int, str] = {}
    ranges: list[tuple[int, int]] = []
    for span in spans:
        lo, hi = span.get("lo"), span.get("hi")
        if not all(isinstance(x, (int, float)) and np.isfinite(x) for x in (lo, hi)):
            raw.notes.append(f"{variable}: SPSS user-missing range {lo} to {hi} has an open end; "
                             "list its codes under missing yourself")
            continue
        if lo == hi and float(lo).is_integer():
            label = value_labels.get(lo, value_labels.get(int(lo)))
            codes[int(lo)] = str(label) if label is not None else "Uoplyst"
        elif float(lo).is_integer() and float(hi).is_integer():
            ranges.append((int(lo), int(hi)))
        else:
            raw.notes.append(f"{variable}: SPSS user-missing value(s) {lo:g} to {hi:g} are not "
                             "whole numbers and cannot be missing codes")
    if codes:
        raw.missing[variable] = codes
    if ranges:
        raw.missing_ranges[variable] = ranges


def _expand_mr_set(raw: _Raw, name: str, spec: Mapping) -> None:
    """Replace an SPSS multiple-response set by one 0/1 column per option.

    A respondent with no value in any of the set's variables was not asked: all options stay
    blank. Option columns get the labels 0 = "Ikke valgt", 1 = "Valgt".
    """
    members = [v for v in spec.get("variable_list", []) if v in raw.data.columns]
    if not members:
        return
    text = spec.get("label") or name
    if spec.get("is_dichotomy", spec.get("type") == "D"):
        options = _expand_dichotomy(raw, members, _as_int(spec.get("counted_value")), text)
    else:
        options = _expand_categories(raw, name, members)
    for column, option_label in options.items():
        raw.missing.pop(column, None)
        raw.missing_ranges.pop(column, None)
        raw.labels[column] = dict(OPTION_LABELS)
        raw.questions[column] = f"{text} - {option_label}"
        raw.coded.add(column)
    raw.multiple[name] = options
    raw.questions[name] = text
    raw.notes.append(f"SPSS multiple-response set ${name} expanded to 0/1 columns: "
                     f"{', '.join(options)}")


def _expand_dichotomy(raw: _Raw, members: list[str], counted: int | None,
                      text: str) -> dict[str, str]:
    """Dichotomy set: each variable becomes its option column, 1 where it holds the counted value.

    The option label is the value label of the counted value, or (if that just says
    "Valgt"/"Ja") the variable label without the set's question text.
    """
    counted = 1 if counted is None else counted
    values = raw.data[members].apply(pd.to_numeric, errors="coerce")
    asked = values.notna().any(axis=1)
    options = {}
    for variable in members:
        raw.data[variable] = _option_column(values[variable].eq(counted), asked)
        label = raw.labels.get(variable, {}).get(counted)
        if label is None or label.lower() in ("valgt", "ja", "yes", "1"):
            label = _option_from_label(raw.questions.get(variable, variable), text)
        options[variable] = label
    return options


def _expand_categories(raw: _Raw, name: str, members: list[str]) -> dict[str, str]:
    """Category set: the variables hold chosen codes; make one column ``<set>_<code>`` per code.

    The categories are the labelled and observed codes (numbers, or the text codes of string
    variables) except the set's declared user-missing codes; the new columns take the place of
    the set's variables.
    """
    text = any(member in raw.strings for member in members)
    if text:
        values = raw.data[members].astype(object).map(_clean)
    else:
        values = raw.data[members].apply(pd.to_numeric, errors="coerce")
    asked = values.notna().any(axis=1)
    categories: dict[object, str] = {}
    missing: set[object] = set()
    for variable in members:
        labels = raw.labels.pop(variable, {})
        missing |= set(raw.missing.pop(variable, {}))
        raw.missing_ranges.pop(variable, None)
        raw.questions.pop(variable, None)
        raw.coded.discard(variable)
        if not text:
            categories.update(labels)
    observed = set(values.stack().dropna().unique())
    if text:
        categories = {str(c): str(c) for c in observed}
    else:
        observed = {int(v) for v in observed if float(v).is_integer()}
    codes = sorted((set(categories) | observed) - missing, key=lambda c: (str(type(c)), c))
    new = pd.DataFrame({f"{name}_{_slug(code)}": _option_column(values.eq(code).any(axis=1), asked)
                        for code in codes}, index=raw.data.index)
    position = raw.data.columns.get_loc(members[0])
    rest = raw.data.drop(columns=members)
    raw.data = pd.concat([rest.iloc[:, :position], new, rest.iloc[:, position:]], axis=1)
    return {f"{name}_{_slug(code)}": categories.get(code, str(code)) for code in codes}


def _slug(code: object) -> str:
    """A category code as part of a column name: ``3``, ``a``, ``-1``, ``ja_tak``."""
    return re.sub(r"[^\w-]+", "_", str(code)).strip("_") or "x"


def _option_column(chosen: pd.Series, asked: pd.Series) -> pd.Series:
    """1 where chosen, 0 where asked but not chosen, blank where not asked."""
    return chosen.astype("Int64").where(asked, pd.NA)


def _strip_prefix(text: str, prefix: str) -> str:
    """Drop a shared question text (and a " - " separator) from an option's variable label."""
    if prefix and text.startswith(prefix):
        text = text[len(prefix):].lstrip(" -:")
    return text or prefix


def _option_from_label(label: str, question: str) -> str:
    """The option part of a variable label: after the question text, else after the last " - "."""
    if question and label.startswith(question):
        return _strip_prefix(label, question)
    return label.rsplit(" - ", 1)[-1].strip() or label


# ---- canonical frame -------------------------------------------------------------------------

def _is_system(column: str) -> bool:
    """True for respondentid, kommunekode and SurveyXact stat* columns."""
    lower = column.lower()
    return lower in (ID_COLUMN, KOMMUNE_COLUMN) or lower.startswith(SYSTEM_PREFIXES)


def _parse_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells into Int64 codes; also return the mask of cells that are not whole numbers."""
    number, bad = _parse_numbers(values)
    bad = bad | (number.notna() & (number % 1 != 0))
    return number.where(~bad).astype("Int64"), bad


def _parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells into floats (decimal comma accepted); also the mask of non-numeric cells."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(np.nan, index=values.index, dtype=float), values.notna()
    cells = values.astype(object).map(_clean)
    blank = cells.isna()
    text = cells.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
    try:
        number = pd.to_numeric(text.where(~blank), errors="coerce").astype(float)
    except (TypeError, ValueError):  # e.g. date objects
        number = pd.Series(np.nan, index=values.index, dtype=float)
    bad = ~blank & (number.isna() | ~np.isfinite(number))
    bad |= cells.map(lambda v: isinstance(v, bool))
    return number.where(~bad & ~blank), bad


def _cell_problems(raw: _Raw, column: str, mask: pd.Series, expected: str,
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


def _find(raw: _Raw, name: str) -> str | None:
    """The export column called ``name``, matched case-insensitively (SPSS upper-cases)."""
    if name in raw.data.columns:
        return name
    return next((c for c in raw.data.columns if str(c).lower() == name.lower()), None)


def _rename_system_columns(raw: _Raw, layout: Layout) -> dict[str, str]:
    """Rename the layout's columns to respondentid/kommunekode, and SurveyXact's status flags
    to their lower-case names; return canonical name -> the export's name."""
    origin: dict[str, str] = {}
    wanted = {ID_COLUMN: layout.id_column, KOMMUNE_COLUMN: layout.kommune_column,
              **{status: status for status in STATUS_COLUMNS}}
    rename: dict[str, str] = {}
    for canonical, name in wanted.items():
        found = _find(raw, name)
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


def _id_column(raw: _Raw, problems: list[Problem], shown: str) -> pd.Series:
    """Respondent ids: whole numbers, each used once."""
    ids, bad = _parse_codes(raw.data[ID_COLUMN])
    problems += _cell_problems(raw, ID_COLUMN, bad | ids.isna(), "a whole-number respondent id",
                               shown)
    duplicated = ids.duplicated(keep="first") & ids.notna()
    for row in duplicated[duplicated].index:
        first = ids.index[ids.eq(ids[row])][0]
        problems.append(Problem(raw.file, int(row), shown, raw.data.at[row, ID_COLUMN],
                                f"a respondent id used once (also in row {first})"))
    return ids


def _kommune_column(raw: _Raw, problems: list[Problem], shown: str) -> pd.Series:
    """Municipality codes as 3-digit strings ("101", "047"); 101.0 and "0101" are accepted."""
    codes, bad = _parse_codes(raw.data[KOMMUNE_COLUMN])
    bad |= codes.notna() & ~codes.between(1, 999)
    problems += _cell_problems(raw, KOMMUNE_COLUMN, bad,
                               "a municipality code, a whole number of at most 3 digits", shown)
    return pd.Series([None if pd.isna(c) or b else f"{int(c):03d}" for c, b in zip(codes, bad)],
                     index=codes.index, dtype="str")


def _status_columns(raw: _Raw, problems: list[Problem], notes: list[str],
                    layout: Layout) -> tuple[dict[str, pd.Series], str | None]:
    """statoverall_1..5 as Int64 0/1 flags, with statoverall_4 = 1 where the response is
    completed by the layout's completion column; also return that column when it is another
    column than the flags (it is then not an answer)."""
    completion = layout.completion_column
    standard = (completion is not None and completion.lower() == COMPLETION_COLUMN
                and layout.completed_code == COMPLETED_CODE)
    source = _find(raw, completion) if completion is not None else None
    columns = {}
    for status in STATUS_COLUMNS:
        if status not in raw.data:
            if standard or status != COMPLETION_COLUMN:
                notes.append(f"no column {status}: left blank")
            columns[status] = pd.Series(pd.NA, index=raw.data.index, dtype="Int64")
            continue
        codes, bad = _parse_codes(raw.data[status])
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
    codes, bad = _parse_codes(raw.data[source])
    problems += _cell_problems(raw, source, bad, "a whole-number completion code "
                               f"({layout.completed_code} = completed)")
    columns[COMPLETION_COLUMN] = codes.eq(layout.completed_code).fillna(False).astype("Int64")
    notes.append(f"completed responses: those with {source} = {layout.completed_code}")
    return columns, None if source in STATUS_COLUMNS else source


def _answer_columns(raw: _Raw, problems: list[Problem], notes: list[str],
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
        if _is_system(column):
            system.append(column)
            continue
        if column in raw.dates or column in raw.strings and column not in raw.coded:
            text.append(column)
            continue
        numbers, not_numbers = _parse_numbers(raw.data[column])
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


def _incomplete_note(incomplete: pd.DataFrame, include_incomplete: bool) -> str:
    """E.g. "2 incomplete response(s) left out: respondentid 12, 13"."""
    ids = ", ".join(str(i) for i in incomplete[ID_COLUMN].head(20))
    action = "kept (include_incomplete=True)" if include_incomplete else "left out"
    more = " …" if len(incomplete) > 20 else ""
    return f"{len(incomplete)} incomplete response(s) {action}: respondentid {ids}{more}"


def _canonical(raw: _Raw, *, include_incomplete: bool, layout: Layout) -> ExportResult:
    """Check and convert a raw export into the canonical frame, or raise InputError."""
    origin = _rename_system_columns(raw, layout)
    needed = [(ID_COLUMN, layout.id_column, "survey.id_column"),
              (KOMMUNE_COLUMN, layout.kommune_column, "survey.kommune_column")]
    if layout.completion_column is not None:
        needed.append((None, layout.completion_column, "survey.completion_column"))
    absent = [(name, key) for canonical, name, key in needed
              if (canonical not in raw.data if canonical else _find(raw, name) is None)]
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
    problems += _cell_problems(raw, KOMMUNE_COLUMN, raw.data[KOMMUNE_COLUMN].map(_blank) & kept,
                               "the respondent's municipality code (it is blank)",
                               origin[KOMMUNE_COLUMN])
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is None, p.row or 0)))

    frame[ID_COLUMN] = frame[ID_COLUMN].astype("int64")
    incomplete = frame.loc[~complete, [ID_COLUMN, KOMMUNE_COLUMN]].reset_index(drop=True)
    if len(incomplete):
        notes.append(_incomplete_note(incomplete, include_incomplete))
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


# ---- mapping an export onto the report's columns -------------------------------------------

def canonical_codebook(codebook):
    """The codebook as it applies to a canonical frame: SurveyXact's column names."""
    return dataclasses.replace(codebook, id_column=ID_COLUMN, kommune_column=KOMMUNE_COLUMN,
                               completion_column=COMPLETION_COLUMN,
                               completed_code=COMPLETED_CODE)


def map_columns(frame: pd.DataFrame, codebook) -> tuple[pd.DataFrame, object, dict[str, str]]:
    """Put a survey frame into the report's column names.

    Export variables that codebook entries map with ``column:`` are renamed to the question (or
    option) ids; the id and municipality columns become ``respondentid`` and ``kommunekode``
    (the names the analysis joins on); without a completion column (``completion_column:
    null``) every row gets ``statoverall_4`` = 1. Returns the frame, the codebook as it now
    applies, and report column -> how problems should name it (the export's variable).

    A column already named like a mapped question's id, but not itself mapped, is dropped (the
    codebook says the answers are elsewhere).
    """
    renames = dict(codebook.renames)
    for source, target in ((codebook.id_column, ID_COLUMN),
                           (codebook.kommune_column, KOMMUNE_COLUMN)):
        if source != target:
            renames[source] = target
    present = {_ci(frame, source): target for source, target in renames.items()
               if _ci(frame, source) is not None}
    stale = [c for c in frame.columns if c in renames.values() and c not in present]
    frame = frame.drop(columns=stale).rename(columns=present)
    shown = {target: f"{source} (mapped to {target})" for source, target in renames.items()}
    shown.update({t: s for s, t in present.items() if t in (ID_COLUMN, KOMMUNE_COLUMN)})
    codebook = dataclasses.replace(codebook, id_column=ID_COLUMN, kommune_column=KOMMUNE_COLUMN)
    if codebook.completion_column is None:
        frame = frame.assign(**{COMPLETION_COLUMN: str(COMPLETED_CODE)})
        codebook = dataclasses.replace(codebook, completion_column=COMPLETION_COLUMN,
                                       completed_code=COMPLETED_CODE)
    return frame, codebook, shown


def _ci(frame: pd.DataFrame, name: str) -> str | None:
    if name in frame.columns:
        return name
    return next((c for c in frame.columns if str(c).lower() == name.lower()), None)


def name_columns(problems: list[Problem], shown: Mapping[str, str]) -> list[Problem]:
    """Problems about report columns, named by the export variables they came from."""
    return [dataclasses.replace(p, column=shown.get(p.column, p.column)) if p.column else p
            for p in problems]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

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
    if _blank(value):
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


# --------------------------------------------------------------------------------------------
# Draft codebook
# --------------------------------------------------------------------------------------------

_ID_NAMES = ("respondentid", "respondent", "responseid", "respid", "resp", "id", "lbnr",
             "løbenr", "loebenr", "løbenummer", "loebenummer", "caseid", "recordid", "serial")
_KOMMUNE_NAMES = ("kommunekode", "kommunenr", "kommunenummer", "komkode", "komnr", "kommune",
                  "municipalitycode", "municipality")
_COMPLETION_NAMES = (COMPLETION_COLUMN.replace("_", ""), "finished", "completed", "complete",
                     "gennemført", "gennemfoert", "gennemfort")
NO_COMPLETION = "none"   # --completed none: the export has no completion column
TODO = "TODO"           # as analysis.inputs.codebook.TODO: left for the researcher


@dataclass
class Draft:
    """A drafted codebook: the YAML text and what the drafting decided, one line each."""

    text: str
    messages: list[str]


def draft_codebook(path: Path, *, id_column: str | None = None,
                   kommune_column: str | None = None, completion_column: str | None = None,
                   completed_code: int | None = None) -> Draft:
    """Draft a codebook YAML for every variable of an export, for the researcher to finish.

    The export's own shape decides: question text from the variable label (or SurveyXact's
    structure), type from the value labels and the SPSS measure level (``multiple`` for SPSS
    multiple-response sets and for 0/1 columns grouped by the export or sharing a name prefix,
    ``ordinal`` for ordinal measures and scale-like labels, ``single`` for other labelled codes,
    ``number`` for unlabelled numbers); answers from the value labels; SPSS user-missing values
    and ranges, and labels such as "Ved ikke", as ``missing``. Free text and dates are left out
    (listed at the top). What only the researcher knows is written ``TODO``.

    The id, municipality and completion columns are taken from the arguments, else guessed
    from their names and contents, else left ``TODO`` with a message. ``completion_column``
    ``"none"`` means the export has none (every response counts as completed).

    Raises
    ------
    InputError
        When the export cannot be read, or a column named in the arguments is not in it.
    """
    from analysis.inputs.questions import BY_ID, REQUIRED_QUESTIONS

    path = Path(path)
    raw = load_raw(path)
    messages: list[str] = []
    chosen = _choose_columns(raw, messages, id_column, kommune_column, completion_column,
                             completed_code)
    used = {c for c in (chosen["id_column"], chosen["kommune_column"],
                        chosen["completion_column"]) if c and c != TODO}
    multiple = dict(raw.multiple)
    grouped = {c for options in multiple.values() for c in options}
    multiple.update(_infer_multiple(raw, grouped | used))
    option_of = {c: q for q, options in multiple.items() for c in options}
    entries: list[dict] = []
    done: set[str] = set()
    system, text_columns, dates = [], [], []
    for column in raw.data.columns:
        if column in used:
            continue
        if column in option_of:
            qid = option_of[column]
            if qid not in done:
                entries.append(_multiple_entry(_report_id(qid, BY_ID), raw.questions.get(qid, ""),
                                               multiple[qid], BY_ID))
                done.add(qid)
            continue
        if _is_system(column):
            system.append(column)
        elif column in raw.dates or pd.api.types.is_datetime64_any_dtype(raw.data[column]):
            dates.append(column)
        elif column in raw.strings and column not in raw.coded:
            text_columns.append(column)
        elif _parse_numbers(raw.data[column])[1].any() and column not in raw.labels:
            text_columns.append(column)
        else:
            entries.append(_question_entry(column, raw, messages, BY_ID))
    left_out = []
    if text_columns:
        left_out.append(f"free text (the report uses no open answers): {', '.join(text_columns)}")
    if dates:
        left_out.append(f"dates and times: {', '.join(dates)}")
    if system:
        left_out.append(f"SurveyXact system columns: {', '.join(system)}")
    messages.append(f"drafted {len(entries)} question(s) from {path.name}"
                    + (f"; left out {len(text_columns) + len(dates) + len(system)} column(s)"
                       if text_columns or dates or system else ""))
    doc = {"survey": {"title": raw.title or TODO, **chosen}, "questions": entries}
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
    header = [f"# Draft survey codebook for {path.name} ({raw.format}"
              + (f", {raw.encoding}" if raw.encoding else "") + "), written by rapport codebook.",
              "# Replace every TODO, delete the questions you do not need, save it as",
              "# survey/codebook.yaml and run `rapport validate`: it lists what is still missing.",
              "# A variable answers one of the report's questions when its entry has that "
              "question's id;",
              "# `column:` keeps your variable's name, so nothing has to be renamed in the export.",
              "#", "# What drafting decided:",
              *[f"#   {' '.join(m.split())}" for m in messages],
              *([f"#   left out {line}" for line in left_out]),
              "#", "# Notes from reading the export:",
              *[f"#   {' '.join(note.split())}" for note in raw.notes or ["(none)"]],
              "#", "# The questions the report uses (id: chapter, what it must be):",
              *[f"#   {q.id}: {q.where}; {q.needs}" for q in REQUIRED_QUESTIONS]]
    return Draft(text="\n".join(header) + "\n\n" + _todo_comments(body), messages=messages)


def _todo_comments(body: str) -> str:
    """Add a short hint after every ``TODO`` value of the YAML text."""
    from analysis.inputs.codebook import TODO_HINTS

    hints = {**TODO_HINTS, "groups": "the answer codes each group holds, e.g. [4, 5]; or {}"}
    lines, context = [], []
    for line in body.splitlines():
        indent = len(line) - len(line.lstrip(" -"))
        key = line.strip(" -").split(":", 1)[0]
        context = [(i, k) for i, k in context if i < indent]
        if line.rstrip().endswith(f": {TODO}"):
            parent = context[-1][1] if context else ""
            hint = ("the answer codes in this group, e.g. [4, 5]" if parent == "groups" else
                    "the label of this code (it occurs in the data without one)"
                    if parent == "answers" else hints.get(key))
            line += f"  # {hint}" if hint else ""
        elif line.rstrip().endswith(":"):
            context.append((indent, key))
        lines.append(line)
    return "\n".join(lines) + "\n"


def _named(raw: _Raw, option: str | None, name: str, messages: list[str]) -> str | None:
    """The export column a command-line option names (case-insensitive), or raise."""
    if option is None:
        return None
    found = _find(raw, option)
    if found is None:
        columns = ", ".join(map(str, raw.data.columns[:30]))
        more = " …" if len(raw.data.columns) > 30 else ""
        raise InputError([Problem(raw.file, None, option, None,
                                  f"a column named by --{name} (the export has: {columns}{more})")])
    messages.append(f"{name} column: {found} (as given)")
    return found


def _choose_columns(raw: _Raw, messages: list[str], id_column: str | None,
                    kommune_column: str | None, completion_column: str | None,
                    completed_code: int | None) -> dict:
    """The ``survey:`` columns of the draft: given, guessed, or TODO (with a message)."""
    ident = _named(raw, id_column, "id", messages) or _guess_id(raw, messages)
    kommune = _named(raw, kommune_column, "kommune", messages) or _guess_kommune(raw, messages)
    if completion_column is not None and completion_column.lower() == NO_COMPLETION:
        completion, code = None, COMPLETED_CODE
        messages.append("completion column: none (as given); every response counts as completed")
    elif completion_column is not None:
        completion = _named(raw, completion_column, "completed", messages)
        code = COMPLETED_CODE if completed_code is None else completed_code
    else:
        completion, code = _guess_completion(raw, messages)
        code = code if completed_code is None else completed_code
    return {"id_column": ident or TODO, "kommune_column": kommune or TODO,
            "completion_column": completion, "completed_code": code}


def _by_name(raw: _Raw, names: tuple[str, ...]) -> list[str]:
    """Columns whose normalised name is one of ``names``, in the order of ``names``."""
    normal = {column: _norm_header(column) for column in raw.data.columns}
    return [c for name in names for c, n in normal.items() if n == name]


def _guess_id(raw: _Raw, messages: list[str]) -> str | None:
    for column in _by_name(raw, _ID_NAMES):
        codes, bad = _parse_codes(raw.data[column])
        if not bad.any() and codes.notna().all() and not codes.duplicated().any():
            messages.append(f"id column: guessed {column} (unique whole numbers); "
                            "change it with --id")
            return column
        messages.append(f"id column: {column} is named like one but does not hold one unique "
                        "whole number per row")
    messages.append("id column: TODO, no column looks like a respondent id (unique whole "
                    "numbers named like respondentid, id or lbnr); name it with --id")
    return None


def _guess_kommune(raw: _Raw, messages: list[str]) -> str | None:
    for column in _by_name(raw, _KOMMUNE_NAMES):
        codes, bad = _parse_codes(raw.data[column])
        if not bad.any() and codes.notna().any() and codes.dropna().between(1, 999).all():
            messages.append(f"municipality column: guessed {column} (codes 1-999); change it "
                            "with --kommune")
            return column
        what = "names, not codes" if bad.any() else "no municipality codes (1-999)"
        messages.append(f"municipality column: {column} is named like one but holds {what}")
    messages.append("municipality column: TODO, no column holds municipality codes (kommunekode, "
                    "e.g. 259 for Køge); add one to the export and name it with --kommune")
    return None


def _guess_completion(raw: _Raw, messages: list[str]) -> tuple[str | None, int]:
    for column in _by_name(raw, _COMPLETION_NAMES):
        codes, bad = _parse_codes(raw.data[column])
        if not bad.any() and set(codes.dropna()) <= {0, 1}:
            messages.append(f"completion column: guessed {column} = 1; change it with "
                            "--completed COLUMN=CODE")
            return column, COMPLETED_CODE
    messages.append("completion column: TODO, none found; name it with --completed COLUMN=CODE, "
                    "or --completed none if every response in the export is completed")
    return TODO, COMPLETED_CODE


def _report_id(name: str, report: Mapping) -> str:
    """The report's question id when a variable is named like one (SPSS upper-cases)."""
    return name.lower() if name.lower() in report else name


def _question_entry(column: str, raw: _Raw, messages: list[str], report: Mapping) -> dict:
    """Draft one single/ordinal/number question from its labels, measure and missing codes."""
    qid = _report_id(column, report)
    labels = dict(sorted(raw.labels.get(column, {}).items()))
    declared = dict(raw.missing.get(column, {}))
    ranges = raw.missing_ranges.get(column, [])

    def in_range(code: int) -> bool:
        return any(lo <= code <= hi for lo, hi in ranges)

    missing: dict[object, str] = dict(sorted(declared.items()))
    missing.update({code: label for code, label in labels.items() if code not in declared
                    and (in_range(code) or _MISSING_LABEL.search(label))})
    answers: dict[int, str] = {code: label for code, label in labels.items()
                               if code not in missing}
    if answers:
        codes = _parse_codes(raw.data[column])[0].dropna()
        unlabelled = sorted({int(c) for c in codes} - set(answers) - set(missing)
                            - {c for c in map(int, codes) if in_range(c)})
        for code in unlabelled:
            answers[code] = TODO
        if unlabelled:
            messages.append(f"{column}: code(s) {', '.join(map(str, unlabelled))} occur in the "
                            "data without a value label: label them or list them as missing")
        answers = dict(sorted(answers.items()))
        measure = raw.measure.get(column)
        kind = "ordinal" if measure == "ordinal" or _guess_type(answers) == "ordinal" \
            else "single"
    elif need := report.get(qid):
        # named like a report question but unlabelled (e.g. a lone dataset csv): the type the
        # report needs, and the codes seen in the data, to be labelled
        kind = need.type
        codes = _parse_codes(raw.data[column])[0].dropna()
        answers = {int(c): TODO for c in sorted(set(codes)) if int(c) not in missing}
        messages.append(f"{column}: no value labels; drafted as the report's {qid} ({kind}) with "
                        "the codes seen in the data")
    else:
        kind = "number"
    for lo, hi in ranges:
        missing[f"{lo}..{hi}"] = "Uoplyst"
    need = report.get(qid)
    entry: dict = {"id": qid, "column": column,
                   "chapter": need.chapter if need else TODO, "type": kind,
                   "text": raw.questions.get(column) or TODO, "short": TODO}
    if answers:
        entry["answers"] = answers
    if missing:
        entry["missing"] = missing
    if kind != "number":
        entry["groups"] = {group: TODO for group in need.groups} if need and need.groups \
            else TODO
    return entry


def _multiple_entry(qid: str, text: str, options: Mapping[str, str], report: Mapping) -> dict:
    """Draft one multiple-choice question."""
    need = report.get(qid)
    return {"id": qid, "chapter": need.chapter if need else TODO, "type": "multiple",
            "text": text or TODO, "short": TODO, "options": dict(options)}


def _guess_type(answers: Mapping[int, str]) -> str:
    """number without labels; ordinal for >= 3 consecutive codes with scale-like labels."""
    if not answers:
        return "number"
    codes = sorted(answers)
    consecutive = codes == list(range(codes[0], codes[0] + len(codes)))
    scale_like = any(_SCALE_WORDS.search(label) or label.strip().isdigit()
                     for label in answers.values())
    return "ordinal" if len(codes) >= 3 and consecutive and scale_like else "single"


def _infer_multiple(raw: _Raw, grouped: set[str]) -> dict[str, dict[str, str]]:
    """Group 0/1 columns that share a name prefix (``forum_a``, ``forum_b``) into questions."""
    candidates: dict[str, list[str]] = {}
    for column in raw.data.columns:
        if _is_system(column) or column in grouped or "_" not in str(column) \
                or column in raw.strings or column in raw.dates:
            continue
        codes, bad = _parse_codes(raw.data[column])
        values = set(codes.dropna())
        labels = set(raw.labels.get(column, {}))
        if not bad.any() and (values or labels) and values <= {0, 1} and labels <= {0, 1}:
            candidates.setdefault(column.rsplit("_", 1)[0], []).append(column)
    inferred = {}
    for prefix, columns in candidates.items():
        if len(columns) < 2:
            continue
        texts = [raw.questions.get(c, c) for c in columns]
        shared = os.path.commonprefix(texts)  # cut back to a " - " separator or a word end
        shared = shared[:shared.rfind(" - ")] if " - " in shared else shared[:shared.rfind(" ") + 1]
        inferred[prefix] = {c: _strip_prefix(t, shared) if shared and t != shared else c
                            for c, t in zip(columns, texts)}
        raw.questions.setdefault(prefix, shared.strip())
    return inferred
