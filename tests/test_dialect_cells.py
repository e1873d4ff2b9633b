"""The notebooks' dialect: what a cell's text becomes, read with MyST's own parser: its
inline expressions, its condition, rank and comments, its boxes and headings, and the marker
that shows in JupyterLab whether it is in a report. What tags, labels and captions mean:
test_dialect.py."""

from __future__ import annotations

import nbformat
import pytest
from dialect_support import notebook_cells, tagged_notebook

from analysis.report import dialect, inline


# --- inline expressions: only what MyST reads as an {eval} role ----------------------------------

@pytest.mark.parametrize("markdown, expected", [
    ("{eval}`a.pct` af {eval}`b` og igen {eval}`a.pct`", ["a.pct", "b"]),
    # code spans, with backticks of their own, hold text and are never evaluated
    ("Skriv ``{eval}`x` `` og `` `{eval}` `` og {eval}`y`", ["y"]),
    ("`{eval}`x``", []),
    # any number of backticks encloses an expression, as for a code span
    ("{eval}``f'{n}`'`` og {eval}```a `` b``` og {eval}`` c ``", ["f'{n}`'", "a `` b", "c"]),
    # escaped backticks or brace: no role
    (r"{eval}\`x\` og \{eval}`y` og \`{eval}`z`", ["z"]),
    # code blocks: fenced (nested in a longer fence), tilde-fenced, indented
    ("````markdown\n```\n{eval}`x`\n```\n````\n\n~~~\n{eval}`y`\n~~~\n\n    {eval}`z`", []),
    # in headings, emphasis, links, lists, block quotes, tables, box titles and bodies
    ("# {eval}`h`\n\n*{eval}`e`* [{eval}`l`](x)\n\n- {eval}`li`\n\n> {eval}`q`\n\n"
     "| {eval}`t` |\n|---|\n| {eval}`td` |\n\n::::{admonition} {eval}`title`\n"
     ":::{note}\n{eval}`inner`\n:::\n::::", ["h", "e", "l", "li", "q", "t", "td", "title",
                                            "inner"]),
    # a box of another kind is not read as markdown
    (":::{code-block}\n{eval}`x`\n:::", []),
    # over a line break, the break is a space
    ("{eval}`len(\nx)`", ["len( x)"]),
])
def test_expressions_are_the_eval_roles_myst_reads(markdown, expected):
    assert dialect.expressions(markdown) == expected


def test_the_value_replaces_exactly_its_role():
    md = "Før ``{eval}`x` `` {eval}``f'{a}`'`` \\`{eval}`a` efter."

    assert inline.resolve(md, {"f'{a}`'": "1", "a": "2"}) == \
        "Før ``{eval}`x` `` 1 \\`2 efter."


# --- conditions, ranks, comments -----------------------------------------------------------------

@pytest.mark.parametrize("markdown, condition, rank", [
    ("% hvis: r.m is not None\nTekst", "r.m is not None", None),
    ("\n\n%hvis:   x > 2  \nTekst", "x > 2", None),
    ("% hvis: a\n% rang: raad.rank(\"x\")\nTekst", "a", 'raad.rank("x")'),
    ("% en note\n% rang: 2\n1. Tekst", None, "2"),
    ("Tekst\n% hvis: x", None, None),
    ("% en kommentar\nTekst", None, None),
    ("% hvis: a\n\n% rang: 2\nTekst", "a", None),
    # % lines in code are code, not comments, conditions or ranks
    ("```python\n% hvis: x\n% rang: 1\n```", None, None),
    ("    % hvis: x\n    kode", None, None),
    ("> % hvis: x\n> citat", None, None),
    (":::{note}\n% hvis: x\nTekst\n:::", None, None),
])
def test_condition_and_rank_are_read_from_the_opening_comments(markdown, condition, rank):
    cell = dialect.read(markdown)

    assert (cell.condition, cell.rank) == (condition, rank)
    assert cell.evaluations == cell.expressions + ((f"repr(float({rank}))",) if rank else ())


def test_comments_are_left_out_and_code_kept():
    md = ("% hvis: x\nTekst med 50 %\n%% også en kommentar\n\n```\n% ikke en kommentar\n```\n\n"
          ":::{note}\n% en note i boksen\nIndhold\n:::")

    assert inline.resolve(md, {}) == ("Tekst med 50 %\n\n```\n% ikke en kommentar\n```\n\n"
                                      "::: {.boks}\nIndhold\n:::")


