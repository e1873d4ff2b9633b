"""A municipality's marks drawn over a figure drawn once: they land where the bars are, their
ids do not repeat the figure's, and the figure keeps room for any municipality's mark."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from lxml import etree

from analysis.report import figures
from analysis.report.figures import cache, geometry, overlay

AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]
# Two items; the counts give shares 10/20/30/30/10 % and 40/10/10/20/20 %.
COUNTS = pd.DataFrame([[1, 2, 3, 3, 1], [4, 1, 1, 2, 2]], index=["Fælles mål", "Tillid"],
                      columns=AGREE)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _fresh():
    cache._CACHE.clear()
    yield
    plt.close("all")


def _rectangles(group, fills=None) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y0, y1) of every four-cornered path in an SVG group (filled with one of
    ``fills``, when given)."""
    found = []
    for path in group.iter(f"{SVG}path"):
        fill = re.search(r"fill:\s*(#[0-9a-f]{6})", path.get("style", ""))
        if fills is not None and (fill is None or fill.group(1) not in fills):
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        if len(numbers) in (8, 10) and "z" in path.get("d", ""):   # four corners, closed
            xs, ys = numbers[0::2], numbers[1::2]
            found.append((min(xs), max(xs), min(ys), max(ys)))
    return found


def _figure(marks):
    return figures.stacked_figure(COUNTS, marks, ident="x", source="")


def test_the_outline_falls_on_the_segment_it_marks():
    # Arrange: mark "Overvejende enig" (30 %, from 60 % to 90 %) on the first bar
    svg = _figure([("Fælles mål", "Overvejende enig")]).svg
    root = etree.fromstring(svg.encode("utf-8"))
    base = root.find(f"{SVG}g[@id='figure_1']")
    marks = root.find(f"{SVG}g[@id='{overlay.MARK_ID_PREFIX}figure_1']")
    assert base is not None and marks is not None
    # Act: the bar segments of the figure, and the outline drawn on top
    segments = _rectangles(base.find(f".//{SVG}g[@id='axes_1']"), figures.SCALE5)
    (outline,) = [r for r in _rectangles(marks) if r[1] - r[0] > 1]
    # Assert: the bars run from the first segment's left to the last one's right edge (the
    # legend's keys are small rectangles of the same colours, below the bars)
    segments = [r for r in segments if r[1] - r[0] > 20]
    x_left = min(r[0] for r in segments)
    x_right = max(r[1] for r in segments)
    width = x_right - x_left
    assert outline[0] == pytest.approx(x_left + 0.6 * width, abs=1.0)
    assert outline[1] == pytest.approx(x_left + 0.9 * width, abs=1.0)
    (segment,) = [r for r in segments if abs(r[0] - outline[0]) < 1.5
                  and abs(r[1] - outline[1]) < 1.5 and r[2] < outline[3] and r[3] > outline[2]]
    assert segment[2] > outline[2] and segment[3] < outline[3]   # the outline is taller


def test_the_marks_ids_do_not_repeat_the_figures():
    svg = _figure([("Fælles mål", "Helt enig"), ("Tillid", "Helt uenig")]).svg
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg))
    assert references <= set(ids)


def test_every_municipality_shares_the_layout_of_the_bars():
    one = _figure([("Fælles mål", "Helt enig")]).svg
    other = _figure([("Tillid", "Hverken enig eller uenig")]).svg
    base_of = lambda svg: svg[:svg.index(f'<g id="{overlay.MARK_ID_PREFIX}')]
    assert base_of(one) == base_of(other)
    # the national figure, without marks, has no room kept for them
    national = _figure(None).svg
    assert overlay.MARK_ID_PREFIX not in national
    assert base_of(one) != national


def test_marks_of_another_size_are_refused():
    small = plt.figure(figsize=(2, 1))
    small.add_axes((0.1, 0.1, 0.8, 0.8))
    area = overlay.saved_area(small, geometry.renderer(small, draw=True))
    other = overlay.svg(small, area)
    with pytest.raises(ValueError, match="does not fit"):
        overlay.on_top(_figure(None).svg, other)


STEPS = ["Vidensdeling", "Negativ koordinering", "Positiv koordinering", "Innovative løsninger"]
SHARES = {"Boligorganisation": [0.29, 0.32, 0.32, 0.08],
          "Helhedsplan": [0.24, 0.39, 0.24, 0.13]}


def _staircase(own):
    return figures.staircase_figure(STEPS, SHARES, own, ident="x", source="")


def test_every_municipality_shares_the_steps_of_samarbejdstrappen():
    one = _staircase({"Boligorganisation": 1, "Helhedsplan": 4}).svg
    other = _staircase({"Helhedsplan": 2}).svg
    base_of = lambda svg: svg[:svg.index(f'<g id="{overlay.MARK_ID_PREFIX}')]
    assert base_of(one) == base_of(other)
    ids = re.findall(r'\sid="([^"]+)"', one)
    assert len(ids) == len(set(ids))


def test_the_frame_falls_round_the_share_it_marks():
    # Arrange: the municipality's collaboration with the helhedsplan is on step 3 (24 %)
    svg = _staircase({"Helhedsplan": 3}).svg
    root = etree.fromstring(svg.encode("utf-8"))
    marks = root.find(f"{SVG}g[@id='{overlay.MARK_ID_PREFIX}figure_1']")
    # Act: the frame drawn on top, and the steps (filled with the sequential blues)
    (frame,) = _rectangles(marks)
    steps = sorted(_rectangles(root.find(f"{SVG}g[@id='figure_1']"), figures.SCALE4))
    # Assert: the frame lies under the third step, inside its width, below the ground line
    third = steps[2]
    assert third[0] - 1 <= frame[0] and frame[1] <= third[1] + 1
    assert frame[2] > max(step[3] for step in steps) - 1
