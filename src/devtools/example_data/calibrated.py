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
# The number of plans the 2015 report gives a case municipality: Køge's »samlet helhedsplan
# for fire store boligområder« is one plan.
CASE_PLANS = {"Køge": 1}
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
    # What the 2015 report tells of a case municipality's plans holds in the example data too,
    # so that its own edition never contradicts the national text.
    told = register["kommunenavn"].map(CASE_PLANS)
    register["antal_helhedsplaner"] = told.fillna(register["antal_helhedsplaner"]).astype(int)

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


def _ranked(scores: np.ndarray, counts: dict[int, int]) -> np.ndarray:
    """Codes with exactly ``counts[code]`` of each code, given out by rank: the lowest scores
    get the first code of ``counts``, the highest the last (``counts`` in scale order)."""
    assert sum(counts.values()) == len(scores), (len(scores), counts)
    ordered = np.concatenate([np.full(k, code) for code, k in counts.items()])
    codes = np.empty(len(scores), dtype=int)
    codes[np.argsort(scores, kind="stable")] = ordered
    return codes


def _scores(rng: np.random.Generator, latent: np.ndarray, noise: float) -> np.ndarray:
    return latent + rng.normal(0, noise, size=len(latent))


# The items the 2015 report published no results for, drawn so that the data agree with what
# the report concludes (see ``tests/test_calibration.py``): the collaboration lies mostly on
# the two lower steps of samarbejdstrappen; shared goals, trust and meeting fora at every level
# go with the upper steps; knowledge sharing across the departments is the exception rather
# than the rule. Each item: answer code -> how many of the 38 municipalities that answered the
# second half of the questionnaire give it (8 = "Ved ikke"), in scale order, and how much noise
# lies between the municipality's collaboration quality and its answer.
ADDED_ITEMS: dict[str, tuple[dict[int, int], float]] = {
    "trin_boligorganisation": ({1: 9, 2: 15, 3: 10, 4: 4}, 0.45),
    "trin_helhedsplan": ({1: 6, 2: 15, 3: 12, 4: 5}, 0.55),
    "faelles_maal": ({1: 2, 2: 5, 3: 8, 4: 14, 5: 6}, 0.5),
    "tillid": ({1: 1, 2: 4, 3: 9, 4: 16, 5: 6}, 0.5),
    "vidensdeling": ({1: 3, 2: 9, 3: 10, 4: 11, 5: 3}, 0.8),
    "ledelse_kommunikerer_maal": ({1: 2, 2: 8, 3: 11, 4: 13, 5: 3}, 0.9),
    "medarbejdere_snitflader": ({1: 1, 2: 6, 3: 12, 4: 14, 5: 3}, 0.9),
    "metodefrihed": ({1: 1, 2: 4, 3: 9, 4: 17, 5: 6}, 0.9),
}
# "Ved ikke" per agree item (the rest of the 38 answered).
DONT_KNOW = {"faelles_maal": 3, "tillid": 2, "vidensdeling": 2, "ledelse_kommunikerer_maal": 1,
             "medarbejdere_snitflader": 2, "metodefrihed": 1}
# Meeting fora across the organisations: how many of the 38 have one at each level.
FORUM_COUNTS = {"forum_strategisk": 21, "forum_taktisk": 27, "forum_udfoerende": 31}
INTERNAL_FORUM = 19          # a cross-departmental forum in the municipality ("ja")
# Satisfaction with the politicians' priority, alike in the two size groups as the 2015 report
# says of the leaders' priority: code -> count, per size group (16 large, 22 small answered).
POLITICIANS = {"large": {1: 1, 2: 3, 3: 5, 4: 6, 5: 1},
               "small": {1: 2, 2: 4, 3: 7, 4: 7, 5: 2}}
