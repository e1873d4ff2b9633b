"""From a notebook's MyST markdown to pandoc markdown: values, conditions, boxes, headings."""

import pypandoc
import pytest

from analysis.report import inline


def test_expressions_in_order_each_once():
    md = "{eval}`a.pct` af {eval}`b` og igen {eval}`a.pct`; `kode` er ikke en."

    assert inline.expressions(md) == ["a.pct", "b"]


def test_values_replace_the_roles():
    md = "I alt {eval}`n` af {eval}`total` kommuner."

    assert inline.resolve(md, {"n": "41", "total": "44"}) == "I alt 41 af 44 kommuner."


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "<img src=x onerror=\"alert(1)\">", "[klik](javascript:x)",
    "**fed**", "*Køge* & _Ishøj_", "#read(\"/etc/hostname\")", "$x^2$", "::: {.boks}",
    "\\emph{x}", "`kode`", "1. januar",
])
def test_a_value_prints_as_typed_through_pandoc(value):
    md = inline.resolve("Navn: {eval}`x`.", {"x": value})

    html = pypandoc.convert_text(md, "html", format="markdown")
    plain = pypandoc.convert_text(md, "plain", format="markdown").strip()

    assert plain == f"Navn: {value}."
    assert "<script" not in html and "<img" not in html and "href" not in html
    assert "<strong>" not in html and "<em>" not in html and "<code>" not in html


def test_a_value_with_line_breaks_stays_in_its_sentence():
    md = inline.resolve("A {eval}`x` B", {"x": "første\nanden"})

    assert md == "A første anden B"


def test_condition_is_read_from_the_first_line_only():
    assert inline.condition("% hvis: r.m is not None\nTekst") == "r.m is not None"
    assert inline.condition("\n%hvis:   x > 2  \nTekst") == "x > 2"
    assert inline.condition("Tekst\n% hvis: x") is None
    assert inline.condition("% en kommentar\nTekst") is None


def test_comment_lines_are_dropped():
    # every line that starts with % is a MyST comment (%% too: JupyterLab hides it as well)
    md = "% hvis: x\n% en note til forfatteren\nTekst med 50 %\n%% også en kommentar\nSlut"

    assert inline.resolve(md, {}) == "Tekst med 50 %\nSlut"


def test_code_is_kept_as_written():
    md = ("Se ``{eval}`x` `` og {eval}`x`.\n\n"
          "````markdown\n```python\n% hvis: nej\n# {eval}`y`\n```\n````")

    out = inline.resolve(md, {"x": "1"}, inline.Options(local=True))

    assert out == ("Se ``{eval}`x` `` og 1.\n\n"
                   "````markdown\n```python\n% hvis: nej\n# {eval}`y`\n```\n````")


def test_values_in_a_box_title_a_table_and_a_list():
    md = (":::{admonition} Om {eval}`navn`\n:class: eksempel\n- {eval}`a` og\n"
          "  {eval}``b `c` `` \\`{eval}`a`\n:::\n\n"
          "| A | B |\n|---|---|\n| {eval}`a` | {eval}``b `c` `` |")

    out = inline.resolve(md, {"navn": "Køge", "a": "1", "b `c`": "2"})

    assert out == ("::: {.boks .eksempel}\n[Om Køge]{.titel}\n\n- 1 og\n  2 \\`1\n:::\n\n"
                   "| A | B |\n|---|---|\n| 1 | 2 |")


def test_a_role_over_two_lines_is_one_value():
    assert inline.resolve("I alt {eval}`len(\nx)` kommuner.", {"len( x)": "4"}) == \
        "I alt 4 kommuner."


def test_admonition_becomes_a_fenced_div_with_title():
    md = ":::{admonition} Hvad er innovation?\n:class: definition\nEn proces.\n:::"

    out = inline.resolve(md, {})

    assert out == "::: {.boks .definition}\n[Hvad er innovation?]{.titel}\n\nEn proces.\n:::"
    html = pypandoc.convert_text(out, "html", format="markdown")
    assert '<div class="boks definition">' in html
    assert '<span class="titel">Hvad er innovation?</span>' in html


def test_admonition_without_class_is_a_plain_box():
    out = inline.resolve(":::{note}\nTekst\n:::", {})

    assert out == "::: {.boks}\nTekst\n:::"


def test_headings_of_front_matter_are_unnumbered_and_local_ones_unlisted():
    assert inline.resolve("# Indledning", {}, inline.Options(unnumbered=True)) == \
        "# Indledning {.unnumbered}"
    assert inline.resolve("## Køge", {}, inline.Options(local=True)) == \
        "## Køge {.unnumbered .unlisted .local}"
    assert inline.resolve("## Afsnit", {}) == "## Afsnit"
    assert inline.resolve("# Bilag {.x}", {}, inline.Options(unnumbered=True)) == "# Bilag {.x}"


def test_plain_text_drops_the_quotes_jupyterlab_myst_drops():
    assert inline.plain_text("'Køge Kommune'") == "Køge Kommune"
    assert inline.plain_text('"44"') == "44"
    assert inline.plain_text("44") == "44"
    assert inline.plain_text("'a\" b") == "'a\" b"
