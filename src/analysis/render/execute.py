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
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import KernelManager
from nbclient.exceptions import DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import (prepare_notebook_metadata, raise_for_execution_errors,
                               remove_error_markers)
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from papermill.utils import chdir

from analysis.report import inline
from analysis.report.in_kernel import CELL, MARKER

KERNEL_NAME = "python3"
# Clears the user's names (like %reset -f, without its slow full garbage collection) and any
# open figures, so each notebook starts from an empty namespace.
RESET = """\
_ip = get_ipython()
import sys as _sys
if "analysis.report.notebook" in _sys.modules:
    _sys.modules["analysis.report.notebook"]._CURRENT = None
for _name in [n for n in _ip.user_ns if not n.startswith('_') and n not in _ip.user_ns_hidden]:
    del _ip.user_ns[_name]
import sys as _sys
if 'matplotlib.pyplot' in _sys.modules:
    _sys.modules['matplotlib.pyplot'].close('all')
del _ip, _sys
"""


# Executes a notebook's cells in one request (see analysis.report.in_kernel), after RESET.
RUN_NOTEBOOK = "__import__('analysis.report.in_kernel', fromlist=['run_notebook']).run_notebook"
# What the notebooks import, loaded while the kernel waits for its first notebook: the report
# stage's preload list, so this stage need not know the report's modules.
PRELOAD = "import analysis.report.notebook; analysis.report.notebook.preload()"
# Cell tags that limit a cell to some reports; the report in the kernel says which apply.
AUDIENCE_TAGS = frozenset({"national", "kommune", "kommune-svar", "kommune-ikke-svar"})
AUDIENCE_EXPRESSION = "__import__('analysis.report.notebook', fromlist=['audience']).audience()"


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, and the error."""

    def __init__(self, notebook: str, cell: int | None, error: str):
        self.notebook, self.cell, self.error = notebook, cell, error
        where = f"{notebook}, cell {cell}" if cell is not None else notebook
        super().__init__(f"{where}: {error}")


class InlineExpressionError(Exception):
    """An inline expression (or a cell's condition) raised in the kernel."""

    def __init__(self, cell_index: int, expression: str, error: str):
        self.cell_index, self.expression, self.error = cell_index, expression, error
        super().__init__(f"{expression}: {error}")


class InlineClient(PapermillNotebookClient):
    """papermill's client, plus the notebook's markdown: after the cells above it have run, a
    markdown cell's ``{eval}`` expressions are evaluated in the kernel (as jupyterlab-myst
    does, through ``user_expressions``) and the cell's source becomes the resolved pandoc
    markdown. Cells tagged for other reports, or whose ``% hvis:`` condition is false, are
    left out: neither executed nor shown, their source kept in the cell's metadata. A cell's
    ``% rang:`` value is kept in its metadata (``rapport.rang``) for the assembler.

    The markdown cells between two code cells are evaluated in one request (see
    ``analysis.report.in_kernel.evaluate``): a report has some 250 markdown cells and 60 code
    cells, and each request costs both processes a round trip."""

    _audience: frozenset[str] | None = None
    _answers: dict[int, dict] | None = None

    def _evaluate(self, cell, index: int, expressions: list[str]) -> dict[str, str]:
        if not expressions:
            return {}
        keys = {str(i): expr for i, expr in enumerate(expressions)}
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=keys)
        reply = self.wait_for_reply(msg_id, cell)
        if reply is None:
            raise InlineExpressionError(index, expressions[0], "no answer from the kernel")
        results = reply["content"].get("user_expressions", {})
        values = {}
        for key, expr in keys.items():
            result = results.get(key, {})
            if result.get("status") != "ok":
                raise InlineExpressionError(
                    index, expr, f"{result.get('ename', 'Error')}: {result.get('evalue', '')}")
            values[expr] = inline.plain_text(result.get("data", {}).get("text/plain", ""))
        return values

    def _for_audience(self, cell, index: int) -> bool:
        tags = AUDIENCE_TAGS.intersection(cell.metadata.get("tags", []))
        if tags:
            if self._audience is None:
                audience = self._evaluate(cell, index, [AUDIENCE_EXPRESSION])
                self._audience = frozenset(audience[AUDIENCE_EXPRESSION].split(","))
            if not tags & self._audience:
                return False
        return True

    def _plan_run(self, index: int, *, may_ask: bool = True):
        """The markdown cells from ``index`` to the next code cell: what is known of each
        without the kernel (cells for other reports left out), the plan of what the kernel
        must evaluate, and where the audience could not be known. ``None`` when it cannot be
        planned without asking the kernel and ``may_ask`` is false."""
        cells = self.nb.cells
        answers, plan, stop = {}, [], None
        for i in range(index, len(cells)):
            cell = cells[i]
            if cell.cell_type == "code":
                break
            if cell.cell_type != "markdown":
                continue
            if (not may_ask and self._audience is None
                    and AUDIENCE_TAGS.intersection(cell.metadata.get("tags", []))):
                return None
            try:
                wanted = self._for_audience(cell, i)
            except InlineExpressionError as err:
                stop = (i, err)
                break
            if not wanted:
                answers[i] = {"included": False}
                continue
            test, expressions = inline.condition(cell.source), _expressions(cell.source)
            answers[i] = {"included": True, "values": []}
            if test is not None or expressions:
                plan.append([i, test, expressions])
        return answers, plan, stop

    def _keep_answers(self, planned, reply: list[dict]) -> None:
        """Keep a run's answers by cell index (in the order and with the errors one request
        per cell would give) from the kernel's reply to its plan (empty without a plan)."""
        answers, _, stop = planned
        self._answers = answers
        for answer in reply:
            self._answers[answer["cell"]] = answer
        if reply and "error" in reply[-1]:
            return  # the notebook stops at that cell
        if stop is not None:  # the cell's audience could not be known: the notebook stops there
            self._answers[stop[0]] = {"raise": stop[1]}

    def _evaluate_run(self, index: int) -> None:
        """Evaluate, in one request of its own, the markdown cells from ``index`` to the next
        code cell (a run the code cell before it could not carry)."""
        planned = self._plan_run(index)
        reply = []
        if planned[1]:
            expression = _evaluation(planned[1])
            reply = json.loads(self._evaluate(self.nb.cells[index], index,
                                              [expression])[expression])
        self._keep_answers(planned, reply)

    def _execute_code(self, cell, index: int, execution_count, store_history):
        """Execute a code cell; the markdown cells after it are evaluated in the same request
        (its ``user_expressions``, evaluated once the code has run), when they can be planned
        before it runs."""
        planned = self._plan_run(index + 1, may_ask=False)
        expressions = {}
        if planned is not None and planned[1]:
            expressions["run"] = _evaluation(planned[1])
        if self._audience is None:       # known once setup() has run (an error until then)
            expressions["audience"] = AUDIENCE_EXPRESSION
        replies: list[dict] = []
        self.on_cell_executed = lambda **hook: replies.append(hook["execute_reply"])
        execute = self.kc.execute
        self.kc.execute = functools.partial(execute, user_expressions=expressions)
        try:
            cell = super().execute_cell(cell, index, execution_count, store_history)
        finally:
            del self.kc.execute          # the shared client's own method again
            self.on_cell_executed = None
        results = (replies[0] or {}).get("content", {}).get("user_expressions", {}) \
            if replies else {}
        audience = results.get("audience", {})
        if audience.get("status") == "ok":
            self._audience = frozenset(inline.plain_text(
                audience.get("data", {}).get("text/plain", "")).split(","))
        if planned is None:
            return cell
        if "run" not in expressions:
            self._keep_answers(planned, [])
            return cell
        expression = expressions["run"]
        result = results.get("run", {})
        if result.get("status") != "ok":
            raise InlineExpressionError(
                index + 1, expression,
                f"{result.get('ename', 'Error')}: {result.get('evalue', 'no answer')}")
        answers = json.loads(inline.plain_text(result.get("data", {}).get("text/plain", "")))
        self._keep_answers(planned, answers)
        return cell

    def _answer(self, cell, index: int) -> dict:
        if self._answers is None or index not in self._answers:
            self._evaluate_run(index)
        answer = self._answers[index]
        if "raise" in answer:
            raise answer["raise"]
        if "error" in answer:
            raise InlineExpressionError(index, answer["error"][0],
                                        ": ".join(answer["error"][1:]))
        return answer

    def execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "markdown":
            if cell.cell_type == "code":
                self._answers = None
            if not self._for_audience(cell, cell_index):
                return _leave_out(cell)
            if cell.cell_type == "code":
                return self._execute_code(cell, cell_index, execution_count, store_history)
            return super().execute_cell(cell, cell_index, execution_count, store_history)
        answer = self._answer(cell, cell_index)
        if not answer["included"]:
            return _leave_out(cell)
        return _resolve_markdown(self.nb, cell, answer)


