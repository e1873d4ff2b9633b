"""Front matter: title page, indledning, sådan har vi gjort, konklusion, læsevejledning."""

from __future__ import annotations


from dataclasses import dataclass

from analysis.core import settings
from analysis.report import danish, figures
from analysis.report.content.common import DrawnFigure, lower
from analysis.report.content.values import described, value
from analysis.report.inline import escape
from analysis.report.present import Figure, TitlePage
from analysis.stats.results import Report

# What the values' counts are counted among (their denominators), each used by several values.
BASE_CASES = "casekommunerne i data/reference/published_2015.yaml"
BASE_DESIGN = "design i data/reference/published_2015.yaml"
BASE_CASES_REGISTERED = "casekommuner i registeret over helhedsplaner"
BASE_REGISTER = "kommuner med en helhedsplan"
BASE_FINANCING = "financing_facts i data/reference/published_2015.yaml"
BASE_CASES_UNREGISTERED = "casekommuner uden for registeret over helhedsplaner"
BASE_CASES_UNANSWERED = "casekommuner i registeret uden en gennemført besvarelse"

TITLE = danish.TITLE
SUBTITLE_NATIONAL = "Kommunernes samarbejde om helhedsplaner med boligsocialt indhold"
# A municipal edition's subtitle after the municipality's name: what the edition holds (a
# municipality that did not answer gets no answers of its own, only its register facts).
SUBTITLE_ANSWERED = "egne svar og landsbilledet"
SUBTITLE_NOT_ANSWERED = "landsbilledet og kommunens nøgletal"
PUBLISHER = "Ny udgave på grundlag af CFBU og KL (2015)"
# From this share of respondents on, the survey is treated as a near-census.
NEAR_CENSUS = 0.8


def subtitle(report: Report, name: str | None = None) -> str:
    """The report's subtitle: the national one, or in a municipal report the municipality's
    name (``name``, else its title) and what the edition holds."""
    m = report.municipality
    if m is None:
        return SUBTITLE_NATIONAL
    return (f"{m.title if name is None else name}: "
            f"{SUBTITLE_ANSWERED if m.answered else SUBTITLE_NOT_ANSWERED}")


def title_page(report: Report) -> TitlePage:
    """The title page: title, subtitle (the municipality's in a municipal report), date."""
    m = report.municipality
    # title-page fields are read as markdown: a name from data is escaped to print as typed
    name = "" if m is None else escape(m.title)
    return TitlePage(title=TITLE, subtitle=subtitle(report, name),
                     date=danish.date(settings.render_date()), publisher=PUBLISHER, kommune=name)


@described
@dataclass(frozen=True)
class Study:
    """Facts about the study and its data that the front matter prints."""

    with_plan: int = value("Municipalities with a helhedsplan: the survey's population.",
                           "kommuner i registeret over helhedsplaner")
    all: int = value("Municipalities in the country.",
                     "alle kommuner i data/reference/kommuner.csv")
    respondents: int = value("Municipalities that completed the questionnaire.",
                             "kommuner med en helhedsplan, der har gennemført spørgeskemaet")
    response: str = value("The response rate, respondents of with_plan, as a whole percentage: "
                          "``93 %``.", BASE_REGISTER)
    near_census: bool = value("So many answered (80 % or more) that the survey is close to a "
                              "census.", BASE_REGISTER)
    span: str = value("The width of ``Stat.bounds`` where every respondent answered: missing "
                      "of with_plan in percentage points, ``7 procentpoint``.", BASE_REGISTER)
    fewest: int = value("The fewest valid answers to one question asked of every respondent "
                        "(no skip logic; one with several options counts a respondent who "
                        "answered every option): the question with the widest "
                        "bounds.", "kommuner med et gyldigt svar på spørgsmålet")
    widest_span: str = value("The width of ``Stat.bounds`` for that question: with_plan minus "
                             "fewest, of with_plan, in percentage points: ``16 procentpoint``.",
                             BASE_REGISTER)
    period: str = value("When the survey ran, as the report writes it.",
                        "survey_period i data/dataset.yaml")
    recipients: str = value("Who received the questionnaire, as the report writes it.",
                            "survey_recipients i data/dataset.yaml")
    cases: str = value("The case municipalities, enumerated: ``Albertslund, Herning, … og "
                       "Sønderborg``.", BASE_CASES)
    n_cases: int = value("How many case municipalities there are.",
                         BASE_CASES)
    n_cases_words: str = value("n_cases in words: ``fem``.",
                               BASE_CASES)
    fund_share: str = value("Landsbyggefonden's share of a helhedsplan's costs: ``75 %``.",
                            BASE_FINANCING)
    duration: str = value("How long a helhedsplan runs: ``fire år``.",
                          BASE_FINANCING)
    interviews_per_case: str = value("Interviews in each case municipality: ``4–8``.",
                                     BASE_DESIGN)
    experts: int = value("Expert interviews.", BASE_DESIGN)
    workshop: int = value("Municipalities at the workshop.",
                          BASE_DESIGN)
    added: int = value("Questions this edition added to the questionnaire (the codebook's "
                       "``added``); 0 where the codebook has none.",
                       "spørgsmål i kodebogen")


