"""The figures' labels, measured with matplotlib's renderer: none overlaps another label or a
bar it is not inside, on extreme shares (0 % and 100 %) as on ordinary ones. The figures the
reports draw from the shipped data, their print sizes and their palettes are checked in
``tests/test_figures_print.py``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.report import danish, figures

STEPS = ["Vidensdeling", "Negativ koordinering", "Positiv koordinering",
         "Innovative løsninger"]
TRAPPE_ROWS = ("Samarbejdet med boligorganisationen", "Samarbejdet med helhedsplanen")
AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]


def _laid_out(ax):
    """The figure as ``to_figure`` lays it out, before it is rendered."""
    figures.layout(ax.figure)
    return ax.figure


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_visible()]


def test_the_check_finds_labels_that_overlap():
    # Arrange: two labels at the same spot, and a label half on a bar
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.barh([0], [0.5], height=0.6)
    ax.set_xlim(0, 1)
    ax.text(0.7, 0.3, "første tekst")
    ax.text(0.7, 0.3, "anden tekst")
    ax.text(0.45, 0, "på kanten af søjlen", va="center")
    # Act
    problems = figures.label_overlaps(fig)
    # Assert
    assert any("'første tekst' overlaps label 'anden tekst'" in p for p in problems)
    assert any("'på kanten af søjlen' overlaps a bar" in p for p in problems)


def test_to_figure_refuses_overlapping_labels():
    figures.use_house_style()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.text(0.5, 0.5, "samme sted")
    ax.text(0.5, 0.5, "samme sted igen")
    with pytest.raises(figures.FigureLayoutError, match="overlaps"):
        figures.to_figure(ax, ident="x", caption="", source="")


@pytest.mark.parametrize("shares", [
    [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 0.99, 0.01],
    [0.91, 0.48, 0.45, 0.39]])
def test_share_bars_labels_are_clear_of_each_other_and_the_bars(shares):
    index = ["Medarbejderressourcer", "Lokaler og faciliteter", "Kontant tilskud",
             "Tilskud til konkrete aktiviteter"]
    ax = figures.share_bars(pd.Series(shares, index=index),
                            highlight={label: i % 2 == 0 for i, label in enumerate(index)})
    fig = _laid_out(ax)
    assert figures.label_overlaps(fig) == []
    # every share is still printed, and the 100 % value stays inside the axes
    assert sum(t.endswith("%") for t in _texts(ax)) == len(shares)
    renderer = fig.canvas.get_renderer()
    right = ax.get_window_extent(renderer).x1
    assert all(t.get_window_extent(renderer).x1 <= right for t in ax.texts
               if t.get_gid() == figures.AFTER_BAR)


@pytest.mark.parametrize("rows", [
    [[0, 0, 0, 0, 38], [38, 0, 0, 0, 0]],            # 100 % in one category
    [[1, 1, 1, 1, 34], [0, 0, 0, 0, 0]],             # slivers, and a group with no answers
    [[2, 3, 10, 15, 8], [5, 6, 8, 7, 12]]])
def test_stacked_shares_labels_fit_their_segments(rows):
    counts = pd.DataFrame(rows, index=["Under 4.000 beboere", danish.COUNTRY], columns=AGREE)
    marks = [("Under 4.000 beboere", AGREE[0]), (danish.COUNTRY, AGREE[2])]
    ax = figures.stacked_shares(counts, highlight=marks)
    assert figures.label_overlaps(_laid_out(ax)) == []
    assert sum(t.startswith(figures.OWN_LABEL) for t in _texts(ax)) == 2


@pytest.mark.parametrize("values,own", [
    ({"Boligorganisation": [1.0, 0.0, 0.0, 0.0], "Helhedsplan": [0.0, 0.0, 0.0, 1.0]},
     {"Boligorganisation": 1, "Helhedsplan": 4}),
    ({"Boligorganisation": [0.29, 0.32, 0.32, 0.08], "Helhedsplan": [0.24, 0.39, 0.24, 0.13]},
     {"Boligorganisation": 2, "Helhedsplan": 2}),
    ({"Boligorganisation": [0.25, 0.25, 0.25, 0.25], "Helhedsplan": [0.0, 0.0, 1.0, 0.0]},
     None)])
def test_staircase_texts_fit_their_steps(values, own):
    ax = figures.staircase(STEPS, values, own=own, rows=TRAPPE_ROWS)
    fig = _laid_out(ax)
    assert figures.label_overlaps(fig) == []
    renderer = fig.canvas.get_renderer()
    steps = [p.get_window_extent(renderer) for p in ax.patches if p.get_fill()]
    first = min(step.x0 for step in steps)
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        column = [step for step in steps if step.x0 - 1 <= box.x0 and box.x1 <= step.x1 + 1]
        # a step's texts stay in its column; the rows' names and their header left of it
        assert column or box.x1 <= first + 1, f"{text.get_text()!r} is wider than its step"


def _steps(ax) -> list[tuple[float, float]]:
    """(width, height) of each step, left to right."""
    return [(p.get_width(), p.get_height()) for p in sorted(
        (p for p in ax.patches if p.get_fill()), key=lambda p: p.get_x())]


def test_samarbejdstrappen_is_a_schematic_whose_steps_are_not_data():
    # Arrange: two very different sets of shares
    few = {"Boligorganisation": [0.9, 0.05, 0.05, 0.0], "Helhedsplan": [1.0, 0.0, 0.0, 0.0]}
    many = {"Boligorganisation": [0.0, 0.0, 0.1, 0.9], "Helhedsplan": [0.0, 0.0, 0.0, 1.0]}
    # Act
    one, other = figures.staircase(STEPS, few), figures.staircase(STEPS, many)
    # Assert: the same steps, every one as wide as the others and rising as much as the one
    # before; the shares are printed as text under the steps, at body size
    assert _steps(one) == _steps(other)
    widths, heights = zip(*_steps(one))
    assert max(widths) - min(widths) < 1e-9
    rises = [b - a for a, b in zip((0, *heights), heights)]
    assert max(rises) - min(rises) < 1e-9 and rises[0] > 0
    shares = [t for t in one.texts if t.get_text().endswith("%")]
    assert sorted(t.get_text() for t in shares) == sorted(
        danish.percent(v) for values in few.values() for v in values)
    assert min(t.get_fontsize() for t in shares) >= 9


def test_samarbejdstrappen_marks_the_municipalitys_shares():
    values = {"Boligorganisation": [0.29, 0.32, 0.32, 0.08], "Helhedsplan": [0.24, 0.39, 0.24,
                                                                             0.13]}
    figure = figures.staircase_figure(STEPS, values, {"Helhedsplan": 3}, ident="x", source="",
                                      rows=TRAPPE_ROWS)
    national = figures.staircase_figure(STEPS, values, None, ident="x", source="",
                                        rows=TRAPPE_ROWS)
    marks = [text for text, _ in figures.print_label_sizes(figure.svg)]
    assert marks.count(danish.FIGURE_OWN_STEP) == 1
    assert danish.FIGURE_OWN_STEP not in [t for t, _ in figures.print_label_sizes(national.svg)]


def test_the_levels_diagram_joins_its_boxes_with_visible_arrows():
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from analysis.report.content import front

    # Act
    ax = figures.levels_diagram(list(front.LEVELS), list(front.ORGANISATIONS),
                                roles=front.LEVEL_ROLES, links=front.LEVEL_LINKS)
    fig = _laid_out(ax)
    renderer = fig.canvas.get_renderer()
    # Assert: no box is empty (each holds its organisation's name or who sits at the level)
    assert figures.label_overlaps(fig) == []
    boxes = [p.get_window_extent(renderer) for p in ax.patches
             if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == len(front.ORGANISATIONS) + len(front.LEVEL_ROLES)
    texts = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    for found in boxes:
        assert any(found.x0 <= t.x0 and t.x1 <= found.x1 and found.y0 <= t.y0
                   and t.y1 <= found.y1 for t in texts), "an empty box"
    # one arrow per link, each long enough to read as an arrow (not squashed into a glyph)
    arrows = [a for a in ax.patches if isinstance(a, FancyArrowPatch)]
    assert len(arrows) == len(front.LEVEL_LINKS)
    for arrow in arrows:
        assert arrow.get_window_extent(renderer).width / fig.dpi >= 0.3
    # wide and short: at most 2.2 inches high at the width of the text
    assert fig.get_size_inches()[1] <= 2.2


def test_each_actor_stands_on_the_side_it_belongs_to():
    from analysis.report.content import ch1

    ax = figures.collaboration_diagram(ch1.CENTRE, ch1.PARTNERS, ch1.ACTORS,
                                       sides={a: p for a, p in ch1.ACTOR_SIDES.items() if p})
    assert figures.label_overlaps(_laid_out(ax)) == []
    where = {t.get_text().replace("\n", " "): t.get_position()[0] for t in ax.texts}
    left, right = (where[p] for p in ch1.PARTNERS)
    centre = where[ch1.CENTRE]
    assert ch1.ACTOR_SIDES["Skoler og daginstitutioner"] == "Kommunen"
    for actor, partner in ch1.ACTOR_SIDES.items():
        x = where[actor]
        if partner is None:
            assert abs(x - centre) < abs(x - left) and abs(x - centre) < abs(x - right), actor
        elif partner == ch1.PARTNERS[0]:
            assert abs(x - left) < abs(x - centre), actor
        else:
            assert abs(x - right) < abs(x - centre), actor


def test_a_one_row_stacked_figure_keeps_its_legend_clear_of_the_axis():
    counts = pd.DataFrame([[2, 3, 10, 15, 8]], index=[danish.COUNTRY], columns=AGREE)
    ax = figures.stacked_shares(counts)
    assert figures.label_overlaps(_laid_out(ax)) == []


def test_the_legend_reads_in_scale_order_line_by_line():
    counts = pd.DataFrame([[2, 3, 10, 15, 8]], index=[danish.COUNTRY], columns=AGREE)
    fig = _laid_out(figures.stacked_shares(counts))
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_window_extent(renderer), t.get_text())
             for t in fig.axes[0].get_legend().get_texts()]
    line = min(box.height for box, _ in boxes)     # entries on one line share their middle
    entries = sorted((round(-(box.y0 + box.y1) / 2 / line), box.x0, text) for box, text in boxes)
    assert len({y for y, *_ in entries}) == 2
    assert [text for *_, text in entries] == AGREE


def test_the_own_answer_label_never_splits_a_word():
    # »Jeres svar: op til en halvtidsstilling« read »halvtid / sstilling« in a municipal figure
    from analysis.report.figures import bars

    fig, ax = plt.subplots()
    try:
        text = bars._own_text(ax, 0, ["op til en halvtidsstilling"]).get_text()
    finally:
        plt.close(fig)
    assert "halvtidsstilling" in text.split("\n")
    assert text.replace("\n", " ") == f"{bars.OWN_LABEL}: op til en halvtidsstilling"


def test_the_own_answer_label_gives_the_share_of_the_answer_marked():
    # 2 of 38 answered »helt uenig« (5 %: no value in the segment); the municipality is one
    # of them, so the label right of the bar gives the share the segment cannot (and does so
    # for every answer it marks)
    from analysis.report.figures import bars

    counts = pd.DataFrame([[2, 3, 10, 15, 8]], index=[danish.COUNTRY], columns=AGREE)
    fig = _laid_out(figures.stacked_shares(counts, highlight=[(danish.COUNTRY, AGREE[0]),
                                                              (danish.COUNTRY, AGREE[3])]))
    texts = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    own = [t for t in texts if t.startswith(bars.OWN_LABEL)]
    assert own == [f"{bars.OWN_LABEL}: {AGREE[0].lower()} ({danish.percent(2 / 38)}), "
                   f"{AGREE[3].lower()} ({danish.percent(15 / 38)})"]
    # the segment itself stays without a value; the thick one keeps its own
    assert danish.percent(2 / 38) not in [t for t in texts if t not in own]
    assert danish.percent(15 / 38) in texts


def test_bars_of_assumed_numbers_are_grey_and_the_others_keep_the_palette():
    # the co-financing figure of the example data: only one form has a published number
    import matplotlib.colors
    from analysis.report.figures.style import ASSUMED, PALETTE

    shares = pd.Series({"Medarbejderressourcer": 0.91, "Lokaler": 0.48, "Kontant": 0.45})
    ax = figures.share_bars(shares, assumed=("Lokaler", "Kontant"))
    colors = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors == [PALETTE[0].lower(), ASSUMED, ASSUMED]
    ax = figures.share_bars(shares)
    assert {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches} == {
        PALETTE[0].lower()}


def test_no_colour_of_a_scale_has_the_hue_of_the_municipalitys_own_answers():
    """The municipality's own answers are marked in its colour (``style.OWN``) beside the bars
    of every scale: no coloured step of a scale may share its hue, or the mark reads as one of
    the answers. The grey middle of a diverging scale has no hue."""
    import colorsys

    from matplotlib.colors import to_rgb

    from analysis.report.figures import style

    def hue_saturation(colour):
        h, _, s = colorsys.rgb_to_hls(*to_rgb(colour))
        return h * 360, s

    own, _ = hue_saturation(style.OWN)
    for kind in (style.DIVERGING, style.SEQUENTIAL):
        for n in (3, 4, 5, 7):
            for colour in style.scale_colors(kind, n):
                hue, saturation = hue_saturation(colour)
                if saturation < 0.15:
                    continue
                distance = min(abs(hue - own), 360 - abs(hue - own))
                assert distance >= 45, (kind, n, colour, style.OWN)
