"""The report's pandoc (templates/report_server.lua) reads a report once for both formats and
writes what pandoc's own command line writes for each format with the shared filter, byte for
byte."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from render_notebooks import LINKS
from test_render_design import MARKDOWN

from analysis.render import pandoc_typst as pt
from analysis.render.assemble import Document

# Blocks the filter treats differently in the two formats, and words it divides.
EXTRA = """
# Samarbejdstrappen {.unnumbered}

Samarbejdstrappen og helhedsplanerne er "samarbejdets" trin, 'boligorganisationen' også.

## Under et unummereret kapitel

::: {.boks}
**Boligsocial koordinator**

En koordinator i forvaltningen.
:::

# Kolofon {.unnumbered}

Udgivet af kommunen.
"""


@pytest.fixture(scope="module")
def rich(document) -> Document:
    """The rendering tests' document (figures, tables, sources) and more blocks the filter
    treats differently in the two formats."""
    return replace(document, body=document.body + "\n\n" + MARKDOWN + EXTRA,
                   metadata={**document.metadata, "kommune": "Køge Kommune",
                             "publisher": 'KL og "CFBU"', "date": "1. december 2015"})


def _cli(document: Document, tmp: Path, *args: str) -> str:
    """pandoc's command line on the document: the reference the writer must equal."""
    meta = tmp / "metadata.yaml"
    meta.write_text(pt.metadata_yaml(document), encoding="utf-8")
    proc = subprocess.run(
        [pt.pandoc_path(), "--from", pt.READER, "--data-dir", str(tmp), "--lua-filter",
         str(pt.LUA_FILTER), "--metadata-file", str(meta), "--standalone", "--number-sections",
         "--toc", *args], input=document.body.encode("utf-8"), capture_output=True, check=True)
    return proc.stdout.decode("utf-8")


def test_html_equals_pandoc_command_line(rich, tmp_path):
    expected = _cli(rich, tmp_path, "--toc-depth=3", "--shift-heading-level-by=1",
                    "--to", "html5", "--template", str(pt.HTML_TEMPLATE),
                    f"--variable=downloads-html:{pt.downloads_html(LINKS)}")
    both = pt.pandoc_outputs(rich, [pt.HTML, pt.TYPST], links=LINKS)
    assert both[pt.HTML] == expected
    assert pt.pandoc_outputs(rich, [pt.HTML], links=LINKS)[pt.HTML] == expected


def test_typst_equals_pandoc_command_line(rich, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1448928000")
    expected = _cli(rich, tmp_path, "--toc-depth=2", "--to", "typst",
                    "--template", str(pt.TYPST_TEMPLATE),
                    f"--variable=design:{pt.typst_design()}",
                    "--variable=publisher-string:KL og \\\"CFBU\\\"",
                    "--variable=document-date:true")
    # the typst written after the HTML in the same run: the HTML's filter left nothing behind
    both = pt.pandoc_outputs(rich, [pt.HTML, pt.TYPST], links=LINKS)
    assert both[pt.TYPST] == expected
    assert pt.pandoc_outputs(rich, [pt.TYPST])[pt.TYPST] == expected
    # the formats differ where the filter makes them differ
    assert "#kpb-ord(" in expected and "#kpb-boks(" in expected and "#kpb-citat(" in expected


def test_write_report_writes_what_each_writer_writes(rich, tmp_path):
    timings = pt.write_report(rich, tmp_path, ["html", "pdf"], links=LINKS)
    assert set(timings) == {"pandoc", "html", "pdf"}
    alone = tmp_path / "alone"
    alone.mkdir()
    assert ((tmp_path / "rapport.html").read_bytes()
            == pt.write_html(rich, alone / "r.html", links=LINKS).read_bytes())
    assert ((tmp_path / "rapport.pdf").read_bytes()
            == pt.write_pdf(rich, alone / "r.pdf").read_bytes())
    only_html = tmp_path / "only"
    only_html.mkdir()
    pt.write_report(rich, only_html, ["html"], links=LINKS)
    assert sorted(p.name for p in only_html.iterdir()) == ["rapport.html"]


def test_an_unknown_format_is_refused(rich):
    with pytest.raises(ValueError, match="'docx'"):
        pt.pandoc_outputs(rich, ["docx"])
