"""The report stays true for another dataset: a new survey wave dropped into a copy of the
shipped data, under the shipped ``dataset.yaml`` (which still says ``origin: calibrated``).

The wave (made here from the shipped data): Sønderborg, a case municipality, has left the
helhedsplan register; three municipalities have joined it, two of which answered (46
municipalities, 42 respondents); and only 16 of the 42 have a coordinator (38,1 %, where the
2015 report printed 90 %). The report must then not say that its numbers reproduce the 2015
figures, must say that a case municipality is not in the data, and must call 38,1 % against
90 % a difference, not a matter of rounding.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import danish
from analysis.report.content import appendix, ch1
from analysis.report.notebook import setup
from shared_renders import FIRST_ENV, RAPPORT, background_render

DROPPED = ("540", "Sønderborg")      # a case municipality that leaves the register
JOINED = 3                           # municipalities that join the register
ANSWERED = 2                         # of them, those that complete the questionnaire
WITH_COORDINATOR = 16                # of the 42 respondents
REGISTER, RESPONDENTS = 44 - 1 + JOINED, 41 - 1 + ANSWERED
# The words of the front page's notice on the calibrated example data: the wave's report, whose
# numbers no longer reproduce the 2015 figures, must not say them (checked against the notice
# itself below, so that their absence cannot pass on stale words).
CALIBRATED_NOTICE = "gengiver de tal, der blev offentliggjort fra undersøgelsen i 2015"


def make_second_wave(data: Path) -> None:
    """Turn a copy of the shipped data into the second wave described above."""
    kommuner = pd.read_csv(data / "reference" / "kommuner.csv", dtype=str)
    register_file = data / "register" / "helhedsplaner.csv"
    reg = pd.read_csv(register_file, dtype=str)
    reg = reg[reg["kommunekode"] != DROPPED[0]]
    newcomers = sorted(set(kommuner["kommunekode"]) - set(reg["kommunekode"])
                       - {DROPPED[0]})[:JOINED]
    added = pd.DataFrame({"kommunekode": newcomers, "antal_helhedsplaner": "1",
                          "beboere_i_omraader": "1500", "medfin_medarbejderressourcer": "1",
                          "medfin_kontant_tilskud": "0", "medfin_lokaler": "1",
                          "medfin_aktiviteter": "0"})
    pd.concat([reg, added]).sort_values("kommunekode").to_csv(register_file, index=False)

    survey_file = data / "survey" / "besvarelser.csv"
    ans = pd.read_csv(survey_file, dtype=str, keep_default_na=False)
    ans = ans[ans["kommunekode"] != DROPPED[0]]
    completed = ans[ans["statoverall_4"] == "1"]
    template = completed.iloc[:ANSWERED].copy()       # two new answers like two old ones
    template["kommunekode"] = newcomers[:ANSWERED]
    template["respondentid"] = [str(int(ans["respondentid"].astype(int).max()) + 1 + i)
                                for i in range(ANSWERED)]
    ans = pd.concat([ans, template], ignore_index=True)
    done = ans.index[ans["statoverall_4"] == "1"]
    without = done[WITH_COORDINATOR:]
    ans.loc[done[:WITH_COORDINATOR], "har_koordinator"] = "1"
    ans.loc[done[:WITH_COORDINATOR], "koordinator_placering"] = \
        ans.loc[done[:WITH_COORDINATOR], "koordinator_placering"].replace("", "2")
    ans.loc[without, "har_koordinator"] = "2"
    ans.loc[without, "koordinator_placering"] = ""
    ans.to_csv(survey_file, index=False)


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> Path:
    import shutil

    from shared_renders import DATA

    data = tmp_path_factory.mktemp("second_wave") / "data"
    shutil.copytree(DATA, data)
    make_second_wave(data)
    return data


@pytest.fixture(scope="module")
def r(wave):
    return setup(data_dir=wave)


def test_the_wave_has_the_shape_it_is_meant_to_have(r):
    nat = r.national
    coordinator = r.share("har_koordinator", "ja")

    assert (len(nat.register), len(nat.respondents)) == (REGISTER, RESPONDENTS)
    assert (coordinator.count, coordinator.n) == (WITH_COORDINATOR, RESPONDENTS)
    assert DROPPED[1] not in set(nat.register["kommunenavn"])


def test_the_data_no_longer_claim_to_reproduce_2015(r):
    assert r.origin == "calibrated"           # dataset.yaml was left as shipped
    assert not r.reproduces_2015
    assert not r.calibrated and r.calibration_lost


def test_the_calibrated_notice_holds_the_words_the_wave_is_searched_for():
    import nbformat

    path = Path(__file__).resolve().parents[1] / "notebooks" / "00_forside.ipynb"
    nb = nbformat.read(path, as_version=4)
    notices = [" ".join(c.source.split()) for c in nb.cells
               if "forside" in c.metadata.get("tags", [])
               and c.source.startswith("% hvis:") and "r.calibrated" in c.source.split("\n")[0]]
    assert len(notices) == 1 and CALIBRATED_NOTICE in notices[0]


def test_the_wave_is_still_synthetic_and_its_source_lines_say_so(r):
    # the wave's numbers are not the register's, whatever they reproduce
    assert r.synthetic
    # the case table shows only what is real in every dataset (its population)
    assert appendix.case_table(r).source.endswith("Kilde: Danmarks Statistik, 2015 "
                                                  "(indbyggertal).")
    assert f"Kilde: {danish.SYNTHETIC_SURVEY}" in ch1.time_figure(r).source
    assert "Helhedsplanregistret" not in ch1.region_table(r).source


def test_the_shipped_data_do_reproduce_2015():
    shipped = setup()

    assert shipped.calibrated and not shipped.calibration_lost


def test_a_case_municipality_outside_the_register_is_named(r):
    cases = appendix.cases(r)
    table = appendix.case_table(r)

    assert (cases.count, cases.n_in_data, cases.n_missing) == (5, 4, 1)
    assert cases.missing == DROPPED[1] and not cases.all_in_data
    assert cases.count_words == "fem" and cases.n_in_data_words == "fire"
    assert [row[0] for row in table.rows] == ["Albertslund", "Herning", "Køge", "Odense"]


def test_a_difference_beyond_rounding_is_called_a_difference(r):
    labels = {fid: fid for fid in appendix.FIGURE_IDS}
    rows = {row[0]: row for row in appendix.findings(r, labels).rows}

    assert rows["har_koordinator"][2] == "16 af 42 = 38,1\u00a0%"
    assert rows["har_koordinator"][3] == "afviger"
    assert rows["andel_med_helhedsplan"][3] == "afviger"          # 44 af 98 against 46 af 98


def test_the_printed_n_follows_the_wave(r):
    answers = r.national.respondents
    timed = int(answers["tid_koordinering"].isin([1, 2, 3, 4, 5]).sum())

    assert f"N\u00a0=\u00a0{timed}." in ch1.time_figure(r).source
    assert f"N\u00a0=\u00a0{REGISTER}." in ch1.region_table(r).source


second_wave_national = background_render(
    "second_wave_national",
    [*RAPPORT, "render", "--format", "html", "--data", "{data}", "--out", "{out}"],
    env=FIRST_ENV, prepare=make_second_wave)


def _text(page: str) -> str:
    """The visible text of an HTML page, soft hyphens and tags removed, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text)