# What the report's text says of each case municipality, as answers: question -> the codes
# that agree with the text. Køge is the 2015 report's example of shared understanding built in
# workshops, of trust (a lunch that unlocked a negotiation, leaders who speak loyally of each
# other) and of a cross-departmental way of working that broke the silos; Sønderborg took the
# helhedsplan's way of involving young people into its own work (the fourth step); in
# Albertslund the helhedsplan and the kommune solved an acute case together (the third step),
# and their staff meet every week; Odense's steering group and follow-up group are fora at
# the strategic and tactical levels; Herning has a group with one member from every
# department. Køge's comprehensive plan, begun with the municipality's own money and the
# state's initiative agreements, had its politicians behind it.
CASE_ANSWERS: dict[str, dict[str, tuple[int, ...]]] = {
    "Køge": {"trin_boligorganisation": (3,), "trin_helhedsplan": (4,), "faelles_maal": (5,),
             "tillid": (5,), "vidensdeling": (4, 5), "internt_forum": (1,),
             "forum_strategisk": (1,), "forum_taktisk": (1,), "forum_udfoerende": (1,),
             "tilfreds_pol_ledelse": (4, 5)},
    "Sønderborg": {"trin_helhedsplan": (4,), "tillid": (4, 5),
                   "medarbejdere_snitflader": (4, 5)},
    "Albertslund": {"trin_helhedsplan": (3,), "tillid": (4, 5), "vidensdeling": (4, 5),
                    "forum_udfoerende": (1,)},
    "Odense": {"forum_strategisk": (1,), "forum_taktisk": (1,),
               "ledelse_kommunikerer_maal": (4, 5)},
    "Herning": {"internt_forum": (1,)},
}
# The case municipalities' place in the collaboration quality the answers are drawn around
# (1 = the highest of the respondents): Køge and Sønderborg among the best, the others above
# the middle.
CASE_RANKS = {"Køge": 1, "Sønderborg": 3, "Albertslund": 6, "Odense": 9, "Herning": 12}


def _place_cases(latent: np.ndarray, rows: dict[str, int]) -> np.ndarray:
    """The same latent scores, reordered so each case municipality has the rank it is given
    in :data:`CASE_RANKS` (the one there swaps places with it)."""
    latent = latent.copy()
    for name, rank in CASE_RANKS.items():
        i = rows[name]
        j = int(np.argsort(-latent, kind="stable")[rank - 1])
        latent[i], latent[j] = latent[j], latent[i]
    return latent


def _fit_cases(frame: pd.DataFrame, rows: dict[str, int], latent: np.ndarray,
               is_large: np.ndarray) -> None:
    """Give each case municipality an answer its text agrees with, by swapping answers with
    the respondent of its size group closest to it in collaboration quality who has such an
    answer (so every item keeps its exact distribution, in each size group too)."""
    cases = set(rows.values())
    for name, wanted in CASE_ANSWERS.items():
        i = rows[name]
        for column, codes in wanted.items():
            if frame.at[i, column] in codes:
                continue
            donors = [j for j in frame.index if j not in cases and frame.at[j, column] in codes
                      and is_large[j] == is_large[i]]
            j = min(donors, key=lambda d: (abs(latent[d] - latent[i]), d))
            frame.at[i, column], frame.at[j, column] = frame.at[j, column], frame.at[i, column]


