"""Passphrases: Danish words a person can type, one per municipality, kept in a file only its
owner can read.

A passphrase is Danish words from ``ordliste.txt`` (see ``ordliste.md``) with a random digit
between each two, e.g. ``kage3sol8hest5bord7mus2kat``, at most ``MAX_LENGTH`` characters:
several PDF readers (poppler's, for one) use only the first 32 bytes of a password, so a
longer one would not open the PDF there. Words and digits are drawn with :mod:`secrets`, and a
draw longer than ``MAX_LENGTH`` is drawn again, which makes every passphrase that fits equally
likely. The strength is counted from the list actually shipped: ``log2`` of the number of word
sequences that fit, plus ``log2(len(DIGITS))`` for each digit (:func:`entropy_bits`); the
number of words is the fewest that reach ``MIN_BITS``.

The passphrases live in one CSV file (``kommunekode,kommune,adgangsfrase,noegle_id``; the
last is a random name for the passphrase, new with every new passphrase, which the manifest
may record to tell which passphrase sealed a package without revealing it), by default
``fortroligt/adgangsfraser.csv`` in the project folder (gitignored), or wherever
``RAPPORT_NOEGLER`` points. It is written with mode 0600 in a folder with mode 0700, never
under the output folder, and changed under a lock so that two renders at once agree.
"""

from __future__ import annotations

import csv
import fcntl
import functools
import io
import math
import os
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.core import settings
from analysis.core.files import atomic_write

MIN_BITS = 80
MAX_LENGTH = 32
DIGITS = "23456789"        # no 0 or 1, which read like o and l
WORDLIST = Path(__file__).with_name("ordliste.txt")
ENV = settings.KEYS_ENV
FIELDS = ("kommunekode", "kommune", "adgangsfrase", "noegle_id")


class KeyFileError(Exception):
    """The passphrase file cannot be used (where it is, or what it holds)."""

    def __init__(self, file: Path, expected: str, row: int | None = None):
        self.file, self.expected, self.row = file, expected, row
        super().__init__(f"{file}{f', row {row}' if row else ''}: expected {expected}")


@functools.lru_cache(maxsize=1)
def wordlist() -> tuple[str, ...]:
    """The shipped word list, one distinct word per line."""
    words = tuple(w for w in WORDLIST.read_text("utf-8").split() if w)
    if len(set(words)) != len(words):
        raise KeyFileError(WORDLIST, "every word once")
    return words


def fitting_sequences(n_words: int, lengths: list[int], max_length: int = MAX_LENGTH) -> int:
    """How many sequences of ``n_words`` words, with one character between each two, are at
    most ``max_length`` long; ``lengths`` holds the length of every word in the list."""
    per_length = {}
    for length in lengths:
        per_length[length] = per_length.get(length, 0) + 1
    totals = {0: 1}                # letters so far -> number of word sequences
    for _ in range(n_words):
        nxt: dict[int, int] = {}
        for letters, count in totals.items():
            for length, words in per_length.items():
                nxt[letters + length] = nxt.get(letters + length, 0) + count * words
        totals = nxt
    budget = max_length - (n_words - 1)
    return sum(count for letters, count in totals.items() if letters <= budget)


def entropy_bits(n_words: int, words: tuple[str, ...] | None = None,
                 max_length: int = MAX_LENGTH, digits: str = DIGITS) -> float:
    """Bits of entropy of a passphrase of ``n_words`` words from ``words`` (default: the
    shipped list) with a digit between each two, drawn uniformly among those that fit."""
    words = wordlist() if words is None else words
    fitting = fitting_sequences(n_words, [len(w) for w in words], max_length)
    if fitting == 0:
        return 0.0
    return math.log2(fitting) + (n_words - 1) * math.log2(len(digits))


