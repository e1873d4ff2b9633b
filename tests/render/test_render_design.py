"""The house design's pandoc filter (templates/report.lua) on hand-written markdown: table
columns aligned by content, boxes, interview quotes, chapter leads, municipal panels. The PDF's
page flow (design*.typ, report.typ) is in test_render_page_flow.py."""

from __future__ import annotations

import re

import pytest

from analysis.render import pandoc_typst
from analysis.render.assemble import Document, FigureEntry

MARKDOWN = """# Kommuner med helhedsplaner

En helhedsplan er et lokalt sekretariat.

Anden paragraf.

::: {.eksempel}
**Et eksempel fra Køge**

Kommunen holder møder hver uge.
:::

::: {.definition}
[Helhedsplan]{.titel} En plan for et boligområde.
:::

> Vi holder møder hver uge.
>
> --- Kommunal taktiker

:::: {.tabel}

| Region | Spørgsmål | Andel |
|:--|--:|--:|
| Region Sjælland | Hvor meget tid bruger kommunen? | 44,9 % |
| Hele landet | Har kommunen en koordinator? | 100,0 % |
| Hele landet | Har kommunen en koordinator? | – |

: Tabel 1. Et eksempel {#tbl-eksempel}

::: {.kilde}
Kilde: Spørgeskemaet.
:::

::::

## Køge Kommune {.unnumbered .local}

Køges egne svar.

## Næste afsnit

Tekst.
"""


@pytest.fixture(scope="module")
def document() -> Document:
    return Document(body=MARKDOWN, metadata={"title": "Rapport", "kommune": "Køge Kommune"})


@pytest.fixture(scope="module")
def html(document) -> str:
    # without the soft hyphens of listed compounds (those are test_render_hyphenation's)
    return pandoc_typst.html_bytes(document).decode("utf-8").replace("\u00ad", "")


@pytest.fixture(scope="module")
def typst(document) -> str:
    # listed compounds as plain words (their parts are test_render_hyphenation's)
    return re.sub(r'#kpb-ord\(([^)]*)\);',
                  lambda m: "".join(re.findall(r'"([^"]*)"', m.group(1))),
                  pandoc_typst.typst_source(document))


def test_text_columns_are_left_aligned_and_numbers_right(html, typst):
    # the markdown asks for the second column right-aligned; its cells are text; a dash (a
    # figure not shown) leaves a column of numbers numeric
    assert "numeric: (false, false, true,)," in typst
    # a cell's text may stand in a div that keeps it on one or two lines (filter/tables.lua)
    cells = re.findall(r'<td style="text-align: (\w+);">(?:<div[^>]*>\s*)?([^<]*?)\s*'
                       r'(?:</div>)?</td>', html)
    assert ("left", "Hvor meget tid bruger kommunen?") in cells
    assert ("right", "44,9\u00a0%") in cells     # the filter joins a number and its "%"


def test_table_and_its_source_are_one_unbreakable_block(typst):
    call = typst[typst.index("#kpb-tabel("):]
    assert call.startswith("#kpb-tabel(caption: [#\"Tabel 1. Et eksempel\"], long: false,\n")
    table_end = call.index("\n)[")            # the table's fields, then the notes block
    assert '  header: ([#"Region"], [#"Spørgsmål"], [#"Andel"],),' in call[:table_end]
    assert '([#"Region Sjælland"], [#"Hvor meget tid bruger kommunen?"]' in call[:table_end]
    notes = call[table_end:call.index("]<tbl-eksempel>")]
    assert "Kilde: Spørgeskemaet." in notes


def test_each_column_names_the_texts_that_must_stand_on_one_line(typst):
    # a short cell whole, of a longer one its longest words; the header's and the body's
    call = typst[typst.index("#kpb-tabel("):]
    least = call[call.index("  least: "):call.index("\n", call.index("  least: "))]
    assert '(("Region",), ("Hele landet", "Sjælland", "Region",))' in least
    assert '"koordinator?"' in least and '"100,0\u00a0%"' in least


