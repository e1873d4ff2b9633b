"""The optional Quarto engine: the project it writes, its command line, its clear error."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis.render import (RenderError, quarto_available, quarto_command, render_with_quarto,
                             write_quarto_project)


@pytest.fixture
def executed(notebooks, tmp_path) -> list[Path]:
    paths = []
    names = ["00_indledning", "01_kommuner", "02_samarbejde"]
    for name, notebook in zip(names, notebooks, strict=True):
        path = tmp_path / "executed" / f"{name}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


@pytest.fixture
def project(executed, tmp_path) -> Path:
    config = write_quarto_project(executed, tmp_path / "quarto", title="Kommunerne på banen",
                                  notice="Rapporten er dannet på syntetiske eksempeldata")
    return config


def test_quarto_config_is_a_danish_book_over_executed_notebooks(project):
    config = yaml.safe_load(project.read_text(encoding="utf-8"))
    assert project.name == "_quarto.yml"
    assert config["project"]["type"] == "book"
    assert config["lang"] == "da"
    assert config["book"]["title"] == "Kommunerne på banen"
    assert config["book"]["chapters"] == ["index.qmd", "kapitler/01-00_indledning.ipynb",
                                          "kapitler/02-01_kommuner.ipynb",
                                          "kapitler/03-02_samarbejde.ipynb"]
    assert config["execute"]["enabled"] is False
    assert config["format"]["html"]["embed-resources"] is True
    assert "typst" in config["format"]
    for chapter in config["book"]["chapters"]:
        assert (project.parent / chapter).is_file()
    assert "syntetiske eksempeldata" in (project.parent / "index.qmd").read_text()


def test_quarto_chapters_are_cleaned_copies(project, executed):
    chapter = nbformat.read(project.parent / "kapitler/01-00_indledning.ipynb", as_version=4)
    tags = [t for c in chapter.cells for t in c.get("metadata", {}).get("tags", [])]
    assert "parameters" not in tags and "injected-parameters" not in tags
    outputs = [o for c in chapter.cells if c.cell_type == "code" for o in c.outputs]
    assert all(o["output_type"] != "stream" for o in outputs)
    original = nbformat.read(executed[0], as_version=4)
    assert any(c.get("metadata", {}).get("tags") == ["parameters"] for c in original.cells)


def test_quarto_figure_and_table_cells_get_labels_and_captions(project):
    chapter = nbformat.read(project.parent / "kapitler/02-01_kommuner.ipynb", as_version=4)
    sources = [c.source for c in chapter.cells if c.cell_type == "code"]
    figure = next(s for s in sources if "#| label: fig-" in s)
    assert figure.splitlines()[:3] == [
        "#| label: fig-udbredelse", "#| fig-cap: " + json.dumps("Helhedsplaner pr. region",
                                                              ensure_ascii=False),
        "#| fig-alt: " + json.dumps("Søjlediagram: Region Sjælland har flest planer",
                                    ensure_ascii=False)]
    assert any(s.startswith("#| label: tbl-antal\n#| tbl-cap: ") for s in sources)


def test_quarto_command_line(tmp_path):
    assert quarto_command(tmp_path) == ["quarto", "render", str(tmp_path)]
    assert quarto_command(tmp_path, ["html", "typst"]) == \
        ["quarto", "render", str(tmp_path), "--to", "html,typst"]


def test_missing_quarto_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert quarto_available() is False
    with pytest.raises(RenderError, match=r"^Quarto is not installed: .*--engine pandoc"):
        render_with_quarto(tmp_path)


def _fake_quarto(bin_dir: Path, exit_code: int) -> Path:
    log = bin_dir / "argv.txt"
    script = bin_dir / "quarto"
    script.write_text(f'#!/bin/sh\necho "$@" > "{log}"\necho "boom" >&2\nexit {exit_code}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return log


def test_render_with_quarto_runs_the_command(project, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = _fake_quarto(bin_dir, 0)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert quarto_available() is True
    out = render_with_quarto(project.parent)
    assert log.read_text().split() == ["render", str(project.parent)]
    assert out == project.parent / "_book"


def test_failing_quarto_raises_with_its_message(project, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_quarto(bin_dir, 3)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError, match=r"quarto render failed \(exit 3\): boom"):
        render_with_quarto(project.parent)
