"""Each municipality gets its own report, and only its own.

What a municipality answered is found from the data (its row in the survey answers, the
codebook's labels) and looked up in its own report as printed there, e.g.
``Gensidig tillid: „hverken enig eller uenig“``. Those lines must be in nothing public (the
download page and everything under ``national/``), nor in plain text in the sealed page; the
sealed page and PDF open with the right passphrase only, in a real browser and in poppler,
to exactly what a plain render of the same inputs gives.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from sealed_packages import open_package, passphrase_for

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data"
FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1448928000", "TZ": "UTC", "PYTHONHASHSEED": "1",
       "LC_ALL": "C.UTF-8"}
WRONG = "forkert2frase"
WRONG_MESSAGE = "Adgangsfrasen passer ikke"
QUOTED = re.compile(r"[„»]([^“«]+)[“«]")


# ---------------------------------------------------------------- what each one answered

def _own_labels() -> dict[str, set[str]]:
    """``{kommunekode: {answer label, lower case}}`` from the answers file and the codebook."""
    book = yaml.safe_load((DATA / "survey" / "codebook.yaml").read_text("utf-8"))
    labelled = {q["id"]: q["answers"] for q in book["questions"] if q.get("answers")}
    done = book["survey"]["completion_column"], str(book["survey"]["completed_code"])
    labels: dict[str, set[str]] = {}
    with (DATA / "survey" / "besvarelser.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row[done[0]] != done[1]:
                continue
            own = labels.setdefault(str(int(row["kommunekode"])), set())
            for item, answers in labelled.items():
                if row.get(item, "").strip():
                    label = answers.get(int(float(row[item])))
                    if label:
                        own.add(label.lower())
    return labels


def _text(page: str, parser: str = "html.parser") -> str:
    return " ".join(BeautifulSoup(page, parser).get_text(" ").split())


def _own_answer_cell(cell) -> bool:
    """Whether a table cell is in the column of the municipality's own answer."""
    table = cell.find_parent("table")
    header = [" ".join(th.get_text(" ").split()) for th in table.find_all("th")]
    row = cell.find_parent("tr").find_all(["td", "th"])
    index = row.index(cell)
    return index < len(header) and header[index] == "Kommunens svar"


def own_answer_lines(page: str, labels: set[str]) -> list[str]:
    """The places the report prints one of the municipality's own answers: from the start of
    the sentence (or list item) to the quoted label, e.g. ``… har kommunen svaret »ja«``, or the
    table row whose cell is the answer."""
    lines = []
    for block in BeautifulSoup(page, "html.parser").find_all(["p", "li", "td"]):
        text = " ".join(block.get_text(" ").split())
        if block.name == "td" and text.lower() in labels and _own_answer_cell(block):
            question = block.find_parent("tr").find(["td", "th"])   # the row's first cell
            lines.append(" ".join(question.get_text(" ").split()) + " " + text)
            continue
        for match in QUOTED.finditer(text):
            if match.group(1).lower() in labels:
                stop = text.rfind(". ", 0, match.start())
                lines.append(text[stop + 2 if stop >= 0 else 0:match.end()].strip())
    return sorted(set(lines))


