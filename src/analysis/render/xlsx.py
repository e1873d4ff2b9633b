"""Every table of a report in one workbook (``tabeller.xlsx``), one sheet per table.

Cells hold what the report shows. A cell that reads as a Danish number ("1.234", "63,6 %")
becomes a number with a matching format so researchers can compute with it; every other cell
is a literal string, never a formula, even when it starts with ``=``, ``+``, ``-`` or ``@``.
The bytes are reproducible: fixed document dates and fixed zip entry dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from analysis.report import danish
from analysis.core.files import atomic_write
from analysis.core.settings import fixed_datetime
from analysis.render.assemble import Document, TableEntry, numbered_caption, source_line

SHEET_LABEL = "Tabel"
EMPTY_SHEET_TEXT = "Rapporten indeholder ingen tabeller."
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_NUMBER = re.compile(r"^(?P<sign>[-−]?)(?P<int>0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)"
                     r"(?:,(?P<dec>\d+))?(?P<pct>[ \u00a0\u202f]?%)?$")


def parse_danish_number(text: str) -> tuple[float | int, str] | None:
    """Value and Excel number format of a Danish-formatted number, else None.

    >>> parse_danish_number("1.234")
    (1234, '#,##0')
    >>> parse_danish_number("63,6 %")
    (0.636, '0.0%')
    >>> parse_danish_number("0101") is None
    True
    """
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    digits = match["int"].replace(".", "")
    decimals = match["dec"] or ""
    sign = -1 if match["sign"] else 1
    places = "." + "0" * len(decimals) if decimals else ""
    if match["pct"]:
        value = sign * float(f"{digits}.{decimals or 0}") / 100
        return round(value, len(decimals) + 2), f"0{places}%"
    if decimals:
        return sign * float(f"{digits}.{decimals}"), f"#,##0{places}"
    return sign * int(digits), "#,##0"


def set_text(cell: Cell, text: str) -> Cell:
    """Store ``text`` as a literal string: openpyxl would make ``=…`` a formula."""
    cell.value = text
    cell.data_type = "s"
    return cell


def set_value(cell: Cell, text: str) -> Cell:
    """Store a table cell: a Danish number as a number, anything else as literal text."""
    parsed = parse_danish_number(text)
    if parsed is None:
        return set_text(cell, text)
    cell.value, cell.number_format = parsed
    return cell


def sheet_title(entry: TableEntry) -> str:
    """``Tabel N`` (Excel limits sheet names to 31 characters; this always fits)."""
    return f"{SHEET_LABEL} {entry.number}"


def fill_sheet(sheet, entry: TableEntry) -> None:
    """Caption and source above, header row, body rows, notes below."""
    table = entry.table
    bold = Font(bold=True)
    set_text(sheet.cell(row=1, column=1), numbered_caption(SHEET_LABEL, entry.number,
                                                           table.caption)).font = bold
    set_text(sheet.cell(row=2, column=1), source_line(table.source))
    header_row = 4
    for col, name in enumerate(table.columns, start=1):
        set_text(sheet.cell(row=header_row, column=col), name).font = bold
    for r, row in enumerate(table.rows, start=header_row + 1):
        for col, value in enumerate(row, start=1):
            set_value(sheet.cell(row=r, column=col), value)
    notes_row = header_row + len(table.rows) + 2
    for offset, note in enumerate(table.notes):
        set_text(sheet.cell(row=notes_row + offset, column=1), note)
    for col, name in enumerate(table.columns, start=1):
        width = max([len(name), *(len(row[col - 1]) for row in table.rows if len(row) >= col)])
        sheet.column_dimensions[sheet.cell(row=header_row, column=col).column_letter].width = \
            min(max(width + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def build_workbook(doc: Document) -> Workbook:
    """A workbook with one sheet per table, in document order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for entry in doc.tables:
        fill_sheet(workbook.create_sheet(sheet_title(entry)), entry)
    if not doc.tables:
        set_text(workbook.create_sheet(SHEET_LABEL).cell(row=1, column=1), EMPTY_SHEET_TEXT)
    stamp = fixed_datetime()
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = doc.metadata.get("publisher") or danish.TITLE
    workbook.properties.title = doc.metadata.get("title")
    workbook.properties.language = "da-DK"
    return workbook


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates and attributes, keeping entry order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(workbook: Workbook) -> bytes:
    """Serialise without openpyxl stamping "now" as the modified date, then fix zip dates
    (and compress: the first archive is stored, as it is read back at once)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    return _normalise_zip(buffer.getvalue())


def write_tables_xlsx(doc: Document, out_path: Path) -> Path:
    """Write every table of ``doc`` to an xlsx file, atomically and reproducibly."""
    return atomic_write(Path(out_path), workbook_bytes(build_workbook(doc)))
