"""The PDF's page flow (the house design's typst, design*.typ, and report.typ) on
hand-written markdown: chapters, figures, boxes and tables on the pages, compiled and read
back with pdftotext."""

from __future__ import annotations

import re

import pytest
from page_flow_support import LINES_A_PAGE, PARAGRAPH
from page_flow_support import pages as _pages
from page_flow_support import text_lines as _text_lines

from analysis.render import pandoc_typst
from analysis.render.assemble import Document

# --- page flow: chapters, figures and boxes on the pages --------------------------------------

def _chapters(paragraphs: int, second: str = "# Andet kapitel") -> str:
    parts = []
    for i in range(paragraphs):
        if i % 5 == 0:
            parts.append(f"## Afsnit {i // 5 + 1}")
        parts.append(PARAGRAPH)
    return "# Første kapitel\n\n" + "\n\n".join(parts) + f"\n\n{second}\n\nSlut.\n"


def test_a_numbered_chapter_opens_a_new_page_unless_the_page_before_is_half_empty(tmp_path):
    """Chapters of growing length: a numbered chapter opens a new page, at its top and without
    a running header, when the chapter before fills more than half of its last page; where it
    leaves at least half of it empty, the next chapter opens there, under its end, and that
    page's header still names the chapter before. The page after carries the header naming the
    new chapter either way. Typst's layout settles every time."""
    shared = alone = 0
    for paragraphs in range(9, 23):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings = _pages(_chapters(paragraphs) + "\n\n" + "\n\n".join(
            [PARAGRAPH] * 30) + "\n", folder)
        assert not warnings, (paragraphs, warnings)
        second = next(i for i, page in enumerate(pages) if "Andet kapitel" in page
                      and "Slut." in page)
        lines = _text_lines(pages[second])
        starts_at = next(i for i, line in enumerate(lines) if line.strip() == "Andet kapitel")
        if starts_at > 2:                       # under the end of the first chapter
            shared += 1
            assert re.search(r"1\s+Første kapitel$", pages[second].splitlines()[0]), paragraphs
            # the first chapter's end took at most half the page
            assert starts_at < LINES_A_PAGE * 0.5 + 3, (paragraphs, starts_at)
        else:                                   # at the top of a page of its own
            alone += 1
            stripped = [line.strip() for line in pages[second].splitlines() if line.strip()]
            assert stripped[:2] == ["2", "Andet kapitel"], (paragraphs, stripped[:3])
            assert len(_text_lines(pages[second - 1])) > LINES_A_PAGE * 0.45, paragraphs
        header = pages[second + 1].splitlines()[0]
        assert re.search(r"2\s+Andet kapitel$", header), (paragraphs, header)
    assert shared and alone, (shared, alone)


def test_an_unnumbered_section_starts_under_the_last_one_where_its_page_has_room(tmp_path):
    """Sections of growing length: an unnumbered section (front matter, bilag) starts on the
    page where the one before ends when that page has room for its opener and first lines,
    else on a new page, so the page before it is never left half empty. The running header
    names the section in force at the top of a page: on the page where the second starts
    under the first one's end, the first. Typst's layout settles every time."""
    shared = alone = 0
    for paragraphs in range(9, 23):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        body = _chapters(paragraphs, "# Andet afsnit {.unnumbered}").replace(
            "# Første kapitel", "# Første afsnit {.unnumbered}")
        pages, warnings = _pages(body, folder)
        assert not warnings, (paragraphs, warnings)
        second = next(i for i, page in enumerate(pages) if "Andet afsnit" in page
                      and "Slut." in page)
        lines = _text_lines(pages[second])
        starts_at = next(i for i, line in enumerate(lines) if line.strip() == "Andet afsnit")
        if starts_at > 2:                       # under the end of the first section
            shared += 1
            header = pages[second].splitlines()[0]
            assert re.search(r"Første afsnit$", header), (paragraphs, header)
            assert starts_at < LINES_A_PAGE * 0.78 + 3, (paragraphs, starts_at)
        else:                                   # on a page of its own
            alone += 1
            before = _text_lines(pages[second - 1])
            assert len(before) > LINES_A_PAGE * 0.5, (paragraphs, len(before))
    assert shared and alone, (shared, alone)


BOX = ("::: {.eksempel}\n**Eksempel: En kasse**\n\n" + " ".join([PARAGRAPH] * 3)
       + "\n\nKassens sidste linje.\n:::\n")


