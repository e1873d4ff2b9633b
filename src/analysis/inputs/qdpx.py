"""Coded interview excerpts from a REFI-QDA export (``.qdpx``, ``.qde``, ``.qdc``).

NVivo, ATLAS.ti, MAXQDA and QualCoder export a coded project as REFI-QDA: a zip (``.qdpx``) with
one XML project file and the source texts under ``sources/``. This module turns its coded text
selections into rows of the excerpt table (``kilde="import"``): the selected text, the themes its
codes map to in the interview codebook, and municipality, organisation, level, role and clearance
from the variables of its case or source.

The file comes from outside, so it is read defensively: zip members are read in memory only and
never extracted, unsafe member paths and bomb-like archives are rejected, and XML with a DTD is
refused before anything is read from it. Deviations from the REFI-QDA schema and the known vendor
quirks are tolerated and reported as warnings. Names of persons never leave the importer.

Examples
--------
>>> result = import_qdpx(Path("projekt.qdpx"),
...                      theme_codebook=Path("data/interviews/codebook.yaml"),
...                      kommuner=Path("data/reference/kommuner.csv"))  # doctest: +SKIP
>>> result.excerpts[["excerpt_id", "kommunekode", "temaer"]]  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from xml.parsers import expat
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml
from lxml import etree

from analysis.core.problems import InputError, Problem

MAX_MEMBERS = 10_000
"""Most members a ``.qdpx`` archive may have."""
MAX_TOTAL_BYTES = 200 * 2**20
"""Largest total uncompressed size of an archive, and largest bare ``.qde``/``.qdc`` file."""
MAX_RATIO = 100
"""Largest compression ratio of a member bigger than :data:`RATIO_FLOOR_BYTES`."""
RATIO_FLOOR_BYTES = 2**20
MAX_SCHEMA_WARNINGS = 20

SCHEMA_DIR = Path(__file__).parent / "schemas"
PROJECT_XSD = "REFI-QDA_Project_v1.0.xsd"
CODEBOOK_XSD = "REFI-QDA_Codebook_v1.0.xsd"

EXCERPT_COLUMNS = ["excerpt_id", "tekst", "kommunekode", "organisation", "niveau", "rolle",
                   "temaer", "kilde", "henvisning", "maa_tilskrives_kommune"]
UNMAPPED_COLUMNS = ["element", "guid", "henvisning", "tekst", "koder", "grund"]
ORGANISATIONS = ("kommune", "boligorganisation", "helhedsplan")
LEVELS = ("strategisk", "taktisk", "udførende")
NAME_MASK = "[navn]"

# Variable names (folded, see _fold_keys) that carry each field of the excerpt table.
_FIELD_VARIABLES = {
    "kommune": {"kommune", "kommunekode", "kommunenavn", "kommune kode", "municipality"},
    "organisation": {"organisation", "organization", "organisationstype"},
    "niveau": {"niveau", "level", "ledelsesniveau"},
    "rolle": {"rolle", "role"},
    "clearance": {"maa tilskrives kommune", "ma tilskrives kommune", "clearance",
                  "maa tilskrives", "ma tilskrives"},
    "interviewperson": {"interviewperson", "interviewee", "informant", "respondent"},
}
_TRUE = {"true", "1", "ja", "j", "yes", "y"}
_FALSE = {"false", "0", "nej", "n", "no"}
_NON_TEXT_SELECTIONS = {"PictureSelection": "picture area", "AudioSelection": "audio segment",
                        "VideoSelection": "video segment"}
# Capitalised words that are part of a source or case name but not of a person's name.
_NOT_NAME_WORDS = {"interview", "interviewet", "kommune", "kommunal", "case", "participant",
                   "deltager", "informant", "region", "boligorganisation", "helhedsplan",
                   "projekt", "gruppe", "fokusgruppe", "møde", "transskription", "transcript",
                   "noter", "notes", "runde", "del", "session", "strateg", "taktiker",
                   "medarbejder", "projektleder", "konsulent", "leder", "chef", "direktør"}
_WORD = r"[A-ZÆØÅÄÖÜÉ][a-zæøåäöüé]+(?:-[A-ZÆØÅÄÖÜÉ][a-zæøåäöüé]+)?"


@dataclass(frozen=True)
class ImportResult:
    """What an import produced.

    ``excerpts`` has :data:`EXCERPT_COLUMNS`; ``unmapped`` has :data:`UNMAPPED_COLUMNS`, one row
    per selection that did not become an excerpt and per code that matches no theme, with the
    reason in ``grund``; ``warnings`` are one line each.
    """

    excerpts: pd.DataFrame
    unmapped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- safe reading


@dataclass(frozen=True)
class _Package:
    """The project XML and the text members of an export, read into memory."""

    xml: bytes
    texts: dict[str, bytes]
    warnings: list[str]


def _reject(file: str, value: object, expected: str) -> InputError:
    return InputError([Problem(file=file, row=None, column=None, value=value, expected=expected)])


def _unsafe_member_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    absolute = name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None
    return absolute or ".." in parts or "\x00" in name


def _check_archive(infos: list[zipfile.ZipInfo], file: str) -> None:
    """Raise InputError for unsafe paths and bomb-like sizes, before any member is read."""
    if len(infos) > MAX_MEMBERS:
        raise _reject(file, f"{len(infos)} members", f"a .qdpx with at most {MAX_MEMBERS} members")
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise _reject(file, info.filename,
                          "zip member paths relative and inside the archive (no absolute path, "
                          "no '..')")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise _reject(file, f"{total} bytes uncompressed",
                      f"a .qdpx of at most {MAX_TOTAL_BYTES // 2**20} MB uncompressed")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise _reject(file, f"{info.filename} (compression ratio {ratio:.0f}:1)",
                          f"a compression ratio of at most {MAX_RATIO}:1 (zip bomb?)")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise _reject(file, info.filename, "a member no larger than its declared size")
    return data


def _project_member(infos: list[zipfile.ZipInfo], file: str
                    ) -> tuple[zipfile.ZipInfo, list[str]]:
    """The project XML member: ``project.qde``, else the single ``.qde`` (ATLAS.ti)."""
    qdes = [i for i in infos if i.filename.lower().endswith(".qde") and not i.is_dir()]
    standard = [i for i in qdes if i.filename.lower() == "project.qde"]
    if standard:
        return standard[0], []
    if len(qdes) == 1:
        return qdes[0], [f"{Path(file).name}: project XML is named '{qdes[0].filename}', "
                         "not 'project.qde' (ATLAS.ti); read it as the project"]
    names = ", ".join(i.filename for i in qdes) or "none"
    raise _reject(file, f".qde members: {names}", "exactly one project.qde (or one .qde member)")


def _read_qdpx(path: Path) -> _Package:
    file = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_archive(infos, file)
            project, warnings = _project_member(infos, file)
            xml = _read_member(archive, project, file)
            texts = {i.filename: _read_member(archive, i, file) for i in infos
                     if i.filename.lower().startswith("sources/")
                     and i.filename.lower().endswith(".txt")}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            EOFError, ValueError, OSError, zlib.error) as error:
        raise _reject(file, str(error), "a readable, unencrypted zip archive (.qdpx)") from error
    return _Package(xml=xml, texts=texts, warnings=warnings)


def _read_bare_xml(path: Path) -> bytes:
    if not path.is_file():
        raise _reject(str(path), None, "an existing file")
    size = path.stat().st_size
    if size > MAX_TOTAL_BYTES:
        raise _reject(str(path), f"{size} bytes", f"an XML file of at most "
                                                  f"{MAX_TOTAL_BYTES // 2**20} MB")
    return path.read_bytes()


def _read_package(path: Path) -> _Package:
    if not path.is_file():
        raise _reject(str(path), None, "an existing .qdpx or .qde file")
    if zipfile.is_zipfile(path):
        return _read_qdpx(path)
    if path.suffix.lower() == ".qdpx":
        raise _reject(str(path), None, "a zip archive (.qdpx)")
    return _Package(xml=_read_bare_xml(path), texts={}, warnings=[])


class _PrologEnd(Exception):
    """The first element starts: the prolog had no DOCTYPE."""


def _refuse_doctype(data: bytes, file: str) -> None:
    """Reject a DOCTYPE or entity declaration before any entity could be expanded.

    Only the prolog is read (expat stops at the first element). Encodings expat does not know
    fall through to the parser's own DOCTYPE check in :func:`_parse_xml`.
    """
    def doctype(name: str, *_: object) -> None:
        raise _reject(file, f"<!DOCTYPE {name}>", _NO_DTD)

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


_NO_DTD = "XML without a DOCTYPE or entity declarations (refused: XXE / entity expansion)"


def _parse_xml(data: bytes, file: str, root_name: str) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network; reject any DOCTYPE."""
    _refuse_doctype(data, file)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False,
                             load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise _reject(file, str(error), "well-formed XML") from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _reject(file, docinfo.doctype or "DOCTYPE", _NO_DTD)
    if etree.QName(root).localname != root_name:
        raise _reject(file, etree.QName(root).localname, f"a REFI-QDA <{root_name}> root element")
    return root


