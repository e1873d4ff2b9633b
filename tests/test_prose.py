"""The report's prose as a reader gets it: pinned by snapshots, and following the data.

The prose lives in the notebooks' markdown cells. A snapshot of the rendered text of each part
(the cover and each top-level section: every chapter, the front matter's sections, the
Litteratur and the Bilag) of three reports (national, Køge, and Hørsholm, which did not answer)
makes every change of wording show up in review as a small diff of the part it touches: after
an intended change, run ``make snapshots`` (``pytest tests/test_prose.py --snapshot-update``)
and commit the updated snapshots.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pypandoc
import pytest

from changed_data import COORDINATOR, NO_COORDINATOR, SMALL

pytestmark = pytest.mark.e2e
# the colour codes of syrupy's diff, taken out of a failure message
ANSI = re.compile(r"\x1b\[[0-9;]*m")
REPORTS = {"national": "national", "koege": "kommuner/259-koege",
           "hoersholm": "kommuner/223-hoersholm"}


def _plain(html_fragment: str) -> str:
    """Plain text of an HTML fragment, one block a line, with soft hyphens taken out."""
    text = pypandoc.convert_text(html_fragment, "plain", format="html",
                                 extra_args=["--wrap=none"])
    text = text.replace("\u00ad", "")   # soft hyphens: break points, not text
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def reader_parts(html: Path) -> dict[str, str]:
    """The report's text part by part: ``forside`` (the cover and the contents), then each
    top-level section of the body by its heading's id."""
    tree = lxml.html.fromstring(html.read_bytes())
    cover = [" ".join(e.text_content().split()) for e in tree.xpath("//header//*[self::h1 or "
                                                                     "self::p]")]
    contents = "".join(lxml.html.tostring(e, encoding="unicode") for e in tree.xpath("//nav"))
    parts = {"forside": "\n".join(cover) + "\n\n" + _plain(contents)}
    main = tree.xpath("//main")[0]
    current, chunks = None, []
    for element in main:
        if element.tag == "h2":
            if current is not None:
                parts[current] = _plain("".join(chunks))
            current, chunks = element.get("id"), []
        if current is not None:
            chunks.append(lxml.html.tostring(element, encoding="unicode", with_tail=False))
    if current is not None:
        parts[current] = _plain("".join(chunks))
    return parts


def reader_text(html: Path) -> str:
    """The report's whole text, part after part."""
    return "\n".join(reader_parts(html).values())


@pytest.fixture(scope="module")
def rendered(national_html_render, public_kommune_renders) -> dict[str, Path]:
    """Each report's page: the national report in html only, and Køge's and Hørsholm's
    published openly (so that their text can be read without the passphrase), see the root
    conftest."""
    return {"national": national_html_render.out / REPORTS["national"],
            **{key: public_kommune_renders.out / REPORTS[key] for key in ("koege", "hoersholm")}}


@pytest.mark.parametrize("key", REPORTS)
def test_rendered_text_matches_the_snapshots(rendered, key, snapshot):
    # one snapshot per part, all compared before the test fails, so one reviewed diff per part
    parts = reader_parts(rendered[key] / "rapport.html")
    assert len(parts) > 8                       # the cover and the report's sections
    changed = {}
    for name, text in parts.items():
        if not snapshot(name=name) == text:
            # syrupy's own diff of this comparison, its colours taken out: the lines that
            # changed, old (-) and new (+)
            changed[name] = ANSI.sub("", "\n".join(snapshot.get_assert_diff()))
    if changed:
        pytest.fail(f"the text of these parts of {key} changed: {list(changed)}\n"
                    + "\n".join(f"--- {name}\n{diff}" for name, diff in changed.items())
                    + "\nAfter reading it through: make snapshots (docs/notebooks.md, "
                    "Check your change).", pytrace=False)


def test_the_cover_says_what_the_report_is(rendered):
    national = reader_text(rendered["national"] / "rapport.html")
    koege = reader_text(rendered["koege"] / "rapport.html")

    assert "syntetiske eksempeldata" in national and "offentliggøres" not in national
    assert "Køge Kommune" in koege.split("Indholdsfortegnelse")[0]
    # an open edition on example data says why it is open, and claims no municipality's consent
    assert "Udgaven er offentlig, fordi den bygger på eksempeldata" in koege
    assert "har givet tilladelse" not in koege


