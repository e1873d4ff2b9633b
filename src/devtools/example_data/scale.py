"""The fictitious scale dataset: ``n`` entities ("Fiktivby 901", …) with every file a report
needs, to measure how the batch grows with the number of reports.

It shares the calibrated data's seed and forms of co-financing, and takes the shipped codebooks
and published figures unchanged, so every report renders every chapter. Its ``dataset.yaml``
says ``origin: synthetic``, so its reports say they are fictitious.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import paths
from devtools.example_data.calibrated import CO_FINANCING, SEED

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
    about.pop("calibrated", None)
    about["origin"] = "synthetic"    # fictitious entities: nothing here matches 2015
    (data_dir / "dataset.yaml").write_text(
        f"# A fictitious dataset of {n} entities for measuring scale; no real municipality.\n"
        + yaml.safe_dump(about, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {name: path for name, (path, _) in frames.items()}
