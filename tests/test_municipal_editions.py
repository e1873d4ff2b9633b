"""Every municipal edition's recommendations and overview follow its data, checked without
rendering: the content the municipal passages print (``analysis.report.content.own`` and
``advice``) is computed for every municipality of the shipped data and of a second, differently
shaped dataset (municipal_editions_support.py).

* a respondent gets one recommendation for each gap its overview names, ranked by the stated
  rule (its size group where disclosure control shows it, else the country; ties in chapter
  order), and the edition states that rule once, before them;
* the overview says which answers each share counts, judges time and placement within the
  group as its rule text says, and numbers each gap with its recommendation;
* every comparison names its group (for the residents of the areas with a helhedsplan) and
  prints its N, the whole country before the size group.

How the edition says it (its sentences, what a non-respondent is promised, the figures' marks):
test_municipal_editions_text.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from municipal_editions_support import (FRONT, SATISFACTION, group_table_questions,  # noqa: F401
                                         comparison_frame, counted_share, editions,
                                         editions_of, reshaped, same_band)

from analysis.report import danish
from analysis.report.content import advice, own



def test_the_reshaped_dataset_has_what_it_is_built_for(reshaped):
    reports = editions_of(reshaped)
    answered = [r for r in reports if r.m.answered]
    assert len(reports) == 14 and len(answered) == 11
    plan = reports[0].national.plan
    assert not plan.is_shown("tillid", "size_group", "large")   # four large answers: hidden
    weakest = next(r for r in answered if r.m.answer("har_koordinator") == 2)
    # every rule but the coordinator's placement (asked only where there is a coordinator)
    # and the two satisfaction rows (an opinion of the own leaders: never a recommendation)
    assert advice.advice(weakest).triggered == set(advice.TRIGGERS) - {
        "placering", "adm_prioritering", "pol_prioritering"}


# ---------------------------------------------------------------- respondents

def test_one_recommendation_for_each_gap_of_the_overview(editions):
    respondents = [r for r in editions if r.m.answered]
    assert respondents
    for r in respondents:
        raad, oversigt = advice.advice(r), own.overview(r)
        assert set(oversigt.weak) == raad.triggered, r.m.name
        # two joined gaps (advice.JOINED) share one recommendation
        assert oversigt.n_gaps == len(raad.triggered), r.m.name
        assert raad.count == len(raad.order) == len(raad.triggered) - sum(
            raad.joined(gap) for gap in advice.JOINED if gap in raad.triggered), r.m.name
        assert len(oversigt.strong) + len(oversigt.weak) + len(oversigt.level) + \
            oversigt.unanswered == len(own.OVERVIEW), r.m.name
        # every row of the table is rated, and as many rows say "Kan styrkes" as there are
        # gaps, each with the number of its recommendation
        rated = {row[0]: row[-1].replace(own.NEAR_MARK, "").removesuffix(own.ADDED_MARK)
                 for row in oversigt.table.rows}
        gaps = [v for v in rated.values() if v.replace("\xa0", " ").startswith(own.GAP_LABEL)]
        assert len(gaps) == len(raad.triggered), r.m.name
        for name in raad.triggered:
            assert rated[own._overview_question(r, name)] == own.gap_label(raad.rank(name))


def _verdict_rule(n_gaps: int) -> str:
    """The front matter's cell that states the overview's rule for an edition with ``n_gaps``
    gaps, its labels filled in from ``own`` (the cell's words are the researchers')."""
    nb = nbformat.read(FRONT, as_version=4)
    condition = "oversigt.n_gaps > 0" if n_gaps else "oversigt.n_gaps == 0"
    # the rule's cell (one for each case, or one for both) and the sentence on the rows
    # compared with the whole country
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"
             and (("own.STRENGTH_LABEL" in c.source and "own.GAP_LABEL" in c.source
                   and (f"% hvis: {condition}\n" in c.source or "% hvis:" not in c.source))
                  or "own.COUNTRY_SHARED_LABEL" in c.source)]
    assert cells
    return re.sub(r"\{eval\}`own\.(\w+)`", lambda m: getattr(own, m.group(1)),
                  "\n".join(cells))


def test_the_overview_follows_its_stated_rule(editions):
    """A question judged by its answer alone is a strength exactly where the answer is one the
    column »Svar, der tælles med« names (»Foran gruppen« where fewer than half of the
    comparison group give such an answer, »Som gruppen« where half or more do, the line of the
    chapters' boxes; »landet« for »gruppen« where the group's figures are withheld); time is judged within the
    group: a gap where most of the group give the counted answer and the municipality does
    not; placement is a gap only
    in a fagforvaltning without a fixed internal forum; otherwise both name the part of the
    group on the municipality's side of the line, and the front matter's rule names every verdict
    the table uses (and no »Kan styrkes« where the table has none)."""
    for r in (r for r in editions if r.m.answered):
        raad, oversigt = advice.advice(r), own.overview(r)
        rule = _verdict_rule(oversigt.n_gaps)
        rows = {row[0]: row for row in oversigt.table.rows}
        for name in own.OVERVIEW:
            row = rows.get(own._overview_question(r, name))
            if row is None:
                continue
            # the marks of the added questions and of the rows near the line
            verdict = row[-1].replace(own.NEAR_MARK, "").removesuffix(own.ADDED_MARK)
            label = verdict.split("→")[0].split(" (")[0].replace("\xa0", " ").rstrip()
            assert danish.quoted(label) in rule, verdict      # the rule names it
            if not oversigt.n_gaps:
                assert not label.startswith(own.GAP_LABEL), (r.m.name, verdict)
            column, group, outside = advice.TRIGGERS[name]
            assert row[2] == own.counted_words(r, column, group, not outside)
            if name not in advice.MAJORITY and name not in advice.OPINION:
                basis = raad.basis(name)     # a strength: fewer than half of the group share it
                ahead = basis.count * 2 < basis.n
                expected = own.gap_label(raad.rank(name)) if raad.has(name) else \
                    (own.STRENGTH_LABEL if ahead else own.SHARED_LABEL) if raad.by_group(name) \
                    else own.COUNTRY_STRENGTH_LABEL if ahead else own.COUNTRY_SHARED_LABEL
                assert verdict == expected, (r.m.name, name, verdict)
                continue
            basis = raad.basis(name)
            outside_answer = advice._own_hit(r, name)
            same = basis.n - basis.count if outside_answer else basis.count
            if name == "placering":
                # chapter 5's rule: a gap only in a fagforvaltning without an internal forum
                q = r.national.question("koordinator_placering")
                gap = r.m.answer("koordinator_placering") in q.groups["fagforvaltning"] and \
                    r.m.answer("internt_forum") == 2
                assert raad.has(name) == gap, r.m.name
                if gap:
                    assert verdict == own.gap_label(raad.rank(name)), r.m.name
                    continue
            # the label says what it is relative to
            counted = f" ({same} af {basis.n} som kommunen)"
            if name in advice.OPINION:
                assert not raad.has(name), (r.m.name, name)     # never a recommendation
                continue    # counted by answer band (test_satisfaction_with_the_leaders_…)
            if name == "tid" and outside_answer and basis.count * 2 > basis.n:
                assert verdict == own.gap_label(raad.rank(name)), (r.m.name, name)
            elif same * 2 > basis.n:
                assert verdict == own.MAJORITY_LABEL + counted, (r.m.name, name)
            elif same * 2 < basis.n:
                assert verdict == own.MINORITY_LABEL + counted, (r.m.name, name)
            else:
                assert verdict == own.HALF_LABEL + counted, (r.m.name, name)
        # the rule names the three group verdicts as a legend, whichever the table uses
        for label in (own.MAJORITY_LABEL, own.MINORITY_LABEL, own.HALF_LABEL):
            assert danish.quoted(label) in rule, (r.m.name, label)


def test_time_is_counted_the_same_in_the_overview_and_its_chapter_table(editions):
    for r in (r for r in editions if r.m.answered and r.m.answer("tid_koordinering")):
        overview = {row[0]: row for row in own.overview(r).table.rows}
        # the chapter's full table (the edition prints only the rows the overview lacks)
        chapter = {row[0]: row for row in own.answers(r, 1, overview_rows=True).rows}
        label = r.national.question("tid_koordinering").short
        if label not in overview or label not in chapter:
            continue
        assert overview[label][2] == chapter[label][2]          # the answers counted
        share = chapter[label][3]                               # and the country's share
        assert overview[label][3].startswith(share), (overview[label], chapter[label])


def test_a_chapter_table_never_repeats_a_row_of_the_overview(editions):
    """A coordinator reads each answer once: the chapters' own-answers tables hold only the
    questions the overview (tabel 1) does not show, and a chapter whose questions are all in
    the overview has no table of its own."""
    for r in (r for r in editions if r.m.answered):
        shown = {row[0] for row in own.overview(r).table.rows}
        for chapter in own.OWN_ITEMS:
            table = own.answers(r, chapter)
            if table is None:
                continue
            assert not shown & {row[0] for row in table.rows}, (r.m.name, chapter)
        assert all(own.answers(r, chapter) is None for chapter in range(1, 6)), r.m.name


def test_every_rule_has_its_recommendation_cell():
    nb = nbformat.read(FRONT, as_version=4)
    named = {m.group(1) for c in nb.cells if c.cell_type == "markdown"
             for m in [re.search(r'^% hvis: raad\.has\("(\w+)"\)'
                                 r'( and (not )?raad\.joined\("\1"\))?'
                                 r'( and (not )?own\.printable\(r, "\1"\))?$', c.source, re.M)]
             if m}
    # an opinion of the municipality's leaders is never a gap, so it has no recommendation
    assert named == set(advice.TRIGGERS) - advice.OPINION


def test_the_ranking_follows_the_stated_rule(editions):
    for r in (r for r in editions if r.m.answered):
        raad = advice.advice(r)
        # with example data, the recommendations that only questions the 2015 report printed
        # results from decide come first: the answers to the added questions are invented
        # (read from the codebook here, not from advice). The placement is decided by the
        # internal forum's answer too, so the forum's recommendation that takes it up waits.
        def on_2015(name):
            deciding = {name, "internt_forum"} if name == "placering" else {name}
            return all(r.national.question(advice.question_id(
                r, advice.TRIGGERS[n][0])).published_2015 is not False for n in deciding)
        first = [n for n in raad.order if r.synthetic and on_2015(n)]
        assert list(raad.order[:len(first)]) == first, (r.m.name, raad.order)
        for part in (raad.order[:len(first)], raad.order[len(first):]):
            shares = [raad.basis(name).share for name in part]
            assert shares == sorted(shares, reverse=True), r.m.name
            # equal shares: the topic the report treats first comes first
            for a, b in zip(part, part[1:]):
                if raad.basis(a).share == raad.basis(b).share:
                    assert advice.CHAPTERS[a] <= advice.CHAPTERS[b], (a, b)
        for name in raad.triggered:
            shown = r.national.plan.is_shown(advice.question_id(r, advice.TRIGGERS[name][0]),
                                             "size_group", r.m.size_group)
            assert raad.by_group(name) == shown, (r.m.name, name)
            assert raad.among(name).startswith(f"de {danish.integer(raad.basis(name).n)} ")


def test_the_edition_states_the_ranking_rule_once_before_the_recommendations(editions):
    from analysis.report.dialect.cell import condition
    nb = nbformat.read(FRONT, as_version=4)
    heading = next(i for i, c in enumerate(nb.cells) if "# Anbefalinger til" in c.source)
    first = next(i for i, c in enumerate(nb.cells) if "% rang:" in c.source)
    intro = [c for c in nb.cells[heading + 1:first] if c.cell_type == "markdown"]
    rules_ = [c for c in intro if "følger af kommunens egne svar" in c.source]
    assert rules_
    assert not any("ville" in c.source or "Var der flere" in c.source for c in intro)
    for r in (r for r in editions if r.m.answered):
        raad = advice.advice(r)
        scope = {"r": r, "raad": raad, "oversigt": own.overview(r), "fakta": own.facts(r)}
        shown = [c.source for c in rules_ if eval(condition(c.source) or "True", scope)]
        if raad.none:
            assert not shown, r.m.name
            continue
        assert len(shown) == 1, (r.m.name, shown)
        text = shown[0]
        if raad.count == 1:
            continue
        assert "Anbefalingerne står i rækkefølge efter, hvor mange af de " in text, text
        assert "flest først" in text, text
        # it names the group the order is weighed by, with its computed count
        if raad.group_ranked:
            assert "de {eval}`raad.group_n` {eval}`fakta.group_words`" in text, text
            assert own.facts(r).group_words == danish.SIZE_GROUP_LONG[r.m.size_group]
        else:
            assert "kommuner i hele landet" in text, text


def test_every_gap_has_its_recommendation_or_the_overview_says_why_not():
    """Each question of the chapters' own tables is in the overview (with a recommendation
    where it is a gap), or is the one the overview says it leaves out, and why."""
    chapter_questions = {item for items in own.OWN_ITEMS.values() for item, group in items
                         if group is not None}
    overview = {advice.TRIGGERS[n][0] for n in own.OVERVIEW}
    assert chapter_questions - overview == {own.LEFT_OUT}
    nb = nbformat.read(FRONT, as_version=4)
    # the front matter says why, in two cells: with the coordinator's own answer, or without
    said = [c.source for c in nb.cells if "oversigt.left_out" in c.source]
    assert len(said) == 2, said
    for source in said:
        assert "ikke med i tabellen" in source and "siger ikke i sig selv" in source, source
    tailored = next(s for s in said if s.startswith("% hvis: oversigt.left_out_answer\n"))
    assert ("Den, der har svaret for {eval}`r.m.title`, er {eval}`oversigt.left_out_answer` "
            "i, at") in tailored, tailored
    for r in (r for r in editions_of(None) if r.m.answered):
        view = own.overview(r)
        code = r.m.answer(own.LEFT_OUT)
        q = r.national.question(own.LEFT_OUT)
        if code in q.answers and "ved ikke" not in q.answers[code].lower():
            # tailored: the coordinator's own answer
            assert view.left_out_answer == q.answers[code].lower(), (r.m.name, view)
        else:
            assert view.left_out_answer == "" and view.left_out, r.m.name


def _share_columns(table) -> list[int]:
    """The columns of a comparison: every column a group's share is printed in (the survey's
    respondents are not the whole country: their column says so)."""
    return [i for i, column in enumerate(table.columns)
            if column == danish.RESPONDENTS or column in danish.SIZE_GROUP_HEADINGS.values()]


def _check_n(table, size: str, in_cell: bool = False) -> None:
    columns = list(table.columns)
    group = own.group_heading(size)
    assert group in columns, columns                  # the size group is named
    # one short name, with the threshold of residents computed (as the prose's long name)
    assert group == danish.SIZE_GROUP_HEADINGS[size]
    assert danish.integer(danish.LARGE_THRESHOLD) in group
    # for the residents of the areas with a helhedsplan, never the municipality's population
    assert "beboere i områderne" in group.replace("\xa0", " ")
    shares = _share_columns(table)
    assert [columns[i] for i in shares] == [danish.RESPONDENTS, group]  # all of them first
    for i in shares:
        for row in table.rows:
            if in_cell:                               # ``69 % (16)``
                assert row[i] == "–" or re.fullmatch(r"\d+\xa0% \(\d[\d.]*\)", row[i]), row
                continue
            assert columns[i + 1] == "N", columns     # and each share has its N beside it
            share, n = row[i], row[i + 1]
            assert (share == "–") == (n == "–"), row
            assert n == "–" or re.fullmatch(r"\d[\d.]*", n), row
            assert share == "–" or share.endswith("%"), row
    if in_cell:
        assert "Tallet i parentes er N" in table.source, table.source


def test_every_comparison_prints_its_group_and_n(editions):
    for r in editions:
        size = r.m.size_group
        if r.m.answered:
            _check_n(own.overview(r).table, size, in_cell=True)
            for chapter in own.OWN_ITEMS:
                table = own.answers(r, chapter)
                if table is not None:               # N as in the overview: one format
                    _check_n(table, size, in_cell=True)
        else:
            _check_n(own.group_answers(r), size, in_cell=True)
        facts = own.facts(r).table
        headers = facts.columns[2:]
        register = r.national.register
        in_group = int((register["size_group"] == size).sum())
        assert headers == (f"{danish.COUNTRY} ({danish.n_text(len(register))})",
                           f"{own.group_heading(size)} ({danish.n_text(in_group)})")


def test_a_hidden_size_group_is_a_dash_with_its_footnote(reshaped):
    r = next(r for r in editions_of(reshaped) if r.m.answered and r.m.size_group == "large")
    table = own.overview(r).table
    group = table.columns.index(own.group_heading("large"))
    assert {row[group] for row in table.rows} == {"–"}
    assert table.notes and all("vises ikke" in note for note in table.notes)


# ---------------------------------------------------------------- the overview's rows



def test_satisfaction_with_the_leaders_is_neither_strength_nor_gap(editions):
    """Satisfaction with the leaders' prioritisation is the respondent's opinion of the
    municipality's own leaders: its row says how many of the group answer as the municipality
    does (counted from the survey table), it is never »Foran gruppen« nor »Kan styrkes«, never a
    recommendation and never among the strengths to hold on to."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        oversigt, raad = own.overview(r), advice.advice(r)
        rows = {row[0]: row[-1] for row in oversigt.table.rows}
        for name, question in SATISFACTION.items():
            assert not raad.has(name) and name not in oversigt.strong + oversigt.keep
            if same_band(r, question) is None:
                continue
            same, n = same_band(r, question)
            word = own.MAJORITY_LABEL if 2 * same > n else \
                own.MINORITY_LABEL if 2 * same < n else own.HALF_LABEL
            verdict = rows[own._overview_question(r, name)]
            assert verdict.startswith(f"{word} ({same} af {n} som kommunen)"), \
                (r.m.name, verdict)
            assert not verdict.startswith((own.STRENGTH_LABEL, own.GAP_LABEL)), verdict
            checked += 1
    assert checked


