"""A drawn figure as the report's SVG: laid out, checked, and saved with fixed ids and no
date, so that the same data give the same bytes.

:func:`to_figure` saves a whole figure. A figure that marks a municipality's own answers
is saved in two parts (:mod:`analysis.report.figures.overlay`): :func:`save_base` saves what
every municipality shares, :func:`with_marks` lays one municipality's marks over it.
"""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt
from matplotlib.text import Text

from analysis.report.figures import overlay
from analysis.report.figures.geometry import (AFTER_BAR, IN_BAR, FigureLayoutError,
                                              label_overlaps, layout, renderer, texts_overlap)
from analysis.report.figures.style import TEXT_WIDTH_IN
from analysis.report.present import Figure

# The width a figure prints at, at most: the PDF places a figure's SVG at its own size, scaled
# down to the width of the text when it is wider (report.typ: A4, 2.5 cm margins left and
# right, so 16 cm of text; a figure is an image with no width of its own). Figures are drawn
# to fit it (``style.WIDTH_IN``), so their type prints at the size it is drawn at.
PRINT_WIDTH_PT = TEXT_WIDTH_IN * 72

# A text of a saved figure: matplotlib writes it as glyph paths (``svg.fonttype: path``) in a
# group scaled by the font size / 100, after a comment holding the text.
_SVG_TEXT = re.compile(r"<!-- (.*?) -->\s*<g\b[^>]*?transform=\"[^\"]*?"
                       r"scale\(([0-9.]+) -[0-9.]+\)\"", re.DOTALL)
_SVG_WIDTH = re.compile(r"<svg\b[^>]*?\bwidth=\"([0-9.]+)pt\"")


def print_scale(picture: str) -> float:
    """How much the PDF scales a figure's SVG: 1, or less for a figure wider than the text."""
    found = _SVG_WIDTH.search(picture)
    if found is None:
        raise ValueError("the SVG has no width in points")
    return min(1.0, PRINT_WIDTH_PT / float(found.group(1)))


def print_label_sizes(picture: str) -> list[tuple[str, float]]:
    """Every text of a figure's SVG (one line of a label at a time) with the size in points
    it prints at in the PDF."""
    scale = print_scale(picture)
    return [(text, float(size) * 100 * scale) for text, size in _SVG_TEXT.findall(picture)]


def to_figure(ax: plt.Axes, *, ident: str, caption: str, source: str) -> Figure:
    """Lay out the labels, check them, render the figure to deterministic SVG and close it.

    Raises
    ------
    FigureLayoutError
        When labels overlap each other or a bar (see :func:`label_overlaps`).
    """
    fig = ax.figure
    layout(fig)
    problems = label_overlaps(fig)
    if problems:
        plt.close(fig)
        raise FigureLayoutError(f"figure {ident!r}: " + "; ".join(problems[:5]))
    _clear_roles(fig)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight",
                metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return Figure(svg=buffer.getvalue(), ident=ident, caption=caption, source=source)


def _clear_roles(fig) -> None:
    """Forget the labels' layout roles before saving: matplotlib writes a gid as the SVG id,
    and an id must not repeat."""
    for ax in fig.axes:
        for text in ax.texts:
            if text.get_gid() in (IN_BAR, AFTER_BAR):
                text.set_gid(None)


def save_base(ax: plt.Axes, every_mark: list[Text]) -> overlay.Base:
    """The drawn figure of ``ax`` laid out with ``every_mark`` (every mark a municipality
    could get, checked against the figure's own labels), then saved without them."""
    fig = ax.figure
    layout(fig)
    problems = label_overlaps(fig, alternatives=every_mark)
    if problems:
        plt.close(fig)
        raise FigureLayoutError("figure: " + "; ".join(problems[:5]))
    area = overlay.saved_area(fig, renderer(fig))
    for text in every_mark:
        text.remove()
    _clear_roles(fig)
    drawn = overlay.Base(overlay.svg(fig, area), overlay.frame_of(ax, area))
    plt.close(fig)
    return drawn


def with_marks(base: overlay.Base, draw, *, ident: str, caption: str,
               source: str) -> Figure:
    """The report figure: ``base``, with what ``draw(ax)`` draws laid over it (if anything)."""
    picture = base.svg
    if draw is not None:
        try:
            picture = overlay.on_top(base.svg, overlay.marks_svg(
                base.frame, draw, texts_overlap))
        except ValueError as err:
            raise FigureLayoutError(f"figure {ident!r}: {err}") from None
    return Figure(svg=picture, ident=ident, caption=caption, source=source)
