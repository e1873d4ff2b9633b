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
TRAPPE_ROWS = ("Samarbejdet med boligorganisationen", "Samarbejdet med helhedsplanen")
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


def _report_figures(report) -> dict[str, object]:
    """Every figure a report draws, by the name the notebooks call it by: each
    ``*_figure(report)`` of the content modules, and the agree figure of every chapter that
    has one."""
    from analysis.report.content import themes

    drawn = {fn.__name__: fn(report) for fn in _report_figure_functions()}
    for chapter in themes.CHAPTER_ITEMS:
        drawn[f"agree_figure({chapter})"] = themes.agree_figure(report, chapter,
                                                                f"enighed-{chapter}")
    return drawn


def test_every_figure_the_notebooks_draw_is_among_the_report_figures():
    """The label checks below draw the report's figures through :func:`_report_figures`:
    every figure function a notebook calls must be one of them."""
    import json
    import re
    from pathlib import Path

    called = set()
    for notebook in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                called |= set(re.findall(r"\.(\w+_figure)\(", "".join(cell["source"])))
    covered = {fn.__name__ for fn in _report_figure_functions()} | {"agree_figure"}
    assert called and called <= covered, called - covered


def test_the_print_width_is_the_templates_text_width():
    """A figure prints at its own size unless wider than the text (typst scales it down):
    the PDF template's page and margins give the text width the label sizes are measured
    against, and the figure filter gives an image no width of its own."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "src/analysis/render/templates"
    page = re.search(r'#set page\(paper: "a4", margin: \(x: ([0-9.]+)cm',
                     (templates / "report.typ").read_text(encoding="utf-8"))
    assert page, "report.typ: the page setting the print width is measured from"
    assert figures.PRINT_WIDTH_PT == pytest.approx((21.0 - 2 * float(page.group(1))) / 2.54 * 72)
    assert figures.WIDTH_IN * 72 < figures.PRINT_WIDTH_PT
    placed = re.search(r"#figure\(image\(([^)]*)\)",
                       (templates / "filter" / "figures.lua").read_text(encoding="utf-8"))
    assert placed and "width" not in placed.group(1)


MIN_PRINT_PT = 7.0    # the smallest type a figure may print in


@pytest.mark.parametrize("kommune", [None, "Køge"])
def test_every_label_of_every_report_figure_prints_at_7_pt_or_more(kommune, monkeypatch):
    """Every text of every figure the national report and a municipal report draw, at the
    size it prints at in the PDF (its size in the SVG, times the scale the PDF places the
    SVG at), is at least 7 pt; and no figure is so wide that the PDF shrinks it."""
    from analysis.stats import results

    monkeypatch.setattr(cache, "_CACHE", {})
    nat = results.national()
    report = results.Report(nat, results.municipality(nat, kommune) if kommune else None)
    sizes, shrunk = [], []
    for name, drawn in _report_figures(report).items():
        picture = drawn.svg
        labels = figures.print_label_sizes(picture)
        assert labels, f"{name}: no text found in the SVG"
        sizes += [(size, name, text) for text, size in labels]
        if figures.print_scale(picture) < 1:
            shrunk.append(f"{name}: printed at {figures.print_scale(picture):.0%}")
    assert not shrunk, shrunk
    small = sorted(found for found in sizes if found[0] < MIN_PRINT_PT)
    assert not small, [f"{name}: {text!r} at {size:.1f} pt" for size, name, text in small]
    assert min(sizes)[0] >= MIN_PRINT_PT


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
        _report_figures(report)
    assert len(checked) >= len(functions), checked
    assert not problems, "\n".join(problems[:20])


def test_a_one_row_stacked_figure_keeps_its_legend_clear_of_the_axis():
    counts = pd.DataFrame([[2, 3, 10, 15, 8]], index=[danish.COUNTRY], columns=AGREE)
    ax = figures.stacked_shares(counts)
    assert figures.label_overlaps(_laid_out(ax)) == []


# --- palettes ----------------------------------------------------------------------------

def _codebook_scales():
    """The codebook's named answer scales, and its ordinal questions."""
    from pathlib import Path

    import yaml

    from analysis.stats import results

    raw = yaml.safe_load((Path(__file__).resolve().parents[1] / "data/survey/codebook.yaml")
                         .read_text(encoding="utf-8"))
    ordinal = [q for q in results.national().codebook.questions.values() if q.type == "ordinal"]
    return raw["scales"], ordinal


def test_a_scale_between_two_poles_is_diverging_and_any_other_order_sequential():
    scales, ordinal = _codebook_scales()
    bipolar = [list(scales["agree"].values()), list(scales["satisfaction"].values())]
    assert ordinal
    for question in ordinal:
        answers = list(question.answers.values())
        expected = figures.DIVERGING if answers in bipolar else figures.SEQUENTIAL
        assert figures.scale_kind(answers) == expected, question.id
    assert figures.scale_kind(["Helt uenig", "Uenig", "Enig", "Helt enig"]) == figures.DIVERGING
    assert figures.scale_kind(["Ingen", "Lidt", "Noget", "Meget"]) == figures.SEQUENTIAL


def _luminance(color: str) -> float:
    import matplotlib.colors
    r, g, b = matplotlib.colors.to_rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("n", range(2, 8))
def test_a_sequential_palette_darkens_step_by_step_and_a_diverging_one_is_light_inside(n):
    sequential = figures.scale_colors(figures.SEQUENTIAL, n)
    diverging = figures.scale_colors(figures.DIVERGING, n)
    assert len(sequential) == len(diverging) == n
    light = [_luminance(c) for c in sequential]
    assert light == sorted(light, reverse=True) and len(set(light)) == n
    ends = [_luminance(diverging[0]), _luminance(diverging[-1])]
    assert all(_luminance(c) > max(ends) for c in diverging[1:-1])
    for color in sequential + diverging:
        assert figures.contrast_ratio(color, figures.text_color(color)) >= 4.5, color


def _fills(picture: str) -> set[str]:
    import re
    return set(re.findall(r"fill:\s*(#[0-9a-f]{6})", picture))


def test_each_stacked_figure_gets_the_palette_of_its_scale(monkeypatch):
    """The time spent on coordination (an amount) on one hue, more time darker; the
    satisfaction and agree scales on the diverging palette, the negatively worded statement
    included."""
    from analysis.report.content import ch1, themes
    from analysis.stats import results

    monkeypatch.setattr(cache, "_CACHE", {})
    report = results.Report(results.national(), None)
    time_spent = _fills(ch1.time_figure(report).svg)
    assert set(figures.SEQUENTIAL5) <= time_spent
    assert not set(figures.DIVERGING5) & time_spent
    for drawn in (ch1.satisfaction_figure(report), themes.agree_figure(report, 3, "x"),
                  themes.priority_figure(report)):
        assert set(figures.DIVERGING5) <= _fills(drawn.svg)
        assert not set(figures.SEQUENTIAL5) & _fills(drawn.svg)


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