@lru_cache(maxsize=None)
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def _schema_warnings(root: etree._Element, schema_name: str, file: str) -> list[str]:
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


def _strip_namespaces(root: etree._Element) -> etree._Element:
    """Give every element its local name, so vendors' namespace variants read alike."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    return root


# ----------------------------------------------------------------------------- normalising


def _guid(value: str | None) -> str:
    """A GUID without braces and in lower case (``{ABC-…}`` → ``abc-…``)."""
    return (value or "").strip().strip("{}").strip().lower()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_keys(text: str) -> set[str]:
    """Case- and diacritic-insensitive keys of a label (``Fælles mål`` ~ ``faelles maal``)."""
    base = " ".join(re.split(r"[\s_\-]+", str(text).casefold().strip())).strip()
    danish = base.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    plain = base.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return {_strip_marks(danish), _strip_marks(plain)}


def _lookup(index: dict[str, str], label: str) -> str | None:
    for key in sorted(_fold_keys(label)):
        if key in index:
            return index[key]
    return None


def _field_of(variable_name: str) -> str | None:
    keys = _fold_keys(variable_name)
    for name, variables in _FIELD_VARIABLES.items():
        if keys & variables:
            return name
    return None


def _decode(data: bytes) -> tuple[str, str | None]:
    """Text of a source file: UTF-16 by BOM, else UTF-8 (BOM kept), else cp1252 with a note."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "not valid UTF-8; read as Windows-1252"


