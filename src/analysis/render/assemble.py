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

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nbformat

from analysis.report import dialect
from analysis.report.dialect import DESCRIPTION_LABEL, FIGURE_LABEL, TABLE_LABEL
from analysis.report.dialect.crossrefs import FIGURE_PREFIX, TABLE_PREFIX
from analysis.report.present import META_KEY, Table
from analysis.render.errors import RenderError
from analysis.render.references import numbered

TITLE_FIELDS = ("title", "subtitle", "date", "notice", "publisher", "kommune")
SOURCE_LABEL = "Kilde"


@dataclass(frozen=True)
class FigureEntry:
    """A numbered figure: its SVG and what the reader sees around it; ``target`` is the label
    its caption cell gives it (``fig-tid``), if any."""

    ident: str
    number: int
    caption: str
    alt: str
    source: str
    svg: str
    target: str = ""

    @property
    def anchor(self) -> str:
        """Deterministic id, used for the HTML anchor, the PDF label and the SVG file name:
        the caption cell's label, else the figure's own id."""
        return self.target or FIGURE_PREFIX + slug(self.ident.removeprefix(FIGURE_PREFIX))

    @property
    def filename(self) -> str:
        """File name of the SVG next to the document being rendered."""
        return self.anchor + ".svg"

    @property
    def label(self) -> str:
        """The caption as printed, e.g. ``Figur 3. Helhedsplaner pr. region``."""
        return numbered_caption(FIGURE_LABEL, self.number, self.caption)


@dataclass(frozen=True)
class TableEntry:
    """A numbered table (the presentation object, cells already formatted); ``target`` is the
    label its caption cell gives it (``tbl-regioner``), if any."""

    table: Table
    number: int
    target: str = ""

    @property
    def anchor(self) -> str:
        """Deterministic id for the HTML anchor and the PDF label: the caption cell's label,
        else the table's own id."""
        return self.target or TABLE_PREFIX + slug(self.table.ident.removeprefix(TABLE_PREFIX))

    @property
    def label(self) -> str:
        """The caption as printed, e.g. ``Tabel 2. Antal helhedsplaner``."""
        return numbered_caption(TABLE_LABEL, self.number, self.table.caption)


@dataclass(frozen=True)
class Document:
    """One report: pandoc-markdown body, title-page metadata, numbered figures and tables.

    ``figures`` maps a figure's id to its entry; ``tables`` are in document order.
    """

    body: str
    metadata: dict[str, str] = field(default_factory=dict)
    figures: dict[str, FigureEntry] = field(default_factory=dict)
    tables: tuple[TableEntry, ...] = ()


def slug(text: str) -> str:
    """ASCII identifier from free text: letters, digits, ``-`` and ``_`` only.

    >>> slug("Køge fig 1")
    'K-ge-fig-1'
    """
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return cleaned or "x"


def numbered_caption(label: str, number: int, caption: str) -> str:
    """``Figur 1. Caption``; just ``Figur 1.`` when there is no caption."""
    caption = caption.strip()
    return f"{label} {number}. {caption}" if caption else f"{label} {number}."


def source_line(source: str) -> str:
    """The line under a figure or table naming its source (``Kilde: …``).

    A source that already names itself anywhere (``N = 38. Kilde: Spørgeskemaet``) is kept
    as written, so the reader never sees "Kilde: N = 38. Kilde: …".

    >>> source_line("Spørgeskemaet")
    'Kilde: Spørgeskemaet'
    >>> source_line("N = 38. Kilde: Spørgeskemaet.")
    'N = 38. Kilde: Spørgeskemaet.'
    """
    source = source.strip()
    if (not source or source.lower().startswith(SOURCE_LABEL.lower())
            or re.search(rf"\b{SOURCE_LABEL}r?\s*:", source, re.IGNORECASE)):
        return source
    return f"{SOURCE_LABEL}: {source}"


def notebook_name(notebook: nbformat.NotebookNode, index: int) -> str:
    """A name for error messages: papermill's input path, else the position."""
    papermill = notebook.get("metadata", {}).get("papermill", {})
    return str(papermill.get("input_path") or papermill.get("output_path")
               or f"notebook {index + 1}")


