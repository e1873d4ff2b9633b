"""Which recommendations a municipality's own answers call for, and in which order.

The recommendations themselves are markdown cells in the front-matter notebook, each shown only
where ``advice.has("<name>")`` is true and placed by its ``% rang: raad.rank("<name>")`` line.
This module holds the rule for each name (the question and the answer group it looks at, and
whether an answer inside or outside the group triggers it), the chapter treating it, and the
order.

The order: a recommendation weighs more the more of the municipalities in the whole country
that answered the question are where this one is not (their answer does not trigger the rule).
A gap that most municipalities have closed comes first; one the municipality shares with many comes last. Equal
weights keep the order of the chapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.report.content.common import Stat
from analysis.report.notebook import NotebookReport as Report

# name: (question, answer group, triggered when the answer is outside the group)
TRIGGERS: dict[str, tuple[str, str, bool]] = {
    "koordinator": ("har_koordinator", "nej", False),
    "strategi": ("trin_boligorganisation", "nederste_trin", False),
    "opgaver": ("trin_helhedsplan", "nederste_trin", False),
    "faelles_maal": ("faelles_maal", "enig", True),
    "tillid": ("tillid", "enig", True),
    "forum_strategisk": ("forum_strategisk", "", True),
    "forum_taktisk": ("forum_taktisk", "", True),
    "forum_udfoerende": ("forum_udfoerende", "", True),
    "internt_forum": ("internt_forum", "ja", True),
    "vidensdeling": ("vidensdeling", "enig", True),
    "maal": ("ledelse_kommunikerer_maal", "enig", True),
    "medarbejdere": ("medarbejdere_snitflader", "enig", True),
    "metodefrihed": ("metodefrihed", "enig", True),
}
# The chapter that treats each recommendation (the notebooks' kapitel N).
CHAPTERS: dict[str, int] = {
    "koordinator": 5, "strategi": 2, "opgaver": 2, "faelles_maal": 3, "tillid": 3,
    "forum_strategisk": 4, "forum_taktisk": 4, "forum_udfoerende": 4, "internt_forum": 5,
    "vidensdeling": 5, "maal": 6, "medarbejdere": 6, "metodefrihed": 6,
}
assert CHAPTERS.keys() == TRIGGERS.keys()


@dataclass(frozen=True)
class Advice:
    """The recommendations the municipality's answers trigger, in the order they are shown,
    how the whole country answered each, and how many of the questions behind them the
    municipality answered."""

    triggered: frozenset[str]
    answered: int
    total: int
    order: tuple[str, ...] = ()
    countrywide: dict[str, Stat] = field(default_factory=dict)

    def _known(self, name: str) -> None:
        if name not in TRIGGERS:
            raise KeyError(f"no recommendation rule named {name!r}; known: {sorted(TRIGGERS)}")

    def has(self, name: str) -> bool:
        self._known(name)
        return name in self.triggered

    def rank(self, name: str) -> int:
        """The recommendation's place in the list, from 1 (only for a triggered one)."""
        self._known(name)
        if name not in self.triggered:
            raise KeyError(f"recommendation {name!r} is not given to this municipality")
        return self.order.index(name) + 1

    def country(self, name: str) -> Stat:
        """Of the municipalities in the whole country with a valid answer to the rule's
        question, how many answered so that the rule would not be triggered for them."""
        self._known(name)
        return self.countrywide[name]

    @property
    def none(self) -> bool:
        return not self.triggered

    @property
    def incomplete(self) -> bool:
        """Fewer than half of the questions behind the recommendations were answered."""
        return self.answered < self.total / 2


def _triggers(report: Report, code: int | None, question: str, group: str,
              outside: bool) -> bool | None:
    """Whether an answer code triggers the rule; None for no valid answer."""
    if group == "":                           # a 0/1 option column of a multiple question
        return None if code is None else (code != 1 if outside else code == 1)
    q = report.national.question(question)
    if code is None or code not in q.answers:
        return None
    inside = code in q.groups[group]
    return not inside if outside else inside


def _code(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _country(report: Report, question: str, group: str, outside: bool) -> Stat:
    """Of all municipalities with a valid answer to the rule's question (this one included),
    how many answered so that the rule is not triggered for them. The whole country, as every
    other comparison in the report: never "everyone but you"."""
    nat = report.national
    hits = [_triggers(report, _code(value), question, group, outside)
            for value in nat.respondents[question]]
    valid = [hit for hit in hits if hit is not None]
    good = sum(not hit for hit in valid)
    return Stat(count=good, n=len(valid), share=good / len(valid) if valid else 0.0,
                population=len(nat.register))


def ranked(triggered, country: dict[str, Stat]) -> tuple[str, ...]:
    """The triggered names, the largest share of municipalities without the gap first;
    ties in chapter order (and, within a chapter, in the order of ``TRIGGERS``)."""
    position = {name: i for i, name in enumerate(TRIGGERS)}
    return tuple(sorted(triggered, key=lambda name: (-country[name].share, CHAPTERS[name],
                                                     position[name])))


def advice(report: Report) -> Advice:
    """The municipality's recommendations (none for the national report or a non-respondent)."""
    m = report.municipality
    if m is None or not m.answered:
        return Advice(frozenset(), 0, len(TRIGGERS))
    results = {name: _triggers(report, m.answer(rule[0]), *rule)
               for name, rule in TRIGGERS.items()}
    triggered = frozenset(n for n, hit in results.items() if hit)
    country = {name: _country(report, *TRIGGERS[name]) for name in TRIGGERS}
    return Advice(triggered=triggered,
                  answered=sum(hit is not None for hit in results.values()),
                  total=len(TRIGGERS), order=ranked(triggered, country), countrywide=country)
