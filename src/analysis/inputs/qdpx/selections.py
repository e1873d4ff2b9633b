"""Every coded selection of every source of a REFI-QDA project, with its text.

Text selections are sliced from the source's text (inside the project, or a ``sources/`` member
of the archive; an external path is never read); PDF selections use their text representation,
transcript selections their sync points. Picture, audio and video selections have no text and
are kept only to be listed as not imported.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from analysis.core.problems import InputError
from analysis.inputs.decoding import decode_text
from analysis.inputs.qdpx.archive import unsafe_member_name
from analysis.inputs.qdpx.model import Selection, code_refs, guid
from analysis.inputs.qdpx.names import display_name
from analysis.inputs.qdpx.offsets import AS_WRITTEN, clean_excerpt, slice_selections, slice_span

NON_TEXT_SELECTIONS = {"PictureSelection": "picture area", "AudioSelection": "audio segment",
                       "VideoSelection": "video segment"}


def _source_text(data: bytes, member: str) -> tuple[str | None, str | None, str | None]:
    """(text, problem, warning) of a source file's bytes."""
    try:
        text, encoding = decode_text(data, f"sources/{member}")
    except InputError as error:
        [problem] = error.problems
        return None, f"source text '{member}' is not {problem.expected} ({problem.value})", None
    if encoding == "utf-8-sig":  # exporters may count the BOM: the offsets try both ways
        text = "\ufeff" + text
    return text, None, "not valid UTF-8; read as Windows-1252" if encoding == "cp1252" else None


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
    if not member or unsafe_member_name(member) or "/" in member or "\\" in member:
        return None, "source text has an invalid internal path", None
    key = f"sources/{member}"
    data = texts.get(key)
    if data is None:
        data = next((v for k, v in texts.items() if k.lower() == key.lower()), None)
    if data is None:
        return None, f"source text '{member}' is not in the export", None
    return _source_text(data, member)


def _with(selection: Selection, **changes: object) -> Selection:
    return dataclasses.replace(selection, **changes)


def _text_selections(container: etree._Element, texts: dict[str, bytes], source_guid: str,
                     source_name: str, label: str) -> tuple[list[Selection], list[str]]:
    elements = container.findall("PlainTextSelection")
    if not elements:
        return [], []
    text, problem, decode_warning = _container_text(container, texts)
    warnings = [f"{label}: source '{source_name}': {decode_warning}"] if decode_warning else []
    spans, selections = [], []
    for element in elements:
        key = guid(element.get("guid"))
        try:
            start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        except (TypeError, ValueError):
            selections.append(Selection("PlainTextSelection", key, source_guid, source_name,
                                        "", code_refs(element),
                                        problem="start/end position is not an integer"))
            continue
        where = f"tegn {start}-{end}"
        if start == end:
            warnings.append(f"{label}: zero-length selection {key} in source '{source_name}' "
                            "skipped")
            continue
        base = Selection("PlainTextSelection", key, source_guid, source_name, where,
                         code_refs(element), problem=problem)
        selections.append(base)
        if text is not None:
            spans.append((key, start, end, element.get("name") or ""))
    if text is None:
        return selections, warnings
    pieces, slice_warnings = slice_selections(text, spans, f"{label}: source '{source_name}'")
    out = []
    for selection in selections:
        if selection.guid in pieces and pieces[selection.guid] is None:
            selection = _with(selection, problem="positions are invalid or outside the source "
                                                 f"text (length {len(text)})")
        elif selection.guid in pieces:
            selection = _with(selection, text=clean_excerpt(pieces[selection.guid] or ""))
        out.append(selection)
    return out, warnings + slice_warnings


def _pdf_selections(source: etree._Element, texts: dict[str, bytes], source_guid: str,
                    source_name: str) -> list[Selection]:
    selections = []
    for element in source.findall("PDFSelection"):
        selection = Selection("PDFSelection", guid(element.get("guid")), source_guid,
                              source_name, f"PDF side {element.get('page', '?')}",
                              code_refs(element))
        representation = element.find("Representation")
        text, problem = (None, "non-text selection (PDF area without a text representation)")
        if representation is not None:
            text, problem, _ = _container_text(representation, texts)
        selections.append(_with(selection, text=clean_excerpt(text) if text else None,
                                problem=None if text else problem or "empty PDF selection",
                                non_text=representation is None))
    return selections


def _transcript_selections(source: etree._Element, texts: dict[str, bytes], source_guid: str,
                           source_name: str) -> list[Selection]:
    selections = []
    for transcript in source.findall("Transcript"):
        text, problem, _ = _container_text(transcript, texts)
        positions = {guid(p.get("guid")): p.get("position") for p in
                     transcript.findall("SyncPoint")}
        for element in transcript.findall("TranscriptSelection"):
            start = positions.get(guid(element.get("fromSyncPoint")))
            end = positions.get(guid(element.get("toSyncPoint")))
            selection = Selection("TranscriptSelection", guid(element.get("guid")),
                                  source_guid, source_name,
                                  f"transskription tegn {start}-{end}", code_refs(element))
            piece = None
            if text is not None and start and end and start.isdigit() and end.isdigit():
                piece = slice_span(text, int(start), int(end), AS_WRITTEN)
            if piece is None:
                problem = problem or "transcript selection without usable sync point positions"
            selections.append(_with(selection, text=clean_excerpt(piece) if piece else None,
                                    problem=None if piece else problem))
    return selections


def selections(root: etree._Element, texts: dict[str, bytes], label: str
               ) -> tuple[list[Selection], list[str]]:
    """Every selection of every source, with its text where it has one."""
    found: list[Selection] = []
    warnings: list[str] = []
    for source in root.iterfind("Sources/*"):
        if not isinstance(source.tag, str):
            continue
        source_guid = guid(source.get("guid"))
        source_name = display_name(source.get("name") or "")
        containers = [source] if source.tag == "TextSource" else []
        containers += source.findall("Representation") + source.findall("TextDescription")
        for container in containers:
            more, notes = _text_selections(container, texts, source_guid, source_name, label)
            found += more
            warnings += notes
        found += _pdf_selections(source, texts, source_guid, source_name)
        found += _transcript_selections(source, texts, source_guid, source_name)
        for kind, what in NON_TEXT_SELECTIONS.items():
            found += [Selection(kind, guid(e.get("guid")), source_guid, source_name,
                                "", code_refs(e), problem=f"non-text selection ({what})",
                                non_text=True)
                      for e in source.findall(kind)]
        if source.findall("Coding"):
            warnings.append(f"{label}: source '{source_name}' is coded as a whole; "
                            "whole-source codings are not excerpts and were ignored")
    return found, warnings
