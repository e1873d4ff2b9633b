"""The house style of the report's figures: colours, type sizes and the figure width."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns

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
OWN = PALETTE[5]    # the municipality's own answers, in every figure
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


def new_axes(ax, height: float) -> plt.Axes:
    """``ax`` if given, else the axes of a new figure in the house style, the report's width
    and ``height`` inches high."""
    if ax is not None:
        return ax
    use_house_style()
    _, ax = plt.subplots(figsize=(WIDTH_IN, height))
    return ax
