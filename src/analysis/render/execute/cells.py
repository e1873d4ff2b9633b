"""What becomes of a notebook's cells: which report a cell belongs to, what the kernel
evaluates for a markdown cell, and the cell left out or resolved with the kernel's values."""

from __future__ import annotations

from analysis.report import dialect, inline


def leave_out(cell):
    cell.metadata.setdefault("rapport", {})["udeladt"] = cell.source
    cell.source = ""
    return cell


def resolve_markdown(nb, cell, answer: dict):
    """A markdown cell with its values from the kernel: pandoc markdown, its source kept in
    the cell's metadata, its ``% rang:`` value too."""
    expressions = dialect.expressions(cell.source)
    values = {expr: inline.plain_text(text)
              for expr, text in zip(expressions, answer["values"])}
    if dialect.rank(cell.source) is not None:   # evaluated last, with the cell's values
        cell.metadata.setdefault("rapport", {})[dialect.RANK_KEY] = float(
            inline.plain_text(answer["values"][len(expressions)]))
    tags = cell.metadata.get("tags", [])
    options = inline.Options(
        unnumbered=bool(nb.metadata.get("rapport", {}).get("unnumbered")),
        local=dialect.is_local(tags))
    resolved = dialect.lead(inline.resolve(cell.source, values, options), tags)
    if resolved != cell.source:
        cell.metadata.setdefault("rapport", {})["kilde"] = cell.source
        cell.source = resolved
    return cell
