"""The kernel: started once (in the background if need be), its environment, and the
notebooks run in it."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from papermill.exceptions import PapermillExecutionError

from analysis.render.execute.engine import Shared
from analysis.render.execute.errors import CellTimedOut, InlineExpressionError, failed
from analysis.render.execute.kernel_code import KERNEL_NAME, PRELOAD
from analysis.render.execute.run import execute_parsed
from analysis.report import dialect


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
        # also holds the plan of the notebook the kernel runs (see KernelRun).
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
            # read the notebooks' markdown while the kernel imports the report's libraries
            dialect.warm(sorted(Path(self.cwd).glob("*.ipynb")))
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
        Shared.kernel = self
        try:
            return execute_parsed(notebook, parameters, timeout, self.cwd)
        except (PapermillExecutionError, InlineExpressionError, CellTimedOut) as err:
            raise failed(notebook, err) from None
        finally:
            Shared.kernel = None


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
