"""The chapter notebooks: committed clean, parameterised, and runnable with their defaults."""

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_with_parameters(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]

    nbformat.validate(nb)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    source = code[0].source
    assert "kommune = None" in source and "data_dir = None" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_are_calls_not_machinery(path):
    nb = nbformat.read(path, as_version=4)

    for cell in nb.cells[1:]:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            lines = [line.strip() for line in cell.source.splitlines()]
            assert not any(line.startswith(("def ", "for ", "while ", "class "))
                           for line in lines), cell.source
            assert "open(" not in cell.source and "Path(" not in cell.source, cell.source


@pytest.mark.e2e
def test_run_all_with_defaults_like_a_researcher():
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS[1], as_version=4)

    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS[1].parent)}}).execute()

    kinds = [o.get("metadata", {}).get("rapport", {}).get("kind")
             for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert kinds.count("figure") == 3 and "table" in kinds
