"""The municipality's overview in words: which of its answers are strengths and which are
gaps (one per recommendation rule of :mod:`analysis.report.content.advice`). The gaps are said
as sentences a coordinator reads (:func:`verdict_sentences`), as is the sentence on
samarbejdstrappen's two steps; for the strengths that set it apart from its size group
(:func:`rare_strengths`, :func:`rare_words`) and the two questions judged within the group
(:func:`relative_verdict`) this module gives the values, and the front matter's notebook
cells write the sentences and the overview's rule.

Every quantifier is computed from the counts it stands for
(:func:`~analysis.report.content.own_words.quantity`), and every count names its group. The
overview's questions, labels and words are in :mod:`analysis.report.content.own_words`, and
found here too.
"""

from __future__ import annotations

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.own_words import (  # noqa: F401  (the overview's words, kept here)
    ADDED_MARK, AS_GROUP_LABEL, COUNTRY_SHARED_LABEL, COUNTRY_STRENGTH_LABEL, FORUM_PARTNERS,
    GAP_LABEL, HALF_LABEL,
    LEFT_OUT, MAJORITY_LABEL, MINORITY_LABEL, NOUNS, OVERVIEW, PLACES, SHARED_LABEL, SIDES,
    SPREAD_LABEL, STRENGTH_LABEL, TOPICS, WORDS,
    NEAR_MARK, _group_noun, bare_verdict, relative_label,
    _joined, _quantity_of, gap_label, quantity)
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report

# The one who answered the survey for the municipality (not necessarily its coordinator).
RESPONDENT = "Den, der har svaret for kommunen,"
# The statement that the leaders could prioritise the work higher (chapter 6).
COULD = "ledelse_kunne_prioritere_hoejere"


# ---------------------------------------------------------------- strengths

def _noun(report: Report, name: str) -> str:
    top = len(report.national.question("trin_boligorganisation").groups["oeverste_trin"])
    return NOUNS[name].format(n=danish.count_word(top))


def rare_strengths(report: Report, names) -> tuple[str, ...]:
    """The strengths that set the municipality apart: those at most a third of its comparison
    group share (its size group where shown, else the whole country; the municipality
    itself included), in the table's order: with a group this small one municipality more or
    less can move a share across the line, so the strengths are not ranked."""
    raad = rules.advice(report)
    return tuple(n for n in OVERVIEW if n in names and raad.basis(n).count * 3 <= raad.basis(n).n)


def strength_verdict(report: Report, name: str) -> str:
    """The verdict of a counted answer: :data:`STRENGTH_LABEL` where fewer than half of the
    comparison group give a counted answer (the municipality included), else
    :data:`SHARED_LABEL` (half of the group or more answer as it does). The line is the one
    the chapters' boxes draw (own_standing: »under halvdelen«), so a row at exactly half is
    in line with the group in the table and in the boxes alike."""
    basis = rules.advice(report).basis(name)
    return STRENGTH_LABEL if basis.count * 2 < basis.n else SHARED_LABEL


def near_half(report: Report, names) -> tuple[str, ...]:
    """The rows of ``names`` (in the table's order) whose comparison share lies within one
    municipality of half (the count at most one from half the N): one municipality more or
    fewer with a counted answer can move such a row to the other label. One rule for every
    row, whatever its answer scale."""
    raad = rules.advice(report)

    def near(name: str) -> bool:
        count, n = raad.basis(name).count, raad.basis(name).n
        if name in rules.OPINION:       # the label counts the own answer's band
            count, n = opinion_band(report, name)
        if not n:
            return False
        if name in rules.MAJORITY or name in rules.OPINION:    # majority, half or minority
            return abs(2 * count - n) <= 2
        # »Foran gruppen« under half, »Som gruppen« from half: one more or one fewer crosses it
        return -2 <= 2 * count - n < 2
    return tuple(n for n in OVERVIEW if n in names and near(n))


def develop(report: Report, edge) -> tuple[str, ...]:
    """The points to develop where nothing is a gap: of the answers next to the line
    (``edge``), the (at most two) that the largest share of the comparison group give a
    counted answer to, ties in the table's order."""
    raad = rules.advice(report)
    return tuple(sorted(edge, key=lambda n: (-raad.basis(n).share, OVERVIEW.index(n)))[:2])


