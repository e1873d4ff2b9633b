"""The page flow of every report of ``rapport render --all`` (the national report and all 44
municipal editions, opened with their passphrases; see ``batch_render`` in the root conftest):

* no edition has more than one sparse page (a page under half its median page, see
  ``page_fill``), a chapter's last page included: a chapter that leaves more than half of its
  last page empty is followed on that page by the next one (design.typ's ``kpb-kapitel``), and
  a tall municipal panel breaks rather than leave half a page empty above it;
* no figure or table stands before the opener of the chapter it belongs to (a float that went
  ahead of a chapter that opened on the next page instead of under the one before).

Which chapter a figure or table belongs to is read from the HTML of the same report (its
caption inside the chapter's section); where a chapter opens and where a caption stands, from
the PDF's text, page by page, top to bottom.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from page_fill import describe, page_fills, sparse_pages
from sealed_packages import open_package, passphrase_for

pytestmark = pytest.mark.e2e

MAX_SPARSE = 1
CAPTION = re.compile(r"(Figur|Tabel) (\d+)\. ")


def _words(text: str) -> str:
    return " ".join(text.split())


def _editions(batch) -> list[tuple[str, str, Path, str | None]]:
    """(name, html, pdf, password) of every report of the batch."""
    national = batch.out / "national"
    found = [("national", (national / "rapport.html").read_text("utf-8"),
              national / "rapport.pdf", None)]
    for folder in sorted((batch.out / "kommuner").iterdir()):
        html = open_package(folder, batch.keys)["rapport.html"].decode("utf-8")
        found.append((folder.name, html, folder / "rapport.pdf",
                      passphrase_for(folder, batch.keys)))
    return found


@pytest.fixture(scope="module")
def editions(batch, tool):
    tool("pdftoppm")
    tool("pdftotext")
    found = _editions(batch)
    assert len(found) == 45
    return found


def test_no_edition_has_more_than_one_sparse_page(editions):
    failures = []
    for name, _, pdf, password in editions:
        fills = page_fills(pdf, password)
        sparse = sparse_pages(fills)
        if len(sparse) > MAX_SPARSE:
            failures.append(f"{name}: pages {sparse} are sparse\n{describe(fills)}")
    assert not failures, "\n".join(failures)


def _owners(html: str) -> dict[tuple[str, int], str]:
    """{(»Figur« or »Tabel«, number): the title of the chapter whose section holds it}."""
    owners, chapter = {}, None
    for element in BeautifulSoup(html, "html.parser").find_all(["h2", "figcaption",
                                                               "caption"]):
        text = _words(element.get_text(" ", strip=True))
        if element.name == "h2":
            chapter = re.sub(r"^\d+ ", "", text)
        elif (m := CAPTION.match(text + " ")) and chapter is not None:
            owners[(m.group(1), int(m.group(2)))] = chapter
    return owners


def _pages(pdf: Path, password: str | None) -> list[str]:
    args = ["pdftotext", "-layout", *(["-upw", password] if password else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")


def _openers(pages: list[str], chapters: list[str]) -> dict[str, tuple[int, int]]:
    """{chapter: (page index, offset)} where each chapter's title starts a line, found in the
    chapters' order after the contents (a short title must fill its line)."""
    found, after = {}, (2, 0)
    for chapter in chapters:
        pattern = re.compile(r"^\s*" + re.escape(chapter[:20])
                             + (r"\s*$" if len(chapter) <= 20 else ""), re.M)
        for i in range(after[0], len(pages)):
            hit = next((m for m in pattern.finditer(pages[i]) if (i, m.start()) > after), None)
            if hit:
                found[chapter] = after = (i, hit.start())
                break
    return found


def test_no_figure_or_table_stands_before_its_chapters_opener(editions):
    failures, checked = [], 0
    for name, html, pdf, password in editions:
        owners = _owners(html)
        chapters = list(dict.fromkeys(owners.values()))
        pages = _pages(pdf, password)
        openers = _openers(pages, chapters)
        assert set(openers) == set(chapters), (name, set(chapters) - set(openers))
        for i, page in enumerate(pages):
            for m in CAPTION.finditer(page):
                chapter = owners.get((m.group(1), int(m.group(2))))
                if chapter is None:
                    continue
                checked += 1
                if (i, m.start()) < openers[chapter]:
                    failures.append(f"{name}: {m.group(0)}on page {i + 1}, before »{chapter}« "
                                    f"opens on page {openers[chapter][0] + 1}")
    assert checked > 45 * 10
    assert not failures, "\n".join(failures)


def test_every_edition_numbers_its_pages_without_a_gap(editions):
    """Each page after the cover prints its own number in the footer: a layout that typst
    gave up on can carry the page numbers of a layout it did not keep (Greve's edition once
    went from 33 to 35), so the compiler lays such a document out again with the flow that
    settles at once (typst_worker.py)."""
    failures = []
    for name, _, pdf, password in editions:
        pages = _pages(pdf, password)[:-1]          # the text ends with a form feed
        for number, page in enumerate(pages[1:], start=2):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            if not lines or lines[-1] != str(number):
                failures.append(f"{name}: page {number} prints {lines[-1] if lines else ''!r}")
                break
    assert not failures, "\n".join(failures)
