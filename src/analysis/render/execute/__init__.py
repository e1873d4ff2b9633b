"""Executing the chapter notebooks with papermill, in a kernel that is started once.

Starting a kernel and importing pandas, seaborn and statsmodels costs seconds; executing a
chapter notebook in a running kernel costs a fraction of one. ``WarmKernel`` starts one kernel
and registers a papermill engine (``warm``) that runs every notebook in it: papermill still
injects the parameters and records errors per cell, but the kernel survives between notebooks
and between reports. Before each notebook the kernel's namespace is cleared, so a notebook
sees exactly what it would see in a fresh kernel except for modules already imported (and the
library's cache of the national analysis, which is keyed by the data's hashes).

The warm engine sends a notebook to the kernel in one request, which runs its cells one by
one there (``analysis.report.in_kernel``); the ``inline`` engine, for the naive way, is
papermill's own nbclient with a request per cell. Both make the same notebook of it, and a
test holds them to that.

The modules, each using only those listed before it: ``errors`` (what executing raises),
``kernel_code`` (the kernel's name and the code sent to it), ``cells`` (a cell left out or
its markdown resolved), ``client`` (the cell-by-cell ``InlineClient``), ``protocol`` (the warm
run's messages to and from the kernel), ``engine`` (the papermill engines ``inline`` and
``warm``), ``run`` (a notebook through papermill, and ``run_cold``) and ``kernel``
(``WarmKernel`` and ``KernelStarter``).
"""

from analysis.report.dialect import AUDIENCE_TAGS
from analysis.render.execute.client import InlineClient
from analysis.render.execute.engine import InlineEngine, WarmEngine
from analysis.render.execute.errors import CellTimedOut, InlineExpressionError, NotebookFailed
from analysis.render.execute.kernel import KernelStarter, WarmKernel
from analysis.render.execute.kernel_code import (AUDIENCE_EXPRESSION, KERNEL_NAME, PRELOAD,
                                                 RESET, RUN_NOTEBOOK)
from analysis.render.execute.protocol import INTERRUPT_GRACE
from analysis.render.execute.run import run_cold

__all__ = [
    "AUDIENCE_EXPRESSION", "AUDIENCE_TAGS", "CellTimedOut", "INTERRUPT_GRACE", "InlineClient",
    "InlineEngine", "InlineExpressionError", "KERNEL_NAME", "KernelStarter", "NotebookFailed",
    "PRELOAD", "RESET", "RUN_NOTEBOOK", "WarmEngine", "WarmKernel", "run_cold",
]
