"""The cell-by-cell papermill client: a request to the kernel per cell, the markdown cells'
``{eval}`` expressions through ``user_expressions``."""

from __future__ import annotations

import functools
import json

from papermill.clientwrap import PapermillNotebookClient

from analysis.render.execute.cells import (leave_out,
                                           resolve_markdown)
from analysis.render.execute.errors import InlineExpressionError
from analysis.render.execute.kernel_code import AUDIENCE_EXPRESSION, evaluation
from analysis.report import dialect, inline


class InlineClient(PapermillNotebookClient):
    """papermill's client, plus the notebook's markdown: after the cells above it have run, a
    markdown cell's ``{eval}`` expressions are evaluated in the kernel (as jupyterlab-myst
    does, through ``user_expressions``) and the cell's source becomes the resolved pandoc
    markdown. Cells tagged for other reports, or whose ``% hvis:`` condition is false, are
    left out: neither executed nor shown, their source kept in the cell's metadata. A cell's
    ``% rang:`` value is kept in its metadata (``rapport.rang``) for the assembler.

    The markdown cells between two code cells are evaluated in one request (see
    ``analysis.report.in_kernel.evaluate``): a report has some 250 markdown cells and 60 code
    cells, and each request costs both processes a round trip."""

    _audience: frozenset[str] | None = None
    _answers: dict[int, dict] | None = None

    def _evaluate(self, cell, index: int, expressions: list[str]) -> dict[str, str]:
        if not expressions:
            return {}
        keys = {str(i): expr for i, expr in enumerate(expressions)}
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=keys)
        reply = self.wait_for_reply(msg_id, cell)
        if reply is None:
            raise InlineExpressionError(index, expressions[0], "no answer from the kernel")
        results = reply["content"].get("user_expressions", {})
        values = {}
        for key, expr in keys.items():
            result = results.get(key, {})
            if result.get("status") != "ok":
                raise InlineExpressionError(
                    index, expr, f"{result.get('ename', 'Error')}: {result.get('evalue', '')}")
            values[expr] = inline.plain_text(result.get("data", {}).get("text/plain", ""))
        return values

    def _for_audience(self, cell, index: int) -> bool:
        tags = dialect.audience(cell.metadata.get("tags", []))
        if tags:
            if self._audience is None:
                audience = self._evaluate(cell, index, [AUDIENCE_EXPRESSION])
                self._audience = frozenset(audience[AUDIENCE_EXPRESSION].split(","))
            if not tags & self._audience:
                return False
        return True

    def _plan_run(self, index: int, *, may_ask: bool = True):
        """The markdown cells from ``index`` to the next code cell: what is known of each
        without the kernel (cells for other reports left out), the plan of what the kernel
        must evaluate, and where the audience could not be known. ``None`` when it cannot be
        planned without asking the kernel and ``may_ask`` is false."""
        cells = self.nb.cells
        answers, plan, stop = {}, [], None
        for i in range(index, len(cells)):
            cell = cells[i]
            if cell.cell_type == "code":
                break
            if cell.cell_type != "markdown":
                continue
            if (not may_ask and self._audience is None
                    and dialect.audience(cell.metadata.get("tags", []))):
                return None
            try:
                wanted = self._for_audience(cell, i)
            except InlineExpressionError as err:
                stop = (i, err)
                break
            if not wanted:
                answers[i] = {"included": False}
                continue
            test, expressions = dialect.condition(cell.source), dialect.evaluations(cell.source)
            answers[i] = {"included": True, "values": []}
            if test is not None or expressions:
                plan.append([i, test, expressions])
        return answers, plan, stop

    def _keep_answers(self, planned, reply: list[dict]) -> None:
        """Keep a run's answers by cell index (in the order and with the errors one request
        per cell would give) from the kernel's reply to its plan (empty without a plan)."""
        answers, _, stop = planned
        self._answers = answers
        for answer in reply:
            self._answers[answer["cell"]] = answer
        if reply and "error" in reply[-1]:
            return  # the notebook stops at that cell
        if stop is not None:  # the cell's audience could not be known: the notebook stops there
            self._answers[stop[0]] = {"raise": stop[1]}

    def _evaluate_run(self, index: int) -> None:
        """Evaluate, in one request of its own, the markdown cells from ``index`` to the next
        code cell (a run the code cell before it could not carry)."""
        planned = self._plan_run(index)
        reply = []
        if planned[1]:
            expression = evaluation(planned[1])
            reply = json.loads(self._evaluate(self.nb.cells[index], index,
                                              [expression])[expression])
        self._keep_answers(planned, reply)

    def _execute_code(self, cell, index: int, execution_count, store_history):
        """Execute a code cell; the markdown cells after it are evaluated in the same request
        (its ``user_expressions``, evaluated once the code has run), when they can be planned
        before it runs."""
        planned = self._plan_run(index + 1, may_ask=False)
        expressions = {}
        if planned is not None and planned[1]:
            expressions["run"] = evaluation(planned[1])
        if self._audience is None:       # known once setup() has run (an error until then)
            expressions["audience"] = AUDIENCE_EXPRESSION
        replies: list[dict] = []
        self.on_cell_executed = lambda **hook: replies.append(hook["execute_reply"])
        execute = self.kc.execute
        self.kc.execute = functools.partial(execute, user_expressions=expressions)
        try:
            cell = super().execute_cell(cell, index, execution_count, store_history)
        finally:
            del self.kc.execute          # the shared client's own method again
            self.on_cell_executed = None
        results = (replies[0] or {}).get("content", {}).get("user_expressions", {}) \
            if replies else {}
        audience = results.get("audience", {})
        if audience.get("status") == "ok":
            self._audience = frozenset(inline.plain_text(
                audience.get("data", {}).get("text/plain", "")).split(","))
        if planned is None:
            return cell
        if "run" not in expressions:
            self._keep_answers(planned, [])
            return cell
        expression = expressions["run"]
        result = results.get("run", {})
        if result.get("status") != "ok":
            raise InlineExpressionError(
                index + 1, expression,
                f"{result.get('ename', 'Error')}: {result.get('evalue', 'no answer')}")
        answers = json.loads(inline.plain_text(result.get("data", {}).get("text/plain", "")))
        self._keep_answers(planned, answers)
        return cell

    def _answer(self, cell, index: int) -> dict:
        if self._answers is None or index not in self._answers:
            self._evaluate_run(index)
        answer = self._answers[index]
        if "raise" in answer:
            raise answer["raise"]
        if "error" in answer:
            raise InlineExpressionError(index, answer["error"][0],
                                        ": ".join(answer["error"][1:]))
        return answer

    def execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "markdown":
            if cell.cell_type == "code":
                self._answers = None
            if not self._for_audience(cell, cell_index):
                return leave_out(cell)
            if cell.cell_type == "code":
                return self._execute_code(cell, cell_index, execution_count, store_history)
            return super().execute_cell(cell, cell_index, execution_count, store_history)
        answer = self._answer(cell, cell_index)
        if not answer["included"]:
            return leave_out(cell)
        return resolve_markdown(self.nb, cell, answer)
