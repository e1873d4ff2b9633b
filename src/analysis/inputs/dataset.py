"""Read the project's input files into validated, typed frames.

Every loader collects all problems before it stops (pandera's ``lazy=True``), so a researcher
with a new survey wave sees every broken cell at once. Text files may come in any encoding
researchers' tools write (UTF-8 with or without BOM, UTF-16, cp1252/ISO-8859-1) and with comma,
semicolon or tab as separator.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.hashing import file_digest
from analysis.inputs.codebook import (SurveyCodebook, Theme, load_interview_codebook,
                               load_survey_codebook, read_yaml)
from analysis.core.problems import InputError, Problem
from analysis.inputs.decoding import decode_text

REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
           "Region Nordjylland")
ORGANISATIONS = ("kommune", "boligorganisation", "helhedsplan")
LEVELS = ("strategisk", "taktisk", "udførende")
EXCERPT_SOURCES = ("real", "synthetic", "import")
CLEARANCE = ("ja", "nej")
CO_FINANCING_COLUMNS = ("medfin_medarbejderressourcer", "medfin_kontant_tilskud",
                        "medfin_lokaler", "medfin_aktiviteter")
_DIGITS = r"^\d+$"
_KOMMUNEKODE = r"^\d{3}$"


@dataclass(frozen=True)
class TextTable:
    """A delimited text file read as strings, with how it was read."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str


def _field_count_problems(path: Path, text: str, delimiter: str) -> list[Problem]:
    """Rows whose number of fields differs from the header's, one Problem each.

    Row numbers count records as a spreadsheet shows them (header = row 1; a quoted value may
    span lines), skipping blank lines as the frame does, so they match the other problems' rows.
    """
    def blank(record: list[str]) -> bool:  # pandas skips empty and whitespace-only lines
        return not record or (len(record) == 1 and not record[0].strip())

    problems: list[Problem] = []
    try:
        records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if not blank(r)]
    except csv.Error as err:
        return [Problem(str(path), None, None, None,
                        f"a well-formed csv file ({' '.join(str(err).split())})")]
    if not records:
        return []
    expected = len(records[0])
    for row, record in enumerate(records[1:], start=2):
        if len(record) != expected:
            hint = (f"a value containing the separator {delimiter!r} must be in double quotes"
                    if len(record) > expected else "an empty value still needs its separator")
            problems.append(Problem(str(path), row, None, f"{len(record)} fields",
                                    f"{expected} fields, as in the header row ({hint})"))
    return problems


