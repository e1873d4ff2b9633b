"""The figure cache: keyed from the drawing function's bound arguments, every one of them."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.figures import cache


@pytest.fixture
def calls(monkeypatch):
    monkeypatch.setattr(cache, "_CACHE", {})
    drawn = []

    @cache.cached
    def draw(counts, highlight=None, *, ident, colors=None):
        drawn.append((ident, highlight, colors))
        return object()

    return draw, drawn


def _counts(value=3):
    return pd.DataFrame([[1, 2, value]], index=["Hele landet"], columns=["Nej", "Måske", "Ja"])


def test_the_same_arguments_are_drawn_once_however_they_are_passed(calls):
    draw, drawn = calls
    first = draw(_counts(), None, ident="a")
    assert draw(_counts(), ident="a") is first
    assert draw(counts=_counts(), highlight=None, ident="a", colors=None) is first
    assert len(drawn) == 1


@pytest.mark.parametrize("other", [
    dict(counts=_counts(4)),                                      # one value
    dict(counts=_counts().rename(index={"Hele landet": "Små"})),  # a row label
    dict(counts=_counts().astype(float)),                         # a dtype
    dict(counts=_counts().rename(columns={"Ja": "Enig"})),        # a column
    dict(highlight=("Hele landet", "Ja")),                        # the highlight
    dict(ident="b"),                                              # a keyword
    dict(colors=["#000000"]),                                     # an argument left at default
])
def test_any_argument_that_differs_draws_anew(calls, other):
    draw, drawn = calls
    base = dict(counts=_counts(), highlight=None, ident="a")
    first = draw(**base)
    assert draw(**{**base, **other}) is not first
    assert len(drawn) == 2


def test_floats_that_differ_in_the_last_digit_are_different_keys():
    a, b = 0.1 + 0.2, 0.3
    assert a != b
    assert cache.cache_key(pd.Series([a])) != cache.cache_key(pd.Series([b]))
    assert cache.cache_key({"x": a}) != cache.cache_key({"x": b})


def test_a_dict_in_another_order_is_another_figure():
    assert cache.cache_key({"a": 1, "b": 2}) != cache.cache_key({"b": 2, "a": 1})


def test_an_argument_it_cannot_key_is_drawn_every_time(calls):
    draw, drawn = calls
    odd = type("Odd", (), {})()
    draw(_counts(), odd, ident="a")
    draw(_counts(), odd, ident="a")
    assert len(drawn) == 2


def test_the_kind_of_scale_is_part_of_a_stacked_figures_key(monkeypatch):
    """The same counts on a diverging and on a sequential scale are two figures (their
    palettes differ); the same call again is the kept figure."""
    from analysis.report import figures

    monkeypatch.setattr(cache, "_CACHE", {})
    counts = pd.DataFrame([[1, 2, 3, 2, 1]], index=["Hele landet"],
                          columns=["Meget lidt", "Lidt", "Noget", "Meget", "Rigtig meget"])
    diverging = figures.stacked_figure(counts, None, ident="x", source="",
                                       scale=figures.DIVERGING)
    sequential = figures.stacked_figure(counts, None, ident="x", source="",
                                        scale=figures.SEQUENTIAL)
    assert diverging.svg != sequential.svg
    assert figures.stacked_figure(counts, None, ident="x", source="",
                                  scale=figures.SEQUENTIAL) is sequential
