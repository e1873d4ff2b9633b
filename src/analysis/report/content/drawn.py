"""A report figure together with the numbers and labels it draws (:class:`DrawnFigure`), and
the bars of shares (:class:`DrawnBars`): what a figure's description prints, so that the
description tells exactly what the figure draws."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.report import danish
from analysis.report.content.values import described, value
from analysis.report.present import Figure


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
