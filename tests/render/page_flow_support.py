"""What the page-flow tests share: a paragraph of report text, and a markdown body compiled to a
PDF with the house design and read back as the text of its pages."""

from __future__ import annotations

from analysis.render import pandoc_typst
from analysis.render.assemble import Document, FigureEntry

PARAGRAPH = ("Kommunen og boligorganisationen mødes hver måned i styregruppen, hvor de "
             "fastlægger målene, fordeler opgaverne og følger op på indsatserne i området. "
             "Koordinatoren "
             "forbereder møderne og sørger for, at beslutningerne når ud til medarbejderne i "
             "forvaltningerne og i boligafdelingerne.")
RUNNING_HEADER = "Rapport"
# a page of text holds about this many lines (A4, the report's type area and leading)
LINES_A_PAGE = 48


def pages(body: str, tmp_path, svg: str | None = None) -> tuple[list[str], list[str]]:
    """The PDF of ``body`` (markdown) as the text of its pages (pdftotext), and typst's
    warnings; ``svg`` is the image of figure ``fig-x`` where the body has one."""
    import subprocess

    import typst

    figures = {}
    if svg is not None:
        figure = FigureEntry(ident="x", number=1, caption="X", alt="Søjler.", source="K.",
                             svg=svg)
        figures = {figure.ident: figure}
    document = Document(body=body, metadata={"title": RUNNING_HEADER}, figures=figures)
    main = tmp_path / "report.typ"
    main.write_text(pandoc_typst.typst_source(document), encoding="utf-8")
    pandoc_typst.write_figures(document, tmp_path)
    options = dict(root=str(tmp_path), font_paths=[str(pandoc_typst.link_fonts(tmp_path))],
                   ignore_system_fonts=True)
    pdf, warnings = typst.compile_with_warnings(str(main), **options)
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f"), [w.message for w in warnings]


def text_lines(page: str) -> list[str]:
    """A page's lines of text, without its running header and page number."""
    return [line for line in page.splitlines() if line.strip()
            and not line.strip().isdigit() and not line.strip().startswith(RUNNING_HEADER)]