def _clean_excerpt(text: str) -> str:
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()


# ----------------------------------------------------------------------------- reference data


def _load_themes(path: Path) -> dict[str, str]:
    """Index of folded theme code, name and alias → theme code."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise _reject(str(path), str(error), "a readable YAML interview codebook") from error
    themes = document.get("themes") if isinstance(document, dict) else None
    if not isinstance(themes, list) or not all(isinstance(t, dict) and t.get("code")
                                               for t in themes):
        raise InputError([Problem(file=str(path), row=None, column="themes", value=None,
                                  expected="a list of {code, name, chapter, aliases}")])
    index: dict[str, str] = {}
    for theme in themes:
        labels = [theme["code"], theme.get("name") or "", *(theme.get("aliases") or [])]
        for label in labels:
            for key in _fold_keys(str(label)):
                if key:
                    index.setdefault(key, str(theme["code"]))
    return index


@dataclass(frozen=True)
class _Register:
    codes: frozenset[str]
    by_name: dict[str, str]


def _load_kommuner(path: Path) -> _Register:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise _reject(str(path), str(error), "a readable CSV of municipalities") from error
    missing = {"kommunekode", "kommunenavn"} - set(frame.columns)
    if missing:
        raise InputError([Problem(file=str(path), row=None, column=c, value=None,
                                  expected="a column of the municipality register")
                          for c in sorted(missing)])
    codes = frame["kommunekode"].str.strip().str.zfill(3)
    by_name = {key: code for code, name in zip(codes, frame["kommunenavn"])
               for key in _fold_keys(name)}
    return _Register(codes=frozenset(codes), by_name=by_name)


def _resolve_kommune(value: str, register: _Register) -> str | None:
    """A 3-digit kommunekode from a code (``259``, ``0259``) or a name (``Køge Kommune``)."""
    text = value.strip()
    match = re.match(r"^(\d{1,4})\b", text)
    if match:
        code = str(int(match.group(1))).zfill(3)
        return code if code in register.codes else None
    name = re.sub(r"\s+kommune$", "", text, flags=re.IGNORECASE)
    return _lookup(register.by_name, name)


# ----------------------------------------------------------------------------- project model


@dataclass(frozen=True)
class _Code:
    name: str
    parent: str | None


def _codes(codes_parent: etree._Element | None) -> dict[str, _Code]:
    """Every code under a ``Codes`` element, nested ones with their parent."""
    found: dict[str, _Code] = {}

    def walk(element: etree._Element, parent: str | None) -> None:
        for code in element.findall("Code"):
            guid = _guid(code.get("guid"))
            found[guid] = _Code(name=code.get("name") or "", parent=parent)
            walk(code, guid)

    if codes_parent is not None:
        walk(codes_parent, None)
    return found


def _value_text(value_element: etree._Element) -> str:
    for child in value_element:
        if isinstance(child.tag, str) and child.tag.endswith("Value"):
            return (child.text or "").strip()
    return ""


def _variable_values(element: etree._Element, variables: dict[str, str]) -> dict[str, str]:
    """Field → value from the ``VariableValue`` children of a case or source."""
    values: dict[str, str] = {}
    for value in element.findall("VariableValue"):
        ref = value.find("VariableRef")
        name = variables.get(_guid(ref.get("targetGUID")) if ref is not None else "")
        field_name = _field_of(name) if name else None
        text = _value_text(value)
        if field_name and text:
            values.setdefault(field_name, text)
    return values


@dataclass(frozen=True)
class _Cases:
    by_selection: dict[str, list[dict[str, str]]]
    by_source: dict[str, list[dict[str, str]]]
    names: list[str]
    values: list[dict[str, str]]


def _cases(root: etree._Element, variables: dict[str, str]) -> _Cases:
    by_selection: dict[str, list[dict[str, str]]] = {}
    by_source: dict[str, list[dict[str, str]]] = {}
    names, all_values = [], []
    for case in root.iterfind("Cases/Case"):
        values = _variable_values(case, variables)
        names.append(case.get("name") or "")
        all_values.append(values)
        for ref in case.findall("SelectionRef"):
            by_selection.setdefault(_guid(ref.get("targetGUID")), []).append(values)
        for ref in case.findall("SourceRef"):
            by_source.setdefault(_guid(ref.get("targetGUID")), []).append(values)
    return _Cases(by_selection=by_selection, by_source=by_source, names=names, values=all_values)


@dataclass(frozen=True)
class _Selection:
    """One selection of a source: its text, or why it has none."""

    element: str
    guid: str
    source_guid: str
    source_name: str
    where: str
    code_guids: tuple[str, ...]
    text: str | None = None
    problem: str | None = None
    non_text: bool = False


def _code_refs(selection: etree._Element) -> tuple[str, ...]:
    return tuple(_guid(ref.get("targetGUID")) for ref in selection.iterfind("Coding/CodeRef"))


# ----------------------------------------------------------------------------- offsets


@dataclass(frozen=True)
class _Convention:
    """How an exporter may have counted positions in a text."""

    bom_dropped: bool = False
    eol: str = ""  # "" as written, "crlf_as_one", "lf_as_crlf"
    inclusive: bool = False

    def describe(self) -> str:
        parts = []
        if self.bom_dropped:
            parts.append("BOM not counted")
        if self.eol == "crlf_as_one":
            parts.append("CRLF counted as one character")
        if self.eol == "lf_as_crlf":
            parts.append("line ends counted as CRLF")
        if self.inclusive:
            parts.append("end position inclusive")
        return ", ".join(parts) or "as written"

    def apply(self, text: str) -> str:
        if self.bom_dropped:
            text = text[1:]
        if self.eol == "crlf_as_one":
            text = text.replace("\r\n", "\n")
        if self.eol == "lf_as_crlf":
            text = text.replace("\n", "\r\n")
        return text


AS_WRITTEN = _Convention()


def _conventions(text: str) -> list[_Convention]:
    """Conventions worth trying for this text, as written first."""
    boms = [False, True] if text.startswith("\ufeff") else [False]
    eols = [""] + (["crlf_as_one"] if "\r\n" in text else ["lf_as_crlf"] if "\n" in text else [])
    return [_Convention(bom, eol, inclusive)
            for inclusive in (False, True) for bom in boms for eol in eols]


@lru_cache(maxsize=64)
def _counted(text: str, convention: _Convention) -> str:
    return convention.apply(text)


def _slice(text: str, start: int, end: int, convention: _Convention) -> str | None:
    stop = end + 1 if convention.inclusive else end
    counted = _counted(text, convention)
    if 0 <= start < stop <= len(counted):
        return counted[start:stop]
    return None


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(_clean_excerpt(s).split())
    return norm(a) == norm(b)


def _matching(text: str, start: int, end: int, name: str,
              conventions: list[_Convention]) -> _Convention | None:
    for convention in conventions:
        piece = _slice(text, start, end, convention)
        if piece is not None and _same_text(piece, name):
            return convention
    return None


def _usual_convention(text: str, spans: list[tuple[str, int, int, str]]) -> _Convention:
    """The convention that most named selections of one text match (ties: earliest tried)."""
    conventions = _conventions(text)
    votes = Counter(_matching(text, s, e, name, conventions) for _, s, e, name in spans if name)
    votes.pop(None, None)
    if not votes:
        return AS_WRITTEN
    best = max(votes.values())
    return next(c for c in conventions if votes.get(c) == best)


def _slice_selections(text: str, spans: list[tuple[str, int, int, str]], label: str
                      ) -> tuple[dict[str, str | None], list[str]]:
    """Slice ``(guid, start, end, name)`` spans from one text, verifying against names.

    Positions are Unicode code points, end-exclusive, as the tools write them. When a selection's
    name differs from its slice, the other conventions (BOM, CRLF, inclusive end) are tried and
    the one that matches is used, with a warning.
    """
    usual = _usual_convention(text, spans)
    conventions = [usual] + [c for c in _conventions(text) if c != usual]
    pieces: dict[str, str | None] = {}
    warnings = []
    for guid, start, end, name in spans:
        where = f"{label}: selection {guid} ({start}–{end})"
        chosen = _matching(text, start, end, name, conventions) if name else None
        if chosen is None:
            chosen = next((c for c in conventions if _slice(text, start, end, c) is not None),
                          None)
            if chosen is None:
                pieces[guid] = None
                continue
            if name:
                warnings.append(f"{where}: text does not match the selection's name under any "
                                f"offset convention; used offsets {chosen.describe()}")
            elif chosen != AS_WRITTEN:
                warnings.append(f"{where}: offsets adjusted ({chosen.describe()}), as the named "
                                "selections of this source")
        elif chosen != AS_WRITTEN:
            warnings.append(f"{where}: offsets adjusted ({chosen.describe()}) to match its name")
        pieces[guid] = _slice(text, start, end, chosen)
    return pieces, warnings


# ----------------------------------------------------------------------------- selections


def _container_text(container: etree._Element, texts: dict[str, bytes]
                    ) -> tuple[str | None, str | None, str | None]:
    """(text, problem, warning) of a TextSource-like element."""
    content = container.find("PlainTextContent")
    if content is not None:
        return content.text or "", None, None
    path = (container.get("plainTextPath") or "").strip()
    if not path:
        return None, "source has no text (neither PlainTextContent nor plainTextPath)", None
    if not path.lower().startswith("internal://"):
        return None, "source text is outside the export (external path, not read)", None
    member = path[len("internal://"):]
    if not member or _unsafe_member_name(member) or "/" in member or "\\" in member:
        return None, "source text has an invalid internal path", None
    key = f"sources/{member}"
    data = texts.get(key)
    if data is None:
        data = next((v for k, v in texts.items() if k.lower() == key.lower()), None)
    if data is None:
        return None, f"source text '{member}' is not in the export", None
    text, warning = _decode(data)
    return text, None, warning


def _text_selections(container: etree._Element, texts: dict[str, bytes], source_guid: str,
                     source_name: str, label: str) -> tuple[list[_Selection], list[str]]:
    elements = container.findall("PlainTextSelection")
    if not elements:
        return [], []
    text, problem, decode_warning = _container_text(container, texts)
    warnings = [f"{label}: source '{source_name}': {decode_warning}"] if decode_warning else []
    spans, selections = [], []
    for element in elements:
        guid = _guid(element.get("guid"))
        try:
            start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        except (TypeError, ValueError):
            selections.append(_Selection("PlainTextSelection", guid, source_guid, source_name,
                                         "", _code_refs(element),
                                         problem="start/end position is not an integer"))
            continue
        where = f"tegn {start}-{end}"
        if start == end:
            warnings.append(f"{label}: zero-length selection {guid} in source '{source_name}' "
                            "skipped")
            continue
        base = _Selection("PlainTextSelection", guid, source_guid, source_name, where,
                          _code_refs(element), problem=problem)
        selections.append(base)
        if text is not None:
            spans.append((guid, start, end, element.get("name") or ""))
    if text is None:
        return selections, warnings
    pieces, slice_warnings = _slice_selections(text, spans, f"{label}: source '{source_name}'")
    out = []
    for selection in selections:
        if selection.guid in pieces and pieces[selection.guid] is None:
            selection = _with(selection, problem="positions are invalid or outside the source "
                                                 f"text (length {len(text)})")
        elif selection.guid in pieces:
            selection = _with(selection, text=_clean_excerpt(pieces[selection.guid] or ""))
        out.append(selection)
    return out, warnings + slice_warnings


def _with(selection: _Selection, **changes: object) -> _Selection:
    return dataclasses.replace(selection, **changes)


def _pdf_selections(source: etree._Element, texts: dict[str, bytes], source_guid: str,
                    source_name: str) -> list[_Selection]:
    selections = []
    for element in source.findall("PDFSelection"):
        selection = _Selection("PDFSelection", _guid(element.get("guid")), source_guid,
                               source_name, f"PDF side {element.get('page', '?')}",
                               _code_refs(element))
        representation = element.find("Representation")
        text, problem = (None, "non-text selection (PDF area without a text representation)")
        if representation is not None:
            text, problem, _ = _container_text(representation, texts)
        selections.append(_with(selection, text=_clean_excerpt(text) if text else None,
                                problem=None if text else problem or "empty PDF selection",
                                non_text=representation is None))
    return selections


def _transcript_selections(source: etree._Element, texts: dict[str, bytes], source_guid: str,
                           source_name: str) -> list[_Selection]:
    selections = []
    for transcript in source.findall("Transcript"):
        text, problem, _ = _container_text(transcript, texts)
        positions = {_guid(p.get("guid")): p.get("position") for p in
                     transcript.findall("SyncPoint")}
        for element in transcript.findall("TranscriptSelection"):
            start = positions.get(_guid(element.get("fromSyncPoint")))
            end = positions.get(_guid(element.get("toSyncPoint")))
            selection = _Selection("TranscriptSelection", _guid(element.get("guid")),
                                   source_guid, source_name,
                                   f"transskription tegn {start}-{end}", _code_refs(element))
            piece = None
            if text is not None and start and end and start.isdigit() and end.isdigit():
                piece = _slice(text, int(start), int(end), AS_WRITTEN)
            if piece is None:
                problem = problem or "transcript selection without usable sync point positions"
            selections.append(_with(selection, text=_clean_excerpt(piece) if piece else None,
                                    problem=None if piece else problem))
    return selections


def _selections(root: etree._Element, texts: dict[str, bytes], label: str
                ) -> tuple[list[_Selection], list[str]]:
    """Every selection of every source, with its text where it has one."""
    selections: list[_Selection] = []
    warnings: list[str] = []
    for source in root.iterfind("Sources/*"):
        if not isinstance(source.tag, str):
            continue
        source_guid = _guid(source.get("guid"))
        source_name = _display_name(source.get("name") or "")
        containers = [source] if source.tag == "TextSource" else []
        containers += source.findall("Representation") + source.findall("TextDescription")
        for container in containers:
            found, notes = _text_selections(container, texts, source_guid, source_name, label)
            selections += found
            warnings += notes
        selections += _pdf_selections(source, texts, source_guid, source_name)
        selections += _transcript_selections(source, texts, source_guid, source_name)
        for kind, what in _NON_TEXT_SELECTIONS.items():
            selections += [_Selection(kind, _guid(e.get("guid")), source_guid, source_name,
                                      "", _code_refs(e), problem=f"non-text selection ({what})",
                                      non_text=True)
                           for e in source.findall(kind)]
        if source.findall("Coding"):
            warnings.append(f"{label}: source '{source_name}' is coded as a whole; "
                            "whole-source codings are not excerpts and were ignored")
    return selections, warnings


# ----------------------------------------------------------------------------- names


def _person_runs(name: str, kommune_index: dict[str, str]) -> list[str]:
    """Person-like names inside a source or case name (``Interview med Jens Hansen``)."""
    found = []
    for run in re.findall(rf"{_WORD}(?: {_WORD})+", name):
        words = run.split(" ")
        current: list[str] = []
        for word in words + [""]:
            if word and word.casefold() not in _NOT_NAME_WORDS:
                current.append(word)
                continue
            candidate = " ".join(current)
            if len(current) >= 2 and _lookup(kommune_index, candidate) is None:
                found.append(candidate)
            current = []
    found += re.findall(rf"\b(?:med|with)\s+({_WORD})\b", name)
    return [f for f in found if f.casefold() not in _NOT_NAME_WORDS
            and _lookup(kommune_index, f) is None]


def _name_pattern(full_names: set[str], given_names: set[str]) -> re.Pattern[str] | None:
    """One regex for whole-word names: full names any case, name parts when capitalised."""
    def alternatives(names: set[str]) -> str:
        ordered = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(p) for p in n.split()) for n in ordered)

    pieces = []
    if alternatives(full_names):
        pieces.append(f"(?i:{alternatives(full_names)})")
    if alternatives(given_names):
        pieces.append(alternatives(given_names))
    if not pieces:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(pieces)})(?:'s|'|s)?(?!\w)")


def _masker(users: list[str], people: list[str], person_like: list[str]):
    """A function that replaces persons' names with :data:`NAME_MASK`.

    User names and interviewees' names are masked whole and, for name parts of three letters or
    more, part by part where the part is capitalised; names found in source and case names are
    masked whole.
    """
    full = {n for n in users + people + person_like if n and n.strip()}
    parts = {p for n in users + people for p in n.split()
             if len(p) >= 3 and p[:1].isupper() and p.casefold() not in _NOT_NAME_WORDS}
    pattern = _name_pattern(full, parts)

    def mask(text: str) -> str:
        return pattern.sub(NAME_MASK, text) if pattern and text else text
    return mask


def _display_name(name: str) -> str:
    """A source or project name without any directory part."""
    return re.split(r"[\\/]", name.strip())[-1] if name else ""


# ----------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class _Context:
    file_label: str
    codes: dict[str, _Code]
    themes: dict[str, str]
    register: _Register
    cases: _Cases
    source_values: dict[str, dict[str, str]]


def _theme_of(guid: str, context: _Context) -> tuple[str | None, bool]:
    """Theme of a code, walking up to the nearest parent with one; (theme, via_parent)."""
    current, via_parent, seen = guid, False, set()
    while current in context.codes and current not in seen:
        seen.add(current)
        theme = _lookup(context.themes, context.codes[current].name)
        if theme:
            return theme, via_parent
        current, via_parent = context.codes[current].parent or "", True
    return None, False


def _attributes(selection: _Selection, context: _Context) -> tuple[dict[str, str], list[str]]:
    """Field values for a selection: its cases, then its source, then the source's cases."""
    layers = [context.cases.by_selection.get(selection.guid, []),
              [context.source_values.get(selection.source_guid, {})],
              context.cases.by_source.get(selection.source_guid, [])]
    values: dict[str, str] = {}
    notes = []
    for layer in layers:
        layer_values: dict[str, str] = {}
        for case_values in layer:
            for key, value in case_values.items():
                if key in layer_values and layer_values[key] != value:
                    notes.append(f"selection {selection.guid}: several cases give '{key}' "
                                 f"({layer_values[key]!r}, {value!r}); used the first")
                layer_values.setdefault(key, value)
        for key, value in layer_values.items():
            values.setdefault(key, value)
    return values, notes