@functools.lru_cache(maxsize=1)
def words_needed(min_bits: float = MIN_BITS) -> int:
    """The fewest words (with the shipped list) that give at least ``min_bits`` bits."""
    for n in range(1, MAX_LENGTH // 2 + 1):
        if entropy_bits(n) >= min_bits:
            return n
    raise KeyFileError(WORDLIST, f"a word list that gives {min_bits} bits in {MAX_LENGTH} "
                                 f"characters")


def generate() -> str:
    """A new random passphrase of :func:`words_needed` words, at most ``MAX_LENGTH`` long."""
    words, n = wordlist(), words_needed()
    while True:
        parts = [secrets.choice(words)]
        for _ in range(n - 1):
            parts += [secrets.choice(DIGITS), secrets.choice(words)]
        phrase = "".join(parts)
        if len(phrase) <= MAX_LENGTH:
            return phrase


def normalise(passphrase: str) -> str:
    """What is typed, as the key is derived from: NFC, surrounding spaces removed (the
    decrypting page does the same)."""
    return unicodedata.normalize("NFC", passphrase).strip()


def default_path() -> Path:
    """``$RAPPORT_NOEGLER``, else ``fortroligt/adgangsfraser.csv`` in the project folder."""
    return settings.keys_file()


class KeyStore:
    """The passphrase file: read, add missing passphrases, rotate one.

    Parameters
    ----------
    path
        The CSV file (created when missing).
    out_dir
        The output folder; the file must not be inside it.
    """

    def __init__(self, path: Path, out_dir: Path | None = None):
        self.path = Path(path).resolve()
        if out_dir is not None:
            out = Path(out_dir).resolve()
            if self.path == out or out in self.path.parents:
                raise KeyFileError(self.path, f"a passphrase file outside the output folder "
                                              f"{out} (set {ENV} to a path outside it)")

    # ------------------------------------------------------------ reading and writing

    def read(self) -> dict[str, dict[str, str]]:
        """``{kommunekode: {"kommune": name, "adgangsfrase": passphrase, "noegle_id": id}}``."""
        if not self.path.exists():
            return {}
        self._tighten()
        rows = {}
        with self.path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or tuple(reader.fieldnames) != FIELDS:
                raise KeyFileError(self.path, f"the header {','.join(FIELDS)}", row=1)
            for line, row in enumerate(reader, start=2):
                code, phrase = (row["kommunekode"] or "").strip(), row["adgangsfrase"] or ""
                if not code or not normalise(phrase):
                    raise KeyFileError(self.path, "both kommunekode and adgangsfrase filled in",
                                       row=line)
                rows[code] = {"kommune": row["kommune"] or "", "adgangsfrase": normalise(phrase),
                              "noegle_id": (row["noegle_id"] or "").strip()}
        return rows

    def _tighten(self) -> None:
        if self.path.stat().st_mode & 0o077:
            os.chmod(self.path, 0o600)

    def _write(self, rows: dict[str, dict[str, str]]) -> None:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(FIELDS)
        for code in sorted(rows):
            writer.writerow([code, rows[code]["kommune"], rows[code]["adgangsfrase"],
                             rows[code].get("noegle_id") or secrets.token_hex(8)])
        write_private(self.path, text.getvalue().encode("utf-8"))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        make_private_dir(self.path.parent)
        lock = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # ------------------------------------------------------------ what callers use

    def ensure(self, municipalities: dict[str, str]) -> dict[str, str]:
        """The passphrase of every ``{kommunekode: name}`` given, creating the missing ones;
        existing passphrases are kept, so re-renders use the same ones."""
        with self._locked():
            rows = self.read()
            missing = [code for code in municipalities if code not in rows]
            for code in missing:
                rows[code] = _row(municipalities[code], generate())
            if missing or not self.path.exists():
                self._write(rows)
        return {code: rows[code]["adgangsfrase"] for code in municipalities}

    def rotate(self, code: str, name: str) -> tuple[str | None, str]:
        """Give ``code`` a new passphrase; returns ``(old, new)`` (old is None if it had none)."""
        with self._locked():
            rows = self.read()
            old = rows.get(code, {}).get("adgangsfrase")
            new = generate()
            while new == old:
                new = generate()
            rows[code] = _row(name, new)
            self._write(rows)
        return old, new

    def restore(self, code: str, name: str, passphrase: str) -> None:
        """Put ``passphrase`` back as ``code``'s passphrase (after a failed rotation)."""
        with self._locked():
            rows = self.read()
            rows[code] = _row(name, normalise(passphrase))
            self._write(rows)


def _row(name: str, passphrase: str) -> dict[str, str]:
    return {"kommune": name, "adgangsfrase": passphrase, "noegle_id": secrets.token_hex(8)}


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` (mode 0700) if it is missing."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` atomically to a file only its owner can read or write (0600), in a folder
    only its owner can open."""
    make_private_dir(path.parent)
    return atomic_write(path, data, mode=0o600)
