"""Disclosure control: small groups suppressed, and a unique answer never revealed."""

import re
import pandas as pd
import pytest

from analysis.report import danish
from analysis.stats import disclosure
from analysis.report.content import ch1, common, own
from analysis.report.notebook import setup
from shared_renders import FIRST_ENV, RAPPORT, background_render


def test_primary_and_secondary_suppression():
    sizes = pd.Series({"Nord": 3, "Midt": 6, "Syd": 9})

    out = disclosure.plan_partition("q", "region", sizes, k=5)

    assert [(s.group, s.reason) for s in out] == [("Nord", "primary"), ("Midt", "secondary")]


def test_two_small_groups_need_no_secondary():
    sizes = pd.Series({"A": 2, "B": 4, "C": 9})

    out = disclosure.plan_partition("q", "region", sizes, k=5)

    assert [(s.group, s.reason) for s in out] == [("A", "primary"), ("B", "primary")]


def test_a_group_whose_answers_are_all_alike_is_suppressed_with_its_neighbour():
    sizes = pd.Series({"small": 25, "large": 16})

    out = disclosure.plan_partition("q", "size_group", sizes, k=5, unanimous=frozenset({"large"}))

    assert [(s.group, s.reason) for s in out] == [("large", "unanimous"), ("small", "secondary")]


def test_a_group_where_all_but_one_answer_alike_is_withheld(data_copy):
    """A member that gave the one other answer would read every other member's answer off
    the group's figure: such a group is withheld as if all had answered alike; with two
    members answering otherwise, it is shown."""
    register = pd.read_csv(data_copy / "register" / "helhedsplaner.csv", dtype=str)
    large = set(register[register["beboere_i_omraader"].astype(int) >= 4000]["kommunekode"])
    survey_file = data_copy / "survey" / "besvarelser.csv"
    survey = pd.read_csv(survey_file, dtype=str, keep_default_na=False)
    in_large = survey["kommunekode"].isin(large) & (survey["statoverall_4"] == "1")
    first = survey[in_large].index[:2]
    survey.loc[in_large, "tillid"] = "4"
    survey.loc[first[:1], "tillid"] = "5"
    survey.loc[in_large, "internt_forum"] = "1"
    survey.loc[first, "internt_forum"] = "2"
    survey.to_csv(survey_file, index=False)

    plan = setup(None, data_copy, k=5).national.plan
    assert plan.lookup("tillid", "size_group", "large").reason == "unanimous"
    assert plan.lookup("internt_forum", "size_group", "large") is None


def test_no_figure_shows_a_size_group_where_every_answer_is_the_same(data_copy):
    # Every municipality in the large group answers har_koordinator »ja«: the register names the
    # group's members, so »100 %« would give each one's answer. Worked out from the files here.
    register = pd.read_csv(data_copy / "register" / "helhedsplaner.csv", dtype=str)
    large = set(register[register["beboere_i_omraader"].astype(int) >= 4000]["kommunekode"])
    survey_file = data_copy / "survey" / "besvarelser.csv"
    survey = pd.read_csv(survey_file, dtype=str, keep_default_na=False)
    in_large = survey["kommunekode"].isin(large) & (survey["statoverall_4"] == "1")
    survey.loc[in_large, "har_koordinator"] = "1"
    # two answer »helt enig«, the others »overvejende enig«: no member learns another's answer
    survey.loc[in_large & survey.index.isin(survey[in_large].index[:2]), "tillid"] = "5"
    survey.loc[in_large & ~survey.index.isin(survey[in_large].index[:2]), "tillid"] = "4"
    survey.to_csv(survey_file, index=False)
    assert survey[in_large]["har_koordinator"].nunique() == 1 and in_large.sum() >= 5

    national = setup(None, data_copy, k=5)
    plan = national.national.plan
    assert plan.lookup("har_koordinator", "size_group", "large").reason == "unanimous"
    assert plan.lookup("har_koordinator", "size_group", "small").reason == "secondary"
    assert plan.lookup("tillid", "size_group", "large") is None     # two and the rest: shown
    # the placement is asked only where there is a coordinator, so its N in the large group
    # would be the number of »ja«: it is withheld in both groups as well
    asked = survey["kommunekode"].isin(large) & (survey["har_koordinator"] == "1") \
        & survey["koordinator_placering"].isin(["1", "2", "3"])
    assert asked.sum() == in_large.sum()
    for group in ("large", "small"):
        assert plan.lookup("koordinator_placering", "size_group", group).reason == "filter"
    code = sorted(large)[0]
    edition = setup(code, data_copy, k=5)
    rows = {row[0]: row for row in own.overview(edition).table.rows}
    coordinator = next(row for question, row in rows.items() if "koordinator" in question.lower()
                       and "tid" not in question.lower())
    assert coordinator[4] == "–", coordinator          # the size group's column
    placement = next(row for question, row in rows.items() if "placering" in question.lower())
    assert placement[4] == "–", placement
    assert f"N = {asked.sum()}" not in " ".join(placement)
    notes = " ".join(own.overview(edition).table.notes)
    assert "ingen enkelt kommunes svar kan udledes" in notes
    assert "samme" not in notes         # the footnote must not say that all answered alike
    # one note names the rows it concerns: the table's other rows show the group's figures
    both = f"{danish.quoted(coordinator[0])} og {danish.quoted(placement[0])}"
    assert f"I rækkerne {both} vises" in notes, notes
    assert len(own.overview(edition).table.notes) == 1
    # a municipal table shows its own size group alone, and its note names that group only
    small = next(c for c in register["kommunekode"] if c not in large)
    notes = " ".join(own.group_answers(setup(small, data_copy, k=5)).notes)
    assert danish.SIZE_GROUP_DEFINITE["small"] in notes             # the secondary suppression
    assert danish.SIZE_GROUP_DEFINITE["large"] not in notes
    # and no sentence sets its answer against the group on that question: where the group is
    # suppressed, »ligesom flertallet i størrelsesgruppen« is not said
    for code in sorted(large):
        other = setup(code, data_copy, k=5)
        if other.m.answered and other.m.answer("har_koordinator") is not None:
            assert not own.standing(other, 1).with_group, code


