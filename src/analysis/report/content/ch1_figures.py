"""Kapitel 1's figures and tables: the helhedsplan's collaboration surface, the forms of
co-financing, the answers by size group (time for coordination, satisfaction), the regions
and the municipality's facts from the registers. The values the chapter's prose prints are in
:mod:`analysis.report.content.ch1`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish, figures
from analysis.report.content.common import (DrawnBars, DrawnFigure, apply_plan,
                                            distribution_with_own, lower,
                                            survey_source_note)
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Figure, Table

# The base of a bar's most common answer and its share (docs/values.md).
BAR_BASE = "kommunerne i søjlen med et gyldigt svar"
CO_FINANCING_LABELS = {
    "medfin_medarbejderressourcer": "Medarbejderressourcer",
    "medfin_kontant_tilskud": "Kontant tilskud",
    "medfin_lokaler": "Lokaler og faciliteter",
    "medfin_aktiviteter": "Tilskud til konkrete aktiviteter",
}
# Under the figure of the example data: the 2015 report names only staff resources of the four
# forms of co-financing (data/register/README.md), so the other three are assumed (bilag 3 says
# more). The læsevejledning says once that the register's numbers are example data.
CO_FINANCING_ASSUMED = ("Kun medarbejderressourcer nævnes i 2015-rapporten; de tre andre former, "
                        "de grå søjler, er antaget.")
# The form the 2015 report published a number for (91 %); with example data the others are
# drawn grey (figures.bars.ASSUMED).
CO_FINANCING_PUBLISHED = "medfin_medarbejderressourcer"


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
                            source=danish.n_source(len(reg), danish.register_source(
                                report.synthetic)))


def co_financing_figure(report: Report) -> DrawnBars:
    nat = report.national
    reg = nat.register
    shares = pd.Series({label: reg[col].mean() for col, label in CO_FINANCING_LABELS.items()})
    shares = shares.sort_values(ascending=False)
    highlight = None
    m = report.municipality
    if m is not None:
        highlight = {label: bool(m.facts[col] == 1) for col, label in CO_FINANCING_LABELS.items()}
    source = danish.n_source(len(reg), danish.register_source(report.synthetic),
                             CO_FINANCING_ASSUMED if report.synthetic else "")
    assumed = tuple(label for col, label in CO_FINANCING_LABELS.items()
                    if col != CO_FINANCING_PUBLISHED) if report.synthetic else ()
    figure = figures.share_bars_figure(shares, highlight, ident="medfinansiering",
                                       source=source, assumed=assumed)
    return DrawnBars(figure, tuple((str(k), float(v)) for k, v in shares.items()),
                     tuple(highlight.items()) if highlight else ())


@described
@dataclass(frozen=True)
class GroupAnswers:
    """One bar of a figure of answers by size group: the group and its most common answer."""

    group: str = value("The bar: its size group or ``hele landet``, lower case.",
                       "én søjle i figuren")
    top: str = value("The most common answer in the bar, lower case.",
                     BAR_BASE)
    share: float = value("Its share of the bar's answers, 0-1.",
                         BAR_BASE)

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
                                                      "helhedsplansområderne og et gyldigt svar")
    large: GroupAnswers | None = value("The bar of the large municipalities; None where "
                                       "suppressed.", "kommuner med 4.000 beboere og derover i "
                                                      "helhedsplansområderne og et gyldigt svar")
    country: GroupAnswers = value("The bar of all the municipalities that answered.",
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
    n = int(table.loc[danish.RESPONDENTS].sum())
    source = danish.n_source(n, *survey_source_note(report, (question_id,)))
    if notes:
        source += " " + " ".join(notes)
    scale = figures.scale_kind(report.national.question(question_id).answers.values())
    named = _own_group_named(report, table)
    drawn = (named.index[table.index.get_loc(highlight[0])], highlight[1]) if highlight else None
    figure = figures.stacked_figure(named, drawn, ident=ident, source=source, scale=scale)

    def bar(label: str) -> GroupAnswers | None:
        if label not in table.index:
            return None
        counts = table.loc[label]
        return GroupAnswers(lower(label), lower(str(counts.idxmax())),
                            float(counts.max() / max(counts.sum(), 1)))
    return DrawnBySize(figure, small=bar(danish.SIZE_GROUPS["small"]),
                       large=bar(danish.SIZE_GROUPS["large"]), country=bar(danish.RESPONDENTS),
                       mark=OwnMark(lower(highlight[0]), lower(highlight[1]))
                       if highlight else None)


# Before the name of the municipality's own size group on its bar, in every municipal edition.
OWN_GROUP_LABEL = "Jeres størrelsesgruppe"


def own_group_label(size_group: str) -> str:
    """The bar of the municipality's own size group: ``Jeres størrelsesgruppe: under 4.000
    beboere``."""
    label = danish.SIZE_GROUPS[size_group]
    return f"{OWN_GROUP_LABEL}: {label[0].lower()}{label[1:]}"


def _own_group_named(report: Report, table: pd.DataFrame) -> pd.DataFrame:
    """In a municipal edition, its size group's bar named as its own (``Jeres
    størrelsesgruppe: under 4.000 beboere``), whether or not the municipality answered; the
    national report's table as it is."""
    m = report.municipality
    label = danish.SIZE_GROUPS[m.size_group] if m is not None else None
    if m is None or label not in table.index:
        return table
    return table.rename(index={label: own_group_label(m.size_group)})


def time_figure(report: Report) -> DrawnBySize:
    return _stacked_figure(report, "tid_koordinering", "tid")


def satisfaction_figure(report: Report) -> DrawnBySize:
    return _stacked_figure(report, "tilfreds_adm_ledelse", "tilfredshed")


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
                            source="Kilde: " + danish.register_source(report.synthetic,
                                                               population=True) + ".")