def test_a_box_is_never_split_and_the_text_fills_the_page_before_it(tmp_path):
    """A box that does not fit where it is called stands at the top of the next page, and the
    text after it fills the page where it was called: that page holds as many lines as it
    does without the box."""
    checked = 0
    for paragraphs in range(22, 30):
        folder = tmp_path / str(paragraphs)
        (folder / "plain").mkdir(parents=True)
        text = "\n\n".join([PARAGRAPH] * paragraphs)
        after = "\n\n".join([PARAGRAPH] * 8) + "\n\nSlut.\n"
        pages, warnings = _pages(f"# Kapitel\n\n{text}\n\n{BOX}\n\n{after}", folder)
        plain, _ = _pages(f"# Kapitel\n\n{text}\n\n{after}", folder / "plain")
        assert not warnings, (paragraphs, warnings)
        title = next(i for i, page in enumerate(pages) if "Eksempel: En kasse" in page)
        assert "Kassens sidste linje." in pages[title], paragraphs
        if not _text_lines(pages[title])[0].strip().startswith("Eksempel: En kasse"):
            continue                    # set where it was called
        checked += 1
        assert (len(_text_lines(pages[title - 1]))
                >= len(_text_lines(plain[title - 1])) - 1), paragraphs
    assert checked, "the lengths tried never moved the box to the next page"


def test_figures_keep_their_order(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
           '<rect width="300" height="200" fill="#0072B2"/></svg>')
    figure = ("::: {.figur}\n\n![Figur 1. X](fig-x.svg){#fig-x alt=\"Søjler.\"}\n\n"
              "::: {.kilde}\nKilde: K.\n:::\n\n:::\n")
    body = ("# Kapitel\n\n" + "\n\n".join([PARAGRAPH] * 9) + "\n\n" + figure + "\n\n"
            + BOX.replace("En kasse", "Efter figuren") + "\n\n"
            + "\n\n".join([PARAGRAPH] * 6) + "\n")
    pages, warnings = _pages(body, tmp_path, svg)
    assert not warnings, warnings
    text = "\f".join(pages)
    assert text.index("Figur 1. X") < text.index("Eksempel: Efter figuren")


