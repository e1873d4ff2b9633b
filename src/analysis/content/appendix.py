"""Bilag: the case municipalities, the questionnaire, response, and the 2015 report's own
figures set against the figures computed from the data."""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis import danish
from analysis.content.ch1 import CO_FINANCING_LABELS
from analysis.present import Prose, Provenance, Table
from analysis.results import Report

# Danish descriptions of the published figures (ids of data/reference/published_2015.yaml)
# and how each is computed from the data: (question or register column, group, subset).
FIGURE_TEXTS = {
    "andel_med_helhedsplan": "Kommuner med helhedsplan af alle kommuner",
    "smaa_kommuner_under_4000": "Kommuner med under 4.000 beboere i områderne",
    "alle_medfinansierer": "Kommuner, der medfinansierer helhedsplanerne",
    "medfinansiering_medarbejderressourcer": "Kommuner, der medfinansierer med medarbejdere",
    "har_koordinator": "Kommuner med en boligsocial koordinator",
    "ingen_koordinator": "Kommuner uden en boligsocial koordinator",
    "koordinator_i_borgmesterkontor": "Koordinatoren sidder i borgmesterkontoret",
    "tid_besvaret": "Kommuner, der har svaret på tidsforbruget",
    "store_fuldtid_eller_mere": "Store kommuner: fuldtid eller mere til koordinering",
    "smaa_fuldtid_eller_mere": "Små kommuner: fuldtid eller mere til koordinering",
    "smaa_halvtid_eller_mindre": "Små kommuner: højst halvtid til koordinering",
    "ledelse_kunne_prioritere_hoejere": "Enige i, at lederne kunne prioritere højere",
}



def computed_figures(report: Report) -> dict[str, tuple[int, int] | None]:
    """Each of the 2015 report's figures recomputed from the data: id -> (count, base), or
    None where the disclosure plan suppresses the group the figure is about."""
    nat = report.national
    reg = nat.register
    time_valid = nat.valid("tid_koordinering")

    def s(qid, group, size=None):
        x = nat.share(qid, group) if size is None else nat.group_share(qid, group, size)
        return None if x is None else (x.count, x.n)

    cofinance = reg[list(CO_FINANCING_LABELS)].sum(axis=1).gt(0)
    return {
        "andel_med_helhedsplan": (len(reg), len(nat.dataset.kommuner)),
        "smaa_kommuner_under_4000": (int(reg["size_group"].eq("small").sum()), len(reg)),
        "alle_medfinansierer": (int(cofinance.sum()), len(reg)),
        "medfinansiering_medarbejderressourcer":
            (int(reg["medfin_medarbejderressourcer"].sum()), len(reg)),
        "har_koordinator": s("har_koordinator", "ja"),
        "ingen_koordinator": s("har_koordinator", "nej"),
        "koordinator_i_borgmesterkontor": s("koordinator_placering", "borgmesterkontor"),
        "tid_besvaret": (len(time_valid), len(nat.respondents)),
        "store_fuldtid_eller_mere": s("tid_koordinering", "fuldtid_eller_mere", "large"),
        "smaa_fuldtid_eller_mere": s("tid_koordinering", "fuldtid_eller_mere", "small"),
        "smaa_halvtid_eller_mindre": s("tid_koordinering", "halvtid_eller_mindre", "small"),
        "ledelse_kunne_prioritere_hoejere": s("ledelse_kunne_prioritere_hoejere", "enig"),
    }


def _printed(report: Report) -> dict[str, str]:
    return {f["id"]: str(f.get("printed_short", "")) for f in
            report.national.dataset.published.get("figures", [])}


