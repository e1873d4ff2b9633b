"""A share of municipalities and a difference between two shares, as the prose prints them:
:class:`Stat` (``37 af 41``, ``90 %``, in words, with its bounds) and :class:`Diff` (the
difference in percentage points with its 95 % interval)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scipy.stats import fisher_exact

from analysis.report import danish
from analysis.report.content.values import described, value
from analysis.stats.estimate import (Difference, Share, answers_from_chance, difference,
                                     paired_difference, score_2x2)

# A difference beyond chance is fragile when this many municipalities, answering the other
# way, would leave it one chance may explain (:func:`~analysis.stats.estimate.answers_from_chance`).
FRAGILE_ANSWERS = 1
# The base of a share of those that answered, after »af de 38«.
ANSWERED_BASE = "kommuner, der har besvaret spørgsmålet"


@described
@dataclass(frozen=True)
class Stat:
    """A share of municipalities, with what the prose prints of it.

    ``count`` of ``n`` answers, out of ``population`` municipalities in all (the register).
    ``base`` says what the ``n`` are: ``kommuner med en koordinator``.
    """

    count: int = value("How many municipalities are in the share (the numerator).",
                       "kommunerne i andelen, blandt de n")
    n: int = value("How many municipalities the share is of (the denominator): those its "
                   "base names.", "kommunerne, som base beskriver")
    share: float = value("count / n, a number from 0 to 1.", "count af n")
    population: int = value("How many municipalities there are in all: every municipality in "
                            "the register, or in the size group.",
                            "alle kommuner med en helhedsplan (eller i størrelsesgruppen)")
    base: str = value("What the n municipalities are, in Danish, as the share reads after "
                      "'37 af 41': its base.", "beskrivelsen af de n kommuner", default="",
                      compare=False)

    @classmethod
    def of_share(cls, s: Share, population: int, base: str = "") -> "Stat":
        return cls(count=s.count, n=s.n, share=s.share, population=population, base=base)

    def _with_base(self, base: str) -> "Stat":
        return replace(self, base=base)

    @property
    def _brief(self) -> str:
        return f"{self.of} = {self.pct}"

    @property
    def _summary(self) -> str:
        """``37 af 41 kommuner med et gyldigt svar på »…«: 90 % (44 i alt)``"""
        return (f"{self.of}{' ' + self.base if self.base else ''}: {self.pct} "
                f"({danish.integer(self.population)} i alt)")

    def __repr__(self) -> str:
        return f"Stat({self._summary})"

    @property
    def pct(self) -> str:
        """The share as a whole percentage: ``64 %``."""
        return danish.percent(self.share)

    @property
    def pct1(self) -> str:
        """The share with one decimal: ``63,6 %`` (for small groups, where one municipality is
        many points)."""
        return danish.percent(self.share, 1)

    @property
    def of(self) -> str:
        """Count of n: ``28 af 44``."""
        return f"{danish.integer(self.count)} af {danish.integer(self.n)}"

    @property
    def words(self) -> str:
        """The share in words: ``næsten to tredjedele``."""
        return danish.share_words(self.share)

    def share_of(self, noun: str) -> str:
        """The share in words, of ``noun``: ``næsten alle kommunerne``, ``godt halvdelen af
        kommunerne``."""
        return danish.share_of(self.share, noun)

    @property
    def low_all(self) -> float:
        """The smallest share of all ``population`` municipalities this can be: every
        municipality that did not answer would have answered otherwise."""
        return self.count / self.population

    @property
    def high_all(self) -> float:
        """The largest share of all municipalities: every non-respondent answered so."""
        return (self.count + self.population - self.n) / self.population

    @property
    def bounds(self) -> str:
        """Where the share of all municipalities lies whatever the non-respondents answered:
        ``mellem 84 % og 91 %`` (one figure when everybody answered)."""
        low, high = danish.percent(self.low_all), danish.percent(self.high_all)
        return low if low == high else f"mellem {low} og {high}"

    @property
    def answered(self) -> str:
        """The count with its base, the municipalities that answered the question: ``28 af de
        38 kommuner, der har besvaret spørgsmålet`` (``alle de 16 kommuner, …`` when every one
        of them is in the share). For a share of those that answered, never of all."""
        if self.count == self.n:
            return f"alle de {danish.integer(self.n)} {ANSWERED_BASE}"
        return f"{danish.integer(self.count)} af de {danish.integer(self.n)} {ANSWERED_BASE}"

    @property
    def pct_answered(self) -> str:
        """The percentage with its base: ``74 % af de 38 kommuner, der har besvaret
        spørgsmålet``."""
        return f"{self.pct} af de {danish.integer(self.n)} {ANSWERED_BASE}"

    @property
    def bounds_all(self) -> str:
        """The share of every municipality with a helhedsplan, whatever those that did not
        answer would have said, with its base: ``mellem 64 % og 70 % af alle 44 kommuner med
        en helhedsplan``. For a share within a size group, use :meth:`bounds_of`."""
        return self.bounds_of("kommuner med en helhedsplan")

    def bounds_of(self, noun: str) -> str:
        """:attr:`bounds` of all ``population`` ``noun``: ``bounds_of("kommuner med under
        4.000 beboere i helhedsplansområderne")`` -> ``mellem 50 % og 71 % af alle 28 kommuner
        med under 4.000 beboere i helhedsplansområderne``."""
        return f"{self.bounds} af alle {danish.integer(self.population)} {noun}"


@described
@dataclass(frozen=True)
class Diff:
    """A difference between two shares the text discusses, with its 95 % interval.

    ``first`` minus ``second``, in percentage points. The prose names the two groups and the
    direction in words (``oftere``) and prints the size and the interval with :attr:`interval`:
    ``forskellen er 30 procentpoint (95 %-interval: 2 til 55)``. Where the interval holds 0
    (:attr:`uncertain`), chance may explain the difference.
    """

    first: Stat = value("The share the difference is measured from (its own base kept).",
                        "andelens egen base (se den)", keeps_base=True)
    second: Stat = value("The share it is compared with (its own base kept).",
                         "andelens egen base (se den)", keeps_base=True)
    estimate: Difference = value("The difference and its interval (Newcombe).",
                                 "de to gruppers svar", example="(forskellen og intervallet)")

    @classmethod
    def between(cls, first: Stat, second: Stat) -> "Diff":
        """Two shares of different municipalities (Newcombe's interval)."""
        return cls(first, second, difference(first.count, first.n, second.count, second.n))

    @classmethod
    def paired(cls, first: Stat, second: Stat, both: int, only_first: int, only_second: int,
               neither: int) -> "Diff":
        """Two shares of the same municipalities, two questions each answered (Newcombe's
        interval for paired shares): how many are in both shares, in one only, in neither."""
        return cls(first, second, paired_difference(both, only_first, only_second, neither))

    @property
    def _sign(self) -> int:
        return -1 if self.estimate.diff < 0 else 1

    @property
    def points(self) -> str:
        """The size of the difference: ``30 procentpoint`` (without its direction), as the
        reader can check it from the two shares the text prints in whole percentages: 55 % and
        56 % differ by 1 procentpoint, even where the unrounded shares (54,5 % and 56,3 %)
        differ by 1,7. The interval is the estimate's."""
        return danish.points(abs(self.printed_diff))

    @property
    def printed_diff(self) -> float:
        """``first`` minus ``second`` as their printed whole percentages give it, as a share
        (0.01 for 56 % against 55 %): the size the text and the bilag's table print."""
        printed = [danish.whole(100 * stat.share) for stat in (self.first, self.second)]
        return (printed[0] - printed[1]) / 100

    @property
    def range(self) -> str:
        """The 95 % interval of the difference, in the same direction as :attr:`points`:
        ``2 til 55 procentpoint``."""
        low, high = sorted((self._sign * self.estimate.low, self._sign * self.estimate.high))
        return f"{danish.signed(100 * low)} til {danish.signed(100 * high)} procentpoint"

    @property
    def ci(self) -> str:
        """``95 %-interval: 2 til 55``"""
        low, high = sorted((self._sign * self.estimate.low, self._sign * self.estimate.high))
        return danish.interval(low, high)

    @property
    def interval(self) -> str:
        """``forskellen er 30 procentpoint (95 %-interval: 2 til 55)``"""
        return f"forskellen er {self.points} ({self.ci})"

    @property
    def uncertain(self) -> bool:
        """The interval holds 0: the data cannot rule out that there is no difference."""
        return self.estimate.includes_zero

    @property
    def verdict(self) -> str:
        """The bilag's verdict on the difference, as a code (never printed: the bilag words it,
        a condition tests :attr:`clear` or :attr:`fragile`): ``significant``, ``fragile`` or
        ``chance``. Two shares of different municipalities are judged by Miettinen and
        Nurminen's score test, and a difference beyond chance is ``fragile`` when
        ``FRAGILE_ANSWERS`` (one) municipality answering the other way would leave it one
        chance may explain; two shares of the same municipalities by their paired interval."""
        if self.estimate.paired:
            return "chance" if self.uncertain else "significant"
        a, b = self.first, self.second
        if not score_2x2(a.count, a.n, b.count, b.n).significant:
            return "chance"
        turn = answers_from_chance(a.count, a.n, b.count, b.n)
        return "fragile" if turn <= FRAGILE_ANSWERS else "significant"

    @property
    def exact_p(self) -> str:
        """Fisher's exact test of two shares of different municipalities (two-sided), as the
        bilag prints p: ``p = 0,062``. With so few municipalities it is the more cautious test, so
        a fragile difference is checked against it; '' for two shares of the same
        municipalities."""
        if self.estimate.paired:
            return ""
        a, b = self.first, self.second
        table = [[a.count, a.n - a.count], [b.count, b.n - b.count]]
        return danish.p_value(float(fisher_exact(table).pvalue))

    @property
    def clear(self) -> bool:
        """The difference is beyond chance, and no single municipality answering otherwise
        would change that (the bilag's »større end tilfældig variation«)."""
        return self.verdict == "significant"

    @property
    def fragile(self) -> bool:
        """The difference is beyond chance, but one municipality answering otherwise would
        leave it one chance may explain (the bilag's »skrøbelig«)."""
        return self.verdict == "fragile"
