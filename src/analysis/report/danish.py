"""Every Danish label and number format of the report, in one place.

Numbers and dates go through Babel's ``da_DK`` locale: ``1.234``, ``63,6 %`` (with a
non-breaking space before the per cent sign), ``1. december 2015``. A number is rounded half
away from zero, as statistics offices print it (2 of 16 is 12,5 % and printed 13 %), not to the
even neighbour Python and Babel would choose.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
import numpy as np

from analysis.core.settings import LARGE_THRESHOLD
from analysis.inputs.official_names import official_name

LOCALE = "da_DK"
NBSP = "\u00a0"
DASH = "\u2013"          # en dash, in ranges: 35–38
MINUS = "\u2212"         # minus sign: −5
QUOTE_OPEN, QUOTE_CLOSE = "\u00bb", "\u00ab"   # »…«


NUMBER_WORDS = {0: "ingen", 1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks",
                7: "syv", 8: "otte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}

TITLE = "Kommunerne på banen"
FALLBACK_TITLE = "Rapport"                  # a document without a title
DOWNLOADS_LABEL = "Hent rapporten:"          # before the links at the top of the HTML report
# The files beside a report, as the links at its top name them.
DOWNLOAD_LINKS = {"pdf": "PDF", "xlsx": "Tabeller (Excel)",
                  "provenance": "Sådan er rapporten dannet (JSON)"}

SOURCE_SURVEY = "CFBU og KL’s spørgeskema til kommunerne med helhedsplaner"
SOURCE_REGISTER = "Helhedsplanregistret (Landsbyggefondens bevillingsdata)"
# The municipalities' populations (the register's folketal_2015), real in every dataset.
SOURCE_POPULATION = "indbyggertal: Danmarks Statistik, 2015"
# The same sources where the data are synthetic (dataset.yaml's origin is not ``real``): the
# source line says what the numbers are built from, never a real source for invented numbers.
SYNTHETIC_SURVEY = "Syntetiske eksempeldata, der efterligner svarene på CFBU og KL’s spørgeskema"
SYNTHETIC_REGISTER = "Syntetiske eksempeldata, der efterligner helhedsplansregistret"
SYNTHETIC_SURVEY_AND_REGISTER = ("Syntetiske eksempeldata, der efterligner svarene på CFBU og "
                                 "KL’s spørgeskema og helhedsplansregistret")
# Synthetic answers to questions the 2015 report printed no results from (the codebook's
# published_2015 false): the source itself says so, not a source CFBU and KL's 2015 report gives.
SYNTHETIC_ADDED = "Syntetiske eksempeldata for et spørgsmål, der er tilføjet i denne udgave"
SYNTHETIC_ADDED_MANY = "Syntetiske eksempeldata for spørgsmål, der er tilføjet i denne udgave"


def survey_source(synthetic: bool) -> str:
    """The survey as a source line names it (after ``Kilde:``): CFBU and KL's questionnaire,
    or, for synthetic data, synthetic example data that imitate its answers."""
    return SYNTHETIC_SURVEY if synthetic else SOURCE_SURVEY


def survey_source_note(synthetic: bool, questions: Sequence[tuple[str, bool | None]]
                       ) -> tuple[str, str]:
    """The source (after ``Kilde:``) and the note of a figure's or table's source line, for
    its questions ((short label, published in 2015) as :func:`edition_note` takes them).
    Synthetic answers to questions that are all this edition's are sourced as such
    (:data:`SYNTHETIC_ADDED`), and then the source says all the note would (no note);
    otherwise the survey, with the note of :func:`edition_note`."""
    if synthetic and questions and all(published is False for _, published in questions):
        return (SYNTHETIC_ADDED if len(questions) == 1 else SYNTHETIC_ADDED_MANY), ""
    return survey_source(synthetic), edition_note(questions)


def register_source(synthetic: bool, population: bool = False) -> str:
    """The helhedsplan register as a source line names it (after ``Kilde:``), or, for
    synthetic data, synthetic example data that imitate it; ``population``: the line also
    covers the municipalities' populations (Danmarks Statistik, 2015).

    >>> register_source(True, population=True)  # doctest: +NORMALIZE_WHITESPACE
    'Syntetiske eksempeldata, der efterligner helhedsplansregistret;
     indbyggertal: Danmarks Statistik, 2015'
    """
    source = SYNTHETIC_REGISTER if synthetic else SOURCE_REGISTER
    return f"{source}; {SOURCE_POPULATION}" if population else source


def survey_and_register_source(synthetic: bool) -> str:
    """Both the survey and the register as one source line names them (after ``Kilde:``)."""
    return SYNTHETIC_SURVEY_AND_REGISTER if synthetic else \
        f"{SOURCE_SURVEY} og {SOURCE_REGISTER}"

COUNTRY = "Hele landet"        # every municipality: a row or column of the figures and tables
# The survey's respondents together: the row of a figure or the column of a table that counts
# every municipality with a valid answer (not the whole country: only those that answered).
RESPONDENTS = "Alle besvarende kommuner"
AND = "og"                     # between the last two of a list

# The figures' labels: the axis of shares, and the marks of the municipality's own answers,
# drawn in its colour beside a bar or in a step of Samarbejdstrappen. One scheme: a graded
# answer is marked »Jeres svar« (with the answer where the bar does not show it, and a frame
# round its segment); a step of Samarbejdstrappen, whose cell has room for no more, is framed
# and marked »Jer«; a yes/no fact (in chapter 1 from the registers, in chapter 4 an answer) is
# marked »Jeres kommune: ja/nej« beside its bar. The edition's introduction explains the
# scheme once.
FIGURE_SHARE_AXIS = "Andel af kommunerne"
FIGURE_OWN_YES = "Jeres kommune: ja"
FIGURE_OWN_NO = "Jeres kommune: nej"
FIGURE_OWN_ANSWERS = "Jeres svar"    # before the answers beside a bar: "Jeres svar: helt enig"
FIGURE_OWN_STEP = "Jer"              # in the municipality's own cell of Samarbejdstrappen
# Samarbejdstrappen: what the parties do on each step, written on the step under its name.
FIGURE_STEP_TEXTS = {
    "Vidensdeling": "Parterne deler viden",
    "Negativ koordinering": "Parterne undgår dobbeltarbejde og aftaler snitflader",
    "Positiv koordinering": "Parterne løser opgaver i fællesskab",
    "Innovative løsninger": "Parterne skaber nye løsninger sammen",
}


@functools.lru_cache(maxsize=4096)
def integer(value: int) -> str:
    """``1234`` -> ``1.234``."""
    return format_decimal(int(value), format="#,##0", locale=LOCALE)


# The two size groups are about the residents of the areas the helhedsplaner cover, not the
# municipality's population (a municipality of 87.000 inhabitants can have 1.600 residents in
# its helhedsplan areas), so the report never calls them small or large municipalities.
_THRESHOLD = integer(LARGE_THRESHOLD)
# A row or column of a table or figure: "Under 4.000 beboere".
SIZE_GROUPS = {"small": f"Under {_THRESHOLD} beboere",
               "large": f"{_THRESHOLD} beboere og derover"}
# Inside a sentence or a table cell: "under 4.000 beboere".
SIZE_GROUP_SHORT = {"small": f"under {_THRESHOLD} beboere",
                    "large": f"{_THRESHOLD} beboere og derover"}
# A table column of the municipality's own size group (short, so that a narrow column fits):
# "Kommunens gruppe (4.000+ beboere i områderne)": the residents are those of the helhedsplan
# areas, never the municipality's population, so the heading says where they live. No word
# longer than the cells under it: a table's narrowest widths are its longest words, and the
# overview's six columns fit the page only with short ones.
SIZE_GROUP_HEADINGS = {"small": f"Kommunens gruppe (under {_THRESHOLD} beboere i områderne)",
                       "large": f"Kommunens gruppe ({_THRESHOLD}+ beboere i områderne)"}
# The municipalities of the group, in running text: "kommuner med under 4.000 beboere i
# helhedsplansområderne".
SIZE_GROUP_LONG = {"small": f"kommuner med under {_THRESHOLD} beboere i helhedsplansområderne",
                   "large": f"kommuner med {_THRESHOLD} eller flere beboere i "
                            "helhedsplansområderne"}
# The same, definite: "kommunerne med under 4.000 beboere i helhedsplansområderne".
SIZE_GROUP_DEFINITE = {group: "kommunerne" + words.removeprefix("kommuner")
                       for group, words in SIZE_GROUP_LONG.items()}


def half_up(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded half away from zero: ``12.5`` -> ``13``, ``-0.5`` -> ``-1``. It is
    first rounded to nine places, so a float a hair under a half (``100 * 0.145`` is
    ``14.499999999999998``) counts as the half it stands for."""
    exact = Decimal(repr(round(float(value), 9)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def whole(value: float) -> int:
    """``value`` as the whole number the report prints: ``12.5`` -> ``13``."""
    return int(half_up(value))


@functools.lru_cache(maxsize=8192)
def decimal(value: float, decimals: int = 1) -> str:
    """``0.5`` -> ``0,5``; ``12.25`` -> ``12,3`` (kept: a report formats the same few hundred
    numbers again and again, and Babel takes some 50 µs a number)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(half_up(value, decimals), format=pattern, locale=LOCALE)


def percent(share: float, decimals: int = 0) -> str:
    """A share 0-1 as a Danish percentage: ``0.636`` -> ``64 %`` / ``63,6 %``."""
    return f"{decimal(100 * share, decimals)}{NBSP}%"


def count_word(value: int) -> str:
    """Small counts as words in running text (``4`` -> ``fire``), larger as digits."""
    return NUMBER_WORDS.get(int(value), integer(value))


def date(value: dt.date) -> str:
    """``2015-12-01`` -> ``1. december 2015``, the day and the month joined by a no-break
    space, so that a line never ends on the day's number."""
    return format_date(value, format="d. MMMM y", locale=LOCALE).replace(". ", "." + NBSP, 1)


def quoted(text: str) -> str:
    """Danish quotation marks: »text«."""
    return f"{QUOTE_OPEN}{text}{QUOTE_CLOSE}"


def p_value(p: float) -> str:
    """A p-value as a methodologist prints it, the one format of every p-value in the report:
    two significant digits (``0.0312`` -> ``p = 0,031``, ``0.14`` -> ``p = 0,14``), and
    ``p > 0,99`` and ``p < 0,001`` at the ends (so that no rounded p-value reads as exactly 1
    or 0)."""
    if math.isnan(p):
        raise ValueError("no p-value to print (the test was not computed)")
    if p > 0.99:
        return f"p{NBSP}>{NBSP}0,99"
    if p < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    rounded = float(f"{p:.2g}")
    return f"p{NBSP}={NBSP}{decimal(rounded, 1 - math.floor(math.log10(rounded)))}"


def enumerate_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``a, b og c``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " og " + items[-1]


def n_text(n: int | Sequence[int]) -> str:
    """The N of a figure or table: ``N = 38``; for rows built on different numbers of answers,
    the range: ``N = 35–38``."""
    ns = [int(n)] if isinstance(n, int | np.integer) else [int(x) for x in n]
    low, high = min(ns), max(ns)
    shown = integer(low) if low == high else f"{integer(low)}{DASH}{integer(high)}"
    return f"N{NBSP}={NBSP}{shown}"


def n_source(n: int | Sequence[int], source: str, note: str = "",
             rows: Sequence[tuple[str, int]] = ()) -> str:
    """The line under every figure and table: ``N = 38. Kilde: ….`` followed by ``note``.

    ``n`` is the number of answers the figure or table is built on, or one number per row;
    where the rows differ, ``rows`` (row label, N) are named after the range: ``N = 35–38
    (fælles mål med boligorganisationen 35, gensidig tillid 38)``."""
    ns = [n] if isinstance(n, int | np.integer) else list(n)
    each = ""
    if rows and len({int(x) for _, x in rows}) > 1:
        each = " (" + ", ".join(f"{label[0].lower() + label[1:]} {integer(x)}"
                                for label, x in rows) + ")"
    line = f"{n_text(ns)}{each}. Kilde: {source}."
    return f"{line} {note}" if note else line


# Under a figure or table: which of its questions the 2015 report printed no results from (this
# edition's). The questions 2015 did publish are not marked: the body talks about the study, and
# the reading guide says once what an unmarked question is.
QUESTION_ADDED = "Spørgsmålet er tilføjet i denne udgave."
QUESTIONS_ADDED = "Spørgsmålene er tilføjet i denne udgave."
QUESTION_SOME_ADDED = "Spørgsmålet om {labels} er tilføjet i denne udgave."
QUESTIONS_SOME_ADDED = "Spørgsmålene om {labels} er tilføjet i denne udgave."


def edition_note(questions: Sequence[tuple[str, bool | None]]) -> str:
    """The questions of a figure or table that the 2015 report printed no results from, for its
    source line; ``""`` when there are none. ``questions``: (short label, published in 2015:
    True, False or None for unknown). Only the added questions (False) are marked: a question
    2015 published, or one the codebook says nothing about, is not.

    >>> edition_note([("Tid", True), ("Tillid", False)])
    'Spørgsmålet om »Tillid« er tilføjet i denne udgave.'
    >>> edition_note([("Tid", True), ("Tillid", None)])
    ''
    """
    added = [label for label, published in questions if published is False]
    if not added:
        return ""
    if len(added) == len(questions):
        return QUESTION_ADDED if len(added) == 1 else QUESTIONS_ADDED
    template = QUESTION_SOME_ADDED if len(added) == 1 else QUESTIONS_SOME_ADDED
    return template.format(labels=enumerate_words([quoted(label) for label in added]))


def signed(value: float) -> str:
    """A whole number with a minus sign (U+2212) where it is negative: ``-5`` -> ``−5``."""
    number = whole(value)
    return f"{MINUS}{integer(-number)}" if number < 0 else integer(number)


def points(share_difference: float) -> str:
    """A difference of two shares (0-1) in percentage points: ``0.301`` -> ``30 procentpoint``."""
    return f"{signed(100 * share_difference)} procentpoint"


def interval(low: float, high: float, level: int = 95) -> str:
    """A confidence interval for a difference of shares: ``95 %-interval: 1 til 53``."""
    return (f"{level}{NBSP}%-interval:{NBSP}{signed(100 * low)}{NBSP}til{NBSP}"
            f"{signed(100 * high)}")


def share_words(share: float) -> str:
    """A share in words, as Danish prose rounds it: ``0.636`` -> ``næsten to tredjedele``."""
    if share <= 0:
        return "ingen"
    if share >= 1:
        return "alle"
    if share == 0.5:
        return "halvdelen"
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


# Why a group's figures are withheld, after »Tallene for … vises ikke«. (Without saying that
# all answered alike: that would itself give every member's answer.)
SUPPRESSED_WHY = {
    "primary": "fordi færre end {k} kommuner i gruppen har besvaret spørgsmålet",
    "unanimous": "så ingen enkelt kommunes svar kan udledes af dem",
    "filter": "så ingen enkelt kommunes svar kan udledes af dem",
    "secondary": "så tallene for den anden størrelsesgruppe, som ikke vises, ikke kan regnes "
                 "ud fra landstallet",
    # one note for rows withheld for either of the two reasons above (a table of questions)
    "protect": "så ingen enkelt kommunes svar kan udledes af dem, heller ikke ved hjælp af "
               "landstallet",
}


def suppressed(reason: str, group: str, k: int, rows: Sequence[str] = ()) -> str:
    """The footnote under a figure or table whose ``group`` is suppressed: ``reason`` is
    ``primary`` (fewer than ``k`` answers), ``unanimous`` (every answer the same), ``filter``
    (the question it is asked after is suppressed), ``secondary`` (it would reveal one of
    those) or ``protect`` (any of the last three, in one note). In a table of several
    questions, ``rows`` names the rows it concerns:
    ``I rækken »Har en boligsocial koordinator« vises tallene for … ikke, så …``."""
    why = SUPPRESSED_WHY.get(reason, SUPPRESSED_WHY["secondary"]).format(k=k)
    if not rows:
        return f"Tallene for {group} vises ikke, {why}."
    where = "rækken" if len(rows) == 1 else "rækkerne"
    return (f"I {where} {enumerate_words([quoted(r) for r in rows])} vises tallene for {group} "
            f"ikke, {why}.")


def kommune_title(name: str) -> str:
    """``Køge`` -> ``Køge Kommune``; ``København`` -> ``Københavns Kommune``."""
    return official_name(name)


def sort_key(text: str) -> str:
    """Danish alphabetical order: æ, ø, å (and aa, read as å) after z."""
    lowered = text.lower().replace("aa", "å")
    return lowered.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))
