"""The example data: regenerated identically, and reproducing every published 2015 count."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from shared_renders import RAPPORT, background_render
from devtools import example_data
from analysis.inputs.dataset import load_dataset

PROJECT = Path(__file__).resolve().parents[1]
# The words of the front page's notice on the calibrated example data that a report on other
# data must not say (its numbers reproduce those published from the 2015 survey). Taken from
# the notice itself (test below), so that a search for them cannot pass on stale words.
CALIBRATED_NOTICE = "gengiver de tal, der blev offentliggjort fra undersøgelsen i 2015"
PUBLISHED = yaml.safe_load((PROJECT / "data/reference/published_2015.yaml").read_text("utf-8"))
FIGURES = {f["id"]: f for f in PUBLISHED["figures"]}


def test_generator_reproduces_committed_files(data_copy):
    written = example_data.generate(data_copy)

    for path in written.values():
        committed = PROJECT / "data" / path.relative_to(data_copy)
        assert path.read_bytes() == committed.read_bytes(), path.name


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PROJECT / "data")


def _counts(dataset) -> dict[str, tuple[int, int]]:
    from published import published_counts_from
    return published_counts_from(dataset)


@pytest.mark.parametrize("figure_id", [f["id"] for f in PUBLISHED["figures"] if "count" in f])
def test_published_count_reproduced(dataset, figure_id):
    count, base = _counts(dataset)[figure_id]

    assert (count, base) == (FIGURES[figure_id]["count"], FIGURES[figure_id]["base"])


def test_the_shipped_data_say_they_are_calibrated_and_are():
    from analysis.report.notebook import setup

    r = setup()

    assert r.origin == "calibrated" and r.reproduces_2015 and r.calibrated


def test_the_scale_dataset_says_it_is_synthetic(tmp_path):
    from analysis.report.notebook import setup

    example_data.generate_scale(tmp_path / "data", 12)
    r = setup(data_dir=tmp_path / "data")

    assert r.origin == "synthetic" and r.synthetic and not r.calibrated


def test_population_facts(dataset):
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    in_register = {names[k] for k in dataset.register["kommunekode"]}

    assert len(dataset.survey.answers) == PUBLISHED["population"]["respondenter"]
    assert set(PUBLISHED["population"]["casekommuner"]) <= in_register


def test_size_groups_in_time_question(dataset):
    ans = dataset.survey.answers.merge(dataset.register, on="kommunekode")
    timed = ans[ans["tid_koordinering"].isin([1, 2, 3, 4, 5])]

    assert (timed["beboere_i_omraader"] >= 4000).sum() == 16
    assert (timed["beboere_i_omraader"] < 4000).sum() == 22


def test_every_chapter_two_to_six_has_three_excerpts(dataset):
    chapters = dataset.excerpts["temaer"].map(
        lambda codes: {dataset.themes[c].chapter for c in codes})
    for chapter in range(2, 7):
        assert chapters.map(lambda s: chapter in s).sum() >= 3, chapter


def test_real_quotes_are_the_six_from_2015(dataset):
    real = dataset.excerpts[dataset.excerpts["kilde"] == "real"]

    assert len(real) == 6
    assert real["henvisning"].str.contains("2015").all()
    assert set(real["rolle"]) == {"Kommunal taktiker", "Kommunal strateg"}


def test_scale_dataset_is_valid_fictitious_and_reproducible(tmp_path):
    import pandas as pd

    real = pd.read_csv(PROJECT / "data/reference/kommuner.csv", dtype=str)
    first = example_data.generate_scale(tmp_path / "a", 200)
    again = example_data.generate_scale(tmp_path / "b", 200)

    dataset = load_dataset(tmp_path / "a")
    assert len(dataset.kommuner) == 200 and len(dataset.register) == 200
    assert 150 <= len(dataset.survey.answers) < 200
    assert len(dataset.excerpts) > 0
    names = dataset.kommuner["kommunenavn"]
    assert names.str.match(r"^Fiktivby \d{3}$").all()
    assert not set(names) & set(real["kommunenavn"])
    # the first 240 codes are ones no real municipality has
    assert not set(example_data.scale_codes(200)) & set(real["kommunekode"])
    assert set(dataset.excerpts["kilde"]) == {"synthetic"}
    for name, path in first.items():
        assert path.read_bytes() == again[name].read_bytes(), name


def test_scale_codes_cover_the_three_digit_range_and_refuse_more():
    codes = example_data.scale_codes(1000)

    assert len(set(codes)) == 1000 and all(len(c) == 3 and c.isdigit() for c in codes)
    with pytest.raises(ValueError, match="1 to 1000"):
        example_data.scale_codes(1001)


def _scale_data(data: Path) -> None:
    """The fictitious scale dataset of 45 entities, in place of the shipped data."""
    shutil.rmtree(data)
    example_data.generate_scale(data, 45)


scale_render = background_render(
    "scale_render", [*RAPPORT, "render", "--data", "{data}", "--out", "{out}", "--format", "html"],
    prepare=_scale_data)


@pytest.mark.e2e
def test_a_report_on_the_scale_dataset_says_it_is_fictitious(scale_render):
    # the shipped data's notice (calibrated to the 2015 figures) would be untrue here
    html = (scale_render.out / "national" / "rapport.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\u00ad", ""))
    assert re.search(r"fiktiv|syntetisk", text)
    assert CALIBRATED_NOTICE not in text


def test_the_calibrated_notice_holds_the_words_other_reports_are_searched_for():
    import nbformat

    nb = nbformat.read(PROJECT / "notebooks" / "00_forside.ipynb", as_version=4)
    notices = [" ".join(c.source.split()) for c in nb.cells
               if "forside" in c.metadata.get("tags", [])
               and c.source.startswith("% hvis:") and "r.calibrated" in c.source.split("\n")[0]]
    assert len(notices) == 1 and CALIBRATED_NOTICE in notices[0]
