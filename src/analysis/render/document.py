"""The assembled report: its numbered figures and tables (:class:`FigureEntry`,
:class:`TableEntry`), the :class:`Document` that holds them with the pandoc-markdown body and
the title-page fields, and the markdown each figure and table is written as
(:func:`figure_markdown`, :func:`table_markdown`), which both engines read.

The assembler (:mod:`analysis.render.assemble`) builds the document; its names are also
found there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.report.dialect import FIGURE_LABEL, TABLE_LABEL
from analysis.report.dialect.crossrefs import FIGURE_PREFIX, TABLE_PREFIX
from analysis.report.present import Table

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