def _leave_out(cell):
    cell.metadata.setdefault("rapport", {})["udeladt"] = cell.source
    cell.source = ""
    return cell


def _resolve_markdown(nb, cell, answer: dict):
    """A markdown cell with its values from the kernel: pandoc markdown, its source kept in
    the cell's metadata, its ``% rang:`` value too."""
    expressions = inline.expressions(cell.source)
    values = {expr: inline.plain_text(text)
              for expr, text in zip(expressions, answer["values"])}
    if inline.rank(cell.source) is not None:   # evaluated last, with the cell's values
        cell.metadata.setdefault("rapport", {})["rang"] = float(
            inline.plain_text(answer["values"][len(expressions)]))
    tags = cell.metadata.get("tags", [])
    options = inline.Options(
        unnumbered=bool(nb.metadata.get("rapport", {}).get("unnumbered")),
        local=any(tag.startswith("kommune") for tag in tags))
    resolved = inline.resolve(cell.source, values, options)
    if "manchet" in tags:
        resolved = f"::: {{.manchet}}\n{resolved}\n:::"
    if resolved != cell.source:
        cell.metadata.setdefault("rapport", {})["kilde"] = cell.source
        cell.source = resolved
    return cell


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


class _Shared:
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
    one request (see :class:`_KernelRun`)."""

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
        _KernelRun(nb_man, _Shared.kernel, execution_timeout).execute()
        return nb_man.nb


# What nbformat's output_from_msg takes from each kind of output message, in its order.
_OUTPUT_FIELDS = {"execute_result": ("metadata", "data", "execution_count"),
                  "stream": ("name", "text"), "display_data": ("metadata", "data"),
                  "error": ("ename", "evalue", "traceback")}


def _output(msg: dict) -> nbformat.NotebookNode:
    """The output nbformat's ``output_from_msg`` makes of a kernel message, without checking
    each one against the notebook schema: that check of a report's forty outputs was a tenth
    of this process's profile, and the kernel makes its messages to that schema."""
    content = msg["content"]
    return nbformat.from_dict({"output_type": msg["msg_type"],
                               **{key: content[key] for key in _OUTPUT_FIELDS[msg["msg_type"]]}})


