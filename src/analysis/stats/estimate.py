"""Estimates with their uncertainty, and the tests that decide what a reader may conclude.

The survey is a near-census (41 of 44 municipalities answered), so intervals carry a
finite-population correction: Wilson's interval is computed on the effective sample size
``n / fpc**2`` with ``fpc = sqrt((N - n) / (N - 1))``. When every unit answered the interval
collapses to the observed share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import fisher_exact, mannwhitneyu
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


@dataclass(frozen=True)
class Comparison:
    """A comparison of two groups; ``p_value`` decides whether a difference is shown as one."""

    test: str
    statistic: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


def fisher_2x2(count_a: int, n_a: int, count_b: int, n_b: int) -> Comparison:
    """Fisher's exact test of two shares (two-sided)."""
    table = [[count_a, n_a - count_a], [count_b, n_b - count_b]]
    odds, p = fisher_exact(table, alternative="two-sided")
    return Comparison("Fishers eksakte test", float(odds), float(p))


def ordinal_2groups(x: np.ndarray, y: np.ndarray) -> Comparison:
    """Brunner-Munzel rank test of two ordinal samples (statsmodels).

    The statistic is the probability that a random answer in ``y`` lies above one in ``x``
    (ties counted half); 0.5 means the two groups answer alike.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 2 or len(y) < 2 or (np.ptp(np.concatenate([x, y])) == 0):
        return Comparison("Brunner-Munzels rangtest", 0.5, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):  # separation: handled below
        result = rank_compare_2indep(x, y, use_t=True)
    prob = 1.0 - float(result.prob1)
    p = float(result.pvalue)
    if math.isnan(p):  # complete separation: the variance estimate is zero
        p = float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
    return Comparison("Brunner-Munzels rangtest", prob, p)
