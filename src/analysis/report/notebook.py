"""What a chapter notebook works with: the report, its numbers as Danish text, and who reads it.

Every notebook starts with the same two cells: its parameters (``kommune``, ``data_dir``,
``k``, ``offentlig``), then::

    from analysis.report.notebook import *

    r = setup(kommune, data_dir, k, offentlig)

The import gives a notebook everything it calls (:data:`__all__`: ``setup``, the chapters'
modules ``ch1``, ``themes``, ``own`` …, and the prose's helpers ``plural``, ``quotes`` …).
The returned :class:`NotebookReport` is the report (national results, and the municipality for
a municipal report) with the small methods the prose calls from ``{eval}`` expressions::

    {eval}`koordinator.pct` af kommunerne ({eval}`koordinator.of`) har en koordinator.

``setup`` also makes the kernel show values the way Danish prose prints them: a text without
quotes, a whole number with a thousands dot (``1.234``). jupyterlab-myst shows a value's
``text/plain`` form, and the renderer inserts the same text, so what a researcher sees while
editing is what the reader gets. A value that is None shows as ``–`` in JupyterLab (a report
never prints it: see :func:`analysis.report.in_kernel.answer`), and ``r.med(...)``, the marker
line of a cell that is not in every report (see :mod:`analysis.report.dialect.marker`), shows
whether the cell is in the report the kernel holds.
"""

from __future__ import annotations

import functools
import html
import importlib
import math
import sys
from dataclasses import dataclass

import numpy as np

from analysis.report import danish
from analysis.report.dialect import tags
from analysis.report.dialect import tags as audience_tags  # (``tags`` is med's argument)
from analysis.report.content.common import Items, Stat, items
from analysis.stats.estimate import Share
from analysis.stats.results import Municipality, National, Report
from analysis.stats.results import setup as _report_setup

# What a notebook's ``from analysis.report.notebook import *`` gives it: these, and the names
# of _NOTEBOOK_NAMES (imported when the notebook asks for them: the chapters' modules import
# this one).
_NOTEBOOK_NAMES = {
    "advice": ("analysis.report.content.advice", None),
    "appendix": ("analysis.report.content.appendix", None),
    "ch1": ("analysis.report.content.ch1", None),
    "front": ("analysis.report.content.front", None),
    "own": ("analysis.report.content.own", None),
    "themes": ("analysis.report.content.themes", None),
    "quotes": ("analysis.report.content.common", "quotes"),
    "own_excerpts": ("analysis.report.content.common", "own_excerpts"),
    "count_word": ("analysis.report.danish", "count_word"),
}
__all__ = ["setup", "audience", "NotebookReport", "Stat", "number", "percent", "plural",
           *_NOTEBOOK_NAMES]

# What JupyterLab shows for a value that is None in the report the kernel holds.
NONE_SHOWN = "–"

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


def __getattr__(name: str):
    """The chapters' modules and helpers a notebook imports from here (see ``__all__``)."""
    if name not in _NOTEBOOK_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _NOTEBOOK_NAMES[name]
    found = importlib.import_module(module)
    return found if attribute is None else getattr(found, attribute)


