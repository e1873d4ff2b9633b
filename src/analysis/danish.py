"""Every Danish label and number format of the report, in one place.

Numbers and dates go through Babel's ``da_DK`` locale: ``1.234``, ``63,6 %`` (with a
non-breaking space before the per cent sign), ``1. december 2015``.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "da_DK"
NBSP = "\u00a0"
QUOTE_OPEN, QUOTE_CLOSE = "\u201e", "\u201c"   # „…“

SIZE_GROUPS = {"small": "Under 4.000 beboere", "large": "4.000 beboere og derover"}
SIZE_GROUP_SHORT = {"small": "små kommuner", "large": "store kommuner"}

NUMBER_WORDS = {0: "ingen", 1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks",
                7: "syv", 8: "otte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}

SOURCE_SURVEY = "CFBU og KL's spørgeskema til kommunerne med helhedsplaner"
SOURCE_REGISTER = "Helhedsplanregistret (Landsbyggefondens bevillingsdata)"


def integer(value: int) -> str:
    """``1234`` -> ``1.234``."""
    return format_decimal(int(value), format="#,##0", locale=LOCALE)


def decimal(value: float, decimals: int = 1) -> str:
    """``0.5`` -> ``0,5``."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(share: float, decimals: int = 0) -> str:
    """A share 0-1 as a Danish percentage: ``0.636`` -> ``64 %`` / ``63,6 %``."""
    return f"{decimal(100 * share, decimals)}{NBSP}%"


def count_word(value: int) -> str:
    """Small counts as words in running text (``4`` -> ``fire``), larger as digits."""
    return NUMBER_WORDS.get(int(value), integer(value))


def date(value: dt.date) -> str:
    """``2015-12-01`` -> ``1. december 2015``."""
    return format_date(value, format="d. MMMM y", locale=LOCALE)


def quoted(text: str) -> str:
    """Danish quotation marks: „text“."""
    return f"{QUOTE_OPEN}{text}{QUOTE_CLOSE}"


def p_value(p: float) -> str:
    """``0.0312`` -> ``p = 0,03``; very small values as ``p < 0,001``."""
    if p < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    return f"p{NBSP}={NBSP}{decimal(p, 2 if p >= 0.01 else 3)}"


def enumerate_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``a, b og c``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " og " + items[-1]


def n_source(n: int, source: str) -> str:
    """The line under every figure and table: ``N = 38. Kilde: ...``."""
    return f"N{NBSP}={NBSP}{integer(n)}. Kilde: {source}."
