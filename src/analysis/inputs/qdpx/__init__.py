"""Coded interview excerpts from a REFI-QDA export (``.qdpx``, ``.qde``, ``.qdc``).

NVivo, ATLAS.ti, MAXQDA and QualCoder export a coded project as REFI-QDA: a zip (``.qdpx``) with
one XML project file and the source texts under ``sources/``. This module turns its coded text
selections into rows of the excerpt table (``kilde="import"``): the selected text, the themes its
codes map to in the interview codebook, and municipality, organisation, level, role and clearance
from the variables of its case or source.

The file comes from outside, so it is read defensively: zip members are read in memory only and
never extracted, unsafe member paths and bomb-like archives are rejected, and XML with a DTD is
refused before anything is read from it. Deviations from the REFI-QDA schema and the known vendor
quirks are tolerated and reported as warnings. Names of persons never leave the importer.

One module per step: :mod:`.archive` (zip limits and member paths), :mod:`.parsing` (safe XML,
the REFI-QDA schemas), :mod:`.model` (codes, variables, cases), :mod:`.selections` and
:mod:`.offsets` (the selected text), :mod:`.names` (masking persons' names) and :mod:`.mapping`
(themes, municipality and role: the excerpt table). This module puts them together.

Examples
--------
>>> result = import_qdpx(Path("projekt.qdpx"),
...                      theme_codebook=Path("data/interviews/codebook.yaml"),
...                      kommuner=Path("data/reference/kommuner.csv"))  # doctest: +SKIP
>>> result.excerpts[["excerpt_id", "kommunekode", "temaer"]]  # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core.files import atomic_write
from analysis.inputs.qdpx import mapping, model
from analysis.inputs.qdpx.archive import read_bare_xml, read_package
from analysis.inputs.qdpx.mapping import LEVELS, ORGANISATIONS
from analysis.inputs.qdpx.names import NAME_MASK, masker, person_runs
from analysis.inputs.qdpx.parsing import (CODEBOOK_XSD, PROJECT_XSD, parse_xml, schema_warnings,
                                          strip_namespaces)
from analysis.inputs.qdpx.selections import selections

__all__ = ["EXCERPT_COLUMNS", "UNMAPPED_COLUMNS", "ORGANISATIONS", "LEVELS", "NAME_MASK",
           "ImportResult", "import_qdpx", "read_qdc", "write_result"]

EXCERPT_COLUMNS = ["excerpt_id", "tekst", "kommunekode", "organisation", "niveau", "rolle",
                   "temaer", "kilde", "henvisning", "maa_tilskrives_kommune"]
UNMAPPED_COLUMNS = ["element", "guid", "henvisning", "tekst", "koder", "grund"]


@dataclass(frozen=True)
class ImportResult:
    """What an import produced.

    ``excerpts`` has :data:`EXCERPT_COLUMNS`; ``unmapped`` has :data:`UNMAPPED_COLUMNS`, one row
    per selection that did not become an excerpt and per code that matches no theme, with the
    reason in ``grund``; ``warnings`` are one line each.
    """

    excerpts: pd.DataFrame
    unmapped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def read_qdc(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Codes of a REFI-QDA codebook (``.qdc``), safely parsed.

    Returns
    -------
    codes : DataFrame
        Columns ``guid`` (normalised: no braces, lower case), ``name`` and ``parent_guid``.
    warnings : list of str
        Deviations from the REFI-QDA codebook schema.
    """
    root = parse_xml(read_bare_xml(path), str(path), "CodeBook")
    warnings = schema_warnings(root, CODEBOOK_XSD, path.name)
    codes = model.codes(strip_namespaces(root).find("Codes"))
    frame = pd.DataFrame([{"guid": g, "name": c.name, "parent_guid": c.parent or ""}
                          for g, c in codes.items()], columns=["guid", "name", "parent_guid"])
    return frame, warnings


def import_qdpx(path: Path, *, theme_codebook: Path, kommuner: Path, qdc: Path | None = None,
                out_dir: Path | None = None) -> ImportResult:
    """Coded excerpts from a REFI-QDA project (``.qdpx`` zip or bare ``.qde`` XML).

    Parameters
    ----------
    path
        The export. Read in memory; rejected with :class:`InputError` when unsafe.
    theme_codebook
        Interview codebook YAML (``themes: [{code, name, chapter, aliases}]``); code names map to
        themes by code, name or alias, case- and diacritic-insensitively.
    kommuner
        Municipality register CSV (``kommunekode, kommunenavn, …``).
    qdc
        Optional REFI-QDA codebook that supplies codes the project does not define.
    out_dir
        If given, ``excerpts.csv`` and ``unmapped.csv`` are written there atomically.

    Returns
    -------
    ImportResult
        Excerpts (``kilde="import"``), what could not be mapped and why, and warnings.
    """
    path = Path(path)
    label = path.name
    themes = mapping.load_themes(Path(theme_codebook))
    register = mapping.load_kommuner(Path(kommuner))
    package = read_package(path)
    root = parse_xml(package.xml, str(path), "Project")
    warnings = list(package.warnings) + schema_warnings(root, PROJECT_XSD, label)
    root = strip_namespaces(root)
    if (root.get("basePath") or "").strip():
        warnings.append(f"{label}: Project/@basePath (a local path) was dropped and not used")

    codes: dict[str, model.Code] = {}
    if qdc is not None:
        qdc_codes, qdc_warnings = read_qdc(Path(qdc))
        warnings += qdc_warnings
        codes = {r.guid: model.Code(r.name, r.parent_guid or None)
                 for r in qdc_codes.itertuples()}
    codes.update(model.codes(root.find("CodeBook/Codes")))

    variables = {model.guid(v.get("guid")): v.get("name") or "" for v in
                 root.iterfind("Variables/Variable")}
    cases = model.cases(root, variables)
    source_values = {model.guid(s.get("guid")): model.variable_values(s, variables)
                     for s in root.iterfind("Sources/*") if isinstance(s.tag, str)}
    context = mapping.Context(label, codes, themes, register, cases, source_values)

    users = [u.get("name") or "" for u in root.iterfind("Users/User")]
    people = [person for values in (*cases.values, *source_values.values())
              for person in re.split(r"[,;/&]|\s+og\s+|\s+and\s+",
                                     values.get("interviewperson", ""))]
    named = [s.get("name") or "" for s in root.iterfind("Sources/*") if isinstance(s.tag, str)]

    def is_municipality(name: str) -> bool:
        return register.find(name) is not None

    person_like = [run for name in named + cases.names + [label]
                   for run in person_runs(name, is_municipality)]
    mask = masker(users, people, person_like)

    found, selection_warnings = selections(root, package.texts, label)
    excerpt_rows, unmapped_rows, row_warnings = mapping.rows(found, context, mask)
    warnings = [mask(w) for w in dict.fromkeys(warnings + selection_warnings + row_warnings)]
    result = ImportResult(excerpts=pd.DataFrame(excerpt_rows, columns=EXCERPT_COLUMNS),
                          unmapped=pd.DataFrame(unmapped_rows, columns=UNMAPPED_COLUMNS),
                          warnings=warnings)
    if out_dir is not None:
        write_result(result, Path(out_dir))
    return result


def write_result(result: ImportResult, out_dir: Path) -> None:
    """Write ``excerpts.csv`` and ``unmapped.csv`` (UTF-8, comma) into ``out_dir`` atomically."""
    for name, frame in (("excerpts.csv", result.excerpts), ("unmapped.csv", result.unmapped)):
        atomic_write(out_dir / name, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
