"""Kapitel 2-6: potentialer, fælles forståelse og tillid, tværorganisatorisk organisering,
kommunens interne samarbejde og kommunal ledelse.

The values each chapter's prose prints, its figures and tables, and the table of a
municipality's own answers against the whole country and its size group.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy.stats import spearmanr

from analysis.report import danish, figures
from analysis.stats import disclosure
from analysis.report.content.common import Stat, answer_label
from analysis.stats.estimate import SIGNIFICANCE, Comparison, fisher_2x2
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Figure, Table

TRAPPE_PARTNERS = {"trin_boligorganisation": "Boligorganisation",
                   "trin_helhedsplan": "Helhedsplan"}
FORUM_LEVELS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
                "forum_udfoerende": "Udførende niveau"}
CHAPTER_ITEMS = {
    3: ("faelles_maal", "tillid"),
    5: ("vidensdeling",),
    6: ("ledelse_kommunikerer_maal", "medarbejdere_snitflader", "metodefrihed"),
}


def _agree_counts(report: Report, items: tuple[str, ...]) -> pd.DataFrame:
    nat = report.national
    rows = {}
    for item in items:
        q = nat.question(item)
        rows[q.short] = nat.distribution(item)["antal"]
    return pd.DataFrame(rows).T


def agree_figure(report: Report, chapter: int, ident: str) -> Figure:
    """Stacked answers to the chapter's agree/satisfaction items, own answers outlined."""
    return _agree_figure(report, CHAPTER_ITEMS[chapter], ident)


def priority_figure(report: Report) -> Figure:
    """The negatively worded item (the leaders could give the work higher priority), drawn on
    a scale of one hue, since agreeing here is neither good nor bad."""
    return _agree_figure(report, ("ledelse_kunne_prioritere_hoejere",), "prioritering",
                         colors=figures.NEUTRAL5)


def _agree_figure(report: Report, items: tuple[str, ...], ident: str,
                  colors: list[str] | None = None) -> Figure:
    nat = report.national
    counts = _agree_counts(report, items)
    marks = []
    if report.municipality is not None:
        for item in items:
            label = answer_label(report, item)
            if label in nat.question(item).answers.values():
                marks.append((nat.question(item).short, label))
    parts = []
    for item in items:
        q = nat.question(item)
        s = nat.share(item, "enig")
        parts.append(f"{q.short.lower()}: {danish.percent(s.share)} enige")
    n = int(counts.sum(axis=1).max())
    alt = ("Vandrette søjler med fordelingen af svar fra helt uenig til helt enig. "
           + "; ".join(parts) + ".")
    if marks:
        alt += " Kommunens egne svar er markeret med en ramme: " + "; ".join(
            f"{row.lower()}: {label.lower()}" for row, label in marks) + "."
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    return figures.stacked_figure(counts, marks, ident=ident, alt=alt, source=source,
                                  colors=colors)


# ---------------------------------------------------------------- kapitel 2