def test_a_cell_is_read_once_per_text():
    text = "Et {eval}`tal` til cachen, kun her."
    before = dialect.read.cache_info().hits

    assert dialect.read(text) is dialect.read(text)
    assert dialect.read.cache_info().hits == before + 1


# --- boxes, headings ---------------------------------------------------------------------------

def test_boxes_as_pandoc_divs():
    assert inline.resolve(":::{admonition} Hvad er innovation?\n:class: definition\nEn proces."
                          "\n:::", {}) == \
        "::: {.boks .definition}\n[Hvad er innovation?]{.titel}\n\nEn proces.\n:::"
    assert inline.resolve(":::{note}\nTekst\n:::", {}) == "::: {.boks}\nTekst\n:::"
    nested = "::::{admonition} Ydre\n:::{note}\nIndre\n:::\n::::"
    assert inline.resolve(nested, {}) == \
        ":::: {.boks}\n[Ydre]{.titel}\n\n::: {.boks}\nIndre\n:::\n::::"
    # a box's code keeps its ::: lines when the box's fence is longer
    code = "::::{note}\n```\n:::\n% kode\n```\n::::"
    assert inline.resolve(code, {}) == ":::: {.boks}\n```\n:::\n% kode\n```\n::::"
    # in a backtick fence (which the check refuses) still the box MyST shows
    assert inline.resolve("```{admonition} T\nx {eval}`a`\n```", {"a": "1"}) == \
        "::: {.boks}\n[T]{.titel}\n\nx 1\n:::"
    # a directive the dialect does not know is left alone (and refused by the check)
    assert inline.resolve(":::{figure} T\nx\n:::", {}) == ":::{figure} T\nx\n:::"


def test_headings_get_classes_but_not_code_or_headings_with_their_own():
    md = "# Afsnit\n\n```python\n# en kommentar\n```\n\n## Mere {.x}"

    assert inline.resolve(md, {}, inline.Options(local=True)) == (
        "# Afsnit {.unnumbered .unlisted .local}\n\n```python\n# en kommentar\n```\n\n"
        "## Mere {.x}")


# --- markers: what JupyterLab shows of a cell that is not in every report -----------------------

@pytest.mark.parametrize("source, tags, expected", [
    # after the opening comment lines, a paragraph of its own
    ("% hvis: koord.by_size\n% rang: raad.rank('x')\nTekst", ["manchet"],
     "% hvis: koord.by_size\n% rang: raad.rank('x')\n{eval}`r.med(hvis='koord.by_size')`\n\n"
     "Tekst"),
    # the tags in the dialect's order; quotes and backticks in the condition kept
    ('% hvis: raad.has("tillid")\n\nTekst', ["kommune-svar", "national"],
     '% hvis: raad.has("tillid")\n{eval}`r.med(hvis=\'raad.has("tillid")\', '
     "tags='national kommune-svar')`\n\nTekst"),
    ("% hvis: len(f'{x}`')\nTekst", [],
     "% hvis: len(f'{x}`')\n{eval}``r.med(hvis=\"len(f'{x}`')\")``\n\nTekst"),
    # a heading, a box: the marker before them
    ("## {eval}`r.m.title` i tal", ["kommune"],
     "{eval}`r.med(tags='kommune')`\n\n## {eval}`r.m.title` i tal"),
    # a marker that disagrees is replaced, one on a cell in every report removed
    ("% hvis: y\n{eval}`r.med(hvis='x')`\n\nTekst", [],
     "% hvis: y\n{eval}`r.med(hvis='y')`\n\nTekst"),
    ("{eval}`r.med(tags='kommune')`\n\nTekst", ["manchet"], "Tekst"),
    ("% note\n{eval}`r.med(tags='kommune')`\n\nTekst", [], "% note\nTekst"),
])
def test_a_marker_is_written_from_the_condition_and_the_tags(source, tags, expected):
    assert dialect.marked(source, tags) == expected
    assert dialect.marked(expected, tags) == expected
    assert dialect.problems(expected, "markdown", tags) == []


