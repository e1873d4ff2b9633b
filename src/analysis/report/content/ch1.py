"""Kapitel 1: Kommuner med helhedsplaner."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish, figures
from analysis.report.content.common import (DrawnBars, DrawnFigure, Diff, Stat, apply_plan,
                                            distribution_with_own, edition_note, lower,
                                            suppressed_note)
from analysis.report.content.values import described, value
from analysis.stats.estimate import Comparison, ordinal_2groups, score_2x2
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Figure, Table
from analysis.core.settings import LARGE_THRESHOLD

CO_FINANCING_LABELS = {
    "medfin_medarbejderressourcer": "Medarbejderressourcer",
    "medfin_kontant_tilskud": "Kontant tilskud",
    "medfin_lokaler": "Lokaler og faciliteter",
    "medfin_aktiviteter": "Tilskud til konkrete aktiviteter",
}
# Under the figure of the example data: the 2015 report names only staff resources of the four
# forms (data/register/README.md).
CO_FINANCING_ASSUMED = ("2015-rapporten nævner kun medarbejderressourcer ved navn; de tre andre "
                        "former er antaget i eksempeldataene.")


@described
@dataclass(frozen=True)
class Scope:
    """How many municipalities have helhedsplaner, where, and how many are small."""

    with_plan: int = value("Municipalities with a helhedsplan.",
                           "kommuner i registeret over helhedsplaner")
    all: int = value("Municipalities in the country.",
                     "alle kommuner i data/reference/kommuner.csv")
    top_region: str = value("The region with the most municipalities with a helhedsplan.",
                            "kommuner med en helhedsplan")
    top_region_count: int = value("How many of them are in top_region.",
                                  "kommuner med en helhedsplan i top_region")
    where: str = value("Where they are: ``i alle fem regioner`` or ``i fire af de fem regioner``.",
                       "regioner med en kommune med en helhedsplan")
    small: Stat = value("Small municipalities: under 4.000 residents in their helhedsplan areas.",
                        "kommuner med en helhedsplan")
    threshold: str = value("The size groups' threshold, residents in the areas: ``4.000``.",
                           "beboere i områderne med helhedsplan")


def scope(report: Report) -> Scope:
    nat = report.national
    reg = nat.register
    regions = reg["region"].value_counts()
    n_regions_all = nat.dataset.kommuner["region"].nunique()
    where = (f"i alle {danish.count_word(n_regions_all)} regioner"
             if len(regions) == n_regions_all else
             f"i {danish.count_word(len(regions))} af de {danish.count_word(n_regions_all)} "
             "regioner")
    small = reg["size_group"].eq("small")
    return Scope(with_plan=len(reg), all=len(nat.dataset.kommuner),
                 top_region=str(regions.index[0]), top_region_count=int(regions.iloc[0]),
                 where=where, small=Stat(int(small.sum()), len(reg), float(small.mean()),
                                         len(reg)),
                 threshold=danish.integer(LARGE_THRESHOLD))


CENTRE, PARTNERS = "Helhedsplanen", ("Boligorganisationen", "Kommunen")

# Who a helhedsplan works with besides its two partners (Figur 1 of the 2015 report names
# them), and the partner each belongs with: the municipal institutions and authorities with
# the kommune, the residents and their boards with the boligorganisation; the police, civil
# society and business with neither.
ACTOR_SIDES = {
    "Beboerne": "Boligorganisationen",
    "Afdelingsbestyrelser": "Boligorganisationen",
    "Jobcentret": "Kommunen",
    "Sociale myndigheder": "Kommunen",
    "Skoler og daginstitutioner": "Kommunen",
    "Politiet": None,
    "Foreninger og frivillige": None,
    "Erhvervslivet": None,
}
ACTORS = list(ACTOR_SIDES)


@described
@dataclass(frozen=True)
class DrawnCollaboration(DrawnFigure):
    """The collaboration diagram and the names it draws."""

    centre: str = value("The party in the middle: the helhedsplan.", "figurens midte")
    partners: tuple[str, str] = value("The two partners, left and right of it.",
                                      "figurens to sider")
    actors: tuple[str, ...] = value("The other actors around it.", "figurens øvrige aktører")

    @property
    def middle(self) -> str:
        """The party in the middle, lower case: ``helhedsplanen``."""
        return lower(self.centre)

    @property
    def left(self) -> str:
        """The partner on the left, lower case."""
        return lower(self.partners[0])

    @property
    def right(self) -> str:
        """The partner on the right, lower case."""
        return lower(self.partners[1])

    @property
    def count(self) -> str:
        """How many actors are around it, in words: ``otte``."""
        return danish.count_word(len(self.actors))

    @property
    def names(self) -> str:
        """The actors: ``beboerne, afdelingsbestyrelser … og erhvervslivet``."""
        return danish.enumerate_words([lower(a) for a in self.actors])

    def _beside(self, partner: str | None) -> str:
        return danish.enumerate_words([lower(actor) for actor in self.actors
                                       if ACTOR_SIDES.get(actor) == partner])

    @property
    def left_actors(self) -> str:
        """The actors on the left partner's side: ``beboerne og afdelingsbestyrelser``."""
        return self._beside(self.partners[0])

    @property
    def right_actors(self) -> str:
        """The actors on the right partner's side: ``jobcentret, sociale myndigheder og
        skoler og daginstitutioner``."""
        return self._beside(self.partners[1])

    @property
    def other_actors(self) -> str:
        """The actors above and below the helhedsplan, on neither side: ``politiet,
        foreninger og frivillige og erhvervslivet``."""
        return self._beside(None)


