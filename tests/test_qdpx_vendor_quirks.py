"""REFI-QDA exports as the tools really write them (ATLAS.ti, braces in GUIDs, CRLF and BOM
offsets, other encodings, inclusive ends, absolute paths), and names of persons masked.

Expected values are worked out by hand from the texts and offsets written in each test."""

from pathlib import Path

import pandas as pd
import pytest

from qdpx_builders import G, qde_text, coded_span, write, import_, write_refs


@pytest.fixture
def refs(tmp_path: Path) -> dict[str, Path]:
    return write_refs(tmp_path)


# ----------------------------------------------------------------------------- vendor quirks


def test_atlasti_project_xml_named_after_the_project(refs, tmp_path):
    project = qde_text(selections=coded_span(0x5e1, 0, 6))
    qdpx = write(tmp_path / "Trial.qdpx", {"Trial.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Tillid"]
    assert any("'Trial.qde'" in w for w in result.warnings)


def test_guids_in_braces_and_upper_case_are_joined(refs, tmp_path):
    selection = coded_span(0x5e1, 0, 6, code="{" + G(0xc1).upper() + "}")
    project = qde_text(selections=selection, case_ref="{" + G(0x51).upper() + "}")
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert list(result.excerpts[["temaer", "kommunekode"]].iloc[0]) == ["tillid", "259"]


def test_crlf_and_bom_offsets_are_adjusted_to_the_selection_names(refs, tmp_path):
    # Exporter counted on "Linje et\nLinje to handler om tillid\n" (no BOM, LF line ends):
    # "Linje et" = 0–8, "Linje to handler om tillid" = 9–35. In the stored file (BOM + CRLF)
    # 9–35 would read "\r\nLinje to handler om til".
    raw = "\ufeffLinje et\r\nLinje to handler om tillid\r\n".encode("utf-8")
    selections = (coded_span(0x5e1, 9, 35, name="Linje to handler om tillid")
                  + coded_span(0x5e2, 0, 8))
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(selections=selections),
                                       "sources/t1.txt": raw})

    result = import_(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Linje to handler om tillid", "Linje et"]
    adjusted = [w for w in result.warnings if "offsets adjusted" in w]
    assert len(adjusted) == 2
    assert G(0x5e1) in adjusted[0]
    assert "BOM not counted, CRLF counted as one character" in adjusted[0]


def test_source_text_in_windows_1252_is_read_with_a_warning(refs, tmp_path):
    raw = "Tillid på tværs".encode("cp1252")
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(selections=coded_span(0x5e1, 0, 15)),
                                       "sources/t1.txt": raw})

    result = import_(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Tillid på tværs"]
    assert "p.qdpx: source 'Interview 1': not valid UTF-8; read as Windows-1252" in result.warnings


def test_source_text_that_is_not_text_is_unmapped_with_the_reason(refs, tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(selections=coded_span(0x5e1, 0, 6)),
                                       "sources/t1.txt": b"Tillid \x81"})

    result = import_(qdpx, refs)

    assert result.excerpts.empty
    assert result.unmapped.loc[0, "grund"].startswith(
        "source text 't1.txt' is not text in UTF-8, UTF-16 with BOM, or ANSI "
        "(Windows-1252/ISO-8859-1) (byte 0x81)")


def test_inclusive_end_is_detected_from_the_name(refs, tmp_path):
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(
        selections=coded_span(0x5e1, 7, 12, name="tillid")), "sources/t1.txt": "Vi har tillid."})

    result = import_(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["tillid"]  # 7–12 inclusive
    assert any("end position inclusive" in w for w in result.warnings)


def test_zero_length_selection_is_skipped_with_a_warning(refs, tmp_path):
    selections = coded_span(0x5e1, 3, 3) + coded_span(0x5e2, 0, 6)
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(selections=selections),
                                       "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert len(result.excerpts) == 1
    assert result.unmapped.empty
    assert any("zero-length selection " + G(0x5e1) in w for w in result.warnings)


def test_rgb_colour_is_a_schema_warning_not_an_error(refs, tmp_path):
    project = qde_text(selections=coded_span(0x5e1, 0, 6), code_attrs='color="rgb(255,0,0)"')
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert list(result.excerpts["temaer"]) == ["tillid"]
    assert any("schema deviation" in w and "color" in w for w in result.warnings)


def test_absolute_base_path_is_dropped_and_never_written(refs, tmp_path):
    base = r"C:\Users\sagsbehandler\Interviews"
    project = qde_text(selections=coded_span(0x5e1, 0, 6), project_attrs=f'basePath="{base}"')
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})
    out = tmp_path / "out"

    result = import_(qdpx, refs, out_dir=out)

    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert any("basePath" in w and "dropped" in w for w in result.warnings)
    assert "sagsbehandler" not in written + "".join(result.warnings)
    assert sorted(p.name for p in out.iterdir()) == ["excerpts.csv", "unmapped.csv"]
    assert pd.read_csv(out / "excerpts.csv", dtype=str, keep_default_na=False).equals(
        result.excerpts.astype(str))


def test_external_source_path_is_not_read(refs, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Tillid", encoding="utf-8")
    project = qde_text(selections=coded_span(0x5e1, 0, 6)).replace(
        'plainTextPath="internal://t1.txt"', f'plainTextPath="absolute://{secret}"')

    result = import_(write(tmp_path / "p.qdpx", {"project.qde": project}), refs)

    assert result.excerpts.empty
    assert result.unmapped.loc[0, "grund"].startswith("source text is outside the export")
    assert str(tmp_path) not in result.unmapped.to_csv()


# ----------------------------------------------------------------------------- names


def test_names_of_persons_are_masked_in_text_and_reference(refs, tmp_path):
    text = "Jeg er Karen, og Jens Hansens team sagde at KAREN BISGAARD har tillid."
    project = qde_text(selections=coded_span(0x5e1, 0, len(text)),
                       source_name="Interview med Karen Bisgaard")
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": text})

    result = import_(qdpx, refs)

    row = result.excerpts.iloc[0]
    assert row["tekst"] == "Jeg er [navn], og [navn] team sagde at [navn] har tillid."
    assert row["henvisning"] == f"p.qdpx, Interview med [navn], tegn 0-{len(text)}"
    assert "Karen" not in "".join(result.warnings) + result.unmapped.to_csv()
