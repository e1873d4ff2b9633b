"""Rendering: executed notebooks → one document → HTML, PDF and the tables workbook.

The default engine is pandoc + typst (:mod:`.pandoc_typst`); Quarto (:mod:`.quarto`) is used
only where a ``quarto`` binary is installed.
"""

from analysis.render.assemble import Document, FigureEntry, TableEntry, assemble
from analysis.render.errors import RenderError
from analysis.render.pandoc_typst import write_html, write_pdf, write_report
from analysis.render.quarto import (QUARTO_TIMEOUT, quarto_available, quarto_command,
                                    render_with_quarto, write_quarto_source)
from analysis.render.xlsx import write_tables_xlsx

__all__ = [
    "Document", "FigureEntry", "RenderError", "TableEntry", "assemble", "quarto_available",
    "QUARTO_TIMEOUT", "quarto_command", "render_with_quarto", "write_html", "write_pdf",
    "write_quarto_source", "write_report",
    "write_tables_xlsx",
]
