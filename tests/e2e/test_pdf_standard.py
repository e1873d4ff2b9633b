"""The standards the reports claim, and keep: the national PDF is PDF/UA-1 (accessible) and
PDF/A-2a (archivable) and says so in its XMP metadata; a municipal report's sealed PDF is
encrypted, so it cannot be PDF/A, but it stays tagged and PDF/UA-1, with every figure's alt
text and the permission for assistive technology to read it. The HTML pages are valid HTML
by the W3C's Nu Html Checker.

typst refuses to write a PDF that breaks a standard it is asked for (a figure without alt text,
a document without title or language), so the claims are checked here, and the rules behind
them where typst leaves them to the document: alt texts, the language, the title shown.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sealed_packages import passphrase_for

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
# The Nu Html Checker (the W3C's validator) as the npm registry ships it, installed on first
# use into the project's .cache/ (gitignored); VNU_JAR names another copy of vnu.jar.
VNU_VERSION = "26.9.27"
VNU_PREFIX = PROJECT / ".cache" / "vnu-jar"
VNU_JAR = VNU_PREFIX / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _xmp(pdf: Path, tool, password: str | None = None) -> str:
    argv = [tool("pdfinfo"), "-meta"] + (["-upw", password] if password else []) + [str(pdf)]
    return subprocess.run(argv, capture_output=True, check=True).stdout.decode("utf-8")


def _claims(xmp: str) -> dict[str, str]:
    return dict(re.findall(r"<((?:pdfaid|pdfuaid):\w+)>([^<]*)</", xmp))


def test_national_pdf_claims_pdf_ua_1_and_pdf_a_2a(reports, tool):
    claims = _claims(_xmp(reports["national"].pdf, tool))
    assert claims.get("pdfuaid:part") == "1", claims
    assert claims.get("pdfaid:part") == "2" and claims.get("pdfaid:conformance") == "A", claims


def test_national_pdf_meets_what_pdf_ua_leaves_to_the_document(reports):
    import pikepdf

    with pikepdf.open(reports["national"].pdf) as pdf:
        root = pdf.Root
        assert str(root.Lang).lower().startswith("da")
        assert bool(root.MarkInfo.Marked) and "/StructTreeRoot" in root
        assert bool(root.ViewerPreferences.DisplayDocTitle)   # the title, not the file name
        assert str(pdf.docinfo.get("/Title", "")).strip()
        assert pdf.pdf_version == "1.7"                        # PDF/UA-1 and PDF/A-2
        figures = _figures(root.StructTreeRoot)
        assert figures, "the structure tree holds no figure"
        assert all(str(fig.get("/Alt", "")).strip() for fig in figures)


def test_sealed_municipal_pdf_stays_tagged_and_pdf_ua(reports, tool):
    import pikepdf

    sealed = reports["koege"].package / "rapport.pdf"
    password = passphrase_for(reports["koege"].package)
    claims = _claims(_xmp(sealed, tool, password))
    assert claims.get("pdfuaid:part") == "1", claims
    assert "pdfaid:part" not in claims, "an encrypted PDF cannot be PDF/A"
    with pikepdf.open(sealed, password=password) as pdf:
        assert pdf.is_encrypted
        assert pdf.allow.accessibility, "assistive technology must be allowed to read it"
        assert str(pdf.Root.Lang).lower().startswith("da")
        figures = _figures(pdf.Root.StructTreeRoot)
        assert figures and all(str(fig.get("/Alt", "")).strip() for fig in figures)


def _figures(tree) -> list:
    """The structure tree's Figure elements."""
    import pikepdf

    found, stack = [], [tree.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if str(node.S) == "/Figure":
                found.append(node)
            stack.append(node.get("/K"))
    return found


# ------------------------------------------------------------------------------------ HTML


def vnu_jar() -> Path:
    """vnu.jar: VNU_JAR, or the npm package installed into .cache/ on first use (npm's own
    client, without the package's script, which would download a Java of its own)."""
    configured = os.environ.get("VNU_JAR")
    if configured:
        return Path(configured)
    if not VNU_JAR.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("'npm' is not installed, and the HTML check needs it to fetch the Nu Html "
                        "Checker: install the Debian package 'npm' (apt-get install npm), or "
                        "point VNU_JAR at a vnu.jar.", pytrace=False)
        VNU_PREFIX.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([npm, "install", "--prefix", str(VNU_PREFIX), "--ignore-scripts",
                               "--no-audit", "--no-fund", f"vnu-jar@{VNU_VERSION}"],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not VNU_JAR.is_file():
            pytest.fail(f"npm could not install vnu-jar@{VNU_VERSION}:\n{proc.stderr[-2000:]}",
                        pytrace=False)
    return VNU_JAR


def test_html_pages_are_valid_html(reports):
    java = shutil.which("java")
    if java is None:
        pytest.fail("'java' is not installed, and the Nu Html Checker needs it: install the "
                    "Debian package 'default-jre-headless'.", pytrace=False)
    pages = [str(reports[key].html) for key in ("national", "koege", "hoersholm")]
    proc = subprocess.run([java, "-jar", str(vnu_jar()), "--errors-only", "--format", "text",
                           *pages], capture_output=True, text=True)
    report = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0, f"the Nu Html Checker found errors:\n{report[:6000]}"
