"""The whole suite's fixtures: throwaway passphrases, copies of the shipped data, and the
renders that many tests read, each made once per session in the background (see
``shared_renders``).

The end-to-end tests (marker ``e2e``) run after all the others, those that read a background
render last, so the background renders run while the other tests do.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from published import published_counts_from
from sealed_packages import unseal
from shared_renders import (FIRST_ENV, LIBRARY_RENDER, RAPPORT, SECOND_ENV, SPECS, RenderPool,
                            background_render, needed)

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
KOEGE_FOLDER = "kommuner/259-koege"
HOERSHOLM_FOLDER = "kommuner/223-hoersholm"

# "auto" picks Quarto wherever it is installed (as in CI); the suite tests the default engine
# unless a test asks for Quarto with --engine quarto.
os.environ.setdefault("RAPPORT_ENGINE", "pandoc")


def pytest_configure(config):
    """Every render in the tests, and every CLI run they start, keeps its passphrases in a
    throwaway file: the tests never read or write the project's real passphrase file."""
    keys = Path(tempfile.mkdtemp(prefix="rapport-test-noegler-")) / "adgangsfraser.csv"
    os.environ["RAPPORT_NOEGLER"] = str(keys)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """The ``e2e`` tests after the others, and among them the modules that read a background
    render last, so the background renders are made while the other tests run. The order of the
    tests is kept within each group, and a module's tests stay together."""
    fast = [item for item in items if item.get_closest_marker("e2e") is None]
    slow = [item for item in items if item.get_closest_marker("e2e") is not None]
    reading = {item.module for item in slow if needed([item])}
    items[:] = fast + [item for item in slow if item.module not in reading] + \
        [item for item in slow if item.module in reading]


# ---------------------------------------------------------------- renders made once per session

POOL = pytest.StashKey[RenderPool]()


@pytest.fixture(autouse=True)
def _close_figures():
    """Every matplotlib figure a test drew is closed after it (pyplot keeps them open)."""
    yield
    import sys
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session", autouse=True)
def render_pool(request, tmp_path_factory):
    """Starts, at once, the background renders the collected tests read (see
    ``shared_renders``), as many at a time as the machine has cores: those that keep several
    cores busy (the longest) first, the others in the order the tests need them."""
    pool = RenderPool(tmp_path_factory.mktemp("renders"), slots=max(2, os.cpu_count() or 1))
    for name in sorted(needed(request.session.items), key=lambda n: -SPECS[n].slots):
        pool.enqueue(name)
    request.config.stash[POOL] = pool
    yield pool
    pool.close()


def pytest_terminal_summary(terminalreporter, config):
    pool = config.stash.get(POOL, None)
    if pool is not None and pool.timings():
        terminalreporter.write_sep("-", "background renders")
        for line in pool.timings():
            terminalreporter.write_line(line)


# The national report, in html and pdf, as ``rapport render`` gives it.
national_render = background_render(
    "national_render", [*RAPPORT, "render", "--out", "{out}"], env=FIRST_ENV)

# Køge (a respondent) and Hørsholm (a non-respondent), sealed, in one call: Køge is rendered
# first, in a fresh kernel (cold), Hørsholm after it in the same kernel.
kommune_renders = background_render(
    "kommune_renders", [*RAPPORT, "render", "--kommune", "Køge", "--kommune", "Hørsholm",
                        "--jobs", "1", "--out", "{out}"], env=FIRST_ENV)

# ``rapport render --all`` with two workers (warm kernels), its own passphrase file beside the
# outputs, and the second environment (another time zone and hash seed).
batch_render = background_render(
    "batch_render", [*RAPPORT, "render", "--all", "--jobs", "2", "--out", "{out}"],
    env={**SECOND_ENV, "RAPPORT_NOEGLER": "{dir}/noegler/adgangsfraser.csv"}, slots=2)

# The national report in html only (no download link to a PDF).
national_html_render = background_render(
    "national_html_render", [*RAPPORT, "render", "--format", "html", "--out", "{out}"],
    env=FIRST_ENV)

