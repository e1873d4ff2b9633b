"""Kapitel 1: Kommuner med helhedsplaner."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish, figures
from analysis.report.content.common import (DrawnBars, DrawnFigure, Stat, apply_plan,
                                            distribution_with_own, lower, suppressed_note)
from analysis.stats.estimate import Comparison, fisher_2x2, ordinal_2groups
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Figure, Table
from analysis.core.settings import LARGE_THRESHOLD

CO_FINANCING_LABELS = {
    "medfin_medarbejderressourcer": "Medarbejderressourcer",
    "medfin_kontant_tilskud": "Kontant tilskud",
    "medfin_lokaler": "Lokaler og faciliteter",
    "medfin_aktiviteter": "Tilskud til konkrete aktiviteter",
}


@dataclass(frozen=True)
class Scope:
    """How many municipalities have helhedsplaner, where, and how many are small."""

    with_plan: int           # municipalities with a helhedsplan
    all: int                 # municipalities in the country
    top_region: str          # the region with the most of them
    top_region_count: int
    where: str               # "i alle fem regioner" / "i fire af de fem regioner"
    small: Stat              # municipalities with under 4.000 residents in the areas
    threshold: str           # "4.000"


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


# Who a helhedsplan works with besides its two partners (Figur 1 of the 2015 report names them).
ACTORS = ["Beboerne", "Afdelingsbestyrelser", "Skoler og daginstitutioner", "Politiet",
          "Foreninger og frivillige", "Erhvervslivet", "Jobcentret", "Sociale myndigheder"]


CENTRE, PARTNERS = "Helhedsplanen", ("Kommunen", "Boligorganisationen")


@dataclass(frozen=True)
class DrawnCollaboration(DrawnFigure):
    """The collaboration diagram and the names it draws."""

    centre: str                     # in the middle
    partners: tuple[str, str]       # left and right of it
    actors: tuple[str, ...]         # around it

    @property
    def middle(self) -> str:
        return lower(self.centre)

    @property
    def left(self) -> str:
        return lower(self.partners[0])

    @property
    def right(self) -> str:
        return lower(self.partners[1])

    @property
    def count(self) -> str:
        """How many actors are around it, in words: ``otte``."""
        return danish.count_word(len(self.actors))

    @property
    def names(self) -> str:
        """The actors: ``beboerne, afdelingsbestyrelser … og sociale myndigheder``."""
        return danish.enumerate_words([lower(a) for a in self.actors])


def collaboration_figure(report: Report) -> DrawnCollaboration:
    """The helhedsplan between boligorganisation and kommune, and the actors around it."""
    actors = tuple(ACTORS)
    return DrawnCollaboration(_collaboration_figure(CENTRE, PARTNERS, actors), CENTRE,
                              PARTNERS, actors)


@figures.cached
def _collaboration_figure(centre: str, partners: tuple[str, str],
                          actors: tuple[str, ...]) -> Figure:
    ax = figures.collaboration_diagram(centre, partners, list(actors))
    return figures.to_figure(ax, ident="samarbejdsflade", caption="",
                             source="Efter CFBU og KL (2015), figur 1")


def region_table(report: Report) -> Table:
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
        "Heraf store": [danish.integer(v) for v in counts["store"]],
        "Helhedsplaner": [danish.integer(v) for v in counts["planer"]],
        "Beboere i områderne": [danish.integer(v) for v in counts["beboere"]],
    })
    return Table.from_frame(frame, ident="regioner", caption="",
                            source=danish.n_source(len(reg), danish.SOURCE_REGISTER))


@dataclass(frozen=True)
class CoFinancing:
    """How the municipalities co-finance their helhedsplaner (register data)."""

    everyone: bool           # every municipality co-finances
    any: int                 # municipalities using at least one form
    several: int             # municipalities using more than one form
    forms: str               # how many forms of co-financing the register knows, in words
    top: str                 # the most used form, lower case
    top_share: str           # its share, "89 %"
    staff: Stat              # municipalities co-financing with staff hours


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
    source = danish.n_source(len(reg), danish.SOURCE_REGISTER)
    figure = figures.share_bars_figure(shares, highlight, ident="medfinansiering",
                                       source=source)
    return DrawnBars(figure, tuple((str(k), float(v)) for k, v in shares.items()),
                     tuple(highlight.items()) if highlight else ())


@dataclass(frozen=True)
class Coordination:
    """Who coordinates the work, and how much time small and large municipalities spend."""

    coordinator: Stat | None        # has one or more coordinators
    none: Stat | None               # has none
    time_answered: int              # answered the question on time spent
    large_full: Stat | None         # large municipalities: full time or more (None: suppressed)
    small_full: Stat | None
    small_half: Stat | None         # small municipalities: half time or less
    overall_full: Stat | None       # all municipalities: full time or more
    test: Comparison | None         # large vs small, full time or more
    suppressed_note: str            # the footnote when a size group is suppressed

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
        test = fisher_2x2(large_full.count, large_full.n, small_full.count, small_full.n)
    return Coordination(
        coordinator=r.share("har_koordinator", "ja"), none=r.share("har_koordinator", "nej"),
        time_answered=len(nat.valid("tid_koordinering")),
        large_full=large_full, small_full=small_full,
        small_half=r.group_share("tid_koordinering", "halvtid_eller_mindre", "small"),
        overall_full=r.share("tid_koordinering", "fuldtid_eller_mere"), test=test,
        suppressed_note=suppressed_note(report, "tid_koordinering"))


@dataclass(frozen=True)
class GroupAnswers:
    """One bar of a figure of answers by size group: the group and its most common answer."""

    group: str                # "under 4.000 beboere", "hele landet"
    top: str                  # the most common answer, lower case
    share: float              # its share of the group's answers

    @property
    def pct(self) -> str:
        return danish.percent(self.share)


@dataclass(frozen=True)
class OwnMark:
    """Where a figure marks the municipality's own answer: the bar and the answer."""

    group: str                # the bar (its size group), lower case
    answer: str               # the answer, lower case


@dataclass(frozen=True)
class DrawnBySize(DrawnFigure):
    """Answers split by answer category for the small and large municipalities and the whole
    country, as drawn: a size group the disclosure plan suppresses is not drawn (None)."""

    small: GroupAnswers | None
    large: GroupAnswers | None
    country: GroupAnswers
    mark: OwnMark | None            # the municipality's answer, where the figure marks it

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
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    if notes:
        source += " " + " ".join(notes)
    figure = figures.stacked_figure(table, highlight, ident=ident, source=source)

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


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction with the administrative leaders' priority, small against large."""

    overall: Stat | None
    small: Stat | None               # None where the group is suppressed
    large: Stat | None
    n_small: int
    n_large: int
    test: Comparison | None          # Brunner-Munzel, small against large
    suppressed_note: str

    @property
    def by_size(self) -> bool:
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
                        suppressed_note=suppressed_note(report, "tilfreds_adm_ledelse"))


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


