"""The warm engine runs a notebook's cells in one request to the kernel. What it makes of a
notebook is what papermill and nbclient make of it cell by cell in a fresh kernel (the naive
way, ``run_cold``): the same outputs, execution counts, markdown and cells left out, the same
failure; and a notebook that runs too long is stopped, naming its cell, without losing the
kernel."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from analysis.batch.jobs import notebooks
from analysis.render.execute import NotebookFailed, WarmKernel, run_cold
from analysis.core import paths

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parents[1] / "data"
SETUP = ("from analysis.report.notebook import setup\n"
         "r = setup(kommune=kommune, data_dir=data_dir)")


@pytest.fixture(autouse=True)
def reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")   # before any kernel starts


def _notebook(path: Path, *cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    parameters = nbformat.v4.new_code_cell("kommune = None\ndata_dir = None")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell(SETUP)]
    for kind, source, tags in cells:
        new = {"code": nbformat.v4.new_code_cell, "md": nbformat.v4.new_markdown_cell,
               "raw": nbformat.v4.new_raw_cell}[kind]
        cell = new(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


# Every kind of output a cell can make, in several cells, with cells for some reports only.
SAMPLE = (
    ("code", "import sys\nprint('ud')\nprint('fejl', file=sys.stderr)\nprint('igen')", ()),
    ("md", "Der er {eval}`len(r.national.register)` kommuner.", ()),
    ("code", "from IPython.display import HTML, Markdown, display\n"
             "display(Markdown('**fed**'), metadata={'kilde': 1})\n"
             "display({'image/svg+xml': '<svg/>', 'text/plain': 'figur'}, raw=True)\n"
             "print('efter')", ()),
    ("code", "40 + 2", ()),
    ("code", "from IPython.display import clear_output\nprint('væk')\nclear_output()\n"
             "print('bliver')", ()),
    ("code", "print('før')\nclear_output(wait=True)\nprint('efter')\n'sidst'", ()),
    ("code", "x = 1\nprint('uden linjeskift', end='')", ()),
    ("code", "print(' og med')", ()),
    ("md", "% hvis: x > 1\nAldrig.", ()),
    ("code", "print('kun kommunen')\nr.m.title", ("kommune",)),
    ("md", "Kun landet.", ("national",)),
    ("raw", "rå", ("kommune",)),
    ("code", "!echo skal", ()),
    ("md", "Til sidst {eval}`x + 1`.", ()),
)


def _comparable(nb, counts: bool = True) -> list[dict]:
    """A notebook's cells, without the times papermill and nbclient record; execution counts
    counted from the notebook's first (a warm kernel's counts go on from notebook to
    notebook)."""
    first = min((c.execution_count for c in nb.cells
                 if c.cell_type == "code" and c.execution_count), default=1)
    cells = []
    for cell in nb.cells:
        entry = {"type": cell.cell_type, "source": cell.source,
                 "metadata": {k: v for k, v in cell.metadata.items()
                              if k not in ("papermill", "execution")}}
        if cell.cell_type == "code":
            outputs = []
            for output in (dict(o) for o in cell.outputs):
                # where the kernel flushes a stream is a matter of timing, in papermill's run as
                # in the warm one: adjacent pieces of one stream are one text
                last = outputs[-1] if outputs else {}
                if output["output_type"] == "stream" and last.get("output_type") == "stream" \
                        and last["name"] == output["name"]:
                    last["text"] += output["text"]
                else:
                    outputs.append(output)
            for output in outputs:
                if "execution_count" in output and output["execution_count"]:
                    output["execution_count"] -= first - 1
            entry["outputs"] = outputs
            entry["count"] = cell.execution_count and cell.execution_count - (first - 1)
        cells.append(entry)
    return cells


def test_a_notebook_run_in_one_request_is_papermills_cell_by_cell(tmp_path):
    path = _notebook(tmp_path / "alt.ipynb", *SAMPLE)
    cases = [{"kommune": None, "data_dir": str(DATA)}, {"kommune": "Køge", "data_dir": str(DATA)}]

    cold = [run_cold(path, parameters, tmp_path) for parameters in cases]
    with WarmKernel(tmp_path) as kernel:
        warm = [kernel.run(path, parameters) for parameters in cases]

    for mine, papermills in zip(warm, cold):
        assert _comparable(mine) == _comparable(papermills)
        assert mine.metadata["language_info"] == papermills.metadata["language_info"]
    # the sample made every kind of output, and each report kept its own cells
    national = _comparable(warm[0])
    kinds = {o["output_type"] for cell in national if cell["type"] == "code"
             for o in cell["outputs"]}
    assert kinds == {"stream", "display_data", "execute_result"}
    cleared = [cell["outputs"] for cell in national if "clear_output" in cell["source"]]
    assert [[o.get("text") for o in outputs] for outputs in cleared] == [["bliver\n"],
                                                                          ["efter\n", None]]
    # text without a line end stays with the cell that wrote it
    texts = [[o.get("text") for o in cell["outputs"]] for cell in national
             if "linjeskift" in cell["source"] or "og med" in cell["source"]]
    assert texts == [["uden linjeskift"], [" og med\n"]]
    outputs = [[str(c.get("outputs")) for c in _comparable(nb) if "kun kommunen" in str(c)][0]
               for nb in warm]
    assert "kun kommunen\\n" not in outputs[0] and "kun kommunen\\n" in outputs[1]
    assert "Køge Kommune" in outputs[1]


def test_a_failing_cell_fails_as_papermills(tmp_path):
    path = _notebook(tmp_path / "fejl.ipynb", ("code", "print('først')", ()),
                     ("md", "Før fejlen.", ()), ("code", "raise ValueError('nej')", ()),
                     ("code", "print('aldrig')", ()))
    parameters = {"kommune": None, "data_dir": str(DATA)}
    failures = []
    with pytest.raises(NotebookFailed) as failed:
        run_cold(path, parameters, tmp_path)
    failures.append(failed.value)
    with WarmKernel(tmp_path) as kernel, pytest.raises(NotebookFailed) as failed:
        kernel.run(path, parameters)
    failures.append(failed.value)

    assert str(failures[0]) == str(failures[1]) == "fejl.ipynb, cell 5: ValueError: nej"
    assert failures[0].cell == failures[1].cell == 5   # counting the injected cell


def test_a_notebook_that_runs_too_long_is_stopped_in_its_cell_and_the_kernel_goes_on(tmp_path):
    slow = _notebook(tmp_path / "langsom.ipynb", ("code", "import time\ntime.sleep(120)", ()),
                     ("code", "print('aldrig')", ()))
    quick = _notebook(tmp_path / "hurtig.ipynb", ("code", "import time\ntime.sleep(0.3)", ()),
                      ("md", "Svar: {eval}`6 * 7`.", ()))
    parameters = {"kommune": None, "data_dir": str(DATA)}
    with WarmKernel(tmp_path) as kernel:
        started = time.monotonic()
        with pytest.raises(NotebookFailed) as failed:
            kernel.run(slow, parameters, timeout=3)
        stopped_after = time.monotonic() - started
        after = kernel.run(quick, parameters)

    assert failed.value.cell == 3 and "more than 3 s" in str(failed.value)   # the slow cell
    assert stopped_after < 60
    assert after.cells[-1].source == "Svar: 42."
    # papermill's record of each cell carries the times the kernel ran it
    record = after.cells[-2].metadata.papermill
    assert record["status"] == "completed" and 0.3 <= record["duration"] < 30
    assert record["start_time"] < record["end_time"]


def test_the_chapters_run_in_one_request_are_papermills_cell_by_cell():
    """The report's own notebooks, for a municipality, all run in one warm kernel: the first,
    the middle and the last are the same cells as papermill gives them in a cold kernel each.
    The last has run after every other notebook (whatever they leave in the kernel), the first
    after none; the middle is a chapter of its own. (Every cell kind is compared on the sample
    notebook above; a cold papermill run costs a kernel start and the analysis each, so the
    others are not run cold again.)"""
    parameters = {"kommune": "259", "data_dir": str(DATA.resolve()), "k": None,
                  "offentlig": False}
    cwd = paths.notebooks_dir()
    chapters = notebooks()
    with WarmKernel(cwd) as kernel:
        warm = [kernel.run(nb, parameters) for nb in chapters]
    compared = sorted({0, len(chapters) // 2, len(chapters) - 1})
    for i in compared:
        nb, mine = chapters[i], warm[i]
        assert _comparable(mine) == _comparable(run_cold(nb, parameters, cwd)), nb.name
