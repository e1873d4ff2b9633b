"""Whom a municipal edition compares the municipality with, checked without rendering for every
municipality of the shipped data and of a second, differently shaped dataset
(municipal_editions_support.py): the whole country and its own size group, never the other size
group; the rows judged within the group give the notebook what their sentences need; a
non-respondent's group names a few examples and the N its shares count."""

from __future__ import annotations

import dataclasses
import re

import pytest
from municipal_editions_support import (comparison_frame, counted_share, editions,  # noqa: F401
                                         group_table_questions,
                                         reshaped, same_side)

from analysis.report import danish
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
    and how many of the comparison group (itself included) are on its side of the line: the
    counts are rebuilt here from the survey table, not from the code under test."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        o = own.overview(r)
        for name, prefix in (("tid", "time"), ("placering", "place")):
            if name not in o.level:
                assert getattr(o, f"{prefix}_n") == 0
                continue
            question, group, _ = advice.TRIGGERS[name]
            same, n, by_group = same_side(r, question, group)
            assert (getattr(o, f"{prefix}_same"), getattr(o, f"{prefix}_n")) == (same, n), \
                (r.m.name, name)
            assert 0 < same <= n, (r.m.name, name)
            assert getattr(o, f"{prefix}_by_group") == by_group
            if name == "tid":
                land_same, land_n, _ = same_side(r, question, group, whole=True)
                assert (o.time_country_same, o.time_country_n) == (land_same, land_n)
                # more than half-time is the side outside the group »halvtid_eller_mindre«
                more = r.m.answer(question) not in r.national.question(question).groups[group]
                assert o.time_more == more, r.m.name
            else:
                mayor = r.m.answer(question) in r.national.question(question).groups[group]
                assert o.place_mayor == mayor, r.m.name
            checked += 1
        assert o.time_not_gap == bool(o.time_answer)
        assert o.place_not_gap == bool(o.place_words)
    assert checked


def test_a_non_respondents_group_names_few_examples_and_its_n(editions):
    """A non-respondent's edition gives at most a few of the largest differences as examples,
    the largest first (ties in the overview's order), and the range of N its group's shares
    count, never more than the group's municipalities that answered. The differences are
    rebuilt here from the survey table: the group against the rest of the country."""
    from analysis.report.content.own_group import EXAMPLES
    checked = 0
    for r in (r for r in editions if not r.m.answered):
        picture = own.group_picture(r)
        if not picture.shown:
            continue
        assert 0 < picture.n_few_largest <= EXAMPLES
        assert picture.few_largest_words.count("»") == picture.n_few_largest
        assert 0 < picture.n_low <= picture.n_high <= own.facts(r).group_answered
        # the examples as printed: the question and its difference in procentpoint
        printed = re.findall(r"»([^«]+)« \([^()]*?, (\d+) procentpoint\)",
                             picture.few_largest_words)
        assert len(printed) == picture.n_few_largest, picture.few_largest_words
        points = [int(p) for _, p in printed]
        assert points == sorted(points, reverse=True), printed        # the largest first
        # and they are the largest, from the survey table
        everyone = r.national.respondents
        diffs = {}
        for name in group_table_questions(r):
            if name in advice.MAJORITY:
                continue
            frame, shown = comparison_frame(r, advice.question_id(r, advice.TRIGGERS[name][0]))
            if not shown:
                continue
            k, n = counted_share(r, frame, *advice.TRIGGERS[name])
            rest = everyone[everyone["size_group"] != r.m.size_group]
            k2, n2 = counted_share(r, rest, *advice.TRIGGERS[name])
            if n and n2:
                diffs[own._overview_question(r, name)] = abs(
                    danish.whole(100 * k / n) - danish.whole(100 * k2 / n2))
        expected = sorted(diffs, key=lambda q: -diffs[q])[:picture.n_few_largest]
        assert [q for q, _ in printed] == expected, (printed, diffs)
        assert points == [diffs[q] for q in expected]
        checked += 1
    if not checked:
        pytest.skip("no municipality here that did not answer has its size group shown")
