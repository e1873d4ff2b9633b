"""The bilag's tables: numbers computed here, row labels and verdicts from the notebook."""

import re

import pytest

from analysis.report.content import appendix
from analysis.report.content.appendix import (FIGURE_IDS, TESTS, VERDICTS, comparison_table,
                                              labels_for)
from analysis.report.notebook import NotebookReport
from analysis.stats import results


# The tests table's rows on example data calibrated to 2015: all but the whole-scale time test.
CALIBRATED = [key for key in TESTS if key != "tid_skala"]


@pytest.fixture(scope="module")
def report():
    return NotebookReport(national=results.national(), municipality=None)


def test_labels_are_checked_against_the_keys_the_table_needs():
    assert labels_for({"a": " Første ", "b": "Anden"}, ("a", "b"), "t") == {
        "a": "Første", "b": "Anden"}
    with pytest.raises(ValueError, match=r"^t: no label for 'b'; labels for unknown 'c' "
                                         r"\(known: a, b\)$"):
        labels_for({"a": "Første", "b": " ", "c": "Tredje"}, ("a", "b"), "t")


def test_the_comparison_rows_carry_the_notebooks_labels_in_order(report):
    labels = {fid: f"Række {fid}" for fid in reversed(FIGURE_IDS)}

    table = comparison_table(report, labels)

    assert [row[0] for row in table.rows] == [f"Række {fid}" for fid in FIGURE_IDS]


def test_a_missing_label_names_the_figure(report):
    labels = {fid: "x" for fid in FIGURE_IDS if fid != "tid_besvaret"}

    with pytest.raises(ValueError, match="comparison_table: no label for 'tid_besvaret'"):
        comparison_table(report, labels)


def test_every_test_row_gets_its_label_and_a_verdict_from_the_notebook(report):
    rows = {key: f"Sammenligning {key}" for key in TESTS}
    verdicts = {key: f"vurdering {key}" for key in VERDICTS}

    table = appendix.tests_table(report, rows, verdicts)

    # (no whole-scale time test on example data calibrated to 2015)
    assert [row[0] for row in table.rows] == [f"Sammenligning {key}" for key in CALIBRATED]
    # (a fragile row's verdict carries its check in parentheses)
    assert {row[-1].split(" (")[0] for row in table.rows} <= set(verdicts.values())


# ---------------------------------------------------------------- every comparison in the table

def _compared_fields() -> set[tuple[str, str]]:
    """(value class, field) of every field of a chapter value that holds a test or a
    difference of two shares, found by its type in the content modules."""
    import dataclasses
    import inspect

    from analysis.report.content import advice, ch1, front, own, themes

    found = set()
    for module in (ch1, themes, own, advice, front):
        for name, cls in inspect.getmembers(module, dataclasses.is_dataclass):
            if cls.__module__ != module.__name__:
                continue
            for f in dataclasses.fields(cls):
                kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
                if any(word in str(kind).split() or str(kind).startswith(word)
                       for word in ("Diff", "Comparison")):
                    found.add((cls.__name__, f.name))
    return found


def test_every_comparison_the_chapters_values_expose_is_a_row_of_the_tests_table():
    listed = {source for sources in appendix.COMPARISONS.values() for source in sources}
    exposed = _compared_fields()

    assert exposed, "no chapter value holds a comparison: the search is broken"
    assert exposed <= listed, f"not in the tests table: {sorted(exposed - listed)}"


def test_every_row_of_the_tests_table_reads_a_value_the_chapters_expose():
    import dataclasses

    from analysis.report.content import ch1, themes

    classes = {name: cls for module in (ch1, themes) for name, cls in vars(module).items()
               if dataclasses.is_dataclass(cls)}
    assert tuple(appendix.COMPARISONS) == TESTS
    for key, sources in appendix.COMPARISONS.items():
        for cls, field in sources:
            assert cls in classes, (key, cls)
            assert field in {f.name for f in dataclasses.fields(classes[cls])}, (key, field)


