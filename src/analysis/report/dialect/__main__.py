"""``python -m analysis.report.dialect NOTEBOOK ...``: write every cell's marker line anew.

Each markdown cell that is not in every report gets the marker its ``% hvis:`` line and tags
call for (see :mod:`analysis.report.dialect.marker`); a marker that disagrees is replaced, one
on a cell in every report removed. Nothing else in a notebook changes, and a notebook with
nothing to change is not written. ``--check`` writes nothing and exits with 1 when a marker
would change. ``make lab`` runs this before JupyterLab opens.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import nbformat

from analysis.report.dialect.cell import read
from analysis.report.dialect.writer import marked

# What happened to a cell's marker: a new one, a replaced one, one taken away.
WROTE, CHANGED, REMOVED = "wrote", "changed", "removed"


def _what(before: str, after: str) -> str:
    had, has = read(before).marker is not None, read(after).marker is not None
    return WROTE if has and not had else REMOVED if had and not has else CHANGED


def mark(path: Path, write: bool = True) -> Counter:
    """Write the markers of one notebook (in the repository's format: nbformat's, with a
    final newline); how many cells got a new marker (``wrote``), a changed one (``changed``)
    and lost theirs (``removed``)."""
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    done: Counter = Counter()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        new = marked(cell.source, cell.metadata.get("tags", []))
        if new != cell.source:
            done[_what(cell.source, new)] += 1
            cell.source = new
    if done and write:
        tmp = path.with_name(path.name + ".tmp-markers")
        tmp.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    return done


def _cells(n: int) -> str:
    return f"{n} cell{'s' if n != 1 else ''}"


def summary(done: Counter, check: bool = False) -> str:
    """``wrote the marker of 1 cell, changed the marker of 2 cells``; with ``check``: what
    would be done."""
    verbs = {WROTE: ("would write", "wrote"), CHANGED: ("would change", "changed"),
             REMOVED: ("would remove", "removed")}
    return ", ".join(f"{verbs[kind][0 if check else 1]} the marker of {_cells(done[kind])}"
                     for kind in (WROTE, CHANGED, REMOVED) if done[kind])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.report.dialect",
                                     description="Write the marker line of every cell that is "
                                                 "not in every report.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit with 1 when a marker would change")
    args = parser.parse_args(argv)
    pending = 0
    for path in args.notebooks:
        done = mark(path, write=not args.check)
        if done:
            print(f"{path}: {summary(done, args.check)}")
            pending += sum(done.values())
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
