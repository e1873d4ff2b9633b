"""Every municipal edition's text says what its data give, checked without rendering, for every
municipality of the shipped data and of a second, differently shaped dataset
(municipal_editions_support.py):

* a respondent's gaps as the front matter prints them are sentences naming every gap, its
  strengths paragraph gives the table's line of »Foran gruppen« and leaves the strengths to the
  section after the conclusion, every quantifier is supported by its numbers, every count of
  the rows judged within the group is in them, and the group's counts are said once to include
  the municipality itself;
* a non-respondent's title and introduction promise nothing it does not hold, and its edition
  says once that it did not answer;
* the text describes the marks in the figures with the figures' own labels.

The recommendations, the overview's rule and the N of every comparison: test_municipal_editions.py.
"""

from __future__ import annotations

import functools
import itertools
import re

import nbformat
import pytest
from municipal_editions_support import (FRONT, NOTEBOOKS, SATISFACTION,  # noqa: F401
                                         group_table_questions,
                                         editions, editions_of, reshaped, same_band,
                                         same_side)

from analysis.report import danish, dialect, inline
from analysis.report.content import advice, front, own
from analysis.report.dialect import tags as audience
from analysis.report.notebook import setup


# ---------------------------------------------------------------- strengths and gaps in words

STRENGTHS, GAPS = "**Styrker.**", "**Her kan samarbejdet styrkes.**"
# The strengths paragraph names no strength: it gives the line of »Foran gruppen« in the table and
# points to the section after the conclusion, where each strength is discussed once.
STRENGTH_LINE = ("betyder, at kommunen selv er blandt dem, andelen tæller, og at gruppens "
                 "andel er under halvdelen")
COUNT = re.compile(r"(\d+) af (?:de )?(\d+)")     # »k af n«, »k af de n«


def _printed(r, marker: str) -> list[str]:
    """The front matter's paragraphs with ``marker`` in their source as the edition of ``r``
    prints them (the cells whose condition holds, values filled in), without a bold lead-in."""
    scope = {"r": r, "oversigt": own.overview(r), "count_word": danish.count_word, "own": own,
             "raad": advice.advice(r)}
    cells = [(src, dialect.read(src)) for nb, src, _ in _cells(audience.ANSWERED)
             if nb == FRONT.stem and marker in src]
    return [re.sub(r"^\*\*.*?\*\* ", "", re.sub(r"\\(.)", r"\1", inline.resolve(
                src, {e: str(eval(e, scope)) for e in cell.expressions})))
            for src, cell in cells if cell.condition is None or eval(cell.condition, scope)]


# The sentence that says once, in the rule of the table's verdicts, that the group's counts
# include the municipality itself (the counts' sentences do not repeat it).
INCLUDED_ONCE = "Gruppens tal tæller overalt kommunen selv med"
REPEATED = "kommunen selv medregnet"


def test_the_rule_of_the_verdicts_says_once_that_the_group_counts_the_municipality():
    rules = [src for nb, src, _ in _cells(audience.ANSWERED)
             if nb == FRONT.stem and "own.STRENGTH_LABEL" in src and "own.GAP_LABEL" in src]
    # one rule cell (or one for an edition with gaps and one without), each saying it once
    assert len(rules) in (1, 2) and all(src.count(INCLUDED_ONCE) == 1 for src in rules), rules
    # and no other passage of a respondent's edition repeats it
    assert not [src for _, src, _ in _cells(audience.ANSWERED) if REPEATED in src]


def _expected(r):
    """From advice's rules and counts: the strengths, those at most a third of the group share
    (in the table's order), the gaps, and the questions judged within the group that are no gap."""
    raad = advice.advice(r)
    answered = [n for n in own.OVERVIEW if advice.triggers(r, n) is not None]
    within = {*advice.MAJORITY, *advice.OPINION}     # judged within the group
    strong = [n for n in answered if n not in within and not advice.triggers(r, n)]
    # in the table's order: a share one municipality can move is no ranking
    rare = [n for n in strong if raad.basis(n).count * 3 <= raad.basis(n).n]
    return (strong, rare, [n for n in answered if advice.triggers(r, n)],
            [n for n in answered if n in within and not advice.triggers(r, n)])


