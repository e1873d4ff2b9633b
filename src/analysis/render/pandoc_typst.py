"""The default engine: pandoc for HTML, pandoc + typst (in a small process of its own) for PDF.

A pandoc kept running in each process (``templates/report_server.lua``) reads the
:class:`~analysis.render.assemble.Document` once and writes the HTML page and the PDF's typst
source, each through the same filter (``templates/report.lua``) and a template of its own.
Nothing here needs a network, a browser, LaTeX or Quarto, and the same document gives the same
bytes every run.

The helper processes (the pandoc kept running, the typst compiler) are in
:mod:`analysis.render.services`.
"""

from __future__ import annotations

import base64
import functools
import html
import importlib.util
import json
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from analysis.report import danish
from analysis.core.files import atomic_write
from analysis.core.settings import render_date, source_date_epoch
from analysis.render.assemble import Document
from analysis.render.errors import RenderError
from analysis.render.services import (  # noqa: F401  (the engine's names, kept here)
    _PANDOC, _TYPST, COMPILES_PER_PROCESS, REPORTS_PER_PANDOC, SERVER, TYPST_WORKER,
    close_services, close_typst_process, pandoc_path, pandoc_pid)
from analysis.render.xlsx import write_tables_xlsx

__all__ = ["write_html", "write_pdf", "write_report", "write_tables_xlsx", "html_bytes",
           "pdf_bytes", "typst_source", "pandoc_outputs"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
# the shared filter, for both engines; it loads its modules (templates/filter/) from its folder
LUA_FILTER = TEMPLATES / "report.lua"
HTML, TYPST = "html5", "typst"
HTML_TEMPLATE = TEMPLATES / "report.html"
TYPST_TEMPLATE = TEMPLATES / "report.typ"
TYPST_DESIGN = TEMPLATES / "design.typ"     # the house design, shared with the Quarto engine
# ... in three files, taken in this order as one text (typst_design)
TYPST_DESIGN_FILES = (TYPST_DESIGN, TEMPLATES / "design_tables.typ",
                      TEMPLATES / "design_blocks.typ")
READER = "markdown-citations-tex_math_dollars-raw_tex"
LANG = "da"
TOC_TITLE = "Indholdsfortegnelse"
TOC_DEPTH = 2
# In HTML the title block holds the page's only <h1>, so chapters (markdown "#") become <h2>,
# sections <h3>, and so on. Pandoc numbers the shifted headings as before ("1", "1.1"). The PDF
# keeps chapters at typst heading level 1 (its title page is not a heading).
HTML_HEADING_SHIFT = 1
# The PDF standards typst holds the PDF to (it refuses to write a PDF that breaks one): every
# report's PDF is PDF/UA-1 (tagged, with alt text, language and title); the national report's is
# also PDF/A-2a, for archiving. A municipal report's PDF is not PDF/A, since it is sealed with
# encryption (see analysis.delivery.sealed), which PDF/A forbids; it stays tagged and PDF/UA-1.
# (PDF/A-4 would need PDF 2.0, which PDF/UA-1 does not allow; PDF/A-2a is the newest part both
# fit in.)
PDF_STANDARDS = ("ua-1",)
ARCHIVE_STANDARDS = ("ua-1", "a-2a")
# The PDF's sans serif is the figures' DejaVu Sans, in the files matplotlib ships, so headings,
# tables and figures share one typeface on every machine. Typst bundles the serif.
SANS_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                   "DejaVuSans-BoldOblique.ttf")


def typst_design() -> str:
    """The house design's typst, as both engines' PDFs take it in: its files
    (:data:`TYPST_DESIGN_FILES`) in order, a blank line between them."""
    return "\n".join(path.read_text(encoding="utf-8") for path in TYPST_DESIGN_FILES)


def write_figures(doc: Document, directory: Path) -> list[Path]:
    """Write every figure's SVG into ``directory`` under its deterministic file name."""
    paths = []
    for entry in doc.figures.values():
        path = Path(directory) / entry.filename
        path.write_text(entry.svg, encoding="utf-8")
        paths.append(path)
    return paths


def metadata_yaml(doc: Document) -> str:
    """Pandoc metadata file: title page fields (as markdown), language and TOC title.

    Values are written as JSON strings, which YAML reads verbatim.
    """
    meta = {key: value for key, value in doc.metadata.items() if value}
    meta.setdefault("title", danish.FALLBACK_TITLE)
    meta.update({"lang": LANG, "toc-title": TOC_TITLE, "pagetitle": meta["title"]})
    if "date" in meta:        # the title block (shared with Quarto) prints the date as written
        meta["report-date"] = meta["date"]
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
                   for key, value in sorted(meta.items()))