@dataclass(frozen=True)
class Staircase:
    """Where the municipalities' collaboration lies on samarbejdstrappen."""

    low_bo: Stat | None        # with the boligorganisation: the two lower steps
    high_bo: Stat | None       # with the boligorganisation: the two upper steps
    high_hp: Stat | None       # with the helhedsplan: the two upper steps

    @property
    def hp_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: the helhedsplan against the
        boligorganisation, on the upper steps."""
        return danish.compare(self.high_hp.share, self.high_bo.share,
                              "oftere", "sjældnere", "lige så ofte")


def staircase(report: Report) -> Staircase:
    r = report
    return Staircase(low_bo=r.share("trin_boligorganisation", "nederste_trin"),
                     high_bo=r.share("trin_boligorganisation", "oeverste_trin"),
                     high_hp=r.share("trin_helhedsplan", "oeverste_trin"))


def trappe_figure(report: Report) -> Figure:
    nat = report.national
    steps = list(nat.question("trin_boligorganisation").answers.values())
    shares = {}
    for qid, partner in TRAPPE_PARTNERS.items():
        counts = nat.distribution(qid)["antal"]
        shares[partner] = list(counts / counts.sum())
    own = None
    m = report.municipality
    if m is not None:
        own = {partner: m.answer(qid) for qid, partner in TRAPPE_PARTNERS.items()
               if m.answer(qid) in nat.question(qid).answers}
    n = len(nat.valid("trin_boligorganisation"))
    alt = ("En trappe med fire trin fra vidensdeling til innovative løsninger. På hvert trin "
           "står andelen af kommuner, hvis samarbejde ligger der: "
           + "; ".join(f"{partner.lower()}: " + ", ".join(
               f"trin {i + 1} {danish.percent(v)}" for i, v in enumerate(vals))
               for partner, vals in shares.items()) + ".")
    if own:
        alt += " Kommunens eget samarbejde er markeret med en pil: " + "; ".join(
            f"{partner.lower()} på trin {step}" for partner, step in own.items()) + "."
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    return figures.staircase_figure(steps, shares, own, ident="samarbejdstrappen", alt=alt,
                                    source=source)


# ---------------------------------------------------------------- kapitel 3

@dataclass(frozen=True)
class Understanding:
    """Shared goals and trust, and whether shared goals go with a higher step."""

    goals: Stat | None
    trust: Stat | None
    rho: float               # Spearman's rank correlation, shared goals against the step
    p_value: float
    n: int                   # municipalities with both answers

    @property
    def related(self) -> bool:
        """Shared goals go with a higher step, beyond what chance explains."""
        return self.p_value < SIGNIFICANCE and self.rho > 0

    @property
    def rho_text(self) -> str:
        return danish.decimal(self.rho, 2)

    @property
    def p_text(self) -> str:
        return danish.p_value(self.p_value)


def understanding(report: Report) -> Understanding:
    nat = report.national
    both = nat.valid("faelles_maal")
    both = both[both["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").answers))]
    rho, p = spearmanr(both["faelles_maal"].astype(float),
                       both["trin_boligorganisation"].astype(float))
    return Understanding(goals=report.share("faelles_maal", "enig"),
                         trust=report.share("tillid", "enig"), rho=float(rho), p_value=float(p),
                         n=len(both))


# ---------------------------------------------------------------- kapitel 4

@dataclass(frozen=True)
class Fora:
    """Cross-organisational meeting fora, and the step of those with fora at every level."""

    levels: str                   # "strategisk niveau 78 %, taktisk niveau 61 % og …"
    all_levels: Stat | None       # fora at all three levels
    comparable: bool              # the comparison below may be shown (disclosure control)
    high_with: Stat | None        # upper steps among those with fora at all levels
    high_without: Stat | None     # … among the others
    test: Comparison | None

    @property
    def with_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: with fora at all levels against the
        others, on the upper steps."""
        return danish.compare(self.high_with.share, self.high_without.share,
                              "oftere", "sjældnere", "lige så ofte")


def fora(report: Report) -> Fora:
    nat = report.national
    valid = nat.valid("forum")
    shares = {label: report.option_share(col) for col, label in FORUM_LEVELS.items()}
    all_levels = valid[list(FORUM_LEVELS)].eq(1).all(axis=1)
    stepped = valid["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").answers))
    high = valid["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").groups["oeverste_trin"]))
    with_all, without = high[all_levels & stepped], high[~all_levels & stepped]
    comparable = disclosure.derived_group_ok(len(with_all), len(without), k=nat.plan.k)
    population = len(nat.register)

    def stat(flags) -> Stat | None:
        return Stat(int(flags.sum()), len(flags), float(flags.mean()), population) \
            if len(flags) else None
    test = fisher_2x2(int(with_all.sum()), len(with_all), int(without.sum()), len(without)) \
        if comparable else None
    return Fora(levels=danish.enumerate_words([f"{label.lower()} {s.pct}"
                                               for label, s in shares.items()]),
                all_levels=stat(all_levels), comparable=comparable,
                high_with=stat(with_all) if comparable else None,
                high_without=stat(without) if comparable else None, test=test)