def test_strengths_and_gaps_are_sentences_that_name_every_gap(editions):
    for r in (r for r in editions if r.m.answered):
        oversigt = own.overview(r)
        strong, rare, weak, _ = _expected(r)
        assert (set(oversigt.strong), list(oversigt.rare)) == (set(strong), rare), r.m.name
        # no paragraph on the strengths (the rule says once what »Foran gruppen« means, test below)
        # and one on the gaps, naming every gap
        assert not _printed(r, STRENGTHS), r.m.name
        printed = _printed(r, GAPS)
        assert len(printed) == (1 if weak else 0), (r.m.name, printed)
        if not printed:
            continue
        text = printed[0]
        assert text[0].isupper() and text.endswith("."), text
        # sentences with a verb, not a list of the table's labels, and no chain of »at«
        labels = [own._overview_question(r, name).lower() for name in weak]
        for first, second in zip(labels, labels[1:]):
            bare = rf"{re.escape(first)}, {re.escape(second)}(?=[,.]| og )"
            assert not re.search(bare, text.lower()), text
        assert not re.search(r"\bat [^.]*, at [^.]*, at\b", text), text
        for sentence in re.split(r"(?<=\.)\s+(?=[A-ZÆØÅ])", text):
            assert re.search(r"\b(har|er|når|ligger|bruger|skiller|deler|svarer|tager)\b",
                             sentence), sentence
        # every gap is in them, in the words the overview has for it
        levels = [n for n in weak if own.WORDS[n][0] == "forum"]
        for name in weak:
            kind, words = own.WORDS[name]
            if kind == "forum" and len(levels) == len(own.FORUM_LEVELS):
                words = danish.count_word(len(levels)) + " niveauer"   # »alle tre niveauer«
            assert words in text, (name, text)
        # a gap said once: where the placement is a gap, its sentence says the forum it
        # needs is missing, and no other sentence says so again
        if "placering" in weak:
            assert text.count("tværfagligt mødeforum") == 1, text
        # and the recommendations after the conclusion take them up
        # (two joined gaps may share one recommendation, so not »én for hvert punkt«)
        last = text.rsplit(". ", 1)[-1]
        if len(weak) == 1:
            assert last == "Anbefalingen efter konklusionen tager det op.", text
        else:
            assert last.startswith("Anbefalingerne efter konklusionen tager dem op"), text
            assert "én for hvert punkt" not in last or not any(
                advice.advice(r).joined(n) for n in weak), text


def test_the_rule_gives_the_line_of_a_strength_once():
    """The table's rule says once what »Foran gruppen« means (an answer fewer than half of the group
    give, the line of the chapters' boxes), names no strength and counts nothing; no separate
    strengths paragraph says it again."""
    rules = [src for nb, src, _ in _cells(audience.ANSWERED)
             if nb == FRONT.stem and "own.STRENGTH_LABEL" in src and "own.GAP_LABEL" in src]
    assert rules
    for src in rules:
        assert f"»{{eval}}`own.STRENGTH_LABEL`« {STRENGTH_LINE}" in src, src
        assert not COUNT.findall(src), src
    assert not [src for _, src, _ in _cells(audience.ANSWERED) if STRENGTHS in src]


