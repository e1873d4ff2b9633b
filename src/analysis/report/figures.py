"""The report's figures: the house style and one drawing function per kind of figure.

Every drawing function has the shape ``fn(data, *, ..., ax=None) -> Axes``; it neither saves
nor shows. ``to_figure`` turns a drawn matplotlib figure into a ``present.Figure`` (SVG with
fixed ids and no date, so the same data give the same bytes).

Labels are placed by measuring them: a value printed in a bar is dropped when it does not fit
the bar, a value after a bar moves into it when it would run past the axis, and step texts are
wrapped to the width of their step. ``label_overlaps`` measures every label of a finished
figure, and ``to_figure`` refuses a figure whose labels overlap each other or a bar. Report
figures are cached by their arguments (:mod:`analysis.report.figure_cache`).

About 600 lines: the house style, the label measuring, the six drawing functions and the
figures whose municipal marks are drawn over a kept figure (:mod:`figure_overlay`) share the
same private helpers (renderer, boxes, palette, layout), so they stay in one module.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from analysis.report import danish, figure_overlay  # noqa: E402
from analysis.report.figure_cache import cached  # noqa: E402
from analysis.report.present import Figure  # noqa: E402

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
# Roles of labels (matplotlib gids), so the layout pass after tight_layout knows them.
IN_BAR = "label-in-bar"        # a value centred in its bar segment: dropped if it does not fit
AFTER_BAR = "label-after-bar"  # a value after its bar: moved into the bar if it runs past 100 %
PAD_PX = 2.0                   # free space a label keeps to the edge of its bar (pixels)


class FigureLayoutError(ValueError):
    """A figure's labels overlap each other or a bar."""


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


def _renderer(fig, draw: bool = False):
    """The figure's Agg renderer, for measuring; ``draw`` first lays out the tick labels."""
    if not hasattr(fig.canvas, "get_renderer"):  # a figure made under another backend
        FigureCanvasAgg(fig)
    if draw:
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def _box(artist, renderer) -> Bbox:
    return artist.get_window_extent(renderer)


def _patch_containing(patches: list[tuple[Patch, Bbox]], text: Text) -> tuple | None:
    """The filled bar or step (with its box) whose box holds the text's anchor point."""
    x, y = text.get_transform().transform(text.get_position())
    return next(((patch, box) for patch, box in patches if box.contains(x, y)), None)


def _obstacles(ax: plt.Axes) -> list[Patch]:
    """Bars and steps: the filled patches labels must stay inside of or clear of."""
    return [p for p in ax.patches if p.get_visible() and p.get_fill()
            and p.get_width() > 0 and p.get_height() > 0] if ax.patches else []


def _inside(inner: Bbox, outer: Bbox, pad: float = 0.0) -> bool:
    return (inner.x0 >= outer.x0 + pad - 0.5 and inner.x1 <= outer.x1 - pad + 0.5
            and inner.y0 >= outer.y0 - 0.5 and inner.y1 <= outer.y1 + 0.5)


def _overlap(a: Bbox, b: Bbox, tolerance: float = 0.5) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def fit_labels(fig) -> None:
    """Final label layout, once the axes have their size: drop bar labels that do not fit
    their segment, and move a value that would run past the axis into its bar."""
    renderer = _renderer(fig)
    for ax in fig.axes:
        axes_box = _box(ax, renderer)
        patches = [(patch, _box(patch, renderer)) for patch in _obstacles(ax)]
        for text in list(ax.texts):
            if text.get_gid() == IN_BAR:
                found = _patch_containing(patches, text)
                if found is None or not _inside(_box(text, renderer), found[1], PAD_PX):
                    text.remove()
            elif text.get_gid() == AFTER_BAR and _box(text, renderer).x1 > axes_box.x1:
                x, y = text.get_position()
                text.set_ha("right")
                text.set_x(x - 0.03)   # from just after the bar's end to just inside it
                found = _patch_containing(patches, text)
                if found is not None:
                    text.set_color(_text_color(matplotlib.colors.to_hex(
                        found[0].get_facecolor())))


