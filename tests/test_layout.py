"""The source tree is laid out by pipeline stage, and imports flow one way through the stages.

A module may import from its own stage and from earlier stages only, so each stage can be read,
tested and changed without the ones after it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
# The stages in pipeline order; the command line comes last.
STAGES = ["core", "inputs", "stats", "report", "render", "delivery", "batch", "preview", "cli"]
ROOT_MODULES = {"__init__": "core", "__version__": "core", "__main__": "cli", "cli": "cli"}


def stage_of(module: str) -> str:
    """``analysis.report.content.ch1`` -> ``report``."""
    parts = module.split(".")
    assert parts[0] == "analysis", module
    if len(parts) == 1:
        return "core"
    return parts[1] if parts[1] in STAGES else ROOT_MODULES[parts[1]]


def imports(path: Path) -> list[tuple[int, str]]:
    """Every ``analysis…`` module a file imports, anywhere in it (function-level imports too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":
                found += [(node.lineno, f"analysis.{a.name}") for a in node.names]
            elif node.module.startswith("analysis."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("analysis")]
    return found


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def test_every_module_belongs_to_a_stage():
    stray = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.glob("*.py")
             if p.stem not in ROOT_MODULES]
    stray += [p.name for p in PACKAGE.iterdir()
              if p.is_dir() and p.name not in STAGES and p.name != "__pycache__"]
    assert not stray, f"outside the stage folders: {stray}"


def test_imports_flow_from_earlier_stages_only():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = stage_of(module_name(path))
        for line, target in imports(path):
            there = stage_of(target)
            if STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({here}) imports {target} ({there})")
    assert not wrong, "imports from a later stage:\n" + "\n".join(wrong)


def test_the_check_sees_a_backward_import(tmp_path):
    # the rule is checked on what the files say, so a backward import written anywhere is found
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from analysis.batch import runner\n", encoding="utf-8")
    assert imports(probe) == [(2, "analysis.batch")]
    assert STAGES.index(stage_of("analysis.batch.runner")) > STAGES.index(stage_of("analysis.stats.results"))


def test_development_tools_are_outside_the_runtime_package():
    assert not [p for p in PACKAGE.rglob("*.py") if p.stem in {"bench", "example_data", "build_wordlist"}]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside ``if TYPE_CHECKING:`` blocks: imports for type hints only, never run."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _imported_modules(tree: ast.Module, modules: set[str]) -> set[tuple[int, str]]:
    """``(line, module)`` for every module of ``modules`` the code imports: ``from a.b import
    c`` imports ``a.b.c`` when that is a module, else ``a.b``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add((node.lineno, sub if sub in modules else node.module))
        elif isinstance(node, ast.Import):
            found.update((node.lineno, alias.name) for alias in node.names)
    return {(line, name) for line, name in found if name in modules}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports when it runs."""
    paths = {module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_lines(tree)
        graph[name] = {target for line, target in _imported_modules(tree, set(paths))
                       if line not in skip and target != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others():
    found = circles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_circle_check_sees_a_circle_through_a_function_level_import(tmp_path):
    package = tmp_path / "analysis"
    (package / "batch").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "batch" / "__init__.py").write_text("", encoding="utf-8")
    (package / "batch" / "a.py").write_text("from analysis.batch.b import f\n", encoding="utf-8")
    (package / "batch" / "b.py").write_text(
        "def f():\n    from analysis.batch import a\n", encoding="utf-8")
    (package / "batch" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from analysis.batch import a\n",
        encoding="utf-8")
    graph = import_graph(package)
    assert circles(graph) == [["analysis.batch.a", "analysis.batch.b"]]
    assert graph["analysis.batch.c"] == set()


# A module a newcomer can read in one sitting: no source file (Python, Lua, typst) longer.
MAX_LINES = 400


def test_no_source_file_is_longer_than_a_newcomer_reads_in_one_sitting():
    source = PACKAGE.parent
    too_long = {str(path.relative_to(source)): n
                for path in sorted(source.rglob("*"))
                if path.suffix in {".py", ".lua", ".typ"}
                and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not too_long, f"split these by job (at most {MAX_LINES} lines each): {too_long}"