def test_an_edition_without_gaps_still_gets_a_next_step(editions):
    """Where no answer is a gap (no recommendation), the section after the conclusion still
    ends with something to do: the chapters' »Gode råd« and the strengths to hold on to where
    there are any; an edition with recommendations gets none of it. The rows marked † are
    named once, whether or not there are recommendations."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        raad, oversigt = advice.advice(r), own.overview(r)
        none = not raad.triggered
        assert len(_printed(r, "## Næste skridt")) == none, r.m.name
        assert len(_printed(r, "**Brug de gode råd.**")) == none, r.m.name
        assert len(_printed(r, "**Sig højt, hvad der virker.**")) == (
            none and bool(oversigt.keep)), r.m.name
        # the rows marked † are named once, in »Hold øje med«, not again as a step
        assert len(_printed(r, "markeret med †")) == bool(oversigt.edge), r.m.name
        checked += none
    assert checked


# Judged within the group: (a value only its sentence names, question, group, counted?, counted
# side, other side); the placement has no sentence (its count is in the table's label)
SIDES = {"tid": ("oversigt.time_answer`", "tid_koordinering", "halvtid_eller_mindre", False,
                 "mere end en halvtidsstilling", "højst en halvtidsstilling"),
         "placering": (None, "koordinator_placering", "borgmesterkontor", True, "", "")}


def test_every_quantifier_is_the_one_its_numbers_give(editions):
    for r in (r for r in editions if r.m.answered):
        raad, level = advice.advice(r), _expected(r)[3]
        for text in (*_printed(r, STRENGTHS), *_printed(r, GAPS)):
            assert "de fleste" not in text or re.search(r"de fleste af [^(]*\((\d+) af "
                                                        r"(\d+)\)", text), text
            for m in re.finditer(r"(\w+(?: \w+)*?) af kommunerne i (?:gruppen|hele landet) "
                                 r"\((\d+) af (\d+)\)", text):
                words, k, n = m.group(1), int(m.group(2)), int(m.group(3))
                assert words.endswith(own.quantity(k, n)), (words, k, n)
        # where no gap: its answer, then how many of the group it is compared with (itself
        # included) are on its side, in the words of that group and that side
        rows = {row[0]: row[-1] for row in own.overview(r).table.rows}
        for name, (marker, question, group, is_counted, counted, other) in SIDES.items():
            printed = _printed(r, marker) if marker else []
            # where chapter 1 sets the time beside the whole country's (a municipality at the
            # end of its size group nearest the other), the front matter does not say it again
            moved = name == "tid" and own.facts(r).compare_country
            assert len(printed) == (name in level and marker is not None and not moved), \
                (r.m.name, name)
            if name not in level:
                continue
            # the counts from the survey table (municipal_editions_support), not from advice
            on_counted = r.own_in(question, group) == is_counted
            same, n, by_group = same_side(r, question, group)
            # the table's label says how many of the group answer as the municipality does
            word = own.MAJORITY_LABEL if 2 * same > n else \
                own.MINORITY_LABEL if 2 * same < n else own.HALF_LABEL
            verdict = rows[own._overview_question(r, name)]
            assert verdict.startswith(f"{word} ({same} af {n} som kommunen)"), \
                (r.m.name, name, verdict)
            if marker is None or moved:
                continue
            side = re.escape(counted if on_counted else other)
            # the sentence sets the time beside the whole country's
            land_same, land_n, _ = same_side(r, question, group, whole=True)
            where = ("I hele landet, hvor kommuner af begge størrelser indgår, bruger"
                     if by_group else "I hele landet bruger")
            assert re.search(rf"^{re.escape(r.m.title)} .*\. {where} {land_same} af de "
                             rf"{land_n} kommuner {side}\.$", printed[0]), (r.m.name, printed[0])
    assert [own.quantity(k, 16) for k in (9, 8, 7, 16)] == [
        "lidt over halvdelen", "halvdelen", "under halvdelen", "alle"]


# ---------------------------------------------------------------- non-respondents

@functools.lru_cache(maxsize=None)
def _cells(kind: str) -> list[tuple[str, str, list[str]]]:
    """(notebook, source, tags) of every markdown cell a report of ``kind`` gets."""
    cells = [(path.stem, cell) for path in NOTEBOOKS
             for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"]
    return [(nb, cell.source, tags) for nb, cell in cells
            if audience.shown(tags := cell.metadata.get("tags", []), audience.applying(kind))]


def _municipal(cells):
    return [(nb, src) for nb, src, tags in cells if audience.audience(tags)]


def _introduction(cells) -> list[str]:
    """The front matter's cells before »Sådan har vi gjort«: title notice and introduction."""
    front_matter = (src for nb, src, _ in cells if nb == FRONT.stem)
    return list(itertools.takewhile(lambda src: not src.startswith("# Sådan har vi gjort"),
                                    front_matter))


