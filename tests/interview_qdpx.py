"""A REFI-QDA project as an interview tool exports it, for the tests of ``rapport
import-qdpx``: one case (Køge, Kommunal taktiker, taktisk, kommune, cleared) with one
interview whose two selections are coded with theme aliases, one of them text that starts
with ``=``."""

import html
import zipfile
from pathlib import Path

G = "{:08x}-0000-0000-0000-00000000000a".format
SOURCE_TEXT = ("I: Hvordan er samarbejdet?\r\n"
               "R: Vi har fået en tillid til hinanden, som vi ikke havde før.\r\n"
               '=HYPERLINK("http://example.invalid","Klik")\r\n')
TRUST = "Vi har fået en tillid til hinanden, som vi ikke havde før."
FORMULA = '=HYPERLINK("http://example.invalid","Klik")'


def interview_qde(text: str = SOURCE_TEXT) -> str:
    """A REFI-QDA project: one case (Køge, Kommunal taktiker, taktisk, kommune, cleared) with
    one interview whose two selections are coded with theme aliases."""
    variables = {"Kommune": ("Text", "Køge"), "Rolle": ("Text", "Kommunal taktiker"),
                 "Niveau": ("Text", "taktisk"), "Organisation": ("Text", "kommune"),
                 "Må tilskrives kommune": ("Boolean", "true")}
    declared, values = [], []
    for number, (name, (kind, value)) in enumerate(variables.items(), start=0x20):
        declared.append(f'<Variable guid="{G(number)}" name="{name}" typeOfVariable="{kind}"/>')
        values.append(f'<VariableValue><VariableRef targetGUID="{G(number)}"/>'
                      f'<{kind}Value>{html.escape(value)}</{kind}Value></VariableValue>')

    def selection(guid: int, piece: str, code: int) -> str:
        start = text.index(piece)
        return (f'<PlainTextSelection guid="{G(guid)}" name="{html.escape(piece)}" '
                f'startPosition="{start}" endPosition="{start + len(piece)}">'
                f'<Coding guid="{G(guid + 1)}"><CodeRef targetGUID="{G(code)}"/></Coding>'
                f'</PlainTextSelection>')

    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Kommuneinterviews" origin="QualCoder 3.6">
  <Users><User guid="{G(0x01)}" name="Ida Interviewer"/></Users>
  <CodeBook><Codes>
    <Code guid="{G(0x10)}" name="Tillid og relationer" isCodable="true"/>
    <Code guid="{G(0x11)}" name="Fælles mål" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>{''.join(declared)}</Variables>
  <Cases><Case guid="{G(0x30)}" name="Køge 1">{''.join(values)}
    <SourceRef targetGUID="{G(0x40)}"/></Case></Cases>
  <Sources>
    <TextSource guid="{G(0x40)}" name="Interview 1" plainTextPath="internal://{G(0x40)}.txt">
      {selection(0x50, TRUST, 0x10)}
      {selection(0x60, FORMULA, 0x11)}
    </TextSource>
  </Sources>
</Project>"""


def write_qdpx(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)  # keeps '../' as written
    return path


def write_project_qdpx(folder: Path) -> Path:
    """``folder/interviews.qdpx``: the project and its interview's text."""
    return write_qdpx(folder / "interviews.qdpx",
                      {"project.qde": interview_qde(),
                       f"sources/{G(0x40)}.txt": SOURCE_TEXT.encode("utf-8")})
