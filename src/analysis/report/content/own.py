"""The municipal edition's own picture: for each chapter, the municipality's answers against
the whole country and its size group, the one-page overview of strengths and gaps, its facts
from the registers against its size group and the country, and, for a municipality that did
not answer, how its size group answered.

Every comparison names its group and prints the number of municipalities it counts (N).
The groups are fixed (the whole country, the size group), the same in every report, and a
size group's figure is printed only where the disclosure plan shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.common import Stat, edition_note, suppressed_note
from analysis.report.content.values import described, value
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

# The word every mark of the municipality's own answers in the figures begins with.
MARK_WORD = danish.FIGURE_OWN_STEP
N_NOTE = ("N er antallet af kommuner i gruppen, der har svaret på spørgsmålet; det skifter fra "
          "spørgsmål til spørgsmål, fordi ikke alle kommuner har svaret på alt.")
OWN_SOURCE = f"{N_NOTE} Kilde: {danish.SOURCE_SURVEY}."
# Added where a table holds the coordinator's placement, asked only where there is one.
PLACEMENT_NOTE = ("Spørgsmålet om koordinatorens placering er kun stillet til kommuner med en "
                  "koordinator.")


def _source(columns) -> str:
    """The source line of a table of survey answers, with the note on the placement question
    where the table holds it."""
    if "koordinator_placering" in columns:
        return f"{N_NOTE} {PLACEMENT_NOTE} Kilde: {danish.SOURCE_SURVEY}."
    return OWN_SOURCE
REGISTER_SOURCE = f"Kilde: {danish.SOURCE_REGISTER} og Danmarks Statistik."

# The items of each chapter's own-answers table and the answer group each is compared on.
OWN_ITEMS = {
    1: (("har_koordinator", "ja"), ("tid_koordinering", "fuldtid_eller_mere"),
        ("tilfreds_adm_ledelse", "tilfreds")),
    2: (("trin_boligorganisation", "oeverste_trin"), ("trin_helhedsplan", "oeverste_trin")),
    3: (("faelles_maal", "enig"), ("tillid", "enig")),
    4: tuple((column, None) for column in FORUM_LEVELS),
    5: (("koordinator_placering", "borgmesterkontor"), ("internt_forum", "ja"),
        ("vidensdeling", "enig")),
    6: (("ledelse_kunne_prioritere_hoejere", "enig"), ("ledelse_kommunikerer_maal", "enig"),
        ("medarbejdere_snitflader", "enig"), ("metodefrihed", "enig"),
        ("tilfreds_pol_ledelse", "tilfreds")),
}


def group_heading(size: str) -> str:
    """A table column of the size group: ``Kommuner med 4.000 beboere og derover`` (the
    text above each table says where the residents live). Its words are bound in pairs by
    non-breaking spaces (»Kommuner med«, »4.000 beboere«, »og derover«), so that the heading
    of a narrow column breaks into three lines, not five."""
    words = f"Kommuner med {danish.SIZE_GROUP_SHORT[size]}".split()
    return " ".join(danish.NBSP.join(words[i:i + 2]) for i in range(0, len(words), 2))


def _with_n(heading: str, n: int) -> str:
    """``Hele landet (N = 44)``: a column whose every row counts the same municipalities."""
    return f"{heading} ({danish.n_text(n)})"


def _pct(stat) -> tuple[str, str]:
    """A share and its N as two cells (``–`` twice where the figure is not shown)."""
    if stat is None:
        return "–", "–"
    return danish.percent(stat.share), danish.integer(stat.n)


def _forum_label(column: str) -> str:
    return f"Fast mødeforum, {FORUM_LEVELS[column].lower()}"


def _own_row(report: Report, item: str, group: str | None, size: str
             ) -> tuple[tuple[str, ...], str | None] | None:
    nat = report.national
    m = report.municipality
    code = m.answer(item)
    if group is None:                       # one option of the multiple-choice forum question
        if code is None:
            return None
        shown = nat.plan.is_shown("forum", "size_group", size)
        s_all = nat.option_share(item)
        s_grp = nat.option_share(item, size=size) if shown else None
        return ((_forum_label(item), "Ja" if code == 1 else "Nej", "Ja",
                 *_pct(s_all), *_pct(s_grp)),
                None if shown else suppressed_note(report, "forum"))
    q = nat.question(item)
    if code is None or code not in q.answers:
        return None
    s_all = nat.share(item, group)
    s_grp = nat.group_share(item, group, size)
    what = danish.alternatives([q.answers[c].lower() for c in q.groups[group]])
    return ((q.short, q.answers[code], what[0].upper() + what[1:], *_pct(s_all), *_pct(s_grp)),
            None if s_grp else suppressed_note(report, item))


def answers(report: Report, chapter: int) -> Table | None:
    """The municipality's own answers to the chapter's questions, with the share of the whole
    country and of its size group (fixed groups, the same in every report) giving the answer
    named in the third column, each with its N. None for the national report or where it
    answered none."""
    m = report.municipality
    if m is None or not m.answered:
        return None
    rows, notes = [], []
    for item, group in OWN_ITEMS[chapter]:
        row = _own_row(report, item, group, m.size_group)
        if row is not None:
            rows.append(row[0])
            if row[1]:
                notes.append(row[1])
    if not rows:
        return None
    columns = ["Spørgsmål", "Kommunens svar", "Andelen, der svarer", danish.COUNTRY, "N",
               group_heading(m.size_group), "N"]
    frame = pd.DataFrame(rows, columns=columns)
    asked = tuple(dict.fromkeys("forum" if group is None else item
                                for item, group in OWN_ITEMS[chapter]))
    note = edition_note(report, asked)
    return Table.from_frame(frame, ident=f"egne-svar-{chapter}", caption="",
                            source=(f"{_source(asked)} {note}" if note else _source(asked)),
                            notes=tuple(sorted(set(notes))))


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


@described
@dataclass(frozen=True)
class Overview:
    """The municipality's answers on one page: a table and its strengths and gaps in words."""

    table: Table | None = value("The overview table: each answer that can be a strength, the "
                                "whole country's and the size group's share giving such an "
                                "answer with its N, and whether the municipality's own answer "
                                "is a strength or a gap; None in the national report and for a "
                                "municipality that did not answer.",
                                "kommunens egne svar mod kommuner med et gyldigt svar",
                                example="(tabellen)")
    strengths: str = value("The strengths as sentences, grouped by theme ('' if none).",
                           "kommunens egne svar")
    gaps: str = value("What can be strengthened, as sentences grouped by theme ('' if "
                      "nothing).", "kommunens egne svar")
    strong: tuple[str, ...] = value("The recommendation rules whose question the municipality "
                                    "answered with a strength.", "kommunens egne svar",
                                    default=())
    weak: tuple[str, ...] = value("The recommendation rules its answers trigger: one "
                                  "recommendation each.", "kommunens egne svar", default=())
    unanswered: int = value("How many of the overview's questions it gave no valid answer "
                            "to.", "kommunens egne svar", default=0)
    level: tuple[str, ...] = value("The rules whose question it answered outside the "
                                   "favourable answers, as most of its comparison group did: "
                                   "neither strength nor gap.", "kommunens egne svar",
                                   default=())
    asymmetry: str = value("A sentence on the two steps of samarbejdstrappen where they "
                           "differ ('' where they are the same or not both answered).",
                           "kommunens egne svar", default="")

    @property
    def n_strengths(self) -> int:
        """How many strengths."""
        return len(self.strong)

    @property
    def n_gaps(self) -> int:
        """How many gaps (as many as the recommendations)."""
        return len(self.weak)

    @property
    def gap_pointer(self) -> str:
        """Where the gaps are taken up: ``Anbefalingen efter konklusionen tager det op.`` or
        ``Anbefalingerne efter konklusionen tager dem op, én for hvert punkt.``"""
        if self.n_gaps == 1:
            return "Anbefalingen efter konklusionen tager det op."
        return "Anbefalingerne efter konklusionen tager dem op, én for hvert punkt."


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
            "højst bruger en halvtidsstilling, mens de fleste i gruppen bruger mere. Koordinatorens placering kan styrkes, hvis koordinatoren sidder i en "
            "fagforvaltning eller et andet sted, mens de fleste i gruppen har koordinatoren i "
            "borgmesterkontoret. Er svaret det samme som flertallets, står der "
            f"{danish.quoted(AS_GROUP_LABEL)}. Hvor gruppens svar ikke kan vises, fordi for få "
            "har svaret, tæller hele landet i stedet.")


