"""Bilag: the case municipalities, the questionnaire, response, and the 2015 report's own
figures set against the figures computed from the data."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.report.content.values import described, value
from analysis.report import danish
from analysis.report.content.ch1 import CO_FINANCING_LABELS
from analysis.report.content.common import edition_note
from analysis.report.content.front import Cases
from analysis.report.content.front import cases as front_cases
from analysis.stats.estimate import (SIGNIFICANCE, answers_from_chance, mcnemar_exact,
                                     score_2x2)
from analysis.report.present import ProvenanceOutput, Table
from analysis.report.provenance import describe
from analysis.stats.results import Report

# The 2015 report's figures this bilag recomputes (ids of data/reference/published_2015.yaml);
# their row labels are written in the bilag's notebook.
FIGURE_IDS = ("andel_med_helhedsplan", "smaa_kommuner_under_4000", "alle_medfinansierer",
              "medfinansiering_medarbejderressourcer", "har_koordinator", "ingen_koordinator",
              "koordinator_i_borgmesterkontor", "tid_besvaret", "store_fuldtid_eller_mere",
              "smaa_fuldtid_eller_mere", "smaa_halvtid_eller_mindre",
              "ledelse_kunne_prioritere_hoejere")


def labels_for(labels: Mapping[str, str], keys: Sequence[str], what: str) -> dict[str, str]:
    """The notebook's labels, checked: one non-empty text for each of ``keys``, no others.

    Raises
    ------
    ValueError
        Naming every key without a label and every label for an unknown key.
    """
    missing = [k for k in keys if not str(labels.get(k) or "").strip()]
    unknown = [k for k in labels if k not in keys]
    problems = []
    if missing:
        problems.append("no label for " + ", ".join(repr(k) for k in missing))
    if unknown:
        problems.append("labels for unknown " + ", ".join(repr(k) for k in unknown)
                        + f" (known: {', '.join(keys)})")
    if problems:
        raise ValueError(f"{what}: " + "; ".join(problems))
    return {k: str(labels[k]).strip() for k in keys}


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


def comparison_table(report: Report, labels: Mapping[str, str]) -> Table:
    """The 2015 report's figures against the same figures computed from the data, one row per
    figure, labelled with ``labels`` (figure id -> row label, one for each of
    :data:`FIGURE_IDS`)."""
    texts = labels_for(labels, FIGURE_IDS, "comparison_table")
    computed = computed_figures(report)
    printed = _printed(report)
    rows = []
    for fid, value in computed.items():
        if value is None:
            rows.append((texts[fid], "–", "–", "undertrykt", printed.get(fid, "")))
            continue
        count, base = value
        rows.append((texts[fid], danish.integer(count), danish.integer(base),
                     danish.percent(count / base, 1) if base else "–",
                     printed.get(fid, "")))
    frame = pd.DataFrame(rows, columns=["Tal", "Antal", "Ud af", "Andel", "Trykt i 2015"])
    return Table.from_frame(frame, ident="tal2015", caption="",
                            source=f"N for hvert tal står i kolonnen »Ud af«. Kilde: "
                                   f"{danish.SOURCE_SURVEY} og {danish.SOURCE_REGISTER}.")


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


def findings(report: Report, labels: Mapping[str, str]) -> Table:
    """Where the 2015 report's printed figures do not fit the data: one row per figure,
    labelled as in :func:`comparison_table`."""
    texts = labels_for(labels, FIGURE_IDS, "findings")
    computed = computed_figures(report)
    printed = _printed(report)
    rows = []
    for fid, value in computed.items():
        if value is None or not printed.get(fid):
            continue
        remark = _remark(printed[fid], *value)
        if remark:
            count, base = value
            rows.append((texts[fid], printed[fid],
                         f"{danish.integer(count)} af {danish.integer(base)} = "
                         f"{danish.percent(count / base, 1)}", remark))
    frame = pd.DataFrame(rows, columns=["Tal", "Trykt i 2015", "Data giver", "Forskel"])
    return Table.from_frame(frame, ident="forskelle", caption="",
                            source="Kilde: CFBU og KL (2015) og undersøgelsens data.")


# Shares the 2015 report printed in words, and the shares each may stand for.
WORD_SHARES = {"alle": (1.0, 1.0), "halvdelen": (0.475, 0.525),
               "godt halvdelen": (0.5, 0.6), "næsten to tredjedele": (0.6, 2 / 3)}
_COUNT_OF = re.compile(r"^(\d+)\s+af\s+(\d+)$")
_COUNT = re.compile(r"^(\d+)(?:\s*\(|$)")
# How far below (næsten, knap) or above (godt) a printed percentage a share may lie.
NEAR = 5.0


def _remark(printed: str, count: int, base: int) -> str:
    """What differs between one printed figure and the computed count and base (a label):
    ``afrundet anderledes`` where the two differ by the rounding of a percentage only,
    ``afviger`` where they differ by more."""
    value = 100 * count / base
    out = []
    for qualifier, number in _PERCENT.findall(printed):
        p = int(number)
        if not qualifier and not reachable(p, base):
            out.append(f"{p}{danish.NBSP}% kan ikke forekomme med {danish.integer(base)} "
                       "kommuner")
        elif not qualifier and math.floor(value + 0.5) != p:
            out.append("afrundet anderledes" if abs(value - p) < 1 else "afviger")
        elif qualifier in ("næsten", "under", "knap") and not value < p:
            out.append(f"ikke under {p}{danish.NBSP}%")
        elif qualifier in ("næsten", "knap") and value < p - NEAR:
            out.append("afviger")
        elif qualifier in ("over", "godt") and not value > p:
            out.append(f"ikke over {p}{danish.NBSP}%")
        elif qualifier == "godt" and value > p + NEAR:
            out.append("afviger")
    text = printed.strip()
    words = WORD_SHARES.get(text.lower())
    pair = _COUNT_OF.match(text)
    single = _COUNT.match(text)
    if words is not None and not words[0] <= count / base <= words[1]:
        out.append("afviger")
    elif pair and (int(pair.group(1)), int(pair.group(2))) != (count, base):
        out.append("afviger")
    elif not pair and single and int(single.group(1)) != count:
        out.append("afviger")
    for n in _BASE.findall(printed):
        if int(n) != base:
            out.append(f"N{danish.NBSP}={danish.NBSP}{n} trykt, tallet bygger på "
                       f"{danish.integer(base)}")
    if not out and len(set(_PERCENT.findall(printed))) > 1:
        out.append("to forskellige procenttal for samme forhold")
    return "; ".join(dict.fromkeys(out))


def cases(report: Report) -> Cases:
    """The case municipalities and which of them the data hold (see
    :class:`~analysis.report.content.front.Cases`): ``cases.missing`` names those not in the
    register, which the table leaves out."""
    return front_cases(report)


def case_table(report: Report) -> Table:
    """The case municipalities with their register facts, one row each."""
    nat = report.national
    cases = nat.dataset.published.get("population", {}).get("casekommuner", [])
    reg = nat.register[nat.register["kommunenavn"].isin(cases)].sort_values("kommunenavn")
    frame = pd.DataFrame({
        "Kommune": reg["kommunenavn"],
        "Region": reg["region"],
        "Indbyggere": [danish.integer(v) for v in reg["folketal_2015"]],
        "Helhedsplaner": [danish.integer(v) for v in reg["antal_helhedsplaner"]],
        "Beboere i områderne": [danish.integer(v) for v in reg["beboere_i_omraader"]],
        "Størrelsesgruppe": [danish.SIZE_GROUPS[g] for g in reg["size_group"]],
    })
    return Table.from_frame(frame, ident="casekommuner", caption="",
                            source=danish.n_source(len(frame), danish.SOURCE_REGISTER
                                                   + " og Danmarks Statistik"))


@described
@dataclass(frozen=True)
class Response:
    """The survey's response and the rules the report's numbers follow."""

    sent: int = value("Municipalities the questionnaire went to.", "kommuner med en helhedsplan")
    completed: int = value("Municipalities that completed it.", "kommuner med en helhedsplan")
    rate: str = value("completed of sent, a whole percentage as everywhere outside the "
                      "comparison with 2015: ``93 %``.", "kommuner med en helhedsplan")
    incomplete: int = value("Responses started but not completed (left out of the analysis).",
                            "besvarelser i spørgeskemaets data")
    k: int = value("The fewest answers a group figure may show (disclosure control).",
                   "kommuner med et gyldigt svar i en gruppe")
    suppressed: int = value("Group figures suppressed in every report.",
                            "spørgsmål og størrelsesgrupper")
    significance: str = value("The p-value under which a difference counts: ``0,05``.",
                              "de statistiske test")


def response(report: Report) -> Response:
    nat = report.national
    n_reg, n_resp = len(nat.register), len(nat.respondents)
    return Response(sent=n_reg, completed=n_resp,
                    rate=danish.percent(n_resp / n_reg) if n_reg else "–",
                    incomplete=len(nat.dataset.survey.incomplete), k=nat.plan.k,
                    suppressed=len(nat.plan.suppressed),
                    significance=danish.decimal(SIGNIFICANCE, 2))


# The questionnaire table's last column: did the 2015 report publish results from the question
# (the codebook's published_2015; "–" where it does not say).
IN_2015 = {True: "Ja", False: "Nej, tilføjet"}


def codebook_table(report: Report) -> Table:
    """The questionnaire: each question of the codebook with its chapter and answers."""
    nat = report.national
    rows = []
    for q in nat.codebook.questions.values():
        if q.type == "multiple":
            answers = "; ".join(q.options.values())
        else:
            answers = "; ".join(f"{k} = {v}" for k, v in q.answers.items())
        rows.append((str(q.chapter), q.text, answers, IN_2015.get(q.published_2015, "–")))
    frame = pd.DataFrame(rows, columns=["Kapitel", "Spørgsmål", "Svarmuligheder",
                                       "I 2015-rapporten"])
    return Table.from_frame(frame, ident="spoergeskema", caption="",
                            source="Kilde: undersøgelsens kodebog. »Nej, tilføjet«: "
                                   "2015-rapporten offentliggjorde ingen resultater fra "
                                   "spørgsmålet; det er tilføjet i denne udgave.")


@described
@dataclass(frozen=True)
class Colophon:
    """How the report was made, as a reader can read it (the machine record is
    ``provenance.json``)."""

    files: str = value("The input files, by name, enumerated.", "datamappens inputfiler")
    version: str = value("The tool's version.", "pakkens version")
    commit: str = value("The git commit of the code (``+ændringer`` when the tree has changes), "
                        "or ``ukendt``.", "kodens git-commit", example="3f9c2a1b7d4e")
    rendered: str = value("The date the report was rendered (SOURCE_DATE_EPOCH's day when set).",
                          "datoen for renderingen")
    fingerprint: str = value("The first 12 hex digits of a hash over every input file's hash.",
                             "alle inputfilers SHA-256")
    k: int = value("The fewest answers a group figure may show (disclosure control).",
                   "kommuner med et gyldigt svar i en gruppe")


def colophon(report: Report) -> Colophon:
    info = describe(report)
    names = [name.rsplit("/", 1)[-1] for name in info.inputs]
    return Colophon(files=danish.enumerate_words(names), version=info.version,
                    commit=info.commit, rendered=info.rendered,
                    fingerprint=info.fingerprint[:12], k=info.parameters["k"])


def provenance(report: Report) -> ProvenanceOutput:
    """The record written to ``provenance.json`` (computed where the report is computed)."""
    return ProvenanceOutput(describe(report).record())


class Tested(NamedTuple):
    """One comparison the chapters state, as the tests table prints it."""

    key: str
    test: str | None        # the test (and interval) the comparison is judged by; None: not run
    groups: tuple[int, ...]  # N per group, or one N for paired answers and correlations
    effect: str             # the difference (or effect) with its 95 % interval
    p_value: float | None
    verdict: str            # one of :data:`VERDICTS`


# The chapters' values each comparison of the tests table reads: (value class, field). Every
# field of a chapter value that holds a test or a difference of two shares is listed here, so
# that the table cannot leave out a comparison the chapters state (tests/test_appendix.py).
COMPARISONS: dict[str, tuple[tuple[str, str], ...]] = {
    "tid": (("Coordination", "test"), ("Coordination", "diff")),
    "tilfredshed": (("Satisfaction", "test"),),
    "tilfredshed_andel": (("Satisfaction", "diff"),),
    "trappe": (("Staircase", "diff"),),
    "maal": (("Understanding", "rho"), ("Understanding", "p_value")),
    "maal_trin": (("Understanding", "diff"),),
    "tillid_trin": (("Understanding", "trust_diff"),),
    "fora": (("Fora", "test"), ("Fora", "diff")),
}
# The comparisons the chapters test, in the table's order, and the verdicts a row can carry
# (both labelled in the notebook).
TESTS = tuple(COMPARISONS)
VERDICTS = ("significant", "fragile", "chance", "related", "not_computed")
# A difference beyond chance is fragile when this many municipalities, answering the other
# way, would leave it one chance may explain (:func:`~analysis.stats.estimate.answers_from_chance`).
FRAGILE_ANSWERS = 1


def _span(low: float, high: float, scale: float = 100.0, decimals: int = 0) -> str:
    """``(1 til 57)``: an interval in parentheses, whole points or a decimal fraction."""
    if decimals:
        return f"({danish.decimal(low, decimals)} til {danish.decimal(high, decimals)})"
    return f"({danish.signed(scale * low)} til {danish.signed(scale * high)})"


def _independent(key: str, diff, test=None) -> Tested:
    """Two shares of different municipalities: Miettinen and Nurminen's score test and the
    interval that inverts it (the two never disagree)."""
    if diff is None:
        return Tested(key, None, (), "", None, "not_computed")
    a, b = diff.first, diff.second
    test = test or score_2x2(a.count, a.n, b.count, b.n)
    e = diff.estimate
    turn = answers_from_chance(a.count, a.n, b.count, b.n)
    verdict = "chance" if not test.significant else \
        "fragile" if turn <= FRAGILE_ANSWERS else "significant"
    return Tested(key, test.test, (a.n, b.n),
                  f"{danish.points(e.diff)} {_span(e.low, e.high)}", test.p_value, verdict)


def _paired(key: str, diff) -> Tested:
    """Two shares of the same municipalities: Newcombe's paired interval decides the verdict
    (as it does in the chapter), McNemar's exact test gives the p-value."""
    if diff is None:
        return Tested(key, None, (), "", None, "not_computed")
    e = diff.estimate
    both, only_a, only_b, neither = e.pairs
    test = mcnemar_exact(only_a, only_b)
    return Tested(key, f"{test.test} og Newcombes interval, parret",
                  (both + only_a + only_b + neither,),
                  f"{danish.points(e.diff)} {_span(e.low, e.high)}", test.p_value,
                  "chance" if diff.uncertain else "significant")


