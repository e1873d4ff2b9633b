"""Kapitel 2-6: potentialer, fælles forståelse og tillid, tværorganisatorisk organisering,
kommunens interne samarbejde og kommunal ledelse.

Each chapter has national text, a figure built on its survey items, quotes chosen by theme, and
a local section for a municipal report.
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import spearmanr

from analysis import danish, disclosure, figures
from analysis.content.common import answer_label, of, of_pct, pct
from analysis.estimate import fisher_2x2, share
from analysis.present import Figure, Prose, Table
from analysis.results import Report

TRAPPE_PARTNERS = {"trin_boligorganisation": "Boligorganisation",
                   "trin_helhedsplan": "Helhedsplan"}
FORUM_LEVELS = {"forum_strategisk": "Strategisk niveau", "forum_taktisk": "Taktisk niveau",
                "forum_udfoerende": "Udførende niveau"}
CHAPTER_ITEMS = {
    3: ("faelles_maal", "tillid"),
    5: ("vidensdeling",),
    6: ("ledelse_kunne_prioritere_hoejere", "ledelse_kommunikerer_maal",
        "medarbejdere_snitflader", "metodefrihed"),
}


def _agree_counts(report: Report, items: tuple[str, ...]) -> pd.DataFrame:
    nat = report.national
    rows = {}
    for item in items:
        q = nat.question(item)
        rows[q.short] = nat.distribution(item)["antal"]
    return pd.DataFrame(rows).T


def agree_figure(report: Report, chapter: int, ident: str, caption: str) -> Figure:
    """Stacked answers to the chapter's agree/satisfaction items, own answers outlined."""
    nat = report.national
    items = CHAPTER_ITEMS[chapter]
    counts = _agree_counts(report, items)
    marks = []
    if report.municipality is not None:
        for item in items:
            label = answer_label(report, item)
            if label in nat.question(item).answers.values():
                marks.append((nat.question(item).short, label))
    parts = []
    for item in items:
        q = nat.question(item)
        s = nat.share(item, "enig")
        parts.append(f"{q.short.lower()}: {pct(s)} enige")
    n = int(counts.sum(axis=1).max())
    alt = ("Vandrette søjler med fordelingen af svar fra helt uenig til helt enig. "
           + "; ".join(parts) + ".")
    if marks:
        alt += " Kommunens egne svar er markeret med en ramme: " + "; ".join(
            f"{row.lower()}: {label.lower()}" for row, label in marks) + "."
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    key = (ident, counts.to_json(), str(marks), caption, alt, source)
    return figures.cached(key, lambda: figures.to_figure(
        figures.stacked_shares(counts, highlight=marks), ident=ident, caption=caption,
        alt=alt, source=source))


# ---------------------------------------------------------------- kapitel 2

def trappe_text(report: Report) -> Prose:
    nat = report.national
    low_bo = nat.share("trin_boligorganisation", "nederste_trin")
    high_bo = nat.share("trin_boligorganisation", "oeverste_trin")
    high_hp = nat.share("trin_helhedsplan", "oeverste_trin")
    if high_hp.share > high_bo.share:
        compare = (f"Samarbejdet med helhedsplanen når oftere højere op: {pct(high_hp)} "
                   f"({of(high_hp)}) placerer det på tredje eller fjerde trin, mod {pct(high_bo)} "
                   "for samarbejdet med boligorganisationen.")
    elif high_hp.share < high_bo.share:
        compare = (f"Samarbejdet med helhedsplanen når sjældnere højt op end samarbejdet med "
                   f"boligorganisationen: {pct(high_hp)} ({of(high_hp)}) placerer det på tredje "
                   f"eller fjerde trin, mod {pct(high_bo)}.")
    else:
        compare = (f"Samarbejdet med helhedsplanen ligger lige så ofte på tredje eller fjerde "
                   f"trin: {pct(high_hp)} ({of(high_hp)}).")
    return Prose(
        "Samarbejdet mellem kommune, boligorganisationer og helhedsplaner kan beskrives som en "
        "trappe med fire trin. På første trin deler parterne viden. På andet trin, *negativ "
        "koordinering*, undgår de dobbeltarbejde og aftaler snitflader. På tredje trin, "
        "*positiv koordinering*, løser de opgaver sammen og trækker på hinandens ressourcer. "
        "På fjerde trin udvikler de sammen nye løsninger, som forbedrer arbejdet i boligområdet "
        "eller i parternes egne organisationer.\n\n"
        "Koordinatorerne har placeret kommunens samarbejde på trappen. Samarbejdet med "
        f"boligorganisationen ligger i {pct(low_bo)} af kommunerne ({of(low_bo)}) på et af de "
        "to nederste trin, hvor parterne ikke udnytter samarbejdets muligheder fuldt ud. "
        f"{compare} Skal samarbejdet op ad trappen, kræver det et tæt samarbejde mellem "
        "parterne og et tværfagligt samarbejde inde i kommunen."
    )


