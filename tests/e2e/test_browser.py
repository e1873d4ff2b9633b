"""The HTML reports in a real browser (Debian's chromium via playwright), offline.

Each report is opened once per module as a reader opens a downloaded file (``file://``); every
request for anything but the file itself or a ``data:`` URI is aborted and recorded.
Screenshots are kept in ``test-artifacts/`` for a human to look at.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

DESKTOP = (1280, 900)
PHONE = (390, 844)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def opened(open_report, report):
    """The report open in chromium for every test of this module (one per report)."""
    with open_report(report.html, width=DESKTOP[0], height=DESKTOP[1]) as page:
        yield page


def test_every_toc_link_lands_on_its_visible_heading(opened):
    page = opened.page
    links = page.eval_on_selector_all(
        "nav#TOC a", "as => as.map(a => [a.getAttribute('href'), a.innerText])")
    assert len(links) >= 10, f"table of contents has only {len(links)} links"
    chapters = [_norm(text) for _, text in links if re.match(r"^\d+ ", _norm(text))]
    assert [c.split()[0] for c in chapters] == ["1", "2", "3", "4", "5", "6"], chapters
    problems = []
    for href, text in links:
        if not href or not href.startswith("#"):
            problems.append(f"{text!r}: href {href!r} is not a link within the page")
            continue
        target = href[1:]
        page.locator(f"nav#TOC a[href={_css_string(href)}]").first.click()
        state = page.evaluate(
            """href => {
                 const id = decodeURIComponent(href.slice(1));
                 const el = document.getElementById(id);
                 if (!el) return null;
                 const r = el.getBoundingClientRect();
                 return {tag: el.tagName, text: el.innerText, top: r.top, bottom: r.bottom,
                         height: r.height, viewport: innerHeight,
                         hash: decodeURIComponent(location.hash.slice(1)), id: id};
               }""", href)
        if state is None:
            problems.append(f"{text!r}: no element with id {target!r}")
            continue
        visible = page.locator(f"[id={_css_string(state['id'])}]").is_visible()
        if state["tag"] not in ("H2", "H3", "H4"):
            problems.append(f"{text!r}: lands on <{state['tag'].lower()}>, not a heading")
        if _norm(state["text"]) != _norm(text):
            problems.append(f"{text!r}: lands on heading {state['text']!r}")
        if state["hash"] != state["id"]:
            problems.append(f"{text!r}: location is #{state['hash']} after the click")
        if not visible or state["height"] <= 0:
            problems.append(f"{text!r}: heading is not visible")
        if not (-2 <= state["top"] < state["viewport"] and state["bottom"] > 0):
            problems.append(f"{text!r}: heading not scrolled into view (top {state['top']:.0f})")
    assert not problems, "\n".join(problems)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_every_image_and_figure_is_drawn_with_alt_text(opened):
    images = opened.page.evaluate(
        """() => [...document.images].map(img => {
             const r = img.getBoundingClientRect();
             return {alt: img.getAttribute('alt'), width: r.width, height: r.height,
                     natural: img.naturalWidth * img.naturalHeight, complete: img.complete,
                     src: img.getAttribute('src').slice(0, 40)};
           })""")
    figures = opened.page.evaluate(
        """() => [...document.querySelectorAll('main figure')].map(f => {
             const r = f.getBoundingClientRect();
             return {id: f.id, width: r.width, height: r.height,
                     caption: (f.querySelector('figcaption') || {}).innerText || ''};
           })""")
    assert len(figures) >= 5, f"only {len(figures)} figures"
    assert len(images) == len(figures), "every image is a numbered figure, and vice versa"
    problems = []
    for index, img in enumerate(images, start=1):
        if not img["complete"] or img["natural"] == 0:
            problems.append(f"image {index} ({img['src']}…) did not decode")
        if img["width"] < 100 or img["height"] < 50:
            problems.append(f"image {index} is drawn {img['width']:.0f}×{img['height']:.0f} px")
        if not (img["alt"] or "").strip():
            problems.append(f"image {index} has no alt text")
    for number, fig in enumerate(figures, start=1):
        if fig["width"] <= 0 or fig["height"] <= 0:
            problems.append(f"figure {fig['id']} has no size")
        if not _norm(fig["caption"]).startswith(f"Figur {number}."):
            problems.append(f"figure {fig['id']}: caption {fig['caption'][:40]!r}, "
                            f"expected 'Figur {number}.'")
    assert not problems, "\n".join(problems)


def test_download_links_point_at_files_next_to_the_report(opened, report):
    hrefs = opened.page.eval_on_selector_all(
        "nav.downloads a", "as => as.map(a => a.getAttribute('href'))")
    assert "rapport.pdf" in hrefs and "tabeller.xlsx" in hrefs
    missing = [href for href in hrefs if not (report.folder / href).is_file()]
    assert not missing, f"download links to missing files: {missing}"


def test_screenshots_of_first_page_and_chapter_1_figure(opened, report, artifacts):
    page = opened.page
    page.evaluate("() => window.scrollTo(0, 0)")
    first = artifacts / f"html-{report.key}-first-page.png"
    page.screenshot(path=str(first))
    figure_id = page.evaluate(
        """() => {
             const h = document.querySelector('main h2[data-number="1"]');
             const next = document.querySelector('main h2[data-number="2"]');
             const after = (a, b) =>
               a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
             const fig = [...document.querySelectorAll('main figure')]
               .find(f => after(h, f) && (!next || after(f, next)));
             return fig ? fig.id : null;
           }""")
    assert figure_id, "chapter 1 has no figure"
    figure = page.locator(f"[id={_css_string(figure_id)}]")
    figure.evaluate("el => el.scrollIntoView({block: 'center'})")
    box = figure.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP[1], box
    shot = artifacts / f"html-{report.key}-chapter1-figure.png"
    page.screenshot(path=str(shot))
    for path in (first, shot):
        assert path.stat().st_size > 20_000, f"{path} looks blank"


def test_no_horizontal_scrolling_on_desktop_or_phone(open_report, report, opened):
    widths = {"desktop": opened.page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth]")}
    with open_report(report.html, width=PHONE[0], height=PHONE[1]) as phone:
        widths["phone"] = phone.page.evaluate(
            "() => [document.documentElement.scrollWidth, innerWidth]")
        assert not phone.blocked and not phone.failed and not phone.console_errors
    wide = {k: v for k, v in widths.items() if v[0] > v[1]}
    assert not wide, f"page wider than the window (scrollWidth, innerWidth): {wide}"


def test_guard_catches_requests_to_other_hosts(open_report, reports):
    """The network check below is not vacuous: a request to another host is caught."""
    with open_report(reports["national"].html) as page:
        page.page.evaluate("""() => { const img = new Image();
                                      img.src = 'https://example.invalid/x.png';
                                      document.body.append(img); }""")
        page.page.wait_for_function("() => [...document.images].every(i => i.complete)")
        assert page.blocked == ["https://example.invalid/x.png"]


def test_no_external_or_failed_request_and_no_console_error(opened):
    """Runs after the other tests on the same page, so it also covers clicks and scrolling."""
    assert opened.blocked == [], f"requests to other hosts: {opened.blocked}"
    assert opened.failed == [], f"failed requests: {opened.failed}"
    assert opened.console_errors == [], f"console errors: {opened.console_errors}"
    assert opened.page_errors == [], f"page errors: {opened.page_errors}"


NARROW = (360, 740)


@pytest.mark.parametrize("width", [NARROW[0], DESKTOP[0]])
def test_screenshots_at_360_and_1280_px_without_horizontal_scroll(open_report, report,
                                                                  artifacts, width):
    with open_report(report.html, width=width, height=900) as opened:
        page = opened.page
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert scroll[0] <= scroll[1], f"{width} px: page is {scroll[0]} px wide"
        # nothing but a table's own scroll box may stick out of the text column
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(el => !el.closest('.tabel'))
            .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
            .map(el => el.tagName + '.' + el.className).slice(0, 5)""")
        assert not wide, f"{width} px: elements wider than the window: {wide}"
        shot = artifacts / f"html-{report.key}-{width}px.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000


def test_table_text_cells_are_left_aligned_and_numbers_right(opened):
    """A cell with words is left-aligned; a column of numbers only is right-aligned (a column
    mixing numbers and words is a text column)."""
    tables = opened.page.evaluate("""() => [...document.querySelectorAll('main table')]
        .map(t => [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children]
          .map(td => [td.innerText.trim(), getComputedStyle(td).textAlign])))""")
    assert tables
    number = re.compile(r"^[<>≈~]?[+−-]?[\d.,\s]+%?$")
    problems = []
    for t, rows in enumerate(tables, start=1):
        for c in range(max(len(row) for row in rows)):
            column = [row[c] for row in rows if c < len(row) and row[c][0] not in ("", "–")]
            numeric = column and all(number.match(text) for text, _ in column)
            for text, align in column:
                if numeric and align != "right":
                    problems.append(f"table {t}: number {text!r} is aligned {align}")
                if re.search(r"[A-Za-zÆØÅæøå]{2}", text) and align not in ("left", "start"):
                    problems.append(f"table {t}: text {text[:30]!r} is aligned {align}")
    assert not problems, "\n".join(problems[:10])
