"""The dependencies pyproject.toml declares are the ones the code imports.

Every third-party module imported anywhere in ``src/analysis/`` (function-level imports too) or
in a code cell of ``notebooks/*.ipynb`` comes from a distribution in ``[project].dependencies``,
and every distribution declared there is imported somewhere, except the tools the project runs
rather than imports, which ``[tool.kommunerne-paa-banen.not-imported]`` lists with the reason
for each. ``tests/`` may import the dependencies and the ``test`` extra, and every distribution
of the ``test`` extra is imported by a test (or listed with its reason in the same table).

Import names are mapped to distributions with ``importlib.metadata.packages_distributions()``,
so the check sees the environment the tests run in, where the lock is installed.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "src" / "analysis"
NOTEBOOKS = PROJECT / "notebooks"
TESTS = PROJECT / "tests"
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))

# Calls that import the module named by their first argument when it is a string literal.
IMPORT_CALLS = {"import_module", "__import__", "find_spec"}


@dataclass(frozen=True)
class Import:
    name: str  # the top-level module: ``matplotlib`` for ``import matplotlib.pyplot``
    where: str  # ``src/analysis/report/figures.py:27``


def normalize(distribution: str) -> str:
    """A distribution's name as pip compares it: ``Jinja2`` -> ``jinja2``, ``a_b`` -> ``a-b``."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def requirement_name(requirement: str) -> str:
    """``jupyterlab>=4.5,<4.6`` -> ``jupyterlab``."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"not a requirement: {requirement!r}"
    return normalize(match.group(1))


def _relative(path: Path) -> str:
    try:
        return path.relative_to(PROJECT).as_posix()
    except ValueError:
        return path.as_posix()


def imports_in_source(source: str, where: str) -> Iterator[Import]:
    """Every absolute import in ``source``, at any depth, and ``import_module("x")``-style calls
    with a literal name. Relative imports are the package's own and are left out."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name.partition(".")[0], f"{where}:{node.lineno}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield Import(node.module.partition(".")[0], f"{where}:{node.lineno}")
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in IMPORT_CALLS
              and not node.args[0].value.startswith(".")):
            yield Import(node.args[0].value.partition(".")[0], f"{where}:{node.lineno}")


def imports_in_files(paths: Iterable[Path]) -> list[Import]:
    found: list[Import] = []
    for path in paths:
        found += imports_in_source(path.read_text("utf-8"), _relative(path))
    return found


def imports_in_notebook(path: Path) -> list[Import]:
    """The imports of a notebook's code cells, read as IPython runs them (magics, ``!``)."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    transform = TransformerManager().transform_cell
    found: list[Import] = []
    for number, cell in enumerate(cells, 1):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            found += imports_in_source(transform(source), f"{_relative(path)} cell {number}")
    return found


def local_modules(root: Path) -> set[str]:
    """Top-level names a file under ``root`` imports from its own folders: tests import helpers
    that live beside them (``published``, ``render_notebooks``) and ``src/`` holds the project's
    own packages."""
    return {p.stem for p in root.rglob("*.py")} | {p.parent.name for p in root.rglob("__init__.py")}


def _classify(found: Iterable[Import], packages: Mapping[str, list[str]], own: Iterable[str],
              local: Iterable[str]) -> Iterator[tuple[Import, set[str]]]:
    """Each third-party import with the normalized names of the distributions that provide it
    (empty when none installed does); the standard library and the project's own are left out."""
    own = {normalize(d) for d in own}
    skip = set(sys.stdlib_module_names) | set(local)
    for imp in found:
        dists = {normalize(d) for d in packages.get(imp.name, [])}
        if imp.name not in skip and not dists & own:
            yield imp, dists


def distributions(found: Iterable[Import], packages: Mapping[str, list[str]], *,
                  own: Iterable[str] = (), local: Iterable[str] = ()) -> dict[str, list[str]]:
    """The third-party distributions the imports come from: normalized name -> where."""
    used: dict[str, list[str]] = {}
    for imp, dists in _classify(found, packages, own, local):
        for dist in dists:
            used.setdefault(dist, []).append(imp.where)
    return used


def undeclared(found: Iterable[Import], declared: Iterable[str],
               packages: Mapping[str, list[str]], *, own: Iterable[str] = (),
               local: Iterable[str] = ()) -> list[str]:
    """One line per import of a module no declared distribution provides."""
    declared = {normalize(d) for d in declared}
    problems = []
    for imp, dists in _classify(found, packages, own, local):
        if not dists:
            problems.append(f"{imp.name} ({imp.where}): no installed distribution provides it")
        elif dists.isdisjoint(declared):
            problems.append(f"{imp.name} ({imp.where}) comes from {', '.join(sorted(dists))}, "
                            f"which pyproject.toml does not declare")
    return problems


def unimported(declared: Iterable[str], used: Iterable[str],
               not_imported: Mapping[str, str]) -> list[str]:
    """One line per declared distribution that nothing imports and no reason covers, and per
    listed reason that no longer applies."""
    declared = {normalize(d) for d in declared}
    used = {normalize(d) for d in used}
    allowed = {normalize(d) for d in not_imported}
    problems = [f"{d} is declared but imported nowhere: remove it, or list it with its reason "
                f"in [tool.kommunerne-paa-banen.not-imported]"
                for d in sorted(declared - used - allowed)]
    problems += [f"{d} is listed as not imported, but it is imported: remove it from "
                 f"[tool.kommunerne-paa-banen.not-imported]" for d in sorted(allowed & used)]
    return problems