# How long an interrupted notebook may take to stop before the run gives up on it.
INTERRUPT_GRACE = 10.0


class CellTimedOut(Exception):
    """A notebook ran for longer than the timeout allows; the kernel was interrupted in the
    cell named (None when the interrupt did not stop it)."""

    def __init__(self, cell_index: int | None, timeout: float):
        self.cell_index, self.timeout = cell_index, timeout
        super().__init__(f"the notebook ran for more than {timeout:g} s and was stopped")


class _KernelRun:
    """The warm engine's run of one notebook: one request that executes every cell in the
    kernel (``analysis.report.in_kernel.run_notebook``), then each cell filled in from it in
    papermill's order, with papermill's record of it.

    Outputs are made from the kernel's messages as nbclient makes them (see :func:`_output`);
    each message's parent names its cell (``<request id>/cell/<index>``). A cell is failed as
    nbclient fails it: its error output in place, papermill's record marking the failure,
    the cells after it not run. A markdown cell whose evaluation raised, or whose audience
    could not be known, raises :class:`InlineExpressionError` when its turn comes, as the
    cell-by-cell client does. Not kept, since nothing here reads them and no notebook makes
    them: nbclient's per-cell message timestamps, display updates by id and widget state."""

    def __init__(self, nb_man, kernel: "WarmKernel", timeout: float | None):
        self.nb_man, self.nb, self.kernel, self.timeout = nb_man, nb_man.nb, kernel, timeout

    def _plan(self) -> dict:
        cells = []
        for index, cell in enumerate(self.nb.cells):
            tags = sorted(AUDIENCE_TAGS.intersection(cell.metadata.get("tags", [])))
            if cell.cell_type == "code":
                cells.append(["code", index, tags, cell.source])
            elif cell.cell_type == "markdown":
                cells.append(["markdown", index, tags, inline.condition(cell.source),
                              _expressions(cell.source)])
            else:
                cells.append(["raw", index, tags])
        return {"audience": AUDIENCE_EXPRESSION, "cells": cells}

    def execute(self) -> None:
        self.nb.metadata["language_info"] = self.kernel.language_info()
        plan = Path(self.kernel.folder) / "plan.json"
        plan.write_text(json.dumps(self._plan(), ensure_ascii=False), encoding="utf-8")
        code = f"{RESET}{RUN_NOTEBOOK}({str(plan)!r})\n"
        msg_id = self.kernel.kc.execute(code, silent=False, store_history=False,
                                        allow_stdin=False)
        outputs, results = self._collect(msg_id)
        reply = self._reply(msg_id)
        if results is None:
            content = reply.get("content", {})
            raise RuntimeError("the kernel could not run the notebook: "
                               f"{content.get('ename', '')}: {content.get('evalue', '')}")
        self._fill(outputs, results)

    def _collect(self, msg_id: str) -> tuple[dict[int, list], list[dict] | None]:
        """The outputs of each code cell, and the run's results, from the kernel's messages
        until it is idle again. A notebook that runs past the timeout is interrupted, and
        the cell it stopped in is named. (Read from the client's channels, which are
        synchronous: the blocking client's own methods run an event loop for every
        message.)"""
        kc, km = self.kernel.kc, self.kernel.km
        cell_of = f"{msg_id}{CELL}"
        outputs: dict[int, list] = {}
        clear_on_next: set[int] = set()
        results = None
        deadline = time.monotonic() + self.timeout if self.timeout else None
        interrupted = False
        while True:
            if deadline is not None and time.monotonic() > deadline:
                if interrupted:          # the interrupt did not stop it either
                    raise CellTimedOut(None, self.timeout)
                km.interrupt_kernel()
                interrupted, deadline = True, time.monotonic() + INTERRUPT_GRACE
            try:
                msg = kc.iopub_channel.get_msg(timeout=1)
            except queue.Empty:
                if not km.is_alive():
                    raise DeadKernelError("the kernel died") from None
                continue
            parent, kind, content = (msg["parent_header"].get("msg_id", ""), msg["msg_type"],
                                     msg["content"])
            if parent == msg_id:          # the request's own messages
                if kind == "status" and content["execution_state"] == "idle":
                    break
                if kind == "display_data" and MARKER in content.get("data", {}):
                    results = content["data"][MARKER]["results"]
                continue
            if not parent.startswith(cell_of):
                continue
            index = int(parent[len(cell_of):])
            cell = outputs.setdefault(index, [])
            if kind == "clear_output":
                if content.get("wait"):
                    clear_on_next.add(index)
                else:
                    cell.clear()
            elif kind in _OUTPUT_FIELDS:
                if index in clear_on_next:
                    clear_on_next.discard(index)
                    cell.clear()
                cell.append(_output(msg))
        if interrupted:
            stopped = [entry["cell"] for entry in results or [] if entry.get("ok") is False]
            raise CellTimedOut(stopped[0] if stopped else None, self.timeout)
        return outputs, results

    def _reply(self, msg_id: str) -> dict:
        """The kernel's reply to the request (sent just before it went idle)."""
        while True:
            try:
                reply = self.kernel.kc.shell_channel.get_msg(timeout=60)
            except queue.Empty:
                raise RuntimeError("the kernel went idle but sent no reply to the notebook's "
                                   "request") from None
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def _fill(self, outputs: dict[int, list], results: list[dict]) -> None:
        """Each cell as the run left it, in papermill's order and with papermill's record; the
        notebook stops at the first failure, as papermill stops."""
        nb_man, by_cell = self.nb_man, {entry["cell"]: entry for entry in results}
        for index, cell in enumerate(self.nb.cells):
            entry = by_cell.get(index)
            if entry is None:
                return
            nb_man.cell_start(cell, index)
            try:
                if "error" in entry:
                    expression, *error = entry["error"]
                    raise InlineExpressionError(index, expression, ": ".join(error))
                if not entry["included"]:
                    _leave_out(cell)
                elif cell.cell_type == "markdown":
                    _resolve_markdown(self.nb, cell, entry)
                elif cell.cell_type == "code":
                    cell.outputs, cell.execution_count = outputs.get(index, []), entry["count"]
                    if not entry["ok"]:
                        nb_man.cell_exception(cell, cell_index=index)
                        return
            finally:
                nb_man.cell_complete(cell, cell_index=index)
                if "start" in entry:        # a code cell that ran: the kernel's own times
                    _kernel_times(cell, entry["start"], entry["end"])


