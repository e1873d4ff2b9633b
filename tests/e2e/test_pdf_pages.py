"""The PDF reports as pages, read with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm).

Expectations that depend on the data (chapter titles, how many figures and tables) are read
from the HTML report of the same render, so the test also proves that both formats agree.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.e2e

PAGES_MIN, PAGES_MAX = 15, 60
A4_PT = (595.28, 841.89)
CM = 72 / 2.54
# No word may come closer than this to the paper's edge ...
EDGE_MARGIN = 1 * CM
# ... nor stick out of the type area sideways (report.typ: margin x 2.5 cm) by more than a
# typographic overhang.
TYPE_AREA_X = 2.5 * CM
OVERHANG = 4.0
SYNTHETIC_NOTICE = "Rapporten bygger på syntetiske eksempeldata"
PRINTED_DATE = "1. december 2015"  # conftest renders with SOURCE_DATE_EPOCH=1448928000


def _norm(text: str) -> str:
    # a soft hyphen is a break point, not text: a word divided at a line end is one word
    return re.sub(r"\s+", " ", re.sub(r"\u00ad\s*", "", text)).strip()


@pytest.fixture(scope="module")
def run(tool):
    """Run a poppler program and return its stdout; fail clearly when it is missing."""
    def run_tool(*argv: str) -> str:
        proc = subprocess.run([tool(argv[0]), *argv[1:]], capture_output=True, check=False)
        if proc.returncode != 0:
            pytest.fail(f"{' '.join(argv)} failed: {proc.stderr.decode('utf-8', 'replace')}")
        return proc.stdout.decode("utf-8")
    return run_tool


@pytest.fixture(scope="module")
def raw_text(report, run) -> str:
    """pdftotext's text of the whole PDF, in reading order; pages end with a form feed."""
    return run("pdftotext", "-enc", "UTF-8", str(report.pdf), "-")


@pytest.fixture(scope="module")
def pages(raw_text) -> list[str]:
    """The text of every page, whitespace normalised."""
    return [_norm(page) for page in raw_text.removesuffix("\f").split("\f")]


@pytest.fixture(scope="module")
def headers(report, run) -> list[str]:
    """The first line of every page as the page sets it (pdftotext's layout mode keeps the
    running header's two ends on one line), whitespace normalised: the running header where
    the page has one."""
    layout = run("pdftotext", "-layout", "-enc", "UTF-8", str(report.pdf), "-")
    return [next((_norm(line) for line in page.splitlines() if line.strip()), "")
            for page in layout.removesuffix("\f").split("\f")]


@pytest.fixture(scope="module")
def html_doc(report):
    return lxml_html.fromstring(report.html.read_bytes())


@pytest.fixture(scope="module")
def chapters(html_doc) -> list[tuple[str, str]]:
    """``(number, title)`` of the numbered chapters, as the HTML report has them."""
    found = []
    for heading in html_doc.xpath("//main//h2[@data-number]"):
        number = heading.get("data-number")
        found.append((number, _norm(heading.text_content()).removeprefix(number).strip()))
    return found


def test_page_count_and_paper_size(report, pages, run):
    lines = run("pdfinfo", str(report.pdf)).splitlines()
    info = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    assert PAGES_MIN <= int(info["Pages"]) <= PAGES_MAX, info["Pages"]
    assert len(pages) == int(info["Pages"])
    assert "(A4)" in info["Page size"], info["Page size"]


def test_title_page_has_title_date_and_synthetic_data_notice(report, pages, html_doc):
    title = _norm(html_doc.xpath("//h1")[0].text_content())
    # the publishers stand above the title, in the PDF as in the HTML's title block
    publishers = _norm(html_doc.xpath("//p[@class='udgivere']")[0].text_content())
    first = pages[0]
    assert first.startswith(f"{publishers} {title}"), first[:100]
    assert PRINTED_DATE in first, "SOURCE_DATE_EPOCH fixes the printed date"
    assert SYNTHETIC_NOTICE in first
    if report.is_municipal:
        assert "Køge Kommune" in first


def _opener_page(pages: list[str], headers: list[str], number: str,
                 title: str) -> int | None:
    """The page where chapter ``number`` opens: at the page's top (the page starts with it and
    has no running header) or under the end of the chapter before (the page has the running
    header, which still names the chapter before, and the opener stands in its text)."""
    heading = f"{number} {title}"
    for i, page in enumerate(pages[2:], start=2):       # after the cover and the contents
        if page.startswith(heading) or (_has_running_header(page) and heading in page
                                        and not headers[i].endswith(heading)):
            return i
    return None


def test_chapters_1_to_6_open_in_order(pages, headers, chapters):
    """Each chapter opens on its own page or under the end of the one before (report.typ:
    a chapter starts on the page where the one before ends when the page has room)."""
    assert [number for number, _ in chapters] == ["1", "2", "3", "4", "5", "6"], chapters
    starts = []
    for number, title in chapters:
        start = _opener_page(pages, headers, number, title)
        assert start is not None, f"no page opens chapter {number} {title!r}"
        starts.append(start)
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts
    # ... and they are listed in that order in the table of contents, before chapter 1.
    toc = " ".join(pages[1:starts[0]])
    positions = [toc.find(f"{number} {title}") for number, title in chapters]
    assert -1 not in positions and positions == sorted(positions), positions


