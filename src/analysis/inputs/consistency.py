"""What the inputs say that the codebook, the register or another file contradicts.

Errors (each a :class:`Problem`, raised by :func:`analysis.inputs.dataset.load_dataset`, so a
render stops too):

* an answer to a question its skip logic (``asked_if`` in the survey codebook) says was not
  asked of that respondent;
* a register row that contradicts what the helhedsplan register is: a municipality with no
  helhedsplan, helhedsplan areas without residents, more residents in the areas than in the
  municipality;
* a key of ``dataset.yaml`` the report does not read (a misspelt ``synthtic`` would otherwise
  leave the front page saying the wrong thing about the data).

Notes (:func:`notes`, printed by ``rapport validate``; they do not stop a render): an interview
excerpt tied to a municipality that has no helhedsplan, which no municipal report can show.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import paths
from analysis.core.problems import Problem


# ---------------------------------------------------------------- skip logic

def _numbers(series: pd.Series) -> pd.Series:
    """The cells as numbers (NaN for blank or not a number), as the answer file holds them."""
    text = series.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def _label(codebook, column: str, code: float) -> str:
    """``2 (Nej)``: a code of a question, with its label where the codebook has one."""
    shown = str(int(code)) if float(code).is_integer() else str(code)
    q = codebook.questions.get(column)
    label = None if q is None or not float(code).is_integer() else \
        q.answers.get(int(code)) or q.missing.get(int(code))
    return f"{shown} ({label})" if label else shown


def _condition_codes(codebook, column: str) -> tuple[int, ...] | None:
    """The codes a condition column can hold (None: any number)."""
    q = codebook.questions.get(column)
    if q is not None:
        return None if q.type == "number" else q.valid_codes
    return (0, 1)                       # an option column of a multiple-choice question


def _codes_text(codes: tuple[int, ...]) -> str:
    """``8, 9``; a long run of codes (an SPSS missing range) as ``-99..-1``."""
    if len(codes) > 6:
        return f"{min(codes)}..{max(codes)}"
    return ", ".join(str(c) for c in codes)


def _answers(q, values: pd.Series) -> pd.Series:
    """Which cells of one of the question's columns hold an answer (not blank, not a code the
    codebook lists as missing)."""
    if q.type == "multiple":
        return values.isin([0, 1])
    if q.type == "number":
        return values.notna() & ~values.isin(list(q.missing))
    return values.isin(list(q.answers))


def skip_logic_problems(frame: pd.DataFrame, codebook, file: str) -> list[Problem]:
    """One problem per answer given to a question that its ``asked_if`` says was not asked.

    A question is asked when every question it names holds one of the codes listed for it; a
    blank condition means it was not. Blank cells and the question's missing codes are no
    answer. Rows whose condition holds a value the codebook does not know are left to the
    problem reported for that value.
    """
    problems = []
    for q in codebook.questions.values():
        if not q.asked_if or any(other not in frame for other in q.asked_if):
            continue
        asked = pd.Series(True, index=frame.index)
        known = pd.Series(True, index=frame.index)
        conditions = {}
        for other, allowed in q.asked_if.items():
            values = _numbers(frame[other])
            conditions[other] = values
            codes = _condition_codes(codebook, other)
            blank = frame[other].isna()
            known &= blank | (values.notna() if codes is None else values.isin(list(codes)))
            asked &= values.isin(list(allowed))
        rule = " and ".join(f"{other} is " + " or ".join(_label(codebook, other, c)
                                                         for c in allowed)
                            for other, allowed in q.asked_if.items())
        blank_hint = "blank" + (f", or a missing code {_codes_text(tuple(q.missing))}"
                                if q.missing and q.type != "multiple" else "")
        for column in q.columns:
            if column not in frame:
                continue
            wrong = _answers(q, _numbers(frame[column])) & ~asked & known
            for index in frame.index[wrong]:
                given = "; ".join(
                    f"this respondent's {other} is "
                    + ("blank" if pd.isna(values[index])
                       else _label(codebook, other, values[index]))
                    for other, values in conditions.items()
                    if not values.isin(list(q.asked_if[other]))[index])
                problems.append(Problem(
                    file, int(index) + 2, column, frame.at[index, column],
                    f"no answer ({blank_hint}): '{q.id}' is asked only if {rule}, and {given}"))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


# ---------------------------------------------------------------- the register

def register_problems(register: pd.DataFrame, kommuner: pd.DataFrame | None,
                      file: str) -> list[Problem]:
    """Rows of the helhedsplan register (its numbers already whole numbers) that contradict
    what it is: the municipalities with at least one helhedsplan, and their areas' residents."""
    population = {} if kommuner is None else \
        dict(zip(kommuner["kommunekode"], kommuner["folketal_2015"]))
    reference = "data/reference/kommuner.csv"
    problems = []
    for index, row in register.iterrows():
        line = int(index) + 2
        plans, residents = int(row["antal_helhedsplaner"]), int(row["beboere_i_omraader"])
        if plans == 0:
            problems.append(Problem(
                file, line, "antal_helhedsplaner", str(plans),
                "at least 1: the register lists the municipalities with a helhedsplan, so a "
                "municipality without one has no row here (delete the row)"))
        elif residents == 0:
            problems.append(Problem(
                file, line, "beboere_i_omraader", str(residents),
                f"the number of residents in the municipality's helhedsplan areas, more than 0 "
                f"(the row has {plans} helhedsplan{'er' if plans != 1 else ''})"))
        inhabitants = population.get(row["kommunekode"])
        if inhabitants is not None and residents > int(inhabitants):
            problems.append(Problem(
                file, line, "beboere_i_omraader", str(residents),
                f"at most the municipality's {inhabitants} inhabitants (folketal_2015 of "
                f"kommunekode {row['kommunekode']} in {reference})"))
    return problems


# ---------------------------------------------------------------- dataset.yaml

def _key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping (empty when it cannot be read)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)}


def unknown_key_problems(about: dict, known: list[str], path: Path) -> list[Problem]:
    """One problem per top-level key of ``dataset.yaml`` the report does not read."""
    lines = _key_lines(path)
    problems = []
    for key, value in about.items():
        if str(key) in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        problems.append(Problem(
            str(path), lines.get(str(key)), str(key), value,
            f"one of the keys the report reads ({', '.join(known)})"
            + (f"; did you mean '{close[0]}'?" if close else "; delete the line")))
    return problems


# ---------------------------------------------------------------- notes

def excerpt_notes(dataset) -> list[Problem]:
    """Excerpts tied to a municipality without a helhedsplan: no municipal report shows them."""
    file = str(paths.excerpts_file(dataset.data_dir))
    with_plan = set(dataset.register["kommunekode"])
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    notes = []
    excerpts = dataset.excerpts
    for index, code in excerpts["kommunekode"].items():
        if pd.isna(code) or code in with_plan:
            continue
        notes.append(Problem(
            file, int(index) + 2, "kommunekode", code,
            f"a municipality with a helhedsplan: {names.get(code, code)} has none in "
            f"data/register/helhedsplaner.csv, so no municipal report shows excerpt "
            f"{excerpts.at[index, 'excerpt_id']} (the national report may quote it, without "
            "the municipality's name)"))
    return notes


def notes(dataset) -> list[Problem]:
    """What ``rapport validate`` points out without refusing the data."""
    return excerpt_notes(dataset)
