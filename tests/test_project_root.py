"""``rapport`` works on the checkout it is run in: its notebooks/, data/ and outputs/ (and says
so on stderr when that is not the checkout the command is installed from), or the one
``RAPPORT_PROJEKT`` names."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import settings

PROJECT = Path(__file__).resolve().parents[1]
SETTINGS_ENV = ("RAPPORT_PROJEKT", "RAPPORT_DATA_DIR", "RAPPORT_OUT_DIR")


@pytest.fixture
def clone(tmp_path) -> Path:
    """Another checkout of the project: only the folders a command reads, with Køge renamed
    in its data and Køge's report marked rendered in its outputs/."""
    root = tmp_path / "andet-klon"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root)
    for folder in ("notebooks", "data"):
        shutil.copytree(PROJECT / folder, root / folder)
    kommuner = root / "data" / "reference" / "kommuner.csv"
    kommuner.write_text(kommuner.read_text("utf-8").replace(",Køge,", ",Køgeklon,"), "utf-8")
    (root / "outputs").mkdir()
    (root / "outputs" / "manifest.json").write_text(
        json.dumps({"reports": {"259": {"status": "rendered"}}}), encoding="utf-8")
    return root


def _run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd,
                          env={**clean, **env}, capture_output=True, text=True, timeout=300)


def _notice(root: Path, why: str) -> str:
    return (f"rapport: using the project in {root.resolve()} (from {why}); the command is "
            f"installed from {settings.PACKAGE_ROOT}")


def test_a_command_run_in_another_checkout_uses_that_checkout_and_says_so(clone):
    result = _run(clone, "kommuner")

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [_notice(clone, "the current folder")]
    assert "259  Køgeklon         answered   rendered" in result.stdout.splitlines()


def test_a_subfolder_of_the_checkout_finds_it(clone):
    probe = ("from analysis.core import paths, settings; "
             "print(paths.notebooks_dir()); print(settings.data_dir()); print(settings.out_dir())")
    result = subprocess.run([sys.executable, "-c", probe], cwd=clone / "notebooks",
                            env={k: v for k, v in os.environ.items() if k not in SETTINGS_ENV},
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    root = clone.resolve()
    assert result.stdout.splitlines() == [str(root / "notebooks"), str(root / "data"),
                                          str(root / "outputs")]


def test_rapport_projekt_names_the_checkout(clone, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = _run(elsewhere, "kommuner", RAPPORT_PROJEKT=str(clone))

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [_notice(clone, "$RAPPORT_PROJEKT")]
    assert "259  Køgeklon         answered   rendered" in result.stdout.splitlines()


def test_rapport_projekt_naming_no_checkout_is_one_clear_line(tmp_path):
    result = _run(tmp_path, "kommuner", RAPPORT_PROJEKT=str(tmp_path))

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"RAPPORT_PROJEKT: value '{tmp_path}' — expected a checkout of this project: a folder "
        f"with notebooks/ and a pyproject.toml naming {settings.PROJECT_NAME}",
        "1 problem(s) found."]


def test_a_folder_with_another_projects_pyproject_is_not_a_checkout(clone):
    pyproject = clone / "pyproject.toml"
    pyproject.write_text('[project]\nname = "noget-andet"\n', encoding="utf-8")

    assert not settings.is_project(clone)
    assert settings.is_project(PROJECT)


def test_outside_any_checkout_the_installed_checkout_is_used_silently(tmp_path):
    result = _run(tmp_path, "kommuner")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "259  Køge             answered   not rendered" in result.stdout.splitlines() or \
        "259  Køge             answered   rendered" in result.stdout.splitlines()
