"""Pieces every chapter uses: a share as the prose prints it, quotes chosen by theme, a
municipality's own answers and excerpts."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.report import danish
from analysis.report.content.values import described, value
from analysis.stats.estimate import Difference, Share, difference, paired_difference
from analysis.report.present import Figure, Quote, Quotes
from analysis.stats.results import Report

REPORT_2015 = "Kommunerne på banen, CFBU og KL 2015"


@described
@dataclass(frozen=True)
class Stat:
    """A share of municipalities, with what the prose prints of it.

    ``count`` of ``n`` answers, out of ``population`` municipalities in all (the register).
    ``base`` says what the ``n`` are: ``kommuner med en koordinator``.
    """

    count: int = value("How many municipalities are in the share (the numerator).",
                       "kommunerne i andelen, blandt de n")
    n: int = value("How many municipalities the share is of (the denominator): those its "
                   "base names.", "kommunerne, som base beskriver")
    share: float = value("count / n, a number from 0 to 1.", "count af n")
    population: int = value("How many municipalities there are in all: every municipality in "
                            "the register, or in the size group.",
                            "alle kommuner med en helhedsplan (eller i størrelsesgruppen)")
    base: str = value("What the n municipalities are, in Danish, as the share reads after "
                      "'37 af 41': its base.", "beskrivelsen af de n kommuner", default="",
                      compare=False)

    @classmethod
    def of_share(cls, s: Share, population: int, base: str = "") -> "Stat":
        return cls(count=s.count, n=s.n, share=s.share, population=population, base=base)

    def _with_base(self, base: str) -> "Stat":
        return replace(self, base=base)

    @property
    def _brief(self) -> str:
        return f"{self.of} = {self.pct}"

    @property
    def _summary(self) -> str:
        """``37 af 41 kommuner med et gyldigt svar på »…«: 90 % (44 i alt)``"""
        return (f"{self.of}{' ' + self.base if self.base else ''}: {self.pct} "
                f"({danish.integer(self.population)} i alt)")

    def __repr__(self) -> str:
        return f"Stat({self._summary})"

    @property
    def pct(self) -> str:
        """The share as a whole percentage: ``64 %``."""
        return danish.percent(self.share)

    @property
    def pct1(self) -> str:
        """The share with one decimal: ``63,6 %`` (for small groups, where one municipality is
        many points)."""
        return danish.percent(self.share, 1)

    @property
    def of(self) -> str:
        """Count of n: ``28 af 44``."""
        return f"{danish.integer(self.count)} af {danish.integer(self.n)}"

    @property
    def words(self) -> str:
        """The share in words: ``næsten to tredjedele``."""
        return danish.share_words(self.share)

    def share_of(self, noun: str) -> str:
        """The share in words, of ``noun``: ``næsten alle kommunerne``, ``godt halvdelen af
        kommunerne``."""
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

    @property
    def answered(self) -> str:
        """The count with its base, the municipalities that answered the question: ``28 af de
        38 kommuner, der har besvaret spørgsmålet`` (``alle de 16 kommuner, …`` when every one
        of them is in the share). For a share of those that answered, never of all."""
        if self.count == self.n:
            return f"alle de {danish.integer(self.n)} kommuner, der har besvaret spørgsmålet"
        return (f"{danish.integer(self.count)} af de {danish.integer(self.n)} kommuner, der har "
                "besvaret spørgsmålet")

    @property
    def pct_answered(self) -> str:
        """The percentage with its base: ``74 % af de 38 kommuner, der har besvaret
        spørgsmålet``."""
        return (f"{self.pct} af de {danish.integer(self.n)} kommuner, der har besvaret "
                "spørgsmålet")

    @property
    def bounds_all(self) -> str:
        """The share of every municipality with a helhedsplan, whatever those that did not
        answer would have said, with its base: ``mellem 64 % og 70 % af alle 44 kommuner med
        en helhedsplan``. For a share within a size group, use :meth:`bounds_of`."""
        return self.bounds_of("kommuner med en helhedsplan")

    def bounds_of(self, noun: str) -> str:
        """:attr:`bounds` of all ``population`` ``noun``: ``bounds_of("kommuner med under
        4.000 beboere i helhedsplanområderne")`` -> ``mellem 50 % og 71 % af alle 28 kommuner
        med under 4.000 beboere i helhedsplanområderne``."""
        return f"{self.bounds} af alle {danish.integer(self.population)} {noun}"


@described
@dataclass(frozen=True)
class Diff:
    """A difference between two shares the text discusses, with its 95 % interval.

    ``first`` minus ``second``, in percentage points. The prose names the two groups and the
    direction in words (``oftere``) and prints the size and the interval with :attr:`interval`:
    ``forskellen er 30 procentpoint (95 %-interval: 2 til 55)``. Where the interval holds 0
    (:attr:`uncertain`), chance may explain the difference.
    """

    first: Stat = value("The share the difference is measured from (its own base kept).",
                        "andelens egen base (se den)", keeps_base=True)
    second: Stat = value("The share it is compared with (its own base kept).",
                         "andelens egen base (se den)", keeps_base=True)
    estimate: Difference = value("The difference and its interval (Newcombe).",
                                 "de to gruppers svar", example="(forskellen og intervallet)")

    @classmethod
    def between(cls, first: Stat, second: Stat) -> "Diff":
        """Two shares of different municipalities (Newcombe's interval)."""
        return cls(first, second, difference(first.count, first.n, second.count, second.n))

    @classmethod
    def paired(cls, first: Stat, second: Stat, both: int, only_first: int, only_second: int,
               neither: int) -> "Diff":
        """Two shares of the same municipalities, two questions each answered (Newcombe's
        interval for paired shares): how many are in both shares, in one only, in neither."""
        return cls(first, second, paired_difference(both, only_first, only_second, neither))

    @property
    def _sign(self) -> int:
        return -1 if self.estimate.diff < 0 else 1

    @property
    def points(self) -> str:
        """The size of the difference: ``30 procentpoint`` (without its direction)."""
        return danish.points(abs(self.estimate.diff))

    @property
    def range(self) -> str:
        """The 95 % interval of the difference, in the same direction as :attr:`points`:
        ``2 til 55 procentpoint``."""
        low, high = sorted((self._sign * self.estimate.low, self._sign * self.estimate.high))
        return f"{danish.signed(100 * low)} til {danish.signed(100 * high)} procentpoint"

    @property
    def ci(self) -> str:
        """``95 %-interval: 2 til 55``"""
        low, high = sorted((self._sign * self.estimate.low, self._sign * self.estimate.high))
        return danish.interval(low, high)

    @property
    def interval(self) -> str:
        """``forskellen er 30 procentpoint (95 %-interval: 2 til 55)``"""
        return f"forskellen er {self.points} ({self.ci})"

    @property
    def uncertain(self) -> bool:
        """The interval holds 0: the data cannot rule out that there is no difference."""
        return self.estimate.includes_zero


def edition_note(report: Report, question_ids: tuple[str, ...]) -> str:
    """For a figure's or table's source line: whether the 2015 report published results from
    its questions (the codebook's ``published_2015``); ``""`` where the codebook does not say.
    """
    questions = [report.national.question(qid) for qid in question_ids]
    return danish.edition_note([(q.short, q.published_2015) for q in questions])


@described
@dataclass(frozen=True)
class Items:
    """Survey questions, by their short labels (for a list in the text or a bilag)."""

    questions: tuple[tuple[str, str, int], ...] = value(
        "(question id, short label, chapter) of each question, in the codebook's order.",
        "spørgsmålene i kodebogen")

    @property
    def count(self) -> int:
        """How many questions."""
        return len(self.questions)

    @property
    def count_words(self) -> str:
        """How many, in words: ``elleve``."""
        return danish.count_word(self.count)

    @property
    def ids(self) -> tuple[str, ...]:
        """The question ids: ``("trin_boligorganisation", …)``."""
        return tuple(qid for qid, _, _ in self.questions)

    @property
    def names(self) -> str:
        """The short labels in a sentence: ``samarbejdet med boligorganisationen, … og frihed i
        metodevalget (tillidsledelse)``."""
        return danish.enumerate_words([label[0].lower() + label[1:]
                                       for _, label, _ in self.questions])

    @property
    def quoted(self) -> str:
        """The short labels in quotation marks: ``»Samarbejdet med boligorganisationen«, …``."""
        return danish.enumerate_words([danish.quoted(label) for _, label, _ in self.questions])

    def in_chapter(self, chapter: int) -> "Items":
        """The questions of one chapter."""
        return Items(tuple(q for q in self.questions if q[2] == chapter))

    def __bool__(self) -> bool:
        return bool(self.questions)


def items(report: Report, added: bool) -> Items:
    """The codebook's questions the 2015 report published no results from (``added``: this
    edition's), or those it did publish results from; a question whose codebook entry does
    not say is in neither."""
    wanted = False if added else True
    return Items(tuple((q.id, q.short, q.chapter) for q in report.national.codebook.questions
                       .values() if q.published_2015 is wanted))


def lower(label: str) -> str:
    """A category label as it reads inside a sentence: ``Helt enig`` -> ``helt enig``."""
    return label.lower()


@described
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

    figure: Figure = value("The figure itself, as the report shows it.",
                           "det, figuren tegner (se dens kildelinje)", example="(figuren)")

    @property
    def ident(self) -> str:
        """The figure's id: ``tid``."""
        return self.figure.ident

    @property
    def svg(self) -> str:
        """The figure as SVG text."""
        return self.figure.svg

    @property
    def caption(self) -> str:
        """The figure's caption as the code gives it (the notebook's ``Figur:`` cell sets the
        printed one)."""
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


@described
@dataclass(frozen=True)
class DrawnBars(DrawnFigure):
    """Bars of shares (:func:`analysis.report.figures.share_bars_figure`), with the
    municipality's own marks where it has them."""

    shares: tuple[tuple[str, float], ...] = value("(bar label, share 0-1) for each bar, top bar "
                                                  "first.", "hver søjles kommuner (se kildelinjen)")
    own: tuple[tuple[str, bool], ...] = value("(bar label, chosen) for each mark beside the "
                                              "bars: the municipality's own answers (empty in "
                                              "the national report).", "kommunens egne svar",
                                              default=())

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
            notes.append(danish.suppressed(s.reason, danish.SIZE_GROUP_DEFINITE.get(
                group, str(row).lower()), plan.k))
    return table.loc[keep], tuple(notes)
