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
from pathlib import Path

import nbformat

from analysis.report.dialect.writer import marked


def mark(path: Path, write: bool = True) -> int:
    """Write the markers of one notebook (in the repository's format: nbformat's, with a
    final newline); the number of cells changed."""
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        new = marked(cell.source, cell.metadata.get("tags", []))
        if new != cell.source:
            cell.source, changed = new, changed + 1
    if changed and write:
        tmp = path.with_name(path.name + ".tmp-markers")
        tmp.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    return changed


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
        changed = mark(path, write=not args.check)
        if changed:
            verb = "would change" if args.check else "changed"
            print(f"{path}: {verb} the marker of {changed} cell{'s' if changed > 1 else ''}")
            pending += changed
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
