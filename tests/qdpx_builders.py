"""REFI-QDA projects built for the import's tests: a small project with one text source,
its selections, the archive around it, and the references an import maps to."""

import zipfile
from pathlib import Path

import pytest

from analysis.core.problems import InputError
from analysis.inputs.qdpx import import_qdpx

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


def qde_text(text_member: str = "t1.txt", selections: str = "", *, project_attrs: str = "",
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


def coded_span(guid: int, start: int, end: int, code: str = G(0xc1), name: str = "",
               description: str = "") -> str:
    name_attr = f' name="{name}"' if name else ""
    memo = f"<Description>{description}</Description>" if description else ""
    return (f'<PlainTextSelection guid="{G(guid)}"{name_attr} startPosition="{start}" '
            f'endPosition="{end}">{memo}<Coding guid="{G(guid + 0x1000)}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def write(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # keeps '../' and leading '/' as written
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def write_refs(folder: Path) -> dict[str, Path]:
    """The theme codebook and municipality list an import maps to, written into ``folder``."""
    themes, kommuner = folder / "codebook.yaml", folder / "kommuner.csv"
    themes.write_text(THEMES, encoding="utf-8")
    kommuner.write_text(KOMMUNER, encoding="utf-8")
    return {"theme_codebook": themes, "kommuner": kommuner}


def import_(path: Path, refs: dict[str, Path], **kwargs):
    return import_qdpx(path, **refs, **kwargs)


def refusal_of(path: Path, refs: dict[str, Path]) -> str:
    with pytest.raises(InputError) as error:
        import_(path, refs)
    assert len(error.value.problems) == 1
    assert "\n" not in str(error.value)  # one clear line
    return str(error.value)