def forum_figure(report: Report) -> Figure:
    nat = report.national
    shares = pd.Series({label: nat.option_share(col).share for col, label in FORUM_LEVELS.items()})
    highlight = None
    m = report.municipality
    if m is not None and m.answered and all(m.answer(c) is not None for c in FORUM_LEVELS):
        highlight = {label: m.answer(col) == 1 for col, label in FORUM_LEVELS.items()}
    n = len(nat.valid("forum"))
    alt = ("Vandrette søjler for tre niveauer: " + ", ".join(
        f"{k.lower()} {danish.percent(v)}" for k, v in shares.items()) + ".")
    if highlight:
        alt += " Kommunens egne svar er markeret: " + ", ".join(
            f"{k.lower()} {'ja' if v else 'nej'}" for k, v in highlight.items()) + "."
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    return figures.share_bars_figure(shares, highlight, ident="moedefora", alt=alt,
                                     source=source)


# ---------------------------------------------------------------- kapitel 5

@dataclass(frozen=True)
class Internal:
    """The municipality's internal collaboration: the coordinator's place, fora, knowledge."""

    mayor: Stat | None        # coordinator in the mayor's office (of those with a coordinator)
    sector: Stat | None       # coordinator in a sector administration
    forum: Stat | None        # a cross-departmental forum on the helhedsplaner
    knowledge: Stat | None    # agree that knowledge is shared across departments


def internal(report: Report) -> Internal:
    r = report
    return Internal(mayor=r.share("koordinator_placering", "borgmesterkontor"),
                    sector=r.share("koordinator_placering", "fagforvaltning"),
                    forum=r.share("internt_forum", "ja"),
                    knowledge=r.share("vidensdeling", "enig"))


def placement_table(report: Report) -> Table:
    nat = report.national
    counts = nat.distribution("koordinator_placering")["antal"]
    total = int(counts.sum())
    frame = pd.DataFrame({
        "Placering": list(counts.index),
        "Kommuner": [danish.integer(v) for v in counts],
        "Andel": [danish.percent(v / total, 1) if total else "–" for v in counts],
    })
    frame.loc[len(frame)] = ["I alt", danish.integer(total), danish.percent(1.0, 1)]
    return Table.from_frame(frame, ident="placering", caption="",
                            source=danish.n_source(total, danish.SOURCE_SURVEY))


# ---------------------------------------------------------------- kapitel 6

@dataclass(frozen=True)
class Leadership:
    """How the coordinators see the municipal leaders' part in the work."""

    higher: Stat | None       # agree the leaders could give the work higher priority
    adm: Stat | None          # satisfied with the administrative leaders' priority
    pol: Stat | None          # satisfied with the politicians' priority
    goals: Stat | None        # agree the leaders communicate the goals clearly
    staff: Stat | None        # agree staff are chosen for their interfaces with the plan
    freedom: Stat | None      # agree staff are free to choose their methods


def leadership(report: Report) -> Leadership:
    r = report
    return Leadership(higher=r.share("ledelse_kunne_prioritere_hoejere", "enig"),
                      adm=r.share("tilfreds_adm_ledelse", "tilfreds"),
                      pol=r.share("tilfreds_pol_ledelse", "tilfreds"),
                      goals=r.share("ledelse_kommunikerer_maal", "enig"),
                      staff=r.share("medarbejdere_snitflader", "enig"),
                      freedom=r.share("metodefrihed", "enig"))




# ---------------------------------------------------------------- the municipality's own answers

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


def _own_row(report: Report, item: str, group: str | None, size: str
             ) -> tuple[tuple[str, ...], str | None] | None:
    nat = report.national
    m = report.municipality
    value = m.answer(item)
    if group is None:                       # one option of the multiple-choice forum question
        if value is None:
            return None
        shown = nat.plan.is_shown("forum", "size_group", size)
        s_all = nat.option_share(item)
        in_size = nat.respondents[nat.respondents["size_group"] == size]
        s_grp = nat.option_share(item, in_size) if shown else None
        return ((f"Fast mødeforum, {FORUM_LEVELS[item].lower()}", "Ja" if value == 1 else "Nej",
                 "Ja",
                 danish.percent(s_all.share), danish.integer(s_all.n),
                 danish.percent(s_grp.share) if s_grp else "–"),
                None if shown else nat.suppressed_note("forum"))
    q = nat.question(item)
    if value is None or value not in q.answers:
        return None
    s_all = nat.share(item, group)
    s_grp = nat.group_share(item, group, size)
    what = danish.alternatives([q.answers[c].lower() for c in q.groups[group]])
    return ((q.short, q.answers[value], what[0].upper() + what[1:], danish.percent(s_all.share),
             danish.integer(s_all.n), danish.percent(s_grp.share) if s_grp else "–"),
            None if s_grp else nat.suppressed_note(item))


