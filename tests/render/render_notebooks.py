"""Tiny executed notebooks, built in memory, for the rendering tests.

Imported by ``conftest.py`` and the test modules (a plain module: "conftest" is ambiguous
when several test folders have one).

Outputs carry exactly the display bundles that ``analysis.report.present`` objects produce, as an
executed notebook from papermill would hold them.
"""

from __future__ import annotations

import io

import matplotlib
import nbformat
from IPython.core.formatters import format_display_data
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.report.present import Figure, Prose, Quote, Table, TitlePage

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

TITLE = TitlePage(title="Kommunerne på banen", subtitle="Samarbejde om helhedsplaner",
                  date="1. december 2015",
                  notice="Rapporten bygger på syntetiske eksempeldata",
                  publisher="CFBU og KL")
FRONT_MD = ("# Indledning {.unnumbered}\n\n## Om rapporten\n\n"
            "Rapporten bygger på \"data\" fra Ærø, Åbenrå og Søllerød.")
CHAPTER_MD = "# Kommuner med helhedsplaner\n\n## Udbredelse"
CHAPTER2_MD = "# Samarbejdet\n\nTekst om samarbejdstrappen."
FIG1 = dict(ident="udbredelse", caption="Helhedsplaner pr. region", source="Spørgeskema 2015")
FIG2 = dict(ident="trappen", caption="Samarbejdstrappen", source="Kilde: Interviews")
# Each figure's description, as the notebook's "Beskrivelse:" cell writes it (its alt text).
ALT = {"udbredelse": "Søjlediagram: Region Sjælland har flest planer",
       "trappen": "Trappe med fem trin"}
TABLE1 = Table(ident="antal", caption="Antal helhedsplaner", source="Landsbyggefonden",
               columns=("Kommune", "Antal", "Andel"),
               rows=(("Køge", "1.234", "63,6 %"), ("=SUM(A1)", "+45", "-3"),
                     ("@cmd", "-foo", "0101")),
               notes=("Anm.: Tallene er syntetiske.",))
TABLE2 = Table(ident="roller", caption="Roller", source="CFBU",
               columns=("Niveau", "Rolle"), rows=(("Strategisk", "Direktør"),))
QUOTE = Quote(text="Vi har fået et „fælles sprog“.", role="Kommunal taktiker",
              citation="CFBU og KL 2015")


def svg_of_bars() -> str:
    """A small matplotlib SVG, identical on every call."""
    plt.rcParams["svg.hashsalt"] = "rapport-test"
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["Køge", "Århus"], [3, 5])
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def display(obj) -> nbformat.NotebookNode:
    """The display_data output Jupyter records for ``display(obj)``."""
    data, metadata = format_display_data(obj)
    return new_output("display_data", data=data, metadata=metadata)


def code_cell(*outputs, source: str = "present(x)", tags: tuple[str, ...] = ()):
    cell = new_code_cell(source)
    cell.outputs = list(outputs)
    cell.metadata["tags"] = list(tags)
    return cell


def stream(text: str) -> nbformat.NotebookNode:
    return new_output("stream", name="stdout", text=text)


def build_notebooks(svg: str) -> list[nbformat.NotebookNode]:
    """Front matter, chapter 1 and chapter 2, as papermill would leave them."""
    front = new_notebook(cells=[
        code_cell(display(Prose("PARAMETER-OUTPUT")), source="kommune = None",
                  tags=("parameters",)),
        code_cell(source="kommune = 'Køge'", tags=("injected-parameters",)),
        code_cell(display(TITLE), stream("STDOUT-NOISE\n"), source="import secret_module"),
        new_markdown_cell(FRONT_MD),
    ])
    chapter = new_notebook(cells=[
        new_markdown_cell(CHAPTER_MD),
        code_cell(display(Prose("44 af landets 98 kommuner har en helhedsplan."))),
        code_cell(display(Figure(svg=svg, **FIG1))),
        new_markdown_cell("Beskrivelse: " + ALT["udbredelse"]),
        code_cell(display(TABLE1)),
        code_cell(new_output("display_data", data={"text/html": "<b>HTML-ONLY</b>",
                                                   "text/plain": "x"})),
        code_cell(new_output("execute_result", data={"text/markdown": "Uden *metadata*.",
                                                     "text/plain": "x"},
                             execution_count=1)),
    ])
    chapter2 = new_notebook(cells=[
        new_markdown_cell(CHAPTER2_MD),
        code_cell(display(QUOTE)),
        code_cell(display(Figure(svg=svg, **FIG2))),
        new_markdown_cell("Beskrivelse: " + ALT["trappen"]),
        code_cell(display(TABLE2)),
    ])
    return [front, chapter, chapter2]


LINKS = {"PDF": "rapport.pdf", "Tabeller (xlsx)": "tabeller.xlsx"}
