"""The house design's pandoc filter (templates/report.lua) on hand-written markdown: table
columns aligned by content, boxes, interview quotes, chapter leads, municipal panels."""

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
    # the markdown asks for the second column right-aligned; its cells are text
    assert "align: (left, left, right,)" in typst
    cells = re.findall(r'<td style="text-align: (\w+);">([^<]*)</td>', html)
    assert ("left", "Hvor meget tid bruger kommunen?") in cells
    assert ("right", "44,9\u00a0%") in cells     # the filter joins a number and its "%"


def test_table_and_its_source_are_one_unbreakable_block(typst):
    call = typst[typst.index("#kpb-tabel("):]
    assert call.startswith("#kpb-tabel(caption: [#\"Tabel 1. Et eksempel\"], long: false,\ntable(")
    table_end = call.index("\n))[")            # the table argument, then the notes block
    assert "table.header(" in call[:table_end]
    notes = call[table_end:call.index("]<tbl-eksempel>")]
    assert "Kilde: Spørgeskemaet." in notes


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
    footer = call[call.index("table.footer(repeat: false,"):call.index("]<tbl-spoergsmaal>")]
    assert "Spørgsmål 39" in footer and "Spørgsmål 40" in footer
    assert "Spørgsmål 38" not in footer
    short = flow_typst[flow_typst.index('#kpb-tabel(caption: [#"Tabel 1.'):]
    assert "long: false" in short[:80] and "table.footer" not in short[:short.index("<tbl-")]


def test_figures_float_and_chapters_are_set_as_wholes(flow_typst):
    figure = flow_typst[flow_typst.index("#kpb-figur()["):]
    assert figure.index('#figure(image("fig-regioner.svg", alt: "Søjler.")') < figure.index(
        "#kpb-kilde()[")
    assert flow_typst.count("#kpb-kapitel[") == 2
    body = flow_typst[flow_typst.index("#kpb-kapitel["):]
    assert body.index("#kpb-kapitel[") < body.index("Læsevejledning")


def test_a_quote_before_a_box_is_marked_to_go_with_it(flow_typst):
    assert '#kpb-citat(before-box: true, role: [#"Kommunal taktiker"])[' in flow_typst


def test_the_flow_document_compiles(flow_document):
    pdf = pandoc_typst.pdf_bytes(flow_document)
    assert pdf.startswith(b"%PDF")


# --- page balance: a numbered chapter's last page is not left nearly empty ------------------

PARAGRAPH = ("Kommunen og boligorganisationen mødes hver måned i styregruppen, hvor de "
             "fastlægger målene, fordeler opgaverne og følger op på indsatserne i området. "
             "Koordinatoren "
             "forbereder møderne og sørger for, at beslutningerne når ud til medarbejderne i "
             "forvaltningerne og i boligafdelingerne.")
RUNNING_HEADER = "Rapport"


def _balanced(paragraphs: int, tmp_path) -> tuple[list[str], list[str], list[int]]:
    """Two numbered chapters, the first of ``paragraphs`` paragraphs (one with a subheading
    every five): the PDF's pages as text, typst's warnings and the way each chapter was set."""
    import json
    import subprocess

    import typst

    parts = []
    for i in range(paragraphs):
        if i % 5 == 0:
            parts.append(f"## Afsnit {i // 5 + 1}")
        parts.append(PARAGRAPH)
    body = ("# Første kapitel\n\n" + "\n\n".join(parts) + "\n\n# Andet kapitel\n\nSlut.\n")
    document = Document(body=body, metadata={"title": RUNNING_HEADER})
    main = tmp_path / "report.typ"
    main.write_text(pandoc_typst.typst_source(document), encoding="utf-8")
    options = dict(root=str(tmp_path), font_paths=[str(pandoc_typst.link_fonts(tmp_path))],
                   ignore_system_fonts=True)
    pdf, warnings = typst.compile_with_warnings(str(main), **options)
    ways = [m["value"]["maade"] for m in json.loads(typst.query(str(main), "<kpb-maade>",
                                                                **options))]
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f"), [w.message for w in warnings], ways


def test_page_balance_settles_and_leaves_no_chapter_a_few_lines(tmp_path):
    """Chapters of growing length: wherever the first ends a few lines over a page, it is set
    tighter and the lines go back; wherever it ends with more, looser. Typst's layout settles
    every time, and the page before the second chapter never holds just a few lines."""
    used = set()
    for paragraphs in range(9, 23):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings, ways = _balanced(paragraphs, folder)
        assert not warnings, (paragraphs, warnings)
        used.update(ways)
        second = next(i for i, page in enumerate(pages) if "Slut." in page)
        tail = [line for line in pages[second - 1].splitlines()
                if line.strip() and not line.strip().isdigit()
                and not line.strip().startswith(RUNNING_HEADER)]
        if second - 1 > 2:      # the first chapter (from page 3) runs over more than one page
            assert len(tail) > 5, (paragraphs, ways, tail)
    assert {1, 2} <= used, f"the lengths tried never needed the page balance: {used}"


def test_a_table_too_wide_for_the_text_is_set_in_the_compact_size():
    markdown = (":::: {.tabel}\n\n| Spørgsmål | Kommunens svar | Andelen, der svarer | "
                "Hele landet | N | Kommuner med 4.000 beboere og derover | N |\n"
                "|:--|:--|:--|--:|--:|--:|--:|\n"
                "| Koordinatorens placering | En fagforvaltning | Borgmesterkontoret (fagneutral "
                "enhed) | 54 % | 37 | 56 % | 16 |\n\n: Tabel 1. Bred {#tbl-bred}\n\n::::\n\n"
                ":::: {.tabel}\n\n| Region | Andel |\n|:--|--:|\n| Sjælland | 44,9 % |\n\n"
                ": Tabel 2. Smal {#tbl-smal}\n\n::::\n")
    source = pandoc_typst.typst_source(Document(body=markdown, metadata={"title": "R"}))
    wide = source[source.index("Tabel 1. Bred"):source.index("Tabel 2. Smal")]
    narrow = source[source.index("Tabel 2. Smal"):]
    assert "{ show table: set text(size: 7.40pt); table(" in wide
    assert "show table: set text(size" not in narrow


@pytest.mark.parametrize(("rows", "long"), [(7, "false"), (8, "true")])
def test_a_table_of_eight_rows_or_more_may_break(rows, long):
    body = "".join(f"| Region {i} | {i} |\n" for i in range(rows))
    markdown = f":::: {{.tabel}}\n\n| Region | N |\n|:--|--:|\n{body}\n: Tabel 1. Rækker\n\n::::\n"
    source = pandoc_typst.typst_source(Document(body=markdown, metadata={"title": "R"}))
    assert f'#kpb-tabel(caption: [#"Tabel 1. Rækker"], long: {long},' in source


def test_the_national_pdf_is_archivable_and_a_municipal_one_accessible_only(flow_document):
    """PDF/A forbids the encryption a municipal report is sealed with; PDF/UA-1 does not."""
    municipal = Document(body="Tekst.\n", metadata={"title": "R", "kommune": "Køge Kommune"})
    assert pandoc_typst.pdf_standards(municipal) == ("ua-1",)
    assert pandoc_typst.pdf_standards(flow_document) == ("ua-1", "a-2a")
    pdf = pandoc_typst.pdf_bytes(flow_document)
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf and b"<pdfaid:part>2</pdfaid:part>" in pdf
