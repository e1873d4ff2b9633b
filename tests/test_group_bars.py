"""Figures 6-11 in a municipal edition: each statement's bar of all who answered, and under it
the bar of the municipality's size group (where the disclosure plan shows the group), the
municipality's own answer marked in the group's bar; the national report's figures as before."""

import re

import pandas as pd
import pytest
from municipal_editions_support import valid_codes

from analysis.report import danish, figures
from analysis.report.content import own, themes_figures as tf
from analysis.report.notebook import setup

# The group bar's label begins so (the source lines say »heraf jeres størrelsesgruppe«).
PREFIX = "Jeres størrelsesgruppe"
# The questions each figure of _figures counts, in the order its source line gives their N.
FIGURE_ITEMS = [("trin_boligorganisation", "trin_helhedsplan"), ("faelles_maal", "tillid"),
                ("vidensdeling",), ("ledelse_kunne_prioritere_hoejere",),
                ("ledelse_kommunikerer_maal", "medarbejdere_snitflader", "metodefrihed"),
                ("forum",)]
# How a source line prints a question's N and the size group's N after it: »…38, heraf jeres
# størrelsesgruppe 16«.
SOURCE_NS = re.compile(r"(\d[\d.]*), heraf jeres størrelsesgruppe (\d[\d.]*)")
AGREE = [("faelles_maal", "tillid"), ("vidensdeling",), ("ledelse_kunne_prioritere_hoejere",),
         ("ledelse_kommunikerer_maal", "medarbejdere_snitflader", "metodefrihed")]


def _figures(r):
    return [tf.trappe_figure(r), tf.agree_figure(r, 3, "faelles-maal-tillid"),
            tf.agree_figure(r, 5, "vidensdeling"), tf.priority_figure(r),
            tf.agree_figure(r, 6, "ledelse"), tf.forum_figure(r)]


@pytest.fixture
def drawn(monkeypatch):
    """What the figures hand the drawing functions: (function, rows drawn, marks)."""
    calls = []

    def spy(name, rows_of):
        original = getattr(figures, name)

        def call(data, marks, *args, **kwargs):
            calls.append((name, rows_of(data), marks))
            return original(data, marks, *args, **kwargs)
        monkeypatch.setattr(figures, name, call)

    spy("stacked_figure", lambda counts: list(counts.index))
    spy("share_bars_figure", lambda shares: list(shares.index))
    original = figures.staircase_figure

    def staircase(steps, shares, own_steps, **kwargs):
        calls.append(("staircase_figure", list(kwargs.get("rows") or shares), own_steps))
        return original(steps, shares, own_steps, **kwargs)
    monkeypatch.setattr(figures, "staircase_figure", staircase)
    return calls


def _label(size: str) -> str:
    """The group bar's label as the reader sees it: the prefix, then the size group's name
    (»Under 4.000 beboere«) with a lower-case first letter."""
    name = danish.SIZE_GROUPS[size]
    return f"{PREFIX}: " + name[0].lower() + name[1:]


def _survey_n(r, item: str, frame: pd.DataFrame) -> int:
    """How many in ``frame`` answered ``item`` validly, counted from the survey table: a
    multiple question's respondents are those with every option column filled in."""
    if item == "forum":
        options = list(r.national.question(item).options)
        return int(frame[options].notna().all(axis=1).sum())
    return len(valid_codes(r, frame, item))


def test_the_national_report_draws_one_bar_per_statement(drawn):
    r = setup(None)
    for figure in _figures(r):
        assert figure.group == ""
        assert PREFIX.lower() not in figure.figure.source.lower()
    for name, rows, marks in drawn:
        assert not any(PREFIX.lower() in str(row).lower() for row in rows), (name, rows)
        assert not marks, name


