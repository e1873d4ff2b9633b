"""Kapitel 1: Kommuner med helhedsplaner.

The values the chapter's prose prints; its figures and tables are in
:mod:`analysis.report.content.ch1_figures`, and the notebook finds them here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core.settings import LARGE_THRESHOLD
from analysis.report import danish
from analysis.report.content.ch1_figures import (  # noqa: F401  (the notebook's ch1.…)
    ACTOR_SIDES, ACTORS, CENTRE, CO_FINANCING_LABELS, PARTNERS,
    DrawnBySize, DrawnCollaboration, GroupAnswers, OwnMark, co_financing_figure,
    collaboration_figure, local_facts, region_table, satisfaction_figure, time_figure)
from analysis.report.content.common import Diff, Stat, suppressed_note
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.stats.estimate import (NO_RANK_DIFFERENCE, Comparison, RankComparison,
                                     ordinal_2groups, ranks_fragile, score_2x2)

# What the values' counts are counted among (their denominators), each used by several values.
BASE_REGISTER = "kommuner med en helhedsplan"
BASE_SMALL_SATISFACTION = ("kommuner med under 4.000 beboere i helhedsplansområderne og et "
                           "gyldigt svar om tilfredshed med den administrative ledelse")
BASE_SMALL_TIME = ("kommuner med under 4.000 beboere i helhedsplansområderne og et gyldigt svar "
                   "om tid til koordinering")
BASE_COORDINATOR = "kommuner med et gyldigt svar på, om de har en koordinator"
BASE_LARGE_SATISFACTION = ("kommuner med 4.000 beboere og derover i helhedsplansområderne og et "
                           "gyldigt svar om tilfredshed med den administrative ledelse")
BASE_BOTH_SATISFACTION = ("kommuner i begge størrelsesgrupper med et gyldigt svar om tilfredshed "
                          "med den administrative ledelse")
BASE_BOTH_TIME = "kommuner i begge størrelsesgrupper med et gyldigt svar om tid til koordinering"


@described
@dataclass(frozen=True)
class Scope:
    """How many municipalities have helhedsplaner, where, and how many are small."""

    with_plan: int = value("Municipalities with a helhedsplan.",
                           "kommuner i registeret over helhedsplaner")
    all: int = value("Municipalities in the country.",
                     "alle kommuner i data/reference/kommuner.csv")
    top_region: str = value("The region with the most municipalities with a helhedsplan.",
                            BASE_REGISTER)
    top_region_count: int = value("How many of them are in top_region.",
                                  "kommuner med en helhedsplan i top_region")
    where: str = value("Where they are: ``i alle fem regioner`` or ``i fire af de fem regioner``.",
                       "regioner med en kommune med en helhedsplan")
    small: Stat = value("Small municipalities: under 4.000 residents in their helhedsplan areas.",
                        BASE_REGISTER)
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


@described
@dataclass(frozen=True)
class CoFinancing:
    """How the municipalities co-finance their helhedsplaner (register data)."""

    everyone: bool = value("Every municipality co-finances in at least one form.",
                           BASE_REGISTER)
    any: int = value("Municipalities using at least one form of co-financing.",
                     BASE_REGISTER)
    several: int = value("Municipalities using more than one form.", BASE_REGISTER)
    forms: str = value("How many forms of co-financing the register knows, in words: ``fire``.",
                       "medfinansieringskolonnerne i registeret")
    top: str = value("The most used form, lower case.", BASE_REGISTER)
    top_share: str = value("The share using it: ``89 %``.", BASE_REGISTER)
    top_stat: Stat = value("The municipalities using the most used form, as a share with its "
                           "count (``.pct``, ``.of``).", BASE_REGISTER)
    staff: Stat = value("Municipalities co-financing with staff hours.",
                        BASE_REGISTER)


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
                       top_stat=Stat(int(forms[usage.index[0]].sum()), len(forms),
                                     float(usage.iloc[0]), len(forms)),
                       staff=Stat(staff.count, staff.n, staff.share, staff.n))


@described
@dataclass(frozen=True)
class Coordination:
    """Who coordinates the work, and how much time small and large municipalities spend."""

    coordinator: Stat | None = value("Municipalities with one or more coordinators.",
                                     BASE_COORDINATOR)
    none: Stat | None = value("Municipalities without a coordinator.",
                              BASE_COORDINATOR)
    time_answered: int = value("Municipalities that answered how much time they spend on "
                               "coordination.", "kommuner, der har gennemført spørgeskemaet")
    large_full: Stat | None = value("Large municipalities (4.000 residents or more in the areas) "
                                    "spending full time or more on coordination; None where "
                                    "disclosure control suppresses the group.",
                                    "kommuner med 4.000 beboere og derover i helhedsplansområderne "
                                    "og et gyldigt svar om tid til koordinering")
    small_full: Stat | None = value("Small municipalities spending full time or more; None where "
                                    "suppressed.",
                                    BASE_SMALL_TIME)
    small_half: Stat | None = value("Small municipalities spending half time or less; None where "
                                    "suppressed.",
                                    BASE_SMALL_TIME)
    overall_full: Stat | None = value("All municipalities spending full time or more.",
                                      "kommuner med et gyldigt svar om tid til koordinering")
    test: Comparison | None = value("Miettinen-Nurminen's score test of large against small, "
                                    "full time or more; None where a size group is suppressed.",
                                    BASE_BOTH_TIME)
    suppressed_note: str = value("The footnote when a size group is suppressed ('' when none is).",
                                 "størrelsesgrupperne for tid til koordinering")
    diff: Diff | None = value("Full time or more: the large group's share minus the small "
                              "group's, with its 95 % interval (``koord.diff.interval``); None "
                              "where a size group is suppressed.",
                              BASE_BOTH_TIME,
                              default=None)
    ranks: RankComparison | None = value(
        "Brunner and Munzel's rank test of the whole time scale, large against small: its "
        "statistic is the probability that a large municipality's answer lies above a small "
        "one's (ties counted half), with its 95 % interval; None where a size group is "
        "suppressed, and for example data calibrated to 2015, whose spread over the scale "
        "beyond the cuts the 2015 report printed is invented.", BASE_BOTH_TIME, default=None)
    ranks_fragile: bool = value(
        "The rank difference is beyond chance, but one municipality moving its answer one step "
        "on the scale would leave it one chance may explain (the bilag's »skrøbelig«).",
        BASE_BOTH_TIME, default=False)

    @property
    def by_size(self) -> bool:
        """Both size groups may be shown."""
        return self.large_full is not None and self.small_full is not None

    @property
    def test_p(self) -> str:
        """The score test's p-value of the full-time shares: ``p = 0,040``."""
        return danish.p_value(self.test.p_value)

    @property
    def time_clear(self) -> bool:
        """The size groups' time differs beyond chance, robustly, by the test the chapter
        leads with: the whole scale's where it is run, else the full-time shares'."""
        return self.ranks_clear if self.ranks is not None else bool(self.diff and self.diff.clear)

    @property
    def time_borderline(self) -> bool:
        """The same test finds a difference beyond chance that one answer could turn."""
        return self.ranks_fragile if self.ranks is not None else bool(self.diff and
                                                                          self.diff.fragile)

    @property
    def ranks_clear(self) -> bool:
        """The whole scale tells the groups apart beyond chance, robustly (no single answer
        one step away would change that)."""
        return self.ranks is not None and self.ranks.significant and not self.ranks_fragile

    @property
    def ranks_more(self) -> str:
        """``mere`` / ``mindre``: how much time large municipalities spend, against small ones,
        as the rank statistic says (above or below one half)."""
        return "mere" if self.ranks.statistic > NO_RANK_DIFFERENCE else "mindre"

    @property
    def ranks_pairs(self) -> str:
        """The rank statistic as the share of pairs it is: ``72 %`` of the pairs of one large
        and one small municipality, the large one has answered higher (``ranks_more`` mere)
        or lower; ties counted half."""
        prob = max(self.ranks.statistic, 1 - self.ranks.statistic)
        return danish.percent(prob)

    @property
    def ranks_ci(self) -> str:
        """The interval of :attr:`ranks_pairs`, turned the same way: ``95 %-interval: 55 til
        90 %``."""
        low, high = self.ranks.low, self.ranks.high
        if self.ranks.statistic <= NO_RANK_DIFFERENCE:
            low, high = 1 - high, 1 - low
        return danish.interval(low, high) + f"{danish.NBSP}%"

    @property
    def ranks_even(self) -> str:
        """The share of pairs that means no difference: ``50 %``."""
        return danish.percent(NO_RANK_DIFFERENCE)

    @property
    def ranks_p(self) -> str:
        """The rank test's p-value as the report prints p-values: ``p = 0,012``."""
        return danish.p_value(self.ranks.p_value)

    @property
    def more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: large against small municipalities."""
        return danish.how_often(self.large_full.share, self.small_full.share)


def coordination(report: Report) -> Coordination:
    r = report
    nat = report.national
    large_full = r.group_share("tid_koordinering", "fuldtid_eller_mere", "large")
    small_full = r.group_share("tid_koordinering", "fuldtid_eller_mere", "small")
    test = ranks = None
    fragile = False
    if large_full is not None and small_full is not None:
        test = score_2x2(large_full.count, large_full.n, small_full.count, small_full.n)
        valid = nat.valid("tid_koordinering")
        by_group = [valid.loc[valid["size_group"] == group, "tid_koordinering"]
                    .astype(float).to_numpy() for group in ("small", "large")]
        # Example data calibrated to 2015 reproduce only the cuts the 2015 report printed (full
        # time or more, half time or less); how the rest spread over the scale is invented, so
        # the whole-scale test is left to data that are not (it would test the invention).
        if not (report.synthetic and report.calibrated):
            ranks = ordinal_2groups(*by_group)
            codes = list(nat.question("tid_koordinering").answers)
            fragile = ranks_fragile(*by_group, min(codes), max(codes))
    return Coordination(
        coordinator=r.share("har_koordinator", "ja"), none=r.share("har_koordinator", "nej"),
        time_answered=len(nat.valid("tid_koordinering")),
        large_full=large_full, small_full=small_full,
        small_half=r.group_share("tid_koordinering", "halvtid_eller_mindre", "small"),
        overall_full=r.share("tid_koordinering", "fuldtid_eller_mere"), test=test,
        suppressed_note=suppressed_note(report, "tid_koordinering"),
        diff=Diff.between(large_full, small_full) if test is not None else None,
        ranks=ranks, ranks_fragile=fragile)


@described
@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction with the administrative leaders' priority, small against large."""

    overall: Stat | None = value("Municipalities satisfied (tilfreds or meget tilfreds) with the "
                                 "administrative leaders' priority of the work.",
                                 "kommuner med et gyldigt svar om tilfredshed med den "
                                 "administrative ledelse")
    small: Stat | None = value("The same among small municipalities; None where suppressed.",
                               BASE_SMALL_SATISFACTION)
    large: Stat | None = value("The same among large municipalities; None where suppressed.",
                               BASE_LARGE_SATISFACTION)
    n_small: int = value("Small municipalities with a valid answer.",
                         BASE_SMALL_SATISFACTION)
    n_large: int = value("Large municipalities with a valid answer.",
                         BASE_LARGE_SATISFACTION)
    test: Comparison | None = value("Miettinen and Nurminen's score test of the satisfied shares, "
                                    "large against small (the test of ``diff``); None where a "
                                    "size group is suppressed.",
                                    BASE_BOTH_SATISFACTION)
    suppressed_note: str = value("The footnote when a size group is suppressed ('' when none is).",
                                 "størrelsesgrupperne for tilfredshed med den administrative "
                                 "ledelse")
    diff: Diff | None = value("Satisfied: the large group's share minus the small group's, with "
                              "its 95 % interval (``tilfreds.diff.interval``); None where a "
                              "size group is suppressed.", BASE_BOTH_SATISFACTION, default=None)

    @property
    def by_size(self) -> bool:
        """Both size groups may be shown."""
        return self.small is not None and self.large is not None



def satisfaction(report: Report) -> Satisfaction:
    r = report
    nat = report.national
    valid = nat.valid("tilfreds_adm_ledelse")
    small = valid.loc[valid["size_group"] == "small", "tilfreds_adm_ledelse"].to_numpy()
    large = valid.loc[valid["size_group"] == "large", "tilfreds_adm_ledelse"].to_numpy()
    s_small = r.group_share("tilfreds_adm_ledelse", "tilfreds", "small")
    s_large = r.group_share("tilfreds_adm_ledelse", "tilfreds", "large")
    test = score_2x2(s_large.count, s_large.n, s_small.count, s_small.n) \
        if s_small is not None and s_large is not None else None
    return Satisfaction(overall=r.share("tilfreds_adm_ledelse", "tilfreds"), small=s_small,
                        large=s_large, n_small=len(small), n_large=len(large), test=test,
                        suppressed_note=suppressed_note(report, "tilfreds_adm_ledelse"),
                        diff=Diff.between(s_large, s_small) if test is not None else None)
