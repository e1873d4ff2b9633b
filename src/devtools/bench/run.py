"""``make bench``: every measurement in turn, printed with medians, ratios and the goals."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from analysis.core import paths
from devtools.bench import preview
from devtools.bench.many_reports import _sizes, cluster, scale
from devtools.bench.measure import DEFAULT, QUARTO, _cli, _timed_batch
from devtools.bench.one_report import floor, naive, typst_reuse

NAIVE_SAMPLE = 5
NO_CHANGE_RUNS = 5
SIZED = {"national": "national/rapport.html", "Køge": "kommuner/259-koege/rapport.html"}


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

    preview.report()

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