# ------------------------------------------------------------------------- the project's lists

OWN = [PYPROJECT["project"]["name"]]
DEPENDENCIES = [requirement_name(r) for r in PYPROJECT["project"]["dependencies"]]
TEST_EXTRA = [requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]
NOT_IMPORTED: dict[str, str] = PYPROJECT["tool"]["kommunerne-paa-banen"]["not-imported"]


# The project's own top-level packages (found also when it runs from src/ without installing).
SRC_PACKAGES = {p.parent.name for p in (PROJECT / "src").glob("*/__init__.py")}


def _test_local() -> set[str]:
    return local_modules(TESTS) | SRC_PACKAGES


def _code_imports() -> list[Import]:
    return (imports_in_files(sorted(PACKAGE.rglob("*.py")))
            + [imp for nb in sorted(NOTEBOOKS.glob("*.ipynb")) for imp in imports_in_notebook(nb)])


def _test_imports() -> list[Import]:
    return imports_in_files(sorted(TESTS.rglob("*.py")))


@pytest.fixture(scope="module")
def packages() -> Mapping[str, list[str]]:
    return packages_distributions()


def test_the_code_and_notebooks_import_only_declared_dependencies(packages):
    problems = undeclared(_code_imports(), DEPENDENCIES, packages, own=OWN, local=SRC_PACKAGES)
    assert not problems, "\n".join(problems)


def test_every_dependency_is_imported_or_has_a_reason(packages):
    used = distributions(_code_imports(), packages, own=OWN, local=SRC_PACKAGES)
    allowed = {d: why for d, why in NOT_IMPORTED.items() if normalize(d) in DEPENDENCIES}
    problems = unimported(DEPENDENCIES, used, allowed)
    assert not problems, "\n".join(problems)


def test_tests_import_only_dependencies_and_the_test_extra(packages):
    problems = undeclared(_test_imports(), DEPENDENCIES + TEST_EXTRA, packages, own=OWN,
                          local=_test_local())
    assert not problems, "\n".join(problems)


def test_every_test_extra_is_imported_by_a_test_or_has_a_reason(packages):
    used = distributions(_test_imports(), packages, own=OWN, local=_test_local())
    allowed = {d: why for d, why in NOT_IMPORTED.items() if normalize(d) in TEST_EXTRA}
    problems = unimported(TEST_EXTRA, used, allowed)
    assert not problems, "\n".join(problems)


def test_each_listed_reason_names_a_declared_distribution_and_says_why():
    declared = set(DEPENDENCIES) | set(TEST_EXTRA)
    assert NOT_IMPORTED
    for name, why in NOT_IMPORTED.items():
        assert normalize(name) in declared, f"{name} is listed as not imported but not declared"
        assert isinstance(why, str) and len(why.split()) >= 3, f"{name}: say why it is needed"


def test_a_test_extra_is_not_also_a_dependency():
    assert not set(DEPENDENCIES) & set(TEST_EXTRA)


# ----------------------------------------------------------------- the checks can fail at all

FAKE_PACKAGES = {"yaml": ["PyYAML"], "somepkg": ["Some_Dist"], "IPython": ["ipython"],
                 "analysis": ["kommunerne-paa-banen"]}


def test_an_undeclared_import_in_a_function_is_reported(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\nimport yaml\nfrom . import sibling\nfrom analysis import core\n\n"
                      "def f():\n    import somepkg.sub\n    return somepkg\n", "utf-8")

    problems = undeclared(imports_in_files([module]), ["pyyaml"], FAKE_PACKAGES, own=OWN)

    assert len(problems) == 1
    assert problems[0].startswith(f"somepkg ({module.as_posix()}:7) comes from some-dist")


def test_an_import_nothing_installed_provides_is_reported(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import importlib\nimportlib.import_module('not_installed_anywhere')\n",
                      "utf-8")

    problems = undeclared(imports_in_files([module]), [], FAKE_PACKAGES)

    expected = f"not_installed_anywhere ({module.as_posix()}:2): no installed distribution"
    assert problems == [f"{expected} provides it"]


def test_an_undeclared_import_in_a_notebook_cell_with_a_magic_is_reported(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "markdown", "source": ["import somepkg"], "metadata": {}},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "!ls\n", "import somepkg"],
              "metadata": {}, "outputs": [], "execution_count": None}]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                    "nbformat_minor": 5}), "utf-8")

    problems = undeclared(imports_in_notebook(notebook), ["pyyaml"], FAKE_PACKAGES)

    assert len(problems) == 1
    assert problems[0].startswith(f"somepkg ({notebook.as_posix()} cell 2:3) comes from")


def test_an_unimported_declaration_and_a_stale_reason_are_reported():
    problems = unimported(["PyYAML", "Some_Dist", "ipykernel", "jupyterlab"],
                          ["pyyaml", "ipykernel"], {"ipykernel": "a reason", "jupyterlab": "why"})

    assert [p.split()[0] for p in problems] == ["some-dist", "ipykernel"]
