"""The report's pandoc keeps what it read and filtered of each part of a report for the next
reports (templates/report_server.lua). Whatever it reuses, each report must be what pandoc's own
command line writes for it; markdown that refers across parts is read as a whole.

Where a part may start is decided on the markdown's lines (templates/server/parts.lua), so it is
proved here on markdown that pandoc reads across blank lines or reads differently in context:
named cases against pandoc's command line, and many documents put together from such pieces
against pandoc's own reading of each whole document."""

from __future__ import annotations

import json
import random
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
    "heading by a label": "Se [afsnittet][Om rapporten].\n",
    "heading by its text and an empty label": "Se [Om rapporten][].\n",
    "heading by its text over two lines": "Se afsnittet [Om\nrapporten].\n",
    "heading with emphasis by its text":
        "## Det *lokale* samarbejde\n\nEt afsnit.\n\nSe [Det *lokale* samarbejde].\n",
    "heading by its text in the same part": "## Et nyt afsnit\nSe [Et nyt afsnit].\n",
    "code block": "```\nkode\n\n## ikke en overskrift\n```\n",
    "code block holding a fence": "```\n::: {.boks}\n\nkode\n```\n",
    "raw block": "```{=html}\n<b>rå</b>\n```\n",
    "top-level caption": "| a | b |\n|--|--|\n| 1 | 2 |\n\n: Tabel uden ramme\n",
    "definition": "Koordinator\n\n:   Den, der koordinerer.\n",
    "raw HTML": "<div>\n\n## Inde i en div\n\n</div>\n",
    "example list numbered across parts": "@. første\n\nEt afsnit.\n\n@. andet\n",
    "a fence in a paragraph is text": "Et afsnit\n::: {.boks}\n\nMere.\n\n:::\n\nSidst.\n",
    # a definition after a closing fence makes the fence a term: the div stays open
    "a closing fence taken as a term":
        "::: {.boks}\nKoordinator\n\n:   Den, der koordinerer.\n:::\n\n:   En definition mere.\n",
}
# Blocks pandoc joins over a blank line: they stay in one part.
JOINED = {
    "a list over a blank line": "* første\n\n* anden\n\nEt afsnit.\n",
    "a numbered list over a blank line": "1. første\n\n2. anden\n\nEt afsnit.\n",
    "a lettered list over a blank line": "a. første\n\nb. anden\n\nEt afsnit.\n",
    "a quote over a blank line": "> første\n\n> anden\n\nEt afsnit.\n",
    "an indented continuation": "1. punkt\n\n    fortsat\n\nEt afsnit.\n",
    "a lazy paragraph line": "Et afsnit\nder fortsætter.\n\n## Overskrift\n",
    "a multiline table with rows at the margin":
        "-------------------\nKommune  Samarbejde\n-------- ----------\nKøge     Tæt og\n"
        "         fast\n\nHørsholm Løst\n-------------------\n\nEt afsnit.\n",
    "a multiline table without a header":
        "-------- ----------\nKøge     Tæt og\n         fast\n\nHørsholm Løst\n"
        "-------- ----------\n\nEt afsnit.\n",
    "nested fenced divs over blank lines":
        "::::: {.boks}\n\nFørste.\n\n::: {.kilde}\n\nKilde.\n\n:::\n\nSidste.\n\n:::::\n",
    "definitions in a div": "::: {.note}\nKoordinator\n\n:   Den, der koordinerer.\n\n"
                            "Tovholder\n\n:   Den, der holder tråden.\n:::\n\nEt afsnit.\n",
    "a rule and an underlined heading":
        "Et afsnit.\n\n-----\n\nUnderstreget\n------------\n\nEt afsnit.\n",
    "a grid table": "+------+------+\n| a    | b    |\n+======+======+\n| 1    | 2    |\n"
                    "+------+------+\n\nEt afsnit.\n",
    "an indented fence is text": " ::: {.boks}\n\nEt afsnit.\n\n :::\n",
    "a line block": "| en linje\n| to linjer\n\nEt afsnit.\n",
    "an HTML comment": "<!-- en kommentar -->\n\nEt afsnit.\n",
}
CASES = [(case, text, "whole") for case, text in sorted(REFERRING.items())] \
    + [(case, text, "parts") for case, text in sorted(JOINED.items())]


