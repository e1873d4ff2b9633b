"""The interview codebook (``data/interviews/codebook.yaml``): the themes excerpts are coded
with, and the role labels excerpts may carry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core.problems import InputError, Problem
from analysis.inputs.yaml_files import read_yaml


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    chapter: int
    aliases: tuple[str, ...] = ()


def _parse_themes(raw: dict, path: Path, problems: list[Problem]) -> dict[str, Theme]:
    from analysis.inputs.codebook_duplicates import theme_duplicates

    problems.extend(theme_duplicates(path))
    themes: dict[str, Theme] = {}
    if not isinstance(raw.get("themes"), list) or not raw["themes"]:
        problems.append(Problem(str(path), None, "themes", None,
                                "a list of themes (code, name, chapter)"))
    for i, t in enumerate(raw.get("themes") or []):
        missing = [k for k in ("code", "name") if not isinstance(t, dict) or not t.get(k)]
        if missing:
            problems += [Problem(str(path), None, f"themes[{i}].{k}", None,
                                 "a theme with code and name") for k in missing]
            continue
        if t["code"] in themes:   # theme_duplicates() says where both are
            continue
        chapter = t.get("chapter")
        if not isinstance(chapter, int) or not 1 <= chapter <= 6:
            problems.append(Problem(str(path), None, f"themes[{i}].chapter", chapter,
                                    "a chapter number 1-6"))
            continue
        themes[t["code"]] = Theme(code=t["code"], name=str(t["name"]), chapter=chapter,
                                  aliases=tuple(str(a) for a in t.get("aliases") or ()))
    return themes


def _parse_roles(raw: dict, path: Path, problems: list[Problem]) -> tuple[str, ...] | None:
    if "roles" not in raw:
        return None
    roles = raw["roles"]
    if not isinstance(roles, list) or not roles:
        problems.append(Problem(str(path), None, "roles", None,
                                "a list of the role labels excerpts may carry"))
        return None
    labels: list[str] = []
    for i, role in enumerate(roles):
        if not isinstance(role, str) or not role.strip():
            problems.append(Problem(str(path), None, f"roles[{i}]", role,
                                    "a role label (text such as 'Kommunal taktiker')"))
            continue
        labels.append(role.strip())
    return tuple(labels)


def load_interview_codebook(path: Path) -> tuple[dict[str, Theme], tuple[str, ...] | None]:
    """Read the interview codebook: (theme code -> Theme, allowed role labels).

    The role labels are None when the codebook has no ``roles:`` list (any label is accepted).
    Every problem in the file is reported at once.
    """
    raw = read_yaml(path)
    problems: list[Problem] = []
    themes = _parse_themes(raw, path, problems)
    roles = _parse_roles(raw, path, problems)
    if problems:
        raise InputError(problems)
    return themes, roles


def _parsed(path: Path, parse):
    """One part of the interview codebook, read by ``parse``; InputError with its problems."""
    problems: list[Problem] = []
    part = parse(read_yaml(path), path, problems)
    if problems:
        raise InputError(problems)
    return part


def load_themes(path: Path) -> dict[str, Theme]:
    """Read the interview codebook: theme code -> Theme."""
    return _parsed(path, _parse_themes)


def load_roles(path: Path) -> tuple[str, ...] | None:
    """The role labels an interview excerpt may carry (``roles:``), or None if not listed.

    ``rolle`` is printed verbatim in the reports, so a closed list keeps names out of them.
    """
    return _parsed(path, _parse_roles)
