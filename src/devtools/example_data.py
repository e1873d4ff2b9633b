"""Deterministic generator of the synthetic, calibrated example data.

The real 2015 microdata are not public. This module writes a helhedsplan register and survey
answers that

* use the real municipality register (names, regions, population) and the real government
  lists of particularly disadvantaged housing areas (to decide which municipalities are large);
* reproduce every count in ``data/reference/published_2015.yaml`` exactly, by construction;
* are plausible elsewhere (answers drawn around a latent "collaboration quality" per
  municipality with a fixed seed).

Run ``python -m devtools.example_data [DATA_DIR]`` to (re)write the files; a test re-generates
them and compares with the committed copies. ``--size N`` writes the fictitious scale dataset
instead (``calibrated: false`` in its ``dataset.yaml``, so its reports say they are fictitious).

A development tool, not part of the report tool. It is one module of about 430 lines because
the calibrated data and the scale data share one construction (register, answers, excerpts)
and one seed; split, each half would need the other's internals.
"""

from __future__ import annotations

import json
import sys
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


# ---------------------------------------------------------------- the scale dataset

# Files a scale dataset takes unchanged from the shipped data (they describe the questionnaire,
# the interview themes and the 2015 figures, not the entities).
SCALE_COPIED = ("survey/codebook.yaml", "interviews/codebook.yaml",
                "reference/published_2015.yaml")
MAX_SCALE = 1000        # kommunekoder have three digits
# Codes no Danish municipality has (real ones run 101-860), used before any other.
_UNUSED_CODES = [*range(900, 1000), *range(861, 900), *range(1, 101), 0]
_SCALE_TEXTS = (
    "Vi mødes hver måned med boligorganisationen, og det har gjort det lettere at tage fat i "
    "de svære sager, før de vokser.",
    "Det tog et par år, før forvaltningerne så helhedsplanen som deres egen og ikke kun som "
    "boligorganisationens projekt.",
    "Når direktionen har sagt klart, hvad vi vil med området, kan vi prioritere uden at spørge "
    "om lov hver gang.",
    "Medarbejderne i helhedsplanen kender familierne, og vores sagsbehandlere kender reglerne. "
    "Sammen når vi længere.",
    "Vi har stadig for lidt tid til koordineringen; den ligger oven i alt det andet.",
    "Styregruppen træffer beslutningerne, men det er i den lokale arbejdsgruppe, de bliver til "
    "noget.",
)


def scale_codes(n: int) -> list[str]:
    """``n`` three-digit codes, those no real municipality has first."""
    if not 1 <= n <= MAX_SCALE:
        raise ValueError(f"a scale dataset has 1 to {MAX_SCALE} entities, not {n}")
    order = _UNUSED_CODES + [c for c in range(1000) if c not in set(_UNUSED_CODES)]
    return sorted(f"{c:03d}" for c in order[:n])


def _scale_kommuner(n: int, rng: np.random.Generator) -> pd.DataFrame:
    from analysis.inputs.dataset import REGIONS

    codes = scale_codes(n)
    return pd.DataFrame({
        "kommunekode": codes,
        "kommunenavn": [f"Fiktivby {c}" for c in codes],
        "region": [REGIONS[i % len(REGIONS)] for i in range(n)],
        "folketal_2015": np.rint(rng.lognormal(10.6, 0.7, size=n)).astype(int) + 2000,
    })


