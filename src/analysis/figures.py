"""The report's figures: the house style and one drawing function per kind of figure.

Every drawing function has the shape ``fn(data, *, ..., ax=None) -> Axes``; it neither saves
nor shows. ``to_figure`` turns a drawn matplotlib figure into a ``present.Figure`` (SVG with
fixed ids and no date, so the same data give the same bytes).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon  # noqa: E402

from analysis import danish  # noqa: E402
from analysis.present import Figure  # noqa: E402

# Okabe-Ito: distinguishable with every common colour-vision deficiency. The vermillion is
# darkened from #D55E00 to #C25600 (same hue) so that it reaches WCAG 4.5:1 both under white
# text and as the colour of the "Jeres kommune" marks on the white background.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#C25600"]
# Five-step scale from negative to positive (ColorBrewer PuOr, colour-blind safe).
SCALE5 = ["#b35806", "#f1a340", "#e0e0e0", "#998ec3", "#542788"]
SCALE4 = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
# Five steps of one hue, for a scale whose ends are not good and bad (a negatively worded item).
NEUTRAL5 = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
TEXT = "#222222"
WIDTH_IN = 6.3      # A4 text width


_STYLED = False


def use_house_style(force: bool = False) -> None:
    """Apply the report's matplotlib/seaborn style (once per process unless ``force``)."""
    global _STYLED
    if _STYLED and not force:
        return
    _STYLED = True
    sns.set_theme(context="paper", style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    matplotlib.rcParams.update({
        "svg.hashsalt": "kommunerne-paa-banen",
        "svg.fonttype": "path",
        "figure.dpi": 100,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8,
        "axes.edgecolor": "#888888",
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.formatter.use_locale": False,
    })


def _ax(ax, height: float) -> plt.Axes:
    if ax is not None:
        return ax
    use_house_style()
    _, ax = plt.subplots(figsize=(WIDTH_IN, height))
    return ax


def _relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of a colour (``#rrggbb`` or a matplotlib name)."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(v) for v in matplotlib.colors.to_rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(color_a: str, color_b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_relative_luminance(color_a), _relative_luminance(color_b)),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _text_color(hex_color: str) -> str:
    """White or dark text on a bar of ``hex_color``: whichever has the higher WCAG contrast."""
    return max(("white", TEXT), key=lambda text: contrast_ratio(hex_color, text))


def to_figure(ax: plt.Axes, *, ident: str, caption: str, alt: str, source: str) -> Figure:
    """Render the axes' figure to deterministic SVG and close it."""
    fig = ax.figure
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight",
                metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return Figure(svg=buffer.getvalue(), ident=ident, caption=caption, alt=alt, source=source)


_CACHE: dict[tuple, Figure] = {}
_CACHE_SIZE = 1024


def cached(key: tuple, make) -> Figure:
    """``make()``, remembered under ``key`` for the life of the process.

    A figure is a pure function of its data, highlight and texts, so a key holding all of them
    gives the same SVG as drawing anew; many municipal reports share the same figure (same size
    group and same answer), and a warm kernel draws each distinct figure once.
    """
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = make()
    return _CACHE[key]


def share_bars(shares: pd.Series, *, xlabel: str = "Andel af kommunerne",
               highlight: dict[str, bool] | None = None, ax=None) -> plt.Axes:
    """Horizontal bars of shares (0-1) per label, with the percentage printed at each bar.

    ``highlight`` marks a municipality's own answer per bar (True = chosen).
    """
    ax = _ax(ax, 0.45 * len(shares) + 0.9)
    y = np.arange(len(shares))
    ax.barh(y, shares.to_numpy(), color=PALETTE[0], height=0.6)
    for yi, value in zip(y, shares.to_numpy()):
        ax.text(value + 0.01, yi, danish.percent(value), va="center", fontsize=8.5)
    if highlight:
        for yi, label in zip(y, shares.index):
            if label in highlight:
                mark = "Jer: ja" if highlight[label] else "Jer: nej"
                ax.text(1.04, yi, mark, va="center", ha="left", fontsize=8, color=PALETTE[5],
                        fontweight="bold", transform=ax.get_yaxis_transform(), clip_on=False)
    ax.set_yticks(y, list(shares.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: danish.percent(v)))
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    return ax


def stacked_shares(counts: pd.DataFrame, *, colors: list[str] | None = None,
                   highlight: tuple[str, str] | list[tuple[str, str]] | None = None,
                   ax=None) -> plt.Axes:
    """100 % stacked horizontal bars: one bar per row of ``counts`` (groups), one segment per
    column (answer categories in scale order). Shares under 5 % are not labelled.

    ``highlight=(row, column)`` (or a list of them) outlines a municipality's own answer.
    """
    marks = set([highlight] if isinstance(highlight, tuple) else (highlight or []))
    ax = _ax(ax, 0.55 * len(counts) + 1.4)
    colors = colors or (SCALE5 if counts.shape[1] == 5 else PALETTE)
    totals = counts.sum(axis=1).replace(0, np.nan)
    shares = counts.div(totals, axis=0).fillna(0)
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    for j, column in enumerate(shares.columns):
        values = shares[column].to_numpy()
        color = colors[j % len(colors)]
        ax.barh(y, values, left=left, color=color, height=0.6, label=column,
                edgecolor="white", linewidth=0.5)
        for yi, (l, v) in enumerate(zip(left, values)):
            if v >= 0.05:
                ax.text(l + v / 2, yi, danish.percent(v), ha="center", va="center",
                        fontsize=8, color=_text_color(color))
            if (shares.index[yi], column) in marks:
                ax.barh(yi, v, left=l, height=0.74, fill=False, edgecolor=TEXT, linewidth=2)
                ax.annotate("Jeres svar", (l + v / 2, yi - 0.37), ha="center", va="bottom",
                            fontsize=8, fontweight="bold", annotation_clip=False)
        left += values
    labels = [f"{idx} (N{danish.NBSP}={danish.NBSP}{int(n)})" for idx, n in
              zip(shares.index, counts.sum(axis=1))]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: danish.percent(v)))
    ax.grid(axis="y", visible=False)
    ax.legend(ncol=min(3, shares.shape[1]), loc="upper center", bbox_to_anchor=(0.5, -0.12),
              frameon=False)
    return ax


