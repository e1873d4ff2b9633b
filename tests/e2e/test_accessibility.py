"""Accessibility of the rendered reports: language, headings, tables, alt text, contrast, and
a tagged PDF whose structure matches the HTML.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from lxml import html as lxml_html
from matplotlib.colors import to_rgb
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from analysis.report import figures

pytestmark = pytest.mark.e2e

WCAG_AA = 4.5
FIRST_WORDS = 6
# A figure's alt text says what the figure shows: a number, a share, a count.
NUMBER = re.compile(r"\d|\b(to|tre|fire|fem|seks|syv|otte|ni|ti)\b", re.IGNORECASE)
HEADINGS = "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance, computed here rather than trusting figures.py."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(v) for v in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(color_a: str, color_b: str) -> float:
    light, dark = sorted((_relative_luminance(color_a), _relative_luminance(color_b)),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def doc(report):
    return lxml_html.fromstring(report.html.read_bytes())


def _heading_text(heading) -> str:
    """A heading's text without pandoc's section number span."""
    text = _norm(heading.text_content())
    number = heading.get("data-number")
    return text.removeprefix(number).strip() if number else text


# --- HTML --------------------------------------------------------------------------------

def test_html_language_is_danish(doc):
    assert doc.get("lang") == "da"


def test_one_h1_and_no_heading_level_jumps(doc):
    headings = doc.xpath(HEADINGS)
    levels = [int(h.tag[1]) for h in headings]
    assert levels.count(1) == 1 and levels[0] == 1, "the title is the one and only <h1>"
    assert "title" in headings[0].get("class", "")
    jumps = [f"<h{a}> {_heading_text(headings[i])!r} → <h{b}> "
             f"{_heading_text(headings[i + 1])!r}"
             for i, (a, b) in enumerate(zip(levels, levels[1:])) if b > a + 1]
    assert not jumps, "heading levels skip:\n" + "\n".join(jumps)
    empty = [h.get("id") for h in headings if not _heading_text(h)]
    assert not empty, f"empty headings: {empty}"


def test_chapters_are_h2_with_numbers_1_to_6(doc):
    numbers = [h.get("data-number") for h in doc.xpath("//main//h2[@data-number]")]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert all("." in h.get("data-number") for h in doc.xpath("//main//h3[@data-number]"))


def test_every_table_has_header_cells_and_a_caption(doc):
    tables = doc.xpath("//main//table")
    assert tables
    problems = []
    for number, table in enumerate(tables, start=1):
        header = [_norm(th.text_content()) for th in table.xpath(".//th")]
        if not header or not any(header):
            problems.append(f"table {number} ({table.get('id')}) has no <th> header cells")
        elif not table.xpath("./thead//th"):
            problems.append(f"table {number} ({table.get('id')}): header cells not in <thead>")
        caption = _norm(" ".join(table.xpath("./caption//text()")))
        if not caption.startswith(f"Tabel {number}."):
            problems.append(f"table {number}: caption {caption[:40]!r}")
    assert not problems, "\n".join(problems)


def test_every_figure_has_an_alt_text_that_says_what_it_shows(doc):
    figures_ = doc.xpath("//main//figure")
    assert figures_
    problems = []
    for number, fig in enumerate(figures_, start=1):
        imgs = fig.xpath(".//img")
        alt = _norm(imgs[0].get("alt")) if imgs else ""
        caption = _norm(" ".join(fig.xpath(".//figcaption//text()")))
        caption = re.sub(rf"^Figur {number}\.\s*", "", caption)
        first_words = " ".join(caption.split()[:FIRST_WORDS])
        where = f"Figur {number} ({fig.get('id')})"
        if not alt:
            problems.append(f"{where}: no alt text")
            continue
        if len(alt) <= len(first_words) or alt.lower().startswith(first_words.lower()):
            problems.append(f"{where}: alt text {alt!r} only repeats the caption")
        if alt.lower() in caption.lower():
            problems.append(f"{where}: alt text is part of the caption")
        if not NUMBER.search(alt):
            problems.append(f"{where}: alt text names no number or share: {alt!r}")
    assert not problems, "\n".join(problems)


def test_html_text_contrast_meets_wcag_aa(open_report, report):
    """Every piece of text against the background it is drawn on, as the browser computes
    both (``color`` and the nearest non-transparent ``background-color``)."""
    with open_report(report.html) as opened:
        checked, low = opened.page.evaluate(r"""() => {
          const parse = s => { const m = s.match(/rgba?\(([^)]+)\)/);
            const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
            return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
          const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255;
            return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const background = el => { for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c.a > 0) return c.rgb; } return [255, 255, 255]; };
          const seen = new Set(); const low = [];
          const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walk.nextNode()) {
            const el = walk.currentNode.parentElement;
            if (!walk.currentNode.textContent.trim() || seen.has(el)) continue;
            seen.add(el);
            const a = lum(parse(getComputedStyle(el).color).rgb), b = lum(background(el));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) low.push(`${el.tagName}.${el.className}: ` +
              `${walk.currentNode.textContent.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
          }
          return [seen.size, low];
        }""")
    assert checked > 100
    assert not low, "text below 4.5:1:\n" + "\n".join(low)


# --- figure colours ----------------------------------------------------------------------

@pytest.mark.parametrize("scale", ["PALETTE", "SCALE5", "SCALE4"])
def test_text_on_every_bar_colour_meets_wcag_aa(scale):
    """figures._text_color picks the label colour for a bar; the pair must reach 4.5:1."""
    low = []
    for color in getattr(figures, scale):
        text = figures._text_color(color)
        ratio = contrast(color, text)
        if ratio < WCAG_AA:
            low.append(f"{scale} {color} with {text} text: {ratio:.2f}:1")
    assert not low, "\n".join(low)


def test_coloured_text_on_the_white_figure_background_meets_wcag_aa():
    """Labels drawn in a palette colour on white: the body text and the "Jeres kommune"
    marks (the last palette colour)."""
    for color in (figures.TEXT, figures.PALETTE[5]):
        assert contrast(color, "white") >= WCAG_AA, color


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("black", "white") == pytest.approx(21.0)
    assert contrast("#777777", "white") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0072B2", "white") == pytest.approx(5.19, abs=0.01)


# --- PDF ---------------------------------------------------------------------------------

def _structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element of a tagged PDF, in document order."""
    found: list[DictionaryObject] = []

    def walk(node) -> None:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


@pytest.fixture(scope="module")
def pdf(report) -> PdfReader:
    return PdfReader(report.pdf)


@pytest.fixture(scope="module")
def structure(pdf) -> list[DictionaryObject]:
    return _structure(pdf)


def test_pdf_has_title_and_danish_language(report, pdf, doc, tool):
    title = _norm(doc.xpath("//h1")[0].text_content())
    assert pdf.metadata.title == title
    assert str(pdf.trailer["/Root"]["/Lang"]).lower().startswith("da")
    xmp = pdf.xmp_metadata
    assert xmp is not None and title in (xmp.dc_title or {}).values()
    info = subprocess.run([tool("pdfinfo"), str(report.pdf)], capture_output=True, check=True)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info.stdout.decode("utf-8"), re.M)


def test_pdf_is_tagged(report, pdf, tool):
    """typst (>= 0.14) writes tagged PDF; this PDF says which typst wrote it."""
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    creator = str(pdf.metadata.get("/Creator", ""))
    match = re.match(r"Typst (\d+)\.(\d+)", creator)
    assert match and (int(match[1]), int(match[2])) >= (0, 14), creator
    info = subprocess.run([tool("pdfinfo"), str(report.pdf)],
                          capture_output=True, check=True).stdout.decode("utf-8")
    assert re.search(r"^Tagged:\s+yes$", info, re.M)


def test_pdf_figures_carry_the_html_alt_texts(structure, doc):
    html_alts = [_norm(img.get("alt")) for img in doc.xpath("//main//figure//img")]
    pdf_alts = [_norm(str(el.get("/Alt", ""))) for el in structure if el["/S"] == "/Figure"]
    assert pdf_alts == html_alts


def test_pdf_tables_are_tagged_with_header_cells(structure, doc):
    tables = [el for el in structure if el["/S"] == "/Table"]
    assert len(tables) == len(doc.xpath("//main//table"))
    for number, table in enumerate(tables, start=1):
        assert "/TH" in {str(el["/S"]) for el in _structure_of(table)}, f"Tabel {number}"


def _structure_of(element: DictionaryObject) -> list[DictionaryObject]:
    found: list[DictionaryObject] = []

    def walk(node) -> None:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(element.get("/K", ArrayObject()))
    return found


def test_pdf_headings_match_the_html_one_level_up(structure, doc):
    """The PDF keeps chapters at heading level 1 (H1); the HTML has them one level down,
    under the title's <h1>. Same headings, same order; only the colophon may stand elsewhere
    (in print at the back of the cover when the last page has no room for it, in the HTML at
    the end), a heading of the same level in both."""
    pdf_headings = [(int(str(el["/S"])[2:]), _norm(str(el.get("/T", ""))))
                    for el in structure if re.fullmatch(r"/H\d", str(el["/S"]))]
    pdf_headings = [h for h in pdf_headings if h[1] != "Indholdsfortegnelse"]
    html_headings = [(int(h.tag[1]) - 1, _heading_text(h))
                     for h in doc.xpath("//main" + HEADINGS)]
    colophon = [h for h in pdf_headings if h[1] == "Kolofon"]
    assert colophon and colophon == [h for h in html_headings if h[1] == "Kolofon"]
    assert [h for h in pdf_headings if h[1] != "Kolofon"] == \
        [h for h in html_headings if h[1] != "Kolofon"]
    assert {level for level, _ in pdf_headings} >= {1, 2}
