"""Bilag: the 2015 report's own figures set against the same figures computed from the data
(:func:`comparison_table`), and where a printed figure does not fit the data
(:func:`findings`)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

from analysis.report import danish
from analysis.report.content.ch1_figures import CO_FINANCING_LABELS
from analysis.report.content.common import labels_for
from analysis.report.present import Table
from analysis.stats.results import Report

# The 2015 report's figures this bilag recomputes (ids of data/reference/published_2015.yaml);
# their row labels are written in the bilag's notebook.
FIGURE_IDS = ("andel_med_helhedsplan", "smaa_kommuner_under_4000", "alle_medfinansierer",
              "medfinansiering_medarbejderressourcer", "har_koordinator", "ingen_koordinator",
              "koordinator_i_borgmesterkontor", "tid_besvaret", "store_fuldtid_eller_mere",
              "smaa_fuldtid_eller_mere", "smaa_halvtid_eller_mindre",
              "ledelse_kunne_prioritere_hoejere")


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
                                   f"{danish.survey_and_register_source(report.synthetic)}.")


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


def findings(report: Report, labels: Mapping[str, str],
             notes: Mapping[str, str] | None = None) -> Table:
    """Where the 2015 report's printed figures do not fit the data: one row per figure,
    labelled as in :func:`comparison_table`. ``notes`` (optional) gives a figure a remark of
    the notebook's own, e.g. that its question was asked differently: the figure gets a row
    with that remark after any the figures themselves give."""
    texts = labels_for(labels, FIGURE_IDS, "findings")
    notes = dict(notes or {})
    computed = computed_figures(report)
    printed = _printed(report)
    rows = []
    for fid, value in computed.items():
        if value is None or not printed.get(fid):
            continue
        remark = "; ".join(part for part in (_remark(printed[fid], *value), notes.get(fid))
                           if part)
        if remark:
            count, base = value
            rows.append((texts[fid], printed[fid],
                         f"{danish.integer(count)} af {danish.integer(base)} = "
                         f"{danish.percent(count / base, 1)}", remark))
    frame = pd.DataFrame(rows, columns=["Tal", "Trykt i 2015", "Data giver", "Forskel"])
    return Table.from_frame(frame, ident="forskelle", caption="",
                            source="Kilde: CFBU og KL (2015) og "
                                   + ("de syntetiske eksempeldata." if report.synthetic else
                                      "undersøgelsens data."))


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
    # Two percentages printed for one figure (»44 % / næsten 45 %«) that each fit the data are
    # two roundings of one share, not a discrepancy: each was checked above.
    return "; ".join(dict.fromkeys(out))
