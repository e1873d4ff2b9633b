"""Which recommendations a municipality's own answers call for, and in which order.

The recommendations themselves are markdown cells in the front-matter notebook, each shown only
where ``advice.has("<name>")`` is true and placed by its ``% rang: raad.rank("<name>")`` line.
This module holds the rule for each name (the question and the answer group it looks at, and
whether an answer inside or outside the group triggers it), the chapter treating it, and the
order. The municipality's overview (:func:`analysis.report.content.own.overview`) calls an
answer a gap exactly where its rule here is triggered, so every gap the overview names has a
recommendation: its own, or, for two gaps that say the same (:data:`JOINED`), a shared one.

Most rules look at the answer alone (no coordinator, disagreement, a lower step of
samarbejdstrappen, no fixed forum). Satisfaction with the leaders' prioritisation is the
respondent's opinion of the municipality's own leaders (:data:`OPINION`): never a gap, so never
a recommendation. Coordination time is relative: the answer is a gap only
where most of the comparison group (the size group where shown, else the whole country)
answered better, since the right amount of time depends on the municipality. The
coordinator's placement is a gap only where the coordinator sits in a fagforvaltning and the
municipality has no fixed cross-disciplinary forum inside it (chapter 5's argument,
:data:`PLACEMENT_NEEDS`). Both are otherwise described by the part of the group the
municipality answers as (:data:`MAJORITY`).

The order: a recommendation weighs more the more of the municipalities of the municipality's
own size group (a fixed group, the same in every report, this municipality included) answered
the question so that the rule is not triggered for them. Where disclosure control does not
show the size group's answers to a question, the whole country takes its place. A gap that
most comparable municipalities have closed comes first; equal weights keep the order of the
chapters.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import Stat
from analysis.report.content.values import described, value
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
    "adm_prioritering": ("tilfreds_adm_ledelse", "tilfreds", True),
    "pol_prioritering": ("tilfreds_pol_ledelse", "tilfreds", True),
    "maal": ("ledelse_kommunikerer_maal", "enig", True),
    "medarbejdere": ("medarbejdere_snitflader", "enig", True),
    "metodefrihed": ("metodefrihed", "enig", True),
    "tid": ("tid_koordinering", "halvtid_eller_mindre", False),
    "placering": ("koordinator_placering", "borgmesterkontor", True),
}
# Rules triggered only where most of the comparison group (the size group where disclosure
# control shows it, else the whole country) answered so that the rule is not triggered for
# them: an answer that most comparable municipalities share is not a gap. Coordination time
# of at most half-time is a gap where most of the group use more (in the data, the group with
# 4.000 residents or more in its areas); a coordinator outside the borgmesterkontor is a gap
# where most of the group place it there. The value is the size group the rule is limited to
# (None: every group).
MAJORITY: dict[str, str | None] = {"tid": None, "placering": None}
# Rules that are the respondent's opinion of the municipality's own leaders (satisfaction with
# the administrative leadership's and the politicians' prioritisation): not a strength of the
# collaboration and not a gap, so never a recommendation; the overview shows the part of the
# comparison group that answers as the municipality does.
OPINION: frozenset[str] = frozenset({"adm_prioritering", "pol_prioritering"})
# The coordinator's placement is judged by chapter 5's argument instead of by the majority: a
# coordinator in a fagforvaltning needs a fixed cross-disciplinary forum inside the
# municipality to reach the other departments, so the placement is a gap only where the
# coordinator sits in a fagforvaltning and the municipality has answered that it has no such
# forum. (the placement rule's answer group, the rule of the forum it needs)
PLACEMENT_NEEDS: tuple[str, str] = ("fagforvaltning", "internt_forum")
# Gaps with one recommendation between them where both are triggered: the placement's gap is
# the missing internal forum seen from the coordinator's side, so where both are gaps the
# forum's recommendation takes up both, and the overview's two rows point to its number.
# (gap: the gap whose recommendation takes it up)
JOINED: dict[str, str] = {"placering": "internt_forum"}
# The chapter that treats each recommendation (the notebooks' kapitel N).
CHAPTERS: dict[str, int] = {
    "koordinator": 5, "strategi": 2, "opgaver": 2, "faelles_maal": 3, "tillid": 3,
    "forum_strategisk": 4, "forum_taktisk": 4, "forum_udfoerende": 4, "internt_forum": 5,
    "vidensdeling": 5, "adm_prioritering": 6, "pol_prioritering": 6, "maal": 6,
    "medarbejdere": 6, "metodefrihed": 6, "tid": 1, "placering": 5,
}
assert CHAPTERS.keys() == TRIGGERS.keys()


@described
@dataclass(frozen=True)
class Advice:
    """The recommendations the municipality's answers trigger, in the order they are shown,
    how its size group and the whole country answered each, and how many of the questions
    behind them the municipality answered."""

    triggered: frozenset[str] = value("The names of the recommendations the municipality's "
                                      "answers trigger.", "kommunens egne svar")
    answered: int = value("How many of the questions behind the recommendations it answered.",
                          "spørgsmålene bag rådene")
    total: int = value("How many recommendation rules there are.", "reglerne i advice.TRIGGERS")
    order: tuple[str, ...] = value("The triggered names, the weightiest first (a gap taken up "
                                   "by another's recommendation left out).",
                                   "kommuner med et gyldigt svar på spørgsmålet bag hvert råd",
                                   default=())
    countrywide: dict[str, Stat] = value("For each rule, the municipalities in the whole country "
                                         "whose answer does not trigger it (see country()).",
                                         "kommuner med et gyldigt svar på spørgsmålet bag rådet",
                                         default_factory=dict)
    groupwide: dict[str, Stat] = value("For each rule whose question disclosure control shows "
                                       "for the municipality's size group, the municipalities of "
                                       "that group whose answer does not trigger it (see "
                                       "group()).",
                                       "kommuner i kommunens størrelsesgruppe med et gyldigt "
                                       "svar på spørgsmålet bag rådet", default_factory=dict)
    size: str = value("The municipality's size group, ``small`` or ``large`` ('' when "
                      "national).", "helhedsplansregistret", default="")
    first: frozenset[str] = value("The recommendations ranked before the others: with example "
                                  "data those that only questions the 2015 report published "
                                  "results from decide (see ranked_first).",
                                  "kodebogens published_2015", default_factory=frozenset)

    def _known(self, name: str) -> None:
        if name not in TRIGGERS:
            raise KeyError(f"no recommendation rule named {name!r}; known: {sorted(TRIGGERS)}")

    def has(self, name: str) -> bool:
        """Whether the recommendation ``name`` (``"tillid"``) is given to this municipality."""
        self._known(name)
        return name in self.triggered

    def rank(self, name: str) -> int:
        """The recommendation's place in the list, from 1 (only for a triggered one); a gap
        taken up by another's recommendation (:data:`JOINED`) has that one's number."""
        self._known(name)
        if name not in self.triggered:
            raise KeyError(f"recommendation {name!r} is not given to this municipality")
        if self.joined(name):
            name = JOINED.get(name, name)
        return self.order.index(name) + 1

    def joined(self, name: str) -> bool:
        """Whether the gap ``name`` shares one recommendation with another (:data:`JOINED`):
        both gaps of a pair are triggered."""
        self._known(name)
        return any(name in (gap, host) and {gap, host} <= self.triggered
                   for gap, host in JOINED.items())

    def country(self, name: str) -> Stat:
        """Of the municipalities in the whole country with a valid answer to the rule's
        question, how many answered so that the rule would not be triggered for them."""
        self._known(name)
        return self.countrywide[name]

    def group(self, name: str) -> Stat | None:
        """The same among the municipality's size group; None where disclosure control does
        not show the group's answers to the question."""
        self._known(name)
        return self.groupwide.get(name)

    def by_group(self, name: str) -> bool:
        """Whether the recommendation is weighed by its size group (else by the country)."""
        return self.group(name) is not None

    def basis(self, name: str) -> Stat:
        """What the recommendation is weighed by: its size group where shown, else the
        country."""
        return self.group(name) or self.country(name)

    def among(self, name: str) -> str:
        """Whom :meth:`basis` counts: ``de 16 kommuner i samme størrelsesgruppe`` or ``de 41
        kommuner i hele landet``."""
        stat = self.basis(name)
        where = "i samme størrelsesgruppe" if self.by_group(name) else "i hele landet"
        return f"de {danish.integer(stat.n)} kommuner {where}"

    def country_note(self, name: str) -> str:
        """The whole country beside a size group's count: `` (i hele landet 37 af 41)``;
        empty where the recommendation is weighed by the country itself."""
        if not self.by_group(name):
            return ""
        return f" (i hele landet {self.country(name).of})"

    group_n: int = value("How many municipalities of its size group answered the survey.",
                         "kommuner i kommunens størrelsesgruppe", default=0)
    country_n: int = value("How many municipalities in the whole country answered the survey.",
                           "kommuner med et svar", default=0)

    @property
    def count(self) -> int:
        """How many recommendations are given (two joined gaps share one)."""
        return len(self.order)

    @property
    def group_ranked(self) -> bool:
        """At least one recommendation is weighed by the size group."""
        return any(self.by_group(name) for name in self.order)

    @property
    def partly_country(self) -> bool:
        """Some recommendations are weighed by the size group and some, whose group figures
        disclosure control does not show, by the whole country."""
        return self.group_ranked and not all(self.by_group(n) for n in self.order)

    @property
    def none(self) -> bool:
        """No recommendation is given (always so in the national report)."""
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