def trappe_figure(report: Report) -> Figure:
    nat = report.national
    steps = list(nat.question("trin_boligorganisation").answers.values())
    shares = {}
    for qid, partner in TRAPPE_PARTNERS.items():
        counts = nat.distribution(qid)["antal"]
        shares[partner] = list(counts / counts.sum())
    own = None
    m = report.municipality
    if m is not None:
        own = {partner: m.answer(qid) for qid, partner in TRAPPE_PARTNERS.items()
               if m.answer(qid) in nat.question(qid).answers}
    n = len(nat.valid("trin_boligorganisation"))
    alt = ("En trappe med fire trin fra vidensdeling til innovative løsninger. På hvert trin "
           "står andelen af kommuner, hvis samarbejde ligger der: "
           + "; ".join(f"{partner.lower()}: " + ", ".join(
               f"trin {i + 1} {danish.percent(v)}" for i, v in enumerate(vals))
               for partner, vals in shares.items()) + ".")
    if own:
        alt += " Kommunens eget samarbejde er markeret med en pil: " + "; ".join(
            f"{partner.lower()} på trin {step}" for partner, step in own.items()) + "."
    caption = ("Samarbejdstrappen: hvor kommunernes samarbejde med boligorganisationen og "
               "helhedsplanen ligger (inspireret af Mandell og Keast 2009 og Torfing 2015)")
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    key = ("samarbejdstrappen", str(steps), str(shares), str(own), alt, source)
    return figures.cached(key, lambda: figures.to_figure(
        figures.staircase(steps, shares, own=own), ident="samarbejdstrappen",
        caption=caption, alt=alt, source=source))


def potentials_text(report: Report) -> Prose:
    return Prose(
        "Interviewene peger på tre slags gevinster.\n\n"
        "**Synergi i indsatsen.** Helhedsplanens medarbejdere har ofte mere tid til den enkelte "
        "borger og er ikke bundet af de samme proces- og formkrav som kommunens. Et tæt "
        "samarbejde med for eksempel jobcentret kan derfor nå borgere, som det ordinære system "
        "har svært ved at hjælpe, og i akutte situationer ved helhedsplanens medarbejdere, hvem "
        "i kommunen de skal kontakte.\n\n"
        "**Nye metoder i kommunens drift.** Metoder, som helhedsplanerne udvikler sammen med "
        "beboere, foreninger og institutioner, kan kommunen tage med over i sine egne "
        "indsatser, for eksempel inddragende dialog med unge.\n\n"
        "**Nye måder at organisere sig på.** Samarbejdet med helhedsplanerne kan blive en "
        "løftestang for et mere tværfagligt samarbejde mellem kommunens forvaltninger, for "
        "eksempel en fælles indgang for de mest udsatte familier."
    )


# ---------------------------------------------------------------- kapitel 3

