"""The municipality's overview in words: which of its answers are strengths and which are
gaps (one per recommendation rule of :mod:`analysis.report.content.advice`), said as sentences
a coordinator reads (:func:`verdict_sentences`), the sentence on samarbejdstrappen's two steps,
and the overview's rule (:func:`verdict_rule`)."""

from __future__ import annotations

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report


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
# An answer outside the favourable answers that most of the comparison group share (a rule of
# advice.MAJORITY) is neither a strength nor a gap.
STRENGTH_LABEL, GAP_LABEL, AS_GROUP_LABEL = "Styrke", "Kan styrkes", "Som flertallet"

# How the overview's sentences speak of each rule's question. Kinds: "has" (what the
# municipality has: an object of »har«), "forum" (a level of the cross-organisational
# meetings), "step" (a partner on samarbejdstrappen), "agree" (a statement the coordinator
# agrees with: a clause after »at«), "satisfied" (whose prioritisation the coordinator is
# satisfied with: a genitive).
WORDS: dict[str, tuple[str, str]] = {
    "koordinator": ("has", "en boligsocial koordinator"),
    "tid": ("time", "til strategisk koordinering af helhedsplansarbejdet"),
    "placering": ("place", "Koordinatoren er placeret"),
    "internt_forum": ("has", "et fast tværfagligt mødeforum på tværs af forvaltningerne"),
    "forum_strategisk": ("forum", "strategisk"),
    "forum_taktisk": ("forum", "taktisk"),
    "forum_udfoerende": ("forum", "udførende"),
    "strategi": ("step", "boligorganisationen"),
    "opgaver": ("step", "helhedsplanen"),
    "faelles_maal": ("agree", "kommunen og boligorganisationen har fælles mål for arbejdet"),
    "tillid": ("agree", "der er gensidig tillid mellem kommunen, boligorganisationen og "
                        "helhedsplanen"),
    "vidensdeling": ("agree", "der deles viden om helhedsplanerne på tværs af forvaltningerne"),
    "maal": ("agree", "ledelsen tydeligt melder kommunens mål for arbejdet ud til "
                      "medarbejderne"),
    "medarbejdere": ("agree", "de kommunale medarbejdere i helhedsplanen er valgt efter "
                              "tydelige snitflader til planens indsatser"),
    "metodefrihed": ("agree", "medarbejderne frit kan vælge metoder i samarbejdet med "
                              "helhedsplanen"),
    "adm_prioritering": ("satisfied", "den administrative ledelses"),
    "pol_prioritering": ("satisfied", "politikernes"),
}
assert set(WORDS) == set(rules.TRIGGERS)
FORUM_PARTNERS = "med boligorganisationen og helhedsplanen"


def _neither(items: list[str]) -> str:
    """``hverken a eller b``, ``hverken a, b eller c``."""
    return "hverken " + danish.alternatives(items)


def _agree_clauses(clauses: list[str], joiner: str) -> str:
    """``at a``, ``at a, og at b``, ``at a, at b, eller at c``."""
    parts = [f"at {c}" for c in clauses]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f", {joiner} " + parts[-1]


def _forum_levels(levels: list[str]) -> str:
    """``strategisk og taktisk``."""
    return danish.enumerate_words(levels)


def _forum_object(levels: list[str], total: int) -> str:
    """What the municipality has of the meetings: ``faste mødefora med … på alle tre
    niveauer``, ``… på både strategisk og taktisk niveau``, ``et fast mødeforum med … på
    udførende niveau``."""
    if len(levels) == total:
        return f"faste mødefora {FORUM_PARTNERS} på alle {danish.count_word(total)} niveauer"
    if len(levels) == 2:
        return (f"faste mødefora {FORUM_PARTNERS} på både {levels[0]} og {levels[1]} niveau")
    if len(levels) == 1:
        return f"et fast mødeforum {FORUM_PARTNERS} på {levels[0]} niveau"
    return (f"faste mødefora {FORUM_PARTNERS} på {_forum_levels(levels)} niveau")


