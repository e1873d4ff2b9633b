"""Estimates with their uncertainty, and the tests that decide what a reader may conclude.

The survey is a near-census (41 of 44 municipalities answered), so intervals carry a
finite-population correction: Wilson's interval is computed on the effective sample size
``n / fpc**2`` with ``fpc = sqrt((N - n) / (N - 1))``. When every unit answered the interval
collapses to the observed share.

Differences between two groups are tested and bounded as one: Miettinen and Nurminen's score
test (:func:`score_2x2`) and the interval that inverts it (:func:`difference`), so a difference
is called larger than chance exactly when its 95 % interval leaves out 0. Two shares of the
same municipalities (two questions) get Newcombe's interval for paired shares
(:func:`paired_difference`). Tests and intervals are about chance variation between
municipalities like these, so neither is corrected for the finite population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest, fisher_exact, mannwhitneyu, norm
from statsmodels.stats.nonparametric import rank_compare_2indep
from statsmodels.stats.proportion import proportion_confint


@dataclass(frozen=True)
class Share:
    count: int
    n: int
    share: float
    low: float
    high: float


def share(count: int, n: int, population: int | None = None, alpha: float = 0.05) -> Share:
    """A share with a Wilson interval, finite-population corrected when ``population`` is given.

    Examples
    --------
    >>> s = share(37, 41, population=44)
    >>> round(s.share, 3)
    0.902
    """
    if n == 0:
        return Share(count, 0, float("nan"), float("nan"), float("nan"))
    p = count / n
    if population is not None and population > 1:
        fpc2 = max(population - n, 0) / (population - 1)
        if fpc2 == 0:
            return Share(count, n, p, p, p)
        n_eff = n / fpc2
        low, high = proportion_confint(p * n_eff, n_eff, alpha=alpha, method="wilson")
    else:
        low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    return Share(count, n, p, float(low), float(high))


# The p-value under which a difference is described as larger than chance would explain.
SIGNIFICANCE = 0.05
# The rank statistic of two groups that answer alike (:func:`ordinal_2groups`): an answer of
# one lies above one of the other in half of the pairs.
NO_RANK_DIFFERENCE = 0.5


@dataclass(frozen=True)
class Comparison:
    """A comparison of two groups; ``p_value`` decides whether a difference is shown as one."""

    test: str
    statistic: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


@dataclass(frozen=True)
class RankComparison(Comparison):
    """Brunner and Munzel's test with its own effect measure: ``statistic`` is the probability
    that an answer of the second group lies above one of the first (ties counted half), and
    ``low`` to ``high`` its 95 % interval, the same t statistic turned round (so it leaves out
    0,5 exactly when the test is significant); NaN where the test gives no interval."""

    low: float = float("nan")
    high: float = float("nan")


def fisher_2x2(count_a: int, n_a: int, count_b: int, n_b: int) -> Comparison:
    """Fisher's exact test of two shares (two-sided)."""
    table = [[count_a, n_a - count_a], [count_b, n_b - count_b]]
    odds, p = fisher_exact(table, alternative="two-sided")
    return Comparison("Fishers eksakte test", float(odds), float(p))