def test_the_tests_table_prints_the_chapters_own_differences_and_intervals(report):
    from analysis.report import danish
    from analysis.report.content import ch1, themes

    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: _named(table, row) for row in table.rows}
    assert list(rows) == CALIBRATED
    diffs = {"tid": ch1.coordination(report).diff,
             "tilfredshed": ch1.satisfaction(report).diff,
             "maal_trin": themes.understanding(report).diff,
             "tillid_trin": themes.understanding(report).trust_diff,
             "fora": themes.fora(report).diff}
    for key, diff in diffs.items():
        assert diff is not None, key          # the national report shows every comparison
        e = diff.estimate
        # the difference the chapter prints: of the two shares as printed (whole percentages)
        printed = round(100 * diff.first.share) - round(100 * diff.second.share)
        assert rows[key][EFFECT] == (f"{danish.signed(printed)} procentpoint ("
                                f"{danish.signed(100 * e.low)} til "
                                f"{danish.signed(100 * e.high)})"), key
        # the verdict is the chapter's: beyond chance exactly when the interval leaves out 0,
        # and the row's verdict is the one the chapters' conditions read (diff.clear, .fragile)
        verdict, _, check = rows[key]["Vurdering"].partition(" (")
        assert (verdict == "chance") == diff.uncertain, key
        assert verdict == diff.verdict, key
        assert (diff.clear, diff.fragile) == (verdict == "significant",
                                              verdict == "fragile"), key
        # a fragile difference carries its check, Fisher's exact test, and no other does
        assert check == (f"Fishers eksakte test: {diff.exact_p})" if diff.fragile else ""), key
    for key, test in {"tid": ch1.coordination(report).test, "fora": themes.fora(report).test,
                      "tilfredshed": ch1.satisfaction(report).test}.items():
        assert rows[key]["p-værdi"] == danish.p_value(test.p_value), key


EFFECT = "Forskel (95\u00a0%-interval)"


def _named(table, row) -> dict[str, str]:
    """A row of a table by its columns' headings."""
    return dict(zip(table.columns, row))


def test_every_comparison_is_one_test_of_two_groups(report, data_copy):
    # one test per row: two shares by Miettinen and Nurminen's score test, the whole time scale
    # by Brunner and Munzel's rank test (its effect a share of pairs), and no correlation; with
    # one test in every row (calibrated data) it is named once, in the note
    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    assert "Test" not in table.columns
    assert "Test: Miettinen og Nurminens scoretest." in table.source
    assert "rangtest" not in table.source           # the note explains only the rows it has
    real = _as_real(data_copy)
    table = appendix.tests_table(real, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: _named(table, row) for row in table.rows}
    assert "tid_skala" in rows and "Ved rangtesten" in table.source
    for key, row in rows.items():
        assert " + " in row["N"], row
        if key == "tid_skala":
            assert row["Test"] == "Brunner og Munzels rangtest", row
            assert row[EFFECT].split()[1] == "%", row
        else:
            assert row["Test"] == "Miettinen og Nurminens scoretest", row
            assert row[EFFECT].split()[1] == "procentpoint", row


def _as_real(data_copy):
    """The shipped answers, with ``dataset.yaml`` saying they are real data."""
    from analysis.report.notebook import setup

    path = data_copy / "dataset.yaml"
    kept = [line for line in path.read_text("utf-8").splitlines()
            if line.split(":")[0] not in ("origin", "synthetic", "calibrated")]
    path.write_text("\n".join(kept + ["origin: real", "synthetic: false"]) + "\n", "utf-8")
    return setup(data_dir=data_copy)