def _added_answers(rng: np.random.Generator, latent: np.ndarray, is_large: np.ndarray,
                   adm: np.ndarray) -> pd.DataFrame:
    """The answers of the municipalities that answered the whole questionnaire to the items
    the 2015 report published nothing from (and to the politicians' priority)."""
    n = len(latent)
    out = pd.DataFrame(index=range(n))
    for item, (counts, noise) in ADDED_ITEMS.items():
        dont_know = DONT_KNOW.get(item, 0)
        scores = _scores(rng, latent, noise)
        if item in ("ledelse_kommunikerer_maal", "metodefrihed"):
            scores = scores + 0.4 * (adm - adm.mean())      # leaders who are seen to lead
        codes = np.full(n, 8)
        unsure = rng.choice(n, size=dont_know, replace=False)
        rest = np.setdiff1d(np.arange(n), unsure)
        codes[rest] = _ranked(scores[rest], counts)
        out[item] = codes
    # Fora at the three levels: the better the collaboration, the more levels.
    for column, count in FORUM_COUNTS.items():
        out[column] = _ranked(_scores(rng, latent, 0.5), {0: n - count, 1: count})
    # A cross-departmental forum goes with knowledge shared across the departments.
    sharing = np.where(out["vidensdeling"] == 8, 3, out["vidensdeling"]).astype(float)
    internal = sharing + 0.4 * is_large + rng.normal(0, 1.2, size=n)
    out["internt_forum"] = _ranked(internal, {2: n - INTERNAL_FORUM, 1: INTERNAL_FORUM})
    pol = np.empty(n, dtype=int)
    for group, mask in (("large", is_large), ("small", ~is_large)):
        idx = np.flatnonzero(mask)
        pol[idx] = _ranked(adm[idx] + rng.normal(0, 0.8, size=len(idx)), POLITICIANS[group])
    out["tilfreds_pol_ledelse"] = pol
    return out


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
    case_rows = {names[code]: int(i) for i, code in resp["kommunekode"].items()
                 if code in case_codes}
    latent = _place_cases(rng.normal(0, 0.7, size=n), case_rows)

    # Three small municipalities (no case municipality: the text tells of their work) left the
    # second half of the questionnaire unanswered.
    n_time_small = pub["smaa_fuldtid_eller_mere"]["base"]
    skippable = np.setdiff1d(idx_small, list(case_rows.values()))
    skipped = rng.choice(skippable, size=len(idx_small) - n_time_small, replace=False)
    answered_small = np.setdiff1d(idx_small, skipped)

    # Coordinator: exactly the published number without one, all among small municipalities
    # that are not case municipalities (each of those has a coordinator in the interviews).
    no_coord = rng.choice(np.setdiff1d(answered_small, list(case_rows.values())),
                          size=pub["ingen_koordinator"]["count"], replace=False)
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
    higher = np.full(n, 9)
    k_higher = pub["ledelse_kunne_prioritere_hoejere"]["count"]
    agree_codes = _exact(rng, len(answered), {
        5: 7, 4: k_higher - 7, 3: 6, 2: 8, 1: len(answered) - k_higher - 14})
    # Those least satisfied with the administration agree most that it could do more.
    order = answered[np.argsort(adm[answered] + rng.random(len(answered)), kind="stable")]
    higher[order] = np.sort(agree_codes)[::-1]

    survey = pd.DataFrame({
        "respondentid": np.arange(1, n + 1) + 1000,
        "kommunekode": resp["kommunekode"],
        "statoverall_1": 1, "statoverall_2": 1, "statoverall_3": 1,
        "statoverall_4": 1, "statoverall_5": 0,
        "har_koordinator": har,
        "koordinator_placering": placement,
        "tid_koordinering": time,
        "tilfreds_adm_ledelse": adm,
        "tilfreds_pol_ledelse": 9,
        "ledelse_kunne_prioritere_hoejere": higher,
    })
    added = _added_answers(rng, latent[answered], is_large[answered],
                           adm[answered].astype(float))
    added.index = answered
    for column in added.columns:
        survey[column] = 9 if column.startswith(("trin", "tilfreds", "internt")) or \
            column in AGREE_ITEMS else -1
        survey.loc[answered, column] = added[column]
    _fit_cases(survey, case_rows, latent, is_large)
    columns = ["respondentid", "kommunekode", "statoverall_1", "statoverall_2",
               "statoverall_3", "statoverall_4", "statoverall_5", "har_koordinator",
               "koordinator_placering", "tid_koordinering", "tilfreds_adm_ledelse",
               "tilfreds_pol_ledelse", "ledelse_kunne_prioritere_hoejere",
               "trin_boligorganisation", "trin_helhedsplan", *AGREE_ITEMS, "forum_strategisk",
               "forum_taktisk", "forum_udfoerende", "internt_forum"]
    survey = survey[columns]

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
