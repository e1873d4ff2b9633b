"""The notebooks the dialect's tests read (test_dialect.py, test_dialect_cells.py), and
notebooks made for a test."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def notebook_cells(kind: str = "markdown"):
    """``(name, cell)`` for every cell of ``kind`` in the notebooks."""
    for path in NOTEBOOKS:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == kind:
                yield f"{path.name}[{index}]", cell


def tagged_notebook(*cells, unnumbered=False):
    """A notebook of ``(kind, source, tags)`` cells."""
    made = []
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else
                nbformat.v4.new_markdown_cell)(source)
        cell.metadata["tags"] = list(tags)
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made, metadata={"rapport": {"unnumbered": unnumbered}})
