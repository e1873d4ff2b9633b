"""A stacked bar's values stand in their segments: a segment of at least the threshold share
carries its value inside it, a thinner one (a sliver) none (its value is in the figure's data
table), so that no value floats above its bar on a leader. All labels clear of each other and
inside the axes, at the figure's label size. (Here, beside the renderer's tests: the figures
print in the PDF at the size they are drawn.)"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.lines import Line2D

from analysis.report import danish, figures
from analysis.report.figures.bars import MIN_LABELLED_SHARE

AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]


@pytest.mark.parametrize("rows", [
    [[1, 1, 1, 1, 34], [2, 3, 10, 15, 8]],          # four slivers side by side in the top bar
    [[5, 6, 8, 7, 12], [0, 1, 0, 1, 30]],           # slivers apart, and empty segments
    [[34, 1, 1, 1, 1], [1, 36, 0, 0, 1]]])          # slivers at the right-hand end
def test_segments_above_the_threshold_carry_their_value_inside_and_slivers_none(rows):
    counts = pd.DataFrame(rows, index=["Under 4.000 beboere", danish.COUNTRY], columns=AGREE)
    marks = [("Under 4.000 beboere", AGREE[0]), (danish.COUNTRY, AGREE[1])]
    ax = figures.stacked_shares(counts, highlight=marks)
    fig = ax.figure
    figures.layout(fig)

    assert figures.label_overlaps(fig) == []
    values = [t for t in ax.texts if t.get_text().endswith("%")]
    shares = counts.div(counts.sum(axis=1), axis=0)
    expected = sorted(danish.percent(v) for v in shares.to_numpy().ravel()
                      if v >= MIN_LABELLED_SHARE)
    assert sorted(t.get_text() for t in values) == expected
    assert any(0 < v < MIN_LABELLED_SHARE for v in shares.to_numpy().ravel())
    renderer = fig.canvas.get_renderer()
    bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_fill()
            and p.get_width() > 0]
    for text in values:
        found = text.get_window_extent(renderer)
        assert any(bar.x0 - 0.5 <= found.x0 and found.x1 <= bar.x1 + 0.5
                   and bar.y0 - 0.5 <= found.y0 and found.y1 <= bar.y1 + 0.5
                   for bar in bars), f"{text.get_text()!r} stands outside its segment"
        assert text.get_fontsize() >= 7.5
    assert not [line for line in ax.lines if isinstance(line, Line2D)], "no leader lines"