def test_figures_and_tables_are_numbered_consecutively(raw_text, html_doc):
    for label, xpath in (("Figur", "//main//figure"), ("Tabel", "//main//table")):
        # captions start a line: "Figur 3. …"; a mention in running text ("se figur 3") doesn't
        numbers = [int(n) for n in re.findall(rf"(?m)^\f?{label} (\d+)\. \S", raw_text)]
        expected = list(range(1, len(html_doc.xpath(xpath)) + 1))
        assert expected, f"the HTML report has no {label.lower()}"
        assert numbers == expected, f"{label}: {numbers}, expected {expected}"


def test_danish_letters_survive(report, pages):
    text = " ".join(pages)
    assert "Fælles forståelse" in text
    for letter in "æøå":
        assert letter in text, letter
    for broken in ("Ã", "Â", "\ufffd", "¦", "f¸"):
        assert broken not in text, f"mojibake {broken!r} in the PDF text"
    if report.is_municipal:
        assert text.count("Køge") >= 5


def test_source_lines_name_the_source_once(pages):
    doubled = re.findall(r"Kilde: [^.]{0,40}\. Kilde:", " ".join(pages))
    assert not doubled, doubled[:3]


def test_every_font_is_embedded(report, run):
    lines = run("pdffonts", str(report.pdf)).splitlines()
    rows = lines[2:]
    assert rows, "pdffonts lists no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)


def test_no_text_runs_off_the_page(report, run):
    out = run("pdftotext", "-bbox", "-enc", "UTF-8", str(report.pdf), "-")
    problems = []
    page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
    word_re = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                         r'yMax="([-\d.]+)">([^<]*)</word>')
    pages = page_re.findall(out)
    assert pages, "pdftotext -bbox found no pages"
    for number, (width, height, body) in enumerate(pages, start=1):
        width, height = float(width), float(height)
        assert (round(width), round(height)) == tuple(round(v) for v in A4_PT)
        for x0, y0, x1, y1, word in word_re.findall(body):
            x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
            if (x0 < EDGE_MARGIN or y0 < EDGE_MARGIN or x1 > width - EDGE_MARGIN
                    or y1 > height - EDGE_MARGIN):
                problems.append(f"page {number}: {word!r} at ({x0:.0f}, {y0:.0f}, {x1:.0f}, "
                                f"{y1:.0f}) is within 1 cm of the paper's edge")
            elif x0 < TYPE_AREA_X - OVERHANG or x1 > width - TYPE_AREA_X + OVERHANG:
                problems.append(f"page {number}: {word!r} at x {x0:.0f}–{x1:.0f} sticks out "
                                f"of the text column")
    assert not problems, "\n".join(problems[:20])


