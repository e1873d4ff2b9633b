"""Helpers of the batch's end-to-end tests: the CLI in a subprocess, and what a complete report
folder holds."""

import json
import os
import subprocess
import sys
from pathlib import Path

from sealed_packages import open_package

FILES = ("rapport.html", "rapport.pdf", "tabeller.xlsx", "provenance.json")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1448928000"}


def rapport(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` with ``SOURCE_DATE_EPOCH`` set (or in ``env``)."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, env=env or ENV, **kw)


def complete(folder: Path) -> bool:
    """A report folder holding every file of a report, none empty."""
    return all((folder / f).is_file() and (folder / f).stat().st_size > 0 for f in FILES)


def complete_package(folder: Path, keys: Path | None = None) -> bool:
    """A municipality's sealed package: the page and the PDF, with every file inside."""
    return all((folder / f).is_file() for f in FILES[:2]) and \
        sorted(open_package(folder, keys)) == sorted(FILES)


def register_codes(n: int) -> list[str]:
    """The first ``n`` municipalities of the shipped helhedsplan register."""
    lines = (Path(__file__).resolve().parents[1] / "data/register/helhedsplaner.csv") \
        .read_text("utf-8").splitlines()[1:]
    return [line.split(",")[0] for line in lines[:n]]


def manifest_of(out: Path) -> dict:
    """The reports of the manifest in ``out`` (none when there is no manifest yet)."""
    path = out / "manifest.json"
    return json.loads(path.read_text("utf-8"))["reports"] if path.exists() else {}