def collaboration_figure(report: Report) -> DrawnCollaboration:
    """The helhedsplan between boligorganisation and kommune, and the actors around it, each
    on the side it belongs to."""
    actors = tuple(ACTORS)
    return DrawnCollaboration(_collaboration_figure(CENTRE, PARTNERS, actors,
                                                    tuple(ACTOR_SIDES.items())),
                              CENTRE, PARTNERS, actors)


@figures.cached
def _collaboration_figure(centre: str, partners: tuple[str, str], actors: tuple[str, ...],
                          sides: tuple) -> Figure:
    ax = figures.collaboration_diagram(centre, partners, list(actors),
                                       sides={a: p for a, p in sides if p})
    return figures.to_figure(ax, ident="samarbejdsflade", caption="",
                             source="Efter CFBU og KL (2015), figur 1")


def region_table(report: Report) -> Table:
    """Municipalities with a helhedsplan, their plans and residents, by region."""
    reg = report.national.register
    counts = reg.groupby("region").agg(
        kommuner=("kommunekode", "size"), planer=("antal_helhedsplaner", "sum"),
        beboere=("beboere_i_omraader", "sum"),
        store=("size_group", lambda s: int((s == "large").sum())))
    counts = counts.sort_values("kommuner", ascending=False)
    total = counts.sum()
    counts.loc[danish.COUNTRY] = total
    frame = pd.DataFrame({
        "Region": counts.index,
        "Kommuner med helhedsplan": [danish.integer(v) for v in counts["kommuner"]],
        f"Heraf med {danish.SIZE_GROUP_SHORT['large']}":
            [danish.integer(v) for v in counts["store"]],
        "Helhedsplaner": [danish.integer(v) for v in counts["planer"]],
        "Beboere i områderne": [danish.integer(v) for v in counts["beboere"]],
    })
    return Table.from_frame(frame, ident="regioner", caption="",
                            source=danish.n_source(len(reg), danish.SOURCE_REGISTER))


@described
@dataclass(frozen=True)
class CoFinancing:
    """How the municipalities co-finance their helhedsplaner (register data)."""

    everyone: bool = value("Every municipality co-finances in at least one form.",
                           "kommuner med en helhedsplan")
    any: int = value("Municipalities using at least one form of co-financing.",
                     "kommuner med en helhedsplan")
    several: int = value("Municipalities using more than one form.", "kommuner med en helhedsplan")
    forms: str = value("How many forms of co-financing the register knows, in words: ``fire``.",
                       "medfinansieringskolonnerne i registeret")
    top: str = value("The most used form, lower case.", "kommuner med en helhedsplan")
    top_share: str = value("The share using it: ``89 %``.", "kommuner med en helhedsplan")
    staff: Stat = value("Municipalities co-financing with staff hours.",
                        "kommuner med en helhedsplan")


