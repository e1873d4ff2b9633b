"""How the survey codebook's per-question fields are read: each returns the field's value and
adds a :class:`Problem` for one that is not what the codebook format asks for (see
``data/survey/README.md``)."""

from __future__ import annotations

from analysis.core.problems import Problem

TODO = "TODO"  # what a drafted codebook writes where only the researcher knows the answer


def is_todo(value: object) -> bool:
    """True for a field a drafted codebook left for the researcher (``TODO …``)."""
    return isinstance(value, str) and value.strip().upper().startswith(TODO)


def flag(q: dict, key: str, default, file, where: str, problems: list, meaning: str):
    """The yes/no field ``key`` of question ``q`` (``default`` when absent, or wrong: then a
    problem says what was expected)."""
    flag = q.get(key, default)
    if flag is not default and not isinstance(flag, bool):
        problems.append(Problem(file, None, f"{where}.{key}", flag, f"true or false: {meaning}"))
        return default
    return flag


def sentence(q: dict, key: str, file, where: str, problems: list, meaning: str) -> str | None:
    """The optional text field ``key`` of question ``q``, stripped (None when absent, or not a
    non-empty text: then a problem says what was expected)."""
    value = q.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, None, f"{where}.{key}", value,
                                f"{meaning} (or leave the line out)"))
        return None
    return value.strip()


def groups_field(raw: object, file: str, where: str,
            problems: list[Problem]) -> dict[str, tuple[int, ...]]:
    """Named answer groups: name -> list of whole-number codes."""
    if raw is None or is_todo(raw):
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, where, raw, "a mapping of group name: [codes]"))
        return {}
    groups = {}
    for name, codes in raw.items():
        if is_todo(codes):
            continue
        values = codes if isinstance(codes, list | tuple) else [codes]
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in values):
            problems.append(Problem(file, None, f"{where}.{name}", codes,
                                    "a list of whole-number answer codes, e.g. [4, 5]"))
            continue
        groups[str(name)] = tuple(values)
    return groups


def options_field(raw: object, file: str, where: str,
             problems: list[Problem]) -> tuple[dict[str, str], dict[str, str]]:
    """(option column -> label, option column -> export variable) from ``options:``, whose
    values are a label or ``{label: …, column: <export variable>}``."""
    if not isinstance(raw, dict):
        return {}, {}
    labels, columns = {}, {}
    for option, value in raw.items():
        if isinstance(value, dict):
            labels[str(option)] = str(value.get("label") or option)
            if value.get("column") and not is_todo(value["column"]):
                columns[str(option)] = str(value["column"])
        else:
            labels[str(option)] = str(value)
    return labels, columns


def asked_if_field(raw: object, file: str, where: str,
              problems: list[Problem]) -> dict[str, tuple[int, ...]]:
    """Skip logic: question id -> the codes of it under which this question is asked."""
    if raw is None or is_todo(raw):
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, where, raw,
                                "a mapping of question id: [codes], e.g. {har_koordinator: [1]}"))
        return {}
    out = {}
    for other, codes in raw.items():
        if is_todo(codes):               # _todo_problems() names it
            continue
        values = codes if isinstance(codes, list | tuple) else [codes]
        if not values or not all(isinstance(c, int) and not isinstance(c, bool)
                                 for c in values):
            problems.append(Problem(file, None, f"{where}.{other}", codes,
                                    f"a list of whole-number answer codes of '{other}' under "
                                    "which this question is asked, e.g. [1]"))
            continue
        out[str(other)] = tuple(values)
    return out
