"""The notebooks' dialect: what a cell's tags, comments, roles, directives and captions mean,
read with MyST's own parser, and every notebook written in it."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from analysis.report import dialect, inline

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GUIDE = ROOT / "docs" / "notebooks.md"


def _cells(kind: str = "markdown"):
    for path in NOTEBOOKS:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == kind:
                yield f"{path.name}[{index}]", cell


# --- every notebook is written in the dialect ---------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_uses_only_what_the_dialect_knows(path):
    nb = nbformat.read(path, as_version=4)

    found = {i: dialect.problems(c.source, c.cell_type, c.metadata.get("tags", []))
             for i, c in enumerate(nb.cells)}

    assert {i: p for i, p in found.items() if p} == {}


def test_no_condition_compares_with_a_text():
    # a condition tests a yes/no value (fora.more_often), not the word the prose prints
    def texts(expression: str) -> list[str]:
        return [ast.unparse(node) for node in ast.walk(ast.parse(expression, mode="eval"))
                if isinstance(node, ast.Compare) and any(
                    isinstance(o, (ast.Constant, ast.JoinedStr)) and not isinstance(
                        getattr(o, "value", None), (int, float, bool, type(None)))
                    for o in [node.left, *node.comparators])]

    conditions = {name: cell_.condition for name, c in _cells()
                  if (cell_ := dialect.read(c.source)).condition}

    assert len(conditions) > 50
    assert {name: texts(c) for name, c in conditions.items() if texts(c)} == {}
    assert texts('fora.with_more_often == "oftere"') == ["fora.with_more_often == 'oftere'"]


def test_the_guide_lists_what_the_module_knows():
    text = GUIDE.read_text(encoding="utf-8")

    assert dialect.guide(text) == text, (
        "docs/notebooks.md's reference tables differ from the dialect's; write them anew with "
        ".venv/bin/python -c \"import pathlib; from analysis.report.dialect import guide; "
        "p = pathlib.Path('docs/notebooks.md'); p.write_text(guide(p.read_text()))\"")


@pytest.mark.parametrize("cell, tags, problem", [
    ("Tekst", ["kommunal"], "unknown tag 'kommunal'"),
    ("Tekst", ["injected-parameters"], "set when a report is rendered"),
    ("% hvis: x\n% ellers: y\nTekst", [], "'% ellers:' is no directive line"),
    ("% rang: 1\n% hvis: x\nTekst", [], "'% hvis:' is read only as the cell's first line"),
    ("Tekst\n\n% rang: 1", [], "'% rang:' is read only among the comment lines"),
    ("% hvis:\nTekst", [], "'% hvis:' has no expression"),
    ('% hvis: fora.with_more_often == "oftere"\nTekst', [], "compares with a text"),
    ("{eval}`1 +`", [], "is not a Python expression"),
    ("{abbr}`KL (Kommunernes Landsforening)`", [], "{abbr} is no known role"),
    (":::{figure} fig.png\n:::", [], "{figure} is no known directive"),
    ("```{admonition} Titel\nTekst\n```", [], "write a box with a ':::' fence"),
    (":::{admonition} Titel\n:class: advarsel\nTekst\n:::", [], "names no kind of box"),
    (":::{admonition} Titel\n:name: x\nTekst\n:::", [], "unknown option ':name:'"),
    (":::{admonition} Titel\nTekst", [], "the box is not closed"),
    ("(maal)=\n# Mål", [], "a target ((name)=) is not part of"),
])
def test_what_the_dialect_does_not_know_is_named(cell, tags, problem):
    assert any(problem in found for found in dialect.problems(cell, "markdown", tags))


def test_a_tag_on_the_wrong_kind_of_cell_is_named():
    assert dialect.problems("x = 1", "code", ["manchet"]) == [
        "tag 'manchet' belongs on markdown cells, not on a code cell"]
    assert dialect.problems("x = 1", "code", ["parameters", "kommune"]) == []


# --- tags ----------------------------------------------------------------------------------------

def test_each_report_gets_the_cells_of_its_tags():
    assert dialect.applying(dialect.NATIONAL) == ("national",)
    assert dialect.applying(dialect.ANSWERED) == ("kommune", "kommune-svar")
    assert dialect.applying(dialect.NOT_ANSWERED) == ("kommune", "kommune-ikke-svar")
    assert dialect.report_kind(municipal=True, answered=False) == dialect.NOT_ANSWERED
    answered = dialect.applying(dialect.ANSWERED)
    assert dialect.shown([], answered) and dialect.shown(["manchet"], answered)
    assert dialect.shown(["kommune-svar", "manchet"], answered)
    assert not dialect.shown(["national"], answered)
    assert dialect.audience(["manchet", "kommune", "x"]) == {"kommune"}


def test_what_a_tag_does_besides_choosing_reports():
    assert dialect.is_local(["kommune-ikke-svar"]) and not dialect.is_local(["national"])
    assert dialect.is_parameters(["injected-parameters"]) and dialect.is_lead(["manchet"])
    assert dialect.is_title_page(["forside"]) and not dialect.is_title_page(["manchet"])
    assert dialect.lead("Tekst.", ["manchet"]) == "::: {.manchet}\nTekst.\n:::"
    assert dialect.lead("Tekst.", ["kommune"]) == "Tekst."


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


# --- captions, descriptions -----------------------------------------------------------------

@pytest.mark.parametrize("markdown, kind, text", [
    ("Figur: Tid til\nkoordinering", "figure", "Tid til koordinering"),
    ("Tabel:Nøgletal", "table", "Nøgletal"),
    ("  Beskrivelse: Søjler.", "description", "Søjler."),
    ("**Figur:** Tid", None, None),
    ("Figuren viser", None, None),
    ("```\nFigur: kode\n```", None, None),
    ("Figur: en overskrift\n===", None, None),
])
def test_captions_and_descriptions(markdown, kind, text):
    found = dialect.caption(markdown)

    assert (found.kind, found.line) == (kind, text) if kind else found is None


def test_a_description_is_plain_text():
    found = dialect.caption("Beskrivelse: Søjler for *fire* former:\n91\u00a0\\% af "
                            "`kommunerne` og [flere](x).\n\nNæste afsnit.")

    assert found.plain == "Søjler for fire former: 91\u00a0% af kommunerne og flere. Næste afsnit."


def test_warming_reads_every_markdown_cell_once():
    count = dialect.warm(NOTEBOOKS)
    hits = dialect.read.cache_info().hits

    for _, cell in _cells():
        dialect.read(cell.source)

    assert count == len(list(_cells())) > 200
    assert dialect.read.cache_info().hits == hits + count