def _forum_gap(levels: list[str], total: int, also: bool) -> str:
    """The sentence of the levels without a fixed meeting."""
    if len(levels) == total:
        return (f"Der er {'heller ikke' if also else 'ikke'} faste mødefora {FORUM_PARTNERS} "
                f"på nogen af de {danish.count_word(total)} niveauer.")
    if len(levels) == 1:
        return (f"Der er {'heller ikke' if also else 'ikke'} et fast mødeforum "
                f"{FORUM_PARTNERS} på {levels[0]} niveau.")
    return (f"På {_forum_levels(levels)} niveau er der {'heller ikke' if also else 'ikke'} "
            f"faste mødefora {FORUM_PARTNERS}.")


def _steps(report: Report, names: list[str], strength: bool) -> str:
    """Samarbejdstrappen: ``Samarbejdet med boligorganisationen når op på et af
    samarbejdstrappens to øverste trin, »positiv koordinering«.``"""
    q = report.national.question(rules.TRIGGERS[names[0]][0])
    group = "oeverste_trin" if strength else "nederste_trin"
    where = (f"når op på et af samarbejdstrappens {danish.count_word(len(q.groups[group]))} "
             f"øverste trin" if strength else
             f"ligger på et af samarbejdstrappens {danish.count_word(len(q.groups[group]))} "
             f"nederste trin")
    partners = [WORDS[n][1] for n in names]
    if len(names) == 1:
        step = report.own(rules.TRIGGERS[names[0]][0])
        return f"Samarbejdet med {partners[0]} {where}, {danish.quoted(step)}."
    return f"Samarbejdet med både {danish.enumerate_words(partners)} {where}."


def _satisfied(owners: list[str], strength: bool, after_agree: bool) -> str:
    """``Koordinatoren er tilfreds med både den administrative ledelses og politikernes
    prioritering af arbejdet.``"""
    if strength:
        lead = "Desuden er koordinatoren" if after_agree else "Koordinatoren er"
        whose = owners[0] if len(owners) == 1 else f"både {owners[0]} og {owners[1]}"
        return f"{lead} tilfreds med {whose} prioritering af arbejdet."
    if len(owners) == 1:
        lead = "Koordinatoren er heller ikke" if after_agree else "Koordinatoren er ikke"
        return f"{lead} tilfreds med {owners[0]} prioritering af arbejdet."
    lead = "Desuden er koordinatoren" if after_agree else "Koordinatoren er"
    return (f"{lead} hverken tilfreds med {owners[0]} eller med {owners[1]} prioritering af "
            f"arbejdet.")


def _most_of(report: Report, name: str) -> str:
    """Whom the majority rule counted: ``de fleste af kommunerne med 4.000 eller flere beboere
    i helhedsplanområderne`` or, where the size group is not shown, ``de fleste af landets
    kommuner``."""
    if rules.advice(report).by_group(name):
        return f"de fleste af {danish.SIZE_GROUP_DEFINITE[report.municipality.size_group]}"
    return "de fleste af landets kommuner"


def _time(report: Report, strength: bool) -> str:
    """``Kommunen har »mellem halvtid og fuldtid« om ugen til strategisk koordinering af
    helhedsplansarbejdet.``"""
    answer = danish.quoted(report.own("tid_koordinering").lower())
    if strength:
        return f"Kommunen har {answer} om ugen {WORDS['tid'][1]}."
    return (f"Kommunen har kun {answer} om ugen {WORDS['tid'][1]}, mens "
            f"{_most_of(report, 'tid')} har mere.")


PLACES = {1: "i borgmesterkontoret, en fagneutral enhed", 2: "i en fagforvaltning",
          3: "et andet sted i organisationen"}


def _place(report: Report, strength: bool) -> str:
    """``Koordinatoren er placeret i en fagforvaltning, mens de fleste af … har den i
    borgmesterkontoret.``"""
    where = PLACES.get(report.municipality.answer("koordinator_placering"), "")
    if strength:
        return f"{WORDS['placering'][1]} {where}."
    return (f"{WORDS['placering'][1]} {where}, mens {_most_of(report, 'placering')} har "
            f"koordinatoren i borgmesterkontoret.")


