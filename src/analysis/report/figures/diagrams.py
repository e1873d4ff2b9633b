"""Diagrams: Samarbejdstrappen (a schematic staircase, the share of municipalities on each
step printed under it, the municipality's own steps marked), the study's levels across its
three organisations, and the helhedsplan among the actors it works with.

The diagrams are drawn to scale (:func:`~analysis.report.figures.geometry.drawn_to_scale`):
one data unit is an inch at the width of the page's text, so every size and gap below is
what the reader sees. Their texts are measured first and the boxes made to fit them.

:func:`staircase_figure` is the report's figure, cached by its arguments: the steps are drawn
once for every municipality, and only a municipality's marks for each report
(:mod:`analysis.report.figures.overlay`).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.text import Text

from analysis.report import danish
from analysis.report.figures import overlay, svg
from analysis.report.figures.cache import cached
from analysis.report.figures.contrast import text_color
from analysis.report.figures.geometry import box, drawn_to_scale, fit_width, renderer
from analysis.report.figures.style import (MUTED, OWN, SEQUENTIAL, TEXT, WIDTH_IN, new_axes,
                                           organisation_colors, scale_colors)
from analysis.report.present import Figure

# Type sizes (points, at print size).
TITLE_PT = 9.5     # a step's or an organisation's name
BODY_PT = 9        # the shares under the steps, the row and level names
SMALL_PT = 8.5     # what a step means, who sits at a level, the actors, the key
PAD = 0.07         # inches between a text and the edge of its box


def _text(ax: plt.Axes, s: str, width: float, measure, **style) -> Text:
    """A text wrapped at word boundaries to ``width`` inches (placed later)."""
    text = ax.text(0, 0, s, **style)
    fit_width(text, width * ax.figure.dpi, measure)
    return text


def _size(text: Text, measure) -> tuple[float, float]:
    """(width, height) of a text, in inches."""
    found = box(text, measure)
    return found.width / text.figure.dpi, found.height / text.figure.dpi


# ------------------------------------------------------------------ samarbejdstrappen

@cached
def staircase_figure(steps: list[str], shares: dict[str, list[float]],
                     own: dict[str, int] | None, *, ident: str, source: str,
                     rows: tuple[str, ...] | None = None, caption: str = "") -> Figure:
    """:func:`staircase` as a report figure (cached); the municipality's steps are marked
    over the steps drawn once for every municipality."""
    cells = _own_cells(own, list(shares), len(steps))
    base = _staircase_base(steps, shares, rows, bool(cells))
    draw = (lambda ax: _staircase_marks(ax, base.anchors, cells)) if cells else None
    return svg.with_marks(base, draw, ident=ident, caption=caption, source=source)


@cached
def _staircase_base(steps: list[str], shares: dict[str, list[float]],
                    rows: tuple[str, ...] | None, room: bool) -> overlay.Base:
    """The steps of :func:`staircase_figure`; with ``room``, laid out for a mark in every
    cell of the shares under the steps."""
    ax, grid = _staircase(steps, shares, rows)
    every = [(r, s) for r in range(len(shares)) for s in range(len(steps))]
    marks = _staircase_marks(ax, grid, every) if room else []
    base = svg.save_base(ax, marks)
    return overlay.Base(base.svg, base.frame, grid)


def staircase(steps: list[str], shares: dict[str, list[float]], *,
              own: dict[str, int] | None = None, rows: tuple[str, ...] | None = None,
              ax=None) -> plt.Axes:
    """Samarbejdstrappen as a schematic: equal steps rising left to right, each named above
    its tread and explained on its face; under each step, one line per collaboration
    partner, the share of municipalities whose collaboration sits there (``shares``: partner
    -> share on each step, lowest first; ``rows``: the lines' names, else the partners').

    The heights are the order of the steps, not data: every step rises as much as the one
    before. ``own`` maps a partner to the municipality's own step (1-based): its share is
    framed, as the own answer in every figure, and marked »Jer« in the municipality's colour.
    """
    ax, grid = _staircase(steps, shares, rows, ax)
    _staircase_marks(ax, grid, _own_cells(own, list(shares), len(steps)))
    return ax


def _staircase(steps: list[str], shares: dict[str, list[float]],
               rows: tuple[str, ...] | None = None, ax=None):
    """The steps of :func:`staircase`, and the grid its marks are placed by: (left edge of
    the first step, a step's width, the row height, the rows' centres), in inches."""
    ax = new_axes(ax, 3.0)
    fig = ax.figure
    measure = renderer(fig)
    n, partners = len(steps), list(shares)
    names = list(rows) if rows else partners
    colors = scale_colors(SEQUENTIAL, n)
    header = ax.text(0, 0, danish.FIGURE_SHARE_AXIS, ha="right", va="bottom",
                     fontsize=SMALL_PT, fontstyle="italic", color=MUTED)
    # The rows' names, left of the steps, as wide as their longest word or the header.
    words = [ax.text(0, 0, word, fontsize=BODY_PT) for name in names for word in name.split()]
    label_width = max(_size(t, measure)[0] for t in [header, *words]) + PAD
    for word in words:
        word.remove()
    left = label_width + 0.08                # the first step's left edge
    width = (WIDTH_IN - left) / n

    # A step's number stays with its name (a no-break space).
    titles = [_text(ax, f"{i + 1}.{danish.NBSP}{name}", width - 0.06, measure, ha="center",
                    va="bottom", fontsize=TITLE_PT, fontweight="bold", color=TEXT,
                    linespacing=1.1) for i, name in enumerate(steps)]
    notes = [_text(ax, danish.FIGURE_STEP_TEXTS[str(name)], width - 2 * PAD, measure,
                   ha="center", va="top", fontsize=SMALL_PT, color=text_color(colors[i]),
                   linespacing=1.15) if str(name) in danish.FIGURE_STEP_TEXTS else None
             for i, name in enumerate(steps)]
    labels = [_text(ax, name, label_width - PAD, measure, ha="right", va="center",
                    fontsize=BODY_PT, color=TEXT, linespacing=1.1) for name in names]

    # Equal rises, each as high as the tallest explanation needs on the lowest step it fits.
    rise = max([0.38] + [(_size(note, measure)[1] + 2 * PAD) / (i + 1)
                         for i, note in enumerate(notes) if note is not None])
    row_height = max([0.3] + [_size(label, measure)[1] + 0.08 for label in labels])
    ground = len(partners) * row_height + 0.1
    top = max(ground + (i + 1) * rise + 0.05 + _size(title, measure)[1]
              for i, title in enumerate(titles)) + 0.04
    drawn_to_scale(ax, WIDTH_IN, top)

    for i in range(n):
        x, height = left + i * width, (i + 1) * rise
        ax.add_patch(Rectangle((x, ground), width, height, facecolor=colors[i],
                               edgecolor="white", linewidth=1.2))
        titles[i].set_position((x + width / 2, ground + height + 0.05))
        if notes[i] is not None:
            notes[i].set_position((x + width / 2, ground + height - PAD))
    ax.plot([0, WIDTH_IN], [ground, ground], color=MUTED, linewidth=0.8)
    header.set_position((label_width, ground + 0.04))
    centres = []
    for r, partner in enumerate(partners):
        y = ground - 0.05 - (r + 0.5) * row_height
        centres.append(y)
        labels[r].set_position((label_width, y))
        for i, value in enumerate(shares[partner][:n]):
            ax.text(left + (i + 0.5) * width, y, danish.percent(value), ha="center",
                    va="center", fontsize=BODY_PT, color=TEXT)
        if r:
            ax.plot([0, WIDTH_IN], [y + row_height / 2] * 2, color="#d0d0d0", linewidth=0.6)
    return ax, (left, width, row_height, tuple(centres))


def _own_cells(own: dict[str, int] | None, partners: list[str],
               n: int) -> list[tuple[int, int]]:
    """(row, step), both 0-based, of the municipality's own step with each partner."""
    cells = []
    for partner, step in (own or {}).items():
        if partner in partners and 0 <= int(step) - 1 < n:
            cells.append((partners.index(partner), int(step) - 1))
    return sorted(cells)


