"""Finding a municipality from what a person types: a name or a kommunekode."""

from __future__ import annotations

import difflib

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
    codes = set(kommuner["kommunekode"])
    if text.isdigit() and text.zfill(3) in codes:
        return text.zfill(3)
    by_key = {key: code for code, name in zip(kommuner["kommunekode"], kommuner["kommunenavn"])
              for key in _keys(name)}
    for key in _keys(text):
        if key in by_key:
            return by_key[key]
    key = _key(text)
    names = dict(zip(kommuner["kommunekode"], kommuner["kommunenavn"]))
    # Each name has two match keys (koege, koge): ask for more, then keep each municipality once.
    close = difflib.get_close_matches(key, list(by_key), n=6, cutoff=0.6)
    suggested = list(dict.fromkeys(by_key[c] for c in close))[:3]
    hint = ", ".join(names[code] for code in suggested)
    expected = "a municipality name or kommunekode"
    if hint:
        expected += f" — did you mean: {hint}?"
    raise InputError([Problem("--kommune", None, None, text, expected)])
