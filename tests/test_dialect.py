"""The notebooks' dialect: what a cell's tags, comments, roles, directives and captions mean,
read with MyST's own parser, and every notebook written in it."""

from __future__ import annotations

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
    # a condition tests a yes/no value (fora.more_often, koord.diff.fragile), not the word the
    # prose prints, nor a code or word the code keeps in a list (appendix.VERDICTS[1]) or
    # carries as a verdict (….verdict): the dialect's check finds each, and no notebook has one
    texts = dialect.word_comparisons
    conditions = {name: cell_.condition for name, c in _cells()
                  if (cell_ := dialect.read(c.source)).condition}

    assert len(conditions) > 50
    assert {name: texts(c) for name, c in conditions.items() if texts(c)} == {}
    assert texts('fora.with_more_often == "oftere"') == ["fora.with_more_often == 'oftere'"]
    old = "appendix.comparisons(r)['tid'].verdict == appendix.VERDICTS[1]"
    assert texts(f"koord.by_size and not ({old})") == [old]
    assert texts('koord.diff.verdict != "fragile"') and texts("x in danish.SIZE_GROUPS['small']")
    assert texts("x.kind in ('a', 'b')") and texts("f'{x}' == y")
    assert texts("koord.by_size and koord.test.significant and not koord.diff.fragile") == []
    assert texts("svar.incomplete > 0 and r.m.answer('x') == 2") == []
    # the check the notebooks are checked with refuses the same conditions
    for condition in ("koord.diff.verdict == koord.other", "x in danish.SIZE_GROUPS['small']",
                      f"koord.by_size and not ({old})"):
        found = dialect.problems(f"% hvis: {condition}\n{{eval}}`r.med(hvis={condition!r})`"
                                 f"\n\nTekst")
        assert any("compares with a text" in problem for problem in found), condition
    assert dialect.compares_with_text(old) and not dialect.compares_with_text("x == 2")


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
    ("(maal)=\n# Mål", [], "needs a blank line between it and its heading"),
    ("(maal)=\n\nTekst", [], "must stand right before a heading"),
    ("(Mål_1)=\n\n# Mål", [], "a label is lower-case letters"),
    ("Se [](#kap-maal).", [], "write the link's text, with %s where the number goes"),
    ("(fig-tid)=\nFigur: Tid", [], "needs a blank line between it and its 'Figur:' line"),
    ("(fig-tid)=\n\nTabel: Tid", [], "labels a figure: it opens the figure's caption cell, "
                                  "right before its 'Figur:' line"),
    ("Figur: Tid\n\n(fig-tid)=", [], "labels a figure: it opens the figure's caption cell"),
    ("Tekst.\n\n(tbl-regioner)=\n\nTabel: Regioner", [], "labels a table: it opens the "
                                                         "table's caption cell"),
    ("(fig-tid)=\n\n# Tid", [], "labels a figure"),
    ("(tid)=\n\nFigur: Tid", [], "a figure's label starts with 'fig-', a table's with 'tbl-'"),
    ("(fig-tid)=\n\nBeskrivelse: Søjler.", [], "labels a figure"),
    ("Se [%s og %s](#kap-maal).", [], "one %s per link"),
    ("% hvis: x\nTekst", [], "has no marker line: {eval}`r.med(hvis='x')`"),
    ("Tekst", ["kommune-svar"], "{eval}`r.med(tags='kommune-svar')` after its opening"),
    ("% hvis: y\n{eval}`r.med(hvis='x')`\n\nTekst", [], "disagrees with the cell's condition"),
    ("{eval}`r.med(tags='national')`\n\nTekst", [], "is in every report, so it has no marker"),
    ("% hvis: x\nTekst {eval}`r.med(hvis='x')`", [], "stands alone on the line after"),
])
def test_what_the_dialect_does_not_know_is_named(cell, tags, problem):
    assert any(problem in found for found in dialect.problems(cell, "markdown", tags))


def test_every_link_to_a_label_finds_it_and_its_number():
    notebooks = [(path.name, nbformat.read(path, as_version=4)) for path in NOTEBOOKS]

    assert dialect.reference_problems(notebooks) == []
    labels = {t.label: t for t in dialect.targets(notebooks)}
    # every chapter and every appendix has a label, and each of them a number
    chapters = [name for name, nb in notebooks if not nb.metadata.get("rapport", {}).get(
        "unnumbered")]
    assert sorted(t.notebook for t in labels.values() if t.label.startswith("kap-")) == chapters
    assert [t.label for t in labels.values() if t.label.startswith("bilag-")]
    assert all(t.numbered for t in labels.values() if t.label.startswith(("kap-", "bilag-")))


