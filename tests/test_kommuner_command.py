"""``rapport kommuner --svar``/``--hvor``: each municipality's answer to a question, and only
the municipalities that gave an answer (a code, a label or an answer group)."""

import pandas as pd
import pytest

from analysis.cli import main
from analysis.core import paths
from analysis.inputs.codebook import load_survey_codebook
from shipped_inputs import DATA


LEGEND = ("– = not asked of this municipality (the survey's skip logic, asked_if in the "
          "codebook), or it did not answer the survey; Ved ikke = asked, answered »ved ikke«; "
          "Ikke besvaret = asked, but not answered.")


def _kommuner(capsys, tmp_path, *args) -> tuple[int, list[str], list[str]]:
    code = main(["kommuner", "--data", str(DATA), "--out", str(tmp_path / "out"), *args])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


def _answers() -> pd.DataFrame:
    answers = pd.read_csv(paths.survey_file(DATA), dtype=str, keep_default_na=False)
    return answers[answers["statoverall_4"] == "1"]


def test_svar_adds_each_municipalitys_answer_label(capsys, tmp_path):
    koege = _answers().set_index("kommunekode").loc["259"]
    tillid = load_survey_codebook(paths.survey_codebook_file(DATA))["tillid"]
    label = tillid.answers[int(koege["tillid"])]

    code, out, err = _kommuner(capsys, tmp_path, "--svar", "tillid", "--svar", "forum_taktisk")

    assert code == 0 and err == [LEGEND]
    assert len(out) == 44                                      # every municipality in the register
    assert f"259  Køge             answered   not rendered  tillid: {label}  forum_taktisk: " \
           f"{'ja' if koege['forum_taktisk'] == '1' else 'nej'}" in out
    assert "223  Hørsholm         no answer  not rendered  tillid: –  forum_taktisk: –" in out


def test_svar_with_an_answer_keeps_those_who_gave_it(capsys, tmp_path):
    answers = _answers()
    mayor = set(answers.loc[answers["koordinator_placering"] == "1", "kommunekode"])

    code, out, err = _kommuner(capsys, tmp_path, "--svar", "koordinator_placering=1")

    assert code == 0
    assert {line.split()[0] for line in out} == mayor
    assert all(line.endswith("koordinator_placering: Borgmesterkontoret (fagneutral enhed)")
               for line in out)
    assert err == [LEGEND, f"{len(mayor)} municipalities with koordinator_placering=1"]


@pytest.mark.parametrize(("answer", "codes"), [("enig", {"4", "5"}), ("ENIG", {"4", "5"}),
                                               ("4", {"4"}), ("overvejende  Enig", {"4"})])
def test_hvor_takes_a_group_a_code_or_a_label(capsys, tmp_path, answer, codes):
    answers = _answers()
    expected = set(answers.loc[answers["tillid"].isin(codes), "kommunekode"])

    code, out, _ = _kommuner(capsys, tmp_path, "--hvor", f"tillid={answer}")

    assert code == 0
    assert {line.split()[0] for line in out} == expected
    assert all(line.endswith("not rendered") for line in out)      # --hvor adds no column


def test_conditions_all_hold(capsys, tmp_path):
    answers = _answers()
    both = answers[(answers["har_koordinator"] == "1") & (answers["forum_strategisk"] == "1")]

    code, out, _ = _kommuner(capsys, tmp_path, "--hvor", "har_koordinator=ja",
                             "--hvor", "forum=Strategisk niveau")

    assert code == 0
    assert {line.split()[0] for line in out} == set(both["kommunekode"])


@pytest.mark.parametrize(("args", "expected"), [
    (["--svar", "tilid"],
     "--svar: value 'tilid' — expected a question id of the survey codebook (did you mean "
     "'tillid'?)"),
    (["--hvor", "tillid"],
     "--hvor: value 'tillid' — expected QUESTION=ANSWER, e.g. tillid=enig or har_koordinator=2"),
    (["--hvor", "har_koordinator=7"],
     "--hvor: value 'har_koordinator=7' — expected har_koordinator=ANSWER with ANSWER an answer "
     "code or label (1 = Ja; 2 = Nej; 8 = Ved ikke; 9 = Ikke besvaret); or a group: ja, nej"),
])
def test_an_unknown_question_or_answer_is_one_clear_line(capsys, tmp_path, args, expected):
    code, out, err = _kommuner(capsys, tmp_path, *args)

    assert code == 1 and out == []
    assert err == [expected, "1 problem(s) found."]


def test_the_legend_tells_not_asked_from_not_answered(capsys, tmp_path):
    # "–": a blank in the answer file, which the skip logic leaves where a question was not
    # asked (the coordinator's placement, in a municipality without one); "Ikke besvaret": the
    # missing code 9, a question that was asked and left unanswered
    answers = _answers()
    skipped = answers.loc[answers["koordinator_placering"] == "", "kommunekode"]
    unanswered = answers.loc[answers["internt_forum"] == "9", "kommunekode"]
    assert set(answers.loc[answers["kommunekode"].isin(skipped), "har_koordinator"]) == {"2"}

    code, out, err = _kommuner(capsys, tmp_path, "--svar", "koordinator_placering",
                               "--svar", "internt_forum")

    lines = {line.split()[0]: line for line in out}
    assert code == 0 and skipped.size and unanswered.size
    assert all("koordinator_placering: –" in lines[k] for k in skipped)
    assert all(lines[k].endswith("internt_forum: Ikke besvaret") for k in unanswered)
    assert err == [LEGEND]
    # an option column has no missing codes; --hvor alone adds no column and no legend
    assert _kommuner(capsys, tmp_path, "--svar", "forum_taktisk")[2] == [LEGEND.split(";")[0]
                                                                         + "."]
    assert _kommuner(capsys, tmp_path, "--hvor", "tillid=enig")[2][0].endswith("tillid=enig")


def test_the_help_says_what_every_option_and_mark_means(capsys):
    with pytest.raises(SystemExit):
        main(["kommuner", "--help"])
    text = " ".join(capsys.readouterr().out.split())

    assert "--data DIR the data folder" in text and "--out DIR the output folder" in text
    assert "– = not asked of this municipality (the survey's skip logic" in text
    assert "Ikke besvaret = asked, but not answered" in text