def layout(fig) -> None:
    """tight_layout, then room on the right for labels beside the axes (so the figure keeps
    its width and its type size in the report), then :func:`fit_labels`."""
    fig.tight_layout()
    renderer = _renderer(fig)
    width = fig.bbox.width
    for ax in fig.axes:
        right = max((_box(t, renderer).x1 for t in ax.texts if t.get_visible()), default=0)
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
    renderer = _renderer(fig, draw=True)
    labels = [(t, _box(t, renderer)) for t in _labels(fig)]
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
            box_p = _box(patch, renderer)
            for text, box_t in texts:
                if _overlap(box_t, box_p) and not _inside(box_t, box_p):
                    problems.append(f"label {text.get_text()!r} overlaps a bar without "
                                    "fitting inside it")
    return problems


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


@cached
def share_bars_figure(shares: pd.Series, highlight: dict[str, bool] | None, *, ident: str,
                      source: str, caption: str = "") -> Figure:
    """:func:`share_bars` as a report figure (cached); the municipality's marks are drawn
    over bars drawn once for every municipality (see :func:`stacked_figure`)."""
    marks = {label: bool(chosen) for label, chosen in (highlight or {}).items()
             if label in shares.index}
    draw = (lambda ax: _share_marks(ax, shares, marks)) if marks else None
    return _with_marks(_share_bars_base(shares, bool(marks)), draw, ident=ident,
                       caption=caption, source=source)


@cached
def _share_bars_base(shares: pd.Series, room: bool) -> figure_overlay.Base:
    """The bars of :func:`share_bars_figure`; with ``room``, laid out for a mark on every bar."""
    ax = share_bars(shares)
    every = [_share_mark(ax, yi, chosen) for yi in range(len(shares))
             for chosen in (True, False)] if room else []
    return _base(ax, every)


@cached
def stacked_figure(counts: pd.DataFrame, highlight, *, ident: str, source: str,
                   colors: list[str] | None = None, caption: str = "") -> Figure:
    """:func:`stacked_shares` as a report figure (cached).

    With marks, the bars are drawn once for every municipality, with room for the widest
    mark, and only the marks per report (:mod:`analysis.report.figure_overlay`). A row with
    more than one mark is drawn whole."""
    marks = _mark_list(highlight)
    rows = [row for row, _ in marks]
    if len(set(rows)) < len(rows):
        return to_figure(stacked_shares(counts, highlight=marks, colors=colors), ident=ident,
                         caption=caption, source=source)
    draw = (lambda ax: _stacked_marks(ax, counts, marks)) if marks else None
    return _with_marks(_stacked_base(counts, colors, bool(marks)), draw, ident=ident,
                       caption=caption, source=source)


@cached
def _stacked_base(counts: pd.DataFrame, colors: list[str] | None,
                  room: bool) -> figure_overlay.Base:
    """The bars of :func:`stacked_figure`, without marks; with ``room``, laid out as if every
    row carried the widest mark any of its answers could give."""
    ax = stacked_shares(counts, colors=colors)
    every = [_own_text(ax, yi, [str(column).lower()]) for yi in range(len(counts))
             for column in counts.columns] if room else []
    return _base(ax, every)


def _base(ax: plt.Axes, every_mark: list[Text]) -> figure_overlay.Base:
    """The drawn figure of ``ax`` laid out with ``every_mark`` (every mark a municipality
    could get, checked against the figure's own labels), then saved without them."""
    fig = ax.figure
    layout(fig)
    problems = label_overlaps(fig, alternatives=every_mark)
    if problems:
        plt.close(fig)
        raise FigureLayoutError("figure: " + "; ".join(problems[:5]))
    area = figure_overlay.saved_area(fig, _renderer(fig))
    for text in every_mark:
        text.remove()
    _clear_roles(fig)
    base = figure_overlay.Base(figure_overlay.svg(fig, area), figure_overlay.frame_of(ax, area))
    plt.close(fig)
    return base


