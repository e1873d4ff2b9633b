"""Packages: a rendered municipal folder sealed, opened, resealed, and listed for mail merge."""

import csv
import stat
from pathlib import Path

import pytest
import typst

from analysis.delivery import packages
from analysis.delivery.passphrases import KeyStore

SECRET = "Om politikernes prioritering svarer kommunen „tilfreds“."


def _rendered(folder: Path) -> dict[str, bytes]:
    """A folder as the renderer leaves it, plus a stray file made from the answers."""
    folder.mkdir(parents=True)
    source = folder / "doc.typ"
    source.write_text(SECRET, encoding="utf-8")
    files = {"rapport.html": f"<html><head><title>Kommunerne på banen</title></head>"
                             f"<body><p>{SECRET}</p></body></html>".encode(),
             "rapport.pdf": typst.compile(str(source), ignore_system_fonts=True),
             "tabeller.xlsx": b"PK\x03\x04 workbook",
             "provenance.json": b'{"kommune": "259"}\n'}
    source.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "_notebooks").mkdir()
    (folder / "_notebooks" / "01.ipynb").write_text(SECRET, encoding="utf-8")
    return files


def test_sealed_folder_holds_only_the_package_and_opens_to_the_same_bytes(tmp_path):
    folder = tmp_path / "kommuner" / "259-koege"
    files = _rendered(folder)

    written = packages.Sealing("hest5kaffe3sol").apply(folder, "259-koege", "Køge")

    assert sorted(p.name for p in folder.iterdir()) == ["rapport.html", "rapport.pdf"]
    assert written == ["rapport.html", "rapport.pdf"]
    assert packages.open_folder(folder, "hest5kaffe3sol") == files
    page = (folder / "rapport.html").read_text("utf-8")
    assert "<title>Kommunerne på banen: Køge Kommune (fortrolig)</title>" in page
    assert "tilfreds" not in page and b"tilfreds" not in (folder / "rapport.pdf").read_bytes()


def test_a_folder_with_no_report_is_refused(tmp_path):
    (tmp_path / "tom").mkdir()

    with pytest.raises(packages.PackageError, match="no rapport.html or rapport.pdf"):
        packages.seal_folder(tmp_path / "tom", "hest5kaffe", title="T")


def test_rotation_reseals_so_only_the_new_passphrase_opens(tmp_path):
    folder = tmp_path / "out" / "kommuner" / "259-koege"
    files = _rendered(folder)
    store = KeyStore(tmp_path / "keys" / "adgangsfraser.csv", tmp_path / "out")
    old = store.ensure({"259": "Køge"})["259"]
    packages.Sealing(old).apply(folder, "259-koege", "Køge")

    resealed = packages.rotate(store, "259", "Køge", folder)

    new = store.read()["259"]["adgangsfrase"]
    assert resealed and new != old
    assert packages.open_folder(folder, new) == files
    with pytest.raises(packages.PackageError):
        packages.open_folder(folder, old)
    assert not list((tmp_path / "out" / ".staging").iterdir())


def test_failed_rotation_keeps_the_old_passphrase(tmp_path):
    folder = tmp_path / "out" / "kommuner" / "259-koege"
    _rendered(folder)
    store = KeyStore(tmp_path / "keys" / "adgangsfraser.csv")
    old = store.ensure({"259": "Køge"})["259"]
    packages.Sealing("sealed5with2another").apply(folder, "259-koege", "Køge")

    with pytest.raises(packages.PackageError, match="does not open"):
        packages.rotate(store, "259", "Køge", folder)

    assert store.read()["259"]["adgangsfrase"] == old


def test_recipient_list_has_one_private_row_per_sealed_package(tmp_path):
    out = tmp_path / "out"
    store = KeyStore(tmp_path / "keys" / "adgangsfraser.csv", out)
    phrases = store.ensure({"259": "Køge", "461": "Odense"})
    _rendered(out / "kommuner" / "259-koege")
    packages.Sealing(phrases["259"]).apply(out / "kommuner" / "259-koege", "259-koege", "Køge")
    _rendered(out / "kommuner" / "461-odense")           # published openly: not listed
    manifest = {"reports": {
        "national": {"kommune": None, "folder": "national", "name": None},
        "259": {"kommune": "259", "name": "Køge", "folder": "kommuner/259-koege"},
        "461": {"kommune": "461", "name": "Odense", "folder": "kommuner/461-odense",
                "offentlig": True}}}

    path = packages.write_recipients(manifest, out, store)

    assert path == store.path.with_name("modtagere.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows == [{"kommune": "Køge Kommune", "kommunekode": "259",
                     "html": str(out / "kommuner/259-koege/rapport.html"),
                     "pdf": str(out / "kommuner/259-koege/rapport.pdf"),
                     "brugernavn": "259-koege", "adgangsfrase": phrases["259"]}]
