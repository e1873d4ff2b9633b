"""Disclosure control: every threshold and suppression rule of the project lives here.

Rules (DESIGN.md, "Disclosure control"):

* compare only with fixed groups that are the same in every report: the nation and the size
  group; never with "everyone but you";
* a group figure is shown only when the group has at least ``k`` answers (default 5);
* nor when every answer in the group is the same (all say yes, or none chooses an option): the
  group's members are named in the register, so such a figure gives each one's answer;
* nor where a question it is asked after (``asked_if``) is suppressed: the number who were
  asked is the number who answered that question one way, so the one would give the other;
* where exactly one group of a partition is suppressed, the next smallest group is suppressed
  too, so the first cannot be worked out by subtracting the others from the national total;
* the plan is decided once from the data, for every question and partition, before any report
  is rendered; since every report compares with the same fixed groups, every report applies
  the same plan, and no combination of reports recovers a suppressed cell;
* a report never shows another named municipality's individual answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import settings

DEFAULT_K = settings.DEFAULT_K
# The fixed groups the reports compare with, besides the whole country. Region would be allowed
# by the same rules, but no report compares with it, so the plan does not cover it.
PARTITIONS = ("size_group",)


def threshold(k: int | None = None) -> int:
    """The minimum number of answers in a published group: argument, ``$RAPPORT_K`` or 5."""
    return settings.k(k)


@dataclass(frozen=True)
class Suppression:
    question: str
    partition: str
    group: str
    n: int
    reason: str          # "primary" (n < k), "unanimous" (all answers but at most one the
                         # same), "filter" (the question it is asked after is suppressed) or
                         # "secondary" (protects one of those)

    def in_size_groups(self, question: str) -> bool:
        return self.question == question and self.partition == "size_group"


@dataclass(frozen=True)
class Plan:
    k: int
    suppressed: tuple[Suppression, ...]

    def lookup(self, question: str, partition: str, group: str) -> Suppression | None:
        for s in self.suppressed:
            if (s.question, s.partition, s.group) == (question, partition, group):
                return s
        return None

    def is_shown(self, question: str, partition: str, group: str) -> bool:
        return self.lookup(question, partition, group) is None

    def records(self) -> list[dict]:
        return [s.__dict__ | {"k": self.k} for s in self.suppressed]


def derived_group_ok(*sizes: int, k: int) -> bool:
    """A comparison of ad-hoc subgroups (e.g. "kommuner med mødefora på alle niveauer") is
    printed only when every subgroup has at least ``k`` answers."""
    return all(n >= k for n in sizes)


def plan_partition(question: str, partition: str, sizes: pd.Series, k: int,
                   unanimous: frozenset[str] = frozenset(),
                   filtered: frozenset[str] = frozenset()) -> list[Suppression]:
    """Primary and secondary suppressions of one question in one partition: a group with
    fewer than ``k`` answers, one of ``unanimous`` (whose answers are all, or all but one, the
    same) or one of ``filtered`` (where the question it is asked after is suppressed) is
    suppressed; where exactly one is, the next smallest group is too.

    Examples
    --------
    >>> sizes = pd.Series({"A": 3, "B": 6, "C": 9})
    >>> [(s.group, s.reason) for s in plan_partition("q", "region", sizes, 5)]
    [('A', 'primary'), ('B', 'secondary')]
    >>> [(s.group, s.reason) for s in plan_partition("q", "region", sizes, 5, frozenset({"C"}))]
    [('A', 'primary'), ('C', 'unanimous')]
    >>> [(s.group, s.reason) for s in plan_partition("q", "region", sizes, 5,
    ...                                              filtered=frozenset({"C"}))]
    [('A', 'primary'), ('C', 'filter')]
    """
    primary = [g for g, n in sizes.items() if n < k]
    out = [Suppression(question, partition, str(g), int(sizes[g]), "primary") for g in primary]
    alike = [g for g, n in sizes.items() if str(g) in unanimous and g not in primary and n > 0]
    out += [Suppression(question, partition, str(g), int(sizes[g]), "unanimous") for g in alike]
    after = [g for g in sizes.index
             if str(g) in filtered and g not in primary and g not in alike]
    out += [Suppression(question, partition, str(g), int(sizes[g]), "filter") for g in after]
    shown = sizes.drop(primary + alike + after).sort_values(kind="stable")
    if len(primary) + len(alike) + len(after) == 1 and len(shown) > 0:
        g = shown.index[0]
        out.append(Suppression(question, partition, str(g), int(shown[g]), "secondary"))
    return out


def make_plan(group_sizes: dict[tuple[str, str], pd.Series], k: int,
              unanimous: dict[tuple[str, str], frozenset[str]] | None = None,
              asked_after: dict[str, tuple[str, ...]] | None = None) -> Plan:
    """The plan for every (question, partition): ``group_sizes`` maps it to answers per group,
    ``unanimous`` to the groups whose answers are all, or all but one, the same;
    ``asked_after`` maps a question to the questions its skip logic asks it after (whose
    suppressions it inherits).

    >>> sizes = {("q", "g"): pd.Series({"A": 9, "B": 9}),
    ...          ("f", "g"): pd.Series({"A": 9, "B": 9})}
    >>> plan = make_plan(sizes, 5, {("f", "g"): frozenset({"A"})}, {"q": ("f",)})
    >>> sorted((s.question, s.group, s.reason) for s in plan.suppressed)
    [('f', 'A', 'unanimous'), ('f', 'B', 'secondary'), ('q', 'A', 'filter'), ('q', 'B', 'filter')]
    """
    after = asked_after or {}
    planned: dict[tuple[str, str], list[Suppression]] = {}

    def plan(question: str, partition: str, seen: tuple[str, ...] = ()) -> list[Suppression]:
        if (question, partition) not in planned:
            if question in seen:
                raise ValueError(f"the skip logic of {question!r} asks it after itself")
            filtered = frozenset(s.group for other in after.get(question, ())
                                 if (other, partition) in group_sizes
                                 for s in plan(other, partition, seen + (question,)))
            planned[(question, partition)] = plan_partition(
                question, partition, group_sizes[(question, partition)], k,
                (unanimous or {}).get((question, partition), frozenset()), filtered)
        return planned[(question, partition)]

    suppressed: list[Suppression] = []
    for question, partition in sorted(group_sizes):
        suppressed.extend(plan(question, partition))
    return Plan(k=k, suppressed=tuple(suppressed))
