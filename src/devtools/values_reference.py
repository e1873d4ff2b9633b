"""Write ``docs/values.md``: every value the notebooks can use, chapter by chapter, from the code.

    python -m devtools.values_reference            # write docs/values.md
    python -m devtools.values_reference --check    # exit 1 when docs/values.md is out of date

What each value means and what it counts come from the content dataclasses
(``value(doc, base)`` on each field, docstrings on properties and methods: see
``analysis.report.content.values``); which values a chapter has comes from its notebook's code
cells (``name = module.function(r, …)``); the examples are computed on the shipped data, for the
national report and for Køge. ``tests/test_values_reference.py`` fails when the committed file
and this output differ, so the reference cannot go stale.

The notebooks are read by :mod:`devtools.values_chapters`; the tables are written by
:mod:`devtools.values_tables`, which holds what the examples are called with and the
expressions shown for the report ``r``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import os
import sys

from analysis.core import settings
from devtools.values_chapters import (  # noqa: F401  (the reference's names, kept here)
    DATA, KOMMUNE, NOTEBOOKS, Chapter, chapters)
from devtools.values_tables import (COMPARISON, _building_blocks, _doc,  # noqa: F401
                                    _groups_section, _is_content, _nested, _report_section,
                                    _table)

ROOT = settings.PROJECT_ROOT
TARGET = ROOT / "docs" / "values.md"
COMMAND = "python -m devtools.values_reference"


@contextlib.contextmanager
def _fixed_date():
    """Dates in the examples do not depend on the day the reference is written."""
    before = os.environ.get(settings.EPOCH_ENV)
    os.environ[settings.EPOCH_ENV] = str(settings.DEFAULT_EPOCH)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(settings.EPOCH_ENV, None)
        else:
            os.environ[settings.EPOCH_ENV] = before


def render() -> str:
    """The text of docs/values.md."""
    with _fixed_date():
        parts = chapters()
        out = ["# Values the notebooks can use", "",
               f"<!-- Written by `{COMMAND}` from the code; do not edit by hand "
               "(tests/test_values_reference.py fails when this file and the code differ). -->",
               "",
               "Every value a notebook's prose can print, chapter by chapter: what it means, what "
               "it counts (its base: the municipalities a number is of), and what it prints in "
               f"the national report and in {KOMMUNE}'s, from the shipped data. The same texts "
               "are in `help()`: `help(koord)` in a notebook lists each value with what it is "
               "now, and a share's repr names its base (`37 af 41 kommuner med et gyldigt svar "
               "på, om de har en koordinator`). A value is `None` where disclosure control "
               "suppresses it, `–` here where it has none in that report. How to use them: "
               "[notebooks.md](notebooks.md).", ""]
        out += _report_section(parts[0])
        out += _groups_section()
        found: dict[type, tuple[str, dict[str, object]]] = {}
        seen: dict[str, str] = {}
        for chapter in parts:
            out += [f"## {chapter.notebook}: {chapter.title}", ""]
            for var, code in chapter.names:
                objects = {report: values.get(var) for report, values in chapter.values.items()}
                sample = next((v for v in objects.values() if v is not None), None)
                if var == "r" or not _is_content(type(sample)):
                    continue
                cls = type(sample)
                if seen.get(var) == code:
                    out += [f"`{var} = {code}`: as in {_where(var, parts)} above.", ""]
                    continue
                seen[var] = code
                doc = " ".join(inspect.cleandoc(cls.__dict__.get("_docstring") or "").split())
                out += [f"### `{var} = {code}`", "", f"{cls.__name__}: {_doc(doc)}", ""]
                out += _table(var, objects, cls)
                out.append("")
                _nested(cls, var, objects, found)
            if chapter.shown:
                out += ["Shown by code cells (tables, figures, quotes):", ""]
                for call in chapter.shown:
                    shown = call if len(call) <= 60 else call[:call.index("(")] + "(r, …)"
                    out.append(f"- `{shown}`: {_doc(_first_sentence(call, chapter))}")
                out.append("")
        out += _building_blocks(found)
    return "\n".join(out).rstrip() + "\n"


def _where(var: str, parts: list[Chapter]) -> str:
    return next(c.notebook for c in parts if any(v == var for v, _ in c.names))


def _first_sentence(call: str, chapter: Chapter) -> str:
    """The first sentence of the docstring of the function a displayed call calls."""
    function = ast.parse(call, mode="eval").body.func
    try:
        target = eval(ast.unparse(function), chapter.values["national"])
    except Exception:
        return ""
    doc = " ".join((inspect.getdoc(target) or "").split())
    return doc.split(". ")[0].rstrip(".") + "." if doc else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/values.md differs from what the code gives")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
