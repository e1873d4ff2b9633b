"""The house style of the report's figures: colours, type sizes and the figure width.

Colours by what they show:

* :data:`PALETTE`: categories without an order (Okabe-Ito); its last colour, :data:`OWN`,
  marks a municipality's own answers in every figure;
* :func:`scale_colors`: the answer categories of a scale, from :func:`scale_kind`. A scale
  with two opposite poles (agree/disagree, satisfied/dissatisfied) gets a diverging palette
  with a light middle; every other ordered scale (time spent, the steps of
  samarbejdstrappen) one hue from light to dark, more of it darker;
* :data:`ORGANISATION_COLORS`: the three organisations of the diagrams, the same in each.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from analysis.report.figures.contrast import TEXT, contrast_ratio, text_color

# Okabe-Ito: distinguishable with every common colour-vision deficiency. The vermillion is
# darkened from #D55E00 to #C25600 (same hue) so that it reaches WCAG 4.5:1 both under white
# text and as the colour of the "Jeres kommune" marks on the white background.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#C25600"]
# Five steps from one pole to the other, light in the middle (ColorBrewer PRGn, colour-blind
# safe): the agree and satisfaction scales, purple for the negative pole and green for the
# positive. No orange, so that nothing in a scale looks like the vermillion of the
# municipality's own answers (OWN).
SCALE5 = ["#7b3294", "#c2a5cf", "#e0e0e0", "#a6dba0", "#008837"]
DIVERGING5 = SCALE5
# One hue, light to dark: the four steps of samarbejdstrappen, and any ordered scale whose
# ends are not opposites (ColorBrewer Blues). Every colour reaches 4.5:1 with its text colour.
SCALE4 = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
SEQUENTIAL5 = ["#d3e4f3", "#9fcae1", "#56a0ce", "#206fb4", "#083c7d"]
MUTED = "#555555"   # connectors and secondary text in the diagrams (7.5:1 on white)
OWN = PALETTE[5]    # the municipality's own answers, in every figure
# A bar whose number the data had to assume (no published figure behind it): grey, light enough
# to stand apart from the palette's blue and dark enough for a graphic on white (3.4:1)
ASSUMED = "#8c8c8c"
# The PDF's text is 16 cm wide (A4 less 2.5 cm margins, report.typ), and a figure is placed
# at its own size, scaled down only when it is wider. A figure is drawn that much narrower
# than the text as its saved SVG pads it, so that it prints at the size it is drawn at.
TEXT_WIDTH_IN = 16 / 2.54
SAVE_PAD_IN = 0.04
WIDTH_IN = TEXT_WIDTH_IN - 2 * SAVE_PAD_IN

# The kinds of scale (:func:`scale_kind`).
DIVERGING, SEQUENTIAL = "diverging", "sequential"

# The organisations of the diagrams: a strong colour (a name on it in white) and a light tint
# of it (dark text), the same in every diagram.
ORGANISATION_COLORS = {
    "kommune": ("#0072B2", "#dcebf6"),
    "boligorganisation": ("#00785A", "#d9efe7"),
    "helhedsplan": ("#E69F00", "#fcefd2"),
}
OTHER_TINT = "#eeeeee"   # an actor that belongs to neither organisation

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
        "legend.fontsize": 8.5,
        "axes.edgecolor": "#888888",
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.formatter.use_locale": False,
        "savefig.pad_inches": SAVE_PAD_IN,
    })


def new_axes(ax, height: float) -> plt.Axes:
    """``ax`` if given, else the axes of a new figure in the house style, the report's width
    and ``height`` inches high."""
    if ax is not None:
        return ax
    use_house_style()
    _, ax = plt.subplots(figsize=(WIDTH_IN, height))
    return ax


def organisation_colors(name: str) -> tuple[str, str]:
    """(strong colour, tint) of an organisation of the diagrams, by its name in any form
    (``Kommunen``, ``boligorganisation``); grey for any other actor."""
    key = name.lower()
    for organisation, colors in ORGANISATION_COLORS.items():
        if key.startswith(organisation):
            return colors
    return (MUTED, OTHER_TINT)


def scale_kind(labels: Iterable[str]) -> str:
    """:data:`DIVERGING` for a scale between two opposite poles, else :data:`SEQUENTIAL`.

    The codebook lists an ordinal question's answers in scale order, low to high. A scale has
    two poles when its middle answer is neutral (»Hverken enig eller uenig«, »Hverken tilfreds
    eller utilfreds«), or when its ends are a word and its negation (»Helt uenig« … »Helt
    enig«, »Meget utilfreds« … »Meget tilfreds«). Any other order (from »Meget begrænset
    tid« to »Mere end en fuldtidsstilling«) runs from less to more: one hue, darker for
    more.
    """
    words = [str(label).strip().lower() for label in labels]
    if len(words) < 2:
        return SEQUENTIAL
    if len(words) % 2 == 1 and len(words) >= 3:
        middle = words[len(words) // 2]
        if middle.startswith("hverken ") and " eller " in middle:
            return DIVERGING
    low, high = words[0].split()[-1], words[-1].split()[-1]
    return DIVERGING if low == "u" + high or high == "u" + low else SEQUENTIAL


def _readable(color, darker: bool) -> str:
    """``color`` as hex, taken darker (or lighter) until a text colour reaches 4.5:1 on it."""
    rgb = np.array(matplotlib.colors.to_rgb(color))
    for _ in range(40):
        hex_color = matplotlib.colors.to_hex(rgb)
        if contrast_ratio(hex_color, text_color(hex_color)) >= 4.5:
            return hex_color
        rgb = rgb * 0.96 if darker else rgb + (1 - rgb) * 0.06
    return matplotlib.colors.to_hex(rgb)


def scale_colors(kind: str, n: int) -> list[str]:
    """The colours of ``n`` answer categories of a scale of ``kind`` (:func:`scale_kind`), in
    scale order: the fixed palettes for five categories (and four sequential steps), else
    evenly spaced along the same colour maps; every colour reaches 4.5:1 with its text."""
    if kind == DIVERGING:
        if n == 5:
            return list(DIVERGING5)
        positions, cmap = np.linspace(0.1, 0.9, n), matplotlib.colormaps["PRGn"]
    else:
        if n == 4:
            return list(SCALE4)
        if n == 5:
            return list(SEQUENTIAL5)
        positions, cmap = np.linspace(0.18, 0.95, max(n, 1)), matplotlib.colormaps["Blues"]
    return [_readable(cmap(p), darker=p > 0.5) for p in positions][:n]
