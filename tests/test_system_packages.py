"""``make test`` and ``make report`` install the Debian packages they need: with apt-get as
root, otherwise they stop before anything else with the command to run. Checked with
stand-ins for ``id`` and ``apt-get`` on a PATH that lacks chromium and pdftotext."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SCRIPT = PROJECT / "scripts" / "system-packages"
PAIRS = ["chromium:chromium", "pdftotext:poppler-utils"]


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", "utf-8")
    path.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A PATH with a shell, make and python, but without chromium and pdftotext; apt-get
    logs its calls and, on install, puts stand-ins for the packages' commands on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("sh", "make", "cp", "rm", "test", "touch", "mkdir", "chmod"):
        found = shutil.which(name)
        if found:
            (folder / name).symlink_to(found)
    (folder / "python3").symlink_to(sys.executable)
    log = tmp_path / "apt-get.log"
    _tool(folder, "apt-get", f'echo "$*" >> {log}\n'
          f'case "$*" in *install*) for c in chromium pdftotext; do '
          f'printf "#!/bin/sh\\n" > {folder}/$c; chmod +x {folder}/$c; done;; esac')
    return folder


def _run(bin_dir: Path, uid: int, *args: str, cwd: Path | None = None):
    _tool(bin_dir, "id", f"echo {uid}")
    env = {"PATH": str(bin_dir), "HOME": str(bin_dir.parent)}
    return subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=60)


def test_not_root_stops_with_the_command_to_run(bin_dir):
    result = _run(bin_dir, 1000, str(SCRIPT), *PAIRS)

    assert result.returncode == 1
    assert "sudo sh -c 'apt-get update && apt-get install -y chromium poppler-utils'" \
        in result.stderr
    assert not (bin_dir.parent / "apt-get.log").exists()


def test_root_installs_what_is_missing(bin_dir):
    result = _run(bin_dir, 0, str(SCRIPT), *PAIRS)

    assert result.returncode == 0, result.stderr
    calls = (bin_dir.parent / "apt-get.log").read_text("utf-8").splitlines()
    assert calls == ["update -qq", "install -y -qq chromium poppler-utils"]


def test_nothing_missing_changes_nothing(bin_dir):
    _tool(bin_dir, "chromium", "")
    _tool(bin_dir, "pdftotext", "")

    for uid in (0, 1000):
        assert _run(bin_dir, uid, str(SCRIPT), *PAIRS).returncode == 0
    assert not (bin_dir.parent / "apt-get.log").exists()


def test_make_test_without_root_stops_before_building_anything(bin_dir, tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(PROJECT / "Makefile", clone / "Makefile")
    shutil.copytree(PROJECT / "scripts", clone / "scripts")
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT / name, clone / name)

    result = _run(bin_dir, 1000, "make", "test", cwd=clone)

    assert result.returncode != 0
    assert "apt-get install -y chromium poppler-utils" in result.stderr
    assert not (clone / ".venv").exists()


def test_make_with_an_unsupported_python_stops_first_and_says_which(bin_dir, tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(PROJECT / "Makefile", clone / "Makefile")
    shutil.copytree(PROJECT / "scripts", clone / "scripts")
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT / name, clone / name)
    _tool(bin_dir, "python3.10", 'case "$1" in --version) echo "Python 3.10.13";; *) exit 1;; esac')

    for target in ("test", "test-fast", "report", "lock"):
        result = _run(bin_dir, 0, "make", target, "PYTHON=python3.10", cwd=clone)

        assert result.returncode != 0
        assert ("make needs Python 3.11, 3.12 or 3.13, but PYTHON=python3.10 is Python 3.10.13"
                in result.stderr), result.stderr
    assert not (bin_dir.parent / "apt-get.log").exists()
    assert not (clone / ".venv").exists()
