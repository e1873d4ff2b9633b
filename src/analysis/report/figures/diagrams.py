"""Diagrams: Samarbejdstrappen (the staircase of collaboration, with the municipality's own
steps marked), the study's levels across its organisations, and the helhedsplan among the
actors it works with.

:func:`staircase_figure` is the report's figure, cached by its arguments: the steps are drawn
once for every municipality, and only a municipality's marks for each report
(:mod:`analysis.report.figures.overlay`).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from analysis.report import danish
from analysis.report.figures import overlay, svg
from analysis.report.figures.cache import cached
from analysis.report.figures.contrast import text_color
from analysis.report.figures.geometry import PAD_PX, box, fit_width, renderer
from analysis.report.figures.style import OWN, SCALE4, TEXT, new_axes
from analysis.report.present import Figure

STEP_WIDTH = 0.94   # of a step's unit of width; the rest is the gap to the next step


@cached
def staircase_figure(steps: list[str], shares: dict[str, list[float]],
                     own: dict[str, int] | None, *, ident: str, source: str,
                     caption: str = "") -> Figure:
    """:func:`staircase` as a report figure (cached); the municipality's steps are marked
    over the steps drawn once for every municipality."""
    own_steps = _own_steps(own, len(steps))
    base = _staircase_base(steps, shares, bool(own_steps))
    draw = None
    if own_steps:
        geometry, step_px = base.anchors
        draw = lambda ax: _staircase_marks(ax, geometry, step_px, own_steps,  # noqa: E731
                                           renderer(ax.figure))
    return svg.with_marks(base, draw, ident=ident, caption=caption, source=source)


@cached
def _staircase_base(steps: list[str], shares: dict[str, list[float]],
                    room: bool) -> overlay.Base:
    """The steps of :func:`staircase_figure`; with ``room``, laid out for a mark naming every
    partner on every step."""
    ax, geometry, step_px = _staircase(steps, shares)
    every = [p.lower() for p in shares]
    marks = _staircase_marks(ax, geometry, step_px, {i: every for i in range(len(steps))},
                             renderer(ax.figure)) if room else []
    base = svg.save_base(ax, marks)
    return overlay.Base(base.svg, base.frame, (tuple(geometry), step_px))


def staircase(steps: list[str], shares: dict[str, list[float]], *,
              own: dict[str, int] | None = None, ax=None) -> plt.Axes:
    """Samarbejdstrappen: four steps rising left to right; on each step the share of
    municipalities whose collaboration sits there, per collaboration partner.

    ``own`` maps a partner to the municipality's own step (1-based): the step is outlined in
    the municipality's colour and named above the step's title. Every text is wrapped to the
    width of its step.
    """
    ax, geometry, step_px = _staircase(steps, shares, ax)
    _staircase_marks(ax, geometry, step_px, _own_steps(own, len(steps)), renderer(ax.figure))
    return ax


def _staircase(steps: list[str], shares: dict[str, list[float]], ax=None):
    """The steps of :func:`staircase`, and where a mark goes on each: (height, top of its
    title) per step in data units, and a step's width in pixels."""
    ax = new_axes(ax, 3.3)
    n = len(steps)
    width = STEP_WIDTH
    top_margin = 0.42
    ax.set_xlim(-0.02, n - 0.04)
    ax.set_ylim(0, 1 + top_margin)
    ax.axis("off")
    fig = ax.figure
    fig.tight_layout()
    measure = renderer(fig)
    step_px = abs(ax.transData.transform((width, 0))[0] - ax.transData.transform((0, 0))[0])
    geometry = []
    for i, name in enumerate(steps):
        height = (i + 1) / n
        color = SCALE4[i % len(SCALE4)]
        ax.add_patch(FancyBboxPatch((i, 0), width, height, boxstyle="square,pad=0",
                                    facecolor=color, edgecolor="white"))
        title = ax.text(i + width / 2, height + 0.03, f"{i + 1}. {name}", ha="center",
                        va="bottom", fontsize=8.5, fontweight="bold", color=TEXT,
                        linespacing=1.15)
        fit_width(title, step_px - 2 * PAD_PX, measure)
        geometry.append((height, float(ax.transData.inverted().transform(
            (0, box(title, measure).y1))[1])))
        lines = [f"{partner}: {danish.percent(values[i])}"
                 for partner, values in shares.items()]
        inside = ax.text(i + width / 2, height / 2, "\n".join(lines), ha="center",
                         va="center", fontsize=7, color=text_color(color), linespacing=1.2)
        if box(inside, measure).width > step_px - 2 * PAD_PX:
            inside.set_text("\n".join(f"{partner}:\n{danish.percent(values[i])}"
                                      for partner, values in shares.items()))
    return ax, geometry, float(step_px)


