"""The words of the municipality's overview (:mod:`analysis.report.content.own_verdicts`
says its strengths and gaps with them): its questions, one per recommendation rule of
:mod:`analysis.report.content.advice` (:data:`OVERVIEW`), the verdicts of its column
»Vurdering«, how its sentences speak of each question (:data:`WORDS`, :data:`NOUNS`,
:data:`TOPICS`, :data:`SIDES`), and counts in words (:func:`quantity`).

Every quantifier is computed from the counts it stands for (:func:`quantity`), and every count
names its group.
"""

from __future__ import annotations

from analysis.report import danish
from analysis.report.content import advice as rules


# ---------------------------------------------------------------- the municipality's overview

# The questions of the overview, in the order of the chapters: each is the question of one
# recommendation rule (advice.TRIGGERS), and its answer is a gap exactly where the rule is
# triggered, so the overview's gaps and the recommendations are the same.
OVERVIEW: tuple[str, ...] = (
    "koordinator", "tid", "adm_prioritering", "strategi", "opgaver", "faelles_maal", "tillid",
    "forum_strategisk", "forum_taktisk", "forum_udfoerende", "placering", "internt_forum",
    "vidensdeling", "maal", "medarbejdere", "metodefrihed", "pol_prioritering",
)
assert set(OVERVIEW) == set(rules.TRIGGERS)
# The chapter tables' question the overview leaves out: agreeing that the leaders could give
# the work a higher priority says there is more to gain, not that the priority is too low
# (chapter 6), so the answer is neither a strength nor a gap.
LEFT_OUT = "ledelse_kunne_prioritere_hoejere"

# The verdicts of the column »Vurdering«. A question judged by the answer alone is a strength
# or a gap; the two questions of advice.MAJORITY (time, placement) are judged within the
# comparison group: a gap where most of the group give the counted answer and the
# municipality does not, otherwise the part of the group the municipality answers as.
# A counted answer fewer than half of the group give is »Foran gruppen«: every counted answer
# is a good one, and the label says what sets this one apart, that most of the group have not
# got as far.
STRENGTH_LABEL, GAP_LABEL = "Foran gruppen", "Kan styrkes"
# A counted answer that half of the comparison group or more share (the municipality
# included): it does not set the municipality apart, so it is not called a strength.
SHARED_LABEL = "Som gruppen"
# The same where the size group's figures are withheld and the row is compared with the
# whole country instead.
COUNTRY_SHARED_LABEL = "Som landet"
COUNTRY_STRENGTH_LABEL = "Foran landet"
# After the verdict of a question added in this edition (the notebook says once what it means).
ADDED_MARK = "*"
MAJORITY_LABEL, MINORITY_LABEL, HALF_LABEL = "Som flertallet", "Som mindretallet", "Som halvdelen"
# After the verdict of a row whose comparison share lies within one municipality of half (one
# municipality more or fewer with a counted answer gives the row another label; the notebook
# says once what it means).
NEAR_MARK = "\u2020"


def relative_label(label: str, same: int, n: int) -> str:
    """A verdict judged within the comparison group with the count it rests on, and whom that
    count counts, so the label says what it is relative to: ``Som mindretallet (17 af 37 som
    kommunen)``; the share printed beside it may be that of the other answer."""
    return f"{label} ({same} af {n} som kommunen)"


def bare_verdict(cell: str) -> str:
    """The verdict of a table cell without its marks and count: ``Som mindretallet (17 af
    37)*\u2020`` gives ``Som mindretallet``, ``Kan styrkes → anbefaling 2`` gives ``Kan
    styrkes``."""
    text = cell.replace(NEAR_MARK, "").replace(ADDED_MARK, "").split("\u2192")[0].split(" (")[0]
    return text.replace(danish.NBSP, " ").rstrip()
AS_GROUP_LABEL = MAJORITY_LABEL
# The size group's answers (a municipality that did not answer): how each row reads, a
# strength, or, for the two questions judged within the group, only how widespread the answer
# is (the column »Læses som«).
SPREAD_LABEL = "Kun udbredelse"


def gap_label(rank: int) -> str:
    """A gap's verdict, with the number of the recommendation that takes it up: ``Kan styrkes
    → anbefaling 1`` (the recommendations are a numbered list in the order of their rank).
    The arrow and the number set the row apart from the strengths' one word, where a table
    cell can carry no emphasis; the arrow stays on the line of »styrkes«."""
    return f"{GAP_LABEL}{danish.NBSP}→ anbefaling{danish.NBSP}{rank}"


