"""Kapitel 1: Kommuner med helhedsplaner."""

from __future__ import annotations

import pandas as pd

from analysis import danish, figures
from analysis.content.common import (answer_label, apply_plan, distribution_with_own,
                                     interval, of, pct)
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
    n_regions_all = nat.dataset.kommuner["region"].nunique()
    where = (f"i alle {danish.count_word(n_regions_all)} regioner"
             if len(regions) == n_regions_all else
             f"i {danish.count_word(len(regions))} af de {danish.count_word(n_regions_all)} regioner")
    return Prose(
        f"{danish.integer(len(reg))} af landets {danish.integer(n_all)} kommuner samarbejder med "
        "en eller flere almene boligorganisationer om en eller flere helhedsplaner med "
        f"boligsocialt indhold. Flest ligger i {regions.index[0]} "
        f"({danish.integer(int(regions.iloc[0]))} kommuner), og kommunerne findes {where}.\n\n"
        f"I {danish.integer(int(small.sum()))} af de {danish.integer(len(reg))} kommuner "
        f"({danish.percent(small.mean(), 1)}, {danish.share_words(small.mean())}) bor der under "
        f"{danish.integer(LARGE_THRESHOLD)} mennesker i de boligområder, helhedsplanerne dækker. "
        "Vi kalder dem i rapporten *små* kommuner og resten *store*, selv om det er antallet af "
        "beboere i områderne og ikke kommunens samlede indbyggertal, der afgør det. For en lille "
        "kommune er helhedsplanen en lille opgave målt i beboere, men de interviewede "
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
    usage = forms.mean().sort_values(ascending=False)
    top = CO_FINANCING_LABELS[usage.index[0]]
    staff = nat.register_share("medfin_medarbejderressourcer")
    everyone = ("Alle kommuner med helhedsplaner har valgt at medfinansiere dem"
                if any_form.all() else
                f"{danish.integer(int(any_form.sum()))} af {danish.integer(len(reg))} kommuner "
                "medfinansierer deres helhedsplaner")
    return Prose(
        "Landsbyggefonden kræver lokal medfinansiering, men ikke at den kommer fra kommunen. "
        f"{everyone}, og {danish.integer(int(several.sum()))} kommuner bruger mere end én af de "
        f"{danish.count_word(len(CO_FINANCING_LABELS))} former for medfinansiering. Den mest "
        f"udbredte form er {top.lower()} ({danish.percent(usage.iloc[0])}).\n\n"
        f"Medarbejderressourcer bruges af {danish.integer(staff.count)} af de "
        f"{danish.integer(staff.n)} kommuner ({pct(staff)}). Kommunale medarbejdere lægger da et "
        "antal timer om ugen i helhedsplanen, er udstationeret i boligområdet eller deltager i "
        "planens mødefora. Det giver medarbejderen førstehåndskendskab til det boligsociale "
        "arbejde, mens hun eller han kender den kommunale organisation, og de interviewede "
        "vurderer, at netop denne form skaber mest ejerskab og engagement."
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
    text = (
        "Spørgeskemaet gik til den medarbejder eller leder i hver kommune, der arbejder mest "
        f"med at koordinere helhedsplansarbejdet. "
        f"{danish.share_of(coord.share, 'kommunerne').capitalize()} har givet en eller flere "
        f"personer ansvaret: {pct(coord)} af de kommuner, der har svaret ({of(coord)}; "
        f"{interval(coord, len(nat.register))}). "
        f"{danish.integer(none.count)} kommuner ({pct(none)}) har ikke udpeget nogen.\n\n")
    time_valid = nat.valid("tid_koordinering")
    text += (f"{danish.integer(len(time_valid))} kommuner har svaret på, hvor meget tid der om "
             "ugen bruges på at koordinere arbejdet")
    large_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "large")
    small_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "small")
    small_half = nat.group_share("tid_koordinering", "halvtid_eller_mindre", "small")
    if large_full is None or small_full is None:
        overall = nat.share("tid_koordinering", "fuldtid_eller_mere")
        return Prose(text + f". {pct(overall)} ({of(overall)}) bruger en fuldtidsstilling eller "
                     f"mere. {nat.suppressed_note('tid_koordinering')}")
    test = fisher_2x2(large_full.count, large_full.n, small_full.count, small_full.n)
    direction = ("De store kommuner bruger altså oftere meget tid på koordineringen end de små. "
                 if large_full.share > small_full.share else
                 "De små kommuner bruger altså oftere meget tid på koordineringen end de store. "
                 if large_full.share < small_full.share else
                 "Små og store kommuner bruger altså lige ofte meget tid på koordineringen. ")
    verdict = ("Forskellen er for stor til at være tilfældig" if test.significant else
               "Med så få kommuner kan forskellen dog ikke skelnes sikkert fra tilfældig variation")
    text += (f": {danish.count_noun(large_full.n, 'stor', 'store')} og "
             f"{danish.count_noun(small_full.n, 'lille', 'små')}. Procenterne bygger altså på få "
             f"kommuner. {pct(large_full, 1)} af de store kommuner ({of(large_full)}) bruger en "
             f"fuldtidsstilling eller mere, mod {pct(small_full, 1)} af de små ({of(small_full)}). "
             f"{direction}")
    if small_half is not None:
        text += (f"I de små kommuner bruger {pct(small_half, 1)} ({of(small_half)}) højst en "
                 "halvtidsstilling. ")
    return Prose(text + f"{verdict} ({test.test}, {danish.p_value(test.p_value)}).")


