"""Encrypted files that open with a passphrase: an HTML page that decrypts itself in the
reader's browser, and an AES-256 PDF.

The HTML page (``delivery/templates/forseglet.html``) carries the report's files encrypted with
AES-256-GCM under a key derived from the passphrase with PBKDF2-HMAC-SHA-256
(``ITERATIONS`` rounds, a random 16-byte salt per page, a random 12-byte nonce per file, the
file's name as associated data). The page asks for the passphrase in Danish, derives the same
key with the browser's WebCrypto, and replaces itself with the decrypted report; the other
files become downloads. A wrong passphrase fails GCM's authentication and the page says so.
Nothing is fetched from anywhere: the page is one file, and its Content-Security-Policy allows
no network request.

Encryption is pyca ``cryptography`` for the page and qpdf (through pikepdf) for the PDF: no
cipher is written here.
"""

from __future__ import annotations

import base64
import html
import io
import json
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from analysis.delivery.passphrases import normalise
from analysis.delivery.pages import SEALED_PAGE

ITERATIONS = 600_000
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32
PDF_PASSWORD_BYTES = 32
FORMAT = "rapport-forseglet-1"
TEMPLATE = SEALED_PAGE
MEDIA_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".json": "application/json", ".pdf": "application/pdf",
               ".html": "text/html;charset=utf-8"}


class WrongPassphrase(Exception):
    """The passphrase does not open the package."""


@dataclass(frozen=True)
class Key:
    """A key derived from a passphrase, with the salt it was derived with."""

    salt: bytes
    key: bytes

    @classmethod
    def derive(cls, passphrase: str, salt: bytes | None = None,
               iterations: int = ITERATIONS) -> Key:
        salt = os.urandom(SALT_BYTES) if salt is None else salt
        kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt,
                         iterations=iterations)
        return cls(salt, kdf.derive(normalise(passphrase).encode("utf-8")))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def media_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def payload(files: dict[str, bytes], key: Key, iterations: int = ITERATIONS) -> dict:
    """The encrypted files and what the page needs to derive the key again."""
    aead = AESGCM(key.key)
    entries = []
    for name, data in files.items():
        nonce = os.urandom(NONCE_BYTES)
        entries.append({"name": name, "type": media_type(name), "nonce": _b64(nonce),
                        "data": _b64(aead.encrypt(nonce, data, name.encode("utf-8")))})
    return {"format": FORMAT,
            "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": iterations,
                    "salt": _b64(key.salt)},
            "cipher": "AES-GCM", "files": entries}


def seal_html(files: dict[str, bytes], passphrase: str, *, title: str,
              key: Key | None = None) -> bytes:
    """One self-decrypting HTML page holding ``files`` (``name → bytes``).

    ``rapport.html``, when present, is what the page shows once opened; every other file is
    offered as a download (and the report's own links to them point at those downloads).
    ``key`` (from :meth:`Key.derive`) saves deriving it again; by default a fresh salt is used.
    """
    key = key or Key.derive(passphrase)
    data = json.dumps(payload(files, key), separators=(",", ":")).replace("<", "\\u003c")
    page = TEMPLATE.read_text("utf-8")
    return (page.replace("{{title}}", html.escape(title))
                .replace("{{payload}}", data)).encode("utf-8")


def read_payload(page: bytes) -> dict:
    """The payload of a page written by :func:`seal_html`."""
    text = page.decode("utf-8")
    start = text.find('<script type="application/json" id="pakke">')
    if start < 0:
        raise ValueError("not a sealed report page")
    start = text.index(">", start) + 1
    return json.loads(text[start:text.index("</script>", start)])


def open_html(page: bytes, passphrase: str) -> dict[str, bytes]:
    """The files inside a sealed page, decrypted (what the browser does, in Python)."""
    content = read_payload(page)
    kdf = content["kdf"]
    key = Key.derive(passphrase, base64.b64decode(kdf["salt"]), kdf["iterations"])
    aead = AESGCM(key.key)
    try:
        return {entry["name"]: aead.decrypt(base64.b64decode(entry["nonce"]),
                                            base64.b64decode(entry["data"]),
                                            entry["name"].encode("utf-8"))
                for entry in content["files"]}
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not open this report") from None


def seal_pdf(pdf: bytes, passphrase: str) -> bytes:
    """``pdf`` encrypted with AES-256 (security handler revision 6, qpdf through pikepdf): it
    opens only with ``passphrase``; each call draws a fresh random file key.

    The passphrase must be at most ``PDF_PASSWORD_BYTES`` long: poppler-based readers (and
    some others) use only that many bytes of what is typed, and would never open the file.
    """
    import pikepdf

    secret = normalise(passphrase)
    if len(secret.encode("utf-8")) > PDF_PASSWORD_BYTES:
        raise ValueError(f"a PDF passphrase of at most {PDF_PASSWORD_BYTES} bytes is needed, "
                         f"so that every PDF reader can open the file")
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        # The document's XMP metadata is kept as typst wrote it: pikepdf's default rewrite of
        # its PDF version parses and serialises the XMP (a third of this step) to the same
        # properties, since typst's XMP states the version already.
        document.save(out, encryption=pikepdf.Encryption(owner=secret, user=secret, R=6),
                      fix_metadata_version=False)
    return out.getvalue()
