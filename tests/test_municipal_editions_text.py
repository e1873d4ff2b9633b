"""Every municipal edition's text says what its data give, checked without rendering, for every
municipality of the shipped data and of a second, differently shaped dataset
(municipal_editions_support.py):

* a respondent's strengths and gaps are sentences, the strengths that set it apart first with
  their counts, every quantifier supported by its numbers, and every gap is in them;
* a non-respondent's title and introduction promise nothing it does not hold, and its edition
  says once that it did not answer;
* the text describes the marks in the figures with the figures' own labels.

The recommendations, the overview's rule and the N of every comparison:
test_municipal_editions.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from municipal_editions_support import (FRONT, NOTEBOOKS, editions,  # noqa: F401
                                         editions_of, reshaped)

from analysis.report import danish
from analysis.report.content import advice, front, own
from analysis.report.dialect import tags as audience
from analysis.report.notebook import setup



# ---------------------------------------------------------------- strengths and gaps in words

def test_strengths_and_gaps_are_sentences_that_name_every_gap(editions):
    for r in (r for r in editions if r.m.answered):
        oversigt = own.overview(r)
        # the strengths name only those that set it apart (the others are left to the table)
        for text, names in ((oversigt.strengths, oversigt.rare if oversigt.strong else ()),
                            (oversigt.gaps, oversigt.weak)):
            if text and not names:
                assert "tabel" in text.lower(), text      # the strengths left to the table
                continue
            if not names:
                assert text == ""
                continue
            assert text[0].isupper() and text.endswith("."), text
            # sentences with a verb, not a list of the table's labels, and no chain of »at«
            labels = [own._overview_question(r, name).lower() for name in names]
            for first, second in zip(labels, labels[1:]):
                bare = rf"{re.escape(first)}, {re.escape(second)}(?=[,.]| og )"
                assert not re.search(bare, text.lower()), text
            assert not re.search(r"\bat [^.]*, at [^.]*, at\b", text), text
            for sentence in re.split(r"(?<=\.)\s+(?=[A-ZÆØÅ])", text):
                assert re.search(r"\b(har|er|når|ligger|bruger|skiller|deles)\b", sentence), \
                    sentence
            # every strength or gap is in them, in the words the overview has for it
            levels = [n for n in names if own.WORDS[n][0] == "forum" and n not in oversigt.rare]
            every = danish.count_word(len(own.FORUM_LEVELS)) + " niveauer"
            for name in names:
                kind, words = own.WORDS[name]
                if kind == "forum" and len(levels) == len(own.FORUM_LEVELS):
                    words = every            # »på alle tre niveauer«
                assert words in text, (name, text)


def _counted(text: str) -> list[tuple[str, int, int]]:
    """(the words before it, k, n) for every »k af n« in ``text``."""
    return [(text[:m.start()], int(m.group(1).replace(".", "")),
             int(m.group(2).replace(".", "")))
            for m in re.finditer(r"(\d[\d.]*) af (?:de )?(\d[\d.]*)", text)]


def test_the_strengths_that_set_it_apart_come_first_with_their_counts(editions):
    for r in (r for r in editions if r.m.answered):
        raad, oversigt = advice.advice(r), own.overview(r)
        # stand out: clearly a minority of the group, at most a third (computed)
        rare = [n for n in oversigt.strong
                if raad.basis(n).count * 3 <= raad.basis(n).n]
        assert set(oversigt.rare) == set(rare), r.m.name
        if oversigt.strong:
            # said once: the group's counts include the municipality itself
            assert oversigt.strengths.count(f"{r.m.title} er selv med i") == 1, \
                oversigt.strengths
        # no list of the common strengths
        assert "deles hver især" not in oversigt.strengths
        if not rare:
            assert "Særligt" not in oversigt.strengths
            continue
        assert oversigt.strengths.startswith(f"Særligt skiller {r.m.title} sig ud"), \
            oversigt.strengths
        lead = oversigt.strengths.split(". ")[0]
        # each with its count, the rarest first
        counts = [(k, n) for _, k, n in _counted(lead)]
        assert counts == [(raad.basis(n).count, raad.basis(n).n) for n in oversigt.rare]
        assert [k / n for k, n in counts] == sorted(k / n for k, n in counts)
        assert "højst en tredjedel" in lead


def test_every_quantifier_is_the_one_its_numbers_give(editions):
    for r in (r for r in editions if r.m.answered):
        oversigt = own.overview(r)
        for text in (oversigt.gaps, oversigt.strengths, oversigt.relative):
            assert "de fleste" not in text or re.search(r"de fleste af [^(]*\((\d+) af "
                                                        r"(\d+)\)", text), text
            for m in re.finditer(r"(\w+(?: \w+)*?) af kommunerne i (?:gruppen|hele landet) "
                                 r"\((\d+) af (\d+)\)", text):
                words, k, n = m.group(1), int(m.group(2)), int(m.group(3))
                assert words.endswith(own.quantity(k, n)), (words, k, n)
    assert own.quantity(9, 16) == "lidt over halvdelen"
    assert own.quantity(8, 16) == "halvdelen"
    assert own.quantity(7, 16) == "under halvdelen"
    assert own.quantity(16, 16) == "alle"


# ---------------------------------------------------------------- non-respondents

def _cells(kind: str) -> list[tuple[str, str, list[str]]]:
    """(notebook, source, tags) of every markdown cell a report of ``kind`` gets."""
    applying = audience.applying(kind)
    out = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "markdown" and audience.shown(tags, applying):
                out.append((path.stem, cell.source, tags))
    return out


def _municipal(cells):
    return [(nb, src) for nb, src, tags in cells if audience.audience(tags)]


def _introduction(cells) -> list[str]:
    """The front matter's cells before »Sådan har vi gjort«: title notice and introduction."""
    out = []
    for nb, src, _ in cells:
        if nb != FRONT.stem:
            continue
        if src.startswith("# Sådan har vi gjort"):
            break
        out.append(src)
    return out