def _overview_question(report: Report, name: str) -> str:
    column = rules.TRIGGERS[name][0]
    if column in FORUM_LEVELS:
        return _forum_label(column)
    return report.national.question(column).short


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "", "")
    raad = rules.advice(report)
    rows, notes, good, weak, level, missing = [], [], [], [], [], 0
    for name in OVERVIEW:
        hit = rules.triggers(report, name)
        if hit is None:
            missing += 1
            continue
        as_group = rules.as_group(report, name)
        column = rules.TRIGGERS[name][0]
        answer = ("Ja" if m.answer(column) == 1 else "Nej") if column in FORUM_LEVELS else \
            report.national.question(column).answers[m.answer(column)]
        group = raad.group(name)
        if group is None:
            notes.append(suppressed_note(report, rules.question_id(report, column)))
        rows.append((_overview_question(report, name), answer, *_pct(raad.country(name)),
                     *_pct(group),
                     GAP_LABEL if hit else AS_GROUP_LABEL if as_group else STRENGTH_LABEL))
        (weak if hit else level if as_group else good).append(name)
    columns = ["Spørgsmål", "Kommunens svar", danish.COUNTRY, "N",
               group_heading(m.size_group), "N", "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt",
                             caption="", source=_source(("koordinator_placering",)),
                             notes=tuple(sorted({n for n in notes if n})))
    return Overview(table=table, strengths=verdict_sentences(report, good, True),
                    gaps=verdict_sentences(report, weak, False), strong=tuple(good),
                    weak=tuple(weak), level=tuple(level), unanswered=missing,
                    asymmetry=_staircase_asymmetry(report))