def _text(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _error_message(output: Mapping[str, Any], name: str) -> str:
    ename = output.get("ename") or "Error"
    evalue = str(output.get("evalue") or "").strip()
    return f"{name} failed: {ename}: {evalue}" if evalue else f"{name} failed: {ename}"


def _rank(cell: Mapping[str, Any]) -> float | None:
    if cell.get("cell_type") != "markdown":
        return None
    return cell.get("metadata", {}).get(META_KEY, {}).get(dialect.RANK_KEY)


def _left_out(cell: Mapping[str, Any]) -> bool:
    return cell.get("cell_type") == "markdown" and not _text(cell.get("source", "")).strip()


def ranked_cells(cells: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The cells in the order the dialect's ``% rang:`` gives them (see
    :func:`analysis.report.dialect.rank_order`)."""
    return dialect.rank_order(cells, _rank, _left_out)


def _notebook_items(notebook: nbformat.NotebookNode,
                    name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(kind, payload)`` for every piece of a notebook that reaches the report."""
    for cell in ranked_cells(notebook.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            text = _text(cell.get("source", "")).strip()
            if text and dialect.is_title_page(cell.get("metadata", {}).get("tags", [])):
                yield "titlepage", {"notice": text}
            elif text:
                yield "markdown", {"text": text}
            continue
        if cell.get("cell_type") != "code" or dialect.is_parameters(
                cell.get("metadata", {}).get("tags", [])):
            continue
        for output in cell.get("outputs", []):
            yield from _output_items(output, name)


def _output_items(output: Mapping[str, Any],
                  name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    kind = output.get("output_type")
    if kind == "error":
        raise RenderError(_error_message(output, name))
    if kind not in ("display_data", "execute_result"):
        return
    data = output.get("data", {})
    meta = output.get("metadata", {}).get(META_KEY)
    rapport_kind = meta.get("kind") if isinstance(meta, Mapping) else None
    if rapport_kind == "figure":
        if "image/svg+xml" not in data:
            raise RenderError(f"{name}: figure '{meta.get('id')}' has no SVG output")
        yield "figure", {**meta, "svg": _text(data["image/svg+xml"])}
    elif rapport_kind in ("table", "titlepage"):
        yield rapport_kind, dict(meta)
    elif "text/markdown" in data:
        yield "markdown", {"text": _text(data["text/markdown"]).strip()}


@dataclass
class _Pending:
    """A figure or table waiting for the caption and description cells that follow it."""

    kind: str
    payload: dict[str, Any]
    captioned: bool = False
    descriptions: list[dialect.Caption] = field(default_factory=list)

    def done(self, name: str) -> tuple[str, dict[str, Any]]:
        if self.kind == "figure":
            alt = " ".join(found.plain for found in self.descriptions if found.plain)
            if not alt:
                raise RenderError(
                    f"{name}: figure '{self.payload.get('id')}' has no description: every "
                    f"figure needs a markdown cell '{DESCRIPTION_LABEL}: …' next to its "
                    f"'{FIGURE_LABEL}:' cell, saying what it shows (its alt text)")
            self.payload["alt"] = alt
            self.payload["descriptions"] = [found.text for found in self.descriptions]
        return self.kind, self.payload


def _with_captions(items: Iterator[tuple[str, dict[str, Any]]], name: str = "notebook"
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Attach to each figure or table the markdown cells right after it that describe it:
    its ``Figur: …``/``Tabel: …`` caption, and for a figure its ``Beskrivelse: …`` cells
    (before or after the caption), joined as its alt text. A caption's label, ``(fig-tid)=``,
    becomes the figure's ``target`` (its id in the report).

    Raises
    ------
    RenderError
        If a figure has no description, a description follows no figure, or a labelled
        caption follows no figure or table.
    """
    pending: _Pending | None = None
    for kind, payload in items:
        if kind == "markdown":
            found = dialect.caption(payload["text"])
            if found is not None and found.kind == "description":
                if pending is None or pending.kind != "figure":
                    raise RenderError(
                        f"{name}: a '{DESCRIPTION_LABEL}:' cell must follow a figure (or its "
                        f"'{FIGURE_LABEL}:' cell): "
                        f"{' '.join(payload['text'].split())[:80]!r}")
                pending.descriptions.append(found)
                continue
            if (found is not None and pending is not None and found.kind == pending.kind
                    and not pending.captioned):
                pending.payload["caption"] = found.line
                pending.payload["target"] = found.target or ""
                pending.captioned = True
                continue
            if found is not None and found.target:
                raise RenderError(
                    f"{name}: the caption cell labelled ({found.target})= follows no "
                    f"{found.kind} in this report: it comes right after the cell that draws "
                    f"the {found.kind}, and is in the same reports: "
                    f"{' '.join(payload['text'].split())[:80]!r}")
        if pending is not None:
            yield pending.done(name)
            pending = None
        if kind in ("figure", "table"):
            pending = _Pending(kind, dict(payload))
        else:
            yield kind, payload
    if pending is not None:
        yield pending.done(name)


def _escape_brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _escape_attribute(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def figure_markdown(entry: FigureEntry, *, caption: str | None = None,
                    alt_attribute: str = "alt") -> str:
    """Pandoc markdown for a figure: image with caption and alt text, then its source.

    The figure and its source line are wrapped in a ``.figur`` div so that both writers can
    keep them together. ``caption`` replaces the numbered label (Quarto numbers figures
    itself) and ``alt_attribute`` names the attribute the alt text goes in.
    """
    label = entry.label if caption is None else caption
    image = (f"![{_escape_brackets(label)}]({entry.filename})"
             f'{{#{entry.anchor} {alt_attribute}="{_escape_attribute(entry.alt)}"}}')
    parts = [":::: {.figur}", image]
    if entry.source.strip():
        parts.append("::: {.kilde}\n" + source_line(entry.source) + "\n:::")
    parts.append("::::")
    return "\n\n".join(parts)


def table_markdown(entry: TableEntry) -> str:
    """Pandoc markdown for a table: pipe table, ``: caption``, source line and notes."""
    table = entry.table
    caption = f": {entry.label.replace(chr(10), ' ')} {{#{entry.anchor}}}"
    parts = [":::: {.tabel}", table.markdown() + "\n\n" + caption]
    if table.source.strip():
        parts.append("::: {.kilde}\n" + source_line(table.source) + "\n:::")
    parts.extend("::: {.note}\n" + note.strip() + "\n:::" for note in table.notes if note.strip())
    parts.append("::::")
    return "\n\n".join(parts)


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
             for kind, payload in _with_captions(_notebook_items(notebook, name), name)]
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