def test_first_paragraph_after_a_chapter_heading_is_its_lead(html, typst):
    assert re.search(r'<div class="manchet">\s*<p>En helhedsplan er', html)
    assert "#kpb-manchet()[\nEn helhedsplan er" in typst
    assert '<div class="manchet">\n<p>Anden' not in html


def test_boxes_get_their_titles(html, typst):
    assert re.search(r'<div class="eksempel boks" role="note">\s*<div class="boks-titel">\s*'
                     r"<p>Et eksempel fra Køge</p>", html)
    assert '#kpb-boks(kind: "eksempel", title: [#"Et eksempel fra Køge"])[' in typst
    assert '#kpb-boks(kind: "definition", title: [Helhedsplan])[\nEn plan' in typst


def test_a_quote_keeps_its_role_label(html, typst):
    assert re.search(r'<div class="citat">\s*<blockquote>\s*<p>Vi holder møder hver uge.</p>'
                     r'\s*<div class="rolle">\s*<p>— Kommunal taktiker</p>', html)
    assert "#kpb-citat(role: [#\"Kommunal taktiker\"])[\nVi holder møder hver uge." in typst


def test_municipal_section_is_a_panel_up_to_the_next_section(html, typst):
    panel = re.search(r'<div id="[^"]+" class="lokal">(.*?)</div>', html, re.S)
    assert panel and "Køges egne svar." in panel.group(1)
    assert "Næste afsnit" not in panel.group(1)
    assert '<h3 class="unnumbered local" id="køge-kommune">' in panel.group(1)
    start = typst.index('#kpb-panel(kind: "lokal")[')
    assert typst.index("Køges egne svar.") > start
    assert typst.index("]", typst.index("Køges egne svar.")) < typst.index("Næste afsnit")


def test_cover_names_the_municipality(html, typst):
    assert '<p class="kommune">Køge Kommune</p>' in html
    assert "Køge Kommune" in typst[:typst.index("#outline(")]


# --- page flow and typography (a document that marks its leads, as the notebooks do) --------

FLOW_MARKDOWN = """# Læsevejledning {.unnumbered}

Kapitel 1, *Kommuner med helhedsplaner*, beskriver helhedsplanerne.

Kapitel 2, *Potentialer*, viser, hvad kommunen kan få ud af samarbejdet.

# Kommuner med helhedsplaner

::: {.manchet}
Kapitlet beskriver helhedsplanerne.
:::

Store kommuner: 44 % / næsten 45 % (N = 38).

Kommunerne ligger i alle fem regioner, og de fleste i hovedstaden.

:::: {.tabel}

| Region | Andel |
|:--|--:|
| Hovedstaden | 11 |

: Tabel 1. Regioner {#tbl-regioner}

::::

Tabellen viser kommunernes fordeling.

:::: {.tabel}

| Spørgsmål | Svar |
|:--|:--|
""" + "".join(f"| Spørgsmål {i} om et længere emne, der fylder | Svar {i} |\n"
          for i in range(1, 41)) + """
: Tabel 2. Spørgsmål {#tbl-spoergsmaal}

::::

:::: {.figur}

![Figur 1. Regioner](fig-regioner.svg){#fig-regioner alt="Søjler."}

::: {.kilde}
Kilde: Spørgeskemaet.
:::

::::

> Vi holder møder hver uge.
>
> --- Kommunal taktiker

::: {.eksempel}
**Et eksempel**

Tekst.
:::

> Vi har lagt styregruppen og følgegruppen sammen.
>
> --- Kommunal taktiker (syntetisk eksempel)

::: {.konstrueret}
> Nogen skal binde niveauerne sammen.
>
> --- Projektleder
:::
"""


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">'
       '<rect width="300" height="120" fill="#0072B2"/></svg>')


@pytest.fixture(scope="module")
def flow_document() -> Document:
    figure = FigureEntry(ident="regioner", number=1, caption="Regioner", alt="Søjler.",
                         source="Spørgeskemaet.", svg=SVG)
    return Document(body=FLOW_MARKDOWN, metadata={"title": "Rapport"},
                    figures={figure.ident: figure})


@pytest.fixture(scope="module")
def flow_html(flow_document) -> str:
    return pandoc_typst.pandoc_outputs(flow_document, [pandoc_typst.HTML])[pandoc_typst.HTML]