def ordinal_2groups(x: np.ndarray, y: np.ndarray) -> RankComparison:
    """Brunner-Munzel rank test of two ordinal samples (statsmodels).

    The statistic is the probability that a random answer in ``y`` lies above one in ``x``
    (ties counted half); 0.5 means the two groups answer alike.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 2 or len(y) < 2 or (np.ptp(np.concatenate([x, y])) == 0):
        return RankComparison("Brunner-Munzels rangtest", NO_RANK_DIFFERENCE, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):  # separation: handled below
        result = rank_compare_2indep(x, y, use_t=True)
        low1, high1 = (float(v) for v in result.conf_int())
    prob = 1.0 - float(result.prob1)
    p = float(result.pvalue)
    if math.isnan(p):  # complete separation: the variance estimate is zero
        p = float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
    # the interval is the test's own (the same t statistic turned round), for P(y above x)
    low, high = max(0.0, 1.0 - high1), min(1.0, 1.0 - low1)
    return RankComparison("Brunner-Munzels rangtest", prob, p, low, high)


def mcnemar_exact(only_a: int, only_b: int) -> Comparison:
    """McNemar's exact test of two shares among the same municipalities: of the pairs that
    differ (``only_a`` in the first share only, ``only_b`` in the second only), are there more
    of one kind than a fair coin would give? Two-sided binomial test; the statistic is the
    first share minus the second as a count of discordant pairs (``only_a - only_b``).

    Examples
    --------
    >>> round(mcnemar_exact(7, 4).p_value, 3)
    0.549
    """
    discordant = only_a + only_b
    p = 1.0 if discordant == 0 else float(binomtest(only_a, discordant, 0.5).pvalue)
    return Comparison("McNemars eksakte test", float(only_a - only_b), min(p, 1.0))


@dataclass(frozen=True)
class Difference:
    """A difference of two shares, ``a - b``, with its 95 % interval (``low`` to ``high``).

    Like the tests, the interval is about whether the difference could have come about by
    chance between municipalities like these: it is not corrected for the finite population.
    ``method`` names the interval as the bilag does.
    """

    a: float
    b: float
    low: float
    high: float
    method: str
    # For two shares of the same municipalities: (both, only a, only b, neither), the counts
    # McNemar's test (:func:`mcnemar_exact`) is run on; None for independent groups.
    pairs: tuple[int, int, int, int] | None = None

    @property
    def paired(self) -> bool:
        return self.pairs is not None

    @property
    def diff(self) -> float:
        return self.a - self.b

    @property
    def includes_zero(self) -> bool:
        """The interval holds no difference at all: chance may explain it."""
        return self.low <= 0 <= self.high


def _restricted_shares(x1: int, n1: int, x2: int, n2: int, delta: float) -> tuple[float, float]:
    """The maximum-likelihood shares under ``p1 - p2 = delta`` (Miettinen and Nurminen's
    closed form, as Farrington and Manning write it)."""
    p1, p2 = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
    c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2
    d = -p1 * delta * (1 + delta)
    v = b ** 3 / (27 * a ** 3) - b * c / (6 * a * a) + d / (2 * a)
    u = math.copysign(math.sqrt(max(b * b / (9 * a * a) - c / (3 * a), 0.0)), v)
    if u == 0:
        t1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u ** 3)))) / 3
        t1 = 2 * u * math.cos(w) - b / (3 * a)
    t1 = min(max(t1, 0.0), 1.0)
    return t1, min(max(t1 - delta, 0.0), 1.0)


def _score_z(x1: int, n1: int, x2: int, n2: int, delta: float) -> float:
    """Miettinen and Nurminen's score statistic for ``p1 - p2 = delta``."""
    t1, t2 = _restricted_shares(x1, n1, x2, n2, delta)
    total = n1 + n2
    variance = (t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2) * total / (total - 1)
    gap = x1 / n1 - x2 / n2 - delta
    if variance <= 0:
        return 0.0 if abs(gap) < 1e-12 else math.copysign(math.inf, gap)
    return gap / math.sqrt(variance)


def score_2x2(count_a: int, n_a: int, count_b: int, n_b: int) -> Comparison:
    """Miettinen and Nurminen's score test of two shares (two-sided). Its interval for the
    difference (:func:`difference`) is the same test turned round, so the two never disagree:
    the interval excludes 0 exactly when p < 0,05."""
    if n_a == 0 or n_b == 0 or n_a + n_b < 2:
        return Comparison("Miettinen-Nurminens scoretest", 0.0, 1.0)
    z = _score_z(count_a, n_a, count_b, n_b, 0.0)
    return Comparison("Miettinen-Nurminens scoretest", count_a / n_a - count_b / n_b,
                      float(2 * norm.sf(abs(z))))


def difference(count_a: int, n_a: int, count_b: int, n_b: int,
               alpha: float = SIGNIFICANCE) -> Difference:
    """The difference of two independent shares with Miettinen and Nurminen's score interval:
    every difference the score test (:func:`score_2x2`) would not reject at ``alpha``.

    Examples
    --------
    Newcombe (1998) works 56/70 against 48/80: 0,0528 to 0,3382.

    >>> d = difference(56, 70, 48, 80)
    >>> round(d.diff, 3), round(d.low, 4), round(d.high, 4)
    (0.2, 0.0528, 0.3382)
    """
    if n_a == 0 or n_b == 0:
        raise ValueError("a difference of shares needs answers in both groups")
    crit = float(norm.isf(alpha / 2))
    estimate = count_a / n_a - count_b / n_b

    def inside(delta: float) -> bool:
        return abs(_score_z(count_a, n_a, count_b, n_b, delta)) <= crit

    def edge(outer: float) -> float:
        """The limit between ``estimate`` (inside) and ``outer`` (outside), by bisection."""
        lo, hi = estimate, outer
        for _ in range(100):
            mid = (lo + hi) / 2
            if inside(mid):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    low = -1.0 if inside(-1.0) else edge(-1.0)
    high = 1.0 if inside(1.0) else edge(1.0)
    return Difference(count_a / n_a, count_b / n_b, low, high,
                      "Miettinen-Nurminens scoreinterval")