def test_threshold_configurable(monkeypatch):
    monkeypatch.setenv("RAPPORT_K", "3")
    assert disclosure.threshold() == 3
    assert disclosure.threshold(10) == 10


def _make_one_large(data_dir, code: str) -> None:
    """Make ``code`` the only large municipality, with an answer no one else gives."""
    register = data_dir / "register" / "helhedsplaner.csv"
    reg = pd.read_csv(register, dtype=str)
    reg["beboere_i_omraader"] = ["5000" if c == code else "1000" for c in reg["kommunekode"]]
    reg.to_csv(register, index=False)
    survey = data_dir / "survey" / "besvarelser.csv"
    ans = pd.read_csv(survey, dtype=str, keep_default_na=False)
    ans.loc[ans["kommunekode"] == code, "tid_koordinering"] = "5"
    ans.loc[(ans["kommunekode"] != code) & (ans["tid_koordinering"] == "5"),
            "tid_koordinering"] = "4"
    ans.to_csv(survey, index=False)


def _texts(report) -> str:
    """Every string a report's survey tables print about the two suppressed questions, and
    the municipality's own-answers tables (the prose takes its numbers from the same values,
    checked below to be withheld)."""
    parts = []
    for qid in ("tid_koordinering", "tilfreds_adm_ledelse"):
        table, _ = common.distribution_with_own(report, qid)
        shown, notes = common.apply_plan(report, table, qid)
        parts += [shown.to_string(), *notes]
    for chapter in range(1, 7):
        table = own.answers(report, chapter)
        if table is not None:
            parts += [" ".join(table.columns), *(" ".join(row) for row in table.rows),
                      *table.notes]
    return "\n".join(parts)


def test_unique_answer_of_the_only_large_municipality_is_not_revealed(data_copy):
    _make_one_large(data_copy, "259")

    national = setup(None, data_copy, k=5)
    plan = national.national.plan
    reports = [national] + [setup(code, data_copy, k=5) for code in ("101", "147", "165")]

    # the one-member group is suppressed, and so is the other group (it equals total - 1)
    assert not plan.is_shown("tid_koordinering", "size_group", "large")
    assert not plan.is_shown("tid_koordinering", "size_group", "small")
    table, _ = common.distribution_with_own(national, "tid_koordinering")
    shown, notes = common.apply_plan(national, table, "tid_koordinering")
    assert list(shown.index) == ["Alle besvarende kommuner"]
    assert any("færre end 5" in n for n in notes)
    coordination = ch1.coordination(national)
    assert coordination.large_full is None and coordination.small_full is None
    assert not coordination.by_size and coordination.test is None
    for report in reports:
        text = _texts(report)
        assert "Køge" not in text
        assert "4.000 beboere og derover (N" not in text


def test_comparisons_are_the_same_fixed_groups_in_every_report():
    reports = [setup(code) for code in ("101", "259", "461")]

    tables = [common.distribution_with_own(r, "tilfreds_adm_ledelse")[0] for r in reports]

    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    assert list(tables[0].index) == ["Under 4.000 beboere", "4.000 beboere og derover",
                                     "Alle besvarende kommuner"]


def _all_text(folder) -> str:
    """Everything a reader can get from one report: HTML text, alt texts, the tables workbook."""
    import lxml.html
    import openpyxl

    tree = lxml.html.fromstring((folder / "rapport.html").read_bytes())
    parts = [tree.text_content(), *tree.xpath("//img/@alt")]
    book = openpyxl.load_workbook(folder / "tabeller.xlsx")
    for sheet in book.worksheets:
        parts += [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    return " ".join(parts).replace("\u00a0", " ")


def _one_large_koege(data_dir) -> None:
    _make_one_large(data_dir, "259")


# Køge the only large municipality: the national report, and three municipal reports (Køge's
# among them) published openly, in one call.
one_large_national = background_render(
    "one_large_national", [*RAPPORT, "render", "--data", "{data}", "--out", "{out}"],
    env=FIRST_ENV, prepare=_one_large_koege)
one_large_kommuner = background_render(
    "one_large_kommuner",
    [*RAPPORT, "render", "--data", "{data}", "--out", "{out}", "--kommune", "Køge",
     "--kommune", "101", "--kommune", "147", "--jobs", "1", "--offentlige-kommunerapporter"],
    env=FIRST_ENV, prepare=_one_large_koege)


@pytest.mark.e2e
def test_rendered_reports_never_show_the_one_member_group(one_large_national,
                                                         one_large_kommuner):
    """Every file a reader gets of the national report and of three municipal reports (Køge's
    among them), from data where Køge is the only large municipality."""
    folders = [one_large_national.out / "national",
               *sorted((one_large_kommuner.out / "kommuner").iterdir())]
    assert len(folders) == 4
    for folder in folders:
        text = _all_text(folder)
        assert not re.search(r"\b1 af 1\b", text), folder.name
        assert "af de store kommuner" not in text, folder.name
        assert "store kommuner: " not in text, folder.name
        assert "4.000 beboere og derover:" not in text, folder.name
        assert re.search(r"vises ikke, (fordi|så)", text), folder.name
