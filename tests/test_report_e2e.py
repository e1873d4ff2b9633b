"""The national report end to end: every published figure printed, computed from the data, and
numbers that follow the data when the data change."""

import re
import subprocess
from pathlib import Path

import lxml.html
import pytest
import yaml

from analysis.report import danish
from changed_data import COORDINATOR, SWITCHED

pytestmark = pytest.mark.e2e
PROJECT = Path(__file__).resolve().parents[1]
FIGURES = {f["id"]: f for f in yaml.safe_load(
    (PROJECT / "data/reference/published_2015.yaml").read_text("utf-8"))["figures"]}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _html_text(path: Path) -> str:
    return _normal(lxml.html.fromstring(path.read_bytes()).text_content())


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return _normal(out)


@pytest.fixture(scope="module")
def national(national_render) -> Path:
    """The national report, html and pdf (see the root conftest)."""
    return national_render.out / "national"


def _expected(counts: dict) -> dict[str, str]:
    """The 1-decimal Danish percentage of each published figure, as the bilag prints it."""
    return {fid: _normal(danish.percent(c / b, 1)) for fid, (c, b) in counts.items()}


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_every_published_figure_is_printed(national, published_counts, fmt):
    text = _html_text(national / "rapport.html") if fmt == "html" else \
        _pdf_text(national / "rapport.pdf")
    counts = published_counts()

    for fid, pct in _expected(counts).items():
        assert pct in text, (fid, pct)
    assert f"{counts['andel_med_helhedsplan'][0]} af landets " \
           f"{counts['andel_med_helhedsplan'][1]} kommuner" in text
    large, small = counts["store_fuldtid_eller_mere"][1], counts["smaa_fuldtid_eller_mere"][1]
    # the groups are named by residents in the plan areas now; Tabel 4 gives the two Ns
    assert f"{large} + {small}" in text
    # the printed forms of the 2015 report where they are reachable on the named base
    for fid in ("medfinansiering_medarbejderressourcer", "har_koordinator", "ingen_koordinator",
                "store_fuldtid_eller_mere"):
        count, base = counts[fid]
        assert _normal(danish.percent(count / base)) in text, fid


def test_chapter_titles_are_headings_and_figures_numbered(national):
    tree = lxml.html.fromstring((national / "rapport.html").read_bytes())
    headings = [_normal(h.text_content()) for h in tree.xpath("//h1|//h2")]
    for title in ("Kommuner med helhedsplaner", "Potentialer i (sam)arbejdet",
                  "Fælles forståelse og tillid", "Organisering af tværorganisatorisk samarbejde",
                  "Kommunens interne samarbejde", "Kommunal ledelse af helhedsplansarbejdet"):
        assert any(title in h for h in headings), title
    captions = [_normal(c.text_content()) for c in tree.xpath("//figcaption")]
    assert captions and all(c.startswith(f"Figur {i}.") for i, c in enumerate(captions, 1))
    assert all(img.get("alt") for img in tree.xpath("//img"))


def test_changed_data_change_the_printed_figures(changed_data_render, published_counts):
    """The national report from the data changed as ``changed_data`` describes: three
    coordinators now say they have none (and one small municipality is large)."""
    before = published_counts()["har_koordinator"]

    text = _html_text(changed_data_render.out / "national" / "rapport.html")

    count, base = before[0] - SWITCHED, before[1]
    assert (count, base) == COORDINATOR
    assert _normal(danish.percent(count / base, 1)) in text
    assert _normal(danish.percent(before[0] / base, 1)) not in text
    assert f"{count} af {base}" in text