def paired_difference(both: int, only_a: int, only_b: int, neither: int,
                      alpha: float = 0.05) -> Difference:
    """The difference of two shares among the same municipalities (``a``: ``both + only_a``
    of ``n``; ``b``: ``both + only_b``), with Newcombe's interval for paired shares (his
    method 10: the two Wilson intervals combined with the correlation of the pairs).

    Examples
    --------
    >>> d = paired_difference(10, 7, 4, 17)
    >>> round(d.diff, 3), round(d.low, 3), round(d.high, 3)
    (0.079, -0.087, 0.238)
    """
    n = both + only_a + only_b + neither
    if n == 0:
        raise ValueError("a difference of shares needs answers")
    a, b = (both + only_a) / n, (both + only_b) / n
    l1, u1 = (float(x) for x in proportion_confint(both + only_a, n, alpha=alpha,
                                                    method="wilson"))
    l2, u2 = (float(x) for x in proportion_confint(both + only_b, n, alpha=alpha,
                                                    method="wilson"))
    margins = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    phi = (both * neither - only_a * only_b) / math.sqrt(margins) if margins else 0.0
    d = a - b
    low = d - math.sqrt(max((a - l1) ** 2 - 2 * phi * (a - l1) * (u2 - b) + (u2 - b) ** 2, 0))
    high = d + math.sqrt(max((u1 - a) ** 2 - 2 * phi * (u1 - a) * (b - l2) + (b - l2) ** 2, 0))
    return Difference(a, b, max(low, -1.0), min(high, 1.0),
                      "Newcombes interval for parrede andele",
                      pairs=(both, only_a, only_b, neither))


def answers_from_chance(count_a: int, n_a: int, count_b: int, n_b: int) -> int:
    """How fragile a difference of two shares is: the fewest municipalities whose answer,
    changed towards the other group's, would leave the difference one that chance may explain
    (score test, p >= 0,05); 0 when chance may already explain it.

    Examples
    --------
    7 of 16 against 3 of 22 (p = 0,040): one answer changed is enough.

    >>> answers_from_chance(7, 16, 3, 22), answers_from_chance(6, 16, 3, 22)
    (1, 0)
    """
    if not score_2x2(count_a, n_a, count_b, n_b).significant:
        return 0
    down = 1 if count_a / n_a > count_b / n_b else -1   # the first share moves towards the second
    for k in range(1, n_a + n_b + 1):
        for moved_a in range(k + 1):
            a, b = count_a - down * moved_a, count_b + down * (k - moved_a)
            if 0 <= a <= n_a and 0 <= b <= n_b and \
                    not score_2x2(a, n_a, b, n_b).significant:
                return k
    return n_a + n_b


def ranks_fragile(x, y, lowest: int, highest: int) -> bool:
    """A rank difference beyond chance (:func:`ordinal_2groups`) that one municipality could
    turn: moving any single answer, of either group, one step up or down the scale
    (``lowest`` to ``highest``) leaves a difference chance may explain (p >= 0,05). One step is
    the smallest change an ordinal answer can make, as one answer crossing the cut is for two
    shares (:func:`answers_from_chance`). False where chance may already explain it.

    Examples
    --------
    Separated groups stay separated when one answer moves a step; overlapping groups do not.

    >>> ranks_fragile([1, 1, 2, 2, 1, 1], [4, 5, 5, 4, 5, 4], 1, 5)
    False
    >>> ranks_fragile([1, 2, 2, 3, 1, 2], [2, 3, 3, 4, 2, 3], 1, 5)
    True
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not ordinal_2groups(x, y).significant:
        return False
    for group in (0, 1):
        answers = (x, y)[group]
        for i in range(len(answers)):
            for step in (-1, 1):
                moved = answers.copy()
                moved[i] += step
                if not lowest <= moved[i] <= highest:
                    continue
                pair = (moved, y) if group == 0 else (x, moved)
                if not ordinal_2groups(*pair).significant:
                    return True
    return False
