"""Assemble executed chapter notebooks into one report document.

The assembler reads only what :mod:`analysis.report.present` puts into a notebook's outputs:
markdown cells are the narrative, and every display output's ``rapport`` metadata says what it
is (prose, quote, figure, table, title page). The markdown cells right after a figure or table
that :mod:`analysis.report.dialect` reads as its caption (``Figur:``/``Tabel:``) or, for a
figure, its description (``Beskrivelse:``, its alt text) go with it. Code, parameter cells and
stream output never reach the report. Figures and tables are numbered here, in document order,
so every output format shows the same "Figur N." and "Tabel N.". A figure's or table's id is the
label its caption cell gives it (``(fig-tid)=``), else the one its code gives it; a reference to
it, ``[figur %s](#fig-tid)``, gets its number here too (:mod:`analysis.render.references`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import nbformat

from analysis.report import dialect
from analysis.report.dialect.crossrefs import FIGURE_PREFIX, TABLE_PREFIX
from analysis.report.present import Table
from analysis.render.document import (  # noqa: F401  (the assembler's names, kept here)
    SOURCE_LABEL, Document, FigureEntry, TableEntry, figure_markdown, numbered_caption, slug,
    source_line, table_markdown)
from analysis.render.errors import RenderError
from analysis.render.notebook_items import (  # noqa: F401
    notebook_items, notebook_name, ranked_cells, with_captions)
from analysis.render.references import numbered

TITLE_FIELDS = ("title", "subtitle", "date", "notice", "publisher", "kommune")


def _table_from_meta(meta: Mapping[str, Any]) -> Table:
    return Table(ident=str(meta.get("id", "")), caption=str(meta.get("caption", "")),
                 source=str(meta.get("source", "")),
                 columns=tuple(str(c) for c in meta.get("columns", [])),
                 rows=tuple(tuple(str(v) for v in row) for row in meta.get("rows", [])),
                 notes=tuple(str(n) for n in meta.get("notes", [])))


def _figure_from_meta(meta: Mapping[str, Any], number: int) -> FigureEntry:
    return FigureEntry(ident=str(meta.get("id", f"{number}")), number=number,
                       caption=str(meta.get("caption", "")), alt=str(meta.get("alt", "")),
                       source=str(meta.get("source", "")), svg=meta["svg"],
                       target=str(meta.get("target") or ""))


def _title_metadata(meta: Mapping[str, Any]) -> dict[str, str]:
    return {key: str(meta[key]).strip() for key in TITLE_FIELDS
            if str(meta.get(key) or "").strip()}


def assemble(notebooks: Sequence[nbformat.NotebookNode]) -> Document:
    """Build one document from executed notebooks, in the order given.

    Parameters
    ----------
    notebooks
        Executed notebooks (papermill output), in report order.

    Returns
    -------
    Document
        Markdown body, title-page metadata, figures and tables numbered in document order.

    Raises
    ------
    RenderError
        If a notebook holds an error output, a figure lacks its SVG or its description, two
        figures or two tables share an id, or a reference names no figure or table of the
        report (:func:`analysis.render.references.numbered`).
    """
    items = [(name, kind, payload)
             for index, notebook in enumerate(notebooks)
             for name in (notebook_name(notebook, index),)
             for kind, payload in with_captions(notebook_items(notebook, name), name)]
    numbers = _numbers(items)
    blocks: list[str] = []
    metadata: dict[str, str] = {}
    figures: dict[str, FigureEntry] = {}
    tables: list[TableEntry] = []
    for name, kind, payload in items:
        if kind == "markdown":
            blocks.append(numbered(payload["text"], numbers, name))
        elif kind == "titlepage":
            notice = metadata.get("notice")
            metadata.update(_title_metadata(payload))
            if notice and "notice" in payload and "title" not in payload:
                metadata["notice"] = f"{notice} {metadata['notice']}"
        elif kind in ("figure", "table"):
            payload = {**payload, "caption": numbered(str(payload.get("caption", "")),
                                                      numbers, name)}
            if any("](#" in text or "\\]\\(\\#" in text
                   for text in payload.get("descriptions", ())):
                # a description that refers to a figure or table: its alt text with the number
                payload["alt"] = " ".join(
                    plain for text in payload["descriptions"]
                    if (plain := dialect.plain_text(numbered(text, numbers, name))))
            if kind == "figure":
                entry = _figure_from_meta(payload, len(figures) + 1)
                if entry.ident in figures:
                    first = figures[entry.ident].label.split(".")[0]
                    raise RenderError(f"{name}: {entry.label.split('.')[0]} has the id "
                                      f"'{entry.ident}' of {first}; give every figure its "
                                      "own id")
                figures[entry.ident] = entry
                blocks.append(figure_markdown(entry))
            else:
                entry = TableEntry(table=_table_from_meta(payload), number=len(tables) + 1,
                                   target=str(payload.get("target") or ""))
                tables.append(entry)
                blocks.append(table_markdown(entry))
    body = "\n\n".join(block for block in blocks if block) + "\n"
    return Document(body=body, metadata=metadata, figures=figures, tables=tuple(tables))


def _numbers(items: Sequence[tuple[str, str, dict[str, Any]]]) -> dict[str, int]:
    """The number of each figure and table, by its id (its anchor), in document order.

    Raises
    ------
    RenderError
        If two figures or tables share an id, or a label names a figure as a table.
    """
    numbers: dict[str, int] = {}
    anchors: dict[str, str] = {}
    counts = {"figure": 0, "table": 0}
    for name, kind, payload in items:
        if kind not in counts:
            continue
        counts[kind] += 1
        if kind == "figure":
            entry = _figure_from_meta({**payload, "svg": ""}, counts[kind])
        else:
            entry = TableEntry(table=_table_from_meta(payload), number=counts[kind],
                               target=str(payload.get("target") or ""))
        prefix = FIGURE_PREFIX if kind == "figure" else TABLE_PREFIX
        if not entry.anchor.startswith(prefix):
            raise RenderError(f"{name}: the label ({entry.anchor})= of "
                              f"{entry.label.split('.')[0]} must start with '{prefix}'")
        _claim_anchor(anchors, entry.anchor, entry.label, name)
        numbers[entry.anchor] = entry.number
    return numbers


def _claim_anchor(anchors: dict[str, str], anchor: str, label: str, name: str) -> None:
    """Record an anchor; two figures or tables with one id would share a file and an anchor."""
    if anchor in anchors:
        raise RenderError(f"{name}: id '{anchor}' of {label.split('.')[0]} is already used by "
                          f"{anchors[anchor].split('.')[0]}; give every figure and table its "
                          "own id")
    anchors[anchor] = label