@pytest.mark.parametrize("case, markdown, read", CASES, ids=[c[0] for c in CASES])
def test_markdown_is_read_as_the_command_line_reads_it(rich, tmp_path, case, markdown, read):
    doc = _with(rich, rich.body + "\n\n" + markdown)
    assert _check(doc, tmp_path) == read


def test_a_title_block_is_read_whole(rich, tmp_path):
    assert _check(_with(rich, "% En titel\n\n" + rich.body), tmp_path) == "whole"


# Pieces of markdown whose reading depends on what is around them: put together at random, with
# or without a blank line between them and inside fenced divs, they must read to the blocks the
# whole document reads to, part by part or (when the server says so) whole.
PIECES = [
    "# Kapitel", "## Afsnit {#afsnit}", "## Afsnit", "### Om *rapporten*",
    '## Om "rapporten"', "## Afsnit {.unnumbered}", "# Bilag {.unnumbered .local}",
    "Kapitel\n=======\n\nTekst", "## Afsnit\nTekst lige efter",
    "Et afsnit med tekst.", "Et afsnit\nder fortsætter.", "**Fed** indledning.",
    "Tekst  \nmed linjeskift", "N\u00a0=\u00a038. Kilde: undersøgelsen.",
    "* første\n* anden", "* første\n\n* anden", "1. et\n2. to", "1. punkt\n\n    fortsat",
    "a. første\n\nb. anden", "#. auto", "(1) parentes", "- punkt\n  - under", "+ plus",
    "> citat\n>\n> --- Rolle", "> første\n\n> anden", "> doven\nlinje",
    "::: {.boks}\n**Titel**\n\nIndhold.\n:::", "::: x\nTekst\n:::",
    ":::: {.tabel}\n\n| a | b |\n|--|--:|\n| x | 1 |\n\n: Tabel {#tbl-x}\n\n"
    "::: {.kilde}\nKilde: x\n:::\n\n::::",
    "::::: {.a}\n\n::: {.b}\n\nInde\n\n:::\n\nUde\n\n:::::",
    ":::: {.a}\n::: {.b}\nInde\n:::\n::::", "::: {.a} :::\nTekst\n::::::",
    "::: {.x}   \nTekst\n:::   ", "## Overskrift\n::: {.boks}\nIndhold\n:::",
    "::: {.x}\nTekst\n:::\nTekst efter", "::: {.x}\nTekst\n:::\n::: {.y}\nTo\n:::",
    "::: {.x}\nTerm\n\n:   definition\n:::",
    "::: {.x}\nTerm1\n\n:   def1\n\nTerm2\n\n:   def2\n:::",
    ":::: {.a}\n::: {.x}\nTerm\n\n: def\n:::\n\n: def2\n\n::::",
    "::: {.x}\nTable: inde\n\n| a |\n|--|\n| 1 |\n:::", "::: {.x}\n> citat\n:::",
    "::: {.x}\n* punkt\n\n* punkt\n:::", "* punkt\n::: {.x}\nTekst\n:::",
    "1. punkt\n\n    ::: {.x}\n    inde\n    :::", "::: {.x}\n## Afsnit\n:::",
    "Tekst\n::: {.x}", ":::", " ::: {.y}", " :::", "Tekst\n:::", ":::\n: direkte",
    "::: {.x}\n\nTekst uden slut",
    "| a | b |\n|--|--|\n| 1 | 2 |",
    "-----------------\nHoved   Andet\n------- ---------\nFørste  række\n        mere\n\n"
    "Anden   række\n-----------------",
    "------- ---------\nFørste  række\n        mere\n\nAnden   række\n------- ---------",
    "Hoved   Andet\n------- ---------\nFørste  række\nAnden   række",
    "------- ---------\nFørste  række\nAnden   række\n------- ---------",
    "::: {.x}\n------- ---------\nFørste  række\n\nAnden   række\n------- ---------\n:::",
    "+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+",
    "-----", "Titel\n-----", "Titel\n=====", "* * *", "***",
    "| linje\n| blok", "    kode indrykket", "<!-- kommentar -->", "<!--\nflere linjer\n-->",
    "Se [Afsnit].", "Se [Om *rapporten*].", "Se [tekst][Afsnit].", "Se [Afsnit][].",
    "Se [Om\n*rapporten*].", 'Se [Om "rapporten"].', "Se [afsnit].", "Se [Kapitel](#kapitel).",
    "Se [Afsnit] og [Kapitel].", "Se \\[Afsnit\\].", "[Kapitel]", "[Afsnit]{.titel} tekst",
    "![Figur](fig.svg){#fig-a}", "Tekst med 'citat' og \"citat\".", "\\# ikke overskrift",
    "1.5 mio. kroner", "2015. Året", "B. Russell skrev", "i. romertal", "iv) fire", "A)  stort",
    "@. eksempel", "(@) eksempel", "Som (@) viser", "@god) mærket",
    "Tekst[^1]\n\n[^1]: Note", "```\nkode\n\n:::\n```", "```{=html}\n<b>x</b>\n```",
    "~~~\nkode\n~~~", "<div>\n\nHTML\n\n</div>", "[ref]: https://example.org", "Se [ref].",
    "Table: caption", ": caption", "  : indrykket billedtekst", "---\ntitle: x\n---",
    "% Titel", "Term\n:   def", "Term\n\n~   def", "Term\n~ def",
    "<b>fed</b> tekst", "Tekst <b>fed</b>", "*kursiv* start", "_kursiv_ start",
    "'enkelt' start", '"dobbelt" start', "`kode` start", "[link](http://x) start",
    "!ikke billede", "Æble start", "» citat start", "– tankestreg", "  to mellemrum", "\tTab",
]

