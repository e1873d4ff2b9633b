"""Parsing untrusted REFI-QDA XML and checking it against the REFI-QDA schemas.

XML with a DOCTYPE or an entity declaration is refused before anything is read from it (no
external entities, no entity expansion, no network). Deviations from the schema are tolerated:
they become warnings, one line each.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from analysis.inputs.qdpx.archive import reject

MAX_SCHEMA_WARNINGS = 20
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
PROJECT_XSD = "REFI-QDA_Project_v1.0.xsd"
CODEBOOK_XSD = "REFI-QDA_Codebook_v1.0.xsd"
NO_DTD = "XML without a DOCTYPE or entity declarations (refused: XXE / entity expansion)"


class _PrologEnd(Exception):
    """The first element starts: the prolog had no DOCTYPE."""


def _refuse_doctype(data: bytes, file: str) -> None:
    """Reject a DOCTYPE or entity declaration before any entity could be expanded.

    Only the prolog is read (expat stops at the first element). Encodings expat does not know
    fall through to the parser's own DOCTYPE check in :func:`parse_xml`.
    """
    def doctype(name: str, *_: object) -> None:
        raise reject(file, f"<!DOCTYPE {name}>", NO_DTD)

    def stop(*_: object) -> None:
        raise _PrologEnd

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = stop
    try:
        parser.Parse(data, True)
    except (_PrologEnd, expat.ExpatError):
        return


def parse_xml(data: bytes, file: str, root_name: str) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network; reject any DOCTYPE."""
    _refuse_doctype(data, file)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False,
                             load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise reject(file, str(error), "well-formed XML") from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise reject(file, docinfo.doctype or "DOCTYPE", NO_DTD)
    if etree.QName(root).localname != root_name:
        raise reject(file, etree.QName(root).localname, f"a REFI-QDA <{root_name}> root element")
    return root


@lru_cache(maxsize=None)
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def schema_warnings(root: etree._Element, schema_name: str, file: str) -> list[str]:
    """Schema deviations, one line each, at most :data:`MAX_SCHEMA_WARNINGS`."""
    schema = _schema(schema_name)
    if schema.validate(root):
        return []
    errors = list(schema.error_log)
    lines = [f"{file}: schema deviation (line {e.line}): {e.message}"
             for e in errors[:MAX_SCHEMA_WARNINGS]]
    if len(errors) > MAX_SCHEMA_WARNINGS:
        lines.append(f"{file}: … and {len(errors) - MAX_SCHEMA_WARNINGS} more schema deviations")
    return lines


def strip_namespaces(root: etree._Element) -> etree._Element:
    """Give every element its local name, so vendors' namespace variants read alike."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    return root
