"""Text from the bytes of an input file: the one place that decides an encoding.

Researchers' tools write UTF-8 with or without a BOM, UTF-16 (SurveyXact's tab dialect, with a
BOM; some tools without one) and Windows-1252, which Danish Excel calls ANSI and which reads
ISO-8859-1 files alike. The rules, in order:

1. a UTF-16 BOM: UTF-16; a UTF-8 BOM: UTF-8 (the BOM is not part of the text);
2. NUL bytes: UTF-16 without a BOM, its byte order told by where the NULs sit; other bytes with
   NULs are not text;
3. valid UTF-8: UTF-8;
4. else Windows-1252.

Bytes that none of these decode are one problem: the file, the line, the byte, what was expected.

Examples
--------
>>> decode_text("Køge".encode("cp1252"), "kommuner.csv")
('Køge', 'cp1252')
"""

from __future__ import annotations

import codecs

from analysis.core.problems import InputError, Problem

EXPECTED = "text in UTF-8, UTF-16 with BOM, or ANSI (Windows-1252/ISO-8859-1)"


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 byte order from where the NUL bytes sit, or None if it is not UTF-16."""
    sample = data[:2000]
    if len(sample) < 2:
        return None
    if sample[1::2].count(0) > 0.8 * len(sample[1::2]):
        return "utf-16-le"
    if sample[0::2].count(0) > 0.8 * len(sample[0::2]):
        return "utf-16-be"
    return None


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """The text of ``data`` and the name of its encoding (``utf-8``, ``utf-8-sig``, ``utf-16``,
    ``utf-16-le``, ``utf-16-be`` or ``cp1252``); InputError naming ``file`` when it is not text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif b"\x00" in data:
        candidates = [encoding for encoding in [_utf16_without_bom(data)] if encoding]
    else:
        candidates = ["utf-8", "cp1252"]
    bad = data.index(b"\x00") if b"\x00" in data else 0
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            bad = error.start
    line = data[:bad].count(b"\n") + 1
    raise InputError([Problem(file, line, None, f"byte 0x{data[bad]:02x}", EXPECTED)])
