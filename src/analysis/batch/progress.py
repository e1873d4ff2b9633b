"""The batch's progress bar, shared by the local workers and the Dask cluster."""

from __future__ import annotations

import sys


def progress_bar(total: int):
    """A progress bar over ``total`` reports on standard error (hidden for one report when
    standard error is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, unit="rapport", desc="Rapporter", file=sys.stderr,
                disable=total <= 1 and not sys.stderr.isatty())