def _stacked_figure(report: Report, question_id: str, ident: str, caption: str,
                    what: str) -> Figure:
    table, highlight = distribution_with_own(report, question_id)
    table, notes = apply_plan(report, table, question_id)
    if highlight is not None and highlight[0] not in table.index:
        highlight = None          # the municipality's group is suppressed: nothing to mark
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
    large_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "large")
    small_full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", "small")
    sat_small = nat.group_share("tilfreds_adm_ledelse", "tilfreds", "small")
    sat_large = nat.group_share("tilfreds_adm_ledelse", "tilfreds", "large")
    text = ""
    if large_full is not None and small_full is not None and \
            large_full.share > small_full.share:
        text += "At store kommuner bruger mere tid på helhedsplanerne end små, er ikke " \
                "overraskende. "
    if sat_small is None or sat_large is None:
        overall = nat.share("tilfreds_adm_ledelse", "tilfreds")
        return Prose(text + f"{pct(overall)} af koordinatorerne ({of(overall)}) er tilfredse "
                     "eller meget tilfredse med den administrative ledelses prioritering af "
                     f"arbejdet. {nat.suppressed_note('tilfreds_adm_ledelse')}")
    valid = nat.valid("tilfreds_adm_ledelse")
    small = valid.loc[valid["size_group"] == "small", "tilfreds_adm_ledelse"].to_numpy()
    large = valid.loc[valid["size_group"] == "large", "tilfreds_adm_ledelse"].to_numpy()
    test = ordinal_2groups(small, large)
    if test.significant:
        claim = ("Koordinatorernes oplevelse af ledelsens prioritering afhænger af kommunens "
                 "størrelse. Her skiller vores beregning sig fra 2015-rapporten, der beskrev "
                 "oplevelsen som nærmest ens: Forskellen mellem små og store kommuner er "
                 "større, end tilfældigheder kan forklare")
    else:
        claim = ("Koordinatorernes oplevelse af ledelsens prioritering afhænger ikke sikkert af "
                 "kommunens størrelse. Det bekræfter 2015-rapportens udsagn om, at oplevelsen er "
                 "nærmest ens: Forskellen mellem små og store kommuner kan skyldes "
                 "tilfældigheder")
    return Prose(
        text + f"{pct(sat_small)} i de små og {pct(sat_large)} i de store kommuner er tilfredse "
        "eller meget tilfredse med den administrative ledelses prioritering (figuren nedenfor). "
        f"{claim} ({test.test}: sandsynligheden for, at et tilfældigt svar fra en stor kommune "
        f"ligger over et fra en lille, er {danish.percent(test.statistic)}; "
        f"{danish.p_value(test.p_value)}). Med {danish.count_noun(len(small), 'lille', 'små')} og "
        f"{danish.count_noun(len(large), 'stor', 'store')} kommuner kan testen dog kun afsløre "
        "store forskelle.\n\n"
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
    frame = pd.DataFrame(rows, columns=["", f"{m.title}"])
    return Table.from_frame(frame, ident="noegletal",
                            caption=f"Nøgletal for {m.title}",
                            source=f"Kilde: {danish.SOURCE_REGISTER} og Danmarks Statistik.")


def local_text(report: Report) -> Prose:
    m = report.municipality
    nat = report.national
    group = danish.SIZE_GROUP_SHORT[m.size_group]
    if not m.answered:
        return Prose(f"{m.title} besvarede ikke spørgeskemaet. Rapportens tal fra "
                     "spørgeskemaet viser derfor kun landsbilledet; kommunens egne afsnit bygger "
                     "på registeroplysningerne ovenfor og, hvor de findes, på interviews.")
    parts = [f"{m.title} hører til de {group}."]
    coord_q = nat.question("har_koordinator")
    coord = m.answer("har_koordinator")
    if coord in coord_q.groups["ja"]:
        parts.append("Kommunen har udpeget en koordinator for helhedsplansarbejdet.")
    elif coord in coord_q.groups["nej"]:
        parts.append("Kommunen har ikke udpeget en koordinator for helhedsplansarbejdet.")
    marked = False
    time = answer_label(report, "tid_koordinering")
    if time in nat.question("tid_koordinering").answers.values():
        full = nat.group_share("tid_koordinering", "fuldtid_eller_mere", m.size_group)
        parts.append(f"Efter kommunens svar bruges der {danish.quoted(time.lower())} om ugen på "
                     "koordinering" + (f"; blandt de {group} bruger {pct(full, 1)} en "
                                       "fuldtidsstilling eller mere." if full else "."))
        marked = marked or full is not None
    sat = answer_label(report, "tilfreds_adm_ledelse")
    if sat in nat.question("tilfreds_adm_ledelse").answers.values():
        parts.append("Om den administrative ledelses prioritering svarer kommunen "
                     f"{danish.quoted(sat.lower())}.")
        marked = marked or nat.plan.is_shown("tilfreds_adm_ledelse", "size_group", m.size_group)
    if marked:
        parts.append("Kommunens svar er markeret med en ramme i figurerne ovenfor.")
    return Prose(" ".join(parts))