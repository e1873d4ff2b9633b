"""What executing a notebook raises: a notebook that failed, an inline expression that
raised in the kernel, a notebook that ran past its timeout."""

from __future__ import annotations

from pathlib import Path


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, and the error."""

    def __init__(self, notebook: str, cell: int | None, error: str):
        self.notebook, self.cell, self.error = notebook, cell, error
        where = f"{notebook}, cell {cell}" if cell is not None else notebook
        super().__init__(f"{where}: {error}")


class InlineExpressionError(Exception):
    """An inline expression (or a cell's condition) raised in the kernel."""

    def __init__(self, cell_index: int, expression: str, error: str):
        self.cell_index, self.expression, self.error = cell_index, expression, error
        super().__init__(f"{expression}: {error}")


class CellTimedOut(Exception):
    """A notebook ran for longer than the timeout allows; the kernel was interrupted in the
    cell named (None when the interrupt did not stop it)."""

    def __init__(self, cell_index: int | None, timeout: float):
        self.cell_index, self.timeout = cell_index, timeout
        super().__init__(f"the notebook ran for more than {timeout:g} s and was stopped")


def failed(notebook: Path, err: Exception) -> NotebookFailed:
    """The :class:`NotebookFailed` for an error raised while executing ``notebook``."""
    if isinstance(err, InlineExpressionError):
        return NotebookFailed(notebook.name, err.cell_index,
                              f"inline expression {{eval}}`{err.expression}` failed: {err.error}")
    if isinstance(err, CellTimedOut):
        return NotebookFailed(notebook.name, err.cell_index, str(err))
    return NotebookFailed(notebook.name, err.cell_index, f"{err.ename}: {err.evalue}")
