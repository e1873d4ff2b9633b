"""Cell tags: what each tag a notebook may give a cell means, and which reports get the cell.

A tag is set in JupyterLab (the gear icon → *Cell Tags*) and stored in the cell's metadata.
Three kinds of report are rendered from the same notebooks (:data:`REPORTS`); a cell with one or
more audience tags is in the reports those tags name and left out of the others, a cell without
one is in every report. This module imports no parser: the kernel asks it which tags apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The reports rendered from the notebooks, by the name the tags below use for them.
NATIONAL = "national"
ANSWERED = "kommune, svarede"
NOT_ANSWERED = "kommune, svarede ikke"
REPORTS = (NATIONAL, ANSWERED, NOT_ANSWERED)
MUNICIPAL = frozenset({ANSWERED, NOT_ANSWERED})


@dataclass(frozen=True)
class Tag:
    """One cell tag: its name, which cells it is given to, what it does.

    ``reports`` is the set of reports a cell with this tag is in (None: the tag does not limit
    the cell's reports); ``local`` says that the cell is a municipality's own passage (its
    headings stay out of the table of contents); ``by_hand`` is false for a tag the tools set
    (a notebook never carries it)."""

    name: str
    cells: tuple[str, ...]
    meaning: str
    reports: frozenset[str] | None = None
    local: bool = False
    by_hand: bool = True


TAGS: dict[str, Tag] = {tag.name: tag for tag in (
    Tag("national", ("markdown", "code"), "is in the national report only",
        reports=frozenset({NATIONAL})),
    Tag("kommune", ("markdown", "code"), "is in every municipal report",
        reports=MUNICIPAL, local=True),
    Tag("kommune-svar", ("markdown", "code"),
        "is in the municipal reports of municipalities that answered the survey",
        reports=frozenset({ANSWERED}), local=True),
    Tag("kommune-ikke-svar", ("markdown", "code"),
        "is in the municipal reports of municipalities that did not answer",
        reports=frozenset({NOT_ANSWERED}), local=True),
    Tag("manchet", ("markdown",), "is the chapter's lead paragraph (manchet)"),
    Tag("forside", ("markdown",), "is printed on the title page as its notice, not in the text"),
    Tag("parameters", ("code",),
        "holds the notebook's parameters (the first code cell; a report's values are put "
        "after it) and is never printed"),
    Tag("injected-parameters", ("code",),
        "holds a report's values, added by papermill, and is never printed", by_hand=False),
)}

AUDIENCE_TAGS = frozenset(name for name, tag in TAGS.items() if tag.reports is not None)
PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})
LEAD_TAG = "manchet"
TITLE_PAGE_TAG = "forside"


def report_kind(municipal: bool, answered: bool) -> str:
    """Which of :data:`REPORTS` a report is."""
    if not municipal:
        return NATIONAL
    return ANSWERED if answered else NOT_ANSWERED


def applying(report: str) -> tuple[str, ...]:
    """The audience tags whose cells a report gets, in :data:`TAGS` order.

    >>> applying(ANSWERED)
    ('kommune', 'kommune-svar')
    """
    if report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; one of {REPORTS}")
    return tuple(name for name, tag in TAGS.items()
                 if tag.reports is not None and report in tag.reports)


def audience(tags: Iterable[str]) -> frozenset[str]:
    """A cell's audience tags (empty: the cell is in every report)."""
    return AUDIENCE_TAGS.intersection(tags)


def reports(tags: Iterable[str]) -> frozenset[str]:
    """The reports (of :data:`REPORTS`) a cell with ``tags`` is in, whatever its condition.

    >>> sorted(reports(["kommune-svar", "manchet"]))
    ['kommune, svarede']
    >>> reports([]) == frozenset(REPORTS)
    True
    """
    wanted = audience(tags)
    if not wanted:
        return frozenset(REPORTS)
    return frozenset().union(*(TAGS[name].reports for name in wanted))


def shown(tags: Iterable[str], report_tags: Iterable[str]) -> bool:
    """Whether a cell with ``tags`` is in a report to which ``report_tags`` apply (see
    :func:`applying`)."""
    wanted = audience(tags)
    return not wanted or bool(wanted.intersection(report_tags))


def is_local(tags: Iterable[str]) -> bool:
    """A municipality's own passage: its headings are unnumbered and left out of the contents."""
    return any(TAGS[name].local for name in tags if name in TAGS)


def is_parameters(tags: Iterable[str]) -> bool:
    """The parameters cell (written, or added by papermill): never part of the report."""
    return bool(PARAMETER_TAGS.intersection(tags))


def is_lead(tags: Iterable[str]) -> bool:
    """The chapter's lead paragraph (``manchet``)."""
    return LEAD_TAG in tags


def is_title_page(tags: Iterable[str]) -> bool:
    """The title page's notice (``forside``)."""
    return TITLE_PAGE_TAG in tags


def tag_problems(tags: Iterable[str], cell_type: str) -> list[str]:
    """What is wrong with a cell's tags: unknown ones, ones the tools set, ones given to the
    wrong kind of cell."""
    problems = []
    for name in tags:
        tag = TAGS.get(name)
        if tag is None:
            problems.append(f"unknown tag {name!r}; known: {', '.join(TAGS)}")
        elif not tag.by_hand:
            problems.append(f"tag {name!r} is set when a report is rendered, not in a notebook")
        elif cell_type not in tag.cells:
            problems.append(f"tag {name!r} belongs on {' or '.join(tag.cells)} cells, "
                            f"not on a {cell_type} cell")
    return problems
