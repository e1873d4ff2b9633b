"""The source tree is laid out by pipeline stage, and imports flow one way through the stages.

A module may import from its own stage and from earlier stages only, so each stage can be read,
tested and changed without the ones after it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
# The stages in pipeline order; the command line comes last.
STAGES = ["core", "inputs", "stats", "report", "render", "delivery", "batch", "cli"]
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


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
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
