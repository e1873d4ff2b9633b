"""A national report rendered from a survey export (xlsx and sav, e2e) is the report rendered
from the shipped csv, colophon and all: the colophon names no input file and no hash (they are
in provenance.json)."""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shipped_inputs import replace_survey_with_export
from shared_renders import FIRST_ENV, RAPPORT, background_render


class _Text(HTMLParser):
    """Visible text of an HTML page, one chunk per line, and the figures' image sources."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.images: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.chunks.append(text)


def _page(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return parser


def _differences(a: list[str], b: list[str]) -> str:
    return "\n".join(list(difflib.unified_diff(a, b, "shipped", "export", lineterm="", n=1))[:60])


EXPORTS = {"xlsx": "besvarelser.xlsx", "sav": "besvarelser.sav"}    # format -> file name


def _with_export(fmt: str):
    def prepare(data: Path) -> None:
        replace_survey_with_export(data, fmt, EXPORTS[fmt])
    return prepare


# The national report (html only) from the data with each export in place of besvarelser.csv.
RENDER = [*RAPPORT, "render", "--data", "{data}", "--out", "{out}", "--format", "html"]
xlsx_export_render = background_render("xlsx_export_render", RENDER, env=FIRST_ENV,
                                       prepare=_with_export("xlsx"))
sav_export_render = background_render("sav_export_render", RENDER, env=FIRST_ENV,
                                      prepare=_with_export("sav"))


@pytest.fixture(scope="module")
def shipped_report(national_html_render) -> str:
    """The national report (html only) from the shipped data (see the root conftest)."""
    return (national_html_render.out / "national" / "rapport.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def export_reports(xlsx_export_render, sav_export_render) -> dict[str, str]:
    return {fmt: (render.out / "national" / "rapport.html").read_text(encoding="utf-8")
            for fmt, render in (("xlsx", xlsx_export_render), ("sav", sav_export_render))}


@pytest.mark.e2e
@pytest.mark.parametrize("fmt,name", list(EXPORTS.items()))
def test_report_from_an_export_equals_the_report_from_the_shipped_csv(
        shipped_report, export_reports, fmt, name):
    report = export_reports[fmt]

    marker = 'id="kolofon"'
    assert marker in shipped_report and marker in report
    shipped_body, _, shipped_colophon = shipped_report.partition(marker)
    body, _, colophon = report.partition(marker)
    expected, actual = _page(shipped_body), _page(body)
    assert actual.chunks == expected.chunks, _differences(expected.chunks, actual.chunks)
    assert actual.images == expected.images  # the figures (inline SVG) are the same too
    assert any(re.search(r"\d\s?%", chunk) for chunk in actual.chunks)  # there are numbers
    expected_colophon, actual_colophon = _page(shipped_colophon).chunks, _page(colophon).chunks
    assert actual_colophon == expected_colophon, _differences(expected_colophon,
                                                              actual_colophon)
    # a publisher's colophon: title, publisher, what the data are and the date, no file or hash
    text = " ".join(actual_colophon)
    assert "Ny udgave på grundlag af CFBU og KL (2015)" in text and "Data: " in text
    assert "besvarelser." not in text and name not in text
    assert not re.search(r"\w+\.(?:csv|yaml|xlsx|sav|json)\b|\b[0-9a-f]{12}\b", text), text