def _with_marks(base: figure_overlay.Base, draw, *, ident: str, caption: str,
                source: str) -> Figure:
    """The report figure: ``base``, with what ``draw(ax)`` draws laid over it (if anything)."""
    picture = base.svg
    if draw is not None:
        try:
            picture = figure_overlay.on_top(base.svg, figure_overlay.marks_svg(
                base.frame, draw, _texts_overlap))
        except ValueError as err:
            raise FigureLayoutError(f"figure {ident!r}: {err}") from None
    return Figure(svg=picture, ident=ident, caption=caption, source=source)


@cached
def staircase_figure(steps: list[str], shares: dict[str, list[float]],
                     own: dict[str, int] | None, *, ident: str, source: str,
                     caption: str = "") -> Figure:
    """:func:`staircase` as a report figure (cached); the municipality's steps are marked
    over the steps drawn once for every municipality (see :func:`stacked_figure`)."""
    own_steps = _own_steps(own, len(steps))
    base = _staircase_base(steps, shares, bool(own_steps))
    draw = None
    if own_steps:
        geometry, step_px = base.anchors
        draw = lambda ax: _staircase_marks(ax, geometry, step_px, own_steps,  # noqa: E731
                                           _renderer(ax.figure))
    return _with_marks(base, draw, ident=ident, caption=caption, source=source)


@cached
def _staircase_base(steps: list[str], shares: dict[str, list[float]],
                    room: bool) -> figure_overlay.Base:
    """The steps of :func:`staircase_figure`; with ``room``, laid out for a mark naming every
    partner on every step."""
    ax, geometry, step_px = _staircase(steps, shares)
    every = [p.lower() for p in shares]
    marks = _staircase_marks(ax, geometry, step_px, {i: every for i in range(len(steps))},
                             _renderer(ax.figure)) if room else []
    base = _base(ax, marks)
    return figure_overlay.Base(base.svg, base.frame, (tuple(geometry), step_px))


def share_bars(shares: pd.Series, *, xlabel: str = "Andel af kommunerne",
               highlight: dict[str, bool] | None = None, ax=None) -> plt.Axes:
    """Horizontal bars of shares (0-1) per label, with the percentage printed at each bar.

    ``highlight`` marks a municipality's own answer per bar (True = chosen), right of the
    axis in the municipality's colour.
    """
    ax = _ax(ax, 0.45 * len(shares) + 0.9)
    y = np.arange(len(shares))
    ax.barh(y, shares.to_numpy(), color=PALETTE[0], height=0.6)
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
    """``Jer: ja`` / ``Jer: nej`` right of bar ``yi``, in the municipality's colour."""
    return ax.text(1.03, yi, "Jer: ja" if chosen else "Jer: nej", va="center", ha="left",
                   fontsize=8, color=OWN, fontweight="bold", transform=ax.get_yaxis_transform(),
                   clip_on=False)


def _share_marks(ax: plt.Axes, shares: pd.Series, highlight: dict[str, bool]) -> None:
    for yi, label in enumerate(shares.index):
        if label in highlight:
            _share_mark(ax, yi, highlight[label])


CATEGORY_WIDTH = 28   # characters per line of a bar's category label


def _wrap_label(text: str) -> str:
    """A long category label on two or more lines, so the bars keep their width."""
    return textwrap.fill(str(text), CATEGORY_WIDTH, break_long_words=False)


OWN_LABEL = "Jeres svar"
OWN_LABEL_WIDTH = 14   # characters per line of the "Jeres svar: …" mark


