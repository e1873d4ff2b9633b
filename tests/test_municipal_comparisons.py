"""Whom a municipal edition compares the municipality with, checked without rendering for every
municipality of the shipped data and of a second, differently shaped dataset
(municipal_editions_support.py): the whole country and its own size group, never the other size
group; the rows judged within the group give the notebook what their sentences need; a
non-respondent's group names a few examples and the N its shares count."""

from __future__ import annotations

import dataclasses

import pytest
from municipal_editions_support import editions, reshaped  # noqa: F401

from analysis.report.content import advice, own


def test_an_edition_compares_only_with_the_country_and_its_own_size_group(editions):
    """The reading guide's rule: a municipality is held up against the whole country and its
    own size group, never against the other size group; the time to coordination of a
    municipality at the edge of its group is set beside the whole country's instead."""
    # no value the sentences can use counts the other size group
    for cls in (own.Facts, own.Overview, own.GroupPicture, own.Standing):
        assert not [f.name for f in dataclasses.fields(cls)
                    if "anden størrelsesgruppe" in f.metadata["base"]], cls.__name__
    checked = 0
    for r in (r for r in editions if r.m.answered):
        fakta = own.facts(r)
        if fakta.compare_country:
            country = advice._country(r, *advice.TRIGGERS["tid"])
            assert (fakta.country_time.count, fakta.country_time.n) == (country.count, country.n)
            assert fakta.own_time.startswith("»"), fakta.own_time
            checked += 1
    for r in (r for r in editions if not r.m.answered):
        assert not own.facts(r).compare_country, r.m.name
    assert checked


def test_the_rows_judged_within_the_group_have_values_for_their_sentences(editions):
    """The time and the placement, where no gap, give the notebook the municipality's answer
    and how many of the comparison group (itself included) are on its side of the line."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        o = own.overview(r)
        raad = advice.advice(r)
        for name, prefix in (("tid", "time"), ("placering", "place")):
            if name not in o.level:
                assert getattr(o, f"{prefix}_n") == 0
                continue
            same, n = getattr(o, f"{prefix}_same"), getattr(o, f"{prefix}_n")
            basis = raad.basis(name)
            outside = bool(advice._own_hit(r, name))
            assert n == basis.n and same == (basis.n - basis.count if outside else basis.count)
            assert 0 < same <= n, (r.m.name, name)
            assert getattr(o, f"{prefix}_by_group") == raad.by_group(name)
            checked += 1
        assert o.time_not_gap == bool(o.time_answer)
        assert o.place_not_gap == bool(o.place_words)
    assert checked


def test_a_non_respondents_group_names_few_examples_and_its_n(editions):
    """A non-respondent's edition gives at most a few of the largest differences as examples,
    the largest first, and the range of N its group's shares count, never more than the
    group's municipalities that answered."""
    from analysis.report.content.own_group import EXAMPLES
    checked = 0
    for r in (r for r in editions if not r.m.answered):
        picture = own.group_picture(r)
        if not picture.shown:
            continue
        assert 0 < picture.n_few_largest <= EXAMPLES
        assert picture.few_largest_words.count("»") == picture.n_few_largest
        assert 0 < picture.n_low <= picture.n_high <= own.facts(r).group_answered
        checked += 1
    if not checked:
        pytest.skip("no municipality here that did not answer has its size group shown")
