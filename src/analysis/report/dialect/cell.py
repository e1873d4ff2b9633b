"""What a markdown cell says to the renderer: its inline expressions, its condition, its rank.

* ``{eval}`expr``` is the value of a Python expression, evaluated in the notebook's kernel
  (jupyterlab-myst shows it while a researcher edits). Any number of backticks may enclose the
  expression, as for a code span: ``{eval}``f"{n}`"``` holds a backtick.
* ``% hvis: expr``, the cell's first line (a MyST comment), keeps the cell only in reports
  where ``expr`` is true.
* ``% rang: expr``, one of the comment lines that open the cell, places it among its
  neighbours: consecutive cells with a rank are shown in the order of their values (lowest
  first, equal values in notebook order).

Other comment lines are notes to the writer and never printed. A comment line that starts with
a word and a colon (``% ord: …``) is a directive line; ``hvis`` and ``rang`` are the only ones.

A cell that is not in every report carries a marker line for JupyterLab (see
:mod:`~analysis.report.dialect.marker`); the cell is read as if that line were blank, so the
report neither evaluates nor prints it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from analysis.report.dialect.marker import Marker, find, without
from analysis.report.dialect.myst import Parsed, parse

T = TypeVar("T")

EVAL = "eval"
CONDITION = "hvis"
RANK = "rang"
# What the roles and the ``%`` directive lines mean, as the guide lists them.
ROLES = {EVAL: "the value of a Python expression, evaluated in the notebook's kernel, as text"}
COMMENT_DIRECTIVES = {
    CONDITION: "the cell's first line: the cell is in a report only where the expression "
               "is true",
    RANK: "among the cell's opening comment lines: consecutive cells with a rank are shown "
          "in the order of their values, lowest first (equal values keep notebook order)",
}
# Where the executor keeps a markdown cell's rank, in the executed cell's report metadata.
RANK_KEY = "rang"


def comment_directive(text: str) -> tuple[str, str] | None:
    """A comment line's ``word: rest``, when it starts with one word and a colon.

    >>> comment_directive(" hvis:  r.m is not None ")
    ('hvis', 'r.m is not None')
    >>> comment_directive(" en note til forfatteren") is None
    True
    """
    word, sep, rest = text.strip().partition(":")
    if not sep or not word or not word.replace("-", "").isalpha():
        return None
    return word, rest.strip()


@dataclass(frozen=True)
class Cell:
    """A markdown cell as the renderer reads it (see the module docstring)."""

    parsed: Parsed
    expressions: tuple[str, ...]
    condition: str | None
    rank: str | None
    marker: Marker | None = None

    @property
    def evaluations(self) -> tuple[str, ...]:
        """What the kernel evaluates for the cell: its expressions, then its rank as a number
        (kept for the assembler) when it has one."""
        if self.rank is None:
            return self.expressions
        return (*self.expressions, f"repr(float({self.rank}))")

    @property
    def opening(self) -> tuple[str, ...]:
        """The comment lines that open the cell (their text after ``%``)."""
        return _opening(self.parsed)


def _opening(parsed: Parsed) -> tuple[str, ...]:
    return parsed.comments[0].lines if parsed.first == "myst_line_comment" else ()


@functools.lru_cache(maxsize=2048)
def read(markdown: str) -> Cell:
    """A markdown cell, read once per text (the same cells are read for every report); its
    marker line, if any, is read as a blank line."""
    parsed = parse(markdown)
    marker = find(parsed)
    if marker is not None:
        parsed = parse(without(parsed.lines, marker))
    expressions = tuple(dict.fromkeys(role.content.strip() for role in parsed.roles
                                      if role.name == EVAL))
    condition = rank = None
    for k, found in enumerate(comment_directive(line) for line in _opening(parsed)):
        if found is None or not found[1]:
            continue
        word, rest = found
        if word == CONDITION and k == 0:
            condition = rest
        elif word == RANK and rank is None:
            rank = rest
    return Cell(parsed, expressions, condition, rank, marker)


def warm(notebooks: Iterable[Path]) -> int:
    """Read every markdown cell of the notebooks into the cache, e.g. while a process waits
    for its kernel to start; the number of cells read."""
    count = 0
    for path in notebooks:
        for cell in json.loads(Path(path).read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") == "markdown":
                read(_text(cell.get("source", "")))
                count += 1
    return count


def expressions(markdown: str) -> list[str]:
    """The cell's ``{eval}`` expressions, in order, each once."""
    return list(read(markdown).expressions)


def condition(markdown: str) -> str | None:
    """The expression of the cell's ``% hvis:`` line, or None."""
    return read(markdown).condition


def rank(markdown: str) -> str | None:
    """The expression of the cell's ``% rang:`` line, or None."""
    return read(markdown).rank


def evaluations(markdown: str) -> list[str]:
    """What the kernel evaluates for a markdown cell (see :attr:`Cell.evaluations`)."""
    return list(read(markdown).evaluations)


def _text(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def rank_order(items: Sequence[T], rank_of: Callable[[T], float | None],
               left_out: Callable[[T], bool]) -> list[T]:
    """``items`` (a notebook's executed cells) with every run of consecutive ranked items
    sorted by rank, equal ranks in notebook order. Items left out of the report do not end a
    run (they stay after it)."""
    out: list[T] = []
    run: list[tuple[float, int, T]] = []
    held: list[T] = []                           # left-out items inside a run
    for item in items:
        value = rank_of(item)
        if value is not None:
            run.append((value, len(run), item))
        elif run and left_out(item):
            held.append(item)
        else:
            out += [c for _, _, c in sorted(run, key=lambda entry: entry[:2])] + held
            run, held = [], []
            out.append(item)
    out += [c for _, _, c in sorted(run, key=lambda entry: entry[:2])] + held
    return out
