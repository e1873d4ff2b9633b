"""The chapter notebooks as ``docs/values.md`` reads them (see :mod:`devtools.values_reference`):
each notebook's values, made by running its imports and assignments as its kernel runs them,
for the national report and for Køge's, and the calls its code cells show."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

from analysis.core import settings

DATA = settings.PROJECT_ROOT / "data"
NOTEBOOKS = settings.PROJECT_ROOT / "notebooks"
KOMMUNE = "Køge"


# ---------------------------------------------------------------- reading the notebooks

@dataclasses.dataclass
class Chapter:
    notebook: str
    title: str
    names: list[tuple[str, str]]            # (variable, the code that makes it), in order
    shown: list[str]                        # calls a code cell shows (tables, quotes)
    values: dict[str, dict[str, object]]    # report ("national"/KOMMUNE) -> variable -> value


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _run_notebook(path: Path, kommune: str | None) -> tuple[dict, list, list]:
    """The notebook's imports and assignments, run as its kernel runs them (figures too);
    what its code cells show, unevaluated."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {"kommune": kommune, "data_dir": str(DATA), "k": 5, "offentlig": False}
    names, shown = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags",
                                                                                      ()):
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in tree.body:
            code = ast.unparse(node)
            if isinstance(node, ast.Import | ast.ImportFrom):
                exec(code, namespace)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                exec(code, namespace)
                names.append((node.targets[0].id, ast.unparse(node.value)))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                shown.append(ast.unparse(node.value))
    return namespace, names, shown


def chapters() -> list[Chapter]:
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        national, names, shown = _run_notebook(path, None)
        local, _, _ = _run_notebook(path, KOMMUNE)
        out.append(Chapter(path.stem, _title(nb), names, shown,
                           {"national": national, KOMMUNE: local}))
    return out
