"""Drafting a codebook YAML from an export, for the researcher to finish (``rapport codebook``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.core.problems import InputError, Problem
from analysis.inputs.codebook import TODO, TODO_HINTS
from analysis.inputs.survey_exports.canonical import is_system, parse_codes, parse_numbers
from analysis.inputs.survey_exports.raw import (COMPLETED_CODE, COMPLETION_COLUMN, RawExport,
                                                find_column, norm_header)
from analysis.inputs.survey_exports.formats import load_raw
from analysis.inputs.survey_exports.spss import strip_prefix

_MISSING_LABEL = re.compile(
    r"ved ikke|ikke besvaret|vil ikke (svare|oplyse)|ønsker ikke at svare|kan ikke svare|uoplyst"
    r"|don'?t know|not answered|no answer|refused", re.IGNORECASE)
_SCALE_WORDS = re.compile(
    r"enig|tilfreds|grad\b|meget|aldrig|altid|ofte|sjældent|vigtig|god\b|dårlig|høj|lav\b",
    re.IGNORECASE)


_ID_NAMES = ("respondentid", "respondent", "responseid", "respid", "resp", "id", "lbnr",
             "løbenr", "loebenr", "løbenummer", "loebenummer", "caseid", "recordid", "serial")
_KOMMUNE_NAMES = ("kommunekode", "kommunenr", "kommunenummer", "komkode", "komnr", "kommune",
                  "municipalitycode", "municipality")
_COMPLETION_NAMES = (COMPLETION_COLUMN.replace("_", ""), "finished", "completed", "complete",
                     "gennemført", "gennemfoert", "gennemfort")
NO_COMPLETION = "none"   # --completed none: the export has no completion column


@dataclass
class Draft:
    """A drafted codebook: the YAML text and what the drafting decided, one line each."""

    text: str
    messages: list[str]


def draft_codebook(path: Path, *, id_column: str | None = None,
                   kommune_column: str | None = None, completion_column: str | None = None,
                   completed_code: int | None = None) -> Draft:
    """Draft a codebook YAML for every variable of an export, for the researcher to finish.

    The export's own shape decides: question text from the variable label (or SurveyXact's
    structure), type from the value labels and the SPSS measure level (``multiple`` for SPSS
    multiple-response sets and for 0/1 columns grouped by the export or sharing a name prefix,
    ``ordinal`` for ordinal measures and scale-like labels, ``single`` for other labelled codes,
    ``number`` for unlabelled numbers); answers from the value labels; SPSS user-missing values
    and ranges, and labels such as "Ved ikke", as ``missing``. Free text and dates are left out
    (listed at the top). What only the researcher knows is written ``TODO``.

    The id, municipality and completion columns are taken from the arguments, else guessed
    from their names and contents, else left ``TODO`` with a message. ``completion_column``
    ``"none"`` means the export has none (every response counts as completed).

    Raises
    ------
    InputError
        When the export cannot be read, or a column named in the arguments is not in it.
    """
    from analysis.inputs.questions import BY_ID, REQUIRED_QUESTIONS

    path = Path(path)
    raw = load_raw(path)
    messages: list[str] = []
    chosen = _choose_columns(raw, messages, id_column, kommune_column, completion_column,
                             completed_code)
    used = {c for c in (chosen["id_column"], chosen["kommune_column"],
                        chosen["completion_column"]) if c and c != TODO}
    multiple = dict(raw.multiple)
    grouped = {c for options in multiple.values() for c in options}
    multiple.update(_infer_multiple(raw, grouped | used))
    option_of = {c: q for q, options in multiple.items() for c in options}
    entries: list[dict] = []
    done: set[str] = set()
    system, text_columns, dates = [], [], []
    for column in raw.data.columns:
        if column in used:
            continue
        if column in option_of:
            qid = option_of[column]
            if qid not in done:
                entries.append(_multiple_entry(_report_id(qid, BY_ID), raw.questions.get(qid, ""),
                                               multiple[qid], BY_ID))
                done.add(qid)
            continue
        if is_system(column):
            system.append(column)
        elif column in raw.dates or pd.api.types.is_datetime64_any_dtype(raw.data[column]):
            dates.append(column)
        elif column in raw.strings and column not in raw.coded:
            text_columns.append(column)
        elif parse_numbers(raw.data[column])[1].any() and column not in raw.labels:
            text_columns.append(column)
        else:
            entries.append(_question_entry(column, raw, messages, BY_ID))
    left_out = []
    if text_columns:
        left_out.append(f"free text (the report uses no open answers): {', '.join(text_columns)}")
    if dates:
        left_out.append(f"dates and times: {', '.join(dates)}")
    if system:
        left_out.append(f"SurveyXact system columns: {', '.join(system)}")
    messages.append(f"drafted {len(entries)} question(s) from {path.name}"
                    + (f"; left out {len(text_columns) + len(dates) + len(system)} column(s)"
                       if text_columns or dates or system else ""))
    doc = {"survey": {"title": raw.title or TODO, **chosen}, "questions": entries}
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
    header = [f"# Draft survey codebook for {path.name} ({raw.format}"
              + (f", {raw.encoding}" if raw.encoding else "") + "), written by rapport codebook.",
              "# Replace every TODO, delete the questions you do not need, save it as",
              "# survey/codebook.yaml and run `rapport validate`: it lists what is still missing.",
              "# A variable answers one of the report's questions when its entry has that "
              "question's id;",
              "# `column:` keeps your variable's name, so nothing has to be renamed in the export.",
              "#", "# What drafting decided:",
              *[f"#   {' '.join(m.split())}" for m in messages],
              *([f"#   left out {line}" for line in left_out]),
              "#", "# Notes from reading the export:",
              *[f"#   {' '.join(note.split())}" for note in raw.notes or ["(none)"]],
              "#", "# The questions the report uses (id: chapter, what it must be):",
              *[f"#   {q.id}: {q.where}; {q.needs}" for q in REQUIRED_QUESTIONS]]
    return Draft(text="\n".join(header) + "\n\n" + _todo_comments(body), messages=messages)


def _todo_comments(body: str) -> str:
    """Add a short hint after every ``TODO`` value of the YAML text."""
    hints = {**TODO_HINTS, "groups": "the answer codes each group holds, e.g. [4, 5]; or {}"}
    lines, context = [], []
    for line in body.splitlines():
        indent = len(line) - len(line.lstrip(" -"))
        key = line.strip(" -").split(":", 1)[0]
        context = [(i, k) for i, k in context if i < indent]
        if line.rstrip().endswith(f": {TODO}"):
            parent = context[-1][1] if context else ""
            hint = ("the answer codes in this group, e.g. [4, 5]" if parent == "groups" else
                    "the label of this code (it occurs in the data without one)"
                    if parent == "answers" else hints.get(key))
            line += f"  # {hint}" if hint else ""
        elif line.rstrip().endswith(":"):
            context.append((indent, key))
        lines.append(line)
    return "\n".join(lines) + "\n"


def _named(raw: RawExport, option: str | None, name: str, messages: list[str]) -> str | None:
    """The export column a command-line option names (case-insensitive), or raise."""
    if option is None:
        return None
    found = find_column(raw.data.columns, option)
    if found is None:
        columns = ", ".join(map(str, raw.data.columns[:30]))
        more = " …" if len(raw.data.columns) > 30 else ""
        raise InputError([Problem(raw.file, None, option, None,
                                  f"a column named by --{name} (the export has: {columns}{more})")])
    messages.append(f"{name} column: {found} (as given)")
    return found


def _choose_columns(raw: RawExport, messages: list[str], id_column: str | None,
                    kommune_column: str | None, completion_column: str | None,
                    completed_code: int | None) -> dict:
    """The ``survey:`` columns of the draft: given, guessed, or TODO (with a message)."""
    ident = _named(raw, id_column, "id", messages) or _guess_id(raw, messages)
    kommune = _named(raw, kommune_column, "kommune", messages) or _guess_kommune(raw, messages)
    if completion_column is not None and completion_column.lower() == NO_COMPLETION:
        completion, code = None, COMPLETED_CODE
        messages.append("completion column: none (as given); every response counts as completed")
    elif completion_column is not None:
        completion = _named(raw, completion_column, "completed", messages)
        code = COMPLETED_CODE if completed_code is None else completed_code
    else:
        completion, code = _guess_completion(raw, messages)
        code = code if completed_code is None else completed_code
    return {"id_column": ident or TODO, "kommune_column": kommune or TODO,
            "completion_column": completion, "completed_code": code}


def _by_name(raw: RawExport, names: tuple[str, ...]) -> list[str]:
    """Columns whose normalised name is one of ``names``, in the order of ``names``."""
    normal = {column: norm_header(column) for column in raw.data.columns}
    return [c for name in names for c, n in normal.items() if n == name]


def _guess_id(raw: RawExport, messages: list[str]) -> str | None:
    for column in _by_name(raw, _ID_NAMES):
        codes, bad = parse_codes(raw.data[column])
        if not bad.any() and codes.notna().all() and not codes.duplicated().any():
            messages.append(f"id column: guessed {column} (unique whole numbers); "
                            "change it with --id")
            return column
        messages.append(f"id column: {column} is named like one but does not hold one unique "
                        "whole number per row")
    messages.append("id column: TODO, no column looks like a respondent id (unique whole "
                    "numbers named like respondentid, id or lbnr); name it with --id")
    return None


def _guess_kommune(raw: RawExport, messages: list[str]) -> str | None:
    for column in _by_name(raw, _KOMMUNE_NAMES):
        codes, bad = parse_codes(raw.data[column])
        if not bad.any() and codes.notna().any() and codes.dropna().between(1, 999).all():
            messages.append(f"municipality column: guessed {column} (codes 1-999); change it "
                            "with --kommune")
            return column
        what = "names, not codes" if bad.any() else "no municipality codes (1-999)"
        messages.append(f"municipality column: {column} is named like one but holds {what}")
    messages.append("municipality column: TODO, no column holds municipality codes (kommunekode, "
                    "e.g. 259 for Køge); add one to the export and name it with --kommune")
    return None


def _guess_completion(raw: RawExport, messages: list[str]) -> tuple[str | None, int]:
    for column in _by_name(raw, _COMPLETION_NAMES):
        codes, bad = parse_codes(raw.data[column])
        if not bad.any() and set(codes.dropna()) <= {0, 1}:
            messages.append(f"completion column: guessed {column} = 1; change it with "
                            "--completed COLUMN=CODE")
            return column, COMPLETED_CODE
    messages.append("completion column: TODO, none found; name it with --completed COLUMN=CODE, "
                    "or --completed none if every response in the export is completed")
    return TODO, COMPLETED_CODE


def _report_id(name: str, report: Mapping) -> str:
    """The report's question id when a variable is named like one (SPSS upper-cases)."""
    return name.lower() if name.lower() in report else name