def own_answers(report: Report, chapter: int) -> Table | None:
    """The municipality's own answers to the chapter's questions, with the share of the whole
    country and of its size group (fixed groups, the same in every report) giving the answer
    named in the third column. None for the national report or where it answered none."""
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
    columns = ["Spørgsmål", "Kommunens svar", "Andelen, der svarer", "Hele landet",
               "N", danish.SIZE_GROUP_SHORT[m.size_group].capitalize()]
    frame = pd.DataFrame(rows, columns=columns)
    return Table.from_frame(frame, ident=f"egne-svar-{chapter}", caption="",
                            source=f"N er antallet af kommuner i hele landet, der har svaret "
                                   f"på spørgsmålet. Kilde: {danish.SOURCE_SURVEY}.",
                            notes=tuple(sorted(set(notes))))


# ---------------------------------------------------------------- the municipality's overview

# The answer that counts as a strength for each question of the overview (a 0/1 option column
# of the forum question has None: "ja" is the strength). Questions whose answers are neither
# good nor bad (where the coordinator sits, how much time is spent, the negatively worded item)
# are not on it.
STRENGTHS: tuple[tuple[str, str | None], ...] = (
    ("har_koordinator", "ja"), ("tilfreds_adm_ledelse", "tilfreds"),
    ("trin_boligorganisation", "oeverste_trin"), ("trin_helhedsplan", "oeverste_trin"),
    ("faelles_maal", "enig"), ("tillid", "enig"),
    ("forum_strategisk", None), ("forum_taktisk", None), ("forum_udfoerende", None),
    ("internt_forum", "ja"), ("vidensdeling", "enig"),
    ("ledelse_kommunikerer_maal", "enig"), ("medarbejdere_snitflader", "enig"),
    ("metodefrihed", "enig"), ("tilfreds_pol_ledelse", "tilfreds"),
)
STRENGTH_LABEL, GAP_LABEL = "Styrke", "Kan styrkes"


@dataclass(frozen=True)
class Overview:
    """The municipality's answers on one page: a table and its strengths and gaps in words."""

    table: Table | None
    strengths: str            # "fælles mål med boligorganisationen, tillid og …" ("" if none)
    gaps: str
    n_strengths: int
    n_gaps: int


def _strength(report: Report, item: str, group: str | None) -> bool | None:
    m = report.municipality
    value = m.answer(item)
    if group is None:
        return None if value is None else value == 1
    q = report.national.question(item)
    if value is None or value not in q.answers:
        return None
    return value in q.groups[group]


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "", "", 0, 0)
    rows, notes, good, weak = [], [], [], []
    for item, group in STRENGTHS:
        verdict = _strength(report, item, group)
        if verdict is None:
            continue
        row, note = _own_row(report, item, group, m.size_group)
        label = row[0]
        (good if verdict else weak).append(label[0].lower() + label[1:])
        question, answer, _, *shares = row      # the strength is named in the text instead
        rows.append((question, answer, *shares, STRENGTH_LABEL if verdict else GAP_LABEL))
        if note:
            notes.append(note)
    columns = ["Spørgsmål", "Kommunens svar", "Hele landet", "N",
               danish.SIZE_GROUP_SHORT[m.size_group].capitalize(), "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt", caption="",
                             source=f"N er antallet af kommuner i hele landet, der har svaret "
                                    f"på spørgsmålet. Kilde: {danish.SOURCE_SURVEY}.",
                             notes=tuple(sorted(set(notes))))
    return Overview(table=table, strengths=danish.enumerate_words(good),
                    gaps=danish.enumerate_words(weak), n_strengths=len(good), n_gaps=len(weak))