# ---------------------------------------------------------------- facts from the registers

# The co-financing forms, as the register names them (kept with chapter 1's figure).
def _co_financing_labels() -> dict[str, str]:
    from analysis.report.content.ch1 import CO_FINANCING_LABELS
    return CO_FINANCING_LABELS


@described
@dataclass(frozen=True)
class Facts:
    """The municipality's facts from the registers beside its size group and the country."""

    table: Table | None = value("The facts table: the municipality, the median or share of its "
                                "size group and of the whole country, each group with its N.",
                                "kommuner med en helhedsplan", example="(tabellen)")
    plans: int = value("The municipality's helhedsplaner.", "helhedsplanregistret", default=0)
    residents: int = value("Residents of the areas its helhedsplaner cover.",
                           "helhedsplanregistret", default=0)
    group_n: int = value("Municipalities with a helhedsplan in its size group.",
                         "kommuner med en helhedsplan i størrelsesgruppen", default=0)
    group_median: int = value("The median residents of its size group's areas.",
                              "kommuner med en helhedsplan i størrelsesgruppen", default=0)
    fewer: int = value("Municipalities of its size group with fewer residents in their areas.",
                       "kommuner med en helhedsplan i størrelsesgruppen", default=0)
    same: int = value("Other municipalities of its size group with as many residents in their "
                      "areas.", "kommuner med en helhedsplan i størrelsesgruppen", default=0)
    forms: int = value("How many of the forms of co-financing it uses.",
                       "helhedsplanregistret", default=0)
    form_names: tuple[str, ...] = value("The forms of co-financing it uses, lower case.",
                                        "helhedsplanregistret", default=())
    group_forms: int = value("The median number of forms its size group uses.",
                             "kommuner med en helhedsplan i størrelsesgruppen", default=0)
    size: str = value("Its size group, ``small`` or ``large``.", "helhedsplanregistret",
                      default="")

    @property
    def plans_words(self) -> str:
        """``én helhedsplan``, ``to helhedsplaner``."""
        noun = "helhedsplan" if self.plans == 1 else "helhedsplaner"
        return f"{danish.count_word(self.plans)} {noun}"

    @property
    def group_words(self) -> str:
        """``kommuner med under 4.000 beboere i helhedsplanområderne``."""
        return danish.SIZE_GROUP_LONG[self.size]

    @property
    def forms_words(self) -> str:
        """``én form, medarbejderressourcer`` or ``to former: medarbejderressourcer og lokaler
        og faciliteter``."""
        n = len(self.form_names)
        if n == 0:
            return "ingen af formerne"
        if n == 1:
            return f"én form, {self.form_names[0]}"
        return f"{danish.count_word(n)} former: {danish.enumerate_words(list(self.form_names))}"

    @property
    def group_forms_words(self) -> str:
        """The forms the middle municipality of the size group uses: ``to former``."""
        return f"{danish.count_word(self.group_forms)} " + (
            "form" if self.group_forms == 1 else "former")

    @property
    def group_definite(self) -> str:
        """``kommunerne med under 4.000 beboere i helhedsplanområderne``."""
        return danish.SIZE_GROUP_DEFINITE[self.size]

    @property
    def position_words(self) -> str:
        """Where its residents place it in its size group: ``i den lille ende af gruppen``,
        ``i den store ende af gruppen`` or ``midt i gruppen`` (a third of the group on either
        side counts as an end)."""
        more = self.group_n - 1 - self.fewer - self.same
        if self.fewer * 3 < self.group_n and self.fewer < more:
            return "i den lille ende af gruppen"
        if more * 3 < self.group_n and more < self.fewer:
            return "i den store ende af gruppen"
        return "midt i gruppen"

    @property
    def forms_comparison(self) -> str:
        """Its forms of co-financing against the group's median: ``færre former for
        medfinansiering end``, ``flere … end`` or ``lige så mange … som``."""
        return danish.compare(self.forms, self.group_forms,
                              "flere former for medfinansiering end",
                              "færre former for medfinansiering end",
                              "lige så mange former for medfinansiering som")

    @property
    def median_comparison(self) -> str:
        """Its residents against the group's median: ``færre end``, ``flere end`` or ``lige så
        mange som``."""
        return danish.compare(self.residents, self.group_median, "flere end", "færre end",
                              "lige så mange som")


