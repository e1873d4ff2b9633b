"""From coded selections to rows of the excerpt table, or to the list of what was not mapped.

A selection's codes map to themes of the interview codebook (by code, name or alias; a code
without a theme takes its nearest parent's). Municipality, organisation, level, role and
clearance come from the variables of the selection's cases, then its source, then the source's
cases; organisation and level may be read from the role label (``Kommunal taktiker``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.core.problems import InputError
from analysis.inputs import codebook, dataset
from analysis.inputs.dataset import LEVELS, ORGANISATIONS
from analysis.inputs.municipalities import Lookup
from analysis.inputs.qdpx.model import Cases, Code, Selection, fold_keys, lookup
from analysis.inputs.qdpx.names import display_name

_TRUE = {"true", "1", "ja", "j", "yes", "y"}
_FALSE = {"false", "0", "nej", "n", "no"}
_ORGANISATION_FROM_ROLE = {"helhedsplan": "helhedsplan", "boligorganisation": "boligorganisation",
                           "boligselskab": "boligorganisation", "kommun": "kommune"}
_LEVEL_FROM_ROLE = {"strateg": "strategisk", "taktik": "taktisk", "taktisk": "taktisk",
                    "udforende": "udførende", "udfoerende": "udførende"}


# ----------------------------------------------------------------------------- reference data


def load_themes(path: Path) -> dict[str, str]:
    """Index of folded theme code, name and alias → theme code, from the interview codebook."""
    index: dict[str, str] = {}
    for theme in codebook.load_themes(path).values():
        for label in (theme.code, theme.name, *theme.aliases):
            for key in fold_keys(label):
                if key:
                    index.setdefault(key, theme.code)
    return index


def load_kommuner(path: Path) -> Lookup:
    """The municipality register, read and checked as every input is."""
    frame, problems = dataset.load_kommuner(path)
    if problems:
        raise InputError(problems)
    return Lookup.of(frame)


# ----------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class Context:
    file_label: str
    codes: dict[str, Code]
    themes: dict[str, str]
    register: Lookup
    cases: Cases
    source_values: dict[str, dict[str, str]]


def _theme_of(guid: str, context: Context) -> tuple[str | None, bool]:
    """Theme of a code, walking up to the nearest parent with one; (theme, via_parent)."""
    current, via_parent, seen = guid, False, set()
    while current in context.codes and current not in seen:
        seen.add(current)
        theme = lookup(context.themes, context.codes[current].name)
        if theme:
            return theme, via_parent
        current, via_parent = context.codes[current].parent or "", True
    return None, False


def _attributes(selection: Selection, context: Context) -> tuple[dict[str, str], list[str]]:
    """Field values for a selection: its cases, then its source, then the source's cases."""
    layers = [context.cases.by_selection.get(selection.guid, []),
              [context.source_values.get(selection.source_guid, {})],
              context.cases.by_source.get(selection.source_guid, [])]
    values: dict[str, str] = {}
    notes = []
    for layer in layers:
        layer_values: dict[str, str] = {}
        for case_values in layer:
            for key, value in case_values.items():
                if key in layer_values and layer_values[key] != value:
                    notes.append(f"selection {selection.guid}: several cases give '{key}' "
                                 f"({layer_values[key]!r}, {value!r}); used the first")
                layer_values.setdefault(key, value)
        for key, value in layer_values.items():
            values.setdefault(key, value)
    return values, notes


def _choice(value: str, options: tuple[str, ...], synonyms: dict[str, str]) -> str | None:
    index = {key: option for option in options for key in fold_keys(option)}
    index.update({key: option for word, option in synonyms.items() for key in fold_keys(word)})
    return lookup(index, value)


def _from_role(role: str, keywords: dict[str, str]) -> str | None:
    folded = " ".join(sorted(fold_keys(role)))
    return next((value for word, value in keywords.items() if word in folded), None)


def _categorical(value: str | None, role: str, variable: str, options: tuple[str, ...],
                 synonyms: dict[str, str], from_role: dict[str, str]
                 ) -> tuple[str | None, str | None, str | None]:
    """(value, reason it is missing, what was inferred) for organisation or niveau; the role
    label tells when the variable is absent (``Kommunal taktiker`` → kommune, taktisk)."""
    allowed = ", ".join(options)
    if value:
        chosen = _choice(value, options, synonyms)
        return chosen, None if chosen else f"{variable} {value!r} is not one of {allowed}", None
    if not role:
        return None, None, None
    chosen = _from_role(role, from_role)
    if chosen is None:
        return None, f"no {variable} (variable '{variable.capitalize()}'), and the role label " \
                     "does not tell", None
    return chosen, None, f"{variable} '{chosen}'"


def _clearance(value: str | None) -> tuple[str, str | None]:
    if value is None:
        return "nej", None
    folded = value.strip().casefold()
    if folded in _TRUE:
        return "ja", None
    if folded in _FALSE:
        return "nej", None
    return "nej", f"clearance value {value!r} is not yes/no; read as 'nej'"


