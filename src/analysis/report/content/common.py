"""Pieces every chapter uses: a share as the prose prints it, quotes chosen by theme, a
municipality's own answers and excerpts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.stats.estimate import Share
from analysis.report.present import Figure, Quote, Quotes
from analysis.stats.results import Report

REPORT_2015 = "Kommunerne på banen, CFBU og KL 2015"


@dataclass(frozen=True)
class Stat:
    """A share of municipalities, with what the prose prints of it.

    ``count`` of ``n`` answers, out of ``population`` municipalities in all (the register).
    """

    count: int
    n: int
    share: float
    population: int

    @classmethod
    def of_share(cls, s: Share, population: int) -> "Stat":
        return cls(count=s.count, n=s.n, share=s.share, population=population)

    @property
    def pct(self) -> str:
        """``64 %``"""
        return danish.percent(self.share)

    @property
    def pct1(self) -> str:
        """``63,6 %`` (one decimal: for small groups, where one municipality is many points)."""
        return danish.percent(self.share, 1)

    @property
    def of(self) -> str:
        """``28 af 44``"""
        return f"{danish.integer(self.count)} af {danish.integer(self.n)}"

    @property
    def words(self) -> str:
        """``næsten to tredjedele``"""
        return danish.share_words(self.share)

    def share_of(self, noun: str) -> str:
        """``næsten alle kommunerne``, ``godt halvdelen af kommunerne``."""
        return danish.share_of(self.share, noun)

    @property
    def low_all(self) -> float:
        """The smallest share of all ``population`` municipalities this can be: every
        municipality that did not answer would have answered otherwise."""
        return self.count / self.population

    @property
    def high_all(self) -> float:
        """The largest share of all municipalities: every non-respondent answered so."""
        return (self.count + self.population - self.n) / self.population

    @property
    def bounds(self) -> str:
        """Where the share of all municipalities lies whatever the non-respondents answered:
        ``mellem 84 % og 91 %`` (one figure when everybody answered)."""
        low, high = danish.percent(self.low_all), danish.percent(self.high_all)
        return low if low == high else f"mellem {low} og {high}"


def lower(label: str) -> str:
    """A category label as it reads inside a sentence: ``Helt enig`` -> ``helt enig``."""
    return label.lower()


@dataclass(frozen=True)
class DrawnFigure:
    """A report figure together with the numbers and labels it draws.

    It shows as its figure; its other attributes are what the figure's description (the
    notebook's ``Beskrivelse:`` cell, the figure's alt text) prints, so the description tells
    exactly what the figure draws::

        medfin_fig = ch1.co_financing_figure(r)
        medfin_fig

    followed by ``Beskrivelse: … {eval}`medfin_fig.top` …``.
    """

    figure: Figure

    @property
    def ident(self) -> str:
        return self.figure.ident

    @property
    def svg(self) -> str:
        return self.figure.svg

    @property
    def caption(self) -> str:
        return self.figure.caption

    @property
    def source(self) -> str:
        """The line under the figure: its N and source."""
        return self.figure.source

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.figure._repr_mimebundle_(include, exclude)


def _label_pcts(pairs) -> str:
    return danish.enumerate_words([f"{lower(label)} {danish.percent(share)}"
                                   for label, share in pairs])


@dataclass(frozen=True)
class DrawnBars(DrawnFigure):
    """Bars of shares (:func:`analysis.report.figures.share_bars_figure`), with the
    municipality's own marks where it has them."""

    shares: tuple[tuple[str, float], ...]       # (bar label, share 0-1), top bar first
    own: tuple[tuple[str, bool], ...] = ()      # (bar label, chosen) marked beside the bars

    @property
    def count(self) -> str:
        """How many bars, in words: ``fire``."""
        return danish.count_word(len(self.shares))

    @property
    def top(self) -> str:
        """The longest bar's label: ``medarbejderressourcer``."""
        return lower(max(self.shares, key=lambda pair: pair[1])[0])

    @property
    def top_pct(self) -> str:
        """The longest bar's share: ``91 %``."""
        return danish.percent(max(share for _, share in self.shares))

    @property
    def others(self) -> str:
        """The other bars, from the top: ``lokaler og faciliteter 48 % og kontant tilskud 45 %``."""
        top = max(self.shares, key=lambda pair: pair[1])
        return _label_pcts(pair for pair in self.shares if pair is not top)

    @property
    def bars(self) -> str:
        """Every bar, from the top: ``strategisk niveau 26 % og taktisk niveau 63 %``."""
        return _label_pcts(self.shares)

    @property
    def marks(self) -> str:
        """The municipality's marks, from the top: ``medarbejderressourcer ja, lokaler nej``
        (empty in the national report)."""
        return danish.enumerate_words([f"{lower(label)} {'ja' if chosen else 'nej'}"
                                       for label, chosen in self.own])


