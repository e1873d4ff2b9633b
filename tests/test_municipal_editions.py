"""Every municipal edition's text follows its data, checked without rendering: the content the
municipal passages print (``analysis.report.content.own`` and ``advice``) is computed for every
municipality of the shipped data and of a second, differently shaped dataset built here.

* a respondent gets one recommendation for each gap its overview names, ranked by the stated
  rule (its size group where disclosure control shows it, else the country; ties in chapter
  order), and the edition states that rule once, before them;
* the overview says which answers each share counts, judges time and placement within the
  group as its rule text says, and numbers each gap with its recommendation;
* its strengths and gaps are sentences, the strengths that set it apart first with their
  counts, every quantifier supported by its numbers, and every gap is in them;
* every comparison names its group (for the residents of the areas with a helhedsplan) and
  prints its N, the whole country before the size group;
* a non-respondent's title and introduction promise nothing it does not hold, and its edition
  says once that it did not answer.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis.report import danish
from analysis.report.content import advice, front, own
from analysis.report.dialect import tags as audience
from analysis.report.notebook import setup

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
FRONT = PROJECT / "notebooks" / "00_forside.ipynb"


def _codes(data_dir: Path) -> list[str]:
    register = pd.read_csv(data_dir / "register" / "helhedsplaner.csv", dtype=str)
    return list(register["kommunekode"])


# ---------------------------------------------------------------- a second dataset

def _reshaped(tmp: Path) -> Path:
    """A copy of the shipped data shaped otherwise: 14 municipalities with a helhedsplan (the
    first ten small and four large ones of the register), eleven of them answering, all four
    large ones among them, so the large group has too few answers to be shown (and the small
    group is suppressed with it); two respondents leave questions unanswered or say »Ved
    ikke«, and one answers every question with the weakest answer."""
    data = tmp / "data"
    shutil.copytree(DATA, data)
    register_file = data / "register" / "helhedsplaner.csv"
    register = pd.read_csv(register_file, dtype=str)
    residents = register["beboere_i_omraader"].astype(int)
    keep = list(register[residents < 4000]["kommunekode"][:10]) + \
        list(register[residents >= 4000]["kommunekode"][:4])
    register[register["kommunekode"].isin(keep)].to_csv(register_file, index=False)
    survey_file = data / "survey" / "besvarelser.csv"
    answers = pd.read_csv(survey_file, dtype=str, keep_default_na=False)
    answers = answers[answers["kommunekode"].isin(keep)].copy()
    large = set(keep[10:])
    small_answering = [c for c in answers["kommunekode"] if c not in large][:7]
    answers = answers[answers["kommunekode"].isin(large | set(small_answering))].copy()
    answers["statoverall_4"] = "1"
    rows = answers.index
    answers.loc[rows[0], ["tillid", "vidensdeling"]] = ["8", "9"]
    answers.loc[rows[1], ["metodefrihed"]] = ["8"]
    weakest = {"har_koordinator": "2", "koordinator_placering": "", "tid_koordinering": "1",
               "tilfreds_adm_ledelse": "1", "tilfreds_pol_ledelse": "1",
               "ledelse_kunne_prioritere_hoejere": "5", "trin_boligorganisation": "1",
               "trin_helhedsplan": "1", "faelles_maal": "1", "tillid": "1",
               "vidensdeling": "1", "ledelse_kommunikerer_maal": "1",
               "medarbejdere_snitflader": "1", "metodefrihed": "1", "forum_strategisk": "0",
               "forum_taktisk": "0", "forum_udfoerende": "0", "internt_forum": "2"}
    for column, code in weakest.items():
        answers.loc[rows[2], column] = code
    answers.to_csv(survey_file, index=False)
    excerpts_file = data / "interviews" / "excerpts.csv"
    excerpts = pd.read_csv(excerpts_file, dtype=str, keep_default_na=False)
    excerpts.loc[~excerpts["kommunekode"].isin(keep), "kommunekode"] = ""
    excerpts.loc[excerpts["kommunekode"] == "", "maa_tilskrives_kommune"] = "nej"
    excerpts.to_csv(excerpts_file, index=False)
    return data


@pytest.fixture(scope="module")
def reshaped(tmp_path_factory) -> Path:
    return _reshaped(tmp_path_factory.mktemp("omformet"))


def _editions(data_dir: Path | None):
    return [setup(kommune=code, data_dir=data_dir) for code in _codes(data_dir or DATA)]


@pytest.fixture(scope="module", params=["shipped", "reshaped"])
def editions(request, reshaped):
    return _editions(None if request.param == "shipped" else reshaped)


def test_the_reshaped_dataset_has_what_it_is_built_for(reshaped):
    reports = _editions(reshaped)
    answered = [r for r in reports if r.m.answered]
    assert len(reports) == 14 and len(answered) == 11
    plan = reports[0].national.plan
    assert not plan.is_shown("tillid", "size_group", "large")   # four large answers: hidden
    weakest = next(r for r in answered if r.m.answer("har_koordinator") == 2)
    # every rule but the coordinator's placement (asked only where there is a coordinator)
    assert advice.advice(weakest).triggered == set(advice.TRIGGERS) - {"placering"}


# ---------------------------------------------------------------- respondents

def test_one_recommendation_for_each_gap_of_the_overview(editions):
    respondents = [r for r in editions if r.m.answered]
    assert respondents
    for r in respondents:
        raad, oversigt = advice.advice(r), own.overview(r)
        assert set(oversigt.weak) == raad.triggered, r.m.name
        assert oversigt.n_gaps == raad.count == len(raad.order), r.m.name
        assert len(oversigt.strong) + len(oversigt.weak) + len(oversigt.level) + \
            oversigt.unanswered == len(own.OVERVIEW), r.m.name
        # every row of the table is rated, and as many rows say "Kan styrkes" as there are
        # gaps, each with the number of its recommendation
        rated = {row[0]: row[-1] for row in oversigt.table.rows}
        gaps = [v for v in rated.values() if v.replace("\xa0", " ").startswith(own.GAP_LABEL)]
        assert len(gaps) == raad.count, r.m.name
        for name in raad.triggered:
            assert rated[own._overview_question(r, name)] == own.gap_label(raad.rank(name))


def test_the_overview_follows_its_stated_rule(editions):
    """A question judged by its answer alone is »Styrke« exactly where the answer is one the
    column »Andelen, der svarer« names; time and placement are judged within the group: a gap
    where most of the group give the counted answer and the municipality does not, otherwise
    the part of the group on the municipality's side of the line."""
    for r in (r for r in editions if r.m.answered):
        raad, oversigt = advice.advice(r), own.overview(r)
        rule = own.verdict_rule(r)
        rows = {row[0]: row for row in oversigt.table.rows}
        for name in own.OVERVIEW:
            row = rows.get(own._overview_question(r, name))
            if row is None:
                continue
            verdict = row[-1]
            label = verdict.split("→")[0].replace("\xa0", " ").rstrip()
            assert danish.quoted(label) in rule, verdict      # the rule names it
            column, group, outside = advice.TRIGGERS[name]
            assert row[2] == own.counted_words(r, column, group, not outside)
            if name not in advice.MAJORITY:
                expected = own.gap_label(raad.rank(name)) if raad.has(name) else \
                    own.STRENGTH_LABEL
                assert verdict == expected, (r.m.name, name, verdict)
                continue
            basis = raad.basis(name)
            outside_answer = advice._own_hit(r, name)
            same = basis.n - basis.count if outside_answer else basis.count
            if outside_answer and basis.count * 2 > basis.n:
                assert verdict == own.gap_label(raad.rank(name)), (r.m.name, name)
            elif same * 2 > basis.n:
                assert verdict == own.MAJORITY_LABEL, (r.m.name, name)
            elif same * 2 < basis.n:
                assert verdict == own.MINORITY_LABEL, (r.m.name, name)
            else:
                assert verdict == own.HALF_LABEL, (r.m.name, name)