def read_text_table(path: Path, require_rows: bool = True) -> TextTable:
    """Read a csv/tsv file as strings, detecting encoding and separator.

    Every way the file can be unreadable is an InputError: missing, a folder, undecodable,
    empty, rows with more or fewer fields than the header, or (with ``require_rows``) no data
    row below the header.

    Examples
    --------
    >>> read_text_table(Path("data/reference/kommuner.csv")).delimiter
    ','
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, None, "the file to exist")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, None,
                                  "a csv file (this is a folder)")]) from None
    except OSError as err:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({err.strerror})")]) from None
    text, encoding = decode_text(raw, str(path))
    if not text.strip():
        raise InputError([Problem(str(path), None, None, None,
                                  "a header row and at least one data row (the file is empty)")])
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    problems = _field_count_problems(path, text, delimiter)
    if problems:
        raise InputError(problems)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            na_values=[], skipinitialspace=False, index_col=False)
    except (pd.errors.ParserError, csv.Error) as err:  # what the pre-scan did not catch
        raise InputError([Problem(str(path), None, None, None,
                                  f"a well-formed csv file ({' '.join(str(err).split())})")]
                         ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if require_rows and frame.empty:
        raise InputError([Problem(str(path), None, None, None,
                                  "at least one data row below the header row")])
    return TextTable(frame=frame, encoding=encoding, delimiter=delimiter)


def _problems_from(err: pa.errors.SchemaErrors, file: str,
                   explain: dict[str, str]) -> list[Problem]:
    problems = []
    cases = err.failure_cases
    for case in cases.itertuples(index=False):
        column = None if pd.isna(case.column) else str(case.column)
        index = case.index
        row = None if index is None or pd.isna(index) else int(index) + 2
        check = str(case.check)
        if check.startswith("column_in_dataframe"):
            problems.append(Problem(file, None, str(case.failure_case), None,
                                    "a column with this name (it is missing)"))
            continue
        expected = explain.get(f"{column}:{check}") or explain.get(column or "") or check
        value = None if pd.isna(case.failure_case) else case.failure_case
        problems.append(Problem(file, row, column, value, expected))
    return sorted(set(problems), key=lambda p: (p.row or 0, p.column or ""))


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str,
              explain: dict[str, str]) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return _problems_from(err, file, explain)
    return []


def _text_column(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=nullable, coerce=True)


def _member(values: list[str], name: str) -> pa.Check:
    """An isin check that keeps its own name in the failure report."""
    allowed = set(values)
    return pa.Check(lambda s: s.isna() | s.isin(allowed), name=name)


def _blank_to_na(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda s: s.str.strip()).replace("", pd.NA)


def load_kommuner(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    table = read_text_table(path)
    frame = _blank_to_na(table.frame)
    schema = pa.DataFrameSchema({
        "kommunekode": _text_column(pa.Check.str_matches(_KOMMUNEKODE)),
        "kommunenavn": _text_column(),
        "region": _text_column(pa.Check.isin(REGIONS)),
        "folketal_2015": _text_column(pa.Check.str_matches(_DIGITS)),
    }, unique=["kommunekode"])
    problems = _validate(frame, schema, str(path), {
        "kommunekode": "a 3-digit kommunekode, once per municipality",
        "kommunenavn": "a municipality name",
        "region": f"one of {', '.join(REGIONS)}",
        "folketal_2015": "a whole number of inhabitants",
    })
    if problems:
        return frame, problems
    frame["folketal_2015"] = frame["folketal_2015"].astype(int)
    return frame, []


def _codes_of(frame: pd.DataFrame | None) -> list[str] | None:
    """The kommunekoder of a reference frame, or None when it did not load cleanly."""
    return None if frame is None else frame["kommunekode"].tolist()


def load_register(path: Path,
                  kommuner: pd.DataFrame | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the helhedsplan register; with ``kommuner`` None (it did not load cleanly) its
    codes are checked for form only, not against the municipality list."""
    table = read_text_table(path)
    frame = _blank_to_na(table.frame)
    flag = _text_column(pa.Check.isin(["0", "1"]))
    known = _codes_of(kommuner)
    schema = pa.DataFrameSchema({
        "kommunekode": _text_column(pa.Check.str_matches(_KOMMUNEKODE)) if known is None
        else _text_column(pa.Check.isin(known)),
        "antal_helhedsplaner": _text_column(pa.Check.str_matches(_DIGITS)),
        "beboere_i_omraader": _text_column(pa.Check.str_matches(_DIGITS)),
        **{c: flag for c in CO_FINANCING_COLUMNS},
    }, unique=["kommunekode"])
    problems = _validate(frame, schema, str(path), {
        "kommunekode": "a 3-digit kommunekode, once per municipality" if known is None
        else "a kommunekode from data/reference/kommuner.csv, once per municipality",
        "antal_helhedsplaner": "a whole number of helhedsplaner",
        "beboere_i_omraader": "a whole number of residents",
        **{c: "1 (used) or 0 (not used)" for c in CO_FINANCING_COLUMNS},
    })
    if problems:
        return frame, problems
    for column in ("antal_helhedsplaner", "beboere_i_omraader", *CO_FINANCING_COLUMNS):
        frame[column] = frame[column].astype(int)
    return frame, []


STATUS_FLAG = re.compile(r"^statoverall_\d+$", re.IGNORECASE)


