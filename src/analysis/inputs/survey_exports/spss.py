"""Reading an SPSS ``.sav``/``.zsav`` with pyreadstat: value and variable labels, measures,
user-missing values and ranges, date formats, and multiple-response sets as 0/1 columns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from analysis.core.problems import InputError, Problem
from analysis.inputs.survey_exports.raw import OPTION_LABELS, RawExport, as_int, clean


_DATE_FORMATS = re.compile(r"^(DATE|ADATE|EDATE|JDATE|SDATE|DATETIME|YMDHMS|TIME|DTIME|MTIME|"
                           r"WKDAY|MONTH|MOYR|QYR|WKYR)", re.IGNORECASE)


def load_sav(path: Path) -> RawExport:
    """Read an SPSS .sav/.zsav: labels, measures and user-missing codes from its dictionary,
    multiple-response sets expanded to 0/1 columns. User-missing codes stay as they are."""
    try:
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # ReadstatError / PyreadstatError / OSError
        raise InputError([Problem(path.name, None, None, None,
                                  f"a readable SPSS .sav/.zsav file ({type(exc).__name__}: "
                                  f"{' '.join(str(exc).split())})")])
    raw = RawExport(data=data.set_axis(range(1, len(data) + 1)), file=path.name, format="spss-sav",
               encoding=meta.file_encoding, title=(meta.file_label or "").strip() or None)
    raw.labels = {variable: {code: str(label) for value, label in labels.items()
                             if (code := as_int(value)) is not None}
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


def _add_user_missing(raw: RawExport, variable: str, spans: list[Mapping],
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


def _expand_mr_set(raw: RawExport, name: str, spec: Mapping) -> None:
    """Replace an SPSS multiple-response set by one 0/1 column per option.

    A respondent with no value in any of the set's variables was not asked: all options stay
    blank. Option columns get the labels 0 = "Ikke valgt", 1 = "Valgt".
    """
    members = [v for v in spec.get("variable_list", []) if v in raw.data.columns]
    if not members:
        return
    text = spec.get("label") or name
    if spec.get("is_dichotomy", spec.get("type") == "D"):
        options = _expand_dichotomy(raw, members, as_int(spec.get("counted_value")), text)
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


def _expand_dichotomy(raw: RawExport, members: list[str], counted: int | None,
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


def _expand_categories(raw: RawExport, name: str, members: list[str]) -> dict[str, str]:
    """Category set: the variables hold chosen codes; make one column ``<set>_<code>`` per code.

    The categories are the labelled and observed codes (numbers, or the text codes of string
    variables) except the set's declared user-missing codes; the new columns take the place of
    the set's variables.
    """
    text = any(member in raw.strings for member in members)
    if text:
        values = raw.data[members].astype(object).map(clean)
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


def strip_prefix(text: str, prefix: str) -> str:
    """Drop a shared question text (and a " - " separator) from an option's variable label."""
    if prefix and text.startswith(prefix):
        text = text[len(prefix):].lstrip(" -:")
    return text or prefix


def _option_from_label(label: str, question: str) -> str:
    """The option part of a variable label: after the question text, else after the last " - "."""
    if question and label.startswith(question):
        return strip_prefix(label, question)
    return label.rsplit(" - ", 1)[-1].strip() or label