def co_financing(report: Report) -> CoFinancing:
    nat = report.national
    forms = nat.register[list(CO_FINANCING_LABELS)]
    usage = forms.mean().sort_values(ascending=False)
    any_form = forms.sum(axis=1).gt(0)
    staff = nat.register_share("medfin_medarbejderressourcer")
    return CoFinancing(everyone=bool(any_form.all()), any=int(any_form.sum()),
                       several=int(forms.sum(axis=1).ge(2).sum()),
                       forms=danish.count_word(len(CO_FINANCING_LABELS)),
                       top=CO_FINANCING_LABELS[usage.index[0]].lower(),
                       top_share=danish.percent(usage.iloc[0]),
                       staff=Stat(staff.count, staff.n, staff.share, staff.n))


def co_financing_figure(report: Report) -> DrawnBars:
    nat = report.national
    reg = nat.register
    shares = pd.Series({label: reg[col].mean() for col, label in CO_FINANCING_LABELS.items()})
    shares = shares.sort_values(ascending=False)
    highlight = None
    m = report.municipality
    if m is not None:
        highlight = {label: bool(m.facts[col] == 1) for col, label in CO_FINANCING_LABELS.items()}
    source = danish.n_source(len(reg), danish.SOURCE_REGISTER,
                             CO_FINANCING_ASSUMED if report.synthetic else "")
    figure = figures.share_bars_figure(shares, highlight, ident="medfinansiering",
                                       source=source)
    return DrawnBars(figure, tuple((str(k), float(v)) for k, v in shares.items()),
                     tuple(highlight.items()) if highlight else ())


@described
@dataclass(frozen=True)
class Coordination:
    """Who coordinates the work, and how much time small and large municipalities spend."""

    coordinator: Stat | None = value("Municipalities with one or more coordinators.",
                                     "kommuner med et gyldigt svar på, om de har en koordinator")
    none: Stat | None = value("Municipalities without a coordinator.",
                              "kommuner med et gyldigt svar på, om de har en koordinator")
    time_answered: int = value("Municipalities that answered how much time they spend on "
                               "coordination.", "kommuner, der har gennemført spørgeskemaet")
    large_full: Stat | None = value("Large municipalities (4.000 residents or more in the areas) "
                                    "spending full time or more on coordination; None where "
                                    "disclosure control suppresses the group.",
                                    "kommuner med 4.000 beboere og derover i helhedsplanområderne "
                                    "og et gyldigt svar om tid til koordinering")
    small_full: Stat | None = value("Small municipalities spending full time or more; None where "
                                    "suppressed.",
                                    "kommuner med under 4.000 beboere i helhedsplanområderne og et "
                                    "gyldigt svar om tid til koordinering")
    small_half: Stat | None = value("Small municipalities spending half time or less; None where "
                                    "suppressed.",
                                    "kommuner med under 4.000 beboere i helhedsplanområderne og et "
                                    "gyldigt svar om tid til koordinering")
    overall_full: Stat | None = value("All municipalities spending full time or more.",
                                      "kommuner med et gyldigt svar om tid til koordinering")
    test: Comparison | None = value("Miettinen-Nurminen's score test of large against small, "
                                    "full time or more; None where a size group is suppressed.",
                                    "kommuner i begge størrelsesgrupper med et gyldigt svar om tid "
                                    "til koordinering")
    suppressed_note: str = value("The footnote when a size group is suppressed ('' when none is).",
                                 "størrelsesgrupperne for tid til koordinering")
    diff: Diff | None = value("Full time or more: the large group's share minus the small "
                              "group's, with its 95 % interval (``koord.diff.interval``); None "
                              "where a size group is suppressed.",
                              "kommuner i begge størrelsesgrupper med et gyldigt svar om tid til "
                              "koordinering",
                              default=None)

    @property
    def by_size(self) -> bool:
        """Both size groups may be shown."""
        return self.large_full is not None and self.small_full is not None

    @property
    def more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: large against small municipalities."""
        return danish.how_often(self.large_full.share, self.small_full.share)


def coordination(report: Report) -> Coordination:
    r = report
    nat = report.national
    large_full = r.group_share("tid_koordinering", "fuldtid_eller_mere", "large")
    small_full = r.group_share("tid_koordinering", "fuldtid_eller_mere", "small")
    test = None
    if large_full is not None and small_full is not None:
        test = score_2x2(large_full.count, large_full.n, small_full.count, small_full.n)
    return Coordination(
        coordinator=r.share("har_koordinator", "ja"), none=r.share("har_koordinator", "nej"),
        time_answered=len(nat.valid("tid_koordinering")),
        large_full=large_full, small_full=small_full,
        small_half=r.group_share("tid_koordinering", "halvtid_eller_mindre", "small"),
        overall_full=r.share("tid_koordinering", "fuldtid_eller_mere"), test=test,
        suppressed_note=suppressed_note(report, "tid_koordinering"),
        diff=Diff.between(large_full, small_full) if test is not None else None)


@described
@dataclass(frozen=True)
class GroupAnswers:
    """One bar of a figure of answers by size group: the group and its most common answer."""

    group: str = value("The bar: its size group or ``hele landet``, lower case.",
                       "én søjle i figuren")
    top: str = value("The most common answer in the bar, lower case.",
                     "kommunerne i søjlen med et gyldigt svar")
    share: float = value("Its share of the bar's answers, 0-1.",
                         "kommunerne i søjlen med et gyldigt svar")

    @property
    def pct(self) -> str:
        """The most common answer's share as a whole percentage: ``39 %``."""
        return danish.percent(self.share)