def test_the_report_neither_evaluates_nor_prints_the_marker():
    md = "% hvis: x\n{eval}`r.med(hvis='x', tags='kommune')`\n\nI alt {eval}`n` kommuner."
    cell = dialect.read(md)

    assert cell.marker.expression == "r.med(hvis='x', tags='kommune')"
    assert (cell.condition, cell.expressions) == ("x", ("n",))
    assert inline.resolve(md, {"n": "44"}) == "I alt 44 kommuner."
    # a caption keeps its label at the start of the resolved cell
    caption = "{eval}`r.med(tags='kommune-svar')`\n\nBeskrivelse: Kommunens svar er markeret."
    assert dialect.caption(inline.resolve(caption, {})).kind == "description"
    # an r.med( inside a sentence is no marker: an expression, and refused
    assert dialect.read("Se {eval}`r.med()` her").marker is None


def test_every_cell_carries_the_marker_its_condition_and_tags_call_for():
    unmarked = {name: dialect.marked(c.source, c.metadata.get("tags", []))
                for name, c in notebook_cells()
                if dialect.marked(c.source, c.metadata.get("tags", [])) != c.source}

    assert unmarked == {}, "write them with .venv/bin/python -m analysis.report.dialect " \
        "notebooks/*.ipynb"


def test_a_marker_shows_whether_the_cell_is_in_the_report(monkeypatch):
    from analysis.report.notebook import setup

    national, koege = setup(), setup("Køge")
    namespace = {"x": 0}
    monkeypatch.setattr("analysis.report.notebook._namespace", lambda: namespace)

    assert national.med(tags="kommune-svar").text == (
        "✗ ikke med i landsrapporten (kun i rapporterne til kommuner, der har svaret)")
    assert koege.med(tags="kommune kommune-svar").text == (
        "✓ med i Køge Kommunes rapport (tags: kommune, kommune-svar)")
    assert koege.med(hvis="x > 1").text == (
        "✗ ikke med i Køge Kommunes rapport (hvis: x > 1 er falsk)")
    assert not koege.med(hvis="x > 1") and national.med(hvis="x == 0", tags="national")
    # the tags decide first: a condition is not evaluated for a cell they leave out
    assert not national.med(hvis="undefined_name", tags="kommune")
    badge = koege.med(tags="kommune")._repr_html_()
    assert 'class="rapport-marker rapport-med"' in badge and "Køge Kommunes rapport" in badge


def test_a_value_that_is_none_stops_the_render_and_names_the_cell():
    from types import SimpleNamespace

    from analysis.report import in_kernel

    class Formatter:
        def format(self, value, include):
            return {"text/plain": repr(value)}, {}

    shell = SimpleNamespace(user_global_ns={}, user_ns={"x": None, "n": 44},
                            display_formatter=Formatter())

    assert in_kernel.answer(shell, 7, None, ["n"]) == {"cell": 7, "included": True,
                                                       "values": ["44"]}
    assert in_kernel.answer(shell, 7, None, ["n", "x"]) == {
        "cell": 7, "error": ["x", "ValueError", in_kernel.NONE_IN_REPORT]}
    # a cell its condition leaves out is never evaluated
    assert in_kernel.answer(shell, 7, "n > 50", ["x"]) == {"cell": 7, "included": False}


def test_the_marker_command_says_what_it_wrote_and_what_it_changed(tmp_path, capsys):
    from analysis.report.dialect.__main__ import main

    path = tmp_path / "05.ipynb"
    nbformat.write(tagged_notebook(("markdown", "% hvis: x\nNy tekst", ()),
                             ("markdown", "% hvis: y\n{eval}`r.med(hvis='x')`\n\nTekst", ()),
                             ("markdown", "% hvis: z\nEn til", ()),
                             ("markdown", "Tekst", ())), path)

    assert main(["--check", str(path)]) == 1
    assert capsys.readouterr().out == (f"{path}: would write the marker of 2 cells, would "
                                       "change the marker of 1 cell\n")
    assert main([str(path)]) == 0
    assert capsys.readouterr().out == (f"{path}: wrote the marker of 2 cells, changed the "
                                       "marker of 1 cell\n")
    assert main([str(path)]) == 0 and capsys.readouterr().out == ""