def _kernel_times(cell, start: str, end: str) -> None:
    """papermill's record of a cell, with the times the kernel ran it (the cells are filled
    in after the whole notebook has run)."""
    record = cell.metadata.papermill
    record["start_time"], record["end_time"] = start, end
    record["duration"] = (datetime.datetime.fromisoformat(end)
                          - datetime.datetime.fromisoformat(start)).total_seconds()


papermill_engines.register("warm", WarmEngine)
papermill_engines.register("inline", InlineEngine)


def _evaluation(plan: list) -> str:
    """The expression that evaluates a run's plan in the kernel (see
    ``analysis.report.in_kernel.evaluate``)."""
    return (f"__import__('analysis.report.in_kernel', fromlist=['evaluate'])"
            f".evaluate({json.dumps(plan, ensure_ascii=False)!r})")


def _expressions(markdown: str) -> list[str]:
    """What the kernel evaluates for a markdown cell: its ``{eval}`` expressions, then its
    ``% rang:`` value (a recommendation's weight, kept for the assembler) when it has one."""
    expressions = inline.expressions(markdown)
    rank = inline.rank(markdown)
    return expressions if rank is None else [*expressions, f"repr(float({rank}))"]


_PARSED: dict[str, tuple[bytes, nbformat.NotebookNode]] = {}


