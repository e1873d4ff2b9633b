"""Executing a notebook's markdown: inline values from the kernel, cells for some reports only,
and a failing expression reported with its notebook, cell and expression."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.render.execute import NotebookFailed, WarmKernel

pytestmark = pytest.mark.e2e
PARAMETERS = "kommune = None\ndata_dir = None\nk = None"


def _notebook(path: Path, *cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    code = nbformat.v4.new_code_cell(PARAMETERS)
    code.metadata["tags"] = ["parameters"]
    nb.cells = [code, nbformat.v4.new_code_cell(
        "from analysis.report.notebook import setup\nr = setup(kommune=kommune, data_dir=data_dir)\n"
        "navn = '<b>*Køge*</b> [x](javascript:y)'")]
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell)(
            source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with WarmKernel(tmp_path_factory.mktemp("kernel")) as k:
        yield k


def _markdown(executed) -> list[str]:
    return [c.source for c in executed.cells if c.cell_type == "markdown" and c.source]


def test_values_tags_and_conditions(kernel, tmp_path):
    path = _notebook(
        tmp_path / "t.ipynb",
        ("md", "I alt {eval}`len(r.national.register)` kommuner og {eval}`1234`.", ()),
        ("md", "Kun landsrapporten.", ("national",)),
        ("md", "Kun {eval}`r.m.title`.", ("kommune",)),
        ("md", "Kun når kommunen svarede.", ("kommune-svar",)),
        ("md", "% hvis: len(r.national.register) > 1000\nAldrig.", ()),
        ("md", "% hvis: True\nAltid.", ()),
        ("md", "Navnet er {eval}`navn`.", ()),
    )

    national = _markdown(kernel.run(path, {"kommune": None}))
    koege = _markdown(kernel.run(path, {"kommune": "Køge"}))
    hoersholm = _markdown(kernel.run(path, {"kommune": "Hørsholm"}))

    # values arrive as pandoc markdown that prints as typed: punctuation backslash-escaped
    total = r"I alt 44 kommuner og 1\.234."
    names = r"Navnet er \<b\>\*Køge\*\<\/b\> \[x\]\(javascript\:y\)."
    assert national == [total, "Kun landsrapporten.", "Altid.", names]
    assert koege == [total, "Kun Køge Kommune.", "Kun når kommunen svarede.", "Altid.", names]
    assert hoersholm == [total, "Kun Hørsholm Kommune.", "Altid.", names]


def test_a_left_out_cell_keeps_its_source_in_the_metadata(kernel, tmp_path):
    path = _notebook(tmp_path / "t.ipynb", ("md", "Kun {eval}`r.m.title`.", ("kommune",)))

    executed = kernel.run(path, {"kommune": None})

    cell = executed.cells[-1]
    assert cell.source == "" and cell.metadata["rapport"]["udeladt"] == "Kun {eval}`r.m.title`."


def test_a_failing_expression_names_notebook_cell_and_expression(kernel, tmp_path):
    path = _notebook(tmp_path / "fejl.ipynb", ("md", "Godt {eval}`1 + 1`.", ()),
                     ("md", "Dårligt {eval}`r.findes_ikke`.", ()))

    with pytest.raises(NotebookFailed) as failed:
        kernel.run(path, {"kommune": None})

    message = str(failed.value)
    assert "fejl.ipynb" in message and "r.findes_ikke" in message
    assert "AttributeError" in message
    assert failed.value.cell == 4      # the second markdown cell, counting the injected one


def test_an_edited_notebook_is_read_again_by_a_warm_kernel(kernel, tmp_path):
    """The warm kernel keeps each notebook parsed between reports; an edit, even one that keeps
    the file's size, is what the next report executes."""
    path = _notebook(tmp_path / "e.ipynb", ("md", "Første udgave: {eval}`1 + 1`.", ()))
    first = kernel.run(path, {})
    edited = path.read_text(encoding="utf-8").replace("Første", "Senere")
    assert len(edited) == len(path.read_text(encoding="utf-8"))
    path.write_text(edited, encoding="utf-8")
    second = kernel.run(path, {})

    assert "Senere udgave: 2." in _markdown(second)
    # each run executes a copy: the first notebook is untouched by the second run
    assert "Første udgave: 2." in _markdown(first)
    assert len(first.cells) == len(second.cells)


def test_the_warm_engines_record_of_a_cell_is_papermills():
    import datetime

    from papermill.engines import NotebookExecutionManager

    from analysis.render.execute.engine import _Record

    def record(manager_class):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1"),
                                             nbformat.v4.new_markdown_cell("*x*")])
        nb.metadata.papermill = {}          # as papermill's prepare_notebook_metadata leaves it
        manager = manager_class(nb, progress_bar=False)
        manager.notebook_start()
        for index, cell in enumerate(nb.cells):
            manager.cell_start(cell, index)
            manager.cell_complete(cell, index)
        manager.notebook_complete()
        return [dict(cell.metadata.papermill) for cell in nb.cells]

    ours, theirs = record(_Record), record(NotebookExecutionManager)
    for mine, papermills in zip(ours, theirs):
        assert list(mine) == list(papermills)
        assert mine["status"] == papermills["status"] == "completed"
        assert mine["exception"] is papermills["exception"] is False
        start, end = (datetime.datetime.fromisoformat(mine[key])
                      for key in ("start_time", "end_time"))
        assert mine["duration"] == (end - start).total_seconds() >= 0



def test_cell_transforms_are_kept_per_text_and_unchanged():
    """The warm kernel keeps IPython's static cell transformations per cell text; what a cell
    becomes is what IPython makes of it without the cache."""
    from IPython.core.interactiveshell import InteractiveShell

    from analysis.report import notebook

    manager = InteractiveShell.instance().input_transformer_manager
    cells = ["%time x = 1\n", "!echo hej\n", "y = 2 # ?\nz = y\n", "len?\n"]
    plain = getattr(manager.transform_cell, "__wrapped__", manager.transform_cell)
    expected = [plain(cell) for cell in cells]
    assert expected[0] != cells[0] and expected[1] != cells[1]      # transformations at work
    notebook._reuse_cell_transforms()
    notebook._reuse_cell_transforms()            # once is enough; a second call changes nothing
    assert [manager.transform_cell(cell) for cell in cells] == expected
    before = manager.transform_cell.cache_info()
    assert [manager.transform_cell(cell) for cell in cells] == expected
    after = manager.transform_cell.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (len(cells), 0)
    assert plain.__self__ is manager
