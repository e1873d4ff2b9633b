"""Where the municipality stands in one chapter's own-answers table (:func:`standing`): on how
many of the chapter's questions it gives one of the answers the tables count, where it gives
such an answer that fewer than half of its size group give (it is ahead of most of the group),
where it gives one as more than half of the group do (in line with the group), where most of
the group give one and it does not, and where the group splits in half. The chapters' boxes
say it in sentences written in the notebooks; this module gives them the counts (the group's
only: the overview gives the shares and the whole country's), the yes/no values and the quoted
questions.

The questions are those of the overview (:data:`~analysis.report.content.own_words.OVERVIEW`):
the statement the overview leaves out (:data:`~analysis.report.content.own_words.LEFT_OUT`) is
neither a strength nor a gap, so it is not counted here either. Every count names its group,
the size group where disclosure control shows it, else the whole country.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.report import danish
from analysis.report.content import advice as rules
from analysis.report.content.own_answers import (BASE_GROUP, BASE_OWN,
                                                 OWN_ITEMS)
from analysis.report.content.own_verdicts import _noun, printable
from analysis.report.content.own_words import LEFT_OUT, NOUNS, OVERVIEW, SIDES
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report


@described
@dataclass(frozen=True)
class Standing:
    """The municipality's answers to one chapter's questions against its size group and the
    whole country."""

    n: int = value("The chapter's questions the municipality gave a valid answer to (the "
                   "statement the overview leaves out is not counted).", BASE_OWN,
                   default=0)
    counted: int = value("Of those, how many it answered with one of the answers the tables "
                         "count.", BASE_OWN, default=0)
    ahead_words: str = value("The questions where it gives a counted answer that fewer than "
                             "half of its group give, quoted, each with the group's count "
                             "(``5 af 16 i gruppen``; '' if none).",
                             BASE_GROUP,
                             default="")
    n_ahead: int = value("How many questions ``ahead_words`` names.",
                         BASE_GROUP, default=0)
    behind_words: str = value("The questions where most of its group give a counted answer and "
                              "it does not, quoted, each with the group's count ('' if "
                              "none).",
                              BASE_GROUP, default="")
    n_behind: int = value("How many questions ``behind_words`` names.",
                          BASE_GROUP, default=0)
    placement_with_forum: bool = value("The chapter has the coordinator's placement, and it "
                                       "is no gap, since the coordinator sits in a "
                                       "fagforvaltning and the municipality has a fixed "
                                       "cross-disciplinary forum.",
                                       BASE_OWN, default=False)
    shared_words: str = value("The questions where it gives a counted answer, as more than "
                              "half of its group do (in line with the group), quoted, each "
                              "with the group's count ('' if none).",
                              BASE_GROUP, default="")
    n_shared: int = value("How many questions ``shared_words`` names.", BASE_GROUP,
                          default=0)
    half_words: str = value("The questions where exactly half of its group give a counted "
                            "answer, quoted, each with the group's count ('' if none).",
                            BASE_GROUP, default="")
    n_half: int = value("How many questions ``half_words`` names.",
                        BASE_GROUP, default=0)
    ahead_nouns: str = value("The questions of ``ahead_words`` in plain words (``et fast "
                             "mødeforum … på strategisk niveau``), each with its count where "
                             "``ahead_words`` has one ('' if none).", BASE_GROUP, default="")
    shared_nouns: str = value("The questions of ``shared_words`` in plain words, as "
                              "``ahead_nouns`` ('' if none).", BASE_GROUP, default="")
    left_out_shown: bool = value("The chapter's table holds the statement the overview leaves "
                                 "out (»Lederne kunne prioritere arbejdet højere«), answered by "
                                 "the municipality: a row that is neither strength nor gap.",
                                 BASE_OWN, default=False)
    answered_words: str = value("The overview's rows of the chapter's questions the "
                                "municipality answered, quoted (»Tværfagligt forum«, "
                                "»Vidensdeling«).", BASE_OWN, default="")
    time_n: int = value("The size group's municipalities with a valid answer to the weekly "
                        "time to coordination, the municipality included (0 where the chapter "
                        "has no such answer or the group is not shown): the time is placed in "
                        "the group's distribution, never judged by the majority.", BASE_GROUP,
                        default=0)
    time_less: int = value("Of ``time_n``, how many use less time than the municipality.",
                           BASE_GROUP, default=0)
    time_same: int = value("Of ``time_n``, how many give its answer, the municipality "
                           "included.", BASE_GROUP, default=0)
    time_more: int = value("Of ``time_n``, how many use more time than the municipality.",
                           BASE_GROUP, default=0)
    time_above_half: int = value("Of ``time_n``, how many use more than a half-time post (the "
                                 "answers the overview counts for the time row).", BASE_GROUP,
                                 default=0)
    with_group: bool = value("On every question it answers as more than half of its group do "
                             "(nothing sets it apart, nothing is behind, no tie; every "
                             "question's group figure shown).",
                             BASE_GROUP, default=False)

    @property
    def all_counted(self) -> bool:
        """It answered every question of the chapter with a counted answer (and there are
        at least two)."""
        return self.n > 1 and self.counted == self.n

    @property
    def one_counted(self) -> bool:
        """The chapter has one question it answered, and it gave a counted answer."""
        return self.n == 1 and self.counted == 1

    @property
    def some_counted(self) -> bool:
        """It answered some, not all, of the chapter's questions with a counted answer."""
        return 0 < self.counted < self.n

    @property
    def none_counted(self) -> bool:
        """It gave no counted answer to the chapter's questions (but answered some)."""
        return self.n > 0 and self.counted == 0

    @property
    def all_words(self) -> str:
        """``begge`` or ``alle tre``: every one of the questions."""
        return "begge" if self.n == 2 else f"alle {danish.count_word(self.n)}"

    @property
    def counted_words(self) -> str:
        """``to af de tre``."""
        counted = "ét" if self.counted == 1 else danish.count_word(self.counted)  # et spørgsmål
        return f"{counted} af de {danish.count_word(self.n)}"


