"""How the PDF's pages flow: every page of the national report and of a respondent's (Køge)
and a non-respondent's (Hørsholm) report is measured (see ``page_fill``), and a contact sheet
of each report's pages is written into ``test-artifacts/`` for a person to look at.

A page far under the report's median page (under half of it) is a page a reader sees as
empty: a figure, a quote or a few lines alone. A report may have one such page, a chapter's
last included (a numbered chapter opens under the one before where that leaves more than half
of its last page empty: design.typ's kpb-kapitel), and none may be nearly blank, the cover and
the last page excepted. Every edition of the ``--all`` batch: test_page_flow_all_editions.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from page_fill import contact_sheet, describe, median_fill, page_fills, sparse_pages

pytestmark = pytest.mark.e2e

REPORTS = ("national", "koege", "hoersholm")
MAX_SPARSE = 1
# a page under this share of the median page holds next to nothing: a quote or a few lines
NEARLY_BLANK = 0.3



@pytest.fixture(scope="module")
def fills(reports, tool) -> dict[str, list[float]]:
    tool("pdftoppm")
    return {key: page_fills(reports[key].pdf) for key in REPORTS}


def _typst_pdf(tmp_path: Path, body: str) -> Path:
    import typst

    source = tmp_path / "probe.typ"
    source.write_text('#set page(paper: "a4", margin: (x: 2.5cm, top: 2.7cm, bottom: 2.6cm))\n'
                      + body, encoding="utf-8")
    pdf = tmp_path / "probe.pdf"
    pdf.write_bytes(typst.compile(str(source)))
    return pdf


def test_the_measure_tells_a_full_page_from_a_nearly_empty_one(tmp_path, tool):
    tool("pdftoppm")
    pdf = _typst_pdf(tmp_path, "#lorem(420)\n#pagebreak()\n#lorem(420)\n#pagebreak()\n"
                               "#lorem(25)\n#pagebreak()\n#lorem(420)\n#pagebreak()\n#lorem(420)")
    fills = page_fills(pdf)
    assert len(fills) == 5
    assert min(fills[0], fills[1], fills[3]) > 0.4, fills
    assert fills[2] < 0.1, fills
    assert sparse_pages(fills) == [3]
    # the cover and the last page are not counted
    assert sparse_pages([0.0, 0.6, 0.6, 0.05]) == []


@pytest.mark.parametrize("key", REPORTS)
def test_at_most_one_page_under_half_the_median(key, fills, reports):
    found = fills[key]
    sparse = sparse_pages(found)
    assert len(sparse) <= MAX_SPARSE, (
        f"{reports[key].pdf}: pages {sparse} are under half the median page "
        f"({median_fill(found):.2f}):\n{describe(found)}")


@pytest.mark.parametrize("key", REPORTS)
def test_no_page_holds_only_a_few_lines(key, fills, reports):
    found = fills[key]
    median = median_fill(found)
    blank = [i + 1 for i, fill in enumerate(found) if 0 < i < len(found) - 1
             and fill < NEARLY_BLANK * median]
    assert not blank, f"{reports[key].pdf}: pages {blank} are nearly blank:\n{describe(found)}"


def test_contact_sheets_for_a_person_to_look_at(reports, fills, artifacts):
    written = []
    for key in REPORTS:
        sheet = contact_sheet({key: reports[key].pdf}, artifacts / f"sider-{key}.png",
                              fills={key: fills[key]})
        written.append(sheet)
        (artifacts / f"sider-{key}.txt").write_text(describe(fills[key]) + "\n",
                                                     encoding="utf-8")
    for sheet in written:
        assert sheet.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert sheet.stat().st_size > 20_000, f"{sheet} looks blank"


def test_the_command_line_prints_the_measure(reports):
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("page_fill.py")),
                          str(reports["national"].pdf)], capture_output=True, text=True,
                         check=True).stdout
    assert "pages " in out and "\nsparse " in out
