"""``make bench``: how fast the report renders, measured, with medians and ratios.

Prints, from one run on this machine:

* the floor of one national render: a fresh kernel importing pandas, seaborn and statsmodels,
  plus pandoc and typst on the national report's document;
* typst in one process and one folder: CPU seconds for a municipal report, the same report
  again, and the next municipality's (what typst keeps of one document, and what the next
  report of a batch gets of it);
* the cold national render (``rapport render`` in a fresh process), median of 3, and its ratio
  to the floor;
* the full batch (national + every municipality): wall time, CPU time, peak memory of the whole
  process tree;
* a re-run with nothing changed (``rapport render --all`` in a fresh process, which decides
  from file hashes and the manifest, without importing the analysis stack), median of 5;
* the naive way (papermill with a fresh kernel per notebook), timed on 5 municipalities and
  scaled to the batch, and the ratio to the full batch;
* the goals: CPU per report, the batch's speed-up over the naive way, peak memory;
* the same batch on a Dask LocalCluster of two worker processes (``--scheduler``);
* the scale table: the batch on the fictitious scale dataset for N = 45 and 200 entities
  (``RAPPORT_BENCH_LARGE=1`` adds 1,000; ``RAPPORT_BENCH_SIZES=45,200,1000`` chooses);
* where ``quarto`` is on PATH, the same cold national render and full batch with
  ``--engine quarto``, their ratios to the default engine's, and the HTML sizes of both.

Every default-engine run says ``--engine pandoc``, so the numbers mean the same with Quarto
installed.

``python -m devtools.bench --profile [N]`` prints instead where one municipal report's time goes
in a warm kernel: N reports (default 10) after a warm-up, each sealed as the batch seals it, and
their CPU split between this process (papermill, assembly, typst, sealing), the kernel (the
notebooks), pandoc (kept running, as in the batch) and typst, with the median of each step.

Timings vary on shared machines; run it on an idle machine and quote medians.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from analysis.core import paths

NAIVE_SAMPLE = 5
NO_CHANGE_RUNS = 5
DEFAULT = ("--engine", "pandoc")
QUARTO = ("--engine", "quarto")
SIZED = {"national": "national/rapport.html", "Køge": "kommuner/259-koege/rapport.html"}


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


def floor() -> dict:
    """Kernel start + imports, and pandoc + typst on the national document."""
    from analysis import render
    from analysis.render.execute import WarmKernel
    from analysis.batch.jobs import Job, execute_all

    t = time.perf_counter()
    with WarmKernel(paths.notebooks_dir()) as kernel:
        kernel.kc.execute_interactive("import pandas, seaborn, statsmodels.api, analysis.stats.results",
                                      timeout=120)
        kernel_imports = time.perf_counter() - t
        job = Job(None, None, paths.default_data_dir(), Path(tempfile.mkdtemp()))
        executed = execute_all(job, kernel)
    doc = render.assemble(executed)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        render.write_html(doc, Path(tmp) / "r.html")
        html = time.perf_counter() - t
        t = time.perf_counter()
        render.write_pdf(doc, Path(tmp) / "r.pdf")
        pdf = time.perf_counter() - t
    return {"kernel_imports": kernel_imports, "pandoc_html": html, "typst_pdf": pdf,
            "total": kernel_imports + html + pdf}


def typst_reuse() -> dict:
    """CPU seconds of typst in this process for three PDFs compiled from one folder: a
    municipal report, the same report again, and the next municipality's report.

    typst keeps what it computed for a document and reuses it for the next one, as far as the
    two are the same. The second compile shows what that can give; the third what it gives
    for the next report of a batch, whose tables, lists and panels have other rows."""
    import typst

    from analysis import render
    from analysis.batch.jobs import Job, execute_all
    from analysis.render import pandoc_typst
    from analysis.render.execute import WarmKernel
    from analysis.inputs.dataset import load_dataset

    data = paths.default_data_dir()
    dataset = load_dataset(data)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    codes = list(dataset.register["kommunekode"])[:2]
    with tempfile.TemporaryDirectory(prefix="bench-typst-") as tmp, \
            WarmKernel(paths.notebooks_dir()) as kernel:
        docs = [render.assemble(execute_all(Job(code, names[code], data, Path(tmp) / "out"),
                                            kernel)) for code in codes]
        folder = Path(tmp) / "typst"
        folder.mkdir()
        fonts = pandoc_typst.link_fonts(folder)

        sources = [pandoc_typst.typst_source(doc) for doc in docs]

        def compile_in_folder(i: int) -> float:
            """CPU seconds of typst for report ``i``, its figures and source in the folder."""
            for old in folder.glob("fig-*"):
                old.unlink()
            pandoc_typst.write_figures(docs[i], folder)
            (folder / "report.typ").write_text(sources[i], encoding="utf-8")
            t = time.process_time()
            typst.compile(str(folder / "report.typ"), root=str(folder), font_paths=[str(fonts)],
                          ignore_system_fonts=True, timestamp=1_700_000_000)
            return time.process_time() - t

        first, again, following = compile_in_folder(0), compile_in_folder(0), compile_in_folder(1)
    return {"first": first, "again": again, "next": following}


def naive(sample: int) -> float:
    """Seconds per report the naive way: papermill, fresh kernel per notebook."""
    from analysis.inputs.dataset import load_dataset
    from analysis.batch.jobs import Job, render_job

    data = paths.default_data_dir()
    register = load_dataset(data).register
    codes = list(register["kommunekode"])[:sample]
    names = dict(zip(load_dataset(data).kommuner["kommunekode"],
                     load_dataset(data).kommuner["kommunenavn"]))
    out = Path(tempfile.mkdtemp(prefix="bench-naive-"))
    times = []
    try:
        for code in codes:
            t = time.perf_counter()
            outcome = render_job(Job(code, names[code], data, out), kernel=None)
            if outcome.status != "rendered":
                raise RuntimeError(outcome.error)
            times.append(time.perf_counter() - t)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return statistics.mean(times)


def main() -> int:
    from analysis.inputs.dataset import load_dataset

    # The batch seals every municipal package; its passphrases go to a throwaway file.
    os.environ.setdefault("RAPPORT_NOEGLER", str(Path(tempfile.mkdtemp(prefix="bench-noegler-"))
                                                 / "adgangsfraser.csv"))

    n_reports = len(load_dataset(paths.default_data_dir()).register) + 1
    print(f"Machine: {os.cpu_count()} cores. Reports in the batch: {n_reports}.")
    f = floor()
    print(f"Floor of one render: kernel start + imports {f['kernel_imports']:.2f} s, pandoc "
          f"{f['pandoc_html']:.2f} s, typst {f['typst_pdf']:.2f} s = {f['total']:.2f} s")
    r = typst_reuse()
    print(f"typst in one process, one folder (CPU): a municipal report {r['first']:.2f} s, the "
          f"same report again {r['again']:.2f} s, the next municipality's {r['next']:.2f} s")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cold = [_cli("render", *DEFAULT, "--out", str(Path(tmp) / f"n{i}")) for i in range(3)]
    median = statistics.median(cold)
    print(f"Cold national render (rapport render, fresh process), median of 3: {median:.2f} s "
          f"= {median / f['total']:.2f} x the floor  [{', '.join(f'{c:.1f}' for c in cold)}]")

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        full = _timed_batch(Path(tmp), *DEFAULT)
        again = [_cli("render", "--all", "--out", tmp, *DEFAULT)
                 for _ in range(NO_CHANGE_RUNS)]
        sizes = _html_sizes(Path(tmp))
    print(f"Full batch ({n_reports} reports, --jobs {os.cpu_count()}): wall {full['wall']:.1f} s, "
          f"CPU {full['cpu']:.1f} s, peak memory {full['peak_mib']:.0f} MiB (PSS, all processes) "
          f"({full['wall'] / n_reports:.2f} s per report); exit {full['exit']}")
    print(f"Re-run with nothing changed, median of {NO_CHANGE_RUNS}: "
          f"{statistics.median(again):.2f} s  [{', '.join(f'{a:.2f}' for a in again)}]")

    per_report = naive(NAIVE_SAMPLE)
    scaled = per_report * n_reports
    print(f"Naive (papermill, fresh kernel per notebook): {per_report:.1f} s per report on "
          f"{NAIVE_SAMPLE} municipalities, scaled to {n_reports}: {scaled:.0f} s; "
          f"the batch is {scaled / full['wall']:.1f} x faster")
    full_cpu_per_report = full["cpu"] / n_reports
    print(f"Goals: CPU per report {full_cpu_per_report:.2f} s (goal at most 1.2 s); the batch "
          f"{scaled / full['wall']:.1f} x faster than the naive way (goal at least 40 x); peak "
          f"memory {full['peak_mib'] / 1024:.2f} GiB (goal at most 1.5 GiB)")
    quarto(n_reports, median, full, sizes)
    cluster(full)
    scale(_sizes())
    return 0


# ---------------------------------------------------------------- many machines, many reports

SIZES = (45, 200)
LARGE_SIZE = 1000


def _sizes() -> list[int]:
    """N = 45 and 200; ``RAPPORT_BENCH_SIZES=45,200,1000`` (or ``RAPPORT_BENCH_LARGE=1``
    for 1,000 as well) to choose."""
    chosen = os.environ.get("RAPPORT_BENCH_SIZES")
    if chosen:
        return [int(x) for x in chosen.split(",") if x.strip()]
    large = os.environ.get("RAPPORT_BENCH_LARGE", "").strip() not in ("", "0")
    return [*SIZES, *([LARGE_SIZE] if large else [])]


def scale(sizes: list[int]) -> None:
    """The batch on the fictitious scale dataset of N entities: how time and CPU grow."""
    from devtools.example_data import generate_scale

    if not sizes:
        return
    jobs = os.cpu_count()
    print(f"Scale (fictitious dataset of N entities, national + N reports, --jobs {jobs}; "
          f"N = 1000 with RAPPORT_BENCH_LARGE=1):")
    print(f"  {'N':>6} {'reports':>8} {'wall s':>8} {'s/report':>9} {'CPU s':>8} "
          f"{'CPU/report':>10} {'peak MiB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{n}-") as tmp:
            data = Path(tmp) / "data"
            generate_scale(data, n)
            r = _timed_batch(Path(tmp) / "out", "--data", str(data), *DEFAULT)
        reports = n + 1
        print(f"  {n:>6} {reports:>8} {r['wall']:>8.1f} {r['wall'] / reports:>9.2f} "
              f"{r['cpu']:>8.1f} {r['cpu'] / reports:>10.2f} {r['peak_mib']:>9.0f}"
              f"{'' if r['exit'] == 0 else '  exit ' + str(r['exit'])}")


def cluster(local: dict) -> None:
    """The same batch on a Dask LocalCluster of two worker processes (``--scheduler``)."""
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        r = _timed_batch(Path(tmp), command=[sys.executable, "-m", "devtools.bench",
                                             "--cluster-batch", tmp])
    lines = dict(line.split("=", 1) for line in r["stdout"].splitlines() if "=" in line)
    render = float(lines.get("render", "nan"))
    print(f"Dask LocalCluster (2 worker processes, 1 thread each), same batch: {render:.1f} s "
          f"for the render ({render / local['wall']:.2f} x the local pool's {local['wall']:.1f} "
          f"s), {r['wall']:.1f} s with the cluster's start and stop; CPU {r['cpu']:.1f} s, "
          f"peak memory {r['peak_mib']:.0f} MiB; exit {lines.get('exit', r['exit'])}")


def _cluster_batch(out: str) -> int:
    """Start a LocalCluster, render the batch through it, stop it (run by :func:`cluster`)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=":0") as local:
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "analysis", "render", "--all", "--out", out,
                               "--scheduler", local.scheduler_address, *DEFAULT],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"render={time.perf_counter() - t:.3f}\nexit={proc.returncode}", flush=True)
    return proc.returncode


