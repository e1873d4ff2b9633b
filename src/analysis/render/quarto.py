"""Optional engine: render the assembled report with Quarto where it is installed.

Quarto reads the same :class:`~analysis.render.assemble.Document` as the default engine (the
pandoc-markdown body, the title-page fields, the figures as SVG files), written as one
``rapport.qmd`` in a private work folder, and renders it once to both formats:

* HTML: one self-contained file (``embed-resources``), Quarto's minimal HTML (no Bootstrap,
  no scripts) styled by the report's own ``report.css``, with the same title page and download
  bar as the default engine;
* PDF: Quarto's typst format on A4.

Quarto numbers the figures and tables itself, with the Danish words of its language file
(``lang: da``: "Figur", "Tabel", "Indholdsfortegnelse"). Its file calls a section "Sektion";
the report says "afsnit", so that word is overridden (``language:``). The markdown has no code
cells, so Quarto's markdown engine renders it: no Jupyter kernel is started.

References to chapters and appendices (``[kapitel %s](#kap-ledelse)``) are numbered by the
shared filter (``filter/crossrefs.lua``), as in the default engine, not by Quarto's own
cross-references (which know only ``@sec-`` labels): the same numbers in both engines.

Quarto is not on the package registries this project installs from, so the default engine
(:mod:`analysis.render.pandoc_typst`) never needs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from analysis.report import danish
from analysis.core.files import atomic_write
from analysis.render.assemble import (Document, FigureEntry, TableEntry, figure_markdown,
                                      table_markdown)
from analysis.render.errors import RenderError
from analysis.render.pandoc_typst import (LANG, LUA_FILTER, READER, TEMPLATES,
                                          TOC_DEPTH, downloads_html, typst_design,
                                          write_figures)

SOURCE_FILE = "rapport.qmd"
# Quarto looks for template partials next to the source, so these are copied there.
TITLE_BLOCK = TEMPLATES / "title-block.html"   # shared with the pandoc HTML template
TYPST_SHOW = TEMPLATES / "quarto-typst-show.typ"
STYLESHEET = TEMPLATES / "report.css"
# Quarto's output format names, and the file each writes next to the source.
FORMATS = {"html": ("html", "rapport.html"), "pdf": ("typst", "rapport.pdf")}
# The word the report uses for a section ("kommunens egne afsnit"), where Quarto's Danish
# language file says "Sektion".
SECTION_WORD = "Afsnit"
LANGUAGE = {"crossref-sec-prefix": SECTION_WORD,
            "toggle-section": f"Skift {SECTION_WORD.lower()}"}
# Quarto parses a "date" and prints it its own way; the templates print this field as written.
DATE_KEY = "report-date"
# The default engine prints "Figur 3. Caption"; Quarto's default delimiter is ":".
TITLE_DELIM = "."
INSTALL_HINT = ("install it from quarto.org (and put 'quarto' on PATH), or use --engine pandoc "
                "(the default engine)")
QUARTO_TIMEOUT = 600.0  # seconds for one ``quarto render``
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def quarto_available() -> bool:
    """True when a ``quarto`` binary is on PATH."""
    return shutil.which("quarto") is not None


def quarto_command(source: Path, formats: Sequence[str] = ("html", "pdf")) -> list[str]:
    """The argv that renders ``source`` to the given report formats in one Quarto run.

    >>> quarto_command(Path("rapport.qmd"), ["html", "pdf"])
    ['quarto', 'render', 'rapport.qmd', '--to', 'html,typst']
    """
    return ["quarto", "render", str(source), "--to", ",".join(FORMATS[f][0] for f in formats)]


def quarto_figure_markdown(entry: FigureEntry) -> str:
    """A figure as Quarto reads it: the caption without its number (Quarto numbers it), the
    alt text as ``fig-alt``, the source line under it, all in the same ``.figur`` div."""
    return figure_markdown(entry, caption=entry.caption.strip(), alt_attribute="fig-alt")


# The default engine's page holds the chapters in <main>; so does Quarto's, through raw HTML
# around the body (Quarto's minimal HTML writes no section divs that these could cross).
MAIN_OPEN = "```{=html}\n<main>\n```"
MAIN_CLOSE = "```{=html}\n</main>\n```"


def quarto_table_markdown(entry: TableEntry) -> str:
    """A table as Quarto reads it: the default engine's markdown with the caption unnumbered."""
    numbered = f": {entry.label.replace(chr(10), ' ')} {{#{entry.anchor}}}"
    plain = f": {entry.table.caption.strip().replace(chr(10), ' ')} {{#{entry.anchor}}}"
    markdown = table_markdown(entry)
    if numbered not in markdown:
        raise RenderError(f"table '{entry.anchor}': its caption line is not where the Quarto "
                          "engine expects it")
    return markdown.replace(numbered, plain, 1)


def quarto_body(doc: Document) -> str:
    """The document's body with every figure and table in Quarto's form.

    The assembler writes each figure and table with :func:`figure_markdown` and
    :func:`table_markdown`; exactly those blocks are replaced, so the prose around them is
    the default engine's, byte for byte.
    """
    body = doc.body
    blocks = [(figure_markdown(e), quarto_figure_markdown(e), e.anchor)
              for e in doc.figures.values()]
    blocks += [(table_markdown(e), quarto_table_markdown(e), e.anchor) for e in doc.tables]
    for old, new, anchor in blocks:
        if body.count(old) != 1:
            raise RenderError(f"'{anchor}' is not in the document body exactly once; the Quarto "
                              "engine cannot place it")
        body = body.replace(old, new, 1)
    return body