def _rules_of(chapter: int) -> list[str]:
    columns = [item for item, _ in OWN_ITEMS[chapter]]
    return [name for name in OVERVIEW if rules.TRIGGERS[name][0] in columns]


def _label(report: Report, name: str) -> str:
    from analysis.report.content.own_overview import _overview_question
    return danish.quoted(_overview_question(report, name))


def _shares(raad, name: str) -> str:
    """``5 af 16 i gruppen``: how many of the size group give a counted answer (the boxes
    name only questions whose group figure is shown; the overview, tabel 1, gives the shares
    and the whole country's)."""
    return f"{raad.group(name).of} i gruppen"


def standing(report: Report, chapter: int) -> Standing:
    """The municipality's standing in the chapter (empty for the national report and for a
    municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Standing()
    raad = rules.advice(report)
    n = counted = 0
    ahead, behind, half, shared = [], [], [], []
    nouns = ([], [])  # ahead, shared
    answered = []
    time = {}
    all_in_group = True
    for name in _rules_of(chapter):
        hit = rules._own_hit(report, name)
        if hit is None:
            continue
        n += 1
        answered.append(_label(report, name))
        if not raad.by_group(name):
            # the size group's figure is suppressed (disclosure): no sentence may set the
            # municipality against the group on this question
            all_in_group = False
            counted += not hit
            continue
        if name == TIME:
            counted += not hit
            time = _time_spread(report)
            continue
        if name in rules.OPINION:
            # an opinion of the municipality's own leaders: the overview counts the group
            # members who share it (own_verdicts.opinion_band), and no sentence here sets it
            # ahead of, behind or with the group by the satisfied share, which would say
            # otherwise
            all_in_group = False
            counted += not hit
            continue
        basis = raad.basis(name)
        count = f" ({_shares(raad, name)})" if printable(report, name) else ""
        item = _label(report, name) + count
        noun = (_noun(report, name) if name in NOUNS
                else SIDES[name][0].removeprefix("har ")) + count
        if basis.count * 2 == basis.n:
            half.append(item)
        if not hit:
            counted += 1
            if basis.count * 2 < basis.n:
                ahead.append(item)
                nouns[0].append(noun)
            elif basis.count * 2 > basis.n:
                shared.append(item)
                nouns[1].append(noun)
        elif basis.count * 2 > basis.n:
            behind.append(item)
    return Standing(n=n, counted=counted,
                    answered_words=danish.enumerate_words(answered) if answered else "",
                    ahead_words=danish.enumerate_words(ahead) if ahead else "",
                    n_ahead=len(ahead),
                    behind_words=danish.enumerate_words(behind) if behind else "",
                    n_behind=len(behind),
                    placement_with_forum=("placering" in _rules_of(chapter)
                                          and rules.forum_carries_placement(report)),
                    half_words=danish.enumerate_words(half) if half else "", n_half=len(half),
                    shared_words=danish.enumerate_words(shared) if shared else "",
                    n_shared=len(shared),
                    ahead_nouns=_nouns(nouns[0]), shared_nouns=_nouns(nouns[1]),
                    with_group=(n > 0 and all_in_group and not ahead and not behind
                                and not half),
                    left_out_shown=_left_out_shown(report, chapter), **time)


def _nouns(items: list[str]) -> str:
    """The questions in plain words, the forum levels said once (``et fast mødeforum … på
    taktisk og udførende niveau``) where they stand without counts."""
    forum, level = NOUNS["forum_strategisk"].rsplit(" ", 2)[0] + " ", " niveau"
    if len(items) > 1 and all(i.startswith(forum) and i.endswith(level) for i in items):
        return forum + danish.enumerate_words([i[len(forum):-len(level)] for i in items]) + level
    return danish.enumerate_words(items) if items else ""


# The time to coordination: a scale where »as most do« would hide how the group spreads.
TIME = "tid"


def _time_spread(report: Report) -> dict:
    """How many of the size group use less time, the same and more than the municipality."""
    column = rules.TRIGGERS[TIME][0]
    size = report.municipality.size_group
    counts = [int(c) for c in report.national.distribution(column, "size_group")[size]]
    own = list(report.national.question(column).answers).index(report.municipality.answer(column))
    q = report.national.question(column)
    at_most_half = set(q.groups[rules.TRIGGERS[TIME][1]])
    above = sum(n for code, n in zip(q.answers, counts) if code not in at_most_half)
    return dict(time_n=sum(counts), time_less=sum(counts[:own]), time_same=counts[own],
                time_more=sum(counts[own + 1:]), time_above_half=above)


def _left_out_shown(report: Report, chapter: int) -> bool:
    """The chapter's table shows the municipality's answer to the left-out statement."""
    if LEFT_OUT not in [item for item, _ in OWN_ITEMS[chapter]]:
        return False
    q = report.national.question(LEFT_OUT)
    return report.municipality.answer(LEFT_OUT) in q.answers
