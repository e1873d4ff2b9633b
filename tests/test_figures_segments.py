"""A stacked bar's segment labels add up to the share the text gives for the segments at
either end of the bar together (rounded as the text rounds it), and the bar's labels to
100 %: cumulative rounding, not each segment rounded on its own."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analysis.report import danish, figures
from analysis.report.figures.bars import MIN_LABELLED_SHARE, segment_percents

AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]


def test_the_reader_s_bar_adds_up_to_the_share_the_text_gives():
    # 6 and 3 of 16 at the right-hand end: the text says 56 % (9 of 16); each rounded on its
    # own they print 38 % and 19 %, which is 57 %
    shares = [c / 16 for c in (2, 3, 2, 6, 3)]
    assert [danish.whole(100 * v) for v in shares][-2:] == [38, 19]    # plain rounding
    printed = segment_percents(shares)
    assert printed[-2] + printed[-1] == 56
    assert sum(printed) == 100


@pytest.mark.parametrize("counts", [
    c for c in itertools.product(range(0, 9), repeat=4) if sum(c) > 0][::41])
def test_the_segments_at_each_end_add_up_to_their_rounded_share(counts):
    n = sum(counts)
    shares = [c / n for c in counts]
    printed = segment_percents(shares)
    assert sum(printed) == 100 and min(printed) >= 0
    for k in range(1, len(counts)):
        left, right = sum(counts[:k]) / n, sum(counts[k:]) / n
        # the shorter end is the share a text cites; at an exact half both ends cannot hold
        if left <= 0.5:
            assert sum(printed[:k]) == danish.whole(100 * left), (counts, k)
        if right < 0.5:
            assert sum(printed[k:]) == danish.whole(100 * right), (counts, k)


def test_a_segment_prints_within_a_point_of_its_own_share():
    for counts in itertools.product(range(0, 7), repeat=5):
        if sum(counts):
            shares = [c / sum(counts) for c in counts]
            for v, p in zip(shares, segment_percents(shares)):
                assert abs(100 * v - p) < 1.5


def test_the_figure_prints_the_rounded_labels_and_slivers_still_count():
    counts = pd.DataFrame([[2, 3, 2, 6, 3], [1, 1, 1, 2, 12]],
                          index=["Under 4.000 beboere", danish.COUNTRY], columns=AGREE)
    ax = figures.stacked_shares(counts)
    texts = [t.get_text() for t in ax.texts if t.get_text().endswith("%")]
    assert texts.count(f"37{danish.NBSP}%") == 1 and f"38{danish.NBSP}%" not in texts
    # 1 of 17 (a sliver) stands unlabelled but counts in the labels beside it
    shares = [c / 17 for c in (1, 1, 1, 2, 12)]
    assert all(v < MIN_LABELLED_SHARE for v in shares[:3])
    assert [t for t in texts if t in {f"{p}{danish.NBSP}%" for p in segment_percents(shares)}]
    assert len(texts) == 5 + 2
