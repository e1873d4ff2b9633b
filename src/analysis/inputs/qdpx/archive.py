"""Reading a REFI-QDA export safely: the zip's limits and member paths, in memory only.

Members are never extracted. Before any member is read, the archive is refused when it has too
many members, a member path that is absolute or climbs out with ``..``, or sizes that look like
a zip bomb; a member is read only up to the size it declares.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from analysis.core.problems import InputError, Problem

MAX_MEMBERS = 10_000
"""Most members a ``.qdpx`` archive may have."""
MAX_TOTAL_BYTES = 200 * 2**20
"""Largest total uncompressed size of an archive, and largest bare ``.qde``/``.qdc`` file."""
MAX_RATIO = 100
"""Largest compression ratio of a member bigger than :data:`RATIO_FLOOR_BYTES`."""
RATIO_FLOOR_BYTES = 2**20


@dataclass(frozen=True)
class Package:
    """The project XML and the text members of an export, read into memory."""

    xml: bytes
    texts: dict[str, bytes]
    warnings: list[str]


def reject(file: str, value: object, expected: str) -> InputError:
    """The error that refuses a whole file, with one problem."""
    return InputError([Problem(file=file, row=None, column=None, value=value, expected=expected)])


def unsafe_member_name(name: str) -> bool:
    """True for an absolute path, a drive letter, a ``..`` part or a NUL byte."""
    parts = re.split(r"[\\/]", name)
    absolute = name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None
    return absolute or ".." in parts or "\x00" in name


def check_archive(infos: list[zipfile.ZipInfo], file: str) -> None:
    """Raise InputError for unsafe paths and bomb-like sizes, before any member is read."""
    if len(infos) > MAX_MEMBERS:
        raise reject(file, f"{len(infos)} members", f"a .qdpx with at most {MAX_MEMBERS} members")
    for info in infos:
        if unsafe_member_name(info.filename):
            raise reject(file, info.filename,
                         "zip member paths relative and inside the archive (no absolute path, "
                         "no '..')")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise reject(file, f"{total} bytes uncompressed",
                     f"a .qdpx of at most {MAX_TOTAL_BYTES // 2**20} MB uncompressed")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise reject(file, f"{info.filename} (compression ratio {ratio:.0f}:1)",
                         f"a compression ratio of at most {MAX_RATIO}:1 (zip bomb?)")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise reject(file, info.filename, "a member no larger than its declared size")
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
    raise reject(file, f".qde members: {names}", "exactly one project.qde (or one .qde member)")


def _read_qdpx(path: Path) -> Package:
    file = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            check_archive(infos, file)
            project, warnings = _project_member(infos, file)
            xml = _read_member(archive, project, file)
            texts = {i.filename: _read_member(archive, i, file) for i in infos
                     if i.filename.lower().startswith("sources/")
                     and i.filename.lower().endswith(".txt")}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            EOFError, ValueError, OSError, zlib.error) as error:
        raise reject(file, str(error), "a readable, unencrypted zip archive (.qdpx)") from error
    return Package(xml=xml, texts=texts, warnings=warnings)


def read_bare_xml(path: Path) -> bytes:
    """The bytes of a bare ``.qde``/``.qdc`` file, refused when missing or too large."""
    if not path.is_file():
        raise reject(str(path), None, "an existing file")
    size = path.stat().st_size
    if size > MAX_TOTAL_BYTES:
        raise reject(str(path), f"{size} bytes", f"an XML file of at most "
                                                 f"{MAX_TOTAL_BYTES // 2**20} MB")
    return path.read_bytes()


def read_package(path: Path) -> Package:
    """A ``.qdpx`` zip or a bare ``.qde`` XML file, read into memory."""
    if not path.is_file():
        raise reject(str(path), None, "an existing .qdpx or .qde file")
    if zipfile.is_zipfile(path):
        return _read_qdpx(path)
    if path.suffix.lower() == ".qdpx":
        raise reject(str(path), None, "a zip archive (.qdpx)")
    return Package(xml=read_bare_xml(path), texts={}, warnings=[])