def understanding_text(report: Report) -> Prose:
    nat = report.national
    goals = nat.share("faelles_maal", "enig")
    trust = nat.share("tillid", "enig")
    both = nat.valid("faelles_maal")
    both = both[both["trin_boligorganisation"].isin([1, 2, 3, 4])]
    rho, p = spearmanr(both["faelles_maal"].astype(float),
                       both["trin_boligorganisation"].astype(float))
    relation = (f"Kommuner med fælles mål ligger også højere på samarbejdstrappen "
                f"(Spearmans rangkorrelation {danish.decimal(rho, 2)}, {danish.p_value(p)})"
                if p < 0.05 and rho > 0 else
                f"I spørgeskemaet hænger fælles mål og trinnet på samarbejdstrappen ikke "
                f"sikkert sammen (Spearmans rangkorrelation {danish.decimal(rho, 2)}, "
                f"{danish.p_value(p)})")
    return Prose(
        "Der findes ingen officiel definition af boligsocialt helhedsplansarbejde. Det giver "
        "frihed til at tilpasse arbejdet til stedet, men det betyder også, at kommune, "
        "boligorganisation og helhedsplan selv må blive enige om, hvad arbejdet skal løse. "
        "Nogle indsatser har en *civil* rammesætning med trivsel og naboskab for hele området; "
        "andre en *offentlig* rammesætning tæt på kommunens kerneopgaver som beskæftigelse og "
        "kriminalitetsforebyggelse. De fleste helhedsplaner rummer begge.\n\n"
        f"{pct(goals)} af koordinatorerne ({of(goals)}) er enige i, at kommunen og "
        f"boligorganisationen har fælles mål for arbejdet, og {pct(trust)} ({of(trust)}) "
        f"oplever gensidig tillid mellem parterne. {relation}.\n\n"
        "Tillid opbygges ved at holde aftaler, være åben om egne svagheder og rammer, dele "
        "succeser og fiaskoer og tale loyalt om hinanden, også når man er uenige. Uformel "
        "kontakt mellem lederne kan løsne en fastlåst situation."
    )


# ---------------------------------------------------------------- kapitel 4

def forum_text(report: Report) -> Prose:
    nat = report.national
    valid = nat.valid("forum")
    shares = {label: nat.option_share(col) for col, label in FORUM_LEVELS.items()}
    all_levels = valid[list(FORUM_LEVELS)].eq(1).all(axis=1)
    stepped = valid["trin_boligorganisation"].isin([1, 2, 3, 4])
    high = valid["trin_boligorganisation"].isin([3, 4])
    with_all = high[all_levels & stepped]
    without = high[~all_levels & stepped]
    parts = [f"{label.lower()} {pct(s)}" for label, s in shares.items()]
    text = (
        "Faste mødefora på tværs af kommune, boligorganisation og helhedsplan lærer parterne "
        "hinanden at kende, bygger tillid og sikrer koordinering og fælles retning. Andelen af "
        f"kommuner med et fast tværorganisatorisk mødeforum er: {danish.enumerate_words(parts)}. "
        f"{pct(share(int(all_levels.sum()), len(all_levels)))} ({danish.integer(int(all_levels.sum()))} af "
        f"{danish.integer(len(valid))}) har mødefora på alle tre niveauer.\n\n")
    if disclosure.derived_group_ok(len(with_all), len(without), k=nat.plan.k):
        test = fisher_2x2(int(with_all.sum()), len(with_all), int(without.sum()), len(without))
        verdict = ("en forskel, der er for stor til at være tilfældig" if test.significant else
                   "men forskellen kan skyldes tilfældigheder")
        text += (
            "Blandt kommuner med mødefora på alle tre niveauer ligger samarbejdet med "
            f"boligorganisationen på tredje eller fjerde trin i {danish.integer(int(with_all.sum()))} "
            f"af {danish.integer(len(with_all))}, mod {danish.integer(int(without.sum()))} af "
            f"{danish.integer(len(without))} blandt de øvrige ({danish.percent(without.mean())}), "
            f"{verdict} ({test.test}, {danish.p_value(test.p_value)}).\n\n")
    else:
        text += ("Der er for få kommuner med mødefora på alle tre niveauer til at sammenligne "
                 "dem med de øvrige uden at afsløre enkelte kommuners svar.\n\n")
    return Prose(text + (
        "Mødefora på flere niveauer hjælper kun, hvis niveauerne hænger sammen: En eller flere "
        "personer må sørge for, at beslutninger i styregruppen når ud til medarbejderne i "
        "området, og at erfaringer fra området når tilbage."))