def test_time_is_counted_the_same_in_the_overview_and_its_chapter_table(editions):
    for r in (r for r in editions if r.m.answered and r.m.answer("tid_koordinering")):
        overview = {row[0]: row for row in own.overview(r).table.rows}
        chapter = {row[0]: row for row in own.answers(r, 1).rows}
        label = r.national.question("tid_koordinering").short
        if label not in overview or label not in chapter:
            continue
        assert overview[label][2] == chapter[label][2]          # the answers counted
        share = chapter[label][3]                               # and the country's share
        assert overview[label][3].startswith(share), (overview[label], chapter[label])


def test_every_rule_has_its_recommendation_cell():
    nb = nbformat.read(FRONT, as_version=4)
    named = {m.group(1) for c in nb.cells if c.cell_type == "markdown"
             for m in [re.search(r'^% hvis: raad\.has\("(\w+)"\)$', c.source, re.M)] if m}
    assert named == set(advice.TRIGGERS)


def test_the_ranking_follows_the_stated_rule(editions):
    for r in (r for r in editions if r.m.answered):
        raad = advice.advice(r)
        shares = [raad.basis(name).share for name in raad.order]
        assert shares == sorted(shares, reverse=True), r.m.name
        # equal shares: the topic the report treats first comes first
        for first, second in zip(raad.order, raad.order[1:]):
            if raad.basis(first).share == raad.basis(second).share:
                assert advice.CHAPTERS[first] <= advice.CHAPTERS[second], (first, second)
        for name in raad.triggered:
            shown = r.national.plan.is_shown(advice.question_id(r, advice.TRIGGERS[name][0]),
                                             "size_group", r.m.size_group)
            assert raad.by_group(name) == shown, (r.m.name, name)
            assert raad.among(name).startswith(f"de {danish.integer(raad.basis(name).n)} ")


