"""The municipality's own section in each chapter (empty in the national report)."""

from __future__ import annotations

from analysis.content import ch1, themes
from analysis.content.common import own_excerpts
from analysis.present import Prose
from analysis.results import Report


def chapter(report: Report, number: int) -> list:
    """Heading, the municipality's answers against the nation and its size group, and its own
    cleared interview excerpts; ``[]`` for the national report."""
    m = report.municipality
    if m is None:
        return []
    items: list = [Prose(f"## {m.title} {{.unnumbered .local}}")]
    if number == 1:
        items += [ch1.local_facts(report), ch1.local_text(report)]
    else:
        items.append(themes.local_text(report, number))
    quotes = own_excerpts(report, number)
    if quotes:
        items.append(Prose(f"Fra interviewene i {m.title}:"))
        items += quotes
    return items


def recommendations(report: Report) -> list:
    m = report.municipality
    if m is None:
        return []
    return [Prose(f"# Anbefalinger til {m.title} {{.unnumbered}}"),
            themes.recommendations_text(report)]