def forum_figure(report: Report) -> Figure:
    nat = report.national
    shares = pd.Series({label: nat.option_share(col).share for col, label in FORUM_LEVELS.items()})
    highlight = None
    m = report.municipality
    if m is not None and m.answered and all(m.answer(c) is not None for c in FORUM_LEVELS):
        highlight = {label: m.answer(col) == 1 for col, label in FORUM_LEVELS.items()}
    n = len(nat.valid("forum"))
    caption = "Andel af kommunerne med faste tværorganisatoriske mødefora på hvert niveau"
    alt = ("Vandrette søjler for tre niveauer: " + ", ".join(
        f"{k.lower()} {danish.percent(v)}" for k, v in shares.items()) + ".")
    if highlight:
        alt += " Kommunens egne svar er markeret: " + ", ".join(
            f"{k.lower()} {'ja' if v else 'nej'}" for k, v in highlight.items()) + "."
    source = danish.n_source(n, danish.SOURCE_SURVEY)
    key = ("moedefora", shares.to_json(), str(highlight), alt, source)
    return figures.cached(key, lambda: figures.to_figure(
        figures.share_bars(shares, highlight=highlight), ident="moedefora", caption=caption,
        alt=alt, source=source))


# ---------------------------------------------------------------- kapitel 5

def internal_text(report: Report) -> Prose:
    nat = report.national
    mayor = nat.share("koordinator_placering", "borgmesterkontor")
    sector = nat.share("koordinator_placering", "fagforvaltning")
    forum = nat.share("internt_forum", "ja")
    know = nat.share("vidensdeling", "enig")
    return Prose(
        "Kommunens opdeling i fagforvaltninger udfordrer ikke kun samarbejdet med "
        "boligorganisationer og helhedsplaner, men også samarbejdet inde i kommunen.\n\n"
        f"I {danish.share_of(mayor.share, 'de kommuner')}, der har en koordinator, sidder "
        f"koordinatoren i borgmesterkontoret ({pct(mayor, 1)}, {of(mayor)}), i {of(sector)} i en "
        "fagforvaltning. En placering i en fagneutral enhed gør det lettere at arbejde på "
        "tværs, fordi koordinatoren ikke er bundet til ét fagområde; en placering i en "
        "fagforvaltning giver mening, hvis helhedsplanens arbejde især ligger inden for netop "
        "dét område.\n\n"
        f"{pct(forum)} af kommunerne ({of(forum)}) har et fast tværfagligt mødeforum på tværs "
        f"af forvaltningerne om helhedsplanerne, og {pct(know)} ({of(know)}) er enige i, at der "
        "deles viden om arbejdet på tværs af forvaltningerne. Især i kommuner med lidt "
        "helhedsplansarbejde risikerer koordinatoren at sidde alene med opgaven; et internt "
        "forum giver koordinatoren en vej ind i de andre forvaltninger."
    )


def placement_table(report: Report) -> Table:
    nat = report.national
    q = nat.question("koordinator_placering")
    counts = nat.distribution("koordinator_placering")["antal"]
    total = int(counts.sum())
    frame = pd.DataFrame({
        "Placering": list(counts.index),
        "Kommuner": [danish.integer(v) for v in counts],
        "Andel": [danish.percent(v / total, 1) if total else "–" for v in counts],
    })
    frame.loc[len(frame)] = ["I alt", danish.integer(total), danish.percent(1.0, 1)]
    return Table.from_frame(frame, ident="placering", caption=q.short + " i organisationen",
                            source=danish.n_source(total, danish.SOURCE_SURVEY))


# ---------------------------------------------------------------- kapitel 6

def leadership_text(report: Report) -> Prose:
    nat = report.national
    higher = nat.share("ledelse_kunne_prioritere_hoejere", "enig")
    adm = nat.share("tilfreds_adm_ledelse", "tilfreds")
    pol = nat.share("tilfreds_pol_ledelse", "tilfreds")
    goals = nat.share("ledelse_kommunikerer_maal", "enig")
    staff = nat.share("medarbejdere_snitflader", "enig")
    freedom = nat.share("metodefrihed", "enig")
    opening = (f"{pct(adm)} af koordinatorerne er tilfredse med den administrative ledelses "
               f"prioritering, men {of_pct(higher)} er samtidig enige i, at de kommunale ledere "
               "kunne prioritere arbejdet højere."
               if adm.share > 0.5 else
               f"Kun {pct(adm)} af koordinatorerne er tilfredse med den administrative ledelses "
               f"prioritering, og {of_pct(higher)} er enige i, at de kommunale ledere kunne "
               "prioritere arbejdet højere.")
    return Prose(
        f"{opening} {pct(pol)} er tilfredse med kommunalpolitikernes prioritering.\n\n"
        "Ledelsen skal melde kommunens mål for helhedsplansarbejdet klart ud og sikre, at det, "
        "medarbejderne laver i helhedsplanen, hænger sammen med deres øvrige opgaver. "
        f"{pct(goals)} af koordinatorerne ({of(goals)}) er enige i, at ledelsen kommunikerer "
        "målene tydeligt.\n\n"
        "Det er også en ledelsesopgave at vælge de rette medarbejdere. Medarbejdere, hvis "
        "daglige opgaver har tydelige snitflader til helhedsplanens indsatser, finder "
        "samarbejdet mere relevant og kender målgruppen. "
        f"{pct(staff)} ({of(staff)}) er enige i, at medarbejderne er valgt sådan. Endelig "
        "fremmer tillidsledelse med frie rammer nye idéer: "
        f"{pct(freedom)} ({of(freedom)}) oplever, at medarbejderne frit kan vælge metoder."
    )


