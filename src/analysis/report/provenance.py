"""The provenance record of a report, filled in from what the analysis knows."""

from __future__ import annotations

from analysis import __version__
from analysis.core.provenance import Provenance, code_commit
from analysis.core.settings import render_date
from analysis.report.danish import date
from analysis.stats.results import Report


def describe(report: Report) -> Provenance:
    nat = report.national
    m = report.municipality
    return Provenance(
        report="national" if m is None else f"{m.code} {m.name}",
        inputs=dict(nat.dataset.files), version=__version__, commit=code_commit(),
        parameters={"kommune": None if m is None else m.code, "k": nat.plan.k,
                    "synthetic": report.synthetic},
        rendered=date(render_date()), suppressed=nat.plan.records())
