"""The parts of a REFI-QDA project the import uses: codes, variables, cases and selections.

Labels are compared case- and diacritic-insensitively (:func:`fold_keys`), GUIDs without braces
and in lower case (:func:`guid`), so the vendors' spellings read alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

# Variable names (folded, see fold_keys) that carry each field of the excerpt table.
FIELD_VARIABLES = {
    "kommune": {"kommune", "kommunekode", "kommunenavn", "kommune kode", "municipality"},
    "organisation": {"organisation", "organization", "organisationstype"},
    "niveau": {"niveau", "level", "ledelsesniveau"},
    "rolle": {"rolle", "role"},
    "clearance": {"maa tilskrives kommune", "ma tilskrives kommune", "clearance",
                  "maa tilskrives", "ma tilskrives"},
    "interviewperson": {"interviewperson", "interviewee", "informant", "respondent"},
}


def guid(value: str | None) -> str:
    """A GUID without braces and in lower case (``{ABC-…}`` → ``abc-…``)."""
    return (value or "").strip().strip("{}").strip().lower()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_keys(text: str) -> set[str]:
    """Case- and diacritic-insensitive keys of a label (``Fælles mål`` ~ ``faelles maal``)."""
    base = " ".join(re.split(r"[\s_\-]+", str(text).casefold().strip())).strip()
    danish = base.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    plain = base.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return {_strip_marks(danish), _strip_marks(plain)}


def lookup(index: dict[str, str], label: str) -> str | None:
    """The value of the first folded key of ``label`` found in ``index``."""
    for key in sorted(fold_keys(label)):
        if key in index:
            return index[key]
    return None


def field_of(variable_name: str) -> str | None:
    """The excerpt field a variable carries (``Må tilskrives kommune`` → ``clearance``)."""
    keys = fold_keys(variable_name)
    for name, variables in FIELD_VARIABLES.items():
        if keys & variables:
            return name
    return None


@dataclass(frozen=True)
class Code:
    name: str
    parent: str | None


def codes(codes_parent: etree._Element | None) -> dict[str, Code]:
    """Every code under a ``Codes`` element, nested ones with their parent."""
    found: dict[str, Code] = {}

    def walk(element: etree._Element, parent: str | None) -> None:
        for code in element.findall("Code"):
            key = guid(code.get("guid"))
            found[key] = Code(name=code.get("name") or "", parent=parent)
            walk(code, key)

    if codes_parent is not None:
        walk(codes_parent, None)
    return found


def _value_text(value_element: etree._Element) -> str:
    for child in value_element:
        if isinstance(child.tag, str) and child.tag.endswith("Value"):
            return (child.text or "").strip()
    return ""


def variable_values(element: etree._Element, variables: dict[str, str]) -> dict[str, str]:
    """Field → value from the ``VariableValue`` children of a case or source."""
    values: dict[str, str] = {}
    for value in element.findall("VariableValue"):
        ref = value.find("VariableRef")
        name = variables.get(guid(ref.get("targetGUID")) if ref is not None else "")
        field_name = field_of(name) if name else None
        text = _value_text(value)
        if field_name and text:
            values.setdefault(field_name, text)
    return values


@dataclass(frozen=True)
class Cases:
    by_selection: dict[str, list[dict[str, str]]]
    by_source: dict[str, list[dict[str, str]]]
    names: list[str]
    values: list[dict[str, str]]


def cases(root: etree._Element, variables: dict[str, str]) -> Cases:
    """The field values of every case, by the selections and sources it refers to."""
    by_selection: dict[str, list[dict[str, str]]] = {}
    by_source: dict[str, list[dict[str, str]]] = {}
    names, all_values = [], []
    for case in root.iterfind("Cases/Case"):
        values = variable_values(case, variables)
        names.append(case.get("name") or "")
        all_values.append(values)
        for ref in case.findall("SelectionRef"):
            by_selection.setdefault(guid(ref.get("targetGUID")), []).append(values)
        for ref in case.findall("SourceRef"):
            by_source.setdefault(guid(ref.get("targetGUID")), []).append(values)
    return Cases(by_selection=by_selection, by_source=by_source, names=names, values=all_values)


@dataclass(frozen=True)
class Selection:
    """One selection of a source: its text, or why it has none."""

    element: str
    guid: str
    source_guid: str
    source_name: str
    where: str
    code_guids: tuple[str, ...]
    text: str | None = None
    problem: str | None = None
    non_text: bool = False


def code_refs(selection: etree._Element) -> tuple[str, ...]:
    """The GUIDs of the codes a selection is coded with."""
    return tuple(guid(ref.get("targetGUID")) for ref in selection.iterfind("Coding/CodeRef"))