def test_the_whole_time_scale_row_is_the_chapters_rank_test(data_copy):
    """With data that are not calibrated to 2015, the rank row prints the chapter's own test of
    the time answers: the two size groups' answers on the whole scale, the large group first."""
    from scipy.stats import brunnermunzel

    from analysis.report import danish
    from analysis.report.content import ch1

    report = _as_real(data_copy)
    koord = ch1.coordination(report)
    valid = report.national.valid("tid_koordinering")
    small, large = (valid.loc[valid["size_group"] == g, "tid_koordinering"].astype(float)
                    for g in ("small", "large"))
    # scipy's Brunner-Munzel test (its own implementation) gives the same p-value
    assert abs(brunnermunzel(small, large).pvalue - koord.ranks.p_value) < 1e-9
    # the effect: the share of (large, small) pairs where the large answered higher, ties half
    pairs = [(a > b) + 0.5 * (a == b) for a in large for b in small]
    assert abs(sum(pairs) / len(pairs) - koord.ranks.statistic) < 1e-12
    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    row = _named(table, next(r for r in table.rows if r[0] == "tid_skala"))
    assert row["N"] == f"{len(large)} + {len(small)}"
    assert row["p-værdi"] == danish.p_value(koord.ranks.p_value)
    assert row["Vurdering"] == ("chance" if not koord.ranks.significant
                                else "fragile" if koord.ranks_fragile else "significant")
    # the chapter's conditions read the test it leads with: the whole scale's
    assert koord.time_clear == koord.ranks_clear


def test_example_data_calibrated_to_2015_are_not_tested_on_the_whole_time_scale(report):
    """The 2015 report printed only two cuts on the time scale; how calibrated example data
    spread over the rest is invented, so neither the chapter nor Tabel 4 tests it, and the
    chapter's conditions read the full-time shares' verdict."""
    from analysis.report.content import ch1

    assert report.synthetic and report.calibrated
    koord = ch1.coordination(report)
    assert koord.ranks is None and not koord.ranks_fragile
    assert "tid_skala" not in appendix.comparisons(report)
    assert (koord.time_clear, koord.time_borderline) == (koord.diff.clear, koord.diff.fragile)


def test_a_difference_one_answer_could_turn_is_called_fragile(report):
    from analysis.stats.estimate import answers_from_chance

    table = appendix.tests_table(report, {k: k for k in TESTS}, {k: k for k in VERDICTS})
    rows = {row[0]: _named(table, row)["Vurdering"].split(" (")[0] for row in table.rows}
    koord = appendix.comparisons(report)["tid"]
    # 7 of 16 against 3 of 22 in the shipped data: p = 0,040, one answer from chance
    assert answers_from_chance(7, 16, 3, 22) == 1
    assert koord.groups == (16, 22) and rows["tid"] == "fragile"
    assert rows["fora"] == "significant"
    # the chapters read the same verdicts as yes/no values
    from analysis.report.content import ch1, themes
    assert ch1.coordination(report).diff.fragile and not ch1.coordination(report).diff.clear
    assert themes.fora(report).diff.clear and not themes.fora(report).diff.fragile


def test_the_verdict_rule_of_a_difference():
    from analysis.report.content.shares import Diff, Stat

    def diff(a, n_a, b, n_b):
        return Diff.between(Stat(a, n_a, a / n_a, 44), Stat(b, n_b, b / n_b, 44))

    assert diff(7, 16, 3, 22).fragile and diff(7, 16, 3, 22).verdict == "fragile"
    assert diff(16, 16, 0, 22).clear and not diff(16, 16, 0, 22).fragile
    assert diff(6, 16, 3, 22).verdict == "chance"
    assert not diff(6, 16, 3, 22).clear and not diff(6, 16, 3, 22).fragile


def test_no_comparison_is_listed_that_the_chapters_no_longer_discuss():
    # the paired comparison of the two partners on samarbejdstrappen was dropped with its
    # sentence in chapter 2 (the table shows every comparison the chapters state, no others)
    assert "trappe" not in TESTS
    assert all(cls != "Staircase" for sources in appendix.COMPARISONS.values()
               for cls, _ in sources)