def keep_strengths(report: Report, good: list[str]) -> tuple[str, ...]:
    """The (at most three) strengths the smallest part of the comparison group shares, in the
    table's order (chosen by share, never ranked by it)."""
    raad = rules.advice(report)
    ordered = sorted((n for n in OVERVIEW if n in good),
                     key=lambda n: (raad.basis(n).share, OVERVIEW.index(n)))
    return tuple(n for n in OVERVIEW if n in ordered[:3])


def keep_tied(report: Report, good: list[str], keep) -> str:
    """The strengths left off ``keep`` by the limit of three alone (as small a part of the
    comparison group shares them as the last one kept), each with its count ('' if none)."""
    raad = rules.advice(report)
    if len(keep) < 3:
        return ""
    last = raad.basis(max(keep, key=lambda n: raad.basis(n).share))
    tied = [n for n in OVERVIEW if n in good and n not in keep
            and raad.basis(n).count * last.n == last.count * raad.basis(n).n]
    return danish.enumerate_words([_noun(report, n) + (f" ({raad.basis(n).count} af "
                                   f"{raad.basis(n).n})" if printable(report, n) else "")
                                   for n in tied]) if tied else ""


def added(report: Report, name: str) -> bool:
    """The question of rule ``name`` is this edition's own: the 2015 survey did not ask it (a
    question 2015 asked but printed no results from is not marked added)."""
    return report.national.question(rules.question_id(report, rules.TRIGGERS[name][0])).added


def printable(report: Report, name: str) -> bool:
    """The running text may quote the numbers of rule ``name``'s question: with synthetic data
    only where the 2015 report printed results from it (the source lines mark the rest)."""
    return not report.synthetic or rules.published(report, name)


def left_out_answer(report: Report) -> str:
    """The coordinator's answer to the left-out statement, lower case, where it is a degree of
    agreement (»overvejende uenig«); '' otherwise."""
    q = report.national.question(LEFT_OUT)
    code = report.municipality.answer(LEFT_OUT)
    if code is None or code not in q.answers or "ved ikke" in q.answers[code].lower():
        return ""
    return q.answers[code].lower()


def strengths_compared_with(report: Report, names) -> str:
    """Whom the strengths ``names`` are compared with: ``kommunerne i gruppen``, ``kommunerne i
    hele landet`` (where disclosure control shows none of them for the group) or, where some
    are compared with each, ``de kommuner, den sammenlignes med``."""
    raad = rules.advice(report)
    grouped = {raad.by_group(n) for n in names}
    return ("kommunerne i gruppen" if grouped == {True} else "kommunerne i hele landet"
            if grouped == {False} else "de kommuner, den sammenlignes med")


def rare_words(report: Report, names) -> str:
    """The strengths that set the municipality apart (:func:`rare_strengths`), each with how
    many of its comparison group share it, naming the group only where the strengths are
    compared with different groups: ``tydeligt udmeldte mål fra ledelsen (5 af 16)``."""
    raad = rules.advice(report)
    rare = list(rare_strengths(report, names))
    if not rare:
        return ""
    mixed = len({raad.by_group(n) for n in names}) > 1
    each = (lambda n: " i gruppen" if raad.by_group(n) else " i hele landet") if mixed else \
        (lambda n: "")
    return _joined([f"{_noun(report, n)} ({raad.basis(n).count} af {raad.basis(n).n}{each(n)})"
                    for n in rare])


# ---------------------------------------------------------------- gaps

def _neither(items: list[str]) -> str:
    """``hverken a eller b``, ``hverken a, b eller c``."""
    return "hverken " + danish.alternatives(items)


def _forum_gap(levels: list[str], total: int, also: bool) -> str:
    """The sentence of the levels without a fixed meeting."""
    if len(levels) == total:
        return (f"Der er {'heller ikke' if also else 'ikke'} faste mødefora {FORUM_PARTNERS} "
                f"på nogen af de {danish.count_word(total)} niveauer.")
    if len(levels) == 1:
        return (f"Der er {'heller ikke' if also else 'ikke'} et fast mødeforum "
                f"{FORUM_PARTNERS} på {levels[0]} niveau.")
    return (f"På {danish.enumerate_words(levels)} niveau er der "
            f"{'heller ikke' if also else 'ikke'} faste mødefora {FORUM_PARTNERS}.")


def _steps_gap(report: Report, names: list[str]) -> str:
    """``Samarbejdet med boligorganisationen ligger på et af samarbejdstrappens to nederste
    trin, »negativ koordinering«.``"""
    q = report.national.question(rules.TRIGGERS[names[0]][0])
    where = (f"ligger på et af samarbejdstrappens "
             f"{danish.count_word(len(q.groups['nederste_trin']))} nederste trin")
    partners = [WORDS[n][1] for n in names]
    if len(names) == 1:
        step = report.own(rules.TRIGGERS[names[0]][0])
        return f"Samarbejdet med {partners[0]} {where}, {danish.quoted(step.lower())}."
    return f"Samarbejdet med både {danish.enumerate_words(partners)} {where}."


