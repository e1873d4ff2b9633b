"""Front matter: title page, indledning, sådan har vi gjort, konklusion, læsevejledning."""

from __future__ import annotations

import datetime as dt
import os

from analysis import danish, figures
from analysis.content.ch1 import CO_FINANCING_LABELS
from analysis.content.common import of_pct, pct
from analysis.estimate import share
from analysis.present import Figure, Prose, TitlePage
from analysis.results import LARGE_THRESHOLD, Report

TITLE = "Kommunerne på banen"
SUBTITLE_NATIONAL = "Kommunernes samarbejde om helhedsplaner med boligsocialt indhold"
SYNTHETIC_NOTICE = ("Rapporten er dannet på syntetiske eksempeldata. Tallene er konstrueret, "
                    "så de gengiver de tal, 2015-rapporten offentliggjorde; alt andet i dem er "
                    "opdigtet og må ikke bruges som viden om en bestemt kommune.")


def render_date() -> dt.date:
    """The date printed on the report: ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def title_page(report: Report) -> TitlePage:
    m = report.municipality
    subtitle = SUBTITLE_NATIONAL if m is None else (
        f"{m.title}: egne svar og landsbilledet")
    return TitlePage(title=TITLE, subtitle=subtitle, date=danish.date(render_date()),
                     notice=SYNTHETIC_NOTICE if report.synthetic else "",
                     publisher="Genskabt fra data efter CFBU og KL (2015)")


def introduction(report: Report) -> Prose:
    nat = report.national
    n_all = len(nat.dataset.kommuner)
    n_with = len(nat.register)
    facts = nat.dataset.published.get("financing_facts", {})
    text = (
        f"Der arbejdes med helhedsplaner med boligsocialt indhold i {danish.integer(n_with)} af "
        f"landets {danish.integer(n_all)} kommuner. En helhedsplan er et lokalt sekretariat i et "
        "udsat boligområde, som Landsbyggefonden støtter med "
        f"{facts.get('landsbyggefonden_andel', 'hovedparten')} af udgifterne over "
        f"{facts.get('varighed', 'en årrække')}; resten finansieres lokalt af boligorganisation, kommune eller andre. Bevillingen gives "
        "til en boligorganisation, men fonden kræver, at den samarbejder med kommunen.\n\n"
        "Kommunerne er ikke forpligtet til at have helhedsplaner. Alligevel er samarbejdet med "
        "boligorganisationer og helhedsplaner for mange kommuner en vigtig vej til at løfte de "
        "udsatte boligområder, hvor mange borgere står uden for arbejdsmarkedet og har sociale "
        "og helbredsmæssige problemer. Kommunens opdeling i fagforvaltninger med hver sit "
        "udvalg, budget og lovkrav gør imidlertid ikke det tværfaglige og tværorganisatoriske "
        "samarbejde let.\n\n"
        "Rapporten spørger, hvordan kommunerne får mest muligt ud af samarbejdet. Den ser på "
        "organisering og koordinering, på fælles retning, tillid og loyalitet mellem parterne "
        "og på den kommunale ledelses rolle. Den er skrevet til kommunale medarbejdere og "
        "ledere."
    )
    if report.municipality is not None:
        m = report.municipality
        text += (f"\n\nDenne udgave er lavet til {m.title}. Hvert kapitel viser først "
                 f"landsbilledet og derefter, i et afsnit om {m.title}, kommunens egne "
                 "svar holdt op mod hele landet og mod kommuner af samme størrelse. Efter "
                 "konklusionen samles anbefalingerne til kommunen.")
    return Prose(text)


def method(report: Report) -> Prose:
    nat = report.national
    about = report.about
    n_with = len(nat.register)
    n_resp = len(nat.respondents)
    period = about.get("survey_period", "")
    cases = nat.dataset.published.get("population", {}).get("casekommuner", [])
    text = (
        "Undersøgelsen bygger på tre slags materiale.\n\n"
        f"**Spørgeskema.** Et spørgeskema blev {('i ' + period + ' ') if period else ''}sendt til "
        f"{about.get('survey_recipients', 'den kommunale koordinator')} i alle "
        f"{danish.integer(n_with)} kommuner med helhedsplaner. {danish.integer(n_resp)} kommuner "
        f"svarede ({pct(share(n_resp, n_with))}). "
        + ("Fordi så stor en del af kommunerne har svaret, er der tale om en næsten fuldstændig "
           "opgørelse; usikkerheden på tallene er derfor lille, og vi korrigerer "
           "sikkerhedsintervallerne for det.\n\n" if n_resp / n_with >= 0.8 else
           "Sikkerhedsintervallerne er korrigeret for, hvor stor en del af kommunerne der har "
           "svaret.\n\n") +
        "**Registerdata.** Antallet af helhedsplaner, antallet af beboere i de boligområder, "
        "planerne dækker, og kommunens former for medfinansiering kendes for alle kommuner med "
        "helhedsplaner.\n\n"
        "**Interviews.** I et udvalg af casekommuner"
        + (f" ({danish.enumerate_words(cases)})" if cases else "")
        + " er der interviewet ledere og medarbejdere i kommunen og en projektleder i en "
        "helhedsplan. Citaterne gengives med betegnelser for rolle og niveau, ikke med navn "
        "eller titel.\n\n"
        "Vi skelner mellem fire niveauer i de tre organisationer, der samarbejder: det "
        "politiske, det strategiske (direktører og chefer), det taktiske (konsulenter og "
        "mellemledere, som koordinerer) og det udførende niveau (medarbejdere med daglig gang "
        "i boligområderne)."
    )
    return Prose(text)


def levels_figure(report: Report) -> Figure:
    return figures.cached(("niveauer",), _levels_figure)


def _levels_figure() -> Figure:
    ax = figures.levels_diagram(["Politisk", "Strategisk", "Taktisk", "Udførende"],
                                ["Kommune", "Boligorganisation", "Helhedsplan"])
    return figures.to_figure(
        ax, ident="niveauer",
        caption="De fire niveauer i samarbejdet mellem kommune, boligorganisation og "
                "helhedsplan",
        alt="Et skema med fire rækker, det politiske, strategiske, taktiske og udførende "
            "niveau, og tre kolonner, kommune, boligorganisation og helhedsplan. Pile mellem "
            "kolonnerne viser, at parterne samarbejder på hvert niveau.",
        source="Undersøgelsens design, efter CFBU og KL (2015)")


def conclusion(report: Report) -> Prose:
    nat = report.national
    coord = nat.share("har_koordinator", "ja")
    placement = nat.distribution("koordinator_placering")["antal"]
    mayor = nat.share("koordinator_placering", "borgmesterkontor")
    sector = nat.share("koordinator_placering", "fagforvaltning")
    higher = nat.share("ledelse_kunne_prioritere_hoejere", "enig")
    satisfied = nat.share("tilfreds_adm_ledelse", "tilfreds")
    small = nat.register["size_group"].eq("small")
    forms = nat.register[list(CO_FINANCING_LABELS)]
    usage = forms.mean().sort_values(ascending=False)
    all_cofinance = forms.sum(axis=1).gt(0)
    text = (
        "**Et krævende samarbejde.** Kommuner, boligorganisationer og helhedsplaner har "
        "forskellige mål, metoder og rammer. Samarbejdet bliver svært, når en part oplever, at "
        "den anden ikke prioriterer det, og når der ikke er en fælles forståelse af, hvad det "
        "boligsociale arbejde skal løse.\n\n"
        f"**{'Flest små kommuner' if small.mean() > 0.5 else 'Flest store kommuner'}.** I "
        f"{danish.integer(int(small.sum()))} af de {danish.integer(len(small))} kommuner med "
        f"helhedsplaner ({danish.percent(small.mean(), 1)}) bor der under "
        f"{danish.integer(LARGE_THRESHOLD)} mennesker i de områder, planerne dækker. "
        + ("Alle" if all_cofinance.all() else f"{danish.integer(int(all_cofinance.sum()))}")
        + " kommuner med helhedsplaner medfinansierer dem, og den mest udbredte form er "
        f"{CO_FINANCING_LABELS[usage.index[0]].lower()}, som {danish.percent(usage.iloc[0])} af "
        "kommunerne bruger.\n\n"
        f"**En koordinator giver fokus.** {pct(coord)} af de kommuner, der har svaret, har "
        "udpeget en eller flere medarbejdere eller ledere til at koordinere arbejdet med "
        f"helhedsplanerne. I {of_pct(mayor)} af disse kommuner sidder koordinatoren i "
        f"borgmesterkontoret og i {danish.integer(sector.count)} i en fagforvaltning"
        + (f"; {danish.integer(int(placement.sum()) - mayor.count - sector.count)} har placeret "
           "koordinatoren et andet sted" if placement.sum() > mayor.count + sector.count else "")
        + ".\n\n" + _time_paragraph(report) +
        f"**Ledelsen kunne prioritere højere.** {of_pct(higher)} af koordinatorerne er enige i, "
        "at de kommunale ledere kunne prioritere helhedsplansarbejdet højere; "
        f"{pct(satisfied)} er samtidig tilfredse med den administrative ledelses "
        "prioritering.\n\n"
        "**Det, der styrker samarbejdet,** er fælles mål, tillid og loyalitet mellem parterne, "
        "faste mødefora på alle niveauer, en tydelig intern koordinering, ledere der melder "
        "retningen klart ud, og medarbejdere der vælges, fordi deres opgaver hænger sammen med "
        "helhedsplanens."
    )
    return Prose(text)


def _time_paragraph(report: Report) -> str:
    nat = report.national
    large_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "large")
    small_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "small")
    if large_full is None or small_full is None:
        overall = nat.share("tid_koordinering", "fuldtid_eller_mere")
        return (f"**Tid til koordinering.** {pct(overall)} af kommunerne bruger en "
                "fuldtidsstilling eller mere på koordineringen.\n\n")
    heading = ("Store kommuner bruger mere tid" if large_full.share > small_full.share else
               "Små kommuner bruger mere tid" if large_full.share < small_full.share else
               "Lige meget tid i små og store kommuner")
    return (f"**{heading}.** {pct(large_full)} af de store kommuner bruger en fuldtidsstilling "
            f"eller mere på koordineringen mod {pct(small_full, 1)} af de små.\n\n")


def reading_guide(report: Report) -> Prose:
    text = (
        "Kapitel 1, *Kommuner med helhedsplaner*, beskriver, hvad en helhedsplan er, hvor mange "
        "kommuner der har dem, og hvordan kommuner med mange og få beboere i udsatte "
        "boligområder organiserer og prioriterer arbejdet.\n\n"
        "Kapitel 2, *Potentialer i (sam)arbejdet*, viser, hvad kommunen kan få ud af "
        "samarbejdet, med samarbejdstrappen som ramme.\n\n"
        "Kapitel 3, *Fælles forståelse og tillid*, handler om, hvordan forskelle i mål og "
        "rammer udfordrer samarbejdet, og hvordan fælles forståelse og tillid styrker det.\n\n"
        "Kapitel 4, *Organisering af tværorganisatorisk samarbejde*, ser på mødefora på tværs "
        "af organisationerne.\n\n"
        "Kapitel 5, *Kommunens interne samarbejde*, ser på organiseringen inde i kommunen og på "
        "den boligsociale koordinators rolle.\n\n"
        "Kapitel 6, *Kommunal ledelse af helhedsplansarbejdet*, handler om lederens rolle.\n\n"
        "Bilagene beskriver casekommunerne, spørgeskemaet, metoden og forskellene mellem "
        "2015-rapportens trykte tal og de tal, der beregnes af data.\n\n"
        "Alle tal i rapporten er beregnet direkte fra data. Under hver figur og tabel står, "
        "hvor mange kommuner tallene bygger på (N), og hvor de stammer fra."
    )
    if report.municipality is not None:
        text += ("\n\nAfsnittene om kommunen selv sammenligner kun med faste grupper: hele "
                 "landet og kommuner af samme størrelse. Ingen andre "
                 "kommuners enkeltsvar vises, og en gruppe med for få svar vises ikke.")
    return Prose(text)