def _median(values: pd.Series) -> str:
    return danish.integer(int(round(float(values.median()))))


def facts(report: Report) -> Facts:
    """The facts of the registers for the municipality's own section (empty for the national
    report). The registers cover every municipality with a helhedsplan, so no figure is
    suppressed; only fixed groups are shown."""
    m = report.municipality
    if m is None:
        return Facts(None)
    reg = report.national.register
    group = reg[reg["size_group"] == m.size_group]
    labels = _co_financing_labels()
    f = m.facts
    own_forms = int(sum(int(f[col] == 1) for col in labels))
    rows = [
        ("Helhedsplaner (antal)", danish.integer(int(f["antal_helhedsplaner"])),
         _median(group["antal_helhedsplaner"]), _median(reg["antal_helhedsplaner"])),
        ("Beboere i områderne med helhedsplan", danish.integer(int(f["beboere_i_omraader"])),
         _median(group["beboere_i_omraader"]), _median(reg["beboere_i_omraader"])),
        ("Indbyggere i kommunen (2015)", danish.integer(m.population),
         _median(group["folketal_2015"]), _median(reg["folketal_2015"])),
    ]
    for col, label in labels.items():
        rows.append((f"Medfinansiering: {label.lower()}", "Ja" if f[col] == 1 else "Nej",
                     danish.percent(float((group[col] == 1).mean())),
                     danish.percent(float((reg[col] == 1).mean()))))
    rows.append(("Former for medfinansiering (antal)", danish.integer(own_forms),
                 _median(sum((group[c] == 1).astype(int) for c in labels)),
                 _median(sum((reg[c] == 1).astype(int) for c in labels))))
    columns = ["", m.title, _with_n(group_heading(m.size_group), len(group)),
               _with_n(danish.COUNTRY, len(reg))]
    note = ("For grupperne viser tabellen medianen (halvdelen af kommunerne ligger under, "
            "halvdelen over), og for "
            "medfinansieringen andelen af kommunerne, der bruger formen. N er antallet af "
            "kommuner med helhedsplaner i gruppen.")
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="noegletal",
                             caption="", source=REGISTER_SOURCE, notes=(note,))
    residents = int(f["beboere_i_omraader"])
    return Facts(table=table, plans=int(f["antal_helhedsplaner"]), residents=residents,
                 group_n=len(group),
                 group_median=int(round(float(group["beboere_i_omraader"].median()))),
                 fewer=int((group["beboere_i_omraader"] < residents).sum()),
                 same=int((group["beboere_i_omraader"] == residents).sum()) - 1, forms=own_forms,
                 form_names=tuple(label.lower() for col, label in labels.items()
                                  if f[col] == 1),
                 group_forms=int(round(float(sum((group[c] == 1).astype(int)
                                                 for c in labels).median()))),
                 size=m.size_group)


