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