def test_a_table_too_wide_for_the_text_is_set_in_a_smaller_type(tmp_path):
    """Column widths come from the content (typst measures it); a table whose columns do not
    fit at the tables' size is set smaller (8.8 pt against 9.4 pt: the notes' size, the least
    that reads well in print), a narrow one as designed."""
    import subprocess

    markdown = (":::: {.tabel}\n\n| Spørgsmål | Kommunens svar | Andelen, der svarer | "
                "Hele landet | N | Kommuner med 4.000 beboere og derover | N | Kommuner med under "
                "4.000 beboere | N |\n"
                "|:--|:--|:--|--:|--:|--:|--:|--:|--:|\n"
                "| Koordinatorens placering | En fagforvaltning | Borgmesterkontoret (fagneutral "
                "enhed) | 54 % | 37 | 56 % | 16 | 52 % | 21 |\n\n: Tabel 1. Bred {#tbl-bred}\n\n"
                "::::\n\n:::: {.tabel}\n\n| Region | Andel |\n|:--|--:|\n| Sjælland | 44,9 % |\n\n"
                ": Tabel 2. Smal {#tbl-smal}\n\n::::\n")
    pdf = tmp_path / "tabel.pdf"
    pdf.write_bytes(pandoc_typst.pdf_bytes(Document(body=markdown, metadata={"title": "R"})))
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    heights = {m.group(3): float(m.group(2)) - float(m.group(1)) for m in re.finditer(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', xhtml)}
    # smaller, but no smaller than reads well in print (8.8 pt against the tables' 9.4 pt)
    assert 0.92 * heights["Sjælland"] < heights["Borgmesterkontoret"] < 0.97 * heights["Sjælland"]


def test_a_short_column_stays_on_one_line_while_a_long_header_wraps(tmp_path):
    """Tabel 1 of the report: the regions' names on one line each, the long header over two
    or three lines, not five."""
    import subprocess

    markdown = (":::: {.tabel}\n\n| Region | Kommuner med helhedsplan | Heraf med 4.000 beboere "
                "og derover | Helhedsplaner | Beboere i områderne |\n|:--|--:|--:|--:|--:|\n"
                "| Region Hovedstaden | 11 | 3 | 27 | 62.280 |\n"
                "| Region Nordjylland | 5 | 1 | 9 | 11.680 |\n\n: Tabel 1. Regioner\n\n::::\n")
    pdf = tmp_path / "tabel.pdf"
    pdf.write_bytes(pandoc_typst.pdf_bytes(Document(body=markdown, metadata={"title": "R"})))
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    words = [(m.group(3), round(float(m.group(1)))) for m in re.finditer(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', xhtml)]
    y = dict(words)
    assert y["Hovedstaden"] == y["Region"] or any(
        w == "Region" and abs(top - y["Hovedstaden"]) < 2 for w, top in words)
    header_lines = {top for w, top in words if w in ("Heraf", "med", "4.000", "beboere", "og",
                                                     "derover") and top < y["Hovedstaden"]}
    assert len(header_lines) <= 3, header_lines


@pytest.mark.parametrize(("rows", "long"), [(7, "false"), (8, "true")])
def test_a_table_of_eight_rows_or_more_may_break(rows, long):
    body = "".join(f"| Region {i} | {i} |\n" for i in range(rows))
    markdown = f":::: {{.tabel}}\n\n| Region | N |\n|:--|--:|\n{body}\n: Tabel 1. Rækker\n\n::::\n"
    source = pandoc_typst.typst_source(Document(body=markdown, metadata={"title": "R"}))
    assert f'#kpb-tabel(caption: [#"Tabel 1. Rækker"], long: {long},' in source


def test_a_chapter_with_a_short_tail_is_set_tighter_so_that_the_tail_fits(tmp_path):
    """Copy-fitting (design.typ, kpb-kapitel): a chapter that would end with a few lines
    alone on its last page, before a chapter that opens a new page, is set a little tighter,
    and those lines go back onto the page before; a chapter whose tail is long stays as
    designed."""
    last_pages, firsts = [], set()
    for paragraphs in range(21, 28):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings = _pages(_chapters(paragraphs), folder)
        assert not warnings, (paragraphs, warnings)
        opens = next(i for i, page in enumerate(pages) if "Første kapitel" in page
                     and "Afsnit 1" in page)
        second = next(i for i, page in enumerate(pages) if "Andet kapitel" in page
                      and "Slut." in page)
        lines = [len(_text_lines(page)) for page in pages[opens:second]]
        last_pages.append((paragraphs, lines))
        firsts.add(lines[0])
    # no chapter ends with a few lines alone on a page of its own
    assert all(lines[-1] > 8 for _, lines in last_pages), last_pages
    # the tighter setting took them back: the chapter's first page holds more lines then
    assert len(firsts) > 1, last_pages


def test_a_chapter_whose_last_page_would_hold_only_its_last_figure_is_fitted(tmp_path):
    """Copy-fitting (design.typ, kpb-taethed, the marker kpb-tekst-slut): a chapter whose
    text ends at the foot of a page, with its last figure lacking a little room under it,
    would end on a page that holds only that figure; it is set a little tighter, and the
    figure goes back under the text. Only a figure that lacks more room than the tighter
    setting gives stands alone."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150">'
           '<rect width="300" height="150" fill="#0072B2"/></svg>')
    figure = ("::: {.figur}\n\n![Figur 1. X](fig-x.svg){#fig-x alt=\"Søjler.\"}\n\n"
              "::: {.kilde}\nKilde: K.\n:::\n\n:::\n")
    alone = []
    for paragraphs in range(19, 24):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings = _pages(_chapters(paragraphs, f"{figure}\n\n# Andet kapitel"),
                                 folder, svg)
        assert not warnings, (paragraphs, warnings)
        page = next(page for page in pages if "Figur 1. X" in page)
        if not any("Koordinatoren" in line or "forvaltningerne" in line
                   for line in _text_lines(page)):
            alone.append(paragraphs)
    # without the fitting, three of these lengths end with the figure alone
    assert len(alone) <= 1, alone


def test_a_chapters_last_boxes_never_stand_alone_on_its_last_page(tmp_path):
    """The boxes after a chapter's last paragraph, where the text ends at the foot of a page
    and they would stand alone on the chapter's last page, are set a few paragraphs earlier
    (design.typ, kpb-flyt): on the page where the text ran out of room, at its top, and the
    last paragraphs run on onto the chapter's last page."""
    aside = " ".join(["Et eksempel fra en kommune, hvor arbejdet blev delt op på en ny "
                      "måde, og hvor alle parter siden har mødtes oftere."] * 7)
    first = f"::: {{.eksempel}}\n**Eksempel: En kasse**\n\n{aside}\n:::\n"
    second = first.replace("En kasse", "Den anden kasse")
    alone = []
    for paragraphs in range(22, 30):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings = _pages(_chapters(paragraphs, f"{first}\n\n{second}\n\n# Andet kapitel"),
                                 folder)
        assert not warnings, (paragraphs, warnings)
        text = "\f".join(pages)
        assert text.index("Eksempel: En kasse") < text.index("Eksempel: Den anden kasse")
        end = next(i for i, page in enumerate(pages) if "Andet kapitel" in page
                   and "Slut." in page)
        if not any("forvaltningerne" in line or "Koordinatoren" in line
                   for line in _text_lines(pages[end - 1])):
            alone.append(paragraphs)
    assert not alone, alone


LOKAL = ("## Køge Kommune {.unnumbered .local}\n\nKøges egne svar begynder her. "
         + " ".join(["Kommunen svarer i spørgeskemaet som flertallet af kommunerne i sin "
                     "gruppe, og svaret viser, hvordan arbejdet er organiseret."] * 8)
         + "\n\nKøges sidste linje.\n")


def test_a_municipal_panel_never_stands_before_the_text_above_it(tmp_path):
    """A municipal panel (design_blocks.typ, kpb-lokal), the last thing in its chapter, is
    read after the chapter's text: it is never set above that text's last lines, and where it
    goes on to the next page, the page before is not left with a large gap."""
    checked = 0
    for paragraphs in range(20, 27):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        body = _chapters(paragraphs, LOKAL + "\n\n# Andet kapitel")
        pages, warnings = _pages(body, folder)
        assert not warnings, (paragraphs, warnings)
        text = "\f".join(pages)
        last = text.rindex("Koordinatoren")
        assert text.index("Køges egne svar begynder her.") > last, paragraphs
        assert text.index("Køges sidste linje.") < text.index("Andet kapitel\n"), paragraphs
        start = next(i for i, page in enumerate(pages) if "Køges egne svar begynder" in page)
        if _text_lines(pages[start])[0].strip().startswith("Køge Kommune"):
            checked += 1
            # it went on to a new page only where less than about a third of a page was left
            assert len(_text_lines(pages[start - 1])) > LINES_A_PAGE * 0.6, paragraphs


def test_a_short_section_that_runs_on_is_fitted_with_the_chapters_before_it(tmp_path):
    """Copy-fitting over a run (design.typ, kpb-taethed): front matter whose last section
    (an unnumbered chapter that does not open a new page) would end with a few lines alone
    on a page before the first numbered chapter is set a little tighter as a whole, from the
    run's first page, and those lines go back onto the page before."""
    last_pages = []
    for paragraphs in range(21, 28):
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        parts = [PARAGRAPH] * paragraphs
        body = ("# Forord {.unnumbered}\n\n" + "\n\n".join(parts)
                + "\n\n# Tilføjet {.unnumbered}\n\nKort afsnit til sidst.\n\n"
                + "# Første kapitel\n\nSlut.\n")
        pages, warnings = _pages(body, folder)
        assert not warnings, (paragraphs, warnings)
        opens = next(i for i, page in enumerate(pages) if "Forord" in page)
        first = next(i for i, page in enumerate(pages) if "Første kapitel" in page
                     and "Slut." in page)
        lines = [len(_text_lines(page)) for page in pages[opens:first]]
        last_pages.append((paragraphs, lines))
    # the short last section never stands with a few lines alone on a page of its own
    assert all(lines[-1] > 8 for _, lines in last_pages), last_pages


# A long table starts at a page's foot only with its heading and its first rows together
# (design_tables.typ, kpb-lang-foerste): never with one, two or three rows alone there.
LONG_TABLE = ("| Række | Antal |\n|:--|--:|\n" + "".join(f"| Række {i} | {i} |\n"
                                                     for i in range(1, 61))
              + "\n: Tabel 1. En lang tabel\n")


def _rows_where_the_table_starts(pages: list[str]) -> int:
    start = next(i for i, page in enumerate(pages) if "Tabel 1. En lang tabel" in page)
    return sum(1 for line in _text_lines(pages[start]) if re.match(r"\s*Række \d+", line))


def test_a_long_table_starts_with_at_least_four_rows(tmp_path):
    import subprocess

    import typst

    found, control = [], []
    # the table's start moves down the page a line at a time, to its foot
    for short in range(0, 8):
        body = ("# Kapitel\n\n" + "\n\n".join([PARAGRAPH] * 10 + ["Kort."] * short)
                + f"\n\n:::: {{.tabel}}\n\n{LONG_TABLE}\n::::\n\nSlut.\n")
        folder = tmp_path / str(short)
        folder.mkdir()
        pages, _ = _pages(body, folder)
        found.append(_rows_where_the_table_starts(pages))
        # the control: with room for two rows asked for, as before, some start with fewer
        source = (folder / "report.typ").read_text(encoding="utf-8")
        (folder / "report.typ").write_text(source.replace("#let kpb-lang-foerste = 4",
                                                          "#let kpb-lang-foerste = 2"))
        pdf = typst.compile(str(folder / "report.typ"), root=str(folder),
                            font_paths=[str(folder / "fonts")], ignore_system_fonts=True)
        (folder / "control.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(folder / "control.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        control.append(_rows_where_the_table_starts(text.split("\f")))
    assert all(rows == 0 or rows >= 4 for rows in found), found
    assert any(0 < rows < 4 for rows in control), control


def test_a_long_tables_source_stands_under_its_last_row_and_it_continues_with_its_number(
        tmp_path):
    """Sources stand under tables, a long one's too: under its last rows, on the page where it
    ends; each page it continues on is headed »Tabel 1 (fortsat)«."""
    body = ("# Kapitel\n\n" + PARAGRAPH + "\n\n:::: {.tabel}\n\n" + LONG_TABLE
            + "\n::: {.kilde}\nKilde: Registrene.\n:::\n::::\n\nSlut.\n")
    pages, warnings = _pages(body, tmp_path)
    assert not warnings, warnings
    text = "\f".join(pages)
    assert text.index("Række 60") < text.index("Kilde: Registrene.") < text.index("Slut.")
    assert "Tabel 1 (fortsat)" in " ".join(text.split())


COLOPHON = ("## Kolofon\n\nRapport – en prøve. Udgivet af Forlaget. "
            "Udarbejdet 1. december 2026.\n\n"
            + " ".join(["Rapporten bygger på en undersøgelse, hvis tal er konstrueret."] * 5)
            + "\n\nData: syntetiske eksempeldata.\n")


def test_the_kolofon_stands_once_at_the_foot_of_the_contents_page(tmp_path):
    """The kolofon stands once, on the back of the cover (the contents page, as in the 2015
    report), however much text the last page holds: never at the end of the report too."""
    for paragraphs in (9, 12, 14):
        body = ("# Kapitel\n\n" + "\n\n".join([PARAGRAPH] * paragraphs)
                + "\n\n# Bilag {.unnumbered}\n\n" + "\n\n".join([PARAGRAPH] * paragraphs)
                + "\n\n" + COLOPHON)
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages, warnings = _pages(body, folder)
        pages = [page for page in pages if page.strip()]
        assert not warnings, warnings
        found = [i for i, page in enumerate(pages) if "Udgivet af Forlaget" in page]
        assert len(found) == 1, f"{paragraphs} paragraphs: the kolofon on pages {found}"
        assert "Indholdsfortegnelse" in pages[found[0]], \
            f"{paragraphs} paragraphs: the kolofon on page {found[0] + 1}, not the contents page"
        assert all("Kolofon" not in page for page in pages[found[0] + 1:])


def test_a_numbered_list_before_a_chapters_last_box_stays_one_list(tmp_path):
    """A loose numbered list (blank lines between its items) in a chapter that ends with a
    box keeps its numbering: the markers design.typ places at paragraph starts never fall
    between two items."""
    items = "\n\n".join(f"{n}. Råd nummer {n}: {PARAGRAPH}" for n in range(1, 6))
    box = "::: {.eksempel}\n**Eksempel: En kasse**\n\nEn kort kasse.\n:::\n"
    pages, warnings = _pages(f"# Første kapitel\n\n{PARAGRAPH}\n\n{items}\n\n{box}", tmp_path)

    assert not warnings, warnings
    numbers = re.findall(r"^\s*(\d)\.\s+Råd nummer (\d)", "\n".join(pages), re.M)
    assert numbers == [(str(n), str(n)) for n in range(1, 6)]