def test_a_municipal_edition_draws_its_size_group_under_every_statement(drawn):
    r = setup("Køge")
    assert r.m.answered
    label = _label(r.m.size_group)
    figs = _figures(r)
    for figure in figs:
        assert figure.group == label
    for name, rows, marks in drawn:
        group_rows = [row for row in rows if label in str(row)]
        assert len(group_rows) * 2 == len(rows), (name, rows)
        # the own answers are marked in the group's rows alone
        marked = [row for row, _ in marks] if isinstance(marks, list) else list(marks or {})
        assert marked and all(label in str(row) for row in marked), (name, marks)
    # every statement's group bar follows its bar of all who answered
    stacked = [rows for name, rows, _ in drawn if name == "stacked_figure"]
    for rows, items in zip(stacked, AGREE):
        for i, item in enumerate(items):
            short = r.national.question(item).short
            assert rows[2 * i].startswith(short) and tf.ALL_LABEL in rows[2 * i]
            assert rows[2 * i + 1].startswith(short) and label in rows[2 * i + 1]
    # every figure's source line gives each question's N and its size group's N, counted
    # from the survey table
    everyone = r.national.respondents
    group = everyone[everyone["size_group"] == r.m.size_group]
    for figure, items in zip(figs, FIGURE_ITEMS, strict=True):
        expected = [(_survey_n(r, item, everyone), _survey_n(r, item, group)) for item in items]
        printed = [(int(n.replace(".", "")), int(k.replace(".", "")))
                   for n, k in SOURCE_NS.findall(figure.figure.source)]
        assert printed == expected, (items, figure.figure.source)
        assert all(0 < k < n for n, k in expected), expected


def test_the_text_on_the_marks_says_they_are_in_the_groups_bar():
    r = setup("Køge")
    for figure in _figures(r):
        text = own.marks(figure)
        assert danish.quoted(figure.group) in text, text
    national = tf.agree_figure(setup(None), 3, "faelles-maal-tillid")
    assert PREFIX.lower() not in own.marks(national).lower()


def test_a_municipality_that_did_not_answer_gets_the_group_bars_unmarked(drawn):
    r = setup("Hørsholm")
    assert not r.m.answered
    for figure in _figures(r):
        assert figure.group == _label(r.m.size_group) and not figure.own
    assert drawn and all(not marks for _, _, marks in drawn)


def test_no_group_bar_under_the_threshold(data_copy, drawn):
    """A size group with fewer than k answers is never drawn: the plan withholds it (and, as
    the only withheld group, the other group too), and the figures keep their bars of all who
    answered, the municipality's own answer marked there."""
    r = setup("Køge", data_copy)
    n = int((r.national.valid("vidensdeling")["size_group"] == r.m.size_group).sum())
    above = setup("Køge", data_copy, k=n + 1)
    assert not above.national.plan.is_shown("vidensdeling", "size_group", above.m.size_group)
    drawn.clear()
    figure = tf.agree_figure(above, 5, "vidensdeling")
    assert figure.group == ""
    (_, rows, marks), = drawn
    assert rows == [above.national.question("vidensdeling").short]
    assert [row for row, _ in marks] == rows
    assert PREFIX.lower() not in own.marks(figure).lower()
    # at the threshold the group is shown, with its N
    at = setup("Køge", data_copy, k=n)
    assert tf.agree_figure(at, 5, "vidensdeling").group == _label(at.m.size_group)


def test_the_only_member_of_its_group_gets_no_group_bars(data_copy):
    from test_disclosure import _make_one_large
    _make_one_large(data_copy, "259")
    r = setup("259", data_copy, k=5)
    for figure in _figures(r):
        assert figure.group == ""
        assert "4.000 beboere og derover" not in figure.figure.source
    assert tf.own_group(r, ("tid_koordinering",)) is None


def test_group_counts_follow_the_scale():
    """The size group's counts of each answer on the scale, in the scale's order, as the survey
    table gives them for the group's respondents (not the whole country's)."""
    r = setup("Køge")
    counts = tf._group_counts(r, "tillid", r.m.size_group)
    answers = r.national.question("tillid").answers
    assert isinstance(counts, pd.Series)
    assert list(counts.index) == list(answers.values())
    everyone = r.national.respondents
    group = valid_codes(r, everyone[everyone["size_group"] == r.m.size_group], "tillid")
    whole = valid_codes(r, everyone, "tillid")
    expected = [int((group == code).sum()) for code in answers]
    assert [int(c) for c in counts] == expected
    # the group's counts are not the whole country's
    assert expected != [int((whole == code).sum()) for code in answers]
