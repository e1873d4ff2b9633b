"""The municipal edition's own picture: for each chapter, the municipality's answers against
the whole country and its size group, the one-page overview of strengths and gaps, its facts
from the registers against its size group and the country, and, for a municipality that did
not answer, how its size group answered.

Every comparison names its group and prints the number of municipalities it counts (N).
The groups are fixed (the whole country, the size group), the same in every report, and a
size group's figure is printed only where the disclosure plan shows it.

The parts have modules of their own, and the notebooks find all of them here (``own.…``):
:mod:`~analysis.report.content.own_answers` (the chapters' own-answers tables),
:mod:`~analysis.report.content.own_verdicts` (strengths and gaps in words),
:mod:`~analysis.report.content.own_overview` (the overview, the size group's answers),
:mod:`~analysis.report.content.own_standing` (where the municipality stands in each chapter)
and :mod:`~analysis.report.content.own_facts` (the facts from the registers). This module says
how the figures mark the municipality's own answers.
"""

from __future__ import annotations

from analysis.report import danish
from analysis.report.content.own_answers import (  # noqa: F401  (the notebooks' own.…)
    COMPLEMENT, COUNTED_HEADING, N_NOTE, OWN_ITEMS, PLACEMENT_NOTE, answers, counted_words,
    group_heading)
from analysis.report.content.own_facts import Facts, facts  # noqa: F401
from analysis.report.content.own_group import (  # noqa: F401
    GroupPicture, group_answers, group_picture)
from analysis.report.content.own_overview import (  # noqa: F401
    Overview, _overview_question, overview)
from analysis.report.content.own_standing import Standing, standing  # noqa: F401
from analysis.report.content.own_verdicts import (  # noqa: F401
    ADDED_MARK, AS_GROUP_LABEL, COUNTRY_SHARED_LABEL, FORUM_PARTNERS, GAP_LABEL, HALF_LABEL,
    LEFT_OUT, COUNTRY_STRENGTH_LABEL,
    MAJORITY_LABEL, MINORITY_LABEL, NEAR_MARK, NOUNS, OVERVIEW, PLACES, SHARED_LABEL, SIDES,
    bare_verdict, relative_label,
    STRENGTH_LABEL, TOPICS, WORDS, gap_label,
    SPREAD_LABEL,
    dissatisfied_yet_could, opinion_band, printable, quantity, rare_strengths,
    relative_verdict, verdict_sentences)
from analysis.report.content.themes import FORUM_LEVELS  # noqa: F401
from analysis.report.notebook import NotebookReport as Report

# The marks of the municipality's own answers in the figures (one scheme, explained once in
# the edition's introduction): a graded answer beside its bar, the step of samarbejdstrappen.
ANSWER_WORD = danish.FIGURE_OWN_ANSWERS
MARK_WORD = danish.FIGURE_OWN_STEP
# The marks beside the bars of co-financing (chapter 1): the municipality's facts from the
# registers, in every municipal edition, also of a municipality that did not answer.
REGISTER_MARKS = (f"{danish.quoted(danish.FIGURE_OWN_YES)} og "
                  f"{danish.quoted(danish.FIGURE_OWN_NO)}")


def cleared_excerpts(report: Report) -> int:
    """How many interview excerpts the municipality's edition may attribute to it (its
    clearance allows naming it); 0 in the national report."""
    from analysis.report.content.excerpts import _own_cleared
    return len(_own_cleared(report))


# ---------------------------------------------------------------- the marks in the figures

def forum_marked(report: Report) -> bool:
    """The figure of fixed meeting fora (chapter 4) marks the municipality's own survey
    answers beside its bars, with the same texts as the register facts of co-financing
    (chapter 1); False in the national report and where it answered none of the levels."""
    if report.municipality is None or not report.municipality.answered:
        return False
    from analysis.report.content import themes
    return bool(themes.forum_figure(report).own)


def marks(figure, answer: bool = True) -> str:
    """How a figure marks the municipality's own answer, in the words of the marks it draws
    (the labels are the figures' own, :mod:`analysis.report.danish`): ``med en ramme og
    teksten »Jer« på det trin, kommunen har valgt``.

    Bars of shares name the answer beside each bar (``Jeres kommune: ja``/``…: nej``); bars
    split by answer outline the municipality's answer and name it beside its bar (``Jeres svar:
    helt enig``); samarbejdstrappen frames the municipality's step and writes ``Jer`` in it.
    Where a figure draws the municipality's size group beside all who answered (its
    ``group``, the label of the group's bars), the mark is in the group's bar or row, and the
    sentence says so. Without ``answer``, the answer beside the bar is not quoted (for a
    sentence about two figures).
    """
    from analysis.report.content.ch1_figures import DrawnBySize
    from analysis.report.content.drawn import DrawnBars
    from analysis.report.content.themes_figures import DrawnAgreement, DrawnStaircase

    def label(answer: str) -> str:
        return danish.quoted(f"{danish.FIGURE_OWN_ANSWERS}: {answer}")

    group = getattr(figure, "group", "")
    bar = f" for {danish.quoted(group)}" if group else ""
    if isinstance(figure, DrawnStaircase):
        row = f", i rækken {danish.quoted(group)}" if group else ""
        return (f"med en ramme og teksten {danish.quoted(danish.FIGURE_OWN_STEP)} på det trin, "
                f"kommunen har valgt{row}")
    if isinstance(figure, DrawnBars):
        where = f"ud for søjlen{bar} under hvert niveau" if group else "ud for hver søjle"
        return (f"med teksten {danish.quoted(danish.FIGURE_OWN_YES)} eller "
                f"{danish.quoted(danish.FIGURE_OWN_NO)} {where}")
    if isinstance(figure, DrawnBySize) and figure.mark is not None:
        if not answer:
            return (f"med en ramme i søjlen for {figure.mark.group} og med "
                    f"{danish.quoted(danish.FIGURE_OWN_ANSWERS + ':')} og svaret ud for søjlen")
        return (f"med en ramme i søjlen for {figure.mark.group} og teksten "
                f"{label(figure.mark.answer)} ud for søjlen")
    if isinstance(figure, DrawnAgreement) and len(figure.own) == 1:
        where = f"i søjlen{bar} " if group else ""
        return (f"med en ramme {where}og teksten {label(figure.own[0][1].lower())} "
                f"ud for søjlen")
    if group:
        return (f"med en ramme om svaret i søjlen{bar} under hvert udsagn og med "
                f"{danish.quoted(danish.FIGURE_OWN_ANSWERS + ':')} og svaret ud for søjlen")
    return (f"med en ramme om svaret i hver søjle og med "
            f"{danish.quoted(danish.FIGURE_OWN_ANSWERS + ':')} og svaret ud for søjlen")