def _stat(s: Share | None, population: int, base: str = "") -> Stat | None:
    if s is None or s.n == 0 or math.isnan(s.share):
        return None
    return Stat.of_share(s, population, base)


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

    @property
    def show_added(self) -> bool:
        """Whether the report shows the figures of the questions this edition added: always
        with real data or uncalibrated synthetic data; with the example data calibrated to
        2015, whose answers to those questions are invented, only in the edition of a
        municipality that answered, where the figures mark its own answers. A figure cell
        writes ``maal_fig if r.show_added else None``, and its description cells carry the
        condition too."""
        if not (self.synthetic and self.calibrated):
            return True
        return self.municipality is not None and self.municipality.answered

    def share(self, question_id: str, group: str) -> Stat | None:
        """Share of the valid answers to a question in one of its answer groups."""
        return _stat(self.national.share(question_id, group), len(self.national.register),
                     self._base(question_id))

    def group_share(self, question_id: str, group: str, size: str) -> Stat | None:
        """The same within a size group (``small``/``large``); None where disclosure control
        suppresses the group."""
        nat = self.national
        population = int((nat.register["size_group"] == size).sum())
        return _stat(nat.group_share(question_id, group, size), population,
                     self._base(question_id, danish.SIZE_GROUP_LONG[size]))

    def option_share(self, column: str) -> Stat:
        """Share choosing one option of a multiple-choice question."""
        question = next(q.id for q in self.national.codebook.questions.values()
                        if column in q.options)
        return _stat(self.national.option_share(column), len(self.national.register),
                     self._base(question))

    def register_share(self, column: str) -> Stat:
        """Share of all municipalities with a helhedsplan that have ``column`` = 1."""
        return _stat(self.national.register_share(column), len(self.national.register),
                     "kommuner med en helhedsplan")

    def _base(self, question_id: str, who: str = "kommuner") -> str:
        """What a share of a question's answers is of: ``kommuner med et gyldigt svar på
        »Gensidig tillid«``."""
        return f"{who} med et gyldigt svar på »{self.national.question(question_id).short}«"

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
        groups = self.national.question(question_id).groups
        if group not in groups:
            raise KeyError(f"{question_id!r} has no answer group {group!r}; its groups: "
                           f"{', '.join(groups) or 'none'} (docs/values.md lists them all)")
        return code is not None and code in groups[group]

    @property
    def size_words(self) -> str:
        """The municipality's size group, as running text names it: ``kommuner med under 4.000
        beboere i helhedsplansområderne`` (the residents of the areas the plans cover, not the
        municipality's population)."""
        return danish.SIZE_GROUP_LONG[self.municipality.size_group]

    @property
    def added_items(self) -> Items:
        """The questions this edition added: the 2015 report published no results from them
        (``published_2015: false`` in the codebook). ``r.added_items.names`` lists them."""
        return items(self, added=True)

    def med(self, hvis: str | None = None, tags: str = "") -> "Inclusion":
        """Whether a cell with the condition ``hvis`` and the audience ``tags``
        (space-separated) is in this report: the marker line of a cell that is not in every
        report, shown in JupyterLab as a badge (see :mod:`analysis.report.dialect.marker`).
        As when a report is rendered, the tags decide first and the condition, evaluated in
        the notebook's namespace, only for a cell they keep."""
        m = self.municipality
        report = (f"{m.title}s rapport" if m is not None else "landsrapporten")
        wanted = tags.split()
        notes = [f"tag{'s' if len(wanted) > 1 else ''}: {', '.join(wanted)}"] if wanted else []
        kind = audience_tags.report_kind(m is not None, m is not None and m.answered)
        if wanted and not audience_tags.shown(wanted, audience_tags.applying(kind)):
            only = " og i ".join(AUDIENCE_WORDS[name] for name in wanted if name in AUDIENCE_WORDS)
            return Inclusion(False, report, f"kun i {only}", hvis)
        if hvis is not None:
            namespace = _namespace()
            kept = bool(eval(hvis, namespace))
            notes.append(f"hvis: {hvis} er {'sand' if kept else 'falsk'}")
            if not kept:
                return Inclusion(False, report, "; ".join(notes), hvis)
        return Inclusion(True, report, "; ".join(notes), hvis)

    @property
    def published_items(self) -> Items:
        """The questions the 2015 report published results from."""
        return items(self, added=False)


# Who gets a cell with each audience tag, as a marker's badge says it ("kun i …").
AUDIENCE_WORDS = {
    "national": "landsrapporten",
    "kommune": "kommunernes rapporter",
    "kommune-svar": "rapporterne til kommuner, der har svaret",
    "kommune-ikke-svar": "rapporterne til kommuner, der ikke har svaret",
}
assert set(AUDIENCE_WORDS) == tags.AUDIENCE_TAGS


@dataclass(frozen=True)
class Inclusion:
    """What a cell's marker shows in JupyterLab: whether the cell is in this report (its
    truth value), which report that is, and why (the tags and the condition that decided)."""

    included: bool
    report: str
    why: str = ""
    condition: str | None = None

    def __bool__(self) -> bool:
        return self.included

    @property
    def text(self) -> str:
        """``✓ med i landsrapporten`` or ``✗ ikke med i Køge Kommunes rapport (kun i …)``."""
        said = f"✓ med i {self.report}" if self.included else f"✗ ikke med i {self.report}"
        return f"{said} ({self.why})" if self.why else said

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.text)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.included else "#b42318"
        style = (f"display:inline-block;font-size:80%;line-height:1.4;padding:0 6px;"
                 f"border:1px solid {colour};border-radius:4px;color:{colour};"
                 f"font-family:var(--jp-ui-font-family,sans-serif)")
        state = "med" if self.included else "udeladt"
        return (f'<span class="rapport-marker rapport-{state}" style="{style}" '
                f'title="{html.escape(self.text, quote=True)}">{html.escape(self.text)}</span>')


def _namespace() -> dict:
    """The notebook's namespace: the kernel's, or (outside IPython) the caller's caller's."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(2).f_globals


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
    plain.for_type(type(None), lambda v, p, c: p.text(NONE_SHOWN))
    plain.for_type(bool, lambda v, p, c: p.text(repr(bool(v))))
    plain.for_type(int, _integer)
    plain.for_type(np.integer, _integer)


def setup(kommune: str | None = None, data_dir=None, k: int | None = None,
          public: bool = False) -> NotebookReport:
    """The report every chapter notebook starts from (see the module docstring): national,
    or ``kommune``'s (a name or a kommunekode), from the data in ``data_dir`` (None: the
    project's ``data/``), figures showing no group of fewer than ``k`` answers (None: 5);
    ``public`` for a municipal report published openly."""
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