def _parsed(notebook: Path) -> nbformat.NotebookNode:
    """The notebook as papermill loads it, parsed and validated once per content: a copy of
    it each time, since executing fills it in."""
    data = notebook.read_bytes()
    known = _PARSED.get(str(notebook))
    if known is None or known[0] != data:
        node = load_notebook_node(nbformat.reads(data.decode("utf-8"), as_version=4))
        known = _PARSED[str(notebook)] = (data, node)
    return copy.deepcopy(known[1])


def _execute_parsed(notebook: Path, parameters: dict, timeout: float | None,
                    cwd: Path) -> nbformat.NotebookNode:
    """What ``papermill.execute_notebook(notebook, None, ...)`` does with the warm engine,
    step by step with papermill's own functions, from a parsed notebook kept between reports
    and without serialising the executed notebook for an output file there is none of."""
    nb = parameterize_notebook(_parsed(notebook), parameters, kernel_name=KERNEL_NAME,
                               engine_name="warm")
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(notebook), None))
    with chdir(str(cwd)):
        nb = papermill_engines.execute_notebook_with_engine(
            "warm", nb, input_path=str(notebook), output_path=None, kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, start_timeout=60, stdout_file=None,
            stderr_file=None, execution_timeout=timeout)
    raise_for_execution_errors(nb, None)
    return nb


