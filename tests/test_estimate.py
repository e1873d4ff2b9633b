"""Shares, intervals and tests; expected values worked out by hand."""

import math

from analysis.stats.estimate import fisher_2x2, ordinal_2groups, share


def test_share_without_population_is_plain_wilson():
    s = share(5, 10)
    # Wilson 95 %: centre (5 + 1.92)/(10 + 3.84) = 0.5, half-width 1.96*sqrt(2.5+0.96)/13.84
    half = 1.959964 * math.sqrt(10 * 0.25 + 1.959964**2 / 4) / (10 + 1.959964**2)
    assert math.isclose(s.low, 0.5 - half, abs_tol=1e-4)
    assert math.isclose(s.high, 0.5 + half, abs_tol=1e-4)


def test_census_collapses_the_interval():
    s = share(7, 16, population=16)
    assert (s.low, s.share, s.high) == (7 / 16, 7 / 16, 7 / 16)


def test_finite_population_narrows_the_interval():
    plain = share(37, 41)
    corrected = share(37, 41, population=44)
    assert corrected.high - corrected.low < (plain.high - plain.low) / 3


def test_fisher_identical_groups_is_not_significant():
    c = fisher_2x2(3, 10, 3, 10)
    assert math.isclose(c.p_value, 1.0) and not c.significant


def test_fisher_extreme_split():
    # 5/5 vs 0/5: p = 2 * 1/C(10,5) = 2/252
    c = fisher_2x2(5, 5, 0, 5)
    assert math.isclose(c.p_value, 2 / 252, rel_tol=1e-9)


def test_ordinal_identical_samples_give_one_half():
    c = ordinal_2groups([1, 2, 3, 4], [1, 2, 3, 4])
    assert math.isclose(c.statistic, 0.5) and c.p_value > 0.9


def test_ordinal_separated_samples():
    c = ordinal_2groups([1, 1, 2, 2, 1], [4, 5, 5, 4, 5])
    assert math.isclose(c.statistic, 1.0) and c.significant


def test_a_distribution_is_counted_once_and_each_caller_gets_its_own_copy():
    from analysis.stats import results

    national = results.national()
    question = national.question("koordinator_placering")
    first = national.distribution(question.id)
    first.iloc[0, 0] = -1                      # a caller changing its copy
    again = national.distribution(question.id)
    answers = national.respondents[question.id]
    expected = [int((answers == code).sum()) for code in question.answers]
    assert again["antal"].tolist() == expected
    assert list(again.index) == list(question.answers.values())
    by_size = national.distribution(question.id, "size_group")
    assert by_size.sum(axis=1).tolist() == expected


def test_mcnemars_exact_test_looks_only_at_the_discordant_pairs():
    from analysis.stats.estimate import mcnemar_exact, paired_difference

    assert mcnemar_exact(0, 0).p_value == 1.0
    assert round(mcnemar_exact(7, 4).p_value, 3) == 0.549     # binomial, 11 pairs, two-sided
    assert mcnemar_exact(10, 0).significant
    assert paired_difference(10, 7, 4, 17).pairs == (10, 7, 4, 17)


def test_the_rank_test_reports_its_effect_with_an_interval_that_agrees_with_it():
    import numpy as np

    from analysis.stats.estimate import ordinal_2groups

    x = np.array([1, 2, 2, 3, 3, 3, 4, 2, 1, 3])
    for y in (np.array([2, 3, 3, 4, 4, 5, 4, 3, 5, 4]), np.array([1, 2, 3, 3, 2, 4, 2, 3, 1, 3])):
        c = ordinal_2groups(x, y)
        assert c.low <= c.statistic <= c.high
        # the interval leaves out 0,5 (no difference) exactly when the test is significant
        assert c.significant == (not c.low <= 0.5 <= c.high)


def test_a_fragile_difference_is_one_a_single_answer_could_turn():
    from analysis.stats.estimate import answers_from_chance

    assert answers_from_chance(7, 16, 3, 22) == 1      # 30 points, p = 0,040
    assert answers_from_chance(3, 22, 7, 16) == 1      # the same read the other way
    assert answers_from_chance(6, 16, 3, 22) == 0      # chance may already explain it
    assert answers_from_chance(16, 16, 0, 22) > 5      # a difference far beyond chance


def test_a_rank_difference_one_step_could_turn_is_fragile():
    from analysis.stats.estimate import ordinal_2groups, ranks_fragile

    # groups far apart: no single answer one step away brings them within chance
    far = ([1, 1, 2, 2, 1, 1], [4, 5, 5, 4, 5, 4])
    assert ordinal_2groups(*far).significant and not ranks_fragile(*far, 1, 5)
    # groups just apart: moving the first group's top answer (3) one step up to 4 is enough
    near = ([1, 2, 2, 3, 1, 2], [2, 3, 3, 4, 2, 3])
    assert ordinal_2groups(*near).significant and ranks_fragile(*near, 1, 5)
    assert not ordinal_2groups([1, 2, 2, 4, 1, 2], near[1]).significant
    # a difference chance may explain is not called fragile
    same = ([1, 2, 3, 4], [1, 2, 3, 4])
    assert not ranks_fragile(*same, 1, 5)
