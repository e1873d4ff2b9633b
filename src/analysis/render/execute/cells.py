"""What becomes of a notebook's cells: which report a cell belongs to, what the kernel
evaluates for a markdown cell, and the cell left out or resolved with the kernel's values."""

from __future__ import annotations

from analysis.report import inline

# Cell tags that limit a cell to some reports; the report in the kernel says which apply.
AUDIENCE_TAGS = frozenset({"national", "kommune", "kommune-svar", "kommune-ikke-svar"})


def markdown_expressions(markdown: str) -> list[str]:
    """What the kernel evaluates for a markdown cell: its ``{eval}`` expressions, then its
    ``% rang:`` value (a recommendation's weight, kept for the assembler) when it has one."""
    expressions = inline.expressions(markdown)
    rank = inline.rank(markdown)
    return expressions if rank is None else [*expressions, f"repr(float({rank}))"]


def leave_out(cell):
    cell.metadata.setdefault("rapport", {})["udeladt"] = cell.source
    cell.source = ""
    return cell


def resolve_markdown(nb, cell, answer: dict):
    """A markdown cell with its values from the kernel: pandoc markdown, its source kept in
    the cell's metadata, its ``% rang:`` value too."""
    expressions = inline.expressions(cell.source)
    values = {expr: inline.plain_text(text)
              for expr, text in zip(expressions, answer["values"])}
    if inline.rank(cell.source) is not None:   # evaluated last, with the cell's values
        cell.metadata.setdefault("rapport", {})["rang"] = float(
            inline.plain_text(answer["values"][len(expressions)]))
    tags = cell.metadata.get("tags", [])
    options = inline.Options(
        unnumbered=bool(nb.metadata.get("rapport", {}).get("unnumbered")),
        local=any(tag.startswith("kommune") for tag in tags))
    resolved = inline.resolve(cell.source, values, options)
    if "manchet" in tags:
        resolved = f"::: {{.manchet}}\n{resolved}\n:::"
    if resolved != cell.source:
        cell.metadata.setdefault("rapport", {})["kilde"] = cell.source
        cell.source = resolved
    return cell