PROMISES = re.compile(r"kommunens egne svar|anbefalinger(ne)? til kommunen|én side|"
                      r"samles anbefalingerne|egne svar og landsbilledet", re.I)
NEGATED = re.compile(r"hverken (?:vise )?kommunens egne svar", re.I)


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
            if re.search(r"besvarede slet ikke|har ikke besvaret", src)]
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
        assert len(own.group_answers(r).rows) == len(group_table_questions(r))


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
    """The overview's »under halvdelen« list names every strength fewer than half of the
    group share (the line the table's »Foran gruppen« and the chapters' boxes draw alike); the rule
    of »Hold øje med« (a row within one municipality of half) applies to every row, those to hold
    on to too, so one rule reads the same everywhere, and the rarest strengths are always
    among those to hold on to; a non-respondent's lists leave no shown row out, and its
    »mindst udbredte« list, when followed by the sentence on »those questions«, holds every
    question fewer than half of the group answer as counted."""
    from analysis.report.content.own_group import group_picture
    from analysis.report.content.own_overview import _edge
    from analysis.report.content.own_verdicts import rare_strengths
    checked = 0
    for r in editions:
        if r.m.answered:
            oversigt = own.overview(r)
            raad = advice.advice(r)
            rare = set(rare_strengths(r, oversigt.strong))
            under_half = [n for n in oversigt.strong if n not in rare
                          and raad.basis(n).count * 2 < raad.basis(n).n]
            assert oversigt.n_next == len(under_half)
            # one line for the table and the boxes: »Foran gruppen« exactly where a chapter's box
            # puts the question ahead of most of the group
            rows = {row[0]: row[-1].replace(own.NEAR_MARK, "").removesuffix(own.ADDED_MARK)
                    for row in oversigt.table.rows}
            ahead = set()
            for chapter in own.OWN_ITEMS:
                ahead |= set(re.findall(r"»([^«]+)«", own.standing(r, chapter).ahead_words))
            strengths = {q for q, v in rows.items() if v == own.STRENGTH_LABEL}
            # (time and placement, judged within the group, have labels of their own)
            in_group = {own._overview_question(r, n) for n in own.OVERVIEW
                        if raad.by_group(n) and n not in advice.MAJORITY
                        and n not in advice.OPINION}
            assert strengths & in_group == ahead & in_group, (r.m.name, strengths, ahead)
            # one rule for the rows near the line, strengths included: one municipality more
            # or fewer with a counted answer would give the row another label; the same rows
            # on p.5 and in »Hold øje med«
            assert tuple(oversigt.edge) == tuple(_edge(r, list(oversigt.strong),
                                                       list(oversigt.level)))

            def label(name, count, n):
                if name in advice.MAJORITY or name in advice.OPINION:   # majority, half, minority
                    return (2 * count > n) - (2 * count < n)
                return 2 * count < n                 # »Foran gruppen« or »Som gruppen«
            for n in list(oversigt.strong) + list(oversigt.level):
                count, total = raad.basis(n).count, raad.basis(n).n
                if n in SATISFACTION and same_band(r, SATISFACTION[n]) is not None:
                    count, total = same_band(r, SATISFACTION[n])   # its label's count
                near = total > 0 and any(label(n, c, total) != label(n, count, total)
                                         for c in (count - 1, count + 1) if 0 <= c <= total)
                assert (n in oversigt.edge) == near, (r.m.name, n, count, total)
            # the rarest strengths (the one that sets it apart most first) are always among
            # those to hold on to
            assert set(sorted(oversigt.rare, key=lambda n: raad.basis(n).share)[:3]) <= \
                    set(oversigt.keep), (r.m.name, oversigt.keep)
            checked += 1
        else:
            picture = group_picture(r)
            if picture.shown and picture.bottom_minority:
                for name in own.OVERVIEW:
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
        for name in group_table_questions(r):
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
