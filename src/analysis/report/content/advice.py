"""Which recommendations a municipality's own answers call for.

The recommendations themselves are markdown cells in the front-matter notebook, each shown only
where ``advice.has("<name>")`` is true. This module holds the rule for each name: the question
and the answer group it looks at, and whether an answer inside or outside the group triggers it.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Advice:
    """The recommendations the municipality's answers trigger, and how many of the questions
    behind them it answered."""

    triggered: frozenset[str]
    answered: int
    total: int

    def has(self, name: str) -> bool:
        if name not in TRIGGERS:
            raise KeyError(f"no recommendation rule named {name!r}; known: {sorted(TRIGGERS)}")
        return name in self.triggered

    @property
    def none(self) -> bool:
        return not self.triggered

    @property
    def incomplete(self) -> bool:
        """Fewer than half of the questions behind the recommendations were answered."""
        return self.answered < self.total / 2


def _answer_triggers(report: Report, question: str, group: str, outside: bool) -> bool | None:
    m = report.municipality
    code = m.answer(question)
    if group == "":                           # a 0/1 option column of a multiple question
        return None if code is None else (code != 1 if outside else code == 1)
    q = report.national.question(question)
    if code is None or code not in q.answers:
        return None
    inside = code in q.groups[group]
    return not inside if outside else inside


def advice(report: Report) -> Advice:
    """The municipality's recommendations (none for the national report or a non-respondent)."""
    m = report.municipality
    if m is None or not m.answered:
        return Advice(frozenset(), 0, len(TRIGGERS))
    results = {name: _answer_triggers(report, *rule) for name, rule in TRIGGERS.items()}
    return Advice(triggered=frozenset(n for n, hit in results.items() if hit),
                  answered=sum(hit is not None for hit in results.values()),
                  total=len(TRIGGERS))