# ---------------------------------------------------------------- source lines

def _sources(report) -> dict[str, str]:
    from analysis.report.content import ch1, themes

    return {"casekommuner": appendix.case_table(report).source,
            "regioner": ch1.region_table(report).source,
            "medfinansiering": ch1.co_financing_figure(report).source,
            "tid": ch1.time_figure(report).source,
            "faelles-maal-tillid": themes.agree_figure(report, 3, "a").source,
            "samarbejdstrappen": themes.trappe_figure(report).source,
            "moedefora": themes.forum_figure(report).source,
            "placering": themes.placement_table(report).source,
            "test": appendix.tests_table(report, {k: k for k in TESTS},
                                         {k: k for k in VERDICTS}).source,
            "tal2015": comparison_table(report, {f: f for f in FIGURE_IDS}).source}


REGISTER_TABLES = ("casekommuner", "regioner", "medfinansiering")


def test_with_synthetic_data_the_source_lines_say_the_numbers_are_constructed(report):
    assert report.synthetic
    for key, source in _sources(report).items():
        assert "Helhedsplanregistret" not in source and "Kilde: CFBU" not in source, key
        if key == "casekommuner":
            # only the populations, real in every dataset: the made-up register columns are
            # left out beside the real, named case municipalities
            assert source.endswith("Kilde: Danmarks Statistik, 2015 (indbyggertal)."), source
            continue
        assert "Kilde: Syntetiske eksempeldata" in source, key
    assert appendix.codebook_table(report).source.startswith("Kilde: Eksempeldataenes kodebog.")


def test_with_real_data_the_source_lines_name_the_real_sources(report, monkeypatch):
    monkeypatch.setattr(NotebookReport, "synthetic", property(lambda self: False))
    sources = _sources(report)

    for key, source in sources.items():
        assert "Syntetiske" not in source and "syntetisk" not in source, key
        register = "Helhedsplanregistret (Landsbyggefondens bevillingsdata)"
        survey = "CFBU og KL’s spørgeskema til kommunerne med helhedsplaner"
        assert (register in source) == (key in REGISTER_TABLES or key == "tal2015"), key
        assert (survey in source) == (key not in REGISTER_TABLES), key
    assert sources["casekommuner"].endswith("indbyggertal: Danmarks Statistik, 2015.")
    assert appendix.codebook_table(report).source.startswith("Kilde: Undersøgelsens kodebog.")


# ---------------------------------------------------------------- the questionnaire, the colophon

def test_the_questionnaire_is_listed_by_chapter_in_the_order_the_chapters_use_it(report):
    table = appendix.codebook_table(report)
    chapters = [int(row[0].rstrip(appendix.NOT_SHOWN_MARK)) for row in table.rows]
    questions = report.national.codebook.questions
    # a question 2015 worded otherwise has the codebook's sentence on it after its text
    text = {q.text + (f" ({q.changed_2015})" if q.changed_2015 else ""): q.id
            for q in questions.values()}
    ids = [text[row[1]] for row in table.rows]
    # a chapter is marked where, with example data, it shows no result from the question
    marked = {i for i, row in zip(ids, table.rows) if row[0].endswith(appendix.NOT_SHOWN_MARK)}
    assert marked == {i for i in ids
                      if not appendix.shown_in_chapter(report, questions[i])}
    assert (appendix.NOT_SHOWN_NOTE in table.source) == bool(marked)
    # a municipal edition prints the overview's marks too: each mark means one thing
    from analysis.report.content import own_words
    assert appendix.NOT_SHOWN_MARK not in (own_words.ADDED_MARK, own_words.NEAR_MARK)
    if report.synthetic:
        assert {"internt_forum", "tilfreds_pol_ledelse"} <= marked
        # the figures the report shows: with data calibrated to 2015, the national report
        # shows only samarbejdstrappen of the added questions' figures
        shown = (appendix.drawn_questions() if report.show_added
                 else {"trin_boligorganisation", "trin_helhedsplan"})
        assert not marked & shown
        assert {q for q in appendix.drawn_questions() - shown
                if not questions[q].published_2015} <= marked
        assert report.show_added or appendix.drawn_questions() - shown

    assert chapters == sorted(chapters) and len(ids) == len(questions)
    # chapter 5 takes the internal forum and knowledge sharing before the coordinator's place
    assert ids.index("internt_forum") < ids.index("vidensdeling") \
        < ids.index("koordinator_placering")
    assert [i for i in ids if i in appendix.USE_ORDER] == [
        i for i in appendix.USE_ORDER if i in questions]