def _own_steps(own: dict[str, int] | None, n: int) -> dict[int, list[str]]:
    """Step index (0-based) -> the partners whose collaboration with the municipality sits
    there, lower case, for the steps the figure has."""
    steps: dict[int, list[str]] = {}
    for partner, step in (own or {}).items():
        if 0 <= int(step) - 1 < n:
            steps.setdefault(int(step) - 1, []).append(partner.lower())
    return steps


def _staircase_marks(ax: plt.Axes, geometry, step_px: float, own_steps: dict[int, list[str]],
                     measure) -> list:
    """The municipality's steps outlined in its colour and named above their titles."""
    drawn = []
    for i, partners in sorted(own_steps.items()):
        height, title_top = geometry[i]
        drawn.append(ax.add_patch(Rectangle((i, 0), STEP_WIDTH, height, fill=False,
                                             edgecolor=OWN, linewidth=2.2)))
        text = f"{danish.FIGURE_OWN_STEP}: " + f" {danish.AND} ".join(partners)
        mark = ax.text(i + STEP_WIDTH / 2, title_top + 0.02, text, ha="center", va="bottom",
                       fontsize=7.5, fontweight="bold", color=OWN, linespacing=1.1)
        fit_width(mark, step_px - 2 * PAD_PX, measure)
        drawn.append(mark)
    return drawn


def levels_diagram(levels: list[str], organisations: list[str], *, ax=None) -> plt.Axes:
    """The four levels of the study (rows) across the three organisations (columns)."""
    ax = new_axes(ax, 2.8)
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


def collaboration_diagram(centre: str, partners: tuple[str, str], actors: list[str], *,
                          ax=None) -> plt.Axes:
    """The helhedsplan between its two partners, with the actors it works with around them.

    ``centre`` sits in the middle, the two ``partners`` on either side (solid lines: the
    collaboration the report is about), ``actors`` on a ring around them (dotted lines).
    """

    ax = new_axes(ax, 3.8)
    height = 0.62

    def node(x: float, y: float, text: str, color: str, label_color: str, w: float,
             weight: str = "bold", size: float = 8.5) -> None:
        ax.add_patch(FancyBboxPatch((x - w / 2, y - height / 2), w, height,
                                    boxstyle="round,pad=0.04", facecolor=color,
                                    edgecolor="white", linewidth=1, zorder=2))
        ax.text(x, y, textwrap.fill(text, 16, break_long_words=False), ha="center",
                va="center", fontsize=size, fontweight=weight, color=label_color, zorder=3,
                linespacing=1.1)

    left, right = (-2.95, 0.0), (2.95, 0.0)
    for x, _ in (left, right):
        ax.plot([x, 0], [0, 0], color=SCALE4[2], linewidth=2.5, zorder=1)
    node(0, 0, centre, SCALE4[3], "white", 2.2, size=8)
    node(*left, partners[0], SCALE4[2], "white", 2.8, size=8)
    node(*right, partners[1], SCALE4[2], "white", 2.8, size=8)
    count = len(actors)
    for i, actor in enumerate(actors):
        angle = np.pi / 2 - 2 * np.pi * (i + 0.5) / count
        x, y = 4.3 * np.cos(angle), 2.0 * np.sin(angle)
        ax.plot([0, x], [0, y], color="#888888", linewidth=0.8, linestyle=":", zorder=0)
        node(x, y, actor, SCALE4[0], TEXT, 2.2, weight="normal", size=7.5)
    ax.set_xlim(-5.5, 5.5)
    ax.set_ylim(-2.55, 2.55)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.axis("off")
    return ax
