"""Read and write survey exports as the canonical survey answers frame.

Researchers get their survey data out of SurveyXact (Rambøll) as an Excel workbook, as a bundle
of three csv files, or as an SPSS ``.sav`` file. :func:`read_export` turns any of them into the
canonical frame the rest of the code validates and analyses: one row per respondent with
``respondentid`` (int), ``kommunekode`` (string, zero-padded to 3 digits), the SurveyXact status
flags ``statoverall_1``..``statoverall_5`` (0/1) and one nullable ``Int64`` column of answer codes
per question or multiple-choice option. The codes 8 ("Ved ikke") and 9 ("Ikke besvaret") stay
codes; the codebook marks them missing. A blank cell means the question was not asked.

What SurveyXact writes (see ``FORMATS.md``, "Survey exports", and NIFU's readSX test files):

* xlsx: sheet ``Dataset`` (header row + one row per respondent; very wide surveys are split over
  ``Dataset(1)``, ``Dataset(2)``, ... which are joined side by side), sheet ``Labels`` (variable,
  value, label; usually without a header row) and sheet ``Structure`` or ``Variables``
  (variable -> question text).
* csv bundle (folder or .zip): ``dataset.csv`` (with header), ``labels.csv`` (no header) and
  ``structure.csv`` (header ``questionName, variableName, questionType, subType, questionText,
  choiceValue, choiceText``; the comma dialect ends every data row with an extra empty field), in
  three dialects: comma + ANSI (cp1252), semicolon + ISO-8859-1 and tab + UTF-16 with BOM.
* SPSS .sav: value labels, variable labels, user-defined missing values and multiple-response sets.

:func:`write_export` writes a canonical frame back out in those formats (for tests and end-to-end
runs), and :func:`draft_codebook` drafts a codebook YAML from an export for the researcher to
finish.
"""

from __future__ import annotations

import codecs
import csv
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

from analysis.problems import InputError, Problem

ID_COLUMN = "respondentid"
KOMMUNE_COLUMN = "kommunekode"
STATUS_COLUMNS = tuple(f"statoverall_{i}" for i in range(1, 6))
COMPLETION_COLUMN = "statoverall_4"
COMPLETED_CODE = 1
SYSTEM_PREFIXES = ("statoverall_", "statcreation_", "statdistribution_", "statsource_",
                   "statcollect_", "statinternal_")
MISSING_LABELS = {8: "Ved ikke", 9: "Ikke besvaret"}
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
_DONT_KNOW_LABEL = re.compile(r"ved ikke|don'?t know", re.IGNORECASE)
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
    """

    frame: pd.DataFrame
    labels: dict[str, dict[int, str]]
    questions: dict[str, str]
    incomplete: pd.DataFrame
    format: str
    encoding: str | None
    notes: list[str] = field(default_factory=list)
    multiple: dict[str, dict[str, str]] = field(default_factory=dict)


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


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def read_export(path: Path, *, include_incomplete: bool = False) -> ExportResult:
    """Read a SurveyXact xlsx / csv bundle or an SPSS .sav file into the canonical frame.

    Parameters
    ----------
    path : ``.xlsx`` workbook, folder or ``.zip`` with the three csv files (a path to its
        ``dataset.csv`` also works), or ``.sav`` file.
    include_incomplete : keep respondents whose ``statoverall_4`` is not 1 (they are always
        listed in ``incomplete``).

    Raises
    ------
    InputError
        With one Problem per bad cell, missing sheet/member/column or undecodable file.
    """
    path = Path(path)
    loaders = {"surveyxact-xlsx": _load_xlsx, "surveyxact-csv": _load_bundle,
               "spss-sav": _load_sav}
    raw = loaders[detect_format(path)](path)
    return _canonical(raw, include_incomplete=include_incomplete)


def detect_format(path: Path) -> str:
    """Name the export format of ``path`` from its kind and suffix, or raise InputError."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), None, None, None, "an existing file or folder")])
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip" or path.name.lower() == "dataset.csv":
        return "surveyxact-csv"
    if suffix in (".xlsx", ".xlsm"):
        return "surveyxact-xlsx"
    if suffix in (".sav", ".zsav"):
        return "spss-sav"
    raise InputError([Problem(path.name, None, None, path.suffix or path.name,
                              "a SurveyXact .xlsx workbook, a folder or .zip with dataset.csv, "
                              "labels.csv and structure.csv, or an SPSS .sav file "
                              "(re-export .xls/.xml workbooks as .xlsx)")])


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

