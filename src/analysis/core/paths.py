"""Every path rule of the project: where inputs live and where each report is written."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from analysis.core import settings
from analysis.core.settings import PROJECT_ROOT

_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def default_data_dir() -> Path:
    """The project's ``data/`` folder, or ``$RAPPORT_DATA_DIR`` when set."""
    return settings.data_dir()


def default_out_dir() -> Path:
    return settings.out_dir()


NOTEBOOKS_ENV = "RAPPORT_NOTEBOOKS"


def notebooks_dir() -> Path:
    """The chapter notebooks: the project's ``notebooks/`` folder, or ``$RAPPORT_NOTEBOOKS``
    when set (a copy of that folder, e.g. for a test that edits notebooks)."""
    configured = os.environ.get(NOTEBOOKS_ENV, "").strip()
    return Path(configured).resolve() if configured else settings.project_root() / "notebooks"


def reference_dir(data_dir: Path) -> Path:
    return data_dir / "reference"


def kommuner_file(data_dir: Path) -> Path:
    return data_dir / "reference" / "kommuner.csv"


def published_file(data_dir: Path) -> Path:
    return data_dir / "reference" / "published_2015.yaml"


def register_file(data_dir: Path) -> Path:
    return data_dir / "register" / "helhedsplaner.csv"


def survey_file(data_dir: Path) -> Path:
    """The survey answers: ``besvarelser.csv``, or a SurveyXact/SPSS export in ``survey/``."""
    return data_dir / "survey" / "besvarelser.csv"


def survey_codebook_file(data_dir: Path) -> Path:
    return data_dir / "survey" / "codebook.yaml"


def excerpts_file(data_dir: Path) -> Path:
    return data_dir / "interviews" / "excerpts.csv"


def interview_codebook_file(data_dir: Path) -> Path:
    return data_dir / "interviews" / "codebook.yaml"


def slug(name: str) -> str:
    """ASCII slug of a municipality name: ``Køge`` -> ``koege``, ``Ærø`` -> ``aeroe``."""
    text = name.translate(_ASCII).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def staging_dir(out_dir: Path) -> Path:
    """``outputs/.staging``: reports being written, moved into place only when complete."""
    return out_dir / ".staging"


def report_key(kommunekode: str | None) -> str:
    """A report's key in the manifest: ``national`` or the municipality's kommunekode."""
    return "national" if kommunekode is None else kommunekode


def report_dir(out_dir: Path, kommunekode: str | None, name: str | None) -> Path:
    """``outputs/national`` or ``outputs/kommuner/<kode>-<slug>``."""
    if kommunekode is None:
        return out_dir / "national"
    return out_dir / "kommuner" / f"{kommunekode}-{slug(name or '')}"