def _ranks(key: str, test, groups: tuple[int, ...]) -> Tested:
    """Answers on a scale: Brunner and Munzel's test with its own effect, the probability
    that a municipality in the first group answers higher than one in the second."""
    if test is None:
        return Tested(key, None, (), "", None, "not_computed")
    effect = f"sandsynlighed {danish.decimal(test.statistic, 2)}"
    low, high = getattr(test, "low", math.nan), getattr(test, "high", math.nan)
    if not (math.isnan(low) or math.isnan(high)):
        effect += f" {_span(low, high, decimals=2)}"
    return Tested(key, test.test, groups, effect, test.p_value,
                  "significant" if test.significant else "chance")


def comparisons(report: Report) -> dict[str, Tested]:
    """Every comparison the chapters state, read from the same values the chapters print
    (:data:`COMPARISONS`), in the order of :data:`TESTS`."""
    from analysis.report.content import ch1, themes

    koord = ch1.coordination(report)
    sat = ch1.satisfaction(report)
    trappe = themes.staircase(report)
    und = themes.understanding(report)
    fora = themes.fora(report)
    out = {
        "tid": _independent("tid", koord.diff, koord.test),
        "tilfredshed": _ranks("tilfredshed", sat.test, (sat.n_large, sat.n_small)),
        "tilfredshed_andel": _independent("tilfredshed_andel", sat.diff),
        "trappe": _paired("trappe", trappe.diff),
        "maal": Tested("maal", "Spearmans rangkorrelation", (und.n,),
                       f"rho{danish.NBSP}={danish.NBSP}{und.rho_text}", und.p_value,
                       "related" if und.related else "chance"),
        "maal_trin": _independent("maal_trin", und.diff),
        "tillid_trin": _independent("tillid_trin", und.trust_diff),
        "fora": _independent("fora", fora.diff, fora.test),
    }
    return {key: out[key] for key in TESTS}