PROMISES = re.compile(r"kommunens egne svar|anbefalinger(ne)? til kommunen|én side|"
                      r"samles anbefalingerne|egne svar og landsbilledet", re.I)
NEGATED = re.compile(r"hverken vise kommunens egne svar|besvarede ikke", re.I)


def test_a_non_respondent_is_promised_nothing_it_lacks():
    cells = _cells(audience.NOT_ANSWERED)
    for text in _introduction(cells):
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if PROMISES.search(sentence):
                assert NEGATED.search(sentence), sentence
    # no municipal passage of theirs speaks of its own answers as if it had some
    for nb, src in _municipal(cells):
        assert "own.answers(" not in src and "oversigt." not in src and "raad." not in src, nb


def test_a_non_respondent_is_told_once_that_it_did_not_answer():
    said = [(nb, src) for nb, src in _municipal(_cells(audience.NOT_ANSWERED))
            if re.search(r"besvarede (slet )?ikke|påbegyndte (\S+ )?spørgeskemaet|har ikke besvaret|"
                         r"ikke svaret", src)]
    # one cell for each kind of non-response (it began the questionnaire, or never answered;
    # the first told as the example data's where the data are synthetic), whose conditions
    # exclude each other, so that every edition says it once
    assert sorted(src.splitlines()[0] for nb, src in said) == [
        "% hvis: fakta.started and not r.synthetic", "% hvis: fakta.started and r.synthetic",
        "% hvis: not fakta.started"], said


def test_no_non_respondent_title_promises_own_answers(editions):
    non = [r for r in editions if not r.m.answered]
    assert non
    for r in non:
        page = front.title_page(r)
        assert not PROMISES.search(page.subtitle), page.subtitle
        assert advice.advice(r).none and own.overview(r).table is None
        # what the edition shows instead: its register facts against its size group and the
        # country, and the size group's answers
        assert own.facts(r).table is not None
        assert len(own.group_answers(r).rows) == len(own.OVERVIEW)


def test_a_respondent_title_promises_its_answers(editions):
    for r in (r for r in editions if r.m.answered):
        assert front.SUBTITLE_ANSWERED in front.title_page(r).subtitle


# ---------------------------------------------------------------- the marks in the figures

def test_the_text_describes_the_marks_with_the_figures_own_labels():
    from analysis.report.content import ch1, themes
    r = setup(kommune="Køge")
    staircase = own.marks(themes.trappe_figure(r))
    assert danish.quoted(danish.FIGURE_OWN_STEP) in staircase and "ramme" in staircase
    bars = own.marks(themes.forum_figure(r))
    assert danish.quoted(danish.FIGURE_OWN_YES) in bars and "ramme" not in bars
    stacked = ch1.time_figure(r)
    text = own.marks(stacked)
    assert f"{danish.FIGURE_OWN_ANSWERS}: {stacked.mark.answer}" in text
    # and no municipal passage speaks of a mark the figures do not draw
    for nb, src in _municipal(_cells(audience.ANSWERED)):
        assert not re.search(r"\bpil(en|e)?\b", src), (nb, src)


