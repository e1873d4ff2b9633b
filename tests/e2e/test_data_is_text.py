"""Data is text, never markup: strings from every kind of input reach the HTML and the PDF as
typed, in a real Chromium no script runs and no such link exists.

Each kind of data string carries markup of another language: HTML (``<script>``,
``<img onerror>``), markdown (emphasis, a ``javascript:`` link), typst code (``#read``) and
maths (``$x^2$``).
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from shared_renders import FIRST_ENV, RAPPORT, background_render

pytestmark = pytest.mark.e2e
SCRIPT = "<script>alert(2)</script>"
IMAGE = '<img src=x onerror="alert(1)">'
LINK = "[klik](javascript:alert(5))"
# (where it goes, the string) — each prints in the report
EXCERPT = f"Vi har {SCRIPT} og {LINK} og **fed** tekst #read(\"/etc/hostname\") $x^2$."
ROLE = f"Kommunal taktiker {IMAGE} *skrå*"
NAME = "Køge *fed* <b>x</b> $y$ #sym"
QUESTION = f"Har kommunen en koordinator? {IMAGE} [se](javascript:alert(3)) #box[x]"


def _poison(data: Path) -> None:
    excerpts = data / "interviews" / "excerpts.csv"
    with excerpts.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["excerpt_id"] == "R01":         # Køge's, cleared to be tied to it
            row["tekst"], row["rolle"] = EXCERPT, ROLE
    with excerpts.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    codebook = data / "interviews" / "codebook.yaml"
    raw = yaml.safe_load(codebook.read_text("utf-8"))
    raw["roles"].append(ROLE)
    codebook.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    kommuner = data / "reference" / "kommuner.csv"
    kommuner.write_text(kommuner.read_text("utf-8").replace("259,Køge,", f'259,"{NAME}",'),
                        "utf-8")
    survey = data / "survey" / "codebook.yaml"
    raw = yaml.safe_load(survey.read_text("utf-8"))
    for q in raw["questions"]:
        if q["id"] == "har_koordinator":
            q["text"] = QUESTION
    survey.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")


# The poisoned data, rendered published openly: the national report and Køge's, at once.
RENDER = [*RAPPORT, "render", "--data", "{data}", "--out", "{out}",
          "--offentlige-kommunerapporter"]
poisoned_national = background_render("poisoned_national", RENDER, env=FIRST_ENV,
                                      prepare=_poison)
poisoned_koege = background_render("poisoned_koege", [*RENDER, "--kommune", "259"],
                                   env=FIRST_ENV, prepare=_poison)


@pytest.fixture(scope="module")
def rendered(poisoned_national, poisoned_koege):
    return {"national": poisoned_national.out / "national",
            "kommune": next((poisoned_koege.out / "kommuner").glob("259-*"))}


def _pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


def _visible(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_no_script_runs_and_no_injected_link_exists(rendered, browser):
    for folder in rendered.values():
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:")) else route.abort())
        page.goto((folder / "rapport.html").as_uri())
        page.wait_for_timeout(500)
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        injected = page.eval_on_selector_all("script:not([type]), img[onerror]",
                                             "els => els.length")
        text = _visible(page.inner_text("body"))
        page.close()
        assert dialogs == []
        assert not [href for href in links if href.lower().startswith("javascript")]
        assert injected == 0
        assert "fed" in text and "<b>x</b>" in text or folder == rendered["national"]


def test_every_data_string_prints_as_typed_in_html_and_pdf(rendered, browser):
    page = browser.new_page()
    page.goto((rendered["kommune"] / "rapport.html").as_uri())
    html_text = _visible(page.inner_text("body"))
    page.close()
    pdf_text = _pdf_text(rendered["kommune"] / "rapport.pdf")

    for typed in (EXCERPT, ROLE, NAME, QUESTION):
        assert _visible(typed) in html_text, typed
    # the PDF breaks lines (also where a string has no space): compare without white space
    pdf_compact = re.sub(r"[\s\u00ad]", "", pdf_text)
    for piece in ("<script>alert(2)</script>", "[klik](javascript:alert(5))", "**fed**",
                  '#read("/etc/hostname")', "$x^2$", '<img src=x onerror="alert(1)">',
                  "*skrå*", "Køge *fed* <b>x</b> $y$ #sym"):
        assert re.sub(r"\s", "", piece) in pdf_compact, piece
