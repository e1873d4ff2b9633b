"""Kapitel 2-6: potentialer, fælles forståelse og tillid, tværorganisatorisk organisering,
kommunens interne samarbejde og kommunal ledelse.

The values each chapter's prose prints. Its figures and tables are in
:mod:`analysis.report.content.themes_figures` (the notebooks find them here too). The
municipality's own answers against the whole country are in :mod:`analysis.report.content.own`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import Diff, Stat
from analysis.report.content.themes_figures import (  # noqa: F401  (the notebooks' themes.…)
    CHAPTER_ITEMS, FORUM_LEVELS, TRAPPE_PARTNERS, DrawnAgreement, DrawnStaircase, agree_figure,
    forum_figure, priority_figure, trappe_figure)
from analysis.report.content.themes_figures import placement_table as all_placements_table
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table
from analysis.stats import disclosure
from analysis.stats.estimate import Comparison, score_2x2

# What the values' counts are counted among (their denominators), each used by several values.
BASE_FORA_STEP = "kommuner med et gyldigt svar om mødefora og et trin på trappen"
BASE_BOTH = "kommuner med et gyldigt svar på begge"
BASE_STEP_BO = "kommuner med et gyldigt svar om samarbejdet med boligorganisationen"
BASE_FORA = "kommuner med et gyldigt svar om mødefora"
BASE_PLACEMENT = "kommuner med en koordinator og et gyldigt svar om dens placering"


# ---------------------------------------------------------------- kapitel 2

@described
@dataclass(frozen=True)
class Staircase:
    """Where the municipalities' collaboration lies on samarbejdstrappen."""

    low_bo: Stat | None = value("Collaboration with the boligorganisation on the two lower steps "
                                "of samarbejdstrappen.",
                                BASE_STEP_BO)
    high_bo: Stat | None = value("Collaboration with the boligorganisation on the two upper steps.",
                                 BASE_STEP_BO)
    high_hp: Stat | None = value("Collaboration with the helhedsplan on the two upper steps.",
                                 "kommuner med et gyldigt svar om samarbejdet med helhedsplanen")

    @property
    def hp_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: the helhedsplan against the
        boligorganisation, on the upper steps."""
        return danish.how_often(self.high_hp.share, self.high_bo.share)


def staircase(report: Report) -> Staircase:
    r = report
    return Staircase(low_bo=r.share("trin_boligorganisation", "nederste_trin"),
                     high_bo=r.share("trin_boligorganisation", "oeverste_trin"),
                     high_hp=r.share("trin_helhedsplan", "oeverste_trin"))


def _flags(flags: pd.Series, population: int) -> Stat | None:
    """The share of true flags as a :class:`Stat` (None for no flags)."""
    return Stat(int(flags.sum()), len(flags), float(flags.mean()), population) \
        if len(flags) else None


# ---------------------------------------------------------------- kapitel 3

@described
@dataclass(frozen=True)
class Understanding:
    """Shared goals and trust, and whether shared goals go with a higher step."""

    goals: Stat | None = value("Municipalities agreeing that they and the boligorganisation "
                               "share goals.",
                               "kommuner med et gyldigt svar om fælles mål med boligorganisationen")
    trust: Stat | None = value("Municipalities agreeing that there is mutual trust.",
                               "kommuner med et gyldigt svar om gensidig tillid")
    n: int = value("Municipalities with a valid answer to both.",
                   BASE_BOTH)
    comparable: bool = value("The upper-step shares below may be shown: each group has enough "
                             "municipalities (disclosure control).",
                             BASE_BOTH, default=False)
    high_with_goals: Stat | None = value("On the upper steps with the boligorganisation, among "
                                         "those agreeing that they share goals with it; None "
                                         "when not comparable.",
                                         "kommuner, der er enige i, at de har fælles mål, med "
                                         "et trin på trappen", default=None)
    high_without_goals: Stat | None = value("The same among the others (not agreeing); None "
                                            "when not comparable.",
                                            "kommuner, der ikke er enige i, at de har fælles "
                                            "mål, med et trin på trappen", default=None)
    diff: Diff | None = value("high_with_goals minus high_without_goals, with its 95 % "
                              "interval (``forstaaelse.diff.interval``).", "kommuner med et "
                              "gyldigt svar om fælles mål og et trin på trappen", default=None)
    high_with_trust: Stat | None = value("On the upper steps, among those agreeing that there "
                                         "is mutual trust; None when not comparable.",
                                         "kommuner, der er enige i, at der er gensidig tillid, "
                                         "med et trin på trappen", default=None)
    high_without_trust: Stat | None = value("The same among the others; None when not "
                                            "comparable.",
                                            "kommuner, der ikke er enige i, at der er gensidig "
                                            "tillid, med et trin på trappen", default=None)
    trust_diff: Diff | None = value("high_with_trust minus high_without_trust, with its 95 % "
                                    "interval.", "kommuner med et gyldigt svar om gensidig "
                                    "tillid og et trin på trappen", default=None)
    invented: bool = value("The comparisons rest on questions this edition added (the "
                           "codebook's published_2015 false) and the data are synthetic: the "
                           "answers are made up, so the chapter prints the numbers as an "
                           "example and states no verdict on them.",
                           "spørgsmålene om fælles mål, tillid og samarbejdstrappen i "
                           "kodebogen", default=False)

    @property
    def related(self) -> bool:
        """Shared goals go with a higher step, beyond what chance explains: ``diff`` (the one
        test chapter 3 and the bilag state) is positive and its interval leaves out zero."""
        return self.diff is not None and not self.diff.uncertain and self.diff.estimate.diff > 0


def understanding(report: Report) -> Understanding:
    nat = report.national
    both = nat.valid("faelles_maal")
    both = both[both["trin_boligorganisation"].isin(
        list(nat.question("trin_boligorganisation").answers))]
    goals = _upper_by(report, "faelles_maal")
    trust = _upper_by(report, "tillid")
    return Understanding(goals=report.share("faelles_maal", "enig"),
                         trust=report.share("tillid", "enig"),
                         n=len(both), comparable=goals is not None,
                         high_with_goals=goals and goals[0], high_without_goals=goals and goals[1],
                         diff=goals and Diff.between(*goals),
                         high_with_trust=trust and trust[0],
                         high_without_trust=trust and trust[1],
                         trust_diff=trust and Diff.between(*trust),
                         invented=report.synthetic and any(
                             nat.question(q).published_2015 is False
                             for q in ("faelles_maal", "tillid", "trin_boligorganisation")))


def _upper_by(report: Report, item: str) -> tuple[Stat, Stat] | None:
    """The share on samarbejdstrappen's upper steps with the boligorganisation among those
    who agree with ``item`` and among those who do not (both with a valid answer to each);
    None where either group is too small to show (disclosure control)."""
    nat = report.national
    valid = nat.valid(item)
    step = nat.question("trin_boligorganisation")
    valid = valid[valid["trin_boligorganisation"].isin(list(step.answers))]
    agree = valid[item].isin(list(nat.question(item).groups["enig"]))
    high = valid["trin_boligorganisation"].isin(list(step.groups["oeverste_trin"]))
    if not disclosure.derived_group_ok(int(agree.sum()), int((~agree).sum()), k=nat.plan.k):
        return None
    population = len(nat.register)
    return _flags(high[agree], population), _flags(high[~agree], population)


# ---------------------------------------------------------------- kapitel 4

@described
@dataclass(frozen=True)
class Fora:
    """Cross-organisational meeting fora, and the step of those with fora at every level."""

    levels: str = value("Each level with the share that has a fixed meeting forum there: "
                        "``strategisk niveau 78 %, …``.",
                        BASE_FORA)
    all_levels: Stat | None = value("Municipalities with fora at all three levels.",
                                    BASE_FORA)
    comparable: bool = value("The comparison below may be shown: both groups are large enough "
                             "(disclosure control).",
                             BASE_FORA_STEP)
    high_with: Stat | None = value("On the upper steps with the boligorganisation, among those "
                                   "with fora at all levels; None when not comparable.",
                                   "kommuner med mødefora på alle tre niveauer og et trin på "
                                   "trappen")
    high_without: Stat | None = value("On the upper steps, among the others; None when not "
                                      "comparable.",
                                      "kommuner uden mødefora på alle tre niveauer, med et trin "
                                      "på trappen")
    test: Comparison | None = value("Miettinen-Nurminen's score test of the two; None when "
                                    "not comparable.",
                                    BASE_FORA_STEP)
    diff: Diff | None = value("high_with minus high_without, with its 95 % interval "
                              "(``fora.diff.interval``); None when not comparable.",
                              BASE_FORA_STEP,
                              default=None)

    @property
    def with_more_often(self) -> str:
        """``oftere`` / ``sjældnere`` / ``lige så ofte``: with fora at all levels against the
        others, on the upper steps."""
        return danish.how_often(self.high_with.share, self.high_without.share)

    @property
    def more_often(self) -> bool:
        """Those with fora at all levels are on the upper steps more often than the others
        (``with_more_often`` is ``oftere``)."""
        return self.high_with.share > self.high_without.share


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
    test = score_2x2(int(with_all.sum()), len(with_all), int(without.sum()), len(without)) \
        if comparable else None
    return Fora(levels=danish.enumerate_words([f"{label.lower()} {s.pct}"
                                               for label, s in shares.items()]),
                all_levels=stat(all_levels), comparable=comparable,
                high_with=stat(with_all) if comparable else None,
                high_without=stat(without) if comparable else None, test=test,
                diff=Diff.between(stat(with_all), stat(without)) if comparable else None)


# ---------------------------------------------------------------- kapitel 5

@described
@dataclass(frozen=True)
class Internal:
    """The municipality's internal collaboration: the coordinator's place, fora, knowledge."""

    mayor: Stat | None = value("The coordinator sits in the mayor's office.",
                               BASE_PLACEMENT)
    sector: Stat | None = value("The coordinator sits in a sector administration.",
                                BASE_PLACEMENT)
    forum: Stat | None = value("A cross-departmental forum on the helhedsplaner.",
                               "kommuner med et gyldigt svar om et internt tværfagligt mødeforum")
    knowledge: Stat | None = value("Agree that knowledge is shared across departments.",
                                   "kommuner med et gyldigt svar om vidensdeling på tværs af "
                                   "forvaltninger")


def internal(report: Report) -> Internal:
    r = report
    return Internal(mayor=r.share("koordinator_placering", "borgmesterkontor"),
                    sector=r.share("koordinator_placering", "fagforvaltning"),
                    forum=r.share("internt_forum", "ja"),
                    knowledge=r.share("vidensdeling", "enig"))


# The note under the placement table when a placement nobody chose is left out of it.
NOTE_UNCHOSEN = "Ingen har svaret {answers}."


def placement_table(report: Report) -> Table:
    """Where the coordinators sit: municipalities and share for each placement that someone
    chose (a row of 0 and 0 % adds nothing); the table's note names the placements nobody chose
    (»Ingen har svaret »Andet sted«.«). Built on :func:`themes_figures.placement_table`."""
    table = all_placements_table(report)
    counts = report.national.distribution("koordinator_placering")["antal"]
    unchosen = [str(label) for label, n in counts.items() if int(n) == 0]
    if not unchosen or int(counts.sum()) == 0:
        return table
    answers = danish.alternatives([danish.quoted(label) for label in unchosen])
    return dataclasses.replace(
        table, rows=tuple(row for row in table.rows if row[0] not in unchosen),
        notes=(*table.notes, NOTE_UNCHOSEN.format(answers=answers)))


# ---------------------------------------------------------------- kapitel 6

@described
@dataclass(frozen=True)
class Leadership:
    """How the coordinators see the municipal leaders' part in the work."""

    higher: Stat | None = value("Agree the leaders could give the work higher priority.",
                                "kommuner med et gyldigt svar om, at lederne kunne prioritere "
                                "højere")
    adm: Stat | None = value("Satisfied with the administrative leaders' priority.",
                             "kommuner med et gyldigt svar om tilfredshed med den administrative "
                             "ledelse")
    pol: Stat | None = value("Satisfied with the politicians' priority.",
                             "kommuner med et gyldigt svar om tilfredshed med politikernes "
                             "prioritering")
    goals: Stat | None = value("Agree the leaders communicate the goals clearly.",
                               "kommuner med et gyldigt svar om, at ledelsen kommunikerer målene")
    staff: Stat | None = value("Agree staff are chosen for clear interfaces with the plan.",
                               "kommuner med et gyldigt svar om medarbejdere valgt efter "
                               "snitflader")
    freedom: Stat | None = value("Agree staff are free to choose their methods.",
                                 "kommuner med et gyldigt svar om frihed i metodevalget")


def leadership(report: Report) -> Leadership:
    r = report
    return Leadership(higher=r.share("ledelse_kunne_prioritere_hoejere", "enig"),
                      adm=r.share("tilfreds_adm_ledelse", "tilfreds"),
                      pol=r.share("tilfreds_pol_ledelse", "tilfreds"),
                      goals=r.share("ledelse_kommunikerer_maal", "enig"),
                      staff=r.share("medarbejdere_snitflader", "enig"),
                      freedom=r.share("metodefrihed", "enig"))
