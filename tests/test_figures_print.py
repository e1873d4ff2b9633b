"""What the reports' figures print: every figure a notebook draws is among the report figures
checked here, each of its labels prints at 7 pt or more and stays clear of the others on the
shipped data (the national report and every municipality's), and each answer scale gets the
palette of its kind."""

from __future__ import annotations

import pytest

from analysis.report import figures
from analysis.report.figures import cache, svg


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
