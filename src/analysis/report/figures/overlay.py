"""A municipality's marks drawn over a figure drawn once for every municipality.

A figure that marks a municipality's own answers (an outline round its answer, its answer named
beside the bar) differs from report to report only in those marks. The figure without them is
drawn once and kept (:mod:`analysis.report.figures.cache`), laid out with room for the widest
mark any municipality could get, so that every municipality's figure shares one layout. For
each report only the marks are drawn: in a transparent figure of the same size, with axes at
the same place and the same limits, saved with the same bounding box, so that its drawing
falls exactly on the kept figure's. Its SVG content is put on top of the kept figure's SVG.

A cold run takes the same path (base, then marks), so a figure from a warm kernel is byte for
byte the figure a fresh one draws.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Callable

import matplotlib
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

# Every id of the marks' SVG gets this prefix, so that none repeats one of the base's (both
# define glyphs and clip paths under the same kind of names).
MARK_ID_PREFIX = "marks-"


@dataclass(frozen=True)
class Frame:
    """Where a figure's axes sit and what they show: all a drawing on top needs."""

    size: tuple[float, float]                    # figure size, inches
    position: tuple[float, float, float, float]  # axes (left, bottom, width, height), 0-1
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    bbox: tuple[float, float, float, float]      # saved area (x0, y0, width, height), inches


@dataclass(frozen=True)
class Base:
    """A figure without marks, as SVG, and its frame."""

    svg: str
    frame: Frame
    anchors: tuple = ()      # what the marks are placed by, measured when the base was drawn


def saved_area(fig, renderer) -> Bbox:
    """The area ``savefig(bbox_inches="tight")`` would save, in inches, measured with the
    given renderer (marks that are to be drawn over the figure must be in it while this is
    measured, so that the area has room for them)."""
    return fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])


def svg(fig, area: Bbox) -> str:
    """``fig`` as SVG of exactly ``area`` (inches), with no date or creator."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches=area,
                metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def frame_of(ax, area: Bbox) -> Frame:
    fig = ax.figure
    return Frame(size=tuple(float(v) for v in fig.get_size_inches()),
                 position=tuple(float(v) for v in ax.get_position().bounds),
                 xlim=tuple(float(v) for v in ax.get_xlim()),
                 ylim=tuple(float(v) for v in ax.get_ylim()),
                 bbox=tuple(float(v) for v in area.bounds))


# Transparent axes for marks, one per frame, kept for the kernel's life: making a figure and
# its axes took more time than drawing and saving the marks. What a report draws on them is
# removed again once its SVG is saved, so every report starts from the same empty axes.
_MARK_AXES: dict[Frame, tuple] = {}


def _mark_axes(frame: Frame) -> tuple:
    """The figure, the axes and the artists they hold before anything is drawn."""
    if frame not in _MARK_AXES:
        fig = Figure(figsize=frame.size)
        fig.patch.set_visible(False)
        ax = fig.add_axes(frame.position)
        ax.set_facecolor("none")
        ax.axis("off")
        _MARK_AXES[frame] = (fig, ax, frozenset(fig.get_children()) | frozenset(
            ax.get_children()))
    return _MARK_AXES[frame]


def marks_svg(frame: Frame, draw: Callable, check: Callable[[object], list[str]]) -> str:
    """The SVG of what ``draw(ax)`` puts on transparent axes placed as ``frame`` says.

    ``check(fig)`` returns the problems of the drawn marks (overlapping labels); a non-empty
    list is raised as the ``ValueError`` the caller's check stands for.
    """
    fig, ax, empty = _mark_axes(frame)
    ax.set_xlim(frame.xlim)
    ax.set_ylim(frame.ylim)
    try:
        draw(ax)
        ax.set_xlim(frame.xlim)
        ax.set_ylim(frame.ylim)
        problems = check(fig)
        if problems:
            raise ValueError("; ".join(problems[:5]))
        return svg(fig, Bbox.from_bounds(*frame.bbox))
    finally:
        for artist in [*ax.get_children(), *fig.get_children()]:
            if artist not in empty:
                artist.remove()


_BODY = re.compile(r'<g id="figure_1">.*(?=</svg>)', re.DOTALL)


def on_top(base: str, marks: str) -> str:
    """``base`` SVG with the drawing of ``marks`` (same size and view box) over it."""
    found = _BODY.search(marks)
    end = base.rfind("</svg>")
    if found is None or end < 0 or _view_box(base) != _view_box(marks):
        raise ValueError("the marks' SVG does not fit the figure's")
    body = (found.group(0).replace('id="', f'id="{MARK_ID_PREFIX}')
            .replace('href="#', f'href="#{MARK_ID_PREFIX}')
            .replace("url(#", f"url(#{MARK_ID_PREFIX}"))
    return base[:end] + body + base[end:]


def _view_box(text: str) -> str | None:
    found = re.search(r'viewBox="([^"]*)"', text)
    return found.group(1) if found else None