def _question_entry(column: str, raw: RawExport, messages: list[str], report: Mapping) -> dict:
    """Draft one single/ordinal/number question from its labels, measure and missing codes."""
    qid = _report_id(column, report)
    labels = dict(sorted(raw.labels.get(column, {}).items()))
    declared = dict(raw.missing.get(column, {}))
    ranges = raw.missing_ranges.get(column, [])

    def in_range(code: int) -> bool:
        return any(lo <= code <= hi for lo, hi in ranges)

    missing: dict[object, str] = dict(sorted(declared.items()))
    missing.update({code: label for code, label in labels.items() if code not in declared
                    and (in_range(code) or _MISSING_LABEL.search(label))})
    answers: dict[int, str] = {code: label for code, label in labels.items()
                               if code not in missing}
    if answers:
        codes = parse_codes(raw.data[column])[0].dropna()
        unlabelled = sorted({int(c) for c in codes} - set(answers) - set(missing)
                            - {c for c in map(int, codes) if in_range(c)})
        for code in unlabelled:
            answers[code] = TODO
        if unlabelled:
            messages.append(f"{column}: code(s) {', '.join(map(str, unlabelled))} occur in the "
                            "data without a value label: label them or list them as missing")
        answers = dict(sorted(answers.items()))
        measure = raw.measure.get(column)
        kind = "ordinal" if measure == "ordinal" or _guess_type(answers) == "ordinal" \
            else "single"
    elif need := report.get(qid):
        # named like a report question but unlabelled (e.g. a lone dataset csv): the type the
        # report needs, and the codes seen in the data, to be labelled
        kind = need.type
        codes = parse_codes(raw.data[column])[0].dropna()
        answers = {int(c): TODO for c in sorted(set(codes)) if int(c) not in missing}
        messages.append(f"{column}: no value labels; drafted as the report's {qid} ({kind}) with "
                        "the codes seen in the data")
    else:
        kind = "number"
    for lo, hi in ranges:
        missing[f"{lo}..{hi}"] = "Uoplyst"
    need = report.get(qid)
    entry: dict = {"id": qid, "column": column,
                   "chapter": need.chapter if need else TODO, "type": kind,
                   "text": raw.questions.get(column) or TODO, "short": TODO}
    if answers:
        entry["answers"] = answers
    if missing:
        entry["missing"] = missing
    if kind != "number":
        entry["groups"] = {group: TODO for group in need.groups} if need and need.groups \
            else TODO
    return entry