# Reads each document of a JSON list (stdin) part by part as the server does, and says for each
# how it was read and whether that gave the blocks of pandoc's reading of the whole document.
READING = """
package.path = pandoc.path.join({ arg[1], "?.lua" }) .. ";" .. package.path
local reuse = require("server.reuse")
local reader = arg[2]
local results = {}
for i, body in ipairs(pandoc.json.decode(io.read("a"), false)) do
  reuse.next_report()
  local ok, result = pcall(function()
    local read = reuse.read(body, reader)
    if read == nil then
      return { read = "whole", same = true }
    end
    local whole = pandoc.read(body, reader, reuse.READER_OPTIONS)
    local blocks = reuse.filtered(read, { format = "native" }, {})
    return { read = "parts", same = next(whole.meta) == nil
      and pandoc.write(pandoc.Pandoc(blocks), "native") == pandoc.write(whole, "native") }
  end)
  reuse.forget_unused()
  results[i] = ok and result or { read = tostring(result), same = false }
end
io.write(pandoc.json.encode(results))
"""


def _documents(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(2, 8))]
        text = pieces[0]
        for piece in pieces[1:]:
            text += rng.choice(["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"]) + piece
        for _ in range(2):
            if rng.random() < 0.2:
                text = "::: {.ramme}\n" + text + "\n:::"
            elif rng.random() < 0.1:
                text = ":::: {.ramme}\n\n" + text + "\n\n::::"
        documents.append(text + "\n")
    return documents


def test_parts_read_as_the_whole_document_reads(tmp_path):
    script = tmp_path / "reading.lua"
    script.write_text(READING, encoding="utf-8")
    documents = _documents(seed=2015, count=1500)
    out = subprocess.run([pt.pandoc_path(), "lua", str(script), str(pt.TEMPLATES), pt.READER],
                         input=json.dumps(documents).encode("utf-8"), capture_output=True,
                         check=True).stdout
    results = json.loads(out)
    wrong = [(doc, r["read"]) for doc, r in zip(documents, results) if not r["same"]]
    assert not wrong, wrong[:3]
    # both ways of reading were taken, often
    parts = sum(r["read"] == "parts" for r in results)
    assert 0.2 * len(documents) < parts < 0.8 * len(documents)


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
