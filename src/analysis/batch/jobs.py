"""One report, start to finish: execute the notebooks, assemble, write HTML, PDF, tables and
provenance into a temporary folder, and move the folder into place only when all of it is done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from analysis.report import danish
from analysis.core import paths
from analysis.core.hashing import file_digest
from analysis.core.provenance import Provenance
from analysis import render
from analysis.render.execute import WarmKernel, run_cold
from analysis.report.present import META_KEY

if TYPE_CHECKING:
    from analysis.delivery import Sealing

FORMATS = ("html", "pdf")
FILES = {"pdf": "rapport.pdf", "xlsx": "tabeller.xlsx", "provenance": "provenance.json"}


@dataclass(frozen=True)
class Job:
    """What to render: ``kommune`` is a kommunekode or None for the national report.

    ``offentlig``: a municipal report published openly (the notebooks get it as a parameter);
    ``delivery``: how a confidential municipal report is sealed before it is moved into
    place (None writes the plain report).
    """

    kommune: str | None
    name: str | None
    data_dir: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    k: int | None = None
    engine: str = "pandoc"
    timeout: float | None = None
    offentlig: bool = False
    delivery: Sealing | None = field(default=None, compare=False)

    @property
    def target(self) -> Path:
        return paths.report_dir(self.out_dir, self.kommune, self.name)

    @property
    def key(self) -> str:
        """The report's key in the manifest: ``national`` or its kommunekode."""
        return paths.report_key(self.kommune)

    @property
    def parameters(self) -> dict:
        return {"kommune": self.kommune, "data_dir": str(self.data_dir.resolve()), "k": self.k,
                "offentlig": self.offentlig}

    def overdue(self, running_for: float) -> bool:
        """Has the report run for longer than its timeout allows? Its notebooks' cells time
        out on their own; this catches a worker that hangs elsewhere or stops answering."""
        return bool(self.timeout) and running_for > self.timeout + STUCK_MARGIN


# How long past its timeout a report may run before its worker is stopped (both engines).
STUCK_MARGIN = 60.0


@dataclass
class Outcome:
    kommune: str | None
    name: str | None
    status: str                       # rendered | failed
    seconds: dict = field(default_factory=dict)
    error: str | None = None
    notebook: str | None = None
    cell: int | None = None
    provenance: dict = field(default_factory=dict)   # what the manifest keeps of the record


