"""``rapport validate``: OK on the shipped data, exit code 1 and no traceback on broken inputs.

One run goes through a subprocess, as a user runs the command (the installed ``rapport``
script runs validate in test_export_in_data_folder.py); the others run ``analysis.cli.main``
(what the command calls) in this process, where an uncaught exception fails the test as a
traceback would.
"""

import subprocess
import sys

import pytest

from analysis.cli import main
from analysis.core import paths
from ingest_helpers import append_to_line, edit_csv


def test_cli_validate_ok(capsys):
    code = main(["validate"])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "41 completed survey responses" in captured.out


def test_cli_validate_broken_exits_1_without_traceback(data_copy):
    edit_csv(paths.survey_file(data_copy), 4, "respondentid", "1001")

    result = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data",
                             str(data_copy)], capture_output=True, text=True)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "besvarelser.csv, row 4, column 'respondentid': value '1001'" in result.stderr


@pytest.mark.parametrize("breakage", ["empty", "folder", "extra_field", "yaml"])
def test_cli_validate_bad_files_exit_1_without_traceback(data_copy, capsys, breakage):
    register = paths.register_file(data_copy)
    if breakage == "empty":
        register.write_bytes(b"")
    elif breakage == "folder":
        register.unlink()
        register.mkdir()
    elif breakage == "extra_field":
        append_to_line(register, 10, ",x")
    else:
        (data_copy / "dataset.yaml").write_text("synthetic: [\n", "utf-8")

    code = main(["validate", "--data", str(data_copy)])

    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "1 problem(s) found."