def survey_schema(codebook: SurveyCodebook, kommunekoder: list[str] | None,
                  register_codes: list[str] | None, flags: tuple[str, ...] = ()
                  ) -> tuple[pa.DataFrameSchema, dict[str, str]]:
    """The pandera schema of survey answers derived from the codebook.

    ``kommunekoder``/``register_codes`` None: that reference did not load cleanly, so codes are
    not checked against it (its own problems are reported instead of one per respondent).
    ``flags``: SurveyXact status columns present in the file (``statoverall_*``), each 0 or 1.
    """
    kommune_checks = [pa.Check.str_matches(_KOMMUNEKODE)]
    if kommunekoder is not None:
        kommune_checks.append(_member(kommunekoder, "known_kommune"))
    if register_codes is not None:
        kommune_checks.append(_member(register_codes, "in_register"))
    columns: dict[str, pa.Column] = {
        codebook.id_column: _text_column(pa.Check.str_matches(_DIGITS)),
        codebook.kommune_column: _text_column(*kommune_checks),
        codebook.completion_column: _text_column(pa.Check.isin(["0", "1"])),
    }
    explain = {
        codebook.id_column: "a whole-number respondent id, once per respondent",
        f"{codebook.kommune_column}:str_matches('{_KOMMUNEKODE}')": "a 3-digit kommunekode",
        f"{codebook.kommune_column}:known_kommune":
            "a kommunekode from data/reference/kommuner.csv",
        f"{codebook.kommune_column}:in_register":
            "a municipality in the helhedsplan register (data/register/helhedsplaner.csv)",
        codebook.completion_column: "1 (completed) or 0",
    }
    for flag in flags:
        if flag not in columns:
            # blank: an export without this flag (survey_exports leaves it empty)
            columns[flag] = _text_column(pa.Check.isin(["0", "1"]), nullable=True)
            explain[flag] = "1 or 0 (a SurveyXact status flag)"
    for q in codebook.questions.values():
        if q.type == "multiple":
            for column, label in q.options.items():
                columns[column] = _text_column(pa.Check.isin(["0", "1"]), nullable=True)
                explain[column] = f"1 or 0 (option '{label}' of question '{q.id}')"
        elif q.type == "number":
            columns[q.id] = _text_column(pa.Check.str_matches(r"^-?\d+([.,]\d+)?$"),
                                         nullable=True)
            explain[q.id] = "a number"
        else:
            codes = [str(c) for c in q.valid_codes]
            columns[q.id] = _text_column(pa.Check.isin(codes), nullable=True)
            explain[q.id] = f"an answer code of '{q.id}' in the codebook ({', '.join(codes)})"
    return pa.DataFrameSchema(columns), explain


def _duplicates(frame: pd.DataFrame, column: str, file: str, what: str) -> list[Problem]:
    dup = frame[column].notna() & frame[column].duplicated(keep="first")
    return [Problem(file, int(i) + 2, column, frame.at[i, column], what)
            for i in frame.index[dup]]


@dataclass(frozen=True)
class Survey:
    answers: pd.DataFrame          # completed responses, codes as Int64
    incomplete: pd.DataFrame       # responses not completed (excluded from the analysis)
    source: str                    # how the answers were read
    notes: tuple[str, ...] = ()


