"""Assembling executed notebooks into one document."""

from __future__ import annotations

import pytest
import nbformat
from render_notebooks import (ALT, CHAPTER_MD, FIG1, FIG2, FRONT_MD, TABLE1, TABLE2, TITLE,
                              code_cell, display)
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from analysis.report.present import Figure
from analysis.render import RenderError, assemble
from analysis.render.assemble import slug, source_line


def test_markdown_cells_are_kept_verbatim_in_order(document):
    body = document.body
    assert FRONT_MD in body and CHAPTER_MD in body
    assert body.index(FRONT_MD) < body.index(CHAPTER_MD) < body.index("# Samarbejdet")


def test_code_parameters_and_streams_never_reach_the_report(document):
    for hidden in ("PARAMETER-OUTPUT", "kommune =", "secret_module", "STDOUT-NOISE",
                   "present(x)"):
        assert hidden not in document.body


def test_titlepage_goes_to_metadata_not_body(document):
    assert document.metadata == {"title": TITLE.title, "subtitle": TITLE.subtitle,
                                 "date": TITLE.date, "notice": TITLE.notice,
                                 "publisher": TITLE.publisher}
    assert TITLE.notice not in document.body


def test_figures_are_numbered_in_document_order_across_notebooks(document, svg):
    first, second = document.figures[FIG1["ident"]], document.figures[FIG2["ident"]]
    assert (first.number, second.number) == (1, 2)
    assert first.label == "Figur 1. Helhedsplaner pr. region"
    assert second.label == "Figur 2. Samarbejdstrappen"
    assert first.alt == ALT[FIG1["ident"]] and first.svg == svg
    assert first.filename == "fig-udbredelse.svg"
    image = ('![Figur 1. Helhedsplaner pr. region](fig-udbredelse.svg)'
             '{#fig-udbredelse alt="Søjlediagram: Region Sjælland har flest planer"}')
    assert image in document.body
    assert document.body.index(image) < document.body.index("Figur 2. Samarbejdstrappen")


def test_figure_source_line_follows_the_figure(document):
    body = document.body
    assert "Kilde: Spørgeskema 2015" in body
    # A source that already says "Kilde" is not prefixed twice.
    assert "Kilde: Interviews" in body and "Kilde: Kilde" not in body
    assert body.index("fig-udbredelse.svg") < body.index("Kilde: Spørgeskema 2015")


def test_tables_are_numbered_pipe_tables_with_caption_and_notes(document):
    assert [(e.number, e.table) for e in document.tables] == [(1, TABLE1), (2, TABLE2)]
    body = document.body
    # cells are data: escaped so that they print as typed
    assert "| Kommune | Antal | Andel |\n|:--|--:|--:|\n| Køge | 1\\.234 | 63,6 \\% |" in body
    assert ": Tabel 1. Antal helhedsplaner {#tbl-antal}" in body
    assert ": Tabel 2. Roller {#tbl-roller}" in body
    caption_at = body.index(": Tabel 1.")
    assert caption_at < body.index("Kilde: Landsbyggefonden")
    assert caption_at < body.index("Anm.: Tallene er syntetiske.")


def test_prose_quote_and_plain_markdown_outputs_are_included(document):
    assert "44 af landets 98 kommuner har en helhedsplan." in document.body
    # an excerpt is data: escaped so that it prints as typed
    assert "> Vi har fået et „fælles sprog“\\." in document.body
    assert "> --- Kommunal taktiker (CFBU og KL 2015)" in document.body
    assert "Uden *metadata*." in document.body
    assert "HTML-ONLY" not in document.body


def test_error_output_raises_with_the_exception():
    failed = new_notebook(cells=[code_cell(new_output(
        "error", ename="KeyError", evalue="'Køge'", traceback=[]))])
    failed.metadata["papermill"] = {"input_path": "notebooks/03_kapitel.ipynb"}
    with pytest.raises(RenderError, match=r"03_kapitel.ipynb failed: KeyError: 'Køge'"):
        assemble([failed])


def test_two_figures_with_one_id_are_refused(svg):
    fig = display(Figure(svg=svg, **FIG1))
    cells = [code_cell(fig), new_markdown_cell("Beskrivelse: Søjler."),
             code_cell(fig), new_markdown_cell("Beskrivelse: Søjler.")]
    with pytest.raises(RenderError, match="fig-udbredelse"):
        assemble([new_notebook(cells=cells)])


def test_ids_become_safe_file_names():
    assert slug("Køge fig 1") == "K-ge-fig-1"
    assert slug("../etc") == "etc"
    assert slug("æøå") == "x"


def test_svg_split_into_lines_is_joined(svg):
    output = display(Figure(svg=svg, **FIG1))
    output["data"]["image/svg+xml"] = svg.splitlines(keepends=True)
    doc = assemble([new_notebook(cells=[code_cell(output),
                                        new_markdown_cell("Beskrivelse: Søjler.")])])
    assert doc.figures[FIG1["ident"]].svg == svg