def study(report: Report) -> Study:
    nat = report.national
    about = report.about
    published = nat.dataset.published
    cases = published.get("population", {}).get("casekommuner", [])
    facts = published.get("financing_facts", {})
    design = published.get("design", {})
    n_with, n_resp = len(nat.register), len(nat.respondents)
    fewest = min((len(nat.valid(q.id)) for q in nat.codebook.questions.values()
                  if not q.asked_if), default=n_resp)
    return Study(with_plan=n_with, all=len(nat.dataset.kommuner), respondents=n_resp,
                 response=danish.percent(n_resp / n_with) if n_with else "–",
                 near_census=bool(n_with) and n_resp / n_with >= NEAR_CENSUS,
                 span=danish.points((n_with - n_resp) / n_with) if n_with else "–",
                 fewest=fewest,
                 widest_span=danish.points((n_with - fewest) / n_with) if n_with else "–",
                 period=str(about.get("survey_period", "")),
                 recipients=str(about.get("survey_recipients", "den kommunale koordinator")),
                 cases=danish.enumerate_words(list(cases)), n_cases=len(cases),
                 n_cases_words=danish.count_word(len(cases)),
                 fund_share=str(facts.get("landsbyggefonden_andel", "hovedparten")),
                 duration=str(facts.get("varighed", "en årrække")),
                 interviews_per_case=str(design.get("interviews_per_case", "")),
                 experts=int(design.get("expert_interviews", 0)),
                 workshop=int(design.get("workshop_kommuner", 0)),
                 added=sum(bool(q.added) for q in nat.codebook.questions.values()))


@described
@dataclass(frozen=True)
class Cases:
    """The case municipalities of the study (its interviews) and which of them the data hold.

    The interviews were held in the municipalities the study names, whatever the data; a case
    municipality that is not in the helhedsplan register has no row in the bilag's table and
    no register facts, and one that did not answer has no answers in the figures.
    """

    names: str = value("Every case municipality, enumerated: ``Albertslund, Herning, Køge, Odense "
                       "og Sønderborg``.", BASE_CASES)
    count: int = value("How many case municipalities the study has.",
                       BASE_CASES)
    count_words: str = value("count in words: ``fem``.",
                             BASE_CASES)
    in_data: str = value("The case municipalities in the helhedsplan register, enumerated.",
                         BASE_CASES_REGISTERED)
    n_in_data: int = value("How many of them are in the register (the rows of the bilag's "
                           "table).", BASE_CASES_REGISTERED)
    n_in_data_words: str = value("n_in_data in words: ``fire``.",
                                 BASE_CASES_REGISTERED)
    missing: str = value("The case municipalities not in the register, enumerated ('' when "
                         "every one is).", BASE_CASES_UNREGISTERED)
    n_missing: int = value("How many are not in the register.",
                           BASE_CASES_UNREGISTERED)
    not_answered: str = value("Case municipalities in the register that did not complete the "
                              "questionnaire, enumerated ('' when all did).",
                              BASE_CASES_UNANSWERED)
    n_not_answered: int = value("How many did not complete it.",
                                BASE_CASES_UNANSWERED)

    @property
    def all_in_data(self) -> bool:
        """Every case municipality is in the register."""
        return self.n_missing == 0


def cases(report: Report) -> Cases:
    nat = report.national
    named = [str(c) for c in nat.dataset.published.get("population", {}).get("casekommuner", [])]
    registered = set(nat.register["kommunenavn"])
    answered = set(nat.respondents["kommunenavn"])
    present = [c for c in named if c in registered]
    missing = [c for c in named if c not in registered]
    silent = [c for c in present if c not in answered]
    return Cases(names=danish.enumerate_words(named), count=len(named),
                 count_words=danish.count_word(len(named)),
                 in_data=danish.enumerate_words(present), n_in_data=len(present),
                 n_in_data_words=danish.count_word(len(present)),
                 missing=danish.enumerate_words(missing), n_missing=len(missing),
                 not_answered=danish.enumerate_words(silent), n_not_answered=len(silent))