def _choice(value: str, options: tuple[str, ...], synonyms: dict[str, str]) -> str | None:
    index = {key: option for option in options for key in _fold_keys(option)}
    index.update({key: option for word, option in synonyms.items() for key in _fold_keys(word)})
    return _lookup(index, value)


def _from_role(role: str, keywords: dict[str, str]) -> str | None:
    folded = " ".join(sorted(_fold_keys(role)))
    return next((value for word, value in keywords.items() if word in folded), None)


_ORGANISATION_FROM_ROLE = {"helhedsplan": "helhedsplan", "boligorganisation": "boligorganisation",
                           "boligselskab": "boligorganisation", "kommun": "kommune"}
_LEVEL_FROM_ROLE = {"strateg": "strategisk", "taktik": "taktisk", "taktisk": "taktisk",
                    "udforende": "udførende", "udfoerende": "udførende"}


def _categorical(value: str | None, role: str, variable: str, options: tuple[str, ...],
                 synonyms: dict[str, str], from_role: dict[str, str]
                 ) -> tuple[str | None, str | None, str | None]:
    """(value, reason it is missing, what was inferred) for organisation or niveau; the role
    label tells when the variable is absent (``Kommunal taktiker`` → kommune, taktisk)."""
    allowed = ", ".join(options)
    if value:
        chosen = _choice(value, options, synonyms)
        return chosen, None if chosen else f"{variable} {value!r} is not one of {allowed}", None
    if not role:
        return None, None, None
    chosen = _from_role(role, from_role)
    if chosen is None:
        return None, f"no {variable} (variable '{variable.capitalize()}'), and the role label " \
                     "does not tell", None
    return chosen, None, f"{variable} '{chosen}'"


