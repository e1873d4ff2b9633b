"""The report's blocks a notebook writes in markdown: boxes, captions, descriptions, leads.

* A box is an ``admonition`` directive, ``:::{admonition} Titel`` with a ``:class:`` option
  naming its kind (:data:`BOX_CLASSES`); ``:::{note}`` (or an admonition without a class) is a
  plain box.
* The markdown cell right after a figure (or a table) that starts ``Figur:`` (``Tabel:``) is
  its caption; cells that start ``Beskrivelse:`` next to a figure or its caption are the
  figure's description, joined as its alt text. A caption cell may open with a MyST target,
  ``(fig-tid)=`` (``(tbl-regioner)=``), that labels the figure (table): it becomes its id in
  the report, and ``[figur %s](#fig-tid)`` refers to it by its number (see
  :mod:`~analysis.report.dialect.crossrefs`).
* A chapter's lead paragraph (manchet) is the cell tagged ``manchet``; without one, the report's
  filter makes the first paragraph after a chapter's heading its lead, unless that paragraph
  starts in bold (a run-in heading).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from analysis.report.dialect.myst import BOX_DIRECTIVES, Directive, parser
from analysis.report.dialect.tags import is_lead

# Directive names a notebook may use, and what each makes.
DIRECTIVES = {
    "admonition": "a box; its argument is the title, `:class:` its kind",
    "note": "a plain box (MyST's note admonition)",
}
# The kinds of box, as ``:class:`` values; the first is the plain box.
BOX_CLASSES = ("boks", "eksempel", "definition")
# Options a box directive may have.
BOX_OPTIONS = ("class",)
LEAD_CLASS = "manchet"
FIGURE_LABEL, TABLE_LABEL, DESCRIPTION_LABEL = "Figur", "Tabel", "Beskrivelse"
# What each label at the start of a cell makes of the cell.
CAPTIONS = {FIGURE_LABEL: "figure", TABLE_LABEL: "table", DESCRIPTION_LABEL: "description"}
CAPTION_MEANINGS = {
    "figure": "the caption of the figure right before it",
    "table": "the caption of the table right before it",
    "description": "part of the description (alt text) of the figure before it, or before "
                   "its caption",
}
_STARTS = tuple(f"{label}:" for label in CAPTIONS)
assert BOX_DIRECTIVES == set(DIRECTIVES)


def box_classes(directive: Directive) -> list[str]:
    """A box's classes in the pandoc markdown: ``boks``, then the kinds its ``:class:``
    options name."""
    classes = [BOX_CLASSES[0]]
    for key, value in directive.options:
        if key == "class":
            classes += [c for c in value.split() if c != BOX_CLASSES[0]]
    return list(dict.fromkeys(classes))


@dataclass(frozen=True)
class Caption:
    """A caption or description cell: ``kind`` is ``figure``, ``table`` or ``description``,
    ``text`` the markdown after its label, ``target`` the label of the MyST target that opens
    the cell (``(fig-tid)=``), if any."""

    kind: str
    label: str
    text: str
    target: str | None = None

    @property
    def line(self) -> str:
        """The caption as one line of markdown (a figure's or table's caption)."""
        return " ".join(self.text.split())

    @property
    def plain(self) -> str:
        """The text as plain text (a description, for the alt attribute)."""
        return plain_text(self.text)


@functools.lru_cache(maxsize=1024)
def caption(markdown: str) -> Caption | None:
    """The caption or description a cell is, when its first paragraph starts with a label and
    a colon (``Figur: …``, ``Tabel: …``, ``Beskrivelse: …``); else None. A MyST target line,
    ``(fig-tid)=``, before that paragraph is the caption's :attr:`~Caption.target`.

    >>> caption("(fig-tid)=\n\nFigur: Tid til koordinering").target
    'fig-tid'
    """
    text = markdown.strip()
    target = None
    first, _, rest = text.partition("\n")
    if first.startswith("(") and first.rstrip().endswith(")=") and first.rstrip()[1:-2].strip():
        # MyST's target line (mdit-py-plugins' myst_blocks): "(label)=" on a line of its own
        target, text = first.rstrip()[1:-2].strip(), rest.strip()
    if not text.startswith(_STARTS):
        return None
    label = text.partition(":")[0]
    # what the first block is depends on the text up to the first blank line only
    tokens: list = []
    parser().block.parse(text.split("\n\n", 1)[0], parser(), {}, tokens)
    if tokens[0].type != "paragraph_open" or not tokens[1].content.startswith(f"{label}:"):
        return None
    return Caption(CAPTIONS[label], label, text[len(label) + 1:].lstrip(), target)


def _plain_parts(tokens) -> Iterator[str]:
    for token in tokens:
        if token.children:
            yield from _plain_parts(token.children)
        elif token.type in ("softbreak", "hardbreak") or (token.nesting == -1 and token.block):
            yield " "
        elif token.nesting == 0 and token.type not in ("myst_line_comment", "front_matter"):
            yield token.content


def plain_text(markdown: str) -> str:
    """Markdown as the plain text of an alt attribute: emphasis and escapes gone, whitespace
    collapsed (a non-breaking space stays one).

    >>> plain_text("Søjler for *fire* former:\\n91 \\\\% af kommunerne")
    'Søjler for fire former: 91 % af kommunerne'
    """
    text = "".join(_plain_parts(parser().parse(markdown)))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def lead(markdown: str, tags: Iterable[str]) -> str:
    """A resolved cell as the report sets it: a lead paragraph (``manchet``) in a div of its
    own, so the filter sets it as the chapter's lead."""
    return f"::: {{.{LEAD_CLASS}}}\n{markdown}\n:::" if is_lead(tags) else markdown