def _citation(kilde: str) -> str:
    return REPORT_2015 if kilde == "real" else (
        "syntetisk eksempel" if kilde == "synthetic" else "")


def _own_cleared(report: Report):
    """The municipality's excerpts whose clearance allows naming it (empty when national)."""
    ex = report.national.dataset.excerpts
    m = report.municipality
    if m is None:
        return ex.iloc[0:0]
    return ex[(ex["kommunekode"] == m.code) & (ex["maa_tilskrives_kommune"] == "ja")]


def quotes(report: Report, themes: tuple[str, ...], limit: int = 3) -> Quotes:
    """Excerpts coded with any of ``themes``: real quotes first, then synthetic ones.

    The national part of every report shows role labels only; a municipality is named only in
    that municipality's own section, and only where the excerpt's clearance allows it. An
    excerpt the municipality's own section shows is not shown here too.
    """
    excerpts = report.national.dataset.excerpts
    own = set(_own_cleared(report)["excerpt_id"])
    hit = excerpts.loc[excerpts["temaer"].map(
        lambda codes: bool(set(codes) & set(themes))).astype(bool)
        & ~excerpts["excerpt_id"].isin(own)]
    order = hit.assign(real=(hit["kilde"] != "real")).sort_values(["real", "excerpt_id"])
    return Quotes(tuple(Quote(text=row.tekst, role=row.rolle, citation=_citation(row.kilde))
                        for row in order.head(limit).itertuples(index=False)))


def own_excerpts(report: Report, chapter: int) -> Quotes:
    """This municipality's own excerpts for a chapter, where clearance allows naming it."""
    m = report.municipality
    mine = _own_cleared(report)
    if m is None or mine.empty:
        return Quotes()
    themes = report.national.dataset.themes
    in_chapter = mine["temaer"].map(lambda codes: any(themes[c].chapter == chapter
                                                      for c in codes))
    mine = mine.loc[in_chapter.astype(bool)]
    return Quotes(tuple(Quote(text=r.tekst, role=f"{r.rolle}, {m.title}",
                              citation=_citation(r.kilde))
                        for r in mine.sort_values("excerpt_id").itertuples(index=False)))


def answer_label(report: Report, question_id: str) -> str | None:
    m = report.municipality
    code = m.answer(question_id) if m else None
    q = report.national.question(question_id)
    if code is None:
        return None
    return q.answers.get(code) or q.missing.get(code)


def distribution_with_own(report: Report, question_id: str) -> tuple[pd.DataFrame, tuple | None]:
    """Counts by size group plus the whole country, and where the municipality's answer sits."""
    nat = report.national
    by_size = nat.distribution(question_id, "size_group")
    table = pd.DataFrame({
        danish.SIZE_GROUPS["small"]: by_size.get("small", 0),
        danish.SIZE_GROUPS["large"]: by_size.get("large", 0),
    }).T
    table.loc[danish.COUNTRY] = table.sum()
    highlight = None
    m = report.municipality
    if m is not None:
        label = answer_label(report, question_id)
        q = nat.question(question_id)
        if label in q.answers.values():
            highlight = (danish.SIZE_GROUPS[m.size_group], label)
    return table, highlight


def suppressed_note(report: Report, question_id: str) -> str:
    """The footnote for a question whose size groups are (partly) suppressed, or ``""``."""
    plan = report.national.plan
    return " ".join(danish.suppressed(s.reason, danish.SIZE_GROUP_DEFINITE[s.group], plan.k)
                    for s in plan.suppressed if s.in_size_groups(question_id))


def apply_plan(report: Report, table: pd.DataFrame, question_id: str,
               partition: str = "size_group") -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Drop the group rows the disclosure plan suppresses; return the footnotes to print."""
    plan = report.national.plan
    labels = danish.SIZE_GROUPS if partition == "size_group" else {}
    notes = []
    keep = []
    for row in table.index:
        group = next((g for g, label in labels.items() if label == row), row)
        s = plan.lookup(question_id, partition, group)
        if s is None:
            keep.append(row)
        else:
            notes.append(danish.suppressed(s.reason, str(row).lower(), plan.k))
    return table.loc[keep], tuple(notes)
