"""The house design's pandoc filter (templates/report.lua) on hand-written markdown: table
columns aligned by content, boxes, interview quotes, chapter leads, municipal panels."""

from __future__ import annotations

import re

import pytest

from analysis.render import pandoc_typst
from analysis.render.assemble import Document

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
    assert ("right", "44,9 %") in cells


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
