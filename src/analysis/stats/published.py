"""The 2015 report's published counts, recomputed from the data, and whether the data
reproduce them.

The shipped example data are built to reproduce every count of
``data/reference/published_2015.yaml``; a report may say so on its front page only when the
data in hand do (a new survey wave dropped into ``data/`` does not, whatever ``dataset.yaml``
still says). The counts are computed without disclosure control: this is a check, not a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.stats.results import National

# Figure id -> (question, answer group, size group or None): the survey counts.
SURVEY_FIGURES = {
    "har_koordinator": ("har_koordinator", "ja", None),
    "ingen_koordinator": ("har_koordinator", "nej", None),
    "koordinator_i_borgmesterkontor": ("koordinator_placering", "borgmesterkontor", None),
    "store_fuldtid_eller_mere": ("tid_koordinering", "fuldtid_eller_mere", "large"),
    "smaa_fuldtid_eller_mere": ("tid_koordinering", "fuldtid_eller_mere", "small"),
    "smaa_halvtid_eller_mindre": ("tid_koordinering", "halvtid_eller_mindre", "small"),
    "ledelse_kunne_prioritere_hoejere": ("ledelse_kunne_prioritere_hoejere", "enig", None),
}
CO_FINANCING_PREFIX = "medfin_"


def published_counts(nat: National) -> dict[str, tuple[int, int]]:
    """Each published 2015 count (figure id -> (count, base)) computed from the data."""
    reg = nat.register
    cofinance = reg[[c for c in reg.columns if c.startswith(CO_FINANCING_PREFIX)]]
    out = {
        "andel_med_helhedsplan": (len(reg), len(nat.dataset.kommuner)),
        "smaa_kommuner_under_4000": (int(reg["size_group"].eq("small").sum()), len(reg)),
        "alle_medfinansierer": (int(cofinance.sum(axis=1).gt(0).sum()), len(reg)),
        "medfinansiering_medarbejderressourcer":
            (int(reg["medfin_medarbejderressourcer"].sum()), len(reg)),
        "tid_besvaret": (len(nat.valid("tid_koordinering")), len(nat.respondents)),
    }
    for fid, (question, group, size) in SURVEY_FIGURES.items():
        s = nat.share(question, group, size=size)
        out[fid] = (s.count, s.n)
    return out


def mismatches(nat: National) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """The published counts the data do not reproduce: id -> ((count, base) published,
    (count, base) computed). Empty when the data reproduce every one (or when there is no
    reference file: then there is nothing to reproduce, see :func:`reproduces_2015`)."""
    computed = published_counts(nat)
    out = {}
    for figure in nat.dataset.published.get("figures", []):
        if "count" not in figure:
            continue
        want = (int(figure["count"]), int(figure["base"]))
        got = computed.get(figure["id"])
        if got != want:
            out[figure["id"]] = (want, got)
    return out


def reproduces_2015(nat: National) -> bool:
    """The data reproduce every count the 2015 report published (False without the
    reference file of those counts)."""
    figures = [f for f in nat.dataset.published.get("figures", []) if "count" in f]
    return bool(figures) and not mismatches(nat)
