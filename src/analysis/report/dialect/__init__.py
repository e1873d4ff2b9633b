"""The notebooks' dialect: every convention a researcher writes in a notebook, in one place.

Everything else in the project asks this package what a cell means:

* :mod:`~analysis.report.dialect.tags`: cell tags, what each means and which reports get the
  cell (``national``, ``kommune``, ``kommune-svar``, ``kommune-ikke-svar``, ``manchet``,
  ``forside``, ``parameters``);
* :mod:`~analysis.report.dialect.myst`: the MyST parser (markdown-it-py with the MyST plugins,
  configured as myst-parser configures it) and what it reads in a cell, with places;
* :mod:`~analysis.report.dialect.cell`: ``{eval}`` expressions, ``% hvis:`` conditions and
  ``% rang:`` ranks;
* :mod:`~analysis.report.dialect.blocks`: boxes, ``Figur:``/``Tabel:`` captions,
  ``Beskrivelse:`` descriptions, lead paragraphs;
* :mod:`~analysis.report.dialect.marker`: the marker line that shows in JupyterLab whether a
  cell that is not in every report is in the one the kernel holds, written from the cell's
  condition and tags (``python -m analysis.report.dialect`` writes them);
* :mod:`~analysis.report.dialect.crossrefs`: ``(label)=`` targets on headings and
  ``[kapitel %s](#label)`` links to them, numbered when the report is rendered;
* :mod:`~analysis.report.dialect.check`: what in a cell the dialect does not know, and the
  reference tables of the guide (docs/notebooks.md).

Reading a cell is cached per cell text, so the chapters' cells are parsed once per process
however many reports it renders.
"""

from analysis.report.dialect.blocks import (BOX_CLASSES, CAPTIONS, DESCRIPTION_LABEL,
                                            DIRECTIVES, FIGURE_LABEL, LEAD_CLASS, TABLE_LABEL,
                                            Caption, box_classes, caption, lead, plain_text)
from analysis.report.dialect.cell import (COMMENT_DIRECTIVES, CONDITION, EVAL, RANK, RANK_KEY,
                                          ROLES, Cell, condition, evaluations, expressions,
                                          rank, rank_order, read, warm)
from analysis.report.dialect.check import (compares_with_text, guide, problems, reference,
                                           word_comparisons)
from analysis.report.dialect.crossrefs import reference_problems, targets
from analysis.report.dialect.writer import marked
from analysis.report.dialect.tags import (ANSWERED, AUDIENCE_TAGS, LEAD_TAG, NATIONAL,
                                          NOT_ANSWERED, PARAMETER_TAGS, REPORTS, TAGS,
                                          TITLE_PAGE_TAG, Tag, applying, audience, is_lead,
                                          is_local, is_parameters, is_title_page, report_kind,
                                          shown)

__all__ = [
    "ANSWERED", "AUDIENCE_TAGS", "BOX_CLASSES", "CAPTIONS", "COMMENT_DIRECTIVES", "CONDITION",
    "DESCRIPTION_LABEL", "DIRECTIVES", "EVAL", "FIGURE_LABEL", "LEAD_CLASS", "LEAD_TAG",
    "NATIONAL", "NOT_ANSWERED", "PARAMETER_TAGS", "RANK", "RANK_KEY", "REPORTS", "ROLES",
    "TABLE_LABEL", "TAGS", "TITLE_PAGE_TAG", "Caption", "Cell", "Tag", "applying", "audience",
    "box_classes", "caption", "compares_with_text", "condition", "evaluations", "expressions",
    "guide", "is_lead", "is_local", "is_parameters", "is_title_page", "lead", "marked",
    "plain_text", "problems", "rank", "rank_order", "read", "reference", "reference_problems",
    "report_kind", "shown", "targets", "warm", "word_comparisons",
]
