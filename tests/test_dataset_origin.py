"""``dataset.yaml``'s ``origin`` (what the data are) and the codebook's ``published_2015``
(whether the 2015 report published results from a question): read, checked, and followed."""

import pytest

from analysis.core.problems import InputError
from analysis.inputs.dataset import load_dataset
from analysis.report.notebook import setup


def _about(data_copy, **keys) -> None:
    path = data_copy / "dataset.yaml"
    kept = [line for line in path.read_text("utf-8").splitlines()
            if line.split(":")[0] not in keys]
    extra = [f"{key}: {value}" for key, value in keys.items() if value is not None]
    path.write_text("\n".join(kept + extra) + "\n", "utf-8")


def _problems(data_copy) -> list[str]:
    with pytest.raises(InputError) as err:
        load_dataset(data_copy)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("origin", ["calibrated", "synthetic"])
def test_origin_is_read(data_copy, origin):
    _about(data_copy, origin=origin)

    r = setup(data_dir=data_copy)

    assert r.origin == origin and r.synthetic
    assert r.calibrated == (origin == "calibrated")


def test_real_data_have_no_notice(data_copy):
    _about(data_copy, origin="real", synthetic="false")

    r = setup(data_dir=data_copy)

    assert r.origin == "real" and not r.synthetic and not r.calibrated


def test_an_unknown_origin_is_a_problem(data_copy):
    _about(data_copy, origin="kalibreret")

    problems = _problems(data_copy)

    assert len(problems) == 1 and "column 'origin'" in problems[0]
    assert "calibrated" in problems[0] and "real" in problems[0]


def test_an_origin_that_contradicts_synthetic_is_a_problem(data_copy):
    _about(data_copy, origin="real")          # synthetic: true is still there

    problems = _problems(data_copy)

    assert len(problems) == 1 and "agrees with 'synthetic: true'" in problems[0]


def test_a_dataset_yaml_without_origin_is_a_problem(data_copy):
    _about(data_copy, origin=None)

    problems = _problems(data_copy)

    assert len(problems) == 1 and "a key 'origin' (it is missing)" in problems[0]


def test_the_older_calibrated_key_must_agree_with_origin(data_copy):
    _about(data_copy, calibrated="false")       # origin: calibrated is still there

    problems = _problems(data_copy)

    assert len(problems) == 1 and "agrees with 'calibrated: false'" in problems[0]


def test_without_dataset_yaml_the_data_are_taken_as_real(data_copy):
    (data_copy / "dataset.yaml").unlink()

    r = setup(data_dir=data_copy)

    assert r.origin == "real" and not r.synthetic and not r.calibrated


def test_published_2015_must_be_true_or_false(data_copy):
    path = data_copy / "survey" / "codebook.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("published_2015: false", "published_2015: nej", 1), "utf-8")

    problems = _problems(data_copy)

    assert len(problems) == 1 and "published_2015" in problems[0]


def test_a_codebook_without_published_2015_says_nothing_about_2015(data_copy):
    from analysis.report.content import themes

    path = data_copy / "survey" / "codebook.yaml"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join(x for x in lines if "published_2015:" not in x or
                              x.lstrip().startswith("#")) + "\n", "utf-8")
    r = setup(data_dir=data_copy)

    assert r.added_items.count == 0
    assert "2015-rapporten" not in themes.agree_figure(r, 3, "x").source


def test_the_case_table_prints_made_up_register_figures_only_for_real_data(data_copy):
    """Beside a real, named case municipality, a synthetic dataset's number of plans and
    residents would read as that municipality's own: the table then shows only what is real
    in every dataset (region and population, from the reference data)."""
    import pandas as pd

    from analysis.report import danish
    from analysis.report.content import appendix

    reference = pd.read_csv(data_copy / "reference" / "kommuner.csv", dtype=str)
    synthetic = appendix.case_table(setup(None, data_copy))
    assert synthetic.columns == ("Kommune", "Region", "Indbyggere")
    assert "eksempeldata" not in synthetic.source.lower()
    koege = next(row for row in synthetic.rows if row[0] == "Køge")
    population = reference.set_index("kommunenavn").loc["Køge"]
    assert koege[2].replace(".", "") == str(population.filter(like="folketal").iloc[0])

    _about(data_copy, origin="real", synthetic="false")
    real = appendix.case_table(setup(None, data_copy))
    assert real.columns[3:] == ("Helhedsplaner", "Beboere i områderne", "Størrelsesgruppe")
    assert "Helhedsplanregistret" in real.source
    # the size group is named by the residents of the areas, never »små/store kommuner«
    assert {row[-1] for row in real.rows} <= set(danish.SIZE_GROUPS.values())


@pytest.mark.parametrize("origin", ["calibrated", "synthetic", "real"])
def test_the_added_questions_figures_stand_unless_their_answers_are_invented(data_copy, origin):
    """With example data calibrated to 2015, the answers to the questions this edition added
    are invented: their figures stand only in the edition of a municipality that answered,
    where they mark its own answers. Any other data show them in every edition."""
    _about(data_copy, origin=origin, **({"synthetic": "false"} if origin == "real" else {}))

    national = setup(data_dir=data_copy)
    respondent = setup(kommune="Køge", data_dir=data_copy)
    non_respondent = setup(kommune="Hørsholm", data_dir=data_copy)

    assert respondent.m.answered and not non_respondent.m.answered
    shown = origin != "calibrated"
    assert national.show_added == shown
    assert non_respondent.show_added == shown
    assert respondent.show_added


@pytest.mark.parametrize("origin", ["calibrated", "real"])
def test_a_non_respondents_group_table_leaves_out_the_added_questions_where_they_are_invented(
        data_copy, origin):
    """Hørsholm did not answer: its edition shows its size group's answers (Tabel 2). With
    example data calibrated to 2015, the rows of the questions this edition added, whose
    answers are invented, are left out, samarbejdstrappen's too (the text reads no results
    from them), and the text about the group names none of them; with real data they all
    stand, marked."""
    from analysis.report.content import own_group
    from analysis.report.content.own_verdicts import ADDED_MARK
    _about(data_copy, origin=origin, **({"synthetic": "false"} if origin == "real" else {}))
    report = setup(kommune="Hørsholm", data_dir=data_copy)
    questions = [row[0] for row in own_group.group_answers(report).rows]
    marked = [q for q in questions if q.endswith(ADDED_MARK)]
    picture = own_group.group_picture(report)
    words = " ".join([picture.top_words, picture.bottom_words, picture.largest_words,
                      picture.few_largest_words, picture.blank_words]).lower()
    assert picture.n_added == len(marked)
    if origin == "calibrated":
        assert not marked, marked
        assert "tillid" not in words and "samarbejdet med" not in words, words
        assert "Koordinatorens placering" in questions
    else:
        assert len(marked) >= 10, marked
        assert "Gensidig tillid" + ADDED_MARK in questions
