"""Kapitel 2-6: potentialer, fælles forståelse og tillid, tværorganisatorisk organisering,
kommunens interne samarbejde og kommunal ledelse.

The values each chapter's prose prints, and its figures and tables. The municipality's own
answers against the whole country are in :mod:`analysis.report.content.own`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy.stats import spearmanr

from analysis.report import danish, figures
from analysis.stats import disclosure
from analysis.report.content.common import (DrawnBars, DrawnFigure, Stat, answer_label,
                                            lower)
from analysis.stats.estimate import SIGNIFICANCE, Comparison, fisher_2x2
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

TRAPPE_PARTNERS = {"trin_boligorganisation": "Boligorganisation",
                   "trin_helhedsplan": "Helhedsplan"}
FORUM_LEVELS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
                "forum_udfoerende": "Udførende niveau"}
CHAPTER_ITEMS = {
    3: ("faelles_maal", "tillid"),
    5: ("vidensdeling",),
    6: ("ledelse_kommunikerer_maal", "medarbejdere_snitflader", "metodefrihed"),
}


def _agree_counts(report: Report, items: tuple[str, ...]) -> pd.DataFrame:
    nat = report.national
    rows = {}
    for item in items:
        q = nat.question(item)
        rows[q.short] = nat.distribution(item)["antal"]
    return pd.DataFrame(rows).T


@dataclass(frozen=True)
class DrawnAgreement(DrawnFigure):
    """Answers on an agree scale, one bar per statement, as drawn."""

    scale: tuple[str, ...]                   # the answer categories, lowest first
    agree: tuple[tuple[str, float], ...]     # (statement, share who agree), top bar first
    own: tuple[tuple[str, str], ...] = ()    # (statement, the municipality's marked answer)

    @property
    def lowest(self) -> str:
        """``helt uenig``"""
        return lower(self.scale[0])

    @property
    def highest(self) -> str:
        """``helt enig``"""
        return lower(self.scale[-1])

    @property
    def agreeing(self) -> str:
        """Each statement with the share who agree: ``gensidig tillid 37 %``, enumerated."""
        return danish.enumerate_words([f"{lower(label)} {danish.percent(share)}"
                                       for label, share in self.agree])

    @property
    def marks(self) -> str:
        """The municipality's marked answers: ``gensidig tillid: overvejende enig``, joined
        with semicolons (empty in the national report)."""
        return "; ".join(f"{lower(label)}: {lower(answer)}" for label, answer in self.own)


def agree_figure(report: Report, chapter: int, ident: str) -> DrawnAgreement:
    """Stacked answers to the chapter's agree/satisfaction items, own answers outlined."""
    return _agree_figure(report, CHAPTER_ITEMS[chapter], ident)


def priority_figure(report: Report) -> DrawnAgreement:
    """The negatively worded item (the leaders could give the work higher priority), drawn on
    a scale of one hue, since agreeing here is neither good nor bad."""
    return _agree_figure(report, ("ledelse_kunne_prioritere_hoejere",), "prioritering",
                         colors=figures.NEUTRAL5)


def _agree_figure(report: Report, items: tuple[str, ...], ident: str,
                  colors: list[str] | None = None) -> DrawnAgreement:
    nat = report.national
    counts = _agree_counts(report, items)
    marks = []
    if report.municipality is not None:
        for item in items:
            label = answer_label(report, item)
            if label in nat.question(item).answers.values():
                marks.append((nat.question(item).short, label))
    n = int(counts.sum(axis=1).max())
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    figure = figures.stacked_figure(counts, marks, ident=ident, source=source, colors=colors)
    return DrawnAgreement(figure, scale=tuple(str(c) for c in counts.columns),
                          agree=tuple((nat.question(item).short,
                                       float(nat.share(item, "enig").share)) for item in items),
                          own=tuple(marks))


# ---------------------------------------------------------------- kapitel 2