def test_a_link_to_an_unknown_label_or_an_unnumbered_heading_is_named():
    def nb(*cells, unnumbered=False):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(c) for c in cells],
                                        metadata={"rapport": {"unnumbered": unnumbered}})

    front = nb("(indledning)=\n\n# Indledning", "Se [kapitel %s](#kap-ledelse).",
               unnumbered=True)
    chapter = nb("(kap-ledelse)=\n\n# Ledelse", "Se [kapitel %s](#indledning) og "
                 "[kapitel %s](#kap-ledelse) og [indledningen](#indledning).",
                 "(kap-ledelse)=\n\n## Igen")

    assert dialect.reference_problems([("00.ipynb", front), ("01.ipynb", chapter)]) == [
        "01.ipynb[2]: the label 'kap-ledelse' is already used in 01.ipynb[0]",
        "01.ipynb[1]: [kapitel %s](#indledning): the heading 'indledning' has no number "
        "(%s is for chapters, their sections, appendices, figures and tables)"]
    assert dialect.reference_problems([("00.ipynb", front)]) == [
        "00.ipynb[1]: [kapitel %s](#kap-ledelse): no heading has the label 'kap-ledelse'; "
        "known: indledning"]


def test_a_labelled_caption_is_what_the_dialect_knows():
    for source in ("(fig-tid)=\n\nFigur: Tid", "% hvis: x\n{eval}`r.med(hvis='x')`\n\n"
                   "(tbl-regioner)=\n\nTabel: Regioner"):
        assert dialect.problems(source) == []


def _notebook(*cells, unnumbered=False):
    """A notebook of ``(kind, source, tags)`` cells."""
    made = []
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else
                nbformat.v4.new_markdown_cell)(source)
        cell.metadata["tags"] = list(tags)
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made, metadata={"rapport": {"unnumbered": unnumbered}})


def test_a_link_to_a_figure_or_table_names_one_every_report_of_the_cell_has():
    svar = ("kommune-svar",)
    chapter = _notebook(
        ("markdown", "(kap-tid)=\n\n# Tid", ()),
        ("code", "tid_fig", ()),
        ("markdown", "(fig-tid)=\n\nFigur: Tid", ()),
        ("markdown", "Se [figur %s](#fig-tid) og [tabel %s](#tbl-egne).", ()),
        ("code", "own.answers(r, 1)", svar),
        ("markdown", "{eval}`r.med(tags='kommune-svar')`\n\n(tbl-egne)=\n\nTabel: Svar", svar),
        ("markdown", "{eval}`r.med(tags='kommune-svar')`\n\n[Tabel %s](#tbl-egne) og "
                     "[figur %s](#fig-tiden).", svar),
        # the same label on two tables no report has both of, and on two that one report has
        ("code", "fakta.table", ("kommune-ikke-svar",)),
        ("markdown", "{eval}`r.med(tags='kommune-ikke-svar')`\n\n(tbl-egne)=\n\nTabel: Svar",
         ("kommune-ikke-svar",)),
        ("code", "fakta.table", ()),
        ("markdown", "(tbl-egne)=\n\nTabel: Svar", ()),
    )
    targets = {(t.label, t.cell): t for t in dialect.targets([("01.ipynb", chapter)])}

    assert targets["fig-tid", 2].kind == "figure" and targets["fig-tid", 2].numbered
    assert targets["tbl-egne", 5].reports == {dialect.ANSWERED}
    assert dialect.reference_problems([("01.ipynb", chapter)]) == [
        "01.ipynb[10]: the label 'tbl-egne' is already used in 01.ipynb[5]",
        "01.ipynb[3]: [tabel %s](#tbl-egne): the table 'tbl-egne' is not in every report this "
        "cell is in (not in: national); give the cell the tags of the table's cells",
        "01.ipynb[6]: [figur %s](#fig-tiden): no figure has the label 'fig-tiden'; known: "
        "fig-tid"]


def test_a_caption_may_open_with_its_label():
    found = dialect.caption("(fig-tid)=\n\nFigur: Tid til\nkoordinering")

    assert (found.kind, found.line, found.target) == ("figure", "Tid til koordinering", "fig-tid")
    assert dialect.caption("Tabel: Regioner").target is None
    assert dialect.caption("(fig-tid)=\n\nTekst.") is None


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
                for name, c in _cells() if dialect.marked(c.source, c.metadata.get("tags", []))
                != c.source}

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


def test_the_marker_command_says_what_it_wrote_and_what_it_changed(tmp_path, capsys):
    from analysis.report.dialect.__main__ import main

    path = tmp_path / "05.ipynb"
    nbformat.write(_notebook(("markdown", "% hvis: x\nNy tekst", ()),
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