def downloads_html(links: Mapping[str, str] | None) -> str:
    """The download bar: one link per ``label → href``, in the order given."""
    if not links:
        return ""
    anchors = " ".join(f'<a href="{html.escape(href, quote=True)}" download>'
                       f"{html.escape(label)}</a>" for label, href in links.items())
    return (f'<nav class="downloads" aria-label="Downloads">'
            f"<span>{html.escape(danish.DOWNLOADS_LABEL)}</span> {anchors}</nav>")


def html_bytes(doc: Document, *, links: Mapping[str, str] | None = None) -> bytes:
    """Render ``doc`` to one self-contained HTML page (figures, styles embedded).

    The title is the page's only ``<h1>``; chapters are ``<h2>`` (see ``HTML_HEADING_SHIFT``).
    The template holds the styles; the figures are put into the page as ``data:`` URIs here
    (see :func:`embed_figures`) rather than by pandoc's ``--embed-resources``, which parses and
    rewrites the whole page to do the same and took a third of the HTML's time.
    """
    return embed_figures(pandoc_outputs(doc, [HTML], links=links)[HTML].encode("utf-8"), doc)


_SOURCE = re.compile(rb'\ssrc="([^"]*)"')


def embed_figures(page: bytes, doc: Document) -> bytes:
    """``page`` with every figure's ``src="fig-….svg"`` replaced by the SVG as a base64
    ``data:`` URI, as pandoc's ``--embed-resources`` writes it.

    Raises
    ------
    RenderError
        When the page refers to any other file: the page must need nothing beside it.
    """
    uris = {entry.filename.encode(): b"data:image/svg+xml;base64,"
            + base64.b64encode(entry.svg.encode("utf-8")) for entry in doc.figures.values()}

    def replace(match: re.Match) -> bytes:
        source = match.group(1)
        if source.startswith(b"data:"):
            return match.group(0)
        if source not in uris:
            raise RenderError(f"the HTML page refers to a file that is not a figure: "
                              f"{source.decode('utf-8', 'replace')}")
        return b' src="' + uris[source] + b'"'

    return _SOURCE.sub(replace, page)


def _typst_escape_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def typst_source(doc: Document) -> str:
    """The typst source of the PDF (pandoc with ``templates/report.typ``)."""
    return pandoc_outputs(doc, [TYPST])[TYPST]


def typst_document_day() -> str:
    """The PDF's date when ``SOURCE_DATE_EPOCH`` is not set, as typst: the day the report
    prints on its title page (PDF/A needs a date; a day and no time keeps the bytes the same
    all day). With ``SOURCE_DATE_EPOCH`` the date is the compile's timestamp."""
    day = render_date()
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def pdf_standards(doc: Document) -> tuple[str, ...]:
    """The PDF standards of ``doc``'s PDF: PDF/UA-1, and PDF/A-2a for the national report."""
    return PDF_STANDARDS if doc.metadata.get("kommune") else ARCHIVE_STANDARDS


def _request(doc: Document, formats: list[str], links: Mapping[str, str] | None) -> dict:
    """What :data:`SERVER` writes for each format: template, variables, contents depth."""
    specs = []
    for fmt in formats:
        if fmt == HTML:
            specs.append({"format": HTML, "template": str(HTML_TEMPLATE),
                          # the TOC depth counts absolute levels, so it moves with the
                          # headings and the TOC lists the same ones
                          "heading_shift": HTML_HEADING_SHIFT,
                          "toc_depth": TOC_DEPTH + HTML_HEADING_SHIFT,
                          "variables": {"downloads-html": downloads_html(links)}})
        elif fmt == TYPST:
            variables = {"design": typst_design(),
                         "publisher-string":
                             _typst_escape_string(doc.metadata.get("publisher", ""))}
            if source_date_epoch() is not None:
                variables["document-date"] = "true"      # the compile's timestamp
            else:
                variables["document-day"] = typst_document_day()
            specs.append({"format": TYPST, "template": str(TYPST_TEMPLATE), "heading_shift": 0,
                          "toc_depth": TOC_DEPTH, "variables": variables})
        else:
            raise ValueError(f"no pandoc output {fmt!r}; expected {HTML!r} or {TYPST!r}")
    return {"formats": specs}