@pytest.fixture(scope="module")
def flow_typst(flow_document) -> str:
    return pandoc_typst.typst_source(flow_document)


def test_a_document_that_marks_its_leads_gets_no_other(flow_html, flow_typst):
    # the Læsevejledning's first entry is an entry like the others, not a lead
    assert flow_typst.count("#kpb-manchet()[") == 1
    assert "#kpb-manchet()[\nKapitlet beskriver" in flow_typst
    assert flow_html.count('class="manchet"') == 1
    assert re.search(r'<div class="manchet">\s*<p>Kapitlet beskriver', flow_html)


def test_a_number_and_its_percent_sign_are_never_parted(flow_html, flow_typst):
    for text in (flow_html, flow_typst):
        assert "44\u00a0% / næsten 45\u00a0%" in text or "44~% / næsten 45~%" in text
        assert "N\u00a0=\u00a038" in text or "N~=~38" in text


def test_a_paragraph_introducing_a_table_goes_with_it(flow_typst):
    assert "#kpb-med-naeste()[\nTabellen viser kommunernes fordeling." in flow_typst
    # a paragraph that only happens to stand before a table is left to flow
    assert "#kpb-med-naeste()[\nKommunerne ligger" not in flow_typst


def test_a_long_table_keeps_its_last_two_rows_together(flow_typst):
    call = flow_typst[flow_typst.index('#kpb-tabel(caption: [#"Tabel 2.'):]
    assert call.startswith('#kpb-tabel(caption: [#"Tabel 2. Spørgsmål"], long: true,')
    fields = call[:call.index("]<tbl-spoergsmaal>")]
    assert "  last: 2," in fields
    assert fields.index("Spørgsmål 39") < fields.index("Spørgsmål 40")
    short = flow_typst[flow_typst.index('#kpb-tabel(caption: [#"Tabel 1.'):]
    assert "long: false" in short[:80] and "  last: 0," in short[:short.index("<tbl-")]


def test_figures_float_and_chapters_are_set_as_wholes(flow_typst):
    figure = flow_typst[flow_typst.index("#kpb-figur()["):]
    assert figure.index('#figure(image("fig-regioner.svg", alt: "Søjler.")') < figure.index(
        "#kpb-kilde()[")
    # a numbered chapter opens a new page (unless the page before is more than half empty);
    # an unnumbered section (the læsevejledning) flows
    assert flow_typst.count("#kpb-kapitel(ny-side: true, loeb-paa: true)[") == 1
    assert flow_typst.count("#kpb-kapitel(ny-side: true)[") == 0
    assert flow_typst.count("#kpb-kapitel[") == 1
    body = flow_typst[flow_typst.index("#kpb-kapitel["):]
    assert body.index("#kpb-kapitel[") < body.index("Læsevejledning")


def _typst_of(markdown: str) -> str:
    """The typst source of a document of ``markdown`` alone."""
    return pandoc_typst.typst_source(Document(body=markdown, metadata={"title": "Rapport"},
                                              figures={}))


def test_a_section_with_a_numbered_list_starts_after_the_waiting_floats():
    # a figure or box that went on to the next page's top would otherwise stand between two
    # items of the chapter's »Gode råd«; a section without a numbered list is not held up
    source = _typst_of("# Ledelse\n\nTekst.\n\n## Eksempler\n\nTekst.\n\n"
                       "## Gode råd\n\nRådene:\n\n1. Første.\n2. Andet.\n\n"
                       "## Punkter\n\n- et\n- to\n")
    assert source.count("#place.flush()") == 1
    flush = source.index("#place.flush()")
    assert source.index("Eksempler") < flush < source.index("Gode råd")
    assert source[flush:source.index("Gode råd")].count("\n") <= 2