def _scale_register(kommuner: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(kommuner)
    residents = np.rint(kommuner["folketal_2015"].to_numpy() * rng.uniform(0.01, 0.08, n),
                        ).astype(int) // 10 * 10 + 400
    register = pd.DataFrame({
        "kommunekode": kommuner["kommunekode"],
        "antal_helhedsplaner": np.maximum(1, np.rint(residents / rng.uniform(1800, 3200, n))
                                          ).astype(int),
        "beboere_i_omraader": residents,
    })
    for i, form in enumerate(CO_FINANCING):
        register[f"medfin_{form}"] = (rng.random(n) < (0.8, 0.55, 0.4, 0.3)[i]).astype(int)
    nothing = register[[f"medfin_{f}" for f in CO_FINANCING]].sum(axis=1) == 0
    register.loc[nothing, "medfin_medarbejderressourcer"] = 1
    return register


def _scale_survey(register: pd.DataFrame, codebook, rng: np.random.Generator) -> pd.DataFrame:
    """Answers to every question of the codebook: nine in ten entities complete the survey,
    each answer drawn around a latent quality score, "asked_if" respected."""
    n = len(register)
    respond = np.sort(rng.choice(n, size=max(1, round(0.9 * n)), replace=False))
    m = len(respond)
    latent = rng.normal(0, 0.7, size=m)
    survey = pd.DataFrame({
        codebook.id_column: np.arange(1, m + 1) + 1000,
        codebook.kommune_column: register["kommunekode"].to_numpy()[respond],
        "statoverall_1": 1, "statoverall_2": 1, "statoverall_3": 1, "statoverall_4": 1,
        "statoverall_5": 0,
    })
    survey[codebook.completion_column] = codebook.completed_code
    for q in codebook.questions.values():
        if q.type == "multiple":
            for option in q.options:
                survey[option] = (rng.random(m) < 0.5 + 0.2 * latent).astype(int)
            continue
        if q.type == "number":
            survey[q.id] = np.rint(np.exp(rng.normal(1.5, 0.8, m))).astype(int)
            continue
        codes = np.array(sorted(q.answers))
        if q.type == "ordinal":
            position = (len(codes) - 1) * (0.5 + 0.35 * latent + rng.normal(0, 0.25, m))
            values = codes[np.clip(np.rint(position), 0, len(codes) - 1).astype(int)]
        else:
            values = rng.choice(codes, size=m)
        values = values.astype(object)
        if q.missing:
            values[rng.random(m) < 0.03] = min(q.missing)
        survey[q.id] = values
    for q in codebook.questions.values():
        for other, allowed in q.asked_if.items():
            skip = ~survey[other].isin(list(allowed))
            survey.loc[skip, list(q.columns)] = None
    columns = survey.columns.drop([codebook.id_column, codebook.kommune_column])
    survey[columns] = survey[columns].astype("Int64")
    return survey


def _scale_excerpts(register: pd.DataFrame, themes: list[str], roles: list[str],
                    rng: np.random.Generator) -> pd.DataFrame:
    """Two synthetic excerpts for about a third of the entities, attributable or not."""
    rows = []
    chosen = register["kommunekode"].to_numpy()[rng.random(len(register)) < 0.35]
    for code in chosen:
        for _ in range(2):
            role = roles[rng.integers(len(roles))]
            organisation = ("kommune" if role.startswith(("Kommunal", "Udførende kommunal"))
                            else "helhedsplan" if "helhedsplan" in role
                            else "boligorganisation")
            rows.append({
                "excerpt_id": f"F{len(rows) + 1:05d}",
                "tekst": _SCALE_TEXTS[rng.integers(len(_SCALE_TEXTS))],
                "kommunekode": code, "organisation": organisation,
                "niveau": ("strategisk", "taktisk", "udførende")[rng.integers(3)],
                "rolle": role,
                "temaer": ";".join(sorted(rng.choice(themes, size=rng.integers(1, 3),
                                                     replace=False))),
                "kilde": "synthetic", "henvisning": "Syntetisk skaleringsdatasæt",
                "maa_tilskrives_kommune": "ja" if rng.random() < 0.6 else "nej"})
    return pd.DataFrame(rows)


def generate_scale(data_dir: Path, n: int, seed: int = SEED) -> dict[str, Path]:
    """Write a complete, clearly fictitious dataset of ``n`` entities ("Fiktivby 901", …) into
    ``data_dir``: reference list, register, survey answers and interview excerpts, with the
    shipped codebooks, to measure how the batch scales."""
    from analysis.inputs.codebook import load_interview_codebook, load_survey_codebook

    rng = np.random.default_rng(seed + n)
    shipped = paths.PROJECT_ROOT / "data"
    for rel in SCALE_COPIED:
        (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / rel).write_bytes((shipped / rel).read_bytes())
    codebook = load_survey_codebook(paths.survey_codebook_file(data_dir))
    themes, roles = load_interview_codebook(paths.interview_codebook_file(data_dir))
    kommuner = _scale_kommuner(n, rng)
    register = _scale_register(kommuner, rng)
    frames = {
        "kommuner": (paths.kommuner_file(data_dir), kommuner),
        "register": (paths.register_file(data_dir), register),
        "survey": (paths.survey_file(data_dir), _scale_survey(register, codebook, rng)),
        "excerpts": (paths.excerpts_file(data_dir),
                     _scale_excerpts(register, sorted(themes), list(roles or ()), rng)),
    }
    for path, frame in frames.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, lineterminator="\n")
    about = yaml.safe_load((shipped / "dataset.yaml").read_text(encoding="utf-8"))
    about["synthetic"] = True
    about["calibrated"] = False      # fictitious entities: nothing here matches 2015
    (data_dir / "dataset.yaml").write_text(
        f"# A fictitious dataset of {n} entities for measuring scale; no real municipality.\n"
        + yaml.safe_dump(about, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {name: path for name, (path, _) in frames.items()}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m devtools.example_data")
    parser.add_argument("data_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--size", type=int, default=None,
                        help=f"write a fictitious scale dataset of SIZE entities (1-{MAX_SCALE}) "
                             "instead of the calibrated example data")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = args.data_dir or paths.default_data_dir()
    if args.size is not None and data_dir.resolve() == (paths.PROJECT_ROOT / "data").resolve():
        parser.error("a scale dataset goes into a folder of its own, not the shipped data/")
    written = generate(data_dir) if args.size is None else generate_scale(data_dir, args.size)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