def pandoc_outputs(doc: Document, formats: list[str], *,
                   links: Mapping[str, str] | None = None) -> dict[str, str]:
    """What pandoc's command line writes for each of ``formats`` (``"html5"``, ``"typst"``)
    with the shared filter: ``{format: text}``. The markdown is read once for all of them, by
    this process's pandoc (see :data:`SERVER`).

    The HTML's figures are still file references (see :func:`embed_figures`).
    """
    request = {"reader": READER, "body": doc.body, "metadata": metadata_yaml(doc),
               **_request(doc, formats, links)}
    return json.loads(_PANDOC.ask(request))["outputs"]


@functools.lru_cache(maxsize=1)
def sans_font_dir() -> Path:
    """matplotlib's folder of bundled fonts (located without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RenderError("matplotlib is not installed; the PDF needs its DejaVu Sans fonts")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def link_fonts(directory: Path) -> Path:
    """A ``fonts`` folder in ``directory`` holding only the report's sans serif."""
    fonts = Path(directory) / "fonts"
    fonts.mkdir(exist_ok=True)
    for name in SANS_FONT_FILES:
        source = sans_font_dir() / name
        if not source.is_file():
            raise RenderError(f"{source}: font file missing; reinstall matplotlib")
        (fonts / name).symlink_to(source)
    return fonts


def compile_typst(source: str, directory: Path, standards: tuple[str, ...] = ()) -> bytes:
    """Compile typst ``source`` to PDF, with ``directory`` as the project root, held to the
    PDF ``standards`` (typst's names: ``"ua-1"``, ``"a-2a"``, …).

    Only the fonts bundled with typst and matplotlib's DejaVu Sans are used, so the PDF does
    not depend on the fonts of the machine. The PDF's date is ``SOURCE_DATE_EPOCH`` when set,
    else the day the source names (see :func:`typst_document_day`). The compiler runs in a process
    of its own (see ``COMPILES_PER_PROCESS``); a fresh one and a reused one give the same bytes.
    """
    main = Path(directory) / "report.typ"
    main.write_text(source, encoding="utf-8")
    return _TYPST.ask({"main": str(main), "root": str(directory),
                       "fonts": str(link_fonts(directory)),
                       "timestamp": source_date_epoch(), "standards": list(standards)})


def pdf_bytes(doc: Document, source: str | None = None) -> bytes:
    """Render ``doc`` to an A4 PDF; ``source`` is its typst source when already written."""
    source = typst_source(doc) if source is None else source
    with tempfile.TemporaryDirectory(prefix="rapport-pdf-") as tmp:
        workdir = Path(tmp)
        write_figures(doc, workdir)
        return compile_typst(source, workdir, pdf_standards(doc))


def write_html(doc: Document, out_path: Path, *,
               links: dict[str, str] | None = None) -> Path:
    """Write the report as one self-contained HTML file.

    Parameters
    ----------
    doc
        The assembled document.
    out_path
        Target file; written atomically.
    links
        Download bar, ``label → relative href``, e.g. ``{"PDF": "rapport.pdf"}``.
    """
    return atomic_write(Path(out_path), html_bytes(doc, links=links))


def write_pdf(doc: Document, out_path: Path) -> Path:
    """Write the report as an A4 PDF (typst), atomically."""
    return atomic_write(Path(out_path), pdf_bytes(doc))


def write_report(doc: Document, folder: Path, formats: list[str], *,
                 links: Mapping[str, str] | None = None) -> dict[str, float]:
    """Write ``rapport.html`` and/or ``rapport.pdf`` (``formats``: ``"html"``, ``"pdf"``) into
    ``folder`` from one pandoc run; return the seconds of each step (pandoc, html, pdf)."""
    wanted = [fmt for fmt, kind in ((HTML, "html"), (TYPST, "pdf")) if kind in formats]
    timings, t = {}, time.perf_counter()
    texts = pandoc_outputs(doc, wanted, links=links) if wanted else {}
    timings["pandoc"] = time.perf_counter() - t
    if HTML in texts:
        t = time.perf_counter()
        atomic_write(Path(folder) / "rapport.html",
                     embed_figures(texts[HTML].encode("utf-8"), doc))
        timings["html"] = time.perf_counter() - t
    if TYPST in texts:
        t = time.perf_counter()
        atomic_write(Path(folder) / "rapport.pdf", pdf_bytes(doc, texts[TYPST]))
        timings["pdf"] = time.perf_counter() - t
    return timings