def test_the_near_mark_is_on_the_rows_one_municipality_can_move(editions):
    """A † follows the verdict exactly where one municipality more or fewer with a counted
    answer (for satisfaction: in the municipality's own band, the count its label gives) gives
    the row another label (counted from the survey table), and only there."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        oversigt = own.overview(r)
        rows = {row[0]: row[-1] for row in oversigt.table.rows}
        for name in own.OVERVIEW:
            verdict = rows.get(own._overview_question(r, name))
            if verdict is None or advice.triggers(r, name):
                continue
            column, group, outside = advice.TRIGGERS[name]
            frame, _ = comparison_frame(r, advice.question_id(r, column))
            count, n = counted_share(r, frame, column, group, outside)
            if name in SATISFACTION:     # the label counts the own answer's band (see above)
                count, n = same_band(r, SATISFACTION[name])
            within = name in advice.MAJORITY or name in advice.OPINION

            def label(c):
                return (2 * c > n) - (2 * c < n) if within else 2 * c < n
            near = any(label(c) != label(count) for c in (count - 1, count + 1) if 0 <= c <= n)
            assert verdict.endswith(own.NEAR_MARK) == near, (r.m.name, name, verdict)
            checked += 1
    assert checked


def test_the_size_groups_table_puts_the_2015_questions_first():
    """The table of a non-respondent's size group shows the questions the 2015 report
    published first, and marks each added one (the codebook's published_2015: false, unless
    asked_2015: true: asked in 2015, no results printed, listed after but not marked)."""
    r = next(r for r in editions_of(None) if not r.m.answered)
    table = own.group_answers(r)

    def question(n):
        return r.national.question(advice.question_id(r, advice.TRIGGERS[n][0]))

    shown = group_table_questions(r)
    published = [own._overview_question(r, n) for n in shown
                 if question(n).published_2015 is not False]
    rest = [own._overview_question(r, n) + (own.ADDED_MARK if not question(n).asked_2015 else "")
            for n in shown if question(n).published_2015 is False]
    assert published and rest and any(not q.endswith(own.ADDED_MARK) for q in rest)
    assert [row[0] for row in table.rows] == published + rest


def test_the_time_row_and_chapter_one_count_the_same_group(editions):
    """Chapter 1's box places the time in the group's spread and also says how many of the
    group use more than a half-time post: the count the overview's time row rests on."""
    checked = 0
    for r in (r for r in editions if r.m.answered):
        stand = own.standing(r, 1)
        if not stand.time_n:
            continue
        frame = r.national.respondents
        frame = frame[frame["size_group"] == r.m.size_group]
        q = r.national.question("tid_koordinering")
        codes = pd.to_numeric(frame["tid_koordinering"], errors="coerce").dropna().astype(int)
        codes = codes[codes.isin(list(q.answers))]
        above = int((~codes.isin(q.groups["halvtid_eller_mindre"])).sum())
        assert (stand.time_above_half, stand.time_n) == (above, len(codes)), r.m.name
        raad = advice.advice(r)
        if raad.by_group("tid") and not raad.has("tid") and not advice._own_hit(r, "tid"):
            rows = {row[0]: row[-1] for row in own.overview(r).table.rows}
            assert f"({above} af {len(codes)} som kommunen)" in \
                rows[own._overview_question(r, "tid")]
            checked += 1
    # (the shipped data has such editions, Køge among them; the reshaped data need not)
