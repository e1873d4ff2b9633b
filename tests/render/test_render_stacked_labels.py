"""Every segment of a stacked bar carries its value: in the segment where it fits, else just
above the bar with a leader to its segment, values side by side spread apart; all clear of
each other and of the bars, inside the axes, and at the figure's label size. (Here, beside the
renderer's tests: the figures print in the PDF at the size they are drawn.)"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.lines import Line2D

from analysis.report import danish, figures
from analysis.report.figures.geometry import OUTSIDE_BAR

AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]


@pytest.mark.parametrize("rows", [
    [[1, 1, 1, 1, 34], [2, 3, 10, 15, 8]],          # four slivers side by side in the top bar
    [[5, 6, 8, 7, 12], [0, 1, 0, 1, 30]],           # slivers apart, and empty segments
    [[34, 1, 1, 1, 1], [1, 36, 0, 0, 1]]])          # slivers at the right-hand end
def test_every_segment_of_a_stacked_bar_carries_its_value(rows):
    counts = pd.DataFrame(rows, index=["Under 4.000 beboere", danish.COUNTRY], columns=AGREE)
    marks = [("Under 4.000 beboere", AGREE[0]), (danish.COUNTRY, AGREE[1])]
    ax = figures.stacked_shares(counts, highlight=marks)
    fig = ax.figure
    figures.layout(fig)

    assert figures.label_overlaps(fig) == []
    values = sorted(t.get_text() for t in ax.texts if t.get_text().endswith("%"))
    shares = counts.div(counts.sum(axis=1), axis=0)
    assert values == sorted(danish.percent(v) for v in shares.to_numpy().ravel() if v > 0)
    above = [t for t in ax.texts if t.get_gid() == OUTSIDE_BAR]
    assert above, "the slivers' values should stand above their bars"
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for text in above:
        found = text.get_window_extent(renderer)
        assert frame.x0 - 0.5 <= found.x0 and found.x1 <= frame.x1 + 0.5
        assert found.y1 <= frame.y1 + 0.5
        assert text.get_fontsize() >= 7.5
    leaders = [line for line in ax.lines if isinstance(line, Line2D)]
    assert len(leaders) == len(above)
