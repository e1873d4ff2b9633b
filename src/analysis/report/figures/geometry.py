"""Where a figure's labels land: measured with the figure's renderer, checked against each
other and the bars, and moved, wrapped or dropped so that they fit.

A value printed in a bar that does not fit its segment is left out (the segment stays
unlabelled: its value is in the figure's data table; no value floats above its bar); a value
after a bar moves into it when it would run past the axis, and step texts
are wrapped to the width of their step. :func:`label_overlaps` measures every label of a
finished figure.
"""

from __future__ import annotations

import textwrap
import weakref

import matplotlib.colors
import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from analysis.report.figures.contrast import text_color

# Roles of labels (matplotlib gids), so the layout pass after tight_layout knows them.
IN_BAR = "label-in-bar"        # a value centred in its bar segment: left out if it does not
                               # fit there
AFTER_BAR = "label-after-bar"  # a value after its bar: moved into the bar if it runs past 100 %
PAD_PX = 1.0                   # free space a label keeps to the edge of its bar (pixels)


class FigureLayoutError(ValueError):
    """A figure's labels overlap each other or a bar."""


# Figures drawn to scale (a diagram whose axes fill the figure, one data unit an inch): their
# layout is their own, and :func:`layout` leaves it as it is.
_DRAWN_TO_SCALE: weakref.WeakSet = weakref.WeakSet()


def drawn_to_scale(ax: plt.Axes, width: float, height: float) -> plt.Axes:
    """Make ``ax`` fill its figure of ``width`` x ``height`` inches, one data unit an inch,
    without axis, and keep :func:`layout` from moving it."""
    fig = ax.figure
    fig.set_size_inches(width, height)
    ax.set_position((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    _DRAWN_TO_SCALE.add(fig)
    return ax



def renderer(fig, draw: bool = False):
    """The figure's Agg renderer, for measuring; ``draw`` first lays out the tick labels."""
    if not hasattr(fig.canvas, "get_renderer"):  # a figure made under another backend
        FigureCanvasAgg(fig)
    if draw:
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def box(artist, renderer) -> Bbox:
    """Where ``artist`` lands in the figure, in pixels."""
    return artist.get_window_extent(renderer)


def _patch_containing(patches: list[tuple[Patch, Bbox]], text: Text) -> tuple | None:
    """The filled bar or step (with its box) whose box holds the text's anchor point."""
    x, y = text.get_transform().transform(text.get_position())
    return next(((patch, area) for patch, area in patches if area.contains(x, y)), None)


def _obstacles(ax: plt.Axes) -> list[Patch]:
    """Bars, steps and boxes: the filled patches labels must stay inside of or clear of (an
    arrow, which has no width, is none of them)."""
    return [p for p in ax.patches if p.get_visible() and p.get_fill()
            and hasattr(p, "get_width") and p.get_width() > 0
            and p.get_height() > 0] if ax.patches else []


def _inside(inner: Bbox, outer: Bbox, pad: float = 0.0) -> bool:
    return (inner.x0 >= outer.x0 + pad - 0.5 and inner.x1 <= outer.x1 - pad + 0.5
            and inner.y0 >= outer.y0 - 0.5 and inner.y1 <= outer.y1 + 0.5)


def _overlap(a: Bbox, b: Bbox, tolerance: float = 0.5) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def fit_labels(fig) -> None:
    """Final label layout, once the axes have their size: a bar label that does not fit its
    segment is left out, and a value that would run past the axis moves into its bar."""
    measure = renderer(fig)
    for ax in fig.axes:
        axes_box = box(ax, measure)
        patches = [(patch, box(patch, measure)) for patch in _obstacles(ax)]
        for text in list(ax.texts):
            if text.get_gid() == IN_BAR:
                found = _patch_containing(patches, text)
                if found is None or not _inside(box(text, measure), found[1], PAD_PX):
                    text.remove()
            elif text.get_gid() == AFTER_BAR and box(text, measure).x1 > axes_box.x1:
                x, y = text.get_position()
                text.set_ha("right")
                text.set_x(x - 0.03)   # from just after the bar's end to just inside it
                found = _patch_containing(patches, text)
                if found is not None:
                    text.set_color(text_color(matplotlib.colors.to_hex(
                        found[0].get_facecolor())))


def layout(fig) -> None:
    """tight_layout, then room on the right for labels beside the axes (so the figure keeps
    its width and its type size in the report), then :func:`fit_labels`. A figure
    :func:`drawn_to_scale` keeps its own layout."""
    if fig in _DRAWN_TO_SCALE:
        fit_labels(fig)
        return
    fig.tight_layout()
    measure = renderer(fig)
    width = fig.bbox.width
    for ax in fig.axes:
        right = max((box(t, measure).x1 for t in ax.texts if t.get_visible()), default=0)
        overflow = right - (width - 4)
        if overflow > 0:
            position = ax.get_position()
            fig.subplots_adjust(left=position.x0, right=position.x1 - overflow / width)
    fit_labels(fig)


def _labels(fig) -> list[Text]:
    """Every piece of text a reader sees in the figure."""
    found = []
    for ax in fig.axes:
        found.extend(ax.texts)
        found.extend(ax.get_xticklabels() + ax.get_yticklabels())
        found.extend([ax.xaxis.label, ax.yaxis.label, ax.title])
        legend = ax.get_legend()
        if legend is not None:
            found.extend(legend.get_texts())
    found.extend(fig.texts)
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def label_overlaps(fig, alternatives=()) -> list[str]:
    """Every label that overlaps another label or a bar it is not inside, measured with the
    figure's renderer in its current layout. An empty list means the labels are clear.

    ``alternatives`` are labels of which a report shows at most one at each place (every
    mark a municipality could get): they are not compared with each other.
    """
    measure = renderer(fig, draw=True)
    labels = [(t, box(t, measure)) for t in _labels(fig)]
    alternatives = set(alternatives)
    problems = []
    for i, (a, box_a) in enumerate(labels):
        for b, box_b in labels[i + 1:]:
            if a in alternatives and b in alternatives:
                continue
            if _overlap(box_a, box_b):
                problems.append(f"label {a.get_text()!r} overlaps label {b.get_text()!r}")
    boxes = dict(labels)
    for ax in fig.axes:
        texts = [(t, boxes[t]) for t in ax.texts if t in boxes]
        for patch in _obstacles(ax):
            box_p = box(patch, measure)
            for text, box_t in texts:
                if _overlap(box_t, box_p) and not _inside(box_t, box_p):
                    problems.append(f"label {text.get_text()!r} overlaps a bar without "
                                    "fitting inside it")
    return problems


def texts_overlap(fig) -> list[str]:
    """The texts of ``fig`` that overlap each other (the marks drawn over a figure: the
    figure's own labels were checked against every mark it could get)."""
    measure = renderer(fig)
    texts = [(t, box(t, measure)) for ax in fig.axes for t in ax.texts if t.get_visible()]
    return [f"label {a.get_text()!r} overlaps label {b.get_text()!r}"
            for i, (a, box_a) in enumerate(texts) for b, box_b in texts[i + 1:]
            if _overlap(box_a, box_b)]


def fit_width(text: Text, width_px: float, renderer) -> None:
    """Wrap ``text`` at word boundaries, fewer characters per line, until it is at most
    ``width_px`` wide (a single word wider than that is left as it is)."""
    words = text.get_text().replace("\n", " ")
    for chars in range(len(words), 3, -1):
        text.set_text(textwrap.fill(words, chars, break_long_words=False))
        if box(text, renderer).width <= width_px:
            return