def _clearance(value: str | None) -> tuple[str, str | None]:
    if value is None:
        return "nej", None
    folded = value.strip().casefold()
    if folded in _TRUE:
        return "ja", None
    if folded in _FALSE:
        return "nej", None
    return "nej", f"clearance value {value!r} is not yes/no; read as 'nej'"


def _excerpt_fields(values: dict[str, str], context: _Context
                    ) -> tuple[dict[str, str], list[str], list[str]]:
    """(fields, reasons it cannot be an excerpt, notes) from a selection's attribute values."""
    reasons, notes = [], []
    role = values.get("rolle", "").strip()
    if not role:
        reasons.append("no role label (variable 'Rolle' on its case or source)")
    kommune = values.get("kommune")
    code = _resolve_kommune(kommune, context.register) if kommune else None
    if not kommune:
        reasons.append("no municipality (variable 'Kommune' on its case or source)")
    elif code is None:
        reasons.append(f"municipality {kommune!r} is not in the municipality register")
    organisation, reason, inferred_organisation = _categorical(
        values.get("organisation"), role, "organisation", ORGANISATIONS,
        {"kommunal": "kommune", "boligselskab": "boligorganisation"}, _ORGANISATION_FROM_ROLE)
    reasons += [reason] if reason else []
    level, reason, inferred_level = _categorical(
        values.get("niveau"), role, "niveau", LEVELS,
        {"strateg": "strategisk", "taktiker": "taktisk", "operationel": "udførende"},
        _LEVEL_FROM_ROLE)
    reasons += [reason] if reason else []
    inferred = [n for n in (inferred_organisation, inferred_level) if n]
    if inferred:
        notes.append(f"{' and '.join(inferred)} inferred from role label {role!r}")
    clearance, note = _clearance(values.get("clearance"))
    notes += [note] if note else []
    fields = {"kommunekode": code or "", "organisation": organisation or "", "niveau": level or "",
              "rolle": role, "maa_tilskrives_kommune": clearance}
    return fields, reasons, notes


