"""The notebooks' dialect: what a cell's tags, directives, labels and captions mean, read with
MyST's own parser, and every notebook written in it. What a cell's text becomes (its
expressions, conditions, boxes and markers): test_dialect_cells.py."""

from __future__ import annotations

import nbformat
import pytest
from dialect_support import NOTEBOOKS, ROOT, notebook_cells, tagged_notebook

from analysis.report import dialect

GUIDE = ROOT / "docs" / "notebooks.md"


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
    conditions = {name: cell_.condition for name, c in notebook_cells()
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


def test_a_link_to_a_figure_or_table_names_one_every_report_of_the_cell_has():
    svar = ("kommune-svar",)
    chapter = tagged_notebook(
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

    for _, cell in notebook_cells():
        dialect.read(cell.source)

    assert count == len(list(notebook_cells())) > 200
    assert dialect.read.cache_info().hits == hits + count