@dataclass(frozen=True)
class Staircase:
    """Where the municipalities' collaboration lies on samarbejdstrappen."""

    low_bo: Stat | None        # with the boligorganisation: the two lower steps
    high_bo: Stat | None       # with the boligorganisation: the two upper steps
    high_hp: Stat | None       # with the helhedsplan: the two upper steps

    @property
    def hp_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: the helhedsplan against the
        boligorganisation, on the upper steps."""
        return danish.how_often(self.high_hp.share, self.high_bo.share)


def staircase(report: Report) -> Staircase:
    r = report
    return Staircase(low_bo=r.share("trin_boligorganisation", "nederste_trin"),
                     high_bo=r.share("trin_boligorganisation", "oeverste_trin"),
                     high_hp=r.share("trin_helhedsplan", "oeverste_trin"))


@dataclass(frozen=True)
class DrawnStaircase(DrawnFigure):
    """Samarbejdstrappen as drawn: the share of municipalities on each step, per partner."""

    steps: tuple[str, ...]                            # the steps, lowest first
    shares: tuple[tuple[str, tuple[float, ...]], ...]  # (partner, share on each step)
    own: tuple[tuple[str, int], ...] = ()             # (partner, the municipality's step)

    @property
    def count(self) -> str:
        """How many steps, in words: ``fire``."""
        return danish.count_word(len(self.steps))

    @property
    def lowest(self) -> str:
        return lower(self.steps[0])

    @property
    def highest(self) -> str:
        return lower(self.steps[-1])

    def _partner(self, pairs, partner: str):
        return next((value for label, value in pairs if label.lower() == partner.lower()),
                    None)

    def pcts(self, partner: str) -> str:
        """The shares on the steps, lowest first, for ``partner`` (``"boligorganisation"``,
        ``"helhedsplan"``): ``29 %, 32 %, 32 % og 8 %``."""
        return danish.enumerate_words([danish.percent(v)
                                       for v in self._partner(self.shares, partner)])

    def own_step(self, partner: str) -> int | None:
        """The step the municipality's collaboration with ``partner`` is marked on (None in
        the national report or where it gave no answer)."""
        return self._partner(self.own, partner)


def trappe_figure(report: Report) -> DrawnStaircase:
    nat = report.national
    steps = list(nat.question("trin_boligorganisation").answers.values())
    shares = {}
    for qid, partner in TRAPPE_PARTNERS.items():
        counts = nat.distribution(qid)["antal"]
        shares[partner] = list(counts / counts.sum())
    own = None
    m = report.municipality
    if m is not None:
        own = {partner: m.answer(qid) for qid, partner in TRAPPE_PARTNERS.items()
               if m.answer(qid) in nat.question(qid).answers}
    n = len(nat.valid("trin_boligorganisation"))
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    figure = figures.staircase_figure(steps, shares, own, ident="samarbejdstrappen",
                                      source=source)
    return DrawnStaircase(figure, steps=tuple(steps),
                          shares=tuple((p, tuple(float(v) for v in vals))
                                       for p, vals in shares.items()),
                          own=tuple((p, int(step)) for p, step in (own or {}).items()))


# ---------------------------------------------------------------- kapitel 3

@dataclass(frozen=True)
class Understanding:
    """Shared goals and trust, and whether shared goals go with a higher step."""

    goals: Stat | None
    trust: Stat | None
    rho: float               # Spearman's rank correlation, shared goals against the step
    p_value: float
    n: int                   # municipalities with both answers

    @property
    def related(self) -> bool:
        """Shared goals go with a higher step, beyond what chance explains."""
        return self.p_value < SIGNIFICANCE and self.rho > 0

    @property
    def rho_text(self) -> str:
        return danish.decimal(self.rho, 2)

    @property
    def p_text(self) -> str:
        return danish.p_value(self.p_value)


def understanding(report: Report) -> Understanding:
    nat = report.national
    both = nat.valid("faelles_maal")
    both = both[both["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").answers))]
    rho, p = spearmanr(both["faelles_maal"].astype(float),
                       both["trin_boligorganisation"].astype(float))
    return Understanding(goals=report.share("faelles_maal", "enig"),
                         trust=report.share("tillid", "enig"), rho=float(rho), p_value=float(p),
                         n=len(both))


# ---------------------------------------------------------------- kapitel 4

@dataclass(frozen=True)
class Fora:
    """Cross-organisational meeting fora, and the step of those with fora at every level."""

    levels: str                   # "strategisk niveau 78 %, taktisk niveau 61 % og …"
    all_levels: Stat | None       # fora at all three levels
    comparable: bool              # the comparison below may be shown (disclosure control)
    high_with: Stat | None        # upper steps among those with fora at all levels
    high_without: Stat | None     # … among the others
    test: Comparison | None

    @property
    def with_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: with fora at all levels against the
        others, on the upper steps."""
        return danish.how_often(self.high_with.share, self.high_without.share)

    @property
    def more_often(self) -> bool:
        """Those with fora at all levels are on the upper steps more often than the others
        (``with_more_often`` is ``oftere``)."""
        return self.high_with.share > self.high_without.share