@described
@dataclass(frozen=True)
class OwnMark:
    """Where a figure marks the municipality's own answer: the bar and the answer."""

    group: str = value("The bar the mark is on (the municipality's size group), lower case.",
                       "kommunens størrelsesgruppe")
    answer: str = value("The municipality's answer, lower case.", "kommunens eget svar")


@described
@dataclass(frozen=True)
class DrawnBySize(DrawnFigure):
    """Answers split by answer category for the small and large municipalities and the whole
    country, as drawn: a size group the disclosure plan suppresses is not drawn (None)."""

    small: GroupAnswers | None = value("The bar of the small municipalities; None where "
                                       "suppressed.", "kommuner med under 4.000 beboere i "
                                                      "helhedsplanområderne og et gyldigt svar")
    large: GroupAnswers | None = value("The bar of the large municipalities; None where "
                                       "suppressed.", "kommuner med 4.000 beboere og derover i "
                                                      "helhedsplanområderne og et gyldigt svar")
    country: GroupAnswers = value("The bar of the whole country.",
                                  "alle kommuner med et gyldigt svar")
    mark: OwnMark | None = value("Where the figure marks the municipality's answer; None in the "
                                 "national report, without an answer, or where its group is "
                                 "suppressed.", "kommunens eget svar")

    @property
    def by_size(self) -> bool:
        """Both size groups are drawn."""
        return self.small is not None and self.large is not None


def _stacked_figure(report: Report, question_id: str, ident: str) -> DrawnBySize:
    table, highlight = distribution_with_own(report, question_id)
    table, notes = apply_plan(report, table, question_id)
    if highlight is not None and highlight[0] not in table.index:
        highlight = None          # the municipality's group is suppressed: nothing to mark
    n = int(table.loc[danish.COUNTRY].sum())
    source = danish.n_source(n, danish.SOURCE_SURVEY, edition_note(report, (question_id,)))
    if notes:
        source += " " + " ".join(notes)
    scale = figures.scale_kind(report.national.question(question_id).answers.values())
    figure = figures.stacked_figure(table, highlight, ident=ident, source=source, scale=scale)

    def bar(label: str) -> GroupAnswers | None:
        if label not in table.index:
            return None
        counts = table.loc[label]
        return GroupAnswers(lower(label), lower(str(counts.idxmax())),
                            float(counts.max() / max(counts.sum(), 1)))
    return DrawnBySize(figure, small=bar(danish.SIZE_GROUPS["small"]),
                       large=bar(danish.SIZE_GROUPS["large"]), country=bar(danish.COUNTRY),
                       mark=OwnMark(lower(highlight[0]), lower(highlight[1]))
                       if highlight else None)


def time_figure(report: Report) -> DrawnBySize:
    return _stacked_figure(report, "tid_koordinering", "tid")


def satisfaction_figure(report: Report) -> DrawnBySize:
    return _stacked_figure(report, "tilfreds_adm_ledelse", "tilfredshed")