def test_pages_as_png(report, pages, headers, chapters, artifacts, run):
    """The title page and the page with chapter 1's first figure, for a human to look at."""
    chapter1 = _opener_page(pages, headers, "1", chapters[0][1])
    figure_page = next(i for i, page in enumerate(pages)
                       if i >= chapter1 and re.search(r"(?<![\w.])Figur \d+\. ", page))
    written = []
    for index in (0, figure_page):
        target = artifacts / f"pdf-{report.key}-page-{index + 1:02d}"
        run("pdftoppm", "-png", "-r", "80", "-f", str(index + 1), "-l", str(index + 1),
             "-singlefile", str(report.pdf), str(target))
        png = target.with_suffix(".png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000, f"{png} looks blank"
        written.append(png)
    assert len(written) == 2


# --- how the pages flow ------------------------------------------------------------------

# The printable area: A4 less the margins of report.typ (2.5 cm sideways, 2.7 cm top,
# 2.6 cm bottom); the running header and the page number stand outside it.
PRINTABLE = (TYPE_AREA_X, 2.7 * CM, A4_PT[0] - TYPE_AREA_X, A4_PT[1] - 2.6 * CM)
MIN_COVERAGE = 0.15
GRID_PT = 14.0   # cells of the coverage grid (about 5 mm)
RASTER_DPI = 24


def _layout_blocks(run, pdf) -> list[list[tuple[float, float, float, float]]]:
    """Every text block's box (pdftotext -bbox-layout), per page."""
    out = run("pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-")
    pages = re.findall(r"<page [^>]*>(.*?)</page>", out, re.S)
    block = re.compile(r'<block xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                       r'yMax="([-\d.]+)">')
    return [[tuple(map(float, m)) for m in block.findall(page)] for page in pages]


def _inked_cells(png_path) -> set[tuple[int, int]]:
    """Grid cells of the printable area holding any drawn ink (figures are drawn as vectors
    with their texts as outlines, so pdftotext does not see them)."""
    from PIL import Image

    image = Image.open(png_path).convert("L")
    scale = image.width / A4_PT[0]
    cells = set()
    x0, y0, x1, y1 = PRINTABLE
    pixels = image.load()
    for py in range(int(y0 * scale), int(y1 * scale)):
        for px in range(int(x0 * scale), int(x1 * scale)):
            if pixels[px, py] < 200:
                cells.add((int((px / scale - x0) // GRID_PT), int((py / scale - y0) // GRID_PT)))
    return cells


def _coverage(blocks, inked) -> float:
    x0, y0, x1, y1 = PRINTABLE
    columns, rows = int((x1 - x0) // GRID_PT), int((y1 - y0) // GRID_PT)
    covered = set(cell for cell in inked if 0 <= cell[0] < columns and 0 <= cell[1] < rows)
    for bx0, by0, bx1, by1 in blocks:
        for cx in range(max(0, int((bx0 - x0) // GRID_PT)),
                        min(columns, int((bx1 - x0) // GRID_PT) + 1)):
            for cy in range(max(0, int((by0 - y0) // GRID_PT)),
                            min(rows, int((by1 - y0) // GRID_PT) + 1)):
                covered.add((cx, cy))
    return len(covered) / (columns * rows)


def test_coverage_measure_tells_a_full_page_from_an_empty_one():
    x0, y0, x1, y1 = PRINTABLE
    assert _coverage([(x0, y0, x1, y1)], set()) == 1.0
    assert _coverage([(x0, y0, x1, y0 + 2 * GRID_PT)], set()) < MIN_COVERAGE


def test_no_near_empty_page(report, run, pages, tmp_path):
    """Text (pdftotext's block boxes) and drawn figures cover at least 15 % of the printable
    area of every page but the cover and the last, a chapter's last page included (a chapter
    that leaves most of its last page empty is followed there by the next)."""
    blocks = _layout_blocks(run, report.pdf)
    assert len(blocks) == len(pages)
    run("pdftoppm", "-png", "-gray", "-r", str(RASTER_DPI), str(report.pdf),
        str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pages)
    thin = []
    for index in range(1, len(pages) - 1):
        share = _coverage(blocks[index], _inked_cells(pngs[index]))
        if share < MIN_COVERAGE:
            thin.append(f"page {index + 1}: {share:.0%} covered: {pages[index][:80]!r}")
    assert not thin, "near-empty pages:\n" + "\n".join(thin)


RUNNING_HEADER = "Kommunerne på banen"


def _has_running_header(page: str) -> bool:
    return page.startswith(RUNNING_HEADER) and not page.startswith(
        RUNNING_HEADER + " " + RUNNING_HEADER)


def test_chapter_pages_open_without_running_header_and_others_carry_it(pages, headers,
                                                                     chapters):
    """A page a chapter opens at its top has no running header; a page where it opens under
    the end of the one before has the running header naming that one (the chapter in force at
    the page's top); the pages after carry the new chapter's."""
    before = None
    for number, title in chapters:
        start = _opener_page(pages, headers, number, title)
        if pages[start].startswith(f"{number} {title}"):
            assert not _has_running_header(pages[start])
        else:       # the running header (with the report's title) names the chapter before
            # (or, before chapter 1, the front matter's last section)
            assert _has_running_header(pages[start]), pages[start][:200]
            if before is not None:
                assert headers[start].endswith(f"{before[0]} {before[1]}"), headers[start]
        if start + 1 < len(pages) and not pages[start + 1].startswith(f"{int(number) + 1} "):
            following = pages[start + 1]
            if _has_running_header(following):
                assert title.split()[0] in following[:200], following[:200]
        before = (number, title)


def test_table_notes_are_on_a_page_of_their_table(pages, html_doc):
    """Every table's source line and notes stand on a page that also holds a row of the
    table (a short table is never broken; a long one has its notes under its caption)."""
    problems = []
    for table in html_doc.xpath("//main//div[contains(@class, 'tabel')]"):
        caption = _norm(" ".join(table.xpath(".//caption//text()")))
        label = re.match(r"Tabel \d+\.", caption).group(0)
        rows = [_norm(tr.xpath("./td")[0].text_content())
                for tr in table.xpath(".//tbody/tr") if tr.xpath("./td")]
        notes = [_norm(el.text_content()) for el in
                 table.xpath(".//div[contains(@class, 'kilde') or contains(@class, 'note')]")]
        start = next((i for i, page in enumerate(pages) if f"{label} " in page), None)
        assert start is not None, f"{label} is not in the PDF"
        span = [i for i in range(start, min(start + 4, len(pages)))]
        for note in notes:
            probe = " ".join(note.split()[:5])
            where = next((i for i in span if probe in pages[i]), None)
            if where is None:
                problems.append(f"{label}: note {probe!r} not found near the table")
            elif not any(row and row[:25] in pages[where] for row in rows):
                problems.append(f"{label}: note {probe!r} on page {where + 1}, "
                                "which holds no row of the table")
    assert not problems, "\n".join(problems)

