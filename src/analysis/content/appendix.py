"""Bilag: the case municipalities, the questionnaire, response, and the 2015 report's own
figures set against the figures computed from the data."""

from __future__ import annotations

import pandas as pd

from analysis import danish
from analysis.content.ch1 import CO_FINANCING_LABELS
from analysis.present import Prose, Table
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



def computed_figures(report: Report) -> dict[str, tuple[int, int]]:
    """Each of the 2015 report's figures recomputed from the data: id -> (count, base)."""
    nat = report.national
    reg = nat.register
    time_valid = nat.valid("tid_koordinering")

    def s(qid, group, size=None):
        x = nat.share(qid, group, size=size)
        return x.count, x.n

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


def comparison_table(report: Report) -> Table:
    computed = computed_figures(report)
    printed = {f["id"]: f.get("printed_short", "") for f in
               report.national.dataset.published.get("figures", [])}
    rows = []
    for fid, (count, base) in computed.items():
        rows.append((FIGURE_TEXTS[fid], danish.integer(count), danish.integer(base),
                     danish.percent(count / base, 1) if base else "–",
                     printed.get(fid, "")))
    frame = pd.DataFrame(rows, columns=["Tal", "Antal", "Ud af", "Andel", "Trykt i 2015"])
    n = len(report.national.respondents)
    return Table.from_frame(frame, ident="tal2015",
                            caption="2015-rapportens tal og de samme tal beregnet af data",
                            source=danish.n_source(n, danish.SOURCE_SURVEY + " og "
                                                   + danish.SOURCE_REGISTER))


def inconsistencies(report: Report) -> Prose:
    """Where the 2015 report contradicts itself, with the value computed from the data."""
    c = computed_figures(report)
    staff, staff_base = c["medfinansiering_medarbejderressourcer"]
    sf, sf_base = c["smaa_fuldtid_eller_mere"]
    lf, lf_base = c["store_fuldtid_eller_mere"]
    return Prose(
        "2015-rapporten er ikke helt konsistent. Vi trykker de tal, data giver, og noterer "
        "forskellene her.\n\n"
        f"- **Medfinansiering med medarbejdere.** Teksten siger 91 % af de 44 kommuner, mens "
        f"figuren angiver N=38. 91 % kan ikke nås med 38 kommuner; data giver "
        f"{danish.integer(staff)} af {danish.integer(staff_base)} = "
        f"{danish.percent(staff / staff_base, 1)}, altså registeroplysninger for alle kommuner.\n"
        f"- **Små kommuner med fuldtid eller mere.** Konklusionen siger 13 %, kapitel 1 "
        f"„under 15 %“. Med {danish.integer(sf_base)} små kommuner kan 13 % ikke forekomme; "
        f"data giver {danish.integer(sf)} af {danish.integer(sf_base)} = "
        f"{danish.percent(sf / sf_base, 1)}.\n"
        f"- **Store kommuner med fuldtid eller mere.** Konklusionen siger 44 %, kapitel 1 "
        f"„næsten 45 %“; data giver {danish.integer(lf)} af {danish.integer(lf_base)} = "
        f"{danish.percent(lf / lf_base, 2)}.\n"
        "- **Figurnumre.** 2015-rapporten bruger „Figur 3“ både om tidsforbruget i kapitel 1 "
        "og om samarbejdstrappen i kapitel 2. Her nummereres figurerne fortløbende."
    )


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
        "Andele har 95 %-sikkerhedsintervaller efter Wilsons metode, korrigeret for at "
        "næsten alle kommuner har svaret (endelig-populationskorrektion). Forskelle mellem små "
        "og store kommuner testes med Fishers eksakte test for andele og Brunner-Munzels "
        "rangtest for svarskalaer; sammenhænge mellem skalaer med Spearmans rangkorrelation.\n\n"
        f"**Diskretionering.** En gruppe vises kun, når mindst {danish.integer(nat.plan.k)} "
        "kommuner i gruppen har svaret. Kommunerapporter sammenligner kun med faste grupper "
        "(hele landet og kommuner af samme størrelse) og viser aldrig en anden navngiven "
        "kommunes svar. Citater gengives med rolle, ikke navn, og knyttes kun til en kommune, "
        "hvor det er aftalt."
        + (f" I denne rapport er {danish.integer(len(nat.plan.suppressed))} gruppetal "
           "undertrykt." if nat.plan.suppressed else "")
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