def _load_sav(path: Path) -> _Raw:
    """Read an SPSS file: labels from meta, MR sets expanded, user-missing recoded to 8/9."""
    try:
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # ReadstatError / PyreadstatError / OSError
        raise InputError([Problem(path.name, None, None, None,
                                  f"a readable SPSS .sav file ({type(exc).__name__}: {exc})")])
    raw = _Raw(data=data.set_axis(range(1, len(data) + 1)), file=path.name, format="spss-sav",
               encoding=meta.file_encoding)
    raw.labels = {variable: {code: str(label) for value, label in labels.items()
                             if (code := _as_int(value)) is not None}
                  for variable, labels in meta.variable_value_labels.items()}
    raw.questions = {variable: label for variable, label in meta.column_names_to_labels.items()
                     if label}
    raw.coded = set(raw.labels)
    for name, spec in (meta.mr_sets or {}).items():
        _expand_mr_set(raw, name.lstrip("$"), spec)
    options = {column for set_options in raw.multiple.values() for column in set_options}
    for variable, ranges in (meta.missing_ranges or {}).items():
        if variable in raw.data.columns and not _is_system(variable) and variable not in options:
            _recode_user_missing(raw, variable, ranges)
    return raw


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

    The categories are the labelled and observed codes except the missing codes 8 and 9; the
    new columns take the place of the set's variables.
    """
    values = raw.data[members].apply(pd.to_numeric, errors="coerce")
    asked = values.notna().any(axis=1)
    categories: dict[int, str] = {}
    for variable in members:
        categories.update(raw.labels.pop(variable, {}))
        raw.questions.pop(variable, None)
    observed = {int(v) for v in values.stack().dropna().unique() if float(v).is_integer()}
    codes = sorted((set(categories) | observed) - set(MISSING_LABELS))
    new = pd.DataFrame({f"{name}_{code}": _option_column(values.eq(code).any(axis=1), asked)
                        for code in codes}, index=raw.data.index)
    position = raw.data.columns.get_loc(members[0])
    rest = raw.data.drop(columns=members)
    raw.data = pd.concat([rest.iloc[:, :position], new, rest.iloc[:, position:]], axis=1)
    return {f"{name}_{code}": categories.get(code, str(code)) for code in codes}


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


def _recode_user_missing(raw: _Raw, variable: str, ranges: list[Mapping]) -> None:
    """Recode SPSS user-missing values to the codebook's missing codes.

    Values 8 and 9 stay as they are. Any other user-missing value becomes 8 ("Ved ikke") when
    its label reads like "ved ikke"/"don't know", else 9 ("Ikke besvaret"); the label moves
    with it unless the target code already has one. If the target code is a real answer in
    this variable (labelled, not declared missing, not a missing-like label), the value becomes
    blank instead. Each recoding is listed in the notes.
    """
    ranges = [span for span in ranges  # string variables declare string values: not codes
              if all(isinstance(span[k], (int, float)) for k in ("lo", "hi"))]
    values = pd.to_numeric(raw.data[variable], errors="coerce")
    declared = pd.Series(False, index=values.index)
    for span in ranges:
        declared |= values.between(span["lo"], span["hi"])
    labels = raw.labels.setdefault(variable, {})
    for code in sorted(set(MISSING_LABELS) & set(values[declared].dropna().astype(int))):
        labels.setdefault(code, MISSING_LABELS[code])
    present = {float(v) for v in values[declared & ~values.isin(list(MISSING_LABELS))].unique()}
    labelled = {float(c) for c in labels if _declared(c, ranges) and c not in MISSING_LABELS}
    for value in sorted(present | labelled):
        label = labels.pop(int(value), None) if value.is_integer() else None
        target = 8 if label and _DONT_KNOW_LABEL.search(label) else 9
        mask = declared & values.eq(value)
        if (target in labels and not _declared(target, ranges)
                and not _MISSING_LABEL.search(labels[target])):
            raw.data.loc[mask, variable] = np.nan
            outcome = f"blank (code {target} is an answer here)"
        else:
            raw.data.loc[mask, variable] = target
            labels.setdefault(target, label or MISSING_LABELS[target])
            outcome = str(target)
        raw.notes.append(f"{variable}: SPSS user-missing value {value:g}"
                         f"{f' ({label})' if label else ''} recoded to {outcome} "
                         f"in {int(mask.sum())} row(s)")
    if not labels:
        raw.labels.pop(variable)


def _declared(code: int, ranges: list[Mapping]) -> bool:
    """True if code is one of the SPSS user-missing values/ranges."""
    return any(span["lo"] <= code <= span["hi"] for span in ranges)


# ---- canonical frame -------------------------------------------------------------------------

def _is_system(column: str) -> bool:
    """True for respondentid, kommunekode and SurveyXact stat* columns."""
    lower = column.lower()
    return lower in (ID_COLUMN, KOMMUNE_COLUMN) or lower.startswith(SYSTEM_PREFIXES)


def _parse_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells into Int64 codes; also return the mask of cells that are not whole numbers."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(pd.NA, index=values.index, dtype="Int64"), values.notna()
    cells = values.astype(object).map(_clean)
    blank = cells.isna()
    text = cells.map(lambda v: v.replace(",", ".") if isinstance(v, str) else v)
    number = pd.to_numeric(text.where(~blank), errors="coerce").astype(float)
    bad = ~blank & (number.isna() | ~np.isfinite(number) | (number % 1 != 0))
    bad |= cells.map(lambda v: isinstance(v, bool))
    return number.where(~bad & ~blank).astype("Int64"), bad


def _cell_problems(raw: _Raw, column: str, mask: pd.Series, expected: str) -> list[Problem]:
    """One Problem per flagged cell (at most MAX_PROBLEMS_PER_COLUMN, then a summary)."""
    rows = list(mask[mask].index)
    file = raw.column_files.get(column, raw.file)
    problems = [Problem(file, int(row), column, raw.data.at[row, column], expected)
                for row in rows[:MAX_PROBLEMS_PER_COLUMN]]
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        problems.append(Problem(file, None, column,
                                f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more cells", expected))
    return problems


def _rename_system_columns(raw: _Raw) -> None:
    """Match respondentid/kommunekode/statoverall_* case-insensitively (SPSS upper-cases)."""
    canonical = {name: name for name in (ID_COLUMN, KOMMUNE_COLUMN, *STATUS_COLUMNS)}
    rename = {c: canonical[c.lower()] for c in raw.data.columns
              if c.lower() in canonical and c != canonical[c.lower()]}
    if rename:
        raw.data = raw.data.rename(columns=rename)
        raw.labels = {rename.get(k, k): v for k, v in raw.labels.items()}


def _id_column(raw: _Raw, problems: list[Problem]) -> pd.Series:
    """Respondent ids: whole numbers, each used once."""
    ids, bad = _parse_codes(raw.data[ID_COLUMN])
    problems += _cell_problems(raw, ID_COLUMN, bad | ids.isna(), "a whole-number respondent id")
    duplicated = ids.duplicated(keep="first") & ids.notna()
    for row in duplicated[duplicated].index:
        first = ids.index[ids.eq(ids[row])][0]
        problems.append(Problem(raw.file, int(row), ID_COLUMN, raw.data.at[row, ID_COLUMN],
                                f"a respondent id used once (also in row {first})"))
    return ids


def _kommune_column(raw: _Raw, problems: list[Problem]) -> pd.Series:
    """Municipality codes as 3-digit strings ("101", "047"); 101.0 and "0101" are accepted."""
    codes, bad = _parse_codes(raw.data[KOMMUNE_COLUMN])
    bad |= codes.notna() & ~codes.between(1, 999)
    problems += _cell_problems(raw, KOMMUNE_COLUMN, bad,
                               "a municipality code, a whole number of at most 3 digits")
    return pd.Series([None if pd.isna(c) or b else f"{int(c):03d}" for c, b in zip(codes, bad)],
                     index=codes.index, dtype="str")


def _status_columns(raw: _Raw, problems: list[Problem], notes: list[str]) -> dict[str, pd.Series]:
    """statoverall_1..5 as Int64 0/1 flags; an absent flag column is left blank (noted)."""
    columns = {}
    for status in STATUS_COLUMNS:
        if status not in raw.data:
            notes.append(f"no column {status}: left blank")
            columns[status] = pd.Series(pd.NA, index=raw.data.index, dtype="Int64")
            continue
        codes, bad = _parse_codes(raw.data[status])
        problems += _cell_problems(raw, status, bad | (codes.notna() & ~codes.isin([0, 1])),
                                   "a SurveyXact status flag, 0 or 1")
        columns[status] = codes
    return columns


def _answer_columns(raw: _Raw, problems: list[Problem], notes: list[str]) -> dict[str, pd.Series]:
    """Every other column as Int64 codes.

    SurveyXact system columns are left out. A column that is labelled or marked closed in the
    structure must hold whole numbers (else one Problem per bad cell); an unlabelled column
    with text in it is an open answer and is left out.
    """
    columns, system, text = {}, [], []
    for column in raw.data.columns:
        if column in (ID_COLUMN, KOMMUNE_COLUMN, *STATUS_COLUMNS):
            continue
        if _is_system(column):
            system.append(column)
            continue
        codes, bad = _parse_codes(raw.data[column])
        if not bad.any():
            columns[column] = codes
        elif column in raw.coded or column in raw.labels:
            labelled = raw.labels.get(column)
            expected = "a whole-number answer code" + (
                f" ({', '.join(f'{k} = {v}' for k, v in sorted(labelled.items()))})"
                if labelled and len(labelled) <= 12 else "")
            problems += _cell_problems(raw, column, bad, expected)
        else:
            text.append(column)
    if system:
        notes.append(f"left out {len(system)} SurveyXact system column(s): {', '.join(system)}")
    if text:
        notes.append(f"left out {len(text)} text column(s) without answer codes: "
                     f"{', '.join(text)}")
    return columns


def _incomplete_note(incomplete: pd.DataFrame, include_incomplete: bool) -> str:
    """E.g. "2 incomplete response(s) (statoverall_4 ≠ 1) left out: respondentid 12, 13"."""
    ids = ", ".join(str(i) for i in incomplete[ID_COLUMN].head(20))
    action = "kept (include_incomplete=True)" if include_incomplete else "left out"
    more = " …" if len(incomplete) > 20 else ""
    return (f"{len(incomplete)} incomplete response(s) ({COMPLETION_COLUMN} ≠ {COMPLETED_CODE}) "
            f"{action}: respondentid {ids}{more}")


def _canonical(raw: _Raw, *, include_incomplete: bool) -> ExportResult:
    """Check and convert a raw export into the canonical frame, or raise InputError."""
    _rename_system_columns(raw)
    absent = [c for c in (ID_COLUMN, KOMMUNE_COLUMN, COMPLETION_COLUMN) if c not in raw.data]
    if absent:
        raise InputError([Problem(raw.file, 1, column, None,
                                  f"a column '{column}' in the header row") for column in absent])
    notes, problems = list(raw.notes), []
    frame = pd.DataFrame({ID_COLUMN: _id_column(raw, problems),
                          KOMMUNE_COLUMN: _kommune_column(raw, problems),
                          **_status_columns(raw, problems, notes),
                          **_answer_columns(raw, problems, notes)}, index=raw.data.index)
    complete = frame[COMPLETION_COLUMN].eq(COMPLETED_CODE).fillna(False).astype(bool)
    kept = complete | include_incomplete
    problems += _cell_problems(raw, KOMMUNE_COLUMN, raw.data[KOMMUNE_COLUMN].map(_blank) & kept,
                               "the respondent's municipality code (it is blank)")
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is None, p.row or 0)))

    frame[ID_COLUMN] = frame[ID_COLUMN].astype("int64")
    incomplete = frame.loc[~complete, [ID_COLUMN, KOMMUNE_COLUMN]].reset_index(drop=True)
    if len(incomplete):
        notes.append(_incomplete_note(incomplete, include_incomplete))
    frame = frame.loc[kept].reset_index(drop=True)

    in_frame = set(frame.columns)
    unmatched = sorted(set(raw.labels) - in_frame)
    if unmatched:
        notes.append(f"value labels for variables not in the answers: {', '.join(unmatched)}")
    multiple = {q: {c: label for c, label in options.items() if c in in_frame}
                for q, options in raw.multiple.items()}
    multiple = {q: options for q, options in multiple.items() if options}
    return ExportResult(
        frame=frame, labels={k: v for k, v in raw.labels.items() if k in in_frame},
        questions={k: v for k, v in raw.questions.items() if k in in_frame or k in multiple},
        incomplete=incomplete, format=raw.format, encoding=raw.encoding, notes=notes,
        multiple=multiple)


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

def draft_codebook(path: Path) -> str:
    """Draft a codebook YAML from an export, for the researcher to finish.

    Question types are guessed (``multiple`` for 0/1 option columns grouped by the export or
    sharing a name prefix, ``ordinal`` for scale-like labels, ``number`` for unlabelled columns,
    else ``single``); answers come from the value labels, and labels such as "Ved ikke" or
    "Ikke besvaret" become ``missing``. ``chapter``, ``short`` and the survey title are left
    null and marked ``# udfyld``.
    """
    result = read_export(Path(path), include_incomplete=True)
    multiple = dict(result.multiple)
    grouped = {c for options in multiple.values() for c in options}
    multiple.update(_infer_multiple(result, grouped))
    option_of = {c: q for q, options in multiple.items() for c in options}
    entries: list[dict] = []
    done: set[str] = set()
    for column in result.frame.columns:
        if _is_system(column):
            continue
        if column in option_of:
            qid = option_of[column]
            if qid not in done:
                entries.append(_multiple_entry(qid, result.questions.get(qid, qid), multiple[qid]))
                done.add(qid)
            continue
        entries.append(_question_entry(column, result))
    doc = {"survey": {"title": None, "id_column": ID_COLUMN, "kommune_column": KOMMUNE_COLUMN,
                      "completion_column": COMPLETION_COLUMN, "completed_code": COMPLETED_CODE},
           "questions": entries}
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
    text = re.sub(r"^(\s*(?:- )?(?:chapter|short|title): null)$", r"\1  # udfyld", text,
                  flags=re.MULTILINE)
    header = [f"# Udkast til kodebog, lavet af draft_codebook fra {Path(path).name} "
              f"({result.format}).",
              "# Gennemgå type, answers og missing, og udfyld alle felter markeret '# udfyld'.",
              "# Bemærkninger fra indlæsningen:",
              *[f"#   {' '.join(note.split())}" for note in result.notes]]
    return "\n".join(header) + "\n\n" + text


def _question_entry(column: str, result: ExportResult) -> dict:
    """Draft one single/ordinal/number question from its labels."""
    labels = dict(sorted(result.labels.get(column, {}).items()))
    missing = {code: label for code, label in labels.items() if _MISSING_LABEL.search(label)}
    answers = {code: label for code, label in labels.items() if code not in missing}
    entry = {"id": column, "chapter": None, "type": _guess_type(answers),
             "text": result.questions.get(column, column), "short": None}
    if answers:
        entry["answers"] = answers
    if missing:
        entry["missing"] = missing
    return entry


def _multiple_entry(qid: str, text: str, options: Mapping[str, str]) -> dict:
    """Draft one multiple-choice question."""
    return {"id": qid, "chapter": None, "type": "multiple", "text": text, "short": None,
            "options": dict(options)}


def _guess_type(answers: Mapping[int, str]) -> str:
    """number without labels; ordinal for >= 3 consecutive codes with scale-like labels."""
    if not answers:
        return "number"
    codes = sorted(answers)
    consecutive = codes == list(range(codes[0], codes[0] + len(codes)))
    scale_like = any(_SCALE_WORDS.search(label) or label.strip().isdigit()
                     for label in answers.values())
    return "ordinal" if len(codes) >= 3 and consecutive and scale_like else "single"


def _infer_multiple(result: ExportResult, grouped: set[str]) -> dict[str, dict[str, str]]:
    """Group 0/1 columns that share a name prefix (``forum_a``, ``forum_b``) into questions."""
    candidates: dict[str, list[str]] = {}
    for column in result.frame.columns:
        if _is_system(column) or column in grouped or "_" not in column:
            continue
        values = set(result.frame[column].dropna().unique())
        labels = set(result.labels.get(column, {}))
        if (values or labels) and values <= {0, 1} and labels <= {0, 1}:
            candidates.setdefault(column.rsplit("_", 1)[0], []).append(column)
    inferred = {}
    for prefix, columns in candidates.items():
        if len(columns) < 2:
            continue
        texts = [result.questions.get(c, c) for c in columns]
        shared = os.path.commonprefix(texts)  # cut back to a " - " separator or a word end
        shared = shared[:shared.rfind(" - ")] if " - " in shared else shared[:shared.rfind(" ") + 1]
        inferred[prefix] = {c: _strip_prefix(t, shared) if shared and t != shared else c
                            for c, t in zip(columns, texts)}
        result.questions.setdefault(prefix, shared.strip() or prefix)
    return inferred