def _table(page: str, ident: str) -> list[str]:
    """The text of each body row of the table ``ident``."""
    match = re.search(rf'<table id="tbl-{ident}">(.*?)</table>', page, flags=re.S)
    assert match, ident
    body = match.group(1).split("<tbody>", 1)[-1]
    return [_text(row).strip() for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


@pytest.mark.e2e
def test_the_rendered_report_on_the_wave_says_only_what_is_true(second_wave_national):
    page = (second_wave_national.out / "national" / "rapport.html").read_text(encoding="utf-8")
    text = _text(page)

    # the front page: no claim that the numbers reproduce 2015's, and not that the data are
    # the fictitious scale dataset either
    assert CALIBRATED_NOTICE not in text
    assert "skaleringsdatasæt" not in text
    # Bilag 1: four rows, and no sentence that speaks of five over them
    cases = _table(page, "casekommuner")
    assert len(cases) == 4 and not any(DROPPED[1] in row for row in cases)
    assert "De fem casekommuner" not in text
    # Bilag 3: 38,1 % against 2015's 90 % is a difference, not rounding
    coordinator = next(row for row in _table(page, "forskelle") if "16 af 42" in row)
    assert "afviger" in coordinator and "afrundet anderledes" not in coordinator
    # the N under the time figure is the wave's
    assert re.search(r"N = 3\d\. Kilde", text)
