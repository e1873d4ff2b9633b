"""Pieces every chapter uses: shares in words, quotes chosen by theme, the local box."""

from __future__ import annotations

import pandas as pd

from analysis import danish
from analysis.estimate import Share
from analysis.present import Quote
from analysis.results import Report

REPORT_2015 = "Kommunerne på banen, CFBU og KL 2015"


def pct(s: Share, decimals: int = 0) -> str:
    return danish.percent(s.share, decimals)


def of(s: Share) -> str:
    """``7 af 16``."""
    return f"{danish.integer(s.count)} af {danish.integer(s.n)}"


def of_pct(s: Share) -> str:
    """``7 af 16 (43,8 %)``."""
    return f"{of(s)} ({pct(s, 1)})"


def interval(s: Share, population: int) -> str:
    """The 95 % interval in words, or that the whole population answered."""
    if s.low == s.high:
        return "alle kommuner i gruppen har svaret, så der er ingen stikprøveusikkerhed"
    return (f"95 %-sikkerhedsinterval {danish.percent(s.low)}–{danish.percent(s.high)}, "
            f"korrigeret for, at {danish.integer(s.n)} af {danish.integer(population)} kommuner "
            "har svaret")


def quotes(report: Report, themes: tuple[str, ...], limit: int = 3) -> list[Quote]:
    """Excerpts coded with any of ``themes``: real quotes first, then synthetic ones.

    The national part of every report shows role labels only; a municipality is named only in
    that municipality's own section, and only where the excerpt's clearance allows it.
    """
    excerpts = report.national.dataset.excerpts
    hit = excerpts.loc[excerpts["temaer"].map(
        lambda codes: bool(set(codes) & set(themes))).astype(bool)]
    order = hit.assign(real=(hit["kilde"] != "real")).sort_values(["real", "excerpt_id"])
    out = []
    for row in order.head(limit).itertuples(index=False):
        citation = REPORT_2015 if row.kilde == "real" else (
            "syntetisk eksempel" if row.kilde == "synthetic" else "")
        out.append(Quote(text=row.tekst, role=row.rolle, citation=citation))
    return out


def own_excerpts(report: Report, chapter: int) -> list[Quote]:
    """This municipality's own excerpts for a chapter, where clearance allows naming it."""
    m = report.municipality
    if m is None:
        return []
    nat = report.national
    ex = nat.dataset.excerpts
    mine = ex[(ex["kommunekode"] == m.code) & (ex["maa_tilskrives_kommune"] == "ja")]
    in_chapter = mine["temaer"].map(
        lambda codes: any(nat.dataset.themes[c].chapter == chapter for c in codes))
    mine = mine.loc[in_chapter.astype(bool)]
    return [Quote(text=r.tekst, role=f"{r.rolle}, {m.title}",
                  citation=REPORT_2015 if r.kilde == "real" else
                  ("syntetisk eksempel" if r.kilde == "synthetic" else ""))
            for r in mine.sort_values("excerpt_id").itertuples(index=False)]


def answer_label(report: Report, question_id: str) -> str | None:
    m = report.municipality
    code = m.answer(question_id) if m else None
    q = report.national.question(question_id)
    if code is None:
        return None
    return q.answers.get(code) or q.missing.get(code)


def distribution_with_own(report: Report, question_id: str) -> tuple[pd.DataFrame, tuple | None]:
    """Counts by size group plus the whole country, and where the municipality's answer sits."""
    nat = report.national
    by_size = nat.distribution(question_id, "size_group")
    table = pd.DataFrame({
        danish.SIZE_GROUPS["small"]: by_size.get("small", 0),
        danish.SIZE_GROUPS["large"]: by_size.get("large", 0),
    }).T
    table.loc["Hele landet"] = table.sum()
    highlight = None
    m = report.municipality
    if m is not None:
        label = answer_label(report, question_id)
        q = nat.question(question_id)
        if label in q.answers.values():
            highlight = (danish.SIZE_GROUPS[m.size_group], label)
    return table, highlight


def apply_plan(report: Report, table: pd.DataFrame, question_id: str,
               partition: str = "size_group") -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Drop the group rows the disclosure plan suppresses; return the footnotes to print."""
    plan = report.national.plan
    labels = danish.SIZE_GROUPS if partition == "size_group" else {}
    notes = []
    keep = []
    for row in table.index:
        group = next((g for g, label in labels.items() if label == row), row)
        s = plan.lookup(question_id, partition, group)
        if s is None:
            keep.append(row)
        else:
            notes.append(s.footnote(plan.k, str(row).lower()))
    return table.loc[keep], tuple(notes)
