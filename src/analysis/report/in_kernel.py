"""What the executor runs inside the kernel. Standard library and IPython only: this module is
imported by the kernel, never by the process that drives it.

``run_notebook`` executes a whole notebook in one request. Each code cell runs through the
shell's own ``run_cell``, exactly as a request per cell would run it: the same input
transformations, the same display of the last expression, the same traceback on an error, the
same execution count. What a request per cell costs both processes, a round trip with its
status, input and reply messages, is paid once per notebook instead of some nine times.

While a code cell runs, the shell's parent message is the request's with ``/cell/<index>``
added to its id (:data:`CELL`), so every output the cell makes (its streams, displays, result
and error) names the cell it belongs to: the shell's own streams buffer text per parent. After
the last cell, a display message of type :data:`MARKER` carries what happened to each cell
(run, left out, a markdown cell's values, the first error). Markdown cells are evaluated where they
stand, after the code cells above them, as jupyterlab-myst evaluates them: their ``{eval}``
expressions and ``% hvis:`` condition in the user's namespace, each value formatted as a
``user_expressions`` result (its ``text/plain``).

``evaluate`` does the same for one run of markdown cells; the executor that drives the kernel
cell by cell (the naive, fresh-kernel way) asks for it through ``user_expressions``.
"""

from __future__ import annotations

import datetime
import json

MARKER = "application/vnd.rapport.cell+json"
CELL = "/cell/"
# An {eval} value that is None has nothing to print: JupyterLab shows "–" for it, and a report
# stops, naming the cell, rather than print "None" or a dash.
NONE_IN_REPORT = ("the value is None in this report: give the cell a '% hvis:' line or a tag, "
                  "so that it is left out of the reports without a value")


class Answers:
    """What :func:`evaluate` returns: its ``text/plain`` form is the answers as JSON."""

    def __init__(self, answers: list[dict]):
        self.answers = answers

    def __repr__(self) -> str:
        return json.dumps(self.answers, ensure_ascii=False)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def _shell():
    from IPython import get_ipython
    return get_ipython()


def answer(shell, index: int, test: str | None, expressions: list[str]) -> dict:
    """One markdown cell: its condition, evaluated as ``bool(condition)``, and when true its
    expressions, each formatted as the kernel formats a ``user_expressions`` result. The first
    expression that raises, or whose value is None, gives the cell's answer, with its
    error."""
    if test is not None:
        code = f"bool({test})"
        try:
            included = bool(eval(code, shell.user_global_ns, shell.user_ns))
        except Exception as err:  # reported by the executor, with the cell
            return {"cell": index, "error": [code, type(err).__name__, str(err)]}
        if not included:
            return {"cell": index, "included": False}
    values = []
    for expression in expressions:
        try:
            value = eval(expression, shell.user_global_ns, shell.user_ns)
            if value is None:
                raise ValueError(NONE_IN_REPORT)
            # only the text/plain is kept: the other formatters need not run
            data, _ = shell.display_formatter.format(value, include={"text/plain"})
        except Exception as err:
            return {"cell": index, "error": [expression, type(err).__name__, str(err)]}
        values.append(data.get("text/plain", ""))
    return {"cell": index, "included": True, "values": values}


def evaluate(plan: str) -> Answers:
    """The markdown cells of a run between two code cells, evaluated in one request.

    ``plan`` is JSON: a list of ``[cell index, condition or null, [expression, ...]]``. This
    is what one ``user_expressions`` request per condition and per cell would give (markdown
    cells run no code, so nothing changes between them). The first error ends the answers."""
    shell = _shell()
    answers = []
    for index, test, expressions in json.loads(plan):
        answers.append(answer(shell, index, test, expressions))
        if "error" in answers[-1]:
            break
    return Answers(answers)


def _now() -> str:
    """Now, in UTC, written as papermill writes the times of its record."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()


def _for_cell(parent: dict, index: int) -> dict:
    """The request's parent message, as the parent of one cell's outputs."""
    header = parent["header"]
    return {**parent, "header": {**header, "msg_id": f"{header['msg_id']}{CELL}{index}"}}


def run_notebook(plan_file: str) -> None:
    """Execute a notebook's cells in order, in this request (see the module docstring).

    The plan is read from a JSON file, so the request's own code stays a line: the kernel
    hashes and tokenizes every request's code. The plan is
    ``{"audience": expression, "cells": [[kind, index, tags, ...], ...]}``
    with ``[..., source]`` for a code cell, ``[..., condition or null, [expression, ...]]`` for
    a markdown cell and nothing more for a raw cell. ``tags`` are the cell's audience tags: a
    cell with some is kept only when the value of the audience expression (comma-separated
    tags, known once the notebook's setup has run) names one of them. The run stops at the
    first code cell that fails or markdown cell whose evaluation raises."""
    shell = _shell()
    request = shell.get_parent()
    with open(plan_file, encoding="utf-8") as file:
        plan = json.load(file)
    audience: set[str] | None = None
    results: list[dict] = []
    for kind, index, tags, *rest in plan["cells"]:
        if tags:
            if audience is None:
                try:
                    audience = set(str(eval(plan["audience"], shell.user_global_ns,
                                            shell.user_ns)).split(","))
                except Exception as err:
                    results.append({"cell": index, "error": [plan["audience"],
                                                             type(err).__name__, str(err)]})
                    break
            if not audience.intersection(tags):
                results.append({"cell": index, "included": False})
                continue
        if kind == "markdown":
            results.append(answer(shell, index, *rest))
            if "error" in results[-1]:
                break
            continue
        if kind != "code":
            results.append({"cell": index, "included": True})
            continue
        count, start = shell.execution_count, _now()
        shell.set_parent(_for_cell(request, index))
        try:
            outcome = shell.run_cell(rest[0], store_history=True)
        finally:
            shell.set_parent(request)
        results.append({"cell": index, "included": True, "count": count, "start": start,
                        "end": _now(), "ok": bool(outcome.success)})
        if not outcome.success:
            break
    shell.display_pub.publish(data={MARKER: {"results": results}}, metadata={})
