"""Front matter: title page, indledning, sådan har vi gjort, konklusion, læsevejledning."""

from __future__ import annotations


from dataclasses import dataclass

from analysis.core import settings
from analysis.report import danish, figures
from analysis.report.content.common import DrawnFigure, lower
from analysis.report.inline import escape
from analysis.report.present import Figure, TitlePage
from analysis.stats.results import Report

TITLE = danish.TITLE
SUBTITLE_NATIONAL = "Kommunernes samarbejde om helhedsplaner med boligsocialt indhold"
PUBLISHER = "Genskabt fra data efter CFBU og KL (2015)"
# From this share of respondents on, the survey is treated as a near-census.
NEAR_CENSUS = 0.8


def title_page(report: Report) -> TitlePage:
    m = report.municipality
    # title-page fields are read as markdown: a name from data is escaped to print as typed
    name = "" if m is None else escape(m.title)
    subtitle = SUBTITLE_NATIONAL if m is None else f"{name}: egne svar og landsbilledet"
    return TitlePage(title=TITLE, subtitle=subtitle, date=danish.date(settings.render_date()),
                     publisher=PUBLISHER, kommune=name)


@dataclass(frozen=True)
class Study:
    """Facts about the study and its data that the front matter prints."""

    with_plan: int             # municipalities with a helhedsplan (the survey's population)
    all: int                   # municipalities in the country
    respondents: int           # completed answers
    response: str              # response rate, "93 %"
    near_census: bool          # so many answered that the survey is close to a census
    period: str                # "foråret 2015" (dataset.yaml)
    recipients: str            # who received the questionnaire (dataset.yaml)
    cases: str                 # the case municipalities, "Albertslund, Herning, … og Sønderborg"
    n_cases: int
    n_cases_words: str         # "fem"
    fund_share: str            # Landsbyggefonden's share of the costs, "75 %"
    duration: str              # how long a plan runs, "fire år"
    interviews_per_case: str   # "4–8"
    experts: int               # expert interviews
    workshop: int              # municipalities at the workshop


def study(report: Report) -> Study:
    nat = report.national
    about = report.about
    published = nat.dataset.published
    cases = published.get("population", {}).get("casekommuner", [])
    facts = published.get("financing_facts", {})
    design = published.get("design", {})
    n_with, n_resp = len(nat.register), len(nat.respondents)
    return Study(with_plan=n_with, all=len(nat.dataset.kommuner), respondents=n_resp,
                 response=danish.percent(n_resp / n_with) if n_with else "–",
                 near_census=bool(n_with) and n_resp / n_with >= NEAR_CENSUS,
                 period=str(about.get("survey_period", "")),
                 recipients=str(about.get("survey_recipients", "den kommunale koordinator")),
                 cases=danish.enumerate_words(list(cases)), n_cases=len(cases),
                 n_cases_words=danish.count_word(len(cases)),
                 fund_share=str(facts.get("landsbyggefonden_andel", "hovedparten")),
                 duration=str(facts.get("varighed", "en årrække")),
                 interviews_per_case=str(design.get("interviews_per_case", "")),
                 experts=int(design.get("expert_interviews", 0)),
                 workshop=int(design.get("workshop_kommuner", 0)))


LEVELS = ("Politisk", "Strategisk", "Taktisk", "Udførende")
ORGANISATIONS = ("Kommune", "Boligorganisation", "Helhedsplan")


@dataclass(frozen=True)
class DrawnLevels(DrawnFigure):
    """The levels diagram and the names it draws: a row per level, a column per party."""

    levels: tuple[str, ...]
    organisations: tuple[str, ...]

    @property
    def rows(self) -> str:
        """How many levels (rows), in words: ``fire``."""
        return danish.count_word(len(self.levels))

    @property
    def columns(self) -> str:
        """How many parties (columns), in words: ``tre``."""
        return danish.count_word(len(self.organisations))

    @property
    def level_names(self) -> str:
        """``politisk, strategisk, taktisk og udførende``"""
        return danish.enumerate_words([lower(x) for x in self.levels])

    @property
    def organisation_names(self) -> str:
        """``kommune, boligorganisation og helhedsplan``"""
        return danish.enumerate_words([lower(x) for x in self.organisations])


def levels_figure(report: Report) -> DrawnLevels:
    return DrawnLevels(_levels_figure(LEVELS, ORGANISATIONS), LEVELS, ORGANISATIONS)


@figures.cached
def _levels_figure(levels: tuple[str, ...], organisations: tuple[str, ...]) -> Figure:
    ax = figures.levels_diagram(list(levels), list(organisations))
    return figures.to_figure(ax, ident="niveauer", caption="",
                             source="Undersøgelsens design, efter CFBU og KL (2015)")
