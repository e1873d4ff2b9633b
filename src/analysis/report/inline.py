"""From a notebook's MyST markdown to the pandoc markdown the renderers read.

Researchers write the report's prose in markdown cells, in the MyST dialect that
jupyterlab-myst shows while they edit; :mod:`analysis.report.dialect` reads it (inline
``{eval}`` expressions, ``% hvis:`` conditions, ``% rang:`` ranks, boxes, headings).

When a report is rendered, the executor asks the kernel for every expression (the same
``user_expressions`` request jupyterlab-myst sends) and calls :func:`resolve` with the answers.
The result is plain pandoc markdown: values inserted as escaped text, never as markup, comments
left out, and boxes as fenced divs; everything else in the cell (code spans and code blocks
included) is kept as written. Every function here is pure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from analysis.report import dialect
from analysis.report.dialect import condition, expressions, rank  # noqa: F401  (their home)
from analysis.report.dialect.blocks import BOX_CLASSES, box_classes  # noqa: F401

# Every ASCII punctuation character can be backslash-escaped in pandoc markdown; escaping all
# of them (but the comma, which never opens anything) means no value from data can open
# emphasis, a link, raw HTML, maths, a list or a div.
_PUNCTUATION = re.compile(r"([!-+\-./:-@\[-`{-~])")


def escape(text: str) -> str:
    """Text as pandoc markdown that prints exactly as typed.

    >>> print(escape("*Køge* <b>"))
    \\*Køge\\* \\<b\\>
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split("\n")))


def plain_text(mime_text: str) -> str:
    """The text jupyterlab-myst shows for a ``text/plain`` result: surrounding quotes removed."""
    match = re.fullmatch(r"([\"'])(.*)\1", mime_text, flags=re.DOTALL)
    return match.group(2) if match else mime_text


@dataclass(frozen=True)
class Options:
    """How a notebook's headings come out: ``unnumbered`` for front matter and bilag;
    ``local`` for a municipality's own passages (unnumbered and kept out of the contents)."""

    unnumbered: bool = False
    local: bool = False

    @property
    def classes(self) -> list[str]:
        classes = [".unnumbered"] if self.unnumbered or self.local else []
        return classes + [".unlisted", ".local"] if self.local else classes


def _boxes(parsed, lines: list[str | None]) -> None:
    """MyST box directives as pandoc fenced divs, their title as a ``.titel`` span."""
    for box in parsed.directives:
        if box.name not in dialect.DIRECTIVES:
            continue                      # no box (the notebooks' check refuses it)
        colons = box.marker.startswith(":")
        title = lines[box.line][box.argument_at:].strip()
        opening = ":" * len(box.marker) + " {" + " ".join(
            f".{c}" for c in box_classes(box)) + "}"
        more = "".join(" " if c not in "> " else c for c in box.indent)
        lines[box.line] = box.indent + opening + (
            f"\n{more}[{title}]{{.titel}}\n{more.rstrip()}" if title else "")
        for i in range(box.line + 1, box.line + 1 + len(box.options)):
            lines[i] = None
        if not colons and box.close is not None:
            lines[box.close] = lines[box.close].replace(box.marker[0], ":")


def resolve(markdown: str, values: dict[str, str], options: Options = Options()) -> str:
    """The cell as pandoc markdown, with each ``{eval}`` replaced by its value (escaped).

    ``values`` maps every expression of the cell to its text (see :func:`plain_text`).
    Comments (``% …``) are dropped, boxes become fenced divs, and headings get the
    classes ``options`` asks for.

    >>> resolve("% hvis: x\\nI alt {eval}`n` kommuner.", {"n": "44"})
    'I alt 44 kommuner.'
    """
    cell = dialect.read(markdown)
    return _resolved(markdown, tuple(values[e] for e in cell.expressions), options)


@functools.lru_cache(maxsize=4096)
def _resolved(markdown: str, values: tuple[str, ...], options: Options) -> str:
    """:func:`resolve`, kept per cell and values: most values are the same in every municipal
    report (the national ones)."""
    cell = dialect.read(markdown)
    parsed, value = cell.parsed, dict(zip(cell.expressions, values))
    lines: list[str | None] = list(parsed.lines)
    for role in reversed(parsed.roles):   # from the end: earlier places stay where they are
        if role.name != dialect.EVAL:
            continue
        (first, start), (last, end) = role.start, role.end
        lines[first] = lines[first][:start] + escape(value[role.content.strip()]) + \
            lines[last][end:]
        lines[first + 1:last + 1] = [None] * (last - first)
    for comment in parsed.comments:
        for i in range(comment.first, comment.first + len(comment.lines)):
            lines[i] = lines[i][:lines[i].index("%")].rstrip() if comment.nested else None
    _boxes(parsed, lines)
    classes = options.classes
    for heading in parsed.headings if classes else ():
        if heading.text and not heading.text.endswith("}"):
            lines[heading.line] = f"{lines[heading.line]} {{{' '.join(classes)}}}"
    return "\n".join(line for line in lines if line is not None).strip("\n")