def tests_table(report: Report, rows: Mapping[str, str], verdicts: Mapping[str, str]) -> Table:
    """Every comparison the chapters state (:func:`comparisons`): the test, the municipalities
    it is run on (N, per group where it compares two groups), the difference or effect with
    its 95 % interval (or the correlation), the p-value and the verdict.

    ``rows`` labels each comparison of :data:`TESTS`; ``verdicts`` words each outcome of
    :data:`VERDICTS`: a difference beyond chance, one beyond chance that a single answer
    could turn (:data:`FRAGILE_ANSWERS`), one chance can explain, a positive relation, and a
    test not computed because a group is suppressed.
    """
    what = labels_for(rows, TESTS, "tests_table rows")
    verdict = labels_for(verdicts, VERDICTS, "tests_table verdicts")
    out, ns = [], []
    for key, t in comparisons(report).items():
        if t.test is None:
            out.append((what[key], "–", "–", "–", "–", verdict["not_computed"]))
            continue
        ns.append(sum(t.groups))
        out.append((what[key], t.test, " + ".join(danish.integer(n) for n in t.groups),
                    t.effect, danish.p_value(t.p_value), verdict[t.verdict]))
    frame = pd.DataFrame(out, columns=["Sammenligning", "Test", "N", "Forskel (95\u00a0%-interval)",
                                       "p-værdi", "Vurdering"])
    note = " ".join(x for x in (TESTS_NOTE, edition_note(report, TEST_QUESTIONS)) if x)
    return Table.from_frame(frame, ident="test", caption="",
                            source=danish.n_source(ns or [0], danish.SOURCE_SURVEY, note))


# Under the tests table: what its columns N and Forskel hold.
TESTS_NOTE = (f"N: de kommuner, testen bygger på, i hver gruppe, hvor to grupper sammenlignes, "
              f"og ved parrede svar de kommuner, der har svaret på begge spørgsmål. "
              f"Forskel: den første andel minus den anden i procentpoint; ved Brunner-Munzels "
              f"test sandsynligheden for, at en kommune i den første gruppe svarer højere end en "
              f"i den anden ({danish.decimal(0.5)}: ingen forskel).")
# The questions the tests of :func:`tests_table` are run on.
TEST_QUESTIONS = ("tid_koordinering", "tilfreds_adm_ledelse", "faelles_maal", "tillid",
                  "trin_boligorganisation", "trin_helhedsplan", "forum")