def stacked_shares(counts: pd.DataFrame, *, colors: list[str] | None = None,
                   highlight: tuple[str, str] | list[tuple[str, str]] | None = None,
                   ax=None) -> plt.Axes:
    """100 % stacked horizontal bars: one bar per row of ``counts`` (groups), one segment per
    column (answer categories in scale order). A share is printed in its segment when it fits.

    ``highlight=(row, column)`` (or a list of them) outlines a municipality's own answer and
    names it right of the bar, in the municipality's colour.
    """
    marks = _mark_list(highlight)
    ax = _ax(ax, 0.55 * len(counts) + 1.4)
    colors = colors or (SCALE5 if counts.shape[1] == 5 else PALETTE)
    shares = _row_shares(counts)
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    for j, column in enumerate(shares.columns):
        values = shares[column].to_numpy()
        color = colors[j % len(colors)]
        ax.barh(y, values, left=left, color=color, height=0.6, label=column,
                edgecolor="white", linewidth=0.5)
        for yi, (l, v) in enumerate(zip(left, values)):
            if v > 0:
                ax.text(l + v / 2, yi, danish.percent(v), ha="center", va="center",
                        fontsize=8, color=_text_color(color), gid=IN_BAR)
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
    # Below the tick labels at a fixed distance (in font sizes), whatever the figure's height.
    ax.legend(ncol=min(3, shares.shape[1]), loc="upper center", bbox_to_anchor=(0.5, 0),
              borderaxespad=2.8, frameon=False)
    return ax


def _texts_overlap(fig) -> list[str]:
    """The texts of ``fig`` that overlap each other (the marks drawn over a figure: the
    figure's own labels were checked against every mark it could get)."""
    renderer = _renderer(fig)
    texts = [(t, _box(t, renderer)) for ax in fig.axes for t in ax.texts if t.get_visible()]
    return [f"label {a.get_text()!r} overlaps label {b.get_text()!r}"
            for i, (a, box_a) in enumerate(texts) for b, box_b in texts[i + 1:]
            if _overlap(box_a, box_b)]


def _mark_list(highlight) -> list[tuple[str, str]]:
    """``(row, column)`` marks from one mark, a list of them or None, without repeats."""
    marks = [highlight] if isinstance(highlight, tuple) else list(highlight or [])
    return list(dict.fromkeys(tuple(mark) for mark in marks))


def _row_shares(counts: pd.DataFrame) -> pd.DataFrame:
    totals = counts.sum(axis=1).replace(0, np.nan)
    return counts.div(totals, axis=0).fillna(0)


def _own_text(ax: plt.Axes, yi: int, answers: list[str]) -> Text:
    """``Jeres svar: …`` right of bar ``yi``, in the municipality's colour."""
    text = textwrap.fill(f"{OWN_LABEL}: {', '.join(answers)}", OWN_LABEL_WIDTH)
    return ax.text(1.02, yi, text, ha="left", va="center", fontsize=7.5, fontweight="bold",
                   color=OWN, transform=ax.get_yaxis_transform(), clip_on=False,
                   linespacing=1.1)


def _stacked_marks(ax: plt.Axes, counts: pd.DataFrame, marks: list[tuple[str, str]]) -> None:
    """The municipality's marks of :func:`stacked_shares`: each marked segment outlined, and
    its answers named right of its bar."""
    shares = _row_shares(counts)
    own: dict[int, list[str]] = {}
    for yi, row in enumerate(shares.index):
        left = 0.0
        for column, value in zip(shares.columns, shares.iloc[yi].to_numpy()):
            if (row, column) in marks:
                ax.barh(yi, value, left=left, height=0.74, fill=False, edgecolor=TEXT,
                        linewidth=2)
                own.setdefault(yi, []).append(str(column).lower())
            left += value
    for yi, answers in own.items():
        _own_text(ax, yi, answers)