def comparison_table(report: Report) -> Table:
    computed = computed_figures(report)
    printed = _printed(report)
    rows = []
    for fid, value in computed.items():
        if value is None:
            rows.append((FIGURE_TEXTS[fid], "–", "–", "undertrykt", printed.get(fid, "")))
            continue
        count, base = value
        rows.append((FIGURE_TEXTS[fid], danish.integer(count), danish.integer(base),
                     danish.percent(count / base, 1) if base else "–",
                     printed.get(fid, "")))
    frame = pd.DataFrame(rows, columns=["Tal", "Antal", "Ud af", "Andel", "Trykt i 2015"])
    n = len(report.national.respondents)
    return Table.from_frame(frame, ident="tal2015",
                            caption="2015-rapportens tal og de samme tal beregnet af data",
                            source=danish.n_source(n, danish.SOURCE_SURVEY + " og "
                                                   + danish.SOURCE_REGISTER))


_PERCENT = re.compile(r"(?:(næsten|under|over|godt|knap)\s+)?(\d+)\s*%")
_BASE = re.compile(r"N\s*=\s*(\d+)")


def reachable(percent: int, base: int) -> bool:
    """Can ``percent`` (a whole number, rounded half up) be a share of ``base`` units?

    Examples
    --------
    >>> reachable(13, 22), reachable(14, 22), reachable(91, 38)
    (False, True, False)
    """
    return any(math.floor(100 * k / base + 0.5) == percent for k in range(base + 1))


def _finding(text: str, printed: str, count: int, base: int) -> list[str]:
    """What is wrong with one printed figure, judged against the computed count and base."""
    value = 100 * count / base
    computed = f"data giver {danish.integer(count)} af {danish.integer(base)} = " \
               f"{danish.percent(count / base, 2)}"
    out = []
    for qualifier, number in _PERCENT.findall(printed):
        p = int(number)
        shown = danish.quoted(f"{qualifier + ' ' if qualifier else ''}{p}{danish.NBSP}%")
        if not qualifier and not reachable(p, base):
            out.append(f"2015-rapporten skriver {shown}, men med {danish.integer(base)} "
                       f"kommuner kan {p}{danish.NBSP}% ikke forekomme; {computed}")
        elif not qualifier and math.floor(value + 0.5) != p:
            out.append(f"2015-rapporten skriver {shown}; {computed}")
        elif qualifier in ("næsten", "under", "knap") and not value < p:
            out.append(f"2015-rapporten skriver {shown}; {computed}")
        elif qualifier in ("over", "godt") and not value > p:
            out.append(f"2015-rapporten skriver {shown}; {computed}")
    for n in _BASE.findall(printed):
        if int(n) != base:
            out.append(f"2015-rapportens figur angiver N{danish.NBSP}={danish.NBSP}{n}, men tallet "
                       f"bygger på {danish.integer(base)} kommuner; {computed}")
    if not out and len(set(_PERCENT.findall(printed))) > 1:
        forms = " og ".join(danish.quoted(f"{q + ' ' if q else ''}{n}{danish.NBSP}%")
                            for q, n in _PERCENT.findall(printed))
        out.append(f"2015-rapporten bruger både {forms}; {computed}")
    return [f"**{text}.** {line}." for line in out]


def inconsistencies(report: Report) -> Prose:
    """Where the 2015 report's printed figures do not fit the data or each other."""
    computed = computed_figures(report)
    printed = _printed(report)
    lines = []
    for fid, value in computed.items():
        if value is None or not printed.get(fid):
            continue
        lines += _finding(FIGURE_TEXTS[fid], printed[fid], *value)
    lines.append("**Figurnumre.** 2015-rapporten bruger samme figurnummer om både tidsforbruget "
                 "i kapitel 1 og samarbejdstrappen i kapitel 2. Her nummereres figurerne "
                 "fortløbende.")
    return Prose("2015-rapporten er ikke helt konsistent. Vi trykker de tal, data giver, og "
                 "noterer forskellene her.\n\n" + "\n".join(f"- {line}" for line in lines))