@described
@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction with the administrative leaders' priority, small against large."""

    overall: Stat | None = value("Municipalities satisfied (tilfreds or meget tilfreds) with the "
                                 "administrative leaders' priority of the work.",
                                 "kommuner med et gyldigt svar om tilfredshed med den "
                                 "administrative ledelse")
    small: Stat | None = value("The same among small municipalities; None where suppressed.",
                               "kommuner med under 4.000 beboere i helhedsplanområderne og et "
                               "gyldigt svar om tilfredshed med den "
                               "administrative ledelse")
    large: Stat | None = value("The same among large municipalities; None where suppressed.",
                               "kommuner med 4.000 beboere og derover i helhedsplanområderne og et "
                               "gyldigt svar om tilfredshed med den "
                               "administrative ledelse")
    n_small: int = value("Small municipalities with a valid answer.",
                         "kommuner med under 4.000 beboere i helhedsplanområderne og et gyldigt "
                         "svar om tilfredshed med den administrative "
                         "ledelse")
    n_large: int = value("Large municipalities with a valid answer.",
                         "kommuner med 4.000 beboere og derover i helhedsplanområderne og et "
                         "gyldigt svar om tilfredshed med den "
                         "administrative ledelse")
    test: Comparison | None = value("Brunner-Munzel test of small against large; None where a "
                                    "size group is suppressed.",
                                    "kommuner i begge størrelsesgrupper med et gyldigt svar om "
                                    "tilfredshed "
                                    "med den administrative ledelse")
    suppressed_note: str = value("The footnote when a size group is suppressed ('' when none is).",
                                 "størrelsesgrupperne for tilfredshed med den administrative "
                                 "ledelse")
    diff: Diff | None = value("Satisfied: the large group's share minus the small group's, with "
                              "its 95 % interval (``tilfreds.diff.interval``); None where a "
                              "size group is suppressed.", "kommuner i begge "
                              "størrelsesgrupper med et gyldigt svar om tilfredshed med den "
                              "administrative ledelse", default=None)

    @property
    def by_size(self) -> bool:
        """Both size groups may be shown."""
        return self.small is not None and self.large is not None

    @property
    def superiority(self) -> str:
        """The probability that a random answer from a large municipality lies above one from
        a small, as a percentage."""
        return danish.percent(self.test.statistic)


def satisfaction(report: Report) -> Satisfaction:
    r = report
    nat = report.national
    valid = nat.valid("tilfreds_adm_ledelse")
    small = valid.loc[valid["size_group"] == "small", "tilfreds_adm_ledelse"].to_numpy()
    large = valid.loc[valid["size_group"] == "large", "tilfreds_adm_ledelse"].to_numpy()
    s_small = r.group_share("tilfreds_adm_ledelse", "tilfreds", "small")
    s_large = r.group_share("tilfreds_adm_ledelse", "tilfreds", "large")
    test = ordinal_2groups(small, large) if s_small is not None and s_large is not None \
        else None
    return Satisfaction(overall=r.share("tilfreds_adm_ledelse", "tilfreds"), small=s_small,
                        large=s_large, n_small=len(small), n_large=len(large), test=test,
                        suppressed_note=suppressed_note(report, "tilfreds_adm_ledelse"),
                        diff=Diff.between(s_large, s_small) if test is not None else None)


def local_facts(report: Report) -> Table | None:
    """The municipality's facts from the registers (None in the national report)."""
    m = report.municipality
    if m is None:
        return None
    f = m.facts
    forms = [label for col, label in CO_FINANCING_LABELS.items() if f[col] == 1]
    rows = [
        ("Region", m.region),
        ("Indbyggere (2015)", danish.integer(m.population)),
        ("Helhedsplaner", danish.integer(int(f["antal_helhedsplaner"]))),
        ("Beboere i områder med helhedsplan", danish.integer(int(f["beboere_i_omraader"]))),
        ("Størrelsesgruppe", danish.SIZE_GROUPS[m.size_group]),
        ("Former for medfinansiering", danish.enumerate_words([x.lower() for x in forms])
         .capitalize() or "Ingen"),
        ("Har besvaret spørgeskemaet", "Ja" if m.answered else "Nej"),
    ]
    frame = pd.DataFrame(rows, columns=["", f"{m.title}"])
    return Table.from_frame(frame, ident="noegletal", caption="",
                            source=f"Kilde: {danish.SOURCE_REGISTER} og Danmarks Statistik.")


