"""References to figures and tables by number: ``[figur %s](#fig-tid)`` becomes ``figur 3``.

The assembler numbers the report's figures and tables (:mod:`analysis.render.assemble`); each
has an id, the label its caption cell gives it (``(fig-tid)=``, see
:mod:`analysis.report.dialect.crossrefs`), else the one its code gives it. A link to such an id
whose text holds ``%s`` gets the number there, the one the caption prints, and stays a link
(in the HTML an anchor, in the PDF a typst link to the figure's label). Both engines get the
same markdown, so Quarto, which numbers the figures and tables itself in the same order, prints
the same numbers.

A reference may be written in a markdown cell, or printed by a value: a value is inserted as
escaped text (:func:`analysis.report.inline.escape`), and a link to a label is the one piece of
markup it may carry, found here in its escaped form and made a link again (a link to a heading,
``[kapitel %s](#kap-intern)``, is then numbered by the report's filter, as a written one is).
A link to an id that is not a figure or table of this report (a municipal table in the
national report, a label with a typing error) stops the render: a wrong number is never
printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from analysis.report.dialect.crossrefs import FIGURE_PREFIX, NUMBER, TABLE_PREFIX
from analysis.report.inline import escape
from analysis.render.errors import RenderError

_LABEL = rf"(?:{FIGURE_PREFIX[:-1]}|{TABLE_PREFIX[:-1]})(?:-[a-z0-9]+)+"
_ESCAPED_LABEL = r"[a-z][a-z0-9]*(?:\\-[a-z0-9]+)*"     # any label: a value's link
# A link to a figure or table as written ([figur %s](#fig-tid)), or a link to any label as a
# value prints it, every punctuation character escaped (\[figur \%s\]\(\#fig\-tid\)).
_REFERENCE = re.compile(
    rf"(?P<escaped>\\\[(?P<etext>(?:[^\\\[\]]|\\[^\[\]])*)"
    rf"\\\]\\\(\\#(?P<elabel>{_ESCAPED_LABEL})\\\))"
    rf"|(?<!\\)\[(?P<text>(?:[^\\\[\]]|\\.)*)\]\(#(?P<label>{_LABEL})\)")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


def numbered(markdown: str, numbers: Mapping[str, int], where: str) -> str:
    """``markdown`` with every link to a figure or table numbered: ``%s`` in its text becomes
    the number (``numbers`` maps the id of each figure and table of the report to its
    number).

    >>> numbered("Se [figur %s](#fig-tid).", {"fig-tid": 3}, "x")
    'Se [figur 3](#fig-tid).'
    >>> numbered("Se \\\\[figur \\\\%s\\\\]\\\\(\\\\#fig\\\\-tid\\\\).",
    ...          {"fig-tid": 3}, "x")
    'Se [figur 3](#fig-tid).'

    Raises
    ------
    RenderError
        For a link to a ``fig-``/``tbl-`` id that is no figure or table of this report, naming
        ``where`` (the notebook).
    """
    if "](#" not in markdown and "\\]\\(\\#" not in markdown:
        return markdown

    def replace(match: re.Match) -> str:
        escaped = match.group("escaped") is not None
        label = _UNESCAPE.sub(r"\1", match.group("elabel")) if escaped else match.group("label")
        text = _UNESCAPE.sub(r"\1", match.group("etext")) if escaped else match.group("text")
        if not label.startswith((FIGURE_PREFIX, TABLE_PREFIX)):
            # a value's link to a heading: a link again, numbered by the filter (crossrefs.lua)
            return f"[{escape(text)}](#{label})"
        found = numbers.get(label)
        if found is None:
            raise RenderError(
                f"{where}: a reference to #{label} ({' '.join(text.split())!r}), but no "
                f"{'figure' if label.startswith(FIGURE_PREFIX) else 'table'} of this report "
                f"has that label; its figures and tables: "
                f"{', '.join(numbers) or 'none'}. Give the caption cell the label "
                f"({label})=, or keep the reference to the reports that hold it (a tag or "
                "a condition)")
        if escaped:
            text = escape(text.replace(NUMBER, str(found), 1))
        else:
            text = text.replace(NUMBER, str(found), 1)
        return f"[{text}](#{label})"

    return _REFERENCE.sub(replace, markdown)