def test_the_appendices_open_a_page_and_the_reference_list_runs_on():
    # the Bilag belong to the whole report, not to the last chapter: they always open a page;
    # a numbered chapter opens one unless the page before is more than half empty; an
    # unnumbered section after a chapter (Gode råd, the short Litteratur) runs on
    source = _typst_of("# Ledelse\n\nTekst.\n\n# Gode råd {.unnumbered}\n\nRåd.\n\n"
                       "# Litteratur {.unnumbered}\n\nEngberg (2008).\n\n"
                       "# Bilag {.unnumbered}\n\n## Bilag 1. Data\n\nTekst.\n")
    chapter = source.index("#kpb-kapitel(ny-side: true, loeb-paa: true)[")
    opens = [m.start() for m in re.finditer(re.escape("#kpb-kapitel(ny-side: true)["), source)]
    runs_on = source.index("#kpb-kapitel[")
    assert len(opens) == 1
    assert chapter < source.index("Ledelse") < runs_on < source.index("Gode råd")
    assert source.index("Gode råd") < source.index("Litteratur") < opens[0]
    assert opens[0] < source.index("Bilag 1")
    assert source.count("#kpb-kapitel[") == 2


def test_a_constructed_quote_is_set_apart_from_the_interview_quotes(flow_html, flow_typst):
    # marked in its role label, or by a div of class `konstrueret` (the role label as is)
    assert ('#kpb-citat(konstrueret: true, role: [#"Kommunal taktiker (syntetisk eksempel)"])['
            in flow_typst)
    assert '#kpb-citat(konstrueret: true, role: [#"Projektleder"])[' in flow_typst
    assert '#kpb-citat(role: [#"Kommunal taktiker"])[' in flow_typst
    assert flow_html.count('class="citat konstrueret"') == 2
    assert flow_html.count('class="citat"') == 1


def test_the_flow_document_compiles(flow_document):
    pdf = pandoc_typst.pdf_bytes(flow_document)
    assert pdf.startswith(b"%PDF")


def test_the_national_pdf_is_archivable_and_a_municipal_one_accessible_only(flow_document):
    """PDF/A forbids the encryption a municipal report is sealed with; PDF/UA-1 does not."""
    municipal = Document(body="Tekst.\n", metadata={"title": "R", "kommune": "Køge Kommune"})
    assert pandoc_typst.pdf_standards(municipal) == ("ua-1",)
    assert pandoc_typst.pdf_standards(flow_document) == ("ua-1", "a-2a")
    pdf = pandoc_typst.pdf_bytes(flow_document)
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf and b"<pdfaid:part>2</pdfaid:part>" in pdf


def test_a_count_a_reference_and_a_per_cent_word_are_never_divided_at_a_line_end():
    """»28 af 44«, »kapitel 3« (in running text, not a caption's »Tabel 1.«) and »95 %-interval«
    stay on one line: the filter binds them (spaces.lua) in both formats, and typst does not
    break »%-interval« at its hyphen (design.typ)."""
    body = ("# A\n\nI 64 % (28 af 44) af dem, se kapitel 3 og figur 2; "
            "forskellen er 5 procentpoint (95 %-interval: 1 til 9).\n")
    document = Document(body=body, metadata={"title": "Rapport"})
    html = pandoc_typst.html_bytes(document).decode("utf-8")
    assert "(28\u00a0af\u00a044)" in html
    assert "kapitel\u00a03" in html and "figur\u00a02" in html
    assert '<span class="hel">(95\u00a0%-interval:</span>' in html
    source = pandoc_typst.typst_source(document)
    assert "(28~af~44)" in source and "kapitel~3" in source
    assert 'show regex("%-\\p{L}+")' in source


def test_a_reference_that_starts_a_sentence_is_never_divided_either():
    """»Tabel 3 viser …«: a figure's or table's reference is numbered before the filter, and
    at a sentence's start its word is capitalised; as a link it is bound all the same (a
    caption's »Tabel 1.«, which is no link, is not)."""
    body = ("# A\n\nDe er udvalgt. [Tabel 3](#tbl-x) viser deres region.\n\n"
            "Tabel 1. En overskrift\n")
    document = Document(body=body, metadata={"title": "Rapport"})
    html = pandoc_typst.html_bytes(document).decode("utf-8")
    assert ">Tabel\u00a03</a>" in html
    assert "Tabel 1. En overskrift" in html
    source = pandoc_typst.typst_source(document)
    assert "[Tabel~3]" in source