def _own_side(report: Report, name: str) -> str:
    """What the municipality answered to a question judged within the group: ``Kommunen
    bruger »mellem halvtid og fuldtid« om ugen på strategisk koordinering af
    helhedsplansarbejdet`` or ``Kommunen har koordinatoren i en fagforvaltning``."""
    if name == "tid":
        answer = danish.quoted(report.own("tid_koordinering").lower())
        return (f"Kommunen bruger {answer} om ugen på strategisk koordinering af "
                f"helhedsplansarbejdet")
    where = PLACES.get(report.municipality.answer("koordinator_placering"), "")
    return f"Kommunen har koordinatoren {where}"


def _placement_gap() -> str:
    """The placement as a gap (:func:`~analysis.report.content.advice.placed_without_forum`)."""
    return ("Koordinatoren sidder i en fagforvaltning, og kommunen har ikke et fast "
            "tværfagligt mødeforum, som kan give koordinatoren en vej ind i de andre "
            "forvaltninger ([kapitel %s](#kap-intern)).")


def _relative_gap(report: Report, name: str) -> str:
    """``Kommunen har koordinatoren i en fagforvaltning, mens lidt over halvdelen af
    kommunerne i gruppen (9 af 16) har koordinatoren i borgmesterkontoret.``"""
    raad = rules.advice(report)
    basis = raad.basis(name)
    whom = _quantity_of(basis.count, basis.n, _group_noun(raad.by_group(name)))
    return f"{_own_side(report, name)}, mens {whom} {SIDES[name][0]}."


def _satisfied_gap(owners: list[str], after_agree: bool, who: str = RESPONDENT) -> str:
    """``Den, der har svaret for kommunen, er ikke tilfreds med politikernes prioritering af
    arbejdet.``; ``who`` is the one who answered."""
    if len(owners) == 1:
        lead = f"{who} er heller ikke" if after_agree else f"{who} er ikke"
        return f"{lead} tilfreds med {owners[0]} prioritering af arbejdet."
    lead = f"Desuden er {who.lower()}" if after_agree else f"{who} er"
    return (f"{lead} hverken tilfreds med {owners[0]} eller med {owners[1]} prioritering af "
            f"arbejdet.")


def _gaps(report: Report, names: list[str]) -> str:
    title = report.municipality.title
    kinds: dict[str, list[str]] = {}
    for name in OVERVIEW:
        if name in names:
            kinds.setdefault(WORDS[name][0], []).append(name)
    total = len(FORUM_LEVELS)
    sentences = []
    has_names = kinds.get("has", [])
    if kinds.get("place"):
        # the placement's sentence says that the forum it needs is missing (advice.JOINED)
        has_names = [n for n in has_names if n != rules.JOINED["placering"]]
    has = [NOUNS[n] for n in has_names]
    if len(has) == 1:
        sentences.append(f"{title} har ikke {has[0]}.")
    elif has:
        sentences.append(f"{title} har {_neither(has)}.")
    levels = [WORDS[n][1] for n in kinds.get("forum", [])]
    if levels:
        sentences.append(_forum_gap(levels, total, also=bool(has)))
    for name in kinds.get("time", []):
        sentences.append(_relative_gap(report, name))
    if kinds.get("place"):
        sentences.append(_placement_gap())
    if kinds.get("step"):
        sentences.append(_steps_gap(report, kinds["step"]))
    # the one who answered: without a coordinator, the municipality's respondent
    who = RESPONDENT
    agree = kinds.get("agree", [])
    if len(agree) == 1:
        sentences.append(f"{who} er ikke enig i udsagnet om {TOPICS[agree[0]]}.")
    elif agree:
        sentences.append(f"{who} er ikke enig i udsagnene om "
                         f"{danish.enumerate_words([TOPICS[n] for n in agree])}.")
    owners = [("den administrative ledelses" if n == "adm_prioritering" else "politikernes")
              for n in kinds.get("satisfied", [])]
    if owners:
        sentences.append(_satisfied_gap(owners, after_agree=bool(agree), who=who))
    return " ".join(sentences)


