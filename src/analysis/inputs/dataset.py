"""Read the project's input files into validated, typed frames.

Every loader collects all problems before it stops (pandera's ``lazy=True``), so a researcher
with a new survey wave sees every broken cell at once. Text files may come in any encoding
researchers' tools write (UTF-8 with or without BOM, UTF-16, cp1252/ISO-8859-1) and with comma,
semicolon or tab as separator (:mod:`analysis.inputs.tables`); the survey answers are read by
:mod:`analysis.inputs.survey`. :func:`load_dataset` reads and checks them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.hashing import file_digest
from analysis.core.problems import InputError, Problem
from analysis.inputs.codebook import (SurveyCodebook, Theme, load_interview_codebook,
                                      load_survey_codebook, read_yaml)
from analysis.inputs.consistency import register_problems, unknown_key_problems
from analysis.inputs.survey import Survey, find_survey_file, load_survey
from analysis.inputs.tables import (DIGITS, KOMMUNEKODE, TextTable, blank_to_na, codes_of,
                                    member, read_text_table, text_column, validate)

__all__ = ["ABOUT_KEYS", "CLEARANCE", "CO_FINANCING_COLUMNS", "Dataset", "EXCERPT_SOURCES",
           "LEVELS", "ORGANISATIONS", "REGIONS", "Survey", "TextTable", "about_problems",
           "find_survey_file", "load_dataset", "load_excerpts", "load_kommuner", "load_register",
           "load_survey", "read_text_table"]

REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
           "Region Nordjylland")
ORGANISATIONS = ("kommune", "boligorganisation", "helhedsplan")
LEVELS = ("strategisk", "taktisk", "udførende")
EXCERPT_SOURCES = ("real", "synthetic", "import")
CLEARANCE = ("ja", "nej")
CO_FINANCING_COLUMNS = ("medfin_medarbejderressourcer", "medfin_kontant_tilskud",
                        "medfin_lokaler", "medfin_aktiviteter")


def load_kommuner(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    table = read_text_table(path)
    frame = blank_to_na(table.frame)
    schema = pa.DataFrameSchema({
        "kommunekode": text_column(pa.Check.str_matches(KOMMUNEKODE)),
        "kommunenavn": text_column(),
        "region": text_column(pa.Check.isin(REGIONS)),
        "folketal_2015": text_column(pa.Check.str_matches(DIGITS)),
    }, unique=["kommunekode"])
    problems = validate(frame, schema, str(path), {
        "kommunekode": "a 3-digit kommunekode, once per municipality",
        "kommunenavn": "a municipality name",
        "region": f"one of {', '.join(REGIONS)}",
        "folketal_2015": "a whole number of inhabitants",
    })
    if problems:
        return frame, problems
    frame["folketal_2015"] = frame["folketal_2015"].astype(int)
    return frame, []


def load_register(path: Path,
                  kommuner: pd.DataFrame | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the helhedsplan register; with ``kommuner`` None (it did not load cleanly) its
    codes are checked for form only, not against the municipality list."""
    table = read_text_table(path)
    frame = blank_to_na(table.frame)
    flag = text_column(pa.Check.isin(["0", "1"]))
    known = codes_of(kommuner)
    schema = pa.DataFrameSchema({
        "kommunekode": text_column(pa.Check.str_matches(KOMMUNEKODE)) if known is None
        else text_column(pa.Check.isin(known)),
        "antal_helhedsplaner": text_column(pa.Check.str_matches(DIGITS)),
        "beboere_i_omraader": text_column(pa.Check.str_matches(DIGITS)),
        **{c: flag for c in CO_FINANCING_COLUMNS},
    }, unique=["kommunekode"])
    problems = validate(frame, schema, str(path), {
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
    return frame, register_problems(frame, kommuner, str(path))


def load_excerpts(path: Path, themes: dict[str, Theme], kommuner: pd.DataFrame | None,
                  roles: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read coded interview excerpts.

    ``roles``: the role labels allowed (``roles:`` in the interview codebook); None accepts any
    label. ``kommuner`` None: that file did not load cleanly; codes are checked for form only.
    """
    table = read_text_table(path)
    frame = blank_to_na(table.frame)
    theme_codes = set(themes)

    def known_themes(series: pd.Series) -> pd.Series:
        return series.map(lambda v: all(c.strip() in theme_codes for c in str(v).split(";")))

    schema = pa.DataFrameSchema({
        "excerpt_id": text_column(),
        "tekst": text_column(),
        "kommunekode": text_column(
            pa.Check.str_matches(KOMMUNEKODE) if kommuner is None
            else pa.Check.isin(codes_of(kommuner)), nullable=True),
        "organisation": text_column(pa.Check.isin(ORGANISATIONS)),
        "niveau": text_column(pa.Check.isin(LEVELS)),
        "rolle": text_column() if roles is None
        else text_column(member(list(roles), "known_role")),
        "temaer": text_column(pa.Check(known_themes, element_wise=False, name="known_theme")),
        "kilde": text_column(pa.Check.isin(EXCERPT_SOURCES)),
        "henvisning": text_column(nullable=True),
        "maa_tilskrives_kommune": text_column(pa.Check.isin(CLEARANCE)),
    }, unique=["excerpt_id"])
    problems = validate(frame, schema, str(path), {
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
    "origin": (lambda v: v in ORIGINS,
               "what the data are: calibrated (synthetic example data built to reproduce the "
               "2015 report's published figures), synthetic (other synthetic data) or real "
               "(a real survey)"),
}
# Keys that may be left out (default in the check's description).
OPTIONAL_ABOUT_KEYS = {
    "calibrated": (lambda v: isinstance(v, bool),
                   "true or false (the older form of origin: calibrated or synthetic; it must "
                   "agree with origin)"),
}
# dataset.yaml's ``origin``: what the data are; the front page says it (docs/own_data.md).
ORIGINS = ("calibrated", "synthetic", "real")


def about_problems(about: dict, path: Path) -> list[Problem]:
    """Every key of ``dataset.yaml`` the report reads must be there, with a usable value, and
    no other key (a misspelt one would leave the key it means unread)."""
    problems = []
    for key, (ok, expected) in ABOUT_KEYS.items():
        if key not in about:
            problems.append(Problem(str(path), None, key, None,
                                    f"a key '{key}' (it is missing): {expected}"))
        elif not ok(about[key]):
            problems.append(Problem(str(path), None, key, about[key], expected))
    for key, (ok, expected) in OPTIONAL_ABOUT_KEYS.items():
        if key in about and not ok(about[key]):
            problems.append(Problem(str(path), None, key, about[key], expected))
    origin, synthetic = about.get("origin"), about.get("synthetic")
    if origin in ORIGINS and isinstance(synthetic, bool) and (origin == "real") == synthetic:
        problems.append(Problem(str(path), None, "origin", origin,
                                f"an origin that agrees with 'synthetic: {str(synthetic).lower()}'"
                                f" ({'calibrated or synthetic' if synthetic else 'real'})"))
    calibrated = about.get("calibrated")
    if origin in ORIGINS and isinstance(calibrated, bool) and \
            (origin == "calibrated") != calibrated:
        problems.append(Problem(str(path), None, "origin", origin,
                                f"an origin that agrees with 'calibrated: "
                                f"{str(calibrated).lower()}' (or leave calibrated out)"))
    return problems + unknown_key_problems(about, [*ABOUT_KEYS, *OPTIONAL_ABOUT_KEYS], path)


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
