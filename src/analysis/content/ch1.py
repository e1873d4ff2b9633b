"""Kapitel 1: Kommuner med helhedsplaner."""

from __future__ import annotations

import pandas as pd

from analysis import danish, figures
from analysis.content.common import (answer_label, apply_plan, distribution_with_own,
                                     of, pct)
from analysis.estimate import fisher_2x2, ordinal_2groups
from analysis.present import Figure, Prose, Table
from analysis.results import LARGE_THRESHOLD, Report

CO_FINANCING_LABELS = {
    "medfin_medarbejderressourcer": "Medarbejderressourcer",
    "medfin_kontant_tilskud": "Kontant tilskud",
    "medfin_lokaler": "Lokaler og faciliteter",
    "medfin_aktiviteter": "Tilskud til konkrete aktiviteter",
}


def scope(report: Report) -> Prose:
    nat = report.national
    reg = nat.register
    n_all = len(nat.dataset.kommuner)
    small = reg["size_group"].eq("small")
    regions = reg["region"].value_counts()
    top = regions.index[0]
    return Prose(
        f"{danish.integer(len(reg))} af landets {danish.integer(n_all)} kommuner samarbejder med "
        "en eller flere almene boligorganisationer om en eller flere helhedsplaner med "
        f"boligsocialt indhold. Flest ligger i {top} ({danish.integer(int(regions.iloc[0]))} "
        "kommuner), men kommunerne findes i alle fem regioner.\n\n"
        f"I {danish.integer(int(small.sum()))} af de {danish.integer(len(reg))} kommuner "
        f"({danish.percent(small.mean(), 1)}, næsten to tredjedele) bor der under "
        f"{danish.integer(LARGE_THRESHOLD)} mennesker i de boligområder, helhedsplanerne dækker. "
        "Vi kalder dem i rapporten *små* kommuner og resten *store*, selv om det er antallet af "
        "beboere i områderne og ikke kommunens samlede indbyggertal, der afgør det. For mange "
        "små kommuner er helhedsplanen en lille opgave målt i beboere, men de interviewede "
        "fortæller, at områderne alligevel tegner sig for forholdsvis mange sociale udgifter."
    )


def region_table(report: Report) -> Table:
    reg = report.national.register
    counts = reg.groupby("region").agg(
        kommuner=("kommunekode", "size"), planer=("antal_helhedsplaner", "sum"),
        beboere=("beboere_i_omraader", "sum"),
        store=("size_group", lambda s: int((s == "large").sum())))
    counts = counts.sort_values("kommuner", ascending=False)
    total = counts.sum()
    counts.loc["Hele landet"] = total
    frame = pd.DataFrame({
        "Region": counts.index,
        "Kommuner med helhedsplan": [danish.integer(v) for v in counts["kommuner"]],
        "Heraf store": [danish.integer(v) for v in counts["store"]],
        "Helhedsplaner": [danish.integer(v) for v in counts["planer"]],
        "Beboere i områderne": [danish.integer(v) for v in counts["beboere"]],
    })
    return Table.from_frame(frame, ident="regioner",
                            caption="Kommuner med helhedsplaner fordelt på regioner",
                            source=danish.n_source(len(reg), danish.SOURCE_REGISTER))


def co_financing_text(report: Report) -> Prose:
    nat = report.national
    reg = nat.register
    forms = reg[list(CO_FINANCING_LABELS)]
    any_form = forms.sum(axis=1).gt(0)
    several = forms.sum(axis=1).ge(2)
    staff = nat.register_share("medfin_medarbejderressourcer")
    everyone = ("Alle kommuner med helhedsplaner har valgt at medfinansiere dem"
                if any_form.all() else
                f"{danish.integer(int(any_form.sum()))} af {danish.integer(len(reg))} kommuner "
                "medfinansierer deres helhedsplaner")
    return Prose(
        "Landsbyggefonden kræver lokal medfinansiering, men ikke at den kommer fra kommunen. "
        f"{everyone}, og {danish.integer(int(several.sum()))} kommuner bruger mere end én af de "
        f"{danish.count_word(len(CO_FINANCING_LABELS))} former for medfinansiering.\n\n"
        "Medarbejderressourcer er den mest udbredte form. Den bruges af "
        f"{danish.integer(staff.count)} af de {danish.integer(staff.n)} kommuner ({pct(staff)}). "
        "Kommunale medarbejdere lægger da et antal timer om ugen i helhedsplanen, er "
        "udstationeret i boligområdet eller deltager i planens mødefora. Det giver medarbejderen "
        "førstehåndskendskab til det boligsociale arbejde, mens hun eller han kender den "
        "kommunale organisation, og de interviewede vurderer, at netop denne form skaber mest "
        "ejerskab og engagement."
    )


