"""Bars of shares: one bar per answer (:func:`share_bars`), or one 100 % bar per group split
by answer (:func:`stacked_shares`); the municipality's own answers are marked in its colour.

The ``*_figure`` functions are the report's figures, cached by their arguments: the bars are
drawn once for every municipality, and only a municipality's marks for each report
(:mod:`analysis.report.figures.overlay`).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker
import matplotlib.transforms
import numpy as np
import pandas as pd
from matplotlib.text import Text

from analysis.report import danish
from analysis.report.figures import overlay, svg
from analysis.report.figures.cache import cached
from analysis.report.figures.contrast import text_color
from analysis.report.figures.geometry import AFTER_BAR, IN_BAR, renderer
from analysis.report.figures.style import (ASSUMED, OWN, PALETTE, TEXT, new_axes, scale_colors,
                                           scale_kind)
from analysis.report.present import Figure

CATEGORY_WIDTH = 28   # characters per line of a bar's category label
OWN_LABEL = danish.FIGURE_OWN_ANSWERS
OWN_LABEL_WIDTH = 14   # characters per line of the "Jeres svar: …" mark


@cached
def share_bars_figure(shares: pd.Series, highlight: dict[str, bool] | None, *, ident: str,
                      source: str, caption: str = "", assumed: tuple[str, ...] = ()) -> Figure:
    """:func:`share_bars` as a report figure (cached); the municipality's marks are drawn
    over bars drawn once for every municipality (see :func:`stacked_figure`)."""
    marks = {label: bool(chosen) for label, chosen in (highlight or {}).items()
             if label in shares.index}
    draw = (lambda ax: _share_marks(ax, shares, marks)) if marks else None
    return svg.with_marks(_share_bars_base(shares, bool(marks), tuple(assumed)), draw,
                          ident=ident, caption=caption, source=source)


@cached
def _share_bars_base(shares: pd.Series, room: bool,
                     assumed: tuple[str, ...] = ()) -> overlay.Base:
    """The bars of :func:`share_bars_figure`; with ``room``, laid out for a mark on every bar."""
    ax = share_bars(shares, assumed=assumed)
    every = [_share_mark(ax, yi, chosen) for yi in range(len(shares))
             for chosen in (True, False)] if room else []
    return svg.save_base(ax, every)


@cached
def stacked_figure(counts: pd.DataFrame, highlight, *, ident: str, source: str,
                   scale: str | None = None, colors: list[str] | None = None,
                   caption: str = "") -> Figure:
    """:func:`stacked_shares` as a report figure (cached).

    ``scale`` is the kind of the answers' scale (:func:`~analysis.report.figures.style.
    scale_kind` of the question's answers); it picks the palette unless ``colors`` are given.

    With marks, the bars are drawn once for every municipality, with room for the widest
    mark, and only the marks per report (:mod:`analysis.report.figures.overlay`). A row with
    more than one mark is drawn whole."""
    colors = list(colors) if colors else _scale_palette(counts, scale)
    marks = _mark_list(highlight)
    rows = [row for row, _ in marks]
    if len(set(rows)) < len(rows):
        return svg.to_figure(stacked_shares(counts, highlight=marks, colors=colors),
                             ident=ident, caption=caption, source=source)
    draw = (lambda ax: _stacked_marks(ax, counts, marks)) if marks else None
    return svg.with_marks(_stacked_base(counts, colors, bool(marks)), draw, ident=ident,
                          caption=caption, source=source)


@cached
def _stacked_base(counts: pd.DataFrame, colors: list[str] | None,
                  room: bool) -> overlay.Base:
    """The bars of :func:`stacked_figure`, without marks; with ``room``, laid out as if every
    row carried the widest mark any of its answers could give."""
    ax = stacked_shares(counts, colors=colors)
    every = [_own_text(ax, yi, [_own_answer(column, 1.0)]) for yi in range(len(counts))
             for column in counts.columns] if room else []
    return svg.save_base(ax, every)


def share_bars(shares: pd.Series, *, xlabel: str = danish.FIGURE_SHARE_AXIS,
               highlight: dict[str, bool] | None = None, assumed=(), ax=None) -> plt.Axes:
    """Horizontal bars of shares (0-1) per label, with the percentage printed at each bar.

    ``highlight`` marks a municipality's own answer per bar (True = chosen), right of the
    axis in the municipality's colour. The bars of the labels in ``assumed`` (numbers the
    data had to assume, which the source line says) are grey (:data:`ASSUMED`), so that
    they do not read like the others.
    """
    ax = new_axes(ax, 0.45 * len(shares) + 0.9)
    y = np.arange(len(shares))
    assumed = set(assumed)
    colors = [ASSUMED if label in assumed else PALETTE[0] for label in shares.index]
    ax.barh(y, shares.to_numpy(), color=colors, height=0.6)
    for yi, value in zip(y, shares.to_numpy()):
        ax.text(value + 0.01, yi, danish.percent(value), va="center", fontsize=8.5,
                color=TEXT, gid=AFTER_BAR)
    if highlight:
        _share_marks(ax, shares, highlight)
    ax.set_yticks(y, [_wrap_label(label) for label in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: danish.percent(v)))
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    return ax


def _share_mark(ax: plt.Axes, yi: int, chosen: bool) -> Text:
    """``Jeres kommune: ja`` / ``…: nej`` right of bar ``yi``, in the municipality's colour."""
    return ax.text(1.03, yi, danish.FIGURE_OWN_YES if chosen else danish.FIGURE_OWN_NO,
                   va="center", ha="left", fontsize=8, color=OWN, fontweight="bold",
                   transform=ax.get_yaxis_transform(), clip_on=False)


def _share_marks(ax: plt.Axes, shares: pd.Series, highlight: dict[str, bool]) -> None:
    for yi, label in enumerate(shares.index):
        if label in highlight:
            _share_mark(ax, yi, highlight[label])


def _wrap_label(text: str) -> str:
    """A long category label on two or more lines, so the bars keep their width."""
    return textwrap.fill(str(text), CATEGORY_WIDTH, break_long_words=False)


# The smallest share of a stacked bar printed in its segment: a thinner segment carries no
# value (the value is in the figure's data table), whatever room it may have, so that the
# figures treat their slivers alike (at the report's figure width a value fits a segment of
# about 6 % and more, not one of 5 %).
MIN_LABELLED_SHARE = 0.06


def stacked_shares(counts: pd.DataFrame, *, scale: str | None = None,
                   colors: list[str] | None = None,
                   highlight: tuple[str, str] | list[tuple[str, str]] | None = None,
                   ax=None) -> plt.Axes:
    """100 % stacked horizontal bars: one bar per row of ``counts`` (groups), one segment per
    column (answer categories in scale order). A share is printed in its segment when it is
    at least :data:`MIN_LABELLED_SHARE` and fits there; a smaller segment is left unlabelled
    (its value is in the figure's data table), so that no value floats outside its bar.

    The segments' colours are ``colors``, else the palette of the scale's kind ``scale``
    (:func:`~analysis.report.figures.style.scale_kind`, worked out from the column labels
    when None). The legend reads left to right, line by line, in scale order.

    ``highlight=(row, column)`` (or a list of them) outlines a municipality's own answer and
    names it right of the bar, in the municipality's colour.
    """
    marks = _mark_list(highlight)
    ax = new_axes(ax, 0.55 * len(counts) + 1.4)
    colors = colors or _scale_palette(counts, scale)
    shares = _row_shares(counts)
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    for j, column in enumerate(shares.columns):
        values = shares[column].to_numpy()
        color = colors[j % len(colors)]
        ax.barh(y, values, left=left, color=color, height=0.6, label=column,
                edgecolor="white", linewidth=0.5)
        for yi, (l, v) in enumerate(zip(left, values)):
            if v >= MIN_LABELLED_SHARE:
                ax.text(l + v / 2, yi, danish.percent(v), ha="center", va="center",
                        fontsize=8, color=text_color(color), gid=IN_BAR)
        left += values
    _stacked_marks(ax, counts, marks)
    labels = [_wrap_label(f"{idx} (N{danish.NBSP}={danish.NBSP}{int(n)})") for idx, n in
              zip(shares.index, counts.sum(axis=1))]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: danish.percent(v)))
    ax.grid(axis="y", visible=False)
    _scale_legend(ax, shares.shape[1])
    return ax


def _scale_legend(ax: plt.Axes, n: int) -> None:
    """The answer categories' legend: below the tick labels at a fixed distance (in font
    sizes), whatever the figure's height; centred on the figure, not the axes (the group
    labels take the left of the figure), in as many columns as fit its width (at most three)
    and read left to right, line by line, in scale order."""
    handles, names = ax.get_legend_handles_labels()
    fig = ax.figure
    anchor = matplotlib.transforms.blended_transform_factory(fig.transFigure, ax.transAxes)
    for ncol in range(min(3, n), 0, -1):
        order = _reading_order(len(handles), ncol)
        legend = ax.legend([handles[i] for i in order], [names[i] for i in order], ncol=ncol,
                           loc="upper center", bbox_to_anchor=(0.5, 0),
                           bbox_transform=anchor, borderaxespad=2.8, frameon=False)
        if legend.get_window_extent(renderer(fig)).width <= fig.bbox.width - 8:
            return


def _scale_palette(counts: pd.DataFrame, scale: str | None) -> list[str]:
    """The colours of the answer categories (the columns of ``counts``), by the scale's kind."""
    kind = scale or scale_kind(str(column) for column in counts.columns)
    return scale_colors(kind, counts.shape[1])


def _reading_order(n: int, ncol: int) -> list[int]:
    """The order to hand ``n`` legend entries to matplotlib, which fills ``ncol`` columns top
    to bottom, so that they read left to right, line by line (the first columns take one
    entry more when the last line is short, as matplotlib's do)."""
    nrows = -(-n // ncol)
    return [r * ncol + c for c in range(ncol) for r in range(nrows) if r * ncol + c < n]


def _mark_list(highlight) -> list[tuple[str, str]]:
    """``(row, column)`` marks from one mark, a list of them or None, without repeats."""
    marks = [highlight] if isinstance(highlight, tuple) else list(highlight or [])
    return list(dict.fromkeys(tuple(mark) for mark in marks))


def _row_shares(counts: pd.DataFrame) -> pd.DataFrame:
    totals = counts.sum(axis=1).replace(0, np.nan)
    return counts.div(totals, axis=0).fillna(0)


def _own_text(ax: plt.Axes, yi: int, answers: list[str]) -> Text:
    """``Jeres svar: …`` right of bar ``yi``, in the municipality's colour."""
    # a word longer than a line (»halvtidsstilling«) stands whole on its own line
    text = textwrap.fill(f"{OWN_LABEL}: {', '.join(answers)}", OWN_LABEL_WIDTH,
                         break_long_words=False, break_on_hyphens=False)
    return ax.text(1.02, yi, text, ha="left", va="center", fontsize=8, fontweight="bold",
                   color=OWN, transform=ax.get_yaxis_transform(), clip_on=False,
                   linespacing=1.1)


def _own_answer(column, share: float) -> str:
    """An answer as the mark beside its bar names it, with the share of the bar that gives
    it: ``helt enig (6 %)``. A segment too thin, or too short for its value, carries none
    (:data:`MIN_LABELLED_SHARE`, geometry.fit_labels), so the mark always does: the reader
    never has to guess the share of the answer marked."""
    return f"{str(column).lower()} ({danish.percent(share)})"


def _stacked_marks(ax: plt.Axes, counts: pd.DataFrame, marks: list[tuple[str, str]]) -> None:
    """The municipality's marks of :func:`stacked_shares`: each marked segment outlined, and
    its answers named right of its bar with their shares (:func:`_own_answer`)."""
    shares = _row_shares(counts)
    own: dict[int, list[str]] = {}
    for yi, row in enumerate(shares.index):
        left = 0.0
        for column, value in zip(shares.columns, shares.iloc[yi].to_numpy()):
            if (row, column) in marks:
                ax.barh(yi, value, left=left, height=0.74, fill=False, edgecolor=TEXT,
                        linewidth=2)
                own.setdefault(yi, []).append(_own_answer(column, value))
            left += value
    for yi, answers in own.items():
        _own_text(ax, yi, answers)