def _own_hit(report: Report, name: str) -> bool | None:
    """Whether the municipality's answer is outside the rule's favourable answers (None: no
    valid answer, or no municipality)."""
    m = report.municipality
    if m is None or not m.answered:
        return None
    rule = TRIGGERS[name]
    return _triggers(report, m.answer(rule[0]), *rule)


def _majority(report: Report, name: str) -> bool:
    """Whether most of the comparison group (the size group where shown, else the whole
    country) answered so that the rule is not triggered for them, for a rule of
    :data:`MAJORITY` that applies to the municipality's size group."""
    m = report.municipality
    only = MAJORITY[name]
    if only is not None and m.size_group != only:
        return False
    rule = TRIGGERS[name]
    basis = _size_group(report, m.size_group, *rule) or _country(report, *rule)
    return basis.n > 0 and basis.count * 2 > basis.n


def triggers(report: Report, name: str) -> bool | None:
    """Whether the municipality's own answer triggers the rule ``name`` (None: no valid
    answer, or no municipality). A rule of :data:`MAJORITY` is triggered only where most of
    the comparison group answered better."""
    hit = _own_hit(report, name)
    if hit is not None and name in OPINION:
        return False
    if hit and name == "placering":
        return placed_without_forum(report)
    if hit and name in MAJORITY:
        return _majority(report, name)
    return hit


