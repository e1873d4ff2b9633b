"""REFI-QDA import of real sample projects (tests/fixtures/refi-qda), and how a project's
cases, codes and selections map to excerpts."""

from pathlib import Path

import pytest

from analysis.inputs.qdpx import EXCERPT_COLUMNS, UNMAPPED_COLUMNS, read_qdc
from qdpx_builders import (SAMPLE_QDE, ATLAS_QDC, SAMPLE_TEXT, SAMPLE_TEXT_MEMBER, G, qde_text,
                           coded_span, write, import_, write_refs)


@pytest.fixture
def refs(tmp_path: Path) -> dict[str, Path]:
    return write_refs(tmp_path)


# ----------------------------------------------------------------------------- real samples


def test_sample_project_bare_qde_lists_every_selection_it_cannot_use(refs):
    result = import_(SAMPLE_QDE, refs)

    unmapped = result.unmapped.set_index("guid")
    assert list(result.unmapped.columns) == UNMAPPED_COLUMNS
    assert list(result.excerpts.columns) == EXCERPT_COLUMNS
    assert result.excerpts.empty  # the sample's case has no municipality and no role
    assert unmapped.loc["50000000-0000-0000-0000-000000000001", "grund"].startswith(
        "source text '11111111-1111-1111-1111-111111111111.txt' is not in the export")
    assert unmapped.loc["50000000-0000-0000-0000-000000000004", "tekst"] == "diet and health"
    assert unmapped.loc["50000000-0000-0000-0000-000000000003", "grund"] == (
        "non-text selection (picture area); "
        "none of its codes matches a theme in the interview codebook")  # Wellbeing: no theme
    assert unmapped.loc["20000000-0000-0000-0000-000000000004", "koder"] == "Wellbeing"
    assert len(result.unmapped) == 7 + 1  # seven selections, one code without a theme


def test_sample_project_in_a_qdpx_slices_the_real_selections(refs, tmp_path):
    qdpx = write(tmp_path / "sample.qdpx", {"project.qde": SAMPLE_QDE.read_bytes(),
                                             SAMPLE_TEXT_MEMBER: SAMPLE_TEXT})

    result = import_(qdpx, refs)

    text = result.unmapped.set_index("guid")["tekst"]
    assert text["50000000-0000-0000-0000-000000000001"] == "Diet and health"  # 0–15, = its name
    assert text["50000000-0000-0000-0000-000000000002"] == "health are clo"  # 9–23
    assert text["50000000-0000-0000-0000-000000000005"] == "Diet and health are"  # sync 0–20
    mismatch = [w for w in result.warnings if "50000000-0000-0000-0000-000000000002" in w]
    assert len(mismatch) == 1 and "does not match the selection's name" in mismatch[0]
    assert not any("50000000-0000-0000-0000-000000000001" in w for w in result.warnings)


def test_sample_project_with_municipality_and_role_gives_excerpts(refs, tmp_path):
    xml = SAMPLE_QDE.read_text(encoding="utf-8")
    xml = xml.replace('typeOfVariable="Boolean"/>', 'typeOfVariable="Boolean"/>'
                      f'<Variable guid="{G(0xa1)}" name="Kommune" typeOfVariable="Text"/>'
                      f'<Variable guid="{G(0xa2)}" name="Rolle" typeOfVariable="Text"/>')
    xml = xml.replace("</VariableValue>\n      <SourceRef", "</VariableValue>"
                      f'<VariableValue><VariableRef targetGUID="{G(0xa1)}"/>'
                      "<TextValue>Koege</TextValue></VariableValue>"
                      f'<VariableValue><VariableRef targetGUID="{G(0xa2)}"/>'
                      "<TextValue>Kommunal strateg</TextValue></VariableValue>\n      <SourceRef")
    qdpx = write(tmp_path / "sample.qdpx", {"project.qde": xml, SAMPLE_TEXT_MEMBER: SAMPLE_TEXT})

    result = import_(qdpx, refs)

    excerpts = result.excerpts
    assert list(excerpts["tekst"]) == ["Diet and health", "health are clo"]
    assert list(excerpts["temaer"]) == ["sundhed", "kost"]
    assert set(excerpts["kommunekode"]) == {"259"}
    assert set(excerpts["organisation"]) == {"kommune"}  # from the role label
    assert set(excerpts["niveau"]) == {"strategisk"}
    assert set(excerpts["maa_tilskrives_kommune"]) == {"nej"}  # no clearance variable
    assert set(excerpts["kilde"]) == {"import"}
    assert list(excerpts["henvisning"]) == ["sample.qdpx, Interview 1.txt, tegn 0-15",
                                            "sample.qdpx, Interview 1.txt, tegn 9-23"]
    assert excerpts["excerpt_id"].str.startswith("imp-").all()
    assert excerpts["excerpt_id"].is_unique


