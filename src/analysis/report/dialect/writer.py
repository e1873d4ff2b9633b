"""The marker writer: a markdown cell's text with the marker line its condition and tags call
for (see :mod:`analysis.report.dialect.marker`), used by ``python -m analysis.report.dialect``
and ``make lab``."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.report.dialect.cell import read
from analysis.report.dialect.marker import expression, role


def marked(source: str, tags: Iterable[str]) -> str:
    """A markdown cell's text with the marker its condition and tags call for: added after
    its opening comment lines, replaced when it disagrees, removed from a cell that is in
    every report. Nothing else in the text changes.

    >>> print(marked("% hvis: x\\nTekst", ["national"]))
    % hvis: x
    {eval}`r.med(hvis='x', tags='national')`
    <BLANKLINE>
    Tekst
    """
    cell = read(source)
    wanted = expression(cell.condition, tags)
    if cell.marker is not None and cell.marker.expression == wanted:
        return source
    lines = list(cell.parsed.lines)
    if cell.marker is not None:
        at = cell.marker.line
        del lines[at]
        if at < len(lines) and not lines[at].strip() and (
                at == 0 or lines[at - 1].lstrip().startswith("%") or not lines[at - 1].strip()):
            del lines[at]
    if wanted is not None:
        parsed = read("\n".join(lines)).parsed
        if parsed.first == "myst_line_comment":
            at = parsed.comments[0].first + len(parsed.comments[0].lines)
        else:
            at = parsed.blocks[0][1] if parsed.blocks else len(lines)
        insert = [role(wanted)]
        if at >= len(lines) or lines[at].strip():
            insert.append("")
        lines[at:at] = insert
    return "\n".join(lines)
