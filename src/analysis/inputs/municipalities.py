"""Finding a municipality from what a person types: a name or a kommunekode."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from analysis.core.paths import slug
from analysis.core.problems import InputError, Problem


_PLAIN = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _keys(text: str) -> set[str]:
    """Match keys: ``Køge`` -> {``koege``, ``koge``} so either spelling finds it."""
    lowered = str(text).strip().lower()
    plain = slug(lowered.translate(_PLAIN)).replace("-", "")
    return {slug(lowered).replace("-", ""), plain}


def _key(text: str) -> str:
    return slug(str(text)).replace("-", "")


@dataclass(frozen=True)
class Lookup:
    """The municipalities of a register, found by code or by name."""

    codes: frozenset[str]
    by_key: dict[str, str]      # match key of a name -> kommunekode
    names: dict[str, str]       # kommunekode -> name

    @classmethod
    def of(cls, kommuner: pd.DataFrame) -> Lookup:
        """The lookup of a frame with ``kommunekode`` and ``kommunenavn``."""
        codes = [str(c).strip().zfill(3) for c in kommuner["kommunekode"]]
        names = [str(n) for n in kommuner["kommunenavn"]]
        return cls(codes=frozenset(codes),
                   by_key={key: code for code, name in zip(codes, names) for key in _keys(name)},
                   names=dict(zip(codes, names)))

    def find(self, text: str) -> str | None:
        """The kommunekode ``text`` names, or None.

        A leading number is a code (``259``, ``0259``, ``259 Køge``); anything else a name, in
        any case, with or without æøå and a trailing "Kommune" (``KØGE``, ``koege``, ``Køge
        Kommune``).
        """
        text = str(text).strip()
        number = re.match(r"^(\d{1,4})\b", text)
        if number:
            code = str(int(number.group(1))).zfill(3)
            return code if code in self.codes else None
        name = re.sub(r"\s+kommune$", "", text, flags=re.IGNORECASE)
        return next((self.by_key[key] for key in sorted(_keys(name)) if key in self.by_key),
                    None)


def resolve(query: str, kommuner: pd.DataFrame) -> str:
    """The kommunekode for ``query``, case- and diacritic-insensitive.

    ``"Køge"``, ``"koege"``, ``"KØGE"`` and ``"259"`` all give ``"259"``. An unknown name is
    an InputError that suggests the closest names.

    Examples
    --------
    >>> k = pd.DataFrame({"kommunekode": ["259"], "kommunenavn": ["Køge"]})
    >>> resolve("koege", k)
    '259'
    """
    text = str(query).strip()
    lookup = Lookup.of(kommuner)
    code = lookup.find(text)
    if code is not None:
        return code
    # Each name has two match keys (koege, koge): ask for more, then keep each municipality once.
    close = difflib.get_close_matches(_key(text), list(lookup.by_key), n=6, cutoff=0.6)
    suggested = list(dict.fromkeys(lookup.by_key[c] for c in close))[:3]
    hint = ", ".join(lookup.names[code] for code in suggested)
    expected = "a municipality name or kommunekode"
    if hint:
        expected += f" — did you mean: {hint}?"
    raise InputError([Problem("--kommune", None, None, text, expected)])