def test_atlasti_codebook_loads_and_supplies_codes(refs, tmp_path):
    codes, warnings = read_qdc(ATLAS_QDC)
    project = qde_text(selections=coded_span(0x5e1, 0, 6, code="{1FF58B12-6F6F-4B0C-8BE5-"
                                                                "BBDC91F55294}"))
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Kosten er god"})

    result = import_(qdpx, refs, qdc=ATLAS_QDC)

    assert codes.to_dict("records") == [{"guid": "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
                                         "name": "code1", "parent_guid": ""}]
    assert warnings == []  # valid against the codebook schema despite ATLAS.ti's schemaLocation
    assert list(result.excerpts["tekst"]) == ["Kosten"]
    assert list(result.excerpts["temaer"]) == ["kost"]  # code1 is an alias of kost


# ----------------------------------------------------------------------------- mapping


def test_case_variables_map_to_the_excerpt_fields(refs, tmp_path):
    text = "Vi har stor tillid til hinanden. Målet er fælles."
    selections = (coded_span(0x5e1, 0, 31, description="Memo: ring tilbage")
                  + coded_span(0x5e2, 33, 49, code=G(0xc2)))
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(selections=selections),
                                       "sources/t1.txt": text})

    result = import_(qdpx, refs)

    rows = result.excerpts.to_dict("records")
    assert [r["tekst"] for r in rows] == ["Vi har stor tillid til hinanden", "Målet er fælles."]
    assert [r["temaer"] for r in rows] == ["tillid", "faelles_forstaaelse"]
    assert rows[0]["kommunekode"] == "259"
    assert rows[0]["rolle"] == "Kommunal taktiker"
    assert (rows[0]["organisation"], rows[0]["niveau"]) == ("kommune", "taktisk")
    assert rows[0]["maa_tilskrives_kommune"] == "ja"
    assert result.unmapped.empty


@pytest.mark.parametrize(("values", "reason"), [
    ({"kommune": "Køge"}, "no role label"),
    ({"rolle": "Kommunal strateg"}, "no municipality"),
    ({"kommune": "Atlantis", "rolle": "Kommunal strateg"}, "'Atlantis' is not in the "
                                                             "municipality register"),
])
def test_selection_without_role_or_known_municipality_is_unmapped(refs, tmp_path, values,
                                                                  reason):
    project = qde_text(selections=coded_span(0x5e1, 0, 6), case_values=values)
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert result.excerpts.empty
    assert reason in result.unmapped.loc[0, "grund"]
    assert result.unmapped.loc[0, "tekst"] == "Tillid"


def test_unknown_code_is_listed_once_and_municipality_code_is_padded(refs, tmp_path):
    project = qde_text(selections=coded_span(0x5e1, 0, 6) + coded_span(0x5e2, 0, 6, code=G(0xcc)),
                       case_values={"kommune": "0259", "rolle": "Kommunal strateg"})
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert list(result.excerpts["kommunekode"]) == ["259"]
    assert list(result.excerpts["maa_tilskrives_kommune"]) == ["nej"]
    assert list(result.unmapped["element"]) == ["PlainTextSelection", "Code"]
    assert result.unmapped.loc[1, "grund"].startswith("code GUID is not defined")


def test_code_without_theme_takes_its_parents_theme(refs, tmp_path):
    project = qde_text(selections=coded_span(0x5e1, 0, 6, code=G(0xc3))).replace(
        'name="Tillid og relationer" isCodable="true" />',
        'name="Tillid og relationer" isCodable="true">'
        f'<Code guid="{G(0xc3)}" name="Tillid til ledelsen" isCodable="true"/></Code>')
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = import_(qdpx, refs)

    assert list(result.excerpts["temaer"]) == ["tillid"]
    assert any("'Tillid til ledelsen' has no theme; used its parent's theme 'tillid'" in w
               for w in result.warnings)
