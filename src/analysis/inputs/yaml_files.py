"""Reading the YAML inputs: every way a YAML file can be unreadable is one problem."""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.core.problems import InputError, Problem


def _yaml_problem(path: Path, err: yaml.YAMLError) -> Problem:
    """One line for a YAML error: where (line, column) from its mark, what from ``err.problem``."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    what = getattr(err, "problem", None) or getattr(err, "reason", None) \
        or " ".join(str(err).split())
    row = mark.line + 1 if mark is not None else None
    column = str(mark.column + 1) if mark is not None else None
    return Problem(str(path), row, column, None, f"valid YAML ({' '.join(str(what).split())})")


def read_yaml(path: Path, required: bool = True) -> dict:
    """A YAML file whose top level is a mapping; every way it can be unreadable is a Problem.

    With ``required=False`` a missing (or empty) file reads as ``{}``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not required:
            return {}
        raise InputError([Problem(str(path), None, None, None, "the file to exist")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, None,
                                  "a YAML file (this is a folder)")]) from None
    except UnicodeDecodeError as err:
        raise InputError([Problem(str(path), None, None,
                                  f"byte 0x{err.object[err.start]:02x} at offset {err.start}",
                                  "text in UTF-8")]) from None
    except OSError as err:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a readable file ({err.strerror})")]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError([_yaml_problem(path, err)]) from None
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict):
        raise InputError([Problem(str(path), None, None, None, "a YAML mapping at the top")])
    return raw

