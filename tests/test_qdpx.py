"""REFI-QDA import: real samples, vendor quirks, hostile files and name masking.

Quirky and hostile exports are built here in ``tmp_path``; expected values are worked out by hand
from the texts and offsets written in each test.
"""

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.problems import InputError
from analysis.inputs.qdpx import EXCERPT_COLUMNS, UNMAPPED_COLUMNS, import_qdpx, read_qdc

FIXTURES = Path(__file__).parent / "fixtures" / "refi-qda"
SAMPLE_QDE = FIXTURES / "refi_sample_project.qde"
ATLAS_QDC = FIXTURES / "refi_sample_codebook_atlasti.qdc"
# The sample's text source (sources/11111111-….txt upstream, not shipped): one sentence.
SAMPLE_TEXT = "Diet and health are closely linked in this interview."
SAMPLE_TEXT_MEMBER = "sources/11111111-1111-1111-1111-111111111111.txt"

THEMES = """\
themes:
  - code: tillid
    name: "Tillid"
    chapter: 3
    aliases: ["Tillid og relationer"]
  - code: faelles_forstaaelse
    name: "Fælles forståelse og fælles mål"
    chapter: 3
    aliases: ["Fælles mål"]
  - code: sundhed
    name: "Sundhed"
    chapter: 2
    aliases: ["Health"]
  - code: kost
    name: "Kost"
    chapter: 2
    aliases: ["Diet", "code1"]
"""
KOMMUNER = """\
kommunekode,kommunenavn,region,folketal_2015
101,København,Region Hovedstaden,583525
259,Køge,Region Sjælland,59461
751,Aarhus,Region Midtjylland,330639
"""

G = "{:08x}-0000-0000-0000-000000000001".format  # readable test GUIDs: G(0xc1) = code 1
CASE_VALUES = {"kommune": "Køge", "rolle": "Kommunal taktiker", "clearance": "true",
               "person": "Karen Bisgaard"}


def _project(text_member: str = "t1.txt", selections: str = "", *, project_attrs: str = "",
             code_attrs: str = "", source_name: str = "Interview 1",
             case_values: dict[str, str] | None = None, case_ref: str | None = None) -> str:
    """A small REFI-QDA project: one text source, codes 'Tillid og relationer' (c1) and
    'Fælles mål' (c2), user 'Jens Hansen', and one case giving the source its variables."""
    values = CASE_VALUES if case_values is None else case_values
    variables = {"kommune": ("a1", "Kommune", "Text"), "rolle": ("a2", "Rolle", "Text"),
                 "clearance": ("a3", "Må tilskrives kommune", "Boolean"),
                 "person": ("a4", "Interviewperson", "Text")}
    value_xml = "".join(
        f'<VariableValue><VariableRef targetGUID="{G(int(variables[k][0], 16))}"/>'
        f'<{variables[k][2]}Value>{v}</{variables[k][2]}Value></VariableValue>'
        for k, v in values.items())
    variable_xml = "".join(f'<Variable guid="{G(int(g, 16))}" name="{n}" typeOfVariable="{t}"/>'
                           for g, n, t in variables.values())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Test" {project_attrs}>
  <Users><User guid="{G(0xe1)}" name="Jens Hansen"/></Users>
  <CodeBook><Codes>
    <Code guid="{G(0xc1)}" name="Tillid og relationer" isCodable="true" {code_attrs}/>
    <Code guid="{G(0xc2)}" name="faelles maal" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>{variable_xml}</Variables>
  <Cases><Case guid="{G(0xca)}" name="Case 1">{value_xml}
    <SourceRef targetGUID="{case_ref or G(0x51)}"/></Case></Cases>
  <Sources>
    <TextSource guid="{G(0x51)}" name="{source_name}" plainTextPath="internal://{text_member}">
      {selections}
    </TextSource>
  </Sources>
