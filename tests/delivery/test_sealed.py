"""Sealed files: the HTML page's payload (AES-GCM, PBKDF2-SHA-256) and the AES-256 PDF."""

import base64
import shutil
import subprocess

import pytest
import typst
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from analysis.delivery import sealed

PHRASE = "hest5kaffe3sol8bord7cykel4kat"
SECRET = "Om politikernes prioritering svarer kommunen „hverken tilfreds eller utilfreds“."
FILES = {"rapport.html": f"<html><title>T</title><p>{SECRET}</p></html>".encode(),
         "tabeller.xlsx": b"PK\x03\x04 workbook bytes",
         "provenance.json": b'{"kommune": "259"}\n'}


def _own_decrypt(page: bytes, passphrase: str) -> dict[str, bytes]:
    """The page's format decrypted step by step, as the browser's script does it."""
    content = sealed.read_payload(page)
    kdf = content["kdf"]
    assert (kdf["name"], kdf["hash"], content["cipher"]) == ("PBKDF2", "SHA-256", "AES-GCM")
    key = PBKDF2HMAC(hashes.SHA256(), 32, base64.b64decode(kdf["salt"]),
                     kdf["iterations"]).derive(passphrase.encode())
    return {f["name"]: AESGCM(key).decrypt(base64.b64decode(f["nonce"]),
                                           base64.b64decode(f["data"]), f["name"].encode())
            for f in content["files"]}


@pytest.fixture(scope="module")
def page() -> bytes:
    return sealed.seal_html(FILES, PHRASE, title="Kommunerne på banen: Køge Kommune")


def test_page_decrypts_to_exactly_the_files_sealed(page):
    assert _own_decrypt(page, PHRASE) == FILES
    assert sealed.open_html(page, PHRASE) == FILES


def test_page_uses_600000_rounds_a_random_salt_and_a_nonce_per_file(page):
    content = sealed.read_payload(page)

    assert content["kdf"]["iterations"] >= 600_000
    assert len(base64.b64decode(content["kdf"]["salt"])) == 16
    nonces = [base64.b64decode(f["nonce"]) for f in content["files"]]
    assert all(len(n) == 12 for n in nonces) and len(set(nonces)) == len(nonces)


def test_two_seals_of_the_same_files_differ_and_both_open(page):
    other = sealed.seal_html(FILES, PHRASE, title="Kommunerne på banen: Køge Kommune")

    a, b = sealed.read_payload(page), sealed.read_payload(other)
    assert a["kdf"]["salt"] != b["kdf"]["salt"]
    assert [f["data"] for f in a["files"]] != [f["data"] for f in b["files"]]
    assert sealed.open_html(other, PHRASE) == FILES


def test_page_holds_no_plain_text_of_the_report(page):
    text = page.decode("utf-8")

    assert "hverken tilfreds" not in text and "politikernes" not in text
    assert base64.b64encode(FILES["rapport.html"]).decode()[:24] not in text
    assert "Køge Kommune" in text          # the locked page says whose report it is


def test_wrong_passphrase_and_tampering_are_refused(page):
    with pytest.raises(sealed.WrongPassphrase):
        sealed.open_html(page, PHRASE.replace("hest", "hund"))
    content = sealed.read_payload(page)
    data = bytearray(base64.b64decode(content["files"][0]["data"]))
    data[10] ^= 1
    tampered = page.decode().replace(content["files"][0]["data"], base64.b64encode(data).decode())
    with pytest.raises(sealed.WrongPassphrase):
        sealed.open_html(tampered.encode(), PHRASE)


def test_page_is_one_file_that_asks_no_other_host(page):
    text = page.decode("utf-8")

    assert "default-src 'none'" in text
    assert "http://" not in text and "https://" not in text and " src=" not in text
    assert 'lang="da"' in text and "Adgangsfrasen passer ikke" in text


def _tiny_pdf(tmp_path) -> bytes:
    source = tmp_path / "doc.typ"
    source.write_text(f"#set text(lang: \"da\")\n{SECRET}\n", encoding="utf-8")
    return typst.compile(str(source), ignore_system_fonts=True)


def _pdftotext(*args: str) -> subprocess.CompletedProcess:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("'pdftotext' is not installed: apt-get install poppler-utils", pytrace=False)
    return subprocess.run([tool, *args], capture_output=True, text=True)


def test_pdf_opens_only_with_the_passphrase(tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(sealed.seal_pdf(_tiny_pdf(tmp_path), PHRASE))

    closed = _pdftotext(str(path), "-")
    wrong = _pdftotext("-upw", "forkert", str(path), "-")
    opened = _pdftotext("-upw", PHRASE, str(path), "-")

    assert closed.returncode != 0 and "hverken" not in closed.stdout
    assert wrong.returncode != 0
    assert opened.returncode == 0 and "hverken tilfreds eller utilfreds" in opened.stdout
    assert b"hverken" not in path.read_bytes()
    info = subprocess.run(["pdfinfo", "-upw", PHRASE, str(path)], capture_output=True,
                          text=True)
    assert "AES-256" in info.stdout


def test_pdf_passphrase_longer_than_readers_take_is_refused(tmp_path):
    with pytest.raises(ValueError, match="32 bytes"):
        sealed.seal_pdf(_tiny_pdf(tmp_path), "x" * 33)


def test_the_sealed_pdf_keeps_typsts_metadata_as_pikepdfs_default_would(tmp_path):
    """The PDF is sealed without pikepdf's rewrite of the XMP's PDF version. For typst's PDFs
    that rewrite changes no property (typst states the version already), only the XMP's
    layout: the sealed document keeps the plain one's XMP as typst wrote it."""
    import io

    import pikepdf

    plain = _tiny_pdf(tmp_path)

    def opened(pdf: bytes, password: str = "") -> tuple:
        with pikepdf.open(io.BytesIO(pdf), password=password) as document:
            xmp = document.Root.Metadata.read_bytes()    # before pikepdf's reader rewrites it
            with document.open_metadata(set_pikepdf_as_editor=False) as meta:
                properties = dict(meta)
            return (xmp, properties, dict(document.docinfo), document.pdf_version,
                    document.extension_level)

    with pikepdf.open(io.BytesIO(plain)) as document:
        defaults = io.BytesIO()
        document.save(defaults, encryption=pikepdf.Encryption(owner=PHRASE, user=PHRASE, R=6))
    ours = opened(sealed.seal_pdf(plain, PHRASE), PHRASE)
    theirs = opened(defaults.getvalue(), PHRASE)

    assert ours[1]["{http://ns.adobe.com/pdf/1.3/}PDFVersion"] == "1.7"
    assert ours[1]["{http://purl.org/dc/elements/1.1/}language"] == {"da"}
    assert ours[1:] == theirs[1:]
    assert ours[0] == opened(plain)[0]