def co_financing_figure(report: Report) -> Figure:
    nat = report.national
    reg = nat.register
    shares = pd.Series({label: reg[col].mean() for col, label in CO_FINANCING_LABELS.items()})
    shares = shares.sort_values(ascending=False)
    highlight = None
    m = report.municipality
    if m is not None:
        highlight = {label: bool(m.facts[col] == 1) for col, label in CO_FINANCING_LABELS.items()}
    top = shares.index[0]
    alt = (f"Vandrette søjler for {danish.count_word(len(shares))} former for medfinansiering. "
           f"{top} er den mest udbredte med {danish.percent(shares.iloc[0])} af kommunerne; "
           + ", ".join(f"{k.lower()} {danish.percent(v)}" for k, v in shares.iloc[1:].items())
           + ".")
    if highlight:
        alt += " Kommunens egne former er markeret: " + ", ".join(
            f"{k.lower()} {'ja' if v else 'nej'}" for k, v in highlight.items()) + "."
    caption = ("Andel af kommunerne med helhedsplaner, der bruger hver form for "
               "medfinansiering. En kommune kan bruge flere former")
    source = danish.n_source(len(reg), danish.SOURCE_REGISTER)
    key = ("medfinansiering", shares.to_json(), str(highlight), alt, source)
    return figures.cached(key, lambda: figures.to_figure(
        figures.share_bars(shares, highlight=highlight), ident="medfinansiering",
        caption=caption, alt=alt, source=source))


def coordination_text(report: Report) -> Prose:
    nat = report.national
    coord = nat.share("har_koordinator", "ja")
    none = nat.share("har_koordinator", "nej")
    time_valid = nat.valid("tid_koordinering")
    n_large = int((time_valid["size_group"] == "large").sum())
    n_small = int((time_valid["size_group"] == "small").sum())
    large_full = nat.share("tid_koordinering", "fuldtid_eller_mere", size="large")
    small_full = nat.share("tid_koordinering", "fuldtid_eller_mere", size="small")
    small_half = nat.share("tid_koordinering", "halvtid_eller_mindre", size="small")
    test = fisher_2x2(large_full.count, large_full.n, small_full.count, small_full.n)
    verdict = ("Forskellen er for stor til at være tilfældig" if test.significant else
               "Med så få kommuner kan forskellen dog ikke skelnes sikkert fra tilfældig variation")
    return Prose(
        "Spørgeskemaet gik til den medarbejder eller leder i hver kommune, der arbejder mest "
        "med at koordinere helhedsplansarbejdet. De fleste kommuner har valgt at give en eller "
        f"flere personer ansvaret: Det gælder {pct(coord)} af de kommuner, der har svaret "
        f"({of(coord)}). Kun {danish.integer(none.count)} kommuner ({pct(none)}) har ikke "
        "udpeget nogen.\n\n"
        f"{danish.integer(len(time_valid))} kommuner har svaret på, hvor meget tid der om ugen "
        f"bruges på at koordinere arbejdet: {danish.integer(n_large)} store og "
        f"{danish.integer(n_small)} små. Procenterne bygger altså på få kommuner. "
        f"{pct(large_full)} af de store kommuner ({of(large_full)}) bruger en fuldtidsstilling "
        f"eller mere, mod kun {pct(small_full, 1)} af de små ({of(small_full)}). I de små "
        f"kommuner bruger {pct(small_half, 1)} ({of(small_half)}) højst en halvtidsstilling. "
        f"{verdict} ({test.test}, {danish.p_value(test.p_value)})."
    )


def _stacked_figure(report: Report, question_id: str, ident: str, caption: str,
                    what: str) -> Figure:
    table, highlight = distribution_with_own(report, question_id)
    table, notes = apply_plan(report, table, question_id)
    n = int(table.loc["Hele landet"].sum())
    parts = []
    for group in table.index:
        counts = table.loc[group]
        top = counts.idxmax()
        parts.append(f"{group}: flest svarer {top.lower()} "
                     f"({danish.percent(counts.max() / max(counts.sum(), 1))})")
    alt = f"Vandrette søjler, der deler svarene om {what} op efter svarkategori. " + \
        "; ".join(parts) + "."
    if highlight:
        alt += (f" Kommunens eget svar, {highlight[1].lower()}, er markeret med en ramme i "
                f"søjlen for {highlight[0].lower()}.")
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    if notes:
        source += " " + " ".join(notes)
    key = (ident, table.to_json(), str(highlight), caption, alt, source)
    return figures.cached(key, lambda: figures.to_figure(
        figures.stacked_shares(table, highlight=highlight), ident=ident, caption=caption,
        alt=alt, source=source))