def _as_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed export frame as the csv path reads a file: every cell a string, blanks ``""``.

    Built the way :func:`read_text_table` builds its frame, so both paths give the same dtypes
    (and ``answers.equals()`` holds across them) whatever the pandas version.
    """
    text = {str(column): [("" if pd.isna(value) else str(value)) for value in values]
            for column, values in frame.items()}
    out = pd.DataFrame(text, dtype=str, index=pd.RangeIndex(len(frame)))
    out.columns = [str(c) for c in out.columns]
    return out


def load_survey(path: Path, codebook: SurveyCodebook, kommuner: pd.DataFrame | None,
                register: pd.DataFrame | None) -> tuple[Survey | None, list[Problem]]:
    """Read survey answers from ``besvarelser.csv`` (SurveyXact dataset shape) or an export.

    ``kommuner``/``register`` None: that file did not load cleanly; kommunekoder are then
    checked for form only.
    """
    notes: list[str] = []
    if path.suffix.lower() == ".csv" and not _is_survey_export(path):
        table = read_text_table(path)
        frame = _blank_to_na(table.frame)
        source = f"csv ({table.encoding}, separator {table.delimiter!r})"
    else:
        from analysis.inputs import survey_exports

        result = survey_exports.read_export(path, include_incomplete=True,
                                            layout=survey_exports.Layout.of(codebook))
        codebook = survey_exports.canonical_codebook(codebook)  # the frame has SurveyXact's names
        frame = _blank_to_na(_as_text_frame(result.frame))
        source = f"{result.format}: {path.name}" + (
            f" ({result.encoding})" if result.encoding else "")
        kept = survey_exports.incomplete_note(result.incomplete, True)
        notes.extend(note for note in result.notes if note != kept)  # counted below instead
    from analysis.inputs.survey_exports import map_columns, name_columns

    frame, codebook, shown = map_columns(frame, codebook)  # `column:` -> question ids
    flags = tuple(c for c in frame.columns if STATUS_FLAG.match(str(c)))
    schema, explain = survey_schema(codebook, _codes_of(kommuner), _codes_of(register), flags)
    problems = _validate(frame, schema, str(path), explain)
    if codebook.id_column in frame:
        problems += _duplicates(frame, codebook.id_column, str(path),
                                "a respondent id that occurs only once")
    if codebook.completion_column in frame and codebook.kommune_column in frame:
        done = frame[frame[codebook.completion_column] == str(codebook.completed_code)]
        problems += _duplicates(done, codebook.kommune_column, str(path),
                                "one completed response per municipality")
    problems = name_columns(problems, shown)
    if problems:
        return None, problems
    completed = frame[codebook.completion_column] == str(codebook.completed_code)
    if not completed.any():
        return None, [Problem(
            str(path), None, codebook.completion_column, None,
            f"at least one completed response ({codebook.completion_column} = "
            f"{codebook.completed_code}); no row has it")]
    answers = frame.loc[completed].copy()
    answers[codebook.id_column] = answers[codebook.id_column].astype(int)
    for column in codebook.answer_columns:
        values = pd.to_numeric(answers[column])
        answers[column] = values.astype("Int64" if (values.dropna() % 1 == 0).all() else "Float64")
    incomplete = frame.loc[~completed, [codebook.id_column, codebook.kommune_column]]
    if len(incomplete):
        notes.append(f"{len(incomplete)} incomplete responses excluded")
    return Survey(answers.reset_index(drop=True), incomplete.reset_index(drop=True), source,
                  tuple(notes)), []


def load_excerpts(path: Path, themes: dict[str, Theme], kommuner: pd.DataFrame | None,
                  roles: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read coded interview excerpts.

    ``roles``: the role labels allowed (``roles:`` in the interview codebook); None accepts any
    label. ``kommuner`` None: that file did not load cleanly; codes are checked for form only.
    """
    table = read_text_table(path)
    frame = _blank_to_na(table.frame)
    theme_codes = set(themes)

    def known_themes(series: pd.Series) -> pd.Series:
        return series.map(lambda v: all(c.strip() in theme_codes for c in str(v).split(";")))

    schema = pa.DataFrameSchema({
        "excerpt_id": _text_column(),
        "tekst": _text_column(),
        "kommunekode": _text_column(
            pa.Check.str_matches(_KOMMUNEKODE) if kommuner is None
            else pa.Check.isin(_codes_of(kommuner)), nullable=True),
        "organisation": _text_column(pa.Check.isin(ORGANISATIONS)),
        "niveau": _text_column(pa.Check.isin(LEVELS)),
        "rolle": _text_column() if roles is None
        else _text_column(_member(list(roles), "known_role")),
        "temaer": _text_column(pa.Check(known_themes, element_wise=False, name="known_theme")),
        "kilde": _text_column(pa.Check.isin(EXCERPT_SOURCES)),
        "henvisning": _text_column(nullable=True),
        "maa_tilskrives_kommune": _text_column(pa.Check.isin(CLEARANCE)),
    }, unique=["excerpt_id"])
    problems = _validate(frame, schema, str(path), {
        "excerpt_id": "a unique excerpt id",
        "tekst": "the excerpt's text",
        "kommunekode": "empty or a 3-digit kommunekode" if kommuner is None
        else "empty or a kommunekode from data/reference/kommuner.csv",
        "organisation": f"one of {', '.join(ORGANISATIONS)}",
        "niveau": f"one of {', '.join(LEVELS)}",
        "rolle": "a role label such as 'Kommunal taktiker'",
        "rolle:known_role":
            "one of the role labels in data/interviews/codebook.yaml (roles)",
        "temaer": "theme codes from data/interviews/codebook.yaml, separated by ';'",
        "kilde": f"one of {', '.join(EXCERPT_SOURCES)}",
        "maa_tilskrives_kommune": "ja or nej",
    })
    if problems:
        return frame, problems
    frame["temaer"] = frame["temaer"].map(lambda v: tuple(c.strip() for c in v.split(";")))
    return frame, []


@dataclass(frozen=True)
class Dataset:
    """Every input of the report, validated."""

    data_dir: Path
    kommuner: pd.DataFrame
    register: pd.DataFrame
    survey: Survey
    codebook: SurveyCodebook
    excerpts: pd.DataFrame
    themes: dict[str, Theme]
    published: dict
    files: dict[str, str] = field(default_factory=dict)   # relative path -> sha256
    about: dict = field(default_factory=dict)             # data/dataset.yaml