def verdict_sentences(report: Report, names: list[str]) -> str:
    """The gaps among ``names`` (recommendation rules) as sentences a coordinator reads,
    grouped by what they are about, those judged within the group with how many of the group
    answered otherwise; ``""`` for no names."""
    return _gaps(report, names) if names else ""


# ---------------------------------------------------------------- judged within the group

def relative_verdict(report: Report, name: str) -> str:
    """The verdict of a question judged within the comparison group (a rule of
    advice.MAJORITY): :data:`GAP_LABEL` where the rule is triggered, otherwise the part of the
    group whose answers fall on the municipality's side of the rule's line (the majority, the
    minority or exactly half) with their count (:func:`relative_label`). The rules of
    advice.OPINION are judged the same way and are never a gap."""
    if rules.triggers(report, name):
        return GAP_LABEL
    if name in rules.OPINION:
        same, n = opinion_band(report, name)
        label = MAJORITY_LABEL if same * 2 > n else MINORITY_LABEL if same * 2 < n else HALF_LABEL
        return relative_label(label, same, n)
    basis = rules.advice(report).basis(name)
    same = basis.n - basis.count if rules._own_hit(report, name) else basis.count
    label = MAJORITY_LABEL if same * 2 > basis.n else \
        MINORITY_LABEL if same * 2 < basis.n else HALF_LABEL
    return relative_label(label, same, basis.n)


def _band(q, code) -> str:
    """The band of a satisfaction answer: a named answer group (``tilfreds``, ``utilfreds``)
    or, for an answer in neither, the middle (``neutral``)."""
    return next((g for g, codes in q.groups.items() if code in codes), "neutral")


def opinion_band(report: Report, name: str) -> tuple[int, int]:
    """For a rule of advice.OPINION (satisfaction with the leaders' prioritisation): of the
    comparison group's valid answers (the size group where disclosure control shows it, else
    the whole country), how many fall in the municipality's own band (dissatisfied, neither,
    satisfied), and how many valid answers there are."""
    raad = rules.advice(report)
    question = rules.TRIGGERS[name][0]
    q = report.national.question(question)
    nat = report.national
    frame = nat.in_size_group(report.municipality.size_group) if raad.by_group(name) \
        else nat.respondents
    codes = [int(v) for v in frame[question] if not pd.isna(v) and int(v) in q.answers]
    own = _band(q, report.municipality.answer(question))
    return sum(_band(q, c) == own for c in codes), len(codes)


def dissatisfied_yet_could(report: Report) -> bool:
    """The municipality is dissatisfied with the administrative leadership's or the
    politicians' prioritisation and agrees that the leaders could prioritise the work higher:
    the overview points to chapter 6's Gode råd."""
    m = report.municipality
    if m is None or not m.answered:
        return False
    unhappy = any(_band(report.national.question(rules.TRIGGERS[n][0]),
                        m.answer(rules.TRIGGERS[n][0])) == "utilfreds"
                  for n in sorted(rules.OPINION))
    q = report.national.question(COULD)
    code = m.answer(COULD)
    return unhappy and code in q.groups.get("enig", ())


def _staircase_asymmetry(report: Report) -> str:
    """Where the municipality puts its collaboration with the boligorganisation and with the
    helhedsplan on different steps of samarbejdstrappen, a sentence saying so (not a gap:
    each step is judged on its own); ``""`` where the steps are the same."""
    m = report.municipality
    partners = {"trin_boligorganisation": "boligorganisationen",
                "trin_helhedsplan": "helhedsplanen"}
    codes = {c: m.answer(c) for c in partners}
    q = report.national.question("trin_boligorganisation")
    if any(code not in q.answers for code in codes.values()):
        return ""
    (lo, lo_code), (hi, hi_code) = sorted(codes.items(), key=lambda kv: kv[1])
    if lo_code == hi_code:
        return ""
    lower_rule = {"trin_boligorganisation": "strategi", "trin_helhedsplan": "opgaver"}[lo]
    steps = hi_code - lo_code
    distance = "et trin" if steps == 1 else f"{danish.count_word(steps)} trin"
    return (f"På samarbejdstrappen står samarbejdet med {partners[hi]} {distance} højere end "
            f"samarbejdet med {partners[lo]}, {danish.quoted(report.own(hi).lower())} mod "
            f"{danish.quoted(report.own(lo).lower())}." + (
                " Erfaringerne fra det ene samarbejde kan være et sted at begynde, når det "
                "andet skal løftes ([kapitel %s](#kap-potentialer))."
                if rules.triggers(report, lower_rule) else ""))
