"""The figures' labels, measured with matplotlib's renderer: none overlaps another label or a
bar it is not inside, on the shipped data and on extreme shares (0 % and 100 %)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.report import danish, figures
from analysis.report.figures import cache, svg

STEPS = ["Vidensdeling", "Negativ koordinering", "Positiv koordinering",
         "Innovative løsninger"]
AGREE = ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig", "Overvejende enig",
         "Helt enig"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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
    ax = figures.staircase(STEPS, values, own=own)
    fig = _laid_out(ax)
    assert figures.label_overlaps(fig) == []
    renderer = fig.canvas.get_renderer()
    steps = [p for p in ax.patches if p.get_fill()]
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        column = [p.get_window_extent(renderer) for p in steps
                  if p.get_window_extent(renderer).x0 - 1 <= box.x0
                  and box.x1 <= p.get_window_extent(renderer).x1 + 1]
        assert column, f"{text.get_text()!r} is wider than its step"


def _report_figure_functions():
    """Every ``*_figure(report)`` of the report's content modules."""
    import importlib
    import inspect
    import pkgutil

    import analysis.report.content

    found = []
    for module_info in pkgutil.iter_modules(analysis.report.content.__path__):
        module = importlib.import_module(f"analysis.report.content.{module_info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or not name.endswith("_figure"):
                continue
            required = [p for p in inspect.signature(fn).parameters.values()
                        if p.default is inspect.Parameter.empty]
            if [p.name for p in required] == ["report"]:
                found.append(fn)
    return found


def test_the_shipped_reports_figures_have_clear_labels(monkeypatch):
    """Every figure of the national report and of every municipality's report, drawn from the
    shipped data, measured as ``to_figure`` lays it out."""
    from analysis.stats import results

    checked, problems = [], []
    original = figures.to_figure

    def checking_to_figure(ax, **kwargs):
        figures.layout(ax.figure)
        problems.extend(f"{kwargs['ident']}: {p}" for p in figures.label_overlaps(ax.figure))
        checked.append(kwargs["ident"])
        return original(ax, **kwargs)

    monkeypatch.setattr(figures, "to_figure", checking_to_figure)   # the content modules'
    monkeypatch.setattr(svg, "to_figure", checking_to_figure)       # the figure modules'
    # a figure with municipal marks is checked where it is drawn: its bars against every mark
    # it could get, then the marks against each other (either raises FigureLayoutError)
    original_marks = svg.with_marks

    def counting_with_marks(base, draw, **kwargs):
        checked.append(kwargs["ident"])
        return original_marks(base, draw, **kwargs)

    monkeypatch.setattr(svg, "with_marks", counting_with_marks)
    monkeypatch.setattr(cache, "_CACHE", {})
    functions = _report_figure_functions()
    assert len(functions) >= 4, [f.__name__ for f in functions]
    nat = results.national()
    reports = [results.Report(nat, None)] + [
        results.Report(nat, results.municipality(nat, code))
        for code in nat.register["kommunekode"].astype(str).unique()]
    for report in reports:
        for fn in functions:
            fn(report)
    assert len(checked) >= len(functions), checked
    assert not problems, "\n".join(problems[:20])


def test_a_one_row_stacked_figure_keeps_its_legend_clear_of_the_axis():
    counts = pd.DataFrame([[2, 3, 10, 15, 8]], index=[danish.COUNTRY], columns=AGREE)
    ax = figures.stacked_shares(counts)
    assert figures.label_overlaps(_laid_out(ax)) == []