# data/dataset.yaml: key -> (check, what is expected). The file itself may be left out.
ABOUT_KEYS = {
    "synthetic": (lambda v: isinstance(v, bool),
                  "true or false: whether the data are synthetic example data"),
    "survey_period": (lambda v: isinstance(v, str) and v.strip() != "",
                      "when the survey ran, as the report writes it (e.g. 'foråret 2015')"),
    "survey_recipients": (lambda v: isinstance(v, str) and v.strip() != "",
                          "who the survey was sent to, as the report writes it"),
}


def about_problems(about: dict, path: Path) -> list[Problem]:
    """Every key of ``dataset.yaml`` the report reads must be there, with a usable value."""
    problems = []
    for key, (ok, expected) in ABOUT_KEYS.items():
        if key not in about:
            problems.append(Problem(str(path), None, key, None,
                                    f"a key '{key}' (it is missing): {expected}"))
        elif not ok(about[key]):
            problems.append(Problem(str(path), None, key, about[key], expected))
    return problems


SURVEY_EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".sav", ".zsav", ".zip")


def _is_survey_export(path: Path) -> bool:
    """A SurveyXact workbook, SPSS file, zipped csv bundle or folder holding ``dataset.csv``.

    Hidden files, macOS ``._`` copies and Excel's ``~$`` lock files (present while the workbook
    is open) are not exports.
    """
    if path.name.startswith((".", "~$", "__MACOSX")):
        return False
    if path.is_dir():
        return any(child.name.lower() == "dataset.csv" and child.is_file()
                   for child in path.iterdir())
    return path.is_file() and path.suffix.lower() in SURVEY_EXPORT_SUFFIXES


def find_survey_file(data_dir: Path) -> Path:
    """``survey/besvarelser.csv`` if present, else the one export in ``survey/``.

    With no export the default path is returned (loading it reports the missing file); with
    more than one, InputError names them, since the report must not guess which survey to use.
    """
    default = paths.survey_file(data_dir)
    if default.exists():
        return default
    folder = default.parent
    candidates = sorted(p for p in folder.glob("*") if _is_survey_export(p)) \
        if folder.is_dir() else []
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise InputError([Problem(
            str(folder), None, None, ", ".join(p.name for p in candidates),
            "one survey file: besvarelser.csv, or a single export (.xlsx, .sav, .zip, or a "
            "folder with dataset.csv); move the others out of survey/")])
    return default


def load_dataset(data_dir: Path | None = None) -> Dataset:
    """Load and validate every input; raise InputError listing every problem found."""
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    problems: list[Problem] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except InputError as err:
            problems.extend(err.problems)
            return None

    def clean(out):
        """The frame of a loader's (frame, problems), or None if it had problems."""
        if out is None:
            return None
        frame, found = out
        problems.extend(found)
        return None if found else frame

    codebook = attempt(load_survey_codebook, paths.survey_codebook_file(data_dir))
    interview = attempt(load_interview_codebook, paths.interview_codebook_file(data_dir))
    themes, roles = interview if interview is not None else (None, None)
    # Each file is checked on its own; codes are checked against kommuner.csv and the register
    # only when those loaded cleanly, so one broken reference file is one problem, not one per
    # row that refers to it.
    kommuner = clean(attempt(load_kommuner, paths.kommuner_file(data_dir)))
    register = clean(attempt(load_register, paths.register_file(data_dir), kommuner))
    survey_path = attempt(find_survey_file, data_dir)
    survey = None
    if codebook is not None and survey_path is not None:
        survey = clean(attempt(load_survey, survey_path, codebook, kommuner, register))
    excerpts = None
    if themes is not None:
        excerpts = clean(attempt(load_excerpts, paths.excerpts_file(data_dir), themes, kommuner,
                                 roles))
    published = attempt(read_yaml, paths.published_file(data_dir), False)
    about_path = data_dir / "dataset.yaml"
    about = attempt(read_yaml, about_path, False)
    if about:
        problems.extend(about_problems(about, about_path))
    if problems or any(x is None for x in (kommuner, register, survey, excerpts)):
        raise InputError(problems)
    inputs = [paths.kommuner_file(data_dir), paths.register_file(data_dir), survey_path,
              paths.survey_codebook_file(data_dir), paths.excerpts_file(data_dir),
              paths.interview_codebook_file(data_dir)]
    if about_path.exists():
        inputs.append(about_path)
    files = {p.relative_to(data_dir).as_posix(): file_digest(p) for p in inputs}
    return Dataset(data_dir=data_dir, kommuner=kommuner, register=register, survey=survey,
                   codebook=codebook, excerpts=excerpts, themes=themes, published=published,
                   files=files, about=about or {})
