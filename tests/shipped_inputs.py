"""The inputs researchers really bring, through the ``rapport`` command: the helpers of those
tests.

The shipped survey (``data/survey/besvarelser.csv``) is written out as a SurveyXact workbook,
as csv bundles in each of SurveyXact's three dialects (folder and .zip) and as an SPSS
``.sav``, by the test helper ``survey_export_files`` (openpyxl, csv and pyreadstat directly,
nothing of the project's reader); each is put into a copy of ``data/`` in place of
besvarelser.csv.

Most CLI calls run ``analysis.cli.main`` in the test's process (:func:`cli`); one call per
command goes through the installed ``rapport`` script in a subprocess (:func:`rapport`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis.cli import main
from analysis.core import paths
from analysis.inputs.dataset import read_text_table
from survey_export_files import write_export

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
SURVEY_CODEBOOK = DATA / "survey" / "codebook.yaml"
_SCRIPT = Path(sys.executable).with_name("rapport")
RAPPORT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "analysis"]

# (survey_export_files format, name in data/survey/, what `Survey.source` starts with)
EXPORTS = [
    ("xlsx", "besvarelser.xlsx", "surveyxact-xlsx: besvarelser.xlsx"),
    ("sav", "besvarelser.sav", "spss-sav: besvarelser.sav"),
    ("comma_cp1252", "surveyxact_comma", "surveyxact-csv: surveyxact_comma (cp1252)"),
    ("semicolon_latin1", "surveyxact_semicolon", "surveyxact-csv: surveyxact_semicolon (cp1252)"),
    ("tab_utf16", "surveyxact_tab", "surveyxact-csv: surveyxact_tab (utf-16)"),
    ("semicolon_latin1", "surveyxact_semicolon.zip", "surveyxact-csv: surveyxact_semicolon.zip"),
    ("tab_utf16", "surveyxact_tab.zip", "surveyxact-csv: surveyxact_tab.zip (utf-16)"),
]


def rapport(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the installed ``rapport`` command in a subprocess, from the project folder."""
    return subprocess.run([*RAPPORT, *map(str, args)], cwd=PROJECT, capture_output=True,
                          text=True, timeout=timeout)


def cli(capsys, *args: str | Path) -> subprocess.CompletedProcess:
    """Run ``rapport`` in this process (``analysis.cli.main``, what the script calls): a second
    faster than a subprocess, and an uncaught exception fails the test like a traceback would."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def shipped_survey_frame() -> pd.DataFrame:
    """Every row of besvarelser.csv (incomplete ones too) as the canonical export frame."""
    text = read_text_table(paths.survey_file(DATA)).frame
    columns = {}
    for column in text.columns:
        if column == "respondentid":
            columns[column] = text[column].astype("int64")
        elif column == "kommunekode":
            columns[column] = text[column].astype(str)
        else:
            columns[column] = pd.to_numeric(text[column].replace("", None)).astype("Int64")
    return pd.DataFrame(columns)


def shipped_kommune_names() -> dict[str, str]:
    """``{kommunekode: kommunenavn}`` of the shipped municipality list."""
    table = read_text_table(paths.kommuner_file(DATA)).frame
    return dict(zip(table["kommunekode"], table["kommunenavn"]))


def data_with_export(target: Path, frame: pd.DataFrame, fmt: str, name: str,
                     kommune_names: dict[str, str]) -> Path:
    """A copy of data/ whose survey is the export ``name`` instead of besvarelser.csv."""
    data = target / "data"
    shutil.copytree(DATA, data)
    paths.survey_file(data).unlink()
    write_export(frame, SURVEY_CODEBOOK, data / "survey" / name, fmt,
                 kommune_names=kommune_names)
    return data



def replace_survey_with_export(data: Path, fmt: str, name: str) -> None:
    """In the copy of data/ ``data``: the shipped survey written as the export ``name`` (format
    ``fmt``) in place of besvarelser.csv."""
    paths.survey_file(data).unlink()
    write_export(shipped_survey_frame(), SURVEY_CODEBOOK, data / "survey" / name, fmt,
                 kommune_names=shipped_kommune_names())
