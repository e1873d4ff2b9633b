"""Kapitel 2-6's figures and tables: the answers on an agree scale, samarbejdstrappen, the
meeting fora and the coordinators' placement. The values the chapters' prose prints are in
:mod:`analysis.report.content.themes`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish, figures
from analysis.report.content.ch1_figures import OWN_GROUP_LABEL, own_group_label
from analysis.report.content.common import (DrawnBars, DrawnFigure, answer_label, lower,
                                            survey_source_note)
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

# The base of the staircase's shares and N per partner (docs/values.md).
PARTNER_BASE = "kommuner med et gyldigt svar om samarbejdet med partneren"
TRAPPE_PARTNERS = {"trin_boligorganisation": "Boligorganisation",
                   "trin_helhedsplan": "Helhedsplan"}
# The question of chapter 4's forum figure: on which levels there are fixed meeting fora.
FORUM_QUESTION = "forum"
FORUM_LEVELS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
                "forum_udfoerende": "Udførende niveau"}
# In a municipal edition, beside its size group's bar: the bar of all who answered.
ALL_LABEL = danish.RESPONDENTS[0].lower() + danish.RESPONDENTS[1:]
# Naming one row of a figure that draws two for each statement: ``Tillid – alle besvarende
# kommuner`` and ``Tillid – Jeres størrelsesgruppe: under 4.000 beboere`` (the dash stays on
# the statement's line).
ROW_NAME = "{label}" + danish.NBSP + "– {bar}"
# What a figure's ``group`` is (docs/values.md), the same in every figure that draws it.
GROUP_VALUE = ("The label of the municipality's size group's bars (rows of samarbejdstrappen), "
               "each under the bar or row of all who answered, as the figure prints it "
               "(``Jeres størrelsesgruppe: under 4.000 beboere``); empty where the figure "
               "draws no group (the national report, or a group the disclosure plan "
               "withholds).")
# The N of the size group's rows in a source line, after the row of all who answered.
GROUP_N = "heraf " + OWN_GROUP_LABEL.lower()
CHAPTER_ITEMS = {
    3: ("faelles_maal", "tillid"),
    5: ("vidensdeling",),
    6: ("ledelse_kommunikerer_maal", "medarbejdere_snitflader", "metodefrihed"),
}


def own_group(report: Report, items: tuple[str, ...]) -> tuple[str, str] | None:
    """In a municipal edition, its size group (``small``/``large``) and the label of the
    group's bar, as chapter 1's figures name it (``Jeres størrelsesgruppe: under 4.000
    beboere``), where the disclosure plan shows the group for every one of ``items`` and the
    group has at least ``k`` valid answers to each; None in the national report and where it
    may not be shown (the figure is then drawn with the whole country's bars alone)."""
    m = report.municipality
    if m is None or m.size_group not in danish.SIZE_GROUPS:
        return None
    nat = report.national
    for item in items:
        valid = nat.valid(item)
        if not nat.plan.is_shown(item, "size_group", m.size_group) \
                or int((valid["size_group"] == m.size_group).sum()) < nat.plan.k:
            return None
    return m.size_group, own_group_label(m.size_group)


def _group_counts(report: Report, item: str, size: str) -> pd.Series:
    """The answers of one size group to ``item``, counted by answer in scale order."""
    return report.national.distribution(item, "size_group")[size]


def _agree_counts(report: Report, items: tuple[str, ...]) -> pd.DataFrame:
    nat = report.national
    rows = {}
    for item in items:
        q = nat.question(item)
        rows[q.short] = nat.distribution(item)["antal"]
    return pd.DataFrame(rows).T


@described
@dataclass(frozen=True)
class DrawnAgreement(DrawnFigure):
    """Answers on an agree scale, one bar per statement, as drawn."""

    scale: tuple[str, ...] = value("The answer categories, lowest first.", "udsagnenes svarskala")
    agree: tuple[tuple[str, float], ...] = value("(statement, share who agree) for each bar, top "
                                                 "bar first.",
                                                 "kommuner med et gyldigt svar på hvert udsagn")
    own: tuple[tuple[str, str], ...] = value("(statement, the municipality's answer) for each "
                                             "marked bar (empty in the national report).",
                                             "kommunens egne svar", default=())
    ns: tuple[tuple[str, int], ...] = value("(statement, N) for each bar: the municipalities "
                                            "with a valid answer, as the source line prints "
                                            "them.", "kommuner med et gyldigt svar på udsagnet",
                                            default=())
    group: str = value(GROUP_VALUE, "kommunens størrelsesgruppe", default="")

    @property
    def lowest(self) -> str:
        """The scale's lowest answer, lower case: ``helt uenig``."""
        return lower(self.scale[0])

    @property
    def highest(self) -> str:
        """The scale's highest answer, lower case: ``helt enig``."""
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
    """The negatively worded item (the leaders could give the work higher priority), on the
    same agree scale, in the same colours, as every other statement."""
    return _agree_figure(report, ("ledelse_kunne_prioritere_hoejere",), "prioritering")


def _agree_figure(report: Report, items: tuple[str, ...], ident: str) -> DrawnAgreement:
    """One bar per statement; in a municipal edition whose size group may be shown for every
    statement, two: all who answered and the size group, the own answer outlined in the
    group's bar (each bar's N in its label, all who answered in the source line)."""
    nat = report.national
    counts = _agree_counts(report, items)
    marks = []
    if report.municipality is not None:
        for item in items:
            label = answer_label(report, item)
            if label in nat.question(item).answers.values():
                marks.append((nat.question(item).short, label))
    ns = tuple((str(label), int(n)) for label, n in counts.sum(axis=1).items())
    scale = figures.scale_kind(nat.question(items[0]).answers.values())
    group = own_group(report, items)
    drawn, drawn_marks, counted = counts, marks, ns
    if group is not None:
        size, bar = group
        rows, counted = {}, ()
        for item in items:
            short = nat.question(item).short
            rows[ROW_NAME.format(label=short, bar=ALL_LABEL)] = list(counts.loc[short])
            rows[ROW_NAME.format(label=short, bar=bar)] = list(
                _group_counts(report, item, size).reindex(counts.columns, fill_value=0))
            # the source line names the group's N as the staircase and the forum figure do
            counted += ((short if len(items) > 1 else ALL_LABEL, dict(ns)[short]),
                        (GROUP_N, int(sum(rows[ROW_NAME.format(label=short, bar=bar)]))))
        drawn = pd.DataFrame(list(rows.values()), index=list(rows), columns=counts.columns)
        drawn_marks = [(ROW_NAME.format(label=short, bar=bar), answer) for short, answer in marks]
    source = danish.n_source([n for _, n in counted], *survey_source_note(report, items),
                             rows=counted)
    figure = figures.stacked_figure(drawn, drawn_marks, ident=ident, source=source, scale=scale)
    return DrawnAgreement(figure, scale=tuple(str(c) for c in counts.columns),
                          agree=tuple((nat.question(item).short,
                                       float(nat.share(item, "enig").share)) for item in items),
                          own=tuple(marks), ns=ns, group=group[1] if group else "")


# ---------------------------------------------------------------- kapitel 2

@described
@dataclass(frozen=True)
class DrawnStaircase(DrawnFigure):
    """Samarbejdstrappen as drawn: the share of municipalities on each step, per partner."""

    steps: tuple[str, ...] = value("The steps, lowest first.", "samarbejdstrappens trin")
    shares: tuple[tuple[str, tuple[float, ...]], ...] = value("(partner, share on each step) for "
                                                              "each partner.",
                                                              PARTNER_BASE)
    own: tuple[tuple[str, int], ...] = value("(partner, the municipality's step) for each "
                                             "partner it answered for (empty in the national "
                                             "report).", "kommunens egne svar", default=())
    ns: tuple[tuple[str, int], ...] = value("(row, N) for each partner's row: the "
                                            "municipalities with a valid answer.",
                                            PARTNER_BASE, default=())
    group: str = value(GROUP_VALUE, "kommunens størrelsesgruppe", default="")

    @property
    def count(self) -> str:
        """How many steps, in words: ``fire``."""
        return danish.count_word(len(self.steps))

    @property
    def lowest(self) -> str:
        """The lowest step, lower case: ``vidensdeling``."""
        return lower(self.steps[0])

    @property
    def highest(self) -> str:
        """The highest step, lower case: ``innovative løsninger``."""
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
    """The share on each step, per partner; in a municipal edition whose size group may be
    shown, a row of the size group under each partner's row of all who answered, the
    municipality's own step marked in the group's row."""
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
    rows = tuple(nat.question(qid).short for qid in TRAPPE_PARTNERS)
    ns = tuple((nat.question(qid).short, len(nat.valid(qid))) for qid in TRAPPE_PARTNERS)
    drawn, drawn_own, drawn_rows, counted = shares, own, rows, ns
    group = own_group(report, tuple(TRAPPE_PARTNERS))
    if group is not None:
        size, bar = group
        drawn, drawn_own, drawn_rows, counted = {}, {}, (), ()
        for (qid, partner), (short, n) in zip(TRAPPE_PARTNERS.items(), ns):
            counts = _group_counts(report, qid, size)
            key = ROW_NAME.format(label=partner, bar=bar)
            drawn[partner], drawn[key] = shares[partner], list(counts / counts.sum())
            # a plain space: the staircase wraps its names in a column as wide as their
            # longest word
            drawn_rows += (ROW_NAME.format(label=short, bar=ALL_LABEL).replace(
                danish.NBSP, " "), bar)
            counted += ((short, n), (GROUP_N, int(counts.sum())))
            if partner in (own or {}):
                drawn_own[key] = own[partner]
    source = danish.n_source([n for _, n in counted],
                             *survey_source_note(report, tuple(TRAPPE_PARTNERS)), rows=counted)
    figure = figures.staircase_figure(steps, drawn, drawn_own, ident="samarbejdstrappen",
                                      source=source, rows=drawn_rows)
    return DrawnStaircase(figure, steps=tuple(steps),
                          shares=tuple((p, tuple(float(v) for v in vals))
                                       for p, vals in shares.items()),
                          own=tuple((p, int(step)) for p, step in (own or {}).items()),
                          ns=ns, group=group[1] if group else "")


# ---------------------------------------------------------------- kapitel 4

@described
@dataclass(frozen=True)
class DrawnForum(DrawnBars):
    """The meeting fora's bars: the share with fixed fora on each level (all who answered),
    and in a municipal edition whose size group may be shown, its group's bar under each."""

    group: str = value(GROUP_VALUE, "kommunens størrelsesgruppe", default="")


def forum_figure(report: Report) -> DrawnForum:
    nat = report.national
    shares = pd.Series({label: nat.option_share(col).share for col, label in FORUM_LEVELS.items()})
    highlight = None
    m = report.municipality
    if m is not None and m.answered and all(m.answer(c) is not None for c in FORUM_LEVELS):
        highlight = {label: m.answer(col) == 1 for col, label in FORUM_LEVELS.items()}
    valid = nat.valid(FORUM_QUESTION)
    n = len(valid)
    source = danish.n_source(n, *survey_source_note(report, (FORUM_QUESTION,)))
    drawn, marks = shares, highlight
    group = own_group(report, (FORUM_QUESTION,))
    if group is not None:
        size, bar = group
        counted = ((ALL_LABEL, n), (GROUP_N, int((valid["size_group"] == size).sum())))
        source = danish.n_source([k for _, k in counted],
                                 *survey_source_note(report, (FORUM_QUESTION,)), rows=counted)
        drawn = pd.Series({ROW_NAME.format(label=label, bar=name): value
                           for col, label in FORUM_LEVELS.items()
                           for name, value in ((ALL_LABEL, shares[label]),
                                               (bar, nat.option_share(col, size=size).share))})
        marks = {ROW_NAME.format(label=label, bar=bar): chosen
                 for label, chosen in highlight.items()} if highlight else None
    figure = figures.share_bars_figure(drawn, marks, ident="moedefora", source=source)
    return DrawnForum(figure, tuple((str(k), float(v)) for k, v in shares.items()),
                      tuple((k, bool(v)) for k, v in highlight.items()) if highlight else (),
                      group=group[1] if group else "")


# ---------------------------------------------------------------- kapitel 5

def placement_table(report: Report) -> Table:
    """Where the coordinators sit: municipalities and share for each placement, in whole
    percentages like the text and every other table of the chapters (the 2015 report printed
    the share in words, »godt halvdelen«, so no decimal is needed to compare with it)."""
    nat = report.national
    counts = nat.distribution("koordinator_placering")["antal"]
    total = int(counts.sum())
    frame = pd.DataFrame({
        "Placering": list(counts.index),
        "Kommuner": [danish.integer(v) for v in counts],
        "Andel": [danish.percent(v / total) if total else "–" for v in counts],
    })
    frame.loc[len(frame)] = ["I alt", danish.integer(total), danish.percent(1.0)]
    return Table.from_frame(frame, ident="placering", caption="",
                            source=danish.n_source(total, *survey_source_note(
                                report, ("koordinator_placering",))))
