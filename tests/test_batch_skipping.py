"""The batch skips what has not changed: ``--all`` run again skips every report, and a re-run
with nothing changed decides from the manifest alone, without loading the analysis. (That the
batch gives the same bytes as a report rendered cold and alone is tested in
e2e/test_reproducible.py.)"""

import json
import shutil
import subprocess
import sys

import pytest

from batch_support import ENV, complete, complete_package, rapport

pytestmark = pytest.mark.e2e


def test_all_renders_every_report_then_skips_all(batch):
    """``batch``: ``rapport render --all`` (see the root conftest); run again, it skips all."""
    out = batch.out
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["reports"]
    assert len(manifest) == 45 and all(e["status"] == "rendered" for e in manifest.values())
    folders = sorted((out / "kommuner").iterdir())
    assert len(folders) == 44 and all(complete_package(f, batch.keys) for f in folders)
    assert complete(out / "national")
    assert (out / "kommuner" / "259-koege").is_dir()
    index = (out / "index.html").read_text("utf-8")
    assert index.count("rapport.pdf") == 1 and "Køge" not in index

    second = rapport("render", "--all", "--out", str(out),
                     env={**ENV, "RAPPORT_NOEGLER": str(batch.keys)})

    assert second.returncode == 0, second.stderr
    assert "0 rendered, 45 skipped" in second.stderr
    assert str(out / "index.html") in second.stdout


def test_no_change_rerun_decides_without_the_analysis_stack(tmp_path, data_copy,
                                                            kommune_renders):
    """Starts from a copy of the outputs of ``kommune_renders`` (Køge and Hørsholm rendered from
    the shipped data, which ``data_copy`` equals): a first run for Køge alone finds it up to
    date after loading the data, and records what it asked for; the next one decides from the
    manifest alone. Then the data and the outputs are changed."""
    out = tmp_path / "out"
    shutil.copytree(kommune_renders.out, out)
    first = rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "0 rendered, 1 skipped" in first.stderr, first.stderr
    probe = ("import sys; from analysis.cli import main; code = main(sys.argv[1:]); "
             "print('pandas' in sys.modules, 'analysis.batch.jobs' in sys.modules); "
             "raise SystemExit(code)")

    rerun = subprocess.run([sys.executable, "-c", probe, "render", "--kommune", "Køge",
                            "--data", str(data_copy), "--out", str(out)],
                           capture_output=True, text=True, env=ENV)

    assert rerun.returncode == 0, rerun.stderr
    assert "0 rendered, 1 skipped" in rerun.stderr
    assert rerun.stdout.splitlines()[-1] == "False False"
    # Any change to the data makes the report out of date again.
    about = data_copy / "dataset.yaml"
    about.write_text(about.read_text("utf-8") + "# edited\n", encoding="utf-8")
    changed = rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out", str(out))
    assert changed.returncode == 0, changed.stderr
    assert "1 rendered, 0 skipped" in changed.stderr
    # So does a file of the report deleted by hand.
    (out / "kommuner" / "259-koege" / "rapport.pdf").unlink()
    repaired = rapport("render", "--kommune", "Køge", "--data", str(data_copy), "--out",
                       str(out))
    assert "1 rendered, 0 skipped" in repaired.stderr, repaired.stderr
    assert complete_package(out / "kommuner" / "259-koege")
