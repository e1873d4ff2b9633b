"""The Jupyter messages of the warm engine's run: one request that runs a whole notebook in
the kernel, its messages made into nbformat outputs, and each cell filled in from them."""

from __future__ import annotations

import datetime
import json
import queue
import time
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbclient.exceptions import DeadKernelError

from analysis.render.execute.cells import (leave_out,
                                           resolve_markdown)
from analysis.render.execute.errors import CellTimedOut, InlineExpressionError
from analysis.render.execute.kernel_code import AUDIENCE_EXPRESSION, RESET, RUN_NOTEBOOK
from analysis.report import dialect, inline
from analysis.report.in_kernel import CELL, MARKER

if TYPE_CHECKING:
    from analysis.render.execute.kernel import WarmKernel


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


class KernelRun:
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
            tags = sorted(dialect.audience(cell.metadata.get("tags", [])))
            if cell.cell_type == "code":
                cells.append(["code", index, tags, cell.source])
            elif cell.cell_type == "markdown":
                cells.append(["markdown", index, tags, dialect.condition(cell.source),
                              dialect.evaluations(cell.source)])
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
                    leave_out(cell)
                elif cell.cell_type == "markdown":
                    resolve_markdown(self.nb, cell, entry)
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
