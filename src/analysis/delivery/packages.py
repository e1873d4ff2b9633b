"""A municipality's package: its rendered report folder turned into files that open only with
its passphrase, the recipient list for mail merge, and a new passphrase for one municipality.

A rendered municipal report (``rapport.html``, ``rapport.pdf``, ``tabeller.xlsx``,
``provenance.json``) becomes:

* ``rapport.html``: one self-decrypting page holding all four files (the report shows once
  opened; the PDF, the workbook and the provenance record are downloads inside it);
* ``rapport.pdf``: the PDF encrypted with AES-256 under the same passphrase;
* with hosting, ``.htaccess``, ``.htpasswd`` and ``nginx.conf`` (see :mod:`.hosting`).

Nothing else stays in the folder: every other file was made from the municipality's answers.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis.report import danish
from analysis.delivery import hosting
from analysis.delivery.passphrases import KeyStore, write_private
from analysis.delivery.sealed import Key, WrongPassphrase, open_html, seal_html, seal_pdf

PAGE = "rapport.html"
PDF = "rapport.pdf"
INSIDE = (PAGE, PDF, "tabeller.xlsx", "provenance.json")
RECIPIENTS = "modtagere.csv"
RECIPIENT_FIELDS = ("kommune", "kommunekode", "html", "pdf", "brugernavn", "adgangsfrase")


class PackageError(Exception):
    """A package cannot be made or opened."""


@dataclass(frozen=True)
class Sealing:
    """How one municipal report is delivered: sealed with ``passphrase`` and, when
    ``webserver`` is set, with access rules for that server. The passphrase is never shown
    in a repr."""

    passphrase: str = field(repr=False)
    webserver: hosting.WebServer | None = None
    key_id: str = ""              # names the passphrase (see passphrases.py), not secret

    def apply(self, folder: Path, name: str, kommune: str | None) -> list[str]:
        """Seal the report rendered into ``folder``, to be published as ``kommuner/<name>``
        for the municipality called ``kommune``; returns the files the package holds."""
        written = seal_folder(folder, self.passphrase, title=shell_title(folder, kommune))
        if self.webserver is not None:
            hosting.write_rules(folder, name, self.webserver, self.passphrase)
            written += list(hosting.RULE_FILES)
        return written


def shell_title(folder: Path, kommune: str | None) -> str:
    """The locked page's title: the report's title and the municipality it is for."""
    page = folder / PAGE
    title = danish.FALLBACK_TITLE
    if page.is_file():
        found = re.search(r"<title>(.*?)</title>", page.read_text("utf-8"), re.DOTALL)
        if found and found.group(1).strip():
            title = html.unescape(found.group(1).strip())
    return f"{title}: {danish.kommune_title(kommune)}" if kommune else title


def seal_folder(folder: Path, passphrase: str, *, title: str) -> list[str]:
    """Replace the plain report in ``folder`` by its sealed package (see the module text)."""
    folder = Path(folder)
    plain = {name: (folder / name).read_bytes() for name in INSIDE if (folder / name).is_file()}
    if PAGE not in plain and PDF not in plain:
        raise PackageError(f"{folder}: no {PAGE} or {PDF} to seal")
    key = Key.derive(passphrase)   # the one slow step (PBKDF2), once per package
    page = seal_html(plain, passphrase, title=title, key=key)
    pdf = seal_pdf(plain[PDF], passphrase) if PDF in plain else None
    _empty(folder)
    (folder / PAGE).write_bytes(page)
    if pdf is not None:
        (folder / PDF).write_bytes(pdf)
    return [PAGE] + ([PDF] if pdf is not None else [])


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def open_folder(folder: Path, passphrase: str) -> dict[str, bytes]:
    """The plain files inside a package (as the reader's browser gets them)."""
    page = Path(folder) / PAGE
    if not page.is_file():
        raise PackageError(f"{folder}: no sealed {PAGE}")
    try:
        return open_html(page.read_bytes(), passphrase)
    except WrongPassphrase:
        raise PackageError(f"{page}: the stored passphrase does not open this package (was it "
                           f"sealed with another passphrase file?)") from None


def reseal_folder(folder: Path, old: str, new: str, *, kommune: str | None) -> None:
    """Seal the package in ``folder`` again under a new passphrase; the folder is replaced
    only when the new package is complete."""
    folder = Path(folder)
    plain = open_folder(folder, old)
    staging = folder.parent.parent / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=staging))
    try:
        for name, data in plain.items():
            (work / name).write_bytes(data)
        seal_folder(work, new, title=shell_title(work, kommune))
        for rule in (hosting.HTACCESS, hosting.NGINX):
            if (folder / rule).is_file():
                shutil.copy2(folder / rule, work / rule)
        if (folder / hosting.HTPASSWD).is_file():
            (work / hosting.HTPASSWD).write_text(hosting.htpasswd_line(folder.name, new),
                                                 encoding="utf-8")
        os.chmod(work, 0o755)
        _swap(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` where ``target`` is; the old one survives until then.
    (As ``pipeline.move_into_place``, without importing the renderer for a rotation.)"""
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def write_recipients(manifest: dict, out_dir: Path, store: KeyStore) -> Path | None:
    """``modtagere.csv`` beside the passphrase file (mode 0600): one row per sealed package
    in ``out_dir`` (kommune, kommunekode, the package's files, user name, passphrase)."""
    from analysis.report.danish import kommune_title, sort_key

    phrases = store.read()
    rows = []
    for entry in manifest.get("reports", {}).values():
        code = entry.get("kommune")
        folder = Path(out_dir) / entry.get("folder", "")
        if not code or entry.get("offentlig") or code not in phrases or \
                not (folder / PAGE).is_file():
            continue
        rows.append((entry.get("name") or "", code, folder))
    if not rows and not store.path.with_name(RECIPIENTS).exists():
        return None
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(RECIPIENT_FIELDS)
    for name, code, folder in sorted(rows, key=lambda r: sort_key(r[0])):
        writer.writerow([kommune_title(name), code, folder / PAGE,
                         folder / PDF if (folder / PDF).is_file() else "", folder.name,
                         phrases[code]["adgangsfrase"]])
    return write_private(store.path.with_name(RECIPIENTS), text.getvalue().encode("utf-8"))


def rotate(store: KeyStore, code: str, name: str, folder: Path) -> bool:
    """A new passphrase for one municipality; its package in ``folder``, if there is one, is
    sealed again with it (if that fails, the old passphrase is put back). Returns whether a
    package was resealed."""
    old, new = store.rotate(code, name)
    if old is None or not (folder / PAGE).is_file():
        return False
    try:
        reseal_folder(folder, old, new, kommune=name)
    except BaseException:
        store.restore(code, name, old)
        raise
    return True

