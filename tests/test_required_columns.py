"""Every required column of every input file, and every required key of the YAML inputs,
removed in turn: ``rapport validate`` and ``rapport render`` each give one clear line per
problem naming the file and the column, exit 1, print no traceback, and leave ``outputs/``
exactly as it was."""

import csv
import io
from pathlib import Path

import pytest
import yaml

from analysis import cli
from analysis.core import paths

DATA = Path(__file__).resolve().parents[1] / "data"


def _csv_columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _first_question(kind: str) -> dict:
    questions = _yaml(paths.survey_codebook_file(DATA))["questions"]
    return next(q for q in questions if q["type"] == kind)


def _cases():
    """(file relative to data/, column or dotted YAML key) for every required one."""
    survey = paths.survey_codebook_file(DATA)
    codebook = _yaml(survey)
    answers_required = [codebook["survey"][k] for k in
                        ("id_column", "kommune_column", "completion_column")]
    for q in codebook["questions"]:
        answers_required += list(q["options"]) if q["type"] == "multiple" else [q["id"]]
    # The list of columns comes from the files themselves; each must be one that is required.
    csv_inputs = {
        "survey/besvarelser.csv": answers_required,
        "reference/kommuner.csv": _csv_columns(paths.kommuner_file(DATA)),
        "register/helhedsplaner.csv": _csv_columns(paths.register_file(DATA)),
        "interviews/excerpts.csv": _csv_columns(paths.excerpts_file(DATA)),
    }
    for file, columns in csv_inputs.items():
        for column in columns:
            yield pytest.param(file, column, id=f"{file}:{column}")
    single, multiple = _first_question("single"), _first_question("multiple")
    keys = ["survey", "questions", "survey.id_column", "survey.kommune_column",
            "survey.completion_column"]
    keys += [f"questions.{single['id']}.{k}" for k in ("id", "text", "type", "chapter",
                                                        "answers")]
    keys += [f"questions.{multiple['id']}.{k}" for k in ("options",)]
    for key in keys:
        yield pytest.param("survey/codebook.yaml", key, id=f"survey/codebook.yaml:{key}")
    for key in ("themes", "themes.0.code", "themes.0.name", "themes.0.chapter"):
        yield pytest.param("interviews/codebook.yaml", key, id=f"interviews/codebook.yaml:{key}")
    for key in _yaml(DATA / "dataset.yaml"):
        yield pytest.param("dataset.yaml", key, id=f"dataset.yaml:{key}")


def _drop_csv_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def _drop_yaml_key(path: Path, dotted: str) -> str:
    """Remove ``a.b.c`` (a list is indexed by position or by its items' ``id``); return the
    name the problem line should carry."""
    raw = _yaml(path)
    *parents, last = dotted.split(".")
    node = raw
    for part in parents:
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() else next(
                q for q in node if q.get("id") == part)
        else:
            node = node[part]
    del node[last]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return last


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


class NoKernel:
    """Stands in for the kernel a render boots while it checks the data: bad input must stop
    the render before any report is executed, so asking it for the kernel fails the test."""

    def __init__(self, *args, **kwargs):
        pass

    def get(self):
        raise AssertionError("the render went past the input checks")

    def close(self):
        pass


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    """An outputs/ folder as an earlier run left it."""
    out = tmp_path / "outputs"
    (out / "kommuner" / "259-koege").mkdir(parents=True)
    (out / "manifest.json").write_text('{"reports": {}}\n', "utf-8")
    (out / "index.html").write_text("<!DOCTYPE html><title>før</title>\n", "utf-8")
    (out / "kommuner" / "259-koege" / "rapport.html").write_text("<p>før</p>\n", "utf-8")
    return out


def _remove(data_copy: Path, file: str, column: str) -> tuple[Path, str]:
    """Remove the column (or YAML key) from the file; the file, and the name the problem line
    should carry."""
    path = data_copy / file
    if path.suffix == ".csv":
        _drop_csv_column(path, column)
        return path, column
    return path, _drop_yaml_key(path, column)


def _one_clear_line_each(argv: list[str], path: Path, name: str, capsys) -> None:
    code = cli.main(argv)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()

    assert code == 1, (argv, captured)
    assert "Traceback" not in captured.err
    problems, summary = lines[:-1], lines[-1]
    assert summary == f"{len(problems)} problem(s) found."
    assert any(line.startswith(str(path)) and (f"'{name}'" in line or f"'{name}." in line
                                                or f".{name}'" in line)
               for line in problems), lines
    assert all(" — expected " in line for line in problems), lines


@pytest.mark.parametrize(("file", "column"), list(_cases()))
def test_validate_names_a_removed_required_column_in_one_clear_line(data_copy, capsys, file,
                                                                    column):
    path, name = _remove(data_copy, file, column)

    _one_clear_line_each(["validate", "--data", str(data_copy)], path, name, capsys)


@pytest.mark.e2e
@pytest.mark.parametrize(("file", "column"), list(_cases()))
def test_render_names_a_removed_required_column_and_leaves_outputs_alone(
        data_copy, outputs, monkeypatch, capsys, file, column):
    """``rapport render`` end to end on the broken data: it stops at the input checks, before
    a kernel is asked for."""
    from analysis.render import execute

    path, name = _remove(data_copy, file, column)
    before = _snapshot(outputs)
    monkeypatch.setattr(execute, "KernelStarter", NoKernel)

    _one_clear_line_each(["render", "--kommune", "259", "--data", str(data_copy), "--out",
                          str(outputs)], path, name, capsys)

    assert _snapshot(outputs) == before
