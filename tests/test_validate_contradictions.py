"""``rapport validate`` names register rows that contradict the register, keys of
``dataset.yaml`` the report does not read (errors), and interview excerpts of a municipality
without a helhedsplan (a note)."""

import pandas as pd

from analysis.cli import main
from analysis.core import paths
from analysis.inputs.dataset import ABOUT_KEYS, OPTIONAL_ABOUT_KEYS
from ingest_helpers import edit_csv

KNOWN_KEYS = ", ".join([*ABOUT_KEYS, *OPTIONAL_ABOUT_KEYS])


def _validate(data_dir, capsys) -> tuple[int, list[str], list[str]]:
    code = main(["validate", "--data", str(data_dir)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out.splitlines()


def test_a_municipality_without_a_plan_in_the_register_is_an_error(data_copy, capsys):
    register = paths.register_file(data_copy)
    edit_csv(register, 4, "antal_helhedsplaner", "0")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{register}, row 4, column 'antal_helhedsplaner': value '0' — expected at "
                   "least 1: the register lists the municipalities with a helhedsplan, so a "
                   "municipality without one has no row here (delete the row)",
                   "1 problem(s) found."]


def test_plan_areas_without_residents_are_an_error(data_copy, capsys):
    register = paths.register_file(data_copy)
    edit_csv(register, 3, "beboere_i_omraader", "0")

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{register}, row 3, column 'beboere_i_omraader': value '0' — expected the "
                   "number of residents in the municipality's helhedsplan areas, more than 0 "
                   "(the row has 1 helhedsplan)",
                   "1 problem(s) found."]


def test_more_residents_in_the_areas_than_in_the_municipality_is_an_error(data_copy, capsys):
    register = paths.register_file(data_copy)
    edit_csv(register, 3, "beboere_i_omraader", "200000")     # Frederiksberg: 103666 inhabitants

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{register}, row 3, column 'beboere_i_omraader': value '200000' — expected "
                   "at most the municipality's 103666 inhabitants (folketal_2015 of kommunekode "
                   "147 in data/reference/kommuner.csv)",
                   "1 problem(s) found."]


def test_a_misspelt_key_of_dataset_yaml_is_an_error(data_copy, capsys):
    about = data_copy / "dataset.yaml"
    text = about.read_text("utf-8")
    about.write_text(text.replace("synthetic: true", "synthtic: false"), "utf-8")
    line = next(i for i, x in enumerate(about.read_text("utf-8").splitlines(), start=1)
                if x.startswith("synthtic"))

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert f"{about}, row {line}, column 'synthtic': value False — expected one of the keys the " \
           f"report reads ({KNOWN_KEYS}); did you mean 'synthetic'?" in err
    assert any(x.startswith(f"{about}, column 'synthetic' — expected a key 'synthetic' (it is "
                            "missing)") for x in err)


def test_an_unknown_key_of_dataset_yaml_is_an_error(data_copy, capsys):
    about = data_copy / "dataset.yaml"
    about.write_text(about.read_text("utf-8") + "forfatter: Jens\n", "utf-8")
    line = len(about.read_text("utf-8").splitlines())

    code, err, _ = _validate(data_copy, capsys)

    assert code == 1
    assert err == [f"{about}, row {line}, column 'forfatter': value 'Jens' — expected one of "
                   f"the keys the report reads ({KNOWN_KEYS}); delete the line",
                   "1 problem(s) found."]


def test_an_excerpt_of_a_municipality_without_a_plan_is_a_note(data_copy, capsys):
    excerpts = paths.excerpts_file(data_copy)
    ids = pd.read_csv(excerpts, dtype=str)["excerpt_id"]
    edit_csv(excerpts, 3, "kommunekode", "153")              # Brøndby: not in the register

    code, err, out = _validate(data_copy, capsys)

    assert code == 0, err
    assert out[0].startswith("OK:")
    assert f"note: {excerpts}, row 3, column 'kommunekode': value '153' — expected a " \
           "municipality with a helhedsplan: Brøndby has none in " \
           "data/register/helhedsplaner.csv, so no municipal report shows excerpt " \
           f"{ids[1]} (the national report may quote it, without the municipality's name)" in out


def test_the_shipped_data_have_no_notes_of_their_own(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["note: 2 incomplete responses excluded"]
