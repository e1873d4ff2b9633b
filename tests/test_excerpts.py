"""Which interview excerpts a chapter shows: real ones first; a constructed excerpt (the
shipped example data's) only where no real one is, at most one per call, and none where the
chapter asks for real voices only."""

from __future__ import annotations

import pytest

from analysis.report.content.excerpts import CONSTRUCTED_PER_CALL, ConstructedQuote, quotes
from analysis.report.notebook import setup


@pytest.fixture(scope="module")
def report():
    return setup(None, None, None, False)


def _themes(report, real: bool, synthetic: bool) -> list[str]:
    """The themes whose excerpts include real ones (or not) and constructed ones (or not)."""
    excerpts = report.national.dataset.excerpts
    found = []
    for theme in sorted({t for codes in excerpts["temaer"] for t in codes}):
        kinds = set(excerpts.loc[excerpts["temaer"].map(lambda c: theme in c), "kilde"])
        if ("real" in kinds) == real and ("synthetic" in kinds) == synthetic:
            found.append(theme)
    return found


def test_a_constructed_quote_never_stands_beside_a_real_one(report):
    mixed = _themes(report, real=True, synthetic=True) + _themes(report, real=True,
                                                                  synthetic=False)
    constructed_only = _themes(report, real=False, synthetic=True)
    assert mixed and constructed_only     # the shipped data have both kinds of theme
    shown = quotes(report, tuple(mixed), limit=20).items
    assert shown and not any(isinstance(q, ConstructedQuote) for q in shown)
    # where only constructed excerpts exist: at most one, and none when real voices are asked for
    made_up = quotes(report, tuple(constructed_only), limit=20).items
    assert 1 <= len(made_up) <= CONSTRUCTED_PER_CALL
    assert all(isinstance(q, ConstructedQuote) for q in made_up)
    assert quotes(report, tuple(constructed_only), limit=20, constructed=False).items == ()


def test_a_quote_beside_a_named_municipality_is_one_it_may_be_named_with(report):
    """Right after a passage naming Køge, a quote from Køge's interviews is shown only where
    the excerpt may be attributed to Køge; one that may not is left out there (and only
    there)."""
    excerpts = report.national.dataset.excerpts
    koege = excerpts.index[(excerpts["kommunekode"].astype(str).str.zfill(3) == "259")
                           & excerpts["temaer"].map(lambda t: "siloer" in t)]
    assert len(koege) == 1
    text = excerpts.loc[koege[0], "tekst"]

    def shown(**kw):
        return {q.text for q in quotes(report, ("siloer",), limit=3, constructed=False,
                                       **kw).items}

    assert text in shown(beside="Køge")            # cleared in the shipped data
    cleared = excerpts.loc[koege[0], "maa_tilskrives_kommune"]
    excerpts.loc[koege[0], "maa_tilskrives_kommune"] = "nej"
    try:
        assert text not in shown(beside="Køge")
        assert text in shown() and text in shown(beside="Albertslund")
        # a name another dataset's register does not know leaves nothing out, and is no error
        assert shown(beside="Fiktivby") == shown()
    finally:
        excerpts.loc[koege[0], "maa_tilskrives_kommune"] = cleared


def test_no_unnamed_quote_points_to_the_case_municipality_named_before_it(report):
    """A quote cell right after a passage that names a municipality whose interviews gave
    excerpts shows none of that municipality's excerpts that may not be attributed to it
    (``quotes(..., beside=...)``): an unnamed quote there would point to its interviewee. The
    excerpts' municipalities and clearances are read from the excerpts table itself."""
    import re
    from pathlib import Path

    import nbformat
    import pandas as pd

    root = Path(__file__).resolve().parents[1]
    table = pd.read_csv(root / "data" / "interviews" / "excerpts.csv", dtype=str,
                        keep_default_na=False)
    kommuner = report.national.dataset.kommuner
    names = {str(row.kommunenavn): str(row.kommunekode).zfill(3)
             for row in kommuner.itertuples() if str(row.kommunekode).zfill(3) in
             {c.zfill(3) for c in table["kommunekode"] if c}}
    assert "Køge" in names
    checked = 0
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for before, cell in zip(cells, cells[1:]):
            if cell.cell_type != "code" or not cell.source.startswith("quotes(r,"):
                continue
            named = [n for n in names if re.search(rf"\b{re.escape(n)}\b", before.source)]
            for name in named:
                shown = eval(cell.source, {"quotes": quotes, "r": report})   # noqa: S307
                mine = set(table.loc[(table["kommunekode"].str.zfill(3) == names[name])
                                     & (table["maa_tilskrives_kommune"] != "ja"), "tekst"])
                assert not {q.text for q in shown.items} & mine, (path.name, name)
                checked += 1
    assert checked
