"""Deterministic generator of the synthetic example data.

The real 2015 microdata are not public. This package writes

* the calibrated example data shipped in ``data/`` (:mod:`.calibrated`): a helhedsplan register
  and survey answers that reproduce every published 2015 count and are plausible elsewhere;
* a fictitious scale dataset of N entities (:mod:`.scale`), to measure how the batch scales.

Run ``python -m devtools.example_data [DATA_DIR]`` to (re)write the calibrated files; a test
re-generates them and compares with the committed copies. ``--size N`` writes the scale dataset
instead. A development tool, not part of the report tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.core import paths
from devtools.example_data.calibrated import (AGREE_ITEMS, CASE_MUNICIPALITIES, CO_FINANCING,
                                              SEED, generate, make_register, make_survey)
from devtools.example_data.scale import MAX_SCALE, SCALE_COPIED, generate_scale, scale_codes

__all__ = ["AGREE_ITEMS", "CASE_MUNICIPALITIES", "CO_FINANCING", "MAX_SCALE", "SCALE_COPIED",
           "SEED", "generate", "generate_scale", "main", "make_register", "make_survey",
           "scale_codes"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m devtools.example_data")
    parser.add_argument("data_dir", nargs="?", type=Path, default=None)
    parser.add_argument("--size", type=int, default=None,
                        help=f"write a fictitious scale dataset of SIZE entities (1-{MAX_SCALE}) "
                             "instead of the calibrated example data")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = args.data_dir or paths.default_data_dir()
    if args.size is not None and data_dir.resolve() == (paths.PROJECT_ROOT / "data").resolve():
        parser.error("a scale dataset goes into a folder of its own, not the shipped data/")
    written = generate(data_dir) if args.size is None else generate_scale(data_dir, args.size)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0