def _fit_width(ax: plt.Axes, text: Text, width_px: float, renderer) -> None:
    """Wrap ``text`` at word boundaries, fewer characters per line, until it is at most
    ``width_px`` wide (a single word wider than that is left as it is)."""
    words = text.get_text().replace("\n", " ")
    for chars in range(len(words), 3, -1):
        text.set_text(textwrap.fill(words, chars, break_long_words=False))
        if _box(text, renderer).width <= width_px:
            return


def staircase(steps: list[str], shares: dict[str, list[float]], *,
              own: dict[str, int] | None = None, ax=None) -> plt.Axes:
    """Samarbejdstrappen: four steps rising left to right; on each step the share of
    municipalities whose collaboration sits there, per collaboration partner.

    ``own`` maps a partner to the municipality's own step (1-based): the step is outlined in
    the municipality's colour and named above the step's title. Every text is wrapped to the
    width of its step.
    """
    ax, geometry, step_px = _staircase(steps, shares, ax)
    _staircase_marks(ax, geometry, step_px, _own_steps(own, len(steps)), _renderer(ax.figure))
    return ax


STEP_WIDTH = 0.94   # of a step's unit of width; the rest is the gap to the next step


def _staircase(steps: list[str], shares: dict[str, list[float]], ax=None):
    """The steps of :func:`staircase`, and where a mark goes on each: (height, top of its
    title) per step in data units, and a step's width in pixels."""
    ax = _ax(ax, 3.3)
    n = len(steps)
    width = STEP_WIDTH
    top_margin = 0.42
    ax.set_xlim(-0.02, n - 0.04)
    ax.set_ylim(0, 1 + top_margin)
    ax.axis("off")
    fig = ax.figure
    fig.tight_layout()
    renderer = _renderer(fig)
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
        _fit_width(ax, title, step_px - 2 * PAD_PX, renderer)
        geometry.append((height, float(ax.transData.inverted().transform(
            (0, _box(title, renderer).y1))[1])))
        lines = [f"{partner}: {danish.percent(values[i])}"
                 for partner, values in shares.items()]
        inside = ax.text(i + width / 2, height / 2, "\n".join(lines), ha="center",
                         va="center", fontsize=7, color=_text_color(color), linespacing=1.2)
        if _box(inside, renderer).width > step_px - 2 * PAD_PX:
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
                     renderer) -> list:
    """The municipality's steps outlined in its colour and named above their titles."""
    drawn = []
    for i, partners in sorted(own_steps.items()):
        height, title_top = geometry[i]
        drawn.append(ax.add_patch(Rectangle((i, 0), STEP_WIDTH, height, fill=False,
                                             edgecolor=OWN, linewidth=2.2)))
        mark = ax.text(i + STEP_WIDTH / 2, title_top + 0.02, "Jer: " + " og ".join(partners),
                       ha="center", va="bottom", fontsize=7.5, fontweight="bold", color=OWN,
                       linespacing=1.1)
        _fit_width(ax, mark, step_px - 2 * PAD_PX, renderer)
        drawn.append(mark)
    return drawn


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


def collaboration_diagram(centre: str, partners: tuple[str, str], actors: list[str], *,
                          ax=None) -> plt.Axes:
    """The helhedsplan between its two partners, with the actors it works with around them.

    ``centre`` sits in the middle, the two ``partners`` on either side (solid lines: the
    collaboration the report is about), ``actors`` on a ring around them (dotted lines).
    """

    ax = _ax(ax, 3.8)
    height = 0.62

    def node(x: float, y: float, text: str, color: str, text_color: str, w: float,
             weight: str = "bold", size: float = 8.5) -> None:
        ax.add_patch(FancyBboxPatch((x - w / 2, y - height / 2), w, height,
                                    boxstyle="round,pad=0.04", facecolor=color,
                                    edgecolor="white", linewidth=1, zorder=2))
        ax.text(x, y, textwrap.fill(text, 16, break_long_words=False), ha="center", va="center", fontsize=size,
                fontweight=weight, color=text_color, zorder=3, linespacing=1.1)

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
