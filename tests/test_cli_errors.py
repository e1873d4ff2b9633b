"""The last line of defence: an unexpected error in ``rapport`` is one line on stderr naming
what failed and the log file holding the traceback, a distinct exit code, and no
half-written report."""

import re
from pathlib import Path

import pytest

from analysis import cli

LINE = re.compile(r"^error: rapport (\w+) stopped unexpectedly \((.+)\); full traceback in "
                  r"(\S+\.log)\. No report was left half-written\.$")


def _one_line(err: str) -> re.Match:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    match = LINE.match(lines[0])
    assert match, lines[0]
    return match


def test_unexpected_error_is_one_line_and_a_log(monkeypatch, capsys, tmp_path):
    from analysis.batch import manifest

    def broken(*args, **kwargs):
        raise ZeroDivisionError("the hashes could not be compared")

    monkeypatch.setattr(manifest, "unchanged", broken)

    code = cli.main(["render", "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == cli.EXIT_UNEXPECTED and code not in (0, 1, 2)
    match = _one_line(err)
    assert match.group(1) == "render"
    assert "ZeroDivisionError: the hashes could not be compared" in match.group(2)
    assert "cli.py:" in match.group(2)          # where it happened
    log = Path(match.group(3)).read_text("utf-8")
    assert "Traceback (most recent call last)" in log and log.startswith("rapport render --out")
    assert "the hashes could not be compared" in log and "in broken" in log
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_crash_after_a_report_leaves_it_whole_and_nothing_staged(monkeypatch, capsys,
                                                                 tmp_path):
    from analysis.batch import publish

    def broken(manifest, out_dir):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "index_html", broken)
    out = tmp_path / "out"

    code = cli.main(["render", "--kommune", "259", "--out", str(out)])

    match = _one_line(capsys.readouterr().err)
    assert code == cli.EXIT_UNEXPECTED
    assert "No space left on device" in match.group(2) and "publish.py:" in match.group(2)
    assert not (out / ".staging").exists()
    report = out / "kommuner" / "259-koege"
    files = ("rapport.html", "rapport.pdf")     # a sealed package: the rest is inside them
    assert all((report / f).is_file() and (report / f).stat().st_size > 0 for f in files)
    assert not list(out.rglob(".*.tmp"))
