"""Interview excerpts: quotes chosen by theme for the national part of every report, and a
municipality's own excerpts, named only where their clearance allows it."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.report.present import Quote, Quotes
from analysis.stats.results import Report

# The short citation after a quote from the 2015 interviews (Litteratur gives the full
# reference, and Sådan har vi gjort says once what it marks).
REPORT_2015 = "CFBU og KL 2015"
# The class of the block around a constructed excerpt (the layout sets it apart from the
# interview quotes; templates/filter/quotes.lua).
CONSTRUCTED_CLASS = "konstrueret"
# At most this many constructed excerpts in one place of the report: they illustrate, and a
# run of invented quotes would read as evidence.
CONSTRUCTED_PER_CALL = 1


@dataclass(frozen=True)
class ConstructedQuote(Quote):
    """A constructed excerpt (written as an example for the report, not said in an
    interview): the quote, with its role label and citation as for any excerpt, inside a
    fenced div of class ``konstrueret``::

        ::: {.konstrueret}
        > Tekst …
        >
        > --- Udførende kommunal medarbejder (syntetisk eksempel)
        :::
    """

    def markdown(self) -> str:
        return f"::: {{.{CONSTRUCTED_CLASS}}}\n{super().markdown()}\n:::"


def _citation(kilde: str) -> str:
    return REPORT_2015 if kilde == "real" else (
        "syntetisk eksempel" if kilde == "synthetic" else "")


def _quote(text: str, role: str, kilde: str) -> Quote:
    """An excerpt as the report shows it: a constructed one (``kilde`` synthetic) marked so."""
    kind = ConstructedQuote if kilde == "synthetic" else Quote
    return kind(text=text, role=role, citation=_citation(kilde))


def _own_cleared(report: Report):
    """The municipality's excerpts whose clearance allows naming it (empty when national)."""
    ex = report.national.dataset.excerpts
    m = report.municipality
    if m is None:
        return ex.iloc[0:0]
    return ex[(ex["kommunekode"] == m.code) & (ex["maa_tilskrives_kommune"] == "ja")]


def _code(value) -> str:
    """A kommunekode as the registers spell it (``"259"``; '' for none)."""
    try:
        return str(int(float(value))).zfill(3)
    except (TypeError, ValueError):
        return ""


def quotes(report: Report, themes: tuple[str, ...], limit: int = 3,
           constructed: bool = True, beside: str | None = None) -> Quotes:
    """Excerpts coded with any of ``themes``: real quotes first, then synthetic ones.

    The national part of every report shows role labels only; a municipality is named only in
    that municipality's own section, and only where the excerpt's clearance allows it. An
    excerpt the municipality's own section shows is not shown here too. Constructed excerpts
    are shown only where no real one is (a made-up voice never stands beside a real one), and
    then at most :data:`CONSTRUCTED_PER_CALL`; ``constructed=False``: none at all (the chapters
    that retell the 2015 study show only its real voices). ``beside``: the case municipality
    the text next to the quotes names (``"Køge"``); its excerpts that may not be attributed to
    it (``maa_tilskrives_kommune`` not ``ja``) are left out there, since an unnamed quote right
    after a named example would point to that municipality's interviewee."""
    excerpts = report.national.dataset.excerpts
    own = set(_own_cleared(report)["excerpt_id"])
    hit = excerpts.loc[excerpts["temaer"].map(
        lambda codes: bool(set(codes) & set(themes))).astype(bool)
        & ~excerpts["excerpt_id"].isin(own)]
    # a municipality the dataset does not know (another survey's) has no excerpts to leave out
    named = None
    if beside is not None:
        from analysis.inputs.municipalities import Lookup
        named = Lookup.of(report.national.dataset.kommuner).find(beside)
    if named is not None:
        hit = hit[(hit["kommunekode"].map(_code) != named)
                  | (hit["maa_tilskrives_kommune"] == "ja")]
    order = hit.assign(real=(hit["kilde"] != "real")).sort_values(["real", "excerpt_id"])
    made_up = order["kilde"] == "synthetic"
    if (~made_up).any() or not constructed:     # never beside a real one, or not wanted
        order = order[~made_up]
    else:
        order = order[made_up.cumsum() <= CONSTRUCTED_PER_CALL]
    return Quotes(tuple(_quote(row.tekst, row.rolle, row.kilde)
                        for row in order.head(limit).itertuples(index=False)))


def own_excerpts(report: Report, chapter: int) -> Quotes:
    """This municipality's own excerpts for a chapter, where clearance allows naming it. A
    constructed excerpt is never shown as the municipality's own: under its own table it
    would read as the municipality's voice."""
    m = report.municipality
    mine = _own_cleared(report)
    mine = mine[mine["kilde"] != "synthetic"]
    if m is None or mine.empty:
        return Quotes()
    themes = report.national.dataset.themes
    in_chapter = mine["temaer"].map(lambda codes: any(themes[c].chapter == chapter
                                                      for c in codes))
    mine = mine.loc[in_chapter.astype(bool)]
    return Quotes(tuple(_quote(r.tekst, f"{r.rolle}, {m.title}", r.kilde)
                        for r in mine.sort_values("excerpt_id").itertuples(index=False)))
