"""Chapters 4-6 carry the substance the 2015 report's konklusion and læsevejledning promise
for them: each is at least a chapter's worth of report text in the rendered national report,
not a few paragraphs around a figure."""

from __future__ import annotations

import re

import lxml.html
import pytest

pytestmark = pytest.mark.e2e

# Words of report text a chapter must have (its heading, lead, sections, boxes, captions and
# quotes as the reader gets them in the national report; figures are images and count nothing).
MIN_WORDS = 900
CHAPTERS = ("4", "5", "6")


def chapter_words(html: bytes) -> dict[str, int]:
    """The number of words in each numbered chapter of a rendered report: from the chapter's
    heading to the next heading of the same level."""
    tree = lxml.html.fromstring(html)
    counts = {}
    for heading in tree.xpath("//h2[@data-number]"):
        parts = [heading.text_content()]
        for sibling in heading.itersiblings():
            if sibling.tag == heading.tag:
                break
            if sibling.tag in ("script", "style"):
                continue
            parts.append(sibling.text_content())
        text = " ".join(parts).replace("\u00ad", "")     # soft hyphens are break points
        counts[heading.get("data-number")] = len(re.findall(r"\w+", text))
    return counts


def test_the_counter_counts_a_chapter_up_to_the_next():
    html = (b"<body><h2 data-number='1'>Et</h2><p>to tre</p><h3>fire</h3>"
            b"<h2 data-number='2'>fem</h2><p>seks</p></body>")
    assert chapter_words(html) == {"1": 4, "2": 2}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_four_to_six_have_substance(national_html_render, chapter):
    html = (national_html_render.out / "national" / "rapport.html").read_bytes()

    words = chapter_words(html)

    assert words[chapter] >= MIN_WORDS, (
        f"kapitel {chapter} har {words[chapter]} ord i den nationale rapport; "
        f"mindst {MIN_WORDS} forventes")
