"""Every setting of the project in one place: the environment variables it reads, their
defaults, and the rules they feed (the size-group threshold, the reproducible date).

Standard library only, so that the batch's no-change check can read settings without importing
the analysis.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from pathlib import Path

# The checkout the installed package (the running code) comes from.
PACKAGE_ROOT = Path(__file__).resolve().parents[3]
# The code's checkout: its src/ is the code that runs (code hashes, git commit). The project a
# command works on (notebooks/, data/, outputs/, fortroligt/) is project_root().
PROJECT_ROOT = PACKAGE_ROOT
PROJECT_NAME = "kommunerne-paa-banen"      # [project] name in pyproject.toml

# Environment variables (each one's default is below it).
PROJECT_ENV = "RAPPORT_PROJEKT"            # the checkout you stand in, else the installed one
DATA_DIR_ENV = "RAPPORT_DATA_DIR"          # data/ in the project folder
OUT_DIR_ENV = "RAPPORT_OUT_DIR"            # outputs/ in the project folder
K_ENV = "RAPPORT_K"                        # DEFAULT_K
ENGINE_ENV = "RAPPORT_ENGINE"              # auto
SCHEDULER_ENV = "RAPPORT_SCHEDULER"        # none: local workers
KEYS_ENV = "RAPPORT_NOEGLER"               # fortroligt/adgangsfraser.csv in the project folder
EPOCH_ENV = "SOURCE_DATE_EPOCH"            # today's date; no date inside files

# The smallest number of answers a published group may have (disclosure control).
DEFAULT_K = 5
# Municipalities with this many residents in their helhedsplan areas or more are "large".
LARGE_THRESHOLD = 4000
# Used where a file format insists on a date and SOURCE_DATE_EPOCH is not set.
DEFAULT_EPOCH = 946_684_800  # 2000-01-01T00:00:00Z
# What a report depends on besides its data, code and parameters (sent to cluster workers).
REPORT_ENVIRONMENT = (EPOCH_ENV, K_ENV)


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def is_project(folder: Path) -> bool:
    """A checkout of this project: ``notebooks/`` and a ``pyproject.toml`` naming it."""
    try:
        if not (folder / "notebooks").is_dir():
            return False
        with open(folder / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle).get("project", {}).get("name") == PROJECT_NAME
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        return False


@functools.lru_cache(maxsize=8)
def _project_root(configured: str, cwd: str) -> Path:
    if configured:
        folder = Path(configured).expanduser().resolve()
        if not is_project(folder):
            from analysis.core.problems import InputError, Problem
            raise InputError([Problem(PROJECT_ENV, None, None, configured,
                                      f"a checkout of this project: a folder with notebooks/ "
                                      f"and a pyproject.toml naming {PROJECT_NAME}")])
        return folder
    here = Path(cwd)
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return PACKAGE_ROOT


def project_root() -> Path:
    """The project a command works on: ``$RAPPORT_PROJEKT``, else the nearest checkout of this
    project at or above the current folder, else the installed package's own checkout.

    Raises InputError when ``$RAPPORT_PROJEKT`` names no checkout of the project.
    """
    try:
        cwd = os.getcwd()
    except OSError:          # the current folder was deleted
        cwd = str(PACKAGE_ROOT)
    return _project_root(_env(PROJECT_ENV), cwd)


def project_notice() -> str | None:
    """One line saying which project is used, when it is not the installed package's checkout
    (None when it is)."""
    root = project_root()
    if root == PACKAGE_ROOT.resolve():
        return None
    why = f"${PROJECT_ENV}" if _env(PROJECT_ENV) else "the current folder"
    return (f"rapport: using the project in {root} (from {why}); the command is installed "
            f"from {PACKAGE_ROOT}")


def data_dir() -> Path:
    """``$RAPPORT_DATA_DIR`` or the project's ``data/`` folder."""
    return Path(_env(DATA_DIR_ENV) or project_root() / "data")


def out_dir() -> Path:
    """``$RAPPORT_OUT_DIR`` or the project's ``outputs/`` folder."""
    return Path(_env(OUT_DIR_ENV) or project_root() / "outputs")


def k(value: int | None = None) -> int:
    """The disclosure threshold: ``value`` when given, else ``$RAPPORT_K``, else 5."""
    if value is not None:
        return int(value)
    return int(_env(K_ENV) or DEFAULT_K)


def k_setting() -> str | None:
    """``$RAPPORT_K`` as set (None when unset), for cache keys."""
    return os.environ.get(K_ENV)


def engine() -> str:
    return _env(ENGINE_ENV) or "auto"


def scheduler() -> str | None:
    return _env(SCHEDULER_ENV) or None


def keys_file() -> Path:
    """``$RAPPORT_NOEGLER``, else ``fortroligt/adgangsfraser.csv`` in the project folder."""
    configured = _env(KEYS_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    return project_root() / "fortroligt" / "adgangsfraser.csv"


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, or None when unset or not a number."""
    value = _env(EPOCH_ENV)
    return int(value) if value.isdigit() else None


def fixed_datetime() -> dt.datetime:
    """A naive UTC datetime that is the same on every run (SOURCE_DATE_EPOCH or 2000-01-01)."""
    epoch = source_date_epoch()
    stamp = dt.datetime.fromtimestamp(DEFAULT_EPOCH if epoch is None else epoch, dt.UTC)
    return stamp.replace(tzinfo=None)


def render_date() -> dt.date:
    """The date printed on a report: ``SOURCE_DATE_EPOCH``'s day when set, else today."""
    epoch = source_date_epoch()
    if epoch is None:
        return dt.date.today()
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def report_environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in REPORT_ENVIRONMENT}
