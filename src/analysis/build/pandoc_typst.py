"""The default engine: pandoc for HTML, pandoc + typst (in a small process of its own) for PDF.

Both writers read the same :class:`~analysis.build.assemble.Document`, run the same pandoc
filter (``templates/report.lua``) and use templates from ``analysis/templates``. Neither needs
a network, a browser, LaTeX or Quarto, and the same document gives the same bytes every run.
"""

from __future__ import annotations

import atexit
import base64
import functools
import html
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import pypandoc

from analysis.report import danish
from analysis.core.files import atomic_write
from analysis.core.settings import source_date_epoch
from analysis.build.assemble import Document
from analysis.build.errors import RenderError
from analysis.build.xlsx import write_tables_xlsx

__all__ = ["write_html", "write_pdf", "write_tables_xlsx", "html_bytes", "pdf_bytes",
           "typst_source"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
LUA_FILTER = TEMPLATES / "report.lua"
HTML_TEMPLATE = TEMPLATES / "report.html"
TYPST_TEMPLATE = TEMPLATES / "report.typ"
TYPST_DESIGN = TEMPLATES / "design.typ"     # the house design, shared with the Quarto engine
READER = "markdown-citations-tex_math_dollars-raw_tex"
LANG = "da"
TOC_TITLE = "Indholdsfortegnelse"
TOC_DEPTH = 2
# In HTML the title block holds the page's only <h1>, so chapters (markdown "#") become <h2>,
# sections <h3>, and so on. Pandoc numbers the shifted headings as before ("1", "1.1"). The PDF
# keeps chapters at typst heading level 1 (its title page is not a heading).
HTML_HEADING_SHIFT = 1
# The PDF's sans serif is the figures' DejaVu Sans, in the files matplotlib ships, so headings,
# tables and figures share one typeface on every machine. Typst bundles the serif.
SANS_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                   "DejaVuSans-BoldOblique.ttf")


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary shipped by ``pypandoc-binary``."""
    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], markdown: str, *, cwd: Path | None = None) -> bytes:
    """Run pandoc on ``markdown`` (stdin) and return its stdout.

    Raises
    ------
    RenderError
        With pandoc's own message when pandoc fails.
    """
    proc = subprocess.run([pandoc_path(), *args], input=markdown.encode("utf-8"),
                          capture_output=True, cwd=cwd, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().replace("\n", " | ")
        raise RenderError(f"pandoc failed (exit {proc.returncode}): {message}")
    return proc.stdout


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


def _common_args(meta_file: Path, *, heading_shift: int = 0) -> list[str]:
    """Arguments both writers share; the data dir is the (empty) temp dir, so a user's
    ``~/.local/share/pandoc`` cannot change the output.

    ``heading_shift`` moves every heading down that many levels; the TOC depth counts
    absolute levels, so it moves with them and the TOC lists the same headings.
    """
    args = ["--from", READER, "--data-dir", str(meta_file.parent), "--lua-filter",
            str(LUA_FILTER), "--metadata-file", str(meta_file), "--standalone",
            "--number-sections", "--toc", f"--toc-depth={TOC_DEPTH + heading_shift}"]
    if heading_shift:
        args.append(f"--shift-heading-level-by={heading_shift}")
    return args


def html_bytes(doc: Document, *, links: Mapping[str, str] | None = None) -> bytes:
    """Render ``doc`` to one self-contained HTML page (figures, styles embedded).

    The title is the page's only ``<h1>``; chapters are ``<h2>`` (see ``HTML_HEADING_SHIFT``).
    The template holds the styles; the figures are put into the page as ``data:`` URIs here
    (see :func:`embed_figures`) rather than by pandoc's ``--embed-resources``, which parses and
    rewrites the whole page to do the same and took a third of the HTML's time.
    """
    with tempfile.TemporaryDirectory(prefix="rapport-html-") as tmp:
        workdir = Path(tmp)
        meta_file = workdir / "metadata.yaml"
        meta_file.write_text(metadata_yaml(doc), encoding="utf-8")
        args = [*_common_args(meta_file, heading_shift=HTML_HEADING_SHIFT),
                "--to", "html5", "--template", str(HTML_TEMPLATE),
                f"--variable=downloads-html:{downloads_html(links)}"]
        return embed_figures(run_pandoc(args, doc.body, cwd=workdir), doc)


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
    with tempfile.TemporaryDirectory(prefix="rapport-meta-") as tmp:
        meta_file = Path(tmp) / "metadata.yaml"
        meta_file.write_text(metadata_yaml(doc), encoding="utf-8")
        args = [*_common_args(meta_file), "--to", "typst", "--template", str(TYPST_TEMPLATE),
                f"--variable=design:{TYPST_DESIGN.read_text(encoding='utf-8')}",
                f"--variable=publisher-string:"
                f"{_typst_escape_string(doc.metadata.get('publisher', ''))}"]
        if source_date_epoch() is not None:
            args.append("--variable=document-date:true")
        return run_pandoc(args, doc.body).decode("utf-8")


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


# typst keeps what it computed for its last ten compilations in memory (about 35 MiB each
# for a municipal report, mostly the figures), for as long as the process lives; a worker that
# compiled in-process grew from 150 to 570 MiB. So the PDF is compiled in a small process of
# its own that is replaced after a few reports: its memory stays bounded, and the compilations
# in between still reuse typst's caches (fonts, template), which a process per report would not.
COMPILES_PER_PROCESS = 4
TYPST_WORKER = Path(__file__).resolve().parent / "typst_worker.py"


class _TypstProcess:
    """The typst process of this process (one compilation at a time)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._used = 0

    def compile(self, request: dict) -> bytes:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen(
                    [sys.executable, "-s", str(TYPST_WORKER)], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE)
                self._used = 0
            try:
                self._proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
                self._proc.stdin.flush()
                head = self._proc.stdout.read(9)
                if len(head) != 9:
                    raise OSError("no answer")
                payload = self._proc.stdout.read(int.from_bytes(head[1:], "big"))
            except OSError as err:
                self.close_locked()
                raise RenderError(f"typst failed: its process ended ({err})") from None
            self._used += 1
            if self._used >= COMPILES_PER_PROCESS:
                self.close_locked()
        if head[:1] != b"0":
            raise RenderError(f"typst failed: {payload.decode('utf-8', 'replace')}")
        return payload

    def close_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()

    def close(self) -> None:
        with self._lock:
            self.close_locked()


_TYPST = _TypstProcess()
atexit.register(_TYPST.close)


def close_typst_process() -> None:
    """End the typst process now (the next PDF starts a new one)."""
    _TYPST.close()


def compile_typst(source: str, directory: Path) -> bytes:
    """Compile typst ``source`` to PDF, with ``directory`` as the project root.

    Only the fonts bundled with typst and matplotlib's DejaVu Sans are used, so the PDF does
    not depend on the fonts of the machine. The PDF carries no creation date unless
    ``SOURCE_DATE_EPOCH`` is set. The compiler runs in a process of its own (see
    ``COMPILES_PER_PROCESS``); a fresh one and a reused one give the same bytes.
    """
    main = Path(directory) / "report.typ"
    main.write_text(source, encoding="utf-8")
    return _TYPST.compile({"main": str(main), "root": str(directory),
                           "fonts": str(link_fonts(directory)),
                           "timestamp": source_date_epoch()})


def pdf_bytes(doc: Document) -> bytes:
    """Render ``doc`` to an A4 PDF."""
    source = typst_source(doc)
    with tempfile.TemporaryDirectory(prefix="rapport-pdf-") as tmp:
        workdir = Path(tmp)
        write_figures(doc, workdir)
        return compile_typst(source, workdir)


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