</Project>"""


def _selection(guid: int, start: int, end: int, code: str = G(0xc1), name: str = "",
               description: str = "") -> str:
    name_attr = f' name="{name}"' if name else ""
    memo = f"<Description>{description}</Description>" if description else ""
    return (f'<PlainTextSelection guid="{G(guid)}"{name_attr} startPosition="{start}" '
            f'endPosition="{end}">{memo}<Coding guid="{G(guid + 0x1000)}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def _qdpx(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # keeps '../' and leading '/' as written
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


@pytest.fixture
def refs(tmp_path: Path) -> dict[str, Path]:
    themes, kommuner = tmp_path / "codebook.yaml", tmp_path / "kommuner.csv"
    themes.write_text(THEMES, encoding="utf-8")
    kommuner.write_text(KOMMUNER, encoding="utf-8")
    return {"theme_codebook": themes, "kommuner": kommuner}


def _import(path: Path, refs: dict[str, Path], **kwargs):
    return import_qdpx(path, **refs, **kwargs)


def _rejection(path: Path, refs: dict[str, Path]) -> str:
    with pytest.raises(InputError) as error:
        _import(path, refs)
    assert len(error.value.problems) == 1
    assert "\n" not in str(error.value)  # one clear line
    return str(error.value)


# ----------------------------------------------------------------------------- real samples


def test_sample_project_bare_qde_lists_every_selection_it_cannot_use(refs):
    result = _import(SAMPLE_QDE, refs)

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
    qdpx = _qdpx(tmp_path / "sample.qdpx", {"project.qde": SAMPLE_QDE.read_bytes(),
                                             SAMPLE_TEXT_MEMBER: SAMPLE_TEXT})

    result = _import(qdpx, refs)

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
    qdpx = _qdpx(tmp_path / "sample.qdpx", {"project.qde": xml, SAMPLE_TEXT_MEMBER: SAMPLE_TEXT})

    result = _import(qdpx, refs)

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
    project = _project(selections=_selection(0x5e1, 0, 6, code="{1FF58B12-6F6F-4B0C-8BE5-"
                                                                "BBDC91F55294}"))
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Kosten er god"})

    result = _import(qdpx, refs, qdc=ATLAS_QDC)

    assert codes.to_dict("records") == [{"guid": "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
                                         "name": "code1", "parent_guid": ""}]
    assert warnings == []  # valid against the codebook schema despite ATLAS.ti's schemaLocation
    assert list(result.excerpts["tekst"]) == ["Kosten"]
    assert list(result.excerpts["temaer"]) == ["kost"]  # code1 is an alias of kost


# ----------------------------------------------------------------------------- mapping


def test_case_variables_map_to_the_excerpt_fields(refs, tmp_path):
    text = "Vi har stor tillid til hinanden. Målet er fælles."
    selections = (_selection(0x5e1, 0, 31, description="Memo: ring tilbage")
                  + _selection(0x5e2, 33, 49, code=G(0xc2)))
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(selections=selections),
                                       "sources/t1.txt": text})

    result = _import(qdpx, refs)

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
    project = _project(selections=_selection(0x5e1, 0, 6), case_values=values)
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert result.excerpts.empty
    assert reason in result.unmapped.loc[0, "grund"]
    assert result.unmapped.loc[0, "tekst"] == "Tillid"


def test_unknown_code_is_listed_once_and_municipality_code_is_padded(refs, tmp_path):
    project = _project(selections=_selection(0x5e1, 0, 6) + _selection(0x5e2, 0, 6, code=G(0xcc)),
                       case_values={"kommune": "0259", "rolle": "Kommunal strateg"})
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert list(result.excerpts["kommunekode"]) == ["259"]
    assert list(result.excerpts["maa_tilskrives_kommune"]) == ["nej"]
    assert list(result.unmapped["element"]) == ["PlainTextSelection", "Code"]
    assert result.unmapped.loc[1, "grund"].startswith("code GUID is not defined")


def test_code_without_theme_takes_its_parents_theme(refs, tmp_path):
    project = _project(selections=_selection(0x5e1, 0, 6, code=G(0xc3))).replace(
        'name="Tillid og relationer" isCodable="true" />',
        'name="Tillid og relationer" isCodable="true">'
        f'<Code guid="{G(0xc3)}" name="Tillid til ledelsen" isCodable="true"/></Code>')
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert list(result.excerpts["temaer"]) == ["tillid"]
    assert any("'Tillid til ledelsen' has no theme; used its parent's theme 'tillid'" in w
               for w in result.warnings)


# ----------------------------------------------------------------------------- vendor quirks


def test_atlasti_project_xml_named_after_the_project(refs, tmp_path):
    project = _project(selections=_selection(0x5e1, 0, 6))
    qdpx = _qdpx(tmp_path / "Trial.qdpx", {"Trial.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Tillid"]
    assert any("'Trial.qde'" in w for w in result.warnings)


def test_guids_in_braces_and_upper_case_are_joined(refs, tmp_path):
    selection = _selection(0x5e1, 0, 6, code="{" + G(0xc1).upper() + "}")
    project = _project(selections=selection, case_ref="{" + G(0x51).upper() + "}")
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert list(result.excerpts[["temaer", "kommunekode"]].iloc[0]) == ["tillid", "259"]


def test_crlf_and_bom_offsets_are_adjusted_to_the_selection_names(refs, tmp_path):
    # Exporter counted on "Linje et\nLinje to handler om tillid\n" (no BOM, LF line ends):
    # "Linje et" = 0–8, "Linje to handler om tillid" = 9–35. In the stored file (BOM + CRLF)
    # 9–35 would read "\r\nLinje to handler om til".
    raw = "\ufeffLinje et\r\nLinje to handler om tillid\r\n".encode("utf-8")
    selections = (_selection(0x5e1, 9, 35, name="Linje to handler om tillid")
                  + _selection(0x5e2, 0, 8))
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(selections=selections),
                                       "sources/t1.txt": raw})

    result = _import(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Linje to handler om tillid", "Linje et"]
    adjusted = [w for w in result.warnings if "offsets adjusted" in w]
    assert len(adjusted) == 2
    assert G(0x5e1) in adjusted[0]
    assert "BOM not counted, CRLF counted as one character" in adjusted[0]


def test_source_text_in_windows_1252_is_read_with_a_warning(refs, tmp_path):
    raw = "Tillid på tværs".encode("cp1252")
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(selections=_selection(0x5e1, 0, 15)),
                                       "sources/t1.txt": raw})

    result = _import(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["Tillid på tværs"]
    assert "p.qdpx: source 'Interview 1': not valid UTF-8; read as Windows-1252" in result.warnings


def test_source_text_that_is_not_text_is_unmapped_with_the_reason(refs, tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(selections=_selection(0x5e1, 0, 6)),
                                       "sources/t1.txt": b"Tillid \x81"})

    result = _import(qdpx, refs)

    assert result.excerpts.empty
    assert result.unmapped.loc[0, "grund"].startswith(
        "source text 't1.txt' is not text in UTF-8, UTF-16 with BOM, or ANSI "
        "(Windows-1252/ISO-8859-1) (byte 0x81)")


def test_inclusive_end_is_detected_from_the_name(refs, tmp_path):
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(
        selections=_selection(0x5e1, 7, 12, name="tillid")), "sources/t1.txt": "Vi har tillid."})

    result = _import(qdpx, refs)

    assert list(result.excerpts["tekst"]) == ["tillid"]  # 7–12 inclusive
    assert any("end position inclusive" in w for w in result.warnings)


def test_zero_length_selection_is_skipped_with_a_warning(refs, tmp_path):
    selections = _selection(0x5e1, 3, 3) + _selection(0x5e2, 0, 6)
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(selections=selections),
                                       "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert len(result.excerpts) == 1
    assert result.unmapped.empty
    assert any("zero-length selection " + G(0x5e1) in w for w in result.warnings)


def test_rgb_colour_is_a_schema_warning_not_an_error(refs, tmp_path):
    project = _project(selections=_selection(0x5e1, 0, 6), code_attrs='color="rgb(255,0,0)"')
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})

    result = _import(qdpx, refs)

    assert list(result.excerpts["temaer"]) == ["tillid"]
    assert any("schema deviation" in w and "color" in w for w in result.warnings)


def test_absolute_base_path_is_dropped_and_never_written(refs, tmp_path):
    base = r"C:\Users\sagsbehandler\Interviews"
    project = _project(selections=_selection(0x5e1, 0, 6), project_attrs=f'basePath="{base}"')
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": "Tillid"})
    out = tmp_path / "out"

    result = _import(qdpx, refs, out_dir=out)

    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert any("basePath" in w and "dropped" in w for w in result.warnings)
    assert "sagsbehandler" not in written + "".join(result.warnings)
    assert sorted(p.name for p in out.iterdir()) == ["excerpts.csv", "unmapped.csv"]
    assert pd.read_csv(out / "excerpts.csv", dtype=str, keep_default_na=False).equals(
        result.excerpts.astype(str))


def test_external_source_path_is_not_read(refs, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Tillid", encoding="utf-8")
    project = _project(selections=_selection(0x5e1, 0, 6)).replace(
        'plainTextPath="internal://t1.txt"', f'plainTextPath="absolute://{secret}"')

    result = _import(_qdpx(tmp_path / "p.qdpx", {"project.qde": project}), refs)

    assert result.excerpts.empty
    assert result.unmapped.loc[0, "grund"].startswith("source text is outside the export")
    assert str(tmp_path) not in result.unmapped.to_csv()


# ----------------------------------------------------------------------------- names


def test_names_of_persons_are_masked_in_text_and_reference(refs, tmp_path):
    text = "Jeg er Karen, og Jens Hansens team sagde at KAREN BISGAARD har tillid."
    project = _project(selections=_selection(0x5e1, 0, len(text)),
                       source_name="Interview med Karen Bisgaard")
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": project, "sources/t1.txt": text})

    result = _import(qdpx, refs)

    row = result.excerpts.iloc[0]
    assert row["tekst"] == "Jeg er [navn], og [navn] team sagde at [navn] har tillid."
    assert row["henvisning"] == f"p.qdpx, Interview med [navn], tegn 0-{len(text)}"
    assert "Karen" not in "".join(result.warnings) + result.unmapped.to_csv()


# ----------------------------------------------------------------------------- hostile files


def test_zip_slip_member_is_rejected(refs, tmp_path):
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(), "../evil.txt": "x"})

    message = _rejection(qdpx, refs)

    assert "'../evil.txt'" in message and "no '..'" in message
    assert not (tmp_path.parent / "evil.txt").exists()


def test_absolute_member_path_is_rejected(refs, tmp_path):
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(), "/etc/cron.d/evil": "x"})

    assert "'/etc/cron.d/evil'" in _rejection(qdpx, refs)


def test_archive_with_too_many_members_is_rejected(refs, tmp_path):
    members = {f"sources/{i}.txt": "" for i in range(10_001)}
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(), **members})

    assert "10002 members" in _rejection(qdpx, refs)


def test_member_with_huge_declared_size_is_rejected(refs, tmp_path):
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project()})
    data = bytearray(qdpx.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (3 * 2**30).to_bytes(4, "little")  # uncompressed size
    qdpx.write_bytes(bytes(data))

    assert "uncompressed" in _rejection(qdpx, refs)


def test_highly_compressed_member_is_rejected_as_a_bomb(refs, tmp_path):
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": _project(),
                                       "sources/t1.txt": b"\0" * (2 * 2**20)})

    assert "compression ratio" in _rejection(qdpx, refs)


def test_xxe_doctype_is_rejected(refs, tmp_path):
    qde = tmp_path / "p.qde"
    qde.write_text('<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "file:///etc/passwd">\n'
                   '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")

    message = _rejection(qde, refs)

    assert "DOCTYPE" in message and "root:" not in message


def test_doctype_in_an_encoding_expat_does_not_read_is_rejected(refs, tmp_path):
    qde = tmp_path / "p.qde"
    qde.write_bytes(b'<?xml version="1.0" encoding="windows-1252"?>\n'
                    b'<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')

    message = _rejection(qde, refs)

    assert "DOCTYPE" in message and "root:" not in message


def test_billion_laughs_in_a_qdpx_is_rejected(refs, tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "lol">{entities}]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&l9;"/>')
    qdpx = _qdpx(tmp_path / "p.qdpx", {"project.qde": xml})

    assert "DOCTYPE" in _rejection(qdpx, refs)


def test_file_named_qdpx_that_is_not_a_zip_is_rejected(refs, tmp_path):
    qdpx = tmp_path / "p.qdpx"
    qdpx.write_text(_project(), encoding="utf-8")

    assert "a zip archive" in _rejection(qdpx, refs)