def test_the_colophon_is_a_publishers(rendered):
    # title, the title page's publisher line, what the data are and the date: no input files,
    # hashes or code versions (those are in provenance.json, which goes with the report)
    def colophon_of(key: str) -> str:
        bilag = reader_parts(rendered[key] / "rapport.html")["bilag"]
        assert "\nKolofon\n" in bilag
        return bilag.split("\nKolofon\n", 1)[1]

    for key in ("national", "koege"):
        colophon = colophon_of(key)
        assert "Kommunerne på banen" in colophon and "Ny udgave på grundlag af CFBU og KL (2015)" \
            in colophon
        assert "Data: syntetiske eksempeldata" in colophon
        assert re.search(r"Udarbejdet \d+\.\s\w+\s\d{4}", colophon)
        assert not re.search(r"\b\w+\.(?:csv|yaml|xlsx|sav|json)\b|\b[0-9a-f]{12}\b|fingeraftryk"
                             r"|version", colophon), colophon
    assert "Køge Kommune: egne svar og landsbilledet" in colophon_of("koege")


def test_a_non_respondent_gets_one_plain_statement_and_no_own_tables(rendered):
    text = reader_text(rendered["hoersholm"] / "rapport.html")

    # the shipped data: Hørsholm began the questionnaire and left it unfinished (statoverall_4
    # is 0); an unfinished answer is left out of the analysis, so the edition says plainly, once,
    # that the municipality did not answer, and nothing of what it began to answer
    assert text.count("Hørsholm Kommune har ikke besvaret spørgeskemaet") == 1
    assert "ufuldstændig" not in text and "nåede at give" not in text
    assert "Anbefalinger til" not in text
    assert "Kommunens svar" not in text


def test_national_report_has_no_municipal_passages(rendered):
    text = reader_text(rendered["national"] / "rapport.html")

    assert "Denne udgave er lavet til" not in text
    assert "Anbefalinger til" not in text
    assert "Fra interviewene i" not in text


def _chapter_text(html: Path, heading_id: str) -> str:
    """The text of one chapter: its heading and everything up to the next chapter heading."""
    tree = lxml.html.fromstring(html.read_bytes())
    heading = tree.get_element_by_id(heading_id)
    parts = [heading.text_content()]
    for sibling in heading.itersiblings():
        if sibling.tag == heading.tag:
            break
        parts.append(sibling.text_content())
    return re.sub(r"\s+", " ", " ".join(parts).replace("\u00a0", " ").replace("\u00ad", ""))


def test_chapter_text_follows_the_data(changed_data_render, published_counts):
    """The national report from the data changed as ``changed_data`` describes (three
    coordinators now say they have no coordinator, one small municipality is large)."""
    before = published_counts()
    assert before["har_koordinator"] == (37, 41)
    assert before["smaa_kommuner_under_4000"] == (28, 44)

    chapter = _chapter_text(changed_data_render.out / "national" / "rapport.html",
                            "kap-helhedsplaner")

    # every count is printed with its base: »64 % (28 af 44)«; the shares follow the counts
    assert f"({SMALL[0]} af {SMALL[1]}) af kommunerne bor der under" in chapter
    def pct(a: int, b: int) -> str:      # 27 of 44 is 61 %: none of these is a half
        return f"{round(100 * a / b)} %"

    assert f"{pct(*SMALL)} ({SMALL[0]} af {SMALL[1]})" in chapter
    assert (f"Af de kommuner, der har svaret, har {pct(*COORDINATOR)} "
            f"({COORDINATOR[0]} af {COORDINATOR[1]}) givet") in chapter
    assert NO_COORDINATOR == 7 and (
        f"I {pct(NO_COORDINATOR, COORDINATOR[1])} ({NO_COORDINATOR} af {COORDINATOR[1]}) af "
        f"de kommuner, der har svaret, er der ingen koordinator") in chapter
    assert "37 af 41" not in chapter and "(28 af 44)" not in chapter
