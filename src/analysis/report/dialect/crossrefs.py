"""Cross-references: headings named by a label, and links to them numbered when the report is
rendered.

* ``(kap-ledelse)=`` on a line of its own, a blank line, then a heading: MyST's target, which
  names the heading ``kap-ledelse``. JupyterLab hides the line; in the report the heading gets
  the label as its id.
* ``[kapitel %s](#kap-ledelse)``: a link to the heading, as MyST writes a numbered reference.
  When the report is rendered, ``%s`` becomes the heading's number, so the reader gets
  ``kapitel 6`` (a link in the HTML and in the PDF). Without ``%s`` the link keeps its text.
  JupyterLab shows ``kapitel %s`` while the notebooks are edited: each notebook is rendered
  on its own there, and the numbers come from the whole report.
* A label that starts with ``bilag-`` makes its heading an appendix: appendices are numbered
  in their own series, in the order they come (``Bilag 1. Casekommunerne``); the number is put
  in front of the heading's text, and ``[bilag %s](#bilag-metode)`` is ``bilag 2``.

The numbers are those the reader sees: a chapter's is its place among the numbered top-level
headings (the front matter and the appendices are unnumbered), a section's ``6.2``. The
report's filter (``render/templates/filter/crossrefs.lua``) numbers them for both engines; this
module checks the notebooks against the same rules (every link names a label that exists, once,
and ``%s`` only where there is a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.report.dialect.cell import read
from analysis.report.dialect.tags import is_local

# The number's place in a link's text, as MyST's numbered references write it.
NUMBER = "%s"
# Labels of appendices, numbered in their own series; the word put before the number.
APPENDIX_PREFIX, APPENDIX_WORD = "bilag-", "Bilag"
LABEL = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# What the guide lists, as the dialect's reference tables.
SYNTAX = {
    "(label)=": "on a line of its own, then a blank line and a heading: names the heading "
                "(its id in the report); a label that starts with `bilag-` makes it an "
                "appendix, numbered `Bilag 1.`, `Bilag 2.` in its own series",
    "[kapitel %s](#label)": "a link to the heading; `%s` becomes its number when the report "
                            "is rendered (`kapitel 6`, `bilag 2`)",
}


@dataclass(frozen=True)
class Target:
    """A label in a notebook: the notebook, the cell's index, and whether its heading gets a
    number (a chapter's or section's, or an appendix's)."""

    label: str
    notebook: str
    cell: int
    numbered: bool


def cell_problems(source: str) -> list[str]:
    """What is wrong with a cell's targets and links to labels, read alone."""
    cell = read(source)
    parsed = cell.parsed
    found = []
    headings = {h.line for h in parsed.headings}
    for target in parsed.targets:
        where = f"line {target.line + 1}: ({target.label})="
        if not LABEL.fullmatch(target.label):
            found.append(f"{where}: a label is lower-case letters, digits and '-' "
                         "(kap-ledelse, bilag-metode)")
        following = [line for kind, line in parsed.blocks if line > target.line]
        if not following or following[0] not in headings:
            found.append(f"{where} must stand right before a heading")
        elif following[0] == target.line + 1:
            found.append(f"{where} needs a blank line between it and its heading")
    for link in parsed.links:
        if not link.url.startswith("#"):
            continue
        where = f"line {link.line + 1}: [{link.text}]({link.url})"
        if not LABEL.fullmatch(link.url[1:]):
            found.append(f"{where}: the label after '#' is lower-case letters, digits and '-'")
        if not link.text.strip():
            found.append(f"{where}: write the link's text, with {NUMBER} where the number goes "
                         f"([kapitel {NUMBER}]({link.url}))")
        elif link.text.count(NUMBER) > 1:
            found.append(f"{where}: one {NUMBER} per link")
    return found


def targets(notebooks: Iterable[tuple[str, Mapping]]) -> list[Target]:
    """Every label of the notebooks (``(name, notebook)`` pairs, notebooks as nbformat reads
    them), in report order."""
    out = []
    for name, nb in notebooks:
        unnumbered = bool(nb.get("metadata", {}).get("rapport", {}).get("unnumbered"))
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "markdown":
                continue
            parsed = read(_text(cell.get("source", ""))).parsed
            local = is_local(cell.get("metadata", {}).get("tags", []))
            for target in parsed.targets:
                heading = next((h for h in parsed.headings if h.line > target.line), None)
                plain = heading is not None and not unnumbered and not local and \
                    not re.search(r"\{[^}]*\.unnumbered[^}]*\}\s*$", heading.text)
                out.append(Target(target.label, name, index,
                                  plain or target.label.startswith(APPENDIX_PREFIX)))
    return out


def reference_problems(notebooks: Sequence[tuple[str, Mapping]]) -> list[str]:
    """What is wrong with the labels and the links to them across the notebooks: a label
    defined twice, a link to a label no notebook defines, a number asked of a heading that
    has none."""
    found = []
    by_label: dict[str, Target] = {}
    for target in targets(notebooks):
        if target.label in by_label:
            first = by_label[target.label]
            found.append(f"{target.notebook}[{target.cell}]: the label {target.label!r} is "
                         f"already used in {first.notebook}[{first.cell}]")
        else:
            by_label[target.label] = target
    for name, nb in notebooks:
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "markdown":
                continue
            for link in read(_text(cell.get("source", ""))).parsed.links:
                label = link.url[1:]
                if not link.url.startswith("#"):
                    continue
                where = f"{name}[{index}]: [{link.text}]({link.url})"
                if label not in by_label:
                    found.append(f"{where}: no heading has the label {label!r}; known: "
                                 f"{', '.join(by_label) or 'none'}")
                elif NUMBER in link.text and not by_label[label].numbered:
                    found.append(f"{where}: the heading {label!r} has no number "
                                 f"({NUMBER} is for chapters, their sections and appendices)")
    return found


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value)