def _staircase_marks(ax: plt.Axes, grid, cells) -> list:
    """The municipality's shares framed, as in the stacked bars, and marked »Jer« in its
    colour."""
    left, width, row_height, centres = grid
    drawn = []
    for row, step in cells:
        x, y = left + step * width, centres[row]
        drawn.append(ax.add_patch(Rectangle((x + 0.05, y - row_height / 2 + 0.03),
                                            width - 0.1, row_height - 0.06, fill=False,
                                            edgecolor=TEXT, linewidth=2)))
        drawn.append(ax.text(x + width - 0.1, y, danish.FIGURE_OWN_STEP, ha="right",
                             va="center", fontsize=BODY_PT, fontweight="bold", color=OWN))
    return drawn


# ------------------------------------------------------------------ levels

def levels_diagram(levels: list[str], organisations: list[str], *,
                   roles: dict[tuple[str, str], str] | None = None,
                   links: tuple[tuple[str, str, str], ...] = (), ax=None) -> plt.Axes:
    """The study's levels (rows) across its organisations (columns).

    ``roles`` names who sits at a level of an organisation (``(level, organisation) ->
    text``); a level an organisation has no one at is left empty. A line in the
    organisation's colour joins its levels; a two-headed arrow joins two organisations at
    a level where they work together (``links``: ``(level, organisation, organisation)``).
    """
    ax = new_axes(ax, 2.8)
    fig = ax.figure
    measure = renderer(fig)
    roles = roles or {}
    level_names = [ax.text(0, 0, level, ha="right", va="center", fontsize=BODY_PT,
                           fontweight="bold", color=TEXT) for level in levels]
    label_width = max(_size(t, measure)[0] for t in level_names) + 0.15
    gap = 0.45                                # between two columns: room for an arrow
    m = len(organisations)
    width = (WIDTH_IN - label_width - gap * (m - 1)) / m
    headers = [_text(ax, org, width - 2 * PAD, measure, ha="center", va="center",
                     fontsize=TITLE_PT, fontweight="bold",
                     color=text_color(organisation_colors(org)[0])) for org in organisations]
    cells = {(level, org): _text(ax, roles[level, org], width - 2 * PAD, measure,
                                 ha="center", va="center", fontsize=SMALL_PT, color=TEXT,
                                 linespacing=1.05)
             for level in levels for org in organisations if roles.get((level, org))}

    header_height = max(_size(t, measure)[1] for t in headers) + 0.08
    cell_height = max([0.3] + [_size(t, measure)[1] + 0.08 for t in cells.values()])
    pitch = cell_height + 0.07
    top = 0.02 + len(levels) * pitch + 0.04 + header_height + 0.02
    drawn_to_scale(ax, WIDTH_IN, top)

    def column(c: int) -> float:
        return label_width + c * (width + gap)

    header_y = top - 0.02 - header_height / 2
    rows = {level: header_y - header_height / 2 - 0.04 - (r + 0.5) * pitch
            for r, level in enumerate(levels)}
    for r, level in enumerate(levels):
        level_names[r].set_position((label_width - 0.12, rows[level]))
    for c, org in enumerate(organisations):
        strong, tint = organisation_colors(org)
        x = column(c)
        filled = [rows[level] for level in levels if (level, org) in cells]
        if filled:       # the line that joins the organisation's levels, behind its boxes
            ax.plot([x + width / 2] * 2, [header_y, min(filled)], color=strong,
                    linewidth=1.8, zorder=0, solid_capstyle="butt")
        ax.add_patch(FancyBboxPatch((x, header_y - header_height / 2), width, header_height,
                                    boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor=strong, edgecolor="none", zorder=2))
        headers[c].set_position((x + width / 2, header_y))
        headers[c].set_zorder(3)
        for level in levels:
            if (level, org) not in cells:
                continue
            y = rows[level]
            ax.add_patch(FancyBboxPatch((x, y - cell_height / 2), width, cell_height,
                                        boxstyle="round,pad=0,rounding_size=0.05",
                                        facecolor=tint, edgecolor=strong, linewidth=0.9,
                                        zorder=2))
            cells[level, org].set_position((x + width / 2, y))
            cells[level, org].set_zorder(3)
    index = {org: c for c, org in enumerate(organisations)}
    for level, one, other in links:
        a, b = sorted((index[one], index[other]))
        _arrow(ax, (column(a) + width, rows[level]), (column(b), rows[level]))
    return ax


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A two-headed arrow from ``start`` to ``end`` (inches), kept off the boxes it joins."""
    ax.add_artist(FancyArrowPatch(start, end, arrowstyle="<|-|>", mutation_scale=11,
                                  linewidth=1.4, color=TEXT, shrinkA=3, shrinkB=3,
                                  zorder=4))


# ------------------------------------------------------------------ samarbejdsflade

def collaboration_diagram(centre: str, partners: tuple[str, str], actors: list[str], *,
                          sides: dict[str, str] | None = None, ax=None) -> plt.Axes:
    """The helhedsplan between its two partners, with the actors it works with.

    ``centre`` sits in the middle, the two ``partners`` left and right of it (thick lines:
    the collaboration the report is about). Each actor stands on the side of the partner it
    belongs to (``sides``: actor -> partner), on a panel in that partner's colour; an actor
    that belongs to neither stands above or below the helhedsplan. Dotted lines join the
    helhedsplan to every actor.
    """
    ax = new_axes(ax, 2.8)
    fig = ax.figure
    measure = renderer(fig)
    sides = sides or {}
    height, box_height = 2.75, 0.46
    side_width, gap, pad = 2.0, 0.08, 0.06
    zones = {partners[0]: (0.0, side_width), None: (side_width, WIDTH_IN - side_width),
             partners[1]: (WIDTH_IN - side_width, WIDTH_IN)}
    drawn_to_scale(ax, WIDTH_IN, height)
    middle, upper, lower = height / 2, height - 0.06 - box_height / 2, 0.06 + box_height / 2

    def node(x: float, y: float, w: float, text: str, face: str, edge: str,
             bold: bool) -> None:
        ax.add_patch(FancyBboxPatch((x - w / 2, y - box_height / 2), w, box_height,
                                    boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=face, edgecolor=edge, linewidth=1.0,
                                    zorder=2))
        label = _text(ax, text, w - 2 * pad, measure, ha="center", va="center",
                      fontsize=TITLE_PT if bold else SMALL_PT,
                      fontweight="bold" if bold else "normal", color=text_color(face),
                      linespacing=1.1, zorder=3)
        label.set_position((x, y))

    for partner in partners:          # the panels the partners' actors stand on
        x0, x1 = zones[partner]
        ax.add_patch(FancyBboxPatch((x0 + 0.03, 0.02), x1 - x0 - 0.06, height - 0.04,
                                    boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor=organisation_colors(partner)[1],
                                    edgecolor="none", zorder=-1))
    centre_width = 1.5
    for partner, sign in zip(partners, (-1, 1)):
        x0, x1 = zones[partner]
        x, w = (x0 + x1) / 2, 1.75
        ax.plot([x - sign * w / 2, WIDTH_IN / 2 + sign * centre_width / 2], [middle] * 2,
                color=MUTED, linewidth=3, zorder=1, solid_capstyle="butt")
        node(x, middle, w, partner, organisation_colors(partner)[0], "none", bold=True)
    node(WIDTH_IN / 2, middle, centre_width, centre, organisation_colors(centre)[0], "none",
         bold=True)

    groups: dict[str | None, list[str]] = {partner: [] for partner in partners}
    groups[None] = []
    for actor in actors:
        groups[sides.get(actor) if sides.get(actor) in partners else None].append(actor)
    for group, members in groups.items():
        x0, x1 = zones[group]
        edge = organisation_colors(group)[0] if group else "#9a9a9a"
        half = math.ceil(len(members) / 2)
        for y, row in ((upper, members[:half]), (lower, members[half:])):
            if not row:
                continue
            widths = _box_widths(ax, row, x1 - x0 - 2 * gap - gap * (len(row) - 1),
                                 2 * pad, measure)
            x = (x0 + x1) / 2 - (sum(widths) + gap * (len(row) - 1)) / 2
            for actor, w in zip(row, widths):
                x += w / 2
                end = y - box_height / 2 if y > middle else y + box_height / 2
                ax.plot([WIDTH_IN / 2, x], [middle, end], color=MUTED, linewidth=0.9,
                        linestyle=(0, (1, 2)), zorder=0)
                node(x, y, w, actor, "white", edge, bold=False)
                x += w / 2 + gap
    return ax


def _box_widths(ax: plt.Axes, texts: list[str], room: float, pad: float, measure,
                widest: float = 1.6) -> list[float]:
    """Widths (inches) of boxes side by side for ``texts`` at the actors' size, within
    ``room``: the same for every box, no wider than ``widest``, except that a box is at
    least as wide as its text's longest word (the others then share what is left)."""
    least = []
    for s in texts:
        words = [ax.text(0, 0, word, fontsize=SMALL_PT) for word in s.split()]
        least.append(max(_size(word, measure)[0] for word in words) + pad)
        for word in words:
            word.remove()
    widths = [0.0] * len(texts)
    fixed: set[int] = set()
    while True:
        share = (room - sum(widths[i] for i in fixed)) / (len(texts) - len(fixed) or 1)
        share = min(share, widest)
        grown = [i for i in range(len(texts)) if i not in fixed and least[i] > share]
        if not grown:
            return [widths[i] if i in fixed else share for i in range(len(texts))]
        for i in grown:
            widths[i] = least[i]
            fixed.add(i)
