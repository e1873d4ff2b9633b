"""How a report was made: inputs and their hashes, code version, parameters, render date."""

from __future__ import annotations

import functools
import subprocess

from analysis import __version__
from analysis.core import paths
from analysis.core.settings import render_date
from analysis.report.danish import date
from analysis.stats.results import Report


@functools.lru_cache(maxsize=1)
def code_commit() -> str:
    """The git commit of the code (with ``+ændringer`` if the tree has changes), or ``ukendt``."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.PROJECT_ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "notebooks"],
                               cwd=paths.PROJECT_ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "ukendt"
    return commit + ("+ændringer" if dirty else "")


def describe(report: Report) -> dict:
    nat = report.national
    m = report.municipality
    return {
        "report": "national" if m is None else f"{m.code} {m.name}",
        "inputs": dict(nat.dataset.files),
        "code": {"version": __version__, "commit": code_commit()},
        "parameters": {"kommune": None if m is None else m.code, "k": nat.plan.k,
                       "synthetic": report.synthetic},
        "rendered": date(render_date()),
        "suppressed": nat.plan.records(),
    }
