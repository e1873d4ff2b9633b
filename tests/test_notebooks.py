"""The chapter notebooks: committed clean, parameterised, and runnable with their defaults."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_with_parameters(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]

    nbformat.validate(nb)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    source = code[0].source
    assert "kommune = None" in source and "data_dir = None" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_are_calls_not_machinery(path):
    nb = nbformat.read(path, as_version=4)

    for cell in nb.cells[1:]:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            lines = [line.strip() for line in cell.source.splitlines()]
            assert not any(line.startswith(("def ", "for ", "while ", "class "))
                           for line in lines), cell.source
            assert "open(" not in cell.source and "Path(" not in cell.source, cell.source


@pytest.mark.e2e
def test_run_all_with_defaults_like_a_researcher():
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS[1], as_version=4)

    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS[1].parent)}}).execute()

    kinds = [o.get("metadata", {}).get("rapport", {}).get("kind")
             for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    # Figur 1-4 of chapter 1: the collaboration surface, co-financing, time, satisfaction
    assert kinds.count("figure") == 4 and "table" in kinds


# Digits a researcher may type in prose: years (of cited sources and of the 2015 study), chapter
# and appendix references, and the numbers of an ordered list. Every other number is computed.
ALLOWED_DIGITS = re.compile(
    r"\b(?:19|20)\d\d[a-c]?\b"                     # a year: "Torfing (2015)", "i 2013",
                                                   # "Landsbyggefonden (2011b)"
    r"|\b(?:[Kk]apitel|[Bb]ilag|kapitlerne)\s+\d\b"  # "kapitel 3", "Bilag 2."
    r"|^\s*\d+\.\s",                               # an ordered list item
    flags=re.MULTILINE)
# Labels are names, not prose, and may hold digits: a MyST target on a line of its own
# (``(tbl-tal-2015)=``) and a link's target (``[tabel %s](#tbl-tal-2015)``, whose text is kept).
LABELS = re.compile(r"^[ ]{0,3}\([^()\s]+\)=[ \t]*$"     # a target: "(kap-ledelse)="
                    r"|(?<=\])\(#[^()\s]*\)",            # a link's target: "](#fig-tid)"
                    flags=re.MULTILINE)


def typed_digits(markdown: str) -> list[str]:
    """The digits in a markdown cell that are neither computed nor on the allowed list: the
    cell as the report prints it with every ``{eval}`` left empty, its comments dropped and
    its labels (targets and links' targets) skipped."""
    from analysis.report import dialect, inline

    text = inline.resolve(markdown, {e: "" for e in dialect.expressions(markdown)})
    text = ALLOWED_DIGITS.sub("", LABELS.sub("", text))
    return re.findall(r"[^\s]*\d[^\s]*", text)


def test_the_digit_guard_catches_a_typed_number():
    assert typed_digits("I alt 44 af {eval}`n` kommuner") == ["44"]
    assert typed_digits("Det er 63,6 %.") == ["63,6"]
    assert typed_digits("{eval}`s.pct` (Torfing 2015), se kapitel 3.\n1. trin") == []
    assert typed_digits("(Landsbyggefonden 2011a, 2011b)") == []
    assert typed_digits("% hvis: x > 2\nTekst") == []
    assert typed_digits("{eval}``f'{n:,}`'`` og `` {eval}`2` ``") == ["{eval}`2`"]
    # labels may hold digits; a link's text is prose
    assert typed_digits("(tbl-tal-2015)=\n\nTabel: Tal fra 2015-rapporten") == []
    assert typed_digits("(kap-3d)=\n\n# Tre") == []
    assert typed_digits("Se [tabel %s](#tbl-x2) og [figur %s](#fig-3d).") == []
    assert typed_digits("Se [side 44](#fig-x) og (kap-3)= her.") == ["44]", "(kap-3)="]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_number_is_typed_into_the_prose(path):
    nb = nbformat.read(path, as_version=4)

    typed = {i: typed_digits(c.source) for i, c in enumerate(nb.cells)
             if c.cell_type == "markdown"}

    assert {i: d for i, d in typed.items() if d} == {}


def test_figure_and_table_captions_are_titles_without_a_closing_full_stop():
    """A caption is set as a title (»Figur 6. Kommunernes placering …«), so none ends with a
    full stop; a caption of more than one sentence keeps its inner full stops."""
    from analysis.report import dialect

    captions = [(path.name, found.text) for path in NOTEBOOKS
                for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown"
                for found in [dialect.caption(re.sub(r"^%.*\n|^\{eval\}`r\.med\(.*\)`\n*", "",
                                                     cell.source, flags=re.M))]
                if found is not None and found.kind in ("figure", "table")]
    assert len(captions) > 10
    assert [c for c in captions if c[1].rstrip().endswith(".")] == []
