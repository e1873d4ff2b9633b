"""Helpers of the tests of the batch on a Dask cluster: a LocalCluster of two worker processes,
the CLI in a subprocess, and what a complete report folder holds."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")
# The workers get SOURCE_DATE_EPOCH from the client (the plugin ships it), not from the
# cluster's own environment.
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1448928000"}
CODES = ("259", "461", "165", "657", "101")          # Køge, Odense, Albertslund, Herning, KBH


@contextmanager
def local_cluster():
    """A LocalCluster of two worker processes with one thread each."""
    import distributed

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as local:
        yield local


def render(*args: str) -> subprocess.CompletedProcess:
    """``rapport render ARGS`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "analysis", "render", *args],
                          capture_output=True, text=True, env=ENV, timeout=600)


def kommuner(codes=CODES) -> list[str]:
    """``--kommune`` arguments for ``codes``."""
    return [a for c in codes for a in ("--kommune", c)]


def manifest_of(out: Path) -> dict:
    """The reports of the manifest in ``out`` (none when there is no manifest yet)."""
    path = out / "manifest.json"
    return json.loads(path.read_text("utf-8"))["reports"] if path.exists() else {}


def complete(folder: Path) -> bool:
    """Every file of a report: a municipality's sealed package holds its page and PDF (the
    rest is inside them)."""
    files = FILES if folder.name == "national" else FILES[:2]
    return all((folder / f).is_file() and (folder / f).stat().st_size > 0 for f in files)