# How the overview's sentences speak of each rule's question: (kind, the words every sentence
# about it holds). Kinds: "has" (what the municipality has), "forum" (a level of the
# cross-organisational meetings), "step" (a partner on samarbejdstrappen), "agree" (a statement
# the coordinator agrees with), "satisfied" (whose prioritisation the coordinator is satisfied
# with), "time" and "place" (judged within the comparison group).
WORDS: dict[str, tuple[str, str]] = {
    "koordinator": ("has", "boligsocial koordinator"),
    "tid": ("time", "koordinering"),
    "placering": ("place", "fagforvaltning"),
    "internt_forum": ("has", "tværfagligt mødeforum"),
    "forum_strategisk": ("forum", "strategisk"),
    "forum_taktisk": ("forum", "taktisk"),
    "forum_udfoerende": ("forum", "udførende"),
    "strategi": ("step", "boligorganisationen"),
    "opgaver": ("step", "helhedsplanen"),
    "faelles_maal": ("agree", "fælles mål"),
    "tillid": ("agree", "tillid"),
    "vidensdeling": ("agree", "vidensdeling"),
    "maal": ("agree", "udmeld"),
    "medarbejdere": ("agree", "snitflader"),
    "metodefrihed": ("agree", "metoder"),
    "adm_prioritering": ("satisfied", "administrative ledelses"),
    "pol_prioritering": ("satisfied", "politikernes"),
}
assert set(WORDS) == set(rules.TRIGGERS)
FORUM_PARTNERS = "med boligorganisationen og helhedsplanen"

# A strength as a short noun phrase (a point in a list, or the object of »har«); none holds a
# comma, so that a list of them reads without semicolons.
NOUNS: dict[str, str] = {
    "koordinator": "en boligsocial koordinator",
    "internt_forum": "et fast tværfagligt mødeforum på tværs af forvaltningerne",
    "forum_strategisk": f"et fast mødeforum {FORUM_PARTNERS} på strategisk niveau",
    "forum_taktisk": f"et fast mødeforum {FORUM_PARTNERS} på taktisk niveau",
    "forum_udfoerende": f"et fast mødeforum {FORUM_PARTNERS} på udførende niveau",
    "strategi": "et samarbejde med boligorganisationen på et af samarbejdstrappens {n} "
                "øverste trin",
    "opgaver": "et samarbejde med helhedsplanen på et af samarbejdstrappens {n} øverste trin",
    "faelles_maal": "fælles mål med boligorganisationen",
    "tillid": "gensidig tillid mellem parterne",
    "vidensdeling": "vidensdeling om helhedsplanerne på tværs af forvaltningerne",
    "maal": "tydeligt udmeldte mål fra ledelsen",
    "medarbejdere": "medarbejdere valgt efter tydelige snitflader til helhedsplanen",
    "metodefrihed": "frihed for medarbejderne til at vælge metoder",
    "adm_prioritering": "tilfredshed med den administrative ledelses prioritering af arbejdet",
    "pol_prioritering": "tilfredshed med politikernes prioritering af arbejdet",
}
assert set(NOUNS) == set(rules.TRIGGERS) - set(rules.MAJORITY)
# A statement the coordinator does not agree with, as »udsagnet om …« names it.
TOPICS: dict[str, str] = {
    "faelles_maal": "de fælles mål med boligorganisationen",
    "tillid": "den gensidige tillid mellem parterne",
    "vidensdeling": "vidensdelingen på tværs af forvaltningerne",
    "maal": "ledelsens udmelding af målene",
    "medarbejdere": "valget af medarbejdere efter tydelige snitflader",
    "metodefrihed": "medarbejdernes frihed til at vælge metoder",
}
# The two questions judged within the comparison group: what the municipality answered, and
# the answers on either side of the line the rule draws (the counted side first).
PLACES = {1: "i borgmesterkontoret (en fagneutral enhed)", 2: "i en fagforvaltning",
          3: "et andet sted i organisationen"}
SIDES: dict[str, tuple[str, str]] = {
    "tid": ("bruger mere end en halvtidsstilling", "bruger højst en halvtidsstilling"),
    "placering": ("har koordinatoren i borgmesterkontoret",
                  "har koordinatoren et andet sted end i borgmesterkontoret"),
}
assert set(SIDES) == set(rules.MAJORITY)


# ---------------------------------------------------------------- counts in words

def quantity(count: int, n: int) -> str:
    """How many of a group ``count`` of ``n`` are, in words that the numbers support:
    ``lidt over halvdelen`` (9 of 16), ``halvdelen`` (8 of 16), ``omkring to tredjedele``
    (11 of 16), ``under halvdelen`` (7 of 16), ``alle``."""
    if n <= 0:
        return "ingen"
    if count * 2 == n:
        return "halvdelen"
    share = count / n
    if 0.5 < share < 0.6:
        return "lidt over halvdelen"
    return danish.share_words(share)


def _quantity_of(count: int, n: int, noun: str) -> str:
    """``lidt over halvdelen af kommunerne i gruppen (9 af 16)``, ``alle kommunerne i gruppen
    (16 af 16)``."""
    words = quantity(count, n)
    joined = f"{words} {noun}" if words in ("alle", "næsten alle") else f"{words} af {noun}"
    return f"{joined} ({danish.integer(count)} af {danish.integer(n)})"


def _group_noun(by_group: bool) -> str:
    """Whom a count is of: ``kommunerne i gruppen`` (the size group the overview names) or,
    where disclosure control does not show it, ``kommunerne i hele landet``."""
    return "kommunerne i gruppen" if by_group else "kommunerne i hele landet"


def _joined(items: list[str]) -> str:
    """``a, b og c``; with semicolons where an item holds a comma: ``a; b, der …; og c``."""
    if len(items) > 2 and any("," in item for item in items):
        return "; ".join(items[:-1]) + " og " + items[-1]
    return danish.enumerate_words(items)
