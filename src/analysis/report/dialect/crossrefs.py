"""Cross-references: headings, figures and tables named by a label, and links to them numbered
when the report is rendered.

* ``(kap-ledelse)=`` on a line of its own, a blank line, then a heading: MyST's target, which
  names the heading ``kap-ledelse``. JupyterLab hides the line; in the report the heading gets
  the label as its id.
* ``(fig-tid)=`` on the first line of a figure's caption cell (after its comment and marker
  lines), a blank line, then ``Figur: …``: the same target, naming the figure ``fig-tid``; a
  table's is ``(tbl-regioner)=`` before ``Tabel: …``. A figure's label starts with ``fig-``, a
  table's with ``tbl-`` (the prefixes by which Quarto knows a figure and a table), and becomes
  its id in the report: its anchor in the HTML, its label in the PDF.
* ``[kapitel %s](#kap-ledelse)``: a link to the heading, as MyST writes a numbered reference.
  When the report is rendered, ``%s`` becomes the heading's number, so the reader gets
  ``kapitel 6`` (a link in the HTML and in the PDF). Without ``%s`` the link keeps its text.
  JupyterLab shows ``kapitel %s`` while the notebooks are edited: each notebook is rendered
  on its own there, and the numbers come from the whole report.
* ``[figur %s](#fig-tid)``, ``[tabel %s](#tbl-regioner)``: the same for a figure or a table;
  ``%s`` becomes the number its caption prints (``Figur 3.``). A value may print a link to a
  label too (``{eval}`own.where(r)``` giving ``… står i [figur %s](#fig-prioritering).``): it
  is the one piece of markup a value can carry (see ``render/references.py``).
* A label that starts with ``bilag-`` makes its heading an appendix: appendices are numbered
  in their own series, in the order they come (``Bilag 1. Casekommunerne``); the number is put
  in front of the heading's text, and ``[bilag %s](#bilag-metode)`` is ``bilag 2``.

The numbers are those the reader sees: a chapter's is its place among the numbered top-level
headings (the front matter and the appendices are unnumbered), a section's ``6.2``, a figure's
or table's its place among the report's figures or tables (municipal passages and appendices
included). The report's filter (``render/templates/filter/crossrefs.lua``) numbers the
headings' for both engines, the assembler (``render/references.py``) the figures' and tables';
a link to a label the report does not hold stops the render. This module checks the notebooks
against the same rules (every link names a label that exists, once per report, in every report
the link is in, and ``%s`` only where there is a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.report.dialect.blocks import FIGURE_LABEL, TABLE_LABEL
from analysis.report.dialect.cell import read
from analysis.report.dialect.tags import REPORTS, is_local, reports

# The number's place in a link's text, as MyST's numbered references write it.
NUMBER = "%s"
# Labels of appendices, numbered in their own series; the word put before the number.
APPENDIX_PREFIX, APPENDIX_WORD = "bilag-", "Bilag"
# Labels of figures and tables (Quarto's prefixes), and the word that opens their caption cell.
FIGURE_PREFIX, TABLE_PREFIX = "fig-", "tbl-"
FLOATS = {FIGURE_PREFIX: ("figure", FIGURE_LABEL), TABLE_PREFIX: ("table", TABLE_LABEL)}
LABEL = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# What the guide lists, as the dialect's reference tables.
SYNTAX = {
    "(label)=": "on a line of its own, then a blank line and a heading: names the heading "
                "(its id in the report); a label that starts with `bilag-` makes it an "
                "appendix, numbered `Bilag 1.`, `Bilag 2.` in its own series",
    "(fig-label)=": "the first line of a figure's caption cell, then a blank line and "
                    "`Figur: …`: names the figure (its id in the report); `(tbl-label)=` "
                    "before `Tabel: …` names a table",
    "[kapitel %s](#label)": "a link to the heading; `%s` becomes its number when the report "
                            "is rendered (`kapitel 6`, `bilag 2`)",
    "[figur %s](#fig-label)": "a link to the figure (`[tabel %s](#tbl-label)`: the table); "
                              "`%s` becomes the number its caption prints (`figur 3`)",
}


@dataclass(frozen=True)
class Target:
    """A label in a notebook: the notebook, the cell's index, whether what it names gets a
    number (a chapter's or section's, an appendix's, a figure's or a table's), what it names
    (``heading``, ``figure`` or ``table``) and the reports the cell is in (by its tags, and for
    a figure or table those of the code cell that draws it)."""

    label: str
    notebook: str
    cell: int
    numbered: bool
    kind: str = "heading"
    reports: frozenset[str] = frozenset(REPORTS)


def kind_of(label: str) -> str:
    """What a label names: ``figure`` (``fig-…``), ``table`` (``tbl-…``) or ``heading``."""
    for prefix, (kind, _) in FLOATS.items():
        if label.startswith(prefix):
            return kind
    return "heading"


def _caption_word(kind: str) -> str:
    return next(word for k, word in FLOATS.values() if k == kind)


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
                         "(kap-ledelse, bilag-metode, fig-tid)")
        following = [(kind, line) for kind, line in parsed.blocks if line > target.line]
        after = following[0] if following else None
        caption = next((word for _, word in FLOATS.values() if after and after[0] == "paragraph"
                        and parsed.lines[after[1]].lstrip().startswith(f"{word}:")), None)
        kind = kind_of(target.label)
        if kind != "heading":
            word = _caption_word(kind)
            before = [k for k, line in parsed.blocks
                      if line < target.line and k != "myst_line_comment"]
            if before or caption != word:
                found.append(f"{where} labels a {kind}: it opens the {kind}'s caption cell, "
                             f"right before its '{word}:' line")
            elif after[1] == target.line + 1:
                found.append(f"{where} needs a blank line between it and its '{word}:' line")
        elif caption is not None:
            found.append(f"{where}: a figure's label starts with '{FIGURE_PREFIX}', a table's "
                         f"with '{TABLE_PREFIX}' ({FIGURE_PREFIX}tid, {TABLE_PREFIX}regioner)")
        elif after is None or after[1] not in headings:
            found.append(f"{where} must stand right before a heading")
        elif after[1] == target.line + 1:
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


def _tags(cell: Mapping) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def targets(notebooks: Iterable[tuple[str, Mapping]]) -> list[Target]:
    """Every label of the notebooks (``(name, notebook)`` pairs, notebooks as nbformat reads
    them), in report order."""
    out = []
    for name, nb in notebooks:
        unnumbered = bool(nb.get("metadata", {}).get("rapport", {}).get("unnumbered"))
        drawn_by: frozenset[str] = frozenset(REPORTS)     # the last code cell's reports
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "code":
                drawn_by = reports(_tags(cell))
            if cell.get("cell_type") != "markdown":
                continue
            parsed = read(_text(cell.get("source", ""))).parsed
            local = is_local(_tags(cell))
            cell_reports = reports(_tags(cell))
            for target in parsed.targets:
                kind = kind_of(target.label)
                if kind != "heading":
                    out.append(Target(target.label, name, index, True, kind,
                                      cell_reports & drawn_by))
                    continue
                heading = next((h for h in parsed.headings if h.line > target.line), None)
                plain = heading is not None and not unnumbered and not local and \
                    not re.search(r"\{[^}]*\.unnumbered[^}]*\}\s*$", heading.text)
                out.append(Target(target.label, name, index,
                                  plain or target.label.startswith(APPENDIX_PREFIX),
                                  reports=cell_reports))
    return out


def reference_problems(notebooks: Sequence[tuple[str, Mapping]]) -> list[str]:
    """What is wrong with the labels and the links to them across the notebooks: a label
    given twice in one report, a link to a label no notebook gives, a link in a report that
    does not hold what it names, a number asked of a heading that has none."""
    found = []
    by_label: dict[str, list[Target]] = {}
    for target in targets(notebooks):
        first = next((t for t in by_label.get(target.label, ())
                      if t.reports & target.reports), None)
        if first is not None:
            found.append(f"{target.notebook}[{target.cell}]: the label {target.label!r} is "
                         f"already used in {first.notebook}[{first.cell}]")
        else:
            by_label.setdefault(target.label, []).append(target)
    for name, nb in notebooks:
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") != "markdown":
                continue
            cell_reports = reports(_tags(cell))
            for link in read(_text(cell.get("source", ""))).parsed.links:
                label = link.url[1:]
                if not link.url.startswith("#"):
                    continue
                where = f"{name}[{index}]: [{link.text}]({link.url})"
                kind = kind_of(label)
                named = by_label.get(label)
                if not named:
                    known = [lb for lb in by_label if kind_of(lb) == kind]
                    found.append(f"{where}: no {kind} has the label {label!r}; known: "
                                 f"{', '.join(known) or 'none'}")
                    continue
                if NUMBER in link.text and not any(t.numbered for t in named):
                    found.append(f"{where}: the heading {label!r} has no number "
                                 f"({NUMBER} is for chapters, their sections, appendices, "
                                 "figures and tables)")
                missing = cell_reports - frozenset().union(*(t.reports for t in named))
                if missing:
                    found.append(f"{where}: the {kind} {label!r} is not in every report this "
                                 f"cell is in (not in: {'; '.join(sorted(missing))}); give the "
                                 f"cell the tags of the {kind}'s cells")
    return found


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value)