def _failed(notebook: Path, err: Exception) -> NotebookFailed:
    if isinstance(err, InlineExpressionError):
        return NotebookFailed(notebook.name, err.cell_index,
                              f"inline expression {{eval}}`{err.expression}` failed: {err.error}")
    if isinstance(err, CellTimedOut):
        return NotebookFailed(notebook.name, err.cell_index, str(err))
    return NotebookFailed(notebook.name, err.cell_index, f"{err.ename}: {err.evalue}")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@dataclass
class WarmKernel:
    """One kernel for many notebooks. Use as a context manager."""

    cwd: Path
    start_attempts: int = 3

    def __enter__(self) -> "WarmKernel":
        last: Exception | None = None
        # Unix-socket transport in a private folder: no TCP ports to race for when several
        # workers start kernels at once, and nothing listening on the network. The folder
        # also holds the plan of the notebook the kernel runs (see _KernelRun).
        self.folder = tempfile.mkdtemp(prefix="rapport-kernel-")
        for attempt in range(self.start_attempts):
            km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                               ip=os.path.join(self.folder, f"kernel-{attempt}"))
            try:
                km.start_kernel(cwd=str(self.cwd), env=_environment(),
                                extra_arguments=["--HistoryManager.enabled=False"])
                kc = km.client()
                kc.start_channels()
                kc.wait_for_ready(timeout=60)
            except Exception as err:  # a kernel that does not come up: retry the kernel
                last = err
                try:
                    km.shutdown_kernel(now=True)
                except Exception:
                    pass
                time.sleep(0.2 * (attempt + 1))
                continue
            self.km, self.kc = km, kc
            self.preload()
            return self
        raise RuntimeError(f"could not start a kernel: {last}")

    def __exit__(self, *exc) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def preload(self) -> None:
        """Start importing the report's libraries in the kernel without waiting for it (called
        once the kernel is up), so the caller can do its own work meanwhile; the next notebook
        waits as needed."""
        self.kc.execute(PRELOAD, silent=True, store_history=False)

    def language_info(self) -> dict:
        """The kernel's ``language_info``, as nbclient puts it into each notebook's metadata
        (asked once)."""
        if getattr(self, "_language_info", None) is None:
            reply = self.kc.kernel_info(reply=True, timeout=60)
            self._language_info = reply["content"]["language_info"]
        return copy.deepcopy(self._language_info)

    def run(self, notebook: Path, parameters: dict, timeout: float | None = None
            ) -> nbformat.NotebookNode:
        """Execute one notebook with papermill in this kernel, from an emptied namespace (see
        ``RESET``); return the executed notebook."""
        _Shared.kernel = self
        try:
            return _execute_parsed(notebook, parameters, timeout, self.cwd)
        except (PapermillExecutionError, InlineExpressionError, CellTimedOut) as err:
            raise _failed(notebook, err) from None
        finally:
            _Shared.kernel = None


class KernelStarter:
    """Starts a ``WarmKernel`` (and its imports) in a background thread, so that a single
    report's kernel boots while the caller loads and checks the data."""

    def __init__(self, cwd: Path):
        self.kernel = WarmKernel(cwd)
        self._error: BaseException | None = None
        self._started = False
        self._thread = threading.Thread(target=self._start, daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            self.kernel.__enter__()
            self._started = True
        except BaseException as err:  # re-raised in get()
            self._error = err

    def get(self) -> WarmKernel:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.kernel

    def close(self) -> None:
        self._thread.join()
        if self._started:
            self._started = False
            self.kernel.__exit__(None, None, None)


def run_cold(notebook: Path, parameters: dict, cwd: Path,
             timeout: float | None = None) -> nbformat.NotebookNode:
    """Execute one notebook the naive way: papermill with a fresh kernel of its own."""
    try:
        return papermill.execute_notebook(
            str(notebook), None, parameters=parameters, kernel_name=KERNEL_NAME,
            engine_name="inline", progress_bar=False, log_output=False,
            execution_timeout=timeout, cwd=str(cwd))
    except (PapermillExecutionError, InlineExpressionError) as err:
        raise _failed(notebook, err) from None