# Køge and Hørsholm published openly (--offentlige-kommunerapporter), html only, with a
# passphrase file that must never be made.
public_kommune_renders = background_render(
    "public_kommune_renders",
    [*RAPPORT, "render", "--kommune", "Køge", "--kommune", "Hørsholm",
     "--offentlige-kommunerapporter", "--format", "html", "--jobs", "1", "--out", "{out}"],
    env={**FIRST_ENV, "RAPPORT_NOEGLER": "{dir}/ingen-noegler/adgangsfraser.csv"})


def _change_data(data: Path) -> None:
    from changed_data import change_data

    change_data(data)


# The national report, html only, from the data changed as ``changed_data`` describes.
changed_data_render = background_render(
    "changed_data_render",
    [*RAPPORT, "render", "--format", "html", "--data", "{data}", "--out", "{out}"],
    env=FIRST_ENV, prepare=_change_data)

# Køge's report, unsealed, from the library in a fresh kernel (what a sealed package must
# open to, and what a warm kernel must give).
plain_koege_render = background_render(
    "plain_koege_render", [*LIBRARY_RENDER, "{out}", "259", "Køge", "{data}"], env=FIRST_ENV)


# ---------------------------------------------------------------- the shared renders, read

@dataclass(frozen=True)
class Report:
    """One rendered report's folder."""

    key: str
    folder: Path
    package: Path | None = None     # a municipality's sealed package, as rendered

    @property
    def html(self) -> Path:
        return self.folder / "rapport.html"

    @property
    def pdf(self) -> Path:
        return self.folder / "rapport.pdf"

    @property
    def xlsx(self) -> Path:
        return self.folder / "tabeller.xlsx"

    @property
    def is_municipal(self) -> bool:
        return self.key != "national"


class Batch(NamedTuple):
    """The ``--all`` batch: its outputs folder and its passphrase file."""

    out: Path
    keys: Path


def _opened(key: str, package: Path, target: Path, keys: Path | None = None) -> Report:
    return Report(key, unseal(package, target / package.name, keys), package=package)


@pytest.fixture(scope="session")
def reports(national_render, kommune_renders) -> dict[str, Report]:
    """The national report and the reports of Køge and Hørsholm, rendered once for the whole
    session. A municipality's ``folder`` holds the files of its sealed package, opened with its
    passphrase as the reader's browser opens them (``package`` is the sealed folder itself)."""
    opened = kommune_renders.dir / "aabnet"
    return {"national": Report("national", national_render.out / "national"),
            "koege": _opened("koege", kommune_renders.out / KOEGE_FOLDER, opened),
            "hoersholm": _opened("hoersholm", kommune_renders.out / HOERSHOLM_FOLDER, opened)}


@pytest.fixture(scope="session")
def batch(batch_render) -> Batch:
    """``rapport render --all`` (see ``batch_render``), read only: a test that changes it works
    on a copy."""
    return Batch(batch_render.out, batch_render.dir / "noegler" / "adgangsfraser.csv")


@pytest.fixture(scope="session")
def batch_reports(batch, batch_render) -> dict[str, Report]:
    """The national report and Køge's, as the ``--all`` batch rendered them: other processes
    (warm workers), another out dir, time zone and hash seed than :func:`reports`."""
    return {"national": Report("national", batch.out / "national"),
            "koege": _opened("koege", batch.out / KOEGE_FOLDER, batch_render.dir / "aabnet",
                             batch.keys)}


# ---------------------------------------------------------------- data

@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data, to break or change in a test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def shipped():
    """The shipped data, loaded."""
    from analysis.inputs.dataset import load_dataset

    return load_dataset(DATA)


@pytest.fixture(scope="session")
def shipped_frame():
    """Every row of the shipped besvarelser.csv (incomplete ones too) as the canonical export
    frame (see ``shipped_inputs``)."""
    from shipped_inputs import shipped_survey_frame

    return shipped_survey_frame()


@pytest.fixture(scope="session")
def kommune_names() -> dict[str, str]:
    """``{kommunekode: kommunenavn}`` of the shipped municipality list."""
    from shipped_inputs import shipped_kommune_names

    return shipped_kommune_names()


@pytest.fixture
def published_counts(request):
    """``published_counts(data_dir=None)`` -> counts recomputed from that data."""
    from analysis.inputs.dataset import load_dataset

    def compute(data_dir: Path | None = None):
        return published_counts_from(load_dataset(data_dir or DATA))
    return compute
