"""The report's prose as a reader gets it: pinned by snapshots, and following the data.

The prose lives in the notebooks' markdown cells. A snapshot of the rendered text of three
reports (national, Køge, and Hørsholm, which did not answer) makes every change of wording
show up in review: after an intended change, run
``pytest tests/test_prose.py --snapshot-update`` and commit the updated snapshot.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pandas as pd
import pypandoc
import pytest

pytestmark = pytest.mark.e2e
SOURCE_DATE_EPOCH = "1448928000"   # 1 December 2015
REPORTS = {"national": "national", "koege": "kommuner/259-koege",
           "hoersholm": "kommuner/223-hoersholm"}


def _render(out: Path, *args: str, data: Path | None = None) -> None:
    command = [sys.executable, "-m", "analysis", "render", "--out", str(out),
               "--format", "html", *args]
    if data is not None:
        command += ["--data", str(data)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def reader_text(html: Path) -> str:
    """The report's text, one block a line, with the code version (which changes with every
    commit) masked."""
    tree = lxml.html.fromstring(html.read_bytes())
    cover = [" ".join(e.text_content().split()) for e in tree.xpath("//header//*[self::h1 or "
                                                                     "self::p]")]
    text = "\n".join(cover) + "\n\n" + pypandoc.convert_file(
        str(html), "plain", format="html", extra_args=["--wrap=none"])
    text = text.replace("\u00ad", "")   # soft hyphens: break points, not text
    text = re.sub(r"\(kode [^)]*\)", "(kode …)", text)
    text = re.sub(r"version \S+ af rapportværktøjet", "version … af rapportværktøjet", text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prose")
    _render(out)
    # published openly, so that the text can be read without the passphrase
    _render(out, "--kommune", "Køge", "--kommune", "Hørsholm", "--offentlige-kommunerapporter")
    return out


@pytest.mark.parametrize("key", REPORTS)
def test_rendered_text_matches_the_snapshot(rendered, key, snapshot):
    assert reader_text(rendered / REPORTS[key] / "rapport.html") == snapshot


def test_the_cover_says_what_the_report_is(rendered):
    national = reader_text(rendered / "national" / "rapport.html")
    koege = reader_text(rendered / REPORTS["koege"] / "rapport.html")

    assert "syntetiske eksempeldata" in national and "offentliggøres" not in national
    assert "Køge Kommune" in koege.split("Indholdsfortegnelse")[0]
    assert "Rapporten offentliggøres" in koege


def test_a_non_respondent_gets_one_plain_statement_and_no_own_tables(rendered):
    text = reader_text(rendered / REPORTS["hoersholm"] / "rapport.html")

    assert "Hørsholm Kommune besvarede ikke spørgeskemaet" in text
    assert "Anbefalinger til" not in text
    assert "Kommunens svar" not in text


def test_national_report_has_no_municipal_passages(rendered):
    text = reader_text(rendered / "national" / "rapport.html")

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
    return re.sub(r"\s+", " ", " ".join(parts).replace("\u00a0", " "))


def test_chapter_text_follows_the_data(tmp_path, data_copy, published_counts):
    # Arrange: three coordinators now say they have no coordinator, and one small municipality
    # gets 4,500 residents in its areas, so it is large. Expected counts, worked out from the
    # published ones: coordinator 37 -> 34 of 41, none 4 -> 7, small 28 -> 27 of 44.
    survey = data_copy / "survey" / "besvarelser.csv"
    answers = pd.read_csv(survey, dtype=str, keep_default_na=False)
    switch = answers.index[(answers["har_koordinator"] == "1")
                           & (answers["statoverall_4"] == "1")][:3]
    answers.loc[switch, "har_koordinator"] = "2"
    answers.loc[switch, "koordinator_placering"] = ""
    answers.to_csv(survey, index=False)
    register = data_copy / "register" / "helhedsplaner.csv"
    reg = pd.read_csv(register, dtype=str)
    small = reg.index[reg["beboere_i_omraader"].astype(int) < 4000][0]
    reg.loc[small, "beboere_i_omraader"] = "4500"
    reg.to_csv(register, index=False)
    before = published_counts()
    assert before["har_koordinator"] == (37, 41)
    assert before["smaa_kommuner_under_4000"] == (28, 44)

    _render(tmp_path / "out", data=data_copy)
    chapter = _chapter_text(tmp_path / "out" / "national" / "rapport.html",
                            "kommuner-med-helhedsplaner")

    assert "I 27 af de 44 kommuner" in chapter
    assert "ansvaret: 34 af 41" in chapter
    assert "7 kommuner har ikke udpeget nogen" in chapter
    assert "37 af 41" not in chapter and "I 28 af de 44" not in chapter