LEVELS = ("Politisk", "Strategisk", "Taktisk", "Udførende")
# The kommune in the middle: the study is about its collaboration with the two others.
ORGANISATIONS = ("Boligorganisation", "Kommune", "Helhedsplan")
# Who sits at each level of each organisation, as the 2015 report defines the levels: the
# helhedsplan has tactical and executive staff (»udførende og taktiske medarbejdere ansat i
# kommunen og i helhedsplanen«): its projektleder at the tactical level beside the kommune's
# consultants, among them the coordinator (chapter 4), its other staff at the executive level.
LEVEL_ROLES = {
    ("Politisk", "Boligorganisation"): "Organisations- og afdelingspolitikere",
    ("Politisk", "Kommune"): "Kommunalpolitikere",
    ("Strategisk", "Boligorganisation"): "Direktører og øverste ledere",
    ("Strategisk", "Kommune"): "Kommunaldirektør og forvaltningschefer",
    ("Taktisk", "Boligorganisation"): "Konsulenter i centralorganisationen",
    ("Taktisk", "Kommune"): "Konsulenter og mellemledere",
    ("Taktisk", "Helhedsplan"): "Helhedsplanens projektleder",
    ("Udførende", "Kommune"): "Medarbejdere med borgernære opgaver",
    ("Udførende", "Helhedsplan"): "Helhedsplanens medarbejdere",
}
# The collaboration across the organisations the study looks at: the kommune with the
# boligorganisation at the strategic and tactical levels, with the helhedsplan at the
# tactical and the executive level.
LEVEL_LINKS = (("Strategisk", "Kommune", "Boligorganisation"),
               ("Taktisk", "Kommune", "Boligorganisation"),
               ("Taktisk", "Kommune", "Helhedsplan"),
               ("Udførende", "Kommune", "Helhedsplan"))


@described
@dataclass(frozen=True)
class DrawnLevels(DrawnFigure):
    """The levels diagram and the names it draws: a row per level, a column per party, an
    arrow where two parties work together at a level."""

    levels: tuple[str, ...] = value("The levels, one row each, top first.", "diagrammets rækker")
    organisations: tuple[str, ...] = value("The parties, one column each, left to right.",
                                           "diagrammets kolonner")
    links: tuple[tuple[str, str, str], ...] = value("Where two parties work together at a level: "
                                                    "(level, party, party), one per arrow.",
                                                    "diagrammets pile", default=())

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
        """The levels, lower case, enumerated: ``politisk, strategisk, taktisk og udførende``."""
        return danish.enumerate_words([lower(x) for x in self.levels])

    @property
    def organisation_names(self) -> str:
        """The parties, lower case, enumerated (the columns, left to right):
        ``boligorganisation, kommune og helhedsplan``."""
        return danish.enumerate_words([lower(x) for x in self.organisations])

    @property
    def meetings(self) -> str:
        """Where the arrows join two parties: ``kommune og boligorganisation på strategisk og
        taktisk niveau, kommune og helhedsplan på udførende niveau``."""
        pairs: dict[tuple[str, str], list[str]] = {}
        for level, one, other in self.links:
            pairs.setdefault((lower(one), lower(other)), []).append(lower(level))
        return ", ".join(f"{one} {danish.AND} {other} på "
                         f"{danish.enumerate_words(levels)} niveau"
                         for (one, other), levels in pairs.items())


def levels_figure(report: Report) -> DrawnLevels:
    return DrawnLevels(_levels_figure(LEVELS, ORGANISATIONS, tuple(LEVEL_ROLES.items()),
                                      LEVEL_LINKS), LEVELS, ORGANISATIONS, LEVEL_LINKS)


@figures.cached
def _levels_figure(levels: tuple[str, ...], organisations: tuple[str, ...],
                   roles: tuple, links: tuple) -> Figure:
    ax = figures.levels_diagram(list(levels), list(organisations), roles=dict(roles),
                                links=links)
    return figures.to_figure(ax, ident="niveauer", caption="",
                             source="Undersøgelsens design, efter CFBU og KL (2015)")