def quarto_metadata(doc: Document, *, include: str | None = None) -> dict:
    """The front matter of ``rapport.qmd``: title page, Danish, numbering, the two formats."""
    meta = {key: value for key, value in doc.metadata.items() if value}
    meta.setdefault("title", danish.FALLBACK_TITLE)
    if "date" in meta:  # Quarto would parse and reformat "1. december 2015"; keep it as written
        meta[DATE_KEY] = meta.pop("date")
    html = {"embed-resources": True, "minimal": True, "css": [STYLESHEET.name],
            "template-partials": ["title-block.html"], "toc-depth": TOC_DEPTH + 1,
            # as in the default engine: the title is the page's only <h1>
            "shift-heading-level-by": 1}
    if include:
        html["include-before-body"] = [include]
    return {
        **meta,
        "pagetitle": meta["title"],
        # the default engine's markdown reader: "@…" is text, not a citation, in both engines
        "from": READER,
        "lang": LANG,
        "language": dict(LANGUAGE),
        "number-sections": True,
        "toc": True,
        "toc-depth": TOC_DEPTH,
        "crossref": {"title-delim": TITLE_DELIM},
        "filters": [str(LUA_FILTER)],
        "format": {"html": html, "typst": {"papersize": "a4", "section-numbering": "1.1",
                                                "page-numbering": "1",
                                                "template-partials": ["typst-show.typ"]}},
    }


def write_quarto_source(doc: Document, workdir: Path, *,
                        links: Mapping[str, str] | None = None) -> Path:
    """Write ``rapport.qmd``, its figures and its download bar into ``workdir``."""
    workdir = Path(workdir)
    write_figures(doc, workdir)
    for template, name in ((TITLE_BLOCK, "title-block.html"), (STYLESHEET, STYLESHEET.name)):
        shutil.copyfile(template, workdir / name)
    # the house design's blocks (boxes, quotes, leads, panels) that the shared filter calls
    (workdir / "typst-show.typ").write_text(
        typst_design() + "\n" + TYPST_SHOW.read_text(encoding="utf-8"),
        encoding="utf-8")
    include = None
    if links:
        include = "downloads.html"
        (workdir / include).write_text(downloads_html(links) + "\n", encoding="utf-8")
    front = yaml.safe_dump(quarto_metadata(doc, include=include),
                           allow_unicode=True, sort_keys=False, width=1_000_000)
    source = workdir / SOURCE_FILE
    source.write_text(f"---\n{front}---\n\n{MAIN_OPEN}\n\n{quarto_body(doc)}\n{MAIN_CLOSE}\n",
                      encoding="utf-8")
    return source


def _failure(proc: subprocess.CompletedProcess) -> str:
    """Quarto's error message in one line (else the end of its output), without colours."""
    text = ANSI.sub("", proc.stderr or proc.stdout or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if line.startswith(("ERROR", "error"))),
                 None)
    if first is None:
        return " | ".join(lines[-5:]) or "no output"
    message = []
    for line in lines[first:]:
        if line.startswith(("Stack trace", "at ")):
            break
        message.append(line)
    return " ".join(message)


def render_with_quarto(doc: Document, out_dir: Path, *, formats: Sequence[str] = ("html", "pdf"),
                       links: Mapping[str, str] | None = None,
                       timeout: float = QUARTO_TIMEOUT) -> dict[str, Path]:
    """Render ``doc`` with Quarto into ``out_dir/rapport.html`` and ``out_dir/rapport.pdf``.

    Quarto works in a private temporary folder of its own (removed afterwards), so reports
    rendered in parallel never share a file; only finished files are moved to ``out_dir``.

    Returns
    -------
    dict
        ``{"html": path, "pdf": path}`` for the formats asked for.

    Raises
    ------
    RenderError
        When Quarto is not installed, fails (with its error lines), runs over ``timeout`` or
        does not write a file it was asked for.
    """
    if not quarto_available():
        raise RenderError(f"Quarto is not installed: no 'quarto' on PATH; {INSTALL_HINT}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(f"the Quarto engine writes html and pdf, not {', '.join(unknown)}")
    workdir = Path(tempfile.mkdtemp(prefix="rapport-quarto-"))
    try:
        source = write_quarto_source(doc, workdir, links=links if "html" in formats else None)
        try:
            proc = subprocess.run(quarto_command(source.relative_to(workdir), formats),
                                  cwd=workdir, capture_output=True, text=True, check=False,
                                  timeout=timeout, env={**os.environ, "TMPDIR": str(workdir)})
        except subprocess.TimeoutExpired as err:
            raise RenderError(f"quarto render took over {timeout:.0f} s") from err
        if proc.returncode != 0:
            raise RenderError(f"quarto render failed (exit {proc.returncode}): "
                              f"{_failure(proc)}")
        written = {}
        for fmt in formats:
            produced = workdir / FORMATS[fmt][1]
            if not produced.is_file():
                raise RenderError(f"quarto render wrote no {produced.name}")
            written[fmt] = atomic_write(Path(out_dir) / produced.name, produced.read_bytes())
        return written
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
