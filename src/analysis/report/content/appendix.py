"""Bilag: the case municipalities, the questionnaire, response, and the 2015 report's own
figures set against the figures computed from the data."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.ch1 import CO_FINANCING_LABELS
from analysis.stats.estimate import SIGNIFICANCE
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
# The comparisons the chapters test, and the verdicts a test's row can carry (both labelled
# in the notebook).
TESTS = ("tid", "tilfredshed", "maal", "fora")
VERDICTS = ("significant", "chance", "related", "not_computed")


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
    n = len(report.national.respondents)
    return Table.from_frame(frame, ident="tal2015", caption="",
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


def _remark(printed: str, count: int, base: int) -> str:
    """What differs between one printed figure and the computed count and base (a label)."""
    value = 100 * count / base
    out = []
    for qualifier, number in _PERCENT.findall(printed):
        p = int(number)
        if not qualifier and not reachable(p, base):
            out.append(f"{p}{danish.NBSP}% kan ikke forekomme med {danish.integer(base)} "
                       "kommuner")
        elif not qualifier and math.floor(value + 0.5) != p:
            out.append("afrundet anderledes")
        elif qualifier in ("næsten", "under", "knap") and not value < p:
            out.append(f"ikke under {p}{danish.NBSP}%")
        elif qualifier in ("over", "godt") and not value > p:
            out.append(f"ikke over {p}{danish.NBSP}%")
    for n in _BASE.findall(printed):
        if int(n) != base:
            out.append(f"N{danish.NBSP}={danish.NBSP}{n} trykt, tallet bygger på "
                       f"{danish.integer(base)}")
    if not out and len(set(_PERCENT.findall(printed))) > 1:
        out.append("to forskellige procenttal for samme forhold")
    return "; ".join(out)


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
    return Table.from_frame(frame, ident="casekommuner", caption="",
                            source=danish.n_source(len(frame), danish.SOURCE_REGISTER
                                                   + " og Danmarks Statistik"))


@dataclass(frozen=True)
class Response:
    """The survey's response and the rules the report's numbers follow."""

    sent: int                 # municipalities the questionnaire went to
    completed: int
    rate: str                 # "93,2 %"
    incomplete: int           # started but not completed
    k: int                    # fewest answers a group figure may show
    suppressed: int           # group figures suppressed in every report
    significance: str         # the p-value under which a difference counts, "0,05"


def response(report: Report) -> Response:
    nat = report.national
    n_reg, n_resp = len(nat.register), len(nat.respondents)
    return Response(sent=n_reg, completed=n_resp,
                    rate=danish.percent(n_resp / n_reg, 1) if n_reg else "–",
                    incomplete=len(nat.dataset.survey.incomplete), k=nat.plan.k,
                    suppressed=len(nat.plan.suppressed),
                    significance=danish.decimal(SIGNIFICANCE, 2))


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
    return Table.from_frame(frame, ident="spoergeskema", caption="",
                            source="Kilde: undersøgelsens kodebog.")


@dataclass(frozen=True)
class Colophon:
    """How the report was made, as a reader can read it (the machine record is
    ``provenance.json``)."""

    files: str                # "besvarelser.csv, codebook.yaml, … og kommuner.csv"
    version: str
    commit: str
    rendered: str             # "1. december 2026"
    fingerprint: str          # the first 12 hex digits of a hash over every input's hash
    k: int


def colophon(report: Report) -> Colophon:
    info = describe(report)
    names = [name.rsplit("/", 1)[-1] for name in info.inputs]
    return Colophon(files=danish.enumerate_words(names), version=info.version,
                    commit=info.commit, rendered=info.rendered,
                    fingerprint=info.fingerprint[:12], k=info.parameters["k"])


def provenance(report: Report) -> ProvenanceOutput:
    """The record written to ``provenance.json`` (computed where the report is computed)."""
    return ProvenanceOutput(describe(report).record())


def tests_table(report: Report, rows: Mapping[str, str], verdicts: Mapping[str, str]) -> Table:
    """Every statistical test the chapters describe in words, with its name and p-value.

    ``rows`` labels each comparison of :data:`TESTS`; ``verdicts`` words each outcome of
    :data:`VERDICTS`: a difference beyond chance, one chance can explain, a positive
    relation, and a test not computed because a group is suppressed.
    """
    from analysis.report.content import ch1, themes

    what = labels_for(rows, TESTS, "tests_table rows")
    verdict = labels_for(verdicts, VERDICTS, "tests_table verdicts")
    out = []

    def add(key: str, test, extra: str = "") -> None:
        if test is None:
            out.append((what[key], "–", "–", verdict["not_computed"]))
            return
        out.append((what[key], test.test + extra, danish.p_value(test.p_value),
                    verdict["significant" if test.significant else "chance"]))

    add("tid", ch1.coordination(report).test)
    sat = ch1.satisfaction(report)
    add("tilfredshed", sat.test,
        f" (sandsynlighed for højere svar i en stor kommune {sat.superiority})"
        if sat.test is not None else "")
    und = themes.understanding(report)
    out.append((what["maal"],
                f"Spearmans rangkorrelation ({und.rho_text}, N{danish.NBSP}={danish.NBSP}"
                f"{danish.integer(und.n)})", und.p_text,
                verdict["related" if und.related else "chance"]))
    add("fora", themes.fora(report).test)
    frame = pd.DataFrame(out, columns=["Sammenligning", "Test", "p-værdi", "Vurdering"])
    return Table.from_frame(frame, ident="test", caption="",
                            source=danish.n_source(len(report.national.respondents),
                                                   danish.SOURCE_SURVEY))
