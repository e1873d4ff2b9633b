"""Optional engine: render the executed notebooks with Quarto where it is installed.

Quarto is not on the package registries this project installs from, so the default engine
(:mod:`analysis.render.pandoc_typst`) never needs it. On a researcher's machine with a
``quarto`` binary on PATH, :func:`write_quarto_project` lays out a Quarto book over copies of
the executed notebooks and :func:`render_with_quarto` runs ``quarto render`` on it.

The copies are cleaned the way the assembler reads notebooks: parameter cells and stream
output are dropped, and each cell that shows one figure or table gets Quarto cell options
(label, caption, alt text) so Quarto numbers it ("Figur 1", "Tabel 1" with ``lang: da``).
Typst books need Quarto 1.9 or later.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from analysis.present import META_KEY
from analysis.render.assemble import PARAMETER_TAGS, slug
from analysis.render.errors import RenderError

QUARTO_CONFIG = "_quarto.yml"
INDEX_FILE = "index.qmd"
CHAPTER_DIR = "kapitler"
OUTPUT_DIR = "_book"
INSTALL_HINT = "install it from quarto.org, or use --engine pandoc (the default engine)"


def quarto_available() -> bool:
    """True when a ``quarto`` binary is on PATH."""
    return shutil.which("quarto") is not None


def quarto_command(project_dir: Path, formats: Sequence[str] = ()) -> list[str]:
    """The argv that renders a project: ``quarto render DIR [--to html,typst]``."""
    argv = ["quarto", "render", str(Path(project_dir))]
    if formats:
        argv += ["--to", ",".join(formats)]
    return argv


def _yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def quarto_config(chapters: Sequence[str], *, title: str, lang: str = "da",
                  subtitle: str = "", date: str = "") -> str:
    """Text of ``_quarto.yml``: a book over ``chapters`` whose outputs are already computed."""
    lines = ["project:", "  type: book", f"  output-dir: {OUTPUT_DIR}", "",
             f"lang: {lang}", "", "book:", f"  title: {_yaml_scalar(title)}"]
    if subtitle:
        lines.append(f"  subtitle: {_yaml_scalar(subtitle)}")
    if date:
        lines.append(f"  date: {_yaml_scalar(date)}")
    lines.append("  chapters:")
    lines += [f"    - {_yaml_scalar(chapter)}" for chapter in [INDEX_FILE, *chapters]]
    lines += ["", "execute:", "  enabled: false", "  echo: false", "  warning: false", "",
              "number-sections: true", "toc: true", "toc-depth: 2", "",
              "format:", "  html:", "    embed-resources: true", "  typst:",
              "    papersize: a4", "    section-numbering: \"1.1\"", ""]
    return "\n".join(lines)


def index_page(*, title: str, notice: str = "") -> str:
    """Text of ``index.qmd``, the unnumbered first page a Quarto book requires."""
    body = f"# {title} {{.unnumbered}}\n"
    if notice:
        body += f"\n::: {{.callout-important}}\n{notice}\n:::\n"
    return body


def _quarto_options(meta: dict[str, Any]) -> list[str]:
    kind = meta.get("kind")
    ident = slug(str(meta.get("id", "")).removeprefix("fig-").removeprefix("tbl-"))
    caption = _yaml_scalar(str(meta.get("caption", "")))
    if kind == "figure":
        return [f"#| label: fig-{ident}", f"#| fig-cap: {caption}",
                f"#| fig-alt: {_yaml_scalar(str(meta.get('alt', '')))}"]
    if kind == "table":
        return [f"#| label: tbl-{ident}", f"#| tbl-cap: {caption}"]
    return []


def clean_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without parameter cells and stream output, with Quarto options on figure and
    table cells."""
    cleaned = copy.deepcopy(notebook)
    cells = []
    for cell in cleaned.cells:
        if cell.cell_type == "code":
            if PARAMETER_TAGS.intersection(cell.get("metadata", {}).get("tags", [])):
                continue
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"
                            and o.get("metadata", {}).get(META_KEY, {}).get("kind")
                            != "provenance"]
            metas = [o.get("metadata", {}).get(META_KEY, {}) for o in cell.outputs]
            shown = [m for m in metas if m.get("kind") in ("figure", "table")]
            if len(shown) == 1:
                cell.source = "\n".join([*_quarto_options(shown[0]), cell.source])
        cells.append(cell)
    cleaned.cells = cells
    return cleaned


def write_quarto_project(executed_notebook_paths: list[Path], project_dir: Path, *,
                         title: str, lang: str = "da", subtitle: str = "", date: str = "",
                         notice: str = "") -> Path:
    """Lay out a Quarto book over the executed notebooks; return the ``_quarto.yml`` path.

    The notebooks are copied (cleaned) into ``project_dir/kapitler`` as ``NN-<name>.ipynb``
    in the order given, so the project is self-contained and the originals stay untouched.
    """
    project_dir = Path(project_dir)
    chapter_dir = project_dir / CHAPTER_DIR
    chapter_dir.mkdir(parents=True, exist_ok=True)
    chapters = []
    for index, source in enumerate(executed_notebook_paths, start=1):
        source = Path(source)
        target = chapter_dir / f"{index:02d}-{source.stem}.ipynb"
        nbformat.write(clean_notebook(nbformat.read(source, as_version=4)), target)
        chapters.append(target.relative_to(project_dir).as_posix())
    (project_dir / INDEX_FILE).write_text(index_page(title=title, notice=notice),
                                          encoding="utf-8")
    config = project_dir / QUARTO_CONFIG
    config.write_text(quarto_config(chapters, title=title, lang=lang, subtitle=subtitle,
                                    date=date), encoding="utf-8")
    return config


def render_with_quarto(project_dir: Path, *, formats: Sequence[str] = ()) -> Path:
    """Run ``quarto render`` on a project written by :func:`write_quarto_project`.

    Returns
    -------
    Path
        The book's output directory (``project_dir/_book``).

    Raises
    ------
    RenderError
        When Quarto is not installed, or when it fails (with the end of its output).
    """
    if not quarto_available():
        raise RenderError(f"Quarto is not installed: no 'quarto' on PATH; {INSTALL_HINT}")
    proc = subprocess.run(quarto_command(project_dir, formats), capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise RenderError(f"quarto render failed (exit {proc.returncode}): {tail}")
    return Path(project_dir) / OUTPUT_DIR