def time_figure(report: Report) -> Figure:
    return _stacked_figure(
        report, "tid_koordinering", "tid",
        "Ugentlig tid til strategisk koordinering af helhedsplansarbejdet i små og store "
        "kommuner", "tid til koordinering")


def satisfaction_figure(report: Report) -> Figure:
    return _stacked_figure(
        report, "tilfreds_adm_ledelse", "tilfredshed",
        "Koordinatorernes tilfredshed med den administrative ledelses prioritering af "
        "helhedsplansarbejdet i små og store kommuner", "tilfredshed med ledelsens prioritering")


def leadership_text(report: Report) -> Prose:
    nat = report.national
    valid = nat.valid("tilfreds_adm_ledelse")
    small = valid.loc[valid["size_group"] == "small", "tilfreds_adm_ledelse"].to_numpy()
    large = valid.loc[valid["size_group"] == "large", "tilfreds_adm_ledelse"].to_numpy()
    test = ordinal_2groups(small, large)
    sat_small = nat.share("tilfreds_adm_ledelse", "tilfreds", size="small")
    sat_large = nat.share("tilfreds_adm_ledelse", "tilfreds", size="large")
    if test.significant:
        claim = ("Her skiller vores beregning sig fra 2015-rapporten, der beskrev oplevelsen "
                 "som nærmest ens: Forskellen mellem små og store kommuner er større, end "
                 "tilfældigheder kan forklare")
    else:
        claim = ("Det bekræfter 2015-rapportens udsagn om, at oplevelsen er nærmest ens: "
                 "Der er ingen forskel mellem små og store kommuner, som ikke kan skyldes "
                 "tilfældigheder")
    return Prose(
        "Det er ikke overraskende, at store kommuner bruger mere tid på helhedsplanerne end "
        "små. Koordinatorernes oplevelse af, hvordan ledelsen prioriterer arbejdet, afhænger "
        f"derimod kun lidt af kommunens størrelse: {pct(sat_small)} i de små og "
        f"{pct(sat_large)} i de store kommuner er tilfredse eller meget tilfredse "
        "(figur nedenfor). "
        f"{claim} ({test.test}: sandsynligheden for, at et tilfældigt svar fra en stor kommune "
        f"ligger over et fra en lille, er {danish.percent(test.statistic)}; "
        f"{danish.p_value(test.p_value)}). Med {danish.integer(len(small))} små og "
        f"{danish.integer(len(large))} store kommuner kan testen dog kun afsløre store "
        "forskelle.\n\n"
        "Det er næppe kun antallet af beboere, der afgør, hvor højt ledelsen prioriterer "
        "arbejdet; arten af problemerne i boligområderne betyder formentlig mere. Og at "
        "koordinatorerne er tilfredse, betyder ikke nødvendigvis, at arbejdet prioriteres højt, "
        "men at det prioriteres rimeligt i forhold til opgavens størrelse i kommunen."
    )


def local_facts(report: Report) -> Table:
    m = report.municipality
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
    frame = pd.DataFrame(rows, columns=["", f"{m.name} Kommune"])
    return Table.from_frame(frame, ident="noegletal",
                            caption=f"Nøgletal for {m.name} Kommune",
                            source=f"Kilde: {danish.SOURCE_REGISTER} og Danmarks Statistik.")


def local_text(report: Report) -> Prose:
    m = report.municipality
    nat = report.national
    group = danish.SIZE_GROUP_SHORT[m.size_group]
    if not m.answered:
        return Prose(f"{m.name} Kommune besvarede ikke spørgeskemaet, så kapitlets "
                     "spørgeskematal viser kun landsbilledet.")
    coord = answer_label(report, "har_koordinator")
    time = answer_label(report, "tid_koordinering")
    sat = answer_label(report, "tilfreds_adm_ledelse")
    full = nat.share("tid_koordinering", "fuldtid_eller_mere", size=m.size_group)
    text = (f"{m.name} Kommune hører til de {group}. "
            + (f"Kommunen har udpeget en koordinator for helhedsplansarbejdet"
               if coord == "Ja" else "Kommunen har ikke udpeget en koordinator")
            + ". ")
    if time in nat.question("tid_koordinering").answers.values():
        text += (f"Der bruges efter koordinatorens svar {danish.quoted(time.lower())} om ugen på "
                 f"koordinering; blandt de {group} bruger {pct(full)} en fuldtidsstilling "
                 "eller mere. ")
    if sat in nat.question("tilfreds_adm_ledelse").answers.values():
        text += (f"Om den administrative ledelses prioritering svarer koordinatoren "
                 f"{danish.quoted(sat.lower())}. ")
    text += "Kommunens svar er markeret med en ramme i figurerne ovenfor."
    return Prose(text)