def _html_sizes(out: Path) -> dict[str, int]:
    return {name: (out / rel).stat().st_size for name, rel in SIZED.items()
            if (out / rel).is_file()}


def quarto(n_reports: int, default_cold: float, default_batch: dict,
           default_sizes: dict[str, int]) -> None:
    """The Quarto engine measured as the default engine is, and compared with it."""
    from analysis.render import quarto_available

    if not quarto_available():
        print("Quarto engine: not measured ('quarto' is not on PATH)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-quarto-") as tmp:
        cold = [_cli("render", *QUARTO, "--out", str(Path(tmp) / f"n{i}")) for i in range(3)]
    median = statistics.median(cold)
    print(f"Quarto engine, cold national render, median of 3: {median:.2f} s = "
          f"{median / default_cold:.2f} x the default engine's {default_cold:.2f} s (aim: under "
          f"3 x)  [{', '.join(f'{c:.1f}' for c in cold)}]")
    with tempfile.TemporaryDirectory(prefix="bench-quarto-batch-") as tmp:
        full = _timed_batch(Path(tmp), *QUARTO)
        sizes = _html_sizes(Path(tmp))
    print(f"Quarto engine, full batch ({n_reports} reports, --jobs {os.cpu_count()}): wall "
          f"{full['wall']:.1f} s = {full['wall'] / default_batch['wall']:.2f} x the default "
          f"engine's {default_batch['wall']:.1f} s, CPU {full['cpu']:.1f} s, peak memory "
          f"{full['peak_mib']:.0f} MiB; exit {full['exit']}")
    for name, size in sizes.items():
        base = default_sizes.get(name)
        if base:
            print(f"HTML size, {name}: default engine {base / 1024:.0f} KiB, Quarto "
                  f"{size / 1024:.0f} KiB = {size / base:.2f} x (aim: at most 2 x)")