def _excerpt_fields(values: dict[str, str], context: Context
                    ) -> tuple[dict[str, str], list[str], list[str]]:
    """(fields, reasons it cannot be an excerpt, notes) from a selection's attribute values."""
    reasons, notes = [], []
    role = values.get("rolle", "").strip()
    if not role:
        reasons.append("no role label (variable 'Rolle' on its case or source)")
    kommune = values.get("kommune")
    code = context.register.find(kommune) if kommune else None
    if not kommune:
        reasons.append("no municipality (variable 'Kommune' on its case or source)")
    elif code is None:
        reasons.append(f"municipality {kommune!r} is not in the municipality register")
    organisation, reason, inferred_organisation = _categorical(
        values.get("organisation"), role, "organisation", ORGANISATIONS,
        {"kommunal": "kommune", "boligselskab": "boligorganisation"}, _ORGANISATION_FROM_ROLE)
    reasons += [reason] if reason else []
    level, reason, inferred_level = _categorical(
        values.get("niveau"), role, "niveau", LEVELS,
        {"strateg": "strategisk", "taktiker": "taktisk", "operationel": "udførende"},
        _LEVEL_FROM_ROLE)
    reasons += [reason] if reason else []
    inferred = [n for n in (inferred_organisation, inferred_level) if n]
    if inferred:
        notes.append(f"{' and '.join(inferred)} inferred from role label {role!r}")
    clearance, note = _clearance(values.get("clearance"))
    notes += [note] if note else []
    fields = {"kommunekode": code or "", "organisation": organisation or "", "niveau": level or "",
              "rolle": role, "maa_tilskrives_kommune": clearance}
    return fields, reasons, notes


# ----------------------------------------------------------------------------- rows


def _excerpt_id(henvisning: str, element: str) -> str:
    # Not analysis.core.hashing.short_id: the id is the key of an imported excerpt in
    # data/interviews/excerpts.csv, and the report orders the quotes it shows by it
    # (report/content/common.py), so another hash would reorder the quotes of every report
    # rendered from interviews imported before. SHA-1 here only names; it protects nothing.
    digest = hashlib.sha1(f"{element}|{henvisning}".encode("utf-8")).hexdigest()[:10]
    return f"imp-{digest}"


def _unique_ids(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: Counter[str] = Counter()
    for row in rows:
        seen[row["excerpt_id"]] += 1
        if seen[row["excerpt_id"]] > 1:
            row["excerpt_id"] = f"{row['excerpt_id']}-{seen[row['excerpt_id']]}"
    return rows


def rows(selections: list[Selection], context: Context, mask: Callable[[str], str]
         ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    """(excerpt rows, unmapped rows, warnings) for the selections of one project."""
    excerpts, unmapped, warnings = [], [], []
    unknown_codes: dict[str, str] = {}
    rolled_up: set[str] = set()
    for selection in selections:
        henvisning = ", ".join(p for p in (mask(display_name(context.file_label)),
                                           mask(selection.source_name),
                                           selection.where) if p)
        themes, code_names = [], []
        for guid in selection.code_guids:
            theme, via_parent = _theme_of(guid, context)
            code_names.append(context.codes[guid].name if guid in context.codes else guid)
            if theme is None:
                unknown_codes.setdefault(guid, code_names[-1])
            elif theme not in themes:
                themes.append(theme)
            if via_parent and guid not in rolled_up:
                rolled_up.add(guid)
                warnings.append(f"{context.file_label}: code '{code_names[-1]}' has no theme; "
                                f"used its parent's theme '{theme}'")
        values, notes = _attributes(selection, context)
        fields, reasons, field_notes = _excerpt_fields(values, context)
        warnings += [f"{context.file_label}: {n}" for n in notes + field_notes]
        if selection.non_text:
            reasons = []
        if selection.problem:
            reasons.insert(0, selection.problem)
        elif selection.text == "":
            reasons.insert(0, "the selected text is empty")
        if not selection.code_guids:
            reasons.append("selection has no code")
        elif not themes:
            reasons.append("none of its codes matches a theme in the interview codebook")
        text = mask(selection.text or "")
        if reasons:
            unmapped.append({"element": selection.element, "guid": selection.guid,
                             "henvisning": henvisning, "tekst": text,
                             "koder": mask(";".join(code_names)), "grund": "; ".join(reasons)})
            continue
        excerpts.append({"excerpt_id": _excerpt_id(henvisning, selection.element), "tekst": text,
                         **fields, "rolle": mask(fields["rolle"]), "temaer": ";".join(themes),
                         "kilde": "import", "henvisning": henvisning})
    for guid, name in unknown_codes.items():
        reason = ("code GUID is not defined in the project's or the .qdc codebook"
                  if guid not in context.codes else
                  "code matches no theme code, name or alias in the interview codebook")
        unmapped.append({"element": "Code", "guid": guid,
                         "henvisning": mask(display_name(context.file_label)), "tekst": "",
                         "koder": mask(name), "grund": reason})
    return _unique_ids(excerpts), unmapped, warnings
