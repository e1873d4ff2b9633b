"""The national report end to end: every published figure printed, computed from the data, and
numbers that follow the data when the data change."""

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
import yaml

from analysis.report import danish

pytestmark = pytest.mark.e2e
PROJECT = Path(__file__).resolve().parents[1]
FIGURES = {f["id"]: f for f in yaml.safe_load(
    (PROJECT / "data/reference/published_2015.yaml").read_text("utf-8"))["figures"]}


def _render(out: Path, data: Path | None = None, fmt: str = "html,pdf") -> Path:
    args = [sys.executable, "-m", "analysis", "render", "--out", str(out), "--format", fmt]
    if data is not None:
        args += ["--data", str(data)]
    result = subprocess.run(args, capture_output=True, text=True,
                            env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1448928000"})
    assert result.returncode == 0, result.stderr
    return out / "national"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _html_text(path: Path) -> str:
    return _normal(lxml.html.fromstring(path.read_bytes()).text_content())


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return _normal(out)


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    return _render(tmp_path_factory.mktemp("out"))


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
    assert f"{large} store og {small} små" in text
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


def test_changed_data_change_the_printed_figures(tmp_path, data_copy, published_counts):
    survey = data_copy / "survey" / "besvarelser.csv"
    answers = pd.read_csv(survey, dtype=str, keep_default_na=False)
    switch = answers.index[(answers["har_koordinator"] == "1")
                           & (answers["statoverall_4"] == "1")][:3]
    answers.loc[switch, "har_koordinator"] = "2"
    answers.loc[switch, "koordinator_placering"] = ""
    answers.to_csv(survey, index=False)
    before = published_counts()["har_koordinator"]

    text = _html_text(_render(tmp_path / "out", data_copy, "html") / "rapport.html")

    count, base = before[0] - 3, before[1]
    assert _normal(danish.percent(count / base, 1)) in text
    assert _normal(danish.percent(before[0] / base, 1)) not in text
    assert f"{count} af {base}" in text
