"""The report's pandoc keeps what it read and filtered of each part of a report for the next
reports (templates/report_server.lua). Whatever it reuses, each report must be what pandoc's own
command line writes for it; markdown that refers across parts is read as a whole."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from render_notebooks import LINKS
from test_render_writer import EXTRA
from test_render_design import MARKDOWN

from analysis.render import pandoc_typst as pt
from analysis.render.assemble import Document
from analysis.render.errors import RenderError

FORMATS = [pt.HTML, pt.TYPST]


@pytest.fixture(autouse=True)
def _dated(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1448928000")


@pytest.fixture(scope="module")
def rich(document) -> Document:
    return replace(document, body=document.body + "\n\n" + MARKDOWN + EXTRA,
                   metadata={**document.metadata, "kommune": "Køge Kommune"})


def _cli(doc: Document, tmp: Path, fmt: str) -> str:
    """pandoc's command line for one format, with the options the report asks for."""
    spec = pt._request(doc, [fmt], LINKS)["formats"][0]
    meta = tmp / "metadata.yaml"
    meta.write_text(pt.metadata_yaml(doc), encoding="utf-8")
    args = [pt.pandoc_path(), "--from", pt.READER, "--data-dir", str(tmp), "--lua-filter",
            str(pt.LUA_FILTER), "--metadata-file", str(meta), "--standalone",
            "--number-sections", "--toc", f"--toc-depth={spec['toc_depth']}",
            f"--shift-heading-level-by={spec['heading_shift']}", "--to", fmt,
            "--template", spec["template"],
            *(f"--variable={name}:{value}" for name, value in spec["variables"].items())]
    return subprocess.run(args, input=doc.body.encode("utf-8"), capture_output=True,
                          check=True).stdout.decode("utf-8")


def _server(doc: Document) -> dict:
    request = {"reader": pt.READER, "body": doc.body, "metadata": pt.metadata_yaml(doc),
               **pt._request(doc, FORMATS, LINKS)}
    return json.loads(pt._PANDOC.ask(request))


def _check(doc: Document, tmp: Path) -> str:
    """The server's outputs for ``doc`` equal the command line's; how it read the markdown."""
    answer = _server(doc)
    for fmt in FORMATS:
        assert answer["outputs"][fmt] == _cli(doc, tmp, fmt), fmt
    return answer["read"]


def _with(doc: Document, body: str) -> Document:
    return replace(doc, body=body)


def test_reports_in_a_row_reuse_parts_and_equal_the_command_line(rich, tmp_path):
    first, heading = rich.body, "## Om rapporten"
    assert first.count(heading) == 1 and "Samarbejdstrappen og" in first
    # a number changed in one paragraph
    changed = _with(rich, first.replace("Samarbejdstrappen og", "Samarbejdstrappen (17) og"))
    # a heading that repeats a later one, early in the document: every part after it keeps
    # its text, but the later heading's id must now be unique in the whole document
    repeated = _with(rich, heading + "\n\nEn ekstra indledning.\n\n" + first)
    assert 'id="om-rapporten-1"' in _cli(repeated, tmp_path, pt.HTML)

    for doc in (rich, changed, repeated, rich, changed):
        assert _check(doc, tmp_path) == "parts"


# Markdown that refers across parts, or may hide a heading: read as a whole.
REFERRING = {
    "footnote": "Et udsagn.[^kilde]\n\n## Et nyt afsnit\n\n[^kilde]: Kilden til udsagnet.\n",
    "reference link": "Se [rapporten][r].\n\n## Et nyt afsnit\n\n[r]: https://example.org\n",
    "heading by its text": "Se afsnittet [Om rapporten].\n",
    "code block": "```\nkode\n\n## ikke en overskrift\n```\n",
    "top-level caption": "| a | b |\n|--|--|\n| 1 | 2 |\n\n: Tabel uden ramme\n",
    "definition": "Koordinator\n\n:   Den, der koordinerer.\n",
    "raw HTML": "<div>\n\n## Inde i en div\n\n</div>\n",
}
# Blocks pandoc joins over a blank line: they stay in one part.
JOINED = {
    "a list over a blank line": "* første\n\n* anden\n\nEt afsnit.\n",
    "a numbered list over a blank line": "1. første\n\n2. anden\n\nEt afsnit.\n",
    "a lettered list over a blank line": "a. første\n\nb. anden\n\nEt afsnit.\n",
    "a quote over a blank line": "> første\n\n> anden\n\nEt afsnit.\n",
    "an indented continuation": "1. punkt\n\n    fortsat\n\nEt afsnit.\n",
    "a lazy paragraph line": "Et afsnit\nder fortsætter.\n\n## Overskrift\n",
}
CASES = [(case, text, "whole") for case, text in sorted(REFERRING.items())] \
    + [(case, text, "parts") for case, text in sorted(JOINED.items())]


@pytest.mark.parametrize("case, markdown, read", CASES, ids=[c[0] for c in CASES])
def test_markdown_is_read_as_the_command_line_reads_it(rich, tmp_path, case, markdown, read):
    doc = _with(rich, rich.body + "\n\n" + markdown)
    assert _check(doc, tmp_path) == read


def test_an_error_is_reported_and_the_next_report_still_renders(rich, tmp_path):
    bad = {"reader": pt.READER, "body": rich.body, "metadata": pt.metadata_yaml(rich),
           "formats": [{**pt._request(rich, [pt.HTML], LINKS)["formats"][0],
                        "template": str(tmp_path / "no-such-template.html")}]}
    with pytest.raises(RenderError, match="pandoc failed: .*no-such-template"):
        pt._PANDOC.ask(bad)
    assert _check(rich, tmp_path) == "parts"


def test_pandoc_is_replaced_after_its_reports_and_writes_the_same(rich, tmp_path, monkeypatch):
    monkeypatch.setattr(pt._PANDOC, "_uses", 2)
    pt._PANDOC.close()
    expected = _cli(rich, tmp_path, pt.HTML)
    pids = []
    for _ in range(3):
        assert _server(rich)["outputs"][pt.HTML] == expected
        pids.append(pt._PANDOC.pid)
    # replaced once its second report was written: the third started a new one
    assert pids[0] is not None and pids[1] is None and pids[2] not in (None, pids[0])