def staircase(steps: list[str], shares: dict[str, list[float]], *,
              own: dict[str, int] | None = None, ax=None) -> plt.Axes:
    """Samarbejdstrappen: four steps rising left to right; under each step the share of
    municipalities whose collaboration sits there, per collaboration partner.

    ``own`` maps a partner to the municipality's own step (1-based) and marks it.
    """
    ax = _ax(ax, 3.4)
    n = len(steps)
    for i, name in enumerate(steps):
        height = (i + 1) / n
        color = SCALE4[i % len(SCALE4)]
        ax.add_patch(FancyBboxPatch((i, 0), 0.96, height, boxstyle="square,pad=0",
                                    facecolor=color, edgecolor="white"))
        ax.text(i + 0.48, height + 0.03, f"{i + 1}. {name}", ha="center", va="bottom",
                fontsize=8.5, fontweight="bold", wrap=True)
        lines = [f"{partner}: {danish.percent(values[i])}"
                 for partner, values in shares.items()]
        ax.text(i + 0.48, height / 2, "\n".join(lines), ha="center", va="center",
                fontsize=7, color=_text_color(color))
    if own:
        for k, (partner, step) in enumerate(own.items()):
            x = step - 1 + 0.2 + 0.56 * k
            top = step / n + 0.08
            ax.add_patch(Polygon([[x - 0.06, top + 0.2], [x + 0.06, top + 0.2], [x, top + 0.13]],
                                 closed=True, color=PALETTE[5]))
            ax.text(x, top + 0.21, f"Jer: {partner.lower()}", ha="center", va="bottom",
                    fontsize=7, color=PALETTE[5], rotation=20)
    ax.set_xlim(-0.1, n)
    ax.set_ylim(0, 1.5)
    ax.axis("off")
    return ax


def levels_diagram(levels: list[str], organisations: list[str], *, ax=None) -> plt.Axes:
    """The four levels of the study (rows) across the three organisations (columns)."""
    ax = _ax(ax, 2.8)
    for r, level in enumerate(levels):
        y = len(levels) - 1 - r
        ax.text(-0.1, y + 0.4, level, ha="right", va="center", fontsize=9, fontweight="bold")
        for c, org in enumerate(organisations):
            color = SCALE4[r % len(SCALE4)]
            ax.add_patch(FancyBboxPatch((c * 1.1, y + 0.1), 1.0, 0.6,
                                        boxstyle="round,pad=0.02", facecolor=color,
                                        edgecolor="white"))
            if r == 0:
                ax.text(c * 1.1 + 0.5, len(levels) + 0.05, org, ha="center", va="bottom",
                        fontsize=9, fontweight="bold")
    for c in range(len(organisations) - 1):
        for r in range(len(levels)):
            ax.annotate("", xy=(c * 1.1 + 1.1, r + 0.4), xytext=(c * 1.1 + 1.0, r + 0.4),
                        arrowprops={"arrowstyle": "<->", "color": "#555555"})
    ax.set_xlim(-1.3, len(organisations) * 1.1)
    ax.set_ylim(0, len(levels) + 0.5)
    ax.axis("off")
    return ax
