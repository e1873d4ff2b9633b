"""Executing a notebook with papermill: in the warm kernel, from a parsed notebook kept
between reports, or the naive way, in a fresh kernel of its own."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import papermill
from papermill.engines import papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import (prepare_notebook_metadata, raise_for_execution_errors,
                               remove_error_markers)
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from papermill.utils import chdir

import analysis.render.execute.engine  # noqa: F401  (registers the "warm" and "inline" engines)
from analysis.render.execute.errors import InlineExpressionError, failed
from analysis.render.execute.kernel_code import KERNEL_NAME

_PARSED: dict[str, tuple[bytes, nbformat.NotebookNode]] = {}


def _parsed(notebook: Path) -> nbformat.NotebookNode:
    """The notebook as papermill loads it, parsed and validated once per content: a copy of
    it each time, since executing fills it in."""
    data = notebook.read_bytes()
    known = _PARSED.get(str(notebook))
    if known is None or known[0] != data:
        node = load_notebook_node(nbformat.reads(data.decode("utf-8"), as_version=4))
        known = _PARSED[str(notebook)] = (data, node)
    return copy.deepcopy(known[1])


def execute_parsed(notebook: Path, parameters: dict, timeout: float | None,
                   cwd: Path) -> nbformat.NotebookNode:
    """What ``papermill.execute_notebook(notebook, None, ...)`` does with the warm engine,
    step by step with papermill's own functions, from a parsed notebook kept between reports
    and without serialising the executed notebook for an output file there is none of."""
    nb = parameterize_notebook(_parsed(notebook), parameters, kernel_name=KERNEL_NAME,
                               engine_name="warm")
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(notebook), None))
    with chdir(str(cwd)):
        nb = papermill_engines.execute_notebook_with_engine(
            "warm", nb, input_path=str(notebook), output_path=None, kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, start_timeout=60, stdout_file=None,
            stderr_file=None, execution_timeout=timeout)
    raise_for_execution_errors(nb, None)
    return nb


def run_cold(notebook: Path, parameters: dict, cwd: Path,
             timeout: float | None = None) -> nbformat.NotebookNode:
    """Execute one notebook the naive way: papermill with a fresh kernel of its own."""
    try:
        return papermill.execute_notebook(
            str(notebook), None, parameters=parameters, kernel_name=KERNEL_NAME,
            engine_name="inline", progress_bar=False, log_output=False,
            execution_timeout=timeout, cwd=str(cwd))
    except (PapermillExecutionError, InlineExpressionError) as err:
        raise failed(notebook, err) from None