def _excerpt_id(henvisning: str, element: str) -> str:
    digest = hashlib.sha1(f"{element}|{henvisning}".encode("utf-8")).hexdigest()[:10]
    return f"imp-{digest}"


def _rows(selections: list[_Selection], context: _Context, mask
          ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    excerpts, unmapped, warnings = [], [], []
    unknown_codes: dict[str, str] = {}
    rolled_up: set[str] = set()
    for selection in selections:
        henvisning = ", ".join(p for p in (mask(_display_name(context.file_label)),
                                           mask(selection.source_name),
                                           selection.where) if p)
        themes, code_names = [], []
        for guid in selection.code_guids:
            theme, via_parent = _theme_of(guid, context)
            code_names.append(context.codes[guid].name if guid in context.codes else guid)
            if theme is None:
                unknown_codes.setdefault(guid, code_names[-1])
            elif theme not in themes:
                themes.append(theme)
            if via_parent and guid not in rolled_up:
                rolled_up.add(guid)
                warnings.append(f"{context.file_label}: code '{code_names[-1]}' has no theme; "
                                f"used its parent's theme '{theme}'")
        values, notes = _attributes(selection, context)
        fields, reasons, field_notes = _excerpt_fields(values, context)
        warnings += [f"{context.file_label}: {n}" for n in notes + field_notes]
        if selection.non_text:
            reasons = []
        if selection.problem:
            reasons.insert(0, selection.problem)
        elif selection.text == "":
            reasons.insert(0, "the selected text is empty")
        if not selection.code_guids:
            reasons.append("selection has no code")
        elif not themes:
            reasons.append("none of its codes matches a theme in the interview codebook")
        text = mask(selection.text or "")
        if reasons:
            unmapped.append({"element": selection.element, "guid": selection.guid,
                             "henvisning": henvisning, "tekst": text,
                             "koder": mask(";".join(code_names)), "grund": "; ".join(reasons)})
            continue
        excerpts.append({"excerpt_id": _excerpt_id(henvisning, selection.element), "tekst": text,
                         **fields, "rolle": mask(fields["rolle"]), "temaer": ";".join(themes),
                         "kilde": "import", "henvisning": henvisning})
    for guid, name in unknown_codes.items():
        reason = ("code GUID is not defined in the project's or the .qdc codebook"
                  if guid not in context.codes else
                  "code matches no theme code, name or alias in the interview codebook")
        unmapped.append({"element": "Code", "guid": guid,
                         "henvisning": mask(_display_name(context.file_label)), "tekst": "",
                         "koder": mask(name), "grund": reason})
    return _unique_ids(excerpts), unmapped, warnings


def _unique_ids(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: Counter[str] = Counter()
    for row in rows:
        seen[row["excerpt_id"]] += 1
        if seen[row["excerpt_id"]] > 1:
            row["excerpt_id"] = f"{row['excerpt_id']}-{seen[row['excerpt_id']]}"
    return rows


# ----------------------------------------------------------------------------- public API


def read_qdc(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Codes of a REFI-QDA codebook (``.qdc``), safely parsed.

    Returns
    -------
    codes : DataFrame
        Columns ``guid`` (normalised: no braces, lower case), ``name`` and ``parent_guid``.
    warnings : list of str
        Deviations from the REFI-QDA codebook schema.
    """
    root = _parse_xml(_read_bare_xml(path), str(path), "CodeBook")
    warnings = _schema_warnings(root, CODEBOOK_XSD, path.name)
    codes = _codes(_strip_namespaces(root).find("Codes"))
    frame = pd.DataFrame([{"guid": g, "name": c.name, "parent_guid": c.parent or ""}
                          for g, c in codes.items()], columns=["guid", "name", "parent_guid"])
    return frame, warnings


def import_qdpx(path: Path, *, theme_codebook: Path, kommuner: Path, qdc: Path | None = None,
                out_dir: Path | None = None) -> ImportResult:
    """Coded excerpts from a REFI-QDA project (``.qdpx`` zip or bare ``.qde`` XML).

    Parameters
    ----------
    path
        The export. Read in memory; rejected with :class:`InputError` when unsafe.
    theme_codebook
        Interview codebook YAML (``themes: [{code, name, chapter, aliases}]``); code names map to
        themes by code, name or alias, case- and diacritic-insensitively.
    kommuner
        Municipality register CSV (``kommunekode, kommunenavn, …``).
    qdc
        Optional REFI-QDA codebook that supplies codes the project does not define.
    out_dir
        If given, ``excerpts.csv`` and ``unmapped.csv`` are written there atomically.

    Returns
    -------
    ImportResult
        Excerpts (``kilde="import"``), what could not be mapped and why, and warnings.
    """
    path = Path(path)
    label = path.name
    themes = _load_themes(Path(theme_codebook))
    register = _load_kommuner(Path(kommuner))
    package = _read_package(path)
    root = _parse_xml(package.xml, str(path), "Project")
    warnings = list(package.warnings) + _schema_warnings(root, PROJECT_XSD, label)
    root = _strip_namespaces(root)
    if (root.get("basePath") or "").strip():
        warnings.append(f"{label}: Project/@basePath (a local path) was dropped and not used")

    codes: dict[str, _Code] = {}
    if qdc is not None:
        qdc_codes, qdc_warnings = read_qdc(Path(qdc))
        warnings += qdc_warnings
        codes = {r.guid: _Code(r.name, r.parent_guid or None) for r in qdc_codes.itertuples()}
    codes.update(_codes(root.find("CodeBook/Codes")))

    variables = {_guid(v.get("guid")): v.get("name") or "" for v in
                 root.iterfind("Variables/Variable")}
    cases = _cases(root, variables)
    source_values = {_guid(s.get("guid")): _variable_values(s, variables)
                     for s in root.iterfind("Sources/*") if isinstance(s.tag, str)}
    context = _Context(label, codes, themes, register, cases, source_values)

    users = [u.get("name") or "" for u in root.iterfind("Users/User")]
    people = [person for values in (*cases.values, *source_values.values())
              for person in re.split(r"[,;/&]|\s+og\s+|\s+and\s+",
                                     values.get("interviewperson", ""))]
    named = [s.get("name") or "" for s in root.iterfind("Sources/*") if isinstance(s.tag, str)]
    person_like = [run for name in named + cases.names + [label]
                   for run in _person_runs(name, register.by_name)]
    mask = _masker(users, people, person_like)

    selections, selection_warnings = _selections(root, package.texts, label)
    excerpt_rows, unmapped_rows, row_warnings = _rows(selections, context, mask)
    warnings = [mask(w) for w in dict.fromkeys(warnings + selection_warnings + row_warnings)]
    result = ImportResult(excerpts=pd.DataFrame(excerpt_rows, columns=EXCERPT_COLUMNS),
                          unmapped=pd.DataFrame(unmapped_rows, columns=UNMAPPED_COLUMNS),
                          warnings=warnings)
    if out_dir is not None:
        write_result(result, Path(out_dir))
    return result


def write_result(result: ImportResult, out_dir: Path) -> None:
    """Write ``excerpts.csv`` and ``unmapped.csv`` (UTF-8, comma) into ``out_dir`` atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in (("excerpts.csv", result.excerpts), ("unmapped.csv", result.unmapped)):
        _write_atomic(frame, out_dir / name)


def _write_atomic(frame: pd.DataFrame, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
