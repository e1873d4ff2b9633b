"""The marker line: what JupyterLab shows of a cell that is not in every report.

A cell with a ``% hvis:`` condition or an audience tag (``national``, ``kommune``, …) carries,
right after its opening comment lines, a paragraph of its own that is one ``{eval}`` of
``r.med(...)``::

    % hvis: koord.by_size
    {eval}`r.med(hvis='koord.by_size')`

    Med så få kommuner kan forskellen ikke skelnes fra tilfældig variation.

In JupyterLab (jupyterlab-myst evaluates it with the cell's other values) it shows as a small
badge: whether the cell is in the report the kernel holds (the national one, or the
municipality's set in the parameters cell) and, when it is not, why. It is written from the
cell's own condition and tags, never by hand: :func:`marked` gives a cell's text with the right
marker (``python -m analysis.report.dialect notebooks/*.ipynb`` writes them all, and
``make lab`` does so before JupyterLab opens), and the dialect's check refuses a cell whose
marker is missing or disagrees with its condition or tags. The report never prints it: the
dialect reads a cell as if its marker line were blank.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.report.dialect.myst import Parsed
from analysis.report.dialect.tags import TAGS, audience

# The marker calls this method of the notebook's report (``r``), with keyword arguments only.
OWNER, METHOD = "r", "med"
CONDITION_ARGUMENT, TAGS_ARGUMENT = "hvis", "tags"
EVAL = "eval"


@dataclass(frozen=True)
class Marker:
    """A cell's marker: the expression as written, and its line in the cell."""

    expression: str
    line: int


def expression(condition: str | None, tags: Iterable[str]) -> str | None:
    """The marker expression of a cell with this ``% hvis:`` condition and these tags (their
    audience tags, in the order the dialect lists them); None for a cell in every report.

    >>> expression('raad.has("tillid")', ["kommune-svar", "manchet"])
    'r.med(hvis=\\'raad.has("tillid")\\', tags=\\'kommune-svar\\')'
    >>> expression(None, []) is None
    True
    """
    wanted = audience(tags)
    names = [name for name in TAGS if name in wanted]
    if condition is None and not names:
        return None
    arguments = []
    if condition is not None:
        arguments.append(f"{CONDITION_ARGUMENT}={condition.strip()!r}")
    if names:
        arguments.append(f"{TAGS_ARGUMENT}={' '.join(names)!r}")
    return f"{OWNER}.{METHOD}({', '.join(arguments)})"


def role(expression_: str) -> str:
    """The ``{eval}`` role of an expression, in as many backticks as it needs (one more than
    its longest run of them).

    >>> role("r.med(hvis='x')")
    "{eval}`r.med(hvis='x')`"
    """
    longest = max((len(run) for run in re.findall(r"`+", expression_)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if expression_.startswith("`") or expression_.endswith("`") else ""
    return f"{{{EVAL}}}{fence}{pad}{expression_}{pad}{fence}"


def is_marker_call(text: str) -> bool:
    """Whether an ``{eval}`` expression is a call of the marker (``r.med(...)``)."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return False
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == METHOD and isinstance(node.func.value, ast.Name)
            and node.func.value.id == OWNER)


def find(parsed: Parsed) -> Marker | None:
    """The cell's marker: the paragraph right after its opening comment lines (or its first
    block, without any), when that paragraph is one line holding nothing but an ``{eval}``
    of ``r.med(...)``."""
    blocks = list(parsed.blocks)
    if blocks and blocks[0][0] == "myst_line_comment":
        blocks = blocks[1:]
    if not blocks or blocks[0][0] != "paragraph":
        return None
    line = blocks[0][1]
    text = parsed.lines[line]
    roles = [r for r in parsed.roles if r.start[0] == line]
    if len(roles) != 1 or roles[0].name != EVAL or roles[0].end[0] != line:
        return None
    found = roles[0]
    if text[:found.start[1]].strip() or text[found.end[1]:].strip():
        return None
    if line + 1 < len(parsed.lines) and parsed.lines[line + 1].strip():
        return None                      # the paragraph goes on: no marker of its own
    if not is_marker_call(found.content):
        return None
    return Marker(found.content.strip(), line)


def without(lines: tuple[str, ...], marker: Marker) -> str:
    """The cell's text with its marker line blank (every other line where it was)."""
    return "\n".join("" if i == marker.line else line for i, line in enumerate(lines))
