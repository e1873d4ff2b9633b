"""The report's figures: the house style and one drawing function per kind of figure.

Every drawing function has the shape ``fn(data, *, ..., ax=None) -> Axes``; it neither saves
nor shows. ``to_figure`` turns a drawn matplotlib figure into a ``present.Figure`` (SVG with
fixed ids and no date, so the same data give the same bytes), after laying out its labels and
refusing a figure whose labels overlap each other or a bar. Report figures (the ``*_figure``
functions) are cached by their arguments.

Modules:

* :mod:`~analysis.report.figures.style`: colours (by the kind of scale), type sizes, the
  figure width;
* :mod:`~analysis.report.figures.contrast`: WCAG contrast, the text colour for a bar;
* :mod:`~analysis.report.figures.geometry`: label measurement, fitting and overlap checks;
* :mod:`~analysis.report.figures.svg`: a drawn figure as deterministic SVG, and the size its
  labels print at;
* :mod:`~analysis.report.figures.cache`: report figures kept by their arguments;
* :mod:`~analysis.report.figures.overlay`: a municipality's marks over a kept figure;
* :mod:`~analysis.report.figures.bars`: bars of shares, plain and stacked;
* :mod:`~analysis.report.figures.diagrams`: Samarbejdstrappen, the levels of the study and
  the helhedsplan's collaboration surface.
"""

from __future__ import annotations

import matplotlib

# The figures are drawn off screen; this runs before any module of the package imports pyplot.
matplotlib.use("Agg")

from analysis.report.figures.bars import (CATEGORY_WIDTH, OWN_LABEL,  # noqa: E402
                                          OWN_LABEL_WIDTH, share_bars, share_bars_figure,
                                          stacked_figure, stacked_shares)
from analysis.report.figures.cache import cached  # noqa: E402
from analysis.report.figures.contrast import contrast_ratio, text_color  # noqa: E402
from analysis.report.figures.diagrams import (collaboration_diagram,  # noqa: E402
                                              levels_diagram, staircase, staircase_figure)
from analysis.report.figures.geometry import (AFTER_BAR, IN_BAR, PAD_PX,  # noqa: E402
                                              FigureLayoutError, fit_labels, label_overlaps,
                                              layout)
from analysis.report.figures.style import (DIVERGING, DIVERGING5,  # noqa: E402
                                           ORGANISATION_COLORS, OWN, PALETTE, SCALE4, SCALE5,
                                           SEQUENTIAL, SEQUENTIAL5, TEXT, WIDTH_IN,
                                           scale_colors, scale_kind, use_house_style)
from analysis.report.figures.svg import (PRINT_WIDTH_PT, print_label_sizes,  # noqa: E402
                                         print_scale, to_figure)

_text_color = text_color   # the name the accessibility checks know it by

__all__ = [
    "AFTER_BAR", "CATEGORY_WIDTH", "DIVERGING", "DIVERGING5", "IN_BAR",
    "ORGANISATION_COLORS", "OWN", "OWN_LABEL", "OWN_LABEL_WIDTH", "PAD_PX", "PALETTE",
    "PRINT_WIDTH_PT", "SCALE4", "SCALE5", "SEQUENTIAL", "SEQUENTIAL5", "TEXT", "WIDTH_IN",
    "FigureLayoutError", "cached", "collaboration_diagram", "contrast_ratio", "fit_labels",
    "label_overlaps", "layout", "levels_diagram", "print_label_sizes", "print_scale",
    "scale_colors", "scale_kind", "share_bars", "share_bars_figure", "staircase",
    "staircase_figure", "stacked_figure", "stacked_shares", "text_color", "to_figure",
    "use_house_style",
]