def _multiple_entry(qid: str, text: str, options: Mapping[str, str], report: Mapping) -> dict:
    """Draft one multiple-choice question."""
    need = report.get(qid)
    return {"id": qid, "chapter": need.chapter if need else TODO, "type": "multiple",
            "text": text or TODO, "short": TODO, "options": dict(options)}


def _guess_type(answers: Mapping[int, str]) -> str:
    """number without labels; ordinal for >= 3 consecutive codes with scale-like labels."""
    if not answers:
        return "number"
    codes = sorted(answers)
    consecutive = codes == list(range(codes[0], codes[0] + len(codes)))
    scale_like = any(_SCALE_WORDS.search(label) or label.strip().isdigit()
                     for label in answers.values())
    return "ordinal" if len(codes) >= 3 and consecutive and scale_like else "single"


def _infer_multiple(raw: RawExport, grouped: set[str]) -> dict[str, dict[str, str]]:
    """Group 0/1 columns that share a name prefix (``forum_a``, ``forum_b``) into questions."""
    candidates: dict[str, list[str]] = {}
    for column in raw.data.columns:
        if is_system(column) or column in grouped or "_" not in str(column) \
                or column in raw.strings or column in raw.dates:
            continue
        codes, bad = parse_codes(raw.data[column])
        values = set(codes.dropna())
        labels = set(raw.labels.get(column, {}))
        if not bad.any() and (values or labels) and values <= {0, 1} and labels <= {0, 1}:
            candidates.setdefault(column.rsplit("_", 1)[0], []).append(column)
    inferred = {}
    for prefix, columns in candidates.items():
        if len(columns) < 2:
            continue
        texts = [raw.questions.get(c, c) for c in columns]
        shared = os.path.commonprefix(texts)  # cut back to a " - " separator or a word end
        shared = shared[:shared.rfind(" - ")] if " - " in shared else shared[:shared.rfind(" ") + 1]
        inferred[prefix] = {c: strip_prefix(t, shared) if shared and t != shared else c
                            for c, t in zip(columns, texts)}
        raw.questions.setdefault(prefix, shared.strip())
    return inferred
