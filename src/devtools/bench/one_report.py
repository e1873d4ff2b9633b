"""One report at a time: the floor of a render, what typst keeps between two documents, the
naive way (a fresh kernel per notebook), and where a municipal report's CPU goes in a warm
kernel (``--profile``)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from analysis.core import paths


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
