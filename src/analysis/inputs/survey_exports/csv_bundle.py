"""Reading SurveyXact's csv bundle (dataset.csv, labels.csv, structure.csv in a folder or a .zip)
and a lone dataset .csv, in any of SurveyXact's three dialects."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from analysis.core.problems import InputError, Problem
from analysis.inputs.decoding import decode_text
from analysis.inputs.survey_exports.raw import (BUNDLE_MEMBERS, RawExport, add_structure,
                                                labels_from_rows, table_from_rows)


def load_bundle(path: Path) -> RawExport:
    """Read dataset.csv, labels.csv and structure.csv from a folder or a .zip."""
    members = _bundle_members(path)
    texts = {member: decode_text(raw, f"{path.name}/{member}")
             for member, raw in members.items()}
    dataset_text, encoding = texts["dataset.csv"]
    if dataset_text.isascii():  # pure ASCII decodes as anything: report a member with æøå
        encoding = next((enc for text, enc in texts.values() if not text.isascii()), encoding)
    delimiter = _sniff_delimiter(dataset_text)
    rows = {member: _csv_rows(text, _member_delimiter(text, delimiter))
            for member, (text, _) in texts.items()}
    file = f"{path.name}/dataset.csv" if path.name.lower() != "dataset.csv" else str(path)
    raw = RawExport(data=table_from_rows(rows["dataset.csv"], file), file=file,
               format="surveyxact-csv", encoding=encoding)
    raw.notes.append(f"csv bundle: delimiter {delimiter!r}, encodings "
                     + ", ".join(f"{member} {enc}" for member, (_, enc) in texts.items()))
    raw.labels = labels_from_rows(rows["labels.csv"], f"{path.name}/labels.csv", raw.notes)
    add_structure(raw, rows["structure.csv"], f"{path.name}/structure.csv")
    return raw


def load_csv(path: Path) -> RawExport:
    """Read a lone dataset csv (one row per respondent, no labels or question texts)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({exc.strerror})")]) from None
    text, encoding = decode_text(data, path.name)
    delimiter = _sniff_delimiter(text)
    raw = RawExport(data=table_from_rows(_csv_rows(text, delimiter), path.name), file=path.name,
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