def test_empty_input_gives_empty_document():
    doc = assemble([])
    assert doc.body.strip() == "" and doc.figures == {} and doc.tables == ()


@pytest.mark.parametrize("source, expected", [
    ("Spørgeskema 2015", "Kilde: Spørgeskema 2015"),
    ("Kilde: Interviews", "Kilde: Interviews"),
    ("Kilder: Interviews og registre", "Kilder: Interviews og registre"),
    # the analysis writes "N = 38. Kilde: …": the reader must not see "Kilde: N = 38. Kilde:"
    ("N\u00a0=\u00a038. Kilde: Spørgeskemaet.", "N\u00a0=\u00a038. Kilde: Spørgeskemaet."),
    ("  ", ""),
])
def test_source_line_names_the_source_once(source, expected):
    assert source_line(source) == expected


# --- a figure's description: the "Beskrivelse:" cells next to it --------------------------------

def _notebook(*cells: dict) -> nbformat.NotebookNode:
    """An executed notebook as papermill writes it, from hand-written cells."""
    return nbformat.from_dict({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"papermill": {"input_path": "notebooks/01_kapitel.ipynb"}},
        "cells": [{"id": f"c{i}", **cell} for i, cell in enumerate(cells)]})


def _figure_cell(ident: str) -> dict:
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "fig",
            "outputs": [{"output_type": "execute_result", "execution_count": 1,
                         "data": {"image/svg+xml": "<svg/>", "text/plain": "Figur: "},
                         "metadata": {"rapport": {"kind": "figure", "id": ident,
                                                  "caption": "", "source": "Kilde: Test"}}}]}


def _markdown(source: str, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": source}


def test_description_cells_before_and_after_the_caption_become_the_alt_text():
    notebook = _notebook(
        _figure_cell("tid"),
        _markdown("Beskrivelse: Vandrette *søjler* for\nto grupper."),
        _markdown("Figur: Tid til koordinering"),
        _markdown("", rapport={"udeladt": "% hvis: False\nBeskrivelse: Udeladt."}),
        _markdown("Beskrivelse: Flest svarer **halvtid**   (40\u00a0\\%)."),
        _markdown("Efter figuren."))

    doc = assemble([notebook])

    entry = doc.figures["tid"]
    assert entry.caption == "Tid til koordinering"
    assert entry.alt == "Vandrette søjler for to grupper. Flest svarer halvtid (40\u00a0%)."
    assert 'alt="Vandrette søjler for to grupper. Flest svarer halvtid (40\u00a0%)."' in doc.body
    assert "Efter figuren." in doc.body and "Beskrivelse" not in doc.body


@pytest.mark.parametrize("cells", [
    [_markdown("Figur: Tid til koordinering"), _markdown("Efter figuren.")],
    # the only description is a municipal sentence, left out of this report
    [_markdown("Figur: Tid"), _markdown("", rapport={"udeladt": "Beskrivelse: Kun kommunen."})],
], ids=["no-description", "left-out"])
def test_a_figure_without_a_description_fails_naming_notebook_and_figure(cells):
    notebook = _notebook(_figure_cell("tid"), *cells)

    with pytest.raises(RenderError, match=r"^notebooks/01_kapitel\.ipynb: figure 'tid' has no "
                                          r"description.*'Beskrivelse: …'"):
        assemble([notebook])


def test_a_description_that_follows_no_figure_is_refused():
    table = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "t",
             "outputs": [{"output_type": "display_data", "data": {"text/plain": "t"},
                          "metadata": {"rapport": {"kind": "table", "id": "t", "caption": "",
                                                   "source": "", "columns": ["A"],
                                                   "rows": [["1"]], "notes": []}}}]}
    notebook = _notebook(table, _markdown("Tabel: En tabel"), _markdown("Beskrivelse: Søjler."))

    with pytest.raises(RenderError, match=r"01_kapitel\.ipynb: a 'Beskrivelse:' cell must "
                                          r"follow a figure"):
        assemble([notebook])


def test_only_a_cell_that_starts_with_the_label_is_a_caption():
    # bold "Figur:" is prose: it ends the figure, which then has no description
    notebook = _notebook(
        _figure_cell("tid"),
        _markdown("**Figur:** fed skrift er tekst"),
        _markdown("Beskrivelse: Søjler."))

    with pytest.raises(RenderError, match=r"figure 'tid' has no description"):
        assemble([notebook])

    doc = assemble([_notebook(_figure_cell("tid"), _markdown("Figur: Tid til\nkoordinering"),
                              _markdown("Beskrivelse: Søjler."),
                              _markdown("Tabel: ingen tabel her"))])
    assert doc.figures["tid"].caption == "Tid til koordinering"
    assert "Tabel: ingen tabel her" in doc.body
