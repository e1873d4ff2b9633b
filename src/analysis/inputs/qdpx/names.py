"""Masking the names of persons, so that no name leaves the importer.

The names of the project's users and of interviewees (variable ``Interviewperson``) are
masked, as are person-like names found in source and case names (``Interview med Jens
Hansen``); a municipality's name is not a person's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NAME_MASK = "[navn]"
# Capitalised words that are part of a source or case name but not of a person's name.
NOT_NAME_WORDS = {"interview", "interviewet", "kommune", "kommunal", "case", "participant",
                  "deltager", "informant", "region", "boligorganisation", "helhedsplan",
                  "projekt", "gruppe", "fokusgruppe", "møde", "transskription", "transcript",
                  "noter", "notes", "runde", "del", "session", "strateg", "taktiker",
                  "medarbejder", "projektleder", "konsulent", "leder", "chef", "direktør"}
_WORD = r"[A-ZÆØÅÄÖÜÉ][a-zæøåäöüé]+(?:-[A-ZÆØÅÄÖÜÉ][a-zæøåäöüé]+)?"


def person_runs(name: str, is_municipality: Callable[[str], bool]) -> list[str]:
    """Person-like names inside a source or case name (``Interview med Jens Hansen``)."""
    found = []
    for run in re.findall(rf"{_WORD}(?: {_WORD})+", name):
        words = run.split(" ")
        current: list[str] = []
        for word in words + [""]:
            if word and word.casefold() not in NOT_NAME_WORDS:
                current.append(word)
                continue
            candidate = " ".join(current)
            if len(current) >= 2 and not is_municipality(candidate):
                found.append(candidate)
            current = []
    found += re.findall(rf"\b(?:med|with)\s+({_WORD})\b", name)
    return [f for f in found if f.casefold() not in NOT_NAME_WORDS and not is_municipality(f)]


def _name_pattern(full_names: set[str], given_names: set[str]) -> re.Pattern[str] | None:
    """One regex for whole-word names: full names any case, name parts when capitalised."""
    def alternatives(names: set[str]) -> str:
        ordered = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(p) for p in n.split()) for n in ordered)

    pieces = []
    if alternatives(full_names):
        pieces.append(f"(?i:{alternatives(full_names)})")
    if alternatives(given_names):
        pieces.append(alternatives(given_names))
    if not pieces:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(pieces)})(?:'s|'|s)?(?!\w)")


def masker(users: list[str], people: list[str], person_like: list[str]) -> Callable[[str], str]:
    """A function that replaces persons' names with :data:`NAME_MASK`.

    User names and interviewees' names are masked whole and, for name parts of three letters or
    more, part by part where the part is capitalised; names found in source and case names are
    masked whole.
    """
    full = {n for n in users + people + person_like if n and n.strip()}
    parts = {p for n in users + people for p in n.split()
             if len(p) >= 3 and p[:1].isupper() and p.casefold() not in NOT_NAME_WORDS}
    pattern = _name_pattern(full, parts)

    def mask(text: str) -> str:
        return pattern.sub(NAME_MASK, text) if pattern and text else text
    return mask


def display_name(name: str) -> str:
    """A source or project name without any directory part."""
    return re.split(r"[\\/]", name.strip())[-1] if name else ""
