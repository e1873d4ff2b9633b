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
their CPU split between this process (papermill, assembly, tables, sealing), the kernel (the
notebooks), pandoc (kept running, as in the batch) and typst, with the median of each step.

Timings vary on shared machines; run it on an idle machine and quote medians.

The modules: :mod:`.measure` (a command and its process tree), :mod:`.one_report` (floor, typst,
the naive way, ``--profile``), :mod:`.many_reports` (scale table, Dask LocalCluster) and
:mod:`.run` (the whole ``make bench`` printout). ``bench.scale([1000])`` runs the scale step
alone.
"""

from __future__ import annotations

from devtools.bench.measure import PeakMemory
from devtools.bench.one_report import floor, naive, profile, typst_reuse
from devtools.bench.many_reports import cluster, scale
from devtools.bench.run import main, quarto

__all__ = ["PeakMemory", "cluster", "floor", "main", "naive", "profile", "quarto", "scale",
           "typst_reuse"]