def verdict_sentences(report: Report, names: list[str], strength: bool) -> str:
    """The strengths (``strength``) or the gaps among ``names`` (recommendation rules) as
    sentences a coordinator reads, grouped by what they are about: what the municipality has
    (coordinator, forums inside and across the organisations), where it stands on
    samarbejdstrappen, which statements the coordinator agrees with, and whose prioritisation
    the coordinator is satisfied with. ``""`` for no names. For example: »Køge Kommune har
    en boligsocial koordinator og faste mødefora med boligorganisationen og helhedsplanen på
    både strategisk og taktisk niveau.«
    """
    if not names:
        return ""
    title = report.municipality.title
    kinds: dict[str, list[str]] = {}
    for name in OVERVIEW:
        if name in names:
            kinds.setdefault(WORDS[name][0], []).append(name)
    total = len(FORUM_LEVELS)
    sentences = []
    has = [WORDS[n][1] for n in kinds.get("has", [])]
    levels = [WORDS[n][1] for n in kinds.get("forum", [])]
    if strength:
        objects = has + ([_forum_object(levels, total)] if levels else [])
        if objects:
            sentences.append(f"{title} har {danish.enumerate_words(objects)}.")
    else:
        if len(has) == 1:
            sentences.append(f"{title} har ikke {has[0]}.")
        elif has:
            sentences.append(f"{title} har {_neither(has)}.")
        if levels:
            sentences.append(_forum_gap(levels, total, also=bool(has)))
    if kinds.get("time"):
        sentences.append(_time(report, strength))
    if kinds.get("place"):
        sentences.append(_place(report, strength))
    if kinds.get("step"):
        sentences.append(_steps(report, kinds["step"], strength))
    # the statements about the partners (chapter 3), then those about the municipality's own
    # organisation and leadership (chapters 5 and 6), each a sentence of its own
    agree = kinds.get("agree", [])
    partners = [WORDS[n][1] for n in agree if rules.CHAPTERS[n] <= 3]
    inside = [WORDS[n][1] for n in agree if rules.CHAPTERS[n] > 3]
    joiner = "og" if strength else "eller"
    verb = "er enig i" if strength else "er ikke enig i"
    if partners:
        sentences.append(f"Koordinatoren {verb}, {_agree_clauses(partners, joiner)}.")
    if inside and partners:
        verb = "også enig i" if strength else "heller ikke enig i"
        sentences.append(f"Om kommunens egen organisation er koordinatoren {verb}, "
                         f"{_agree_clauses(inside, joiner)}.")
    elif inside:
        sentences.append(f"Koordinatoren {verb}, {_agree_clauses(inside, joiner)}.")
    owners = [WORDS[n][1] for n in kinds.get("satisfied", [])]
    if owners:
        sentences.append(_satisfied(owners, strength, after_agree=bool(agree)))
    return " ".join(sentences)


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
    steps = hi_code - lo_code
    distance = "et trin" if steps == 1 else f"{danish.count_word(steps)} trin"
    return (f"På samarbejdstrappen står samarbejdet med {partners[hi]} {distance} højere end "
            f"samarbejdet med {partners[lo]}, {danish.quoted(report.own(hi).lower())} mod "
            f"{danish.quoted(report.own(lo).lower())}. Erfaringerne fra det ene samarbejde "
            f"kan være et sted at begynde, når det andet skal løftes "
            f"(kapitel {rules.CHAPTERS['strategi']}).")


def verdict_rule(report: Report) -> str:
    """The overview's rule in plain Danish, once per edition (no digits typed: the group's
    name comes from :mod:`analysis.report.danish`)."""
    return (f"I kolonnen »Vurdering« står {danish.quoted(STRENGTH_LABEL)}, når kommunens svar "
            f"er et af dem, og ellers {danish.quoted(GAP_LABEL)}. "
            "To spørgsmål vurderes i forhold til kommunens størrelsesgruppe, fordi det rette "
            "svar afhænger af kommunen: Tiden til koordinering kan styrkes, hvis kommunen "
            "højst bruger en halvtidsstilling, mens de fleste i gruppen bruger mere. "
            "Koordinatorens placering kan styrkes, hvis koordinatoren sidder i en "
            "fagforvaltning eller et andet sted, mens de fleste i gruppen har koordinatoren i "
            "borgmesterkontoret. Er svaret det samme som flertallets, står der "
            f"{danish.quoted(AS_GROUP_LABEL)}. Hvor gruppens svar ikke kan vises, fordi for få "
            "har svaret, tæller hele landet i stedet.")