def test_the_colophon_is_a_publishers(report):
    import dataclasses

    from analysis.core import settings
    from analysis.report import danish
    from analysis.report.content import front

    kolofon = appendix.colophon(report)

    assert (kolofon.title, kolofon.subtitle, kolofon.publisher) == (
        "Kommunerne på banen", front.SUBTITLE_NATIONAL, front.PUBLISHER)
    assert kolofon.publisher == front.title_page(report).publisher
    assert kolofon.rendered == danish.date(settings.render_date())
    # the machine's record (input files, hashes, code version) is provenance.json's alone
    assert not {f.name for f in dataclasses.fields(kolofon)} & {"files", "commit", "version",
                                                              "fingerprint"}


def test_the_colophon_cells_print_no_file_or_hash_and_say_what_the_data_are():
    import nbformat

    from analysis.report import dialect

    nb = nbformat.read(appendix.__file__.split("/src/")[0] + "/notebooks/07_bilag.ipynb",
                       as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    start = next(i for i, c in enumerate(cells) if c.strip() == "## Kolofon")
    colophon = cells[start + 1:]
    text = "\n".join(colophon)
    assert "provenance.json" not in text and not re.search(r"\.(csv|yaml)\b", text)
    assert not re.search(r"kolofon\.(files|commit|version|fingerprint)", text)
    # one cell on what the data are for each origin, so every report gets exactly one
    conditions = [dialect.read(c).condition for c in colophon if "Data:" in c]
    assert sorted(conditions) == sorted(["r.calibrated", "r.calibration_lost",
                                         "r.synthetic_uncalibrated", "not r.synthetic"])


def test_two_roundings_of_one_share_are_no_discrepancy():
    # 7 of 16 is 43,75 %: printed once as »44 %« and once as »næsten 45 %«, both fit it
    from analysis.report.content.appendix_2015 import _remark

    assert _remark("44 % / næsten 45 %", 7, 16) == ""
    assert _remark("50 %", 7, 16) == "afviger"
    assert _remark("44 % / over 45 %", 7, 16) == "ikke over 45\u00a0%"


# ---------------------------------------------------------------- the parts of the bilag tables

def test_the_tests_table_can_leave_out_the_rows_on_added_questions(report):
    """``published_only`` drops the rows whose questions the codebook marks as added (the
    synthetic answers to them are invented, and the chapters compare no groups on them)."""
    codebook = report.national.codebook.questions
    added = {key for key, questions in appendix.ROW_QUESTIONS.items()
             if any(codebook[q].published_2015 is False for q in questions)}
    rows, verdicts = {k: k for k in TESTS}, {k: k for k in VERDICTS}
    kept = [row[0] for row in appendix.tests_table(report, rows, verdicts,
                                                   published_only=True).rows]
    assert set(kept) == set(CALIBRATED) - added
    every = [row[0] for row in appendix.tests_table(report, rows, verdicts).rows]
    assert every == list(CALIBRATED)
    assert appendix.leaves_out_added(report) == bool(report.synthetic and added)


def test_a_codebook_without_added_questions_has_no_table_of_them(report):
    """The questionnaire's second table (the questions 2015 printed no results from) is left out
    when there are none, and the first then holds every question."""
    import dataclasses
    from types import SimpleNamespace

    questions = {qid: dataclasses.replace(q, published_2015=True)
                 for qid, q in report.national.codebook.questions.items()}
    none_added = SimpleNamespace(national=SimpleNamespace(
        codebook=SimpleNamespace(questions=questions)), synthetic=True,
        show_added=True)
    assert appendix.codebook_table(none_added, added=True) is None
    assert len(appendix.codebook_table(none_added, added=False).rows) == len(questions)
    # the shipped codebook has both kinds
    shipped = report.national.codebook.questions.values()
    assert len(appendix.codebook_table(report, added=True).rows) == sum(
        q.published_2015 is False and not q.asked_2015 for q in shipped)


def test_a_codebook_that_does_not_say_what_2015_published_gets_a_true_questionnaire_caption(
        report):
    """A question whose ``published_2015`` is unset is neither 2015's nor this edition's: the
    first questionnaire table keeps its last column (»–« for it) and its caption and lead-in no
    longer say that every question in it is one 2015 printed results from."""
    import dataclasses
    import json
    from types import SimpleNamespace

    from pathlib import Path

    questions = {qid: dataclasses.replace(q, published_2015=None if q.published_2015 else
                                          q.published_2015)
                 for qid, q in report.national.codebook.questions.items()}
    unknown = SimpleNamespace(national=SimpleNamespace(
        codebook=SimpleNamespace(questions=questions)), synthetic=True, show_added=True)
    table = appendix.codebook_table(unknown, added=False)
    # »–« for the questions left unset; »Nej« only for one the 2015 survey asked (asked_2015)
    asked = sum(q.asked_2015 for q in questions.values())
    assert table.columns[-1] == "I 2015-rapporten"
    assert [row[-1] for row in table.rows].count("Nej") == asked
    assert {row[-1] for row in table.rows} <= {"–", "Nej"}
    assert appendix.UNKNOWN_2015 in table.source
    # the shipped codebook says it of every question: the part table needs no column
    assert "I 2015-rapporten" not in appendix.codebook_table(report, added=False).columns
    assert appendix.response(report).unknown == 0

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "07_bilag.ipynb"
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    claims = [t for t in texts if "tbl-spoergeskema)" in t or "tbl-spoergeskema-uoplyst)" in t]
    for text in claims:
        says_2015 = "som 2015-rapporten trykte resultater fra" in text
        condition = text.lstrip().splitlines()[0]          # the cell's `% hvis:` line
        assert not says_2015 or "svar.unknown == 0" in condition, text
    assert any("svar.unknown > 0" in t for t in claims if "(tbl-spoergeskema-uoplyst)=" in t)


def test_a_note_from_the_notebook_gives_a_figure_a_row_of_the_findings_table(report):
    # the time question was asked differently in 2015: a note of the notebook's own puts it in
    # the table even where its figures fit, and follows a remark the figures give
    labels = {fid: fid for fid in FIGURE_IDS}
    plain = {row[0]: row for row in appendix.findings(report, labels).rows}
    noted = {row[0]: row for row in appendix.findings(
        report, labels, notes={"tid_besvaret": "stillet anderledes",
                               "medfinansiering_medarbejderressourcer": "også en note"}).rows}

    assert "tid_besvaret" not in plain
    assert noted["tid_besvaret"][3] == "stillet anderledes"
    assert noted["medfinansiering_medarbejderressourcer"][3] == (
        plain["medfinansiering_medarbejderressourcer"][3] + "; også en note")


def test_the_widest_span_is_that_of_the_question_fewest_answered(report):
    from analysis.report.content import front

    s = front.study(report)
    nat = report.national
    asked_all = [q.id for q in nat.codebook.questions.values()
                 if not q.asked_if and q.type in ("single", "ordinal")]
    fewest = min(int(nat.respondents[q].isin(list(nat.question(q).answers)).sum())
                 for q in asked_all)
    assert s.fewest == fewest <= s.respondents
    assert s.widest_span == f"{round(100 * (s.with_plan - fewest) / s.with_plan)} procentpoint"


def test_a_question_2015_asked_but_printed_no_numbers_from_is_not_called_added(report):
    """The politicians' priority (``asked_2015: true``): 2015 asked it but printed no numbers
    from it. It is listed with 2015's questions and named by ``svar.asked``, not among the
    added ones, and a source line does not call it added; with the synthetic data it stays a
    question no number of which is quoted (``published_2015`` false)."""
    from analysis.report.content.common import survey_source_note

    question = report.national.question("tilfreds_pol_ledelse")
    assert question.asked_2015 and question.published_2015 is False
    texts = {row[1] for row in appendix.codebook_table(report, added=False).rows}
    added = {row[1] for row in appendix.codebook_table(report, added=True).rows}
    assert question.text in texts and question.text not in added
    response = appendix.response(report)
    assert response.asked == "»Tilfredshed med politikernes prioritering«"
    assert response.added == len(added)
    source, note = survey_source_note(report, ("tilfreds_pol_ledelse",))
    assert "tilføjet" not in source and "tilføjet" not in note
    source, note = survey_source_note(report, ("tilfreds_pol_ledelse", "tillid"))
    assert "politikernes" not in note and "tilføjet" in note


def test_asked_2015_must_be_true_or_false(tmp_path):
    import shutil

    from analysis.inputs.codebook import load_survey_codebook
    from pathlib import Path

    from analysis.core.problems import InputError

    path = tmp_path / "codebook.yaml"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "survey" / "codebook.yaml", path)
    text = path.read_text("utf-8")
    path.write_text(text.replace("asked_2015: true", "asked_2015: ja", 1), "utf-8")
    with pytest.raises(InputError) as err:
        load_survey_codebook(path)
    assert any("asked_2015" in str(p) for p in err.value.problems)