def case_table(report: Report) -> Table:
    nat = report.national
    cases = nat.dataset.published.get("population", {}).get("casekommuner", [])
    reg = nat.register[nat.register["kommunenavn"].isin(cases)].sort_values("kommunenavn")
    frame = pd.DataFrame({
        "Kommune": reg["kommunenavn"],
        "Region": reg["region"],
        "Indbyggere": [danish.integer(v) for v in reg["folketal_2015"]],
        "Helhedsplaner": [danish.integer(v) for v in reg["antal_helhedsplaner"]],
        "Beboere i områderne": [danish.integer(v) for v in reg["beboere_i_omraader"]],
        "Størrelse": [danish.SIZE_GROUP_SHORT[g].split()[0].capitalize()
                      for g in reg["size_group"]],
    })
    return Table.from_frame(frame, ident="casekommuner",
                            caption="Casekommunernes karakteristika",
                            source=danish.n_source(len(frame), danish.SOURCE_REGISTER
                                                   + " og Danmarks Statistik"))


def response_text(report: Report) -> Prose:
    nat = report.national
    survey = nat.dataset.survey
    n_reg = len(nat.register)
    n_resp = len(nat.respondents)
    incomplete = len(survey.incomplete)
    return Prose(
        f"Spørgeskemaet gik til {danish.integer(n_reg)} kommuner. {danish.integer(n_resp)} "
        f"gennemførte det ({danish.percent(n_resp / n_reg, 1)}). "
        + (f"{danish.integer(incomplete)} påbegyndte, men ufuldstændige besvarelser indgår "
           "ikke. " if incomplete else "")
        + "Svarene „Ved ikke“ og ubesvarede spørgsmål tæller ikke med i andelene, så antallet "
        "af svar (N) kan variere fra spørgsmål til spørgsmål.\n\n"
        "Sikkerhedsintervaller for andele (95 %) beregnes efter Wilsons metode, korrigeret "
        "for, hvor stor en del af kommunerne der har svaret (endelig-populationskorrektion). "
        "Forskelle mellem små "
        "og store kommuner testes med Fishers eksakte test for andele og Brunner-Munzels "
        "rangtest for svarskalaer; sammenhænge mellem skalaer med Spearmans rangkorrelation.\n\n"
        f"**Diskretionering.** En gruppe vises kun, når mindst {danish.integer(nat.plan.k)} "
        "kommuner i gruppen har svaret. Kommunerapporter sammenligner kun med faste grupper "
        "(hele landet og kommuner af samme størrelse) og viser aldrig en anden navngiven "
        "kommunes svar. Citater gengives med rolle, ikke navn, og knyttes kun til en kommune, "
        "hvor det er aftalt."
        + (f" {danish.integer(len(nat.plan.suppressed))} gruppetal er undertrykt i alle "
           "rapporter (se provenance.json)." if nat.plan.suppressed else "")
    )


def codebook_table(report: Report) -> Table:
    nat = report.national
    rows = []
    for q in nat.codebook.questions.values():
        if q.type == "multiple":
            answers = "; ".join(q.options.values())
        else:
            answers = "; ".join(f"{k} = {v}" for k, v in q.answers.items())
        rows.append((str(q.chapter), q.text, answers))
    frame = pd.DataFrame(rows, columns=["Kapitel", "Spørgsmål", "Svarmuligheder"])
    return Table.from_frame(frame, ident="spoergeskema", caption="Spørgeskemaets spørgsmål",
                            source="Kilde: undersøgelsens kodebog.")


def colophon(report: Report) -> Table:
    from analysis import __version__, provenance

    info = provenance.describe(report)
    rows = [("Data", f"{name} (SHA-256 {digest[:16]}…)") for name, digest in
            info["inputs"].items()]
    rows += [("Programversion", f"{__version__} ({info['code']['commit']})"),
             ("Parametre", ", ".join(f"{k} = {v}" for k, v in info["parameters"].items())),
             ("Dannet", info["rendered"])]
    frame = pd.DataFrame(rows, columns=["", "Oplysning"])
    return Table.from_frame(frame, ident="kolofon", caption="Sådan er rapporten dannet",
                            source="Kilde: rapportens egen kørsel; se også provenance.json.")


def provenance(report: Report) -> Provenance:
    """The record written to ``provenance.json`` (computed where the report is computed)."""
    from analysis import provenance as prov

    return Provenance(prov.describe(report))
