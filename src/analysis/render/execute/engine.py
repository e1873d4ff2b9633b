"""The papermill engines, registered by name: ``inline`` (a kernel of its own, a request per
cell) and ``warm`` (the shared, already running kernel, a notebook in one request)."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from analysis.render.execute.client import InlineClient
from analysis.render.execute.protocol import KernelRun

if TYPE_CHECKING:
    from analysis.render.execute.kernel import WarmKernel


class InlineEngine(NBClientEngine):
    """papermill engine with a kernel of its own that also resolves the markdown cells: a
    request per cell, through nbclient (the naive way, and the reference for the warm one)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        return InlineClient(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                            kernel_name=kernel_name, log=logging.getLogger("papermill"),
                            log_output=log_output).execute()


class Shared:
    """The kernel the warm engine runs in: set by ``WarmKernel.run`` for the notebook it
    runs."""

    kernel: "WarmKernel | None" = None


class _Record(NotebookExecutionManager):
    """papermill's record of a run (each cell's status, start, end and duration), with a
    cell's duration computed from its start time by ``datetime.fromisoformat``: papermill reads
    the time it wrote back with dateutil's general parser, which took 40 ms of a report."""

    def cell_complete(self, cell, cell_index=None, **kwargs):
        record = cell.metadata.papermill
        started, record["start_time"] = record.get("start_time"), None
        super().cell_complete(cell, cell_index, **kwargs)
        record["start_time"] = started
        if started:
            record["duration"] = (datetime.datetime.fromisoformat(record["end_time"])
                                  - datetime.datetime.fromisoformat(started)).total_seconds()


class WarmEngine(NBClientEngine):
    """papermill engine that executes in the shared, already running kernel, a notebook in
    one request (see :class:`KernelRun`)."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                         log_output=False, autosave_cell_every=30, **kwargs):
        """papermill's ``Engine.execute_notebook``, keeping the run's record in a
        :class:`_Record`."""
        nb_man = _Record(nb, output_path=output_path, progress_bar=progress_bar,
                         log_output=log_output, autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        KernelRun(nb_man, Shared.kernel, execution_timeout).execute()
        return nb_man.nb


papermill_engines.register("warm", WarmEngine)
papermill_engines.register("inline", InlineEngine)
