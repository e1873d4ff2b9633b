"""Measuring a command and every process it starts: wall time, CPU time, peak memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

DEFAULT = ("--engine", "pandoc")
QUARTO = ("--engine", "quarto")


def _cli(*args: str, env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


class PeakMemory:
    """Samples the memory of a process and all its children: the sum of their PSS
    (proportional set size: shared pages counted once, split between the processes that share
    them), where the system reports it, else the sum of RSS."""

    def __init__(self, interval: float = 0.25):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self.cpu: dict[int, float] = {}     # pid -> CPU seconds last seen (user + system)

    def watch(self, pid: int) -> None:
        def run():
            while not self._stop.is_set():
                try:
                    proc = psutil.Process(pid)
                    procs = [proc, *proc.children(recursive=True)]
                    rss = sum(_pss(p) for p in procs if p.is_running())
                    self.peak = max(self.peak, rss)
                    for p in procs:
                        try:
                            times = p.cpu_times()
                            self.cpu[p.pid] = times.user + times.system
                        except psutil.Error:
                            pass
                except psutil.Error:
                    pass
                time.sleep(self.interval)
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _pss(process: psutil.Process) -> int:
    try:
        return process.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return process.memory_info().rss


def _timed_batch(out: Path, *extra: str, command: list[str] | None = None) -> dict:
    """Wall time, CPU time and peak memory of ``rapport render --all`` (or ``command``) and
    every process it starts."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    memory = PeakMemory()
    t = time.perf_counter()
    proc = subprocess.Popen(command or [sys.executable, "-m", "analysis", "render", "--all",
                                        "--out", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    memory.watch(proc.pid)
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - t
    peak = memory.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Processes that are not waited for by their parent (a Dask worker's kernel) are missing
    # from RUSAGE_CHILDREN; the sampled CPU of every process seen covers them, less their last
    # fraction of a second.
    cpu = max(cpu, sum(memory.cpu.values()))
    return {"wall": wall, "cpu": cpu, "peak_mib": peak / 2**20, "exit": proc.returncode,
            "stdout": stdout}
