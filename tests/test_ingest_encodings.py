"""Text inputs in the encodings and separators researchers' tools write, and bytes that are
no text: Danish letters kept, undecodable bytes named."""

import pandas as pd
import pytest

from analysis.core import paths
from analysis.inputs.dataset import load_dataset, read_text_table
from analysis.core.problems import InputError
from analysis.inputs.survey_exports import read_export
from ingest_helpers import problems_of


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-1", "utf-8-sig", "utf-16"])
def test_encodings_keep_danish_letters(data_copy, encoding):
    path = paths.kommuner_file(data_copy)
    path.write_bytes(path.read_text("utf-8").encode(encoding))

    table = read_text_table(path)

    assert "Køge" in set(table.frame["kommunenavn"])
    assert "Ærø" in set(table.frame["kommunenavn"])
    assert load_dataset(data_copy).kommuner.shape[0] == 98


def test_undecodable_file_says_which_encoding_was_expected(data_copy):
    path = paths.kommuner_file(data_copy)
    path.write_bytes(b"kommunekode,kommunenavn\n101,K\x81benhavn\n")

    problems = problems_of(data_copy)

    assert any("kommuner.csv" in p and "0x81" in p and "UTF-8" in p for p in problems)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_by_where_its_nul_bytes_sit(tmp_path, encoding):
    path = tmp_path / "kommuner.csv"
    path.write_bytes("kommunekode,kommunenavn\n259,Køge\n".encode(encoding))

    table = read_text_table(path)

    assert table.encoding == encoding
    assert table.frame.to_dict("list") == {"kommunekode": ["259"], "kommunenavn": ["Køge"]}


def test_every_text_input_refuses_undecodable_bytes_in_the_same_words(tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252; a csv file and a survey export's dataset.csv
    # name the file, the line and the byte alike.
    table = tmp_path / "kommuner.csv"
    table.write_bytes(b"kommunekode,kommunenavn\n101,K\x81benhavn\n")
    export = tmp_path / "eksport.csv"
    export.write_bytes(b"respondentid,kommunekode\n11,101\n12,K\x81ge\n")

    with pytest.raises(InputError) as from_table:
        read_text_table(table)
    with pytest.raises(InputError) as from_export:
        read_export(export)

    assert str(from_table.value) == (
        f"{table}, row 2: value 'byte 0x81' — expected text in UTF-8, UTF-16 with BOM, or ANSI "
        "(Windows-1252/ISO-8859-1)")
    assert str(from_export.value) == (
        "eksport.csv, row 3: value 'byte 0x81' — expected text in UTF-8, UTF-16 with BOM, or "
        "ANSI (Windows-1252/ISO-8859-1)")


def test_binary_file_named_csv_is_not_text(tmp_path):
    path = tmp_path / "besvarelser.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00 an .xlsx renamed to .csv")

    with pytest.raises(InputError) as error:
        read_text_table(path)

    [problem] = error.value.problems
    assert (problem.row, problem.value) == (1, "byte 0x00")


def test_semicolon_separated_csv_reads_like_comma(data_copy):
    path = paths.register_file(data_copy)
    frame = pd.read_csv(path, dtype=str)
    frame.to_csv(path, sep=";", index=False)

    table = read_text_table(path)

    assert table.delimiter == ";"
    assert load_dataset(data_copy).register.equals(load_dataset(paths.default_data_dir()).register)