# ---------------------------------------------------------------- the local sections

RECOMMENDATIONS = (
    # (question, codes that trigger it, chapter, Danish recommendation)
    ("har_koordinator", (2,), 5,
     "Udpeg en eller flere medarbejdere eller ledere med ansvar for at koordinere kommunens "
     "helhedsplansarbejde."),
    ("trin_boligorganisation", (1, 2), 2,
     "Læg en fælles strategi med boligorganisationen, så samarbejdet kan bevæge sig fra "
     "vidensdeling og snitflader til at løse opgaver sammen."),
    ("trin_helhedsplan", (1, 2), 2,
     "Find konkrete opgaver, som kommunens medarbejdere og helhedsplanen kan løse sammen."),
    ("faelles_maal", (1, 2, 3), 3,
     "Brug tid på at blive enige med boligorganisationen om, hvad helhedsplansarbejdet skal "
     "løse, og hvem der gør hvad."),
    ("tillid", (1, 2, 3), 3,
     "Byg tillid: hold aftaler, vær åben om egne rammer og svagheder, og del både succeser og "
     "fiaskoer."),
    ("forum_strategisk", (0,), 4,
     "Etabler et fast strategisk mødeforum med boligorganisationen og helhedsplanen."),
    ("forum_taktisk", (0,), 4,
     "Etabler et fast mødeforum på det taktiske niveau, hvor konsulenter og mellemledere "
     "koordinerer."),
    ("forum_udfoerende", (0,), 4,
     "Skab faste mødesteder for de udførende medarbejdere i kommunen og helhedsplanen."),
    ("internt_forum", (2,), 5,
     "Opret et tværfagligt forum på tværs af forvaltningerne om helhedsplanerne."),
    ("vidensdeling", (1, 2, 3), 5,
     "Del viden om helhedsplanernes aktiviteter og resultater på tværs af forvaltningerne."),
    ("ledelse_kommunikerer_maal", (1, 2, 3), 6,
     "Lad ledelsen melde kommunens mål for helhedsplansarbejdet tydeligt ud til medarbejderne."),
    ("medarbejdere_snitflader", (1, 2, 3), 6,
     "Vælg medarbejdere til helhedsplanen, hvis daglige opgaver har tydelige snitflader til "
     "planens indsatser."),
    ("metodefrihed", (1, 2, 3), 6,
     "Giv medarbejderne i helhedsplanen frie rammer til at vælge metoder (tillidsledelse)."),
)

CHAPTER_TITLES = {1: "Kommuner med helhedsplaner", 2: "Potentialer i (sam)arbejdet",
                  3: "Fælles forståelse og tillid",
                  4: "Organisering af tværorganisatorisk samarbejde",
                  5: "Kommunens interne samarbejde",
                  6: "Kommunal ledelse af helhedsplansarbejdet"}


def recommendations(report: Report) -> list[tuple[int, str, str]]:
    """(chapter, question, text) for every recommendation the municipality's answers trigger."""
    m = report.municipality
    if m is None or not m.answered:
        return []
    return [(chapter, qid, text) for qid, codes, chapter, text in RECOMMENDATIONS
            if m.answer(qid) in codes]


