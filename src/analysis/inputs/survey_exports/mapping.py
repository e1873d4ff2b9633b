"""Putting a survey frame into the report's column names (the codebook's ``column:``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from analysis.core.problems import Problem
from analysis.inputs.survey_exports.raw import (COMPLETED_CODE, COMPLETION_COLUMN, ID_COLUMN,
                                                KOMMUNE_COLUMN, find_column)


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
    present = {find_column(frame.columns, source): target for source, target in renames.items()
               if find_column(frame.columns, source) is not None}
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


def name_columns(problems: list[Problem], shown: Mapping[str, str]) -> list[Problem]:
    """Problems about report columns, named by the export variables they came from."""
    return [dataclasses.replace(p, column=shown.get(p.column, p.column)) if p.column else p
            for p in problems]

