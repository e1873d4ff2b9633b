"""What a chapter notebook works with: the report, its numbers as Danish text, and who reads it.

Every notebook starts with ``r = setup(kommune=kommune, data_dir=data_dir, k=k)``. The returned
:class:`NotebookReport` is the report (national results, and the municipality for a municipal
report) with the small methods the prose calls from ``{eval}`` expressions::

    {eval}`koordinator.pct` af kommunerne ({eval}`koordinator.of`) har en koordinator.

``setup`` also makes the kernel show values the way Danish prose prints them: a text without
quotes, a whole number with a thousands dot (``1.234``). jupyterlab-myst shows a value's
``text/plain`` form, and the renderer inserts the same text, so what a researcher sees while
editing is what the reader gets.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from analysis.report import danish
from analysis.report.dialect import tags
from analysis.report.content.common import Stat
from analysis.stats.estimate import Share
from analysis.stats.results import Municipality, National, Report
from analysis.stats.results import setup as _report_setup

__all__ = ["setup", "audience", "NotebookReport", "Stat", "number", "percent", "plural"]

_CURRENT: "NotebookReport | None" = None


def number(value: int) -> str:
    """A whole number as Danish prose prints it: ``1234`` -> ``1.234``."""
    return danish.integer(value)


def plural(n: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: ``1 kommune``, ``3 kommuner``."""
    return danish.count_noun(n, singular, plural)


def percent(share: float, decimals: int = 0) -> str:
    """A share 0-1 as a Danish percentage: ``0.636`` -> ``64 %``."""
    return danish.percent(share, decimals)


def _stat(s: Share | None, population: int) -> Stat | None:
    if s is None or s.n == 0 or math.isnan(s.share):
        return None
    return Stat.of_share(s, population)


@dataclass(frozen=True)
class NotebookReport(Report):
    """The report as the notebooks see it."""

    public: bool = False   # municipal reports published openly (the study allows it)

    @property
    def m(self) -> Municipality | None:
        return self.municipality

    @property
    def nat(self) -> National:
        return self.national

    def share(self, question_id: str, group: str) -> Stat | None:
        """Share of the valid answers to a question in one of its answer groups."""
        return _stat(self.national.share(question_id, group), len(self.national.register))

    def group_share(self, question_id: str, group: str, size: str) -> Stat | None:
        """The same within a size group (``small``/``large``); None where disclosure control
        suppresses the group."""
        nat = self.national
        population = int((nat.register["size_group"] == size).sum())
        return _stat(nat.group_share(question_id, group, size), population)

    def option_share(self, column: str) -> Stat:
        """Share choosing one option of a multiple-choice question."""
        return _stat(self.national.option_share(column), len(self.national.register))

    def register_share(self, column: str) -> Stat:
        """Share of all municipalities with a helhedsplan that have ``column`` = 1."""
        return _stat(self.national.register_share(column), len(self.national.register))

    def own(self, question_id: str) -> str | None:
        """The municipality's own answer label, lower case (None if it gave none)."""
        m = self.municipality
        code = None if m is None else m.answer(question_id)
        if code is None:
            return None
        q = self.national.question(question_id)
        label = q.answers.get(code) or q.missing.get(code)
        return None if label is None else label[0].lower() + label[1:]

    def own_in(self, question_id: str, group: str) -> bool:
        """Whether the municipality's own answer lies in one of the question's answer groups."""
        m = self.municipality
        code = None if m is None else m.answer(question_id)
        return code is not None and code in self.national.question(question_id).groups[group]

    @property
    def size_words(self) -> str:
        """``små kommuner`` or ``store kommuner``: the municipality's size group."""
        return danish.SIZE_GROUP_SHORT[self.municipality.size_group]


def audience() -> str:
    """Which cell tags apply to the report in this kernel, comma-separated (the executor
    leaves out cells tagged for other reports)."""
    r = _CURRENT
    if r is None:
        raise RuntimeError("setup() must run before a cell tagged for some reports")
    m = r.municipality
    return ",".join(tags.applying(tags.report_kind(m is not None, m is not None and m.answered)))


def _plain(value, printer, cycle) -> None:
    printer.text(str(value))


def _integer(value, printer, cycle) -> None:
    printer.text(danish.integer(int(value)))


def _show_values_as_prose() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    plain = shell.display_formatter.formatters["text/plain"]
    plain.for_type(str, _plain)
    plain.for_type(bool, lambda v, p, c: p.text(repr(bool(v))))
    plain.for_type(int, _integer)
    plain.for_type(np.integer, _integer)


def setup(kommune: str | None = None, data_dir=None, k: int | None = None,
          public: bool = False) -> NotebookReport:
    """The report every chapter notebook starts from (see the module docstring)."""
    global _CURRENT
    _show_values_as_prose()
    base = _report_setup(kommune=kommune, data_dir=data_dir, k=k)
    _CURRENT = NotebookReport(national=base.national, municipality=base.municipality,
                              public=bool(public))
    return _CURRENT


def preload() -> None:
    """Import every module the notebooks use (called by the executor while a kernel is idle,
    so the first notebook does not wait for pandas, seaborn and statsmodels)."""
    import importlib
    import pkgutil

    from analysis.report import content

    importlib.import_module("analysis.report.figures")
    for module in pkgutil.iter_modules(content.__path__):
        importlib.import_module(f"{content.__name__}.{module.name}")
    _reuse_cell_transforms()


def _reuse_cell_transforms() -> None:
    """In the warm kernel, IPython's static input transformations (magics, ``!`` commands, help
    ``?``) are kept for each cell text: IPython tokenizes every cell twice per execution to
    apply them, the same cells run again in every report, and their result depends on nothing
    but the text. (The namespace-dependent rewriting of one-line cells comes after, untouched.)
    The cache is bounded: a report brings some sixteen texts of its own (each notebook's
    parameters, and the request that runs it), and the chapters' cells stay in it."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    manager = getattr(shell, "input_transformer_manager", None)
    if manager is None or hasattr(manager.transform_cell, "cache_info"):
        return
    manager.transform_cell = functools.lru_cache(maxsize=512)(manager.transform_cell)