def test_strengths_and_gaps_are_sentences_that_name_every_gap(editions):
    for r in (r for r in editions if r.m.answered):
        oversigt = own.overview(r)
        for text, names in ((oversigt.strengths, oversigt.strong),
                            (oversigt.gaps, oversigt.weak)):
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
        rare = [n for n in oversigt.strong
                if raad.basis(n).count * 2 < raad.basis(n).n]
        assert set(oversigt.rare) == set(rare), r.m.name
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
        assert "under halvdelen" in lead


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


def test_the_edition_states_the_ranking_rule_once_before_the_recommendations(editions):
    from analysis.report.dialect.cell import condition
    nb = nbformat.read(FRONT, as_version=4)
    heading = next(i for i, c in enumerate(nb.cells) if "# Anbefalinger til" in c.source)
    first = next(i for i, c in enumerate(nb.cells) if "% rang:" in c.source)
    intro = [c for c in nb.cells[heading + 1:first] if c.cell_type == "markdown"]
    rules_ = [c for c in intro if re.search(r"rækkefølge", c.source, re.I)]
    assert rules_
    for r in (r for r in editions if r.m.answered):
        raad = advice.advice(r)
        scope = {"r": r, "raad": raad, "oversigt": own.overview(r), "fakta": own.facts(r)}
        shown = [c.source for c in rules_ if eval(condition(c.source) or "True", scope)]
        if raad.none:
            assert not shown, r.m.name
            continue
        # one statement of the order (and, where some shares are the country's, a note)
        stated = [s for s in shown if "Rækkefølgen bygger" in s or "rækkefølge efter" in s]
        assert len(stated) == 1, (r.m.name, shown)
        text = stated[0]
        assert "jo højere" in text or "den største andel først" in text, text
        assert "lige store andele" in text and "først" in text, text
        # it names the group the order is weighed by: the size group, unless none is shown
        by_group = any(raad.by_group(n) for n in raad.triggered)
        assert ("fakta.group_definite" in text and "hele landet, fordi" not in text) \
            == by_group or raad.count == 1, (r.m.name, text)


def test_every_gap_has_its_recommendation_or_the_overview_says_why_not():
    """Each question of the chapters' own tables is in the overview (with a recommendation
    where it is a gap), or is the one the overview says it leaves out, and why."""
    chapter_questions = {item for items in own.OWN_ITEMS.values() for item, group in items
                         if group is not None}
    overview = {advice.TRIGGERS[n][0] for n in own.OVERVIEW}
    assert chapter_questions - overview == {own.LEFT_OUT}
    nb = nbformat.read(FRONT, as_version=4)
    said = [c.source for c in nb.cells if "oversigt.left_out" in c.source]
    assert len(said) == 1, said
    assert "ikke med i tabellen" in said[0] and "hverken en styrke" in said[0], said


def _share_columns(table) -> list[int]:
    """The columns of a comparison: every column a group's share is printed in."""
    return [i for i, column in enumerate(table.columns)
            if column == danish.COUNTRY or column.startswith("Kommuner\xa0med")]


def _check_n(table, size: str, in_cell: bool = False) -> None:
    columns = list(table.columns)
    group = own.group_heading(size)
    assert group in columns, columns                  # the size group is named
    # for the residents of the areas with a helhedsplan, never the municipality's population
    assert "områderne med helhedsplan" in group.replace("\xa0", " ")
    shares = _share_columns(table)
    assert [columns[i] for i in shares] == [danish.COUNTRY, group]    # the country first
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
                if table is not None:
                    _check_n(table, size)
        else:
            _check_n(own.group_answers(r), size, in_cell=True)
        facts = own.facts(r).table
        headers = facts.columns[2:]
        register = r.national.register
        in_group = int((register["size_group"] == size).sum())
        assert headers == (f"{danish.COUNTRY} ({danish.n_text(len(register))})",
                           f"{own.group_heading(size)} ({danish.n_text(in_group)})")


def test_a_hidden_size_group_is_a_dash_with_its_footnote(reshaped):
    r = next(r for r in _editions(reshaped) if r.m.answered and r.m.size_group == "large")
    table = own.overview(r).table
    group = table.columns.index(own.group_heading("large"))
    assert {row[group] for row in table.rows} == {"–"}
    assert table.notes and all("vises ikke" in note for note in table.notes)


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
            if re.search(r"besvarede ikke|har ikke besvaret|ikke svaret", src)]
    assert len(said) == 1, said


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
