"""Which format an export is, and the reader for it."""

from __future__ import annotations

from pathlib import Path

from analysis.core.problems import InputError, Problem
from analysis.inputs.survey_exports.csv_bundle import load_bundle, load_csv
from analysis.inputs.survey_exports.raw import RawExport
from analysis.inputs.survey_exports.spss import load_sav
from analysis.inputs.survey_exports.xlsx import load_xlsx


def load_raw(path: Path) -> RawExport:
    """Read an export as it is (no column required), with its labels and metadata."""
    path = Path(path)
    loaders = {"surveyxact-xlsx": load_xlsx, "surveyxact-csv": load_bundle,
               "csv": load_csv, "spss-sav": load_sav}
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
