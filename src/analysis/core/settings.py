"""Every setting of the project in one place: the environment variables it reads, their
defaults, and the rules they feed (the size-group threshold, the reproducible date).

Standard library only, so that the batch's no-change check can read settings without importing
the analysis.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]

# Environment variables (each one's default is below it).
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


def data_dir() -> Path:
    """``$RAPPORT_DATA_DIR`` or the project's ``data/`` folder."""
    return Path(_env(DATA_DIR_ENV) or PROJECT_ROOT / "data")


def out_dir() -> Path:
    """``$RAPPORT_OUT_DIR`` or the project's ``outputs/`` folder."""
    return Path(_env(OUT_DIR_ENV) or PROJECT_ROOT / "outputs")


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
    return PROJECT_ROOT / "fortroligt" / "adgangsfraser.csv"


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