# ---------------------------------------------------------------- lists that are complete

def test_a_list_names_every_answer_its_rule_admits(editions):
    """The overview's »højst halvdelen« list names every strength at most half of the group
    share; the rule of »Hold øje med« (an answer next to the line) applies to every strength,
    those to hold on to too, so one rule reads the same everywhere; a
    non-respondent's »mindst udbredte« list, when followed by the sentence on »those
    questions«, holds every question fewer than half of the group answer as counted."""
    from analysis.report.content.own_group import group_picture
    from analysis.report.content.own_overview import _edge
    from analysis.report.content.own_verdicts import rare_strengths
    checked = 0
    for r in editions:
        if r.m.answered:
            oversigt = own.overview(r)
            raad = advice.advice(r)
            rare = set(rare_strengths(r, oversigt.strong))
            at_most_half = [n for n in oversigt.strong if n not in rare
                            and raad.basis(n).count * 2 <= raad.basis(n).n]
            assert oversigt.n_next == len(at_most_half)
            assert oversigt.edge == tuple(_edge(r, list(oversigt.strong),
                                                list(oversigt.level)))
            assert set(oversigt.edge) <= set(oversigt.strong) | {"tid"}
            checked += 1
        else:
            picture = group_picture(r)
            if picture.shown and picture.bottom_minority:
                for name in own.OVERVIEW:
                    if name in advice.MAJORITY:
                        continue
                    group = advice._size_group(r, r.m.size_group, *advice.TRIGGERS[name])
                    if group is not None and group.n and group.count * 2 < group.n:
                        label = danish.quoted(own._overview_question(r, name))
                        assert label in picture.bottom_words or label in picture.top_words
    assert checked


def test_without_a_coordinator_no_gap_is_put_in_a_coordinators_mouth(editions):
    """Where the municipality says it has no coordinator, its gaps are not put in a
    coordinator's mouth (»… har ikke en boligsocial koordinator. Koordinatoren er ikke …«)."""
    without = [r for r in editions if r.m.answered and r.m.answer("har_koordinator") == 2]
    assert without
    for r in without:
        words = own.overview(r).gaps
        assert "oordinatoren er" not in words, (r.m.name, words)


def test_the_largest_difference_names_every_question_that_has_it(editions):
    """A non-respondent's edition names the largest difference between its size group and the
    rest of the country (the group is part of the country) as the reader works it out from
    the printed shares, and every question that has it (time and placement are not
    compared)."""
    from analysis.report.content.own_overview import _overview_question
    checked = 0
    for r in (r for r in editions if not r.m.answered):
        picture = own.group_picture(r)
        if not picture.shown:
            continue
        diffs = {}
        for name in own.OVERVIEW:
            if name in advice.MAJORITY:
                continue
            g = advice._size_group(r, r.m.size_group, *advice.TRIGGERS[name])
            c = advice._country(r, *advice.TRIGGERS[name])
            if g is None or g.n == 0 or c.n - g.n <= 0:
                continue
            diffs[_overview_question(r, name)] = abs(
                danish.whole(100 * g.share) - danish.whole(100 * (c.count - g.count) / (c.n - g.n)))
        largest = max(diffs.values())
        assert picture.largest_points == largest, r.m.name
        named = {q for q in diffs if danish.quoted(q) in picture.largest_words}
        assert named == {q for q, d in diffs.items() if d == largest}, r.m.name
        checked += 1
    if not checked:
        pytest.skip("no municipality here that did not answer has its size group shown")


def test_the_size_group_is_tested_against_the_rest_of_the_country_not_the_whole():
    """The size group is part of the whole country, so a non-respondent's edition tests it
    against the other municipalities (the country's count and N minus the group's)."""
    from types import SimpleNamespace as S

    from analysis.report.content.own_group import _differs, _rest
    group, country = S(count=10, n=10), S(count=10, n=20)
    assert _rest(group, country) == (0, 10)
    assert _differs(group, country)                  # 10 of 10 against 0 of 10
    assert not _differs(S(count=5, n=10), country)   # 5 of 10 against 5 of 10
    assert not _differs(S(count=4, n=20), S(count=4, n=20))   # no one outside the group