def placed_without_forum(report: Report) -> bool:
    """The coordinator sits in a fagforvaltning and the municipality has answered that it has
    no fixed cross-disciplinary forum inside the municipality (:data:`PLACEMENT_NEEDS`)."""
    group, forum = PLACEMENT_NEEDS
    return in_fagforvaltning(report) and bool(_own_hit(report, forum))


def forum_carries_placement(report: Report) -> bool:
    """The coordinator sits in a fagforvaltning, and the municipality has answered that it has
    the fixed cross-disciplinary forum (:data:`PLACEMENT_NEEDS`): the reason the placement is
    no gap. False where the forum answer is missing, since then no forum can be named."""
    return in_fagforvaltning(report) and _own_hit(report, PLACEMENT_NEEDS[1]) is False


def in_fagforvaltning(report: Report) -> bool:
    """The municipality's coordinator sits in a fagforvaltning."""
    m = report.municipality
    if m is None or not m.answered:
        return False
    q = report.national.question(TRIGGERS["placering"][0])
    return m.answer(TRIGGERS["placering"][0]) in q.groups[PLACEMENT_NEEDS[0]]


def _code(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def question_id(report: Report, column: str) -> str:
    """The survey question a rule's column belongs to (an option column belongs to its
    multiple-choice question)."""
    codebook = report.national.codebook
    if column in codebook.questions:
        return column
    return next(q.id for q in codebook.questions.values() if column in q.options)


def _without_gap(report: Report, answers: pd.Series, question: str, group: str,
                 outside: bool, population: int) -> Stat:
    """Of the municipalities whose ``answers`` to the rule's question are valid, how many
    answered so that the rule is not triggered for them."""
    hits = [_triggers(report, _code(value), question, group, outside) for value in answers]
    valid = [hit for hit in hits if hit is not None]
    good = sum(not hit for hit in valid)
    return Stat(count=good, n=len(valid), share=good / len(valid) if valid else 0.0,
                population=population)


def _country(report: Report, question: str, group: str, outside: bool) -> Stat:
    """The whole country (this municipality included), as every other comparison in the
    report: never "everyone but you"."""
    nat = report.national
    return nat.once(("advice.country", question, group, outside),
                    lambda: _without_gap(report, nat.respondents[question], question, group,
                                         outside, len(nat.register)))


def _size_group(report: Report, size: str, question: str, group: str,
                outside: bool) -> Stat | None:
    """The municipality's size group (a fixed group, this municipality included), or None
    where the disclosure plan suppresses the group for the question."""
    nat = report.national

    def compute() -> Stat | None:
        plan = nat.plan
        if plan is not None and not plan.is_shown(question_id(report, question), "size_group",
                                                  size):
            return None
        population = int((nat.register["size_group"] == size).sum())
        return _without_gap(report, nat.in_size_group(size)[question], question, group,
                            outside, population)

    return nat.once(("advice.size_group", size, question, group, outside), compute)


def ranked(triggered, basis: dict[str, Stat], first=frozenset()) -> tuple[str, ...]:
    """The triggered names, those in ``first`` before the others (see :func:`ranked_first`);
    within each part the largest share of comparable municipalities without the gap first,
    ties in chapter order (and, within a chapter, in the order of ``TRIGGERS``)."""
    position = {name: i for i, name in enumerate(TRIGGERS)}
    return tuple(sorted(triggered, key=lambda name: (name not in first, -basis[name].share,
                                                     CHAPTERS[name], position[name])))


def published(report: Report, name: str) -> bool:
    """The 2015 report published results from the question of rule ``name`` (a question the
    codebook does not mark counts as published, so nothing is called added without cause)."""
    return report.national.question(question_id(report, TRIGGERS[name][0])).published_2015 \
        is not False


def deciding(name: str) -> tuple[str, ...]:
    """The rules whose questions decide whether rule ``name`` is triggered: its own, and for
    the placement also the forum it needs (:data:`PLACEMENT_NEEDS`)."""
    return (name, PLACEMENT_NEEDS[1]) if name == "placering" else (name,)


def ranked_first(report: Report, shown) -> frozenset[str]:
    """The recommendations ``shown`` that come before the others: with example data, those
    that only questions the 2015 report published results from decide (:func:`deciding`),
    since the answers to the questions this edition added are invented there; with real data
    none (every answer is real, and the shares alone rank). The placement is decided by the
    forum too, an added question, so neither it nor the forum's recommendation that takes it
    up (:data:`JOINED`) comes first."""
    if not report.synthetic:
        return frozenset()
    return frozenset(name for name in shown
                     if all(published(report, rule) for rule in deciding(name)))


def advice(report: Report) -> Advice:
    """The municipality's recommendations (none for the national report or a non-respondent)."""
    m = report.municipality
    if m is None or not m.answered:
        return Advice(frozenset(), 0, len(TRIGGERS))
    results = {name: triggers(report, name) for name in TRIGGERS}
    triggered = frozenset(n for n, hit in results.items() if hit)
    country = {name: _country(report, *TRIGGERS[name]) for name in TRIGGERS}
    group = {name: stat for name in TRIGGERS
             if (stat := _size_group(report, m.size_group, *TRIGGERS[name])) is not None}
    basis = {name: group.get(name) or country[name] for name in TRIGGERS}
    own = triggered - {gap for gap, host in JOINED.items() if {gap, host} <= triggered}
    first = ranked_first(report, own)
    return Advice(triggered=triggered,
                  answered=sum(hit is not None for hit in results.values()),
                  total=len(TRIGGERS), order=ranked(own, basis, first), first=first,
                  countrywide=country,
                  groupwide=group, size=m.size_group,
                  group_n=int((report.national.respondents["size_group"] == m.size_group).sum()),
                  country_n=len(report.national.respondents))
