"""The calibrated example data: the shipped register and survey answers.

Uses the real municipality register (names, regions, population) and the real government lists
of particularly disadvantaged housing areas (to decide which municipalities are large), and
reproduces every count in ``data/reference/published_2015.yaml`` exactly, by construction;
elsewhere the answers are drawn around a latent "collaboration quality" per municipality, with
the fixed seed :data:`SEED`.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import paths
from analysis.core.settings import LARGE_THRESHOLD

SEED = 2015
CASE_MUNICIPALITIES = ("Albertslund", "Herning", "Køge", "Odense", "Sønderborg")
CO_FINANCING = ("medarbejderressourcer", "kontant_tilskud", "lokaler", "aktiviteter")
AGREE_ITEMS = ("faelles_maal", "tillid", "vidensdeling", "ledelse_kommunikerer_maal",
               "medarbejdere_snitflader", "metodefrihed")


def _published(reference_dir: Path) -> dict[str, dict]:
    raw = yaml.safe_load((reference_dir / "published_2015.yaml").read_text(encoding="utf-8"))
    return {f["id"]: f for f in raw["figures"]}


def _clean_residents(value: object) -> int:
    """The 2010-2011 lists store residents as strings with a thousands dot ("1.294")."""
    return int(str(value).replace(".", ""))


def _listed_areas(reference_dir: Path) -> pd.DataFrame:
    """Municipalities on any yearly list 2010-2017, with residents on the 2015 list."""
    raw = json.loads((reference_dir / "saerligt_udsatte_boligomraader_2010_2017.json")
                     .read_text(encoding="utf-8"))
    rows = [{"aar": int(year), "kommunenavn": unicodedata.normalize("NFC", area["municipality"]),
             "beboere": _clean_residents(area["residents"])}
            for year, areas in raw.items() for area in areas]
    frame = pd.DataFrame(rows)
    on_2015 = frame[frame["aar"] == 2015].groupby("kommunenavn")["beboere"].sum()
    ever = pd.Series(0, index=sorted(frame["kommunenavn"].unique()))
    return on_2015.reindex(ever.index, fill_value=0).rename("beboere_2015").to_frame()


def make_register(reference_dir: Path, rng: np.random.Generator) -> pd.DataFrame:
    """The helhedsplan register: one row per municipality with at least one helhedsplan."""
    pub = _published(reference_dir)
    n_with = pub["andel_med_helhedsplan"]["count"]
    n_small = pub["smaa_kommuner_under_4000"]["count"]
    n_staff = pub["medfinansiering_medarbejderressourcer"]["count"]

    kommuner = pd.read_csv(reference_dir / "kommuner.csv", dtype={"kommunekode": str})
    listed = _listed_areas(reference_dir)
    kommuner = kommuner.join(listed, on="kommunenavn")
    chosen = kommuner["beboere_2015"].notna() | kommuner["kommunenavn"].isin(CASE_MUNICIPALITIES)
    rest = kommuner[~chosen & (kommuner["folketal_2015"] > 20000)]
    weights = rest["folketal_2015"] / rest["folketal_2015"].sum()
    extra = rng.choice(rest.index.to_numpy(), size=n_with - int(chosen.sum()), replace=False,
                       p=weights.to_numpy())
    register = kommuner.loc[chosen | kommuner.index.isin(extra)].copy()
    register["beboere_2015"] = register["beboere_2015"].fillna(0)

    # Residents in helhedsplan areas: listed residents plus a share of the population.
    share = rng.uniform(0.01, 0.03, size=len(register))
    score = register["beboere_2015"] * rng.uniform(1.2, 1.8, size=len(register)) \
        + register["folketal_2015"] * share
    order = score.rank(ascending=False, method="first").astype(int)
    n_large = n_with - n_small
    large = order <= n_large
    residents = score.round(-1).astype(int)
    residents = np.where(large, np.maximum(residents, LARGE_THRESHOLD + 10 * order),
                         np.minimum(np.maximum(residents, 400), LARGE_THRESHOLD - 10 * order))
    register["beboere_i_omraader"] = residents.astype(int)
    per_plan = rng.uniform(1800, 3200, size=len(register))
    register["antal_helhedsplaner"] = np.maximum(1, np.rint(residents / per_plan)).astype(int)

    # Co-financing: staff resources for exactly n_staff; everyone uses at least one form.
    n = len(register)
    staff = np.zeros(n, dtype=int)
    staff[rng.choice(n, size=n_staff, replace=False)] = 1
    register["medfin_medarbejderressourcer"] = staff
    register["medfin_kontant_tilskud"] = (rng.random(n) < 0.55).astype(int)
    register["medfin_lokaler"] = (rng.random(n) < 0.40).astype(int)
    register["medfin_aktiviteter"] = (rng.random(n) < 0.30).astype(int)
    nothing = register[[f"medfin_{f}" for f in CO_FINANCING]].sum(axis=1) == 0
    register.loc[nothing, "medfin_kontant_tilskud"] = 1

    columns = ["kommunekode", "antal_helhedsplaner", "beboere_i_omraader",
               *[f"medfin_{f}" for f in CO_FINANCING]]
    return register[columns].sort_values("kommunekode").reset_index(drop=True)


def _exact(rng: np.random.Generator, n: int, counts: dict[int, int]) -> np.ndarray:
    """``n`` codes with exactly ``counts[code]`` of each code, in random order."""
    values = np.concatenate([np.full(k, code) for code, k in counts.items()])
    assert len(values) == n, (n, counts)
    return rng.permutation(values)


def _likert(rng: np.random.Generator, latent: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """Agree/satisfaction codes 1-5 around a latent quality score, with a few "Ved ikke"."""
    raw = 3.3 + shift + latent + rng.normal(0, 0.8, size=len(latent))
    codes = np.clip(np.rint(raw), 1, 5).astype(int)
    codes[rng.random(len(latent)) < 0.04] = 8
    return codes


def make_survey(register: pd.DataFrame, reference_dir: Path,
                rng: np.random.Generator) -> pd.DataFrame:
    """Survey answers in the SurveyXact dataset shape, calibrated to the published counts."""
    pub = _published(reference_dir)
    n_resp = pub["har_koordinator"]["base"]
    kommuner = pd.read_csv(reference_dir / "kommuner.csv", dtype={"kommunekode": str})
    names = dict(zip(kommuner["kommunekode"], kommuner["kommunenavn"]))
    case_codes = {k for k, v in names.items() if v in CASE_MUNICIPALITIES}

    large = register["beboere_i_omraader"] >= LARGE_THRESHOLD
    small_codes = register.loc[~large, "kommunekode"].tolist()
    non_resp = rng.choice([c for c in small_codes if c not in case_codes],
                          size=len(register) - n_resp, replace=False)
    resp = register[~register["kommunekode"].isin(non_resp)].reset_index(drop=True)
    is_large = (resp["beboere_i_omraader"] >= LARGE_THRESHOLD).to_numpy()
    n = len(resp)
    idx_large = np.flatnonzero(is_large)
    idx_small = np.flatnonzero(~is_large)
    latent = rng.normal(0, 0.7, size=n)

    # Three small municipalities left the second half of the questionnaire unanswered.
    n_time_small = pub["smaa_fuldtid_eller_mere"]["base"]
    skipped = rng.choice(idx_small, size=len(idx_small) - n_time_small, replace=False)
    answered_small = np.setdiff1d(idx_small, skipped)

    # Coordinator: exactly the published number without one, all among small municipalities.
    no_coord = rng.choice(answered_small, size=pub["ingen_koordinator"]["count"], replace=False)
    har = np.ones(n, dtype=int)
    har[no_coord] = 2

    placement = np.full(n, -1)
    with_coord = np.flatnonzero(har == 1)
    n_mayor = pub["koordinator_i_borgmesterkontor"]["count"]
    placement[with_coord] = _exact(rng, len(with_coord),
                                   {1: n_mayor, 2: len(with_coord) - n_mayor})

    # Weekly time: exact split per size group; without a coordinator, very little time.
    time = np.full(n, 9)
    k_large_full = pub["store_fuldtid_eller_mere"]["count"]
    time[idx_large] = _exact(rng, len(idx_large), {
        5: 3, 4: k_large_full - 3, 3: 4, 2: 3, 1: len(idx_large) - k_large_full - 7})
    k_small_full = pub["smaa_fuldtid_eller_mere"]["count"]
    k_small_half = pub["smaa_halvtid_eller_mindre"]["count"]
    low_first = np.concatenate([no_coord, np.setdiff1d(answered_small, no_coord)])
    small_codes_time = np.concatenate([
        np.full(len(no_coord), 1),
        rng.permutation(np.concatenate([
            np.full(k_small_half - len(no_coord) - 6, 1), np.full(6, 2),
            np.full(len(answered_small) - k_small_half - k_small_full, 3),
            np.full(k_small_full, 4)]))])
    time[low_first] = small_codes_time

    # Leadership: satisfaction alike across size groups; exactly half agree "could be higher".
    answered = np.concatenate([idx_large, answered_small])
    adm = np.full(n, 9)
    adm[idx_large] = _exact(rng, len(idx_large), {1: 1, 2: 2, 3: 4, 4: 7, 5: 2})
    adm[answered_small] = _exact(rng, len(answered_small), {1: 1, 2: 3, 3: 6, 4: 9, 5: 3})
    pol = np.full(n, 9)
    pol[answered] = _likert(rng, latent[answered], -0.3)
    higher = np.full(n, 9)
    k_higher = pub["ledelse_kunne_prioritere_hoejere"]["count"]
    agree_codes = _exact(rng, len(answered), {
        5: 7, 4: k_higher - 7, 3: 6, 2: 8, 1: len(answered) - k_higher - 14})
    # Those least satisfied with the administration agree most that it could do more.
    order = answered[np.argsort(adm[answered] + rng.random(len(answered)), kind="stable")]
    higher[order] = np.sort(agree_codes)[::-1]

    def step(shift: float) -> np.ndarray:
        raw = 2.1 + shift + latent + rng.normal(0, 0.6, size=n)
        return np.clip(np.rint(raw), 1, 4).astype(int)

    survey = pd.DataFrame({
        "respondentid": np.arange(1, n + 1) + 1000,
        "kommunekode": resp["kommunekode"],
        "statoverall_1": 1, "statoverall_2": 1, "statoverall_3": 1,
        "statoverall_4": 1, "statoverall_5": 0,
        "har_koordinator": har,
        "koordinator_placering": placement,
        "tid_koordinering": time,
        "tilfreds_adm_ledelse": adm,
        "tilfreds_pol_ledelse": pol,
        "ledelse_kunne_prioritere_hoejere": higher,
        "trin_boligorganisation": step(0.0),
        "trin_helhedsplan": step(0.3),
    })
    for item in AGREE_ITEMS:
        survey[item] = _likert(rng, latent, -0.2 if item == "vidensdeling" else 0.0)
    survey["forum_strategisk"] = (rng.random(n) < 0.45 + 0.2 * is_large).astype(int)
    survey["forum_taktisk"] = (rng.random(n) < 0.65 + 0.2 * is_large).astype(int)
    survey["forum_udfoerende"] = (rng.random(n) < 0.80).astype(int)
    survey["internt_forum"] = np.where(rng.random(n) < 0.5 + 0.25 * is_large + 0.2 * latent, 1, 2)
    later = ["tilfreds_pol_ledelse", "trin_boligorganisation", "trin_helhedsplan",
             "internt_forum", *AGREE_ITEMS]
    survey.loc[skipped, later] = 9
    survey.loc[skipped, ["forum_strategisk", "forum_taktisk", "forum_udfoerende"]] = -1

    # Two non-responding municipalities opened the questionnaire but did not complete it.
    started = pd.DataFrame({
        "respondentid": [n + 1001, n + 1002],
        "kommunekode": sorted(non_resp)[:2],
        "statoverall_1": 1, "statoverall_2": 1, "statoverall_3": 0,
        "statoverall_4": 0, "statoverall_5": 0,
        "har_koordinator": [1, 1], "koordinator_placering": [2, -1],
    })
    survey = pd.concat([survey, started], ignore_index=True)
    code_columns = survey.columns.drop(["respondentid", "kommunekode"])
    survey[code_columns] = survey[code_columns].astype("Int64").mask(survey[code_columns] < 0)
    return survey.sort_values("respondentid").reset_index(drop=True)


def generate(data_dir: Path) -> dict[str, Path]:
    """Write the synthetic register and survey answers under ``data_dir``."""
    rng = np.random.default_rng(SEED)
    reference_dir = data_dir / "reference"
    register = make_register(reference_dir, rng)
    survey = make_survey(register, reference_dir, rng)
    written = {
        "register": paths.register_file(data_dir),
        "survey": paths.survey_file(data_dir),
    }
    for path in written.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    register.to_csv(written["register"], index=False, lineterminator="\n")
    survey.to_csv(written["survey"], index=False, lineterminator="\n")
    return written