def fora(report: Report) -> Fora:
    nat = report.national
    valid = nat.valid("forum")
    shares = {label: report.option_share(col) for col, label in FORUM_LEVELS.items()}
    all_levels = valid[list(FORUM_LEVELS)].eq(1).all(axis=1)
    stepped = valid["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").answers))
    high = valid["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").groups["oeverste_trin"]))
    with_all, without = high[all_levels & stepped], high[~all_levels & stepped]
    comparable = disclosure.derived_group_ok(len(with_all), len(without), k=nat.plan.k)
    population = len(nat.register)

    def stat(flags) -> Stat | None:
        return Stat(int(flags.sum()), len(flags), float(flags.mean()), population) \
            if len(flags) else None
    test = fisher_2x2(int(with_all.sum()), len(with_all), int(without.sum()), len(without)) \
        if comparable else None
    return Fora(levels=danish.enumerate_words([f"{label.lower()} {s.pct}"
                                               for label, s in shares.items()]),
                all_levels=stat(all_levels), comparable=comparable,
                high_with=stat(with_all) if comparable else None,
                high_without=stat(without) if comparable else None, test=test)


def forum_figure(report: Report) -> DrawnBars:
    nat = report.national
    shares = pd.Series({label: nat.option_share(col).share for col, label in FORUM_LEVELS.items()})
    highlight = None
    m = report.municipality
    if m is not None and m.answered and all(m.answer(c) is not None for c in FORUM_LEVELS):
        highlight = {label: m.answer(col) == 1 for col, label in FORUM_LEVELS.items()}
    n = len(nat.valid("forum"))
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    figure = figures.share_bars_figure(shares, highlight, ident="moedefora", source=source)
    return DrawnBars(figure, tuple((str(k), float(v)) for k, v in shares.items()),
                     tuple((k, bool(v)) for k, v in highlight.items()) if highlight else ())


# ---------------------------------------------------------------- kapitel 5

@dataclass(frozen=True)
class Internal:
    """The municipality's internal collaboration: the coordinator's place, fora, knowledge."""

    mayor: Stat | None        # coordinator in the mayor's office (of those with a coordinator)
    sector: Stat | None       # coordinator in a sector administration
    forum: Stat | None        # a cross-departmental forum on the helhedsplaner
    knowledge: Stat | None    # agree that knowledge is shared across departments


def internal(report: Report) -> Internal:
    r = report
    return Internal(mayor=r.share("koordinator_placering", "borgmesterkontor"),
                    sector=r.share("koordinator_placering", "fagforvaltning"),
                    forum=r.share("internt_forum", "ja"),
                    knowledge=r.share("vidensdeling", "enig"))


def placement_table(report: Report) -> Table:
    nat = report.national
    counts = nat.distribution("koordinator_placering")["antal"]
    total = int(counts.sum())
    frame = pd.DataFrame({
        "Placering": list(counts.index),
        "Kommuner": [danish.integer(v) for v in counts],
        "Andel": [danish.percent(v / total, 1) if total else "–" for v in counts],
    })
    frame.loc[len(frame)] = ["I alt", danish.integer(total), danish.percent(1.0, 1)]
    return Table.from_frame(frame, ident="placering", caption="",
                            source=danish.n_source(total, danish.SOURCE_SURVEY))


# ---------------------------------------------------------------- kapitel 6

@dataclass(frozen=True)
class Leadership:
    """How the coordinators see the municipal leaders' part in the work."""

    higher: Stat | None       # agree the leaders could give the work higher priority
    adm: Stat | None          # satisfied with the administrative leaders' priority
    pol: Stat | None          # satisfied with the politicians' priority
    goals: Stat | None        # agree the leaders communicate the goals clearly
    staff: Stat | None        # agree staff are chosen for their interfaces with the plan
    freedom: Stat | None      # agree staff are free to choose their methods


def leadership(report: Report) -> Leadership:
    r = report
    return Leadership(higher=r.share("ledelse_kunne_prioritere_hoejere", "enig"),
                      adm=r.share("tilfreds_adm_ledelse", "tilfreds"),
                      pol=r.share("tilfreds_pol_ledelse", "tilfreds"),
                      goals=r.share("ledelse_kommunikerer_maal", "enig"),
                      staff=r.share("medarbejdere_snitflader", "enig"),
                      freedom=r.share("metodefrihed", "enig"))
