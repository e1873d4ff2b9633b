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
