"""Every Danish label and number format of the report, in one place.

Numbers and dates go through Babel's ``da_DK`` locale: ``1.234``, ``63,6 %`` (with a
non-breaking space before the per cent sign), ``1. december 2015``.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date
from babel.numbers import format_decimal

from analysis.core.settings import LARGE_THRESHOLD
from analysis.inputs.official_names import official_name

LOCALE = "da_DK"
NBSP = "\u00a0"
QUOTE_OPEN, QUOTE_CLOSE = "\u00bb", "\u00ab"   # »…«

SIZE_GROUP_SHORT = {"small": "små kommuner", "large": "store kommuner"}
SIZE_GROUP_DEFINITE = {"small": "de små kommuner", "large": "de store kommuner"}

NUMBER_WORDS = {0: "ingen", 1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks",
                7: "syv", 8: "otte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}

TITLE = "Kommunerne på banen"
FALLBACK_TITLE = "Rapport"                  # a document without a title
DOWNLOADS_LABEL = "Hent rapporten:"          # before the links at the top of the HTML report
# The files beside a report, as the links at its top name them.
DOWNLOAD_LINKS = {"pdf": "PDF", "xlsx": "Tabeller (Excel)",
                  "provenance": "Sådan er rapporten dannet (JSON)"}

SOURCE_SURVEY = "CFBU og KL's spørgeskema til kommunerne med helhedsplaner"
SOURCE_REGISTER = "Helhedsplanregistret (Landsbyggefondens bevillingsdata)"

COUNTRY = "Hele landet"        # every municipality: a row or column of the figures and tables
AND = "og"                     # between the last two of a list

# The figures' labels: the axis of shares, and the marks of the municipality's own answers,
# drawn in its colour beside a bar or above a step of Samarbejdstrappen.
FIGURE_SHARE_AXIS = "Andel af kommunerne"
FIGURE_OWN_YES = "Jer: ja"
FIGURE_OWN_NO = "Jer: nej"
FIGURE_OWN_ANSWERS = "Jeres svar"    # before the answers beside a bar: "Jeres svar: helt enig"
FIGURE_OWN_STEP = "Jer"              # before the partners above a step: "Jer: helhedsplan"


@functools.lru_cache(maxsize=4096)
def integer(value: int) -> str:
    """``1234`` -> ``1.234``."""
    return format_decimal(int(value), format="#,##0", locale=LOCALE)


SIZE_GROUPS = {"small": f"Under {integer(LARGE_THRESHOLD)} beboere",
               "large": f"{integer(LARGE_THRESHOLD)} beboere og derover"}


@functools.lru_cache(maxsize=8192)
def decimal(value: float, decimals: int = 1) -> str:
    """``0.5`` -> ``0,5`` (kept: a report formats the same few hundred numbers again and
    again, and Babel takes some 50 µs a number)."""
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
    """Danish quotation marks: »text«."""
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


def share_words(share: float) -> str:
    """A share in words, as Danish prose rounds it: ``0.636`` -> ``næsten to tredjedele``."""
    if share <= 0:
        return "ingen"
    if share >= 1:
        return "alle"
    bands = ((0.25, "under en fjerdedel"), (0.31, "knap en tredjedel"),
             (0.36, "omkring en tredjedel"), (0.48, "under halvdelen"),
             (0.52, "omkring halvdelen"), (0.60, "godt halvdelen"),
             (0.65, "næsten to tredjedele"), (0.70, "omkring to tredjedele"),
             (0.75, "godt to tredjedele"), (0.90, "de fleste"))
    return next((words for limit, words in bands if share < limit), "næsten alle")


def compare(a: float, b: float, more: str, less: str, same: str) -> str:
    """The word for how ``a`` stands to ``b``: ``compare(0.4, 0.1, "flere", "færre", "lige så
    mange")`` -> ``flere``."""
    return more if a > b else less if a < b else same


def how_often(a: float, b: float) -> str:
    """``oftere`` / ``sjældnere`` / ``lige så ofte``: how a share ``a`` stands to ``b``."""
    return compare(a, b, "oftere", "sjældnere", "lige så ofte")


def count_noun(n: int, singular: str, plural: str) -> str:
    """``1 stor``, ``16 store``."""
    return f"{integer(n)} {singular if n == 1 else plural}"


def alternatives(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``a, b eller c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " eller " + items[-1]


def share_of(share: float, noun: str) -> str:
    """``0.9, "kommunerne"`` -> ``næsten alle kommunerne``; ``0.55`` -> ``godt halvdelen af
    kommunerne``."""
    words = share_words(share)
    if words in ("alle", "næsten alle", "ingen"):
        return f"{words} {noun}" if words != "ingen" else f"ingen af {noun}"
    return f"{words} af {noun}"


SUPPRESSED_PRIMARY = ("Tallene for {group} vises ikke, fordi færre end {k} kommuner i gruppen "
                      "har besvaret spørgsmålet (diskretionering).")
SUPPRESSED_SECONDARY = ("Tallene for {group} vises ikke, så tallene for en mindre gruppe ikke "
                        "kan regnes ud fra landstallet (sekundær diskretionering).")


def suppressed(reason: str, group: str, k: int) -> str:
    """The footnote under a figure or table whose ``group`` is suppressed: ``reason`` is
    ``primary`` (fewer than ``k`` answers) or ``secondary`` (it would reveal a primary cell)."""
    template = SUPPRESSED_PRIMARY if reason == "primary" else SUPPRESSED_SECONDARY
    return template.format(group=group, k=k)


def kommune_title(name: str) -> str:
    """``Køge`` -> ``Køge Kommune``; ``København`` -> ``Københavns Kommune``."""
    return official_name(name)


def sort_key(text: str) -> str:
    """Danish alphabetical order: æ, ø, å (and aa, read as å) after z."""
    lowered = text.lower().replace("aa", "å")
    return lowered.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))
