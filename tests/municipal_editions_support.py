"""The data the municipal editions' tests check every edition of (test_municipal_editions.py,
test_municipal_editions_text.py): the shipped data, and a second, differently shaped dataset
built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.report.notebook import setup

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
FRONT = PROJECT / "notebooks" / "00_forside.ipynb"


def codes(data_dir: Path) -> list[str]:
    register = pd.read_csv(data_dir / "register" / "helhedsplaner.csv", dtype=str)
    return list(register["kommunekode"])


# ---------------------------------------------------------------- a second dataset

def reshaped_data(tmp: Path) -> Path:
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


# ---------------------------------------------------------------- counts from the survey table

def comparison_frame(r, question: str, whole: bool = False) -> tuple[pd.DataFrame, bool]:
    """The survey's respondents a municipality's answer to ``question`` is compared with, read
    from the survey table itself (not through the code under test): its size group where the
    disclosure plan shows the group's answers (or, with ``whole``, the whole country), and
    whether that is the size group."""
    frame = r.national.respondents
    shown = not whole and r.national.plan.is_shown(question, "size_group", r.m.size_group)
    return (frame[frame["size_group"] == r.m.size_group] if shown else frame), shown


def valid_codes(r, frame: pd.DataFrame, question: str) -> pd.Series:
    """The valid answer codes of ``question`` in ``frame`` (no blank, no code outside the
    codebook's answers; a 0/1 option column of a multiple question is valid where not blank)."""
    codes = pd.to_numeric(frame[question], errors="coerce").dropna().astype(int)
    if question not in r.national.codebook.questions:
        return codes
    return codes[codes.isin(list(r.national.question(question).answers))]


def counted_share(r, frame: pd.DataFrame, question: str, group: str,
                  outside: bool) -> tuple[int, int]:
    """(how many give an answer the share counts, how many answered validly) in ``frame``, for
    a recommendation rule's (question, group, outside): the counted answers are the group's
    where ``outside`` (the rule is triggered outside it), else those outside the group; for an
    option column (``group`` '') the counted answer is 1."""
    codes = valid_codes(r, frame, question)
    if group == "":
        return int((codes == 1).sum()), len(codes)
    inside = codes.isin(r.national.question(question).groups[group])
    return int((inside if outside else ~inside).sum()), len(codes)


def same_side(r, question: str, group: str, whole: bool = False) -> tuple[int, int, bool]:
    """(how many of the comparison group, the municipality included, are on its side of the
    line ``group`` draws, how many answered validly, whether the group is the size group),
    counted from the survey table."""
    frame, shown = comparison_frame(r, question, whole)
    codes = valid_codes(r, frame, question)
    groups = r.national.question(question).groups[group]
    mine = r.m.answer(question) in groups
    return int((codes.isin(groups) == mine).sum()), len(codes), shown


def editions_of(data_dir: Path | None):
    """Every municipality's edition of the shipped data (``None``) or of ``data_dir``."""
    return [setup(kommune=code, data_dir=data_dir) for code in codes(data_dir or DATA)]


# The fixtures both test files use (imported there by name): the reshaped dataset is built once
# per session.
@pytest.fixture(scope="session")
def reshaped(tmp_path_factory) -> Path:
    return reshaped_data(tmp_path_factory.mktemp("omformet"))


@pytest.fixture(scope="session", params=["shipped", "reshaped"])
def editions(request, reshaped):
    return editions_of(None if request.param == "shipped" else reshaped)


# The overview's two satisfaction rules and their questions.
SATISFACTION = {"adm_prioritering": "tilfreds_adm_ledelse",
                "pol_prioritering": "tilfreds_pol_ledelse"}


def same_band(r, question):
    """(how many of the comparison group answer ``question`` in the municipality's own band:
    dissatisfied, neither or satisfied; how many answered), counted from the survey table;
    None where the municipality gave no answer on the scale."""
    answer = r.m.answer(question)
    if answer not in r.national.question(question).answers:
        return None
    frame = r.national.respondents
    if r.national.plan.is_shown(question, "size_group", r.m.size_group):
        frame = frame[frame["size_group"] == r.m.size_group]
    codes = pd.to_numeric(frame[question], errors="coerce").dropna().astype(int)
    codes = codes[codes.isin(list(r.national.question(question).answers))]
    groups = r.national.question(question).groups
    band = {c: "tilfreds" if c in groups["tilfreds"] else
            "utilfreds" if c in groups["utilfreds"] else "neutral"
            for c in r.national.question(question).answers}
    return int((codes.map(band) == band[answer]).sum()), len(codes)


def group_table_questions(r) -> list[str]:
    """The overview's questions a non-respondent's table of its size group shows: with the
    example data calibrated to 2015 (``r.show_added`` false) not those this edition added
    (the codebook's published_2015 and asked_2015 both false), whose answers are invented."""
    from analysis.report.content import advice, own

    def kept(name):
        qid = advice.question_id(r, advice.TRIGGERS[name][0])
        q = r.national.question(qid)
        return r.show_added or q.published_2015 is not False or q.asked_2015
    return [name for name in own.OVERVIEW if kept(name)]