def test_a_question_worded_otherwise_in_2015_says_so_in_the_questionnaire(data_copy):
    """A question of 2015's whose wording this edition changed (the codebook's
    ``changed_2015``) is listed with 2015's questions, followed by the codebook's sentence on
    how 2015 asked it; without the line, the question is printed as it stands."""
    import yaml

    from analysis.report.notebook import setup

    path = data_copy / "survey" / "codebook.yaml"
    raw = yaml.safe_load(path.read_text("utf-8"))
    changed = {q["id"]: q["changed_2015"] for q in raw["questions"] if "changed_2015" in q}
    assert changed, "the shipped codebook changes no question's wording"

    def texts(r) -> dict[str, str]:
        table = appendix.codebook_table(r, added=False)
        return {qid: next(row[1] for row in table.rows
                          if row[1].startswith(r.national.question(qid).text))
                for qid in changed}

    for qid, text in texts(setup(data_dir=data_copy)).items():
        assert text.endswith(f"({changed[qid]})"), text
    path.write_text("\n".join(line for line in path.read_text("utf-8").splitlines()
                              if not line.strip().startswith("changed_2015:")) + "\n", "utf-8")
    stated = {q["id"]: q["text"] for q in raw["questions"]}
    for qid, text in texts(setup(data_dir=data_copy)).items():
        assert text == stated[qid], text


def test_changed_2015_must_be_a_sentence(tmp_path):
    import shutil
    from pathlib import Path

    from analysis.core.problems import InputError
    from analysis.inputs.codebook import load_survey_codebook

    path = tmp_path / "codebook.yaml"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "survey" / "codebook.yaml", path)
    text = path.read_text("utf-8")
    path.write_text(re.sub(r'changed_2015: ".*"', "changed_2015: true", text, count=1), "utf-8")
    with pytest.raises(InputError) as err:
        load_survey_codebook(path)
    assert any("changed_2015" in str(p) and "Danish sentence" in str(p)
               for p in err.value.problems)
