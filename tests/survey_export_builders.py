"""Survey exports built by hand for the reader's tests, never by the project: csv files in
SurveyXact's header and encodings, workbooks written cell by cell with openpyxl, csv bundles
encoded by the standard csv module in SurveyXact's three dialects, SPSS files written by
pyreadstat directly. Expected values are worked out by hand.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat

CODEBOOK = """\
survey:
  title: "Testskema"
  id_column: respondentid
  kommune_column: kommunekode
  completion_column: statoverall_4
  completed_code: 1
questions:
  - id: har_koordinator
    chapter: 1
    type: single
    text: "Har kommunen udpeget en koordinator?"
    short: "Har en koordinator"
    answers: {1: "Ja", 2: "Nej"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: tilfreds
    chapter: 1
    type: ordinal
    text: "Hvor tilfreds er du med ledelsens prioritering?"
    short: "Tilfredshed"
    answers: {1: "Meget utilfreds", 2: "Utilfreds", 3: "Hverken tilfreds eller utilfreds",
              4: "Tilfreds", 5: "Meget tilfreds"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: trin
    chapter: 2
    type: ordinal
    text: "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?"
    short: "Trin"
    answers: {1: "Vidensdeling", 2: "Negativ koordinering", 3: "Positiv koordinering",
              4: "Innovative løsninger"}
    missing: {8: "Ved ikke", 9: "Ikke besvaret"}
  - id: forum
    chapter: 4
    type: multiple
    text: "På hvilke niveauer findes der faste mødefora?"
    short: "Mødefora"
    options:
      forum_strategisk: "Strategisk niveau"
      forum_taktisk: "Taktisk niveau"
      forum_udfoerende: "Udførende niveau"
"""
KOMMUNER = {"101": "København", "259": "Køge", "810": "Brønderslev"}
COMPLETE = (0, 0, 0, 1, 0)      # statoverall_1..5: SurveyXact sets one flag; 4 = gennemført
PARTIAL = (0, 0, 1, 0, 0)
NA = pd.NA
STATUS = [f"statoverall_{i}" for i in range(1, 6)]
COLUMNS = ["respondentid", "kommunekode", *STATUS, "har_koordinator", "tilfreds", "trin",
           "forum_strategisk", "forum_taktisk", "forum_udfoerende"]


def make_frame(rows: list[tuple]) -> pd.DataFrame:
    """Canonical frame from (id, kommunekode, status, har, tilfreds, trin, fs, ft, fu) rows."""
    records = [(rid, kk, *status, *answers) for rid, kk, status, *answers in rows]
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame = frame.astype({c: "Int64" for c in COLUMNS[2:]})
    frame["respondentid"] = frame["respondentid"].astype("int64")
    frame["kommunekode"] = frame["kommunekode"].astype("str")
    return frame


ALL_COMPLETE = [
    (11, "101", COMPLETE, 1, 4, 3, 1, 0, 1),
    (12, "259", COMPLETE, 2, 8, NA, 0, 0, 0),    # 8 = "Ved ikke" stays a code
    (13, "810", COMPLETE, 9, NA, 4, 0, 1, 0),    # blank = not asked
    (14, "259", COMPLETE, 1, 5, 1, NA, NA, NA),
]
ROWS_WITH_INCOMPLETE = [
    (11, "101", COMPLETE, 1, 4, 3, 1, 0, 1),
    (12, "259", PARTIAL, 2, NA, NA, NA, NA, NA),
    (13, "810", PARTIAL, NA, NA, NA, NA, NA, NA),
    (14, "259", COMPLETE, 1, 5, 1, 0, 0, 1),
]

# ---- SurveyXact files built by hand ---------------------------------------------------------

TEXTS = {"har_koordinator": "Har kommunen udpeget en koordinator?",
         "tilfreds": "Hvor tilfreds er du med ledelsens prioritering?",
         "trin": "Hvilket trin på samarbejdstrappen befinder samarbejdet sig på?",
         "forum": "På hvilke niveauer findes der faste mødefora?"}
OPTIONS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
           "forum_udfoerende": "Udførende niveau"}
VALUE_LABELS = {
    "kommunekode": {101: "København", 259: "Køge", 810: "Brønderslev"},
    "har_koordinator": {1: "Ja", 2: "Nej", 8: "Ved ikke", 9: "Ikke besvaret"},
    "tilfreds": {1: "Meget utilfreds", 2: "Utilfreds", 3: "Hverken tilfreds eller utilfreds",
                 4: "Tilfreds", 5: "Meget tilfreds", 8: "Ved ikke", 9: "Ikke besvaret"},
    "trin": {1: "Vidensdeling", 2: "Negativ koordinering", 3: "Positiv koordinering",
             4: "Innovative løsninger", 8: "Ved ikke", 9: "Ikke besvaret"},
    **{column: {0: "Ikke valgt", 1: "Valgt"} for column in OPTIONS},
}
STRUCTURE = [
    ["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue",
     "choiceText"],
    ["har_koordinator", "har_koordinator", "Closed", "Single", TEXTS["har_koordinator"], "", ""],
    ["tilfreds", "tilfreds", "Closed", "Single", TEXTS["tilfreds"], "", ""],
    ["trin", "trin", "Closed", "Single", TEXTS["trin"], "", ""],
    *[["forum", column, "Closed", "Multiple", TEXTS["forum"], number, label]
      for number, (column, label) in enumerate(OPTIONS.items(), start=1)],
]


def dataset_rows(rows: list[tuple]) -> list[list]:
    """Header + rows as SurveyXact writes them: kommunekode as a number, blanks empty."""
    out = [list(COLUMNS)]
    for rid, kk, status, *answers in rows:
        out.append([rid, int(kk), *status, *(None if a is NA else a for a in answers)])
    return out


def label_rows() -> list[list]:
    return [[variable, code, label] for variable, labels in VALUE_LABELS.items()
            for code, label in labels.items()]


def build_xlsx(path: Path, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """Sheets Dataset, Labels (no header row) and Variables, cell by cell."""
    book = openpyxl.Workbook()
    book.active.title = "Dataset"
    for row in dataset_rows(rows):
        book["Dataset"].append(row)
    for name, content in (("Labels", label_rows()), ("Variables", STRUCTURE)):
        sheet = book.create_sheet(name)
        for row in content:
            sheet.append(row)
    book.save(path)
    return path


DIALECTS = {  # name -> delimiter, encoding, quoting, extra empty field on structure rows
    "comma_cp1252": (",", "cp1252", csv.QUOTE_NONNUMERIC, True),
    "semicolon_latin1": (";", "latin-1", csv.QUOTE_MINIMAL, False),
    "tab_utf16": ("\t", "utf-16", csv.QUOTE_MINIMAL, False),
}


def build_bundle(path: Path, dialect: str, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """dataset.csv, labels.csv, structure.csv in one of SurveyXact's dialects (folder or .zip)."""
    delimiter, encoding, quoting, trailing = DIALECTS[dialect]

    def encode(table: list[list]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
        writer.writerows([["" if cell is None else cell for cell in row] for row in table])
        return buffer.getvalue().encode(encoding)

    structure = [STRUCTURE[0]] + [row + ([""] if trailing else []) for row in STRUCTURE[1:]]
    members = {"dataset.csv": encode(dataset_rows(rows)), "labels.csv": encode(label_rows()),
               "structure.csv": encode(structure)}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        path.mkdir()
        for name, data in members.items():
            (path / name).write_bytes(data)
    return path


def build_sav(path: Path, rows: list[tuple] = ALL_COMPLETE) -> Path:
    """The same survey as SPSS writes it: numbers as doubles, labels, 8/9 user-missing."""
    table = dataset_rows(rows)
    frame = pd.DataFrame(table[1:], columns=table[0]).astype(float)
    pyreadstat.write_sav(
        frame, str(path),
        column_labels={**TEXTS, **{c: f"{TEXTS['forum']} - {label}"
                                   for c, label in OPTIONS.items()}},
        variable_value_labels=VALUE_LABELS,
        missing_ranges={q: [8, 9] for q in ("har_koordinator", "tilfreds", "trin")},
        variable_measure={"tilfreds": "ordinal", "trin": "ordinal", "har_koordinator": "nominal"})
    return path


BUILDERS = {
    "xlsx": (lambda d, rows=ALL_COMPLETE: build_xlsx(d / "survey.xlsx", rows), "surveyxact-xlsx"),
    "sav": (lambda d, rows=ALL_COMPLETE: build_sav(d / "survey.sav", rows), "spss-sav"),
    **{dialect: (lambda d, rows=ALL_COMPLETE, dialect=dialect:
                 build_bundle(d / dialect, dialect, rows), "surveyxact-csv")
       for dialect in DIALECTS},
    "zip": (lambda d, rows=ALL_COMPLETE: build_bundle(d / "bundle.zip", "semicolon_latin1", rows),
            "surveyxact-csv"),
}



def write_codebook(folder: Path) -> Path:
    """The codebook of the hand-built survey, as ``folder/codebook.yaml``."""
    path = folder / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


def own_names_sav(path: Path) -> Path:
    """An SPSS file naming its columns its own way: lbnr, Kommune, Finished (1 = completed)."""
    pyreadstat.write_sav(pd.DataFrame({
        "lbnr": [5.0, 6.0, 7.0], "Kommune": [259.0, 47.0, 101.0], "Finished": [1.0, 0.0, 1.0],
        "q1": [1.0, 2.0, None]}), str(path),
        variable_value_labels={"q1": {1: "Ja", 2: "Nej"}, "Finished": {0: "Nej", 1: "Ja"}})
    return path

