"""``rapport import-qdpx`` turns a small REFI-QDA project built here into an ``excerpts.csv``
the loader accepts, and refuses hostile files with exit code 1 and no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.core import paths
from analysis.inputs.codebook import load_themes
from analysis.inputs.dataset import load_excerpts
from shipped_inputs import DATA, cli, rapport
from interview_qdpx import FORMULA, TRUST, interview_qde, write_project_qdpx, write_qdpx


@pytest.fixture
def project_qdpx(tmp_path) -> Path:
    return write_project_qdpx(tmp_path)


def test_import_qdpx_writes_excerpts_the_loader_accepts(tmp_path, capsys, project_qdpx,
                                                        shipped):
    out = tmp_path / "out"

    run = cli(capsys, "import-qdpx", project_qdpx, "--out", out, "--data", DATA)

    assert run.returncode == 0, run.stderr
    assert f"2 excerpts, 0 not mapped; written to {out}" in run.stdout
    themes = load_themes(paths.interview_codebook_file(DATA))
    excerpts, problems = load_excerpts(out / "excerpts.csv", themes, shipped.kommuner)
    assert problems == []
    rows = excerpts.set_index("tekst")
    assert list(rows.index) == [TRUST, FORMULA]  # the formula-like text stays literal text
    trust = rows.loc[TRUST]
    assert (trust.kommunekode, trust.organisation, trust.niveau, trust.rolle) == \
        ("259", "kommune", "taktisk", "Kommunal taktiker")
    assert (trust.temaer, trust.kilde, trust.maa_tilskrives_kommune) == \
        (("tillid",), "import", "ja")
    assert rows.loc[FORMULA].temaer == ("faelles_forstaaelse",)
    assert trust.henvisning.startswith("interviews.qdpx, Interview 1, tegn ")
    assert "Ida" not in (out / "excerpts.csv").read_text(encoding="utf-8")
    assert (out / "unmapped.csv").exists()


def test_import_qdpx_into_a_data_folder_passes_validate(tmp_path, capsys, project_qdpx):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)

    run = cli(capsys, "import-qdpx", project_qdpx, "--data", data)  # into data/interviews/

    assert run.returncode == 0, run.stderr
    assert (data / "interviews" / "unmapped.csv").exists()
    validate = cli(capsys, "validate", "--data", data)
    assert validate.returncode == 0, validate.stderr
    assert "2 interview excerpts" in validate.stdout


HOSTILE = {
    "zip-slip": ({"project.qde": interview_qde(), "../evil.txt": "x"}, "'../evil.txt'"),
    "xxe": ({"project.qde": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                            '"file:///etc/passwd">]><Project>&x;</Project>'}, "DOCTYPE"),
    "no-project": ({"sources/a.txt": "x"}, "exactly one project.qde"),
    "not-xml": ({"project.qde": b"\xff\xfe\x00garbage"}, "well-formed XML"),
    "not-a-zip": (None, "a zip archive (.qdpx)"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_import_qdpx_refuses_a_hostile_file_in_one_line(tmp_path, capsys, kind):
    members, expected = HOSTILE[kind]
    path = tmp_path / "zip" / f"{kind}.qdpx"
    path.parent.mkdir()
    if members is None:
        path.write_bytes(b"PK\x03\x04 truncated, not a zip")
    else:
        write_qdpx(path, members)
    out = tmp_path / "out"

    run = cli(capsys, "import-qdpx", path, "--out", out, "--data", DATA)

    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1] == "1 problem(s) found."  # the problem, then the count
    assert lines[0].startswith(str(path)) and expected in lines[0]
    assert not out.exists()
    assert not (tmp_path / "evil.txt").exists()


def test_rapport_import_qdpx_command_refuses_zip_slip_without_a_traceback(tmp_path):
    path = write_qdpx(tmp_path / "evil.qdpx", HOSTILE["zip-slip"][0])

    run = rapport("import-qdpx", path, "--out", tmp_path / "out", "--data", DATA)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert run.stderr.splitlines() == [
        f"{path}: value '../evil.txt' — expected zip member paths relative and inside the "
        "archive (no absolute path, no '..')", "1 problem(s) found."]


# ----------------------------------------------------------------------------- formulas