def cleared_excerpts(report: Report) -> int:
    """How many interview excerpts the municipality's edition may attribute to it (its
    clearance allows naming it); 0 in the national report."""
    from analysis.report.content.common import _own_cleared
    return len(_own_cleared(report))


# ---------------------------------------------------------------- the size group's answers

def _counted_answers(report: Report, name: str) -> str:
    """The answers that do not trigger the rule, as the table names them: ``Overvejende enig
    eller helt enig``, ``Positiv koordinering eller innovative løsninger``, ``Ja``."""
    column, group, outside = rules.TRIGGERS[name]
    if group == "":
        return "Ja"
    q = report.national.question(column)
    codes = q.groups[group] if outside else [c for c in q.answers if c not in q.groups[group]]
    words = danish.alternatives([q.answers[c].lower() for c in codes])
    return words[0].upper() + words[1:]


def group_answers(report: Report) -> Table | None:
    """How the municipality's size group and the whole country answered the overview's
    questions, each share with its N (for a municipality that did not answer; None for the
    national report). A size group's figure the disclosure plan suppresses is ``–``, with its
    footnote."""
    m = report.municipality
    if m is None:
        return None
    country = {name: rules._country(report, *rules.TRIGGERS[name]) for name in OVERVIEW}
    rows, notes = [], []
    for name in OVERVIEW:
        group = rules._size_group(report, m.size_group, *rules.TRIGGERS[name])
        if group is None:
            notes.append(suppressed_note(report,
                                         rules.question_id(report, rules.TRIGGERS[name][0])))
        rows.append((_overview_question(report, name), _counted_answers(report, name),
                     *_pct(group), *_pct(country[name])))
    columns = ["Spørgsmål", "Andelen, der svarer", group_heading(m.size_group), "N",
               danish.COUNTRY, "N"]
    return Table.from_frame(pd.DataFrame(rows, columns=columns), ident="stoerrelsesgruppen",
                            caption="", source=_source(("koordinator_placering",)),
                            notes=tuple(sorted({n for n in notes if n})))


# ---------------------------------------------------------------- the marks in the figures

def marks(figure, answer: bool = True) -> str:
    """How a figure marks the municipality's own answer, in the words of the marks it draws
    (the labels are the figures' own, :mod:`analysis.report.danish`): ``med en ramme og
    teksten »Jer« på det trin, kommunen har valgt``.

    Bars of shares name the answer beside each bar (``Jer: ja``/``Jer: nej``); bars split by
    answer outline the municipality's answer and name it beside its bar (``Jeres svar:
    helt enig``); samarbejdstrappen frames the municipality's step and writes ``Jer`` in it.
    Without ``answer``, the answer beside the bar is not quoted (for a sentence about two
    figures).
    """
    from analysis.report.content.ch1 import DrawnBySize
    from analysis.report.content.common import DrawnBars
    from analysis.report.content.themes import DrawnAgreement, DrawnStaircase

    def label(answer: str) -> str:
        return danish.quoted(f"{danish.FIGURE_OWN_ANSWERS}: {answer}")

    if isinstance(figure, DrawnStaircase):
        return (f"med en ramme og teksten {danish.quoted(danish.FIGURE_OWN_STEP)} på det trin, "
                f"kommunen har valgt")
    if isinstance(figure, DrawnBars):
        return (f"med teksten {danish.quoted(danish.FIGURE_OWN_YES)} eller "
                f"{danish.quoted(danish.FIGURE_OWN_NO)} ud for hver søjle")
    if isinstance(figure, DrawnBySize) and figure.mark is not None:
        if not answer:
            return (f"med en ramme i søjlen for {figure.mark.group} og med "
                    f"{danish.quoted(danish.FIGURE_OWN_ANSWERS + ':')} og svaret ud for søjlen")
        return (f"med en ramme i søjlen for {figure.mark.group} og teksten "
                f"{label(figure.mark.answer)} ud for søjlen")
    if isinstance(figure, DrawnAgreement) and len(figure.own) == 1:
        return f"med en ramme og teksten {label(figure.own[0][1].lower())} ud for søjlen"
    return (f"med en ramme om svaret i hver søjle og med "
            f"{danish.quoted(danish.FIGURE_OWN_ANSWERS + ':')} og svaret ud for søjlen")