def recommendations_text(report: Report) -> Prose:
    m = report.municipality
    if not m.answered:
        return Prose(f"{m.title} besvarede ikke spørgeskemaet, så der er ingen "
                     "anbefalinger, der bygger på kommunens egne svar. Konklusionen ovenfor "
                     "gælder også for kommunen.")
    codebook = report.national.codebook.questions
    answered = [qid for qid, *_ in RECOMMENDATIONS if m.answer(qid) is not None
                and (qid not in codebook or m.answer(qid) in codebook[qid].answers)]
    recs = recommendations(report)
    if len(answered) < len(RECOMMENDATIONS) / 2:
        head = (f"{m.title} har kun besvaret {danish.integer(len(answered))} af de "
                f"{danish.integer(len(RECOMMENDATIONS))} spørgsmål, anbefalingerne bygger på, "
                "så billedet er ufuldstændigt.")
        if not recs:
            return Prose(head + " Konklusionen ovenfor gælder også for kommunen.")
    elif not recs:
        return Prose(f"{m.title}s svar peger ikke på et bestemt område, hvor samarbejdet "
                     "halter. Rapportens kapitler giver inspiration til at holde fast i det.")
    else:
        head = f"{m.title}s svar peger på disse områder:"
    lines = [head, ""]
    for chapter, _, text in sorted(recs):
        lines.append(f"- {text} *(Se kapitel {chapter}, {CHAPTER_TITLES[chapter]}.)*")
    return Prose("\n".join(lines))


LOCAL_GROUPS = {"trin_boligorganisation": "oeverste_trin", "trin_helhedsplan": "oeverste_trin",
                "faelles_maal": "enig", "tillid": "enig", "internt_forum": "ja",
                "koordinator_placering": "borgmesterkontor", "vidensdeling": "enig",
                "ledelse_kunne_prioritere_hoejere": "enig", "ledelse_kommunikerer_maal": "enig",
                "medarbejdere_snitflader": "enig", "metodefrihed": "enig",
                "tilfreds_pol_ledelse": "tilfreds"}


def local_text(report: Report, chapter: int) -> Prose:
    """The municipality's own answers to the chapter's items, against the nation and its
    size group (both fixed groups, the same in every report)."""
    m = report.municipality
    nat = report.national
    if not m.answered:
        return Prose(f"{m.title} besvarede ikke spørgeskemaet (se kapitel 1).")
    lines = []
    notes = []
    items = {2: tuple(TRAPPE_PARTNERS), 3: CHAPTER_ITEMS[3], 4: tuple(FORUM_LEVELS),
             5: ("internt_forum", "koordinator_placering") + CHAPTER_ITEMS[5],
             6: CHAPTER_ITEMS[6] + ("tilfreds_pol_ledelse",)}[chapter]
    group = danish.SIZE_GROUP_SHORT[m.size_group]
    for item in items:
        if item in FORUM_LEVELS:
            value = m.answer(item)
            if value is None:
                continue
            s_all = nat.option_share(item)
            shown = nat.plan.is_shown("forum", "size_group", m.size_group)
            s_grp = nat.option_share(item, nat.respondents[nat.respondents["size_group"]
                                                           == m.size_group]) if shown else None
            lines.append(f"- **{FORUM_LEVELS[item]}:** {'ja' if value == 1 else 'nej'} "
                         f"(hele landet: {pct(s_all)} ja"
                         + (f"; {group}: {pct(s_grp)} ja)" if s_grp else ")"))
            if not shown:
                notes.append(nat.suppressed_note("forum"))
            continue
        q = nat.question(item)
        code = m.answer(item)
        if code is None or code not in q.answers:
            continue
        group_name = LOCAL_GROUPS[item]
        s_all = nat.share(item, group_name)
        s_grp = nat.group_share(item, group_name, m.size_group)
        what = danish.alternatives([q.answers[c].lower() for c in q.groups[group_name]])
        group_part = f"; {group}: {pct(s_grp)}" if s_grp else ""
        if s_grp is None:
            notes.append(nat.suppressed_note(item))
        lines.append(f"- **{q.short}:** {danish.quoted(q.answers[code].lower())} "
                     f"(andel der svarer {what}: hele landet {pct(s_all)}{group_part})")
    if not lines:
        return Prose(f"{m.title} har ikke besvaret kapitlets spørgsmål.")
    text = (f"{m.title}s svar sammenlignet med hele landet og de {group}:\n\n"
            + "\n".join(lines))
    notes = sorted(set(n for n in notes if n))
    if notes:
        text += "\n\n" + " ".join(notes)
    return Prose(text)