def notebooks() -> list[Path]:
    return sorted(paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def execute_all(job: Job, kernel: WarmKernel | None) -> list[nbformat.NotebookNode]:
    """Execute every chapter notebook for the job (warm kernel, or cold per notebook)."""
    cwd = paths.notebooks_dir()
    out = []
    for nb in notebooks():
        if kernel is not None:
            out.append(kernel.run(nb, job.parameters, timeout=job.timeout))
        else:
            out.append(run_cold(nb, job.parameters, cwd, timeout=job.timeout))
    return out


def _provenance(job: Job, executed: list[nbformat.NotebookNode]) -> Provenance:
    """The provenance record the notebooks computed, plus what only the renderer knows."""
    record = None
    for nb in executed:
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                meta = output.get("metadata", {}).get(META_KEY, {})
                if meta.get("kind") == "provenance":
                    record = meta["record"]
    if record is None:
        raise RuntimeError("no notebook displayed the report's provenance")
    return Provenance.from_record(record).built(
        notebooks={nb.name: file_digest(nb) for nb in notebooks()}, engine=job.engine,
        formats=job.formats)


def write_outputs(job: Job, executed: list[nbformat.NotebookNode], folder: Path) -> dict:
    """Write the report's files into ``folder``; return timings per step."""
    timings = {}
    t = time.perf_counter()
    doc = render.assemble(executed)
    timings["assemble"] = time.perf_counter() - t
    shown = [kind for kind in FILES if kind != "pdf" or "pdf" in job.formats]
    links = {danish.DOWNLOAD_LINKS[kind]: FILES[kind] for kind in shown}
    if job.engine == "quarto":
        # one Quarto run writes both formats, in a private work folder of its own
        t = time.perf_counter()
        render.render_with_quarto(doc, folder, formats=[f for f in FORMATS if f in job.formats],
                                  links=links, timeout=job.timeout or render.QUARTO_TIMEOUT)
        timings["quarto"] = time.perf_counter() - t
        render.write_tables_xlsx(doc, folder / "tabeller.xlsx")
        return timings
    timings.update(render.write_report(doc, folder, job.formats, links=links))
    render.write_tables_xlsx(doc, folder / "tabeller.xlsx")
    return timings


def move_into_place(folder: Path, target: Path) -> None:
    """Replace ``target`` by the finished ``folder`` (the old report survives until then)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{os.getpid()}")
        os.replace(target, old)
    os.replace(folder, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fail(outcome: Outcome, err: Exception) -> Outcome:
    from analysis.render.execute import NotebookFailed
    from analysis.core.problems import InputError

    if isinstance(err, NotebookFailed):
        outcome.error, outcome.notebook, outcome.cell = err.error, err.notebook, err.cell
    elif isinstance(err, InputError):
        outcome.error = "; ".join(str(p) for p in err.problems)
    else:  # one report's failure must not stop the batch
        outcome.error = f"{type(err).__name__}: {err}"
    return outcome


def execute_stage(job: Job, kernel: WarmKernel | None
                  ) -> tuple[list[nbformat.NotebookNode] | None, Outcome]:
    """Run the notebooks; on failure the outcome says where and the notebooks are None."""
    outcome = Outcome(job.kommune, job.name, "failed")
    t0 = time.perf_counter()
    try:
        executed = execute_all(job, kernel)
    except Exception as err:
        outcome.seconds["execute"] = time.perf_counter() - t0
        return None, _fail(outcome, err)
    outcome.seconds["execute"] = time.perf_counter() - t0
    return executed, outcome


def write_stage(job: Job, executed: list[nbformat.NotebookNode] | None,
                outcome: Outcome) -> Outcome:
    """Write the report into a staging folder and move it into place when complete."""
    if executed is None:
        outcome.seconds["total"] = sum(outcome.seconds.values())
        return outcome
    t0 = time.perf_counter()
    staging = paths.staging_dir(job.out_dir)
    staging.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{job.target.name}-", dir=staging))
    try:
        outcome.seconds.update(write_outputs(job, executed, folder))
        info = _provenance(job, executed)
        (folder / FILES["provenance"]).write_text(info.to_json(), encoding="utf-8")
        outcome.provenance = info.manifest_fields()
        if job.delivery is not None:
            t = time.perf_counter()
            job.delivery.apply(folder, job.target.name, job.name)
            outcome.seconds["seal"] = time.perf_counter() - t
        os.chmod(folder, 0o755)
        move_into_place(folder, job.target)
        outcome.status = "rendered"
    except Exception as err:
        _fail(outcome, err)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outcome.seconds["total"] = outcome.seconds["execute"] + time.perf_counter() - t0
    return outcome


def render_job(job: Job, kernel: WarmKernel | None) -> Outcome:
    """Render one report; failures are returned, not raised, so a batch carries on."""
    executed, outcome = execute_stage(job, kernel)
    return write_stage(job, executed, outcome)


# A report that is rendered on another machine comes back as its files' bytes.

def write_stage_files(job: Job, executed: list[nbformat.NotebookNode] | None,
                      outcome: Outcome, scratch: Path) -> tuple[Outcome, dict[str, bytes]]:
    """``write_stage`` into a private ``scratch`` folder instead of ``job.out_dir``; return the
    outcome and the finished report's files (name -> bytes), empty when it failed."""
    local = replace(job, out_dir=scratch)
    outcome = write_stage(local, executed, outcome)
    files = {}
    if outcome.status == "rendered":
        files = {p.relative_to(local.target).as_posix(): p.read_bytes()
                 for p in sorted(local.target.rglob("*")) if p.is_file()}
    shutil.rmtree(local.target, ignore_errors=True)
    return outcome, files


def place_files(job: Job, files: dict[str, bytes]) -> None:
    """Write a report's files into a staging folder of ``job.out_dir`` and move the folder into
    place when all of them are written, as ``write_stage`` does with a report rendered here."""
    staging = paths.staging_dir(job.out_dir)
    staging.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{job.target.name}-", dir=staging))
    try:
        for name, data in files.items():
            path = folder / name
            if path.resolve().parent != folder.resolve() and \
                    folder.resolve() not in path.resolve().parents:
                raise ValueError(f"file name outside the report folder: {name}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.chmod(folder, 0o755)
        move_into_place(folder, job.target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