def _public_text(out: Path) -> dict[str, str]:
    """Every public file's text: everything in ``out`` but the municipal packages."""
    texts = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if not path.is_file() or rel.parts[0] in ("kommuner", ".staging"):
            continue
        if path.suffix == ".html":
            texts[str(rel)] = _text(path.read_text("utf-8"))
        elif path.suffix == ".pdf":
            texts[str(rel)] = " ".join(subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts[str(rel)] = " ".join(_text(book.read(n).decode("utf-8"), "xml")
                                           for n in book.namelist() if n.endswith(".xml"))
        else:
            texts[str(rel)] = " ".join(path.read_text("utf-8", errors="replace").split())
    return texts


# ---------------------------------------------------------------- the whole batch
# ``batch``: ``rapport render --all`` with its own passphrase file, beside (not in) the outputs
# (see ``batch_render`` in the root conftest).

@pytest.fixture(scope="module")
def own_answers(batch) -> dict[Path, list[str]]:
    """``{package folder: the lines of its opened page that print its own answers}``."""
    labels = _own_labels()
    answers = {}
    for folder in sorted((batch.out / "kommuner").iterdir()):
        page = open_package(folder, batch.keys)["rapport.html"].decode("utf-8")
        answers[folder] = own_answer_lines(page, labels.get(folder.name.split("-")[0], set()))
    return answers


def test_no_municipal_answer_is_in_any_public_file(batch, own_answers):
    out, keys = batch
    labels = _own_labels()
    public = _public_text(out)
    assert {"index.html", "national/rapport.html", "national/rapport.pdf",
            "national/tabeller.xlsx"} <= set(public)
    checked = 0
    for folder, lines in own_answers.items():
        code = folder.name.split("-")[0]
        if labels.get(code):    # it answered something besides "Ved ikke"
            assert lines, f"{folder.name}: its own answers were not found in its report"
            checked += 1
        for line in lines:
            for name, text in public.items():
                assert line not in text, f"{folder.name}'s answer {line!r} is in {name}"
    assert checked == len([c for c in labels if labels[c]]) and len(labels) == 41
    assert len(own_answers) == 44


def test_sealed_pages_hold_none_of_their_answers_in_plain_text(own_answers):
    for folder, lines in own_answers.items():
        sealed = (folder / "rapport.html").read_text("utf-8")
        for line in lines:
            quoted = QUOTED.search(line)
            assert line not in sealed and (quoted is None or quoted.group(0) not in sealed)
        assert "Kommunerne på banen" in sealed        # the locked page says what it is


def test_index_links_only_public_files(batch):
    out, _ = batch
    index = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")

    hrefs = [a["href"] for a in index.find_all("a", href=True)]

    assert sorted(hrefs) == ["national/rapport.html", "national/rapport.pdf",
                             "national/tabeller.xlsx"]
    assert all((out / h).is_file() for h in hrefs)
    assert "fortrolige" in index.get_text()


def test_passphrases_are_outside_outputs_and_only_the_owner_reads_them(batch):
    out, keys = batch

    assert keys.is_file() and out.resolve() not in keys.resolve().parents
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    recipients = keys.with_name("modtagere.csv")
    assert stat.S_IMODE(recipients.stat().st_mode) == 0o600
    assert not [p for p in out.rglob("*.csv")]
    rows = list(csv.DictReader(recipients.open(encoding="utf-8")))
    assert len(rows) == 44 == len({r["adgangsfrase"] for r in rows})
    for row in rows:
        folder = Path(row["html"]).parent
        assert Path(row["pdf"]).is_file() and folder.parent == out / "kommuner"
        assert row["adgangsfrase"] == passphrase_for(folder, keys)
    text = "\n".join(p.read_text("utf-8", errors="replace") for p in out.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json"))
    assert not any(r["adgangsfrase"] in text for r in rows)


def test_rerender_keeps_passphrases_and_rotation_changes_one(batch, tmp_path):
    """On a copy of the batch's outputs and passphrase file: a forced render of Køge keeps
    every passphrase, a rotation changes Køge's only, and a changed passphrase file makes the
    next render seal again."""
    out, keys = tmp_path / "outputs", tmp_path / "noegler" / "adgangsfraser.csv"
    shutil.copytree(batch.out, out)
    shutil.copytree(batch.keys.parent, keys.parent)
    before = {r["kommunekode"]: r["adgangsfrase"]
              for r in csv.DictReader(keys.open(encoding="utf-8"))}
    env = {**ENV, "RAPPORT_NOEGLER": str(keys)}

    again = subprocess.run([sys.executable, "-m", "analysis", "render", "--kommune", "Køge",
                            "--force", "--out", str(out)], capture_output=True, text=True,
                           env=env, cwd=PROJECT)
    kept = {r["kommunekode"]: r["adgangsfrase"]
            for r in csv.DictReader(keys.open(encoding="utf-8"))}
    rotated = subprocess.run([sys.executable, "-m", "analysis", "rotate-passphrase", "Køge",
                              "--out", str(out)], capture_output=True, text=True, env=env,
                             cwd=PROJECT)
    after = {r["kommunekode"]: r["adgangsfrase"]
             for r in csv.DictReader(keys.open(encoding="utf-8"))}

    assert again.returncode == 0 and rotated.returncode == 0, again.stderr + rotated.stderr
    assert "1 rendered, 0 skipped" in again.stderr, again.stderr      # --force renders again
    assert kept == before
    assert after["259"] != before["259"]
    assert {k: v for k, v in after.items() if k != "259"} == \
        {k: v for k, v in before.items() if k != "259"}
    assert sorted(open_package(out / "kommuner" / "259-koege", keys)) == sorted(FILES)
    pdf = out / "kommuner" / "259-koege" / "rapport.pdf"
    assert subprocess.run(["pdftotext", "-upw", after["259"], str(pdf), "-"],
                          capture_output=True).returncode == 0
    assert subprocess.run(["pdftotext", "-upw", before["259"], str(pdf), "-"],
                          capture_output=True).returncode != 0
    # The manifest knows which passphrase sealed the package, so a render after the key file
    # changed seals again, and never leaves a package the recipient list cannot open.
    keys.write_text(keys.read_text("utf-8").replace(after["259"], after["259"][::-1]), "utf-8")
    keys.write_text("\n".join(",".join(line.split(",")[:3] + ["ny"]) if line.startswith("259,")
                              else line for line in keys.read_text("utf-8").split("\n")), "utf-8")
    resealed = subprocess.run([sys.executable, "-m", "analysis", "render", "--kommune", "Køge",
                               "--out", str(out)], capture_output=True, text=True, env=env,
                              cwd=PROJECT)
    assert "1 rendered" in resealed.stderr, resealed.stderr
    assert sorted(open_package(out / "kommuner" / "259-koege", keys)) == sorted(FILES)


# ---------------------------------------------------------------- Køge, opened as a reader

@pytest.fixture(scope="module")
def plain(plain_koege_render) -> Path:
    """Køge's report rendered plain by the library, from the same inputs as the CLI render
    (no sealing): what the reader must get back when the package is opened."""
    return plain_koege_render.out / "kommuner" / "259-koege"


def test_opened_package_is_byte_identical_to_the_plain_render(reports, plain):
    opened = reports["koege"].folder

    for name in FILES:
        assert (opened / name).read_bytes() == (plain / name).read_bytes(), name


def test_two_packages_of_one_report_differ_as_ciphertext(reports, batch_reports, batch):
    a, b = reports["koege"].package, batch_reports["koege"].package

    assert (a / "rapport.html").read_bytes() != (b / "rapport.html").read_bytes()
    assert (a / "rapport.pdf").read_bytes() != (b / "rapport.pdf").read_bytes()
    assert open_package(a) == open_package(b, batch.keys)


def test_pdf_does_not_open_without_the_passphrase(reports, plain, tool):
    pdftotext = tool("pdftotext")
    pdf = reports["koege"].package / "rapport.pdf"
    phrase = passphrase_for(reports["koege"].package)

    closed = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True)
    wrong = subprocess.run([pdftotext, "-upw", WRONG, str(pdf), "-"], capture_output=True,
                           text=True)
    opened = subprocess.run([pdftotext, "-upw", phrase, str(pdf), "-"], capture_output=True,
                            text=True)
    expected = subprocess.run([pdftotext, str(plain / "rapport.pdf"), "-"],
                              capture_output=True, text=True)

    assert closed.returncode != 0 and closed.stdout == ""
    assert wrong.returncode != 0 and wrong.stdout == ""
    assert opened.returncode == 0 and opened.stdout == expected.stdout
    info = subprocess.run([tool("pdfinfo"), "-upw", phrase, str(pdf)], capture_output=True,
                          text=True)
    assert "AES-256" in info.stdout


def _body_text(page) -> str:
    return page.evaluate("() => document.body.innerText")


def test_browser_shows_the_report_with_the_right_passphrase_only(reports, plain, open_report,
                                                                 artifacts):
    package = reports["koege"].package
    labels = _own_labels()["259"]
    lines = own_answer_lines((plain / "rapport.html").read_text("utf-8"), labels)
    with open_report(plain / "rapport.html") as shown:
        expected = _body_text(shown.page)

    with open_report(package / "rapport.html") as opened:
        page = opened.page
        page.fill("#frase", WRONG)
        page.click("#aabn")
        page.wait_for_selector("#besked.fejl", timeout=60_000)
        refused = _body_text(page)
        page.screenshot(path=str(artifacts / "forseglet-forkert.png"))
        page.fill("#frase", passphrase_for(package))
        page.click("#aabn")
        page.wait_for_function("() => !document.getElementById('frase')", timeout=60_000)
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        shown_text = _body_text(page)
        page.screenshot(path=str(artifacts / "forseglet-aabnet.png"))
        with page.expect_download() as download:
            page.click("nav.downloads a[download='tabeller.xlsx']")
        workbook = Path(download.value.path()).read_bytes()

    assert WRONG_MESSAGE in refused
    assert len(lines) >= 3 and not any(line in refused for line in lines)
    assert shown_text == expected
    shown_words = " ".join(shown_text.split())      # table cells are tab-separated in innerText
    assert all(" ".join(line.split()) in shown_words for line in lines)
    assert workbook == (plain / "tabeller.xlsx").read_bytes()
    assert opened.blocked == [] and opened.page_errors == [] and opened.console_errors == []


# ---------------------------------------------------------------- the switch

def test_public_switch_publishes_municipal_reports_openly(public_kommune_renders):
    """Køge and Hørsholm rendered with --offentlige-kommunerapporter (html only)."""
    out = public_kommune_renders.out

    index = (out / "index.html").read_text("utf-8")
    assert 'href="kommuner/259-koege/rapport.html"' in index
    page = (out / "kommuner" / "259-koege" / "rapport.html").read_text("utf-8")
    assert own_answer_lines(page, _own_labels()["259"]) and 'id="pakke"' not in page
    # nothing sealed, no passphrase made
    assert not (public_kommune_renders.dir / "ingen-noegler" / "adgangsfraser.csv").exists()