def profile(n: int) -> int:
    """CPU per municipal report in one warm kernel, by process, and the median of each step."""
    from analysis.batch.jobs import Job, render_job
    from analysis.render.execute import WarmKernel
    from analysis.render import pandoc_typst
    from analysis.delivery import Sealing
    from analysis.inputs.dataset import load_dataset

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    data = paths.default_data_dir()
    dataset = load_dataset(data)
    names = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))
    codes = list(dataset.register["kommunekode"])
    seal = Sealing("kage3sol8hest5bord7mus2kat", None, "bench")

    def cpu(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp, \
            WarmKernel(paths.notebooks_dir()) as kernel:
        jobs = [Job(code, names.get(code), data, Path(tmp), delivery=seal if code else None)
                for code in [None, *codes[:2 + n]]]
        for job in jobs[:3]:                       # warm-up: national and two municipalities
            render_job(job, kernel)
        me, kp = psutil.Process(), psutil.Process(kernel.km.provisioner.process.pid)
        pp = psutil.Process(pandoc_typst.pandoc_pid())   # kept running, as in the batch
        pandoc_typst.close_typst_process()         # its CPU counts once it has ended
        before = (cpu(me), cpu(kp), cpu(pp), children())
        steps: dict[str, list[float]] = {}
        for job in jobs[3:]:
            outcome = render_job(job, kernel)
            if outcome.status != "rendered":
                raise RuntimeError(outcome.error)
            for step, seconds in outcome.seconds.items():
                steps.setdefault(step, []).append(seconds)
        pandoc_typst.close_typst_process()
        after = (cpu(me), cpu(kp), cpu(pp), children())
    own, kern, pandoc, typst = ((b - a) / n for a, b in zip(before, after))
    print(f"{n} municipal reports in one warm kernel, CPU per report: this process {own:.2f} s, "
          f"kernel {kern:.2f} s, pandoc {pandoc:.2f} s, typst {typst:.2f} s "
          f"= {own + kern + pandoc + typst:.2f} s")
    print("Median wall seconds per step: " + ", ".join(
        f"{step} {statistics.median(values):.3f}" for step, values in steps.items()))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--profile"]:
        raise SystemExit(profile(int(sys.argv[2]) if sys.argv[2:] else 10))
    if sys.argv[1:2] == ["--cluster-batch"]:
        raise SystemExit(_cluster_batch(sys.argv[2]))
    raise SystemExit(main())
