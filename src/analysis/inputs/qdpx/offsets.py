"""Text positions of selections, and the ways exporters count them.

REFI-QDA positions are Unicode code points, end-exclusive. Some tools count a UTF-8 BOM or not,
a CRLF line end as one character or two, or an inclusive end; when a selection's name differs
from its slice, the other conventions are tried and the one that matches is used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache


def clean_excerpt(text: str) -> str:
    """Excerpt text without BOM, with LF line ends and no surrounding white space."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class Convention:
    """How an exporter may have counted positions in a text."""

    bom_dropped: bool = False
    eol: str = ""  # "" as written, "crlf_as_one", "lf_as_crlf"
    inclusive: bool = False

    def describe(self) -> str:
        parts = []
        if self.bom_dropped:
            parts.append("BOM not counted")
        if self.eol == "crlf_as_one":
            parts.append("CRLF counted as one character")
        if self.eol == "lf_as_crlf":
            parts.append("line ends counted as CRLF")
        if self.inclusive:
            parts.append("end position inclusive")
        return ", ".join(parts) or "as written"

    def apply(self, text: str) -> str:
        if self.bom_dropped:
            text = text[1:]
        if self.eol == "crlf_as_one":
            text = text.replace("\r\n", "\n")
        if self.eol == "lf_as_crlf":
            text = text.replace("\n", "\r\n")
        return text


AS_WRITTEN = Convention()


def _conventions(text: str) -> list[Convention]:
    """Conventions worth trying for this text, as written first."""
    boms = [False, True] if text.startswith("\ufeff") else [False]
    eols = [""] + (["crlf_as_one"] if "\r\n" in text else ["lf_as_crlf"] if "\n" in text else [])
    return [Convention(bom, eol, inclusive)
            for inclusive in (False, True) for bom in boms for eol in eols]


@lru_cache(maxsize=64)
def _counted(text: str, convention: Convention) -> str:
    return convention.apply(text)


def slice_span(text: str, start: int, end: int, convention: Convention) -> str | None:
    """``text[start:end]`` as the convention counts, or None when outside the text."""
    stop = end + 1 if convention.inclusive else end
    counted = _counted(text, convention)
    if 0 <= start < stop <= len(counted):
        return counted[start:stop]
    return None


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(clean_excerpt(s).split())
    return norm(a) == norm(b)


def _matching(text: str, start: int, end: int, name: str,
              conventions: list[Convention]) -> Convention | None:
    for convention in conventions:
        piece = slice_span(text, start, end, convention)
        if piece is not None and _same_text(piece, name):
            return convention
    return None


def _usual_convention(text: str, spans: list[tuple[str, int, int, str]]) -> Convention:
    """The convention that most named selections of one text match (ties: earliest tried)."""
    conventions = _conventions(text)
    votes = Counter(_matching(text, s, e, name, conventions) for _, s, e, name in spans if name)
    votes.pop(None, None)
    if not votes:
        return AS_WRITTEN
    best = max(votes.values())
    return next(c for c in conventions if votes.get(c) == best)


def slice_selections(text: str, spans: list[tuple[str, int, int, str]], label: str
                     ) -> tuple[dict[str, str | None], list[str]]:
    """Slice ``(guid, start, end, name)`` spans from one text, verifying against names.

    Positions are Unicode code points, end-exclusive, as the tools write them. When a selection's
    name differs from its slice, the other conventions (BOM, CRLF, inclusive end) are tried and
    the one that matches is used, with a warning.
    """
    usual = _usual_convention(text, spans)
    conventions = [usual] + [c for c in _conventions(text) if c != usual]
    pieces: dict[str, str | None] = {}
    warnings = []
    for guid, start, end, name in spans:
        where = f"{label}: selection {guid} ({start}–{end})"
        chosen = _matching(text, start, end, name, conventions) if name else None
        if chosen is None:
            chosen = next((c for c in conventions
                           if slice_span(text, start, end, c) is not None), None)
            if chosen is None:
                pieces[guid] = None
                continue
            if name:
                warnings.append(f"{where}: text does not match the selection's name under any "
                                f"offset convention; used offsets {chosen.describe()}")
            elif chosen != AS_WRITTEN:
                warnings.append(f"{where}: offsets adjusted ({chosen.describe()}), as the named "
                                "selections of this source")
        elif chosen != AS_WRITTEN:
            warnings.append(f"{where}: offsets adjusted ({chosen.describe()}) to match its name")
        pieces[guid] = slice_span(text, start, end, chosen)
    return pieces, warnings
